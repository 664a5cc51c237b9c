//===- FixtureGpuTest.cpp - Every fixture end to end on a CUDA device -----===//
//
// Runs the compiled fixtures (raised and unraised plans, tf32, fp16 and
// bf16 plans, and plans with f16 attention maps) on the CUDA backend
// and compares them with their PyTorch goldens and with the CPU backend. The
// executables come from INTR_GPU_FIXTURES_DIR: the full build compiles them
// with intr-opt (target intr_gpu_fixtures); a runtime-only build on a GPU
// machine gets them from tools/device-check.sh.
//
//===----------------------------------------------------------------------===//

#include "CUDA/GpuKernelCase.h"
#include "intr/runtime/Runtime.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <initializer_list>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include <cuda_runtime.h>

using namespace intr;
using intr::gputest::countMismatches;
namespace fs = std::filesystem;

namespace {

struct Fixture {
  std::string name;
  fs::path executable; // compiled
  fs::path goldens;    // test/models/<name>
  // How close the GPU must come to PyTorch and to the CPU.
  double atol, rtol;
  // fp16 and bf16 plans may flip a top-1 whose logits are close.
  bool sixteenBit = false;
  // Whether the plan returns every head's maps ("attention"), and not
  // their mean alone.
  bool perHeadMaps = true;
  // Whether it returns the last decoder layer's maps only ([1, ...]).
  bool lastLayerOnly = false;
};

// What each plan must meet on CUDA is what intr-run --expect applies
// there (intr::referenceTolerance): fp32 sums reordered, TF32 tensor cores,
// fp16 and bf16 convolutions at twice the CPU's tolerance. Against the CPU
// backend the same tolerance applies. fp16 and bf16 plans have their top-1
// checked only for images whose two best PyTorch logits are more than atol
// apart.
const Tolerance kFp32 = referenceTolerance("fp32", Device::Kind::CUDA);

/// Every fixture of test/models, once per plan flavour ("raised",
/// "unraised", "tf32", "fp16" and "bf16": raised with that --precision,
/// "tf32nchw": tf32 with --channels-last=false, "bf16pad": bf16 with
/// --pad-channels 8, "half": raised with --attention-dtype fp16, "last":
/// raised with --attention-layers last, and "mean": raised with
/// --attention-heads mean), with its compiled executable.
std::vector<Fixture> fixtures() {
  std::vector<Fixture> result;
  std::error_code ec;
  for (const fs::directory_entry &entry :
       fs::directory_iterator(INTR_MODELS_DIR, ec)) {
    if (!fs::exists(entry.path() / "model.onnx"))
      continue;
    // Each flavour and the precision it was compiled with; "half" plans
    // are fp32 ones with maps stored in f16.
    const std::pair<const char *, const char *> flavours[] = {
        {"raised", "fp32"},   {"unraised", "fp32"}, {"tf32", "tf32"},
        {"tf32nchw", "tf32"}, {"half", "fp32"},     {"last", "fp32"},
        {"mean", "fp32"},     {"fp16", "fp16"},     {"bf16", "bf16"},
        {"bf16pad", "bf16"}};
    for (auto [flavour, precision] : flavours) {
      std::string name =
          entry.path().filename().string() + "." + std::string(flavour);
      Tolerance tolerance = referenceTolerance(precision, Device::Kind::CUDA);
      if (std::string(flavour) == "half")
        tolerance = tolerance.plusRoundingOf(DType::F16);
      bool sixteenBit =
          std::string(precision) == "fp16" || std::string(precision) == "bf16";
      result.push_back(
          {name, fs::path(INTR_GPU_FIXTURES_DIR) / (name + ".intrx"),
           entry.path(), tolerance.atol, tolerance.rtol, sixteenBit,
           std::string(flavour) != "mean", std::string(flavour) == "last"});
    }
  }
  std::sort(result.begin(), result.end(),
            [](const Fixture &a, const Fixture &b) { return a.name < b.name; });
  return result;
}

/// The first fixture's exact fp32 plan, for the tests of the session's
/// paths.
Fixture firstRaised() {
  for (const Fixture &fixture : fixtures())
    if (fixture.name.size() > 7 &&
        fixture.name.compare(fixture.name.size() - 7, 7, ".raised") == 0)
      return fixture;
  ADD_FAILURE() << "no raised fixture under " INTR_GPU_FIXTURES_DIR;
  return {};
}

Tensor loadGolden(const fs::path &path) {
  Expected<Tensor> tensor = loadNpy(path.string());
  EXPECT_TRUE(tensor) << tensor.error().message();
  return tensor ? std::move(*tensor) : Tensor();
}

/// The last decoder layer of golden maps stacked by layer, [1, ...].
Tensor lastLayerOf(const Tensor &golden) {
  std::vector<int64_t> shape = golden.shape();
  shape[0] = 1;
  Tensor last(golden.dtype(), shape);
  std::memcpy(last.rawData(),
              static_cast<const std::byte *>(golden.rawData()) +
                  golden.sizeInBytes() - last.sizeInBytes(),
              last.sizeInBytes());
  return last;
}

/// Compares in f32: f16 maps are widened first.
void expectClose(const Tensor *actual, const Tensor &expected,
                 const std::string &what, double atol, double rtol) {
  ASSERT_NE(actual, nullptr) << what << " is missing";
  std::string first;
  auto widen = [](const Tensor &tensor) {
    bool half = tensor.dtype() == DType::F16 || tensor.dtype() == DType::BF16;
    return half ? toFloat32(tensor) : tensor;
  };
  int64_t bad =
      countMismatches(widen(*actual), widen(expected), atol, rtol, &first);
  EXPECT_EQ(bad, 0) << what << ": " << bad << " of "
                    << expected.numElements() << " differ; first " << first;
}

// Tests that there is something to test: a GPU machine must be given the
// compiled fixtures.
TEST(FixtureGpu, CompiledFixturesArePresent) {
  std::vector<Fixture> all = fixtures();
  ASSERT_GE(all.size(), 24u) << "no fixtures under " INTR_MODELS_DIR;
  for (const Fixture &fixture : all)
    EXPECT_TRUE(fs::exists(fixture.executable))
        << fixture.executable << " is missing (build intr_gpu_fixtures, or "
        << "run tools/device-check.sh)";
}

/// Runs `fixture` on the GPU and checks it against the PyTorch goldens and
/// the CPU backend, and that the second run (a CUDA Graph replay) gives
/// exactly the first run's results.
void checkFixture(const Fixture &fixture) {
  SCOPED_TRACE(fixture.name);
  Expected<Executable> exe = Executable::load(fixture.executable.string());
  ASSERT_TRUE(exe) << exe.error().message();
  Tensor image = loadGolden(fixture.goldens / "image.npy");
  std::map<std::string, TensorView> inputs{
      {exe->inputs()[0].name, TensorView(image)}};

  Expected<Session> gpu = Session::create(*exe, Device::cuda(0));
  ASSERT_TRUE(gpu) << gpu.error().message();
  Expected<Outputs> first = gpu->run(inputs);
  ASSERT_TRUE(first) << first.error().message();
  Expected<Outputs> second = gpu->run(inputs);
  ASSERT_TRUE(second) << second.error().message();

  for (const char *role : {"logits", "attention", "avg_attention"}) {
    SCOPED_TRACE(role);
    if (!fixture.perHeadMaps && std::string(role) == "attention") {
      EXPECT_EQ(first->byRole(role), nullptr);
      continue;
    }
    Tensor golden = loadGolden(fixture.goldens / (std::string(role) + ".npy"));
    if (fixture.lastLayerOnly && std::string(role) != "logits") {
      ASSERT_GT(golden.rank(), 0);
      golden = lastLayerOf(golden);
    }
    expectClose(first->byRole(role), golden, "GPU vs PyTorch", fixture.atol,
                fixture.rtol);
    const Tensor *a = first->byRole(role), *b = second->byRole(role);
    ASSERT_TRUE(a && b);
    EXPECT_EQ(std::memcmp(a->rawData(), b->rawData(), a->sizeInBytes()), 0)
        << "the graph replay differs from the first run";
  }

  Expected<Session> cpu = Session::create(*exe, Device::cpu(2));
  ASSERT_TRUE(cpu) << cpu.error().message();
  Expected<Outputs> reference = cpu->run(inputs);
  ASSERT_TRUE(reference) << reference.error().message();
  for (const std::string &name : reference->names())
    expectClose(first->get(name), *reference->get(name), "GPU vs CPU " + name,
                fixture.atol, fixture.rtol);
  // Every image's top class is PyTorch's, unless the plan is 16-bit and
  // its two best logits are closer than that can tell apart.
  Tensor golden = loadGolden(fixture.goldens / "logits.npy");
  const Tensor *logits = first->byRole("logits");
  ASSERT_TRUE(logits && logits->shape() == golden.shape() &&
              golden.rank() == 2 && golden.shape()[1] >= 2);
  int64_t classes = golden.shape()[1];
  for (int64_t b = 0; b < golden.shape()[0]; ++b) {
    const float *want = golden.data<float>() + b * classes;
    const float *got = logits->data<float>() + b * classes;
    std::vector<float> sorted(want, want + classes);
    std::sort(sorted.rbegin(), sorted.rend());
    if (fixture.sixteenBit && sorted[0] - sorted[1] <= fixture.atol)
      continue;
    EXPECT_EQ(std::max_element(got, got + classes) - got,
              std::max_element(want, want + classes) - want)
        << "top-1 of image " << b;
  }
}

// Tests every fixture on the GPU against the PyTorch goldens and the CPU
// backend, and its CUDA Graph replay against its first run.
TEST(FixtureGpu, MatchesGoldensAndCpu) {
  for (const Fixture &fixture : fixtures())
    checkFixture(fixture);
}

using Choices = std::vector<std::pair<const char *, const char *>>;

/// Checks the fixtures whose plans take the session's choices (tf32 and
/// bf16; fp16 plans take the same paths as bf16 ones) with `choices` set in
/// the environment, against the goldens and the CPU as MatchesGoldensAndCpu
/// does. The variables are unset on every way out.
void checkFixturesWith(const Choices &choices) {
  struct Unset {
    const Choices &choices;
    ~Unset() {
      for (auto [name, value] : choices)
        unsetenv(name);
    }
  } unset{choices};
  for (auto [name, value] : choices)
    ASSERT_EQ(setenv(name, value, 1), 0);
  int checked = 0;
  for (const Fixture &fixture : fixtures()) {
    const std::string &name = fixture.name;
    auto endsWith = [&](const std::string &suffix) {
      return name.size() > suffix.size() &&
             name.compare(name.size() - suffix.size(), suffix.size(), suffix) ==
                 0;
    };
    if (endsWith(".tf32") || endsWith(".bf16")) {
      checkFixture(fixture);
      ++checked;
    }
  }
  EXPECT_GE(checked, 3);
}

// Tests the choices that are off by default, all on, in whole plans with
// their CUDA Graph capture: every 16-bit convolution as a cuDNN operation
// graph, the class attention on tensor cores and programmatic dependent
// launches.
TEST(FixtureGpu, OptInChoicesMatchGoldensAndCpu) {
  checkFixturesWith({{"INTR_CUDNN_GRAPH", "always"},
                     {"INTR_ATTENTION_TF32", "1"},
                     {"INTR_PDL", "1"}});
}

// Tests the paths that the defaults leave, all taken: the stem on cuDNN,
// every 16-bit convolution on cuDNN's legacy calls, the flash kernel
// without key slices and cuBLASLt's first algorithm for every GEMM.
TEST(FixtureGpu, PlainPathsMatchGoldensAndCpu) {
  checkFixturesWith({{"INTR_SMALL_CHANNEL_CONV", "0"},
                     {"INTR_CUDNN_GRAPH", "0"},
                     {"INTR_FLASH_SPLIT", "0"},
                     {"INTR_GEMM_TUNE", "0"}});
}

// Tests every fixture with programmatic dependent launches alone
// (INTR_PDL=1, where the device and the build allow them): a kernel that
// touched memory before awaiting its predecessor would race, and this
// tells such a race apart from the other opt-in choices.
TEST(FixtureGpu, ProgrammaticLaunchesMatchGoldensAndCpu) {
  struct Unset {
    ~Unset() { unsetenv("INTR_PDL"); }
  } unset;
  ASSERT_EQ(setenv("INTR_PDL", "1", 1), 0);
  for (const Fixture &fixture : fixtures())
    checkFixture(fixture);
}

/// Checks that a session refuses `bad` as the environment variable `name`
/// with an error containing `message`, and accepts each of `good`. The
/// variable is unset on every way out, or the later sessions of this
/// binary would refuse it too.
void checkEnvironmentChoice(const char *name, const char *bad,
                            const std::string &message,
                            std::initializer_list<const char *> good) {
  Expected<Executable> exe =
      Executable::load(firstRaised().executable.string());
  ASSERT_TRUE(exe) << exe.error().message();
  struct Unset {
    const char *name;
    ~Unset() { unsetenv(name); }
  } unset{name};
  ASSERT_EQ(setenv(name, bad, 1), 0);
  Expected<Session> refused = Session::create(*exe, Device::cuda(0));
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message().find(message), std::string::npos)
      << refused.error().message();
  for (const char *value : good) {
    ASSERT_EQ(setenv(name, value, 1), 0);
    Expected<Session> session = Session::create(*exe, Device::cuda(0));
    EXPECT_TRUE(session) << value << ": " << session.error().message();
  }
}

// Tests that a session refuses an INTR_CONV_PATH it does not know, naming
// the values it takes, and accepts the ones it does.
TEST(FixtureGpu, ConvPathFromTheEnvironment) {
  checkEnvironmentChoice(
      "INTR_CONV_PATH", "winograd",
      "INTR_CONV_PATH must be cudnn, gemm or fastest, got 'winograd'",
      {"cudnn", "gemm", "fastest"});
}

// Tests that a session refuses an INTR_CUDNN_GRAPH it does not know,
// naming the values it takes, and accepts the ones it does.
TEST(FixtureGpu, CudnnGraphFromTheEnvironment) {
  checkEnvironmentChoice("INTR_CUDNN_GRAPH", "yes",
                         "INTR_CUDNN_GRAPH must be 0, 1 or always, got 'yes'",
                         {"0", "1", "always"});
}

// Tests profiled runs, the first (its steps enqueued one by one, tuning
// included) and later ones (each step's own graph, captured once and
// launched again): they time every step the CPU's profile names, the later
// ones in less time than the first and each of their steps' device
// operations too (within the step's time; the self-attention's kernel and
// output projection among them; our kernels by name), and every run gives
// exactly the results of the first replay, which still replays after the
// step graphs exist.
TEST(FixtureGpu, ProfiledRunsTimeEveryStep) {
  const Fixture fixture = firstRaised();
  Expected<Executable> exe = Executable::load(fixture.executable.string());
  ASSERT_TRUE(exe) << exe.error().message();
  Tensor image = loadGolden(fixture.goldens / "image.npy");
  std::map<std::string, TensorView> inputs{
      {exe->inputs()[0].name, TensorView(image)}};
  RunOptions profiled;
  profiled.profile = true;

  Expected<Session> cpu = Session::create(*exe, Device::cpu(2));
  ASSERT_TRUE(cpu) << cpu.error().message();
  Status started = cpu->start(inputs, profiled);
  ASSERT_TRUE(started.isOk()) << started.error().message();
  ASSERT_TRUE(cpu->finish());
  size_t steps = cpu->profile().size();
  ASSERT_GT(steps, 0u);

  Expected<Session> gpu = Session::create(*exe, Device::cuda(0));
  ASSERT_TRUE(gpu) << gpu.error().message();
  std::vector<Outputs> results;
  std::vector<double> totals;
  for (bool profile : {true, false, true, true, false}) {
    SCOPED_TRACE("run " + std::to_string(results.size()));
    RunOptions options;
    options.profile = profile;
    Status status = gpu->start(inputs, options);
    ASSERT_TRUE(status.isOk()) << status.error().message();
    Expected<Outputs> outputs = gpu->finish();
    ASSERT_TRUE(outputs) << outputs.error().message();
    results.push_back(std::move(*outputs));
    if (!profile)
      continue;
    std::vector<StepTime> times = gpu->profile();
    ASSERT_EQ(times.size(), steps);
    double total = 0;
    size_t timedSteps = 0, attentionOperations = 0;
    bool attentionKernelNamed = false;
    for (const StepTime &time : times) {
      EXPECT_GE(time.milliseconds, 0.0) << "step " << time.step;
      total += time.milliseconds;
      double operationsTotal = 0;
      for (const OperationTime &operation : time.operations) {
        EXPECT_FALSE(operation.name.empty()) << "step " << time.step;
        EXPECT_GE(operation.milliseconds, 0.0) << "step " << time.step;
        operationsTotal += operation.milliseconds;
        // The plain attention kernel (the fixtures' heads have 8 features).
        if (time.kernel == "intr.mha_qkv" &&
            operation.name == "attentionRowKernel")
          attentionKernelNamed = true;
      }
      // The events around the operations lie between the step's own.
      EXPECT_LE(operationsTotal, time.milliseconds + 0.01)
          << "step " << time.step;
      if (time.kernel == "intr.mha_qkv")
        attentionOperations = time.operations.size();
      timedSteps += !time.operations.empty();
    }
    EXPECT_GT(total, 0.0);
    if (totals.empty()) {
      EXPECT_EQ(timedSteps, 0u) << "the first run has no step graphs";
    } else {
      EXPECT_GT(timedSteps, steps / 2);
      EXPECT_TRUE(attentionKernelNamed);
      // The attention and the output projection (the packed Q, K and V
      // projection is a step of its own).
      EXPECT_GE(attentionOperations, 2u);
    }
    totals.push_back(total);
  }
  EXPECT_LT(totals[1], totals[0]) << "the step graphs time no faster than "
                                     "the first run, which tunes";
  EXPECT_LT(totals[2], totals[0]);
  for (const std::string &name : results[1].names())
    for (size_t run : {0, 2, 3, 4}) {
      const Tensor *replay = results[1].get(name),
                   *other = results[run].get(name);
      ASSERT_TRUE(replay && other) << name;
      ASSERT_EQ(replay->sizeInBytes(), other->sizeInBytes()) << name;
      EXPECT_EQ(std::memcmp(replay->rawData(), other->rawData(),
                            replay->sizeInBytes()),
                0)
          << name << " of run " << run << " differs from the replay";
    }
}

// Tests the asynchronous and zero-copy paths: start/finish, outputs left on
// the device, inputs written straight into the device buffer.
TEST(FixtureGpu, AsynchronousAndInPlaceRuns) {
  const Fixture fixture = firstRaised();
  Expected<Executable> exe = Executable::load(fixture.executable.string());
  ASSERT_TRUE(exe) << exe.error().message();
  Tensor image = loadGolden(fixture.goldens / "image.npy");
  Tensor golden = loadGolden(fixture.goldens / "logits.npy");
  Expected<Session> session = Session::create(*exe, Device::cuda(0));
  ASSERT_TRUE(session) << session.error().message();
  const std::string input = exe->inputs()[0].name;

  // The order is enforced.
  EXPECT_FALSE(session->finish());
  ASSERT_TRUE(session->start({{input, TensorView(image)}}).isOk());
  EXPECT_FALSE(session->start({{input, TensorView(image)}}).isOk());
  Expected<Outputs> outputs = session->finish();
  ASSERT_TRUE(outputs) << outputs.error().message();
  expectClose(outputs->byRole("logits"), golden, "async", kFp32.atol,
              kFp32.rtol);

  // In place: the input goes straight to the device buffer, the logits
  // are read from theirs.
  Expected<BufferView> in = session->buffer(input);
  ASSERT_TRUE(in) << in.error().message();
  EXPECT_EQ(in->device.kind, Device::Kind::CUDA);
  ASSERT_EQ(in->sizeInBytes(), image.sizeInBytes());
  ASSERT_EQ(cudaMemcpy(in->data, image.rawData(), image.sizeInBytes(),
                       cudaMemcpyHostToDevice),
            cudaSuccess);
  ASSERT_TRUE(session->startInPlace({/*copyOutputs=*/false}).isOk());
  Expected<Outputs> none = session->finish();
  ASSERT_TRUE(none) << none.error().message();
  EXPECT_TRUE(none->names().empty());
  std::string logitsName;
  for (const TensorInfo &info : exe->outputs())
    if (info.role == "logits")
      logitsName = info.name;
  Expected<BufferView> out = session->buffer(logitsName);
  ASSERT_TRUE(out) << out.error().message();
  Tensor logits(DType::F32, out->shape);
  ASSERT_EQ(cudaMemcpy(logits.rawData(), out->data, logits.sizeInBytes(),
                       cudaMemcpyDeviceToHost),
            cudaSuccess);
  expectClose(&logits, golden, "in place", kFp32.atol, kFp32.rtol);
  EXPECT_FALSE(session->buffer("no-such-tensor"));
}

} // namespace
