"""A conda environment built here the way conda lays one out: conda-meta/*.json package records
whose "files" (and "paths_data") list real files of the prefix — a python (a link to this
machine's), a shared library, a Python package — and a pip-installed distribution that no record
lists. Each package's size is checked against the files its record lists, the total against
du -sb of the prefix; found by --venv and by $CONDA_PREFIX; a corrupt record is an error naming
its file."""

import json
import os
import shutil
import sys
import unittest

from support import (EXIT_PARTIAL, assert_reconciles, assert_size, BinaryTestCase, describe,
                     dists_by_name, payload, run_pkgsizer, scan_json, SiteTree, Size, write_file)

SITE = "lib/python3.11/site-packages"


def write_record(prefix, name, version, build, files, *, paths_data=False, requested_spec=""):
    """conda-meta/NAME-VERSION-BUILD.json listing `files` (relative to the prefix)."""
    record = {"name": name, "version": version, "build": build, "build_number": 0,
              "channel": "https://conda.anaconda.org/conda-forge/linux-64", "size": 123456,
              "depends": [], "requested_spec": requested_spec}
    if paths_data:
        # conda >= 4.3 lists the files twice: "files" and paths_data (with sizes).
        record["files"] = files[: len(files) // 2]
        record["paths_data"] = {"paths_version": 1, "paths": [
            {"_path": f, "path_type": "hardlink",
             "size_in_bytes": os.lstat(os.path.join(prefix, f)).st_size} for f in files]}
    else:
        record["files"] = files
    path = os.path.join(prefix, "conda-meta", f"{name}-{version}-{build}.json")
    write_file(path, json.dumps(record, indent=1).encode())
    return path


def build_conda_env(prefix):
    """A conda layout; returns {name: [absolute paths it owns]} computed from what was written."""
    os.makedirs(os.path.join(prefix, "conda-meta"))
    write_file(os.path.join(prefix, "conda-meta", "history"), b"==> 2024-01-01 00:00:00 <==\n")
    owned = {}
    # python: the interpreter (a copy of this machine's) and a link to it, as conda installs it.
    python = os.path.join(prefix, "bin", "python3.11")
    os.makedirs(os.path.dirname(python))
    shutil.copy(os.path.realpath(sys.executable), python)
    os.symlink("python3.11", os.path.join(prefix, "bin", "python"))
    write_file(os.path.join(prefix, "lib", "python3.11", "os.py"), payload(7000, "os"))
    files = ["bin/python3.11", "bin/python", "lib/python3.11/os.py"]
    owned["python"] = [write_record(prefix, "python", "3.11.9", "h0_cpython", files,
                                    requested_spec="python=3.11")] + files
    # libfoo: a non-Python shared library and its links, most of the bytes as in real envs.
    write_file(os.path.join(prefix, "lib", "libfoo.so.1"), payload(250000, "libfoo"))
    os.symlink("libfoo.so.1", os.path.join(prefix, "lib", "libfoo.so"))
    write_file(os.path.join(prefix, "include", "foo.h"), payload(900, "foo.h"))
    files = ["lib/libfoo.so.1", "lib/libfoo.so", "include/foo.h"]
    owned["libfoo"] = [write_record(prefix, "libfoo", "1.2", "hab12_0", files,
                                    paths_data=True)] + files
    # numpy-like: a Python package conda installed, its dist-info listed in its record.
    tree = SiteTree(os.path.join(prefix, SITE), layout=False)
    written = tree.dist_info("condapkg", "2.0", {"condapkg/__init__.py": payload(3000, "cp"),
                                                 "condapkg/_core.so": payload(40000, "core")},
                             installer="conda")
    files = sorted(os.path.relpath(p, prefix) for p in written)
    owned["condapkg"] = [write_record(prefix, "condapkg", "2.0", "py311_0", files)] + files
    # pip-installed on top: in no record.
    written = tree.dist_info("pippkg", "0.3", {"pippkg.py": payload(1500, "pip"),
                                               "pippkg_data/blob.bin": payload(20000, "blob")},
                             installer="pip")
    owned["pippkg"] = [os.path.relpath(p, prefix) for p in written]
    # Unowned: a cache file no package lists.
    write_file(os.path.join(prefix, "pkgs-cache", "leftover.bin"), payload(5555, "left"))
    return {name: [os.path.join(prefix, p) for p in paths] for name, paths in owned.items()}


class CondaEnvironmentTest(BinaryTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.prefix = os.path.join(cls.tmp, "envs", "demo")
        cls.owned = build_conda_env(cls.prefix)
        cls.model, _ = scan_json(None, ["--venv", cls.prefix, "--no-cache"])

    def test_every_package_sized_from_its_record(self):
        self.assertEqual(self.model["environment"]["kind"], "conda")
        dists = dists_by_name(self.model)
        self.assertEqual(sorted(dists), ["condapkg", "libfoo", "pippkg", "python"])
        for name, paths in self.owned.items():
            assert_size(self, dists[name], Size(paths), name)
            self.assertEqual(dists[name]["missing_files"], 0, name)
        self.assertGreater(dists["libfoo"]["apparent_bytes"], 250000)

    def test_installer_of_each(self):
        dists = dists_by_name(self.model)
        self.assertEqual({n: d["installer"] for n, d in dists.items()},
                         {"python": "conda", "libfoo": "conda", "condapkg": "conda",
                          "pippkg": "pip"})
        self.assertEqual(dists["libfoo"]["metadata_kind"], "conda-meta")
        self.assertEqual(dists["libfoo"]["files_source"], "conda-meta")
        self.assertEqual(dists["pippkg"]["metadata_kind"], "dist-info")
        self.assertEqual(dists["libfoo"]["version"], "1.2")

    def test_total_is_du_of_the_prefix(self):
        assert_reconciles(self, self.model, self.prefix)
        unowned = {os.path.relpath(u["path"], self.prefix): u for u in self.model["unowned"]}
        self.assertIn("pkgs-cache", unowned)
        history = Size([os.path.join(self.prefix, "conda-meta", "history")])
        leftover = Size([os.path.join(self.prefix, "pkgs-cache", "leftover.bin")])
        self.assertEqual(self.model["totals"]["unowned"]["apparent_bytes"],
                         history.apparent_bytes + leftover.apparent_bytes)

    def test_conda_prefix_variable(self):
        model, _ = scan_json(self, ["--no-cache"], env={"CONDA_PREFIX": self.prefix})
        self.assertEqual(model["environment"]["kind"], "conda")
        self.assertEqual(model["totals"], self.model["totals"])
        self.assertEqual(sorted(dists_by_name(model)), sorted(dists_by_name(self.model)))

    def test_cached_scan_is_the_same(self):
        model, _ = scan_json(self, ["--venv", self.prefix],
                             env={"XDG_CACHE_HOME": os.path.join(self.tmp, "cache")})
        self.assertEqual(model["totals"], self.model["totals"])

    def test_corrupt_record_is_an_error_naming_the_file(self):
        prefix = os.path.join(self.tmp, "envs", "broken")
        build_conda_env(prefix)
        bad = os.path.join(prefix, "conda-meta", "libfoo-1.2-hab12_0.json")
        write_file(bad, b'{"name": "libfoo", "files": ["lib/libfoo.so.1", 42]}')
        model, proc = scan_json(self, ["--venv", prefix, "--no-cache"], expect_rc=EXIT_PARTIAL)
        self.assertIn(f"{bad}: an entry of \"files\" is not a string", proc.stderr, describe(proc))
        self.assertNotIn("libfoo", dists_by_name(model))
        assert_reconciles(self, model, prefix)  # its files are counted, as unowned
        write_file(bad, b'{"name": "libfoo", "files": [')
        proc = run_pkgsizer(["scan-env", "--venv", prefix, "--no-cache"])
        self.assertEqual(proc.returncode, EXIT_PARTIAL, describe(proc))
        self.assertIn(f"{bad}: not valid JSON", proc.stderr, describe(proc))


if __name__ == "__main__":
    unittest.main()
