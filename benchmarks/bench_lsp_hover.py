#!/usr/bin/env python3
"""How long `pkgsizer lsp` takes to answer a hover once its worker has scanned the environment
(docs/benchmarks.md "Language server"): the round trip a client sees, over the server's stdio,
for every requirement of a requirements.txt listing each distribution of the environment.

    python3 benchmarks/bench_lsp_hover.py --venv /tmp/bigvenv [--rounds 20] [--json-out FILE]

Without --venv, a venv holding this interpreter's site-packages is made in a temporary directory.
The scan cache is private to the run; the index is never asked (--offline): every requirement is
installed, so the hover answers from the scan alone."""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "e2e"))
from lsp_client import LspClient, uri  # noqa: E402

BIN = os.environ.get("PKGSIZER_BIN") or os.path.join(HERE, "..", "build", "pkgsizer")


def make_venv(directory):
    venv = os.path.join(directory, "venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv], check=True)
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    site = os.path.join(venv, "lib", version, "site-packages")
    shutil.copytree(sysconfig.get_paths()["purelib"], site, dirs_exist_ok=True, symlinks=True)
    return venv


def installed_names(venv):
    proc = subprocess.run([BIN, "scan-env", "--venv", venv, "--json", "-", "--no-cache"],
                          capture_output=True, text=True, check=True)
    scan = json.loads(proc.stdout)
    return [d["name"] for d in scan["distributions"]], scan


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--venv")
    parser.add_argument("--rounds", type=int, default=20, help="hovers of every line, this often")
    parser.add_argument("--json-out")
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="bench-lsp-")
    try:
        venv = os.path.abspath(args.venv) if args.venv else make_venv(work)
        names, scan = installed_names(venv)
        project = os.path.join(work, "project")
        os.makedirs(project)
        requirements = os.path.join(project, "requirements.txt")
        text = "".join(f"{name}\n" for name in names)
        with open(requirements, "w") as f:
            f.write(text)
        env = dict(os.environ, PKGSIZER_CACHE_DIR=os.path.join(work, "cache"), VIRTUAL_ENV=venv)
        client = LspClient([BIN, "lsp", "--offline"], env=env)
        try:
            started = time.monotonic()
            client.initialize(uri(project))
            doc = uri(requirements)
            client.open(doc, text)
            # While the worker scans: answered at once, with "measuring…".
            t0 = time.perf_counter()
            early = client.result("textDocument/hover", {
                "textDocument": {"uri": doc}, "position": {"line": 0, "character": 0}})
            during_scan_ms = (time.perf_counter() - t0) * 1000
            # Ready: every line has its size.
            while True:
                hints = client.result("textDocument/inlayHint", {
                    "textDocument": {"uri": doc},
                    "range": {"start": {"line": 0, "character": 0},
                              "end": {"line": len(names), "character": 0}}})
                if len(hints) == len(names):
                    break
                client.wait_refresh(timeout=600)
            ready = time.monotonic() - started
            latencies = []
            for _ in range(args.rounds):
                for line in range(len(names)):
                    t0 = time.perf_counter()
                    result = client.result("textDocument/hover", {
                        "textDocument": {"uri": doc}, "position": {"line": line, "character": 0}})
                    latencies.append((time.perf_counter() - t0) * 1000)
                    assert result and "installed" in result["contents"]["value"], result
            assert client.stop() == 0
        finally:
            client.kill()
        figures = {
            "distributions": len(names),
            "files": scan["totals"]["all"]["file_count"],
            "ready_s": round(ready, 3),
            "hover_during_scan_ms": round(during_scan_ms, 3),
            "hover_during_scan_said": early["contents"]["value"] if early else None,
            "hovers": len(latencies),
            "median_ms": round(statistics.median(latencies), 3),
            "p95_ms": round(percentile(latencies, 95), 3),
            "p99_ms": round(percentile(latencies, 99), 3),
            "max_ms": round(max(latencies), 3),
        }
        print(json.dumps(figures, indent=2))
        if args.json_out:
            with open(args.json_out, "w") as f:
                json.dump(figures, f, indent=2)
        return 0 if figures["p99_ms"] < 50 else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
