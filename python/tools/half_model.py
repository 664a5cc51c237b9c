#!/usr/bin/env python3
"""Convert an f32 ONNX model to f16 (or bf16), as a model exported in half
precision arrives: every f32 initializer, Constant and ConstantOfShape
value, Cast target, graph input, output and intermediate type becomes the
half type. Also writes a half copy of an .npy input when given one.

  python/tools/half_model.py IN.onnx OUT.onnx [--bf16] [--npy IN.npy OUT.npy]

Needs onnx and numpy (dev time only). It covers what INTR's exports hold
(initializers that are weights, Constant `value`s); an initializer the
ONNX spec wants in f32 whatever the model's type (Resize's scales, say)
would need leaving alone. The half test model of test/e2e/half-model.test
is tiny-postnorm-sine-b1-op14 through this.
"""
import argparse

import numpy as np
import onnx
from onnx import TensorProto, numpy_helper


def to_half(tensor, half):
    """The f32 TensorProto `tensor` rounded to `half` (nearest even)."""
    values = numpy_helper.to_array(tensor)
    if half == TensorProto.FLOAT16:
        out = numpy_helper.from_array(values.astype(np.float16), tensor.name)
    else:
        # bf16: the top 16 bits of the f32, rounded to nearest even.
        bits = values.astype(np.float32).view(np.uint32).astype(np.uint64)
        sixteen = np.uint64(16)
        bits = (bits + np.uint64(0x7FFF) +
                ((bits >> sixteen) & np.uint64(1))) >> sixteen
        # NaN stays NaN (a quiet one; rounding could carry it into inf).
        bits = np.where(np.isnan(values), np.uint64(0x7FC0), bits)
        out = onnx.helper.make_tensor(tensor.name, TensorProto.BFLOAT16,
                                      values.shape,
                                      bits.astype(np.uint16).tobytes(),
                                      raw=True)
    tensor.CopyFrom(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source")
    parser.add_argument("target")
    parser.add_argument("--bf16", action="store_true")
    parser.add_argument("--npy", nargs=2, metavar=("IN", "OUT"))
    args = parser.parse_args()
    half = TensorProto.BFLOAT16 if args.bf16 else TensorProto.FLOAT16

    model = onnx.load(args.source)
    graph = model.graph
    for initializer in graph.initializer:
        if initializer.data_type == TensorProto.FLOAT:
            to_half(initializer, half)
    for node in graph.node:
        for attribute in node.attribute:
            if (node.op_type in ("Constant", "ConstantOfShape") and
                    attribute.name == "value" and
                    attribute.t.data_type == TensorProto.FLOAT):
                to_half(attribute.t, half)
            if (node.op_type == "Cast" and attribute.name == "to" and
                    attribute.i == TensorProto.FLOAT):
                attribute.i = half
    for value in list(graph.input) + list(graph.output) + list(
            graph.value_info):
        if value.type.tensor_type.elem_type == TensorProto.FLOAT:
            value.type.tensor_type.elem_type = half
    onnx.checker.check_model(model)
    onnx.save(model, args.target)

    if args.npy:
        if args.bf16:
            raise SystemExit("--npy writes f16 only (numpy has no bf16)")
        np.save(args.npy[1], np.load(args.npy[0]).astype(np.float16))


if __name__ == "__main__":
    main()
