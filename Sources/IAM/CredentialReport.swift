import AWSShapes
import Foundation
import GRDB
import ServiceKit
import Storage

/// The credential report: a CSV of every user's password, keys, MFA and
/// certificates. GenerateCredentialReport takes the snapshot and answers
/// STARTED; from the next call on the report is COMPLETE.
enum CredentialReport {
    /// AWS serves a report for four hours; after that a new one must be generated.
    static let lifetime: Double = 4 * 3600
    static let started = "No report exists. Starting a new report generation task"

    static let columns = [
        "user", "arn", "user_creation_time", "password_enabled", "password_last_used", "password_last_changed",
        "password_next_rotation", "mfa_active", "access_key_1_active", "access_key_1_last_rotated", "access_key_1_last_used_date",
        "access_key_1_last_used_region", "access_key_1_last_used_service", "access_key_2_active", "access_key_2_last_rotated",
        "access_key_2_last_used_date", "access_key_2_last_used_region", "access_key_2_last_used_service", "cert_1_active",
        "cert_1_last_rotated", "cert_2_active", "cert_2_last_rotated",
    ]

    static func register(_ r: inout QueryService.Registrar) {
        r.register(IAMOperation.GenerateCredentialReport.self, access: .check { _, _ in
            [AccessRequest(action: "iam:GenerateCredentialReport", resource: "*")]
        }) { _, context in
            try await context.store.write { db in
                let now = context.now.secondsSince1970
                if var report = try CredentialReportRecord.fetchOne(db, key: context.accountId),
                    now - (report.generatedAt ?? report.requestedAt) < lifetime
                {
                    report.state = "COMPLETE"
                    try report.update(db)
                    return IAMShapes.GenerateCredentialReportResponse(state: "COMPLETE")
                }
                let content = try csv(context, db)
                try CredentialReportRecord(
                    accountId: context.accountId, state: "STARTED", requestedAt: now, generatedAt: now, content: Data(content.utf8)
                ).save(db)
                return IAMShapes.GenerateCredentialReportResponse(description: started, state: "STARTED")
            }
        }

        r.register(IAMOperation.GetCredentialReport.self, access: .check { _, _ in
            [AccessRequest(action: "iam:GetCredentialReport", resource: "*")]
        }) { _, context in
            try await context.store.write { db in
                guard var report = try CredentialReportRecord.fetchOne(db, key: context.accountId), let content = report.content,
                    let generated = report.generatedAt
                else { throw IAMError.reportNotPresent }
                if context.now.secondsSince1970 - generated >= lifetime { throw IAMError.reportExpired }
                if report.state != "COMPLETE" {
                    report.state = "COMPLETE"
                    try report.update(db)
                }
                return IAMShapes.GetCredentialReportResponse(
                    content: Array(content), generatedTime: Timestamp(secondsSince1970: generated), reportFormat: "text/csv")
            }
        }
    }

    static func csv(_ context: OperationContext, _ db: Database) throws -> String {
        var lines = [columns.joined(separator: ",")]
        lines.append(try rootRow(context, db).joined(separator: ","))
        let policy = try PasswordPolicies.load(context.accountId, db)
        for user in try UserRecord.fetchAll(db, cached: "SELECT * FROM user WHERE accountId = ?", arguments: [context.accountId])
            .sortedByName(\.name)
        {
            lines.append(try userRow(user, policy, db).joined(separator: ","))
        }
        return lines.joined(separator: "\n")
    }

    static func rootRow(_ context: OperationContext, _ db: Database) throws -> [String] {
        let created = try AccountRecord.fetchOne(db, key: context.accountId)?.createdAt ?? 0
        let keys = try AccessKeyRecord.fetchAll(
            db, cached: "SELECT * FROM accessKey WHERE accountId = ? AND userId IS NULL ORDER BY createdAt", arguments: [context.accountId])
        return ["<root_account>", "arn:aws:iam::\(context.accountId):root", date(created), "not_supported", "no_information",
            "not_supported", "not_supported", "false"] + keyColumns(keys) + ["false", "N/A", "false", "N/A"]
    }

    static func userRow(_ user: UserRecord, _ policy: PasswordPolicies.Settings?, _ db: Database) throws -> [String] {
        let profile = try LoginProfileRecord.fetchOne(db, key: user.id)
        let changed = profile.map { $0.passwordChangedAt ?? $0.createdAt }
        let nextRotation = zip2(changed, policy?.maxPasswordAge).map { date($0.0 + Double($0.1) * 86_400) } ?? "N/A"
        let mfa = try Int.fetchOne(db, cached: "SELECT count(*) FROM mfaDevice WHERE userId = ?", arguments: [user.id]) ?? 0
        let keys = try AccessKeyRecord.fetchAll(
            db, cached: "SELECT * FROM accessKey WHERE userId = ? ORDER BY createdAt", arguments: [user.id])
        let certificates = try SigningCertificateRecord.fetchAll(
            db, cached: "SELECT * FROM signingCertificate WHERE userId = ? ORDER BY uploadedAt", arguments: [user.id])
        var row = [user.name, user.arn, date(user.createdAt), profile == nil ? "false" : "true",
            user.passwordLastUsedAt.map(date) ?? (profile == nil ? "N/A" : "no_information"), changed.map(date) ?? "N/A", nextRotation,
            mfa > 0 ? "true" : "false"]
        row += keyColumns(keys)
        for index in 0..<2 {
            let certificate = index < certificates.count ? certificates[index] : nil
            row += [certificate.map { $0.status == "Active" ? "true" : "false" } ?? "false", certificate.map { date($0.uploadedAt) } ?? "N/A"]
        }
        return row
    }

    /// Five columns for each of the first two access keys.
    static func keyColumns(_ keys: [AccessKeyRecord]) -> [String] {
        (0..<2).flatMap { index -> [String] in
            guard index < keys.count else { return ["false", "N/A", "N/A", "N/A", "N/A"] }
            let key = keys[index]
            return [key.status == "Active" ? "true" : "false", date(key.createdAt), key.lastUsedAt.map(date) ?? "N/A",
                key.lastUsedRegion ?? "N/A", key.lastUsedService ?? "N/A"]
        }
    }

    /// The report's date form: ISO 8601 with a `+00:00` offset.
    static func date(_ seconds: Double) -> String {
        String(Timestamp(secondsSince1970: seconds).iso8601.dropLast()) + "+00:00"
    }

    private static func zip2<A, B>(_ a: A?, _ b: B?) -> (A, B)? {
        guard let a, let b else { return nil }
        return (a, b)
    }
}
