#!/usr/bin/env python3
"""How far tf32, fp16 and bf16 plans are from f32, next to PyTorch rounded alike.

For each exported model folder (model.onnx, image.npy, the f32 goldens and
config.json, as python/reference/export.py writes them), compiles our plan
with --precision fp16 and bf16, runs it on the CPU backend (intr-run, which
sums in f32 and rounds each convolution's result once, as the GPU does), and
runs the PyTorch reference model with every Conv2d's input, weight, bias and
result rounded to the same type (PyTorch's 16-bit convolutions accumulate in
f32 too; everything else stays f32, and its frozen batch norm comes after
the rounded convolution, where our plans fold it into the weights first). Prints, for both, the largest
difference from the f32 goldens of each output and whether every image keeps
its top-1 class, so that a precision's tolerance can be set against what the
model itself does with 16-bit convolutions.

tf32 has no "ours" here (the CPU backend runs tf32 plans in f32): PyTorch
runs with the operands of every convolution and matrix product (at the
ATen level, attention's included) rounded to TF32's 10 mantissa bits, to
nearest even, which is what the CUDA tolerance for tf32 plans is set
against.

  /usr/bin/python3 bench/precision_vs_pytorch.py [--build build]
      [--precisions fp16,bf16,tf32] [FOLDER ...]   (default: test/models/*)

Dev-time only: needs torch and numpy, and the compiler built in --build.
"""

import argparse
import glob
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "python", "reference"))
OUTPUTS = ("logits", "attention", "avg_attention")


def reference(folder):
    """The reference model of an export folder and its image."""
    import torch
    from intr_model import INTRConfig, build_model

    with open(os.path.join(folder, "config.json")) as f:
        meta = json.load(f)
    torch.set_grad_enabled(False)
    model = build_model(INTRConfig.from_dict(meta["config"]), meta["seed"]).eval()
    return model, torch.from_numpy(np.load(os.path.join(folder, "image.npy")))


def torch_with_tf32_products(folder):
    """The reference model's outputs with every product's operands in TF32."""
    import torch
    from torch.utils._python_dispatch import TorchDispatchMode

    def tf32(t):
        # Round to nearest even at mantissa bit 10: add half an ulp of the
        # kept bits (less one when the kept part is even), then clear the rest.
        bits = t.contiguous().view(torch.int32)
        bits = (bits + 0xFFF + ((bits >> 13) & 1)) & ~0x1FFF
        return bits.view(torch.float32).view(t.shape)

    aten = torch.ops.aten
    # The positions of each product's two operands (addmm and baddbmm add
    # their first argument).
    operands = {aten.convolution.default: (0, 1), aten.mm.default: (0, 1),
                aten.bmm.default: (0, 1), aten.addmm.default: (1, 2),
                aten.baddbmm.default: (1, 2)}

    class Tf32Products(TorchDispatchMode):
        def __torch_dispatch__(self, func, types, args=(), kwargs=None):
            rounded = operands.get(func, ())
            args = [tf32(a) if i in rounded else a for i, a in enumerate(args)]
            return func(*args, **(kwargs or {}))

    model, image = reference(folder)
    with Tf32Products():
        return {name: t.numpy() for name, t in zip(OUTPUTS, model(image))}


def torch_with_16bit_convs(folder, precision):
    """The reference model's outputs with its convolutions in `precision`."""
    import torch

    model, image = reference(folder)
    dtype = {"fp16": torch.float16, "bf16": torch.bfloat16}[precision]

    def rounded(t):
        return None if t is None else t.to(dtype).float()

    for conv in (m for m in model.modules() if isinstance(m, torch.nn.Conv2d)):
        def forward(x, conv=conv):
            y = torch.nn.functional.conv2d(rounded(x), rounded(conv.weight),
                                           rounded(conv.bias), conv.stride,
                                           conv.padding, conv.dilation, conv.groups)
            return rounded(y)
        conv.forward = forward
    return {name: t.numpy() for name, t in zip(OUTPUTS, model(image))}


def ours(build, folder, precision, work):
    """Our plan's outputs on the CPU backend."""
    plan = os.path.join(work, f"{precision}.intrx")
    out = os.path.join(work, precision)
    subprocess.run([os.path.join(build, "bin", "intr-opt"), "compile",
                    os.path.join(folder, "model.onnx"), "-o", plan,
                    "--precision", precision], check=True, capture_output=True)
    subprocess.run([os.path.join(build, "bin", "intr-run"), plan, "--input",
                    os.path.join(folder, "image.npy"), "--output-dir", out],
                   check=True, capture_output=True)
    return {name: np.load(os.path.join(out, f"{name}.npy")).astype(np.float32)
            for name in OUTPUTS}


def summary(outputs, goldens):
    diffs = [float(np.max(np.abs(outputs[n].astype(np.float64) - goldens[n])))
             for n in OUTPUTS]
    same = int(np.sum(outputs["logits"].argmax(-1) == goldens["logits"].argmax(-1)))
    return diffs, same


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--precisions", default="fp16,bf16")
    parser.add_argument("folders", nargs="*")
    args = parser.parse_args()
    folders = args.folders or sorted(
        os.path.dirname(p) for p in glob.glob(os.path.join(ROOT, "test", "models", "*",
                                                           "model.onnx")))
    print(f"{'model':40} {'precision':9} {'by':8} {'logits':>9} {'attention':>9} "
          f"{'avg_att':>9} {'top-1 kept':>10}")
    for folder in folders:
        goldens = {n: np.load(os.path.join(folder, f"{n}.npy")).astype(np.float64)
                   for n in OUTPUTS}
        images = goldens["logits"].shape[0]
        with tempfile.TemporaryDirectory() as work:
            for precision in args.precisions.split(","):
                runs = [("PyTorch", lambda: torch_with_tf32_products(folder))]
                if precision != "tf32":
                    runs = [("PyTorch", lambda: torch_with_16bit_convs(folder, precision)),
                            ("ours", lambda: ours(args.build, folder, precision, work))]
                for who, run in runs:
                    (logits, attention, mean), same = summary(run(), goldens)
                    print(f"{os.path.basename(folder.rstrip('/')):40} {precision:9} {who:8} "
                          f"{logits:9.3g} {attention:9.3g} {mean:9.3g} "
                          f"{same:>5}/{images}", flush=True)
    print("max |output - f32 golden| per output; top-1 kept: images whose best "
          "class is the f32 golden's.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
