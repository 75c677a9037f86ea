import AWSWire
import Hummingbird
import NIOCore
import Synchronization

/// Reads an AWS API request's body into memory, within limits decided from
/// the head alone, before a byte of the body is read.
///
/// A request whose signature names a key Gatehouse knows may send up to its
/// protocol's limit; any other (unsigned, an unknown or inactive key, a
/// signature that cannot be read) gets a small allowance, and all of those
/// together share one budget, so strangers cannot make the server hold more
/// than `unauthenticatedTotal` bytes however many connections they open.
/// (The registry streams its bodies and never comes here.)
struct RequestBodyReader: Sendable {
    /// IAM and STS, form-encoded: the largest input, UploadServerCertificate's
    /// chain of up to 2,097,152 characters (IAM API reference), form-encoded
    /// at up to 3 bytes a character, fits with room to spare.
    static let queryLimit = 8 << 20
    /// ECR, JSON: UploadLayerPart's layerPartBlob is at most 20,971,520 bytes
    /// (ECR API reference), base64-encoded inside the JSON document.
    static let jsonLimit = 32 << 20
    /// Access Analyzer, REST-JSON: a policy document, which ValidatePolicy
    /// takes up to about 32,768 characters (docs/research/access-analyzer.md
    /// §1.6), escaped inside the JSON body at up to 6 bytes a character.
    static let restJSONLimit = 1 << 20
    /// Unauthenticated: STS's unsigned operations take at most a
    /// 100,000-character SAML assertion (AssumeRoleWithSAML) and far less
    /// otherwise; a refusal needs no body at all.
    static let unauthenticatedLimit = 1 << 20

    enum Refusal: Error {
        case tooLarge(limit: Int)
        case busy
    }

    let budget: Budget

    init(unauthenticatedTotal: Int = 32 << 20) {
        budget = Budget(total: unauthenticatedTotal)
    }

    /// The body, or a refusal; `release` must be called once the request is
    /// answered when `authenticated` is false (the bytes are held until then).
    func read(_ request: Request, limit: Int, authenticated: Bool) async throws -> (bytes: [UInt8], reserved: Int) {
        let limit = authenticated ? limit : min(limit, Self.unauthenticatedLimit)
        let declared = request.headers[.contentLength].flatMap { Int($0) }
        if let declared, declared > limit { throw Refusal.tooLarge(limit: limit) }
        var reserved = 0
        if !authenticated {
            // A chunked body of unknown length may use the whole allowance.
            reserved = declared ?? limit
            guard budget.reserve(reserved) else { throw Refusal.busy }
        }
        do {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(declared ?? 0)
            for try await buffer in request.body {
                guard bytes.count + buffer.readableBytes <= limit else { throw Refusal.tooLarge(limit: limit) }
                bytes.append(contentsOf: buffer.readableBytesView)
            }
            return (bytes, reserved)
        } catch {
            budget.release(reserved)
            throw error
        }
    }

    func release(_ reserved: Int) {
        budget.release(reserved)
    }

    final class Budget: Sendable {
        private let available: Mutex<Int>

        init(total: Int) {
            available = Mutex(total)
        }

        func reserve(_ bytes: Int) -> Bool {
            available.withLock { available in
                guard bytes <= available else { return false }
                available -= bytes
                return true
            }
        }

        func release(_ bytes: Int) {
            guard bytes > 0 else { return }
            available.withLock { $0 += bytes }
        }
    }
}
