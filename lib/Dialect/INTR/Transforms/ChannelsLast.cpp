//===- ChannelsLast.cpp - Convolutions over NHWC images -------------------===//

#include "intr/Dialect/INTR/Transforms/Passes.h"

#include "FormConversion.h"

#include "intr/Dialect/INTR/IR/INTROps.h"
#include "intr/Dialect/ONNX/IR/ONNXConstants.h"
#include "intr/Dialect/ONNX/IR/ONNXOps.h"
#include "intr/Dialect/ONNX/IR/ONNXShapeUtils.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Matchers.h"

#include <cstring>

namespace intr {
#define GEN_PASS_DEF_INTRCHANNELSLASTPASS
#include "intr/Dialect/INTR/Transforms/Passes.h.inc"
} // namespace intr

using namespace mlir;
using namespace intr;

namespace {

/// NCHW -> NHWC, and OIHW -> OHWI alike; and back.
constexpr int64_t kToLast[] = {0, 2, 3, 1};
constexpr int64_t kToFirst[] = {0, 3, 1, 2};

RankedTensorType permuted(RankedTensorType type, ArrayRef<int64_t> perm) {
  ArrayRef<int64_t> shape = type.getShape();
  return type.clone(
      {shape[perm[0]], shape[perm[1]], shape[perm[2]], shape[perm[3]]});
}

Value createTranspose(OpBuilder &builder, Value value, ArrayRef<int64_t> perm) {
  auto type = permuted(cast<RankedTensorType>(value.getType()), perm);
  return builder.create<onnx::TransposeOp>(value.getLoc(), type, value,
                                           builder.getDenseI64ArrayAttr(perm));
}

/// Whether `value` is a constant that toChannelsLast rearranges: of rank 4
/// at most, not bool.
bool isPermutableConstant(Value value) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  return type && type.getRank() <= 4 && !type.getElementType().isInteger(1) &&
         matchPattern(value, m_Constant());
}

/// A constant [A, B, C, D] rearranged to [A, C, D, B], element bytes as
/// they are; one of lower rank as the [1, ..., B, C, D] it broadcasts as
/// (an elementwise op's per-channel [C, 1, 1] to [1, 1, 1, C]). Null for
/// what it cannot read.
DenseElementsAttr toChannelsLast(Value value) {
  Attribute attr;
  if (!isPermutableConstant(value) || !matchPattern(value, m_Constant(&attr)))
    return nullptr;
  DenseElementsAttr elements = onnx::asDenseElements(attr);
  if (!elements)
    return nullptr;
  if (int64_t rank = elements.getType().getRank(); rank < 4) {
    SmallVector<int64_t> shape(4 - rank, 1);
    llvm::append_range(shape, elements.getType().getShape());
    elements = elements.reshape(elements.getType().clone(shape));
  }
  auto type = permuted(cast<RankedTensorType>(elements.getType()), kToLast);
  if (elements.isSplat())
    return elements.resizeSplat(type);
  ArrayRef<int64_t> shape = elements.getType().getShape();
  int64_t A = shape[0], B = shape[1], C = shape[2], D = shape[3];
  size_t bytes = elements.getElementType().getIntOrFloatBitWidth() / 8;
  ArrayRef<char> in = elements.getRawData();
  std::vector<char> out(in.size());
  for (int64_t a = 0; a < A; ++a)
    for (int64_t b = 0; b < B; ++b)
      for (int64_t c = 0; c < C; ++c)
        for (int64_t d = 0; d < D; ++d)
          std::memcpy(&out[(((a * C + c) * D + d) * B + b) * bytes],
                      &in[(((a * B + b) * C + c) * D + d) * bytes], bytes);
  return DenseElementsAttr::getFromRawBuffer(type, out);
}

/// Replaces `outer` = Transpose(Reshape([Cast](Transpose(x)))) by one
/// transpose of x (cast first), between reshapes: the way back to NCHW
/// after the last convolution and the transformer's flattening into a
/// sequence. Holds when the reshape only merges dimensions that are
/// neighbours, in order, in x (unit dimensions aside); the transpose is
/// left out where it would only move unit dimensions. False when it does
/// not hold or the chain's values have other readers.
bool composeTransposes(onnx::TransposeOp outer, OpBuilder &builder) {
  auto reshape = outer.getData().getDefiningOp<onnx::ReshapeOp>();
  if (!reshape || !reshape->hasOneUse())
    return false;
  auto convert = reshape.getData().getDefiningOp<onnx::CastOp>();
  if (convert && !convert->hasOneUse())
    return false;
  auto inner = (convert ? convert.getInput() : reshape.getData())
                   .getDefiningOp<onnx::TransposeOp>();
  if (!inner || !inner->hasOneUse() || !inner.getPerm() || !outer.getPerm())
    return false;
  Value x = inner.getData();
  auto xType = dyn_cast<RankedTensorType>(x.getType());
  auto aType = dyn_cast<RankedTensorType>(inner.getType());
  auto bType = dyn_cast<RankedTensorType>(reshape.getType());
  auto yType = dyn_cast<RankedTensorType>(outer.getType());
  for (RankedTensorType type : {xType, aType, bType, yType})
    if (!type || !type.hasStaticShape())
      return false;
  ArrayRef<int64_t> X = xType.getShape(), A = aType.getShape(),
                    B = bType.getShape();
  ArrayRef<int64_t> innerPerm = *inner.getPerm(), outerPerm = *outer.getPerm();

  // Each non-unit dimension of x by its place among them.
  SmallVector<int64_t> place(X.size(), -1);
  for (int64_t i = 0, next = 0; i < static_cast<int64_t>(X.size()); ++i)
    if (X[i] != 1)
      place[i] = next++;
  // Each non-unit dimension of B is a run of A's that are neighbours in x:
  // its first place there, and its size.
  struct Group {
    int64_t first, size;
  };
  SmallVector<Group> groups;
  SmallVector<int64_t> groupOf(B.size(), -1);
  size_t a = 0;
  auto nextOfA = [&]() -> bool {
    while (a < A.size() && A[a] == 1)
      ++a;
    return a < A.size();
  };
  for (size_t b = 0; b < B.size(); ++b) {
    if (B[b] == 1)
      continue;
    if (!nextOfA())
      return false;
    Group group{place[innerPerm[a]], A[a]};
    int64_t last = group.first;
    for (++a; group.size < B[b]; ++a) {
      if (!nextOfA() || place[innerPerm[a]] != last + 1)
        return false;
      last = place[innerPerm[a]];
      group.size *= A[a];
    }
    if (group.size != B[b])
      return false; // the reshape splits a dimension
    groupOf[b] = groups.size();
    groups.push_back(group);
  }
  if (nextOfA())
    return false;

  // x merged into the groups, in x's order; then the groups in y's order.
  SmallVector<int64_t> byPlace(groups.size());
  for (size_t g = 0; g < groups.size(); ++g)
    byPlace[g] = g;
  llvm::sort(byPlace, [&](int64_t g, int64_t h) {
    return groups[g].first < groups[h].first;
  });
  SmallVector<int64_t> indexInX(groups.size()), merged;
  for (size_t i = 0; i < byPlace.size(); ++i) {
    indexInX[byPlace[i]] = i;
    merged.push_back(groups[byPlace[i]].size);
  }
  SmallVector<int64_t> perm;
  for (int64_t axis : outerPerm)
    if (B[axis] != 1)
      perm.push_back(indexInX[groupOf[axis]]);

  builder.setInsertionPoint(outer);
  Location loc = outer.getLoc();
  Value value = x;
  if (convert)
    value = builder.create<onnx::CastOp>(
        loc, xType.clone(convert.getType().getElementType()), value,
        convert.getToAttr(), convert.getSaturateAttr());
  if (!llvm::equal(perm, llvm::seq<int64_t>(0, perm.size()))) {
    value = createReshape(builder, loc, value, merged);
    SmallVector<int64_t> shape;
    for (int64_t axis : perm)
      shape.push_back(merged[axis]);
    value = builder.create<onnx::TransposeOp>(
        loc, RankedTensorType::get(shape, yType.getElementType()), value,
        builder.getDenseI64ArrayAttr(perm));
  }
  value = createReshape(builder, loc, value, yType.getShape());
  outer.replaceAllUsesWith(value);
  Operation *oldShape = reshape.getShape().getDefiningOp();
  outer.erase();
  reshape.erase();
  if (convert)
    convert.erase();
  inner.erase();
  if (oldShape && oldShape->use_empty() && isa<onnx::ConstantOp>(oldShape))
    oldShape->erase();
  return true;
}

/// Whether `value` is an image that the conversion permutes: rank 4 and
/// more than one element (a single element broadcasts alike in either
/// layout).
bool isImage(Value value) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  return type && type.getRank() == 4 &&
         !(type.hasStaticShape() && type.getNumElements() == 1);
}

/// Whether an op whose results are images and whose tensor operands are
/// `operands` computes on NHWC images as they come: the operands are single
/// elements, constants (permuted at compile time) or images that are NHWC
/// already, one at least. Left NCHW, the op would have read those through
/// transposes back.
bool computesOnNhwcAsItComes(Operation *op, ValueRange operands,
                             const FormConversion &conversion) {
  if (!llvm::all_of(op->getResults(), isImage))
    return false;
  bool readsNhwc = false;
  for (Value operand : operands) {
    if (isa<NoneType>(operand.getType()))
      continue;
    auto type = dyn_cast<RankedTensorType>(operand.getType());
    if (!type || !type.hasStaticShape())
      return false;
    if (type.getNumElements() == 1 || isPermutableConstant(operand))
      continue;
    if (!isImage(operand) || !conversion.hasNewForm(operand))
      return false;
    readsNhwc = true;
  }
  return readsNhwc;
}

/// Whether the conversion rearranges `operand` of an op computing on NHWC
/// images: an image, or a constant of lower rank that broadcasts as one.
bool isMoved(OpOperand &operand) {
  Value value = operand.get();
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (!type || (type.hasStaticShape() && type.getNumElements() == 1))
    return false;
  return isImage(value) || isPermutableConstant(value);
}

/// The NCHW axes along which `op` reads its images (operand 0 on), where it
/// is onnx.Concat or a reduction that keeps its dimensions and they are
/// known: the axes that move to NHWC with it. A reduction's axes are its
/// attribute `axes` (opsets up to 17) or its constant operand 1.
std::optional<SmallVector<int64_t>> imageAxesOf(Operation *op) {
  if (auto concat = dyn_cast<onnx::ConcatOp>(op))
    return SmallVector<int64_t>{concat.getAxis()};
  if (!isa<onnx::ReduceMeanOp, onnx::ReduceSumOp, onnx::ReduceMaxOp,
           onnx::ReduceProdOp>(op))
    return std::nullopt;
  auto keepdims = op->getAttrOfType<IntegerAttr>("keepdims");
  if (keepdims && keepdims.getInt() == 0)
    return std::nullopt;
  auto attr = op->getAttrOfType<DenseI64ArrayAttr>("axes");
  std::optional<SmallVector<int64_t>> axes = onnx::getReduceAxes(
      attr ? std::optional(attr.asArrayRef()) : std::nullopt,
      op->getOperand(1));
  // Empty axes reduce every one, or none: alike in either layout, but the
  // attribute noop_with_empty_axes would have to be read.
  if (!axes || axes->empty())
    return std::nullopt;
  return axes;
}

/// Gives `op` (see imageAxesOf) the NHWC axes of its NCHW `axes`.
void moveImageAxes(Operation *op, ArrayRef<int64_t> axes, OpBuilder &builder) {
  SmallVector<int64_t> moved;
  for (int64_t axis : axes)
    moved.push_back(kToFirst[axis < 0 ? axis + 4 : axis]);
  if (auto concat = dyn_cast<onnx::ConcatOp>(op)) {
    concat.setAxis(moved.front());
  } else if (op->getAttrOfType<DenseI64ArrayAttr>("axes")) {
    op->setAttr("axes", builder.getDenseI64ArrayAttr(moved));
  } else {
    builder.setInsertionPoint(op);
    auto type =
        RankedTensorType::get({int64_t(moved.size())}, builder.getI64Type());
    op->setOperand(1, builder.create<onnx::ConstantOp>(
                          op->getLoc(), DenseElementsAttr::get(
                                            type, ArrayRef<int64_t>(moved))));
  }
}

struct INTRChannelsLastPass
    : public intr::impl::INTRChannelsLastPassBase<INTRChannelsLastPass> {
  void runOnOperation() override {
    SmallVector<Operation *> candidates;
    getOperation().walk([&](Operation *op) {
      // A GPU runs channels-last convolutions on cuDNN only.
      if (auto conv = dyn_cast<Conv2DOp>(op);
          conv && !conv.getChannelsLast() && conv.fitsCudnn())
        candidates.push_back(op);
      if (auto pool = dyn_cast<MaxPool2DOp>(op);
          pool && !pool.getChannelsLast())
        candidates.push_back(op);
      if (auto affine = dyn_cast<ChannelAffineOp>(op);
          affine && !affine.getChannelsLast())
        candidates.push_back(op);
      if (op->hasTrait<onnx::OpTrait::Elementwise>() || imageAxesOf(op))
        candidates.push_back(op);
    });
    OpBuilder builder(&getContext());

    FormConversion conversion(
        &getContext(),
        [](OpBuilder &builder, Value value) -> Value {
          if (DenseElementsAttr elements = toChannelsLast(value))
            return builder.create<onnx::ConstantOp>(value.getLoc(), elements);
          return createTranspose(builder, value, kToLast);
        },
        [](OpBuilder &builder, Value result, Type) -> Value {
          return createTranspose(builder, result, kToFirst);
        },
        [](Type type) -> Type {
          return permuted(cast<RankedTensorType>(type), kToLast);
        });
    // A model written channels last (ConvNeXt's blocks) permutes its
    // images back to NCHW itself: their NHWC form is the permute's input,
    // unless this pass moves that input to another form.
    llvm::SmallPtrSet<Operation *, 32> moving(candidates.begin(),
                                              candidates.end());
    getOperation().walk([&](onnx::TransposeOp transpose) {
      std::optional<ArrayRef<int64_t>> perm = transpose.getPerm();
      Value nhwc = transpose.getData();
      if (perm && llvm::equal(*perm, kToFirst) &&
          !moving.contains(nhwc.getDefiningOp()))
        conversion.setNewForm(transpose.getResult(), nhwc);
    });
    for (Operation *op : candidates) {
      // Between convolutions, an activation (ReLU6 as a Clip), a residual
      // Add or a layer scale stays NHWC.
      if (op->hasTrait<onnx::OpTrait::Elementwise>()) {
        if (computesOnNhwcAsItComes(op, op->getOperands(), conversion))
          conversion.convert(op, isMoved);
        continue;
      }
      auto images = [](OpOperand &operand) { return isImage(operand.get()); };
      // Squeeze-and-excitation's mean over the pixels, Inception's
      // concatenation of its branches along the channels.
      if (std::optional<SmallVector<int64_t>> axes = imageAxesOf(op)) {
        ValueRange read = isa<onnx::ConcatOp>(op)
                              ? op->getOperands()
                              : op->getOperands().take_front();
        if (computesOnNhwcAsItComes(op, read, conversion)) {
          moveImageAxes(op, *axes, builder);
          conversion.convert(op, images);
        }
        continue;
      }
      // A max pool or a channel_affine (DenseNet's batch norms) of an NCHW
      // value gains nothing from two transposes.
      if (isa<MaxPool2DOp, ChannelAffineOp>(op) &&
          !conversion.hasNewForm(op->getOperand(0)))
        continue;
      // The images and the weight; not the bias, scale or shift.
      conversion.convert(op, [](OpOperand &operand) {
        return cast<RankedTensorType>(operand.get().getType()).getRank() == 4;
      });
      if (auto conv = dyn_cast<Conv2DOp>(op))
        conv.setChannelsLast(true);
      else if (auto pool = dyn_cast<MaxPool2DOp>(op))
        pool.setChannelsLast(true);
      else
        cast<ChannelAffineOp>(op).setChannelsLast(true);
    }
    conversion.eraseDead();

    SmallVector<onnx::TransposeOp> transposes;
    getOperation().walk(
        [&](onnx::TransposeOp transpose) { transposes.push_back(transpose); });
    for (onnx::TransposeOp transpose : transposes)
      composeTransposes(transpose, builder);
  }
};

} // namespace
