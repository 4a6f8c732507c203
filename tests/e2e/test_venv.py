"""Real virtual environments made with `python -m venv`, wheels built here and installed by
pip: finding the environment every way the spec allows, exact sizes against pip's own RECORD,
system-site-packages inheritance, unreadable directories and the module tree."""

import json
import os
import subprocess
import sys
import unittest

from support import (EXIT_NO_ENV, EXIT_OK, EXIT_PARTIAL, EXT_SUFFIX, assert_reconciles, assert_size,
                     base_env, BinaryTestCase, describe, dists_by_name, error_warnings,
                     expected_record_files, files_under, lsize, make_tempdir, make_venv, make_wheel,
                     normalize, payload, pip_install, remove_tree, require_binary, run_pkgsizer,
                     scan_json, SiteTree, Size, unprivileged_kwargs, venv_python,
                     venv_site_packages)

PYXY = f"python{sys.version_info.major}.{sys.version_info.minor}"


def build_wheels(directory):
    make_wheel(directory, "tinydep", "1.0", {
        "tinydep/__init__.py": "def main():\n    print('tinydep')\n",
        "tinydep/data/blob.bin": payload(20000, "blob"),
    }, entry_points="[console_scripts]\ntinydep = tinydep:main\n")
    make_wheel(directory, "TinyApp", "2.0", {
        "tinyapp/__init__.py": "from . import core\n",
        "tinyapp/core.py": "VALUE = 42\n" * 300,
        "tinyapp/_speed" + EXT_SUFFIX: payload(30000, "speed"),
        "tinyapp-2.0.data/data/share/tinyapp/readme.txt": payload(1234, "readme"),
    }, requires=["tinydep>=1.0"])
    make_wheel(directory, "tinyns_a", "0.5", {
        "tinyns/a/__init__.py": "",
        "tinyns/a/impl.py": "def f():\n    return 1\n" * 40,
    })


def installed_dist_infos(site):
    return sorted(d for d in os.listdir(site) if d.endswith(".dist-info"))


def find_node(nodes, name):
    for node in nodes:
        if node["name"] == name:
            return node
    raise AssertionError(f"no module node {name!r} among {[n['name'] for n in nodes]}")


def tree_depth(nodes):
    return 0 if not nodes else 1 + max(tree_depth(n.get("children", [])) for n in nodes)


class VenvTest(BinaryTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.wheels = os.path.join(cls.tmp, "wheels")
        build_wheels(cls.wheels)
        cls.venv = make_venv(os.path.join(cls.tmp, "venv"))
        pip_install(cls.venv, cls.wheels, "TinyApp", "tinyns-a")
        # Settle the tree: nothing may change between the scans and the expected sizes.
        subprocess.run([venv_python(cls.venv), "-c", "pass"], check=True, env=base_env())
        cls.site = venv_site_packages(cls.venv)
        cls.model, _ = scan_json(None, ["--venv", cls.venv])
        cls.dists = dists_by_name(cls.model)

    def summary(self, model):
        return sorted((d["normalized_name"], d["version"], d["apparent_bytes"], d["disk_bytes"],
                       d["file_count"]) for d in model["distributions"])

    # --- finding the environment -------------------------------------------------------------

    def test_venv_environment(self):
        env = self.model["environment"]
        self.assertEqual(env["kind"], "venv")
        self.assertEqual(os.path.realpath(env["prefix"]), os.path.realpath(self.venv))
        self.assertEqual(env["site_packages"], [os.path.realpath(self.site)])
        self.assertFalse(env["include_system_site_packages"])
        self.assertTrue(env["python_version"].startswith(f"{sys.version_info.major}.{sys.version_info.minor}"))

    def test_virtual_env_variable(self):
        model, _ = scan_json(self, [], env={"VIRTUAL_ENV": self.venv})
        self.assertEqual(model["environment"]["kind"], "venv")
        self.assertEqual(self.summary(model), self.summary(self.model))

    def test_python_option(self):
        model, _ = scan_json(self, ["--python", venv_python(self.venv)])
        self.assertEqual(model["environment"]["kind"], "venv")
        self.assertEqual(self.summary(model), self.summary(self.model))

    def test_python3_on_path(self):
        path = os.path.join(self.venv, "bin") + os.pathsep + os.environ.get("PATH", "/usr/bin:/bin")
        model, _ = scan_json(self, [], env={"PATH": path})
        self.assertEqual(self.summary(model), self.summary(self.model))

    def test_precedence(self):
        missing = os.path.join(self.tmp, "missing")
        # --venv wins over $VIRTUAL_ENV
        model, _ = scan_json(self, ["--venv", self.venv], env={"VIRTUAL_ENV": missing})
        self.assertEqual(self.summary(model), self.summary(self.model))
        # $VIRTUAL_ENV wins over $CONDA_PREFIX
        model, _ = scan_json(self, [], env={"VIRTUAL_ENV": self.venv, "CONDA_PREFIX": missing})
        self.assertEqual(self.summary(model), self.summary(self.model))
        # --site-packages wins over everything
        other = SiteTree(os.path.join(self.tmp, "other-site"), layout=False)
        other.dist_info("lonely", "1.0", {"lonely.py": 10})
        model, _ = scan_json(self, ["--site-packages", other.site],
                             env={"VIRTUAL_ENV": self.venv})
        self.assertEqual([d["normalized_name"] for d in model["distributions"]], ["lonely"])
        self.assertEqual(model["environment"]["kind"], "site-packages")
        # --python wins over $VIRTUAL_ENV
        model, _ = scan_json(self, ["--python", venv_python(self.venv)],
                             env={"VIRTUAL_ENV": missing})
        self.assertEqual(self.summary(model), self.summary(self.model))

    def test_conda_prefix(self):
        prefix = os.path.join(self.tmp, "conda-env")
        os.makedirs(os.path.join(prefix, "conda-meta"), exist_ok=True)
        with open(os.path.join(prefix, "conda-meta", "history"), "w") as f:
            f.write("==> 2024-01-01 00:00:00 <==\n")
        tree = SiteTree(os.path.join(prefix, "lib", PYXY, "site-packages"), layout=False)
        owned = tree.dist_info("condadist", "3.2", {"condadist/__init__.py": 4444},
                               installer="conda")
        model, _ = scan_json(self, [], env={"CONDA_PREFIX": prefix})
        self.assertEqual(model["environment"]["kind"], "conda")
        dists = dists_by_name(model)
        self.assertEqual(list(dists), ["condadist"])
        assert_size(self, dists["condadist"], Size(owned), "condadist")
        self.assertEqual(dists["condadist"]["installer"], "conda")
        model, _ = scan_json(self, ["--venv", prefix])
        self.assertEqual(model["environment"]["kind"], "conda")
        self.assertEqual(list(dists_by_name(model)), ["condadist"])

    def test_venv_option_on_a_file_exit_3(self):
        proc = run_pkgsizer(["scan-env", "--venv", os.path.join(self.venv, "pyvenv.cfg")])
        self.assertEqual(proc.returncode, EXIT_NO_ENV, describe(proc))
        self.assertTrue(proc.stderr.startswith("pkgsizer: error:"), describe(proc))
        self.assertEqual(len(proc.stderr.splitlines()), 1, describe(proc))

    def test_python_that_is_not_python_exit_3(self):
        fake = os.path.join(self.tmp, "fakebin", "python3")
        os.makedirs(os.path.dirname(fake), exist_ok=True)
        with open(fake, "w") as f:
            f.write("#!/bin/sh\nexit 1\n")
        os.chmod(fake, 0o755)
        proc = run_pkgsizer(["scan-env", "--python", fake])
        self.assertEqual(proc.returncode, EXIT_NO_ENV, describe(proc))
        self.assertTrue(proc.stderr.startswith("pkgsizer: error:"), describe(proc))

    # --- sizes against pip's RECORD ----------------------------------------------------------

    def test_every_distribution_matches_its_record(self):
        infos = installed_dist_infos(self.site)
        self.assertEqual(len(self.dists), len(infos), (sorted(self.dists), infos))
        for info in infos:
            name = normalize(info[:-len(".dist-info")].rsplit("-", 1)[0])
            with self.subTest(name):
                self.assertIn(name, self.dists)
                files = expected_record_files(self.site, info)
                d = self.dists[name]
                assert_size(self, d, Size(files), name)
                outside = [p for p in files if not p.startswith(self.site + os.sep)]
                self.assertEqual(d["outside_bytes"], Size(outside).apparent_bytes, name)
                self.assertEqual(d["files_source"], "RECORD")
                self.assertEqual(d["missing_files"], 0)

    def test_installed_set(self):
        self.assertTrue({"pip", "tinyapp", "tinydep", "tinyns-a"} <= set(self.dists),
                        sorted(self.dists))
        self.assertEqual(self.dists["pip"]["installer"], "pip")
        self.assertEqual(self.dists["tinyapp"]["name"], "TinyApp")

    def test_dependency_metadata(self):
        app, dep = self.dists["tinyapp"], self.dists["tinydep"]
        self.assertEqual(app["requires_dist"], ["tinydep>=1.0"])
        self.assertTrue(app["requested"], "pip writes REQUESTED for what was asked for")
        self.assertFalse(dep["requested"], "tinydep came in as a dependency")
        self.assertEqual(dep["outside_bytes"], lsize(os.path.join(self.venv, "bin", "tinydep")))
        self.assertEqual(app["outside_bytes"],
                         lsize(os.path.join(self.venv, "share", "tinyapp", "readme.txt")))
        for d in (app, dep):
            self.assertEqual(d["location"], os.path.realpath(self.site))
            self.assertFalse(d["inherited"])
            self.assertFalse(d["editable"])

    def test_reconciles_with_du(self):
        # The venv has lib64 -> lib: the site-packages directory is counted once.
        self.assertTrue(os.path.islink(os.path.join(self.venv, "lib64"))
                        or not os.path.exists(os.path.join(self.venv, "lib64")))
        assert_reconciles(self, self.model, self.site)

    def test_table(self):
        proc = run_pkgsizer(["scan-env", "--venv", self.venv])
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        for name in ("pip", "TinyApp", "tinydep"):
            self.assertRegex(proc.stdout, rf"(?i)\b{name}\b")

    # --- module tree -------------------------------------------------------------------------

    def test_no_modules_without_tree(self):
        for d in self.model["distributions"]:
            self.assertFalse(d.get("modules"), d["normalized_name"])

    def test_module_tree(self):
        model, _ = scan_json(self, ["--venv", self.venv, "--tree"])
        dists = dists_by_name(model)

        app = dists["tinyapp"]["modules"]
        self.assertEqual([n["name"] for n in app], ["tinyapp"])
        pkg = find_node(app, "tinyapp")
        self.assertEqual(pkg["kind"], "package")
        assert_size(self, pkg, Size(files_under(os.path.join(self.site, "tinyapp"))), "tinyapp node")
        children = pkg["children"]
        core = find_node(children, "core")
        self.assertEqual(core["kind"], "module")
        self.assertGreaterEqual(core["apparent_bytes"], lsize(os.path.join(self.site, "tinyapp", "core.py")))
        speed = [c for c in children if c["name"].startswith("_speed")]
        self.assertEqual(len(speed), 1, [c["name"] for c in children])
        self.assertEqual(speed[0]["kind"], "extension")
        self.assertEqual(speed[0]["apparent_bytes"],
                         lsize(os.path.join(self.site, "tinyapp", "_speed" + EXT_SUFFIX)))
        self.assertLessEqual(sum(c["apparent_bytes"] for c in children), pkg["apparent_bytes"])

        ns = dists["tinyns-a"]["modules"]
        self.assertEqual(tree_depth(ns), 2, "--tree shows two levels")
        top = find_node(ns, "tinyns")
        self.assertEqual(top["kind"], "namespace")
        a = find_node(top["children"], "a")
        self.assertEqual(a["kind"], "package")
        assert_size(self, a, Size(files_under(os.path.join(self.site, "tinyns", "a"))), "tinyns.a")
        self.assertEqual(top["apparent_bytes"], a["apparent_bytes"])

        dep = find_node(dists["tinydep"]["modules"], "tinydep")
        self.assertEqual(dep["kind"], "package")
        assert_size(self, dep, Size(files_under(os.path.join(self.site, "tinydep"))), "tinydep node")
        self.assertIn("data", [c["name"] for c in dep["children"]])

        # Module sizes never exceed the distribution's, and together cover its packages.
        for name, d in dists.items():
            with self.subTest(name):
                total = sum(n["apparent_bytes"] for n in d["modules"])
                self.assertLessEqual(total, d["apparent_bytes"])

    def test_tree_table(self):
        proc = run_pkgsizer(["scan-env", "--venv", self.venv, "--tree", "-p", "tinyapp"])
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        self.assertRegex(proc.stdout, r"\bcore\b", describe(proc))
        self.assertRegex(proc.stdout, r"\b_speed\b", describe(proc))

    def test_module_depth(self):
        for depth in (1, 2):
            with self.subTest(depth=depth):
                model, _ = scan_json(self, ["--venv", self.venv, "--module-depth", str(depth)])
                dists = dists_by_name(model)
                self.assertEqual(tree_depth(dists["tinyns-a"]["modules"]), depth)
                top = find_node(dists["tinyns-a"]["modules"], "tinyns")
                self.assertEqual(top["kind"], "namespace")
                pkg = find_node(dists["tinyapp"]["modules"], "tinyapp")
                assert_size(self, pkg, Size(files_under(os.path.join(self.site, "tinyapp"))),
                            f"tinyapp node at depth {depth}")
        model, _ = scan_json(self, ["--venv", self.venv, "--tree", "--module-depth", "3"])
        self.assertEqual(tree_depth(dists_by_name(model)["tinyns-a"]["modules"]), 3)


class SystemSitePackagesTest(BinaryTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.wheels = os.path.join(cls.tmp, "wheels")
        build_wheels(cls.wheels)
        cls.venv = make_venv(os.path.join(cls.tmp, "sysvenv"), with_pip=False,
                             system_site_packages=True)
        # Install with the interpreter's own pip into the venv's prefix (the venv has no pip).
        proc = subprocess.run(
            [venv_python(cls.venv), "-m", "pip", "--version"], capture_output=True, env=base_env())
        if proc.returncode != 0:
            raise unittest.SkipTest("no pip reachable from a system-site-packages venv")
        subprocess.run([venv_python(cls.venv), "-m", "pip", "install", "--disable-pip-version-check",
                        "--no-index", "--no-cache-dir", "--find-links", cls.wheels, "--no-deps",
                        "--ignore-installed", "tinydep"],
                       check=True, capture_output=True, env=base_env())
        cls.site = venv_site_packages(cls.venv)
        out = subprocess.run(
            [venv_python(cls.venv), "-c",
             "import json, site, sys\n"
             "print(json.dumps([p for p in site.getsitepackages()"
             " if not p.startswith(sys.prefix + '/')]))"],
            check=True, capture_output=True, text=True, env=base_env()).stdout
        cls.base_dirs = [os.path.realpath(p) for p in json.loads(out) if os.path.isdir(p)]
        cls.base_names = set()
        for d in cls.base_dirs:
            for entry in os.listdir(d):
                for suffix in (".dist-info", ".egg-info"):
                    if entry.endswith(suffix):
                        cls.base_names.add(normalize(entry[:-len(suffix)].split("-")[0]))

    def test_pyvenv_cfg_says_system_site(self):
        with open(os.path.join(self.venv, "pyvenv.cfg")) as f:
            self.assertIn("include-system-site-packages = true", f.read())

    def test_inherited_absent_by_default(self):
        model, _ = scan_json(self, ["--venv", self.venv])
        self.assertTrue(model["environment"]["include_system_site_packages"])
        self.assertEqual([d["normalized_name"] for d in model["distributions"]], ["tinydep"])
        self.assertFalse(model["distributions"][0]["inherited"])
        self.assertEqual(model["environment"]["site_packages"], [os.path.realpath(self.site)])
        assert_reconciles(self, model, self.site)

    def test_inherited_present_with_flag(self):
        if not self.base_names:
            self.skipTest(f"the base interpreter has no distributions in {self.base_dirs}")
        model, _ = scan_json(self, ["--venv", self.venv, "--include-system-site-packages"])
        env = model["environment"]
        dists = model["distributions"]
        inherited = {d["normalized_name"] for d in dists if d["inherited"]}
        own = {d["normalized_name"] for d in dists if not d["inherited"]}
        self.assertEqual(own, {"tinydep"})
        self.assertTrue(self.base_names <= inherited, sorted(self.base_names - inherited))
        for d in dists:
            if d["inherited"]:
                self.assertIn(d["location"], env["inherited_site_packages"], d["normalized_name"])
        for base in self.base_dirs:
            self.assertIn(base, env["inherited_site_packages"])
        self.assertNotIn(os.path.realpath(self.site), env["inherited_site_packages"])
        self.assertEqual(model["totals"]["distributions"], len(dists))


class UnreadableDirectoryTest(unittest.TestCase):

    def setUp(self):
        require_binary()
        self.tmp = make_tempdir()
        self.addCleanup(remove_tree, self.tmp)
        python = None
        if os.geteuid() == 0 and os.access("/usr/bin/python3", os.X_OK):
            python = "/usr/bin/python3"  # `nobody` must be able to reach the base interpreter
        self.venv = make_venv(os.path.join(self.tmp, "venv"), with_pip=False, python=python)
        self.site = venv_site_packages(self.venv)
        tree = SiteTree(self.site, layout=False)
        self.fine = tree.dist_info("fine", "1.0", {"fine/__init__.py": 3333})
        tree.dist_info("lockd", "1.0", {"lockd/__init__.py": 100, "lockd/inner/secret.py": 200})
        tree.write("locked_cache/blob.bin", 5000)

    def test_unreadable_directories_exit_4(self):
        kwargs = unprivileged_kwargs(self.tmp)
        os.chmod(os.path.join(self.site, "locked_cache"), 0)
        os.chmod(os.path.join(self.site, "lockd", "inner"), 0)
        model, proc = scan_json(self, ["--venv", self.venv], expect_rc=EXIT_PARTIAL, **kwargs)
        paths = " ".join(w["path"] for w in error_warnings(model))
        self.assertIn("locked_cache", paths, model["warnings"])
        self.assertIn(os.path.join("lockd", "inner"), paths, model["warnings"])
        self.assertIn("locked_cache", proc.stderr)
        assert_size(self, dists_by_name(model)["fine"], Size(self.fine), "fine")


class SystemInterpreterTest(unittest.TestCase):
    """The interpreter running the tests, scanned as it is: real-world metadata, smoke test."""

    def test_python_option_on_base_interpreter(self):
        require_binary()
        base = getattr(sys, "_base_executable", sys.executable) or sys.executable
        out = subprocess.run([base, "-c", "import json, site; print(json.dumps(site.getsitepackages()))"],
                             check=True, capture_output=True, text=True, env=base_env()).stdout
        dirs = sorted({os.path.realpath(p) for p in json.loads(out) if os.path.isdir(p)})
        proc = run_pkgsizer(["scan-env", "--python", base, "--json", "-"], timeout=300)
        self.assertIn(proc.returncode, (EXIT_OK, EXIT_PARTIAL), describe(proc))
        model = json.loads(proc.stdout)
        self.assertIn(model["environment"]["kind"], ("system", "prefix"))
        self.assertEqual(sorted(model["environment"]["site_packages"]), dirs)
        expected = 0
        for d in dirs:
            expected += sum(1 for e in os.listdir(d)
                            if e.endswith((".dist-info", ".egg-info", ".egg-link")))
        self.assertEqual(len(model["distributions"]), expected)
        t = model["totals"]
        assert_reconciles(self, model, dirs[0] if len(dirs) == 1 else None)


if __name__ == "__main__":
    unittest.main()
