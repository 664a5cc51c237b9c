//===- AttentionMapResults.h - Where the maps are returned ------*- C++ -*-===//
//
// The passes that choose which attention maps a model returns and how
// (intr-select-attention-maps, intr-half-attention-maps) find them by the
// results' ONNX names, as the executable's roles do.
//
//===----------------------------------------------------------------------===//

#ifndef INTR_LIB_DIALECT_INTR_TRANSFORMS_ATTENTIONMAPRESULTS_H
#define INTR_LIB_DIALECT_INTR_TRANSFORMS_ATTENTIONMAPRESULTS_H

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <optional>

namespace intr {

/// The indices of a function's results named "attention" (every head's
/// maps) and "avg_attention" (their head mean), where there are such.
struct AttentionMapResults {
  std::optional<unsigned> perHead, mean;
};

inline AttentionMapResults findAttentionMapResults(mlir::func::FuncOp func) {
  AttentionMapResults maps;
  for (unsigned i = 0; i < func.getNumResults(); ++i) {
    auto name = func.getResultAttrOfType<mlir::StringAttr>(i, "onnx.name");
    if (name && name.getValue() == "attention")
      maps.perHead = i;
    else if (name && name.getValue() == "avg_attention")
      maps.mean = i;
  }
  return maps;
}

} // namespace intr

#endif // INTR_LIB_DIALECT_INTR_TRANSFORMS_ATTENTIONMAPRESULTS_H
