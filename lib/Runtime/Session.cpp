//===- Session.cpp - Running an executable --------------------------------===//

#include "SessionBackend.h"
#include "intr/runtime/Device.h"

#include <algorithm>
#include <cmath>
#include <new>

namespace intr {

namespace {

/// The threads of a CPU session on `device`: its count, or by default
/// defaultCpuThreads() (at most Device::kMaxCpuThreads).
int cpuThreadsOf(const Device &device) {
  return device.index > 0
             ? device.index
             : std::min(defaultCpuThreads(), Device::kMaxCpuThreads);
}

} // namespace

std::string Device::name() const {
  if (kind == Kind::CUDA)
    return "cuda:" + std::to_string(index);
  // The default says how many it stands for here; an invalid count is
  // named as given.
  const int threads = index < 0 ? index : cpuThreadsOf(*this);
  return "cpu (" + std::to_string(threads) +
         (threads == 1 ? " thread)" : " threads)");
}

Expected<Device> Device::parse(const std::string &text, int threads) {
  if (text == "cpu")
    return cpu(threads);
  if (text == "cuda")
    return cuda(0);
  if (text.rfind("cuda:", 0) == 0 && text.size() > 5 && text.size() < 9 &&
      text.find_first_not_of("0123456789", 5) == std::string::npos)
    return cuda(std::stoi(text.substr(5)));
  return Error("unknown device '" + text + "': expected cpu, cuda or cuda:N");
}

Tolerance Tolerance::plusRoundingOf(DType stored) const {
  // Half a unit in the last place, relative; and below the normal range
  // (f16's subnormals are 2^-24 apart), absolute.
  if (stored == DType::F16)
    return {atol + std::ldexp(1.0, -25), rtol + std::ldexp(1.0, -11)};
  if (stored == DType::BF16)
    return {atol, rtol + std::ldexp(1.0, -8)};
  return *this;
}

Tolerance referenceTolerance(const std::string &precision,
                             Device::Kind device) {
  const bool cuda = device == Device::Kind::CUDA;
  if (precision == "fp16")
    return cuda ? Tolerance{0.1, 0.1} : Tolerance{5e-2, 5e-2};
  if (precision == "bf16")
    return cuda ? Tolerance{0.5, 0.5} : Tolerance{0.25, 0.25};
  if (!cuda)
    return {1e-4, 1e-4};
  return precision == "tf32" ? Tolerance{3e-2, 3e-2} : Tolerance{2e-4, 1e-3};
}

const Tensor *Outputs::get(const std::string &name) const {
  auto it = tensors.find(name);
  return it == tensors.end() ? nullptr : &it->second;
}

const Tensor *Outputs::byRole(const std::string &role) const {
  for (const std::string &name : order)
    if (roles.at(name) == role)
      return get(name);
  return nullptr;
}

void Outputs::add(std::string name, std::string role, Tensor tensor) {
  if (!tensors.count(name))
    order.push_back(name);
  roles[name] = std::move(role);
  tensors[std::move(name)] = std::move(tensor);
}

Tensor &Outputs::reuse(const std::string &name, const std::string &role,
                       DType dtype, const std::vector<int64_t> &shape) {
  auto it = tensors.find(name);
  if (it == tensors.end()) {
    add(name, role, Tensor(dtype, shape));
    return tensors.at(name);
  }
  roles[name] = role;
  if (it->second.dtype() != dtype || it->second.shape() != shape)
    it->second = Tensor(dtype, shape);
  return it->second;
}

Session::Session(Executable executable, Device device,
                 std::unique_ptr<Backend> backend)
    : exe(std::move(executable)), dev(device), backend(std::move(backend)) {}
Session::Session(Session &&) noexcept = default;
Session &Session::operator=(Session &&) noexcept = default;
Session::~Session() = default;

const Executable &Session::executable() const { return exe; }
const Device &Session::device() const { return dev; }

Expected<Session> Session::create(const Executable &executable,
                                  Device device) {
  if (device.kind == Device::Kind::CUDA) {
#if INTR_HAVE_CUDA
    if (device.index < 0)
      return Error("device " + device.name() + ": no such CUDA device");
    Expected<std::unique_ptr<Backend>> backend =
        createCudaBackend(executable, device.index);
    if (!backend)
      return Error("device " + device.name() + ": " +
                   backend.error().message());
    return Session(executable, device, std::move(*backend));
#else
    return Error("device " + device.name() +
                 ": this runtime was built without CUDA "
                 "(INTR_ENABLE_CUDA=OFF); use Device::cpu()");
#endif
  }
  if (device.index < 0)
    return Error("device " + device.name() +
                 ": the thread count must not be negative");
  if (device.index > Device::kMaxCpuThreads)
    return Error("device " + device.name() + ": at most " +
                 std::to_string(Device::kMaxCpuThreads) + " threads");
  Expected<std::unique_ptr<Backend>> backend =
      createCpuBackend(executable, cpuThreadsOf(device));
  if (!backend)
    return backend.error();
  return Session(executable, device, std::move(*backend));
}

namespace {

/// The views in binding order, after checking that every input is given
/// once, by a known name, with its compiled dtype and shape.
Expected<std::vector<TensorView>>
orderInputs(const std::vector<TensorInfo> &expected,
            const std::map<std::string, TensorView> &inputs) {
  for (const auto &[name, view] : inputs) {
    bool known = false;
    for (const TensorInfo &info : expected)
      known = known || info.name == name;
    if (!known) {
      std::string names;
      for (const TensorInfo &info : expected)
        names += (names.empty() ? "'" : ", '") + info.name + "'";
      return Error("the model has no input '" + name + "' (its inputs: " +
                   names + ")");
    }
  }
  std::vector<TensorView> ordered;
  for (const TensorInfo &info : expected) {
    auto it = inputs.find(info.name);
    if (it == inputs.end())
      return Error("input '" + info.name + "' (" + dtypeName(info.dtype) +
                   " " + formatShape(info.shape) + ") is missing");
    const TensorView &view = it->second;
    if (view.dtype != info.dtype)
      return Error("input '" + info.name + "' has dtype " +
                   dtypeName(view.dtype) + ", the model expects " +
                   dtypeName(info.dtype));
    if (view.shape != info.shape)
      return Error("input '" + info.name + "' has shape " +
                   formatShape(view.shape) + ", the model was compiled for " +
                   formatShape(info.shape) +
                   " (an export whose sizes are dynamic compiles for others "
                   "with --input-shape)");
    if (!view.data && elementCount(view.shape) != 0)
      return Error("input '" + info.name + "' has no data");
    ordered.push_back(view);
  }
  return ordered;
}

/// The error of a call on a session whose state was moved to another.
Error movedFrom() {
  return Error("the session was moved from: use the one it was moved to");
}

} // namespace

Expected<Outputs>
Session::run(const std::map<std::string, TensorView> &inputs) {
  if (Status status = start(inputs); !status)
    return status.error();
  return finish();
}

Status Session::start(const std::map<std::string, TensorView> &inputs,
                      RunOptions options) {
  if (!backend)
    return movedFrom();
  if (runStarted)
    return Error("a run is already started: call finish() first");
  Expected<std::vector<TensorView>> ordered = orderInputs(exe.inputs(), inputs);
  if (!ordered)
    return ordered.error();
  if (Status status = backend->start(&*ordered, options); !status)
    return status;
  runStarted = true;
  runCopiesOutputs = options.copyOutputs;
  return Status::ok();
}

Status Session::startInPlace(RunOptions options) {
  if (!backend)
    return movedFrom();
  if (runStarted)
    return Error("a run is already started: call finish() first");
  if (Status status = backend->start(nullptr, options); !status)
    return status;
  runStarted = true;
  runCopiesOutputs = options.copyOutputs;
  return Status::ok();
}

Expected<Outputs> Session::finish() {
  Outputs outputs;
  if (Status status = finish(outputs); !status)
    return status.error();
  return outputs;
}

Status Session::finish(Outputs &outputs) {
  if (!backend)
    return movedFrom();
  if (!runStarted)
    return Error("no run was started: call start() first");
  runStarted = false;
  // Left in the session's buffers: none of a run before stays to be
  // mistaken for this one's.
  if (!runCopiesOutputs)
    outputs = Outputs();
  // The outputs are allocated here, as large as the plan says.
  try {
    return backend->finish(outputs);
  } catch (const std::bad_alloc &) {
    return Error("out of host memory for the outputs");
  }
}

std::vector<StepTime> Session::profile() const {
  if (!backend)
    return {};
  const Executable::Impl &plan = exe.impl();
  std::vector<double> milliseconds = backend->stepMilliseconds();
  std::vector<std::vector<OperationTime>> operations =
      backend->stepOperations();
  std::vector<StepTime> times;
  for (size_t step = 0; step < milliseconds.size(); ++step)
    times.push_back({step, plan.steps[step].kernel, plan.steps[step].node,
                     milliseconds[step],
                     step < operations.size() ? operations[step]
                                              : std::vector<OperationTime>()});
  return times;
}

Expected<BufferView> Session::buffer(const std::string &name) const {
  if (!backend)
    return movedFrom();
  const Executable::Impl &plan = exe.impl();
  for (const auto *bindings : {&plan.inputBindings, &plan.outputBindings})
    for (const Binding &binding : *bindings)
      if (binding.info.name == name)
        return BufferView{backend->address(binding.tensor), binding.info.dtype,
                          binding.info.shape, dev};
  return Error("the model has no input or output '" + name + "'");
}

uint64_t Session::memoryBytes() const {
  return backend ? backend->memoryBytes() : 0;
}

} // namespace intr
