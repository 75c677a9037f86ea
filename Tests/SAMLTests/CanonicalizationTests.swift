import Foundation
import SAML
import Testing

/// One case of Vectors/c14n-cases.json: an input, what to canonicalize, how, and the expected octets.
/// make-vectors.py checked each expected output against libxml2 (lxml) before writing it; the W3C ones
/// are the specs' own examples.
struct CanonicalizationCase: Decodable, Sendable, CustomTestStringConvertible {
    struct Subtree: Decodable, Sendable {
        var namespace: String
        var localName: String
    }

    var name: String
    var source: String
    var input: String
    var method: String
    var subtree: Subtree?
    var inclusivePrefixes: [String]
    var expected: String

    var testDescription: String { name }

    var canonicalizationMethod: CanonicalizationMethod {
        switch method {
        case "inclusive": .inclusive(withComments: false)
        case "inclusiveWithComments": .inclusive(withComments: true)
        case "exclusive": .exclusive(withComments: false, inclusivePrefixes: inclusivePrefixes)
        case "exclusiveWithComments": .exclusive(withComments: true, inclusivePrefixes: inclusivePrefixes)
        default: fatalError("unknown method \(method)")
        }
    }

    static let all: [CanonicalizationCase] = {
        do {
            return try JSONDecoder().decode([CanonicalizationCase].self, from: Vectors.data("c14n-cases.json"))
        } catch {
            fatalError("c14n-cases.json: \(error)")
        }
    }()
}

@Suite("Canonicalizing XML")
struct CanonicalizationTests {
    @Test("Each canonicalization case gives the expected octets", arguments: CanonicalizationCase.all)
    func vector(_ testCase: CanonicalizationCase) throws {
        let subtree = testCase.subtree.map { (namespace: $0.namespace, localName: $0.localName) }
        let output = try XMLCanonicalization.canonicalize(testCase.input, method: testCase.canonicalizationMethod, subtree: subtree)
        #expect(output == testCase.expected, "\(testCase.source)")
    }

    @Test("The W3C exclusive canonicalization example gives the same octets whatever document encloses the element")
    func contextIndependence() throws {
        // W3C Exclusive XML Canonicalization 1.0 §2.2: the point of exclusive c14n.
        let cases = CanonicalizationCase.all.filter { $0.source.contains("Exclusive XML Canonicalization") && $0.method == "exclusive" }
        #expect(cases.count == 2)
        let outputs = try cases.map {
            try XMLCanonicalization.canonicalize($0.input, method: .exclusive(withComments: false, inclusivePrefixes: []),
                                                 subtree: ("http://example.net", "elem2"))
        }
        #expect(Set(outputs).count == 1)
    }

    @Test("Algorithm URIs name the four canonicalization methods and nothing else")
    func algorithmURIs() {
        #expect(CanonicalizationMethod(uri: "http://www.w3.org/2001/10/xml-exc-c14n#") == .exclusive(withComments: false, inclusivePrefixes: []))
        #expect(CanonicalizationMethod(uri: "http://www.w3.org/2001/10/xml-exc-c14n#WithComments", inclusivePrefixes: ["xs"])
            == .exclusive(withComments: true, inclusivePrefixes: ["xs"]))
        #expect(CanonicalizationMethod(uri: "http://www.w3.org/TR/2001/REC-xml-c14n-20010315") == .inclusive(withComments: false))
        #expect(CanonicalizationMethod(uri: "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments") == .inclusive(withComments: true))
        #expect(CanonicalizationMethod(uri: "http://www.w3.org/2006/12/xml-c14n11") == nil)
    }

    @Test("Line ends are normalized before canonicalization, character references are not")
    func lineEnds() throws {
        let output = try XMLCanonicalization.canonicalize("<a b=\"x\r\ny\">1\r\n2\r3&#13;</a>", method: .inclusive(withComments: false))
        #expect(output == "<a b=\"x y\">1\n2\n3&#xD;</a>")
    }

    @Test("Documents with a DOCTYPE, undefined entities or undeclared prefixes are refused")
    func refusals() {
        for xml in ["<!DOCTYPE a><a/>", "<a>&nbsp;</a>", "<p:a/>", "<a xmlns:p=\"\"/>", "<a></b>", "<a b=\"1\" b=\"2\"/>",
                    "<a/><b/>", "<a>\u{1}</a>".replacingOccurrences(of: "\u{1}", with: "&#1;")]
        {
            #expect(throws: XMLCanonicalization.Failure.self, "\(xml)") {
                try XMLCanonicalization.canonicalize(xml, method: .inclusive(withComments: false))
            }
        }
    }
}
