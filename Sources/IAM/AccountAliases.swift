import AWSShapes
import ServiceKit
import Storage

/// The account alias (the sign-in URL's name): one per account, unique
/// across every account Gatehouse hosts.
enum AccountAliases {
    static func register(_ r: inout QueryService.Registrar) {
        r.register(IAMOperation.CreateAccountAlias.self, .transaction(.write, target: { _, _, _ in NoTarget() }, act: create))
        r.register(IAMOperation.DeleteAccountAlias.self, .transaction(.write, target: { _, _, _ in NoTarget() }, act: delete))
        r.register(IAMOperation.ListAccountAliases.self, .transaction(.read, target: { _, _, _ in NoTarget() }, act: list))
    }

    /// An account has at most one alias: a new one replaces the old.
    static func create(
        _ input: IAMShapes.CreateAccountAliasRequest, _ target: NoTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> EmptyShape {
        if let holder = try AccountRecord.holder(ofAlias: input.accountAlias, in: tx), holder != context.accountId {
            throw IAMError.accountAliasTaken(input.accountAlias)
        }
        try AccountRecord.setAlias(input.accountAlias, of: context.accountId, in: tx)
        return EmptyShape()
    }

    static func delete(
        _ input: IAMShapes.DeleteAccountAliasRequest, _ target: NoTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> EmptyShape {
        guard try AccountRecord.removeAlias(input.accountAlias, of: context.accountId, in: tx) else {
            throw IAMError.noSuchAccountAlias(input.accountAlias)
        }
        return EmptyShape()
    }

    /// At most one alias, paged like every list: the marker is the alias a page ended with.
    static func list(
        _ input: IAMShapes.ListAccountAliasesRequest, _ target: NoTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> IAMShapes.ListAccountAliasesResponse {
        let page = try KeysetPage(marker: input.marker, maxItems: input.maxItems) { after, _ -> [String] in
            guard let alias = try AccountRecord.alias(of: context.accountId, in: tx), after.map({ alias > $0 }) ?? true else { return [] }
            return [alias]
        } position: { $0 }
        return IAMShapes.ListAccountAliasesResponse(accountAliases: page.items, isTruncated: page.isTruncated, marker: page.marker)
    }
}
