import Foundation
import JSON

/// Keys, certificates and TOTP codes made by independent tools (openssl,
/// ssh-keygen, Python's standard library), so tests check Gatehouse against
/// implementations other than its own.
enum IAMTestMaterial {
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-iam-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func tool(_ name: String, _ arguments: [String]) throws -> GatehouseProcess.Result {
        let result = try GatehouseProcess.run(name, arguments, environment: ProcessInfo.processInfo.environment)
        guard result.succeeded else { throw ToolFailure(description: "\(name) failed: \(result.stderr)") }
        return result
    }

    struct ToolFailure: Error, CustomStringConvertible {
        let description: String
    }

    /// A self-signed certificate valid for `days` and its private key (PEM files).
    static func certificate(in directory: URL, name: String = "cert", days: Int = 30) throws -> (certificate: URL, key: URL) {
        let certificate = directory.appendingPathComponent("\(name).pem")
        let key = directory.appendingPathComponent("\(name)-key.pem")
        _ = try tool("openssl", [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.path, "-out", certificate.path, "-days", String(days),
            "-subj", "/CN=\(name)",
        ])
        return (certificate, key)
    }

    /// SAML 2.0 IdP metadata (as CreateSAMLProvider takes it) around a fresh openssl certificate:
    /// an EntityDescriptor with an IDPSSODescriptor, its signing KeyDescriptor and a SingleSignOnService.
    static func samlMetadata(in directory: URL, validUntil: String = "2034-01-01T00:00:00Z") throws -> String {
        let pem = try String(contentsOf: certificate(in: directory, name: "idp-\(UUID().uuidString)").certificate, encoding: .utf8)
        let base64 = pem.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined(separator: "\n")
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" \
            entityID="https://idp.example.test/saml" validUntil="\(validUntil)">
              <md:IDPSSODescriptor WantAuthnRequestsSigned="false" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
                <md:KeyDescriptor use="signing">
                  <ds:KeyInfo>
                    <ds:X509Data>
                      <ds:X509Certificate>
            \(base64)
                      </ds:X509Certificate>
                    </ds:X509Data>
                  </ds:KeyInfo>
                </md:KeyDescriptor>
                <md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:persistent</md:NameIDFormat>
                <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.test/sso"/>
              </md:IDPSSODescriptor>
            </md:EntityDescriptor>
            """
    }

    /// The certificate's notAfter as `YYYY-MM-DDTHH:MM:SS` (UTC), as openssl reads it.
    static func expiry(of certificate: URL) throws -> String {
        let script = """
            import subprocess, datetime, sys
            out = subprocess.check_output(['openssl', 'x509', '-enddate', '-noout', '-in', sys.argv[1]]).decode().strip()
            when = datetime.datetime.strptime(out.split('=', 1)[1], '%b %d %H:%M:%S %Y GMT')
            print(when.strftime('%Y-%m-%dT%H:%M:%S'))
            """
        return try tool("python3", ["-c", script, certificate.path]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// An RSA SSH key pair; returns the public key file and its MD5 fingerprint (`aa:bb:…`).
    static func sshKey(in directory: URL, name: String = "id") throws -> (publicKey: URL, fingerprint: String) {
        let key = directory.appendingPathComponent(name)
        _ = try tool("ssh-keygen", ["-q", "-t", "rsa", "-b", "2048", "-N", "", "-C", "test", "-f", key.path])
        let line = try tool("ssh-keygen", ["-l", "-E", "md5", "-f", key.path + ".pub"]).stdout
        let fingerprint = line.split(separator: " ")[1].replacingOccurrences(of: "MD5:", with: "")
        return (URL(fileURLWithPath: key.path + ".pub"), fingerprint)
    }

    /// Two consecutive RFC 6238 codes (previous and current step) for a base32 seed.
    static func totpCodes(seed: String) throws -> (String, String) {
        let script = """
            import base64, hashlib, hmac, struct, sys, time
            key = base64.b32decode(sys.argv[1])
            def code(counter):
                digest = hmac.new(key, struct.pack('>Q', counter), hashlib.sha1).digest()
                offset = digest[-1] & 15
                return '%06d' % ((struct.unpack('>I', digest[offset:offset + 4])[0] & 0x7fffffff) % 1000000)
            step = int(time.time()) // 30
            print(code(step - 1), code(step))
            """
        let codes = try tool("python3", ["-c", script, seed]).stdout.split(separator: " ").map {
            $0.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return (codes[0], codes[1])
    }
}

extension JSONValue {
    var intValue: Int? {
        if case .number(let number) = self { return number.int64.map(Int.init) }
        return nil
    }
}
