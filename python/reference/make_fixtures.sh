#!/usr/bin/env bash
# Regenerate (or, with --check, verify) every fixture in test/models/.
#
#   python/reference/make_fixtures.sh            # rewrite all fixtures
#   python/reference/make_fixtures.sh --check    # re-export and compare, run the ONNX
#
# Each fixture is written by the torch its exporter needs:
#   TORCH1_PYTHON  Debian's python3 with python3-torch 1.13 (TorchScript exporter)
#                  default: /usr/bin/python3
#   TORCH2_PYTHON  a python with torch 2.x, onnx and onnxscript (dynamo exporter);
#                  onnxruntime there is used by --check to run every fixture.
#                  default: /opt/torch2/bin/python
set -euo pipefail
export PYTHONDONTWRITEBYTECODE=1

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
models="$root/test/models"
py1="${TORCH1_PYTHON:-/usr/bin/python3}"
py2="${TORCH2_PYTHON:-/opt/torch2/bin/python}"

# folder                                interpreter  export.py arguments
fixtures=(
  "tiny-postnorm-sine-b1-op14           py1 --config tiny-postnorm-sine --opset 14"
  "tiny-prenorm-learned-bn-nomask-b2-op17 py1 --config tiny-prenorm-learned-bn-nomask --opset 17"
  "tiny-postnorm-sine-b1-op18-dynamo    py2 --config tiny-postnorm-sine --opset 18 --exporter dynamo"
  "tiny-prenorm-sine-bn-b2-op18-dynamo  py2 --config tiny-prenorm-sine-bn --opset 18 --exporter dynamo"
  "tiny-postnorm-sine-d64-b2-op14       py1 --config tiny-postnorm-sine-d64 --opset 14"
  "tiny-postnorm-sine-b1-op12           py1 --config tiny-postnorm-sine --opset 12"
  "tiny-prenorm-learned-bn-nomask-b2-op11 py1 --config tiny-prenorm-learned-bn-nomask --opset 11"
  "tiny-prenorm-learned-bn-nomask-b2-op23-dynamo py2 --config tiny-prenorm-learned-bn-nomask --opset 23 --exporter dynamo"
  "tiny-postnorm-sine-sdpa-b1-op23-dynamo py2 --config tiny-postnorm-sine-sdpa --opset 23 --exporter dynamo"
  "tiny-prenorm-learned-bn-nomask-sdpa-b2-op18-dynamo py2 --config tiny-prenorm-learned-bn-nomask-sdpa --opset 18 --exporter dynamo"
  "tiny-postnorm-sine-b1-op18-dynamo-unoptimized py2 --config tiny-postnorm-sine --opset 18 --exporter dynamo-unoptimized"
)

mode="${1:-export}"
status=0
for entry in "${fixtures[@]}"; do
  read -r name which args <<<"$entry"
  if [[ "$which" == py1 ]]; then py="$py1"; else py="$py2"; fi
  if [[ "$mode" == --check ]]; then
    "$py" "$here/export.py" --check "$models/$name" || status=1
  else
    rm -rf "${models:?}/$name"
    # shellcheck disable=SC2086  # args is a word list on purpose
    "$py" "$here/export.py" $args --seed 0 --out "$models/$name"
  fi
done

# The TorchScript fixtures' interpreter has no ONNX executor: run them under torch 2's.
if [[ "$mode" == --check ]] && "$py2" -c 'import onnxruntime' 2>/dev/null; then
  for entry in "${fixtures[@]}"; do
    read -r name which _ <<<"$entry"
    [[ "$which" == py1 ]] || continue
    "$py2" "$here/export.py" --check "$models/$name" --onnx-only || status=1
  done
fi
exit "$status"
