/// What IAM Access Analyzer's `ValidatePolicy` answers about a policy: its
/// findings, each with AWS's issue code, message, documentation link and the
/// places in the text it concerns. Shapes and wording: docs/research/access-analyzer.md.
public struct ValidationFinding: Sendable, Equatable {
    public enum FindingType: String, Sendable, CaseIterable, Comparable {
        case error = "ERROR"
        case securityWarning = "SECURITY_WARNING"
        case warning = "WARNING"
        case suggestion = "SUGGESTION"

        /// Most severe first.
        public static func < (a: FindingType, b: FindingType) -> Bool {
            allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
        }

        /// The policy check reference's heading for this type, which its
        /// anchors use (a WARNING is a "general warning" there).
        var referenceCategory: String {
            switch self {
            case .error: "error"
            case .securityWarning: "security-warning"
            case .warning: "general-warning"
            case .suggestion: "suggestion"
            }
        }
    }

    /// One step from the document's root to what a finding concerns.
    public enum PathElement: Sendable, Equatable {
        /// An array element.
        case index(Int)
        /// An object member, by its key (AWS writes it `{"value": key}`).
        case value(String)
    }

    /// A place in the policy text: line from 1, column and offset from 0,
    /// counted in UTF-16 code units as AWS counts them; `end` is exclusive.
    public struct Position: Sendable, Equatable {
        public var line: Int
        public var column: Int
        public var offset: Int

        public init(line: Int, column: Int, offset: Int) {
            (self.line, self.column, self.offset) = (line, column, offset)
        }
    }

    public struct Location: Sendable, Equatable {
        public var path: [PathElement]
        public var start: Position
        public var end: Position

        public init(path: [PathElement], start: Position, end: Position) {
            (self.path, self.start, self.end) = (path, start, end)
        }
    }

    public let findingType: FindingType
    public let issueCode: String
    public let findingDetails: String
    public let locations: [Location]

    public var learnMoreLink: String {
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html#access-analyzer-reference-policy-checks-"
            + findingType.referenceCategory + "-" + issueCode.lowercased().replacing("_", with: "-")
    }
}

/// The policy types `ValidatePolicy` takes (`policyType`).
public enum ValidationPolicyType: String, Sendable, CaseIterable {
    case identity = "IDENTITY_POLICY"
    case resource = "RESOURCE_POLICY"
    case serviceControl = "SERVICE_CONTROL_POLICY"
    case resourceControl = "RESOURCE_CONTROL_POLICY"
}

/// The resources a resource policy may be validated for (`validatePolicyResourceType`).
public enum ValidationResourceType: String, Sendable, CaseIterable {
    case s3Bucket = "AWS::S3::Bucket"
    case s3AccessPoint = "AWS::S3::AccessPoint"
    case s3MultiRegionAccessPoint = "AWS::S3::MultiRegionAccessPoint"
    case s3ObjectLambdaAccessPoint = "AWS::S3ObjectLambda::AccessPoint"
    case roleTrustPolicy = "AWS::IAM::AssumeRolePolicyDocument"
    case dynamoDBTable = "AWS::DynamoDB::Table"
}
