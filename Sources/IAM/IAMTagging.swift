import AWSShapes
import ServiceKit
import Storage

/// The three tagging operations every taggable IAM resource kind has
/// (`TagRole`, `UntagRole`, `ListRoleTags`, …), written once: a kind
/// provides its target, its requests say how to find it.
enum IAMTagging {
    static func register<Tag: QueryOperation, Untag: QueryOperation, List: QueryOperation, Target: IAMTaggable>(
        _ tag: Tag.Type, _ untag: Untag.Type, _ list: List.Type, on target: Target.Type, _ r: inout QueryService.Registrar
    )
    where
        Tag.Input: TagRequest, Tag.Input.Target == Target, Tag.Output == EmptyShape,
        Untag.Input: UntagRequest, Untag.Input.Target == Target, Untag.Output == EmptyShape,
        List.Input: ListTagsRequest, List.Input.Target == Target, List.Output: ListTagsResponse
    {
        r.register(
            tag,
            .transaction(.write, target: { input, context, tx in try input.target(context, tx) }, keys: { IAMTags.requestKeys($0.tags) }) {
                input, target, _, tx in
                try IAMTags.apply(tx, try target.taggedId, input.tags, caseSensitive: Target.caseSensitiveKeys)
                return EmptyShape()
            })
        r.register(
            untag,
            .transaction(.write, target: { input, context, tx in try input.target(context, tx) }, keys: { ["aws:TagKeys": $0.tagKeys] }) {
                input, target, _, tx in
                try IAMTags.remove(tx, try target.taggedId, keys: input.tagKeys, caseSensitive: Target.caseSensitiveKeys)
                return EmptyShape()
            })
        r.register(
            list,
            .transaction(.read, target: { input, context, tx in try input.target(context, tx) }) { input, target, _, tx in
                let page = try IAMTags.page(try IAMTags.load(tx, try target.taggedId), marker: input.marker, maxItems: input.maxItems)
                return List.Output(isTruncated: page.isTruncated, marker: page.marker, tags: page.items)
            })
    }
}

/// An IAM resource that carries tags.
protocol IAMTaggable: OperationTarget {
    /// The id its tags are kept under; throws the kind's NoSuchEntity when it does not exist.
    var taggedId: String { get throws }
    /// Managed policies compare tag keys exactly; other kinds ignore case.
    static var caseSensitiveKeys: Bool { get }
}

extension IAMTaggable {
    static var caseSensitiveKeys: Bool { false }
}

/// A tagging request: it names the resource it is about.
protocol TaggingRequest: Sendable {
    associatedtype Target: IAMTaggable
    func target(_ context: OperationContext, _ tx: Transaction) throws -> Target
}

protocol TagRequest: TaggingRequest { var tags: [IAMShapes.Tag] { get } }
protocol UntagRequest: TaggingRequest { var tagKeys: [String] { get } }
protocol ListTagsRequest: TaggingRequest {
    var marker: String? { get }
    var maxItems: Int? { get }
}
protocol ListTagsResponse: Sendable { init(isTruncated: Bool?, marker: String?, tags: [IAMShapes.Tag]) }

extension IAMShapes.TagRoleRequest: TagRequest {
    func target(_ context: OperationContext, _ tx: Transaction) throws -> RoleTarget { try RoleTarget(roleName, context, tx) }
}
extension IAMShapes.UntagRoleRequest: UntagRequest {
    func target(_ context: OperationContext, _ tx: Transaction) throws -> RoleTarget { try RoleTarget(roleName, context, tx) }
}
extension IAMShapes.ListRoleTagsRequest: ListTagsRequest {
    func target(_ context: OperationContext, _ tx: Transaction) throws -> RoleTarget { try RoleTarget(roleName, context, tx) }
}
extension IAMShapes.ListRoleTagsResponse: ListTagsResponse {}
