import Hashing
import JSON

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The digest a registry names a manifest by: the sha256 of its bytes, except
/// for a signed Docker schema 1 manifest (`…manifest.v1+prettyjws`), whose digest
/// is that of its JWS payload — the manifest without its `signatures` — as
/// docker/distribution computes it (`manifest/schema1`, `SignedManifest.Canonical`)
/// and as Docker and containers/image clients check a pull by digest.
public enum ManifestDigest {
    public static func of(_ bytes: [UInt8]) -> String {
        "sha256:" + Hex.encode(SHA256.hash(signedPayload(bytes) ?? bytes))
    }

    /// The payload a signed schema 1 manifest's signatures cover (libtrust's
    /// "pretty" JWS: the first `formatLength` bytes, then the decoded
    /// `formatTail`, both from the protected header); nil for anything else.
    public static func signedPayload(_ bytes: [UInt8]) -> [UInt8]? {
        guard let json = try? JSONParser.parse(bytes), json["schemaVersion"] == .number(JSONNumber(1)),
            let protected = json["signatures"]?.arrayValue?.first?["protected"]?.stringValue,
            let header = base64URL(protected), let fields = try? JSONParser.parse(header),
            case .number(let number)? = fields["formatLength"], let length = number.int64, length >= 0, length <= bytes.count,
            let tail = fields["formatTail"]?.stringValue.flatMap(base64URL)
        else { return nil }
        return Array(bytes[0..<Int(length)]) + tail
    }

    /// Unpadded URL-safe base64, as JWS writes it.
    static func base64URL(_ text: String) -> [UInt8]? {
        var standard = text.replacing("-", with: "+").replacing("_", with: "/")
        standard += String(repeating: "=", count: (4 - standard.count % 4) % 4)
        return Data(base64Encoded: standard).map(Array.init)
    }
}
