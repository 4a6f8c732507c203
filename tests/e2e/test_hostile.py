"""Hostile input (issue 19, docs/security.md): every file pkgsizer reads and every index response
it takes, fed what an attacker or an accident can put there — a FIFO, /dev/zero behind a
symlink, a 1 GB sparse file, invalid UTF-8, nesting 100,000 deep — must end in a clear error:
at most one line on stderr per bad input, a documented exit code (never 10, never a signal),
within 5 seconds, in bounded memory (each run gets RLIMIT_AS of 2 GiB). A new reader of a file
inherits the rule by reading through util/read_file; a new input belongs in the tables here.
The language server's messages (LspMessages) are fed to one long-running server the same way.

The hostile index is a small HTTP server on 127.0.0.1 (below), in the spirit of
index_server.py, that answers each path with what a test put there."""

import gzip
import json
import os
import resource
import struct
import subprocess
import threading
import time
import unittest
import zipfile
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from lsp_client import LspClient, uri
from support import BIN, BinaryTestCase, SiteTree, base_env, escape, make_tempdir, remove_tree

def built_with_address_sanitizer():
    try:
        with open(BIN, "rb") as binary:
            return b"__asan_init" in binary.read()
    except OSError:
        return False  # BinaryTestCase says what is missing


# AddressSanitizer reserves terabytes of shadow address space at start, so it cannot run under
# RLIMIT_AS; its own hard_rss_limit_mb bounds the memory instead (it ends the process, which
# then fails the test as a signal or an undocumented exit code would).
ASAN = built_with_address_sanitizer()

# Seconds a run may take (instrumented code runs 2-3x slower).
TIME_LIMIT = 15.0 if ASAN else 5.0
MEMORY_LIMIT = 2 * 1024 ** 3     # bytes of address space a run may map
INTERNAL = 10                    # the exit code that would mean a bug
DOCUMENTED = set(range(0, 10))   # README "Exit codes"
NESTING = 100_000




def run_limited(args, cwd=None, env=None, stdin=subprocess.DEVNULL, timeout=TIME_LIMIT):
    """Runs pkgsizer under the memory limit; returns (CompletedProcess, seconds). A run that
    outlives `timeout` (twice the limit, to tell a hang from a slow machine) fails the test."""
    run_env = limited_env(env)
    started = time.monotonic()
    try:
        proc = subprocess.run([BIN] + [str(a) for a in args], cwd=cwd, env=run_env,
                              capture_output=True, encoding="utf-8", errors="replace",
                              timeout=2 * timeout, stdin=stdin,
                              preexec_fn=None if ASAN else limit_memory)
    except subprocess.TimeoutExpired:
        raise AssertionError(f"pkgsizer {' '.join(map(str, args))}: still running after "
                             f"{2 * timeout} s (a hang)") from None
    return proc, time.monotonic() - started


def stderr_lines(proc):
    return [line for line in proc.stderr.splitlines() if line.strip()]


class HostileCase(BinaryTestCase):
    def assert_clear_error(self, proc, elapsed, codes, mentions=None, time_limit=TIME_LIMIT):
        context = (f"\n$ {' '.join(map(str, proc.args))}\nexit {proc.returncode} after "
                   f"{elapsed:.1f} s\n--- stderr\n{proc.stderr[:3000]}")
        self.assertGreaterEqual(proc.returncode, 0, "killed by a signal" + context)
        self.assertNotEqual(proc.returncode, INTERNAL, context)
        self.assertIn(proc.returncode, codes & DOCUMENTED, context)
        self.assertLess(elapsed, time_limit, context)
        lines = stderr_lines(proc)
        self.assertEqual(len(lines), 1, "exactly one line on stderr" + context)
        self.assertTrue(lines[0].startswith("pkgsizer: "), context)
        if mentions:
            self.assertIn(mentions, lines[0], context)
        return lines[0]


def limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def limited_env(env=None):
    """base_env, and under ASan its hard_rss_limit_mb (see run_limited)."""
    run_env = base_env(env)
    if ASAN:
        options = run_env.get("ASAN_OPTIONS", "")
        run_env["ASAN_OPTIONS"] = (options + ":" if options else "") + \
            f"hard_rss_limit_mb={MEMORY_LIMIT // 2**20}"
    return run_env


# ---------------------------------------------------------------------------------------------
# Hostile files, made by the tests


def make_fifo(path):
    os.mkfifo(path)


def make_zero_link(path):
    os.symlink("/dev/zero", path)


def make_urandom_link(path):
    os.symlink("/dev/urandom", path)


def make_sparse(path):
    with open(path, "wb") as f:
        f.truncate(1024 ** 3)   # 1 GB, no blocks


def make_invalid_utf8(path):
    with open(path, "wb") as f:
        f.write(b"\xff\xfe\xc3(\x80 not UTF-8 \xed\xa0\x80\n")


# What each kind of hostile file must be refused for, in the one line of error.
HOSTILE = {
    "fifo": (make_fifo, "FIFO"),
    "dev-zero": (make_zero_link, "character device"),
    "dev-urandom": (make_urandom_link, "character device"),
    "sparse-1GB": (make_sparse, "larger than"),
}


def deep_json():
    return "[" * NESTING + "]" * NESTING


def deep_scan():
    """A saved scan whose one distribution's module tree is 100,000 levels deep."""
    module = '{"name": "m", "kind": "package", "children": [' * NESTING + "]}" * NESTING
    return ('{"schema_version": 1, "environment": {}, "distributions": [{"name": "a", '
            '"version": "1", "modules": [' + module + "]}]}")


def nested_marker(depth=10_000):
    return "(" * depth + 'python_version >= "3"' + ")" * depth


# ---------------------------------------------------------------------------------------------
# Metadata files of installed distributions


class MetadataFiles(HostileCase):
    """Each metadata file of a .dist-info / .egg-info replaced by a hostile one: the scan
    finishes, says which file it could not read in one line, and counts what it can."""

    def site_with(self, name, tag, egg=False):
        root = os.path.join(self.tmp, f"{name}-{tag}")
        tree = SiteTree(root, layout=False)
        tree.dist_info("good", "1.0", {"good.py": b"print('good')\n"})
        if egg:
            info = os.path.join(tree.site, "bad-1.0-py3.11.egg-info")
            os.makedirs(info)
            for fname, text in (("PKG-INFO", "Metadata-Version: 1.1\nName: bad\nVersion: 1.0\n"),
                                ("requires.txt", "good\n"), ("top_level.txt", "bad\n"),
                                ("installed-files.txt", "../bad.py\n")):
                with open(os.path.join(info, fname), "w") as f:
                    f.write(text)
            with open(os.path.join(tree.site, "bad.py"), "w") as f:
                f.write("print('bad')\n")
        else:
            tree.dist_info("bad", "1.0", {"bad.py": b"print('bad')\n"}, top_level=["bad"],
                           direct_url={"url": "file:///src/bad", "dir_info": {}})
            info = os.path.join(tree.site, "bad-1.0.dist-info")
        return tree.site, info

    def check_file(self, fname, egg=False):
        for tag, (make, mentions) in HOSTILE.items():
            with self.subTest(file=fname, hostile=tag):
                site, info = self.site_with(("egg-" if egg else "") + fname.replace(".", "_"), tag, egg)
                os.remove(os.path.join(info, fname))
                make(os.path.join(info, fname))
                proc, elapsed = run_limited(["scan-env", "--site-packages", site, "--no-cache"])
                self.assert_clear_error(proc, elapsed, {0, 4}, mentions)
                self.assertIn(fname, proc.stderr)
                self.assertIn("good", proc.stdout)

    def test_dist_info_files(self):
        for fname in ("METADATA", "RECORD", "INSTALLER", "top_level.txt", "direct_url.json"):
            self.check_file(fname)

    def test_egg_info_files(self):
        for fname in ("PKG-INFO", "requires.txt", "top_level.txt", "installed-files.txt"):
            self.check_file(fname, egg=True)

    def test_invalid_utf8_metadata(self):
        site, info = self.site_with("utf8", "utf8")
        for fname in ("METADATA", "RECORD", "INSTALLER", "top_level.txt", "direct_url.json"):
            make_invalid_utf8(os.path.join(info, fname + ".tmp"))
            os.replace(os.path.join(info, fname + ".tmp"), os.path.join(info, fname))
        proc, elapsed = run_limited(["scan-env", "--site-packages", site, "--no-cache"])
        self.assertIn(proc.returncode, {0, 4}, proc.stderr)
        self.assertLess(elapsed, TIME_LIMIT)
        self.assertIn("good", proc.stdout)

    def test_nested_markers_in_metadata_and_requires_txt(self):
        # 10,000 nested parentheses overflowed the stack (SIGSEGV) in the graph phase. The
        # requirement is a dependency problem of the report (stdout), quoted in part.
        for egg in (False, True):
            with self.subTest(egg=egg):
                site, info = self.site_with("marker-egg" if egg else "marker", "marker", egg)
                with open(os.path.join(info, "requires.txt" if egg else "METADATA"), "a") as f:
                    f.write(f"good; {nested_marker()}\n" if egg
                            else f"Requires-Dist: good; {nested_marker()}\n")
                proc, elapsed = run_limited(["scan-env", "--site-packages", site, "--no-cache"])
                self.assertEqual(proc.returncode, 0, proc.stderr)
                self.assertLess(elapsed, TIME_LIMIT)
                self.assertIn("nested more than 100 deep", proc.stdout + proc.stderr)
                self.assertLess(len(proc.stdout), 5000, "the 20 KB marker is quoted in part")

    def test_pyvenv_cfg(self):
        for tag, (make, _) in HOSTILE.items():
            with self.subTest(hostile=tag):
                prefix = os.path.join(self.tmp, f"venv-{tag}")
                SiteTree(prefix).dist_info("good", "1.0", {"good.py": b"x"})
                make(os.path.join(prefix, "prefix", "pyvenv.cfg"))
                proc, elapsed = run_limited(["scan-env", "--venv", os.path.join(prefix, "prefix"),
                                             "--no-cache"])
                self.assertIn(proc.returncode, {0, 3}, proc.stderr)
                self.assertLess(elapsed, TIME_LIMIT)
                self.assertLessEqual(len(stderr_lines(proc)), 1, proc.stderr)


# ---------------------------------------------------------------------------------------------
# Options that name a file


class FileOptions(HostileCase):
    """Every option that reads a file, given each hostile file."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.work = os.path.join(cls.tmp, "work")
        os.makedirs(cls.work)
        cls.site = SiteTree(os.path.join(cls.tmp, "env"), layout=False).site
        SiteTree(cls.site, layout=False).dist_info("good", "1.0", {"good.py": b"x"})
        with open(os.path.join(cls.work, "pkgsizer.toml"), "w") as f:
            f.write('[budget]\ntotal = "1GB"\n')
        proc = subprocess.run([BIN, "scan-env", "--site-packages", cls.site, "--no-cache",
                               "--json", os.path.join(cls.work, "scan.json")],
                              env=base_env(), capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr

    # (arguments with FILE in the hostile place, the exit codes documented for a bad file)
    def commands(self, path):
        scan = os.path.join(self.work, "scan.json")
        history = os.path.join(self.work, "history.sqlite3")
        return {
            "check-budget --config": (["check-budget", "--config", path, "--report", scan], {2}),
            "check-budget --report": (["check-budget", "--report", path], {2, 3}),
            "check-budget --baseline": (["check-budget", "--report", scan, "--baseline", path],
                                        {2, 3}),
            "scan-env --budget": (["scan-env", "--site-packages", self.site, "--no-cache",
                                   "--budget", path], {2}),
            "compare A": (["compare", path, scan], {2, 3}),
            "compare B": (["compare", scan, path], {2, 3}),
            "track import": (["track", "import", path, "--history", history], {2, 3, 8}),
            "predict": (["predict", path, "--no-index"], {2, 3}),
        }

    def check_all(self, name, make, mentions=None):
        path = os.path.join(self.work, name)
        make(path)
        for label, (args, codes) in self.commands(path).items():
            with self.subTest(option=label, hostile=name):
                proc, elapsed = run_limited(args, cwd=self.work)
                self.assert_clear_error(proc, elapsed, codes, mentions)

    def test_fifo(self):
        self.check_all("fifo", make_fifo, "FIFO")

    def test_dev_zero_and_urandom(self):
        self.check_all("zero", make_zero_link, "character device")
        self.check_all("urandom", make_urandom_link, "character device")

    def test_sparse_1gb(self):
        self.check_all("sparse", make_sparse, "larger than")

    def test_invalid_utf8(self):
        self.check_all("utf8", make_invalid_utf8)

    def test_deep_json(self):
        # A saved scan with modules 100,000 deep crashed compare, check-budget --report and
        # track import (SIGSEGV); 10,000 deep needed more than 3 GiB.
        for name, text in (("deep-scan.json", deep_scan()), ("deep.json", deep_json())):
            path = os.path.join(self.work, name)
            with open(path, "w") as f:
                f.write(text)
            for label in ("check-budget --report", "check-budget --baseline", "compare A",
                          "compare B", "track import", "predict"):
                args, codes = self.commands(path)[label]
                with self.subTest(option=label, file=name):
                    proc, elapsed = run_limited(args, cwd=self.work)
                    self.assert_clear_error(proc, elapsed, codes)

    def test_impossible_sizes_in_a_saved_scan(self):
        # Sizes of 2^63 wrapped in differences and sums (compare, max_increase): refused.
        with open(os.path.join(self.work, "scan.json")) as f:
            scan = json.load(f)
        for dist in scan["distributions"]:
            dist["apparent_bytes"] = 1 << 63
        path = os.path.join(self.work, "huge.json")
        with open(path, "w") as f:
            json.dump(scan, f)
        for label in ("check-budget --report", "check-budget --baseline", "compare B"):
            args, codes = self.commands(path)[label]
            with self.subTest(option=label):
                proc, elapsed = run_limited(args, cwd=self.work)
                self.assert_clear_error(proc, elapsed, codes, "2^62")

    def test_stdin_still_reads_a_scan_from_a_pipe(self):
        # `compare - B` and `--report /dev/stdin` are how CI pipes a scan in: they stay.
        scan = os.path.join(self.work, "scan.json")
        with open(scan) as f:
            text = f.read()
        for args in (["compare", "-", scan], ["check-budget", "--report", "/dev/stdin"]):
            with self.subTest(args=args):
                proc = subprocess.run([BIN] + args, input=text, cwd=self.work, env=base_env(),
                                      capture_output=True, text=True, timeout=30)
                self.assertEqual(proc.returncode, 0, proc.stderr)

    def test_endless_stdin_is_cut_off(self):
        with open("/dev/zero", "rb") as zero:
            proc, elapsed = run_limited(["compare", "-", os.path.join(self.work, "scan.json")],
                                        stdin=zero, timeout=15)
        self.assert_clear_error(proc, elapsed, {3}, "larger than", time_limit=15)

    def test_requirements_include_chain_and_fifo(self):
        # A -r chain 5,000 files deep overflowed the stack; -r FIFO blocked forever.
        chain = os.path.join(self.work, "chain")
        os.makedirs(chain)
        for i in range(5000):
            with open(os.path.join(chain, f"r{i}.txt"), "w") as f:
                f.write(f"-r r{i + 1}.txt\n")
        proc, elapsed = run_limited(["predict", os.path.join(chain, "r0.txt"), "--no-index"])
        self.assert_clear_error(proc, elapsed, {2}, "nest more than 100 deep")
        for tag, (make, mentions) in HOSTILE.items():
            with self.subTest(included=tag):
                target = os.path.join(self.work, f"included-{tag}")
                make(target)
                req = os.path.join(self.work, f"req-{tag}.txt")
                with open(req, "w") as f:
                    f.write(f"-r {target}\n")
                proc, elapsed = run_limited(["predict", req, "--no-index"])
                self.assert_clear_error(proc, elapsed, {2}, "cannot read")

    def test_nested_marker_in_requirements(self):
        req = os.path.join(self.work, "marker.txt")
        with open(req, "w") as f:
            f.write(f"good; {nested_marker()}\n")
        proc, elapsed = run_limited(["predict", req, "--no-index"])
        self.assert_clear_error(proc, elapsed, {2}, "nested more than 100 deep")

    def test_many_budget_packages(self):
        # 100,000 [budget.packages] entries took 20-45 s (a search per entry).
        config = os.path.join(self.work, "many.toml")
        with open(config, "w") as f:
            f.write('[budget]\ntotal = "1TB"\n[budget.packages]\n')
            f.writelines(f'pkg{i} = "1MB"\n' for i in range(100_000))
        proc, elapsed = run_limited(["check-budget", "--config", config, "--report",
                                     os.path.join(self.work, "scan.json")])
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertLess(elapsed, TIME_LIMIT)


# ---------------------------------------------------------------------------------------------
# The dependency graph


class GraphShapes(HostileCase):
    def write_dist(self, site, name, requires, requested=False):
        info = os.path.join(site, f"{name}-1.0.dist-info")
        os.makedirs(info)
        with open(os.path.join(info, "METADATA"), "w") as f:
            f.write(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
            f.writelines(f"Requires-Dist: {r}\n" for r in requires)
        with open(os.path.join(info, "RECORD"), "w") as f:
            f.write(f"{name}-1.0.dist-info/METADATA,,\n{name}-1.0.dist-info/RECORD,,\n")
        if requested:
            open(os.path.join(info, "REQUESTED"), "w").close()

    def test_why_in_a_dense_cycle(self):
        # 16 distributions all requiring each other, under one root: `why` walked 16! paths.
        site = os.path.join(self.tmp, "dense")
        names = [f"p{i}" for i in range(16)]
        for name in names:
            self.write_dist(site, name, [n for n in names if n != name])
        self.write_dist(site, "top", ["p0"], requested=True)
        proc, elapsed = run_limited(["why", "p15", "--site-packages", site, "--no-cache"])
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertLess(elapsed, TIME_LIMIT)
        self.assertIn("top", proc.stdout)
        self.assertIn("or more", proc.stdout)

    # The 50,000-long chain (65-200 s in the graph phase) is tests/unit/dependency_graph_test.cpp:
    # writing and removing 100,000 files here costs minutes of disk time on a busy machine.


# ---------------------------------------------------------------------------------------------
# A hostile index on 127.0.0.1


class _HostileHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    routes = {}   # path -> callable(handler)

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass

    def do_GET(self):
        route = self.routes.get(self.path.split("?")[0])
        try:
            if route is None:
                self.send_plain(404, b"not found\n")
            else:
                route(self)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def send_plain(self, status, body, headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def send_ranged(self, body):
        """A file, honouring one suffix or absolute Range as a real index does."""
        value = self.headers.get("Range", "")
        if value.startswith("bytes="):
            first, _, last = value[6:].partition("-")
            if first == "":
                start, end = max(0, len(body) - int(last)), len(body) - 1
            else:
                start, end = int(first), min(int(last) if last else len(body) - 1, len(body) - 1)
            self.send_plain(206, body[start:end + 1],
                            [("Content-Range", f"bytes {start}-{end}/{len(body)}"),
                             ("Accept-Ranges", "bytes")])
        else:
            self.send_plain(200, body, [("Accept-Ranges", "bytes")])


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass   # a client that stops reading a bomb resets the connection: expected here


class HostileIndex:
    def __init__(self):
        handler = type("Handler", (_HostileHandler,), {"routes": {}})
        self.routes = handler.routes
        self.server = _QuietServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def project(self, name, wheel_bytes, filename=None):
        """A PEP 691 page for `name` with one wheel, served with Range support."""
        filename = filename or f"{escape(name)}-1.0-py3-none-any.whl"
        page = json.dumps({"meta": {"api-version": "1.1"}, "name": name, "files": [
            {"filename": filename, "url": f"{self.url}/files/{filename}", "hashes": {},
             "size": len(wheel_bytes)}]}).encode()
        self.routes[f"/simple/{name}/"] = lambda h: h.send_plain(
            200, page, [("Content-Type", "application/vnd.pypi.simple.v1+json")])
        self.routes[f"/files/{filename}"] = lambda h: h.send_ranged(wheel_bytes)


def plain_wheel(name):
    import io
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as wheel:
        wheel.writestr(f"{escape(name)}/__init__.py", "x = 1\n")
        wheel.writestr(f"{escape(name)}-1.0.dist-info/METADATA",
                       f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
        wheel.writestr(f"{escape(name)}-1.0.dist-info/RECORD", "")
    return buffer.getvalue()


def zip64_wheel(name, members):
    """A zip whose central directory claims, through ZIP64 extra fields, the given
    (member name, uncompressed size, method, data) — sizes no test could write."""
    out = b""
    directory = b""
    for member, size, method, data in members:
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 45, 0, method, 0, 0, 0,
                           0xFFFFFFFF, 0xFFFFFFFF, len(member), 0) + member.encode() + data
        extra = struct.pack("<HHQQ", 1, 16, size, len(data))
        directory += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 45, 45, 0, method, 0, 0, 0,
                                 0xFFFFFFFF, 0xFFFFFFFF, len(member), len(extra), 0, 0, 0, 0,
                                 offset) + member.encode() + extra
    directory_offset = len(out)
    out += directory
    record_offset = len(out)
    out += struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, len(members), len(members),
                       len(directory), directory_offset)
    out += struct.pack("<IIQI", 0x07064B50, 0, record_offset, 1)
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    return out


class IndexResponses(HostileCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.index = HostileIndex()
        cls.addClassCleanup(cls.index.stop)

    def predict(self, requirement, env=None, timeout=TIME_LIMIT):
        req = os.path.join(self.tmp, f"req-{abs(hash(requirement))}.txt")
        with open(req, "w") as f:
            f.write(requirement + "\n")
        env = dict(env or {})
        env.setdefault("XDG_CACHE_HOME", os.path.join(self.tmp, "cache"))
        return run_limited(["predict", req, "--index-url", f"{self.index.url}/simple",
                            "--no-cache", "--python-version", "3.11",
                            "--platform", "linux-x86_64"], env=env, timeout=timeout)

    def page_route(self, name, body, headers):
        self.index.routes[f"/simple/{name}/"] = lambda h: h.send_plain(200, body, headers)

    def test_a_plain_wheel_works(self):
        # The hostile index serves a good project as any index would (the tests' baseline).
        self.index.project("fine", plain_wheel("fine"))
        proc, elapsed = self.predict("fine==1.0")
        self.assertEqual(proc.returncode, 0, proc.stderr)

    def test_slow_loris(self):
        # 2 bytes a second kept predict waiting forever: above the 1 byte/s stall limit.
        def trickle(handler):
            handler.send_response(200)
            handler.send_header("Content-Type", "application/vnd.pypi.simple.v1+json")
            handler.send_header("Content-Length", "100000")
            handler.end_headers()
            for _ in range(200):
                handler.wfile.write(b"  ")
                handler.wfile.flush()
                time.sleep(1)
        self.index.routes["/simple/slow/"] = trickle
        proc, elapsed = self.predict("slow==1.0", env={"PIP_TIMEOUT": "1"}, timeout=30)
        # Each attempt stops after 1 s below 1 KiB/s; three retries with backoff follow.
        self.assert_clear_error(proc, elapsed, {3}, "timed out", time_limit=30)

    def test_gzip_bomb_page(self):
        # 3 MB of gzip expanding to 3 GB ran out of memory: decoded bodies stop at 256 MiB.
        bomb = gzip.compress(b" " * (300 * 1024 * 1024), compresslevel=9)
        bomb = bomb * 10   # concatenated members decode as one stream: 3 GB
        self.page_route("bomb", bomb, [("Content-Type", "application/vnd.pypi.simple.v1+json"),
                                       ("Content-Encoding", "gzip")])
        proc, elapsed = self.predict("bomb==1.0")
        self.assert_clear_error(proc, elapsed, {3}, "larger than")

    def test_deeply_nested_pages(self):
        html = ("<html><body>" + "<div>" * 200_000 + "</body></html>").encode()
        self.page_route("deephtml", html, [("Content-Type", "text/html")])
        proc, elapsed = self.predict("deephtml==1.0")
        self.assert_clear_error(proc, elapsed, {3}, "nested more than")
        self.page_route("deepjson", ('{"meta": {"api-version": "1.1"}, "files": ' + deep_json()
                                     + "}").encode(),
                        [("Content-Type", "application/vnd.pypi.simple.v1+json")])
        proc, elapsed = self.predict("deepjson==1.0")
        self.assert_clear_error(proc, elapsed, {3}, "nested more than")

    def test_invalid_utf8_page(self):
        self.page_route("badutf8", b'{"meta": {"api-version": "1.1"}, "name": "\xff\xfe"}',
                        [("Content-Type", "application/vnd.pypi.simple.v1+json")])
        proc, elapsed = self.predict("badutf8==1.0")
        self.assert_clear_error(proc, elapsed, {3})

    def test_sizes_that_wrap_at_2_64(self):
        # Two ZIP64 members of 2^63 bytes summed to 45 B installed, exit 0.
        wheel = zip64_wheel("wrap", [("wrap/a.bin", 1 << 63, 0, b"a"),
                                     ("wrap/b.bin", 1 << 63, 0, b"b"),
                                     ("wrap-1.0.dist-info/METADATA", 45, 0, b"m")])
        self.index.project("wrap", wheel)
        proc, elapsed = self.predict("wrap==1.0")
        self.assert_clear_error(proc, elapsed, {3}, "2^64")

    def test_metadata_bomb(self):
        # A METADATA claiming 4 GB (a 4 MB wheel inflating to 4 GB ran out of memory): refused
        # before anything is inflated. Unpinned, so the METADATA is read for dependencies.
        wheel = zip64_wheel("mbomb", [("mbomb/__init__.py", 6, 0, b"x = 1\n"),
                                      ("mbomb-1.0.dist-info/METADATA", 4 * 1024 ** 3, 8,
                                       zlib.compress(b"\0" * 1024)[2:-4])])
        self.index.project("mbomb", wheel)
        proc, elapsed = self.predict("mbomb")
        # Its dependencies cannot be known: a warning says so, and the size is still given.
        self.assert_clear_error(proc, elapsed, {0, 3}, "more than the 64 MiB a METADATA may hold")

    def test_nested_marker_in_remote_metadata(self):
        name = "deepmarker"
        import io
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as wheel:
            wheel.writestr(f"{name}/__init__.py", "")
            wheel.writestr(f"{name}-1.0.dist-info/METADATA",
                           f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n"
                           f"Requires-Dist: fine; {nested_marker()}\n")
        self.index.project(name, buffer.getvalue())
        proc, elapsed = self.predict(name)
        self.assertNotEqual(proc.returncode, INTERNAL, proc.stderr)
        self.assertGreaterEqual(proc.returncode, 0, proc.stderr)
        self.assertLess(elapsed, TIME_LIMIT)


if __name__ == "__main__":
    unittest.main()


# ---------------------------------------------------------------------------------------------
# The language server's input: one server (under the memory limit) fed every hostile message in
# turn. After each, it must answer the next valid request; it must answer each bad request with
# the JSON-RPC error the spec gives, ignore a bad notification, never crash, and never write a
# byte to stdout that is not part of a message (lsp_client checks every byte).

PARSE_ERROR, INVALID_REQUEST, INVALID_PARAMS = -32700, -32600, -32602


class LspMessages(HostileCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tmp = make_tempdir()
        cls.client = LspClient([BIN, "lsp", "--offline", "--no-cache"],
                               env=limited_env({"PKGSIZER_CACHE_DIR": os.path.join(cls.tmp, "c")}),
                               preexec_fn=None if ASAN else limit_memory)
        cls.client.initialize(uri(cls.tmp))
        cls.doc = uri(os.path.join(cls.tmp, "requirements.txt"))
        cls.client.open(cls.doc, "flask\nrequests\n")

    @classmethod
    def tearDownClass(cls):
        cls.client.kill()
        remove_tree(cls.tmp)
        super().tearDownClass()

    def setUp(self):
        self.client.pending.clear()

    def assert_serving(self, what):
        """The next valid request is answered, in time, and nothing else was answered."""
        started = time.monotonic()
        answer = self.client.request("textDocument/hover", {
            "textDocument": {"uri": "file:///nowhere/requirements.txt"},
            "position": {"line": 0, "character": 0}}, timeout=2 * TIME_LIMIT)
        self.assertEqual(answer.get("result", "no result"), None, what)
        self.assertLess(time.monotonic() - started, TIME_LIMIT, what)
        self.assertIsNone(self.client.proc.poll(), what + ": the server ended\n"
                          + self.client.stderr())
        self.assertEqual(self.client.violations, [], what)
        unexpected = [m for m in self.client.pending if "id" in m and "method" not in m]
        self.client.pending.clear()
        return unexpected

    def error_for(self, raw, code, what):
        self.client.send_raw(raw)
        error = self.client.wait_for(lambda m: "error" in m, timeout=2 * TIME_LIMIT)
        self.assertEqual(error["error"]["code"], code, what)
        self.assertEqual(self.assert_serving(what), [], what)
        return error

    def hover_name(self, line, doc=None):
        hover = self.client.result("textDocument/hover", {
            "textDocument": {"uri": doc or self.doc}, "position": {"line": line, "character": 1}})
        return hover["contents"]["value"].split("**")[1] if hover else None

    def test_content_length_missing_negative_huge(self):
        body = json.dumps({"jsonrpc": "2.0", "id": 900, "method": "shutdown"}).encode()
        for header in (b"X-Nothing: 1", b"Content-Length: -5", b"Content-Length: 0x10",
                       b"Content-Length: 3221225472",  # past the memory limit
                       b"Content-Length: 9223372036854775808",  # 2^63
                       b"Content-Length: 18446744073709551616",  # 2^64
                       b"Content-Length: 1\r\nContent-Length: 1",
                       b"Content-Length: " + b"9" * 5000,
                       b"X: " + b"a" * 20000):  # a header part over 8 KiB
            with self.subTest(header=header[:40]):
                self.client.send_raw(header + b"\r\n\r\n" + body)
                # The body after the refused header is never taken for a message: "shutdown"
                # is not answered, and the server still serves.
                self.assertEqual(self.assert_serving(repr(header[:40])), [])
        # A Content-Length shorter than the body: a parse error, and the rest is skipped.
        self.error_for(b"Content-Length: 3\r\n\r\n" + body, PARSE_ERROR, "short length")
        # A body of 20 MB behind a refused length: skipped without being kept.
        self.client.send_raw(b"Content-Length: -1\r\n\r\n" + b"{" * 20_000_000)
        self.assertEqual(self.assert_serving("20 MB after a refused length"), [])

    def test_bodies_that_are_not_json_rpc(self):
        for body, code in ((b"{not json", PARSE_ERROR), (b"\xff\xfe\x00", PARSE_ERROR),
                           (b"", PARSE_ERROR), (b"42", INVALID_REQUEST),
                           (b'"a string"', INVALID_REQUEST), (b"null", INVALID_REQUEST),
                           (b"[]", INVALID_REQUEST), (b'[{"jsonrpc": "2.0", "method": "x"}]',
                                                      INVALID_REQUEST),
                           (b'{"jsonrpc": "1.0", "id": 1, "method": "shutdown"}', INVALID_REQUEST),
                           (b'{"jsonrpc": "2.0", "id": {"a": 1}, "method": "shutdown"}',
                            INVALID_REQUEST),
                           (b'{"jsonrpc": "2.0", "id": 7, "method": 5}', INVALID_REQUEST),
                           (b'{"jsonrpc": "2.0", "id": 8, "method": "textDocument/hover", '
                            b'"params": ' + b"[" * NESTING + b"]" * NESTING + b"}", PARSE_ERROR),
                           (b'{"a": "' + b"\\u" + b'd800"}', PARSE_ERROR)):
            with self.subTest(body=body[:40]):
                self.error_for(b"Content-Length: %d\r\n\r\n" % len(body) + body, code,
                               repr(body[:40]))

    def test_params_of_the_wrong_types(self):
        position = {"line": 0, "character": 0}
        for method, params in (
                ("textDocument/hover", []), ("textDocument/hover", "x"),
                ("textDocument/hover", {"textDocument": {"uri": 5}, "position": position}),
                ("textDocument/hover", {"textDocument": {"uri": self.doc},
                                        "position": {"line": -1, "character": 0}}),
                ("textDocument/hover", {"textDocument": {"uri": self.doc},
                                        "position": {"line": "0", "character": 0}}),
                ("textDocument/hover", {"textDocument": {"uri": self.doc},
                                        "position": {"line": 1.5, "character": 0}}),
                ("textDocument/hover", {"textDocument": {"uri": self.doc},
                                        "position": {"line": 2 ** 64, "character": 0}}),
                ("textDocument/inlayHint", {"textDocument": []}),
                ("textDocument/codeLens", {"textDocument": {"uri": None}}),
                ("textDocument/codeAction", {"textDocument": {"uri": self.doc}}),
                ("textDocument/codeAction", {"textDocument": {"uri": self.doc},
                                             "range": {"start": position, "end": "x"}}),
                ("pkgsizer/environment", {"uri": {}}),
                ("initialize", 5), ("initialize", {"capabilities": []}),
                ("initialize", "x")):
            with self.subTest(method=method, params=params):
                answer = self.client.request(method, params, timeout=2 * TIME_LIMIT)
                self.assertEqual(answer["error"]["code"], INVALID_PARAMS, answer)
                self.assertEqual(self.assert_serving(method), [])
        # The same for notifications: ignored, nothing answered.
        for method, params in (("textDocument/didOpen", {"textDocument": {"uri": self.doc,
                                                                          "text": 5}}),
                               ("textDocument/didOpen", []),
                               ("textDocument/didChange", {"textDocument": {"uri": self.doc},
                                                           "contentChanges": {"text": "x"}}),
                               ("textDocument/didClose", {"textDocument": 1}),
                               ("textDocument/didSave", None)):
            with self.subTest(method=method, params=params):
                self.client.notify(method, params)
                self.assertEqual(self.assert_serving(method), [])
        self.assertEqual(self.hover_name(1), "requests")

    def test_did_change_ranges_out_of_bounds_negative_reversed(self):
        self.client.change(self.doc, "flask\nrequests\n")
        self.assertEqual(self.hover_name(1), "requests")
        for start, end in (((9, 0), (9, 1)),      # past the last line
                           ((0, 0), (99, 0)),
                           ((-1, 0), (0, 1)),     # negative
                           ((0, -3), (0, 1)),
                           ((1, 4), (1, 1)),      # reversed
                           ((1, 0), (0, 0)),
                           ((2 ** 64, 0), (0, 0))):
            with self.subTest(start=start, end=end):
                self.client.notify("textDocument/didChange", {
                    "textDocument": {"uri": self.doc, "version": 3},
                    "contentChanges": [{"range": {
                        "start": {"line": start[0], "character": start[1]},
                        "end": {"line": end[0], "character": end[1]}}, "text": "x"}]})
                self.assertEqual(self.assert_serving(f"{start}-{end}"), [])
                self.assertEqual(self.hover_name(1), "requests", "the document changed")
        # A character past the line's end is the line's end (LSP 3.17): a valid change applies.
        self.client.notify("textDocument/didChange", {
            "textDocument": {"uri": self.doc, "version": 4},
            "contentChanges": [{"range": {"start": {"line": 1, "character": 0},
                                          "end": {"line": 1, "character": 999}},
                                "text": "httpx"}]})
        self.assertEqual(self.hover_name(1), "httpx")
        self.client.change(self.doc, "flask\nrequests\n")

    def test_large_documents(self):
        # 10 MB: over the document limit, refused with one diagnostic; 1 MB of 80,000
        # requirements: the first 5,000 measured. Either way the server keeps answering at once.
        big = uri(os.path.join(self.tmp, "requirements-big.txt"))
        self.client.open(big, "".join(f"pkg{i}==1.0\n" for i in range(800_000)))
        diagnostics = self.client.diagnostics(big, lambda d: d, timeout=2 * TIME_LIMIT)
        self.assertEqual(len(diagnostics), 1)
        self.assertIn("over pkgsizer's limit of 8.39 MB for a document", diagnostics[0]["message"])
        self.assertEqual(self.assert_serving("10 MB document"), [])
        many = uri(os.path.join(self.tmp, "requirements-many.txt"))
        self.client.open(many, "".join(f"pkg{i}\n" for i in range(80_000)))
        diagnostics = self.client.diagnostics(many, lambda d: d, timeout=2 * TIME_LIMIT)
        self.assertEqual([d["message"] for d in diagnostics],
                         ["more than 5000 requirements: the rest are not measured"])
        self.assertEqual(diagnostics[0]["range"]["start"]["line"], 5000)
        self.assertEqual(self.assert_serving("80,000 requirements"), [])
        for doc in (big, many):
            self.client.notify("textDocument/didClose", {"textDocument": {"uri": doc}})

    def test_invalid_utf8_and_toml_documents(self):
        # Raw bytes that are not UTF-8 in a message: not JSON (RFC 8259 8.1).
        bad = uri(os.path.join(self.tmp, "requirements-bytes.txt"))
        head = (b'{"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": '
                b'{"uri": "' + bad.encode() + b'", "languageId": "x", "version": 1, "text": "')
        body = head + b'fl\xffask\\n\xc3(\x80==1\\nflask\\n"}}}'
        self.error_for(b"Content-Length: %d\r\n\r\n" % len(body) + body, PARSE_ERROR, "raw bytes")
        # Escaped (lone surrogates, as pkgsizer's own JSON writes such bytes): the document holds
        # them; its diagnostics come back as valid JSON (lsp_client fails on a body that is not).
        body = head + b'fl\\udcffask\\n\\udcc3(\\udc80==1\\nflask\\n"}}}'
        self.client.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        diagnostics = self.client.diagnostics(bad, timeout=2 * TIME_LIMIT)
        self.assertEqual([d["range"]["start"]["line"] for d in diagnostics], [0, 1], diagnostics)
        self.assertEqual(self.assert_serving("invalid UTF-8 in a document"), [])
        self.assertEqual(self.hover_name(2, bad), "flask")
        toml = uri(os.path.join(self.tmp, "pyproject.toml"))
        self.client.open(toml, "[project\ndependencies = = [\n\x00\xff")
        diagnostics = self.client.diagnostics(toml, lambda d: d, timeout=2 * TIME_LIMIT)
        self.assertEqual(diagnostics[0]["severity"], 1)
        self.assertEqual(self.assert_serving("a pyproject.toml that is not TOML"), [])
        deep = uri(os.path.join(self.tmp, "sub", "pyproject.toml"))
        self.client.open(deep, "a = " + "[" * NESTING + "]" * NESTING + "\n")
        self.client.diagnostics(deep, lambda d: d, timeout=2 * TIME_LIMIT)
        self.assertEqual(self.assert_serving("TOML nested 100,000 deep"), [])

    def test_zz_shutdown_after_it_all(self):
        self.assertIsNone(self.client.result("shutdown"))
        self.client.notify("exit")
        self.assertEqual(self.client.wait(2 * TIME_LIMIT), 0, self.client.stderr()[-3000:])
        self.assertEqual(self.client.violations, [])
