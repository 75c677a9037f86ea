#!/usr/bin/env python3
"""Switch role, "Access denied explanations" and the policy simulator in
headless Chromium, end to end (see console_browser_test.py for how).

Seed 004 in the browser: a learner switches to ecr_access_teama_role, sees
team-a's image (pushed with skopeo) and is refused team-b's with AWS's
message, follows the message's link to why, and switches back. Then the
policy simulator, a refused switch, and the account menu from the keyboard.

    python3 Tests/ConsoleBrowser/switch_role_browser_test.py [--gatehouse .build/debug/gatehouse] [--screenshots docs/images]
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from console_browser_test import ACCOUNT, HELPERS, ROOT, Server, Tap  # noqa: E402

MKIMAGE = os.path.join(HELPERS, "..", "mkimage.py")


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

    server = Server(args.gatehouse)
    t = Tap()
    c = Console(server.endpoint)
    try:
        region = "us-east-1"
        trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                                                          "Action": "sts:AssumeRole", "Condition": {}}]}
        identity = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["ecr:ListImages"],
                                                             "Resource": [f"arn:aws:ecr:{region}:{ACCOUNT}:repository/team-a/*"]}]}
        server.aws("iam", "create-role", "--role-name", "ecr_access_teama_role", "--description", "IAM role to test ECR repository access",
                   "--assume-role-policy-document", json.dumps(trust))
        server.aws("iam", "create-policy", "--policy-name", "ecr_access_testing", "--policy-document", json.dumps(identity))
        server.aws("iam", "attach-role-policy", "--role-name", "ecr_access_teama_role",
                   "--policy-arn", f"arn:aws:iam::{ACCOUNT}:policy/ecr_access_testing")
        for repo in ("team-a/alpine", "team-b/alpine"):
            server.aws("ecr", "create-repository", "--repository-name", repo)
        digest = push(server, "team-a/alpine", "v1")
        server.aws("iam", "create-user", "--user-name", "learner")
        server.aws("iam", "create-login-profile", "--user-name", "learner", "--password", "Learner-Passw0rd!")
        server.aws("iam", "attach-user-policy", "--user-name", "learner", "--policy-arn", "arn:aws:iam::aws:policy/AdministratorAccess")
        server.aws("iam", "create-user", "--user-name", "dev")
        dev_policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ecr:ListImages", "Resource": "*"}]}
        server.aws("iam", "put-user-policy", "--user-name", "dev", "--policy-name", "list-images", "--policy-document", json.dumps(dev_policy))

        t.step("sign in as learner", lambda: (c.sign_in(ACCOUNT, "learner", "Learner-Passw0rd!"), c.see("learner @ 0000-0000-0000")))

        def switch():
            c.click("learner @ 0000-0000-0000")
            c.click("Switch role")
            c.fill("Account ID", ACCOUNT)
            c.fill("IAM role name", "ecr_access_teama_role")
            c.fill("Display name - optional", "TeamA")
            c.choose("Green")
            c.click("Switch Role")
            c.see("TeamA @ 0000-0000-0000")
        t.step("Switch role to ecr_access_teama_role: the menu reads TeamA @ 0000-0000-0000", switch)
        t.step("the account menu says which role is active and who signed in", lambda: (
            c.click("TeamA @ 0000-0000-0000"), c.see("ecr_access_teama_role"), c.see("learner @ 0000-0000-0000"), c.see("Switch back")))

        def team_a():
            c.open("/console/ecr/private-registry/repositories/" + "team-a%2Falpine")
            c.see("v1")
            c.see(digest)
        t.step("as the role, team-a/alpine's image v1 is listed with the digest skopeo pushed", team_a)

        def team_b():
            c.open("/console/ecr/private-registry/repositories/" + "team-b%2Falpine")
            c.see(f"User: arn:aws:sts::{ACCOUNT}:assumed-role/ecr_access_teama_role/learner is not authorized to perform: "
                  f"ecr:ListImages on resource: arn:aws:ecr:{region}:{ACCOUNT}:repository/team-b/alpine "
                  "because no identity-based policy allows the ecr:ListImages action")
            if args.screenshots:
                c.driver.save_screenshot(os.path.join(args.screenshots, "console-switched-role-denied.png"))
        t.step("as the role, team-b/alpine is refused with AWS's message, word for word", team_b)

        def explained():
            # The Images tab's message (the summary's DescribeRepositories has its own link before it).
            with c.within("Images"):
                c.click("Why was I denied?")
            c.see("Why was I denied?")
            c.see("arn:aws:iam::000000000000:policy/ecr_access_testing")
            c.see("The smallest statement that would allow it")
            field = c._find("field", "Policy statement")
            statement = json.loads(field.get_attribute("value"))
            want = {"Effect": "Allow", "Action": "ecr:ListImages", "Resource": f"arn:aws:ecr:{region}:{ACCOUNT}:repository/team-b/alpine"}
            if statement["Statement"] != [want]:
                raise AssertionError(f"proposed {statement}")
            if args.screenshots:
                c.driver.save_screenshot(os.path.join(args.screenshots, "console-access-denied.png"))
        t.step("the message links to its explanation: policies evaluated and the statement that would allow it", explained)

        t.step("Access denied explanations lists the denial", lambda: (
            c.open("/console/iam"), c.click("Access denied explanations"), c.see("ecr:ListImages")))

        t.step("Switch back: the console acts as learner again", lambda: (
            c.click("TeamA @ 0000-0000-0000"), c.click("Switch back"), gone(c, "TeamA @ 0000-0000-0000"),
            c.see("learner @ 0000-0000-0000"),
            c.open("/console/iam/roles"), c.see("ecr_access_teama_role")))

        def refused():
            c.open("/console/switchrole")
            c.fill("Account ID", ACCOUNT)
            c.fill("IAM role name", "no-such-role")
            c.click("Switch Role")
            c.see("Invalid information in one or more fields. Check your information or contact your administrator.")
            c.see("learner @ 0000-0000-0000")
        t.step("a switch to a role that does not exist is refused as AWS's console refuses it", refused)

        def keyboard():
            from selenium.webdriver.common.action_chains import ActionChains
            from selenium.webdriver.common.keys import Keys
            c.open("/console/switchrole?account=000000000000&roleName=ecr_access_teama_role&displayName=KeyboardTeam")
            field = c._find("field", "Display name - optional")
            field.click()
            ActionChains(c.driver).send_keys(Keys.ENTER).perform()
            c.see("KeyboardTeam @ 0000-0000-0000")
            c.click("KeyboardTeam @ 0000-0000-0000")
            c.click("Switch back")
            gone(c, "KeyboardTeam @ 0000-0000-0000")
            c.see("learner @ 0000-0000-0000")
        t.step("a switch-role link fills the form, and Enter switches (keyboard)", keyboard)

        def simulator():
            c.open("/console/iam")
            c.click("Policy simulator")
            c.choose("dev")
            c.select("Select service", "Elastic Container Registry")
            c.check("ListImages")
            c.check("DeleteRepository")
            c.click("Run Simulation")
            c.see("Results")
            c.see_column("Action", ["ecr:DeleteRepository", "ecr:ListImages"])
            c.see("allowed")
            c.see("denied")
            c.see("list-images")
            if args.screenshots:
                c.driver.save_screenshot(os.path.join(args.screenshots, "console-policy-simulator.png"))
        t.step("Policy simulator: dev may ListImages, not DeleteRepository; the deciding policy is shown", simulator)
    finally:
        c.close()
        server.stop()
    print(f"1..{t.n}")
    print(f"{t.n - t.failed} passed, {t.failed} failed")
    return t.failed


def gone(c, text):
    """Waits until `text` is no longer shown (the page after a form's POST has loaded)."""
    c._until(lambda: not c._run("text", "", text, []), f'text "{text}" is still visible')


def push(server, repo, tag):
    """Pushes a tiny image with skopeo, logged in with `aws ecr get-login-password`; its digest."""
    work = tempfile.mkdtemp(prefix="gatehouse-image-")
    try:
        subprocess.run([sys.executable, MKIMAGE, os.path.join(work, "image"), "--tag", tag, "--seed", f"{repo}:{tag}"],
                       check=True, capture_output=True)
        env = dict(os.environ, AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test", AWS_DEFAULT_REGION="us-east-1")
        password = subprocess.run(["aws", "--endpoint-url", server.endpoint, "ecr", "get-login-password"], env=env,
                                  capture_output=True, text=True, check=True).stdout.strip()
        host = server.endpoint.split("://", 1)[1]
        subprocess.run(["skopeo", "copy", "--quiet", "--dest-tls-verify=false", "--dest-creds", f"AWS:{password}",
                        f"oci:{os.path.join(work, 'image')}:{tag}", f"docker://{host}/{repo}:{tag}"], check=True, capture_output=True)
        images = server.aws("ecr", "describe-images", "--repository-name", repo)["imageDetails"]
        return next(i["imageDigest"] for i in images if tag in i.get("imageTags", []))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
