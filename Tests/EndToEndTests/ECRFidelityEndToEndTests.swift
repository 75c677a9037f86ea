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
}
