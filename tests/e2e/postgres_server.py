"""A real PostgreSQL server for the tests of a PostgreSQL history (docs/team-history.md): Debian's
postgresql 15, `initdb` into a temporary directory and `pg_ctl start` on a unix socket in that
directory and a free port on 127.0.0.1 — never a mock. One server per test class (start it in
setUpClass, stop it with addClassCleanup: it is stopped by pg_ctl, else by its PID, even when
the class fails). initdb refuses to run as root, so under root the server runs as `nobody`,
owning its temporary directory.

pkgsizer connects over TCP as the role `pkgsizer` with a password (scram-sha-256), so that a
password goes through every path a team's CI takes; the tests administer the server through the
unix socket as its superuser (trust), with psql.
"""

import itertools
import os
import signal
import socket
import subprocess
import time

from support import make_tempdir, remove_tree

PG_BIN = "/usr/lib/postgresql/15/bin"
ROLE = "pkgsizer"
PASSWORD = "Tr0ub4dor-s3cret"
SUPERUSER = "admin"
NOBODY = 65534


def _as_server_user():
    if os.geteuid() != 0:
        return {}
    return {"user": NOBODY, "group": NOBODY, "extra_groups": []}


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresServer:

    def __init__(self):
        self.root = None
        self.pid = None
        self.port = None
        self._names = itertools.count(1)
        self.password = PASSWORD

    @property
    def data(self):
        return os.path.join(self.root, "data")

    @property
    def sockets(self):
        return os.path.join(self.root, "sockets")

    def _run(self, args, check=True, **kwargs):
        env = {"PATH": PG_BIN + ":/usr/bin:/bin", "LC_ALL": "C", "HOME": self.root}
        proc = subprocess.run(args, env=env, cwd=self.root, capture_output=True, text=True,
                              stdin=subprocess.DEVNULL, timeout=120, **_as_server_user(), **kwargs)
        if check and proc.returncode != 0:
            raise RuntimeError(f"{' '.join(args)}: exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}")
        return proc

    def start(self):
        for tool in ("initdb", "pg_ctl", "psql"):
            if not os.access(os.path.join(PG_BIN, tool), os.X_OK):
                raise RuntimeError(f"{PG_BIN}/{tool} is missing: scripts/install-deps.sh installs "
                                   "postgresql")
        self.root = make_tempdir("pkgsizer-e2e-postgres-")
        os.makedirs(self.sockets)
        if os.geteuid() == 0:
            for path in (self.root, self.sockets):
                os.chown(path, NOBODY, NOBODY)
        self._run([f"{PG_BIN}/initdb", "-D", self.data, "-U", SUPERUSER, "--no-sync", "-E", "UTF8",
                   "--locale=C", "--auth-local=trust", "--auth-host=scram-sha-256"])
        self.port = free_port()
        self._start_server()
        self.psql(f"CREATE ROLE {ROLE} LOGIN PASSWORD '{PASSWORD}'")
        return self

    def _start_server(self):
        options = (f"-k {self.sockets} -p {self.port} -h 127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=60")
        self._run([f"{PG_BIN}/pg_ctl", "-D", self.data, "-l", os.path.join(self.root, "log"), "-w",
                   "-t", "60", "-o", options, "start"])
        with open(os.path.join(self.data, "postmaster.pid")) as f:
            self.pid = int(f.readline())

    def stop_server(self):
        """Stops the server (fast: its sessions are ended), by pg_ctl, else by its PID."""
        if self.pid is None:
            return
        proc = self._run([f"{PG_BIN}/pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop"],
                         check=False)
        if proc.returncode != 0:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.pid = None

    def restart(self):
        self.stop_server()
        self._start_server()

    def stop(self):
        try:
            self.stop_server()
        finally:
            if self.root:
                remove_tree(self.root)
                self.root = None

    def psql(self, sql, database="postgres"):
        """Runs `sql` as the superuser; returns psql's unaligned output."""
        proc = subprocess.run([f"{PG_BIN}/psql", "-h", self.sockets, "-p", str(self.port), "-U",
                               SUPERUSER, "-d", database, "-X", "-q", "-A", "-t", "-v",
                               "ON_ERROR_STOP=1", "-c", sql],
                              env={"PATH": "/usr/bin:/bin", "LC_ALL": "C"}, capture_output=True,
                              text=True, stdin=subprocess.DEVNULL, timeout=120)
        if proc.returncode != 0:
            raise RuntimeError(f"psql: {sql}\n{proc.stderr}")
        return proc.stdout.strip()

    def new_database(self):
        """A new, empty database that the role `pkgsizer` owns; its name."""
        name = f"history_{next(self._names)}"
        self.psql(f"CREATE DATABASE {name} OWNER {ROLE}")
        return name

    def url(self, database, password=True):
        secret = f":{PASSWORD}" if password else ""
        return f"postgresql://{ROLE}{secret}@127.0.0.1:{self.port}/{database}"

    def printable_url(self, database):
        return self.url(database, password=False)


def start_postgres(test_class):
    """A server for `test_class`, stopped when the class is done (even when it fails)."""
    server = PostgresServer()
    test_class.addClassCleanup(server.stop)
    return server.start()


def wait_until(predicate, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return predicate()
