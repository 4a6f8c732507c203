#!/usr/bin/env python3
"""Time ``pkgsizer scan-env`` against ``du -sb`` on the same site-packages trees.

Usage::

    bench_scan.py [--bin build/pkgsizer] (--tree [LABEL=]DIR | --synthetic N)... [--runs 11]
                  [--extra-args "ARGS"] [--compare-args "ARGS"]... [--compare-base json|table]
                  [--no-table] [--bench-out DIR] [--json-out FILE]

Debian packages needed: python3 (3.11, standard library only), coreutils (``du``) and time
(``/usr/bin/time``, for peak RSS). Install: ``apt-get install -y python3 coreutils time``.

For each tree it measures these commands (stdout to /dev/null):

* ``du``     — ``du -sb TREE``, the baseline;
* ``json``   — ``BIN scan-env --site-packages TREE [EXTRA] --json OUT`` (OUT a temporary file);
* ``table``  — ``BIN scan-env --site-packages TREE [EXTRA]`` (the default table), unless
  ``--no-table``;
* one variant per ``--compare-args "ARGS"``: the ``--compare-base`` command (``json`` by default)
  with ARGS added, compared with that base (e.g. ``--compare-args "--deps-tree"`` answers "does
  the graph add under 10%?"; ``--compare-args ""`` is an A/A run that shows the noise).

BIN is a private copy of ``--bin`` taken at the start, so that a rebuild during the runs cannot
mix two builds (its sha256 goes into ``--json-out``). pkgsizer's scan cache lives in a private
directory (``PKGSIZER_CACHE_DIR``, empty at the start, removed at the end): the warm-up run of
each command fills it, so by default the rounds time cache hits; ``--extra-args "--no-cache"``
times full scans, which is what compares with ``du``.

Each command runs once as a warm-up (the page cache is warm for all of them; nothing drops
caches), then the commands run interleaved, one round after another (du, json, table, variants,
du, json, …), ``--runs`` rounds. Wall and CPU (user+sys) times come from ``os.wait4`` on the
command itself, with no wrapper in the timed span. Peak RSS is measured apart, in ``--rss-runs``
more runs of each pkgsizer command under ``/usr/bin/time -f %M`` (the maximum is kept): a child
of this Python process would report at least Python's own RSS, since Linux carries the parent's
high-water mark across fork/vfork and exec; under /usr/bin/time that floor is about 1 MiB.
Reported per command: median wall time (also min/max and median CPU on stderr) and peak RSS. A
Markdown table row per tree goes to stdout: the ratios of medians are what to compare across
machines, not the seconds.

``--synthetic N`` generates a tree with gen_site_packages.py into
``BENCH_OUT/synthetic-N-mM-sS/site-packages`` (BENCH_OUT: ``--bench-out``, else
$PKGSIZER_BENCH_OUT, else ``bench-out/`` at the repository root) and reuses it on later runs
(its summary.json marks it complete). After the runs, the last JSON report is checked against
du: ``totals.all.apparent_bytes`` should equal ``du -sb``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
TIME = "/usr/bin/time"  # GNU time (Debian package `time`), not the shell keyword
ENV = dict(os.environ)  # for the measured commands; main() points PKGSIZER_CACHE_DIR at a private dir


@dataclass
class Command:
    """One measured command, and its samples."""

    key: str  # "du", "json", "table", "cmp1", …
    label: str  # column heading
    argv: list[str]
    ref: str | None  # key of the command its ratio is taken against
    wall: list[float] = field(default_factory=list)  # seconds
    cpu: list[float] = field(default_factory=list)  # user + sys seconds
    maxrss_kib: list[int] = field(default_factory=list)  # from the separate /usr/bin/time runs

    @property
    def median(self) -> float:
        return statistics.median(self.wall)


def spawn(argv: list[str], stderr_path: str) -> tuple[float, os.struct_rusage]:
    """Run argv (stdin and stdout on /dev/null); return its wall time and rusage."""
    exe = shutil.which(argv[0]) or argv[0]
    actions = [
        (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
        (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
        (os.POSIX_SPAWN_OPEN, 2, stderr_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644),
    ]
    start = time.perf_counter()
    pid = os.posix_spawn(exe, argv, ENV, file_actions=actions)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        with open(stderr_path, errors="replace") as f:
            err = f.read()[-2000:]
        sys.exit(f"bench_scan: `{shlex.join(argv)}` exited with {code}:\n{err}")
    return wall, usage


def run_timed(cmd: Command, stderr_path: str) -> None:
    wall, usage = spawn(cmd.argv, stderr_path)
    cmd.wall.append(wall)
    cmd.cpu.append(usage.ru_utime + usage.ru_stime)


def run_rss(cmd: Command, stderr_path: str, tmp: str) -> None:
    """One run under /usr/bin/time -f %M, for the peak RSS of the command alone."""
    out = os.path.join(tmp, "maxrss.txt")
    spawn([TIME, "-f", "%M", "-o", out, *cmd.argv], stderr_path)
    with open(out) as f:
        cmd.maxrss_kib.append(int(f.read().split()[-1]))


def count_tree(tree: str) -> tuple[int, int]:
    """(distributions, files): metadata entries at the top level; non-directories below."""
    dists = sum(
        1 for e in os.listdir(tree) if e.endswith((".dist-info", ".egg-info", ".egg-link"))
    )
    files = 0
    for dirpath, dirnames, filenames in os.walk(tree):  # symlinks to directories count as files
        files += len(filenames) + sum(os.path.islink(os.path.join(dirpath, d)) for d in dirnames)
    return dists, files


def synthetic_tree(n: int, files_per_dist: float, seed: int, bench_out: str) -> tuple[str, dict]:
    """Generate (or reuse) a synthetic tree; return its path and its summary."""
    base = os.path.join(bench_out, f"synthetic-{n}-m{files_per_dist:g}-s{seed}")
    tree, summary_path = os.path.join(base, "site-packages"), os.path.join(base, "summary.json")
    if not os.path.exists(summary_path):
        os.makedirs(base, exist_ok=True)
        print(f"generating {tree} …", file=sys.stderr)
        subprocess.run(
            [sys.executable, os.path.join(HERE, "gen_site_packages.py"), tree, "--distributions", str(n),
             "--files-per-dist", str(files_per_dist), "--seed", str(seed), "--force",
             "--summary-json", summary_path + ".tmp"],
            check=True,
        )
        os.replace(summary_path + ".tmp", summary_path)
    with open(summary_path) as f:
        return tree, json.load(f)


def fmt_time(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.3f} s"


def fmt_rss(kib: int) -> str:
    return f"{kib / 1024:.1f} MiB"


def check_report(json_path: str, tree: str) -> dict:
    """Compare the report's totals with du -sb (run once more, outside the timings)."""
    du_bytes = int(subprocess.run(["du", "-sb", tree], check=True, capture_output=True, text=True).stdout.split()[0])
    result: dict = {"du_sb": du_bytes}
    try:
        with open(json_path) as f:
            report = json.load(f)
        result["report_apparent"] = report["totals"]["all"]["apparent_bytes"]
        result["report_distributions"] = report["totals"].get("distributions")
        result["matches_du"] = result["report_apparent"] == du_bytes
    except (OSError, ValueError, KeyError, TypeError) as e:
        result["error"] = f"could not read totals.all.apparent_bytes: {e!r}"
    return result


def table_header(commands: list[Command]) -> str:
    cols = ["tree", "distributions", "files"]
    for c in commands:
        cols.append(f"{c.label} median")
        if c.ref:
            cols.append(f"÷ {c.ref}")
        if c.key != "du":
            cols.append(f"{c.key} peak RSS")
    return "| " + " | ".join(cols) + " |\n|" + "---|" * len(cols)


def table_row(name: str, dists: int, files: int, commands: list[Command]) -> str:
    by_key = {c.key: c for c in commands}
    cells = [name, str(dists), str(files)]
    for c in commands:
        cells.append(fmt_time(c.median))
        if c.ref:
            cells.append(f"{c.median / by_key[c.ref].median:.2f}")
        if c.key != "du":
            cells.append(fmt_rss(max(c.maxrss_kib)))
    return "| " + " | ".join(cells) + " |"


def repo_head() -> str:
    """The repository's HEAD (with "+dirty" for uncommitted changes), for the record."""
    try:
        head = subprocess.run(["git", "-C", REPO, "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                              check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", REPO, "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, check=True).stdout.strip()
        return head + ("+dirty" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return ""


def join_split_options(argv: list[str]) -> list[str]:
    """Let `--extra-args "--no-cache"` work: argparse would take "--no-cache" for an option."""
    out, i = [], 0
    while i < len(argv):
        if argv[i] in ("--extra-args", "--compare-args") and i + 1 < len(argv):
            out.append(f"{argv[i]}={argv[i + 1]}")
            i += 2
        else:
            out.append(argv[i])
            i += 1
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default=os.path.join(REPO, "build", "pkgsizer"), help="pkgsizer binary (default: build/pkgsizer)")
    ap.add_argument("--tree", action="append", default=[], metavar="[LABEL=]DIR",
                    help="a site-packages directory, labelled LABEL in the table (repeatable)")
    ap.add_argument("--synthetic", action="append", type=int, default=[], metavar="N",
                    help="a generated tree of N distributions (repeatable)")
    ap.add_argument("--files-per-dist", type=float, default=200.0, help="for --synthetic (default 200)")
    ap.add_argument("--seed", type=int, default=1, help="for --synthetic (default 1)")
    ap.add_argument("--bench-out", default=os.environ.get("PKGSIZER_BENCH_OUT", os.path.join(REPO, "bench-out")),
                    help="where synthetic trees are kept (default $PKGSIZER_BENCH_OUT or bench-out/)")
    ap.add_argument("--runs", type=int, default=11, help="measured rounds (default 11)")
    ap.add_argument("--rss-runs", type=int, default=3, help="runs under /usr/bin/time for peak RSS (default 3)")
    ap.add_argument("--extra-args", default="", help="more pkgsizer arguments for every pkgsizer command")
    ap.add_argument("--compare-args", action="append", default=[], metavar="ARGS",
                    help="add a variant: the base command plus ARGS (repeatable)")
    ap.add_argument("--compare-base", choices=("json", "table"), default="json",
                    help="the command --compare-args variants extend and are compared with (default json)")
    ap.add_argument("--no-table", action="store_true", help="do not time the default table output")
    ap.add_argument("--json-out", metavar="FILE", help="write every sample and the machine's details as JSON")
    args = ap.parse_args(join_split_options(sys.argv[1:] if argv is None else argv))
    if args.no_table and args.compare_base == "table" and args.compare_args:
        ap.error("--compare-base table needs the table command")
    if not args.tree and not args.synthetic:
        ap.error("give at least one --tree DIR or --synthetic N")
    binary = os.path.abspath(args.bin)
    if not os.access(binary, os.X_OK):
        ap.error(f"{binary} is not an executable (build pkgsizer first, or pass --bin)")
    if args.runs < 1 or args.rss_runs < 1:
        ap.error("--runs and --rss-runs must be at least 1")
    if not os.access(TIME, os.X_OK):
        ap.error(f"{TIME} is missing: apt-get install -y time")

    trees: list[tuple[str, str, int, int]] = []  # (label, path, distributions, files)
    for n in args.synthetic:
        path, summary = synthetic_tree(n, args.files_per_dist, args.seed, args.bench_out)
        trees.append((f"synthetic {n} (seed {args.seed})", path, summary["distributions"], summary["files"]))
    for t in args.tree:
        label, sep, path = t.partition("=")
        if not sep or "/" in label:  # a plain DIR, not LABEL=DIR
            label, path = t, t
        path = os.path.realpath(path)
        if not os.path.isdir(path):
            ap.error(f"{path} is not a directory")
        trees.append((label, path, *count_tree(path)))

    extra = shlex.split(args.extra_args)
    results: dict = {
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "loadavg_start": os.getloadavg()},
        "bin": binary, "repo_head": repo_head(), "runs": args.runs, "extra_args": extra, "trees": [],
    }
    print(f"# {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}; {args.runs} interleaved rounds after a warm-up",
          file=sys.stderr)
    header_printed = False
    with tempfile.TemporaryDirectory(prefix="pkgsizer-bench-") as tmp:
        # Run a private copy, so that a rebuild during the runs cannot mix two builds.
        snapshot = os.path.join(tmp, "pkgsizer")
        # pkgsizer's scan cache: a private, initially empty one (the warm-up fills it), never the
        # user's; pass --extra-args "--no-cache" to time full scans.
        ENV["PKGSIZER_CACHE_DIR"] = os.path.join(tmp, "cache")
        os.mkdir(ENV["PKGSIZER_CACHE_DIR"])
        shutil.copy2(binary, snapshot)
        with open(snapshot, "rb") as f:
            results["bin_sha256"] = hashlib.sha256(f.read()).hexdigest()
        json_out = os.path.join(tmp, "report.json")
        stderr_path = os.path.join(tmp, "stderr.txt")
        for label, tree, dists, files in trees:
            scan = [snapshot, "scan-env", "--site-packages", tree, *extra]
            commands = [Command("du", "du -sb", ["du", "-sb", tree], None)]
            commands.append(Command("json", "pkgsizer --json", [*scan, "--json", json_out], "du"))
            if not args.no_table:
                commands.append(Command("table", "pkgsizer table", scan, "du"))
            for i, cmp in enumerate(args.compare_args, 1):  # each writes its own report
                out = ["--json", os.path.join(tmp, f"report-cmp{i}.json")] if args.compare_base == "json" else []
                argv = [*scan, *shlex.split(cmp), *out]
                commands.append(Command(f"cmp{i}", f"{args.compare_base} + `{cmp}`" if cmp else f"{args.compare_base} (A/A)",
                                        argv, args.compare_base))

            print(f"## {label}: {tree} ({dists} distributions, {files} files)", file=sys.stderr)
            for c in commands:  # warm-up, not recorded
                spawn(c.argv, stderr_path)
            for r in range(args.runs):
                for c in commands:
                    run_timed(c, stderr_path)
                print(f"   round {r + 1}/{args.runs}: " + ", ".join(f"{c.key} {fmt_time(c.wall[-1])}" for c in commands),
                      file=sys.stderr)
            for _ in range(args.rss_runs):
                for c in commands:
                    run_rss(c, stderr_path, tmp)
            check = check_report(json_out, tree)
            by_key = {c.key: c for c in commands}
            for c in commands:
                ratios = ""
                if c.ref:
                    ref = by_key[c.ref]
                    ratios = (f"  ÷ {c.ref}: median {c.median / ref.median:.2f}, min {min(c.wall) / min(ref.wall):.2f},"
                              f" cpu {statistics.median(c.cpu) / statistics.median(ref.cpu):.2f}")
                print(f"   {c.key:6} median {fmt_time(c.median)}  min {fmt_time(min(c.wall))}  max {fmt_time(max(c.wall))}"
                      f"  cpu {fmt_time(statistics.median(c.cpu))}  peak RSS {fmt_rss(max(c.maxrss_kib))}{ratios}"
                      f"\n          $ {shlex.join(c.argv)}", file=sys.stderr)
            if "error" in check:
                print(f"   report check: {check['error']}", file=sys.stderr)
            else:
                print(f"   report check: totals.all.apparent_bytes {check['report_apparent']} vs du -sb {check['du_sb']}: "
                      f"{'equal' if check['matches_du'] else 'DIFFERENT'}", file=sys.stderr)

            if not header_printed:
                print(table_header(commands))
                header_printed = True
            print(table_row(label, dists, files, commands), flush=True)
            results["trees"].append({
                "label": label, "path": tree, "distributions": dists, "files": files, "check": check,
                "commands": [
                    {"key": c.key, "label": c.label, "argv": c.argv, "ref": c.ref, "median_s": c.median,
                     "ratio_to_ref": (c.median / next(x for x in commands if x.key == c.ref).median) if c.ref else None,
                     "wall_s": c.wall, "cpu_s": c.cpu, "maxrss_kib": c.maxrss_kib}
                    for c in commands
                ],
            })
    results["machine"]["loadavg_end"] = os.getloadavg()
    if args.json_out:
        with open(args.json_out, "w") as f:
            json.dump(results, f, indent=2)
            f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
