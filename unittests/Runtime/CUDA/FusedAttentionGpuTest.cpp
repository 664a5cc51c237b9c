//===- FusedAttentionGpuTest.cpp - Fused attention against a host model ---===//
//
// launchFusedClassAttention and launchFlashSelfAttention on device buffers,
// compared with a direct host implementation in double precision: the
// decoder's shapes (C = 200 classes, T = 950 tokens, 8 heads of 32) and
// their neighbours (1, 7 and 525 classes; 1, 13 and 1600 tokens; 1 and 8
// heads of 32 and 64 features; one and three images), with bool and f32
// key padding masks, strided and misaligned operands, and every subset of
// the optional outputs. Outputs start as NaN, so an element a kernel
// forgets to write fails the comparison; the padding around strided
// outputs must stay untouched.
//
//===----------------------------------------------------------------------===//

#include "CUDA/FusedAttention.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <random>
#include <string>
#include <vector>

using namespace intr;
using namespace intr::cuda;

namespace {

constexpr double kAtol = 1e-4, kRtol = 1e-3;
/// With TF32 tensor cores (10 mantissa bits in the products).
constexpr double kTf32Atol = 2e-3, kTf32Rtol = 2e-2;
constexpr float kSentinel = 12345.0f;

/// Device memory holding a copy of a host vector.
template <typename T> class DeviceArray {
public:
  explicit DeviceArray(const std::vector<T> &host) : count(host.size()) {
    if (count == 0)
      return;
    status = check(cudaMalloc(&data, count * sizeof(T)), "cudaMalloc");
    if (status)
      status = check(cudaMemcpy(data, host.data(), count * sizeof(T),
                                cudaMemcpyHostToDevice),
                     "upload");
    // A pageable upload may still be in flight on the legacy stream, which
    // the kernels' non-blocking stream does not wait for.
    if (status)
      status = check(cudaDeviceSynchronize(), "upload");
  }
  ~DeviceArray() { cudaFree(data); }
  DeviceArray(const DeviceArray &) = delete;
  DeviceArray &operator=(const DeviceArray &) = delete;

  T *get() const { return data; }
  std::vector<T> download() const {
    std::vector<T> host(count);
    if (count) {
      EXPECT_EQ(cudaMemcpy(host.data(), data, count * sizeof(T),
                           cudaMemcpyDeviceToHost),
                cudaSuccess);
    }
    return host;
  }
  Status status = Status::ok();

private:
  T *data = nullptr;
  size_t count = 0;
};

std::vector<float> randomValues(size_t count, uint32_t seed, float lo = -2.0f,
                                float hi = 2.0f) {
  std::mt19937 generator(seed);
  std::uniform_real_distribution<float> uniform(lo, hi);
  std::vector<float> values(count);
  for (float &value : values)
    value = uniform(generator);
  return values;
}

enum class Mask { None, Bool, Float };

/// A [B, T] padding mask. Image b pads every third token when b % 3 == 0,
/// every token but the middle one when b % 3 == 1 (also the only image
/// when B = 1) and its last two tokens when b % 3 == 2. With
/// `fullyPaddedImage`, image 1 pads every token instead.
std::vector<uint8_t> boolMask(int64_t B, int64_t T, bool fullyPaddedImage) {
  std::vector<uint8_t> mask(B * T);
  for (int64_t b = 0; b < B; ++b) {
    int64_t pattern = B == 1 ? 1 : b % 3;
    for (int64_t t = 0; t < T; ++t) {
      bool pad = pattern == 0   ? t % 3 == 2
                 : pattern == 1 ? t != T / 2
                                : t >= T - std::min<int64_t>(2, T - 1);
      if (fullyPaddedImage && b == 1)
        pad = true;
      mask[b * T + t] = pad ? 1 : 0;
    }
  }
  return mask;
}

/// The f32 mask: values in [-3, 0), image 1 -inf everywhere when
/// `fullyPaddedImage`.
std::vector<float> floatMask(int64_t B, int64_t T, bool fullyPaddedImage) {
  std::vector<float> mask = randomValues(B * T, 99, -3.0f, 0.0f);
  if (fullyPaddedImage && B > 1)
    for (int64_t t = 0; t < T; ++t)
      mask[T + t] = -std::numeric_limits<float>::infinity();
  return mask;
}

/// NaN never equals itself: checks of untouched memory compare bits.
bool sameBits(float a, float b) {
  return std::memcmp(&a, &b, sizeof(float)) == 0;
}

/// Counts disagreements beyond atol + rtol |expected| (NaN must match
/// NaN), reporting the first few through gtest.
class Comparison {
public:
  Comparison(std::string what, bool tf32)
      : what(std::move(what)), atol(tf32 ? kTf32Atol : kAtol),
        rtol(tf32 ? kTf32Rtol : kRtol) {}
  void expect(double actual, double expected, const std::string &where) {
    if (std::isnan(expected) ? std::isnan(actual)
                             : std::isfinite(actual - expected) &&
                                   std::fabs(actual - expected) <=
                                       atol + rtol * std::fabs(expected))
      return;
    if (++failures <= 5)
      ADD_FAILURE() << what << " " << where << ": got " << actual
                    << ", expected " << expected;
  }
  ~Comparison() {
    EXPECT_EQ(failures, 0) << what << ": " << failures << " elements disagree";
  }

private:
  std::string what;
  double atol, rtol;
  int64_t failures = 0;
};

std::string at(std::initializer_list<int64_t> indices) {
  std::string text = "[";
  for (int64_t index : indices)
    text += (text.size() > 1 ? ", " : "") + std::to_string(index);
  return text + "]";
}

/// One context for the whole binary (creating the library handles is
/// slow); null, with a failure, when device 0 cannot be used. Never
/// destroyed: static destructors may run after the CUDA runtime's own.
Context *sharedContext() {
  static Context *context = []() -> Context * {
    Expected<std::unique_ptr<Context>> created = Context::create(0);
    if (!created) {
      ADD_FAILURE() << created.error().message();
      return nullptr;
    }
    return created->release();
  }();
  return context;
}

Status synchronize(Context &context) {
  return check(cudaStreamSynchronize(context.stream), "synchronizing");
}

//===----------------------------------------------------------------------===//
// Class attention
//===----------------------------------------------------------------------===//

/// One class attention problem, laid out as intr.class_attention_kv reads
/// it: keys and values are column slices of one kv [B, T, N].
struct ClassCase {
  int64_t B, C, T, H, dh;
  Mask mask = Mask::None;
  /// The same [C, D] queries for every image.
  bool sharedQueries = false;
  bool probs = true, mean = true, out = true;
  /// kv = [B, T, 3D + 5] with keys at column 2D + 3 and values at 1 (no
  /// float4 loads); else [B, T, 3D + 4] with keys at 2D + 4, values at 0.
  bool misaligned = false;
  /// probs and mean one float into their buffers: 4-byte but not 8-byte
  /// aligned, so that even T cannot store pairs of floats.
  bool oddMaps = false;
  bool fullyPaddedImage = false;
  /// allowTensorCores: compared with the TF32 tolerance.
  bool tensorCores = false;
  /// With tensorCores, the maps on tensor cores too (else in FMAs).
  bool tensorCoreMaps = true;
  int64_t D() const { return H * dh; }
};

std::string describe(const ClassCase &c) {
  const char *masks[] = {"none", "bool", "f32"};
  return "B=" + std::to_string(c.B) + " C=" + std::to_string(c.C) +
         " T=" + std::to_string(c.T) + " H=" + std::to_string(c.H) +
         " dh=" + std::to_string(c.dh) +
         " mask=" + masks[static_cast<int>(c.mask)] +
         (c.sharedQueries ? " shared" : "") +
         (c.misaligned ? " misaligned" : "") + (c.oddMaps ? " odd maps" : "") +
         (c.probs ? " probs" : "") + (c.mean ? " mean" : "") +
         (c.out ? " out" : "") + (c.tensorCores ? " tf32" : "") +
         (c.tensorCores && !c.tensorCoreMaps ? " f32 maps" : "");
}

/// Runs the case on the device and compares every output with a double
/// precision evaluation of the definition.
void checkClassAttention(const ClassCase &c) {
  SCOPED_TRACE(describe(c));
  const int64_t B = c.B, C = c.C, T = c.T, H = c.H, dh = c.dh, D = c.D();
  const int64_t N = 3 * D + (c.misaligned ? 5 : 4);
  const int64_t keyOffset = c.misaligned ? 2 * D + 3 : 2 * D + 4;
  const int64_t valueOffset = c.misaligned ? 1 : 0;
  const int64_t mapOffset = c.oddMaps ? 1 : 0;
  // out rows are padded by 3 floats that must stay untouched.
  const int64_t outStride = D + 3;
  const float scale = 1.0f / std::sqrt(static_cast<float>(dh));

  std::vector<float> queries =
      randomValues((c.sharedQueries ? 1 : B) * C * D, 1);
  std::vector<float> kv = randomValues(B * T * N, 2);
  std::vector<uint8_t> bools = c.mask == Mask::Bool
                                   ? boolMask(B, T, c.fullyPaddedImage)
                                   : std::vector<uint8_t>();
  std::vector<float> floats = c.mask == Mask::Float
                                  ? floatMask(B, T, c.fullyPaddedImage)
                                  : std::vector<float>();
  const float nan = std::numeric_limits<float>::quiet_NaN();
  DeviceArray<float> dQueries(queries), dKV(kv), dFloats(floats);
  DeviceArray<uint8_t> dBools(bools);
  DeviceArray<float> dProbs(
      std::vector<float>(c.probs ? mapOffset + B * H * C * T : 0, nan));
  DeviceArray<float> dMean(
      std::vector<float>(c.mean ? mapOffset + B * C * T : 0, nan));
  std::vector<float> outStart(B * C * outStride, kSentinel);
  for (int64_t row = 0; row < B * C; ++row)
    std::fill(outStart.begin() + row * outStride,
              outStart.begin() + row * outStride + D, nan);
  DeviceArray<float> dOut(outStart);
  for (Status *status :
       {&dQueries.status, &dKV.status, &dFloats.status, &dBools.status,
        &dProbs.status, &dMean.status, &dOut.status})
    ASSERT_TRUE(status->isOk()) << status->error().message();

  Context *context = sharedContext();
  ASSERT_TRUE(context);
  ClassAttentionParams params;
  params.q = dQueries.get();
  params.qBatchStride = c.sharedQueries ? 0 : C * D;
  params.qRowStride = D;
  params.k = dKV.get() + keyOffset;
  params.kBatchStride = T * N;
  params.kRowStride = N;
  // Without `out` the values are not needed: none are passed.
  params.v = c.out ? dKV.get() + valueOffset : nullptr;
  params.vBatchStride = T * N;
  params.vRowStride = N;
  params.boolMask = c.mask == Mask::Bool ? dBools.get() : nullptr;
  params.floatMask = c.mask == Mask::Float ? dFloats.get() : nullptr;
  params.probs = c.probs ? dProbs.get() + mapOffset : nullptr;
  params.meanProbs = c.mean ? dMean.get() + mapOffset : nullptr;
  params.out = c.out ? dOut.get() : nullptr;
  params.outRowStride = outStride;
  params.batch = B;
  params.classes = C;
  params.tokens = T;
  params.heads = H;
  params.headDim = dh;
  params.scale = scale;
  params.allowTensorCores = c.tensorCores;
  params.tensorCoreMaps = c.tensorCoreMaps;
  Status launched = launchFusedClassAttention(*context, params);
  ASSERT_TRUE(launched.isOk()) << launched.error().message();
  Status finished = synchronize(*context);
  ASSERT_TRUE(finished.isOk()) << finished.error().message();
  EXPECT_GE(context->scratchSize(),
            fusedClassAttentionScratchBytes(params, context->multiprocessors));
  std::vector<float> probs = dProbs.download(), mean = dMean.download(),
                     out = dOut.download();

  if (c.oddMaps) {
    if (c.probs) {
      EXPECT_TRUE(sameBits(probs[0], nan)) << "the float before probs";
    }
    if (c.mean) {
      EXPECT_TRUE(sameBits(mean[0], nan)) << "the float before mean_probs";
    }
  }
  Comparison probsCheck("probs", c.tensorCores),
      meanCheck("mean_probs", c.tensorCores), outCheck("out", c.tensorCores);
  std::vector<double> scores(T), meanRow(T);
  for (int64_t b = 0; b < B; ++b)
    for (int64_t cls = 0; cls < C; ++cls) {
      std::fill(meanRow.begin(), meanRow.end(), 0.0);
      for (int64_t h = 0; h < H; ++h) {
        const float *q = queries.data() + (c.sharedQueries ? 0 : b * C * D) +
                         cls * D + h * dh;
        double maximum = -INFINITY;
        for (int64_t t = 0; t < T; ++t) {
          const float *k = kv.data() + (b * T + t) * N + keyOffset + h * dh;
          double dot = 0.0;
          for (int64_t i = 0; i < dh; ++i)
            dot += double(q[i]) * k[i];
          double score = dot * scale;
          if (c.mask == Mask::Bool && bools[b * T + t])
            score = -INFINITY;
          if (c.mask == Mask::Float)
            score += floats[b * T + t];
          scores[t] = score;
          maximum = std::max(maximum, score);
        }
        double sum = 0.0;
        for (int64_t t = 0; t < T; ++t) {
          scores[t] =
              maximum == -INFINITY ? NAN : std::exp(scores[t] - maximum);
          sum += scores[t];
        }
        for (int64_t t = 0; t < T; ++t) {
          scores[t] /= sum;
          meanRow[t] += scores[t] / H;
          if (c.probs)
            probsCheck.expect(
                probs[mapOffset + ((b * H + h) * C + cls) * T + t], scores[t],
                at({b, h, cls, t}));
        }
        if (!c.out)
          continue;
        for (int64_t i = 0; i < dh; ++i) {
          double value = 0.0;
          for (int64_t t = 0; t < T; ++t)
            value += scores[t] * kv[(b * T + t) * N + valueOffset + h * dh + i];
          outCheck.expect(out[(b * C + cls) * outStride + h * dh + i], value,
                          at({b, cls, h * dh + i}));
        }
      }
      if (c.mean)
        for (int64_t t = 0; t < T; ++t)
          meanCheck.expect(mean[mapOffset + (b * C + cls) * T + t], meanRow[t],
                           at({b, cls, t}));
      // The padding after each out row, and all of out when not wanted.
      for (int64_t i = c.out ? D : 0; i < outStride; ++i)
        ASSERT_TRUE(sameBits(out[(b * C + cls) * outStride + i],
                             i < D ? nan : kSentinel))
            << "out " << at({b, cls, i}) << " was written";
    }
}

// Tests that the decoder's shape (1 image, 200 classes, 950 tokens, 8 heads
// of 32) matches the definition in all three outputs, laid out as
// probs [B, H, C, T], mean [B, C, T] and out [B, C, D]. On a device of
// 132 SMs its statistics pass splits the heads into two groups of 4, and
// with 768 tokens (12 slices) into groups of 3, 3 and 2.
TEST(FusedClassAttentionGpu, DecoderShape) {
  checkClassAttention({1, 200, 950, 8, 32});
  checkClassAttention({1, 200, 768, 8, 32});
}

// Tests the decoder's shape with 64 features per head, three images, a bool
// mask (image 1 keeps a single token) and per-image queries.
TEST(FusedClassAttentionGpu, DecoderShapeBatchedWithBoolMask) {
  checkClassAttention({3, 200, 950, 8, 64, Mask::Bool});
}

// Tests tiny and ragged shapes: one class, one token, 7 classes over 13
// tokens (partial class and token tiles), one and eight heads.
TEST(FusedClassAttentionGpu, SmallAndRaggedShapes) {
  checkClassAttention({1, 1, 1, 8, 64});
  checkClassAttention({3, 7, 13, 1, 32, Mask::Bool, true});
  checkClassAttention({3, 7, 13, 8, 64, Mask::Float});
  checkClassAttention({1, 7, 1, 1, 32, Mask::None, true});
  checkClassAttention({3, 1, 13, 8, 32, Mask::Bool});
}

// Tests many classes over many tokens (several token slices per block and
// a partial last class tile): 525 classes, 1600 tokens.
TEST(FusedClassAttentionGpu, ManyClassesAndTokens) {
  checkClassAttention({1, 525, 1600, 1, 32, Mask::Bool});
  checkClassAttention({3, 525, 1600, 1, 64, Mask::None, true});
  checkClassAttention({1, 525, 950, 8, 32, Mask::Float});
  checkClassAttention({1, 200, 1600, 8, 64, Mask::None});
}

// Tests operands whose rows do not allow float4 loads (kv's width and the
// slices' offsets odd), with shared queries, and maps that do not allow
// pairs of floats.
TEST(FusedClassAttentionGpu, MisalignedOperands) {
  ClassCase c{3, 200, 950, 8, 32, Mask::Bool, true};
  c.misaligned = true;
  checkClassAttention(c);
  c = {1, 7, 13, 8, 64};
  c.misaligned = true;
  checkClassAttention(c);
  // Maps only 4-byte aligned with an even T: no pairs of floats stored.
  c = {2, 200, 950, 8, 32, Mask::Bool};
  c.oddMaps = true;
  checkClassAttention(c);
}

// Tests every subset of the optional outputs: the ones asked for are right,
// the others untouched.
TEST(FusedClassAttentionGpu, OptionalOutputs) {
  for (int subset = 0; subset < 8; ++subset) {
    ClassCase c{3, 33, 130, 8, 32, Mask::Bool};
    c.probs = subset & 1;
    c.mean = subset & 2;
    c.out = subset & 4;
    checkClassAttention(c);
  }
}

// Tests that an image whose tokens are all padded (bool or -inf f32 mask)
// gives NaN probabilities, mean and out, as on the CPU, while the other
// images are unaffected.
TEST(FusedClassAttentionGpu, FullyPaddedImageGivesNaN) {
  for (Mask mask : {Mask::Bool, Mask::Float}) {
    ClassCase c{3, 200, 950, 8, 32, mask};
    c.fullyPaddedImage = true;
    checkClassAttention(c);
  }
}

// Tests the TF32 tensor-core paths (the statistics pass on the flash mma
// kernel, the maps on classMapsMmaKernel or in FMAs) against the
// definition within TF32's tolerance: the decoder's shapes at batch 1 and
// 8, ragged tiles, masks (a fully padded image included), shared and
// misaligned operands, maps without pairs of floats, and every subset of
// the optional outputs.
TEST(FusedClassAttentionGpu, TensorCores) {
  std::vector<ClassCase> cases = {{1, 200, 950, 8, 32},
                                  {1, 200, 768, 8, 32},
                                  {8, 200, 950, 8, 32, Mask::Bool, true},
                                  {3, 200, 950, 8, 64, Mask::Bool},
                                  {3, 7, 13, 8, 32, Mask::Float, true},
                                  {1, 525, 1600, 1, 64, Mask::Bool},
                                  {2, 65, 63, 2, 32, Mask::Float}};
  cases[3].fullyPaddedImage = true;
  cases[4].misaligned = true;
  cases[6].fullyPaddedImage = true;
  // Maps only 4-byte aligned with an even T: the maps kernel's scalar
  // stores.
  cases.push_back({2, 200, 950, 8, 32, Mask::Bool});
  cases.back().oddMaps = true;
  for (int subset = 1; subset < 8; ++subset) {
    ClassCase c{3, 33, 130, 8, subset % 2 ? 32 : 64, Mask::Bool};
    c.probs = subset & 1;
    c.mean = subset & 2;
    c.out = subset & 4;
    cases.push_back(c);
  }
  for (ClassCase c : cases)
    for (bool tensorCoreMaps : {true, false}) {
      c.tensorCores = true;
      c.tensorCoreMaps = tensorCoreMaps;
      checkClassAttention(c);
    }
}

/// The probabilities of one decoder layer at batch 1 (random operands, no
/// mask, no out) by the path that the flags choose.
std::vector<float> decoderProbs(Context &context, bool tensorCores,
                                bool tensorCoreMaps) {
  const int64_t C = 200, T = 950, H = 8, dh = 32, D = H * dh;
  DeviceArray<float> dQueries(randomValues(C * D, 11)),
      dKeys(randomValues(T * D, 12));
  DeviceArray<float> dProbs(std::vector<float>(H * C * T, NAN));
  for (Status *status : {&dQueries.status, &dKeys.status, &dProbs.status})
    if (!status->isOk()) {
      ADD_FAILURE() << status->error().message();
      return {};
    }
  ClassAttentionParams params;
  params.q = dQueries.get();
  params.qRowStride = D;
  params.k = dKeys.get();
  params.kBatchStride = T * D;
  params.kRowStride = D;
  params.probs = dProbs.get();
  params.batch = 1;
  params.classes = C;
  params.tokens = T;
  params.heads = H;
  params.headDim = dh;
  params.scale = 1.0f / std::sqrt(static_cast<float>(dh));
  params.allowTensorCores = tensorCores;
  params.tensorCoreMaps = tensorCoreMaps;
  Status launched = launchFusedClassAttention(context, params);
  EXPECT_TRUE(launched.isOk()) << launched.error().message();
  EXPECT_TRUE(synchronize(context).isOk());
  return dProbs.download();
}

// Tests that the three paths are taken as asked: the maps in FMAs after
// the tensor-core statistics differ from the maps all in FMAs (the
// statistics came from TF32 scores) and from the maps all on tensor cores
// (the scores did not), which a launcher that ignored allowTensorCores or
// tensorCoreMaps would not give. TensorCores compares each with the
// definition.
TEST(FusedClassAttentionGpu, EachPathIsTaken) {
  Context *context = sharedContext();
  ASSERT_TRUE(context);
  std::vector<float> fma = decoderProbs(*context, false, true);
  std::vector<float> tensor = decoderProbs(*context, true, true);
  auto sm80 = context->tuned.find("sm80:fused-attention");
  if (sm80 == context->tuned.end() || sm80->second.empty() ||
      sm80->second[0] == 0)
    GTEST_SKIP() << "this build runs no tensor-core code on this device";
  std::vector<float> mixed = decoderProbs(*context, true, false);
  ASSERT_EQ(fma.size(), mixed.size());
  ASSERT_EQ(tensor.size(), mixed.size());
  // Each path wrote every map (the buffers start as NaN, which would make
  // any two compare unequal): finite rows that sum to one.
  const int64_t T = 950;
  for (const std::vector<float> *probs : {&fma, &tensor, &mixed})
    for (size_t row = 0; row < probs->size() / T; ++row) {
      double sum = 0.0;
      for (int64_t t = 0; t < T; ++t) {
        float p = (*probs)[row * T + t];
        ASSERT_TRUE(std::isfinite(p) && p >= 0.0f) << "row " << row;
        sum += p;
      }
      ASSERT_NEAR(sum, 1.0, 1e-3) << "row " << row;
    }
  EXPECT_NE(mixed, fma);
  EXPECT_NE(mixed, tensor);
  EXPECT_NE(tensor, fma);
}

// Tests that padded tokens get probability exactly zero and that the kept
// token of a row whose other tokens are all padded gets exactly one.
TEST(FusedClassAttentionGpu, PaddedTokensGetZero) {
  const int64_t B = 2, C = 7, T = 950, H = 8, dh = 32, D = H * dh;
  std::vector<float> queries = randomValues(C * D, 5);
  std::vector<float> keys = randomValues(B * T * D, 6);
  std::vector<uint8_t> mask = boolMask(B, T, false);
  DeviceArray<float> dQueries(queries), dKeys(keys);
  DeviceArray<uint8_t> dMask(mask);
  DeviceArray<float> dProbs(std::vector<float>(B * H * C * T, NAN));
  Context *context = sharedContext();
  ASSERT_TRUE(context);
  ClassAttentionParams params;
  params.q = dQueries.get();
  params.qRowStride = D;
  params.k = params.v = dKeys.get();
  params.kBatchStride = params.vBatchStride = T * D;
  params.kRowStride = params.vRowStride = D;
  params.boolMask = dMask.get();
  params.probs = dProbs.get();
  params.batch = B;
  params.classes = C;
  params.tokens = T;
  params.heads = H;
  params.headDim = dh;
  params.scale = 0.3f;
  ASSERT_TRUE(launchFusedClassAttention(*context, params).isOk());
  ASSERT_TRUE(synchronize(*context).isOk());
  std::vector<float> probs = dProbs.download();
  for (int64_t b = 0; b < B; ++b)
    for (int64_t h = 0; h < H; ++h)
      for (int64_t c = 0; c < C; ++c) {
        const float *row = probs.data() + ((b * H + h) * C + c) * T;
        double sum = 0.0;
        for (int64_t t = 0; t < T; ++t) {
          if (mask[b * T + t]) {
            ASSERT_EQ(row[t], 0.0f) << at({b, h, c, t});
          }
          sum += row[t];
        }
        EXPECT_NEAR(sum, 1.0, 1e-5) << at({b, h, c});
        // Image 1 keeps only token T / 2.
        if (b == 1) {
          EXPECT_EQ(row[T / 2], 1.0f) << at({b, h, c});
        }
      }
}

// Tests that without tokens the maps are empty and out is zero (an empty
// sum), as on the CPU.
TEST(FusedClassAttentionGpu, WithoutTokensOutIsZero) {
  const int64_t B = 3, C = 7, H = 8, dh = 32, D = H * dh;
  std::vector<float> queries = randomValues(C * D, 7);
  DeviceArray<float> dQueries(queries);
  DeviceArray<float> dOut(std::vector<float>(B * C * D, NAN));
  Context *context = sharedContext();
  ASSERT_TRUE(context);
  ClassAttentionParams params;
  params.q = dQueries.get();
  params.qRowStride = params.kRowStride = params.vRowStride = D;
  params.out = dOut.get();
  params.outRowStride = D;
  params.batch = B;
  params.classes = C;
  params.tokens = 0;
  params.heads = H;
  params.headDim = dh;
  ASSERT_TRUE(launchFusedClassAttention(*context, params).isOk());
  ASSERT_TRUE(synchronize(*context).isOk());
  for (float value : dOut.download())
    ASSERT_EQ(value, 0.0f);
}

// Tests that unsupported or malformed parameters are refused before any
// launch, with a message saying why.
TEST(FusedClassAttentionGpu, RejectsBadParameters) {
  Context *context = sharedContext();
  ASSERT_TRUE(context);
  DeviceArray<float> memory(std::vector<float>(4096, 0.0f));
  DeviceArray<uint8_t> mask(std::vector<uint8_t>(64, 0));
  auto valid = [&] {
    ClassAttentionParams params;
    params.q = params.k = params.v = memory.get();
    params.qRowStride = params.kRowStride = params.vRowStride = 64;
    params.probs = memory.get();
    params.batch = 1;
    params.classes = 2;
    params.tokens = 3;
    params.heads = 2;
    params.headDim = 32;
    return params;
  };
  ASSERT_TRUE(launchFusedClassAttention(*context, valid()).isOk());
  auto expectRefused = [&](ClassAttentionParams params,
                           const std::string &what) {
    Status status = launchFusedClassAttention(*context, params);
    ASSERT_FALSE(status.isOk()) << "accepted: " << what;
    EXPECT_NE(status.error().message().find(what), std::string::npos)
        << status.error().message();
  };
  ClassAttentionParams params = valid();
  params.headDim = 48;
  params.qRowStride = params.kRowStride = params.vRowStride = 96;
  expectRefused(params, "head size 48");
  params = valid();
  params.heads = 0;
  expectRefused(params, "heads");
  params = valid();
  params.tokens = -1;
  expectRefused(params, "tokens");
  params = valid();
  params.kRowStride = 63;
  expectRefused(params, "key row stride");
  params = valid();
  params.boolMask = mask.get();
  params.floatMask = memory.get();
  expectRefused(params, "mask");
  params = valid();
  params.scale = std::numeric_limits<float>::infinity();
  expectRefused(params, "scale");
  params = valid();
  params.out = memory.get();
  params.outRowStride = 32;
  expectRefused(params, "out row stride");
  params = valid();
  params.k = nullptr;
  expectRefused(params, "missing");
  params = valid();
  params.probs =
      reinterpret_cast<float *>(reinterpret_cast<char *>(memory.get()) + 2);
  expectRefused(params, "misaligned");
  params = valid();
  params.workspace = reinterpret_cast<char *>(memory.get()) + 4;
  expectRefused(params, "workspace is misaligned");
  EXPECT_TRUE(fusedAttentionSupportsHeadDim(32));
  EXPECT_TRUE(fusedAttentionSupportsHeadDim(64));
  EXPECT_FALSE(fusedAttentionSupportsHeadDim(16));
  ASSERT_TRUE(synchronize(*context).isOk());
}

//===----------------------------------------------------------------------===//
// Flash self-attention
//===----------------------------------------------------------------------===//

/// One self-attention problem: q, k and v are column slices of one
/// x [B, max(S, L), W], the output a dense [B, S, H, dh].
struct FlashCase {
  int64_t B, S, L, H, dh;
  Mask mask = Mask::None;
  /// W = 3D + 1 and k, v start one column late: no float4 loads.
  bool misaligned = false;
  bool fullyPaddedImage = false;
  /// The output as [B, H, S, dh] instead of [B, S, H, dh].
  bool headMajorOutput = false;
  /// allowTensorCores: compared with the TF32 tolerance.
  bool tensorCores = false;
  /// FlashAttentionParams::keySplits (on tensor cores).
  int64_t keySplits = 1;
};

std::string describe(const FlashCase &c) {
  const char *masks[] = {"none", "bool", "f32"};
  return "B=" + std::to_string(c.B) + " S=" + std::to_string(c.S) +
         " L=" + std::to_string(c.L) + " H=" + std::to_string(c.H) +
         " dh=" + std::to_string(c.dh) +
         " mask=" + masks[static_cast<int>(c.mask)] +
         (c.misaligned ? " misaligned" : "") +
         (c.headMajorOutput ? " head-major output" : "") +
         (c.tensorCores ? " tf32" : "") +
         (c.keySplits != 1 ? " keySplits=" + std::to_string(c.keySplits) : "");
}

void checkFlashAttention(const FlashCase &c) {
  SCOPED_TRACE(describe(c));
  const int64_t B = c.B, S = c.S, L = c.L, H = c.H, dh = c.dh, D = H * dh;
  const int64_t rows = std::max(S, L), W = 3 * D + (c.misaligned ? 1 : 0);
  const int64_t shift = c.misaligned ? 1 : 0;
  const float scale = 1.0f / std::sqrt(static_cast<float>(dh));
  std::vector<float> x = randomValues(B * rows * W, 3);
  std::vector<uint8_t> bools = c.mask == Mask::Bool
                                   ? boolMask(B, L, c.fullyPaddedImage)
                                   : std::vector<uint8_t>();
  std::vector<float> floats = c.mask == Mask::Float
                                  ? floatMask(B, L, c.fullyPaddedImage)
                                  : std::vector<float>();
  DeviceArray<float> dX(x), dFloats(floats);
  DeviceArray<uint8_t> dBools(bools);
  DeviceArray<float> dOut(std::vector<float>(B * S * D, NAN));
  for (Status *status :
       {&dX.status, &dFloats.status, &dBools.status, &dOut.status})
    ASSERT_TRUE(status->isOk()) << status->error().message();
  Context *context = sharedContext();
  ASSERT_TRUE(context);

  FlashAttentionParams params;
  params.q = dX.get();
  params.k = dX.get() + D + shift;
  params.v = dX.get() + 2 * D + shift;
  params.qBatchStride = params.kBatchStride = params.vBatchStride = rows * W;
  params.qRowStride = params.kRowStride = params.vRowStride = W;
  params.qHeadStride = params.kHeadStride = params.vHeadStride = dh;
  params.o = dOut.get();
  params.oBatchStride = S * D;
  params.oRowStride = c.headMajorOutput ? dh : D;
  params.oHeadStride = c.headMajorOutput ? S * dh : dh;
  params.boolMask = c.mask == Mask::Bool ? dBools.get() : nullptr;
  params.floatMask = c.mask == Mask::Float ? dFloats.get() : nullptr;
  params.batch = B;
  params.queries = S;
  params.keys = L;
  params.heads = H;
  params.headDim = dh;
  params.scale = scale;
  params.allowTensorCores = c.tensorCores;
  params.keySplits = c.keySplits;
  Status launched = launchFlashSelfAttention(*context, params);
  ASSERT_TRUE(launched.isOk()) << launched.error().message();
  Status finished = synchronize(*context);
  ASSERT_TRUE(finished.isOk()) << finished.error().message();
  std::vector<float> out = dOut.download();

  Comparison outCheck("out", c.tensorCores);
  std::vector<double> scores(L);
  for (int64_t b = 0; b < B; ++b)
    for (int64_t h = 0; h < H; ++h)
      for (int64_t s = 0; s < S; ++s) {
        const float *q = x.data() + (b * rows + s) * W + h * dh;
        double maximum = -INFINITY;
        for (int64_t l = 0; l < L; ++l) {
          const float *k = x.data() + (b * rows + l) * W + D + shift + h * dh;
          double dot = 0.0;
          for (int64_t i = 0; i < dh; ++i)
            dot += double(q[i]) * k[i];
          double score = dot * scale;
          if (c.mask == Mask::Bool && bools[b * L + l])
            score = -INFINITY;
          if (c.mask == Mask::Float)
            score += floats[b * L + l];
          scores[l] = score;
          maximum = std::max(maximum, score);
        }
        double sum = 0.0;
        for (int64_t l = 0; l < L; ++l) {
          scores[l] =
              maximum == -INFINITY ? NAN : std::exp(scores[l] - maximum);
          sum += scores[l];
        }
        for (int64_t i = 0; i < dh; ++i) {
          double value = 0.0;
          for (int64_t l = 0; l < L; ++l)
            value += scores[l] / sum *
                     x[(b * rows + l) * W + 2 * D + shift + h * dh + i];
          const int64_t index = c.headMajorOutput
                                    ? ((b * H + h) * S + s) * dh + i
                                    : ((b * S + s) * H + h) * dh + i;
          outCheck.expect(out[index], value, at({b, s, h, i}));
        }
      }
}

// Tests the encoder's self-attention (950 tokens, 8 heads of 32) with and
// without padding, one and three images: on a device of 60 or more SMs
// (the tests' targets) one image takes blocks of half the rows, three
// images full ones.
TEST(FlashSelfAttentionGpu, EncoderShape) {
  checkFlashAttention({1, 950, 950, 8, 32});
  checkFlashAttention({3, 950, 950, 8, 32, Mask::Bool});
}

// Tests 64 features per head (tiles of 32 queries, or 16 on a grid too
// small for them), f32 masks and misaligned operands.
TEST(FlashSelfAttentionGpu, HeadDim64) {
  checkFlashAttention({1, 950, 950, 8, 64, Mask::Float});
  checkFlashAttention({3, 950, 950, 8, 64});
  FlashCase c{3, 200, 130, 2, 64, Mask::Bool};
  c.misaligned = true;
  checkFlashAttention(c);
}

// Tests tiny and ragged shapes, more keys than queries and the reverse, and
// an output laid out head-major.
TEST(FlashSelfAttentionGpu, SmallAndRaggedShapes) {
  checkFlashAttention({1, 1, 1, 1, 32});
  checkFlashAttention({3, 13, 13, 8, 64, Mask::Bool});
  checkFlashAttention({1, 7, 1600, 1, 32, Mask::Float});
  FlashCase c{3, 1600, 13, 8, 32, Mask::None};
  c.misaligned = true;
  checkFlashAttention(c);
  c = {3, 70, 13, 8, 32, Mask::Bool};
  c.headMajorOutput = true;
  checkFlashAttention(c);
}

// Tests the TF32 tensor-core kernel (mma.sync, 16 query rows per warp)
// within TF32's tolerance: query counts that are and are not multiples of
// 16 and of the block's 64, key counts that leave a partial last tile,
// masks, misaligned operands and a head-major output.
TEST(FlashSelfAttentionGpu, TensorCores) {
  std::vector<FlashCase> cases = {{1, 950, 950, 8, 32},
                                  {3, 950, 950, 8, 32, Mask::Bool},
                                  {3, 950, 950, 8, 64},
                                  {3, 200, 130, 2, 64, Mask::Bool},
                                  {3, 13, 1600, 8, 32, Mask::Float},
                                  {1, 1, 1, 1, 64},
                                  {2, 64, 64, 3, 32, Mask::Float},
                                  {2, 70, 13, 8, 32, Mask::Bool},
                                  {1, 1600, 7, 2, 64},
                                  {2, 950, 950, 8, 64, Mask::Float}};
  cases[3].misaligned = true;
  cases[3].fullyPaddedImage = true;
  cases[7].headMajorOutput = true;
  cases[8].misaligned = true;
  for (FlashCase c : cases) {
    c.tensorCores = true;
    checkFlashAttention(c);
  }
}

// Tests the tensor-core kernel with the keys in slices combined by a second
// kernel: the launcher's choice (0), uneven slices (15 key tiles in
// 4), one tile per slice, more slices asked than tiles, masks that leave
// whole slices without a key, fully padded images (NaN), 64 features, a
// head-major output and one tile that cannot be sliced. How many slices
// the launcher picks, and their scratch, is LaunchPlanTest's.
TEST(FlashSelfAttentionGpu, KeySplits) {
  std::vector<FlashCase> cases = {{1, 950, 950, 8, 32},
                                  {1, 950, 950, 8, 32, Mask::Bool},
                                  {2, 200, 200, 8, 32, Mask::Float},
                                  {3, 13, 1600, 8, 32, Mask::Float},
                                  {3, 70, 130, 8, 64, Mask::Bool},
                                  {2, 950, 950, 2, 64},
                                  {1, 1, 7, 1, 32},
                                  {3, 70, 300, 8, 32, Mask::Float}};
  std::vector<int64_t> splits = {0, 4, 4, 64, 2, 0, 3, 3};
  cases[4].fullyPaddedImage = true;
  cases[5].misaligned = true;
  cases[7].headMajorOutput = true;
  cases[7].fullyPaddedImage = true;
  for (size_t i = 0; i < cases.size(); ++i) {
    FlashCase c = cases[i];
    c.tensorCores = true;
    c.keySplits = splits[i];
    checkFlashAttention(c);
  }
}

// Tests that a fully padded image gives NaN, as on the CPU, while the
// others are unaffected, in f32 and on tensor cores.
TEST(FlashSelfAttentionGpu, FullyPaddedImageGivesNaN) {
  for (bool tensorCores : {false, true})
    for (Mask mask : {Mask::Bool, Mask::Float}) {
      FlashCase c{3, 70, 130, 8, 32, mask};
      c.fullyPaddedImage = true;
      c.tensorCores = tensorCores;
      checkFlashAttention(c);
    }
}

// Tests that without keys the output is zero (an empty sum), in f32 and
// on tensor cores.
TEST(FlashSelfAttentionGpu, WithoutKeysOutputIsZero) {
  for (bool tensorCores : {false, true}) {
    SCOPED_TRACE(tensorCores ? "tf32" : "f32");
    const int64_t B = 2, S = 5, H = 2, dh = 32, D = H * dh;
    DeviceArray<float> dQueries(randomValues(B * S * D, 8));
    DeviceArray<float> dOut(std::vector<float>(B * S * D, NAN));
    Context *context = sharedContext();
    ASSERT_TRUE(context);
    FlashAttentionParams params;
    params.q = dQueries.get();
    params.qBatchStride = params.oBatchStride = S * D;
    params.qRowStride = params.oRowStride = D;
    params.qHeadStride = params.oHeadStride = dh;
    params.o = dOut.get();
    params.batch = B;
    params.queries = S;
    params.keys = 0;
    params.heads = H;
    params.headDim = dh;
    params.allowTensorCores = tensorCores;
    ASSERT_TRUE(launchFlashSelfAttention(*context, params).isOk());
    ASSERT_TRUE(synchronize(*context).isOk());
    for (float value : dOut.download())
      ASSERT_EQ(value, 0.0f);
  }
}

// Tests that unsupported or malformed parameters are refused before any
// launch.
TEST(FlashSelfAttentionGpu, RejectsBadParameters) {
  Context *context = sharedContext();
  ASSERT_TRUE(context);
  DeviceArray<float> memory(std::vector<float>(4096, 0.0f));
  auto valid = [&] {
    FlashAttentionParams params;
    params.q = params.k = params.v = params.o = memory.get();
    params.qRowStride = params.kRowStride = params.vRowStride =
        params.oRowStride = 64;
    params.qHeadStride = params.kHeadStride = params.vHeadStride =
        params.oHeadStride = 32;
    params.batch = 1;
    params.queries = params.keys = 3;
    params.heads = 2;
    params.headDim = 32;
    return params;
  };
  ASSERT_TRUE(launchFlashSelfAttention(*context, valid()).isOk());
  auto expectRefused = [&](FlashAttentionParams params,
                           const std::string &what) {
    Status status = launchFlashSelfAttention(*context, params);
    ASSERT_FALSE(status.isOk()) << "accepted: " << what;
    EXPECT_NE(status.error().message().find(what), std::string::npos)
        << status.error().message();
  };
  FlashAttentionParams params = valid();
  params.headDim = 16;
  expectRefused(params, "head size 16");
  params = valid();
  params.oRowStride = 32;
  expectRefused(params, "overlap");
  params = valid();
  params.kRowStride = -64;
  expectRefused(params, "key row stride");
  params = valid();
  params.v = nullptr;
  expectRefused(params, "missing");
  params = valid();
  params.queries = int64_t(1) << 40;
  expectRefused(params, "queries");
  params = valid();
  params.keySplits = -1;
  expectRefused(params, "key splits must not be negative");
  params = valid();
  params.workspace = reinterpret_cast<char *>(memory.get()) + 4;
  expectRefused(params, "workspace is misaligned");
  ASSERT_TRUE(synchronize(*context).isOk());
}

} // namespace
