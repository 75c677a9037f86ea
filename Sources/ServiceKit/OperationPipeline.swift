import AWSShapes
import AWSWire
import Logging
import Storage

/// What an operation acts on, found inside the operation's transaction before
/// it is authorized: the authorizer decides on exactly what the operation
/// then acts on.
public protocol OperationTarget {
    /// The ARN the operation's action is authorized on (`*` for none).
    var resource: String { get }
    /// What the authorizer needs to know about it (owner, tags, resource policy).
    var facts: ResourceFacts { get }
}

/// An operation with no particular resource: authorized on `*`.
public struct NoTarget: OperationTarget {
    public init() {}
    public var resource: String { "*" }
    public var facts: ResourceFacts { .loaded(nil) }
}

/// A resource named by ARN that the operation does not load itself: the
/// authorizer asks the resource's service about it, in the same transaction.
public struct ResourceARN: OperationTarget {
    public var resource: String
    public init(_ arn: String) { resource = arn }
    public var facts: ResourceFacts { .lookUp }
}

/// How one operation runs, whatever its wire protocol: once decoded and
/// validated, in one transaction it loads its target, is authorized, acts.
/// The registrar gives it its default IAM action, `service:OperationName`.
public struct OperationBehaviour<Input: Sendable, Output: Sendable>: Sendable {
    let perform: @Sendable (Input, OperationContext, _ action: String) async throws -> Output

    /// An operation in one transaction of `kind`.
    ///
    /// - Parameters:
    ///   - target: finds what the operation acts on; must not refuse a missing
    ///     one (AWS authorizes before it says that a resource does not exist).
    ///   - access: the authorizations the operation needs, given its target and
    ///     its default action.
    ///   - act: the operation itself, in the same transaction.
    public static func transaction<Target: OperationTarget>(
        _ kind: Transaction.Kind,
        target: @escaping @Sendable (Input, OperationContext, Transaction) throws -> Target,
        access: @escaping @Sendable (Input, Target, OperationContext, _ action: String) throws -> [AccessRequest],
        act: @escaping @Sendable (Input, Target, OperationContext, Transaction) throws -> Output
    ) -> OperationBehaviour {
        OperationBehaviour { input, context, action in
            try context.store.transaction(kind) { tx in
                let found = try target(input, context, tx)
                try context.environment.authorizer.authorize(try access(input, found, context, action), context: context, in: tx)
                return try act(input, found, context, tx)
            }
        }
    }

    /// The common case: the default action on the target, with the condition
    /// keys the request supplies (`aws:RequestTag/…`, `iam:PermissionsBoundary`).
    public static func transaction<Target: OperationTarget>(
        _ kind: Transaction.Kind,
        target: @escaping @Sendable (Input, OperationContext, Transaction) throws -> Target,
        keys: @escaping @Sendable (Input) -> [String: [String]] = { _ in [:] },
        act: @escaping @Sendable (Input, Target, OperationContext, Transaction) throws -> Output
    ) -> OperationBehaviour {
        transaction(
            kind, target: target,
            access: { input, target, _, action in
                [AccessRequest(action: action, resource: target.resource, keys: keys(input), facts: target.facts)]
            },
            act: act)
    }

    /// An operation with slow, pure work between its authorization and its
    /// write (deriving a password hash, comparing a password with the last 24):
    /// one read transaction loads the target, authorizes, and reads the
    /// `basis` the work needs (throwing what AWS answers about a missing or
    /// conflicting entity, in AWS's order); the work runs outside any
    /// transaction and off the event loops (`SlowWork`), so a refused caller
    /// costs no hashing and no writer or other request waits on it; one write transaction reads the basis again and acts. If the
    /// basis changed in between, the operation starts over on the new one
    /// (a few times, then IAM's ConcurrentModification).
    public static func prepared<Target: OperationTarget, Basis: Equatable & Sendable, Work: Sendable>(
        target: @escaping @Sendable (Input, OperationContext, Transaction) throws -> Target,
        access: @escaping @Sendable (Input, Target, OperationContext, _ action: String) throws -> [AccessRequest] = { _, target, _, action in
            [AccessRequest(action: action, resource: target.resource, facts: target.facts)]
        },
        basis: @escaping @Sendable (Input, Target, OperationContext, Transaction) throws -> Basis,
        work: @escaping @Sendable (Input, Basis, OperationContext) throws -> Work,
        act: @escaping @Sendable (Input, Target, Basis, Work, OperationContext, Transaction) throws -> Output
    ) -> OperationBehaviour {
        OperationBehaviour { input, context, action in
            for _ in 0..<5 {
                let read = try context.store.transaction(.read) { tx in
                    let found = try target(input, context, tx)
                    try context.environment.authorizer.authorize(try access(input, found, context, action), context: context, in: tx)
                    return try basis(input, found, context, tx)
                }
                let done = try await SlowWork.run { try work(input, read, context) }
                let output: Output? = try context.store.transaction(.write) { tx in
                    let found = try target(input, context, tx)
                    guard try basis(input, found, context, tx) == read else { return nil }
                    return try act(input, found, read, done, context, tx)
                }
                if let output { return output }
            }
            // IAM's ConcurrentModificationException (the IAM API reference's common errors).
            throw AWSError(
                code: "ConcurrentModification",
                message: "The request was rejected because multiple requests to change this object were submitted simultaneously. Wait a few minutes and submit your request again.",
                status: 409)
        }
    }

    /// An operation that needs work outside any transaction (hashing a file,
    /// verifying a token) and opens its own transactions.
    public static func standalone(
        access: Access<Input>, handler: @escaping @Sendable (Input, OperationContext) async throws -> Output
    ) -> OperationBehaviour {
        OperationBehaviour { input, context, _ in
            if case .check(let requests) = access {
                try context.environment.authorizer.authorize(try requests(input, context), context: context, in: nil)
            }
            return try await handler(input, context)
        }
    }

    /// Runs the operation on a decoded input: its output, or the error AWS
    /// answers, in `wire`'s codes. Every refusal and failure is translated
    /// here, once for both protocols and for the console.
    func run(to input: Input, named name: String, action: String, context: OperationContext, wire: WireProtocol) async
        -> Result<Output, AWSError>
    {
        context.recordUse(of: action)
        do {
            return .success(try await perform(input, context, action))
        } catch let error as AWSError {
            return .failure(error)
        } catch let denied as AccessDenied {
            return .failure(denied.error(for: wire))
        } catch {
            Logger(label: "gatehouse").error("\(name) failed: \(error)", metadata: ["requestId": "\(context.requestId)"])
            return .failure(FrontDoorError.internalFailure(wire))
        }
    }
}
