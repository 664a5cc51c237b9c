//===- SizeAgreement.h - Comparing sizes that may be dynamic ----*- C++ -*-===//
//
// How the INTR ops' verifiers and type inference compare sizes, any of which
// may be dynamic: a dynamic size agrees with every size, and inference keeps
// the known one. Private to lib/Dialect/INTR/IR.
//
//===----------------------------------------------------------------------===//

#ifndef INTR_LIB_DIALECT_INTR_IR_SIZEAGREEMENT_H
#define INTR_LIB_DIALECT_INTR_IR_SIZEAGREEMENT_H

#include "mlir/IR/BuiltinTypeInterfaces.h"
#include "llvm/ADT/STLExtras.h"

#include <cstdint>
#include <initializer_list>

namespace intr::detail {

inline constexpr int64_t kDynamic = mlir::ShapedType::kDynamic;

inline bool isKnown(int64_t size) { return !mlir::ShapedType::isDynamic(size); }

/// Two sizes agree unless both are known and differ.
inline bool sizesAgree(int64_t a, int64_t b) {
  return !isKnown(a) || !isKnown(b) || a == b;
}

/// The size two sizes agree on, or dynamic when both are unknown or differ.
inline int64_t agreedSize(int64_t a, int64_t b) {
  if (!isKnown(a))
    return b;
  if (!isKnown(b) || a == b)
    return a;
  return kDynamic;
}

/// Size `index` of `shape`, or dynamic when the shape is too short (an
/// operand whose shape inference could not read).
inline int64_t sizeAt(llvm::ArrayRef<int64_t> shape, size_t index) {
  return index < shape.size() ? shape[index] : kDynamic;
}

/// The first known size of the list, or dynamic.
inline int64_t firstKnown(std::initializer_list<int64_t> sizes) {
  for (int64_t size : sizes)
    if (isKnown(size))
      return size;
  return kDynamic;
}

/// Two shapes agree if they have the same rank and their sizes agree.
inline bool shapesAgree(llvm::ArrayRef<int64_t> a, llvm::ArrayRef<int64_t> b) {
  return a.size() == b.size() && llvm::all_of(llvm::zip(a, b), [](auto pair) {
           return sizesAgree(std::get<0>(pair), std::get<1>(pair));
         });
}

} // namespace intr::detail

#endif // INTR_LIB_DIALECT_INTR_IR_SIZEAGREEMENT_H
