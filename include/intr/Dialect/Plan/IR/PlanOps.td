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


def Plan_ConstantOp : Plan_Op<"constant", [Pure]> {
  let summary = "a constant tensor of the weight blob";
  let description = [{
    Weights and other constants. The serializer places each distinct value
    once in the executable's weight blob, at a 256-byte aligned offset.

    ```mlir
    %w = plan.constant dense_resource<conv1_weight> : memref<64x3x7x7xf32>
    ```
  }];
  let arguments = (ins ElementsAttr:$value);
  let results = (outs AnyStaticShapeMemRef:$buffer);
  let assemblyFormat = "$value attr-dict `:` type($buffer)";
  let hasVerifier = 1;
}

def Plan_NoneOp : Plan_Op<"none", [Pure]> {
  let summary = "an omitted optional operand of a step";
  let description = [{
    Stands in a step's inputs for an optional operand that the op did not
    get (an ONNX op's empty input), so that inputs keep their positions.

    ```mlir
    %none = plan.none
    ```
  }];
  let results = (outs NoneType:$none);
  let assemblyFormat = "attr-dict";
}

def Plan_InputOp : Plan_Op<"input"> {
  let summary = "binds a model input to its buffer";
  let description = [{
    The session copies the input called `name` into `buffer` before the
    first step runs.

    ```mlir
    plan.input "image" %0 : memref<1x3x800x1216xf32>
    ```
  }];
  let arguments = (ins StrAttr:$name, AnyStaticShapeMemRef:$buffer);
  let assemblyFormat = "$name $buffer attr-dict `:` type($buffer)";
}

def Plan_OutputOp : Plan_Op<"output"> {
  let summary = "binds a model output to its buffer";
  let description = [{
    After the last step, `buffer` holds the output called `name`.

    ```mlir
    plan.output "logits" %42 : memref<1x200xf32>
    ```
  }];
  let arguments = (ins StrAttr:$name, AnyStaticShapeMemRef:$buffer);
  let assemblyFormat = "$name $buffer attr-dict `:` type($buffer)";
}

def Plan_StepOp : Plan_Op<"step", [AttrSizedOperandSegments]> {
  let summary = "one kernel call";
  let description = [{
    Runs the kernel called `kernel` (the name of the op it came from) on
    `inputs`, writing `outputs`. Inputs are buffers, constants or
    `plan.none`; outputs are buffers, or `plan.none` for an optional
    result that nobody reads (a class attention's maps: the kernel then
    does not store them). `params` are the op's attributes, defaults
    included, as the kernel reads them.

    ```mlir
    plan.step "intr.conv2d" ins(%x, %w, %b : memref<1x3x8x8xf32>,
        memref<4x3x3x3xf32>, memref<4xf32>)
        outs(%y : memref<1x4x8x8xf32>)
        params {activation = "relu", padding = array<i64: 1, 1, 1, 1>}
    ```
  }];
  let arguments = (ins
    StrAttr:$kernel,
    Variadic<AnyTypeOf<[AnyStaticShapeMemRef, NoneType]>>:$inputs,
    Variadic<AnyTypeOf<[AnyStaticShapeMemRef, NoneType]>>:$outputs,
    DictionaryAttr:$params
  );
  let assemblyFormat = [{
    $kernel (`ins` `(` $inputs^ `:` type($inputs) `)`)?
    `outs` `(` $outputs `:` type($outputs) `)`
    `params` $params attr-dict
  }];
}

#endif // INTR_DIALECT_PLAN_IR_PLANOPS_TD
