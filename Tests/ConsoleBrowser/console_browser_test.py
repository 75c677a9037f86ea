#!/usr/bin/env python3
"""The web console in headless Chromium, end to end: starts the built
gatehouse binary on a fresh data directory and drives /console by AWS's
visible labels (the helpers of ../shared/acceptance/console/console.py), the
way a learner following a workshop does. Each check prints a TAP line; the
exit status is the number of failures.

    python3 Tests/ConsoleBrowser/console_browser_test.py [--gatehouse .build/debug/gatehouse] [--screenshots docs]

Covers: sign-in (wrong password, right one), the policy editor (visual, the
JSON editor's error with its position, Access Analyzer's findings in tabs,
Visual to JSON), Create policy, the
role wizard for EC2, the role page's tabs, a denied click that changes
nothing, markup in names and descriptions rendered as text, keyboard-only
use of the editor, sign-out ending the session on the server."""
import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
HELPERS = os.path.abspath(os.path.join(ROOT, "..", "shared", "acceptance", "console"))
ACCOUNT = "000000000000"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, binary):
        self.dir = tempfile.mkdtemp(prefix="gatehouse-console-")
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.log = open(os.path.join(self.dir, "server.log"), "w")
        self.process = subprocess.Popen(
            [binary, "serve", "--host", "127.0.0.1", "--port", str(self.port), "--data-dir", os.path.join(self.dir, "data")],
            stdout=self.log, stderr=subprocess.STDOUT)
        for _ in range(200):
            try:
                urllib.request.urlopen(self.endpoint + "/_gatehouse/health", timeout=1)
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("gatehouse did not start")

    def aws(self, *args):
        env = dict(os.environ, AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test", AWS_DEFAULT_REGION="us-east-1")
        out = subprocess.run(["aws", "--endpoint-url", self.endpoint, "--output", "json", *args],
                             env=env, capture_output=True, text=True)
        if out.returncode != 0:
            raise RuntimeError(out.stderr.strip())
        return json.loads(out.stdout) if out.stdout.strip() else {}

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def step(self, name, action):
        self.n += 1
        try:
            action()
            print(f"ok {self.n} - {name}", flush=True)
            return True
        except Exception as e:  # a failed step reports and the run goes on
            self.failed += 1
            print(f"not ok {self.n} - {name}", flush=True)
            for line in str(e).strip().splitlines()[:8]:
                print(f"#   {line}", flush=True)
            return False


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
    from flows import create_policy_steps, create_role_steps  # noqa: E402

    server = Server(args.gatehouse)
    t = Tap()
    c = Console(server.endpoint)
    try:
        server.aws("iam", "create-user", "--user-name", "lab-student")
        server.aws("iam", "create-login-profile", "--user-name", "lab-student", "--password", "Lab-student-Passw0rd!")
        server.aws("iam", "attach-user-policy", "--user-name", "lab-student", "--policy-arn", "arn:aws:iam::aws:policy/AdministratorAccess")
        server.aws("iam", "create-user", "--user-name", "reader")
        server.aws("iam", "create-login-profile", "--user-name", "reader", "--password", "Reader-Passw0rd!")
        server.aws("iam", "attach-user-policy", "--user-name", "reader", "--policy-arn", "arn:aws:iam::aws:policy/IAMReadOnlyAccess")
        trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
        server.aws("iam", "create-role", "--role-name", "web+app@team", "--assume-role-policy-document", json.dumps(trust))
        server.aws("iam", "create-role", "--role-name", "Marked", "--description", "<script>window.xss=1</script>",
                   "--assume-role-policy-document", json.dumps(trust))
        marked = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
                  "Condition": {"StringEquals": {"aws:username": "<img src=x onerror=window.xss=2>"}}}]}
        server.aws("iam", "create-policy", "--policy-name", "MarkedPolicy", "--description", "<b>bold</b>",
                   "--policy-document", json.dumps(marked))

        t.step("a wrong password is refused with AWS's message", lambda: (
            c.sign_in(ACCOUNT, "lab-student", "wrong"), c.see("Your authentication information is incorrect. Please try again.")))
        t.step("sign in as lab-student; the account menu reads lab-student @ 0000-0000-0000", lambda: (
            c.sign_in(ACCOUNT, "lab-student", "Lab-student-Passw0rd!"), c.see("Console Home"), c.see("lab-student @ 0000-0000-0000")))

        def editor_screenshot():
            c.driver.execute_script("window.scrollTo(0, 0)")
            c.driver.save_screenshot(os.path.join(args.screenshots, "console-policy-editor.png")) if args.screenshots else None

        steps = create_policy_steps(
            c, "Elastic Container Registry", {"List": ["DescribeImages", "ListImages"], "Read": ["BatchGetImage", "GetAuthorizationToken"]},
            [("repository", "Any in this account")], "ConsoleReadECR", "Read ECR from the console")
        # Before "Next": the editor as the README shows it.
        steps.insert(5, ("screenshot of the visual editor", editor_screenshot))
        for name, action in steps:
            t.step("Create policy: " + name, action)
        t.step("the policy holds the visual editor's statements", lambda: check_policy(server))

        def json_error():
            c.open("/console/iam/policies/create")
            c.click("JSON")
            c.fill("Policy editor", '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {"Effect": "Allow" "Action": "s3:*"}\n  ]\n}')
            c.click("Next")
            c.see("Ln 4")
        t.step("the JSON editor shows a syntax error with its line before Next", json_error)

        def validation_tabs():
            # Access Analyzer's findings under the JSON editor, re-checked as the text changes.
            c.open("/console/iam/policies/create")
            c.click("JSON")
            c.fill("Policy editor", json.dumps({"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": ["ecr:*", "iam:PassRole"], "Resource": "*"},
                {"Effect": "Allow", "Action": "s3:GetObjects", "Resource": "*"}]}, indent=4))
            c.see("Security: 1")
            c.see("Pass Role With Star In Resource: Using the iam:PassRole action with wildcards (*) in the resource")
            c.click("Errors: 1")
            c.see("Invalid Action: The action s3:GetObjects does not exist.")
            c.see("Ln 14, Col 23")
            if args.screenshots:
                c.driver.save_screenshot(os.path.join(args.screenshots, "console-policy-validation.png"))
            c.see("Warnings: 0")
            c.see("Suggestions: 0")
        t.step("the JSON editor shows Access Analyzer's findings in Security / Errors / Warnings / Suggestions tabs", validation_tabs)

        def role_wizard_screenshot():
            c.driver.save_screenshot(os.path.join(args.screenshots, "console-role-wizard.png")) if args.screenshots else None
        role_steps = create_role_steps(c, "ConsoleRole", ["ConsoleReadECR"], "Made in the console")
        role_steps.insert(5, ("screenshot of the role wizard", role_wizard_screenshot))
        for name, action in role_steps:
            t.step("Create role: " + name, action)
        t.step("the role has its policy and an instance profile", lambda: check_role(server))
        t.step("role page tabs: Permissions lists the policy, Trust relationships the service", lambda: (
            c.open("/console/iam/roles"), c.click("ConsoleRole"), c.click("Permissions"), c.see("ConsoleReadECR"),
            c.click("Trust relationships"), c.see("ec2.amazonaws.com")))
        t.step("a role whose name holds + and @ opens from the Roles list, tabs included", lambda: (
            c.open("/console/iam/roles"), c.click("web+app@team"), c.click("Trust relationships"), c.see("ec2.amazonaws.com")))
        t.step("a description with markup renders as text and runs nothing", lambda: (
            c.open("/console/iam/roles/details/Marked"), c.see("<script>window.xss=1</script>"), no_script_ran(c)))

        t.step("a policy JSON full of markup renders as text on its page, in the summary and as JSON", lambda: (
            c.open(f"/console/iam/policies/details?arn=arn%3Aaws%3Aiam%3A%3A{ACCOUNT}%3Apolicy%2FMarkedPolicy"), c.see("<b>bold</b>"),
            c.see("aws:username"), c.click("JSON"), c.see("<img src=x onerror=window.xss=2>"), no_script_ran(c)))

        def generated_policy():
            # A role's session makes calls; the role's page generates the policy they needed.
            trust_account = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                                                                     "Action": "sts:AssumeRole"}]}
            server.aws("iam", "create-role", "--role-name", "AppRole", "--assume-role-policy-document", json.dumps(trust_account))
            server.aws("iam", "attach-role-policy", "--role-name", "AppRole", "--policy-arn", "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly")
            # Roles are assumed by IAM principals, not the root user: lab-student's key.
            key = server.aws("iam", "create-access-key", "--user-name", "lab-student")["AccessKey"]

            def aws_as(access_key, secret, token, *call):
                env = dict(os.environ, AWS_ACCESS_KEY_ID=access_key, AWS_SECRET_ACCESS_KEY=secret, AWS_DEFAULT_REGION="us-east-1")
                if token:
                    env["AWS_SESSION_TOKEN"] = token
                done = subprocess.run(["aws", "--endpoint-url", server.endpoint, "--output", "json", *call], env=env, capture_output=True, text=True)
                if done.returncode != 0:
                    raise RuntimeError(done.stderr)
                return json.loads(done.stdout) if done.stdout.strip() else {}
            creds = aws_as(key["AccessKeyId"], key["SecretAccessKey"], None, "sts", "assume-role", "--role-arn",
                           f"arn:aws:iam::{ACCOUNT}:role/AppRole", "--role-session-name", "ci")["Credentials"]
            aws_as(creds["AccessKeyId"], creds["SecretAccessKey"], creds["SessionToken"], "ecr", "describe-repositories")
            c.open("/console/iam/roles")
            c.click("AppRole")
            c.click("Permissions")
            c.see("Generate policy based on CloudTrail events")
            c.click("Generate policy")
            c.see("Generated policy")
            c.see('"ecr:DescribeRepositories"')
            if args.screenshots:
                c.driver.save_screenshot(os.path.join(args.screenshots, "console-generated-policy.png"))
        t.step("a role's page generates the policy its sessions' calls needed (Generate policy)", generated_policy)

        def keyboard():
            from selenium.webdriver.common.keys import Keys
            from selenium.webdriver.common.action_chains import ActionChains
            c.open("/console/iam/policies/create")
            field = c._find("field", "Choose a service")
            field.send_keys("Elastic Container Registry")
            # Tab to the first service shown and press Enter; then Tab on to the List level and open it with Space.
            ActionChains(c.driver).send_keys(Keys.TAB).send_keys(Keys.ENTER).perform()
            c.see("Actions allowed")
        t.step("the editor works from the keyboard: type a service, Tab, Enter", keyboard)

        t.step("sign out ends the session", lambda: (
            c.open("/console"), c.click("lab-student @ 0000-0000-0000"), c.click("Sign out"), c.open("/console"), c.see("Sign in as IAM user")))

        def sign_out_interrupted():
            # The browser leaves before Sign out's post goes out (CI's s100 once opened /console that fast):
            # the session still ends, at the next request.
            c.sign_in(ACCOUNT, "lab-student", "Lab-student-Passw0rd!")
            c.see("Console Home")
            c.click("lab-student @ 0000-0000-0000")
            c.driver.execute_script(
                "document.querySelector('form[action=\"/console/signout\"] button').click(); window.stop();")
            c.open("/console")
            c.see("Sign in as IAM user")
            c.absent("lab-student @ 0000-0000-0000")
        t.step("sign out holds when the page is left before its post is sent", sign_out_interrupted)

        def denied():
            c.sign_in(ACCOUNT, "reader", "Reader-Passw0rd!")
            for name, action in create_policy_steps(
                    c, "Elastic Container Registry", {"List": ["ListImages"]}, [("repository", "Any in this account")],
                    "NotAllowed", "", listed=False):
                action()
            c.see("is not authorized to perform: iam:CreatePolicy")
            names = [p["PolicyName"] for p in server.aws("iam", "list-policies", "--scope", "Local")["Policies"]]
            if "NotAllowed" in names:
                raise AssertionError("the denied Create policy created the policy")
        t.step("a user without iam:CreatePolicy sees AWS's denial and nothing is created", denied)
    finally:
        c.close()
        server.stop()
    print(f"1..{t.n}")
    print(f"{t.n - t.failed} passed, {t.failed} failed")
    return t.failed


def no_script_ran(c):
    if c.driver.execute_script("return window.xss !== undefined"):
        raise AssertionError("a role description ran as a script")


def check_policy(server):
    arn = f"arn:aws:iam::{ACCOUNT}:policy/ConsoleReadECR"
    version = server.aws("iam", "get-policy", "--policy-arn", arn)["Policy"]["DefaultVersionId"]
    document = server.aws("iam", "get-policy-version", "--policy-arn", arn, "--version-id", version)["PolicyVersion"]["Document"]
    found = sorted((s["Sid"], a, s["Resource"]) for s in document["Statement"]
                   for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"]))
    repo = f"arn:aws:ecr:*:{ACCOUNT}:repository/*"
    want = sorted([("VisualEditor0", "ecr:BatchGetImage", repo), ("VisualEditor0", "ecr:DescribeImages", repo),
                   ("VisualEditor0", "ecr:ListImages", repo), ("VisualEditor1", "ecr:GetAuthorizationToken", "*")])
    if found != want:
        raise AssertionError(f"statements: {found}")


def check_role(server):
    attached = [p["PolicyName"] for p in server.aws("iam", "list-attached-role-policies", "--role-name", "ConsoleRole")["AttachedPolicies"]]
    profiles = [p["InstanceProfileName"] for p in server.aws("iam", "list-instance-profiles-for-role", "--role-name", "ConsoleRole")["InstanceProfiles"]]
    if attached != ["ConsoleReadECR"] or profiles != ["ConsoleRole"]:
        raise AssertionError(f"attached {attached}, instance profiles {profiles}")


if __name__ == "__main__":
    sys.exit(main())
