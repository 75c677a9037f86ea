import AWSShapes
import AWSWire
import ECR
import Foundation
import Hashing
import Logging
import ServiceKit
import Storage
import Synchronization

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
    /// Hashes of uploads being streamed by this process, by upload id.
    let hashers = Mutex<[String: StreamingSHA256]>([:])

    static let manifestLimit = 4 * 1024 * 1024

    public init(environment: ServiceEnvironment, credentials: CredentialResolver) throws {
        self.environment = environment
        self.credentials = credentials
        self.signer = try RegistryToken.Signer(store: environment.store)
    }

    public func handle(_ request: RegistryRequest) async -> RegistryResponse {
        var response: RegistryResponse
        do {
            response = try await route(request)
        } catch let error as RegistryError {
            response = error.response
        } catch let unauthenticated as Unauthenticated {
            response = unauthenticated.response
        } catch {
            // What failed stays in the log; the client learns only that something did.
            Logger(label: "gatehouse").error("registry \(request.method) \(request.path) failed: \(error)")
            response = RegistryError("UNKNOWN", "unknown error", status: 500).response
        }
        if request.method == "HEAD" { response.body = .empty }
        response.headers.append(("Docker-Distribution-Api-Version", "registry/2.0"))
        return response
    }

    private func route(_ request: RegistryRequest) async throws -> RegistryResponse {
        guard let route = RegistryRoute(path: request.path) else {
            throw RegistryError("NAME_INVALID", "Invalid repository name or path", status: 404)
        }
        let caller = try authenticate(request)
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
    struct Caller: Sendable {
        var context: OperationContext
        var account: String
        var region: String

        func arn(_ name: String) -> String { "arn:aws:ecr:\(region):\(account):repository/\(name)" }
    }

    private func authenticate(_ request: RegistryRequest) throws -> Caller {
        let host = environment.settings.advertisedHost
        let challenge = RegistryResponse(
            status: 401,
            headers: [
                ("WWW-Authenticate", "Basic realm=\"http://\(host)/\",service=\"ecr.amazonaws.com\""),
                ("Content-Type", "text/plain; charset=utf-8"),
            ],
            body: .bytes(Array("Not Authorized\n".utf8)))
        guard let header = request.headers["authorization"], header.lowercased().hasPrefix("basic "),
            let decoded = Base64.decode(String(header.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
            let text = String(validating: decoded, as: UTF8.self), let colon = text.firstIndex(of: ":"),
            text[..<colon] == "AWS", let token = signer.verify(String(text[text.index(after: colon)...]))
        else { throw Unauthenticated(response: challenge) }
        let now = environment.clock.now()
        if now.secondsSince1970 >= token.expires { throw RegistryError.expiredToken }
        guard let credential = try credentials.credential(for: token.accessKeyId), credential.active,
            credential.principal.arn == token.principalArn
        else { throw Unauthenticated(response: challenge) }
        if let expiresAt = credential.expiresAt, now.secondsSince1970 >= expiresAt { throw RegistryError.expiredToken }
        // A host under the registry domain names the registry (the token then
        // only authenticates, as an ECR token works for every registry its
        // principal may reach); otherwise the token's registry is the one meant.
        let registry = request.headers["host"].flatMap { environment.settings.registry(forHost: $0) }
            ?? (token.account, token.region)
        let context = OperationContext(
            requestId: environment.ids.uuid(), principal: credential.principal, region: registry.region, now: now,
            sourceIp: request.sourceIp, secureTransport: false, userAgent: request.headers["user-agent"], environment: environment)
        return Caller(context: context, account: registry.account, region: registry.region)
    }

    /// Thrown for a missing or invalid password: answered with the challenge.
    struct Unauthenticated: Error {
        let response: RegistryResponse
    }

    /// Authorizes the ECR action AWS maps this registry request to; a denial is
    /// `DENIED` with AWS's message.
    func authorize(_ action: String, _ name: String, _ caller: Caller) throws {
        do {
            try environment.authorizer.authorize(
                [AccessRequest(action: action, resource: caller.arn(name))], context: caller.context, wire: .json)
        } catch let error as AWSError {
            throw RegistryError.denied(error.message ?? "Access denied")
        }
    }

    func repository(_ name: String, _ caller: Caller) async throws -> RepositoryRecord {
        let arn = caller.arn(name)
        guard let repository = try await environment.store.read({ db in try RepositoryRecord.fetchOne(db, key: arn) }) else {
            throw RegistryError.nameUnknown(name, caller.account)
        }
        return repository
    }

    func location(_ name: String, _ suffix: String) -> String { "/v2/\(name)/\(suffix)" }
}
