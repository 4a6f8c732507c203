"""A damaged scan-cache entry (issue 19, "Data integrity"; docs/cache.md "Failure"): bytes of a
stored entry flipped inside the SQLite file, which SQLite itself cannot notice (its pages stay
well-formed), must be a miss with a warning — never a hit with wrong totals, never a crash.

The entries are damaged through SQL, as a bad disk block or a stray write into the blob would
leave them: the file stays a sound SQLite database, only the entry's bytes change.
"""

import json
import random
import sqlite3
import struct
import time
import unittest

from support import (RACY_WAIT, CacheTestCase, cache_entries, comparable, default_cache_file,
                     describe, EXIT_OK, run_pkgsizer, SiteTree, store_env)


def read_entry(cache):
    connection = sqlite3.connect(cache)
    try:
        return connection.execute("SELECT key, payload FROM scans").fetchone()
    finally:
        connection.close()


def write_payload(cache, key, payload):
    connection = sqlite3.connect(cache)
    try:
        connection.execute("UPDATE scans SET payload = ? WHERE key = ?", (payload, key))
        connection.commit()
    finally:
        connection.close()


class CacheIntegrityTest(CacheTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        tree = SiteTree(cls.tmp + "/site", layout=False)
        for i in range(12):
            tree.dist_info(f"pkg{i}", "1.0", {f"pkg{i}/__init__.py": 700 + i,
                                             f"pkg{i}/sub/data.bin": 5000 + 13 * i},
                           requires=[f"pkg{i - 1}"] if i else [])
        tree.write("stray.txt", 321)
        cls.args = ["--site-packages", tree.site]
        time.sleep(RACY_WAIT)  # so that a stored entry is a hit

    def scan_run(self, root):
        return run_pkgsizer(["scan-env"] + self.args + ["--json", "-"], env=store_env(root))

    def primed(self):
        """A root whose cache holds a sound entry for the tree (checked to be a hit)."""
        root = self.new_root()
        self.scan(self.args, root)
        cache = default_cache_file(root)
        entries = cache_entries(cache)
        self.scan(self.args, root)
        self.assertEqual(cache_entries(cache), entries, "the primed entry is not a hit")
        return root, cache

    def assert_miss_with_warning(self, root, expected, what):
        proc = self.scan_run(root)
        self.assertEqual(proc.returncode, EXIT_OK, what + describe(proc))
        self.assertEqual(comparable(json.loads(proc.stdout)), comparable(expected),
                         f"{what}: a damaged entry gave a wrong scan")
        self.assertIn("damaged", proc.stderr, what + describe(proc))
        self.assertIn(default_cache_file(root), proc.stderr, what + describe(proc))

    def test_damaged_totals_are_not_trusted(self):
        # The totals of the scan, rewritten inside the entry: a sound archive with a wrong number.
        root, cache = self.primed()
        expected = self.uncached(self.args, root)
        key, payload = read_entry(cache)
        total = struct.pack("<Q", expected["totals"]["all"]["apparent_bytes"])
        self.assertIn(total, payload)
        damaged = payload.replace(total, struct.pack("<Q", 1))
        write_payload(cache, key, damaged)
        self.assert_miss_with_warning(root, expected, "totals rewritten")

    def test_random_flips_are_misses(self):
        root, cache = self.primed()
        expected = self.uncached(self.args, root)
        rng = random.Random(1919)
        for flip in range(40):
            with self.subTest(flip=flip):
                key, payload = read_entry(cache)
                damaged = bytearray(payload)
                for _ in range(rng.randint(1, 3)):
                    position = rng.randrange(len(damaged))
                    damaged[position] ^= 1 << rng.randrange(8)
                write_payload(cache, key, bytes(damaged))
                self.assert_miss_with_warning(root, expected, f"flip {flip}")
                # The scan after the miss stored a sound entry again.
                self.assertNotEqual(read_entry(cache)[1], bytes(damaged))

    def test_quiet_keeps_the_warning_off_stderr(self):
        root, cache = self.primed()
        key, payload = read_entry(cache)
        write_payload(cache, key, payload[:-1] + bytes([payload[-1] ^ 0x10]))
        proc = run_pkgsizer(["scan-env"] + self.args + ["-q", "--json", "-"], env=store_env(root))
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        self.assertEqual(proc.stderr, "", describe(proc))


if __name__ == "__main__":
    unittest.main()
