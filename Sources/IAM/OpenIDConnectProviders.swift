import AWSShapes
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ServiceKit
import Storage

/// OpenID Connect identity providers (the issuers AssumeRoleWithWebIdentity
/// trusts): create, read, list, delete, client ids, thumbprints, tags.
enum OpenIDConnectProviders {
    static let clientIdLimit = 100
    static let thumbprintLimit = 5
    static let perAccount = 100

    static func register(_ r: inout QueryService.Registrar) {
        r.register(
            IAMOperation.CreateOpenIDConnectProvider.self,
            .transaction(.write, target: newProvider, keys: { IAMTags.requestKeys($0.tags) }, act: create))
        r.register(
            IAMOperation.GetOpenIDConnectProvider.self,
            .transaction(.read, target: { input, context, tx in try OIDCProviderTarget(input.openIDConnectProviderArn, context, tx) }, act: get))
        r.register(
            IAMOperation.ListOpenIDConnectProviders.self, .transaction(.read, target: ListingTarget.fixed("oidc-provider/*"), act: list))
        r.register(
            IAMOperation.DeleteOpenIDConnectProvider.self,
            .transaction(
                .write, target: { input, context, tx in try OIDCProviderTarget(input.openIDConnectProviderArn, context, tx) }, act: delete))
        r.register(
            IAMOperation.AddClientIDToOpenIDConnectProvider.self,
            .transaction(
                .write, target: { input, context, tx in try OIDCProviderTarget(input.openIDConnectProviderArn, context, tx) }, act: addClientId))
        r.register(
            IAMOperation.RemoveClientIDFromOpenIDConnectProvider.self,
            .transaction(
                .write, target: { input, context, tx in try OIDCProviderTarget(input.openIDConnectProviderArn, context, tx) },
                act: removeClientId))
        r.register(
            IAMOperation.UpdateOpenIDConnectProviderThumbprint.self,
            .transaction(
                .write, target: { input, context, tx in try OIDCProviderTarget(input.openIDConnectProviderArn, context, tx) },
                act: updateThumbprints))
        IAMTagging.register(
            IAMOperation.TagOpenIDConnectProvider.self, IAMOperation.UntagOpenIDConnectProvider.self,
            IAMOperation.ListOpenIDConnectProviderTags.self, on: OIDCProviderTarget.self, &r)
    }

    /// The provider a create request names (its URL as given when it is not a usable one: refused after authorization).
    static func newProvider(
        _ input: IAMShapes.CreateOpenIDConnectProviderRequest, _ context: OperationContext, _ tx: Transaction
    ) -> ResourceARN {
        ResourceARN(IAMArn.oidcProvider(context.accountId, url: normalized(input.url) ?? input.url))
    }

    // MARK: - Operations

    static func create(
        _ input: IAMShapes.CreateOpenIDConnectProviderRequest, _ target: ResourceARN, _ context: OperationContext, _ tx: Transaction
    ) throws -> IAMShapes.CreateOpenIDConnectProviderResponse {
        guard let url = normalized(input.url) else { throw IAMError.invalidOIDCURL }
        let arn = IAMArn.oidcProvider(context.accountId, url: url)
        if try tx.fetch(OIDCProviderRecord.self, key: arn) != nil { throw IAMError.oidcProviderExists(input.url) }
        let thumbprints = input.thumbprintList ?? []
        if thumbprints.count > thumbprintLimit { throw IAMError.tooManyThumbprints }
        let clientIds = unique(input.clientIDList ?? [])
        if clientIds.count > clientIdLimit { throw IAMError.tooManyClientIds }
        if let tags = input.tags { try IAMTags.validate(tags) }
        if try OIDCProviderRecord.count(account: context.accountId, in: tx) >= perAccount { throw IAMError.tooManyOIDCProviders }
        try tx.insert(OIDCProviderRecord(
            arn: arn, accountId: context.accountId, url: url, clientIds: clientIds, thumbprints: thumbprints,
            createdAt: context.now.secondsSince1970))
        if let tags = input.tags { try IAMTags.apply(tx, arn, tags) }
        return IAMShapes.CreateOpenIDConnectProviderResponse(openIDConnectProviderArn: arn, tags: IAMTags.echoed(input.tags))
    }

    static func get(
        _ input: IAMShapes.GetOpenIDConnectProviderRequest, _ target: OIDCProviderTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> IAMShapes.GetOpenIDConnectProviderResponse {
        let provider = try target.existing()
        return IAMShapes.GetOpenIDConnectProviderResponse(
            clientIDList: provider.clientIds, createDate: Timestamp(secondsSince1970: provider.createdAt),
            tags: try IAMTags.load(tx, provider.arn), thumbprintList: provider.thumbprints, url: provider.url)
    }

    /// IAM lists an account's providers whole (at most 100, no paging), by ARN.
    static func list(
        _ input: IAMShapes.ListOpenIDConnectProvidersRequest, _ target: ListingTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> IAMShapes.ListOpenIDConnectProvidersResponse {
        IAMShapes.ListOpenIDConnectProvidersResponse(
            openIDConnectProviderList: try OIDCProviderRecord.all(account: context.accountId, in: tx).map {
                IAMShapes.OpenIDConnectProviderListEntry(arn: $0.arn)
            })
    }

    static func delete(
        _ input: IAMShapes.DeleteOpenIDConnectProviderRequest, _ target: OIDCProviderTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> EmptyShape {
        guard let provider = target.provider else { throw IAMError.noSuchOIDCProviderToDelete(input.openIDConnectProviderArn) }
        try IAMTags.removeAll(tx, provider.arn)
        try tx.delete(provider)
        return EmptyShape()
    }

    static func addClientId(
        _ input: IAMShapes.AddClientIDToOpenIDConnectProviderRequest, _ target: OIDCProviderTarget, _ context: OperationContext,
        _ tx: Transaction
    ) throws -> EmptyShape {
        var provider = try target.existing()
        guard !provider.clientIds.contains(input.clientID) else { return EmptyShape() }
        if provider.clientIds.count >= clientIdLimit { throw IAMError.tooManyClientIds }
        provider.clientIds.append(input.clientID)
        try tx.update(provider)
        return EmptyShape()
    }

    /// Removing a client id that is not there succeeds (the API reference says so).
    static func removeClientId(
        _ input: IAMShapes.RemoveClientIDFromOpenIDConnectProviderRequest, _ target: OIDCProviderTarget, _ context: OperationContext,
        _ tx: Transaction
    ) throws -> EmptyShape {
        var provider = try target.existing()
        provider.clientIds.removeAll { $0 == input.clientID }
        try tx.update(provider)
        return EmptyShape()
    }

    static func updateThumbprints(
        _ input: IAMShapes.UpdateOpenIDConnectProviderThumbprintRequest, _ target: OIDCProviderTarget, _ context: OperationContext,
        _ tx: Transaction
    ) throws -> EmptyShape {
        var provider = try target.existing()
        if input.thumbprintList.count > thumbprintLimit { throw IAMError.tooManyThumbprints }
        provider.thumbprints = input.thumbprintList
        try tx.update(provider)
        return EmptyShape()
    }

    /// `https://host/path` → `host/path`; nil unless it is an https URL with a host.
    static func normalized(_ url: String) -> String? {
        guard url.lowercased().hasPrefix("https://") else { return nil }
        var rest = String(url.dropFirst("https://".count))
        while rest.hasSuffix("/") { rest.removeLast() }
        guard let host = rest.split(separator: "/").first, !host.isEmpty, !rest.contains(where: \.isWhitespace),
            !rest.contains("?"), !rest.contains("#")
        else { return nil }
        return rest
    }

    static func unique(_ values: [String]) -> [String] {
        var seen: Set<String> = []
        return values.filter { seen.insert($0).inserted }
    }
}

/// An OpenID Connect provider named by ARN in an operation's input, loaded in
/// its transaction (the caller's account's only): authorized on the ARN as
/// given, acted on if it exists.
struct OIDCProviderTarget: IAMTaggable {
    let arn: String
    let provider: OIDCProviderRecord?

    init(_ arn: String, _ context: OperationContext, _ tx: Transaction) throws {
        self.arn = arn
        provider = try tx.fetch(OIDCProviderRecord.self, key: arn).flatMap { $0.accountId == context.accountId ? $0 : nil }
    }

    var resource: String { arn }
    var facts: ResourceFacts { .loaded(nil) }

    func existing() throws -> OIDCProviderRecord {
        guard let provider else { throw IAMError.noSuchOIDCProvider(arn) }
        return provider
    }

    /// Providers' tags are kept under their ARN.
    var taggedId: String { get throws { try existing().arn } }
}

extension IAMShapes.TagOpenIDConnectProviderRequest: TagRequest {
    func target(_ context: OperationContext, _ tx: Transaction) throws -> OIDCProviderTarget {
        try OIDCProviderTarget(openIDConnectProviderArn, context, tx)
    }
}
extension IAMShapes.UntagOpenIDConnectProviderRequest: UntagRequest {
    func target(_ context: OperationContext, _ tx: Transaction) throws -> OIDCProviderTarget {
        try OIDCProviderTarget(openIDConnectProviderArn, context, tx)
    }
}
extension IAMShapes.ListOpenIDConnectProviderTagsRequest: ListTagsRequest {
    func target(_ context: OperationContext, _ tx: Transaction) throws -> OIDCProviderTarget {
        try OIDCProviderTarget(openIDConnectProviderArn, context, tx)
    }
}
extension IAMShapes.ListOpenIDConnectProviderTagsResponse: ListTagsResponse {}
