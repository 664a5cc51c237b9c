//===- FormatShape.h - Shapes in messages -----------------------*- C++ -*-===//

#ifndef INTR_SUPPORT_FORMATSHAPE_H
#define INTR_SUPPORT_FORMATSHAPE_H

#include "mlir/IR/BuiltinTypeInterfaces.h"
#include "llvm/ADT/ArrayRef.h"

#include <string>

namespace intr {

/// "[1, 3, 800, 1216]", with "?" for a dynamic size: how every diagnostic of
/// the compiler prints a shape or a list of sizes.
inline std::string formatShape(llvm::ArrayRef<int64_t> shape) {
  std::string text = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i)
      text += ", ";
    text += mlir::ShapedType::isDynamic(shape[i]) ? std::string("?")
                                                  : std::to_string(shape[i]);
  }
  return text + "]";
}

} // namespace intr

#endif // INTR_SUPPORT_FORMATSHAPE_H
