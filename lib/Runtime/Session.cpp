//===- Session.cpp - Running an executable --------------------------------===//

#include "SessionBackend.h"

#include <thread>

namespace intr {

std::string Device::name() const {
  if (kind == Kind::CUDA)
    return "cuda:" + std::to_string(index);
  return "cpu (" +
         (index > 0 ? std::to_string(index) : std::string("all")) +
         " threads)";
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
  order.push_back(name);
  roles[name] = std::move(role);
  tensors[std::move(name)] = std::move(tensor);
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
  if (device.kind == Device::Kind::CUDA)
    return Error("device " + device.name() +
                 ": this runtime has no CUDA backend yet; use Device::cpu()");
  if (device.index < 0)
    return Error("device " + device.name() +
                 ": the thread count must not be negative");
  int threads = device.index > 0
                    ? device.index
                    : std::max(1u, std::thread::hardware_concurrency());
  Expected<std::unique_ptr<Backend>> backend =
      createCpuBackend(executable, threads);
  if (!backend)
    return backend.error();
  return Session(executable, device, std::move(*backend));
}

Expected<Outputs>
Session::run(const std::map<std::string, TensorView> &inputs) {
  const std::vector<TensorInfo> &expected = exe.inputs();
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
                   " (recompile with --input-shape to change it)");
    if (!view.data && elementCount(view.shape) != 0)
      return Error("input '" + info.name + "' has no data");
    ordered.push_back(view);
  }
  return backend->run(ordered);
}

} // namespace intr
