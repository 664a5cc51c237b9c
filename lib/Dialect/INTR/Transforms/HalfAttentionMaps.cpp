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
      // A double model's maps come back through a Cast from f32
      // (onnx-compute-in-f32): the f32 maps are the ones to store in f16.
      if (auto cast = map.getDefiningOp<onnx::CastOp>())
        if (getElementTypeOrSelf(map.getType()).isF64() &&
            getElementTypeOrSelf(cast.getInput().getType()).isF32())
          map = cast.getInput();
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
