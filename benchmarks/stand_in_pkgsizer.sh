#!/bin/sh
# A stand-in for pkgsizer, to try bench_scan.py without the real binary:
#   bench_scan.py --bin benchmarks/stand_in_pkgsizer.sh --synthetic 200
# Understands `scan-env --site-packages DIR [--json FILE|-] [anything else, ignored]`; runs
# `du -sb DIR` and, with --json, writes a minimal report whose totals.all.apparent_bytes is du's.
# Debian packages needed: coreutils (du), dash or any POSIX sh.
set -eu
[ "${1:-}" = scan-env ] || { echo "stand-in: only scan-env" >&2; exit 2; }
shift
tree= json=
while [ $# -gt 0 ]; do
  case "$1" in
    --site-packages) tree=$2; shift ;;
    --json) json=$2; shift ;;
  esac
  shift
done
[ -n "$tree" ] || { echo "stand-in: --site-packages DIR needed" >&2; exit 2; }
bytes=$(du -sb "$tree" | cut -f1)
dists=$(ls -d "$tree"/*.dist-info "$tree"/*.egg-info 2>/dev/null | wc -l)
report="{\"schema_version\": 1, \"tool\": {\"name\": \"stand-in\"}, \"totals\": {\"distributions\": $dists, \"all\": {\"apparent_bytes\": $bytes}}}"
case "$json" in
  "") echo "stand-in: $dists distributions, $bytes bytes" ;;
  -) echo "$report" ;;
  *) echo "$report" > "$json" ;;
esac
