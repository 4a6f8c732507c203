"""`pkgsizer compare A B` on real venvs made here: two environments that differ by an added, a
removed and an upgraded distribution, compared as `scan-env --json` files, as venv directories,
as site-packages directories, as interpreters and as tracked snapshots; the text, Markdown and
JSON views; --threshold, --show-changes, --fail-on-increase; and sides that cannot be read."""

import json
import os
import sqlite3
import subprocess
import unittest

from support import (BIN, EXIT_FAIL_OVER, EXIT_NO_ENV, EXIT_OK, EXIT_USAGE, base_env,
                     BinaryTestCase, describe, dists_by_name, make_tempdir, make_venv, make_wheel,
                     payload, pip_install, remove_tree, run_pkgsizer, scan_json, venv_python,
                     venv_site_packages, write_file)


EXIT_STORE, EXIT_NOT_FOUND = 8, 9


def build_wheels(directory):
    """alpha stays; beta (small) goes; gamma 1.0 -> 2.0 grows by ~100 kB; delta (big) comes."""
    make_wheel(directory, "alpha", "1.0", {"alpha/__init__.py": payload(3000, "alpha")})
    make_wheel(directory, "beta", "1.0", {"beta/__init__.py": "", "beta/data.bin": payload(5000, "beta")})
    make_wheel(directory, "gamma", "1.0", {"gamma/__init__.py": "", "gamma/data.bin": payload(50000, "g1")})
    make_wheel(directory, "gamma", "2.0", {"gamma/__init__.py": "", "gamma/data.bin": payload(150000, "g2")})
    make_wheel(directory, "delta", "1.0", {"delta/__init__.py": "", "delta/data.bin": payload(200000, "delta")})


def names(entries):
    return [entry["normalized_name"] for entry in entries]


class CompareTest(BinaryTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        wheels = os.path.join(cls.tmp, "wheels")
        build_wheels(wheels)
        cls.venv_a = make_venv(os.path.join(cls.tmp, "venv-a"))
        cls.venv_b = make_venv(os.path.join(cls.tmp, "venv-b"))
        pip_install(cls.venv_a, wheels, "alpha", "beta", "gamma==1.0")
        pip_install(cls.venv_b, wheels, "alpha", "gamma==2.0", "delta")
        cls.scan_a, _ = scan_json(None, ["--venv", cls.venv_a, "-q"])
        cls.scan_b, _ = scan_json(None, ["--venv", cls.venv_b, "-q"])
        cls.json_a = write_file(os.path.join(cls.tmp, "before.json"), json.dumps(cls.scan_a))
        cls.json_b = write_file(os.path.join(cls.tmp, "after.json"), json.dumps(cls.scan_b))
        cls.history = os.path.join(cls.tmp, "history.sqlite3")

    def compare(self, args, expect_rc=EXIT_OK, **kwargs):
        env = dict(kwargs.pop("env", {}))
        env.setdefault("PKGSIZER_HISTORY", self.history)
        proc = run_pkgsizer(["compare"] + list(args), env=env, **kwargs)
        self.assertEqual(proc.returncode, expect_rc, describe(proc))
        return proc

    def compare_json(self, args, **kwargs):
        proc = self.compare(list(args) + ["--json", "-"], **kwargs)
        try:
            return json.loads(proc.stdout)
        except ValueError as e:
            self.fail(f"stdout is not one JSON document ({e}){describe(proc)}")

    def net_apparent(self):
        return (self.scan_b["totals"]["selected"]["apparent_bytes"]
                - self.scan_a["totals"]["selected"]["apparent_bytes"])

    def assert_expected_groups(self, diff):
        self.assertEqual(names(diff["added"]), ["delta"])
        self.assertEqual(names(diff["removed"]), ["beta"])
        self.assertEqual(names(diff["upgraded"]), ["gamma"])
        self.assertEqual(diff["downgraded"], [])
        self.assertIn("alpha", names(diff["unchanged"]))
        for group in ("added", "removed", "upgraded", "downgraded", "changed", "grown", "shrunk"):
            self.assertNotIn("alpha", names(diff[group]), group)

    # --- what changed ------------------------------------------------------------------------

    def test_json_files(self):
        diff = self.compare_json([self.json_a, self.json_b])
        self.assert_expected_groups(diff)
        before, after = dists_by_name(self.scan_a), dists_by_name(self.scan_b)
        gamma = diff["upgraded"][0]
        self.assertEqual((gamma["old_version"], gamma["new_version"]), ("1.0", "2.0"))
        self.assertEqual(gamma["old_apparent_bytes"], before["gamma"]["apparent_bytes"])
        self.assertEqual(gamma["new_apparent_bytes"], after["gamma"]["apparent_bytes"])
        self.assertEqual(gamma["old_disk_bytes"], before["gamma"]["disk_bytes"])
        self.assertEqual(gamma["new_disk_bytes"], after["gamma"]["disk_bytes"])
        self.assertEqual(gamma["delta_apparent_bytes"],
                         after["gamma"]["apparent_bytes"] - before["gamma"]["apparent_bytes"])
        self.assertGreater(gamma["delta_apparent_bytes"], 100000)
        delta = diff["added"][0]
        self.assertIsNone(delta["old_version"])
        self.assertEqual(delta["new_apparent_bytes"], after["delta"]["apparent_bytes"])
        beta = diff["removed"][0]
        self.assertIsNone(beta["new_version"])
        self.assertEqual(beta["delta_apparent_bytes"], -before["beta"]["apparent_bytes"])

    def test_json_net_and_sides(self):
        diff = self.compare_json([self.json_a, self.json_b])
        self.assertEqual(diff["schema_version"], 1)
        self.assertEqual(diff["net"]["apparent_bytes"], self.net_apparent())
        self.assertEqual(diff["net"]["disk_bytes"],
                         self.scan_b["totals"]["selected"]["disk_bytes"]
                         - self.scan_a["totals"]["selected"]["disk_bytes"])
        self.assertEqual(diff["net"]["distributions"],
                         self.scan_b["totals"]["distributions"] - self.scan_a["totals"]["distributions"])
        self.assertEqual(diff["before"]["source"], self.json_a)
        self.assertEqual(diff["after"]["source"], self.json_b)
        self.assertEqual(diff["before"]["created_at"], self.scan_a["created_at"])
        self.assertEqual(diff["after"]["totals"]["apparent_bytes"],
                         self.scan_b["totals"]["selected"]["apparent_bytes"])

    def test_venv_directories(self):
        from_files = self.compare_json([self.json_a, self.json_b])
        from_dirs = self.compare_json([self.venv_a, self.venv_b])
        self.assert_expected_groups(from_dirs)
        self.assertEqual(from_dirs["before"]["environment"]["kind"], "venv")
        for group in ("added", "removed", "upgraded", "unchanged"):
            self.assertEqual(from_dirs[group], from_files[group], group)
        self.assertEqual(from_dirs["net"], from_files["net"])

    def test_site_packages_directories_and_interpreters(self):
        site = self.compare_json([venv_site_packages(self.venv_a), venv_site_packages(self.venv_b)])
        self.assert_expected_groups(site)
        self.assertEqual(site["after"]["environment"]["kind"], "site-packages")
        python = self.compare_json(["--python-a", venv_python(self.venv_a),
                                    "--python-b", venv_python(self.venv_b)])
        self.assert_expected_groups(python)
        mixed = self.compare_json(["--python-a", venv_python(self.venv_a), self.json_b])
        self.assert_expected_groups(mixed)

    def test_directory_sides_use_the_scan_cache(self):
        cache_dir = make_tempdir()
        self.addCleanup(remove_tree, cache_dir)
        cache = os.path.join(cache_dir, "cache.sqlite3")
        first = self.compare_json([self.venv_a, self.venv_b, "--cache-dir", cache_dir])
        self.assert_expected_groups(first)
        connection = sqlite3.connect(cache)
        try:
            entries = connection.execute("SELECT count(*) FROM scans").fetchone()[0]
        finally:
            connection.close()
        self.assertEqual(entries, 2, "one cache entry per scanned side")
        again = self.compare_json([self.venv_a, self.venv_b, "--cache-dir", cache_dir])
        for group in ("added", "removed", "upgraded", "unchanged"):
            self.assertEqual(again[group], first[group], group)
        self.assertEqual(again["net"], first["net"])
        untouched = os.path.join(cache_dir, "none")
        self.compare_json([self.venv_a, self.venv_b, "--cache-dir", untouched, "--no-cache"])
        self.assertFalse(os.path.exists(untouched), "--no-cache wrote a cache")

    def test_stdin_side(self):
        # run_pkgsizer closes stdin, so this one run is made by hand.
        with open(self.json_b) as f:
            proc = subprocess.run([BIN, "compare", self.json_a, "-", "--json", "-"], stdin=f, text=True,
                                  capture_output=True, env=base_env(), timeout=120)
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        self.assert_expected_groups(json.loads(proc.stdout))

    def test_snapshot_sides(self):
        snapshot = run_pkgsizer(["track", "snapshot", "--venv", self.venv_a, "--no-cache", "before-label"],
                                env={"PKGSIZER_HISTORY": self.history})
        if snapshot.returncode != 0:
            self.skipTest(f"track snapshot is not available here:{describe(snapshot)}")
        diff = self.compare_json(["@before-label", self.venv_b])
        self.assert_expected_groups(diff)
        self.assertEqual(diff["before"]["source"], "@before-label")
        proc = self.compare(["@no-such-label", self.venv_b], expect_rc=EXIT_NOT_FOUND)
        self.assertIn("@no-such-label", proc.stderr)

    def test_reversed_sides_swap_groups(self):
        diff = self.compare_json([self.json_b, self.json_a])
        self.assertEqual(names(diff["added"]), ["beta"])
        self.assertEqual(names(diff["removed"]), ["delta"])
        self.assertEqual(names(diff["downgraded"]), ["gamma"])
        self.assertEqual(diff["net"]["apparent_bytes"], -self.net_apparent())

    # --- views ---------------------------------------------------------------------------------

    def test_text(self):
        proc = self.compare([self.json_a, self.json_b])
        out = proc.stdout
        self.assertIn("Added (1)", out)
        self.assertIn("✚ delta 1.0: ", out)
        self.assertIn("Removed (1)", out)
        self.assertIn("✖ beta 1.0: ", out)
        self.assertIn("Upgraded (1)", out)
        self.assertIn("▲ gamma 1.0 → 2.0: ", out)
        self.assertNotIn("alpha", out)
        self.assertRegex(out, r"\d+ unchanged")
        self.assertNotIn("\033[", out)
        count_a = self.scan_a["totals"]["distributions"]
        count_b = self.scan_b["totals"]["distributions"]
        self.assertRegex(out, rf"\nNet change: \+\S+ \S+ \({count_a} distributions → {count_b}\)\n$")
        self.assertEqual(proc.stderr, "")

    def test_color_always(self):
        self.assertIn("\033[", self.compare([self.json_a, self.json_b, "--color", "always"]).stdout)
        never = self.compare([self.json_a, self.json_b, "--color", "always"], env={"NO_COLOR": "1"})
        self.assertNotIn("\033[", never.stdout)

    def test_show_changes(self):
        self.assertIn("unchanged", self.compare([self.json_a, self.json_b]).stdout)
        out = self.compare([self.json_a, self.json_b, "--show-changes"]).stdout
        self.assertNotIn("unchanged", out)
        self.assertIn("▲ gamma", out)
        diff = self.compare_json([self.json_a, self.json_b, "--show-changes"])
        self.assertNotIn("unchanged", diff)
        self.assertGreater(diff["unchanged_count"], 0)

    def test_threshold(self):
        # beta (~5 kB) is below 50 kB; delta (~200 kB) and gamma's growth (~100 kB) are not.
        out = self.compare([self.json_a, self.json_b, "--threshold", "50kB"]).stdout
        self.assertNotIn("beta", out)
        self.assertIn("delta", out)
        self.assertIn("gamma", out)
        self.assertIn("1 change below 50.0 kB not shown", out)
        diff = self.compare_json([self.json_a, self.json_b, "--threshold", "50kB"])
        self.assertEqual(diff["removed"], [])
        self.assertEqual(diff["hidden_count"], 1)
        self.assertEqual(diff["net"]["apparent_bytes"], self.net_apparent())
        self.compare([self.json_a, self.json_b, "--threshold", "5 parsecs"], expect_rc=EXIT_USAGE)

    def drifted_scans(self):
        """Two JSON scans of the same versions: two small same-version changes (as compiled
        bytecode makes) and one of 2 MB."""
        before = json.loads(json.dumps(self.scan_a))
        after = json.loads(json.dumps(self.scan_a))
        dists = dists_by_name(after)
        dists["alpha"]["apparent_bytes"] += 4_000
        dists["beta"]["apparent_bytes"] -= 1_000
        dists["gamma"]["apparent_bytes"] += 2_000_000
        paths = []
        for name, model in (("same-before.json", before), ("same-after.json", after)):
            paths.append(write_file(os.path.join(self.tmp, name), json.dumps(model)))
        return paths

    def test_same_version_drift_is_one_line_and_stays_in_json(self):
        before, after = self.drifted_scans()
        out = self.compare([before, after]).stdout
        self.assertIn("Grown (1)\n  ↑ gamma 1.0: ", out)
        self.assertNotIn("alpha", out)
        self.assertNotIn("beta", out)
        self.assertIn("Same version, small changes\n  ↕ 2 distributions of the same version "
                      "changed by less than 1.00 MB each (1 grown, 1 shrunk): +3.00 kB in all "
                      "(--group-below 0 lists them)", out)
        diff = self.compare_json([before, after])
        self.assertEqual(sorted(names(diff["grown"])), ["alpha", "gamma"])
        self.assertEqual(names(diff["shrunk"]), ["beta"])
        self.assertEqual(diff["grouped"], {"below_bytes": 1_000_000, "count": 2,
                                           "delta_apparent_bytes": 3_000})
        markdown = self.compare([before, after, "--markdown", "-"]).stdout
        self.assertIn("| ↕ drift | 2 distributions of the same version changed by less than "
                      "1.00 MB each (1 grown, 1 shrunk): +3.00 kB in all | | | | +3.00 kB |",
                      markdown)

    def test_group_below_zero_lists_each_change(self):
        before, after = self.drifted_scans()
        out = self.compare([before, after, "--group-below", "0"]).stdout
        self.assertIn("↑ alpha 1.0: ", out)
        self.assertIn("↓ beta 1.0: ", out)
        self.assertNotIn("Same version, small changes", out)
        out = self.compare([before, after, "--group-below", "10kB"]).stdout
        self.assertIn("↑ gamma 1.0: ", out)
        self.assertIn("↕ 2 distributions", out)
        self.compare([before, after, "--group-below", "lots"], expect_rc=EXIT_USAGE)

    def test_markdown(self):
        proc = self.compare([self.json_a, self.json_b, "--markdown", "-"])
        lines = proc.stdout.splitlines()
        self.assertTrue(lines[0].startswith("**Net change: +"), proc.stdout)
        self.assertIn("| | Distribution | Version | Before | After | Change |", lines)
        self.assertIn("|---|---|---|--:|--:|--:|", lines)
        rows = [line for line in lines if line.startswith("| ") and "Distribution" not in line]
        diff = self.compare_json([self.json_a, self.json_b])
        changes = sum(len(diff[g]) for g in ("added", "removed", "upgraded", "downgraded", "changed",
                                              "grown", "shrunk"))
        self.assertEqual(len(rows), changes, proc.stdout)
        self.assertTrue(any(row.startswith("| ✚ added | delta | 1.0 | – |") for row in rows), rows)
        self.assertTrue(any(row.startswith("| ▲ upgraded | gamma | 1.0 → 2.0 |") for row in rows), rows)
        for row in rows:
            self.assertEqual(row.count("|"), 7, row)
        self.assertNotIn("Net change", proc.stdout.split("\n", 1)[1])  # only the summary line

    def test_output_files_keep_the_text(self):
        json_path = os.path.join(self.tmp, "out", "diff.json")
        md_path = os.path.join(self.tmp, "out", "diff.md")
        os.makedirs(os.path.dirname(json_path), exist_ok=True)
        proc = self.compare([self.json_a, self.json_b, "--json", json_path, "--markdown", md_path])
        self.assertIn("Net change:", proc.stdout)
        with open(json_path) as f:
            self.assertEqual(json.load(f)["net"]["apparent_bytes"], self.net_apparent())
        with open(md_path) as f:
            self.assertIn("| Distribution |", f.read())
        self.compare([self.json_a, self.json_b, "--json", "-", "--markdown", "-"], expect_rc=EXIT_USAGE)

    # --- checks --------------------------------------------------------------------------------

    def test_fail_on_increase(self):
        self.assertGreater(self.net_apparent(), 0)
        proc = self.compare([self.json_a, self.json_b, "--fail-on-increase", "1B"], expect_rc=EXIT_FAIL_OVER)
        self.assertIn("--fail-on-increase", proc.stderr)
        self.assertIn("Net change", proc.stdout)  # the report is still written
        self.compare([self.json_a, self.json_b, "--fail-on-increase", "100%"], expect_rc=EXIT_OK)
        self.compare([self.json_b, self.json_a, "--fail-on-increase", "1B"], expect_rc=EXIT_OK)
        self.compare([self.json_a, self.json_b, "--fail-on-increase", "1GB"], expect_rc=EXIT_OK)
        self.compare([self.json_a, self.json_b, "--fail-on-increase", "0%"], expect_rc=EXIT_FAIL_OVER)
        self.compare([self.json_a, self.json_b, "--fail-on-increase", "5 parsecs"], expect_rc=EXIT_USAGE)
        self.compare([self.json_a, self.json_b, "--fail-on-increase", "-5%"], expect_rc=EXIT_USAGE)

    # --- sides that cannot be read -------------------------------------------------------------

    def assert_one_line_error(self, proc, *fragments):
        lines = proc.stderr.splitlines()
        self.assertEqual(len(lines), 1, describe(proc))
        self.assertTrue(lines[0].startswith("pkgsizer: error: "), describe(proc))
        for fragment in fragments:
            self.assertIn(fragment, lines[0])
        self.assertEqual(proc.stdout, "")

    def test_garbage_json(self):
        garbage = write_file(os.path.join(self.tmp, "garbage.json"), '{\n  "a": 1,\n    x\n}\n')
        proc = self.compare([garbage, self.json_b], expect_rc=EXIT_NO_ENV)
        self.assert_one_line_error(proc, garbage, "not JSON", "line 3, column 5")
        not_scan = write_file(os.path.join(self.tmp, "not-a-scan.json"), '{"hello": "world"}')
        proc = self.compare([self.json_a, not_scan], expect_rc=EXIT_NO_ENV)
        self.assert_one_line_error(proc, not_scan, "not a pkgsizer scan")

    def test_missing_path(self):
        missing = os.path.join(self.tmp, "no-such-thing")
        proc = self.compare([self.json_a, missing], expect_rc=EXIT_NO_ENV)
        self.assert_one_line_error(proc, missing, "no such file or directory")

    def test_not_an_environment(self):
        empty = os.path.join(self.tmp, "empty-dir")
        os.makedirs(empty, exist_ok=True)
        proc = self.compare([empty, self.json_b], expect_rc=EXIT_NO_ENV)
        self.assert_one_line_error(proc, empty, "not a Python environment")

    def test_unknown_snapshot_without_history(self):
        # Reading a snapshot creates no history: it says there is none, exit 9.
        missing = os.path.join(self.tmp, "none", "h.sqlite3")
        proc = self.compare(["@v1.0", self.json_b], expect_rc=EXIT_NOT_FOUND,
                            env={"PKGSIZER_HISTORY": missing})
        self.assert_one_line_error(proc, "@v1.0", f"no snapshot history at {missing}")
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "none")))

    def test_damaged_history_exit_8(self):
        damaged = write_file(os.path.join(self.tmp, "damaged.sqlite3"), b"not a database" * 100)
        proc = self.compare(["@v1.0", self.json_b], expect_rc=EXIT_STORE,
                            env={"PKGSIZER_HISTORY": damaged})
        self.assert_one_line_error(proc, "@v1.0", damaged)

    def test_bad_interpreter(self):
        proc = self.compare(["--python-a", os.path.join(self.tmp, "no-python"), self.json_b],
                            expect_rc=EXIT_NO_ENV)
        self.assertIn("no-python", proc.stderr)

    def test_usage(self):
        self.compare([self.json_a], expect_rc=EXIT_USAGE)
        self.compare([], expect_rc=EXIT_USAGE)
        self.compare(["--python-a", "python3", "--python-b", "python3", self.json_a], expect_rc=EXIT_USAGE)
        help_text = self.compare(["--help"]).stdout
        self.assertIn("--fail-on-increase", help_text)
        self.assertIn("Examples:", help_text)


if __name__ == "__main__":
    unittest.main()
