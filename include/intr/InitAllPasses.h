//===- InitAllPasses.h - Register every pass intr-opt offers ----*- C++ -*-===//

#ifndef INTR_INITALLPASSES_H
#define INTR_INITALLPASSES_H

#include "mlir/Transforms/Passes.h"

namespace intr {

/// The upstream passes our pipelines use (canonicalize, cse, inline, ...);
/// our own pass groups join here as they are written.
inline void registerAllPasses() { mlir::registerTransformsPasses(); }

} // namespace intr

#endif // INTR_INITALLPASSES_H
