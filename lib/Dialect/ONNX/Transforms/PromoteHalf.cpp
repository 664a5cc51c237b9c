//===- PromoteHalf.cpp - Compute an f16 or bf16 model in f32 --------------===//
//
// Every kernel computes in f32, so a model exported in half precision is
// widened once, at compile time: its constants and the types of its values.
// The element type of a value comes from its operands everywhere but in
// four places, which name it themselves: constants, ConstantOfShape's
// `value`, LayerNormalization's `stash_type` and Cast's `to`. A Cast to a
// half type stays, and is widened right after, so that its rounding stays
// too: only arithmetic gains precision. The function's signature stays
// half, with one Cast at each end.
//
//===----------------------------------------------------------------------===//

#include "intr/Dialect/ONNX/Transforms/Passes.h"

#include "intr/Dialect/ONNX/IR/ONNXConstants.h"
#include "intr/Dialect/ONNX/IR/ONNXOps.h"
#include "intr/Dialect/ONNX/IR/ONNXShapeUtils.h"
#include "intr/Support/RoundFloat.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/DenseMap.h"

#include <cmath>
#include <cstdint>
#include <cstring>

namespace intr::onnx {
#define GEN_PASS_DEF_ONNXPROMOTEHALFPASS
#include "intr/Dialect/ONNX/Transforms/Passes.h.inc"
} // namespace intr::onnx

using namespace mlir;
using namespace intr::onnx;

namespace {

bool isHalf(Type type) { return isa<Float16Type, BFloat16Type>(type); }

/// Whether ONNX's type number `number` is f16 or bf16.
bool isHalfNumber(MLIRContext *context, int64_t number) {
  Type type = intr::onnxDataType(context, number);
  return type && isHalf(type);
}

/// `type` with f32 elements where it has f16 or bf16 ones, else `type`.
Type promoted(Type type) {
  auto tensor = dyn_cast<TensorType>(type);
  if (!tensor || !isHalf(tensor.getElementType()))
    return type;
  return tensor.clone(Float32Type::get(type.getContext()));
}

/// A half constant's elements as f32 (exact: f32 holds every f16 and bf16
/// value), dense when small and a resource blob like the weights otherwise;
/// null when they cannot be read.
ElementsAttr widened(ElementsAttr value) {
  DenseElementsAttr elements = asDenseElements(value);
  if (!elements)
    return {};
  auto type = cast<ShapedType>(promoted(elements.getType()));
  if (elements.isSplat())
    return DenseElementsAttr::get(
        type, elements.getSplatValue<APFloat>().convertToFloat());
  // From the bits (41 M weights take 0.1 s this way, 1.2 s through
  // APFloat).
  const bool brain = elements.getElementType().isBF16();
  ArrayRef<char> raw = elements.getRawData();
  SmallVector<float> values(elements.getNumElements());
  for (size_t i = 0; i < values.size(); ++i) {
    uint16_t bits;
    std::memcpy(&bits, raw.data() + 2 * i, sizeof(bits));
    values[i] =
        brain ? intr::widenBFloat16Bits(bits) : intr::widenHalfBits(bits);
  }
  if (values.size() <= 1024)
    return DenseElementsAttr::get(type, ArrayRef<float>(values));
  return DenseResourceElementsAttr::get(
      type, "widened",
      HeapAsmResourceBlob::allocateAndCopyInferAlign(ArrayRef<float>(values)));
}

struct ONNXPromoteHalfPass
    : public intr::onnx::impl::ONNXPromoteHalfPassBase<ONNXPromoteHalfPass> {
  void runOnOperation() override;
};

void ONNXPromoteHalfPass::runOnOperation() {
  func::FuncOp func = getOperation();
  if (func.isExternal())
    return;
  Block &body = func.getBody().front();
  OpBuilder builder(&getContext());
  // Constants that share one attribute (the importer's identical weights)
  // share its widened copy, so that CSE still merges what reads them.
  DenseMap<Attribute, ElementsAttr> widenedConstants;
  SmallVector<CastOp> roundings;

  // The body's values first: each op's result types follow from operands
  // that are already f32, except where the op names the type itself.
  WalkResult walked = func.walk([&](Operation *op) -> WalkResult {
    if (auto constant = dyn_cast<ConstantOp>(op)) {
      if (!isHalf(getElementTypeOrSelf(constant.getType())))
        return WalkResult::advance();
      ElementsAttr &value = widenedConstants[constant.getValue()];
      if (!value)
        value = widened(constant.getValue());
      if (!value)
        return constant.emitOpError("has half elements that cannot be read");
      constant.setValueAttr(value);
    } else if (auto castOp = dyn_cast<CastOp>(op)) {
      // A cast to half rounds: it keeps its type, widened after the walk.
      if (isHalfNumber(op->getContext(), castOp.getTo())) {
        roundings.push_back(castOp);
        return WalkResult::advance();
      }
    } else if (auto norm = dyn_cast<LayerNormalizationOp>(op)) {
      if (isHalfNumber(op->getContext(), norm.getStashType()))
        norm.setStashTypeAttr(builder.getIntegerAttr(
            builder.getIntegerType(64, /*isSigned=*/true),
            *intr::onnxDataTypeNumber(builder.getF32Type())));
    } else if (auto fill = dyn_cast<ConstantOfShapeOp>(op)) {
      if (fill.getValue() && isHalf(fill.getValue()->getElementType())) {
        ElementsAttr value = widened(*fill.getValue());
        if (!value)
          return fill.emitOpError("has a half value that cannot be read");
        fill.setValueAttr(value);
      }
    }
    for (OpResult result : op->getResults())
      result.setType(promoted(result.getType()));
    return WalkResult::advance();
  });
  if (walked.wasInterrupted())
    return signalPassFailure();

  // Each cast to half (now of an f32 value) is widened again for its
  // readers.
  for (CastOp rounding : roundings) {
    builder.setInsertionPointAfter(rounding);
    Value wide = intr::createCast(builder, rounding.getLoc(), rounding,
                                  builder.getF32Type());
    rounding.getResult().replaceAllUsesExcept(wide, wide.getDefiningOp());
  }

  // Half arguments are widened where the body starts...
  builder.setInsertionPointToStart(&body);
  for (BlockArgument argument : body.getArguments()) {
    Type wide = promoted(argument.getType());
    if (wide == argument.getType())
      continue;
    Value cast = intr::createCast(builder, argument.getLoc(), argument,
                                  builder.getF32Type());
    argument.replaceAllUsesExcept(cast, cast.getDefiningOp());
  }

  // ... and half results narrowed again where it returns.
  Operation *terminator = body.getTerminator();
  builder.setInsertionPoint(terminator);
  ArrayRef<Type> results = func.getFunctionType().getResults();
  for (auto [index, resultType] : llvm::enumerate(results)) {
    auto tensor = dyn_cast<TensorType>(resultType);
    Value value = terminator->getOperand(index);
    if (!tensor || !isHalf(tensor.getElementType()) ||
        value.getType() == resultType)
      continue;
    Value narrowed = intr::createCast(builder, value.getLoc(), value,
                                      cast<FloatType>(tensor.getElementType()));
    terminator->setOperand(index, narrowed);
  }
}

} // namespace
