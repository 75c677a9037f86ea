extension EvaluationPrincipal {
    /// The principal an ARN names, for evaluations run outside a request
    /// (`gatehouse policy eval --principal`):
    ///
    /// - `arn:aws:iam::ACCT:root` is the account's root user;
    /// - `arn:aws:iam::ACCT:user/…` an IAM user;
    /// - `arn:aws:sts::ACCT:assumed-role/R/S` a session of role R, and
    ///   `arn:aws:iam::ACCT:role/…/R` a session of that role named after it;
    /// - `arn:aws:sts::ACCT:federated-user/N` a federated-user session;
    /// - a name ending in `.amazonaws.com` a service principal; `*` anonymous.
    ///
    /// Nil for anything else. An assumed-role ARN carries no role path, so
    /// the role is read as having none.
    public init?(arn: String) {
        if arn == "*" {
            self = .anonymous
            return
        }
        if !arn.hasPrefix("arn:"), arn.hasSuffix(".amazonaws.com") {
            self = .service(arn)
            return
        }
        let fields = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard fields.count == 6, fields[0] == "arn", !fields[1].isEmpty, fields[4].count == 12,
            fields[4].allSatisfy(\.isNumber)
        else { return nil }
        let partition = fields[1], service = fields[2], account = String(fields[4]), resource = fields[5]
        switch (service, resource.split(separator: "/", omittingEmptySubsequences: false).first ?? "") {
        case ("iam", "root") where resource == "root":
            self = .root(accountID: account, partition: String(partition))
        case ("iam", "user") where resource.count > 5:
            self = .user(arn: arn)
        case ("iam", "role") where resource.count > 5:
            let name = resource.split(separator: "/").last ?? ""
            self = .assumedRole(sessionARN: "arn:\(partition):sts::\(account):assumed-role/\(name)/\(name)", roleARN: arn)
        case ("sts", "assumed-role"):
            let parts = resource.split(separator: "/")
            guard parts.count >= 3 else { return nil }
            self = .assumedRole(sessionARN: arn, roleARN: "arn:\(partition):iam::\(account):role/\(parts[1])")
        case ("sts", "federated-user") where resource.count > 15:
            self = .federatedUser(arn: arn, userARN: nil)
        default:
            return nil
        }
    }
}
