import Foundation
import GatehouseTesting
import Testing

/// Policy documents the in-process tests use.
enum Docs {
    static func allow(_ action: String = "s3:GetObject", resource: String = "*") -> String {
        #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"\#(action)","Resource":"\#(resource)"}]}"#
    }

    /// An identity policy of exactly `size` characters that are not
    /// whitespace (the way IAM counts policy size), padded in an S3 ARN.
    static func identity(size: Int, whitespace: Int = 0) -> String {
        let empty = allow(resource: "arn:aws:s3:::")
        let padding = size - empty.unicodeScalars.count
        precondition(padding >= 0, "\(size) is smaller than the smallest document")
        return String(repeating: " ", count: whitespace) + allow(resource: "arn:aws:s3:::" + String(repeating: "b", count: padding))
    }
}

/// One kind of IAM identity that policies attach to and embed in, as the query API names it.
struct HolderKind: Sendable, CustomStringConvertible {
    let api: String  // "Role"
    let noun: String  // "role"
    let inlineLimit: Int
    let quotaName: String

    var description: String { noun }
    var nameKey: String { "\(api)Name" }

    static let role = HolderKind(api: "Role", noun: "role", inlineLimit: 10_240, quotaName: "PoliciesPerRole")
    static let user = HolderKind(api: "User", noun: "user", inlineLimit: 2_048, quotaName: "PoliciesPerUser")
    static let group = HolderKind(api: "Group", noun: "group", inlineLimit: 5_120, quotaName: "PoliciesPerGroup")
    static let all = [role, user, group]

    func create(_ name: String, in world: TestWorld) async throws {
        var parameters = [nameKey: name]
        if api == "Role" { parameters["AssumeRolePolicyDocument"] = IAMInProcessTests.trust }
        let created = try await world.iam("Create\(api)", parameters)
        #expect(created.status == 200, "\(created)")
    }
}

extension TestWorld {
    /// Runs an operation that must succeed.
    @discardableResult
    func iamOK(_ action: String, _ parameters: [String: String] = [:], as key: String = TestWorld.rootKey) async throws -> Answer {
        let answer = try await iam(action, parameters, as: key)
        #expect(answer.status == 200, "\(action) \(parameters): \(answer)")
        return answer
    }

    /// Creates a customer managed policy; returns its ARN.
    @discardableResult
    func createPolicy(_ name: String, path: String = "/", document: String = Docs.allow()) async throws -> String {
        try #require(try await iamOK("CreatePolicy", ["PolicyName": name, "Path": path, "PolicyDocument": document]).value("Arn"))
    }

    /// The `element` values of every page of a list, following its markers `maxItems` at a time.
    func pages(
        _ action: String, _ parameters: [String: String] = [:], element: String, maxItems: Int, as key: String = TestWorld.rootKey
    ) async throws -> [String] {
        var found: [String] = []
        var marker: String?
        repeat {
            var request = parameters
            request["MaxItems"] = String(maxItems)
            if let marker { request["Marker"] = marker }
            let page = try await iamOK(action, request, as: key)
            found += page.values(element)
            marker = page.value("IsTruncated") == "true" ? page.value("Marker") : nil
        } while marker != nil
        return found
    }
}

extension TestWorld.Answer {
    /// The answer without its request id: equal states mean nothing changed.
    var state: String { body.replacingOccurrences(of: #"<RequestId>[^<]*</RequestId>"#, with: "", options: .regularExpression) }

    /// The error message as a client reads it, XML entities resolved.
    var message: String? {
        errorMessage.map {
            $0.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
                .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
                .replacingOccurrences(of: "&amp;", with: "&")
        }
    }
}
