#!/usr/bin/env python3
"""How fast `pkgsizer track history` reads one environment out of a big PostgreSQL history.

Starts its own PostgreSQL 15 (tests/e2e/postgres_server.py: initdb in a temporary directory, a
unix socket and a free port on 127.0.0.1, stopped at the end), records one real snapshot of a
small venv with `pkgsizer track snapshot`, then copies it in SQL to SNAPSHOTS snapshots spread
over ENVIRONMENTS environments (every copy keeps the real scan JSON and its distribution rows),
and times `pkgsizer track history --name ENV` (table and --json), the whole process from exec to
exit, median of RUNS. It also prints the plan of the query behind it (EXPLAIN ANALYZE), to show
the index at work. Results: docs/benchmarks.md.

    python3 benchmarks/bench_history_postgres.py --bin build/pkgsizer [--snapshots 100000]
"""

import argparse
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "e2e"))
os.environ.setdefault("PKGSIZER_BIN", "build/pkgsizer")

from postgres_server import PostgresServer  # noqa: E402
from support import make_tempdir, make_venv, remove_tree, SiteTree, venv_site_packages  # noqa: E402


def timed(binary, args, env, runs):
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        proc = subprocess.run([binary] + args, env=env, capture_output=True, text=True)
        times.append(time.perf_counter() - started)
        if proc.returncode != 0:
            sys.exit(f"{' '.join(args)}: exit {proc.returncode}\n{proc.stderr}")
    return statistics.median(times) * 1000, len(proc.stdout.splitlines())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", default="build/pkgsizer")
    parser.add_argument("--snapshots", type=int, default=100_000)
    parser.add_argument("--environments", type=int, default=100)
    parser.add_argument("--runs", type=int, default=20)
    options = parser.parse_args()
    binary = os.path.abspath(options.bin)
    work = make_tempdir("pkgsizer-bench-history-")
    server = PostgresServer()
    try:
        server.start()
        database = server.new_database()
        url = server.url(database)
        venv = make_venv(os.path.join(work, "venv"), with_pip=False)
        tree = SiteTree(venv_site_packages(venv), layout=False)
        tree.dist_info("aone", "1.0", {"aone/__init__.py": 4000, "aone/data.bin": 30000})
        tree.dist_info("atwo", "2.5", {"atwo.py": 1200}, requires=["aone"])
        env = dict(os.environ, PKGSIZER_HISTORY=url, HOME=work, XDG_CACHE_HOME=work)
        subprocess.run([binary, "track", "snapshot", "seed", "--venv", venv, "-q"], env=env,
                       check=True, capture_output=True)
        started = time.perf_counter()
        server.psql(f"""
            INSERT INTO pkgsizer_snapshots (environment, label, created_at, git_commit, git_branch,
                distributions, apparent_bytes, disk_bytes, scan_json)
            SELECT 'env-' || (n % {options.environments}), 'build-' || n, s.created_at,
                   s.git_commit, s.git_branch, s.distributions, s.apparent_bytes + n,
                   s.disk_bytes, s.scan_json
            FROM generate_series(2, {options.snapshots}) AS n, pkgsizer_snapshots AS s
            WHERE s.id = 1;
            INSERT INTO pkgsizer_distributions (snapshot_id, name, version, apparent_bytes,
                disk_bytes)
            SELECT s.id, d.name, d.version, d.apparent_bytes, d.disk_bytes
            FROM pkgsizer_snapshots s, pkgsizer_distributions d
            WHERE d.snapshot_id = 1 AND s.id > 1;
            ANALYZE;""", database)
        count = server.psql("SELECT count(*) FROM pkgsizer_snapshots", database)
        size = server.psql(f"SELECT pg_size_pretty(pg_database_size('{database}'))")
        print(f"filled: {count} snapshots over {options.environments} environments, {size}, "
              f"in {time.perf_counter() - started:.1f} s")
        one = f"env-{options.environments // 2}"
        per_environment = options.snapshots // options.environments
        print(f"\n| command ({per_environment} snapshots of {one}) | median ms | lines |")
        print("|---|---:|---:|")
        for args in (["track", "history", "--name", one, "--color", "never"],
                     ["track", "history", "--name", one, "--json"],
                     ["track", "show", "@latest", "--name", one, "--color", "never"],
                     ["--version"]):
            ms, lines = timed(binary, args, env, options.runs)
            print(f"| `pkgsizer {' '.join(args)}` | {ms:.1f} | {lines} |")
        print("\nEXPLAIN ANALYZE of the query of `track history --name`:")
        print(server.psql(
            "EXPLAIN ANALYZE SELECT id, environment, label, created_at, git_commit, git_branch, "
            "distributions, apparent_bytes, disk_bytes FROM pkgsizer_snapshots WHERE "
            f"environment = '{one}' ORDER BY id", database))
    finally:
        server.stop()
        remove_tree(work)


if __name__ == "__main__":
    main()
