#!/usr/bin/env python3
"""Generate a synthetic, realistic-looking ``site-packages`` tree for benchmarking pkgsizer.

Usage::

    gen_site_packages.py OUT_DIR --distributions N [--files-per-dist M] [--seed S]
                         [--egg-info-share 0.1] [--jobs J] [--summary-json FILE] [--force]

Debian packages needed: python3 (3.11, standard library only).

The tree is a pure function of (N, M, seed, egg-info share): the same arguments give the same
paths, sizes and contents, whatever ``--jobs`` is (each distribution draws from its own
random stream seeded with ``"{seed}/{index}"``).

What a generated tree looks like (modelled on a real CPython 3.11 site-packages):

* ``--files-per-dist`` is the *mean* number of files per distribution, metadata included; the
  counts are log-normal (many small distributions, a few with thousands of files) and scaled so
  that the tree holds about N × M files (2000 distributions ≈ 400k files by default).
* A distribution is usually an import package ``name/`` with nested sub-packages, each with an
  ``__init__.py`` (a third of them empty) and ``.py`` modules of log-normal sizes. Beside them,
  ``__pycache__/<module>.cpython-311.pyc``: per distribution, either listed in RECORD with an
  empty hash and size (what pip writes when it byte-compiles at install time), or absent from
  RECORD (compiled after install: ``--no-compile``, uv…), or not there at all (never imported).
* Some distributions ship extension modules ``<mod>.cpython-311-x86_64-linux-gnu.so`` (bigger,
  hundreds of kB to tens of MB), sometimes a top-level one, sometimes (wheels only) an
  auditwheel ``<name>.libs/`` directory of vendored shared libraries; some ship data files (``.json``,
  ``.txt``, ``.pem``, gettext ``.mo``, ``.pyi`` stubs, ``py.typed``).
* A few distributions are a single top-level module ``name.py`` (+ ``__pycache__/name.cpython-
  311.pyc`` in the top-level ``__pycache__``), a few live in PEP 420 namespace packages shared
  by several distributions (``nsacme/foo/`` without ``nsacme/__init__.py``), and the first one
  also owns a ``.pth`` file.
* ``name-1.2.3.dist-info/`` holds METADATA (Metadata-Version, Name, Version, Requires-Dist on
  *earlier* generated distributions, so the dependency graph is acyclic; their specifiers accept
  the installed version but for ~1% of conflicts; extras' targets are often not installed), INSTALLER (``pip``), WHEEL, sometimes REQUESTED,
  top_level.txt, entry_points.txt, a LICENSE, and a RECORD: CSV ``path,sha256=<urlsafe base64
  without padding>,size`` with real hashes and real sizes; RECORD itself (and pip-compiled
  ``.pyc``) with an empty hash and size. Distribution names come in mixed spellings
  (``Foo_Bar``, ``foo-bar``, ``Foo.Bar``) and are referred to in other spellings, so PEP 503
  normalization matters.
* ``--egg-info-share`` of the distributions (default 10%) are legacy ``Name-1.2.3-py3.11.egg-info/``
  directories instead: PKG-INFO, SOURCES.txt, top_level.txt, dependency_links.txt,
  requires.txt (if it has dependencies) and, for half of them, installed-files.txt (paths
  relative to the egg-info directory, ``../pkg/mod.py``).
* One unowned file, ``README.txt``, like the one CPython puts there.

File contents are cheap filler (repeated text or bytes), so generation is I/O bound; sizes are
what matters. Prints a summary (distributions, files, bytes, seconds) and, with
``--summary-json``, writes it as JSON too.
"""

from __future__ import annotations

import argparse
import base64
import csv
import hashlib
import io
import json
import keyword
import math
import multiprocessing
import os
import random
import shutil
import sys
import time
from dataclasses import dataclass, field

PY_TAG = "cpython-311"
SO_SUFFIX = f".{PY_TAG}-x86_64-linux-gnu.so"
WHEEL_TAG_PURE = "py3-none-any"
WHEEL_TAG_PLAT = "cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64"

# Upper bounds of the sizes drawn, per kind of content (also the size of the filler buffers).
SIZE_CAP = {"py": 1 << 20, "pyc": 3 << 20, "so": 48 << 20, "data": 8 << 20, "text": 256 << 10}

SYLLABLES = (
    "ab ac ad al am an ar as at ba be bi bo bu ca ce ci co cu da de di do du el em en er es "
    "fa fe fi fo fu ga ge gi go gu ha he hi ho hu ja jo ka ke ki ko la le li lo lu ma me mi "
    "mo mu na ne ni no nu pa pe pi po pu ra re ri ro ru sa se si so su ta te ti to tu va ve "
    "vi vo za ze zo"
).split()
NAME_WORDS = (
    "py async fast lib core http json yaml xml sql data net web api cli log time date path "
    "io test mock auth crypt hash cache queue task stream parse lint type schema config grpc "
    "proto cloud aws s3 db orm geo image audio text nlp ml stats plot num array frame graph "
    "tree trie heap zip tar gzip snap pack wheel build tool kit util utils helpers compat"
).split()
MODULE_WORDS = (
    "core utils api client server models config errors exceptions types typing base compat "
    "helpers io parser lexer tokens ast nodes visitor render format formatters serializers "
    "schema fields validators session request response auth cache storage backend backends "
    "handlers events signals hooks plugins registry loader loaders runtime context state "
    "settings constants version cli main commands shell log logging debug tests testing "
    "fixtures mock util tools encoding decoder encoder stream streams buffer pool worker "
    "tasks queue scheduler timer clock dates geometry matrix vector linalg stats random "
    "graph tree walk search index query filters sort merge diff patch transport adapters "
    "protocol wire codec frames packets socket http urls routing views templates widgets"
).split()
PACKAGE_WORDS = (
    "internal _internal vendor _vendor contrib ext extensions impl backends plugins drivers "
    "formats codecs io core utils tests testing data resources static templates locale "
    "handlers providers services models schemas parsers compat experimental"
).split()
DATA_FILES = (  # (directory, extension, kind)
    ("data", ".json", "data"), ("data", ".txt", "data"), ("resources", ".dat", "data"),
    ("static", ".css", "data"), ("static", ".js", "data"), ("templates", ".html", "data"),
    ("schemas", ".json", "data"), ("certs", ".pem", "data"), ("", ".pyi", "text"),
    ("locale/{lang}/LC_MESSAGES", ".mo", "data"), ("data", ".gz", "data"),
)
LANGS = "de fr es it ja pt_BR ru zh_CN nl pl".split()
NAMESPACES = ("nsacme", "nsgrid", "nsorbit")
EMPTY_SHA256 = "47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU"


# --------------------------------------------------------------------------------------------
# Global plan: names, file budgets, kinds and dependencies of all distributions.
# --------------------------------------------------------------------------------------------


@dataclass
class DistSpec:
    index: int
    name: str  # as in METADATA Name:
    normalized: str  # PEP 503
    version: str
    import_name: str  # top-level package or module
    namespace: str  # "" or a PEP 420 namespace directory the package lives in
    egg_info: bool
    single_module: bool
    file_budget: int  # approximate number of files, metadata included
    requires: list[str] = field(default_factory=list)  # Requires-Dist values


def normalize(name: str) -> str:
    """PEP 503 normalization."""
    out, sep = [], False
    for ch in name.lower():
        if ch in "-_.":
            sep = True
            continue
        if sep and out:
            out.append("-")
        sep = False
        out.append(ch)
    return "".join(out)


def lognormal_int(rng: random.Random, median: float, sigma: float, lo: int, hi: int) -> int:
    return max(lo, min(hi, int(rng.lognormvariate(math.log(median), sigma))))


def spell(rng: random.Random, normalized: str) -> str:
    """A spelling of a normalized name the way authors write them (foo-bar, foo_bar, Foo-Bar,
    Foo_Bar, Foo.Bar); each normalizes back to `normalized`."""
    words = normalized.split("-")
    r = rng.random()
    if r < 0.5:
        return normalized
    if r < 0.7:
        return "_".join(words)
    caps = [w.capitalize() for w in words]
    if r < 0.85:
        return "-".join(caps)
    if r < 0.95:
        return "_".join(caps)
    return ".".join(caps)


def make_plan(n: int, files_per_dist: float, seed: int, egg_share: float) -> list[DistSpec]:
    rng = random.Random(f"plan/{seed}")
    used_norm: set[str] = set()
    used_import: set[str] = set(NAMESPACES)

    # File budgets: log-normal, then scaled so that the total is about n * files_per_dist.
    sigma = 1.3
    raw = [rng.lognormvariate(0.0, sigma) for _ in range(n)]
    scale = n * files_per_dist / sum(raw)
    budgets = [max(6, round(r * scale)) for r in raw]

    egg_indices = set(rng.sample(range(n), round(n * egg_share))) if n else set()
    specs: list[DistSpec] = []
    for i in range(n):
        # A unique normalized name made of one to three words/syllable clusters.
        while True:
            k = rng.choice((1, 2, 2, 2, 3))
            parts = []
            for _ in range(k):
                if rng.random() < 0.5:
                    parts.append(rng.choice(NAME_WORDS))
                else:
                    parts.append("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))))
            norm = "-".join(parts)
            if norm not in used_norm and len(norm) > 2:
                break
        namespace = ""
        if rng.random() < 0.04:
            namespace = rng.choice(NAMESPACES)
            norm = f"{namespace}-{norm}"
        used_norm.add(norm)

        # Import name: usually the normalized name with underscores, sometimes another word
        # (PyYAML -> yaml, beautifulsoup4 -> bs4).
        import_name = norm.split("-", 1)[1].replace("-", "_") if namespace else norm.replace("-", "_")
        if not namespace and rng.random() < 0.15:
            import_name = parts[-1].replace("-", "_")
        while import_name in used_import or not import_name.isidentifier() or keyword.iskeyword(import_name):
            import_name = f"{import_name}{rng.randint(0, 9)}"
            if not import_name[0].isalpha():
                import_name = "m" + import_name
        used_import.add(import_name)

        version = rng.choice(
            (
                f"{rng.randint(0, 3)}.{rng.randint(0, 30)}.{rng.randint(0, 12)}",
                f"{rng.randint(0, 9)}.{rng.randint(0, 20)}",
                f"{rng.randint(2019, 2025)}.{rng.randint(1, 12)}.{rng.randint(1, 28)}",
                f"{rng.randint(1, 3)}.{rng.randint(0, 9)}.{rng.randint(0, 9)}.post{rng.randint(1, 3)}",
            )
        )
        budget = budgets[i]
        egg = i in egg_indices
        single = not namespace and budget <= 10 and rng.random() < 0.4
        spec = DistSpec(i, spell(rng, norm), norm, version, import_name, namespace, egg, single, budget)

        # Dependencies on earlier distributions, biased towards the first ones (hubs such as
        # six or typing-extensions), spelled differently from their Name: fields.
        if i > 0 and rng.random() < 0.75:
            n_deps = min(i, 1 + int(rng.expovariate(0.55)))
            targets = sorted({int(i * rng.random() ** 2.2) for _ in range(n_deps)})
            for t in targets:
                spec.requires.append(requirement(rng, spell(rng, specs[t].normalized), specs[t].version))
        # Extras whose targets are mostly not installed.
        if rng.random() < 0.3:
            for extra in rng.sample(("test", "docs", "dev", "speedups", "all"), rng.randint(1, 2)):
                for _ in range(rng.randint(1, 3)):
                    if i and rng.random() < 0.3:
                        other = specs[int(i * rng.random())]
                        target, installed = spell(rng, other.normalized), other.version
                    else:
                        target, installed = f"notinstalled-{rng.choice(NAME_WORDS)}{rng.randint(1, 99)}", None
                    spec.requires.append(f'{requirement(rng, target, installed, marker=False)}; extra == "{extra}"')
        specs.append(spec)
    return specs


def requirement(rng: random.Random, name: str, installed: str | None, marker: bool = True) -> str:
    """A Requires-Dist value on `name`, with a version specifier and sometimes a marker. When the
    target is installed at version `installed`, the specifier accepts it (as in an environment pip
    resolved), except for about 1% of deliberate conflicts."""
    major, minor = ([int(x) for x in installed.split(".")[:2]] + [0])[:2] if installed else (rng.randint(1, 5), 0)
    if installed and rng.random() < 0.01:
        return f"{name}>={major + 1}.0"  # a conflict, as `pip check` sometimes finds
    r = rng.random()
    if r < 0.3:
        return name
    if r < 0.55:
        return f"{name}>={major}.{rng.randint(0, minor)}"
    if r < 0.7:
        return f"{name}<{major + rng.randint(1, 3)},>={max(0, major - rng.randint(0, 1))}.0"
    if r < 0.78:
        return f"{name}~={major}.{rng.randint(0, minor)}" if installed else f"{name}~={major}.0"
    if r < 0.85:
        return f"{name} (>={major}.0)"  # old PEP 345 style
    if r < 0.93 or not marker:
        return f"{name}[{rng.choice(('socks', 'crypto', 'toml'))}]>={major}.0"
    return f"{name}>={major}.0; python_version < \"3.12\""


# --------------------------------------------------------------------------------------------
# Writing one distribution.
# --------------------------------------------------------------------------------------------

_FILLERS: dict[str, memoryview] = {}
_HASHES: dict[tuple[str, int], str] = {}


def filler(kind: str) -> memoryview:
    """A buffer whose prefixes are the contents of every file of this kind."""
    buf = _FILLERS.get(kind)
    if buf is None:
        cap = SIZE_CAP[kind]
        if kind == "py":
            unit = b'def synthetic_function(value):\n    """Generated."""\n    return value * 2\n\n'
        elif kind == "pyc":
            unit = b"\xa7\r\r\n\x00\x00\x00\x00" + bytes(range(256))
        elif kind == "so":
            unit = b"\x7fELF\x02\x01\x01\x00" + bytes(range(255, -1, -1)) * 4
        else:
            unit = b"synthetic data line for pkgsizer benchmarks 0123456789\n"
        data = (unit * (cap // len(unit) + 1))[:cap]
        buf = _FILLERS[kind] = memoryview(data)
    return buf


def content_hash(kind: str, size: int) -> str:
    key = (kind, size)
    h = _HASHES.get(key)
    if h is None:
        digest = hashlib.sha256(filler(kind)[:size]).digest()
        h = _HASHES[key] = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
    return h


def record_hash(data: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


class DistWriter:
    """Lays out and writes one distribution; collects what RECORD / installed-files.txt list."""

    def __init__(self, root: str, spec: DistSpec, seed: int):
        self.root = root
        self.spec = spec
        self.rng = random.Random(f"dist/{seed}/{spec.index}")
        self.made_dirs: set[str] = set()
        self.listed: list[tuple[str, str, str]] = []  # (relpath, hash, size) for RECORD
        self.files = 0
        self.bytes = 0
        self.dirs = 0
        self.pyc_mode = "record"  # "record" (listed, no hash), "unlisted" or "none"; drawn in write()
        self.platlib = False  # has extension modules: a platform wheel

    # -- low-level ---------------------------------------------------------------------------

    def mkdir(self, rel: str) -> None:
        if not rel or rel in self.made_dirs:
            return
        self.mkdir(os.path.dirname(rel))
        try:
            os.mkdir(os.path.join(self.root, rel))
            self.dirs += 1
        except FileExistsError:
            pass
        self.made_dirs.add(rel)

    def _write(self, rel: str, data) -> None:
        self.mkdir(os.path.dirname(rel))
        fd = os.open(os.path.join(self.root, rel), os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o644)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)
        self.files += 1
        self.bytes += len(data)

    def filler_file(self, rel: str, kind: str, size: int, listed: bool = True, hashed: bool = True) -> None:
        """A file of `size` filler bytes; listed in RECORD with its hash (or with none, as pip does
        for .pyc it compiled itself), or not listed at all."""
        size = min(size, SIZE_CAP[kind])
        self._write(rel, filler(kind)[:size])
        if listed:
            if hashed:
                h = f"sha256={content_hash(kind, size) if size else EMPTY_SHA256}"
                self.listed.append((rel, h, str(size)))
            else:
                self.listed.append((rel, "", ""))

    def text_file(self, rel: str, text: str, listed: bool = True) -> None:
        data = text.encode()
        self._write(rel, data)
        if listed:
            self.listed.append((rel, f"sha256={record_hash(data)}", str(len(data))))

    def pad(self, text: str, size: int) -> str:
        """Text padded with filler lines up to about `size` bytes."""
        line = "Synthetic long description of this distribution, padded to a realistic size.\n"
        missing = max(0, size - len(text))
        return text + line * (missing // len(line))

    # -- layout ----------------------------------------------------------------------------

    def write(self) -> tuple[int, int, int]:
        spec, rng = self.spec, self.rng
        n_meta = 6 if spec.egg_info else 4 + (rng.random() < 0.3) + (rng.random() < 0.5) + (rng.random() < 0.2) + (rng.random() < 0.6)
        budget = max(2, spec.file_budget - n_meta)
        r = rng.random()
        self.pyc_mode = "record" if r < 0.55 else "unlisted" if r < 0.85 else "none"
        if spec.egg_info and self.pyc_mode == "unlisted":
            self.pyc_mode = "record"  # setup.py install byte-compiles and lists them
        top_levels = [spec.namespace or spec.import_name]

        if spec.single_module:
            self.module(spec.import_name, "", lognormal_int(rng, 12000, 1.0, 200, SIZE_CAP["py"]))
        else:
            top_levels += self.package_tree(budget)
        if spec.index == 0:
            self.text_file(f"{spec.import_name}-nspkg.pth", "import os; synthetic = True\n")

        if spec.egg_info:
            self.egg_info_metadata(top_levels)
        else:
            self.dist_info_metadata(top_levels)
        return self.files, self.bytes, self.dirs

    def module(self, name: str, pkg: str, size: int) -> None:
        """`pkg/name.py` and its byte-compiled `pkg/__pycache__/name.cpython-311.pyc`."""
        rel = f"{pkg}/{name}.py" if pkg else f"{name}.py"
        self.filler_file(rel, "py", size)
        if self.pyc_mode != "none":
            pyc_size = int(size * self.rng.uniform(0.8, 1.7)) + self.rng.randint(100, 400)
            pyc = f"{pkg}/__pycache__/{name}.{PY_TAG}.pyc" if pkg else f"__pycache__/{name}.{PY_TAG}.pyc"
            self.filler_file(pyc, "pyc", pyc_size, listed=self.pyc_mode == "record", hashed=False)

    def package_tree(self, budget: int) -> list[str]:
        """Packages, modules, extension modules and data files for about `budget` files.
        Returns the extra top-level import names (a top-level extension module)."""
        spec, rng = self.spec, self.rng
        extra_top: list[str] = []
        n_so = 0
        if rng.random() < 0.15:
            n_so = min(max(1, budget // 4), 1 + int(rng.expovariate(0.6)))
        n_data = round(budget * rng.uniform(0.05, 0.5)) if rng.random() < 0.45 else 0
        per_module = 1 if self.pyc_mode == "none" else 2
        n_py = max(1, (budget - n_so - n_data) // per_module)

        # Package tree: the top package, then sub-packages hung under random earlier ones.
        top = f"{spec.namespace}/{spec.import_name}" if spec.namespace else spec.import_name
        packages = [top]
        depth = {top: 0}
        n_pkg = max(1, min(n_py, round(n_py / rng.uniform(5, 15))))
        children: dict[str, set[str]] = {top: set()}
        for _ in range(n_pkg - 1):
            parent = rng.choice([p for p in packages[-40:] if depth[p] < 5] or [top])
            name = unique(rng, rng.choice(PACKAGE_WORDS + MODULE_WORDS), children[parent])
            pkg = f"{parent}/{name}"
            packages.append(pkg)
            depth[pkg] = depth[parent] + 1
            children[pkg] = set()

        for pkg in packages:  # __init__.py: a third are empty
            size = 0 if rng.random() < 0.33 else lognormal_int(rng, 900, 1.5, 1, SIZE_CAP["py"])
            self.module("__init__", pkg, size)
            children[pkg].add("__init__")
        for _ in range(n_py - len(packages)):
            pkg = rng.choice(packages)
            name = unique(rng, rng.choice(MODULE_WORDS), children[pkg])
            self.module(name, pkg, lognormal_int(rng, 2400, 1.3, 20, SIZE_CAP["py"]))

        for k in range(n_so):
            size = lognormal_int(rng, 250_000, 1.4, 16_000, SIZE_CAP["so"])
            if k == 0 and rng.random() < 0.1:  # a top-level extension module (_cffi_backend)
                name = unique(rng, f"_{spec.import_name}_ext", children[top])
                self.filler_file(f"{name}{SO_SUFFIX}", "so", size)
                extra_top.append(name)
            else:
                pkg = rng.choice(packages)
                name = unique(rng, "_" + rng.choice(MODULE_WORDS), children[pkg])
                self.filler_file(f"{pkg}/{name}{SO_SUFFIX}", "so", size)
        if n_so:
            self.platlib = True
            if rng.random() < 0.3 and not spec.egg_info:  # auditwheel's vendored libraries (wheels only)
                libs = f"{spec.import_name}.libs"
                for _ in range(rng.randint(1, 3)):
                    lib = f"lib{rng.choice(NAME_WORDS)}-{rng.getrandbits(32):08x}.so.{rng.randint(1, 9)}"
                    self.filler_file(f"{libs}/{lib}", "so", lognormal_int(rng, 1_000_000, 1.2, 50_000, SIZE_CAP["so"]))
                # not an import name: kept out of top_level.txt, claimed through RECORD only

        if n_data and rng.random() < 0.5:
            self.filler_file(f"{top}/py.typed", "data", 0)
            n_data -= 1
        data_dirs = [rng.choice(DATA_FILES) for _ in range(rng.randint(1, 3))]
        for _ in range(n_data):
            directory, ext, kind = rng.choice(data_dirs)
            pkg = rng.choice(packages)
            directory = directory.format(lang=rng.choice(LANGS))
            base = f"{pkg}/{directory}" if directory else pkg
            children.setdefault(base, set())
            name = unique(rng, rng.choice(MODULE_WORDS), children[base])
            median, sigma = (1500, 1.2) if kind == "text" else (3000, 1.6)
            self.filler_file(f"{base}/{name}{ext}", kind, lognormal_int(rng, median, sigma, 0, SIZE_CAP[kind]))
        return extra_top

    # -- metadata --------------------------------------------------------------------------

    def metadata_text(self, metadata_version: str) -> str:
        spec, rng = self.spec, self.rng
        lines = [
            f"Metadata-Version: {metadata_version}",
            f"Name: {spec.name}",
            f"Version: {spec.version}",
            f"Summary: Synthetic distribution number {spec.index} for pkgsizer benchmarks",
            f"Home-page: https://example.invalid/{spec.normalized}",
            "Author: Synthetic Author",
            "License: MIT",
            f"Requires-Python: >=3.{rng.randint(7, 10)}",
            "Classifier: Programming Language :: Python :: 3",
            "Classifier: License :: OSI Approved :: MIT License",
        ]
        extras = sorted({r.split('extra == "')[1].rstrip('"') for r in spec.requires if "extra ==" in r})
        lines += [f"Provides-Extra: {e}" for e in extras]
        lines += [f"Requires-Dist: {r}" for r in spec.requires]
        head = "\n".join(lines) + "\n\n"
        return self.pad(head, lognormal_int(rng, 6000, 1.0, len(head), 200_000))

    def dist_info_metadata(self, top_levels: list[str]) -> None:
        spec, rng = self.spec, self.rng
        # Newer tools write the normalized name; older ones kept the author's case.
        stem = spec.normalized.replace("-", "_") if rng.random() < 0.7 else spec.name.replace("-", "_").replace(".", "_")
        di = f"{stem}-{spec.version}.dist-info"
        self.text_file(f"{di}/METADATA", self.metadata_text(rng.choice(("2.1", "2.1", "2.3", "2.4"))))
        self.text_file(f"{di}/INSTALLER", "pip\n")
        tag = WHEEL_TAG_PLAT if self.platlib else WHEEL_TAG_PURE
        self.text_file(
            f"{di}/WHEEL",
            f"Wheel-Version: 1.0\nGenerator: bdist_wheel (0.42.0)\n"
            f"Root-Is-Purelib: {'false' if self.platlib else 'true'}\nTag: {tag}\n\n",
        )
        if rng.random() < 0.3:
            self.text_file(f"{di}/REQUESTED", "")
        if rng.random() < 0.5:
            self.text_file(f"{di}/top_level.txt", "".join(f"{t}\n" for t in sorted(set(top_levels))))
        if rng.random() < 0.2:
            self.text_file(f"{di}/entry_points.txt", f"[console_scripts]\n{spec.normalized} = {spec.import_name}:main\n")
        if rng.random() < 0.6:
            lic = f"{di}/licenses/LICENSE" if rng.random() < 0.4 else f"{di}/LICENSE"
            self.text_file(lic, self.pad("MIT License\n\n", lognormal_int(rng, 1100, 0.8, 200, 40_000)))

        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        for row in sorted(self.listed):
            writer.writerow(row)
        writer.writerow((f"{di}/RECORD", "", ""))
        self.text_file(f"{di}/RECORD", out.getvalue(), listed=False)

    def egg_info_metadata(self, top_levels: list[str]) -> None:
        spec, rng = self.spec, self.rng
        stem = spec.name.replace("-", "_")
        ei = f"{stem}-{spec.version}-py3.11.egg-info"
        installed = [rel for rel, _, _ in self.listed]
        self.listed = []
        self.text_file(f"{ei}/PKG-INFO", self.metadata_text("2.1"))
        self.text_file(f"{ei}/SOURCES.txt", "".join(f"{p}\n" for p in ["setup.py"] + installed[:200] if not p.endswith(".pyc")))
        self.text_file(f"{ei}/dependency_links.txt", "\n")
        self.text_file(f"{ei}/top_level.txt", "".join(f"{t}\n" for t in sorted(set(top_levels))))
        if spec.requires:  # requires.txt: plain lines, then [extra] and [:marker] sections
            plain, sections = [], {}
            for r in spec.requires:
                req, _, marker = (part.strip() for part in r.partition(";"))
                if not marker:
                    plain.append(req)
                elif marker.startswith("extra =="):
                    sections.setdefault(marker.split("==")[1].strip().strip('"'), []).append(req)
                else:
                    sections.setdefault(":" + marker, []).append(req)
            text = "".join(f"{r}\n" for r in plain)
            for section, reqs in sorted(sections.items()):
                text += f"\n[{section}]\n" + "".join(f"{r}\n" for r in reqs)
            self.text_file(f"{ei}/requires.txt", text)
        if spec.index % 2 == 0:  # half of them (deterministic by index)
            # As pip's legacy installs write it: relative to the egg-info directory, sorted,
            # the egg-info's own files after "./", installed-files.txt itself not listed.
            own = [os.path.basename(rel) for rel, _, _ in self.listed]
            lines = sorted([f"../{p}" for p in installed] + ["./"] + own)
            self.text_file(f"{ei}/installed-files.txt", "".join(f"{line}\n" for line in lines), listed=False)


def unique(rng: random.Random, name: str, taken: set[str]) -> str:
    candidate = name
    while candidate in taken:
        candidate = f"{name}{rng.randint(2, 999)}"
    taken.add(candidate)
    return candidate


# --------------------------------------------------------------------------------------------
# Driver.
# --------------------------------------------------------------------------------------------

_WORKER: dict = {}


def _init_worker(root: str, specs: list[DistSpec], seed: int) -> None:
    _WORKER.update(root=root, specs=specs, seed=seed)


def _write_one(index: int) -> tuple[int, int, int]:
    return DistWriter(_WORKER["root"], _WORKER["specs"][index], _WORKER["seed"]).write()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out_dir", help="the site-packages directory to create")
    ap.add_argument("--distributions", "-n", type=int, required=True, help="number of distributions")
    ap.add_argument("--files-per-dist", type=float, default=200.0, help="mean files per distribution (default 200)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--egg-info-share", type=float, default=0.1, help="share of .egg-info distributions (default 0.1)")
    ap.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1, help="writer processes (default: CPUs)")
    ap.add_argument("--summary-json", metavar="FILE", help="also write the summary as JSON to FILE")
    ap.add_argument("--force", action="store_true", help="delete OUT_DIR first if it exists")
    args = ap.parse_args(argv)

    if os.path.lexists(args.out_dir):
        if not args.force:
            if os.path.isdir(args.out_dir) and not os.listdir(args.out_dir):
                pass
            else:
                ap.error(f"{args.out_dir} exists and is not empty (use --force to replace it)")
        else:
            shutil.rmtree(args.out_dir)
    os.makedirs(args.out_dir, exist_ok=True)
    root = os.path.abspath(args.out_dir)

    start = time.perf_counter()
    specs = make_plan(args.distributions, args.files_per_dist, args.seed, args.egg_info_share)
    with open(os.path.join(root, "README.txt"), "w") as f:  # unowned, as in CPython's
        f.write("This directory exists so that 3rd party packages can be installed\nhere.  (synthetic)\n")
    files, nbytes, dirs = 1, os.path.getsize(os.path.join(root, "README.txt")), 0
    if args.jobs > 1 and len(specs) > 1:
        with multiprocessing.get_context("fork").Pool(args.jobs, _init_worker, (root, specs, args.seed)) as pool:
            results = list(pool.imap_unordered(_write_one, range(len(specs)), chunksize=4))
    else:
        _init_worker(root, specs, args.seed)
        results = [_write_one(i) for i in range(len(specs))]
    for f_, b_, d_ in results:
        files, nbytes, dirs = files + f_, nbytes + b_, dirs + d_
    elapsed = time.perf_counter() - start

    summary = {
        "out_dir": root,
        "distributions": len(specs),
        "dist_info": sum(not s.egg_info for s in specs),
        "egg_info": sum(s.egg_info for s in specs),
        "files": files,
        "file_bytes": nbytes,
        "directories_created": dirs,
        "seed": args.seed,
        "files_per_dist": args.files_per_dist,
        "egg_info_share": args.egg_info_share,
        "seconds": round(elapsed, 2),
    }
    print(
        f"{root}: {summary['distributions']} distributions ({summary['egg_info']} egg-info), "
        f"{files} files, {nbytes / 1e6:.1f} MB in files, {dirs} directories, {elapsed:.1f} s",
        file=sys.stderr,
    )
    if args.summary_json:
        with open(args.summary_json, "w") as f:
            json.dump(summary, f, indent=2)
            f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
