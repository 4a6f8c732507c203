#!/usr/bin/env python3
"""How close `pkgsizer predict` comes to the bytecode a real `pip install` writes.

1. Builds a wheel set offline from installed distributions (there is no PyPI here): every
   distribution with a RECORD in the given site directories becomes NAME-VERSION-py3-none-any.whl
   holding the files its RECORD lists inside site-packages (bytecode left out), with its
   .dist-info. Sources and their sizes are those of the real releases.
2. Installs every wheel with the given interpreter's pip into a fresh venv, with compilation
   (pip's default), and sums the .pyc files each distribution's installed RECORD lists.
3. Predicts the same wheels with `pkgsizer predict --no-index -f WHEELS --no-deps` (estimate,
   and with --exact-bytecode) and compares, per package and in total.

    benchmarks/bytecode_accuracy.py --pkgsizer build/pkgsizer --out /tmp/bytecode-bench \\
        --site /root/.pyenv/versions/3.11.7/lib/python3.11/site-packages \\
        --site /usr/lib/python3/dist-packages [--python python3.11] [--files files.csv]

Prints a Markdown table (docs/predict.md shows it) and the summary; --files writes one row per
.py file (wheel, member, source bytes, compressed bytes, pyc bytes) for fitting the model.
"""

import argparse
import csv
import glob
import json
import os
import re
import subprocess
import sys
import zipfile


def record_rows(dist_info):
    with open(os.path.join(dist_info, "RECORD"), newline="") as f:
        return [row[0] for row in csv.reader(f) if row]


def build_wheels(sites, out):
    os.makedirs(out, exist_ok=True)
    seen = set()
    built = []
    for site in sites:
        for dist_info in sorted(glob.glob(os.path.join(site, "*.dist-info"))):
            if not os.path.exists(os.path.join(dist_info, "RECORD")):
                continue
            name, version = os.path.basename(dist_info)[: -len(".dist-info")].split("-", 1)
            key = re.sub(r"[-_.]+", "_", name).lower()
            if key in seen:
                continue
            members = [p for p in record_rows(dist_info)
                       if not p.startswith("..") and not p.startswith("/") and "__pycache__" not in p
                       and not p.endswith(".pyc") and os.path.isfile(os.path.join(site, p))]
            if not any(p.endswith(".py") for p in members):
                continue
            seen.add(key)
            wheel = os.path.join(out, f"{key}-{version}-py3-none-any.whl")
            built.append((key, version, wheel))
            if os.path.exists(wheel):
                continue
            info = os.path.basename(dist_info)
            with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as zf:
                for member in members:
                    if member.startswith(info + "/") and os.path.basename(member) in ("RECORD", "WHEEL"):
                        continue
                    zf.write(os.path.join(site, member), member)
                zf.writestr(f"{info}/WHEEL", "Wheel-Version: 1.0\nGenerator: bytecode_accuracy\n"
                            "Root-Is-Purelib: true\nTag: py3-none-any\n")
                zf.writestr(f"{info}/RECORD", "".join(f"{m},,\n" for m in zf.namelist()) + f"{info}/RECORD,,\n")
    return built


def install(python, wheels, venv):
    if not os.path.exists(os.path.join(venv, "bin", "python")):
        subprocess.run([python, "-m", "venv", venv], check=True)
    subprocess.run([os.path.join(venv, "bin", "python"), "-m", "pip", "install", "-q", "--no-deps",
                    "--no-index", "--force-reinstall", "--disable-pip-version-check"] + wheels,
                   check=True)


def measured_pyc(venv, built, files_csv):
    site = glob.glob(os.path.join(venv, "lib", "python3*", "site-packages"))[0]
    tag = re.search(r"python3\.(\d+)", site).group(1)
    sizes = {}
    rows = []
    for key, version, wheel in built:
        total = 0
        with zipfile.ZipFile(wheel) as zf:
            for info in zf.infolist():
                if not info.filename.endswith(".py"):
                    continue
                head, base = os.path.split(info.filename)
                pyc = os.path.join(site, head, "__pycache__", f"{base[:-3]}.cpython-3{tag}.pyc")
                size = os.path.getsize(pyc) if os.path.exists(pyc) else 0
                total += size
                rows.append((key, info.filename, info.file_size, info.compress_size, size))
        sizes[key] = total
    if files_csv:
        with open(files_csv, "w", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(["wheel", "member", "py_bytes", "compressed_bytes", "pyc_bytes"])
            writer.writerows(rows)
    return sizes


def predicted(pkgsizer, built, wheels_dir, python_version, exact):
    req = os.path.join(wheels_dir, "requirements.txt")
    with open(req, "w") as f:
        f.writelines(f"{key}=={version}\n" for key, version, _ in built)
    args = [pkgsizer, "predict", req, "--no-index", "-f", wheels_dir, "--no-deps", "--no-cache",
            "--python-version", python_version, "--json", "-", "-q"]
    if exact:
        args.append("--exact-bytecode")
    proc = subprocess.run(args, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"pkgsizer predict failed ({proc.returncode}): {proc.stderr}")
    return {d["normalized_name"].replace("-", "_"): d["bytecode_bytes"]
            for d in json.loads(proc.stdout)["distributions"]}


def summary(label, real, guess):
    keys = [k for k in real if real[k] > 0]
    total_real = sum(real[k] for k in keys)
    total_guess = sum(guess.get(k, 0) for k in keys)
    errors = {k: (guess.get(k, 0) - real[k]) / real[k] for k in keys}
    within = sum(1 for e in errors.values() if abs(e) <= 0.10)
    print(f"{label}: total {total_guess:,} predicted vs {total_real:,} by pip "
          f"({100 * (total_guess - total_real) / total_real:+.2f}%); {within} of {len(keys)} "
          f"packages within 10% ({100 * within / len(keys):.1f}%)")
    return errors


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pkgsizer", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--site", action="append", required=True)
    parser.add_argument("--python", default="python3.11")
    parser.add_argument("--files")
    args = parser.parse_args()
    wheels_dir = os.path.join(args.out, "wheels")
    built = build_wheels(args.site, wheels_dir)
    venv = os.path.join(args.out, "venv")
    install(args.python, [w for _, _, w in built], venv)
    version = subprocess.run([args.python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    real = measured_pyc(venv, built, args.files)
    estimate = predicted(args.pkgsizer, built, wheels_dir, version, False)
    exact = predicted(args.pkgsizer, built, wheels_dir, version, True)
    print(f"{len(built)} wheels, Python {version}\n")
    print("| package | pip wrote | estimate | error | --exact-bytecode | error |")
    print("|---|--:|--:|--:|--:|--:|")
    for key in sorted(real, key=lambda k: -real[k]):
        if real[key] == 0:
            continue
        e, x = estimate.get(key, 0), exact.get(key, 0)
        print(f"| {key} | {real[key]:,} | {e:,} | {100 * (e - real[key]) / real[key]:+.1f}% "
              f"| {x:,} | {100 * (x - real[key]) / real[key]:+.2f}% |")
    print()
    summary("estimate", real, estimate)
    summary("--exact-bytecode", real, exact)


if __name__ == "__main__":
    main()
