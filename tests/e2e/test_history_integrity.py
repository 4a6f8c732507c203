"""The history's integrity (issue 19, "Data integrity"; README "track"): an import adds all of
its snapshots or none, even when killed part-way; a damaged history is refused with exit 8 and
left byte for byte as it was; a history this user may only read can be read; and commands that
only read never create one.

Real processes on real SQLite files: the import is killed with SIGKILL, the history is cut
short with truncate(2), the read-only history is read as `nobody` when the tests run as root.
"""

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import time
import unittest

from support import (BIN, EXIT_OK, EXIT_USAGE, base_env, describe, make_tempdir, make_venv,
                     read_bytes, remove_tree, run_pkgsizer, scan_json, SiteTree, store_env,
                     unprivileged_kwargs, venv_site_packages)
from test_track import EXIT_NOT_FOUND, EXIT_STORE, TrackTestCase, track_env


def snapshot_count(history):
    """Counted through an ordinary connection (a read-only one leaves -wal and -shm behind)."""
    connection = sqlite3.connect(history)
    try:
        return connection.execute("SELECT count(*) FROM snapshots").fetchone()[0]
    finally:
        connection.close()


class HistoryIntegrityTest(TrackTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Many distributions, so that each snapshot is a large JSON document and an import of
        # 30 of them takes long enough to be killed in the middle.
        cls.venv = make_venv(os.path.join(cls.tmp, "venv"), with_pip=False)
        tree = SiteTree(venv_site_packages(cls.venv), layout=False)
        for i in range(150):
            tree.dist_info(f"pkg{i:03d}", "1.0", {f"pkg{i:03d}/__init__.py": 100 + i,
                                                 f"pkg{i:03d}/data.bin": 1000 + i},
                           requires=[f"pkg{i - 1:03d}"] if i else [])
        root = os.path.join(cls.tmp, "source")
        os.makedirs(root)
        proc = run_pkgsizer(["track", "snapshot", "one", "--venv", cls.venv, "-q"],
                            env=track_env(root), cwd=root)
        assert proc.returncode == EXIT_OK, describe(proc)
        proc = run_pkgsizer(["track", "export"], env=track_env(root), cwd=root)
        assert proc.returncode == EXIT_OK, describe(proc)
        cls.entry = json.loads(proc.stdout)["snapshots"][0]

    def write_export(self, root, count, bad=None):
        """An export of `count` snapshots (labels s1, s2, ...); entry number `bad` (from 1), if
        given, has a scan that is not one."""
        snapshots = []
        for n in range(1, count + 1):
            entry = dict(self.entry, label=f"s{n}")
            if n == bad:
                entry["scan"] = {"schema_version": 1, "distributions": "not a list"}
            snapshots.append(entry)
        path = os.path.join(root, f"export-{count}-{bad}.json")
        with open(path, "w") as f:
            json.dump({"schema_version": 1, "kind": "pkgsizer-history", "snapshots": snapshots}, f)
        return path

    # --- import: all or nothing --------------------------------------------------------------

    def test_import_with_a_bad_third_entry_adds_nothing(self):
        root = self.new_root()
        history = os.path.join(root, "h.sqlite3")
        self.snapshot(root, self.venv, "before", ["--history", history, "-q"])
        export = self.write_export(root, 5, bad=3)
        proc = self.track(["import", export, "--history", history], root)
        self.assert_one_line_error(proc, EXIT_USAGE, export, "snapshot 3")
        self.assertEqual(snapshot_count(history), 1, "a failed import added snapshots")

    def test_import_with_a_bad_entry_creates_no_history(self):
        root = self.new_root()
        history = os.path.join(root, "new.sqlite3")
        proc = self.track(["import", self.write_export(root, 3, bad=3), "--history", history], root)
        self.assertEqual(proc.returncode, EXIT_USAGE, describe(proc))
        self.assertFalse(os.path.exists(history))

    def test_import_killed_part_way_adds_all_or_nothing(self):
        root = self.new_root()
        export = self.write_export(root, 30)
        template = os.path.join(root, "template.sqlite3")
        proc = self.track(["init", "--history", template], root)
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        start = time.monotonic()
        proc = self.track(["import", export, "--history", template], root)
        whole = time.monotonic() - start
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        self.assertEqual(snapshot_count(template), 30)
        os.remove(template)
        proc = self.track(["init", "--history", template], root)
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        # Kills spread over the whole import, from its start-up to its last write.
        rng = random.Random(19)
        counts = []
        for attempt in range(16):
            history = os.path.join(root, f"killed-{attempt}.sqlite3")
            shutil.copyfile(template, history)
            process = subprocess.Popen([BIN, "track", "import", export, "--history", history],
                                       env=base_env(track_env(root)), cwd=root,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(rng.uniform(0.05, 1.0) * whole)
            process.send_signal(signal.SIGKILL)
            process.wait()
            counts.append(snapshot_count(history))
            # What the import left is a sound history that pkgsizer reads.
            proc = self.track(["history", "--json", "--history", history], root)
            self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
            self.assertEqual(len(json.loads(proc.stdout)["snapshots"]), counts[-1])
        self.assertTrue(all(count in (0, 30) for count in counts),
                        f"snapshots after each kill: {counts} (the import took {whole:.2f} s)")

    # --- a damaged history -------------------------------------------------------------------

    def make_history(self, root, count=12):
        history = os.path.join(root, "h.sqlite3")
        proc = self.track(["import", self.write_export(root, count), "--history", history], root)
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        return history

    def test_truncated_history_is_refused_and_left_alone(self):
        root = self.new_root()
        history = self.make_history(root)
        proc = self.track(["history", "--history", history], root)  # checked: sound
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        os.truncate(history, os.path.getsize(history) * 9 // 10)
        damaged = read_bytes(history)
        commands = [["track", "history"], ["track", "history", "--json"],
                    ["track", "show", "@latest"], ["track", "diff", "@s1", "@latest"],
                    ["track", "graph"], ["track", "export"], ["track", "delete", "@s1"],
                    ["track", "snapshot", "--venv", self.venv, "-q"], ["track", "init"],
                    ["compare", "@latest", self.venv, "-q"]]
        for command in commands:
            with self.subTest(command=" ".join(command[:2])):
                proc = run_pkgsizer(command + ["--history", history], env=track_env(root), cwd=root)
                self.assert_one_line_error(proc, EXIT_STORE, history, "damaged")
                self.assertEqual(read_bytes(history), damaged, "the damaged history was changed")

    def test_damaged_index_page_is_refused(self):
        # Damage that plain reads do not meet: the history, a snapshot and compare read the
        # table by rowid and never the index by environment, so only the integrity check sees
        # its page zeroed (before it, all three exited 0 and a snapshot wrote into the file).
        root = self.new_root()
        history = self.make_history(root)
        proc = self.track(["history", "--history", history], root)  # checked: sound
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        connection = sqlite3.connect(history)
        try:
            index_page = connection.execute(
                "SELECT rootpage FROM sqlite_master WHERE name = 'snapshots_by_environment'"
            ).fetchone()[0]
            page_size = connection.execute("PRAGMA page_size").fetchone()[0]
        finally:
            connection.close()
        with open(history, "r+b") as f:
            f.seek((index_page - 1) * page_size)
            f.write(bytes(page_size))
        damaged = read_bytes(history)
        for command in (["track", "history"], ["track", "show", "@latest"],
                        ["compare", "@latest", self.venv, "-q"],
                        ["track", "snapshot", "--venv", self.venv, "-q"]):
            with self.subTest(command=" ".join(command[:2])):
                proc = run_pkgsizer(command + ["--history", history], env=track_env(root), cwd=root)
                self.assert_one_line_error(proc, EXIT_STORE, history, "damaged")
                self.assertEqual(read_bytes(history), damaged, "the damaged history was changed")

    def test_each_cut_of_a_history_is_refused(self):
        # Cut at other places too: whatever SQLite's check finds, nothing reads as sound.
        root = self.new_root()
        original = read_bytes(self.make_history(root))
        for percent in (95, 90, 75, 50):
            with self.subTest(percent=percent):
                history = os.path.join(root, f"cut-{percent}.sqlite3")
                with open(history, "wb") as f:
                    f.write(original[:len(original) * percent // 100])
                proc = self.track(["history", "--history", history], root)
                self.assert_one_line_error(proc, EXIT_STORE, history)

    def test_a_history_checked_sound_is_not_checked_again_until_it_changes(self):
        root = self.new_root()
        history = self.make_history(root, 3)
        sidecar = history + "-checked"
        self.assertTrue(os.path.exists(sidecar), "a write remembers the file it left sound")
        remembered = read_bytes(sidecar)
        proc = self.track(["history", "--history", history], root)
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        self.assertEqual(read_bytes(sidecar), remembered)
        self.snapshot(root, self.venv, "more", ["--history", history, "-q"])
        self.assertNotEqual(read_bytes(sidecar), remembered, "a write moves the remembered stamp")

    # --- reading without writing -------------------------------------------------------------

    def test_read_only_commands_create_no_history(self):
        root = self.new_root()
        history = os.path.join(root, "none", "h.sqlite3")
        for command in (["track", "history"], ["track", "history", "--json"],
                        ["track", "show", "@latest"], ["track", "diff", "@1", "@2"],
                        ["track", "graph"], ["track", "export"]):
            with self.subTest(command=" ".join(command)):
                proc = run_pkgsizer(command + ["--history", history], env=track_env(root), cwd=root)
                self.assert_one_line_error(proc, EXIT_NOT_FOUND, f"history at {history}")
                self.assertFalse(os.path.exists(os.path.dirname(history)))
        proc = run_pkgsizer(["compare", "@latest", self.venv, "--history", history, "-q"],
                            env=track_env(root), cwd=root)
        self.assertNotEqual(proc.returncode, EXIT_OK, describe(proc))
        self.assertFalse(os.path.exists(os.path.dirname(history)))

    def read_as_other_user(self, root, history, kwargs):
        """history, show and compare @latest read the history; none may write."""
        before = read_bytes(history)
        for command in (["track", "history", "--json"], ["track", "show", "@latest", "--json"],
                        ["track", "export"], ["compare", "@s1", "@latest", "-q"]):
            with self.subTest(command=" ".join(command[:2])):
                proc = run_pkgsizer(command + ["--history", history], env=track_env(root),
                                    cwd=root, **kwargs)
                self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
                self.assertEqual(proc.stderr, "", describe(proc))
        self.assertEqual(read_bytes(history), before)
        proc = run_pkgsizer(["track", "history", "--json", "--history", history],
                            env=track_env(root), cwd=root, **kwargs)
        self.assertEqual(len(json.loads(proc.stdout)["snapshots"]), 3)
        # A write is refused, naming the file.
        proc = run_pkgsizer(["track", "delete", "@s1", "--history", history], env=track_env(root),
                            cwd=root, **kwargs)
        self.assert_one_line_error(proc, EXIT_STORE, history)
        self.assertEqual(read_bytes(history), before)

    def test_read_only_history_of_ones_own(self):
        # chmod 444 on one's own history, in one's own directory.
        root = self.new_root()
        kwargs = unprivileged_kwargs(root)
        directory = os.path.join(root, "mine")
        os.makedirs(directory)
        history = os.path.join(directory, "h.sqlite3")
        self.make_history_at(root, history)
        if kwargs:
            for path in (directory, history, history + "-checked"):
                os.chown(path, 65534, 65534)
        os.chmod(history, 0o444)
        self.read_as_other_user(root, history, kwargs)

    def test_read_only_history_in_a_directory_one_may_not_write(self):
        # Someone else's history, readable by all: SQLite cannot make its -shm beside it.
        root = self.new_root()
        kwargs = unprivileged_kwargs(root)
        if not kwargs:
            self.skipTest("needs root, to make a history that this user may not write")
        directory = os.path.join(root, "theirs")
        os.makedirs(directory)
        history = os.path.join(directory, "h.sqlite3")
        self.make_history_at(root, history)
        os.chmod(history, 0o444)
        os.chmod(directory, 0o755)
        self.read_as_other_user(root, history, kwargs)
        self.assertEqual(sorted(os.listdir(directory)), ["h.sqlite3", "h.sqlite3-checked"])

    def make_history_at(self, root, history):
        proc = self.track(["import", self.write_export(root, 3), "--history", history], root)
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))


if __name__ == "__main__":
    unittest.main()
