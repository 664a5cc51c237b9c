#!/usr/bin/env python3
"""Full-size INTR on the CPU: our runtime against PyTorch eager, same run.

For each image size, exports the full-size reference INTR (ResNet-50
backbone, 6 + 6 layers, 200 classes; seeded random weights) with our
exporter, compiles it with intr-opt, times it with intr-bench, then times the
same PyTorch model in eager mode on the same thread count, each in its own
process so that peak memory is its own. Prints min and median latency of
each, the ratio PyTorch / ours (> 1 means we are faster) and peak memory.

  /usr/bin/python3 bench/cpu_vs_pytorch.py [--sizes 512x512,800x1216]
      [--threads N] [--iterations N] [--build build] [--work /tmp/intr-bench]

Dev-time only: needs torch (Debian's python3-torch is enough) and a build
with intr-opt and intr-bench.
"""

import argparse
import dataclasses
import json
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "python", "reference"))

TORCH_TIMER = r"""
import json, sys, time, dataclasses, torch
sys.path.insert(0, {reference!r})
from intr_model import build_model, get_config, make_input
torch.set_num_threads({threads})
torch.set_grad_enabled(False)
cfg = dataclasses.replace(get_config("full"), image_height={h}, image_width={w})
model = build_model(cfg, 0).eval()
image = make_input(cfg, 0)
times = []
for i in range({warmup} + {iterations}):
    start = time.perf_counter()
    model(image)
    if i >= {warmup}:
        times.append((time.perf_counter() - start) * 1000)
times.sort()
# VmHWM: ru_maxrss would include the high-water mark of the parent we were
# forked from.
peak = [int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:")][0]
print(json.dumps({{"min_ms": times[0], "median_ms": times[len(times) // 2],
    "peak_memory_mib": peak / 1024}}))
"""


def run_json(command):
    out = subprocess.run(command, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="512x512,800x1216")
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--iterations", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--work", default="/tmp/intr-bench")
    args = parser.parse_args()

    import export  # our exporter (python/reference/export.py)
    from intr_model import get_config

    rows = []
    for size in args.sizes.split(","):
        h, w = (int(v) for v in size.split("x"))
        folder = os.path.join(args.work, size)
        model = os.path.join(folder, "model.onnx")
        if not os.path.exists(model):
            print(f"exporting the full-size model at {size} ...", flush=True)
            cfg = dataclasses.replace(get_config("full"), image_height=h, image_width=w)
            export.export(cfg, folder, seed=0, opset=14, exporter="torchscript", quiet=True)
        intrx = os.path.join(folder, "model.intrx")
        subprocess.run([os.path.join(args.build, "bin", "intr-opt"), "compile", model,
                        "-o", intrx], check=True)
        print(f"timing ours at {size} ...", flush=True)
        ours = run_json([os.path.join(args.build, "bin", "intr-bench"), intrx,
                         "--threads", str(args.threads), "--iterations", str(args.iterations),
                         "--warmup", str(args.warmup), "--json"])
        print(f"timing PyTorch eager at {size} ...", flush=True)
        script = TORCH_TIMER.format(reference=os.path.join(ROOT, "python", "reference"),
                                    threads=args.threads, h=h, w=w, warmup=args.warmup,
                                    iterations=args.iterations)
        torch_result = run_json([sys.executable, "-c", script])
        rows.append((size, ours, torch_result))

    print()
    print(f"full-size INTR on the CPU, {args.threads} threads, batch 1, "
          f"{args.iterations} timed runs after {args.warmup} warm-up")
    print(f"{'size':>10} | {'ours min':>9} {'median':>9} | {'torch min':>9} {'median':>9} | "
          f"{'ratio (median)':>14} | {'peak MiB ours':>13} {'torch':>7}")
    for size, ours, theirs in rows:
        ratio = theirs["median_ms"] / ours["median_ms"]
        print(f"{size:>10} | {ours['min_ms']:9.0f} {ours['median_ms']:9.0f} | "
              f"{theirs['min_ms']:9.0f} {theirs['median_ms']:9.0f} | {ratio:14.2f} | "
              f"{ours['peak_memory_mib']:13.0f} {theirs['peak_memory_mib']:7.0f}")
    print("times in ms; ratio = PyTorch median / ours (> 1: ours is faster)")


if __name__ == "__main__":
    main()
