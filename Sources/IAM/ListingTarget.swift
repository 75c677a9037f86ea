import ServiceKit
import Storage

/// What an IAM List operation is authorized on: not `*` but the account's
/// resources of the listed kind under the requested path,
/// `arn:aws:iam::ACCOUNT:user/` plus the PathPrefix without its leading
/// slash (`user/division_abc/`), so a policy scoped to `…:user/*` allows
/// ListUsers. AWS's denials name these resources (CloudTrail and CLI
/// captures, docs/research/fidelity-issue18.md §13), although the Service
/// Authorization Reference lists no resource type for these actions.
struct ListingTarget: OperationTarget {
    let resource: String

    /// `kind` is the ARN's resource type (`user`, `role`, `instance-profile`, …).
    init(_ kind: String, pathPrefix: String?, _ context: OperationContext) {
        let prefix = pathPrefix ?? "/"
        let path = prefix.hasPrefix("/") ? prefix.dropFirst() : prefix[...]
        resource = "arn:aws:iam::\(context.accountId):\(kind)/\(path)"
    }

    /// A fixed resource of the account: `arn:aws:iam::ACCOUNT:` + `suffix`.
    init(account context: OperationContext, _ suffix: String) {
        resource = "arn:aws:iam::\(context.accountId):\(suffix)"
    }

    var facts: ResourceFacts { .loaded(nil) }

    /// An operation's target: `kind` under the PathPrefix its input names.
    static func of<Input>(_ kind: String, pathPrefix: @escaping @Sendable (Input) -> String?)
        -> @Sendable (Input, OperationContext, Transaction) throws -> ListingTarget
    {
        { input, context, _ in ListingTarget(kind, pathPrefix: pathPrefix(input), context) }
    }

    /// An operation's target: one resource of the caller's account.
    static func fixed<Input>(_ suffix: String) -> @Sendable (Input, OperationContext, Transaction) throws -> ListingTarget {
        { _, context, _ in ListingTarget(account: context, suffix) }
    }
}
