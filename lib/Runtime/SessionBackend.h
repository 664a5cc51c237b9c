//===- SessionBackend.h - What a device backend implements ------*- C++ -*-===//

#ifndef INTR_LIB_RUNTIME_SESSIONBACKEND_H
#define INTR_LIB_RUNTIME_SESSIONBACKEND_H

#include "ExecutableImpl.h"
#include "intr/runtime/Session.h"

namespace intr {

/// A session's device side. Session::run checks the inputs' names, dtypes
/// and shapes before it calls run(), so a backend sees exactly one view per
/// input binding, in binding order.
class Session::Backend {
public:
  virtual ~Backend() = default;
  virtual Expected<Outputs> run(const std::vector<TensorView> &inputs) = 0;
};

/// The CPU backend; fails when a step has no CPU kernel.
Expected<std::unique_ptr<Session::Backend>>
createCpuBackend(const Executable &executable, int threads);

} // namespace intr

#endif // INTR_LIB_RUNTIME_SESSIONBACKEND_H
