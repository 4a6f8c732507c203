#!/usr/bin/env python3
"""pkgsizer import-time's own overhead (issue 13): pkgsizer's parse, ownership, attribution and
report on top of the interpreter runs, for an import of ~600 modules, against a plain
`python -X importtime -c 'import X'` run side by side.

The import: a synthetic package of --modules modules (default 600) in a fresh venv, installed
as a wheel installs it (a dist-info with a RECORD), each module importing its children, so the
log has ~600 nested lines. Or --venv/--python and --import of something real.

Each round runs (a) the plain interpreter command and (b) `pkgsizer import-time X --runs 1
--warmup 0 --json` (one interpreter run of the same import plus pkgsizer's work), interleaved,
--rounds times; the overhead is median(b) - median(a). pkgsizer's own phases come from
--timings (parse, ownership = the scan, profile, render) of the last round.

    python3 benchmarks/bench_import_time.py --pkgsizer build/pkgsizer --rounds 21
"""

import argparse
import base64
import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def make_synthetic(site, modules, fanout=8):
    """synthpkg with `modules` modules in a tree of packages, `fanout` children each."""
    names = ["synthpkg"]
    children = {"synthpkg": []}
    queue = ["synthpkg"]
    while len(names) < modules:
        parent = queue.pop(0)
        for i in range(fanout):
            if len(names) >= modules:
                break
            name = f"{parent}.m{i}"
            names.append(name)
            children[parent].append(name)
            children[name] = []
            queue.append(name)
    files = []
    for name in names:
        body = "".join(f"import {child}\n" for child in children[name])
        body += "VALUES = [i * i for i in range(200)]\n"
        rel = name.replace(".", "/") + "/__init__.py"
        write(os.path.join(site, rel), body)
        files.append(rel)
    info = os.path.join(site, "synthpkg-1.0.dist-info")
    write(os.path.join(info, "METADATA"), "Metadata-Version: 2.1\nName: synthpkg\nVersion: 1.0\n")
    write(os.path.join(info, "INSTALLER"), "pip\n")
    rows = []
    for rel in files + ["synthpkg-1.0.dist-info/METADATA", "synthpkg-1.0.dist-info/INSTALLER"]:
        with open(os.path.join(site, rel), "rb") as f:
            data = f.read()
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        rows.append(f"{rel},sha256={digest},{len(data)}")
    rows.append("synthpkg-1.0.dist-info/RECORD,,")
    write(os.path.join(info, "RECORD"), "\n".join(rows) + "\n")


def timed(cmd):
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{proc.stderr[-2000:]}")
    return elapsed, proc


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pkgsizer", default="build/pkgsizer")
    parser.add_argument("--rounds", type=int, default=21)
    parser.add_argument("--modules", type=int, default=600)
    parser.add_argument("--venv", help="measure in this environment instead of a synthetic one")
    parser.add_argument("--python", help="measure with this interpreter (its own environment)")
    parser.add_argument("--import", dest="module", default="synthpkg",
                        help="the module(s) to import, comma-separated")
    args = parser.parse_args()

    tmp = None
    if args.venv:
        python = os.path.join(args.venv, "bin", "python")
        env_args = ["--venv", args.venv]
    elif args.python:
        python = args.python
        env_args = ["--python", args.python]
    else:
        tmp = tempfile.mkdtemp(prefix="pkgsizer-bench-import-")
        venv = os.path.join(tmp, "venv")
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv], check=True)
        site = subprocess.run([os.path.join(venv, "bin", "python"), "-c",
                               "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                              check=True, capture_output=True, text=True).stdout.strip()
        make_synthetic(site, args.modules)
        python = os.path.join(venv, "bin", "python")
        env_args = ["--venv", venv]
    try:
        plain = [python, "-X", "importtime", "-c", f"import {args.module}"]
        ours = [args.pkgsizer, "import-time", *[m.strip() for m in args.module.split(",")],
                *env_args, "--runs", "1", "--warmup",
                "0", "--json", os.devnull, "--timings"]
        timed(plain)  # bytecode written once, page cache warm
        timed(ours)
        plain_times, our_times, own_times, cpu_times = [], [], [], []
        last = None
        for _ in range(args.rounds):
            elapsed, _ = timed(plain)
            plain_times.append(elapsed)
            elapsed, last = timed(ours)
            our_times.append(elapsed)
            # pkgsizer's own time: the wall time less the interpreter runs it waited for.
            interpreter = next(float(line.split()[-2]) for line in last.stderr.splitlines()
                               if "timing: interpreter" in line)
            own_times.append(elapsed - interpreter / 1000)
            cpu_times.append(next(float(line.split()[-2]) for line in last.stderr.splitlines()
                                  if "timing: cpu" in line))
        check = subprocess.run(plain, capture_output=True, text=True)
        module_lines = sum(1 for line in check.stderr.splitlines()
                           if line.startswith("import time:") and "self [us]" not in line)
        phases = [line.split("timing: ", 1)[1] for line in last.stderr.splitlines()
                  if "timing: " in line]
        plain_median = statistics.median(plain_times) * 1000
        our_median = statistics.median(our_times) * 1000
        print(f"import {args.module}: {module_lines} import-time lines, {args.rounds} rounds")
        print(f"  plain python -X importtime:       median {plain_median:7.1f} ms "
              f"(min {min(plain_times) * 1000:.1f}, max {max(plain_times) * 1000:.1f})")
        print(f"  pkgsizer import-time --runs 1:    median {our_median:7.1f} ms "
              f"(min {min(our_times) * 1000:.1f}, max {max(our_times) * 1000:.1f})")
        print(f"  overhead (median difference):     {our_median - plain_median:7.1f} ms")
        print(f"  pkgsizer's own time (wall - interpreter phase): median "
              f"{statistics.median(own_times) * 1000:.1f} ms (min {min(own_times) * 1000:.1f})")
        print(f"  pkgsizer's own CPU time (user+sys, children excluded): median "
              f"{statistics.median(cpu_times):.1f} ms (min {min(cpu_times):.1f}, "
              f"max {max(cpu_times):.1f})")
        print(f"  load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        print(f"  pkgsizer phases (last round):     {'; '.join(phases)}")
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
