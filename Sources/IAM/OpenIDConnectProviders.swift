import AWSShapes
import Foundation
import GRDB
import ServiceKit
import Storage

/// OpenID Connect identity providers (the issuers AssumeRoleWithWebIdentity
/// trusts): create, read, list, delete, client ids, thumbprints, tags.
enum OpenIDConnectProviders {
    static let clientIdLimit = 100
    static let thumbprintLimit = 5
    static let perAccount = 100

    static func register(_ r: inout QueryService.Registrar) {
        r.register(IAMOperation.CreateOpenIDConnectProvider.self, access: .check { input, context in
            [AccessRequest(
                action: "iam:CreateOpenIDConnectProvider",
                resource: IAMArn.oidcProvider(context.accountId, url: normalized(input.url) ?? input.url), keys: IAMTags.requestKeys(input.tags))]
        }) { input, context in
            guard let url = normalized(input.url) else { throw IAMError.invalidOIDCURL }
            let arn = IAMArn.oidcProvider(context.accountId, url: url)
            return try await context.store.write { db in
                if try OIDCProviderRecord.fetchOne(db, key: arn) != nil { throw IAMError.oidcProviderExists(input.url) }
                let thumbprints = input.thumbprintList ?? []
                if thumbprints.count > thumbprintLimit { throw IAMError.tooManyThumbprints }
                let clientIds = unique(input.clientIDList ?? [])
                if clientIds.count > clientIdLimit { throw IAMError.tooManyClientIds }
                if let tags = input.tags { try IAMTags.validate(tags) }
                let count = try Int.fetchOne(db, cached: "SELECT count(*) FROM oidcProvider WHERE accountId = ?", arguments: [context.accountId]) ?? 0
                if count >= perAccount { throw IAMError.tooManyOIDCProviders }
                try OIDCProviderRecord(
                    arn: arn, accountId: context.accountId, url: url, clientIds: try encode(clientIds), thumbprints: try encode(thumbprints),
                    createdAt: context.now.secondsSince1970
                ).insert(db)
                if let tags = input.tags { try IAMTags.apply(db, arn, tags) }
                let tags = try IAMTags.load(db, arn)
                return IAMShapes.CreateOpenIDConnectProviderResponse(openIDConnectProviderArn: arn, tags: tags.isEmpty ? nil : tags)
            }
        }

        r.register(IAMOperation.GetOpenIDConnectProvider.self, access: .check { input, _ in
            [AccessRequest(action: "iam:GetOpenIDConnectProvider", resource: input.openIDConnectProviderArn)]
        }) { input, context in
            try await context.store.read { db in
                let provider = try find(input.openIDConnectProviderArn, context.accountId, db)
                return IAMShapes.GetOpenIDConnectProviderResponse(
                    clientIDList: try decode(provider.clientIds), createDate: Timestamp(secondsSince1970: provider.createdAt),
                    tags: try IAMTags.load(db, provider.arn), thumbprintList: try decode(provider.thumbprints), url: provider.url)
            }
        }

        r.register(IAMOperation.ListOpenIDConnectProviders.self, access: .check { _, _ in
            [AccessRequest(action: "iam:ListOpenIDConnectProviders", resource: "*")]
        }) { _, context in
            try await context.store.read { db in
                let arns = try String.fetchAll(
                    db, cached: "SELECT arn FROM oidcProvider WHERE accountId = ? ORDER BY arn", arguments: [context.accountId])
                return IAMShapes.ListOpenIDConnectProvidersResponse(
                    openIDConnectProviderList: arns.map { IAMShapes.OpenIDConnectProviderListEntry(arn: $0) })
            }
        }

        r.register(IAMOperation.DeleteOpenIDConnectProvider.self, access: .check { input, _ in
            [AccessRequest(action: "iam:DeleteOpenIDConnectProvider", resource: input.openIDConnectProviderArn)]
        }) { input, context in
            try await context.store.write { db in
                guard let provider = try OIDCProviderRecord.fetchOne(db, key: input.openIDConnectProviderArn),
                    provider.accountId == context.accountId
                else { throw IAMError.noSuchOIDCProviderToDelete(input.openIDConnectProviderArn) }
                try IAMTags.removeAll(db, provider.arn)
                _ = try provider.delete(db)
                return EmptyShape()
            }
        }

        r.register(IAMOperation.AddClientIDToOpenIDConnectProvider.self, access: .check { input, _ in
            [AccessRequest(action: "iam:AddClientIDToOpenIDConnectProvider", resource: input.openIDConnectProviderArn)]
        }) { input, context in
            try await context.store.write { db in
                var provider = try find(input.openIDConnectProviderArn, context.accountId, db)
                var clientIds = try decode(provider.clientIds)
                guard !clientIds.contains(input.clientID) else { return EmptyShape() }
                if clientIds.count >= clientIdLimit { throw IAMError.tooManyClientIds }
                clientIds.append(input.clientID)
                provider.clientIds = try encode(clientIds)
                try provider.update(db)
                return EmptyShape()
            }
        }

        r.register(IAMOperation.RemoveClientIDFromOpenIDConnectProvider.self, access: .check { input, _ in
            [AccessRequest(action: "iam:RemoveClientIDFromOpenIDConnectProvider", resource: input.openIDConnectProviderArn)]
        }) { input, context in
            // Removing a client id that is not there succeeds (the API reference says so).
            try await context.store.write { db in
                var provider = try find(input.openIDConnectProviderArn, context.accountId, db)
                provider.clientIds = try encode(try decode(provider.clientIds).filter { $0 != input.clientID })
                try provider.update(db)
                return EmptyShape()
            }
        }

        r.register(IAMOperation.UpdateOpenIDConnectProviderThumbprint.self, access: .check { input, _ in
            [AccessRequest(action: "iam:UpdateOpenIDConnectProviderThumbprint", resource: input.openIDConnectProviderArn)]
        }) { input, context in
            try await context.store.write { db in
                var provider = try find(input.openIDConnectProviderArn, context.accountId, db)
                if input.thumbprintList.count > thumbprintLimit { throw IAMError.tooManyThumbprints }
                provider.thumbprints = try encode(input.thumbprintList)
                try provider.update(db)
                return EmptyShape()
            }
        }

        r.register(IAMOperation.TagOpenIDConnectProvider.self, access: .check { input, _ in
            [AccessRequest(
                action: "iam:TagOpenIDConnectProvider", resource: input.openIDConnectProviderArn, keys: IAMTags.requestKeys(input.tags))]
        }) { input, context in
            try await context.store.write { db in
                try IAMTags.apply(db, try find(input.openIDConnectProviderArn, context.accountId, db).arn, input.tags)
                return EmptyShape()
            }
        }

        r.register(IAMOperation.UntagOpenIDConnectProvider.self, access: .check { input, _ in
            [AccessRequest(
                action: "iam:UntagOpenIDConnectProvider", resource: input.openIDConnectProviderArn, keys: ["aws:TagKeys": input.tagKeys])]
        }) { input, context in
            try await context.store.write { db in
                try IAMTags.remove(db, try find(input.openIDConnectProviderArn, context.accountId, db).arn, keys: input.tagKeys)
                return EmptyShape()
            }
        }

        r.register(IAMOperation.ListOpenIDConnectProviderTags.self, access: .check { input, _ in
            [AccessRequest(action: "iam:ListOpenIDConnectProviderTags", resource: input.openIDConnectProviderArn)]
        }) { input, context in
            try await context.store.read { db in
                let provider = try find(input.openIDConnectProviderArn, context.accountId, db)
                let page = try IAMTags.page(try IAMTags.load(db, provider.arn), marker: input.marker, maxItems: input.maxItems)
                return IAMShapes.ListOpenIDConnectProviderTagsResponse(isTruncated: page.isTruncated, marker: page.marker, tags: page.items)
            }
        }
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

    static func find(_ arn: String, _ account: String, _ db: Database) throws -> OIDCProviderRecord {
        guard let provider = try OIDCProviderRecord.fetchOne(db, key: arn), provider.accountId == account else {
            throw IAMError.noSuchOIDCProvider(arn)
        }
        return provider
    }

    static func unique(_ values: [String]) -> [String] {
        var seen: Set<String> = []
        return values.filter { seen.insert($0).inserted }
    }

    static func encode(_ values: [String]) throws -> String { String(decoding: try JSONEncoder().encode(values), as: UTF8.self) }

    static func decode(_ text: String) throws -> [String] { try JSONDecoder().decode([String].self, from: Data(text.utf8)) }
}
