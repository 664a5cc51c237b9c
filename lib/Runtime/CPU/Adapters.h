//===- Adapters.h - 16-bit steps on the f32 CPU kernels --------*- C++ -*-===//
//
// The convolutions and max pools of fp16 and bf16 plans are 16-bit, which
// the CPU kernels were not written for. The CPU runs them widened, so that
// it stays the reference for every plan: a 16-bit step's operands are
// widened to f32, which is exact, the kernel computes in f32 as a GPU's
// tensor cores accumulate, and each result is rounded once to the 16-bit
// type.
//
//===----------------------------------------------------------------------===//

#ifndef INTR_LIB_RUNTIME_CPU_ADAPTERS_H
#define INTR_LIB_RUNTIME_CPU_ADAPTERS_H

#include "Kernel.h"

#include <vector>

namespace intr::cpu {

/// `count` elements of `narrow` (F16 or BF16) at `from` to f32 at `to`,
/// exactly, on up to `threads` threads.
void widenElements(DType narrow, const void *from, float *to, int64_t count,
                   int threads);

/// `count` f32 elements at `from` to `narrow` (F16 or BF16) at `to`, each
/// rounded to nearest even, on up to `threads` threads.
void narrowElements(DType narrow, const float *from, void *to, int64_t count,
                    int threads);

/// The f32 storage of a 16-bit step's `index`th widened tensor, at least
/// `count` floats: kept by the calling thread from one step to the next,
/// since allocating the large ones anew on every call faulted in every page
/// every time.
float *widenedStorage(size_t index, int64_t count);

/// Whether every size of every tensor is non-negative and their counts
/// small enough to copy: else the kernel refuses the step in its words.
inline bool copyable(const KernelArgs &args) {
  for (const std::vector<TensorArg> *list : {&args.inputs, &args.outputs})
    for (const TensorArg &tensor : *list) {
      double count = 1;
      for (int64_t size : tensor.shape) {
        if (size < 0)
          return false;
        count *= double(size);
      }
      if (count > double(int64_t(1) << 40))
        return false;
    }
  return true;
}

/// `kernel` on f32 copies of a step whose operands and results are all f16
/// or all bf16; any other step goes to `kernel` as it is.
template <Kernel kernel> Status widened(const KernelArgs &args) {
  if (args.outputs.empty() || !copyable(args))
    return kernel(args);
  DType narrow = args.outputs[0].dtype;
  if (narrow != DType::F16 && narrow != DType::BF16)
    return kernel(args);
  auto sameType = [&](const std::vector<TensorArg> &list) {
    for (const TensorArg &tensor : list)
      if (tensor.present() && tensor.dtype != narrow)
        return false;
    return true;
  };
  // Mixed types are the kernel's to refuse, in its own words.
  if (!sameType(args.inputs) || !sameType(args.outputs))
    return kernel(args);

  // f32 twins of every tensor; an omitted operand stays omitted. The
  // results' are not initialized: the kernel writes every element.
  size_t used = 0;
  auto widen = [&](const std::vector<TensorArg> &list, bool copy) {
    std::vector<TensorArg> wide;
    for (const TensorArg &tensor : list) {
      TensorArg twin = tensor;
      twin.dtype = DType::F32;
      if (tensor.present()) {
        int64_t count = tensor.numElements();
        float *values = widenedStorage(used++, count);
        if (copy)
          widenElements(narrow, tensor.data, values, count, args.threads);
        twin.data = values;
      }
      wide.push_back(std::move(twin));
    }
    return wide;
  };
  std::vector<TensorArg> inputs = widen(args.inputs, /*copy=*/true);
  std::vector<TensorArg> outputs = widen(args.outputs, /*copy=*/false);
  if (Status s =
          kernel({inputs, outputs, args.attrs, args.threads, args.cache});
      !s)
    return s;
  for (size_t r = 0; r < outputs.size(); ++r)
    if (outputs[r].present())
      narrowElements(narrow, outputs[r].as<const float>(), args.outputs[r].data,
                     outputs[r].numElements(), args.threads);
  return Status::ok();
}

} // namespace intr::cpu

#endif // INTR_LIB_RUNTIME_CPU_ADAPTERS_H
