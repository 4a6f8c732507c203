"""`pkgsizer track` with its history in PostgreSQL (docs/team-history.md), against a real server
this module starts once (postgres_server.py): what a team's CI needs beyond the tests that run on both
backends (test_track.py's Postgres* classes) — 16 runners snapshotting at once into a new
database, a snapshot killed by kill -9 or cut off by the server, moving a history between SQLite
and PostgreSQL, each fault as one line and exit 8 without the password, the libpq environment
(PGPASSWORD, ~/.pgpass, PGSERVICE, sslmode), --timeout, retention, and `compare @ref` and
`check-budget --baseline @ref` reading the database.
"""

import json
import os
import signal
import socket
import subprocess
import time
import unittest

from postgres_server import PASSWORD, free_port, PostgresServer, wait_until
from support import (BIN, EXIT_OK, base_env, BinaryTestCase, describe, make_tempdir, make_venv,
                     remove_tree, SiteTree, stderr_lines, store_env, venv_site_packages,
                     run_pkgsizer)

EXIT_STORE = 8
EXIT_NOT_FOUND = 9


# One server and one venv for the whole module: each test has a database of its own.
SHARED = {}


def setUpModule():
    server = PostgresServer()
    unittest.addModuleCleanup(server.stop)
    SHARED["postgres"] = server.start()
    tmp = make_tempdir("pkgsizer-e2e-pg-venv-")
    unittest.addModuleCleanup(remove_tree, tmp)
    venv = make_venv(os.path.join(tmp, "venv"), with_pip=False)
    tree = SiteTree(venv_site_packages(venv), layout=False)
    tree.dist_info("aone", "1.0", {"aone/__init__.py": 4000, "aone/data.bin": 30000})
    tree.dist_info("atwo", "2.5", {"atwo.py": 1200}, requires=["aone"])
    SHARED["venv"] = venv


class PostgresTrackTestCase(BinaryTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.postgres = SHARED["postgres"]
        cls.venv = SHARED["venv"]

    def setUp(self):
        self.root = make_tempdir("pkgsizer-e2e-pg-")
        self.addCleanup(remove_tree, self.root)
        self.database = self.postgres.new_database()
        self.url = self.postgres.url(self.database)

    def env(self, extra=None):
        env = store_env(self.root)
        env.update({"GIT_CEILING_DIRECTORIES": os.path.dirname(self.root), "GIT_DIR": None,
                    "PKGSIZER_HISTORY": self.url})
        env.update(extra or {})
        return env

    def run_pkgsizer(self, args, extra_env=None, **kwargs):
        proc = run_pkgsizer(args, env=self.env(extra_env), cwd=self.root, **kwargs)
        for stream in (proc.stdout, proc.stderr):
            self.assertNotIn(PASSWORD, stream, "the password was shown" + describe(proc))
        return proc

    def track(self, args, extra_env=None, **kwargs):
        return self.run_pkgsizer(["track"] + list(args), extra_env, **kwargs)

    def snapshot(self, label, extra=(), extra_env=None):
        proc = self.track(["snapshot", label, "--venv", self.venv, "-q"] + list(extra), extra_env)
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        return proc

    def sql(self, statement):
        return self.postgres.psql(statement, self.database)

    def assert_store_error(self, proc, *mentions):
        self.assertEqual(proc.returncode, EXIT_STORE, describe(proc))
        lines = stderr_lines(proc)
        self.assertEqual(len(lines), 1, describe(proc))
        self.assertTrue(lines[0].startswith("pkgsizer: error:"), describe(proc))
        for text in mentions:
            self.assertIn(text, lines[0], describe(proc))
        self.assertEqual(proc.stdout, "")

    def assert_no_partial_rows(self):
        """Every snapshot has all its distribution rows, and no row is without its snapshot."""
        self.assertEqual(self.sql(
            "SELECT count(*) FROM pkgsizer_snapshots s WHERE s.distributions <> (SELECT count(*) "
            "FROM pkgsizer_distributions d WHERE d.snapshot_id = s.id)"), "0")
        self.assertEqual(self.sql(
            "SELECT count(*) FROM pkgsizer_distributions d WHERE NOT EXISTS (SELECT 1 FROM "
            "pkgsizer_snapshots s WHERE s.id = d.snapshot_id)"), "0")


class PostgresConcurrencyTest(PostgresTrackTestCase):

    def test_sixteen_processes_snapshot_at_once_into_a_new_database(self):
        # No `track init`: all 16 find no schema and migrate at once, under the advisory lock.
        env = base_env(self.env())
        procs = [subprocess.Popen([BIN, "track", "snapshot", f"runner-{i}", "--venv", self.venv,
                                   "-q", "--name", f"service-{i % 4}"],
                                  env=env, cwd=self.root, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
                 for i in range(16)]
        for i, proc in enumerate(procs):
            out, err = proc.communicate(timeout=120)
            with self.subTest(process=i):
                self.assertEqual(proc.returncode, EXIT_OK, f"stdout: {out}\nstderr: {err}")
                self.assertEqual(err, "", f"process {i} complained")
        proc = self.track(["history", "--json"])
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        snapshots = json.loads(proc.stdout)["snapshots"]
        self.assertEqual(sorted(s["label"] for s in snapshots),
                         sorted(f"runner-{i}" for i in range(16)))
        self.assertEqual(len({s["id"] for s in snapshots}), 16)
        self.assertEqual(self.sql("SELECT count(*) FROM pkgsizer_distributions"), str(16 * 2))
        self.assertEqual(self.sql("SELECT version FROM pkgsizer_schema_version"), "1")
        self.assert_no_partial_rows()
        proc = self.track(["history", "--json", "--name", "service-1"])
        self.assertEqual([s["label"] for s in json.loads(proc.stdout)["snapshots"]],
                         [s["label"] for s in snapshots if s["environment"] == "service-1"])


class PostgresInterruptedWriteTest(PostgresTrackTestCase):
    """A snapshot is held in the middle of its transaction — its snapshot row written, its
    distribution rows waiting for a lock that a psql session holds — and then killed, or its
    session ended by the server."""

    def hold_distributions_lock(self):
        session = subprocess.Popen(
            [f"/usr/lib/postgresql/15/bin/psql", "-h", self.postgres.sockets, "-p",
             str(self.postgres.port), "-U", "admin", "-d", self.database, "-X", "-q"],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            text=True, env={"PATH": "/usr/bin:/bin", "LC_ALL": "C"})
        self.addCleanup(lambda: session.poll() is not None or session.kill() or session.wait())
        session.stdin.write("BEGIN;\nLOCK TABLE pkgsizer_distributions IN ACCESS EXCLUSIVE MODE;\n"
                            "SELECT 1;\n")
        session.stdin.flush()
        self.assertTrue(wait_until(lambda: self.sql(
            "SELECT count(*) FROM pg_locks WHERE mode = 'AccessExclusiveLock' AND granted AND "
            "relation = 'pkgsizer_distributions'::regclass") == "1"))
        return session

    def start_blocked_snapshot(self):
        proc = subprocess.Popen([BIN, "track", "snapshot", "interrupted", "--venv", self.venv, "-q"],
                                env=base_env(self.env()), cwd=self.root, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
        self.addCleanup(lambda: proc.poll() is not None or proc.kill() or proc.communicate())
        waiting = ("SELECT pid FROM pg_stat_activity WHERE application_name = 'pkgsizer' AND "
                   "wait_event_type = 'Lock'")
        self.assertTrue(wait_until(lambda: self.sql(waiting) != "", 30), "the snapshot never blocked")
        return proc, self.sql(waiting)

    def setUp(self):
        super().setUp()
        self.snapshot("before")

    def assert_only_the_first_snapshot(self):
        self.assertTrue(wait_until(lambda: self.sql(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pkgsizer'") == "0"))
        self.assertEqual(self.sql("SELECT label FROM pkgsizer_snapshots"), "before")
        self.assert_no_partial_rows()
        proc = self.track(["history", "--json"])
        self.assertEqual([s["label"] for s in json.loads(proc.stdout)["snapshots"]], ["before"])

    def test_kill_9_leaves_no_partial_row(self):
        session = self.hold_distributions_lock()
        proc, _ = self.start_blocked_snapshot()
        self.assertEqual(self.sql("SELECT count(*) FROM pkgsizer_snapshots"), "1",
                         "the uncommitted snapshot row is not visible")
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=30)
        session.stdin.write("ROLLBACK;\n\\q\n")
        session.stdin.close()
        session.wait(timeout=30)
        self.assert_only_the_first_snapshot()

    def test_connection_dropped_mid_write(self):
        session = self.hold_distributions_lock()
        proc, backend = self.start_blocked_snapshot()
        self.sql(f"SELECT pg_terminate_backend({int(backend)})")
        out, err = proc.communicate(timeout=30)
        session.stdin.write("ROLLBACK;\n\\q\n")
        session.stdin.close()
        session.wait(timeout=30)
        completed = subprocess.CompletedProcess(proc.args, proc.returncode, out, err)
        self.assert_store_error(completed, "lost the connection",
                                self.postgres.printable_url(self.database))
        self.assertNotIn(PASSWORD, err)
        self.assert_only_the_first_snapshot()


class PostgresFaultTest(PostgresTrackTestCase):

    def test_server_down(self):
        self.url = f"postgresql://pkgsizer:{PASSWORD}@127.0.0.1:{free_port()}/{self.database}"
        for args in (["init"], ["snapshot", "--venv", self.venv], ["history"]):
            with self.subTest(args=args):
                self.assert_store_error(self.track(args), "cannot connect", "Connection refused")

    def test_unparsable_url(self):
        # libpq's message quotes the URL it could not parse: its password must not come along.
        self.url = f"postgresql://pkgsizer:{PASSWORD}@[bad"
        self.assert_store_error(self.track(["history"]), "postgresql://pkgsizer@[bad")

    def test_wrong_password(self):
        self.url = self.postgres.url(self.database).replace(PASSWORD, "not-the-Secret")
        proc = self.track(["history"])
        self.assert_store_error(proc, "password authentication failed")
        self.assertNotIn("not-the-Secret", proc.stderr)

    def test_database_missing(self):
        self.url = self.postgres.url("no_such_database")
        proc = self.track(["snapshot", "--venv", self.venv])
        self.assert_store_error(proc, 'database "no_such_database" does not exist')

    def test_server_restarted_between_two_commands(self):
        self.snapshot("one")
        self.postgres.restart()
        self.snapshot("two")
        proc = self.track(["history", "--json"])
        self.assertEqual([s["label"] for s in json.loads(proc.stdout)["snapshots"]], ["one", "two"])

    def test_timeout_for_connecting(self):
        # A server that accepts the connection and then never answers.
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as silent:
            silent.bind(("127.0.0.1", 0))
            silent.listen(8)
            self.url = f"postgresql://pkgsizer@127.0.0.1:{silent.getsockname()[1]}/x"
            started = time.monotonic()
            proc = self.track(["history", "--timeout", "2"])
            elapsed = time.monotonic() - started
        self.assert_store_error(proc, "cannot connect", "timeout")
        self.assertLess(elapsed, 8, "--timeout 2 was not kept")

    def test_timeout_for_compare_and_check_budget(self):
        # The readers of an @reference take track's --timeout too (the same silent server);
        # check-budget calls it --history-timeout (its --timeout bounds an --import run).
        with open(os.path.join(self.root, "pkgsizer.toml"), "w") as f:
            f.write('[budget]\nmax_increase = "10%"\n')
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as silent:
            silent.bind(("127.0.0.1", 0))
            silent.listen(8)
            self.url = f"postgresql://pkgsizer@127.0.0.1:{silent.getsockname()[1]}/x"
            for args in (["compare", "@base", self.venv, "--timeout", "2"],
                         ["check-budget", "--venv", self.venv, "--baseline", "@base",
                          "--history-timeout", "2"]):
                with self.subTest(command=args[0]):
                    started = time.monotonic()
                    proc = self.run_pkgsizer(args)
                    elapsed = time.monotonic() - started
                    self.assertEqual(proc.returncode, EXIT_STORE, describe(proc))
                    self.assertIn("timeout", proc.stderr, describe(proc))
                    self.assertLess(elapsed, 8, "--timeout 2 was not kept")

    def test_newer_schema_is_refused(self):
        self.snapshot("one")
        self.sql("UPDATE pkgsizer_schema_version SET version = 99")
        for args in (["history"], ["snapshot", "--venv", self.venv], ["init"]):
            with self.subTest(args=args):
                self.assert_store_error(self.track(args), "schema version 99 is newer")


class PostgresConnectionSettingsTest(PostgresTrackTestCase):
    """Credentials from where libpq reads them, so that none need be in the URL (or a log)."""

    def setUp(self):
        super().setUp()
        self.bare_url = self.postgres.url(self.database, password=False)

    def test_pgpassword(self):
        self.url = self.bare_url.replace("postgresql://", "postgres://")  # libpq's other scheme
        self.snapshot("one", extra_env={"PGPASSWORD": PASSWORD})
        self.assertEqual(self.sql("SELECT label FROM pkgsizer_snapshots"), "one")
        proc = self.track(["history"], {"PGPASSWORD": "wrong"})
        self.assert_store_error(proc, "password authentication failed")

    def test_pgpass_file(self):
        self.url = self.bare_url
        pgpass = os.path.join(self.root, ".pgpass")  # HOME is the root (store_env)
        with open(pgpass, "w") as f:
            f.write(f"127.0.0.1:{self.postgres.port}:*:pkgsizer:{PASSWORD}\n")
        os.chmod(pgpass, 0o600)
        self.snapshot("one")

    def test_pgservice_and_sslmode(self):
        services = os.path.join(self.root, "pg_service.conf")
        with open(services, "w") as f:
            f.write(f"[team]\nhost=127.0.0.1\nport={self.postgres.port}\ndbname={self.database}\n"
                    f"user=pkgsizer\npassword={PASSWORD}\n")
        self.url = "postgresql://"
        service = {"PGSERVICEFILE": services, "PGSERVICE": "team"}
        self.snapshot("via-service", extra_env=service)
        self.url = f"postgresql:///?service=team&sslmode=disable"
        proc = self.track(["history", "--json"], {"PGSERVICEFILE": services})
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        self.url = f"postgresql:///?service=team&sslmode=require"
        proc = self.track(["history"], {"PGSERVICEFILE": services})
        self.assert_store_error(proc, "SSL")

    def test_help_shows_no_password(self):
        # --help shows the default history (PKGSIZER_HISTORY): without its password.
        commands = [["scan-env"], ["why"], ["compare"], ["check-budget"], ["predict"], ["track"]]
        commands += [["track", sub] for sub in ("init", "snapshot", "history", "show", "graph",
                                                "diff", "delete", "export", "import")]
        for command in commands:
            with self.subTest(command=command):
                proc = self.run_pkgsizer(command + ["--help"])  # asserts the password is absent
                self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        self.assertIn(self.bare_url, self.run_pkgsizer(["compare", "--help"]).stdout)

    def test_password_in_the_query_is_not_shown(self):
        self.url = f"{self.bare_url}?password={PASSWORD}&sslmode=disable"
        proc = self.track(["init"])
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        self.assertIn(f"{self.bare_url}?sslmode=disable", proc.stdout)


class PostgresExchangeTest(PostgresTrackTestCase):
    """Moving a history between the backends keeps `track history` exactly as it was."""

    def views(self, history):
        views = []
        for args in (["history", "--color", "never"], ["history", "--json"],
                     ["history", "--name", "web", "--color", "never"]):
            proc = self.track(args + ["--history", history])
            self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
            if "--json" in args:  # everything but where it was read
                document = json.loads(proc.stdout)
                self.assertEqual(document.pop("history"),
                                 history.replace(f":{PASSWORD}@", "@"))
                views.append(document)
            else:
                views.append(proc.stdout)
        return views

    def move(self, source, target):
        exported = os.path.join(self.root, "export.json")
        proc = self.track(["export", exported, "--history", source])
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        proc = self.track(["import", exported, "--history", target])
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))

    def test_sqlite_to_postgres_and_back(self):
        sqlite_history = os.path.join(self.root, "team.sqlite3")
        for label, name in (("a1", "web"), ("b1", "worker"), ("a2", "web")):
            self.snapshot(label, ["--name", name, "--history", sqlite_history])
        original = self.views(sqlite_history)
        self.move(sqlite_history, self.url)
        self.assertEqual(self.views(self.url), original)
        back = os.path.join(self.root, "back.sqlite3")
        self.move(self.url, back)
        self.assertEqual(self.views(back), original)
        self.assert_no_partial_rows()

    def test_import_is_all_or_nothing(self):
        sqlite_history = os.path.join(self.root, "team.sqlite3")
        self.snapshot("a1", ["--history", sqlite_history])
        exported = os.path.join(self.root, "export.json")
        self.assertEqual(self.track(["export", exported, "--history", sqlite_history]).returncode,
                         EXIT_OK)
        self.track(["init"])
        self.sql("ALTER TABLE pkgsizer_distributions ADD CONSTRAINT small CHECK (apparent_bytes "
                 "< 2000)")  # the second distribution row of the import fails
        proc = self.track(["import", exported])
        self.assert_store_error(proc, "refused")
        self.assertEqual(self.sql("SELECT count(*) FROM pkgsizer_snapshots"), "0")


class PostgresBytesTest(PostgresTrackTestCase):

    def test_names_that_are_not_utf8(self):
        # A distribution whose name has a byte that is not UTF-8 (PostgreSQL's text refuses
        # it): the snapshot is stored, its scan keeps the byte, its row is printable.
        venv = make_venv(os.path.join(self.root, "venv-bytes"), with_pip=False)
        tree = SiteTree(venv_site_packages(venv), layout=False)
        tree.dist_info("caf\udce9", "1.0", {"cafe.py": 100}, dirname="cafe-1.0.dist-info",
                       metadata=b"Metadata-Version: 2.1\nName: caf\xe9\nVersion: 1.0\n")
        proc = self.track(["snapshot", "bytes", "--venv", venv, "-q"])
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        proc = self.track(["show", "@bytes", "--json"])
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        names = [d["name"] for d in json.loads(proc.stdout)["distributions"]]
        self.assertIn("caf\udce9", names)
        self.assertEqual(self.sql("SELECT name FROM pkgsizer_distributions"), "caf\\xe9")
        # A label that is not UTF-8 cannot be stored: one line, exit 8, nothing written.
        proc = self.track(["snapshot", "lab\udce9l", "--venv", venv, "-q"])  # b"lab\xe9l"
        self.assert_store_error(proc, "invalid byte sequence")
        self.assertEqual(self.sql("SELECT count(*) FROM pkgsizer_snapshots"), "1")


class PostgresReadersTest(PostgresTrackTestCase):
    """The commands that read a snapshot by @reference read it from the database too."""

    def test_compare_and_check_budget_at_reference(self):
        self.snapshot("base")
        proc = self.run_pkgsizer(["compare", "@base", self.venv, "--json"])
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        self.assertEqual(json.loads(proc.stdout)["before"]["source"], "@base")
        proc = self.run_pkgsizer(["compare", "@nothing", self.venv])
        self.assertEqual(proc.returncode, EXIT_NOT_FOUND, describe(proc))
        with open(os.path.join(self.root, "pkgsizer.toml"), "w") as f:
            f.write('[budget]\nmax_increase = "10%"\n')
        proc = self.run_pkgsizer(["check-budget", "--venv", self.venv, "--baseline", "@base",
                                  "--format", "json", "--fail-on-exceed"])
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        proc = self.run_pkgsizer(["check-budget", "--venv", self.venv, "--baseline", "@nope"])
        self.assertEqual(proc.returncode, EXIT_NOT_FOUND, describe(proc))
        self.url = self.postgres.url(self.postgres.new_database())  # no history in it yet
        proc = self.run_pkgsizer(["compare", "@base", self.venv])
        self.assertEqual(proc.returncode, EXIT_NOT_FOUND, describe(proc))
        self.assertIn("no snapshot history at", proc.stderr)


class PostgresGrantsTest(PostgresTrackTestCase):
    """The roles of docs/team-history.md, made by running its SQL block as it is: CI adds and
    reads but cannot delete or create the schema; retention deletes."""

    def grants_sql(self):
        docs = os.path.join(os.path.dirname(__file__), "..", "..", "docs", "team-history.md")
        with open(docs, encoding="utf-8") as f:
            text = f.read()
        block = text.split("<!-- minimal grants")[1].split("```sql\n")[1].split("```")[0]
        lines = block.splitlines()
        split = next(i for i, line in enumerate(lines)
                     if line.startswith("-- connected to the database pkgsizer"))
        before, after = "\n".join(lines[:split]), "\n".join(lines[split + 1:])
        statements = lambda sql: [s.strip() for s in
                                  "\n".join(l for l in sql.splitlines()
                                            if not l.strip().startswith("--")).split(";")
                                  if s.strip()]
        return statements(before), statements(after)

    def as_role(self, role, password):
        return f"postgresql://{role}:{password}@127.0.0.1:{self.postgres.port}/pkgsizer"

    def test_minimal_grants_of_the_docs(self):
        server_wide, in_database = self.grants_sql()
        for statement in server_wide:
            self.postgres.psql(statement)
        self.database = "pkgsizer"
        ci = self.as_role("pkgsizer_ci", "ci-secret")
        proc = self.track(["snapshot", "--venv", self.venv, "--history", ci])
        self.assert_store_error(proc, "permission denied for schema public")
        proc = self.track(["init", "--history", self.as_role("pkgsizer_owner", "owner-secret")])
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        for statement in in_database:
            self.postgres.psql(statement, "pkgsizer")
        self.url = ci
        self.snapshot("by-ci")
        for args in (["history"], ["show", "@latest"], ["diff", "@1", "@1"], ["graph"], ["export"]):
            with self.subTest(args=args):
                self.assertEqual(self.track(args).returncode, EXIT_OK)
        self.assert_store_error(self.track(["delete", "@1"]), "permission denied")
        self.url = self.as_role("pkgsizer_retention", "retention-secret")
        self.assertEqual(self.track(["delete", "--older-than", "1h"]).returncode, EXIT_OK)
        self.assertEqual(self.track(["delete", "@by-ci"]).returncode, EXIT_OK)
        self.assertEqual(self.sql("SELECT count(*) FROM pkgsizer_distributions"), "0")
        self.assert_store_error(self.track(["snapshot", "--venv", self.venv]), "permission denied")


class RetentionTest(PostgresTrackTestCase):
    """`track delete --older-than AGE`, on both backends."""

    def test_delete_older_than(self):
        for history in (self.url, os.path.join(self.root, "h.sqlite3")):
            with self.subTest(backend=history.split(":")[0]):
                self.snapshot("recent", ["--history", history])
                exported = os.path.join(self.root, "old.json")
                self.track(["export", exported, "--history", history])
                with open(exported) as f:
                    document = json.load(f)
                entry = document["snapshots"][0]
                entry["label"] = "ancient"
                entry["scan"]["created_at"] = "2020-01-01T00:00:00Z"
                with open(exported, "w") as f:
                    json.dump(document, f)
                self.assertEqual(self.track(["import", exported, "--history", history]).returncode,
                                 EXIT_OK)
                proc = self.track(["delete", "--older-than", "90d", "--history", history])
                self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
                self.assertIn("Deleted 1 snapshot ", proc.stdout)
                proc = self.track(["history", "--json", "--history", history])
                self.assertEqual([s["label"] for s in json.loads(proc.stdout)["snapshots"]],
                                 ["recent"])
                for bad in (["--older-than", "soon"], ["@1", "--older-than", "1d"], []):
                    proc = self.track(["delete", "--history", history] + bad)
                    self.assertEqual(proc.returncode, 2, describe(proc))
        self.assert_no_partial_rows()


if __name__ == "__main__":
    unittest.main()
