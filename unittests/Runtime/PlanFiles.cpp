//===- PlanFiles.cpp - Executables written by hand, for the tests ---------===//
//
// See PlanFiles.h.
//
//===----------------------------------------------------------------------===//

#include "PlanFiles.h"

#include <cstring>

namespace intr::plantest {

namespace {

/// A plan's tables, as the Executable or a Variant lists them.
struct PlanTables {
  std::vector<flatbuffers::Offset<fb::Tensor>> tensors;
  std::vector<flatbuffers::Offset<fb::Step>> steps;
  std::vector<flatbuffers::Offset<fb::Binding>> inputs, outputs;
};

PlanTables buildTables(flatbuffers::FlatBufferBuilder &fbb,
                       const PlanSpec &plan) {
  PlanTables tables;
  for (const TensorSpec &t : plan.tensors)
    tables.tensors.push_back(fb::CreateTensorDirect(
        fbb, t.dtype, &t.shape, t.storage, t.offset, t.size));
  for (const StepSpec &s : plan.steps)
    tables.steps.push_back(fb::CreateStepDirect(fbb, s.kernel.c_str(),
                                                &s.inputs, &s.outputs, nullptr,
                                                s.location.c_str()));
  auto bindings = [&](const std::vector<BindingSpec> &list) {
    std::vector<flatbuffers::Offset<fb::Binding>> result;
    for (const BindingSpec &b : list)
      result.push_back(fb::CreateBindingDirect(fbb, b.name.c_str(), b.tensor,
                                               b.role.c_str()));
    return result;
  };
  tables.inputs = bindings(plan.inputs);
  tables.outputs = bindings(plan.outputs);
  return tables;
}

} // namespace

std::vector<uint8_t> buildHeader(const PlanSpec &plan, const char *identifier) {
  flatbuffers::FlatBufferBuilder fbb;
  std::vector<flatbuffers::Offset<fb::Variant>> variants;
  for (const PlanSpec &variant : plan.variants) {
    PlanTables tables = buildTables(fbb, variant);
    variants.push_back(fb::CreateVariantDirect(
        fbb, variant.withTensorTable ? &tables.tensors : nullptr, &tables.steps,
        &tables.inputs, &tables.outputs, variant.arenaSize,
        &variant.featureMap));
  }
  auto [tensors, steps, inputs, outputs] = buildTables(fbb, plan);
  std::vector<flatbuffers::Offset<flatbuffers::String>> labels;
  for (const std::string &label : plan.labels)
    labels.push_back(fbb.CreateString(label));
  std::vector<float> mean = {0.485f, 0.456f, 0.406f},
                     stddev = {0.229f, 0.224f, 0.225f};
  auto model = fb::CreateModelInfoDirect(fbb, &plan.featureMap, plan.numClasses,
                                         &labels, &mean, &stddev);
  uint64_t weightsSize =
      plan.headerWeightsSize.value_or(plan.weights.size() * sizeof(float));
  auto root = fb::CreateExecutableDirect(
      fbb, plan.producer.c_str(), plan.withTensorTable ? &tensors : nullptr,
      &steps, &inputs, &outputs, plan.arenaSize, weightsSize, model,
      plan.weightsStripped, plan.precision,
      variants.empty() ? nullptr : &variants);
  if (identifier)
    fbb.Finish(root, identifier);
  else
    fb::FinishExecutableBuffer(fbb, root);
  return {fbb.GetBufferPointer(), fbb.GetBufferPointer() + fbb.GetSize()};
}

fb::FilePreamble preambleOf(const std::vector<uint8_t> &file) {
  fb::FilePreamble preamble;
  std::memcpy(&preamble, file.data(), sizeof(preamble));
  return preamble;
}
void setPreamble(std::vector<uint8_t> &file, const fb::FilePreamble &p) {
  std::memcpy(file.data(), &p, sizeof(p));
}

void reseal(std::vector<uint8_t> &file) {
  fb::FilePreamble p = preambleOf(file);
  p.checksum =
      fb::checksum(file.data() + p.weightsOffset, p.weightsSize,
                   fb::checksum(file.data() + p.headerOffset, p.headerSize));
  setPreamble(file, p);
}

std::vector<uint8_t> buildFileFromHeader(const std::vector<uint8_t> &header,
                                         const std::vector<float> &weights) {
  fb::FilePreamble p{};
  std::memcpy(p.magic, fb::kMagic, sizeof(p.magic));
  p.version = fb::kFormatVersion;
  p.headerOffset = fb::kAlignment;
  p.headerSize = header.size();
  p.weightsOffset = fb::alignUp(p.headerOffset + p.headerSize);
  p.weightsSize = weights.size() * sizeof(float);
  std::vector<uint8_t> file(p.weightsOffset + p.weightsSize, 0);
  std::memcpy(file.data() + p.headerOffset, header.data(), header.size());
  if (!weights.empty())
    std::memcpy(file.data() + p.weightsOffset, weights.data(), p.weightsSize);
  setPreamble(file, p);
  reseal(file);
  return file;
}

std::vector<uint8_t> buildFile(const PlanSpec &plan) {
  return buildFileFromHeader(buildHeader(plan), plan.weights);
}

} // namespace intr::plantest
