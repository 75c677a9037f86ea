import GRDB
import ServiceKit
import Storage

/// IAM ARNs: `arn:aws:iam::ACCOUNT:TYPE/PATH-WITHOUT-LEADING-SLASH NAME`.
enum IAMArn {
    static func role(_ account: String, path: String = "/", name: String) -> String {
        "arn:aws:iam::\(account):role\(path)\(name)"
    }

    static func user(_ account: String, path: String = "/", name: String) -> String {
        "arn:aws:iam::\(account):user\(path)\(name)"
    }

    static func group(_ account: String, path: String = "/", name: String) -> String {
        "arn:aws:iam::\(account):group\(path)\(name)"
    }

    static func policy(_ account: String, path: String = "/", name: String) -> String {
        "arn:aws:iam::\(account):policy\(path)\(name)"
    }

    static func instanceProfile(_ account: String, path: String = "/", name: String) -> String {
        "arn:aws:iam::\(account):instance-profile\(path)\(name)"
    }

    /// A virtual MFA device's serial number is its ARN.
    static func mfa(_ account: String, path: String = "/", name: String) -> String {
        "arn:aws:iam::\(account):mfa\(path)\(name)"
    }

    static func serverCertificate(_ account: String, path: String = "/", name: String) -> String {
        "arn:aws:iam::\(account):server-certificate\(path)\(name)"
    }

    /// `host/path` of the provider URL, without `https://`.
    static func oidcProvider(_ account: String, url: String) -> String {
        "arn:aws:iam::\(account):oidc-provider/\(url)"
    }

    static func samlProvider(_ account: String, name: String) -> String {
        "arn:aws:iam::\(account):saml-provider/\(name)"
    }

    /// Whether `value` has the shape of a managed policy ARN (customer or AWS).
    static func isPolicyArn(_ value: String) -> Bool {
        guard let parts = ARNParts(value), parts.service == "iam", parts.region.isEmpty else { return false }
        return parts.resource.hasPrefix("policy/") && (parts.account == "aws" || parts.account.count == 12)
    }

    /// The name at the end of an ARN's resource (`role/a/b/name` → `name`).
    static func name(of arn: String) -> String {
        String(arn.split(separator: "/").last ?? "")
    }
}

/// The ARNs authorization is asked for: an existing entity's real ARN (its
/// path included), or the ARN the request names when it does not exist.
enum Resource {
    static func role(_ name: String, _ context: OperationContext) throws -> String {
        let path = try context.store.read { db in
            try String.fetchOne(db, cached: "SELECT path FROM role WHERE accountId = ? AND name = ?", arguments: [context.accountId, name])
        }
        return IAMArn.role(context.accountId, path: path ?? "/", name: name)
    }

    static func user(_ name: String, _ context: OperationContext) throws -> String {
        let path = try context.store.read { db in
            try String.fetchOne(db, cached: "SELECT path FROM user WHERE accountId = ? AND name = ?", arguments: [context.accountId, name])
        }
        return IAMArn.user(context.accountId, path: path ?? "/", name: name)
    }

    static func group(_ name: String, _ context: OperationContext) throws -> String {
        let path = try context.store.read { db in
            try String.fetchOne(db, cached: "SELECT path FROM iamGroup WHERE accountId = ? AND name = ?", arguments: [context.accountId, name])
        }
        return IAMArn.group(context.accountId, path: path ?? "/", name: name)
    }

    /// The user an operation with an optional `UserName` acts on: the named
    /// one, or the calling user (`arn` and name).
    static func userOrCaller(_ name: String?, _ context: OperationContext) throws -> String {
        if let name { return try user(name, context) }
        return context.principal.kind == .user ? context.principal.arn : "arn:aws:iam::\(context.accountId):user/"
    }
}
