#!/usr/bin/env python3
"""Random single-op ONNX models with onnx's reference outputs, as node tests.

  python/tools/differential_ops.py OUT_DIR [--seed N]
  build/bin/intr-conformance OUT_DIR --verbose

Writes about 1,040 node-test folders (model.onnx, inputs, outputs) of the ops
that INTR exports use, with random shapes and attributes: Slice (steps,
negative and huge bounds), Pad, Resize (every mode, coordinate and nearest
mode, antialias, tf_crop_and_resize's roi, keep_aspect_ratio_policy, scales
and sizes), Conv (groups, strides, dilations, pads), the pools (ceil
mode, pads), the reductions, Softmax, CumSum, MatMul (batch broadcast),
Gemm, LayerNormalization, Gather, Transpose, Expand, Tile, Where, Split,
the activations and unary math, ArgMax/ArgMin (ties), TopK, the norms, Cast,
Einsum, LogSoftmax, Hardmax, more reductions, the variadic Max/Min/Sum/Mean,
comparisons with NaN, PRelu, Pow, Unsqueeze, Flatten, Concat, OneHot,
DepthToSpace and Range. intr-conformance then compiles and runs each on the
CPU.

The oracle is onnx's ReferenceEvaluator, which is not always right: a
failure or an "output is declared ... but the graph computes" is a lead to
check against onnxruntime (in onnx 1.23, MaxPool's output size with pads,
Slice with a negative step and huge bounds, and Resize's linear and cubic
windows where x + 2 rounds to a whole number, or at pytorch_half_pixel's
one-element output, are the reference's bugs).
Dev time only: needs numpy and onnx >= 1.13. The folders are not committed.
"""

import argparse
import os
import shutil

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from onnx.reference import ReferenceEvaluator


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    out = args.out
    shutil.rmtree(out, ignore_errors=True)
    count = {"ok": 0, "skip": 0}

    def write(name, nodes, inputs, consts, opset, nout=1):
        """One test: `inputs` as graph inputs, `consts` as initializers."""
        ins = [
            helper.make_tensor_value_info(k, helper.np_dtype_to_tensor_dtype(v.dtype), v.shape)
            for k, v in inputs.items()
        ]
        inits = [numpy_helper.from_array(v, k) for k, v in consts.items()]
        outs = [
            helper.make_tensor_value_info(f"y{i}" if nout > 1 else "y", TensorProto.UNDEFINED, None)
            for i in range(nout)
        ]
        g = helper.make_graph(nodes, "g", ins, outs, inits)
        m = helper.make_model(g, opset_imports=[helper.make_opsetid("", opset)])
        m.ir_version = 8
        try:
            ys = ReferenceEvaluator(m).run(None, inputs)
        except Exception:  # an op or attribute the reference lacks
            count["skip"] += 1
            return
        for i, y in enumerate(ys):
            m.graph.output[i].CopyFrom(
                helper.make_tensor_value_info(
                    m.graph.output[i].name, helper.np_dtype_to_tensor_dtype(y.dtype), y.shape
                )
            )
        d = os.path.join(out, "test_" + name, "test_data_set_0")
        os.makedirs(d)
        onnx.save(m, os.path.join(out, "test_" + name, "model.onnx"))
        for i, (k, v) in enumerate(inputs.items()):
            onnx.save_tensor(numpy_helper.from_array(v, k), os.path.join(d, f"input_{i}.pb"))
        for i, y in enumerate(ys):
            name_i = m.graph.output[i].name
            onnx.save_tensor(numpy_helper.from_array(y, name_i), os.path.join(d, f"output_{i}.pb"))
        count["ok"] += 1

    # Random floats, and i64 constants.
    def rnd(shape, dt=np.float32):
        return (rng.standard_normal(shape) * 2).astype(dt)

    def c(v):
        return np.array(v, dtype=np.int64)

    for t in range(40):  # Slice with steps and negatives
        r = int(rng.integers(1, 4))
        shape = [int(s) for s in rng.integers(1, 7, r)]
        axes = sorted(rng.choice(r, int(rng.integers(1, r + 1)), replace=False).tolist())
        starts, ends, steps = [], [], []
        for a in axes:
            n = shape[a]
            st = int(rng.choice([-1, 1, 2, -2, 3]))
            starts.append(int(rng.integers(-n - 2, n + 2)))
            ends.append(int(rng.choice([int(rng.integers(-n - 2, n + 2)), 2**62, -(2**62)])))
            steps.append(st)
        write(
            f"slice_{t}",
            [helper.make_node("Slice", ["x", "s", "e", "a", "p"], ["y"])],
            {"x": rnd(shape)},
            {"s": c(starts), "e": c(ends), "a": c(axes), "p": c(steps)},
            13,
        )
    for t in range(30):  # Pad modes
        r = int(rng.integers(1, 5))
        shape = [int(s) for s in rng.integers(2, 6, r)]
        mode = ["constant", "reflect", "edge"][t % 3]
        pads = [int(rng.integers(0 if mode != "constant" else -1, min(3, s))) for s in shape] + [
            int(rng.integers(0, min(3, s))) for s in shape
        ]
        write(
            f"pad_{t}_{mode}",
            [helper.make_node("Pad", ["x", "p", "v"], ["y"], mode=mode)],
            {"x": rnd(shape)},
            {"p": c(pads), "v": np.array(1.5, np.float32)},
            13,
        )
    for t in range(40):  # Resize
        mode = ["nearest", "linear"][t % 2]
        ctm = ["half_pixel", "pytorch_half_pixel", "align_corners", "asymmetric"][(t // 2) % 4]
        nm = ["round_prefer_floor", "round_prefer_ceil", "floor", "ceil"][(t // 8) % 4]
        shape = [1, 2, int(rng.integers(2, 7)), int(rng.integers(2, 7))]
        if t % 3 == 0:
            sizes = c([1, 2, int(rng.integers(1, 13)), int(rng.integers(1, 13))])
            node = helper.make_node(
                "Resize",
                ["x", "", "", "sz"],
                ["y"],
                mode=mode,
                coordinate_transformation_mode=ctm,
                nearest_mode=nm,
            )
            write(f"resize_{t}", [node], {"x": rnd(shape)}, {"sz": sizes}, 13)
        else:
            scales = np.array(
                [1, 1, rng.choice([0.5, 0.75, 1.5, 2.0, 3.0]), rng.choice([0.6, 1.25, 2.0, 2.5])],
                np.float32,
            )
            node = helper.make_node(
                "Resize",
                ["x", "", "sc"],
                ["y"],
                mode=mode,
                coordinate_transformation_mode=ctm,
                nearest_mode=nm,
            )
            write(f"resize_{t}", [node], {"x": rnd(shape)}, {"sc": scales}, 13)
    for t in range(60):  # Resize of opsets 18 and 19: cubic, antialias, crops
        mode = ["nearest", "linear", "cubic"][t % 3]
        ctm = [
            "half_pixel",
            "pytorch_half_pixel",
            "align_corners",
            "asymmetric",
            "half_pixel_symmetric",
            "tf_crop_and_resize",
        ][(t // 3) % 6]
        attrs = {"mode": mode, "coordinate_transformation_mode": ctm}
        if mode == "cubic":
            attrs["cubic_coeff_a"] = float(rng.choice([-0.75, -0.5]))
            attrs["exclude_outside"] = int(rng.integers(0, 2))
        if mode != "nearest" and rng.random() < 0.5:
            attrs["antialias"] = 1
        if ctm == "tf_crop_and_resize":
            attrs["extrapolation_value"] = float(rng.choice([0.0, -2.5]))
        shape = [1, 2, int(rng.integers(2, 9)), int(rng.integers(2, 9))]
        consts = {}
        roi = ""
        if ctm == "tf_crop_and_resize":
            starts = rng.uniform(-0.3, 0.5, 2)
            consts["roi"] = np.array(
                list(starts) + list(starts + rng.uniform(0.2, 1.2, 2)), np.float32
            )
            roi = "roi"
        if t % 4 == 0:  # sizes of the two last axes, maybe one aspect kept
            attrs["axes"] = [2, 3]
            attrs["keep_aspect_ratio_policy"] = str(
                rng.choice(["stretch", "not_larger", "not_smaller"])
            )
            consts["sz"] = c([int(rng.integers(1, 13)), int(rng.integers(1, 13))])
            inputs = ["x", roi, "", "sz"]
            if roi:
                consts["roi"] = consts["roi"][[0, 1, 2, 3]]
        elif t % 4 == 1:
            consts["sz"] = c([1, 2, int(rng.integers(1, 13)), int(rng.integers(1, 13))])
            inputs = ["x", roi, "", "sz"]
        else:
            consts["sc"] = np.array(
                [1, 1, rng.choice([0.3, 0.5, 0.75, 1.5, 2.0]), rng.choice([0.4, 0.6, 1.25, 2.5])],
                np.float32,
            )
            inputs = ["x", roi, "sc"]
        if roi and "axes" not in attrs:
            consts["roi"] = np.array([0, 0, *consts["roi"][:2], 1, 1, *consts["roi"][2:]], np.float32)
        node = helper.make_node("Resize", inputs, ["y"], **attrs)
        write(f"resize19_{t}", [node], {"x": rnd(shape)}, consts, 19)
    for t in range(30):  # Conv
        g = int(rng.choice([1, 2]))
        cin = g * int(rng.integers(1, 3))
        cout = g * int(rng.integers(1, 3))
        k = [int(rng.integers(1, 4)), int(rng.integers(1, 4))]
        s = [int(rng.integers(1, 3)), int(rng.integers(1, 3))]
        dl = [int(rng.integers(1, 3)), int(rng.integers(1, 3))]
        h, w = int(rng.integers(k[0] * dl[0], 9)), int(rng.integers(k[1] * dl[1], 9))
        pads = [int(rng.integers(0, 2)) for _ in range(4)]
        node = helper.make_node(
            "Conv",
            ["x", "w", "b"],
            ["y"],
            group=g,
            kernel_shape=k,
            strides=s,
            dilations=dl,
            pads=pads,
        )
        write(
            f"conv_{t}",
            [node],
            {"x": rnd([2, cin, h, w])},
            {"w": rnd([cout, cin // g] + k), "b": rnd([cout])},
            13,
        )
    for t in range(30):  # MaxPool / AveragePool
        k = [int(rng.integers(1, 4)), int(rng.integers(1, 4))]
        s = [int(rng.integers(1, 3)), int(rng.integers(1, 3))]
        pads = [
            int(rng.integers(0, k[0])),
            int(rng.integers(0, k[1])),
            int(rng.integers(0, k[0])),
            int(rng.integers(0, k[1])),
        ]
        ceil = int(rng.integers(0, 2))
        op = ["MaxPool", "AveragePool"][t % 2]
        attrs = dict(kernel_shape=k, strides=s, pads=pads, ceil_mode=ceil)
        if op == "AveragePool":
            attrs["count_include_pad"] = int(rng.integers(0, 2))
        write(
            f"pool_{t}_{op}",
            [helper.make_node(op, ["x"], ["y"], **attrs)],
            {"x": rnd([1, 2, int(rng.integers(k[0], 8)), int(rng.integers(k[1], 8))])},
            {},
            19,
        )
    for t in range(30):  # Reductions & softmax & cumsum
        r = int(rng.integers(1, 4))
        shape = [int(s) for s in rng.integers(1, 5, r)]
        op = ["ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin", "ReduceL2", "ReduceLogSumExp"][
            t % 6
        ]
        axes = sorted(rng.choice(r, int(rng.integers(1, r + 1)), replace=False).tolist())
        kd = int(rng.integers(0, 2))
        write(
            f"reduce_{t}_{op}",
            [helper.make_node(op, ["x", "a"], ["y"], keepdims=kd)],
            {"x": rnd(shape)},
            {"a": c(axes)},
            18,
        )
        ax = int(rng.integers(-r, r))
        write(
            f"softmax_{t}",
            [helper.make_node("Softmax", ["x"], ["y"], axis=ax)],
            {"x": rnd(shape)},
            {},
            13,
        )
        write(
            f"cumsum_{t}",
            [helper.make_node("CumSum", ["x", "a"], ["y"], exclusive=t % 2, reverse=(t // 2) % 2)],
            {"x": rnd(shape)},
            {"a": c(ax)},
            14,
        )
    for t in range(30):  # MatMul with batch broadcast, Gemm
        m_, k_, n_ = [int(v) for v in rng.integers(1, 6, 3)]
        ba = [int(v) for v in rng.integers(1, 3, int(rng.integers(0, 3)))]
        bb = [1 if rng.random() < 0.5 else v for v in ba]
        a = rnd(ba + [m_, k_]) if rng.random() < 0.9 else rnd([k_])
        b = rnd(bb + [k_, n_]) if rng.random() < 0.9 else rnd([k_])
        write(
            f"matmul_{t}", [helper.make_node("MatMul", ["a", "b"], ["y"])], {"a": a, "b": b}, {}, 13
        )
        ta, tb = int(rng.integers(0, 2)), int(rng.integers(0, 2))
        A = rnd([k_, m_] if ta else [m_, k_])
        B = rnd([n_, k_] if tb else [k_, n_])
        C = rnd([[n_], [m_, n_], [1, n_], [m_, 1]][int(rng.integers(0, 4))])
        write(
            f"gemm_{t}",
            [
                helper.make_node(
                    "Gemm",
                    ["A", "B", "C"],
                    ["y"],
                    transA=ta,
                    transB=tb,
                    alpha=float(rng.choice([1.0, 0.5])),
                    beta=float(rng.choice([1.0, 2.0])),
                )
            ],
            {"A": A, "B": B, "C": C},
            {},
            13,
        )
    for t in range(30):  # LayerNorm with axis, Gather, Expand, Tile, Transpose, Where
        r = int(rng.integers(2, 4))
        shape = [int(s) for s in rng.integers(1, 5, r)]
        ax = int(rng.integers(-r, r))
        nshape = shape[ax % r :]
        write(
            f"ln_{t}",
            [helper.make_node("LayerNormalization", ["x", "s", "b"], ["y"], axis=ax, epsilon=1e-5)],
            {"x": rnd(shape)},
            {"s": rnd(nshape), "b": rnd(nshape)},
            17,
        )
        gax = int(rng.integers(-r, r))
        idx = rng.integers(
            -shape[gax % r],
            shape[gax % r],
            [int(v) for v in rng.integers(1, 4, int(rng.integers(0, 3)))],
        ).astype(np.int64)
        write(
            f"gather_{t}",
            [helper.make_node("Gather", ["x", "i"], ["y"], axis=gax)],
            {"x": rnd(shape), "i": idx},
            {},
            13,
        )
        perm = rng.permutation(r).tolist()
        write(
            f"transpose_{t}",
            [helper.make_node("Transpose", ["x"], ["y"], perm=perm)],
            {"x": rnd(shape)},
            {},
            13,
        )
        eshape = [s if rng.random() < 0.5 else 1 for s in shape]
        write(
            f"expand_{t}",
            [helper.make_node("Expand", ["x", "s"], ["y"])],
            {"x": rnd(eshape)},
            {"s": c([int(rng.integers(1, 3))] + shape)},
            13,
        )
        write(
            f"tile_{t}",
            [helper.make_node("Tile", ["x", "r"], ["y"])],
            {"x": rnd(shape)},
            {"r": c([int(v) for v in rng.integers(1, 3, r)])},
            13,
        )
        cond = rng.random(eshape) < 0.5
        write(
            f"where_{t}",
            [helper.make_node("Where", ["c", "x", "z"], ["y"])],
            {"c": cond, "x": rnd(shape), "z": rnd([shape[-1]])},
            {},
            16,
        )
    for t in range(25):
        r = int(rng.integers(1, 4))
        shape = [int(s) for s in rng.integers(1, 5, r)]
        ax = int(rng.integers(-r, r))
        n = shape[ax % r]
        parts = [int(v) for v in rng.multinomial(n, [0.5, 0.5])] if n > 1 else [n]
        write(
            f"split_{t}",
            [helper.make_node("Split", ["x", "s"], [f"y{i}" for i in range(len(parts))], axis=ax)],
            {"x": rnd(shape)},
            {"s": c(parts)},
            13,
            nout=len(parts),
        )
        op = [
            "Clip",
            "LeakyRelu",
            "Elu",
            "Selu",
            "HardSigmoid",
            "Softplus",
            "Softsign",
            "HardSwish",
            "Celu",
            "Mish",
            "ThresholdedRelu",
            "Sign",
            "Erf",
            "Gelu",
            "Sigmoid",
            "Tanh",
            "Relu",
            "Neg",
            "Abs",
            "Reciprocal",
            "Sqrt",
            "Exp",
            "Log",
            "Floor",
            "Ceil",
        ][t]
        x = rnd(shape)
        if op in ("Sqrt", "Log"):
            x = np.abs(x) + 0.1
        node = helper.make_node(op, ["x", "lo", "hi"] if op == "Clip" else ["x"], ["y"])
        write(
            f"unary_{t}_{op}",
            [node],
            {"x": x},
            (
                {"lo": np.array(-0.5, np.float32), "hi": np.array(0.7, np.float32)}
                if op == "Clip"
                else {}
            ),
            20 if op == "Gelu" else 18,
        )
    for t in range(20):
        r = int(rng.integers(1, 4))
        shape = [int(s) for s in rng.integers(1, 5, r)]
        ax = int(rng.integers(-r, r))
        op = ["ArgMax", "ArgMin"][t % 2]
        x = rng.integers(-3, 3, shape).astype(np.float32)  # ties
        write(
            f"arg_{t}",
            [
                helper.make_node(
                    op, ["x"], ["y"], axis=ax, keepdims=t % 3 % 2, select_last_index=(t // 2) % 2
                )
            ],
            {"x": x},
            {},
            13,
        )
        k = int(rng.integers(1, shape[ax % r] + 1))
        write(
            f"topk_{t}",
            [helper.make_node("TopK", ["x", "k"], ["y0", "y1"], axis=ax, largest=t % 2, sorted=1)],
            {"x": rnd(shape)},
            {"k": c([k])},
            11,
            nout=2,
        )
    for t in range(20):
        n_, ch = int(rng.integers(1, 3)), int(rng.choice([2, 4]))
        shape = [n_, ch, int(rng.integers(1, 5)), int(rng.integers(1, 5))]
        write(
            f"inorm_{t}",
            [helper.make_node("InstanceNormalization", ["x", "s", "b"], ["y"], epsilon=1e-5)],
            {"x": rnd(shape)},
            {"s": rnd([ch]), "b": rnd([ch])},
            13,
        )
        write(
            f"bnorm_{t}",
            [
                helper.make_node(
                    "BatchNormalization", ["x", "s", "b", "m", "v"], ["y"], epsilon=1e-5
                )
            ],
            {"x": rnd(shape)},
            {"s": rnd([ch]), "b": rnd([ch]), "m": rnd([ch]), "v": np.abs(rnd([ch])) + 0.5},
            15,
        )
        g = int(rng.choice([1, 2]))
        write(
            f"gnorm_{t}",
            [
                helper.make_node(
                    "GroupNormalization", ["x", "s", "b"], ["y"], num_groups=g, epsilon=1e-5
                )
            ],
            {"x": rnd(shape)},
            {"s": rnd([ch]), "b": rnd([ch])},
            21,
        )
    for t in range(20):
        to = [
            TensorProto.INT32,
            TensorProto.INT64,
            TensorProto.FLOAT16,
            TensorProto.BOOL,
            TensorProto.UINT8,
            TensorProto.INT8,
            TensorProto.DOUBLE,
        ][t % 7]
        x = (rng.standard_normal([3, 4]) * 100).astype(np.float32)
        if to in (TensorProto.UINT8, TensorProto.INT8):
            x = np.clip(x, -100, 100)
        if to == TensorProto.UINT8:
            x = np.abs(x)
        write(f"cast_{t}", [helper.make_node("Cast", ["x"], ["y"], to=to)], {"x": x}, {}, 13)
        eq = [
            "bij,bjk->bik",
            "ij->ji",
            "ii->i" if False else "ij,ij->i",
            "bhqd,bhkd->bhqk",
            "i,j->ij",
            "...ij,...jk->...ik",
            "ij->",
            "abc->cab",
        ][t % 8]
        shapes = {
            "bij,bjk->bik": ([2, 3, 4], [2, 4, 5]),
            "ij->ji": ([3, 4],),
            "ij,ij->i": ([3, 4], [3, 4]),
            "bhqd,bhkd->bhqk": ([2, 2, 3, 4], [2, 2, 5, 4]),
            "i,j->ij": ([3], [4]),
            "...ij,...jk->...ik": ([2, 3, 4], [2, 4, 2]),
            "ij->": ([3, 4],),
            "abc->cab": ([2, 3, 4],),
        }[eq]
        ins = {f"x{i}": rnd(s) for i, s in enumerate(shapes)}
        write(
            f"einsum_{t}", [helper.make_node("Einsum", list(ins), ["y"], equation=eq)], ins, {}, 12
        )
    for t in range(30):  # along an axis, variadic, broadcast comparisons
        r = int(rng.integers(1, 4))
        shape = [int(s) for s in rng.integers(1, 5, r)]
        ax = int(rng.integers(-r, r))
        op = ["LogSoftmax", "Hardmax"][t % 2]
        x = rnd(shape) if op == "LogSoftmax" else rng.integers(-2, 2, shape).astype(np.float32)
        write(f"{op.lower()}_{t}", [helper.make_node(op, ["x"], ["y"], axis=ax)], {"x": x}, {}, 13)
        op = ["ReduceL1", "ReduceSumSquare", "ReduceProd", "ReduceLogSum"][t % 4]
        axes = sorted(rng.choice(r, int(rng.integers(1, r + 1)), replace=False).tolist())
        x = np.abs(rnd(shape)) + 0.5 if op == "ReduceLogSum" else rnd(shape)
        write(
            f"reduce2_{t}_{op}",
            [helper.make_node(op, ["x", "a"], ["y"], keepdims=t % 3 % 2)],
            {"x": x},
            {"a": c(axes)},
            18,
        )
        op = ["Max", "Min", "Sum", "Mean"][t % 4]
        shapes = [shape, shape[int(rng.integers(0, r)) :], [1] * r]
        ins = {f"x{i}": rnd(s) for i, s in enumerate(shapes)}
        write(f"variadic_{t}_{op}", [helper.make_node(op, list(ins), ["y"])], ins, {}, 13)
        op = ["Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual"][t % 5]
        a = rng.integers(-2, 3, shape).astype(np.float32)
        b = rng.integers(-2, 3, shape[-1:]).astype(np.float32)
        a[a == 2] = np.nan
        write(
            f"compare_{t}_{op}", [helper.make_node(op, ["a", "b"], ["y"])], {"a": a, "b": b}, {}, 16
        )
        slope = rnd(shape[-1:])
        write(
            f"prelu_{t}",
            [helper.make_node("PRelu", ["x", "s"], ["y"])],
            {"x": rnd(shape)},
            {"s": slope},
            16,
        )
        base = np.abs(rnd(shape)) + 0.1
        expo = rng.integers(-2, 4, shape[-1:]).astype(np.int64)
        write(
            f"pow_{t}", [helper.make_node("Pow", ["x", "e"], ["y"])], {"x": base, "e": expo}, {}, 15
        )
    for t in range(20):  # shape ops
        r = int(rng.integers(1, 4))
        shape = [int(s) for s in rng.integers(1, 4, r)]
        ax = int(rng.integers(-r, r + 1))
        write(
            f"unsqueeze_{t}",
            [helper.make_node("Unsqueeze", ["x", "a"], ["y"])],
            {"x": rnd(shape)},
            {"a": c([ax])},
            13,
        )
        fax = int(rng.integers(-r, r + 1))
        write(
            f"flatten_{t}",
            [helper.make_node("Flatten", ["x"], ["y"], axis=fax)],
            {"x": rnd(shape)},
            {},
            13,
        )
        cax = int(rng.integers(-r, r))
        other = list(shape)
        other[cax % r] = int(rng.integers(0, 3))
        ins = {"a": rnd(shape), "b": rnd(other)}
        write(f"concat_{t}", [helper.make_node("Concat", ["a", "b"], ["y"], axis=cax)], ins, {}, 13)
        depth = int(rng.integers(2, 5))
        indices = rng.integers(-depth - 1, depth + 1, shape).astype(np.int64)
        write(
            f"onehot_{t}",
            [
                helper.make_node(
                    "OneHot", ["i", "d", "v"], ["y"], axis=int(rng.integers(-r - 1, r + 1))
                )
            ],
            {"i": indices},
            {"d": c(depth), "v": np.array([-1.0, 3.0], np.float32)},
            11,
        )
        b = int(rng.choice([1, 2]))
        ch = b * b * int(rng.integers(1, 3))
        mode = ["DCR", "CRD"][t % 2]
        write(
            f"d2s_{t}_{mode}",
            [helper.make_node("DepthToSpace", ["x"], ["y"], blocksize=b, mode=mode)],
            {"x": rnd([1, ch, 2, 3])},
            {},
            13,
        )
        start, delta = float(rng.integers(-5, 5)), float(rng.choice([-1.5, -1, 0.5, 2]))
        limit = start + delta * float(rng.integers(0, 6))
        write(
            f"range_{t}",
            [helper.make_node("Range", ["s", "l", "d"], ["y"])],
            {},
            {
                "s": np.array(start, np.float32),
                "l": np.array(limit, np.float32),
                "d": np.array(delta, np.float32),
            },
            11,
        )
    print(f"{count['ok']} tests in {out}, {count['skip']} the reference could not run")


if __name__ == "__main__":
    main()
