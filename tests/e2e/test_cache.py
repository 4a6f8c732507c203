"""The scan cache: where it lives, that an unchanged tree is read back from it, that every change
an installer makes is seen (install, upgrade, uninstall, compiled .pyc files), and that a damaged,
foreign or unwritable cache costs a warning and never the scan.

Every run keeps its stores under a temporary directory (support.store_env): the caller's
~/.cache is never read or written.

A cache entry is trusted only when no directory under the scanned tree changed within 2 s
before it was stored (a racy timestamp proves nothing), and ctime cannot be set into the past,
so a test that wants a hit waits RACY_WAIT after the tree's last change. Whether a scan was a
hit is read from the cache file itself: a hit leaves the entry's `stored_ns` as it was, a miss
stores the entry again (the schema of src/store/scan_cache.cpp). Correctness never rests on
that: after every change the cached scan must equal a `--no-cache` scan, `created_at` aside.
"""

import glob
import json
import os
import random
import sqlite3
import subprocess
import time
import unittest

from support import (BIN, EXIT_OK, RACY_WAIT, base_env, cache_entries, CacheTestCase, comparable,
                     default_cache_file, describe, dists_by_name, expected_record_files,
                     files_under, is_sqlite_file, lsize, make_venv, make_wheel, payload,
                     pip_install, read_bytes, SiteTree, Size, stderr_lines, store_env, venv_python,
                     venv_site_packages, write_file)

def corrupt_files(cache_file):
    return sorted(glob.glob(glob.escape(cache_file) + ".corrupt-*"))


def make_foreign_sqlite(path):
    """An SQLite file that is not pkgsizer's: a table of someone else's."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    connection.execute("INSERT INTO notes (text) VALUES ('not a pkgsizer cache')")
    connection.commit()
    connection.close()


def build_site(root):
    """A hand-written site-packages with two distributions, an unowned file, and symbolic links
    to a directory and a file outside it (so that --follow-symlinks changes the totals)."""
    tree = SiteTree(os.path.join(root, "site"), layout=False)
    tree.dist_info("alpha", "1.0", {"alpha/__init__.py": 1500, "alpha/data.bin": 7000},
                   top_level=["alpha"])
    tree.dist_info("beta", "2.1", {"beta.py": 900, "beta_ext/__init__.py": 3000},
                   requires=["alpha"])
    tree.write("stray.txt", 333)
    external = os.path.join(root, "external")
    write_file(os.path.join(external, "big.bin"), payload(12345, "external"))
    os.symlink(external, os.path.join(tree.site, "linked"))
    # A module that is a symbolic link to a file outside: with --follow-symlinks its target's
    # stamp is kept, without it the link's own.
    os.symlink(os.path.join(external, "big.bin"), os.path.join(tree.site, "linked_module.py"))
    return tree.site


# ---------------------------------------------------------------------------------------------


class CacheLocationTest(CacheTestCase):
    """$PKGSIZER_CACHE_DIR, then $XDG_CACHE_HOME/pkgsizer, then ~/.cache/pkgsizer; --cache-dir
    over all of them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.site = build_site(cls.tmp)
        cls.args = ["--site-packages", cls.site]

    def test_default_is_xdg_cache_home(self):
        root = self.new_root()
        self.scan(self.args, root)
        cache = default_cache_file(root)
        self.assertTrue(os.path.isfile(cache), f"no cache at {cache}")
        self.assertTrue(is_sqlite_file(cache))
        self.assertFalse(os.path.exists(os.path.join(root, ".cache")),
                         "$XDG_CACHE_HOME is set: nothing may go to ~/.cache")

    def test_home_when_no_xdg(self):
        root = self.new_root()
        self.scan(self.args, root, {"XDG_CACHE_HOME": None})
        cache = os.path.join(root, ".cache", "pkgsizer", "cache.sqlite3")
        self.assertTrue(os.path.isfile(cache), f"no cache at {cache}")
        self.assertTrue(is_sqlite_file(cache))

    def test_pkgsizer_cache_dir_wins_over_xdg(self):
        root = self.new_root()
        chosen = os.path.join(root, "chosen")
        self.scan(self.args, root, {"PKGSIZER_CACHE_DIR": chosen})
        self.assertTrue(is_sqlite_file(os.path.join(chosen, "cache.sqlite3")))
        self.assertFalse(os.path.exists(default_cache_file(root)))

    def test_cache_dir_option_wins_over_both(self):
        root = self.new_root()
        chosen = os.path.join(root, "option", "dir")
        env_dir = os.path.join(root, "from-env")
        self.scan(self.args + ["--cache-dir", chosen], root, {"PKGSIZER_CACHE_DIR": env_dir})
        self.assertTrue(is_sqlite_file(os.path.join(chosen, "cache.sqlite3")))
        self.assertFalse(os.path.exists(os.path.join(env_dir, "cache.sqlite3")))
        self.assertFalse(os.path.exists(default_cache_file(root)))

    def test_no_cache_creates_no_file(self):
        root = self.new_root()
        chosen = os.path.join(root, "fresh")
        model, _ = self.scan(self.args + ["--no-cache"], root, {"PKGSIZER_CACHE_DIR": chosen})
        self.assertIn("alpha", dists_by_name(model))
        self.assertFalse(os.path.exists(os.path.join(chosen, "cache.sqlite3")),
                         "--no-cache wrote a cache file")
        self.assertFalse(os.path.exists(default_cache_file(root)))

    def test_no_cache_leaves_an_existing_cache_alone(self):
        root = self.new_root()
        self.scan(self.args, root)
        cache = default_cache_file(root)
        before = read_bytes(cache)
        siblings = sorted(os.listdir(os.path.dirname(cache)))
        self.scan(self.args + ["--no-cache"], root)
        self.assertEqual(read_bytes(cache), before, "--no-cache changed the cache file")
        self.assertEqual(sorted(os.listdir(os.path.dirname(cache))), siblings)


class CacheHitTest(CacheTestCase):
    """An unchanged tree is read from the cache, and what is read equals a fresh scan."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.site = build_site(cls.tmp)
        other = SiteTree(os.path.join(cls.tmp, "other-site"), layout=False)
        other.dist_info("gamma", "0.1", {"gamma.py": 4321})
        cls.other_site = other.site
        cls.args = ["--site-packages", cls.site]
        time.sleep(RACY_WAIT)  # every test below may expect a hit on these trees

    def warm(self, root, args=None):
        """Store an entry for `args` and check the next scan is a hit; returns that scan."""
        args = self.args if args is None else args
        stored, _ = self.scan(args, root)
        entries = cache_entries(default_cache_file(root))
        hit, _ = self.scan(args, root)
        self.assertEqual(cache_entries(default_cache_file(root)), entries,
                         "an unchanged, settled tree was scanned again instead of read from the cache")
        self.assertEqual(comparable(hit), comparable(stored))
        return hit

    def test_unchanged_tree_is_read_from_cache(self):
        root = self.new_root()
        hit = self.warm(root)
        self.assert_same_scan(hit, self.uncached(self.args, root), "hit")
        self.assertEqual(sorted(dists_by_name(hit)), ["alpha", "beta"])

    def test_created_at_is_the_time_of_the_hit(self):
        root = self.new_root()
        stored, _ = self.scan(self.args, root)
        entries = cache_entries(default_cache_file(root))
        time.sleep(1.1)  # created_at has whole seconds
        hit, _ = self.scan(self.args, root)
        self.assertEqual(cache_entries(default_cache_file(root)), entries, "not a hit")
        self.assertNotEqual(hit["created_at"], stored["created_at"],
                            "a hit must carry the time of this scan, not of the stored one")

    def test_refresh_cache_scans_and_replaces(self):
        root = self.new_root()
        self.warm(root)
        cache = default_cache_file(root)
        before = cache_entries(cache)
        model, _ = self.scan(self.args + ["--refresh-cache"], root)
        after = cache_entries(cache)
        self.assertEqual(set(after), set(before))
        for key in before:
            self.assertGreater(after[key], before[key], "--refresh-cache did not store the scan anew")
        self.assert_same_scan(model, self.uncached(self.args, root), "--refresh-cache")
        hit, _ = self.scan(self.args, root)
        self.assertEqual(cache_entries(cache), after, "the refreshed entry was not used")
        self.assert_same_scan(hit, model, "hit after --refresh-cache")

    def test_selection_applies_to_a_hit(self):
        root = self.new_root()
        self.warm(root)
        for extra in (["-p", "beta"], ["--exclude", "b*"], ["--top", "1", "--by", "name"],
                      ["--include-deps"], ["--unowned"]):
            with self.subTest(extra=extra):
                model, _ = self.scan(self.args + extra, root)
                self.assert_same_scan(model, self.uncached(self.args + extra, root), " ".join(extra))
        model, _ = self.scan(self.args + ["-p", "beta"], root)
        self.assertEqual([d["normalized_name"] for d in model["distributions"]], ["beta"])

    def test_module_tree_after_a_hit(self):
        root = self.new_root()
        self.warm(root)
        model, _ = self.scan(self.args + ["--tree"], root)
        expected = self.uncached(self.args + ["--tree"], root)
        self.assertTrue(dists_by_name(expected)["alpha"].get("modules"), "no module tree to compare")
        self.assert_same_scan(model, expected, "--tree after a hit")

    def test_follow_symlinks_is_not_served_from_the_other_entry(self):
        root = self.new_root()
        self.warm(root)
        follow = self.args + ["--follow-symlinks"]
        expected = self.uncached(follow, root)
        self.assertNotEqual(expected["totals"]["all"], self.uncached(self.args, root)["totals"]["all"],
                            "the tree must be one where following links changes the totals")
        model, _ = self.scan(follow, root)
        self.assert_same_scan(model, expected, "--follow-symlinks after a plain scan")
        model, _ = self.scan(self.args, root)
        self.assert_same_scan(model, self.uncached(self.args, root), "plain after --follow-symlinks")

    def test_follow_symlinks_is_read_from_cache_too(self):
        self.warm(self.new_root(), self.args + ["--follow-symlinks"])

    def test_two_trees_share_one_cache(self):
        root = self.new_root()
        other_args = ["--site-packages", self.other_site]
        self.warm(root)
        self.warm(root, other_args)
        self.assertEqual(len(cache_entries(default_cache_file(root))), 2)
        for args in (self.args, other_args, self.args):
            model, _ = self.scan(args, root)
            self.assert_same_scan(model, self.uncached(args, root), " ".join(args))
        model, _ = self.scan(other_args, root)
        self.assertEqual(list(dists_by_name(model)), ["gamma"])


class CacheFollowsVenvTest(CacheTestCase):
    """The life of a package in a real venv, each step taken right after a trusted cache hit:
    installed, compiled, upgraded, uninstalled. The cached scan must see every step."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.wheels = os.path.join(cls.tmp, "wheels")
        make_wheel(cls.wheels, "cachepkg", "1.0", {
            "cachepkg/__init__.py": "from .core import VALUE\n",
            "cachepkg/core.py": "VALUE = 1\n" * 200,
            "cachepkg/old.py": "def old():\n    return 'old'\n" * 30,
            "cachepkg/sub/__init__.py": "X = 3\n" * 50,
            "cachepkg/blob.bin": payload(10000, "blob-1"),
        })
        make_wheel(cls.wheels, "cachepkg", "2.0", {
            "cachepkg/__init__.py": "from .core import VALUE\n",
            "cachepkg/core.py": "VALUE = 2\n" * 900,
            "cachepkg/new.py": "def new():\n    return 'new'\n" * 60,
            "cachepkg/blob.bin": payload(25000, "blob-2"),
        })
        cls.venv = make_venv(os.path.join(cls.tmp, "venv"))
        cls.site = venv_site_packages(cls.venv)
        cls.args = ["--venv", cls.venv]

    def settle_and_hit(self, root):
        """Wait out the racy window, store a trusted entry, and check the next scan hits it."""
        time.sleep(RACY_WAIT)
        self.scan(self.args, root)
        entries = cache_entries(default_cache_file(root))
        self.scan(self.args, root)
        self.assertEqual(cache_entries(default_cache_file(root)), entries,
                         "the settled venv was scanned again instead of read from the cache")

    def scan_after_change(self, root, step):
        model, _ = self.scan(self.args, root)
        self.assert_same_scan(model, self.uncached(self.args, root), step)
        return model

    def dist_info_dir(self, version):
        return f"cachepkg-{version}.dist-info"

    def test_install_compile_upgrade_uninstall(self):
        root = self.new_root()
        self.settle_and_hit(root)

        # install
        pip_install(self.venv, self.wheels, "cachepkg==1.0", extra=["--no-compile"])
        model = self.scan_after_change(root, "install")
        dist = dists_by_name(model).get("cachepkg")
        self.assertIsNotNone(dist, "the installed distribution is missing")
        self.assertEqual(dist["version"], "1.0")
        installed = Size(expected_record_files(self.site, self.dist_info_dir("1.0")))
        self.assertEqual(dist["apparent_bytes"], installed.apparent_bytes, "install: apparent_bytes")
        self.assertEqual(dist["file_count"], installed.file_count, "install: file_count")
        self.settle_and_hit(root)

        # compile: new .pyc files in __pycache__ directories the package did not have
        package = os.path.join(self.site, "cachepkg")
        self.assertFalse([p for p in files_under(package) if p.endswith(".pyc")],
                         "--no-compile left .pyc files")
        subprocess.run([venv_python(self.venv), "-m", "compileall", "-q", package], check=True,
                       capture_output=True, env=base_env())
        sources = [p for p in files_under(package) if p.endswith(".py")]
        pycs = [p for p in files_under(package) if p.endswith(".pyc")]
        self.assertEqual(len(pycs), len(sources), pycs)
        model = self.scan_after_change(root, "compileall")
        compiled = dists_by_name(model)["cachepkg"]
        self.assertEqual(compiled["apparent_bytes"],
                         dist["apparent_bytes"] + sum(lsize(p) for p in pycs),
                         "compileall: apparent_bytes must grow by exactly the new .pyc sizes")
        self.assertEqual(compiled["file_count"], dist["file_count"] + len(pycs))
        self.settle_and_hit(root)

        # upgrade
        pip_install(self.venv, self.wheels, "cachepkg==2.0", extra=["--no-compile"])
        self.assertFalse(os.path.exists(os.path.join(package, "old.py")))
        model = self.scan_after_change(root, "upgrade")
        upgraded = dists_by_name(model)["cachepkg"]
        self.assertEqual(upgraded["version"], "2.0")
        expected = Size(expected_record_files(self.site, self.dist_info_dir("2.0")))
        self.assertEqual(upgraded["apparent_bytes"], expected.apparent_bytes, "upgrade: apparent_bytes")
        self.assertEqual(upgraded["file_count"], expected.file_count, "upgrade: file_count")
        self.assertNotEqual(upgraded["apparent_bytes"], compiled["apparent_bytes"])
        self.settle_and_hit(root)

        # uninstall
        proc = subprocess.run([venv_python(self.venv), "-m", "pip", "uninstall", "-y", "cachepkg"],
                              capture_output=True, text=True, env=base_env(), timeout=300)
        self.assertEqual(proc.returncode, 0, describe(proc))
        model = self.scan_after_change(root, "uninstall")
        self.assertNotIn("cachepkg", dists_by_name(model))


class DamagedCacheTest(CacheTestCase):
    """A cache that is damaged, foreign or cannot be written costs a warning, never the scan."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.site = build_site(cls.tmp)
        cls.args = ["--site-packages", cls.site]

    def assert_moved_aside(self, root, original, quiet=False):
        cache = default_cache_file(root)
        args = self.args + (["-q"] if quiet else [])
        model, proc = self.scan(args, root)
        self.assert_same_scan(model, self.uncached(self.args, root), "damaged cache")
        lines = stderr_lines(proc)
        if quiet:
            self.assertEqual(lines, [], describe(proc))
        else:
            self.assertEqual(len(lines), 1, describe(proc))
            self.assertTrue(lines[0].startswith("pkgsizer: warning:"), describe(proc))
            self.assertIn("moved it aside", lines[0])
            self.assertIn(cache, lines[0])
        aside = corrupt_files(cache)
        self.assertEqual(len(aside), 1, aside)
        self.assertEqual(read_bytes(aside[0]), original, "the bad file must be kept as it was")
        self.assertTrue(is_sqlite_file(cache), "no new cache was made")
        # The new cache works: the next scan says nothing and finds the same.
        model, proc = self.scan(self.args, root)
        self.assertEqual(stderr_lines(proc), [], describe(proc))
        self.assert_same_scan(model, self.uncached(self.args, root), "new cache")
        self.assertEqual(len(corrupt_files(cache)), 1)
        self.assertEqual(len(cache_entries(cache)), 1)

    def test_cache_of_the_first_schema_is_migrated(self):
        # Schema 1 kept a MessagePack payload and a text column of stamps; schema 2 keeps one
        # binary archive. An old cache must not be read as the new format, nor be refused.
        root = self.new_root()
        cache = default_cache_file(root)
        os.makedirs(os.path.dirname(cache))
        connection = sqlite3.connect(cache)
        connection.executescript("""
            CREATE TABLE scans (key TEXT PRIMARY KEY, created_at TEXT NOT NULL,
                                stored_ns INTEGER NOT NULL, payload BLOB NOT NULL,
                                stamps BLOB NOT NULL);
            PRAGMA application_id = 1886090083;
            PRAGMA user_version = 1;
        """)
        connection.execute("INSERT INTO scans VALUES ('k', '2026-01-01T00:00:00Z', 1, x'81a0c0', '')")
        connection.commit()
        connection.close()
        model, proc = self.scan(self.args, root)
        self.assertEqual(stderr_lines(proc), [], describe(proc))
        self.assert_same_scan(model, self.uncached(self.args, root), "migrated cache")
        self.assertEqual(corrupt_files(cache), [], "a cache of an older schema is migrated, not moved aside")
        connection = sqlite3.connect(cache)
        try:
            self.assertEqual(connection.execute("PRAGMA user_version").fetchone()[0], 5)
            columns = [row[1] for row in connection.execute("PRAGMA table_info(scans)")]
        finally:
            connection.close()
        self.assertNotIn("stamps", columns)
        self.assertEqual(len(cache_entries(cache)), 1)  # the old entries went with the old table

    def test_entries_of_schema_4_are_dropped(self):
        # Schema 5: module nodes carry their bytecode bytes, one more field in the archive. An
        # entry written before must not be decoded as the new layout: it is dropped.
        root = self.new_root()
        cache = default_cache_file(root)
        self.scan(self.args, root)
        connection = sqlite3.connect(cache)
        connection.execute("INSERT INTO scans (key, created_at, stored_ns, checksum, payload) "
                           "VALUES ('written-by-schema-4', '2026-01-01T00:00:00Z', 1, 0, x'00')")
        connection.execute("PRAGMA user_version = 4")
        connection.commit()
        connection.close()
        model, proc = self.scan(self.args, root)
        self.assertEqual(stderr_lines(proc), [], describe(proc))
        self.assert_same_scan(model, self.uncached(self.args, root), "migrated cache")
        self.assertNotIn("written-by-schema-4", cache_entries(cache))
        self.assertEqual(len(cache_entries(cache)), 1)
        connection = sqlite3.connect(cache)
        try:
            self.assertEqual(connection.execute("PRAGMA user_version").fetchone()[0], 5)
        finally:
            connection.close()

    def test_random_bytes_are_moved_aside(self):
        root = self.new_root()
        cache = default_cache_file(root)
        original = random.Random(7).randbytes(16384)
        os.makedirs(os.path.dirname(cache))
        with open(cache, "wb") as f:
            f.write(original)
        self.assert_moved_aside(root, original)

    def test_random_bytes_quietly(self):
        root = self.new_root()
        cache = default_cache_file(root)
        original = random.Random(8).randbytes(5000)
        os.makedirs(os.path.dirname(cache))
        with open(cache, "wb") as f:
            f.write(original)
        self.assert_moved_aside(root, original, quiet=True)

    def test_foreign_sqlite_is_moved_aside(self):
        root = self.new_root()
        cache = default_cache_file(root)
        make_foreign_sqlite(cache)
        self.assert_moved_aside(root, read_bytes(cache))

    def test_cache_dir_that_is_a_file(self):
        root = self.new_root()
        blocker = os.path.join(root, "blocker")
        with open(blocker, "w") as f:
            f.write("a regular file where the cache directory should be\n")
        before = read_bytes(blocker)
        expected = self.uncached(self.args, root)
        for how, args, env in (
                ("--cache-dir", self.args + ["--cache-dir", blocker], {}),
                ("PKGSIZER_CACHE_DIR", self.args, {"PKGSIZER_CACHE_DIR": blocker}),
                ("XDG_CACHE_HOME", self.args, {"XDG_CACHE_HOME": blocker})):
            with self.subTest(how):
                model, proc = self.scan(args, root, env)
                self.assert_same_scan(model, expected, how)
                lines = stderr_lines(proc)
                self.assertEqual(len(lines), 1, describe(proc))
                self.assertTrue(lines[0].startswith("pkgsizer: warning:"), describe(proc))
                self.assertIn(blocker, lines[0])
                self.assertEqual(read_bytes(blocker), before)

    def test_cache_file_that_is_a_directory(self):
        root = self.new_root()
        cache = default_cache_file(root)
        os.makedirs(cache)
        model, proc = self.scan(self.args, root)
        self.assert_same_scan(model, self.uncached(self.args, root), "cache path is a directory")
        lines = stderr_lines(proc)
        self.assertEqual(len(lines), 1, describe(proc))
        self.assertTrue(lines[0].startswith("pkgsizer: warning:"), describe(proc))
        self.assertTrue(os.path.isdir(cache))

    def test_concurrent_scans_into_a_new_cache(self):
        # Four scans at once, each round with a cache that does not exist yet: they must all
        # succeed quietly, and a good cache must never be taken for a damaged one.
        expected = None
        for round_number in range(8):
            root = self.new_root()
            if expected is None:
                expected = self.uncached(self.args, root)
            cmd = [BIN, "scan-env"] + self.args + ["--json", "-"]
            procs = [subprocess.Popen(cmd, env=base_env(store_env(root)), stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
                     for _ in range(4)]
            results = [(p, *p.communicate(timeout=120)) for p in procs]
            for i, (p, out, err) in enumerate(results):
                with self.subTest(round=round_number, process=i):
                    self.assertEqual(p.returncode, EXIT_OK, err)
                    self.assertEqual(err.strip(), "", "a concurrent scan complained about the cache")
                    self.assert_same_scan(json.loads(out), expected, "concurrent scan")
            self.assertEqual(corrupt_files(default_cache_file(root)), [],
                             f"round {round_number}: a good cache was moved aside")
            self.assertTrue(is_sqlite_file(default_cache_file(root)))


if __name__ == "__main__":
    unittest.main()
