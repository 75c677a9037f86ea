import JSON
import PolicyEngine
import Testing

/// IAM's refusals, word for word. Unless noted, each vector is a case that
/// moto's `test_iam_policies.py` or versitygw's PutUserPolicy integration
/// test recorded against IAM; "(guessed)" marks wording no record confirms.
@Suite("Grammar errors")
struct GrammarErrorTests {
    static let syntax = "Syntax errors in policy."
    static let legacy = "The policy failed legacy parsing"
    static let stmt = #""Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket""#

    static let structure: [GrammarVector] = [
        .init(name: "Text that is not JSON is a syntax error", document: "This is not a json document", message: syntax),
        .init(name: "A trust policy that is not JSON contains invalid Json (CreateRole reports)",
              document: #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow",}]}"#, kind: .trust,
              message: "This policy contains invalid Json"),
        .init(name: "An unknown Version string is a syntax error, not a legacy parsing failure",
              document: #"{"Version":"2013-10-17","Statement":{\#(stmt)}}"#, message: syntax),
        .init(name: "A managed policy without Version must be 2012-10-17 or greater",
              document: #"{"Statement":{\#(stmt)}}"#, managed: true,
              message: "Policy document must be version 2012-10-17 or greater."),
        .init(name: "A managed policy at 2008-10-17 must be 2012-10-17 or greater",
              document: #"{"Version":"2008-10-17","Statement":{\#(stmt)}}"#, managed: true,
              message: "Policy document must be version 2012-10-17 or greater."),
        .init(name: "A missing Statement is a syntax error", document: #"{"Version":"2012-10-17"}"#, message: syntax),
        .init(name: "An empty Statement array is a syntax error",
              document: #"{"Version":"2012-10-17","Statement":[]}"#, message: syntax),
        .init(name: "A Statement that is a string is a syntax error",
              document: #"{"Version":"2012-10-17","Statement":"hello"}"#, message: syntax),
        .init(name: "A Statement array holding a string is a syntax error",
              document: #"{"Version":"2012-10-17","Statement":["afd"]}"#, message: syntax),
        .init(name: "An unknown top-level element is a syntax error",
              document: #"{"Version":"2012-10-17","Statement":{\#(stmt)},"Extra field":"value"}"#, message: syntax),
        .init(name: "An unknown statement element is a syntax error",
              document: #"{"Version":"2012-10-17","Statement":{\#(stmt),"Extra field":"value"}}"#, message: syntax),
        .init(name: "An Id that is not a string is a syntax error",
              document: #"{"Version":"2012-10-17","Id":{},"Statement":{\#(stmt)}}"#, message: syntax),
        .init(name: "A missing Effect is a syntax error",
              document: #"{"Version":"2012-10-17","Statement":{"Action":"s3:ListBucket","Resource":"*"}}"#, message: syntax),
        .init(name: "An Effect other than Allow or Deny is a syntax error",
              document: #"{"Version":"2012-10-17","Statement":{"Effect":"invalid","Action":"s3:ListBucket","Resource":"*"}}"#,
              message: syntax),
        .init(name: "An Effect in the wrong case fails legacy parsing",
              document: #"{"Version":"2012-10-17","Statement":{"Effect":"denY","Action":"s3:ListBucket","Resource":"*"}}"#,
              message: legacy),
        .init(name: "Action together with NotAction is a syntax error",
              document: #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","NotAction":"s3:ListBucket","Action":"iam:dsf","Resource":"*"}}"#,
              message: syntax),
        .init(name: "Resource together with NotResource is a syntax error",
              document: #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*","NotResource":"*"}}"#,
              message: syntax),
        .init(name: "A numeric Action is a syntax error",
              document: #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":123,"Resource":"*"}]}"#,
              message: syntax),
        .init(name: "A Resource list holding an object is a syntax error",
              document: #"{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"s3:ListBucket","Resource":["adfdf",{}]}}"#,
              message: syntax),
        .init(name: "A Sid that is not a string is a syntax error",
              document: #"{"Version":"2012-10-17","Statement":{"Sid":[],\#(stmt)}}"#, message: syntax),
    ]

    static let conditions: [GrammarVector] = [
        .init(name: "A Condition that is an array is a syntax error",
              document: #"{"Version":"2012-10-17","Statement":{\#(stmt),"Condition":[]}}"#, message: syntax),
        .init(name: "A Condition operator whose value is a string is a syntax error",
              document: #"{"Version":"2012-10-17","Statement":{\#(stmt),"Condition":{"DateGreaterThan":"b"}}}"#,
              message: syntax),
        .init(name: "A condition value that is an object is a syntax error",
              document: #"{"Version":"2012-10-17","Statement":{\#(stmt),"Condition":{"DateGreaterThan":{"a":{}}}}}"#,
              message: syntax),
        .init(name: "An unknown condition operator is a syntax error",
              document: #"{"Version":"2012-10-17","Statement":{\#(stmt),"Condition":{"x":{"a":"1"}}}}"#, message: syntax),
        .init(name: "A doubled colon after the set qualifier is a syntax error",
              document: #"{"Version":"2012-10-17","Statement":{\#(stmt),"Condition":{"ForAnyValue::StringEqualsIfExists":{"a":"asf"}}}}"#,
              message: syntax),
        .init(name: "Null takes no IfExists",
              document: #"{"Version":"2012-10-17","Statement":{\#(stmt),"Condition":{"NullIfExists":{"a":"true"}}}}"#,
              message: syntax),
        .init(name: "A date IAM cannot read fails legacy parsing",
              document: #"{"Version":"2012-10-17","Statement":{\#(stmt),"Condition":{"DateGreaterThan":{"a":"sdfdsf"}}}}"#,
              message: legacy),
        .init(name: "A thirteenth month fails legacy parsing",
              document: #"{"Version":"2012-10-17","Statement":{\#(stmt),"Condition":{"DateLessThanEquals":{"a":"234-13"}}}}"#,
              message: legacy),
        .init(name: "A one-digit zone offset fails legacy parsing",
              document: #"{"Version":"2012-10-17","Statement":{\#(stmt),"Condition":{"DateLessThanEquals":{"a":"2016-12-13t2:00:00.593194+1"}}}}"#,
              message: legacy),
        .init(name: "An epoch beyond 64 bits fails legacy parsing",
              document: #"{"Version":"2012-10-17","Statement":{\#(stmt),"Condition":{"DateLessThan":{"a":"9223372036854775808"}}}}"#,
              message: legacy),
    ]

    static let statementChecks: [GrammarVector] = [
        .init(name: "Duplicate Sids must be unique",
              document: #"{"Version":"2012-10-17","Statement":[{"Sid":"Dup","Effect":"Allow","Action":"s3:GetObject","Resource":"*"},{"Sid":"Dup","Effect":"Allow","Action":"s3:PutObject","Resource":"*"}]}"#,
              message: "Statement IDs (SID) in a single policy must be unique."),
        .init(name: "Duplicate Sids are reported before missing actions",
              document: #"{"Version":"2012-10-17","Statement":[{"Sid":"sdf",\#(stmt)},{"Sid":"sdf","Effect":"Allow"}]}"#,
              message: "Statement IDs (SID) in a single policy must be unique."),
        .init(name: "Sids must be alphanumeric (cfn-lint#1376, carthage_cache#22)",
              document: #"{"Version":"2012-10-17","Statement":[{"Sid":"autogenerated-id",\#(stmt)}]}"#,
              message: "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*"),
        .init(name: "A statement without Action or NotAction must contain actions",
              document: #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Resource":"arn:aws:s3:::example_bucket"}}"#,
              message: "Policy statement must contain actions."),
        .init(name: "An empty Action list must contain actions",
              document: #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":[],"Resource":"*"}}"#,
              message: "Policy statement must contain actions."),
        .init(name: "A statement without Resource must contain resources",
              document: #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket"}}"#,
              message: "Policy statement must contain resources."),
        .init(name: "Missing resources are reported before a vendorless action",
              document: #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"invalid"}}"#,
              message: "Policy statement must contain resources."),
        .init(name: "An empty Resource list must contain resources",
              document: #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":[]}}"#,
              message: "Policy statement must contain resources."),
        .init(name: "A Principal in an identity policy is refused (PutGroupPolicy reports)",
              document: #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}]}"#,
              message: "Policy document should not specify a principal."),
        .init(name: "A NotPrincipal in an identity policy is refused",
              document: #"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","NotPrincipal":{"AWS":"123456789012"},"Action":"s3:GetObject","Resource":"*"}]}"#,
              message: "Policy document should not specify a principal."),
    ]

    static let actions: [GrammarVector] = [
        .init(name: "An action without a vendor must be prefaced by one",
              document: #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"invalid","Resource":"*"}}"#,
              message: "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."),
        .init(name: "An empty NotAction must be prefaced by a vendor",
              document: #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","NotAction":"","Resource":"*"}}"#,
              message: "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."),
        .init(name: "An action with two colons is refused",
              document: #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:List:Bucket","Resource":"*"}}"#,
              message: "Actions/Condition can contain only one colon."),
        .init(name: "A vendor with a space is not valid",
              document: #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"a a:ListBucket","Resource":"*"}}"#,
              message: "Vendor a a is not valid"),
        .init(name: "An empty vendor is not valid",
              document: #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":":GetObject","Resource":"*"}]}"#,
              message: "Vendor  is not valid"),
    ]

    static let resources: [GrammarVector] = [
        .init(name: "A resource without a colon must be in ARN format",
              document: #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"invalid resource"}}"#,
              message: #"Resource invalid resource must be in ARN format or "*"."#),
        .init(name: "An empty resource must be in ARN format",
              document: #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":""}}"#,
              message: #"Resource  must be in ARN format or "*"."#),
        .init(name: "A NotResource without a colon must be in ARN format",
              document: #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","NotResource":"invalid"}]}"#,
              message: #"Resource invalid must be in ARN format or "*"."#),
        .init(name: "An unknown partition is named with the fields IAM saw",
              document: #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","NotAction":"s3s:ListBucket","Resource":"a:b:cadfsdf"}}"#,
              message: #"Partition "b" is not valid for resource "arn:b:cadfsdf:*:*:*"."#),
        .init(name: "A single-field partition fills the rest with wildcards",
              document: #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","NotAction":"s3s:ListBucket","Resource":"a:bsdfdsafsad"}}"#,
              message: #"Partition "bsdfdsafsad" is not valid for resource "arn:bsdfdsafsad:*:*:*:*"."#),
        .init(name: "A resource missing its arn prefix shifts the partition",
              document: #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"aws:s3:::example_bucket"}}"#,
              message: #"Partition "s3" is not valid for resource "arn:s3:::example_bucket:*"."#),
        .init(name: "An empty partition is reported too",
              document: #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"s3::example-bucket/*"}]}"#,
              message: #"Partition "" is not valid for resource "arn::example-bucket/*:*:*:*"."#),
        .init(name: "The first bad resource in document order is reported",
              document: #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":["arn:error:s3:::example_bucket","arn:error:s3::example_bucket"]}}"#,
              message: #"Partition "error" is not valid for resource "arn:error:s3:::example_bucket"."#),
        .init(name: "A resource without a service must be fully qualified",
              document: #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws"}}"#,
              message: "Resource vendor must be fully qualified and cannot contain regexes."),
        .init(name: "IAM resources cannot contain a region",
              document: #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:iam:us-east-1::example_bucket"}}"#,
              message: "IAM resource arn:aws:iam:us-east-1::example_bucket cannot contain region information."),
        .init(name: "S3 resources can not contain a region",
              document: #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:us-east-1::example_bucket"}}"#,
              message: "Resource arn:aws:s3:us-east-1::example_bucket can not contain region information."),
        .init(name: "An S3 bucket path with a region and account is still refused (aws/aws-cdk#22445)",
              document: #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:us-west-2:123456789012:test/athena"}}"#,
              message: "Resource arn:aws:s3:us-west-2:123456789012:test/athena can not contain region information."),
        .init(name: "IAM resource paths start with a known type",
              document: #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:iam:::example_bucket"}}"#,
              message: #"IAM resource path must either be "*", root, or start with user/, federated-user/, role/, group/, instance-profile/, mfa/, server-certificate/, policy/, sms-mfa/, saml-provider/, oidc-provider/, report/, access-report/."#),
        .init(name: "A resource with :: and too few colons fails legacy parsing",
              document: #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3::example_bucket"}}"#,
              message: legacy),
        .init(name: "Legacy parsing of resources comes before missing actions",
              document: #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Resource":"arn:aws:s3::example_bucket"}}"#,
              message: legacy),
        .init(name: "An empty service field fails legacy parsing",
              document: #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws::fdsasf"}}"#,
              message: legacy),
        .init(name: "A policy variable before the fifth colon fails legacy parsing (Variables and tags: Resource element)",
              document: #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"iam:GetRole","Resource":"arn:aws:iam::${aws:PrincipalAccount}:role/workshop-*"}}"#,
              message: legacy),
        .init(name: "A too-short ARN inside the resource prefix fails legacy parsing",
              document: #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:awss3::example-bucket/*"}]}"#,
              message: legacy),
    ]

    static let trustAndResource: [GrammarVector] = [
        .init(name: "A trust policy may not name a Resource (CreateRole: Has prohibited field Resource)",
              document: #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole","Resource":"*"}]}"#,
              kind: .trust, message: "Has prohibited field Resource"),
        .init(name: "A trust policy may not name a NotResource (guessed by analogy)",
              document: #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole","NotResource":"*"}]}"#,
              kind: .trust, message: "Has prohibited field NotResource"),
        .init(name: "A trust statement without principals is refused (terraform-aws-iam#47)",
              document: #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole"}]}"#,
              kind: .trust,
              message: "Invalid principal in policy: com.amazon.balsa.error.InvalidPolicyException: The passed in policy has a statement with no principals!"),
        .init(name: "A trust statement with an empty principal list is refused",
              document: #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":[]},"Action":"sts:AssumeRole"}]}"#,
              kind: .trust,
              message: "Invalid principal in policy: com.amazon.balsa.error.InvalidPolicyException: The passed in policy has a statement with no principals!"),
        .init(name: "A trust policy only allows STS actions",
              document: #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"*"}]}"#,
              kind: .trust, message: "AssumeRole policy may only specify STS AssumeRole actions."),
        .init(name: "A trust policy refuses non-STS actions such as s3:GetObject",
              document: #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":["sts:AssumeRole","s3:GetObject"]}]}"#,
              kind: .trust, message: "AssumeRole policy may only specify STS AssumeRole actions."),
        .init(name: "A malformed AWS principal is quoted back (opstrace#88 format)",
              document: #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"not-an-arn"},"Action":"sts:AssumeRole"}]}"#,
              kind: .trust, message: #"Invalid principal in policy: "AWS":"not-an-arn""#),
        .init(name: "A wildcard inside a principal ARN is refused",
              document: #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:role/*"},"Action":"sts:AssumeRole"}]}"#,
              kind: .trust, message: #"Invalid principal in policy: "AWS":"arn:aws:iam::123456789012:role/*""#),
        .init(name: "A service principal type is upper-cased (aws-cdk report \"SERVICE\":\"\")",
              document: #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":""},"Action":"sts:AssumeRole"}]}"#,
              kind: .trust, message: #"Invalid principal in policy: "SERVICE":"""#),
        .init(name: "A bare service name is not a service principal",
              document: #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda"},"Action":"sts:AssumeRole"}]}"#,
              kind: .trust, message: #"Invalid principal in policy: "SERVICE":"lambda""#),
        .init(name: "A resource-based statement without Principal is refused (S3 wording)",
              document: #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecr:BatchGetImage"}]}"#,
              kind: .resource, message: "Missing required field Principal"),
    ]

    @Test("Document structure", arguments: structure)
    func documentStructure(_ vector: GrammarVector) {
        #expect(vector.error()?.message == vector.message)
    }

    @Test("Condition blocks", arguments: conditions)
    func conditionBlocks(_ vector: GrammarVector) {
        #expect(vector.error()?.message == vector.message)
    }

    @Test("Statement IDs and required elements", arguments: statementChecks)
    func statementElements(_ vector: GrammarVector) {
        #expect(vector.error()?.message == vector.message)
    }

    @Test("Action names", arguments: actions)
    func actionNames(_ vector: GrammarVector) {
        #expect(vector.error()?.message == vector.message)
    }

    @Test("Resource formats", arguments: resources)
    func resourceFormats(_ vector: GrammarVector) {
        #expect(vector.error()?.message == vector.message)
    }

    @Test("Trust and resource-based policies", arguments: trustAndResource)
    func trustAndResourcePolicies(_ vector: GrammarVector) {
        #expect(vector.error()?.message == vector.message)
    }

    @Test("Errors carry a code and the statement's position")
    func errorsCarryCodeAndPosition() {
        let text = """
            {
              "Version": "2012-10-17",
              "Statement": [
                {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
                {"Effect": "Allow", "Resource": "*"}
              ]
            }
            """
        do {
            _ = try PolicyDocument.parse(text, kind: .identity)
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .missingActions)
            #expect(error.position?.line == 5)
            #expect(error.position?.column == 5)
        }
    }

    @Test("A JSON syntax error points at the offending character")
    func jsonErrorsPointAtTheCharacter() {
        do {
            _ = try PolicyDocument.parse("{\n  \"Version\": 2012-10-17\n}", kind: .identity)
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .syntax)
            #expect(error.position == JSONPosition(line: 2, column: 18, offset: 19))
        }
    }
}
