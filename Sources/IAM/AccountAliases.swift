import AWSShapes
import GRDB
import ServiceKit
import Storage

/// The account alias (the sign-in URL's name): one per account, unique
/// across every account Gatehouse hosts.
enum AccountAliases {
    static func register(_ r: inout QueryService.Registrar) {
        r.register(IAMOperation.CreateAccountAlias.self, access: .check { _, _ in
            [AccessRequest(action: "iam:CreateAccountAlias", resource: "*")]
        }) { input, context in
            try await context.store.write { db in
                if let owner = try String.fetchOne(db, cached: "SELECT id FROM account WHERE alias = ?", arguments: [input.accountAlias]),
                    owner != context.accountId
                {
                    throw IAMError.accountAliasTaken(input.accountAlias)
                }
                // An account has at most one alias: a new one replaces the old.
                try db.execute(cached: "UPDATE account SET alias = ? WHERE id = ?", arguments: [input.accountAlias, context.accountId])
                return EmptyShape()
            }
        }

        r.register(IAMOperation.DeleteAccountAlias.self, access: .check { _, _ in
            [AccessRequest(action: "iam:DeleteAccountAlias", resource: "*")]
        }) { input, context in
            try await context.store.write { db in
                try db.execute(
                    cached: "UPDATE account SET alias = NULL WHERE id = ? AND alias = ?", arguments: [context.accountId, input.accountAlias])
                if db.changesCount == 0 { throw IAMError.noSuchAccountAlias(input.accountAlias) }
                return EmptyShape()
            }
        }

        r.register(IAMOperation.ListAccountAliases.self, access: .check { _, _ in
            [AccessRequest(action: "iam:ListAccountAliases", resource: "*")]
        }) { input, context in
            try await context.store.read { db in
                let aliases = try String.fetchAll(
                    db, cached: "SELECT alias FROM account WHERE id = ? AND alias IS NOT NULL", arguments: [context.accountId])
                let page = try Page(aliases, marker: input.marker, maxItems: input.maxItems)
                return IAMShapes.ListAccountAliasesResponse(accountAliases: page.items, isTruncated: page.isTruncated, marker: page.marker)
            }
        }
    }
}
