import JSON
import Testing

@Suite("JSON")
struct JSONParserTests {
    @Test("objects keep member order, duplicates and number text")
    func structure() throws {
        let value = try JSONParser.parse(#"{"b":1,"a":[true,null,"x"],"b":3.50}"#)
        let object = try #require(value.objectValue)
        #expect(object.keys == ["b", "a", "b"])
        #expect(object["b"] == .number(JSONNumber(text: "1")))
        #expect(object.members[2].value == .number(JSONNumber(text: "3.50")))
    }

    @Test("object spans give 1-based line and column")
    func spans() throws {
        let value = try JSONParser.parse("{\n  \"S\": [\n    {\"Effect\": \"Allow\"}\n  ]\n}")
        let statement = try #require(value["S"]?.arrayValue?.first?.objectValue)
        #expect(statement.span?.start == JSONPosition(line: 3, column: 5, offset: 15))
    }

    @Test("escapes and surrogate pairs decode")
    func escapes() throws {
        #expect(try JSONParser.parse(#""a\"b\\c\/\n\u00e9\ud83d\ude00""#) == .string("a\"b\\c/\né😀"))
    }

    @Test("malformed documents are refused with a position", arguments: [
        "{", "[1,]", "{\"a\" 1}", "tru", "01", "\"\\x\"", "{} x", "\"\\ud800\"",
    ])
    func malformed(text: String) {
        #expect(throws: JSONParser.Error.self) { try JSONParser.parse(text) }
    }

    @Test("writing escapes control characters and round-trips")
    func writer() throws {
        let value = JSONValue.object(JSONObject([("k", .string("a\"\n\u{01}")), ("n", .number(JSONNumber(text: "1e3")))]))
        #expect(value.serialized == #"{"k":"a\"\n\u0001","n":1e3}"#)
        #expect(try JSONParser.parse(value.serialized) == value)
    }
}
