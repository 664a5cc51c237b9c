//===- SessionGpuTest.cpp - CUDA sessions on plans written by hand --------===//
//
// What no fixture reaches: inputs and outputs larger than one transfer
// piece (8 MiB), which travel between the caller, the pinned staging and
// the device piece by piece, each piece's host copy overlapping the next
// piece's transfer; and weights that sessions of one loaded file share on
// the device. Exits with 77 (skipped) without a CUDA device.
//
//===----------------------------------------------------------------------===//

#include "PlanFiles.h"
#include "intr/runtime/Runtime.h"

#include <cuda_runtime.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <vector>

using namespace intr;
using namespace intr::plantest;

namespace {

// Tests a plan whose input and two outputs are about 20 MB each (two whole
// pieces and a ragged third): relu(x) and x + 0.5 (a weight) must come back
// exactly, element by element, from every kind of run.
TEST(SessionGpu, LargeInputsAndOutputsTravelInPieces) {
  constexpr int64_t kCount = 5'000'003;
  constexpr uint64_t kBytes = kCount * sizeof(float);
  constexpr uint64_t kAligned = (kBytes + 255) / 256 * 256;
  PlanSpec plan;
  plan.tensors = {
      {fb::DType::F32, {kCount}, fb::Storage::Arena, 0, kBytes},
      {fb::DType::F32, {1}, fb::Storage::Weight, 0, sizeof(float)},
      {fb::DType::F32, {kCount}, fb::Storage::Arena, kAligned, kBytes},
      {fb::DType::F32, {kCount}, fb::Storage::Arena, 2 * kAligned, kBytes},
  };
  plan.steps = {{"onnx.Relu", {0}, {2}, "relu"},
                {"onnx.Add", {0, 1}, {3}, "add"}};
  plan.inputs = {{"x", 0, "image"}};
  plan.outputs = {{"relu", 2, ""}, {"shifted", 3, ""}};
  plan.arenaSize = 3 * kAligned;
  plan.weights = {0.5f};
  std::vector<uint8_t> file = buildFile(plan);
  Expected<Executable> exe =
      Executable::fromBytes(file.data(), file.size(), "pieces.intrx");
  ASSERT_TRUE(exe) << exe.error().message();

  // Each run gets other values, so that a piece copied out before its
  // download landed would show the previous run's results.
  auto inputFor = [&](int run) {
    Tensor x(DType::F32, {kCount});
    float *values = x.data<float>();
    for (int64_t i = 0; i < kCount; ++i)
      values[i] = static_cast<float>((i + 7 * run) % 2001) - 1000.25f;
    return x;
  };
  auto expectExact = [&](const Outputs &outputs, const Tensor &x) {
    const Tensor *relu = outputs.get("relu"), *shifted = outputs.get("shifted");
    ASSERT_TRUE(relu && shifted);
    ASSERT_EQ(relu->numElements(), kCount);
    ASSERT_EQ(shifted->numElements(), kCount);
    const float *values = x.data<float>();
    int64_t wrong = 0, firstWrong = -1;
    for (int64_t i = 0; i < kCount; ++i) {
      float want = values[i] > 0 ? values[i] : 0.0f;
      if (relu->data<float>()[i] != want ||
          shifted->data<float>()[i] != values[i] + 0.5f) {
        if (firstWrong < 0)
          firstWrong = i;
        ++wrong;
      }
    }
    EXPECT_EQ(wrong, 0) << "first wrong element: " << firstWrong;
  };

  Expected<Session> session = Session::create(*exe, Device::cuda(0));
  ASSERT_TRUE(session) << session.error().message();
  // The first run, the replay, a run that leaves its outputs on the device,
  // a replay after it, and a profiled run.
  const struct {
    const char *what;
    bool copyOutputs, profile;
  } runs[] = {{"first run", true, false},
              {"graph replay", true, false},
              {"outputs left on the device", false, false},
              {"replay after that", true, false},
              {"profiled run", true, true}};
  for (int run = 0; run < 5; ++run) {
    SCOPED_TRACE(runs[run].what);
    Tensor x = inputFor(run);
    RunOptions options;
    options.copyOutputs = runs[run].copyOutputs;
    options.profile = runs[run].profile;
    Status started = session->start({{"x", TensorView(x)}}, options);
    ASSERT_TRUE(started.isOk()) << started.error().message();
    Expected<Outputs> outputs = session->finish();
    ASSERT_TRUE(outputs) << outputs.error().message();
    if (!runs[run].copyOutputs) {
      EXPECT_TRUE(outputs->names().empty());
      continue;
    }
    expectExact(*outputs, x);
  }
}

// Tests that sessions of one loaded file share its weights on the device:
// a second session (here of the file's other variant) allocates far less
// than the 256 MiB of weights, both compute y = x + w, the second keeps
// working once the first is gone, and a session created after both are
// gone uploads them again.
TEST(SessionGpu, SessionsOfOneFileShareItsWeights) {
  constexpr int64_t kBig = int64_t(64) << 20; // floats: 256 MiB
  constexpr uint64_t kBigBytes = kBig * sizeof(float);
  // x [4] + w [4] (the blob's first 4 floats); a large weight no step
  // reads still fills the blob.
  auto planOf = [&](int64_t rows) {
    PlanSpec plan;
    const uint64_t bytes = rows * 4 * sizeof(float);
    plan.tensors = {
        {fb::DType::F32, {rows, 4}, fb::Storage::Arena, 0, bytes},
        {fb::DType::F32, {4}, fb::Storage::Weight, 0, 4 * sizeof(float)},
        {fb::DType::F32, {kBig}, fb::Storage::Weight, 256, kBigBytes},
        {fb::DType::F32, {rows, 4}, fb::Storage::Arena, 256, bytes},
    };
    plan.steps = {{"onnx.Add", {0, 1}, {3}, "add"}};
    plan.inputs = {{"x", 0, ""}};
    plan.outputs = {{"y", 3, ""}};
    plan.arenaSize = 512;
    return plan;
  };
  PlanSpec plan = planOf(1);
  plan.variants = {planOf(2)};
  plan.weights.assign(64 + kBig, 0.0f);
  plan.weights[0] = 1.0f;
  plan.weights[1] = 2.0f;
  plan.weights[2] = 3.0f;
  plan.weights[3] = 4.0f;
  std::optional<Executable> exe;
  {
    std::vector<uint8_t> file = buildFile(plan);
    Expected<Executable> loaded =
        Executable::fromBytes(file.data(), file.size(), "shared.intrx");
    ASSERT_TRUE(loaded) << loaded.error().message();
    exe = *loaded;
  }
  auto expectSums = [](Session &session, int64_t rows) {
    std::vector<float> x(rows * 4, 10.0f);
    Expected<Outputs> outputs =
        session.run({{"x", TensorView(x.data(), {rows, 4})}});
    ASSERT_TRUE(outputs) << outputs.error().message();
    const Tensor *y = outputs->get("y");
    ASSERT_TRUE(y);
    for (int64_t i = 0; i < rows * 4; ++i)
      EXPECT_EQ(y->data<float>()[i], 11.0f + float(i % 4)) << i;
  };
  auto freeBytes = [] {
    size_t free = 0, total = 0;
    EXPECT_EQ(cudaMemGetInfo(&free, &total), cudaSuccess);
    return free;
  };

  std::optional<Session> first, second;
  {
    Expected<Session> created = Session::create(*exe, Device::cuda(0));
    ASSERT_TRUE(created) << created.error().message();
    first.emplace(std::move(*created));
  }
  expectSums(*first, 1);
  const size_t before = freeBytes();
  {
    Expected<Session> created =
        Session::create(exe->variants()[1], Device::cuda(0));
    ASSERT_TRUE(created) << created.error().message();
    second.emplace(std::move(*created));
  }
  const size_t after = freeBytes();
  EXPECT_LT(before > after ? before - after : 0, kBigBytes / 2)
      << "the second session allocated the weights again";
  expectSums(*second, 2);
  first.reset();
  expectSums(*second, 2);
  second.reset();
  Expected<Session> third = Session::create(*exe, Device::cuda(0));
  ASSERT_TRUE(third) << third.error().message();
  expectSums(*third, 1);
}

} // namespace
