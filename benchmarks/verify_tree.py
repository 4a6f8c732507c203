#!/usr/bin/env python3
"""Check that a site-packages tree (synthetic or real) is self-consistent, and count it.

Usage::

    verify_tree.py SITE_PACKAGES [--hashes] [--du]

Debian packages needed: python3 (standard library only); coreutils for ``--du``.

For every ``*.dist-info/RECORD``: each listed file exists, and where RECORD gives a size it
equals ``st_size`` (with ``--hashes``, the sha256 matches too). For every ``*.egg-info`` with
``installed-files.txt``: each listed file exists. Then it reports distributions, files, bytes,
how many files no metadata claims (``.pyc`` compiled after install, README.txt…), the
dependency graph (edges, targets not installed, whether it has cycles), and the apparent
size the way ``du -sb`` counts it (files, symlinks and directories, each inode once); with
``--du`` it runs ``du -sb`` and checks that both agree. Exits 1 if any check failed.
"""

from __future__ import annotations

import argparse
import base64
import csv
import hashlib
import os
import re
import subprocess
import sys


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def read_metadata(path: str) -> tuple[str, list[str]]:
    """Name and Requires-Dist targets (normalized, markers dropped, extras kept apart)."""
    name, requires = "", []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if not line.strip():
                break  # the body starts
            key, _, value = line.partition(":")
            if key == "Name":
                name = value.strip()
            elif key == "Requires-Dist":
                requires.append(value.strip())
    return name, requires


def requirement_target(req: str) -> tuple[str, bool]:
    """(normalized name, is-only-for-an-extra) of a Requires-Dist value."""
    spec, _, marker = req.partition(";")
    m = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", spec)
    return normalize(m.group(1)) if m else "", "extra" in marker


def has_cycle(graph: dict[str, set[str]]) -> bool:
    WHITE, GREY, BLACK = 0, 1, 2
    color = dict.fromkeys(graph, WHITE)
    for start in graph:
        if color[start] != WHITE:
            continue
        stack = [(start, iter(graph[start]))]
        color[start] = GREY
        while stack:
            node, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                color[node] = BLACK
                stack.pop()
            elif nxt in graph:
                if color[nxt] == GREY:
                    return True
                if color[nxt] == WHITE:
                    color[nxt] = GREY
                    stack.append((nxt, iter(graph[nxt])))
    return False


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("site_packages")
    ap.add_argument("--hashes", action="store_true", help="also check RECORD sha256 hashes (reads every file)")
    ap.add_argument("--du", action="store_true", help="run du -sb and compare with the apparent size computed here")
    args = ap.parse_args(argv)
    root = os.path.realpath(args.site_packages)
    errors: list[str] = []

    def error(msg: str) -> None:
        if len(errors) < 20:
            print(f"error: {msg}", file=sys.stderr)
        errors.append(msg)

    # Walk the tree the way du does: every inode once.
    seen: set[tuple[int, int]] = set()
    files = dirs = 0
    apparent = file_bytes = 0
    all_files: set[str] = set()
    for dirpath, dirnames, filenames in os.walk(root):
        for name in [*dirnames, *filenames, None]:
            path = dirpath if name is None else os.path.join(dirpath, name)
            st = os.lstat(path)
            if name is not None and os.path.isdir(path) and not os.path.islink(path):
                continue  # counted when walked into
            if (st.st_dev, st.st_ino) in seen:
                continue
            seen.add((st.st_dev, st.st_ino))
            apparent += st.st_size
            if name is None:
                dirs += 1
            else:
                files += 1
                file_bytes += st.st_size
                all_files.add(path)

    claimed: set[str] = set()
    names: dict[str, list[str]] = {}
    n_dist_info = n_egg_info = record_rows = sized_rows = 0
    for entry in sorted(os.listdir(root)):
        meta_dir = os.path.join(root, entry)
        if entry.endswith(".dist-info") and os.path.isdir(meta_dir):
            n_dist_info += 1
            name, requires = read_metadata(os.path.join(meta_dir, "METADATA"))
            stem = entry[: -len(".dist-info")].rsplit("-", 1)[0]
            if normalize(stem) != normalize(name):
                error(f"{entry}: METADATA Name {name!r} does not match the directory")
            names[normalize(name)] = requires
            with open(os.path.join(meta_dir, "RECORD"), newline="", encoding="utf-8") as f:
                for row in csv.reader(f):
                    if not row:
                        continue
                    path, digest, size = (row + ["", ""])[:3]
                    full = os.path.normpath(os.path.join(root, path))
                    record_rows += 1
                    claimed.add(full)
                    if not os.path.lexists(full):
                        error(f"{entry}/RECORD: {path} is missing")
                        continue
                    if size:
                        sized_rows += 1
                        actual = os.lstat(full).st_size
                        if int(size) != actual:
                            error(f"{entry}/RECORD: {path} has size {actual}, RECORD says {size}")
                    if args.hashes and digest:
                        algo, _, value = digest.partition("=")
                        with open(full, "rb") as g:
                            h = base64.urlsafe_b64encode(hashlib.new(algo, g.read()).digest()).rstrip(b"=").decode()
                        if h != value:
                            error(f"{entry}/RECORD: {path} hash mismatch")
                    elif not digest and not path.endswith((".pyc", "/RECORD")):
                        error(f"{entry}/RECORD: {path} has no hash")
        elif entry.endswith(".egg-info") and os.path.isdir(meta_dir):
            n_egg_info += 1
            name, requires = read_metadata(os.path.join(meta_dir, "PKG-INFO"))
            names[normalize(name)] = requires
            for f in os.listdir(meta_dir):
                claimed.add(os.path.join(meta_dir, f))
            listing = os.path.join(meta_dir, "installed-files.txt")
            if os.path.exists(listing):
                with open(listing, encoding="utf-8") as f:
                    for line in f:
                        full = os.path.normpath(os.path.join(meta_dir, line.strip()))
                        if line.strip() in ("", "./"):
                            continue
                        claimed.add(full)
                        if not os.path.lexists(full):
                            error(f"{entry}/installed-files.txt: {line.strip()} is missing")
            else:  # pkgsizer falls back on top_level.txt: claim those trees
                with open(os.path.join(meta_dir, "top_level.txt"), encoding="utf-8") as f:
                    for top in filter(None, (line.strip() for line in f)):
                        base = os.path.join(root, top)
                        for p in all_files:
                            if p.startswith(base + os.sep) or p == base + ".py":
                                claimed.add(p)

    graph: dict[str, set[str]] = {}
    edges = missing = extra_edges = 0
    for name, requires in names.items():
        graph[name] = set()
        for req in requires:
            target, for_extra = requirement_target(req)
            if for_extra:
                extra_edges += 1
                continue
            edges += 1
            if target in names:
                graph[name].add(target)
            else:
                missing += 1
    unclaimed = all_files - claimed
    unclaimed_pyc = sum(p.endswith(".pyc") for p in unclaimed)

    print(f"tree:                 {root}")
    print(f"distributions:        {n_dist_info + n_egg_info} ({n_dist_info} dist-info, {n_egg_info} egg-info)")
    print(f"files:                {files} ({file_bytes} bytes), directories: {dirs}")
    print(f"apparent (du -sb):    {apparent}")
    print(f"RECORD rows:          {record_rows} ({sized_rows} with a size, all checked{', hashes too' if args.hashes else ''})")
    print(f"files not claimed:    {len(unclaimed)} ({unclaimed_pyc} .pyc)")
    print(f"Requires-Dist:        {edges} edges, {missing} to distributions not installed, "
          f"{extra_edges} only for extras; cycles: {'yes' if has_cycle(graph) else 'no'}")
    if args.du:
        out = subprocess.run(["du", "-sb", root], check=True, capture_output=True, text=True).stdout
        du = int(out.split()[0])
        print(f"du -sb:               {du} ({'agrees' if du == apparent else 'DIFFERS'})")
        if du != apparent:
            error(f"du -sb says {du}, the walk {apparent}")
    print(f"errors:               {len(errors)}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
