import AWSShapes
import ServiceKit
import Storage

/// Managed policies — the account's own and AWS's — and their versions.
///
/// AWS managed policies come from the seed catalog: every account can read and
/// attach them, none can change them (AWS refuses a change before any policy
/// is evaluated).
enum ManagedPolicies {
    static let versionLimit = 5

    /// One view over both kinds.
    struct Info: Sendable {
        var arn: String
        var id: String
        var name: String
        var path: String
        var description: String?
        var defaultVersionId: String
        var createdAt: Double
        var updatedAt: Double
        var isAWSManaged: Bool
    }

    static func register(_ r: inout QueryService.Registrar) {
        r.register(
            IAMOperation.CreatePolicy.self,
            .transaction(.write, target: newPolicy, keys: { IAMTags.requestKeys($0.tags) }, act: create))
        r.register(IAMOperation.GetPolicy.self, .transaction(.read, target: { input, context, tx in try PolicyTarget(input.policyArn, .read, context, tx) }, act: get))
        r.register(IAMOperation.ListPolicies.self, .transaction(.read, target: ListingTarget.of("policy") { $0.pathPrefix }, act: list))
        r.register(IAMOperation.DeletePolicy.self, .transaction(.write, target: { input, context, tx in
            try PolicyTarget(input.policyArn, .change, context, tx, awsManaged: IAMError.cannotDeleteOutsideAccount)
        }, act: delete))
        r.register(
            IAMOperation.CreatePolicyVersion.self,
            .transaction(.write, target: { input, context, tx in try PolicyTarget(input.policyArn, .change, context, tx) }, act: createVersion))
        r.register(
            IAMOperation.GetPolicyVersion.self,
            .transaction(.read, target: { input, context, tx in try PolicyTarget(input.policyArn, .read, context, tx) }, act: getVersion))
        r.register(
            IAMOperation.ListPolicyVersions.self,
            .transaction(.read, target: { input, context, tx in try PolicyTarget(input.policyArn, .read, context, tx) }, act: listVersions))
        r.register(
            IAMOperation.DeletePolicyVersion.self,
            .transaction(.write, target: { input, context, tx in
                try PolicyTarget(input.policyArn, .change, context, tx, awsManaged: IAMError.cannotDeleteVersionsOutsideAccount)
            }, act: deleteVersion))
        r.register(
            IAMOperation.SetDefaultPolicyVersion.self,
            .transaction(.write, target: { input, context, tx in
                try PolicyTarget(input.policyArn, .change, context, tx, awsManaged: IAMError.cannotUpdateOutsideAccount)
            }, act: setDefaultVersion))
        r.register(
            IAMOperation.ListEntitiesForPolicy.self,
            .transaction(.read, target: { input, context, tx in try PolicyTarget(input.policyArn, .read, context, tx) }, act: listEntities))
        IAMTagging.register(IAMOperation.TagPolicy.self, IAMOperation.UntagPolicy.self, IAMOperation.ListPolicyTags.self, on: PolicyTarget.self, &r)
    }

    /// The policy a CreatePolicy request names, at its path.
    static func newPolicy(_ input: IAMShapes.CreatePolicyRequest, _ context: OperationContext, _ tx: Transaction) -> ResourceARN {
        ResourceARN(IAMArn.policy(context.accountId, path: input.path ?? "/", name: input.policyName))
    }

    // MARK: - Operations

    static func create(
        _ input: IAMShapes.CreatePolicyRequest, _ target: ResourceARN, _ context: OperationContext, _ tx: Transaction
    ) throws -> IAMShapes.CreatePolicyResponse {
        let id = context.ids.uniqueId(.managedPolicy)
        let account = context.accountId
        let path = input.path ?? "/"
        if try ManagedPolicyRecord.named(input.policyName, account: account, in: tx) != nil {
            throw IAMError.policyExists(input.policyName)
        }
        try PolicyValidation.managed(input.policyDocument)
        if let tags = input.tags { try IAMTags.validate(tags, caseSensitive: true) }
        // AccountQuota counts with a raw connection: this write invalidates every cache.
        try AccountQuota.policies.checkRoomForOne(tx, account: account)
        let now = context.now.secondsSince1970
        let record = ManagedPolicyRecord(
            arn: IAMArn.policy(account, path: path, name: input.policyName), id: id, accountId: account, name: input.policyName,
            path: path, description: input.description, defaultVersionId: "v1", nextVersionNumber: 2, createdAt: now,
            updatedAt: now)
        try tx.insert(record)
        try tx.insert(PolicyVersionRecord(policyArn: record.arn, versionId: "v1", document: input.policyDocument, createdAt: now))
        if let tags = input.tags { try IAMTags.apply(tx, id, tags, caseSensitive: true) }
        var policy = try shape(info(record), context, tx)
        policy.tags = IAMTags.echoed(input.tags)
        return IAMShapes.CreatePolicyResponse(policy: policy)
    }

    static func get(_ input: IAMShapes.GetPolicyRequest, _ target: PolicyTarget, _ context: OperationContext, _ tx: Transaction) throws
        -> IAMShapes.GetPolicyResponse
    {
        let info = try target.existing(missing: IAMError.policyNotFound(input.policyArn))
        var policy = try shape(info, context, tx)
        policy.description = info.description
        policy.tags = info.isAWSManaged ? [] : try IAMTags.load(tx, info.id)
        return IAMShapes.GetPolicyResponse(policy: policy)
    }

    /// AWS managed policies alone in AWS's order; with the account's own,
    /// merged by name (`PolicyListing`): one page read from each side after
    /// the position, the first `MaxItems` of both kept.
    static func list(_ input: IAMShapes.ListPoliciesRequest, _ target: ListingTarget, _ context: OperationContext, _ tx: Transaction) throws
        -> IAMShapes.ListPoliciesResponse
    {
        let scope = input.scope ?? "All"
        let prefix = input.pathPrefix ?? "/"
        let usage = policyUsage(onlyAttached: input.onlyAttached ?? false, filter: input.policyUsageFilter)
        let page = try KeysetPage(marker: input.marker, maxItems: input.maxItems) { after, limit in
            if scope == "AWS" {
                return try PolicyListing.awsManagedAsListed(
                    context.environment.managedPolicies, after: after, pathPrefix: prefix, usage: usage, limit: limit,
                    account: context.accountId, tx)
            }
            // Both sides come in the same order: merged, not sorted again.
            var customer: [(key: PolicyListing.Key, info: Info)] = []
            if scope != "AWS" {
                let position = after.map { (name: IAMArn.name(of: $0), arn: $0) }
                customer = try ManagedPolicyRecord.page(
                    account: context.accountId, pathPrefix: prefix, usage: usage, after: position, limit: limit, in: tx
                ).map { record in let info = info(record); return (PolicyListing.key(info), info) }
            }
            var aws: [(key: PolicyListing.Key, info: Info)] = []
            if scope != "Local" {
                aws = try PolicyListing.awsManaged(
                    context.environment.managedPolicies, after: after, pathPrefix: prefix, usage: usage, limit: limit,
                    account: context.accountId, tx)
            }
            var merged: [Info] = []
            merged.reserveCapacity(min(limit + 1, customer.count + aws.count))
            var (c, a) = (0, 0)
            while merged.count <= limit, c < customer.count || a < aws.count {
                if a == aws.count || (c < customer.count && customer[c].key < aws[a].key) {
                    merged.append(customer[c].info)
                    c += 1
                } else {
                    merged.append(aws[a].info)
                    a += 1
                }
            }
            return merged
        } position: { $0.arn }
        let counts = try ManagedPolicyRecord.usageCounts(of: page.items.map(\.arn), account: context.accountId, in: tx)
        return IAMShapes.ListPoliciesResponse(
            isTruncated: page.isTruncated, marker: page.marker,
            policies: page.items.map { shape($0, attachments: counts[$0.arn]?.attachments ?? 0, boundaries: counts[$0.arn]?.boundaries ?? 0) })
    }

    /// ListPolicies' `OnlyAttached` and `PolicyUsageFilter` together: which policies are listed.
    static func policyUsage(onlyAttached: Bool, filter: String?) -> PolicyUsage? {
        if onlyAttached {
            switch filter {
            case "PermissionsPolicy": return .permissions
            case "PermissionsBoundary": return .boundary
            default: return .either
            }
        }
        return filter == "PermissionsBoundary" ? .boundary : nil
    }

    static func delete(_ input: IAMShapes.DeletePolicyRequest, _ target: PolicyTarget, _ context: OperationContext, _ tx: Transaction)
        throws -> EmptyShape
    {
        let policy = try target.customer(missing: IAMError.policyNotFound(input.policyArn))
        if try ManagedPolicyRecord.attachmentCount(of: policy.arn, account: context.accountId, in: tx) > 0
            || ManagedPolicyRecord.boundaryUsageCount(of: policy.arn, account: context.accountId, in: tx) > 0
        {
            throw IAMError.policyAttached
        }
        if try PolicyVersionRecord.count(of: policy.arn, in: tx) > 1 { throw IAMError.policyHasVersions }
        try IAMTags.removeAll(tx, policy.id)
        try tx.delete(policy)
        return EmptyShape()
    }

    static func createVersion(
        _ input: IAMShapes.CreatePolicyVersionRequest, _ target: PolicyTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> IAMShapes.CreatePolicyVersionResponse {
        var policy = try target.customer(missing: IAMError.policyNotFound(input.policyArn))
        try PolicyValidation.managed(input.policyDocument)
        if try PolicyVersionRecord.count(of: policy.arn, in: tx) >= versionLimit { throw IAMError.tooManyVersions }
        let versionId = "v\(policy.nextVersionNumber)"
        let now = context.now.secondsSince1970
        try tx.insert(PolicyVersionRecord(policyArn: policy.arn, versionId: versionId, document: input.policyDocument, createdAt: now))
        policy.nextVersionNumber += 1
        let makeDefault = input.setAsDefault ?? false
        if makeDefault {
            policy.defaultVersionId = versionId
            policy.updatedAt = now
        }
        try tx.update(policy)
        return IAMShapes.CreatePolicyVersionResponse(policyVersion: IAMShapes.PolicyVersion(
            createDate: Timestamp(secondsSince1970: now), isDefaultVersion: makeDefault, versionId: versionId))
    }

    static func getVersion(
        _ input: IAMShapes.GetPolicyVersionRequest, _ target: PolicyTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> IAMShapes.GetPolicyVersionResponse {
        let missing = IAMError.noSuchPolicyVersion(input.policyArn, input.versionId)
        let info = try target.existing(missing: missing)
        if info.isAWSManaged {
            guard let aws = context.environment.managedPolicies.policy(arn: info.arn),
                let version = aws.versions.first(where: { $0.id == input.versionId }), let document = aws.document(of: version.id)
            else { throw missing }
            return IAMShapes.GetPolicyVersionResponse(policyVersion: IAMShapes.PolicyVersion(
                createDate: version.createDate, document: document, isDefaultVersion: version.id == aws.defaultVersionId,
                versionId: version.id))
        }
        guard let version = try PolicyVersionRecord.find(policyArn: info.arn, versionId: input.versionId, in: tx) else { throw missing }
        return IAMShapes.GetPolicyVersionResponse(policyVersion: IAMShapes.PolicyVersion(
            createDate: Timestamp(secondsSince1970: version.createdAt), document: version.document,
            isDefaultVersion: version.versionId == info.defaultVersionId, versionId: version.versionId))
    }

    /// Newest first, as IAM lists them, resumed after the version last listed;
    /// an account's policy has at most five versions, an AWS managed one every
    /// version the catalog has.
    static func listVersions(
        _ input: IAMShapes.ListPolicyVersionsRequest, _ target: PolicyTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> IAMShapes.ListPolicyVersionsResponse {
        let info = try target.existing(missing: IAMError.policyNotFound(input.policyArn))
        let page = try KeysetPage(marker: input.marker, maxItems: input.maxItems) { after, limit in
            var versions: [IAMShapes.PolicyVersion]
            if info.isAWSManaged {
                versions = context.environment.managedPolicies.policy(arn: info.arn).map { awsVersions($0, documents: false) } ?? []
            } else {
                versions = try PolicyVersionRecord.all(of: info.arn, in: tx).map {
                    IAMShapes.PolicyVersion(
                        createDate: Timestamp(secondsSince1970: $0.createdAt), isDefaultVersion: $0.versionId == info.defaultVersionId,
                        versionId: $0.versionId)
                }
            }
            versions.sort { versionNumber($0.versionId) > versionNumber($1.versionId) }
            let before = after.map { versionNumber($0) }
            return Array(versions.lazy.filter { before == nil || versionNumber($0.versionId) < before! }.prefix(limit + 1))
        } position: { $0.versionId ?? "" }
        return IAMShapes.ListPolicyVersionsResponse(isTruncated: page.isTruncated, marker: page.marker, versions: page.items)
    }

    static func deleteVersion(
        _ input: IAMShapes.DeletePolicyVersionRequest, _ target: PolicyTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> EmptyShape {
        let missing = IAMError.noSuchPolicyVersion(input.policyArn, input.versionId)
        let policy = try target.customer(missing: missing)
        guard let version = try PolicyVersionRecord.find(policyArn: policy.arn, versionId: input.versionId, in: tx) else { throw missing }
        if input.versionId == policy.defaultVersionId { throw IAMError.defaultVersion }
        try tx.delete(version)
        return EmptyShape()
    }

    static func setDefaultVersion(
        _ input: IAMShapes.SetDefaultPolicyVersionRequest, _ target: PolicyTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> EmptyShape {
        let missing = IAMError.noSuchPolicyVersion(input.policyArn, input.versionId)
        var policy = try target.customer(missing: missing)
        guard try PolicyVersionRecord.find(policyArn: policy.arn, versionId: input.versionId, in: tx) != nil else { throw missing }
        policy.defaultVersionId = input.versionId
        policy.updatedAt = context.now.secondsSince1970
        try tx.update(policy)
        return EmptyShape()
    }

    /// The groups, roles and users that use a policy, in that order and by
    /// name within each kind; the position is the kind and name last listed.
    static func listEntities(
        _ input: IAMShapes.ListEntitiesForPolicyRequest, _ target: PolicyTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> IAMShapes.ListEntitiesForPolicyResponse {
        // Recorded against AWS (LocalStack's test_iam_policies snapshot, 17-02-2026): a missing policy is
        // "does not exist or is not attachable", and EntityFilter=LocalManagedPolicy lists nothing even for
        // a customer managed policy attached to a user, a group and a role — the policy-kind filters name
        // no kind of entity a policy is attached to.
        let info = try target.existing(missing: IAMError.policyNotAttachable(input.policyArn))
        let filter = input.entityFilter
        if filter == "LocalManagedPolicy" || filter == "AWSManagedPolicy" {
            return IAMShapes.ListEntitiesForPolicyResponse(isTruncated: false, policyGroups: [], policyRoles: [], policyUsers: [])
        }
        let all: [(type: PrincipalType, name: String)] = [(.group, "Group"), (.role, "Role"), (.user, "User")]
        let kinds = all.filter { kind in
            guard let filter, ["User", "Role", "Group"].contains(filter) else { return true }
            return filter == kind.name
        }
        let attached = input.policyUsageFilter != "PermissionsBoundary"
        let asBoundary = input.policyUsageFilter != "PermissionsPolicy"
        let page = try KeysetPage(marker: input.marker, maxItems: input.maxItems) { after, limit in
            var position: (kind: String, name: String)?
            if let after {
                guard let colon = after.firstIndex(of: ":") else { throw IAMError.invalidMarker }
                position = (String(after[..<colon]), String(after[after.index(after: colon)...]))
            }
            var found: [PolicyHolder] = []
            for kind in kinds where found.count <= limit {
                if let position, kind.name < position.kind { continue }
                found += try PolicyHolder.using(
                    info.arn, type: kind.type, attached: attached, asBoundary: asBoundary, account: context.accountId,
                    pathPrefix: input.pathPrefix ?? "/", after: position?.kind == kind.name ? position?.name : nil,
                    limit: limit - found.count, in: tx)
            }
            return found
        } position: { entityKind($0.type) + ":" + $0.name }
        return IAMShapes.ListEntitiesForPolicyResponse(
            isTruncated: page.isTruncated, marker: page.marker,
            policyGroups: page.items.filter { $0.type == .group }.map { IAMShapes.PolicyGroup(groupId: $0.id, groupName: $0.name) },
            policyRoles: page.items.filter { $0.type == .role }.map { IAMShapes.PolicyRole(roleId: $0.id, roleName: $0.name) },
            policyUsers: page.items.filter { $0.type == .user }.map { IAMShapes.PolicyUser(userId: $0.id, userName: $0.name) })
    }

    private static func entityKind(_ type: PrincipalType) -> String {
        switch type {
        case .group: "Group"
        case .role: "Role"
        case .user: "User"
        }
    }

    // MARK: - Lookup and shapes

    static func find(_ arn: String, _ context: OperationContext, _ tx: Transaction) throws -> Info? {
        if let aws = context.environment.managedPolicies.policy(arn: arn) { return info(aws) }
        return try customer(arn, context, tx).map(info)
    }

    static func exists(_ arn: String, _ context: OperationContext, _ tx: Transaction) throws -> Bool {
        if context.environment.managedPolicies.policy(arn: arn) != nil { return true }
        return try customer(arn, context, tx) != nil
    }

    /// A customer managed policy of the caller's account.
    static func customer(_ arn: String, _ context: OperationContext, _ tx: Transaction) throws -> ManagedPolicyRecord? {
        try tx.fetch(ManagedPolicyRecord.self, key: arn).flatMap { $0.accountId == context.accountId ? $0 : nil }
    }

    static func info(_ record: ManagedPolicyRecord) -> Info {
        Info(
            arn: record.arn, id: record.id, name: record.name, path: record.path, description: record.description,
            defaultVersionId: record.defaultVersionId, createdAt: record.createdAt, updatedAt: record.updatedAt, isAWSManaged: false)
    }

    static func info(_ policy: ManagedPolicyCatalog.Policy) -> Info {
        Info(
            arn: policy.arn, id: policy.id, name: policy.name, path: policy.path, description: policy.description,
            defaultVersionId: policy.defaultVersionId, createdAt: policy.createDate.secondsSince1970,
            updatedAt: policy.updateDate.secondsSince1970, isAWSManaged: true)
    }

    static func shape(_ info: Info, _ context: OperationContext, _ tx: Transaction) throws -> IAMShapes.Policy {
        shape(
            info, attachments: try ManagedPolicyRecord.attachmentCount(of: info.arn, account: context.accountId, in: tx),
            boundaries: try ManagedPolicyRecord.boundaryUsageCount(of: info.arn, account: context.accountId, in: tx))
    }

    /// A policy with its usage counted already (a list counts its page at once).
    static func shape(_ info: Info, attachments: Int, boundaries: Int) -> IAMShapes.Policy {
        IAMShapes.Policy(
            arn: info.arn, attachmentCount: attachments, createDate: Timestamp(secondsSince1970: info.createdAt),
            defaultVersionId: info.defaultVersionId, isAttachable: true, path: info.path, permissionsBoundaryUsageCount: boundaries,
            policyId: info.id, policyName: info.name, updateDate: Timestamp(secondsSince1970: info.updatedAt))
    }

    /// An AWS managed policy's versions, newest first, with their recorded dates
    /// (and documents when asked: GetPolicyVersion, GetAccountAuthorizationDetails).
    static func awsVersions(_ policy: ManagedPolicyCatalog.Policy, documents: Bool) -> [IAMShapes.PolicyVersion] {
        let texts = documents ? policy.documents : []
        return policy.versions.enumerated().map { index, version in
            IAMShapes.PolicyVersion(
                createDate: version.createDate, document: documents ? texts[index] : nil,
                isDefaultVersion: version.id == policy.defaultVersionId, versionId: version.id)
        }
    }

    static func versionNumber(_ versionId: String?) -> Int {
        Int(versionId?.dropFirst().prefix { $0.isNumber } ?? "") ?? 0
    }
}

/// A managed policy named by ARN in an operation's input, loaded in its
/// transaction: AWS managed from the catalog, the account's own from the
/// store; authorized on the ARN as given.
struct PolicyTarget: IAMTaggable {
    /// Reading a policy, or changing it.
    enum Use {
        case read, change
    }

    let arn: String
    let info: ManagedPolicies.Info?
    let record: ManagedPolicyRecord?
    private let use: Use

    /// - Parameter awsManaged: what AWS answers, before any policy is evaluated,
    ///   when the operation would change a policy in account `aws` (recorded:
    ///   AccessDenied "Cannot delete policies outside your own account." and its siblings;
    ///   the update form for the other changes, CreatePolicyVersion and tagging, is inferred).
    init(
        _ arn: String, _ use: Use, _ context: OperationContext, _ tx: Transaction,
        awsManaged refusal: AWSError = IAMError.cannotUpdateOutsideAccount
    ) throws {
        if use == .change, ManagedPolicyCatalog.isAWSManaged(arn) { throw refusal }
        self.arn = arn
        self.use = use
        if let aws = context.environment.managedPolicies.policy(arn: arn) {
            info = ManagedPolicies.info(aws)
            record = nil
        } else {
            record = try ManagedPolicies.customer(arn, context, tx)
            info = record.map(ManagedPolicies.info)
        }
    }

    var resource: String { arn }

    /// AWS managed policies belong to account `aws`, which the authorizer
    /// counts as no other account: every account reads them; changes were
    /// refused before.
    var facts: ResourceFacts { .loaded(nil) }

    func existing(missing: AWSError) throws -> ManagedPolicies.Info {
        guard let info else { throw missing }
        return info
    }

    /// The account's own policy: AWS managed policies cannot be changed.
    func customer(missing: AWSError) throws -> ManagedPolicyRecord {
        guard let record else { throw missing }
        return record
    }

    /// Tags are read from either kind (AWS managed policies have none) and
    /// written only on the account's own.
    var taggedId: String {
        get throws {
            switch use {
            case .read: try existing(missing: IAMError.policyNotFound(arn)).id
            case .change: try customer(missing: IAMError.policyNotFound(arn)).id
            }
        }
    }

    static var caseSensitiveKeys: Bool { true }
}

extension IAMShapes.TagPolicyRequest: TagRequest {
    func target(_ context: OperationContext, _ tx: Transaction) throws -> PolicyTarget { try PolicyTarget(policyArn, .change, context, tx) }
}
extension IAMShapes.UntagPolicyRequest: UntagRequest {
    func target(_ context: OperationContext, _ tx: Transaction) throws -> PolicyTarget { try PolicyTarget(policyArn, .change, context, tx) }
}
extension IAMShapes.ListPolicyTagsRequest: ListTagsRequest {
    func target(_ context: OperationContext, _ tx: Transaction) throws -> PolicyTarget { try PolicyTarget(policyArn, .read, context, tx) }
}
extension IAMShapes.ListPolicyTagsResponse: ListTagsResponse {}
