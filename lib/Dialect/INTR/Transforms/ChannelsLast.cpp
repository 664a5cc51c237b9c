//===- ChannelsLast.cpp - Convolutions over NHWC images -------------------===//

#include "intr/Dialect/INTR/Transforms/Passes.h"

#include "FormConversion.h"

#include "intr/Dialect/INTR/IR/INTROps.h"
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

/// A constant [A, B, C, D] rearranged to [A, C, D, B], element bytes as
/// they are; null for what it cannot read.
DenseElementsAttr toChannelsLast(Value value) {
  Attribute attr;
  if (!matchPattern(value, m_Constant(&attr)))
    return nullptr;
  DenseElementsAttr elements = onnx::asDenseElements(attr);
  if (!elements || elements.getType().getRank() != 4 ||
      elements.getElementType().isInteger(1))
    return nullptr;
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
    });

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
    for (Operation *op : candidates) {
      // A max pool of an NCHW value gains nothing from two transposes.
      if (isa<MaxPool2DOp>(op) && !conversion.hasNewForm(op->getOperand(0)))
        continue;
      // The images and the weight; not the bias.
      conversion.convert(op, [](OpOperand &operand) {
        return cast<RankedTensorType>(operand.get().getType()).getRank() == 4;
      });
      if (auto conv = dyn_cast<Conv2DOp>(op))
        conv.setChannelsLast(true);
      else
        cast<MaxPool2DOp>(op).setChannelsLast(true);
    }
    conversion.eraseDead();
  }
};

} // namespace
