"""Site directories without a version in their path (Debian's /usr/lib/python3/dist-packages):
the Python version that markers are evaluated for is found — from the interpreter that owns the
directory, its extension modules, or a sibling lib/python3.X — and the JSON says how. Before,
markers were evaluated for Python "3", and `python_version < "3.8"` requirements showed up as
missing dependencies (`--strict` exit 6)."""

import os
import shutil
import unittest

from support import (BinaryTestCase, describe, make_tempdir, remove_tree, run_pkgsizer,
                     scan_json, SiteTree)

OLD_PYTHON_ONLY = 'Requires-Dist: backport; python_version < "3.8"\n'


class DebianLayoutTest(BinaryTestCase):
    def setUp(self):
        self.root = make_tempdir()
        self.addCleanup(remove_tree, self.root)

    def debian_tree(self, so_tag="cpython-311-x86_64-linux-gnu", sibling=None):
        site = os.path.join(self.root, "usr", "lib", "python3", "dist-packages")
        tree = SiteTree(site, layout=False)
        files = {"fast/__init__.py": "from ._speedups import *\n"}
        if so_tag:
            files[f"fast/_speedups.{so_tag}.so"] = b"\x7fELF" + b"\0" * 64
        tree.dist_info("fast", "1.0", files, extra_metadata=OLD_PYTHON_ONLY)
        if sibling:
            os.makedirs(os.path.join(self.root, "usr", "lib", sibling))
        return site

    def missing(self, model):
        return [w["message"] for w in model["warnings"] if w["kind"] == "missing"]

    def test_version_from_extension_modules(self):
        site = self.debian_tree()
        model, _ = scan_json(self, ["--site-packages", site, "--no-cache"])
        self.assertEqual(model["environment"]["python_version"], "3.11")
        self.assertIn("cpython-311", model["environment"]["python_version_source"])
        self.assertEqual(self.missing(model), [])
        proc = run_pkgsizer(["scan-env", "--site-packages", site, "--strict", "--no-cache"])
        self.assertEqual(proc.returncode, 0, describe(proc))

    def test_version_from_a_sibling_directory(self):
        site = self.debian_tree(so_tag=None, sibling="python3.12")
        model, _ = scan_json(self, ["--site-packages", site, "--no-cache"])
        self.assertEqual(model["environment"]["python_version"], "3.12")
        self.assertIn("python3.12", model["environment"]["python_version_source"])
        self.assertEqual(self.missing(model), [])

    @unittest.skipUnless(os.path.isdir("/usr/lib/python3/dist-packages")
                         and os.path.exists("/usr/bin/python3"), "no Debian system Python")
    def test_real_debian_dist_packages(self):
        model, _ = scan_json(self, ["--site-packages", "/usr/lib/python3/dist-packages",
                                    "--no-cache"])
        environment = model["environment"]
        self.assertRegex(environment["python_version"], r"^3\.\d+$")
        self.assertIn("interpreter /usr/bin/python3", environment["python_version_source"])
        # No requirement for an old Python is reported missing on the system's own Python.
        self.assertEqual([m for m in self.missing(model) if "python_version <" in m], [])


if __name__ == "__main__":
    unittest.main()
