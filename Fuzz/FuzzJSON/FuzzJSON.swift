// JSONParser on arbitrary bytes: never crashes or traps, and whatever parses
// survives the writer: parse → write → parse gives the same value and the
// same text, and parsing the bytes or the same text as a String agree.
import FuzzSupport
import JSON

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = Fuzz.bytes(data, size)
    let value: JSONValue
    do {
        value = try JSONParser.parse(bytes)
    } catch {
        Fuzz.require(error.position.offset >= 0 && error.position.offset <= bytes.count,
                     "error position \(error.position) outside the input (\(bytes.count) bytes)")
        Fuzz.require(error.position.line >= 1 && error.position.column >= 1, "error position \(error.position)")
        return 0
    }
    // A document that parses is valid UTF-8 (strings are validated, the rest is ASCII).
    Fuzz.require(String(validating: bytes, as: UTF8.self) != nil, "parsed a document that is not UTF-8")
    if let text = String(validating: bytes, as: UTF8.self) {
        Fuzz.require((try? JSONParser.parse(text)) == value, "String and byte parses differ")
    }
    let written = value.serialized
    let reparsed: JSONValue
    do {
        reparsed = try JSONParser.parse(written)
    } catch {
        Fuzz.require(false, "the writer's output does not parse: \(error): \(written)")
        return 0
    }
    Fuzz.require(reparsed == value, "parse → write → parse changed the value: \(written)")
    Fuzz.require(reparsed.serialized == written, "writing is not stable: \(written)")
    return 0
}

@main
struct FuzzJSONMain {
    static func main() {
        Fuzz.run(fuzzJSON)
    }
}
