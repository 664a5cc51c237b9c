//===- HalfAttentionMaps.cpp - Return the attention maps in f16 -----------===//

#include "intr/Dialect/INTR/Transforms/Passes.h"

#include "AttentionMapResults.h"

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
    AttentionMapResults maps = findAttentionMapResults(func);
    for (std::optional<unsigned> index : {maps.perHead, maps.mean}) {
      if (!index)
        continue;
      Value map = returnOp.getOperand(*index);
      auto type = dyn_cast<RankedTensorType>(map.getType());
      if (!type || !type.getElementType().isF32())
        continue;
      returnOp.setOperand(
          *index, createCast(builder, map.getLoc(), map, builder.getF16Type()));
    }
    func.setType(builder.getFunctionType(func.getArgumentTypes(),
                                         returnOp.getOperandTypes()));
  }
};

} // namespace
