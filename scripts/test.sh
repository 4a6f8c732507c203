#!/usr/bin/env bash
# Installs dependencies, builds everything once under AddressSanitizer and UndefinedBehavior-
# Sanitizer with warnings as errors (into build-test/, apart from the Release build in build/),
# runs the whole suite with ctest (unit tests, end-to-end tests, and each fuzz target over its
# corpus), then the lint (scripts/lint.sh: clang-format and clang-tidy).
# This is the test command of README.md; .ci/run calls it. Its cost: CONTRIBUTING.md.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh

build_dir=build-test
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
# The e2e tests run the sanitized binary too: one build and one run of the suite cover both.
# -O1, as sanitizer builds usually are: it compiles in about half the time of Release's -O3 and
# keeps stack traces readable; assertions stay on.
cmake -S . -B "$build_dir" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE=-O1 \
  -DPKGSIZER_SANITIZE=address,undefined -DPKGSIZER_WERROR=ON -DCMAKE_EXPORT_COMPILE_COMMANDS=ON
cmake --build "$build_dir" --parallel "$(nproc)"

# A sanitizer finding ends the process with a failing status, so the test fails.
export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=0:detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
(cd "$build_dir" && ctest --output-on-failure --parallel "$(nproc)" --timeout 900)

scripts/lint.sh "$build_dir"
