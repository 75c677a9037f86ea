/// A canonicalization algorithm XML-DSig names by URI.
public enum CanonicalizationMethod: Sendable, Equatable {
    /// Canonical XML 1.0, `http://www.w3.org/TR/2001/REC-xml-c14n-20010315` (and `#WithComments`).
    case inclusive(withComments: Bool)
    /// Exclusive XML Canonicalization 1.0, `http://www.w3.org/2001/10/xml-exc-c14n#` (and
    /// `#WithComments`), with the `InclusiveNamespaces` prefix list (`#default` for the default namespace).
    case exclusive(withComments: Bool, inclusivePrefixes: [String])

    public static let inclusiveURI = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
    public static let inclusiveWithCommentsURI = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments"
    public static let exclusiveURI = "http://www.w3.org/2001/10/xml-exc-c14n#"
    public static let exclusiveWithCommentsURI = "http://www.w3.org/2001/10/xml-exc-c14n#WithComments"

    /// The method an `Algorithm` URI names, or nil for one this library does not implement.
    public init?(uri: String, inclusivePrefixes: [String] = []) {
        switch uri {
        case Self.inclusiveURI: self = .inclusive(withComments: false)
        case Self.inclusiveWithCommentsURI: self = .inclusive(withComments: true)
        case Self.exclusiveURI: self = .exclusive(withComments: false, inclusivePrefixes: inclusivePrefixes)
        case Self.exclusiveWithCommentsURI: self = .exclusive(withComments: true, inclusivePrefixes: inclusivePrefixes)
        default: return nil
        }
    }

    var withComments: Bool {
        switch self {
        case .inclusive(let withComments), .exclusive(let withComments, _): withComments
        }
    }
}

/// Canonical XML 1.0 and Exclusive XML Canonicalization 1.0 of a document
/// subset: one element and its descendants, less some excluded subtrees (the
/// enveloped signature).
///
/// Follows the W3C recommendations: namespace declarations first, sorted by
/// prefix, then attributes sorted by namespace URI and local name (comparing
/// code points, never Swift's Unicode-equivalence order); empty elements as
/// start/end pairs; text and attribute values escaped as the specs list;
/// white space kept. Exclusive canonicalization renders only visibly utilized
/// namespaces (and the listed inclusive prefixes); both omit a declaration an
/// output ancestor already rendered with the same value, as libxml2 does.
enum Canonicalizer {
    static func canonicalize(
        _ tree: XMLTree, element apex: Int, method: CanonicalizationMethod, excluding: Set<Int> = [],
        includeComments: Bool? = nil
    ) -> [UInt8] {
        var writer = Writer(tree: tree, method: method, excluding: excluding,
                            comments: includeComments ?? method.withComments)
        writer.writeElement(apex, rendered: [:], isApex: true)
        return writer.output
    }

    /// The whole document, as Canonical XML defines it for a document node:
    /// processing instructions and comments around the document element are
    /// separated from it by line feeds.
    static func canonicalizeDocument(_ tree: XMLTree, method: CanonicalizationMethod) -> [UInt8] {
        var writer = Writer(tree: tree, method: method, excluding: [], comments: method.withComments)
        let children = tree[0].children
        guard let rootPosition = children.firstIndex(of: tree.root) else { return [] }
        for (position, child) in children.enumerated() {
            let node = tree[child]
            switch node.kind {
            case .element:
                writer.writeElement(child, rendered: [:], isApex: true)
            case .comment where writer.comments, .processingInstruction:
                if position > rootPosition { writer.output.append(0x0A) }
                writer.writeLeaf(child)
                if position < rootPosition { writer.output.append(0x0A) }
            default:
                break
            }
        }
        return writer.output
    }

    private struct Writer {
        let tree: XMLTree
        let method: CanonicalizationMethod
        let excluding: Set<Int>
        let comments: Bool
        var output: [UInt8] = []

        init(tree: XMLTree, method: CanonicalizationMethod, excluding: Set<Int>, comments: Bool) {
            self.tree = tree
            self.method = method
            self.excluding = excluding
            self.comments = comments
            output.reserveCapacity(4096)
        }

        /// `rendered` maps each prefix to the URI the nearest output ancestor
        /// rendered for it ("" for the default namespace means undeclared).
        /// `parentScope` is the namespaces in scope at the parent, when the
        /// parent was just written: the element's scope is that plus its own
        /// declarations (shared, not copied, when it declares none). Walking
        /// every ancestor's declarations for every element instead was
        /// elements × declarations, reachable unsigned through AssumeRoleWithSAML.
        mutating func writeElement(_ index: Int, rendered: [String: String], parentScope: [String: String]? = nil, isApex: Bool) {
            let node = tree[index]
            let inScope = parentScope.map { tree.namespaces(of: index, within: $0) } ?? tree.namespacesInScope(at: index)

            var candidates: [String] = []
            switch method {
            case .inclusive:
                candidates = Array(inScope.keys)
                if inScope[""] == nil { candidates.append("") }
            case .exclusive(_, let inclusivePrefixes):
                candidates.append(node.prefix)
                for attribute in node.attributes where !attribute.prefix.isEmpty && attribute.prefix != "xml" {
                    candidates.append(attribute.prefix)
                }
                for prefix in inclusivePrefixes {
                    let key = prefix == "#default" ? "" : prefix
                    if key.isEmpty || inScope[key] != nil { candidates.append(key) }
                }
            }

            var declarations: [(prefix: String, uri: String)] = []
            var childRendered = rendered
            for prefix in Set(candidates) {
                let uri = inScope[prefix] ?? ""
                let previous = rendered[prefix] ?? ""
                if prefix.isEmpty && uri.isEmpty {
                    // xmlns="" only undoes a default namespace an output ancestor rendered.
                    if !previous.isEmpty {
                        declarations.append(("", ""))
                        childRendered[""] = ""
                    }
                } else if rendered[prefix] != uri {
                    declarations.append((prefix, uri))
                    childRendered[prefix] = uri
                }
            }
            declarations.sort { Self.less($0.prefix, $1.prefix) }

            var attributes = node.attributes
            if isApex, case .inclusive = method {
                // Canonical XML 1.0 §2.4: an orphan element inherits the xml:* attributes of its ancestors.
                var inherited: [String: XMLTree.Attribute] = [:]
                var ancestor = node.parent
                while ancestor > 0 {
                    for attribute in tree[ancestor].attributes
                    where attribute.namespaceURI == XMLTree.xmlNamespace && inherited[attribute.localName] == nil {
                        inherited[attribute.localName] = attribute
                    }
                    ancestor = tree[ancestor].parent
                }
                for (localName, attribute) in inherited
                where !attributes.contains(where: { $0.namespaceURI == XMLTree.xmlNamespace && $0.localName == localName }) {
                    attributes.append(attribute)
                }
            }
            attributes.sort {
                if $0.namespaceURI != $1.namespaceURI { return Self.less($0.namespaceURI, $1.namespaceURI) }
                return Self.less($0.localName, $1.localName)
            }

            output.append(UInt8(ascii: "<"))
            output.append(contentsOf: node.qualifiedName.utf8)
            for declaration in declarations {
                output.append(contentsOf: " xmlns".utf8)
                if !declaration.prefix.isEmpty {
                    output.append(UInt8(ascii: ":"))
                    output.append(contentsOf: declaration.prefix.utf8)
                }
                output.append(contentsOf: "=\"".utf8)
                escapeAttribute(declaration.uri)
                output.append(UInt8(ascii: "\""))
            }
            for attribute in attributes {
                output.append(UInt8(ascii: " "))
                output.append(contentsOf: attribute.qualifiedName.utf8)
                output.append(contentsOf: "=\"".utf8)
                escapeAttribute(attribute.value)
                output.append(UInt8(ascii: "\""))
            }
            output.append(UInt8(ascii: ">"))

            for child in node.children where !excluding.contains(child) {
                switch tree[child].kind {
                case .element:
                    writeElement(child, rendered: childRendered, parentScope: inScope, isApex: false)
                case .text:
                    escapeText(tree[child].text)
                case .comment where comments, .processingInstruction:
                    writeLeaf(child)
                default:
                    break
                }
            }

            output.append(contentsOf: "</".utf8)
            output.append(contentsOf: node.qualifiedName.utf8)
            output.append(UInt8(ascii: ">"))
        }

        mutating func writeLeaf(_ index: Int) {
            let node = tree[index]
            if node.kind == .comment {
                output.append(contentsOf: "<!--".utf8)
                output.append(contentsOf: node.text.utf8)
                output.append(contentsOf: "-->".utf8)
            } else {
                output.append(contentsOf: "<?".utf8)
                output.append(contentsOf: node.target.utf8)
                if !node.text.isEmpty {
                    output.append(UInt8(ascii: " "))
                    output.append(contentsOf: node.text.utf8)
                }
                output.append(contentsOf: "?>".utf8)
            }
        }

        mutating func escapeText(_ text: String) {
            for byte in text.utf8 {
                switch byte {
                case UInt8(ascii: "&"): output.append(contentsOf: "&amp;".utf8)
                case UInt8(ascii: "<"): output.append(contentsOf: "&lt;".utf8)
                case UInt8(ascii: ">"): output.append(contentsOf: "&gt;".utf8)
                case 0x0D: output.append(contentsOf: "&#xD;".utf8)
                default: output.append(byte)
                }
            }
        }

        mutating func escapeAttribute(_ text: String) {
            for byte in text.utf8 {
                switch byte {
                case UInt8(ascii: "&"): output.append(contentsOf: "&amp;".utf8)
                case UInt8(ascii: "<"): output.append(contentsOf: "&lt;".utf8)
                case UInt8(ascii: "\""): output.append(contentsOf: "&quot;".utf8)
                case 0x09: output.append(contentsOf: "&#x9;".utf8)
                case 0x0A: output.append(contentsOf: "&#xA;".utf8)
                case 0x0D: output.append(contentsOf: "&#xD;".utf8)
                default: output.append(byte)
                }
            }
        }

        /// Code-point order: UTF-8 byte order is the same thing.
        static func less(_ a: String, _ b: String) -> Bool {
            a.utf8.lexicographicallyPrecedes(b.utf8)
        }
    }
}
