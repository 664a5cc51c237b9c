//===- INTRNNOps.td - Convolution, pooling, linear, norm ---*- tablegen -*-===//
//
// The neural network operations of the intr dialect: the backbone's
// convolutions and max pooling, and the transformer's linear layers and layer
// normalizations. Each one is what raising produces from a family of ONNX
// patterns, with the epilogue that kernels fuse (bias, ReLU, residual add)
// folded in. Included by INTROps.td, which defines INTR_FloatTensor.
//
// Layouts follow PyTorch: images are NCHW, convolution weights OIHW, linear
// weights [out_features, in_features] unless transpose_weight is false.
//
//===----------------------------------------------------------------------===//

#ifndef INTR_DIALECT_INTR_IR_INTRNNOPS_TD
#define INTR_DIALECT_INTR_IR_INTRNNOPS_TD

include "intr/Dialect/INTR/IR/INTRDialect.td"
include "intr/Dialect/ONNX/IR/ONNXTraits.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

// The epilogue activation of conv2d and linear. A string checked by verify()
// rather than an enum attribute, so that its message names the op's value.
def INTR_ActivationAttr : DefaultValuedAttr<StrAttr, "\"none\"">;

//===----------------------------------------------------------------------===//
// Conv2DOp
//===----------------------------------------------------------------------===//

def INTR_Conv2DOp : INTR_Op<"conv2d", [Pure, InferTypeOpAdaptor]> {
  let summary = "2-D convolution with bias, an optional residual and an "
                "optional ReLU";
  let description = [{
    A grouped, strided, dilated 2-D convolution over NCHW images (PyTorch's
    nn.Conv2d, ONNX Conv), followed by a bias add and an optional ReLU. Batch
    norm is folded into `weight` and `bias` by raising, and `bias` is zeros
    when the model has none, so that every convolution has one form.

    `input` is [N, C, H, W], `weight` is [O, C / G, kh, kw] with G =
    `groups`, `bias` is [O]. With `strides` = [sh, sw], `dilations` =
    [dh, dw], `padding` = [top, left, bottom, right], Cg = C / G,
    Og = O / G and g = floor(o / Og), the group of output channel o:

    ```
    out[n, o, y, x] = act(bias[o] + Σ_{c < Cg, i < kh, j < kw}
        in[n, g·Cg + c, y·sh + i·dh − top, x·sw + j·dw − left] · weight[o, c, i, j])
    Ho = floor((H + top + bottom − dh·(kh − 1) − 1) / sh) + 1
    Wo = floor((W + left + right − dw·(kw − 1) − 1) / sw) + 1
    ```

    where `in` reads zero outside [0, H) x [0, W), and act(v) = v when
    `activation` is "none", max(v, 0) when it is "relu". The result is
    [N, O, Ho, Wo]; Ho and Wo must be positive. `strides` and `dilations`
    default to [1, 1], `padding` to zeros, `groups` to 1.

    With `residual` (the result's shape), the sum inside act() includes
    residual[n, o, y, x]: a residual block's `relu(conv(x) + identity)` in
    one op, which cuDNN computes in the convolution's epilogue.

    With `channels_last`, the images are stored [N, H, W, C] (input) and
    [N, Ho, Wo, O] (residual and result) and the weight [O, kh, kw, C / G]
    (PyTorch's channels_last memory format): the same math over another
    layout, the one tensor cores read without transposing
    (`--intr-channels-last`).

    Example (the ResNet-50 stem at 800x1216, its batch norm folded):

    ```mlir
    %0 = intr.conv2d %image, %weight, %bias
        {activation = "relu", padding = array<i64: 3, 3, 3, 3>,
         strides = array<i64: 2, 2>}
        : (tensor<1x3x800x1216xf32>, tensor<64x3x7x7xf32>, tensor<64xf32>)
        -> tensor<1x64x400x608xf32>
    ```
  }];

  let arguments = (ins
    INTR_FloatTensor:$input,
    INTR_FloatTensor:$weight,
    INTR_FloatTensor:$bias,
    Optional<INTR_FloatTensor>:$residual,
    DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$strides,
    DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0, 0, 0}">:$padding,
    DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$dilations,
    DefaultValuedAttr<I64Attr, "1">:$groups,
    INTR_ActivationAttr:$activation,
    DefaultValuedAttr<BoolAttr, "false">:$channels_last
  );

  let results = (outs INTR_FloatTensor:$output);

  let assemblyFormat = [{
    $input `,` $weight `,` $bias (`residual` `(` $residual^ `)`)? attr-dict `:`
    functional-type(operands, results)
  }];

  let hasVerifier = 1;

  let extraClassDeclaration = [{
    /// Whether the epilogue applies a ReLU.
    bool hasRelu() { return getActivation() == "relu"; }
    /// Whether cuDNN's descriptors can say it (a GPU runs 16-bit and
    /// channels-last convolutions on cuDNN only): each axis padded alike at
    /// both ends, and static images of at most INT32_MAX elements.
    bool fitsCudnn() {
      ::llvm::ArrayRef<int64_t> padding = getPadding();
      auto small = [](::mlir::Type type) {
        auto tensor = ::llvm::cast<::mlir::RankedTensorType>(type);
        return tensor.hasStaticShape() &&
               tensor.getNumElements() <= INT32_MAX;
      };
      return padding.size() == 4 && padding[0] == padding[2] &&
             padding[1] == padding[3] && small(getInput().getType()) &&
             small(getOutput().getType());
    }
  }];
}

//===----------------------------------------------------------------------===//
// ChannelAffineOp
//===----------------------------------------------------------------------===//

def INTR_ChannelAffineOp
    : INTR_Op<"channel_affine", [Pure, InferTypeOpAdaptor]> {
  let summary = "per-channel scale and shift with an optional ReLU";
  let description = [{
    A batch norm with constant statistics that no convolution took in
    (DenseNet's, before its ReLU and convolution), folded to a scale and a
    shift per channel, and the ReLU after it, in one pass:

    ```
    out[n, c, y, x] = act(input[n, c, y, x] · scale[c] + shift[c])
    ```

    `input` is [N, C, H, W] ([N, H, W, C] with `channels_last`), `scale`
    and `shift` are f32 [C], and act is as conv2d's `activation`. The
    input and the result are f32, or f16 or bf16 in 16-bit plans, which
    compute in f32 and round once: the f32 op's result rounded.

    ```mlir
    %0 = intr.channel_affine %x, %scale, %shift {activation = "relu"}
        : (tensor<1x64x56x56xf32>, tensor<64xf32>, tensor<64xf32>)
        -> tensor<1x64x56x56xf32>
    ```
  }];

  let arguments = (ins
    INTR_FloatTensor:$input,
    RankedTensorOf<[F32]>:$scale,
    RankedTensorOf<[F32]>:$shift,
    INTR_ActivationAttr:$activation,
    DefaultValuedAttr<BoolAttr, "false">:$channels_last
  );

  let results = (outs INTR_FloatTensor:$output);

  let assemblyFormat = [{
    $input `,` $scale `,` $shift attr-dict `:` functional-type(operands, results)
  }];

  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// MaxPool2DOp
//===----------------------------------------------------------------------===//

def INTR_MaxPool2DOp : INTR_Op<"max_pool2d", [Pure, InferTypeOpAdaptor]> {
  let summary = "2-D max pooling";
  let description = [{
    Max pooling over NCHW images (PyTorch's nn.MaxPool2d, ONNX MaxPool
    without dilations). `input` is [N, C, H, W]; with `kernel` = [kh, kw],
    `strides` = [sh, sw] and `padding` = [top, left, bottom, right]:

    ```
    out[n, c, y, x] = max over i < kh, j < kw such that
                      0 ≤ y·sh + i − top < H and 0 ≤ x·sw + j − left < W
                      of in[n, c, y·sh + i − top, x·sw + j − left]
    ```

    Padded positions never win: they count as −inf. With `ceil_mode` false,

    ```
    Ho = floor((H + top + bottom − kh) / sh) + 1
    ```

    With `ceil_mode` true, Ho = ceil((H + top + bottom − kh) / sh) + 1, less
    one if (Ho − 1)·sh ≥ H + top, that is, if the last window would start in
    the bottom padding (PyTorch's rule); a last window may then reach past
    the bottom padding, and those positions count as padding too. Wo is
    alike with W, kw, sw, left and right. The result is [N, C, Ho, Wo].

    Every padding must be smaller than the kernel along its axis, so that
    every window sees at least one element of the input. `strides` defaults
    to [1, 1] (not to the kernel), `padding` to zeros. With `channels_last`,
    the input is [N, H, W, C] and the result [N, Ho, Wo, C].

    Example (the ResNet-50 stem's pooling at 800x1216):

    ```mlir
    %0 = intr.max_pool2d %x
        {kernel = array<i64: 3, 3>, padding = array<i64: 1, 1, 1, 1>,
         strides = array<i64: 2, 2>}
        : (tensor<1x64x400x608xf32>) -> tensor<1x64x200x304xf32>
    ```
  }];

  let arguments = (ins
    INTR_FloatTensor:$input,
    DenseI64ArrayAttr:$kernel,
    DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$strides,
    DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0, 0, 0}">:$padding,
    DefaultValuedAttr<BoolAttr, "false">:$ceil_mode,
    DefaultValuedAttr<BoolAttr, "false">:$channels_last
  );

  let results = (outs INTR_FloatTensor:$output);

  let assemblyFormat = [{
    $input attr-dict `:` functional-type(operands, results)
  }];

  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// FakeQuantizeOp
//===----------------------------------------------------------------------===//

def INTR_FakeQuantizeOp : INTR_Op<"fake_quantize", [Pure, ONNX_Elementwise,
    AllTypesMatch<["input", "output"]>]> {
  let summary = "quantization round trip: quantize to integers and back";
  let description = [{
    What a quantized model's DequantizeLinear(QuantizeLinear(x)) on an
    activation computes (one scale and zero point for the tensor), in one
    pass instead of the Div, Clip, Round, Add and Mul that onnx-decompose
    expands it into, with their bits:

    ```
    output = (round(clip(input / scale, low, high)) + 0) · scale
    ```

    round takes halves to even; adding +0 makes a rounded -0 the +0 that
    the integers give; a NaN stays NaN. `low` and `high` are the quantized
    type's range less the zero point (int8 with zero point 3: -131 and
    124), integers of magnitude at most 2^24 (exact in f32). The input and
    the result are f32; the op is elementwise, so it computes alike in any
    order of the axes (channels last too).

    ```mlir
    %0 = intr.fake_quantize %x {scale = 0.0235 : f32, low = -131, high = 124}
        : tensor<1x64x56x56xf32>
    ```
  }];

  let arguments = (ins
    RankedTensorOf<[F32]>:$input,
    F32Attr:$scale,
    I64Attr:$low,
    I64Attr:$high
  );

  let results = (outs RankedTensorOf<[F32]>:$output);

  let assemblyFormat = "$input attr-dict `:` type($input)";

  let hasVerifier = 1;

  let extraClassDeclaration = [{
    /// The largest magnitude of `low` and `high`: every integer up to it
    /// is an f32.
    static constexpr int64_t kLargestBound = int64_t(1) << 24;
  }];
}

//===----------------------------------------------------------------------===//
// LinearOp
//===----------------------------------------------------------------------===//

def INTR_LinearOp : INTR_Op<"linear", [Pure, InferTypeOpAdaptor]> {
  let summary = "matrix product with a weight, optional bias and ReLU";
  let description = [{
    A fully connected layer applied to the last dimension of `input`
    ([..., K]), followed by an optional bias add and an optional ReLU.
    `transpose_weight` (default true) says how `weight` is stored:

    ```
    transpose_weight = true,  weight [N, K]:  (PyTorch nn.Linear, ONNX Gemm transB = 1)
        out[..., n] = act(Σ_{k < K} input[..., k] · weight[n, k] + bias[n])
    transpose_weight = false, weight [K, N]:  (ONNX MatMul with an initializer)
        out[..., n] = act(Σ_{k < K} input[..., k] · weight[k, n] + bias[n])
    ```

    `bias`, when present, is [N]; without it the bias term is zero. act(v) = v
    when `activation` is "none", max(v, 0) when it is "relu". The result is
    [..., N]: the leading dimensions of `input` are kept.

    `bias` may instead vary along one leading axis a of the result: it then
    has the result's rank, N last, the result's size at axis a and 1 at every
    other axis, and bias[n] above reads bias[.., i_a, .., n], with i_a the
    position along a. `--intr-fold-positional-projections` folds a constant
    positional embedding into such a bias (a [S, 1, N] bias on a
    sequence-first [S, B, K] input).

    Example (the first layer of an encoder FFN, 256 -> 2048):

    ```mlir
    %0 = intr.linear %x, %weight, %bias {activation = "relu"}
        : (tensor<1x950x256xf32>, tensor<2048x256xf32>, tensor<2048xf32>)
        -> tensor<1x950x2048xf32>
    ```
  }];

  let arguments = (ins
    INTR_FloatTensor:$input,
    INTR_FloatTensor:$weight,
    Optional<INTR_FloatTensor>:$bias,
    DefaultValuedAttr<BoolAttr, "true">:$transpose_weight,
    INTR_ActivationAttr:$activation
  );

  let results = (outs INTR_FloatTensor:$output);

  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:`
    functional-type(operands, results)
  }];

  let hasVerifier = 1;

  let extraClassDeclaration = [{
    /// Whether the epilogue applies a ReLU.
    bool hasRelu() { return getActivation() == "relu"; }
  }];
}

//===----------------------------------------------------------------------===//
// LayerNormOp
//===----------------------------------------------------------------------===//

def INTR_LayerNormOp : INTR_Op<"layer_norm", [Pure, InferTypeOpAdaptor,
                                               AttrSizedOperandSegments]> {
  let summary = "layer normalization over the last dimension, with an "
                "optional fused residual add and an optional add after";
  let description = [{
    Layer normalization over the last dimension of `input` ([..., D]), as
    torch.nn.LayerNorm(D) and ONNX LayerNormalization with axis = -1. When
    `residual` (the shape of `input`) is present, the op normalizes
    input + residual: the residual add of a post-norm transformer layer.
    When `addend` (the shape of `input`) is present, the op also returns its
    output plus the addend: a transformer's positional embedding added to
    the normalized queries and keys. For every position p of the leading
    dimensions:

    ```
    s[p, :]   = input[p, :] + residual[p, :]     (input[p, :] without residual)
    μ         = (1 / D) · Σ_{d < D} s[p, d]
    σ²        = (1 / D) · Σ_{d < D} (s[p, d] − μ)²        (biased variance)
    output[p, d]  = (s[p, d] − μ) / sqrt(σ² + epsilon) · scale[d] + bias[d]
    sum[p, d]     = s[p, d]
    shifted[p, d] = output[p, d] + addend[p, d]     (only with addend)
    ```

    `scale` and `bias` are [D]; `epsilon` defaults to 1e-5. Every result has
    the shape and element type of `input`. `sum` lets a pre-norm layer reuse
    the residual sum it normalizes; it is `input` itself when there is no
    residual. `shifted` is there exactly when `addend` is.

    Example (the closing norm of an encoder layer, post-norm, whose output
    the next layer reads as it is (values) and with the positional
    embedding added (queries and keys)):

    ```mlir
    %out, %sum, %shifted = intr.layer_norm %ffn, %scale, %bias residual(%src)
        addend(%pos)
        : (tensor<1x950x256xf32>, tensor<256xf32>, tensor<256xf32>,
           tensor<1x950x256xf32>, tensor<1x950x256xf32>)
        -> (tensor<1x950x256xf32>, tensor<1x950x256xf32>,
            tensor<1x950x256xf32>)
    ```
  }];

  let arguments = (ins
    INTR_FloatTensor:$input,
    INTR_FloatTensor:$scale,
    INTR_FloatTensor:$bias,
    Optional<INTR_FloatTensor>:$residual,
    Optional<INTR_FloatTensor>:$addend,
    DefaultValuedAttr<F64Attr, "1e-5">:$epsilon
  );

  let results = (outs
    INTR_FloatTensor:$output,
    INTR_FloatTensor:$sum,
    Optional<INTR_FloatTensor>:$shifted
  );

  let assemblyFormat = [{
    $input `,` $scale `,` $bias (`residual` `(` $residual^ `)`)?
    (`addend` `(` $addend^ `)`)? attr-dict `:`
    functional-type(operands, results)
  }];

  let builders = [
    // Without an addend: the two results.
    OpBuilder<(ins "mlir::Value":$input, "mlir::Value":$scale,
                   "mlir::Value":$bias, "mlir::Value":$residual,
                   "mlir::FloatAttr":$epsilon)>
  ];

  let hasVerifier = 1;
  let hasCanonicalizer = 1;
}

#endif // INTR_DIALECT_INTR_IR_INTRNNOPS_TD
