import GatehouseTesting
import Testing

/// What IAM users authenticate with, dispatched in process: access keys,
/// console passwords, SSH public keys, signing certificates,
/// service-specific credentials and virtual MFA devices.
@Suite("User credentials, in process")
struct CredentialsInProcessTests {
    /// Every value of `name` over all the pages of `action`, MaxItems at a time.
    static func allPages(
        _ world: TestWorld, _ action: String, _ parameters: [String: String], maxItems: Int, _ name: String
    ) async throws -> [String] {
        var values: [String] = []
        var marker: String?
        repeat {
            var request = parameters
            request["MaxItems"] = String(maxItems)
            request["Marker"] = marker
            let page = try await world.iam(action, request)
            #expect(page.status == 200, "\(page)")
            values += page.values(name)
            marker = page.value("Marker")
        } while marker != nil
        return values
    }

    // MARK: - Access keys

    @Test("keys created in the same instant are listed in a stable order, page by page, across a deletion")
    func accessKeysPage() async throws {
        let world = try TestWorld()
        #expect(try await world.iam("CreateUser", ["UserName": "dev"]).status == 200)
        // The clock stands still: both keys have the same creation date.
        let first = try #require(try await world.iam("CreateAccessKey", ["UserName": "dev"]).value("AccessKeyId"))
        let second = try #require(try await world.iam("CreateAccessKey", ["UserName": "dev"]).value("AccessKeyId"))
        let all = try await world.iam("ListAccessKeys", ["UserName": "dev"]).values("AccessKeyId")
        #expect(Set(all) == [first, second])
        let page = try await world.iam("ListAccessKeys", ["UserName": "dev", "MaxItems": "1"])
        #expect(page.values("AccessKeyId") == [all[0]])
        #expect(page.values("UserName") == ["dev"])
        #expect(try await world.iam("DeleteAccessKey", ["UserName": "dev", "AccessKeyId": all[0]]).status == 200)
        let rest = try await world.iam("ListAccessKeys", ["UserName": "dev", "MaxItems": "1", "Marker": try #require(page.value("Marker"))])
        #expect(rest.values("AccessKeyId") == [all[1]])
        #expect(rest.value("IsTruncated") == "false")
    }

    @Test("a third key is LimitExceeded and creates nothing; deleting one frees a slot")
    func accessKeyQuota() async throws {
        let world = try TestWorld()
        #expect(try await world.iam("CreateUser", ["UserName": "dev"]).status == 200)
        let first = try #require(try await world.iam("CreateAccessKey", ["UserName": "dev"]).value("AccessKeyId"))
        #expect(try await world.iam("CreateAccessKey", ["UserName": "dev"]).status == 200)
        let third = try await world.iam("CreateAccessKey", ["UserName": "dev"])
        #expect(third.status == 409)
        #expect(third.errorCode == "LimitExceeded")
        #expect(third.errorMessage == "Cannot exceed quota for AccessKeysPerUser: 2")
        #expect(try await world.iam("ListAccessKeys", ["UserName": "dev"]).values("AccessKeyId").count == 2)
        #expect(try await world.iam("DeleteAccessKey", ["UserName": "dev", "AccessKeyId": first]).status == 200)
        #expect(try await world.iam("CreateAccessKey", ["UserName": "dev"]).status == 200)
    }

    @Test("another user's key cannot be managed under the wrong user name; a missing key is NoSuchEntity")
    func accessKeyWrongOwner() async throws {
        let world = try TestWorld()
        let key = try await IAMInProcessTests.user("alice", in: world)
        #expect(try await world.iam("CreateUser", ["UserName": "bob"]).status == 200)
        let wrong = try await world.iam("UpdateAccessKey", ["UserName": "bob", "AccessKeyId": key, "Status": "Inactive"])
        #expect(wrong.status == 404)
        #expect(wrong.errorCode == "NoSuchEntity")
        #expect(wrong.errorMessage == "The Access Key with id \(key) cannot be found.")
        #expect(try await world.iam("ListAccessKeys", ["UserName": "alice"]).value("Status") == "Active")
        let missing = try await world.iam("DeleteAccessKey", ["UserName": "alice", "AccessKeyId": "AKIAIOSFODNN7EXAMPLE"])
        #expect(missing.errorMessage == "The Access Key with id AKIAIOSFODNN7EXAMPLE cannot be found.")
    }

    @Test("a deactivated key stops working on the very next request, and works again once reactivated")
    func inactiveKey() async throws {
        let world = try TestWorld()
        let key = try await IAMInProcessTests.user("dev", in: world)
        #expect(try await world.sts("GetCallerIdentity", as: key).status == 200)
        #expect(try await world.iam("UpdateAccessKey", ["UserName": "dev", "AccessKeyId": key, "Status": "Inactive"]).status == 200)
        #expect(throws: TestWorld.UnknownKey.self) { try world.principal(key) }
        #expect(try await world.iam("UpdateAccessKey", ["UserName": "dev", "AccessKeyId": key, "Status": "Active"]).status == 200)
        #expect(try await world.sts("GetCallerIdentity", as: key).status == 200)
    }

    @Test("a user manages their own keys without naming themselves; GetAccessKeyLastUsed names the owner")
    func ownKeys() async throws {
        let world = try TestWorld()
        let key = try await RequestPathTests.admin("dev", in: world)
        let created = try await world.iam("CreateAccessKey", as: key)
        #expect(created.value("UserName") == "dev")
        #expect(try await world.iam("ListAccessKeys", as: key).values("AccessKeyId").count == 2)
        let lastUsed = try await world.iam("GetAccessKeyLastUsed", ["AccessKeyId": key], as: key)
        #expect(lastUsed.value("UserName") == "dev")
        // The key's own IAM calls, this one included, are its use.
        #expect(lastUsed.value("ServiceName") == "iam")
        let unknown = try await world.iam("GetAccessKeyLastUsed", ["AccessKeyId": "AKIAIOSFODNN7EXAMPLE"], as: key)
        #expect(unknown.status == 403)
        #expect(unknown.errorMessage == "User: arn:aws:iam::000000000000:user/dev is not authorized to perform iam:GetAccessKeyLastUsed on resource: access key AKIAIOSFODNN7EXAMPLE")
        // Root's own keys: listed without a user name.
        #expect(try await world.iam("ListAccessKeys").values("AccessKeyId") == [TestWorld.rootKey])
    }

    // MARK: - Console passwords

    @Test("a user changes their own password with the old one; a wrong old one or a reused one is refused; root cannot")
    func changePassword() async throws {
        let world = try TestWorld()
        let key = try await IAMInProcessTests.user("carol", in: world)
        #expect(try await world.iam("UpdateAccountPasswordPolicy", ["AllowUsersToChangePassword": "true", "PasswordReusePrevention": "3"]).status == 200)
        #expect(try await world.iam("CreateLoginProfile", ["UserName": "carol", "Password": "First-pass-1"]).status == 200)

        // The policy grants it: carol has no policy of her own.
        let wrong = try await world.iam("ChangePassword", ["OldPassword": "not-it", "NewPassword": "Second-pass-2"], as: key)
        #expect(wrong.status == 400)
        #expect(wrong.errorCode == "InvalidInput")
        #expect(wrong.errorMessage == "The old password is not correct.")
        let reused = try await world.iam("ChangePassword", ["OldPassword": "First-pass-1", "NewPassword": "First-pass-1"], as: key)
        #expect(reused.errorCode == "PasswordPolicyViolation")
        let changed = try await world.iam("ChangePassword", ["OldPassword": "First-pass-1", "NewPassword": "Second-pass-2"], as: key)
        #expect(changed.status == 200, "\(changed)")
        let byRoot = try await world.iam("ChangePassword", ["OldPassword": "Second-pass-2", "NewPassword": "Third-pass-3"])
        #expect(byRoot.errorCode == "InvalidUserType")

        // Without the policy's permission, ChangePassword needs iam:ChangePassword.
        #expect(try await world.iam("UpdateAccountPasswordPolicy", ["PasswordReusePrevention": "3"]).status == 200)
        let refused = try await world.iam("ChangePassword", ["OldPassword": "Second-pass-2", "NewPassword": "Fourth-pass-4"], as: key)
        #expect(refused.errorCode == "AccessDenied")
    }

    @Test("a refused CreateLoginProfile creates nothing; the profile's errors read as AWS's")
    func loginProfile() async throws {
        let world = try TestWorld()
        let key = try await IAMInProcessTests.user("intern", in: world)
        let refused = try await world.iam("CreateLoginProfile", ["UserName": "intern", "Password": "Corr3ct-Horse!"], as: key)
        #expect(refused.errorCode == "AccessDenied")
        let missing = try await world.iam("GetLoginProfile", ["UserName": "intern"])
        #expect(missing.status == 404)
        #expect(missing.errorMessage == "Login Profile for User intern cannot be found.")
        #expect(try await world.iam("CreateLoginProfile", ["UserName": "intern", "Password": "Corr3ct-Horse!"]).status == 200)
        let again = try await world.iam("CreateLoginProfile", ["UserName": "intern", "Password": "Corr3ct-Horse!"])
        #expect(again.status == 409)
        #expect(again.errorMessage == "Login Profile for user intern already exists.")
        let weak = try await world.iam("UpdateLoginProfile", ["UserName": "intern", "Password": "abc"])
        #expect(weak.errorCode == "PasswordPolicyViolation")
        #expect(try await world.iam("UpdateLoginProfile", ["UserName": "intern", "PasswordResetRequired": "true"]).status == 200)
        #expect(try await world.iam("GetLoginProfile", ["UserName": "intern"]).value("PasswordResetRequired") == "true")
    }

    // MARK: - SSH keys and signing certificates

    static let sshKeys = [
        "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC1biimPJ5RaF0Y69njo7e8PDj98suHE8TwN4N0jCpQTb+Y56SFiXj5iEMsP5fQpreIFa2o02U1vOVVCAGdbYVkBeeavTytRgQtSQpomBKmefKvHrLnaEg6gcJYFLI3h60Nm/jiuNMp/ooUPgj5Su18RK6C1id7MTrvR0UCm3a8Pc3QzBN9lahWZ4rb7aEZFtlNB6Fsf8GB90mA+Qbt+OdpJJOuO05oghZ+fPrwsfKy5VMJ7zX5vVUkmwMk28uzmYpIVVu4TFeVmedaPmodFrFcno4kKw168BE0jK1rEbWIhEDvrEkfJ/HMMKj9t0I/YHSRuLZ48LSy1q/T2FzegMa3",
        "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQD+Vk83qQ6kquEkIb97tScC34ZkS3YutK/Rg20A9hDbXsuT0l2K0meqsbSpLkDwl1aVrkAPWS0kSgKNL+SoXY5GI0NeyDEo/SlcSbUleTs53roYE0//JA7Ng3hcZUPMOuEG4zuuXlvKccEVuZ2npF08/FTaq2ZvNfBgW6Ff0jLJ7fvHG3IPwGjzYtD6u2dcr04W4/OqMJ4u+3fe4bAmK+l1arJhRYQiEFFMxfHfiS0jYXKWXUMb6IfPRa/38Bl7z17R3FI2vIv04vOtli7Dz11kwKHr+0aOq3gDR5opwic9SDciHFh/ysT7+PGCVmfAF8HU3VEQXnL38rdgAPaCcioP",
    ]

    /// Two self-signed certificates made with `openssl req -x509 -newkey rsa:1024`.
    static let certificates = [
        """
        -----BEGIN CERTIFICATE-----
        MIICADCCAWmgAwIBAgIUTkmV/a7Z8RSuHrYYjnwN/3GsOcowDQYJKoZIhvcNAQEL
        BQAwEjEQMA4GA1UEAwwHc2lnbmVyMTAeFw0yNjEyMDIxNDAwMzNaFw0zNjExMjkx
        NDAwMzNaMBIxEDAOBgNVBAMMB3NpZ25lcjEwgZ8wDQYJKoZIhvcNAQEBBQADgY0A
        MIGJAoGBANgiplm/f8OVvMHJMjO2gUSgXxtkTgH6Hz4NIXdqb6Fya7s9+OoftWut
        fA+ht6PrccmsMKN3BvMbK3EQlmsuuk3tbdUZ/I96k/GDg+updWivEDzYnWsxnTaq
        zGxwzaVYW2TiLUM83tQgSXD8hRjBXtaROo1D8DF9dza/HKHLS5HpAgMBAAGjUzBR
        MB0GA1UdDgQWBBR3duI1xLyM3p/qnJXdeuuyXej59jAfBgNVHSMEGDAWgBR3duI1
        xLyM3p/qnJXdeuuyXej59jAPBgNVHRMBAf8EBTADAQH/MA0GCSqGSIb3DQEBCwUA
        A4GBAHyhDaC26VC3QZZNyWyN7yh0k4Gj04VeBR1a7oO0tPmLoNmTUCiINCBJHRvo
        XMlrhfEVVKr34UTaAeI22GT47Rl/0x9bYgZHzbU/4nZJ5jqlSx6BeQ61ZEePd3UE
        YAhbnICcrP7LFCWh+g4cHQYpehzKzkGHHK0eCQJFi9zjP/vO
        -----END CERTIFICATE-----
        """,
        """
        -----BEGIN CERTIFICATE-----
        MIICADCCAWmgAwIBAgIUBwK2r70BHnKNR7ahHOcYXJHWhIwwDQYJKoZIhvcNAQEL
        BQAwEjEQMA4GA1UEAwwHc2lnbmVyMjAeFw0yNjEyMDIxNDAwMzNaFw0zNjExMjkx
        NDAwMzNaMBIxEDAOBgNVBAMMB3NpZ25lcjIwgZ8wDQYJKoZIhvcNAQEBBQADgY0A
        MIGJAoGBAMHB6Q9O4ApPnLricCXqIiyfFqomPa4d3Fx5+EE0kS/qf/pMv5Hqjzr2
        z1N1cSJ9hof0WN25AsuZ4KzcAigCZ0FSP0m6BFTikSqLB7/5YxPZI6Tz9yp2WzUo
        EfuWwG+pzwP2Dc6CSyZ0ILGIyKH4BKMlnPN9k9XxScp/DjDpm1F9AgMBAAGjUzBR
        MB0GA1UdDgQWBBSiLwaFYlsGeasUI5R+N3k0wfhjXzAfBgNVHSMEGDAWgBSiLwaF
        YlsGeasUI5R+N3k0wfhjXzAPBgNVHRMBAf8EBTADAQH/MA0GCSqGSIb3DQEBCwUA
        A4GBAEoCMEsmgleYy4sWTmepknZCUuQGrYdDAckYGAB5tmODRhNdtW7nwrX91nr8
        YH4oJo/k7Bo9RQvDhyjGheecgwaL6qRq5n+dNu3IyXC4Xo0OcnxcoEpI2GakkqeO
        ThdfB2UQP5hkVWKrIDwW0OH+k4LWle2JWEr7Oon4NXPKHm2+
        -----END CERTIFICATE-----
        """,
    ]

    @Test("SSH public keys and signing certificates page oldest first, one at a time, across a deletion")
    func keysAndCertificatesPage() async throws {
        let world = try TestWorld()
        #expect(try await world.iam("CreateUser", ["UserName": "dev"]).status == 200)
        var keyIds: [String] = []
        for body in Self.sshKeys {
            let uploaded = try await world.iam("UploadSSHPublicKey", ["UserName": "dev", "SSHPublicKeyBody": body])
            keyIds.append(try #require(uploaded.value("SSHPublicKeyId"), "\(uploaded)"))
            world.clock.advance(seconds: 1)
        }
        var certificateIds: [String] = []
        for body in Self.certificates {
            let uploaded = try await world.iam("UploadSigningCertificate", ["UserName": "dev", "CertificateBody": body])
            certificateIds.append(try #require(uploaded.value("CertificateId"), "\(uploaded)"))
            world.clock.advance(seconds: 1)
        }
        #expect(try await Self.allPages(world, "ListSSHPublicKeys", ["UserName": "dev"], maxItems: 1, "SSHPublicKeyId") == keyIds)
        #expect(try await Self.allPages(world, "ListSigningCertificates", ["UserName": "dev"], maxItems: 1, "CertificateId") == certificateIds)

        let firstKey = try await world.iam("ListSSHPublicKeys", ["UserName": "dev", "MaxItems": "1"])
        #expect(try await world.iam("DeleteSSHPublicKey", ["UserName": "dev", "SSHPublicKeyId": keyIds[0]]).status == 200)
        let secondKey = try await world.iam("ListSSHPublicKeys", ["UserName": "dev", "Marker": try #require(firstKey.value("Marker"))])
        #expect(secondKey.values("SSHPublicKeyId") == [keyIds[1]])

        let firstCertificate = try await world.iam("ListSigningCertificates", ["UserName": "dev", "MaxItems": "1"])
        #expect(try await world.iam("DeleteSigningCertificate", ["UserName": "dev", "CertificateId": certificateIds[0]]).status == 200)
        let secondCertificate = try await world.iam(
            "ListSigningCertificates", ["UserName": "dev", "Marker": try #require(firstCertificate.value("Marker"))])
        #expect(secondCertificate.values("CertificateId") == [certificateIds[1]])

        // The same certificate cannot be uploaded twice in the account, to any user.
        #expect(try await world.iam("CreateUser", ["UserName": "other"]).status == 200)
        let duplicate = try await world.iam("UploadSigningCertificate", ["UserName": "other", "CertificateBody": Self.certificates[1]])
        #expect(duplicate.errorCode == "DuplicateCertificate")
        // Root has no certificates of its own: it must name a user.
        let unnamed = try await world.iam("ListSigningCertificates")
        #expect(unnamed.errorCode == "ValidationError")
        #expect(unnamed.errorMessage == "Must specify userName when calling with non-User credentials")
    }

    // MARK: - Service-specific credentials

    @Test("service-specific credentials page oldest first; AllUsers spans the account; a service filters")
    func serviceSpecificCredentialsPage() async throws {
        let world = try TestWorld()
        var ids: [String] = []
        for (user, service) in [("git", "codecommit.amazonaws.com"), ("git", "bedrock.amazonaws.com"), ("cql", "cassandra.amazonaws.com"),
            ("git", "codecommit.amazonaws.com")]
        {
            if try await world.iam("GetUser", ["UserName": user]).status != 200 {
                #expect(try await world.iam("CreateUser", ["UserName": user]).status == 200)
            }
            let created = try await world.iam("CreateServiceSpecificCredential", ["UserName": user, "ServiceName": service])
            ids.append(try #require(created.value("ServiceSpecificCredentialId"), "\(created)"))
            world.clock.advance(seconds: 1)
        }
        let id = "ServiceSpecificCredentialId"
        #expect(try await Self.allPages(world, "ListServiceSpecificCredentials", ["UserName": "git"], maxItems: 1, id) == [ids[0], ids[1], ids[3]])
        #expect(try await Self.allPages(world, "ListServiceSpecificCredentials", ["AllUsers": "true"], maxItems: 2, id) == ids)
        #expect(try await Self.allPages(
            world, "ListServiceSpecificCredentials", ["UserName": "git", "ServiceName": "codecommit.amazonaws.com"], maxItems: 1, id)
            == [ids[0], ids[3]])

        let first = try await world.iam("ListServiceSpecificCredentials", ["AllUsers": "true", "MaxItems": "1"])
        #expect(try await world.iam("DeleteServiceSpecificCredential", ["UserName": "git", "ServiceSpecificCredentialId": ids[0]]).status == 200)
        let rest = try await world.iam("ListServiceSpecificCredentials", ["AllUsers": "true", "Marker": try #require(first.value("Marker"))])
        #expect(rest.values(id) == [ids[1], ids[2], ids[3]])
        #expect(rest.values("UserName") == ["git", "cql", "git"])
    }

    // MARK: - Virtual MFA devices

    @Test("virtual MFA devices list by serial number ignoring case, page by page across a deletion, and carry their tags")
    func virtualDevicesPage() async throws {
        let world = try TestWorld()
        for name in ["b", "A", "c", "D"] {
            let created = try await world.iam("CreateVirtualMFADevice", ["VirtualMFADeviceName": name])
            #expect(created.status == 200, "\(created)")
        }
        let serial = { (name: String) in "arn:aws:iam::000000000000:mfa/\(name)" }
        let first = try await world.iam("ListVirtualMFADevices", ["MaxItems": "2"])
        #expect(first.values("SerialNumber") == [serial("A"), serial("b")])
        #expect(try await world.iam("DeleteVirtualMFADevice", ["SerialNumber": serial("A")]).status == 200)
        let second = try await world.iam("ListVirtualMFADevices", ["Marker": try #require(first.value("Marker"))])
        #expect(second.values("SerialNumber") == [serial("c"), serial("D")])
        #expect(try await world.iam("ListVirtualMFADevices", ["AssignmentStatus": "Assigned"]).values("SerialNumber").isEmpty)
        #expect(try await world.iam("ListVirtualMFADevices", ["AssignmentStatus": "Unassigned"]).values("SerialNumber").count == 3)

        let tagged = try await world.iam("TagMFADevice", ["SerialNumber": serial("b"), "Tags.member.1.Key": "owner", "Tags.member.1.Value": "alice"])
        #expect(tagged.status == 200, "\(tagged)")
        #expect(try await world.iam("ListMFADeviceTags", ["SerialNumber": serial("b")]).values("Key") == ["owner"])
        #expect(try await world.iam("UntagMFADevice", ["SerialNumber": serial("b"), "TagKeys.member.1": "OWNER"]).status == 200)
        #expect(try await world.iam("ListMFADeviceTags", ["SerialNumber": serial("b")]).values("Key").isEmpty)
        let missing = try await world.iam("ListMFADeviceTags", ["SerialNumber": serial("A")])
        #expect(missing.status == 404)
        #expect(missing.errorMessage == "MFA Device with serial number \(serial("A")) does not exist.")
        // No user has a device: the caller's list is empty.
        #expect(try await world.iam("ListMFADevices").values("SerialNumber").isEmpty)
    }
}
