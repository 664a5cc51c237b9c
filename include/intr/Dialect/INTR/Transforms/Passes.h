//===- Passes.h - Optimizations of the intr dialect -------------*- C++ -*-===//

#ifndef INTR_DIALECT_INTR_TRANSFORMS_PASSES_H
#define INTR_DIALECT_INTR_TRANSFORMS_PASSES_H

#include "intr/Dialect/INTR/IR/INTRDialect.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassOptions.h"

namespace intr {

#define GEN_PASS_DECL
#include "intr/Dialect/INTR/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "intr/Dialect/INTR/Transforms/Passes.h.inc"

/// The options of --intr-optimize.
struct INTROptimizeOptions
    : public mlir::PassPipelineOptions<INTROptimizeOptions> {
  Option<bool> foldPositional{
      *this, "fold-positional",
      llvm::cl::desc("Fold constant positional embeddings into the "
                     "projections' biases (intr-fold-positional-projections)"),
      llvm::cl::init(true)};
};

/// Adds the INTR optimizations, in order, to `pm` (nested on functions).
void buildINTROptimizePipeline(mlir::OpPassManager &pm,
                               const INTROptimizeOptions &options = {});

/// Registers --intr-optimize, the pipeline above.
void registerINTROptimizePipeline();

} // namespace intr

#endif // INTR_DIALECT_INTR_TRANSFORMS_PASSES_H
