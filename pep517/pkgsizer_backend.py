"""The in-tree PEP 517 build backend of pkgsizer: `pip install .` builds a platform wheel that
carries the native `pkgsizer` binary in `pkgsizer-VERSION.data/scripts/` (as ruff's wheels do),
its man page and shell completions in `.data/data/share/`, and the shared libraries it needs
that a manylinux system does not promise, in `.data/data/lib/pkgsizer/` (found through the
binary's RUNPATH $ORIGIN/../lib/pkgsizer, as auditwheel would arrange).

No build dependency comes from an index (pyproject.toml: requires = []): the backend is
standard library only and runs CMake (with Ninja when it is on PATH) and patchelf.

Where it builds (docs/install.md):
  - PKGSIZER_BUILD_DIR=DIR in the environment, or `--config-settings build-dir=DIR`: an
    already configured build tree, brought up to date (`cmake --build DIR`): nothing is
    compiled again when it is current. The test suite uses the tree of PKGSIZER_BIN.
  - otherwise build-wheel/ in the source tree, configured Release without the tests, and kept:
    a second `pip install .` only rebuilds what changed.

The wheel's platform tag is manylinux_2_N_<arch>, N the newest GLIBC_2.N symbol version that
the binary or a bundled library needs (read from their ELF .gnu.version_r sections), or
linux_<arch> when the binary needs no glibc version (not a glibc build).
"""

import base64
import csv
import hashlib
import io
import os
import re
import shutil
import struct
import subprocess
import tempfile
import zipfile

SOURCE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NAME = "pkgsizer"

# Libraries every manylinux system has (PEP 600 / auditwheel's policy); anything else the
# binary links is copied into the wheel.
SYSTEM_LIBRARIES = {
    "libc.so.6", "libm.so.6", "libdl.so.2", "librt.so.1", "libpthread.so.0", "libutil.so.1",
    "libresolv.so.2", "libnsl.so.1", "libcrypt.so.1", "libgcc_s.so.1", "libstdc++.so.6",
    "ld-linux-x86-64.so.2", "ld-linux-aarch64.so.1", "linux-vdso.so.1",
}

ELF_MACHINES = {62: "x86_64", 183: "aarch64", 3: "i686"}  # e_machine values (ELF gABI)
SHT_GNU_VERNEED = 0x6FFFFFFE


# ---------------------------------------------------------------------------------------------
# PEP 517 hooks


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    build_dir = _build(config_settings or {})
    with tempfile.TemporaryDirectory(prefix="pkgsizer-wheel-") as staging:
        _run(["cmake", "--install", build_dir, "--component", "runtime", "--strip", "--prefix", staging])
        binary = os.path.join(staging, "bin", NAME)
        bundled = _bundle_libraries(binary, os.path.join(staging, "lib", NAME))
        tag = platform_tag(binary, bundled)
        return write_wheel(wheel_directory, staging, version(), tag)


def build_sdist(sdist_directory, config_settings=None):
    """The tracked files of the checkout (git ls-files) and PKG-INFO, as NAME-VERSION.tar.gz."""
    import tarfile

    files = subprocess.run(["git", "-C", SOURCE_DIR, "ls-files", "-z"], check=True,
                           capture_output=True).stdout.decode().split("\0")
    base = f"{NAME}-{version()}"
    path = os.path.join(sdist_directory, base + ".tar.gz")
    os.makedirs(sdist_directory, exist_ok=True)
    with tarfile.open(path, "w:gz") as archive:
        for name in filter(None, files):
            if os.path.lexists(os.path.join(SOURCE_DIR, name)):
                archive.add(os.path.join(SOURCE_DIR, name), f"{base}/{name}", recursive=False)
        data = metadata_text(version()).encode()
        info = tarfile.TarInfo(f"{base}/PKG-INFO")
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
    return os.path.basename(path)


# ---------------------------------------------------------------------------------------------
# Building


def version():
    """project(pkgsizer VERSION x.y.z) of CMakeLists.txt: the one place the version is written."""
    with open(os.path.join(SOURCE_DIR, "CMakeLists.txt"), encoding="utf-8") as cmake:
        match = re.search(r"project\(\s*pkgsizer\s+VERSION\s+([0-9][0-9.]*)", cmake.read())
    if not match:
        raise RuntimeError("CMakeLists.txt: no project(pkgsizer VERSION ...) line")
    return match.group(1)


def _run(argv, **kwargs):
    print("pkgsizer_backend:", " ".join(argv), flush=True)
    subprocess.run(argv, check=True, **kwargs)


def _build(config_settings):
    """Brings a build tree up to date and returns it: the given one, or build-wheel/."""
    given = config_settings.get("build-dir") or os.environ.get("PKGSIZER_BUILD_DIR")
    jobs = os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL") or str(min(os.cpu_count() or 1, 4))
    targets = ["--target", NAME, "pkgsizer_shell_files"]
    if given:
        build_dir = os.path.abspath(given)
        if not os.path.isfile(os.path.join(build_dir, "CMakeCache.txt")):
            raise RuntimeError(f"{build_dir}: not a configured CMake build tree (no CMakeCache.txt)")
    else:
        build_dir = os.path.join(SOURCE_DIR, "build-wheel")
        if not os.path.isfile(os.path.join(build_dir, "CMakeCache.txt")):
            configure = ["cmake", "-S", SOURCE_DIR, "-B", build_dir, "-DCMAKE_BUILD_TYPE=Release",
                         "-DPKGSIZER_BUILD_TESTS=OFF"]
            if shutil.which("ninja"):
                configure += ["-G", "Ninja"]
            _run(configure)
    _run(["cmake", "--build", build_dir, "--parallel", jobs] + targets)
    return build_dir


def _needed_libraries(binary):
    """name -> resolved path of every shared library the binary loads, as ldd reports it."""
    output = subprocess.run(["ldd", binary], check=True, capture_output=True, text=True).stdout
    libraries = {}
    for line in output.splitlines():
        match = re.match(r"\s*(\S+)\s+=>\s+(/\S+)", line)
        if match:
            libraries[match.group(1)] = match.group(2)
        elif "not found" in line:
            raise RuntimeError(f"{binary}: {line.strip()}")
    return libraries


def _bundle_libraries(binary, lib_dir):
    """Copies the non-system libraries next to the wheel's data and points the binary's
    RUNPATH at them; returns the copies."""
    bundled = []
    for name, path in sorted(_needed_libraries(binary).items()):
        if name in SYSTEM_LIBRARIES:
            continue
        os.makedirs(lib_dir, exist_ok=True)
        copy = os.path.join(lib_dir, name)
        shutil.copyfile(path, copy)
        os.chmod(copy, 0o755)
        _run(["patchelf", "--set-rpath", "$ORIGIN", copy])
        bundled.append(copy)
    if bundled:
        _run(["patchelf", "--set-rpath", f"$ORIGIN/../lib/{NAME}", binary])
    return bundled


# ---------------------------------------------------------------------------------------------
# The platform tag, from the ELF files themselves


def _elf_sections(data):
    """(e_machine, [(sh_type, sh_offset, sh_size, sh_link, sh_info)]) of a 64-bit little-endian
    ELF file (ELF gABI: Elf64_Ehdr and Elf64_Shdr)."""
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        raise ValueError("not a 64-bit little-endian ELF file")
    machine = struct.unpack_from("<H", data, 18)[0]
    shoff = struct.unpack_from("<Q", data, 0x28)[0]
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
    sections = []
    for index in range(shnum):
        base = shoff + index * shentsize
        _, sh_type, _, _, offset, size, link, info = struct.unpack_from("<IIQQQQII", data, base)
        sections.append((sh_type, offset, size, link, info))
    return machine, sections


def glibc_versions(path):
    """The GLIBC_x.y symbol versions an ELF file needs, as (x, y) tuples, from its version
    needs (.gnu.version_r: Elf64_Verneed entries, each with Elf64_Vernaux names)."""
    with open(path, "rb") as elf:
        data = elf.read()
    _, sections = _elf_sections(data)
    needed = set()
    for sh_type, offset, _, link, count in sections:
        if sh_type != SHT_GNU_VERNEED:
            continue
        strings = sections[link][1]
        entry = offset
        for _ in range(count):
            _, aux_count, _, aux_offset, next_offset = struct.unpack_from("<HHIII", data, entry)
            aux = entry + aux_offset
            for _ in range(aux_count):
                _, _, _, name, aux_next = struct.unpack_from("<IHHII", data, aux)
                end = data.index(b"\0", strings + name)
                match = re.fullmatch(rb"GLIBC_(\d+)\.(\d+)(?:\.\d+)?", data[strings + name:end])
                if match:
                    needed.add((int(match.group(1)), int(match.group(2))))
                aux += aux_next
            if not next_offset:
                break
            entry += next_offset
    return needed


def platform_tag(binary, bundled):
    with open(binary, "rb") as elf:
        machine, _ = _elf_sections(elf.read())
    arch = ELF_MACHINES.get(machine)
    if arch is None:
        raise RuntimeError(f"{binary}: unknown ELF machine {machine}")
    versions = set()
    for path in [binary] + list(bundled):
        versions |= glibc_versions(path)
    if not versions:
        return f"linux_{arch}"
    major, minor = max(versions)
    return f"manylinux_{major}_{minor}_{arch}"


# ---------------------------------------------------------------------------------------------
# The wheel (PEP 427 / the binary distribution format)


def metadata_text(ver):
    return (
        "Metadata-Version: 2.1\n"
        f"Name: {NAME}\n"
        f"Version: {ver}\n"
        "Summary: Where the bytes of your Python environments go\n"
        "License: MIT\n"
        "Requires-Python: >=3.7\n"
        "Classifier: Programming Language :: C++\n"
        "Classifier: Operating System :: POSIX :: Linux\n"
        "Description-Content-Type: text/markdown\n"
        "\n"
        "pkgsizer measures the installed size of every distribution of a Python environment,\n"
        "explains why each is installed, compares environments, checks size budgets and tracks\n"
        "their history. This wheel carries the native `pkgsizer` command.\n"
    )


def _record_hash(data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
    return "sha256=" + digest.decode()


def write_wheel(wheel_directory, staging, ver, tag):
    """NAME-VER-py3-none-TAG.whl: bin/ of the staging prefix as .data/scripts, the rest as
    .data/data, then the .dist-info with RECORD (sha256 and size of every file) last."""
    wheel_tag = f"py3-none-{tag}"
    filename = f"{NAME}-{ver}-{wheel_tag}.whl"
    data_dir = f"{NAME}-{ver}.data"
    dist_info = f"{NAME}-{ver}.dist-info"
    members = []  # (archive name, bytes, mode)
    for root, dirs, files in os.walk(staging):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(root, name)
            relative = os.path.relpath(path, staging).replace(os.sep, "/")
            scheme, _, rest = relative.partition("/")
            target = f"{data_dir}/scripts/{rest}" if scheme == "bin" else f"{data_dir}/data/{relative}"
            with open(path, "rb") as source:
                members.append((target, source.read(), os.stat(path).st_mode & 0o777))
    with open(os.path.join(SOURCE_DIR, "LICENSE"), "rb") as license_file:
        members.append((f"{dist_info}/LICENSE", license_file.read(), 0o644))
    members.append((f"{dist_info}/METADATA", metadata_text(ver).encode(), 0o644))
    wheel = (f"Wheel-Version: 1.0\nGenerator: pkgsizer_backend {ver}\nRoot-Is-Purelib: false\n"
             f"Tag: {wheel_tag}\n")
    members.append((f"{dist_info}/WHEEL", wheel.encode(), 0o644))

    record = io.StringIO()
    writer = csv.writer(record, lineterminator="\n")
    for name, data, _ in members:
        writer.writerow([name, _record_hash(data), len(data)])
    writer.writerow([f"{dist_info}/RECORD", "", ""])
    members.append((f"{dist_info}/RECORD", record.getvalue().encode(), 0o644))

    os.makedirs(wheel_directory, exist_ok=True)
    with zipfile.ZipFile(os.path.join(wheel_directory, filename), "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data, mode in members:
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.external_attr = (0o100000 | mode) << 16  # a regular file and its permissions
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return filename
