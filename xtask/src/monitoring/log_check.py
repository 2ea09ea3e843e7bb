"""The log test of `cargo xtask monitoring`: drives a sign-up, a sign-in, an
API token and an upload against a running `shoebox serve` whose JSON log
lines go to LOG_FILE, then checks the lines: each is a JSON object with
timestamp, level, target and message; each request's completion line has
request_id, route (a pattern, never a raw path), method, status and
latency_ms; and no password, session cookie, CSRF token or API token appears
anywhere in the file.

Usage: log_check.py BASE_URL LOG_FILE
"""

import http.cookiejar
import json
import struct
import sys
import time
import urllib.error
import urllib.request
import uuid
import zlib

BASE, LOG_FILE = sys.argv[1], sys.argv[2]
PASSWORD = "Log-check-" + uuid.uuid4().hex
EMAIL = f"log-check-{uuid.uuid4().hex[:8]}@example.org"

jar = http.cookiejar.CookieJar()
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))


def call(method, path, body=None, headers=None, expected=(200, 201, 202, 204)):
    data = None
    headers = dict(headers or {})
    if isinstance(body, (dict, list)):
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    elif isinstance(body, bytes):
        data = body
    request = urllib.request.Request(BASE + path, data=data, method=method, headers=headers)
    try:
        with opener.open(request, timeout=30) as response:
            status, text = response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        status, text = error.code, error.read().decode()
    if status not in expected:
        sys.exit(f"{method} {path} answered {status}: {text}")
    return json.loads(text) if text else None


def session_cookie():
    return next(cookie.value for cookie in jar if cookie.name == "shoebox_session")


def png(width=8, height=8):
    def chunk(kind, data):
        payload = kind + data
        return struct.pack(">I", len(data)) + payload + struct.pack(">I", zlib.crc32(payload))

    rows = b"".join(b"\x00" + bytes([x * 30 % 256, 90, 200]) * width for x in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


secrets = {"password": PASSWORD}
signed_up = call("POST", "/api/v1/auth/signup", {"email": EMAIL, "password": PASSWORD, "display_name": "Log check"})
secrets["sign-up CSRF token"] = signed_up["csrf_token"]
secrets["sign-up session cookie"] = session_cookie()
call("POST", "/api/v1/auth/logout", headers={"X-CSRF-Token": signed_up["csrf_token"]})
jar.clear()
signed_in = call("POST", "/api/v1/auth/login", {"email": EMAIL, "password": PASSWORD})
csrf = signed_in["csrf_token"]
secrets["sign-in CSRF token"] = csrf
secrets["sign-in session cookie"] = session_cookie()
# A wrong password is logged too (as a failed sign-in), never the password.
call("POST", "/api/v1/auth/login", {"email": EMAIL, "password": PASSWORD + "-wrong"}, expected=(401,))
created = call("POST", "/api/v1/me/tokens", {"name": "log check"}, headers={"X-CSRF-Token": csrf})
token = created["secret"]
secrets["API token"] = token

boundary = uuid.uuid4().hex
upload = (
    f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"check.png\"\r\n"
    "Content-Type: image/png\r\n\r\n"
).encode() + png() + f"\r\n--{boundary}--\r\n".encode()
jar.clear()
call(
    "POST",
    "/api/v1/photos",
    upload,
    headers={"Authorization": f"Bearer {token}", "Content-Type": f"multipart/form-data; boundary={boundary}"},
)
call("GET", "/api/v1/photos", headers={"Authorization": f"Bearer {token}"})

# The completion line is written before the response leaves; the deadline
# only covers a slow disk.
deadline = time.monotonic() + 10
while True:
    text = open(LOG_FILE, encoding="utf-8").read()
    lines = [line for line in text.splitlines() if line.strip()]
    parsed = []
    for number, line in enumerate(lines, 1):
        try:
            parsed.append(json.loads(line))
        except json.JSONDecodeError:
            sys.exit(f"{LOG_FILE}:{number} is not JSON: {line[:200]}")
    completed = [p for p in parsed if p.get("message") == "request completed"]
    routes = {(p.get("method"), p.get("route")) for p in completed}
    if ("POST", "/api/v1/photos") in routes and ("GET", "/api/v1/photos") in routes:
        break
    if time.monotonic() > deadline:
        sys.exit(f"no completion lines for the upload and the listing in {LOG_FILE}; saw {sorted(map(str, routes))}")
    time.sleep(0.1)

problems = []
for p in parsed:
    for field in ("timestamp", "level", "target", "message"):
        if field not in p:
            problems.append(f"no {field}: {p}")
for p in completed:
    for field in ("request_id", "route", "method", "status", "latency_ms"):
        if field not in p:
            problems.append(f"completion line without {field}: {p}")
    if not isinstance(p.get("status"), int) or not isinstance(p.get("latency_ms"), (int, float)):
        problems.append(f"status and latency_ms must be numbers: {p}")
expected_routes = {
    ("POST", "/api/v1/auth/signup"),
    ("POST", "/api/v1/auth/login"),
    ("POST", "/api/v1/me/tokens"),
    ("POST", "/api/v1/photos"),
}
missing = expected_routes - routes
if missing:
    problems.append(f"no completion line for {sorted(missing)}")
statuses = {(p["route"], p["status"]) for p in completed if "route" in p and "status" in p}
if ("/api/v1/auth/login", 401) not in statuses:
    problems.append("the failed sign-in has no completion line with status 401")
for name, secret in secrets.items():
    if secret and secret in text:
        problems.append(f"the {name} appears in the logs")
if problems:
    sys.exit("log check failed:\n  " + "\n  ".join(problems))
print(f"log check: {len(parsed)} JSON lines, {len(completed)} requests, none of {len(secrets)} secrets logged")
