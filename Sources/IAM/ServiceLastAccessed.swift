import AWSShapes
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PolicyEngine
import ServiceCatalog
import ServiceKit
import Storage

/// Service last accessed data ("access advisor"): which services a user,
/// role, group (its members) or managed policy (the users and roles it is
/// attached to, directly or through a group) may use, and when each was last
/// authenticated to them — from what Gatehouse recorded (`UsageLedger`).
///
/// A job completes as it is generated and keeps its report, as AWS's does
/// for its lifetime; shapes follow the AWS examples in botocore's
/// `examples-1.json` (docs/research/fidelity-issue18.md §1).
enum ServiceLastAccessed {
    static func register(_ r: inout QueryService.Registrar) {
        r.register(
            IAMOperation.GenerateServiceLastAccessedDetails.self,
            .transaction(.write, target: { input, context, tx in try AccessReportSubject(input.arn, context, tx) }, act: generate)
                .reportingUse())
        r.register(
            IAMOperation.GetServiceLastAccessedDetails.self, .transaction(.read, target: { _, _, _ in NoTarget() }, act: get))
        r.register(
            IAMOperation.GetServiceLastAccessedDetailsWithEntities.self,
            .transaction(.read, target: { _, _, _ in NoTarget() }, act: withEntities))
    }

    /// A job's report, as stored with it.
    struct Report: Codable {
        struct Entity: Codable {
            var type: String
            var id: String
            var name: String
            var path: String
            var arn: String
        }

        struct Action: Codable {
            var name: String
            var at: Double
            var entity: String
            var region: String
        }

        struct Service: Codable {
            var namespace: String
            var name: String
            /// Each entity's last authentication to the service, by its index in `entities`.
            var used: [Int: Double]
            var last: Action?
            var actions: [Action]?
        }

        var entities: [Entity]
        var services: [Service]
    }

    // MARK: - Operations

    static func generate(
        _ input: IAMShapes.GenerateServiceLastAccessedDetailsRequest, _ target: AccessReportSubject, _ context: OperationContext,
        _ tx: Transaction
    ) throws -> IAMShapes.GenerateServiceLastAccessedDetailsResponse {
        let subject = try target.existing()
        let entities = try subject.entities(account: context.accountId, tx)
        let allowed = try GrantingPolicy.of(subject, context, tx).reduce(into: Set<String>()) { $0.formUnion($1.services(context)) }
        let usage = try ServiceAccess.of(entities.map(\.id), in: tx)
        let actionLevel = input.granularity == "ACTION_LEVEL"
        let names = GrantingPolicy.serviceNames(context)
        let services = allowed.sorted().map { namespace in
            var service = Report.Service(namespace: namespace, name: names[namespace] ?? namespace, used: [:])
            var actions: [String: Report.Action] = [:]
            for use in usage where use.service == namespace {
                guard let index = entities.firstIndex(where: { $0.id == use.entityId }) else { continue }
                let seen = Report.Action(name: use.action, at: use.lastAt, entity: entities[index].arn, region: use.region)
                service.used[index] = max(service.used[index] ?? 0, use.lastAt)
                if (service.last?.at ?? -.infinity) < use.lastAt { service.last = seen }
                if (actions[use.action]?.at ?? -.infinity) < use.lastAt { actions[use.action] = seen }
            }
            if actionLevel, !actions.isEmpty { service.actions = actions.values.sorted { $0.name < $1.name } }
            return service
        }
        let report = Report(entities: entities, services: services)
        let job = AccessReportJobRecord(
            id: context.ids.uuid(), accountId: context.accountId, arn: input.arn, granularity: input.granularity ?? "SERVICE_LEVEL",
            createdAt: context.now.secondsSince1970, report: String(decoding: try JSONEncoder().encode(report), as: UTF8.self))
        try tx.insert(job)
        return IAMShapes.GenerateServiceLastAccessedDetailsResponse(jobId: job.id)
    }

    static func get(
        _ input: IAMShapes.GetServiceLastAccessedDetailsRequest, _ target: NoTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> IAMShapes.GetServiceLastAccessedDetailsResponse {
        let (job, report) = try find(input.jobId, context, tx)
        let page = try Page(report.services, marker: input.marker, maxItems: input.maxItems)
        let created = Timestamp(secondsSince1970: job.createdAt)
        return IAMShapes.GetServiceLastAccessedDetailsResponse(
            isTruncated: page.isTruncated, jobCompletionDate: created, jobCreationDate: created, jobStatus: "COMPLETED",
            jobType: job.granularity, marker: page.marker,
            servicesLastAccessed: page.items.map { service in
                IAMShapes.ServiceLastAccessed(
                    lastAuthenticated: service.last.map { Timestamp(secondsSince1970: $0.at) }, lastAuthenticatedEntity: service.last?.entity,
                    lastAuthenticatedRegion: service.last?.region, serviceName: service.name, serviceNamespace: service.namespace,
                    totalAuthenticatedEntities: service.used.count,
                    trackedActionsLastAccessed: service.actions?.map {
                        IAMShapes.TrackedActionLastAccessed(
                            actionName: $0.name, lastAccessedEntity: $0.entity, lastAccessedRegion: $0.region,
                            lastAccessedTime: Timestamp(secondsSince1970: $0.at))
                    })
            })
    }

    static func withEntities(
        _ input: IAMShapes.GetServiceLastAccessedDetailsWithEntitiesRequest, _ target: NoTarget, _ context: OperationContext,
        _ tx: Transaction
    ) throws -> IAMShapes.GetServiceLastAccessedDetailsWithEntitiesResponse {
        let (job, report) = try find(input.jobId, context, tx)
        let service = report.services.first { $0.namespace == input.serviceNamespace }
        // Those that used the service first, most recent first; then the rest by name.
        let ordered = report.entities.indices.sorted { a, b in
            let (x, y) = (service?.used[a] ?? -.infinity, service?.used[b] ?? -.infinity)
            return x != y ? x > y : IAMPaging.sortKey(report.entities[a].name) < IAMPaging.sortKey(report.entities[b].name)
        }
        let page = try Page(ordered, marker: input.marker, maxItems: input.maxItems)
        let created = Timestamp(secondsSince1970: job.createdAt)
        return IAMShapes.GetServiceLastAccessedDetailsWithEntitiesResponse(
            entityDetailsList: page.items.map { index in
                let entity = report.entities[index]
                return IAMShapes.EntityDetails(
                    entityInfo: IAMShapes.EntityInfo(arn: entity.arn, id: entity.id, name: entity.name, path: entity.path, type: entity.type),
                    lastAuthenticated: service?.used[index].map { Timestamp(secondsSince1970: $0) })
            }, isTruncated: page.isTruncated, jobCompletionDate: created, jobCreationDate: created, jobStatus: "COMPLETED",
            marker: page.marker)
    }

    /// The account's job and its report. INFERRED (no recording of AWS's answer
    /// to an unknown job id was found): NoSuchEntity, which the model lists.
    static func find(_ jobId: String, _ context: OperationContext, _ tx: Transaction) throws -> (AccessReportJobRecord, Report) {
        guard let job = try tx.fetch(AccessReportJobRecord.self, key: jobId), job.accountId == context.accountId,
            let report = try? JSONDecoder().decode(Report.self, from: Data(job.report.utf8))
        else { throw IAMShapes.Errors.noSuchEntity("No service last accessed job with id \(jobId) exists.") }
        return (job, report)
    }
}

/// The user, role, group or managed policy a report or a policy listing is
/// about, named by ARN: authorized on that ARN, found without refusing a
/// missing one (AWS authorizes first).
struct AccessReportSubject: OperationTarget {
    enum Kind {
        case entity(PolicyHolder)
        case policy(arn: String, document: String?)
    }

    let arn: String
    let account: String
    /// Nil when the ARN names nothing in the account.
    let kind: Kind?
    private let missing: AWSError

    init(_ arn: String, _ context: OperationContext, _ tx: Transaction, allowPolicies: Bool = true) throws {
        self.arn = arn
        account = context.accountId
        let parts = ARNParts(arn)
        let type = parts.flatMap { $0.resource.split(separator: "/", maxSplits: 1).first.map(String.init) } ?? ""
        let name = IAMArn.name(of: arn)
        guard let parts, parts.service == "iam", ["user", "role", "group"].contains(type) || (allowPolicies && type == "policy")
        else {
            // The ARN form IAM answers for an ARN that is not one of its own (Simulation's).
            throw IAMError.invalidInput("Invalid ARN \(arn).")
        }
        switch type {
        case "policy":
            missing = IAMError.policyNotFound(arn)
            if let aws = context.environment.managedPolicies.policy(arn: arn) {
                kind = .policy(arn: arn, document: aws.document)
            } else if parts.account == context.accountId, let found = try ManagedPolicyRecord.defaultDocument(of: arn, in: tx) {
                kind = .policy(arn: arn, document: found.document)
            } else {
                kind = nil
            }
        default:
            let holderType: PrincipalType = type == "user" ? .user : type == "role" ? .role : .group
            missing = holderType.noSuchEntity(name)
            kind = parts.account == context.accountId
                ? try PolicyHolder.named(name, type: holderType, account: context.accountId, in: tx).map(Kind.entity) : nil
        }
    }

    var resource: String { arn }
    /// An AWS managed policy is read as one of the caller's own account, as
    /// GetPolicy reads it (PolicyTarget); users, roles and groups are looked up.
    var facts: ResourceFacts {
        guard ManagedPolicyCatalog.isAWSManaged(arn) else { return .lookUp }
        return .loaded(ResourceInformation(policy: nil, ownerAccountId: account, dependencies: []))
    }

    func existing() throws -> Kind {
        guard let kind else { throw missing }
        return kind
    }
}

extension AccessReportSubject.Kind {
    /// The users and roles whose use a report counts: the user or role
    /// itself, a group's members, or everyone a policy is attached to in the
    /// account (directly, or through a group they belong to).
    func entities(account: String, _ tx: Transaction) throws -> [ServiceLastAccessed.Report.Entity] {
        var holders: [PolicyHolder] = []
        switch self {
        case .entity(let holder):
            holders = holder.type == .group ? try Self.members(of: holder.id, tx) : [holder]
        case .policy(let arn, _):
            func using(_ type: PrincipalType) throws -> [PolicyHolder] {
                try PolicyHolder.using(
                    arn, type: type, attached: true, asBoundary: false, account: account, pathPrefix: "/", after: nil,
                    limit: Int(Int32.max), in: tx)
            }
            holders = try using(.user) + using(.role)
            for group in try using(.group) { holders += try Self.members(of: group.id, tx) }
        }
        var seen: Set<String> = []
        return holders.filter { seen.insert($0.id).inserted }.map { holder in
            ServiceLastAccessed.Report.Entity(
                type: holder.type.rawValue.uppercased(), id: holder.id, name: holder.name, path: holder.path,
                arn: "arn:aws:iam::\(account):\(holder.type.rawValue)\(holder.path)\(holder.name)")
        }
    }

    private static func members(of groupId: String, _ tx: Transaction) throws -> [PolicyHolder] {
        try UserRecord.page(memberOf: groupId, after: nil, limit: Int(Int32.max), in: tx).map {
            PolicyHolder(type: .user, id: $0.id, name: $0.name, path: $0.path)
        }
    }
}
