import AWSShapes
import Hashing
import ServiceKit
import Storage

/// Server certificates (for load balancers and CloudFront): upload with the
/// matching private key, read, list, rename or move, delete, tag. The
/// expiration comes from the certificate; the private key is never kept.
enum ServerCertificates {
    static let perAccount = 20

    static func register(_ r: inout QueryService.Registrar) {
        r.register(
            IAMOperation.UploadServerCertificate.self,
            .transaction(.write, target: newCertificate, keys: { IAMTags.requestKeys($0.tags) }, act: upload))
        r.register(
            IAMOperation.GetServerCertificate.self,
            .transaction(.read, target: { input, context, tx in try ServerCertificateTarget(input.serverCertificateName, context, tx) }, act: get))
        r.register(
            IAMOperation.ListServerCertificates.self,
            .transaction(.read, target: ListingTarget.of("server-certificate") { $0.pathPrefix }, act: list))
        r.register(
            IAMOperation.UpdateServerCertificate.self,
            .transaction(
                .write, target: { input, context, tx in try ServerCertificateTarget(input.serverCertificateName, context, tx) },
                access: updateAccess, act: update))
        r.register(
            IAMOperation.DeleteServerCertificate.self,
            .transaction(
                .write, target: { input, context, tx in try ServerCertificateTarget(input.serverCertificateName, context, tx) }, act: delete))
        IAMTagging.register(
            IAMOperation.TagServerCertificate.self, IAMOperation.UntagServerCertificate.self, IAMOperation.ListServerCertificateTags.self,
            on: ServerCertificateTarget.self, &r)
    }

    static func newCertificate(
        _ input: IAMShapes.UploadServerCertificateRequest, _ context: OperationContext, _ tx: Transaction
    ) -> ResourceARN {
        ResourceARN(IAMArn.serverCertificate(context.accountId, path: input.path ?? "/", name: input.serverCertificateName))
    }

    /// Renaming or moving needs permission on the new ARN too (IAM User Guide).
    static func updateAccess(
        _ input: IAMShapes.UpdateServerCertificateRequest, _ target: ServerCertificateTarget, _ context: OperationContext, _ action: String
    ) -> [AccessRequest] {
        var requests = [AccessRequest(action: action, resource: target.resource, facts: target.facts)]
        if input.newServerCertificateName != nil || input.newPath != nil {
            requests.append(AccessRequest(
                action: action,
                resource: IAMArn.serverCertificate(
                    context.accountId, path: input.newPath ?? target.certificate?.path ?? "/",
                    name: input.newServerCertificateName ?? input.serverCertificateName),
                facts: .loaded(nil)))
        }
        return requests
    }

    // MARK: - Operations

    static func upload(
        _ input: IAMShapes.UploadServerCertificateRequest, _ target: ResourceARN, _ context: OperationContext, _ tx: Transaction
    ) throws -> IAMShapes.UploadServerCertificateResponse {
        let id = context.ids.uniqueId(.serverCertificate)
        if try ServerCertificateRecord.named(input.serverCertificateName, account: context.accountId, in: tx) != nil {
            throw IAMError.serverCertificateExists(input.serverCertificateName)
        }
        guard let certificate = X509Certificate(pem: input.certificateBody) else {
            throw IAMError.malformedCertificate(input.certificateBody)
        }
        guard let matches = X509Certificate.privateKey(input.privateKey, matches: input.certificateBody) else {
            throw IAMError.malformedPrivateKey
        }
        guard matches else { throw IAMError.keyPairMismatch }
        if let chain = input.certificateChain, X509Certificate.chainLength(chain) == nil { throw IAMError.malformedChain }
        if let tags = input.tags { try IAMTags.validate(tags) }
        if try ServerCertificateRecord.count(account: context.accountId, in: tx) >= perAccount { throw IAMError.tooManyServerCertificates }
        let record = ServerCertificateRecord(
            id: id, accountId: context.accountId, name: input.serverCertificateName, path: input.path ?? "/",
            body: input.certificateBody, chain: input.certificateChain, expiresAt: certificate.notAfter,
            uploadedAt: context.now.secondsSince1970)
        try tx.insert(record)
        if let tags = input.tags { try IAMTags.apply(tx, id, tags) }
        return IAMShapes.UploadServerCertificateResponse(serverCertificateMetadata: metadata(record), tags: IAMTags.echoed(input.tags))
    }

    static func get(
        _ input: IAMShapes.GetServerCertificateRequest, _ target: ServerCertificateTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> IAMShapes.GetServerCertificateResponse {
        let record = try target.existing()
        return IAMShapes.GetServerCertificateResponse(serverCertificate: IAMShapes.ServerCertificate(
            certificateBody: record.body, certificateChain: record.chain, serverCertificateMetadata: metadata(record),
            tags: try IAMTags.load(tx, record.id)))
    }

    static func list(
        _ input: IAMShapes.ListServerCertificatesRequest, _ target: ListingTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> IAMShapes.ListServerCertificatesResponse {
        let page = try KeysetPage(marker: input.marker, maxItems: input.maxItems) { after, limit in
            try ServerCertificateRecord.page(
                account: context.accountId, pathPrefix: input.pathPrefix ?? "/", after: after, limit: limit, in: tx)
        } position: { $0.name }
        return IAMShapes.ListServerCertificatesResponse(
            isTruncated: page.isTruncated, marker: page.marker, serverCertificateMetadataList: page.items.map(metadata))
    }

    static func update(
        _ input: IAMShapes.UpdateServerCertificateRequest, _ target: ServerCertificateTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> EmptyShape {
        let old = try target.existing()
        var record = old
        if let newName = input.newServerCertificateName, newName.lowercased() != record.name.lowercased(),
            try ServerCertificateRecord.named(newName, account: context.accountId, in: tx) != nil
        {
            throw IAMError.serverCertificateExists(newName)
        }
        if let newName = input.newServerCertificateName { record.name = newName }
        if let newPath = input.newPath { record.path = newPath }
        try ServerCertificateRecord.update(record, from: old, in: tx)
        return EmptyShape()
    }

    static func delete(
        _ input: IAMShapes.DeleteServerCertificateRequest, _ target: ServerCertificateTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> EmptyShape {
        let record = try target.existing()
        try IAMTags.removeAll(tx, record.id)
        try tx.delete(record)
        return EmptyShape()
    }

    // MARK: - Shapes

    static func metadata(_ record: ServerCertificateRecord) -> IAMShapes.ServerCertificateMetadata {
        IAMShapes.ServerCertificateMetadata(
            arn: IAMArn.serverCertificate(record.accountId, path: record.path, name: record.name),
            expiration: record.expiresAt.map { Timestamp(secondsSince1970: $0) }, path: record.path, serverCertificateId: record.id,
            serverCertificateName: record.name, uploadDate: Timestamp(secondsSince1970: record.uploadedAt))
    }
}

/// A server certificate named by an operation's input, loaded in its
/// transaction: authorized on its ARN (path "/" when it does not exist),
/// acted on if it exists.
struct ServerCertificateTarget: IAMTaggable {
    let name: String
    let certificate: ServerCertificateRecord?
    let resource: String

    init(_ name: String, _ context: OperationContext, _ tx: Transaction) throws {
        self.name = name
        certificate = try ServerCertificateRecord.named(name, account: context.accountId, in: tx)
        resource = IAMArn.serverCertificate(context.accountId, path: certificate?.path ?? "/", name: name)
    }

    var facts: ResourceFacts { .loaded(nil) }

    func existing() throws -> ServerCertificateRecord {
        guard let certificate else { throw IAMError.noSuchServerCertificate(name) }
        return certificate
    }

    var taggedId: String { get throws { try existing().id } }
}

extension IAMShapes.TagServerCertificateRequest: TagRequest {
    func target(_ context: OperationContext, _ tx: Transaction) throws -> ServerCertificateTarget {
        try ServerCertificateTarget(serverCertificateName, context, tx)
    }
}
extension IAMShapes.UntagServerCertificateRequest: UntagRequest {
    func target(_ context: OperationContext, _ tx: Transaction) throws -> ServerCertificateTarget {
        try ServerCertificateTarget(serverCertificateName, context, tx)
    }
}
extension IAMShapes.ListServerCertificateTagsRequest: ListTagsRequest {
    func target(_ context: OperationContext, _ tx: Transaction) throws -> ServerCertificateTarget {
        try ServerCertificateTarget(serverCertificateName, context, tx)
    }
}
extension IAMShapes.ListServerCertificateTagsResponse: ListTagsResponse {}
