"""Name-based claims (top_level.txt, the project name) are guesses: they must not take files
that a RECORD or an installed-files.txt names exactly, and pip's "./" line in
installed-files.txt is the .egg-info directory itself, not a missing file."""

import os
import unittest

from support import SiteTree, assert_reconciles, dists_by_name, lsize, make_tempdir, remove_tree, scan_json


class NamespaceFallbackTest(unittest.TestCase):
    def setUp(self):
        self.root = make_tempdir()
        self.tree = SiteTree(self.root)

    def tearDown(self):
        remove_tree(self.root)

    def test_top_level_namespace_does_not_swallow_exact_claims(self):
        # acme.web comes with a RECORD; acme.db is an egg-info whose top_level.txt says "acme",
        # as setuptools writes it for a namespace package, and nothing else.
        web_files = self.tree.dist_info("acme.web", "1.0", {"acme/web/__init__.py": b"w" * 3000,
                                                            "acme/web/views.py": b"v" * 5000})
        self.tree.write("acme/db/__init__.py", b"d" * 700)
        self.tree.write("acme/db/models.py", b"m" * 900)
        self.tree.write("acme.db-2.0-py3.11.egg-info/PKG-INFO", "Metadata-Version: 2.1\nName: acme.db\nVersion: 2.0\n")
        self.tree.write("acme.db-2.0-py3.11.egg-info/top_level.txt", "acme\n")
        model, _ = scan_json(self, ["--site-packages", self.tree.site, "--no-cache"])
        dists = dists_by_name(model)
        web, db = dists["acme-web"], dists["acme-db"]
        self.assertEqual(web["apparent_bytes"], sum(lsize(path) for path in web_files))
        self.assertEqual(web["shared_files"], 0)
        self.assertEqual(db["files_source"], "top_level.txt")
        egg_info = os.path.join(self.tree.site, "acme.db-2.0-py3.11.egg-info")
        expected_db = 700 + 900 + sum(lsize(os.path.join(egg_info, name)) for name in os.listdir(egg_info))
        self.assertEqual(db["apparent_bytes"], expected_db)
        self.assertEqual(db["shared_files"], 0)
        self.assertEqual(model["totals"]["shared"]["file_count"], 0)
        assert_reconciles(self, model, self.tree.site)

    def test_installed_files_dot_line_is_not_missing(self):
        self.tree.write("legacy/__init__.py", b"x" * 321)
        self.tree.write("legacy-1.0-py3.11.egg-info/PKG-INFO", "Metadata-Version: 2.1\nName: legacy\nVersion: 1.0\n")
        self.tree.write("legacy-1.0-py3.11.egg-info/installed-files.txt",
                        "../legacy/__init__.py\n./\nPKG-INFO\ninstalled-files.txt\n")
        model, _ = scan_json(self, ["--site-packages", self.tree.site, "--no-cache"])
        legacy = dists_by_name(model)["legacy"]
        self.assertEqual(legacy["files_source"], "installed-files.txt")
        self.assertEqual(legacy["missing_files"], 0)
        self.assertEqual(legacy["file_count"], 3)


if __name__ == "__main__":
    unittest.main()
