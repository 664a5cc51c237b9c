//===- PlanDialect.td - The plan dialect -------------------*- tablegen -*-===//
//
// The plan dialect is the executable's level: kernel steps over buffers that
// live at planned offsets of one arena.
//
//===----------------------------------------------------------------------===//

#ifndef INTR_DIALECT_PLAN_IR_PLANDIALECT_TD
#define INTR_DIALECT_PLAN_IR_PLANDIALECT_TD

include "mlir/IR/OpBase.td"

def Plan_Dialect : Dialect {
  let name = "plan";
  let summary = "Kernel steps over buffers planned in one arena";
  let description = [{
    The last level before the `.intrx` executable. Every intermediate tensor
    is a buffer at a byte offset of a single arena that the runtime allocates
    once per session; offsets come from a liveness analysis, so buffers whose
    lifetimes do not overlap share memory. Offsets are aligned to 256 bytes,
    the alignment that cuBLASLt, cuDNN and vectorized CPU kernels want.
  }];
  let cppNamespace = "::intr::plan";
}

class Plan_Op<string mnemonic, list<Trait> traits = []>
    : Op<Plan_Dialect, mnemonic, traits>;

#endif // INTR_DIALECT_PLAN_IR_PLANDIALECT_TD
