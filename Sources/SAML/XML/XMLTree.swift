/// A parsed XML document, kept faithfully enough to canonicalize it: every
/// element's namespace declarations and attributes as written, text with
/// references resolved, comments and processing instructions.
///
/// Nodes live in one array and point at each other by index, so the tree is a
/// plain `Sendable` value. Index 0 is the document node.
struct XMLTree: Sendable {
    enum Kind: Sendable, Equatable {
        case document
        case element
        case text
        case comment
        case processingInstruction
    }

    struct Attribute: Sendable, Equatable {
        var prefix: String
        var localName: String
        /// Empty for an attribute without a prefix (attributes take no default namespace).
        var namespaceURI: String
        var value: String

        var qualifiedName: String { prefix.isEmpty ? localName : prefix + ":" + localName }
    }

    struct NamespaceDeclaration: Sendable, Equatable {
        /// Empty for the default namespace (`xmlns="…"`).
        var prefix: String
        /// Empty for `xmlns=""`, which undeclares the default namespace.
        var uri: String
    }

    struct Node: Sendable {
        var kind: Kind
        var parent: Int
        var children: [Int] = []
        // Elements
        var prefix = ""
        var localName = ""
        var namespaceURI = ""
        var attributes: [Attribute] = []
        var namespaceDeclarations: [NamespaceDeclaration] = []
        // Text and comments: the content; processing instructions: the data.
        var text = ""
        // Processing instructions
        var target = ""

        var qualifiedName: String { prefix.isEmpty ? localName : prefix + ":" + localName }
    }

    static let xmlNamespace = "http://www.w3.org/XML/1998/namespace"

    var nodes: [Node]

    /// The document element.
    var root: Int { nodes[0].children.first { nodes[$0].kind == .element }! }

    subscript(_ index: Int) -> Node { nodes[index] }

    /// Child elements of `element`, optionally only those with this namespace and local name.
    func childElements(of element: Int, namespace: String? = nil, name: String? = nil) -> [Int] {
        nodes[element].children.filter { child in
            let node = nodes[child]
            guard node.kind == .element else { return false }
            if let namespace, node.namespaceURI != namespace { return false }
            if let name, node.localName != name { return false }
            return true
        }
    }

    func firstChild(of element: Int, namespace: String, name: String) -> Int? {
        nodes[element].children.first { child in
            let node = nodes[child]
            return node.kind == .element && node.namespaceURI == namespace && node.localName == name
        }
    }

    /// The value of the attribute without a namespace called `name`.
    func attribute(_ name: String, of element: Int) -> String? {
        nodes[element].attributes.first { $0.namespaceURI.isEmpty && $0.localName == name }?.value
    }

    /// The concatenation of the element's text children, comments left out.
    ///
    /// Only direct text children count, and all of them: a comment inside a
    /// signed `NameID` does not change the digest, so reading only the first
    /// text node would let someone truncate a signed value (CVE-2017-11427 and
    /// kin). Child elements are not descended into.
    func textContent(of element: Int) -> String {
        var result = ""
        for child in nodes[element].children where nodes[child].kind == .text {
            result += nodes[child].text
        }
        return result
    }

    /// The namespaces in scope at `element`: prefix to URI, the nearest
    /// declaration winning. The default namespace is under the empty prefix and
    /// is left out when undeclared; `xml` is left out (it is implicit).
    func namespacesInScope(at element: Int) -> [String: String] {
        var chain: [Int] = []
        var current = element
        while current > 0 {
            chain.append(current)
            current = nodes[current].parent
        }
        var scope: [String: String] = [:]
        for index in chain.reversed() { scope = namespaces(of: index, within: scope) }
        return scope
    }

    /// The namespaces in scope at `element`, given those in scope at its parent.
    func namespaces(of element: Int, within parentScope: [String: String]) -> [String: String] {
        var scope = parentScope
        for declaration in nodes[element].namespaceDeclarations {
            if declaration.prefix.isEmpty && declaration.uri.isEmpty {
                scope.removeValue(forKey: "")
            } else {
                scope[declaration.prefix] = declaration.uri
            }
        }
        return scope
    }

    /// Every element in document order.
    func allElements() -> [Int] {
        var result: [Int] = []
        var stack = [0]
        while let index = stack.popLast() {
            if nodes[index].kind == .element { result.append(index) }
            for child in nodes[index].children.reversed() where nodes[child].kind == .element || nodes[child].kind == .document {
                stack.append(child)
            }
        }
        return result
    }
}
