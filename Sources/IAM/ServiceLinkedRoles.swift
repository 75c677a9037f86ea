import AWSShapes
import ServiceKit
import Storage

/// Service-linked roles: created for an AWS service (its name, path, trust
/// policy and permissions policy are the service's), deleted through a
/// deletion task whose status can be asked for.
enum ServiceLinkedRoles {
    /// What a service's role is called and which AWS managed policy it gets
    /// (`arn:aws:iam::aws:policy/aws-service-role/POLICY`).
    struct LinkedService: Sendable {
        var roleSuffix: String
        var policy: String
        var allowsCustomSuffix = false
    }

    /// The services Gatehouse knows the service-linked role of (AWS's documentation
    /// of each service; the policies are in the seed catalog).
    static let catalog: [String: LinkedService] = [
        "autoscaling.amazonaws.com": LinkedService(roleSuffix: "AutoScaling", policy: "AutoScalingServiceRolePolicy", allowsCustomSuffix: true),
        "elasticloadbalancing.amazonaws.com": LinkedService(roleSuffix: "ElasticLoadBalancing", policy: "AWSElasticLoadBalancingServiceRolePolicy"),
        "ecs.amazonaws.com": LinkedService(roleSuffix: "ECS", policy: "AmazonECSServiceRolePolicy"),
        "eks.amazonaws.com": LinkedService(roleSuffix: "AmazonEKS", policy: "AmazonEKSServiceRolePolicy"),
        "eks-nodegroup.amazonaws.com": LinkedService(roleSuffix: "AmazonEKSNodegroup", policy: "AWSServiceRoleForAmazonEKSNodegroup"),
        "eks-fargate.amazonaws.com": LinkedService(roleSuffix: "AmazonEKSForFargate", policy: "AmazonEKSForFargateServiceRolePolicy"),
        "spot.amazonaws.com": LinkedService(roleSuffix: "EC2Spot", policy: "AWSEC2SpotServiceRolePolicy"),
        "spotfleet.amazonaws.com": LinkedService(roleSuffix: "EC2SpotFleet", policy: "AWSEC2SpotFleetServiceRolePolicy"),
        "rds.amazonaws.com": LinkedService(roleSuffix: "RDS", policy: "AmazonRDSServiceRolePolicy"),
        "es.amazonaws.com": LinkedService(roleSuffix: "AmazonElasticsearchService", policy: "AmazonElasticsearchServiceRolePolicy"),
        "opensearchservice.amazonaws.com": LinkedService(roleSuffix: "AmazonOpenSearchService", policy: "AmazonOpenSearchServiceRolePolicy"),
        "elasticache.amazonaws.com": LinkedService(roleSuffix: "ElastiCache", policy: "ElastiCacheServiceRolePolicy"),
        "cloudtrail.amazonaws.com": LinkedService(roleSuffix: "CloudTrail", policy: "CloudTrailServiceRolePolicy"),
        "config.amazonaws.com": LinkedService(roleSuffix: "Config", policy: "AWSConfigServiceRolePolicy"),
        "guardduty.amazonaws.com": LinkedService(roleSuffix: "AmazonGuardDuty", policy: "AmazonGuardDutyServiceRolePolicy"),
        "access-analyzer.amazonaws.com": LinkedService(roleSuffix: "AccessAnalyzer", policy: "AccessAnalyzerServiceRolePolicy"),
        "securityhub.amazonaws.com": LinkedService(roleSuffix: "SecurityHub", policy: "AWSSecurityHubServiceRolePolicy"),
        "ssm.amazonaws.com": LinkedService(roleSuffix: "AmazonSSM", policy: "AmazonSSMServiceRolePolicy"),
        "kafka.amazonaws.com": LinkedService(roleSuffix: "Kafka", policy: "KafkaServiceRolePolicy"),
        "lambda.amazonaws.com": LinkedService(roleSuffix: "Lambda", policy: "AWSLambdaServiceRolePolicy"),
        "replicator.lambda.amazonaws.com": LinkedService(roleSuffix: "LambdaReplicator", policy: "AWSLambdaReplicator"),
        "replication.ecr.amazonaws.com": LinkedService(roleSuffix: "ECRReplication", policy: "ECRReplicationServiceRolePolicy"),
        "batch.amazonaws.com": LinkedService(roleSuffix: "Batch", policy: "BatchServiceRolePolicy"),
        "apigateway.amazonaws.com": LinkedService(roleSuffix: "APIGateway", policy: "APIGatewayServiceRolePolicy"),
        "elasticfilesystem.amazonaws.com": LinkedService(roleSuffix: "AmazonElasticFileSystem", policy: "AmazonElasticFileSystemServiceRolePolicy"),
        "support.amazonaws.com": LinkedService(roleSuffix: "Support", policy: "AWSSupportServiceRolePolicy"),
        "trustedadvisor.amazonaws.com": LinkedService(roleSuffix: "TrustedAdvisor", policy: "AWSTrustedAdvisorServiceRolePolicy"),
        "dynamodb.application-autoscaling.amazonaws.com": LinkedService(
            roleSuffix: "ApplicationAutoScaling_DynamoDBTable", policy: "AWSApplicationAutoscalingDynamoDBTablePolicy"),
        "ecs.application-autoscaling.amazonaws.com": LinkedService(
            roleSuffix: "ApplicationAutoScaling_ECSService", policy: "AWSApplicationAutoscalingECSServicePolicy"),
    ]

    static func register(_ r: inout QueryService.Registrar) {
        r.register(
            IAMOperation.CreateServiceLinkedRole.self,
            .transaction(.write, target: newRole, keys: { ["iam:AWSServiceName": [$0.awsServiceName]] }, act: create))
        r.register(IAMOperation.DeleteServiceLinkedRole.self, .transaction(.write, target: PolicyHolderTarget.of, act: delete))
        r.register(
            IAMOperation.GetServiceLinkedRoleDeletionStatus.self,
            .transaction(.read, target: { input, context, _ in ResourceARN(taskRoleArn(input.deletionTaskId, context)) }, act: deletionStatus))
    }

    /// The role a create request names: the service's name for it, at the service's path.
    static func newRole(_ input: IAMShapes.CreateServiceLinkedRoleRequest, _ context: OperationContext, _ tx: Transaction) -> ResourceARN {
        let name = roleName(input.awsServiceName, catalog[input.awsServiceName], input.customSuffix)
        return ResourceARN(IAMArn.role(context.accountId, path: path(input.awsServiceName), name: name))
    }

    // MARK: - Operations

    static func create(
        _ input: IAMShapes.CreateServiceLinkedRoleRequest, _ target: ResourceARN, _ context: OperationContext, _ tx: Transaction
    ) throws -> IAMShapes.CreateServiceLinkedRoleResponse {
        let id = context.ids.uniqueId(.role)
        guard let service = catalog[input.awsServiceName] else { throw IAMError.unknownLinkedService(input.awsServiceName) }
        if input.customSuffix != nil, !service.allowsCustomSuffix { throw IAMError.customSuffixNotAllowed(input.awsServiceName) }
        let name = roleName(input.awsServiceName, service, input.customSuffix)
        if try RoleRecord.named(name, account: context.accountId, in: tx) != nil { throw IAMError.serviceLinkedRoleTaken(name) }
        // Service-linked roles count against the account's roles (INFERRED: they are roles).
        // AccountQuota counts with a raw connection: this write invalidates every cache.
        try AccountQuota.roles.checkRoomForOne(tx, account: context.accountId)
        let now = context.now.secondsSince1970
        let role = RoleRecord(
            id: id, accountId: context.accountId, name: name, path: path(input.awsServiceName),
            trustPolicy: trustPolicy(input.awsServiceName), description: input.description,
            maxSessionDuration: Roles.defaultMaxSessionDuration, createdAt: now)
        try tx.insert(role)
        try tx.insert(PolicyAttachmentRecord(
            principalId: id, principalType: .role, accountId: context.accountId,
            policyArn: ManagedPolicyCatalog.arnPrefix + "aws-service-role/" + service.policy, attachedAt: now))
        return IAMShapes.CreateServiceLinkedRoleResponse(role: try Roles.shape(role, .create, tx))
    }

    /// The service releases its role: its policies and instance profile places go with it.
    static func delete(
        _ input: IAMShapes.DeleteServiceLinkedRoleRequest, _ target: PolicyHolderTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> IAMShapes.DeleteServiceLinkedRoleResponse {
        let uuid = context.ids.uuid()
        guard let role = target.role else { throw IAMError.noSuchRole(input.roleName) }
        guard role.path.hasPrefix("/aws-service-role/") else { throw IAMError.notServiceLinkedRole(role.name) }
        try RoleRecord.release(role.id, in: tx)
        try Roles.delete(role, tx)
        let task = "task\(role.path)\(role.name)/\(uuid)"
        try tx.insert(ServiceLinkedRoleDeletionRecord(
            taskId: task, accountId: context.accountId, roleName: role.name, status: "SUCCEEDED", createdAt: context.now.secondsSince1970))
        return IAMShapes.DeleteServiceLinkedRoleResponse(deletionTaskId: task)
    }

    static func deletionStatus(
        _ input: IAMShapes.GetServiceLinkedRoleDeletionStatusRequest, _ target: ResourceARN, _ context: OperationContext, _ tx: Transaction
    ) throws -> IAMShapes.GetServiceLinkedRoleDeletionStatusResponse {
        guard let task = try tx.fetch(ServiceLinkedRoleDeletionRecord.self, key: input.deletionTaskId), task.accountId == context.accountId
        else { throw IAMError.noSuchDeletionTask(input.deletionTaskId) }
        return IAMShapes.GetServiceLinkedRoleDeletionStatusResponse(status: task.status)
    }

    static func path(_ service: String) -> String { "/aws-service-role/\(service)/" }

    static func roleName(_ serviceName: String, _ service: LinkedService?, _ customSuffix: String?) -> String {
        "AWSServiceRoleFor" + (service?.roleSuffix ?? serviceName) + (customSuffix.map { "_" + $0 } ?? "")
    }

    static func trustPolicy(_ service: String) -> String {
        #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":""# + service
            + #""},"Action":"sts:AssumeRole"}]}"#
    }

    /// `task/aws-service-role/SERVICE/ROLE/UUID` → the role's ARN.
    static func taskRoleArn(_ taskId: String, _ context: OperationContext) -> String {
        let parts = taskId.split(separator: "/")
        guard parts.count >= 5, parts[0] == "task" else { return "*" }
        return IAMArn.role(context.accountId, path: "/\(parts[1])/\(parts[2])/", name: String(parts[3]))
    }
}
