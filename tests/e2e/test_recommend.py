"""`pkgsizer recommend`: findings on a real venv made from wheels built here, a project that
imports some of them, and a Debian dist-packages tree. Every finding's bytes are checked
against sizes computed here from the files on disk (os.lstat), or measured (strip)."""

import json
import os
import shutil
import subprocess
import unittest
import zipfile

from browser import PageTestCase, close_shared_browser
from index_server import IndexServer

from support import (BinaryTestCase, EXIT_OK, EXIT_USAGE, Size, SiteTree, expected_record_files,
                     files_under, make_tempdir, make_venv, make_wheel, payload, pip_install,
                     remove_tree, run_pkgsizer, describe, venv_site_packages, write_file)

NATIVE_SOURCE = """
#include <stdio.h>
struct point { int x; int y; };
static int table[64];
int area(struct point a, struct point b) { return (b.x - a.x) * (b.y - a.y); }
int fill(int n) { int s = 0; for (int i = 0; i < n && i < 64; ++i) { table[i] = i * i; s += table[i]; } return s; }
const char *name(void) { return "native"; }
"""

PROJECT_MAIN = '''"""The app. A docstring that says: import deadpkg (no import at all)."""
import os
import usedlib  # a comment: import deaddep
from typing import TYPE_CHECKING
from nsroot.alpha import thing
from . import deadpkg
from .deadpkg import something

if TYPE_CHECKING:
    import typingonly

text = "import deadpkg"


def later():
    import fninner
    return fninner


def plugin():
    import importlib
    return importlib.import_module("dynlib.sub")
'''


def compile_library(directory, name, debug, soname=None):
    source = os.path.join(directory, name + ".c")
    write_file(source, NATIVE_SOURCE)
    output = os.path.join(directory, name + ".so")
    command = ["cc", "-shared", "-fPIC", "-O1", "-o", output, source]
    if debug:
        command.insert(1, "-g")
    if soname:
        command.append(f"-Wl,-soname,{soname}")
    subprocess.run(command, check=True, capture_output=True)
    with open(output, "rb") as f:
        return f.read()


tearDownModule = close_shared_browser


class RecommendVenvTest(PageTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        build = os.path.join(cls.tmp, "build")
        os.makedirs(build)
        cls.unstripped = compile_library(build, "native", debug=True)
        cls.bundled = compile_library(build, "dup", debug=False, soname="libdup.so.1")
        wheels = os.path.join(cls.tmp, "wheels")
        pkg = lambda name, size=2000: {f"{name}/__init__.py": payload(size, name)}
        make_wheel(wheels, "usedlib", "1.0", pkg("usedlib"), requires=["helperdep"])
        make_wheel(wheels, "helperdep", "1.0", pkg("helperdep"))
        make_wheel(wheels, "deadpkg", "1.0", pkg("deadpkg", 30000), requires=["deaddep"])
        make_wheel(wheels, "deaddep", "1.0", pkg("deaddep", 12000))
        make_wheel(wheels, "typingonly", "1.0", pkg("typingonly"))
        make_wheel(wheels, "fninner", "1.0", pkg("fninner"))
        make_wheel(wheels, "dynlib", "1.0", {**pkg("dynlib"), "dynlib/sub.py": "X = 1\n"})
        make_wheel(wheels, "nspkg-alpha", "1.0", {"nsroot/alpha/__init__.py": "thing = 1\n"})
        make_wheel(wheels, "nspkg-beta", "1.0", {"nsroot/beta/__init__.py": payload(5000, "b")})
        make_wheel(wheels, "clitool", "1.0", {"clitool/__init__.py": "def main():\n    pass\n"},
                   entry_points="[console_scripts]\nclitool-run = clitool:main\n")
        make_wheel(wheels, "shipstests", "1.0", {
            "shipstests/__init__.py": "",
            "shipstests/tests/__init__.py": "",
            "shipstests/tests/test_big.py": payload(9000, "t"),
            "shipstests/tests/data/blob.bin": payload(4000, "d"),
            "shipstests/__pycache__/old.cpython-39.pyc": payload(700, "p"),
            "shipstests/include/api.h": payload(300, "h"),
        })
        make_wheel(wheels, "libsa", "1.0", {"libsa/__init__.py": "",
                                            "libsa.libs/libdup-0a1b2c3d.so.1": cls.bundled})
        make_wheel(wheels, "libsb", "1.0", {"libsb/__init__.py": "",
                                            "libsb.libs/libdup-0a1b2c3d.so.1": cls.bundled})
        make_wheel(wheels, "unstripped", "1.0", {"unstripped/__init__.py": "",
                                                 "unstripped/_native.so": cls.unstripped})
        # An old-style editable install: a .pth naming a source directory outside the venv.
        pth_source = os.path.join(cls.tmp, "pthsrc")
        write_file(os.path.join(pth_source, "pthmod", "__init__.py"), "X = 1\n")
        make_wheel(wheels, "pthdist", "1.0", {"pthdist.pth": pth_source + "\n"})
        make_wheel(wheels, "extrapkg", "1.0", pkg("extrapkg"),
                   requires=['heavyextra; extra == "all"'], extra_metadata="Provides-Extra: all\n")
        make_wheel(wheels, "heavyextra", "1.0", pkg("heavyextra", 25000))
        # A CUDA runtime library (any ELF file under that name) on this machine without a GPU.
        make_wheel(wheels, "nvidia-cuda-runtime-cu12", "12.0",
                   {"nvidia/cuda_runtime/lib/libcudart.so.12": cls.bundled,
                    "nvidia/cuda_runtime/__init__.py": ""})
        make_wheel(wheels, "opencv-python", "1.0", {"cv2/__init__.py": payload(60000, "cv")})
        cls.index_dir = os.path.join(cls.tmp, "index")
        cls.headless = make_wheel(cls.index_dir, "opencv-python-headless", "1.0",
                                  {"cv2/__init__.py": payload(15000, "hl")})
        cls.venv = make_venv(os.path.join(cls.tmp, "venv"))
        pip_install(cls.venv, wheels, "extrapkg[all]", "nvidia-cuda-runtime-cu12", "pthdist", "opencv-python", "usedlib", "deadpkg", "typingonly", "fninner", "dynlib",
                    "nspkg-alpha", "nspkg-beta", "clitool", "shipstests", "libsa", "libsb",
                    "unstripped")
        cls.site = venv_site_packages(cls.venv)
        # Leftovers: a stale cache, a removed distribution's directory, metadata without files.
        write_file(os.path.join(cls.site, "__pycache__", "ghost.cpython-39.pyc"), payload(900, "g"))
        write_file(os.path.join(cls.site, "oldpkg", "__init__.py"), payload(1500, "o"))
        tree = SiteTree(cls.site, layout=False)
        tree.dist_info("emptydist", "1.0", {})

        cls.project = os.path.join(cls.tmp, "project")
        write_file(os.path.join(cls.project, "pyproject.toml"),
                   '[project]\nname = "myapp"\nversion = "1"\ndependencies = [\n'
                   '  "usedlib",\n  "deadpkg",\n  "declaredonly",\n  "extrapkg[all]",\n]\n')
        write_file(os.path.join(cls.project, "myapp", "__init__.py"), "")
        write_file(os.path.join(cls.project, "myapp", "main.py"), PROJECT_MAIN)
        write_file(os.path.join(cls.project, "myapp", "deadpkg.py"), "something = 1\n")
        write_file(os.path.join(cls.project, "myapp", "native.py"),
                   "import shipstests, libsa\nimport libsb as b, unstripped\nimport cv2\nimport pthmod\n"
                   "import extrapkg, nvidia.cuda_runtime\n")
        write_file(os.path.join(cls.project, "Makefile"), "run:\n\tclitool-run --fast\n")
        # Also used by the namespace package test: nothing in a hidden directory counts.
        write_file(os.path.join(cls.project, ".hidden", "x.py"), "import nsroot.beta\n")
        cls.result = cls.recommend()

    @classmethod
    def recommend(cls, *extra):
        proc = run_pkgsizer(["recommend", "--venv", cls.venv, "--project", cls.project,
                             "--no-cache", "--json", "-", *extra])
        if proc.returncode != EXIT_OK:
            raise AssertionError(f"recommend failed:{describe(proc)}")
        return json.loads(proc.stdout)

    def findings(self, kind, result=None):
        return [f for f in (result or self.result)["findings"] if f["kind"] == kind]

    def finding(self, kind, word, result=None):
        found = [f for f in self.findings(kind, result) if word in f["title"]]
        self.assertEqual(len(found), 1, f"{kind} {word}: {json.dumps(self.findings(kind, result), indent=1)}")
        return found[0]

    def dist_files(self, name, version="1.0"):
        return expected_record_files(self.site, f"{name}-{version}.dist-info")

    def assert_bytes(self, finding, size, disk=True):
        self.assertEqual(finding["bytes"]["apparent_bytes"], size.apparent_bytes, finding)
        if disk:
            self.assertEqual(finding["bytes"]["disk_bytes"], size.disk_bytes, finding)

    def test_unused_with_the_dependencies_only_it_needs(self):
        unused = self.finding("unused", "deadpkg")
        self.assertEqual(sorted(unused["distributions"]), ["deaddep", "deadpkg"])
        self.assert_bytes(unused, Size(self.dist_files("deadpkg") + self.dist_files("deaddep")))
        self.assertEqual(unused["certainty"], "likely")
        self.assertIn("pip uninstall -y deadpkg deaddep", unused["action"])
        self.assertTrue(any("pyproject.toml:6" in e for e in unused["evidence"]), unused)

    def test_imports_that_count(self):
        names = {n for f in self.findings("unused") for n in f["distributions"]}
        # In a function, importlib.import_module, a namespace portion, a console script run by
        # the Makefile, a required dependency: all used. The relative import, the docstring, the
        # comment and the string do not make deadpkg used.
        for used in ("fninner", "dynlib", "nspkg-alpha", "clitool", "usedlib", "helperdep", "pthdist",
                     "extrapkg", "heavyextra",  # declared as extrapkg[all]: the extra is used
                     "shipstests", "pip", "setuptools"):
            self.assertNotIn(used, names)
        self.assertIn("nspkg-beta", names)  # the other portion of the namespace package

    def test_type_checking_import_is_marked(self):
        finding = self.finding("unused", "typingonly")
        self.assertEqual(finding["certainty"], "check")
        self.assertTrue(any("TYPE_CHECKING" in e and "myapp/main.py:10" in e
                            for e in finding["evidence"]), finding)

    def test_declared_unused_and_undeclared(self):
        declared = {d["requirement"]: d["where"] for d in self.result["declared_unused"]}
        self.assertEqual(declared, {"deadpkg": "pyproject.toml:6", "declaredonly": "pyproject.toml:7"})
        undeclared = {u["name"]: u["imported_at"] for u in self.result["undeclared"]}
        self.assertEqual(undeclared["fninner"], ["myapp/main.py:16"])
        self.assertEqual(undeclared["dynlib"], ["myapp/main.py:22"])
        self.assertEqual(undeclared["nspkg-alpha"], ["myapp/main.py:5"])
        self.assertEqual(undeclared["pthdist"], ["myapp/native.py:4"])  # through its .pth
        self.assertNotIn("usedlib", undeclared)

    def test_tests_shipped_in_a_wheel(self):
        finding = self.finding("bloat", "shipstests: test suites")
        self.assertEqual(finding["glob"], "shipstests/**/tests/**")
        self.assert_bytes(finding, Size(files_under(os.path.join(self.site, "shipstests", "tests"))))

    def test_bytecode_of_another_python_and_headers(self):
        pyc = self.finding("bloat", "shipstests: bytecode of other")
        self.assertEqual(pyc["certainty"], "certain")
        path = os.path.join(self.site, "shipstests", "__pycache__", "old.cpython-39.pyc")
        self.assert_bytes(pyc, Size([path]))
        header = self.finding("bloat", "shipstests: C/C++ headers")
        self.assert_bytes(header, Size([os.path.join(self.site, "shipstests", "include", "api.h")]))

    def test_unstripped_library_saves_what_strip_saves(self):
        finding = self.finding("native", "unstripped: debug sections")
        library = os.path.join(self.site, "unstripped", "_native.so")
        stripped = os.path.join(self.tmp, "stripped.so")
        subprocess.run(["strip", "--strip-debug", "-o", stripped, library], check=True)
        saved = os.lstat(library).st_size - os.lstat(stripped).st_size
        self.assertGreater(saved, 1000)
        # The sections' bytes, headers and names; alignment padding may move a few bytes.
        self.assertLessEqual(abs(finding["bytes"]["apparent_bytes"] - saved), 16,
                             (finding, saved))
        self.assertEqual(finding["certainty"], "certain")
        self.assertIn("strip --strip-debug", finding["action"])

    def test_stripped_library_is_no_finding(self):
        names = [f["title"] for f in self.findings("native")]
        self.assertFalse(any(t.startswith("libsa") or t.startswith("libsb") for t in names), names)

    def test_same_library_bundled_twice(self):
        finding = self.finding("native", "bundled 2 times")
        self.assertIn("libdup.so.1", finding["title"])
        self.assertEqual(sorted(finding["distributions"]), ["libsa", "libsb"])
        self.assertEqual(finding["certainty"], "likely")  # identical contents
        self.assert_bytes(finding, Size([os.path.join(self.site, "libsb.libs", "libdup-0a1b2c3d.so.1")]))

    def test_leftovers(self):
        cache = self.finding("leftover", "cache in site-packages")
        self.assertEqual(cache["certainty"], "certain")
        self.assert_bytes(cache, Size(files_under(os.path.join(self.site, "__pycache__"))))
        old = self.finding("leftover", "left behind: oldpkg")
        self.assert_bytes(old, Size(files_under(os.path.join(self.site, "oldpkg"))))
        empty = self.finding("leftover", "emptydist: metadata without files")
        self.assert_bytes(empty, Size(files_under(os.path.join(self.site, "emptydist-1.0.dist-info"))))

    def test_total_is_the_sum_and_sorted(self):
        findings = self.result["findings"]
        known = [f["bytes"]["apparent_bytes"] for f in findings if f["bytes"] is not None]
        self.assertEqual(self.result["savable_bytes"]["apparent_bytes"], sum(known))
        self.assertEqual(known, sorted(known, reverse=True))
        for f in findings:
            self.assertIn(f["certainty"], ("certain", "likely", "check"))
            self.assertTrue(f["evidence"] and f["action"], f)

    def test_kind_and_min_bytes(self):
        result = self.recommend("--kind", "native", "--min-bytes", "1")
        self.assertEqual({f["kind"] for f in result["findings"]}, {"native"})
        big = self.recommend("--min-bytes", "20kB")
        self.assertTrue(all(f["bytes"]["apparent_bytes"] >= 20000 for f in big["findings"]
                            if f["bytes"] is not None))
        self.assertIn("deadpkg", [n for f in big["findings"] for n in f["distributions"]])

    def test_table_and_markdown(self):
        proc = run_pkgsizer(["recommend", "--venv", self.venv, "--project", self.project,
                             "--no-cache"])
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        self.assertIn("could save", proc.stdout)
        self.assertIn("unused: distributions the project never imports", proc.stdout)
        self.assertIn("Imported but not declared:", proc.stdout)
        markdown = run_pkgsizer(["recommend", "--venv", self.venv, "--project", self.project,
                                 "--no-cache", "--markdown", "-"])
        self.assertEqual(markdown.returncode, EXIT_OK, describe(markdown))
        self.assertIn("| Saves | Disk | Sure | Finding | Action |", markdown.stdout)
        self.assertIn("### bloat", markdown.stdout)

    def test_html_has_every_finding(self):
        """recommend --html: the shared page shell in chromium: every finding of the JSON (the
        same run writes both), its evidence a click away, no console error, no request."""
        html = os.path.join(self.tmp, "findings.html")
        proc = run_pkgsizer(["recommend", "--venv", self.venv, "--project", self.project,
                             "--no-cache", "--json", "-", "--html", html])
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        self.assertIn(f"wrote {html}", proc.stderr)
        result = json.loads(proc.stdout)
        self.load_page(html)
        page = self.browser.evaluate(r"""(() => {
          const rows = Array.from(document.querySelectorAll("#findings tr.finding"));
          const out = {rows: rows.map(tr => Array.from(tr.children).map(td => td.textContent)),
                       savable: Number(document.getElementById("summary").dataset.savableBytes),
                       project: document.getElementById("project").textContent,
                       footer: document.querySelector("footer").textContent};
          rows[0].dispatchEvent(new MouseEvent("click"));
          out.evidence = rows[0].nextElementSibling.textContent;
          out.evidence_shown = rows[0].nextElementSibling.style.display !== "none";
          const kind = document.getElementById("kind");
          kind.value = "bloat"; kind.dispatchEvent(new Event("change"));
          out.bloat = rows.filter(tr => tr.style.display !== "none").map(tr => tr.children[0].textContent);
          return out;
        })()""")
        findings = result["findings"]
        self.assertGreaterEqual(len(findings), 5)
        self.assertEqual([row[1] for row in page["rows"]], [f["title"] for f in findings])
        self.assertEqual([row[0] for row in page["rows"]], [f["kind"] for f in findings])
        self.assertEqual(page["savable"], result["savable_bytes"]["apparent_bytes"])
        self.assertTrue(page["evidence_shown"])
        self.assertIn(findings[0]["action"], page["evidence"])
        self.assertEqual(page["bloat"], ["bloat"] * len(self.findings("bloat", result)))
        self.assertIn("imported, not declared", page["project"])
        self.assertIn("loads nothing from the network", page["footer"])
        self.assert_clean()
        self.screenshot("recommend.png")
        both = run_pkgsizer(["recommend", "--venv", self.venv, "--project", self.project,
                             "--no-cache", "--json", "-", "--html", "-"])
        self.assertEqual(both.returncode, EXIT_USAGE, describe(both))
        self.assertIn("only one of --json, --markdown and --html", both.stderr)

    def test_check_budget_unused_rule(self):
        config = os.path.join(self.tmp, "budget-fail.toml")
        write_file(config, '[budget]\nunused = "fail"\n')
        proc = run_pkgsizer(["check-budget", "--venv", self.venv, "--project", self.project,
                             "--config", config, "--no-cache"])
        self.assertEqual(proc.returncode, 1, describe(proc))
        self.assertIn("unused: deadpkg is not used", proc.stderr)
        write_file(config, '[budget]\nunused = "warn"\n')
        proc = run_pkgsizer(["check-budget", "--venv", self.venv, "--project", self.project,
                             "--config", config, "--no-cache"])
        self.assertEqual(proc.returncode, 0, describe(proc))
        self.assertIn("warning", proc.stderr)

    def test_check_budget_unused_rule_in_every_format(self):
        config = os.path.join(self.tmp, "budget-formats.toml")
        write_file(config, '[budget]\ntotal = "10 GB"\nunused = "fail"\n')
        base = ["check-budget", "--venv", self.venv, "--project", self.project, "--config",
                config, "--no-cache", "--format"]
        proc = run_pkgsizer(base + ["json"])
        self.assertEqual(proc.returncode, 1, describe(proc))
        report = json.loads(proc.stdout)
        self.assertEqual(report["status"], "fail")
        unused = [r for r in report["rules"] if r["rule"] == "unused"]
        dead = next(r for r in unused if r["subject"] == "deadpkg")
        self.assertEqual(dead["status"], "fail")
        self.assertEqual(dead["config_line"], 3)
        self.assertEqual(dead["limit_bytes"], 0)
        self.assertIsNone(dead["percent"])
        self.assertEqual(sorted(dead["distributions"]), ["deaddep", "deadpkg"])
        self.assertEqual(dead["used_bytes"],
                         Size(self.dist_files("deadpkg") + self.dist_files("deaddep")).apparent_bytes)
        self.assertIn("pip uninstall -y deadpkg deaddep", dead["action"])
        self.assertIn("unused: deadpkg is not used", proc.stderr)  # stderr as before
        github = run_pkgsizer(base + ["github"], cwd=self.tmp)
        self.assertEqual(github.returncode, 1, describe(github))
        self.assertIn("title=Unused%3A deadpkg::deadpkg is not used", github.stdout)
        junit = run_pkgsizer(base + ["junit"])
        self.assertIn('<failure type="unused"', junit.stdout)
        markdown = run_pkgsizer(base + ["markdown"])
        self.assertIn("| unused | `deadpkg` |", markdown.stdout)
        write_file(config, '[budget]\ntotal = "10 GB"\nunused = "warn"\n')
        warned = run_pkgsizer(base + ["json"])
        self.assertEqual(warned.returncode, EXIT_OK, describe(warned))
        self.assertEqual(json.loads(warned.stdout)["status"], "warn")

    def test_lighter_alternative_without_and_with_predict(self):
        finding = self.finding("heavier", "opencv-python -> opencv-python-headless")
        self.assertIsNone(finding["bytes"])  # never a made-up number
        self.assertTrue(any("source: https://github.com/opencv/opencv-python" in e
                            for e in finding["evidence"]), finding)
        with IndexServer(self.index_dir) as server:
            result = self.recommend("--kind", "heavier", "--predict", "--index-url",
                                    server.index_url, "--no-compile")
        finding = self.finding("heavier", "opencv-python -> opencv-python-headless", result)
        with zipfile.ZipFile(self.headless) as wheel:
            predicted = sum(m.file_size for m in wheel.infolist() if not m.is_dir())
        installed = Size(self.dist_files("opencv_python")).apparent_bytes
        self.assertEqual(finding["bytes"]["apparent_bytes"], installed - predicted, finding)

    def test_project_defaults_to_the_current_directory(self):
        proc = run_pkgsizer(["recommend", "--venv", self.venv, "--no-cache", "--kind", "unused",
                             "--json", "-"], cwd=self.project)
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        result = json.loads(proc.stdout)
        self.assertEqual(result["project"]["root"], ".")
        self.assertIn("deadpkg", [n for f in result["findings"] for n in f["distributions"]])

    def test_extra_that_pulled_in_a_dependency(self):
        finding = self.finding("heavier", "extrapkg[all] pulls in heavyextra")
        self.assert_bytes(finding, Size(self.dist_files("heavyextra")))
        self.assertTrue(any("pyproject.toml:8" in e for e in finding["evidence"]), finding)

    @unittest.skipIf(any(os.path.exists(p) for p in ("/dev/nvidiactl", "/dev/kfd",
                                                     "/proc/driver/nvidia/version")),
                     "this machine has a GPU")
    def test_gpu_libraries_without_a_gpu(self):
        finding = self.finding("native", "GPU libraries")
        self.assertEqual(finding["certainty"], "check")
        self.assertEqual(finding["distributions"], ["nvidia-cuda-runtime-cu12"])
        library = os.path.join(self.site, "nvidia", "cuda_runtime", "lib", "libcudart.so.12")
        self.assert_bytes(finding, Size([library]))

    def test_bad_options(self):
        proc = run_pkgsizer(["recommend", "--venv", self.venv, "--kind", "everything"])
        self.assertEqual(proc.returncode, EXIT_USAGE, describe(proc))
        proc = run_pkgsizer(["recommend", "--venv", self.venv, "--min-bytes", "lots"])
        self.assertEqual(proc.returncode, EXIT_USAGE, describe(proc))
        proc = run_pkgsizer(["recommend", "--venv", self.venv, "--project",
                             os.path.join(self.tmp, "nowhere")])
        self.assertEqual(proc.returncode, 3, describe(proc))


class RecommendDebianTest(BinaryTestCase):
    """Debian's dist-packages: egg-info directories with top_level.txt and no file list."""

    def test_top_level_names_decide(self):
        site = os.path.join(self.tmp, "usr", "lib", "python3", "dist-packages")
        for dist, module, size in (("python-foo-bar", "foobar", 3000), ("Unloved", "unloved", 7000)):
            info = os.path.join(site, f"{dist.replace('-', '_')}-1.0.egg-info")
            write_file(os.path.join(info, "PKG-INFO"),
                       f"Metadata-Version: 1.1\nName: {dist}\nVersion: 1.0\n")
            write_file(os.path.join(info, "top_level.txt"), module + "\n")
            write_file(os.path.join(site, module, "__init__.py"), payload(size, module))
        project = os.path.join(self.tmp, "proj")
        write_file(os.path.join(project, "requirements.txt"), "python-foo-bar\n")
        write_file(os.path.join(project, "run.py"), "import foobar.sub\n")
        proc = run_pkgsizer(["recommend", "--site-packages", site, "--project", project,
                             "--no-cache", "--kind", "unused", "--json", "-"])
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        result = json.loads(proc.stdout)
        self.assertEqual([f["distributions"] for f in result["findings"]], [["Unloved"]])
        expected = Size(files_under(os.path.join(site, "unloved")) +
                        files_under(os.path.join(site, "Unloved-1.0.egg-info")))
        self.assertEqual(result["findings"][0]["bytes"]["apparent_bytes"], expected.apparent_bytes)
        self.assertEqual(result["findings"][0]["bytes"]["disk_bytes"], expected.disk_bytes)
        self.assertEqual(result["declared_unused"], [])


if __name__ == "__main__":
    unittest.main()
