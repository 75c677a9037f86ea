import AWSShapes
import PolicyEngine
import ServiceKit

/// `AccessCheckResourceType`, botocore 1.43.11's 26 values in the model's
/// order (§1.3). `AWS::ECR::Repository` is not among them.
public enum AccessCheckResourceType: String, Sendable, CaseIterable {
    case dynamoDBTable = "AWS::DynamoDB::Table"
    case dynamoDBStream = "AWS::DynamoDB::Stream"
    case efsFileSystem = "AWS::EFS::FileSystem"
    case openSearchDomain = "AWS::OpenSearchService::Domain"
    case kinesisStream = "AWS::Kinesis::Stream"
    case kinesisStreamConsumer = "AWS::Kinesis::StreamConsumer"
    case kmsKey = "AWS::KMS::Key"
    case lambdaFunction = "AWS::Lambda::Function"
    case s3Bucket = "AWS::S3::Bucket"
    case s3AccessPoint = "AWS::S3::AccessPoint"
    case s3ExpressDirectoryBucket = "AWS::S3Express::DirectoryBucket"
    case s3Glacier = "AWS::S3::Glacier"
    case s3OutpostsBucket = "AWS::S3Outposts::Bucket"
    case s3OutpostsAccessPoint = "AWS::S3Outposts::AccessPoint"
    case secretsManagerSecret = "AWS::SecretsManager::Secret"
    case snsTopic = "AWS::SNS::Topic"
    case sqsQueue = "AWS::SQS::Queue"
    case roleTrustPolicy = "AWS::IAM::AssumeRolePolicyDocument"
    case s3TablesTableBucket = "AWS::S3Tables::TableBucket"
    case apiGatewayRestApi = "AWS::ApiGateway::RestApi"
    case codeArtifactDomain = "AWS::CodeArtifact::Domain"
    case backupVault = "AWS::Backup::BackupVault"
    case cloudTrailDashboard = "AWS::CloudTrail::Dashboard"
    case cloudTrailEventDataStore = "AWS::CloudTrail::EventDataStore"
    case s3TablesTable = "AWS::S3Tables::Table"
    case s3ExpressAccessPoint = "AWS::S3Express::AccessPoint"
}

/// `POST /policy/check-no-public-access`: whether a resource policy can grant
/// access to anyone (docs/research/access-analyzer.md §1.3, §4).
public enum CheckNoPublicAccess: RestJSONOperation {
    public static let name = "CheckNoPublicAccess"

    public struct Input: Sendable, Equatable {
        public var policyDocument: String
        public var resourceType: AccessCheckResourceType
    }

    public typealias Output = CheckResult

    /// A type outside the enum is refused like any enum violation: the API
    /// reference says only that AWS "will return an error" (§1.3, §4.4).
    public static func decode(_ request: RestJSONRequest) throws(AWSError) -> Input {
        var body = RequestMembers(request)
        let document = try body.required("policyDocument")
        let resourceType = body.oneOf("resourceType", try body.required("resourceType"), AccessCheckResourceType.self)
        try body.finish()
        guard let document, let resourceType else { throw AccessAnalyzerService.validationException("InvalidInput", reason: "other") }
        return Input(policyDocument: document, resourceType: resourceType)
    }

    static let behaviour = OperationBehaviour<Input, Output>.standalone(
        access: AccessAnalyzerService.access(name),
        handler: { input, _ in try check(input) })

    /// Both texts CONFIRMED (§4.2).
    static let pass = "The resource policy does not grant public access for the given resource type."
    static let fail = "The resource policy grants public access for the given resource type."

    static func check(_ input: Input) throws(AWSError) -> Output {
        // Every type, the trust policy too, is a resource policy: a Principal
        // and an optional Resource (the §4.3 example has none).
        let policy = try CustomPolicyChecks.parse(input.policyDocument, kind: .resource, member: "policyDocument")
        let statements = policy.statements.filter(isPublic)
        return statements.isEmpty
            ? CheckResult(passed: true, message: pass, reasons: [])
            : CheckResult(passed: false, message: fail, reasons: statements.map { CheckReason("Public access granted in the following statement with", $0) })
    }

    /// Keys that, compared positively with a value that is not a wildcard,
    /// confine a statement to known accounts, organizations, networks or
    /// sources: the keys the IAM User Guide lists for Access Analyzer's
    /// public-access findings ("Preview access", "Resource types supported
    /// … conditions"), plus the service-side account keys.
    static let confiningKeys: Set<String> = [
        "aws:principalaccount", "aws:principalarn", "aws:principalorgid", "aws:principalorgpaths",
        "aws:sourceaccount", "aws:sourcearn", "aws:sourceowner", "aws:sourceorgid", "aws:sourceorgpaths",
        "aws:sourcevpc", "aws:sourcevpce", "aws:sourceip", "aws:userid", "aws:principalservicename",
        "kms:calleraccount", "lambda:eventsourcetoken", "cognito-identity.amazonaws.com:aud",
        "sns:endpoint",
    ]

    /// An Allow whose principals include everyone (`"*"`, `{"AWS":"*"}`, or a
    /// `NotPrincipal`, which names everyone else) with no condition confining it.
    static func isPublic(_ statement: PolicyStatement) -> Bool {
        guard statement.effect == .allow else { return false }
        let everyone = statement.principalIsNegated || statement.principals.contains { $0.isWildcard && ($0.type == .aws || $0.type == .federated) }
        return everyone && !statement.conditions.contains(where: confines)
    }

    /// A condition that can only be met by some principals: a positive
    /// operator (negated ones, and `…IfExists` ones met by a missing key, let
    /// anyone else in) on a confining key, with no value that is a wildcard
    /// or the whole address space.
    static func confines(_ clause: ConditionClause) -> Bool {
        let op = clause.operator
        guard !op.base.isNegated, !op.ifExists, op.base != .null, confiningKeys.contains(clause.key.lowercased()) else { return false }
        return !clause.values.isEmpty && !clause.values.contains { $0 == "*" || $0 == "0.0.0.0/0" || $0 == "::/0" }
    }

    public static func encode(_ output: Output) -> [UInt8] { output.encode() }
}
