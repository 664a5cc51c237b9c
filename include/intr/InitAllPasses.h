//===- InitAllPasses.h - Register every pass intr-opt offers ----*- C++ -*-===//

#ifndef INTR_INITALLPASSES_H
#define INTR_INITALLPASSES_H

#include "intr/Conversion/Passes.h"
#include "intr/Dialect/INTR/Transforms/Passes.h"
#include "intr/Dialect/ONNX/Transforms/Passes.h"
#include "mlir/Transforms/Passes.h"

namespace intr {

/// Our passes and the upstream ones our pipelines use (canonicalize, cse).
inline void registerAllPasses() {
  mlir::registerTransformsPasses();
  intr::onnx::registerONNXPasses();
  intr::registerConversionPasses();
  intr::registerINTRPasses();
  intr::registerINTROptimizePipeline();
}

} // namespace intr

#endif // INTR_INITALLPASSES_H
