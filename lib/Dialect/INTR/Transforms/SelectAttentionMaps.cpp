//===- SelectAttentionMaps.cpp - Return only the maps asked for -----------===//

#include "intr/Dialect/INTR/Transforms/Passes.h"

#include "intr/Dialect/ONNX/IR/ONNXConstants.h"
#include "intr/Dialect/ONNX/IR/ONNXOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "llvm/ADT/BitVector.h"

namespace intr {
#define GEN_PASS_DEF_INTRSELECTATTENTIONMAPSPASS
#include "intr/Dialect/INTR/Transforms/Passes.h.inc"
} // namespace intr

using namespace mlir;
using namespace intr;

namespace {

/// `maps` with its leading (layer) axis cut to the last layer, [1, ...];
/// `maps` itself when it holds one layer or its layer count is unknown.
Value lastLayerOf(OpBuilder &builder, Location loc, Value maps) {
  auto type = dyn_cast<RankedTensorType>(maps.getType());
  if (!type || type.getRank() == 0 || type.isDynamicDim(0) ||
      type.getDimSize(0) <= 1)
    return maps;
  int64_t layers = type.getDimSize(0);
  Value start = createI64Constant(builder, loc, {layers - 1});
  Value end = createI64Constant(builder, loc, {layers});
  Value axis = createI64Constant(builder, loc, {0});
  Value none = builder.create<onnx::NoValueOp>(loc);
  return builder.create<onnx::SliceOp>(loc, maps, start, end, axis, none);
}

struct INTRSelectAttentionMapsPass
    : public intr::impl::INTRSelectAttentionMapsPassBase<
          INTRSelectAttentionMapsPass> {
  using Base::Base;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    auto returnOp = cast<func::ReturnOp>(func.getBody().back().getTerminator());
    OpBuilder builder(returnOp);
    llvm::BitVector dropped(func.getNumResults());
    for (unsigned i = 0; i < func.getNumResults(); ++i) {
      auto name = func.getResultAttrOfType<StringAttr>(i, "onnx.name");
      if (!name)
        continue;
      if (headMean && name.getValue() == "attention") {
        dropped.set(i);
      } else if (lastLayer && (name.getValue() == "attention" ||
                               name.getValue() == "avg_attention")) {
        // The layer axis stays, of size 1: readers index the maps as
        // before.
        returnOp.setOperand(
            i, lastLayerOf(builder, returnOp.getLoc(), returnOp.getOperand(i)));
      }
    }
    returnOp->eraseOperands(dropped);
    func.eraseResults(dropped);
    func.setType(builder.getFunctionType(func.getArgumentTypes(),
                                         returnOp.getOperandTypes()));
  }
};

} // namespace
