import JSON

/// Writes JSON 1.1 response members: timestamps as epoch seconds, blobs as
/// base64, as AWS's JSON services encode them.
public struct JSONOutputWriter: Sendable {
    public var json: JSONWriter

    public init(capacity: Int = 512) {
        json = JSONWriter(capacity: capacity)
    }

    public var bytes: [UInt8] { json.bytes }

    public mutating func objectStart() { json.objectStart() }
    public mutating func objectEnd() { json.objectEnd() }
    public mutating func arrayStart() { json.arrayStart() }
    public mutating func arrayEnd() { json.arrayEnd() }
    public mutating func key(_ name: String) { json.key(name) }

    public mutating func value(_ v: String) { json.value(v) }
    public mutating func value(_ v: Int) { json.value(v) }
    public mutating func value(_ v: Int64) { json.value(v) }
    public mutating func value(_ v: Double) { json.value(v) }
    public mutating func value(_ v: Bool) { json.value(v) }
    public mutating func value(_ v: Timestamp) {
        // Milliseconds, as AWS writes them (1.700000000123E9 in Java; plain here).
        let ms = (v.secondsSince1970 * 1000).rounded()
        json.value(ms / 1000)
    }
    public mutating func value(_ v: [UInt8]) { json.value(Base64.encode(v)) }

    public mutating func member(_ name: String, _ v: String) { key(name); value(v) }
    public mutating func member(_ name: String, _ v: Int) { key(name); value(v) }
    public mutating func member(_ name: String, _ v: Int64) { key(name); value(v) }
    public mutating func member(_ name: String, _ v: Double) { key(name); value(v) }
    public mutating func member(_ name: String, _ v: Bool) { key(name); value(v) }
    public mutating func member(_ name: String, _ v: Timestamp) { key(name); value(v) }
    public mutating func member(_ name: String, _ v: [UInt8]) { key(name); value(v) }

    /// A nested structure as a JSON object.
    public mutating func member(_ name: String, _ shape: some JSONOutputShape) {
        key(name)
        object(shape)
    }

    public mutating func object(_ shape: some JSONOutputShape) {
        objectStart()
        shape.encode(json: &self)
        objectEnd()
    }
}
