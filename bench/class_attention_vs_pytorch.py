#!/usr/bin/env python3
"""The decoder's class attention on one GPU: our fused kernel against PyTorch.

Per decoder layer INTR needs the per-head attention maps [B, H, C, T] and
their head mean [B, C, T] of the C = 200 class queries over the T = 950
image tokens (8 heads, embedding 256). PyTorch gets them from two
nn.MultiheadAttention calls, one with average_attn_weights=False (per-head
maps) and one with average_attn_weights=True (the mean); both run here on
inputs of the same shapes, in exact fp32 (TF32 off), and so does the core
of the same computation written with torch ops (Q Kᵀ, softmax, mean over
the heads, P V) without the projections. Ours is tools/intr-attention-bench
(launchFusedClassAttention: probabilities, mean and attended values over
keys and values already projected), eagerly and replayed from a CUDA graph,
in f32 (what f32 plans run), all on TF32 tensor cores, and with the
statistics on tensor cores and the maps in f32 FMAs (what plans that allow
TF32 run while the scores leave SMs short of work, as at batch 1).

All times come from CUDA events on the same GPU in the same run: minimum and
median over the iterations after a warm-up. Prints one table: time, the
ratio PyTorch / ours (> 1: ours is faster) and, for ours, the bandwidth of
the probability and mean writes against the device's peak.

  python3 bench/class_attention_vs_pytorch.py --build build-gpu
      [--batch 1] [--classes 200] [--tokens 950] [--heads 8] [--embed 256]
      [--iterations 100] [--warmup 10]

Needs torch 2.x with CUDA and a build with intr-attention-bench.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run_ours(build, args, graph, tensor_cores=False, fma_maps=False):
    binary = os.path.join(build, "bin", "intr-attention-bench")
    if not os.path.exists(binary):
        binary = os.path.join(build, "tools", "intr-attention-bench",
                              "intr-attention-bench")
    command = [binary, "--batch", str(args.batch), "--classes",
               str(args.classes), "--tokens", str(args.tokens), "--heads",
               str(args.heads), "--head-dim", str(args.embed // args.heads),
               "--iterations", str(args.iterations), "--warmup",
               str(args.warmup)]
    if graph:
        command += ["--graph", "--no-plain"]
    if tensor_cores:
        command.append("--tensor-cores")
    if fma_maps:
        command.append("--fma-maps")
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit("intr-attention-bench failed: " +
                 (result.stderr or result.stdout).strip())
    return json.loads(result.stdout.strip().splitlines()[-1])


def time_cuda(torch, function, iterations, warmup):
    for _ in range(warmup):
        function()
    torch.cuda.synchronize()
    times = []
    for _ in range(iterations):
        start = torch.cuda.Event(enable_timing=True)
        stop = torch.cuda.Event(enable_timing=True)
        start.record()
        function()
        stop.record()
        stop.synchronize()
        times.append(start.elapsed_time(stop) * 1e3)
    return {"min_us": min(times), "median_us": statistics.median(times)}


def time_torch(args):
    import torch

    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    torch.manual_seed(0)
    device = torch.device("cuda")
    B, C, T, E, H = args.batch, args.classes, args.tokens, args.embed, args.heads
    attention = torch.nn.MultiheadAttention(E, H, batch_first=True).to(device)
    attention.eval()
    queries = torch.randn(B, C, E, device=device)
    memory = torch.randn(B, T, E, device=device)

    def two_calls():
        # The per-head maps, then the mean: what one decoder layer needs.
        attention(queries, memory, memory, need_weights=True,
                  average_attn_weights=False)
        attention(queries, memory, memory, need_weights=True,
                  average_attn_weights=True)

    dh = E // H
    q = torch.randn(B, H, C, dh, device=device)
    k = torch.randn(B, H, T, dh, device=device)
    v = torch.randn(B, H, T, dh, device=device)
    scale = dh ** -0.5

    def core():
        probs = torch.softmax(torch.matmul(q, k.transpose(-1, -2)) * scale, -1)
        probs.mean(dim=1)
        torch.matmul(probs, v)

    with torch.no_grad():
        results = {
            "nn.MultiheadAttention x2": time_cuda(torch, two_calls,
                                                  args.iterations, args.warmup),
            "torch ops (QK, softmax, mean, PV)": time_cuda(
                torch, core, args.iterations, args.warmup),
        }
    return torch.cuda.get_device_name(device), results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default=os.path.join(ROOT, "build-gpu"))
    parser.add_argument("--batch", type=int, default=1)
    parser.add_argument("--classes", type=int, default=200)
    parser.add_argument("--tokens", type=int, default=950)
    parser.add_argument("--heads", type=int, default=8)
    parser.add_argument("--embed", type=int, default=256)
    parser.add_argument("--iterations", type=int, default=100)
    parser.add_argument("--warmup", type=int, default=10)
    args = parser.parse_args()
    if args.embed % args.heads:
        sys.exit("--embed must be a multiple of --heads")

    eager = run_ours(args.build, args, graph=False)
    graph = run_ours(args.build, args, graph=True)
    tf32 = run_ours(args.build, args, graph=True, tensor_cores=True)
    tf32_stats = run_ours(args.build, args, graph=True, tensor_cores=True,
                          fma_maps=True)
    device, torch_times = time_torch(args)
    reference = torch_times["nn.MultiheadAttention x2"]

    print(f"class attention, B={args.batch} C={args.classes} T={args.tokens} "
          f"H={args.heads} dh={args.embed // args.heads} on {device} "
          f"(ours on {eager['device']})")
    print(f"probability + mean writes: {eager['map_bytes'] / 1e6:.2f} MB per "
          f"layer; peak DRAM bandwidth {eager['peak_gbps']:.0f} GB/s")
    header = (f"{'':44} {'min us':>9} {'median us':>10} {'PyTorch/this':>13} "
              f"{'map GB/s':>9} {'of peak':>8}")
    print(header)
    print("-" * len(header))

    def row(name, times, ours=None):
        ratio = reference["min_us"] / times["min_us"]
        line = (f"{name:44} {times['min_us']:9.1f} {times['median_us']:10.1f} "
                f"{ratio:13.2f}")
        if ours:
            line += (f" {ours['map_write_gbps']:9.0f} "
                     f"{100 * ours['fraction_of_peak']:7.1f}%")
        print(line)

    for name, times in torch_times.items():
        row("PyTorch " + name, times)
    if "plain_min_us" in eager:
        row("ours, plain kernel (+ out projection)",
            {"min_us": eager["plain_min_us"],
             "median_us": eager["plain_median_us"]})
    row("ours, fused (2 launches)", eager, eager)
    row("ours, fused (graph replay)", graph, graph)
    row("ours, fused TF32 (graph replay)", tf32, tf32)
    row("ours, TF32 statistics, f32 maps (graph)", tf32_stats, tf32_stats)


if __name__ == "__main__":
    main()
