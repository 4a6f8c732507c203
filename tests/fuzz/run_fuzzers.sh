#!/usr/bin/env bash
# Runs fuzz targets of a libFuzzer build (docs/fuzzing.md), a few at a time at the lowest CPU
# priority, each for SECONDS. New inputs go to BUILD_DIR/fuzz-work/<target>/ (the committed
# seeds in tests/fuzz/corpus/<target>/ are only read); a crash, leak or timeout input is kept as
# tests/fuzz/corpus/crashes/<target>-<kind>-<sha1>. One line per target is appended to
# BUILD_DIR/fuzz-work/summary.txt; the full log is BUILD_DIR/fuzz-work/<target>.log.
#
#   tests/fuzz/run_fuzzers.sh [-b BUILD_DIR] [-t SECONDS] [-j PARALLEL] [TARGET...]
#   defaults: build-fuzz, 600, 2, every target built there
set -euo pipefail
cd "$(dirname "$0")/../.."
build_dir=build-fuzz seconds=600 parallel=2
while getopts "b:t:j:" option; do
  case "$option" in
    b) build_dir="$OPTARG" ;;
    t) seconds="$OPTARG" ;;
    j) parallel="$OPTARG" ;;
    *) exit 2 ;;
  esac
done
shift $((OPTIND - 1))
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(cd "$build_dir/tests/fuzz" && ls fuzz-* | sed 's/^fuzz-//')
fi
work="$build_dir/fuzz-work"
mkdir -p "$work" tests/fuzz/corpus/crashes

run_one() {
  local target="$1"
  mkdir -p "$work/$target"
  local started status
  started=$(date -u +%FT%TZ)
  status=0
  nice -n 19 "$build_dir/tests/fuzz/fuzz-$target" -max_total_time="$seconds" -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="tests/fuzz/corpus/crashes/$target-" \
    "$work/$target" "tests/fuzz/corpus/$target" >"$work/$target.log" 2>&1 || status=$?
  local runs
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$work/$target.log" | grep -o '[0-9]*$' || echo "?")
  local cov
  cov=$(grep -o 'cov: [0-9]*' "$work/$target.log" | tail -1 || true)
  printf '%s\t%s\t%ss\texit %s\t%s runs\t%s\n' "$target" "$started" "$seconds" "$status" "$runs" "$cov" \
    >>"$work/summary.txt"
}
export -f run_one
export build_dir seconds work
printf '%s\n' "${targets[@]}" | xargs -P "$parallel" -I{} bash -c 'run_one {}'
cat "$work/summary.txt"
