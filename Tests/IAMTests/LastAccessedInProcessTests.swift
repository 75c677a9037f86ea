import AWSShapes
import GatehouseTesting
import Testing

/// What Gatehouse records of each request's caller, and the operations that
/// report it: service last accessed, access key and role last use,
/// ListPoliciesGrantingServiceAccess; and the rest of the operations issue 18
/// found answering 501.
@Suite("IAM last accessed and the last operations, in process")
struct LastAccessedInProcessTests {
    static let account = "000000000000"

    /// The `<member>` of a list that holds `marker` (lists without nested members).
    static func member(_ body: String, containing marker: String) -> String? {
        body.components(separatedBy: "<member>").first { $0.contains(marker) }?.components(separatedBy: "</member>").first
    }

    static func value(_ name: String, in text: String) -> String? {
        guard let open = text.range(of: "<\(name)>"), let close = text[open.upperBound...].range(of: "</\(name)>") else { return nil }
        return String(text[open.upperBound..<close.lowerBound])
    }

    /// A user whose inline policy allows IAM, STS and one S3 action; its access key.
    static func user(_ name: String, in world: TestWorld) async throws -> String {
        let key = try await IAMInProcessTests.user(name, in: world)
        let policy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:*","sts:*","s3:GetObject"],"Resource":"*"}]}"#
        try await world.iamOK("PutUserPolicy", ["UserName": name, "PolicyName": "work", "PolicyDocument": policy])
        return key
    }

    static func report(_ arn: String, granularity: String? = nil, in world: TestWorld) async throws -> TestWorld.Answer {
        var parameters = ["Arn": arn]
        if let granularity { parameters["Granularity"] = granularity }
        let job = try #require(try await world.iamOK("GenerateServiceLastAccessedDetails", parameters).value("JobId"))
        return try await world.iamOK("GetServiceLastAccessedDetails", ["JobId": job])
    }

    @Test("a user's report lists the services its policies allow: the ones it called with when, where and by whom, the others never authenticated")
    func userReport() async throws {
        let world = try TestWorld()
        let key = try await Self.user("dev", in: world)
        world.clock.advance(seconds: 60)
        #expect(try await world.sts("GetCallerIdentity", as: key).status == 200)
        #expect(try await world.iam("ListRoles", as: key).status == 200)

        let report = try await Self.report("arn:aws:iam::\(Self.account):user/dev", in: world)
        #expect(report.value("JobStatus") == "COMPLETED")
        #expect(report.value("JobType") == "SERVICE_LEVEL")
        #expect(report.values("ServiceNamespace") == ["iam", "s3", "sts"])
        let iam = try #require(Self.member(report.body, containing: "<ServiceNamespace>iam<"))
        #expect(Self.value("ServiceName", in: iam) == "AWS Identity and Access Management")
        #expect(Self.value("LastAuthenticated", in: iam) == "2026-01-01T00:01:00Z")
        #expect(Self.value("LastAuthenticatedEntity", in: iam) == "arn:aws:iam::\(Self.account):user/dev")
        #expect(Self.value("LastAuthenticatedRegion", in: iam) == "us-east-1")
        #expect(Self.value("TotalAuthenticatedEntities", in: iam) == "1")
        let sts = try #require(Self.member(report.body, containing: "<ServiceNamespace>sts<"))
        #expect(Self.value("LastAuthenticated", in: sts) == "2026-01-01T00:01:00Z")
        let s3 = try #require(Self.member(report.body, containing: "<ServiceNamespace>s3<"))
        #expect(Self.value("TotalAuthenticatedEntities", in: s3) == "0")
        #expect(Self.value("LastAuthenticated", in: s3) == nil)
        #expect(Self.value("LastAuthenticatedEntity", in: s3) == nil)
    }

    @Test("ACTION_LEVEL lists the actions used with when and by whom; SERVICE_LEVEL does not")
    func actionLevel() async throws {
        let world = try TestWorld()
        let key = try await Self.user("dev", in: world)
        #expect(try await world.iam("ListRoles", as: key).status == 200)
        let actions = try await Self.report("arn:aws:iam::\(Self.account):user/dev", granularity: "ACTION_LEVEL", in: world)
        #expect(actions.value("JobType") == "ACTION_LEVEL")
        #expect(actions.values("ActionName") == ["ListRoles"])
        #expect(actions.value("LastAccessedEntity") == "arn:aws:iam::\(Self.account):user/dev")
        let services = try await Self.report("arn:aws:iam::\(Self.account):user/dev", in: world)
        #expect(services.values("ActionName").isEmpty)
    }

    @Test("a report keeps what it found: later use shows only in a new job")
    func jobsKeepTheirReport() async throws {
        let world = try TestWorld()
        let key = try await Self.user("dev", in: world)
        let job = try #require(try await world.iamOK(
            "GenerateServiceLastAccessedDetails", ["Arn": "arn:aws:iam::\(Self.account):user/dev"]).value("JobId"))
        #expect(try await world.iam("ListRoles", as: key).status == 200)
        let old = try await world.iamOK("GetServiceLastAccessedDetails", ["JobId": job])
        #expect(old.values("LastAuthenticated").isEmpty)
        let new = try await Self.report("arn:aws:iam::\(Self.account):user/dev", in: world)
        #expect(new.values("LastAuthenticated").count == 1)
    }

    @Test("a group's report counts its members; WithEntities lists each member, the ones that used the service with when")
    func groupReport() async throws {
        let world = try TestWorld()
        try await world.iamOK("CreateGroup", ["GroupName": "devs"])
        try await world.iamOK("AttachGroupPolicy", ["GroupName": "devs", "PolicyArn": "arn:aws:iam::aws:policy/IAMReadOnlyAccess"])
        let alice = try await IAMInProcessTests.user("alice", in: world)
        _ = try await IAMInProcessTests.user("bob", in: world)
        for name in ["alice", "bob"] { try await world.iamOK("AddUserToGroup", ["GroupName": "devs", "UserName": name]) }
        world.clock.advance(seconds: 30)
        #expect(try await world.iam("ListUsers", as: alice).status == 200)

        let job = try #require(try await world.iamOK(
            "GenerateServiceLastAccessedDetails", ["Arn": "arn:aws:iam::\(Self.account):group/devs"]).value("JobId"))
        let report = try await world.iamOK("GetServiceLastAccessedDetails", ["JobId": job])
        let iam = try #require(Self.member(report.body, containing: "<ServiceNamespace>iam<"))
        #expect(Self.value("TotalAuthenticatedEntities", in: iam) == "1")
        #expect(Self.value("LastAuthenticatedEntity", in: iam) == "arn:aws:iam::\(Self.account):user/alice")

        let entities = try await world.iamOK("GetServiceLastAccessedDetailsWithEntities", ["JobId": job, "ServiceNamespace": "iam"])
        #expect(entities.values("Name") == ["alice", "bob"])
        #expect(entities.values("Type") == ["USER", "USER"])
        #expect(entities.values("LastAuthenticated") == ["2026-01-01T00:00:30Z"])
    }

    @Test("a managed policy's report counts the users and roles it is attached to, through groups too, and lists only its own services")
    func policyReport() async throws {
        let world = try TestWorld()
        let arn = try await world.createPolicy("lister", document: Docs.allow("iam:List*"))
        let key = try await IAMInProcessTests.user("dev", in: world)
        try await world.iamOK("CreateGroup", ["GroupName": "devs"])
        try await world.iamOK("AttachGroupPolicy", ["GroupName": "devs", "PolicyArn": arn])
        try await world.iamOK("AddUserToGroup", ["GroupName": "devs", "UserName": "dev"])
        try await world.iamOK("CreateRole", ["RoleName": "app", "AssumeRolePolicyDocument": IAMInProcessTests.trust])
        try await world.iamOK("AttachRolePolicy", ["RoleName": "app", "PolicyArn": arn])
        #expect(try await world.iam("ListRoles", as: key).status == 200)

        let job = try #require(try await world.iamOK("GenerateServiceLastAccessedDetails", ["Arn": arn]).value("JobId"))
        let report = try await world.iamOK("GetServiceLastAccessedDetails", ["JobId": job])
        #expect(report.values("ServiceNamespace") == ["iam"])
        #expect(report.value("LastAuthenticatedEntity") == "arn:aws:iam::\(Self.account):user/dev")
        let entities = try await world.iamOK("GetServiceLastAccessedDetailsWithEntities", ["JobId": job, "ServiceNamespace": "iam"])
        #expect(entities.values("Name") == ["dev", "app"])
        #expect(entities.values("Type") == ["USER", "ROLE"])
    }

    @Test("reports on what does not exist are NoSuchEntity, a non-IAM ARN is InvalidInput, and neither makes a job")
    func reportErrors() async throws {
        let world = try TestWorld()
        let user = try await world.iam("GenerateServiceLastAccessedDetails", ["Arn": "arn:aws:iam::\(Self.account):user/ghost"])
        #expect(user.status == 404)
        #expect(user.errorCode == "NoSuchEntity")
        #expect(user.errorMessage == "The user with name ghost cannot be found.")
        let policy = try await world.iam("GenerateServiceLastAccessedDetails", ["Arn": "arn:aws:iam::\(Self.account):policy/ghost"])
        #expect(policy.errorMessage == "Policy arn:aws:iam::\(Self.account):policy/ghost was not found.")
        let bucket = try await world.iam("GenerateServiceLastAccessedDetails", ["Arn": "arn:aws:s3:::some-bucket-name"])
        #expect(bucket.status == 400)
        #expect(bucket.errorCode == "InvalidInput")
        let job = try await world.iam("GetServiceLastAccessedDetails", ["JobId": "00000000-0000-4000-8000-000000000000"])
        #expect(job.status == 404)
        #expect(job.errorCode == "NoSuchEntity")
    }

    @Test("a user may not report on a user its policies do not let it report on")
    func reportIsAuthorized() async throws {
        let world = try TestWorld()
        let key = try await IAMInProcessTests.user("dev", in: world)
        let refused = try await world.iam("GenerateServiceLastAccessedDetails", ["Arn": "arn:aws:iam::\(Self.account):user/dev"], as: key)
        #expect(refused.status == 403)
        #expect(refused.errorMessage?.contains("iam:GenerateServiceLastAccessedDetails on resource: ") == true)
    }

    @Test("GetAccessKeyLastUsed reports the service namespace and region of the key's latest request, at once")
    func accessKeyLastUsed() async throws {
        let world = try TestWorld()
        let key = try await Self.user("dev", in: world)
        let before = try await world.iamOK("GetAccessKeyLastUsed", ["AccessKeyId": key])
        #expect(before.value("ServiceName") == "N/A")
        #expect(before.value("Region") == "N/A")
        #expect(before.value("LastUsedDate") == nil)

        world.clock.advance(seconds: 5)
        #expect(try await world.iam("ListRoles", as: key).status == 200)
        world.clock.advance(seconds: 5)
        #expect(try await world.sts("GetCallerIdentity", as: key).status == 200)
        let used = try await world.iamOK("GetAccessKeyLastUsed", ["AccessKeyId": key])
        #expect(used.value("ServiceName") == "sts")
        #expect(used.value("Region") == "us-east-1")
        #expect(used.value("LastUsedDate") == "2026-01-01T00:00:10Z")
        #expect(used.value("UserName") == "dev")
    }

    @Test("RoleLastUsed is when the role's sessions last made a request, not when it was assumed")
    func roleLastUsed() async throws {
        let world = try TestWorld()
        let key = try await Self.user("dev", in: world)
        let trust = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:user/dev"},"Action":"sts:AssumeRole"}]}"#
        try await world.iamOK("CreateRole", ["RoleName": "app", "AssumeRolePolicyDocument": trust])
        let assumed = try await world.sts(
            "AssumeRole", ["RoleArn": "arn:aws:iam::\(Self.account):role/app", "RoleSessionName": "ci"], as: key)
        let session = try #require(assumed.value("AccessKeyId"))
        #expect(try await world.iamOK("GetRole", ["RoleName": "app"]).value("LastUsedDate") == nil)

        world.clock.advance(seconds: 90)
        #expect(try await world.sts("GetCallerIdentity", as: session).status == 200)
        let role = try await world.iamOK("GetRole", ["RoleName": "app"])
        #expect(role.value("LastUsedDate") == "2026-01-01T00:01:30Z")
        let lastUsed = try #require(role.value("RoleLastUsed"))
        #expect(Self.value("Region", in: lastUsed) == "us-east-1")

        // The role's report shows its session's use of a service its policy allows.
        try await world.iamOK(
            "PutRolePolicy", ["RoleName": "app", "PolicyName": "whoami", "PolicyDocument": Docs.allow("sts:GetCallerIdentity")])
        let report = try await Self.report("arn:aws:iam::\(Self.account):role/app", in: world)
        #expect(report.values("ServiceNamespace") == ["sts"])
        #expect(report.value("LastAuthenticatedEntity") == "arn:aws:iam::\(Self.account):role/app")
    }

    @Test("usage is written once per flush, not per request; a GetRole of an unused role writes nothing")
    func usageIsCoalesced() async throws {
        let world = try TestWorld()
        let key = try await Self.user("dev", in: world)
        try await world.iamOK("CreateRole", ["RoleName": "app", "AssumeRolePolicyDocument": IAMInProcessTests.trust])
        // Warm: the key's credential and the user's policies are cached.
        #expect(try await world.sts("GetCallerIdentity", as: key).status == 200)
        #expect(try await world.iam("GetRole", ["RoleName": "app"], as: key).status == 200)
        try world.store.flushUsage()
        let calls = try await RequestPathTests.transactions(in: world) { () async throws in
            for _ in 0..<5 { #expect(try await world.sts("GetCallerIdentity", as: key).status == 200) }
            #expect(try await world.iam("GetRole", ["RoleName": "app"], as: key).status == 200)
        }
        #expect(calls == 1)  // GetRole's own read; five GetCallerIdentity open none
        let flush = try await RequestPathTests.transactions(in: world) { () async throws in try world.store.flushUsage() }
        #expect(flush == 1)
    }

    @Test("ListPoliciesGrantingServiceAccess names the managed and inline policies, the groups' too, that allow each service asked")
    func policiesGrantingServiceAccess() async throws {
        let world = try TestWorld()
        _ = try await IAMInProcessTests.user("dev", in: world)
        let iamPolicy = try await world.createPolicy("ExampleIamPolicy", document: Docs.allow("iam:Get*"))
        try await world.iamOK("AttachUserPolicy", ["UserName": "dev", "PolicyArn": iamPolicy])
        try await world.iamOK("CreateGroup", ["GroupName": "devs"])
        try await world.iamOK("AddUserToGroup", ["GroupName": "devs", "UserName": "dev"])
        try await world.iamOK(
            "PutGroupPolicy", ["GroupName": "devs", "PolicyName": "GroupPolicy", "PolicyDocument": Docs.allow("iam:ListUsers")])
        let listed = try await world.iamOK(
            "ListPoliciesGrantingServiceAccess",
            ["Arn": "arn:aws:iam::\(Self.account):user/dev", "ServiceNamespaces.member.1": "iam", "ServiceNamespaces.member.2": "ec2"])
        #expect(listed.value("IsTruncated") == "false")
        #expect(listed.values("ServiceNamespace") == ["iam", "ec2"])
        #expect(listed.values("PolicyName") == ["ExampleIamPolicy", "GroupPolicy"])
        #expect(listed.values("PolicyType") == ["MANAGED", "INLINE"])
        #expect(listed.values("PolicyArn") == [iamPolicy])
        #expect(listed.values("EntityName") == ["devs"])
        #expect(listed.values("EntityType") == ["GROUP"])

        let ghost = try await world.iam(
            "ListPoliciesGrantingServiceAccess", ["Arn": "arn:aws:iam::\(Self.account):role/ghost", "ServiceNamespaces.member.1": "iam"])
        #expect(ghost.errorCode == "NoSuchEntity")
        #expect(ghost.errorMessage == "The role with name ghost cannot be found.")
    }

    @Test("SetSecurityTokenServicePreferences is stored and GetAccountSummary reports it; a bad value changes nothing")
    func stsPreferences() async throws {
        let world = try TestWorld()
        func version() async throws -> String? {
            let summary = try await world.iamOK("GetAccountSummary")
            let entry = summary.body.components(separatedBy: "<entry>").first { $0.contains("<key>GlobalEndpointTokenVersion</key>") }
            return entry.flatMap { Self.value("value", in: $0) }
        }
        #expect(try await version() == "1")
        #expect(try await world.iam("SetSecurityTokenServicePreferences", ["GlobalEndpointTokenVersion": "v3Token"]).status == 400)
        #expect(try await version() == "1")
        try await world.iamOK("SetSecurityTokenServicePreferences", ["GlobalEndpointTokenVersion": "v2Token"])
        #expect(try await version() == "2")
        try await world.iamOK("SetSecurityTokenServicePreferences", ["GlobalEndpointTokenVersion": "v1Token"])
        #expect(try await version() == "1")
    }

    @Test("outbound web identity federation: off until enabled, one issuer per account, kept across disable, each state change once")
    func outboundFederation() async throws {
        let world = try TestWorld()
        let never = try await world.iam("GetOutboundWebIdentityFederationInfo")
        #expect(never.status == 404)
        #expect(never.errorCode == "FeatureDisabled")
        #expect(try await world.iam("DisableOutboundWebIdentityFederation").errorCode == "FeatureDisabled")

        let enabled = try await world.iamOK("EnableOutboundWebIdentityFederation")
        let issuer = try #require(enabled.value("IssuerIdentifier"))
        #expect(issuer.hasPrefix("https://") && issuer.hasSuffix(".tokens.sts.global.api.aws"))
        let again = try await world.iam("EnableOutboundWebIdentityFederation")
        #expect(again.status == 409)
        #expect(again.errorCode == "FeatureEnabled")
        let info = try await world.iamOK("GetOutboundWebIdentityFederationInfo")
        #expect(info.value("IssuerIdentifier") == issuer)
        #expect(info.value("JwtVendingEnabled") == "true")

        try await world.iamOK("DisableOutboundWebIdentityFederation")
        let off = try await world.iamOK("GetOutboundWebIdentityFederationInfo")
        #expect(off.value("IssuerIdentifier") == issuer)
        #expect(off.value("JwtVendingEnabled") == "false")
        #expect(try await world.iam("DisableOutboundWebIdentityFederation").status == 404)
        #expect(try await world.iamOK("EnableOutboundWebIdentityFederation").value("IssuerIdentifier") == issuer)
    }

    @Test("Organizations features answer OrganizationNotFoundException: the account belongs to no organization")
    func organizations() async throws {
        let world = try TestWorld()
        for action in [
            "ListOrganizationsFeatures", "EnableOrganizationsRootCredentialsManagement", "DisableOrganizationsRootCredentialsManagement",
            "EnableOrganizationsRootSessions", "DisableOrganizationsRootSessions",
        ] {
            let answer = try await world.iam(action)
            #expect(answer.status == 400, "\(action)")
            #expect(answer.errorCode == "OrganizationNotFoundException", "\(action)")
            #expect(answer.errorMessage == "The request was rejected because no organization is associated with your account.")
        }
        let report = try await world.iam("GenerateOrganizationsAccessReport", ["EntityPath": "o-a1b2c3d4e5/r-f6g7h8i9j0example"])
        #expect(report.errorCode == "OrganizationNotFoundException")
        let job = try await world.iam("GetOrganizationsAccessReport", ["JobId": "00000000-0000-4000-8000-000000000000"])
        #expect(job.errorCode == "NoSuchEntity")
    }

    @Test("delegation requests: none exist, and creating one needs partner onboarding")
    func delegationRequests() async throws {
        let world = try TestWorld()
        let listed = try await world.iamOK("ListDelegationRequests")
        #expect(listed.values("DelegationRequestId").isEmpty)
        #expect(listed.value("isTruncated") == "false")
        for action in ["GetDelegationRequest", "AcceptDelegationRequest", "RejectDelegationRequest", "SendDelegationToken"] {
            let answer = try await world.iam(action, ["DelegationRequestId": "dr-0123456789abcdef"])
            #expect(answer.status == 404, "\(action): \(answer)")
            #expect(answer.errorMessage == "The delegation request with id dr-0123456789abcdef cannot be found.")
        }
        let summary = try await world.iam(
            "GetHumanReadableSummary", ["EntityArn": "arn:aws:iam::\(Self.account):delegation-request/dr-0123456789abcdef"])
        #expect(summary.errorCode == "NoSuchEntity")
        let created = try await world.iam("CreateDelegationRequest", [
            "Description": "deploy access", "NotificationChannel": "arn:aws:sns:us-east-1:111111111111:topic",
            "RequestorWorkflowId": "workflow-1", "SessionDuration": "3600",
            "Permissions.PolicyTemplateArn": "arn:aws:iam::aws:delegation-template/example",
        ])
        #expect(created.status == 400, "\(created)")
        #expect(created.errorCode == "InvalidInput", "\(created)")
        #expect(created.errorMessage?.hasPrefix("CreateDelegationRequest is not available to this account") == true)
    }

    @Test("no operation of the IAM model answers 501 any more")
    func everyOperationImplemented() async throws {
        let world = try TestWorld()
        #expect(IAMOperation.names.count == 176)
        for action in IAMOperation.names {
            let answer = try await world.iam(action)
            #expect(answer.status != 501, "\(action): \(answer)")
        }
    }
}
