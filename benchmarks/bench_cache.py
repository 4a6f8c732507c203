#!/usr/bin/env python3
"""Cold against warm: how much the scan cache saves on an unchanged environment.

For each tree, times ``pkgsizer scan-env --no-cache`` (cold: walks every file) and
``pkgsizer scan-env`` with a primed cache (warm: checks every directory's stamp and replays
the stored scan), interleaved (cold, warm, cold, warm, ...) after a warm-up of each, and
prints one Markdown row per tree: the medians and the cold/warm ratio.

The cache lives in a temporary directory (PKGSIZER_CACHE_DIR), so nothing of the user's is
touched. A cache entry is trusted only when no directory changed within 2 seconds before it
was stored, so the script waits that long after priming when the tree is fresh.

Needs: python3 (stdlib only) and a built pkgsizer.

    python3 benchmarks/bench_cache.py --venv /path/to/venv --tree /path/to/site-packages --runs 11
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time


def run(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def measure(binary: str, target: list[str], runs: int) -> tuple[float, float]:
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
        return statistics.median(cold), statistics.median(warm)


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
    print("| tree | cold median | warm median | cold / warm |")
    print("|---|---|---|---|")
    for label, target in targets:
        cold, warm = measure(args.bin, target, args.runs)
        print(f"| {label} | {cold * 1000:.0f} ms | {warm * 1000:.1f} ms | {cold / warm:.1f}x |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
