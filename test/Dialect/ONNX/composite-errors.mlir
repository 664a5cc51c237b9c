// RUN: intr-opt %s -split-input-file -verify-diagnostics --onnx-decompose

// Tests that Dropout rejects a training_mode that is not a constant.
func.func @f(%x: tensor<4xf32>, %training: tensor<i1>) {
  %none = onnx.NoValue
  // expected-error @+1 {{'onnx.Dropout' op training_mode must be a constant bool: a compiled model runs in inference mode}}
  %0, %1 = onnx.Dropout %x, %none, %training : (tensor<4xf32>, none, tensor<i1>) -> (tensor<4xf32>, tensor<4xi1>)
  return
}

// -----

// Tests that Dropout rejects training mode with the default ratio (0.5).
func.func @f(%x: tensor<4xf32>) {
  %none = onnx.NoValue
  %true = onnx.Constant dense<true> : tensor<i1>
  // expected-error @+1 {{'onnx.Dropout' op training mode drops elements at random, which a compiled model cannot do; export the model in eval mode}}
  %0, %1 = onnx.Dropout %x, %none, %true : (tensor<4xf32>, none, tensor<i1>) -> (tensor<4xf32>, tensor<4xi1>)
  return
}

// -----

// Tests that Clip's bounds must be scalars.
func.func @f(%x: tensor<3x4xf32>, %lo: tensor<4xf32>) {
  %none = onnx.NoValue
  // expected-error @+2 {{'onnx.Clip' op failed to infer returned types}}
  // expected-error @+1 {{min must be a scalar, got 'tensor<4xf32>'}}
  %0 = onnx.Clip %x, %lo, %none : (tensor<3x4xf32>, tensor<4xf32>, none) -> tensor<3x4xf32>
  return
}

// -----

// Tests that Clip's bounds have the input's element type.
func.func @f(%x: tensor<3xf32>, %hi: tensor<f16>) {
  %none = onnx.NoValue
  // expected-error @+2 {{'onnx.Clip' op failed to infer returned types}}
  // expected-error @+1 {{element types differ: input is 'f32', max is 'f16'}}
  %0 = onnx.Clip %x, %none, %hi : (tensor<3xf32>, none, tensor<f16>) -> tensor<3xf32>
  return
}

// -----

// Tests that an activation rejects integers.
func.func @f(%x: tensor<3xi32>) {
  // expected-error @+2 {{'onnx.Elu' op failed to infer returned types}}
  // expected-error @+1 {{input X must be a float tensor, got 'tensor<3xi32>'}}
  %0 = onnx.Elu %x : (tensor<3xi32>) -> tensor<3xi32>
  return
}

// -----

// Tests that PRelu's slope must broadcast to X without changing its shape.
func.func @f(%x: tensor<2x3xf32>, %slope: tensor<2x2x3xf32>) {
  // expected-error @+2 {{'onnx.PRelu' op failed to infer returned types}}
  // expected-error @+1 {{slope [2, 2, 3] does not broadcast to X [2, 3]}}
  %0 = onnx.PRelu %x, %slope : (tensor<2x3xf32>, tensor<2x2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

// Tests that Mean rejects integers and Sum inputs that do not broadcast.
func.func @f(%a: tensor<3xi64>, %b: tensor<2xf32>, %c: tensor<3xf32>) {
  // expected-error @+2 {{'onnx.Mean' op failed to infer returned types}}
  // expected-error @+1 {{input data_0 must be a float tensor, got 'tensor<3xi64>'}}
  %0 = onnx.Mean %a : (tensor<3xi64>) -> tensor<3xi64>
  return
}

// -----

func.func @f(%b: tensor<2xf32>, %c: tensor<3xf32>) {
  // expected-error @+2 {{'onnx.Sum' op failed to infer returned types}}
  // expected-error @+1 {{shapes do not broadcast: data_0 [2], data_1 [3]}}
  %0 = onnx.Sum %b, %c : (tensor<2xf32>, tensor<3xf32>) -> tensor<3xf32>
  return
}

// -----

// Tests that a global pooling needs spatial dimensions.
func.func @f(%x: tensor<2x8xf32>) {
  // expected-error @+2 {{'onnx.GlobalAveragePool' op failed to infer returned types}}
  // expected-error @+1 {{X must be N x C x D1 x ... x Dn, got 'tensor<2x8xf32>'}}
  %0 = onnx.GlobalAveragePool %x : (tensor<2x8xf32>) -> tensor<2x8xf32>
  return
}

// -----

// Tests that onnx-decompose fails on a global pooling of unknown rank.
func.func @f(%x: tensor<*xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{'onnx.GlobalMaxPool' op cannot be expanded: its input's shape, or its axes, are not known at compile time}}
  %0 = onnx.GlobalMaxPool %x : (tensor<*xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

// Tests that CastLike's target must have an element type ONNX numbers and
// the dialect has.
func.func @f(%x: tensor<3xf32>, %like: tensor<3xf8E4M3FN>) {
  // expected-error @+2 {{'onnx.CastLike' op failed to infer returned types}}
  // expected-error @+1 {{target_type's element type 'f8E4M3FN' is not a supported data type}}
  %0 = onnx.CastLike %x, %like : (tensor<3xf32>, tensor<3xf8E4M3FN>) -> tensor<3xf8E4M3FN>
  return
}

// -----

// Tests that onnx-decompose leaves a composite op whose declared result type
// is not the inferred one (its users may need it exactly), and says why.
func.func @f(%a: tensor<?xf32>, %b: tensor<?xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{'onnx.Sum' op cannot be expanded: a result type differs from the one its operands give (--onnx-infer-shapes refines it)}}
  %0 = onnx.Sum %a, %b : (tensor<?xf32>, tensor<?xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

// Tests that onnx-decompose says why a Dropout whose mask of dynamic shape
// is used stays.
func.func @f(%x: tensor<?xf32>) -> tensor<?xi1> {
  %none = onnx.NoValue
  // expected-error @+1 {{'onnx.Dropout' op cannot be removed: its mask is used and has a dynamic shape}}
  %0, %1 = onnx.Dropout %x, %none, %none : (tensor<?xf32>, none, none) -> (tensor<?xf32>, tensor<?xi1>)
  return %1 : tensor<?xi1>
}

// -----

// Tests that the composite ops that take numbers reject bool.
func.func @f(%a: tensor<3xi1>, %b: tensor<3xi1>) {
  // expected-error @+2 {{'onnx.Max' op failed to infer returned types}}
  // expected-error @+1 {{input data_0 must be a numeric (not bool) tensor, got 'tensor<3xi1>'}}
  %0 = onnx.Max %a, %b : (tensor<3xi1>, tensor<3xi1>) -> tensor<3xi1>
  return
}

// -----

// Tests that ArgMax needs the size of its axis.
func.func @f(%x: tensor<2x?xf32>) -> tensor<2x1xi64> {
  // expected-error @+1 {{'onnx.ArgMax' op cannot be expanded: its input's shape, or its axes, are not known at compile time}}
  %0 = onnx.ArgMax %x {axis = 1 : si64} : (tensor<2x?xf32>) -> tensor<2x1xi64>
  return %0 : tensor<2x1xi64>
}

// -----

// Tests that ReduceLogSumExp without keepdims needs constant axes.
func.func @f(%x: tensor<2x3xf32>, %axes: tensor<1xi64>) -> tensor<*xf32> {
  // expected-error @+1 {{'onnx.ReduceLogSumExp' op cannot be expanded: its input's shape, or its axes, are not known at compile time}}
  %0 = onnx.ReduceLogSumExp %x, %axes {keepdims = 0 : si64} : (tensor<2x3xf32>, tensor<1xi64>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

// Tests that a composite reduction takes its axes one way only.
func.func @f(%x: tensor<2x3xf32>, %axes: tensor<1xi64>) {
  // expected-error @+1 {{'onnx.ReduceMin' op axes are given both as an attribute and as an input}}
  %0 = onnx.ReduceMin %x, %axes {axes = array<i64: 0>} : (tensor<2x3xf32>, tensor<1xi64>) -> tensor<1x3xf32>
  return
}

// -----

// Tests that LpNormalization takes only the L1 and L2 norms.
func.func @f(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{'onnx.LpNormalization' op failed to infer returned types}}
  // expected-error @+1 {{p must be 1 or 2, got 3}}
  %0 = onnx.LpNormalization %x {p = 3 : si64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

// Tests that GroupNormalization's groups must divide the channels.
func.func @f(%x: tensor<1x6x2x2xf32>, %s: tensor<6xf32>) {
  // expected-error @+2 {{'onnx.GroupNormalization' op failed to infer returned types}}
  // expected-error @+1 {{num_groups 4 does not divide the channels of X, 'tensor<1x6x2x2xf32>'}}
  %0 = onnx.GroupNormalization %x, %s, %s {num_groups = 4 : si64} : (tensor<1x6x2x2xf32>, tensor<6xf32>, tensor<6xf32>) -> tensor<1x6x2x2xf32>
  return
}

// -----

// Tests that GroupNormalization's parameters have one value per channel or
// per group.
func.func @f(%x: tensor<1x6x2x2xf32>, %s: tensor<6xf32>, %b: tensor<4xf32>) {
  // expected-error @+2 {{'onnx.GroupNormalization' op failed to infer returned types}}
  // expected-error @+1 {{bias must have 6 or 3 elements, got 'tensor<4xf32>'}}
  %0 = onnx.GroupNormalization %x, %s, %b {num_groups = 3 : si64} : (tensor<1x6x2x2xf32>, tensor<6xf32>, tensor<4xf32>) -> tensor<1x6x2x2xf32>
  return
}

// -----

// Tests that RMSNormalization's scale must broadcast to the normalized
// dimensions.
func.func @f(%x: tensor<2x3x4xf32>, %s: tensor<3x1xf32>) {
  // expected-error @+2 {{'onnx.RMSNormalization' op failed to infer returned types}}
  // expected-error @+1 {{scale [3, 1] does not broadcast to the normalized dimensions [4]}}
  %0 = onnx.RMSNormalization %x, %s : (tensor<2x3x4xf32>, tensor<3x1xf32>) -> tensor<2x3x4xf32>
  return
}

// -----

// Tests that Xor takes bool.
func.func @f(%a: tensor<3xi8>, %b: tensor<3xi8>) {
  // expected-error @+2 {{'onnx.Xor' op failed to infer returned types}}
  // expected-error @+1 {{input A must be a bool tensor, got 'tensor<3xi8>'}}
  %0 = onnx.Xor %a, %b : (tensor<3xi8>, tensor<3xi8>) -> tensor<3xi1>
  return
}

// -----

// Tests that GroupNormalization's scale and bias have one size.
func.func @f(%x: tensor<1x4x2x2xf32>, %s: tensor<4xf32>, %b: tensor<2xf32>) {
  // expected-error @+2 {{'onnx.GroupNormalization' op failed to infer returned types}}
  // expected-error @+1 {{scale and bias must have the same size, got 4 and 2}}
  %0 = onnx.GroupNormalization %x, %s, %b {num_groups = 2 : si64} : (tensor<1x4x2x2xf32>, tensor<4xf32>, tensor<2xf32>) -> tensor<1x4x2x2xf32>
  return
}

// -----

// Tests that GroupNormalization needs its parameters' sizes.
func.func @f(%x: tensor<1x4x2x2xf32>, %s: tensor<?xf32>) -> tensor<1x4x2x2xf32> {
  // expected-error @+1 {{'onnx.GroupNormalization' op cannot be expanded: its input's shape, or its axes, are not known at compile time}}
  %0 = onnx.GroupNormalization %x, %s, %s {num_groups = 2 : si64} : (tensor<1x4x2x2xf32>, tensor<?xf32>, tensor<?xf32>) -> tensor<1x4x2x2xf32>
  return %0 : tensor<1x4x2x2xf32>
}

// -----

// Tests that ReduceMin takes numbers or bool only.
func.func @f(%x: tensor<3xcomplex<f32>>) {
  %none = onnx.NoValue
  // expected-error @+2 {{'onnx.ReduceMin' op failed to infer returned types}}
  // expected-error @+1 {{input data must be a numeric or bool tensor, got 'tensor<3xcomplex<f32>>'}}
  %0 = onnx.ReduceMin %x, %none : (tensor<3xcomplex<f32>>, none) -> tensor<1xcomplex<f32>>
  return
}

// -----

// Tests that AveragePool needs a static shape (its counts are constants).
func.func @f(%x: tensor<1x2x?x5xf32>) -> tensor<1x2x?x2xf32> {
  // expected-error @+1 {{'onnx.AveragePool' op cannot be expanded: its input's shape, or its axes, are not known at compile time}}
  %0 = onnx.AveragePool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x2x?x5xf32>) -> tensor<1x2x?x2xf32>
  return %0 : tensor<1x2x?x2xf32>
}

// -----

// Tests that AveragePool's count_include_pad is 0 or 1.
func.func @f(%x: tensor<1x2x4x4xf32>) {
  // expected-error @+1 {{'onnx.AveragePool' op count_include_pad 2 must be 0 or 1}}
  %0 = onnx.AveragePool %x {kernel_shape = array<i64: 2, 2>, count_include_pad = 2 : si64} : (tensor<1x2x4x4xf32>) -> tensor<1x2x3x3xf32>
  return
}

// -----

// Tests that Einsum refuses a diagonal (a label twice in one input).
func.func @f(%x: tensor<3x3xf32>) {
  // expected-error @+2 {{'onnx.Einsum' op failed to infer returned types}}
  // expected-error @+1 {{equation 'ii->i': a label repeated in one input (a diagonal) is not supported}}
  %0 = onnx.Einsum %x {equation = "ii->i"} : (tensor<3x3xf32>) -> tensor<3xf32>
  return
}

// -----

// Tests that Einsum refuses more than two inputs.
func.func @f(%x: tensor<3xf32>) {
  // expected-error @+2 {{'onnx.Einsum' op failed to infer returned types}}
  // expected-error @+1 {{Einsum of more than two inputs is not supported, got 3}}
  %0 = onnx.Einsum %x, %x, %x {equation = "i,i,i->i"} : (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return
}

// -----

// Tests that Einsum's labels keep one size (no broadcasting), and that its
// terms fit the inputs.
func.func @f(%a: tensor<3x4xf32>, %b: tensor<5x6xf32>) {
  // expected-error @+2 {{'onnx.Einsum' op failed to infer returned types}}
  // expected-error @+1 {{equation 'ij,jk->ik': a label has sizes 4 and 5 (broadcasting is not supported)}}
  %0 = onnx.Einsum %a, %b {equation = "ij,jk->ik"} : (tensor<3x4xf32>, tensor<5x6xf32>) -> tensor<3x6xf32>
  return
}

// -----

func.func @f(%a: tensor<3x4xf32>) {
  // expected-error @+2 {{'onnx.Einsum' op failed to infer returned types}}
  // expected-error @+1 {{equation 'ijk->i': 'ijk' does not fit an input of rank 2}}
  %0 = onnx.Einsum %a {equation = "ijk->i"} : (tensor<3x4xf32>) -> tensor<3xf32>
  return
}

// -----

func.func @f(%a: tensor<3x4xf32>) {
  // expected-error @+2 {{'onnx.Einsum' op failed to infer returned types}}
  // expected-error @+1 {{equation 'ij->iq': output label 'q' is repeated or in no input}}
  %0 = onnx.Einsum %a {equation = "ij->iq"} : (tensor<3x4xf32>) -> tensor<3x4xf32>
  return
}

// -----

// Tests that Einsum needs static shapes to expand.
func.func @f(%a: tensor<?x4xf32>, %b: tensor<4x5xf32>) -> tensor<?x5xf32> {
  // expected-error @+1 {{'onnx.Einsum' op cannot be expanded: its input's shape, or its axes, are not known at compile time}}
  %0 = onnx.Einsum %a, %b {equation = "ij,jk->ik"} : (tensor<?x4xf32>, tensor<4x5xf32>) -> tensor<?x5xf32>
  return %0 : tensor<?x5xf32>
}

// -----

// Tests that Einsum's equation has one term per input and only letters.
func.func @f(%a: tensor<3x4xf32>) {
  // expected-error @+2 {{'onnx.Einsum' op failed to infer returned types}}
  // expected-error @+1 {{equation 'ij,jk->ik' has 2 inputs, the op 1}}
  %0 = onnx.Einsum %a {equation = "ij,jk->ik"} : (tensor<3x4xf32>) -> tensor<3x4xf32>
  return
}

// -----

func.func @f(%a: tensor<3x4xf32>) {
  // expected-error @+2 {{'onnx.Einsum' op failed to infer returned types}}
  // expected-error @+1 {{equation 'i2->i': unexpected '2'}}
  %0 = onnx.Einsum %a {equation = "i2->i"} : (tensor<3x4xf32>) -> tensor<3xf32>
  return
}

// -----

// Tests that AveragePool over more than 3 spatial dimensions says why it
// stays.
func.func @f(%x: tensor<1x1x2x2x2x2xf32>) -> tensor<1x1x1x1x1x1xf32> {
  // expected-error @+1 {{'onnx.AveragePool' op cannot be expanded: only 1-D, 2-D and 3-D pooling is supported}}
  %0 = onnx.AveragePool %x {kernel_shape = array<i64: 2, 2, 2, 2>} : (tensor<1x1x2x2x2x2xf32>) -> tensor<1x1x1x1x1x1xf32>
  return %0 : tensor<1x1x1x1x1x1xf32>
}

// -----

// Tests that Attention refuses per-image key counts (opset 24).
func.func @f(%q: tensor<1x2x3x4xf32>, %n: tensor<1xi64>) {
  %none = onnx.NoValue
  // expected-error @+1 {{'onnx.Attention' op nonpad_kv_seqlen (per-image key counts) is not supported}}
  %y, %pk, %pv, %qk = onnx.Attention %q, %q, %q, %none, %none, %none, %n : (tensor<1x2x3x4xf32>, tensor<1x2x3x4xf32>, tensor<1x2x3x4xf32>, none, none, none, tensor<1xi64>) -> (tensor<1x2x3x4xf32>, tensor<1x2x3x4xf32>, tensor<1x2x3x4xf32>, tensor<1x2x3x3xf32>)
  return
}

// -----

// Tests that 3-D Attention needs its head counts.
func.func @f(%q: tensor<1x3x8xf32>) {
  %none = onnx.NoValue
  // expected-error @+2 {{'onnx.Attention' op failed to infer returned types}}
  // expected-error @+1 {{3-D inputs need positive q_num_heads and kv_num_heads}}
  %y, %pk, %pv, %qk = onnx.Attention %q, %q, %q, %none, %none, %none, %none : (tensor<1x3x8xf32>, tensor<1x3x8xf32>, tensor<1x3x8xf32>, none, none, none, none) -> (tensor<1x3x8xf32>, tensor<1x1x3x8xf32>, tensor<1x1x3x8xf32>, tensor<1x1x3x3xf32>)
  return
}

// -----

// Tests that Attention's query heads must be a multiple of its key heads.
func.func @f(%q: tensor<1x3x3x4xf32>, %k: tensor<1x2x5x4xf32>) {
  %none = onnx.NoValue
  // expected-error @+2 {{'onnx.Attention' op failed to infer returned types}}
  // expected-error @+1 {{the 3 query heads are not a multiple of the 2 key heads}}
  %y, %pk, %pv, %qk = onnx.Attention %q, %k, %k, %none, %none, %none, %none : (tensor<1x3x3x4xf32>, tensor<1x2x5x4xf32>, tensor<1x2x5x4xf32>, none, none, none, none) -> (tensor<1x3x3x4xf32>, tensor<1x2x5x4xf32>, tensor<1x2x5x4xf32>, tensor<1x3x3x5xf32>)
  return
}

// -----

// Tests that an Attention mask must broadcast to the scores (its last
// dimension may be shorter, padded with masked keys).
func.func @f(%q: tensor<1x2x3x4xf32>, %m: tensor<2x5xi1>) {
  %none = onnx.NoValue
  // expected-error @+1 {{'onnx.Attention' op attn_mask [2, 5] does not broadcast to the scores [1, 2, 3, 3]}}
  %y, %pk, %pv, %qk = onnx.Attention %q, %q, %q, %m, %none, %none, %none : (tensor<1x2x3x4xf32>, tensor<1x2x3x4xf32>, tensor<1x2x3x4xf32>, tensor<2x5xi1>, none, none, none) -> (tensor<1x2x3x4xf32>, tensor<1x2x3x4xf32>, tensor<1x2x3x4xf32>, tensor<1x2x3x3xf32>)
  return
}

// -----

// Tests that Mod's fmod is 0 or 1.
func.func @f(%a: tensor<3xi64>) {
  // expected-error @+1 {{'onnx.Mod' op fmod 2 must be 0 or 1}}
  %0 = onnx.Mod %a, %a {fmod = 2 : si64} : (tensor<3xi64>, tensor<3xi64>) -> tensor<3xi64>
  return
}

// -----

// Tests that Mod takes numbers.
func.func @f(%a: tensor<3xi1>) {
  // expected-error @+1 {{'onnx.Mod' op takes numbers, got 'i1'}}
  %0 = onnx.Mod %a, %a : (tensor<3xi1>, tensor<3xi1>) -> tensor<3xi1>
  return
}


// -----

// Tests that DepthToSpace's mode is DCR or CRD.
func.func @f(%x: tensor<1x8x2x2xf32>) {
  // expected-error @+2 {{'onnx.DepthToSpace' op failed to infer returned types}}
  // expected-error @+1 {{mode must be DCR or CRD, got 'RDC'}}
  %0 = onnx.DepthToSpace %x {blocksize = 2 : si64, mode = "RDC"} : (tensor<1x8x2x2xf32>) -> tensor<1x2x4x4xf32>
  return
}

// -----

// Tests that DepthToSpace needs whole blocks of channels.
func.func @f(%x: tensor<1x6x2x2xf32>) {
  // expected-error @+2 {{'onnx.DepthToSpace' op failed to infer returned types}}
  // expected-error @+1 {{the channel count 6 is not a multiple of 4}}
  %0 = onnx.DepthToSpace %x {blocksize = 2 : si64} : (tensor<1x6x2x2xf32>) -> tensor<1x1x4x4xf32>
  return
}

// -----

// Tests that SpaceToDepth needs a 4-D input and a positive block size.
func.func @f(%x: tensor<2x2xf32>, %y: tensor<1x1x2x2xf32>) {
  // expected-error @+2 {{'onnx.SpaceToDepth' op failed to infer returned types}}
  // expected-error @+1 {{input must be 4-D, got 'tensor<2x2xf32>'}}
  %0 = onnx.SpaceToDepth %x {blocksize = 2 : si64} : (tensor<2x2xf32>) -> tensor<2x2xf32>
  return
}

// -----

func.func @f(%y: tensor<1x1x2x2xf32>) {
  // expected-error @+2 {{'onnx.SpaceToDepth' op failed to infer returned types}}
  // expected-error @+1 {{blocksize 0 must be positive}}
  %0 = onnx.SpaceToDepth %y {blocksize = 0 : si64} : (tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32>
  return
}

// -----

// Tests that a block size whose square overflows is refused (2^32 squared
// wrapped to 0, by which DepthToSpace then divided: SIGFPE).
func.func @f(%x: tensor<1x4x2x2xf32>) {
  // expected-error @+2 {{'onnx.DepthToSpace' op failed to infer returned types}}
  // expected-error @+1 {{blocksize 4294967296 is too large}}
  %0 = onnx.DepthToSpace %x {blocksize = 4294967296 : si64} : (tensor<1x4x2x2xf32>) -> tensor<1x1x4x4xf32>
  return
}

// -----

// Tests that EyeLike takes a 2-D input.
func.func @f(%x: tensor<2x2x2xf32>) {
  // expected-error @+2 {{'onnx.EyeLike' op failed to infer returned types}}
  // expected-error @+1 {{input must be 2-D, got 'tensor<2x2x2xf32>'}}
  %0 = onnx.EyeLike %x : (tensor<2x2x2xf32>) -> tensor<2x2x2xf32>
  return
}

// -----

// Tests that OneHot's values are [off, on].
func.func @f(%i: tensor<3xi64>, %v: tensor<3xf32>) {
  %depth = onnx.Constant dense<4> : tensor<i64>
  // expected-error @+2 {{'onnx.OneHot' op failed to infer returned types}}
  // expected-error @+1 {{values must hold [off, on], got 'tensor<3xf32>'}}
  %0 = onnx.OneHot %i, %depth, %v : (tensor<3xi64>, tensor<i64>, tensor<3xf32>) -> tensor<3x4xf32>
  return
}

// -----

// Tests that OneHot's depth is positive and its axis in range.
func.func @f(%i: tensor<3xi64>, %v: tensor<2xf32>) {
  %depth = onnx.Constant dense<0> : tensor<i64>
  // expected-error @+2 {{'onnx.OneHot' op failed to infer returned types}}
  // expected-error @+1 {{depth 0 must be positive}}
  %0 = onnx.OneHot %i, %depth, %v : (tensor<3xi64>, tensor<i64>, tensor<2xf32>) -> tensor<3x0xf32>
  return
}

// -----

func.func @f(%i: tensor<3xi64>, %v: tensor<2xf32>) {
  %depth = onnx.Constant dense<4> : tensor<i64>
  // expected-error @+2 {{'onnx.OneHot' op failed to infer returned types}}
  // expected-error @+1 {{axis 2 is out of range for rank 2}}
  %0 = onnx.OneHot %i, %depth, %v {axis = 2 : si64} : (tensor<3xi64>, tensor<i64>, tensor<2xf32>) -> tensor<3x4xf32>
  return
}

// -----

// Tests that Trilu takes a matrix or more.
func.func @f(%x: tensor<3xf32>) {
  // expected-error @+2 {{'onnx.Trilu' op failed to infer returned types}}
  // expected-error @+1 {{input must have rank 2 or more, got 'tensor<3xf32>'}}
  %0 = onnx.Trilu %x, %x : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return
}

// -----

// Tests that Trilu's k is one i64.
func.func @f(%x: tensor<3x3xf32>, %k: tensor<2xi64>) {
  // expected-error @+2 {{'onnx.Trilu' op failed to infer returned types}}
  // expected-error @+1 {{k must be one i64, got 'tensor<2xi64>'}}
  %0 = onnx.Trilu %x, %k : (tensor<3x3xf32>, tensor<2xi64>) -> tensor<3x3xf32>
  return
}

// -----

// Tests that a 3-D ConvTranspose, which the 2-D convolution kernels cannot
// run, is refused at compile time.
func.func @conv_transpose_3d(%x: tensor<1x1x3x3x3xf32>, %w: tensor<1x1x2x2x2xf32>) -> tensor<1x1x4x4x4xf32> {
  %none = onnx.NoValue
  // expected-error @+1 {{'onnx.ConvTranspose' op cannot be expanded: only 1-D and 2-D transposed convolutions are supported}}
  %0 = onnx.ConvTranspose %x, %w, %none : (tensor<1x1x3x3x3xf32>, tensor<1x1x2x2x2xf32>, none) -> tensor<1x1x4x4x4xf32>
  return %0 : tensor<1x1x4x4x4xf32>
}

// -----

// Tests that LpPool's p is 1 or more.
func.func @f(%x: tensor<1x2x4x4xf32>) {
  // expected-error @+1 {{'onnx.LpPool' op p 0 must be 1 or more}}
  %0 = onnx.LpPool %x {kernel_shape = array<i64: 2, 2>, p = 0 : si64} : (tensor<1x2x4x4xf32>) -> tensor<1x2x3x3xf32>
  return
}

// -----

// Tests that LRN's size is 1 or more.
func.func @f(%x: tensor<1x2x4x4xf32>) {
  // expected-error @+2 {{'onnx.LRN' op failed to infer returned types}}
  // expected-error @+1 {{size 0 must be 1 or more}}
  %0 = onnx.LRN %x {size = 0 : si64} : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  return
}

// -----

// Tests that a Pad in wrap mode whose pads are computed at run time is
// refused: the pieces it repeats depend on them.
func.func @wrap_pad_runtime_pads(%x: tensor<3x2xf32>, %pads: tensor<4xi64>) -> tensor<?x?xf32> {
  %none = onnx.NoValue
  // expected-error @+1 {{'onnx.Pad' op cannot be expanded in wrap mode: its pads and axes must be constant and the sizes of the axes it pads known at compile time}}
  %0 = onnx.Pad %x, %pads, %none, %none {mode = "wrap"} : (tensor<3x2xf32>, tensor<4xi64>, none, none) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// -----

// Tests that wrapping around an empty axis is refused.
func.func @wrap_pad_empty_axis(%x: tensor<0x2xf32>) -> tensor<2x2xf32> {
  %none = onnx.NoValue
  %pads = onnx.Constant dense<[1, 0, 1, 0]> : tensor<4xi64>
  // expected-error @+1 {{'onnx.Pad' op cannot wrap around an empty axis}}
  %0 = onnx.Pad %x, %pads, %none, %none {mode = "wrap"} : (tensor<0x2xf32>, tensor<4xi64>, none, none) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

// Tests GridSample's checks: its mode, ...
func.func @f(%x: tensor<1x2x4x4xf32>, %g: tensor<1x3x3x2xf32>) {
  // expected-error @+2 {{'onnx.GridSample' op failed to infer returned types}}
  // expected-error @+1 {{mode 'area' is not bilinear (linear), nearest or bicubic (cubic)}}
  %0 = onnx.GridSample %x, %g {mode = "area"} : (tensor<1x2x4x4xf32>, tensor<1x3x3x2xf32>) -> tensor<1x2x3x3xf32>
  return
}

// -----

// ... its padding mode, ...
func.func @f(%x: tensor<1x2x4x4xf32>, %g: tensor<1x3x3x2xf32>) {
  // expected-error @+2 {{'onnx.GridSample' op failed to infer returned types}}
  // expected-error @+1 {{padding_mode 'wrap' is not zeros, border or reflection}}
  %0 = onnx.GridSample %x, %g {padding_mode = "wrap"} : (tensor<1x2x4x4xf32>, tensor<1x3x3x2xf32>) -> tensor<1x2x3x3xf32>
  return
}

// -----

// ... the grid's element type, ...
func.func @f(%x: tensor<1x2x4x4xf32>, %h: tensor<1x3x3x2xf16>) {
  // expected-error @+2 {{'onnx.GridSample' op failed to infer returned types}}
  // expected-error @+1 {{grid has element type 'f16' but X has 'f32'}}
  %0 = onnx.GridSample %x, %h : (tensor<1x2x4x4xf32>, tensor<1x3x3x2xf16>) -> tensor<1x2x3x3xf32>
  return
}

// -----

// ... its last size, the spatial rank ...
func.func @f(%x: tensor<1x2x4x4xf32>, %g3: tensor<1x3x3x3xf32>) {
  // expected-error @+2 {{'onnx.GridSample' op failed to infer returned types}}
  // expected-error @+1 {{grid must be N x (2 output sizes) x 2 for X of rank 4, got 'tensor<1x3x3x3xf32>'}}
  %0 = onnx.GridSample %x, %g3 : (tensor<1x2x4x4xf32>, tensor<1x3x3x3xf32>) -> tensor<1x2x3x3xf32>
  return
}

// -----

// ... and its batch, X's.
func.func @f(%x: tensor<1x2x4x4xf32>, %g2: tensor<2x3x3x2xf32>) {
  // expected-error @+2 {{'onnx.GridSample' op failed to infer returned types}}
  // expected-error @+1 {{grid has 2 images but X has 1}}
  %0 = onnx.GridSample %x, %g2 : (tensor<1x2x4x4xf32>, tensor<2x3x3x2xf32>) -> tensor<2x2x3x3xf32>
  return
}

// -----

// Tests that a bicubic GridSample in 3-D is refused, as in ONNX.
func.func @grid_sample_bicubic_3d(%x: tensor<1x2x3x4x4xf32>, %g: tensor<1x2x3x3x3xf32>) -> tensor<1x2x2x3x3xf32> {
  // expected-error @+1 {{'onnx.GridSample' op cannot be expanded: only 2-D and 3-D GridSample are supported, bicubic in 2-D}}
  %0 = onnx.GridSample %x, %g {mode = "bicubic"} : (tensor<1x2x3x4x4xf32>, tensor<1x2x3x3x3xf32>) -> tensor<1x2x2x3x3xf32>
  return %0 : tensor<1x2x2x3x3xf32>
}

// -----

// Tests that a 3-D Conv is refused at compile time: the kernels are 2-D.
func.func @conv_3d(%x: tensor<1x2x3x4x4xf32>, %w: tensor<2x2x2x2x2xf32>) -> tensor<1x2x2x3x3xf32> {
  %none = onnx.NoValue
  // expected-error @+1 {{'onnx.Conv' op cannot run: only 1-D and 2-D convolutions are supported}}
  %0 = onnx.Conv %x, %w, %none : (tensor<1x2x3x4x4xf32>, tensor<2x2x2x2x2xf32>, none) -> tensor<1x2x2x3x3xf32>
  return %0 : tensor<1x2x2x3x3xf32>
}

// -----

// Tests that a 3-D MaxPool whose Indices are used is refused at compile
// time: it cannot be separated into 2-D pools, which the kernels run.
func.func @max_pool_3d_indices(%x: tensor<1x1x2x2x2xf32>) -> tensor<1x1x1x1x1xi64> {
  // expected-error @+1 {{'onnx.MaxPool' op cannot run: a 3-D MaxPool runs only where its Indices are unused}}
  %y, %i = onnx.MaxPool %x {kernel_shape = array<i64: 2, 2, 2>} : (tensor<1x1x2x2x2xf32>) -> (tensor<1x1x1x1x1xf32>, tensor<1x1x1x1x1xi64>)
  return %i : tensor<1x1x1x1x1xi64>
}

// -----

// Tests that Col2Im's columns must be as many as the blocks that fit.
func.func @f(%x: tensor<1x18x12xf32>) {
  %image = onnx.Constant dense<[4, 5]> : tensor<2xi64>
  %block = onnx.Constant dense<[3, 3]> : tensor<2xi64>
  // expected-error @+2 {{'onnx.Col2Im' op failed to infer returned types}}
  // expected-error @+1 {{input has 12 columns, but 6 blocks fit the image}}
  %0 = onnx.Col2Im %x, %image, %block {pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x18x12xf32>, tensor<2xi64>, tensor<2xi64>) -> tensor<1x2x4x5xf32>
  return
}

// -----

// Tests that Col2Im's values per column must be a multiple of the block's.
func.func @f(%x: tensor<1x16x6xf32>) {
  %image = onnx.Constant dense<[4, 5]> : tensor<2xi64>
  %block = onnx.Constant dense<[3, 3]> : tensor<2xi64>
  // expected-error @+2 {{'onnx.Col2Im' op failed to infer returned types}}
  // expected-error @+1 {{input has 16 values per column, not a multiple of the block's 9}}
  %0 = onnx.Col2Im %x, %image, %block {pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x16x6xf32>, tensor<2xi64>, tensor<2xi64>) -> tensor<1x2x4x5xf32>
  return
}

// -----

// Tests that a block larger than the padded image is refused.
func.func @f(%x: tensor<1x25x1xf32>) {
  %image = onnx.Constant dense<[4, 4]> : tensor<2xi64>
  %block = onnx.Constant dense<[5, 5]> : tensor<2xi64>
  // expected-error @+2 {{'onnx.Col2Im' op failed to infer returned types}}
  // expected-error @+1 {{a block of 5 (dilation 1) does not fit axis 0 of 4 padded by 0 and 0}}
  %0 = onnx.Col2Im %x, %image, %block : (tensor<1x25x1xf32>, tensor<2xi64>, tensor<2xi64>) -> tensor<1x1x4x4xf32>
  return
}

// -----

// Tests that a 3-D Col2Im is refused: its ConvTranspose would be 3-D.
func.func @col2im_3d(%x: tensor<1x8x8xf32>) -> tensor<1x1x3x3x3xf32> {
  %image = onnx.Constant dense<[3, 3, 3]> : tensor<3xi64>
  %block = onnx.Constant dense<[2, 2, 2]> : tensor<3xi64>
  // expected-error @+1 {{'onnx.Col2Im' op cannot be expanded: only 2-D Col2Im is supported}}
  %0 = onnx.Col2Im %x, %image, %block : (tensor<1x8x8xf32>, tensor<3xi64>, tensor<3xi64>) -> tensor<1x1x3x3x3xf32>
  return %0 : tensor<1x1x3x3x3xf32>
}

// -----

// Tests that a 1-D GridSample (X of rank 3) is refused with the reason.
func.func @grid_sample_1d(%x: tensor<1x2x5xf32>, %g: tensor<1x4x1xf32>) -> tensor<1x2x4xf32> {
  // expected-error @+1 {{'onnx.GridSample' op cannot be expanded: only 2-D and 3-D GridSample are supported, bicubic in 2-D}}
  %0 = onnx.GridSample %x, %g : (tensor<1x2x5xf32>, tensor<1x4x1xf32>) -> tensor<1x2x4xf32>
  return %0 : tensor<1x2x4xf32>
}

// -----

// Tests that a GridSample of an empty image is refused with the reason.
func.func @grid_sample_empty(%x: tensor<1x2x0x5xf32>, %g: tensor<1x3x3x2xf32>) -> tensor<1x2x3x3xf32> {
  // expected-error @+1 {{'onnx.GridSample' op cannot be expanded: X has an empty spatial axis, which has nothing to sample}}
  %0 = onnx.GridSample %x, %g : (tensor<1x2x0x5xf32>, tensor<1x3x3x2xf32>) -> tensor<1x2x3x3xf32>
  return %0 : tensor<1x2x3x3xf32>
}

// -----

// Tests that Col2Im's input must be N x (C * block size) x L.
func.func @f(%x: tensor<18x6xf32>) {
  %image = onnx.Constant dense<[4, 5]> : tensor<2xi64>
  %block = onnx.Constant dense<[3, 3]> : tensor<2xi64>
  // expected-error @+2 {{'onnx.Col2Im' op failed to infer returned types}}
  // expected-error @+1 {{input must be N x (C * block size) x L, got 'tensor<18x6xf32>'}}
  %0 = onnx.Col2Im %x, %image, %block : (tensor<18x6xf32>, tensor<2xi64>, tensor<2xi64>) -> tensor<*xf32>
  return
}

// -----

// Tests that Col2Im's image and block shapes have one entry per axis.
func.func @f(%x: tensor<1x18x6xf32>) {
  %image = onnx.Constant dense<[4, 5]> : tensor<2xi64>
  %block = onnx.Constant dense<[3, 3, 1]> : tensor<3xi64>
  // expected-error @+2 {{'onnx.Col2Im' op failed to infer returned types}}
  // expected-error @+1 {{image_shape and block_shape must have one entry per spatial axis, got 2 and 3}}
  %0 = onnx.Col2Im %x, %image, %block : (tensor<1x18x6xf32>, tensor<2xi64>, tensor<3xi64>) -> tensor<*xf32>
  return
}

// -----

// Tests that Col2Im's strides, dilations and pads match the axes.
func.func @f(%x: tensor<1x18x6xf32>) {
  %image = onnx.Constant dense<[4, 5]> : tensor<2xi64>
  %block = onnx.Constant dense<[3, 3]> : tensor<2xi64>
  // expected-error @+2 {{'onnx.Col2Im' op failed to infer returned types}}
  // expected-error @+1 {{dilations and strides must have 2 entries and pads 4}}
  %0 = onnx.Col2Im %x, %image, %block {strides = array<i64: 2>} : (tensor<1x18x6xf32>, tensor<2xi64>, tensor<2xi64>) -> tensor<*xf32>
  return
}

// -----

// Tests that Col2Im's sizes are positive and its pads not negative.
func.func @f(%x: tensor<1x18x6xf32>) {
  %image = onnx.Constant dense<[4, 5]> : tensor<2xi64>
  %block = onnx.Constant dense<[3, 3]> : tensor<2xi64>
  // expected-error @+2 {{'onnx.Col2Im' op failed to infer returned types}}
  // expected-error @+1 {{image_shape, block_shape, strides and dilations must be positive and pads not negative, all at most 2^31}}
  %0 = onnx.Col2Im %x, %image, %block {pads = array<i64: -1, 0, 0, 0>} : (tensor<1x18x6xf32>, tensor<2xi64>, tensor<2xi64>) -> tensor<*xf32>
  return
}

// -----

// Tests that Col2Im refuses more block values or positions than 2^31.
func.func @f(%x: tensor<1x?x?xf32>) {
  %image = onnx.Constant dense<[2147483648, 2147483648]> : tensor<2xi64>
  %block = onnx.Constant dense<[1, 1]> : tensor<2xi64>
  // expected-error @+2 {{'onnx.Col2Im' op failed to infer returned types}}
  // expected-error @+1 {{too many block positions or values}}
  %0 = onnx.Col2Im %x, %image, %block : (tensor<1x?x?xf32>, tensor<2xi64>, tensor<2xi64>) -> tensor<*xf32>
  return
}

// -----

// Tests that QuantizeLinear refuses a quantized type other than int8 and
// uint8.
func.func @f(%x: tensor<4xf32>, %scale: tensor<f32>, %zero: tensor<i16>) {
  // expected-error @+2 {{'onnx.QuantizeLinear' op failed to infer returned types}}
  // expected-error @+1 {{y_zero_point is 'i16': only int8 and uint8 quantization is supported}}
  %0 = onnx.QuantizeLinear %x, %scale, %zero : (tensor<4xf32>, tensor<f32>, tensor<i16>) -> tensor<*xi16>
  return
}

// -----

// Tests that QuantizeLinear refuses an output_dtype that its zero point
// contradicts.
func.func @f(%x: tensor<4xf32>, %scale: tensor<f32>, %zero: tensor<i8>) {
  // expected-error @+2 {{'onnx.QuantizeLinear' op failed to infer returned types}}
  // expected-error @+1 {{y_zero_point is 'i8', output_dtype says 'ui8'}}
  %0 = onnx.QuantizeLinear %x, %scale, %zero {output_dtype = 2 : si64} : (tensor<4xf32>, tensor<f32>, tensor<i8>) -> tensor<*xi8>
  return
}

// -----

// Tests that a per-axis scale must have one value per element along the
// axis.
func.func @f(%x: tensor<2x3xf32>, %scale: tensor<2xf32>) {
  %none = onnx.NoValue
  // expected-error @+2 {{'onnx.QuantizeLinear' op failed to infer returned types}}
  // expected-error @+1 {{y_scale [2] is neither one value nor one per element of x [2, 3] along axis 1}}
  %0 = onnx.QuantizeLinear %x, %scale, %none : (tensor<2x3xf32>, tensor<2xf32>, none) -> tensor<*xui8>
  return
}

// -----

// Tests that a blocked scale must have one value per block.
func.func @f(%x: tensor<4x5xi8>, %scale: tensor<4x2xf32>) {
  %none = onnx.NoValue
  // expected-error @+2 {{'onnx.DequantizeLinear' op failed to infer returned types}}
  // expected-error @+1 {{x_scale [4, 2] is not one per block of 2 of x [4, 5] along axis 1}}
  %0 = onnx.DequantizeLinear %x, %scale, %none {block_size = 2 : si64} : (tensor<4x5xi8>, tensor<4x2xf32>, none) -> tensor<*xf32>
  return
}

// -----

// Tests that DequantizeLinear takes integers only (float8 is not a type
// of the dialect).
func.func @f(%x: tensor<4xf32>, %scale: tensor<f32>, %zero: tensor<ui8>) {
  // expected-error @+2 {{'onnx.DequantizeLinear' op failed to infer returned types}}
  // expected-error @+1 {{x must be int8, uint8 or int32, got 'tensor<4xf32>'}}
  %0 = onnx.DequantizeLinear %x, %scale, %zero : (tensor<4xf32>, tensor<f32>, tensor<ui8>) -> tensor<*xf32>
  return
}

// -----

// Tests that DequantizeLinear's zero point is of x's type.
func.func @f(%y: tensor<4xi8>, %scale: tensor<f32>, %zero: tensor<ui8>) {
  // expected-error @+2 {{'onnx.DequantizeLinear' op failed to infer returned types}}
  // expected-error @+1 {{x_zero_point is 'ui8', not 'i8'}}
  %1 = onnx.DequantizeLinear %y, %scale, %zero : (tensor<4xi8>, tensor<f32>, tensor<ui8>) -> tensor<*xf32>
  return
}

// -----

// Tests that DynamicQuantizeLinear quantizes f32 only.
func.func @f(%x: tensor<4xf16>) {
  // expected-error @+2 {{'onnx.DynamicQuantizeLinear' op failed to infer returned types}}
  // expected-error @+1 {{x must be an f32 tensor, got 'tensor<4xf16>'}}
  %y, %s, %z = onnx.DynamicQuantizeLinear %x : (tensor<4xf16>) -> (tensor<4xui8>, tensor<f32>, tensor<ui8>)
  return
}

// -----

// Tests that MatMulInteger multiplies 8-bit integers.
func.func @f(%a: tensor<2x3xi16>, %b: tensor<3x4xi8>) {
  %none = onnx.NoValue
  // expected-error @+2 {{'onnx.MatMulInteger' op failed to infer returned types}}
  // expected-error @+1 {{A must be int8 or uint8, got 'tensor<2x3xi16>'}}
  %0 = onnx.MatMulInteger %a, %b, %none, %none : (tensor<2x3xi16>, tensor<3x4xi8>, none, none) -> tensor<2x4xi32>
  return
}

// -----

// Tests that a zero point is of its operand's type.
func.func @f(%a: tensor<2x3xui8>, %b: tensor<3x4xi8>, %za: tensor<i8>) {
  %none = onnx.NoValue
  // expected-error @+2 {{'onnx.MatMulInteger' op failed to infer returned types}}
  // expected-error @+1 {{a_zero_point is 'i8', not 'ui8' as A}}
  %0 = onnx.MatMulInteger %a, %b, %za, %none : (tensor<2x3xui8>, tensor<3x4xi8>, tensor<i8>, none) -> tensor<2x4xi32>
  return
}

// -----

// Tests that B's zero point is one value or one per column.
func.func @f(%a: tensor<2x3xui8>, %b: tensor<3x4xi8>, %zb: tensor<3xi8>) {
  %none = onnx.NoValue
  // expected-error @+2 {{'onnx.MatMulInteger' op failed to infer returned types}}
  // expected-error @+1 {{b_zero_point 'tensor<3xi8>' is neither one value nor one per column of B 'tensor<3x4xi8>'}}
  %0 = onnx.MatMulInteger %a, %b, %none, %zb : (tensor<2x3xui8>, tensor<3x4xi8>, none, tensor<3xi8>) -> tensor<2x4xi32>
  return
}

// -----

// Tests that ConvInteger's x zero point is one value.
func.func @f(%x: tensor<1x2x5x5xui8>, %w: tensor<3x2x3x3xi8>, %zx: tensor<2xui8>) {
  %none = onnx.NoValue
  // expected-error @+2 {{'onnx.ConvInteger' op failed to infer returned types}}
  // expected-error @+1 {{x_zero_point 'tensor<2xui8>' must be one value}}
  %0 = onnx.ConvInteger %x, %w, %zx, %none : (tensor<1x2x5x5xui8>, tensor<3x2x3x3xi8>, tensor<2xui8>, none) -> tensor<1x3x3x3xi32>
  return
}

// -----

// Tests that ConvInteger's w zero point is one value or one per filter.
func.func @f(%x: tensor<1x2x5x5xui8>, %w: tensor<3x2x3x3xi8>, %zw: tensor<2xi8>) {
  %none = onnx.NoValue
  // expected-error @+2 {{'onnx.ConvInteger' op failed to infer returned types}}
  // expected-error @+1 {{w_zero_point 'tensor<2xi8>' is neither one value nor one per filter of w 'tensor<3x2x3x3xi8>'}}
  %0 = onnx.ConvInteger %x, %w, %none, %zw : (tensor<1x2x5x5xui8>, tensor<3x2x3x3xi8>, none, tensor<2xi8>) -> tensor<1x3x3x3xi32>
  return
}

// -----

// Tests that a per-row zero point of a size unknown at compile time stops
// MatMulInteger's expansion with a diagnostic (it made an invalid Reshape).
func.func @f(%a: tensor<2x3xui8>, %b: tensor<3x4xi8>, %za: tensor<?xui8>) -> tensor<2x4xi32> {
  %none = onnx.NoValue
  // expected-error @+1 {{'onnx.MatMulInteger' op cannot be expanded: its input's shape, or its axes, are not known at compile time}}
  %0 = onnx.MatMulInteger %a, %b, %za, %none : (tensor<2x3xui8>, tensor<3x4xi8>, tensor<?xui8>, none) -> tensor<2x4xi32>
  return %0 : tensor<2x4xi32>
}

// -----

// Tests that DynamicQuantizeLinear of an unranked x stops with a
// diagnostic (its scale and zero point came out unranked).
func.func @f(%x: tensor<*xf32>) -> tensor<f32> {
  // expected-error @+1 {{'onnx.DynamicQuantizeLinear' op cannot be expanded: its input's shape, or its axes, are not known at compile time}}
  %y, %s, %z = onnx.DynamicQuantizeLinear %x : (tensor<*xf32>) -> (tensor<*xui8>, tensor<f32>, tensor<ui8>)
  return %s : tensor<f32>
}

// -----

// Tests that MatMulInteger of an A with rows unknown at compile time stops
// with a diagnostic that names --input-shape (a zero point per row met
// them as 4 rows and made a result of another type).
func.func @f(%a: tensor<?x6xui8>, %b: tensor<6x5xi8>) -> tensor<?x5xi32> {
  %za = onnx.Constant dense<[1, 2, 3, 4]> : tensor<4xui8>
  %none = onnx.NoValue
  // expected-error @+1 {{a model input of dynamic size takes its sizes from --input-shape}}
  %0 = onnx.MatMulInteger %a, %b, %za, %none : (tensor<?x6xui8>, tensor<6x5xi8>, tensor<4xui8>, none) -> tensor<?x5xi32>
  return %0 : tensor<?x5xi32>
}

// -----

// Tests that A's zero point is one value or one per row.
func.func @f(%a: tensor<2x3xui8>, %b: tensor<3x4xi8>, %za: tensor<3xui8>) {
  %none = onnx.NoValue
  // expected-error @+2 {{'onnx.MatMulInteger' op failed to infer returned types}}
  // expected-error @+1 {{a_zero_point 'tensor<3xui8>' is neither one value nor one per row of A 'tensor<2x3xui8>'}}
  %0 = onnx.MatMulInteger %a, %b, %za, %none : (tensor<2x3xui8>, tensor<3x4xi8>, tensor<3xui8>, none) -> tensor<2x4xi32>
  return
}
