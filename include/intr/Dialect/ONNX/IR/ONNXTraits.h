//===- ONNXTraits.h - Traits of onnx ops ------------------------*- C++ -*-===//
//
// The op traits that onnx-dialect passes read, apart from the ops so that
// the intr dialect's ops can carry them too (intr.fake_quantize is
// elementwise).
//
//===----------------------------------------------------------------------===//

#ifndef INTR_DIALECT_ONNX_IR_ONNXTRAITS_H
#define INTR_DIALECT_ONNX_IR_ONNXTRAITS_H

#include "mlir/IR/OpDefinition.h"

namespace intr::onnx::OpTrait {
/// A composite op (ODS trait ONNX_Composite): `onnx-decompose` expands it
/// into the ops it is made of, and no kernel runs it.
template <typename ConcreteType>
class Composite : public mlir::OpTrait::TraitBase<ConcreteType, Composite> {};

/// An op whose kernels compute in f32 but not in f64 (ODS trait
/// ONNX_F32Kernels): `onnx-compute-in-f32` computes an f64 one in f32.
template <typename ConcreteType>
class F32Kernels : public mlir::OpTrait::TraitBase<ConcreteType, F32Kernels> {};

/// An elementwise op with numpy broadcasting (ODS trait ONNX_Elementwise):
/// it computes alike in any one order of its operands' axes.
template <typename ConcreteType>
class Elementwise : public mlir::OpTrait::TraitBase<ConcreteType, Elementwise> {
};
} // namespace intr::onnx::OpTrait

#endif // INTR_DIALECT_ONNX_IR_ONNXTRAITS_H
