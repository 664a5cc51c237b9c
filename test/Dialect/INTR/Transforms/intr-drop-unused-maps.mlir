// RUN: intr-opt %s -split-input-file --intr-drop-unused-maps | FileCheck %s

// Tests that class attention whose maps nobody reads becomes mha over the
// memory, keeping its scale.
// CHECK-LABEL: func.func @unread_maps
// CHECK: %[[O:.*]] = intr.mha %arg0, %arg1, %arg1 q(%arg2, %arg3) k(%arg2, %arg3) v(%arg2, %arg3) out(%arg2, %arg3) {num_heads = 2 : i64, scale = 5.000000e-01 : f64}
// CHECK-NOT: intr.class_attention
// CHECK: return %[[O]]
func.func @unread_maps(%q: tensor<1x5x8xf32>, %m: tensor<1x6x8xf32>, %w: tensor<8x8xf32>, %b: tensor<8xf32>) -> tensor<1x5x8xf32> {
  %out, %probs, %mean = intr.class_attention %q, %m q(%w, %b) k(%w, %b) v(%w, %b) out(%w, %b)
      {feature_map = array<i64: 2, 3>, num_heads = 2 : i64, scale = 0.5 : f64}
      : (tensor<1x5x8xf32>, tensor<1x6x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>,
         tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>)
      -> (tensor<1x5x8xf32>, tensor<1x2x5x6xf32>, tensor<1x5x6xf32>)
  return %out : tensor<1x5x8xf32>
}

// -----

// Tests that class attention whose mean map is read stays.
// CHECK-LABEL: func.func @read_mean
// CHECK: intr.class_attention
// CHECK-NOT: intr.mha
func.func @read_mean(%q: tensor<1x5x8xf32>, %m: tensor<1x6x8xf32>, %w: tensor<8x8xf32>, %b: tensor<8xf32>) -> tensor<1x5x6xf32> {
  %out, %probs, %mean = intr.class_attention %q, %m q(%w, %b) k(%w, %b) v(%w, %b) out(%w, %b)
      {feature_map = array<i64: 2, 3>, num_heads = 2 : i64}
      : (tensor<1x5x8xf32>, tensor<1x6x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>,
         tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>)
      -> (tensor<1x5x8xf32>, tensor<1x2x5x6xf32>, tensor<1x5x6xf32>)
  return %mean : tensor<1x5x6xf32>
}
