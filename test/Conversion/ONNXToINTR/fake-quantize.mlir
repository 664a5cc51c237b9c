// RUN: intr-opt %s -split-input-file --onnx-decompose --convert-onnx-to-intr | FileCheck %s
// RUN: intr-opt %s -split-input-file --onnx-decompose --cse --convert-onnx-to-intr | FileCheck %s --check-prefix=CSE

// Quantization round trips, as onnx-decompose expands them, become
// intr.fake_quantize. The kernels' bits are the expansion's (RuntimeTests'
// FakeQuantizeIsTheRoundTripsOps); test/e2e/quantized-model.test runs a
// quantized model against ONNX's reference.

// Tests that a round trip with a uint8 zero point of 128 becomes one
// fake_quantize whose bounds are uint8's range less the zero point, and a
// second DequantizeLinear of the same QuantizeLinear another; after CSE,
// as the pipeline runs it, they are one.
// CHECK-LABEL: func.func @round_trip
// CHECK: %[[A:.*]] = intr.fake_quantize %arg0 {high = 127 : i64, low = -128 : i64, scale = 5.000000e-02 : f32} : tensor<2x8xf32>
// CHECK: %[[B:.*]] = intr.fake_quantize %arg0 {high = 127 : i64, low = -128 : i64, scale = 5.000000e-02 : f32} : tensor<2x8xf32>
// CHECK-NOT: onnx.
// CHECK: return %[[A]], %[[B]]
// CSE-LABEL: func.func @round_trip
// CSE: %[[A:.*]] = intr.fake_quantize %arg0
// CSE-NOT: onnx.
// CSE: return %[[A]], %[[A]]
func.func @round_trip(%x: tensor<2x8xf32>) -> (tensor<2x8xf32>, tensor<2x8xf32>) {
  %scale = onnx.Constant dense<0.05> : tensor<f32>
  %zero = onnx.Constant dense<128> : tensor<ui8>
  %q = onnx.QuantizeLinear %x, %scale, %zero : (tensor<2x8xf32>, tensor<f32>, tensor<ui8>) -> tensor<2x8xui8>
  %0 = onnx.DequantizeLinear %q, %scale, %zero : (tensor<2x8xui8>, tensor<f32>, tensor<ui8>) -> tensor<2x8xf32>
  %1 = onnx.DequantizeLinear %q, %scale, %zero : (tensor<2x8xui8>, tensor<f32>, tensor<ui8>) -> tensor<2x8xf32>
  return %0, %1 : tensor<2x8xf32>, tensor<2x8xf32>
}

// -----

// Tests an int8 round trip with a zero point of 0, and one with -3, on
// images around a convolution.
// CHECK-LABEL: func.func @int8_round_trips
// CHECK: intr.fake_quantize %arg0 {high = 127 : i64, low = -128 : i64, scale = 2.500000e-01 : f32} : tensor<1x2x4x4xf32>
// CHECK: intr.conv2d
// CHECK: intr.fake_quantize %{{.*}} {high = 130 : i64, low = -125 : i64, scale = 1.250000e-01 : f32} : tensor<1x2x4x4xf32>
// CHECK-NOT: onnx.
func.func @int8_round_trips(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %s = onnx.Constant dense<0.25> : tensor<f32>
  %none = onnx.NoValue
  %z0 = onnx.Constant dense<0> : tensor<i8>
  %q = onnx.QuantizeLinear %x, %s, %z0 : (tensor<1x2x4x4xf32>, tensor<f32>, tensor<i8>) -> tensor<1x2x4x4xi8>
  %d = onnx.DequantizeLinear %q, %s, %z0 : (tensor<1x2x4x4xi8>, tensor<f32>, tensor<i8>) -> tensor<1x2x4x4xf32>
  %w = onnx.Constant dense<1.0> : tensor<2x2x1x1xf32>
  %c = onnx.Conv %d, %w, %none : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, none) -> tensor<1x2x4x4xf32>
  %t = onnx.Constant dense<0.125> : tensor<f32>
  %z = onnx.Constant dense<-3> : tensor<i8>
  %q2 = onnx.QuantizeLinear %c, %t, %z : (tensor<1x2x4x4xf32>, tensor<f32>, tensor<i8>) -> tensor<1x2x4x4xi8>
  %d2 = onnx.DequantizeLinear %q2, %t, %z : (tensor<1x2x4x4xi8>, tensor<f32>, tensor<i8>) -> tensor<1x2x4x4xf32>
  return %d2 : tensor<1x2x4x4xf32>
}

// -----

// Tests that the expansion written out raises too, and what does not:
// another scale in the Mul, bounds that are no integers, an Add of -0
// (which folds away, keeping a rounded -0), and a Round that another op
// reads.
// CHECK-LABEL: func.func @written_out
// CHECK: %[[F:.*]] = intr.fake_quantize %arg0 {high = 3 : i64, low = -4 : i64, scale = 5.000000e-01 : f32} : tensor<8xf32>
// CHECK-NOT: intr.fake_quantize
// CHECK: return %[[F]]
func.func @written_out(%x: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) {
  %s = onnx.Constant dense<0.5> : tensor<f32>
  %other = onnx.Constant dense<0.25> : tensor<f32>
  %lo = onnx.Constant dense<-4.0> : tensor<f32>
  %hi = onnx.Constant dense<3.0> : tensor<f32>
  %half = onnx.Constant dense<3.5> : tensor<f32>
  %zero = onnx.Constant dense<0.0> : tensor<f32>
  %minus = onnx.Constant dense<-0.0> : tensor<f32>
  %d0 = onnx.Div %x, %s : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %c0 = onnx.Clip %d0, %lo, %hi : (tensor<8xf32>, tensor<f32>, tensor<f32>) -> tensor<8xf32>
  %r0 = onnx.Round %c0 : (tensor<8xf32>) -> tensor<8xf32>
  %a0 = onnx.Add %r0, %zero : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %y0 = onnx.Mul %a0, %s : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %d1 = onnx.Div %x, %s : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %c1 = onnx.Clip %d1, %lo, %hi : (tensor<8xf32>, tensor<f32>, tensor<f32>) -> tensor<8xf32>
  %r1 = onnx.Round %c1 : (tensor<8xf32>) -> tensor<8xf32>
  %a1 = onnx.Add %r1, %zero : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %y1 = onnx.Mul %a1, %other : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %d2 = onnx.Div %x, %s : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %c2 = onnx.Clip %d2, %lo, %half : (tensor<8xf32>, tensor<f32>, tensor<f32>) -> tensor<8xf32>
  %r2 = onnx.Round %c2 : (tensor<8xf32>) -> tensor<8xf32>
  %a2 = onnx.Add %r2, %zero : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %y2 = onnx.Mul %a2, %s : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %d3 = onnx.Div %x, %s : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %c3 = onnx.Clip %d3, %lo, %hi : (tensor<8xf32>, tensor<f32>, tensor<f32>) -> tensor<8xf32>
  %r3 = onnx.Round %c3 : (tensor<8xf32>) -> tensor<8xf32>
  %a3 = onnx.Add %r3, %minus : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %y3 = onnx.Mul %a3, %s : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %d4 = onnx.Div %x, %s : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %c4 = onnx.Clip %d4, %lo, %hi : (tensor<8xf32>, tensor<f32>, tensor<f32>) -> tensor<8xf32>
  %r4 = onnx.Round %c4 : (tensor<8xf32>) -> tensor<8xf32>
  %a4 = onnx.Add %r4, %zero : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %y4 = onnx.Mul %a4, %s : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  return %y0, %y1, %y2, %y3, %y4, %r4 : tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>
}

// -----

// Tests that a round trip of an unranked tensor stays as its ops
// (fake_quantize is of ranked tensors).
// CHECK-LABEL: func.func @unranked
// CHECK-NOT: intr.fake_quantize
// CHECK: onnx.Mul
func.func @unranked(%x: tensor<*xf32>) -> tensor<*xf32> {
  %scale = onnx.Constant dense<0.05> : tensor<f32>
  %zero = onnx.Constant dense<128> : tensor<ui8>
  %q = onnx.QuantizeLinear %x, %scale, %zero : (tensor<*xf32>, tensor<f32>, tensor<ui8>) -> tensor<*xui8>
  %0 = onnx.DequantizeLinear %q, %scale, %zero : (tensor<*xui8>, tensor<f32>, tensor<ui8>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

// Tests that a round trip whose QuantizeLinear is read as well (here as
// an output) still becomes a fake_quantize: the quantization's expansion
// keeps the Div they share after CSE.
// CSE-LABEL: func.func @quantized_value_read_too
// CSE: %[[D:.*]] = onnx.Div %arg0
// CSE: onnx.Round %[[D]]
// CSE: %[[Q:.*]] = onnx.Cast %{{.*}} -> tensor<2x8xui8>
// CSE: %[[F:.*]] = intr.fake_quantize %arg0 {high = 127 : i64, low = -128 : i64, scale = 5.000000e-02 : f32} : tensor<2x8xf32>
// CSE: return %[[F]], %[[Q]]
func.func @quantized_value_read_too(%x: tensor<2x8xf32>) -> (tensor<2x8xf32>, tensor<2x8xui8>) {
  %scale = onnx.Constant dense<0.05> : tensor<f32>
  %zero = onnx.Constant dense<128> : tensor<ui8>
  %q = onnx.QuantizeLinear %x, %scale, %zero : (tensor<2x8xf32>, tensor<f32>, tensor<ui8>) -> tensor<2x8xui8>
  %0 = onnx.DequantizeLinear %q, %scale, %zero : (tensor<2x8xui8>, tensor<f32>, tensor<ui8>) -> tensor<2x8xf32>
  return %0, %q : tensor<2x8xf32>, tensor<2x8xui8>
}
