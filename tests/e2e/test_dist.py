"""Installing pkgsizer: the wheel that `pip install .` builds (pep517/pkgsizer_backend.py) and
the .deb of `cpack -G DEB` (cmake/Packaging.cmake), each installed and run, offline.

The wheel is built from the build tree of PKGSIZER_BIN (PKGSIZER_BUILD_DIR), so nothing is
compiled again; the .deb is made by cpack from the same tree into a temporary directory.
"""

import base64
import csv
import glob
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import unittest
import zipfile

from support import (BIN, REPO_ROOT, BinaryTestCase, base_env, describe, make_venv,
                     read_cmake_version, venv_site_packages, write_file)

VERSION = read_cmake_version()


def build_tree():
    """The CMake build tree PKGSIZER_BIN was built in (its CMakeCache.txt is there)."""
    directory = os.path.dirname(os.path.realpath(BIN))
    if not os.path.isfile(os.path.join(directory, "CMakeCache.txt")):
        raise AssertionError(f"{BIN} is not in a CMake build tree: no CMakeCache.txt next to it")
    return directory


def run(argv, timeout=600, **kwargs):
    env = kwargs.pop("env", None) or base_env()
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, env=env, **kwargs)
    if proc.returncode != 0:
        raise AssertionError(f"command failed:{describe(proc)}")
    return proc


def glibc_needed_by_objdump(path):
    """The newest GLIBC_2.N version that objdump -T lists for path: binutils' reading of the
    symbol versions, independent of the backend's own ELF parser."""
    output = run(["objdump", "-T", path]).stdout
    versions = {int(m) for m in re.findall(r"GLIBC_2\.(\d+)", output)}
    return max(versions) if versions else None


class WheelTest(BinaryTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        wheels = os.path.join(cls.tmp, "wheels")
        # What a user runs (pip wheel = the build step of pip install .), offline: the backend is
        # in the source tree and requires nothing.
        env = base_env({"PKGSIZER_BUILD_DIR": build_tree(), "PIP_NO_INDEX": "1"})
        cls.binary_mtime = os.stat(BIN).st_mtime_ns
        cls.build = run([sys.executable, "-m", "pip", "wheel", "-v", "--disable-pip-version-check",
                         "--no-index", "--no-deps", "--no-cache-dir", "-w", wheels, REPO_ROOT],
                        env=env)
        found = glob.glob(os.path.join(wheels, "*.whl"))
        assert len(found) == 1, found
        cls.wheel = found[0]
        cls.venv = make_venv(os.path.join(cls.tmp, "venv"))
        run([os.path.join(cls.venv, "bin", "python"), "-m", "pip", "install",
             "--disable-pip-version-check", "--no-index", "--no-cache-dir", cls.wheel])
        cls.site = venv_site_packages(cls.venv)
        cls.info = os.path.join(cls.site, f"pkgsizer-{VERSION}.dist-info")

    def test_the_build_tree_is_reused_not_rebuilt(self):
        output = self.build.stdout + self.build.stderr
        self.assertIn(f"cmake --build {build_tree()} ", output)
        self.assertNotIn("build-wheel", output)
        # The binary of the tree was current: the build step links nothing again.
        self.assertEqual(os.stat(BIN).st_mtime_ns, self.binary_mtime)

    def test_the_tag_names_the_glibc_the_binary_and_its_libraries_need(self):
        name = os.path.basename(self.wheel)
        match = re.fullmatch(rf"pkgsizer-{re.escape(VERSION)}-py3-none-manylinux_2_(\d+)_x86_64\.whl",
                             name)
        self.assertIsNotNone(match, name)
        installed = [os.path.join(self.venv, "bin", "pkgsizer")] + glob.glob(
            os.path.join(self.venv, "lib", "pkgsizer", "*.so*"))
        newest = max(filter(None, (glibc_needed_by_objdump(path) for path in installed)))
        self.assertEqual(int(match.group(1)), newest)
        with zipfile.ZipFile(self.wheel) as archive:
            wheel_file = archive.read(f"pkgsizer-{VERSION}.dist-info/WHEEL").decode()
            metadata = archive.read(f"pkgsizer-{VERSION}.dist-info/METADATA").decode()
            names = archive.namelist()
        self.assertIn(f"Tag: py3-none-manylinux_2_{newest}_x86_64\n", wheel_file)
        self.assertIn("Root-Is-Purelib: false\n", wheel_file)
        self.assertIn(f"Name: pkgsizer\nVersion: {VERSION}\n", metadata)
        self.assertIn(f"pkgsizer-{VERSION}.data/scripts/pkgsizer", names)

    def test_record_hashes_and_sizes_match_the_members(self):
        with zipfile.ZipFile(self.wheel) as archive:
            record = archive.read(f"pkgsizer-{VERSION}.dist-info/RECORD").decode()
            rows = list(csv.reader(record.splitlines()))
            self.assertEqual(sorted(r[0] for r in rows), sorted(archive.namelist()))
            for path, digest, size in rows:
                if path.endswith("/RECORD"):
                    self.assertEqual((digest, size), ("", ""))
                    continue
                data = archive.read(path)
                expected = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
                self.assertEqual(digest, "sha256=" + expected.decode(), path)
                self.assertEqual(int(size), len(data), path)

    def test_the_installed_binary_uses_its_own_libraries_and_runs(self):
        binary = os.path.join(self.venv, "bin", "pkgsizer")
        self.assertTrue(os.access(binary, os.X_OK))
        proc = run([binary, "--version"])
        self.assertEqual(proc.stdout.strip(), f"pkgsizer {VERSION}")
        ldd = run(["ldd", binary]).stdout
        self.assertNotIn("not found", ldd)
        for line in ldd.splitlines():
            if "libfmt" in line or "libtbb" in line:
                self.assertIn(os.path.join(self.venv, "bin", "..", "lib", "pkgsizer"), line)

    def test_pkgsizer_measures_its_own_wheel_as_its_record_and_du_say(self):
        binary = os.path.join(self.venv, "bin", "pkgsizer")
        proc = run([binary, "scan-env", "--venv", self.venv, "--json", "-", "--no-cache"],
                   env=base_env({"VIRTUAL_ENV": None}))
        model = json.loads(proc.stdout)
        ours = [d for d in model["distributions"] if d["name"] == "pkgsizer"]
        self.assertEqual(len(ours), 1, proc.stdout[:2000])
        ours = ours[0]
        with open(os.path.join(self.info, "RECORD"), newline="") as record:
            paths = [os.path.normpath(os.path.join(self.site, row[0])) for row in csv.reader(record)]
        self.assertIn(os.path.join(self.venv, "bin", "pkgsizer"), paths)
        apparent = sum(os.lstat(path).st_size for path in paths)
        disk = sum(os.lstat(path).st_blocks * 512 for path in paths)
        self.assertEqual(ours["file_count"], len(paths))
        self.assertEqual(ours["apparent_bytes"], apparent)
        self.assertEqual(ours["disk_bytes"], disk)
        du = run(["du", "-cb", "--apparent-size"] + paths).stdout.splitlines()[-1].split()[0]
        self.assertEqual(ours["apparent_bytes"], int(du))
        # Nearly all of it is outside site-packages: the binary, its libraries, man page.
        self.assertGreater(ours["outside_bytes"], apparent // 2)

    def test_runs_on_a_system_with_only_the_manylinux_libraries(self):
        """In a root that holds only libc6, libstdc++6 and libgcc-s1 (what manylinux promises)
        the installed binary finds everything else in the wheel's lib/pkgsizer/."""
        root = os.path.join(self.tmp, "manylinux-root")
        merged_usr_links(root)
        for package in sorted(closure(["libc6", "libstdc++6", "libgcc-s1"])):
            copy_package_files(package, root)
        prefix = os.path.join(root, "opt", "env")
        os.makedirs(os.path.join(prefix, "bin"))
        shutil.copy2(os.path.join(self.venv, "bin", "pkgsizer"), os.path.join(prefix, "bin"))
        shutil.copytree(os.path.join(self.venv, "lib", "pkgsizer"), os.path.join(prefix, "lib", "pkgsizer"))
        proc_dir = os.path.join(root, "proc")
        os.makedirs(proc_dir)
        run(["mount", "-t", "proc", "proc", proc_dir])  # a sanitizer build reads /proc/self/maps
        self.addCleanup(subprocess.run, ["umount", "-l", proc_dir], check=False)
        self.assertFalse(glob.glob(os.path.join(root, "usr", "lib", "*", "libfmt*")))
        proc = run(["chroot", root, "/opt/env/bin/pkgsizer", "--version"])
        self.assertEqual(proc.stdout.strip(), f"pkgsizer {VERSION}")
        write_file(os.path.join(root, "site", "demo-1.0.dist-info", "METADATA"),
                   "Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n")
        proc = run(["chroot", root, "/opt/env/bin/pkgsizer", "scan-env", "--site-packages", "/site",
                    "--no-cache", "--json", "-"])
        self.assertEqual([d["name"] for d in json.loads(proc.stdout)["distributions"]], ["demo"])

    def test_the_man_page_and_completions_come_with_it(self):
        man = os.path.join(self.venv, "share", "man", "man1", "pkgsizer.1")
        proc = run(["man", "-l", man], env=base_env({"MANWIDTH": "100", "MANPAGER": "cat"}))
        self.assertIn("scan-env", proc.stdout)
        for path in ("share/bash-completion/completions/pkgsizer",
                     "share/zsh/vendor-completions/_pkgsizer",
                     "share/fish/vendor_completions.d/pkgsizer.fish"):
            self.assertTrue(os.path.isfile(os.path.join(self.venv, path)), path)


def dpkg_field(text, field):
    match = re.search(rf"^{field}: (.*)$", text, re.M)
    return match.group(1) if match else ""


def package_names(depends):
    """The first alternative of each clause of a Depends: line, without versions."""
    names = []
    for clause in filter(None, (c.strip() for c in depends.split(","))):
        names.append(re.split(r"[\s(:]", clause.split("|")[0].strip())[0])
    return names


def closure(packages):
    """Those packages and all that they depend on (Depends, Pre-Depends), as installed here."""
    seen, todo = set(), list(packages)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        status = subprocess.run(["dpkg-query", "-s", name], capture_output=True, text=True)
        if status.returncode != 0:
            continue  # a virtual package or alternative provided by one already taken
        seen.add(name)
        for field in ("Depends", "Pre-Depends"):
            todo.extend(package_names(dpkg_field(status.stdout, field)))
    return seen


def merged_usr_links(root):
    """/lib -> usr/lib and the like (merged /usr) as this machine has them: no package lists them."""
    for name in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
        if os.path.islink("/" + name):
            os.makedirs(os.path.join(root, "usr", name), exist_ok=True)
            os.symlink(os.readlink("/" + name), os.path.join(root, name))


def copy_package_files(package, root):
    """The files of an installed package, copied into root at the same paths (their directory
    resolved, so that /lib/x/libc.so.6 lands in usr/lib/x under merged /usr)."""
    for path in run(["dpkg-query", "-L", package]).stdout.splitlines():
        if not path.startswith("/") or path.startswith("/usr/share/doc") or path == "/.":
            continue
        target = root + os.path.join(os.path.realpath(os.path.dirname(path)), os.path.basename(path))
        if os.path.islink(path):
            os.makedirs(os.path.dirname(target), exist_ok=True)
            if not os.path.lexists(target):
                os.symlink(os.readlink(path), target)
        elif os.path.isdir(path):
            os.makedirs(root + os.path.realpath(path), exist_ok=True)
        elif os.path.isfile(path):
            os.makedirs(os.path.dirname(target), exist_ok=True)
            shutil.copy2(path, target)


class DebTest(BinaryTestCase):
    """cpack -G DEB, then dpkg -i into a root assembled from exactly the packages its Depends:
    names (and theirs), copied from this machine with their dpkg status: in a chroot of it the
    binary only finds the libraries the .deb declares."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if os.geteuid() != 0:
            raise AssertionError("the .deb test needs root (dpkg --root and chroot)")
        out = os.path.join(cls.tmp, "cpack")
        run(["cpack", "-G", "DEB", "--config", os.path.join(build_tree(), "CPackConfig.cmake"),
             "-B", out], cwd=cls.tmp)
        found = glob.glob(os.path.join(out, "*.deb"))
        assert len(found) == 1, found
        cls.deb = found[0]
        cls.control = run(["dpkg-deb", "-f", cls.deb]).stdout
        cls.depends = package_names(dpkg_field(cls.control, "Depends"))
        cls.root = os.path.join(cls.tmp, "root")
        packages = closure(cls.depends)
        merged_usr_links(cls.root)
        for package in sorted(packages):
            copy_package_files(package, cls.root)
        admin = os.path.join(cls.root, "var", "lib", "dpkg")
        for sub in ("info", "updates", "triggers"):
            os.makedirs(os.path.join(admin, sub), exist_ok=True)
        cls.status = "\n".join(run(["dpkg-query", "-s", p]).stdout for p in sorted(packages))
        write_file(os.path.join(admin, "status"), cls.status)
        write_file(os.path.join(admin, "available"), "")
        cls.install = run(["dpkg", "--root", cls.root, "--force-script-chrootless", "-i", cls.deb])
        # /proc in the root, as on a real system: a sanitizer build reads /proc/self/maps.
        proc_dir = os.path.join(cls.root, "proc")
        os.makedirs(proc_dir, exist_ok=True)
        run(["mount", "-t", "proc", "proc", proc_dir])
        cls.addClassCleanup(subprocess.run, ["umount", "-l", proc_dir], check=False)

    def test_depends_names_the_shared_libraries_the_binary_links(self):
        expected = {"libc6", "libstdc++6", "libgcc-s1", "libfmt9", "libsqlite3-0", "libtbb12",
                    "libtomlplusplus3"}
        self.assertTrue(expected <= set(self.depends), self.control)
        recommends = dpkg_field(self.control, "Recommends")
        for library in ("libcurl4", "libpq5", "libarchive13"):  # dlopen()ed: shlibdeps cannot see
            self.assertIn(library, recommends)

    def test_dpkg_refuses_it_without_a_library_it_depends_on(self):
        root = os.path.join(self.tmp, "root-without-tbb")
        admin = os.path.join(root, "var", "lib", "dpkg")
        for sub in ("info", "updates"):
            os.makedirs(os.path.join(admin, sub), exist_ok=True)
        entries = [e for e in self.status.split("\n\n") if not e.startswith("Package: libtbb12\n")]
        write_file(os.path.join(admin, "status"), "\n\n".join(entries))
        write_file(os.path.join(admin, "available"), "")
        proc = subprocess.run(["dpkg", "--root", root, "-i", self.deb], capture_output=True,
                              text=True, timeout=120)
        self.assertNotEqual(proc.returncode, 0, describe(proc))
        self.assertIn("libtbb12", proc.stderr)

    def test_installs_the_binary_man_page_and_completions(self):
        listed = run(["dpkg", "--root", self.root, "-L", "pkgsizer"]).stdout.splitlines()
        for path in ("/usr/bin/pkgsizer", "/usr/share/man/man1/pkgsizer.1",
                     "/usr/share/bash-completion/completions/pkgsizer",
                     "/usr/share/zsh/vendor-completions/_pkgsizer",
                     "/usr/share/fish/vendor_completions.d/pkgsizer.fish"):
            self.assertIn(path, listed)
            self.assertTrue(os.path.isfile(self.root + path), path)
        proc = run(["man", "-l", self.root + "/usr/share/man/man1/pkgsizer.1"],
                   env=base_env({"MANWIDTH": "100", "MANPAGER": "cat"}))
        self.assertIn("check-budget", proc.stdout)

    def test_runs_in_the_root_with_only_its_dependencies(self):
        proc = run(["chroot", self.root, "/usr/bin/pkgsizer", "--version"])
        self.assertEqual(proc.stdout.strip(), f"pkgsizer {VERSION}")
        site = os.path.join(self.root, "site")
        write_file(os.path.join(site, "demo", "__init__.py"), 1000)
        write_file(os.path.join(site, "demo-1.0.dist-info", "METADATA"),
                   "Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n")
        write_file(os.path.join(site, "demo-1.0.dist-info", "RECORD"),
                   "demo/__init__.py,,\ndemo-1.0.dist-info/METADATA,,\ndemo-1.0.dist-info/RECORD,,\n")
        proc = run(["chroot", self.root, "/usr/bin/pkgsizer", "scan-env", "--site-packages", "/site",
                    "--no-cache", "--json", "-"])
        model = json.loads(proc.stdout)
        self.assertEqual([d["name"] for d in model["distributions"]], ["demo"])
        self.assertEqual(model["distributions"][0]["apparent_bytes"],
                         1000 + sum(os.lstat(os.path.join(site, "demo-1.0.dist-info", f)).st_size
                                    for f in ("METADATA", "RECORD")))


class PreCommitPythonHookTest(BinaryTestCase):
    """The `language: python` hook of .pre-commit-hooks.yaml, with the real pre-commit try-repo:
    pre-commit makes its virtualenv and runs `pip install .` in the hook repository, which
    builds the wheel through the in-tree backend (from PKGSIZER_BIN's build tree), with no index
    reachable (PIP_NO_INDEX, and an index URL on a closed port should pip try one anyway)."""

    # What `pip install .` needs of the repository when the build tree is given; try-repo clones
    # a repository made of them (the whole checkout would work the same, only slower to clone).
    HOOK_REPO_FILES = (".pre-commit-hooks.yaml", "pyproject.toml", "pep517/pkgsizer_backend.py",
                       "CMakeLists.txt", "LICENSE", "README.md")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for tool in ("pre-commit", "git"):
            if shutil.which(tool) is None:
                raise AssertionError(f"{tool} is not installed (scripts/install-deps.sh installs it)")
        cls.hooks = os.path.join(cls.tmp, "hooks")
        for name in cls.HOOK_REPO_FILES:
            target = os.path.join(cls.hooks, name)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            shutil.copy(os.path.join(REPO_ROOT, name), target)
        cls.git(cls.hooks, "init", "-q")
        cls.git(cls.hooks, "add", ".")
        cls.git(cls.hooks, "commit", "-q", "-m", "hooks")
        cls.work = os.path.join(cls.tmp, "work")
        os.makedirs(cls.work)
        cls.git(cls.work, "init", "-q")
        make_venv(os.path.join(cls.work, ".venv"))
        write_file(os.path.join(cls.work, "requirements.txt"), "pip\n")
        cls.git(cls.work, "add", "requirements.txt")
        cls.env = base_env({
            "PKGSIZER_BUILD_DIR": build_tree(),
            "PIP_NO_INDEX": "1",
            "PIP_INDEX_URL": "http://127.0.0.1:9/simple",  # the discard port: nothing answers
            "PRE_COMMIT_HOME": os.path.join(cls.tmp, "pre-commit-home"),
            "PRE_COMMIT_COLOR": "never",
            # pkgsizer on PATH must not be what runs: only the one pre-commit installs.
            "PATH": os.pathsep.join(p for p in os.environ.get("PATH", "").split(os.pathsep)
                                    if not os.path.exists(os.path.join(p, "pkgsizer"))),
        })

    @classmethod
    def git(cls, repo, *args):
        run(["git", "-c", "user.name=pkgsizer tests", "-c", "user.email=tests@pkgsizer.invalid",
             "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false"] + list(args), cwd=repo)

    def try_repo(self):
        return subprocess.run(["pre-commit", "try-repo", self.hooks, "pkgsizer-budget-python",
                               "--all-files", "--verbose"], cwd=self.work, env=self.env,
                              capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL)

    def test_installs_pkgsizer_and_checks_the_project_venv(self):
        write_file(os.path.join(self.work, "pkgsizer.toml"), '[budget]\ntotal = "1GB"\n')
        self.git(self.work, "add", "pkgsizer.toml")
        proc = self.try_repo()
        self.assertEqual(proc.returncode, 0, describe(proc))
        self.assertIn("Within budget", proc.stdout)
        # The project's .venv was checked, not pre-commit's own environment.
        self.assertIn(os.path.join(self.work, ".venv"), proc.stdout)
        # try-repo keeps its environments in a store of its own that it removes; the binary
        # that ran can only be the one it installed there: PATH has no other.
        self.assertIn("[INFO] Installing environment for", proc.stdout)
        self.assertIsNone(shutil.which("pkgsizer", path=self.env["PATH"]))

        write_file(os.path.join(self.work, "pkgsizer.toml"), '[budget]\ntotal = "1kB"\n')
        self.git(self.work, "add", "pkgsizer.toml")
        proc = self.try_repo()
        self.assertNotEqual(proc.returncode, 0, describe(proc))
        self.assertIn("Over budget", proc.stdout, describe(proc))


if __name__ == "__main__":
    unittest.main()
