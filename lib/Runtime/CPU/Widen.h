//===- Widen.h - f16 and bf16 steps on the f32 kernels ----------*- C++ -*-===//
//
// The CPU runs a 16-bit step (a convolution or max pool of a --precision
// fp16 or bf16 plan) on its f32 kernel: the operands are widened to f32,
// which is exact, the kernel computes in f32 as a GPU's tensor cores
// accumulate, and each result is rounded once to the 16-bit type. So the
// CPU is the reference for those plans too, up to the order of the sums.
//
//===----------------------------------------------------------------------===//

#ifndef INTR_LIB_RUNTIME_CPU_WIDEN_H
#define INTR_LIB_RUNTIME_CPU_WIDEN_H

#include "ElementwiseSupport.h"
#include "Kernel.h"

#include <vector>

namespace intr::cpu {

/// `kernel` on f32 copies of a step whose operands and results are all f16
/// or all bf16; any other step goes to `kernel` as it is.
template <Kernel kernel> Status widened(const KernelArgs &args) {
  if (args.outputs.empty())
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

  // f32 twins of every tensor; an omitted operand stays omitted.
  std::vector<std::vector<float>> storage;
  auto widen = [&](const std::vector<TensorArg> &list, bool copy) {
    std::vector<TensorArg> wide;
    for (const TensorArg &tensor : list) {
      TensorArg twin = tensor;
      twin.dtype = DType::F32;
      if (tensor.present()) {
        std::vector<float> &values =
            storage.emplace_back(static_cast<size_t>(tensor.numElements()));
        if (copy)
          for (size_t i = 0; i < values.size(); ++i)
            values[i] = narrow == DType::F16
                            ? halfToFloat(tensor.as<const Half>()[i])
                            : bfloat16ToFloat(tensor.as<const BFloat16>()[i]);
        twin.data = values.data();
      }
      wide.push_back(std::move(twin));
    }
    return wide;
  };
  std::vector<TensorArg> inputs = widen(args.inputs, /*copy=*/true);
  std::vector<TensorArg> outputs = widen(args.outputs, /*copy=*/false);
  if (Status s = kernel({inputs, outputs, args.attrs, args.threads}); !s)
    return s;
  for (size_t r = 0; r < outputs.size(); ++r) {
    if (!outputs[r].present())
      continue;
    const float *values = outputs[r].as<const float>();
    int64_t count = outputs[r].numElements();
    for (int64_t i = 0; i < count; ++i) {
      if (narrow == DType::F16)
        args.outputs[r].as<Half>()[i] = halfFromDouble(values[i]);
      else
        args.outputs[r].as<BFloat16>()[i] = bfloat16FromDouble(values[i]);
    }
  }
  return Status::ok();
}

} // namespace intr::cpu

#endif // INTR_LIB_RUNTIME_CPU_WIDEN_H
