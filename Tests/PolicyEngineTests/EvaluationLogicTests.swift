import PolicyEngine
import Testing

/// AWS's decision logic: IAM User Guide "Policy evaluation logic",
/// "Determining whether a request is allowed or denied within an account",
/// "Cross-account policy evaluation logic", "Permissions boundaries for IAM
/// entities" and "Session policies".
@Suite("Evaluation logic")
struct EvaluationLogicTests {
    typealias F = EvaluationFixture

    func decide(
        _ principal: EvaluationPrincipal, _ action: String, on resource: String = "*", account: String? = nil,
        context: RequestContext = [:], _ policies: PolicySet
    ) -> Decision {
        PolicyEvaluator.evaluate(
            AuthorizationRequest(
                principal: principal, action: action, resource: resource, resourceAccountID: account, context: context),
            policies: policies)
    }

    // MARK: Identity-based policies

    @Test("Requests are implicitly denied by default")
    func defaultIsImplicitDeny() {
        let decision = decide(F.alice, "s3:GetObject", PolicySet())
        #expect(decision.outcome == .implicitDeny)
        #expect(decision.policyType == .identityBased)
    }

    @Test("An identity-based allow allows the request")
    func identityAllowAllows() {
        let decision = decide(F.alice, "s3:GetObject", PolicySet(identityPolicies: [F.managed("A", F.allowing("s3:GetObject"))]))
        #expect(decision.outcome == .allowed)
        #expect(decision.policyType == .identityBased)
        #expect(decision.matchedStatements.map(\.policyID) == ["arn:aws:iam::123456789012:policy/A"])
    }

    @Test("An explicit deny overrides any allow (example DenyReports)")
    func explicitDenyOverridesAllow() {
        let policy = F.managed("P", #"""
            {"Version":"2012-10-17","Statement":[
              {"Sid":"AllowGetList","Effect":"Allow","Action":["iam:Get*","iam:List*"],"Resource":"*"},
              {"Sid":"DenyReports","Effect":"Deny","Action":"iam:*Report","Resource":"*"}]}
            """#)
        let set = PolicySet(identityPolicies: [policy])
        #expect(decide(F.alice, "iam:ListUsers", set).outcome == .allowed)
        let denied = decide(F.alice, "iam:GetCredentialReport", set)
        #expect(denied.outcome == .explicitDeny)
        #expect(denied.matchedStatements.first?.sid == "DenyReports")
        #expect(decide(F.alice, "iam:CreatePolicy", set).outcome == .implicitDeny)
    }

    @Test("Action names match without regard to case, resources with it")
    func actionCaseResourceCase() {
        let set = PolicySet(identityPolicies: [F.managed("A", F.allowing("S3:getobject", on: "arn:aws:s3:::Bucket/*"))])
        #expect(decide(F.alice, "s3:GetObject", on: "arn:aws:s3:::Bucket/key", set).isAllowed)
        #expect(!decide(F.alice, "s3:GetObject", on: "arn:aws:s3:::bucket/key", set).isAllowed)
    }

    @Test("Wildcards in actions and resources match (example carlossalazar)")
    func wildcardsMatch() {
        let set = PolicySet(identityPolicies: [F.managed("P", #"""
            {"Version":"2012-10-17","Statement":[
              {"Sid":"AllowS3Self","Effect":"Allow","Action":"s3:*","Resource":["arn:aws:s3:::carlossalazar/*","arn:aws:s3:::carlossalazar"]},
              {"Sid":"DenyS3Logs","Effect":"Deny","Action":"s3:*","Resource":"arn:aws:s3:::*log*"}]}
            """#)])
        #expect(decide(F.alice, "s3:PutObject", on: "arn:aws:s3:::carlossalazar/file", set).isAllowed)
        #expect(decide(F.alice, "s3:PutObject", on: "arn:aws:s3:::carlossalazar-logs/file", set).outcome == .explicitDeny)
        #expect(decide(F.alice, "s3:PutObject", on: "arn:aws:s3:::other/file", set).outcome == .implicitDeny)
    }

    @Test("? matches exactly one character in a resource")
    func questionMarkInResource() {
        let set = PolicySet(identityPolicies: [F.managed("A", F.allowing("s3:GetObject", on: "arn:aws:s3:::b/file?.txt"))])
        #expect(decide(F.alice, "s3:GetObject", on: "arn:aws:s3:::b/file1.txt", set).isAllowed)
        #expect(!decide(F.alice, "s3:GetObject", on: "arn:aws:s3:::b/file12.txt", set).isAllowed)
    }

    @Test("An action without a resource type is requested on * and only a * resource covers it")
    func starResourceNeedsStarPattern() {
        let scoped = PolicySet(identityPolicies: [F.managed("A", F.allowing("ecr:GetAuthorizationToken", on: F.repository))])
        #expect(!decide(F.alice, "ecr:GetAuthorizationToken", on: "*", scoped).isAllowed)
        let star = PolicySet(identityPolicies: [F.managed("A", F.allowing("ecr:GetAuthorizationToken"))])
        #expect(decide(F.alice, "ecr:GetAuthorizationToken", on: "*", star).isAllowed)
    }

    @Test("NotAction allows everything except the listed actions (NotAction with Allow)")
    func notActionAllow() {
        let set = PolicySet(identityPolicies: [F.managed("P",
            #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}}"#)])
        #expect(decide(F.alice, "s3:ListAllMyBuckets", set).isAllowed)
        #expect(!decide(F.alice, "iam:CreateUser", set).isAllowed)
    }

    @Test("NotAction with Deny denies every other action (example DenyAllExceptListedIfNoMFA)")
    func notActionDenyWithMFA() {
        let set = PolicySet(identityPolicies: [
            F.managed("Admin", F.allowing("*")),
            F.managed("MFA", #"""
                {"Version":"2012-10-17","Statement":{"Sid":"DenyAllExceptListedIfNoMFA","Effect":"Deny",
                 "NotAction":["iam:CreateVirtualMFADevice","iam:EnableMFADevice","iam:GetUser","iam:ListMFADevices","sts:GetSessionToken"],
                 "Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}}
                """#),
        ])
        #expect(decide(F.alice, "ec2:RunInstances", set).outcome == .explicitDeny)
        #expect(decide(F.alice, "iam:GetUser", set).isAllowed)
        #expect(decide(F.alice, "ec2:RunInstances", context: ["aws:MultiFactorAuthPresent": "true"], set).isAllowed)
    }

    @Test("NotResource denies everything except the listed resources (example HRBucket/Payroll)")
    func notResourceDeny() {
        let set = PolicySet(identityPolicies: [
            F.managed("All", F.allowing("s3:*")),
            F.managed("P", #"{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"s3:*","NotResource":["arn:aws:s3:::HRBucket/Payroll","arn:aws:s3:::HRBucket/Payroll/*"]}}"#),
        ])
        #expect(decide(F.alice, "s3:GetObject", on: "arn:aws:s3:::HRBucket/Payroll/jan.csv", set).isAllowed)
        #expect(decide(F.alice, "s3:GetObject", on: "arn:aws:s3:::HRBucket/Other", set).outcome == .explicitDeny)
    }

    // MARK: Permissions boundaries

    @Test("A boundary limits identity-based allows (example ShirleyRodriguez)")
    func boundaryLimitsIdentity() {
        let boundary = F.managed("Boundary", #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*","cloudwatch:*","ec2:*"],"Resource":"*"}]}"#)
        let set = PolicySet(
            identityPolicies: [F.managed("Create", F.allowing("iam:CreateUser")), F.managed("S3", F.allowing("s3:*"))],
            permissionsBoundary: boundary)
        let denied = decide(F.alice, "iam:CreateUser", set)
        #expect(denied.outcome == .implicitDeny)
        #expect(denied.policyType == .permissionsBoundary)
        #expect(decide(F.alice, "s3:GetObject", set).isAllowed)
    }

    @Test("A boundary grants nothing on its own")
    func boundaryGrantsNothing() {
        let set = PolicySet(permissionsBoundary: F.managed("Boundary", F.allowing("s3:*")))
        let decision = decide(F.alice, "s3:GetObject", set)
        #expect(decision.outcome == .implicitDeny)
        #expect(decision.policyType == .identityBased)
    }

    @Test("An explicit deny in a boundary is an explicit deny")
    func boundaryExplicitDeny() {
        let set = PolicySet(
            identityPolicies: [F.managed("All", F.allowing("*"))],
            permissionsBoundary: F.managed("Boundary", #"""
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},
                 {"Sid":"DenyS3Logs","Effect":"Deny","Action":"s3:*","Resource":["arn:aws:s3:::logs","arn:aws:s3:::logs/*"]}]}
                """#))
        let decision = decide(F.alice, "s3:GetObject", on: "arn:aws:s3:::logs/x", set)
        #expect(decision.outcome == .explicitDeny)
        #expect(decision.policyType == .permissionsBoundary)
    }

    @Test("A resource policy naming the IAM user is not limited by the boundary (same account)")
    func userNamedInResourcePolicyBypassesBoundary() {
        let set = PolicySet(
            resourcePolicy: F.resource(#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/division/alice"},"Action":"ecr:BatchGetImage"}]}"#),
            resourceOwnerAccountID: F.account,
            permissionsBoundary: F.managed("Boundary", F.allowing("s3:*")))
        let decision = decide(F.alice, "ecr:BatchGetImage", on: F.repository, account: F.account, set)
        #expect(decision.outcome == .allowed)
        #expect(decision.policyType == .resourceBased)
    }

    // MARK: Session policies

    @Test("A session policy limits the role's identity-based allows")
    func sessionPolicyLimits() {
        let set = PolicySet(
            identityPolicies: [F.managed("All", F.allowing("*"))],
            sessionPolicies: [AttachedPolicy(id: "session", source: .none, document: F.document(F.allowing("s3:GetObject")))])
        #expect(decide(F.session, "s3:GetObject", set).isAllowed)
        let denied = decide(F.session, "s3:PutObject", set)
        #expect(denied.outcome == .implicitDeny)
        #expect(denied.policyType == .sessionPolicy)
    }

    @Test("A role session without session policies keeps the role's permissions")
    func roleSessionWithoutSessionPolicy() {
        let set = PolicySet(identityPolicies: [F.managed("All", F.allowing("s3:*"))])
        #expect(decide(F.session, "s3:PutObject", set).isAllowed)
    }

    @Test("A federated-user session without a session policy has no permissions")
    func federatedUserNeedsSessionPolicy() {
        let federated = EvaluationPrincipal.federatedUser(
            arn: "arn:aws:sts::123456789012:federated-user/carol", userARN: "arn:aws:iam::123456789012:user/carol")
        let set = PolicySet(identityPolicies: [F.managed("All", F.allowing("s3:*"))])
        #expect(decide(federated, "s3:GetObject", set).policyType == .sessionPolicy)
        let withPolicy = PolicySet(
            identityPolicies: [F.managed("All", F.allowing("s3:*"))],
            sessionPolicies: [AttachedPolicy(id: "session", source: .none, document: F.document(F.allowing("s3:Get*")))])
        #expect(decide(federated, "s3:GetObject", withPolicy).isAllowed)
    }

    @Test("A resource policy naming the role session is not limited by the session policy")
    func sessionNamedInResourcePolicy() {
        let set = PolicySet(
            resourcePolicy: F.resource(#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:sts::123456789012:assumed-role/Deployer/build-42"},"Action":"ecr:*"}]}"#),
            resourceOwnerAccountID: F.account,
            sessionPolicies: [AttachedPolicy(id: "session", source: .none, document: F.document(F.allowing("s3:GetObject")))])
        #expect(decide(F.session, "ecr:PutImage", on: F.repository, account: F.account, set).isAllowed)
    }

    @Test("A resource policy naming the role ARN is limited by the session policy")
    func roleNamedInResourcePolicyIsLimited() {
        let resource = F.resource(#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:role/app/Deployer"},"Action":"ecr:*"}]}"#)
        let limited = PolicySet(
            resourcePolicy: resource, resourceOwnerAccountID: F.account,
            sessionPolicies: [AttachedPolicy(id: "session", source: .none, document: F.document(F.allowing("s3:GetObject")))])
        let decision = decide(F.session, "ecr:PutImage", on: F.repository, account: F.account, limited)
        #expect(decision.outcome == .implicitDeny)
        let unlimited = PolicySet(resourcePolicy: resource, resourceOwnerAccountID: F.account)
        #expect(decide(F.session, "ecr:PutImage", on: F.repository, account: F.account, unlimited).isAllowed)
    }

    @Test("A resource policy naming the role ARN is limited by the role's boundary")
    func roleNamedInResourcePolicyLimitedByBoundary() {
        let set = PolicySet(
            resourcePolicy: F.resource(#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:role/app/Deployer"},"Action":"ecr:*"}]}"#),
            resourceOwnerAccountID: F.account,
            permissionsBoundary: F.managed("Boundary", F.allowing("s3:*")))
        let decision = decide(F.session, "ecr:PutImage", on: F.repository, account: F.account, set)
        #expect(decision.outcome == .implicitDeny)
    }

    // MARK: Resource-based policies

    @Test("Within an account a resource policy allow suffices without an identity allow")
    func sameAccountResourceAllow() {
        let set = PolicySet(
            resourcePolicy: F.resource(#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/division/alice"},"Action":"ecr:BatchGetImage"}]}"#),
            resourceOwnerAccountID: F.account)
        #expect(decide(F.alice, "ecr:BatchGetImage", on: F.repository, account: F.account, set).isAllowed)
    }

    @Test("Within an account an identity allow suffices without a resource policy allow")
    func sameAccountIdentityAllow() {
        let set = PolicySet(
            identityPolicies: [F.managed("ECR", F.allowing("ecr:*"))],
            resourcePolicy: F.resource(#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/other"},"Action":"ecr:*"}]}"#),
            resourceOwnerAccountID: F.account)
        let decision = decide(F.alice, "ecr:BatchGetImage", on: F.repository, account: F.account, set)
        #expect(decision.isAllowed)
        #expect(decision.policyType == .identityBased)
    }

    @Test("A resource policy naming only the account delegates to IAM")
    func accountPrincipalDelegates() {
        let resource = F.resource(#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"ecr:*"}]}"#)
        let without = PolicySet(resourcePolicy: resource, resourceOwnerAccountID: F.account)
        #expect(decide(F.alice, "ecr:BatchGetImage", on: F.repository, account: F.account, without).outcome == .implicitDeny)
        let with = PolicySet(
            identityPolicies: [F.managed("ECR", F.allowing("ecr:BatchGetImage"))], resourcePolicy: resource,
            resourceOwnerAccountID: F.account)
        #expect(decide(F.alice, "ecr:BatchGetImage", on: F.repository, account: F.account, with).isAllowed)
    }

    @Test("An explicit deny in a resource policy denies even an identity allow")
    func resourceDenyWins() {
        let set = PolicySet(
            identityPolicies: [F.managed("ECR", F.allowing("ecr:*"))],
            resourcePolicy: F.resource(#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"ecr:DeleteRepository"}]}"#),
            resourceOwnerAccountID: F.account)
        let decision = decide(F.alice, "ecr:DeleteRepository", on: F.repository, account: F.account, set)
        #expect(decision.outcome == .explicitDeny)
        #expect(decision.policyType == .resourceBased)
    }

    @Test("A service principal is allowed only by the resource policy")
    func servicePrincipal() {
        let set = PolicySet(
            resourcePolicy: F.resource(#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"codebuild.amazonaws.com"},"Action":"ecr:BatchGetImage"}]}"#),
            resourceOwnerAccountID: F.account)
        #expect(decide(.service("codebuild.amazonaws.com"), "ecr:BatchGetImage", on: F.repository, account: F.account, set).isAllowed)
        #expect(decide(.service("lambda.amazonaws.com"), "ecr:BatchGetImage", on: F.repository, account: F.account, set).policyType == .resourceBased)
    }

    @Test("Anonymous callers match only a * principal")
    func anonymousCallers() {
        let open = PolicySet(
            resourcePolicy: F.resource(#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"ecr:BatchGetImage"}]}"#),
            resourceOwnerAccountID: F.account)
        #expect(decide(.anonymous, "ecr:BatchGetImage", on: F.repository, account: F.account, open).isAllowed)
        let named = PolicySet(
            resourcePolicy: F.resource(#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"123456789012"},"Action":"ecr:BatchGetImage"}]}"#),
            resourceOwnerAccountID: F.account)
        #expect(!decide(.anonymous, "ecr:BatchGetImage", on: F.repository, account: F.account, named).isAllowed)
    }

    // MARK: Cross-account

    @Test("Across accounts both the identity policy and the resource policy must allow")
    func crossAccountNeedsBoth() {
        let resource = F.resource(#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"210987654321"},"Action":"ecr:BatchGetImage"}]}"#)
        let identity = F.managed("ECR", F.allowing("ecr:BatchGetImage"))
        let both = PolicySet(identityPolicies: [identity], resourcePolicy: resource, resourceOwnerAccountID: F.account)
        let allowed = decide(F.outsider, "ecr:BatchGetImage", on: F.repository, account: F.account, both)
        #expect(allowed.isAllowed)
        #expect(allowed.isCrossAccount)
        let onlyResource = PolicySet(resourcePolicy: resource, resourceOwnerAccountID: F.account)
        #expect(decide(F.outsider, "ecr:BatchGetImage", on: F.repository, account: F.account, onlyResource).policyType == .identityBased)
        let onlyIdentity = PolicySet(identityPolicies: [identity])
        let denied = decide(F.outsider, "ecr:BatchGetImage", on: F.repository, account: F.account, onlyIdentity)
        #expect(denied.outcome == .implicitDeny)
        #expect(denied.policyType == .resourceBased)
    }

    @Test("Across accounts a resource policy naming the user directly still needs the identity allow")
    func crossAccountDirectNameStillNeedsIdentity() {
        let set = PolicySet(
            resourcePolicy: F.resource(#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::210987654321:user/bob"},"Action":"ecr:*"}]}"#),
            resourceOwnerAccountID: F.account)
        #expect(decide(F.outsider, "ecr:BatchGetImage", on: F.repository, account: F.account, set).outcome == .implicitDeny)
    }

    // MARK: Root

    @Test("The root user needs no identity-based allow")
    func rootIsNotLimitedByIdentityPolicies() {
        let decision = decide(F.root, "iam:CreateUser", on: "arn:aws:iam::123456789012:user/x", account: F.account, PolicySet())
        #expect(decision.isAllowed)
    }

    @Test("An explicit deny in a resource policy still applies to the root user")
    func rootIsLimitedByResourceDeny() {
        let set = PolicySet(
            resourcePolicy: F.resource(#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":{"AWS":"*"},"Action":"ecr:*"}]}"#),
            resourceOwnerAccountID: F.account)
        #expect(decide(F.root, "ecr:DeleteRepository", on: F.repository, account: F.account, set).outcome == .explicitDeny)
    }

    @Test("The root user of another account needs the resource policy")
    func crossAccountRoot() {
        let other = EvaluationPrincipal.root(accountID: F.otherAccount)
        #expect(!decide(other, "ecr:BatchGetImage", on: F.repository, account: F.account, PolicySet()).isAllowed)
        let set = PolicySet(
            resourcePolicy: F.resource(#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::210987654321:root"},"Action":"ecr:BatchGetImage"}]}"#),
            resourceOwnerAccountID: F.account)
        #expect(decide(other, "ecr:BatchGetImage", on: F.repository, account: F.account, set).isAllowed)
    }

    // MARK: NotPrincipal

    @Test("NotPrincipal with Deny spares a user listed with its account (NotPrincipal example Bob)")
    func notPrincipalSparesListedUser() {
        let bob = EvaluationPrincipal.user(arn: "arn:aws:iam::444455556666:user/Bob")
        let eve = EvaluationPrincipal.user(arn: "arn:aws:iam::444455556666:user/Eve")
        let set = PolicySet(
            identityPolicies: [F.managed("ECR", F.allowing("ecr:*"))],
            resourcePolicy: F.resource(#"""
                {"Version":"2012-10-17","Statement":[
                 {"Effect":"Deny","NotPrincipal":{"AWS":["arn:aws:iam::444455556666:user/Bob","arn:aws:iam::444455556666:root"]},"Action":"ecr:*"},
                 {"Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":"ecr:*"}]}
                """#),
            resourceOwnerAccountID: F.account)
        #expect(decide(bob, "ecr:BatchGetImage", on: F.repository, account: F.account, set).isAllowed)
        #expect(decide(eve, "ecr:BatchGetImage", on: F.repository, account: F.account, set).outcome == .explicitDeny)
    }

    @Test("NotPrincipal naming only the user, not its account, still denies it")
    func notPrincipalWithoutAccountDenies() {
        let bob = EvaluationPrincipal.user(arn: "arn:aws:iam::444455556666:user/Bob")
        let set = PolicySet(
            resourcePolicy: F.resource(#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::444455556666:user/Bob"},"Action":"ecr:*"}]}"#),
            resourceOwnerAccountID: F.account)
        #expect(decide(bob, "ecr:BatchGetImage", on: F.repository, account: F.account, set).outcome == .explicitDeny)
    }

    @Test("NotPrincipal spares a role session only with its role and account listed")
    func notPrincipalRoleSession() {
        let sessionOnly = PolicySet(
            resourcePolicy: F.resource(#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","NotPrincipal":{"AWS":["arn:aws:sts::123456789012:assumed-role/Deployer/build-42","arn:aws:iam::123456789012:root"]},"Action":"ecr:*"}]}"#),
            resourceOwnerAccountID: F.account)
        #expect(decide(F.session, "ecr:BatchGetImage", on: F.repository, account: F.account, sessionOnly).outcome == .explicitDeny)
        let complete = PolicySet(
            identityPolicies: [F.managed("ECR", F.allowing("ecr:*"))],
            resourcePolicy: F.resource(#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","NotPrincipal":{"AWS":["arn:aws:sts::123456789012:assumed-role/Deployer/build-42","arn:aws:iam::123456789012:role/app/Deployer","arn:aws:iam::123456789012:root"]},"Action":"ecr:*"}]}"#),
            resourceOwnerAccountID: F.account)
        #expect(decide(F.session, "ecr:BatchGetImage", on: F.repository, account: F.account, complete).isAllowed)
    }

    @Test("An Allow whose NotPrincipal names the caller, alone or in an array, does not apply to it")
    func notPrincipalAllowExcludesNamedCaller() {
        let bob = EvaluationPrincipal.user(arn: "arn:aws:iam::123456789012:user/Bob")
        for named in [#""arn:aws:iam::123456789012:user/Bob""#, #"["arn:aws:iam::123456789012:user/Eve","arn:aws:iam::123456789012:user/Bob"]"#] {
            let set = PolicySet(
                resourcePolicy: F.resource(#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotPrincipal":{"AWS":\#(named)},"Action":"ecr:*"}]}"#),
                resourceOwnerAccountID: F.account)
            let decision = decide(bob, "ecr:BatchGetImage", on: F.repository, account: F.account, set)
            #expect(decision.outcome == .implicitDeny, "\(named)")
            #expect(decide(F.alice, "ecr:BatchGetImage", on: F.repository, account: F.account, set).isAllowed, "others are granted")
            let simulated = PolicyEvaluator.simulate(
                AuthorizationRequest(principal: bob, action: "ecr:BatchGetImage", resource: F.repository, resourceAccountID: F.account),
                policies: set)
            #expect(simulated.decision.outcome == .implicitDeny, "the simulator agrees")
        }
        let byRole = PolicySet(
            resourcePolicy: F.resource(#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::123456789012:role/app/Deployer"},"Action":"ecr:*"}]}"#),
            resourceOwnerAccountID: F.account)
        #expect(decide(F.session, "ecr:BatchGetImage", on: F.repository, account: F.account, byRole).outcome == .implicitDeny)
    }

    @Test("What account aws owns (AWS managed policies) is no other account: the identity policy alone allows reading it")
    func awsOwnedIsNotCrossAccount() {
        let set = PolicySet(identityPolicies: [F.managed("Read", F.allowing("iam:GetPolicy"))])
        let request = AuthorizationRequest(
            principal: F.alice, action: "iam:GetPolicy", resource: "arn:aws:iam::aws:policy/AdministratorAccess", resourceAccountID: "aws")
        #expect(!request.isCrossAccount)
        #expect(PolicyEvaluator.evaluate(request, policies: set).isAllowed)
        #expect(PolicyEvaluator.simulate(request, policies: set).decision.outcome == .allowed)
        let other = AuthorizationRequest(
            principal: F.alice, action: "iam:GetPolicy", resource: "arn:aws:iam::210987654321:policy/P", resourceAccountID: F.otherAccount)
        #expect(PolicyEvaluator.evaluate(other, policies: set).outcome == .implicitDeny)
    }

    // MARK: Trust policies

    static let trust = #"""
        {"Version":"2012-10-17","Statement":[
          {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/division/alice"},"Action":"sts:AssumeRole"},
          {"Effect":"Allow","Principal":{"AWS":"210987654321"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"xyz"}}},
          {"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringLike":{"token.actions.githubusercontent.com:sub":"repo:org/app:*"}}}
        ]}
        """#

    func assume(_ principal: EvaluationPrincipal, _ action: String = "sts:AssumeRole", context: RequestContext = [:], identity: [AttachedPolicy] = []) -> Decision {
        let trust = AttachedPolicy(id: "role/Deployer/trust", source: .resource, document: F.document(Self.trust, kind: .trust))
        return decide(principal, action, on: F.roleARN, account: F.account, context: context,
                      PolicySet(identityPolicies: identity, resourcePolicy: trust, resourceOwnerAccountID: F.account))
    }

    @Test("A trust policy naming the user lets it assume the role without an identity allow")
    func trustNamingUser() {
        #expect(assume(F.alice).isAllowed)
    }

    @Test("A trust policy must allow even within the account")
    func trustMustAllow() {
        let carol = EvaluationPrincipal.user(arn: "arn:aws:iam::123456789012:user/carol")
        let decision = assume(carol, identity: [F.managed("Assume", F.allowing("sts:AssumeRole"))])
        #expect(decision.outcome == .implicitDeny)
        #expect(decision.policyType == .resourceBased)
    }

    @Test("A resource policy given for sts:AssumeRole is the trust policy, which must allow whatever its document kind")
    func trustByAction() {
        let carol = EvaluationPrincipal.user(arn: "arn:aws:iam::123456789012:user/carol")
        // As the simulator is given it: parsed as a resource policy, naming someone else.
        let other = F.resource(#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/dave"},"Action":"sts:AssumeRole"}]}"#)
        let set = PolicySet(
            identityPolicies: [F.managed("Assume", F.allowing("sts:AssumeRole"))], resourcePolicy: other, resourceOwnerAccountID: F.account)
        let request = AuthorizationRequest(principal: carol, action: "sts:AssumeRole", resource: F.roleARN, resourceAccountID: F.account)
        #expect(PolicyEvaluator.evaluate(request, policies: set).outcome == .implicitDeny)
        #expect(PolicyEvaluator.simulate(request, policies: set).decision.outcome == .implicitDeny)
        // Any other action on the same resource policy is allowed by the identity side within the account.
        let read = AuthorizationRequest(principal: carol, action: "ecr:BatchGetImage", resource: F.roleARN, resourceAccountID: F.account)
        let readSet = PolicySet(
            identityPolicies: [F.managed("Read", F.allowing("ecr:BatchGetImage"))], resourcePolicy: other, resourceOwnerAccountID: F.account)
        #expect(PolicyEvaluator.evaluate(read, policies: readSet).isAllowed)
    }

    @Test("A trust policy naming another account needs that account's identity allow and its conditions")
    func trustNamingAccount() {
        let assumeAll = F.managed("Assume", F.allowing("sts:AssumeRole"))
        #expect(assume(F.outsider, context: ["sts:ExternalId": "xyz"], identity: [assumeAll]).isAllowed)
        #expect(!assume(F.outsider, context: ["sts:ExternalId": "abc"], identity: [assumeAll]).isAllowed)
        #expect(assume(F.outsider, context: ["sts:ExternalId": "xyz"]).policyType == .identityBased)
    }

    @Test("A trust policy lets a federated web identity assume the role when its conditions hold")
    func trustFederated() {
        let github = EvaluationPrincipal.federatedIdentity(
            provider: "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com")
        #expect(assume(github, "sts:AssumeRoleWithWebIdentity", context: ["token.actions.githubusercontent.com:sub": "repo:org/app:ref:refs/heads/main"]).isAllowed)
        #expect(!assume(github, "sts:AssumeRoleWithWebIdentity", context: ["token.actions.githubusercontent.com:sub": "repo:evil/app:ref"]).isAllowed)
        #expect(!assume(github, "sts:AssumeRole", context: ["token.actions.githubusercontent.com:sub": "repo:org/app:x"]).isAllowed)
    }
}
