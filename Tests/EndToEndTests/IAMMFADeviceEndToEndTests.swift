import Foundation
import JSON
import Testing

/// Virtual MFA devices with real TOTP codes, computed by Python's standard library.
@Suite("IAM MFA devices, end to end")
struct IAMMFADeviceEndToEndTests {
    static let account = "000000000000"

    @Test("a virtual device is created with a seed and a QR code PNG, enabled with two codes, deactivated and deleted")
    func lifecycle() throws {
        let server = try GatehouseProcess()
        let directory = try IAMTestMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try server.aws(["iam", "create-user", "--user-name", "alice"])
        let serial = "arn:aws:iam::\(Self.account):mfa/team/phone"
        let seedFile = directory.appendingPathComponent("seed.txt")
        let created = try server.aws([
            "iam", "create-virtual-mfa-device", "--virtual-mfa-device-name", "phone", "--path", "/team/",
            "--outfile", seedFile.path, "--bootstrap-method", "Base32StringSeed", "--tags", "Key=owner,Value=alice",
        ])
        #expect(created.succeeded, "\(created.stderr)")
        #expect(created.json?["VirtualMFADevice"]?["SerialNumber"]?.stringValue == serial)
        let seed = try String(contentsOf: seedFile, encoding: .utf8)
        #expect(seed.count == 64)
        #expect(seed.allSatisfy { "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".contains($0) })

        let pngFile = directory.appendingPathComponent("qr.png")
        _ = try server.aws([
            "iam", "create-virtual-mfa-device", "--virtual-mfa-device-name", "spare", "--outfile", pngFile.path,
            "--bootstrap-method", "QRCodePNG",
        ])
        let png = try Data(contentsOf: pngFile)
        #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])

        let duplicate = try server.aws([
            "iam", "create-virtual-mfa-device", "--virtual-mfa-device-name", "phone", "--path", "/team/",
            "--outfile", directory.appendingPathComponent("x").path, "--bootstrap-method", "QRCodePNG",
        ])
        #expect(duplicate.errorCode == "EntityAlreadyExists")
        #expect(duplicate.stderr.contains("MFA device already exists."))

        let unassigned = try server.aws(["iam", "list-virtual-mfa-devices", "--assignment-status", "Unassigned"])
        #expect(unassigned.json?["VirtualMFADevices"]?.arrayValue?.count == 2)

        let badCodes = try server.aws([
            "iam", "enable-mfa-device", "--user-name", "alice", "--serial-number", serial, "--authentication-code1", "123456",
            "--authentication-code2", "654321",
        ])
        #expect(badCodes.errorCode == "InvalidAuthenticationCode")
        #expect(badCodes.stderr.contains("Authentication code for device is not valid."))

        let (first, second) = try IAMTestMaterial.totpCodes(seed: seed)
        let enabled = try server.aws([
            "iam", "enable-mfa-device", "--user-name", "alice", "--serial-number", serial, "--authentication-code1", first,
            "--authentication-code2", second,
        ])
        #expect(enabled.succeeded, "\(enabled.stderr)")
        let inUse = try server.aws([
            "iam", "enable-mfa-device", "--user-name", "alice", "--serial-number", serial, "--authentication-code1", first,
            "--authentication-code2", second,
        ])
        #expect(inUse.errorCode == "EntityAlreadyExists")
        #expect(inUse.stderr.contains("MFA Device is already in use."))

        let devices = try server.aws(["iam", "list-mfa-devices", "--user-name", "alice"]).json?["MFADevices"]?.arrayValue
        #expect(devices?.first?["SerialNumber"]?.stringValue == serial)
        #expect(devices?.first?["UserName"]?.stringValue == "alice")
        let assigned = try server.aws(["iam", "list-virtual-mfa-devices", "--assignment-status", "Assigned"])
        #expect(assigned.json?["VirtualMFADevices"]?.arrayValue?.first?["User"]?["UserName"]?.stringValue == "alice")
        let tags = try server.aws(["iam", "list-mfa-device-tags", "--serial-number", serial])
        #expect(tags.json?["Tags"]?.arrayValue?.first?["Key"]?.stringValue == "owner")

        #expect(try server.aws(["iam", "delete-user", "--user-name", "alice"]).errorCode == "DeleteConflict")
        #expect(try server.aws(["iam", "delete-virtual-mfa-device", "--serial-number", serial]).errorCode == "DeleteConflict")
        #expect(try server.aws(["iam", "deactivate-mfa-device", "--user-name", "alice", "--serial-number", serial]).succeeded)
        #expect(try server.aws(["iam", "delete-virtual-mfa-device", "--serial-number", serial]).succeeded)
        let gone = try server.aws(["iam", "delete-virtual-mfa-device", "--serial-number", serial])
        #expect(gone.errorCode == "NoSuchEntity")
        #expect(gone.stderr.contains("MFA Device with serial number \(serial) does not exist."))
        #expect(try server.aws(["iam", "delete-user", "--user-name", "alice"]).succeeded)
    }

    @Test("enable and deactivate name a missing user or device as AWS does")
    func errors() throws {
        let server = try GatehouseProcess()
        let serial = "arn:aws:iam::\(Self.account):mfa/nonexistent-mfa"
        let noUser = try server.aws([
            "iam", "enable-mfa-device", "--user-name", "nonexistent-user", "--serial-number", serial,
            "--authentication-code1", "123456", "--authentication-code2", "654321",
        ])
        #expect(noUser.errorCode == "NoSuchEntity")
        #expect(noUser.stderr.contains("The user with name nonexistent-user cannot be found."))
        _ = try server.aws(["iam", "create-user", "--user-name", "bob"])
        let noDevice = try server.aws(["iam", "deactivate-mfa-device", "--user-name", "bob", "--serial-number", serial])
        #expect(noDevice.errorCode == "NoSuchEntity")
        #expect(noDevice.stderr.contains("MFA Device with serial number \(serial) does not exist."))
    }
}
