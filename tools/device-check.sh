#!/usr/bin/env bash
#===- device-check.sh - Build, test and time the runtime on a GPU machine --===#
#
# Two steps, because the GPU machine has CUDA, CMake, Ninja and PyTorch but no
# LLVM/MLIR, no FlatBuffers, no GoogleTest, no OpenBLAS and no network:
#
#   bash tools/device-check.sh prepare   # here, after tools/setup.sh: fills
#                                        # build-device/ (about 45 MiB)
#   bash tools/device-check.sh [STAGE...] # there, with build-device/ carried
#
# The stages, all but conv and kernels by default: tests (ctest -L gpu),
# goldens (our PyTorch goldens, plain and raised, and ONNX 1.12's node tests,
# compiled here, run there by intr-run against their expected outputs; and
# two photos through intr-run against PyTorch's outputs for them, one into
# a model that takes DETR's pixel mask; and tensors through an executable
# with a variant and through a model quantized in QDQ form and
# dynamically),
# attention (the fused class attention and the flash self-attention against
# PyTorch: the class attention at batch 1 and 8, the self-attention at 1, 2
# and 8),
# profile (intr-bench --profile on the full-size model at batch 1, and
# bf16 at batch 8: every step's time and every kernel's), table (the
# full-size model against PyTorch eager, and torch.compile when asked), conv
# (intr-conv-bench: the backbone's convolutions through each way cuDNN
# offers, bf16 at batch 1; INTR_CONV_DTYPES="bf16 fp16 fp32" and
# INTR_CONV_BATCH ask for more) and kernels (the full-size bf16 plan at
# batch 1 under Nsight Systems, when the machine has nsys: the time of
# every GPU kernel, which the per-step profile sums by step).
#
# `prepare` compiles what the GPU machine cannot: every fixture (raised,
# unraised, tf32, tf32 with NCHW convolutions, fp16, bf16, bf16 with
# --pad-channels 8, with f16 maps, with the last layer's maps only, and
# with the head mean only)
# and the full-size INTR (ResNet-50, 6 + 6 layers, 200 classes, 800x1216)
# at batch 1 and 8, in fp32, tf32, tf32 with f16 maps, fp16 and bf16 (and
# bf16 or tf32 with NCHW convolutions, bf16 with the stem's channels padded
# to 8, bf16 without the positional fold, and bf16 returning the last
# layer's maps, the head mean, or both only), with --strip-weights (so the
# plans are a few KiB); it
# copies the generated .intrx schema header, the FlatBuffers headers and the
# GoogleTest sources that the runtime build needs; and it exports every
# node test that passes on the CPU (intr-conformance --export-passing: the
# executable, its inputs and expected outputs as .npy) into
# goldens.tar.gz (about 2.4 MB).
#
# The check itself builds the runtime alone (-DINTR_BUILD_COMPILER=OFF) for
# the device's architecture, then runs the stages. On one H200 the build
# takes about 55 s, the tests 45 to 85 s (8 at a time), the attention
# benchmarks and the profile together about 140 s, the conv stage about
# 25 s and the table with
# PyTorch eager about 160 s; torch.compile's compilation comes on top
# (INTR_TORCH_PEERS=compile-..., bench/cuda_vs_pytorch.py --peer-timeout):
# about 35 s per configuration in mode reduce-overhead, 450 s in
# max-autotune (bf16, batch 1), so it is not among the default peers.
#
#===------------------------------------------------------------------------===#

set -euo pipefail
cd "$(dirname "$0")/.."
carry=build-device

if [[ "${1:-}" == prepare ]]; then
  cmake --build build --target intr-opt intr_gpu_fixtures
  rm -rf "$carry"
  mkdir -p "$carry/format/intr/Target" "$carry/fixtures" "$carry/full"
  cp build/include/intr/Target/Executable_generated.h "$carry/format/intr/Target/"
  cp -r /usr/include/flatbuffers "$carry/format/"
  cp -r /usr/src/googletest "$carry/googletest"
  cp build/gpu-fixtures/*.intrx "$carry/fixtures/"

  # The node tests, compiled for intr-run --expect on the GPU (`goldens`).
  cmake --build build --target intr-conformance
  goldens=$(mktemp -d)
  build/bin/intr-conformance test/conformance/torch-goldens \
    --expected test/conformance/torch-goldens-pass.txt \
    --export-passing "$goldens/op"
  build/bin/intr-conformance test/conformance/torch-goldens --raise \
    --expected test/conformance/torch-goldens-pass.txt \
    --export-passing "$goldens/op-raised"
  build/bin/intr-conformance /usr/share/libonnx-testdata/data/node \
    --expected test/conformance/expected-pass.txt \
    --export-passing "$goldens/node"
  tar czf "$carry/goldens.tar.gz" -C "$goldens" op op-raised node
  rm -rf "$goldens"
  # Photos through the whole pipeline against PyTorch's outputs for them
  # (test/photos): the tiny fixture, and the same model with DETR's pixel
  # mask as an input (its attention's key padding masks computed at run
  # time).
  mkdir -p "$carry/photos"
  build/bin/intr-opt compile test/models/tiny-postnorm-sine-b1-op14/model.onnx \
    -o "$carry/photos/tiny.intrx"
  build/bin/intr-opt compile test/photos/tiny-masked/model.onnx \
    -o "$carry/photos/masked.intrx"
  # Tensors against their goldens through two kinds of executable: one
  # with a variant (each batch runs on the plan of its shape), and a model
  # quantized in QDQ form and one quantized dynamically (goldens of ONNX's
  # reference evaluator).
  build/bin/intr-opt compile test/e2e/Inputs/dynamic-size/model.onnx \
    --input-shape image=2x3x64x96 --variant image=3x3x96x64 \
    -o "$carry/photos/variants.intrx"
  build/bin/intr-opt compile test/e2e/Inputs/quantized/model.onnx \
    -o "$carry/photos/quantized.intrx"
  build/bin/intr-opt compile test/e2e/Inputs/quantized-dynamic/model.onnx \
    -o "$carry/photos/quantized-dynamic.intrx"

  # The full-size exports come from the PyTorch reference (dev-time Python:
  # Debian's python3-torch, or INTR_PYTHON, a Python with torch and onnx).
  work=${INTR_EXPORT_DIR:-/tmp/intr-device-export}
  python=${INTR_PYTHON:-/usr/bin/python3}
  # An export is redone when the reference model or exporter changed since.
  source=$(cat python/reference/intr_model.py python/reference/export.py |
    sha256sum | cut -d' ' -f1)
  for batch in 1 8; do
    folder=$work/800x1216-b$batch
    if [[ ! -f $folder/model.onnx || $(cat "$folder/source.sha256" 2>/dev/null) != "$source" ]]; then
      echo "exporting the full-size model at batch $batch ..."
      "$python" python/reference/export.py --config full --batch "$batch" \
        --out "$folder"
      echo "$source" > "$folder/source.sha256"
    fi
    build/bin/intr-opt compile "$folder/model.onnx" --strip-weights \
      -o "$carry/full/intr-800x1216-b$batch.intrx"
    build/bin/intr-opt compile "$folder/model.onnx" --strip-weights \
      --precision tf32 -o "$carry/full/intr-800x1216-b$batch-tf32.intrx"
    build/bin/intr-opt compile "$folder/model.onnx" --strip-weights \
      --precision tf32 --attention-dtype fp16 \
      -o "$carry/full/intr-800x1216-b$batch-tf32-half.intrx"
    for precision in fp16 bf16; do
      build/bin/intr-opt compile "$folder/model.onnx" --strip-weights \
        --precision $precision \
        -o "$carry/full/intr-800x1216-b$batch-$precision.intrx"
    done
    # What channels last buys, measured: bf16 and tf32 with NCHW
    # convolutions.
    for precision in bf16 tf32; do
      build/bin/intr-opt compile "$folder/model.onnx" --strip-weights \
        --precision $precision --channels-last=false \
        -o "$carry/full/intr-800x1216-b$batch-$precision-nchw.intrx"
    done
    # And what zero channels buy the stem (3 colours padded to 8).
    build/bin/intr-opt compile "$folder/model.onnx" --strip-weights \
      --precision bf16 --pad-channels 8 \
      -o "$carry/full/intr-800x1216-b$batch-bf16-pad8.intrx"
    # And what folding the positional embeddings buys (two projections per
    # self-attention and the positional adds, as before the fold).
    build/bin/intr-opt compile "$folder/model.onnx" --strip-weights \
      --precision bf16 --fold-positional=false \
      -o "$carry/full/intr-800x1216-b$batch-bf16-nofold.intrx"
    # And what returning fewer maps saves: the last decoder layer's only
    # (the other layers' attention then writes no maps), the head mean
    # only (no head's maps stored), and both.
    build/bin/intr-opt compile "$folder/model.onnx" --strip-weights \
      --precision bf16 --attention-layers last \
      -o "$carry/full/intr-800x1216-b$batch-bf16-last.intrx"
    build/bin/intr-opt compile "$folder/model.onnx" --strip-weights \
      --precision bf16 --attention-heads mean \
      -o "$carry/full/intr-800x1216-b$batch-bf16-mean.intrx"
    build/bin/intr-opt compile "$folder/model.onnx" --strip-weights \
      --precision bf16 --attention-layers last --attention-heads mean \
      -o "$carry/full/intr-800x1216-b$batch-bf16-last-mean.intrx"
  done
  du -sh "$carry"
  exit 0
fi

stages=" ${*:-tests goldens attention profile table} "
wants() { [[ $stages == *" $1 "* ]]; }
started=$(date +%s)
if [[ ! -d $carry/fixtures ]]; then
  echo "error: $carry/ is missing: run 'bash tools/device-check.sh prepare' on" \
    "a machine with the compiler and carry $carry/ here" >&2
  exit 1
fi
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader

# cuDNN: the toolkit's if it has one, else the one PyTorch brings.
cmake_args=()
cuda_root=$(dirname "$(dirname "$(command -v nvcc || echo /usr/local/cuda/bin/nvcc)")")
if [[ ! -f $cuda_root/include/cudnn.h ]]; then
  cudnn=$(python3 -c 'import nvidia.cudnn as m; print(list(m.__path__)[0])' 2>/dev/null || true)
  if [[ -n $cudnn ]]; then
    cmake_args+=("-DINTR_CUDNN_ROOT=$cudnn")
    export LD_LIBRARY_PATH=$cudnn/lib:${LD_LIBRARY_PATH:-}
  fi
fi
arch=$(nvidia-smi --query-gpu=compute_cap --format=csv,noheader | head -1 | tr -d .)

cmake -S . -B build-gpu -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DINTR_BUILD_COMPILER=OFF -DCMAKE_CUDA_ARCHITECTURES="$arch" \
  -DINTR_FORMAT_INCLUDE_DIR="$PWD/$carry/format" \
  -DINTR_GTEST_SOURCE_DIR="$PWD/$carry/googletest" \
  -DINTR_GPU_FIXTURES_DIR="$PWD/$carry/fixtures" \
  "${cmake_args[@]}" > build-gpu.log
grep -E 'CUDA backend' build-gpu.log || true
cmake --build build-gpu --target RuntimeGpuTests intr-bench intr-run \
  intr-attention-bench
echo "built in $(($(date +%s) - started)) s"

failed=0
if wants tests; then
  # None may be skipped on a machine with a GPU. The later stages run even
  # when a test fails, and the script fails at the end.
  tests_started=$(date +%s)
  ctest --test-dir build-gpu -L gpu --output-on-failure --timeout 300 -j 8 \
    > build-gpu/ctest.log 2>&1 || failed=1
  grep -E '^[0-9]+% tests passed|Failed|\*\*\*|Skipped|SKIPPED' build-gpu/ctest.log |
    head -60 || true
  if grep -q 'Skipped' build-gpu/ctest.log; then
    echo "error: GPU tests were skipped on a GPU machine" >&2
    failed=1
  fi
  echo "tested in $(($(date +%s) - tests_started)) s"
fi

if wants goldens; then
  # Every exported test through intr-run on the GPU against what PyTorch or
  # ONNX's reference gave, 8 at a time (each process starts its own CUDA
  # context); atol 1e-4 and rtol 1e-3, as the device sums in other orders.
  goldens_started=$(date +%s)
  rm -rf build-gpu/goldens
  mkdir -p build-gpu/goldens
  tar xzf "$carry/goldens.tar.gz" -C build-gpu/goldens
  run_golden() {
    local dir=$1 args=() input
    for input in "$dir"/inputs/*.npy; do
      [[ -e $input ]] && args+=(--input "$(basename "$input" .npy)=$input")
    done
    if build-gpu/bin/intr-run "$dir/model.intrx" --device cuda "${args[@]}" \
      --expect "$dir/expected" --atol 1e-4 --rtol 1e-3 > "$dir/run.log" 2>&1; then
      echo "PASS $dir"
    else
      echo "FAIL:$? $dir"
    fi
  }
  export -f run_golden
  for set in op op-raised node; do
    find "build-gpu/goldens/$set" -mindepth 1 -maxdepth 1 -type d | sort |
      xargs -P 8 -I{} bash -c 'run_golden {}' > "build-gpu/goldens/$set.txt"
    echo "goldens $set: $(grep -c '^PASS' "build-gpu/goldens/$set.txt") passed," \
      "$(grep -c '^FAIL' "build-gpu/goldens/$set.txt") failed"
    while read -r verdict dir; do
      echo "  FAIL $(basename "$dir") (exit ${verdict#FAIL:}):"
      # A run killed by a signal leaves neither word in its log (bash
      # reports the signal elsewhere): then its last lines.
      { grep -E 'FAIL|error' "$dir/run.log" || tail -n 3 "$dir/run.log"; } |
        head -3 | sed 's/^/    /' || true
      failed=1
    done < <(grep '^FAIL' "build-gpu/goldens/$set.txt" | head -40)
  done
  for check in "tiny.intrx f-photo-decoded.png tiny-postnorm-sine" \
    "masked.intrx c-tall.png tiny-masked --padding-mask pixel_mask"; do
    read -r plan photo expected flags <<< "$check"
    # shellcheck disable=SC2086 # the flags are words
    if build-gpu/bin/intr-run "$carry/photos/$plan" "test/photos/$photo" \
      --device cuda --expect "test/photos/$expected" --atol 1e-4 --rtol 1e-3 \
      $flags > "build-gpu/goldens/photo-$plan.log" 2>&1; then
      echo "goldens photo $plan: passed"
    else
      echo "goldens photo $plan: FAILED"
      tail -n 5 "build-gpu/goldens/photo-$plan.log" | sed 's/^/    /'
      failed=1
    fi
  done
  sized=test/e2e/Inputs/dynamic-size
  for check in "variants.intrx $sized/a/image.npy $sized/a" \
    "variants.intrx $sized/b/image.npy $sized/b" \
    "quantized.intrx test/models/tiny-postnorm-sine-b1-op14/image.npy test/e2e/Inputs/quantized" \
    "quantized-dynamic.intrx test/models/tiny-postnorm-sine-b1-op14/image.npy test/e2e/Inputs/quantized-dynamic"; do
    read -r plan input expected <<< "$check"
    log="build-gpu/goldens/tensors-$plan-$(basename "$expected").log"
    if build-gpu/bin/intr-run "$carry/photos/$plan" --input "$input" \
      --device cuda --expect "$expected" --atol 1e-4 --rtol 1e-3 > "$log" 2>&1; then
      echo "goldens $plan ($expected): passed"
    else
      echo "goldens $plan ($expected): FAILED"
      tail -n 5 "$log" | sed 's/^/    /'
      failed=1
    fi
  done
  echo "goldens in $(($(date +%s) - goldens_started)) s"
fi

if wants conv; then
  # Built here only: it needs cuDNN, which the other stages do not.
  if cmake --build build-gpu --target intr-conv-bench; then
    for dtype in ${INTR_CONV_DTYPES:-bf16}; do
      build-gpu/bin/intr-conv-bench --dtype $dtype \
        --batch "${INTR_CONV_BATCH:-1}" || failed=1
    done
  else
    failed=1
  fi
fi

if wants attention; then
  # Batch 8 too: whether TF32 pays in the class attention there (at batch
  # 1 its f32 path was the faster on an H200).
  for batch in 1 8; do
    python3 bench/class_attention_vs_pytorch.py --build build-gpu \
      --batch $batch || failed=1
  done
  # The encoder's self-attention: f32, TF32 mma.sync, and with the keys in
  # slices (how many pay at batch 1, and whether any do at batch 2, where
  # the launcher picks none, and at batch 8).
  for batch in 1 2 8; do
    python3 bench/self_attention_vs_pytorch.py --build build-gpu \
      --batch $batch || failed=1
  done
fi

if wants profile; then
  # intr-bench on a full-size plan: `bench [VAR=VALUE...] PLAN [ARGS...]`,
  # PLAN a name under $carry/full, the environment named in the log; each
  # run's latency line also goes to a summary printed at the end.
  summary=build-gpu/profile-summary.txt
  : > "$summary"
  bench() {
    local vars=()
    while [[ $1 == *=* ]]; do
      vars+=("$1")
      shift
    done
    local plan=$1
    shift
    local named=${vars[*]+${vars[*]}} out label
    # A profiled row with a choice is told apart from the plain one; the
    # defaults' rows keep their label, the base of the ratios.
    label=${named:-defaults}
    [[ -n $named && " $* " == *" --profile "* ]] && label+=" --profile"
    echo "== $plan, ${named:-defaults} $*"
    out=$(env ${vars[@]+"${vars[@]}"} build-gpu/bin/intr-bench \
      "$carry/full/intr-800x1216-$plan.intrx" --device cuda \
      --random-weights --zero-copy --warmup 3 --iterations 20 "$@" 2>&1) ||
      failed=1
    echo "$out"
    local line
    # intr-bench's line: "... 20 runs (zero-copy): min 2.04 ms, median ...".
    line=$(grep -m1 -o 'min [0-9.]* ms, median .*' <<< "$out" || echo failed)
    echo "$plan, $label: $line" >> "$summary"
  }
  for plan in b1 b1-tf32 b1-tf32-nchw b1-bf16 b1-bf16-nchw b1-bf16-pad8 \
    b8-bf16; do
    bench "$plan" --profile
  done
  # The bf16 plan with both fused attention kernels all in f32 FMAs (0:
  # what tensor cores gain) and all on TF32 tensor cores (1: at batch 1,
  # what the class attention's maps lose there; at batch 8 the default).
  # The bf16 plans without the positional fold, against the same plans
  # with it (the defaults above).
  # And the bf16 plans that return fewer maps.
  for batch in 1 8; do
    bench "b$batch-bf16-nofold"
    for maps in last mean last-mean; do
      bench "b$batch-bf16-$maps"
    done
  done
  for tf32 in 0 1; do
    for batch in 1 8; do
      bench INTR_ATTENTION_TF32=$tf32 "b$batch-bf16"
    done
  done
  # The class attention on tensor cores profiled at batch 1, where it was
  # the slower.
  bench INTR_ATTENTION_TF32=1 b1-bf16 --profile
  # The choices on by default, each turned off (what it gains: the ratio
  # above 1), and those off by default, each turned on (below 1 would pay):
  # the flash kernel's key slices (where the query tiles leave SMs idle),
  # the stem on our tensor-core kernel, the convolutions as cuDNN operation
  # graphs (where the first run times them faster; or wherever cuDNN has an
  # engine), GEMM algorithms timed in the first run and programmatic
  # dependent launches, at batch 1 and 8; and every opt-in at once.
  for batch in 1 8; do
    for choice in INTR_FLASH_SPLIT=0 INTR_SMALL_CHANNEL_CONV=0 \
      INTR_CUDNN_GRAPH=0 INTR_CUDNN_GRAPH=always INTR_GEMM_TUNE=0 \
      INTR_PDL=1; do
      bench "$choice" "b$batch-bf16"
    done
    bench INTR_ATTENTION_TF32=1 INTR_CUDNN_GRAPH=always INTR_PDL=1 \
      "b$batch-bf16"
  done
  # Each choice's median as a multiple of its plan's with the defaults:
  # below 1 pays.
  echo "== profile stage, every run's latency"
  awk -F': ' '
    {
      plan = substr($1, 1, index($1, ", ") - 1)
      env = substr($1, length(plan) + 3)
      median = ""
      if (match($2, /median [0-9.]+ ms/))
        median = substr($2, RSTART + 7, RLENGTH - 10)
      lines[NR] = $0; plans[NR] = plan; envs[NR] = env; medians[NR] = median
      if (env == "defaults" && median != "")
        base[plan] = median
    }
    END {
      for (i = 1; i <= NR; ++i) {
        ratio = ""
        if (envs[i] != "defaults" && medians[i] != "" && base[plans[i]] != "")
          ratio = sprintf("  [%.3fx the defaults]",
                          medians[i] / base[plans[i]])
        # A plan without the positional fold: the median of the folded
        # plan as a multiple of its own (below 1: the fold pays).
        folded = plans[i]
        sub(/-nofold$/, "", folded)
        if (folded != plans[i] && envs[i] == "defaults" &&
            medians[i] != "" && base[folded] != "")
          ratio = sprintf("  [the folded plan: %.3fx this]",
                          base[folded] / medians[i])
        # A plan returning fewer maps (the last layer, the head mean), as
        # a multiple of the one returning them all (below 1: the saving).
        every = plans[i]
        sub(/-(last|mean|last-mean)$/, "", every)
        if (every != plans[i] && envs[i] == "defaults" &&
            medians[i] != "" && base[every] != "")
          ratio = sprintf("  [%.3fx the plan with every map]",
                          medians[i] / base[every])
        print lines[i] ratio
      }
    }' "$summary"
fi

if wants kernels; then
  nsys=$(command -v nsys || ls /usr/local/cuda/bin/nsys \
    /opt/nvidia/nsight-systems/*/bin/nsys 2>/dev/null | head -1 || true)
  if [[ -z $nsys ]]; then
    echo "kernels: no nsys on this machine; skipped"
  else
    # 20 plain runs after the warm-up, so each kernel's count is 20 (or a
    # multiple) per image.
    "$nsys" profile --force-overwrite true -o build-gpu/kernels \
      --trace cuda --cuda-graph-trace node \
      build-gpu/bin/intr-bench "$carry/full/intr-800x1216-b1-bf16.intrx" \
      --device cuda --random-weights --zero-copy --warmup 3 \
      --iterations 20 > /dev/null || failed=1
    "$nsys" stats --report cuda_gpu_kern_sum build-gpu/kernels.nsys-rep \
      > build-gpu/kernels.txt || failed=1
    head -45 build-gpu/kernels.txt | cut -c1-240
  fi
fi

if wants table; then
  # INTR_TORCH_PEERS picks the PyTorch configurations (see --peers there):
  # eager ones by default, since torch.compile in mode max-autotune takes
  # about 450 s per configuration to compile the full-size model, more than
  # a call's device time leaves; ask for it in a call of its own, narrowed
  # by INTR_BATCHES and INTR_PRECISIONS (say, compile-bf16 at batch 1
  # beside our bf16 plan). INTR_PEER_TIMEOUT bounds each PyTorch
  # configuration, compilation included (INTR_COMPILE_MODE=reduce-overhead
  # is the quicker mode), and INTR_TABLE_SECONDS the stage: nothing starts
  # after it (a PyTorch configuration gets what is left, if 30 s or more),
  # and every row is printed as it is measured.
  # 300 s by default; 540 where torch.compile is asked for (a 600-s call
  # less the build), whose compilation alone may take 450.
  table_seconds=${INTR_TABLE_SECONDS:-300}
  if [[ -z ${INTR_TABLE_SECONDS:-} && ${INTR_TORCH_PEERS:-} == *compile* ]]; then
    table_seconds=540
  fi
  python3 bench/cuda_vs_pytorch.py --build build-gpu --plans "$carry/full" \
    --batches "${INTR_BATCHES:-1,8}" \
    --precisions "${INTR_PRECISIONS:-fp32,tf32,tf32-half,tf32-nchw,fp16,bf16,bf16-nchw,bf16-pad8,bf16-last,bf16-last-mean}" \
    --peer-timeout "${INTR_PEER_TIMEOUT:-600}" \
    --deadline "$table_seconds" \
    --compile-mode "${INTR_COMPILE_MODE:-max-autotune}" \
    --peers "${INTR_TORCH_PEERS:-eager-fp32,eager-tf32,eager-fp16,eager-bf16}" ||
    failed=1
fi
# The logs behind the summaries above, where the caller collects files.
if [[ -n ${OUT:-} && -d ${OUT:-} ]]; then
  cp build-gpu/*.txt build-gpu/*.log "$OUT/" 2>/dev/null || true
  cp build-gpu/goldens/*.txt "$OUT/" 2>/dev/null || true
fi
echo "device check done in $(($(date +%s) - started)) s"
exit $failed
