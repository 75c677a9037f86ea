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
    static func user(_ name: String, _ context: OperationContext, _ tx: Transaction) throws -> String {
        user(name, path: try UserRecord.named(name, account: context.accountId, in: tx)?.path, context)
    }

    /// The ARN of the user named `name` whose stored path is `path` (nil: no such user).
    static func user(_ name: String, path: String?, _ context: OperationContext) -> String {
        IAMArn.user(context.accountId, path: path ?? "/", name: name)
    }

    /// What an operation on the caller's own user is authorized on when the
    /// caller is not an IAM user and names none.
    static func noUser(_ context: OperationContext) -> String {
        "arn:aws:iam::\(context.accountId):user/"
    }

    static func group(_ name: String, _ context: OperationContext, _ tx: Transaction) throws -> String {
        group(name, path: try GroupRecord.named(name, account: context.accountId, in: tx)?.path, context)
    }

    /// The ARN of the group named `name` whose stored path is `path` (nil: no such group).
    static func group(_ name: String, path: String?, _ context: OperationContext) -> String {
        IAMArn.group(context.accountId, path: path ?? "/", name: name)
    }
}
