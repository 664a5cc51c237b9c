//===- Kernel.h - The CPU backend's kernel interface ------------*- C++ -*-===//
//
// A plan step names its kernel by the op it came from ("intr.conv2d",
// "onnx.Add"), lists its operand and result tensors and carries the op's
// attributes. The CPU backend looks the name up in a KernelRegistry and calls
// the kernel with views of those tensors. Kernels never see the executable
// format, so they are tested on their own.
//
// Every kernel checks the operand counts, dtypes and shapes it relies on and
// returns an Error instead of reading or writing out of bounds: a corrupted
// executable must not crash the process.
//
//===----------------------------------------------------------------------===//

#ifndef INTR_LIB_RUNTIME_CPU_KERNEL_H
#define INTR_LIB_RUNTIME_CPU_KERNEL_H

#include "../KernelTable.h"
#include "intr/runtime/Error.h"
#include "intr/runtime/Tensor.h"

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

/// Compiles a function for AVX-512, AVX2 and the baseline, chosen when the
/// program loads (GCC and Clang on x86-64 Linux): for the loops around the
/// GEMMs (epilogues, im2col, softmax), which the baseline's SSE2 leaves
/// several times slower. Elsewhere, the baseline only; and under
/// ThreadSanitizer, which instruments the clones' resolvers that the loader
/// runs before it has started (a crash before main).
#if defined(__SANITIZE_THREAD__)
#define INTR_THREAD_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define INTR_THREAD_SANITIZER 1
#endif
#endif
#if defined(__x86_64__) && defined(__linux__) &&                               \
    (defined(__GNUC__) || defined(__clang__)) &&                               \
    !defined(INTR_THREAD_SANITIZER)
#define INTR_VECTOR_CLONES                                                     \
  __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define INTR_VECTOR_CLONES
#endif

namespace intr::cpu {

/// A dense, row-major tensor that a kernel reads or writes; it does not own
/// its elements (they live in the session's arena or the weight blob).
struct TensorArg {
  /// Null for an omitted optional operand (an onnx.NoValue, or a trailing
  /// Optional operand of an intr op that was not given).
  void *data = nullptr;
  DType dtype = DType::F32;
  std::vector<int64_t> shape;
  /// The same elements on every call of the step: a weight of the
  /// executable. What a kernel derives from it may be kept (StepCache).
  bool constant = false;

  bool present() const { return data != nullptr; }
  int64_t rank() const { return static_cast<int64_t>(shape.size()); }
  int64_t numElements() const { return elementCount(shape); }
  size_t sizeInBytes() const { return numElements() * dtypeSize(dtype); }
  template <typename T> T *as() const { return static_cast<T *>(data); }
};

/// One attribute of a step: integers (also booleans, as 0/1), floats, or a
/// string. A scalar is a list of one element.
struct AttrValue {
  std::vector<int64_t> ints;
  std::vector<double> floats;
  std::string str;
};

/// The attributes of a step, by name. The compiler writes every attribute
/// of the op, defaults included, so a missing name means "not set" (an
/// OptionalAttr); the getters still take a default for robustness.
class AttrMap {
public:
  void set(std::string name, AttrValue value) {
    values[std::move(name)] = std::move(value);
  }
  bool has(const std::string &name) const { return values.count(name) != 0; }
  const AttrValue *find(const std::string &name) const {
    auto it = values.find(name);
    return it == values.end() ? nullptr : &it->second;
  }
  int64_t getInt(const std::string &name, int64_t fallback) const {
    const AttrValue *v = find(name);
    return v && !v->ints.empty() ? v->ints[0] : fallback;
  }
  std::vector<int64_t> getInts(const std::string &name,
                               std::vector<int64_t> fallback = {}) const {
    const AttrValue *v = find(name);
    return v && !v->ints.empty() ? v->ints : fallback;
  }
  double getFloat(const std::string &name, double fallback) const {
    const AttrValue *v = find(name);
    return v && !v->floats.empty() ? v->floats[0] : fallback;
  }
  std::vector<double> getFloats(const std::string &name) const {
    const AttrValue *v = find(name);
    return v ? v->floats : std::vector<double>{};
  }
  std::string getString(const std::string &name,
                        const std::string &fallback) const {
    const AttrValue *v = find(name);
    return v && !v->str.empty() ? v->str : fallback;
  }
  const std::map<std::string, AttrValue> &all() const { return values; }

private:
  std::map<std::string, AttrValue> values;
};

/// What a step's kernel keeps from one call to the next in a session: data
/// derived from its constant operands only (TensorArg::constant), such as a
/// convolution's transformed weights. Empty until the kernel fills it.
struct StepCache {
  std::vector<float> floats;
  /// Whether a convolution's constant weights are all integers, once read.
  std::optional<bool> integerWeights;

  size_t sizeInBytes() const { return floats.size() * sizeof(float); }
};

/// What a kernel gets: its operands in the op's operand order, its results
/// (already allocated with their static shapes), and the op's attributes.
struct KernelArgs {
  const std::vector<TensorArg> &inputs;
  const std::vector<TensorArg> &outputs;
  const AttrMap &attrs;
  /// The number of threads the session may use (>= 1).
  int threads = 1;
  /// The step's cache in its session; null where calls share nothing.
  StepCache *cache = nullptr;
};

using Kernel = Status (*)(const KernelArgs &args);

/// Every CPU kernel, by step name.
class KernelRegistry : public KernelTable<Kernel> {
public:
  /// The registry with every CPU kernel.
  static const KernelRegistry &cpu();
};

// Each kernel file registers its kernels here; KernelRegistry::cpu() calls
// them all once.
void registerNNKernels(KernelRegistry &registry);
void registerAttentionKernels(KernelRegistry &registry);
void registerElementwiseKernels(KernelRegistry &registry);
void registerReduceKernels(KernelRegistry &registry);
void registerLayoutKernels(KernelRegistry &registry);

/// An Error that names the step's kernel: "onnx.Add: <what>".
inline Error kernelError(const char *kernel, const std::string &what) {
  return Error(std::string(kernel) + ": " + what);
}

/// Requires between minIn and maxIn operands and between minOut and maxOut
/// results (SIZE_MAX: no upper bound).
inline Status checkArity(const char *kernel, const KernelArgs &args,
                         size_t minIn, size_t maxIn, size_t minOut,
                         size_t maxOut) {
  auto expected = [](size_t lo, size_t hi) {
    if (lo == hi)
      return std::to_string(lo);
    if (hi == SIZE_MAX)
      return "at least " + std::to_string(lo);
    return std::to_string(lo) + " to " + std::to_string(hi);
  };
  if (args.inputs.size() < minIn || args.inputs.size() > maxIn)
    return kernelError(kernel, "expected " + expected(minIn, maxIn) +
                                   " operands, got " +
                                   std::to_string(args.inputs.size()));
  if (args.outputs.size() < minOut || args.outputs.size() > maxOut)
    return kernelError(kernel, "expected " + expected(minOut, maxOut) +
                                   " results, got " +
                                   std::to_string(args.outputs.size()));
  return Status::ok();
}

/// Operand or result `index` of `list` if it was given, else null (an
/// omitted optional one: a none, or a trailing one that is not there).
inline const TensorArg *optionalArg(const std::vector<TensorArg> &list,
                                    size_t index) {
  return index < list.size() && list[index].present() ? &list[index] : nullptr;
}

} // namespace intr::cpu

#endif // INTR_LIB_RUNTIME_CPU_KERNEL_H
