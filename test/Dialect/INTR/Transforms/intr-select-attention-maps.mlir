// RUN: intr-opt %s -split-input-file --intr-select-attention-maps=last-layer | FileCheck %s
// RUN: intr-opt %s -split-input-file --intr-select-attention-maps=last-layer --canonicalize --intr-drop-unused-maps | FileCheck %s --check-prefix=FOLDED
// RUN: intr-opt %s -split-input-file --intr-select-attention-maps=head-mean --canonicalize --intr-drop-unused-maps | FileCheck %s --check-prefix=MEAN
// RUN: intr-opt %s -split-input-file --intr-select-attention-maps="last-layer head-mean" --canonicalize --intr-drop-unused-maps | FileCheck %s --check-prefix=BOTH
// RUN: intr-opt %s -split-input-file --intr-select-attention-maps | FileCheck %s --check-prefix=UNCHANGED

// Tests that the maps stacked along the leading axis keep their last layer
// through a Slice of [L - 1, L) on axis 0, the layer axis staying with size
// 1, that the logits and the function's other result types stay, and,
// once the Slice folds into the Concat that stacks the layers, that the
// first layer's class attention, whose maps nobody reads then, becomes an
// mha while the last one keeps its maps.
// CHECK-LABEL: func.func @stacked_layers
// CHECK-SAME: -> (tensor<1x5x8xf32> {onnx.name = "logits"}, tensor<1x1x2x5x6xf32> {onnx.name = "attention"}, tensor<1x1x5x6xf32> {onnx.name = "avg_attention"})
// CHECK: %[[START:.*]] = onnx.Constant dense<1> : tensor<1xi64>
// CHECK-NEXT: %[[END:.*]] = onnx.Constant dense<2> : tensor<1xi64>
// CHECK-NEXT: %[[AXIS:.*]] = onnx.Constant dense<0> : tensor<1xi64>
// CHECK-NEXT: %[[NONE:.*]] = onnx.NoValue
// CHECK-NEXT: %[[P:.*]] = onnx.Slice %{{.*}}, %[[START]], %[[END]], %[[AXIS]], %[[NONE]] : (tensor<2x1x2x5x6xf32>, {{.*}}) -> tensor<1x1x2x5x6xf32>
// CHECK: %[[M:.*]] = onnx.Slice %{{.*}} : (tensor<2x1x5x6xf32>, {{.*}}) -> tensor<1x1x5x6xf32>
// CHECK: return %{{.*}}, %[[P]], %[[M]]

// FOLDED-LABEL: func.func @stacked_layers
// FOLDED: %[[O0:.*]] = intr.mha %arg0, %arg1, %arg1
// FOLDED: %[[O1:.*]], %[[P1:.*]], %[[M1:.*]] = intr.class_attention %[[O0]], %arg1
// FOLDED-DAG: %[[UP:.*]] = onnx.Unsqueeze %[[P1]]
// FOLDED-DAG: %[[UM:.*]] = onnx.Unsqueeze %[[M1]]
// FOLDED-NOT: onnx.Concat
// FOLDED-NOT: onnx.Slice
// FOLDED: return %[[O1]], %[[UP]], %[[UM]]
// Tests head-mean alone: the attention result goes, the head means stay
// stacked, and both class attentions stay, their per-head maps unread.
// MEAN-LABEL: func.func @stacked_layers
// MEAN-SAME: -> (tensor<1x5x8xf32> {onnx.name = "logits"}, tensor<2x1x5x6xf32> {onnx.name = "avg_attention"})
// MEAN-COUNT-2: intr.class_attention
// MEAN: %[[MEAN:.*]] = onnx.Concat
// MEAN: return %{{.*}}, %[[MEAN]] :

// Tests both: the last layer's head mean only.
// BOTH-LABEL: func.func @stacked_layers
// BOTH-SAME: -> (tensor<1x5x8xf32> {onnx.name = "logits"}, tensor<1x1x5x6xf32> {onnx.name = "avg_attention"})
// BOTH: intr.mha
// BOTH: %[[O1:.*]], %{{.*}}, %[[M1:.*]] = intr.class_attention
// BOTH: %[[UM:.*]] = onnx.Unsqueeze %[[M1]]
// BOTH: return %[[O1]], %[[UM]] :

// Tests that without an option nothing changes.
// UNCHANGED-LABEL: func.func @stacked_layers
// UNCHANGED-SAME: -> (tensor<1x5x8xf32> {onnx.name = "logits"}, tensor<2x1x2x5x6xf32> {onnx.name = "attention"}, tensor<2x1x5x6xf32> {onnx.name = "avg_attention"})
// UNCHANGED-NOT: onnx.Slice
func.func @stacked_layers(%q: tensor<1x5x8xf32>, %m: tensor<1x6x8xf32>, %w: tensor<8x8xf32>, %b: tensor<8xf32>)
    -> (tensor<1x5x8xf32> {onnx.name = "logits"}, tensor<2x1x2x5x6xf32> {onnx.name = "attention"}, tensor<2x1x5x6xf32> {onnx.name = "avg_attention"}) {
  %zero = onnx.Constant dense<0> : tensor<1xi64>
  %o0, %p0, %m0 = intr.class_attention %q, %m q(%w, %b) k(%w, %b) v(%w, %b) out(%w, %b)
      {feature_map = array<i64: 2, 3>, num_heads = 2 : i64}
      : (tensor<1x5x8xf32>, tensor<1x6x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>,
         tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>)
      -> (tensor<1x5x8xf32>, tensor<1x2x5x6xf32>, tensor<1x5x6xf32>)
  %o1, %p1, %m1 = intr.class_attention %o0, %m q(%w, %b) k(%w, %b) v(%w, %b) out(%w, %b)
      {feature_map = array<i64: 2, 3>, num_heads = 2 : i64}
      : (tensor<1x5x8xf32>, tensor<1x6x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>,
         tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>)
      -> (tensor<1x5x8xf32>, tensor<1x2x5x6xf32>, tensor<1x5x6xf32>)
  %up0 = onnx.Unsqueeze %p0, %zero : (tensor<1x2x5x6xf32>, tensor<1xi64>) -> tensor<1x1x2x5x6xf32>
  %up1 = onnx.Unsqueeze %p1, %zero : (tensor<1x2x5x6xf32>, tensor<1xi64>) -> tensor<1x1x2x5x6xf32>
  %probs = onnx.Concat %up0, %up1 {axis = 0 : si64} : (tensor<1x1x2x5x6xf32>, tensor<1x1x2x5x6xf32>) -> tensor<2x1x2x5x6xf32>
  %um0 = onnx.Unsqueeze %m0, %zero : (tensor<1x5x6xf32>, tensor<1xi64>) -> tensor<1x1x5x6xf32>
  %um1 = onnx.Unsqueeze %m1, %zero : (tensor<1x5x6xf32>, tensor<1xi64>) -> tensor<1x1x5x6xf32>
  %mean = onnx.Concat %um0, %um1 {axis = 0 : si64} : (tensor<1x1x5x6xf32>, tensor<1x1x5x6xf32>) -> tensor<2x1x5x6xf32>
  return %o1, %probs, %mean : tensor<1x5x8xf32>, tensor<2x1x2x5x6xf32>, tensor<2x1x5x6xf32>
}

// -----

// Tests what stays: maps of one layer already, and maps under another
// name.
// CHECK-LABEL: func.func @left_alone
// CHECK-NOT: onnx.Slice
// CHECK: return %arg0, %arg1, %arg2
func.func @left_alone(%a: tensor<1x1x2x5x6xf32>, %b: tensor<3x2x5x6xf32>, %c: tensor<1x1x5x6xf32>)
    -> (tensor<1x1x2x5x6xf32> {onnx.name = "attention"}, tensor<3x2x5x6xf32> {onnx.name = "maps"},
        tensor<1x1x5x6xf32> {onnx.name = "avg_attention"}) {
  return %a, %b, %c : tensor<1x1x2x5x6xf32>, tensor<3x2x5x6xf32>, tensor<1x1x5x6xf32>
}

// -----

// Tests that a declaration is left alone.
// CHECK-LABEL: func.func private @declared
func.func private @declared(tensor<2x1x5x6xf32>) -> (tensor<2x1x5x6xf32> {onnx.name = "avg_attention"})
