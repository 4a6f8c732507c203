"""End-to-end tests of `pkgsizer predict`: wheels built here, served by index_server.py on
127.0.0.1 (nothing touches the internet), predicted, then really installed with pip and
scanned, to check that the prediction matches what an installation takes."""

import json
import os
import shutil
import subprocess
import sys
import unittest
import zipfile

import support
from index_server import IndexServer


def member_bytes(wheel):
    with zipfile.ZipFile(wheel) as zf:
        return sum(info.file_size for info in zf.infolist())


class PredictTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.root = support.make_tempdir()
        cls.wheels = os.path.join(cls.root, "wheels")
        files = lambda pkg, n: {f"{pkg}/__init__.py": support.payload(n, pkg),
                                f"{pkg}/data.bin": support.payload(3 * n, pkg + "d")}
        cls.paths = {
            "alpha": support.make_wheel(cls.wheels, "alpha", "1.0", files("alpha", 4000),
                                        requires=["gamma>=1.0"]),
            "beta-old": support.make_wheel(cls.wheels, "beta", "1.0", files("beta", 1000)),
            "beta": support.make_wheel(cls.wheels, "beta", "2.0", files("beta", 9000)),
            "gamma": support.make_wheel(cls.wheels, "gamma", "1.5", files("gamma", 2500)),
        }
        cls.req = os.path.join(cls.root, "requirements.txt")
        with open(cls.req, "w") as f:
            f.write("alpha==1.0\nbeta>=1.0\n")

    @classmethod
    def tearDownClass(cls):
        support.remove_tree(cls.root)

    def predict(self, args, expect_rc=0):
        proc = support.run_pkgsizer(["predict"] + list(args))
        self.assertEqual(proc.returncode, expect_rc, support.describe(proc))
        return proc

    def predict_json(self, args):
        proc = self.predict(list(args) + ["--json", "-"])
        return {d["normalized_name"]: d for d in json.loads(proc.stdout)["distributions"]}, proc

    def expected(self):
        return {name: self.paths[key] for name, key in
                (("alpha", "alpha"), ("beta", "beta"), ("gamma", "gamma"))}

    def test_requirements_sizes_and_real_install(self):
        with IndexServer(self.wheels) as server:
            dists, _ = self.predict_json([self.req, "--index-url", server.index_url, "--no-compile"])
            text = self.predict([self.req, "--index-url", server.index_url]).stdout
        self.assertIn("Estimate", text)
        self.assertEqual(sorted(dists), ["alpha", "beta", "gamma"])
        self.assertEqual(dists["beta"]["version"], "2.0")
        for name, wheel in self.expected().items():
            self.assertEqual(dists[name]["download_bytes"], os.path.getsize(wheel), name)
            self.assertEqual(dists[name]["installed_bytes"], member_bytes(wheel), name)
            self.assertEqual(dists[name]["apparent_bytes"], member_bytes(wheel), name)
            self.assertEqual(dists[name]["chosen_file"], os.path.basename(wheel))
            self.assertTrue(dists[name]["estimate"])
        venv = support.make_venv(os.path.join(self.root, "venv"))
        support.pip_install(venv, self.wheels, "alpha==1.0", "beta", extra=["--no-compile"])
        model, _ = support.scan_json(self, ["--venv", venv])
        installed = support.dists_by_name(model)
        for name in ("alpha", "beta", "gamma"):
            predicted, actual = dists[name]["apparent_bytes"], installed[name]["apparent_bytes"]
            print(f"{name}: predicted {predicted}, installed {actual}")
            self.assertLess(abs(actual - predicted) / actual, 0.05, name)

    def test_check_budget_requirements_before_installing(self):
        with IndexServer(self.wheels) as server:
            project = os.path.join(self.root, "project")
            os.makedirs(project, exist_ok=True)
            requirements = os.path.join(project, "requirements.txt")
            with open(requirements, "w") as f:
                f.write(f"--index-url {server.index_url}\nalpha==1.0\nbeta>=1.0\n")
            dists, _ = self.predict_json([requirements])
            total = sum(d["apparent_bytes"] for d in dists.values())
            for limit, expect_rc in ((total - 1, 1), (total * 2, 0)):
                with open(os.path.join(project, "pkgsizer.toml"), "w") as f:
                    f.write(f'[budget]\ntotal = "{limit}B"\n')
                proc = support.run_pkgsizer(["check-budget", "--requirements", requirements, "--fail-on-exceed",
                                             "--format", "json"], cwd=project)
                self.assertEqual(proc.returncode, expect_rc, support.describe(proc))
                report = json.loads(proc.stdout)
                self.assertEqual(report["total_bytes"], total)
                self.assertEqual(report["status"], "fail" if expect_rc else "ok")

    def check_budget(self, args, expect_rc, cwd):
        proc = support.run_pkgsizer(["check-budget", "--format", "json"] + list(args), cwd=cwd)
        self.assertEqual(proc.returncode, expect_rc, support.describe(proc))
        return json.loads(proc.stdout), proc

    def budget_project(self, name, limit="1GB"):
        project = os.path.join(self.root, name)
        os.makedirs(project, exist_ok=True)
        with open(os.path.join(project, "pkgsizer.toml"), "w") as f:
            f.write(f'[budget]\ntotal = "{limit}"\n')
        return project

    def test_check_budget_takes_predict_index_and_target_options(self):
        project = self.budget_project("budget-options")
        with IndexServer(self.wheels) as server:
            report, _ = self.check_budget(["--requirements", self.req, "-i", server.index_url,
                                           "--no-deps", "--python-version", "3.12",
                                           "--no-compile", "--no-cache"], 0, project)
        self.assertEqual(report["distributions"], 2)  # --no-deps: no gamma
        self.assertEqual(report["total_bytes"],
                         member_bytes(self.paths["alpha"]) + member_bytes(self.paths["beta"]))
        self.assertEqual(report["status"], "ok")

    def test_check_budget_with_unknown_sizes_is_incomplete(self):
        project = self.budget_project("budget-unknown")
        req = os.path.join(project, "requirements.txt")
        with open(req, "w") as f:
            f.write("alpha==1.0\nnosuchpkg==1.0\n")
        sdist_lock = os.path.join(project, "poetry.lock")
        with open(sdist_lock, "w") as f:
            f.write('[[package]]\nname = "onlysdist"\nversion = "1.0"\n'
                    'files = [{file = "onlysdist-1.0.tar.gz", hash = "sha256:00"}]\n\n'
                    '[metadata]\nlock-version = "2.0"\npython-versions = "^3.8"\ncontent-hash = "x"\n')
        with IndexServer(self.wheels) as server:
            base = ["--requirements", req, "-i", server.index_url, "--no-cache"]
            for extra, expect_rc in (([], 4), (["--fail-on-exceed"], 1), (["--allow-unknown"], 0)):
                report, proc = self.check_budget(base + extra, expect_rc, project)
                self.assertTrue(any("nosuchpkg" in line for line in report["unknown"]), report)
                self.assertEqual(report["status"], "ok" if expect_rc == 0 else "incomplete")
                self.assertEqual(report["complete"], expect_rc == 0)
            proc = support.run_pkgsizer(["check-budget"] + base, cwd=project)
            self.assertEqual(proc.returncode, 4, support.describe(proc))
            self.assertIn("Incomplete", proc.stdout)
            self.assertNotIn("Within budget", proc.stdout)
            self.assertIn("nosuchpkg", proc.stdout)
        for lock, extra in ((sdist_lock, []), (self.uv_lock("budget-offline"), ["--offline"])):
            report, _ = self.check_budget(["--requirements", lock] + extra, 4, project)
            self.assertEqual(report["status"], "incomplete", lock)
            self.assertTrue(report["unknown"], lock)

    def test_server_errors_are_retried(self):
        # The first two answers to every path are 500s: retries with backoff get through.
        with IndexServer(self.wheels, fail_first=2, fail_status=500) as server:
            dists, _ = self.predict_json([self.req, "-i", server.index_url, "--no-compile", "--no-cache"])
        for name, wheel in self.expected().items():
            self.assertEqual(dists[name]["installed_bytes"], member_bytes(wheel), name)

    def test_html_only_index(self):
        # Many private indexes and plain file servers serve only the PEP 503 HTML form: the
        # same files, hashes, data-yanked and data-core-metadata, without PEP 700 sizes.
        yanked = {os.path.basename(self.paths["beta"]): "broken build"}
        with IndexServer(self.wheels, json=False, yanked=yanked) as server:
            dists, proc = self.predict_json([self.req, "-i", server.index_url, "--no-compile",
                                             "--no-cache"])
        self.assertEqual(sorted(dists), ["alpha", "beta", "gamma"])
        self.assertEqual(dists["beta"]["version"], "1.0", "the yanked 2.0 must not be chosen")
        for name, key in (("alpha", "alpha"), ("beta", "beta-old"), ("gamma", "gamma")):
            wheel = self.paths[key]
            self.assertEqual(dists[name]["chosen_file"], os.path.basename(wheel), name)
            self.assertEqual(dists[name]["download_bytes"], os.path.getsize(wheel), name)
            self.assertEqual(dists[name]["installed_bytes"], member_bytes(wheel), name)

    def test_dependencies_read_from_the_wheel_without_pep_658(self):
        # An index that serves no .metadata files (PEP 658), in either form: alpha's dependency
        # on gamma is read from alpha's own METADATA member with Range requests.
        for as_json in (True, False):
            with IndexServer(self.wheels, json=as_json, metadata=False) as server:
                dists, proc = self.predict_json(["-i", server.index_url, "--no-compile",
                                                 "--no-cache", self.req])
                metadata_files = server.requests_for(".metadata")
                whole_wheels = [r for r in server.requests_for(".whl")
                                if r.method == "GET" and r.status == 200]
                tails = [r for r in server.requests_for(".whl")
                         if (r.range or "").startswith("bytes=-")]
            self.assertEqual(sorted(dists), ["alpha", "beta", "gamma"], support.describe(proc))
            self.assertNotIn("not counted", proc.stderr, support.describe(proc))
            for name, wheel in self.expected().items():
                self.assertEqual(dists[name]["installed_bytes"], member_bytes(wheel), name)
            self.assertEqual(metadata_files, [], "the index has no .metadata files to ask for")
            self.assertEqual(whole_wheels, [], "only Range requests: no wheel is downloaded")
            # Each central directory is read once: for the METADATA, and then for the size.
            self.assertEqual(len(tails), 3, tails)

    def test_metadata_read_from_wheels_is_cached(self):
        # Without PEP 658 files the METADATA members come from Range requests; the second run
        # finds them, and the central directories, in the HTTP cache. An HTML page gives no
        # sizes, but its URLs carry the files' hashes, which name them as well.
        cache_dir = support.make_tempdir()
        self.addCleanup(support.remove_tree, cache_dir)
        env = {"PKGSIZER_CACHE_DIR": cache_dir}
        with IndexServer(self.wheels, json=False, metadata=False) as server:
            args = ["predict", self.req, "-i", server.index_url, "--no-compile", "--json", "-"]
            first = support.run_pkgsizer(args, env=env)
            self.assertEqual(first.returncode, 0, support.describe(first))
            metadata_reads = [r for r in server.requests_for(".whl")
                              if r.range and not r.range.startswith("bytes=-")]
            self.assertEqual(len(metadata_reads), 3, "one METADATA read per chosen wheel")
            server.clear_log()
            second = support.run_pkgsizer(args, env=env)
            self.assertEqual(second.returncode, 0, support.describe(second))
            self.assertEqual(server.requests_for(".whl"), [], "the second run reads no wheel")
        sizes = lambda proc: {d["normalized_name"]: d["installed_bytes"]
                              for d in json.loads(proc.stdout)["distributions"]}
        self.assertEqual(sizes(second), sizes(first))
        self.assertEqual(sorted(sizes(second)), ["alpha", "beta", "gamma"])

    def test_find_links_wheelhouse_without_an_index(self):
        # Air-gapped CI: --no-index and --find-links in the requirements file, relative to it.
        # No server runs: asking any index would fail. Dependencies come from the local wheels.
        project = os.path.join(self.root, "airgap")
        os.makedirs(project, exist_ok=True)
        requirements = os.path.join(project, "requirements.txt")
        with open(requirements, "w") as f:
            f.write(f"--no-index\n--find-links {os.path.relpath(self.wheels, project)}\n"
                    "alpha==1.0\nbeta>=1.0\n")
        dists, proc = self.predict_json([requirements, "--no-compile", "--no-cache"])
        self.assertEqual(sorted(dists), ["alpha", "beta", "gamma"], support.describe(proc))
        self.assertEqual(dists["beta"]["version"], "2.0")
        for name, wheel in self.expected().items():
            self.assertEqual(dists[name]["chosen_file"], os.path.basename(wheel), name)
            self.assertEqual(dists[name]["download_bytes"], os.path.getsize(wheel), name)
            self.assertEqual(dists[name]["installed_bytes"], member_bytes(wheel), name)
        self.assertNotIn("not counted", proc.stderr, support.describe(proc))
        # The same from the command line.
        cli, _ = self.predict_json([self.req, "--no-index", "-f", self.wheels, "--no-compile"])
        self.assertEqual({n: d["installed_bytes"] for n, d in cli.items()},
                         {n: d["installed_bytes"] for n, d in dists.items()})

    def test_find_links_html_file(self):
        # A saved page of links beside the wheels (pip reads one too): relative links resolve
        # against the page's own location.
        page = os.path.join(self.wheels, "links.html")
        with open(page, "w") as f:
            f.write("<html><body>\n")
            for wheel in self.paths.values():
                name = os.path.basename(wheel)
                f.write(f'<a href="{name}">{name}</a><br>\n')
            f.write("</body></html>\n")
        self.addCleanup(os.remove, page)
        dists, proc = self.predict_json([self.req, "--no-index", "-f", page, "--no-compile"])
        self.assertEqual(sorted(dists), ["alpha", "beta", "gamma"], support.describe(proc))
        for name, wheel in self.expected().items():
            self.assertEqual(dists[name]["installed_bytes"], member_bytes(wheel), name)

    def test_find_links_errors(self):
        proc = self.predict([self.req, "--no-index"], expect_rc=2)
        self.assertIn("--no-index without --find-links", proc.stderr)
        missing = os.path.join(self.root, "no-such-wheelhouse")
        proc = self.predict([self.req, "--no-index", "-f", missing], expect_rc=3)
        self.assertIn(missing, proc.stderr)
        self.assertEqual(len(proc.stderr.strip().splitlines()), 1, support.describe(proc))
        empty = os.path.join(self.root, "empty-wheelhouse")
        os.makedirs(empty, exist_ok=True)
        proc = self.predict([self.req, "--no-index", "-f", empty], expect_rc=9)
        self.assertIn("not found on --find-links", proc.stderr)

    def test_find_links_pages(self):
        # Pages of links on a web server (here the HTML project pages of a local index, read as
        # plain pages of links), with no index asked.
        with IndexServer(self.wheels, json=False) as server:
            pages = [server.index_url.rstrip("/") + f"/{name}/" for name in ("alpha", "beta", "gamma")]
            args = [self.req, "--no-index", "--no-compile", "--no-cache"]
            for page in pages:
                args += ["-f", page]
            dists, proc = self.predict_json(args)
        self.assertEqual(sorted(dists), ["alpha", "beta", "gamma"], support.describe(proc))
        for name, wheel in self.expected().items():
            self.assertEqual(dists[name]["installed_bytes"], member_bytes(wheel), name)

    def test_slow_server_still_answers(self):
        with IndexServer(self.wheels, delay=0.3) as server:
            dists, _ = self.predict_json([self.req, "-i", server.index_url, "--no-compile", "--no-cache"])
        self.assertEqual(sorted(dists), ["alpha", "beta", "gamma"])

    def test_poetry_lock_files_found_on_the_index(self):
        # poetry.lock records file names and hashes, not URLs: they are looked up on the index.
        lock = os.path.join(self.root, "poetry.lock")
        with open(lock, "w") as f:
            for key in ("alpha", "beta", "gamma"):
                wheel = self.paths[key]
                name, version = os.path.basename(wheel).split("-")[:2]
                f.write(f'[[package]]\nname = "{name}"\nversion = "{version}"\n'
                        f'files = [{{file = "{os.path.basename(wheel)}", hash = "sha256:00"}}]\n\n')
            f.write('[metadata]\nlock-version = "2.0"\npython-versions = "^3.8"\ncontent-hash = "x"\n')
        with IndexServer(self.wheels) as server:
            dists, _ = self.predict_json([lock, "-i", server.index_url, "--no-compile", "--no-cache"])
        for name, wheel in self.expected().items():
            self.assertEqual(dists[name]["download_bytes"], os.path.getsize(wheel), name)
            self.assertEqual(dists[name]["installed_bytes"], member_bytes(wheel), name)
            self.assertFalse(dists[name]["estimate"])

    def test_implementation_and_abi_choose_the_wheel(self):
        # One release with a CPython and a PyPy wheel (sizes differ so the choice shows).
        tagged = os.path.join(self.root, "tagged")
        os.makedirs(tagged, exist_ok=True)
        big = support.make_wheel(os.path.join(self.root, "tmp-big"), "delta", "1.0", {"delta/x.py": support.payload(9000, "b")})
        small = support.make_wheel(os.path.join(self.root, "tmp-small"), "delta", "1.0", {"delta/x.py": support.payload(900, "s")})
        cp = os.path.join(tagged, "delta-1.0-cp311-cp311-manylinux_2_17_x86_64.whl")
        pp = os.path.join(tagged, "delta-1.0-pp310-pypy310_pp73-manylinux_2_17_x86_64.whl")
        shutil.copy(big, cp)
        shutil.copy(small, pp)
        req = os.path.join(self.root, "delta.txt")
        with open(req, "w") as f:
            f.write("delta==1.0\n")
        with IndexServer(tagged) as server:
            default, _ = self.predict_json([req, "-i", server.index_url, "--no-compile", "--no-cache"])
            pypy, _ = self.predict_json([req, "-i", server.index_url, "--no-compile", "--no-cache",
                                         "--implementation", "pp", "--python-version", "3.10"])
        self.assertEqual(default["delta"]["chosen_file"], os.path.basename(cp))
        self.assertEqual(default["delta"]["installed_bytes"], member_bytes(cp))
        self.assertEqual(pypy["delta"]["chosen_file"], os.path.basename(pp))
        self.assertEqual(pypy["delta"]["installed_bytes"], member_bytes(pp))

    def test_direct_wheel_url(self):
        with IndexServer(self.wheels) as server:
            url = server.file_url(os.path.basename(self.paths["gamma"]))
            req = os.path.join(self.root, "direct.txt")
            with open(req, "w") as f:
                f.write(f"gamma @ {url}\n")
            dists, _ = self.predict_json([req, "-i", server.index_url, "--no-compile", "--no-cache"])
        self.assertEqual(dists["gamma"]["installed_bytes"], member_bytes(self.paths["gamma"]))
        self.assertEqual(dists["gamma"]["version"], "1.5")

    def test_bytecode_added_unless_no_compile(self):
        with IndexServer(self.wheels) as server:
            dists, _ = self.predict_json([self.req, "--index-url", server.index_url])
        self.assertGreater(dists["alpha"]["bytecode_bytes"], 0)
        self.assertEqual(dists["alpha"]["apparent_bytes"],
                         dists["alpha"]["installed_bytes"] + dists["alpha"]["bytecode_bytes"])

    def test_exact_bytecode_matches_pip_install_and_is_cached(self):
        # A data table and a module of docstrings: the two kinds a size-based estimate gets wrong.
        table = "TABLE = (\n" + "".join(f"    (0x{i:05x}, 0x{i + 7:05x}),  # a range of code points {i}\n"
                                         for i in range(0, 40000, 8)) + ")\n"
        prose = "".join(f'def f{i}(x):\n    """{"Explains f. " * 30}"""\n    return x + {i}\n\n'
                        for i in range(200))
        wheels = os.path.join(self.root, "bytecode-wheels")
        support.make_wheel(wheels, "tables", "1.0", {"tables/__init__.py": "from .t import TABLE\n",
                                                     "tables/t.py": table, "tables/prose.py": prose})
        req = os.path.join(self.root, "tables.txt")
        with open(req, "w") as f:
            f.write("tables==1.0\n")
        venv = support.make_venv(os.path.join(self.root, "bytecode-venv"))
        support.pip_install(venv, wheels, "tables==1.0")  # with compilation, pip's default
        pycache = [os.path.join(dirpath, name)
                   for dirpath, _, names in os.walk(os.path.join(support.venv_site_packages(venv), "tables"))
                   for name in names if name.endswith(".pyc")]
        real = sum(os.path.getsize(p) for p in pycache)
        version = "%d.%d" % sys.version_info[:2]
        cache_home = os.path.join(self.root, "bytecode-cache")
        env = {"XDG_CACHE_HOME": cache_home, "PKGSIZER_CACHE_DIR": None}
        args = ["predict", req, "--no-index", "-f", wheels, "--python-version", version,
                "--exact-bytecode", "--json", "-"]
        for run in ("compiled", "cached"):
            proc = support.run_pkgsizer(args, env=env)
            self.assertEqual(proc.returncode, 0, support.describe(proc))
            dist = json.loads(proc.stdout)["distributions"][0]
            self.assertTrue(dist["bytecode_exact"], run)
            # co_filename holds the install path, which differs: a few bytes per file.
            self.assertLess(abs(dist["bytecode_bytes"] - real), 100 * len(pycache), (run, real, dist))
        self.assertTrue(os.listdir(os.path.join(cache_home, "pkgsizer", "bytecode")))
        estimate = json.loads(support.run_pkgsizer(args[:-3] + ["--json", "-"], env=env).stdout)
        print(f"tables: pip wrote {real}, --exact-bytecode {dist['bytecode_bytes']}, "
              f"estimate {estimate['distributions'][0]['bytecode_bytes']}")
        # No interpreter for the target: estimated, with a warning.
        proc = support.run_pkgsizer(args[:-5] + ["--python-version", "3.4", "--exact-bytecode"], env=env)
        self.assertEqual(proc.returncode, 0, support.describe(proc))
        self.assertIn("no python3.4 on PATH", proc.stderr)

    def test_server_refusing_suffix_ranges(self):
        for mode in ("no-suffix-416", "none"):
            with IndexServer(self.wheels, range_mode=mode) as server:
                dists, _ = self.predict_json([self.req, "-i", server.index_url, "--no-compile"])
            for name, wheel in self.expected().items():
                self.assertEqual(dists[name]["installed_bytes"], member_bytes(wheel), mode)

    def test_uv_lock_offline(self):
        wheel = self.paths["beta"]
        lock = os.path.join(self.root, "uv.lock")
        with open(lock, "w") as f:
            f.write(f"""version = 1
requires-python = ">=3.8"

[[package]]
name = "beta"
version = "2.0"
source = {{ registry = "https://example.invalid/simple" }}
wheels = [
    {{ url = "https://example.invalid/files/{os.path.basename(wheel)}", hash = "sha256:00", size = {os.path.getsize(wheel)} }},
]
""")
        dists, _ = self.predict_json([lock, "--offline"])
        self.assertEqual(dists["beta"]["download_bytes"], os.path.getsize(wheel))
        self.assertFalse(dists["beta"]["estimate"])
        self.assertIn("Exact", self.predict([lock, "--offline"]).stdout)

    def test_missing_package_is_listed_and_the_rest_predicted_exit_9(self):
        req = os.path.join(self.root, "missing.txt")
        with open(req, "w") as f:
            f.write("alpha==1.0\nnosuchpkg==1.0\n")
        out = os.path.join(self.root, "missing.json")
        with IndexServer(self.wheels) as server:
            proc = self.predict([req, "-i", server.index_url, "--no-cache", "--json", out], expect_rc=9)
            self.assertIn("/simple/nosuchpkg/", proc.stderr)
            self.assertIn("not found", proc.stdout)
            with open(out) as f:
                model = json.load(f)
        dists = {d["normalized_name"]: d for d in model["distributions"]}
        self.assertEqual(sorted(dists), ["alpha", "gamma", "nosuchpkg"])
        self.assertEqual(dists["alpha"]["installed_bytes"], member_bytes(self.paths["alpha"]))
        self.assertTrue(dists["nosuchpkg"]["not_found"])
        self.assertIsNone(dists["nosuchpkg"]["installed_bytes"])
        self.assertIn("not found on", dists["nosuchpkg"]["note"])
        self.assertEqual(model["prediction"]["not_found"], 1)
        self.assertTrue(any(w["kind"] == "unknown_size" and "nosuchpkg" in w["message"]
                            for w in model["warnings"]))

    def test_no_deps(self):
        with IndexServer(self.wheels) as server:
            dists, _ = self.predict_json([self.req, "-i", server.index_url, "--no-deps", "--no-cache"])
        self.assertEqual(sorted(dists), ["alpha", "beta"])  # alpha's gamma is not added

    def uv_lock(self, name):
        """A uv.lock whose URLs point nowhere reachable (example.invalid)."""
        lock = os.path.join(self.root, name, "uv.lock")
        os.makedirs(os.path.dirname(lock), exist_ok=True)
        with open(lock, "w") as f:
            f.write('version = 1\nrequires-python = ">=3.8"\n')
            for key in ("alpha", "beta", "gamma"):
                wheel = os.path.basename(self.paths[key])
                pkg, version = wheel.split("-")[:2]
                f.write(f'\n[[package]]\nname = "{pkg}"\nversion = "{version}"\n'
                        f'source = {{ registry = "https://example.invalid/simple" }}\n'
                        f'wheels = [{{ url = "https://example.invalid/files/{wheel}", hash = "sha256:00" }}]\n')
        return lock

    def poetry_lock(self, name):
        lock = os.path.join(self.root, name, "poetry.lock")
        os.makedirs(os.path.dirname(lock), exist_ok=True)
        with open(lock, "w") as f:
            for key in ("alpha", "beta", "gamma"):
                wheel = os.path.basename(self.paths[key])
                pkg, version = wheel.split("-")[:2]
                f.write(f'[[package]]\nname = "{pkg}"\nversion = "{version}"\n'
                        f'files = [{{file = "{wheel}", hash = "sha256:00"}}]\n\n')
            f.write('[metadata]\nlock-version = "2.0"\npython-versions = "^3.8"\ncontent-hash = "x"\n')
        return lock

    def assert_measured(self, dists, proc):
        self.assertEqual(sorted(dists), ["alpha", "beta", "gamma"], support.describe(proc))
        for name, wheel in self.expected().items():
            self.assertEqual(dists[name]["installed_bytes"], member_bytes(wheel), name)

    def test_lock_files_honour_no_index_and_find_links(self):
        # Nothing but the local wheelhouse is asked: the lock's URLs (example.invalid) are not.
        for lock in (self.uv_lock("uv-find-links"), self.poetry_lock("poetry-find-links")):
            dists, proc = self.predict_json([lock, "--no-index", "-f", self.wheels, "--no-compile",
                                             "--no-cache"])
            self.assert_measured(dists, proc)
            self.assertEqual(proc.stderr, "", lock)

    def test_lock_files_honour_index_url_and_extra_index_url(self):
        with IndexServer(self.wheels) as server:
            for lock in (self.uv_lock("uv-index"), self.poetry_lock("poetry-index")):
                dists, proc = self.predict_json([lock, "--index-url", server.index_url,
                                                 "--no-compile", "--no-cache"])
                self.assert_measured(dists, proc)
            # poetry.lock has no URLs: an extra index is where its files are found.
            dists, proc = self.predict_json([self.poetry_lock("poetry-extra"), "--index-url",
                                             server.index_url + "nothing-here/",
                                             "--extra-index-url", server.index_url,
                                             "--no-compile", "--no-cache"])
            self.assert_measured(dists, proc)

    def test_lock_file_missing_from_the_wheelhouse_exits_9(self):
        empty = os.path.join(self.root, "empty-for-lock")
        os.makedirs(empty, exist_ok=True)
        proc = self.predict([self.uv_lock("uv-empty"), "--no-index", "-f", empty, "--json", "-"],
                            expect_rc=9)
        dists = {d["normalized_name"]: d for d in json.loads(proc.stdout)["distributions"]}
        self.assertTrue(all(d["not_found"] for d in dists.values()), proc.stdout)

    def test_bad_line_exits_2(self):
        req = os.path.join(self.root, "bad.txt")
        with open(req, "w") as f:
            f.write("alpha==1.0\n!!bad\n")
        proc = self.predict([req], expect_rc=2)
        self.assertIn(f"{req}:2:", proc.stderr)


if __name__ == "__main__":
    unittest.main()
