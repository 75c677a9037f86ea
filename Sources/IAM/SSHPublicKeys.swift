import AWSShapes
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
        r.register(IAMOperation.UploadSSHPublicKey.self, .transaction(.write, target: UserTarget.named { $0.userName }, act: upload))
        r.register(IAMOperation.GetSSHPublicKey.self, .transaction(.read, target: UserTarget.named { $0.userName }, act: get))
        r.register(IAMOperation.ListSSHPublicKeys.self, .transaction(.read, target: UserTarget.orCaller { $0.userName }, act: list))
        r.register(IAMOperation.UpdateSSHPublicKey.self, .transaction(.write, target: UserTarget.named { $0.userName }, act: update))
        r.register(IAMOperation.DeleteSSHPublicKey.self, .transaction(.write, target: UserTarget.named { $0.userName }, act: delete))
    }

    // MARK: - Operations

    static func upload(
        _ input: IAMShapes.UploadSSHPublicKeyRequest, _ target: UserTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> IAMShapes.UploadSSHPublicKeyResponse {
        let id = context.ids.uniqueId(.sshPublicKey)
        let user = try target.existing()
        let key = try RSAPublicKey(input.sshPublicKeyBody)
        let body = key.openSSH
        let existing = try SSHPublicKeyRecord.all(ofUser: user.id, in: tx)
        if existing.contains(where: { $0.fingerprint == key.fingerprint }) { throw IAMError.duplicateSSHPublicKey }
        if existing.count >= perUser { throw IAMError.tooManySSHPublicKeys }
        let record = SSHPublicKeyRecord(
            id: id, userId: user.id, body: body, fingerprint: key.fingerprint, status: "Active", uploadedAt: context.now.secondsSince1970)
        try tx.insert(record)
        return IAMShapes.UploadSSHPublicKeyResponse(sshPublicKey: shape(record, user.name, body: body))
    }

    static func get(_ input: IAMShapes.GetSSHPublicKeyRequest, _ target: UserTarget, _ context: OperationContext, _ tx: Transaction)
        throws -> IAMShapes.GetSSHPublicKeyResponse
    {
        let user = try target.existing()
        let record = try find(input.sshPublicKeyId, user, tx)
        let body = input.encoding == "PEM" ? try RSAPublicKey(record.body).pem : record.body
        return IAMShapes.GetSSHPublicKeyResponse(sshPublicKey: shape(record, user.name, body: body))
    }

    /// The owner's keys, oldest first; the root user has none.
    static func list(_ input: IAMShapes.ListSSHPublicKeysRequest, _ target: UserTarget, _ context: OperationContext, _ tx: Transaction)
        throws -> IAMShapes.ListSSHPublicKeysResponse
    {
        let owner = try AccessKeys.owner(input.userName, target, context)
        let page = try KeysetPage(marker: input.marker, maxItems: input.maxItems) { after, limit -> [SSHPublicKeyRecord] in
            guard let userId = owner.userId else { return [] }
            return try SSHPublicKeyRecord.page(ofUser: userId, after: try after.map(AgePosition.init)?.key, limit: limit, in: tx)
        } position: { AgePosition($0.uploadedAt, $0.id).text }
        return IAMShapes.ListSSHPublicKeysResponse(
            isTruncated: page.isTruncated, marker: page.marker,
            sshPublicKeys: page.items.map {
                IAMShapes.SSHPublicKeyMetadata(
                    sshPublicKeyId: $0.id, status: $0.status, uploadDate: Timestamp(secondsSince1970: $0.uploadedAt), userName: owner.name)
            })
    }

    static func update(_ input: IAMShapes.UpdateSSHPublicKeyRequest, _ target: UserTarget, _ context: OperationContext, _ tx: Transaction)
        throws -> EmptyShape
    {
        var record = try find(input.sshPublicKeyId, try target.existing(), tx)
        record.status = input.status
        try tx.update(record)
        return EmptyShape()
    }

    static func delete(_ input: IAMShapes.DeleteSSHPublicKeyRequest, _ target: UserTarget, _ context: OperationContext, _ tx: Transaction)
        throws -> EmptyShape
    {
        try tx.delete(try find(input.sshPublicKeyId, try target.existing(), tx))
        return EmptyShape()
    }

    // MARK: - Lookup and shapes

    static func find(_ id: String, _ user: UserRecord, _ tx: Transaction) throws -> SSHPublicKeyRecord {
        guard let record = try tx.fetch(SSHPublicKeyRecord.self, key: id), record.userId == user.id else {
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
