#!/usr/bin/env bash
# Checks formatting (clang-format, .clang-format) and runs clang-tidy (.clang-tidy) over src/,
# tests/unit/ and tests/fuzz/. Any finding fails. scripts/test.sh runs it, so `.ci/run` does.
#
#   scripts/lint.sh [BUILD_DIR]     both checks; BUILD_DIR holds compile_commands.json
#                                   (default: build; configure with -DCMAKE_EXPORT_COMPILE_COMMANDS=ON)
#   scripts/lint.sh --format-only   only clang-format (needs no build)
#   scripts/lint.sh --tidy-only [BUILD_DIR]
#
# To reformat instead of check:  clang-format-14 -i $(git ls-files 'src/*.[ch]pp' 'tests/*.[ch]pp')
set -euo pipefail
cd "$(dirname "$0")/.."

format=1 tidy=1
case "${1:-}" in
  --format-only) tidy=0; shift ;;
  --tidy-only) format=0; shift ;;
esac
build_dir="${1:-build}"

# The version is pinned: another clang-format formats (and another clang-tidy warns) differently.
clang_format=$(command -v clang-format-14 || command -v clang-format)
clang_tidy=$(command -v clang-tidy-14 || command -v clang-tidy)
mapfile -t sources < <(git ls-files 'src/*.cpp' 'src/*.hpp' 'tests/unit/*.cpp' 'tests/fuzz/*.cpp' 'tests/fuzz/*.hpp')
mapfile -t translation_units < <(printf '%s\n' "${sources[@]}" | grep '\.cpp$')

status=0
if [ "$format" = 1 ]; then
  echo "lint: clang-format --dry-run --Werror over ${#sources[@]} files"
  "$clang_format" --dry-run --Werror "${sources[@]}" || status=1
fi

if [ "$tidy" = 1 ]; then
  if [ ! -f "$build_dir/compile_commands.json" ]; then
    echo "lint: no $build_dir/compile_commands.json (configure with -DCMAKE_EXPORT_COMPILE_COMMANDS=ON)" >&2
    exit 2
  fi
  echo "lint: clang-tidy over ${#translation_units[@]} files (-p $build_dir)"
  # One clang-tidy per core; the build's GCC-only warning flags are unknown to clang.
  printf '%s\n' "${translation_units[@]}" |
    xargs -P "$(nproc)" -n 4 "$clang_tidy" -p "$build_dir" --quiet \
      --extra-arg=-Wno-unknown-warning-option || status=1
fi
exit "$status"
