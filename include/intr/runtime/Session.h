//===- Session.h - Running an executable ------------------------*- C++ -*-===//

#ifndef INTR_RUNTIME_SESSION_H
#define INTR_RUNTIME_SESSION_H

#include "intr/runtime/Error.h"
#include "intr/runtime/Executable.h"
#include "intr/runtime/Export.h"
#include "intr/runtime/Tensor.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace intr {

/// Where a session runs.
struct INTR_API Device {
  enum class Kind { CPU, CUDA };
  Kind kind = Kind::CPU;
  /// CPU: worker threads (0: one per hardware thread). CUDA: the device.
  int index = 0;

  static Device cpu(int threads = 0) { return {Kind::CPU, threads}; }
  static Device cuda(int device = 0) { return {Kind::CUDA, device}; }
  /// "cpu (8 threads)" or "cuda:0".
  std::string name() const;
};

/// Elements the caller owns, handed to a run: dense, row-major.
struct TensorView {
  const void *data = nullptr;
  DType dtype = DType::F32;
  std::vector<int64_t> shape;

  TensorView() = default;
  TensorView(const void *data, DType dtype, std::vector<int64_t> shape)
      : data(data), dtype(dtype), shape(std::move(shape)) {}
  TensorView(const float *data, std::vector<int64_t> shape)
      : data(data), dtype(DType::F32), shape(std::move(shape)) {}
  /// A view of a host tensor.
  TensorView(const Tensor &tensor)
      : data(tensor.rawData()), dtype(tensor.dtype()), shape(tensor.shape()) {}
};

/// The outputs of one run, by name.
class INTR_API Outputs {
public:
  /// The output called `name`, or null.
  const Tensor *get(const std::string &name) const;
  /// The first output with this role ("logits", "attention", ...), or null.
  const Tensor *byRole(const std::string &role) const;
  const std::vector<std::string> &names() const { return order; }

  void add(std::string name, std::string role, Tensor tensor);

private:
  std::vector<std::string> order;
  std::map<std::string, Tensor> tensors;
  std::map<std::string, std::string> roles;
};

/// One executable made ready to run on one device: its arena allocated and
/// its steps bound to kernels. Runs are sequential within a session; use
/// one session per thread to run in parallel.
class INTR_API Session {
public:
  /// Fails when the device is not available or a step has no kernel there.
  static Expected<Session> create(const Executable &executable,
                                  Device device = Device::cpu());

  /// Runs the model. Every input must be given once, by name, with its
  /// compiled dtype and shape.
  Expected<Outputs> run(const std::map<std::string, TensorView> &inputs);

  const Executable &executable() const;
  const Device &device() const;

  Session(Session &&) noexcept;
  Session &operator=(Session &&) noexcept;
  ~Session();

  /// Internal: what a backend implements.
  class Backend;

private:
  Session(Executable executable, Device device,
          std::unique_ptr<Backend> backend);
  Executable exe;
  Device dev;
  std::unique_ptr<Backend> backend;
};

} // namespace intr

#endif // INTR_RUNTIME_SESSION_H
