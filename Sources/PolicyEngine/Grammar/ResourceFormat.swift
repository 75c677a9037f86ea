import JSON

/// IAM's checks on `Resource`/`NotResource` values, in the order and with
/// the messages recorded against IAM in moto's `test_iam_policies.py` and
/// versitygw's PutUserPolicy cases: anything but `*` needs a colon, the
/// second field is the partition, the service must be followed by a colon,
/// IAM and S3 resources carry no region, and IAM resource paths start with a
/// known type.
enum ResourceFormat {
    /// Only the commercial partition: this IAM is an `aws` partition IAM.
    private static let partition: Substring = "aws"

    private static let iamPathPrefixes = [
        "user/", "federated-user/", "role/", "group/", "instance-profile/", "mfa/", "server-certificate/",
        "policy/", "sms-mfa/", "saml-provider/", "oidc-provider/", "report/", "access-report/",
    ]

    static func validationError(_ resource: String, span: JSONSpan?) -> PolicyGrammarError? {
        guard resource != "*" else { return nil }
        guard let firstColon = resource.firstIndex(of: ":") else {
            return .resourceNotARN(resource, span: span)
        }
        let afterArn = resource[resource.index(after: firstColon)...]
        let partitionEnd = afterArn.firstIndex(of: ":")
        let partition = afterArn[..<(partitionEnd ?? afterArn.endIndex)]
        guard partition == Self.partition else {
            let rest = partitionEnd.map { afterArn[afterArn.index(after: $0)...] } ?? ""
            let parts = rest.split(separator: ":", omittingEmptySubsequences: false)
            let fields: [Substring] = [
                parts[0].isEmpty && parts.count == 1 ? "*" : parts[0],
                parts.count > 1 ? parts[1] : "*",
                parts.count > 2 ? parts[2] : "*",
                parts.count > 3 ? Substring(parts[3...].joined(separator: ":")) : "*",
            ]
            return .invalidPartition(partition, fields: fields, span: span)
        }
        guard let partitionEnd else { return .resourceVendorNotQualified(span) }
        let afterPartition = afterArn[afterArn.index(after: partitionEnd)...]
        let serviceEnd = afterPartition.firstIndex(of: ":")
        let service = afterPartition[..<(serviceEnd ?? afterPartition.endIndex)]
        let afterService = serviceEnd.map { afterPartition[afterPartition.index(after: $0)...] } ?? ""
        let afterRegion = afterService.firstIndex(of: ":").map { afterService[afterService.index(after: $0)...] } ?? ""
        let path = afterRegion.firstIndex(of: ":").map { afterRegion[afterRegion.index(after: $0)...] } ?? ""
        if service == "iam" || service == "s3", !afterService.hasPrefix(":"),
            service == "iam" || !regionalS3Types.contains(where: { path.hasPrefix($0) })
        {
            return .resourceHasRegion(resource, service: service, span: span)
        }
        if service == "iam", path != "*", path != "root", !iamPathPrefixes.contains(where: { path.hasPrefix($0) }) {
            return .invalidIAMResourcePath(span)
        }
        return nil
    }

    /// The S3 resource types whose ARNs name a region (Service Authorization Reference, Amazon S3:
    /// access points and their objects, batch jobs, Storage Lens configurations and groups, access
    /// grants, multi-Region access point requests). IAM accepts a region in those and still refuses
    /// one in bucket and object ARNs — `arn:aws:s3:us-west-2:123456789:test/athena` "can not contain
    /// region information" (aws/aws-cdk#22445, 2022), access point ARNs are accepted (getmoto/moto#6742).
    private static let regionalS3Types = [
        "accesspoint/", "job/", "storage-lens/", "storage-lens-group/", "access-grants/", "async-request/",
    ]

    /// IAM's older parser, which reports "The policy failed legacy parsing":
    /// a value with `::` needs all five colons, the service field cannot be
    /// empty, and a policy variable cannot stand before the fifth colon ("You
    /// can't use a variable to replace parts of the ARN before the fifth
    /// colon" — IAM User Guide, "Variables and tags").
    static func passesLegacyParsing(_ resource: String, variables: Bool) -> Bool {
        guard resource != "*" else { return true }
        let colons = resource.utf8.count(where: { $0 == UInt8(ascii: ":") })
        guard colons >= 5 || !resource.contains("::") else { return false }
        let fields = resource.split(separator: ":", omittingEmptySubsequences: false)
        guard fields.count < 3 || !fields[2].isEmpty else { return false }
        if variables, let variable = resource.firstRange(of: "${") {
            var seen = 0
            var index = resource.startIndex
            while index < variable.lowerBound {
                if resource[index] == ":" { seen += 1 }
                index = resource.index(after: index)
            }
            if seen < 5 { return false }
        }
        return true
    }
}
