//===- LastAttentionLayer.cpp - Return the last layer's attention maps ----===//

#include "intr/Dialect/INTR/Transforms/Passes.h"

#include "intr/Dialect/ONNX/IR/ONNXConstants.h"
#include "intr/Dialect/ONNX/IR/ONNXOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"

namespace intr {
#define GEN_PASS_DEF_INTRLASTATTENTIONLAYERPASS
#include "intr/Dialect/INTR/Transforms/Passes.h.inc"
} // namespace intr

using namespace mlir;
using namespace intr;

namespace {

struct INTRLastAttentionLayerPass
    : public intr::impl::INTRLastAttentionLayerPassBase<
          INTRLastAttentionLayerPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    auto returnOp = cast<func::ReturnOp>(func.getBody().back().getTerminator());
    OpBuilder builder(returnOp);
    SmallVector<Type> resultTypes(func.getFunctionType().getResults());
    for (unsigned i = 0; i < func.getNumResults(); ++i) {
      auto name = func.getResultAttrOfType<StringAttr>(i, "onnx.name");
      auto type = dyn_cast<RankedTensorType>(resultTypes[i]);
      if (!name ||
          (name.getValue() != "attention" &&
           name.getValue() != "avg_attention") ||
          !type || type.getRank() == 0 || type.isDynamicDim(0) ||
          type.getDimSize(0) <= 1)
        continue;
      // Layers [L - 1, L) along the leading axis: the layer axis stays, of
      // size 1, so that readers index the maps as before.
      Location loc = returnOp.getLoc();
      int64_t layers = type.getDimSize(0);
      Value start = createI64Constant(builder, loc, {layers - 1});
      Value end = createI64Constant(builder, loc, {layers});
      Value axis = createI64Constant(builder, loc, {0});
      Value none = builder.create<onnx::NoValueOp>(loc);
      Value last = builder.create<onnx::SliceOp>(loc, returnOp.getOperand(i),
                                                 start, end, axis, none);
      returnOp.setOperand(i, last);
      resultTypes[i] = last.getType();
    }
    func.setType(builder.getFunctionType(func.getArgumentTypes(), resultTypes));
  }
};

} // namespace
