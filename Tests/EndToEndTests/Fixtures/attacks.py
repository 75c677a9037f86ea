"""Hand-made requests an attacker on the same machine would send, for
SecurityEndToEndTests. Each mode prints what the server answered, one result
per line, so the Swift test asserts on it.

  attacks.py ENDPOINT swap-body          a signed ListUsers replayed with X-Amz-Content-Sha256 of its body and another body
  attacks.py ENDPOINT presign EXPIRES    a botocore-presigned GetCallerIdentity with X-Amz-Expires set to EXPIRES
  attacks.py ENDPOINT reset-race N       N signed GetCallerIdentity calls while the state is reset over and over
  attacks.py ENDPOINT stall-head         half a request head; how long until the server closes the connection
  attacks.py ENDPOINT chunked-unsigned BYTES   an unsigned chunked POST of BYTES bytes
"""
import hashlib
import http.client
import socket
import sys
import threading
import time
import urllib.parse

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
import botocore.session

endpoint, mode = sys.argv[1], sys.argv[2]
parsed = urllib.parse.urlsplit(endpoint)
FORM = "application/x-www-form-urlencoded; charset=utf-8"


def signed(body, service="iam"):
    request = AWSRequest(method="POST", url=endpoint + "/", data=body, headers={"Content-Type": FORM})
    SigV4Auth(Credentials("test", "test"), service, "us-east-1").add_auth(request)
    return dict(request.headers.items())


def send(method, path, body=b"", headers=None):
    connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    data = response.read().decode("utf-8", "replace")
    connection.close()
    return response.status, data


if mode == "swap-body":
    original = "Action=ListUsers&Version=2010-05-08"
    headers = signed(original)
    headers["X-Amz-Content-Sha256"] = hashlib.sha256(original.encode()).hexdigest()
    status, body = send("POST", "/", "Action=CreateAccessKey&UserName=victim&Version=2010-05-08", headers)
    print(status)
    print(body.replace("\n", " "))

elif mode == "presign":
    client = botocore.session.get_session().create_client(
        "sts", region_name="us-east-1", endpoint_url=endpoint, aws_access_key_id="test", aws_secret_access_key="test")
    url = client.generate_presigned_url("get_caller_identity", ExpiresIn=60, HttpMethod="GET")
    url = url.replace("X-Amz-Expires=60", "X-Amz-Expires=" + urllib.parse.quote(sys.argv[3]))
    split = urllib.parse.urlsplit(url)
    status, body = send("GET", split.path + "?" + split.query)
    print(status)
    print(body.replace("\n", " "))

elif mode == "reset-race":
    count = int(sys.argv[3])
    done = threading.Event()
    failures = []

    def reset():
        while not done.is_set():
            status, body = send("POST", "/_gatehouse/reset")
            if status != 200:
                failures.append("reset %d %s" % (status, body))

    resetter = threading.Thread(target=reset)
    resetter.start()
    try:
        for _ in range(count):
            body = "Action=GetCallerIdentity&Version=2011-06-15"
            status, answer = send("POST", "/", body, signed(body, "sts"))
            if status != 200:
                failures.append("call %d %s" % (status, answer.replace("\n", " ")))
    finally:
        done.set()
        resetter.join()
    for failure in failures:
        print(failure)
    print("done")

elif mode == "stall-head":
    connection = socket.create_connection((parsed.hostname, parsed.port))
    connection.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Ty")
    started = time.monotonic()
    connection.settimeout(60)
    try:
        closed = connection.recv(1) == b""
    except (socket.timeout, ConnectionResetError) as error:
        closed = isinstance(error, ConnectionResetError)
    print("closed" if closed else "open", round(time.monotonic() - started))

elif mode == "chunked-unsigned":
    size = int(sys.argv[3])
    connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
    connection.putrequest("POST", "/")
    connection.putheader("Content-Type", FORM)
    connection.putheader("Transfer-Encoding", "chunked")
    connection.endheaders()
    try:
        chunk = b"Action=GetCallerIdentity&Version=2011-06-15&Pad=" + b"a" * 65536
        sent = 0
        while sent < size:
            connection.send(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            sent += len(chunk)
        connection.send(b"0\r\n\r\n")
    except (BrokenPipeError, ConnectionResetError):
        pass
    response = connection.getresponse()
    print(response.status)
    print(response.read().decode("utf-8", "replace").replace("\n", " "))
