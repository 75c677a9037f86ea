import AWSShapes
import Hashing

/// AWS Signature Version 4, verified as AWS verifies it: from the
/// `Authorization` header or from a presigned query string.
///
/// Verification is split in two so the caller can look the access key up in
/// between: `parse` reads what the client claims (key, scope, date, signed
/// headers), `verify` recomputes the signature with the stored secret.
public enum SigV4 {
    public static let algorithm = "AWS4-HMAC-SHA256"
    /// How far a request's date may be from the server's clock.
    public static let allowedSkew: Double = 15 * 60

    public struct CredentialScope: Sendable, Equatable {
        public var accessKeyId: String
        public var date: String
        public var region: String
        public var service: String
        public var terminator: String
    }

    /// What a signed request claims about itself.
    public struct Claim: Sendable {
        public var scope: CredentialScope
        public var signedHeaders: [String]
        public var signature: String
        /// `20240501T123456Z`
        public var amzDate: String
        public var requestTime: Timestamp
        public var securityToken: String?
        public var presigned: Bool
        /// `X-Amz-Expires` of a presigned request, in seconds.
        public var expires: Int?
    }

    /// Why a request is not authenticated, before any key was looked up.
    public enum Failure: Error, Sendable, Equatable {
        /// No signature of any kind.
        case missingAuthentication
        /// A signature that cannot be read; the message is AWS's.
        case incompleteSignature(String)
        /// The request's date is too far from now.
        case signatureExpired(String)
        /// A presigned URL used after its `X-Amz-Expires`.
        case requestExpired
        /// The signature does not match the one computed with the secret.
        case signatureDoesNotMatch(String?)
    }

    // MARK: - Reading the claim

    /// The claim of a signed request; nil when the request carries no signature at all.
    public static func parse(_ request: WireRequest, now: Timestamp) throws(Failure) -> Claim? {
        if let header = request.header("authorization") {
            return try parseHeader(header, request: request, now: now)
        }
        let query = request.queryParameters
        if query["X-Amz-Algorithm"] != nil || query["X-Amz-Signature"] != nil || query["X-Amz-Credential"] != nil {
            return try parsePresigned(query, now: now)
        }
        return nil
    }

    private static func parseHeader(_ header: String, request: WireRequest, now: Timestamp) throws(Failure) -> Claim {
        let trimmed = header.drop { $0 == " " }
        guard trimmed.hasPrefix(algorithm + " ") else {
            if trimmed.hasPrefix("AWS ") || trimmed.hasPrefix("AWS3") {
                throw .incompleteSignature("Unsupported AWS 'algorithm': '\(trimmed.split(separator: " ").first ?? "")'")
            }
            throw .incompleteSignature("Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization=\(header)")
        }
        let fields = authorizationFields(trimmed.utf8.dropFirst(algorithm.utf8.count + 1))
        var missing: [String] = []
        for name in ["Credential", "Signature", "SignedHeaders"] where fields[name] == nil {
            missing.append("Authorization header requires '\(name)' parameter.")
        }
        let dateHeader = request.header("x-amz-date")
        let httpDate = request.header("date")
        if dateHeader == nil && httpDate == nil {
            missing.append("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
        }
        guard missing.isEmpty, let credential = fields["Credential"], let signature = fields["Signature"],
            let signedHeaders = fields["SignedHeaders"]
        else {
            throw .incompleteSignature(missing.joined(separator: " ") + " Authorization=\(header)")
        }
        let signed = signedHeaders.split(separator: ";").map { $0.lowercased() }
        try requireHost(in: signed)
        // The header that dates the request is part of what is signed.
        if dateHeader != nil, !signed.contains("x-amz-date") { throw .signatureDoesNotMatch(mustBeSigned("X-Amz-Date")) }
        if dateHeader == nil, !signed.contains("date") { throw .signatureDoesNotMatch(mustBeSigned("Date")) }
        let requestTime: Timestamp
        let amzDate: String
        if let dateHeader {
            guard let t = Timestamp(iso8601: dateHeader), dateHeader.count == 16 else {
                throw .incompleteSignature("Date must be in ISO-8601 'basic format'. Got '\(dateHeader)'. See http://en.wikipedia.org/wiki/ISO_8601")
            }
            requestTime = t
            amzDate = dateHeader
        } else {
            guard let httpDate, let t = HTTPDate.parse(httpDate) else {
                throw .incompleteSignature("Date must be in ISO-8601 'basic format'. Got '\(httpDate ?? "")'. See http://en.wikipedia.org/wiki/ISO_8601")
            }
            requestTime = t
            amzDate = t.iso8601Basic
        }
        try checkSkew(requestTime, now: now)
        let scope = try parseScope(credential)
        return Claim(
            scope: scope, signedHeaders: signed,
            signature: signature, amzDate: amzDate, requestTime: requestTime,
            securityToken: request.header("x-amz-security-token"), presigned: false, expires: nil)
    }

    private static func parsePresigned(_ query: [String: String], now: Timestamp) throws(Failure) -> Claim {
        var missing: [String] = []
        for name in ["X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature", "X-Amz-SignedHeaders", "X-Amz-Date"]
        where query[name] == nil {
            missing.append("AWS query-string parameters must include '\(name)'.")
        }
        guard missing.isEmpty, let credential = query["X-Amz-Credential"], let signature = query["X-Amz-Signature"],
            let signedHeaders = query["X-Amz-SignedHeaders"], let amzDate = query["X-Amz-Date"]
        else {
            throw .incompleteSignature(missing.joined(separator: " ") + " Re-examine the query-string parameters.")
        }
        guard query["X-Amz-Algorithm"] == algorithm else {
            throw .incompleteSignature("Unsupported AWS 'algorithm': '\(query["X-Amz-Algorithm"] ?? "")'")
        }
        let signed = signedHeaders.split(separator: ";").map { $0.lowercased() }
        try requireHost(in: signed)
        guard let requestTime = Timestamp(iso8601: amzDate), amzDate.count == 16 else {
            throw .incompleteSignature("Date must be in ISO-8601 'basic format'. Got '\(amzDate)'. See http://en.wikipedia.org/wiki/ISO_8601")
        }
        let expires = try query["X-Amz-Expires"].map { text throws(Failure) in try presignedLifetime(text) }
        if let expires {
            if now.secondsSince1970 > requestTime.secondsSince1970 + Double(expires) { throw .requestExpired }
            if requestTime.secondsSince1970 - now.secondsSince1970 > allowedSkew {
                try checkSkew(requestTime, now: now)
            }
        } else {
            try checkSkew(requestTime, now: now)
        }
        let scope = try parseScope(credential)
        return Claim(
            scope: scope, signedHeaders: signed,
            signature: signature, amzDate: amzDate, requestTime: requestTime,
            securityToken: query["X-Amz-Security-Token"], presigned: true, expires: expires)
    }

    /// The longest a presigned URL may live: a signing key is valid for seven days.
    public static let maximumPresignedLifetime = 604_800

    /// `X-Amz-Expires`: whole seconds, 1 through a week. AWS's texts for the
    /// three ways to get it wrong (the same across services; S3 words the
    /// last one longer).
    static func presignedLifetime(_ text: String) throws(Failure) -> Int {
        let digits = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            throw .incompleteSignature("X-Amz-Expires should be a number")
        }
        if text.hasPrefix("-") { throw .incompleteSignature("X-Amz-Expires must be non-negative") }
        guard let seconds = Int(digits), seconds <= maximumPresignedLifetime else {
            throw .incompleteSignature("X-Amz-Expires must be less than a week (in seconds) that is \(maximumPresignedLifetime)")
        }
        // 0 is a URL that has already expired: RequestExpired, below.
        return seconds
    }

    /// A signature that leaves out the host could be replayed against any
    /// endpoint: AWS refuses it before looking further.
    private static func requireHost(in signedHeaders: [String]) throws(Failure) {
        guard signedHeaders.contains("host") || signedHeaders.contains(":authority") else {
            throw .signatureDoesNotMatch("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.")
        }
    }

    private static func mustBeSigned(_ header: String) -> String {
        "'\(header)' must be a 'SignedHeader' in the AWS Authorization."
    }

    /// `KEY/DATE/REGION/SERVICE/TERMINATOR`; what the parts name is checked
    /// by `checkScope`, once the addressed service is known.
    private static func parseScope(_ credential: String) throws(Failure) -> CredentialScope {
        let parts = credential.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 5, !parts[0].isEmpty else {
            throw .incompleteSignature("Credential should be scoped to a valid region. ")
        }
        return CredentialScope(accessKeyId: parts[0], date: parts[1], region: parts[2], service: parts[3], terminator: parts[4])
    }

    /// Whether the credential scope fits the request: a region the service
    /// serves, the addressed service, the terminator, and the request's day.
    /// AWS names every mismatch in one message, in this order (the error
    /// ordering recorded against AWS by scratchstack-aws-signature's tests).
    public static func checkScope(_ claim: Claim, service: String, regions: Set<String>) throws(Failure) {
        let scope = claim.scope
        var problems = ""
        if !regions.contains(scope.region) {
            problems += "Credential should be scoped to a valid region, not '\(scope.region)'. "
        }
        if scope.service != service {
            problems += "Credential should be scoped to correct service: '\(service)'. "
        }
        if scope.terminator != "aws4_request" {
            problems += "Credential should be scoped with a valid terminator: 'aws4_request', not '\(scope.terminator)'. "
        }
        let day = String(claim.amzDate.prefix(8))
        if scope.date != day {
            problems += "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '\(scope.date)' != '\(day)', from '\(claim.amzDate)'. "
        }
        guard problems.isEmpty else { throw .signatureDoesNotMatch(problems) }
    }

    private static func checkSkew(_ requestTime: Timestamp, now: Timestamp) throws(Failure) {
        let delta = requestTime.secondsSince1970 - now.secondsSince1970
        if delta < -allowedSkew {
            let limit = now.adding(seconds: -allowedSkew)
            throw .signatureExpired("Signature expired: \(requestTime.iso8601Basic) is now earlier than \(limit.iso8601Basic) (\(now.iso8601Basic) - 15 min.)")
        }
        if delta > allowedSkew {
            let limit = now.adding(seconds: allowedSkew)
            throw .signatureExpired("Signature not yet current: \(requestTime.iso8601Basic) is still later than \(limit.iso8601Basic) (\(now.iso8601Basic) + 15 min.)")
        }
    }

    // MARK: - Verifying

    /// Whether the claim's signature is the one `secret` produces for this request.
    ///
    /// The payload is always the bytes received: IAM, STS and ECR sign the
    /// body's SHA-256, never a value the client declares (`X-Amz-Content-Sha256`
    /// is S3's, and so is `UNSIGNED-PAYLOAD`, which botocore's presigner uses
    /// only for S3; STS answers a presigned URL signed without the payload with
    /// a canonical request ending in the empty body's hash — boto/boto3#756).
    /// A declared hash that is not the body's is refused outright, whatever
    /// it signed.
    public static func verify(_ claim: Claim, request: WireRequest, secret: String, keys: SigningKeyCache? = nil) -> Bool {
        let bodyHash = Hex.encode(SHA256.hash(request.body))
        if let declared = request.header("x-amz-content-sha256"), declared != bodyHash { return false }
        let key = keys?.key(secret: secret, scope: claim.scope) ?? signingKey(secret: secret, scope: claim.scope)
        let expected = signature(claim: claim, request: request, payloadHash: bodyHash, key: key)
        return ConstantTime.equals(expected, claim.signature)
    }

    public static func signingKey(secret: String, scope: CredentialScope) -> [UInt8] {
        let kDate = HMAC.sha256(key: Array(("AWS4" + secret).utf8), message: scope.date)
        let kRegion = HMAC.sha256(key: kDate, message: scope.region)
        let kService = HMAC.sha256(key: kRegion, message: scope.service)
        return HMAC.sha256(key: kService, message: "aws4_request")
    }

    static func signature(claim: Claim, request: WireRequest, payloadHash: String, key: [UInt8]) -> String {
        let canonical = canonicalRequest(claim: claim, request: request, payloadHash: payloadHash)
        let scope = "\(claim.scope.date)/\(claim.scope.region)/\(claim.scope.service)/\(claim.scope.terminator)"
        let stringToSign = "\(algorithm)\n\(claim.amzDate)\n\(scope)\n\(Hex.encode(SHA256.hash(canonical)))"
        return Hex.encode(HMAC.sha256(key: key, message: stringToSign))
    }

    static func canonicalRequest(claim: Claim, request: WireRequest, payloadHash: String) -> String {
        var out = ""
        out.reserveCapacity(512)
        out += request.method.uppercased()
        out += "\n"
        out += canonicalPath(request.path)
        out += "\n"
        out += canonicalQuery(request.query, presigned: claim.presigned)
        out += "\n"
        for name in claim.signedHeaders {
            out += name
            out += ":"
            var first = true
            for header in request.headers where header.name == name {
                if !first { out += "," }
                out += normalizeHeaderValue(header.value)
                first = false
            }
            out += "\n"
        }
        out += "\n"
        out += claim.signedHeaders.joined(separator: ";")
        out += "\n"
        out += payloadHash
        return out
    }

    /// Non-S3 services sign the path URI-encoded once more than it was sent.
    static func canonicalPath(_ path: String) -> String {
        path.isEmpty ? "/" : FormEncoding.uriEncode(path, keepSlash: true)
    }

    static func canonicalQuery(_ query: String, presigned: Bool) -> String {
        guard !query.isEmpty else { return "" }
        var pairs: [(String, String)] = []
        for part in query.split(separator: "&", omittingEmptySubsequences: true) {
            let (rawKey, rawValue): (Substring, Substring)
            if let eq = part.firstIndex(of: "=") {
                (rawKey, rawValue) = (part[..<eq], part[part.index(after: eq)...])
            } else {
                (rawKey, rawValue) = (part, "")
            }
            let key = FormEncoding.percentDecode(Array(rawKey.utf8), plusIsSpace: false)
            if presigned && key == "X-Amz-Signature" { continue }
            let value = FormEncoding.percentDecode(Array(rawValue.utf8), plusIsSpace: false)
            pairs.append((FormEncoding.uriEncode(key), FormEncoding.uriEncode(value)))
        }
        pairs.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        return pairs.map { $0.0 + "=" + $0.1 }.joined(separator: "&")
    }

    /// Trims and collapses runs of spaces and tabs to one space (bytewise:
    /// both are ASCII, so UTF-8 sequences pass through untouched).
    static func normalizeHeaderValue(_ value: String) -> String {
        let bytes = value.utf8
        guard bytes.contains(where: { $0 == 0x20 || $0 == 0x09 }) else { return value }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var pendingSpace = false
        for byte in bytes {
            if byte == 0x20 || byte == 0x09 {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(0x20) }
                out.append(byte)
                pendingSpace = false
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `Credential=…, SignedHeaders=…, Signature=…`: name → value, items
    /// trimmed of spaces, items without `=` ignored.
    static func authorizationFields(_ text: Substring.UTF8View) -> [String: String] {
        var fields: [String: String] = [:]
        for item in text.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: true) {
            var start = item.startIndex, end = item.endIndex
            while start < end && item[start] == 0x20 { start = item.index(after: start) }
            while end > start && item[item.index(before: end)] == 0x20 { end = item.index(before: end) }
            let trimmed = item[start..<end]
            guard let eq = trimmed.firstIndex(of: UInt8(ascii: "=")) else { continue }
            fields[String(decoding: trimmed[..<eq], as: UTF8.self)] =
                String(decoding: trimmed[trimmed.index(after: eq)...], as: UTF8.self)
        }
        return fields
    }
}
