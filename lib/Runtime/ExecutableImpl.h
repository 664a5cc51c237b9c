//===- ExecutableImpl.h - The plan of a loaded executable -------*- C++ -*-===//
//
// What the loader extracts from the FlatBuffer, checked, in plain C++ types,
// so that backends never touch the file format.
//
//===----------------------------------------------------------------------===//

#ifndef INTR_LIB_RUNTIME_EXECUTABLEIMPL_H
#define INTR_LIB_RUNTIME_EXECUTABLEIMPL_H

#include "CPU/Kernel.h"
#include "intr/runtime/Executable.h"

#include <functional>

namespace intr {

struct PlannedTensor {
  DType dtype = DType::F32;
  std::vector<int64_t> shape;
  bool isWeight = false;
  /// Into the arena or the weight blob.
  uint64_t offset = 0;
  uint64_t size = 0;
};

struct PlannedStep {
  std::string kernel;
  /// Indices into Impl::tensors; -1 for an omitted optional operand.
  std::vector<int32_t> inputs;
  std::vector<int32_t> outputs;
  cpu::AttrMap attrs;
  /// The ONNX node it came from, when known.
  std::string node;

  /// "step 12 (intr.conv2d, node 'Conv_3')", for messages.
  std::string describe(size_t index) const;
};

struct Binding {
  TensorInfo info;
  int32_t tensor = 0;
};

/// What a file says once for all its plans.
struct FileMetadata {
  std::string producer;
  std::vector<std::string> labels;
  std::vector<float> pixelMean, pixelStd;
};

struct Executable::Impl {
  std::string source;
  std::vector<PlannedTensor> tensors;
  std::vector<PlannedStep> steps;
  std::vector<Binding> inputBindings, outputBindings;
  std::vector<TensorInfo> inputs, outputs;
  uint64_t arenaSize = 0;
  std::vector<int64_t> featureMap;
  int64_t numClasses = 0;
  /// The file's, which owns it as it owns this plan.
  const FileMetadata *metadata = nullptr;

  /// The weight blob (inside the mapping), 256-byte aligned.
  const std::byte *weights = nullptr;
  uint64_t weightsSize = 0;
  /// Set when the file stored only the first `storedWeightsSize` bytes of
  /// the weights (--strip-weights); the rest were filled at load time.
  bool weightsStripped = false;
  /// "fp32" or "tf32": what the GPU may use for f32 math.
  std::string precision = "fp32";
  uint64_t storedWeightsSize = 0;

  /// Every plan of the file, this one among them, the first compiled
  /// first (intr-opt compile --variant); they share the file's weights.
  const std::vector<Impl> *variants = nullptr;
};

} // namespace intr

#endif // INTR_LIB_RUNTIME_EXECUTABLEIMPL_H
