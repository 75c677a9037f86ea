import AWSShapes
import GRDB
import Hashing
import ServiceKit
import Storage

/// Server certificates (for load balancers and CloudFront): upload with the
/// matching private key, read, list, rename or move, delete, tag. The
/// expiration comes from the certificate; the private key is never kept.
enum ServerCertificates {
    static let perAccount = 20

    static func register(_ r: inout QueryService.Registrar) {
        r.register(IAMOperation.UploadServerCertificate.self, access: .check { input, context in
            [AccessRequest(
                action: "iam:UploadServerCertificate",
                resource: IAMArn.serverCertificate(context.accountId, path: input.path ?? "/", name: input.serverCertificateName),
                keys: IAMTags.requestKeys(input.tags))]
        }) { input, context in
            let id = context.ids.uniqueId(.serverCertificate)
            return try await context.store.write { db in
                if try exists(input.serverCertificateName, context.accountId, db) {
                    throw IAMError.serverCertificateExists(input.serverCertificateName)
                }
                guard let certificate = X509Certificate(pem: input.certificateBody) else {
                    throw IAMError.malformedCertificate(input.certificateBody)
                }
                guard let matches = X509Certificate.privateKey(input.privateKey, matches: input.certificateBody) else {
                    throw IAMError.malformedPrivateKey
                }
                guard matches else { throw IAMError.keyPairMismatch }
                if let chain = input.certificateChain, X509Certificate.chainLength(chain) == nil { throw IAMError.malformedChain }
                if let tags = input.tags { try IAMTags.validate(tags) }
                let count = try Int.fetchOne(db, cached: "SELECT count(*) FROM serverCertificate WHERE accountId = ?", arguments: [context.accountId]) ?? 0
                if count >= perAccount { throw IAMError.tooManyServerCertificates }
                let record = ServerCertificateRecord(
                    id: id, accountId: context.accountId, name: input.serverCertificateName, path: input.path ?? "/",
                    body: input.certificateBody, chain: input.certificateChain, expiresAt: certificate.notAfter,
                    uploadedAt: context.now.secondsSince1970)
                try record.insert(db)
                if let tags = input.tags { try IAMTags.apply(db, id, tags) }
                let tags = try IAMTags.load(db, id)
                return IAMShapes.UploadServerCertificateResponse(serverCertificateMetadata: metadata(record), tags: tags.isEmpty ? nil : tags)
            }
        }

        r.register(IAMOperation.GetServerCertificate.self, access: .check { input, context in
            [AccessRequest(action: "iam:GetServerCertificate", resource: try Resource.serverCertificate(input.serverCertificateName, context))]
        }) { input, context in
            try await context.store.read { db in
                let record = try find(input.serverCertificateName, context.accountId, db)
                return IAMShapes.GetServerCertificateResponse(serverCertificate: IAMShapes.ServerCertificate(
                    certificateBody: record.body, certificateChain: record.chain, serverCertificateMetadata: metadata(record),
                    tags: try IAMTags.load(db, record.id)))
            }
        }

        r.register(IAMOperation.ListServerCertificates.self, access: .check { _, _ in
            [AccessRequest(action: "iam:ListServerCertificates", resource: "*")]
        }) { input, context in
            try await context.store.read { db in
                let prefix = input.pathPrefix ?? "/"
                let records = try ServerCertificateRecord.fetchAll(
                    db, cached: "SELECT * FROM serverCertificate WHERE accountId = ? AND substr(path, 1, length(?)) = ?",
                    arguments: [context.accountId, prefix, prefix]
                ).sortedByName(\.name)
                let page = try Page(records, marker: input.marker, maxItems: input.maxItems)
                return IAMShapes.ListServerCertificatesResponse(
                    isTruncated: page.isTruncated, marker: page.marker, serverCertificateMetadataList: page.items.map(metadata))
            }
        }

        r.register(IAMOperation.UpdateServerCertificate.self, access: .check { input, context in
            var requests = [AccessRequest(
                action: "iam:UpdateServerCertificate", resource: try Resource.serverCertificate(input.serverCertificateName, context))]
            if input.newServerCertificateName != nil || input.newPath != nil {
                // Renaming or moving needs permission on the new ARN too (IAM User Guide).
                let current = try context.store.read { db in try ServerCertificateRecord.fetchOne(
                    db, cached: "SELECT * FROM serverCertificate WHERE accountId = ? AND name = ?",
                    arguments: [context.accountId, input.serverCertificateName]) }
                requests.append(AccessRequest(
                    action: "iam:UpdateServerCertificate",
                    resource: IAMArn.serverCertificate(
                        context.accountId, path: input.newPath ?? current?.path ?? "/",
                        name: input.newServerCertificateName ?? input.serverCertificateName)))
            }
            return requests
        }) { input, context in
            try await context.store.write { db in
                var record = try find(input.serverCertificateName, context.accountId, db)
                if let newName = input.newServerCertificateName, newName.lowercased() != record.name.lowercased(),
                    try exists(newName, context.accountId, db)
                {
                    throw IAMError.serverCertificateExists(newName)
                }
                if let newName = input.newServerCertificateName { record.name = newName }
                if let newPath = input.newPath { record.path = newPath }
                try record.update(db)
                return EmptyShape()
            }
        }

        r.register(IAMOperation.DeleteServerCertificate.self, access: .check { input, context in
            [AccessRequest(action: "iam:DeleteServerCertificate", resource: try Resource.serverCertificate(input.serverCertificateName, context))]
        }) { input, context in
            try await context.store.write { db in
                let record = try find(input.serverCertificateName, context.accountId, db)
                try IAMTags.removeAll(db, record.id)
                _ = try record.delete(db)
                return EmptyShape()
            }
        }

        r.register(IAMOperation.TagServerCertificate.self, access: .check { input, context in
            [AccessRequest(
                action: "iam:TagServerCertificate", resource: try Resource.serverCertificate(input.serverCertificateName, context),
                keys: IAMTags.requestKeys(input.tags))]
        }) { input, context in
            try await context.store.write { db in
                try IAMTags.apply(db, try find(input.serverCertificateName, context.accountId, db).id, input.tags)
                return EmptyShape()
            }
        }

        r.register(IAMOperation.UntagServerCertificate.self, access: .check { input, context in
            [AccessRequest(
                action: "iam:UntagServerCertificate", resource: try Resource.serverCertificate(input.serverCertificateName, context),
                keys: ["aws:TagKeys": input.tagKeys])]
        }) { input, context in
            try await context.store.write { db in
                try IAMTags.remove(db, try find(input.serverCertificateName, context.accountId, db).id, keys: input.tagKeys)
                return EmptyShape()
            }
        }

        r.register(IAMOperation.ListServerCertificateTags.self, access: .check { input, context in
            [AccessRequest(
                action: "iam:ListServerCertificateTags", resource: try Resource.serverCertificate(input.serverCertificateName, context))]
        }) { input, context in
            try await context.store.read { db in
                let record = try find(input.serverCertificateName, context.accountId, db)
                let page = try IAMTags.page(try IAMTags.load(db, record.id), marker: input.marker, maxItems: input.maxItems)
                return IAMShapes.ListServerCertificateTagsResponse(isTruncated: page.isTruncated, marker: page.marker, tags: page.items)
            }
        }
    }

    static func exists(_ name: String, _ account: String, _ db: Database) throws -> Bool {
        try ServerCertificateRecord.fetchOne(
            db, cached: "SELECT * FROM serverCertificate WHERE accountId = ? AND name = ?", arguments: [account, name]) != nil
    }

    static func find(_ name: String, _ account: String, _ db: Database) throws -> ServerCertificateRecord {
        guard let record = try ServerCertificateRecord.fetchOne(
            db, cached: "SELECT * FROM serverCertificate WHERE accountId = ? AND name = ?", arguments: [account, name])
        else { throw IAMError.noSuchServerCertificate(name) }
        return record
    }

    static func metadata(_ record: ServerCertificateRecord) -> IAMShapes.ServerCertificateMetadata {
        IAMShapes.ServerCertificateMetadata(
            arn: IAMArn.serverCertificate(record.accountId, path: record.path, name: record.name),
            expiration: record.expiresAt.map { Timestamp(secondsSince1970: $0) }, path: record.path, serverCertificateId: record.id,
            serverCertificateName: record.name, uploadDate: Timestamp(secondsSince1970: record.uploadedAt))
    }
}
