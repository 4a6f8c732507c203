"""`scan-env --show-wheel-size`: each installed distribution's wheel on the index (the installed
version, for the environment's tags) and installed/wheel, in every output format. A real venv
with wheels the test builds, unpacked into it as pip installs them, served by the loopback
index (index_server); the sizes must be those of the wheel files themselves. Never fails the
scan: a project the index lacks, an index that errs, or --offline without a cache gives "—" and
a note, exit 0."""

import csv
import io
import json
import os
import zipfile
import unittest

import support
from index_server import IndexServer


class ShowWheelSizeTest(support.BinaryTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.wheels = os.path.join(cls.tmp, "wheels")
        files = lambda pkg, n: {f"{pkg}/__init__.py": support.payload(n, pkg),
                                f"{pkg}/data.bin": support.payload(3 * n, pkg + "d")}
        cls.paths = {
            "alpha": support.make_wheel(cls.wheels, "alpha", "1.0", files("alpha", 4000)),
            "beta": support.make_wheel(cls.wheels, "beta", "1.0", files("beta", 9000)),
        }
        # A newer beta on the index: the installed version's wheel is the one measured.
        support.make_wheel(cls.wheels, "beta", "2.0", files("beta", 20000))
        # Installed but on no index (as a private package would be): its size stays unknown.
        local = support.make_wheel(os.path.join(cls.tmp, "local"), "private-tool", "0.1",
                                   files("private_tool", 500))
        # A real venv without pip (ensurepip costs seconds under ASan); the wheels are installed
        # as pip installs a pure wheel: unpacked into site-packages, RECORD and all.
        cls.venv = support.make_venv(os.path.join(cls.tmp, "venv"), with_pip=False)
        site = support.venv_site_packages(cls.venv)
        for wheel in (cls.paths["alpha"], cls.paths["beta"], local):
            with zipfile.ZipFile(wheel) as archive:
                archive.extractall(site)
        cls.server = IndexServer(cls.wheels)
        cls.server.start()
        cls.addClassCleanup(cls.server.stop)

    def setUp(self):
        self.server.configure(missing=None, fail_first=0, json=True, sizes=True, max_age=None)
        self.server.clear_log()
        self.cache_dir = support.make_tempdir()
        self.addCleanup(support.remove_tree, self.cache_dir)

    def run_scan(self, *args, env=None):
        env = {"PKGSIZER_CACHE_DIR": self.cache_dir, **(env or {})}
        proc = support.run_pkgsizer(["scan-env", "--venv", self.venv, "--show-wheel-size",
                                     "-i", self.server.index_url] + list(args), env=env)
        self.assertEqual(proc.returncode, 0, support.describe(proc))
        return proc

    def wheels_by_name(self, *args, env=None):
        proc = self.run_scan("--json", "-", *args, env=env)
        model = json.loads(proc.stdout)
        return {d["normalized_name"]: d for d in model["distributions"]}, proc

    def assert_measured(self, dists):
        for name, path in self.paths.items():
            wheel = dists[name]["wheel"]
            self.assertEqual(wheel["file"], os.path.basename(path))
            self.assertEqual(wheel["download_bytes"], os.path.getsize(path), name)
            self.assertAlmostEqual(wheel["installed_to_wheel_ratio"],
                                   dists[name]["apparent_bytes"] / os.path.getsize(path), places=9)
            self.assertEqual(wheel["note"], "")

    def test_json_gives_the_wheel_files_sizes_and_the_ratio(self):
        dists, proc = self.wheels_by_name()
        self.assert_measured(dists)
        # Installed, but not on this index: unknown, with why, and a warning.
        private = dists["private-tool"]["wheel"]
        self.assertIsNone(private["download_bytes"])
        self.assertIsNone(private["installed_to_wheel_ratio"])
        self.assertEqual(private["note"], "not on the index")
        self.assertIn("--show-wheel-size:", proc.stderr)
        self.assertIn("wheel sizes unknown", proc.stderr)
        # Only the installed beta's wheel was read from the index's pages, nothing downloaded.
        self.assertEqual(self.server.requests_for(".whl"), [])

    def test_without_the_flag_a_scan_has_no_wheel_and_asks_no_index(self):
        proc = support.run_pkgsizer(["scan-env", "--venv", self.venv, "--json", "-",
                                     "-i", self.server.index_url],
                                    env={"PKGSIZER_CACHE_DIR": self.cache_dir})
        self.assertEqual(proc.returncode, 0, support.describe(proc))
        for dist in json.loads(proc.stdout)["distributions"]:
            self.assertNotIn("wheel", dist)
        self.assertEqual(self.server.requests, [])

    def test_text_table_has_wheel_and_ratio_columns_and_notes(self):
        proc = self.run_scan()
        header = proc.stdout.splitlines()[0]
        self.assertIn("Wheel", header)
        self.assertIn("Size/Wheel", header)
        dists, _ = self.wheels_by_name()
        alpha_line = next(line for line in proc.stdout.splitlines() if line.startswith("alpha "))
        ratio = dists["alpha"]["wheel"]["installed_to_wheel_ratio"]
        self.assertTrue(alpha_line.rstrip().endswith(f"{ratio:.1f}×"), alpha_line)
        private_line = next(line for line in proc.stdout.splitlines()
                            if line.startswith("private-tool "))
        self.assertRegex(private_line, r"—\s+—\s*$")
        self.assertIn("Wheel —: size unknown", proc.stdout)
        self.assertIn("\n  private-tool 0.1: not on the index\n", proc.stdout)

    def test_markdown_and_csv_carry_the_columns(self):
        proc = self.run_scan("--markdown", "-")
        self.assertIn("| Wheel | Size/Wheel |", proc.stdout)
        self.assertIn("not on the index", proc.stdout)
        proc = self.run_scan("--csv", "-")
        rows = {row["name"]: row for row in csv.DictReader(io.StringIO(proc.stdout))}
        self.assertEqual(int(rows["alpha"]["wheel_download_bytes"]),
                         os.path.getsize(self.paths["alpha"]))
        self.assertEqual(rows["beta"]["wheel_file"], "beta-1.0-py3-none-any.whl")
        self.assertAlmostEqual(float(rows["beta"]["installed_to_wheel_ratio"]),
                               int(rows["beta"]["apparent_bytes"]) /
                               os.path.getsize(self.paths["beta"]), places=3)
        self.assertEqual(rows["private-tool"]["wheel_download_bytes"], "")
        self.assertEqual(rows["private-tool"]["wheel_note"], "not on the index")

    def test_an_html_index_without_sizes_is_measured_from_the_wheels(self):
        self.server.configure(json=False, sizes=False)
        dists, _ = self.wheels_by_name()
        self.assert_measured(dists)
        # The size came from the wheel's tail (a Range request), not a whole download.
        self.assertGreater(len(self.server.requests_for(".whl")), 0)
        self.assertLess(self.server.bytes_sent(".whl"),
                        sum(os.path.getsize(p) for p in self.paths.values()) + 1)

    def test_offline_without_a_cache_knows_nothing_and_asks_nothing(self):
        dists, proc = self.wheels_by_name("--offline")
        for name in ("alpha", "beta"):
            self.assertIsNone(dists[name]["wheel"]["download_bytes"])
            self.assertIn("--offline", dists[name]["wheel"]["note"])
        self.assertEqual(self.server.requests, [])
        self.assertIn("wheel sizes unknown", proc.stderr)

    def test_offline_with_a_cache_gives_the_cached_sizes_without_a_request(self):
        self.wheels_by_name()  # fills the HTTP cache
        self.server.clear_log()
        dists, _ = self.wheels_by_name("--offline")
        self.assert_measured(dists)
        self.assertEqual(self.server.requests, [])

    def test_a_second_run_within_max_age_asks_nothing(self):
        self.server.configure(max_age=600)
        self.wheels_by_name()
        self.server.clear_log()
        dists, _ = self.wheels_by_name()
        self.assert_measured(dists)
        # The pages that were found are fresh: not asked again. (private-tool's 404 carries no
        # max-age, and is asked again: RFC 9111 allows no heuristic freshness here.)
        asked = [r.path for r in self.server.requests if r.status != 404]
        self.assertEqual(asked, [])

    def test_an_index_that_404s_leaves_sizes_unknown_and_the_scan_succeeds(self):
        self.server.configure(missing={"alpha", "beta"})
        dists, proc = self.wheels_by_name()
        for name in ("alpha", "beta"):
            self.assertIsNone(dists[name]["wheel"]["download_bytes"])
            self.assertEqual(dists[name]["wheel"]["note"], "not on the index")
        self.assertGreater(dists["alpha"]["apparent_bytes"], 0)  # the scan itself is whole

    def test_an_index_that_500s_leaves_sizes_unknown_with_the_error(self):
        self.server.configure(fail_first=100, fail_status=500)
        dists, proc = self.wheels_by_name()
        for name in ("alpha", "beta"):
            self.assertIsNone(dists[name]["wheel"]["download_bytes"])
            self.assertIn("500", dists[name]["wheel"]["note"])
        self.assertIn("wheel sizes unknown", proc.stderr)


if __name__ == "__main__":
    unittest.main()
