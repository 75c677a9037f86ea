#!/usr/bin/env python3
"""The Elastic Container Registry console in headless Chromium, end to end:
starts the built gatehouse binary, drives /console by AWS's visible labels
(the helpers of ../shared/acceptance/console/console.py) and pushes real
images with skopeo after `aws ecr get-login-password`, the way a learner
following an ECR workshop does. Each check prints a TAP line; the exit
status is the number of failures.

    python3 Tests/ConsoleBrowser/ecr_browser_test.py [--gatehouse .build/debug/gatehouse] [--screenshots docs/images]

Covers: Console Home > Elastic Container Registry > Create repository
(Immutable), a skopeo push shown on the repository page with the digest
skopeo reported, View push commands naming this server, Permissions (a
policy saved, ECR's validation error for bad JSON), Lifecycle policy (Create
rule, Test rules), deleting an image, a user without ECR permissions seeing
ECR's message and creating nothing, a user allowed only ecr:ListImages on
team-a/* reaching team-a/alpine by name, and the keyboard path from the list
to the push commands."""
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

MKIMAGE = os.path.abspath(os.path.join(ROOT, "..", "shared", "acceptance", "mkimage.py"))
REPOSITORIES = "/console/ecr/private-registry/repositories"


def login_password(server):
    env = dict(os.environ, AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test", AWS_DEFAULT_REGION="us-east-1")
    out = subprocess.run(["aws", "--endpoint-url", server.endpoint, "ecr", "get-login-password", "--region", "us-east-1"],
                         env=env, capture_output=True, text=True)
    if out.returncode != 0 or not out.stdout.strip():
        raise RuntimeError("get-login-password: " + out.stderr.strip())
    return out.stdout.strip()


def push(server, work, repository, tag, seed):
    """mkimage.py's OCI layout, copied to the registry with skopeo; returns the digest skopeo reports."""
    layout = os.path.join(work, seed)
    subprocess.run([sys.executable, MKIMAGE, layout, "--tag", tag, "--seed", seed, "--layers", "2", "--layer-bytes", "400000"], check=True, capture_output=True)
    digest_file = os.path.join(work, seed + ".digest")
    host = server.endpoint.split("://", 1)[1]
    out = subprocess.run(
        ["skopeo", "copy", "--quiet", "--dest-tls-verify=false", "--dest-creds", "AWS:" + login_password(server),
         "--digestfile", digest_file, f"oci:{layout}:{tag}", f"docker://{host}/{repository}:{tag}"],
        capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError("skopeo copy: " + (out.stderr or out.stdout).strip()[:600])
    with open(digest_file) as f:
        return f.read().strip()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--gatehouse", default=os.path.join(ROOT, ".build", "debug", "gatehouse"))
    parser.add_argument("--screenshots", default=None, help="folder for the README's screenshots")
    args = parser.parse_args()
    if not os.path.isdir(HELPERS):
        print(f"1..0 # SKIP the console helpers are not at {HELPERS}")
        return 0
    if not shutil.which("skopeo") or not os.path.exists(MKIMAGE):
        print("1..0 # SKIP skopeo or mkimage.py is missing")
        return 0
    sys.path.insert(0, HELPERS)
    from console import Console  # noqa: E402
    from selenium.webdriver.common.keys import Keys  # noqa: E402

    server = Server(args.gatehouse)
    work = tempfile.mkdtemp(prefix="gatehouse-ecr-")
    host = server.endpoint.split("://", 1)[1]
    t = Tap()
    c = Console(server.endpoint)
    digests = {}

    def screenshot(name):
        if args.screenshots:
            os.makedirs(args.screenshots, exist_ok=True)
            c.driver.execute_script("window.scrollTo(0, 0)")
            c.driver.save_screenshot(os.path.join(args.screenshots, name))

    try:
        for user, password, managed in [("admin", "Admin-Passw0rd!", "arn:aws:iam::aws:policy/AdministratorAccess"),
                                        ("nobody", "Nobody-Passw0rd!", None), ("learner", "Learner-Passw0rd!", None)]:
            server.aws("iam", "create-user", "--user-name", user)
            server.aws("iam", "create-login-profile", "--user-name", user, "--password", password)
            if managed:
                server.aws("iam", "attach-user-policy", "--user-name", user, "--policy-arn", managed)
        # Seed 004: ListImages on team-a's repositories, nothing else.
        team_a = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["ecr:ListImages"],
                  "Resource": [f"arn:aws:ecr:us-east-1:{ACCOUNT}:repository/team-a/*"]}]}
        server.aws("iam", "put-user-policy", "--user-name", "learner", "--policy-name", "ecr_access_testing",
                   "--policy-document", json.dumps(team_a))

        t.step("sign in as admin", lambda: (c.sign_in(ACCOUNT, "admin", "Admin-Passw0rd!"), c.see("Console Home")))

        def create():
            c.open("/console")
            c.click("Elastic Container Registry")
            c.see("Private repositories")
            c.click("Create repository")
            c.see(f"{host}/")
            c.fill("Repository name", "team-a/alpine")
            c.choose("Immutable")
            c.check("Scan on push")
            c.click("Create")
            c.see("Successfully created private repository, team-a/alpine.")
            c.see_column("Repository name", ["team-a/alpine"])
            c.see_column("Tag immutability", ["Immutable"])
            c.see_column("URI", [f"{host}/team-a/alpine"])
            repository = server.aws("ecr", "describe-repositories", "--repository-names", "team-a/alpine")["repositories"][0]
            if repository["imageTagMutability"] != "IMMUTABLE" or not repository["imageScanningConfiguration"]["scanOnPush"]:
                raise AssertionError(f"repository: {repository}")
        t.step("Console Home > Elastic Container Registry > Create repository team-a/alpine, Immutable, Scan on push", create)

        def pushed():
            digests["v1"] = push(server, work, "team-a/alpine", "v1", "alpine-v1")
            c.open(REPOSITORIES)
            c.click("team-a/alpine")
            c.see_column("Image tag", ["v1"])
            c.see_column("Digest", [digests["v1"]])
            c.see_column("Image URI", [f"{host}/team-a/alpine:v1"])
            c.see_column("Artifact type", ["Image"])
        t.step("skopeo pushes v1 after get-login-password; the repository page shows its tag and digest", pushed)

        def list_screenshot():
            digests["v2"] = push(server, work, "team-a/alpine", "v2", "alpine-v2")
            server.aws("ecr", "create-repository", "--repository-name", "team-b/alpine")
            push(server, work, "team-b/alpine", "v1", "alpine-b")
            c.open(REPOSITORIES)
            c.see_column("Repository name", ["team-a/alpine", "team-b/alpine"], exactly=True)
            screenshot("console-ecr-repositories.png")
            c.click("team-a/alpine")
            c.see_column("Image tag", ["v1", "v2"], exactly=True)
            screenshot("console-ecr-images.png")
        t.step("a second image and team-b/alpine; screenshots of the list and the images", list_screenshot)

        t.step("Find repositories filters the list", lambda: (
            c.open(REPOSITORIES), c.fill("Find repositories", "team-b"), c.click("Search"),
            c.see_column("Repository name", ["team-b/alpine"], exactly=True)))

        def push_commands():
            c.open(REPOSITORIES)
            c.choose("Select team-a/alpine")
            c.click("View push commands")
            c.see("Push commands for team-a/alpine")
            c.see(f"aws ecr get-login-password --region us-east-1 --endpoint-url http://{host} | "
                  f"docker login --username AWS --password-stdin {host}")
            c.see("docker build -t alpine .")
            c.see(f"docker tag alpine:latest {host}/team-a/alpine:latest")
            c.see(f"docker push {host}/team-a/alpine:latest")
        t.step("View push commands for the selected repository names this server", push_commands)

        def permissions():
            c.open(REPOSITORIES)
            c.click("team-a/alpine")
            c.click("Permissions")
            c.click("Edit policy JSON")
            c.fill("Policy JSON", '{"Version": "2012-10-17", "Statement": [')
            c.click("Save")
            c.see("Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid repository policy provided'")
            policy = {"Version": "2012-10-17", "Statement": [{"Sid": "AllowPull", "Effect": "Allow",
                      "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]}]}
            c.fill("Policy JSON", json.dumps(policy, indent=2))
            c.click("Save")
            c.see("Successfully updated the repository policy of team-a/alpine.")
            c.see("ecr:GetDownloadUrlForLayer")
            saved = json.loads(server.aws("ecr", "get-repository-policy", "--repository-name", "team-a/alpine")["policyText"])
            if saved["Statement"][0]["Sid"] != "AllowPull":
                raise AssertionError(f"policy: {saved}")
        t.step("Permissions: bad JSON shows ECR's validation error; a good policy is saved", permissions)

        def lifecycle():
            c.click("Lifecycle policy")
            c.click("Create rule")
            c.fill("Rule priority", "1")
            c.fill("Rule description", "Keep the newest image")
            c.choose("Any")
            c.choose("Image count more than")
            c.fill("Count number", "1")
            c.click("Save")
            c.see("Successfully saved the lifecycle policy of team-a/alpine.")
            c.see_column("Match criteria", ["Image count more than 1"])
            c.see_column("Description", ["Keep the newest image"])
            c.click("Test rules")
            c.click("Test rules")
            c.see("Test results (1)")
            c.see_column("Image tag", ["v1"], exactly=True)
            c.see_column("Digest", [digests["v1"]])
        t.step("Lifecycle policy: Create rule, then Test rules shows v1 would expire", lifecycle)

        def delete_image():
            c.open(REPOSITORIES)
            c.click("team-a/alpine")
            c.check("v1")
            c.click("Delete")
            c.fill("To confirm deletion, type delete in the field.", "delete")
            c.click("Delete")
            c.see("Successfully deleted 1 image.")
            c.see_column("Image tag", ["v2"], exactly=True)
            tags = [i.get("imageTag") for i in server.aws("ecr", "list-images", "--repository-name", "team-a/alpine")["imageIds"]]
            if tags != ["v2"]:
                raise AssertionError(f"images left: {tags}")
        t.step("Delete an image: select v1, type delete, Delete", delete_image)

        def keyboard():
            active = lambda: c.driver.switch_to.active_element
            c.open(REPOSITORIES)
            field = c._find("field", "Find repositories")
            field.send_keys("alpine", Keys.ENTER)
            c.see_column("Repository name", ["team-a/alpine", "team-b/alpine"], exactly=True)
            c._find("field", "Find repositories").click()
            for _ in range(30):
                active().send_keys(Keys.TAB)
                if active().get_attribute("aria-label") == "Select team-a/alpine":
                    break
            else:
                raise AssertionError("Tab never reached the team-a/alpine radio button")
            active().send_keys(Keys.SPACE)
            for _ in range(10):
                active().send_keys(Keys.SHIFT, Keys.TAB)
                if active().text == "View push commands":
                    break
            else:
                raise AssertionError("Shift+Tab never reached View push commands")
            active().send_keys(Keys.ENTER)
            c.see("Push commands for team-a/alpine")
        t.step("keyboard: type in Find repositories, Tab to a repository, Space, Shift+Tab to View push commands, Enter", keyboard)

        def delete_repository():
            server.aws("ecr", "create-repository", "--repository-name", "scratch")
            c.open(REPOSITORIES)
            c.choose("Select scratch")
            c.click("Delete")
            c.see("Delete scratch?")
            c.fill("To confirm deletion, type delete in the field.", "delete")
            c.click("Delete")
            c.see("Successfully deleted repository scratch.")
            c.see_column("Repository name", ["team-a/alpine", "team-b/alpine"], exactly=True)
        t.step("Delete a repository from the list: select it, type delete, Delete", delete_repository)

        def nobody():
            c.forget_session()
            c.sign_in(ACCOUNT, "nobody", "Nobody-Passw0rd!")
            c.see("Console Home")  # the sign-in has landed before the next page opens
            c.open(REPOSITORIES)
            c.see(f"User: arn:aws:iam::{ACCOUNT}:user/nobody is not authorized to perform: ecr:DescribeRepositories")
            c.open(REPOSITORIES + "/create")
            c.fill("Repository name", "team-c/alpine")
            c.click("Create")
            c.see(f"User: arn:aws:iam::{ACCOUNT}:user/nobody is not authorized to perform: ecr:CreateRepository on resource: "
                  f"arn:aws:ecr:us-east-1:{ACCOUNT}:repository/team-c/alpine because no identity-based policy allows the ecr:CreateRepository action")
            names = [r["repositoryName"] for r in server.aws("ecr", "describe-repositories")["repositories"]]
            if "team-c/alpine" in names:
                raise AssertionError("the denied Create repository created it")
        t.step("a user without ECR permissions sees ECR's message and nothing is created", nobody)

        def learner():
            c.forget_session()
            c.sign_in(ACCOUNT, "learner", "Learner-Passw0rd!")
            c.see("Console Home")
            c.open("/console")
            c.click("Elastic Container Registry")
            c.see("is not authorized to perform: ecr:DescribeRepositories")
            c.fill("Repository name", "team-a/alpine")
            c.click("View repository")
            c.see_column("Image tag", ["v2"], exactly=True)
            c.see_column("Digest", [digests["v2"]])
            c.see("is not authorized to perform: ecr:DescribeImages")
            c.open(REPOSITORIES)
            c.fill("Repository name", "team-b/alpine")
            c.click("View repository")
            c.see(f"User: arn:aws:iam::{ACCOUNT}:user/learner is not authorized to perform: ecr:ListImages on resource: "
                  f"arn:aws:ecr:us-east-1:{ACCOUNT}:repository/team-b/alpine because no identity-based policy allows the ecr:ListImages action")
        t.step("only ecr:ListImages on team-a/*: team-a/alpine opens by name with its images; team-b answers AccessDenied", learner)
    finally:
        c.close()
        server.stop()
        shutil.rmtree(work, ignore_errors=True)
    print(f"1..{t.n}")
    print(f"{t.n - t.failed} passed, {t.failed} failed")
    return t.failed


if __name__ == "__main__":
    sys.exit(main())
