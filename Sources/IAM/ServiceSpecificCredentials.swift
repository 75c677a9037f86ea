import AWSShapes
import GRDB
import Hashing
import ServiceKit
import Storage

/// Credentials an IAM user has for one service (CodeCommit Git, Amazon
/// Keyspaces, Bedrock API keys): created and reset with their secret shown
/// once, listed, activated/deactivated, deleted. Two per user per service.
enum ServiceSpecificCredentials {
    static let perUserPerService = 2
    /// The services that take them; Bedrock's are API keys (alias and secret).
    static let services: Set<String> = ["codecommit.amazonaws.com", "cassandra.amazonaws.com", "bedrock.amazonaws.com"]
    static let bedrock = "bedrock.amazonaws.com"

    static func register(_ r: inout QueryService.Registrar) {
        r.register(IAMOperation.CreateServiceSpecificCredential.self, access: .check { input, context in
            [AccessRequest(action: "iam:CreateServiceSpecificCredential", resource: try Resource.user(input.userName, context))]
        }) { input, context in
            let id = context.ids.uniqueId(.serviceCredential)
            let secret = newSecret(input.serviceName, context)
            let hash = PasswordHash.make(secret)
            return try await context.store.write { db in
                let user = try Users.find(input.userName, context.accountId, db)
                guard services.contains(input.serviceName) else { throw IAMError.serviceNotSupported(input.serviceName) }
                let count = try Int.fetchOne(
                    db, cached: "SELECT count(*) FROM serviceSpecificCredential WHERE userId = ? AND serviceName = ?",
                    arguments: [user.id, input.serviceName]) ?? 0
                if count >= perUserPerService { throw IAMError.tooManyServiceSpecificCredentials }
                let now = context.now.secondsSince1970
                let name = "\(user.name)-at-\(context.accountId)"
                let isKey = input.serviceName == bedrock
                let record = ServiceSpecificCredentialRecord(
                    id: id, accountId: context.accountId, userId: user.id, serviceName: input.serviceName,
                    serviceUserName: isKey ? nil : name, credentialAlias: isKey ? name : nil, secretHash: hash, status: "Active",
                    createdAt: now, expiresAt: input.credentialAgeDays.map { now + Double($0) * 86_400 })
                try record.insert(db)
                return IAMShapes.CreateServiceSpecificCredentialResponse(serviceSpecificCredential: shape(record, user.name, secret: secret))
            }
        }

        r.register(IAMOperation.ResetServiceSpecificCredential.self, access: .check { input, context in
            [AccessRequest(action: "iam:ResetServiceSpecificCredential", resource: try Resource.userOrCaller(input.userName, context))]
        }) { input, context in
            try await context.store.write { db in
                let user = try LoginProfiles.target(input.userName, context, db)
                var record = try find(input.serviceSpecificCredentialId, user, db)
                let secret = newSecret(record.serviceName, context)
                record.secretHash = PasswordHash.make(secret)
                try record.update(db)
                return IAMShapes.ResetServiceSpecificCredentialResponse(serviceSpecificCredential: shape(record, user.name, secret: secret))
            }
        }

        r.register(IAMOperation.ListServiceSpecificCredentials.self, access: .check { input, context in
            [AccessRequest(action: "iam:ListServiceSpecificCredentials", resource: try Resource.userOrCaller(input.userName, context))]
        }) { input, context in
            try await context.store.read { db in
                var sql = "SELECT c.*, u.name AS userName FROM serviceSpecificCredential c JOIN user u ON u.id = c.userId WHERE c.accountId = ?"
                var arguments: [(any DatabaseValueConvertible)?] = [context.accountId]
                if input.allUsers != true {
                    sql += " AND c.userId = ?"
                    arguments.append(try LoginProfiles.target(input.userName, context, db).id)
                }
                if let service = input.serviceName {
                    sql += " AND c.serviceName = ?"
                    arguments.append(service)
                }
                let rows = try Row.fetchAll(db, cached: sql + " ORDER BY c.createdAt", arguments: StatementArguments(arguments))
                let items = try rows.map { row in (try ServiceSpecificCredentialRecord(row: row), row["userName"] as String) }
                let page = try Page(items, marker: input.marker, maxItems: input.maxItems)
                return IAMShapes.ListServiceSpecificCredentialsResponse(
                    isTruncated: page.isTruncated, marker: page.marker,
                    serviceSpecificCredentials: page.items.map { metadata($0.0, $0.1) })
            }
        }

        r.register(IAMOperation.UpdateServiceSpecificCredential.self, access: .check { input, context in
            [AccessRequest(action: "iam:UpdateServiceSpecificCredential", resource: try Resource.userOrCaller(input.userName, context))]
        }) { input, context in
            try await context.store.write { db in
                var record = try find(input.serviceSpecificCredentialId, try LoginProfiles.target(input.userName, context, db), db)
                record.status = input.status
                try record.update(db)
                return EmptyShape()
            }
        }

        r.register(IAMOperation.DeleteServiceSpecificCredential.self, access: .check { input, context in
            [AccessRequest(action: "iam:DeleteServiceSpecificCredential", resource: try Resource.userOrCaller(input.userName, context))]
        }) { input, context in
            try await context.store.write { db in
                _ = try find(input.serviceSpecificCredentialId, try LoginProfiles.target(input.userName, context, db), db).delete(db)
                return EmptyShape()
            }
        }
    }

    /// A Git/Keyspaces password (44 characters), or a Bedrock API key (`ABSK…`).
    static func newSecret(_ service: String, _ context: OperationContext) -> String {
        let random = Base64.encode(context.ids.randomBytes(33))
        return service == bedrock ? "ABSK" + random : random
    }

    static func find(_ id: String, _ user: UserRecord, _ db: Database) throws -> ServiceSpecificCredentialRecord {
        guard let record = try ServiceSpecificCredentialRecord.fetchOne(db, key: id), record.userId == user.id else {
            throw IAMError.noSuchServiceSpecificCredential(id)
        }
        return record
    }

    static func shape(
        _ record: ServiceSpecificCredentialRecord, _ userName: String, secret: String
    ) -> IAMShapes.ServiceSpecificCredential {
        let isKey = record.serviceName == bedrock
        return IAMShapes.ServiceSpecificCredential(
            createDate: Timestamp(secondsSince1970: record.createdAt), expirationDate: record.expiresAt.map { Timestamp(secondsSince1970: $0) },
            serviceCredentialAlias: record.credentialAlias, serviceCredentialSecret: isKey ? secret : nil,
            serviceName: record.serviceName, servicePassword: isKey ? nil : secret, serviceSpecificCredentialId: record.id,
            serviceUserName: record.serviceUserName, status: record.status, userName: userName)
    }

    static func metadata(_ record: ServiceSpecificCredentialRecord, _ userName: String) -> IAMShapes.ServiceSpecificCredentialMetadata {
        IAMShapes.ServiceSpecificCredentialMetadata(
            createDate: Timestamp(secondsSince1970: record.createdAt), expirationDate: record.expiresAt.map { Timestamp(secondsSince1970: $0) },
            serviceCredentialAlias: record.credentialAlias, serviceName: record.serviceName, serviceSpecificCredentialId: record.id,
            serviceUserName: record.serviceUserName, status: record.status, userName: userName)
    }
}
