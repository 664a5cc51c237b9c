//===- ExecutableTest.cpp - Loading .intrx files, good and hostile --------===//
//
// The runtime-only build has no compiler, so these tests write their
// executables themselves with the FlatBuffers builder and the preamble of
// FilePreamble.h: a tiny valid plan, y = Relu(x + w), that must load and
// compute the right numbers, and hostile variants of it (truncated, bytes
// flipped, offsets and sizes out of range, bad indices, unknown kernels)
// that must each come back as a clear error, never as a crash. Session::run
// is checked the same way for bad inputs, and two sessions of one
// executable are run on two threads.
//
//===----------------------------------------------------------------------===//

#include "PlanFiles.h"
#include "intr/Target/Executable_generated.h"
#include "intr/Target/FilePreamble.h"
#include "intr/runtime/Runtime.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace intr;
using namespace intr::plantest;
namespace fb = intr::format;

namespace {

//===----------------------------------------------------------------------===//
// Writing executables (PlanFiles.h)
//===----------------------------------------------------------------------===//

constexpr int64_t kRows = 2, kCols = 3;
constexpr uint64_t kBytes = kRows * kCols * sizeof(float);
const std::vector<float> kWeights = {-1.0f, 0.5f, 2.0f, -3.0f, 0.0f, 1.5f};

/// The valid plan: tensors 0 = x (input), 1 = w (weight), 2 = x + w,
/// 3 = y (output); steps onnx.Add then onnx.Relu.
PlanSpec validPlan() {
  PlanSpec plan;
  plan.tensors = {
      {fb::DType::F32, {kRows, kCols}, fb::Storage::Arena, 0, kBytes},
      {fb::DType::F32, {kRows, kCols}, fb::Storage::Weight, 0, kBytes},
      {fb::DType::F32, {kRows, kCols}, fb::Storage::Arena, 256, kBytes},
      {fb::DType::F32, {kRows, kCols}, fb::Storage::Arena, 512, kBytes},
  };
  plan.steps = {{"onnx.Add", {0, 1}, {2}, "add_node"},
                {"onnx.Relu", {2}, {3}, "relu_node"}};
  plan.inputs = {{"x", 0, "image"}};
  plan.outputs = {{"y", 3, "logits"}};
  plan.arenaSize = 768;
  plan.weights = kWeights;
  plan.featureMap = {kRows, kCols};
  plan.numClasses = kCols;
  plan.labels = {"cat", "dog", "bird"};
  return plan;
}

Expected<Executable> fromFile(const std::vector<uint8_t> &file,
                              size_t size = SIZE_MAX) {
  return Executable::fromBytes(file.data(), std::min(size, file.size()),
                               "test.intrx");
}

/// The error of loading `file`, or a failure naming the unexpected success.
std::string loadError(const std::vector<uint8_t> &file) {
  Expected<Executable> exe = fromFile(file);
  if (exe)
    return "<loaded without an error>";
  return exe.error().message();
}

std::string loadError(const PlanSpec &plan) {
  return loadError(buildFile(plan));
}

/// Runs `exe` on `x` and returns y.
std::vector<float> runOn(Session &session, const std::vector<float> &x,
                         std::vector<int64_t> shape = {kRows, kCols}) {
  Expected<Outputs> outputs = session.run({{"x", TensorView(x.data(), shape)}});
  EXPECT_TRUE(outputs) << outputs.error().message();
  if (!outputs)
    return {};
  const Tensor *y = outputs->get("y");
  EXPECT_NE(y, nullptr);
  if (!y)
    return {};
  return {y->data<float>(), y->data<float>() + y->numElements()};
}

std::vector<float> expectedY(const std::vector<float> &x) {
  std::vector<float> y(x.size());
  for (size_t i = 0; i < x.size(); ++i)
    y[i] = std::max(0.0f, x[i] + kWeights[i % kWeights.size()]);
  return y;
}

std::string tempPath(const std::string &name) {
  return ::testing::TempDir() + "intr-exe-" + std::to_string(::getpid()) + "-" +
         name;
}

#define EXPECT_ERROR_CONTAINS(message, substring)                              \
  EXPECT_NE(std::string(message).find(substring), std::string::npos)           \
      << "message: " << (message) << "\nexpected to contain: " << (substring)

//===----------------------------------------------------------------------===//
// The valid executable
//===----------------------------------------------------------------------===//

// Tests that the hand-written plan loads, describes itself and runs.
TEST(Executable, ValidPlanLoadsAndComputesReluOfSum) {
  std::vector<uint8_t> file = buildFile(validPlan());
  Expected<Executable> exe = fromFile(file);
  ASSERT_TRUE(exe) << exe.error().message();

  ASSERT_EQ(exe->inputs().size(), 1u);
  EXPECT_EQ(exe->inputs()[0].name, "x");
  EXPECT_EQ(exe->inputs()[0].dtype, DType::F32);
  EXPECT_EQ(exe->inputs()[0].shape, (std::vector<int64_t>{kRows, kCols}));
  EXPECT_EQ(exe->inputs()[0].role, "image");
  ASSERT_EQ(exe->outputs().size(), 1u);
  EXPECT_EQ(exe->outputs()[0].name, "y");
  EXPECT_EQ(exe->outputs()[0].role, "logits");
  EXPECT_EQ(exe->featureMap(), (std::vector<int64_t>{kRows, kCols}));
  EXPECT_EQ(exe->numClasses(), kCols);
  EXPECT_EQ(exe->labels(), (std::vector<std::string>{"cat", "dog", "bird"}));
  EXPECT_EQ(exe->pixelMean().size(), 3u);
  EXPECT_EQ(exe->pixelStd().size(), 3u);
  EXPECT_EQ(exe->arenaSize(), 768u);
  EXPECT_EQ(exe->weightsSize(), kBytes);
  EXPECT_EQ(exe->stepKernels(),
            (std::vector<std::string>{"onnx.Add", "onnx.Relu"}));
  EXPECT_EQ(exe->producer(), "ExecutableTest");
  EXPECT_EQ(exe->source(), "test.intrx");

  Expected<Session> session = Session::create(*exe, Device::cpu(1));
  ASSERT_TRUE(session) << session.error().message();
  std::vector<float> x = {1.0f, 1.0f, -3.0f, 4.0f, -0.5f, 0.25f};
  std::vector<float> y = runOn(*session, x);
  EXPECT_EQ(y, (std::vector<float>{0.0f, 1.5f, 0.0f, 1.0f, 0.0f, 1.75f}));
  // A second run reuses the arena and must not see the first run's values.
  std::vector<float> x2 = {2.0f, -2.0f, 0.0f, 3.0f, 1.0f, -1.5f};
  EXPECT_EQ(runOn(*session, x2), expectedY(x2));
  Expected<Outputs> outputs =
      session->run({{"x", TensorView(x.data(), {kRows, kCols})}});
  ASSERT_TRUE(outputs);
  EXPECT_NE(outputs->byRole("logits"), nullptr);
  EXPECT_EQ(outputs->byRole("attention"), nullptr);
}

// Tests that a plan without steps, whose output is its input, runs.
TEST(Executable, PlanWithoutStepsCopiesItsInput) {
  PlanSpec plan = validPlan();
  plan.steps.clear();
  plan.outputs = {{"y", 0, ""}};
  Expected<Executable> exe = fromFile(buildFile(plan));
  ASSERT_TRUE(exe) << exe.error().message();
  Expected<Session> session = Session::create(*exe, Device::cpu(1));
  ASSERT_TRUE(session) << session.error().message();
  std::vector<float> x = {1, 2, 3, 4, 5, 6};
  EXPECT_EQ(runOn(*session, x), x);
}

// Tests that Executable::load maps the file and that a session keeps the
// mapping alive after the Executable it came from is gone.
TEST(Executable, LoadsFromDiskAndSessionsOutliveTheExecutable) {
  std::vector<uint8_t> file = buildFile(validPlan());
  std::string path = tempPath("valid.intrx");
  {
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char *>(file.data()), file.size());
  }
  std::optional<Session> session;
  {
    Expected<Executable> exe = Executable::load(path);
    ASSERT_TRUE(exe) << exe.error().message();
    EXPECT_EQ(exe->source(), path);
    Expected<Session> created = Session::create(*exe, Device::cpu(1));
    ASSERT_TRUE(created) << created.error().message();
    session.emplace(std::move(*created));
  }
  std::remove(path.c_str());
  std::vector<float> x = {0.5f, -0.5f, 1.0f, 3.0f, 0.0f, -2.0f};
  EXPECT_EQ(runOn(*session, x), expectedY(x));
}

/// validPlan with a variant for one row: tensors 0 = x [1, 3], 1 = the
/// weights' first row, 2 = x + w, 3 = y; feature map 1 x 3.
PlanSpec planWithVariant() {
  PlanSpec plan = validPlan();
  PlanSpec row;
  constexpr uint64_t rowBytes = kCols * sizeof(float);
  row.tensors = {
      {fb::DType::F32, {1, kCols}, fb::Storage::Arena, 0, rowBytes},
      {fb::DType::F32, {1, kCols}, fb::Storage::Weight, 0, rowBytes},
      {fb::DType::F32, {1, kCols}, fb::Storage::Arena, 256, rowBytes},
      {fb::DType::F32, {1, kCols}, fb::Storage::Arena, 512, rowBytes},
  };
  row.steps = {{"onnx.Add", {0, 1}, {2}, "add_node"},
               {"onnx.Relu", {2}, {3}, "relu_node"}};
  row.inputs = {{"x", 0, "image"}};
  row.outputs = {{"y", 3, "logits"}};
  row.arenaSize = 768;
  row.featureMap = {1, kCols};
  plan.variants = {row};
  return plan;
}

// Tests that an executable's variants load as executables of their own
// over the file's weights, keep the file alive, share its metadata, and
// run; and that a file without variants is its only one.
TEST(Executable, VariantsRunOverTheSharedWeights) {
  std::optional<Executable> variant;
  {
    Expected<Executable> exe = fromFile(buildFile(planWithVariant()));
    ASSERT_TRUE(exe) << exe.error().message();
    std::vector<Executable> variants = exe->variants();
    ASSERT_EQ(variants.size(), 2u);
    EXPECT_EQ(variants[0].inputs()[0].shape, exe->inputs()[0].shape);
    EXPECT_EQ(variants[1].inputs()[0].shape, (std::vector<int64_t>{1, kCols}));
    EXPECT_EQ(variants[1].featureMap(), (std::vector<int64_t>{1, kCols}));
    EXPECT_EQ(exe->featureMap(), (std::vector<int64_t>{kRows, kCols}));
    EXPECT_EQ(variants[1].labels(), exe->labels());
    EXPECT_EQ(variants[1].numClasses(), kCols);
    EXPECT_EQ(variants[1].weightsSize(), exe->weightsSize());
    EXPECT_EQ(variants[1].variants().size(), 2u);
    variant = variants[1];
  }
  Expected<Session> session = Session::create(*variant, Device::cpu(1));
  ASSERT_TRUE(session) << session.error().message();
  std::vector<float> x = {0.5f, -0.75f, 1.0f};
  std::vector<float> y = runOn(*session, x, {1, kCols});
  EXPECT_EQ(y, (std::vector<float>{0.0f, 0.0f, 3.0f}));
  // The first plan, reached from the variant, runs as before.
  Expected<Session> first =
      Session::create(variant->variants()[0], Device::cpu(1));
  ASSERT_TRUE(first) << first.error().message();
  std::vector<float> xs = {0.5f, -0.5f, 1.0f, 3.0f, 0.0f, -2.0f};
  EXPECT_EQ(runOn(*first, xs), expectedY(xs));

  Expected<Executable> single = fromFile(buildFile(validPlan()));
  ASSERT_TRUE(single) << single.error().message();
  ASSERT_EQ(single->variants().size(), 1u);
  EXPECT_EQ(single->variants()[0].inputs()[0].shape, single->inputs()[0].shape);
}

// Tests that a variant is checked as the first plan is, its errors naming
// it, and that its inputs and outputs must be the first plan's.
TEST(Executable, HostileVariantsAreRefused) {
  PlanSpec plan = planWithVariant();
  plan.variants[0].steps[0].inputs = {0, 9};
  EXPECT_ERROR_CONTAINS(loadError(plan), "variant 1: step 0 (onnx.Add, node "
                                         "'add_node'): refers to tensor 9 "
                                         "of 4");
  plan = planWithVariant();
  plan.variants[0].tensors[1].offset = 256;
  EXPECT_ERROR_CONTAINS(loadError(plan),
                        "variant 1: tensor 1: bytes [256, 268) lie outside "
                        "the weights of 24 bytes");
  plan = planWithVariant();
  plan.variants[0].arenaSize = 512;
  EXPECT_ERROR_CONTAINS(loadError(plan), "variant 1: tensor 3: bytes [512, "
                                         "524) lie outside the arena of 512");
  plan = planWithVariant();
  plan.variants[0].withTensorTable = false;
  EXPECT_ERROR_CONTAINS(loadError(plan), "variant 1: no tensor table");
  plan = planWithVariant();
  plan.variants[0].inputs[0].name = "z";
  EXPECT_ERROR_CONTAINS(loadError(plan),
                        "variant 1: its inputs or outputs differ from the "
                        "first plan's");
  plan = planWithVariant();
  plan.variants[0].tensors[3].dtype = fb::DType::F64;
  plan.variants[0].tensors[3].size = kCols * sizeof(double);
  EXPECT_ERROR_CONTAINS(loadError(plan),
                        "variant 1: its inputs or outputs differ from the "
                        "first plan's");
  plan = planWithVariant();
  plan.variants[0].outputs.clear();
  EXPECT_ERROR_CONTAINS(loadError(plan),
                        "variant 1: the executable has no outputs");
}

// Tests that a header whose tables share their pieces is refused before
// they are copied: a small file could otherwise ask for any amount of
// memory (a label referred to a million times, a variant listed ten
// thousand times, each copying the file's labels), where every file the
// writer makes takes at least a byte per element.
TEST(Executable, HeadersThatRepeatTheirPiecesAreRefused) {
  const PlanSpec plan = validPlan();
  auto headerWith = [&](int labels, int variants) {
    flatbuffers::FlatBufferBuilder fbb;
    auto tensors = [&](const PlanSpec &spec) {
      std::vector<flatbuffers::Offset<fb::Tensor>> list;
      for (const TensorSpec &t : spec.tensors)
        list.push_back(fb::CreateTensorDirect(fbb, t.dtype, &t.shape, t.storage,
                                              t.offset, t.size));
      return fbb.CreateVector(list);
    };
    auto bindings = [&](const std::vector<BindingSpec> &specs) {
      std::vector<flatbuffers::Offset<fb::Binding>> list;
      for (const BindingSpec &b : specs)
        list.push_back(fb::CreateBindingDirect(fbb, b.name.c_str(), b.tensor,
                                               b.role.c_str()));
      return fbb.CreateVector(list);
    };
    // One Variant table and one label string, referred to many times.
    auto variant =
        fb::CreateVariant(fbb, tensors(plan), 0, bindings(plan.inputs),
                          bindings(plan.outputs), plan.arenaSize);
    auto label = fbb.CreateString("a label of some length");
    auto model = fb::CreateModelInfo(
        fbb, 0, plan.numClasses,
        fbb.CreateVector(std::vector<flatbuffers::Offset<flatbuffers::String>>(
            labels, label)));
    auto root = fb::CreateExecutable(
        fbb, fbb.CreateString("test"), tensors(plan), 0, bindings(plan.inputs),
        bindings(plan.outputs), plan.arenaSize,
        plan.weights.size() * sizeof(float), model, false, fb::Precision::FP32,
        fbb.CreateVector(
            std::vector<flatbuffers::Offset<fb::Variant>>(variants, variant)));
    fb::FinishExecutableBuffer(fbb, root);
    return std::vector<uint8_t>(fbb.GetBufferPointer(),
                                fbb.GetBufferPointer() + fbb.GetSize());
  };
  auto fileWith = [&](int labels, int variants) {
    return buildFileFromHeader(headerWith(labels, variants), plan.weights);
  };
  // A few repeats fit in what the header holds; many do not.
  Expected<Executable> few = fromFile(fileWith(3, 2));
  ASSERT_TRUE(few) << few.error().message();
  EXPECT_EQ(few->labels().size(), 3u);
  EXPECT_EQ(few->variants().size(), 3u);
  const char *refused = "bytes hold: its tables share their pieces";
  EXPECT_ERROR_CONTAINS(loadError(fileWith(100000, 0)), refused);
  EXPECT_ERROR_CONTAINS(loadError(fileWith(3, 10000)), refused);
}

// Tests that an executable moved from stays usable (moves copy its shared
// state) and that a session moved from answers with errors, where both
// dereferenced a null pointer.
TEST(Executable, MovedFromExecutableAndSessionFailCleanly) {
  Expected<Executable> exe = fromFile(buildFile(validPlan()));
  ASSERT_TRUE(exe) << exe.error().message();
  Executable moved = std::move(*exe);
  EXPECT_EQ(exe->inputs().size(), 1u);
  EXPECT_EQ(moved.inputs().size(), 1u);
  Expected<Session> created = Session::create(*exe, Device::cpu(1));
  ASSERT_TRUE(created) << created.error().message();
  Session session = std::move(*created);
  std::vector<float> x = {0.5f, -0.5f, 1.0f, 3.0f, 0.0f, -2.0f};
  EXPECT_EQ(runOn(session, x), expectedY(x));

  Expected<Outputs> run =
      created->run({{"x", TensorView(x.data(), {kRows, kCols})}});
  ASSERT_FALSE(run);
  EXPECT_ERROR_CONTAINS(run.error().message(), "the session was moved from");
  EXPECT_FALSE(created->startInPlace());
  Outputs outputs;
  EXPECT_FALSE(created->finish(outputs));
  EXPECT_FALSE(created->buffer("x"));
  EXPECT_TRUE(created->profile().empty());
  EXPECT_EQ(created->memoryBytes(), 0u);
  EXPECT_EQ(runOn(session, x), expectedY(x));
}

// Tests that a run whose outputs stay in the session's buffers leaves no
// tensor of an earlier run in the Outputs it is given, and that adding an
// output again replaces it.
TEST(Executable, OutputsLeftInBuffersEmptyTheOutputsGiven) {
  Expected<Executable> exe = fromFile(buildFile(validPlan()));
  ASSERT_TRUE(exe) << exe.error().message();
  Expected<Session> session = Session::create(*exe, Device::cpu(1));
  ASSERT_TRUE(session) << session.error().message();
  std::vector<float> x = {0.5f, -0.5f, 1.0f, 3.0f, 0.0f, -2.0f};
  std::map<std::string, TensorView> inputs = {
      {"x", TensorView(x.data(), {kRows, kCols})}};
  Outputs outputs;
  ASSERT_TRUE(session->start(inputs));
  ASSERT_TRUE(session->finish(outputs));
  ASSERT_EQ(outputs.names().size(), 1u);
  RunOptions inBuffers;
  inBuffers.copyOutputs = false;
  ASSERT_TRUE(session->start(inputs, inBuffers));
  ASSERT_TRUE(session->finish(outputs));
  EXPECT_TRUE(outputs.names().empty());
  EXPECT_EQ(outputs.get("y"), nullptr);

  outputs.add("y", "logits", Tensor(DType::F32, {1}));
  outputs.add("y", "logits", Tensor(DType::F32, {2}));
  EXPECT_EQ(outputs.names(), std::vector<std::string>{"y"});
  EXPECT_EQ(outputs.get("y")->numElements(), 2);
}

// Tests that two sessions of one executable, each on its own thread, give
// the same results as one session alone (they share only the weights).
TEST(Executable, TwoSessionsOnTwoThreadsAgree) {
  Expected<Executable> exe = fromFile(buildFile(validPlan()));
  ASSERT_TRUE(exe) << exe.error().message();
  constexpr int kRuns = 200;
  auto inputFor = [](int thread, int run) {
    std::vector<float> x(kRows * kCols);
    for (size_t i = 0; i < x.size(); ++i)
      x[i] = std::sin(float(thread * 1000 + run * 10 + int(i)));
    return x;
  };
  std::array<std::vector<std::vector<float>>, 2> results;
  std::array<std::string, 2> errors;
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t)
    threads.emplace_back([&, t] {
      Expected<Session> session = Session::create(*exe, Device::cpu(1));
      if (!session) {
        errors[t] = session.error().message();
        return;
      }
      for (int run = 0; run < kRuns; ++run) {
        std::vector<float> x = inputFor(t, run);
        Expected<Outputs> out =
            session->run({{"x", TensorView(x.data(), {kRows, kCols})}});
        if (!out) {
          errors[t] = out.error().message();
          return;
        }
        const Tensor *y = out->get("y");
        results[t].emplace_back(y->data<float>(),
                                y->data<float>() + y->numElements());
      }
    });
  for (std::thread &thread : threads)
    thread.join();
  ASSERT_EQ(errors[0], "");
  ASSERT_EQ(errors[1], "");
  // Both threads ran the same inputs for t = 0 and t = 1 in one session
  // alone, so each result must match the sequential one exactly.
  Expected<Session> alone = Session::create(*exe, Device::cpu(1));
  ASSERT_TRUE(alone);
  for (int t = 0; t < 2; ++t) {
    ASSERT_EQ(results[t].size(), size_t(kRuns));
    for (int run = 0; run < kRuns; ++run) {
      std::vector<float> x = inputFor(t, run);
      ASSERT_EQ(results[t][run], runOn(*alone, x))
          << "thread " << t << ", run " << run;
      ASSERT_EQ(results[t][run], expectedY(x));
    }
  }
}

//===----------------------------------------------------------------------===//
// Damaged files
//===----------------------------------------------------------------------===//

// Tests that every truncation of a valid file is rejected with an error.
TEST(ExecutableCorrupt, EveryTruncationIsAnError) {
  std::vector<uint8_t> file = buildFile(validPlan());
  for (size_t size = 0; size < file.size(); ++size) {
    Expected<Executable> exe = fromFile(file, size);
    ASSERT_FALSE(exe) << "truncated to " << size << " bytes";
    const std::string &message = exe.error().message();
    EXPECT_EQ(message.rfind("test.intrx: ", 0), 0u) << message;
    if (size < sizeof(fb::FilePreamble))
      EXPECT_ERROR_CONTAINS(message, "too short");
    else
      EXPECT_ERROR_CONTAINS(message, "(truncated?)");
  }
}

// Tests that every change of a single preamble byte is caught: the offsets,
// sizes and checksum do not fit any more, or a fixed field is wrong.
TEST(ExecutableCorrupt, EveryPreambleByteFlipIsAnError) {
  const std::vector<uint8_t> file = buildFile(validPlan());
  for (size_t offset = 0; offset < sizeof(fb::FilePreamble); ++offset)
    for (uint8_t mask : {0x01, 0x10, 0x80, 0xff}) {
      std::vector<uint8_t> bad = file;
      bad[offset] ^= mask;
      Expected<Executable> exe = fromFile(bad);
      ASSERT_FALSE(exe) << "byte " << offset << " ^ " << int(mask)
                        << " was accepted";
      EXPECT_EQ(exe.error().message().rfind("test.intrx: ", 0), 0u)
          << exe.error().message();
    }
}

// Tests that a changed header or weight byte is a checksum mismatch: the
// checksum covers both parts, and one changed word always changes it.
TEST(ExecutableCorrupt, HeaderAndWeightByteFlipsAreChecksumMismatches) {
  const std::vector<uint8_t> file = buildFile(validPlan());
  fb::FilePreamble p = preambleOf(file);
  auto flipAll = [&](uint64_t begin, uint64_t end) {
    for (uint64_t offset = begin; offset < end; ++offset) {
      std::vector<uint8_t> bad = file;
      bad[offset] ^= 0x5a;
      EXPECT_ERROR_CONTAINS(loadError(bad), "checksum mismatch")
          << "byte " << offset;
    }
  };
  flipAll(p.headerOffset, p.headerOffset + p.headerSize);
  flipAll(p.weightsOffset, p.weightsOffset + p.weightsSize);
}

// Tests that a header with a correct checksum but any one byte changed
// (corruption before the checksum was computed) loads, or fails with an
// error, and that whatever loads also creates a session and runs.
TEST(ExecutableCorrupt, ResealedHeaderByteFlipsNeverCrash) {
  const std::vector<uint8_t> file = buildFile(validPlan());
  fb::FilePreamble p = preambleOf(file);
  std::vector<float> x(kRows * kCols, 1.0f);
  for (uint64_t offset = p.headerOffset; offset < p.headerOffset + p.headerSize;
       ++offset)
    for (uint8_t mask : {0x01, 0x80, 0xff}) {
      std::vector<uint8_t> bad = file;
      bad[offset] ^= mask;
      reseal(bad);
      Expected<Executable> exe = fromFile(bad);
      if (!exe) {
        EXPECT_EQ(exe.error().message().rfind("test.intrx: ", 0), 0u);
        continue;
      }
      // A flipped high bit of the arena size is a valid, enormous arena:
      // allocating it is not what this test is about.
      if (exe->arenaSize() > (1u << 20))
        continue;
      Expected<Session> session = Session::create(*exe, Device::cpu(1));
      if (!session)
        continue;
      std::map<std::string, TensorView> inputs;
      std::vector<std::vector<uint8_t>> buffers;
      for (const TensorInfo &info : exe->inputs()) {
        buffers.emplace_back(size_t(elementCount(info.shape)) *
                             dtypeSize(info.dtype));
        inputs[info.name] =
            TensorView(buffers.back().data(), info.dtype, info.shape);
      }
      (void)session->run(inputs);
    }
}

// Tests the preamble's fixed fields.
TEST(ExecutableCorrupt, BadMagicVersionAndReservedFields) {
  const std::vector<uint8_t> file = buildFile(validPlan());
  {
    std::vector<uint8_t> bad = file;
    std::memcpy(bad.data(), "NOTINTRX", 8);
    EXPECT_ERROR_CONTAINS(loadError(bad), "not an .intrx executable");
  }
  {
    fb::FilePreamble p = preambleOf(file);
    p.version = fb::kFormatVersion + 1;
    std::vector<uint8_t> bad = file;
    setPreamble(bad, p);
    std::string message = loadError(bad);
    EXPECT_ERROR_CONTAINS(message, "format version " +
                                       std::to_string(fb::kFormatVersion + 1));
    EXPECT_ERROR_CONTAINS(message, "recompile");
  }
  for (int field = 0; field < 2; ++field) {
    fb::FilePreamble p = preambleOf(file);
    if (field == 0)
      p.reserved = 1;
    else
      p.reserved2 = 1;
    std::vector<uint8_t> bad = file;
    setPreamble(bad, p);
    EXPECT_ERROR_CONTAINS(loadError(bad), "reserved");
  }
}

// Tests header and weight offsets and sizes outside the file, including
// ones whose sum overflows 64 bits.
TEST(ExecutableCorrupt, PartsOutsideTheFile) {
  const std::vector<uint8_t> file = buildFile(validPlan());
  const uint64_t max = std::numeric_limits<uint64_t>::max();
  struct Case {
    uint64_t fb::FilePreamble::*field;
    uint64_t value;
    const char *message;
  };
  const Case cases[] = {
      {&fb::FilePreamble::headerOffset, file.size() + 256, "header at offset"},
      {&fb::FilePreamble::headerOffset, max - 255, "header at offset"},
      {&fb::FilePreamble::headerSize, file.size(), "header at offset"},
      {&fb::FilePreamble::headerSize, max, "header at offset"},
      {&fb::FilePreamble::headerSize, 4, "a header of 4 bytes"},
      {&fb::FilePreamble::headerOffset, 264, "header offset 264"},
      {&fb::FilePreamble::weightsOffset, file.size() + 256,
       "weights at offset"},
      {&fb::FilePreamble::weightsOffset, max - 255, "weights at offset"},
      {&fb::FilePreamble::weightsSize, max, "weights at offset"},
      {&fb::FilePreamble::weightsSize, max - 100, "weights at offset"},
      {&fb::FilePreamble::weightsOffset, 8, "weights offset 8"},
  };
  for (const Case &c : cases) {
    fb::FilePreamble p = preambleOf(file);
    p.*c.field = c.value;
    std::vector<uint8_t> bad = file;
    setPreamble(bad, p);
    EXPECT_ERROR_CONTAINS(loadError(bad), c.message) << "value " << c.value;
  }
}

// Tests headers that are not an executable's FlatBuffer.
TEST(ExecutableCorrupt, HeaderIsNotAnExecutable) {
  PlanSpec plan = validPlan();
  EXPECT_ERROR_CONTAINS(
      loadError(buildFileFromHeader(buildHeader(plan, "ABCD"), plan.weights)),
      "bad identifier");
  // Garbage behind the right identifier: the verifier must reject it.
  std::vector<uint8_t> garbage(64, 0xee);
  std::memcpy(garbage.data() + 4, "INTX", 4);
  EXPECT_ERROR_CONTAINS(loadError(buildFileFromHeader(garbage, plan.weights)),
                        "does not match the executable schema");
  // A root offset that points past the end of the header.
  std::vector<uint8_t> header = buildHeader(plan);
  uint32_t root = uint32_t(header.size()) + 4;
  std::memcpy(header.data(), &root, 4);
  EXPECT_ERROR_CONTAINS(loadError(buildFileFromHeader(header, plan.weights)),
                        "does not match the executable schema");
}

//===----------------------------------------------------------------------===//
// Consistent files with bad contents
//===----------------------------------------------------------------------===//

// Tests tensor indices out of range in steps and bindings.
TEST(ExecutablePlan, TensorIndexOutOfRange) {
  {
    PlanSpec plan = validPlan();
    plan.steps[1].inputs = {7};
    std::string message = loadError(plan);
    EXPECT_ERROR_CONTAINS(message, "step 1 (onnx.Relu, node 'relu_node')");
    EXPECT_ERROR_CONTAINS(message, "refers to tensor 7 of 4");
  }
  {
    PlanSpec plan = validPlan();
    plan.steps[0].inputs = {0, -2};
    EXPECT_ERROR_CONTAINS(loadError(plan), "refers to tensor -2 of 4");
  }
  {
    // -1 is an omitted optional operand, and an omitted result only for
    // the class attentions' maps, after their first result.
    PlanSpec plan = validPlan();
    plan.steps[0].outputs = {-1};
    EXPECT_ERROR_CONTAINS(loadError(plan), "refers to tensor -1 of 4");
    plan.steps[0].outputs = {2, -1};
    EXPECT_ERROR_CONTAINS(loadError(plan), "refers to tensor -1 of 4");
    plan.steps[0].kernel = "intr.class_attention_kv";
    plan.steps[0].outputs = {-1, 2};
    EXPECT_ERROR_CONTAINS(loadError(plan), "refers to tensor -1 of 4");
  }
  {
    PlanSpec plan = validPlan();
    plan.steps[0].kernel = "intr.class_attention_kv";
    plan.steps[0].outputs = {2, -1, -1};
    EXPECT_EQ(loadError(plan), "<loaded without an error>");
  }
  {
    PlanSpec plan = validPlan();
    plan.outputs[0].tensor = 4;
    EXPECT_ERROR_CONTAINS(loadError(plan), "output 'y': refers to tensor 4");
  }
  {
    PlanSpec plan = validPlan();
    plan.inputs[0].tensor = std::numeric_limits<int32_t>::max();
    EXPECT_ERROR_CONTAINS(loadError(plan), "input 'x': refers to tensor");
  }
}

// Tests shapes no model has: negative, huge, overflowing, of huge rank.
TEST(ExecutablePlan, InvalidShapes) {
  const std::vector<std::vector<int64_t>> shapes = {
      {-1, 6},
      {2, -3},
      {std::numeric_limits<int64_t>::min()},
      {int64_t(1) << 41},
      {int64_t(1) << 30, int64_t(1) << 30, int64_t(1) << 30},
      {std::numeric_limits<int64_t>::max(), 0},
      std::vector<int64_t>(17, 1),
  };
  for (const std::vector<int64_t> &shape : shapes) {
    PlanSpec plan = validPlan();
    plan.tensors[2].shape = shape;
    std::string message = loadError(plan);
    EXPECT_ERROR_CONTAINS(message, "tensor 2: invalid shape")
        << formatShape(shape);
  }
}

// Tests sizes that disagree with the shape and dtype.
TEST(ExecutablePlan, SizeDoesNotMatchShape) {
  for (uint64_t size : {kBytes - 4, kBytes + 4, uint64_t(0),
                        std::numeric_limits<uint64_t>::max()}) {
    PlanSpec plan = validPlan();
    plan.tensors[3].size = size;
    EXPECT_ERROR_CONTAINS(loadError(plan),
                          "tensor 3: size " + std::to_string(size) +
                              " does not match its shape [2, 3] of f32");
  }
  PlanSpec plan = validPlan();
  plan.tensors[3].dtype = fb::DType::F64;
  EXPECT_ERROR_CONTAINS(loadError(plan), "does not match its shape");
}

// Tests offsets outside the arena or the weight blob, and unaligned ones.
TEST(ExecutablePlan, OffsetsOutsideTheArenaOrWeights) {
  const uint64_t max = std::numeric_limits<uint64_t>::max();
  {
    PlanSpec plan = validPlan();
    plan.tensors[3].offset = 768;
    EXPECT_ERROR_CONTAINS(loadError(plan),
                          "tensor 3: bytes [768, 792) lie outside the arena "
                          "of 768 bytes");
  }
  {
    // offset + size overflows 64 bits.
    PlanSpec plan = validPlan();
    plan.tensors[3].offset = max - 255;
    EXPECT_ERROR_CONTAINS(loadError(plan), "lie outside the arena");
  }
  {
    PlanSpec plan = validPlan();
    plan.tensors[1].offset = 256;
    EXPECT_ERROR_CONTAINS(loadError(plan), "lie outside the weights of 24");
  }
  {
    PlanSpec plan = validPlan();
    plan.tensors[1].offset = max - 255;
    EXPECT_ERROR_CONTAINS(loadError(plan), "lie outside the weights");
  }
  {
    // The arena is smaller than the tensors placed in it.
    PlanSpec plan = validPlan();
    plan.arenaSize = 512;
    EXPECT_ERROR_CONTAINS(loadError(plan), "tensor 3: bytes [512, 536)");
  }
  {
    PlanSpec plan = validPlan();
    plan.tensors[2].offset = 128;
    EXPECT_ERROR_CONTAINS(loadError(plan),
                          "tensor 2: offset 128 is not a multiple of 256");
  }
  {
    PlanSpec plan = validPlan();
    plan.arenaSize = max;
    EXPECT_ERROR_CONTAINS(loadError(plan), "implausibly large");
  }
  {
    PlanSpec plan = validPlan();
    plan.headerWeightsSize = 48;
    EXPECT_ERROR_CONTAINS(loadError(plan), "disagree on the weight size");
  }
}

// Tests that no step and no binding may write to the weights (they are
// mapped read-only).
TEST(ExecutablePlan, WritesToWeights) {
  {
    PlanSpec plan = validPlan();
    plan.steps[1].outputs = {1};
    std::string message = loadError(plan);
    EXPECT_ERROR_CONTAINS(message, "step 1 (onnx.Relu, node 'relu_node')");
    EXPECT_ERROR_CONTAINS(message, "writes to a weight (tensor 1)");
  }
  {
    // An input binding is written by every run.
    PlanSpec plan = validPlan();
    plan.inputs[0].tensor = 1;
    EXPECT_ERROR_CONTAINS(loadError(plan),
                          "input 'x': writes to a weight (tensor 1)");
  }
}

// Tests that a step's results share no arena byte with its operands or with
// each other, which no compiled plan does and which kernels need not
// survive (found by intr-fuzz-executable: a Transpose whose result
// overlapped its operand made its row copies overlap).
TEST(ExecutablePlan, OverlappingStepBuffers) {
  {
    // In place.
    PlanSpec plan = validPlan();
    plan.steps[1].outputs = {2};
    plan.outputs[0].tensor = 2;
    EXPECT_ERROR_CONTAINS(loadError(plan),
                          "step 1 (onnx.Relu, node 'relu_node'): result "
                          "tensor 2 overlaps operand tensor 2 in the arena");
  }
  {
    // Partly: the operand, made larger, runs into the result.
    PlanSpec plan = validPlan();
    plan.tensors[2].shape = {kRows, 128};
    plan.tensors[2].size = kRows * 128 * sizeof(float);
    plan.arenaSize = 1280;
    EXPECT_ERROR_CONTAINS(loadError(plan),
                          "result tensor 3 overlaps operand tensor 2");
  }
  {
    // Two results of one step.
    PlanSpec plan = validPlan();
    plan.tensors.push_back(plan.tensors[3]);
    plan.steps[1] = {"onnx.Split", {2}, {3, 4}, "split_node"};
    EXPECT_ERROR_CONTAINS(loadError(plan),
                          "result tensors 3 and 4 overlap in the arena");
  }
}

// Tests binding names: unique, non-empty, and at least one output.
TEST(ExecutablePlan, BindingNames) {
  {
    PlanSpec plan = validPlan();
    plan.inputs.push_back({"x", 2, ""});
    EXPECT_ERROR_CONTAINS(loadError(plan),
                          "input names must be unique and non-empty ('x')");
  }
  {
    PlanSpec plan = validPlan();
    plan.inputs[0].name = "";
    EXPECT_ERROR_CONTAINS(loadError(plan), "input names must be unique");
  }
  {
    PlanSpec plan = validPlan();
    plan.outputs.push_back({"y", 2, ""});
    EXPECT_ERROR_CONTAINS(loadError(plan), "output names must be unique");
  }
  {
    PlanSpec plan = validPlan();
    plan.outputs.clear();
    EXPECT_ERROR_CONTAINS(loadError(plan), "the executable has no outputs");
  }
}

// Tests enum values beyond the schema's (the verifier does not check them).
TEST(ExecutablePlan, UnknownDtypeStorageAndMissingTensorTable) {
  {
    PlanSpec plan = validPlan();
    plan.tensors[2].dtype = static_cast<fb::DType>(42);
    EXPECT_ERROR_CONTAINS(loadError(plan), "tensor 2: unknown dtype 42");
  }
  {
    PlanSpec plan = validPlan();
    plan.tensors[2].storage = static_cast<fb::Storage>(9);
    EXPECT_ERROR_CONTAINS(loadError(plan), "tensor 2: unknown storage kind");
  }
  {
    PlanSpec plan = validPlan();
    plan.withTensorTable = false;
    EXPECT_ERROR_CONTAINS(loadError(plan), "no tensor table");
  }
}

// Tests that a step without a CPU kernel fails Session::create, naming the
// step, its node and the kernel.
TEST(ExecutablePlan, UnknownKernelFailsSessionCreate) {
  PlanSpec plan = validPlan();
  plan.steps[1].kernel = "onnx.Frobnicate";
  Expected<Executable> exe = fromFile(buildFile(plan));
  ASSERT_TRUE(exe) << exe.error().message();
  Expected<Session> session = Session::create(*exe, Device::cpu(1));
  ASSERT_FALSE(session);
  EXPECT_ERROR_CONTAINS(session.error().message(),
                        "test.intrx: step 1 (onnx.Frobnicate, node "
                        "'relu_node'): the CPU backend has no kernel for "
                        "onnx.Frobnicate");
}

// Tests that a kernel's own error (operand shapes it cannot broadcast)
// comes back from run() with the step that failed.
TEST(ExecutablePlan, KernelErrorsNameTheStep) {
  PlanSpec plan = validPlan();
  plan.tensors[1].shape = {kCols, kRows};
  Expected<Executable> exe = fromFile(buildFile(plan));
  ASSERT_TRUE(exe) << exe.error().message();
  Expected<Session> session = Session::create(*exe, Device::cpu(1));
  ASSERT_TRUE(session) << session.error().message();
  std::vector<float> x(kRows * kCols, 1.0f);
  Expected<Outputs> outputs =
      session->run({{"x", TensorView(x.data(), {kRows, kCols})}});
  ASSERT_FALSE(outputs);
  EXPECT_ERROR_CONTAINS(outputs.error().message(),
                        "step 0 (onnx.Add, node 'add_node'): onnx.Add: ");
}

// Tests devices a session cannot use.
TEST(ExecutablePlan, UnavailableDevices) {
  Expected<Executable> exe = fromFile(buildFile(validPlan()));
  ASSERT_TRUE(exe) << exe.error().message();
  Expected<Session> negative = Session::create(*exe, Device::cpu(-1));
  ASSERT_FALSE(negative);
  EXPECT_ERROR_CONTAINS(negative.error().message(),
                        "device cpu (-1 threads): the thread count must not "
                        "be negative");
  EXPECT_EQ(Device::cpu(1).name(), "cpu (1 thread)");
  Expected<Session> crowded =
      Session::create(*exe, Device::cpu(Device::kMaxCpuThreads + 1));
  ASSERT_FALSE(crowded);
  EXPECT_ERROR_CONTAINS(crowded.error().message(),
                        "device cpu (1025 threads): at most 1024 threads");
  // Without a CUDA build or device, a CUDA session is a clear error.
  const bool noDevice = listCudaDevices().empty();
  if (noDevice) {
    Expected<Session> gpu = Session::create(*exe, Device::cuda(0));
    ASSERT_FALSE(gpu);
    EXPECT_ERROR_CONTAINS(gpu.error().message(), "device cuda:0: ");
    if (builtWithCuda()) {
      EXPECT_ERROR_CONTAINS(gpu.error().message(), "no usable CUDA device");
    }
  }
  Expected<Session> noSuchGpu = Session::create(*exe, Device::cuda(4096));
  ASSERT_FALSE(noSuchGpu);
  EXPECT_ERROR_CONTAINS(noSuchGpu.error().message(), "device cuda:4096: ");
  if (!noDevice) {
    EXPECT_ERROR_CONTAINS(noSuchGpu.error().message(),
                          "there is no CUDA device 4096");
  }
}

// Tests that the precision is read back, and an unknown one refused.
TEST(ExecutablePlan, Precision) {
  Expected<Executable> fp32 = fromFile(buildFile(validPlan()));
  ASSERT_TRUE(fp32) << fp32.error().message();
  EXPECT_EQ(fp32->precision(), "fp32");
  PlanSpec plan = validPlan();
  for (auto [precision, name] :
       {std::pair{fb::Precision::TF32, "tf32"},
        std::pair{fb::Precision::FP16, "fp16"},
        std::pair{fb::Precision::BF16, "bf16"}}) {
    plan.precision = precision;
    Expected<Executable> exe = fromFile(buildFile(plan));
    ASSERT_TRUE(exe) << exe.error().message();
    EXPECT_EQ(exe->precision(), name);
  }
  plan.precision = static_cast<fb::Precision>(7);
  EXPECT_ERROR_CONTAINS(loadError(buildFile(plan)), "unknown precision 7");
}

// Tests the device names the tools accept.
TEST(ExecutablePlan, ParsesDeviceNames) {
  Expected<Device> cpu = Device::parse("cpu", 3);
  ASSERT_TRUE(cpu) << cpu.error().message();
  EXPECT_EQ(cpu->kind, Device::Kind::CPU);
  EXPECT_EQ(cpu->index, 3);
  Expected<Device> cuda = Device::parse("cuda");
  ASSERT_TRUE(cuda) << cuda.error().message();
  EXPECT_EQ(cuda->kind, Device::Kind::CUDA);
  EXPECT_EQ(cuda->index, 0);
  Expected<Device> second = Device::parse("cuda:1");
  ASSERT_TRUE(second) << second.error().message();
  EXPECT_EQ(second->index, 1);
  for (const char *bad : {"gpu", "cuda:", "cuda:x", "cuda:-1", "cuda:99999",
                          "CPU", ""}) {
    Expected<Device> device = Device::parse(bad);
    ASSERT_FALSE(device) << bad;
    EXPECT_ERROR_CONTAINS(device.error().message(), "expected cpu, cuda");
  }
}

//===----------------------------------------------------------------------===//
// Executables written without their weights (--strip-weights)
//===----------------------------------------------------------------------===//

PlanSpec strippedPlan() {
  PlanSpec plan = validPlan();
  plan.weightsStripped = true;
  plan.headerWeightsSize = kBytes; // the f32 weight is left out
  plan.weights = {};
  return plan;
}

// Tests that a stripped executable is refused unless random weights are
// asked for, and that it then runs on weights of a sane size.
TEST(ExecutableStripped, RefusedUnlessRandomWeightsAreAskedFor) {
  std::vector<uint8_t> file = buildFile(strippedPlan());
  EXPECT_ERROR_CONTAINS(loadError(file),
                        "test.intrx: its weights were stripped at compile "
                        "time (--strip-weights)");
  LoadOptions options;
  options.randomWeights = true;
  Expected<Executable> exe =
      Executable::fromBytes(file.data(), file.size(), "test.intrx", options);
  ASSERT_TRUE(exe) << exe.error().message();
  EXPECT_TRUE(exe->weightsStripped());
  EXPECT_EQ(exe->weightsSize(), kBytes);
  Expected<Session> session = Session::create(*exe, Device::cpu(1));
  ASSERT_TRUE(session) << session.error().message();
  std::vector<float> x(kRows * kCols, 0.0f);
  Expected<Outputs> outputs =
      session->run({{"x", TensorView(x.data(), {kRows, kCols})}});
  ASSERT_TRUE(outputs) << outputs.error().message();
  // y = relu(0 + w) with w He-uniform over a fan-in of 3: |w| <= sqrt(2).
  const Tensor *y = outputs->get("y");
  ASSERT_NE(y, nullptr);
  for (int64_t i = 0; i < y->numElements(); ++i) {
    EXPECT_GE(y->data<float>()[i], 0.0f);
    EXPECT_LE(y->data<float>()[i], std::sqrt(2.0f));
  }
}

// Tests that a stripped file cannot store more weights than it addresses.
TEST(ExecutableStripped, StoredWeightsLargerThanTheBlob) {
  PlanSpec plan = strippedPlan();
  plan.weights = kWeights;
  plan.headerWeightsSize = 8;
  EXPECT_ERROR_CONTAINS(loadError(buildFile(plan)),
                        "the header and the preamble disagree on the weight "
                        "size");
}

//===----------------------------------------------------------------------===//
// Files that are not there or not files
//===----------------------------------------------------------------------===//

// Tests paths that are not executables at all.
TEST(ExecutableFile, EmptyMissingDirectoryAndFifo) {
  std::string empty = tempPath("empty.intrx");
  { std::ofstream out(empty, std::ios::binary); }
  Expected<Executable> exe = Executable::load(empty);
  ASSERT_FALSE(exe);
  EXPECT_EQ(exe.error().message(), empty + ": the file is empty");
  std::remove(empty.c_str());

  std::string missing = tempPath("does-not-exist.intrx");
  exe = Executable::load(missing);
  ASSERT_FALSE(exe);
  EXPECT_EQ(exe.error().message(), missing + ": No such file or directory");

  std::string directory = tempPath("directory.intrx");
  std::filesystem::create_directory(directory);
  exe = Executable::load(directory);
  std::filesystem::remove(directory);
  ASSERT_FALSE(exe);
  EXPECT_EQ(exe.error().message(), directory + ": not a regular file");

  // A FIFO without a writer: an error at once, not a wait.
  std::string fifo = tempPath("fifo.intrx");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  exe = Executable::load(fifo);
  std::remove(fifo.c_str());
  ASSERT_FALSE(exe);
  EXPECT_EQ(exe.error().message(), fifo + ": not a regular file");

  exe = Executable::fromBytes(nullptr, 0, "nothing");
  ASSERT_FALSE(exe);
  EXPECT_ERROR_CONTAINS(exe.error().message(),
                        "nothing: too short to be an executable (0 bytes)");
}

//===----------------------------------------------------------------------===//
// Session::run and its inputs
//===----------------------------------------------------------------------===//

class SessionRun : public ::testing::Test {
protected:
  void SetUp() override {
    Expected<Executable> exe = fromFile(buildFile(validPlan()));
    ASSERT_TRUE(exe) << exe.error().message();
    Expected<Session> created = Session::create(*exe, Device::cpu(1));
    ASSERT_TRUE(created) << created.error().message();
    session.emplace(std::move(*created));
  }
  std::string runError(const std::map<std::string, TensorView> &inputs) {
    Expected<Outputs> outputs = session->run(inputs);
    return outputs ? "<ran without an error>" : outputs.error().message();
  }

  std::optional<Session> session;
  std::vector<float> x = std::vector<float>(kRows * kCols, 1.0f);
};

// Tests the asynchronous pair and the in-place buffers on the CPU: the order
// is enforced, outputs can stay in the session, inputs can be written in.
TEST_F(SessionRun, StartFinishAndBuffers) {
  EXPECT_ERROR_CONTAINS(session->finish().error().message(),
                        "no run was started");
  ASSERT_TRUE(session->start({{"x", TensorView(x.data(), {kRows, kCols})}})
                  .isOk());
  EXPECT_ERROR_CONTAINS(
      session->start({{"x", TensorView(x.data(), {kRows, kCols})}})
          .error()
          .message(),
      "a run is already started");
  Expected<Outputs> outputs = session->finish();
  ASSERT_TRUE(outputs) << outputs.error().message();
  EXPECT_EQ(outputs->get("y")->data<float>()[0], 0.0f); // relu(1 - 1)

  Expected<BufferView> in = session->buffer("x");
  ASSERT_TRUE(in) << in.error().message();
  EXPECT_EQ(in->device.kind, Device::Kind::CPU);
  ASSERT_EQ(in->sizeInBytes(), kBytes);
  std::vector<float> twos(kRows * kCols, 2.0f);
  std::memcpy(in->data, twos.data(), kBytes);
  ASSERT_TRUE(session->startInPlace({/*copyOutputs=*/false}).isOk());
  Expected<Outputs> none = session->finish();
  ASSERT_TRUE(none) << none.error().message();
  EXPECT_TRUE(none->names().empty());
  Expected<BufferView> out = session->buffer("y");
  ASSERT_TRUE(out) << out.error().message();
  const float *y = static_cast<const float *>(out->data);
  for (int64_t i = 0; i < kRows * kCols; ++i)
    EXPECT_EQ(y[i], std::max(0.0f, 2.0f + kWeights[i]));
  EXPECT_ERROR_CONTAINS(session->buffer("z").error().message(),
                        "no input or output 'z'");
  EXPECT_GE(session->memoryBytes(), 768u);
}

// Tests that finish(Outputs&) writes into the tensors it is given, keeping
// their memory when dtype and shape match and replacing them otherwise.
TEST_F(SessionRun, FinishReusesOutputTensors) {
  Outputs outputs;
  outputs.add("y", "logits", Tensor(DType::I32, {1}));  // wrong: replaced
  outputs.add("other", "", Tensor(DType::F32, {4}));    // not ours: kept
  ASSERT_TRUE(session->start({{"x", TensorView(x.data(), {kRows, kCols})}})
                  .isOk());
  ASSERT_TRUE(session->finish(outputs).isOk());
  const Tensor *y = outputs.get("y");
  ASSERT_NE(y, nullptr);
  EXPECT_EQ(y->dtype(), DType::F32);
  EXPECT_EQ(y->shape(), (std::vector<int64_t>{kRows, kCols}));
  EXPECT_NE(outputs.get("other"), nullptr);
  const void *memory = y->rawData();

  std::vector<float> twos(kRows * kCols, 2.0f);
  ASSERT_TRUE(session->start({{"x", TensorView(twos.data(), {kRows, kCols})}})
                  .isOk());
  ASSERT_TRUE(session->finish(outputs).isOk());
  ASSERT_EQ(outputs.get("y"), y);
  EXPECT_EQ(y->rawData(), memory);
  for (int64_t i = 0; i < kRows * kCols; ++i)
    EXPECT_EQ(y->data<float>()[i], std::max(0.0f, 2.0f + kWeights[i]));
  EXPECT_EQ(outputs.names().size(), 2u);
}

// Tests that a profiled run reports one time per step, in plan order with
// its kernel and node, and that a plain run leaves the last profile alone.
TEST_F(SessionRun, ProfileTimesEveryStep) {
  EXPECT_TRUE(session->profile().empty());
  RunOptions options;
  options.profile = true;
  ASSERT_TRUE(
      session->start({{"x", TensorView(x.data(), {kRows, kCols})}}, options)
          .isOk());
  ASSERT_TRUE(session->finish());
  std::vector<StepTime> times = session->profile();
  ASSERT_EQ(times.size(), 2u);
  EXPECT_EQ(times[0].step, 0u);
  EXPECT_EQ(times[0].kernel, "onnx.Add");
  EXPECT_EQ(times[0].node, "add_node");
  EXPECT_EQ(times[1].kernel, "onnx.Relu");
  for (const StepTime &time : times)
    EXPECT_GE(time.milliseconds, 0.0);
  ASSERT_TRUE(session->run({{"x", TensorView(x.data(), {kRows, kCols})}}));
  EXPECT_EQ(session->profile().size(), 2u);
}

// Tests that an input the model does not have is named, with the ones it has.
TEST_F(SessionRun, WrongInputName) {
  EXPECT_EQ(runError({{"x", TensorView(x.data(), {kRows, kCols})},
                      {"image", TensorView(x.data(), {kRows, kCols})}}),
            "the model has no input 'image' (its inputs: 'x')");
}

// Tests that a missing input is named with its dtype and shape.
TEST_F(SessionRun, MissingInput) {
  EXPECT_EQ(runError({}), "input 'x' (f32 [2, 3]) is missing");
}

// Tests that a wrong dtype is reported against the compiled one.
TEST_F(SessionRun, WrongDtype) {
  std::vector<int32_t> ints(kRows * kCols, 1);
  EXPECT_EQ(
      runError({{"x", TensorView(ints.data(), DType::I32, {kRows, kCols})}}),
      "input 'x' has dtype i32, the model expects f32");
}

// Tests that a wrong shape is reported against the compiled one.
TEST_F(SessionRun, WrongShape) {
  std::string message = runError({{"x", TensorView(x.data(), {kCols, kRows})}});
  EXPECT_ERROR_CONTAINS(message, "input 'x' has shape [3, 2], the model was "
                                 "compiled for [2, 3]");
  EXPECT_ERROR_CONTAINS(message, "--input-shape");
  EXPECT_ERROR_CONTAINS(
      runError({{"x", TensorView(x.data(), {kRows * kCols})}}),
      "has shape [6]");
}

// Tests that a view without data is refused, not read.
TEST_F(SessionRun, NullData) {
  EXPECT_EQ(runError({{"x", TensorView(static_cast<const float *>(nullptr),
                                       {kRows, kCols})}}),
            "input 'x' has no data");
}

// Tests that a failed run leaves the session usable.
TEST_F(SessionRun, RunsAfterAnError) {
  EXPECT_NE(runError({}), "<ran without an error>");
  EXPECT_EQ(runOn(*session, x), expectedY(x));
}

} // namespace
