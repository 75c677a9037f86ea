import AWSShapes
import GRDB
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
        r.register(IAMOperation.UploadSigningCertificate.self, access: .check { input, context in
            [AccessRequest(action: "iam:UploadSigningCertificate", resource: try Resource.userOrCaller(input.userName, context))]
        }) { input, context in
            let id = String(Base32.encode(context.ids.randomBytes(18)).prefix(idLength))
            return try await context.store.write { db in
                let user = try owner(input.userName, context, db)
                guard let certificate = X509Certificate(pem: input.certificateBody) else {
                    throw IAMError.malformedCertificate(input.certificateBody)
                }
                let bodies = try String.fetchAll(db, cached: """
                    SELECT c.body FROM signingCertificate c JOIN user u ON u.id = c.userId WHERE u.accountId = ?
                    """, arguments: [context.accountId])
                if bodies.contains(where: { X509Certificate(pem: $0)?.der == certificate.der }) { throw IAMError.duplicateSigningCertificate }
                let count = try Int.fetchOne(db, cached: "SELECT count(*) FROM signingCertificate WHERE userId = ?", arguments: [user.id]) ?? 0
                if count >= perUser { throw IAMError.tooManySigningCertificates }
                let record = SigningCertificateRecord(
                    id: id, userId: user.id, body: input.certificateBody, status: "Active", uploadedAt: context.now.secondsSince1970)
                try record.insert(db)
                return IAMShapes.UploadSigningCertificateResponse(certificate: shape(record, user.name))
            }
        }

        r.register(IAMOperation.ListSigningCertificates.self, access: .check { input, context in
            [AccessRequest(action: "iam:ListSigningCertificates", resource: try Resource.userOrCaller(input.userName, context))]
        }) { input, context in
            try await context.store.read { db in
                let user = try owner(input.userName, context, db)
                let records = try SigningCertificateRecord.fetchAll(
                    db, cached: "SELECT * FROM signingCertificate WHERE userId = ? ORDER BY uploadedAt", arguments: [user.id])
                let page = try Page(records, marker: input.marker, maxItems: input.maxItems)
                return IAMShapes.ListSigningCertificatesResponse(
                    certificates: page.items.map { shape($0, user.name) }, isTruncated: page.isTruncated, marker: page.marker)
            }
        }

        r.register(IAMOperation.UpdateSigningCertificate.self, access: .check { input, context in
            [AccessRequest(action: "iam:UpdateSigningCertificate", resource: try Resource.userOrCaller(input.userName, context))]
        }) { input, context in
            try await context.store.write { db in
                var record = try find(input.certificateId, try owner(input.userName, context, db), db)
                record.status = input.status
                try record.update(db)
                return EmptyShape()
            }
        }

        r.register(IAMOperation.DeleteSigningCertificate.self, access: .check { input, context in
            [AccessRequest(action: "iam:DeleteSigningCertificate", resource: try Resource.userOrCaller(input.userName, context))]
        }) { input, context in
            try await context.store.write { db in
                _ = try find(input.certificateId, try owner(input.userName, context, db), db).delete(db)
                return EmptyShape()
            }
        }
    }

    /// The named user or the calling one. The root user's own certificates
    /// are not kept (the table belongs to IAM users), so root must name a user.
    static func owner(_ userName: String?, _ context: OperationContext, _ db: Database) throws -> UserRecord {
        guard let name = userName ?? Users.callerUserName(context) else { throw IAMError.userNameRequired }
        return try Users.find(name, context.accountId, db)
    }

    static func find(_ id: String, _ user: UserRecord, _ db: Database) throws -> SigningCertificateRecord {
        guard let record = try SigningCertificateRecord.fetchOne(db, key: id), record.userId == user.id else {
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
