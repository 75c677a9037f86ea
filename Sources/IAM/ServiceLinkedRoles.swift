import AWSShapes
import ServiceKit
import Storage

/// Service-linked roles: created for an AWS service (its name, path, trust
/// policy and permissions policy are the service's), deleted through a
/// deletion task whose status can be asked for.
enum ServiceLinkedRoles {
    /// What a service's role is called and which AWS managed policy it gets
    /// (`arn:aws:iam::aws:policy/aws-service-role/POLICY`); with a custom suffix
    /// (where the service allows one) the role is `NAME_SUFFIX`.
    struct LinkedService: Sendable {
        var roleName: String
        var policy: String
        var allowsCustomSuffix = false
    }

    /// The services Gatehouse knows the service-linked role of, by service principal.
    static let catalog: [String: LinkedService] = recorded.merging(documented) { recorded, _ in recorded }

    /// Recorded against AWS on 13-03-2025: CreateServiceLinkedRole, then GetRole and
    /// ListAttachedRolePolicies, for each service, with and without CustomSuffix
    /// (LocalStack's tests/aws/services/iam/test_iam.snapshot.json,
    /// TestIAMServiceRoles::test_service_role_lifecycle*; the table with its
    /// sources is docs/research/fidelity-issue18.md §2.2). Only autoscaling,
    /// connect and lexv2 accepted a suffix.
    static let recorded: [String: LinkedService] = [
        "accountdiscovery.ssm.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForAmazonSSM_AccountDiscovery", policy: "AWSSystemsManagerAccountDiscoveryServicePolicy"),
        "acm.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForCertificateManager", policy: "CertificateManagerServiceRolePolicy"),
        "appmesh.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForAppMesh", policy: "AWSAppMeshServiceRolePolicy"),
        "autoscaling-plans.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForAutoScalingPlans_EC2AutoScaling", policy: "AWSAutoScalingPlansEC2AutoScalingPolicy"),
        "autoscaling.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForAutoScaling", policy: "AutoScalingServiceRolePolicy", allowsCustomSuffix: true),
        "backup.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForBackup", policy: "AWSBackupServiceLinkedRolePolicyForBackup"),
        "batch.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForBatch", policy: "BatchServiceRolePolicy"),
        "cassandra.application-autoscaling.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForApplicationAutoScaling_CassandraTable", policy: "AWSApplicationAutoscalingCassandraTablePolicy"),
        "cks.kms.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForKeyManagementServiceCustomKeyStores", policy: "AWSKeyManagementServiceCustomKeyStoresServiceRolePolicy"),
        "cloudtrail.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForCloudTrail", policy: "CloudTrailServiceRolePolicy"),
        "codestar-notifications.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForCodeStarNotifications", policy: "AWSCodeStarNotificationsServiceRolePolicy"),
        "config.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForConfig", policy: "AWSConfigServiceRolePolicy"),
        "connect.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForAmazonConnect", policy: "AmazonConnectServiceLinkedRolePolicy", allowsCustomSuffix: true),
        "dms-fleet-advisor.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForDMSFleetAdvisor", policy: "AWSDMSFleetAdvisorServiceRolePolicy"),
        "dms.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForDMSServerless", policy: "AWSDMSServerlessServiceRolePolicy"),
        "docdb-elastic.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForDocDB-Elastic", policy: "AmazonDocDB-ElasticServiceRolePolicy"),
        "ec2-instance-connect.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForEc2InstanceConnect", policy: "Ec2InstanceConnectEndpoint"),
        "ec2.application-autoscaling.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForApplicationAutoScaling_EC2SpotFleetRequest", policy: "AWSApplicationAutoscalingEC2SpotFleetRequestPolicy"),
        "ecr.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForECRTemplate", policy: "ECRTemplateServiceRolePolicy"),
        "ecs.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForECS", policy: "AmazonECSServiceRolePolicy"),
        "eks-connector.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForAmazonEKSConnector", policy: "AmazonEKSConnectorServiceRolePolicy"),
        "eks-fargate.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForAmazonEKSForFargate", policy: "AmazonEKSForFargateServiceRolePolicy"),
        "eks-nodegroup.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForAmazonEKSNodegroup", policy: "AWSServiceRoleForAmazonEKSNodegroup"),
        "eks.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForAmazonEKS", policy: "AmazonEKSServiceRolePolicy"),
        "elasticache.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForElastiCache", policy: "ElastiCacheServiceRolePolicy"),
        "elasticbeanstalk.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForElasticBeanstalk", policy: "AWSElasticBeanstalkServiceRolePolicy"),
        "elasticfilesystem.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForAmazonElasticFileSystem", policy: "AmazonElasticFileSystemServiceRolePolicy"),
        "elasticloadbalancing.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForElasticLoadBalancing", policy: "AWSElasticLoadBalancingServiceRolePolicy"),
        "email.cognito-idp.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForAmazonCognitoIdpEmailService", policy: "AmazonCognitoIdpEmailServiceRolePolicy"),
        "emr-containers.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForAmazonEMRContainers", policy: "AmazonEMRContainersServiceRolePolicy"),
        "emrwal.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForEMRWAL", policy: "EMRDescribeClusterPolicyForEMRWAL"),
        "fis.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForFIS", policy: "AmazonFISServiceRolePolicy"),
        "grafana.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForAmazonGrafana", policy: "AmazonGrafanaServiceLinkedRolePolicy"),
        "imagebuilder.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForImageBuilder", policy: "AWSServiceRoleForImageBuilder"),
        "iotmanagedintegrations.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForIoTManagedIntegrations", policy: "AWSIoTManagedIntegrationsRolePolicy"),
        "kafka.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForKafka", policy: "KafkaServiceRolePolicy"),
        "kafkaconnect.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForKafkaConnect", policy: "KafkaConnectServiceRolePolicy"),
        "lakeformation.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForLakeFormationDataAccess", policy: "LakeFormationDataAccessServiceRolePolicy"),
        "lex.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForLexBots", policy: "AmazonLexBotPolicy"),
        "lexv2.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForLexV2Bots", policy: "AmazonLexV2BotPolicy", allowsCustomSuffix: true),
        "lightsail.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForLightsail", policy: "LightsailExportAccess"),
        "m2.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForAWSM2", policy: "AWSM2ServicePolicy"),
        "memorydb.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForMemoryDB", policy: "MemoryDBServiceRolePolicy"),
        "mq.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForAmazonMQ", policy: "AmazonMQServiceRolePolicy"),
        "mrk.kms.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForKeyManagementServiceMultiRegionKeys", policy: "AWSKeyManagementServiceMultiRegionKeysServiceRolePolicy"),
        "notifications.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForAwsUserNotifications", policy: "AWSUserNotificationsServiceLinkedRolePolicy"),
        "observability.aoss.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForAmazonOpenSearchServerless", policy: "AmazonOpenSearchServerlessServiceRolePolicy"),
        "opensearchservice.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForAmazonOpenSearchService", policy: "AmazonOpenSearchServiceRolePolicy"),
        "ops.apigateway.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForAPIGateway", policy: "APIGatewayServiceRolePolicy"),
        "ops.emr-serverless.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForAmazonEMRServerless", policy: "AmazonEMRServerlessServiceRolePolicy"),
        "opsdatasync.ssm.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForSystemsManagerOpsDataSync", policy: "AWSSystemsManagerOpsDataSyncServiceRolePolicy"),
        "opsinsights.ssm.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForAmazonSSM_OpsInsights", policy: "AWSSSMOpsInsightsServiceRolePolicy"),
        "pullthroughcache.ecr.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForECRPullThroughCache", policy: "AWSECRPullThroughCache_ServiceRolePolicy"),
        "ram.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForResourceAccessManager", policy: "AWSResourceAccessManagerServiceRolePolicy"),
        "rds.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForRDS", policy: "AmazonRDSServiceRolePolicy"),
        "redshift.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForRedshift", policy: "AmazonRedshiftServiceLinkedRolePolicy"),
        "replication.cassandra.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForKeyspacesReplication", policy: "KeyspacesReplicationServiceRolePolicy"),
        "replication.ecr.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForECRReplication", policy: "ECRReplicationServiceRolePolicy"),
        "repository.sync.codeconnections.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForGitSync", policy: "AWSGitSyncServiceRolePolicy"),
        "resource-explorer-2.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForResourceExplorer", policy: "AWSResourceExplorerServiceRolePolicy"),
        "rolesanywhere.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForRolesAnywhere", policy: "AWSRolesAnywhereServicePolicy"),
        "s3-outposts.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForS3OnOutposts", policy: "AWSS3OnOutpostsServiceRolePolicy"),
        "ses.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForAmazonSES", policy: "AmazonSESServiceRolePolicy"),
        "shield.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForAWSShield", policy: "AWSShieldServiceRolePolicy"),
        "ssm-incidents.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForIncidentManager", policy: "AWSIncidentManagerServiceRolePolicy"),
        "ssm-quicksetup.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForSSMQuickSetup", policy: "SSMQuickSetupRolePolicy"),
        "ssm.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForAmazonSSM", policy: "AmazonSSMServiceRolePolicy"),
        "sso.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForSSO", policy: "AWSSSOServiceRolePolicy"),
        "vpcorigin.cloudfront.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForCloudFrontVPCOrigin", policy: "AWSCloudFrontVPCOriginServiceRolePolicy"),
        "waf.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForWAFLogging", policy: "WAFLoggingServiceRolePolicy"),
        "wafv2.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForWAFV2Logging", policy: "WAFV2LoggingServiceRolePolicy"),
    ]

    /// Not in the recording: role and policy names from each service's
    /// "Using service-linked roles" page (EC2 Spot's name is also quoted in
    /// AWS's "has been taken" answers). INFERRED: no custom suffix.
    static let documented: [String: LinkedService] = [
        "spot.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForEC2Spot", policy: "AWSEC2SpotServiceRolePolicy"),
        "spotfleet.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForEC2SpotFleet", policy: "AWSEC2SpotFleetServiceRolePolicy"),
        "es.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForAmazonElasticsearchService", policy: "AmazonElasticsearchServiceRolePolicy"),
        "guardduty.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForAmazonGuardDuty", policy: "AmazonGuardDutyServiceRolePolicy"),
        "access-analyzer.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForAccessAnalyzer", policy: "AccessAnalyzerServiceRolePolicy"),
        "securityhub.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForSecurityHub", policy: "AWSSecurityHubServiceRolePolicy"),
        "lambda.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForLambda", policy: "AWSLambdaServiceRolePolicy"),
        "replicator.lambda.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForLambdaReplicator", policy: "AWSLambdaReplicator"),
        "support.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForSupport", policy: "AWSSupportServiceRolePolicy"),
        "trustedadvisor.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForTrustedAdvisor", policy: "AWSTrustedAdvisorServiceRolePolicy"),
        "dynamodb.application-autoscaling.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForApplicationAutoScaling_DynamoDBTable", policy: "AWSApplicationAutoscalingDynamoDBTablePolicy"),
        "ecs.application-autoscaling.amazonaws.com": LinkedService(roleName: "AWSServiceRoleForApplicationAutoScaling_ECSService", policy: "AWSApplicationAutoscalingECSServicePolicy"),
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
        (service?.roleName ?? "AWSServiceRoleFor" + serviceName) + (customSuffix.map { "_" + $0 } ?? "")
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
