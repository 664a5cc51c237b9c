//===- Pipeline.cpp - --intr-optimize -------------------------------------===//

#include "intr/Dialect/INTR/Transforms/Passes.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

void intr::buildINTROptimizePipeline(OpPassManager &pm) {
  OpPassManager &func = pm.nest<func::FuncOp>();
  func.addPass(createINTRFoldZeroTargetPass());
  func.addPass(createINTRDropUnusedMapsPass());
  func.addPass(createINTRFuseResidualIntoLayerNormPass());
  func.addPass(createCanonicalizerPass());
  func.addPass(createCSEPass());
}

void intr::registerINTROptimizePipeline() {
  PassPipelineRegistration<>(
      "intr-optimize",
      "The INTR optimizations after raising: fold attention over zero "
      "values, drop maps nobody reads, fuse residual adds into layer norms, "
      "canonicalize, cse",
      buildINTROptimizePipeline);
}
