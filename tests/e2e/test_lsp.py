"""`pkgsizer lsp`: the language server driven over its stdio by a real LSP client
(lsp_client.py) on real venvs with wheels built here, and the loopback index for the sizes of
what is not installed (docs/lsp.md)."""

import json
import os
import shutil
import socket
import subprocess
import time
import unittest
import zipfile

import support
from index_server import IndexServer
from lsp_client import LspClient, uri

PAYLOAD = 50_000


def fmt_size(n):
    """util/size_units.cpp format_size, decimal units."""
    if n < 1000:
        return f"{n} B"
    units = ["B", "kB", "MB", "GB", "TB", "PB"]
    value, unit = float(n), 0
    while value >= 1000 and unit + 1 < len(units):
        value /= 1000
        unit += 1
    if value >= 999.95:
        value /= 1000
        unit += 1
    if value >= 100:
        return f"{value:.0f} {units[unit]}"
    if value >= 10:
        return f"{value:.1f} {units[unit]}"
    return f"{value:.2f} {units[unit]}"


def fmt_time(us):
    """util/duration.cpp format_duration_us."""
    if us >= 1_000_000:
        return f"{us / 1e6:.2f} s"
    if us >= 1000:
        return f"{us / 1000:.1f} ms"
    return f"{us} us"


REQUIREMENTS = """\
# the service's dependencies
bigpkg>=1.0  # the main one
opencv-python
remotepkg \\
    ==2.0
unusedpkg
"""


class LspTest(support.BinaryTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.wheels = os.path.join(cls.tmp, "wheels")
        support.make_wheel(cls.wheels, "deplib", "1.0",
                           {"deplib/__init__.py": support.payload(PAYLOAD * 2, "d")})
        support.make_wheel(cls.wheels, "bigpkg", "1.0",
                           {"bigpkg/__init__.py": "VALUE = 1\n",
                            "bigpkg/data.bin": support.payload(PAYLOAD, "b")},
                           requires=["deplib"])
        support.make_wheel(cls.wheels, "opencv-python", "4.0",
                           {"cv2/__init__.py": support.payload(1000, "c")})
        support.make_wheel(cls.wheels, "unusedpkg", "1.0",
                           {"unusedmod/__init__.py": support.payload(1000, "u")})
        cls.remote_wheel = support.make_wheel(
            cls.wheels, "remotepkg", "2.0", {"remotepkg/__init__.py": support.payload(30_000, "r")})
        support.make_wheel(cls.wheels, "laterpkg", "1.0",
                           {"laterpkg/__init__.py": support.payload(20_000, "l")})
        cls.project = os.path.join(cls.tmp, "proj")
        cls.venv = os.path.join(cls.project, ".venv")
        support.make_venv(cls.venv)
        support.pip_install(cls.venv, cls.wheels, "bigpkg", "opencv-python", "unusedpkg")
        support.write_file(os.path.join(cls.project, "app", "main.py"),
                           b"import bigpkg\nimport cv2\nimport remotepkg\n")
        support.write_file(os.path.join(cls.project, "pkgsizer.toml"),
                           b'[budget]\npackages = { bigpkg = "10kB" }\n')
        cls.requirements = os.path.join(cls.project, "requirements.txt")
        support.write_file(cls.requirements, REQUIREMENTS.encode())
        # Measured import times, where the server looks for them (docs/lsp.md "Hover").
        cls.import_times = os.path.join(cls.project, ".pkgsizer", "import-time.json")
        os.makedirs(os.path.dirname(cls.import_times))
        proc = support.run_pkgsizer(["import-time", "bigpkg", "--venv", cls.venv, "--runs", "1",
                                     "--warmup", "0", "--json", cls.import_times])
        assert proc.returncode == 0, support.describe(proc)
        cls.index = IndexServer(cls.wheels)
        cls.index.start()
        cls.addClassCleanup(cls.index.stop)
        cls.cache = os.path.join(cls.tmp, "cache")
        proc = support.run_pkgsizer(["scan-env", "--venv", cls.venv, "--json", "-", "--no-cache"])
        assert proc.returncode == 0, support.describe(proc)
        cls.scan = json.loads(proc.stdout)
        cls.dists = {d["normalized_name"]: d for d in cls.scan["distributions"]}

    def start(self, *args, cache=None, env=None):
        overrides = {"PKGSIZER_CACHE_DIR": cache or self.cache}
        overrides.update(env or {})
        client = LspClient([support.BIN, "lsp", *args], env=support.base_env(overrides))
        self.addCleanup(client.kill)
        return client

    def start_project(self, *args, **kwargs):
        client = self.start("--index-url", self.index.index_url, *args, **kwargs)
        client.initialize(uri(self.project))
        return client

    def hints_until(self, client, doc, done, timeout=60):
        """inlayHint answers, each after a refresh, until done(labels by line) holds."""
        deadline = time.monotonic() + timeout
        while True:
            hints = client.result("textDocument/inlayHint", {
                "textDocument": {"uri": doc},
                "range": {"start": {"line": 0, "character": 0},
                          "end": {"line": 100, "character": 0}}})
            labels = {h["position"]["line"]: h["label"] for h in hints}
            if done(labels):
                return hints, labels
            client.wait_refresh(timeout=max(1, deadline - time.monotonic()))

    def assert_clean_exit(self, client):
        self.assertEqual(client.stop(), 0, client.stderr())
        self.assertEqual(client.violations, [])

    # ------------------------------------------------------------------------------------

    def test_requirements_hints_lenses_hover_diagnostics_actions(self):
        client = self.start_project()
        doc = uri(self.requirements)
        client.open(doc, REQUIREMENTS)
        # Never blocks: the first answer comes before the scan and the prediction are done.
        started = time.monotonic()
        client.result("textDocument/inlayHint", {"textDocument": {"uri": doc}, "range": {
            "start": {"line": 0, "character": 0}, "end": {"line": 9, "character": 0}}})
        self.assertLess(time.monotonic() - started, 5)

        hints, labels = self.hints_until(client, doc, lambda l: len(l) == 4)
        # Code lenses are asked for again too (LSP 3.17 workspace/codeLens/refresh).
        self.assertIn("workspace/codeLens/refresh",
                      [request["method"] for request in client.server_requests])
        big = self.dists["bigpkg"]
        self.assertEqual(labels[1], f"{fmt_size(big['apparent_bytes'])} 1.0")
        lines = REQUIREMENTS.splitlines()
        by_line = {h["position"]["line"]: h for h in hints}
        self.assertEqual(by_line[1]["position"]["character"], len(lines[1]))
        # remotepkg is not installed: predicted from the loopback index, on its continuation's
        # first line.
        wheel = os.path.getsize(self.remote_wheel)
        self.assertTrue(labels[3].startswith(f"predicted ↓{fmt_size(wheel)} / "), labels[3])
        self.assertTrue(self.index.requests_for("remotepkg"))
        self.assertNotIn(4, labels)
        self.assertNotIn(0, labels)  # the comment

        lenses = client.result("textDocument/codeLens", {"textDocument": {"uri": doc}})
        ranges = {l["range"]["start"]["line"]: l["range"] for l in lenses}
        self.assertEqual(ranges[1], {"start": {"line": 1, "character": 0},
                                     "end": {"line": 1, "character": 6}})
        self.assertEqual(ranges[3]["end"], {"line": 3, "character": 9})
        self.assertEqual([l["command"]["title"] for l in lenses if l["range"]["start"]["line"] == 3],
                         [labels[3]])

        hover = client.result("textDocument/hover", {"textDocument": {"uri": doc},
                                                     "position": {"line": 1, "character": 3}})
        text = hover["contents"]["value"]
        self.assertIn(f"**bigpkg 1.0** — {fmt_size(big['apparent_bytes'])} installed", text)
        self.assertIn(f"with its dependencies: {fmt_size(big['cumulative_bytes'])}", text)
        self.assertIn(f"removing it frees: {fmt_size(big['removal_bytes'])}", text)
        deplib = self.dists["deplib"]["apparent_bytes"]
        self.assertIn(f"biggest dependencies: deplib {fmt_size(deplib)}", text)
        with open(self.import_times) as f:
            timing = {d["name"]: d for d in json.load(f)["distributions"]}["bigpkg"]
        self.assertIn(f"- import time: {fmt_time(timing['self_us'])} self, "
                      f"{fmt_time(timing['cumulative_us'])} with what it imports (import bigpkg, "
                      "import-time.json)", text)
        self.assertIsNone(client.result("textDocument/hover", {
            "textDocument": {"uri": doc}, "position": {"line": 0, "character": 3}}))

        diagnostics = client.diagnostics(doc, lambda ds: any(d.get("code") == "unused" for d in ds))
        by_code = {d["code"]: d for d in diagnostics}
        self.assertEqual(by_code["budget"]["severity"], 1)
        self.assertEqual(by_code["budget"]["range"]["start"]["line"], 1)
        self.assertIn("of its budget of 10.0 kB (pkgsizer.toml:2, package)",
                      by_code["budget"]["message"])
        self.assertEqual(by_code["unused"]["range"]["start"]["line"], 5)
        self.assertEqual(by_code["unused"]["severity"], 2)
        self.assertEqual(by_code["lighter-alternative"]["range"]["start"]["line"], 2)
        self.assertEqual(len(diagnostics), 3, diagnostics)

        actions = client.result("textDocument/codeAction", {
            "textDocument": {"uri": doc},
            "range": {"start": {"line": 2, "character": 0}, "end": {"line": 2, "character": 0}},
            "context": {"diagnostics": [by_code["lighter-alternative"]]}})
        self.assertEqual(len(actions), 1)
        edit = actions[0]["edit"]["changes"][doc]
        self.assertEqual(edit, [{"range": {"start": {"line": 2, "character": 0},
                                           "end": {"line": 2, "character": 13}},
                                 "newText": "opencv-python-headless"}])

        # The status bar's request: the environment's totals.all, as scan-env counts them.
        summary = client.result("pkgsizer/environment", {"uri": uri(self.project)})
        self.assertEqual(summary, {
            "path": self.venv, "python_version": self.scan["environment"]["python_version"],
            "apparent_bytes": self.scan["totals"]["all"]["apparent_bytes"],
            "disk_bytes": self.scan["totals"]["all"]["disk_bytes"],
            "distributions": len(self.scan["distributions"])})
        self.assertIsNone(client.result("pkgsizer/environment", {"uri": uri("/")}))

        # An edit moves the hints with the lines.
        client.change(doc, "\n" + REQUIREMENTS)
        _, labels = self.hints_until(client, doc, lambda l: len(l) == 4)
        self.assertEqual(sorted(labels), [2, 3, 4, 6])
        self.assert_clean_exit(client)

    def test_environment_request_before_any_scan_and_from_pkgsizer_toml(self):
        # A folder whose pkgsizer.toml names the environment; asked before anything is scanned,
        # the answer comes when the scan is done.
        other = os.path.join(self.tmp, "elsewhere")
        support.write_file(os.path.join(other, "pkgsizer.toml"),
                           b'[environment]\nvenv = "../proj/.venv"\n')
        client = self.start()
        client.initialize(uri(other))
        summary = client.result("pkgsizer/environment", {"uri": uri(other)})
        self.assertEqual(summary["path"], self.venv)
        self.assertEqual(summary["distributions"], len(self.scan["distributions"]))
        # Without .venv or pkgsizer.toml, $VIRTUAL_ENV.
        client2 = self.start(env={"VIRTUAL_ENV": self.venv})
        client2.initialize(uri(self.tmp))
        self.assertEqual(client2.result("pkgsizer/environment", {"uri": uri(self.wheels)})["path"],
                         self.venv)
        self.assert_clean_exit(client)
        self.assert_clean_exit(client2)

    def test_pyproject_tables_and_positions(self):
        pyproject = os.path.join(self.project, "sub", "pyproject.toml")
        text = ("[project]\nname = \"svc\"\ndependencies = [\n  \"bigpkg>=1\",  # main\n"
                "  'remotepkg',\n]\n[project.optional-dependencies]\ncv = [\"opencv-python\"]\n"
                "[dependency-groups]\ndev = [\"unusedpkg\", {include-group = \"x\"}]\n"
                "[tool.uv]\ndev-dependencies = [\"deplib\"]\n"
                "[tool.poetry.dependencies]\npython = \"^3.11\"\n\"laterpkg\" = \"^1\"\n")
        support.write_file(pyproject, text.encode())
        client = self.start_project()
        doc = uri(pyproject)
        client.open(doc, text)
        lenses = client.result("textDocument/codeLens", {"textDocument": {"uri": doc}})
        # Lenses come once sizes are known; the positions are those of the names.
        _, labels = self.hints_until(client, doc, lambda l: len(l) == 6)
        lenses = client.result("textDocument/codeLens", {"textDocument": {"uri": doc}})
        starts = sorted((l["range"]["start"]["line"], l["range"]["start"]["character"],
                         l["range"]["end"]["character"]) for l in lenses)
        self.assertEqual(starts, [(3, 3, 9), (4, 3, 12), (7, 7, 20), (9, 8, 17), (11, 21, 27),
                                  (14, 1, 9)])
        self.assertTrue(labels[4].startswith("predicted ↓"), labels)
        self.assertTrue(labels[3].endswith(" 1.0"), labels)
        hover = client.result("textDocument/hover", {"textDocument": {"uri": doc},
                                                     "position": {"line": 11, "character": 22}})
        self.assertIn("**deplib 1.0**", hover["contents"]["value"])
        self.assert_clean_exit(client)

    def test_uv_lock_read_only(self):
        lock_dir = os.path.join(self.project, "locked")
        wheel = os.path.basename(self.remote_wheel)
        text = ('version = 1\nrequires-python = ">=3.8"\n\n[[package]]\nname = "bigpkg"\n'
                'version = "1.0"\nsource = { registry = "https://example.invalid/simple" }\n'
                'wheels = [{ url = "https://example.invalid/f/bigpkg-1.0-py3-none-any.whl", '
                'hash = "sha256:00", size = 123 }]\n\n[[package]]\nname = "remotepkg"\n'
                'version = "2.0"\nsource = { registry = "https://example.invalid/simple" }\n'
                f'wheels = [{{ url = "https://example.invalid/f/{wheel}", hash = "sha256:00", '
                'size = 4567 }]\n')
        support.write_file(os.path.join(lock_dir, "uv.lock"), text.encode())
        client = self.start_project("--offline")
        doc = uri(os.path.join(lock_dir, "uv.lock"))
        client.open(doc, text)
        # Before the scan and the prediction, the size the lock records; then the installed
        # size, and the download the lock records for what is not installed.
        _, labels = self.hints_until(client, doc, lambda l: l.get(4, "").endswith(" 1.0") and
                                     l.get(10, "").startswith("predicted"))
        self.assertEqual(labels[10], f"predicted ↓{fmt_size(4567)} / ?")
        self.assert_clean_exit(client)

    def test_offline_answers_from_the_cache_only(self):
        cache = os.path.join(self.tmp, "offline-cache")
        doc = uri(self.requirements)
        with IndexServer(self.wheels) as index:
            client = self.start("--index-url", index.index_url, cache=cache)
            client.initialize(uri(self.project))
            client.open(doc, REQUIREMENTS)
            _, online = self.hints_until(client, doc, lambda l: len(l) == 4)
            self.assert_clean_exit(client)
            index.clear_log()
            client = self.start("--index-url", index.index_url, "--offline", cache=cache)
            client.initialize(uri(self.project))
            client.open(doc, REQUIREMENTS)
            _, offline = self.hints_until(client, doc, lambda l: len(l) == 4)
            self.assertEqual(offline[3], online[3])
            self.assert_clean_exit(client)
            # `predict --offline` of a requirements file answers from that cache too.
            only_remote = os.path.join(self.tmp, "requirements-remote.txt")
            support.write_file(only_remote, b"remotepkg==2.0\n")
            proc = support.run_pkgsizer(["predict", only_remote, "--offline", "--no-deps",
                                         "--index-url", index.index_url, "--json", "-"],
                                        env={"PKGSIZER_CACHE_DIR": cache})
            self.assertEqual(proc.returncode, 0, support.describe(proc))
            remote = json.loads(proc.stdout)["distributions"][0]
            self.assertEqual(remote["download_bytes"], os.path.getsize(self.remote_wheel))
            self.assertIsNotNone(remote["installed_bytes"])
            # ... and says what the server's hint says.
            self.assertEqual(online[3], f"predicted ↓{fmt_size(remote['download_bytes'])} / "
                             f"{fmt_size(remote['installed_bytes'] + remote['bytecode_bytes'])}")
            self.assertEqual(index.requests, [])
        client = self.start("--offline", cache=os.path.join(self.tmp, "empty-cache"))
        client.initialize(uri(self.project))
        client.open(doc, REQUIREMENTS)
        _, labels = self.hints_until(client, doc, lambda l: len(l) == 4)
        self.assertEqual(labels[3], "size unknown")
        self.assert_clean_exit(client)

    def test_protocol_errors_and_exit_codes(self):
        client = self.start("--log", os.path.join(self.tmp, "lsp.log"))
        early = client.request("textDocument/hover", {})
        self.assertEqual(early["error"]["code"], -32002)
        client.initialize(uri(self.tmp))
        client.send_raw(b"Content-Length: 9\r\n\r\n{not json")
        self.assertEqual(client.wait_for(lambda m: "error" in m)["error"]["code"], -32700)
        client.send_raw(b"Content-Length: 2\r\n\r\n[]")
        self.assertEqual(client.wait_for(lambda m: "error" in m)["error"]["code"], -32600)
        client.send({"id": 77, "method": "textDocument/hover"})  # no "jsonrpc": "2.0"
        self.assertEqual(client.wait_for(lambda m: "error" in m)["error"], {
            "code": -32600, "message": "not a JSON-RPC 2.0 message"})
        client.send_raw(b"X-Nothing: 1\r\n\r\n")  # a header without Content-Length: skipped
        deep = b"[" * 100000
        client.send_raw(b"Content-Length: %d\r\n\r\n" % len(deep) + deep)
        self.assertEqual(client.wait_for(lambda m: "error" in m)["error"]["code"], -32700)
        self.assertEqual(client.request("no/such/method")["error"]["code"], -32601)
        self.assertEqual(client.request("textDocument/hover", {"textDocument": 5})["error"]["code"],
                         -32602)
        client.notify("no/such/notification", {})
        client.notify("$/cancelRequest", {"id": 1})
        self.assertIsNone(client.result("textDocument/hover", {
            "textDocument": {"uri": "file:///nowhere.txt"},
            "position": {"line": 0, "character": 0}}))
        self.assertIsNone(client.result("shutdown"))
        self.assertEqual(client.request("textDocument/hover", {})["error"]["code"], -32600)
        client.notify("exit")
        self.assertEqual(client.wait(), 0)
        self.assertEqual(client.violations, [])
        self.assertEqual(client.stderr(), "")  # --log took the log
        with open(os.path.join(self.tmp, "lsp.log")) as f:
            self.assertIn("Content-Length", f.read())
        # exit without shutdown: 1; the client going away: 1 (LSP 3.17 "exit").
        client = self.start()
        client.initialize(uri(self.tmp))
        client.notify("exit")
        self.assertEqual(client.wait(), 1)
        client = self.start()
        client.proc.stdin.close()
        self.assertEqual(client.wait(), 1)

    def test_neovim_builtin_client(self):
        # Debian's neovim (scripts/install-deps.sh): hover and diagnostics through a real
        # editor's client. A missing nvim fails: CI installs it.
        nvim = shutil.which("nvim")
        self.assertIsNotNone(nvim, "nvim not found: scripts/install-deps.sh installs neovim")
        out = os.path.join(self.tmp, "nvim-out.json")
        env = support.base_env({
            "PKGSIZER_BIN": support.BIN, "PKGSIZER_CACHE_DIR": os.path.join(self.tmp, "nvim-cache"),
            "LSP_DOCUMENT": self.requirements, "LSP_ROOT": self.project, "LSP_OUT": out,
            "LSP_WAIT_CODE": "unused", "LSP_LINE": "1", "LSP_CHARACTER": "2",
            "XDG_CONFIG_HOME": os.path.join(self.tmp, "nvim-config"),
            "XDG_DATA_HOME": os.path.join(self.tmp, "nvim-data"),
            "XDG_STATE_HOME": os.path.join(self.tmp, "nvim-state")})
        script = os.path.join(support.HERE, "nvim_lsp_client.lua")
        proc = subprocess.run([nvim, "--headless", "--clean", "-n", "-c", f"luafile {script}"],
                              env=env, capture_output=True, text=True, timeout=120,
                              stdin=subprocess.DEVNULL)
        self.assertTrue(os.path.exists(out), support.describe(proc))
        with open(out) as f:
            seen = json.load(f)
        self.assertEqual(seen["errors"], [])
        codes = {d["code"]: d for d in seen["diagnostics"]}
        self.assertEqual(sorted(codes), ["budget", "lighter-alternative", "unused"], seen)
        self.assertEqual((codes["budget"]["line"], codes["budget"]["col"]), (1, 0))
        self.assertEqual(codes["unused"]["line"], 5)
        big = self.dists["bigpkg"]
        self.assertIn(f"**bigpkg 1.0** — {fmt_size(big['apparent_bytes'])} installed",
                      seen["hover"])
        self.assertEqual(seen["exit_code"], 0)

    def test_failed_scan_is_shown_once_and_retried_when_the_venv_is_repaired(self):
        # A venv whose site-packages is missing cannot be scanned: one window/showMessage, the
        # hover says why, the predictions go on. Left alone, it is tried again after the
        # back-off without another message; repaired, the next request scans it and the
        # installed sizes arrive in the same session.
        project = os.path.join(self.tmp, "broken")
        venv = support.make_venv(os.path.join(project, ".venv"), with_pip=False)
        site = support.venv_site_packages(venv)
        away = os.path.join(project, "site-packages-away")
        os.rename(site, away)
        path = os.path.join(project, "requirements.txt")
        support.write_file(path, b"bigpkg\n")
        client = self.start("--index-url", self.index.index_url)
        client.initialize(uri(project))
        doc = uri(path)
        client.open(doc, "bigpkg\n")
        shown = client.wait_for(lambda m: m.get("method") == "window/showMessage")
        self.assertEqual(shown["params"]["type"], 2)
        self.assertIn(f"cannot scan the environment {venv}", shown["params"]["message"])
        hover = client.result("textDocument/hover", {"textDocument": {"uri": doc},
                                                     "position": {"line": 0, "character": 1}})
        self.assertIn(f"The environment {venv} cannot be scanned", hover["contents"]["value"])
        _, labels = self.hints_until(client, doc, lambda l: l.get(0, "").startswith("predicted"))
        # The back-off (2 s) passes: the next request tries again, and it fails the same way.
        time.sleep(2.2)
        client.result("textDocument/inlayHint", {"textDocument": {"uri": doc}, "range": {
            "start": {"line": 0, "character": 0}, "end": {"line": 1, "character": 0}}})
        deadline = time.monotonic() + 30
        while client.stderr().count(f"cannot scan {venv}:") < 2:
            self.assertLess(time.monotonic(), deadline, client.stderr())
            time.sleep(0.05)
        # Repaired: site-packages back, with bigpkg in it; no restart.
        os.rename(away, site)
        support.SiteTree(site, layout=False).dist_info(
            "bigpkg", "1.0", {"bigpkg/__init__.py": support.payload(5000, "b")})
        _, labels = self.hints_until(client, doc, lambda l: l.get(0, "").endswith(" 1.0"))
        hover = client.result("textDocument/hover", {"textDocument": {"uri": doc},
                                                     "position": {"line": 0, "character": 1}})
        self.assertIn("**bigpkg 1.0**", hover["contents"]["value"])
        self.assert_clean_exit(client)
        messages = [m for m in client.pending if m.get("method") == "window/showMessage"]
        self.assertEqual(messages, [], "the failure was shown more than once")

    def test_failed_prediction_is_retried_after_the_back_off(self):
        # The index is down: the prediction fails (shown once, "size unknown"); it comes up on
        # the same port, and the first request after the back-off predicts again.
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        project = os.path.join(self.tmp, "index-down")
        path = os.path.join(project, "requirements.txt")
        support.write_file(path, b"remotepkg\n")
        client = self.start("--index-url", f"http://127.0.0.1:{port}/simple",
                            cache=os.path.join(self.tmp, "index-down-cache"))
        client.initialize(uri(project))
        doc = uri(path)
        client.open(doc, "remotepkg\n")
        shown = client.wait_for(lambda m: m.get("method") == "window/showMessage", timeout=60)
        self.assertIn("cannot predict 1 requirement (remotepkg: ", shown["params"]["message"])
        failed_at = time.monotonic()
        _, labels = self.hints_until(client, doc, lambda l: l.get(0) == "size unknown")
        with IndexServer(self.wheels, port=port):
            time.sleep(max(0.0, failed_at + 2.1 - time.monotonic()))
            _, labels = self.hints_until(client, doc,
                                         lambda l: l.get(0, "").startswith("predicted ↓"))
        self.assert_clean_exit(client)
        self.assertEqual([m for m in client.pending if m.get("method") == "window/showMessage"],
                         [], "the failure was shown more than once")

    def test_exit_does_not_wait_for_a_job_in_progress(self):
        # A prediction in flight against an index that takes the connection and never answers
        # (a loopback socket: its accept() says the request is in flight): shutdown and exit
        # end the process at once with 0; the client going away, with 1.
        project = os.path.join(self.tmp, "slow")
        path = os.path.join(project, "requirements.txt")
        support.write_file(path, b"remotepkg\n")
        listener = socket.socket()
        self.addCleanup(listener.close)
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        listener.settimeout(30)
        index_url = f"http://127.0.0.1:{listener.getsockname()[1]}/simple"
        for how, code in (("exit", 0), ("eof", 1)):
            with self.subTest(how):
                client = self.start("--index-url", index_url,
                                    cache=os.path.join(self.tmp, f"slow-cache-{how}"))
                client.initialize(uri(project))
                client.open(uri(path), "remotepkg\n")
                connection, _ = listener.accept()
                self.addCleanup(connection.close)
                if how == "exit":
                    self.assertIsNone(client.result("shutdown"))
                    started = time.monotonic()
                    client.notify("exit")
                else:
                    started = time.monotonic()
                    client.proc.stdin.close()
                self.assertEqual(client.wait(), code, client.stderr())
                elapsed = time.monotonic() - started
                self.assertLess(elapsed, 1.0)
                self.assertEqual(client.violations, [])
                self.assertIn("exit: not waiting for the job in progress", client.stderr())

    def test_zz_rescan_when_the_environment_changes(self):
        # Last (it installs into the class's venv): pip changes site-packages, the next request
        # sees its mtime move, scans again and refreshes.
        text = "laterpkg\n"
        path = os.path.join(self.project, "requirements-later.txt")
        support.write_file(path, text.encode())
        client = self.start_project()
        doc = uri(path)
        client.open(doc, text)
        _, labels = self.hints_until(client, doc, lambda l: len(l) == 1)
        self.assertTrue(labels[0].startswith("predicted ↓"), labels)
        support.pip_install(self.venv, self.wheels, "laterpkg")
        client.change(doc, text)
        _, labels = self.hints_until(client, doc, lambda l: l.get(0, "").endswith(" 1.0"))
        self.assert_clean_exit(client)


if __name__ == "__main__":
    unittest.main()
