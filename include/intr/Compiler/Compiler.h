//===- Compiler.h - ONNX model to .intrx, as a library ----------*- C++ -*-===//
//
// The pipeline behind `intr-opt compile`, for tools and tests that compile
// in-process (the ONNX conformance runner, the fuzzers).
//
//===----------------------------------------------------------------------===//

#ifndef INTR_COMPILER_COMPILER_H
#define INTR_COMPILER_COMPILER_H

#include "intr/Target/ExecutableWriter.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/Timing.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <string>
#include <vector>

namespace intr {

struct CompileOptions {
  /// Raise onnx subgraphs to intr ops and optimize them; without it every
  /// onnx op runs as it is.
  bool raise = true;
  /// Class names to embed; their count must match the model's classes.
  std::vector<std::string> labels;
  /// Where the labels come from (a file), to name in errors.
  std::string labelsSource;
  /// Leave the f32 weights out of the executable (for timing elsewhere).
  bool stripWeights = false;
  /// What the GPU may use for f32 math; FP16 and BF16 also run the
  /// convolutions in that type (intr-lower-precision; needs `raise`).
  Precision precision = Precision::FP32;
  /// Whether the convolutions' images are stored channels last
  /// (intr-channels-last; needs `raise`).
  enum class ChannelsLast {
    Off,
    On,
    /// Where that leaves the plan fewer transposes than NCHW does: in a
    /// model that permutes its own feature maps to NHWC and back, as
    /// ConvNeXt's blocks do around their linear layers.
    WhereFewerTransposes,
  };
  ChannelsLast channelsLast = ChannelsLast::WhereFewerTransposes;
  /// Pad the input channels of channels-last convolutions with zeros to a
  /// multiple of this (intr-pad-channels; needs `channelsLast`); 0 or 1:
  /// leave them.
  int64_t padChannels = 0;
  /// Store and return the attention maps in f16 (intr-half-attention-maps)
  /// instead of f32.
  bool halfAttentionMaps = false;
  /// Return the last decoder layer's attention maps only
  /// (intr-select-attention-maps): the other layers' attention then writes
  /// no maps.
  bool lastAttentionLayer = false;
  /// Return the head mean of the attention maps only, not every head's
  /// (intr-select-attention-maps): the heads' maps are then not stored.
  bool headMeanOnly = false;
  /// Fold constant positional embeddings into the projections' biases
  /// (intr-fold-positional-projections: one GEMM for each self-attention's
  /// Q, K and V, and weights larger by the biases).
  bool foldPositional = true;
};

/// Compiles an imported module (the output of importONNXFile) in place to
/// a plan, its function, and fills `metadata` with what the executable
/// says of the model. Phases are timed under `timing` when it is enabled.
/// Errors name the model (`name`) and phase.
llvm::Expected<mlir::func::FuncOp> planModule(mlir::ModuleOp module,
                                              llvm::StringRef name,
                                              const CompileOptions &options,
                                              ModelMetadata &metadata,
                                              mlir::TimingScope &timing);

/// How the executable of a compile with `options` is written.
WriteOptions writeOptionsOf(const CompileOptions &options);

/// planModule, then writes the executable to `os`.
llvm::Error compileModule(mlir::ModuleOp module, llvm::StringRef name,
                          const CompileOptions &options, llvm::raw_ostream &os,
                          ExecutableStats &stats, mlir::TimingScope &timing);

} // namespace intr

#endif // INTR_COMPILER_COMPILER_H
