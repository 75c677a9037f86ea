import AWSWire
import Testing

@Suite("Wire request")
struct WireRequestTests {
    @Test("header names match whatever their case, and repeated headers keep their order")
    func headers() {
        let request = WireRequest(
            method: "POST", path: "/", query: "",
            headers: [("X-Amz-Date", "20150830T123600Z"), ("host", "example.test"), ("X-Thing", "a"), ("x-thing", "b")], body: [])
        #expect(request.header("x-amz-date") == "20150830T123600Z")
        #expect(request.header("X-AMZ-DATE") == "20150830T123600Z")
        #expect(request.header("Host") == "example.test")
        #expect(request.headerValues("X-Thing") == ["a", "b"])
        #expect(request.headers.map(\.name) == ["x-amz-date", "host", "x-thing", "x-thing"])
        #expect(request.header("missing") == nil)
    }
}
