import PolicyEngine

/// Principals, policies and requests shared by the vector tables.
enum EvaluationFixture {
    static let account = "123456789012"
    static let otherAccount = "210987654321"
    static let alice = EvaluationPrincipal.user(arn: "arn:aws:iam::123456789012:user/division/alice")
    static let roleARN = "arn:aws:iam::123456789012:role/app/Deployer"
    static let session = EvaluationPrincipal.assumedRole(
        sessionARN: "arn:aws:sts::123456789012:assumed-role/Deployer/build-42", roleARN: roleARN)
    static let outsider = EvaluationPrincipal.user(arn: "arn:aws:iam::210987654321:user/bob")
    static let root = EvaluationPrincipal.root(accountID: account)
    static let repository = "arn:aws:ecr:us-east-1:123456789012:repository/app"

    static func document(_ json: String, kind: PolicyKind = .identity) -> PolicyDocument {
        do {
            return try PolicyDocument.parse(json, kind: kind)
        } catch {
            fatalError("fixture policy does not parse: \(error)\n\(json)")
        }
    }

    static func managed(_ name: String, _ json: String) -> AttachedPolicy {
        AttachedPolicy(id: "arn:aws:iam::123456789012:policy/\(name)", source: .userManaged, document: document(json))
    }

    static func inline(_ name: String, _ json: String) -> AttachedPolicy {
        AttachedPolicy(id: "user/alice/\(name)", source: .user, document: document(json))
    }

    static func resource(_ json: String, kind: PolicyKind = .resource) -> AttachedPolicy {
        AttachedPolicy(id: "resource", source: .resource, document: document(json, kind: kind))
    }

    /// An identity policy with one statement allowing `action` on `resource`.
    static func allowing(_ action: String, on resource: String = "*", extra: String = "") -> String {
        #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"\#(action)","Resource":"\#(resource)"\#(extra)}]}"#
    }

    static func denying(_ action: String, on resource: String = "*") -> String {
        #"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"\#(action)","Resource":"\#(resource)"}]}"#
    }
}
