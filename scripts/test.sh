#!/usr/bin/env bash
# Installs dependencies, builds, and runs the whole test suite (unit + end-to-end) with ctest.
# This is the test command of README.md; .ci/run calls it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
cd build
ctest --output-on-failure --parallel "$(nproc)" --timeout 600
