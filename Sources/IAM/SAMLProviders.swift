import AWSShapes
import Foundation
import GRDB
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
    struct PrivateKey: Codable, Sendable {
        var keyId: String
        var timestamp: Double
        var pem: String
    }

    static func register(_ r: inout QueryService.Registrar) {
        r.register(IAMOperation.CreateSAMLProvider.self, access: .check { input, context in
            [AccessRequest(
                action: "iam:CreateSAMLProvider", resource: IAMArn.samlProvider(context.accountId, name: input.name),
                keys: IAMTags.requestKeys(input.tags))]
        }) { input, context in
            let arn = IAMArn.samlProvider(context.accountId, name: input.name)
            let uuid = context.ids.uuid()
            let keyId = newKeyId(context)
            return try await context.store.write { db in
                if try SAMLProviderRecord.fetchOne(db, key: arn) != nil { throw IAMError.samlProviderExists(input.name) }
                let validUntil = try validity(input.samlMetadataDocument)
                if let tags = input.tags { try IAMTags.validate(tags) }
                let count = try Int.fetchOne(db, cached: "SELECT count(*) FROM samlProvider WHERE accountId = ?", arguments: [context.accountId]) ?? 0
                if count >= perAccount { throw IAMError.tooManySAMLProviders }
                var keys: [PrivateKey] = []
                if let pem = input.addPrivateKey {
                    keys.append(try privateKey(pem, id: keyId, context.now))
                }
                try SAMLProviderRecord(
                    arn: arn, accountId: context.accountId, name: input.name, metadata: input.samlMetadataDocument,
                    createdAt: context.now.secondsSince1970, validUntil: validUntil, uuid: uuid,
                    assertionEncryptionMode: input.assertionEncryptionMode ?? "Allowed", privateKeys: try encode(keys)
                ).insert(db)
                if let tags = input.tags { try IAMTags.apply(db, arn, tags) }
                let tags = try IAMTags.load(db, arn)
                return IAMShapes.CreateSAMLProviderResponse(samlProviderArn: arn, tags: tags.isEmpty ? nil : tags)
            }
        }

        r.register(IAMOperation.GetSAMLProvider.self, access: .check { input, _ in
            [AccessRequest(action: "iam:GetSAMLProvider", resource: input.samlProviderArn)]
        }) { input, context in
            try await context.store.read { db in
                let provider = try find(input.samlProviderArn, context.accountId, db)
                return IAMShapes.GetSAMLProviderResponse(
                    assertionEncryptionMode: provider.assertionEncryptionMode ?? "Allowed",
                    createDate: Timestamp(secondsSince1970: provider.createdAt),
                    privateKeyList: try decode(provider.privateKeys).map {
                        IAMShapes.SAMLPrivateKey(keyId: $0.keyId, timestamp: Timestamp(secondsSince1970: $0.timestamp))
                    },
                    samlMetadataDocument: provider.metadata, samlProviderUUID: provider.uuid, tags: try IAMTags.load(db, provider.arn),
                    validUntil: provider.validUntil.map { Timestamp(secondsSince1970: $0) })
            }
        }

        r.register(IAMOperation.ListSAMLProviders.self, access: .check { _, _ in
            [AccessRequest(action: "iam:ListSAMLProviders", resource: "*")]
        }) { _, context in
            try await context.store.read { db in
                let providers = try SAMLProviderRecord.fetchAll(
                    db, cached: "SELECT * FROM samlProvider WHERE accountId = ? ORDER BY arn", arguments: [context.accountId])
                return IAMShapes.ListSAMLProvidersResponse(samlProviderList: providers.map {
                    IAMShapes.SAMLProviderListEntry(
                        arn: $0.arn, createDate: Timestamp(secondsSince1970: $0.createdAt),
                        validUntil: $0.validUntil.map { Timestamp(secondsSince1970: $0) })
                })
            }
        }

        r.register(IAMOperation.UpdateSAMLProvider.self, access: .check { input, _ in
            [AccessRequest(action: "iam:UpdateSAMLProvider", resource: input.samlProviderArn)]
        }) { input, context in
            let keyId = newKeyId(context)
            return try await context.store.write { db in
                var provider = try find(input.samlProviderArn, context.accountId, db)
                if let document = input.samlMetadataDocument {
                    provider.validUntil = try validity(document)
                    provider.metadata = document
                }
                if let mode = input.assertionEncryptionMode { provider.assertionEncryptionMode = mode }
                var keys = try decode(provider.privateKeys)
                if let removed = input.removePrivateKey {
                    guard keys.contains(where: { $0.keyId == removed }) else { throw IAMError.noSuchSAMLPrivateKey(removed) }
                    keys.removeAll { $0.keyId == removed }
                }
                if let pem = input.addPrivateKey {
                    if keys.count >= privateKeyLimit { throw IAMError.quota("PrivateKeysPerSAMLProvider", privateKeyLimit) }
                    keys.append(try privateKey(pem, id: keyId, context.now))
                }
                provider.privateKeys = try encode(keys)
                try provider.update(db)
                return IAMShapes.UpdateSAMLProviderResponse(samlProviderArn: provider.arn)
            }
        }

        r.register(IAMOperation.DeleteSAMLProvider.self, access: .check { input, _ in
            [AccessRequest(action: "iam:DeleteSAMLProvider", resource: input.samlProviderArn)]
        }) { input, context in
            try await context.store.write { db in
                let provider = try find(input.samlProviderArn, context.accountId, db)
                try IAMTags.removeAll(db, provider.arn)
                _ = try provider.delete(db)
                return EmptyShape()
            }
        }

        r.register(IAMOperation.TagSAMLProvider.self, access: .check { input, _ in
            [AccessRequest(action: "iam:TagSAMLProvider", resource: input.samlProviderArn, keys: IAMTags.requestKeys(input.tags))]
        }) { input, context in
            try await context.store.write { db in
                try IAMTags.apply(db, try find(input.samlProviderArn, context.accountId, db).arn, input.tags)
                return EmptyShape()
            }
        }

        r.register(IAMOperation.UntagSAMLProvider.self, access: .check { input, _ in
            [AccessRequest(action: "iam:UntagSAMLProvider", resource: input.samlProviderArn, keys: ["aws:TagKeys": input.tagKeys])]
        }) { input, context in
            try await context.store.write { db in
                try IAMTags.remove(db, try find(input.samlProviderArn, context.accountId, db).arn, keys: input.tagKeys)
                return EmptyShape()
            }
        }

        r.register(IAMOperation.ListSAMLProviderTags.self, access: .check { input, _ in
            [AccessRequest(action: "iam:ListSAMLProviderTags", resource: input.samlProviderArn)]
        }) { input, context in
            try await context.store.read { db in
                let provider = try find(input.samlProviderArn, context.accountId, db)
                let page = try IAMTags.page(try IAMTags.load(db, provider.arn), marker: input.marker, maxItems: input.maxItems)
                return IAMShapes.ListSAMLProviderTagsResponse(isTruncated: page.isTruncated, marker: page.marker, tags: page.items)
            }
        }
    }

    static func find(_ arn: String, _ account: String, _ db: Database) throws -> SAMLProviderRecord {
        guard let provider = try SAMLProviderRecord.fetchOne(db, key: arn), provider.accountId == account else {
            throw IAMError.noSuchSAMLProvider(arn)
        }
        return provider
    }

    /// Reads the metadata as AssumeRoleWithSAML will (`SAMLMetadata.parse`: well-formed XML without a
    /// DOCTYPE, an IdP EntityDescriptor with an entityID and an RSA signing certificate of at least 1024
    /// bits), so a provider is never stored with metadata that cannot be used; anything else is refused
    /// before a write with `InvalidInput` "Could not parse metadata." Its `validUntil`, if any, is when
    /// the provider expires.
    static func validity(_ document: String) throws(AWSError) -> Double? {
        let metadata: SAMLMetadata
        do {
            metadata = try SAMLMetadata.parse(document)
        } catch {
            throw IAMError.invalidSAMLMetadata
        }
        // Metadata dates may carry fractions of a second; IAM keeps whole seconds.
        return metadata.validUntil.map { $0.timeIntervalSince1970.rounded(.down) }
    }

    static func privateKey(_ pem: String, id: String, _ now: Timestamp) throws(AWSError) -> PrivateKey {
        guard pem.contains("PRIVATE KEY-----") else { throw IAMError.malformedPrivateKey }
        return PrivateKey(keyId: id, timestamp: now.secondsSince1970, pem: pem)
    }

    /// 26 characters of `[A-Z0-9]` (the model's `privateKeyIdType`).
    static func newKeyId(_ context: OperationContext) -> String {
        String(Base32.encode(context.ids.randomBytes(17)).prefix(26))
    }

    static func encode(_ keys: [PrivateKey]) throws -> String { String(decoding: try JSONEncoder().encode(keys), as: UTF8.self) }

    static func decode(_ text: String?) throws -> [PrivateKey] {
        guard let text else { return [] }
        return try JSONDecoder().decode([PrivateKey].self, from: Data(text.utf8))
    }
}
