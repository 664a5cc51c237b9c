"""Writes models of MatMulInteger and ConvInteger (ONNX text), their
inputs (.npy) and their exact int32 results, with the standard library
alone: the products are summed in Python's integers, the reference.

    integer-products.py OUT_DIR

matmul.onnxtxt: A (uint8 [2, 1000], zero point 3) times a constant B
(int8 [1000, 3], zero points per column) and times B given as an input
(zero point -2). Most differences are large and of one sign in a
column, so the sums pass 2^24,
where f32 stops holding every integer: an f32 product must split its
contraction to be exact. conv.onnxtxt: x (uint8 [1, 2, 5, 5], zero point
7) with a constant w (int8 [3, 2, 3, 3], zero points per filter), pads 1,
stride 2, and with 300 channels of extremes (a constant w and one given
at run time) whose sums pass 2^24 (conv-wide.onnxtxt). matmul-columns.onnxtxt:
a constant B of 1100 columns with a zero point each, a list long enough to
be held as a resource. conv-grouped.onnxtxt: 2 groups of 150 channels of
extremes."""

import os
import struct
import sys

out = sys.argv[1]
os.makedirs(os.path.join(out, "expected"), exist_ok=True)
os.makedirs(os.path.join(out, "expected2"), exist_ok=True)


def values(count, seed, extremes):
    """`count` bytes from a linear congruential generator; about 7 in 8
    are the `extremes` pair, the rest anywhere in [0, 255]."""
    state, result = seed, []
    for _ in range(count):
        state = (state * 1103515245 + 12345) % 2**31
        pick = state >> 16
        result.append(extremes[pick % 2] if pick % 8 else pick % 256)
    return result


def signed(byte):
    return byte - 256 if byte > 127 else byte


def write_npy(name, descr, fmt, shape, data):
    header = "{'descr': '%s', 'fortran_order': False, 'shape': (%s), }" % (
        descr, "".join("%d, " % d for d in shape))
    header += " " * (63 - (10 + len(header)) % 64) + "\n"
    with open(os.path.join(out, name), "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)))
        f.write(header.encode("latin1"))
        f.write(struct.pack("<%d%s" % (len(data), fmt), *data))


def text(data):
    return ", ".join(str(v) for v in data)


# MatMulInteger.
M, K, N = 2, 1000, 3
a = values(M * K, 1, (255, 254))
b_const = [signed(v) for v in values(K * N, 2, (128, 127))]  # -128, 127
b_input = [signed(v) for v in values(K * N, 3, (127, 126))]
a_zero, b_zeros, b_zero = 3, [127, -128, 5], -2
with open(os.path.join(out, "matmul.onnxtxt"), "w") as f:
    f.write("""<
  ir_version: 8,
  opset_import: ["" : 13]
>
agraph (uint8[%d, %d] A, int8[%d, %d] B) => (int32[%d, %d] constant, int32[%d, %d] given)
<int8[%d, %d] W = {%s}, uint8 a_zero = {%d}, int8[%d] w_zero = {%s}, int8 b_zero = {%d}>
{
  constant = MatMulInteger(A, W, a_zero, w_zero)
  given = MatMulInteger(A, B, a_zero, b_zero)
}
""" % (M, K, K, N, M, N, M, N, K, N, text(b_const), a_zero, N, text(b_zeros),
       b_zero))
write_npy("A.npy", "|u1", "B", (M, K), a)
write_npy("B.npy", "|i1", "b", (K, N), b_input)
for name, b, zeros in (("constant", b_const, b_zeros),
                       ("given", b_input, [b_zero] * N)):
    y = [sum((a[i * K + k] - a_zero) * (b[k * N + j] - zeros[j])
             for k in range(K)) for i in range(M) for j in range(N)]
    assert max(abs(v) for v in y) > 2**24
    write_npy(os.path.join("expected", name + ".npy"), "<i4", "i", (M, N), y)

# Two parts (400 rows: 258 and 142) cast back to f32, as dynamic
# quantization does next: the exact sum, past 2^24, rounded once to the
# nearest f32 (struct rounds to nearest even).
K2 = 400
a2 = values(M * K2, 6, (255, 254))
b2 = [signed(v) for v in values(K2 * N, 7, (127, 126))]
with open(os.path.join(out, "matmul-float.onnxtxt"), "w") as f:
    f.write("""<
  ir_version: 8,
  opset_import: ["" : 13]
>
agraph (uint8[%d, %d] A, int8[%d, %d] B) => (float[%d, %d] y, int32[%d, %d] exact)
<int8 b_zero = {-128}>
{
  exact = MatMulInteger(A, B, , b_zero)
  y = Cast<to = 1>(exact)
}
""" % (M, K2, K2, N, M, N, M, N))
write_npy("A2.npy", "|u1", "B", (M, K2), a2)
write_npy("B2.npy", "|i1", "b", (K2, N), b2)
exact = [sum(a2[i * K2 + k] * (b2[k * N + j] + 128) for k in range(K2))
         for i in range(M) for j in range(N)]
assert min(exact) > 2**24 and any(v % 2 for v in exact)
write_npy(os.path.join("expected2", "exact.npy"), "<i4", "i", (M, N), exact)
rounded = [struct.unpack("<f", struct.pack("<f", float(v)))[0] for v in exact]
write_npy(os.path.join("expected2", "y.npy"), "<f4", "f", (M, N), rounded)

# ConvInteger.
C, F, H, W, R = 2, 3, 5, 5, 3
x = values(C * H * W, 4, (255, 0))
w = [signed(v) for v in values(F * C * R * R, 5, (128, 127))]
x_zero, w_zeros = 7, [0, -3, 100]
with open(os.path.join(out, "conv.onnxtxt"), "w") as f:
    f.write("""<
  ir_version: 8,
  opset_import: ["" : 13]
>
agraph (uint8[1, %d, %d, %d] x) => (int32[1, %d, 3, 3] y)
<int8[%d, %d, %d, %d] w = {%s}, uint8 x_zero = {%d}, int8[%d] w_zero = {%s}>
{
  y = ConvInteger<pads = [1, 1, 1, 1], strides = [2, 2]>(x, w, x_zero, w_zero)
}
""" % (C, H, W, F, F, C, R, R, text(w), x_zero, F, text(w_zeros)))
write_npy("x.npy", "|u1", "B", (1, C, H, W), x)
y = []
for f_ in range(F):
    for oy in range(3):
        for ox in range(3):
            total = 0
            for c in range(C):
                for ky in range(R):
                    for kx in range(R):
                        iy, ix = oy * 2 - 1 + ky, ox * 2 - 1 + kx
                        if 0 <= iy < H and 0 <= ix < W:
                            total += ((x[(c * H + iy) * W + ix] - x_zero) *
                                      (w[((f_ * C + c) * R + ky) * R + kx] -
                                       w_zeros[f_]))
            y.append(total)
write_npy(os.path.join("expected", "y.npy"), "<i4", "i", (1, F, 3, 3), y)

# ConvInteger of 300 channels of 3x3 extremes: each output sums 2700
# products of about 255 * 255, past 2^24, with a constant w (zero points
# per filter) and a w given at run time.
C, F, R = 300, 2, 3
x = values(C * R * R, 8, (255, 254))
w = [signed(v) for v in values(F * C * R * R, 9, (128, 129))]  # -128, -127
w_given = [signed(v) for v in values(F * C * R * R, 10, (127, 126))]
w_zeros, w_zero = [0, 1], -128
with open(os.path.join(out, "conv-wide.onnxtxt"), "w") as f:
    f.write("""<
  ir_version: 8,
  opset_import: ["" : 13]
>
agraph (uint8[1, %d, %d, %d] x, int8[%d, %d, %d, %d] w) => (int32[1, %d, 1, 1] constant, int32[1, %d, 1, 1] given)
<int8[%d, %d, %d, %d] W = {%s}, int8[%d] w_zero = {%s}, int8 g_zero = {%d}>
{
  constant = ConvInteger(x, W, , w_zero)
  given = ConvInteger(x, w, , g_zero)
}
""" % (C, R, R, F, C, R, R, F, F, F, C, R, R, text(w), F, text(w_zeros),
       w_zero))
write_npy("x-wide.npy", "|u1", "B", (1, C, R, R), x)
write_npy("w-wide.npy", "|i1", "b", (F, C, R, R), w_given)
os.makedirs(os.path.join(out, "expected-wide"), exist_ok=True)
for name, weights, zeros in (("constant", w, w_zeros),
                             ("given", w_given, [w_zero] * F)):
    y = [sum(x[t] * (weights[f_ * C * R * R + t] - zeros[f_])
             for t in range(C * R * R)) for f_ in range(F)]
    assert min(abs(v) for v in y) > 2**24
    write_npy(os.path.join("expected-wide", name + ".npy"), "<i4", "i",
              (1, F, 1, 1), y)

# MatMulInteger of a constant B [300, 1100] with 1100 zero points: both
# are constants, so B less its zero points folds to f32 weights, and its
# columns' sums (differences mostly of 1) need no split, where a B given
# at run time would split its 300 rows in two.
K3, N3 = 300, 1100
a3 = values(M * K3, 11, (255, 3))
b3 = [signed(v) for v in values(K3 * N3, 12, (1, 2))]
z3 = [signed(v) for v in values(N3, 13, (0, 1))]
with open(os.path.join(out, "matmul-columns.onnxtxt"), "w") as f:
    f.write("""<
  ir_version: 8,
  opset_import: ["" : 13]
>
agraph (uint8[%d, %d] A) => (int32[%d, %d] y)
<int8[%d, %d] W = {%s}, int8[%d] w_zero = {%s}>
{
  y = MatMulInteger(A, W, , w_zero)
}
""" % (M, K3, M, N3, K3, N3, text(b3), N3, text(z3)))
write_npy("A3.npy", "|u1", "B", (M, K3), a3)
os.makedirs(os.path.join(out, "expected-columns"), exist_ok=True)
y = [sum(a3[i * K3 + k] * (b3[k * N3 + j] - z3[j]) for k in range(K3))
     for i in range(M) for j in range(N3)]
write_npy(os.path.join("expected-columns", "y.npy"), "<i4", "i", (M, N3), y)

# ConvInteger of 2 groups of 150 channels of 3x3 extremes, a filter each:
# each output sums 1350 products of about 255 * 255, past 2^24.
G, CG, R = 2, 150, 3
x = values(G * CG * R * R, 14, (255, 254))
w = [signed(v) for v in values(G * CG * R * R, 15, (128, 129))]  # -128, -127
w_zeros = [127, 126]
with open(os.path.join(out, "conv-grouped.onnxtxt"), "w") as f:
    f.write("""<
  ir_version: 8,
  opset_import: ["" : 13]
>
agraph (uint8[1, %d, %d, %d] x) => (int32[1, %d, 1, 1] y)
<int8[%d, %d, %d, %d] W = {%s}, int8[%d] w_zero = {%s}>
{
  y = ConvInteger<group = %d>(x, W, , w_zero)
}
""" % (G * CG, R, R, G, G, CG, R, R, text(w), G, text(w_zeros), G))
write_npy("x-grouped.npy", "|u1", "B", (1, G * CG, R, R), x)
os.makedirs(os.path.join(out, "expected-grouped"), exist_ok=True)
taps = CG * R * R
y = [sum(x[g * taps + t] * (w[g * taps + t] - w_zeros[g]) for t in range(taps))
     for g in range(G)]
assert min(abs(v) for v in y) > 2**24
write_npy(os.path.join("expected-grouped", "y.npy"), "<i4", "i", (1, G, 1, 1),
          y)
