//===- InferShapes.cpp - Refine onnx result types -------------------------===//

#include "intr/Dialect/ONNX/Transforms/Passes.h"

#include "intr/Dialect/ONNX/IR/ONNXOps.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"

namespace intr::onnx {
#define GEN_PASS_DEF_ONNXINFERSHAPESPASS
#include "intr/Dialect/ONNX/Transforms/Passes.h.inc"
} // namespace intr::onnx

using namespace mlir;
using namespace intr::onnx;

/// The more precise of two compatible types: a rank beats none, a size beats
/// a dynamic one. Null when they disagree.
static Type refine(Type current, Type inferred) {
  auto currentType = dyn_cast<TensorType>(current);
  auto inferredType = dyn_cast<TensorType>(inferred);
  if (!currentType || !inferredType ||
      currentType.getElementType() != inferredType.getElementType())
    return nullptr;
  if (!inferredType.hasRank())
    return current;
  if (!currentType.hasRank())
    return inferred;
  if (currentType.getRank() != inferredType.getRank())
    return nullptr;
  SmallVector<int64_t> shape;
  for (auto [a, b] :
       llvm::zip(currentType.getShape(), inferredType.getShape())) {
    if (!ShapedType::isDynamic(a) && !ShapedType::isDynamic(b) && a != b)
      return nullptr;
    shape.push_back(ShapedType::isDynamic(a) ? b : a);
  }
  return RankedTensorType::get(shape, currentType.getElementType());
}

namespace {
struct ONNXInferShapesPass
    : public intr::onnx::impl::ONNXInferShapesPassBase<ONNXInferShapesPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    // Producers come before users in a block, so one walk in order sees
    // every operand's refined type before inferring from it.
    func.walk([](Operation *op) {
      auto inferable = dyn_cast<InferTypeOpInterface>(op);
      if (!inferable || !isa<ONNXDialect>(op->getDialect()))
        return;
      SmallVector<Type> inferred;
      if (failed(inferResultTypes(inferable, inferred)))
        return;
      for (auto [result, type] : llvm::zip(op->getResults(), inferred))
        if (Type refined = refine(result.getType(), type))
          result.setType(refined);
    });

    // The function returns what its body now produces.
    Operation *terminator = func.getBody().back().getTerminator();
    func.setType(FunctionType::get(func.getContext(), func.getArgumentTypes(),
                                   terminator->getOperandTypes()));
  }
};
} // namespace
