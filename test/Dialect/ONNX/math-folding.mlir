// RUN: intr-opt %s --canonicalize --split-input-file | FileCheck %s

// Tests that float arithmetic folds with numpy broadcasting.
// CHECK-LABEL: func.func @float_arithmetic
// CHECK-NEXT: %[[C:.*]] = onnx.Constant dense<{{\[\[}}3.000000e+00, 9.000000e+00, 2.000000e+00], [9.000000e+00, 2.100000e+01, 3.000000e+00]]> : tensor<2x3xf32>
// CHECK-NEXT: %[[D:.*]] = onnx.Constant dense<{{\[\[}}5.000000e-01, 1.750000e+00, 0.000000e+00], [3.500000e+00, 4.750000e+00, 3.000000e+00]]> : tensor<2x3xf32>
// CHECK-NEXT: return %[[C]], %[[D]]
func.func @float_arithmetic() -> (tensor<2x3xf32>, tensor<2x3xf32>) {
  %a = onnx.Constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %b = onnx.Constant dense<[0.5, 0.25, 3.0]> : tensor<3xf32>
  %0 = onnx.Add %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %1 = onnx.Div %0, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %2 = onnx.Mul %b, %a : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %3 = onnx.Sub %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %4 = onnx.Sub %3, %2 : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %5 = onnx.Add %4, %2 : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return %1, %5 : tensor<2x3xf32>, tensor<2x3xf32>
}

// -----

// Tests that f32 arithmetic rounds to f32 (1 + 2^-24 is 1) and f16
// arithmetic to f16 (2048 + 1 is 2048).
// CHECK-LABEL: func.func @float_rounding
// CHECK-DAG: onnx.Constant dense<1.000000e+00> : tensor<f32>
// CHECK-DAG: onnx.Constant dense<2.048000e+03> : tensor<f16>
func.func @float_rounding() -> (tensor<f32>, tensor<f16>) {
  %a = onnx.Constant dense<1.0> : tensor<f32>
  %b = onnx.Constant dense<5.96046448E-8> : tensor<f32>
  %0 = onnx.Add %a, %b : (tensor<f32>, tensor<f32>) -> tensor<f32>
  %c = onnx.Constant dense<2048.0> : tensor<f16>
  %d = onnx.Constant dense<1.0> : tensor<f16>
  %1 = onnx.Add %c, %d : (tensor<f16>, tensor<f16>) -> tensor<f16>
  return %0, %1 : tensor<f32>, tensor<f16>
}

// -----

// Tests that integer division truncates toward zero and integers wrap.
// CHECK-LABEL: func.func @integer_arithmetic
// CHECK-DAG: %[[Q:.*]] = onnx.Constant dense<-3> : tensor<2xi64>
// CHECK-DAG: %[[W:.*]] = onnx.Constant dense<[-126, 44]> : tensor<2xi8>
// CHECK-DAG: %[[U:.*]] = onnx.Constant dense<[127, 2]> : tensor<2xui8>
// CHECK: return %[[Q]], %[[W]], %[[U]]
func.func @integer_arithmetic() -> (tensor<2xi64>, tensor<2xi8>, tensor<2xui8>) {
  %i = onnx.Constant dense<[-7, 7]> : tensor<2xi64>
  %j = onnx.Constant dense<[2, -2]> : tensor<2xi64>
  %0 = onnx.Div %i, %j : (tensor<2xi64>, tensor<2xi64>) -> tensor<2xi64>
  %a = onnx.Constant dense<[127, 100]> : tensor<2xi8>
  %b = onnx.Constant dense<[3, 200]> : tensor<2xi8>
  %1 = onnx.Add %a, %b : (tensor<2xi8>, tensor<2xi8>) -> tensor<2xi8>
  %u = onnx.Constant dense<[254, 5]> : tensor<2xui8>
  %v = onnx.Constant dense<2> : tensor<ui8>
  %2 = onnx.Div %u, %v : (tensor<2xui8>, tensor<ui8>) -> tensor<2xui8>
  return %0, %1, %2 : tensor<2xi64>, tensor<2xi8>, tensor<2xui8>
}

// -----

// Tests that integer division by zero and INT_MIN / -1 are not folded.
// CHECK-LABEL: func.func @integer_division_undefined
// CHECK: onnx.Div
// CHECK: onnx.Div
func.func @integer_division_undefined() -> (tensor<2xi64>, tensor<i32>) {
  %i = onnx.Constant dense<[-7, 7]> : tensor<2xi64>
  %z = onnx.Constant dense<[2, 0]> : tensor<2xi64>
  %0 = onnx.Div %i, %z : (tensor<2xi64>, tensor<2xi64>) -> tensor<2xi64>
  %m = onnx.Constant dense<-2147483648> : tensor<i32>
  %n = onnx.Constant dense<-1> : tensor<i32>
  %1 = onnx.Div %m, %n : (tensor<i32>, tensor<i32>) -> tensor<i32>
  return %0, %1 : tensor<2xi64>, tensor<i32>
}

// -----

// Tests that Pow folds float bases with integer and float exponents, and
// integer bases with non-negative integer exponents.
// CHECK-LABEL: func.func @pow
// CHECK-DAG: %[[F:.*]] = onnx.Constant dense<[2.500000e-01, 6.250000e-02, 9.000000e+00]> : tensor<3xf32>
// CHECK-DAG: %[[T:.*]] = onnx.Constant dense<[1.000000e+00, 1.000000e+02]> : tensor<2xf32>
// CHECK-DAG: %[[I:.*]] = onnx.Constant dense<[27, -8, 125]> : tensor<3xi32>
// CHECK: return %[[F]], %[[T]], %[[I]]
func.func @pow() -> (tensor<3xf32>, tensor<2xf32>, tensor<3xi32>) {
  %b = onnx.Constant dense<[0.5, 0.25, 3.0]> : tensor<3xf32>
  %e = onnx.Constant dense<2> : tensor<i64>
  %0 = onnx.Pow %b, %e : (tensor<3xf32>, tensor<i64>) -> tensor<3xf32>
  %t = onnx.Constant dense<10000.0> : tensor<f32>
  %h = onnx.Constant dense<[0.0, 0.5]> : tensor<2xf32>
  %1 = onnx.Pow %t, %h : (tensor<f32>, tensor<2xf32>) -> tensor<2xf32>
  %k = onnx.Constant dense<[3, -2, 5]> : tensor<3xi32>
  %e3 = onnx.Constant dense<3> : tensor<i32>
  %2 = onnx.Pow %k, %e3 : (tensor<3xi32>, tensor<i32>) -> tensor<3xi32>
  return %0, %1, %2 : tensor<3xf32>, tensor<2xf32>, tensor<3xi32>
}

// -----

// Tests that an integer base with a negative exponent is not folded.
// CHECK-LABEL: func.func @pow_negative_integer_exponent
// CHECK: onnx.Pow
func.func @pow_negative_integer_exponent() -> tensor<2xi8> {
  %p = onnx.Constant dense<[2, 3]> : tensor<2xi8>
  %e = onnx.Constant dense<[-1, 2]> : tensor<2xi8>
  %0 = onnx.Pow %p, %e : (tensor<2xi8>, tensor<2xi8>) -> tensor<2xi8>
  return %0 : tensor<2xi8>
}

// -----

// Tests that comparisons fold to bool, NaN comparing false, and that the
// logic ops fold.
// CHECK-LABEL: func.func @comparisons_and_logic
// CHECK-DAG: %[[LT:.*]] = onnx.Constant dense<{{\[\[}}true, false], [false, false]]> : tensor<2x2xi1>
// CHECK-DAG: %[[EQ:.*]] = onnx.Constant dense<[true, false, false]> : tensor<3xi1>
// CHECK-DAG: %[[GT:.*]] = onnx.Constant dense<[false, true, false]> : tensor<3xi1>
// CHECK-DAG: %[[UGT:.*]] = onnx.Constant dense<[true, false]> : tensor<2xi1>
// CHECK-DAG: %[[NOT:.*]] = onnx.Constant dense<[false, false, true, true]> : tensor<4xi1>
// CHECK: return %[[LT]], %[[EQ]], %[[GT]], %[[UGT]], %[[NOT]]
func.func @comparisons_and_logic() -> (tensor<2x2xi1>, tensor<3xi1>, tensor<3xi1>, tensor<2xi1>, tensor<4xi1>) {
  %c1 = onnx.Constant dense<[[1.0], [2.0]]> : tensor<2x1xf32>
  %c2 = onnx.Constant dense<[2.0, 1.0]> : tensor<2xf32>
  %0 = onnx.Less %c1, %c2 : (tensor<2x1xf32>, tensor<2xf32>) -> tensor<2x2xi1>
  %n = onnx.Constant dense<[1.0, 2.0, 0x7FC00000]> : tensor<3xf32>
  %m = onnx.Constant dense<[1.0, 1.0, 0x7FC00000]> : tensor<3xf32>
  %1 = onnx.Equal %n, %m : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xi1>
  %2 = onnx.Greater %n, %m : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xi1>
  %u = onnx.Constant dense<[200, 1]> : tensor<2xui8>
  %v = onnx.Constant dense<[100, 2]> : tensor<2xui8>
  %3 = onnx.Greater %u, %v : (tensor<2xui8>, tensor<2xui8>) -> tensor<2xi1>
  %t = onnx.Constant dense<[true, false, true, false]> : tensor<4xi1>
  %s = onnx.Constant dense<[true, true, false, false]> : tensor<4xi1>
  %4 = onnx.And %t, %s : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
  %5 = onnx.Or %4, %s : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
  %6 = onnx.Not %5 : (tensor<4xi1>) -> tensor<4xi1>
  return %0, %1, %2, %3, %6 : tensor<2x2xi1>, tensor<3xi1>, tensor<3xi1>, tensor<2xi1>, tensor<4xi1>
}

// -----

// Tests that the float unary ops fold, rounded to f32 (NaN for the square
// root and logarithm of -1, -inf for log 0, inf for 1 / 0).
// CHECK-LABEL: func.func @float_unary
// CHECK-DAG: %[[SQRT:.*]] = onnx.Constant dense<[0xFFC00000, 0.000000e+00, 0.707106769, 2.000000e+00]> : tensor<4xf32>
// CHECK-DAG: %[[RELU:.*]] = onnx.Constant dense<[0.000000e+00, 0.000000e+00, 5.000000e-01, 4.000000e+00]> : tensor<4xf32>
// CHECK-DAG: %[[SIN:.*]] = onnx.Constant dense<[-0.841470957, 0.000000e+00, 0.47942555, -0.756802499]> : tensor<4xf32>
// CHECK-DAG: %[[COS:.*]] = onnx.Constant dense<[0.540302277, 1.000000e+00, 0.87758255, -0.653643608]> : tensor<4xf32>
// CHECK-DAG: %[[ERF:.*]] = onnx.Constant dense<[-0.842700779, 0.000000e+00, 0.520499885, 1.000000e+00]> : tensor<4xf32>
// CHECK-DAG: %[[EXP:.*]] = onnx.Constant dense<[0.36787945, 1.000000e+00, 1.64872122, 54.5981483]> : tensor<4xf32>
// CHECK-DAG: %[[LOG:.*]] = onnx.Constant dense<[0xFFC00000, 0xFF800000, -0.693147182, 1.38629436]> : tensor<4xf32>
// CHECK-DAG: %[[NEG:.*]] = onnx.Constant dense<[1.000000e+00, -0.000000e+00, -5.000000e-01, -4.000000e+00]> : tensor<4xf32>
// CHECK-DAG: %[[ABS:.*]] = onnx.Constant dense<[1.000000e+00, 0.000000e+00, 5.000000e-01, 4.000000e+00]> : tensor<4xf32>
// CHECK-DAG: %[[TANH:.*]] = onnx.Constant dense<[-0.761594176, 0.000000e+00, 0.462117165, 0.999329328]> : tensor<4xf32>
// CHECK-DAG: %[[SIGMOID:.*]] = onnx.Constant dense<[0.268941432, 5.000000e-01, 0.622459352, 0.982013761]> : tensor<4xf32>
// CHECK-DAG: %[[RECIPROCAL:.*]] = onnx.Constant dense<[-1.000000e+00, 0x7F800000, 2.000000e+00, 2.500000e-01]> : tensor<4xf32>
// CHECK: return %[[SQRT]], %[[RELU]], %[[SIN]], %[[COS]], %[[ERF]], %[[EXP]], %[[LOG]], %[[NEG]], %[[ABS]], %[[TANH]], %[[SIGMOID]], %[[RECIPROCAL]]
func.func @float_unary() -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %x = onnx.Constant dense<[-1.0, 0.0, 0.5, 4.0]> : tensor<4xf32>
  %0 = onnx.Sqrt %x : (tensor<4xf32>) -> tensor<4xf32>
  %1 = onnx.Relu %x : (tensor<4xf32>) -> tensor<4xf32>
  %2 = onnx.Sin %x : (tensor<4xf32>) -> tensor<4xf32>
  %3 = onnx.Cos %x : (tensor<4xf32>) -> tensor<4xf32>
  %4 = onnx.Erf %x : (tensor<4xf32>) -> tensor<4xf32>
  %5 = onnx.Exp %x : (tensor<4xf32>) -> tensor<4xf32>
  %6 = onnx.Log %x : (tensor<4xf32>) -> tensor<4xf32>
  %7 = onnx.Neg %x : (tensor<4xf32>) -> tensor<4xf32>
  %8 = onnx.Abs %x : (tensor<4xf32>) -> tensor<4xf32>
  %9 = onnx.Tanh %x : (tensor<4xf32>) -> tensor<4xf32>
  %10 = onnx.Sigmoid %x : (tensor<4xf32>) -> tensor<4xf32>
  %11 = onnx.Reciprocal %x : (tensor<4xf32>) -> tensor<4xf32>
  return %0, %1, %2, %3, %4, %5, %6, %7, %8, %9, %10, %11 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// Tests that both Gelu forms fold.
// CHECK-LABEL: func.func @gelu
// CHECK-DAG: %[[EXACT:.*]] = onnx.Constant dense<[-0.158655256, 0.000000e+00, 0.345731229, 3.9998734]> : tensor<4xf32>
// CHECK-DAG: %[[TANH:.*]] = onnx.Constant dense<[-0.158808008, 0.000000e+00, 3.457140e-01, 3.99992967]> : tensor<4xf32>
// CHECK: return %[[EXACT]], %[[TANH]]
func.func @gelu() -> (tensor<4xf32>, tensor<4xf32>) {
  %x = onnx.Constant dense<[-1.0, 0.0, 0.5, 4.0]> : tensor<4xf32>
  %0 = onnx.Gelu %x : (tensor<4xf32>) -> tensor<4xf32>
  %1 = onnx.Gelu %x {approximate = "tanh"} : (tensor<4xf32>) -> tensor<4xf32>
  return %0, %1 : tensor<4xf32>, tensor<4xf32>
}

// -----

// Tests that Relu, Neg and Abs fold on integers (wrapping at INT_MIN).
// CHECK-LABEL: func.func @integer_unary
// CHECK-DAG: %[[RELU:.*]] = onnx.Constant dense<[0, 0, 5]> : tensor<3xi8>
// CHECK-DAG: %[[NEG:.*]] = onnx.Constant dense<[-128, 3, -5]> : tensor<3xi8>
// CHECK-DAG: %[[ABS:.*]] = onnx.Constant dense<[-128, 3, 5]> : tensor<3xi8>
// CHECK: return %[[RELU]], %[[NEG]], %[[ABS]]
func.func @integer_unary() -> (tensor<3xi8>, tensor<3xi8>, tensor<3xi8>) {
  %i = onnx.Constant dense<[-128, -3, 5]> : tensor<3xi8>
  %0 = onnx.Relu %i : (tensor<3xi8>) -> tensor<3xi8>
  %1 = onnx.Neg %i : (tensor<3xi8>) -> tensor<3xi8>
  %2 = onnx.Abs %i : (tensor<3xi8>) -> tensor<3xi8>
  return %0, %1, %2 : tensor<3xi8>, tensor<3xi8>, tensor<3xi8>
}

// -----

// Tests that Cast folds as ONNX converts: floats to integers truncate toward
// zero, anything to bool tests for non-zero, integers round to nearest even
// floats directly (2^24 + 1 to 2^24), f32 overflows f16 to inf, integers
// narrow by wrapping, and bool and ui8 convert as unsigned.
// CHECK-LABEL: func.func @cast
// CHECK-DAG: %[[TRUNC:.*]] = onnx.Constant dense<[-2, 0, 0, 2]> : tensor<4xi64>
// CHECK-DAG: %[[BOOL:.*]] = onnx.Constant dense<[true, false, true, true]> : tensor<4xi1>
// CHECK-DAG: %[[FLOAT:.*]] = onnx.Constant dense<[0x4B800000, -1.000000e+00, 3.000000e+00]> : tensor<3xf32>
// CHECK-DAG: %[[FROMBOOL:.*]] = onnx.Constant dense<[1.000000e+00, 0.000000e+00]> : tensor<2xf32>
// CHECK-DAG: %[[HALF:.*]] = onnx.Constant dense<[1.000980e+00, 0x7C00]> : tensor<2xf16>
// CHECK-DAG: %[[UNSIGNED:.*]] = onnx.Constant dense<[2.550000e+02, 1.000000e+00]> : tensor<2xf32>
// CHECK-DAG: %[[NARROW:.*]] = onnx.Constant dense<[44, 127]> : tensor<2xi8>
// CHECK-DAG: %[[NONZERO:.*]] = onnx.Constant dense<[true, false]> : tensor<2xi1>
// CHECK: return %[[TRUNC]], %[[BOOL]], %[[FLOAT]], %[[FROMBOOL]], %[[HALF]], %[[UNSIGNED]], %[[NARROW]], %[[NONZERO]]
func.func @cast() -> (tensor<4xi64>, tensor<4xi1>, tensor<3xf32>, tensor<2xf32>, tensor<2xf16>, tensor<2xf32>, tensor<2xi8>, tensor<2xi1>) {
  %x = onnx.Constant dense<[-2.7, -0.0, 0.5, 2.9]> : tensor<4xf32>
  %0 = onnx.Cast %x {to = 7 : si64} : (tensor<4xf32>) -> tensor<4xi64>
  %1 = onnx.Cast %x {to = 9 : si64} : (tensor<4xf32>) -> tensor<4xi1>
  %i = onnx.Constant dense<[16777217, -1, 3]> : tensor<3xi64>
  %2 = onnx.Cast %i {to = 1 : si64} : (tensor<3xi64>) -> tensor<3xf32>
  %b = onnx.Constant dense<[true, false]> : tensor<2xi1>
  %3 = onnx.Cast %b {to = 1 : si64} : (tensor<2xi1>) -> tensor<2xf32>
  %h = onnx.Constant dense<[1.0009765625, 70000.0]> : tensor<2xf32>
  %4 = onnx.Cast %h {to = 10 : si64} : (tensor<2xf32>) -> tensor<2xf16>
  %u = onnx.Constant dense<[255, 1]> : tensor<2xui8>
  %5 = onnx.Cast %u {to = 1 : si64} : (tensor<2xui8>) -> tensor<2xf32>
  %w = onnx.Constant dense<[300, -129]> : tensor<2xi64>
  %6 = onnx.Cast %w {to = 3 : si64} : (tensor<2xi64>) -> tensor<2xi8>
  %n = onnx.Constant dense<[256, 0]> : tensor<2xi64>
  %7 = onnx.Cast %n {to = 9 : si64} : (tensor<2xi64>) -> tensor<2xi1>
  return %0, %1, %2, %3, %4, %5, %6, %7 : tensor<4xi64>, tensor<4xi1>, tensor<3xf32>, tensor<2xf32>, tensor<2xf16>, tensor<2xf32>, tensor<2xi8>, tensor<2xi1>
}

// -----

// Tests that a float outside the target integer range is not folded (ONNX
// leaves it undefined).
// CHECK-LABEL: func.func @cast_out_of_range
// CHECK: onnx.Cast
func.func @cast_out_of_range() -> tensor<2xui8> {
  %x = onnx.Constant dense<[255.9, 256.0]> : tensor<2xf32>
  %0 = onnx.Cast %x {to = 2 : si64} : (tensor<2xf32>) -> tensor<2xui8>
  return %0 : tensor<2xui8>
}

// -----

// Tests that a Cast to the input's own type folds to the input.
// CHECK-LABEL: func.func @cast_same_type
// CHECK-NOT: onnx.Cast
// CHECK: return %arg0
func.func @cast_same_type(%x: tensor<3xf32>) -> tensor<3xf32> {
  %0 = onnx.Cast %x {to = 1 : si64} : (tensor<3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

// Tests that Where folds with three-way broadcasting.
// CHECK-LABEL: func.func @where
// CHECK-NEXT: %[[C:.*]] = onnx.Constant dense<{{\[\[}}1.000000e+00, 2.000000e+00, 3.000000e+00], [-1.000000e+00, -1.000000e+00, -1.000000e+00]]> : tensor<2x3xf32>
// CHECK-NEXT: return %[[C]]
func.func @where() -> tensor<2x3xf32> {
  %c = onnx.Constant dense<[[true], [false]]> : tensor<2x1xi1>
  %a = onnx.Constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %b = onnx.Constant dense<-1.0> : tensor<f32>
  %0 = onnx.Where %c, %a, %b : (tensor<2x1xi1>, tensor<3xf32>, tensor<f32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// Tests that Clip folds as numpy's clip: below min takes min, then above
// max takes max (so with min > max every element is max), a NaN input
// stays and a NaN bound is taken; an absent bound clips nothing, and on
// integers the comparisons have the type's signedness.
// CHECK-LABEL: func.func @clip
// CHECK-DAG: %[[BOTH:.*]] = onnx.Constant dense<[0.000000e+00, 5.000000e-01, 6.000000e+00, 0x7FC00000]> : tensor<4xf32>
// CHECK-DAG: %[[CROSSED:.*]] = onnx.Constant dense<[2.000000e+00, 2.000000e+00, 2.000000e+00, 0x7FC00000]> : tensor<4xf32>
// CHECK-DAG: %[[NANMAX:.*]] = onnx.Constant dense<0x7FC00000> : tensor<4xf32>
// CHECK-DAG: %[[MINONLY:.*]] = onnx.Constant dense<[0.000000e+00, 5.000000e-01, 7.000000e+00, 0x7FC00000]> : tensor<4xf32>
// CHECK-DAG: %[[SIGNED:.*]] = onnx.Constant dense<[-1, 3, 200]> : tensor<3xi64>
// CHECK-DAG: %[[UNSIGNED:.*]] = onnx.Constant dense<[10, 10, 200]> : tensor<3xui8>
// CHECK: return %[[BOTH]], %[[CROSSED]], %[[NANMAX]], %[[MINONLY]], %[[SIGNED]], %[[UNSIGNED]]
func.func @clip() -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<3xi64>, tensor<3xui8>) {
  %none = onnx.NoValue
  %x = onnx.Constant dense<[-3.0, 0.5, 7.0, 0x7FC00000]> : tensor<4xf32>
  %zero = onnx.Constant dense<0.0> : tensor<f32>
  %six = onnx.Constant dense<6.0> : tensor<1xf32>
  %two = onnx.Constant dense<2.0> : tensor<f32>
  %nan = onnx.Constant dense<0x7FC00000> : tensor<f32>
  %0 = onnx.Clip %x, %zero, %six : (tensor<4xf32>, tensor<f32>, tensor<1xf32>) -> tensor<4xf32>
  %1 = onnx.Clip %x, %six, %two : (tensor<4xf32>, tensor<1xf32>, tensor<f32>) -> tensor<4xf32>
  %2 = onnx.Clip %x, %zero, %nan : (tensor<4xf32>, tensor<f32>, tensor<f32>) -> tensor<4xf32>
  %3 = onnx.Clip %x, %zero, %none : (tensor<4xf32>, tensor<f32>, none) -> tensor<4xf32>
  %i = onnx.Constant dense<[-5, 3, 200]> : tensor<3xi64>
  %lo = onnx.Constant dense<-1> : tensor<i64>
  %4 = onnx.Clip %i, %lo, %none : (tensor<3xi64>, tensor<i64>, none) -> tensor<3xi64>
  %u = onnx.Constant dense<[1, 10, 200]> : tensor<3xui8>
  %ten = onnx.Constant dense<10> : tensor<ui8>
  %5 = onnx.Clip %u, %ten, %none : (tensor<3xui8>, tensor<ui8>, none) -> tensor<3xui8>
  return %0, %1, %2, %3, %4, %5 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<3xi64>, tensor<3xui8>
}

// -----

// Tests that Clip without bounds is its input, and that one whose operands
// are not all constants stays.
// CHECK-LABEL: func.func @clip_not_constant
// CHECK: %[[C:.*]] = onnx.Clip %arg0
// CHECK: return %arg0, %[[C]]
func.func @clip_not_constant(%x: tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>) {
  %none = onnx.NoValue
  %six = onnx.Constant dense<6.0> : tensor<f32>
  %0 = onnx.Clip %x, %none, %none : (tensor<3xf32>, none, none) -> tensor<3xf32>
  %1 = onnx.Clip %x, %none, %six : (tensor<3xf32>, none, tensor<f32>) -> tensor<3xf32>
  return %0, %1 : tensor<3xf32>, tensor<3xf32>
}

// -----

// Tests that Where with a constant condition selects X or Y when that has
// the result's type, and stays when the condition broadcasts it.
// CHECK-LABEL: func.func @where_constant_condition
// CHECK: %[[W:.*]] = onnx.Where
// CHECK: return %arg0, %arg1, %[[W]]
func.func @where_constant_condition(%x: tensor<3xf32>, %y: tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>, tensor<2x3xf32>) {
  %t = onnx.Constant dense<true> : tensor<3xi1>
  %f = onnx.Constant dense<false> : tensor<i1>
  %0 = onnx.Where %t, %x, %y : (tensor<3xi1>, tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  %1 = onnx.Where %f, %x, %y : (tensor<i1>, tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  %c = onnx.Constant dense<true> : tensor<2x3xi1>
  %2 = onnx.Where %c, %x, %y : (tensor<2x3xi1>, tensor<3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return %0, %1, %2 : tensor<3xf32>, tensor<3xf32>, tensor<2x3xf32>
}

// -----

// Tests that CumSum folds along a scalar or 1-element axis, exclusive and
// reversed, on floats and integers.
// CHECK-LABEL: func.func @cumsum
// CHECK-DAG: %[[SUM:.*]] = onnx.Constant dense<{{\[\[}}1.000000e+00, 3.000000e+00, 6.000000e+00], [4.000000e+00, 9.000000e+00, 1.500000e+01]]> : tensor<2x3xf32>
// CHECK-DAG: %[[EXREV:.*]] = onnx.Constant dense<{{\[\[}}5.000000e+00, 3.000000e+00, 0.000000e+00], [1.100000e+01, 6.000000e+00, 0.000000e+00]]> : tensor<2x3xf32>
// CHECK-DAG: %[[EX0:.*]] = onnx.Constant dense<{{\[\[}}0.000000e+00, 0.000000e+00, 0.000000e+00], [1.000000e+00, 2.000000e+00, 3.000000e+00]]> : tensor<2x3xf32>
// CHECK-DAG: %[[REV:.*]] = onnx.Constant dense<{{\[\[}}6, 5, 3], [15, 11, 6]]> : tensor<2x3xi32>
// CHECK: return %[[SUM]], %[[EXREV]], %[[EX0]], %[[REV]]
func.func @cumsum() -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xi32>) {
  %x = onnx.Constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %ax = onnx.Constant dense<1> : tensor<i64>
  %ax0 = onnx.Constant dense<[-2]> : tensor<1xi32>
  %0 = onnx.CumSum %x, %ax : (tensor<2x3xf32>, tensor<i64>) -> tensor<2x3xf32>
  %1 = onnx.CumSum %x, %ax {exclusive = 1 : si64, reverse = 1 : si64} : (tensor<2x3xf32>, tensor<i64>) -> tensor<2x3xf32>
  %2 = onnx.CumSum %x, %ax0 {exclusive = 1 : si64} : (tensor<2x3xf32>, tensor<1xi32>) -> tensor<2x3xf32>
  %xi = onnx.Constant dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi32>
  %3 = onnx.CumSum %xi, %ax {reverse = 1 : si64} : (tensor<2x3xi32>, tensor<i64>) -> tensor<2x3xi32>
  return %0, %1, %2, %3 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xi32>
}

// -----

// Tests that CumSum rounds every partial sum to f32, as a loop in f32 does
// (2^24 + 1 + 1 stays 2^24).
// CHECK-LABEL: func.func @cumsum_rounding
// CHECK: onnx.Constant dense<[0x4B800000, 0x4B800000, 0x4B800000, 0x4B800001]> : tensor<4xf32>
func.func @cumsum_rounding() -> tensor<4xf32> {
  %r = onnx.Constant dense<[16777216.0, 1.0, 1.0, 2.0]> : tensor<4xf32>
  %z = onnx.Constant dense<0> : tensor<i64>
  %0 = onnx.CumSum %r, %z : (tensor<4xf32>, tensor<i64>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Tests that the reductions fold: axes as input or attribute, keepdims,
// all axes when none are given, NaN winning ReduceMax, integer means
// truncating and bool maxima.
// CHECK-LABEL: func.func @reductions
// CHECK-DAG: %[[SUM:.*]] = onnx.Constant dense<{{\[\[}}9.000000e+00], [1.500000e+01]]> : tensor<2x1xf32>
// CHECK-DAG: %[[MEAN0:.*]] = onnx.Constant dense<[2.500000e+00, 3.500000e+00, 6.000000e+00]> : tensor<3xf32>
// CHECK-DAG: %[[MAXALL:.*]] = onnx.Constant dense<0x7FC00000> : tensor<f32>
// CHECK-DAG: %[[MAX0:.*]] = onnx.Constant dense<{{\[\[}}4.000000e+00, 0x7FC00000, 6.000000e+00]]> : tensor<1x3xf32>
// CHECK-DAG: %[[IMEAN:.*]] = onnx.Constant dense<[-2, 3]> : tensor<2xi32>
// CHECK-DAG: %[[BMAX:.*]] = onnx.Constant dense<[true, false]> : tensor<2xi1>
// CHECK-DAG: %[[MEANALL:.*]] = onnx.Constant dense<4.000000e+00> : tensor<1x1xf32>
// CHECK: return %[[SUM]], %[[MEAN0]], %[[MAXALL]], %[[MAX0]], %[[IMEAN]], %[[BMAX]], %[[MEANALL]]
func.func @reductions() -> (tensor<2x1xf32>, tensor<3xf32>, tensor<f32>, tensor<1x3xf32>, tensor<2xi32>, tensor<2xi1>, tensor<1x1xf32>) {
  %x = onnx.Constant dense<[[1.0, 2.0, 6.0], [4.0, 0x7FC00000, 6.0]]> : tensor<2x3xf32>
  %y = onnx.Constant dense<[[1.0, 2.0, 6.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %none = onnx.NoValue
  %a1 = onnx.Constant dense<[-1]> : tensor<1xi64>
  %a0 = onnx.Constant dense<[0]> : tensor<1xi64>
  %0 = onnx.ReduceSum %y, %a1 : (tensor<2x3xf32>, tensor<1xi64>) -> tensor<2x1xf32>
  %1 = onnx.ReduceMean %y, %none {axes = array<i64: 0>, keepdims = 0 : si64} : (tensor<2x3xf32>, none) -> tensor<3xf32>
  %2 = onnx.ReduceMax %x, %none {keepdims = 0 : si64} : (tensor<2x3xf32>, none) -> tensor<f32>
  %3 = onnx.ReduceMax %x, %a0 : (tensor<2x3xf32>, tensor<1xi64>) -> tensor<1x3xf32>
  %xi = onnx.Constant dense<[[-7, 0, 0], [7, 1, 1]]> : tensor<2x3xi32>
  %4 = onnx.ReduceMean %xi, %a1 {keepdims = 0 : si64} : (tensor<2x3xi32>, tensor<1xi64>) -> tensor<2xi32>
  %b = onnx.Constant dense<[[false, true], [false, false]]> : tensor<2x2xi1>
  %5 = onnx.ReduceMax %b, %a1 {keepdims = 0 : si64} : (tensor<2x2xi1>, tensor<1xi64>) -> tensor<2xi1>
  %6 = onnx.ReduceMean %y, %none : (tensor<2x3xf32>, none) -> tensor<1x1xf32>
  return %0, %1, %2, %3, %4, %5, %6 : tensor<2x1xf32>, tensor<3xf32>, tensor<f32>, tensor<1x3xf32>, tensor<2xi32>, tensor<2xi1>, tensor<1x1xf32>
}

// -----

// Tests that a reduction with empty axes and noop_with_empty_axes folds to
// its input, and that one over a computed axes input does not fold.
// CHECK-LABEL: func.func @reduction_noop
// CHECK: %[[R:.*]] = onnx.ReduceMax %arg0, %arg1
// CHECK: return %arg0, %arg0, %[[R]]
func.func @reduction_noop(%x: tensor<2x3xf32>, %axes: tensor<1xi64>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<?x?xf32>) {
  %none = onnx.NoValue
  %empty = onnx.Constant dense<> : tensor<0xi64>
  %0 = onnx.ReduceSum %x, %none {noop_with_empty_axes = 1 : si64} : (tensor<2x3xf32>, none) -> tensor<2x3xf32>
  %1 = onnx.ReduceMean %x, %empty {noop_with_empty_axes = 1 : si64} : (tensor<2x3xf32>, tensor<0xi64>) -> tensor<2x3xf32>
  %2 = onnx.ReduceMax %x, %axes : (tensor<2x3xf32>, tensor<1xi64>) -> tensor<?x?xf32>
  return %0, %1, %2 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<?x?xf32>
}

// -----

// Tests the exact identities: x * 1, x / 1, x + -0.0 and x - +0.0 for
// floats (not x + +0.0, which turns -0.0 into +0.0, nor x - -0.0), x + 0
// and x / 1 for integers, x and true, x or false, on either side.
// CHECK-LABEL: func.func @identities
// CHECK-DAG: %[[NZ:.*]] = onnx.Constant dense<-0.000000e+00> : tensor<f32>
// CHECK-DAG: %[[PZ:.*]] = onnx.Constant dense<0.000000e+00> : tensor<f32>
// CHECK-DAG: %[[ADD:.*]] = onnx.Add %arg0, %[[PZ]]
// CHECK-DAG: %[[SUB:.*]] = onnx.Sub %arg0, %[[NZ]]
// CHECK-NOT: onnx.Mul
// CHECK-NOT: onnx.Div
// CHECK-NOT: onnx.And
// CHECK-NOT: onnx.Or
// CHECK: return %arg0, %arg0, %[[ADD]], %arg0, %[[SUB]], %arg0, %arg1, %arg1, %arg2, %arg2
func.func @identities(%x: tensor<3xf32>, %i: tensor<3xi32>, %b: tensor<3xi1>) -> (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xi32>, tensor<3xi32>, tensor<3xi1>, tensor<3xi1>) {
  %one = onnx.Constant dense<1.0> : tensor<f32>
  %nz = onnx.Constant dense<-0.0> : tensor<f32>
  %pz = onnx.Constant dense<0.0> : tensor<f32>
  %0 = onnx.Mul %one, %x : (tensor<f32>, tensor<3xf32>) -> tensor<3xf32>
  %1 = onnx.Add %x, %nz : (tensor<3xf32>, tensor<f32>) -> tensor<3xf32>
  %2 = onnx.Add %x, %pz : (tensor<3xf32>, tensor<f32>) -> tensor<3xf32>
  %3 = onnx.Sub %x, %pz : (tensor<3xf32>, tensor<f32>) -> tensor<3xf32>
  %4 = onnx.Sub %x, %nz : (tensor<3xf32>, tensor<f32>) -> tensor<3xf32>
  %5 = onnx.Div %x, %one : (tensor<3xf32>, tensor<f32>) -> tensor<3xf32>
  %zi = onnx.Constant dense<0> : tensor<3xi32>
  %6 = onnx.Add %zi, %i : (tensor<3xi32>, tensor<3xi32>) -> tensor<3xi32>
  %oi = onnx.Constant dense<[1, 1, 1]> : tensor<3xi32>
  %7 = onnx.Div %i, %oi : (tensor<3xi32>, tensor<3xi32>) -> tensor<3xi32>
  %t = onnx.Constant dense<true> : tensor<i1>
  %f = onnx.Constant dense<false> : tensor<i1>
  %8 = onnx.And %t, %b : (tensor<i1>, tensor<3xi1>) -> tensor<3xi1>
  %9 = onnx.Or %b, %f : (tensor<3xi1>, tensor<i1>) -> tensor<3xi1>
  return %0, %1, %2, %3, %4, %5, %6, %7, %8, %9 : tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xi32>, tensor<3xi32>, tensor<3xi1>, tensor<3xi1>
}

// -----

// Tests that an identity that would broadcast x to a larger shape does not
// fold.
// CHECK-LABEL: func.func @identity_broadcasts
// CHECK: onnx.Mul %arg0, %{{.*}} : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
func.func @identity_broadcasts(%x: tensor<3xf32>) -> tensor<2x3xf32> {
  %ones = onnx.Constant dense<1.0> : tensor<2x3xf32>
  %0 = onnx.Mul %x, %ones : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// Tests that results of more than 2^20 elements are not folded, and that a
// splat result of exactly 2^20 is.
// CHECK-LABEL: func.func @size_limit
// CHECK-DAG: %[[TWO:.*]] = onnx.Constant dense<2.000000e+00> : tensor<1024x1024xf32>
// CHECK-DAG: %[[BIG:.*]] = onnx.Add %{{.*}}, %{{.*}} : (tensor<1025x1024xf32>, tensor<1025x1024xf32>) -> tensor<1025x1024xf32>
// CHECK: return %[[BIG]], %[[TWO]]
func.func @size_limit() -> (tensor<1025x1024xf32>, tensor<1024x1024xf32>) {
  %a = onnx.Constant dense<1.0> : tensor<1025x1024xf32>
  %0 = onnx.Add %a, %a : (tensor<1025x1024xf32>, tensor<1025x1024xf32>) -> tensor<1025x1024xf32>
  %b = onnx.Constant dense<1.0> : tensor<1024x1024xf32>
  %1 = onnx.Add %b, %b : (tensor<1024x1024xf32>, tensor<1024x1024xf32>) -> tensor<1024x1024xf32>
  return %0, %1 : tensor<1025x1024xf32>, tensor<1024x1024xf32>
}

// -----

// Tests that ops on non-constant operands stay.
// CHECK-LABEL: func.func @not_constant
// CHECK: onnx.Add
// CHECK: onnx.Sin
// CHECK: onnx.CumSum
func.func @not_constant(%x: tensor<3xf32>, %axis: tensor<i64>) -> tensor<3xf32> {
  %c = onnx.Constant dense<2.0> : tensor<3xf32>
  %0 = onnx.Add %x, %c : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  %1 = onnx.Sin %0 : (tensor<3xf32>) -> tensor<3xf32>
  %2 = onnx.CumSum %c, %axis : (tensor<3xf32>, tensor<i64>) -> tensor<3xf32>
  %3 = onnx.Add %1, %2 : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return %3 : tensor<3xf32>
}

// -----

// Tests that the sine positional encoding of a padding mask folds to
// constants: Not, Cast, CumSum, Mul, Pow, Div, Sin and Cos on constants.
// CHECK-LABEL: func.func @positional_encoding
// CHECK-DAG: %[[SIN:.*]] = onnx.Constant dense<{{\[\[\[\[}}1.74845553E-7, 0.0627905205], [1.74845553E-7, 0.0627905205], [1.74845553E-7, 0.0627905205]], {{\[\[}}3.49691106E-7, 0.125333235], [3.49691106E-7, 0.125333235], [3.49691106E-7, 0.125333235]]]]> : tensor<1x2x3x2xf32>
// CHECK-DAG: %[[COS:.*]] = onnx.Constant dense<{{\[\[\[\[}}0.540302277, 0.999949991], [-0.416146845, 9.998000e-01], [-0.989992499, 0.999550044]], {{\[\[}}0.540302277, 0.999949991], [-0.416146845, 9.998000e-01], [-0.989992499, 0.999550044]]]]> : tensor<1x2x3x2xf32>
// CHECK: return %[[SIN]], %[[COS]]
func.func @positional_encoding() -> (tensor<1x2x3x2xf32>, tensor<1x2x3x2xf32>) {
  %mask = onnx.Constant dense<false> : tensor<1x2x3x1xi1>
  %not = onnx.Not %mask : (tensor<1x2x3x1xi1>) -> tensor<1x2x3x1xi1>
  %ones = onnx.Cast %not {to = 1 : si64} : (tensor<1x2x3x1xi1>) -> tensor<1x2x3x1xf32>
  %ax1 = onnx.Constant dense<1> : tensor<i64>
  %ax2 = onnx.Constant dense<2> : tensor<i64>
  %y = onnx.CumSum %ones, %ax1 : (tensor<1x2x3x1xf32>, tensor<i64>) -> tensor<1x2x3x1xf32>
  %x = onnx.CumSum %ones, %ax2 : (tensor<1x2x3x1xf32>, tensor<i64>) -> tensor<1x2x3x1xf32>
  %scale = onnx.Constant dense<6.28318548> : tensor<f32>
  %ys = onnx.Mul %y, %scale : (tensor<1x2x3x1xf32>, tensor<f32>) -> tensor<1x2x3x1xf32>
  %temp = onnx.Constant dense<10000.0> : tensor<f32>
  %exp = onnx.Constant dense<[0.0, 0.5]> : tensor<2xf32>
  %dim = onnx.Pow %temp, %exp : (tensor<f32>, tensor<2xf32>) -> tensor<2xf32>
  %py = onnx.Div %ys, %dim : (tensor<1x2x3x1xf32>, tensor<2xf32>) -> tensor<1x2x3x2xf32>
  %px = onnx.Div %x, %dim : (tensor<1x2x3x1xf32>, tensor<2xf32>) -> tensor<1x2x3x2xf32>
  %s = onnx.Sin %py : (tensor<1x2x3x2xf32>) -> tensor<1x2x3x2xf32>
  %c = onnx.Cos %px : (tensor<1x2x3x2xf32>) -> tensor<1x2x3x2xf32>
  return %s, %c : tensor<1x2x3x2xf32>, tensor<1x2x3x2xf32>
}

// -----

// Tests that Mod folds with B's sign (fmod = 0, Python's %) or A's (fmod =
// 1, C's fmod), for integers and floats, and not for a zero divisor.
// CHECK-LABEL: func.func @mod
// CHECK-DAG: %[[P:.*]] = onnx.Constant dense<[1, -1, -1, 1]> : tensor<4xi64>
// CHECK-DAG: %[[C:.*]] = onnx.Constant dense<[-1, 1, -1, 1]> : tensor<4xi64>
// CHECK-DAG: %[[F:.*]] = onnx.Constant dense<[1.500000e+00, -1.500000e+00]> : tensor<2xf32>
// CHECK-DAG: %[[G:.*]] = onnx.Constant dense<[-5.000000e-01, 5.000000e-01]> : tensor<2xf32>
// CHECK: %[[Z:.*]] = onnx.Mod
// CHECK: return %[[P]], %[[C]], %[[F]], %[[G]], %[[Z]]
func.func @mod() -> (tensor<4xi64>, tensor<4xi64>, tensor<2xf32>, tensor<2xf32>, tensor<1xi64>) {
  %a = onnx.Constant dense<[-7, 7, -7, 7]> : tensor<4xi64>
  %b = onnx.Constant dense<[2, -2, -2, 2]> : tensor<4xi64>
  %0 = onnx.Mod %a, %b : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi64>
  %1 = onnx.Mod %a, %b {fmod = 1 : si64} : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi64>
  %x = onnx.Constant dense<[-2.5, 2.5]> : tensor<2xf32>
  %y = onnx.Constant dense<[2.0, -2.0]> : tensor<2xf32>
  %2 = onnx.Mod %x, %y : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  %3 = onnx.Mod %x, %y {fmod = 1 : si64} : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  %one = onnx.Constant dense<1> : tensor<1xi64>
  %zero = onnx.Constant dense<0> : tensor<1xi64>
  %4 = onnx.Mod %one, %zero : (tensor<1xi64>, tensor<1xi64>) -> tensor<1xi64>
  return %0, %1, %2, %3, %4 : tensor<4xi64>, tensor<4xi64>, tensor<2xf32>, tensor<2xf32>, tensor<1xi64>
}

// -----

// Tests that Floor, Ceil and Round fold, Round taking halves to even.
// CHECK-LABEL: func.func @rounding
// CHECK-DAG: onnx.Constant dense<[-2.000000e+00, -1.000000e+00, 0.000000e+00, 1.000000e+00, 2.000000e+00]> : tensor<5xf32>
// CHECK-DAG: onnx.Constant dense<[-1.000000e+00, -0.000000e+00, 1.000000e+00, 2.000000e+00, 3.000000e+00]> : tensor<5xf32>
// CHECK-DAG: onnx.Constant dense<[-2.000000e+00, -0.000000e+00, 0.000000e+00, 2.000000e+00, 2.000000e+00]> : tensor<5xf32>
// CHECK-NOT: onnx.Floor
// CHECK-NOT: onnx.Ceil
// CHECK-NOT: onnx.Round
func.func @rounding() -> (tensor<5xf32>, tensor<5xf32>, tensor<5xf32>) {
  %x = onnx.Constant dense<[-1.5, -0.5, 0.5, 1.5, 2.5]> : tensor<5xf32>
  %0 = onnx.Floor %x : (tensor<5xf32>) -> tensor<5xf32>
  %1 = onnx.Ceil %x : (tensor<5xf32>) -> tensor<5xf32>
  %2 = onnx.Round %x : (tensor<5xf32>) -> tensor<5xf32>
  return %0, %1, %2 : tensor<5xf32>, tensor<5xf32>, tensor<5xf32>
}

// -----

// Tests that a Cast of an exact widening (f16 to f32, f32 to f64) casts the
// original instead, which rounds the same value once: back to the
// original's type it is the original; to f16 it is one cast. A Cast of a
// narrowing (f64 to f32, f32 to f16) rounds, and stays.
// CHECK-LABEL: func.func @cast_of_widening
// CHECK: %[[H:.*]] = onnx.Cast %arg0 {to = 10 : si64} : (tensor<3xf32>) -> tensor<3xf16>
// CHECK: %[[N:.*]] = onnx.Cast %arg1 {to = 1 : si64} : (tensor<3xf64>) -> tensor<3xf32>
// CHECK: %[[N64:.*]] = onnx.Cast %[[N]] {to = 11 : si64} : (tensor<3xf32>) -> tensor<3xf64>
// CHECK: %[[R:.*]] = onnx.Cast %arg0 {to = 10 : si64} : (tensor<3xf32>) -> tensor<3xf16>
// CHECK: %[[R32:.*]] = onnx.Cast %[[R]] {to = 1 : si64} : (tensor<3xf16>) -> tensor<3xf32>
// CHECK: return %arg0, %arg2, %[[H]], %[[N64]], %[[R32]]
func.func @cast_of_widening(%x: tensor<3xf32>, %d: tensor<3xf64>, %h: tensor<3xf16>) -> (tensor<3xf32>, tensor<3xf16>, tensor<3xf16>, tensor<3xf64>, tensor<3xf32>) {
  %x64 = onnx.Cast %x {to = 11 : si64} : (tensor<3xf32>) -> tensor<3xf64>
  %back = onnx.Cast %x64 {to = 1 : si64} : (tensor<3xf64>) -> tensor<3xf32>
  %h32 = onnx.Cast %h {to = 1 : si64} : (tensor<3xf16>) -> tensor<3xf32>
  %h16 = onnx.Cast %h32 {to = 10 : si64} : (tensor<3xf32>) -> tensor<3xf16>
  %x16 = onnx.Cast %x64 {to = 10 : si64} : (tensor<3xf64>) -> tensor<3xf16>
  %d32 = onnx.Cast %d {to = 1 : si64} : (tensor<3xf64>) -> tensor<3xf32>
  %d64 = onnx.Cast %d32 {to = 11 : si64} : (tensor<3xf32>) -> tensor<3xf64>
  %r16 = onnx.Cast %x {to = 10 : si64} : (tensor<3xf32>) -> tensor<3xf16>
  %r32 = onnx.Cast %r16 {to = 1 : si64} : (tensor<3xf16>) -> tensor<3xf32>
  return %back, %h16, %x16, %d64, %r32 : tensor<3xf32>, tensor<3xf16>, tensor<3xf16>, tensor<3xf64>, tensor<3xf32>
}
