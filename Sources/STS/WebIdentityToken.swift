import AWSShapes
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Hashing
import JSON
import Storage

/// An OpenID Connect ID token (a JWT), verified against the signing keys the
/// operator registered for its issuer — Gatehouse never fetches a JWKS.
struct WebIdentityToken: Sendable {
    let header: JSONObject
    let claims: JSONObject
    private let signingInput: [UInt8]
    private let signature: [UInt8]

    init(_ token: String) throws {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let header = Self.json(parts[0]), let claims = Self.json(parts[1]),
            let signature = Base64.decode(String(parts[2]))
        else { throw WebIdentityError.invalid("The ID token provided is not a valid JWT.") }
        self.header = header
        self.claims = claims
        self.signingInput = Array(token.utf8.prefix(parts[0].utf8.count + 1 + parts[1].utf8.count))
        self.signature = signature
    }

    private static func json(_ part: Substring) -> JSONObject? {
        guard let bytes = Base64.decode(String(part)) else { return nil }
        return (try? JSONParser.parse(bytes))?.objectValue
    }

    var issuer: String? { claims["iss"]?.stringValue }
    var subject: String? { claims["sub"]?.stringValue }
    var audiences: [String] {
        if let single = claims["aud"]?.stringValue { return [single] }
        return claims["aud"]?.arrayValue?.compactMap(\.stringValue) ?? []
    }
    var expiry: Double? { number("exp") }
    var notBefore: Double? { number("nbf") }

    /// A claim's values as strings (lists kept), for trust-policy conditions.
    func claim(_ name: String) -> [String]? {
        switch claims[name] {
        case .string(let s)?: [s]
        case .array(let values)?: values.compactMap(\.stringValue)
        case .bool(let b)?: [b ? "true" : "false"]
        case .number(let n)?: [n.text]
        default: nil
        }
    }

    private func number(_ name: String) -> Double? {
        if case .number(let n)? = claims[name] { return n.double }
        return nil
    }

    /// The issuer as IAM stores provider URLs: no scheme, no trailing slash.
    static func providerURL(_ issuer: String) -> String {
        var url = issuer
        if url.hasPrefix("https://") { url.removeFirst(8) }
        while url.hasSuffix("/") { url.removeLast() }
        return url
    }

    /// Checks the signature with the issuer's registered keys (among `keys`, every registered one).
    func verifySignature(with keys: [OIDCSigningKey]) throws {
        guard let issuer, let algorithm = header["alg"]?.stringValue.flatMap(VerificationKey.Algorithm.init(rawValue:)) else {
            throw WebIdentityError.invalid("The ID token provided is not a valid JWT.")
        }
        let kid = header["kid"]?.stringValue
        let candidates = keys.filter { key in
            Self.providerURL(key.issuer) == Self.providerURL(issuer) && (kid == nil || key.kid.isEmpty || key.kid == kid)
        }
        guard !candidates.isEmpty else { throw WebIdentityError.noVerificationKey }
        for candidate in candidates {
            let text = candidate.jwk
            guard let jwk = (try? JSONParser.parse(text))?.objectValue, let key = Self.key(jwk) else { continue }
            if key.verify(signature, message: signingInput, algorithm: algorithm) { return }
        }
        throw WebIdentityError.invalid("Couldn't verify the signature of the ID token with the keys of its issuer.")
    }

    private static func key(_ jwk: JSONObject) -> VerificationKey? {
        func bytes(_ name: String) -> [UInt8]? { jwk[name]?.stringValue.flatMap(Base64.decode) }
        switch jwk["kty"]?.stringValue {
        case "RSA":
            guard let n = bytes("n"), let e = bytes("e") else { return nil }
            return VerificationKey(rsaModulus: n, exponent: e)
        case "EC":
            guard let curve = jwk["crv"]?.stringValue, let x = bytes("x"), let y = bytes("y") else { return nil }
            return VerificationKey(curve: curve, x: x, y: y)
        default:
            return nil
        }
    }
}

/// STS's answers to a web identity token it will not take.
enum WebIdentityError {
    static func invalid(_ message: String) -> AWSError { STSShapes.Errors.invalidIdentityToken(message) }

    /// When STS cannot obtain the issuer's keys (here: none registered).
    static let noVerificationKey = invalid(
        "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements")
    static func noProvider(_ issuer: String) -> AWSError {
        invalid("No OpenIDConnect provider found in your account for \(issuer)")
    }
    static let audience = invalid("Incorrect token audience")
    static func expired(now: Double, expiry: Double) -> AWSError {
        STSShapes.Errors.expiredToken(
            "Token expired: current date/time \(Int64(now)) must be before the expiration date/time \(Int64(expiry))")
    }
}
