#!/usr/bin/env python3
"""Load test of `pkgsizer serve` (docs/serve.md) on 127.0.0.1: does it lose nothing and keep page
latency low at 10,000 snapshots while uploads and page views arrive at once?

1. Builds a SQLite history of SNAPSHOTS snapshots over ENVIRONMENTS environments with
   `pkgsizer track import` (each a copy of one real scan of a small site-packages).
2. Starts `pkgsizer serve --quiet` on a free port (an upload token in a private tokens file).
3. At once: UPLOADERS parallel POSTs of one scan each to /api/scans, and VIEWERS x VIEWS page
   views, VIEWERS at a time, picked at random from /, /env/NAME (pages 1-5), /api/env/NAME,
   /chart/NAME.svg, /snapshot/ID and /api/environments — both by curl --parallel (libcurl's
   multi interface in one process each).
4. Checks that every upload got 201 and a distinct id, that the history holds exactly
   SNAPSHOTS + UPLOADERS snapshots afterwards (read back through the API), and that every page
   view got 200; prints p50/p95/p99/max page latency (client-side, from send to last byte) and
   exits 1 when p99 is over --p99-limit-ms (200) or anything was lost.

Bounded: each request times out after 30 s and the whole run after --deadline seconds (300).
The clients run on the same cores as the server, so the figures are an upper bound of the
server's latency.

    python3 benchmarks/bench_serve.py --bin build/pkgsizer [--snapshots 10000] [--viewers 200]
"""

import argparse
import concurrent.futures
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "e2e"))
os.environ.setdefault("PKGSIZER_BIN", "build/pkgsizer")

from support import SiteTree  # noqa: E402


def run(binary, args, **kwargs):
    proc = subprocess.run([binary] + args, capture_output=True, text=True, **kwargs)
    if proc.returncode != 0:
        sys.exit(f"pkgsizer {' '.join(args[:3])}: exit {proc.returncode}\n{proc.stderr}")
    return proc


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_history(binary, tmp, snapshots, environments):
    tree = SiteTree(os.path.join(tmp, "site"))
    tree.dist_info("opencv-python", "4.9.0.80", {"cv2/__init__.py": b"x" * 4000})
    for i in range(20):
        tree.dist_info(f"lib{i}", "1.0", {f"lib{i}/__init__.py": b"y" * (1000 * (i + 1))})
    scan_path = os.path.join(tmp, "scan.json")
    run(binary, ["scan-env", "--site-packages", tree.site, "--no-cache", "-q", "--json", scan_path])
    with open(scan_path) as f:
        scan = json.load(f)
    base = scan["totals"]["selected"]
    rows = []
    for i in range(snapshots):
        rows.append({"id": i + 1, "environment": f"team/env-{i % environments:03d}",
                     "label": f"build {i}", "created_at": f"2026-{1 + i % 12:02d}-01T00:00:00Z",
                     "git_commit": f"{i:08x}", "git_branch": "main",
                     "distributions": scan["totals"]["distributions"],
                     "apparent_bytes": base["apparent_bytes"], "disk_bytes": base["disk_bytes"],
                     "scan": scan})
    export = os.path.join(tmp, "export.json")
    with open(export, "w") as f:
        json.dump({"schema_version": 1, "kind": "pkgsizer-history", "snapshots": rows}, f)
    history = os.path.join(tmp, "history.sqlite3")
    started = time.monotonic()
    run(binary, ["track", "import", export, "--history", history])
    print(f"history: {snapshots} snapshots over {environments} environments, "
          f"imported in {time.monotonic() - started:.1f} s", file=sys.stderr)
    with open(scan_path, "rb") as f:
        return history, f.read()


def fetch(url, data=None, token=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if data is not None:
        headers["Content-Type"] = "application/json"
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=data, headers=headers),
                                    timeout=30) as response:
            body = response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        body, status = error.read(), error.code
    except OSError as error:
        body, status = str(error).encode(), 0
    return status, body, time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", default=os.environ["PKGSIZER_BIN"])
    parser.add_argument("--snapshots", type=int, default=10000)
    parser.add_argument("--environments", type=int, default=40)
    parser.add_argument("--uploaders", type=int, default=50)
    parser.add_argument("--viewers", type=int, default=200)
    parser.add_argument("--views", type=int, default=5,
                        help="pages per viewer: VIEWERS x VIEWS page views, VIEWERS at a time")
    parser.add_argument("--threads", type=int, default=64, help="serve --threads")
    parser.add_argument("--p99-limit-ms", type=float, default=200)
    parser.add_argument("--deadline", type=float, default=300)
    args = parser.parse_args()
    binary = os.path.abspath(args.bin)
    signal.alarm(int(args.deadline))  # bounded in time, whatever hangs

    tmp = tempfile.mkdtemp(prefix="pkgsizer-bench-serve-")
    server = None
    try:
        history, scan = build_history(binary, tmp, args.snapshots, args.environments)
        scan_path = os.path.join(tmp, "scan.json")
        tokens = os.path.join(tmp, "tokens.json")
        token = run(binary, ["serve", "token", "add", "--scope", "upload", "--tokens",
                             tokens]).stdout.strip()
        port = free_port()
        server = subprocess.Popen([binary, "serve", "--history", history, "--tokens", tokens,
                                   "--listen", f"127.0.0.1:{port}", "--quiet",
                                   "--threads", str(args.threads)],
                                  stdout=subprocess.PIPE, text=True)
        print(server.stdout.readline().strip(), file=sys.stderr)
        url = f"http://127.0.0.1:{port}"

        names = [f"team/env-{i:03d}" for i in range(args.environments)]
        pages = []
        rng = random.Random(1)
        for i in range(args.viewers * args.views):
            name = urllib.parse.quote(rng.choice(names), safe="")
            pages.append(rng.choice([
                "/", f"/env/{name}", f"/api/env/{name}", f"/chart/{name}.svg",
                f"/snapshot/{rng.randint(1, args.snapshots)}", "/api/environments",
                f"/env/{name}?page={rng.randint(1, 5)}"]))

        # curl's parallel transfers (one process, C, libcurl's multi interface): a client that
        # does not queue behind its own interpreter lock, so the figures are the server's.
        upload_config = os.path.join(tmp, "uploads.curl")
        with open(upload_config, "w") as f:
            for i in range(args.uploaders):
                query = urllib.parse.urlencode({"environment": names[i % len(names)],
                                                "label": f"load {i}"})
                f.write(f'url = "{url}/api/scans?{query}"\ndata-binary = "@{scan_path}"\n'
                        f'header = "Content-Type: application/json"\n'
                        f'header = "Authorization: Bearer {token}"\n'
                        f'output = "{tmp}/upload-{i}.json"\n'
                        'write-out = "%{http_code} %{time_total} upload\\n"\n')
                if i + 1 < args.uploaders:
                    f.write("next\n")  # between groups: a trailing one is an empty, failing one
        page_config = os.path.join(tmp, "pages.curl")
        with open(page_config, "w") as f:
            for i, path in enumerate(pages):
                f.write(("next\n" if i else "") + f'url = "{url}{path}"\noutput = "/dev/null"\n'
                        f'write-out = "%{{http_code}} %{{time_total}} {path}\\n"\n')

        def curl_all(config, parallel):
            return subprocess.Popen(["curl", "-sS", "--parallel", "--parallel-immediate",
                                     "--parallel-max", str(parallel), "--max-time", "30",
                                     "-K", config], stdout=subprocess.PIPE, text=True)

        started = time.monotonic()
        upload_run = curl_all(upload_config, args.uploaders)
        page_run = curl_all(page_config, args.viewers)
        upload_lines = upload_run.communicate()[0].splitlines()
        page_lines = page_run.communicate()[0].splitlines()
        wall = time.monotonic() - started

        uploads = []
        for i, line in enumerate(upload_lines):
            code, seconds, _ = line.split(" ", 2)
            uploads.append((int(code), None, float(seconds)))
        for i in range(args.uploaders):
            try:
                with open(f"{tmp}/upload-{i}.json") as f:
                    answer = json.load(f)
                uploads[i] = (uploads[i][0], answer.get("id"), uploads[i][2])
            except (OSError, ValueError, IndexError):
                pass
        views = []
        for line in page_lines:
            code, seconds, path = line.split(" ", 2)
            views.append((path, int(code), float(seconds)))
        failed_uploads = [u for u in uploads if u[0] != 201]
        ids = {u[1] for u in uploads if u[0] == 201 and u[1]}
        failed_views = [v for v in views if v[1] != 200]
        total = 0
        for name in names:
            status, body, _ = fetch(f"{url}/api/env/{urllib.parse.quote(name, safe='')}")
            total += json.loads(body)["total"]
        latencies = sorted(v[2] * 1000 for v in views)
        upload_ms = sorted(u[2] * 1000 for u in uploads)

        def pct(values, p):
            return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]

        print(f"{args.uploaders} uploads and {len(views)} page views by {args.viewers} viewers "
              f"at once (curl --parallel), over {args.snapshots} snapshots, serve --threads {args.threads}: "
              f"{wall:.2f} s wall")
        print(f"page latency ms: p50 {pct(latencies, 50):.1f}  p95 {pct(latencies, 95):.1f}  "
              f"p99 {pct(latencies, 99):.1f}  max {latencies[-1]:.1f}  "
              f"(mean {statistics.mean(latencies):.1f})")
        by_kind = {}
        for path, _, seconds in views:
            kind = path.split("?")[0].rsplit("/", 1)[0] if path.count("/") > 1 else path
            by_kind.setdefault(kind.replace("/team%2Fenv-", "/"), []).append(seconds * 1000)
        for kind, values in sorted(by_kind.items()):
            values.sort()
            print(f"  {kind + ' ...' if kind != '/' else '/':<22} {len(values):>4} views  "
                  f"p50 {pct(values, 50):6.1f}  p99 {pct(values, 99):6.1f}")
        print(f"upload latency ms: p50 {pct(upload_ms, 50):.1f}  max {upload_ms[-1]:.1f}")
        print(f"uploads: {len(uploads) - len(failed_uploads)}/{len(uploads)} answered 201, "
              f"{len(ids)} distinct ids; history holds {total} snapshots "
              f"(expected {args.snapshots + args.uploaders}); failed page views: "
              f"{len(failed_views)}")
        lost = failed_uploads or failed_views or len(ids) != args.uploaders or \
            total != args.snapshots + args.uploaders
        if lost:
            print("LOST:", failed_uploads[:3], failed_views[:3], file=sys.stderr)
        if lost or pct(latencies, 99) > args.p99_limit_ms:
            return 1
        return 0
    finally:
        if server:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
