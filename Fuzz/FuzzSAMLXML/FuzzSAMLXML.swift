// The SAML XML parser on arbitrary bytes, through the library's public
// entry points: response verification (the raw bytes, as AssumeRoleWithSAML
// hands them over after base64), metadata parsing, and canonicalization with
// each of the four methods. Never a crash, trap or hang; and canonical XML is
// a fixed point: what canonicalizes, canonicalizes again to the same text.
import Foundation
import FuzzSupport
import SAML

private let metadata = SAMLMetadata(entityID: "https://idp.example.com/metadata", signingCertificates: [])
private let now = Date(timeIntervalSince1970: 1_714_564_860)
private let methods: [CanonicalizationMethod] = [
    .inclusive(withComments: false), .inclusive(withComments: true),
    .exclusive(withComments: false, inclusivePrefixes: []), .exclusive(withComments: true, inclusivePrefixes: ["#default", "saml"]),
]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSAMLXML(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = Fuzz.bytes(data, size)
    _ = try? SAMLResponse.verify(xml: bytes, metadata: metadata, now: now)
    guard let text = String(validating: bytes, as: UTF8.self) else { return 0 }
    _ = try? SAMLMetadata.parse(text)
    for method in methods {
        guard let canonical = try? XMLCanonicalization.canonicalize(text, method: method) else { continue }
        let again: String
        do {
            again = try XMLCanonicalization.canonicalize(canonical, method: method)
        } catch {
            Fuzz.require(false, "canonical output does not parse (\(method)): \(error): \(canonical)")
            return 0
        }
        Fuzz.require(again.utf8.elementsEqual(canonical.utf8), "canonicalization is not idempotent (\(method)): \(canonical) → \(again)")
        _ = try? XMLCanonicalization.canonicalize(
            text, method: method, subtree: ("urn:oasis:names:tc:SAML:2.0:assertion", "Assertion"))
    }
    return 0
}

@main
struct FuzzSAMLXMLMain {
    static func main() {
        Fuzz.run(fuzzSAMLXML)
    }
}
