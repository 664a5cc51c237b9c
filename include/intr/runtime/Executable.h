//===- Executable.h - A compiled model, loaded ------------------*- C++ -*-===//

#ifndef INTR_RUNTIME_EXECUTABLE_H
#define INTR_RUNTIME_EXECUTABLE_H

#include "intr/runtime/Error.h"
#include "intr/runtime/Export.h"
#include "intr/runtime/Tensor.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace intr {

/// A model input or output.
struct TensorInfo {
  std::string name;
  DType dtype = DType::F32;
  std::vector<int64_t> shape;
  /// "image" (input); "logits", "attention" ([L, B, H, C, T]),
  /// "avg_attention" ([L, B, C, T]) (outputs); or empty.
  std::string role;
};

/// How to load an executable.
struct LoadOptions {
  /// Fill the weights that `intr-opt compile --strip-weights` left out with
  /// random values, which is good for timing and nothing else. Without it
  /// such a file is refused.
  bool randomWeights = false;
};

/// An .intrx file, mapped into memory and checked: its preamble, checksum,
/// schema and every index, offset and size in it. Immutable and cheap to
/// copy (copies share the mapping); sessions keep it alive. The weights are
/// read from the mapping, which is checked once, at load: replace a loaded
/// file by renaming a new one over it (as `intr-opt compile` does), never by
/// writing into it, which would change them under its sessions (or end the
/// process with SIGBUS, if the file shrinks).
class INTR_API Executable {
public:
  /// Copies share the mapping; moving copies too, so that an executable
  /// moved from (out of an Expected, say) stays usable.
  Executable(const Executable &) = default;
  Executable &operator=(const Executable &) = default;

  /// Maps and checks the file at `path`.
  static Expected<Executable> load(const std::string &path,
                                   const LoadOptions &options = {});
  /// Checks a copy of `size` bytes at `data`; `name` appears in errors.
  static Expected<Executable> fromBytes(const void *data, size_t size,
                                        const std::string &name = "<memory>",
                                        const LoadOptions &options = {});

  const std::vector<TensorInfo> &inputs() const;
  const std::vector<TensorInfo> &outputs() const;

  /// The feature map's {h, w}: an attention row of T = h * w tokens drawn
  /// as an image. Empty when the compiler could not tell.
  const std::vector<int64_t> &featureMap() const;
  /// The number of classes, 0 when unknown.
  int64_t numClasses() const;
  /// Class names embedded at compile time (may be empty).
  const std::vector<std::string> &labels() const;
  /// Per-channel normalization of an RGB image in [0, 1].
  const std::vector<float> &pixelMean() const;
  const std::vector<float> &pixelStd() const;

  /// Bytes of the arena a session allocates, and of the weights.
  uint64_t arenaSize() const;
  uint64_t weightsSize() const;
  /// True when the file was written without its floating-point weights
  /// (they hold random values if it loaded at all).
  bool weightsStripped() const;
  /// The precision it was compiled for (intr-opt compile --precision):
  /// "fp32"; "tf32", where a GPU may use TF32 tensor cores for f32 math;
  /// "fp16" or "bf16", where the convolutions' weights and images are
  /// stored in that type too (and f32 math is TF32). The CPU computes the
  /// f32 ops in fp32 whatever it is.
  const std::string &precision() const;
  /// The kernel of each step, in execution order ("intr.conv2d", ...).
  std::vector<std::string> stepKernels() const;
  /// The model in the file at each input shape it was compiled for: this
  /// plan's and its variants' (intr-opt compile --variant), the first
  /// compiled first, each an Executable of its own (its inputs, outputs,
  /// feature map, arena and steps) over the same weights, kept alive by
  /// any of them. A session runs one; create one per variant to run
  /// several. A file without variants gives one, the same as load's.
  std::vector<Executable> variants() const;
  /// The compiler that wrote the file.
  const std::string &producer() const;
  /// The path or name it was loaded from.
  const std::string &source() const;

  struct Impl;
  /// Internal: the parsed plan, for the backends.
  const Impl &impl() const { return *state; }

private:
  explicit Executable(std::shared_ptr<const Impl> state)
      : state(std::move(state)) {}
  std::shared_ptr<const Impl> state;
};

} // namespace intr

#endif // INTR_RUNTIME_EXECUTABLE_H
