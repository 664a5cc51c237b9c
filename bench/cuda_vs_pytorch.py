#!/usr/bin/env python3
"""Full-size INTR on one GPU: our runtime against PyTorch, same run.

Times the full-size INTR (ResNet-50 backbone, 6 + 6 layers, 200 classes,
800x1216) at batch 1 and 8, in fp32 and tf32: ours with intr-bench on plans
compiled with --strip-weights (and --precision tf32; random weights filled at
load), and the PyTorch reference model (python/reference, seeded random
weights) in eager mode on the same GPU with the matching setting: exact fp32
(TF32 off for matmuls and cuDNN) or TF32 on for both. Both keep the image and every output on the GPU (ours:
--zero-copy); ours with the host copies of the image and of all outputs
(logits and the attention maps) is shown too. Prints min and median latency,
the ratio PyTorch / ours (> 1: ours is faster) and the GPU memory each holds.

  python3 bench/cuda_vs_pytorch.py --build build-gpu --plans build-device/full
      [--iterations N] [--warmup N]

Runs on the GPU machine (tools/device-check.sh); needs torch with CUDA.
"""

import argparse
import dataclasses
import json
import os
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "python", "reference"))


def time_ours(build, plan, iterations, warmup, zero_copy):
    command = [os.path.join(build, "bin", "intr-bench"), plan, "--device", "cuda",
               "--random-weights", "--iterations", str(iterations),
               "--warmup", str(warmup), "--json"]
    if zero_copy:
        command.append("--zero-copy")
    out = subprocess.run(command, capture_output=True, text=True)
    if out.returncode != 0:
        return {"error": (out.stderr or out.stdout).strip().splitlines()[-1:]}
    return json.loads(out.stdout.strip().splitlines()[-1])


def time_torch(batch, precision, iterations, warmup):
    import torch
    from intr_model import build_model, get_config, make_input

    torch.backends.cuda.matmul.allow_tf32 = precision == "tf32"
    torch.backends.cudnn.allow_tf32 = precision == "tf32"
    torch.backends.cudnn.benchmark = True
    cfg = dataclasses.replace(get_config("full"), batch_size=batch)
    model = build_model(cfg, 0).eval().cuda()
    image = make_input(cfg, 0).cuda()
    torch.cuda.synchronize()
    torch.cuda.reset_peak_memory_stats()
    times = []
    with torch.no_grad():
        for i in range(warmup + iterations):
            start = torch.cuda.Event(enable_timing=True)
            stop = torch.cuda.Event(enable_timing=True)
            start.record()
            model(image)
            stop.record()
            stop.synchronize()
            if i >= warmup:
                times.append(start.elapsed_time(stop))
    peak = torch.cuda.max_memory_allocated() / 2**20
    del model, image
    torch.cuda.empty_cache()
    return {"min_ms": min(times), "median_ms": statistics.median(times),
            "peak_memory_mib": peak}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default=os.path.join(ROOT, "build-gpu"))
    parser.add_argument("--plans", default=os.path.join(ROOT, "build-device", "full"))
    parser.add_argument("--batches", default="1,8")
    parser.add_argument("--precisions", default="fp32,tf32")
    parser.add_argument("--iterations", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    args = parser.parse_args()

    import torch
    print(f"GPU: {torch.cuda.get_device_name(0)}; torch {torch.__version__}, "
          f"CUDA {torch.version.cuda}, cuDNN {torch.backends.cudnn.version()}", flush=True)
    rows = []
    failed = False
    for batch in (int(b) for b in args.batches.split(",")):
        for precision in args.precisions.split(","):
            suffix = "" if precision == "fp32" else f"-{precision}"
            plan = os.path.join(args.plans, f"intr-800x1216-b{batch}{suffix}.intrx")
            print(f"timing batch {batch}, {precision} ...", flush=True)
            ours = time_ours(args.build, plan, args.iterations, args.warmup, True)
            copies = time_ours(args.build, plan, args.iterations, args.warmup, False)
            theirs = time_torch(batch, precision, args.iterations, args.warmup)
            for result in (ours, copies):
                if "error" in result:
                    print(f"  ours failed: {result['error']}")
                    failed = True
            rows.append((batch, precision, ours, copies, theirs))

    print()
    print(f"full-size INTR, 800x1216, {args.iterations} timed runs after "
          f"{args.warmup} warm-up; times in ms")
    print(f"{'batch':>5} {'prec':>5} | {'ours min':>8} {'median':>8} | {'+copies':>8} | "
          f"{'torch min':>9} {'median':>8} | {'ratio':>6} | {'GPU MiB ours':>12} {'torch':>7}")
    for batch, precision, ours, copies, theirs in rows:
        if "error" in ours:
            print(f"{batch:>5} {precision:>5} | {'failed':>17} | {'':>8} | "
                  f"{theirs['min_ms']:9.2f} {theirs['median_ms']:8.2f} |")
            continue
        ratio = theirs["median_ms"] / ours["median_ms"]
        with_copies = copies.get("median_ms", float("nan"))
        print(f"{batch:>5} {precision:>5} | {ours['min_ms']:8.2f} {ours['median_ms']:8.2f} | "
              f"{with_copies:8.2f} | {theirs['min_ms']:9.2f} {theirs['median_ms']:8.2f} | "
              f"{ratio:6.2f} | {ours['session_memory_mib']:12.0f} "
              f"{theirs['peak_memory_mib']:7.0f}")
    print("ratio = PyTorch eager median / ours (zero-copy) median; > 1: ours is "
          "faster. +copies: ours with the image uploaded and every output "
          "downloaded each run. GPU MiB: our session's arena, weights and "
          "scratch; PyTorch's peak allocated tensors.")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
