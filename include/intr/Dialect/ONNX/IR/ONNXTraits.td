//===- ONNXTraits.td - Traits of onnx ops ------------------*- tablegen -*-===//
//
// The op traits that onnx-dialect passes read (ONNXTraits.h), apart from
// the dialect so that the intr dialect's ops can carry them too.
//
//===----------------------------------------------------------------------===//

#ifndef INTR_DIALECT_ONNX_IR_ONNXTRAITS_TD
#define INTR_DIALECT_ONNX_IR_ONNXTRAITS_TD

include "mlir/IR/OpBase.td"

/// Marks the composite ops: compositions of other ops, which no kernel runs
/// and `onnx-decompose` expands (intr::onnx::OpTrait::Composite).
def ONNX_Composite : NativeOpTrait<"Composite"> {
  let cppNamespace = "::intr::onnx::OpTrait";
}

/// Marks the ops whose kernels compute in f32 (and, raised, in f16 or
/// bf16) but not in f64: `onnx-compute-in-f32` computes an f64 one in f32
/// between casts (intr::onnx::OpTrait::F32Kernels).
def ONNX_F32Kernels : NativeOpTrait<"F32Kernels"> {
  let cppNamespace = "::intr::onnx::OpTrait";
}

/// Marks the elementwise ops: each result element comes from the operands'
/// elements at its index under numpy broadcasting, so an op computes alike
/// whatever order its operands' axes are in, as long as all of them are in
/// it (intr::onnx::OpTrait::Elementwise).
def ONNX_Elementwise : NativeOpTrait<"Elementwise"> {
  let cppNamespace = "::intr::onnx::OpTrait";
}

#endif // INTR_DIALECT_ONNX_IR_ONNXTRAITS_TD
