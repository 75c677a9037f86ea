import GRDB
import Storage

// For the create operations that still hold a raw connection (CreateRole,
// CreatePolicy, CreateServiceLinkedRole): remove once they run on the
// operation pipeline.
extension AccountQuota {
    func usage(_ db: Database, account: String) throws -> Int {
        try usage(.bridging(db), account: account)
    }

    func checkRoomForOne(_ db: Database, account: String) throws {
        try checkRoomForOne(.bridging(db), account: account)
    }
}
