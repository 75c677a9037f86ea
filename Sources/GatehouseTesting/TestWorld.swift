import AWSShapes
import AccessAnalyzer
import ECR
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import IAM
import STS
import ServiceKit
import Storage
import Synchronization

/// A Gatehouse in one process, for tests that need no real client: an
/// in-memory store seeded with one account whose root key is `test`, a clock
/// that moves only when told, identifiers that come out the same every run,
/// and the services with their real authorizer. Operations are dispatched as
/// the principal a given access key belongs to, exactly as the front door
/// hands them on after authentication.
public final class TestWorld: Sendable {
    public static let accountId = "000000000000"
    public static let rootKey = "test"

    public let store: Store
    public let clock: FixedClock
    public let environment: ServiceEnvironment
    public let iam: QueryService
    public let sts: QueryService
    public let ecr: JSONService
    public let accessAnalyzer: RestJSONService
    /// Every decision the authorizer made.
    public let decisions: DecisionLog
    private let credentials: CredentialResolver

    public init(now: Timestamp = Timestamp(iso8601: "2026-01-01T00:00:00Z")!) throws {
        store = try Store()
        clock = FixedClock(now)
        let catalog = ManagedPolicyCatalog(.embedded)
        decisions = DecisionLog()
        let authorizer = PolicyAuthorizer(
            store: store, catalog: catalog, providers: [IAMResources(), ECRResources()], log: decisions)
        environment = ServiceEnvironment(
            store: store, clock: clock, ids: SequentialIdentifierGenerator(), authorizer: authorizer, managedPolicies: catalog,
            settings: .init(defaultAccountId: Self.accountId, defaultRegion: "us-east-1", advertisedHost: "127.0.0.1:4566"),
            services: ServiceCatalogFile(.embedded))
        credentials = CredentialResolver(store: store)
        iam = IAMService.make()
        sts = STSService.make()
        ecr = ECRService.make()
        accessAnalyzer = AccessAnalyzerService.make(decisions: decisions)
        let created = clock.now().secondsSince1970
        try store.transaction(.write) { tx in
            try tx.save(AccountRecord(id: Self.accountId, alias: nil, createdAt: created))
            try tx.save(AccessKeyRecord(
                id: Self.rootKey, secret: "test", accountId: Self.accountId, userId: nil, status: "Active", createdAt: created))
        }
    }

    /// Another account, whose root user's access key and secret are `rootKey`.
    public func addAccount(_ id: String, rootKey: String) throws {
        let created = clock.now().secondsSince1970
        try store.transaction(.write) { tx in
            try tx.save(AccountRecord(id: id, alias: nil, createdAt: created))
            try tx.save(AccessKeyRecord(id: rootKey, secret: rootKey, accountId: id, userId: nil, status: "Active", createdAt: created))
        }
    }

    /// The principal an access key belongs to, as authentication would find it.
    public func principal(_ accessKeyId: String) throws -> Principal {
        guard let credential = try credentials.credential(for: accessKeyId), credential.active else {
            throw UnknownKey(accessKeyId: accessKeyId)
        }
        return credential.principal
    }

    public struct UnknownKey: Error {
        public let accessKeyId: String
    }

    /// An IAM operation as the owner of `accessKeyId`.
    public func iam(_ action: String, _ parameters: [String: String] = [:], as accessKeyId: String = rootKey) async throws -> Answer {
        try await query(iam, action: action, version: IAMShapes.apiVersion, parameters, as: accessKeyId)
    }

    /// An STS operation as the owner of `accessKeyId`.
    public func sts(_ action: String, _ parameters: [String: String] = [:], as accessKeyId: String = rootKey) async throws -> Answer {
        try await query(sts, action: action, version: STSShapes.apiVersion, parameters, as: accessKeyId)
    }

    /// An ECR operation (its JSON body) as the owner of `accessKeyId`.
    public func ecr(
        _ operation: String, _ body: String = "{}", as accessKeyId: String = rootKey, region: String = "us-east-1"
    ) async throws -> Answer {
        let context = try context(as: accessKeyId, region: region)
        return Answer(await ecr.dispatch(operation: operation, body: Array(body.utf8), context: context))
    }

    /// An Access Analyzer request (REST-JSON: method, path, query string, JSON body) as the owner of `accessKeyId`.
    public func accessAnalyzer(
        _ method: String, _ path: String, query: [String: String] = [:], body: String = "", as accessKeyId: String = rootKey,
        region: String = "us-east-1"
    ) async throws -> Answer {
        let context = try context(as: accessKeyId, region: region)
        return Answer(await accessAnalyzer.dispatch(
            method: method, path: path, query: query, body: Array(body.utf8), context: context))
    }

    private func query(
        _ service: QueryService, action: String, version: String, _ parameters: [String: String], as accessKeyId: String
    ) async throws -> Answer {
        var parameters = parameters
        parameters["Action"] = action
        parameters["Version"] = version
        let context = try context(as: accessKeyId)
        return Answer(await service.dispatch(action: action, version: version, parameters: parameters, context: context))
    }

    private func context(as accessKeyId: String, region: String = "us-east-1") throws -> OperationContext {
        OperationContext(
            requestId: environment.ids.uuid(), principal: try principal(accessKeyId), region: region, now: clock.now(),
            sourceIp: "127.0.0.1", secureTransport: false, userAgent: "GatehouseTesting", environment: environment)
    }

    /// What an operation answered, with the look-ups tests make.
    public struct Answer: Sendable, CustomStringConvertible {
        public let status: Int
        public let body: String
        /// Headers beyond content type and request id (REST-JSON's `x-amzn-ErrorType`).
        public let headers: [(name: String, value: String)]

        init(_ response: ServiceResponse) {
            status = response.status
            body = String(decoding: response.body, as: UTF8.self)
            headers = response.headers
        }

        public func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }

        /// The text of every `<name>…</name>` element (query protocol), in order.
        public func values(_ name: String) -> [String] {
            var found: [String] = []
            var rest = body[...]
            while let open = rest.firstRange(of: "<\(name)>"), let close = rest[open.upperBound...].firstRange(of: "</\(name)>") {
                found.append(String(rest[open.upperBound..<close.lowerBound]))
                rest = rest[close.upperBound...]
            }
            return found
        }

        public func value(_ name: String) -> String? { values(name).first }

        /// The error code, in either protocol.
        public var errorCode: String? {
            value("Code") ?? body.firstRange(of: #""__type":""#).flatMap { start in
                body[start.upperBound...].split(separator: "\"", maxSplits: 1).first.map(String.init)
            }
        }

        public var errorMessage: String? {
            value("Message") ?? body.firstRange(of: #""message":""#).flatMap { start in
                body[start.upperBound...].split(separator: "\"", maxSplits: 1).first.map(String.init)
            }
        }

        public var description: String { "\(status) \(body)" }
    }
}

/// A clock that stands still until a test moves it.
public final class FixedClock: Clock {
    private let time: Mutex<Timestamp>

    public init(_ time: Timestamp) {
        self.time = Mutex(time)
    }

    public func now() -> Timestamp { time.withLock { $0 } }

    public func advance(seconds: Double) {
        time.withLock { $0 = $0.adding(seconds: seconds) }
    }
}

/// Identifiers drawn from a counter: every run of a test sees the same ids.
public final class SequentialIdentifierGenerator: IdentifierGenerator {
    private let next = Mutex<UInt64>(1)

    public init() {}

    public func randomBytes(_ count: Int) -> [UInt8] {
        next.withLock { counter in
            (0..<count).map { _ in
                // splitmix64: well spread, and the same sequence every time.
                counter &+= 0x9E37_79B9_7F4A_7C15
                var z = counter
                z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
                z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
                return UInt8(truncatingIfNeeded: z ^ (z >> 31))
            }
        }
    }
}
