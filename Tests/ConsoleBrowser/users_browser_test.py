#!/usr/bin/env python3
"""IAM users, user groups and account settings in headless Chromium, end
to end, by AWS's visible labels (the helpers of console.py), with the server
and TAP reporting of console_browser_test.py.

    python3 Tests/ConsoleBrowser/users_browser_test.py [--gatehouse .build/debug/gatehouse] [--screenshots docs/images]

Covers: Create user with console access, a custom password and "Attach
policies directly"; the user's page; Create access key (the secret shown
once, its CSV download, the key working with the aws CLI), Deactivate;
Assign MFA device with two TOTP codes computed from "Show secret key", then
the new user's sign-in asking for an MFA code; Create group with a member;
Edit password policy; a read-only user's Create user refused with AWS's
message and nothing created; creating an access key with the keyboard only."""
import argparse
import base64
import glob
import hashlib
import hmac
import os
import struct
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from console_browser_test import HELPERS, ROOT, Server, Tap  # noqa: E402

ACCOUNT = "000000000000"


def totp(secret, at):
    """RFC 6238: HMAC-SHA1 over the 30-second step count, six digits (RFC 4226's dynamic truncation)."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", int(at) // 30), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return "%06d" % ((struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1000000)


def aws_as(server, key_id, secret, *args):
    env = dict(os.environ, AWS_ACCESS_KEY_ID=key_id, AWS_SECRET_ACCESS_KEY=secret, AWS_DEFAULT_REGION="us-east-1")
    env.pop("AWS_SESSION_TOKEN", None)
    return subprocess.run(["aws", "--endpoint-url", server.endpoint, "--output", "json", *args], env=env, capture_output=True, text=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--gatehouse", default=os.path.join(ROOT, ".build", "debug", "gatehouse"))
    parser.add_argument("--screenshots", default=None, help="folder for the README's screenshots")
    args = parser.parse_args()
    if not os.path.isdir(HELPERS):
        print(f"1..0 # SKIP the console helpers are not at {HELPERS}")
        return 0
    sys.path.insert(0, HELPERS)
    from console import Console  # noqa: E402
    from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
    from selenium.webdriver.common.keys import Keys  # noqa: E402

    server = Server(args.gatehouse)
    t = Tap()
    c = Console(server.endpoint)
    downloads = tempfile.mkdtemp(prefix="console-downloads-")
    c.driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": downloads})
    key = {}

    def screenshot(name, height=None):
        if args.screenshots:
            os.makedirs(args.screenshots, exist_ok=True)
            c.driver.execute_script("window.scrollTo(0, 0)")
            if height:
                c.driver.set_window_size(1400, height)
            c.driver.save_screenshot(os.path.join(args.screenshots, name))
            if height:
                c.driver.set_window_size(1400, 1000)

    try:
        server.aws("iam", "create-user", "--user-name", "lab-admin")
        server.aws("iam", "create-login-profile", "--user-name", "lab-admin", "--password", "Lab-admin-Passw0rd!")
        server.aws("iam", "attach-user-policy", "--user-name", "lab-admin", "--policy-arn", "arn:aws:iam::aws:policy/AdministratorAccess")
        server.aws("iam", "create-user", "--user-name", "reader")
        server.aws("iam", "create-login-profile", "--user-name", "reader", "--password", "Reader-Passw0rd!")
        server.aws("iam", "attach-user-policy", "--user-name", "reader", "--policy-arn", "arn:aws:iam::aws:policy/IAMReadOnlyAccess")

        t.step("sign in as lab-admin", lambda: (
            c.sign_in(ACCOUNT, "lab-admin", "Lab-admin-Passw0rd!"), c.see("lab-admin @ 0000-0000-0000")))

        def create_user():
            c.open("/console/iam")
            c.click("Users")
            c.click("Create user")
            c.see("Specify user details")
            c.fill("User name", "console-dev")
            c.check("Provide user access to the AWS Management Console - optional")
            c.choose("Custom password")
            c.fill("Custom password", "Dev-console-Passw0rd!")
            c.check("Users must create a new password at next sign-in - Recommended")
            c.click("Next")
            c.see("Set permissions")
            c.choose("Attach policies directly")
            c.fill("Search policies", "ReadOnlyAccess")
            c.check("ReadOnlyAccess")
            c.click("Next")
            c.see("Review and create")
            c.see("ReadOnlyAccess")
            c.fill("Key", "team")
            c.fill("Value - optional", "platform")
            c.click("Create user")
            c.see("Retrieve password")
            c.see("User created successfully")
            c.click("Show")
            c.see("Dev-console-Passw0rd!")
        t.step("Users > Create user: console access, custom password, Attach policies directly", create_user)

        def listed():
            c.click("Return to users list")
            c.see_column("User name", ["console-dev", "lab-admin", "reader"], exactly=True)
            attached = server.aws("iam", "list-attached-user-policies", "--user-name", "console-dev")["AttachedPolicies"]
            if sorted(p["PolicyName"] for p in attached) != ["IAMUserChangePassword", "ReadOnlyAccess"]:
                raise AssertionError(f"attached: {attached}")
            profile = server.aws("iam", "get-login-profile", "--user-name", "console-dev")["LoginProfile"]
            if not profile.get("PasswordResetRequired"):
                raise AssertionError(f"login profile: {profile}")
        t.step("the Users list shows it; IAM has its policy and a password to reset", listed)

        def create_key():
            c.click("console-dev")
            c.click("Security credentials")
            c.click("Create access key")
            c.choose("Command Line Interface (CLI)")
            c.fill("Description tag value", "laptop")
            c.click("Create access key")
            c.see("Retrieve access keys")
            cells = c.driver.execute_script(
                "return Array.from(document.querySelectorAll('table.list tbody td code')).map(e => e.textContent)")
            key["id"], key["secret"] = cells[0], cells[1]
            c.see(key["secret"])
        t.step("Security credentials > Create access key shows the access key and its secret", create_key)

        def csv_download():
            c.click("Download .csv file")
            path = os.path.join(downloads, "console-dev_accessKeys.csv")
            for _ in range(50):
                if os.path.exists(path):
                    break
                time.sleep(0.1)
            found = glob.glob(os.path.join(downloads, "*"))
            if not os.path.exists(path):
                raise AssertionError(f"no CSV downloaded; found {found}")
            text = open(path, encoding="utf-8").read()
            if text.splitlines() != ["Access key ID,Secret access key", f"{key['id']},{key['secret']}"]:
                raise AssertionError(f"CSV: {text!r}")
        t.step("Download .csv file saves Access key ID,Secret access key", csv_download)

        def key_works():
            out = aws_as(server, key["id"], key["secret"], "sts", "get-caller-identity")
            if out.returncode != 0 or f"user/console-dev" not in out.stdout:
                raise AssertionError(out.stderr or out.stdout)
        t.step("the new key works: aws sts get-caller-identity", key_works)

        def secret_once():
            c.click("Done")
            c.see("Access keys (1)")
            c.see(key["id"])
            c.absent(key["secret"])
            if key["secret"] in c.driver.page_source:
                raise AssertionError("the secret is on the user's page")
        t.step("Done: the user's page lists the key, never its secret", secret_once)

        def deactivate():
            c.click("Deactivate")
            c.see(f"Access key {key['id']} deactivated.")
            c.see("Inactive")
            out = aws_as(server, key["id"], key["secret"], "sts", "get-caller-identity")
            if out.returncode == 0:
                raise AssertionError("the deactivated key still works")
        t.step("Deactivate: the key no longer works", deactivate)

        def assign_mfa():
            c.click("Assign MFA device")
            c.fill("Device name", "dev-phone")
            c.choose("Authenticator app")
            c.click("Next")
            c.see("Set up device")
            if not c.driver.execute_script("const i = document.querySelector('img[alt^=\"QR code\"]'); return i && i.complete && i.naturalWidth > 0"):
                raise AssertionError("the QR code image did not load")
            c.click("Show secret key")
            secret = c.driver.execute_script("return document.querySelector('details.secret[open] code').textContent")
            # Two consecutive codes, away from a step boundary.
            if time.time() % 30 > 25:
                time.sleep(30 - time.time() % 30 + 0.5)
            now = time.time()
            c.fill("MFA code 1", totp(secret, now - 30))
            c.fill("MFA code 2", totp(secret, now))
            c.click("Add MFA")
            c.see("MFA device assigned.")
            c.see("arn:aws:iam::000000000000:mfa/dev-phone")
            screenshot("console-security-credentials.png", height=1450)
        t.step("Assign MFA device: Authenticator app, Show secret key, MFA code 1 and 2, Add MFA", assign_mfa)

        def mfa_sign_in():
            c.open("/console")
            c.click("lab-admin @ 0000-0000-0000")
            c.click("Sign out")
            c.sign_in(ACCOUNT, "console-dev", "Dev-console-Passw0rd!")
            c.see("Multi-factor authentication")
            c._find("field", "MFA code")
        t.step("sign out; console-dev's sign-in asks for an MFA code", mfa_sign_in)

        def create_group():
            c.forget_session()
            c.sign_in(ACCOUNT, "lab-admin", "Lab-admin-Passw0rd!")
            c.see("lab-admin @ 0000-0000-0000")
            c.open("/console/iam")
            c.click("User groups")
            c.click("Create group")
            c.fill("User group name", "Developers")
            c.check("console-dev")
            c.fill("Search policies", "IAMUserChangePassword")
            c.check("IAMUserChangePassword")
            c.click("Create user group")
            c.see("Developers user group created.")
            c.see_column("Group name", ["Developers"])
            c.click("Developers")
            c.see_column("User name", ["console-dev"])
            members = [u["UserName"] for u in server.aws("iam", "get-group", "--group-name", "Developers")["Users"]]
            if members != ["console-dev"]:
                raise AssertionError(f"members: {members}")
        t.step("User groups > Create group with console-dev as a member", create_group)

        def users_list():
            c.click("Users")
            c.see_column("Groups", ["Developers"])
            c.see_column("MFA", ["Virtual"])
            screenshot("console-users.png")
        t.step("the Users list shows console-dev's group and MFA device", users_list)

        def password_policy():
            c.click("Account settings")
            c.see("This AWS account uses the following default password policy:")
            c.click("Edit")
            c.choose("Custom")
            c.fill("Password minimum length", "12")
            c.check("Require at least one number")
            c.check("Turn on password expiration")
            c.fill("Expire passwords in", "90")
            c.check("Allow users to change their own password")
            c.click("Save changes")
            c.see("Password minimum length: 12 characters")
            policy = server.aws("iam", "get-account-password-policy")["PasswordPolicy"]
            if (policy["MinimumPasswordLength"], policy["RequireNumbers"], policy.get("MaxPasswordAge")) != (12, True, 90):
                raise AssertionError(f"policy: {policy}")
        t.step("Account settings > Edit password policy: Custom, length 12, a number, expiry in 90 days", password_policy)

        def keyboard():
            c.open("/console/iam/users/details/console-dev?tab=security_credentials")
            c.see("Access keys (1)")

            def tab_to(text, limit=80):
                for _ in range(limit):
                    ActionChains(c.driver).send_keys(Keys.TAB).perform()
                    focused = c.driver.execute_script(
                        "const e = document.activeElement; return (e.innerText || e.value || '').trim()")
                    if focused == text:
                        return
                raise AssertionError(f'Tab never reached "{text}"')
            tab_to("Create access key")
            ActionChains(c.driver).send_keys(Keys.ENTER).perform()
            c.see("Use case")
            tab_to("Create access key")
            ActionChains(c.driver).send_keys(Keys.ENTER).perform()
            c.see("Retrieve access keys")
            keys = server.aws("iam", "list-access-keys", "--user-name", "console-dev")["AccessKeyMetadata"]
            if len(keys) != 2:
                raise AssertionError(f"keys: {keys}")
        t.step("the keyboard alone creates an access key: Tab to Create access key, Enter, Tab, Enter", keyboard)

        def denied():
            c.open("/console")
            c.click("lab-admin @ 0000-0000-0000")
            c.click("Sign out")
            c.sign_in(ACCOUNT, "reader", "Reader-Passw0rd!")
            c.see("reader @ 0000-0000-0000")
            c.open("/console/iam")
            c.click("Users")
            c.click("Create user")
            c.fill("User name", "not-allowed")
            c.click("Next")
            c.see("Set permissions")
            c.click("Next")
            c.see("Review and create")
            c.click("Create user")
            c.see("User: arn:aws:iam::000000000000:user/reader is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::000000000000:user/not-allowed"
                  " because no identity-based policy allows the iam:CreateUser action")
            names = [u["UserName"] for u in server.aws("iam", "list-users")["Users"]]
            if "not-allowed" in names:
                raise AssertionError("the denied Create user created the user")
        t.step("a read-only user's Create user is refused with AWS's AccessDenied and nothing is created", denied)
    finally:
        c.close()
        server.stop()
    print(f"1..{t.n}")
    print(f"{t.n - t.failed} passed, {t.failed} failed")
    return t.failed


if __name__ == "__main__":
    sys.exit(main())
