//===- GpuKernelCase.h - One CUDA kernel against its CPU twin ---*- C++ -*-===//
//
// A KernelCase runs one step kernel on the CPU backend (the reference, itself
// tested against naive loops) and on the CUDA backend with the same inputs
// and attributes, and expects every output to agree within a tolerance.
// GPU outputs start as NaN, so an element the CUDA kernel forgets to write
// fails the comparison.
//
//   KernelCase("onnx.Add")
//       .input(randomTensor({2, 3}))
//       .input(randomTensor({3}))
//       .output(DType::F32, {2, 3})
//       .check();
//
// The test binary exits with 77 (ctest: skipped) without a CUDA device.
//
//===----------------------------------------------------------------------===//

#ifndef INTR_UNITTESTS_RUNTIME_CUDA_GPUKERNELCASE_H
#define INTR_UNITTESTS_RUNTIME_CUDA_GPUKERNELCASE_H

#include "CPU/Kernel.h"
#include "intr/runtime/Tensor.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace intr::cuda {
class Context;
} // namespace intr::cuda

namespace intr::gputest {

/// The session-like context every case runs in; null when it could not be
/// created. A test may change its settings (Context::convPath) and must
/// restore them (ScopedSetting does).
cuda::Context *sharedContext();

/// Sets one of the shared context's settings (`field`) to `value` for a
/// scope and gives it back its old value at the end.
template <typename T> class ScopedSetting {
public:
  ScopedSetting(T &field, T value) : field(field), old(field) { field = value; }
  ~ScopedSetting() { field = old; }
  ScopedSetting(const ScopedSetting &) = delete;
  ScopedSetting &operator=(const ScopedSetting &) = delete;

private:
  T &field;
  T old;
};
template <typename T> ScopedSetting(T &, T) -> ScopedSetting<T>;

/// Uniform random f32 values in [lo, hi), rounded to nearest for f16 and
/// bf16 (integer dtypes and f64: integers in [lo, hi]; bools from their
/// parity), from a fixed-seed generator.
Tensor randomTensor(std::vector<int64_t> shape, float lo = -1.0f,
                    float hi = 1.0f, DType dtype = DType::F32);
/// A tensor holding exactly these values.
Tensor tensorOf(std::vector<int64_t> shape, const std::vector<float> &values);
Tensor int64TensorOf(std::vector<int64_t> shape,
                     const std::vector<int64_t> &values);

/// The elements of `actual` that differ from `expected` by more than
/// atol + rtol * |expected| (floats of every width compared by value;
/// exactly, for integer and bool dtypes; NaN
/// matches NaN and an infinity itself); a shape or dtype difference counts
/// every element. `first` describes the first difference.
int64_t countMismatches(const Tensor &actual, const Tensor &expected,
                        double atol, double rtol, std::string *first);

/// A tensor of `dtype` holding exactly `bytes` bytes from `data`; a size
/// that does not fill it is a test failure.
Tensor bytesTensorOf(DType dtype, std::vector<int64_t> shape, const void *data,
                     size_t bytes);
/// A tensor of `dtype` holding exactly `values` (T of the dtype's width).
template <typename T>
Tensor typedTensorOf(DType dtype, std::vector<int64_t> shape,
                     const std::vector<T> &values) {
  return bytesTensorOf(dtype, std::move(shape), values.data(),
                       values.size() * sizeof(T));
}
Tensor int32TensorOf(std::vector<int64_t> shape,
                     const std::vector<int32_t> &values);

cpu::AttrValue ints(std::vector<int64_t> values);
cpu::AttrValue real(double value);
cpu::AttrValue reals(std::vector<double> values);
cpu::AttrValue str(std::string text);

class KernelCase {
public:
  explicit KernelCase(std::string name) : kernel(std::move(name)) {}

  KernelCase &input(Tensor tensor);
  /// An omitted optional operand.
  KernelCase &noInput();
  /// Memory that operands can view (inputView) without being an operand
  /// itself: for kernels that look at where their operands lie. Returns
  /// its number.
  size_t storage(Tensor tensor);
  /// An operand of `shape` that views storage `id` from element `offset`
  /// on, on both devices: two views of one storage are one buffer.
  KernelCase &inputView(size_t id, int64_t offset, std::vector<int64_t> shape);
  KernelCase &output(DType dtype, std::vector<int64_t> shape);
  /// An omitted optional result.
  KernelCase &noOutput();
  KernelCase &attr(std::string name, cpu::AttrValue value);
  /// |gpu - cpu| <= atol + rtol * |cpu| for every element (default 1e-4,
  /// 1e-4; exact for integer and bool outputs).
  KernelCase &tolerance(double atol, double rtol);

  /// Runs both kernels and EXPECTs agreement (gtest failures name the
  /// kernel, the output and the first differing element).
  void check() const;
  /// Runs only the CUDA kernel and returns its Status: for malformed steps
  /// that must be refused.
  Status runOnGpu() const;
  /// The outputs of the CUDA kernel (after check() or runOnGpu()).
  const std::vector<Tensor> &gpuOutputs() const { return gpuResults; }

private:
  /// Where a view operand lies.
  struct View {
    size_t storage;
    int64_t offset;
  };

  std::string kernel;
  /// The operands: a tensor of their own, or a view's shape (and dtype).
  std::vector<std::optional<Tensor>> inputs;
  std::vector<std::optional<View>> views; // one per input
  std::vector<Tensor> storages;
  std::vector<std::optional<Tensor>> outputs; // shapes and dtypes only
  cpu::AttrMap attrs;
  double atol = 1e-4, rtol = 1e-4;
  mutable std::vector<Tensor> gpuResults;
};

/// Expects the CUDA kernel to refuse the step with a message naming `what`.
void expectRefused(const KernelCase &step, const std::string &what);
/// Expects the CUDA kernel to refuse the step, whatever the message; `what`
/// names the case in the failure.
void expectSomeError(const KernelCase &step, const std::string &what);

} // namespace intr::gputest

#endif // INTR_UNITTESTS_RUNTIME_CUDA_GPUKERNELCASE_H
