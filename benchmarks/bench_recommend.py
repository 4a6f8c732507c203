#!/usr/bin/env python3
"""`pkgsizer recommend` against a cold `pkgsizer scan-env` of the same environment.

Usage::

    bench_recommend.py [--distributions 100] [--project-files 2000] [--runs 7] [--bin PATH]
                       [--work DIR]

Generates (once, kept in --work) a synthetic site-packages of N distributions with
gen_site_packages.py and a project of M Python files that import some of them (and the
standard library, relative imports, imports in functions and under TYPE_CHECKING), then runs,
interleaved, `scan-env --no-cache` and `recommend --no-cache --project` and prints the median
wall time of each and their ratio (docs/benchmarks.md, "recommend"). Standard library only.
"""

from __future__ import annotations

import argparse
import glob
import os
import random
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)


def top_levels(site: str) -> list[str]:
    names = []
    for path in glob.glob(os.path.join(site, "*-info", "top_level.txt")):
        with open(path, encoding="utf-8") as f:
            names.extend(line.strip() for line in f if line.strip())
    return sorted(set(n for n in names if n.isidentifier()))


def make_project(root: str, files: int, modules: list[str], seed: int = 1) -> None:
    rng = random.Random(seed)
    used = modules[: max(1, len(modules) * 2 // 3)]  # a third stays unused
    declared = [name for name in used if not name.startswith("_")]
    os.makedirs(root, exist_ok=True)
    with open(os.path.join(root, "pyproject.toml"), "w", encoding="utf-8") as f:
        f.write('[project]\nname = "benchapp"\nversion = "1"\ndependencies = [\n')
        for name in declared[:20]:
            f.write(f'  "{name}",\n')
        f.write("]\n")
    for i in range(files):
        package = os.path.join(root, "benchapp", f"pkg{i // 100}")
        os.makedirs(package, exist_ok=True)
        lines = ['"""Module {i}: a docstring that mentions import nothing."""', "import os",
                 "import sys", "from typing import TYPE_CHECKING", "from . import sibling"]
        for name in rng.sample(used, min(3, len(used))):
            lines.append(f"import {name}")
        lines += ["if TYPE_CHECKING:", f"    import {rng.choice(used)}", ""]
        for j in range(12):
            lines += [f"def function_{j}(value):", f'    """Doubles {j}."""',
                      f"    import {rng.choice(used)}" if j % 4 == 0 else "    pass",
                      "    text = 'import not_a_module'", "    return value * 2", ""]
        with open(os.path.join(package, f"mod{i}.py"), "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")


def timed(command: list[str]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system) of one run."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{command[:2]} failed")
    return wall, usage.ru_utime + usage.ru_stime


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--distributions", type=int, default=100)
    ap.add_argument("--project-files", type=int, default=2000)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--bin", default=os.path.join(REPO, "build", "pkgsizer"))
    ap.add_argument("--work", default=os.path.join(REPO, "bench-out"))
    args = ap.parse_args()

    site = os.path.join(args.work, f"recommend-{args.distributions}", "site-packages")
    if not os.path.isdir(site):
        subprocess.run([sys.executable, os.path.join(HERE, "gen_site_packages.py"), site,
                        "--distributions", str(args.distributions)], check=True)
    project = os.path.join(args.work, f"recommend-project-{args.project_files}")
    if not os.path.isdir(project):
        make_project(project, args.project_files, top_levels(site))

    scan = [args.bin, "scan-env", "--site-packages", site, "--no-cache", "-q", "--json", os.devnull]
    recommend = [args.bin, "recommend", "--site-packages", site, "--no-cache", "--project",
                 project, "--json", os.devnull]
    timed(scan)  # warm the page cache: both commands then read the same cached inodes
    timed(recommend)
    scans, recommends = [], []
    for _ in range(args.runs):
        scans.append(timed(scan))
        recommends.append(timed(recommend))
    s = statistics.median(w for w, _ in scans)
    r = statistics.median(w for w, _ in recommends)
    sc = statistics.median(c for _, c in scans)
    rc = statistics.median(c for _, c in recommends)
    print("| environment | project files | scan-env --no-cache | recommend --no-cache | ratio |")
    print("|---|---:|---:|---:|---:|")
    print(f"| {args.distributions} distributions | {args.project_files} | {s * 1000:.0f} ms wall, "
          f"{sc * 1000:.0f} ms CPU | {r * 1000:.0f} ms wall, {rc * 1000:.0f} ms CPU "
          f"| {r / s:.2f}× wall, {rc / sc:.2f}× CPU |")
    return 0 if r <= 2 * s else 1


if __name__ == "__main__":
    sys.exit(main())
