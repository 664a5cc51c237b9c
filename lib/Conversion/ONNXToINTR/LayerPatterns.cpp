//===- LayerPatterns.cpp - Raise convolutions, linears and norms ----------===//
//
// The non-attention layers: Conv (with frozen batch norm, as Mul/Add or as
// BatchNormalization, folded into its weights, and a following Relu), a
// batch norm of another op's result (with a following Relu), the
// SiLU written as x * sigmoid(x) (one Swish), MaxPool, Gemm or MatMul + Add
// (with a following Relu), and LayerNormalization or its
// ReduceMean/Sub/Pow/Sqrt/Div decomposition.
//
// Folding batch norm rewrites weights at compile time, so it needs them as
// constants (dense or resource-backed f32); otherwise the onnx ops stay.
//
//===----------------------------------------------------------------------===//

#include "intr/Conversion/ONNXToINTR.h"

#include "intr/Dialect/ONNX/IR/ONNXConstants.h"

#include "intr/Dialect/INTR/IR/INTROps.h"
#include "intr/Dialect/ONNX/IR/ONNXOps.h"

#include "mlir/IR/Matchers.h"
#include "mlir/IR/TypeUtilities.h"

#include <cmath>
#include <type_traits>

using namespace mlir;
using namespace intr;
using onnx::shapeOf;

namespace {

/// The per-channel values of a constant that broadcasts along dimension 1
/// of an [N, C, H, W] tensor: [C, 1, 1], [1, C, 1, 1], or one value.
std::optional<SmallVector<float>> perChannel(Value value, int64_t channels) {
  std::optional<SmallVector<float>> values = readConstantFloats(value);
  if (!values)
    return std::nullopt;
  ArrayRef<int64_t> shape = shapeOf(value);
  if (values->size() == 1)
    return SmallVector<float>(channels, (*values)[0]);
  bool channelShape =
      (shape == ArrayRef<int64_t>{channels, 1, 1}) ||
      (shape == ArrayRef<int64_t>{1, channels, 1, 1}) ||
      (shape == ArrayRef<int64_t>{channels} && false); // [C] is along W
  if (!channelShape)
    return std::nullopt;
  return values;
}

StringAttr activation(PatternRewriter &rewriter, bool relu) {
  return rewriter.getStringAttr(relu ? "relu" : "none");
}

/// A conv2d whose only reader is `user` and that has no activation or
/// residual yet, so that an affine map, a residual add or a ReLU after it
/// can move into it.
Conv2DOp fusableConv(Value value) {
  auto conv = value.getDefiningOp<Conv2DOp>();
  if (!conv || !conv.getOutput().hasOneUse() ||
      conv.getActivation() != "none" || conv.getResidual())
    return nullptr;
  return conv;
}

/// Rebuilds `conv` with weights scaled per output channel and a new bias.
Value rebuildConv(PatternRewriter &rewriter, Conv2DOp conv,
                  ArrayRef<float> scale, ArrayRef<float> shift) {
  std::optional<SmallVector<float>> weights =
      readConstantFloats(conv.getWeight());
  std::optional<SmallVector<float>> bias = readConstantFloats(conv.getBias());
  if (!weights || !bias)
    return nullptr;
  int64_t channels = shapeOf(conv.getWeight())[0];
  int64_t perChannelSize = weights->size() / channels;
  for (int64_t o = 0; o < channels; ++o) {
    for (int64_t i = 0; i < perChannelSize; ++i)
      (*weights)[o * perChannelSize + i] *= scale[o];
    (*bias)[o] = (*bias)[o] * scale[o] + shift[o];
  }
  Location loc = conv.getLoc();
  rewriter.setInsertionPoint(conv);
  Value newWeights =
      createFloatConstant(rewriter, loc, shapeOf(conv.getWeight()), *weights);
  Value newBias = createFloatConstant(rewriter, loc, {channels}, *bias);
  return rewriter.create<Conv2DOp>(
      loc, conv.getInput(), newWeights, newBias, /*residual=*/Value(),
      conv.getStridesAttr(),
      conv.getPaddingAttr(), conv.getDilationsAttr(), conv.getGroupsAttr(),
      conv.getActivationAttr());
}

//===----------------------------------------------------------------------===//
// Convolution
//===----------------------------------------------------------------------===//

struct ConvPattern : public OpRewritePattern<onnx::ConvOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(onnx::ConvOp op,
                                PatternRewriter &rewriter) const override {
    ArrayRef<int64_t> x = shapeOf(op.getX());
    ArrayRef<int64_t> w = shapeOf(op.getW());
    if (x.size() != 4 || w.size() != 4 ||
        !cast<ShapedType>(op.getX().getType()).getElementType().isF32())
      return rewriter.notifyMatchFailure(op, "not a 2-D f32 convolution");
    if (op.getAutoPad() != "NOTSET" && op.getAutoPad() != "VALID")
      return rewriter.notifyMatchFailure(op, "SAME auto_pad is not raised");
    // A zero bias needs the filters' count; the kernel_shape check, W's
    // kernel sizes (a W given at run time may have neither).
    if (ShapedType::isDynamicShape(w))
      return rewriter.notifyMatchFailure(op, "W's shape is not static");
    if (op.getKernelShape() &&
        *op.getKernelShape() != ArrayRef<int64_t>{w[2], w[3]})
      return rewriter.notifyMatchFailure(op, "kernel_shape differs from W");
    SmallVector<int64_t> pads = {0, 0, 0, 0}, strides = {1, 1},
                         dilations = {1, 1};
    if (op.getAutoPad() == "NOTSET" && op.getPads())
      pads.assign(op.getPads()->begin(), op.getPads()->end());
    if (op.getStrides())
      strides.assign(op.getStrides()->begin(), op.getStrides()->end());
    if (op.getDilations())
      dilations.assign(op.getDilations()->begin(), op.getDilations()->end());
    if (pads.size() != 4 || strides.size() != 2 || dilations.size() != 2)
      return rewriter.notifyMatchFailure(op, "not 2-D pads/strides/dilations");

    Value bias = op.getB();
    if (isa<NoneType>(bias.getType()))
      bias = createFloatConstant(rewriter, op.getLoc(), {w[0]},
                                 SmallVector<float>(w[0], 0.0f));
    rewriter.replaceOpWithNewOp<Conv2DOp>(
        op, op.getX(), op.getW(), bias, /*residual=*/Value(),
        rewriter.getDenseI64ArrayAttr(strides),
        rewriter.getDenseI64ArrayAttr(pads),
        rewriter.getDenseI64ArrayAttr(dilations),
        rewriter.getI64IntegerAttr(op.getGroup()), activation(rewriter, false));
    return success();
  }
};

/// conv * s or conv + t with a per-channel constant (frozen batch norm as
/// the legacy exporter writes it) moves into the conv2d's weights and bias.
template <typename OpTy>
struct FoldPerChannelIntoConv : public OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;

  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    constexpr bool isScale = std::is_same_v<OpTy, onnx::MulOp>;
    for (auto [input, constant] :
         {std::pair(op.getA(), op.getB()), std::pair(op.getB(), op.getA())}) {
      Conv2DOp conv = fusableConv(input);
      if (!conv || shapeOf(op.getC()) != shapeOf(conv.getOutput()))
        continue;
      int64_t channels = shapeOf(conv.getOutput())[1];
      std::optional<SmallVector<float>> values = perChannel(constant, channels);
      if (!values)
        continue;
      // The other half of the affine map leaves the conv as it is.
      SmallVector<float> noShift(channels, 0.0f), noScale(channels, 1.0f);
      if (Value folded = isScale
                             ? rebuildConv(rewriter, conv, *values, noShift)
                             : rebuildConv(rewriter, conv, noScale, *values)) {
        rewriter.replaceOp(op, folded);
        rewriter.eraseOp(conv);
        return success();
      }
    }
    return rewriter.notifyMatchFailure(
        op, "not a per-channel constant after a conv2d with constant weights");
  }
};

/// BatchNormalization (inference form) after a conv2d.
struct FoldBatchNormIntoConv
    : public OpRewritePattern<onnx::BatchNormalizationOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(onnx::BatchNormalizationOp op,
                                PatternRewriter &rewriter) const override {
    Conv2DOp conv = fusableConv(op.getX());
    if (!conv)
      return rewriter.notifyMatchFailure(op, "not a batch norm of a conv2d");
    int64_t channels = shapeOf(conv.getOutput())[1];
    auto affine = op.getConstantAffine();
    if (!affine || static_cast<int64_t>(affine->first.size()) != channels)
      return rewriter.notifyMatchFailure(op, "batch norm statistics are not "
                                             "constants, or are read");
    auto [scale, shift] = *affine;
    Value folded = rebuildConv(rewriter, conv, scale, shift);
    if (!folded)
      return rewriter.notifyMatchFailure(op, "conv2d weights are not "
                                             "constants");
    rewriter.replaceAllUsesWith(op.getY(), folded);
    rewriter.eraseOp(op);
    rewriter.eraseOp(conv);
    return success();
  }
};

/// A batch norm that no convolution takes in (DenseNet's, before its ReLU
/// and convolution): one channel_affine, which FuseRelu gives the ReLU.
/// One that FoldBatchNormIntoConv can take (of a conv2d with constant
/// weights that nothing else reads, or of an onnx.Conv that raising may
/// yet make one) is left to it.
struct BatchNormToChannelAffine
    : public OpRewritePattern<onnx::BatchNormalizationOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(onnx::BatchNormalizationOp op,
                                PatternRewriter &rewriter) const override {
    Value x = op.getX();
    Conv2DOp conv = fusableConv(x);
    if ((x.getDefiningOp<onnx::ConvOp>() && x.hasOneUse()) ||
        (conv && matchPattern(conv.getWeight(), m_Constant()) &&
         matchPattern(conv.getBias(), m_Constant())))
      return rewriter.notifyMatchFailure(
          op, "a batch norm that folds into its convolution");
    auto type = dyn_cast<RankedTensorType>(x.getType());
    if (!type || type.getRank() != 4 || !type.getElementType().isF32() ||
        type.isDynamicDim(1))
      return rewriter.notifyMatchFailure(op, "not an f32 [N, C, H, W] image");
    int64_t channels = type.getDimSize(1);
    auto affine = op.getConstantAffine();
    if (!affine || static_cast<int64_t>(affine->first.size()) != channels)
      return rewriter.notifyMatchFailure(op, "batch norm statistics are not "
                                             "constants, or are read");
    Location loc = op.getLoc();
    Value scale = createFloatConstant(rewriter, loc, {channels}, affine->first);
    Value shift =
        createFloatConstant(rewriter, loc, {channels}, affine->second);
    Value affined = rewriter.create<ChannelAffineOp>(
        loc, x, scale, shift, activation(rewriter, false),
        rewriter.getBoolAttr(false));
    rewriter.replaceAllUsesWith(op.getY(), affined);
    rewriter.eraseOp(op);
    return success();
  }
};

/// x * a + b with per-channel constants a and b, on an f32 [N, C, H, W]
/// image that no convolution takes them into (a group norm's scale and
/// shift after its normalization): one channel_affine, one pass instead of
/// two, which FuseRelu gives the ReLU after it.
struct MulAddToChannelAffine : public OpRewritePattern<onnx::AddOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(onnx::AddOp op,
                                PatternRewriter &rewriter) const override {
    for (auto [product, shift] :
         {std::pair(op.getA(), op.getB()), std::pair(op.getB(), op.getA())}) {
      auto mul = product.getDefiningOp<onnx::MulOp>();
      if (!mul || !product.hasOneUse())
        continue;
      for (auto [x, scale] : {std::pair(mul.getA(), mul.getB()),
                              std::pair(mul.getB(), mul.getA())}) {
        auto type = dyn_cast<RankedTensorType>(x.getType());
        if (!type || type.getRank() != 4 || !type.getElementType().isF32() ||
            type.isDynamicDim(1) || type != op.getC().getType())
          continue;
        // FoldPerChannelIntoConv moves them into such a convolution (an
        // onnx.Conv becomes one).
        Conv2DOp conv = fusableConv(x);
        if ((x.getDefiningOp<onnx::ConvOp>() && x.hasOneUse()) ||
            (conv && matchPattern(conv.getWeight(), m_Constant())))
          continue;
        int64_t channels = type.getDimSize(1);
        std::optional<SmallVector<float>> a = perChannel(scale, channels);
        std::optional<SmallVector<float>> b = perChannel(shift, channels);
        if (!a || !b)
          continue;
        Location loc = op.getLoc();
        Value affined = rewriter.create<ChannelAffineOp>(
            loc, x, createFloatConstant(rewriter, loc, {channels}, *a),
            createFloatConstant(rewriter, loc, {channels}, *b),
            activation(rewriter, false), rewriter.getBoolAttr(false));
        rewriter.replaceOp(op, affined);
        rewriter.eraseOp(mul);
        return success();
      }
    }
    return rewriter.notifyMatchFailure(
        op, "not an image times a per-channel constant plus another");
  }
};

/// conv + r, r of the sum's shape (a residual block's identity or
/// downsampling branch): r moves into the conv2d as its residual, so that
/// the ReLU after the sum can follow it there (FuseRelu).
struct FuseResidualIntoConv : public OpRewritePattern<onnx::AddOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(onnx::AddOp op,
                                PatternRewriter &rewriter) const override {
    for (auto [summand, other] :
         {std::pair(op.getA(), op.getB()), std::pair(op.getB(), op.getA())}) {
      Conv2DOp conv = fusableConv(summand);
      if (!conv || conv.getOutput().getType() != op.getC().getType() ||
          other.getType() != op.getC().getType())
        continue;
      Value residual = other; // a lambda captures no structured binding (C++17)
      rewriter.modifyOpInPlace(
          conv, [&] { conv.getResidualMutable().assign(residual); });
      // The residual may be defined after the conv (a downsampling branch
      // written later): the conv moves down to the sum.
      rewriter.moveOpBefore(conv, op);
      rewriter.replaceOp(op, conv.getOutput());
      return success();
    }
    return rewriter.notifyMatchFailure(op, "not a conv2d plus a tensor of "
                                           "its shape");
  }
};

/// relu(conv), relu(linear) and relu(channel_affine): the activation moves
/// into the op.
struct FuseRelu : public OpRewritePattern<onnx::ReluOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(onnx::ReluOp op,
                                PatternRewriter &rewriter) const override {
    Operation *producer = op.getX().getDefiningOp();
    if (!producer || !op.getX().hasOneUse() ||
        !isa<Conv2DOp, LinearOp, ChannelAffineOp>(producer) ||
        producer->getAttrOfType<StringAttr>("activation") !=
            rewriter.getStringAttr("none"))
      return rewriter.notifyMatchFailure(
          op, "not after a conv2d, linear or channel_affine");
    rewriter.modifyOpInPlace(producer, [&] {
      producer->setAttr("activation", activation(rewriter, true));
    });
    rewriter.replaceOp(op, producer->getResult(0));
    return success();
  }
};

/// x * sigmoid(x), the SiLU as exporters write it: one onnx.Swish, which a
/// kernel runs in one pass with the Sigmoid kernel's sigmoid (the same
/// bits). A sigmoid that something else reads too stays as it is.
struct FormSwish : public OpRewritePattern<onnx::MulOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(onnx::MulOp op,
                                PatternRewriter &rewriter) const override {
    for (auto [x, gate] :
         {std::pair(op.getA(), op.getB()), std::pair(op.getB(), op.getA())}) {
      auto sigmoid = gate.getDefiningOp<onnx::SigmoidOp>();
      if (!sigmoid || sigmoid.getX() != x || !gate.hasOneUse())
        continue;
      rewriter.replaceOpWithNewOp<onnx::SwishOp>(op, op.getC().getType(), x,
                                                 rewriter.getF32FloatAttr(1));
      rewriter.eraseOp(sigmoid);
      return success();
    }
    return rewriter.notifyMatchFailure(op, "not x * sigmoid(x)");
  }
};

/// x * tanh(softplus(x)), Mish as the TorchScript exporter writes it: one
/// onnx.Mish, which a kernel runs in one pass (its tanh(softplus(x)) from
/// e^-|x|, within a few ulp of the three ops). A softplus or tanh that
/// something else reads too stays as it is.
struct FormMish : public OpRewritePattern<onnx::MulOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(onnx::MulOp op,
                                PatternRewriter &rewriter) const override {
    for (auto [x, gate] :
         {std::pair(op.getA(), op.getB()), std::pair(op.getB(), op.getA())}) {
      auto tanh = gate.getDefiningOp<onnx::TanhOp>();
      if (!tanh || !gate.hasOneUse())
        continue;
      auto softplus = tanh.getInput().getDefiningOp<onnx::SoftplusOp>();
      if (!softplus || softplus.getX() != x || !tanh.getInput().hasOneUse())
        continue;
      rewriter.replaceOpWithNewOp<onnx::MishOp>(op, op.getC().getType(), x);
      rewriter.eraseOp(tanh);
      rewriter.eraseOp(softplus);
      return success();
    }
    return rewriter.notifyMatchFailure(op, "not x * tanh(softplus(x))");
  }
};

/// x > t ? x : softplus(x), PyTorch's softplus (threshold t = 20) as the
/// dynamo exporter writes it: the Softplus alone, where t >= 15. There
/// softplus(x) = x + ln(1 + e^-x) rounds to x in f32 (e^-15 = 3.1e-7 is
/// below half an ulp of 15), as the kernel computes it, so the Greater and
/// the Where select what the Softplus gives (NaN and infinities too).
struct DropSoftplusThreshold : public OpRewritePattern<onnx::WhereOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(onnx::WhereOp op,
                                PatternRewriter &rewriter) const override {
    auto softplus = op.getY().getDefiningOp<onnx::SoftplusOp>();
    auto above = op.getCondition().getDefiningOp<onnx::GreaterOp>();
    if (!softplus || !above || softplus.getX() != op.getX() ||
        above.getA() != op.getX() ||
        softplus.getType() != op.getOutput().getType() ||
        !getElementTypeOrSelf(op.getX().getType()).isF32())
      return rewriter.notifyMatchFailure(op, "not x > t ? x : softplus(x)");
    std::optional<SmallVector<float>> threshold =
        readConstantFloats(above.getB());
    if (!threshold || threshold->size() != 1 || !(threshold->front() >= 15))
      return rewriter.notifyMatchFailure(op, "threshold not a constant >= 15");
    rewriter.replaceOp(op, softplus.getY());
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

struct MaxPoolPattern : public OpRewritePattern<onnx::MaxPoolOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(onnx::MaxPoolOp op,
                                PatternRewriter &rewriter) const override {
    ArrayRef<int64_t> kernel = op.getKernelShape();
    if (!cast<ShapedType>(op.getX().getType()).getElementType().isF32())
      return rewriter.notifyMatchFailure(op, "not an f32 max pooling");
    if (shapeOf(op.getX()).size() != 4 || kernel.size() != 2 ||
        !op.getIndices().use_empty() || op.getStorageOrder() != 0 ||
        (op.getAutoPad() != "NOTSET" && op.getAutoPad() != "VALID") ||
        (op.getDilations() &&
         llvm::any_of(*op.getDilations(), [](int64_t d) { return d != 1; })))
      return rewriter.notifyMatchFailure(op, "not a plain 2-D max pooling");
    SmallVector<int64_t> pads = {0, 0, 0, 0}, strides = {1, 1};
    if (op.getAutoPad() == "NOTSET" && op.getPads())
      pads.assign(op.getPads()->begin(), op.getPads()->end());
    if (op.getStrides())
      strides.assign(op.getStrides()->begin(), op.getStrides()->end());
    if (pads.size() != 4 || strides.size() != 2)
      return rewriter.notifyMatchFailure(op, "not 2-D pads/strides");
    auto pool = rewriter.create<MaxPool2DOp>(
        op.getLoc(), op.getX(), rewriter.getDenseI64ArrayAttr(kernel),
        rewriter.getDenseI64ArrayAttr(strides),
        rewriter.getDenseI64ArrayAttr(pads),
        rewriter.getBoolAttr(op.getCeilMode() != 0));
    if (pool.getOutput().getType() != op.getY().getType()) {
      rewriter.eraseOp(pool);
      return rewriter.notifyMatchFailure(op, "pooled sizes differ");
    }
    rewriter.replaceAllUsesWith(op.getY(), pool.getOutput());
    rewriter.eraseOp(op);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Linear layers
//===----------------------------------------------------------------------===//

struct GemmPattern : public OpRewritePattern<onnx::GemmOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(onnx::GemmOp op,
                                PatternRewriter &rewriter) const override {
    if (!isa<FloatType>(getElementTypeOrSelf(op.getY().getType())))
      return rewriter.notifyMatchFailure(op, "not a product of floats");
    bool noBias = isa<NoneType>(op.getC().getType());
    // A bias of [1] broadcasts over the columns; intr.linear takes [N].
    ArrayRef<int64_t> y = shapeOf(op.getY());
    if (op.getTransA() != 0 || op.getAlpha().convertToDouble() != 1.0 ||
        (!noBias && op.getBeta().convertToDouble() != 1.0) ||
        (!noBias &&
         (y.size() != 2 || shapeOf(op.getC()) != ArrayRef<int64_t>{y[1]})))
      return rewriter.notifyMatchFailure(op, "not x · W(ᵀ) + b with b of [N]");
    rewriter.replaceOpWithNewOp<LinearOp>(
        op, op.getA(), op.getB(), noBias ? Value() : op.getC(),
        rewriter.getBoolAttr(op.getTransB() != 0), activation(rewriter, false));
    return success();
  }
};

/// MatMul(x, W) + b with a 2-D W and a 1-D b, or MatMul(x, W) alone when W
/// is a constant (a weight, not an activation).
/// The bias added to `op`'s result, if its only reader adds a 1-D vector.
onnx::AddOp biasAdd(onnx::MatMulOp op, Value &bias) {
  auto add = op.getY().hasOneUse()
                 ? dyn_cast<onnx::AddOp>(*op.getY().getUsers().begin())
                 : nullptr;
  if (!add)
    return nullptr;
  Value other = add.getA() == op.getY() ? add.getB() : add.getA();
  if (shapeOf(other) != ArrayRef<int64_t>{shapeOf(op.getB())[1]} ||
      shapeOf(add.getC()) != shapeOf(op.getY()))
    return nullptr;
  bias = other;
  return add;
}

/// Why MatMulAddPattern rejects `op`, or "" when it matches.
std::string matmulMismatch(onnx::MatMulOp op) {
  if (!isa<FloatType>(getElementTypeOrSelf(op.getY().getType())))
    return "not a product of floats (intr.linear's)";
  if (shapeOf(op.getB()).size() != 2 || shapeOf(op.getA()).size() < 2)
    return "not x · W with a 2-D W (a product of two activations)";
  Value bias;
  if (!biasAdd(op, bias) && !matchPattern(op.getB(), m_Constant()))
    return "the right operand is neither a constant weight nor followed by "
           "the Add of a 1-D bias";
  return "";
}

struct MatMulAddPattern : public OpRewritePattern<onnx::MatMulOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(onnx::MatMulOp op,
                                PatternRewriter &rewriter) const override {
    if (std::string why = matmulMismatch(op); !why.empty())
      return rewriter.notifyMatchFailure(op, why);
    Value bias;
    onnx::AddOp add = biasAdd(op, bias);
    if (bias) // where the bias is defined too
      rewriter.setInsertionPoint(add);
    auto linear = rewriter.create<LinearOp>(op.getLoc(), op.getA(), op.getB(),
                                            bias, rewriter.getBoolAttr(false),
                                            activation(rewriter, false));
    if (bias) {
      rewriter.replaceOp(add, linear.getOutput());
      rewriter.eraseOp(op);
    } else {
      rewriter.replaceOp(op, linear.getOutput());
    }
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Layer normalization
//===----------------------------------------------------------------------===//

/// Whether `value` is a constant holding `expected` everywhere.
bool isSplatOf(Value value, double expected) {
  std::optional<SmallVector<float>> values = readConstantFloats(value);
  return values &&
         llvm::all_of(*values, [&](float v) { return v == expected; });
}

Value splat(PatternRewriter &rewriter, Location loc, int64_t size,
            float value) {
  return createFloatConstant(rewriter, loc, {size},
                             SmallVector<float>(size, value));
}

/// An optional Mul by a 1-D scale then Add of a 1-D bias after `value`;
/// returns the last value of the chain.
Value affineTail(Value value, int64_t size, Value &scale, Value &bias) {
  auto isVector = [&](Value v) {
    return shapeOf(v) == ArrayRef<int64_t>{size};
  };
  if (value.hasOneUse())
    if (auto mul = dyn_cast<onnx::MulOp>(*value.getUsers().begin())) {
      Value other = mul.getA() == value ? mul.getB() : mul.getA();
      if (isVector(other)) {
        scale = other;
        value = mul.getC();
      }
    }
  if (value.hasOneUse())
    if (auto add = dyn_cast<onnx::AddOp>(*value.getUsers().begin())) {
      Value other = add.getA() == value ? add.getB() : add.getA();
      if (isVector(other)) {
        bias = other;
        value = add.getC();
      }
    }
  return value;
}

struct LayerNormalizationPattern
    : public OpRewritePattern<onnx::LayerNormalizationOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(onnx::LayerNormalizationOp op,
                                PatternRewriter &rewriter) const override {
    ArrayRef<int64_t> shape = shapeOf(op.getX());
    int64_t rank = shape.size();
    if (rank == 0 || (op.getAxis() != -1 && op.getAxis() != rank - 1) ||
        !op.getMean().use_empty() || !op.getInvStdDev().use_empty())
      return rewriter.notifyMatchFailure(op, "not over the last axis only");
    if (ShapedType::isDynamic(shape.back()))
      return rewriter.notifyMatchFailure(op, "normalized size unknown");
    // intr.layer_norm takes [D] parameters: a missing one, or one of a
    // single constant value (a group norm's unit scale), is spread to D.
    int64_t size = shape.back();
    auto isNone = [](Value parameter) {
      return isa<NoneType>(parameter.getType());
    };
    auto isAlongD = [&](Value parameter) {
      return shapeOf(parameter) == ArrayRef<int64_t>{size};
    };
    auto fits = [&](Value parameter) {
      return isNone(parameter) || isAlongD(parameter) ||
             readConstantFloat(parameter);
    };
    if (!fits(op.getScale()) || !fits(op.getB()))
      return rewriter.notifyMatchFailure(op, "scale or bias not [D] nor one "
                                             "constant value");
    // The match settled, the spread constants are made.
    auto alongD = [&](Value parameter, float absent) -> Value {
      if (isNone(parameter))
        return splat(rewriter, op.getLoc(), size, absent);
      if (isAlongD(parameter))
        return parameter;
      return splat(rewriter, op.getLoc(), size, *readConstantFloat(parameter));
    };
    Value scale = alongD(op.getScale(), 1.0f), bias = alongD(op.getB(), 0.0f);
    auto norm = rewriter.create<LayerNormOp>(
        op.getLoc(), op.getX(), scale, bias, Value(),
        rewriter.getF64FloatAttr(op.getEpsilon().convertToDouble()));
    rewriter.replaceAllUsesWith(op.getY(), norm.getOutput());
    rewriter.eraseOp(op);
    return success();
  }
};

/// The mean over the last axis, keeping it: ReduceMean(x, axes = [-1]).
Value lastAxisMean(Value value) {
  auto mean = value.getDefiningOp<onnx::ReduceMeanOp>();
  if (!mean || mean.getKeepdims() != 1)
    return nullptr;
  int64_t rank = shapeOf(mean.getData()).size();
  std::optional<SmallVector<int64_t>> axes;
  if (mean.getAxes())
    axes = llvm::to_vector(*mean.getAxes());
  else
    axes = onnx::getConstantInts(mean.getAxesInput());
  if (!axes || axes->size() != 1 ||
      ((*axes)[0] != -1 && (*axes)[0] != rank - 1))
    return nullptr;
  return mean.getData();
}

/// (x - mean(x)) / sqrt(mean((x - mean(x))^2) + eps) [* scale] [+ bias].
struct DecomposedLayerNormPattern : public OpRewritePattern<onnx::DivOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(onnx::DivOp op,
                                PatternRewriter &rewriter) const override {
    auto centered = op.getA().getDefiningOp<onnx::SubOp>();
    auto sqrt = op.getB().getDefiningOp<onnx::SqrtOp>();
    if (!centered || !sqrt || lastAxisMean(centered.getB()) != centered.getA())
      return rewriter.notifyMatchFailure(op, "not (x - mean(x)) / sqrt(..)");
    Value x = centered.getA();
    auto add = sqrt.getX().getDefiningOp<onnx::AddOp>();
    std::optional<SmallVector<float>> epsilon;
    Value variance;
    if (add)
      for (auto [v, e] : {std::pair(add.getA(), add.getB()),
                          std::pair(add.getB(), add.getA())})
        if (auto eps = readConstantFloats(e); eps && eps->size() == 1) {
          epsilon = eps;
          variance = v;
        }
    auto square = variance ? lastAxisMean(variance) : Value();
    auto pow = square ? square.getDefiningOp<onnx::PowOp>() : nullptr;
    if (!epsilon || !pow || pow.getX() != centered.getC() ||
        !isSplatOf(pow.getY(), 2.0))
      return rewriter.notifyMatchFailure(op, "the variance is not "
                                             "mean((x - mean(x))^2) + eps");
    int64_t size = shapeOf(x).back();
    Value scale, bias;
    Value last = affineTail(op.getC(), size, scale, bias);
    Location loc = op.getLoc();
    // At the end of the chain, where the scale and bias exist too.
    rewriter.setInsertionPoint(last.getDefiningOp());
    if (!scale)
      scale = splat(rewriter, loc, size, 1.0f);
    if (!bias)
      bias = splat(rewriter, loc, size, 0.0f);
    auto norm = rewriter.create<LayerNormOp>(
        loc, x, scale, bias, Value(),
        rewriter.getF64FloatAttr(static_cast<double>((*epsilon)[0])));
    rewriter.replaceAllUsesWith(last, norm.getOutput());
    return success();
  }
};

} // namespace

std::string intr::explainLinearMismatch(onnx::MatMulOp matmul) {
  return matmulMismatch(matmul);
}

void intr::populateONNXToINTRLayerPatterns(RewritePatternSet &patterns) {
  patterns
      .add<ConvPattern, FoldPerChannelIntoConv<onnx::MulOp>,
           FoldPerChannelIntoConv<onnx::AddOp>, FoldBatchNormIntoConv,
           BatchNormToChannelAffine, MulAddToChannelAffine,
           FuseResidualIntoConv, FuseRelu, FormSwish, FormMish,
           DropSoftplusThreshold, MaxPoolPattern, GemmPattern, MatMulAddPattern,
           LayerNormalizationPattern, DecomposedLayerNormPattern>(
          patterns.getContext());
}
