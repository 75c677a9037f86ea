import Foundation
import SAML
import Testing

/// The XML parser's cost grows with the input, not its square (the time limit
/// only stops a quadratic run, which takes many minutes at these sizes; speed is
/// not measured here): AssumeRoleWithSAML
/// parses a caller's document (up to 100,000 base64 characters) before anything
/// is authenticated, CreateSAMLProvider metadata of up to 10,000,000.
@Suite("XML parser cost")
struct ParserCostTests {
    /// Found with the saml-xml fuzz target's binary (scripts/fuzz): one start tag
    /// with 5,000 attributes (44 KB) took 124 s to check for duplicate attributes,
    /// two linear searches per attribute.
    @Test("a tag with 20,000 attributes parses in linear time; duplicates are still refused", .timeLimit(.minutes(1)))
    func manyAttributes() throws {
        let count = 20_000
        let plain = (0..<count).map { "a\($0)=\"\"" }.joined(separator: " ")
        let prefixed = (0..<count).map { "p:a\($0)=\"\"" }.joined(separator: " ")
        let xml = "<r xmlns:p=\"urn:p\" \(plain) \(prefixed)/>"
        let canonical = try XMLCanonicalization.canonicalize(xml, method: .exclusive(withComments: false, inclusivePrefixes: []))
        #expect(canonical.hasPrefix("<r xmlns:p=\"urn:p\" a0=\"\" a1=\"\""))

        #expect(throws: XMLCanonicalization.Failure.self) {
            try XMLCanonicalization.canonicalize("<r \(plain) a7=\"x\"/>", method: .inclusive(withComments: false))
        }
        #expect(throws: XMLCanonicalization.Failure.self) {
            try XMLCanonicalization.canonicalize(
                "<r xmlns:p=\"urn:p\" xmlns:q=\"urn:p\" \(prefixed) q:a19999=\"\"/>", method: .inclusive(withComments: false))
        }
    }

    /// Found with the same binary: each prefixed name was resolved by scanning
    /// the declarations of the element and its ancestors, so 5,000 declarations
    /// used by 5,000 attributes cost 25 million comparisons.
    @Test("thousands of namespace declarations resolve in linear time, scopes still nest", .timeLimit(.minutes(1)))
    func manyNamespaceDeclarations() throws {
        let count = 20_000
        let declarations = (0..<count).map { "xmlns:p\($0)=\"urn:\($0)\"" }.joined(separator: " ")
        let uses = (0..<count).map { "p\($0):a=\"\"" }.joined(separator: " ")
        let canonical = try XMLCanonicalization.canonicalize(
            "<r \(declarations) \(uses)/>", method: .exclusive(withComments: false, inclusivePrefixes: []))
        #expect(canonical.contains(#"p19999:a="""#))

        // An inner declaration shadows an outer one and goes out of scope with its element.
        let nested = #"<p:r xmlns:p="urn:outer"><p:c xmlns:p="urn:inner"/><p:d/></p:r>"#
        #expect(try XMLCanonicalization.canonicalize(nested, method: .exclusive(withComments: false, inclusivePrefixes: []))
            == #"<p:r xmlns:p="urn:outer"><p:c xmlns:p="urn:inner"></p:c><p:d></p:d></p:r>"#)
        #expect(throws: XMLCanonicalization.Failure.self) {
            try XMLCanonicalization.canonicalize(#"<r><p:c xmlns:p="urn:p"/><p:d/></r>"#, method: .inclusive(withComments: false))
        }
    }

    /// Found by the saml-xml fuzz target: canonicalizing rebuilt the namespaces
    /// in scope of every element from all its ancestors' declarations, so a
    /// root with many declarations over many elements cost their product.
    @Test("canonicalizing many elements under many declarations is linear; inherited scopes still apply", .timeLimit(.minutes(1)))
    func manyElementsUnderManyDeclarations() throws {
        let count = 20_000
        let declarations = (0..<count).map { "xmlns:p\($0)=\"urn:\($0)\"" }.joined(separator: " ")
        let children = String(repeating: "<p0:c/>", count: count)
        let canonical = try XMLCanonicalization.canonicalize(
            "<r \(declarations)>\(children)<q xmlns:p0=\"urn:other\"><p0:d/></q></r>",
            method: .exclusive(withComments: false, inclusivePrefixes: []))
        #expect(canonical.hasPrefix(#"<r><p0:c xmlns:p0="urn:0"></p0:c>"#))
        #expect(canonical.hasSuffix(#"<q><p0:d xmlns:p0="urn:other"></p0:d></q></r>"#))
    }
}
