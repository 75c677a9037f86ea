import Foundation
import SAML

/// The files under Vectors/, written once by make-vectors.py (see its docstring and
/// Vectors/manifest.json for where each one comes from).
enum Vectors {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Vectors")

    /// Every response in the vectors is issued at this instant (manifest.json `_times`).
    static let issueInstant = Date(timeIntervalSince1970: 1_714_564_800)  // 2024-05-01T12:00:00Z
    /// A minute after issuance: inside every vector's validity.
    static let now = issueInstant.addingTimeInterval(60)

    static func data(_ name: String) -> Data {
        let url = directory.appendingPathComponent(name)
        guard let data = try? Data(contentsOf: url) else { fatalError("missing test vector \(url.path)") }
        return data
    }

    static func text(_ name: String) -> String { String(decoding: data(name), as: UTF8.self) }

    /// A response vector as the `SAMLAssertion` parameter carries it: base64 of the document's bytes.
    static func response(_ name: String) -> String { data(name + ".xml").base64EncodedString() }

    static func metadata(_ name: String = "metadata") -> SAMLMetadata {
        do {
            return try SAMLMetadata.parse(text(name + ".xml"))
        } catch {
            fatalError("\(name).xml does not parse: \(error)")
        }
    }

    /// Verifies a response vector against metadata.xml (or another metadata vector).
    static func verify(_ name: String, metadata: String = "metadata", now: Date = now,
                       options: SAMLVerificationOptions = .init()) throws(SAMLError) -> SAMLAssertion {
        try SAMLResponse.verify(base64Response: response(name), metadata: self.metadata(metadata), now: now, options: options)
    }

    /// The error verifying a vector throws, or nil if it verifies.
    static func refusal(_ name: String, metadata: String = "metadata", now: Date = now) -> SAMLError? {
        do {
            _ = try verify(name, metadata: metadata, now: now)
            return nil
        } catch {
            return error
        }
    }
}
