import AWSShapes
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Hashing
import SAML
import ServiceKit
import Storage

/// SAML identity providers: their metadata documents (kept whole, for
/// AssumeRoleWithSAML), validity, assertion encryption keys and tags.
enum SAMLProviders {
    static let perAccount = 100
    static let privateKeyLimit = 2

    /// A service-provider private key that decrypts assertions; only its id and date are ever returned.
    typealias PrivateKey = SAMLPrivateKeyRecord

    static func register(_ r: inout QueryService.Registrar) {
        r.register(
            IAMOperation.CreateSAMLProvider.self, .transaction(.write, target: newProvider, keys: { IAMTags.requestKeys($0.tags) }, act: create))
        r.register(
            IAMOperation.GetSAMLProvider.self,
            .transaction(.read, target: { input, context, tx in try SAMLProviderTarget(input.samlProviderArn, context, tx) }, act: get))
        r.register(IAMOperation.ListSAMLProviders.self, .transaction(.read, target: { _, _, _ in NoTarget() }, act: list))
        r.register(
            IAMOperation.UpdateSAMLProvider.self,
            .transaction(.write, target: { input, context, tx in try SAMLProviderTarget(input.samlProviderArn, context, tx) }, act: update))
        r.register(
            IAMOperation.DeleteSAMLProvider.self,
            .transaction(.write, target: { input, context, tx in try SAMLProviderTarget(input.samlProviderArn, context, tx) }, act: delete))
        IAMTagging.register(
            IAMOperation.TagSAMLProvider.self, IAMOperation.UntagSAMLProvider.self, IAMOperation.ListSAMLProviderTags.self,
            on: SAMLProviderTarget.self, &r)
    }

    static func newProvider(_ input: IAMShapes.CreateSAMLProviderRequest, _ context: OperationContext, _ tx: Transaction) -> ResourceARN {
        ResourceARN(IAMArn.samlProvider(context.accountId, name: input.name))
    }

    // MARK: - Operations

    static func create(
        _ input: IAMShapes.CreateSAMLProviderRequest, _ target: ResourceARN, _ context: OperationContext, _ tx: Transaction
    ) throws -> IAMShapes.CreateSAMLProviderResponse {
        let arn = IAMArn.samlProvider(context.accountId, name: input.name)
        let uuid = context.ids.uuid()
        let keyId = newKeyId(context)
        if try tx.fetch(SAMLProviderRecord.self, key: arn) != nil { throw IAMError.samlProviderExists(input.name) }
        let validUntil = try validity(input.samlMetadataDocument)
        if let tags = input.tags { try IAMTags.validate(tags) }
        if try SAMLProviderRecord.count(account: context.accountId, in: tx) >= perAccount { throw IAMError.tooManySAMLProviders }
        var keys: [PrivateKey] = []
        if let pem = input.addPrivateKey {
            keys.append(try privateKey(pem, id: keyId, context.now))
        }
        try tx.insert(SAMLProviderRecord(
            arn: arn, accountId: context.accountId, name: input.name, metadata: input.samlMetadataDocument,
            createdAt: context.now.secondsSince1970, validUntil: validUntil, uuid: uuid,
            assertionEncryptionMode: input.assertionEncryptionMode ?? "Allowed", privateKeys: keys))
        if let tags = input.tags { try IAMTags.apply(tx, arn, tags) }
        return IAMShapes.CreateSAMLProviderResponse(samlProviderArn: arn, tags: IAMTags.echoed(input.tags))
    }

    static func get(
        _ input: IAMShapes.GetSAMLProviderRequest, _ target: SAMLProviderTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> IAMShapes.GetSAMLProviderResponse {
        let provider = try target.existing()
        return IAMShapes.GetSAMLProviderResponse(
            assertionEncryptionMode: provider.assertionEncryptionMode ?? "Allowed",
            createDate: Timestamp(secondsSince1970: provider.createdAt),
            privateKeyList: (provider.privateKeys ?? []).map {
                IAMShapes.SAMLPrivateKey(keyId: $0.keyId, timestamp: Timestamp(secondsSince1970: $0.timestamp))
            },
            samlMetadataDocument: provider.metadata, samlProviderUUID: provider.uuid, tags: try IAMTags.load(tx, provider.arn),
            validUntil: provider.validUntil.map { Timestamp(secondsSince1970: $0) })
    }

    /// IAM lists an account's providers whole (at most 100, no paging), by ARN.
    static func list(
        _ input: IAMShapes.ListSAMLProvidersRequest, _ target: NoTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> IAMShapes.ListSAMLProvidersResponse {
        IAMShapes.ListSAMLProvidersResponse(samlProviderList: try SAMLProviderRecord.all(account: context.accountId, in: tx).map {
            IAMShapes.SAMLProviderListEntry(
                arn: $0.arn, createDate: Timestamp(secondsSince1970: $0.createdAt),
                validUntil: $0.validUntil.map { Timestamp(secondsSince1970: $0) })
        })
    }

    static func update(
        _ input: IAMShapes.UpdateSAMLProviderRequest, _ target: SAMLProviderTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> IAMShapes.UpdateSAMLProviderResponse {
        let keyId = newKeyId(context)
        var provider = try target.existing()
        if let document = input.samlMetadataDocument {
            provider.validUntil = try validity(document)
            provider.metadata = document
        }
        if let mode = input.assertionEncryptionMode { provider.assertionEncryptionMode = mode }
        var keys = provider.privateKeys ?? []
        if let removed = input.removePrivateKey {
            guard keys.contains(where: { $0.keyId == removed }) else { throw IAMError.noSuchSAMLPrivateKey(removed) }
            keys.removeAll { $0.keyId == removed }
        }
        if let pem = input.addPrivateKey {
            if keys.count >= privateKeyLimit { throw IAMError.quota("PrivateKeysPerSAMLProvider", privateKeyLimit) }
            keys.append(try privateKey(pem, id: keyId, context.now))
        }
        provider.privateKeys = keys
        try tx.update(provider)
        return IAMShapes.UpdateSAMLProviderResponse(samlProviderArn: provider.arn)
    }

    static func delete(
        _ input: IAMShapes.DeleteSAMLProviderRequest, _ target: SAMLProviderTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> EmptyShape {
        let provider = try target.existing()
        try IAMTags.removeAll(tx, provider.arn)
        try tx.delete(provider)
        return EmptyShape()
    }

    /// Reads the metadata as AssumeRoleWithSAML will (`SAMLMetadata.parse`: well-formed XML without a
    /// DOCTYPE, an IdP EntityDescriptor with an entityID and an RSA signing certificate of at least 1024
    /// bits), so a provider is never stored with metadata that cannot be used; anything else is refused
    /// before a write with `InvalidInput` "Could not parse metadata." Its `validUntil` (or its
    /// certificate's end) is when the provider expires.
    static func validity(_ document: String) throws(AWSError) -> Double? {
        let metadata: SAMLMetadata
        do {
            metadata = try SAMLMetadata.parse(document)
        } catch {
            throw IAMError.invalidSAMLMetadata
        }
        // AWS answers ValidUntil for every provider (GetSAMLProvider recorded 13-02-2026 in LocalStack's
        // test_iam_saml_providers snapshot, for metadata without a validUntil attribute whose certificate
        // expires in a year): without the attribute, it is when the first signing certificate expires.
        // Metadata dates may carry fractions of a second; IAM keeps whole seconds.
        let expiry = metadata.validUntil ?? metadata.signingCertificates.compactMap(\.notAfter).min()
        return expiry.map { $0.timeIntervalSince1970.rounded(.down) }
    }

    static func privateKey(_ pem: String, id: String, _ now: Timestamp) throws(AWSError) -> PrivateKey {
        guard pem.contains("PRIVATE KEY-----") else { throw IAMError.malformedPrivateKey }
        return PrivateKey(keyId: id, timestamp: now.secondsSince1970, pem: pem)
    }

    /// 26 characters of `[A-Z0-9]` (the model's `privateKeyIdType`).
    static func newKeyId(_ context: OperationContext) -> String {
        String(Base32.encode(context.ids.randomBytes(17)).prefix(26))
    }

}

/// A SAML provider named by ARN in an operation's input, loaded in its
/// transaction (the caller's account's only): authorized on the ARN as given,
/// acted on if it exists.
struct SAMLProviderTarget: IAMTaggable {
    let arn: String
    let provider: SAMLProviderRecord?

    init(_ arn: String, _ context: OperationContext, _ tx: Transaction) throws {
        self.arn = arn
        provider = try tx.fetch(SAMLProviderRecord.self, key: arn).flatMap { $0.accountId == context.accountId ? $0 : nil }
    }

    var resource: String { arn }
    var facts: ResourceFacts { .loaded(nil) }

    func existing() throws -> SAMLProviderRecord {
        guard let provider else { throw IAMError.noSuchSAMLProvider(arn) }
        return provider
    }

    /// Providers' tags are kept under their ARN.
    var taggedId: String { get throws { try existing().arn } }
}

extension IAMShapes.TagSAMLProviderRequest: TagRequest {
    func target(_ context: OperationContext, _ tx: Transaction) throws -> SAMLProviderTarget {
        try SAMLProviderTarget(samlProviderArn, context, tx)
    }
}
extension IAMShapes.UntagSAMLProviderRequest: UntagRequest {
    func target(_ context: OperationContext, _ tx: Transaction) throws -> SAMLProviderTarget {
        try SAMLProviderTarget(samlProviderArn, context, tx)
    }
}
extension IAMShapes.ListSAMLProviderTagsRequest: ListTagsRequest {
    func target(_ context: OperationContext, _ tx: Transaction) throws -> SAMLProviderTarget {
        try SAMLProviderTarget(samlProviderArn, context, tx)
    }
}
extension IAMShapes.ListSAMLProviderTagsResponse: ListTagsResponse {}
