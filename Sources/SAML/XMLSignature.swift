/// XML namespaces SAML and XML-DSig use.
enum Namespace {
    static let dsig = "http://www.w3.org/2000/09/xmldsig#"
    static let assertion = "urn:oasis:names:tc:SAML:2.0:assertion"
    static let protocol_ = "urn:oasis:names:tc:SAML:2.0:protocol"
    static let metadata = "urn:oasis:names:tc:SAML:2.0:metadata"
    static let exclusiveC14N = "http://www.w3.org/2001/10/xml-exc-c14n#"
}

/// The outcome of checking the `ds:Signature` child of one element.
enum SignatureCheck: Equatable {
    /// The element has no signature.
    case absent
    /// The signature is valid, made with this metadata certificate, and covers the whole element.
    case valid(SAMLCertificate)
    case invalid(String)
}

/// Verifies enveloped XML signatures the way the SAML 2.0 profile of XML-DSig
/// (saml-core §5.4) allows them: one `Reference`, to the `ID` of the signed
/// element itself, transformed only by enveloped-signature and a
/// canonicalization.
///
/// Signature wrapping is ruled out structurally: the reference must resolve,
/// through an `ID` that occurs exactly once in the document, to the very
/// element whose child the signature is. The caller then uses that element,
/// never one found by searching the document again.
struct EnvelopedSignatureVerifier {
    static let envelopedSignature = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"

    let tree: XMLTree
    /// Elements by their `ID` attribute; IDs that occur more than once map to nil.
    let elementsByID: [String: Int?]

    init(tree: XMLTree) {
        self.tree = tree
        var byID: [String: Int?] = [:]
        for element in tree.allElements() {
            guard let id = tree.attribute("ID", of: element) else { continue }
            if byID[id] != nil { byID[id] = .some(nil) } else { byID[id] = element }
        }
        elementsByID = byID
    }

    func check(_ element: Int, certificates: [SAMLCertificate]) -> SignatureCheck {
        let signatures = tree.childElements(of: element, namespace: Namespace.dsig, name: "Signature")
        guard let signature = signatures.first else { return .absent }
        guard signatures.count == 1 else { return .invalid("more than one Signature on <\(tree[element].localName)>") }
        do {
            return try verify(signature, of: element, certificates: certificates)
        } catch {
            return .invalid(error.reason)
        }
    }

    private struct Refusal: Error {
        var reason: String
        init(_ reason: String) { self.reason = reason }
    }

    private func verify(_ signature: Int, of element: Int, certificates: [SAMLCertificate]) throws(Refusal) -> SignatureCheck {
        let parts = tree.childElements(of: signature)
        guard let signedInfo = parts.first, tree[signedInfo].namespaceURI == Namespace.dsig,
              tree[signedInfo].localName == "SignedInfo"
        else { throw Refusal("Signature does not start with SignedInfo") }
        guard parts.count >= 2, tree[parts[1]].namespaceURI == Namespace.dsig, tree[parts[1]].localName == "SignatureValue"
        else { throw Refusal("SignedInfo is not followed by SignatureValue") }
        let signatureValue = parts[1]

        // SignedInfo: CanonicalizationMethod, SignatureMethod, Reference.
        let infoParts = tree.childElements(of: signedInfo)
        guard infoParts.count == 3,
              tree[infoParts[0]].namespaceURI == Namespace.dsig, tree[infoParts[0]].localName == "CanonicalizationMethod",
              tree[infoParts[1]].namespaceURI == Namespace.dsig, tree[infoParts[1]].localName == "SignatureMethod",
              tree[infoParts[2]].namespaceURI == Namespace.dsig, tree[infoParts[2]].localName == "Reference"
        else { throw Refusal("SignedInfo must hold CanonicalizationMethod, SignatureMethod and one Reference") }
        let signedInfoMethod = try canonicalizationMethod(infoParts[0])
        guard let signatureURI = tree.attribute("Algorithm", of: infoParts[1]),
              let signatureDigest = DigestAlgorithm(rsaSignatureMethodURI: signatureURI)
        else { throw Refusal("unsupported SignatureMethod \(tree.attribute("Algorithm", of: infoParts[1]) ?? "")") }
        if !tree.childElements(of: infoParts[1]).isEmpty { throw Refusal("SignatureMethod parameters are not accepted") }

        // The reference must name the signed element itself, by an unambiguous ID.
        let reference = infoParts[2]
        guard let uri = tree.attribute("URI", of: reference), uri.hasPrefix("#"), uri.count > 1 else {
            throw Refusal("Reference URI must be #ID")
        }
        let id = String(uri.dropFirst())
        guard let found = elementsByID[id] else { throw Refusal("no element has ID \(id)") }
        guard let target = found else { throw Refusal("ID \(id) occurs more than once") }
        guard target == element, tree.attribute("ID", of: element) == id else {
            throw Refusal("the Reference does not point at the element the Signature is in")
        }

        // Transforms, then digest.
        let referenceParts = tree.childElements(of: reference)
        var index = 0
        var enveloped = false
        var referenceMethod: CanonicalizationMethod?
        if index < referenceParts.count, tree[referenceParts[index]].namespaceURI == Namespace.dsig,
           tree[referenceParts[index]].localName == "Transforms"
        {
            for transform in tree.childElements(of: referenceParts[index]) {
                guard tree[transform].namespaceURI == Namespace.dsig, tree[transform].localName == "Transform",
                      let algorithm = tree.attribute("Algorithm", of: transform)
                else { throw Refusal("malformed Transform") }
                guard referenceMethod == nil else { throw Refusal("a transform after canonicalization") }
                if algorithm == Self.envelopedSignature {
                    guard !enveloped else { throw Refusal("enveloped-signature twice") }
                    enveloped = true
                } else {
                    referenceMethod = try canonicalizationMethod(transform)
                }
            }
            index += 1
        }
        guard index + 2 == referenceParts.count,
              tree[referenceParts[index]].namespaceURI == Namespace.dsig, tree[referenceParts[index]].localName == "DigestMethod",
              tree[referenceParts[index + 1]].namespaceURI == Namespace.dsig, tree[referenceParts[index + 1]].localName == "DigestValue"
        else { throw Refusal("Reference must end with DigestMethod and DigestValue") }
        guard let digestURI = tree.attribute("Algorithm", of: referenceParts[index]),
              let digestAlgorithm = DigestAlgorithm(digestMethodURI: digestURI)
        else { throw Refusal("unsupported DigestMethod \(tree.attribute("Algorithm", of: referenceParts[index]) ?? "")") }
        guard let expectedDigest = Base64.decode(tree.textContent(of: referenceParts[index + 1])) else {
            throw Refusal("DigestValue is not base64")
        }
        guard enveloped else { throw Refusal("the signature does not use the enveloped-signature transform") }

        // A same-document "#id" reference selects the element without comments
        // (XML-DSig §4.3.3.3), whatever the canonicalization says; with no
        // canonicalization transform, Canonical XML 1.0 turns the node-set into octets.
        let octets = Canonicalizer.canonicalize(
            tree, element: element, method: referenceMethod ?? .inclusive(withComments: false),
            excluding: [signature], includeComments: false)
        guard digestAlgorithm.hash(octets) == expectedDigest else {
            throw Refusal("the digest of <\(tree[element].localName) ID=\"\(id)\"> does not match its DigestValue")
        }

        // The signature over SignedInfo, with a key from the metadata.
        guard let signatureBytes = Base64.decode(tree.textContent(of: signatureValue)), !signatureBytes.isEmpty else {
            throw Refusal("SignatureValue is not base64")
        }
        let candidates = try candidateCertificates(signature, metadata: certificates)
        let signedOctets = Canonicalizer.canonicalize(tree, element: signedInfo, method: signedInfoMethod)
        for certificate in candidates
        where certificate.verifies(signature: signatureBytes, over: signedOctets, digest: signatureDigest) {
            return .valid(certificate)
        }
        throw Refusal("SignatureValue does not verify with the provider's certificate")
    }

    private func canonicalizationMethod(_ element: Int) throws(Refusal) -> CanonicalizationMethod {
        guard let algorithm = tree.attribute("Algorithm", of: element) else { throw Refusal("Algorithm missing") }
        var prefixes: [String] = []
        if let inclusive = tree.firstChild(of: element, namespace: Namespace.exclusiveC14N, name: "InclusiveNamespaces") {
            prefixes = (tree.attribute("PrefixList", of: inclusive) ?? "")
                .split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).map(String.init)
        }
        guard let method = CanonicalizationMethod(uri: algorithm, inclusivePrefixes: prefixes) else {
            throw Refusal("unsupported transform or canonicalization \(algorithm)")
        }
        if case .inclusive = method, !prefixes.isEmpty { throw Refusal("InclusiveNamespaces on inclusive c14n") }
        return method
    }

    /// The metadata certificates the signature may have used: the one its
    /// `KeyInfo` names, if it names one, else all of them. A `KeyInfo`
    /// certificate the metadata does not hold is refused; its key is never used.
    private func candidateCertificates(_ signature: Int, metadata: [SAMLCertificate]) throws(Refusal) -> [SAMLCertificate] {
        guard let keyInfo = tree.firstChild(of: signature, namespace: Namespace.dsig, name: "KeyInfo") else { return metadata }
        var embedded: [[UInt8]] = []
        for data in tree.childElements(of: keyInfo, namespace: Namespace.dsig, name: "X509Data") {
            for certificate in tree.childElements(of: data, namespace: Namespace.dsig, name: "X509Certificate") {
                guard let der = Base64.decode(tree.textContent(of: certificate)) else {
                    throw Refusal("X509Certificate is not base64")
                }
                embedded.append(der)
            }
        }
        guard !embedded.isEmpty else { return metadata }
        let matching = metadata.filter { certificate in embedded.contains(certificate.der) }
        guard !matching.isEmpty else { throw Refusal("the signing certificate is not in the provider's metadata") }
        return matching
    }
}
