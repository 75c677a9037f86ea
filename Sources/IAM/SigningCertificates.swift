import AWSShapes
import Hashing
import ServiceKit
import Storage

/// X.509 signing certificates of IAM users: upload (a PEM certificate
/// libcrypto can read), list, activate/deactivate, delete. Two per user.
enum SigningCertificates {
    static let perUser = 2
    /// AWS's certificate ids are 28 upper-case base32 characters (`TA7SMP42TDN5Z26OBPJE7EXAMPLE`).
    static let idLength = 28

    static func register(_ r: inout QueryService.Registrar) {
        r.register(
            IAMOperation.UploadSigningCertificate.self, .transaction(.write, target: UserTarget.orCaller { $0.userName }, act: upload))
        r.register(
            IAMOperation.ListSigningCertificates.self, .transaction(.read, target: UserTarget.orCaller { $0.userName }, act: list))
        r.register(
            IAMOperation.UpdateSigningCertificate.self, .transaction(.write, target: UserTarget.orCaller { $0.userName }, act: update))
        r.register(
            IAMOperation.DeleteSigningCertificate.self, .transaction(.write, target: UserTarget.orCaller { $0.userName }, act: delete))
    }

    // MARK: - Operations

    /// The root user's own certificates are not kept (the table belongs to IAM
    /// users), so root must name a user: `UserTarget.existing` says so.
    static func upload(
        _ input: IAMShapes.UploadSigningCertificateRequest, _ target: UserTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> IAMShapes.UploadSigningCertificateResponse {
        let id = String(Base32.encode(context.ids.randomBytes(18)).prefix(idLength))
        let user = try target.existing()
        guard let certificate = X509Certificate(pem: input.certificateBody) else { throw IAMError.malformedCertificate(input.certificateBody) }
        let bodies = try SigningCertificateRecord.bodies(account: context.accountId, in: tx)
        if bodies.contains(where: { X509Certificate(pem: $0)?.der == certificate.der }) { throw IAMError.duplicateSigningCertificate }
        if try SigningCertificateRecord.count(ofUser: user.id, in: tx) >= perUser { throw IAMError.tooManySigningCertificates }
        let record = SigningCertificateRecord(
            id: id, userId: user.id, body: input.certificateBody, status: "Active", uploadedAt: context.now.secondsSince1970)
        try tx.insert(record)
        return IAMShapes.UploadSigningCertificateResponse(certificate: shape(record, user.name))
    }

    /// The user's certificates, oldest first.
    static func list(
        _ input: IAMShapes.ListSigningCertificatesRequest, _ target: UserTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> IAMShapes.ListSigningCertificatesResponse {
        let user = try target.existing()
        let page = try KeysetPage(marker: input.marker, maxItems: input.maxItems) { after, limit in
            try SigningCertificateRecord.page(ofUser: user.id, after: try after.map(AgePosition.init)?.key, limit: limit, in: tx)
        } position: { AgePosition($0.uploadedAt, $0.id).text }
        return IAMShapes.ListSigningCertificatesResponse(
            certificates: page.items.map { shape($0, user.name) }, isTruncated: page.isTruncated, marker: page.marker)
    }

    static func update(
        _ input: IAMShapes.UpdateSigningCertificateRequest, _ target: UserTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> EmptyShape {
        var record = try find(input.certificateId, try target.existing(), tx)
        record.status = input.status
        try tx.update(record)
        return EmptyShape()
    }

    static func delete(
        _ input: IAMShapes.DeleteSigningCertificateRequest, _ target: UserTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> EmptyShape {
        try tx.delete(try find(input.certificateId, try target.existing(), tx))
        return EmptyShape()
    }

    // MARK: - Lookup and shapes

    static func find(_ id: String, _ user: UserRecord, _ tx: Transaction) throws -> SigningCertificateRecord {
        guard let record = try tx.fetch(SigningCertificateRecord.self, key: id), record.userId == user.id else {
            throw IAMError.noSuchSigningCertificate(id)
        }
        return record
    }

    static func shape(_ record: SigningCertificateRecord, _ userName: String) -> IAMShapes.SigningCertificate {
        IAMShapes.SigningCertificate(
            certificateBody: record.body, certificateId: record.id, status: record.status,
            uploadDate: Timestamp(secondsSince1970: record.uploadedAt), userName: userName)
    }
}
