"""The command line of `pkgsizer scan-env`: flags, output formats, filters, exit codes."""

import csv
import glob
import io
import json
import os
import pty
import re
import resource
import signal
import select
import stat
import subprocess
import threading
import unittest

from support import (BIN, EXIT_FAIL_OVER, EXIT_NO_ENV, EXIT_OK, EXIT_USAGE, assert_reconciles,
                     base_env, BinaryTestCase, describe, dists_by_name, make_tempdir, normalize,
                     read_cmake_version, remove_tree, run_pkgsizer, scan_json, SiteTree, Size)

# Name in METADATA, version, files of its package. Sizes and file counts are chosen so that the
# order by size, by file count and by name all differ:
#   size:  big_pkg > zeta_pkg > many_files > aardvark
#   files: many_files > zeta_pkg > aardvark > big_pkg      name: aardvark, big_pkg, many_files, zeta_pkg
FIXTURE = [
    ("aardvark", "3.0", {"aardvark/__init__.py": 300, "aardvark/x.py": 200}),
    ("big_pkg", "2.0", {"big_pkg.py": 1_500_000}),
    ("many_files", "1.0", {f"many_files/m{i:02d}.py": 100 for i in range(12)}),
    ("zeta_pkg", "0.1", {"zeta_pkg/__init__.py": 40_000, "zeta_pkg/a.py": 100,
                         "zeta_pkg/b.py": 100, "zeta_pkg/c.py": 100}),
]
ESC = "\x1b"


def name_re(name):
    """A regex for a distribution name in a table: raw or normalized spelling."""
    parts = re.split(r"[-_.]+", name)
    return re.compile(r"(?<![\w-])" + r"[-_.]".join(map(re.escape, parts)) + r"(?![\w-])", re.I)


def line_index(lines, name):
    pattern = name_re(name)
    for i, line in enumerate(lines):
        if pattern.search(line):
            return i
    return None



def built_with_address_sanitizer():
    with open(BIN, "rb") as binary:
        return b"__asan_init" in binary.read()

class CliTest(BinaryTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The scanned tree is a subdirectory: the scratch files of other tests stay out of it.
        cls.tree = SiteTree(os.path.join(cls.tmp, "site"), layout=False)
        cls.site = cls.tree.site
        cls.expected = {}
        for name, version, files in FIXTURE:
            owned = cls.tree.dist_info(name, version, files)
            cls.expected[normalize(name)] = Size(owned)
        cls.tree.write("unowned_stray.py", 777)

    def scan(self, *args, **kwargs):
        return scan_json(self, ["--site-packages", self.site] + list(args), **kwargs)

    def names(self, model):
        return [d["normalized_name"] for d in model["distributions"]]

    def order_by(self, key, reverse):
        return [n for n, _ in sorted(self.expected.items(), key=lambda kv: key(kv), reverse=reverse)]

    # --- version and help --------------------------------------------------------------------

    def test_version(self):
        proc = run_pkgsizer(["--version"])
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        version = read_cmake_version()
        self.assertIsNotNone(version)
        self.assertIn(version, proc.stdout, describe(proc))

    def test_executable_does_not_load_libcurl_at_start(self):
        # Every command would pay ~8 ms of start-up for libcurl's ~30 libraries; predict loads
        # it when it needs it (src/predict/curl_api.hpp).
        proc = subprocess.run(["readelf", "-d", BIN], capture_output=True, text=True)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        needed = [line for line in proc.stdout.splitlines() if "(NEEDED)" in line]
        self.assertTrue(any("libc.so" in line for line in needed), proc.stdout)
        self.assertFalse(any("libcurl" in line for line in needed), proc.stdout)
        # Nor libpq (~24 libraries): a PostgreSQL history loads it (src/store/libpq_api.hpp).
        self.assertFalse(any("libpq" in line for line in needed), proc.stdout)

    def test_timings_name_each_phase(self):
        proc = run_pkgsizer(["scan-env", "--site-packages", self.site, "--no-cache", "-q",
                             "--timings", "--json", "-"])
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        phases = [line.split()[2] for line in proc.stderr.splitlines() if "timing:" in line]
        for phase in ("locate", "walk", "metadata", "graph", "selection", "report"):
            self.assertIn(phase, phases, describe(proc))
        self.assertIn("distributions", json.loads(proc.stdout))  # stdout stays pure JSON

    # ASan reserves terabytes of address space for its shadow memory before main runs, so an
    # RLIMIT_AS limit kills a sanitized binary at start-up: this test needs a plain build.
    @unittest.skipIf(built_with_address_sanitizer(), "an ASan build cannot run under RLIMIT_AS")
    def test_out_of_memory_is_an_error_not_a_crash(self):
        # Under a shrinking address-space limit the loader fails first (127, before pkgsizer
        # runs), then threads or allocations fail inside it: one line and exit 10, or a read
        # that fails with ENOMEM reported as a problem (exit 4) — never an abort.
        outcomes = {}
        for megabytes in range(8, 66, 2):
            limit = megabytes << 20
            proc = subprocess.run(
                [BIN, "scan-env", "--site-packages", self.site, "--no-cache", "-q", "--json", "-"],
                capture_output=True, text=True, env=base_env(), timeout=60,
                preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, (limit, limit)))
            outcomes[megabytes] = proc.returncode
            # Between the loader failing and pkgsizer running, a limit may leave the C++ runtime
            # without the heap for its emergency exception pool (its first malloc, at start-up):
            # the first bad_alloc then cannot be thrown and the runtime aborts. Where that window
            # falls moves with the binary's size; it is the runtime's, before any of pkgsizer's
            # outcomes, so an abort counts only below every limit that reached one.
            if (proc.returncode == -signal.SIGABRT and proc.stdout == ""
                    and proc.stderr == "terminate called without an active exception\n"
                    and not set(outcomes.values()) & {0, 4, 10}):
                continue
            # 4: a directory or file could not be read for want of memory (ENOMEM): a scan
            # problem like any unreadable file, reported in the JSON, results partial.
            self.assertIn(proc.returncode, (0, 4, 10, 127), f"{megabytes} MB: {describe(proc)}")
            self.assertNotIn("terminate called", proc.stderr)
            if proc.returncode == 4:
                errors = [w for w in json.loads(proc.stdout)["warnings"] if w["severity"] == "error"]
                self.assertTrue(errors, describe(proc))
            if proc.returncode == 10:
                self.assertEqual(proc.stdout, "", describe(proc))
                self.assertEqual(len(proc.stderr.splitlines()), 1, describe(proc))
                self.assertTrue(proc.stderr.startswith("pkgsizer: error: "), describe(proc))
        self.assertIn(10, outcomes.values(), f"no limit made pkgsizer itself fail: {outcomes}")
        self.assertEqual(outcomes[64], 0, outcomes)

    def test_help(self):
        proc = run_pkgsizer(["--help"])
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        self.assertIn("scan-env", proc.stdout, describe(proc))

    def test_scan_env_help_has_flags_and_examples(self):
        proc = run_pkgsizer(["scan-env", "--help"])
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        for flag in ("--site-packages", "--venv", "--python", "--top", "--by", "--package",
                     "--exclude", "--json", "--csv", "--markdown", "--fail-over",
                     "--include-editable", "--module-depth", "--tree", "--follow-symlinks",
                     "--color", "--units", "--quiet"):
            self.assertIn(flag, proc.stdout, f"{flag} missing from scan-env --help")
        self.assertRegex(proc.stdout, r"(?i)example", "scan-env --help shows no examples")
        self.assertIn("pkgsizer scan-env", proc.stdout, "no example command line in help")

    # --- usage errors (exit 2) and missing environments (exit 3) -----------------------------

    def test_bad_flags_exit_2(self):
        cases = [
            ["--no-such-flag"],
            ["--by", "weight"],
            ["--top", "many"],
            ["--top", "-3"],
            ["--units", "metric"],
            ["--color", "sometimes"],
            ["--include-editable", "maybe"],
            ["--fail-over", "10XB"],
            ["--fail-over", "lots"],
            ["--fail-over", "-5MB"],
            ["--module-depth", "deep"],
        ]
        for extra in cases:
            with self.subTest(args=extra):
                proc = run_pkgsizer(["scan-env", "--site-packages", self.site] + extra)
                self.assertEqual(proc.returncode, EXIT_USAGE, describe(proc))
                self.assertTrue(proc.stderr.strip(), "a usage error must say why on stderr")

    def test_unknown_subcommand_exit_2(self):
        proc = run_pkgsizer(["scan-everything"])
        self.assertEqual(proc.returncode, EXIT_USAGE, describe(proc))

    def assert_env_error(self, args, path):
        proc = run_pkgsizer(["scan-env"] + args)
        self.assertEqual(proc.returncode, EXIT_NO_ENV, describe(proc))
        lines = proc.stderr.splitlines()
        self.assertEqual(len(lines), 1, "expected exactly one line on stderr" + describe(proc))
        self.assertTrue(lines[0].startswith("pkgsizer: error:"), describe(proc))
        self.assertIn(path, lines[0], "the error should name the path" + describe(proc))
        self.assertEqual(proc.stdout, "", describe(proc))

    def test_missing_site_packages_exit_3(self):
        missing = os.path.join(self.tmp, "does-not-exist")
        self.assert_env_error(["--site-packages", missing], missing)

    def test_site_packages_that_is_a_file_exit_3(self):
        path = os.path.join(self.site, "unowned_stray.py")
        self.assert_env_error(["--site-packages", path], path)

    def test_missing_venv_exit_3(self):
        missing = os.path.join(self.tmp, "no-venv")
        self.assert_env_error(["--venv", missing], missing)

    def test_directory_that_is_not_a_venv_exit_3(self):
        empty = os.path.join(self.tmp, "empty-dir")
        os.makedirs(empty, exist_ok=True)
        self.assert_env_error(["--venv", empty], empty)

    def test_missing_python_exit_3(self):
        missing = os.path.join(self.tmp, "bin", "python3")
        self.assert_env_error(["--python", missing], missing)

    # --- JSON --------------------------------------------------------------------------------

    def test_json_stdout_is_only_json(self):
        model, proc = self.scan()
        # json.loads already refused anything around the document; check the model too.
        self.assertEqual(model["schema_version"], 1)
        self.assertEqual(model["tool"]["name"], "pkgsizer")
        self.assertEqual(model["tool"]["version"], read_cmake_version())
        self.assertEqual(model["environment"]["kind"], "site-packages")
        self.assertEqual(model["environment"]["site_packages"], [os.path.realpath(self.site)])
        self.assertRegex(model["created_at"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d")
        self.assertEqual(model["totals"]["distributions"], len(FIXTURE))
        self.assertEqual(model["warnings"], [])
        self.assertEqual(proc.stderr, "", "nothing on stderr for a clean scan with stderr piped")

    def test_json_sizes_exact(self):
        model, _ = self.scan()
        dists = dists_by_name(model)
        self.assertEqual(set(dists), set(self.expected))
        for name, size in self.expected.items():
            d = dists[name]
            self.assertEqual(d["apparent_bytes"], size.apparent_bytes, name)
            self.assertEqual(d["disk_bytes"], size.disk_bytes, name)
            self.assertEqual(d["file_count"], size.file_count, name)
            self.assertEqual(d["files_source"], "RECORD", name)
            self.assertEqual(d["metadata_kind"], "dist-info", name)
            self.assertEqual(d["installer"], "pip", name)
            self.assertEqual(d["location"], os.path.realpath(self.site), name)
        versions = {normalize(n): v for n, v, _ in FIXTURE}
        self.assertEqual({n: d["version"] for n, d in dists.items()}, versions)
        self.assertEqual(dists["big-pkg"]["name"], "big_pkg")
        assert_reconciles(self, model, self.site)

    def parse_stdout(self, proc):
        try:
            return json.loads(proc.stdout)
        except ValueError as e:
            self.fail(f"stdout is not only JSON ({e}){describe(proc)}")

    def test_json_without_value_at_end(self):
        proc = run_pkgsizer(["scan-env", "--site-packages", self.site, "--json"])
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        self.assertEqual(len(self.parse_stdout(proc)["distributions"]), len(FIXTURE))

    def test_json_without_value_before_another_flag(self):
        proc = run_pkgsizer(["scan-env", "--json", "--site-packages", self.site, "--top", "2"])
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        self.assertEqual(len(self.parse_stdout(proc)["distributions"]), 2, describe(proc))

    def test_empty_site_packages(self):
        empty = os.path.join(self.tmp, "empty-site")
        os.makedirs(empty, exist_ok=True)
        model, _ = scan_json(self, ["--site-packages", empty])
        self.assertEqual(model["distributions"], [])
        self.assertEqual(model["unowned"], [])
        assert_reconciles(self, model, empty)
        proc = run_pkgsizer(["scan-env", "--site-packages", empty])
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        self.assertRegex(proc.stdout, r"\b0 distributions\b", describe(proc))

    def test_output_files(self):
        out = os.path.join(self.tmp, "out")
        os.makedirs(out, exist_ok=True)
        paths = {fmt: os.path.join(out, f"scan.{fmt}") for fmt in ("json", "csv", "md")}
        proc = run_pkgsizer(["scan-env", "--site-packages", self.site, "--json", paths["json"],
                             "--csv", paths["csv"], "--markdown", paths["md"]])
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        with open(paths["json"]) as f:
            model = json.load(f)
        self.assertEqual(set(dists_by_name(model)), set(self.expected))
        with open(paths["csv"], newline="") as f:
            self.assertEqual(len(list(csv.reader(f))), 1 + len(FIXTURE))
        with open(paths["md"]) as f:
            self.assertIn("|", f.read())
        # With every format going to a file, stdout still shows the table.
        for name, _, _ in FIXTURE:
            self.assertRegex(proc.stdout, name_re(name))

    def test_output_to_dev_null_keeps_the_device(self):
        # Writing through a temporary name and renaming it over /dev/null would replace the
        # device with a file (as root) or fail (as anyone else).
        before = os.stat("/dev/null")
        self.assertTrue(stat.S_ISCHR(before.st_mode))
        proc = run_pkgsizer(["scan-env", "--site-packages", self.site, "-q", "--json", "/dev/null",
                             "--csv", "/dev/null"])
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        after = os.stat("/dev/null")
        self.assertTrue(stat.S_ISCHR(after.st_mode), "/dev/null is no longer a device")
        self.assertEqual(after.st_rdev, before.st_rdev)
        self.assertEqual(glob.glob("/dev/null.tmp-*"), [])

    def test_output_to_a_fifo(self):
        fifo = os.path.join(self.tmp, "scan.fifo")
        if not os.path.exists(fifo):
            os.mkfifo(fifo)
        received = {}
        reader = threading.Thread(target=lambda: received.update(text=open(fifo).read()), daemon=True)
        reader.start()
        proc = run_pkgsizer(["scan-env", "--site-packages", self.site, "-q", "--json", fifo])
        reader.join(timeout=60)
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        self.assertTrue(stat.S_ISFIFO(os.stat(fifo).st_mode))
        self.assertEqual(set(dists_by_name(json.loads(received["text"]))), set(self.expected))

    def test_output_through_a_symlink_keeps_the_link_and_the_mode(self):
        out = os.path.join(self.tmp, "linked")
        os.makedirs(out, exist_ok=True)
        target = os.path.join(out, "real.json")
        link = os.path.join(out, "link.json")
        with open(target, "w") as f:
            f.write("old")
        os.chmod(target, 0o640)
        if not os.path.islink(link):
            os.symlink("real.json", link)
        proc = run_pkgsizer(["scan-env", "--site-packages", self.site, "-q", "--json", link])
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        self.assertTrue(os.path.islink(link), "the symlink was replaced by a file")
        with open(target) as f:
            self.assertEqual(set(dists_by_name(json.load(f))), set(self.expected))
        self.assertEqual(stat.S_IMODE(os.stat(target).st_mode), 0o640)
        self.assertEqual(sorted(os.listdir(out)), ["link.json", "real.json"])

    def test_unwritable_output_file_exit_5(self):
        target = os.path.join(self.tmp, "no-such-dir", "scan.json")
        proc = run_pkgsizer(["scan-env", "--site-packages", self.site, "--json", target])
        self.assertEqual(proc.returncode, 5, describe(proc))
        self.assertIn("no-such-dir", proc.stderr, describe(proc))

    # --- order and filters -------------------------------------------------------------------

    def test_default_order_is_size_descending(self):
        model, _ = self.scan()
        expected = self.order_by(lambda kv: kv[1].apparent_bytes, True)
        self.assertEqual(self.names(model), expected)
        model, _ = self.scan("--by", "size")
        self.assertEqual(self.names(model), expected)

    def test_by_files(self):
        model, _ = self.scan("--by", "files")
        self.assertEqual(self.names(model), self.order_by(lambda kv: kv[1].file_count, True))

    def test_by_name(self):
        model, _ = self.scan("--by", "name")
        self.assertEqual(self.names(model), sorted(self.expected))

    def test_top(self):
        model, _ = self.scan("--top", "2")
        self.assertEqual(self.names(model), self.order_by(lambda kv: kv[1].apparent_bytes, True)[:2])
        model, _ = self.scan("--top", "1", "--by", "files")
        self.assertEqual(self.names(model), ["many-files"])
        proc = run_pkgsizer(["scan-env", "--site-packages", self.site, "--top", "2"])
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        self.assertRegex(proc.stdout, name_re("big_pkg"))
        self.assertRegex(proc.stdout, name_re("zeta_pkg"))
        self.assertNotRegex(proc.stdout, name_re("aardvark"))
        self.assertNotRegex(proc.stdout, name_re("many_files"))

    def test_package_filter_normalizes(self):
        model, _ = self.scan("-p", "Big.PKG")
        self.assertEqual(self.names(model), ["big-pkg"])
        model, _ = self.scan("--package", "ZETA-pkg", "-p", "many__files")
        self.assertEqual(sorted(self.names(model)), ["many-files", "zeta-pkg"])
        selected = model["totals"]["selected"]
        shown = [self.expected["many-files"], self.expected["zeta-pkg"]]
        for unit in ("apparent_bytes", "disk_bytes", "file_count"):
            self.assertEqual(selected[unit], sum(getattr(s, unit) for s in shown), unit)
        self.assertEqual(model["totals"]["distributions"], 2)

    def test_package_filter_unknown_name_lists_nothing(self):
        model, _ = self.scan("-p", "no-such-dist")
        self.assertEqual(model["distributions"], [])

    def test_exclude_glob_on_normalized_name(self):
        # The METADATA name is big_pkg: only the normalized big-pkg matches 'big-*'.
        model, _ = self.scan("--exclude", "big-*")
        self.assertNotIn("big-pkg", self.names(model))
        self.assertEqual(len(model["distributions"]), len(FIXTURE) - 1)
        model, _ = self.scan("--exclude", "*-pkg", "--exclude", "a?rdvark")
        self.assertEqual(self.names(model), ["many-files"])
        self.assertEqual(model["totals"]["selected"]["apparent_bytes"],
                         self.expected["many-files"].apparent_bytes)
        model, _ = self.scan("--exclude", "[mz]*")
        self.assertEqual(sorted(self.names(model)), ["aardvark", "big-pkg"])

    # --- --fail-over -------------------------------------------------------------------------

    def fail_over_rc(self, value, *extra):
        proc = run_pkgsizer(["scan-env", "--site-packages", self.site, "--fail-over", value] + list(extra))
        self.assertIn(proc.returncode, (EXIT_OK, EXIT_FAIL_OVER), describe(proc))
        return proc.returncode

    def test_fail_over_bytes(self):
        # Whether the total is apparent or disk bytes is the tool's choice: test on both sides.
        lo = min(sum(s.apparent_bytes for s in self.expected.values()),
                 sum(s.disk_bytes for s in self.expected.values()))
        hi = max(sum(s.apparent_bytes for s in self.expected.values()),
                 sum(s.disk_bytes for s in self.expected.values()))
        self.assertEqual(self.fail_over_rc(str(lo - 1)), EXIT_FAIL_OVER)
        self.assertEqual(self.fail_over_rc(str(hi)), EXIT_OK)
        self.assertEqual(self.fail_over_rc("123"), EXIT_FAIL_OVER)
        self.assertEqual(self.fail_over_rc("10MB"), EXIT_OK)
        self.assertEqual(self.fail_over_rc("1.5GiB"), EXIT_OK)
        self.assertEqual(self.fail_over_rc("500kB"), EXIT_FAIL_OVER)

    def test_fail_over_units_are_powers_of_1000_and_1024(self):
        # big_pkg alone is between 1,500,000 and 1,536,000 bytes, apparent and disk alike.
        big = self.expected["big-pkg"]
        lo, hi = sorted((big.apparent_bytes, big.disk_bytes))
        if not (1_500_000 < lo and hi < 1_536_000):
            self.skipTest(f"block size makes big_pkg {big} fall outside the window")
        only_big = ["-p", "big_pkg"]
        self.assertEqual(self.fail_over_rc("1500kB", *only_big), EXIT_FAIL_OVER)
        self.assertEqual(self.fail_over_rc("1500KiB", *only_big), EXIT_OK)
        self.assertEqual(self.fail_over_rc("1.5MB", *only_big), EXIT_FAIL_OVER)
        self.assertEqual(self.fail_over_rc("1.5MiB", *only_big), EXIT_OK)
        self.assertEqual(self.fail_over_rc("1536000", *only_big), EXIT_OK)
        self.assertEqual(self.fail_over_rc("1499999", *only_big), EXIT_FAIL_OVER)

    def test_fail_over_counts_only_shown_distributions(self):
        small = self.expected["aardvark"]
        threshold = str(max(small.apparent_bytes, small.disk_bytes))
        self.assertEqual(self.fail_over_rc(threshold), EXIT_FAIL_OVER)
        self.assertEqual(self.fail_over_rc(threshold, "-p", "aardvark"), EXIT_OK)
        self.assertEqual(self.fail_over_rc(threshold, "--exclude", "[bmz]*"), EXIT_OK)

    def test_fail_over_checks_the_selection_whatever_top_shows(self):
        # --top shortens the table; the gate still weighs every selected distribution.
        biggest = self.expected["big-pkg"]
        threshold = str(max(biggest.apparent_bytes, biggest.disk_bytes))
        proc = run_pkgsizer(["scan-env", "--site-packages", self.site, "--top", "1",
                             "--fail-over", threshold])
        self.assertEqual(proc.returncode, EXIT_FAIL_OVER, describe(proc))
        self.assertIn(f"of {len(FIXTURE)} selected distributions exceeds --fail-over",
                      proc.stderr)

    def test_summary_line_says_what_its_counts_count(self):
        out = self.table("--top", "2", "--units", "si")
        summary = out.strip().splitlines()[-1]
        everything = sum(s.file_count for s in self.expected.values())
        self.assertIn(f": {len(FIXTURE)} distributions · {everything} files · ", summary)
        shown = [self.expected["big-pkg"], self.expected["zeta-pkg"]]
        self.assertIn(f" · the 2 shown: ", summary)
        self.assertIn(f" in {sum(s.file_count for s in shown)} files · unowned", summary)

    def test_summary_names_the_environment_measured(self):
        out = self.table()
        summary = out.strip().splitlines()[-1]
        self.assertTrue(summary.startswith(f"{self.site} (site-packages"), summary)
        venv = os.path.join(self.tmp, "venv-for-summary")
        subprocess.run(["python3", "-m", "venv", "--without-pip", venv], check=True)
        proc = run_pkgsizer(["scan-env", "--venv", venv])
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        summary = proc.stdout.strip().splitlines()[-1]
        self.assertRegex(summary, rf"^{re.escape(venv)} \(venv, Python 3\.\d+(\.\d+)?\): ")
        model, _ = scan_json(self, ["--venv", venv])
        self.assertEqual(model["environment"]["kind"], "venv")
        self.assertEqual(model["environment"]["prefix"], venv)
        self.assertRegex(model["environment"]["python_version"], r"^3\.\d+")

    def test_fail_over_with_json_still_writes_json(self):
        model, _ = self.scan("--fail-over", "1kB", expect_rc=EXIT_FAIL_OVER)
        self.assertEqual(len(model["distributions"]), len(FIXTURE))

    # --- table, CSV, Markdown ----------------------------------------------------------------

    def table(self, *args, env=None):
        proc = run_pkgsizer(["scan-env", "--site-packages", self.site] + list(args), env=env)
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        return proc.stdout

    def test_table_rows_sorted_by_size(self):
        out = self.table()
        lines = out.splitlines()
        order = [line_index(lines, n) for n in ("big_pkg", "zeta_pkg", "many_files", "aardvark")]
        self.assertNotIn(None, order, out)
        self.assertEqual(order, sorted(order), "table rows not sorted by size:\n" + out)
        for name, version, _ in FIXTURE:
            self.assertIn(version, lines[line_index(lines, name)], out)
        self.assertIn("%", out, "no '% of total' column:\n" + out)

    def test_table_by_name_and_files(self):
        lines = self.table("--by", "name").splitlines()
        order = [line_index(lines, n) for n in ("aardvark", "big_pkg", "many_files", "zeta_pkg")]
        self.assertEqual(order, sorted(order), "\n".join(lines))
        lines = self.table("--by", "files").splitlines()
        order = [line_index(lines, n) for n in ("many_files", "zeta_pkg", "aardvark", "big_pkg")]
        self.assertEqual(order, sorted(order), "\n".join(lines))

    def test_table_summary_line(self):
        out = self.table()
        summary = [l for l in out.splitlines() if "unowned" in l.lower()]
        self.assertTrue(summary, "no summary line mentioning unowned:\n" + out)
        line = summary[-1].lower()
        self.assertIn("distribution", line, out)
        self.assertIn("file", line, out)
        self.assertRegex(line, rf"\b{len(FIXTURE)}\b", "summary does not give the count:\n" + out)

    def test_units_si_default_and_iec(self):
        si = self.table()
        self.assertRegex(si, r"\d\s?kB\b", si)
        self.assertNotIn("KiB", si)
        self.assertNotIn("MiB", si)
        big_line = si.splitlines()[line_index(si.splitlines(), "big_pkg")]
        self.assertRegex(big_line, r"\b1\.50?\s?MB\b", "1,500,xxx bytes in SI units")
        self.assertEqual(self.table("--units", "si"), si)
        iec = self.table("--units", "iec")
        self.assertRegex(iec, r"\d\s?KiB\b", iec)
        self.assertNotRegex(iec, r"\d\s?[kKM]B\b", iec)
        big_line = iec.splitlines()[line_index(iec.splitlines(), "big_pkg")]
        self.assertRegex(big_line, r"\b1\.4\d*\s?MiB\b", "1,500,xxx bytes = 1.43 MiB")

    def test_csv_stdout(self):
        out = self.table("--csv", "-")
        rows = list(csv.reader(io.StringIO(out)))
        header = [h.lower() for h in rows[0]]
        self.assertTrue(any("name" in h for h in header), header)
        self.assertTrue(any("version" in h for h in header), header)
        body = rows[1:]
        self.assertEqual(len(body), len(FIXTURE), out)
        model, _ = self.scan()
        by_order = model["distributions"]
        # Rows in table order; some column carries the exact apparent bytes.
        for row, dist in zip(body, by_order):
            self.assertTrue(name_re(dist["name"]).search(",".join(row)), (row, dist["name"]))
            self.assertIn(dist["version"], row)
        exact_columns = [i for i in range(len(header))
                         if all(row[i] == str(d["apparent_bytes"]) for row, d in zip(body, by_order))]
        self.assertTrue(exact_columns, "no CSV column holds the exact apparent bytes:\n" + out)

    def test_csv_field_quoting(self):
        # A site-packages path with a comma and a quote: every row keeps the header's columns.
        tmp = make_tempdir()
        try:
            tree = SiteTree(os.path.join(tmp, 'odd,"dir'), layout=False)
            tree.dist_info("comma-dist", "1.0", {"comma_dist/__init__.py": 10})
            proc = run_pkgsizer(["scan-env", "--site-packages", tree.site, "--csv", "-"])
            self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
            rows = list(csv.reader(io.StringIO(proc.stdout)))
            self.assertEqual(len(rows), 2, proc.stdout)
            self.assertEqual(len(rows[0]), len(rows[1]), proc.stdout)
        finally:
            remove_tree(tmp)

    def test_markdown_stdout(self):
        out = self.table("--markdown", "-")
        # Markdown may escape '_' as '\_': compare names unescaped.
        table_lines = [l.replace("\\_", "_") for l in out.splitlines() if l.strip().startswith("|")]
        self.assertGreaterEqual(len(table_lines), 2 + len(FIXTURE), out)
        self.assertRegex(table_lines[0].lower(), r"name|distribution", out)
        self.assertIn("version", table_lines[0].lower(), out)
        self.assertRegex(table_lines[1], r"^\s*\|\s*:?-{3,}:?\s*\|", out)
        cells = {len(l.strip().strip("|").split("|")) for l in table_lines[:2 + len(FIXTURE)]}
        self.assertEqual(len(cells), 1, "rows with different numbers of cells:\n" + out)
        order = [line_index(table_lines, n) for n in ("big_pkg", "zeta_pkg", "many_files", "aardvark")]
        self.assertNotIn(None, order, out)
        self.assertEqual(order, sorted(order), out)

    # --- colour ------------------------------------------------------------------------------

    def test_no_colour_when_piped(self):
        self.assertNotIn(ESC, self.table())
        self.assertNotIn(ESC, self.table("--color", "auto"))
        self.assertNotIn(ESC, self.table("--color", "never"))

    def test_colour_always(self):
        self.assertIn(ESC, self.table("--color", "always"))

    def test_no_colour_in_machine_formats(self):
        for fmt in ("--json", "--csv", "--markdown"):
            with self.subTest(fmt=fmt):
                self.assertNotIn(ESC, self.table("--color", "always", fmt, "-"))

    def run_on_tty(self, args, env=None):
        """Run with stdout on a pseudo-terminal; returns (exit code, what it printed)."""
        master, slave = pty.openpty()
        try:
            proc = subprocess.Popen([BIN] + args, stdout=slave, stderr=subprocess.PIPE,
                                    stdin=subprocess.DEVNULL, env=base_env(env))
        finally:
            os.close(slave)
        chunks = []
        try:
            while True:
                ready, _, _ = select.select([master], [], [], 60)
                if not ready:
                    proc.kill()
                    self.fail("no output on the terminal for 60 s")
                try:
                    data = os.read(master, 65536)
                except OSError:  # EIO: the other end closed
                    break
                if not data:
                    break
                chunks.append(data)
        finally:
            os.close(master)
            proc.wait(timeout=60)
            proc.stderr.close()
        return proc.returncode, b"".join(chunks).decode(errors="replace")

    def test_colour_on_terminal(self):
        args = ["scan-env", "--site-packages", self.site]
        rc, out = self.run_on_tty(args)
        self.assertEqual(rc, EXIT_OK, out)
        self.assertIn(ESC, out, "--color auto on a terminal should colour the table")
        rc, out = self.run_on_tty(args, env={"NO_COLOR": "1"})
        self.assertEqual(rc, EXIT_OK, out)
        self.assertNotIn(ESC, out, "NO_COLOR set: no colour escapes")
        rc, out = self.run_on_tty(args + ["--color", "never"])
        self.assertEqual(rc, EXIT_OK, out)
        self.assertNotIn(ESC, out, "--color never on a terminal: no colour escapes")
        self.assertRegex(out, name_re("big_pkg"))

    # --- quiet -------------------------------------------------------------------------------

    def test_quiet(self):
        proc = run_pkgsizer(["scan-env", "--site-packages", self.site, "-q", "--json", "-"])
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        self.assertEqual(len(json.loads(proc.stdout)["distributions"]), len(FIXTURE))
        self.assertEqual(proc.stderr, "", describe(proc))
        proc = run_pkgsizer(["scan-env", "--site-packages", self.site, "--quiet", "--fail-over", "1kB"])
        self.assertEqual(proc.returncode, EXIT_FAIL_OVER, describe(proc))

    # --- several directories -----------------------------------------------------------------

    def test_same_site_packages_twice_is_scanned_once(self):
        alias = os.path.join(self.tmp, "alias-site")
        if not os.path.lexists(alias):
            os.symlink(self.site, alias)
        model, _ = self.scan("--site-packages", alias,
                             "--site-packages", os.path.join(self.site, "..", os.path.basename(self.site)))
        self.assertEqual(model["environment"]["site_packages"], [os.path.realpath(self.site)])
        self.assertEqual(len(model["distributions"]), len(FIXTURE))
        assert_reconciles(self, model, self.site)

    def test_two_site_packages(self):
        tmp = make_tempdir()
        try:
            other = SiteTree(tmp, layout=False)
            owned = other.dist_info("otherdist", "5.0", {"otherdist.py": 4321})
            model, _ = self.scan("--site-packages", other.site)
            self.assertEqual(model["environment"]["site_packages"],
                             [os.path.realpath(self.site), os.path.realpath(other.site)])
            dists = dists_by_name(model)
            self.assertEqual(set(dists), set(self.expected) | {"otherdist"})
            self.assertEqual(dists["otherdist"]["apparent_bytes"], Size(owned).apparent_bytes)
            self.assertEqual(dists["otherdist"]["location"], os.path.realpath(other.site))
            self.assertEqual(model["totals"]["all"]["apparent_bytes"],
                             subprocess_du_both(self.site, other.site))
        finally:
            remove_tree(tmp)


def subprocess_du_both(a, b):
    out = subprocess.run(["du", "-sbc", a, b], check=True, capture_output=True, text=True).stdout
    return int(out.splitlines()[-1].split()[0])


if __name__ == "__main__":
    unittest.main()
