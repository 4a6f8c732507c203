#!/usr/bin/env python3
"""Cold against warm: how much the scan cache saves on an unchanged environment, and on one
where a distribution was just installed.

For each tree, times ``pkgsizer scan-env --no-cache`` (cold: walks every file) and
``pkgsizer scan-env`` with a primed cache (warm: checks every directory's stamp and replays
the stored scan), interleaved (cold, warm, cold, warm, ...) after a warm-up of each. Then,
again interleaved with cold scans, "changed": before each such scan a small distribution
(pkgsizer_bench_change_N, one package directory and a .dist-info) is installed into the tree
by hand, so that the cached scan keeps the parts it can and walks the rest again. The added
distributions are removed at the end. Prints one Markdown row per tree: the medians and the
ratios.

The cache lives in a temporary directory (PKGSIZER_CACHE_DIR), so nothing of the user's is
touched. A cache entry is trusted only when no directory changed within 2 seconds before it
was stored, so the script waits that long after priming when the tree is fresh.

Needs: python3 (stdlib only) and a built pkgsizer.

    python3 benchmarks/bench_cache.py --venv /path/to/venv --tree /path/to/site-packages --runs 11
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def run(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def install_small_distribution(site: str, n: int) -> list[str]:
    """A hand-made install of pkgsizer_bench_change_N 1.0; returns what it created."""
    name = f"pkgsizer_bench_change_{n}"
    package, info = os.path.join(site, name), os.path.join(site, f"{name}-1.0.dist-info")
    os.makedirs(package)
    os.makedirs(info)
    with open(os.path.join(package, "__init__.py"), "w") as f:
        f.write("VALUE = 1\n" * 100)
    with open(os.path.join(info, "METADATA"), "w") as f:
        f.write(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
    with open(os.path.join(info, "RECORD"), "w") as f:
        f.write(f"{name}/__init__.py,,1000\n{name}-1.0.dist-info/METADATA,,\n"
                f"{name}-1.0.dist-info/RECORD,,\n")
    return [package, info]


def site_packages_of(binary: str, target: list[str]) -> str:
    proc = subprocess.run([binary, "scan-env", "-q", "--no-cache", "--json", "-", *target],
                          capture_output=True, text=True, check=True)
    return json.loads(proc.stdout)["environment"]["site_packages"][0]


def measure(binary: str, target: list[str], runs: int) -> tuple[float, float, float, float]:
    with tempfile.TemporaryDirectory(prefix="pkgsizer-bench-cache-") as cache_dir:
        env = dict(os.environ, PKGSIZER_CACHE_DIR=cache_dir)
        base = [binary, "scan-env", "-q", "--json", os.devnull, *target]
        run(base, env)  # prime the cache
        time.sleep(2.2)  # past the racy window of a freshly written tree
        run(base + ["--refresh-cache"], env)
        cold_command, warm_command = base + ["--no-cache"], base
        run(cold_command, env)
        run(warm_command, env)
        cold, warm = [], []
        for _ in range(runs):
            cold.append(run(cold_command, env))
            warm.append(run(warm_command, env))
        site = site_packages_of(binary, target)
        created: list[str] = []
        cold_again, changed = [], []
        try:
            for n in range(runs):
                cold_again.append(run(cold_command, env))
                created += install_small_distribution(site, n)
                changed.append(run(warm_command, env))
        finally:
            for path in created:
                shutil.rmtree(path, ignore_errors=True)
        return (statistics.median(cold), statistics.median(warm), statistics.median(cold_again),
                statistics.median(changed))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", default="build/pkgsizer", help="pkgsizer binary (default: build/pkgsizer)")
    parser.add_argument("--venv", action="append", default=[], help="a virtual environment (repeatable)")
    parser.add_argument("--tree", action="append", default=[], help="a site-packages directory (repeatable)")
    parser.add_argument("--runs", type=int, default=11, help="measured rounds (default 11)")
    args = parser.parse_args()
    targets = [(venv, ["--venv", venv]) for venv in args.venv] + [(tree, ["--site-packages", tree]) for tree in args.tree]
    if not targets:
        parser.error("give at least one --venv or --tree")
    print("| tree | cold median | warm median | cold / warm | cold median (2nd phase) | after an install | cold / after an install |")
    print("|---|---|---|---|---|---|---|")
    for label, target in targets:
        cold, warm, cold_again, changed = measure(args.bin, target, args.runs)
        print(f"| {label} | {cold * 1000:.0f} ms | {warm * 1000:.1f} ms | {cold / warm:.1f}x "
              f"| {cold_again * 1000:.0f} ms | {changed * 1000:.1f} ms | {cold_again / changed:.1f}x |",
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
