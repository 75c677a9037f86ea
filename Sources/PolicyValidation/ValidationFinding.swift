import JSON

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

extension ValidationFinding {
    /// The finding as `ValidatePolicy` answers it (member names and nesting of
    /// AWS's `ValidatePolicyFinding`; docs/research/access-analyzer.md §1.3, §3.1).
    public func write(to w: inout JSONWriter) {
        w.objectStart()
        w.key("findingDetails"); w.value(findingDetails)
        w.key("findingType"); w.value(findingType.rawValue)
        w.key("issueCode"); w.value(issueCode)
        w.key("learnMoreLink"); w.value(learnMoreLink)
        w.key("locations")
        w.arrayStart()
        for location in locations {
            w.objectStart()
            w.key("path")
            w.arrayStart()
            for element in location.path {
                w.objectStart()
                switch element {
                case .index(let index): w.key("index"); w.value(index)
                case .value(let key): w.key("value"); w.value(key)
                }
                w.objectEnd()
            }
            w.arrayEnd()
            w.key("span")
            w.objectStart()
            for (name, position) in [("start", location.start), ("end", location.end)] {
                w.key(name)
                w.objectStart()
                w.key("line"); w.value(position.line)
                w.key("column"); w.value(position.column)
                w.key("offset"); w.value(position.offset)
                w.objectEnd()
            }
            w.objectEnd()
            w.objectEnd()
        }
        w.arrayEnd()
        w.objectEnd()
    }
}
