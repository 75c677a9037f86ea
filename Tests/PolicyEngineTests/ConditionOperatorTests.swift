import PolicyEngine
import Testing

/// Every condition operator, from "IAM JSON policy elements: Condition
/// operators" (IAM User Guide) unless a vector says otherwise.
@Suite("Condition operators")
struct ConditionOperatorTests {
    static let strings: [ConditionVector] = [
        .init(name: "StringEquals matches exactly (String condition operators)",
              condition: #"{"StringEquals":{"aws:PrincipalTag/job-category":"iamuser-admin"}}"#,
              context: ["aws:PrincipalTag/job-category": "iamuser-admin"], applies: true),
        .init(name: "StringEquals is case-sensitive",
              condition: #"{"StringEquals":{"aws:PrincipalTag/job-category":"iamuser-admin"}}"#,
              context: ["aws:PrincipalTag/job-category": "IAMUser-Admin"], applies: false),
        .init(name: "StringEquals treats * literally",
              condition: #"{"StringEquals":{"s3:prefix":"home/*"}}"#,
              context: ["s3:prefix": "home/alice"], applies: false),
        .init(name: "Condition key names are case-insensitive (Variables and tags: Key names are case-insensitive)",
              condition: #"{"StringEquals":{"AWS:PrincipalTag/Job-Category":"iamuser-admin"}}"#,
              context: ["aws:principaltag/job-category": "iamuser-admin"], applies: true),
        .init(name: "StringNotEquals is true when the value differs",
              condition: #"{"StringNotEquals":{"aws:RequestedRegion":"us-east-1"}}"#,
              context: ["aws:RequestedRegion": "eu-west-1"], applies: true),
        .init(name: "StringNotEquals with several values is a NOR (negated operators and multiple values)",
              condition: #"{"StringNotEquals":{"aws:RequestedRegion":["us-east-1","eu-west-1"]}}"#,
              context: ["aws:RequestedRegion": "eu-west-1"], applies: false),
        .init(name: "StringNotEquals with several values is true when none matches",
              condition: #"{"StringNotEquals":{"aws:RequestedRegion":["us-east-1","eu-west-1"]}}"#,
              context: ["aws:RequestedRegion": "ap-south-1"], applies: true),
        .init(name: "StringEqualsIgnoreCase ignores case",
              condition: #"{"StringEqualsIgnoreCase":{"aws:PrincipalTag/team":"Platform"}}"#,
              context: ["aws:PrincipalTag/team": "PLATFORM"], applies: true),
        .init(name: "StringNotEqualsIgnoreCase ignores case",
              condition: #"{"StringNotEqualsIgnoreCase":{"aws:PrincipalTag/team":"Platform"}}"#,
              context: ["aws:PrincipalTag/team": "platform"], applies: false),
        .init(name: "StringLike matches * across characters",
              condition: #"{"StringLike":{"s3:prefix":["","home/","home/${aws:username}/*"]}}"#,
              context: ["s3:prefix": "home/alice/photos/cat.png", "aws:username": "alice"], applies: true),
        .init(name: "StringLike matches ? as exactly one character",
              condition: #"{"StringLike":{"ec2:InstanceType":"t?.micro"}}"#,
              context: ["ec2:InstanceType": "t3.micro"], applies: true),
        .init(name: "StringLike ? does not match two characters",
              condition: #"{"StringLike":{"ec2:InstanceType":"t?.micro"}}"#,
              context: ["ec2:InstanceType": "t3a.micro"], applies: false),
        .init(name: "StringLike is case-sensitive",
              condition: #"{"StringLike":{"ec2:InstanceType":"T*"}}"#,
              context: ["ec2:InstanceType": "t3.micro"], applies: false),
        .init(name: "StringNotLike is true when no pattern matches",
              condition: #"{"StringNotLike":{"ec2:InstanceType":["t1.*","t2.*"]}}"#,
              context: ["ec2:InstanceType": "m5.large"], applies: true),
        .init(name: "StringNotLike is false when a pattern matches",
              condition: #"{"StringNotLike":{"ec2:InstanceType":["t1.*","t2.*"]}}"#,
              context: ["ec2:InstanceType": "t2.nano"], applies: false),
    ]

    static let numbers: [ConditionVector] = [
        .init(name: "NumericLessThanEquals allows up to the bound (Numeric condition operators: s3:max-keys 10)",
              condition: #"{"NumericLessThanEquals":{"s3:max-keys":"10"}}"#,
              context: ["s3:max-keys": "10"], applies: true),
        .init(name: "NumericLessThanEquals refuses above the bound",
              condition: #"{"NumericLessThanEquals":{"s3:max-keys":"10"}}"#,
              context: ["s3:max-keys": "11"], applies: false),
        .init(name: "NumericEquals compares numbers, not text",
              condition: #"{"NumericEquals":{"s3:max-keys":10}}"#,
              context: ["s3:max-keys": "10.0"], applies: true),
        .init(name: "NumericNotEquals is true for another number",
              condition: #"{"NumericNotEquals":{"s3:max-keys":"10"}}"#,
              context: ["s3:max-keys": "9"], applies: true),
        .init(name: "NumericLessThan is strict",
              condition: #"{"NumericLessThan":{"s3:max-keys":"10"}}"#,
              context: ["s3:max-keys": "10"], applies: false),
        .init(name: "NumericGreaterThan compares decimals",
              condition: #"{"NumericGreaterThan":{"x:ratio":"0.5"}}"#,
              context: ["x:ratio": "0.75"], applies: true),
        .init(name: "NumericGreaterThanEquals includes the bound",
              condition: #"{"NumericGreaterThanEquals":{"x:count":"3"}}"#,
              context: ["x:count": "3"], applies: true),
        .init(name: "A request value that is not a number matches nothing",
              condition: #"{"NumericEquals":{"x:count":"3"}}"#,
              context: ["x:count": "three"], applies: false),
    ]

    static let dates: [ConditionVector] = [
        .init(name: "DateGreaterThan compares ISO 8601 times (Date condition operators: aws:TokenIssueTime)",
              condition: #"{"DateGreaterThan":{"aws:TokenIssueTime":"2020-01-01T00:00:01Z"}}"#,
              context: ["aws:TokenIssueTime": "2020-06-01T12:00:00Z"], applies: true),
        .init(name: "DateGreaterThan refuses an earlier time",
              condition: #"{"DateGreaterThan":{"aws:TokenIssueTime":"2020-01-01T00:00:01Z"}}"#,
              context: ["aws:TokenIssueTime": "2019-12-31T23:59:59Z"], applies: false),
        .init(name: "DateLessThan accepts epoch seconds in the request",
              condition: #"{"DateLessThan":{"aws:CurrentTime":"2020-01-01T00:00:00Z"}}"#,
              context: ["aws:CurrentTime": "1577836799"], applies: true),
        .init(name: "DateEquals treats an epoch and its ISO 8601 form as the same time",
              condition: #"{"DateEquals":{"aws:EpochTime":"1577836800"}}"#,
              context: ["aws:EpochTime": "2020-01-01T00:00:00Z"], applies: true),
        .init(name: "DateNotEquals is true for another time",
              condition: #"{"DateNotEquals":{"aws:CurrentTime":"2020-01-01"}}"#,
              context: ["aws:CurrentTime": "2020-01-02T00:00:00Z"], applies: true),
        .init(name: "DateLessThanEquals honours time-zone offsets",
              condition: #"{"DateLessThanEquals":{"aws:CurrentTime":"2020-01-01T10:00:00+02:00"}}"#,
              context: ["aws:CurrentTime": "2020-01-01T08:00:00Z"], applies: true),
        .init(name: "DateGreaterThanEquals includes the bound",
              condition: #"{"DateGreaterThanEquals":{"aws:CurrentTime":"2020-01-01T00:00:00Z"}}"#,
              context: ["aws:CurrentTime": "2020-01-01T00:00:00.000Z"], applies: true),
    ]

    static let others: [ConditionVector] = [
        .init(name: "Bool matches false (Boolean condition operators: aws:SecureTransport)",
              condition: #"{"Bool":{"aws:SecureTransport":"false"}}"#,
              context: ["aws:SecureTransport": "false"], applies: true),
        .init(name: "Bool refuses the other value",
              condition: #"{"Bool":{"aws:SecureTransport":"false"}}"#,
              context: ["aws:SecureTransport": "true"], applies: false),
        .init(name: "Bool accepts a JSON boolean",
              condition: #"{"Bool":{"aws:MultiFactorAuthPresent":true}}"#,
              context: ["aws:MultiFactorAuthPresent": "true"], applies: true),
        .init(name: "BinaryEquals compares base64-decoded bytes (Binary condition operators)",
              condition: #"{"BinaryEquals":{"x:blob":"QmluYXJ5VmFsdWVJbkJhc2U2NA=="}}"#,
              context: ["x:blob": "QmluYXJ5VmFsdWVJbkJhc2U2NA=="], applies: true),
        .init(name: "BinaryEquals refuses other bytes",
              condition: #"{"BinaryEquals":{"x:blob":"QmluYXJ5VmFsdWVJbkJhc2U2NA=="}}"#,
              context: ["x:blob": "AAAA"], applies: false),
        .init(name: "IpAddress matches inside an IPv4 CIDR (IP address condition operators: 203.0.113.0/24)",
              condition: #"{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}"#,
              context: ["aws:SourceIp": "203.0.113.77"], applies: true),
        .init(name: "IpAddress refuses outside the CIDR",
              condition: #"{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}"#,
              context: ["aws:SourceIp": "203.0.114.1"], applies: false),
        .init(name: "IpAddress without a prefix means /32",
              condition: #"{"IpAddress":{"aws:SourceIp":"198.51.100.7"}}"#,
              context: ["aws:SourceIp": "198.51.100.8"], applies: false),
        .init(name: "IpAddress matches IPv6 ranges (2001:DB8:1234:5678::/64)",
              condition: #"{"IpAddress":{"aws:SourceIp":["203.0.113.0/24","2001:DB8:1234:5678::/64"]}}"#,
              context: ["aws:SourceIp": "2001:db8:1234:5678:abcd::1"], applies: true),
        .init(name: "IpAddress keeps IPv6 outside the range out",
              condition: #"{"IpAddress":{"aws:SourceIp":"2001:DB8:1234:5678::/64"}}"#,
              context: ["aws:SourceIp": "2001:db8:1234:5679::1"], applies: false),
        .init(name: "NotIpAddress is true outside every range",
              condition: #"{"NotIpAddress":{"aws:SourceIp":["192.0.2.0/24","203.0.113.0/24"]}}"#,
              context: ["aws:SourceIp": "198.51.100.1"], applies: true),
        .init(name: "NotIpAddress is false inside a range",
              condition: #"{"NotIpAddress":{"aws:SourceIp":["192.0.2.0/24","203.0.113.0/24"]}}"#,
              context: ["aws:SourceIp": "192.0.2.9"], applies: false),
        .init(name: "ArnEquals matches an exact ARN (ARN condition operators: aws:SourceArn)",
              condition: #"{"ArnEquals":{"aws:SourceArn":"arn:aws:sns:us-east-1:123456789012:topic"}}"#,
              context: ["aws:SourceArn": "arn:aws:sns:us-east-1:123456789012:topic"], applies: true),
        .init(name: "ArnLike wildcards stay within one ARN component",
              condition: #"{"ArnLike":{"aws:SourceArn":"arn:aws:someservice:*:111122223333:finance/*"}}"#,
              context: ["aws:SourceArn": "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt"],
              applies: false),
        .init(name: "StringLike lets the same wildcard span components",
              condition: #"{"StringLike":{"aws:SourceArn":"arn:aws:someservice:*:111122223333:finance/*"}}"#,
              context: ["aws:SourceArn": "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt"],
              applies: true),
        .init(name: "ArnLike matches wildcards per component",
              condition: #"{"ArnLike":{"aws:SourceArn":"arn:aws:someservice:*:111122223333:finance/*"}}"#,
              context: ["aws:SourceArn": "arn:aws:someservice:us-east-2:111122223333:finance/document.txt"], applies: true),
        .init(name: "ArnEquals behaves like ArnLike",
              condition: #"{"ArnEquals":{"ec2:SourceInstanceARN":"arn:aws:ec2:*:*:instance/i-*"}}"#,
              context: ["ec2:SourceInstanceARN": "arn:aws:ec2:us-east-1:123456789012:instance/i-0abc"], applies: true),
        .init(name: "ArnNotLike is true when no pattern matches",
              condition: #"{"ArnNotLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/Admin*"}}"#,
              context: ["aws:PrincipalArn": "arn:aws:iam::123456789012:role/Deployer"], applies: true),
        .init(name: "ArnNotEquals is false when the pattern matches",
              condition: #"{"ArnNotEquals":{"aws:PrincipalArn":"arn:aws:iam::*:role/Admin*"}}"#,
              context: ["aws:PrincipalArn": "arn:aws:iam::123456789012:role/AdminRole"], applies: false),
        .init(name: "Null true holds when the key is absent (Condition operator to check existence: aws:TokenIssueTime)",
              condition: #"{"Null":{"aws:TokenIssueTime":"true"}}"#,
              context: [:], applies: true),
        .init(name: "Null true fails when the key is present",
              condition: #"{"Null":{"aws:TokenIssueTime":"true"}}"#,
              context: ["aws:TokenIssueTime": "2020-01-01T00:00:00Z"], applies: false),
        .init(name: "Null false holds when the key is present",
              condition: #"{"Null":{"aws:TokenIssueTime":"false"}}"#,
              context: ["aws:TokenIssueTime": "2020-01-01T00:00:00Z"], applies: true),
        .init(name: "Null false fails when the key is absent",
              condition: #"{"Null":{"aws:TokenIssueTime":"false"}}"#,
              context: [:], applies: false),
    ]

    static let missingKeys: [ConditionVector] = [
        .init(name: "A missing key makes a positive operator false (Condition operators: Important)",
              condition: #"{"StringEquals":{"aws:PrincipalTag/team":"x"}}"#, context: [:], applies: false),
        .init(name: "A missing key makes a negated operator true (StringNotLike, ArnNotLike)",
              condition: #"{"StringNotLike":{"aws:PrincipalTag/team":"x*"}}"#, context: [:], applies: true),
        .init(name: "A missing key makes ArnNotEquals true",
              condition: #"{"ArnNotEquals":{"aws:SourceArn":"arn:aws:sns:*:*:t"}}"#, context: [:], applies: true),
        .init(name: "A missing key makes NotIpAddress true",
              condition: #"{"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}}"#, context: [:], applies: true),
        .init(name: "A missing key makes NumericLessThan false",
              condition: #"{"NumericLessThan":{"s3:max-keys":"10"}}"#, context: [:], applies: false),
        .init(name: "StringLikeIfExists is true when the key is absent (…IfExists condition operators)",
              condition: #"{"StringLikeIfExists":{"ec2:InstanceType":["t1.*","t2.*","m3.*"]}}"#,
              context: [:], applies: true),
        .init(name: "StringLikeIfExists still checks a present key",
              condition: #"{"StringLikeIfExists":{"ec2:InstanceType":["t1.*","t2.*","m3.*"]}}"#,
              context: ["ec2:InstanceType": "m5.large"], applies: false),
        .init(name: "StringNotEqualsIfExists is true when the key is absent",
              condition: #"{"StringNotEqualsIfExists":{"aws:PrincipalTag/team":"ops"}}"#,
              context: [:], applies: true),
        .init(name: "NumericLessThanIfExists is true when the key is absent",
              condition: #"{"NumericLessThanIfExists":{"s3:max-keys":"10"}}"#, context: [:], applies: true),
        .init(name: "DateGreaterThanIfExists checks a present key",
              condition: #"{"DateGreaterThanIfExists":{"aws:TokenIssueTime":"2030-01-01T00:00:00Z"}}"#,
              context: ["aws:TokenIssueTime": "2020-01-01T00:00:00Z"], applies: false),
        .init(name: "BoolIfExists is true when the key is absent (IAM example DenyAllExceptListedIfNoMFA)",
              condition: #"{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}"#, context: [:], applies: true),
        .init(name: "IpAddressIfExists checks a present key",
              condition: #"{"IpAddressIfExists":{"aws:SourceIp":"10.0.0.0/8"}}"#,
              context: ["aws:SourceIp": "10.1.2.3"], applies: true),
        .init(name: "ArnLikeIfExists is true when the key is absent",
              condition: #"{"ArnLikeIfExists":{"aws:SourceArn":"arn:aws:sns:*:*:t"}}"#, context: [:], applies: true),
        .init(name: "BinaryEqualsIfExists is true when the key is absent",
              condition: #"{"BinaryEqualsIfExists":{"x:blob":"AAAA"}}"#, context: [:], applies: true),
        .init(name: "Several keys under one operator are ANDed (Condition with multiple keys or values)",
              condition: #"{"StringEquals":{"ec2:ResourceTag/Project":"DataAnalytics","aws:PrincipalTag/Department":"Data"}}"#,
              context: ["ec2:ResourceTag/Project": "DataAnalytics", "aws:PrincipalTag/Department": "Sales"],
              applies: false),
        .init(name: "Several operators are ANDed",
              condition: #"{"DateGreaterThan":{"aws:CurrentTime":"2017-07-01T00:00:00Z"},"DateLessThan":{"aws:CurrentTime":"2017-12-31T23:59:59Z"}}"#,
              context: ["aws:CurrentTime": "2017-08-15T00:00:00Z"], applies: true),
        .init(name: "Several values of one key are ORed",
              condition: #"{"StringEquals":{"aws:RequestTag/CostCenter":["A-123","B-456"]}}"#,
              context: ["aws:RequestTag/CostCenter": "B-456"], applies: true),
    ]

    static let setOperators: [ConditionVector] = [
        .init(name: "ForAllValues is true when every request value is listed (Set operators: DynamoDB requestedAttributes)",
              condition: #"{"ForAllValues:StringLike":{"dynamodb:requestedAttributes":["PostDateTime","Message","Tags"]}}"#,
              context: ["dynamodb:requestedAttributes": ["PostDateTime", "Message"]], applies: true),
        .init(name: "ForAllValues is false when one request value is not listed",
              condition: #"{"ForAllValues:StringLike":{"dynamodb:requestedAttributes":["PostDateTime","Message","Tags"]}}"#,
              context: ["dynamodb:requestedAttributes": ["PostDateTime", "UserName"]], applies: false),
        .init(name: "ForAllValues is true for a missing key",
              condition: #"{"ForAllValues:StringEquals":{"aws:TagKeys":["CostCenter"]}}"#,
              context: [:], applies: true),
        .init(name: "ForAllValues is true for an empty set of values",
              condition: #"{"ForAllValues:StringEquals":{"aws:TagKeys":["CostCenter"]}}"#,
              context: ["aws:TagKeys": []], applies: true),
        .init(name: "ForAnyValue is true when one request value is listed",
              condition: #"{"ForAnyValue:StringLike":{"dynamodb:requestedAttributes":["ID","PostDateTime"]}}"#,
              context: ["dynamodb:requestedAttributes": ["UserName", "Message", "PostDateTime"]], applies: true),
        .init(name: "ForAnyValue is false when no request value is listed",
              condition: #"{"ForAnyValue:StringLike":{"dynamodb:requestedAttributes":["ID","PostDateTime"]}}"#,
              context: ["dynamodb:requestedAttributes": ["UserName"]], applies: false),
        .init(name: "ForAnyValue is false for a missing key",
              condition: #"{"ForAnyValue:StringEquals":{"aws:TagKeys":["CostCenter"]}}"#,
              context: [:], applies: false),
        .init(name: "ForAnyValue is false for an empty set of values",
              condition: #"{"ForAnyValue:StringEquals":{"aws:TagKeys":["CostCenter"]}}"#,
              context: ["aws:TagKeys": []], applies: false),
        .init(name: "ForAnyValue with IfExists is true for a missing key",
              condition: #"{"ForAnyValue:StringEqualsIfExists":{"aws:TagKeys":["CostCenter"]}}"#,
              context: [:], applies: true),
        .init(name: "ForAllValues:StringNotEquals needs every request value to be unlisted",
              condition: #"{"ForAllValues:StringNotEquals":{"aws:TagKeys":["Secret","Owner"]}}"#,
              context: ["aws:TagKeys": ["Team", "Owner"]], applies: false),
        .init(name: "ForAnyValue:StringNotEquals needs one request value to be unlisted",
              condition: #"{"ForAnyValue:StringNotEquals":{"aws:TagKeys":["Secret","Owner"]}}"#,
              context: ["aws:TagKeys": ["Team", "Owner"]], applies: true),
    ]

    @Test("String operators", arguments: strings)
    func stringOperators(_ vector: ConditionVector) throws {
        #expect(try vector.decision().isAllowed == vector.applies)
    }

    @Test("Numeric operators", arguments: numbers)
    func numericOperators(_ vector: ConditionVector) throws {
        #expect(try vector.decision().isAllowed == vector.applies)
    }

    @Test("Date operators", arguments: dates)
    func dateOperators(_ vector: ConditionVector) throws {
        #expect(try vector.decision().isAllowed == vector.applies)
    }

    @Test("Bool, binary, IP address, ARN and Null operators", arguments: others)
    func otherOperators(_ vector: ConditionVector) throws {
        #expect(try vector.decision().isAllowed == vector.applies)
    }

    @Test("Missing keys, IfExists and multiple keys or values", arguments: missingKeys)
    func missingKeyRules(_ vector: ConditionVector) throws {
        #expect(try vector.decision().isAllowed == vector.applies)
    }

    @Test("ForAllValues and ForAnyValue", arguments: setOperators)
    func setOperatorRules(_ vector: ConditionVector) throws {
        #expect(try vector.decision().isAllowed == vector.applies)
    }

    @Test("Operator names parse with qualifiers and IfExists, and Null takes no IfExists")
    func operatorNamesParse() {
        let parsed = ConditionOperator("ForAnyValue:StringNotEqualsIfExists")
        #expect(parsed?.base == .stringNotEquals)
        #expect(parsed?.qualifier == .forAnyValue)
        #expect(parsed?.ifExists == true)
        #expect(ConditionOperator("NullIfExists") == nil)
        #expect(ConditionOperator("ForAnyValue::StringEquals") == nil)
        #expect(ConditionOperator("stringequals") == nil)
        #expect(ConditionOperator.Base.allCases.count == 27)
    }
}
