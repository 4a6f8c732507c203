"""Shared helpers for the end-to-end tests of `pkgsizer scan-env`.

The tests run the built binary (PKGSIZER_BIN) on trees they make themselves: hand-written
site-packages directories, wheels they build, and real venvs made with `python -m venv`.
Every expected size is computed from the files on disk with os.lstat, never guessed.
Standard library only: the tests run wherever CMake finds a Python 3 interpreter.
"""

import base64
import csv
import hashlib
import io
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import unittest
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(os.path.dirname(HERE))
BIN = os.environ.get("PKGSIZER_BIN") or os.path.join(REPO_ROOT, "build", "pkgsizer")

# The exit codes of the specification.
EXIT_OK = 0
EXIT_FAIL_OVER = 1
EXIT_USAGE = 2
EXIT_NO_ENV = 3
EXIT_PARTIAL = 4

# Variables that select an environment or change the output; removed from the environment of
# every run unless a test sets them, so that the caller's shell cannot change what is scanned.
_SCRUBBED_VARS = ("VIRTUAL_ENV", "CONDA_PREFIX", "CONDA_DEFAULT_ENV", "NO_COLOR", "FORCE_COLOR",
                  "CLICOLOR_FORCE", "PYTHONHOME", "PYTHONPATH", "PYTHONUSERBASE")

# A CPython extension-module suffix of the kind `name.*.so` matches.
EXT_SUFFIX = ".cpython-311-x86_64-linux-gnu.so"


# ---------------------------------------------------------------------------------------------
# Running the binary


def require_binary():
    if not (os.path.isfile(BIN) and os.access(BIN, os.X_OK)):
        raise AssertionError(
            f"pkgsizer binary not found or not executable at {BIN!r}: build it, or set PKGSIZER_BIN")


class BinaryTestCase(unittest.TestCase):
    """Tests of the built binary, with a temporary directory of the class's own (cls.tmp),
    removed when the class is done. Subclasses call super().setUpClass() first."""

    @classmethod
    def setUpClass(cls):
        require_binary()
        cls.tmp = make_tempdir()
        cls.addClassCleanup(remove_tree, cls.tmp)


def base_env(overrides=None):
    """The environment a run gets: ours without the selecting variables, plus `overrides`
    (a value of None removes that variable)."""
    env = {k: v for k, v in os.environ.items() if k not in _SCRUBBED_VARS}
    # No interpreter that pkgsizer starts may add __pycache__ files to the trees under test.
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    # The views draw UTF-8 symbols only under a UTF-8 locale; a fresh machine may set none.
    env["LC_ALL"] = "C.UTF-8"
    for key, value in (overrides or {}).items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def run_pkgsizer(args, env=None, timeout=120, **kwargs):
    """Run pkgsizer with `args`; `env` is a dict of overrides on top of base_env().
    Returns the CompletedProcess (text, both streams captured)."""
    require_binary()
    env = dict(env or {})
    env.update(kwargs.pop("env_overrides", {}))
    binary = kwargs.pop("binary", BIN)
    return subprocess.run([binary] + [str(a) for a in args], env=base_env(env), text=True,
                          capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL,
                          **kwargs)


def describe(proc):
    """Context for a failed assertion about a run."""
    out = proc.stdout if len(proc.stdout) < 4000 else proc.stdout[:4000] + "...[cut]"
    err = proc.stderr if len(proc.stderr) < 4000 else proc.stderr[:4000] + "...[cut]"
    return f"\n$ {' '.join(map(str, proc.args))}\nexit {proc.returncode}\n--- stdout\n{out}\n--- stderr\n{err}"


def scan_json(testcase, args, env=None, expect_rc=EXIT_OK, **kwargs):
    """`pkgsizer scan-env ARGS --json -`, checking the exit code; returns (model, proc).
    `testcase` may be None (in setUpClass): failures then raise AssertionError all the same."""
    if testcase is None:
        testcase = unittest.TestCase()
    proc = run_pkgsizer(["scan-env"] + list(args) + ["--json", "-"], env=env, **kwargs)
    testcase.assertEqual(proc.returncode, expect_rc, describe(proc))
    try:
        model = json.loads(proc.stdout)
    except ValueError as e:
        testcase.fail(f"stdout is not one JSON document ({e}){describe(proc)}")
    return model, proc


def dists_by_name(model):
    """normalized_name -> distribution object (asserting each name appears once)."""
    result = {}
    for dist in model["distributions"]:
        name = dist["normalized_name"]
        assert name not in result, f"distribution {name} listed twice"
        result[name] = dist
    return result


def unowned_by_path(model):
    """The `unowned` entries keyed by their path relative to the scanned directory."""
    result = {}
    for entry in model["unowned"]:
        path = entry["path"]
        for site in model["environment"]["site_packages"]:
            if path.startswith(site.rstrip("/") + "/"):
                path = path[len(site.rstrip("/")) + 1:]
        result[path] = entry
    return result


def error_warnings(model):
    return [w for w in model.get("warnings", []) if w.get("severity") == "error"]


# ---------------------------------------------------------------------------------------------
# Running as an unprivileged user, for permission tests


def unprivileged_kwargs(tree):
    """Keyword arguments for run_pkgsizer under which chmod 000 takes effect. Not root: none.
    Root reads everything, so the binary is then run as `nobody`, with a HOME of its own under
    `tree`; `tree` must be reachable by others (make_tempdir makes it so), and should not be the
    scanned directory itself. The build tree may not be reachable by `nobody` (a checkout under
    /root, mode 700 on Debian), so `nobody` runs a copy of the binary placed under `tree`."""
    if os.geteuid() != 0:
        return {}
    home = os.path.join(tree, ".nobody-home")
    os.makedirs(home, exist_ok=True)
    os.chmod(home, 0o777)
    bin_dir = os.path.join(tree, ".nobody-bin")
    os.makedirs(bin_dir, exist_ok=True)
    os.chmod(bin_dir, 0o755)
    binary = os.path.join(bin_dir, "pkgsizer")
    shutil.copyfile(BIN, binary)
    os.chmod(binary, 0o755)
    return {"user": 65534, "group": 65534, "extra_groups": [], "binary": binary,
            "env_overrides": {"HOME": home, "XDG_CACHE_HOME": home}}


# ---------------------------------------------------------------------------------------------
# Files and sizes


def stop_process(process, sig=None, timeout=20):
    """Stops a service a test started: `sig` (SIGTERM by default) when it still runs, then
    SIGKILL if it has not ended within `timeout` seconds. Returns its exit status."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM if sig is None else sig)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return process.returncode


def make_tempdir(prefix="pkgsizer-e2e-"):
    """A temporary directory that other users can traverse (see unprivileged_kwargs)."""
    path = os.path.realpath(tempfile.mkdtemp(prefix=prefix))
    os.chmod(path, 0o755)
    return path


def remove_tree(path):
    """rmtree that first gives back any permission a test took away."""
    if not os.path.lexists(path):
        return
    for dirpath, dirnames, _ in os.walk(path):
        for d in dirnames:
            full = os.path.join(dirpath, d)
            if not os.path.islink(full):
                try:
                    os.chmod(full, 0o755)
                except OSError:
                    pass
    shutil.rmtree(path, ignore_errors=True)


def payload(size, seed="x"):
    """`size` bytes of deterministic, not very compressible content."""
    block = hashlib.sha256(seed.encode()).hexdigest().encode()
    data = (block * (size // len(block) + 1))[:size]
    return data


def write_file(path, content=b""):
    """Write bytes (or str, or an int: that many bytes) to path, creating parents."""
    if isinstance(content, int):
        content = payload(content, path)
    elif isinstance(content, str):
        content = content.encode()
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(content)
    return path


class Size:
    """apparent/disk bytes and a file count, summed over distinct inodes."""

    def __init__(self, paths=()):
        self.apparent_bytes = 0
        self.disk_bytes = 0
        self.file_count = 0
        self._seen = set()
        for p in paths:
            self.add(p)

    def add(self, path):
        st = os.lstat(path)
        key = (st.st_dev, st.st_ino)
        if key in self._seen:
            return self
        self._seen.add(key)
        self.apparent_bytes += st.st_size
        self.disk_bytes += st.st_blocks * 512
        self.file_count += 1
        return self

    def __repr__(self):
        return f"Size(apparent={self.apparent_bytes}, disk={self.disk_bytes}, files={self.file_count})"


def lsize(path):
    return os.lstat(path).st_size


def ldisk(path):
    return os.lstat(path).st_blocks * 512


def files_under(root):
    """Every non-directory (files and symlinks) under root, symlinks not followed."""
    result = []
    for dirpath, dirnames, filenames in os.walk(root):
        for name in filenames:
            result.append(os.path.join(dirpath, name))
        for name in dirnames:
            full = os.path.join(dirpath, name)
            if os.path.islink(full):
                result.append(full)
    return result


def dirs_under(root):
    """root and every real directory below it (symlinks to directories are not directories)."""
    result = [root]
    for dirpath, dirnames, _ in os.walk(root):
        for name in dirnames:
            full = os.path.join(dirpath, name)
            if not os.path.islink(full):
                result.append(full)
    return result


def du_sb(path, follow=False):
    """`du -sb PATH` (apparent bytes, each inode once)."""
    cmd = ["du", "-sb"] + (["-L"] if follow else []) + [path]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return int(out.split()[0])


def du_disk(path):
    """`du -s --block-size=1 PATH` (disk bytes, each inode once)."""
    out = subprocess.run(["du", "-s", "--block-size=1", path], check=True, capture_output=True,
                         text=True).stdout
    return int(out.split()[0])


# ---------------------------------------------------------------------------------------------
# Names and metadata


def normalize(name):
    """PEP 503."""
    return re.sub(r"[-_.]+", "-", name).lower()


def escape(name):
    """The form used in .dist-info and wheel file names (PEP 427/491)."""
    return normalize(name).replace("-", "_")


def record_hash(data):
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def metadata_text(name, version, requires=(), extra_metadata=""):
    lines = ["Metadata-Version: 2.1"]
    if name is not None:
        lines.append(f"Name: {name}")
    if version is not None:
        lines.append(f"Version: {version}")
    lines += [f"Requires-Dist: {r}" for r in requires]
    text = "\n".join(lines) + "\n"
    if extra_metadata:
        text += extra_metadata if extra_metadata.endswith("\n") else extra_metadata + "\n"
    return text


def record_text(rows, lineterminator="\n"):
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator=lineterminator)
    for row in rows:
        writer.writerow(row)
    return buf.getvalue()


# ---------------------------------------------------------------------------------------------
# Hand-written site-packages trees


class SiteTree:
    """A hand-written site-packages directory.

    By default it is laid out as PREFIX/lib/python3.11/site-packages under `root`, so that
    RECORD paths such as ../../../bin/tool land in PREFIX/bin."""

    def __init__(self, root, layout=True):
        self.prefix = os.path.join(root, "prefix")
        self.site = os.path.join(self.prefix, "lib", "python3.11", "site-packages") if layout else root
        os.makedirs(self.site, exist_ok=True)

    def path(self, rel):
        return os.path.normpath(os.path.join(self.site, rel))

    def write(self, rel, content=b""):
        return write_file(self.path(rel), content)

    def dist_info(self, name, version, files=None, *, record=True, record_rows=None,
                  requires=(), extra_metadata="", installer="pip", requested=False,
                  top_level=None, direct_url=None, metadata=None, dirname=None,
                  lineterminator="\n", existing=()):
        """Write a .dist-info and its files; returns the list of absolute paths it owns (the
        files its RECORD lists, that exist), for computing expected sizes.

        files: rel path (to site-packages) -> content. existing: rel paths already on disk (links,
        shared files) to list as well. record_rows: replaces the generated RECORD rows when given
        (then the caller decides everything)."""
        files = files or {}
        info_rel = dirname or f"{escape(name)}-{version}.dist-info"
        written = []
        for rel, content in files.items():
            written.append(self.write(rel, content))
        written += [self.path(rel) for rel in existing]
        meta = metadata if metadata is not None else metadata_text(name, version, requires,
                                                                   extra_metadata)
        info_files = {"METADATA": meta,
                      "WHEEL": "Wheel-Version: 1.0\nGenerator: pkgsizer-e2e\n"
                               "Root-Is-Purelib: true\nTag: py3-none-any\n"}
        if installer is not None:
            info_files["INSTALLER"] = installer + "\n"
        if requested:
            info_files["REQUESTED"] = ""
        if top_level is not None:
            info_files["top_level.txt"] = "".join(t + "\n" for t in top_level)
        if direct_url is not None:
            info_files["direct_url.json"] = json.dumps(direct_url)
        for fname, content in info_files.items():
            written.append(self.write(f"{info_rel}/{fname}", content))
        if record:
            rows = record_rows
            if rows is None:
                rows = []
                for path in written:
                    if os.path.islink(path):
                        rows.append([os.path.relpath(path, self.site), "", ""])
                        continue
                    with open(path, "rb") as f:
                        data = f.read()
                    rows.append([os.path.relpath(path, self.site), record_hash(data), str(len(data))])
                rows.append([f"{info_rel}/RECORD", "", ""])
            self.write(f"{info_rel}/RECORD", record_text(rows, lineterminator))
            written.append(self.path(f"{info_rel}/RECORD"))
        return written


# ---------------------------------------------------------------------------------------------
# Wheels and venvs


def make_wheel(directory, name, version, files, requires=(), extra_metadata="",
               entry_points=None):
    """Write a valid pure-Python wheel NAME-VERSION-py3-none-any.whl into `directory`.

    files: archive path -> bytes (or str). A path under NAME-VERSION.data/... is installed by
    the wheel's data scheme (data/ -> the prefix, scripts/ -> bin/). Returns the wheel path."""
    base = f"{escape(name)}-{version}"
    info = f"{base}.dist-info"
    entries = {}
    for path, content in files.items():
        entries[path] = content.encode() if isinstance(content, str) else content
    entries[f"{info}/METADATA"] = metadata_text(name, version, requires, extra_metadata).encode()
    entries[f"{info}/WHEEL"] = (b"Wheel-Version: 1.0\nGenerator: pkgsizer-e2e\n"
                                b"Root-Is-Purelib: true\nTag: py3-none-any\n")
    if entry_points:
        entries[f"{info}/entry_points.txt"] = entry_points.encode()
    rows = [[path, record_hash(data), str(len(data))] for path, data in entries.items()]
    rows.append([f"{info}/RECORD", "", ""])
    entries[f"{info}/RECORD"] = record_text(rows).encode()
    wheel = os.path.join(directory, f"{base}-py3-none-any.whl")
    os.makedirs(directory, exist_ok=True)
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as zf:
        for path, data in entries.items():
            zf.writestr(path, data)
    return wheel


def make_venv(path, with_pip=True, system_site_packages=False, python=None):
    """`python -m venv PATH` (the interpreter running the tests by default)."""
    cmd = [python or sys.executable, "-m", "venv"]
    if not with_pip:
        cmd.append("--without-pip")
    if system_site_packages:
        cmd.append("--system-site-packages")
    cmd.append(path)
    subprocess.run(cmd, check=True, capture_output=True, env=base_env(), timeout=300)
    return path


def venv_python(venv):
    return os.path.join(venv, "bin", "python")


def venv_site_packages(venv):
    lib = os.path.join(venv, "lib")
    found = [os.path.join(lib, d, "site-packages") for d in sorted(os.listdir(lib))
             if d.startswith("python")]
    assert len(found) == 1, found
    return found[0]


def pip_install(venv, wheel_dir, *names, extra=()):
    cmd = [venv_python(venv), "-m", "pip", "install", "--disable-pip-version-check", "--no-index",
           "--no-cache-dir", "--find-links", wheel_dir] + list(extra) + list(names)
    proc = subprocess.run(cmd, capture_output=True, text=True, env=base_env(), timeout=300)
    if proc.returncode != 0:
        raise AssertionError(f"pip install failed:{describe(proc)}")
    return proc


def read_record(path):
    with open(path, newline="", encoding="utf-8") as f:
        return [row for row in csv.reader(f) if row]


def expected_record_files(site, info_dir):
    """The files a dist-info's RECORD attributes to it, as the spec says: the existing files
    RECORD lists (relative to site-packages, or absolute), plus __pycache__/*.pyc files RECORD
    does not list whose .py source it lists. Returns a list of paths (symlinks not followed)."""
    rows = read_record(os.path.join(site, info_dir, "RECORD"))
    listed = []
    for row in rows:
        rel = row[0]
        path = rel if os.path.isabs(rel) else os.path.join(site, rel)
        path = os.path.normpath(path)
        if os.path.lexists(path) and path not in listed:
            listed.append(path)
    result = list(listed)
    listed_set = set(listed)
    for path in listed:
        if not path.endswith(".py"):
            continue
        cache = os.path.join(os.path.dirname(path), "__pycache__")
        stem = os.path.basename(path)[:-3]
        if os.path.isdir(cache):
            for name in sorted(os.listdir(cache)):
                if name.startswith(stem + ".") and name.endswith(".pyc"):
                    pyc = os.path.join(cache, name)
                    if pyc not in listed_set:
                        listed_set.add(pyc)
                        result.append(pyc)
    return result


def read_cmake_version():
    """The project version from CMakeLists.txt, which `--version` must print."""
    with open(os.path.join(REPO_ROOT, "CMakeLists.txt")) as f:
        m = re.search(r"project\s*\(\s*pkgsizer\s+VERSION\s+([0-9][0-9.]*)", f.read())
    return m.group(1) if m else None


# ---------------------------------------------------------------------------------------------
# Assertions shared by several files


def assert_size(testcase, obj, expected, what, disk=True, count=True):
    """obj (a JSON size object or distribution) has the apparent/disk/file_count of `expected`."""
    testcase.assertEqual(obj["apparent_bytes"], expected.apparent_bytes, f"{what}: apparent_bytes")
    if disk:
        testcase.assertEqual(obj["disk_bytes"], expected.disk_bytes, f"{what}: disk_bytes")
    if count:
        testcase.assertEqual(obj["file_count"], expected.file_count, f"{what}: file_count")


def assert_reconciles(testcase, model, tree=None):
    """totals.all == owned - outside + unowned + directories (apparent and disk bytes alike);
    and == du -sb TREE / du -s --block-size=1 TREE when a single tree is given."""
    t = model["totals"]
    for unit in ("apparent_bytes", "disk_bytes"):
        testcase.assertEqual(
            t["all"][unit],
            t["owned"][unit] - t["outside"][unit] + t["unowned"][unit] + t["directories"][unit],
            f"{unit}: all != owned - outside + unowned + directories: {json.dumps(t)}")
    if tree is not None:
        testcase.assertEqual(t["all"]["apparent_bytes"], du_sb(tree),
                             f"totals.all.apparent_bytes != du -sb {tree}")
        testcase.assertEqual(t["all"]["disk_bytes"], du_disk(tree),
                             f"totals.all.disk_bytes != du -s --block-size=1 {tree}")


# ---------------------------------------------------------------------------------------------
# Stores: the scan cache and the snapshot history


def store_env(root):
    """Overrides for run_pkgsizer that keep every store of a run under `root`: the scan cache in
    $XDG_CACHE_HOME/pkgsizer, the history in $XDG_DATA_HOME/pkgsizer, and HOME itself (the last
    fallback of both), so that no test reads or writes the caller's ~/.cache or ~/.local/share.
    PKGSIZER_CACHE_DIR and PKGSIZER_HISTORY are removed; a test sets them when it means to."""
    return {"HOME": root,
            "XDG_CACHE_HOME": os.path.join(root, "xdg-cache"),
            "XDG_DATA_HOME": os.path.join(root, "xdg-data"),
            "PKGSIZER_CACHE_DIR": None,
            "PKGSIZER_HISTORY": None}


def default_cache_file(root):
    """Where the scan cache of a run with store_env(root) lives."""
    return os.path.join(root, "xdg-cache", "pkgsizer", "cache.sqlite3")


def default_history_file(root):
    """Where the history of a run with store_env(root) lives."""
    return os.path.join(root, "xdg-data", "pkgsizer", "history.sqlite3")


SQLITE_HEADER = b"SQLite format 3\x00"


def is_sqlite_file(path):
    with open(path, "rb") as f:
        return f.read(len(SQLITE_HEADER)) == SQLITE_HEADER


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def stderr_lines(proc):
    return [line for line in proc.stderr.splitlines() if line.strip()]


# ---------------------------------------------------------------------------------------------
# The scan cache (tests/e2e/test_cache*.py)


# The racy window of src/store/scan_cache.cpp (2 s), with a margin for coarse clocks.
RACY_WAIT = 2.2


def comparable(model):
    """The scan without what may differ between two scans of the same tree."""
    model = dict(model)
    model.pop("created_at", None)
    return model


def cache_entries(path):
    """key -> stored_ns of every entry in the cache file at `path`. Only read; an ordinary
    connection all the same, because a read-only one leaves -wal and -shm files behind."""
    connection = sqlite3.connect(path)
    try:
        return dict(connection.execute("SELECT key, stored_ns FROM scans").fetchall())
    finally:
        connection.close()


class CacheTestCase(BinaryTestCase):
    """Helpers: each test gets a root of its own for its stores."""

    def new_root(self):
        root = make_tempdir("pkgsizer-e2e-cache-")
        self.addCleanup(remove_tree, root)
        return root

    def scan(self, args, root, extra_env=None):
        env = store_env(root)
        env.update(extra_env or {})
        model, proc = scan_json(self, args, env=env)
        return model, proc

    def uncached(self, args, root):
        model, _ = self.scan(list(args) + ["--no-cache"], root)
        return model

    def assert_same_scan(self, model, expected, what):
        self.assertEqual(comparable(model), comparable(expected),
                         f"{what}: the cached scan differs from a --no-cache scan")
