#!/usr/bin/env python3
"""Export a tiny INTR whose image batch, height and width stay dynamic, as
users export one model for every size, with PyTorch goldens at two sizes.

  python/tools/dynamic_size_model.py OUT_DIR [--config tiny-postnorm-sine]

Writes OUT_DIR/model.onnx (torch's dynamo exporter, opset 18, input `image`
[batch, 3, 32 h, 32 w]) and, for each of OUT_DIR/a (2x3x64x96, landscape)
and OUT_DIR/b (3x3x96x64, portrait), the input image.npy and the goldens logits.npy, attention.npy and avg_attention.npy from the
PyTorch forward. Needs torch 2.x with onnx and onnxscript (dev time only).
test/e2e/dynamic-size.test compiles the model once per size with
--input-shape and compares each with its goldens.
"""
import argparse
import os
import sys

sys.dont_write_bytecode = True  # keep python/ free of __pycache__

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "reference"))
from export import save_dynamo_export  # noqa: E402
from intr_model import build_model, get_config  # noqa: E402

SIZES = {"a": (2, 64, 96), "b": (3, 96, 64)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--config", default="tiny-postnorm-sine")
    args = parser.parse_args()
    cfg = get_config(args.config)
    torch.manual_seed(0)
    model = build_model(cfg, seed=0).eval()
    os.makedirs(args.out, exist_ok=True)

    # torch specializes a size of 1, so the example batch is 2.
    batch, height, width = SIZES["a"]
    example = torch.randn(batch, 3, height, width,
                          generator=torch.Generator().manual_seed(1))
    b = torch.export.Dim("batch", min=2, max=64)
    h = torch.export.Dim("h", min=2, max=64)
    w = torch.export.Dim("w", min=2, max=64)
    program = torch.onnx.export(
        model, (example,), dynamo=True, opset_version=18,
        dynamic_shapes={"image": {0: b, 2: 32 * h, 3: 32 * w}},
        input_names=["image"],
        output_names=["logits", "attention", "avg_attention"])
    save_dynamo_export(program, os.path.join(args.out, "model.onnx"))

    for name, (batch, height, width) in SIZES.items():
        folder = os.path.join(args.out, name)
        os.makedirs(folder, exist_ok=True)
        image = torch.randn(batch, 3, height, width,
                            generator=torch.Generator().manual_seed(len(name) + batch))
        with torch.no_grad():
            outputs = model(image)
        np.save(os.path.join(folder, "image.npy"), image.numpy())
        for output, value in zip(["logits", "attention", "avg_attention"], outputs):
            np.save(os.path.join(folder, output + ".npy"), value.numpy())
        print(folder, [list(v.shape) for v in outputs])


if __name__ == "__main__":
    main()
