import Foundation
import JSON
import Testing

/// Console passwords and the account password policy, driven with the aws CLI.
@Suite("IAM login profiles and password policy, end to end")
struct IAMLoginProfileEndToEndTests {
    @Test("a login profile is created, read, updated and deleted; DeleteUser waits for it")
    func lifecycle() throws {
        let server = try GatehouseProcess()
        _ = try server.aws(["iam", "create-user", "--user-name", "alice"])
        let created = try server.aws([
            "iam", "create-login-profile", "--user-name", "alice", "--password", "Corr3ct-Horse", "--password-reset-required",
        ])
        #expect(created.succeeded, "\(created.stderr)")
        #expect(created.json?["LoginProfile"]?["UserName"]?.stringValue == "alice")
        #expect(created.json?["LoginProfile"]?["PasswordResetRequired"] == .bool(true))
        #expect(created.json?["LoginProfile"]?["CreateDate"] != nil)

        let again = try server.aws(["iam", "create-login-profile", "--user-name", "alice", "--password", "Corr3ct-Horse"])
        #expect(again.errorCode == "EntityAlreadyExists")
        #expect(again.stderr.contains("Login Profile for user alice already exists."))

        let deleteUser = try server.aws(["iam", "delete-user", "--user-name", "alice"])
        #expect(deleteUser.errorCode == "DeleteConflict")
        #expect(deleteUser.stderr.contains("Cannot delete entity, must delete login profile first."))

        #expect(try server.aws(["iam", "update-login-profile", "--user-name", "alice", "--no-password-reset-required"]).succeeded)
        let read = try server.aws(["iam", "get-login-profile", "--user-name", "alice"])
        #expect(read.json?["LoginProfile"]?["PasswordResetRequired"] == .bool(false))

        #expect(try server.aws(["iam", "delete-login-profile", "--user-name", "alice"]).succeeded)
        let missing = try server.aws(["iam", "get-login-profile", "--user-name", "alice"])
        #expect(missing.errorCode == "NoSuchEntity")
        #expect(missing.stderr.contains("Login Profile for User alice cannot be found."))
        #expect(try server.aws(["iam", "delete-user", "--user-name", "alice"]).succeeded)
    }

    @Test("passwords are checked against the account policy, or AWS's default one")
    func passwordPolicy() throws {
        let server = try GatehouseProcess()
        _ = try server.aws(["iam", "create-user", "--user-name", "bob"])
        // Without an account policy, AWS's default one names what is missing (as boto3 showed it).
        let weak = try server.aws(["iam", "create-login-profile", "--user-name", "bob", "--password", "password123"])
        #expect(weak.errorCode == "PasswordPolicyViolation")
        #expect(weak.errorMessage == "Password should meet 1 more of the following requirements: "
            + "Password should have at least one uppercase letter, Password should have at least one symbol")
        let weaker = try server.aws(["iam", "create-login-profile", "--user-name", "bob", "--password", "abcdefghij"])
        #expect(weaker.errorMessage == "Password should meet 2 more of the following requirements: "
            + "Password should have at least one uppercase letter, Password should have at least one number, "
            + "Password should have at least one symbol")
        #expect(try server.aws(["iam", "get-login-profile", "--user-name", "bob"]).errorCode == "NoSuchEntity")

        let missing = try server.aws(["iam", "get-account-password-policy"])
        #expect(missing.errorCode == "NoSuchEntity")
        #expect(missing.stderr.contains("The Password Policy with domain name 000000000000 cannot be found."))

        #expect(try server.aws([
            "iam", "update-account-password-policy", "--minimum-password-length", "14", "--require-symbols",
            "--allow-users-to-change-password", "--password-reuse-prevention", "2",
        ]).succeeded)
        let policy = try server.aws(["iam", "get-account-password-policy"]).json?["PasswordPolicy"]
        #expect(policy?["MinimumPasswordLength"] == .number(JSONNumber(14)))
        #expect(policy?["RequireSymbols"] == .bool(true))
        #expect(policy?["RequireNumbers"] == .bool(false))
        #expect(policy?["ExpirePasswords"] == .bool(false))
        #expect(policy?["PasswordReusePrevention"] == .number(JSONNumber(2)))

        // Long enough for the default policy, too short for this one: refused, and nothing stored.
        let short = try server.aws(["iam", "create-login-profile", "--user-name", "bob", "--password", "Abcdef12!x"])
        #expect(short.errorCode == "PasswordPolicyViolation")
        #expect(short.errorMessage == "Password does not conform to the account password policy.")
        #expect(try server.aws(["iam", "get-login-profile", "--user-name", "bob"]).errorCode == "NoSuchEntity")
        #expect(try server.aws(["iam", "create-login-profile", "--user-name", "bob", "--password", "a-long-pass-phrase!"]).succeeded)

        #expect(try server.aws(["iam", "delete-account-password-policy"]).succeeded)
        let again = try server.aws(["iam", "delete-account-password-policy"])
        #expect(again.errorCode == "NoSuchEntity")
        #expect(again.stderr.contains("The account policy with name PasswordPolicy cannot be found."))
    }
}
