//===- KernelTable.h - Step kernels by name ---------------------*- C++ -*-===//
//
// The table each backend's KernelRegistry is: a plan step names its kernel
// by the op it came from ("intr.conv2d", "onnx.Add"), and the backend finds
// the function that runs it here.
//
//===----------------------------------------------------------------------===//

#ifndef INTR_LIB_RUNTIME_KERNELTABLE_H
#define INTR_LIB_RUNTIME_KERNELTABLE_H

#include <algorithm>
#include <string>
#include <unordered_map>
#include <vector>

namespace intr {

/// Kernels of type KernelFn (a function pointer) by step name.
template <typename KernelFn> class KernelTable {
public:
  void add(const std::string &name, KernelFn kernel) { kernels[name] = kernel; }
  /// The kernel registered as `name`, or null.
  KernelFn find(const std::string &name) const {
    auto it = kernels.find(name);
    return it == kernels.end() ? nullptr : it->second;
  }
  /// Every registered name, sorted.
  std::vector<std::string> names() const {
    std::vector<std::string> result;
    for (const auto &entry : kernels)
      result.push_back(entry.first);
    std::sort(result.begin(), result.end());
    return result;
  }

private:
  std::unordered_map<std::string, KernelFn> kernels;
};

} // namespace intr

#endif // INTR_LIB_RUNTIME_KERNELTABLE_H
