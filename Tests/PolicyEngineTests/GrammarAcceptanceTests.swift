import PolicyEngine
import Testing

/// Documents IAM accepts (moto's valid cases recorded against IAM, and IAM
/// User Guide examples).
@Suite("Grammar acceptance")
struct GrammarAcceptanceTests {
    static let accepted: [String] = [
        #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"iam: asdf safdsf af ","Resource":"arn:aws:s3:::example_bucket"}}"#,
        #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":["arn:aws:s3:::example_bucket","*"]}}"#,
        #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s33:::example_bucket"}}"#,
        #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:fdsasf"}}"#,
        #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket","Condition":{}}}"#,
        #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:ec2:us-east-1::example_bucket"}}"#,
        #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*","Condition":{"DateGreaterThan":{}}}}"#,
        #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*","Condition":{"DateGreaterThan":{"a":[]}}}}"#,
        #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*","Condition":{"x":{},"y":{}}}}"#,
        #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*","Condition":{"ForAnyValue:StringEqualsIfExists":{"a":"asf"}}}}"#,
        #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*","Condition":{"DateGreaterThan":{"a":"01T"}}}}"#,
        #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*","Condition":{"DateLessThanEquals":{"a":"2016-12-13t2:00:00.593194+23"}}}}"#,
        #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*","Condition":{"DateLessThan":{"a":"-292275054"}}}}"#,
        #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3-s:ListBucket","Resource":"*"}}"#,
        #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","NotAction":"s3:ListBucket","NotResource":"*"}}"#,
        #"{"Version":"2012-10-17","Statement":[{"Sid":"","Effect":"Allow","Action":"rds:*","Resource":["arn:aws:rds:region:*:*"]},{"Sid":"","Effect":"Allow","Action":["rds:Describe*"],"Resource":["*"]}]}"#,
        #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"iam:ChangePassword","Resource":"arn:aws:iam::*:user/${aws:username}"}}"#,
        #"{"Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}}"#,
        #"{"Version":"2008-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}}"#,
        #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"NumericLessThan":{"s3:max-keys":10},"Bool":{"aws:SecureTransport":true}}}}"#,
        // S3 resource types that carry a region (Service Authorization Reference): access points, jobs, Storage Lens.
        #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":["arn:aws:s3:us-west-2:123456789012:accesspoint/my-access-point","arn:aws:s3:us-west-2:123456789012:accesspoint/my-access-point/object/*"]}}"#,
        #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:DescribeJob","Resource":["arn:aws:s3:*:123456789012:job/*","arn:aws:s3:us-east-1:123456789012:storage-lens/dashboard"]}}"#,
        // IAM resource paths: "*" and root, as IAM's own message lists them.
        #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"iam:GetRole","Resource":["arn:aws:iam::123456789012:*","arn:aws:iam::123456789012:root"]}}"#,
    ]

    @Test("IAM's accepted identity policies parse", arguments: accepted)
    func acceptedPoliciesParse(_ text: String) throws {
        _ = try PolicyDocument.parse(text, kind: .identity)
    }

    @Test("A trust policy naming users, roles, services and web identities parses and exposes its principals")
    func trustPolicyExposesPrincipals() throws {
        let document = try PolicyDocument.parse(
            #"""
            {"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111122223333:user/ops/alice","arn:aws:iam::111122223333:role/Builder","444455556666"]},"Action":"sts:AssumeRole"},
              {"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":["sts:AssumeRole","sts:TagSession"]},
              {"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringLike":{"token.actions.githubusercontent.com:sub":"repo:org/*"}}}
            ]}
            """#, kind: .trust)
        let references = document.principalReferences
        #expect(references.map(\.value) == [
            "arn:aws:iam::111122223333:user/ops/alice", "arn:aws:iam::111122223333:role/Builder", "444455556666",
            "ec2.amazonaws.com", "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com",
        ])
        #expect(references.map(\.type) == [.aws, .aws, .aws, .service, .federated])
        #expect(references.filter(\.namesIAMIdentity).count == 2)
        #expect(references[2].accountID == "444455556666")
        #expect(references[4].statementIndex == 2)
        #expect(document.conditionKeys == ["token.actions.githubusercontent.com:sub"])
    }

    @Test("Condition and variable keys are listed once, first spelling kept, in document order")
    func contextKeysAreListedOnce() throws {
        let document = try PolicyDocument.parse(
            #"""
            {"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::b","Condition":{"StringLike":{"s3:prefix":"home/${aws:username}/*"},"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}},
              {"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/home/${aws:userid}/*","Condition":{"Bool":{"AWS:SourceIP":"x"}}}
            ]}
            """#, kind: .identity)
        #expect(document.conditionKeys == ["s3:prefix", "aws:SourceIp"])
        #expect(document.contextKeys == ["s3:prefix", "aws:SourceIp", "aws:username", "aws:userid"])
    }

    @Test("Statements keep their Sid, index, source span and the simulator's positions")
    func statementsKeepTheirPositions() throws {
        // The AWS CLI's simulate-custom-policy example reports Column 38 and 167.
        let text = #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2018-08-16T12:00:00Z"}}}}"#
        let statement = try #require(try PolicyDocument.parse(text, kind: .identity).statements.first)
        #expect(statement.index == 0)
        #expect(statement.sid == nil)
        #expect(statement.span?.start.column == 37)
        #expect(statement.simulatorStartPosition?.line == 1)
        #expect(statement.simulatorStartPosition?.column == 38)
        #expect(statement.simulatorEndPosition?.column == 167)
    }

    @Test("The version is exposed, absent when the document has none")
    func versionIsExposed() throws {
        #expect(try PolicyDocument.parse(EvaluationFixture.allowing("s3:*"), kind: .identity).version == .v2012_10_17)
        let old = try PolicyDocument.parse(#"{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}"#, kind: .identity)
        #expect(old.version == nil)
        #expect(old.effectiveVersion == .v2008_10_17)
    }

    @Test("Resource-based policies may use Sids with spaces, as other services allow (IAM grammar notes: sid_string)")
    func resourcePolicySidWithSpaces() throws {
        let document = try PolicyDocument.parse(
            #"{"Version":"2012-10-17","Statement":[{"Sid":"Allow pull","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::210987654321:root"},"Action":["ecr:BatchGetImage","ecr:GetDownloadUrlForLayer"]}]}"#,
            kind: .resource)
        #expect(document.statements.first?.sid == "Allow pull")
        #expect(document.statements.first?.resources == nil)
        #expect(document.principalReferences.first?.accountID == "210987654321")
    }

    @Test("Request context keys are case-insensitive and keep their first spelling")
    func requestContextKeys() {
        var context: RequestContext = ["AWS:SourceIp": "10.0.0.1"]
        #expect(context["aws:sourceip"] == "10.0.0.1")
        context["aws:SOURCEIP"] = "10.0.0.2"
        #expect(context.keys == ["AWS:SourceIp"])
        #expect(context["Aws:SourceIp"]?.values == ["10.0.0.2"])
        let merged = context.merging(["aws:SourceIp": "1.1.1.1", "aws:username": "alice"])
        #expect(merged["aws:sourceip"] == "10.0.0.2")
        #expect(merged["aws:username"] == "alice")
    }

    @Test("Policy size counts characters other than white space")
    func sizeIgnoresWhiteSpace() {
        #expect(PolicyDocument.size(of: "{ \"Version\" :\n\t\"2012-10-17\" }") == 24)
        #expect(PolicyDocument.size(of: "") == 0)
    }
}
