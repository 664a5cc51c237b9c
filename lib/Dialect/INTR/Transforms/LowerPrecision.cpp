//===- LowerPrecision.cpp - Convolutions in f16 or bf16 -------------------===//

#include "intr/Dialect/INTR/Transforms/Passes.h"

#include "intr/Dialect/INTR/IR/INTROps.h"
#include "intr/Dialect/ONNX/IR/ONNXOps.h"
#include "intr/Dialect/ONNX/IR/ONNXShapeUtils.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/APFloat.h"

#include <cstring>

namespace intr {
#define GEN_PASS_DEF_INTRLOWERPRECISIONPASS
#include "intr/Dialect/INTR/Transforms/Passes.h.inc"
} // namespace intr

using namespace mlir;
using namespace intr;

namespace {

/// ONNX's TensorProto.DataType numbers.
int64_t onnxTypeNumber(FloatType type) {
  return type.isF16() ? 10 : type.isBF16() ? 16 : 1;
}

onnx::CastOp createCast(OpBuilder &builder, Location loc, Value value,
                        FloatType to) {
  auto type = cast<RankedTensorType>(value.getType()).clone(to);
  auto si64 = builder.getIntegerType(64, /*isSigned=*/true);
  return builder.create<onnx::CastOp>(
      loc, type, value, builder.getIntegerAttr(si64, onnxTypeNumber(to)),
      builder.getIntegerAttr(si64, 1));
}

/// The f32 elements of a constant (dense or resource-backed), else null.
DenseElementsAttr constantElements(Value value) {
  Attribute attr;
  if (!matchPattern(value, m_Constant(&attr)))
    return nullptr;
  DenseElementsAttr elements = onnx::asDenseElements(attr);
  return elements && elements.getElementType().isF32() ? elements : nullptr;
}

/// `elements` rounded to nearest even in `to`, as raw 16-bit data.
DenseElementsAttr roundElements(DenseElementsAttr elements, FloatType to) {
  const llvm::fltSemantics &semantics = to.getFloatSemantics();
  std::vector<uint16_t> bits;
  bits.reserve(elements.getNumElements());
  for (float value : elements.getValues<float>()) {
    llvm::APFloat rounded(value);
    bool losesInfo = false;
    rounded.convert(semantics, llvm::APFloat::rmNearestTiesToEven, &losesInfo);
    bits.push_back(
        static_cast<uint16_t>(rounded.bitcastToAPInt().getZExtValue()));
  }
  ArrayRef<char> raw(reinterpret_cast<const char *>(bits.data()),
                     bits.size() * sizeof(uint16_t));
  return DenseElementsAttr::getFromRawBuffer(elements.getType().clone(to), raw);
}

struct INTRLowerPrecisionPass
    : public intr::impl::INTRLowerPrecisionPassBase<INTRLowerPrecisionPass> {
  using Base::Base;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    OpBuilder builder(&getContext());
    FloatType low;
    if (elementType == "f16")
      low = builder.getF16Type();
    else if (elementType == "bf16")
      low = builder.getBF16Type();
    else {
      func.emitError("intr-lower-precision: element-type must be f16 or "
                     "bf16, got '")
          << elementType << "'";
      return signalPassFailure();
    }

    SmallVector<Operation *> candidates;
    func.walk([&](Operation *op) {
      if (isa<Conv2DOp, MaxPool2DOp>(op) &&
          cast<RankedTensorType>(op->getResult(0).getType())
              .getElementType()
              .isF32())
        candidates.push_back(op);
    });

    // Each f32 value's 16-bit version, made once and shared by its readers.
    DenseMap<Value, Value> lowered;
    SmallVector<Operation *> maybeDead;
    auto lower = [&](Value value) -> Value {
      if (Value known = lowered.lookup(value))
        return known;
      OpBuilder::InsertionGuard guard(builder);
      Value result;
      if (DenseElementsAttr elements = constantElements(value)) {
        builder.setInsertionPointAfterValue(value);
        result = builder.create<onnx::ConstantOp>(value.getLoc(),
                                                  roundElements(elements, low));
        maybeDead.push_back(value.getDefiningOp());
      } else {
        builder.setInsertionPointAfterValue(value);
        result = createCast(builder, value.getLoc(), value, low);
      }
      lowered[value] = result;
      return result;
    };

    for (Operation *op : candidates) {
      // A max pool of an f32 value gains nothing from two conversions.
      if (isa<MaxPool2DOp>(op) && !lowered.count(op->getOperand(0)))
        continue;
      for (OpOperand &operand : op->getOpOperands())
        operand.set(lower(operand.get()));
      Value result = op->getResult(0);
      Type wide = result.getType();
      result.setType(cast<RankedTensorType>(wide).clone(low));
      // f32 readers read it through one cast back; 16-bit readers (later
      // candidates) find the result itself under the cast's name.
      builder.setInsertionPointAfter(op);
      onnx::CastOp back =
          createCast(builder, op->getLoc(), result, builder.getF32Type());
      result.replaceAllUsesExcept(back, back);
      lowered[back] = result;
      maybeDead.push_back(back);
    }

    // The casts back that only 16-bit ops read, and the f32 weights that
    // were replaced.
    for (Operation *op : maybeDead)
      if (op->use_empty())
        op->erase();
  }
};

} // namespace
