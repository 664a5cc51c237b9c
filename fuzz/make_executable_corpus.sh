#!/usr/bin/env bash
#===- make_executable_corpus.sh - Seeds for intr-fuzz-executable -----------===#
#
# Compiles small models into fuzz/corpus/executable/: every single-op model
# of test/Import/ops (one kernel each, a few hundred bytes to a few KiB) and
# one fixture (the whole INTR pipeline, ~340 KiB), also compiled to return
# fewer maps. Larger seeds would only
# slow the fuzzer down. Dev-time only (needs the compiler); the outputs are
# committed, and must be regenerated when the format version changes.
#
#   bash fuzz/make_executable_corpus.sh [build/bin/intr-opt]
#
#===------------------------------------------------------------------------===#

set -euo pipefail
cd "$(dirname "$0")/.."

opt=${1:-build/bin/intr-opt}
out=fuzz/corpus/executable
mkdir -p "$out"
rm -f "$out"/*.intrx

for model in test/Import/ops/*.onnxtxt; do
  name=$(basename "$model" .onnxtxt)
  # The raised and the generic plan differ only where an intr op exists.
  "$opt" compile "$model" -o "$out/op-$name.intrx" 2>/dev/null ||
    echo "skipped $model (does not compile)"
done
"$opt" compile test/Import/ops/conv-dilated-grouped.onnxtxt --raise=none \
  -o "$out/op-conv-generic.intrx" 2>/dev/null
# A channels-last plan (the default where it saves transposes): NHWC
# convolutions, a linear layer over their pixels, per-channel scales.
"$opt" compile test/e2e/channels-last-default.onnxtxt \
  -o "$out/op-channels-last.intrx" 2>/dev/null
"$opt" compile test/models/tiny-postnorm-sine-b1-op14/model.onnx \
  -o "$out/model-tiny-postnorm-sine-b1-op14.intrx" 2>/dev/null
# The same with fewer maps: a class attention with none for its heads'
# maps, and an mha over the memory.
"$opt" compile test/models/tiny-postnorm-sine-b1-op14/model.onnx \
  --attention-layers last --attention-heads mean \
  -o "$out/model-tiny-postnorm-sine-b1-op14-last-mean.intrx" 2>/dev/null

# Variants (--variant): one plan per batch size over a shared weight.
variants=$(mktemp --suffix=.onnxtxt)
trap 'rm -f "$variants"' EXIT
cat >"$variants" <<'ONNX'
<
  ir_version: 8,
  opset_import: ["" : 14]
>
agraph (float[N, 3] x) => (float[N, 3] y)
<float[3] w = {1.0, -2.0, 0.5}>
{
  s = Add(x, w)
  y = Relu(s)
}
ONNX
"$opt" compile "$variants" --input-shape x=2x3 --variant x=5x3 \
  --variant x=1x3 -o "$out/op-variants.intrx" 2>/dev/null

total=$(du -cb "$out"/*.intrx | tail -1 | cut -f1)
echo "$(ls "$out"/*.intrx | wc -l) seeds, $total bytes in $out"
if [ "$total" -gt $((2 * 1024 * 1024)) ]; then
  echo "error: the corpus is over 2 MiB" >&2
  exit 1
fi
