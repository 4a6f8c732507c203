"""The scan cache after a change: the parts of the stored scan that did not change are kept, and
only the others are walked again (src/scan/reuse.*). Every test checks two things: that parts
were in fact reused (the `--timings` line "cache: K of N parts reused"), and that the result
equals a `--no-cache` scan of the same tree, `created_at` aside.

The awkward cases are the ones where a change in one place alters what an unchanged place
holds: a new distribution that claims a file in an untouched directory, a hardlink to one, a
top-level name claimed by a legacy egg-info, a module file rewritten in place.
"""

import json
import os
import re
import subprocess
import time
import unittest

from support import (RACY_WAIT, base_env, CacheTestCase, comparable, describe, dists_by_name,
                     make_venv, make_wheel, payload, pip_install, run_pkgsizer, SiteTree,
                     store_env, venv_python, write_file)

REUSE_LINE = re.compile(r"\(cache: (\d+) of (\d+) parts reused; (\d+) top-level entries walked again\)")
HIT_LINE = "(cache hit: no tree was walked)"


class PartsTestCase(CacheTestCase):
    def scan_timed(self, args, root):
        """A cached scan with --timings: (model, proc)."""
        proc = run_pkgsizer(["scan-env", *args, "--json", "-", "--timings"], env=store_env(root))
        self.assertIn(proc.returncode, (0, 4), describe(proc))
        return json.loads(proc.stdout), proc

    def settle(self, args, root):
        """Wait out the racy window and store a trusted entry; the next scan must be a hit."""
        time.sleep(RACY_WAIT)
        self.scan_timed(args, root)
        _, proc = self.scan_timed(args, root)
        self.assertIn(HIT_LINE, proc.stderr, "the settled tree was not read from the cache")

    def reused_scan(self, args, root, what):
        """The scan after a change: parts must have been reused, and the result be exact.
        Returns (model, reused, total)."""
        model, proc = self.scan_timed(args, root)
        found = REUSE_LINE.search(proc.stderr)
        self.assertIsNotNone(found, f"{what}: no parts were reused\n{proc.stderr}")
        reused, total = int(found.group(1)), int(found.group(2))
        self.assertGreater(reused, 0, f"{what}: {found.group(0)}")
        uncached = run_pkgsizer(["scan-env", *args, "--json", "-", "--no-cache"], env=store_env(root))
        self.assertEqual(uncached.returncode, proc.returncode, describe(uncached))
        self.assertEqual(comparable(model), comparable(json.loads(uncached.stdout)),
                         f"{what}: the scan from reused parts differs from a --no-cache scan")
        return model, reused, total


class VenvPartsTest(PartsTestCase):
    """A real venv with pip-installed wheels: a console script (a file outside site-packages),
    two distributions sharing a namespace directory, and a top-level module."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.wheels = os.path.join(cls.tmp, "wheels")
        make_wheel(cls.wheels, "alpha", "1.0", {
            "alpha/__init__.py": "def main():\n    return 0\n" * 40,
            "alpha/data.bin": payload(9000, "alpha"),
        }, entry_points="[console_scripts]\nalpha-tool = alpha:main\n")
        make_wheel(cls.wheels, "beta", "1.0", {"beta/__init__.py": "B = 1\n" * 300},
                   requires=["alpha"])
        make_wheel(cls.wheels, "ns-one", "1.0", {"nsroot/one/__init__.py": "ONE = 1\n" * 100})
        make_wheel(cls.wheels, "ns-two", "1.0", {"nsroot/two/__init__.py": "TWO = 2\n" * 200})
        make_wheel(cls.wheels, "single", "1.0", {"single.py": "S = 1\n" * 50})
        make_wheel(cls.wheels, "single", "2.0", {"single.py": "S = 2\n" * 500})
        make_wheel(cls.wheels, "gamma", "1.0", {"gamma/__init__.py": "G = 1\n" * 700},
                   requires=["beta"])
        cls.venv = make_venv(os.path.join(cls.tmp, "venv"))
        pip_install(cls.venv, cls.wheels, "alpha", "beta", "ns-one", "ns-two", "single==1.0")
        cls.args = ["--venv", cls.venv]

    def pip(self, *args):
        proc = subprocess.run([venv_python(self.venv), "-m", "pip", *args], capture_output=True,
                              text=True, env=base_env(), timeout=300)
        self.assertEqual(proc.returncode, 0, describe(proc))

    def test_install_uninstall_upgrade(self):
        root = self.new_root()
        self.settle(self.args, root)

        pip_install(self.venv, self.wheels, "gamma")
        model, reused, total = self.reused_scan(self.args, root, "install")
        self.assertEqual(reused, total, "a new distribution in new directories changes no part")
        self.assertIn("gamma", dists_by_name(model))
        self.assertIn("gamma", dists_by_name(model)["beta"]["required_by"])
        self.settle(self.args, root)

        self.pip("uninstall", "-y", "ns-two")
        model, reused, total = self.reused_scan(self.args, root, "uninstall from a namespace")
        self.assertEqual(reused, total - 1, "only the namespace's part is scanned again")
        self.assertNotIn("ns-two", dists_by_name(model))
        self.settle(self.args, root)

        pip_install(self.venv, self.wheels, "single==2.0")
        model, _, _ = self.reused_scan(self.args, root, "upgrade of a top-level module")
        self.assertEqual(dists_by_name(model)["single"]["version"], "2.0")


class SiteTreePartsTest(PartsTestCase):
    """Hand-written trees: each test builds its own and changes it after a trusted entry."""

    def make_tree(self):
        root = self.new_root()
        tree = SiteTree(os.path.join(root, "tree"))
        tree.dist_info("alpha", "1.0", {"alpha/__init__.py": "A = 1\n" * 100,
                                        "alpha/data.bin": payload(7000, "alpha")})
        tree.dist_info("beta", "2.0", {"beta/__init__.py": "B = 2\n" * 200,
                                       "beta/sub/mod.py": "M = 3\n" * 50})
        tree.dist_info("mod", "1.0", {"mod.py": "X = 1\n" * 40})
        tree.write("legacy/__init__.py", "L = 1\n" * 80)  # nobody's, until an egg-info says so
        tree.write("stray.txt", "stray\n")
        args = ["--site-packages", tree.site]
        self.settle(args, root)
        return root, tree, args

    def test_new_distribution_claims_a_file_in_an_unchanged_directory(self):
        root, tree, args = self.make_tree()
        # Rewritten in place, same size: alpha/ itself does not change.
        data = tree.path("alpha/data.bin")
        with open(data, "r+b") as f:
            f.write(payload(7000, "alpha"))
        tree.dist_info("overlay", "1.0", {"overlay/__init__.py": "O = 1\n"},
                       existing=["alpha/data.bin"])
        model, _, _ = self.reused_scan(args, root, "claim into a kept part")
        dists = dists_by_name(model)
        self.assertEqual(dists["alpha"]["shared_bytes"], 7000, "the claimed file is shared")
        self.assertEqual(dists["overlay"]["shared_bytes"], 7000)

    def test_hardlink_into_an_unchanged_directory(self):
        root, tree, args = self.make_tree()
        os.makedirs(tree.path("linker"))
        os.link(tree.path("alpha/data.bin"), tree.path("linker/copy.bin"))
        tree.dist_info("linker", "1.0", {"linker/__init__.py": "K = 1\n"},
                       existing=["linker/copy.bin"])
        model, _, _ = self.reused_scan(args, root, "hardlink")
        # One inode under two names: counted once, and shared by its two owners.
        self.assertEqual(dists_by_name(model)["linker"]["shared_bytes"], 7000)
        self.assertEqual(dists_by_name(model)["alpha"]["shared_bytes"], 7000)

    def test_egg_info_claims_an_unowned_directory_by_name(self):
        root, tree, args = self.make_tree()
        write_file(tree.path("legacy-1.0-py3.11.egg-info"),
                   "Metadata-Version: 1.1\nName: legacy\nVersion: 1.0\n")
        model, _, _ = self.reused_scan(args, root, "egg-info by top-level name")
        legacy = dists_by_name(model)["legacy"]
        self.assertEqual(legacy["file_count"], 2, legacy)  # legacy/__init__.py and the PKG-INFO

    def test_module_rewritten_in_place_is_seen_with_another_change(self):
        root, tree, args = self.make_tree()
        with open(tree.path("mod.py"), "w") as f:
            f.write("X = 2\n" * 400)  # same name, new size: only mod.py's own times change
        tree.write("newcomer.txt", "new\n")
        model, _, _ = self.reused_scan(args, root, "module rewritten")
        self.assertEqual(dists_by_name(model)["mod"]["file_count"], 5)  # mod.py and 4 in .dist-info
        self.assertGreater(dists_by_name(model)["mod"]["apparent_bytes"], 2400)

    def test_module_rewritten_in_place_alone_is_seen(self):
        # Files directly in site-packages are held to their own stamps, on a hit too.
        root, tree, args = self.make_tree()
        with open(tree.path("mod.py"), "w") as f:
            f.write("X = 3\n" * 700)
        model, reused, total = self.reused_scan(args, root, "module rewritten alone")
        self.assertEqual(reused, total - 1, "only the module's part is scanned again")
        self.assertGreater(dists_by_name(model)["mod"]["apparent_bytes"], 4200)

    def test_kept_parts_still_guard_after_a_merge(self):
        root, tree, args = self.make_tree()
        tree.dist_info("gamma", "1.0", {"gamma/__init__.py": "G = 1\n" * 10})
        self.reused_scan(args, root, "install")
        self.settle(args, root)  # the merged entry is trusted: a hit
        tree.write("beta/sub/added.py", "Z = 1\n" * 999)  # deep inside a part kept by the merge
        model, _, _ = self.reused_scan(args, root, "change in a part kept by the merge")
        unowned = [entry["path"] for entry in model["unowned"]]
        self.assertTrue(any(path.endswith("/beta") for path in unowned), unowned)

    def test_problem_of_a_kept_part_is_still_reported(self):
        root = self.new_root()
        tree = SiteTree(os.path.join(root, "tree"))
        tree.dist_info("alpha", "1.0", {"alpha/__init__.py": "A = 1\n"})
        tree.dist_info("broken", "1.0", {"broken/__init__.py": "B = 1\n"},
                       record_rows=[["broken/__init__.py", "", "6", "extra column"]])
        args = ["--site-packages", tree.site]
        self.settle(args, root)
        tree.dist_info("gamma", "1.0", {"gamma/__init__.py": "G = 1\n"})
        model, _, _ = self.reused_scan(args, root, "problem kept")
        self.assertTrue(any("broken" in w.get("path", "") for w in model["warnings"]),
                        model["warnings"])


if __name__ == "__main__":
    unittest.main()
