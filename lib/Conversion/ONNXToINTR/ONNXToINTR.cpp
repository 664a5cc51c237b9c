//===- ONNXToINTR.cpp - The raising passes --------------------------------===//

#include "intr/Conversion/ONNXToINTR.h"
#include "intr/Conversion/Passes.h"

#include "intr/Dialect/INTR/IR/INTROps.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/Support/raw_ostream.h"

namespace intr {
#define GEN_PASS_DEF_CONVERTONNXTOINTRPASS
#define GEN_PASS_DEF_INTRREPORTRAISINGPASS
#include "intr/Conversion/Passes.h.inc"
} // namespace intr

using namespace mlir;
using namespace intr;

namespace {

struct ConvertONNXToINTRPass
    : public intr::impl::ConvertONNXToINTRPassBase<ConvertONNXToINTRPass> {
  void runOnOperation() override {
    // Quantization round trips first, whole; then attention: the layer
    // patterns would turn its projections into intr.linear. Folding runs
    // with the patterns, so what a raise leaves behind (the exporter's
    // transposes of weights, dead chains) goes too.
    RewritePatternSet roundTrips(&getContext());
    populateONNXToINTRQuantizationPatterns(roundTrips);
    RewritePatternSet attention(&getContext());
    populateONNXToINTRAttentionPatterns(attention);
    RewritePatternSet layers(&getContext());
    populateONNXToINTRLayerPatterns(layers);
    if (failed(applyPatternsAndFoldGreedily(getOperation(),
                                            std::move(roundTrips))) ||
        failed(applyPatternsAndFoldGreedily(getOperation(),
                                            std::move(attention))) ||
        failed(applyPatternsAndFoldGreedily(getOperation(), std::move(layers))))
      return signalPassFailure();
  }
};

struct INTRReportRaisingPass
    : public intr::impl::INTRReportRaisingPassBase<INTRReportRaisingPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    llvm::MapVector<StringRef, unsigned> raised;
    SmallVector<std::pair<onnx::SoftmaxOp, std::string>> left;
    SmallVector<std::pair<onnx::MatMulOp, std::string>> leftMatMuls;
    func.walk([&](Operation *op) {
      if (isa<INTRDialect>(op->getDialect()))
        ++raised[op->getName().getStringRef()];
      else if (auto softmax = dyn_cast<onnx::SoftmaxOp>(op))
        left.push_back({softmax, explainAttentionMismatch(softmax)});
      else if (auto matmul = dyn_cast<onnx::MatMulOp>(op))
        leftMatMuls.push_back({matmul, explainLinearMismatch(matmul)});
    });
    llvm::raw_ostream &os = llvm::errs();
    os << "raising report for @" << func.getSymName() << ":\n";
    for (auto [name, count] : raised)
      os << "  " << name << ": " << count << "\n";
    if (raised.empty())
      os << "  nothing raised\n";
    os << "  onnx.MatMul left: " << leftMatMuls.size() << "\n";
    for (auto &[softmax, reason] : left)
      os << "  onnx.Softmax at " << softmax.getLoc() << " left: "
         << (reason.empty() ? "matches; run --convert-onnx-to-intr" : reason)
         << "\n";
    // Inside an attention left unraised, the MatMuls are products of
    // activations; its Softmax line says why the attention was left.
    for (auto &[matmul, reason] : leftMatMuls)
      os << "  onnx.MatMul at " << matmul.getLoc() << " left: "
         << (reason.empty() ? "matches; run --convert-onnx-to-intr" : reason)
         << "\n";
  }
};

} // namespace
