#!/usr/bin/env python3
"""Writes node tests for the composite ops and TopK, with PyTorch's outputs
as goldens.

ONNX 1.12's node tests (Debian's libonnx-testdata, run in CI) have nothing
for several ops that `onnx-decompose` expands (GroupNormalization,
RMSNormalization, Mish, Swish, LpNormalization) and little on the cases
where an expansion could go wrong: NaN and ties in ArgMax, bool and uint8
ReduceMin, infinities in ReduceLogSumExp, 3-D max pooling with pads,
dilations and ceil mode, and TopK. Each test here is one small model built with
onnx.helper, its inputs, and the outputs that the matching PyTorch function
gives on them, in the node-test layout that intr-conformance reads:

    test_NAME/model.onnx
    test_NAME/test_data_set_0/input_K.pb, output_K.pb

Dev time only (needs torch 2.x and onnx); the outputs are committed in
test/conformance/torch-goldens/:

    /opt/torch2/bin/python python/reference/make_op_tests.py test/conformance/torch-goldens
"""

import os
import shutil
import sys

import numpy as np
import onnx
import torch
import torch.nn.functional as F
from onnx import TensorProto, helper, numpy_helper

ONNX_TYPES = {
    np.dtype(np.float32): TensorProto.FLOAT,
    np.dtype(np.int64): TensorProto.INT64,
    np.dtype(np.int32): TensorProto.INT32,
    np.dtype(np.int8): TensorProto.INT8,
    np.dtype(np.uint8): TensorProto.UINT8,
    np.dtype(np.bool_): TensorProto.BOOL,
}


def t(array):
    return torch.from_numpy(np.ascontiguousarray(array))


def dynamo_export(name, module, args, **options):
    """`module` exported by torch's dynamo exporter (through $TMPDIR/name.onnx),
    as a user would export it; `options` go to torch.onnx.export."""
    path = os.path.join(os.environ.get("TMPDIR", "/tmp"), name + ".onnx")
    torch.onnx.export(module, args, path, dynamo=True, **options)
    return onnx.load(path)


def case(name, nodes, inputs, outputs, opset, initializers=(), check=True):
    """A test: `inputs` and `outputs` map names to numpy arrays (outputs
    computed by PyTorch), `initializers` are numpy arrays by name. `check`
    False skips onnx's checker (which refuses deprecated op versions)."""
    def info(values):
        return [helper.make_tensor_value_info(n, ONNX_TYPES[a.dtype], a.shape)
                for n, a in values.items()]
    graph = helper.make_graph(
        nodes, name, info(inputs), info(outputs),
        [numpy_helper.from_array(a, n) for n, a in dict(initializers).items()])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 8 if opset < 21 else 10
    if check:
        onnx.checker.check_model(model)
    return name, model, inputs, outputs


def cases():
    # One generator for all: a new case goes at the end, so that the inputs
    # of the others, drawn before it, stay the same.
    rng = np.random.default_rng(0)

    def normal(*shape, scale=1.0):
        return (rng.standard_normal(shape) * scale).astype(np.float32)

    # LogSoftmax along a middle axis, with large values (a naive log of the
    # softmax would overflow).
    x = normal(3, 5, 4, scale=30)
    yield case("log_softmax_axis1", [helper.make_node("LogSoftmax", ["x"], ["y"], axis=1)],
               {"x": x}, {"y": F.log_softmax(t(x), dim=1).numpy()}, 13)

    # ArgMax with ties (the first wins) and NaN (it counts as the maximum,
    # the first NaN wins), as a classifier head's prediction.
    x = np.round(normal(4, 6, scale=2)).astype(np.float32)
    x[0, 1] = x[0, 4] = 9
    x[2, 3] = x[2, 5] = np.nan
    yield case("argmax_ties_nan", [helper.make_node("ArgMax", ["x"], ["y"], axis=1, keepdims=0)],
               {"x": x}, {"y": torch.argmax(t(x), dim=1).numpy()}, 13)

    # ArgMin of integers down axis 0, the last of ties, keeping the axis.
    x = rng.integers(-128, 128, size=(5, 7)).astype(np.int32)
    x[1, 2] = x[3, 2] = x[4, 2] = -1000
    x[0, 0] = -2147483648  # the minimum: turning it around must not overflow
    last = x.shape[0] - 1 - torch.argmin(torch.flip(t(x), [0]), dim=0, keepdim=True)
    yield case("argmin_last_int32",
               [helper.make_node("ArgMin", ["x"], ["y"], axis=0, keepdims=1, select_last_index=1)],
               {"x": x}, {"y": last.numpy()}, 13)

    # Hardmax: one-hot of the first maximum.
    x = np.round(normal(3, 5, scale=2)).astype(np.float32)
    x[1, 0] = x[1, 3] = 7
    one_hot = F.one_hot(torch.argmax(t(x), dim=-1), 5).to(torch.float32)
    yield case("hardmax_ties", [helper.make_node("Hardmax", ["x"], ["y"])],
               {"x": x}, {"y": one_hot.numpy()}, 13)

    # ReduceMin of bool (opset 20: `and`) and of uint8 (255 - x turned back).
    b = rng.random((3, 4)) < 0.7
    b[0, :] = True
    axes = np.array([1], dtype=np.int64)
    yield case("reduce_min_bool",
               [helper.make_node("ReduceMin", ["x", "axes"], ["y"], keepdims=0)],
               {"x": b}, {"y": torch.all(t(b), dim=1).numpy()}, 20, {"axes": axes})
    u = rng.integers(0, 256, size=(2, 3, 4)).astype(np.uint8)
    u[0, 0, 0] = 0
    u[1, 2, :] = 255
    yield case("reduce_min_uint8",
               [helper.make_node("ReduceMin", ["x"], ["y"], axes=[0, 2], keepdims=1)],
               {"x": u}, {"y": torch.amin(t(u), dim=(0, 2), keepdim=True).numpy()}, 13)

    # ReduceLogSumExp with large values, -inf entries and a row of -inf.
    x = normal(4, 6, scale=40)
    x[1, 2] = -np.inf
    x[3, :] = -np.inf
    yield case("reduce_log_sum_exp_inf",
               [helper.make_node("ReduceLogSumExp", ["x"], ["y"], axes=[1], keepdims=0)],
               {"x": x}, {"y": torch.logsumexp(t(x), dim=1).numpy()}, 13)

    # ReduceL2 over two axes; LpNormalization with p = 1 (F.normalize).
    x = normal(2, 3, 4)
    yield case("reduce_l2_axes",
               [helper.make_node("ReduceL2", ["x"], ["y"], axes=[0, 2], keepdims=1)],
               {"x": x}, {"y": torch.linalg.vector_norm(t(x), dim=(0, 2), keepdim=True).numpy()}, 13)
    yield case("lp_normalization_p1",
               [helper.make_node("LpNormalization", ["x"], ["y"], axis=1, p=1)],
               {"x": x}, {"y": F.normalize(t(x), p=1, dim=1).numpy()}, 13)

    # The normalizations of other backbones and transformers.
    x = normal(2, 6, 5, 4, scale=3) + 1
    w = normal(6) + 1
    bias = normal(6)
    yield case("instance_normalization",
               [helper.make_node("InstanceNormalization", ["x", "w", "b"], ["y"], epsilon=1e-3)],
               {"x": x}, {"y": F.instance_norm(t(x), weight=t(w), bias=t(bias), eps=1e-3).numpy()},
               13, {"w": w, "b": bias})
    yield case("group_normalization_per_channel",
               [helper.make_node("GroupNormalization", ["x", "w", "b"], ["y"], num_groups=3,
                                 epsilon=1e-4)],
               {"x": x}, {"y": F.group_norm(t(x), 3, t(w), t(bias), eps=1e-4).numpy()},
               21, {"w": w, "b": bias})
    gw, gb = normal(3) + 1, normal(3)
    grouped = F.group_norm(t(x), 3, eps=1e-5).reshape(2, 3, -1) * t(gw)[:, None] + t(gb)[:, None]
    # Opset 18's version, deprecated by 21 (the checker refuses it), which
    # exporters and converters still write.
    yield case("group_normalization_per_group",
               [helper.make_node("GroupNormalization", ["x", "w", "b"], ["y"], num_groups=3)],
               {"x": x}, {"y": grouped.reshape(x.shape).numpy()}, 18, {"w": gw, "b": gb},
               check=False)
    rw = normal(5, 4) + 1
    yield case("rms_normalization",
               [helper.make_node("RMSNormalization", ["x", "w"], ["y"], axis=2, epsilon=1e-6)],
               {"x": x}, {"y": F.rms_norm(t(x), (5, 4), weight=t(rw), eps=1e-6).numpy()},
               23, {"w": rw})
    mean = t(x).mean(dim=(0, 2, 3), keepdim=True)
    deviation = t(x).std(dim=(0, 2, 3), keepdim=True, unbiased=False)
    yield case("mean_variance_normalization",
               [helper.make_node("MeanVarianceNormalization", ["x"], ["y"])],
               {"x": x}, {"y": ((t(x) - mean) / (deviation + 1e-9)).numpy()}, 13)

    # Activations, over a range where 1 + exp(x) rounds most of exp(x) away.
    x = normal(3, 7, scale=6)
    x[0, :] = [-30, -20, -17, -15, -12, -9, -1e-3]
    yield case("mish_softplus",
               [helper.make_node("Mish", ["x"], ["y"]), helper.make_node("Softplus", ["x"], ["z"])],
               {"x": x}, {"y": F.mish(t(x)).numpy(), "z": F.softplus(t(x)).numpy()}, 18)
    yield case("swish_alpha", [helper.make_node("Swish", ["x"], ["y"], alpha=1.702)],
               {"x": x}, {"y": (t(x) * torch.sigmoid(1.702 * t(x))).numpy()}, 24)
    yield case("shrink_soft_hard",
               [helper.make_node("Shrink", ["x"], ["s"], lambd=1.5, bias=1.5),
                helper.make_node("Shrink", ["x"], ["h"], lambd=2.0)],
               {"x": x}, {"s": F.softshrink(t(x), 1.5).numpy(), "h": F.hardshrink(t(x), 2.0).numpy()},
               13)

    # Predicates and Sign, with infinities and NaN (but not in Sign's input:
    # torch.sign(NaN) is 0, ONNX's, as numpy's, NaN).
    x = np.array([[1.5, -np.inf, np.nan, 0.0], [np.inf, -2.0, -0.0, 3.0]], dtype=np.float32)
    s = np.nan_to_num(x, nan=-7.0)
    a = np.array([[True, False, True, False], [True, True, False, False]])
    yield case("predicates_sign",
               [helper.make_node("IsNaN", ["x"], ["nan"]),
                helper.make_node("IsInf", ["x"], ["inf"]),
                helper.make_node("IsInf", ["x"], ["neg_inf"], detect_positive=0),
                helper.make_node("Sign", ["s"], ["sign"]),
                helper.make_node("Xor", ["a", "nan"], ["xor"])],
               {"x": x, "s": s, "a": a},
               {"nan": torch.isnan(t(x)).numpy(), "inf": torch.isinf(t(x)).numpy(),
                "neg_inf": torch.isneginf(t(x)).numpy(), "sign": torch.sign(t(s)).numpy(),
                "xor": torch.logical_xor(t(a), torch.isnan(t(x))).numpy()}, 20)

    # 3-D max pooling with pads, strides, dilations and ceil mode.
    x = normal(1, 2, 7, 8, 9)
    pooled = F.max_pool3d(t(x), kernel_size=(3, 2, 3), stride=(2, 2, 3), padding=(1, 0, 1),
                          dilation=(1, 2, 1), ceil_mode=True)
    yield case("max_pool_3d_ceil",
               [helper.make_node("MaxPool", ["x"], ["y"], kernel_shape=[3, 2, 3],
                                 strides=[2, 2, 3], pads=[1, 0, 1, 1, 0, 1], dilations=[1, 2, 1],
                                 ceil_mode=1)],
               {"x": x}, {"y": pooled.numpy()}, 12)

    # Average pooling, as the downsampling of ResNet-D style backbones: the
    # pads counted or not, ceil mode (the windows it adds count only what
    # they cover), 1-D, 2-D and 3-D.
    x = normal(2, 3, 9, 10)
    for include in (0, 1):
        pooled = F.avg_pool2d(t(x), kernel_size=3, stride=2, padding=1, ceil_mode=True,
                              count_include_pad=bool(include))
        yield case(f"average_pool_2d_ceil_pads_include_{include}",
                   [helper.make_node("AveragePool", ["x"], ["y"], kernel_shape=[3, 3],
                                     strides=[2, 2], pads=[1, 1, 1, 1], ceil_mode=1,
                                     count_include_pad=include)],
                   {"x": x}, {"y": pooled.numpy()}, 19)
    x = normal(2, 4, 11)
    yield case("average_pool_1d",
               [helper.make_node("AveragePool", ["x"], ["y"], kernel_shape=[4], strides=[3],
                                 pads=[2, 2])],
               {"x": x}, {"y": F.avg_pool1d(t(x), 4, stride=3, padding=2,
                                             count_include_pad=False).numpy()}, 19)
    x = normal(1, 2, 5, 6, 7)
    pooled = F.avg_pool3d(t(x), kernel_size=(2, 3, 3), stride=(1, 2, 2), padding=(1, 1, 0),
                          ceil_mode=True, count_include_pad=True)
    yield case("average_pool_3d_ceil_include",
               [helper.make_node("AveragePool", ["x"], ["y"], kernel_shape=[2, 3, 3],
                                 strides=[1, 2, 2], pads=[1, 1, 0, 1, 1, 0], ceil_mode=1,
                                 count_include_pad=1)],
               {"x": x}, {"y": pooled.numpy()}, 19)

    # 8-bit max pooling (PyTorch pools the f32 values; they are exact).
    x = rng.integers(-128, 128, size=(1, 3, 6, 6)).astype(np.int8)
    pooled = F.max_pool2d(t(x).to(torch.float32), kernel_size=3, stride=2, padding=1).to(torch.int8)
    yield case("max_pool_2d_int8",
               [helper.make_node("MaxPool", ["x"], ["y"], kernel_shape=[3, 3], strides=[2, 2],
                                 pads=[1, 1, 1, 1])],
               {"x": x}, {"y": pooled.numpy()}, 12)

    # TopK as a top-5 head over 200 classes (NaN ranks first, as in
    # torch.topk), and the smallest down axis 0. Distinct values: PyTorch
    # does not promise an order among ties.
    x = normal(4, 200, scale=4)
    x[2, 17] = np.nan
    k = np.array([5], dtype=np.int64)
    values, indices = torch.topk(t(x), 5, dim=-1)
    yield case("top_k_head",
               [helper.make_node("TopK", ["x", "k"], ["values", "indices"])],
               {"x": x}, {"values": values.numpy(), "indices": indices.numpy()}, 11, {"k": k})
    x = normal(6, 3)
    values, indices = torch.topk(t(x), 4, dim=0, largest=False)
    yield case("top_k_smallest_axis0",
               [helper.make_node("TopK", ["x", "k"], ["values", "indices"], axis=0, largest=0)],
               {"x": x}, {"values": values.numpy(), "indices": indices.numpy()}, 11,
               {"k": np.array([4], dtype=np.int64)})


    # Einsum as research code writes attention and projections with it:
    # scores, weighted values (explicit outputs), a projection over `...`,
    # an implicit output, an outer product, a transpose with a sum.
    q, k, v = normal(2, 4, 5, 8), normal(2, 4, 6, 8), normal(2, 4, 6, 8)
    scores = torch.einsum("bhqd,bhkd->bhqk", t(q), t(k))
    yield case("einsum_attention_scores",
               [helper.make_node("Einsum", ["q", "k"], ["s"], equation="bhqd,bhkd->bhqk")],
               {"q": q, "k": k}, {"s": scores.numpy()}, 12)
    p = F.softmax(scores, dim=-1).numpy()
    yield case("einsum_attention_values",
               [helper.make_node("Einsum", ["p", "v"], ["o"], equation="bhqk, bhkd -> bqhd")],
               {"p": p, "v": v}, {"o": torch.einsum("bhqk,bhkd->bqhd", t(p), t(v)).numpy()}, 12)
    x, w = normal(2, 3, 5, 8), normal(8, 6)
    yield case("einsum_ellipsis_projection",
               [helper.make_node("Einsum", ["x", "w"], ["y"], equation="...i,io->...o")],
               {"x": x}, {"y": torch.einsum("...i,io->...o", t(x), t(w)).numpy()}, 12, {"w": w})
    a, b = normal(3, 4), normal(4, 5)
    yield case("einsum_implicit_matmul",
               [helper.make_node("Einsum", ["a", "b"], ["c"], equation="ij,jk")],
               {"a": a, "b": b}, {"c": torch.einsum("ij,jk", t(a), t(b)).numpy()}, 12)
    u, z = normal(4), normal(3)
    yield case("einsum_outer",
               [helper.make_node("Einsum", ["u", "z"], ["o"], equation="i,j->ij")],
               {"u": u, "z": z}, {"o": torch.einsum("i,j->ij", t(u), t(z)).numpy()}, 12)
    x = normal(2, 3, 4)
    yield case("einsum_transpose_sum",
               [helper.make_node("Einsum", ["x"], ["y"], equation="bij->jb")],
               {"x": x}, {"y": torch.einsum("bij->jb", t(x)).numpy()}, 12)

    # Attention (opset 23) against torch's scaled_dot_product_attention: a
    # causal cross-attention (more keys than queries), a bool and a float
    # mask with a scale, grouped queries, the 3-D form, a softcap (torch's
    # formula), and a key cache with the causal frontier after the past.
    def sdpa(q, k, v, **kwargs):
        return F.scaled_dot_product_attention(t(q), t(k), t(v), **kwargs).numpy()

    q, k, v = normal(2, 4, 5, 8), normal(2, 4, 7, 8), normal(2, 4, 7, 8)
    yield case("attention_4d_causal",
               [helper.make_node("Attention", ["q", "k", "v"], ["y"], is_causal=1)],
               {"q": q, "k": k, "v": v}, {"y": sdpa(q, k, v, is_causal=True)}, 23)
    keep = rng.random((2, 1, 5, 7)) < 0.7
    keep[..., 0] = True  # no query without keys (torch gives NaN there)
    yield case("attention_4d_bool_mask",
               [helper.make_node("Attention", ["q", "k", "v", "m"], ["y"])],
               {"q": q, "k": k, "v": v, "m": keep},
               {"y": sdpa(q, k, v, attn_mask=t(keep))}, 23)
    bias = normal(5, 7)
    yield case("attention_4d_float_mask_scale",
               [helper.make_node("Attention", ["q", "k", "v", "m"], ["y"], scale=0.3)],
               {"q": q, "k": k, "v": v, "m": bias},
               {"y": sdpa(q, k, v, attn_mask=t(bias), scale=0.3)}, 23)
    gq, gk, gv = normal(1, 8, 5, 16), normal(1, 2, 6, 16), normal(1, 2, 6, 16)
    yield case("attention_4d_grouped_queries",
               [helper.make_node("Attention", ["q", "k", "v"], ["y"])],
               {"q": gq, "k": gk, "v": gv}, {"y": sdpa(gq, gk, gv, enable_gqa=True)}, 23)
    fq, fk, fv = normal(2, 5, 32), normal(2, 6, 32), normal(2, 6, 16)
    def heads(x, h):
        return x.reshape(x.shape[0], x.shape[1], h, -1).transpose(0, 2, 1, 3)
    flat = sdpa(heads(fq, 4), heads(fk, 4), heads(fv, 4))
    yield case("attention_3d_heads",
               [helper.make_node("Attention", ["q", "k", "v"], ["y"],
                                 q_num_heads=4, kv_num_heads=4)],
               {"q": fq, "k": fk, "v": fv},
               {"y": flat.transpose(0, 2, 1, 3).reshape(2, 5, 16)}, 23)
    scores = t(q) @ t(k).transpose(-1, -2) / np.sqrt(8.0)
    capped = 2.0 * torch.tanh(scores / 2.0)
    yield case("attention_4d_softcap",
               [helper.make_node("Attention", ["q", "k", "v"], ["y"], softcap=2.0)],
               {"q": q, "k": k, "v": v},
               {"y": (F.softmax(capped, dim=-1) @ t(v)).numpy()}, 23)
    pk, pv = normal(2, 4, 3, 8), normal(2, 4, 3, 8)
    ck, cv = np.concatenate([pk, k], 2), np.concatenate([pv, v], 2)
    frontier = np.arange(10)[None, :] <= np.arange(5)[:, None] + 3
    yield case("attention_4d_past_causal",
               [helper.make_node("Attention", ["q", "k", "v", "", "pk", "pv"],
                                 ["y", "present_k", "present_v"], is_causal=1)],
               {"q": q, "k": k, "v": v, "pk": pk, "pv": pv},
               {"y": sdpa(q, ck, cv, attn_mask=t(frontier)), "present_k": ck,
                "present_v": cv}, 23)

    # What torch's dynamo exporter itself writes for a self-attention block
    # that calls scaled_dot_product_attention (opset 23: one Attention node
    # between the projections), with its PyTorch output.
    class Block(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.qkv = torch.nn.Linear(32, 96)
            self.out = torch.nn.Linear(32, 32)

        def forward(self, x):
            b, n, _ = x.shape
            q, k, v = self.qkv(x).reshape(b, n, 3, 4, 8).permute(2, 0, 3, 1, 4)
            y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
            return self.out(y.transpose(1, 2).reshape(b, n, 32))

    torch.manual_seed(0)
    block = Block().eval()
    x = normal(2, 6, 32)
    with torch.no_grad():
        expected = block(t(x)).numpy()
    exported = dynamo_export("intr_sdpa_block", block, (t(x),),
                             opset_version=23, input_names=["x"], output_names=["y"])
    assert "Attention" in [n.op_type for n in exported.graph.node]
    yield "attention_torch_export", exported, {"x": x}, {"y": expected}

    # What torch's dynamo exporter writes for in-place writes into tensors
    # (ScatterND for slice assignment and index_put, ScatterElements for
    # select_scatter, scatter_add and scatter_reduce), with runtime indices.
    class Writes(torch.nn.Module):
        def forward(self, x, index):
            y = x.clone()
            y[:, 1:3] = x[:, 1:3] * 2
            y[0] = 0
            y[:, [0, 4]] = -1.0
            added = torch.zeros_like(x).scatter_add(1, index, x)
            peaks = x.scatter_reduce(1, index, x * 3, reduce="amax")
            return y + added + peaks

    x = normal(3, 5)
    index = np.array([[0, 1, 1, 3, 0], [2, 2, 4, 1, 0], [4, 3, 2, 1, 0]], np.int64)
    with torch.no_grad():
        expected = Writes().eval()(t(x), torch.from_numpy(index)).numpy()
    exported = dynamo_export("intr_scatter", Writes().eval(), (t(x), torch.from_numpy(index)),
                             opset_version=18, input_names=["x", "index"], output_names=["y"])
    ops = [n.op_type for n in exported.graph.node]
    assert "ScatterND" in ops and "ScatterElements" in ops, ops
    yield "scatter_torch_export", exported, {"x": x, "index": index}, {"y": expected}

    # Indexing with several index tensors, as torch's dynamo exporter writes
    # it (GatherND).
    class Picks(torch.nn.Module):
        def forward(self, x, rows, cols):
            return x[rows, cols] * 2 + x[rows][:, :, 0]

    x = normal(4, 3, 5)
    rows = np.array([[3, 0], [-1, 2]], np.int64)
    cols = np.array([[1, 2], [0, -3]], np.int64)
    with torch.no_grad():
        expected = Picks().eval()(t(x), torch.from_numpy(rows), torch.from_numpy(cols)).numpy()
    exported = dynamo_export("intr_gather_nd", Picks().eval(),
                             (t(x), torch.from_numpy(rows), torch.from_numpy(cols)),
                             opset_version=18, input_names=["x", "rows", "cols"],
                             output_names=["y"])
    ops = [n.op_type for n in exported.graph.node]
    assert "GatherND" in ops, ops
    yield "gather_nd_torch_export", exported, {"x": x, "rows": rows, "cols": cols}, {"y": expected}

    # torch.triu and torch.tril as its dynamo exporter writes them (Trilu),
    # on a batch of matrices and as a causal mask of scores.
    class Triangles(torch.nn.Module):
        def forward(self, x, scores):
            causal = torch.ones(5, 5).tril().bool()
            masked = scores.masked_fill(~causal, float("-inf")).softmax(-1)
            return x.triu(1) + 2 * x.tril(-1), masked

    x, scores = normal(2, 3, 4), normal(2, 5, 5)
    with torch.no_grad():
        y, masked = Triangles().eval()(t(x), t(scores))
    exported = dynamo_export("intr_trilu", Triangles().eval(), (t(x), t(scores)),
                             opset_version=18, input_names=["x", "scores"],
                             output_names=["y", "masked"])
    ops = [n.op_type for n in exported.graph.node]
    assert "Trilu" in ops, ops
    yield "trilu_torch_export", exported, {"x": x, "scores": scores}, {
        "y": y.numpy(), "masked": masked.numpy()}

    # nn.MultiheadAttention without biases, as torch's dynamo exporter
    # writes it: a self-attention (query, key and value one tensor, so q, k
    # and v one packed projection) of bare MatMuls and a Gemm without C,
    # and a class attention whose maps are returned.
    class Unbiased(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.self_attn = torch.nn.MultiheadAttention(16, 4, bias=False)
            self.cross_attn = torch.nn.MultiheadAttention(16, 4, bias=False)

        def forward(self, x, memory):
            x = x + self.self_attn(x, x, x, need_weights=False)[0]
            out, maps = self.cross_attn(x, memory, memory, average_attn_weights=False)
            return out, maps

    torch.manual_seed(0)
    unbiased = Unbiased().eval()
    x, memory = normal(5, 2, 16), normal(7, 2, 16)
    with torch.no_grad():
        y, maps = unbiased(t(x), t(memory))
    exported = dynamo_export("intr_unbiased_mha", unbiased, (t(x), t(memory)),
                             opset_version=18, input_names=["x", "memory"],
                             output_names=["y", "maps"])
    ops = [n.op_type for n in exported.graph.node]
    assert "Softmax" in ops and "Add" not in ops[:ops.index("Softmax")], ops
    yield "mha_without_biases_torch_export", exported, {"x": x, "memory": memory}, {
        "y": y.numpy(), "maps": maps.numpy()}

    # F.interpolate's bicubic and antialiased modes, as torch's dynamo
    # exporter writes them (Resize cubic with A = -0.75, or antialias with
    # exclude_outside and, for bicubic, A = -0.5). Sizes, not scale
    # factors: with a scale factor PyTorch's antialias stretches its kernel
    # by the factor, the export's Resize by the sizes' ratio. Upsampling by
    # exactly 2: at other ratios PyTorch's source coordinates (times in /
    # out) and ONNX's (divided by out / in) round apart, by 1e-3 relative
    # near cubic's zeros.
    class Interpolations(torch.nn.Module):
        def forward(self, x):
            return (F.interpolate(x, size=(5, 7), mode="bicubic"),
                    F.interpolate(x, size=(22, 34), mode="bicubic"),
                    F.interpolate(x, size=(13, 21), mode="bicubic", align_corners=True),
                    F.interpolate(x, size=(5, 7), mode="bilinear", antialias=True),
                    F.interpolate(x, size=(4, 6), mode="bicubic", antialias=True))

    x = normal(2, 3, 11, 17)
    names = ["down", "up", "corners", "bilinear_aa", "bicubic_aa"]
    with torch.no_grad():
        results = Interpolations().eval()(t(x))
    exported = dynamo_export("intr_interpolate", Interpolations().eval(), (t(x),),
                             opset_version=18, input_names=["x"], output_names=names)
    modes = {(onnx.helper.get_attribute_value(a), n.op_type) for n in exported.graph.node
             for a in n.attribute if a.name == "mode"}
    assert (b"cubic", "Resize") in modes, modes
    yield "interpolate_torch_export", exported, {"x": x}, {
        n: r.numpy() for n, r in zip(names, results)}

    # Learned upsampling: nn.ConvTranspose2d and 1d as torch's dynamo
    # exporter writes them (ConvTranspose), strided with padding, output
    # padding, groups and dilation, and a 4x4 upsampling by 2.
    class Upsamplings(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.up = torch.nn.ConvTranspose2d(4, 6, 4, stride=2, padding=1)
            self.odd = torch.nn.ConvTranspose2d(4, 6, 3, stride=(2, 3), padding=(2, 1),
                                                output_padding=(1, 2), groups=2,
                                                dilation=(1, 2))
            self.line = torch.nn.ConvTranspose1d(4, 2, 5, stride=3, padding=4, bias=False)

        def forward(self, x):
            return self.up(x), self.odd(x), self.line(x.flatten(2))

    torch.manual_seed(0)
    upsamplings = Upsamplings().eval()
    x = normal(2, 4, 5, 7)
    names = ["up", "odd", "line"]
    with torch.no_grad():
        results = upsamplings(t(x))
    exported = dynamo_export("intr_conv_transpose", upsamplings, (t(x),),
                             opset_version=18, input_names=["x"], output_names=names)
    ops = [n.op_type for n in exported.graph.node]
    assert ops.count("ConvTranspose") == 3, ops
    yield "conv_transpose_torch_export", exported, {"x": x}, {
        n: r.numpy() for n, r in zip(names, results)}

    # LpPool against F.lp_pool2d and lp_pool1d, which sum x^p where ONNX
    # sums |x|^p: p = 2, and p = 3 over positive values. No padding and no
    # ceil mode, which PyTorch's lp_pool does not count as ONNX does.
    x = normal(2, 3, 7, 8)
    yield case("lp_pool_2d_p2",
               [helper.make_node("LpPool", ["x"], ["y"], kernel_shape=[3, 2], strides=[2, 1], p=2)],
               {"x": x}, {"y": F.lp_pool2d(t(x), 2, (3, 2), stride=(2, 1)).numpy()}, 18)
    x = np.abs(normal(2, 3, 10)) + 0.1
    yield case("lp_pool_1d_p3",
               [helper.make_node("LpPool", ["x"], ["y"], kernel_shape=[3], strides=[2], p=3)],
               {"x": x}, {"y": F.lp_pool1d(t(x), 3, 3, stride=2).numpy()}, 18)

    # LRN against F.local_response_norm: AlexNet's window of 5, and one of 7
    # wider than the 3 channels (odd sizes: for even ones PyTorch puts the
    # extra channel before, ONNX after).
    x = normal(2, 6, 4, 5)
    yield case("lrn_alexnet",
               [helper.make_node("LRN", ["x"], ["y"], size=5, alpha=1e-4, beta=0.75, bias=2.0)],
               {"x": x}, {"y": F.local_response_norm(t(x), 5, alpha=1e-4, beta=0.75, k=2.0).numpy()},
               13)
    x = normal(1, 3, 4, 2, 3, scale=3.0)
    yield case("lrn_wide_window",
               [helper.make_node("LRN", ["x"], ["y"], size=7, alpha=0.3, beta=0.5, bias=1.0)],
               {"x": x}, {"y": F.local_response_norm(t(x), 7, alpha=0.3, beta=0.5, k=1.0).numpy()},
               13)

    # An f32 model that takes a softmax and a projection in double for their
    # precision, as torch's dynamo exporter writes it: f64 Softmax and MatMul
    # between casts, which compute in f32 as their kernels do.
    class DoubleIslands(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.proj = torch.nn.Linear(6, 4)

        def forward(self, x):
            p = torch.softmax(x.double() * 3, dim=-1)
            w = self.proj.weight.double()
            return (p @ w.T).float() + self.proj.bias

    torch.manual_seed(0)
    islands = DoubleIslands().eval()
    x = normal(2, 5, 6)
    with torch.no_grad():
        expected = islands(t(x)).numpy()
    exported = dynamo_export("intr_double_islands", islands, (t(x),),
                             opset_version=18, input_names=["x"], output_names=["y"])
    ops = [n.op_type for n in exported.graph.node]
    assert "Softmax" in ops and "MatMul" in ops, ops
    yield "double_islands_torch_export", exported, {"x": x}, {"y": expected}

    # Circular padding as torch's dynamo exporter writes it (Pad in wrap
    # mode, at opset 18 too): a Conv2d with padding_mode="circular", an
    # uneven F.pad, and a Conv1d's.
    class Circular(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = torch.nn.Conv2d(3, 4, 3, padding=1, padding_mode="circular")
            self.line = torch.nn.Conv1d(3, 2, 5, padding=2, padding_mode="circular")

        def forward(self, x):
            y = self.conv(x) + F.pad(x, (2, 1, 1, 2), mode="circular")[:, :1, 1:-2, 2:-1]
            return y, self.line(x.flatten(2))

    torch.manual_seed(0)
    circular = Circular().eval()
    x = normal(2, 3, 5, 6)
    with torch.no_grad():
        y, line = circular(t(x))
    exported = dynamo_export("intr_circular", circular, (t(x),),
                             opset_version=18, input_names=["x"], output_names=["y", "line"])
    modes = [a.s for n in exported.graph.node if n.op_type == "Pad" for a in n.attribute
             if a.name == "mode"]
    assert b"wrap" in modes, modes
    yield "circular_pad_torch_export", exported, {"x": x}, {"y": y.numpy(), "line": line.numpy()}

    # F.grid_sample as torch's dynamo exporter writes it (GridSample): as
    # deformable attention samples (bilinear, zeros, corners' outer
    # edges), bicubic at the border, nearest with reflection, and in 3-D;
    # the grid reaches past [-1, 1].
    class Sampling(torch.nn.Module):
        def forward(self, x, grid, volume, grid3):
            a = F.grid_sample(x, grid, mode="bilinear", padding_mode="zeros",
                              align_corners=False)
            b = F.grid_sample(x, grid, mode="bicubic", padding_mode="border",
                              align_corners=True)
            c = F.grid_sample(x, grid, mode="nearest", padding_mode="reflection",
                              align_corners=False)
            d = F.grid_sample(volume, grid3, mode="bilinear", padding_mode="reflection",
                              align_corners=True)
            return a + b + c, d

    rng = np.random.default_rng(3)
    x, volume = normal(2, 3, 6, 7), normal(1, 2, 3, 4, 5)
    grid = rng.uniform(-1.3, 1.3, (2, 4, 5, 2)).astype(np.float32)
    grid3 = rng.uniform(-1.3, 1.3, (1, 2, 3, 4, 3)).astype(np.float32)
    operands = tuple(map(t, (x, grid, volume, grid3)))
    with torch.no_grad():
        planar, volumetric = Sampling().eval()(*operands)
    exported = dynamo_export("intr_grid_sample", Sampling().eval(), operands,
                             opset_version=20, input_names=["x", "grid", "volume", "grid3"],
                             output_names=["y", "z"])
    ops = [n.op_type for n in exported.graph.node]
    assert ops.count("GridSample") == 4, ops
    yield "grid_sample_torch_export", exported, \
        {"x": x, "grid": grid, "volume": volume, "grid3": grid3}, \
        {"y": planar.numpy(), "z": volumetric.numpy()}

    # scaled_dot_product_attention with grouped queries (enable_gqa) as the
    # dynamo exporter writes it at opset 18: the key and value heads
    # repeated, one axis given to Unsqueeze as a scalar.
    class GroupedQueries(torch.nn.Module):
        def forward(self, q, kv):
            return F.scaled_dot_product_attention(q, kv, kv * 0.5, enable_gqa=True)

    q, kv = normal(2, 4, 5, 8), normal(2, 2, 6, 8)
    with torch.no_grad():
        expected = GroupedQueries().eval()(t(q), t(kv)).numpy()
    exported = dynamo_export("intr_sdpa_gqa", GroupedQueries().eval(), (t(q), t(kv)),
                             opset_version=18, input_names=["q", "kv"], output_names=["y"])
    inits = {i.name: i for i in exported.graph.initializer}
    assert any(n.op_type == "Unsqueeze" and n.input[1] in inits and not inits[n.input[1]].dims
               for n in exported.graph.node), "no Unsqueeze of a scalar axis"
    yield "sdpa_gqa_torch_export", exported, {"q": q, "kv": kv}, {"y": expected}

    # F.fold (Col2Im) as the dynamo exporter writes it: back from F.unfold's
    # overlapping 3x3 blocks (padded), and strided dilated blocks.
    class Folds(torch.nn.Module):
        def forward(self, x):
            overlapping = F.fold(F.unfold(x, 3, padding=1), (6, 7), 3, padding=1)
            sparse = F.fold(F.unfold(x, 2, dilation=2, stride=(2, 1)), (6, 7), 2,
                            dilation=2, stride=(2, 1))
            return overlapping, sparse

    x = normal(2, 3, 6, 7)
    with torch.no_grad():
        overlapping, sparse = Folds().eval()(t(x))
    exported = dynamo_export("intr_fold", Folds().eval(), (t(x),),
                             opset_version=18, input_names=["x"],
                             output_names=["overlapping", "sparse"])
    ops = [n.op_type for n in exported.graph.node]
    assert ops.count("Col2Im") == 2, ops
    yield "fold_torch_export", exported, {"x": x}, \
        {"overlapping": overlapping.numpy(), "sparse": sparse.numpy()}

def write(out, name, model, inputs, outputs):
    folder = os.path.join(out, "test_" + name)
    shutil.rmtree(folder, ignore_errors=True)
    data = os.path.join(folder, "test_data_set_0")
    os.makedirs(data)
    onnx.save(model, os.path.join(folder, "model.onnx"))
    for kind, values in (("input", inputs), ("output", outputs)):
        for k, (n, a) in enumerate(values.items()):
            with open(os.path.join(data, f"{kind}_{k}.pb"), "wb") as f:
                f.write(numpy_helper.from_array(a, n).SerializeToString())


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "test/conformance/torch-goldens"
    os.makedirs(out, exist_ok=True)
    for name, model, inputs, outputs in cases():
        write(out, name, model, inputs, outputs)
        print("test_" + name)


if __name__ == "__main__":
    main()
