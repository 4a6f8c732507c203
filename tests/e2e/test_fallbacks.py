"""Distributions without a usable RECORD, legacy egg-info layouts, editable installs, compiled
files RECORD does not list, and PEP 503 names. One tree holds them all, scanned once."""

import os
import re
import unittest

from support import (EXIT_OK, EXT_SUFFIX, assert_reconciles, assert_size, BinaryTestCase, describe,
                     dists_by_name, error_warnings, run_pkgsizer, scan_json, SiteTree, Size,
                     unowned_by_path, write_file)

PKG_INFO = "Metadata-Version: 1.2\nName: {name}\nVersion: {version}\nSummary: test\n"
EDITABLES = ("devpkg", "edit660", "edit660b")


class FallbackTest(BinaryTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        t = cls.tree = SiteTree(cls.tmp)
        cls.owned = {}  # normalized name -> files it must own

        # dist-info without RECORD, with top_level.txt
        cls.owned["nrtl"] = t.dist_info(
            "nrtl", "1.0", {"nrtl_mod/__init__.py": 500, "nrtl_mod/core.py": 800,
                            "nrtl_mod/__pycache__/core.cpython-311.pyc": 600},
            record=False, top_level=["nrtl_mod"])

        # dist-info without RECORD nor top_level.txt: the normalized name
        cls.owned["solo"] = t.dist_info(
            "Solo", "1.0", {"solo/__init__.py": 700, "solo/sub/x.py": 900,
                            "solo/__pycache__/__init__.cpython-311.pyc": 650},
            record=False)
        cls.owned["fastext"] = t.dist_info("fastext", "2.1", {"fastext" + EXT_SUFFIX: 9000},
                                           record=False)
        # Decoys whose names start like those above: nobody owns them.
        cls.decoys = {
            "solo_extra.py": [t.write("solo_extra.py", 111)],
            "soloist": [t.write("soloist/__init__.py", 222)],
            "fastextra" + EXT_SUFFIX: [t.write("fastextra" + EXT_SUFFIX, 333)],
            "fastext_helper.py": [t.write("fastext_helper.py", 444)],
            "singleton.py": [t.write("singleton.py", 555)],
            "__pycache__": [t.write("__pycache__/solo_extra.cpython-311.pyc", 123),
                            t.write("__pycache__/singleton.cpython-311.pyc", 321)],
        }

        # .egg-info directory with installed-files.txt (paths relative to the egg-info dir)
        egg = "eggy-2.0-py3.11.egg-info"
        eggy = [t.write("eggy/__init__.py", 1200), t.write("eggy/data.txt", 3400),
                t.write("eggy/__pycache__/__init__.cpython-311.pyc", 900),
                t.write("../../../bin/eggy-tool", 150),
                t.write(f"{egg}/PKG-INFO", PKG_INFO.format(name="eggy", version="2.0")),
                t.write(f"{egg}/top_level.txt", "eggy\n"),
                t.write(f"{egg}/SOURCES.txt", "setup.py\neggy/__init__.py\n")]
        listed = ["../eggy/__init__.py", "../eggy/data.txt",
                  "../eggy/__pycache__/__init__.cpython-311.pyc", "../../../../bin/eggy-tool",
                  "PKG-INFO", "SOURCES.txt", "top_level.txt", "installed-files.txt"]
        eggy.append(t.write(f"{egg}/installed-files.txt", "\n".join(listed) + "\n"))
        cls.owned["eggy"] = eggy
        cls.eggy_outside = Size([t.path("../../../bin/eggy-tool")])
        # In the package directory but not in installed-files.txt: not eggy's.
        cls.decoys["eggy"] = [t.write("eggy/unlisted.txt", 777)]

        # .egg-info directory with top_level.txt only
        egg = "topo-1.0-py3.11.egg-info"
        cls.owned["topo"] = [
            t.write("topo_impl/__init__.py", 1300), t.write("topo_impl/x.py", 1700),
            t.write("topo_extra.py", 1900),
            t.write("__pycache__/topo_extra.cpython-311.pyc", 1000),
            t.write("__pycache__/topo_extra.cpython-311.opt-1.pyc", 1001),
            t.write(f"{egg}/PKG-INFO", PKG_INFO.format(name="topo", version="1.0")),
            t.write(f"{egg}/top_level.txt", "topo_impl\ntopo_extra\n"),
            t.write(f"{egg}/SOURCES.txt", "setup.py\n")]

        # single-file .egg-info (PKG-INFO format): the normalized name
        cls.owned["single"] = [
            t.write("single.py", 2100), t.write("__pycache__/single.cpython-311.pyc", 1100),
            t.write("single-1.5-py3.11.egg-info", PKG_INFO.format(name="single", version="1.5"))]

        # .egg-link (setup.py develop): the sources live in a project directory elsewhere
        cls.devproj = os.path.join(cls.tmp, "devproj")
        write_file(os.path.join(cls.devproj, "devpkg.egg-info", "PKG-INFO"),
                   PKG_INFO.format(name="devpkg", version="0.3"))
        write_file(os.path.join(cls.devproj, "devpkg.egg-info", "top_level.txt"), "devpkg\n")
        write_file(os.path.join(cls.devproj, "devpkg", "__init__.py"), 5000)
        cls.egg_link = t.write("devpkg.egg-link", f"{cls.devproj}\n.")
        t.write("easy-install.pth", f"{cls.devproj}\n")

        # PEP 660 editable installs: with direct_url.json, and with only the __editable__ .pth
        cls.proj660 = os.path.join(cls.tmp, "edit660proj")
        write_file(os.path.join(cls.proj660, "src", "edit660", "__init__.py"), 6000)
        cls.owned["edit660"] = t.dist_info(
            "edit660", "1.0",
            {"__editable__.edit660-1.0.pth": os.path.join(cls.proj660, "src") + "\n"},
            direct_url={"url": "file://" + cls.proj660, "dir_info": {"editable": True}})
        cls.proj660b = os.path.join(cls.tmp, "edit660b")
        write_file(os.path.join(cls.proj660b, "edit660b.py"), 100)
        cls.owned["edit660b"] = t.dist_info(
            "edit660b", "2.0", {"__editable__.edit660b-2.0.pth": cls.proj660b + "\n"})

        # RECORD without the compiled files, which lie beside the sources all the same
        cls.owned["pycd"] = t.dist_info(
            "pycd", "1.0", {"pycd/__init__.py": 400, "pycd/mod.py": 2200, "pycd_top.py": 350})
        cls.owned["pycd"] += [
            t.write("pycd/__pycache__/__init__.cpython-311.pyc", 410),
            t.write("pycd/__pycache__/mod.cpython-311.pyc", 2210),
            t.write("pycd/__pycache__/mod.cpython-311.opt-1.pyc", 2211),
            # no pycd/gone.py: belongs to the owner of the package directory
            t.write("pycd/__pycache__/gone.cpython-311.pyc", 1500),
            t.write("__pycache__/pycd_top.cpython-311.pyc", 360)]

        # PEP 503 names
        cls.owned["pyyaml"] = t.dist_info("PyYAML", "6.0.1", {"yaml/__init__.py": 3000},
                                          dirname="PyYAML-6.0.1.dist-info")
        cls.owned["typing-extensions"] = t.dist_info(
            "typing_extensions", "4.9.0", {"typing_extensions.py": 3100},
            dirname="typing_extensions-4.9.0.dist-info")
        cls.owned["zope-interface"] = t.dist_info(
            "zope.interface", "6.1", {"zope/interface/__init__.py": 3200},
            dirname="zope.interface-6.1.dist-info")

        cls.model, cls.proc = scan_json(None, ["--site-packages", t.site])
        cls.dists = dists_by_name(cls.model)

    def dist(self, name):
        self.assertIn(name, self.dists, f"{name} not found; got {sorted(self.dists)}")
        return self.dists[name]

    def test_all_found_without_errors(self):
        self.assertEqual(set(self.dists), set(self.owned) | {"devpkg"})
        self.assertEqual(error_warnings(self.model), [])

    def test_sizes_exact(self):
        for name, files in self.owned.items():
            with self.subTest(name):
                assert_size(self, self.dist(name), Size(files), name)

    def test_dist_info_without_record_uses_top_level(self):
        d = self.dist("nrtl")
        self.assertEqual(d["files_source"], "top_level.txt")
        self.assertEqual(d["metadata_kind"], "dist-info")
        self.assertEqual(d["top_level"], ["nrtl_mod"])

    def test_dist_info_without_record_nor_top_level_uses_name(self):
        for name in ("solo", "fastext"):
            with self.subTest(name):
                self.assertEqual(self.dist(name)["files_source"], "name")
        self.assertEqual(self.dist("solo")["name"], "Solo")
        self.assertEqual(self.dist("fastext")["version"], "2.1")

    def test_decoys_are_unowned(self):
        unowned = unowned_by_path(self.model)
        for path, files in self.decoys.items():
            with self.subTest(path):
                self.assertIn(path, unowned, f"unowned entries: {sorted(unowned)}")
                assert_size(self, unowned[path], Size(files), path)

    def test_egg_info_with_installed_files(self):
        d = self.dist("eggy")
        self.assertEqual(d["files_source"], "installed-files.txt")
        self.assertEqual(d["metadata_kind"], "egg-info")
        self.assertEqual(d["version"], "2.0")
        self.assertEqual(d["outside_bytes"], self.eggy_outside.apparent_bytes)
        self.assertTrue(d["metadata_path"].endswith("eggy-2.0-py3.11.egg-info"))

    def test_egg_info_with_top_level_only(self):
        d = self.dist("topo")
        self.assertEqual(d["files_source"], "top_level.txt")
        self.assertEqual(d["metadata_kind"], "egg-info")
        self.assertEqual(sorted(d["top_level"]), ["topo_extra", "topo_impl"])

    def test_single_file_egg_info(self):
        d = self.dist("single")
        self.assertEqual(d["metadata_kind"], "egg-info-file")
        self.assertEqual(d["files_source"], "name")
        self.assertEqual(d["version"], "1.5")

    def test_egg_link(self):
        d = self.dist("devpkg")
        self.assertEqual(d["metadata_kind"], "egg-link")
        self.assertTrue(d["editable"])
        self.assertEqual(d["version"], "0.3")
        self.assertEqual(os.path.realpath(d["editable_target"]), os.path.realpath(self.devproj))
        self.assertNotIn("devpkg.egg-link", unowned_by_path(self.model))
        self.assertGreaterEqual(d["apparent_bytes"], os.lstat(self.egg_link).st_size)

    def test_pep660_editable(self):
        d = self.dist("edit660")
        self.assertTrue(d["editable"])
        self.assertIn(os.path.realpath(d["editable_target"]),
                      (self.proj660, os.path.join(self.proj660, "src")))
        d = self.dist("edit660b")
        self.assertTrue(d["editable"], "__editable__.edit660b-2.0.pth marks it editable")
        self.assertEqual(os.path.realpath(d["editable_target"]), self.proj660b)
        for name in set(self.dists) - set(EDITABLES):
            self.assertFalse(self.dists[name]["editable"], name)

    def test_pyc_not_in_record(self):
        d = self.dist("pycd")
        self.assertEqual(d["files_source"], "RECORD")
        self.assertEqual(d["missing_files"], 0)

    def test_pep503_names(self):
        for normalized, raw in (("pyyaml", "PyYAML"), ("typing-extensions", "typing_extensions"),
                                ("zope-interface", "zope.interface")):
            with self.subTest(raw):
                self.assertEqual(self.dist(normalized)["name"], raw)

    def test_package_filter_on_pep503_names(self):
        for query, expected in (("pyyaml", "pyyaml"), ("PYYAML", "pyyaml"),
                                ("Typing-Extensions", "typing-extensions"),
                                ("typing.extensions", "typing-extensions"),
                                ("zope_interface", "zope-interface"),
                                ("Zope.Interface", "zope-interface")):
            with self.subTest(query):
                model, _ = scan_json(self, ["--site-packages", self.tree.site, "-p", query])
                self.assertEqual([d["normalized_name"] for d in model["distributions"]], [expected])

    def test_reconciles(self):
        assert_reconciles(self, self.model, self.tree.site)

    # --- --include-editable ------------------------------------------------------------------

    def test_default_marks_editables(self):
        for name in EDITABLES:
            self.assertTrue(self.dist(name)["editable"], name)

    def test_include_editable_exclude(self):
        model, _ = scan_json(self, ["--site-packages", self.tree.site, "--include-editable", "exclude"])
        names = {d["normalized_name"] for d in model["distributions"]}
        self.assertEqual(names, set(self.dists) - set(EDITABLES))
        self.assertEqual(model["totals"]["distributions"], len(names))
        kept = [p for n, files in self.owned.items() if n not in EDITABLES for p in files]
        assert_size(self, model["totals"]["selected"], Size(kept), "totals.selected")

    def test_include_editable_include(self):
        model, _ = scan_json(self, ["--site-packages", self.tree.site, "--include-editable", "include"])
        dists = dists_by_name(model)
        self.assertEqual(set(dists), set(self.dists))
        for name in EDITABLES:
            self.assertEqual(dists[name]["apparent_bytes"], self.dists[name]["apparent_bytes"])
        self.assertEqual(model["totals"]["selected"], self.model["totals"]["selected"])

    def test_mark_shows_in_table(self):
        def line_of(args, name):
            proc = run_pkgsizer(["scan-env", "--site-packages", self.tree.site] + args)
            self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
            lines = [l for l in proc.stdout.splitlines() if re.search(rf"\b{name}\b", l)]
            self.assertEqual(len(lines), 1, proc.stdout)
            return lines[0]
        self.assertNotEqual(line_of(["--include-editable", "mark"], "edit660"),
                            line_of(["--include-editable", "include"], "edit660"),
                            "mark mode should mark editable distributions in the table")
        self.assertEqual(line_of([], "edit660"), line_of(["--include-editable", "mark"], "edit660"))


if __name__ == "__main__":
    unittest.main()
