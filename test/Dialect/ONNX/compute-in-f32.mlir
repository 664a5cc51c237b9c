// RUN: intr-opt %s -split-input-file --onnx-compute-in-f32 | FileCheck %s
// RUN: intr-opt %s -split-input-file --onnx-compute-in-f32 2>&1 >/dev/null | FileCheck %s --check-prefix=REMARK

// Tests that an f16 function computes in f32 and keeps its signature: the
// argument is cast up where the body starts, the constant widened exactly
// (0.1 in f16 is 0.0999755859375, printed to 9 digits), the product typed
// f32, and the result cast back just before the return.
// CHECK-LABEL: func.func @f16(%arg0: tensor<1x2xf16>) -> tensor<1x2xf16>
// CHECK: %[[X:.*]] = onnx.Cast %arg0 {to = 1 : si64} : (tensor<1x2xf16>) -> tensor<1x2xf32>
// CHECK: %[[W:.*]] = onnx.Constant dense<[0.0999755859, 2.000000e+00]> : tensor<2xf32>
// CHECK: %[[Y:.*]] = onnx.Mul %[[X]], %[[W]] : (tensor<1x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
// CHECK: %[[R:.*]] = onnx.Cast %[[Y]] {to = 10 : si64} : (tensor<1x2xf32>) -> tensor<1x2xf16>
// CHECK: return %[[R]] : tensor<1x2xf16>
func.func @f16(%x: tensor<1x2xf16>) -> tensor<1x2xf16> {
  %w = onnx.Constant dense<[0.1, 2.0]> : tensor<2xf16>
  %y = onnx.Mul %x, %w : (tensor<1x2xf16>, tensor<2xf16>) -> tensor<1x2xf16>
  return %y : tensor<1x2xf16>
}

// -----

// Tests the ops that name their element type: a Cast to bf16 keeps its
// rounding and is widened after it, a ConstantOfShape of a bf16 value
// fills f32; an f32 input, an integer shape and a bool mask stay as they
// are, and so does the f32 result, which needs no cast back.
// CHECK-LABEL: func.func @named_types
// CHECK-NOT: onnx.Cast %arg0
// CHECK: %[[R:.*]] = onnx.Cast %arg1 {to = 16 : si64} : (tensor<4xi1>) -> tensor<4xbf16>
// CHECK: %[[M:.*]] = onnx.Cast %[[R]] {to = 1 : si64} : (tensor<4xbf16>) -> tensor<4xf32>
// CHECK: %[[F:.*]] = onnx.ConstantOfShape %{{.*}} {value = dense<1.500000e+00> : tensor<1xf32>} : (tensor<1xi64>) -> tensor<4xf32>
// CHECK: %[[S:.*]] = onnx.Add %[[M]], %[[F]] : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
// CHECK: %[[S32:.*]] = onnx.Cast %[[S]] {to = 1 : si64} : (tensor<4xf32>) -> tensor<4xf32>
// CHECK: %[[T:.*]] = onnx.Add %arg0, %[[S32]] : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
// CHECK: return %[[T]] : tensor<4xf32>
func.func @named_types(%x: tensor<4xf32>, %mask: tensor<4xi1>) -> tensor<4xf32> {
  %shape = onnx.Constant dense<4> : tensor<1xi64>
  %m = onnx.Cast %mask {to = 16 : si64} : (tensor<4xi1>) -> tensor<4xbf16>
  %f = onnx.ConstantOfShape %shape {value = dense<1.5> : tensor<1xbf16>} : (tensor<1xi64>) -> tensor<4xbf16>
  %s = onnx.Add %m, %f : (tensor<4xbf16>, tensor<4xbf16>) -> tensor<4xbf16>
  %s32 = onnx.Cast %s {to = 1 : si64} : (tensor<4xbf16>) -> tensor<4xf32>
  %t = onnx.Add %x, %s32 : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %t : tensor<4xf32>
}

// -----

// Tests a half LayerNormalization: its statistics, typed by stash_type,
// become f32 with the rest (stash_type 1, the default, is not printed).
// CHECK-LABEL: func.func @layer_norm
// CHECK: %[[W:.*]] = onnx.Constant dense<2.500000e-01> : tensor<8xf32>
// CHECK: onnx.LayerNormalization %{{.*}}, %[[W]], %[[W]] : (tensor<1x8xf32>, tensor<8xf32>, tensor<8xf32>) -> (tensor<1x8xf32>, tensor<1x1xf32>, tensor<1x1xf32>)
func.func @layer_norm(%x: tensor<1x8xf16>) -> tensor<1x8xf16> {
  %w = onnx.Constant dense<0.25> : tensor<8xf16>
  %y, %mean, %inv = onnx.LayerNormalization %x, %w, %w {stash_type = 10 : si64}
      : (tensor<1x8xf16>, tensor<8xf16>, tensor<8xf16>) -> (tensor<1x8xf16>, tensor<1x1xf16>, tensor<1x1xf16>)
  return %y : tensor<1x8xf16>
}

// -----

// Tests that a half argument returned as it is comes back unchanged (cast
// up and down, exactly) and that a function declaration is left alone.
// CHECK-LABEL: func.func @identity
// CHECK: %[[X:.*]] = onnx.Cast %arg0 {to = 1 : si64} : (tensor<3xbf16>) -> tensor<3xf32>
// CHECK: %[[Y:.*]] = onnx.Cast %[[X]] {to = 16 : si64} : (tensor<3xf32>) -> tensor<3xbf16>
// CHECK: return %[[Y]] : tensor<3xbf16>
// CHECK: func.func private @declared(tensor<3xf16>) -> tensor<3xf16>
func.func @identity(%x: tensor<3xbf16>) -> tensor<3xbf16> {
  return %x : tensor<3xbf16>
}
func.func private @declared(tensor<3xf16>) -> tensor<3xf16>

// -----

// Tests that a model exported in double (an f64 argument) computes in f32:
// the argument is cast down, the constant rounded to nearest f32, a Cast
// to f64 casts to f32, a LayerNormalization's f64 stash becomes f32, and
// the result is cast back to f64; a remark says so.
// CHECK-LABEL: func.func @f64(%arg0: tensor<1x4xf64>, %arg1: tensor<1x4xi64>) -> tensor<1x4xf64>
// CHECK: %[[X:.*]] = onnx.Cast %arg0 {to = 1 : si64} : (tensor<1x4xf64>) -> tensor<1x4xf32>
// CHECK: onnx.Constant dense<[1.000000e-01, 2.000000e+00, 3.000000e+00, 4.000000e+00]> : tensor<4xf32>
// CHECK: %[[C:.*]] = onnx.Cast %arg1 {to = 1 : si64} : (tensor<1x4xi64>) -> tensor<1x4xf32>
// CHECK-NOT: stash_type = 11
// CHECK: onnx.LayerNormalization {{.*}} : (tensor<1x4xf32>, tensor<4xf32>, tensor<4xf32>)
// CHECK: %[[R:.*]] = onnx.Cast %{{.*}} {to = 11 : si64} : (tensor<1x4xf32>) -> tensor<1x4xf64>
// CHECK: return %[[R]] : tensor<1x4xf64>
// REMARK: remark: the model is f64; it computes in f32, its f64 inputs and outputs stay f64
func.func @f64(%x: tensor<1x4xf64>, %n: tensor<1x4xi64>) -> tensor<1x4xf64> {
  %w = onnx.Constant dense<[0.1, 2.0, 3.0, 4.0]> : tensor<4xf64>
  %c = onnx.Cast %n {to = 11 : si64} : (tensor<1x4xi64>) -> tensor<1x4xf64>
  %y = onnx.Mul %x, %w : (tensor<1x4xf64>, tensor<4xf64>) -> tensor<1x4xf64>
  %z = onnx.Add %y, %c : (tensor<1x4xf64>, tensor<1x4xf64>) -> tensor<1x4xf64>
  %ln, %mean, %inv = onnx.LayerNormalization %z, %w, %w {stash_type = 11 : si64} : (tensor<1x4xf64>, tensor<4xf64>, tensor<4xf64>) -> (tensor<1x4xf64>, tensor<1x1xf64>, tensor<1x1xf64>)
  return %ln : tensor<1x4xf64>
}

// -----

// Tests that f64 values in a model of f32 inputs (a positional embedding
// computed in double) stay f64.
// CHECK-LABEL: func.func @f64_island
// CHECK: onnx.Cast %arg0 {to = 11 : si64} : (tensor<4xf32>) -> tensor<4xf64>
// CHECK: onnx.Mul {{.*}} : (tensor<4xf64>, tensor<4xf64>) -> tensor<4xf64>
func.func @f64_island(%x: tensor<4xf32>) -> tensor<4xf32> {
  %d = onnx.Cast %x {to = 11 : si64} : (tensor<4xf32>) -> tensor<4xf64>
  %w = onnx.Constant dense<[0.1, 2.0, 3.0, 4.0]> : tensor<4xf64>
  %y = onnx.Mul %d, %w : (tensor<4xf64>, tensor<4xf64>) -> tensor<4xf64>
  %r = onnx.Cast %y {to = 1 : si64} : (tensor<4xf64>) -> tensor<4xf32>
  return %r : tensor<4xf32>
}

// -----

// Tests that a double model's constants beyond f32's range keep their
// role: torch.finfo(f64).min and .max become f32's largest, .tiny f32's
// smallest normal (not -inf, inf and 0), and that integer inputs do not
// hide that the model is f64 (token ids into an f64 table).
// CHECK-LABEL: func.func @f64_extremes
// CHECK: onnx.Constant dense<[-3.40282347E+38, 3.40282347E+38, 1.17549435E-38, -1.17549435E-38, 1.000000e+00]> : tensor<5xf32>
// CHECK: onnx.Cast %{{.*}} {to = 11 : si64} : (tensor<5xf32>) -> tensor<5xf64>
func.func @f64_extremes(%ids: tensor<5xi64>) -> tensor<5xf64> {
  %c = onnx.Constant dense<[-1.7976931348623157e308, 1.7976931348623157e308, 2.2250738585072014e-308, -1.0e-300, 1.0]> : tensor<5xf64>
  %i = onnx.Cast %ids {to = 11 : si64} : (tensor<5xi64>) -> tensor<5xf64>
  %y = onnx.Mul %i, %c : (tensor<5xf64>, tensor<5xf64>) -> tensor<5xf64>
  return %y : tensor<5xf64>
}

// -----

// Tests that an f32 model with an f64 input beside its f32 one is not a
// double model: the f64 values stay f64.
// CHECK-LABEL: func.func @f64_beside_f32
// CHECK: onnx.Add %{{.*}}, %arg1 : (tensor<3xf64>, tensor<f64>) -> tensor<3xf64>
func.func @f64_beside_f32(%x: tensor<3xf32>, %t: tensor<f64>) -> tensor<3xf32> {
  %d = onnx.Cast %x {to = 11 : si64} : (tensor<3xf32>) -> tensor<3xf64>
  %s = onnx.Add %d, %t : (tensor<3xf64>, tensor<f64>) -> tensor<3xf64>
  %r = onnx.Cast %s {to = 1 : si64} : (tensor<3xf64>) -> tensor<3xf32>
  return %r : tensor<3xf32>
}

// -----

// Tests that in an f32 model the f64 ops that no kernel computes in f64
// (a softmax taken in double, a product with a double weight) compute in
// f32 between casts, the weight's cast left for folding; an f64 op that
// has f64 kernels (Exp) stays f64.
// REMARK: remark: 2 f64 op(s) compute in f32, as their kernels do (this one first)
// CHECK-LABEL: func.func @f64_ops_without_f64_kernels
// CHECK: %[[D:.*]] = onnx.Cast %arg0 {to = 11 : si64} : (tensor<2x3xf32>) -> tensor<2x3xf64>
// CHECK: %[[D32:.*]] = onnx.Cast %[[D]] {to = 1 : si64} : (tensor<2x3xf64>) -> tensor<2x3xf32>
// CHECK: %[[S:.*]] = onnx.Softmax %[[D32]] : tensor<2x3xf32>
// CHECK: %[[S64:.*]] = onnx.Cast %[[S]] {to = 11 : si64} : (tensor<2x3xf32>) -> tensor<2x3xf64>
// CHECK: %[[W:.*]] = onnx.Constant dense<5.000000e-01> : tensor<3x2xf64>
// CHECK: %[[S32:.*]] = onnx.Cast %[[S64]] {to = 1 : si64} : (tensor<2x3xf64>) -> tensor<2x3xf32>
// CHECK: %[[W32:.*]] = onnx.Cast %[[W]] {to = 1 : si64} : (tensor<3x2xf64>) -> tensor<3x2xf32>
// CHECK: %[[P:.*]] = onnx.MatMul %[[S32]], %[[W32]] : (tensor<2x3xf32>, tensor<3x2xf32>) -> tensor<2x2xf32>
// CHECK: %[[P64:.*]] = onnx.Cast %[[P]] {to = 11 : si64} : (tensor<2x2xf32>) -> tensor<2x2xf64>
// CHECK: %[[E:.*]] = onnx.Exp %[[P64]] : (tensor<2x2xf64>) -> tensor<2x2xf64>
// CHECK: onnx.Cast %[[E]] {to = 1 : si64} : (tensor<2x2xf64>) -> tensor<2x2xf32>
func.func @f64_ops_without_f64_kernels(%x: tensor<2x3xf32>) -> tensor<2x2xf32> {
  %d = onnx.Cast %x {to = 11 : si64} : (tensor<2x3xf32>) -> tensor<2x3xf64>
  %s = onnx.Softmax %d : tensor<2x3xf64>
  %w = onnx.Constant dense<0.5> : tensor<3x2xf64>
  %p = onnx.MatMul %s, %w : (tensor<2x3xf64>, tensor<3x2xf64>) -> tensor<2x2xf64>
  %e = onnx.Exp %p : (tensor<2x2xf64>) -> tensor<2x2xf64>
  %r = onnx.Cast %e {to = 1 : si64} : (tensor<2x2xf64>) -> tensor<2x2xf32>
  return %r : tensor<2x2xf32>
}
