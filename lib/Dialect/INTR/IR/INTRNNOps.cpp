//===- INTRNNOps.cpp - Convolution, pooling, linear, norm -----------------===//
//
// Shape checking and result type inference of the neural network operations.
// As for the attention operations, inference is lenient: a size it cannot
// know from consistent operands and valid attributes is dynamic, and verify()
// reports the inconsistency with the operand and the sizes at fault.
//
// Window arithmetic uses checked int64 operations, since attribute values are
// arbitrary and an overflow must become a diagnostic, not a wrong size.
//
//===----------------------------------------------------------------------===//

#include "intr/Dialect/INTR/IR/INTROps.h"
#include "SizeAgreement.h"
#include "intr/Support/FormatShape.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/Sequence.h"
#include "llvm/Support/CheckedArithmetic.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>

using namespace mlir;
using namespace intr;

using namespace intr::detail;

/// The shape of `value` if it is a ranked tensor of rank `rank`, else
/// nothing: inference then leaves the sizes it would have read dynamic.
static ArrayRef<int64_t> shapeIfRank(Value value, int64_t rank) {
  auto type =
      dyn_cast_if_present<RankedTensorType>(value ? value.getType() : Type());
  if (!type || type.getRank() != rank)
    return {};
  return type.getShape();
}

/// A channels-last image [N, H, W, C] (or weight [O, kh, kw, C/groups]) as
/// its channels-first [N, C, H, W] ([O, C/groups, kh, kw]), so that the
/// checks and the inference read one layout; other shapes as they are.
static SmallVector<int64_t, 4> channelsFirst(ArrayRef<int64_t> shape,
                                             bool channelsLast) {
  if (!channelsLast || shape.size() != 4)
    return SmallVector<int64_t, 4>(shape);
  return {shape[0], shape[3], shape[1], shape[2]};
}

/// The inverse of channelsFirst, for inferred results.
static SmallVector<int64_t, 4> channelsLastIf(ArrayRef<int64_t> shape,
                                              bool channelsLast) {
  if (!channelsLast || shape.size() != 4)
    return SmallVector<int64_t, 4>(shape);
  return {shape[0], shape[2], shape[3], shape[1]};
}

/// channels_last as inference reads it: builders that leave the attribute
/// out give a null one, which means false.
static bool isChannelsLast(BoolAttr attr) { return attr && attr.getValue(); }

/// The activation names conv2d and linear accept.
static bool isActivation(StringRef name) {
  return name == "none" || name == "relu";
}

//===----------------------------------------------------------------------===//
// Sliding windows
//===----------------------------------------------------------------------===//

namespace {
/// One spatial axis of a convolution or a pooling window.
struct WindowAxis {
  StringRef name; // "H" or "W": the input size it slides over.
  int64_t size;
  int64_t kernel;
  int64_t stride;
  int64_t dilation;
  int64_t padBefore;
  int64_t padAfter;
};
} // namespace

/// Whether every size of `axis` is known and every attribute valid, so that
/// the window arithmetic below is defined.
static bool isComputable(const WindowAxis &axis) {
  return isKnown(axis.size) && isKnown(axis.kernel) && axis.kernel > 0 &&
         axis.stride > 0 && axis.dilation > 0 && axis.padBefore >= 0 &&
         axis.padAfter >= 0;
}

/// size + padBefore + padAfter - dilation * (kernel - 1) - 1: the last
/// position a window may start at, counted from the first one. Windows exist
/// iff it is non-negative. Nothing when the padded size overflows.
static std::optional<int64_t> windowReach(const WindowAxis &axis) {
  std::optional<int64_t> padded = llvm::checkedAdd(axis.size, axis.padBefore);
  if (padded)
    padded = llvm::checkedAdd(*padded, axis.padAfter);
  if (!padded)
    return std::nullopt;
  std::optional<int64_t> extent =
      llvm::checkedMul(axis.dilation, axis.kernel - 1);
  // A dilated kernel beyond int64 is larger than any padded size.
  if (!extent)
    return -1;
  // Both are non-negative, so the difference cannot overflow.
  return *padded - *extent - 1;
}

/// The number of windows along `axis`: floor(reach / stride) + 1, or with
/// `ceilMode` ceil(reach / stride) + 1 less a last window that would start
/// in the trailing padding (PyTorch's rule). Nothing when no window fits or
/// the padded size overflows.
static std::optional<int64_t> windowCount(const WindowAxis &axis,
                                          bool ceilMode) {
  std::optional<int64_t> reach = windowReach(axis);
  if (!reach || *reach < 0)
    return std::nullopt;
  // Neither step can overflow: reach < INT64_MAX, and ceil adds one only
  // when stride >= 2.
  int64_t steps = *reach / axis.stride;
  if (ceilMode && *reach % axis.stride != 0)
    ++steps;
  if (ceilMode) {
    // A start beyond int64 is beyond size + padBefore too.
    std::optional<int64_t> lastStart = llvm::checkedMul(steps, axis.stride);
    if (!lastStart || *lastStart >= axis.size + axis.padBefore)
      --steps;
  }
  if (steps < 0)
    return std::nullopt;
  return steps + 1;
}

/// The output size along `axis` for inference: dynamic unless it is known
/// and valid.
static int64_t inferWindowCount(const WindowAxis &axis, bool ceilMode) {
  if (!isComputable(axis))
    return kDynamic;
  return windowCount(axis, ceilMode).value_or(kDynamic);
}

/// The two axes of an NCHW window from the attributes, or nothing when the
/// attributes have the wrong number of values.
static std::optional<std::pair<WindowAxis, WindowAxis>>
windowAxes(ArrayRef<int64_t> input, int64_t kh, int64_t kw,
           ArrayRef<int64_t> strides, ArrayRef<int64_t> dilations,
           ArrayRef<int64_t> padding) {
  if (strides.size() != 2 || dilations.size() != 2 || padding.size() != 4)
    return std::nullopt;
  return std::make_pair(WindowAxis{"H", sizeAt(input, 2), kh, strides[0],
                                   dilations[0], padding[0], padding[2]},
                        WindowAxis{"W", sizeAt(input, 3), kw, strides[1],
                                   dilations[1], padding[1], padding[3]});
}

//===----------------------------------------------------------------------===//
// Checker
//===----------------------------------------------------------------------===//

namespace {
/// The checks the operations share; each reports at the operation and
/// returns failure.
class Checker {
public:
  explicit Checker(Operation *op) : op(op) {}

  LogicalResult error(const Twine &message) const {
    return op->emitOpError(message);
  }

  /// Returns the shape of `value`, requiring rank `rank` (with `atLeast`, a
  /// rank of at least `rank`). ODS has already checked that it is ranked.
  FailureOr<ArrayRef<int64_t>> ranked(Value value, StringRef name, int64_t rank,
                                      StringRef layout,
                                      bool atLeast = false) const {
    auto type = cast<RankedTensorType>(value.getType());
    if (atLeast ? type.getRank() < rank : type.getRank() != rank)
      return error(Twine(name) + " must be " + layout + ", got rank " +
                   Twine(type.getRank()) + " " + formatShape(type.getShape()));
    return type.getShape();
  }

  /// Returns the shape of the image `input`, requiring rank 4: [N, C, H, W],
  /// or [N, H, W, C] when channels-last.
  FailureOr<ArrayRef<int64_t>> image(Value input, bool channelsLast) const {
    return ranked(input, "input", 4,
                  channelsLast ? "[N, H, W, C]" : "[N, C, H, W]");
  }

  /// The first operand is f32, f16 or bf16, and every other present operand
  /// has its element type.
  LogicalResult
  elementTypes(ArrayRef<std::pair<Value, StringRef>> operands) const {
    auto [first, firstName] = operands.front();
    Type expected = getElementTypeOrSelf(first.getType());
    std::string text;
    llvm::raw_string_ostream os(text);
    if (!expected.isF32() && !expected.isF16() && !expected.isBF16()) {
      os << "element type of " << firstName << " (" << expected
         << ") must be f32, f16 or bf16";
      return error(os.str());
    }
    for (auto [value, name] : operands.drop_front()) {
      if (!value)
        continue;
      Type actual = getElementTypeOrSelf(value.getType());
      if (actual != expected) {
        os << "element type of " << name << " (" << actual << ") differs from "
           << firstName << " (" << expected << ")";
        return error(os.str());
      }
    }
    return success();
  }

  /// `value` has exactly the shape `expected` (dynamic sizes match anything).
  LogicalResult hasShape(Value value, StringRef name, StringRef layout,
                         ArrayRef<int64_t> expected) const {
    ArrayRef<int64_t> shape =
        cast<RankedTensorType>(value.getType()).getShape();
    if (shapesAgree(shape, expected))
      return success();
    return error(Twine(name) + " must be " + layout + " = " +
                 formatShape(expected) + ", got " + formatShape(shape));
  }

  /// An attribute of `count` values, each at least `minimum`.
  LogicalResult values(ArrayRef<int64_t> values, StringRef name,
                       StringRef layout, size_t count, int64_t minimum) const {
    if (values.size() != count)
      return error(Twine(name) + " must have " + Twine(count) + " values " +
                   layout + ", got " + Twine(values.size()));
    if (llvm::any_of(values, [&](int64_t v) { return v < minimum; }))
      return error(Twine(name) + " must be " +
                   (minimum > 0 ? "positive" : "non-negative") + ", got " +
                   formatShape(values));
    return success();
  }

  LogicalResult padding(ArrayRef<int64_t> padding) const {
    return values(padding, "padding", "[top, left, bottom, right]", 4, 0);
  }

  LogicalResult activation(StringRef name) const {
    if (isActivation(name))
      return success();
    return error("activation must be \"none\" or \"relu\", got \"" + name +
                 "\"");
  }

  /// Windows fit along `axis` and their number is representable.
  LogicalResult window(const WindowAxis &axis, bool withDilation,
                       bool ceilMode) const {
    if (!isComputable(axis))
      return success();
    std::string text;
    llvm::raw_string_ostream os(text);
    os << axis.name << " = " << axis.size << " with kernel " << axis.kernel;
    if (withDilation)
      os << ", dilation " << axis.dilation;
    os << ", padding " << axis.padBefore << "+" << axis.padAfter;
    if (!windowReach(axis))
      return error("output size overflows: " + text);
    if (!windowCount(axis, ceilMode))
      return error("output size is not positive: " + text);
    return success();
  }

private:
  Operation *op;
};

} // namespace

//===----------------------------------------------------------------------===//
// Conv2DOp
//===----------------------------------------------------------------------===//

LogicalResult
Conv2DOp::inferReturnTypes(MLIRContext *context,
                           std::optional<Location> location, Adaptor adaptor,
                           SmallVectorImpl<Type> &inferredReturnTypes) {
  bool last = isChannelsLast(adaptor.getChannelsLastAttr());
  SmallVector<int64_t, 4> input =
      channelsFirst(shapeIfRank(adaptor.getInput(), 4), last);
  SmallVector<int64_t, 4> weight =
      channelsFirst(shapeIfRank(adaptor.getWeight(), 4), last);
  ArrayRef<int64_t> bias = shapeIfRank(adaptor.getBias(), 1);
  int64_t height = kDynamic, width = kDynamic;
  if (auto axes = windowAxes(input, sizeAt(weight, 2), sizeAt(weight, 3),
                             adaptor.getStrides(), adaptor.getDilations(),
                             adaptor.getPadding())) {
    height = inferWindowCount(axes->first, /*ceilMode=*/false);
    width = inferWindowCount(axes->second, /*ceilMode=*/false);
  }
  inferredReturnTypes.push_back(RankedTensorType::get(
      channelsLastIf({sizeAt(input, 0),
                      agreedSize(sizeAt(weight, 0), sizeAt(bias, 0)), height,
                      width},
                     last),
      getElementTypeOrSelf(adaptor.getInput().getType())));
  return success();
}

LogicalResult Conv2DOp::verify() {
  Checker check(getOperation());

  bool last = getChannelsLast();
  FailureOr<ArrayRef<int64_t>> inputShape = check.image(getInput(), last);
  if (failed(inputShape))
    return failure();
  FailureOr<ArrayRef<int64_t>> weightShape =
      check.ranked(getWeight(), "weight", 4,
                   last ? "[O, kh, kw, C/groups]" : "[O, C/groups, kh, kw]");
  if (failed(weightShape))
    return failure();
  // The checks below read the channels-first view.
  SmallVector<int64_t, 4> inputView = channelsFirst(*inputShape, last);
  SmallVector<int64_t, 4> weightView = channelsFirst(*weightShape, last);
  ArrayRef<int64_t> input = inputView, weight = weightView;
  if (failed(check.elementTypes({{getInput(), "input"},
                                 {getWeight(), "weight"},
                                 {getBias(), "bias"},
                                 {getResidual(), "residual"}})) ||
      failed(check.activation(getActivation())) ||
      failed(check.values(getStrides(), "strides", "[h, w]", 2, 1)) ||
      failed(check.values(getDilations(), "dilations", "[h, w]", 2, 1)) ||
      failed(check.padding(getPadding())))
    return failure();

  auto groups = static_cast<int64_t>(getGroups());
  if (groups <= 0)
    return check.error("groups must be positive, got " + Twine(groups));
  int64_t channels = input[1];
  int64_t outChannels = weight[0];
  if (isKnown(channels) && channels % groups != 0)
    return check.error("groups = " + Twine(groups) +
                       " does not divide C = " + Twine(channels));
  if (isKnown(outChannels) && outChannels % groups != 0)
    return check.error("groups = " + Twine(groups) +
                       " does not divide O = " + Twine(outChannels));
  if (isKnown(channels) && !sizesAgree(weight[1], channels / groups))
    return check.error(
        Twine("weight must be ") +
        (last ? "[O, kh, kw, C/groups]" : "[O, C/groups, kh, kw]") +
        " with C/groups = " + Twine(channels / groups) + ", got " +
        formatShape(*weightShape));
  if (failed(check.hasShape(getBias(), "bias", "[O]", {outChannels})))
    return failure();

  int64_t kh = weight[2], kw = weight[3];
  if ((isKnown(kh) && kh == 0) || (isKnown(kw) && kw == 0))
    return check.error("kernel size must be positive, got weight " +
                       formatShape(*weightShape));

  auto axes =
      windowAxes(input, kh, kw, getStrides(), getDilations(), getPadding());
  if (failed(check.window(axes->first, /*withDilation=*/true,
                          /*ceilMode=*/false)) ||
      failed(check.window(axes->second, /*withDilation=*/true,
                          /*ceilMode=*/false)))
    return failure();
  if (getResidual()) {
    ArrayRef<int64_t> residual = getResidual().getType().getShape();
    ArrayRef<int64_t> output = getOutput().getType().getShape();
    if (!shapesAgree(residual, output))
      return check.error("residual must have the result's shape " +
                         formatShape(output) + ", got " +
                         formatShape(residual));
  }
  return success();
}

//===----------------------------------------------------------------------===//
// ChannelAffineOp
//===----------------------------------------------------------------------===//

LogicalResult ChannelAffineOp::inferReturnTypes(
    MLIRContext *context, std::optional<Location> location, Adaptor adaptor,
    SmallVectorImpl<Type> &inferredReturnTypes) {
  inferredReturnTypes.push_back(adaptor.getInput().getType());
  return success();
}

LogicalResult ChannelAffineOp::verify() {
  Checker check(getOperation());
  bool last = getChannelsLast();
  FailureOr<ArrayRef<int64_t>> inputShape = check.image(getInput(), last);
  if (failed(inputShape) ||
      failed(check.elementTypes({{getInput(), "input"}})) ||
      failed(check.activation(getActivation())))
    return failure();
  int64_t channels = (*inputShape)[last ? 3 : 1];
  if (failed(check.hasShape(getScale(), "scale", "[C]", {channels})) ||
      failed(check.hasShape(getShift(), "shift", "[C]", {channels})))
    return failure();
  return success();
}

//===----------------------------------------------------------------------===//
// FakeQuantizeOp
//===----------------------------------------------------------------------===//

LogicalResult FakeQuantizeOp::verify() {
  int64_t low = getLow(), high = getHigh();
  if (low > high || low < -kLargestBound || high > kLargestBound)
    return emitOpError("low and high must be integers with low <= high of "
                       "magnitude at most 2^24, got ")
           << low << " and " << high;
  return success();
}

//===----------------------------------------------------------------------===//
// MaxPool2DOp
//===----------------------------------------------------------------------===//

LogicalResult
MaxPool2DOp::inferReturnTypes(MLIRContext *context,
                              std::optional<Location> location, Adaptor adaptor,
                              SmallVectorImpl<Type> &inferredReturnTypes) {
  bool last = isChannelsLast(adaptor.getChannelsLastAttr());
  SmallVector<int64_t, 4> input =
      channelsFirst(shapeIfRank(adaptor.getInput(), 4), last);
  ArrayRef<int64_t> kernel = adaptor.getKernel();
  int64_t height = kDynamic, width = kDynamic;
  if (kernel.size() == 2) {
    if (auto axes =
            windowAxes(input, kernel[0], kernel[1], adaptor.getStrides(),
                       /*dilations=*/{1, 1}, adaptor.getPadding())) {
      height = inferWindowCount(axes->first, adaptor.getCeilMode());
      width = inferWindowCount(axes->second, adaptor.getCeilMode());
    }
  }
  inferredReturnTypes.push_back(RankedTensorType::get(
      channelsLastIf({sizeAt(input, 0), sizeAt(input, 1), height, width},
                     last),
      getElementTypeOrSelf(adaptor.getInput().getType())));
  return success();
}

LogicalResult MaxPool2DOp::verify() {
  Checker check(getOperation());

  bool last = getChannelsLast();
  FailureOr<ArrayRef<int64_t>> inputShape = check.image(getInput(), last);
  if (failed(inputShape))
    return failure();
  // The checks below read the channels-first view.
  SmallVector<int64_t, 4> inputView = channelsFirst(*inputShape, last);
  ArrayRef<int64_t> input = inputView;
  ArrayRef<int64_t> kernel = getKernel();
  ArrayRef<int64_t> padding = getPadding();
  if (failed(check.elementTypes({{getInput(), "input"}})) ||
      failed(check.values(kernel, "kernel", "[kh, kw]", 2, 1)) ||
      failed(check.values(getStrides(), "strides", "[h, w]", 2, 1)) ||
      failed(check.padding(padding)))
    return failure();

  // A window entirely in the padding would have no maximum.
  if (padding[0] >= kernel[0] || padding[2] >= kernel[0] ||
      padding[1] >= kernel[1] || padding[3] >= kernel[1])
    return check.error("padding " + formatShape(padding) +
                       " must be smaller than kernel " + formatShape(kernel) +
                       " along each axis");
  int64_t height = input[2], width = input[3];
  if ((isKnown(height) && height == 0) || (isKnown(width) && width == 0))
    return check.error("input must have positive H and W, got " +
                       formatShape(*inputShape));

  auto axes = windowAxes(input, kernel[0], kernel[1], getStrides(),
                         /*dilations=*/{1, 1}, padding);
  if (failed(
          check.window(axes->first, /*withDilation=*/false, getCeilMode())) ||
      failed(check.window(axes->second, /*withDilation=*/false, getCeilMode())))
    return failure();
  return success();
}

//===----------------------------------------------------------------------===//
// LinearOp
//===----------------------------------------------------------------------===//

LogicalResult
LinearOp::inferReturnTypes(MLIRContext *context,
                           std::optional<Location> location, Adaptor adaptor,
                           SmallVectorImpl<Type> &inferredReturnTypes) {
  Type elementType = getElementTypeOrSelf(adaptor.getInput().getType());
  auto inputType = dyn_cast<RankedTensorType>(adaptor.getInput().getType());
  if (!inputType || inputType.getRank() == 0) {
    inferredReturnTypes.push_back(UnrankedTensorType::get(elementType));
    return success();
  }
  ArrayRef<int64_t> weight = shapeIfRank(adaptor.getWeight(), 2);
  int64_t features = sizeAt(weight, adaptor.getTransposeWeight() ? 0 : 1);
  // The bias's last size is N, whether it is [N] or positional.
  if (auto bias = dyn_cast_if_present<RankedTensorType>(
          adaptor.getBias() ? adaptor.getBias().getType() : Type());
      bias && bias.getRank() >= 1)
    features = agreedSize(features, bias.getShape().back());
  SmallVector<int64_t> shape(inputType.getShape());
  shape.back() = features;
  inferredReturnTypes.push_back(RankedTensorType::get(shape, elementType));
  return success();
}

LogicalResult LinearOp::verify() {
  Checker check(getOperation());

  FailureOr<ArrayRef<int64_t>> input =
      check.ranked(getInput(), "input", 1, "[..., K]", /*atLeast=*/true);
  if (failed(input))
    return failure();
  bool transposed = getTransposeWeight();
  StringRef layout = transposed ? "[N, K]" : "[K, N]";
  FailureOr<ArrayRef<int64_t>> weight =
      check.ranked(getWeight(), "weight", 2, layout);
  if (failed(weight))
    return failure();
  if (failed(check.elementTypes({{getInput(), "input"},
                                 {getWeight(), "weight"},
                                 {getBias(), "bias"}})) ||
      failed(check.activation(getActivation())))
    return failure();

  int64_t inFeatures = input->back();
  int64_t weightIn = (*weight)[transposed ? 1 : 0];
  int64_t outFeatures = (*weight)[transposed ? 0 : 1];
  if (!sizesAgree(weightIn, inFeatures))
    return check.error("weight must be " + layout + " with K = " +
                       Twine(inFeatures) + ", got " + formatShape(*weight));
  if (!getBias())
    return success();
  auto bias = cast<RankedTensorType>(getBias().getType());
  if (bias.getRank() <= 1)
    return check.hasShape(getBias(), "bias", "[N]", {outFeatures});
  // A positional bias: the result's shape with 1 at every leading axis but
  // at most one.
  SmallVector<int64_t> result(*input);
  result.back() = outFeatures;
  ArrayRef<int64_t> shape = bias.getShape();
  auto varying = [&](size_t axis) { return shape[axis] != 1; };
  bool positional =
      shape.size() == result.size() && sizesAgree(shape.back(), outFeatures) &&
      llvm::count_if(llvm::seq<size_t>(0, shape.size() - 1), varying) <= 1;
  for (size_t axis = 0; positional && axis + 1 < shape.size(); ++axis)
    positional = !varying(axis) || sizesAgree(shape[axis], result[axis]);
  if (!positional)
    return check.error("bias must be [N] or vary along one axis of the "
                       "result " +
                       formatShape(result) + " (1 at the others), got " +
                       formatShape(shape));
  return success();
}

//===----------------------------------------------------------------------===//
// LayerNormOp
//===----------------------------------------------------------------------===//

namespace {
/// A layer norm whose shifted result nobody reads drops its addend, and
/// with it one write of the whole tensor.
struct DropUnreadShift : public OpRewritePattern<LayerNormOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(LayerNormOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.getAddend() || !op.getShifted().use_empty())
      return rewriter.notifyMatchFailure(op, "no unread shifted result");
    auto plain = rewriter.create<LayerNormOp>(
        op.getLoc(), op.getInput(), op.getScale(), op.getBias(),
        op.getResidual(), op.getEpsilonAttr());
    rewriter.replaceOp(op, {plain.getOutput(), plain.getSum(), Value()});
    return success();
  }
};
} // namespace

void LayerNormOp::getCanonicalizationPatterns(RewritePatternSet &patterns,
                                              MLIRContext *context) {
  patterns.add<DropUnreadShift>(context);
}

void LayerNormOp::build(OpBuilder &builder, OperationState &state, Value input,
                        Value scale, Value bias, Value residual,
                        FloatAttr epsilon) {
  build(builder, state, input, scale, bias, residual, /*addend=*/Value(),
        epsilon);
}

LogicalResult
LayerNormOp::inferReturnTypes(MLIRContext *context,
                              std::optional<Location> location, Adaptor adaptor,
                              SmallVectorImpl<Type> &inferredReturnTypes) {
  Type elementType = getElementTypeOrSelf(adaptor.getInput().getType());
  auto inputType = dyn_cast<RankedTensorType>(adaptor.getInput().getType());
  Type resultType = UnrankedTensorType::get(elementType);
  if (inputType && inputType.getRank() > 0) {
    // Each size comes from whichever operand knows it.
    SmallVector<int64_t> shape(inputType.getShape());
    ArrayRef<int64_t> residual =
        shapeIfRank(adaptor.getResidual(), inputType.getRank());
    ArrayRef<int64_t> addend =
        shapeIfRank(adaptor.getAddend(), inputType.getRank());
    for (auto [index, size] : llvm::enumerate(shape))
      size = agreedSize(agreedSize(size, sizeAt(residual, index)),
                        sizeAt(addend, index));
    shape.back() = agreedSize(
        shape.back(), agreedSize(sizeAt(shapeIfRank(adaptor.getScale(), 1), 0),
                                 sizeAt(shapeIfRank(adaptor.getBias(), 1), 0)));
    resultType = RankedTensorType::get(shape, elementType);
  }
  inferredReturnTypes.push_back(resultType);
  inferredReturnTypes.push_back(resultType);
  if (adaptor.getAddend())
    inferredReturnTypes.push_back(resultType);
  return success();
}

LogicalResult LayerNormOp::verify() {
  Checker check(getOperation());

  FailureOr<ArrayRef<int64_t>> input =
      check.ranked(getInput(), "input", 1, "[..., D]", /*atLeast=*/true);
  if (failed(input))
    return failure();
  if (failed(check.elementTypes({{getInput(), "input"},
                                 {getScale(), "scale"},
                                 {getBias(), "bias"},
                                 {getResidual(), "residual"},
                                 {getAddend(), "addend"}})))
    return failure();

  double epsilon = getEpsilon().convertToDouble();
  if (!(std::isfinite(epsilon) && epsilon >= 0.0))
    return check.error("epsilon must be non-negative and finite, got " +
                       std::to_string(epsilon));

  if (getResidual()) {
    ArrayRef<int64_t> shape = getResidual().getType().getShape();
    if (!shapesAgree(shape, *input))
      return check.error("residual must have the shape of input " +
                         formatShape(*input) + ", got " + formatShape(shape));
  }
  if (getAddend()) {
    ArrayRef<int64_t> shape = getAddend().getType().getShape();
    if (!shapesAgree(shape, *input))
      return check.error("addend must have the shape of input " +
                         formatShape(*input) + ", got " + formatShape(shape));
  }

  // D comes from whichever of input, scale and bias knows it.
  int64_t features = input->back();
  if (failed(check.hasShape(getScale(), "scale", "[D]", {features})))
    return failure();
  features = agreedSize(features, getScale().getType().getDimSize(0));
  if (failed(check.hasShape(getBias(), "bias", "[D]", {features})))
    return failure();
  features = agreedSize(features, getBias().getType().getDimSize(0));
  if (isKnown(features) && features == 0)
    return check.error("normalized size D must be positive, got 0");
  return success();
}
