"""The GitHub Action's own work, against a fake GitHub API on 127.0.0.1 (GITHUB_API_URL):
installing pkgsizer from a release when the runner has none, and posting the pull-request
comment once, then updating it (found again by its hidden marker, across pages of comments)
instead of adding another. And `track badge --svg`, the README badge.

The action's step script is run as GitHub runs it (bash, the inputs as variables), read from
action.yml by test_budget's reader.
"""

import http.server
import json
import os
import re
import subprocess
import sys
import threading
import unittest
import xml.etree.ElementTree as ElementTree
import zipfile

from support import (BIN, REPO_ROOT, BinaryTestCase, base_env, describe, make_venv,
                     record_hash, run_pkgsizer, write_file)

ACTION_SCRIPT = os.path.join(REPO_ROOT, "action", "pkgsizer_action.py")
MARKER = "<!-- pkgsizer-size-report -->"
REPOSITORY = "octo/app"
PR = 7


class FakeGitHub(http.server.ThreadingHTTPServer):
    """Issue comments of one pull request, releases and their downloads; every request kept."""

    def __init__(self):
        super().__init__(("127.0.0.1", 0), FakeGitHubHandler)
        self.requests = []
        self.comments = []
        self.next_id = 1000
        self.releases = {}  # tag -> release JSON
        self.files = {}     # path -> bytes

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}"

    def add_comment(self, body, user="someone"):
        self.next_id += 1
        self.comments.append({"id": self.next_id, "body": body, "user": {"login": user}})
        return self.next_id


class FakeGitHubHandler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def reply(self, code, payload, content_type="application/json"):
        data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def handle_any(self, method):
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length)) if length else None
        server = self.server
        server.requests.append({"method": method, "path": self.path, "body": body,
                                "authorization": self.headers.get("Authorization")})
        path, _, query = self.path.partition("?")
        params = dict(p.split("=", 1) for p in query.split("&") if "=" in p)
        comments_path = f"/repos/{REPOSITORY}/issues/{PR}/comments"
        if method == "GET" and path == comments_path:
            per_page, page = int(params.get("per_page", 30)), int(params.get("page", 1))
            return self.reply(200, server.comments[(page - 1) * per_page:page * per_page])
        if method == "POST" and path == comments_path:
            return self.reply(201, {"id": server.add_comment(body["body"], "github-actions[bot]")})
        match = re.fullmatch(rf"/repos/{REPOSITORY}/issues/comments/(\d+)", path)
        if method == "PATCH" and match:
            for comment in server.comments:
                if comment["id"] == int(match.group(1)):
                    comment["body"] = body["body"]
                    return self.reply(200, comment)
            return self.reply(404, {"message": "Not Found"})
        match = re.fullmatch(rf"/repos/{REPOSITORY}/releases/tags/(.+)", path)
        if method == "GET" and match and match.group(1) in server.releases:
            return self.reply(200, server.releases[match.group(1)])
        if method == "GET" and path in server.files:
            return self.reply(200, server.files[path], "application/octet-stream")
        return self.reply(404, {"message": "Not Found"})

    def do_GET(self):
        self.handle_any("GET")

    def do_POST(self):
        self.handle_any("POST")

    def do_PATCH(self):
        self.handle_any("PATCH")


def script_wheel(version):
    """A wheel whose pkgsizer is a shell script that prints its version: what the action does
    with a release's wheel (download, install into its own venv, run) without building one."""
    dist_info = f"pkgsizer-{version}.dist-info"
    members = {
        f"pkgsizer-{version}.data/scripts/pkgsizer": f"#!/bin/sh\necho 'pkgsizer {version} (release wheel)'\n".encode(),
        f"{dist_info}/METADATA": f"Metadata-Version: 2.1\nName: pkgsizer\nVersion: {version}\n".encode(),
        f"{dist_info}/WHEEL": b"Wheel-Version: 1.0\nRoot-Is-Purelib: false\nTag: py3-none-manylinux_2_17_x86_64\n",
    }
    record = "".join(f"{name},{record_hash(data)},{len(data)}\n" for name, data in members.items())
    members[f"{dist_info}/RECORD"] = (record + f"{dist_info}/RECORD,,\n").encode()
    import io
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name)
            info.external_attr = 0o100755 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


class ActionTestBase(BinaryTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = FakeGitHub()
        thread = threading.Thread(target=cls.server.serve_forever, daemon=True)
        thread.start()
        cls.addClassCleanup(cls.server.server_close)
        cls.addClassCleanup(cls.server.shutdown)
        # pkgsizer on PATH, as the action finds it on a runner that installed it.
        cls.bin_dir = os.path.join(cls.tmp, "bin")
        os.makedirs(cls.bin_dir)
        os.symlink(BIN, os.path.join(cls.bin_dir, "pkgsizer"))

    def action_env(self, **variables):
        env = base_env({
            "GITHUB_API_URL": self.server.url,
            "GITHUB_REPOSITORY": REPOSITORY,
            "GITHUB_ACTION_PATH": REPO_ROOT,
            "RUNNER_TEMP": self.tmp,
            "PATH": self.bin_dir + os.pathsep + os.environ.get("PATH", ""),
            "PKGSIZER_ACTION_TOKEN": "secret-token",
        })
        env.update({f"PKGSIZER_ACTION_{k.upper()}": v for k, v in variables.items()})
        return env

    def run_script(self, command, env, cwd=None):
        return subprocess.run([sys.executable, ACTION_SCRIPT, command], env=env, cwd=cwd or self.tmp,
                              capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)


class CommentTest(ActionTestBase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.head = make_venv(os.path.join(cls.tmp, "head"))
        base = make_venv(os.path.join(cls.tmp, "base"), with_pip=False)
        cls.base_json = os.path.join(cls.tmp, "base.json")
        proc = run_pkgsizer(["scan-env", "--venv", base, "--json", cls.base_json, "--no-cache"])
        assert proc.returncode == 0, describe(proc)
        cls.project = os.path.join(cls.tmp, "project")
        write_file(os.path.join(cls.project, "pkgsizer.toml"), '[budget]\ntotal = "1GB"\n')
        cls.event = os.path.join(cls.tmp, "event.json")
        write_file(cls.event, json.dumps({"action": "synchronize", "number": PR,
                                          "pull_request": {"number": PR}}))

    def setUp(self):
        self.server.requests.clear()
        self.server.comments.clear()
        # More than a page of other comments: the action's own must be found on page 2.
        for i in range(130):
            self.server.add_comment(f"comment {i}")

    def run_action_step(self, summary, **inputs):
        """action.yml's step, as GitHub runs it, with these inputs (the rest their defaults)."""
        from test_budget import IntegrationTest
        defaults, env_map, script = IntegrationTest.parse_action(unittest.TestCase())
        values = dict(defaults)
        values.update({k.replace("_", "-"): v for k, v in inputs.items()})
        self.assertFalse(set(values) - set(defaults), "no such inputs")
        env = self.action_env()
        env.update({"GITHUB_STEP_SUMMARY": summary, "GITHUB_EVENT_PATH": self.event,
                    "GITHUB_EVENT_NAME": "pull_request"})
        env.update({var: values[name] for var, name in env_map.items()})
        return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
                              cwd=self.project, env=env, capture_output=True, text=True, timeout=300,
                              stdin=subprocess.DEVNULL)

    def ours(self):
        return [c for c in self.server.comments if MARKER in c["body"]]

    def test_posts_one_comment_then_updates_it(self):
        summary = os.path.join(self.tmp, "summary.md")
        proc = self.run_action_step(summary, venv=self.head, comment="true", compare_to=self.base_json,
                                    format="markdown", github_token="secret-token")
        self.assertEqual(proc.returncode, 0, describe(proc))
        self.assertEqual(len(self.ours()), 1, describe(proc))
        first = self.ours()[0]
        self.assertEqual(first["user"]["login"], "github-actions[bot]")
        body = first["body"]
        # The size change against the base (pip and setuptools are new in head) and the budget.
        self.assertRegex(body, r"(?m)^\|.*pip.*\|")
        self.assertIn("setuptools", body)
        self.assertIn("pkgsizer budget", body)
        methods = [(r["method"], r["path"].split("?")[0]) for r in self.server.requests]
        self.assertEqual(methods.count(("POST", f"/repos/{REPOSITORY}/issues/{PR}/comments")), 1)
        self.assertTrue(all(r["authorization"] == "Bearer secret-token" for r in self.server.requests))
        self.assertNotIn("secret-token", proc.stdout + proc.stderr)
        with open(summary, encoding="utf-8") as f:
            text = f.read()
        self.assertIn("setuptools", text)
        self.assertNotIn(MARKER, text)

        # The next push: the same comment, updated; no second one.
        self.server.requests.clear()
        write_file(os.path.join(self.project, "pkgsizer.toml"), '[budget]\ntotal = "1kB"\n')
        proc = self.run_action_step(summary, venv=self.head, comment="true", compare_to=self.base_json,
                                    format="markdown", github_token="secret-token")
        self.assertEqual(proc.returncode, 1, describe(proc))  # over budget: the step fails
        self.assertEqual(len(self.ours()), 1)
        self.assertEqual(self.ours()[0]["id"], first["id"])
        self.assertNotEqual(self.ours()[0]["body"], body)
        self.assertIn("over budget", self.ours()[0]["body"].lower())
        methods = [r["method"] for r in self.server.requests]
        self.assertNotIn("POST", methods)
        self.assertEqual(methods.count("PATCH"), 1)
        write_file(os.path.join(self.project, "pkgsizer.toml"), '[budget]\ntotal = "1GB"\n')

    def test_outside_a_pull_request_only_the_summary(self):
        summary = os.path.join(self.tmp, "summary-push.md")
        env = self.action_env(venv=self.head, compare_to=self.base_json, bin_resolved=BIN)
        env.update({"GITHUB_STEP_SUMMARY": summary})
        proc = self.run_script("comment", env, cwd=self.project)
        self.assertEqual(proc.returncode, 0, describe(proc))
        self.assertIn("not a pull request", proc.stdout)
        self.assertEqual(self.server.requests, [])
        with open(summary, encoding="utf-8") as f:
            self.assertIn("setuptools", f.read())

    def test_a_refused_post_is_a_warning_not_a_failure(self):
        env = self.action_env(venv=self.head, bin_resolved=BIN, pr_number="8")
        proc = self.run_script("comment", env, cwd=self.project)
        self.assertEqual(proc.returncode, 0, describe(proc))
        self.assertIn("::warning title=pkgsizer comment not posted::", proc.stdout)


class InstallTest(ActionTestBase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        wheel = script_wheel("0.2.0")
        name = "pkgsizer-0.2.0-py3-none-manylinux_2_17_x86_64.whl"
        cls.server.files[f"/download/v0.2.0/{name}"] = wheel
        cls.server.releases["v0.2.0"] = {"tag_name": "v0.2.0", "assets": [
            {"name": "pkgsizer_0.2.0_arm64.deb", "browser_download_url": cls.server.url + "/nothing"},
            {"name": name, "browser_download_url": f"{cls.server.url}/download/v0.2.0/{name}"}]}
        cls.server.releases["v0.1.0"] = {"tag_name": "v0.1.0", "assets": []}
        # A PATH without pkgsizer: the runner that has nothing.
        cls.empty_path = os.pathsep.join(p for p in os.environ.get("PATH", "").split(os.pathsep)
                                         if not os.path.exists(os.path.join(p, "pkgsizer")))

    def test_installs_the_release_wheel_when_none_is_on_path(self):
        env = self.action_env(version="v0.2.0", repository=REPOSITORY)
        env["PATH"] = self.empty_path
        proc = self.run_script("install", env)
        self.assertEqual(proc.returncode, 0, describe(proc))
        installed = proc.stdout.strip()
        self.assertEqual(installed, os.path.join(self.tmp, "pkgsizer-venv", "bin", "pkgsizer"))
        run = subprocess.run([installed], capture_output=True, text=True)
        self.assertEqual(run.stdout.strip(), "pkgsizer 0.2.0 (release wheel)")

    def test_uses_the_one_on_path(self):
        self.server.requests.clear()
        proc = self.run_script("install", self.action_env(version="v0.2.0", repository=REPOSITORY))
        self.assertEqual(proc.returncode, 0, describe(proc))
        self.assertEqual(proc.stdout.strip(), os.path.join(self.bin_dir, "pkgsizer"))
        self.assertFalse(any("/releases/" in r["path"] for r in self.server.requests))

    def test_a_release_without_a_wheel_fails_clearly(self):
        env = self.action_env(version="v0.1.0", repository=REPOSITORY)
        env["PATH"] = self.empty_path
        proc = self.run_script("install", env)
        self.assertEqual(proc.returncode, 1, describe(proc))
        self.assertIn("::error title=pkgsizer not installed::release v0.1.0 of octo/app has no wheel",
                      proc.stdout)

    def test_install_none_or_a_named_binary_is_not_installed(self):
        env = self.action_env(version="v0.2.0", repository=REPOSITORY, install="none")
        env["PATH"] = self.empty_path
        proc = self.run_script("install", env)
        self.assertEqual(proc.returncode, 127, describe(proc))
        self.assertIn("::error title=pkgsizer not found::", proc.stdout)


class BadgeTest(BinaryTestCase):
    def test_badge_svg_is_xml_with_the_total_and_its_trend(self):
        history = os.path.join(self.tmp, "history.sqlite3")
        small = os.path.join(self.tmp, "small")
        big = os.path.join(self.tmp, "big")
        write_file(os.path.join(small, "a-1.0.dist-info", "METADATA"), "Name: a\nVersion: 1.0\n")
        write_file(os.path.join(big, "a-1.0.dist-info", "METADATA"), "Name: a\nVersion: 1.0\n")
        write_file(os.path.join(big, "a-1.0.dist-info", "data.bin"), 2_000_000)
        for site, label in ((small, "one"), (big, "two")):
            proc = run_pkgsizer(["track", "snapshot", label, "--history", history, "--name", "app",
                                 "--site-packages", site, "--no-cache", "-q"])
            self.assertEqual(proc.returncode, 0, describe(proc))
        svg = os.path.join(self.tmp, "badge.svg")
        proc = run_pkgsizer(["track", "badge", "--history", history, "--name", "app",
                             "--label", "size <&> \"x\"", "--svg", svg])
        self.assertEqual(proc.returncode, 0, describe(proc))
        root = ElementTree.parse(svg).getroot()
        self.assertEqual(root.tag, "{http://www.w3.org/2000/svg}svg")
        texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
        self.assertIn('size <&> "x"', texts)
        total = sum(os.lstat(os.path.join(big, "a-1.0.dist-info", f)).st_size for f in ("METADATA", "data.bin"))
        self.assertIn(f"{total / 1e6:.2f} MB ▲ +2.00 MB", texts)
        with open(svg, encoding="utf-8") as f:
            self.assertIn('fill="#fe7d37"', f.read())  # it grew: orange

        missing = run_pkgsizer(["track", "badge", "--history", os.path.join(self.tmp, "none.sqlite3")])
        self.assertEqual(missing.returncode, 9, describe(missing))


if __name__ == "__main__":
    unittest.main()
