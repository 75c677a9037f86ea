import Foundation
import JSON
import Testing

/// The default account of a fresh data directory.
let account = "000000000000"

/// Policy documents the IAM tests use.
enum Doc {
    static let ec2Trust = trust(service: "ec2.amazonaws.com")

    static func trust(service: String) -> String {
        #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"\#(service)"},"Action":"sts:AssumeRole"}]}"#
    }

    static func trust(aws principal: String) -> String {
        #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"\#(principal)"},"Action":"sts:AssumeRole"}]}"#
    }

    static func allow(_ action: String = "s3:GetObject", resource: String = "*") -> String {
        #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"\#(action)","Resource":"\#(resource)"}]}"#
    }

    /// An identity policy of exactly `size` characters that are not
    /// whitespace (the way IAM counts policy size), padded in an S3 ARN.
    static func identity(size: Int, whitespace: Int = 0) -> String {
        let empty = allow(resource: "arn:aws:s3:::")
        let padding = size - empty.unicodeScalars.count
        precondition(padding >= 0, "\(size) is smaller than the smallest document")
        let document = allow(resource: "arn:aws:s3:::" + String(repeating: "b", count: padding))
        return String(repeating: " ", count: whitespace) + document
    }

    /// A trust policy of exactly `size` non-whitespace characters, padded
    /// in an external id condition, after `whitespace` spaces.
    static func trust(size: Int, whitespace: Int = 0) -> String {
        func document(_ externalId: String) -> String {
            #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"\#(externalId)"}}}]}"#
        }
        let padding = size - document("").unicodeScalars.count
        precondition(padding >= 0, "\(size) is smaller than the smallest trust policy")
        return String(repeating: " ", count: whitespace) + document(String(repeating: "x", count: padding))
    }

    /// A trust policy of at least `size` non-whitespace characters.
    static func trust(atLeast size: Int) -> String {
        var services: [String] = []
        var document = ""
        repeat {
            services.append("\"svc\(services.count).amazonaws.com\"")
            document = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":[\#(services.joined(separator: ","))]},"Action":"sts:AssumeRole"}]}"#
        } while document.count < size
        return document
    }
}

extension GatehouseProcess.Result {
    /// The message the CLI printed after `An error occurred (Code) when calling the X operation: `.
    var errorMessage: String? {
        guard let line = stderr.split(separator: "\n").first(where: { $0.contains("An error occurred (") }),
            let colon = line.range(of: "operation: ")
        else { return nil }
        return String(line[colon.upperBound...])
    }
}

/// One raw query-protocol answer: HTTP status, headers (names lower-cased) and body.
struct QueryResponse: CustomStringConvertible {
    var status: Int
    var headers: [String: String]
    var body: String

    var description: String { "HTTP \(status)\n\(body)" }

    /// The text of every `<element>…</element>`, XML entities decoded.
    func values(_ element: String) -> [String] {
        var found: [String] = []
        var rest = body[...]
        while let open = rest.range(of: "<\(element)>"), let close = rest[open.upperBound...].range(of: "</\(element)>") {
            found.append(Self.unescape(String(rest[open.upperBound..<close.lowerBound])))
            rest = rest[close.upperBound...]
        }
        return found
    }

    func value(_ element: String) -> String? { values(element).first }

    var errorCode: String? { value("Code") }
    var errorMessage: String? { value("Message") }

    /// The body without its request id: what a read returns, to compare before and after.
    var state: String {
        body.replacingOccurrences(of: #"<RequestId>[^<]*</RequestId>"#, with: "", options: .regularExpression)
    }

    static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}

struct SetupFailure: Error, CustomStringConvertible {
    let description: String
}

extension GatehouseProcess {
    /// A raw query-protocol request signed by curl's SigV4 (fast: used for
    /// set-up and for what the CLI does not show, such as HTTP status).
    func query(
        _ parameters: [String: String], service: String = "iam",
        accessKey: String = rootCredentials.accessKey, secret: String = rootCredentials.secret
    ) throws -> QueryResponse {
        var arguments = [
            "-s", "-i", "-X", "POST", endpoint + "/", "--aws-sigv4", "aws:amz:us-east-1:\(service)",
            "--user", "\(accessKey):\(secret)", "-H", "Content-Type: application/x-www-form-urlencoded; charset=utf-8",
        ]
        for (name, value) in parameters.sorted(by: { $0.key < $1.key }) {
            arguments += ["--data-urlencode", "\(name)=\(value)"]
        }
        let result = try Self.run("curl", arguments, environment: ProcessInfo.processInfo.environment)
        return Self.parseHTTP(result.stdout)
    }

    static func parseHTTP(_ raw: String) -> QueryResponse {
        guard let split = raw.range(of: "\r\n\r\n") else { return QueryResponse(status: 0, headers: [:], body: raw) }
        let head = raw[..<split.lowerBound].split(separator: "\r\n")
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let status = head.first.flatMap { Int($0.split(separator: " ").dropFirst().first ?? "") } ?? 0
        return QueryResponse(status: status, headers: headers, body: String(raw[split.upperBound...]))
    }

    /// An IAM action, raw.
    func iam(_ action: String, _ parameters: [String: String] = [:]) throws -> QueryResponse {
        try query(parameters.merging(["Action": action, "Version": "2010-05-08"]) { $1 })
    }

    /// An IAM action that must succeed (set-up).
    @discardableResult
    func iamOK(_ action: String, _ parameters: [String: String] = [:]) throws -> QueryResponse {
        let response = try iam(action, parameters)
        guard response.status == 200 else { throw SetupFailure(description: "\(action) \(parameters): \(response)") }
        return response
    }

    // MARK: - Set-up shortcuts

    @discardableResult
    func createRole(_ name: String, path: String = "/", trust: String = Doc.ec2Trust) throws -> QueryResponse {
        try iamOK("CreateRole", ["RoleName": name, "Path": path, "AssumeRolePolicyDocument": trust])
    }

    /// Creates a customer managed policy and returns its ARN.
    @discardableResult
    func createPolicy(_ name: String, path: String = "/", document: String = Doc.allow()) throws -> String {
        let response = try iamOK("CreatePolicy", ["PolicyName": name, "Path": path, "PolicyDocument": document])
        guard let arn = response.value("Arn") else { throw SetupFailure(description: "no Arn in \(response)") }
        return arn
    }

    @discardableResult
    func createUser(_ name: String, path: String = "/") throws -> QueryResponse {
        try iamOK("CreateUser", ["UserName": name, "Path": path])
    }

    @discardableResult
    func createGroup(_ name: String, path: String = "/") throws -> QueryResponse {
        try iamOK("CreateGroup", ["GroupName": name, "Path": path])
    }

    /// Creates an access key for `user`: (id, secret).
    func createAccessKey(_ user: String) throws -> (id: String, secret: String) {
        let response = try iamOK("CreateAccessKey", ["UserName": user])
        guard let id = response.value("AccessKeyId"), let secret = response.value("SecretAccessKey") else {
            throw SetupFailure(description: "no key in \(response)")
        }
        return (id, secret)
    }
}

extension JSONValue {
    /// The strings of an array member (`Roles[].RoleName`).
    func strings(_ list: String, _ member: String) -> [String] {
        guard case .array(let items)? = self[list] else { return [] }
        return items.compactMap { $0[member]?.stringValue }
    }

    var count: Int? {
        if case .array(let items) = self { return items.count }
        return nil
    }
}

/// Parses a JSON text the test wrote (a policy document), for comparing with what came back.
func json(_ text: String) -> JSONValue? { try? JSONParser.parse(text) }
