"""Views that agree: --exclude-files leaves files out of every size (and --exclude warns when it
is given a file glob), and the README's examples are the real outputs of their commands."""

import os
import unittest

from support import (EXIT_OK, BinaryTestCase, describe, dists_by_name, run_pkgsizer, scan_json,
                     SiteTree)


class ExcludeFilesTest(BinaryTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tree = SiteTree(os.path.join(cls.tmp, "site"), layout=False)
        cls.site = cls.tree.site
        cls.tree.dist_info("numlike", "1.0", {
            "numlike/__init__.py": 10_000,
            "numlike/tests/__init__.py": 0,
            "numlike/tests/test_core.py": 7_000,
            "numlike/__pycache__/__init__.cpython-311.pyc": 3_000,
            "numlike/core/x.py": 100,
        })
        # Compiled after install: not in RECORD, attributed by its source.
        cls.tree.write("numlike/core/__pycache__/x.cpython-311.pyc", 500)
        cls.cache = os.path.join(cls.tmp, "cache")

    def scan(self, *args):
        model, proc = scan_json(self, ["--site-packages", self.site, "--cache-dir", self.cache]
                                + list(args))
        return dists_by_name(model)["numlike"], model, proc

    def test_exclude_files_leaves_bytecode_and_tests_out_of_every_size(self):
        full, full_model, _ = self.scan()
        kept, model, _ = self.scan("--exclude-files", "*.pyc", "--exclude-files", "tests/*")
        self.assertEqual(full["apparent_bytes"] - kept["apparent_bytes"], 7_000 + 3_000 + 500)
        self.assertEqual(full["file_count"] - kept["file_count"], 4)
        self.assertEqual(kept["missing_files"], 0, "left out on purpose is not missing")
        self.assertEqual(full_model["totals"]["selected"]["apparent_bytes"]
                         - model["totals"]["selected"]["apparent_bytes"], 10_500)
        # The cache holds whole scans only: a scan without exclusions is whole again.
        again, _, _ = self.scan()
        self.assertEqual(again["apparent_bytes"], full["apparent_bytes"])

    def test_a_pattern_matches_any_tail_of_the_path(self):
        full, _, _ = self.scan()
        kept, _, _ = self.scan("--exclude-files", "__pycache__/*")
        self.assertEqual(full["apparent_bytes"] - kept["apparent_bytes"], 3_500)
        kept, _, _ = self.scan("--exclude-files", "numlike/core/*")
        self.assertEqual(full["apparent_bytes"] - kept["apparent_bytes"], 600)

    def test_exclude_with_a_file_glob_warns(self):
        proc = run_pkgsizer(["scan-env", "--site-packages", self.site, "--exclude", "*.pyc",
                             "--exclude", "numlike/tests/*", "--exclude", "types-*"])
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        self.assertIn("--exclude '*.pyc' matches distribution names, not files "
                      "(--exclude-files '*.pyc' leaves files out of the sizes)", proc.stderr)
        self.assertIn("--exclude 'numlike/tests/*' matches distribution names", proc.stderr)
        self.assertNotIn("'types-*'", proc.stderr)
        quiet = run_pkgsizer(["scan-env", "--site-packages", self.site, "--exclude", "*.pyc", "-q"])
        self.assertEqual(quiet.stderr, "")


if __name__ == "__main__":
    unittest.main()
