//===- NNSupport.h - Shared by the NN and attention kernels -----*- C++ -*-===//
//
// Operand checks that turn a malformed step into an Error naming the kernel,
// the operand and the sizes at fault, and the epilogue and softmax that the
// GEMM-based kernels share.
//
//===----------------------------------------------------------------------===//

#ifndef INTR_LIB_RUNTIME_CPU_NNSUPPORT_H
#define INTR_LIB_RUNTIME_CPU_NNSUPPORT_H

#include "Kernel.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

namespace intr::cpu::nn {

/// The largest window attribute (kernel, stride, dilation, padding) the
/// kernels accept: far beyond any model, small enough that the window
/// arithmetic cannot overflow int64.
constexpr int64_t kMaxWindowAttr = int64_t(1) << 30;

/// Requires between minIn and maxIn inputs and between minOut and maxOut
/// outputs.
inline Status checkArity(const char *kernel, const KernelArgs &args,
                         size_t minIn, size_t maxIn, size_t minOut,
                         size_t maxOut) {
  auto range = [](size_t lo, size_t hi) {
    return lo == hi ? std::to_string(lo)
                    : std::to_string(lo) + " to " + std::to_string(hi);
  };
  if (args.inputs.size() < minIn || args.inputs.size() > maxIn)
    return kernelError(kernel, "expects " + range(minIn, maxIn) +
                                   " operands, got " +
                                   std::to_string(args.inputs.size()));
  if (args.outputs.size() < minOut || args.outputs.size() > maxOut)
    return kernelError(kernel, "expects " + range(minOut, maxOut) +
                                   " results, got " +
                                   std::to_string(args.outputs.size()));
  return Status::ok();
}

/// Input `index` if it was given, else null (an omitted optional operand).
inline const TensorArg *optionalArg(const std::vector<TensorArg> &list,
                                    size_t index) {
  return index < list.size() && list[index].present() ? &list[index] : nullptr;
}

/// The tensor is there (or empty), has non-negative sizes and is `dtype`.
inline Status checkTensor(const char *kernel, const TensorArg &tensor,
                          const char *name, DType dtype = DType::F32) {
  for (int64_t size : tensor.shape)
    if (size < 0)
      return kernelError(kernel, std::string(name) + " has a negative size " +
                                     formatShape(tensor.shape));
  if (!tensor.present() && tensor.numElements() != 0)
    return kernelError(kernel, std::string(name) + " is missing");
  if (tensor.dtype != dtype)
    return kernelError(kernel, std::string(name) + " must be " +
                                   dtypeName(dtype) + ", got " +
                                   dtypeName(tensor.dtype));
  return Status::ok();
}

/// The tensor is `dtype` with exactly the shape `expected`.
inline Status checkShape(const char *kernel, const TensorArg &tensor,
                         const char *name, const std::vector<int64_t> &expected,
                         DType dtype = DType::F32) {
  if (Status s = checkTensor(kernel, tensor, name, dtype); !s)
    return s;
  if (tensor.shape != expected)
    return kernelError(kernel, std::string(name) + " must be " +
                                   formatShape(expected) + ", got " +
                                   formatShape(tensor.shape));
  return Status::ok();
}

/// A list attribute of `count` values in [minimum, kMaxWindowAttr].
inline Status checkWindowAttr(const char *kernel,
                              const std::vector<int64_t> &values,
                              const char *name, size_t count, int64_t minimum) {
  if (values.size() != count)
    return kernelError(kernel, std::string(name) + " must have " +
                                   std::to_string(count) + " values, got " +
                                   std::to_string(values.size()));
  for (int64_t v : values)
    if (v < minimum || v > kMaxWindowAttr)
      return kernelError(kernel, std::string(name) + " value " +
                                     std::to_string(v) + " is out of range");
  return Status::ok();
}

/// The "activation" attribute of conv2d and linear: whether it is "relu".
inline Status parseActivation(const char *kernel, const AttrMap &attrs,
                              bool &relu) {
  std::string name = attrs.getString("activation", "none");
  if (name != "none" && name != "relu")
    return kernelError(kernel, "activation must be \"none\" or \"relu\", got "
                               "\"" +
                                   name + "\"");
  relu = name == "relu";
  return Status::ok();
}

/// rows x cols of `data`: adds bias[col] (when given) and applies a ReLU
/// (when `relu`).
inline void addBiasByColumn(float *data, int64_t rows, int64_t cols,
                            const float *bias, bool relu, int threads) {
  (void)threads; // Unused without OpenMP.
  if (!bias && !relu)
    return;
#pragma omp parallel for num_threads(threads)
  for (int64_t r = 0; r < rows; ++r) {
    float *row = data + r * cols;
    if (bias)
      for (int64_t c = 0; c < cols; ++c)
        row[c] += bias[c];
    if (relu)
      for (int64_t c = 0; c < cols; ++c)
        row[c] = std::max(row[c], 0.0f);
  }
}

/// In-place softmax of `row` (n floats), with the maximum subtracted. A row
/// whose values are all -inf (every key masked) has no softmax: NaN, as
/// PyTorch gives.
inline void softmaxRow(float *row, int64_t n) {
  float maximum = -INFINITY;
  for (int64_t i = 0; i < n; ++i)
    maximum = std::max(maximum, row[i]);
  if (maximum == -INFINITY) {
    std::fill(row, row + n, NAN);
    return;
  }
  float sum = 0.0f;
  for (int64_t i = 0; i < n; ++i) {
    row[i] = std::exp(row[i] - maximum);
    sum += row[i];
  }
  float inverse = 1.0f / sum;
  for (int64_t i = 0; i < n; ++i)
    row[i] *= inverse;
}

} // namespace intr::cpu::nn

#endif // INTR_LIB_RUNTIME_CPU_NNSUPPORT_H
