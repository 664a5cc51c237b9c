#!/usr/bin/env bash
#===- setup.sh - Install dependencies, configure and build -----------------===#
#
# Usage: tools/setup.sh [PRESET]     PRESET: default (compiler + runtime) or
#                                    runtime (runtime only, no LLVM/MLIR/ONNX)
#
# Installs the Debian packages the project needs (only the missing ones, with
# one apt-get update), then configures and builds with CMake's preset. Safe to
# run again: a second run installs nothing and rebuilds only what changed.
# The CUDA toolkit is not a Debian package: when /usr/local/cuda/bin/nvcc
# exists the CUDA backend is built too.
#
#===------------------------------------------------------------------------===#

set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-default}"

packages=(
  # Toolchain
  build-essential cmake ninja-build ccache git python3
  # Tests
  libgtest-dev libgmock-dev libbenchmark-dev
  # Runtime
  libopenblas-dev libflatbuffers-dev flatbuffers-compiler libstb-dev libjpeg-dev
)
if [[ "$preset" != runtime ]]; then
  packages+=(
    # Compiler: MLIR/LLVM 19 (FileCheck, not and lit come with llvm-19-tools)
    libmlir-19-dev mlir-19-tools llvm-19-dev llvm-19-tools
    # ONNX's protobuf classes and text parser
    libonnx-dev libprotobuf-dev protobuf-compiler libonnx-testdata
  )
fi

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null |
      grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo=()
  if [[ $(id -u) -ne 0 ]]; then
    sudo=(sudo)
  fi
  "${sudo[@]}" apt-get update
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y \
    --no-install-recommends "${missing[@]}"
else
  echo "setup: all ${#packages[@]} Debian packages are installed"
fi

cmake --preset "$preset"
cmake --build --preset "$preset"
