//===- SessionBackend.h - What a device backend implements ------*- C++ -*-===//

#ifndef INTR_LIB_RUNTIME_SESSIONBACKEND_H
#define INTR_LIB_RUNTIME_SESSIONBACKEND_H

#include "ExecutableImpl.h"
#include "intr/runtime/Session.h"

namespace intr {

/// A session's device side. Session checks the inputs' names, dtypes and
/// shapes and the start/finish order, so a backend sees exactly one view per
/// input binding, in binding order, and never two starts in a row.
class Session::Backend {
public:
  virtual ~Backend() = default;
  /// Copies `inputs` into the arena (none: they are already there) and
  /// starts the steps.
  virtual Status start(const std::vector<TensorView> *inputs,
                       const RunOptions &options) = 0;
  /// Waits for the started run and, if it was asked to, copies the outputs
  /// (Outputs::reuse).
  virtual Status finish(Outputs &outputs) = 0;
  /// Each step's milliseconds in the last profiled run.
  virtual std::vector<double> stepMilliseconds() const = 0;
  /// Each step's device operations in the last profiled run (see
  /// StepTime::operations): one list per step, or none.
  virtual std::vector<std::vector<OperationTime>> stepOperations() const {
    return {};
  }
  /// Where planned tensor `index` (an input or output) lives.
  virtual void *address(int32_t index) = 0;
  /// See Session::memoryBytes.
  virtual uint64_t memoryBytes() const = 0;
};

/// The CPU backend; fails when a step has no CPU kernel.
Expected<std::unique_ptr<Session::Backend>>
createCpuBackend(const Executable &executable, int threads);

/// The CUDA backend; fails when the device cannot be used or a step has no
/// CUDA kernel. Built only with INTR_ENABLE_CUDA.
Expected<std::unique_ptr<Session::Backend>>
createCudaBackend(const Executable &executable, int device);

} // namespace intr

#endif // INTR_LIB_RUNTIME_SESSIONBACKEND_H
