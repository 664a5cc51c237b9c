//===- Runtime.h - The INTR runtime API -------------------------*- C++ -*-===//
//
// The one header an application includes to run compiled INTR models. It
// depends on the C++ standard library only: no MLIR, LLVM, ONNX or CUDA types.
//
//===----------------------------------------------------------------------===//

#ifndef INTR_RUNTIME_RUNTIME_H
#define INTR_RUNTIME_RUNTIME_H

#include "intr/runtime/Device.h"
#include "intr/runtime/Error.h"
#include "intr/runtime/Executable.h"
#include "intr/runtime/Image.h"
#include "intr/runtime/Npy.h"
#include "intr/runtime/Session.h"
#include "intr/runtime/Tensor.h"

#endif // INTR_RUNTIME_RUNTIME_H
