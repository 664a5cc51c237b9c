#!/usr/bin/env python3
"""Writes the importer fuzzer's seed corpus: small valid ONNX models that
exercise the importer's paths (initializers inline and as resources, typed
and raw data, shape arithmetic that folds, optional inputs, every attribute
kind). Dev-time only (needs the onnx Python package); the outputs are
committed in fuzz/corpus/import/.

    python3 fuzz/make_seed_corpus.py fuzz/corpus/import
"""

import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def model(nodes, inputs, outputs, initializers=(), opset=14):
    graph = helper.make_graph(nodes, "g", inputs, outputs, list(initializers))
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    m.ir_version = 8
    return m


def tensor(name, elem, shape):
    return helper.make_tensor_value_info(name, elem, shape)


def seeds():
    f32 = TensorProto.FLOAT
    rng = np.random.default_rng(0)
    weights = numpy_helper.from_array(rng.standard_normal((8, 4)).astype(np.float32), "W")
    bias = helper.make_tensor("B", f32, [8], [0.5] * 8)  # typed (float_data) storage

    # Linear layer: MatMul with a transposed weight, bias Add, Relu.
    yield "linear", model(
        [helper.make_node("Transpose", ["W"], ["Wt"], perm=[1, 0]),
         helper.make_node("MatMul", ["X", "Wt"], ["M"]),
         helper.make_node("Add", ["M", "B"], ["A"]),
         helper.make_node("Relu", ["A"], ["Y"])],
        [tensor("X", f32, [2, 4])], [tensor("Y", f32, [2, 8])], [weights, bias])

    # The exporters' shape arithmetic: Shape -> Gather -> Unsqueeze -> Concat
    # -> Reshape, which folds to a constant shape.
    idx = numpy_helper.from_array(np.array(0, dtype=np.int64), "i0")
    minus1 = numpy_helper.from_array(np.array([-1], dtype=np.int64), "m1")
    axes0 = numpy_helper.from_array(np.array([0], dtype=np.int64), "axes0")
    yield "shape-arithmetic", model(
        [helper.make_node("Shape", ["X"], ["S"]),
         helper.make_node("Gather", ["S", "i0"], ["N"], axis=0),
         helper.make_node("Unsqueeze", ["N", "axes0"], ["N1"]),
         helper.make_node("Concat", ["N1", "m1"], ["NewShape"], axis=0),
         helper.make_node("Reshape", ["X", "NewShape"], ["Y"])],
        [tensor("X", f32, ["batch", 3, 4])], [tensor("Y", f32, ["batch", 12])],
        [idx, minus1, axes0])

    # Attention scores: MatMul, scale, Softmax, and head averaging.
    scale = numpy_helper.from_array(np.array(0.125, dtype=np.float32), "scale")
    yield "attention", model(
        [helper.make_node("MatMul", ["Q", "K"], ["S"]),
         helper.make_node("Mul", ["S", "scale"], ["S2"]),
         helper.make_node("Softmax", ["S2"], ["P"], axis=-1),
         helper.make_node("ReduceMean", ["P"], ["Y"], axes=[0], keepdims=0)],
        [tensor("Q", f32, [4, 5, 8]), tensor("K", f32, [4, 8, 6])],
        [tensor("Y", f32, [5, 6])], [scale])

    # Sine positional encoding on constants: CumSum, Div, Sin, Cos, Concat.
    ones = numpy_helper.from_array(np.ones((1, 3, 4), dtype=np.float32), "ones")
    axis1 = numpy_helper.from_array(np.array(1, dtype=np.int64), "axis1")
    yield "position", model(
        [helper.make_node("CumSum", ["ones", "axis1"], ["C"]),
         helper.make_node("Sin", ["C"], ["S"]),
         helper.make_node("Cos", ["C"], ["Co"]),
         helper.make_node("Concat", ["S", "Co"], ["P"], axis=0),
         helper.make_node("Add", ["X", "P"], ["Y"])],
        [tensor("X", f32, [2, 3, 4])], [tensor("Y", f32, [2, 3, 4])],
        [ones, axis1])

    # Convolution, batch norm, max pooling (with optional outputs left out).
    conv_w = numpy_helper.from_array(rng.standard_normal((4, 3, 3, 3)).astype(np.float32), "cw")
    bn = [numpy_helper.from_array(v.astype(np.float32), n) for n, v in
          [("s", np.ones(4)), ("b", np.zeros(4)), ("m", np.zeros(4)), ("v", np.ones(4))]]
    yield "conv", model(
        [helper.make_node("Conv", ["X", "cw", ""], ["C"], pads=[1, 1, 1, 1], strides=[2, 2]),
         helper.make_node("BatchNormalization", ["C", "s", "b", "m", "v"], ["N"], epsilon=1e-5),
         helper.make_node("MaxPool", ["N"], ["Y"], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1])],
        [tensor("X", f32, [1, 3, 16, 16])], [tensor("Y", f32, [1, 4, 4, 4])],
        [conv_w] + bn, opset=15)

    # Blocks of other backbones, whose images channels-last plans keep NHWC
    # between convolutions: ReLU6 (Clip), a batch norm before a ReLU
    # (DenseNet), a squeeze-and-excitation mean and scale, a concatenation
    # of branches, and a block written channels last (ConvNeXt: a permute
    # to NHWC, a linear layer, a permute back and a per-channel scale).
    blocks_rng = np.random.default_rng(11)
    bw = numpy_helper.from_array(blocks_rng.standard_normal((4, 4, 1, 1)).astype(np.float32), "bw")
    lin = numpy_helper.from_array(blocks_rng.standard_normal((4, 4)).astype(np.float32), "lw")
    gamma = numpy_helper.from_array(np.full((4, 1, 1), 0.5, np.float32), "g")
    six = numpy_helper.from_array(np.array(6.0, np.float32), "six")
    zero = numpy_helper.from_array(np.array(0.0, np.float32), "zero")
    pixels = numpy_helper.from_array(np.array([2, 3], np.int64), "hw")
    stats = [numpy_helper.from_array(np.linspace(0.5, 2.0, 4).astype(np.float32), n)
             for n in ("bs", "bb", "bm", "bv")]
    yield "backbone-blocks", model(
        [helper.make_node("Conv", ["X", "bw"], ["C1"]),
         helper.make_node("Clip", ["C1", "zero", "six"], ["R6"]),
         helper.make_node("BatchNormalization", ["R6", "bs", "bb", "bm", "bv"], ["N"]),
         helper.make_node("Relu", ["N"], ["R"]),
         helper.make_node("Conv", ["R", "bw"], ["C2"]),
         helper.make_node("ReduceMean", ["C2", "hw"], ["S"], keepdims=1),
         helper.make_node("Sigmoid", ["S"], ["G"]),
         helper.make_node("Mul", ["C2", "G"], ["E"]),
         helper.make_node("Transpose", ["E"], ["T"], perm=[0, 2, 3, 1]),
         helper.make_node("MatMul", ["T", "lw"], ["L"]),
         helper.make_node("Transpose", ["L"], ["P"], perm=[0, 3, 1, 2]),
         helper.make_node("Mul", ["P", "g"], ["Q"]),
         helper.make_node("Add", ["Q", "C1"], ["A"]),
         helper.make_node("Conv", ["A", "bw"], ["C3"]),
         helper.make_node("Concat", ["C3", "A"], ["Y"], axis=1)],
        [tensor("X", f32, [1, 4, 6, 5])], [tensor("Y", f32, [1, 8, 6, 5])],
        [bw, lin, gamma, six, zero, pixels] + stats, opset=18)

    # Activations that 16-bit plans keep in 16 bits between convolutions:
    # the SiLU written as x * sigmoid(x) (raising makes it a Swish), a
    # hard swish, a squeeze-and-excitation's hard-sigmoid gate, which an
    # f32 Mul reads, and a concatenation of two convolutions that a third
    # reads (an Inception block's).
    act_rng = np.random.default_rng(12)
    aw = numpy_helper.from_array(act_rng.standard_normal((4, 4, 1, 1)).astype(np.float32), "aw")
    dw = numpy_helper.from_array(act_rng.standard_normal((4, 1, 3, 3)).astype(np.float32), "dw")
    jw = numpy_helper.from_array(act_rng.standard_normal((4, 8, 1, 1)).astype(np.float32), "jw")
    yield "activation-blocks", model(
        [helper.make_node("Conv", ["X", "aw"], ["C1"]),
         helper.make_node("Sigmoid", ["C1"], ["S1"]),
         helper.make_node("Mul", ["C1", "S1"], ["A1"]),
         helper.make_node("Conv", ["A1", "dw"], ["C2"], group=4, pads=[1, 1, 1, 1]),
         helper.make_node("HardSwish", ["C2"], ["A2"]),
         helper.make_node("Conv", ["A2", "aw"], ["C3"]),
         helper.make_node("HardSigmoid", ["C3"], ["G"]),
         helper.make_node("Mul", ["A2", "G"], ["E"]),
         helper.make_node("Conv", ["E", "aw"], ["B1"]),
         helper.make_node("Conv", ["A2", "aw"], ["B2"]),
         helper.make_node("Concat", ["B1", "B2"], ["J"], axis=1),
         helper.make_node("Conv", ["J", "jw"], ["Y"])],
        [tensor("X", f32, [1, 4, 6, 5])], [tensor("Y", f32, [1, 4, 6, 5])],
        [aw, dw, jw], opset=18)

    # CSPDarknet's Mish between convolutions, and ELU, SELU, CELU and
    # Softplus, which kernels run as they are.
    yield "exponential-activation-blocks", model(
        [helper.make_node("Conv", ["X", "aw"], ["C1"]),
         helper.make_node("Mish", ["C1"], ["M"]),
         helper.make_node("Conv", ["M", "dw"], ["C2"], group=4, pads=[1, 1, 1, 1]),
         helper.make_node("Elu", ["C2"], ["E"], alpha=0.5),
         helper.make_node("Selu", ["E"], ["S"]),
         helper.make_node("Celu", ["S"], ["CE"], alpha=2.0),
         helper.make_node("Softplus", ["CE"], ["SP"]),
         helper.make_node("Conv", ["SP", "aw"], ["Y"])],
        [tensor("X", f32, [1, 4, 6, 5])], [tensor("Y", f32, [1, 4, 6, 5])],
        [aw, dw], opset=18)

    # Learned upsampling: ConvTranspose with strides, pads, output padding,
    # groups and dilations, and one sized by output_shape.
    up_w = numpy_helper.from_array(np.random.default_rng(7).standard_normal((4, 3, 3, 3)).astype(np.float32), "uw")
    yield "conv-transpose", model(
        [helper.make_node("ConvTranspose", ["X", "uw"], ["U"], strides=[2, 3], pads=[1, 0, 2, 1],
                          output_padding=[1, 2], group=2, dilations=[1, 2]),
         helper.make_node("ConvTranspose", ["X", "uw"], ["Y"], strides=[2, 2],
                          output_shape=[9, 8], auto_pad="SAME_UPPER")],
        [tensor("X", f32, [1, 4, 4, 3])], [tensor("U", f32, [1, 6, 7, 12]), tensor("Y", f32, [1, 3, 9, 8])],
        [up_w], opset=13)

    # LpPool (opset 18, with ceil mode and dilations) and LRN.
    yield "lp-pool-lrn", model(
        [helper.make_node("LpPool", ["X"], ["P"], kernel_shape=[3, 2], strides=[2, 1],
                          pads=[1, 0, 1, 1], dilations=[1, 2], ceil_mode=1, p=3),
         helper.make_node("LRN", ["P"], ["Y"], size=3, alpha=0.01, beta=0.5, bias=1.5)],
        [tensor("X", f32, [1, 4, 6, 5])], [tensor("Y", f32, [1, 4, 4, 4])], [], opset=18)

    # Circular padding (Pad in wrap mode, opset 19): by more than the size
    # on one axis, a crop on another; and an f64 Softmax in an f32 model.
    wrap_pads = numpy_helper.from_array(np.array([0, 0, 5, -1, 0, 0, 1, 2], np.int64), "wp")
    yield "wrap-pad-double", model(
        [helper.make_node("Pad", ["X", "wp"], ["P"], mode="wrap"),
         helper.make_node("Cast", ["P"], ["D"], to=TensorProto.DOUBLE),
         helper.make_node("Softmax", ["D"], ["S"], axis=-1),
         helper.make_node("Cast", ["S"], ["Y"], to=TensorProto.FLOAT)],
        [tensor("X", f32, [1, 2, 3, 4])], [tensor("Y", f32, [1, 2, 9, 5])], [wrap_pads], opset=19)

    # GridSample (opset 16): bicubic with reflection, and bilinear.
    yield "grid-sample", model(
        [helper.make_node("GridSample", ["X", "G"], ["S"], mode="bicubic",
                          padding_mode="reflection", align_corners=1),
         helper.make_node("GridSample", ["S", "G"], ["Y"])],
        [tensor("X", f32, [1, 2, 4, 5]), tensor("G", f32, [1, 4, 5, 2])],
        [tensor("Y", f32, [1, 2, 4, 5])], [], opset=16)

    # Col2Im (opset 18): strided, dilated, padded blocks.
    yield "col2im", model(
        [helper.make_node("Col2Im", ["X", "image", "block"], ["Y"], strides=[2, 1],
                          dilations=[1, 2], pads=[1, 0, 1, 1])],
        [tensor("X", f32, [1, 12, 3])], [tensor("Y", f32, [1, 2, 5, 4])],
        [numpy_helper.from_array(np.array([5, 4], np.int64), "image"),
         numpy_helper.from_array(np.array([2, 3], np.int64), "block")], opset=18)

    # LayerNormalization (opset 17) and Gemm.
    gamma = numpy_helper.from_array(np.ones(4, dtype=np.float32), "gamma")
    yield "layernorm-gemm", model(
        [helper.make_node("LayerNormalization", ["X", "gamma", ""], ["N"], axis=-1, epsilon=1e-5),
         helper.make_node("Gemm", ["N", "W", "B"], ["Y"], transB=1)],
        [tensor("X", f32, [2, 4])], [tensor("Y", f32, [2, 8])],
        [gamma, weights, bias], opset=17)

    # Where on a folded mask, Equal, Not, Cast, Expand, ConstantOfShape.
    shape = numpy_helper.from_array(np.array([2, 3], dtype=np.int64), "shape")
    yield "mask", model(
        [helper.make_node("ConstantOfShape", ["shape"], ["Z"],
                          value=helper.make_tensor("v", TensorProto.BOOL, [1], [False])),
         helper.make_node("Not", ["Z"], ["NZ"]),
         helper.make_node("Cast", ["NZ"], ["F"], to=TensorProto.FLOAT),
         helper.make_node("Where", ["Z", "X", "F"], ["Y"])],
        [tensor("X", f32, [2, 3])], [tensor("Y", f32, [2, 3])], [shape])

    # Opset 18: ReduceMean axes and Split num_outputs as inputs/attributes,
    # Pad with optional inputs, Slice with steps.
    axes = numpy_helper.from_array(np.array([1], dtype=np.int64), "axes")
    pads = numpy_helper.from_array(np.array([0, 1, 0, 1], dtype=np.int64), "pads")
    starts = numpy_helper.from_array(np.array([0], dtype=np.int64), "starts")
    ends = numpy_helper.from_array(np.array([4], dtype=np.int64), "ends")
    steps = numpy_helper.from_array(np.array([2], dtype=np.int64), "steps")
    yield "opset18", model(
        [helper.make_node("ReduceMean", ["X", "axes"], ["R"], keepdims=1),
         helper.make_node("Split", ["X"], ["A", "Bt"], axis=1, num_outputs=2),
         helper.make_node("Pad", ["A", "pads", ""], ["P"], mode="constant"),
         helper.make_node("Slice", ["P", "starts", "ends", "axes", "steps"], ["Y"])],
        [tensor("X", f32, [2, 4])], [tensor("Y", f32, [2, 2]), tensor("R", f32, [2, 1])],
        [axes, pads, starts, ends, steps], opset=18)

    # Resize as F.interpolate exports it, Tile, Flatten, Squeeze.
    scales = numpy_helper.from_array(np.array([1, 1, 2, 2], dtype=np.float32), "scales")
    reps = numpy_helper.from_array(np.array([1, 1, 1, 2], dtype=np.int64), "reps")
    yield "resize", model(
        [helper.make_node("Resize", ["X", "", "scales"], ["R"], mode="nearest"),
         helper.make_node("Tile", ["R", "reps"], ["T"]),
         helper.make_node("Flatten", ["T"], ["Y"], axis=1)],
        [tensor("X", f32, [1, 2, 3, 3])], [tensor("Y", f32, [1, 72])],
        [scales, reps], opset=13)

    # A Constant node of each attribute kind and a Range.
    yield "constants", model(
        [helper.make_node("Constant", [], ["a"], value_float=2.0),
         helper.make_node("Constant", [], ["b"], value_ints=[1, 2, 3]),
         helper.make_node("Constant", [], ["s"], value_int=0),
         helper.make_node("Constant", [], ["l"], value_int=6),
         helper.make_node("Constant", [], ["d"], value_int=2),
         helper.make_node("Range", ["s", "l", "d"], ["r"]),
         helper.make_node("Cast", ["r"], ["rf"], to=TensorProto.FLOAT),
         helper.make_node("Mul", ["rf", "a"], ["Y"])],
        [], [tensor("Y", f32, [3])])

    # Opset 11: attributes that opset 13 made inputs, Softmax's old axis,
    # Dropout-10's ratio.
    yield "opset11", model(
        [helper.make_node("Unsqueeze", ["X"], ["U"], axes=[1]),
         helper.make_node("Squeeze", ["U"], ["Q"], axes=[1]),
         helper.make_node("Split", ["Q"], ["A", "Bt"], axis=1, split=[1, 3]),
         helper.make_node("ReduceSum", ["Bt"], ["R"], axes=[1], keepdims=1),
         helper.make_node("Softmax", ["Q"], ["S"], axis=1),
         helper.make_node("Dropout", ["S"], ["Y"], ratio=0.25)],
        [tensor("X", f32, [2, 4])], [tensor("Y", f32, [2, 4]), tensor("R", f32, [2, 1])],
        opset=11)

    # Composite ops that onnx-decompose expands, Size and inference Dropout.
    lo = numpy_helper.from_array(np.array(-1, dtype=np.float32), "lo")
    yield "composites", model(
        [helper.make_node("Clip", ["X", "lo", ""], ["C"]),
         helper.make_node("LeakyRelu", ["C"], ["L"], alpha=0.1),
         helper.make_node("Max", ["L", "X", "lo"], ["M"]),
         helper.make_node("CastLike", ["M", "X"], ["CL"]),
         helper.make_node("Dropout", ["CL", "", ""], ["D"]),
         helper.make_node("GlobalAveragePool", ["D"], ["G"]),
         helper.make_node("Size", ["G"], ["Y"])],
        [tensor("X", f32, [1, 2, 3, 3])], [tensor("Y", TensorProto.INT64, [])],
        [lo], opset=15)

    # The classifier head's extras and the composite reductions: LogSoftmax,
    # ArgMax, ReduceMin and ReduceLogSumExp (attribute axes, as up to opset
    # 17), LpNormalization, a 3-D uint8 MaxPool, an AveragePool, a TopK and
    # an Einsum (its equation is a string to parse).
    i64 = TensorProto.INT64
    yield "head-reductions", model(
        [helper.make_node("LogSoftmax", ["X"], ["L"], axis=-1),
         helper.make_node("ArgMax", ["L"], ["A"], axis=1, keepdims=0),
         helper.make_node("ReduceMin", ["X"], ["M"], axes=[0], keepdims=1),
         helper.make_node("ReduceLogSumExp", ["X"], ["E"], axes=[1], keepdims=0),
         helper.make_node("LpNormalization", ["X"], ["N"], axis=1, p=2),
         helper.make_node("MaxPool", ["V"], ["P"], kernel_shape=[2, 2, 2]),
         helper.make_node("AveragePool", ["W"], ["Q"], kernel_shape=[3, 3], strides=[2, 2],
                          pads=[1, 1, 1, 1], ceil_mode=1),
         helper.make_node("TopK", ["X", "k"], ["TV", "TI"], axis=1),
         helper.make_node("Einsum", ["X", "X"], ["G"], equation="...j, kj -> ...k")],
        [tensor("X", f32, [2, 5]), tensor("V", TensorProto.UINT8, [1, 1, 2, 4, 4]),
         tensor("W", f32, [1, 2, 5, 6])],
        [tensor("A", i64, [2]), tensor("M", f32, [1, 5]), tensor("E", f32, [2]),
         tensor("N", f32, [2, 5]), tensor("P", TensorProto.UINT8, [1, 1, 1, 3, 3]),
         tensor("Q", f32, [1, 2, 3, 4]), tensor("TV", f32, [2, 3]), tensor("TI", i64, [2, 3]),
         tensor("G", f32, [2, 2])],
        [numpy_helper.from_array(np.array([3], dtype=np.int64), "k")], opset=13)

    # Normalizations of other backbones and transformers, and predicates.
    scale = numpy_helper.from_array(np.ones(4, dtype=np.float32), "gs")
    shift = numpy_helper.from_array(np.zeros(4, dtype=np.float32), "gb")
    rms_scale = numpy_helper.from_array(np.ones((4, 1, 1), dtype=np.float32), "rs")
    yield "normalizations", model(
        [helper.make_node("GroupNormalization", ["X", "gs", "gb"], ["G"], num_groups=2),
         helper.make_node("InstanceNormalization", ["G", "gs", "gb"], ["I"]),
         helper.make_node("Mish", ["I"], ["M"]),
         helper.make_node("RMSNormalization", ["M", "rs"], ["R"], axis=1),
         helper.make_node("IsNaN", ["R"], ["Nan"]),
         helper.make_node("Xor", ["Nan", "Nan"], ["Y"])],
        [tensor("X", f32, [1, 4, 2, 2])], [tensor("Y", TensorProto.BOOL, [1, 4, 2, 2])],
        [scale, shift, rms_scale], opset=23)

    # Attention as torch's dynamo exporter writes scaled_dot_product_attention
    # (opset 23 and on): 3-D with grouped queries, a bool mask shorter than
    # the keys, the causal frontier after a key cache, a softcap, and the
    # present keys and scores returned; opset 25's sliding window.
    yield "sdpa", model(
        [helper.make_node("Attention", ["Q", "K", "V", "M", "PK", "PV"],
                          ["Y", "PKo", "PVo", "S"], q_num_heads=4, kv_num_heads=2,
                          is_causal=1, softcap=5.0, qk_matmul_output_mode=2,
                          left_window_size=3)],
        [tensor("Q", f32, [1, 3, 8]), tensor("K", f32, [1, 3, 4]), tensor("V", f32, [1, 3, 6]),
         tensor("M", TensorProto.BOOL, [3, 4]), tensor("PK", f32, [1, 2, 2, 2]),
         tensor("PV", f32, [1, 2, 2, 3])],
        [tensor("Y", f32, [1, 3, 12]), tensor("PKo", f32, [1, 2, 5, 2]),
         tensor("PVo", f32, [1, 2, 5, 3]), tensor("S", f32, [1, 4, 3, 5])], opset=25)

    # A self-attention block as torch 2.x exports nn.MultiheadAttention with
    # need_weights=False at opset 23: projections, heads split to
    # [B, H, S, dh], Attention with a key padding mask [B, 1, 1, S], heads
    # merged and projected (raised to intr.mha).
    w = [numpy_helper.from_array(rng.standard_normal((4, 4)).astype(np.float32), n)
         for n in ("Wq", "Wk", "Wv", "Wo")]
    b = [numpy_helper.from_array(rng.standard_normal(4).astype(np.float32), n)
         for n in ("bq", "bk", "bv", "bo")]
    shapes = [numpy_helper.from_array(np.array(s, dtype=np.int64), n) for n, s in
              (("heads", [3, 4, 2]), ("images", [2, 2, 3, 2]), ("rows", [6, 4]),
               ("tokens", [3, 2, 4]))]
    pad = numpy_helper.from_array(
        np.array([0, 0, 0, 0, 0, -np.inf], dtype=np.float32).reshape(2, 1, 1, 3), "pad")
    split = []
    for part in "qkv":
        split += [helper.make_node("MatMul", ["X", "W" + part], [part + "m"]),
                  helper.make_node("Add", [part + "m", "b" + part], [part + "p"]),
                  helper.make_node("Reshape", [part + "p", "heads"], [part + "r"]),
                  helper.make_node("Transpose", [part + "r"], [part + "t"], perm=[1, 0, 2]),
                  helper.make_node("Reshape", [part + "t", "images"], [part + "4"])]
    yield "sdpa-block", model(
        split + [helper.make_node("Attention", ["q4", "k4", "v4", "pad"], ["A"]),
                 helper.make_node("Transpose", ["A"], ["At"], perm=[2, 0, 1, 3]),
                 helper.make_node("Reshape", ["At", "rows"], ["Ar"]),
                 helper.make_node("Gemm", ["Ar", "Wo", "bo"], ["G"], transB=1),
                 helper.make_node("Reshape", ["G", "tokens"], ["Y"])],
        [tensor("X", f32, [3, 2, 4])], [tensor("Y", f32, [3, 2, 4])],
        w + b + shapes + [pad], opset=23)

    # Sequences, resolved at import: torch.split without the exporter's
    # optimizer (SplitToSequence, SequenceAt), rebuilt and concatenated.
    pos = numpy_helper.from_array(np.array(-1, dtype=np.int64), "pos")
    yield "sequence", model(
        [helper.make_node("SplitToSequence", ["X"], ["S"], axis=1, keepdims=0),
         helper.make_node("SequenceAt", ["S", "pos"], ["Last"]),
         helper.make_node("SequenceInsert", ["S", "Last"], ["S2"]),
         helper.make_node("SequenceErase", ["S2", "pos"], ["S3"]),
         helper.make_node("ConcatFromSequence", ["S3"], ["Y"], axis=0, new_axis=1)],
        [tensor("X", f32, [2, 3])], [tensor("Y", f32, [3, 2])], [pos], opset=13)

    # Writes into tensors: ScatterND of rows and ScatterElements with a
    # reduction, on runtime indices.
    yield "scatter", model(
        [helper.make_node("ScatterND", ["X", "R", "U"], ["N"]),
         helper.make_node("ScatterElements", ["N", "I", "V"], ["Y"], axis=1,
                          reduction="add")],
        [tensor("X", f32, [3, 4]), tensor("R", TensorProto.INT64, [2, 1]),
         tensor("U", f32, [2, 4]), tensor("I", TensorProto.INT64, [3, 2]),
         tensor("V", f32, [3, 2])],
        [tensor("Y", f32, [3, 4])], opset=18)

    # Trilu: an upper triangle with a constant k (folded mask) and a lower
    # one with k given at run time.
    one = numpy_helper.from_array(np.array(1, dtype=np.int64), "one")
    yield "trilu", model(
        [helper.make_node("Trilu", ["X", "one"], ["U"]),
         helper.make_node("Trilu", ["U", "K"], ["Y"], upper=0)],
        [tensor("X", f32, [2, 3, 4]), tensor("K", TensorProto.INT64, [])],
        [tensor("Y", f32, [2, 3, 4])], [one], opset=14)

    # Mod: of runtime integers (Python's sign, expanded) and of a shape
    # (folded), as ONNX's own function bodies compute head counts.
    yield "mod", model(
        [helper.make_node("Mod", ["I", "J"], ["R"]),
         helper.make_node("Shape", ["I"], ["S"]),
         helper.make_node("Mod", ["S", "S"], ["Z"], fmod=1),
         helper.make_node("Add", ["R", "Z"], ["Y"])],
        [tensor("I", TensorProto.INT64, [4]), tensor("J", TensorProto.INT64, [4])],
        [tensor("Y", TensorProto.INT64, [4])], opset=13)

    # GatherElements (torch.gather) and DepthToSpace, Round and Atan.
    yield "gather-elements", model(
        [helper.make_node("GatherElements", ["X", "I"], ["G"], axis=1),
         helper.make_node("DepthToSpace", ["G"], ["D"], blocksize=2, mode="CRD"),
         helper.make_node("Round", ["D"], ["R"]),
         helper.make_node("Atan", ["R"], ["Y"])],
        [tensor("X", f32, [1, 8, 2, 2]), tensor("I", TensorProto.INT64, [1, 4, 2, 2])],
        [tensor("Y", f32, [1, 1, 4, 4])], opset=13)

    # Resize of opset 19: cubic, antialias, a crop with its roi and
    # extrapolation, the aspect kept.
    yield "resize-crop", model(
        [helper.make_node("Resize", ["X", "roi", "", "sizes"], ["Y"], mode="cubic",
                          coordinate_transformation_mode="tf_crop_and_resize",
                          antialias=1, exclude_outside=1, extrapolation_value=-1.0,
                          keep_aspect_ratio_policy="not_larger", axes=[2, 3])],
        [tensor("X", f32, [1, 2, 7, 9])], [tensor("Y", f32, [1, 2, 4, 5])],
        [numpy_helper.from_array(np.array([0.1, -0.2, 0.9, 1.1], np.float32), "roi"),
         numpy_helper.from_array(np.array([4, 20], np.int64), "sizes")], opset=19)

    # A model exported in double: f64 input, weights and output.
    f64 = TensorProto.DOUBLE
    yield "double", model(
        [helper.make_node("MatMul", ["X", "W64"], ["M"]),
         helper.make_node("Add", ["M", "B64"], ["A"]),
         helper.make_node("Relu", ["A"], ["Y"])],
        [tensor("X", f64, [2, 3])], [tensor("Y", f64, [2, 2])],
        [numpy_helper.from_array(rng.standard_normal((3, 2)), "W64"),
         numpy_helper.from_array(np.array([0.1, -1.0e300]), "B64")])

    # A model quantized in QDQ form: an activation's round trip (uint8),
    # int8 convolution weights per output channel, an int32 bias, and a
    # blocked DequantizeLinear (opset 21).
    q_rng = np.random.default_rng(13)
    qw = numpy_helper.from_array(q_rng.integers(-127, 128, (4, 3, 3, 3)).astype(np.int8), "qw")
    qws = numpy_helper.from_array(np.linspace(0.01, 0.04, 4).astype(np.float32), "qws")
    qwz = numpy_helper.from_array(np.zeros(4, np.int8), "qwz")
    qb = numpy_helper.from_array(np.array([5, -7, 0, 1000], np.int32), "qb")
    qbs = numpy_helper.from_array(np.array(0.002, np.float32), "qbs")
    xs = numpy_helper.from_array(np.array(0.05, np.float32), "xs")
    xz = numpy_helper.from_array(np.array(128, np.uint8), "xz")
    blocks = numpy_helper.from_array(q_rng.integers(-100, 100, (4, 5)).astype(np.int8), "blk")
    blocks_scale = numpy_helper.from_array(np.array([[0.1, 0.2, 0.3]] * 4, np.float32), "blks")
    yield "quantized", model(
        [helper.make_node("QuantizeLinear", ["X", "xs", "xz"], ["Xq"]),
         helper.make_node("DequantizeLinear", ["Xq", "xs", "xz"], ["Xd"]),
         helper.make_node("DequantizeLinear", ["qw", "qws", "qwz"], ["W"], axis=0),
         helper.make_node("DequantizeLinear", ["qb", "qbs"], ["B"]),
         helper.make_node("Conv", ["Xd", "W", "B"], ["Y"], pads=[1, 1, 1, 1]),
         helper.make_node("DequantizeLinear", ["blk", "blks"], ["Z"], block_size=2)],
        [tensor("X", f32, [1, 3, 6, 6])],
        [tensor("Y", f32, [1, 4, 6, 6]), tensor("Z", f32, [4, 5])],
        [qw, qws, qwz, qb, qbs, xs, xz, blocks, blocks_scale], opset=21)

    # A model quantized dynamically: DynamicQuantizeLinear before an
    # integer product with a constant int8 weight (per column zero points)
    # and a convolution of int8 filters (per filter zero points), as
    # onnxruntime's quantize_dynamic writes them.
    mw = numpy_helper.from_array(q_rng.integers(-128, 128, (300, 4)).astype(np.int8), "mw")
    mwz = numpy_helper.from_array(np.array([0, 3, -2, 127], np.int8), "mwz")
    cw = numpy_helper.from_array(q_rng.integers(-128, 128, (2, 3, 3, 3)).astype(np.int8), "cw")
    cwz = numpy_helper.from_array(np.array([1, -1], np.int8), "cwz")
    yield "dynamic-quantized", model(
        [helper.make_node("DynamicQuantizeLinear", ["X"], ["Xq", "Xs", "Xz"]),
         helper.make_node("MatMulInteger", ["Xq", "mw", "Xz", "mwz"], ["M"]),
         helper.make_node("Cast", ["M"], ["Mf"], to=f32),
         helper.make_node("Mul", ["Mf", "Xs"], ["Y"]),
         helper.make_node("DynamicQuantizeLinear", ["I"], ["Iq", "Is", "Iz"]),
         helper.make_node("ConvInteger", ["Iq", "cw", "Iz", "cwz"], ["C"],
                          pads=[1, 1, 1, 1]),
         helper.make_node("Cast", ["C"], ["Z"], to=f32)],
        [tensor("X", f32, [2, 300]), tensor("I", f32, [1, 3, 5, 5])],
        [tensor("Y", f32, [2, 4]), tensor("Z", f32, [1, 2, 5, 5])],
        [mw, mwz, cw, cwz], opset=11)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "fuzz/corpus/import"
    os.makedirs(out, exist_ok=True)
    for name, m in seeds():
        # Older onnx packages do not know opset 18's signatures.
        if m.opset_import[0].version <= onnx.defs.onnx_opset_version():
            onnx.checker.check_model(m)
        path = os.path.join(out, name + ".onnx")
        with open(path, "wb") as f:
            f.write(m.SerializeToString())
        print(path, os.path.getsize(path), "bytes")


if __name__ == "__main__":
    main()
