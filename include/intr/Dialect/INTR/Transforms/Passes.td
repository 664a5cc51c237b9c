//===- Passes.td - Optimizations of the intr dialect -------*- tablegen -*-===//

#ifndef INTR_DIALECT_INTR_TRANSFORMS_PASSES_TD
#define INTR_DIALECT_INTR_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def INTRDropUnusedMapsPass : Pass<"intr-drop-unused-maps", "mlir::func::FuncOp"> {
  let summary = "Turn class attention whose maps nobody reads into mha";
  let description = [{
    An `intr.class_attention` whose `probs` and `mean_probs` have no users
    (a model compiled for its logits only) becomes an `intr.mha` with the
    memory as keys and values: the same output without writing the maps.

    ```mlir
    %out, %probs, %mean = intr.class_attention %q, %m q(..) k(..) v(..) out(..)
    // with %probs and %mean unused becomes
    %out = intr.mha %q, %m, %m q(..) k(..) v(..) out(..)
    ```
  }];
  let dependentDialects = ["intr::INTRDialect"];
}

def INTRFoldZeroTargetPass
    : Pass<"intr-fold-zero-target", "mlir::func::FuncOp"> {
  let summary = "Fold the decoder's first layer, whose target is zero";
  let description = [{
    INTR's decoder starts from tgt = 0, so the first layer's self-attention
    reads, for each image, one value row repeated: 0 after a post-norm layer,
    LayerNorm(0) = its bias after a pre-norm one. Softmax rows sum to one,
    so such an `intr.mha` outputs (r · Wvᵀ + bv) · Woᵀ + bo for every query,
    whatever the queries, keys and scale, and becomes that constant (the
    projections it needs must be constants). An `intr.layer_norm` of
    constants becomes constants too, and so does an `intr.linear` of
    constants (the first layer's query projection once its queries are
    constants). (Rows whose keys are all padded are
    undefined, in PyTorch as here, so a mask does not prevent the fold.)
  }];
  let dependentDialects = ["intr::onnx::ONNXDialect"];
}

def INTRFuseAddsIntoLayerNormPass
    : Pass<"intr-fuse-adds-into-layer-norm", "mlir::func::FuncOp"> {
  let summary = "Move the adds before and after a layer norm into it";
  let description = [{
    Two adds of whole tensors (no broadcasting) that a transformer layer
    makes around each layer norm become part of it, so that each costs no
    step and no extra pass over memory:

    - before: `intr.layer_norm(onnx.Add(x, r))` becomes
      `intr.layer_norm(x) residual(r)`. Other readers of the sum (pre-norm
      layers reuse it) read the layer norm's `sum` result.
    - after: `onnx.Add(intr.layer_norm(...), pos)` becomes the layer norm's
      `shifted` result, with `addend(pos)`, when `pos` is defined before the
      layer norm (a constant, or an earlier value): the positional
      embedding that the next layer adds to its queries and keys while its
      values read the plain output.
  }];
  let dependentDialects = ["intr::INTRDialect"];
}

def INTRSequenceFirstAttentionPass
    : Pass<"intr-sequence-first-attention", "mlir::func::FuncOp"> {
  let summary = "Let mha read and write the sequence-first tensors itself";
  let description = [{
    A DETR-style transformer carries its tensors sequence first, [L, B, D],
    and transposes them to [B, L, D] around every attention: copies when
    B > 1. An `intr.mha` whose batched operands are all such transposes
    (`onnx.Transpose` with perm [1, 0, 2]) reads their inputs instead, with
    `sequence_first`, and its result is transposed back for its readers, so
    that the transposes its readers made cancel with it.
  }];
  let dependentDialects = ["intr::onnx::ONNXDialect"];
}

def INTRFoldPositionalProjectionsPass
    : Pass<"intr-fold-positional-projections", "mlir::func::FuncOp"> {
  let summary = "Fold a constant positional embedding into one projection "
                "of a self-attention's queries, keys and values";
  let description = [{
    A DETR-style self-attention reads q = k = x + pos and v = x. When `pos`
    is a constant, the same for every image, its part of the projections is
    a constant too:

    ```
    Q | K | V = x · [Wq; Wk; Wv]ᵀ + [pos · Wqᵀ + bq | pos · Wkᵀ + bk | bv]
    ```

    so an `intr.mha` whose query and key are x + pos (the `shifted` result
    of an `intr.layer_norm` whose output is the value, or an `onnx.Add` of
    the value and a constant), with constant f32 projections, becomes one
    `intr.linear` of width 3D, whose bias is that [S, 3D] constant as a
    positional bias, and an `intr.mha_qkv` that reads its result in place.
    One GEMM instead of two, and no x + pos in memory. The sum is exact
    algebra: only the order of the additions changes. The constant is
    computed in double and rounded once; each folded layer stores its own
    (about 2.8 MiB per encoder layer of the full-size model).

    Likewise an `intr.linear` of x + pos (read directly or through a
    transpose of the two leading axes), with pos a constant that varies
    along one leading axis at most (a decoder's query embedding, added for
    its cross-attention's queries), becomes an `intr.linear` of x whose
    bias is pos · Wᵀ + b: positional, or [N] when pos is the same
    everywhere. Together the two leave no positional add to run: the layer
    norms drop their addends.

    ```mlir
    %out, %sum, %qk = intr.layer_norm %x, %g, %b addend(%pos) : ...
    %a = intr.mha %qk, %qk, %out q(%wq, %bq) k(%wk, %bk) v(%wv, %bv)
        out(%wo, %bo) {num_heads = 8 : i64, sequence_first = true}
        : (tensor<950x1x256xf32>, ...) -> tensor<950x1x256xf32>
    // becomes
    %out, %sum = intr.layer_norm %x, %g, %b : ...
    %qkv = intr.linear %out, %w, %c
        : (tensor<950x1x256xf32>, tensor<768x256xf32>, tensor<950x1x768xf32>)
        -> tensor<950x1x768xf32>
    %a = intr.mha_qkv %qkv out(%wo, %bo)
        {num_heads = 8 : i64, sequence_first = true}
        : (tensor<950x1x768xf32>, tensor<256x256xf32>, tensor<256xf32>)
        -> tensor<950x1x256xf32>
    ```
  }];
  let dependentDialects = ["intr::onnx::ONNXDialect"];
}

def INTRHalfAttentionMapsPass
    : Pass<"intr-half-attention-maps", "mlir::func::FuncOp"> {
  let summary = "Return the attention maps in f16";
  let description = [{
    The function's f32 results named `attention` and `avg_attention` (their
    `onnx.name`; in a double model, the f32 maps that a Cast makes f64)
    go through an `onnx.Cast` to f16 just before the return,
    and the function's result types follow: the executable stores and hands
    over the maps in half the bytes (`intr-opt compile --attention-dtype
    fp16`). The attention itself, its softmax and the head mean stay in
    f32; only the stored probabilities are rounded, to 11 significant bits
    (a relative error of at most 2^-11, and an absolute one of at most
    2^-25 below f16's normal range).

    ```mlir
    return %logits, %attention : tensor<1x200xf32>, tensor<6x1x8x200x950xf32>
    // becomes
    %half = onnx.Cast %attention {to = 10 : si64}
        : (tensor<6x1x8x200x950xf32>) -> tensor<6x1x8x200x950xf16>
    return %logits, %half : tensor<1x200xf32>, tensor<6x1x8x200x950xf16>
    ```
  }];
  let dependentDialects = ["intr::onnx::ONNXDialect"];
}

def INTRSelectAttentionMapsPass
    : Pass<"intr-select-attention-maps", "mlir::func::FuncOp"> {
  let summary = "Return only the attention maps asked for";
  let description = [{
    Acts on the function's results named `attention` (every head's maps)
    and `avg_attention` (their head mean), by their `onnx.name`, which
    stack every decoder layer's maps along their leading axis.

    With `last-layer`, both keep the last layer only: an `onnx.Slice` of
    [L - 1, L) along that axis just before the return, so the layer axis
    stays, of size 1, and the function's result types follow (`intr-opt
    compile --attention-layers last`). Where the maps are stacked by an
    `onnx.Concat`, the Slice folds to the last layer's own maps; the other
    layers' maps are then read by nobody, their cross-attentions are raised
    as `intr.mha`s, and `intr-hoist-memory-projections` makes them
    `intr.class_attention_kv`s whose maps the plan does not store.

    With `head-mean`, the `attention` result goes (`--attention-heads
    mean`): the class attentions' per-head maps are read by nobody, and
    the plan gives those results no buffer, so the kernels compute the
    head mean without storing the heads' maps.

    The logits do not change.

    ```mlir
    return %logits, %attention, %mean
        : tensor<1x200xf32>, tensor<6x1x8x200x950xf32>, tensor<6x1x200x950xf32>
    // becomes, with last-layer and head-mean
    %last = onnx.Slice %mean, %five, %six, %zero, %none
        : (...) -> tensor<1x1x200x950xf32>
    return %logits, %last : tensor<1x200xf32>, tensor<1x1x200x950xf32>
    ```
  }];
  let options = [
    Option<"lastLayer", "last-layer", "bool", "false",
           "Keep the last decoder layer's maps only">,
    Option<"headMean", "head-mean", "bool", "false",
           "Return the head mean only, not every head's maps">
  ];
  let dependentDialects = ["intr::onnx::ONNXDialect"];
}

def INTRChannelsLastPass : Pass<"intr-channels-last", "mlir::func::FuncOp"> {
  let summary = "Store the convolutions' images channels last (NHWC)";
  let description = [{
    Every `intr.conv2d` without `channels_last` that cuDNN can say (the same
    padding at both ends of each axis, images of at most INT32_MAX
    elements) takes it: its input,
    residual and result become [N, H, W, C] and its weight [O, kh, kw,
    C / groups], and so does an `intr.max_pool2d` or an
    `intr.channel_affine` (DenseNet's raised batch norm and ReLU) whose input
    is already channels last. cuDNN's tensor-core convolutions read and write this
    layout; given NCHW they transpose around every convolution. An
    elementwise onnx op (trait ONNX_Elementwise: an activation such as
    ReLU6's Clip, a residual Add, a Cast) computes on NHWC images too where
    they are NHWC already: its result is an image, and each operand is a
    single element, a constant (permuted at compile time; one of lower rank
    as the image it broadcasts as, a per-channel [C, 1, 1] as
    [1, 1, 1, C]) or an image already NHWC, one at least. An image that
    the model itself permutes from NHWC to NCHW (perm [0, 3, 1, 2], as
    ConvNeXt's blocks do) is NHWC already: the permute's input, unless this
    pass moves that input. So does, on the same terms, an
    `onnx.Concat` of images (Inception's branches joined) and a
    mean, sum, maximum or product over known axes that keeps its
    dimensions (a squeeze-and-excitation's mean over the pixels), its axes
    moved to their NHWC places.

    Constant weights are permuted at compile time. Other images go through
    one `onnx.Transpose` (perm [0, 2, 3, 1]) where they are defined, and a
    result read by an NCHW op through one `onnx.Transpose` back (perm [0,
    3, 1, 2]): a backbone transposes its image once on the way in and its
    feature map once on the way out. Where that way out is flattened into a
    sequence (reshaped to [N, C, H * W], maybe cast, then transposed to
    [H * W, N, C]), the two transposes become one of the NHWC pixels
    ([N, H * W, C] to [H * W, N, C]; at batch 1 a reshape). `intr-opt
    compile` runs it (after
    `intr-lower-precision`) for raised tf32, fp16 and bf16 plans
    (`--channels-last`).

    ```mlir
    %0 = intr.conv2d %x, %w, %b : (tensor<1x64x200x304xbf16>,
        tensor<64x64x3x3xbf16>, tensor<64xbf16>) -> tensor<1x64x200x304xbf16>
    // becomes
    %x1 = onnx.Transpose %x {perm = array<i64: 0, 2, 3, 1>}
        : ... -> tensor<1x200x304x64xbf16>
    %0 = intr.conv2d %x1, %w1, %b {channels_last = true}
        : (tensor<1x200x304x64xbf16>, tensor<64x3x3x64xbf16>, tensor<64xbf16>)
        -> tensor<1x200x304x64xbf16>
    ```
  }];
  let dependentDialects = ["intr::onnx::ONNXDialect"];
}

def INTRPadChannelsPass : Pass<"intr-pad-channels", "mlir::func::FuncOp"> {
  let summary = "Pad the input channels of NHWC convolutions with zeros";
  let description = [{
    Every `intr.conv2d` with `channels_last`, one group and a constant
    weight whose input channels C are not a multiple of `multiple` reads
    its input padded with zero channels up to the next multiple, through
    one `onnx.Pad` of the last axis, and its weight [O, kh, kw, C] padded
    with zeros alike at compile time; the bias stays. The zeros add nothing
    to any sum; only the order in which a kernel adds the others may
    change. cuDNN's tensor-core convolutions over 16-bit NHWC images want C
    to be a multiple of 8; the stem's three colour channels are not
    (`intr-opt compile --pad-channels 8`). Convolutions whose weight is not
    a constant are left as they are.

    ```mlir
    %0 = intr.conv2d %x, %w, %b {channels_last = true, ...}
        : (tensor<1x800x1216x3xbf16>, tensor<64x7x7x3xbf16>, tensor<64xbf16>)
        -> tensor<1x400x608x64xbf16>
    // becomes, with multiple=8
    %x8 = onnx.Pad %x, %pads, %none, %none {mode = "constant"}
        : (..., tensor<8xi64>, none, none) -> tensor<1x800x1216x8xbf16>
    %0 = intr.conv2d %x8, %w8, %b {channels_last = true, ...}
        : (tensor<1x800x1216x8xbf16>, tensor<64x7x7x8xbf16>, tensor<64xbf16>)
        -> tensor<1x400x608x64xbf16>
    ```
  }];
  let options = [
    Option<"multiple", "multiple", "int64_t", "8",
           "Pad the input channels to a multiple of this">
  ];
  let dependentDialects = ["intr::onnx::ONNXDialect"];
}

def INTRLowerPrecisionPass
    : Pass<"intr-lower-precision", "mlir::func::FuncOp"> {
  let summary = "Run the convolutions and max pools in f16 or bf16";
  let description = [{
    Every f32 `intr.conv2d` that cuDNN, which runs them on a GPU, can say
    (the same padding at both ends of each axis, images of at most
    INT32_MAX elements) takes its operands and
    gives its result in `element-type` (f16 or bf16), and so does an
    `intr.max_pool2d` or an `onnx.Clip` (ReLU6) whose input is already in
    that type, which select among their operands' elements and so give
    their f32 results rounded (rounding keeps order); an `onnx.Swish`,
    `onnx.HardSwish`, `onnx.HardSigmoid`, `onnx.LeakyRelu`, `onnx.Elu`,
    `onnx.Selu`, `onnx.Celu`, `onnx.Softplus`, `onnx.Mish` or
    `intr.channel_affine` (its scale and shift kept f32) whose input is in that type and whose result
    only such ops read, which the kernels compute in f32 on 16-bit elements
    and round once; and an `onnx.Concat` of 16-bit images that only such
    ops read, which moves elements only. The backbone,
    almost all of the model's arithmetic, stores its weights and
    activations in 16 bits and runs on 16-bit tensor cores (`intr-opt
    compile --precision fp16|bf16`). The kernels still accumulate in f32.

    Constant operands (the weights and biases, batch norm already folded
    into them) are rounded to the type at compile time, to nearest even.
    Other operands go through an `onnx.Cast` placed where they are defined,
    one per value; a 16-bit result read by an f32 op reaches it through one
    `onnx.Cast` back to f32. A chain of convolutions thus converts once on
    the way in (the image) and once on the way out (the feature map). The
    transformer, its softmax and the attention maps stay f32.

    Two kinds of convolution stay f32: one of integer weights (a
    ConvInteger's, expanded: constants, or cast from integers at run time),
    whose sums of 8-bit integers pass f16's range and need f32's
    exactness; and one whose result an `intr.fake_quantize`
    reads, directly or through the ops above (a remark says how many):
    rounded first, its values would land on the other side of quantization
    steps, and a quantized model's precision is its quantization's.

    ```mlir
    %0 = intr.conv2d %image, %w, %b {activation = "relu", ...}
        : (tensor<1x3x800x1216xf32>, tensor<64x3x7x7xf32>, tensor<64xf32>)
        -> tensor<1x64x400x608xf32>
    // becomes, with element-type=bf16
    %image16 = onnx.Cast %image {to = 16 : si64}
        : ... -> tensor<1x3x800x1216xbf16>
    %0 = intr.conv2d %image16, %w16, %b16 {activation = "relu", ...}
        : (tensor<1x3x800x1216xbf16>, tensor<64x3x7x7xbf16>, tensor<64xbf16>)
        -> tensor<1x64x400x608xbf16>
    ```
  }];
  let options = [
    Option<"elementType", "element-type", "std::string", "\"bf16\"",
           "The 16-bit type: f16 or bf16">
  ];
  let dependentDialects = ["intr::onnx::ONNXDialect"];
}

def INTRHoistMemoryProjectionsPass
    : Pass<"intr-hoist-memory-projections", "mlir::func::FuncOp"> {
  let summary = "Project the memory into every decoder layer's keys and "
                "values with one linear";
  let description = [{
    The class attentions that read the same memory (every decoder layer of
    an image) each project it into keys and values. This pass stacks their
    constant key and value weights into one `intr.linear` over the memory,
    [B, T, D] -> [B, T, 2 L D], placed where the memory is ready, and turns
    each `intr.class_attention` into an `intr.linear` of its queries and an
    `intr.class_attention_kv` that reads its keys and values as slices of
    that result. An `intr.mha` whose keys and values are both that memory
    (batch first) joins them: a decoder layer whose maps are not returned
    (`--attention-layers last`) is raised as one. It becomes an
    `intr.class_attention_kv` too, with the class attentions' feature map
    and maps that nobody reads, which the plan does not store; a group of
    mhas without a class attention is left as it is. A query projection
    of constant queries (the first decoder layer's) is left for
    `--intr-fold-zero-target` to fold.
  }];
  let dependentDialects = ["intr::onnx::ONNXDialect"];
}

#endif // INTR_DIALECT_INTR_TRANSFORMS_PASSES_TD
