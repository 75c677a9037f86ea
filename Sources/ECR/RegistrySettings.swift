import AWSShapes
import JSON
import Storage

/// Registry-wide configuration documents (`registrySetting`): one JSON
/// document per key, per account and region.
enum RegistrySettings {
    static let policy = "policy"
    static let replication = "replicationConfiguration"
    static let scanning = "scanningConfiguration"
    static let signing = "signingConfiguration"
    static func account(_ name: String) -> String { "account/" + name }

    static func get(_ key: String, _ scope: RegistryScope, _ tx: Transaction) throws -> String? {
        try RegistrySettingRecord.find(accountId: scope.accountId, region: scope.region, key: key, in: tx)?.value
    }

    static func put(_ key: String, _ value: String, _ scope: RegistryScope, _ tx: Transaction) throws {
        try RegistrySettingRecord(accountId: scope.accountId, region: scope.region, key: key, value: value).save(in: tx)
    }

    static func delete(_ key: String, _ scope: RegistryScope, _ tx: Transaction) throws {
        try RegistrySettingRecord.delete(accountId: scope.accountId, region: scope.region, key: key, in: tx)
    }

    /// A shape as stored: the JSON ECR would answer with.
    static func encode(_ shape: some JSONOutputShape) -> String {
        var w = JSONOutputWriter()
        w.object(shape)
        return String(decoding: w.bytes, as: UTF8.self)
    }

    /// A stored document read back through the shape's decoder (nil if it no longer fits).
    static func decode<T: JSONInputShape>(_ type: T.Type, _ text: String?) -> T? {
        guard let text, let value = try? JSONParser.parse(text) else { return nil }
        return try? JSONShapeDecoder.decode(type, from: value).0
    }
}
