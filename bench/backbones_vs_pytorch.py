#!/usr/bin/env python3
"""Other backbones on the CPU: our runtime against PyTorch eager, same run.

INTR's users swap its ResNet-50 for other backbones. This takes
torchvision's classification models as a proxy for them: for each, it
builds the model with seeded random weights (10 classes), exports it with
torch's ONNX exporter (the dynamo exporter, or the TorchScript one with
--exporter legacy), compiles it with intr-opt, checks our outputs against
PyTorch's (intr-run --expect: atol 1e-4 of the largest output, rtol 1e-3)
and times both on the same thread count: intr-bench, then PyTorch eager in
its own process. Prints min and median latency of each and the ratio
PyTorch / ours (> 1 means we are faster).

  /opt/torch2/bin/python bench/backbones_vs_pytorch.py
      [--models resnet50,convnext_tiny,...] [--size 224] [--threads N]
      [--iterations N] [--exporter dynamo|legacy] [--compile-flags "..."]
      [--build build] [--work /tmp/intr-backbones]

Dev-time only: needs torch 2.x with onnxscript and torchvision (the
venv of python/reference/README.md) and a build with intr-opt, intr-run
and intr-bench. Models whose size is fixed (vit_b_16, maxvit_t, ...) need
--size 224.
"""

import argparse
import contextlib
import io
import json
import os
import shlex
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

DEFAULT_MODELS = ("resnet50,convnext_tiny,efficientnet_b0,mobilenet_v3_large,"
                  "regnet_y_400mf,swin_t,vit_b_16,maxvit_t")

# Builds the model in the parent and in the timing child alike.
MODEL_SOURCE = r"""
import torch, torchvision
def build(name, seed):
    torch.manual_seed(seed)
    extra = {"aux_logits": False, "init_weights": True} if name in (
        "googlenet", "inception_v3") else {}
    model = torchvision.models.get_model(name, weights=None, num_classes=10,
                                         **extra).eval()
    # Heads that torchvision initializes to zero (ViT's) would make every
    # output 0 and the comparison empty.
    for module in model.modules():
        if isinstance(module, torch.nn.Linear) and not module.weight.any():
            torch.nn.init.normal_(module.weight, std=0.02)
    return model
"""

# Formatted, then appended to MODEL_SOURCE.
TORCH_TIMER = r"""
import json, time
torch.set_num_threads({threads})
torch.set_grad_enabled(False)
model = build({name!r}, 0)
image = torch.randn(1, 3, {size}, {size}, generator=torch.Generator().manual_seed(1))
times = []
for i in range({warmup} + {iterations}):
    start = time.perf_counter()
    model(image)
    if i >= {warmup}:
        times.append((time.perf_counter() - start) * 1000)
times.sort()
print(json.dumps({{"min_ms": times[0], "median_ms": times[len(times) // 2]}}))
"""


def run(command, **kwargs):
    return subprocess.run(command, capture_output=True, text=True, **kwargs)


def export(name, size, exporter, folder):
    """Exports the model and writes its input and PyTorch's output as .npy;
    returns the exporter's error (None if it exported) and the largest
    output's magnitude."""
    import numpy as np
    import torch
    namespace = {}
    exec(MODEL_SOURCE, namespace)
    model = namespace["build"](name, 0)
    image = torch.randn(1, 3, size, size,
                        generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        output = model(image)
    np.save(os.path.join(folder, "input.npy"), image.numpy())
    np.save(os.path.join(folder, "output.npy"), output.numpy())
    path = os.path.join(folder, "model.onnx")
    try:
        # The dynamo exporter reports its progress on stdout.
        with contextlib.redirect_stdout(io.StringIO()):
            if exporter == "dynamo":
                program = torch.onnx.export(model, (image,), dynamo=True,
                                            input_names=["input"],
                                            output_names=["output"])
                program.save(path)
            else:
                torch.onnx.export(model, (image,), path, dynamo=False,
                                  opset_version=17, input_names=["input"],
                                  output_names=["output"])
    except Exception as error:  # the exporter's own refusal
        return "export failed: " + str(error).splitlines()[0][:120], None
    return None, float(abs(output).max())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default=DEFAULT_MODELS)
    parser.add_argument("--size", type=int, default=224)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--iterations", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--exporter", choices=("dynamo", "legacy"),
                        default="dynamo")
    parser.add_argument("--compile-flags", default="",
                        help="extra intr-opt compile flags, e.g. "
                        "--channels-last")
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--work", default="/tmp/intr-backbones")
    args = parser.parse_args()
    tools = os.path.join(args.build, "bin")

    print(f"{args.threads} threads, {args.size}x{args.size}, batch 1, "
          f"{args.iterations} runs after {args.warmup} warm-up, exporter "
          f"{args.exporter}; times in ms", flush=True)
    print("| model | check | ours min | ours median | PyTorch min | "
          "PyTorch median | PyTorch / ours |")
    print("| --- | --- | --- | --- | --- | --- | --- |", flush=True)
    for name in args.models.split(","):
        folder = os.path.join(args.work,
                              f"{name}-{args.size}-{args.exporter}")
        os.makedirs(folder, exist_ok=True)
        error, scale = export(name, args.size, args.exporter, folder)
        if error:
            print(f"| {name} | {error} | | | | | |", flush=True)
            continue
        plan = os.path.join(folder, "model.intrx")
        compiled = run([os.path.join(tools, "intr-opt"), "compile",
                        os.path.join(folder, "model.onnx"), "-o", plan] +
                       shlex.split(args.compile_flags))
        if compiled.returncode != 0:
            reason = (compiled.stderr.strip().splitlines() or ["?"])[-1]
            print(f"| {name} | compile failed: {reason[:120]} | | | | | |",
                  flush=True)
            continue
        checked = run([os.path.join(tools, "intr-run"), plan, "--input",
                       os.path.join(folder, "input.npy"), "--expect", folder,
                       "--atol", f"{max(scale * 1e-4, 1e-30):.3g}",
                       "--rtol", "1e-3"])
        check = "ok" if checked.returncode == 0 else "MISMATCH"
        ours = json.loads(run([
            os.path.join(tools, "intr-bench"), plan, "--threads",
            str(args.threads), "--iterations", str(args.iterations),
            "--warmup", str(args.warmup), "--json"
        ], check=True).stdout)
        timer = MODEL_SOURCE + TORCH_TIMER.format(name=name, size=args.size,
                                   threads=args.threads,
                                   iterations=args.iterations,
                                   warmup=args.warmup)
        peer = json.loads(
            run([sys.executable, "-c", timer],
                check=True).stdout.strip().splitlines()[-1])
        print(f"| {name} | {check} | {ours['min_ms']:.1f} | "
              f"{ours['median_ms']:.1f} | {peer['min_ms']:.1f} | "
              f"{peer['median_ms']:.1f} | "
              f"{peer['median_ms'] / ours['median_ms']:.2f} |",
              flush=True)


if __name__ == "__main__":
    main()
