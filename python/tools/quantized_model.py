#!/usr/bin/env python3
"""Quantize an f32 ONNX model as onnxruntime's static quantization does for
deployment (QDQ format: QuantizeLinear and DequantizeLinear pairs around
the activations, int8 weights per output channel behind a
DequantizeLinear), or with --dynamic as its dynamic quantization does
(DynamicQuantizeLinear before each product, MatMulInteger and ConvInteger
of int8 weights), and write the goldens of ONNX's reference evaluator,
which runs those ops as the spec defines them.

  python/tools/quantized_model.py [--dynamic] IN_DIR OUT_DIR

IN_DIR holds a fixture (model.onnx and image.npy, as test/models/ has);
OUT_DIR gets model.onnx and the goldens for IN_DIR/image.npy, one .npy per
output. Static quantization is calibrated on 8 seeded random images.
Needs onnx, onnxruntime and numpy (dev time only).
test/e2e/quantized-model.test compiles tiny-postnorm-sine-b1-op14 through
this, both ways, and compares with the goldens.
"""
import argparse
import os
import tempfile

import numpy as np
import onnx
from onnx.reference import ReferenceEvaluator
from onnx.reference.ops.op_dequantize_linear import DequantizeLinear_23
from onnx.reference.ops.op_quantize_linear import QuantizeLinear_23
from onnxruntime.quantization import (CalibrationDataReader, QuantFormat,
                                      QuantType, quantize_dynamic,
                                      quantize_static)
from onnxruntime.quantization.shape_inference import quant_pre_process


# The reference evaluator implements these from opset 19 on; the newer
# ones compute int8 as opset 13's does (their additions are other types,
# blocks and saturation of float8).
class QuantizeLinear(QuantizeLinear_23):
    op_domain = ""


class DequantizeLinear(DequantizeLinear_23):
    op_domain = ""


class RandomImages(CalibrationDataReader):
    """Seeded random images of the model's input shape."""

    def __init__(self, name, shape, count=8):
        generator = np.random.default_rng(0)
        self.batches = iter(
            [{name: generator.standard_normal(shape).astype(np.float32)}
             for _ in range(count)])

    def get_next(self):
        return next(self.batches, None)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dynamic", action="store_true",
                        help="dynamic quantization instead of static")
    parser.add_argument("fixture")
    parser.add_argument("out")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    source = os.path.join(args.fixture, "model.onnx")
    image = np.load(os.path.join(args.fixture, "image.npy"))
    graph_input = onnx.load(source).graph.input[0].name

    with tempfile.TemporaryDirectory() as work:
        prepared = os.path.join(work, "prepared.onnx")
        quant_pre_process(source, prepared, skip_symbolic_shape=True)
        target = os.path.join(args.out, "model.onnx")
        if args.dynamic:
            quantize_dynamic(prepared, target, weight_type=QuantType.QInt8)
        else:
            quantize_static(prepared, target,
                            RandomImages(graph_input, image.shape),
                            quant_format=QuantFormat.QDQ, per_channel=True,
                            activation_type=QuantType.QUInt8,
                            weight_type=QuantType.QInt8)

    model = onnx.load(target)
    ops = sorted({node.op_type for node in model.graph.node})
    counts = {op: sum(node.op_type == op for node in model.graph.node)
              for op in ("QuantizeLinear", "DequantizeLinear",
                         "DynamicQuantizeLinear", "MatMulInteger",
                         "ConvInteger")}
    print(f"{target}: {len(model.graph.node)} nodes, {counts}, op types {ops}")
    evaluator = ReferenceEvaluator(model,
                                   new_ops=[QuantizeLinear, DequantizeLinear])
    outputs = evaluator.run(None, {graph_input: image})
    for info, value in zip(model.graph.output, outputs):
        np.save(os.path.join(args.out, info.name + ".npy"), value)
        print(f"  {info.name} {value.dtype} {list(value.shape)}")


if __name__ == "__main__":
    main()
