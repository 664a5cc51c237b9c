#!/usr/bin/env bash
#===- test.sh - Set up, build and run every test ---------------------------===#
#
# Installs and builds everything (tools/setup.sh), then builds and tests the
# runtime-only configuration that a GPU machine without LLVM uses, then runs
# the full suite: lit and GoogleTest through one ctest. Tests that need a
# CUDA device report "Skipped" without one, never "Passed".
#
#===------------------------------------------------------------------------===#

set -euo pipefail
cd "$(dirname "$0")/.."

bash tools/setup.sh default

cmake --preset runtime
cmake --build --preset runtime
ctest --preset runtime

ctest --preset default
