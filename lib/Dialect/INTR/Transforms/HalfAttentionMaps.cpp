//===- HalfAttentionMaps.cpp - Return the attention maps in f16 -----------===//

#include "intr/Dialect/INTR/Transforms/Passes.h"

#include "intr/Dialect/ONNX/IR/ONNXConstants.h"
#include "intr/Dialect/ONNX/IR/ONNXOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"

namespace intr {
#define GEN_PASS_DEF_INTRHALFATTENTIONMAPSPASS
#include "intr/Dialect/INTR/Transforms/Passes.h.inc"
} // namespace intr

using namespace mlir;
using namespace intr;

namespace {

struct INTRHalfAttentionMapsPass
    : public intr::impl::INTRHalfAttentionMapsPassBase<
          INTRHalfAttentionMapsPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal())
      return;
    auto returnOp = cast<func::ReturnOp>(func.getBody().back().getTerminator());
    OpBuilder builder(returnOp);
    SmallVector<Type> resultTypes(func.getFunctionType().getResults());
    for (unsigned i = 0; i < func.getNumResults(); ++i) {
      auto name = func.getResultAttrOfType<StringAttr>(i, "onnx.name");
      auto type = dyn_cast<RankedTensorType>(resultTypes[i]);
      if (!name || (name.getValue() != "attention" &&
                    name.getValue() != "avg_attention") ||
          !type || !type.getElementType().isF32())
        continue;
      Value map = returnOp.getOperand(i);
      Value half =
          createFloatCast(builder, map.getLoc(), map, builder.getF16Type());
      returnOp.setOperand(i, half);
      resultTypes[i] = half.getType();
    }
    func.setType(builder.getFunctionType(func.getArgumentTypes(), resultTypes));
  }
};

} // namespace
