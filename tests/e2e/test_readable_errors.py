"""Errors a user can read (issue 19): each is one line on stderr with the documented exit code
(README "Exit codes"), never exit 10 and never an exception's bare text."""

import json
import os
import re
import unittest

import support

EXIT_OUTPUT = 5
EXIT_STORE = 8
EXIT_NOT_FOUND = 9


class ReadableErrorsTest(support.BinaryTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        tree = support.SiteTree(os.path.join(cls.tmp, "env"))
        tree.dist_info("alpha", "1.0", {"alpha/__init__.py": b"a" * 3000})
        cls.site = tree.site
        cls.history = os.path.join(cls.tmp, "history.sqlite3")
        cls.env = {"PKGSIZER_HISTORY": cls.history,
                   "PKGSIZER_CACHE_DIR": os.path.join(cls.tmp, "cache"),
                   "GITHUB_STEP_SUMMARY": None}
        proc = support.run_pkgsizer(["track", "snapshot", "one", "--site-packages", cls.site, "-q"],
                                    env=cls.env)
        assert proc.returncode == 0, support.describe(proc)
        support.write_file(os.path.join(cls.tmp, "pkgsizer.toml"), b'[budget]\ntotal = "1GB"\n')
        cls.scan = os.path.join(cls.tmp, "scan.json")
        proc = support.run_pkgsizer(["scan-env", "--site-packages", cls.site, "--json", cls.scan,
                                     "-q"], env=cls.env)
        assert proc.returncode == 0, support.describe(proc)

    def run_expect(self, args, code, env=None, **kwargs):
        overrides = dict(self.env)
        overrides.update(env or {})
        proc = support.run_pkgsizer(args, env=overrides, **kwargs)
        self.assertEqual(proc.returncode, code, support.describe(proc))
        lines = [line for line in proc.stderr.splitlines() if line.strip()]
        self.assertEqual(len(lines), 1, support.describe(proc))
        self.assertTrue(lines[0].startswith("pkgsizer: error: "), support.describe(proc))
        return lines[0]

    def test_a_snapshot_id_beyond_64_bits_is_not_found(self):
        huge = "@99999999999999999999999"
        for args in (["track", "show", huge], ["track", "diff", huge, "@1"],
                     ["compare", huge, "@1"],
                     ["check-budget", "--site-packages", self.site, "--baseline", huge]):
            with self.subTest(args=args):
                line = self.run_expect(args, EXIT_NOT_FOUND, cwd=self.tmp)
                self.assertNotIn("stoll", line)

    def test_compare_with_a_damaged_history_is_a_store_error(self):
        damaged = os.path.join(self.tmp, "damaged.sqlite3")
        support.write_file(damaged, b"this is no database" * 100)
        self.run_expect(["compare", "@1", "@1", "--history", damaged], EXIT_STORE)
        self.run_expect(["compare", "@nothing", self.scan], EXIT_NOT_FOUND)


    def test_a_saved_scan_with_a_bad_schema_version_names_the_file(self):
        with open(self.scan) as f:
            text = f.read()
        self.assertIn('"schema_version": 1,', text)
        for bad in ('"1"', "1e400", "-1", "99999999999999999999999999"):
            path = os.path.join(self.tmp, f"bad-{len(bad)}.json")
            support.write_file(path, text.replace('"schema_version": 1,',
                                                  f'"schema_version": {bad},').encode())
            for args, code in ((["compare", path, self.scan], support.EXIT_NO_ENV),
                               (["check-budget", "--report", path], support.EXIT_NO_ENV),
                               (["check-budget", "--site-packages", self.site, "--baseline", path],
                                support.EXIT_USAGE)):
                with self.subTest(bad=bad, command=args[0]):
                    line = self.run_expect(args, code, cwd=self.tmp)
                    self.assertIn(path, line)
                    self.assertNotIn("json.exception", line)

    def test_without_home_the_cache_is_never_put_in_the_current_directory(self):
        cwd = os.path.join(self.tmp, "work")
        os.makedirs(cwd)
        os.chmod(cwd, 0o777)
        unset = {"HOME": None, "XDG_CACHE_HOME": None, "PKGSIZER_CACHE_DIR": None}
        kwargs = {}
        if os.geteuid() == 0:  # a user with no passwd entry: no home to fall back on either
            os.chmod(self.tmp, 0o755)
            # A copy of the binary that this user can run (the build tree may be under /root).
            binary = support.unprivileged_kwargs(self.tmp)["binary"]
            kwargs = {"user": 54321, "group": 54321, "extra_groups": [], "binary": binary}
        proc = support.run_pkgsizer(["scan-env", "--site-packages", self.site], env=unset,
                                    cwd=cwd, **kwargs)
        self.assertEqual(proc.returncode, support.EXIT_OK, support.describe(proc))
        self.assertEqual(os.listdir(cwd), [], support.describe(proc))
        if kwargs:
            self.assertIn("cache not used: no home directory", proc.stderr)

    def test_empty_values_and_option_like_values_are_usage_errors(self):
        for args in (["scan-env", "--site-packages", self.site, "--fail-over", ""],
                     ["compare", self.scan, self.scan, "--fail-on-increase", ""],
                     ["compare", self.scan, self.scan, "--threshold", ""],
                     ["scan-env", "-p", "--site-packages", self.site],
                     ["compare", self.scan, self.scan, "--threshold", "--show-changes"]):
            with self.subTest(args=args):
                proc = support.run_pkgsizer(args, env=self.env)
                self.assertEqual(proc.returncode, support.EXIT_USAGE, support.describe(proc))
                self.assertEqual(proc.stdout, "", support.describe(proc))

    def test_a_step_summary_that_cannot_be_written_is_an_output_error(self):
        self.run_expect(["check-budget", "--site-packages", self.site, "--format", "github"],
                        EXIT_OUTPUT, env={"GITHUB_STEP_SUMMARY": "/dev/full"}, cwd=self.tmp)

    def test_quiet_is_quiet_with_more_jobs_than_cpus(self):
        for args in (["scan-env", "--site-packages", self.site], ["compare", self.site, self.site]):
            with self.subTest(command=args[0]):
                proc = support.run_pkgsizer(args + ["-j", "256", "-q", "--no-cache"], env=self.env)
                self.assertEqual(proc.returncode, support.EXIT_OK, support.describe(proc))
                self.assertEqual(proc.stderr, "", support.describe(proc))


class NonUtf8Test(support.BinaryTestCase):
    """File names and METADATA are bytes: JSON carries the bytes that are not UTF-8 as \\udcNN
    (Python's surrogateescape), in scans, the history and the cache (docs/json-format.md)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        tree = support.SiteTree(os.path.join(cls.tmp, "env\udcff"))  # the path: byte 0xFF
        site = os.fsencode(tree.site)
        info = os.path.join(site, b"cafe-1.0.dist-info")
        os.makedirs(os.path.join(site, b"caf\xe9"))
        os.makedirs(info)
        files = {b"caf\xe9/__init__.py": b"x" * 700, b"caf\xe9/m\xfe.py": b"y" * 300,
                 b"cafe-1.0.dist-info/METADATA": b"Metadata-Version: 2.1\nName: caf\xe9\n"
                                                 b"Version: 1.0\xff\n"}
        for rel, data in files.items():
            with open(os.path.join(site, rel), "wb") as f:
                f.write(data)
        with open(os.path.join(site, b"loose\xfd.py"), "wb") as f:
            f.write(b"z" * 50)
        with open(os.path.join(info, b"RECORD"), "wb") as f:
            f.write(b"".join(rel + b",,\n" for rel in files) + b"cafe-1.0.dist-info/RECORD,,\n")
        cls.site = tree.site
        cls.env = {"PKGSIZER_HISTORY": os.path.join(cls.tmp, "history.sqlite3"),
                   "PKGSIZER_CACHE_DIR": os.path.join(cls.tmp, "cache")}

    def run_ok(self, args):
        proc = support.run_pkgsizer(args, env=self.env)
        self.assertEqual(proc.returncode, support.EXIT_OK, support.describe(proc))
        return proc

    def check_model(self, model):
        (dist,) = model["distributions"]
        self.assertEqual(os.fsencode(dist["name"]), b"caf\xe9")
        self.assertEqual(os.fsencode(dist["version"]), b"1.0\xff")
        self.assertEqual(model["environment"]["site_packages"], [self.site])
        self.assertEqual([os.fsencode(os.path.basename(u["path"])) for u in model["unowned"]],
                         [b"loose\xfd.py"])

    def test_scan_env_json_through_the_cache_and_back(self):
        texts = []
        for _ in range(2):  # a miss, then a hit
            proc = self.run_ok(["scan-env", "--site-packages", self.site, "--json", "-"])
            self.assertIn("caf\\udce9", proc.stdout)
            self.check_model(json.loads(proc.stdout))
            texts.append(proc.stdout)
        # The same scan but for its time stamp (the two runs may straddle a second).
        self.assertEqual(re.sub(r'"created_at": "[^"]*"', "", texts[0]),
                         re.sub(r'"created_at": "[^"]*"', "", texts[1]))
        saved = os.path.join(self.tmp, "scan.json")
        support.write_file(saved, texts[0].encode())
        diff = json.loads(self.run_ok(["compare", saved, saved, "--json", "-"]).stdout)
        self.assertEqual(os.fsencode(diff["unchanged"][0]["name"]), b"caf\xe9")

    def test_track_snapshot_show_export_import(self):
        self.run_ok(["track", "snapshot", "--site-packages", self.site, "-q"])
        self.check_model(json.loads(self.run_ok(["track", "show", "@latest", "--json"]).stdout))
        exported = os.path.join(self.tmp, "export.json")
        support.write_file(exported, self.run_ok(["track", "export"]).stdout.encode())
        other = dict(self.env, PKGSIZER_HISTORY=os.path.join(self.tmp, "other.sqlite3"))
        proc = support.run_pkgsizer(["track", "import", exported], env=other)
        self.assertEqual(proc.returncode, support.EXIT_OK, support.describe(proc))
        proc = support.run_pkgsizer(["track", "show", "@latest", "--json"], env=other)
        self.check_model(json.loads(proc.stdout))

    def test_the_table_shows_the_bytes_as_escapes(self):
        out = self.run_ok(["scan-env", "--site-packages", self.site, "--color", "never"]).stdout
        self.assertIn("caf\\xe9", out)
        self.assertIn("1.0\\xff", out)

if __name__ == "__main__":
    unittest.main()
