import GRDB
import Storage

// For the attachment and inline policy operations that still hold a raw
// connection: remove once they run on the operation pipeline.
extension Identity {
    func find(_ name: String, _ account: String, _ db: Database) throws -> (id: String, name: String) {
        try find(name, account, .bridging(db))
    }
}
