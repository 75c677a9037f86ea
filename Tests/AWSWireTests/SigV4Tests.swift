import AWSShapes
import Foundation
@testable import AWSWire
import Hashing
import Testing

@Suite("SigV4")
struct SigV4Tests {
    /// AWS's published example (SigV4 documentation, "Examples of the complete
    /// Signature Version 4 signing process"): IAM ListUsers signed with the
    /// documentation key on 2015-08-30.
    static let request = WireRequest(
        method: "GET", path: "/", query: "Action=ListUsers&Version=2010-05-08",
        headers: [
            ("Host", "iam.amazonaws.com"),
            ("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
            ("X-Amz-Date", "20150830T123600Z"),
            ("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"),
        ],
        body: [])
    static let now = Timestamp(iso8601: "2015-08-30T12:40:00Z")!

    @Test("AWS's documented example verifies with its secret")
    func documentedExample() throws {
        let claim = try #require(try SigV4.parse(Self.request, now: Self.now))
        #expect(claim.scope.accessKeyId == "AKIDEXAMPLE")
        #expect(claim.scope.service == "iam")
        #expect(SigV4.verify(claim, request: Self.request, secret: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"))
        #expect(!SigV4.verify(claim, request: Self.request, secret: "wrong"))
    }

    @Test("a client's signature (SigV4.authorization) is AWS's documented one for the documented request")
    func signsAsClientsDo() throws {
        var unsigned = Self.request
        unsigned.headers.removeAll { $0.0.lowercased() == "authorization" }
        let time = try #require(Timestamp(iso8601: "2015-08-30T12:36:00Z"))
        let header = SigV4.authorization(
            for: unsigned, accessKeyId: "AKIDEXAMPLE", secret: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", region: "us-east-1",
            service: "iam", at: time)
        #expect(header == Self.request.headers.first { $0.0.lowercased() == "authorization" }?.1)
    }

    @Test("a request older than 15 minutes is refused with AWS's message")
    func expired() {
        let later = Timestamp(iso8601: "2015-08-30T13:00:00Z")!
        #expect(throws: SigV4.Failure.signatureExpired(
            "Signature expired: 20150830T123600Z is now earlier than 20150830T124500Z (20150830T130000Z - 15 min.)")) {
            try SigV4.parse(Self.request, now: later)
        }
    }

    @Test("a header without its parts is an incomplete signature")
    func incomplete() {
        var request = Self.request
        request.headers = request.headers.map { $0.name == "authorization" ? ($0.name, "AWS4-HMAC-SHA256 Credential=ABCDEF") : $0 }
        #expect(throws: SigV4.Failure.incompleteSignature(
            "Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization=AWS4-HMAC-SHA256 Credential=ABCDEF")) {
            try SigV4.parse(request, now: Self.now)
        }
    }

    @Test("no signature at all is not a claim")
    func unsigned() throws {
        let request = WireRequest(method: "POST", path: "/", query: "", headers: [("host", "x")], body: [])
        #expect(try SigV4.parse(request, now: Self.now) == nil)
    }
}

/// Attacks on the signature, each refused as AWS refuses it (issue: "close
/// what an attacker found").
@Suite("SigV4 refusals")
struct SigV4RefusalTests {
    static let secret = "secret"
    static let now = Timestamp(iso8601: "2026-12-02T10:00:00Z")!
    static let amzDate = "20261202T100000Z"

    /// A request signed as a client would sign it: every header given, the
    /// payload hash `payloadHash` (the body's unless said otherwise).
    static func signed(
        body: String, headers extra: [(String, String)] = [], signedHeaders: String = "content-type;host;x-amz-date",
        region: String = "us-east-1", payloadHash: String? = nil
    ) -> WireRequest {
        var request = WireRequest(
            method: "POST", path: "/", query: "",
            headers: [("host", "127.0.0.1:4566"), ("content-type", "application/x-www-form-urlencoded; charset=utf-8"), ("x-amz-date", amzDate)] + extra,
            body: Array(body.utf8))
        let scope = SigV4.CredentialScope(accessKeyId: "AKIDEXAMPLE", date: "20261202", region: region, service: "iam", terminator: "aws4_request")
        let claim = SigV4.Claim(
            scope: scope, signedHeaders: signedHeaders.split(separator: ";").map(String.init), signature: "",
            amzDate: amzDate, requestTime: now, securityToken: nil, presigned: false, expires: nil)
        let hash = payloadHash ?? Hex.encode(SHA256.hash(request.body))
        let signature = SigV4.signature(claim: claim, request: request, payloadHash: hash, key: SigV4.signingKey(secret: secret, scope: scope))
        request.headers.append((
            "authorization",
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261202/\(region)/iam/aws4_request, SignedHeaders=\(signedHeaders), Signature=\(signature)"))
        return request
    }

    static func verifies(_ request: WireRequest) throws -> Bool {
        let claim = try #require(try SigV4.parse(request, now: now))
        return SigV4.verify(claim, request: request, secret: secret)
    }

    static let listUsers = "Action=ListUsers&Version=2010-05-08"
    static let createKey = "Action=CreateAccessKey&UserName=victim&Version=2010-05-08"

    @Test("a signed request verifies; its body swapped for another does not")
    func bodyIsSigned() throws {
        #expect(try Self.verifies(Self.signed(body: Self.listUsers)))
        var swapped = Self.signed(body: Self.listUsers)
        swapped.body = Array(Self.createKey.utf8)
        #expect(try !Self.verifies(swapped))
    }

    @Test("X-Amz-Content-Sha256 naming the original body does not carry another body")
    func declaredHashIsNotTheBody() throws {
        let originalHash = Hex.encode(SHA256.hash(Array(Self.listUsers.utf8)))
        // Unsigned header, as in the attack; and signed, with the declared value signed too.
        for signedHeaders in ["content-type;host;x-amz-date", "content-type;host;x-amz-content-sha256;x-amz-date"] {
            var replayed = Self.signed(
                body: Self.listUsers, headers: [("x-amz-content-sha256", originalHash)], signedHeaders: signedHeaders,
                payloadHash: originalHash)
            #expect(try Self.verifies(replayed), "the genuine request still verifies")
            replayed.body = Array(Self.createKey.utf8)
            #expect(try !Self.verifies(replayed), "\(signedHeaders)")
        }
    }

    @Test("UNSIGNED-PAYLOAD is not accepted by IAM, STS or ECR")
    func unsignedPayload() throws {
        let request = Self.signed(
            body: Self.createKey, headers: [("x-amz-content-sha256", "UNSIGNED-PAYLOAD")],
            signedHeaders: "content-type;host;x-amz-content-sha256;x-amz-date", payloadHash: "UNSIGNED-PAYLOAD")
        #expect(try !Self.verifies(request))
    }

    @Test("'Host' must be signed; so must the header that dates the request")
    func requiredSignedHeaders() {
        let hostMessage = "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."
        for signedHeaders in ["content-type;x-amz-date", ""] {
            #expect(throws: SigV4.Failure.signatureDoesNotMatch(hostMessage)) {
                try SigV4.parse(Self.signed(body: Self.listUsers, signedHeaders: signedHeaders), now: Self.now)
            }
        }
        #expect(throws: SigV4.Failure.signatureDoesNotMatch("'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization.")) {
            try SigV4.parse(Self.signed(body: Self.listUsers, signedHeaders: "content-type;host"), now: Self.now)
        }
    }

    @Test("a credential scoped to a region AWS does not have is refused, with every scope mismatch named at once")
    func region() throws {
        for region in ["zz-fake-9", "Evil<Region>", "us-east-1:999999999999"] {
            let claim = try #require(try SigV4.parse(Self.signed(body: Self.listUsers, region: region), now: Self.now))
            #expect(throws: SigV4.Failure.signatureDoesNotMatch("Credential should be scoped to a valid region, not '\(region)'. ")) {
                try SigV4.checkScope(claim, service: "iam", regions: AWSRegions.partition)
            }
        }
        let claim = try #require(try SigV4.parse(Self.signed(body: Self.listUsers, region: "mars-1"), now: Self.now))
        #expect(throws: SigV4.Failure.signatureDoesNotMatch(
            "Credential should be scoped to a valid region, not 'mars-1'. Credential should be scoped to correct service: 'sts'. ")) {
            try SigV4.checkScope(claim, service: "sts", regions: AWSRegions.partition)
        }
        let good = try #require(try SigV4.parse(Self.signed(body: Self.listUsers, region: "eu-west-1"), now: Self.now))
        try SigV4.checkScope(good, service: "iam", regions: AWSRegions.partition)
    }

    static func presigned(expires: String?) -> WireRequest {
        var query = "Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256"
            + "&X-Amz-Credential=AKIDEXAMPLE%2F20261202%2Fus-east-1%2Fsts%2Faws4_request&X-Amz-Date=\(amzDate)"
            + "&X-Amz-SignedHeaders=host&X-Amz-Signature=00"
        if let expires { query += "&X-Amz-Expires=\(expires)" }
        return WireRequest(method: "GET", path: "/", query: query, headers: [("host", "127.0.0.1:4566")], body: [])
    }

    @Test("X-Amz-Expires is whole seconds from 1 to 604800, refused otherwise with AWS's texts")
    func presignedLifetime() throws {
        let cases: [(String, String)] = [
            ("abc", "X-Amz-Expires should be a number"), ("1.5", "X-Amz-Expires should be a number"),
            ("", "X-Amz-Expires should be a number"), ("-5", "X-Amz-Expires must be non-negative"),
            ("604801", "X-Amz-Expires must be less than a week (in seconds) that is 604800"),
            ("99999999999999999999999", "X-Amz-Expires must be less than a week (in seconds) that is 604800"),
        ]
        for (value, message) in cases {
            #expect(throws: SigV4.Failure.incompleteSignature(message), "\(value)") {
                try SigV4.parse(Self.presigned(expires: value), now: Self.now)
            }
        }
        #expect(try SigV4.parse(Self.presigned(expires: "604800"), now: Self.now)?.expires == 604800)
        #expect(throws: SigV4.Failure.requestExpired) {
            try SigV4.parse(Self.presigned(expires: "0"), now: Self.now.adding(seconds: 1))
        }
    }

    @Test("a presigned URL's host must be signed")
    func presignedHost() {
        let request = WireRequest(
            method: "GET", path: "/",
            query: Self.presigned(expires: "60").query.replacingOccurrences(of: "X-Amz-SignedHeaders=host", with: "X-Amz-SignedHeaders=x-k8s-aws-id"),
            headers: [("host", "127.0.0.1:4566")], body: [])
        #expect(throws: SigV4.Failure.signatureDoesNotMatch("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.")) {
            try SigV4.parse(request, now: Self.now)
        }
    }
}
