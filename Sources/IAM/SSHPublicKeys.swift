import AWSShapes
import GRDB
import Hashing
import ServiceKit
import Storage

/// SSH public keys of IAM users (for CodeCommit): upload, read in OpenSSH or
/// PEM encoding, list, activate/deactivate, delete. At most five per user.
enum SSHPublicKeys {
    static let perUser = 5
    /// CodeCommit takes RSA keys of at least 2048 bits.
    static let minimumModulusBits = 2048

    static func register(_ r: inout QueryService.Registrar) {
        r.register(IAMOperation.UploadSSHPublicKey.self, access: .check { input, context in
            [AccessRequest(action: "iam:UploadSSHPublicKey", resource: try Resource.user(input.userName, context))]
        }) { input, context in
            let id = context.ids.uniqueId(.sshPublicKey)
            return try await context.store.write { db in
                let user = try Users.find(input.userName, context.accountId, db)
                let key = try RSAPublicKey(input.sshPublicKeyBody)
                let body = key.openSSH
                let existing = try SSHPublicKeyRecord.fetchAll(db, cached: "SELECT * FROM sshPublicKey WHERE userId = ?", arguments: [user.id])
                if existing.contains(where: { $0.fingerprint == key.fingerprint }) { throw IAMError.duplicateSSHPublicKey }
                if existing.count >= perUser { throw IAMError.tooManySSHPublicKeys }
                let record = SSHPublicKeyRecord(
                    id: id, userId: user.id, body: body, fingerprint: key.fingerprint, status: "Active",
                    uploadedAt: context.now.secondsSince1970)
                try record.insert(db)
                return IAMShapes.UploadSSHPublicKeyResponse(sshPublicKey: shape(record, user.name, body: body))
            }
        }

        r.register(IAMOperation.GetSSHPublicKey.self, access: .check { input, context in
            [AccessRequest(action: "iam:GetSSHPublicKey", resource: try Resource.user(input.userName, context))]
        }) { input, context in
            try await context.store.read { db in
                let user = try Users.find(input.userName, context.accountId, db)
                let record = try find(input.sshPublicKeyId, user, db)
                let body = input.encoding == "PEM" ? try RSAPublicKey(record.body).pem : record.body
                return IAMShapes.GetSSHPublicKeyResponse(sshPublicKey: shape(record, user.name, body: body))
            }
        }

        r.register(IAMOperation.ListSSHPublicKeys.self, access: .check { input, context in
            [AccessRequest(action: "iam:ListSSHPublicKeys", resource: try Resource.userOrCaller(input.userName, context))]
        }) { input, context in
            try await context.store.read { db in
                let owner = try AccessKeys.target(input.userName, context, db)
                let keys = try SSHPublicKeyRecord.fetchAll(
                    db, cached: "SELECT * FROM sshPublicKey WHERE userId = ? ORDER BY uploadedAt", arguments: [owner.userId])
                let page = try Page(keys, marker: input.marker, maxItems: input.maxItems)
                return IAMShapes.ListSSHPublicKeysResponse(
                    isTruncated: page.isTruncated, marker: page.marker,
                    sshPublicKeys: page.items.map {
                        IAMShapes.SSHPublicKeyMetadata(
                            sshPublicKeyId: $0.id, status: $0.status, uploadDate: Timestamp(secondsSince1970: $0.uploadedAt),
                            userName: owner.name)
                    })
            }
        }

        r.register(IAMOperation.UpdateSSHPublicKey.self, access: .check { input, context in
            [AccessRequest(action: "iam:UpdateSSHPublicKey", resource: try Resource.user(input.userName, context))]
        }) { input, context in
            try await context.store.write { db in
                var record = try find(input.sshPublicKeyId, try Users.find(input.userName, context.accountId, db), db)
                record.status = input.status
                try record.update(db)
                return EmptyShape()
            }
        }

        r.register(IAMOperation.DeleteSSHPublicKey.self, access: .check { input, context in
            [AccessRequest(action: "iam:DeleteSSHPublicKey", resource: try Resource.user(input.userName, context))]
        }) { input, context in
            try await context.store.write { db in
                _ = try find(input.sshPublicKeyId, try Users.find(input.userName, context.accountId, db), db).delete(db)
                return EmptyShape()
            }
        }
    }

    static func find(_ id: String, _ user: UserRecord, _ db: Database) throws -> SSHPublicKeyRecord {
        guard let record = try SSHPublicKeyRecord.fetchOne(db, key: id), record.userId == user.id else {
            throw IAMError.noSuchSSHPublicKey(id)
        }
        return record
    }

    static func shape(_ record: SSHPublicKeyRecord, _ userName: String, body: String) -> IAMShapes.SSHPublicKey {
        IAMShapes.SSHPublicKey(
            fingerprint: record.fingerprint, sshPublicKeyBody: body, sshPublicKeyId: record.id, status: record.status,
            uploadDate: Timestamp(secondsSince1970: record.uploadedAt), userName: userName)
    }
}
