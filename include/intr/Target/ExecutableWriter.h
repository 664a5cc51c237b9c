//===- ExecutableWriter.h - Serialize a plan as an .intrx file --*- C++ -*-===//

#ifndef INTR_TARGET_EXECUTABLEWRITER_H
#define INTR_TARGET_EXECUTABLEWRITER_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Support/LogicalResult.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <string>
#include <vector>

namespace intr {

/// What the executable says about the model besides its plan.
struct ModelMetadata {
  /// The feature map's h x w ({} when unknown).
  std::vector<int64_t> featureMap;
  /// The number of classes (0 when unknown).
  int64_t numClasses = 0;
  std::vector<std::string> labels;
  /// Per-channel normalization of an RGB image in [0, 1].
  std::vector<float> pixelMean = {0.485f, 0.456f, 0.406f};
  std::vector<float> pixelStd = {0.229f, 0.224f, 0.225f};
  std::string producer;
};

/// The plan's precision (intr-opt compile --precision): what the GPU may
/// use for f32 math, and for FP16 and BF16 the type of the convolutions.
enum class Precision { FP32, TF32, FP16, BF16 };

/// How to write it.
struct WriteOptions {
  /// Leave the float weights (f32, f16, bf16) out of the file (shapes and
  /// offsets kept), so
  /// that a full-size plan is small enough to carry to a machine that only
  /// times it; a runtime fills them with random values on request.
  bool stripWeights = false;
  Precision precision = Precision::FP32;
};

/// What the writer laid out, for the compile summary.
struct ExecutableStats {
  /// Each plan's steps and arena, the first plan's first.
  struct Plan {
    int64_t steps = 0;
    int64_t arenaBytes = 0;
  };
  std::vector<Plan> plans;
  int64_t weightBytes = 0;
  /// Constants before deduplication.
  int64_t constantBytes = 0;
  int64_t fileBytes = 0;
  /// Weight bytes left out by WriteOptions::stripWeights.
  int64_t strippedBytes = 0;
};

/// A plan (a function that --convert-intr-to-plan produced) and what the
/// executable says of the model at its shapes.
struct PlannedModel {
  mlir::func::FuncOp plan;
  ModelMetadata metadata;
};

/// Writes `plans` as one .intrx executable: the first as its plan, the
/// others as its variants (the same model at other input shapes, whose
/// metadata differs in the feature map only), every weight stored once.
/// Errors are emitted on the offending op.
mlir::LogicalResult writeExecutable(llvm::ArrayRef<PlannedModel> plans,
                                    const WriteOptions &options,
                                    llvm::raw_ostream &os,
                                    ExecutableStats *stats = nullptr);

/// Writes one plan as an .intrx executable.
mlir::LogicalResult writeExecutable(mlir::func::FuncOp plan,
                                    const ModelMetadata &metadata,
                                    const WriteOptions &options,
                                    llvm::raw_ostream &os,
                                    ExecutableStats *stats = nullptr);

} // namespace intr

#endif // INTR_TARGET_EXECUTABLEWRITER_H
