"""What the live-server tests share: the `opennos` binary and its CLI, one `opennos serve` on
127.0.0.1 over a temporary data directory (killed by its PID, the directory removed), plain
HTTP requests and their answers, users with API tokens, and a browser that signs in and posts
forms with its session's CSRF token.

Standard library only. The binary is $OPENNOS_BINARY (set by ctest), else build/opennos.
"""

import html
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.parse

SOURCE_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BINARY = os.environ.get("OPENNOS_BINARY", os.path.join(SOURCE_DIR, "build", "opennos"))
DEMO_ORGANISATION = "5a3c4d8e-0f1b-4c55-9d2e-6f7a8b9c0d1e"  # app/accounts.cc


# --- The CLI ---------------------------------------------------------------------------------


def run_cli(data_dir, *args, database=None, stdin=None, timeout=60, check=False):
    """`opennos --data DATA_DIR [--database URL] ARGS...`, finished: its CompletedProcess. With
    `check`, raises RuntimeError (with its standard error) when it fails."""
    argv = [BINARY, "--data", data_dir] + (["--database", database] if database else [])
    result = subprocess.run(argv + list(args), capture_output=True, text=True, input=stdin,
                            timeout=timeout)
    if check and result.returncode != 0:
        raise RuntimeError(f"opennos {' '.join(args)} failed: {result.stderr}")
    return result


def cli(data_dir, *args, database=None, stdin=None, timeout=60):
    """The same, checked, for its standard output."""
    return run_cli(data_dir, *args, database=database, stdin=stdin, timeout=timeout,
                   check=True).stdout


def die_with_parent():
    """In the child before exec: on Linux, have the kernel kill it if this test process dies
    without cleaning up (say, killed by ctest's timeout)."""
    try:
        import ctypes
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


# --- The server ------------------------------------------------------------------------------


class Server:
    """One `opennos serve` child over its own temporary data directory (and `database_url`,
    when given, instead of the directory's SQLite file). start() fills the directory (prepare():
    init and the demo; subclasses add to it or replace it) and waits for the server to say its
    port; stop() kills it by its PID and removes the directory, and is safe to call twice."""

    def __init__(self, extra_serve_args=(), database_url=None, prefix="opennos-server-test-",
                 start_timeout=20):
        self.extra_serve_args = list(extra_serve_args)  # more options for `serve`
        self.database_url = database_url
        self.start_timeout = start_timeout
        self.data_dir = tempfile.mkdtemp(prefix=prefix)
        self.process = None
        self.port = None
        self.log_path = os.path.join(self.data_dir, "serve.log")

    def cli(self, *args, stdin=None):
        return cli(self.data_dir, *args, database=self.database_url, stdin=stdin)

    def prepare(self):
        """What the data directory holds before serving: the demo."""
        self.cli("init")
        self.cli("demo")

    def add_user(self, email, organisation, role, password, token=True):
        """A user with `role` in `organisation` (an id or a name); a new API token of theirs
        (None with token=False)."""
        self.cli("user", "add", email, "--org", organisation, "--role", role, "--password-stdin",
                 stdin=password + "\n")
        return self.cli("user", "token", email).strip() if token else None

    def start(self, expect_failure=False):
        """Prepares and serves; returns self once the server listens. With `expect_failure`,
        returns the exit code of a server that is meant to refuse to start."""
        if not expect_failure:
            self.prepare()
        argv = [BINARY, "--data", self.data_dir]
        if self.database_url:
            argv += ["--database", self.database_url]
        # The access log goes to a file: a pipe nobody reads would block the server.
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                argv + ["serve", "--host", "127.0.0.1", "--port", "0", *self.extra_serve_args],
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                preexec_fn=die_with_parent)
        if expect_failure:
            return self.process.wait(timeout=30)
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            match = re.search(r"at http://127\.0\.0\.1:(\d+)/", self.log())
            if match:
                self.port = int(match.group(1))
                return self
            if self.process.poll() is not None:
                break
            time.sleep(0.02)
        raise RuntimeError("the server did not start:\n" + self.log())

    def log(self):
        try:
            with open(self.log_path, encoding="utf-8", errors="replace") as f:
                return f.read()
        except FileNotFoundError:
            return ""

    def terminate(self, timeout=10):
        """SIGTERM, then the exit code (SIGKILL if it does not stop within `timeout`)."""
        if self.process is None or self.process.poll() is not None:
            return None if self.process is None else self.process.returncode
        os.kill(self.process.pid, signal.SIGTERM)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait()
            return None

    def kill(self):
        """SIGKILL (a graceful stop waits out the drain time, and has a test of its own)."""
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self):
        """Kills the server and removes the data directory."""
        try:
            self.kill()
        finally:
            shutil.rmtree(self.data_dir, ignore_errors=True)


# --- HTTP ------------------------------------------------------------------------------------


class Answer:
    def __init__(self, status, headers, body, set_cookie=()):
        self.status = status
        self.headers = headers  # lower-case name -> value (repeated headers joined by ", ")
        self.body = body
        self.set_cookie = list(set_cookie)  # each Set-Cookie header's value

    def header(self, name):
        return self.headers.get(name.lower())

    def json(self):
        return json.loads(self.body)

    def __repr__(self):
        return f"<{self.status} {self.headers.get('content-type')} {self.body[:120]!r}>"


def request(server, method, path, headers=None, body=None, conn=None, timeout=10):
    """One request to `server`; on `conn` if given (kept open), else on a fresh connection."""
    own = conn is None
    if own:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        data = r.read()
        merged = {}
        for name, value in r.getheaders():
            key = name.lower()
            merged[key] = merged[key] + ", " + value if key in merged else value
        cookies = [v for n, v in r.getheaders() if n.lower() == "set-cookie"]
        return Answer(r.status, merged, data, cookies)
    finally:
        if own:
            conn.close()


def with_token(token, headers=None, body=None):
    """Headers carrying a bearer token (none for None), and a dict or list body as JSON."""
    h = dict(headers or {})
    if token is not None:
        h["Authorization"] = "Bearer " + token
    if isinstance(body, (dict, list)):
        body = json.dumps(body)
        h.setdefault("Content-Type", "application/json")
    return h, body


def hidden(page, name):
    """The value of the hidden form field `name` in an HTML page (bytes), or None."""
    match = re.search(rb'name="' + name.encode() + rb'" value="([^"]*)"', page)
    return html.unescape(match.group(1).decode()) if match else None


class Browser:
    """A browser on one server: a cookie jar, signing in through the sign-in form, and forms
    posted with the session's CSRF token."""

    def __init__(self, server):
        self.server = server
        self.cookies = {}

    def fetch(self, method, path, headers, body):
        """Sends one request (a subclass may also record it)."""
        return request(self.server, method, path, headers, body)

    def send(self, method, path, fields=None, headers=None, body=None):
        h = dict(headers or {})
        if self.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if fields is not None:
            h["Content-Type"] = "application/x-www-form-urlencoded"
            body = urllib.parse.urlencode(fields)
        answer = self.fetch(method, path, h, body)
        for value in answer.set_cookie:
            name, rest = value.split("=", 1)
            if "Max-Age=0" in value:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = rest.split(";", 1)[0]
        return answer

    def sign_in(self, email, password, expect=303):
        """Signs in through the form; the answer (AssertionError unless it is `expect`)."""
        page = self.send("GET", "/sign-in")
        answer = self.send("POST", "/sign-in", {"csrf_token": hidden(page.body, "csrf_token"),
                                                "email": email, "password": password})
        if expect is not None and answer.status != expect:
            raise AssertionError(f"sign in as {email}: {answer}")
        return answer

    def csrf(self, page="/account"):
        """The session's CSRF token, from a page that has a form."""
        return hidden(self.send("GET", page).body, "csrf_token")
