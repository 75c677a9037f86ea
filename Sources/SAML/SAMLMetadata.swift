#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Platform

/// What IAM keeps from an identity provider's SAML 2.0 metadata document
/// (CreateSAMLProvider / UpdateSAMLProvider): its entity ID, the certificates
/// it signs with, and how long the document is valid.
public struct SAMLMetadata: Sendable, Equatable {
    /// `EntityDescriptor/@entityID`: the `Issuer` its responses must carry.
    public var entityID: String
    /// The certificates of `IDPSSODescriptor/KeyDescriptor` elements whose `use` is `signing` or absent.
    public var signingCertificates: [SAMLCertificate]
    /// `validUntil` of the `EntityDescriptor` (or of an enclosing `EntitiesDescriptor`), if present.
    public var validUntil: Date?

    public init(entityID: String, signingCertificates: [SAMLCertificate], validUntil: Date? = nil) {
        self.entityID = entityID
        self.signingCertificates = signingCertificates
        self.validUntil = validUntil
    }

    /// The smallest RSA key IAM takes in metadata (IAM User Guide, "Could not parse metadata": "the x.509
    /// certificate … must use a key size of at least 1024 bits").
    public static let minimumKeyBits = 1024

    /// Reads an IdP metadata document. Refuses (`InvalidInput`, "Could not parse metadata.") anything that is
    /// not one: XML that does not parse, a root other than `md:EntityDescriptor` (or an `md:EntitiesDescriptor`
    /// holding exactly one IdP), no `entityID`, no `IDPSSODescriptor`, no usable signing certificate, a
    /// certificate libcrypto cannot read or whose key is not RSA of at least 1024 bits, a bad `validUntil`.
    public static func parse(_ xml: String) throws(SAMLError) -> SAMLMetadata {
        // "The metadata file must be encoded in UTF-8 format without a byte order mark (BOM)" (IAM User
        // Guide, "Could not parse metadata."), although the XML parser itself would skip one.
        guard xml.unicodeScalars.first != "\u{FEFF}" else { throw .metadataInvalid("the document starts with a byte order mark") }
        let tree: XMLTree
        do {
            tree = try XMLTreeParser.parse(xml)
        } catch {
            throw .metadataInvalid("not well-formed XML: \(error)")
        }
        var entity = tree.root
        var validUntilText: String?
        if tree[entity].namespaceURI == Namespace.metadata && tree[entity].localName == "EntitiesDescriptor" {
            validUntilText = tree.attribute("validUntil", of: entity)
            let idps = tree.childElements(of: entity, namespace: Namespace.metadata, name: "EntityDescriptor").filter {
                tree.firstChild(of: $0, namespace: Namespace.metadata, name: "IDPSSODescriptor") != nil
            }
            guard idps.count == 1 else {
                throw .metadataInvalid("an EntitiesDescriptor must hold exactly one IdP EntityDescriptor, not \(idps.count)")
            }
            entity = idps[0]
        }
        guard tree[entity].namespaceURI == Namespace.metadata && tree[entity].localName == "EntityDescriptor" else {
            throw .metadataInvalid("the root element is {\(tree[entity].namespaceURI)}\(tree[entity].localName), not md:EntityDescriptor")
        }
        guard let entityID = tree.attribute("entityID", of: entity)?.trimmingWhitespace(),
              !entityID.isEmpty
        else { throw .metadataInvalid("EntityDescriptor has no entityID") }
        if let own = tree.attribute("validUntil", of: entity) { validUntilText = own }
        var validUntil: Date?
        if let validUntilText {
            guard let date = CivilTime.parse(validUntilText.trimmingWhitespace()) else {
                throw .metadataInvalid("validUntil \(validUntilText) is not an xs:dateTime")
            }
            validUntil = date
        }

        let descriptors = tree.childElements(of: entity, namespace: Namespace.metadata, name: "IDPSSODescriptor")
        guard !descriptors.isEmpty else { throw .metadataInvalid("no IDPSSODescriptor") }
        var certificates: [SAMLCertificate] = []
        for descriptor in descriptors {
            for keyDescriptor in tree.childElements(of: descriptor, namespace: Namespace.metadata, name: "KeyDescriptor") {
                let use = tree.attribute("use", of: keyDescriptor)
                guard use == nil || use == "signing" else { continue }
                guard let keyInfo = tree.firstChild(of: keyDescriptor, namespace: Namespace.dsig, name: "KeyInfo") else {
                    throw .metadataInvalid("KeyDescriptor without ds:KeyInfo")
                }
                for data in tree.childElements(of: keyInfo, namespace: Namespace.dsig, name: "X509Data") {
                    for element in tree.childElements(of: data, namespace: Namespace.dsig, name: "X509Certificate") {
                        guard let der = Base64.decode(tree.textContent(of: element)),
                              let certificate = SAMLCertificate(der: der)
                        else { throw .metadataInvalid("an X509Certificate is not a base64 DER certificate") }
                        guard certificate.isRSA, certificate.keyBits >= minimumKeyBits else {
                            throw .metadataInvalid("the certificate key is not RSA of at least \(minimumKeyBits) bits")
                        }
                        if !certificates.contains(certificate) { certificates.append(certificate) }
                    }
                }
            }
        }
        guard !certificates.isEmpty else { throw .metadataInvalid("no signing certificate in IDPSSODescriptor") }
        return SAMLMetadata(entityID: entityID, signingCertificates: certificates, validUntil: validUntil)
    }
}
