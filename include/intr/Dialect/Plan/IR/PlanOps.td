//===- PlanOps.td - Operations of the plan dialect ---------*- tablegen -*-===//

#ifndef INTR_DIALECT_PLAN_IR_PLANOPS_TD
#define INTR_DIALECT_PLAN_IR_PLANOPS_TD

include "intr/Dialect/Plan/IR/PlanDialect.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def Plan_BufferOp : Plan_Op<"buffer", [Pure]> {
  let summary = "a buffer at a planned offset of the arena";
  let description = [{
    A view of `size(type)` bytes of the session's arena, starting `offset`
    bytes from its base. The offset is a multiple of 256 and the memref has a
    static shape and the identity layout, so the buffer is one contiguous,
    aligned block.

    ```mlir
    %scores = plan.buffer offset(4096) : memref<8x200x950xf32>
    ```
  }];
  let arguments = (ins I64Attr:$offset);
  let results = (outs AnyStaticShapeMemRef:$buffer);
  let assemblyFormat = "`offset` `(` $offset `)` attr-dict `:` type($buffer)";
  let hasVerifier = 1;

  let extraClassDeclaration = [{
    /// The arena alignment every offset respects, in bytes.
    static constexpr int64_t kAlignment = 256;
    /// The buffer's size in bytes.
    int64_t getSizeInBytes();
  }];
}

#endif // INTR_DIALECT_PLAN_IR_PLANOPS_TD
