/// Canonical XML 1.0 and Exclusive XML Canonicalization 1.0, for callers and tests.
public enum XMLCanonicalization {
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    /// Canonicalizes `xml`: the whole document, or, given `subtree`, the document subset made of the
    /// first element (in document order) with that namespace and local name and its descendants.
    /// Comments are kept only by the `withComments` variants.
    public static func canonicalize(
        _ xml: String, method: CanonicalizationMethod, subtree: (namespace: String, localName: String)? = nil
    ) throws(Failure) -> String {
        let tree: XMLTree
        do {
            tree = try XMLTreeParser.parse(xml)
        } catch {
            throw Failure(description: error.description)
        }
        let bytes: [UInt8]
        if let subtree {
            guard let element = tree.allElements().first(where: {
                tree[$0].namespaceURI == subtree.namespace && tree[$0].localName == subtree.localName
            }) else { throw Failure(description: "no element {\(subtree.namespace)}\(subtree.localName)") }
            bytes = Canonicalizer.canonicalize(tree, element: element, method: method)
        } else {
            bytes = Canonicalizer.canonicalizeDocument(tree, method: method)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
