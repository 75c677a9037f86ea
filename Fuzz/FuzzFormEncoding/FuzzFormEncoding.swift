// FormEncoding (query strings and form bodies) on arbitrary text: never
// crashes or traps; decode keeps the first value of each key; percent
// decoding inverts uriEncode; encode → decode gives the parameters back.
import AWSWire
import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFormEncoding(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = String(decoding: Fuzz.bytes(data, size), as: UTF8.self)
    let pairs = FormEncoding.pairs(text)
    let decoded = FormEncoding.decode(text)
    Fuzz.require(decoded.count <= pairs.count, "more keys than pairs")
    for (key, value) in pairs.reversed() where decoded[key] == nil {
        Fuzz.require(false, "key \(key) = \(value) lost by decode")
    }
    if let (key, value) = pairs.first {
        Fuzz.require(decoded[key] == value, "the first value of \(key) does not win")
    }
    // uriEncode's output is percent-decoded back to the original, with either decoder.
    let encoded = FormEncoding.uriEncode(text)
    Fuzz.require(FormEncoding.percentDecode(encoded) == text, "percentDecode(uriEncode(x)) != x")
    Fuzz.require(FormEncoding.percentDecode(Array(encoded.utf8), plusIsSpace: true) == text, "+ handling broke uriEncode's output")
    Fuzz.require(FormEncoding.uriEncode(text, keepSlash: true).utf8.count <= 3 * text.utf8.count, "uriEncode grew too much")
    // The decoded parameters survive encode → decode (`=v` is a pair with an empty key).
    let again = FormEncoding.decode(FormEncoding.encode(decoded))
    Fuzz.require(again == decoded, "encode → decode changed the parameters")
    return 0
}

@main
struct FuzzFormEncodingMain {
    static func main() {
        Fuzz.run(fuzzFormEncoding)
    }
}
