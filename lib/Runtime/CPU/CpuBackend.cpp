//===- CpuBackend.cpp - Runs a plan's steps on the host -------------------===//
//
// The arena is one 256-byte aligned allocation; every step's tensors are
// resolved to pointers into it or into the mapped weights once, when the
// session is created, so a run is a loop of kernel calls.
//
//===----------------------------------------------------------------------===//

#include "../SessionBackend.h"
#include "Kernel.h"

#include <chrono>
#include <cstdlib>
#include <cstring>

namespace intr {
namespace {

struct BoundStep {
  cpu::Kernel kernel;
  std::vector<cpu::TensorArg> inputs, outputs;
  cpu::StepCache cache;
};

class CpuBackend final : public Session::Backend {
public:
  CpuBackend(Executable executable, int threads)
      : exe(std::move(executable)), threads(threads) {}
  ~CpuBackend() override { std::free(allocation); }

  Status bind();
  // A CPU run finishes inside start(); finish() reports it and copies the
  // outputs, which stay in the arena until the next start.
  Status start(const std::vector<TensorView> *inputs,
               const RunOptions &options) override {
    copyOutputs = options.copyOutputs;
    result = run(inputs, options.profile);
    return Status::ok();
  }
  Status finish(Outputs &outputs) override;
  std::vector<double> stepMilliseconds() const override { return stepTimes; }
  void *address(int32_t index) override {
    return arena + exe.impl().tensors[index].offset;
  }
  // The weights stay in the mapped file; what the kernels derive from them
  // (StepCache, filled by the first run) is the session's.
  uint64_t memoryBytes() const override {
    uint64_t bytes = exe.impl().arenaSize;
    for (const BoundStep &step : steps)
      bytes += step.cache.sizeInBytes();
    return bytes;
  }

private:
  cpu::TensorArg argFor(int32_t index) const;
  Status run(const std::vector<TensorView> *inputs, bool profile);

  Executable exe;
  int threads;
  void *allocation = nullptr;
  std::byte *arena = nullptr; // allocation, rounded up to 256 bytes
  std::vector<BoundStep> steps;
  Status result = Status::ok();
  bool copyOutputs = true;
  std::vector<double> stepTimes;
};

cpu::TensorArg CpuBackend::argFor(int32_t index) const {
  if (index < 0)
    return {};
  const PlannedTensor &tensor = exe.impl().tensors[index];
  // Weights are never written: kernels take them through const views.
  std::byte *base = tensor.isWeight
                        ? const_cast<std::byte *>(exe.impl().weights)
                        : arena;
  return {base + tensor.offset, tensor.dtype, tensor.shape, tensor.isWeight};
}

Status CpuBackend::bind() {
  const Executable::Impl &plan = exe.impl();
  // calloc: zeroed pages on demand, and a clean failure when a (corrupt)
  // executable asks for more memory than the machine will give.
  uint64_t bytes = plan.arenaSize + 256;
  allocation = std::calloc(1, bytes);
  if (!allocation)
    return Error(plan.source + ": cannot allocate the arena of " +
                 std::to_string(plan.arenaSize) + " bytes");
  auto address = reinterpret_cast<uintptr_t>(allocation);
  arena = reinterpret_cast<std::byte *>((address + 255) / 256 * 256);
  const cpu::KernelRegistry &registry = cpu::KernelRegistry::cpu();
  for (size_t index = 0; index < plan.steps.size(); ++index) {
    const PlannedStep &step = plan.steps[index];
    BoundStep bound{registry.find(step.kernel), {}, {}, {}};
    if (!bound.kernel)
      return Error(plan.source + ": " + step.describe(index) +
                   ": the CPU backend has no kernel for " + step.kernel);
    for (int32_t input : step.inputs)
      bound.inputs.push_back(argFor(input));
    for (int32_t output : step.outputs)
      bound.outputs.push_back(argFor(output));
    steps.push_back(std::move(bound));
  }
  return Status::ok();
}

Status CpuBackend::run(const std::vector<TensorView> *inputs, bool profile) {
  const Executable::Impl &plan = exe.impl();
  for (size_t i = 0; inputs && i < inputs->size(); ++i) {
    const PlannedTensor &tensor = plan.tensors[plan.inputBindings[i].tensor];
    if (tensor.size)
      std::memcpy(arena + tensor.offset, (*inputs)[i].data, tensor.size);
  }
  if (profile)
    stepTimes.assign(steps.size(), 0.0);
  for (size_t index = 0; index < steps.size(); ++index) {
    BoundStep &step = steps[index];
    cpu::KernelArgs args{step.inputs, step.outputs, plan.steps[index].attrs,
                         threads, &step.cache};
    auto began = profile ? std::chrono::steady_clock::now()
                         : std::chrono::steady_clock::time_point();
    if (Status status = step.kernel(args); !status)
      return Error(plan.steps[index].describe(index) + ": " +
                   status.error().message());
    if (profile)
      stepTimes[index] = std::chrono::duration<double, std::milli>(
                             std::chrono::steady_clock::now() - began)
                             .count();
  }
  return Status::ok();
}

Status CpuBackend::finish(Outputs &outputs) {
  Status done = result;
  result = Error("no run was started");
  if (!done || !copyOutputs)
    return done;
  const Executable::Impl &plan = exe.impl();
  for (const Binding &binding : plan.outputBindings) {
    const PlannedTensor &tensor = plan.tensors[binding.tensor];
    Tensor &out = outputs.reuse(binding.info.name, binding.info.role,
                                tensor.dtype, tensor.shape);
    if (tensor.size)
      std::memcpy(out.rawData(), arena + tensor.offset, tensor.size);
  }
  return Status::ok();
}

} // namespace

Expected<std::unique_ptr<Session::Backend>>
createCpuBackend(const Executable &executable, int threads) {
  auto backend = std::make_unique<CpuBackend>(executable, threads);
  if (Status status = backend->bind(); !status)
    return status.error();
  return std::unique_ptr<Session::Backend>(std::move(backend));
}

} // namespace intr
