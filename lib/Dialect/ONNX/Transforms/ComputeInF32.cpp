//===- ComputeInF32.cpp - Compute an f16, bf16 or f64 model in f32 --------===//
//
// The kernels compute in f32, so a model exported in half precision is
// widened once, at compile time, and one exported in double narrowed: its
// constants and the types of its values. The element type of a value
// comes from its operands everywhere but in four places, which name it
// themselves: constants, ConstantOfShape's `value`, LayerNormalization's
// `stash_type` and Cast's `to`. A Cast to a half type stays, and is
// widened right after, so that its rounding stays too: only arithmetic
// gains precision; a Cast to f64 in a double model casts to f32. The
// function's signature stays as it was, with one Cast at each end. In a
// model that is not double, the f64 ops that no kernel computes in f64
// (OpTrait::F32Kernels) compute in f32 between casts.
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
#include <limits>

namespace intr::onnx {
#define GEN_PASS_DEF_ONNXCOMPUTEINF32PASS
#include "intr/Dialect/ONNX/Transforms/Passes.h.inc"
} // namespace intr::onnx

using namespace mlir;
using namespace intr::onnx;

namespace {

bool isHalf(Type type) { return isa<Float16Type, BFloat16Type>(type); }

bool isF64Tensor(Type type) {
  auto tensor = dyn_cast<TensorType>(type);
  return tensor && tensor.getElementType().isF64();
}

/// The element types computed in f32: f16 and bf16, and f64 in a model
/// exported in double.
struct Converted {
  bool doubles = false;
  bool operator()(Type element) const {
    return isHalf(element) || (doubles && element.isF64());
  }
};

/// Whether ONNX's type number `number` is f16 or bf16.
bool isHalfNumber(MLIRContext *context, int64_t number) {
  Type type = intr::onnxDataType(context, number);
  return type && isHalf(type);
}

/// `type` with f32 elements where it has converted ones, else `type`.
Type promoted(Type type, Converted converted) {
  auto tensor = dyn_cast<TensorType>(type);
  if (!tensor || !converted(tensor.getElementType()))
    return type;
  return tensor.clone(Float32Type::get(type.getContext()));
}

/// `value` in f32: to nearest, but a finite value beyond f32's range is
/// f32's largest, and a nonzero one below its smallest normal that
/// smallest, with its sign. A double model's torch.finfo(f64).min (a
/// mask's "minus infinity") and .tiny (a clamp before a log) keep their
/// role as finfo(f32)'s would, rather than becoming -inf (0 * -inf is NaN)
/// or 0.
float narrowed(double value) {
  constexpr double largest = std::numeric_limits<float>::max();
  constexpr double smallest = std::numeric_limits<float>::min();
  if (std::isfinite(value) && std::fabs(value) > largest)
    return static_cast<float>(std::copysign(largest, value));
  if (value != 0.0 && std::fabs(value) < smallest)
    return static_cast<float>(std::copysign(smallest, value));
  return static_cast<float>(value);
}

/// A converted constant's elements as f32 (exact from f16 and bf16, which
/// f32 holds; narrowed from f64), dense when small and a resource blob
/// like the weights otherwise; null when they cannot be read.
ElementsAttr widened(ElementsAttr value, Converted converted) {
  DenseElementsAttr elements = asDenseElements(value);
  if (!elements)
    return {};
  auto type = cast<ShapedType>(promoted(elements.getType(), converted));
  if (elements.isSplat())
    return DenseElementsAttr::get(
        type, narrowed(elements.getSplatValue<APFloat>().convertToDouble()));
  // From the bits (41 M weights take 0.1 s this way, 1.2 s through
  // APFloat).
  Type element = elements.getElementType();
  ArrayRef<char> raw = elements.getRawData();
  SmallVector<float> values(elements.getNumElements());
  for (size_t i = 0; i < values.size(); ++i) {
    if (element.isF64()) {
      double wide;
      std::memcpy(&wide, raw.data() + 8 * i, sizeof(wide));
      values[i] = narrowed(wide);
      continue;
    }
    uint16_t bits;
    std::memcpy(&bits, raw.data() + 2 * i, sizeof(bits));
    values[i] = element.isBF16() ? intr::widenBFloat16Bits(bits)
                                 : intr::widenHalfBits(bits);
  }
  if (values.size() <= 1024)
    return DenseElementsAttr::get(type, ArrayRef<float>(values));
  return DenseResourceElementsAttr::get(
      type, "widened",
      HeapAsmResourceBlob::allocateAndCopyInferAlign(ArrayRef<float>(values)));
}

struct ONNXComputeInF32Pass
    : public intr::onnx::impl::ONNXComputeInF32PassBase<ONNXComputeInF32Pass> {
  void runOnOperation() override;
};

void ONNXComputeInF32Pass::runOnOperation() {
  func::FuncOp func = getOperation();
  if (func.isExternal())
    return;
  Block &body = func.getBody().front();
  OpBuilder builder(&getContext());
  // A model exported in double: its floating inputs and outputs are all
  // f64 (integer ones, token ids say, may come along). An f32 model with
  // one f64 input keeps that input's values f64.
  Converted converted;
  bool f64 = false, otherFloat = false;
  for (Type type :
       llvm::concat<const Type>(func.getArgumentTypes(), func.getResultTypes()))
    if (auto tensor = dyn_cast<TensorType>(type);
        tensor && isa<FloatType>(tensor.getElementType())) {
      f64 |= tensor.getElementType().isF64();
      otherFloat |= !tensor.getElementType().isF64();
    }
  converted.doubles = f64 && !otherFloat;
  if (converted.doubles)
    func.emitRemark("the model is f64; it computes in f32, its f64 inputs "
                    "and outputs stay f64");
  const int64_t f32Number = *intr::onnxDataTypeNumber(builder.getF32Type());
  // Constants that share one attribute (the importer's identical weights)
  // share its widened copy, so that CSE still merges what reads them.
  DenseMap<Attribute, ElementsAttr> widenedConstants;
  SmallVector<CastOp> roundings;

  // The body's values first: each op's result types follow from operands
  // that are already f32, except where the op names the type itself.
  WalkResult walked = func.walk([&](Operation *op) -> WalkResult {
    if (auto constant = dyn_cast<ConstantOp>(op)) {
      if (!converted(getElementTypeOrSelf(constant.getType())))
        return WalkResult::advance();
      ElementsAttr &value = widenedConstants[constant.getValue()];
      if (!value)
        value = widened(constant.getValue(), converted);
      if (!value)
        return constant.emitOpError("has half elements that cannot be read");
      constant.setValueAttr(value);
    } else if (auto castOp = dyn_cast<CastOp>(op)) {
      // A cast to half rounds: it keeps its type, widened after the walk.
      if (isHalfNumber(op->getContext(), castOp.getTo())) {
        roundings.push_back(castOp);
        return WalkResult::advance();
      }
      // A Cast to f64 in a double model casts to f32.
      Type to = intr::onnxDataType(op->getContext(), castOp.getTo());
      if (to && converted(to))
        castOp.setToAttr(builder.getIntegerAttr(
            builder.getIntegerType(64, /*isSigned=*/true), f32Number));
    } else if (auto norm = dyn_cast<LayerNormalizationOp>(op)) {
      Type stash = intr::onnxDataType(op->getContext(), norm.getStashType());
      if (stash && converted(stash))
        norm.setStashTypeAttr(builder.getIntegerAttr(
            builder.getIntegerType(64, /*isSigned=*/true), f32Number));
    } else if (auto fill = dyn_cast<ConstantOfShapeOp>(op)) {
      if (fill.getValue() && converted(fill.getValue()->getElementType())) {
        ElementsAttr value = widened(*fill.getValue(), converted);
        if (!value)
          return fill.emitOpError("has a half value that cannot be read");
        fill.setValueAttr(value);
      }
    }
    for (OpResult result : op->getResults())
      result.setType(promoted(result.getType(), converted));
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

  // An f64 op of an f32 model that no kernel computes in f64 computes in f32:
  // its f64 operands cast to f32, its f64 results cast back.
  SmallVector<Operation *> narrowedOps;
  func.walk([&](Operation *op) {
    if (op->hasTrait<intr::onnx::OpTrait::F32Kernels>() &&
        (llvm::any_of(op->getOperandTypes(), isF64Tensor) ||
         llvm::any_of(op->getResultTypes(), isF64Tensor)))
      narrowedOps.push_back(op);
  });
  if (!narrowedOps.empty())
    narrowedOps.front()->emitRemark()
        << narrowedOps.size()
        << " f64 op(s) compute in f32, as their kernels do (this one first)";
  for (Operation *op : narrowedOps) {
    builder.setInsertionPoint(op);
    for (OpOperand &operand : op->getOpOperands())
      if (isF64Tensor(operand.get().getType()))
        operand.set(intr::createCast(builder, op->getLoc(), operand.get(),
                                     builder.getF32Type()));
    builder.setInsertionPointAfter(op);
    for (OpResult result : op->getResults()) {
      if (!isF64Tensor(result.getType()))
        continue;
      result.setType(
          cast<TensorType>(result.getType()).clone(builder.getF32Type()));
      Value wide =
          intr::createCast(builder, op->getLoc(), result, builder.getF64Type());
      result.replaceAllUsesExcept(wide, wide.getDefiningOp());
    }
  }

  // Converted arguments are cast to f32 where the body starts...
  builder.setInsertionPointToStart(&body);
  for (BlockArgument argument : body.getArguments()) {
    Type wide = promoted(argument.getType(), converted);
    if (wide == argument.getType())
      continue;
    Value cast = intr::createCast(builder, argument.getLoc(), argument,
                                  builder.getF32Type());
    argument.replaceAllUsesExcept(cast, cast.getDefiningOp());
  }

  // ... and converted results cast back where it returns.
  Operation *terminator = body.getTerminator();
  builder.setInsertionPoint(terminator);
  ArrayRef<Type> results = func.getFunctionType().getResults();
  for (auto [index, resultType] : llvm::enumerate(results)) {
    auto tensor = dyn_cast<TensorType>(resultType);
    Value value = terminator->getOperand(index);
    if (!tensor || !converted(tensor.getElementType()) ||
        value.getType() == resultType)
      continue;
    Value narrowed = intr::createCast(builder, value.getLoc(), value,
                                      cast<FloatType>(tensor.getElementType()));
    terminator->setOperand(index, narrowed);
  }
}

} // namespace
