/// Why a document could not be read as namespace-well-formed XML.
struct XMLSyntaxError: Error, Sendable, CustomStringConvertible {
    var message: String
    /// Byte offset into the document (after line-end normalization).
    var offset: Int

    var description: String { "\(message) (at byte \(offset))" }
}

/// A small namespace-aware XML 1.0 parser for SAML documents.
///
/// It keeps what canonicalization needs (namespace declarations and
/// attributes as written, comments, processing instructions) and refuses what a
/// SAML processor should never act on: document type declarations (so no
/// entity expansion, external or internal) and encodings other than UTF-8.
/// Line ends are normalized and attribute values are normalized as for CDATA
/// attributes, as XML 1.0 §2.11 and §3.3.3 require.
struct XMLTreeParser {
    static let maximumDepth = 256

    private var input: [UInt8]
    private var position = 0
    private var nodes: [XMLTree.Node] = [XMLTree.Node(kind: .document, parent: -1)]
    /// The namespace bindings of the open elements: prefix → URIs, innermost
    /// last ("" for `xmlns=""`), so a lookup costs one dictionary access
    /// however many declarations the ancestors make.
    private var bindings: [String: [String]] = [:]

    static func parse(_ text: String) throws(XMLSyntaxError) -> XMLTree {
        try parse(Array(text.utf8))
    }

    static func parse(_ bytes: [UInt8]) throws(XMLSyntaxError) -> XMLTree {
        var parser = XMLTreeParser(bytes)
        return try parser.parseDocument()
    }

    private init(_ raw: [UInt8]) {
        var start = 0
        if raw.count >= 3 && raw[0] == 0xEF && raw[1] == 0xBB && raw[2] == 0xBF { start = 3 }
        var normalized: [UInt8] = []
        normalized.reserveCapacity(raw.count)
        var index = start
        while index < raw.count {
            let byte = raw[index]
            if byte == 0x0D {
                normalized.append(0x0A)
                if index + 1 < raw.count && raw[index + 1] == 0x0A { index += 1 }
            } else {
                normalized.append(byte)
            }
            index += 1
        }
        input = normalized
    }

    // MARK: Document

    private mutating func parseDocument() throws(XMLSyntaxError) -> XMLTree {
        if hasPrefix("<?xml") && position + 5 < input.count && Self.isWhitespace(input[position + 5]) {
            try parseXMLDeclaration()
        }
        try parseMisc()
        guard position < input.count, input[position] == UInt8(ascii: "<") else {
            throw fail("the document has no element")
        }
        try parseDocumentElement()
        try parseMisc()
        guard position == input.count else { throw fail("content after the document element") }
        return XMLTree(nodes: nodes)
    }

    /// `<?xml version="1.x" encoding="…" standalone="yes|no"?>`, the pseudo-attributes in that order.
    private mutating func parseXMLDeclaration() throws(XMLSyntaxError) {
        position += 5
        var seen: [String] = []
        while true {
            let spaced = skipWhitespace()
            if hasPrefix("?>") {
                position += 2
                break
            }
            guard spaced, position < input.count else { throw fail("malformed XML declaration") }
            let name = try parseName()
            skipWhitespace()
            guard position < input.count, input[position] == UInt8(ascii: "=") else { throw fail("malformed XML declaration") }
            position += 1
            skipWhitespace()
            let value = try parseAttributeValue()
            switch name {
            case "version" where seen.isEmpty:
                guard value.hasPrefix("1."), value.count > 2, value.dropFirst(2).allSatisfy(\.isNumber) else {
                    throw fail("unsupported XML version \(value)")
                }
            case "encoding" where seen == ["version"]:
                guard ["utf-8", "utf8", "us-ascii", "ascii"].contains(value.lowercased()) else {
                    throw fail("unsupported encoding \(value)")
                }
            case "standalone" where seen.first == "version" && !seen.contains("standalone"):
                guard value == "yes" || value == "no" else { throw fail("malformed XML declaration") }
            default:
                throw fail("malformed XML declaration")
            }
            seen.append(name)
        }
        guard seen.first == "version" else { throw fail("the XML declaration has no version") }
    }

    /// Comments, processing instructions and white space outside the document element.
    private mutating func parseMisc() throws(XMLSyntaxError) {
        while position < input.count {
            if Self.isWhitespace(input[position]) {
                position += 1
            } else if hasPrefix("<!--") {
                try parseComment(parent: 0)
            } else if hasPrefix("<!DOCTYPE") {
                throw fail("document type declarations are not accepted")
            } else if hasPrefix("<?") {
                try parseProcessingInstruction(parent: 0)
            } else {
                return
            }
        }
    }

    // MARK: Elements

    private mutating func parseDocumentElement() throws(XMLSyntaxError) {
        var stack: [(index: Int, name: String)] = []
        let (first, firstClosed) = try parseStartTag(parent: 0)
        if firstClosed {
            unbind(first.index)
            return
        }
        stack.append(first)
        while let current = stack.last {
            guard position < input.count else { throw fail("element <\(current.name)> is not closed") }
            if input[position] != UInt8(ascii: "<") {
                try parseText(parent: current.index)
            } else if hasPrefix("</") {
                position += 2
                let name = try parseName()
                skipWhitespace()
                guard position < input.count, input[position] == UInt8(ascii: ">") else { throw fail("malformed end tag") }
                position += 1
                guard name == current.name else {
                    throw fail("end tag </\(name)> does not match <\(current.name)>")
                }
                stack.removeLast()
                unbind(current.index)
            } else if hasPrefix("<!--") {
                try parseComment(parent: current.index)
            } else if hasPrefix("<![CDATA[") {
                position += 9
                guard let end = find("]]>", from: position) else { throw fail("unterminated CDATA section") }
                let text = try string(input[position..<end])
                position = end + 3
                appendText(text, to: current.index)
            } else if hasPrefix("<?") {
                try parseProcessingInstruction(parent: current.index)
            } else if hasPrefix("<!") {
                throw fail("markup declarations are not accepted in content")
            } else {
                let (child, closed) = try parseStartTag(parent: current.index)
                if closed {
                    unbind(child.index)
                } else {
                    guard stack.count < Self.maximumDepth else { throw fail("elements nested too deeply") }
                    stack.append(child)
                }
            }
        }
    }

    /// Parses `<name attr="…" …>` or `<name …/>`; returns the new element and whether it closed itself.
    private mutating func parseStartTag(parent: Int) throws(XMLSyntaxError) -> ((index: Int, name: String), Bool) {
        let tagStart = position
        position += 1
        let name = try parseName()
        var raw: [(name: String, value: String)] = []
        // Sets, not searches of `raw`: a tag with thousands of attributes must
        // not cost their square (a 44 KB tag took seconds).
        var rawNames: Set<String> = []
        var closed = false
        while true {
            let spaced = skipWhitespace()
            guard position < input.count else { throw fail("unterminated start tag <\(name)>") }
            if input[position] == UInt8(ascii: ">") {
                position += 1
                break
            }
            if hasPrefix("/>") {
                position += 2
                closed = true
                break
            }
            guard spaced else { throw fail("attributes must be separated by white space") }
            let attributeName = try parseName()
            skipWhitespace()
            guard position < input.count, input[position] == UInt8(ascii: "=") else {
                throw fail("attribute \(attributeName) has no value")
            }
            position += 1
            skipWhitespace()
            let value = try parseAttributeValue()
            guard rawNames.insert(attributeName).inserted else {
                throw fail("attribute \(attributeName) appears twice")
            }
            raw.append((attributeName, value))
        }

        var element = XMLTree.Node(kind: .element, parent: parent)
        var plain: [(prefix: String, local: String, value: String)] = []
        for (attributeName, value) in raw {
            if attributeName == "xmlns" {
                element.namespaceDeclarations.append(.init(prefix: "", uri: value))
            } else if attributeName.hasPrefix("xmlns:") {
                let prefix = String(attributeName.dropFirst(6))
                if prefix == "xmlns" { throw fail("the xmlns prefix cannot be declared", at: tagStart) }
                if prefix == "xml" {
                    guard value == XMLTree.xmlNamespace else { throw fail("the xml prefix cannot be rebound", at: tagStart) }
                    continue
                }
                guard !value.isEmpty else { throw fail("prefix \(prefix) cannot be undeclared", at: tagStart) }
                element.namespaceDeclarations.append(.init(prefix: prefix, uri: value))
            } else {
                let (prefix, local) = Self.split(attributeName)
                plain.append((prefix, local, value))
            }
        }
        let index = nodes.count
        nodes.append(element)
        nodes[parent].children.append(index)
        for declaration in element.namespaceDeclarations {
            bindings[declaration.prefix, default: []].append(declaration.uri)
        }

        let (prefix, local) = Self.split(name)
        nodes[index].prefix = prefix
        nodes[index].localName = local
        if prefix.isEmpty {
            nodes[index].namespaceURI = lookup(prefix: "", from: index) ?? ""
        } else {
            guard let uri = lookup(prefix: prefix, from: index) else {
                throw fail("prefix \(prefix) is not declared", at: tagStart)
            }
            nodes[index].namespaceURI = uri
        }
        var attributes: [XMLTree.Attribute] = []
        var expandedNames: Set<ExpandedName> = []
        var resolvedPrefixes: [String: String] = [:]
        for (attributePrefix, attributeLocal, value) in plain {
            var uri = ""
            if !attributePrefix.isEmpty {
                if let known = resolvedPrefixes[attributePrefix] {
                    uri = known
                } else {
                    guard let resolved = lookup(prefix: attributePrefix, from: index) else {
                        throw fail("prefix \(attributePrefix) is not declared", at: tagStart)
                    }
                    uri = resolved
                    resolvedPrefixes[attributePrefix] = resolved
                }
            }
            guard expandedNames.insert(ExpandedName(uri: uri, localName: attributeLocal)).inserted else {
                throw fail("attribute {\(uri)}\(attributeLocal) appears twice", at: tagStart)
            }
            attributes.append(.init(prefix: attributePrefix, localName: attributeLocal, namespaceURI: uri, value: value))
        }
        nodes[index].attributes = attributes
        return ((index, name), closed)
    }

    private struct ExpandedName: Hashable {
        var uri: String
        var localName: String
    }

    /// The URI `prefix` is bound to at the element being parsed (its own
    /// declarations included); nil when unbound or undeclared (`xmlns=""`).
    private func lookup(prefix: String, from element: Int) -> String? {
        if prefix == "xml" { return XMLTree.xmlNamespace }
        guard let uri = bindings[prefix]?.last, !uri.isEmpty else { return nil }
        return uri
    }

    /// Ends the scope of an element's namespace declarations.
    private mutating func unbind(_ element: Int) {
        for declaration in nodes[element].namespaceDeclarations {
            bindings[declaration.prefix]?.removeLast()
        }
    }

    private static func split(_ name: String) -> (String, String) {
        guard let colon = name.firstIndex(of: ":") else { return ("", name) }
        return (String(name[..<colon]), String(name[name.index(after: colon)...]))
    }

    // MARK: Character data

    private mutating func parseText(parent: Int) throws(XMLSyntaxError) {
        var bytes: [UInt8] = []
        while position < input.count {
            let byte = input[position]
            if byte == UInt8(ascii: "<") { break }
            if byte == UInt8(ascii: "&") {
                try appendReference(to: &bytes)
            } else {
                bytes.append(byte)
                position += 1
            }
        }
        appendText(try string(bytes[...]), to: parent)
    }

    private mutating func appendText(_ text: String, to parent: Int) {
        guard !text.isEmpty else { return }
        if let last = nodes[parent].children.last, nodes[last].kind == .text {
            nodes[last].text += text
        } else {
            var node = XMLTree.Node(kind: .text, parent: parent)
            node.text = text
            nodes[parent].children.append(nodes.count)
            nodes.append(node)
        }
    }

    private mutating func parseAttributeValue() throws(XMLSyntaxError) -> String {
        guard position < input.count else { throw fail("attribute value expected") }
        let quote = input[position]
        guard quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else { throw fail("attribute value must be quoted") }
        position += 1
        var bytes: [UInt8] = []
        while true {
            guard position < input.count else { throw fail("unterminated attribute value") }
            let byte = input[position]
            if byte == quote {
                position += 1
                break
            }
            switch byte {
            case UInt8(ascii: "<"):
                throw fail("< in an attribute value")
            case UInt8(ascii: "&"):
                try appendReference(to: &bytes)
            case 0x09, 0x0A:
                bytes.append(0x20)
                position += 1
            default:
                bytes.append(byte)
                position += 1
            }
        }
        return try string(bytes[...])
    }

    /// Reads `&…;` at `position` and appends the character it stands for.
    private mutating func appendReference(to bytes: inout [UInt8]) throws(XMLSyntaxError) {
        let start = position
        guard let semicolon = input[position...].prefix(12).firstIndex(of: UInt8(ascii: ";")) else {
            throw fail("malformed reference")
        }
        let body = input[(start + 1)..<semicolon]
        position = semicolon + 1
        let scalarValue: UInt32
        if body.first == UInt8(ascii: "#") {
            var digits = body.dropFirst()
            var radix: UInt32 = 10
            if digits.first == UInt8(ascii: "x") {
                radix = 16
                digits = digits.dropFirst()
            }
            guard !digits.isEmpty else { throw fail("malformed character reference", at: start) }
            var value: UInt32 = 0
            for digit in digits {
                guard let digitValue = Self.digitValue(digit, radix: radix) else {
                    throw fail("malformed character reference", at: start)
                }
                value = value * radix + digitValue
                guard value <= 0x10FFFF else { throw fail("character reference out of range", at: start) }
            }
            scalarValue = value
        } else {
            switch String(decoding: body, as: UTF8.self) {
            case "lt": scalarValue = 0x3C
            case "gt": scalarValue = 0x3E
            case "amp": scalarValue = 0x26
            case "apos": scalarValue = 0x27
            case "quot": scalarValue = 0x22
            default: throw fail("undefined entity &\(String(decoding: body, as: UTF8.self));", at: start)
            }
        }
        guard Self.isXMLChar(scalarValue), let scalar = Unicode.Scalar(scalarValue) else {
            throw fail("character reference to a character XML does not allow", at: start)
        }
        bytes.append(contentsOf: Array(String(Character(scalar)).utf8))
    }

    private static func digitValue(_ byte: UInt8, radix: UInt32) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f") where radix == 16: return UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F") where radix == 16: return UInt32(byte - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    private static func isXMLChar(_ value: UInt32) -> Bool {
        value == 0x9 || value == 0xA || value == 0xD || (0x20...0xD7FF).contains(value)
            || (0xE000...0xFFFD).contains(value) || (0x10000...0x10FFFF).contains(value)
    }

    // MARK: Comments and processing instructions

    private mutating func parseComment(parent: Int) throws(XMLSyntaxError) {
        position += 4
        guard let end = find("--", from: position) else { throw fail("unterminated comment") }
        guard end + 2 < input.count, input[end + 2] == UInt8(ascii: ">") else { throw fail("-- inside a comment") }
        var node = XMLTree.Node(kind: .comment, parent: parent)
        node.text = try string(input[position..<end])
        position = end + 3
        nodes[parent].children.append(nodes.count)
        nodes.append(node)
    }

    private mutating func parseProcessingInstruction(parent: Int) throws(XMLSyntaxError) {
        let start = position
        position += 2
        let target = try parseName()
        guard target.lowercased() != "xml" else { throw fail("misplaced XML declaration", at: start) }
        guard let end = find("?>", from: position) else { throw fail("unterminated processing instruction") }
        if position < end {
            guard Self.isWhitespace(input[position]) else { throw fail("malformed processing instruction") }
            skipWhitespace()
        }
        var node = XMLTree.Node(kind: .processingInstruction, parent: parent)
        node.target = target
        node.text = try string(input[min(position, end)..<end])
        position = end + 2
        nodes[parent].children.append(nodes.count)
        nodes.append(node)
    }

    // MARK: Lexical helpers

    private mutating func parseName() throws(XMLSyntaxError) -> String {
        let start = position
        while position < input.count {
            let byte = input[position]
            if Self.isWhitespace(byte) { break }
            switch byte {
            case UInt8(ascii: "/"), UInt8(ascii: ">"), UInt8(ascii: "="), UInt8(ascii: "<"),
                UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "?"), UInt8(ascii: "&"):
                break
            default:
                position += 1
                continue
            }
            break
        }
        guard position > start else { throw fail("name expected") }
        let name = try string(input[start..<position])
        let first = input[start]
        let colons = name.utf8.filter { $0 == UInt8(ascii: ":") }.count
        if (first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9")) || first == UInt8(ascii: "-") || first == UInt8(ascii: ".")
            || colons > 1 || name.hasPrefix(":") || name.hasSuffix(":")
        {
            throw fail("malformed name \(name)", at: start)
        }
        return name
    }

    @discardableResult
    private mutating func skipWhitespace() -> Bool {
        let start = position
        while position < input.count && Self.isWhitespace(input[position]) { position += 1 }
        return position > start
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    private func hasPrefix(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard position + count <= input.count else { return false }
        return literal.withUTF8Buffer { buffer in
            for offset in 0..<count where input[position + offset] != buffer[offset] { return false }
            return true
        }
    }

    private func find(_ literal: StaticString, from start: Int) -> Int? {
        let count = literal.utf8CodeUnitCount
        return literal.withUTF8Buffer { buffer -> Int? in
            var index = start
            while index + count <= input.count {
                if input[index] == buffer[0] {
                    var matched = true
                    for offset in 1..<count where input[index + offset] != buffer[offset] {
                        matched = false
                        break
                    }
                    if matched { return index }
                }
                index += 1
            }
            return nil
        }
    }

    private func string(_ bytes: ArraySlice<UInt8>) throws(XMLSyntaxError) -> String {
        guard let text = String(validating: bytes, as: UTF8.self) else { throw fail("invalid UTF-8") }
        return text
    }

    private func fail(_ message: String, at offset: Int? = nil) -> XMLSyntaxError {
        XMLSyntaxError(message: message, offset: offset ?? position)
    }
}
