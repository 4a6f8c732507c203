#!/usr/bin/env python3
"""Writes the zip seeds of corpus/zip_central_directory and corpus/zip_member: small wheels
that exercise what the readers handle (stored and deflated members, a ZIP64 record, an archive
comment, a self-extracting prefix). Run from anywhere; the seeds are committed, this script says
how they were made."""
import io
import pathlib
import zipfile

HERE = pathlib.Path(__file__).resolve().parent
METADATA = b"Metadata-Version: 2.1\nName: demo\nVersion: 1.0\nRequires-Dist: six\n"


def wheel(compression=zipfile.ZIP_DEFLATED, force_zip64=False, comment=b""):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        archive.comment = comment
        for name, data in [
            ("demo/__init__.py", b"from .core import *\n"),
            ("demo/core.py", b"def f():\n    return 42\n" * 20),
            ("demo-1.0.dist-info/METADATA", METADATA),
            ("demo-1.0.dist-info/WHEEL", b"Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n"),
            ("demo-1.0.dist-info/RECORD", b"demo/__init__.py,,\ndemo-1.0.dist-info/RECORD,,\n"),
        ]:
            info = zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0))
            info.compress_type = compression
            with archive.open(info, "w", force_zip64=force_zip64) as member:
                member.write(data)
        archive.writestr(zipfile.ZipInfo("demo/data/", (2024, 1, 1, 0, 0, 0)), b"")
    return buffer.getvalue()


SEEDS = {
    "deflated.whl": wheel(),
    "stored.whl": wheel(zipfile.ZIP_STORED),
    "zip64.whl": wheel(force_zip64=True),
    "comment.whl": wheel(comment=b"an archive comment"),
    "prefixed.whl": b"#!/bin/sh\nexit 0\n" + wheel(zipfile.ZIP_STORED),
}

for target in ("zip_central_directory", "zip_member"):
    directory = HERE / "corpus" / target
    directory.mkdir(parents=True, exist_ok=True)
    for name, data in SEEDS.items():
        (directory / name).write_bytes(data)
