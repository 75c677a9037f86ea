#ifndef GATEHOUSE_EMBEDDED_DATA_H
#define GATEHOUSE_EMBEDDED_DATA_H

#include <stddef.h>

/// A file of the repository's `seed/` directory, compiled into the binary.
typedef struct {
    const unsigned char *bytes;
    size_t count;
} GatehouseEmbeddedFile;

/// seed/default.json: the default account and its root user.
GatehouseEmbeddedFile gatehouse_embedded_default_seed(void);
/// seed/aws-managed-policies.json: the AWS managed policy catalog.
GatehouseEmbeddedFile gatehouse_embedded_managed_policies(void);
/// seed/service-catalog.json: the Service Authorization Reference.
GatehouseEmbeddedFile gatehouse_embedded_service_catalog(void);
/// Storage's state template: a migrated, empty state.sqlite, compacted.
GatehouseEmbeddedFile gatehouse_embedded_state_template(void);
/// The commit the binary was built from (scripts/release writes it for its
/// build), or "unknown" for a plain `swift build`.
const char *gatehouse_build_commit(void);

#endif
