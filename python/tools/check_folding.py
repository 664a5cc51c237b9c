#!/usr/bin/env python3
"""Differential test of `intr-opt import`'s constant folding against ONNX's
reference evaluator (onnx.reference.ReferenceEvaluator).

For each op type, many small random cases are generated, seeded per op
(shapes with 1s and 0s, negative axes, every attribute variant, the element
types the op allows, special values: -0.0, subnormals, inf, NaN, integer
extremes, uniform tensors that MLIR keeps as splats). Every input of a case
is an initializer, so the importer folds the node into an `onnx.Constant`
while it builds the graph. The folded constant is parsed out of the printed
MLIR (nested literals, splats, hex blobs, dense_resource) and compared with
what the reference evaluator computes for the same node:

  * integers, bools, shapes and element types: exactly;
  * floats: bitwise for the exact ops (Add Sub Mul Div Neg Abs Relu Where Cast
    CumSum, comparisons, Range and the shape ops), within 1 ulp for Sqrt Pow
    Exp Log Sin Cos Tanh Sigmoid Erf Reciprocal and Reduce*. Any NaN matches
    any NaN (ONNX leaves their sign and payload open).

A result that stays an op (not folded) is fine and counted, but its inferred
type must still match the reference's shape and element type.

Where the reference itself is wrong, a second oracle decides, and the case
counts as `refdev`: the spec's text where the reference's numpy deviates
from it (Slice with negative steps, Shape start/end clamping, Flatten of
empty tensors, Range in float64, Pad with negative pads, the sign of
Relu(-0.0)), and for the 1-ulp ops the exact value (mpmath, fractions)
where the reference's own float arithmetic is further off than 1 ulp.

Rows beyond the op list: ShapeView (Gather/Slice of Shape(X) with dynamic
sizes, a folding path of its own), Big (inputs over the 1024-element inline
limit become dense_resource: only identities fold), Edge (invalid models and
huge sizes: intr-opt must reject or fold them, never crash or hang).

Many cases go into one model (one node per case), so a run takes one
`intr-opt` process per batch of cases; a batch that fails to import is
retried one case at a time to find the culprit. The binary is copied first,
so a concurrent relink does not disturb a run.

Usage (from the repository root; about 40 s for the default 500 cases per
op on 2 cores):

    /opt/torch2/bin/python python/tools/check_folding.py
    /opt/torch2/bin/python python/tools/check_folding.py --ops Slice,Pad -n 2000 --seed 7
    /opt/torch2/bin/python python/tools/check_folding.py -v --save /tmp/fold-fail
    /opt/torch2/bin/python python/tools/check_folding.py --intr-opt /path/to/intr-opt

-v lists up to 3 examples of every outcome (refdev, notfold, referr
included); --save writes the first failures of each op as .onnx and as an
.onnxtxt lit test whose CHECK lines expect the reference's values.

This is a dev-time tool: it needs onnx >= 1.15 (onnx.reference), numpy and,
optionally, mpmath. It exits 1 when a case mismatches or intr-opt crashes.
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
import zlib
from concurrent.futures import ThreadPoolExecutor
from typing import Callable

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from onnx.reference import ReferenceEvaluator

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

I64 = np.dtype(np.int64)
I32 = np.dtype(np.int32)
I8 = np.dtype(np.int8)
U8 = np.dtype(np.uint8)
F32 = np.dtype(np.float32)
F16 = np.dtype(np.float16)
F64 = np.dtype(np.float64)
BOOL = np.dtype(np.bool_)
I16 = np.dtype(np.int16)
U16 = np.dtype(np.uint16)
U32 = np.dtype(np.uint32)
U64 = np.dtype(np.uint64)

FLOATS = (F32, F16, F64)
# Types the importer does not read from initializers: such inputs are
# stored in a carrier type and Cast (which folds first) to theirs.
CARRIER = {I16: I32, U16: I32, U32: I64, U64: I64}
INT64_MAX = np.iinfo(np.int64).max
INT64_MIN = np.iinfo(np.int64).min

# MLIR element type spelling <-> numpy dtype.
MLIR_TO_NP = {
    "f32": F32, "f16": F16, "f64": F64,
    "i64": I64, "i32": I32, "i16": I16, "i8": I8, "i1": BOOL,
    "ui8": U8, "ui16": U16, "ui32": U32, "ui64": U64,
}
NP_TO_MLIR = {v: k for k, v in MLIR_TO_NP.items()}

# ONNX TensorProto data type of a numpy dtype.
NP_TO_ONNX = {
    F32: TensorProto.FLOAT, F16: TensorProto.FLOAT16, F64: TensorProto.DOUBLE,
    I64: TensorProto.INT64, I32: TensorProto.INT32, I8: TensorProto.INT8,
    U8: TensorProto.UINT8, BOOL: TensorProto.BOOL,
    I16: TensorProto.INT16, U16: TensorProto.UINT16, U32: TensorProto.UINT32,
    U64: TensorProto.UINT64,
}

# Ops whose float results must agree within 1 ulp; all others bitwise.
ULP_OPS = {"Sqrt", "Pow", "Exp", "Log", "Sin", "Cos", "Tanh", "Sigmoid", "Erf",
           "Reciprocal", "ReduceSum", "ReduceMean", "ReduceMax"}


# ---------------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------------


@dataclasses.dataclass
class Case:
    """One node whose inputs are all initializers."""

    op: str
    opset: int
    inputs: list  # np.ndarray per node input, None for an omitted one
    attrs: dict = dataclasses.field(default_factory=dict)
    n_outputs: int = 1
    # Set by the runner.
    index: int = 0
    out_dtypes: list = dataclasses.field(default_factory=list)
    no_reference: bool = False  # huge sizes: only check that intr-opt copes
    # Input 0 is Shape(X) of a graph input X of this shape (None: a dynamic
    # size, `concrete` gives it for the reference), with these attributes.
    shape_of: tuple | None = None
    concrete: tuple | None = None
    shape_attrs: dict = dataclasses.field(default_factory=dict)


@dataclasses.dataclass
class Result:
    case: Case
    status: str  # match, mismatch, notfolded, ref_error, import_error, crash
    detail: str = ""
    folded: bool = False
    ref_inexact: bool = False  # refdev: the reference is off, another oracle agrees


class Gen:
    """Random values, shapes and attributes for one op, seeded per op."""

    def __init__(self, seed: int, op: str):
        self.rng = np.random.default_rng([seed, zlib.crc32(op.encode())])

    # -- basic draws ----------------------------------------------------
    def chance(self, p: float) -> bool:
        return bool(self.rng.random() < p)

    def choice(self, seq):
        return seq[int(self.rng.integers(len(seq)))]

    def int(self, lo: int, hi: int) -> int:
        """Uniform in [lo, hi]."""
        return int(self.rng.integers(lo, hi + 1))

    def shape(self, rank: int | None = None, max_rank: int = 4,
              zero: bool = True, max_dim: int = 4) -> tuple:
        if rank is None:
            rank = self.int(0, max_rank)
        dims = []
        if self.chance(0.05):
            max_dim = max(max_dim, 9)  # sometimes over 100 elements (hex printing)
        for _ in range(rank):
            r = self.rng.random()
            if zero and r < 0.06:
                dims.append(0)
            elif r < 0.35:
                dims.append(1)
            else:
                dims.append(self.int(2, max_dim))
        return tuple(dims)

    def broadcast_shapes(self, n: int, zero: bool = True) -> list:
        """n shapes that broadcast together (numpy rules)."""
        out = self.shape(max_rank=4, zero=zero)
        shapes = []
        for _ in range(n):
            drop = self.int(0, len(out)) if self.chance(0.4) else 0
            s = list(out[drop:])
            for i in range(len(s)):
                if self.chance(0.3):
                    s[i] = 1
            shapes.append(tuple(s))
        return shapes

    # -- values -----------------------------------------------------------
    def float_values(self, dtype, shape, kind: str = "any") -> np.ndarray:
        n = int(np.prod(shape, dtype=np.int64))
        fi = np.finfo(dtype)
        if kind == "exact":
            # Small multiples of 1/8: sums of a few dozen are exact in f16.
            vals = self.rng.integers(-40, 41, size=n) / 8.0
            return vals.astype(dtype).reshape(shape)
        if kind == "positive":
            vals = np.exp(self.rng.uniform(-6, 6, size=n))
            return vals.astype(dtype).reshape(shape)
        specials = [0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 2.0, 3.0, 10.0, -7.0,
                    float(fi.max), -float(fi.max), float(fi.tiny),
                    float(fi.smallest_subnormal), -float(fi.smallest_subnormal),
                    float(fi.eps), 1e-3, 100.5, 1e5, -1e5]
        if kind == "any":
            specials += [math.inf, -math.inf, math.nan]
        vals = np.empty(n, dtype=np.float64)
        for i in range(n):
            r = self.rng.random()
            if r < 0.25:
                vals[i] = self.choice(specials)
            elif r < 0.45:
                vals[i] = float(self.int(-20, 20))
            elif r < 0.75:
                vals[i] = self.rng.normal() * 3
            else:
                vals[i] = self.rng.normal() * 10.0 ** self.int(-8, 8)
        with np.errstate(all="ignore"):
            return vals.astype(dtype).reshape(shape)

    def int_values(self, dtype, shape, kind: str = "any") -> np.ndarray:
        n = int(np.prod(shape, dtype=np.int64))
        ii = np.iinfo(dtype)
        if kind == "small":
            return self.rng.integers(max(ii.min, -10), min(ii.max, 10) + 1,
                                     size=n).astype(dtype).reshape(shape)
        vals = []
        for _ in range(n):
            r = self.rng.random()
            if r < 0.15:
                vals.append(self.choice([ii.min, ii.max, 0, 1, ii.max - 1,
                                         ii.min + 1] + ([-1] if ii.min < 0 else [])))
            elif r < 0.7:
                vals.append(self.int(max(ii.min, -20), min(ii.max, 20)))
            else:
                vals.append(int(self.rng.integers(ii.min, ii.max, endpoint=True,
                                                  dtype=np.int64 if ii.min < 0 or
                                                  ii.max <= INT64_MAX else np.uint64)))
        return np.array(vals, dtype=dtype).reshape(shape)

    def values(self, dtype, shape, kind: str = "any") -> np.ndarray:
        dtype = np.dtype(dtype)
        if self.chance(0.1):
            # Uniform: MLIR keeps such constants as splats.
            one = self.values(dtype, (), kind)
            return np.full(shape, one, dtype=dtype)
        if dtype == BOOL:
            return (self.rng.random(shape) < 0.5).reshape(shape)
        if dtype in FLOATS:
            return self.float_values(dtype, shape, kind)
        return self.int_values(dtype, shape, "small" if kind == "small" else "any")

    def axes(self, rank: int, k: int | None = None, negative: bool = True) -> list:
        if rank == 0:
            return []
        if k is None:
            k = self.int(0, rank)
        axes = [int(a) for a in self.rng.permutation(rank)[:k]]
        if negative:
            axes = [a - rank if self.chance(0.4) else a for a in axes]
        return axes


def arr(values, dtype=I64) -> np.ndarray:
    return np.array(values, dtype=dtype)


# ---------------------------------------------------------------------------
# Generators, one per op: each returns a Case.
# ---------------------------------------------------------------------------

ARITH_TYPES = [F32, F32, F32, F16, F64, I64, I64, I32, I32, I8, U8, I16, U16, U32, U64]


def gen_arith(op: str) -> Callable[[Gen], Case]:
    def gen(g: Gen) -> Case:
        dtype = g.choice(ARITH_TYPES)
        sa, sb = g.broadcast_shapes(2)
        a = g.values(dtype, sa)
        b = g.values(dtype, sb)
        if op == "Div" and dtype not in FLOATS and g.chance(0.9):
            b[b == 0] = 3  # integer division by zero is undefined
        return Case(op, g.choice([13, 14, 17]), [a, b])
    return gen


def gen_pow(g: Gen) -> Case:
    base_t = g.choice([F32, F32, F16, F64, I32, I64])
    exp_t = g.choice([F32, F16, F64, I32, I64, I64, U8])
    sa, sb = g.broadcast_shapes(2)
    if base_t in FLOATS:
        a = g.values(base_t, sa)
    else:
        a = g.values(base_t, sa, "small")
    if exp_t in FLOATS:
        b = g.values(exp_t, sb) if g.chance(0.5) else \
            g.rng.integers(-4, 6, size=sb).astype(exp_t)
    else:
        lo = 0 if (base_t not in FLOATS and g.chance(0.9)) else -3
        b = g.rng.integers(lo, 40 if base_t not in FLOATS and g.chance(0.2) else 6,
                           size=sb).astype(exp_t)
    return Case("Pow", g.choice([13, 15, 17]), [a, b])


def gen_compare(op: str) -> Callable[[Gen], Case]:
    def gen(g: Gen) -> Case:
        types = [F32, F16, F64, I64, I32, I8, U8, I16, U32, U64]
        if op == "Equal":
            types.append(BOOL)
        dtype = g.choice(types)
        sa, sb = g.broadcast_shapes(2)
        a = g.values(dtype, sa, "small" if g.chance(0.3) else "any")
        b = g.values(dtype, sb, "small" if g.chance(0.3) else "any")
        if a.size and b.size and g.chance(0.5):  # some equal elements
            b = np.broadcast_to(a.flat[0], sb).astype(dtype).copy()
        return Case(op, 17, [a, b])
    return gen


def gen_logic(op: str) -> Callable[[Gen], Case]:
    def gen(g: Gen) -> Case:
        sa, sb = g.broadcast_shapes(2)
        return Case(op, 17, [g.values(BOOL, sa), g.values(BOOL, sb)])
    return gen


def gen_unary(op: str, types, kind: str = "any") -> Callable[[Gen], Case]:
    def gen(g: Gen) -> Case:
        dtype = g.choice(types)
        x = g.values(dtype, g.shape(), kind)
        return Case(op, g.choice([13, 14, 17]), [x])
    return gen


def gen_cast(g: Gen) -> Case:
    types = [F32, F16, F64, I64, I32, I8, U8, BOOL]
    src = g.choice(types + [I16, U16, U32, U64])
    dst = g.choice(types + [I16, U16, U32, U64])
    shape = g.shape()
    if src in FLOATS and dst not in FLOATS and dst != BOOL and g.chance(0.8):
        # Keep float -> int in range (out of range is undefined in ONNX).
        ii = np.iinfo(dst)
        lo, hi = max(float(ii.min), -1e6), min(float(ii.max), 1e6)
        vals = g.rng.uniform(lo, hi, size=shape)
        vals = np.where(g.rng.random(shape) < 0.5, np.round(vals * 4) / 4, vals)
        vals = np.where(g.rng.random(shape) < 0.3,
                        g.rng.uniform(-3, 3, size=shape) if ii.min < 0
                        else g.rng.uniform(-0.99, 3, size=shape), vals)
        x = vals.astype(src)
        x = np.clip(x, max(lo, float(np.finfo(src).min)),
                    min(hi, float(np.finfo(src).max))).astype(src)
    else:
        x = g.values(src, shape)
    return Case("Cast", g.choice([13, 17]), [x], {"to": NP_TO_ONNX[dst]})


def gen_where(g: Gen) -> Case:
    dtype = g.choice([F32, F16, F64, I64, I32, I8, U8, BOOL, U32, U64, I16])
    sc, sx, sy = g.broadcast_shapes(3)
    return Case("Where", g.choice([13, 16, 17]),
                [g.values(BOOL, sc), g.values(dtype, sx), g.values(dtype, sy)])


def gen_cumsum(g: Gen) -> Case:
    dtype = g.choice([F32, F32, F16, F64, I64, I32, U32, U64])
    shape = g.shape(rank=g.int(1, 4))
    kind = "any" if g.chance(0.5) else ("exact" if dtype in FLOATS else "small")
    x = g.values(dtype, shape, kind)
    rank = len(shape)
    axis = g.int(-rank, rank - 1)
    attrs = {}
    if g.chance(0.6):
        attrs["exclusive"] = g.int(0, 1)
    if g.chance(0.6):
        attrs["reverse"] = g.int(0, 1)
    axis_t = g.choice([I64, I32])
    return Case("CumSum", g.choice([14, 17]), [x, np.array(axis, dtype=axis_t)],
                attrs)


def gen_reduce(op: str) -> Callable[[Gen], Case]:
    def gen(g: Gen) -> Case:
        types = [F32, F32, F16, F64, I64, I32, U32, U64]
        if op == "ReduceMax":
            types += [I8, U8]
        dtype = g.choice(types)
        shape = g.shape(rank=g.int(0, 4), zero=g.chance(0.3))
        if op == "ReduceMax":
            kind = "any"
        else:
            kind = "exact" if (dtype in FLOATS and g.chance(0.6)) else "small"
            if dtype in FLOATS and kind == "small":
                # Arbitrary values: the reference's f32/f16 accumulation may be
                # further off than 1 ulp; the float64 reference then decides.
                kind = "positive" if g.chance(0.5) else "any"
        data = g.values(dtype, shape, kind)
        rank = len(shape)
        axes = g.axes(rank, negative=True) if g.chance(0.8) else None
        attrs = {}
        if g.chance(0.7):
            attrs["keepdims"] = g.int(0, 1)
        if op == "ReduceSum":
            opset = g.choice([13, 17, 18])
        else:
            opset = g.choice([13, 17, 18, 18])
        if opset >= 18 or op == "ReduceSum":
            if g.chance(0.5):
                attrs["noop_with_empty_axes"] = g.int(0, 1)
            inputs = [data]
            if axes is not None:
                inputs.append(arr(axes))
            elif g.chance(0.3):
                inputs.append(arr([]))  # an empty axes tensor
            return Case(op, opset, inputs, attrs)
        if axes is not None and axes:
            attrs["axes"] = axes
        return Case(op, opset, [data], attrs)
    return gen


def gen_shape(g: Gen) -> Case:
    shape = g.shape()
    x = g.values(g.choice([F32, I64, BOOL, F16]), shape)
    attrs = {}
    opset = g.choice([13, 15, 17])
    if opset >= 15:
        if g.chance(0.5):
            attrs["start"] = g.int(-6, 6)
        if g.chance(0.5):
            attrs["end"] = g.int(-6, 6)
    return Case("Shape", opset, [x], attrs)


def gen_gather(g: Gen) -> Case:
    shape = g.shape(rank=g.int(1, 3))
    rank = len(shape)
    axis = g.int(-rank, rank - 1)
    size = shape[axis]
    data = g.values(g.choice([F32, I64, I32, F16, BOOL, U64, I16]), shape)
    ishape = g.shape(rank=g.int(0, 2), max_dim=3, zero=True)
    if size == 0:
        ishape = tuple(list(ishape[:-1]) + [0]) if ishape else (0,)
    n = int(np.prod(ishape, dtype=np.int64))
    idx = g.rng.integers(-size, max(size, 1), size=n) if size else np.zeros(0)
    indices = idx.reshape(ishape).astype(g.choice([I64, I32]))
    attrs = {"axis": axis} if (axis != 0 or g.chance(0.5)) else {}
    return Case("Gather", g.choice([13, 17]), [data, indices], attrs)


def gen_slice(g: Gen) -> Case:
    shape = g.shape(rank=g.int(1, 4))
    return gen_slice_of(g, g.values(g.choice([F32, I64, I32, BOOL]), shape))


def gen_slice_of(g: Gen, data: np.ndarray) -> Case:
    shape = data.shape
    rank = len(shape)
    axes = g.axes(rank, k=g.int(1, rank))
    ind_t = g.choice([I64, I32])
    big, small = (INT64_MAX, INT64_MIN) if ind_t == I64 else (2**31 - 1, -2**31)
    starts, ends, steps = [], [], []
    for a in axes:
        s = shape[a]
        step = g.choice([1, 1, 1, 2, 3, -1, -1, -2, -3, 5])
        if g.chance(0.05):
            step = g.choice([big, small, small + 1])
        start = g.int(-s - 3, s + 3)
        end = g.int(-s - 3, s + 3)
        r = g.rng.random()
        if r < 0.12:
            end = big if step > 0 else small
        elif r < 0.2:
            start = g.choice([big, small])
        elif r < 0.26:
            end = g.choice([big, small])
        starts.append(start)
        ends.append(end)
        steps.append(step)
    inputs = [data, arr(starts, ind_t), arr(ends, ind_t)]
    # Without axes they are [0, len): only when the axes are a permutation
    # of that.
    use_axes = g.chance(0.7) or sorted(a % rank for a in axes) != list(range(len(axes)))
    use_steps = g.chance(0.7) or any(s != 1 for s in steps)
    if use_axes:
        inputs.append(arr(axes, ind_t))
    elif use_steps:
        inputs.append(None)
    if use_steps:
        inputs.append(arr(steps, ind_t))
    if not use_axes:
        # Reorder so that the lists follow axes 0..k-1.
        order = sorted(range(len(axes)), key=lambda i: axes[i] % rank)
        for j in (1, 2):
            inputs[j] = inputs[j][order]
        if use_steps:
            inputs[-1] = inputs[-1][order]
    return Case("Slice", g.choice([13, 17]), inputs)


def gen_concat(g: Gen) -> Case:
    rank = g.int(1, 3)
    base = list(g.shape(rank=rank))
    axis = g.int(-rank, rank - 1)
    dtype = g.choice([F32, I64, I32, BOOL, F16, U32, I16])
    inputs = []
    for _ in range(g.int(1, 4)):
        s = list(base)
        s[axis] = g.choice([0, 1, 2, 3])
        inputs.append(g.values(dtype, tuple(s)))
    return Case("Concat", g.choice([13, 17]), inputs, {"axis": axis})


def gen_unsqueeze(g: Gen) -> Case:
    shape = g.shape(max_rank=3)
    out_rank = len(shape) + g.int(1, 3)
    axes = g.axes(out_rank, k=out_rank - len(shape))
    x = g.values(g.choice([F32, I64, BOOL]), shape)
    return Case("Unsqueeze", g.choice([13, 17]), [x, arr(axes)])


def gen_squeeze(g: Gen) -> Case:
    shape = list(g.shape(max_rank=4))
    for i in range(len(shape)):
        if g.chance(0.4):
            shape[i] = 1
    ones = [i for i, s in enumerate(shape) if s == 1]
    x = g.values(g.choice([F32, I64, BOOL]), tuple(shape))
    inputs = [x]
    if g.chance(0.1):
        inputs.append(arr([]))  # given but empty: nothing is squeezed
    elif g.chance(0.7) and ones:
        k = g.int(1, len(ones))
        sel = [ones[i] for i in g.rng.permutation(len(ones))[:k]]
        sel = [a - len(shape) if g.chance(0.4) else a for a in sel]
        inputs.append(arr(sel))
    return Case("Squeeze", g.choice([13, 17]), inputs)


def gen_reshape(g: Gen) -> Case:
    shape = g.shape(max_rank=4, zero=g.chance(0.2))
    x = g.values(g.choice([F32, I64, BOOL]), shape)
    n = x.size
    attrs = {}
    allowzero = g.chance(0.25)
    # Factor n into a new shape.
    new = []
    rem = n
    for _ in range(g.int(0, 3)):
        divs = [d for d in range(1, 7) if rem and rem % d == 0] or [1]
        d = g.choice(divs)
        new.append(d)
        rem = rem // d if d else rem
    if n == 0:
        new = list(g.shape(rank=g.int(1, 3), zero=False))
        new[g.int(0, len(new) - 1)] = 0
        rem = 1
    new.append(rem if n else 1)
    new = [int(v) for v in g.rng.permutation(new)] if n else new
    if n == 0 and not allowzero:
        allowzero = True
    # -1 for one entry, 0 to copy a same-position size.
    if g.chance(0.4) and new and n:
        new[g.int(0, len(new) - 1)] = -1
    if not allowzero:
        for i in range(len(new)):
            if i < len(shape) and new[i] == shape[i] and new[i] != -1 and g.chance(0.4):
                new[i] = 0
    if n == 1 and g.chance(0.3):
        new = []  # a scalar
    if allowzero and (0 not in new or -1 not in new):
        attrs["allowzero"] = 1
    elif g.chance(0.3):
        attrs["allowzero"] = 0
    return Case("Reshape", g.choice([14, 17]), [x, arr(new)], attrs)


def gen_transpose(g: Gen) -> Case:
    shape = g.shape(max_rank=4)
    x = g.values(g.choice([F32, I64, F16, BOOL]), shape)
    attrs = {}
    if g.chance(0.7):
        attrs["perm"] = [int(p) for p in g.rng.permutation(len(shape))]
    return Case("Transpose", g.choice([13, 17]), [x], attrs)


def gen_flatten(g: Gen) -> Case:
    shape = g.shape(max_rank=4)
    rank = len(shape)
    x = g.values(g.choice([F32, I64, BOOL]), shape)
    attrs = {}
    if g.chance(0.8) or rank == 0:  # the default axis 1 needs rank >= 1
        attrs["axis"] = g.int(-rank, rank)
    return Case("Flatten", g.choice([13, 17]), [x], attrs)


def gen_expand(g: Gen) -> Case:
    s_in, s_out = g.broadcast_shapes(2)
    if g.chance(0.5):
        s_in, s_out = s_out, s_in
    # The shape operand may use 1 where the input has a size.
    target = list(s_out)
    x = g.values(g.choice([F32, I64, BOOL, F16, U64]), s_in)
    return Case("Expand", g.choice([13, 17]), [x, arr(target)])


def gen_tile(g: Gen) -> Case:
    shape = g.shape(rank=g.int(0, 3))
    x = g.values(g.choice([F32, I64, BOOL]), shape)
    reps = [g.choice([0, 1, 1, 2, 3]) for _ in shape]
    return Case("Tile", g.choice([13, 17]), [x, arr(reps)])


def gen_constant_of_shape(g: Gen) -> Case:
    shape = list(g.shape(max_rank=3))
    attrs = {}
    if g.chance(0.8):
        dtype = g.choice([F32, F16, F64, I64, I32, I8, U8, BOOL])
        vshape = (1,) if g.chance(0.8) else ()
        attrs["value"] = numpy_helper.from_array(g.values(dtype, vshape), "value")
    return Case("ConstantOfShape", g.choice([13, 17]), [arr(shape)], attrs)


def gen_range(g: Gen) -> Case:
    dtype = g.choice([I64, I32, I16, F32, F32, F64])
    if dtype in FLOATS:
        start = g.rng.normal() * 10.0 ** g.int(-2, 3)
        if g.chance(0.3):
            start = float(g.int(-5, 5))
        delta = g.choice([1.0, -1.0, 0.5, 0.1, -0.3, 0.7, 1e-1, 3.0])
        if g.chance(0.3):
            delta = g.rng.normal() * 2 or 1.0
        n = g.int(0, 40)
        limit = start + delta * (n + g.rng.uniform(-1, 1))
        vals = [np.array(v, dtype=dtype) for v in (start, limit, delta)]
    else:
        ii = np.iinfo(dtype)
        delta = g.choice([1, 2, 3, -1, -2, 7, -5])
        start = g.int(-30, 30)
        if g.chance(0.1):
            start = int(ii.max) - g.int(0, 20) if delta > 0 else int(ii.min) + g.int(0, 20)
            start = int(ii.max) - g.int(0, 20) if g.chance(0.5) else int(ii.min) + g.int(0, 20)
        n = g.int(0, 30)
        limit = int(np.clip(start + delta * n + g.int(-2, 2), ii.min, ii.max))
        vals = [np.array(v, dtype=dtype) for v in (start, limit, delta)]
    return Case("Range", g.choice([13, 17]), vals)


def gen_split(g: Gen) -> Case:
    shape = g.shape(rank=g.int(1, 3), max_dim=6)
    rank = len(shape)
    axis = g.int(-rank, rank - 1)
    size = shape[axis]
    x = g.values(g.choice([F32, I64, BOOL, F16]), shape)
    attrs = {"axis": axis} if (axis != 0 or g.chance(0.5)) else {}
    opset = g.choice([13, 17, 18, 18])
    r = g.rng.random()
    if r < 0.4:
        # An explicit split input.
        k = g.int(1, 4)
        cuts = sorted(g.rng.integers(0, size + 1, size=k - 1).tolist())
        parts = [b - a for a, b in zip([0] + cuts, cuts + [size])]
        return Case("Split", opset, [x, arr(parts)], attrs, n_outputs=k)
    if opset >= 18:
        # num_outputs: ceil(size / n) per part, the last one smaller.
        valid = [k for k in range(1, 6)
                 if size >= (k - 1) * -(-size // k) and (size > 0 or k == 1)]
        k = g.choice(valid or [1])
        attrs["num_outputs"] = k
        return Case("Split", opset, [x], attrs, n_outputs=k)
    # Equal parts by output count.
    divs = [k for k in range(1, 6) if size % k == 0] if size else [1]
    k = g.choice(divs)
    return Case("Split", opset, [x], attrs, n_outputs=k)


def gen_pad(g: Gen) -> Case:
    shape = g.shape(rank=g.int(1, 3), max_dim=4, zero=g.chance(0.15))
    rank = len(shape)
    dtype = g.choice([F32, I64, I32, F16, BOOL, U64, I16])
    x = g.values(dtype, shape)
    mode = g.choice(["constant", "constant", "reflect", "edge"])
    opset = g.choice([13, 17, 18, 18])
    axes = list(range(rank))
    if opset >= 18 and g.chance(0.6):
        axes = g.axes(rank, k=g.int(1, rank))
    begins, ends = [], []
    for a in axes:
        s = shape[a]
        def amount():
            if mode == "constant":
                return g.int(-s, 3) if s else g.int(0, 3)
            if mode == "reflect":
                if s == 0:
                    return 0
                return g.int(0, max(s - 1, 0) if g.chance(0.8) else s + 4)
            return g.int(0, 3) if s else 0
        b, e = amount(), amount()
        if b + e < -s:  # a negative size is invalid (the Edge row tests it)
            e = -s - b
        begins.append(b)
        ends.append(e)
    inputs = [x, arr(begins + ends)]
    attrs = {"mode": mode} if (mode != "constant" or g.chance(0.5)) else {}
    use_axes = opset >= 18 and axes != list(range(rank))
    if mode == "constant" and g.chance(0.6):
        cv = g.values(dtype, () if g.chance(0.7) else (1,))
        inputs.append(cv)
    elif use_axes:
        inputs.append(None)
    if use_axes:
        inputs.append(arr(axes))
    return Case("Pad", opset, inputs, attrs)


def gen_shape_view(g: Gen) -> Case:
    """Gather or Slice of Shape(X) where X has dynamic sizes: the picks of
    static sizes fold although the Shape op does not."""
    rank = g.int(1, 5)
    concrete = tuple(g.int(0, 5) for _ in range(rank))
    shape_of = tuple(None if g.chance(0.4) else d for d in concrete)
    attrs = {}
    if g.chance(0.4):
        attrs["start"] = g.int(-rank - 1, rank)
    if g.chance(0.3):
        attrs["end"] = g.int(-rank - 1, rank + 1)
    first = attrs.get("start", 0)
    first = min(max(first + rank if first < 0 else first, 0), rank)
    last = attrs.get("end", rank)
    last = min(max(last + rank if last < 0 else last, 0), rank)
    n = max(last - first, 0)
    if n == 0:
        attrs = {}
        n = rank
    if g.chance(0.5):
        k = g.int(0, 2)
        idx = g.rng.integers(-n, n, size=g.choice([(), (k,), (1, k)]))
        case = Case("Gather", 17, ["shape", idx.astype(g.choice([I64, I32]))])
    else:
        data = np.zeros(n, dtype=I64)
        case = gen_slice_of(g, data)
        case.inputs[0] = "shape"
    case.shape_of, case.concrete, case.shape_attrs = shape_of, concrete, attrs
    return case


def gen_big(g: Gen) -> Case:
    """Inputs over the importer's inline limit (1024 elements) become
    dense_resource constants, which folders do not read: only the identity
    folds (x + -0.0, x * 1, Cast to the same type, a whole Slice, ...) may
    fold them, to the input itself."""
    shape = g.choice([(1025,), (5, 211), (2, 3, 180), (1, 1100)])
    dtype = g.choice([F32, F16, F64, I64, I32, BOOL])
    w = g.values(dtype, shape, "any")
    rank = len(shape)
    def scalar(v, t=dtype):
        return np.array([v] if g.chance(0.5) else v, dtype=t)
    one = 1 if dtype != BOOL else True
    if dtype == BOOL:
        kinds = [lambda: Case("And", 17, [w, scalar(True)]),
                 lambda: Case("And", 17, [scalar(g.choice([True, False])), w]),
                 lambda: Case("Or", 17, [w, scalar(g.choice([True, False]))]),
                 lambda: Case("Not", 17, [w])]
    else:
        zero = -0.0 if dtype in FLOATS and g.chance(0.7) else 0
        kinds = [lambda: Case("Add", 17, [w, scalar(zero)]),
                 lambda: Case("Add", 17, [scalar(zero), w]),
                 lambda: Case("Sub", 17, [w, scalar(zero)]),
                 lambda: Case("Mul", 17, [w, scalar(g.choice([one, 2]))]),
                 lambda: Case("Mul", 17, [scalar(one), w]),
                 lambda: Case("Div", 17, [w, scalar(g.choice([one, 2]))]),
                 lambda: Case("Neg", 17, [w]) if dtype != BOOL else None]
    kinds += [
        lambda: Case("Where", 17, [scalar(g.choice([True, False]), BOOL), w,
                                   g.values(dtype, shape[-1:])]),
        lambda: Case("Where", 17, [scalar(g.choice([True, False]), BOOL),
                                   g.values(dtype, shape[-1:]), w]),
        lambda: Case("Cast", 17, [w], {"to": NP_TO_ONNX[dtype]}),
        lambda: Case("Cast", 17, [w], {"to": g.choice([1, 7, 9])}),
        lambda: Case("Reshape", 17, [w, arr(shape)]),
        lambda: Case("Reshape", 17, [w, arr([-1])]),
        lambda: Case("Squeeze", 17, [w, arr([])]),
        lambda: Case("Unsqueeze", 17, [w, arr([0])]),
        lambda: Case("Transpose", 17, [w], {"perm": list(range(rank))}),
        lambda: Case("Slice", 17, [w, arr([0]), arr([INT64_MAX]), arr([g.int(-rank, rank - 1)])]),
        lambda: Case("Slice", 17, [w, arr([0]), arr([2]), arr([-1])]),
        lambda: Case("Pad", 18, [w, arr([0] * (2 * rank))]),
        lambda: Case("Expand", 17, [w, arr([1] * rank)]),
        lambda: Case("Concat", 17, [w], {"axis": 0}),
        lambda: Case("Split", 18, [w], {"num_outputs": 1}),
        lambda: Case("Identity", 17, [w]),
    ]
    if dtype != BOOL:
        kinds += [lambda: Case("ReduceSum", 18, [w, arr([])], {"noop_with_empty_axes": 1}),
                  lambda: Case("ReduceMax", 18, [w], {"keepdims": 0}),
                  lambda: Case("CumSum", 17, [w, np.array(0, I64)])]
    case = None
    while case is None:
        case = g.choice(kinds)()
    return case


def gen_edge(g: Gen) -> Case:
    """Invalid models and extreme sizes: intr-opt must reject or fold them,
    never crash or hang. Cases with huge sizes skip the reference (which
    would allocate them)."""
    f = g.values(F32, (2, 3), "finite")
    i = arr([[1, 2, 3], [4, 5, 6]])
    big = 1 << 40
    kinds = [
        lambda: Case("Gather", 17, [f, arr([g.choice([2, -3, 100, INT64_MIN])])]),
        lambda: Case("Gather", 17, [f, arr([0])], {"axis": g.choice([2, -3])}),
        lambda: Case("Slice", 17, [f, arr([0]), arr([2]), arr([0]), arr([0])]),
        lambda: Case("Slice", 17, [f, arr([0, 0]), arr([2]), arr([0]), arr([1])]),
        lambda: Case("Slice", 17, [f, arr([0]), arr([2]), arr([g.choice([2, -3])])]),
        lambda: Case("Slice", 17, [f, arr([0, 0]), arr([1, 1]), arr([1, -1])]),
        lambda: Case("Reshape", 17, [f, arr(g.choice([[4], [-1, -1], [7, -1], [0, 0, 0],
                                                      [-2, 3], [0, -1, 5]]))]),
        lambda: Case("Reshape", 17, [f, arr([0, -1])], {"allowzero": 1}),
        lambda: Case("Reshape", 17, [g.values(F32, (0, 3)), arr([0, -1])]),
        lambda: Case("Transpose", 17, [f], {"perm": g.choice([[0, 0], [0, 2], [1], [-1, 0]])}),
        lambda: Case("Squeeze", 17, [f, arr(g.choice([[0], [2], [-3], [0, 0]]))]),
        lambda: Case("Unsqueeze", 17, [f, arr(g.choice([[0, 0], [3], [-4], [1, -3]]))]),
        lambda: Case("Split", 17, [f, arr(g.choice([[1, 2], [3, -1], [1], [2, 2]]))],
                     {"axis": 1}, n_outputs=2),
        lambda: Case("Split", 18, [g.values(F32, (5,))], {"num_outputs": 4}, n_outputs=4),
        lambda: Case("Split", 18, [f], {"num_outputs": g.choice([0, -1, 3])}, n_outputs=2),
        lambda: Case("Tile", 17, [f, arr(g.choice([[-1, 1], [1], [1, 1, 1]]))]),
        lambda: Case("Expand", 17, [f, arr(g.choice([[3, 3], [2, 2], [-1, 3], [4, 1, 2]]))]),
        lambda: Case("Range", 17, [np.array(1, I64), np.array(5, I64), np.array(0, I64)]),
        lambda: Case("Range", 17, [np.array(1, F32), np.array(5, F32), np.array(0, F32)]),
        lambda: Case("Range", 17, [np.array(1, F32), np.array(np.inf, F32), np.array(1, F32)]),
        lambda: Case("Range", 17, [np.array(1, F32), np.array(5, F32), np.array(np.nan, F32)]),
        lambda: Case("Range", 17, [np.array(1, I64), np.array(5, I32), np.array(1, I64)]),
        lambda: Case("Range", 17, [arr([1, 2]), np.array(5, I64), np.array(1, I64)]),
        lambda: Case("CumSum", 17, [f, np.array(g.choice([2, -3]), I64)]),
        lambda: Case("CumSum", 17, [f, arr([0, 1])]),
        lambda: Case("ReduceSum", 17, [f, arr(g.choice([[2], [-3], [0, 0]]))]),
        lambda: Case("ReduceMax", 17, [f], {"axes": g.choice([[2], [-3], [1, 1]])}),
        lambda: Case("ReduceMean", 18, [f, arr([0])], {"axes": [0]}),
        lambda: Case("ReduceMax", 18, [g.values(F32, (0, 3)), arr([0])]),
        lambda: Case("Concat", 17, [f, g.values(F32, (2,))], {"axis": 0}),
        lambda: Case("Concat", 17, [f, g.values(F32, (3, 3))], {"axis": 1}),
        lambda: Case("Concat", 17, [f, i], {"axis": 0}),
        lambda: Case("Concat", 17, [f, f], {"axis": g.choice([2, -3])}),
        lambda: Case("Pad", 17, [f, arr(g.choice([[1, 1], [1, 1, 1], [-2, 0, -1, 0],
                                                  [0, -2, 0, -2]]))]),
        lambda: Case("Pad", 18, [g.values(F32, (0, 2)), arr([1, 0, 1, 0])],
                     {"mode": g.choice(["reflect", "edge"])}),
        lambda: Case("Pad", 18, [f, arr([1, 1]), None, arr([g.choice([2, -3])])]),
        lambda: Case("Pad", 18, [f, arr([1, 1, 1, 1]), None, arr([0, 0])]),
        lambda: Case("Pad", 17, [f, arr([1, 1, 1, 1]), g.values(F32, (2,))]),
        lambda: Case("Pad", 17, [f, arr([1, 1, 1, 1])], {"mode": "wrap"}),
        lambda: Case("ConstantOfShape", 17, [arr(g.choice([[-1], [2, -3]]))]),
        lambda: Case("ConstantOfShape", 17, [arr([2])],
                     {"value": numpy_helper.from_array(arr([1, 2]), "value")}),
        lambda: Case("ConstantOfShape", 17, [np.array(2, I64)]),
        lambda: Case("Flatten", 17, [f], {"axis": g.choice([3, -3])}),
        lambda: Case("Cast", 17, [f], {"to": g.choice([0, 8, 14, 17, 100, -1])}),
        lambda: Case("Add", 17, [f, g.values(F32, (3, 2))]),
        lambda: Case("Add", 17, [f, i]),
        lambda: Case("Where", 17, [f, f, f]),
        lambda: Case("Where", 17, [g.values(BOOL, (2, 3)), f, i]),
        lambda: Case("Shape", 17, [f], {"start": INT64_MIN, "end": INT64_MAX}),
        lambda: Case("Gather", 17, [np.array(1.0, F32), arr([0])]),
        lambda: Case("Transpose", 17, [np.array(1.0, F32)], {"perm": [0]}),
    ]
    huge = [
        lambda: Case("ConstantOfShape", 17, [arr([big, big])]),
        lambda: Case("ConstantOfShape", 17, [arr([big, big, big, 0])]),
        lambda: Case("ConstantOfShape", 17, [arr([INT64_MAX, 2])]),
        lambda: Case("Expand", 17, [f, arr([big, 2, 3])]),
        lambda: Case("Expand", 17, [f, arr([INT64_MAX, INT64_MAX, 1, 1])]),
        lambda: Case("Range", 17, [np.array(0, I64), np.array(INT64_MAX, I64), np.array(1, I64)]),
        lambda: Case("Range", 17, [np.array(INT64_MIN, I64), np.array(INT64_MAX, I64),
                                   np.array(1, I64)]),
        lambda: Case("Range", 17, [np.array(0, F32), np.array(3e38, F32), np.array(1e-30, F32)]),
        lambda: Case("Range", 17, [np.array(-2**31, I32), np.array(2**31 - 1, I32),
                                   np.array(1, I32)]),
        lambda: Case("Tile", 17, [f, arr([big, big])]),
        lambda: Case("Tile", 17, [f, arr([INT64_MAX, 3])]),
        lambda: Case("Pad", 17, [f, arr([big, 0, big, 0])]),
        lambda: Case("Pad", 17, [f, arr([INT64_MAX, 0, INT64_MAX, 0])]),
        lambda: Case("Reshape", 17, [g.values(F32, (0,)), arr([big, big, 0])], {"allowzero": 1}),
        lambda: Case("Reshape", 17, [g.values(F32, (0,)), arr([INT64_MAX, INT64_MAX, 0])],
                     {"allowzero": 1}),
        lambda: Case("Split", 18, [f], {"num_outputs": 1 << 20}, n_outputs=2),
        lambda: Case("Slice", 17, [g.values(F32, (0,)), arr([INT64_MIN]), arr([INT64_MAX]),
                                   arr([0]), arr([INT64_MIN])]),
    ]
    if g.chance(0.25):
        case = g.choice(huge)()
        case.no_reference = True
        return case
    return g.choice(kinds)()


GENERATORS: dict[str, Callable[[Gen], Case]] = {
    "Add": gen_arith("Add"),
    "Sub": gen_arith("Sub"),
    "Mul": gen_arith("Mul"),
    "Div": gen_arith("Div"),
    "Pow": gen_pow,
    "Equal": gen_compare("Equal"),
    "Less": gen_compare("Less"),
    "Greater": gen_compare("Greater"),
    "And": gen_logic("And"),
    "Or": gen_logic("Or"),
    "Sqrt": gen_unary("Sqrt", [F32, F32, F16, F64]),
    "Relu": gen_unary("Relu", [F32, F32, F16, F64, I64, I32, I8, I16]),
    "Sin": gen_unary("Sin", [F32, F32, F16, F64]),
    "Cos": gen_unary("Cos", [F32, F32, F16, F64]),
    "Erf": gen_unary("Erf", [F32, F32, F16, F64]),
    "Exp": gen_unary("Exp", [F32, F32, F16, F64]),
    "Log": gen_unary("Log", [F32, F32, F16, F64]),
    "Neg": gen_unary("Neg", [F32, F32, F16, F64, I64, I32, I8, I16]),
    "Abs": gen_unary("Abs", [F32, F32, F16, F64, I64, I32, I8, U8, I16, U16, U32, U64]),
    "Tanh": gen_unary("Tanh", [F32, F32, F16, F64]),
    "Sigmoid": gen_unary("Sigmoid", [F32, F32, F16, F64]),
    "Reciprocal": gen_unary("Reciprocal", [F32, F32, F16, F64]),
    "Not": gen_unary("Not", [BOOL]),
    "Cast": gen_cast,
    "Where": gen_where,
    "CumSum": gen_cumsum,
    "ReduceSum": gen_reduce("ReduceSum"),
    "ReduceMean": gen_reduce("ReduceMean"),
    "ReduceMax": gen_reduce("ReduceMax"),
    "Shape": gen_shape,
    "Gather": gen_gather,
    "Slice": gen_slice,
    "Concat": gen_concat,
    "Unsqueeze": gen_unsqueeze,
    "Squeeze": gen_squeeze,
    "Reshape": gen_reshape,
    "Transpose": gen_transpose,
    "Flatten": gen_flatten,
    "Expand": gen_expand,
    "Tile": gen_tile,
    "ConstantOfShape": gen_constant_of_shape,
    "Range": gen_range,
    "Split": gen_split,
    "Pad": gen_pad,
    "ShapeView": gen_shape_view,
    "Big": gen_big,
    "Edge": gen_edge,
}


# ---------------------------------------------------------------------------
# Models
# ---------------------------------------------------------------------------


def carried(value: np.ndarray) -> np.ndarray:
    """`value` in its carrier type (wrapping: Cast wraps it back)."""
    carrier = CARRIER[value.dtype]
    if value.dtype == U64:
        return value.view(np.int64)
    return value.astype(carrier)


def case_nodes(case: Case, prefix: str):
    """The initializers, nodes and output names of `case`, names prefixed."""
    inits, nodes, names = [], [], []
    for i, value in enumerate(case.inputs):
        if value is None:
            names.append("")
            continue
        name = f"{prefix}in{i}"
        if i == 0 and case.shape_of is not None:
            nodes.append(helper.make_node("Shape", [f"{prefix}X"], [name],
                                          name=f"{prefix}shape", **case.shape_attrs))
            names.append(name)
            continue
        value = np.asarray(value)
        if value.dtype in CARRIER:
            inits.append(numpy_helper.from_array(carried(value), name + "_src"))
            nodes.append(helper.make_node("Cast", [name + "_src"], [name],
                                          name=name + "_cast", to=NP_TO_ONNX[value.dtype]))
        else:
            inits.append(numpy_helper.from_array(value, name))
        names.append(name)
    while names and names[-1] == "":
        names.pop()
    outputs = [f"{prefix}out{j}" for j in range(case.n_outputs)]
    node = helper.make_node(case.op, names, outputs, name=f"{prefix}node")
    for key, value in case.attrs.items():
        if isinstance(value, (list, tuple)) and not value:
            attr = helper.make_attribute(key, [], attr_type=onnx.AttributeProto.INTS)
        else:
            attr = helper.make_attribute(key, value)
        node.attribute.append(attr)
    return inits, nodes + [node], outputs


def build_model(cases: list, opset: int, prefix_of=lambda c: f"c{c.index}_"):
    inits, nodes, outs = [], [], []
    for case in cases:
        i, n, o = case_nodes(case, prefix_of(case))
        inits += i
        nodes += n
        outs += o
    # Outputs are tensors of unknown shape (the importer checks declared
    # shapes only), of the reference's element type where known.
    out_types = []
    for case in cases:
        for j in range(case.n_outputs):
            dtype = case.out_dtypes[j] if j < len(case.out_dtypes) else F32
            # The importer reads no (u)int16, uint32 or uint64 declarations;
            # it does not compare declared element types either.
            out_types.append(TensorProto.FLOAT if dtype in CARRIER
                             else NP_TO_ONNX.get(dtype, TensorProto.FLOAT))
    graph_inputs = [
        helper.make_tensor_value_info(
            f"{prefix_of(c)}X", TensorProto.FLOAT,
            [d if d is not None else f"{prefix_of(c)}d{k}" for k, d in enumerate(c.shape_of)])
        for c in cases if c.shape_of is not None]
    graph = helper.make_graph(
        nodes, "fold", graph_inputs,
        [helper.make_tensor_value_info(name, t, None) for name, t in zip(outs, out_types)],
        initializer=inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 8
    return model


def reference(case: Case):
    """The reference outputs of `case` (a list of arrays), or an exception."""
    model = build_model([case], case.opset, prefix_of=lambda c: "")
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            feeds = {}
            if case.shape_of is not None:
                feeds["X"] = np.zeros(case.concrete, dtype=F32)
            return [np.asarray(o) for o in ReferenceEvaluator(model).run(None, feeds)]
        except Exception as e:  # noqa: BLE001 - any failure of the reference
            return e


def reference_f64(case: Case):
    """The reference evaluated on float64 copies of the float inputs, cast
    back to the original result type: a near-correctly-rounded oracle used to
    tell the reference's own f32/f16 rounding from a folder bug."""
    inputs = [None if v is None else
              (v.astype(F64) if v.dtype in (F32, F16) else v) for v in case.inputs]
    attrs = dict(case.attrs)
    c = dataclasses.replace(case, inputs=inputs, attrs=attrs)
    return reference(c)


# ---------------------------------------------------------------------------
# intr-opt output
# ---------------------------------------------------------------------------

RE_OP = re.compile(r"^\s*(%[\w#.$-]+(?::\d+)?(?:,\s*%[\w#.$-]+)*) = (\S+)(.*)$")
RE_CONST = re.compile(r'^ (dense<(.*)>|dense_resource<([^>]*)>) : (tensor<[^>]*>)\s*$')
RE_RETURN = re.compile(r"^\s*return (.*?) : (.*)$")
RE_RESOURCE = re.compile(r'^\s*([\w.$-]+): "0x([0-9A-Fa-f]*)",?\s*$')


def parse_type(text: str):
    m = re.fullmatch(r"tensor<(.*)>", text.strip())
    if not m:
        return None
    parts = m.group(1).split("x")
    elem = parts[-1]
    dims = []
    for p in parts[:-1]:
        if p == "?":
            dims.append(None)
        else:
            dims.append(int(p))
    return tuple(dims), MLIR_TO_NP.get(elem, elem)


def split_types(text: str) -> list:
    out, depth, cur = [], 0, ""
    for ch in text:
        if ch == "<":
            depth += 1
        elif ch == ">":
            depth -= 1
        if ch == "," and depth == 0:
            out.append(cur.strip())
            cur = ""
        else:
            cur += ch
    if cur.strip():
        out.append(cur.strip())
    return out


def from_raw(raw: bytes, shape, dtype) -> np.ndarray:
    n = int(np.prod(shape, dtype=np.int64))
    if dtype == BOOL:
        if len(raw) == n:
            return np.frombuffer(raw, dtype=np.uint8).astype(bool).reshape(shape)
        if len(raw) == 1:
            return np.full(shape, raw[0] != 0, dtype=bool)
        bits = np.unpackbits(np.frombuffer(raw, dtype=np.uint8), bitorder="little")
        return bits[:n].astype(bool).reshape(shape)
    flat = np.frombuffer(raw, dtype=dtype.newbyteorder("<")).astype(dtype)
    if flat.size == 1 and n != 1:
        return np.full(shape, flat[0], dtype=dtype)
    return flat.reshape(shape)


def parse_scalar(token: str, dtype):
    if dtype == BOOL:
        return token == "true"
    if dtype in FLOATS:
        if token.lower().startswith("0x"):
            bits = int(token, 16)
            int_t = {F32: np.uint32, F16: np.uint16, F64: np.uint64}[dtype]
            return np.array(bits, dtype=int_t).view(dtype)[()]
        return np.array(float(token)).astype(dtype)[()]
    return int(token)


def parse_dense(body: str, shape, dtype) -> np.ndarray:
    body = body.strip()
    if body.startswith('"0x'):
        return from_raw(bytes.fromhex(body[3:-1]), shape, dtype)
    tokens = body.replace("[", " ").replace("]", " ").replace(",", " ").split()
    n = int(np.prod(shape, dtype=np.int64))
    values = [parse_scalar(t, dtype) for t in tokens]
    if len(values) == 1 and n != 1:
        return np.full(shape, values[0], dtype=dtype)
    if len(values) != n:
        raise ValueError(f"dense literal has {len(values)} elements, expected {n}")
    if dtype in FLOATS:
        return np.array(values, dtype=dtype).reshape(shape)
    return np.array(values, dtype=object).astype(dtype).reshape(shape)


class ImportOutput:
    """What intr-opt printed: per returned value, its type and, when it is an
    onnx.Constant, the folded array (else the defining op's name)."""

    def __init__(self, text: str):
        defs: dict[str, tuple] = {}
        resources: dict[str, bytes] = {}
        self.returns: list = []
        for line in text.splitlines():
            r = RE_RESOURCE.match(line)
            if r:
                resources[r.group(1)] = bytes.fromhex(r.group(2))
                continue
            m = RE_RETURN.match(line)
            if m:
                names = [v.strip() for v in m.group(1).split(",")]
                types = split_types(m.group(2))
                self.returns = list(zip(names, types))
                continue
            m = RE_OP.match(line)
            if not m:
                continue
            results, opname, rest = m.groups()
            if opname == "onnx.Constant":
                c = RE_CONST.match(rest)
                if c:
                    defs[results] = ("const", c.group(2), c.group(3), c.group(4))
                    continue
            for j, r_ in enumerate(results.split(",")):
                r_ = r_.strip()
                if ":" in r_:  # %0:3 = op
                    base, count = r_.split(":")
                    for k in range(int(count)):
                        defs[f"{base}#{k}"] = ("op", opname)
                else:
                    defs[r_] = ("op", opname)
        self.values = []
        for name, type_text in self.returns:
            t = parse_type(type_text)
            d = defs.get(name, ("op", "?"))
            if d[0] == "const" and t is not None and t[0] is not None \
                    and None not in t[0] and isinstance(t[1], np.dtype):
                shape, dtype = t
                if d[1] is not None:
                    array = parse_dense(d[1], shape, dtype)
                else:
                    raw = resources[d[2]][4:]  # after the alignment word
                    array = from_raw(raw, shape, dtype)
                self.values.append((t, array))
            else:
                self.values.append((t, d[1] if d[0] == "op" else "constant?"))


def run_intr_opt(intr_opt: str, model, workdir: str, tag: str):
    path = os.path.join(workdir, f"{tag}.onnx")
    onnx.save(model, path)
    try:
        p = subprocess.run([intr_opt, "import", path], capture_output=True,
                           text=True, timeout=120)
    except subprocess.TimeoutExpired:
        return "timeout", "", "intr-opt timed out after 120 s", path
    crashed = (p.returncode not in (0, 1) or "Assertion" in p.stderr
               or "Stack dump" in p.stderr or "PLEASE submit" in p.stderr)
    if crashed:
        return "crash", p.stdout, p.stderr, path
    if p.returncode != 0:
        return "error", p.stdout, p.stderr, path
    return "ok", p.stdout, p.stderr, path


# ---------------------------------------------------------------------------
# Comparison
# ---------------------------------------------------------------------------


def float_order(a: np.ndarray) -> np.ndarray:
    """Maps floats to integers that are consecutive for adjacent floats
    (+0 and -0 both 0)."""
    int_t = {2: np.int16, 4: np.int32, 8: np.int64}[a.dtype.itemsize]
    bits = a.view(int_t).astype(np.int64)
    magnitude = bits & ((1 << (8 * a.dtype.itemsize - 1)) - 1)
    return np.where(bits < 0, -magnitude, magnitude)


def compare_arrays(got: np.ndarray, want: np.ndarray, ulps: int):
    """None when `got` matches `want`, else a description of the first
    difference."""
    if got.shape != want.shape:
        return f"shape {got.shape} != reference {want.shape}"
    if got.dtype != want.dtype:
        return f"dtype {got.dtype} != reference {want.dtype}"
    if got.size == 0:
        return None
    if got.dtype in FLOATS:
        g = got.reshape(-1)
        w = want.reshape(-1)
        both_nan = np.isnan(g) & np.isnan(w)
        if ulps == 0:
            int_t = {2: np.uint16, 4: np.uint32, 8: np.uint64}[g.dtype.itemsize]
            bad = (g.view(int_t) != w.view(int_t)) & ~both_nan
        else:
            inf_or_nan = ~np.isfinite(g) | ~np.isfinite(w)
            close = np.abs(float_order(g) - float_order(w)) <= ulps
            bad = np.where(inf_or_nan, ~(both_nan | (g == w)), ~close)
        if not bad.any():
            return None
        i = int(np.argmax(bad))
        idx = np.unravel_index(i, got.shape)
        diff = ""
        if np.isfinite(g[i]) and np.isfinite(w[i]):
            diff = f", {abs(int(float_order(g[i:i+1])[0] - float_order(w[i:i+1])[0]))} ulp apart"
        return (f"element {tuple(int(k) for k in idx)}: folded {g[i]!r} "
                f"({hexbits(g[i])}), reference {w[i]!r} ({hexbits(w[i])}){diff}; "
                f"{int(bad.sum())} of {bad.size} elements differ")
    bad = got.reshape(-1) != want.reshape(-1)
    if not bad.any():
        return None
    i = int(np.argmax(bad))
    idx = np.unravel_index(i, got.shape)
    return (f"element {tuple(int(k) for k in idx)}: folded {got.reshape(-1)[i]!r}, "
            f"reference {want.reshape(-1)[i]!r}; {int(bad.sum())} of {bad.size} "
            f"elements differ")


def hexbits(x) -> str:
    x = np.asarray(x)
    int_t = {2: np.uint16, 4: np.uint32, 8: np.uint64}[x.dtype.itemsize]
    return "0x%0*X" % (2 * x.dtype.itemsize, int(x.view(int_t)))


def compare_outputs(case: Case, got, ref, ulps: int):
    """None when every returned value of `got` agrees with `ref` (types
    always, values where folded), else (output index, description)."""
    if len(got) != len(ref):
        return -1, f"{len(got)} results, reference {len(ref)}"
    for j, ((type_, value), want) in enumerate(zip(got, ref)):
        want = np.asarray(want)
        where = f"output {j}: " if case.n_outputs > 1 else ""
        if type_ is None:
            return j, f"{where}unparsed result type"
        shape, dtype = type_
        if None not in shape and tuple(shape) != want.shape:
            return j, (f"{where}result type tensor<{'x'.join(map(str, shape))}"
                       f"x{NP_TO_MLIR.get(dtype, dtype)}> but the reference has shape "
                       f"{want.shape}")
        if dtype != want.dtype:
            return j, f"{where}element type {dtype} but the reference gives {want.dtype}"
        if isinstance(value, np.ndarray):
            problem = compare_arrays(value, want, ulps)
            if problem:
                return j, where + problem
    return None


def judge(case: Case, got, ref) -> Result:
    """Compares intr-opt's returned values for `case` with the reference.

    Where the reference raises or disagrees, two more oracles may clear the
    folder (the case then counts as matched and as `refdev`):
      * SPEC_ORACLES: the ONNX specification's text where the reference
        evaluator's numpy implementation deviates from it (Slice clamping
        with negative steps, Pad with negative pads);
      * for the 1-ulp ops, the exact result (mpmath at 256 bits for the
        elementwise math ops, else the reference evaluated in float64) rounded
        once to the type: a folder within 1 ulp of it is not wrong when the
        reference's own f32/f16/f64 arithmetic is further off.
    """
    folded = all(isinstance(v[1], np.ndarray) for v in got)
    ulps = 1 if case.op in ULP_OPS else 0
    if isinstance(ref, Exception):
        spec = None
        if case.op in SPEC_ORACLES and not case.no_reference:
            spec = run_oracle(SPEC_ORACLES[case.op], case)
        if spec is None:
            return Result(case, "ref_error", f"{type(ref).__name__}: {ref}"[:300],
                          folded=any(isinstance(v[1], np.ndarray) for v in got))
        problem = compare_outputs(case, got, spec, ulps)
        note = f"reference raised {type(ref).__name__}: {str(ref)[:120]}; checked " \
               f"against the spec oracle"
        if problem is None:
            return Result(case, "match" if folded else "notfolded", note,
                          folded=folded, ref_inexact=True)
        return Result(case, "mismatch", problem[1] + f" (spec oracle; {note})",
                      folded=folded)
    problem = compare_outputs(case, got, ref, ulps)
    if problem is None:
        return Result(case, "match" if folded else "notfolded", folded=folded)
    j, detail = problem
    # Other oracles.
    alternatives = []
    if case.op in SPEC_ORACLES:
        alternatives.append(("the ONNX spec", SPEC_ORACLES[case.op], ulps))
    if ulps and j >= 0 and isinstance(got[j][1], np.ndarray) and got[j][1].dtype in FLOATS:
        if case.op in HP_ORACLES:
            alternatives.append(("the exact value (mpmath or fractions), within 1 ulp",
                                 HP_ORACLES[case.op], 1))
        else:
            alternatives.append(("the reference in float64, rounded once",
                                 reference_f64, 0))
    for what, oracle, tol in alternatives:
        alt = run_oracle(oracle, case)
        if alt is None:
            continue
        alt = [np.asarray(a).astype(np.asarray(r).dtype) for a, r in zip(alt, ref)]
        alt_problem = compare_outputs(case, got, alt, tol)
        if alt_problem is None:
            return Result(case, "match" if folded else "notfolded",
                          f"reference differs ({detail}); the folder agrees with {what}",
                          folded=folded, ref_inexact=True)
        detail += f"\n       vs {what}: {alt_problem[1]}"
    return Result(case, "mismatch", detail, folded=folded)


# Oracles for what the reference evaluator gets wrong or cannot do.

def resolved(case: Case) -> Case:
    """`case` with a Shape(X) input replaced by its value for the reference's
    X (spec clamping of start and end)."""
    if case.shape_of is None:
        return case
    c = dataclasses.replace(case, inputs=list(case.inputs), shape_of=None)
    c.inputs[0] = spec_shape(Case("Shape", 17, [np.zeros(case.concrete, F32)],
                                  case.shape_attrs))[0]
    return c


def run_oracle(oracle, case: Case):
    """The oracle's outputs, or None when it does not apply or fails (an
    invalid case)."""
    case = resolved(case)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            out = oracle(case)
        except Exception:  # noqa: BLE001
            return None
    if out is None or isinstance(out, Exception):
        return None
    return out


def spec_slice(case: Case):
    """Slice as the ONNX spec words it: negative starts/ends get dims added,
    then starts clamp to [0, d] (step > 0) or [0, d-1] (step < 0), ends to
    [0, d] or [-1, d-1]. numpy clamps a start that is still negative after
    adding d to -1 for negative steps, the spec to 0."""
    data, starts, ends = case.inputs[:3]
    axes = case.inputs[3] if len(case.inputs) > 3 else None
    steps = case.inputs[4] if len(case.inputs) > 4 else None
    k = len(starts)
    axes = list(range(k)) if axes is None else [int(a) for a in axes]
    steps = [1] * k if steps is None else [int(s) for s in steps]
    out = data
    for a, st, en, sp in zip(axes, starts, ends, steps):
        a = a % data.ndim
        d = data.shape[a]
        st, en = int(st), int(en)
        if d == 0:
            positions = []
        else:
            st = st + d if st < 0 else st
            en = en + d if en < 0 else en
            if sp > 0:
                st, en = min(max(st, 0), d), min(max(en, 0), d)
            else:
                st, en = min(max(st, 0), d - 1), min(max(en, -1), d - 1)
            positions = list(range(st, en, sp))
        out = np.take(out, np.array(positions, dtype=np.int64), axis=a)
    return [out]


def spec_pad(case: Case):
    """Pad with negative pads (which numpy.pad rejects): pad by the positive
    amounts, then remove the negative ones; constant mode only."""
    data, pads = case.inputs[0], [int(p) for p in case.inputs[1]]
    mode = case.attrs.get("mode", "constant")
    if mode != "constant" or min(pads, default=0) >= 0:
        return None
    cv = case.inputs[2] if len(case.inputs) > 2 and case.inputs[2] is not None else None
    axes = case.inputs[3] if len(case.inputs) > 3 else None
    rank = data.ndim
    axes = list(range(rank)) if axes is None else [int(a) % rank for a in axes]
    k = len(axes)
    width = [(0, 0)] * rank
    crop = [slice(None)] * rank
    for i, a in enumerate(axes):
        b, e = pads[i], pads[k + i]
        width[a] = (max(b, 0), max(e, 0))
        size = data.shape[a] + max(b, 0) + max(e, 0)
        crop[a] = slice(-min(b, 0), size + min(e, 0))
    value = np.asarray(cv).reshape(-1)[0] if cv is not None else 0
    padded = np.pad(data, width, mode="constant", constant_values=value).astype(data.dtype)
    return [padded[tuple(crop)]]


def hp_erf(case: Case):
    """The reference computes Erf through float32 whatever the type."""
    x = np.asarray(case.inputs[0])
    return [np.vectorize(math.erf, otypes=[np.float64])(x.astype(F64)).astype(x.dtype)
            .reshape(x.shape)]


def spec_shape(case: Case):
    """Shape with start/end: negative ones count from the back, then both
    clamp to [0, rank] (the reference slices with the unclamped negative
    value, which counts from the back a second time)."""
    rank = np.asarray(case.inputs[0]).ndim
    def clamp(v):
        v = v + rank if v < 0 else v
        return min(max(v, 0), rank)
    first = clamp(case.attrs.get("start", 0))
    last = clamp(case.attrs["end"]) if "end" in case.attrs else rank
    return [np.array(np.asarray(case.inputs[0]).shape[first:max(first, last)], dtype=I64)]


def spec_flatten(case: Case):
    """Flatten to (prod(d[:axis]), prod(d[axis:])), zero sizes included
    (numpy cannot infer -1 next to a 0)."""
    x = np.asarray(case.inputs[0])
    axis = case.attrs.get("axis", 1)
    axis = axis + x.ndim if axis < 0 else axis
    outer = int(np.prod(x.shape[:axis], dtype=np.int64))
    inner = int(np.prod(x.shape[axis:], dtype=np.int64))
    return [x.reshape(outer, inner)]


def spec_range(case: Case):
    """Range as the spec's pseudocode: output[i] = start + (i * delta) in the
    element type, n = max(ceil((limit - start) / delta), 0). The reference,
    numpy.arange in float64, steps by (start + delta) - start instead of
    delta, which moves float64 results by an ulp or two."""
    start, limit, delta = (np.asarray(v) for v in case.inputs)
    dtype = start.dtype
    if dtype in FLOATS:
        n = max(math.ceil((float(limit) - float(start)) / float(delta)), 0)
        if n > 1 << 20:
            return None
        with np.errstate(all="ignore"):
            out = [dtype.type(start) + dtype.type(i) * dtype.type(delta) for i in range(n)]
        return [np.array(out, dtype=dtype)]
    s, l, d = int(start), int(limit), int(delta)
    n = max(-((s - l) // d) if d > 0 else -((l - s) // -d), 0)
    if n > 1 << 20:
        return None
    return [np.array([s + i * d for i in range(n)], dtype=dtype)]


def hp_erf(case: Case):
    """The reference computes Erf through float32 whatever the type."""
    x = np.asarray(case.inputs[0])
    return [np.vectorize(math.erf, otypes=[np.float64])(x.astype(F64)).astype(x.dtype)
            .reshape(x.shape)]


try:
    import mpmath
except ImportError:  # the float64 reference then stands in
    mpmath = None


def _mp(fn_mp, fn_np):
    """An oracle that evaluates a unary op with 256-bit mpmath and rounds
    once to the result type; fn_np (float64 numpy) takes the special values
    and domain errors."""
    def oracle(case: Case):
        x = np.asarray(case.inputs[0])
        out = np.empty(x.shape, dtype=F64)
        with mpmath.workprec(256), np.errstate(all="ignore"):
            for idx, v in np.ndenumerate(x.astype(F64)):
                r = fn_mp(mpmath.mpf(float(v))) if np.isfinite(v) else None
                out[idx] = float(r) if r is not None else fn_np(np.float64(v))
        with np.errstate(all="ignore"):
            return [out.astype(x.dtype)]
    return oracle


def _mp_pow(case: Case):
    a, b = (np.asarray(v) for v in case.inputs)
    shape = np.broadcast_shapes(a.shape, b.shape)
    af = np.broadcast_to(a.astype(F64), shape)
    bf = np.broadcast_to(b.astype(F64), shape)
    out = np.empty(shape, dtype=F64)
    with mpmath.workprec(256), np.errstate(all="ignore"):
        for idx in np.ndindex(*shape):
            x, y = float(af[idx]), float(bf[idx])
            if not (np.isfinite(x) and np.isfinite(y)) or x == 0 or \
                    (x < 0 and y != int(y)):
                out[idx] = np.power(np.float64(x), np.float64(y))
            else:
                out[idx] = float(mpmath.power(mpmath.mpf(x), mpmath.mpf(y)))
    with np.errstate(all="ignore"):
        return [out.astype(a.dtype)]


def spec_relu(case: Case):
    """Relu with Relu(-0.0) = +0.0. The spec's max(0, x) leaves the sign of
    a zero open, and the reference is inconsistent: numpy.maximum(x, 0)
    gives +0.0 for float32 and float64 (SIMD max) but -0.0 for float16."""
    x = np.asarray(case.inputs[0])
    if x.dtype not in FLOATS:
        return None
    return [np.where(np.isnan(x) | (x > 0), x, np.zeros_like(x))]


def _exact_reduce(mean: bool):
    """ReduceSum / ReduceMean of floats computed exactly (fractions) and
    rounded once to the type."""
    from fractions import Fraction

    def oracle(case: Case):
        data = np.asarray(case.inputs[0])
        if data.dtype not in FLOATS:
            return None
        if "axes" in case.attrs:
            axes = list(case.attrs["axes"])
        elif len(case.inputs) > 1 and case.inputs[1] is not None:
            axes = [int(a) for a in case.inputs[1]]
        else:
            axes = []
        if not axes:
            if case.attrs.get("noop_with_empty_axes", 0):
                return [data]
            axes = list(range(data.ndim))
        axes = sorted({a % data.ndim for a in axes}) if data.ndim else []
        keep = [d for d in range(data.ndim) if d not in axes]
        moved = np.transpose(data, keep + axes) if data.ndim else data
        out_shape = [data.shape[d] for d in keep]
        flat = moved.reshape(int(np.prod(out_shape, dtype=np.int64)), -1)
        out = []
        for row in flat:
            if not np.all(np.isfinite(row)):  # inf and NaN as float64 sums them
                total = np.sum(row.astype(F64))
                out.append(float(total / len(row) if mean else total))
                continue
            total = sum((Fraction(float(v)) for v in row), Fraction(0))
            if mean:
                total /= len(row)
            out.append(float(total))
        result = np.array(out, dtype=F64).astype(data.dtype).reshape(out_shape)
        if case.attrs.get("keepdims", 1):
            result = result.reshape([1 if d in axes else data.shape[d]
                                     for d in range(data.ndim)])
        return [result]
    return oracle


SPEC_ORACLES = {"Slice": spec_slice, "Pad": spec_pad, "Shape": spec_shape,
                "Flatten": spec_flatten, "Range": spec_range, "Relu": spec_relu}
HP_ORACLES = {"Erf": hp_erf, "ReduceSum": _exact_reduce(False),
              "ReduceMean": _exact_reduce(True)}
if mpmath is not None:
    HP_ORACLES.update({
        "Sqrt": _mp(lambda v: mpmath.sqrt(v) if v >= 0 else None, np.sqrt),
        "Exp": _mp(mpmath.exp, np.exp),
        "Log": _mp(lambda v: mpmath.log(v) if v > 0 else None, np.log),
        "Sin": _mp(mpmath.sin, np.sin),
        "Cos": _mp(mpmath.cos, np.cos),
        "Tanh": _mp(mpmath.tanh, np.tanh),
        "Erf": _mp(mpmath.erf, lambda v: np.float64(math.erf(v)) if not np.isnan(v) else v),
        "Sigmoid": _mp(lambda v: 1 / (1 + mpmath.exp(-v)),
                       lambda v: 1 / (1 + np.exp(-v))),
        "Reciprocal": _mp(lambda v: 1 / v if v != 0 else None, lambda v: 1 / v),
        "Pow": _mp_pow,
    })


# ---------------------------------------------------------------------------
# Reproducers in ONNX text syntax
# ---------------------------------------------------------------------------

ONNX_TEXT_TYPE = {F32: "float", F16: "float16", F64: "double", I64: "int64",
                  I32: "int32", I8: "int8", U8: "uint8", BOOL: "bool",
                  I16: "int16", U16: "uint16", U32: "uint32", U64: "uint64"}


def text_type(a: np.ndarray) -> str:
    t = ONNX_TEXT_TYPE[a.dtype]
    return t if a.ndim == 0 else f"{t}[{', '.join(str(d) for d in a.shape)}]"


def text_number(v, dtype) -> str:
    if dtype == BOOL:
        return "1" if v else "0"
    if dtype in FLOATS:
        return repr(float(v))
    return str(int(v))


def text_initializers(name: str, a: np.ndarray, inits: list, nodes: list):
    """Defines `name` holding `a`: directly where the 1.12 text parser reads
    the literal, else from double initializers through Div and Cast (f16,
    subnormals, inf and NaN), which fold exactly."""
    if a.dtype in CARRIER:
        src = carried(a)
        vals = ", ".join(text_number(v, src.dtype) for v in src.reshape(-1))
        inits.append(f"{text_type(src)} {name}_src = {{{vals}}}")
        nodes.append(f"{name} = Cast<to = {NP_TO_ONNX[a.dtype]}>({name}_src)")
        return
    if a.dtype not in FLOATS:
        vals = ", ".join(text_number(v, a.dtype) for v in a.reshape(-1))
        inits.append(f"{text_type(a)} {name} = {{{vals}}}")
        return
    flat = a.reshape(-1).astype(F64)
    plain = all(np.isfinite(v) and (v == 0 or abs(v) >= np.finfo(F32).tiny)
                for v in flat)
    if a.dtype == F32 and plain:
        vals = ", ".join(text_number(v, F32) for v in flat)
        inits.append(f"{text_type(a)} {name} = {{{vals}}}")
        return
    shape = f"[{', '.join(str(d) for d in a.shape)}]" if a.ndim else ""
    special = not all(np.isfinite(flat))
    num = [v if np.isfinite(v) else (0.0 if np.isnan(v) else math.copysign(1.0, v))
           for v in flat]
    src = f"{name}_f64" if a.dtype != F64 else name
    if special:
        den = [1.0 if np.isfinite(v) else 0.0 for v in flat]
        inits.append(f"double{shape} {name}_num = {{{', '.join(repr(float(v)) for v in num)}}}")
        inits.append(f"double{shape} {name}_den = {{{', '.join(repr(float(v)) for v in den)}}}")
        nodes.append(f"{src} = Div({name}_num, {name}_den)")
    else:
        inits.append(f"double{shape} {src} = {{{', '.join(repr(float(v)) for v in num)}}}")
    if a.dtype != F64:
        to = NP_TO_ONNX[a.dtype]
        nodes.append(f"{name} = Cast<to = {to}>({src})")


def text_attr(key: str, value) -> str:
    if isinstance(value, onnx.TensorProto):
        a = numpy_helper.to_array(value)
        vals = ", ".join(text_number(v, a.dtype) for v in a.reshape(-1))
        return f"{key} = {text_type(a)} {{{vals}}}"
    if isinstance(value, str):
        return f'{key} = "{value}"'
    if isinstance(value, (list, tuple)):
        return f"{key} = [{', '.join(str(v) for v in value)}]"
    return f"{key} = {value}"


def to_onnxtxt(case: Case, ref, title: str, checks: list) -> str:
    inits, nodes, names = [], [], []
    graph_inputs = ""
    for i, value in enumerate(case.inputs):
        if value is None:
            names.append("")
            continue
        name = f"in{i}"
        if i == 0 and case.shape_of is not None:
            dims = ", ".join(str(d) if d is not None else f"N{k}"
                             for k, d in enumerate(case.shape_of))
            graph_inputs = f"float[{dims}] X"
            attrs = ", ".join(text_attr(k, v) for k, v in case.shape_attrs.items())
            nodes.append(f"{name} = Shape{f'<{attrs}>' if attrs else ''}(X)")
        else:
            text_initializers(name, np.asarray(value), inits, nodes)
        names.append(name)
    while names and names[-1] == "":
        names.pop()
    outs = [f"out{j}" for j in range(case.n_outputs)]
    attrs = ", ".join(text_attr(k, v) for k, v in case.attrs.items())
    nodes.append(f"{', '.join(outs)} = {case.op}{f'<{attrs}>' if attrs else ''}"
                 f"({', '.join(names)})")
    if isinstance(ref, Exception):
        out_decl = ", ".join(f"float {o}" for o in outs)
    else:
        out_decl = ", ".join(f"{text_type(np.asarray(r))} {o}" for r, o in zip(ref, outs))
    lines = [f"# {title}", "# RUN: intr-opt import %s 2>&1 | FileCheck %s",
             "# CHECK-LABEL: func.func @main"]
    lines += [f"# CHECK: {c}" for c in checks]
    lines += ["<", "  ir_version: 8,", f'  opset_import: ["" : {case.opset}]', ">",
              f"agraph ({graph_inputs}) => ({out_decl})"]
    if inits:
        lines.append("<" + ", ".join(inits) + ">")
    lines.append("{")
    lines += [f"  {n}" for n in nodes]
    lines.append("}")
    return "\n".join(lines) + "\n"


def mlir_literal(a: np.ndarray, intr_opt: str, workdir: str) -> str | None:
    """The constant `a` exactly as intr-opt prints it, as a FileCheck
    pattern: imported as an initializer behind an Identity (which folds
    away), with FileCheck's `[[` escaped."""
    case = Case("Identity", 17, [a])
    case.out_dtypes = [a.dtype]
    status, out, _, _ = run_intr_opt(intr_opt, build_model([case], 17, lambda _: ""),
                                     workdir, "literal")
    m = re.search(r"onnx\.Constant (dense<.*> : tensor<[^>]*>)", out) if status == "ok" else None
    if not m:
        return None
    literal = m.group(1).replace("[[", "[{{\\[}}")
    # The sign of a NaN is unspecified.
    for nan in ("0x7FC00000", "0xFFC00000"):
        literal = literal.replace(nan, "{{0x[7F]FC00000}}")
    for nan in ("0x7E00", "0xFE00"):
        literal = re.sub(rf"{nan}\b", "{{0x[7F]E00}}", literal)
    for nan in ("0x7FF8000000000000", "0xFFF8000000000000"):
        literal = literal.replace(nan, "{{0x[7F]FF8000000000000}}")
    return literal


# ---------------------------------------------------------------------------
# Driver
# ---------------------------------------------------------------------------


def describe(case: Case) -> str:
    parts = []
    for i, v in enumerate(case.inputs):
        if v is None:
            parts.append(f"in{i}=<omitted>")
            continue
        if isinstance(v, str):
            parts.append(f"in{i}: Shape{case.shape_attrs}(X: {list(case.shape_of)}, "
                         f"reference X: {list(case.concrete)})")
            continue
        v = np.asarray(v)
        text = np.array2string(v.reshape(-1)[:16], separator=",", threshold=20,
                               max_line_width=200)
        parts.append(f"in{i}: {v.dtype}{list(v.shape)} {text}")
    attrs = {k: (numpy_helper.to_array(v).tolist() if isinstance(v, onnx.TensorProto)
                 else v) for k, v in case.attrs.items()}
    return f"{case.op} (opset {case.opset}) attrs={attrs} outputs={case.n_outputs}\n      " \
        + "\n      ".join(parts)


def run_op(op: str, args, workdir: str) -> list:
    g = Gen(args.seed, op)
    cases = []
    for k in range(args.cases):
        c = GENERATORS[op](g)
        c.index = k
        cases.append(c)
    refs = {c.index: (RuntimeError("not evaluated (huge)") if c.no_reference
                      else reference(c)) for c in cases}
    for c in cases:
        if not isinstance(refs[c.index], Exception):
            c.out_dtypes = [np.asarray(r).dtype for r in refs[c.index]]
    results: dict[int, Result] = {}

    def import_batch(batch, tag):
        model = build_model(batch, batch[0].opset)
        return run_intr_opt(args.intr_opt, model, workdir, tag)

    by_opset: dict[int, list] = {}
    for c in cases:
        by_opset.setdefault(c.opset, []).append(c)
    batches = []
    for opset, group in sorted(by_opset.items()):
        for s in range(0, len(group), args.batch):
            batches.append(group[s:s + args.batch])
    for bi, batch in enumerate(batches):
        status, out, err, path = import_batch(batch, f"{op}_b{bi}")
        if status == "ok":
            try:
                parsed = ImportOutput(out)
            except Exception as e:  # noqa: BLE001
                status = "error"
                err = f"cannot parse intr-opt output: {e}"
            else:
                pos = 0
                for c in batch:
                    got = parsed.values[pos:pos + c.n_outputs]
                    pos += c.n_outputs
                    results[c.index] = judge(c, got, refs[c.index])
                continue
        # Retry one case at a time to find the failing ones.
        for c in batch:
            status, out, err, path = import_batch([c], f"{op}_c{c.index}")
            ref = refs[c.index]
            if status == "ok":
                try:
                    parsed = ImportOutput(out)
                    results[c.index] = judge(c, parsed.values, ref)
                except Exception as e:  # noqa: BLE001
                    results[c.index] = Result(c, "mismatch",
                                              f"cannot parse intr-opt output: {e}")
            elif status in ("crash", "timeout"):
                results[c.index] = Result(c, "crash", (err.strip().splitlines() or ["?"])[0]
                                          + "\n      " + "\n      ".join(
                                              err.strip().splitlines()[1:6]))
            else:
                line = err.strip().splitlines()[0] if err.strip() else "?"
                # The importer may reject what the reference also rejects.
                if isinstance(ref, Exception):
                    results[c.index] = Result(c, "ref_error", line)
                else:
                    results[c.index] = Result(c, "import_error", line)
    return [results[c.index] for c in cases]


def save_reproducer(save_dir: str, r: Result, n: int, intr_opt: str):
    """Writes the case as .onnx and as a lit test in ONNX text syntax whose
    CHECK lines expect the reference's values (edit them where the
    reference deviates from the spec)."""
    os.makedirs(save_dir, exist_ok=True)
    c = r.case
    ref = reference(c)
    base = os.path.join(save_dir, f"{c.op.lower()}-{r.status}-{n}")
    onnx.save(build_model([c], c.opset, prefix_of=lambda _: ""), base + ".onnx")
    checks = []
    if not isinstance(ref, Exception):
        with tempfile.TemporaryDirectory() as workdir:
            for x in ref:
                literal = mlir_literal(np.asarray(x), intr_opt, workdir)
                checks.append(f"onnx.Constant {literal}" if literal else
                              "(expected value: see the reference)")
    with open(base + ".onnxtxt", "w") as f:
        f.write(to_onnxtxt(c, ref, f"{c.op}: {r.status}: {r.detail.splitlines()[0]}",
                           checks))
    return base


def snapshot_binary(path: str, workdir: str) -> str:
    """Copies `path` once it is an executable that stays unchanged for a
    second (a relink leaves it empty or non-executable for a while)."""
    for _ in range(60):
        try:
            st = os.stat(path)
            if st.st_size and os.access(path, os.X_OK):
                time.sleep(1)
                st2 = os.stat(path)
                if (st2.st_size, st2.st_mtime) == (st.st_size, st.st_mtime):
                    copy = os.path.join(workdir, "intr-opt")
                    shutil.copy2(path, copy)
                    if os.path.getsize(copy) == st.st_size:
                        return copy
        except OSError:
            pass
        time.sleep(5)
    return ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--intr-opt", default=os.path.join(REPO, "build/bin/intr-opt"))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-n", "--cases", type=int, default=500,
                        help="cases per op (default 500)")
    parser.add_argument("--ops", default="", help="comma-separated op types (default all)")
    parser.add_argument("--batch", type=int, default=80, help="cases per imported model")
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--save", default="",
                        help="directory for reproducers (.onnx and .onnxtxt) of the "
                             "first failures of each op")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="list every mismatch, not only the first per op")
    args = parser.parse_args()

    ops = [o for o in args.ops.split(",") if o] or list(GENERATORS)
    unknown = [o for o in ops if o not in GENERATORS]
    if unknown:
        parser.error(f"unknown ops: {', '.join(unknown)}")
    start = time.time()
    workdir = tempfile.mkdtemp(prefix="check_folding_")
    try:
        # Run a private copy: the build may relink the binary meanwhile.
        args.intr_opt = snapshot_binary(args.intr_opt, workdir)
        if not args.intr_opt:
            parser.error("intr-opt is missing (or being relinked for minutes)")
        with ThreadPoolExecutor(max_workers=max(args.jobs, 1)) as pool:
            all_results = dict(zip(ops, pool.map(lambda op: run_op(op, args, workdir),
                                                 ops)))
        return report(args, ops, all_results, start)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def report(args, ops, all_results, start) -> int:

    cols = [("cases", 6), ("folded", 7), ("matched", 8), ("mismatch", 9),
            ("notfold", 8), ("refdev", 7), ("referr", 7), ("imperr", 7), ("crash", 6)]
    header = f"{'op':<16}" + "".join(f"{name:>{w}}" for name, w in cols)
    print(header)
    print("-" * len(header))
    totals = {name: 0 for name, _ in cols}
    failures, notes = [], []
    for op in ops:
        rs = all_results[op]
        count = lambda s: sum(r.status == s for r in rs)  # noqa: E731
        row = {"cases": len(rs), "folded": sum(r.folded for r in rs),
               "matched": count("match"), "mismatch": count("mismatch"),
               "notfold": count("notfolded"), "refdev": sum(r.ref_inexact for r in rs),
               "referr": count("ref_error"), "imperr": count("import_error"),
               "crash": count("crash")}
        for k in totals:
            totals[k] += row[k]
        print(f"{op:<16}" + "".join(f"{row[name]:>{w}}" for name, w in cols))
        # Edge cases are mostly invalid: rejecting them is right.
        bad = ("mismatch", "crash") if op == "Edge" else ("mismatch", "crash", "import_error")
        failures += [r for r in rs if r.status in bad]
        notes += [r for r in rs if r.ref_inexact or r.status in ("ref_error", "notfolded")
                  or (op == "Edge" and r.status == "import_error")]
    print("-" * len(header))
    print(f"{'total':<16}" + "".join(f"{totals[name]:>{w}}" for name, w in cols))
    print(f"\n{time.time() - start:.1f} s, seed {args.seed}, {args.cases} cases per op")
    print("folded: the result became an onnx.Constant; notfold: it stayed an op (its "
          "type still checked);\nrefdev: matched only an alternative oracle (spec text "
          "or correct rounding), see -v;\nreferr: the reference evaluator raised (and "
          "intr-opt rejected or folded it); imperr: intr-opt\nrejected a model the "
          "reference runs (expected in the Edge row: invalid models the reference\n"
          "tolerates); crash: intr-opt died (signal, assertion) or hung")

    shown: dict[tuple, int] = {}
    for r in failures + (notes if args.verbose else []):
        key = (r.case.op, r.status, r.ref_inexact)
        shown[key] = shown.get(key, 0) + 1
        if shown[key] > (3 if args.verbose else 1):
            continue
        label = "refdev" if r.ref_inexact else r.status
        print(f"\n[{label}] case {r.case.index}: {describe(r.case)}\n    -> {r.detail}")
        if args.save and r.status in ("mismatch", "crash", "import_error") \
                and shown[key] <= 3:
            print(f"    saved {save_reproducer(args.save, r, shown[key], args.intr_opt)}"
                  ".onnx/.onnxtxt")
    bad = totals["mismatch"] + totals["crash"]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
