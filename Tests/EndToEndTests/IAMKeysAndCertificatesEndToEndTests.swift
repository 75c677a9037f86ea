import Foundation
import JSON
import Testing

/// SSH public keys, signing certificates and server certificates, with keys and
/// certificates made by ssh-keygen and openssl.
@Suite("IAM SSH keys and certificates, end to end")
struct IAMKeysAndCertificatesEndToEndTests {
    @Test("an SSH key is uploaded with its MD5 fingerprint, read as OpenSSH and PEM, deactivated and deleted")
    func sshKeys() throws {
        let server = try GatehouseProcess()
        let directory = try IAMTestMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let key = try IAMTestMaterial.sshKey(in: directory)
        _ = try server.aws(["iam", "create-user", "--user-name", "dev"])
        let uploaded = try server.aws(["iam", "upload-ssh-public-key", "--user-name", "dev", "--ssh-public-key-body", "file://" + key.publicKey.path])
        #expect(uploaded.succeeded, "\(uploaded.stderr)")
        let id = try #require(uploaded.json?["SSHPublicKey"]?["SSHPublicKeyId"]?.stringValue)
        #expect(id.hasPrefix("APKA"))
        #expect(uploaded.json?["SSHPublicKey"]?["Fingerprint"]?.stringValue == key.fingerprint)
        #expect(uploaded.json?["SSHPublicKey"]?["Status"]?.stringValue == "Active")

        let duplicate = try server.aws(["iam", "upload-ssh-public-key", "--user-name", "dev", "--ssh-public-key-body", "file://" + key.publicKey.path])
        #expect(duplicate.errorCode == "DuplicateSSHPublicKey")
        #expect(try server.aws(["iam", "upload-ssh-public-key", "--user-name", "dev", "--ssh-public-key-body", "not a key"]).errorCode
            == "UnrecognizedPublicKeyEncoding")

        let pem = try server.aws(["iam", "get-ssh-public-key", "--user-name", "dev", "--ssh-public-key-id", id, "--encoding", "PEM"])
        let expectedPEM = try IAMTestMaterial.tool("ssh-keygen", ["-e", "-m", "PEM", "-f", key.publicKey.path]).stdout
        #expect(pem.json?["SSHPublicKey"]?["SSHPublicKeyBody"]?.stringValue?.trimmingCharacters(in: .whitespacesAndNewlines)
            == expectedPEM.trimmingCharacters(in: .whitespacesAndNewlines))

        let listed = try server.aws(["iam", "list-ssh-public-keys", "--user-name", "dev"]).json?["SSHPublicKeys"]?.arrayValue
        #expect(listed?.count == 1)
        #expect(listed?.first?["Fingerprint"] == nil)

        #expect(try server.aws(["iam", "delete-user", "--user-name", "dev"]).stderr.contains("must remove referenced objects first."))
        #expect(try server.aws(["iam", "update-ssh-public-key", "--user-name", "dev", "--ssh-public-key-id", id, "--status", "Inactive"]).succeeded)
        let read = try server.aws(["iam", "get-ssh-public-key", "--user-name", "dev", "--ssh-public-key-id", id, "--encoding", "SSH"])
        #expect(read.json?["SSHPublicKey"]?["Status"]?.stringValue == "Inactive")
        #expect(try server.aws(["iam", "delete-ssh-public-key", "--user-name", "dev", "--ssh-public-key-id", id]).succeeded)
        let missing = try server.aws(["iam", "delete-ssh-public-key", "--user-name", "dev", "--ssh-public-key-id", id])
        #expect(missing.errorCode == "NoSuchEntity")
        #expect(missing.stderr.contains("The Public Key with id \(id) cannot be found."))
    }

    @Test("signing certificates must be PEM X.509, two per user")
    func signingCertificates() throws {
        let server = try GatehouseProcess()
        let directory = try IAMTestMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try server.aws(["iam", "create-user", "--user-name", "signer"])
        let malformed = try server.aws(["iam", "upload-signing-certificate", "--user-name", "signer", "--certificate-body", "invalid-certificate-body"])
        #expect(malformed.errorCode == "MalformedCertificate")
        #expect(malformed.stderr.contains("Certificate invalid-certificate-body is malformed."))
        let noUser = try server.aws(["iam", "upload-signing-certificate", "--user-name", "nonexistent-user", "--certificate-body", "x"])
        #expect(noUser.stderr.contains("The user with name nonexistent-user cannot be found."))

        var ids: [String] = []
        for index in 0..<2 {
            let certificate = try IAMTestMaterial.certificate(in: directory, name: "c\(index)").certificate
            let uploaded = try server.aws([
                "iam", "upload-signing-certificate", "--user-name", "signer", "--certificate-body", "file://" + certificate.path,
            ])
            #expect(uploaded.succeeded, "\(uploaded.stderr)")
            #expect(uploaded.json?["Certificate"]?["Status"]?.stringValue == "Active")
            ids.append(try #require(uploaded.json?["Certificate"]?["CertificateId"]?.stringValue))
        }
        let third = try IAMTestMaterial.certificate(in: directory, name: "c2").certificate
        let over = try server.aws(["iam", "upload-signing-certificate", "--user-name", "signer", "--certificate-body", "file://" + third.path])
        #expect(over.errorCode == "LimitExceeded")
        #expect(over.stderr.contains("Cannot exceed quota for CertificatesPerUser: 2"))

        #expect(try server.aws([
            "iam", "update-signing-certificate", "--user-name", "signer", "--certificate-id", ids[0], "--status", "Inactive",
        ]).succeeded)
        let listed = try server.aws(["iam", "list-signing-certificates", "--user-name", "signer"]).json?["Certificates"]?.arrayValue
        #expect(listed?.map { $0["Status"]?.stringValue } == ["Inactive", "Active"])
        #expect(try server.aws(["iam", "delete-user", "--user-name", "signer"]).stderr.contains("must delete certificates first."))
        let missing = try server.aws([
            "iam", "delete-signing-certificate", "--user-name", "signer", "--certificate-id", "NONEXISTENTCERTID12345678901",
        ])
        #expect(missing.stderr.contains("The Certificate with id NONEXISTENTCERTID12345678901 cannot be found."))
    }

    @Test("a server certificate keeps its expiry, needs its own private key, and is renamed, tagged and deleted")
    func serverCertificates() throws {
        let server = try GatehouseProcess()
        let directory = try IAMTestMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let pair = try IAMTestMaterial.certificate(in: directory, name: "web", days: 90)
        let other = try IAMTestMaterial.certificate(in: directory, name: "other")
        let mismatch = try server.aws([
            "iam", "upload-server-certificate", "--server-certificate-name", "web", "--certificate-body", "file://" + pair.certificate.path,
            "--private-key", "file://" + other.key.path,
        ])
        #expect(mismatch.errorCode == "KeyPairMismatch")

        let uploaded = try server.aws([
            "iam", "upload-server-certificate", "--server-certificate-name", "web", "--path", "/cloudfront/",
            "--certificate-body", "file://" + pair.certificate.path, "--private-key", "file://" + pair.key.path,
            "--tags", "Key=env,Value=test",
        ])
        #expect(uploaded.succeeded, "\(uploaded.stderr)")
        let metadata = uploaded.json?["ServerCertificateMetadata"]
        #expect(metadata?["Arn"]?.stringValue == "arn:aws:iam::000000000000:server-certificate/cloudfront/web")
        #expect(metadata?["ServerCertificateId"]?.stringValue?.hasPrefix("ASCA") == true)
        let expiry = try IAMTestMaterial.expiry(of: pair.certificate)
        #expect(metadata?["Expiration"]?.stringValue?.hasPrefix(expiry) == true, "\(String(describing: metadata)) vs \(expiry)")

        let duplicate = try server.aws([
            "iam", "upload-server-certificate", "--server-certificate-name", "web", "--certificate-body", "file://" + pair.certificate.path,
            "--private-key", "file://" + pair.key.path,
        ])
        #expect(duplicate.errorCode == "EntityAlreadyExists")
        #expect(duplicate.stderr.contains("The Server Certificate with name web already exists."))

        let fetched = try server.aws(["iam", "get-server-certificate", "--server-certificate-name", "web"]).json?["ServerCertificate"]
        #expect(fetched?["CertificateBody"]?.stringValue?.contains("BEGIN CERTIFICATE") == true)
        #expect(fetched?["Tags"]?.arrayValue?.count == 1)

        #expect(try server.aws(["iam", "update-server-certificate", "--server-certificate-name", "web", "--new-server-certificate-name", "www"]).succeeded)
        #expect(try server.aws(["iam", "list-server-certificates", "--path-prefix", "/cloudfront/"]).json?["ServerCertificateMetadataList"]?
            .arrayValue?.first?["ServerCertificateName"]?.stringValue == "www")
        #expect(try server.aws(["iam", "delete-server-certificate", "--server-certificate-name", "www"]).succeeded)
        let missing = try server.aws(["iam", "get-server-certificate", "--server-certificate-name", "www"])
        #expect(missing.errorCode == "NoSuchEntity")
        #expect(missing.stderr.contains("The Server Certificate with name www cannot be found."))
    }
}
