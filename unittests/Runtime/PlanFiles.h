//===- PlanFiles.h - Executables written by hand, for the tests -*- C++ -*-===//
//
// Builds .intrx files from a plain description, field by field, so that a
// test can write a valid plan or break exactly one thing in it: the loader
// tests (ExecutableTest.cpp) and the GPU session tests that need a plan no
// fixture has.
//
//===----------------------------------------------------------------------===//

#ifndef INTR_UNITTESTS_RUNTIME_PLANFILES_H
#define INTR_UNITTESTS_RUNTIME_PLANFILES_H

#include "intr/Target/Executable_generated.h"
#include "intr/Target/FilePreamble.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace intr::plantest {

namespace fb = intr::format;

struct TensorSpec {
  fb::DType dtype = fb::DType::F32;
  std::vector<int64_t> shape;
  fb::Storage storage = fb::Storage::Arena;
  uint64_t offset = 0;
  uint64_t size = 0;
};

struct StepSpec {
  std::string kernel;
  std::vector<int32_t> inputs, outputs;
  std::string location;
};

struct BindingSpec {
  std::string name;
  int32_t tensor = 0;
  std::string role;
};

/// Everything the header says, in a form a test can break one field of.
struct PlanSpec {
  std::string producer = "ExecutableTest";
  std::vector<TensorSpec> tensors;
  std::vector<StepSpec> steps;
  std::vector<BindingSpec> inputs, outputs;
  uint64_t arenaSize = 0;
  std::vector<float> weights;
  /// When set, the header claims this weight size instead of the real one.
  std::optional<uint64_t> headerWeightsSize;
  /// Written as by --strip-weights (the file then stores `weights` only).
  bool weightsStripped = false;
  fb::Precision precision = fb::Precision::FP32;
  bool withTensorTable = true;
  std::vector<int64_t> featureMap;
  int64_t numClasses = 0;
  std::vector<std::string> labels;
  /// Other plans of the model (intr-opt compile --variant): their tensors,
  /// steps, bindings, arena size and feature map are written.
  std::vector<PlanSpec> variants;
};

/// The FlatBuffers header of `plan`, with `identifier` instead of the
/// format's when given.
std::vector<uint8_t> buildHeader(const PlanSpec &plan,
                                 const char *identifier = nullptr);

/// Reads and writes the preamble of a file image.
fb::FilePreamble preambleOf(const std::vector<uint8_t> &file);
void setPreamble(std::vector<uint8_t> &file, const fb::FilePreamble &p);

/// Recomputes the checksum after a test changed the header or the weights,
/// so that the check behind the checksum is the one that must fire.
void reseal(std::vector<uint8_t> &file);

/// Lays out a file as the compiler does: preamble, header at 256, weights
/// at the next multiple of 256.
std::vector<uint8_t> buildFileFromHeader(const std::vector<uint8_t> &header,
                                         const std::vector<float> &weights);

/// The whole file of `plan`.
std::vector<uint8_t> buildFile(const PlanSpec &plan);

} // namespace intr::plantest

#endif // INTR_UNITTESTS_RUNTIME_PLANFILES_H
