"""Hard links, symbolic links, shared files and lib64 layouts: every inode counted once."""

import json
import os
import subprocess
import unittest

from support import (EXIT_OK, assert_reconciles, assert_size, BinaryTestCase, describe, dirs_under,
                     dists_by_name, du_sb, error_warnings, lsize, make_tempdir, make_venv,
                     remove_tree, require_binary, run_pkgsizer, scan_json, SiteTree, Size,
                     unowned_by_path, venv_site_packages, write_file)


def followed_size(paths):
    """Apparent bytes of the targets of `paths` (symlinks followed), each inode once."""
    seen, total = set(), 0
    for p in paths:
        st = os.stat(p)
        if (st.st_dev, st.st_ino) not in seen:
            seen.add((st.st_dev, st.st_ino))
            total += st.st_size
    return total


class LinksTest(BinaryTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        t = cls.tree = SiteTree(cls.tmp)
        cls.owned = {}

        # Hard links inside one distribution.
        t.write("hl/a.bin", 10000)
        os.link(t.path("hl/a.bin"), t.path("hl/b.bin"))
        cls.owned["hl"] = t.dist_info("hl", "1.0", {"hl/__init__.py": 100},
                                      existing=["hl/a.bin", "hl/b.bin"])

        # One inode in two distributions.
        cls.owned["hx1"] = t.dist_info("hx1", "1.0", {"hx1/data.bin": 20000})
        os.makedirs(t.path("hx2"))
        os.link(t.path("hx1/data.bin"), t.path("hx2/data.bin"))
        cls.owned["hx2"] = t.dist_info("hx2", "1.0", {"hx2/__init__.py": 50},
                                       existing=["hx2/data.bin"])
        cls.cross_link = Size([t.path("hx1/data.bin")])

        # Symbolic links: to a file beside it, and to a big file outside the tree.
        cls.outside_big = write_file(os.path.join(cls.tmp, "outside", "big.bin"), 100_000)
        t.write("sym/real.txt", 5000)
        os.symlink("real.txt", t.path("sym/link.txt"))
        os.symlink(cls.outside_big, t.path("sym/ext_link"))
        cls.owned["sym"] = t.dist_info("sym", "1.0", {}, existing=["sym/real.txt", "sym/link.txt",
                                                                   "sym/ext_link"])
        # An unowned symlink to a directory: counted as a link, not walked.
        os.symlink("sym", t.path("alias"))
        # An unowned name for an owned inode: the inode is owned, and counted once.
        os.link(t.path("hl/a.bin"), t.path("hl_copy.bin"))

        # A namespace __init__.py listed by two distributions.
        cls.owned["nsa"] = t.dist_info("nsa", "1.0", {"ns/__init__.py": 1500,
                                                      "ns/a/__init__.py": 600})
        cls.owned["nsb"] = t.dist_info("nsb", "1.0", {"ns/__init__.py": 1500,
                                                      "ns/b/mod.py": 700})
        cls.ns_init = Size([t.path("ns/__init__.py")])
        # A PEP 420 namespace directory two distributions put files in: nothing shared.
        cls.owned["nsc"] = t.dist_info("nsc", "1.0", {"pep420/c/__init__.py": 800})
        cls.owned["nsd"] = t.dist_info("nsd", "1.0", {"pep420/d/__init__.py": 900})

        cls.model, _ = scan_json(None, ["--site-packages", t.site])
        cls.dists = dists_by_name(cls.model)

    def test_sizes_exact(self):
        self.assertEqual(set(self.dists), set(self.owned))
        for name, files in self.owned.items():
            with self.subTest(name):
                assert_size(self, self.dists[name], Size(files), name, count=False)

    def test_hardlink_within_distribution_counted_once(self):
        hl = self.dists["hl"]
        self.assertEqual(hl["apparent_bytes"], Size(self.owned["hl"]).apparent_bytes)
        self.assertLess(hl["apparent_bytes"], sum(lsize(p) for p in self.owned["hl"]))
        self.assertEqual(hl["shared_bytes"], 0, "a hard link inside one distribution is not shared")

    def test_hardlink_across_distributions(self):
        for name in ("hx1", "hx2"):
            with self.subTest(name):
                self.assertEqual(self.dists[name]["shared_bytes"], self.cross_link.apparent_bytes)
                self.assertEqual(self.dists[name]["shared_files"], 1)

    def test_shared_namespace_init(self):
        for name in ("nsa", "nsb"):
            with self.subTest(name):
                self.assertEqual(self.dists[name]["shared_bytes"], self.ns_init.apparent_bytes)
                self.assertEqual(self.dists[name]["shared_files"], 1)
        for name in ("nsc", "nsd", "sym"):
            with self.subTest(name):
                self.assertEqual(self.dists[name]["shared_bytes"], 0)
                self.assertEqual(self.dists[name]["shared_files"], 0)

    def test_totals_count_each_inode_once(self):
        t = self.model["totals"]
        everything = [p for files in self.owned.values() for p in files]
        assert_size(self, t["owned"], Size(everything), "totals.owned")
        shared = Size([self.tree.path("hx1/data.bin"), self.tree.path("ns/__init__.py")])
        assert_size(self, t["shared"], shared, "totals.shared")
        self.assertEqual(t["outside"]["apparent_bytes"], 0)
        self.assertEqual(t["selected"], t["owned"])
        assert_size(self, t["directories"], Size(dirs_under(self.tree.site)), "totals.directories")
        # The sum over distributions exceeds owned by exactly the second claims on shared files.
        self.assertEqual(sum(d["apparent_bytes"] for d in self.dists.values()),
                         t["owned"]["apparent_bytes"] + t["shared"]["apparent_bytes"])

    def test_symlinks_not_followed_by_default(self):
        sym = self.dists["sym"]
        t = self.tree
        expected = Size(self.owned["sym"])
        self.assertEqual(sym["apparent_bytes"], expected.apparent_bytes)
        self.assertLess(sym["apparent_bytes"], 100_000, "ext_link was followed")
        unowned = unowned_by_path(self.model)
        self.assertIn("alias", unowned)
        self.assertEqual(unowned["alias"]["apparent_bytes"], lsize(t.path("alias")))

    def test_reconciles_with_du(self):
        assert_reconciles(self, self.model, self.tree.site)

    def test_nested_site_packages_counted_once(self):
        # A directory given inside another one adds no inode twice.
        model, _ = scan_json(self, ["--site-packages", self.tree.site,
                                    "--site-packages", self.tree.path("hl")])
        self.assertEqual(model["totals"], self.model["totals"])
        self.assertEqual(model["totals"]["all"]["apparent_bytes"], du_sb(self.tree.site))

    def test_unowned_hardlink_to_owned_file_not_counted_again(self):
        # The only unowned inode is the `alias` symlink; hl_copy.bin is hl/a.bin.
        assert_size(self, self.model["totals"]["unowned"], Size([self.tree.path("alias")]),
                    "totals.unowned")

    def test_follow_symlinks(self):
        model, _ = scan_json(self, ["--site-packages", self.tree.site, "--follow-symlinks"])
        sym = dists_by_name(model)["sym"]
        self.assertEqual(sym["apparent_bytes"], followed_size(self.owned["sym"]))
        self.assertGreater(sym["apparent_bytes"], 100_000)
        hl = dists_by_name(model)["hl"]
        self.assertEqual(hl["apparent_bytes"], Size(self.owned["hl"]).apparent_bytes)

    def test_follow_symlinks_totals_match_du_dereferenced(self):
        model, _ = scan_json(self, ["--site-packages", self.tree.site, "--follow-symlinks"])
        self.assertEqual(model["totals"]["all"]["apparent_bytes"], du_sb(self.tree.site, follow=True))


class UnownedHardlinkTest(BinaryTestCase):
    """An unowned inode with names in several top-level entries is reported once, under the
    entry whose path sorts first, whichever name the walk's threads met first."""

    def test_same_entry_every_time(self):
        tree = SiteTree(self.tmp)
        names = [f"e{i:02d}/data.bin" for i in range(12)]
        tree.write(names[5], 3000)
        for name in names:
            if name != names[5]:
                os.makedirs(tree.path(os.path.dirname(name)))
                os.link(tree.path(names[5]), tree.path(name))
        for jobs in ["1", "2", "4", "2", "3"]:
            model, _ = scan_json(self, ["--site-packages", tree.site, "--no-cache", "-j", jobs])
            unowned = unowned_by_path(model)
            with self.subTest(jobs=jobs):
                self.assertEqual(unowned["e00"]["apparent_bytes"], 3000, unowned)
                self.assertEqual(unowned["e00"]["file_count"], 1)
                self.assertEqual([p for p in unowned if p.startswith("e") and p != "e00"], [])


class SymlinkCycleTest(unittest.TestCase):

    def setUp(self):
        require_binary()
        self.tmp = make_tempdir()
        self.addCleanup(remove_tree, self.tmp)
        t = self.tree = SiteTree(self.tmp)
        self.cyc = t.dist_info("cyc", "1.0", {"cyc/__init__.py": 1000, "cyc/sub/x.py": 200})
        os.symlink(".", t.path("cyc/loop"))
        os.symlink("..", t.path("cyc/sub/back"))
        os.symlink(".", t.path("selfloop"))
        os.symlink(self.tmp, t.path("up"))  # up to an ancestor of site-packages
        os.symlink("dangling_b", t.path("dangling_a"))
        os.symlink("dangling_a", t.path("dangling_b"))

    def run_scan(self, *extra):
        proc = run_pkgsizer(["scan-env", "--site-packages", self.tree.site, "--json", "-"] + list(extra),
                            timeout=60)
        return proc

    def test_follow_symlinks_terminates_on_cycles(self):
        try:
            proc = self.run_scan("--follow-symlinks")
        except subprocess.TimeoutExpired:
            self.fail("--follow-symlinks did not finish within 60 s on a symlink cycle")
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        model = json.loads(proc.stdout)
        self.assertEqual(dists_by_name(model)["cyc"]["apparent_bytes"], Size(self.cyc).apparent_bytes)
        self.assertEqual(error_warnings(model), [])

    def test_no_follow_counts_links_only(self):
        model, _ = scan_json(self, ["--site-packages", self.tree.site])
        self.assertEqual(dists_by_name(model)["cyc"]["apparent_bytes"], Size(self.cyc).apparent_bytes)
        assert_reconciles(self, model, self.tree.site)


class Lib64Test(unittest.TestCase):

    def add_dist(self, site, name, size):
        return SiteTree(site, layout=False).dist_info(name, "1.0", {f"{name}/__init__.py": size})

    def setUp(self):
        require_binary()
        self.tmp = make_tempdir()
        self.addCleanup(remove_tree, self.tmp)

    def test_lib64_symlink_counted_once(self):
        venv = make_venv(os.path.join(self.tmp, "venv"), with_pip=False)
        lib64 = os.path.join(venv, "lib64")
        if not os.path.lexists(lib64):
            os.symlink("lib", lib64)
        self.assertTrue(os.path.islink(lib64))
        site = venv_site_packages(venv)
        owned = self.add_dist(site, "only", 12345)
        model, _ = scan_json(self, ["--venv", venv])
        self.assertEqual(model["environment"]["kind"], "venv")
        self.assertEqual(model["environment"]["site_packages"], [os.path.realpath(site)])
        dists = dists_by_name(model)
        self.assertEqual(list(dists), ["only"])
        assert_size(self, dists["only"], Size(owned), "only")
        assert_reconciles(self, model, site)

    def test_real_lib64_directory_scanned_too(self):
        venv = make_venv(os.path.join(self.tmp, "venv"), with_pip=False)
        site = venv_site_packages(venv)
        lib64 = os.path.join(venv, "lib64")
        if os.path.lexists(lib64):
            os.remove(lib64)
        site64 = os.path.join(lib64, os.path.relpath(site, os.path.join(venv, "lib")))
        os.makedirs(site64)
        owned = self.add_dist(site, "purelib", 1111)
        owned64 = self.add_dist(site64, "platlib", 2222)
        model, _ = scan_json(self, ["--venv", venv])
        self.assertEqual(sorted(model["environment"]["site_packages"]),
                         sorted([os.path.realpath(site), os.path.realpath(site64)]))
        dists = dists_by_name(model)
        assert_size(self, dists["purelib"], Size(owned), "purelib")
        assert_size(self, dists["platlib"], Size(owned64), "platlib")
        self.assertEqual(dists["platlib"]["location"], os.path.realpath(site64))
        self.assertEqual(model["totals"]["all"]["apparent_bytes"], du_sb(site) + du_sb(site64))


if __name__ == "__main__":
    unittest.main()
