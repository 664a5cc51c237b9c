#!/usr/bin/env python3
"""Full-size INTR on one GPU: our runtime against PyTorch, same run.

Times the full-size INTR (ResNet-50 backbone, 6 + 6 layers, 200 classes,
800x1216) at batch 1 and 8: ours with intr-bench on plans compiled with
--strip-weights (random weights filled at load) in fp32, tf32, tf32 with
f16 maps, fp16 and bf16 (16-bit convolutions), and the PyTorch reference
model (python/reference, seeded random weights) on the same GPU: eager in
exact fp32 (TF32 off for matmuls and cuDNN), eager with TF32, eager with
fp16 or bf16 autocast, and torch.compile at a precision (--peers; each PyTorch configuration runs in its own process,
bounded by --peer-timeout). Both keep the image and every output on the GPU
(ours: --zero-copy); ours with the host copies of the image and of all
outputs is shown too. Prints min and median latency, each peer's median
over ours at the same precision (> 1: ours is faster), the GPU memory each
holds, and each median as a multiple of the bf16 compute limit (186 GFLOP
per image at the bf16 matrix rate measured first).

  python3 bench/cuda_vs_pytorch.py --build build-gpu --plans build-device/full
      [--batches 1,8] [--precisions fp32,tf32,tf32-half,fp16,bf16]
      [--peers eager-fp32,eager-tf32,eager-bf16]
      [--compile-mode max-autotune] [--peer-timeout S] [--deadline S]
      [--iterations N] [--warmup N]

Each row is printed as soon as it is measured, and the table again at the
end; --deadline skips what would start after that many seconds, so that a
run cut short by its device time keeps what it measured.

Runs on the GPU machine (tools/device-check.sh); needs torch with CUDA.
"""

import argparse
import dataclasses
import json
import os
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "python", "reference"))


# One intr-bench run of a full-size plan takes seconds; one that hangs must
# not take the rest of the device time.
OURS_TIMEOUT_S = 180

PRECISIONS = ("fp32", "tf32", "tf32-half", "tf32-nchw", "fp16", "bf16",
              "bf16-nchw", "bf16-pad8", "bf16-nofold", "bf16-last", "bf16-mean",
              "bf16-last-mean")

# A PyTorch configuration started with less time left than this could not
# finish (building its model alone takes seconds).
MIN_PEER_S = 30
PEERS = tuple(f"{kind}-{p}" for kind in ("eager", "compile")
              for p in ("fp32", "tf32", "fp16", "bf16"))


def time_ours(build, plan, iterations, warmup, zero_copy):
    command = [os.path.join(build, "bin", "intr-bench"), plan, "--device", "cuda",
               "--random-weights", "--iterations", str(iterations),
               "--warmup", str(warmup), "--json"]
    if zero_copy:
        command.append("--zero-copy")
    try:
        out = subprocess.run(command, capture_output=True, text=True,
                             timeout=OURS_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        return {"error": [f"stopped after {OURS_TIMEOUT_S} s"]}
    if out.returncode != 0:
        return {"error": (out.stderr or out.stdout).strip().splitlines()[-1:]}
    return json.loads(out.stdout.strip().splitlines()[-1])


def save_reference(batch, path):
    """Builds the reference model for `batch` once (seeded weights, batch
    norm calibrated on the CPU: seconds at full size) and saves its weights
    and input to `path` for every PyTorch configuration's process."""
    import torch
    from intr_model import build_model, get_config, make_input
    cfg = dataclasses.replace(get_config("full"), batch_size=batch)
    torch.save({"weights": build_model(cfg, 0).state_dict(),
                "image": make_input(cfg, 0)}, path)


def time_torch(batch, peer, iterations, warmup, compile_mode, reference):
    """Times one PyTorch configuration: peer is eager-fp32, eager-tf32,
    eager-fp16 or eager-bf16 (autocast), or compile-<the same> (torch.compile),
    on the model and input that save_reference wrote to `reference`."""
    import contextlib
    import time
    import torch
    from intr_model import INTR, get_config

    kind, precision = peer.split("-")
    torch.backends.cuda.matmul.allow_tf32 = precision == "tf32"
    torch.backends.cudnn.allow_tf32 = precision == "tf32"
    torch.backends.cudnn.benchmark = True
    cfg = dataclasses.replace(get_config("full"), batch_size=batch)
    saved = torch.load(reference)
    model = INTR(cfg)
    model.load_state_dict(saved["weights"])
    model = model.eval().cuda()
    image = saved["image"].cuda()
    compile_s = 0.0
    if kind == "compile":
        began = time.time()
        model = torch.compile(model, mode=compile_mode)
    half = {"fp16": torch.float16, "bf16": torch.bfloat16}.get(precision)
    autocast = (torch.autocast("cuda", dtype=half) if half
                else contextlib.nullcontext())
    times = []
    with torch.no_grad(), autocast:
        for i in range(warmup + iterations):
            if i == warmup:
                # The peak of steady-state runs, not of cuDNN's autotuning:
                # the cache's unused blocks go back first. Reserved rather
                # than allocated memory, since CUDA graphs (torch.compile's
                # modes) hold their tensors in pools of their own, which
                # allocated memory no longer counts once they are captured.
                torch.cuda.synchronize()
                torch.cuda.empty_cache()
                torch.cuda.reset_peak_memory_stats()
            start = torch.cuda.Event(enable_timing=True)
            stop = torch.cuda.Event(enable_timing=True)
            start.record()
            model(image)
            stop.record()
            stop.synchronize()
            if kind == "compile" and i == 0:
                compile_s = time.time() - began
            if i >= warmup:
                times.append(start.elapsed_time(stop))
    peak = torch.cuda.max_memory_reserved() / 2**20
    del model, image
    torch.cuda.empty_cache()
    return {"min_ms": min(times), "median_ms": statistics.median(times),
            "peak_memory_mib": peak, "compile_s": compile_s}


def time_torch_isolated(batch, peer, args, timeout, reference):
    """time_torch in a child process: each peer starts with a clean GPU (its
    peak memory is its own), and one that runs past `timeout` seconds (a long
    max-autotune compile) is reported instead of ending the run."""
    request = json.dumps({"batch": batch, "peer": peer, "iterations": args.iterations,
                          "warmup": args.warmup, "compile_mode": args.compile_mode,
                          "reference": reference})
    try:
        out = subprocess.run([sys.executable, os.path.abspath(__file__),
                              "--peer-child", request],
                             capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"error": [f"stopped after {timeout:.0f} s"]}
    lines = out.stdout.strip().splitlines()
    if out.returncode != 0 or not lines:
        return {"error": (out.stderr or out.stdout).strip().splitlines()[-1:]}
    return json.loads(lines[-1])


def bf16_peak_tflops():
    """The GPU's dense bf16 matrix rate, measured: the best of a few
    8192^3 products on random data."""
    import torch
    n = 8192
    a = torch.randn(n, n, device="cuda", dtype=torch.bfloat16)
    b = torch.randn(n, n, device="cuda", dtype=torch.bfloat16)
    best = float("inf")
    for _ in range(3):
        a @ b
    for _ in range(10):
        start = torch.cuda.Event(enable_timing=True)
        stop = torch.cuda.Event(enable_timing=True)
        start.record()
        a @ b
        stop.record()
        stop.synchronize()
        best = min(best, start.elapsed_time(stop))
    del a, b
    torch.cuda.empty_cache()
    return 2 * n**3 / (best * 1e-3) / 1e12


# FLOP of one full-size INTR forward at 800x1216 per image (multiply-adds
# counted twice), the figure for the compute limit.
GFLOP_PER_IMAGE = 186


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default=os.path.join(ROOT, "build-gpu"))
    parser.add_argument("--plans", default=os.path.join(ROOT, "build-device", "full"))
    parser.add_argument("--batches", default="1,8")
    parser.add_argument("--precisions", default="fp32,tf32,tf32-half,fp16,bf16",
                        help="our plans to time: fp32, tf32, tf32-half "
                        "(tf32 with the maps stored in f16), tf32-nchw (tf32 "
                        "with --channels-last=false), fp16, bf16, bf16-nchw "
                        "(bf16 with --channels-last=false), bf16-pad8 (bf16 with "
                        "--pad-channels 8), bf16-last (bf16 with "
                        "--attention-layers last), bf16-last-mean (and "
                        "--attention-heads mean)")
    parser.add_argument("--peers", default="eager-fp32,eager-tf32,eager-bf16",
                        help="PyTorch configurations: eager-<p> and compile-<p>, "
                        "p in fp32, tf32, fp16, bf16 (autocast for the last two)")
    parser.add_argument("--compile-mode", default="max-autotune",
                        help="torch.compile mode for the compile-* peers")
    parser.add_argument("--peer-timeout", type=float, default=900,
                        help="seconds one PyTorch configuration may take, "
                        "compilation included")
    parser.add_argument("--deadline", type=float, default=0,
                        help="seconds after which no further configuration "
                        "starts (0: none); a PyTorch one gets at most what is "
                        "left")
    parser.add_argument("--iterations", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--peer-child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.peer_child:
        request = json.loads(args.peer_child)
        print(json.dumps(time_torch(request["batch"], request["peer"],
                                    request["iterations"], request["warmup"],
                                    request["compile_mode"], request["reference"])))
        return 0

    # Every name checked before anything runs: a typo found after minutes of
    # timing would lose them.
    try:
        batches = [int(b) for b in args.batches.split(",")]
    except ValueError:
        parser.error(f"--batches takes numbers, got {args.batches!r}")
    precisions, peers = args.precisions.split(","), args.peers.split(",")
    for value, known, flag in ((precisions, PRECISIONS, "--precisions"),
                               (peers, PEERS, "--peers")):
        unknown = [v for v in value if v not in known]
        if unknown:
            parser.error(f"{flag}: unknown {', '.join(map(repr, unknown))} "
                         f"(known: {', '.join(known)})")
    plans = {(batch, precision): os.path.join(
                 args.plans, f"intr-800x1216-b{batch}"
                 f"{'' if precision == 'fp32' else '-' + precision}.intrx")
             for batch in batches for precision in precisions}
    missing = [path for path in plans.values() if not os.path.isfile(path)]
    if missing:
        parser.error(f"no such plan: {', '.join(missing)} (tools/device-check.sh "
                     "prepare compiles batches 1 and 8)")

    import time
    import torch
    began = time.time()
    print(f"GPU: {torch.cuda.get_device_name(0)}; torch {torch.__version__}, "
          f"CUDA {torch.version.cuda}, cuDNN {torch.backends.cudnn.version()}", flush=True)
    peak_tflops = bf16_peak_tflops()
    print(f"bf16 matrix rate measured: {peak_tflops:.0f} TFLOP/s", flush=True)
    header = (f"{'':22} {'min':>8} {'median':>8} {'+copies':>8} {'GPU MiB':>8} "
              f"{'vs ours':>8} {'x limit':>8}")
    print(header, flush=True)

    def left():
        return args.deadline - (time.time() - began) if args.deadline else None

    def row(name, precision, result, ours_by_precision, limit_ms):
        if "error" in result:
            return f"  {name:20} failed: {result['error']}"
        memory = result.get("session_memory_mib", result.get("peak_memory_mib"))
        copies = result.get("with_copies_ms")
        copies = f"{copies:8.2f}" if copies is not None else f"{'':8}"
        mine = ours_by_precision.get(precision)
        if name.startswith("ours"):
            versus = ""
        elif mine:
            versus = f"{result['median_ms'] / mine['median_ms']:7.2f}x"
        else:
            versus = "-"
        multiple = result["median_ms"] / limit_ms
        extra = (f"  (compiled in {result['compile_s']:.0f} s)"
                 if result.get("compile_s") else "")
        return (f"  {name:20} {result['min_ms']:8.2f} {result['median_ms']:8.2f} "
                f"{copies} {memory:8.0f} {versus:>8} {multiple:7.1f}x{extra}")

    failed = False
    tables = []
    scratch = tempfile.TemporaryDirectory()
    for batch in batches:
        limit_ms = GFLOP_PER_IMAGE * batch / peak_tflops
        print(f"batch {batch} (bf16 compute limit {limit_ms:.3f} ms)", flush=True)
        rows, ours_by_precision = [], {}
        for precision in precisions:
            name = f"ours {precision}"
            if left() is not None and left() <= 0:
                rows.append((name, precision, {"error": ["skipped: past --deadline"]}))
                print(row(*rows[-1], ours_by_precision, limit_ms), flush=True)
                continue
            plan = plans[(batch, precision)]
            ours = time_ours(args.build, plan, args.iterations, args.warmup, True)
            copies = time_ours(args.build, plan, args.iterations, args.warmup, False)
            if "error" in copies:
                print(f"  {name} with the copies failed: {copies['error']}", flush=True)
            failed |= "error" in ours or "error" in copies
            if "error" not in ours:
                ours["with_copies_ms"] = copies.get("median_ms", float("nan"))
                ours_by_precision[precision] = ours
            rows.append((name, precision, ours))
            print(row(*rows[-1], ours_by_precision, limit_ms), flush=True)
        reference = None
        for peer in peers:
            name = peer.replace("eager-", "torch eager ").replace(
                "compile-", "torch.compile ")
            precision = peer.split("-")[1]
            if left() is not None and left() < MIN_PEER_S:
                theirs = {"error": ["skipped: too little left before --deadline"]}
                skipped = True
            else:
                skipped = False
                if reference is None:
                    reference = os.path.join(scratch.name, f"reference-b{batch}.pt")
                    save_reference(batch, reference)
                # What is left after building the reference model.
                timeout = args.peer_timeout
                if left() is not None:
                    timeout = min(timeout, max(left(), 1))
                print(f"  (timing {name}, at most {timeout:.0f} s ...)", flush=True)
                theirs = time_torch_isolated(batch, peer, args, timeout, reference)
            # A peer that failed or ran out of time leaves the comparison
            # undone: the stage fails (its row says why). One skipped for
            # the deadline is what the caller asked for.
            failed |= "error" in theirs and not skipped
            rows.append((name, precision, theirs))
            print(row(*rows[-1], ours_by_precision, limit_ms), flush=True)
        tables.append((batch, limit_ms, rows, ours_by_precision))

    print()
    print(f"full-size INTR, 800x1216, {args.iterations} timed runs after "
          f"{args.warmup} warm-up; times in ms; torch.compile mode {args.compile_mode}")
    print(header)
    for batch, limit_ms, rows, ours_by_precision in tables:
        print(f"batch {batch} (bf16 compute limit {limit_ms:.3f} ms)")
        for name, precision, result in rows:
            print(row(name, precision, result, ours_by_precision, limit_ms))
    print("vs ours = the peer's median / ours at the same precision (> 1: ours is "
          "faster), ours timed zero-copy; +copies: ours with the image uploaded "
          "and every output downloaded each run. Ours: host wall-clock time of "
          "each run to its end, zero-filled image; PyTorch: CUDA events around "
          "the forward, a random image. GPU MiB: our session's arena, weights "
          "and scratch; PyTorch's peak reserved memory in the timed runs (its "
          "caching allocator's blocks, CUDA graphs' pools included). x limit: the "
          f"median over the bf16 compute limit ({GFLOP_PER_IMAGE} GFLOP per image "
          "at the measured bf16 rate).")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
