#!/usr/bin/env python3
"""The encoder's self-attention on one GPU: our flash kernels against PyTorch.

Each encoder layer of INTR attends T = 950 image tokens to themselves (8
heads of 32 features at batch 1). Ours is tools/intr-attention-bench --self
(launchFlashSelfAttention over a [B, T, 3D] projection), replayed from a
CUDA graph: the f32 kernel (what fp32 plans run), the TF32 mma.sync kernel
(what tf32, fp16 and bf16 plans ran with INTR_FLASH_SPLIT=0), and the TF32
kernel with the keys in slices (the launcher's choice, what they run by
default, then fixed counts). The
peer is PyTorch's scaled_dot_product_attention on [B, H, T, dh] tensors in
fp32, with TF32 off and on (PyTorch picks its own backend for each).

All times come from CUDA events on the same GPU in the same run: minimum and
median over the iterations after a warm-up. Prints one table: time, the
arithmetic rate (4 B H T² dh flops) and the ratio PyTorch fp32 / this
(> 1: this is faster).

  python3 bench/self_attention_vs_pytorch.py --build build-gpu
      [--batch 1] [--tokens 950] [--heads 8] [--embed 256]
      [--splits 2,3,4,6,8] [--iterations 100] [--warmup 10]

Needs torch 2.x with CUDA and a build with intr-attention-bench.
"""

import argparse
import json
import os
import subprocess
import sys

from class_attention_vs_pytorch import time_cuda

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run_ours(args, tensor_cores=False, key_splits=1):
    binary = os.path.join(args.build, "bin", "intr-attention-bench")
    command = [binary, "--self", "--graph", "--batch", str(args.batch),
               "--tokens", str(args.tokens), "--heads", str(args.heads),
               "--head-dim", str(args.embed // args.heads), "--key-splits",
               str(key_splits), "--iterations", str(args.iterations),
               "--warmup", str(args.warmup)]
    if tensor_cores:
        command.append("--tensor-cores")
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit("intr-attention-bench failed: " +
                 (result.stderr or result.stdout).strip())
    return json.loads(result.stdout.strip().splitlines()[-1])


def time_torch(args):
    import torch
    import torch.nn.functional as F

    torch.manual_seed(0)
    device = torch.device("cuda")
    B, T, H = args.batch, args.tokens, args.heads
    dh = args.embed // H
    q, k, v = (torch.randn(B, H, T, dh, device=device) for _ in range(3))

    def attend():
        F.scaled_dot_product_attention(q, k, v)

    results = {}
    with torch.no_grad():
        for name, tf32 in (("PyTorch SDPA fp32", False),
                           ("PyTorch SDPA, TF32 allowed", True)):
            torch.backends.cuda.matmul.allow_tf32 = tf32
            results[name] = time_cuda(torch, attend, args.iterations,
                                      args.warmup)
    return torch.cuda.get_device_name(device), results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default=os.path.join(ROOT, "build-gpu"))
    parser.add_argument("--batch", type=int, default=1)
    parser.add_argument("--tokens", type=int, default=950)
    parser.add_argument("--heads", type=int, default=8)
    parser.add_argument("--embed", type=int, default=256)
    parser.add_argument("--splits", default="2,3,4,6,8",
                        help="fixed key-slice counts to time besides the "
                             "launcher's choice")
    parser.add_argument("--iterations", type=int, default=100)
    parser.add_argument("--warmup", type=int, default=10)
    args = parser.parse_args()
    if args.embed % args.heads:
        sys.exit("--embed must be a multiple of --heads")
    splits = [int(s) for s in args.splits.split(",") if s]

    ours = [("ours f32", run_ours(args)),
            ("ours TF32 mma", run_ours(args, tensor_cores=True)),
            ("ours TF32 mma, slices: launcher's choice",
             run_ours(args, tensor_cores=True, key_splits=0))]
    for count in splits:
        ours.append((f"ours TF32 mma, {count} slices",
                     run_ours(args, tensor_cores=True, key_splits=count)))
    device, torch_times = time_torch(args)
    reference = torch_times["PyTorch SDPA fp32"]
    flops = 4.0 * args.batch * args.heads * args.tokens ** 2 * (
        args.embed // args.heads)

    print(f"self-attention, B={args.batch} T={args.tokens} H={args.heads} "
          f"dh={args.embed // args.heads} on {device} "
          f"(ours on {ours[0][1]['device']}; graph replay)")
    header = (f"{'':44} {'min us':>9} {'median us':>10} {'TFLOP/s':>8} "
              f"{'PyTorch fp32/this':>18}")
    print(header)
    print("-" * len(header))

    def row(name, times):
        rate = flops / (times["min_us"] * 1e-6) / 1e12
        ratio = reference["min_us"] / times["min_us"]
        print(f"{name:44} {times['min_us']:9.1f} {times['median_us']:10.1f} "
              f"{rate:8.1f} {ratio:18.2f}")

    for name, times in torch_times.items():
        row(name, times)
    for name, times in ours:
        row(name, times)


if __name__ == "__main__":
    main()
