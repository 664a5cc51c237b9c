#!/usr/bin/env bash
#===- test.sh - Set up, build and run every test ---------------------------===#
#
# Installs and builds everything (tools/setup.sh), then builds and tests the
# runtime-only configuration that a GPU machine without LLVM uses, the same
# runtime under AddressSanitizer and UndefinedBehaviorSanitizer, and an
# application built against the installed runtime (examples/embed); then
# runs the full suite: lit and GoogleTest through one ctest. Tests that need
# a CUDA device report "Skipped" without one, never "Passed".
#
#===------------------------------------------------------------------------===#

set -euo pipefail
cd "$(dirname "$0")/.."

bash tools/setup.sh default

cmake --preset runtime
cmake --build --preset runtime
ctest --preset runtime

# The runtime's tests again with ASan + UBSan (gcc, no CUDA). The test
# preset sets ASAN_OPTIONS=detect_leaks=1 (LeakSanitizer works here) and
# UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1, so any report fails.
cmake --preset runtime-asan
cmake --build --preset runtime-asan
ctest --preset runtime-asan

# Install the runtime, build examples/embed against the installed package
# only (find_package(INTR)), and run it on a fixture compiled by the
# default build's intr-opt.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install build-runtime --prefix "$work/prefix"
test -x "$work/prefix/bin/intr-run"
cmake -S examples/embed -B "$work/embed" -G Ninja \
  -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$work/prefix"
cmake --build "$work/embed"
fixture=test/models/tiny-postnorm-sine-b1-op14
build/bin/intr-opt compile "$fixture/model.onnx" -o "$work/tiny.intrx"
"$work/embed/embed" "$work/tiny.intrx" "$fixture/image.npy" 2 |
  tee "$work/embed.txt"
grep -q '^class [0-5] ' "$work/embed.txt"
grep -q '^attention \[2, 1, 4, 6, 12\], T = 3 x 4 feature map$' \
  "$work/embed.txt"

ctest --preset default
