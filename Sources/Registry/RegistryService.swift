import AWSShapes
import AWSWire
import ECR
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Hashing
import Logging
import ServiceKit
import Storage
import Platform

/// The OCI Distribution API (`/v2/`) over ECR's repositories.
///
/// Every request is authenticated with the password `ecr get-login-password`
/// prints and authorized with the ECR action AWS maps it to, against the
/// caller's identity policies and the repository's policy — the same
/// authorizer the API uses. Images pushed here are ECR images, and back.
public final class RegistryService: Sendable {
    let environment: ServiceEnvironment
    let credentials: CredentialResolver
    let signer: RegistryToken.Signer

    static let manifestLimit = 4 * 1024 * 1024

    public init(environment: ServiceEnvironment, credentials: CredentialResolver) throws {
        self.environment = environment
        self.credentials = credentials
        self.signer = try RegistryToken.Signer(store: environment.store)
    }

    /// Answers an authenticated request (`authenticate` said who `caller` is).
    /// Every failure is a `RegistryError`; one that is not the registry's own
    /// goes to the log and reaches the client as `UNKNOWN`.
    public func handle(_ request: RegistryRequest, as caller: Caller) async throws(RegistryError) -> RegistryResponse {
        do {
            return try await route(request, caller)
        } catch let error as RegistryError {
            throw error
        } catch {
            // What failed stays in the log; the client learns only that something did.
            Logger(label: "gatehouse").error("registry \(request.method) \(request.path) failed: \(error)")
            throw RegistryError.unknown
        }
    }

    private func route(_ request: RegistryRequest, _ caller: Caller) async throws -> RegistryResponse {
        guard let route = RegistryRoute(path: request.path) else { throw RegistryError.nameInvalid }
        switch (request.method, route) {
        case (_, .base):
            return RegistryResponse(status: 200, headers: [("Content-Type", "application/json")], body: .bytes(Array("{}".utf8)))
        case (_, .catalog):
            throw RegistryError.unsupported("The operation is unsupported.")
        case ("GET", .manifest(let name, let reference)), ("HEAD", .manifest(let name, let reference)):
            return try await getManifest(name, reference, caller, head: request.method == "HEAD")
        case ("PUT", .manifest(let name, let reference)):
            return try await putManifest(name, reference, request, caller)
        case ("DELETE", .manifest(let name, let reference)):
            return try await deleteManifest(name, reference, caller)
        case ("GET", .blob(let name, let digest)), ("HEAD", .blob(let name, let digest)):
            return try await getBlob(name, digest, request, caller, head: request.method == "HEAD")
        case ("POST", .uploads(let name)):
            return try await startUpload(name, request, caller)
        case ("PATCH", .upload(let name, let id)):
            return try await patchUpload(name, id, request, caller)
        case ("PUT", .upload(let name, let id)):
            return try await finishUpload(name, id, request, caller)
        case ("GET", .upload(let name, let id)):
            return try await uploadStatus(name, id, caller)
        case ("DELETE", .upload(let name, let id)):
            return try await cancelUpload(name, id, caller)
        case ("GET", .tags(let name)):
            return try await listTags(name, request, caller)
        case ("GET", .referrers(let name, let digest)):
            return try await referrers(name, digest, request, caller)
        default:
            throw RegistryError.unsupported("The operation is unsupported.")
        }
    }

    // MARK: - Authentication and authorization

    /// Who is calling, and for which registry, from `Authorization: Basic base64(AWS:password)`.
    public struct Caller: Sendable {
        public var context: OperationContext
        public var account: String
        public var region: String

        func arn(_ name: String) -> String { "arn:aws:ecr:\(region):\(account):repository/\(name)" }
    }

    /// The caller the password `ecr get-login-password` printed names, or the
    /// challenge (401) when there is no valid one.
    ///
    /// A path outside the API's grammar is answered `NAME_INVALID` before
    /// credentials are asked for: it names nothing to authorize.
    public func authenticate(_ request: RegistryRequest) throws(RegistryError) -> Caller {
        guard RegistryRoute(path: request.path) != nil else { throw RegistryError.nameInvalid }
        let challenge = RegistryError.unauthorized(realm: environment.settings.advertisedHost)
        guard let header = request.header("authorization"), header.lowercased().hasPrefix("basic "),
            let decoded = Base64.decode(String(header.dropFirst(6)).trimmingWhitespace()),
            let text = String(validating: decoded, as: UTF8.self), let colon = text.firstIndex(of: ":"),
            text[..<colon] == "AWS", let token = signer.verify(String(text[text.index(after: colon)...]))
        else { throw challenge }
        let now = environment.clock.now()
        if now.secondsSince1970 >= token.expires { throw RegistryError.expiredToken }
        let found: CredentialResolver.Credential?
        do {
            found = try credentials.credential(for: token.accessKeyId)
        } catch {
            Logger(label: "gatehouse").error("registry \(request.method) \(request.path) failed: \(error)")
            throw RegistryError.unknown
        }
        guard let credential = found, credential.active, credential.principal.arn == token.principalArn else { throw challenge }
        if let expiresAt = credential.expiresAt, now.secondsSince1970 >= expiresAt { throw RegistryError.expiredToken }
        // A host under the registry domain names the registry (the token then
        // only authenticates, as an ECR token works for every registry its
        // principal may reach); otherwise the token's registry is the one meant.
        let registry = request.header("host").flatMap { environment.settings.registry(forHost: $0) }
            ?? (token.account, token.region)
        let context = OperationContext(
            requestId: environment.ids.uuid(), principal: credential.principal, region: registry.region, now: now,
            sourceIp: request.sourceIp, secureTransport: false, userAgent: request.header("user-agent"), environment: environment)
        return Caller(context: context, account: registry.account, region: registry.region)
    }

    /// Authorizes the ECR action AWS maps this registry request to, in its own
    /// transaction; a denial is `DENIED` with AWS's message.
    func authorize(_ action: String, _ name: String, _ caller: Caller) throws {
        caller.context.recordUse(of: action)
        do {
            try environment.authorizer.authorize([AccessRequest(action: action, resource: caller.arn(name))], context: caller.context, in: nil)
        } catch let denied as AccessDenied {
            throw RegistryError.denied(denied.message)
        }
    }

    /// The named repository, loaded in `tx` and authorized there for `action`
    /// with what was loaded (its policy and tags): the request then acts on
    /// the very repository the decision was made on. AWS authorizes before it
    /// says a repository does not exist.
    func repository(_ name: String, authorizing action: String, _ caller: Caller, in tx: Transaction) throws -> RepositoryRecord {
        let arn = caller.arn(name)
        let repository = try tx.fetch(RepositoryRecord.self, key: arn)
        // The registry policy too: ECR enforces it on every request to the registry (scope V2).
        let facts = ECRResources.information(
            repository, tags: try repository.map { try TagRecord.all(of: $0.arn, in: tx) } ?? [],
            registryPolicy: try ECRResources.registryPolicy(account: caller.account, region: caller.region, tx),
            account: caller.account, region: caller.region)
        caller.context.recordUse(of: action)
        do {
            try environment.authorizer.authorize(
                [AccessRequest(action: action, resource: arn, facts: .loaded(facts))], context: caller.context, in: tx)
        } catch let denied as AccessDenied {
            throw RegistryError.denied(denied.message)
        }
        guard let repository else { throw RegistryError.nameUnknown(name, caller.account) }
        return repository
    }

    /// `repository(_:authorizing:_:in:)` in a read transaction of its own, for
    /// requests that go on to stream a body.
    func repository(_ name: String, authorizing action: String, _ caller: Caller) throws -> RepositoryRecord {
        try environment.store.transaction(.read) { tx in try repository(name, authorizing: action, caller, in: tx) }
    }

    func location(_ name: String, _ suffix: String) -> String { "/v2/\(name)/\(suffix)" }
}
