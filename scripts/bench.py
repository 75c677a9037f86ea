#!/usr/bin/env python3
"""Gatehouse against the peers, on this machine, in one run.

    scripts/bench [--quick] [--skip-build] [--baseline BINARY] [--only PART,...] [--report-only]

Parts (all by default; --only picks some):
  start     cold start (process start to the first successful GetCallerIdentity,
            fresh data directory), idle RSS and binary size, beside a bare
            Hummingbird skeleton (Sources/HummingbirdSkeleton) on the same stack.
  api       API throughput and latency: pre-signed SigV4 requests replayed with
            wrk at concurrency 1, 8 and 32 (server on core 0, wrk on core 1).
            Non-2xx answers are counted and shown, never folded into throughput.
  moto      moto's server as a peer in `start` and `api`.
  mixed     90% reads signed by 50 different IAM users, 10% writes (TagRole),
            against the same reads alone: the throughput a write costs.
  scaling   a page's time as the account grows: ListRoles and ECR
            DescribeRepositories (100 per page) with 100, 1,000 and 10,000
            entities, the first page and later pages reached by marker.
  cost      SQLite transactions per GetRole, warm and cold (RequestCostBenchmark,
            in process).
  registry  registry push/pull MB/s with skopeo against Debian's docker-registry.
  policy    policy decisions per second and ValidatePolicy on a 6 KB policy
            (PolicyEngineBenchmark), `policy generate` over 100,000 logged decisions.
  console   the web console: each page's time signed in (server-side rendering
            plus the IAM operations it makes, over a kept-alive connection),
            the assets' weight and caching, and memory: idle RSS (and with
            --baseline, against a build without the console) and RSS after
            every page was opened.
  lab       30 learners' accounts (gatehouse lab), all doing seed 000 in the console at once over
            HTTP as a browser would: every request's time, p50/p99 per page, and errors

--baseline BINARY runs start, api, mixed and scaling against a second gatehouse
binary too (e.g. a release build of main), interleaved with this build's runs,
and the tables show both side by side with the ratio.

Writes docs/benchmarks.json, docs/benchmarks.md and (when moto, registry or
start ran) docs/benchmarks.png. A part not run keeps the figures of the run
that last measured it, and its section says when that was.
"""
import argparse, base64, datetime, gzip, hashlib, http.client, json, os, platform, re, shutil, signal, socket, statistics
import subprocess, sys, tempfile, time
import urllib.parse

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
SERVER_CORE, LOAD_CORE = "0", "1"
REGION = "us-east-1"
ACCOUNT = "000000000000"
PARTS = ("start", "api", "moto", "mixed", "scaling", "cost", "registry", "policy", "console", "lab")
CONCURRENCIES = (1, 8, 32)
MIXED_CONCURRENCIES = (8, 32)
SCALE_SIZES = (100, 1000, 10000)
PAGE = 100
RESULTS = os.path.join(ROOT, "docs", "benchmarks.json")
# Column names of the peers; "this" is the build in this work tree.
NAMES = {"this": "this build", "baseline": "baseline", "skeleton": "Hummingbird skeleton", "moto": "moto"}


# ---------------------------------------------------------------- processes

def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def rss_kb(pid, field="VmRSS"):
    """Resident memory in kB: VmRSS (all of it), RssAnon (the process's own
    heap and stacks) or RssFile (code and data pages mapped from files)."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


class Server:
    """A server process pinned to the server core, stopped by PID only."""

    def __init__(self, name, argv, port, env=None, cwd=None):
        self.name, self.port = name, port
        self.started = time.perf_counter()
        self.process = subprocess.Popen(["taskset", "-c", SERVER_CORE] + argv, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL, env=env, cwd=cwd)

    @property
    def endpoint(self):
        return f"http://127.0.0.1:{self.port}"

    @property
    def host(self):
        return f"127.0.0.1:{self.port}"

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def rss_mb(self, field="VmRSS"):
        return rss_kb(self.process.pid, field) / 1024


# ---------------------------------------------------------------- signing

def signed(service, body, key="test", secret="test", target=None, content_type="application/x-www-form-urlencoded; charset=utf-8",
           host="127.0.0.1"):
    """A SigV4-signed POST / as botocore signs it: (headers, body). The signature
    carries the signing time, and the server accepts it for 15 minutes (its clock
    skew limit), so requests are signed right before each wrk run, which lasts
    seconds."""
    import botocore.auth, botocore.awsrequest, botocore.credentials
    headers = {"Content-Type": content_type}
    if target:
        headers["X-Amz-Target"] = target
    request = botocore.awsrequest.AWSRequest("POST", f"http://{host}/", data=body.encode(), headers=headers)
    botocore.auth.SigV4Auth(botocore.credentials.Credentials(key, secret), service, REGION).add_auth(request)
    return dict(request.headers.items()), body


def query(host, action, service="iam", credentials=("test", "test"), **params):
    version = "2011-06-15" if service == "sts" else "2010-05-08"
    body = urllib.parse.urlencode({"Action": action, "Version": version, **params})
    return signed(service, body, key=credentials[0], secret=credentials[1], host=host)


def ecr(host, operation, payload):
    return signed("ecr", json.dumps(payload), target=f"AmazonEC2ContainerRegistry_V20150921.{operation}",
                  content_type="application/x-amz-json-1.1", host=host)


def get_caller_identity_ok(port, request=None):
    """Whether a signed GetCallerIdentity answers 200; `request` is one signed
    beforehand (a signature holds for minutes), so polling adds no signing time."""
    headers, body = request or query(f"127.0.0.1:{port}", "GetCallerIdentity", service="sts")
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
        connection.request("POST", "/", body=body, headers=headers)
        return connection.getresponse().status == 200
    except OSError:
        return False


# ---------------------------------------------------------------- wrk

LUA = """
local requests = {}
local count = 0
local index = 0
init = function(args)
  local f = io.open(args[1], "r")
  for line in f:lines() do
    local method, path, headers, body = line:match("^(%S+)\\t(%S+)\\t(.-)\\t(.*)$")
    local h = {}
    for name, value in headers:gmatch("([^\\1]+)\\1([^\\2]*)\\2") do h[name] = value end
    count = count + 1
    requests[count] = wrk.format(method, path, h, body)
  end
  f:close()
end
request = function()
  index = index % count + 1
  return requests[index]
end
"""


def write_requests(path, requests):
    with open(path, "w") as f:
        for headers, body in requests:
            encoded = "".join(f"{k}\x01{v}\x02" for k, v in headers.items())
            f.write(f"POST\t/\t{encoded}\t{body}\n")


def to_ms(text):
    value, unit = float(re.match(r"([\d.]+)", text).group(1)), re.sub(r"[\d.]", "", text)
    return value * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def wrk(endpoint, requests, concurrency, seconds, workdir):
    """Replays `requests` in order, round and round (one wrk thread hands them
    to the connections in turn, so a list's mix is the mix served)."""
    lua, lines = os.path.join(workdir, "replay.lua"), os.path.join(workdir, "requests.tsv")
    with open(lua, "w") as f:
        f.write(LUA)
    write_requests(lines, requests)
    for attempt in range(3):
        out = subprocess.run(["taskset", "-c", LOAD_CORE, "wrk", "-t1", f"-c{concurrency}", f"-d{seconds}s", "--latency", "-s", lua,
                              endpoint, "--", lines], capture_output=True, text=True).stdout
        # wrk now and then prints an unreadable distribution (e.g. -nan); run again rather than guess.
        if re.search(r"^\s+50%\s+[\d.]+[a-z]+\s", out, re.M) and re.search(r"^\s+99%\s+[\d.]+[a-z]+\s", out, re.M):
            break
        print(f"wrk output unreadable, running again:\n{out}", file=sys.stderr, flush=True)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    total = int(re.search(r"(\d+) requests in", out).group(1))
    non2xx = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0
    # Anchored: "73.50%" in the Stdev column must not read as the 50th percentile.
    p50 = to_ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))
    p99 = to_ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))
    ok_rate = rps * (total - non2xx) / total if total else 0.0
    return {"rps": ok_rate, "p50": p50, "p99": p99, "non2xx": non2xx, "total": total}


def show(name, label, concurrency, r):
    print(f"{name:10} {label:44} c={concurrency:<3} {r['rps']:>9.0f}/s  p50 {r['p50']:.2f} ms  p99 {r['p99']:.2f} ms"
          f"  non-2xx {r['non2xx']}", flush=True)


def in_turn(keys, index):
    """The peers in alternating order, so that drift on a shared machine does
    not always favour the same one."""
    keys = list(keys)
    return keys if index % 2 == 0 else keys[::-1]


# ---------------------------------------------------------------- worlds

def boto(endpoint, service, credentials=("test", "test")):
    import boto3
    from botocore.config import Config
    return boto3.client(service, endpoint_url=endpoint, region_name=REGION, aws_access_key_id=credentials[0],
                        aws_secret_access_key=credentials[1], config=Config(retries={"max_attempts": 1}))


TRUST = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
DOC = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ecr:ListImages", "Resource": "*"}]})


def tiny_image(ecr_client, repo, tag):
    """Pushes a small image through the layer API (config + one layer).

    moto has no layer upload API (it answers 500) and accepts a manifest whose
    blobs it never saw, so there the manifest alone is put."""
    blobs = []
    for content in (json.dumps({"architecture": "amd64", "os": "linux", "tag": tag}).encode(), gzip.compress(tag.encode() * 64)):
        digest = "sha256:" + hashlib.sha256(content).hexdigest()
        blobs.append((digest, len(content)))
        try:
            upload = ecr_client.initiate_layer_upload(repositoryName=repo)["uploadId"]
        except ecr_client.exceptions.ClientError:
            continue
        ecr_client.upload_layer_part(repositoryName=repo, uploadId=upload, partFirstByte=0, partLastByte=len(content) - 1,
                                     layerPartBlob=content)
        try:
            ecr_client.complete_layer_upload(repositoryName=repo, uploadId=upload, layerDigests=[digest])
        except ecr_client.exceptions.LayerAlreadyExistsException:
            pass
    manifest = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": blobs[0][0], "size": blobs[0][1]},
                "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": blobs[1][0], "size": blobs[1][1]}]}
    ecr_client.put_image(repositoryName=repo, imageTag=tag, imageManifest=json.dumps(manifest))


def build_world(endpoint):
    iam, ecr_client = boto(endpoint, "iam"), boto(endpoint, "ecr")
    for i in range(100):
        iam.create_role(RoleName=f"role-{i:03d}", AssumeRolePolicyDocument=TRUST)
    for i in range(5):
        arn = iam.create_policy(PolicyName=f"attached-{i}", PolicyDocument=DOC)["Policy"]["Arn"]
        iam.attach_role_policy(RoleName="role-050", PolicyArn=arn)
    for i in range(50):
        ecr_client.create_repository(repositoryName=f"repo-{i:02d}")
    for i in range(20):
        tiny_image(ecr_client, "repo-00", f"v{i}")


def workloads(host, write_count):
    """Each workload's signed requests, for the server at `host` (the signature covers Host)."""
    return {
        "sts GetCallerIdentity": lambda: [query(host, "GetCallerIdentity", service="sts")],
        "iam GetRole": lambda: [query(host, "GetRole", RoleName="role-050")],
        "iam ListRoles (100)": lambda: [query(host, "ListRoles")],
        "iam ListAttachedRolePolicies": lambda: [query(host, "ListAttachedRolePolicies", RoleName="role-050")],
        "ecr DescribeRepositories (50)": lambda: [ecr(host, "DescribeRepositories", {})],
        "ecr ListImages (20)": lambda: [ecr(host, "ListImages", {"repositoryName": "repo-00"})],
        # Each write changes the tag's value, so every one really changes the role. (CreatePolicy
        # was the write here until IAM's quota of 1,500 customer managed policies per account.)
        "iam TagRole (writes)": lambda: [query(host, "TagRole", RoleName="role-000",
                                               **{"Tags.member.1.Key": "bench", "Tags.member.1.Value": f"{time.time_ns()}-{i}"})
                                         for i in range(write_count)],
    }


# The mixed workload: many principals, each with its own key and policy.
MIXED_USERS, MIXED_ROLES, MIXED_CYCLE = 50, 10, 500
MIXED_POLICY = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": ["iam:Get*", "iam:List*", "iam:TagRole", "iam:TagUser"], "Resource": "*"}]})


def build_mixed_world(endpoint):
    """50 users, each with an access key and the same attached customer managed
    policy; 10 roles with an attached policy each; a role the writes tag.
    Returns the users' (name, key, secret)."""
    iam = boto(endpoint, "iam")
    access = iam.create_policy(PolicyName="bench-mixed", PolicyDocument=MIXED_POLICY)["Policy"]["Arn"]
    attached = iam.create_policy(PolicyName="bench-attached", PolicyDocument=DOC)["Policy"]["Arn"]
    for i in range(MIXED_ROLES):
        iam.create_role(RoleName=f"app-{i}", AssumeRolePolicyDocument=TRUST)
        iam.attach_role_policy(RoleName=f"app-{i}", PolicyArn=attached)
    iam.create_role(RoleName="mixed-target", AssumeRolePolicyDocument=TRUST)
    users = []
    for i in range(MIXED_USERS):
        name = f"user-{i:02d}"
        iam.create_user(UserName=name)
        iam.attach_user_policy(UserName=name, PolicyArn=access)
        key = iam.create_access_key(UserName=name)["AccessKey"]
        users.append((name, key["AccessKeyId"], key["SecretAccessKey"]))
    return users


def mixed_requests(host, users, writes):
    """500 requests, request i signed by user i mod 50. Reads rotate GetRole,
    ListAttachedRolePolicies and GetUser; with `writes`, every tenth request is
    instead a TagRole (by users 9, 19, 29, 39 and 49) that really changes the
    role: consecutive writes set different values."""
    requests = []
    for i in range(MIXED_CYCLE):
        name, key, secret = users[i % len(users)]
        credentials = (key, secret)
        if writes and i % 10 == 9:
            requests.append(query(host, "TagRole", credentials=credentials, RoleName="mixed-target",
                                  **{"Tags.member.1.Key": "bench", "Tags.member.1.Value": str(i)}))
        elif i % 3 == 0:
            requests.append(query(host, "GetRole", credentials=credentials, RoleName=f"app-{i % MIXED_ROLES}"))
        elif i % 3 == 1:
            requests.append(query(host, "ListAttachedRolePolicies", credentials=credentials, RoleName=f"app-{i % MIXED_ROLES}"))
        else:
            requests.append(query(host, "GetUser", credentials=credentials, UserName=name))
    return requests


def scale_snapshot(path, count):
    """A state snapshot of the default account holding `count` roles and `count`
    ECR repositories (and the seed's root key `test`), for `serve --seed`."""
    created = 1_790_000_000.0
    roles = [{"id": f"AROABENCH{i:012d}", "accountId": ACCOUNT, "name": f"scale-{i:05d}", "path": "/", "trustPolicy": TRUST,
              "maxSessionDuration": 3600, "createdAt": created} for i in range(count)]
    repositories = [{"arn": f"arn:aws:ecr:{REGION}:{ACCOUNT}:repository/scale-{i:05d}", "accountId": ACCOUNT, "region": REGION,
                     "name": f"scale-{i:05d}", "createdAt": created, "imageTagMutability": "MUTABLE",
                     "mutabilityExclusionFilters": "[]", "scanOnPush": 0, "encryptionType": "AES256"} for i in range(count)]
    snapshot = {"format": "gatehouse-state/1", "accounts": [{"id": ACCOUNT, "createdAt": created}],
                "iam": {"accessKeys": [{"id": "test", "secret": "test", "accountId": ACCOUNT, "status": "Active", "createdAt": created}],
                        "roles": roles},
                "ecr": {"repositories": repositories}}
    with open(path, "w") as f:
        json.dump(snapshot, f)


def page_positions(endpoint):
    """The pages (100 entries each) to time for ListRoles and DescribeRepositories:
    the first, the second and the last, each as (marker, entries on it) under
    "N of PAGES", found by walking every page with boto3."""
    iam, ecr_client = boto(endpoint, "iam"), boto(endpoint, "ecr")
    found = {}
    markers, sizes, marker = [], [], None
    while True:
        answer = iam.list_roles(MaxItems=PAGE, **({"Marker": marker} if marker else {}))
        markers.append(marker)
        sizes.append(len(answer["Roles"]))
        if not answer.get("IsTruncated"):
            break
        marker = answer["Marker"]
    found["roles"] = list(zip(markers, sizes))
    tokens, sizes, token = [], [], None
    while True:
        answer = ecr_client.describe_repositories(maxResults=PAGE, **({"nextToken": token} if token else {}))
        tokens.append(token)
        sizes.append(len(answer["repositories"]))
        token = answer.get("nextToken")
        if not token:
            break
    found["repositories"] = list(zip(tokens, sizes))
    pages = {}
    for kind, walk in found.items():
        pages[kind] = {f"{n} of {len(walk)}": walk[n - 1] for n in sorted({1, min(2, len(walk)), len(walk)})}
    return pages


def page_request(host, kind, marker):
    if kind == "roles":
        return query(host, "ListRoles", MaxItems=str(PAGE), **({"Marker": marker} if marker else {}))
    return ecr(host, "DescribeRepositories", {"maxResults": PAGE, **({"nextToken": marker} if marker else {})})


# ---------------------------------------------------------------- the peers

def start_gatehouse(binary, workdir, seeds=(), timeout=30):
    port = free_port()
    data = tempfile.mkdtemp(dir=workdir)
    argv = [binary, "serve", "--port", str(port), "--data-dir", data, "--log-level", "error"]
    for seed in seeds:
        argv += ["--seed", seed]
    server = Server("Gatehouse", argv, port)
    wait_ready(server, timeout)
    return server


def start_skeleton(binary):
    """HummingbirdSkeleton: the same stack answering a fixed 200, the floor under Gatehouse's start."""
    port = free_port()
    server = Server("Hummingbird skeleton", [binary, str(port)], port)
    wait_ready(server)
    return server


def start_moto(workdir):
    port = free_port()
    server = Server("moto", ["moto_server", "-p", str(port)], port, cwd=workdir)
    wait_ready(server)
    return server


def wait_ready(server, timeout=30):
    deadline = time.perf_counter() + timeout
    request = query(f"127.0.0.1:{server.port}", "GetCallerIdentity", service="sts")
    while time.perf_counter() < deadline:
        if get_caller_identity_ok(server.port, request):
            return time.perf_counter() - server.started
        if server.process.poll() is not None:
            raise SystemExit(f"{server.name} exited with status {server.process.returncode} before answering")
        time.sleep(0.0005)
    server.stop()
    raise SystemExit(f"{server.name} did not answer GetCallerIdentity")


def cold_start(start, runs=15):
    times = []
    for _ in range(runs):
        server = start()
        times.append(time.perf_counter() - server.started)
        server.stop()
    return statistics.median(times) * 1000


def start_all(starts):
    """Starts every peer; stops the ones started if one fails."""
    servers = {}
    try:
        for key, start in starts.items():
            servers[key] = start()
    except BaseException:
        stop_all(servers)
        raise
    return servers


def stop_all(servers):
    for server in servers.values():
        server.stop()


# ---------------------------------------------------------------- parts

def part_start(starts, binaries):
    """Cold start (median of 15), idle memory 2 s after start, and the binary's
    size where the peer is one file."""
    data = {}
    for key, start in starts.items():
        cold = cold_start(start)
        server = start()
        time.sleep(2)
        figures = {"cold_ms": cold, "idle_mb": server.rss_mb(), "anon_mb": server.rss_mb("RssAnon")}
        server.stop()
        if key in binaries:
            figures["size_mb"] = os.path.getsize(binaries[key]) / 1e6
        data[key] = figures
        print(f"{NAMES[key]:10} cold start {cold:.1f} ms, idle RSS {figures['idle_mb']:.1f} MB "
              f"({figures['anon_mb']:.1f} MB anonymous)" + (f", binary {figures['size_mb']:.1f} MB" if "size_mb" in figures else ""),
              flush=True)
    return {"peers": data}


def part_api(starts, seconds, workdir, write_count):
    """Every API workload against every peer, interleaved: for each workload and
    concurrency the peers run one after the other."""
    servers = start_all(starts)
    try:
        for server in servers.values():
            build_world(server.endpoint)
        data = {}
        for w, label in enumerate(workloads("", 0)):
            for c, concurrency in enumerate(CONCURRENCIES):
                for key in in_turn(servers, w + c):
                    server = servers[key]
                    r = wrk(server.endpoint, workloads(server.host, write_count)[label](), concurrency, seconds, workdir)
                    data.setdefault(label, {}).setdefault(key, {})[concurrency] = r
                    show(NAMES[key], label, concurrency, r)
        rss = {key: server.rss_mb() for key, server in servers.items()}
    finally:
        stop_all(servers)
    return {"workloads": data, "loaded_mb": rss}


def part_mixed(starts, seconds, workdir):
    servers = start_all(starts)
    try:
        users = {key: build_mixed_world(server.endpoint) for key, server in servers.items()}
        data = {}
        for c, concurrency in enumerate(MIXED_CONCURRENCIES):
            for label, writes in (("reads", False), ("mixed", True)):
                for key in in_turn(servers, c):
                    server = servers[key]
                    r = wrk(server.endpoint, mixed_requests(server.host, users[key], writes), concurrency, seconds, workdir)
                    data.setdefault(key, {}).setdefault(concurrency, {})[label] = r
                    show(NAMES[key], f"{label} ({MIXED_USERS} principals)", concurrency, r)
    finally:
        stop_all(servers)
    return {"peers": data}


def part_scaling(binaries, seconds, workdir):
    """Per size, both builds start from the same snapshot; each page is replayed
    alone at concurrency 1 (its latency is the time the page costs)."""
    data = {}
    for size in SCALE_SIZES:
        snapshot = os.path.join(workdir, f"scale-{size}.json")
        scale_snapshot(snapshot, size)
        servers = start_all({key: (lambda binary=binary: start_gatehouse(binary, workdir, [snapshot], timeout=300))
                             for key, binary in binaries.items()})
        try:
            pages = {key: page_positions(server.endpoint) for key, server in servers.items()}
            reference = next(iter(pages.values()))
            for kind, chosen in reference.items():
                for p, (page, (_, entries)) in enumerate(chosen.items()):
                    for key in in_turn(servers, p):
                        server = servers[key]
                        marker, held = pages[key][kind].get(page, (None, 0))
                        if page not in pages[key][kind] or held != entries:
                            raise SystemExit(f"{NAMES[key]}: {kind} page {page} at {size} holds {held}, not {entries} as in "
                                             f"{NAMES[next(iter(pages))]}")
                        r = wrk(server.endpoint, [page_request(server.host, kind, marker)], 1, seconds, workdir)
                        r["entries"] = entries
                        data.setdefault(kind, {}).setdefault(str(size), {}).setdefault(page, {})[key] = r
                        show(NAMES[key], f"{kind} {size}: page {page} ({entries})", 1, r)
        finally:
            stop_all(servers)
        os.remove(snapshot)
    return {"lists": data}


def part_cost():
    binary = os.path.join(ROOT, ".build", "release", "RequestCostBenchmark")
    out = subprocess.run(["taskset", "-c", SERVER_CORE, binary], capture_output=True, text=True, check=True).stdout.strip()
    print(out, flush=True)
    figures = {}
    for who, state, mean, least, most in re.findall(
            r"^GetRole as (.+?), (warm|after a write elsewhere|cold) ?(?:\(after a write to the caller\))?: ([\d.]+) transactions/request \(least (\d+), most (\d+)\)", out, re.M):
        figures.setdefault(who, {})[{"after a write elsewhere": "elsewhere"}.get(state, state)] = {
            "mean": float(mean), "least": int(least), "most": int(most)}
    if "root" not in figures:
        raise SystemExit(f"RequestCostBenchmark printed no figures for root:\n{out}")
    return {"output": out, "getRole": figures}


CONSOLE_PAGES = [
    ("Console Home", "/console"),
    ("IAM dashboard", "/console/iam"),
    ("Policies (all 1,485)", "/console/iam/policies"),
    ("Policies, Customer managed", "/console/iam/policies?type=Customer+managed"),
    ("a policy's page", "/console/iam/policies/details?arn=arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2FAdministratorAccess"),
    ("Create policy", "/console/iam/policies/create"),
    ("Roles (100)", "/console/iam/roles"),
    ("a role's page", "/console/iam/roles/details/bench-role-1"),
    ("Create role", "/console/iam/roles/create"),
    ("policies for the role wizard (JSON)", "/console/iam/policies.json"),
    ("Users (100)", "/console/iam/users"),
    ("a user's Security credentials", "/console/iam/users/details/bench-user-1?tab=security_credentials"),
    ("Create user", "/console/iam/users/create"),
    ("User groups", "/console/iam/groups"),
    ("Account settings", "/console/iam/account-settings"),
    ("Switch role", "/console/switchrole"),
    ("Policy simulator, ECR's actions", "/console/iam/policy-simulator?service=ecr"),
    ("Access denied explanations", "/console/iam/access-denied"),
    ("Repositories (20)", "/console/ecr/private-registry/repositories"),
    ("a repository's page (60 images)", "/console/ecr/private-registry/repositories/bench-repo-1"),
    ("View push commands", "/console/ecr/private-registry/repositories/bench-repo-1/push-commands"),
]


def part_console(builds, workdir, rounds=60):
    """Console pages signed in as root, each fetched `rounds` times on one kept-alive connection."""
    data = {}
    idle = {}
    for key, binary in builds.items():
        server = start_gatehouse(binary, workdir)
        time.sleep(2)
        idle[key] = server.rss_mb()
        if key != "this":
            server.stop()
            continue
        try:
            roles = boto(server.endpoint, "iam")
            trust = json.dumps({"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
            for i in range(100):
                roles.create_role(RoleName=f"bench-role-{i}", AssumeRolePolicyDocument=trust)
            for i in range(100):
                roles.create_user(UserName=f"bench-user-{i}")
            roles.create_access_key(UserName="bench-user-1")
            roles.create_login_profile(UserName="bench-user-1", Password="Bench-user-Passw0rd!")
            registry = boto(server.endpoint, "ecr")
            for i in range(20):
                registry.create_repository(repositoryName=f"bench-repo-{i}")
            for i in range(60):
                tiny_image(registry, "bench-repo-1", f"v{i}")
            connection = http.client.HTTPConnection("127.0.0.1", server.port)
            connection.request("POST", "/console/signin/root", body="email=root%40example.com&password=Gatehouse-root-1",
                               headers={"Content-Type": "application/x-www-form-urlencoded"})
            answer = connection.getresponse()
            answer.read()
            cookie = answer.getheader("Set-Cookie", "").split(";")[0]
            if not cookie:
                raise SystemExit("console: root sign-in set no cookie")
            pages = {}
            assets = set()
            for label, path in CONSOLE_PAGES:
                times = []
                for _ in range(rounds):
                    started = time.perf_counter()
                    connection.request("GET", path, headers={"Cookie": cookie})
                    answer = connection.getresponse()
                    body = answer.read()
                    times.append((time.perf_counter() - started) * 1000)
                    if answer.status != 200:
                        raise SystemExit(f"console: {path} answered {answer.status}")
                assets.update(re.findall(r'(?:href|src)="(/console/assets/[^"]+)"', body.decode()))
                times.sort()
                pages[label] = {"p50": statistics.median(times), "p95": times[int(len(times) * 0.95) - 1], "bytes": len(body)}
                print(f"console {label:40} p50 {pages[label]['p50']:.2f} ms, p95 {pages[label]['p95']:.2f} ms, {len(body):,} bytes",
                      flush=True)
            weight = {}
            for path in sorted(assets):
                connection.request("GET", path)
                answer = connection.getresponse()
                weight[path.split("/")[-1].split("?")[0]] = {"bytes": len(answer.read()),
                                                             "cache": answer.getheader("Cache-Control", "")}
            used = server.rss_mb()
        finally:
            server.stop()
        total = sum(a["bytes"] for a in weight.values())
        print(f"console assets {total:,} bytes; idle RSS {idle['this']:.1f} MB, after every page {used:.1f} MB", flush=True)
        data = {"pages": pages, "assets": weight, "used_mb": used}
    if "baseline" in idle:
        print(f"baseline idle RSS {idle['baseline']:.1f} MB", flush=True)
    return {**data, "idle_mb": idle}


SEED_000_POLICIES = [
    ("ReadECRRepositoryContent", "Allow pulling images and viewing repository information",
     ["ecr:DescribeImages", "ecr:ListImages", "ecr:BatchGetImage", "ecr:DescribeRepositories", "ecr:GetAuthorizationToken",
      "ecr:GetAccountSetting"]),
    ("WriteECRRepositoryContent", "Allow pushing and deleting images",
     ["ecr:BatchCheckLayerAvailability", "ecr:GetAuthorizationToken", "ecr:CompleteLayerUpload", "ecr:InitiateLayerUpload",
      "ecr:PutImage", "ecr:UploadLayerPart"]),
]


def seed_000_session(port, learner, record):
    """One learner doing seed 000 in the console over HTTP, as the browser would: every page the tutorial opens,
    the editor's catalog and validation calls, the two policies and the EC2 role. `record(page, ms, status)`."""
    import urllib.parse
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    cookie = ""
    kept = {}  # what the browser may keep (Cache-Control max-age): the editor's catalog, asked for again from its cache

    def send(page, method, path, form=None, expect=(200,)):
        nonlocal cookie
        if method == "GET" and path in kept:
            return kept[path]
        body = urllib.parse.urlencode(form) if form is not None else None
        headers = {"Cookie": cookie} if cookie else {}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        connection.request(method, path, body=body, headers=headers)
        answer = connection.getresponse()
        text = answer.read().decode("utf-8", "replace")
        record(page, (time.perf_counter() - started) * 1000, answer.status if answer.status in expect else -answer.status)
        if method == "GET" and answer.status == 200 and "max-age" in (answer.getheader("Cache-Control") or ""):
            kept[path] = text
        set_cookie = answer.getheader("Set-Cookie")
        if set_cookie and "gatehouse-console=" in set_cookie:
            cookie = set_cookie.split(";")[0]
        location = answer.getheader("Location")
        if answer.status == 303 and location:
            return send(page + " (after)", "GET", location)
        return text

    def csrf(html):
        found = re.search(r'name="csrf" value="([0-9a-f]+)"', html)
        return found.group(1) if found else ""

    send("sign in page", "GET", "/console/signin")
    send("sign in", "POST", "/console/signin", {"account": learner["accountId"], "username": learner["userName"],
                                                "password": learner["password"], "next": "/console"}, expect=(303,))
    send("Console Home", "GET", "/console")
    send("IAM dashboard", "GET", "/console/iam")
    for name, description, actions in SEED_000_POLICIES:
        send("Policies", "GET", "/console/iam/policies")
        token = csrf(send("Create policy", "GET", "/console/iam/policies/create"))
        send("editor: services", "GET", "/console/catalog/services")
        send("editor: ECR's actions", "GET", "/console/catalog/services/ecr")
        document = json.dumps({"Version": "2012-10-17", "Statement": [
            {"Sid": "VisualEditor0", "Effect": "Allow", "Action": actions[:-1],
             "Resource": f"arn:aws:ecr:*:{learner['accountId']}:repository/*"},
            {"Sid": "VisualEditor1", "Effect": "Allow", "Action": actions[-1:], "Resource": "*"}]}, indent=4)
        send("editor: validation", "POST", "/console/iam/policy-validation", {"csrf": token, "PolicyDocument": document})
        send("Create policy: create", "POST", "/console/iam/policies/create",
             {"csrf": token, "PolicyName": name, "Description": description, "PolicyDocument": document}, expect=(303,))
    send("Roles", "GET", "/console/iam/roles")
    token = csrf(send("Create role", "GET", "/console/iam/roles/create"))
    send("role wizard: policies", "GET", "/console/iam/policies.json")
    trust = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["sts:AssumeRole"], "Principal": {"Service": ["ec2.amazonaws.com"]}}]}, indent=4)
    form = [("csrf", token), ("RoleName", "CustomRWECRRole"), ("Description", "Role allows reading and writing ECR"),
            ("AssumeRolePolicyDocument", trust), ("TrustedEntityType", "AWS service"), ("Service", "ec2.amazonaws.com")]
    form += [(f"PolicyArns.member.{i + 1}", f"arn:aws:iam::{learner['accountId']}:policy/{p[0]}")
             for i, p in enumerate(SEED_000_POLICIES)]
    send("Create role: create", "POST", "/console/iam/roles/create", form, expect=(303,))
    send("a role's page", "GET", "/console/iam/roles/details/CustomRWECRRole")
    connection.close()


def process_cpu_seconds(pid):
    """User and system CPU time a process (all its threads) has used, from /proc."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def part_lab(binary, workdir, learners=30):
    """`learners` accounts from `gatehouse lab create`, all doing seed 000 in the console at once."""
    import threading
    server = start_gatehouse(binary, workdir)
    try:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=300)
        started = time.perf_counter()
        connection.request("POST", f"/_gatehouse/lab?learners={learners}")
        answer = connection.getresponse()
        roster = json.loads(answer.read())["learners"]
        created = time.perf_counter() - started
        if answer.status != 200 or len(roster) != learners:
            raise SystemExit(f"lab: create answered {answer.status}")
        times = {}
        errors = []
        lock = threading.Lock()

        def record(page, ms, status):
            with lock:
                times.setdefault(page, []).append(ms)
                if status < 0:
                    errors.append((page, -status))

        barrier = threading.Barrier(learners)

        def run(learner):
            barrier.wait()
            try:
                seed_000_session(server.port, learner, record)
            except Exception as e:  # a broken session is an error, and the run goes on
                with lock:
                    errors.append(("session", str(e)))

        # The learners' browsers on the load core, the server alone on its own (as every other part runs).
        affinity = os.sched_getaffinity(0)
        os.sched_setaffinity(0, {int(LOAD_CORE)})
        cpu_before = process_cpu_seconds(server.process.pid)
        started = time.perf_counter()
        threads = [threading.Thread(target=run, args=(learner,)) for learner in roster]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - started
        server_cpu = process_cpu_seconds(server.process.pid) - cpu_before
        os.sched_setaffinity(0, affinity)
        checks = 0
        for learner in roster:
            iam = boto(server.endpoint, "iam", credentials=(learner["accessKeyId"], learner["secretAccessKey"]))
            attached = iam.list_attached_role_policies(RoleName="CustomRWECRRole")["AttachedPolicies"]
            checks += sorted(p["PolicyName"] for p in attached) == sorted(p[0] for p in SEED_000_POLICIES)
    finally:
        server.stop()
    every = sorted(t for page in times.values() for t in page)
    # The sign-in's password check is slow on purpose (PBKDF2, one at a time off the event loops): reported on its own.
    viewed = sorted(t for page, values in times.items() if page != "sign in" for t in values)
    pages = {page: {"p50": statistics.median(v), "p99": sorted(v)[max(0, int(len(v) * 0.99) - 1)], "count": len(v)}
             for page, v in times.items()}
    summary = {"learners": learners, "requests": len(every), "errors": errors, "wall_s": wall, "create_s": created,
               "p50": statistics.median(every), "p99": every[max(0, int(len(every) * 0.99) - 1)], "max": every[-1],
               "completed": checks, "pages": pages, "server_cpu_s": server_cpu,
               "pages_p50": statistics.median(viewed), "pages_p99": viewed[max(0, int(len(viewed) * 0.99) - 1)],
               "pages_count": len(viewed)}
    print(f"lab: {learners} learners made in {created:.1f} s; seed 000 at once: {len(every)} requests in {wall:.1f} s, "
          f"p50 {summary['p50']:.1f} ms, p99 {summary['p99']:.1f} ms, max {summary['max']:.1f} ms; but the sign-in, "
          f"p50 {summary['pages_p50']:.1f} ms, p99 {summary['pages_p99']:.1f} ms; {len(errors)} errors, "
          f"{checks}/{learners} roles complete; the server used {server_cpu:.2f} s of CPU", flush=True)
    return summary


def part_registry(binary, workdir):
    data = {}
    shapes = {"1 x 256 MiB": (1, 256 * 2**20), "40 x 256 KiB": (40, 256 * 2**10)}
    for shape, (layers, layer_bytes) in shapes.items():
        layout = tempfile.mkdtemp(dir=workdir)
        size = make_layout(layout, layers, layer_bytes)
        gatehouse = start_gatehouse(binary, workdir)
        client = boto(gatehouse.endpoint, "ecr")
        for run in range(3):
            client.create_repository(repositoryName=f"bench-{run}")
        token = client.get_authorization_token()["authorizationData"][0]["authorizationToken"]
        creds = base64.b64decode(token).decode()
        g = registry_runs(gatehouse.host, layout, size, workdir, lambda r: f"bench-{r}", creds)
        gatehouse.stop()
        reference = start_reference_registry(workdir)
        d = registry_runs(f"127.0.0.1:{reference.port}", layout, size, workdir, lambda r: f"bench-{r}", None)
        reference.stop()
        data[shape] = {"Gatehouse": {"push": g[0], "pull": g[1]}, "docker-registry": {"push": d[0], "pull": d[1]}}
        print(f"{shape}: Gatehouse push {g[0]:.0f} MB/s pull {g[1]:.0f} MB/s; docker-registry push {d[0]:.0f} pull {d[1]:.0f}",
              flush=True)
        shutil.rmtree(layout)
    return {"shapes": data}


def part_policy(binary, workdir):
    """PolicyEngineBenchmark (decisions per second, ValidatePolicy on a 6 KB
    policy), then `gatehouse policy generate` over a decision log of 100,000
    lines: one principal's calls on 40 actions and 2,000 resources, a tenth
    refused (median of 3 runs, process start included)."""
    bench = os.path.join(ROOT, ".build", "release", "PolicyEngineBenchmark")
    out = subprocess.run(["taskset", "-c", SERVER_CORE, bench], capture_output=True, text=True, cwd=ROOT).stdout
    print(out)
    match = re.search(r"validate: 6 KB identity policy\s+([0-9.]+) ms/policy", out)
    principal = "arn:aws:iam::000000000000:role/app"
    log = os.path.join(workdir, "decisions.jsonl")
    actions = [f"{service}:{verb}{n}" for service in ("s3", "ecr", "dynamodb", "sqs") for verb in ("Get", "Put") for n in range(5)]
    with open(log, "w") as f:
        for i in range(100_000):
            action = actions[i % len(actions)]
            service = action.split(":")[0]
            f.write(json.dumps({"sequence": i + 1, "time": 1764547200 + i, "requestId": f"r{i}",
                                "principal": f"arn:aws:sts::000000000000:assumed-role/app/s{i % 7}", "action": action,
                                "resource": (f"arn:aws:s3:::bucket/t{(i * 7919) % 2000}" if service == "s3" else
                                             f"arn:aws:{service}:us-east-1:000000000000:thing/t{(i * 7919) % 2000}"),
                                "outcome": "implicitDeny" if i % 10 == 0 else "allowed", "enforced": False,
                                "statements": [], "evaluated": []}) + "\n")
    times = []
    for _ in range(3):
        started = time.perf_counter()
        done = subprocess.run(["taskset", "-c", SERVER_CORE, binary, "policy", "generate", "--principal", principal, "--log", log,
                               "--compact"], capture_output=True, text=True)
        times.append((time.perf_counter() - started) * 1000)
        if done.returncode != 0:
            raise SystemExit(f"policy generate failed: {done.stderr}")
    generate_ms = statistics.median(times)
    print(f"policy generate over 100,000 logged decisions: {generate_ms:.0f} ms", flush=True)
    return {"output": out.strip(), "validate_ms": float(match.group(1)) if match else None, "generate_ms": generate_ms}


# ---------------------------------------------------------------- registry

def make_layout(directory, layers, layer_bytes):
    os.makedirs(os.path.join(directory, "blobs", "sha256"), exist_ok=True)

    def put(data):
        digest = hashlib.sha256(data).hexdigest()
        with open(os.path.join(directory, "blobs", "sha256", digest), "wb") as f:
            f.write(data)
        return {"digest": "sha256:" + digest, "size": len(data)}
    descriptors = [dict(put(os.urandom(layer_bytes)), mediaType="application/vnd.oci.image.layer.v1.tar+gzip") for _ in range(layers)]
    config = dict(put(json.dumps({"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers", "diff_ids": []}}).encode()),
                  mediaType="application/vnd.oci.image.config.v1+json")
    manifest = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json", "config": config,
                           "layers": descriptors}).encode()
    m = put(manifest)
    with open(os.path.join(directory, "oci-layout"), "w") as f:
        json.dump({"imageLayoutVersion": "1.0.0"}, f)
    with open(os.path.join(directory, "index.json"), "w") as f:
        json.dump({"schemaVersion": 2, "manifests": [dict(m, mediaType="application/vnd.oci.image.manifest.v1+json",
                                                          annotations={"org.opencontainers.image.ref.name": "bench"})]}, f)
    return layers * layer_bytes


def skopeo(args, creds, home):
    env = dict(os.environ, HOME=home, XDG_RUNTIME_DIR=home, XDG_CONFIG_HOME=home, XDG_DATA_HOME=home)
    started = time.perf_counter()
    subprocess.run(["taskset", "-c", LOAD_CORE, "skopeo", "copy", "--quiet", "--src-tls-verify=false", "--dest-tls-verify=false"]
                   + creds + args, check=True, env=env, capture_output=True)
    return time.perf_counter() - started


def registry_runs(host, layout, size, workdir, repo_for, creds, runs=3):
    push, pull = [], []
    for run in range(runs):
        home = tempfile.mkdtemp(dir=workdir)
        repo = repo_for(run)
        push.append(size / skopeo([f"oci:{layout}:bench", f"docker://{host}/{repo}:bench"], ["--dest-creds", creds] if creds else [], home) / 1e6)
        out = tempfile.mkdtemp(dir=workdir)
        pull.append(size / skopeo([f"docker://{host}/{repo}:bench", f"oci:{out}:bench"], ["--src-creds", creds] if creds else [], home) / 1e6)
        shutil.rmtree(out)
    return statistics.median(push), statistics.median(pull)


def start_reference_registry(workdir):
    port = free_port()
    storage = tempfile.mkdtemp(dir=workdir)
    config = os.path.join(workdir, "registry.yml")
    with open(config, "w") as f:
        f.write(f"version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: {storage}\n"
                f"http:\n  addr: 127.0.0.1:{port}\n")
    server = Server("docker-registry", ["docker-registry", "serve", config], port)
    for _ in range(200):
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/v2/")
            return server
        except OSError:
            time.sleep(0.05)
    server.stop()
    raise SystemExit("docker-registry did not start")


# ---------------------------------------------------------------- what was measured

def first_line(argv, cwd=None):
    try:
        return subprocess.run(argv, capture_output=True, text=True, cwd=cwd).stdout.strip().splitlines()[0]
    except Exception:
        return "unknown"


def versions(parts):
    import importlib.metadata as md
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
    found = {
        "machine": f"{os.cpu_count()} cores ({cpu}), {round(os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30)} GiB, "
                   f"{platform.system()} {platform.release()}",
        "swift": first_line(["swift", "--version"]),
        "wrk": first_line(["dpkg-query", "-W", "-f=${Version}", "wrk"]),
    }
    if "moto" in parts:
        found["moto"] = md.version("moto")
    if "registry" in parts:
        found["docker-registry"] = first_line(["dpkg-query", "-W", "-f=${Version}", "docker-registry"])
        found["skopeo"] = first_line(["skopeo", "--version"])
    return found


def describe_build(path):
    """The commit a binary or work tree was built from, as far as git can tell:
    `abc1234 (branch)`, `-dirty` when the work tree has changes."""
    directory = path if os.path.isdir(path) else os.path.dirname(path)
    commit = first_line(["git", "rev-parse", "--short", "HEAD"], cwd=directory)
    if commit == "unknown":
        return os.path.abspath(path)
    branch = first_line(["git", "rev-parse", "--abbrev-ref", "HEAD"], cwd=directory)
    # What this script writes does not count as a change.
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no", "--", ":(top)", ":(top,exclude)docs/benchmarks.*"],
                           capture_output=True, text=True, cwd=directory).stdout.strip()
    return f"{commit}{'-dirty' if dirty else ''}" + (f" ({branch})" if branch not in ("HEAD", "unknown") else "")


def load_previous():
    """Earlier results, each section with the run that measured it. The first
    format (one run, peers "Gatehouse" and "moto") is read as such a run."""
    try:
        with open(RESULTS) as f:
            old = json.load(f)
    except (OSError, ValueError):
        return {"format": 2, "sections": {}}
    if old.get("format") == 2:
        return old
    commit = first_line(["git", "log", "-1", "--format=%h", "--", "docs/benchmarks.json"], cwd=ROOT)
    run = {"date": old.get("date", "?"), "quick": False, "this": f"the build recorded in {commit}", "baseline": None,
           "versions": old.get("versions", {})}
    rename = {"Gatehouse": "this", "moto": "moto"}
    sections = {}
    if old.get("api"):
        sections["moto"] = {"run": run, "workloads": {label: {rename[p]: figures for p, figures in peers.items()}
                                                      for label, peers in old["api"].items()},
                            "loaded_mb": {rename[p]: s["loaded_mb"] for p, s in old.get("start", {}).items() if "loaded_mb" in s}}
    if old.get("start"):
        sections["start"] = {"run": run, "peers": {rename[p]: {"cold_ms": s["cold_ms"], "idle_mb": s["idle_mb"]}
                                                   for p, s in old["start"].items()}}
    if old.get("registry"):
        sections["registry"] = {"run": run, "shapes": old["registry"]}
    if old.get("policy"):
        sections["policy"] = {"run": run, "output": old["policy"]}
    return {"format": 2, "versions": old.get("versions", {}), "sections": sections}


def parse_parts(text):
    if not text:
        return set(PARTS)
    parts = {p.strip() for p in text.split(",") if p.strip()}
    unknown = parts - set(PARTS)
    if unknown:
        raise SystemExit(f"unknown part(s) {', '.join(sorted(unknown))}; parts: {', '.join(PARTS)}")
    return parts


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="shorter runs (for trying the script)")
    parser.add_argument("--skip-build", action="store_true", help="use the binaries in .build/release as they are")
    parser.add_argument("--baseline", metavar="BINARY", help="a second gatehouse binary to compare this build with")
    parser.add_argument("--only", metavar="PARTS", help=f"comma-separated parts to run ({','.join(PARTS)}); default all")
    parser.add_argument("--report-only", action="store_true",
                        help="measure nothing: write docs/benchmarks.md again from docs/benchmarks.json")
    args = parser.parse_args()
    if args.report_only:
        report(json.loads(json.dumps(load_previous())))
        return
    parts = parse_parts(args.only)
    seconds = 3 if args.quick else 8
    binary = os.path.join(ROOT, ".build", "release", "gatehouse")
    baseline = None
    if args.baseline:
        baseline = os.path.abspath(args.baseline)
        if not os.access(baseline, os.X_OK):
            raise SystemExit(f"--baseline {args.baseline}: not an executable file")
    skeleton = os.path.join(ROOT, ".build", "release", "HummingbirdSkeleton")
    if not args.skip_build:
        # The binary users run: static Swift runtime, stripped (scripts/release).
        subprocess.run([os.path.join(ROOT, "scripts", "release")], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        if "start" in parts:
            subprocess.run([os.path.join(ROOT, "scripts", "release"), "HummingbirdSkeleton"], cwd=ROOT, check=True,
                           stdout=subprocess.DEVNULL)
        products = (["PolicyEngineBenchmark"] if "policy" in parts else []) + (["RequestCostBenchmark"] if "cost" in parts else [])
        for product in products:
            # The same runtime flag as scripts/release: another one would rebuild every module.
            subprocess.run(["swift", "build", "-c", "release", "--product", product, "--static-swift-stdlib"], cwd=ROOT, check=True)
    workdir = tempfile.mkdtemp(prefix="gatehouse-bench-")
    run = {"date": datetime.date.today().isoformat(), "quick": args.quick, "this": describe_build(ROOT),
           "baseline": describe_build(baseline) if baseline else None, "versions": versions(parts)}
    print(f"# this build: {run['this']}" + (f"; baseline: {run['baseline']} ({baseline})" if baseline else ""), flush=True)
    builds = {"this": binary, **({"baseline": baseline} if baseline else {})}
    gatehouses = {key: (lambda b=b: start_gatehouse(b, workdir)) for key, b in builds.items()}
    measured = {}
    try:
        if "start" in parts:
            print("# cold start and memory", flush=True)
            starts = dict(gatehouses, skeleton=lambda: start_skeleton(skeleton),
                          **({"moto": lambda: start_moto(workdir)} if "moto" in parts else {}))
            measured["start"] = part_start(starts, dict(builds, skeleton=skeleton))
        if "api" in parts or "moto" in parts:
            print("# API throughput", flush=True)
            starts = dict(gatehouses) if "api" in parts else {"this": gatehouses["this"]}
            if "moto" in parts:
                starts["moto"] = lambda: start_moto(workdir)
            api = part_api(starts, seconds, workdir, 1000)
            if "api" in parts:
                measured["api"] = {"workloads": {label: {k: v for k, v in peers.items() if k != "moto"}
                                                 for label, peers in api["workloads"].items()},
                                   "loaded_mb": {k: v for k, v in api["loaded_mb"].items() if k != "moto"}}
            if "moto" in parts:
                measured["moto"] = {"workloads": {label: {k: v for k, v in peers.items() if k in ("this", "moto")}
                                                  for label, peers in api["workloads"].items()},
                                    "loaded_mb": {k: v for k, v in api["loaded_mb"].items() if k in ("this", "moto")}}
        if "mixed" in parts:
            print("# mixed reads and writes", flush=True)
            measured["mixed"] = part_mixed(gatehouses, seconds, workdir)
        if "scaling" in parts:
            print("# a page's time as the account grows", flush=True)
            measured["scaling"] = part_scaling(builds, seconds, workdir)
        if "cost" in parts:
            print("# SQLite transactions per request", flush=True)
            measured["cost"] = part_cost()
        if "console" in parts:
            print("# web console", flush=True)
            measured["console"] = part_console(builds, workdir, rounds=20 if args.quick else 60)
        if "lab" in parts:
            print("# a lab: 30 learners doing seed 000 in the console at once", flush=True)
            measured["lab"] = part_lab(builds["this"], workdir)
        if "registry" in parts:
            print("# registry", flush=True)
            measured["registry"] = part_registry(binary, workdir)
        if "policy" in parts:
            print("# policy evaluation", flush=True)
            measured["policy"] = part_policy(binary, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    results = load_previous()
    results["versions"] = run["versions"]
    for name, section in measured.items():
        results["sections"][name] = {"run": run, **section}
    with open(RESULTS, "w") as f:
        json.dump(results, f, indent=1)
    # As read back: concurrencies and sizes are strings in JSON, old and new alike.
    results = json.loads(json.dumps(results))
    report(results)
    if measured.keys() & {"moto", "registry", "start"}:
        chart(results)


# ---------------------------------------------------------------- report

def ratio(a, b):
    return a / b if b else float("inf")


def times(a, b, digits=2):
    """a / b as `1.23x`, or a dash when b is nothing to compare with."""
    return f"{a / b:.{digits}f}x" if b else "—"


# The machine the header names (the latest run's); a section measured elsewhere says so.
HEADER = {"machine": None}


def provenance(section):
    run = section["run"]
    machine = run.get("versions", {}).get("machine")
    text = f"Measured {run['date']}{' with `--quick` (short runs)' if run.get('quick') else ''}"
    if machine and machine != HEADER["machine"]:
        text += f" on {machine}"
    text += f"; this build: {run['this']}"
    if run.get("baseline") and section.get("uses_baseline", True):
        text += f"; baseline: {run['baseline']}"
    return f"_{text}._"


def peers_of(figures):
    return [key for key in ("this", "baseline", "skeleton", "moto") if key in figures]


def fmt(r):
    return f"{r['rps']:.0f} | {r['p50']:.2f} / {r['p99']:.2f} | {r['non2xx']}"


def report(results):
    v, sections = results["versions"], results["sections"]
    HEADER["machine"] = v.get("machine")
    # Peers' versions as the runs that measured them recorded them.
    peers = []
    if "moto" in sections:
        peers.append(f"moto {sections['moto']['run'].get('versions', {}).get('moto', '?')} (its server)")
    if "registry" in sections:
        r = sections["registry"]["run"].get("versions", {})
        peers.append(f"docker-registry {r.get('docker-registry', '?')} (distribution); skopeo {r.get('skopeo', '?')}")
    lines = ["# Benchmarks", "",
             f"Measured by `scripts/bench` on {v.get('machine', '?')}. Swift: {v.get('swift', '?')}; wrk {v.get('wrk', '?')}"
             + (f"; {', '.join(peers)}" if peers else "") + ". Each section says which run measured it: `scripts/bench --only` "
             "runs some parts and keeps the others' figures.",
             "Server pinned to core 0, load generator to core 1; SigV4-signed requests replayed by wrk; Gatehouse verifies "
             "every signature and enforces policies on every request. \"this build\" is the work tree's release build; "
             "\"baseline\" another gatehouse binary given with `--baseline` (e.g. main), run in the same run, its runs "
             "interleaved with this build's. LocalStack is not in the comparison: it needs a Docker engine, which these "
             "machines do not have.", "",
             "![Gatehouse / peer](benchmarks.png)", ""]
    if "api" in sections:
        lines += api_table("API throughput (successful requests per second) and latency", sections["api"])
    if "mixed" in sections:
        lines += mixed_table(sections["mixed"])
    if "scaling" in sections:
        lines += scaling_table(sections["scaling"])
    if "cost" in sections:
        lines += cost_table(sections["cost"])
    if "console" in sections:
        lines += console_table(sections["console"])
    if "lab" in sections:
        lines += lab_table(sections["lab"])
    if "moto" in sections:
        lines += api_table("Against moto: API throughput (successful requests per second) and latency", sections["moto"])
    if "start" in sections:
        lines += start_table(sections["start"], sections)
    if "registry" in sections:
        s = sections["registry"]
        lines += ["## Registry (skopeo copy, MB/s, median of 3)", "", provenance(dict(s, uses_baseline=False)), "",
                  "| image | Gatehouse push | docker-registry push | ratio | Gatehouse pull | docker-registry pull | ratio |",
                  "| --- | --- | --- | --- | --- | --- | --- |"]
        for shape, r in s["shapes"].items():
            g, d = r["Gatehouse"], r["docker-registry"]
            lines.append(f"| {shape} | {g['push']:.0f} | {d['push']:.0f} | {ratio(g['push'], d['push']):.2f}x | {g['pull']:.0f} | "
                         f"{d['pull']:.0f} | {ratio(g['pull'], d['pull']):.2f}x |")
        lines.append("")
    if "policy" in sections:
        s = sections["policy"]
        lines += ["## Policy evaluation (PolicyEngineBenchmark, one core)", "", provenance(dict(s, uses_baseline=False)), "",
                  "```", s["output"], "```", ""]
        if "generate_ms" in s:
            lines += [f"`gatehouse policy generate` over 100,000 logged decisions (process start included): {s['generate_ms']:.0f} ms.", ""]
    lines += targets(sections)
    with open(os.path.join(ROOT, "docs", "benchmarks.md"), "w") as f:
        f.write("\n".join(lines))


def api_table(title, section):
    workloads = section["workloads"]
    keys = peers_of(next(iter(workloads.values())))
    rest = [k for k in keys if k != "this"]
    head = "| workload | conc. | this build req/s | p50 / p99 ms | non-2xx |"
    rule = "| --- | --- | --- | --- | --- |"
    for k in rest:
        head += f" {NAMES[k]} req/s | p50 / p99 ms | non-2xx | this / {NAMES[k]} |"
        rule += " --- | --- | --- | --- |"
    lines = [f"## {title}", "", provenance(dict(section, uses_baseline="baseline" in keys)), "", head, rule]
    for label, figures in workloads.items():
        for c in CONCURRENCIES:
            this = by_concurrency(figures["this"], c)
            row = f"| {label} | {c} | {fmt(this)} |"
            for k in rest:
                r = by_concurrency(figures[k], c)
                row += f" {fmt(r)} | {times(this['rps'], r['rps'], 2 if k == 'baseline' else 1)} |"
            lines.append(row)
    if section.get("loaded_mb"):
        lines += ["", "RSS after the load run: " + ", ".join(f"{NAMES[k]} {mb:.0f} MB" for k, mb in section["loaded_mb"].items()) + "."]
    return lines + [""]


def by_concurrency(figures, c):
    return figures[str(c)]


def mixed_loss(figures):
    return 100 * (1 - ratio(figures["mixed"]["rps"], figures["reads"]["rps"]))


def mixed_table(section):
    data = section["peers"]
    keys = peers_of(data)
    lines = ["## Mixed reads and writes", "", provenance(dict(section, uses_baseline="baseline" in keys)), "",
             f"{MIXED_USERS} IAM users, each with its own access key and an attached customer managed policy (iam:Get\\*, "
             f"iam:List\\*, iam:TagRole, iam:TagUser); {MIXED_CYCLE} pre-signed requests replayed in order, request i signed by user "
             f"i mod {MIXED_USERS}. Reads: GetRole, ListAttachedRolePolicies (on {MIXED_ROLES} roles, one attached policy each) "
             "and GetUser in turn. Mixed: every tenth request is instead a TagRole (5 of the users) that changes a role's tag "
             "value (consecutive writes set different values). Throughput counts successful requests, writes included; the loss "
             "is the mixed throughput against the reads alone.", "",
             "| build | conc. | reads only req/s | p50 / p99 ms | non-2xx | 90% reads + 10% writes req/s | p50 / p99 ms | non-2xx | loss |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for key in keys:
        for c in MIXED_CONCURRENCIES:
            f = by_concurrency(data[key], c)
            lines.append(f"| {NAMES[key]} | {c} | {fmt(f['reads'])} | {fmt(f['mixed'])} | {mixed_loss(f):.0f}% |")
    if "baseline" in keys:
        lines.append("")
        lines.append("this build / baseline: " + "; ".join(
            f"c={c} reads {times(by_concurrency(data['this'], c)['reads']['rps'], by_concurrency(data['baseline'], c)['reads']['rps'])}, "
            f"mixed {times(by_concurrency(data['this'], c)['mixed']['rps'], by_concurrency(data['baseline'], c)['mixed']['rps'])}"
            for c in MIXED_CONCURRENCIES) + ".")
    return lines + [""]


KINDS = {"roles": "iam ListRoles", "repositories": "ecr DescribeRepositories"}


def scaling_table(section):
    lists = section["lists"]
    keys = peers_of(next(iter(next(iter(next(iter(lists.values())).values())).values())))
    head = "| list | entities | page | entries | this build p50 / p99 ms | req/s |"
    rule = "| --- | --- | --- | --- | --- | --- |"
    if "baseline" in keys:
        head += " baseline p50 / p99 ms | req/s | p50 this / baseline |"
        rule += " --- | --- | --- |"
    lines = ["## A page's time as the account grows", "", provenance(dict(section, uses_baseline="baseline" in keys)), "",
             f"The default account starts from a state snapshot (`serve --seed`) holding N roles and N ECR repositories. Pages of "
             f"{PAGE} (MaxItems / maxResults); the first page, the second and the last, reached with the marker (nextToken) a walk "
             "through every page with boto3 was given; each page's exact request replayed alone by wrk at concurrency 1, so its "
             f"latency is what the page costs. With {SCALE_SIZES[0]} entities the first page is the only one. Past 1,000 roles the "
             "account is over IAM's default quota (CreateRole refuses the 1,001st); a snapshot import does not check quotas, so "
             f"the account can hold {SCALE_SIZES[-1]:,}, as in the issue's measurement.", "", head, rule]
    for kind, sizes in lists.items():
        for size, pages in sizes.items():
            for page, figures in pages.items():
                this = figures["this"]
                row = (f"| {KINDS[kind]} | {int(size):,} | {page} | {this['entries']} | {this['p50']:.2f} / {this['p99']:.2f} | "
                       f"{this['rps']:.0f} |")
                if "baseline" in keys:
                    b = figures["baseline"]
                    row += f" {b['p50']:.2f} / {b['p99']:.2f} | {b['rps']:.0f} | {times(this['p50'], b['p50'])} |"
                lines.append(row)
    lines.append("")
    for key in keys:
        growth = ", ".join(f"{KINDS[kind]} {page_growth(sizes, key):.2f}x" for kind, sizes in lists.items())
        lines.append(f"Slowest page (any size, any position) against the first page with {SCALE_SIZES[0]} entries, p50, "
                     f"{NAMES[key]}: {growth}.  ")
    return lines + [""]


def page_growth(sizes, key):
    """The slowest page's p50 over the first page's p50 at the smallest size."""
    first = sizes[str(min(int(s) for s in sizes))]
    smallest = next(figures for page, figures in first.items() if page.startswith("1 of"))[key]["p50"]
    slowest = max(figures[key]["p50"] for pages in sizes.values() for figures in pages.values())
    return ratio(slowest, smallest)


def console_table(section):
    idle = section["idle_mb"]
    lines = ["## Web console", "", provenance(dict(section, uses_baseline="baseline" in idle)), "",
             "Each page fetched signed in as root on one kept-alive connection, account with 100 roles, 100 users, 20 repositories (one "
             "with 60 images) and the 1,485 AWS managed policies: the time from request to the last byte, which is the server's rendering plus the IAM "
             "operations the page makes as the signed-in principal (ListPolicies over every page for the Policies list).", "",
             "| page | p50 | p95 | HTML |", "| --- | --- | --- | --- |"]
    for label, f in section["pages"].items():
        lines.append(f"| {label} | {f['p50']:.2f} ms | {f['p95']:.2f} ms | {f['bytes']:,} B |")
    total = sum(a["bytes"] for a in section["assets"].values())
    caches = sorted({a["cache"] for a in section["assets"].values()})
    weights = ", ".join(f"{n} {a['bytes']:,} B" for n, a in section["assets"].items())
    lines += ["", f"Assets: {weights}; "
              f"{total:,} bytes in all, served with `Cache-Control: {'; '.join(caches)}` under a content-hash URL.", ""]
    memory = f"Idle RSS {idle['this']:.1f} MB"
    if "baseline" in idle:
        memory += f" (baseline, without the console: {idle['baseline']:.1f} MB; the console adds {idle['this'] - idle['baseline']:.1f} MB)"
    memory += f"; after every page above was opened (the service catalog read, sessions, caches): {section['used_mb']:.1f} MB."
    return lines + [memory, ""]


def lab_table(section):
    lines = ["## A lab: learners doing seed 000 in the console at once", "", provenance(dict(section, uses_baseline=False)), "",
             f"`gatehouse lab create --learners {section['learners']}` (made in {section['create_s']:.1f} s: an account, a "
             "console user with a password, AdministratorAccess and an access key each), then every learner at once does seed "
             "000 in the console over HTTP as the browser would, each on its own kept-alive connection from Python threads on "
             "the other core: sign in, Console Home, IAM, Policies, Create policy with the editor's catalog and validation "
             "calls (twice), Roles, Create role for EC2 with both policies, the role's page. Like a browser, a session keeps "
             "what the server lets it keep (the editor's service catalog, `Cache-Control: max-age`) and does not ask again. Times are from request to the "
             "last byte as the client saw them; a redirect after a form is counted as its own request.", "",
             f"{section['requests']:,} requests in {section['wall_s']:.1f} s, the server using {section['server_cpu_s']:.2f} s "
             f"of CPU on its one core; {len(section['errors'])} errors; {section['completed']}/{section['learners']} learners' "
             f"roles complete with both policies. Every request but the sign-in's POST: p50 {section['pages_p50']:.1f} ms, "
             f"p99 {section['pages_p99']:.1f} ms. The sign-in checks the password with PBKDF2, slow on purpose and run one "
             "at a time away from the event loops (`SlowWork`), so 30 learners signing in at the same instant wait in turn "
             f"for it (p50 {section['pages']['sign in']['p50']:.0f} ms, p99 {section['pages']['sign in']['p99']:.0f} ms) "
             f"while pages go on being served; all requests together: p99 {section['p99']:.1f} ms.", "",
             "| request | count | p50 | p99 |", "| --- | --- | --- | --- |"]
    for page, f in section["pages"].items():
        lines.append(f"| {page} | {f['count']} | {f['p50']:.1f} ms | {f['p99']:.1f} ms |")
    return lines + [""]


def cost_table(section):
    lines = ["## SQLite transactions per request", "", provenance(dict(section, uses_baseline=False)), "",
             "Counted by the store (`Store.transactionCount`: every read, write and bookkeeping transaction) around GetRole "
             "requests dispatched in process by `RequestCostBenchmark` (GatehouseTesting: the real services and authorizer, the "
             "principal found from its access key as the front door finds it). Warm: the same request repeated. After a write "
             "elsewhere: each one right after a write to another role (TagRole). Cold: each one right after a write to the caller "
             "(TagUser on the user; for root, a write its caches do not depend on). A cold request costs the access key's lookup "
             "at the front door, then the operation's one transaction.", "",
             "| GetRole as | warm | after a write elsewhere | cold |", "| --- | --- | --- | --- |"]
    for who, states in section["getRole"].items():
        cells = []
        for state in ("warm", "elsewhere", "cold"):
            f = states.get(state)
            if f is None:
                cells.append("–")
                continue
            cells.append(f"{f['mean']:g}" + (f" ({f['least']}–{f['most']})" if f["least"] != f["most"] else ""))
        lines.append("| " + who + " | " + " | ".join(cells) + " |")
    return lines + [""]


def start_table(section, sections):
    data = section["peers"]
    keys = peers_of(data)
    head = "| | " + " | ".join(NAMES[k] for k in keys) + "".join(f" | this / {NAMES[k]}" for k in keys if k != "this") + " |"
    rule = "| --- " * (1 + len(keys) + len(keys) - 1) + "|"
    lines = ["## Start-up and memory", "", provenance(dict(section, uses_baseline="baseline" in keys)), "",
             "Binaries as `scripts/release` builds them (static Swift runtime, stripped). The Hummingbird skeleton "
             "(`Sources/HummingbirdSkeleton`) is the same stack answering a fixed 200 and nothing else: the floor "
             "under Gatehouse's figures. Idle RSS counts the code pages mapped from the binary and shared libraries "
             "(the kernel maps them around each page touched); anonymous memory is the process's own heap and stacks.",
             "", head, rule]
    for what, field, digits in (("cold start, fresh data directory (ms)", "cold_ms", 1), ("idle RSS (MB)", "idle_mb", 1),
                                ("of which anonymous (MB)", "anon_mb", 1), ("binary size (MB)", "size_mb", 1)):
        if not any(field in data[k] for k in keys):
            continue
        cell = lambda k: f"{data[k][field]:.{digits}f}" if field in data[k] else "—"
        lines.append(f"| {what} | " + " | ".join(cell(k) for k in keys)
                     + "".join(f" | {ratio(data['this'][field], data[k][field]):.2f}" if field in data[k] and field in data["this"]
                               else " | —" for k in keys if k != "this") + " |")
    return lines + [""]


# What the profiles (perf record --call-graph dwarf against the release
# binary under wrk) showed after the fixes; kept beside the figures because a
# missed target must say what limits it.
LIMITS = """\
- **Per-request API cost.** About a third of a GetCallerIdentity is HTTP/1.1 parsing and writing in
  SwiftNIO's event loops; the rest is SigV4 (canonical request, body SHA-256, HMAC), the request id and
  the XML envelope. Fixed on the way: compiling SQL on every call (now one cached statement per
  connection), Codable row decoding on hot records (they decode by hand), Character-level string work
  in SigV4, a libcrypto call per request id, swift-log's `StreamLogHandler` re-rendering metadata on
  every request, and two event loops on one core: NIO sized its loops by the machine's CPUs, not the
  affinity mask, so under `taskset -c 0` requests' tasks hopped between loops (~0.4 context switches
  and ~8% more CPU per GetCallerIdentity, measured with `perf stat`).
- **Reads.** Each read is a transaction on a pooled WAL connection (`BEGIN`/`COMMIT`); for GetRole that
  is most of the remaining time. ListRoles(100) spends it on 100 rows and the XML for 100 URL-encoded
  trust policies.
- **Idle RSS** is almost all code pages mapped from files: of ~29 MB, ~19 MB are the binary's own pages,
  ~3.4 MB libcrypto, ~1.6 MB libc, ~1.2 MB libsqlite3, ~1.1 MB libstdc++; the heap and stacks are ~3 MB.
  The kernel maps file pages around each page a process touches (fault-around, 64 KB), so code touched
  here and there counts in 64 KB steps. The Hummingbird skeleton, the same stack answering a fixed 200,
  idles at ~16 MB (1.0 MB anonymous): 15 MB would leave Gatehouse under 1 MB, below this stack's floor. Dropping full
  Foundation (ICU's data and FoundationInternationalization, which GRDB linked whatever our targets
  imported) and URLSession (FoundationNetworking, libcurl and its libraries) took ~15 MB off.
- **Cold start** with a fresh data directory is 2-3x the skeleton's (26-34 ms against 10-13 ms in runs on
  2026-12-03; the same binaries move by a third between runs on these shared machines). Where it goes, from
  `perf record` over 20 starts of an unstripped build (server on one core; shares of the samples):
  ArgumentParser ~16% (parsing `serve`'s options: it reflects the command's properties with Mirror, and
  each first cast or generic instantiation is a Swift runtime conformance lookup scanning all ~8,500
  conformance records, against the skeleton's ~5,400), Gatehouse's own start-up (store, seed,
  services, routes) ~18%, Hummingbird and NIO's set-up ~30% (as in the skeleton), page faults ~14%.
  Conformance lookups alone are ~17% of all samples. Removed on the way: the 16 migrations on a fresh
  directory (~15 ms: SQLite writing ~150 pages through the WAL; a fresh directory now starts as a copy
  of the migrated, empty database compiled in, `StateTemplate`, written with one `writev`, ~0.5 ms);
  the loader's 84,596 relocations of a position-independent executable (~5 ms, `-no-pie`); ServiceLifecycle
  naming each background service by reflecting its stored properties (~2 ms); hashing the root user's
  console password at every start (PBKDF2, ~20 ms; the bundled seed carries the hash); the `--version`
  text scanning the 4 MB managed-policy data set; ArgumentParser deriving command names from
  demangled type names; the dynamic symbol table the static runtime's `-export-dynamic` filled (4 MB,
  ~8 ms; `--no-export-dynamic`). What remains is spread thin: no single phase left is worth more than
  ~4 ms, and the largest (ArgumentParser) would need a second, hand-written parser for `serve`.
- **Binary size.** The skeleton alone is ~21 MB static and stripped (the Swift runtime, NIO,
  Hummingbird, FoundationEssentials): 25 MB would leave 4 MB for all Gatehouse adds. Of its ~16 MB,
  6 MB are the data sets compiled in as JSON (AWS managed policies 4.1 MB, the service catalog
  1.9 MB), the rest Gatehouse's code (generated shapes, services, console) and its unwind tables.
  Dropping full Foundation and GRDB took the binary from 92 MB to 44 MB; `--no-export-dynamic` to 40 MB, `-no-pie` (no relocation table) to 37.5 MB.
- **Registry transfers** are bound by the client: curl pulls the 256 MiB layer from Gatehouse at
  1.3-1.7 GB/s, while skopeo (one core: digest verification, writing the OCI layout) needs ~1.4 s for
  it from either registry, so the pull ratio stays near 1x. Small layers are dominated by skopeo's
  per-blob round trips and their ratios have moved by 2x between runs.
- **Noise.** These machines are shared: with the same code, GetCallerIdentity at c=32 has measured
  from ~9,300/s to ~19,000/s in different runs. Compare figures within one run. `--baseline` runs
  both builds in one run, their runs interleaved, but that does not remove the noise of other work
  on the machine: a `--quick` trial of two builds of the same code, with other engineers' builds and
  tests running, gave this build / baseline ratios from 0.70x to 1.46x. Measure on a quiet machine.
"""

# How "a page costs what the page holds" is read: every page, at every size and
# position, within this factor of the first page with the fewest entities (p50,
# concurrency 1; the margin is for a shared machine's noise).
FLAT = 1.25


def when(section):
    run = section["run"]
    return run["date"] + (" (--quick)" if run.get("quick") else "")


def targets(sections):
    """The issues' targets against the figures at hand (each row says which run)."""
    rows = []

    def row(what, target, got, ok, section):
        rows.append(f"| {what} | {target} | {got} | {'met' if ok else 'missed'} | {when(section)} |")

    own = sections.get("api") or sections.get("moto")
    if own:
        w = own["workloads"]
        gci, lr = by_concurrency(w["sts GetCallerIdentity"]["this"], 32), by_concurrency(w["iam ListRoles (100)"]["this"], 32)
        row("GetCallerIdentity c=32", ">= 15,000/s, p99 < 5 ms", f"{gci['rps']:.0f}/s, p99 {gci['p99']:.2f} ms",
            gci["rps"] >= 15000 and gci["p99"] < 5, own)
        row("ListRoles(100) c=32", ">= 2,000/s, p99 < 5 ms", f"{lr['rps']:.0f}/s, p99 {lr['p99']:.2f} ms",
            lr["rps"] >= 2000 and lr["p99"] < 5, own)
    if "start" in sections:
        s = sections["start"]["peers"]["this"]
        row("cold start, fresh data directory", "<= 50 ms", f"{s['cold_ms']:.0f} ms", s["cold_ms"] <= 50, sections["start"])
        row("idle RSS", "<= 30 MB", f"{s['idle_mb']:.0f} MB", s["idle_mb"] <= 30, sections["start"])
    if "registry" in sections:
        for shape, r in sections["registry"]["shapes"].items():
            for way in ("push", "pull"):
                x = ratio(r["Gatehouse"][way], r["docker-registry"][way])
                row(f"registry {way} {shape}", ">= 1.5x docker-registry", f"{x:.2f}x", x >= 1.5, sections["registry"])
    decisions = re.findall(r"^evaluate:.*?([\d.]+) decisions/s", sections.get("policy", {}).get("output", ""), re.M)
    if decisions:
        worst = min(float(d) for d in decisions)
        row("policy decisions per core (slowest evaluate workload)", ">= 1,000,000/s", f"{worst:,.0f}/s", worst >= 1_000_000,
            sections["policy"])
    earlier = rows
    rows = []
    if "api" in sections:
        w = sections["api"]["workloads"]
        if "baseline" in w["iam GetRole"]:
            this, base = by_concurrency(w["iam GetRole"]["this"], 32), by_concurrency(w["iam GetRole"]["baseline"], 32)
            x = ratio(this["rps"], base["rps"])
            row("GetRole c=32 against the baseline", ">= 2x", f"{x:.2f}x ({this['rps']:.0f}/s against {base['rps']:.0f}/s)",
                x >= 2, sections["api"])
        # At c=32 a p99 under 10 ms needs over 3,200/s (32 requests in flight: mean latency is 32 / throughput),
        # so the pair is read where it can hold together: c=8, and the throughput at c=32 beside it.
        lr8 = by_concurrency(w["iam ListRoles (100)"]["this"], 8)
        lr32 = by_concurrency(w["iam ListRoles (100)"]["this"], 32)
        row("ListRoles(100) c=8 (and c=32)", ">= 2,000/s, p99 < 10 ms",
            f"{lr8['rps']:.0f}/s, p99 {lr8['p99']:.2f} ms (c=32: {lr32['rps']:.0f}/s, p99 {lr32['p99']:.2f} ms)",
            lr8["rps"] >= 2000 and lr8["p99"] < 10 and lr32["rps"] >= 2000, sections["api"])
    if "mixed" in sections:
        f = by_concurrency(sections["mixed"]["peers"]["this"], 32)
        loss = mixed_loss(f)
        row("mixed (10% writes) against reads alone, c=32", "loses <= 20%",
            f"{loss:.0f}% ({f['mixed']['rps']:.0f}/s against {f['reads']['rps']:.0f}/s)", loss <= 20, sections["mixed"])
    if "cost" in sections:
        root = sections["cost"]["getRole"]["root"]
        elsewhere = root.get("elsewhere", root["cold"])
        row("SQLite transactions per GetRole (root), warm / after a write elsewhere", "<= 1 each",
            f"{root['warm']['mean']:g} / {elsewhere['mean']:g}", root["warm"]["mean"] <= 1 and elsewhere["mean"] <= 1,
            sections["cost"])
    if "scaling" in sections:
        for kind, sizes in sections["scaling"]["lists"].items():
            growth = page_growth(sizes, "this")
            row(f"{KINDS[kind]} page ({PAGE}) time, {SCALE_SIZES[0]:,} to {SCALE_SIZES[-1]:,} entities, first and later pages",
                f"flat: every page p50 <= {FLAT}x the first page at {SCALE_SIZES[0]}", f"slowest {growth:.2f}x", growth <= FLAT,
                sections["scaling"])
    head = ["| target | wanted | figures | | measured |", "| --- | --- | --- | --- | --- |"]
    lines = ["## Targets", "", *head, *earlier, ""]
    if rows:
        lines += ["### One path for every request", "",
                  "The issue's targets, each from one run on one machine (the baseline: main before the change).", "",
                  *head, *rows, ""]
    start = sections.get("start", {}).get("peers", {})
    if "size_mb" in start.get("this", {}):
        rows = []
        this, floor = start["this"], start.get("skeleton", {})
        beside = lambda field, unit, digits=1: (f" (skeleton: {floor[field]:.{digits}f} {unit})" if field in floor else "")
        row("cold start, fresh data directory", "<= 20 ms", f"{this['cold_ms']:.1f} ms" + beside("cold_ms", "ms"),
            this["cold_ms"] <= 20, sections["start"])
        row("idle RSS", "<= 15 MB", f"{this['idle_mb']:.1f} MB, {this['anon_mb']:.1f} MB anonymous" + beside("idle_mb", "MB"),
            this["idle_mb"] <= 15, sections["start"])
        row("binary (static, stripped)", "<= 25 MB", f"{this['size_mb']:.1f} MB" + beside("size_mb", "MB"),
            this["size_mb"] <= 25, sections["start"])
        own = sections.get("api") or sections.get("moto")
        if own:
            gci = by_concurrency(own["workloads"]["sts GetCallerIdentity"]["this"], 32)
            row("GetCallerIdentity c=32 (server on one core)", ">= 15,000/s, p99 < 5 ms",
                f"{gci['rps']:.0f}/s, p99 {gci['p99']:.2f} ms", gci["rps"] >= 15000 and gci["p99"] < 5, own)
        lines += ["### One binary anyone can run", "",
                  "The Hummingbird skeleton is the same stack serving a fixed answer (`Sources/HummingbirdSkeleton`): "
                  "a target below its figure cannot be met on this stack.", "", *head, *rows, ""]
    if "console" in sections:
        rows = []
        c = sections["console"]
        slowest = max(c["pages"].items(), key=lambda item: item[1]["p95"])
        row("a console page, server-side", "<= 20 ms", f"slowest p95 {slowest[1]['p95']:.2f} ms ({slowest[0]})",
            slowest[1]["p95"] <= 20, c)
        total = sum(a["bytes"] for a in c["assets"].values())
        cached = all("max-age" in a["cache"] for a in c["assets"].values())
        row("console assets together", "<= 300 KB, cached by the browser", f"{total / 1024:.0f} KB, "
            + ("every one cacheable" if cached else "not all cacheable"), total <= 300 * 1024 and cached, c)
        if "baseline" in c["idle_mb"]:
            added = c["idle_mb"]["this"] - c["idle_mb"]["baseline"]
            row("idle memory the console adds", "<= 3 MB", f"{added:.1f} MB ({c['idle_mb']['this']:.1f} against "
                f"{c['idle_mb']['baseline']:.1f} MB)", added <= 3, c)
        lines += ["### The web console", "", *head, *rows, ""]
    if "policy" in sections and "generate_ms" in sections["policy"]:
        rows = []
        p = sections["policy"]
        if p.get("validate_ms") is not None:
            row("ValidatePolicy, a 6 KB policy (in process, one core)", "<= 1 ms", f"{p['validate_ms']:.3f} ms",
                p["validate_ms"] <= 1, p)
        row("policy generate over 100,000 logged decisions", "<= 1 s", f"{p['generate_ms']:.0f} ms", p["generate_ms"] <= 1000, p)
        lines += ["### IAM Access Analyzer offline", "", *head, *rows, ""]
    if "lab" in sections:
        rows = []
        lab = sections["lab"]
        row(f"a lab: {lab['learners']} learners doing seed 000 in the console at once", "no error, pages p99 <= 100 ms",
            f"{len(lab['errors'])} errors; pages p99 {lab['pages_p99']:.1f} ms over {lab['pages_count']:,} requests; the "
            f"sign-in's password check, one at a time: p99 {lab['pages']['sign in']['p99']:.0f} ms",
            not lab["errors"] and lab["pages_p99"] <= 100, lab)
        lines += ["### A lab in the console", "", *head, *rows, ""]
    return lines + ["## What limits the figures", "", LIMITS]


def chart(results):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    sections = results["sections"]
    labels, values = [], []
    if "moto" in sections:
        for label, peers in sections["moto"]["workloads"].items():
            labels.append(f"{label} (c=32)")
            values.append(ratio(by_concurrency(peers["this"], 32)["rps"], by_concurrency(peers["moto"], 32)["rps"]))
    if "registry" in sections:
        for shape, r in sections["registry"]["shapes"].items():
            labels += [f"registry push {shape}", f"registry pull {shape}"]
            values += [ratio(r["Gatehouse"]["push"], r["docker-registry"]["push"]),
                       ratio(r["Gatehouse"]["pull"], r["docker-registry"]["pull"])]
    s = sections.get("start", {}).get("peers", {})
    if "moto" in s:
        labels += ["cold start (peer / Gatehouse)", "idle RSS (peer / Gatehouse)"]
        values += [ratio(s["moto"]["cold_ms"], s["this"]["cold_ms"]), ratio(s["moto"]["idle_mb"], s["this"]["idle_mb"])]
    if not labels:
        return
    fig, ax = plt.subplots(figsize=(9, 0.45 * len(labels) + 1))
    ax.barh(labels[::-1], values[::-1], color="#2f6f9f")
    ax.axvline(1, color="black", linewidth=0.8)
    ax.set_xscale("log")
    ax.set_xlabel("Gatehouse advantage (x, log scale; API vs moto, registry vs docker-registry)")
    for i, value in enumerate(values[::-1]):
        ax.text(value, i, f" {value:.1f}x", va="center", fontsize=8)
    fig.tight_layout()
    fig.savefig(os.path.join(ROOT, "docs", "benchmarks.png"), dpi=110)


if __name__ == "__main__":
    main()
