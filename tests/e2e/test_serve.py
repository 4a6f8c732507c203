"""pkgsizer serve (docs/serve.md): the team dashboard, against a server each class starts on a free
127.0.0.1 port and stops by its PID — real HTTP clients (Python's urllib and curl), Debian's
headless chromium following the pages' links, and a real PostgreSQL history. Uploads with and
without tokens of each scope, oversize and malformed bodies, path-traversal-looking URLs,
--private, `track snapshot --upload` end to end, and a graceful stop on SIGTERM.
"""

import http.server
import json
import os
import re
import signal
import socket
import stat
import subprocess
import threading
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request

from postgres_server import PostgresServer, free_port
from support import (BIN, EXIT_OK, EXIT_NO_ENV, base_env, BinaryTestCase, describe, make_tempdir,
                     remove_tree, run_pkgsizer, SiteTree, stop_process)

MAX_UPLOAD = 2 * 1024 * 1024


def make_site(root):
    """A site-packages with opencv-python (a curated lighter alternative) and a small library."""
    tree = SiteTree(root)
    tree.dist_info("opencv-python", "4.9.0.80",
                   {"cv2/__init__.py": b"x" * 4000, "cv2/cv2.so": b"\x7fELF" + b"y" * 60000})
    tree.dist_info("six", "1.16.0", {"six.py": b"s" * 30000})
    return tree.site


def add_token(tokens, scope, name=None):
    args = ["serve", "token", "add", "--scope", scope, "--tokens", tokens]
    if name:
        args += ["--name", name]
    proc = run_pkgsizer(args)
    assert proc.returncode == EXIT_OK, describe(proc)
    return proc.stdout.strip()


class Server:
    """`pkgsizer serve` on a free port; stopped by its PID."""

    def __init__(self, history, tokens, *extra, env=None):
        self.port = free_port()
        self.log = open(os.path.join(os.path.dirname(tokens), f"serve-{self.port}.log"), "w+")
        self.process = subprocess.Popen(
            [BIN, "serve", "--history", history, "--tokens", tokens, "--refresh", "1",
             "--max-upload", str(MAX_UPLOAD), "--listen", f"127.0.0.1:{self.port}", *extra],
            stdout=subprocess.PIPE, stderr=self.log, text=True, env=env or base_env())
        line = self.process.stdout.readline()
        if f"http://127.0.0.1:{self.port}/" not in line:
            self.stop()
            raise AssertionError(f"serve did not start: {line!r} {self.stderr()}")
        self.url = f"http://127.0.0.1:{self.port}"

    def stderr(self):
        self.log.flush()
        self.log.seek(0)
        return self.log.read()

    def stop(self, sig=signal.SIGTERM):
        status = stop_process(self.process, sig, timeout=15)
        self.process.stdout.close()
        self.log.close()
        return status


def request(url, data=None, token=None, method=None, headers=None):
    """(status, headers, body bytes) of one urllib request; HTTP errors are answers too."""
    all_headers = dict(headers or {})
    if token:
        all_headers["Authorization"] = f"Bearer {token}"
    req = urllib.request.Request(url, data=data, headers=all_headers, method=method)
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def curl(url, *args):
    proc = subprocess.run(["curl", "-sS", "--path-as-is", "-o", "-", "-w", "\n%{http_code}", *args,
                           url], capture_output=True, text=True, timeout=30)
    body, _, code = proc.stdout.rpartition("\n")
    return int(code), body


class ServeTest(BinaryTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tmp = make_tempdir("pkgsizer-e2e-serve-")
        cls.addClassCleanup(remove_tree, cls.tmp)
        cls.site = make_site(cls.tmp)
        cls.scan_path = os.path.join(cls.tmp, "scan.json")
        proc = run_pkgsizer(["scan-env", "--site-packages", cls.site, "--no-cache", "-q",
                             "--json", cls.scan_path])
        assert proc.returncode == EXIT_OK, describe(proc)
        with open(cls.scan_path, "rb") as f:
            cls.scan = f.read()
        cls.tokens = os.path.join(cls.tmp, "tokens.json")
        cls.upload_token = add_token(cls.tokens, "upload", "ci")
        cls.read_token = add_token(cls.tokens, "read", "viewer")
        cls.history = os.path.join(cls.tmp, "history.sqlite3")
        cls.server = Server(cls.history, cls.tokens)
        cls.addClassCleanup(cls.server.stop)
        cls.url = cls.server.url
        # Two snapshots of "team/app" (a name with a slash), one of "other".
        cls.ids = [cls.upload("team/app", "first"), cls.upload("team/app", "second"),
                   cls.upload("other", "only")]

    @classmethod
    def upload(cls, environment, label, body=None, token=None):
        query = urllib.parse.urlencode({"environment": environment, "label": label,
                                        "git_commit": "0123abcd", "git_branch": "main"})
        status, _, answer = request(f"{cls.url}/api/scans?{query}", data=body or cls.scan,
                                    token=token or cls.upload_token,
                                    headers={"Content-Type": "application/json"})
        assert status == 201, (status, answer)
        return json.loads(answer)["id"]

    def get(self, path, **kwargs):
        return request(self.url + path, **kwargs)

    def get_json(self, path):
        status, headers, body = self.get(path)
        self.assertEqual(status, 200, body)
        self.assertEqual(headers["Content-Type"], "application/json")
        return json.loads(body)

    # --- pages and API ---------------------------------------------------------------------

    def test_environments_api_lists_each_with_its_latest_snapshot(self):
        listing = self.get_json("/api/environments")
        by_name = {e["name"]: e for e in listing["environments"]}
        self.assertLessEqual({"team/app", "other"}, set(by_name))
        self.assertEqual(by_name["team/app"]["snapshots"], 2)
        self.assertEqual(by_name["team/app"]["latest"]["id"], self.ids[1])
        self.assertEqual(by_name["team/app"]["latest"]["label"], "second")
        self.assertEqual(by_name["team/app"]["latest"]["git_commit"], "0123abcd")

    def test_environment_api_newest_first_with_pages(self):
        env = self.get_json("/api/env/" + urllib.parse.quote("team/app", safe=""))
        self.assertEqual([s["id"] for s in env["snapshots"]], [self.ids[1], self.ids[0]])
        self.assertEqual((env["total"], env["page"], env["pages"]), (2, 1, 1))
        self.assertEqual(self.get_json("/api/env/team%2Fapp?page=2")["snapshots"], [])
        status, _, body = self.get("/api/env/team%2Fapp?page=zero")
        self.assertEqual(status, 400, body)

    def test_snapshot_api_is_the_scan_json(self):
        scan = self.get_json(f"/api/snapshots/{self.ids[0]}")
        names = sorted(d["name"] for d in scan["distributions"])
        self.assertEqual(names, ["opencv-python", "six"])
        self.assertEqual(scan["totals"], json.loads(self.scan)["totals"])

    def test_diff_api_is_compare_json(self):
        diff = self.get_json(f"/api/diff/{self.ids[0]}/{self.ids[2]}")
        self.assertIn("net", diff)
        self.assertEqual(diff["net"]["apparent_bytes"], 0)

    def test_recommend_runs_the_kinds_that_need_no_files(self):
        result = self.get_json(f"/api/snapshots/{self.ids[0]}/recommend")
        self.assertTrue(result["stored_scan"])
        titles = [f["title"] for f in result["findings"]]
        self.assertIn("opencv-python -> opencv-python-headless", titles)
        status, _, page = self.get(f"/snapshot/{self.ids[0]}/recommend")
        self.assertEqual(status, 200)
        self.assertIn(b"opencv-python-headless", page)
        self.assertIn(b"not its files", page)

    def test_every_page_answers_and_every_link_works(self):
        seen, queue = set(), ["/"]
        while queue:
            path = queue.pop()
            if path in seen:
                continue
            seen.add(path)
            status, headers, body = self.get(path)
            self.assertEqual(status, 200, f"{path}: {body[:200]}")
            if headers["Content-Type"].startswith("text/html"):
                for link in re.findall(rb'(?:href|src)="(/[^"]*)"', body):
                    queue.append(link.decode().replace("&amp;", "&"))
        for expected in ("/env/team%2Fapp", f"/snapshot/{self.ids[1]}", "/chart/team%2Fapp.svg",
                         f"/diff/{self.ids[0]}/{self.ids[1]}", f"/snapshot/{self.ids[0]}/recommend",
                         "/api/environments", f"/api/snapshots/{self.ids[1]}"):
            self.assertIn(expected, seen)

    def test_snapshot_page_is_the_html_report_with_its_script_allowed_by_hash(self):
        status, headers, body = self.get(f"/snapshot/{self.ids[0]}")
        self.assertEqual(status, 200)
        self.assertIn(b'id="pkgsizer-data"', body)
        self.assertRegex(headers["Content-Security-Policy"], r"script-src 'sha256-[A-Za-z0-9+/=]+'")

    def test_security_headers_and_no_cookies(self):
        for path in ("/", "/api/environments", "/nothing", "/chart/other.svg"):
            _, headers, _ = self.get(path)
            self.assertIn("default-src 'none'", headers["Content-Security-Policy"], path)
            self.assertEqual(headers["X-Content-Type-Options"], "nosniff", path)
            self.assertIsNone(headers["Set-Cookie"], path)

    def test_unknown_and_traversal_looking_paths_are_404_and_read_no_file(self):
        for path in ("/../../etc/passwd", "/snapshot/../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd",
                     "/snapshot/1%2F..%2F..%2Fetc%2Fpasswd", "/env/..%2F..%2Fetc%2Fpasswd/x",
                     "/api/snapshots/-1", "/api/snapshots/1e3", "/diff/1/../2", "/static/x.js",
                     "/snapshot/99999", "/env/nope", "/api/env/%00", "/chart/%0a.svg",
                     "/snapshot/" + "9" * 40):
            code, body = curl(self.url + path)
            self.assertEqual(code, 404, path)
            self.assertNotIn("root:", body, path)

    def test_other_methods_are_405(self):
        status, headers, _ = self.get("/api/scans", method="DELETE", token=self.upload_token)
        self.assertEqual(status, 405)
        self.assertIn("POST", headers["Allow"])
        status, _, _ = self.get("/", method="PUT", data=b"x", token=self.upload_token)
        self.assertEqual(status, 405)

    def test_access_log_goes_to_stderr_without_tokens(self):
        self.get("/healthz", token=self.read_token)
        time.sleep(0.1)
        log = self.server.stderr()
        self.assertRegex(log, r'127\.0\.0\.1 "GET /healthz" 200 \d+ [\d.]+ms')
        self.assertNotIn(self.read_token, log)
        self.assertNotIn(self.upload_token, log)

    # --- uploads ---------------------------------------------------------------------------

    def post(self, body, token=None, query="environment=posted"):
        return request(f"{self.url}/api/scans?{query}", data=body, token=token,
                       headers={"Content-Type": "application/json"})

    def test_upload_needs_an_upload_token(self):
        status, headers, body = self.post(self.scan)
        self.assertEqual(status, 401, body)
        self.assertEqual(headers["WWW-Authenticate"], "Bearer")
        self.assertEqual(self.post(self.scan, token="pks_" + "0" * 64)[0], 401)
        status, _, body = self.post(self.scan, token=self.read_token)
        self.assertEqual(status, 403, body)
        self.assertIn(b"read token cannot upload", body)
        # curl too, with the token in the header only.
        code, _ = curl(self.url + "/api/scans?environment=posted", "-X", "POST",
                       "--data-binary", "@" + self.scan_path)
        self.assertEqual(code, 401)
        code, answer = curl(self.url + "/api/scans?environment=curl", "-X", "POST",
                            "-H", f"Authorization: Bearer {self.upload_token}",
                            "--data-binary", "@" + self.scan_path)
        self.assertEqual(code, 201, answer)
        self.assertEqual(json.loads(answer)["environment"], "curl")

    def test_upload_with_fields_in_the_body(self):
        body = json.dumps({"environment": "wrapped", "label": "from body",
                           "scan": json.loads(self.scan)}).encode()
        status, _, answer = self.post(body, token=self.upload_token, query="")
        self.assertEqual(status, 201, answer)
        created = json.loads(answer)
        self.assertEqual((created["environment"], created["label"]), ("wrapped", "from body"))
        # At once on the pages: the server's index knows its own uploads.
        env = self.get_json("/api/env/wrapped")
        self.assertEqual(env["snapshots"][0]["id"], created["id"])

    def test_oversize_upload_is_413(self):
        body = b'{"pad": "' + b"x" * (MAX_UPLOAD + 10) + b'"}'
        status, _, answer = self.post(body, token=self.upload_token)
        self.assertEqual(status, 413, answer)

    def test_malformed_uploads_are_400_with_one_line(self):
        bad = {
            b"{not json": "not a JSON object",
            b"[]": "not a JSON object",
            b'{"a": 1}': "invalid scan",
            b"[" * 5000 + b"]" * 5000: "nested more than",
        }
        for body, reason in bad.items():
            status, _, answer = self.post(body, token=self.upload_token)
            self.assertEqual(status, 400, body[:20])
            error = json.loads(answer)["error"]
            self.assertIn(reason, error)
            self.assertNotIn("\n", error)
        for query, reason in (("environment=%01x", "environment"),
                              ("environment=x&git_commit=zz", "git_commit"),
                              ("environment=x&label=" + "l" * 600, "label")):
            status, _, answer = self.post(self.scan, token=self.upload_token, query=query)
            self.assertEqual(status, 400, query)
            self.assertIn(reason, json.loads(answer)["error"])

    def test_concurrent_uploads_lose_nothing(self):
        import concurrent.futures
        with concurrent.futures.ThreadPoolExecutor(max_workers=10) as pool:
            ids = list(pool.map(lambda i: self.upload("burst", f"b{i}"), range(20)))
        self.assertEqual(len(set(ids)), 20)
        env = self.get_json("/api/env/burst")
        self.assertEqual(env["total"], 20)

    # --- track snapshot --upload -------------------------------------------------------------

    def test_track_snapshot_upload_end_to_end(self):
        token_file = os.path.join(self.tmp, "upload-token.txt")
        with open(token_file, "w") as f:
            f.write(self.upload_token + "\n")
        proc = run_pkgsizer(["track", "snapshot", "from CI", "--site-packages", self.site,
                             "--name", "ci-env", "--no-cache", "-q", "--upload", self.url + "/",
                             "--token-file", token_file],
                            env=base_env({"PKGSIZER_HISTORY": os.path.join(self.tmp, "unused")}))
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        match = re.search(r"Snapshot (\d+) of ci-env: .* uploaded: (http://\S+)", proc.stdout)
        self.assertIsNotNone(match, proc.stdout)
        self.assertEqual(match.group(2), f"{self.url}/snapshot/{match.group(1)}")
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "unused")), "no local history")
        env = self.get_json("/api/env/ci-env")
        self.assertEqual(env["snapshots"][0]["label"], "from CI")
        self.assertEqual(request(match.group(2))[0], 200)

    def test_upload_retried_after_a_lost_answer_is_recorded_once(self):
        # A proxy that forwards the first POST and then answers 502, as one does when the server
        # was slow to answer: the snapshot is recorded, the client is told it failed and retries
        # with the same Idempotency-Key, and gets that snapshot back instead of a second one.
        keys = []
        upstream = self.url

        class Proxy(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                keys.append(self.headers.get("Idempotency-Key"))
                forwarded = {k: v for k, v in self.headers.items()
                             if k.lower() in ("authorization", "content-type", "idempotency-key")}
                status, _, answer = request(upstream + self.path, data=body, headers=forwarded)
                if len(keys) == 1:
                    status, answer = 502, b"bad gateway"
                self.send_response(status)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        proxy = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
        threading.Thread(target=proxy.serve_forever, daemon=True).start()
        self.addCleanup(proxy.server_close)
        self.addCleanup(proxy.shutdown)
        token_file = os.path.join(self.tmp, "retry-token.txt")
        with open(token_file, "w") as f:
            f.write(self.upload_token)
        proc = run_pkgsizer(["track", "snapshot", "--site-packages", self.site, "--name",
                             "retried-env", "--no-cache", "-q", "--upload",
                             f"http://127.0.0.1:{proxy.server_address[1]}/",
                             "--token-file", token_file])
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        self.assertEqual(len(keys), 2, keys)
        self.assertEqual(keys[0], keys[1])
        self.assertRegex(keys[0], r"^pkgsizer-[0-9a-f]{64}$")
        snapshots = self.get_json("/api/env/retried-env")["snapshots"]
        self.assertEqual(len(snapshots), 1, snapshots)
        self.assertIn(f"Snapshot {snapshots[0]['id']} of retried-env", proc.stdout)

    def test_track_snapshot_upload_with_a_read_token_fails_without_printing_it(self):
        token_file = os.path.join(self.tmp, "read-token.txt")
        with open(token_file, "w") as f:
            f.write(self.read_token)
        proc = run_pkgsizer(["track", "snapshot", "--site-packages", self.site, "--no-cache",
                             "-q", "--upload", self.url, "--token-file", token_file])
        self.assertEqual(proc.returncode, EXIT_NO_ENV, describe(proc))
        self.assertIn("HTTP 403: a read token cannot upload", proc.stderr)
        self.assertNotIn(self.read_token, proc.stderr + proc.stdout)
        proc = run_pkgsizer(["track", "snapshot", "--site-packages", self.site, "--upload",
                             self.url])
        self.assertEqual(proc.returncode, 2, describe(proc))
        self.assertIn("--token-file", proc.stderr)

    # --- tokens ------------------------------------------------------------------------------

    def test_tokens_are_kept_hashed_in_a_0600_file(self):
        self.assertEqual(stat.S_IMODE(os.stat(self.tokens).st_mode), 0o600)
        with open(self.tokens) as f:
            text = f.read()
        self.assertNotIn(self.upload_token, text)
        self.assertRegex(self.upload_token, r"^pks_[0-9a-f]{64}$")
        proc = run_pkgsizer(["serve", "token", "list", "--tokens", self.tokens, "--json"])
        listed = {t["name"]: t for t in json.loads(proc.stdout)["tokens"]}
        self.assertEqual(listed["ci"]["scope"], "upload")
        self.assertNotIn(self.upload_token, proc.stdout)

    def test_a_revoked_token_is_refused_at_once(self):
        token = add_token(self.tokens, "upload", "temporary")
        self.assertEqual(self.post(self.scan, token=token, query="environment=revoked")[0], 201)
        proc = run_pkgsizer(["serve", "token", "revoke", "temporary", "--tokens", self.tokens])
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        self.assertEqual(self.post(self.scan, token=token, query="environment=revoked")[0], 401)
        proc = run_pkgsizer(["serve", "token", "revoke", "temporary", "--tokens", self.tokens])
        self.assertEqual(proc.returncode, 9, describe(proc))


class PrivateServeTest(BinaryTestCase):
    """--private: reads need a token too; SIGTERM stops the server with exit 0."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tmp = make_tempdir("pkgsizer-e2e-serve-private-")
        cls.addClassCleanup(remove_tree, cls.tmp)
        cls.tokens = os.path.join(cls.tmp, "tokens.json")
        cls.read_token = add_token(cls.tokens, "read")
        cls.upload_token = add_token(cls.tokens, "upload")
        cls.server = Server(os.path.join(cls.tmp, "h.sqlite3"), cls.tokens, "--private")
        cls.addClassCleanup(cls.server.stop)

    def test_reads_need_a_token(self):
        for path in ("/", "/api/environments", "/env/x", "/snapshot/1"):
            status, headers, _ = request(self.server.url + path)
            self.assertEqual(status, 401, path)
            self.assertEqual(headers["WWW-Authenticate"], "Bearer")
        self.assertEqual(request(self.server.url + "/", token="pks_wrong")[0], 401)
        self.assertEqual(request(self.server.url + "/", token=self.read_token)[0], 200)
        self.assertEqual(request(self.server.url + "/", token=self.upload_token)[0], 200)

    def test_sigterm_stops_it_gracefully(self):
        server = Server(os.path.join(self.tmp, "h2.sqlite3"), self.tokens)
        self.assertEqual(request(server.url + "/healthz")[0], 200)
        started = time.monotonic()
        self.assertEqual(server.stop(signal.SIGTERM), 0)
        self.assertLess(time.monotonic() - started, 10)
        with self.assertRaises(OSError):
            socket.create_connection(("127.0.0.1", server.port), timeout=2)

    def test_listen_is_checked(self):
        proc = run_pkgsizer(["serve", "--listen", "nowhere", "--tokens", self.tokens,
                             "--history", os.path.join(self.tmp, "h3.sqlite3")])
        self.assertEqual(proc.returncode, 2, describe(proc))
        self.assertIn("--listen nowhere: not HOST:PORT", proc.stderr)


class ServeInBrowserTest(BinaryTestCase):
    """Debian's headless chromium loads /, follows the links to an environment, a snapshot's
    report and a diff: no console error, no request to anything but the server."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        from browser import Browser
        cls.tmp = make_tempdir("pkgsizer-e2e-serve-browser-")
        cls.addClassCleanup(remove_tree, cls.tmp)
        site = make_site(cls.tmp)
        history = os.path.join(cls.tmp, "h.sqlite3")
        for label in ("one", "two"):
            proc = run_pkgsizer(["track", "snapshot", label, "--site-packages", site, "--name",
                                 "web/app", "--history", history, "--no-cache", "-q"])
            assert proc.returncode == EXIT_OK, describe(proc)
        cls.server = Server(history, os.path.join(cls.tmp, "tokens.json"))
        cls.addClassCleanup(cls.server.stop)
        cls.browser = Browser()
        cls.addClassCleanup(cls.browser.close)

    def follow(self, selector):
        href = self.browser.evaluate(f"document.querySelector({json.dumps(selector)}).href")
        self.assertTrue(href.startswith(self.server.url + "/"), href)
        self.browser.navigate(href)
        return href

    def test_pages_render_and_links_work(self):
        b = self.browser
        b.events.clear()
        b.navigate(self.server.url + "/")
        self.assertEqual(b.evaluate("document.querySelector('h1').textContent"), "Environments")
        environment = self.follow("td a[href^='/env/']")
        self.assertEqual(b.evaluate("document.querySelector('h1').textContent"), "web/app")
        self.assertTrue(b.evaluate("document.querySelector('img.chart').naturalWidth > 0"))
        self.follow("a[href^='/diff/']")
        self.assertTrue(b.evaluate("document.body.getAttribute('data-ready')"))
        b.navigate(environment)
        self.follow("td a[href^='/snapshot/']")
        self.assertTrue(b.evaluate("document.body.getAttribute('data-ready')"))
        self.assertEqual(b.problems(allowed=(self.server.url + "/",)), [])


class ServePostgresTest(BinaryTestCase):
    """The same server over a team's PostgreSQL history (tests/e2e/postgres_server.py)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.postgres = PostgresServer()
        cls.addClassCleanup(cls.postgres.stop)
        cls.postgres.start()
        cls.tmp = make_tempdir("pkgsizer-e2e-serve-pg-")
        cls.addClassCleanup(remove_tree, cls.tmp)
        cls.site = make_site(cls.tmp)

    def test_upload_and_read_back(self):
        url = self.postgres.url(self.postgres.new_database())
        tokens = os.path.join(self.tmp, "tokens.json")
        token_file = os.path.join(self.tmp, "token.txt")
        with open(token_file, "w") as f:
            f.write(add_token(tokens, "upload"))
        server = Server(url, tokens)
        self.addCleanup(server.stop)
        for label in ("a", "b"):
            proc = run_pkgsizer(["track", "snapshot", label, "--site-packages", self.site,
                                 "--name", "pg-env", "--no-cache", "-q", "--upload", server.url,
                                 "--token-file", token_file])
            self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        status, _, body = request(server.url + "/api/env/pg-env")
        self.assertEqual(status, 200, body)
        ids = [s["id"] for s in json.loads(body)["snapshots"]]
        self.assertEqual(len(ids), 2)
        self.assertEqual(request(f"{server.url}/diff/{ids[1]}/{ids[0]}")[0], 200)
        self.assertNotIn(b"Tr0ub4dor", request(server.url + "/")[2])
        # A snapshot another writer adds appears after a refresh (--refresh 1).
        proc = run_pkgsizer(["track", "snapshot", "direct", "--site-packages", self.site, "--name",
                             "pg-env", "--no-cache", "-q", "--history", url])
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            if json.loads(request(server.url + "/api/env/pg-env")[2])["total"] == 3:
                break
            time.sleep(0.2)
        self.assertEqual(json.loads(request(server.url + "/api/env/pg-env")[2])["total"], 3)


if __name__ == "__main__":
    unittest.main()
