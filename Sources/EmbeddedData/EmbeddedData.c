// The data sets a gatehouse binary needs, compiled in with C23's #embed (clang
// reads the files at build time, in milliseconds even for megabytes), so a
// binary copied anywhere starts without a seed directory beside it.
#include "EmbeddedData.h"

#pragma clang diagnostic ignored "-Wc23-extensions"

static const unsigned char default_seed[] = {
#embed "../../seed/default.json"
};
static const unsigned char managed_policies[] = {
#embed "../../seed/aws-managed-policies.json"
};
static const unsigned char service_catalog[] = {
#embed "../../seed/service-catalog.json"
};

GatehouseEmbeddedFile gatehouse_embedded_default_seed(void) {
    return (GatehouseEmbeddedFile){default_seed, sizeof default_seed};
}

GatehouseEmbeddedFile gatehouse_embedded_managed_policies(void) {
    return (GatehouseEmbeddedFile){managed_policies, sizeof managed_policies};
}

GatehouseEmbeddedFile gatehouse_embedded_service_catalog(void) {
    return (GatehouseEmbeddedFile){service_catalog, sizeof service_catalog};
}

// state-template: Storage's migrated, empty database (StateTemplate.swift says
// how it is compacted and recorded). Empty until first recorded.
static const unsigned char state_template[] = {
#embed "state-template" suffix(,)
    0};

GatehouseEmbeddedFile gatehouse_embedded_state_template(void) {
    return (GatehouseEmbeddedFile){state_template, sizeof state_template - 1};
}

// build-commit says "unknown"; scripts/release writes the commit into it for the
// length of its build. Only this file is recompiled for a new commit (a -D flag
// would change every module's compiler arguments and rebuild them all).
static const char build_commit[] = {
#embed "build-commit"
    , 0};

const char *gatehouse_build_commit(void) { return build_commit; }
