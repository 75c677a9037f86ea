import Foundation
import JSON
import Testing

/// ECR answers compared with recordings of real ECR (docs/research/fidelity-issue18.md §11),
/// driven with the real aws CLI against the built binary.
@Suite("ECR fidelity, end to end")
struct ECRFidelityEndToEndTests {
    @Test("an unknown tag mutability is refused listing the values in ECR's order, and no repository is made")
    func enumValueOrder() throws {
        let server = try GatehouseProcess()
        let refused = try server.aws(["ecr", "create-repository", "--repository-name", "app", "--image-tag-mutability", "SOMETIMES"])
        #expect(refused.errorCode == "InvalidParameterException", "\(refused.stderr)")
        #expect(refused.stderr.contains(
            "Invalid parameter at 'imageTagMutability' failed to satisfy constraint: "
                + "'Member must satisfy enum value set: [IMMUTABLE, MUTABLE, MUTABLE_WITH_EXCLUSION, IMMUTABLE_WITH_EXCLUSION]'"),
            "\(refused.stderr)")
        let described = try server.aws(["ecr", "describe-repositories"])
        #expect(described.json?["repositories"] == .array([]), "\(described.stdout)")
    }

    /// The registry's host and a curl `-u` for it (Basic AWS:password, as `docker login` sends).
    static func registry(_ server: GatehouseProcess) throws -> (host: String, user: String) {
        let password = try server.aws(["ecr", "get-login-password"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        return (server.endpoint.replacingOccurrences(of: "http://", with: ""), "AWS:\(password)")
    }

    @Test("KMS encryption without a key reports the AWS managed key by its key ARN, one per registry")
    func awsManagedKey() throws {
        let server = try GatehouseProcess()
        var keys: [String] = []
        for name in ["one", "two"] {
            let created = try server.aws([
                "ecr", "create-repository", "--repository-name", name, "--encryption-configuration", "encryptionType=KMS",
            ])
            keys.append(try #require(created.json?["repository"]?["encryptionConfiguration"]?["kmsKey"]?.stringValue, "\(created.stderr)"))
        }
        #expect(keys[0].wholeMatch(of: /arn:aws:kms:us-east-1:000000000000:key\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/) != nil,
            "\(keys[0])")
        #expect(keys[0] == keys[1])
        let described = try server.aws(["ecr", "describe-repositories", "--repository-names", "one"])
        #expect(described.json?["repositories"]?.arrayValue?.first?["encryptionConfiguration"]?["kmsKey"]?.stringValue == keys[0])
    }

    @Test("repository and registry policies may repeat a Sid, as ECR accepts; an IAM policy still may not")
    func repeatedSid() throws {
        let server = try GatehouseProcess()
        #expect(try server.aws(["ecr", "create-repository", "--repository-name", "app"]).succeeded)
        let statement = #"{"Sid":"Pull","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"ecr:BatchGetImage"}"#
        let twice = #"{"Version":"2012-10-17","Statement":[\#(statement),\#(statement.replacingOccurrences(of: "BatchGetImage", with: "GetDownloadUrlForLayer"))]}"#
        let set = try server.aws(["ecr", "set-repository-policy", "--repository-name", "app", "--policy-text", twice])
        #expect(set.succeeded, "\(set.stderr)")
        #expect(try server.aws(["ecr", "get-repository-policy", "--repository-name", "app"]).json?["policyText"]?.stringValue == twice)
        let registry = twice.replacingOccurrences(of: "ecr:BatchGetImage", with: "ecr:CreateRepository")
            .replacingOccurrences(of: "ecr:GetDownloadUrlForLayer", with: "ecr:ReplicateImage")
            .replacingOccurrences(of: #""Action""#, with: #""Resource":"arn:aws:ecr:us-east-1:000000000000:repository/*","Action""#)
        let put = try server.aws(["ecr", "put-registry-policy", "--policy-text", registry])
        #expect(put.succeeded, "\(put.stderr)")
        let identity = #"{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Action":"ecr:*","Resource":"*"},{"Sid":"A","Effect":"Allow","Action":"iam:*","Resource":"*"}]}"#
        let iam = try server.aws(["iam", "create-policy", "--policy-name", "twice", "--policy-document", identity])
        #expect(iam.errorCode == "MalformedPolicyDocument", "\(iam.stderr)")
    }
}
