//===- Pipeline.cpp - --intr-optimize -------------------------------------===//

#include "intr/Dialect/INTR/Transforms/Passes.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

void intr::buildINTROptimizePipeline(OpPassManager &pm,
                                     const INTROptimizeOptions &options) {
  OpPassManager &func = pm.nest<func::FuncOp>();
  // Raising leaves each layer its own copy of the memory's layout change:
  // merge them so that the layers are seen to share one memory.
  func.addPass(createCSEPass());
  // Every class attention over the shared memory, its maps read or not, so
  // that one linear projects the memory for all of them; a class attention
  // left over whose maps nobody reads becomes an mha.
  func.addPass(createINTRHoistMemoryProjectionsPass());
  func.addPass(createINTRDropUnusedMapsPass());
  func.addPass(createINTRFoldZeroTargetPass());
  func.addPass(createINTRFuseAddsIntoLayerNormPass());
  func.addPass(createINTRSequenceFirstAttentionPass());
  if (options.foldPositional)
    func.addPass(createINTRFoldPositionalProjectionsPass());
  func.addPass(createCanonicalizerPass());
  func.addPass(createCSEPass());
}

void intr::registerINTROptimizePipeline() {
  PassPipelineRegistration<INTROptimizeOptions>(
      "intr-optimize",
      "The INTR optimizations after raising: hoist the memory's key and "
      "value projections into one linear, make mha of the class attentions "
      "left whose maps nobody reads, fold "
      "attention over zero values and ops of constants, fuse the adds around "
      "layer norms into them, let mha read sequence-first tensors, fold "
      "constant positional embeddings into the projections' biases (one "
      "projection of Q, K and V per self-attention), "
      "canonicalize, cse",
      [](OpPassManager &pm, const INTROptimizeOptions &options) {
        buildINTROptimizePipeline(pm, options);
      });
}
