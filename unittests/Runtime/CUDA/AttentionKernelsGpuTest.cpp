//===- AttentionKernelsGpuTest.cpp - CUDA attention against the CPU -------===//
//
// intr.mha, intr.class_attention and intr.class_attention_kv on the device
// compared with the CPU kernels over the decoder's and encoder's shapes:
// 1, 7 and 200 queries, 1, 13 and 950 tokens (and token counts whose scores
// no longer fit in shared memory), 1 and 8 heads of 32 and 64 features,
// one and three images, with and without padding masks, with and without
// the optional maps. Malformed steps must be refused before any launch.
//
//===----------------------------------------------------------------------===//

#include "GpuKernelCase.h"

#include "CUDA/CudaKernel.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

using namespace intr;
using namespace intr::gputest;

namespace {

constexpr double kAtol = 1e-4, kRtol = 1e-3;

enum class Mask { None, Bool, Float };

/// Which of class_attention's optional maps a case asks for.
struct Maps {
  bool probs, mean;
};

/// One attention problem: B images, C queries (S for mha), T tokens (keys),
/// H heads of headDim features.
struct Shape {
  int64_t B, C, T, H, headDim;
  bool sharedQuery;
  Mask mask;
  int64_t D() const { return H * headDim; }
};

std::string describe(const Shape &shape) {
  const char *masks[] = {"none", "bool", "f32"};
  return "B=" + std::to_string(shape.B) + " C=" + std::to_string(shape.C) +
         " T=" + std::to_string(shape.T) + " H=" + std::to_string(shape.H) +
         " dh=" + std::to_string(shape.headDim) +
         (shape.sharedQuery ? " shared queries" : "") +
         " mask=" + masks[static_cast<int>(shape.mask)];
}

std::string describe(const Maps &maps) {
  return std::string(maps.probs ? " probs" : " no probs") +
         (maps.mean ? " mean" : " no mean");
}

/// A [B, T] padding mask. Image b pads every third key when b % 3 == 0,
/// every key but the middle one when b % 3 == 1 (also the only image when
/// B = 1) and its last two keys when b % 3 == 2; none is fully padded.
Tensor paddingMask(int64_t B, int64_t T) {
  Tensor mask(DType::Bool, {B, T});
  auto *padded = mask.data<uint8_t>();
  for (int64_t b = 0; b < B; ++b) {
    int64_t pattern = B == 1 ? 1 : b % 3;
    for (int64_t t = 0; t < T; ++t) {
      bool pad = pattern == 0   ? t % 3 == 2
                 : pattern == 1 ? t != T / 2
                                : t >= T - std::min<int64_t>(2, T - 1);
      padded[b * T + t] = pad ? 1 : 0;
    }
  }
  return mask;
}

/// The mask operand of `shape`, or an omitted one.
void addMask(KernelCase &step, const Shape &shape) {
  if (shape.mask == Mask::Bool)
    step.input(paddingMask(shape.B, shape.T));
  else if (shape.mask == Mask::Float)
    step.input(randomTensor({shape.B, shape.T}, -2.0f, 0.0f));
}

/// Weights of a trained layer's scale, so that the softmax is neither
/// uniform nor one-hot.
void addProjection(KernelCase &step, int64_t D) {
  float bound = 1.5f / std::sqrt(static_cast<float>(D));
  step.input(randomTensor({D, D}, -bound, bound));
  step.input(randomTensor({D}, -0.5f, 0.5f));
}

std::vector<int64_t> queryShape(const Shape &shape) {
  if (shape.sharedQuery)
    return {shape.C, shape.D()};
  return {shape.B, shape.C, shape.D()};
}

/// intr.mha of `shape`; with `sequenceFirst`, its operands and result are
/// [S, B, D] and [L, B, D] (a shared query stays [S, D]).
KernelCase mhaCase(const Shape &shape, bool sequenceFirst = false) {
  const int64_t D = shape.D();
  auto batched = [&](int64_t length) {
    return sequenceFirst ? std::vector<int64_t>{length, shape.B, D}
                         : std::vector<int64_t>{shape.B, length, D};
  };
  KernelCase step("intr.mha");
  step.input(randomTensor(shape.sharedQuery ? queryShape(shape)
                                            : batched(shape.C)))
      .input(randomTensor(batched(shape.T)))
      .input(randomTensor(batched(shape.T)));
  for (int i = 0; i < 4; ++i)
    addProjection(step, D);
  addMask(step, shape);
  step.output(DType::F32, batched(shape.C))
      .attr("num_heads", ints({shape.H}))
      .tolerance(kAtol, kRtol);
  if (sequenceFirst)
    step.attr("sequence_first", ints({1}));
  return step;
}

/// Adds the class attentions' results: out, then the maps asked for.
void addClassResults(KernelCase &step, const Shape &shape, Maps maps) {
  step.output(DType::F32, {shape.B, shape.C, shape.D()});
  if (maps.probs)
    step.output(DType::F32, {shape.B, shape.H, shape.C, shape.T});
  else if (maps.mean)
    step.noOutput();
  if (maps.mean)
    step.output(DType::F32, {shape.B, shape.C, shape.T});
}

KernelCase classAttentionCase(const Shape &shape, Maps maps) {
  const int64_t D = shape.D();
  KernelCase step("intr.class_attention");
  step.input(randomTensor(queryShape(shape)))
      .input(randomTensor({shape.B, shape.T, D}));
  for (int i = 0; i < 4; ++i)
    addProjection(step, D);
  addMask(step, shape);
  addClassResults(step, shape, maps);
  step.attr("num_heads", ints({shape.H}))
      .attr("feature_map", ints({1, shape.T}))
      .tolerance(kAtol, kRtol);
  return step;
}

/// class_attention_kv with kv = [B, T, 3D + 5]: the values at column 1 and
/// the keys at column 2D + 3, other columns around them.
KernelCase classAttentionKVCase(const Shape &shape, Maps maps = {true, true}) {
  const int64_t D = shape.D(), N = 3 * D + 5;
  KernelCase step("intr.class_attention_kv");
  // Already projected: values of a projection's spread.
  step.input(randomTensor(queryShape(shape), -2.0f, 2.0f))
      .input(randomTensor({shape.B, shape.T, N}, -2.0f, 2.0f));
  addProjection(step, D);
  addMask(step, shape);
  addClassResults(step, shape, maps);
  step.attr("num_heads", ints({shape.H}))
      .attr("feature_map", ints({shape.T, 1}))
      .attr("key_offset", ints({2 * D + 3}))
      .attr("value_offset", ints({1}))
      .tolerance(kAtol, kRtol);
  return step;
}

/// Every combination of queries {1, 7, 200}, tokens {1, 13, 950} and heads
/// {1, 8} x {32, 64} features, with the images, shared queries and mask
/// cycling through their values; `masks` are the mask kinds the op takes.
std::vector<Shape> shapes(const std::vector<Mask> &masks) {
  std::vector<Shape> list;
  const std::pair<int64_t, int64_t> heads[] = {
      {1, 32}, {8, 32}, {8, 64}, {1, 64}};
  int index = 0;
  for (int64_t C : {1, 7, 200})
    for (int64_t T : {1, 13, 950})
      for (auto [H, headDim] : heads) {
        int64_t B = index % 2 == 0 ? 1 : 3;
        bool shared = (index / 2) % 2 == 1;
        Mask mask = masks[(index / 3) % masks.size()];
        list.push_back({B, C, T, H, headDim, shared, mask});
        ++index;
      }
  return list;
}

const Maps kAllMaps[] = {
    {true, true}, {true, false}, {false, true}, {false, false}};

/// Expects runOnGpu() to refuse `step` with a message naming `kernel` and
/// `what`.
void expectRefused(const KernelCase &step, const std::string &kernel,
                   const std::string &what) {
  Status status = step.runOnGpu();
  ASSERT_FALSE(status.isOk())
      << kernel << " accepted a bad step (" << what << ")";
  EXPECT_NE(status.error().message().find(kernel), std::string::npos)
      << status.error().message();
  EXPECT_NE(status.error().message().find(what), std::string::npos)
      << status.error().message();
}

// Tests that the CUDA backend registers all three attention kernels.
TEST(AttentionKernelsGpu, AllRegistered) {
  for (const char *name : {"intr.mha", "intr.mha_qkv", "intr.class_attention",
                           "intr.class_attention_kv"})
    EXPECT_NE(cuda::KernelRegistry::cuda().find(name), nullptr) << name;
}

//===----------------------------------------------------------------------===//
// intr.mha
//===----------------------------------------------------------------------===//

// Tests that intr.mha matches the CPU over every query, token and head
// shape, with per-image and shared queries and bool, f32 or no masks.
TEST(AttentionKernelsGpu, MHAMatchesCpu) {
  for (const Shape &shape : shapes({Mask::None, Mask::Bool, Mask::Float})) {
    SCOPED_TRACE(describe(shape));
    mhaCase(shape).check();
  }
}

// Tests that intr.mha matches the CPU on the encoder's self-attention
// (S = T = 950 tokens, 8 heads of 32), with and without padding.
TEST(AttentionKernelsGpu, MHAMatchesCpuOnEncoderShape) {
  for (Mask mask : {Mask::None, Mask::Bool})
    for (int64_t B : {1, 3}) {
      Shape shape{B, 950, 950, 8, 32, false, mask};
      SCOPED_TRACE(describe(shape));
      mhaCase(shape).check();
    }
}

// Tests intr.mha as a plan that allows TF32 runs it by default:
// the flash self-attention on tensor cores with its keys in slices, kept in
// a piece of the step's scratch, batch and sequence first, within TF32's
// tolerance (the projections stay in f32).
TEST(AttentionKernelsGpu, MHAFlashOnTensorCoresWithKeySlices) {
  cuda::Context *context = sharedContext();
  ASSERT_TRUE(context);
  ScopedSetting tf32(context->flashTF32, true);
  ScopedSetting splits(context->flashKeySplits, true);
  for (bool sequenceFirst : {false, true})
    for (Mask mask : {Mask::None, Mask::Bool}) {
      Shape shape{1, 950, 950, 8, 32, false, mask};
      SCOPED_TRACE(describe(shape) + (sequenceFirst ? " sequence first" : ""));
      mhaCase(shape, sequenceFirst).tolerance(2e-3, 2e-2).check();
    }
}

// Tests that sequence-first intr.mha ([S, B, D] rows read and written with
// strides) matches the CPU: the flash kernel's head sizes, the plain
// kernel's (heads of 12), with its scores in shared memory and, for 12500
// keys, in the step's scratch (the query row then read in place), the
// encoder's shape at batch 3, shared queries and masks.
TEST(AttentionKernelsGpu, MHASequenceFirstMatchesCpu) {
  std::vector<Shape> list = shapes({Mask::None, Mask::Bool, Mask::Float});
  list.push_back({3, 7, 13, 2, 12, false, Mask::Bool});
  list.push_back({3, 5, 9, 3, 12, true, Mask::Float});
  list.push_back({2, 3, 12500, 2, 12, false, Mask::Bool});
  list.push_back({3, 950, 950, 8, 32, false, Mask::Bool});
  for (const Shape &shape : list) {
    SCOPED_TRACE(describe(shape));
    mhaCase(shape, /*sequenceFirst=*/true).check();
  }
}

/// intr.mha_qkv of a self-attention of `shape` (S = T): random packed
/// projections [B, S, 3D] ([S, B, 3D] sequence first).
KernelCase mhaQKVCase(const Shape &shape, bool sequenceFirst) {
  const int64_t D = shape.D();
  auto batched = [&](int64_t width) {
    return sequenceFirst ? std::vector<int64_t>{shape.T, shape.B, width}
                         : std::vector<int64_t>{shape.B, shape.T, width};
  };
  KernelCase step("intr.mha_qkv");
  step.input(randomTensor(batched(3 * D)));
  addProjection(step, D);
  addMask(step, shape);
  step.output(DType::F32, batched(D))
      .attr("num_heads", ints({shape.H}))
      .attr("sequence_first", ints({sequenceFirst}))
      .tolerance(kAtol, kRtol);
  return step;
}

// Tests that intr.mha_qkv, reading Q, K and V in place from rows of 3D,
// matches the CPU: heads of 12 and 16 (the plain kernel) and of 32 and 64
// (the flash kernel), the encoder's shape at batch 1 and 2 (the images'
// rows interleaved sequence first), masks of both kinds.
TEST(AttentionKernelsGpu, MHAQKVMatchesCpu) {
  for (const Shape &shape : {Shape{2, 9, 9, 4, 16, false, Mask::Bool},
                             Shape{3, 7, 7, 2, 12, false, Mask::Float},
                             Shape{2, 37, 37, 2, 64, false, Mask::None},
                             Shape{1, 950, 950, 8, 32, false, Mask::None},
                             Shape{2, 950, 950, 8, 32, false, Mask::Bool}})
    for (bool sequenceFirst : {false, true}) {
      SCOPED_TRACE(describe(shape) + (sequenceFirst ? " sequence first" : ""));
      mhaQKVCase(shape, sequenceFirst).check();
    }
}

// Tests self-attentions laid out as the executable writer lays them: the
// query and key operands one buffer, the key's weight and bias right after
// the query's, so that the kernel projects Q and K with one GEMM of width
// 2D; heads of 16 (the plain kernel) and of 32 (the flash kernel), batch
// and sequence first.
TEST(AttentionKernelsGpu, MHASelfAttentionProjectsQueryAndKeyTogether) {
  for (Shape shape : {Shape{2, 9, 9, 4, 16, false, Mask::Bool},
                      Shape{3, 950, 950, 2, 32, false, Mask::None},
                      Shape{2, 37, 37, 8, 32, false, Mask::Float}})
    for (bool sequenceFirst : {false, true}) {
      SCOPED_TRACE(describe(shape) + (sequenceFirst ? " sequence first" : ""));
      const int64_t D = shape.D();
      std::vector<int64_t> rows =
          sequenceFirst ? std::vector<int64_t>{shape.T, shape.B, D}
                        : std::vector<int64_t>{shape.B, shape.T, D};
      KernelCase step("intr.mha");
      size_t x = step.storage(randomTensor(rows));
      float bound = 1.5f / std::sqrt(static_cast<float>(D));
      size_t weights = step.storage(randomTensor({2 * D, D}, -bound, bound));
      size_t biases = step.storage(randomTensor({2 * D}, -0.5f, 0.5f));
      step.inputView(x, 0, rows)
          .inputView(x, 0, rows)
          .input(randomTensor(rows))
          .inputView(weights, 0, {D, D})
          .inputView(biases, 0, {D})
          .inputView(weights, D * D, {D, D})
          .inputView(biases, D, {D});
      for (int i = 0; i < 2; ++i)
        addProjection(step, D);
      addMask(step, shape);
      step.output(DType::F32, rows)
          .attr("num_heads", ints({shape.H}))
          .tolerance(kAtol, kRtol);
      if (sequenceFirst)
        step.attr("sequence_first", ints({1}));
      step.check();
    }
}

// Tests that intr.mha honours an explicit scale attribute.
TEST(AttentionKernelsGpu, MHAHonoursScale) {
  Shape shape{3, 7, 13, 8, 32, false, Mask::Bool};
  mhaCase(shape).attr("scale", real(0.3)).check();
}

// Tests that intr.mha refuses malformed steps before launching anything.
TEST(AttentionKernelsGpu, MHARejectsMalformedSteps) {
  const std::string k = "intr.mha";
  const int64_t B = 2, S = 3, L = 5, D = 8;
  // The operands of a well-formed step; `broken` replaces one of them.
  auto build = [&](int broken, std::optional<Tensor> replacement,
                   std::vector<int64_t> outShape, int64_t heads) {
    std::vector<Tensor> operands = {randomTensor({B, S, D}),
                                    randomTensor({B, L, D}),
                                    randomTensor({B, L, D})};
    for (int i = 0; i < 4; ++i) {
      operands.push_back(randomTensor({D, D}));
      operands.push_back(randomTensor({D}));
    }
    KernelCase step(k);
    for (int i = 0; i < static_cast<int>(operands.size()); ++i) {
      if (i == broken && !replacement)
        continue; // dropped
      step.input(i == broken ? *replacement : operands[i]);
    }
    if (broken == static_cast<int>(operands.size()) && replacement)
      step.input(*replacement); // appended: the mask
    step.output(DType::F32, outShape).attr("num_heads", ints({heads}));
    return step;
  };
  const std::vector<int64_t> out = {B, S, D};
  ASSERT_TRUE(build(-1, std::nullopt, out, 2).runOnGpu().isOk());

  expectRefused(build(2, randomTensor({B, L - 1, D}), out, 2), k, "value");
  expectRefused(build(1, Tensor(DType::I32, {B, L, D}), out, 2), k, "f32");
  expectRefused(build(0, randomTensor({B + 1, S, D}), out, 2), k, "query");
  expectRefused(build(3, randomTensor({D, D + 1}), out, 2), k, "q_weight");
  expectRefused(build(10, randomTensor({D + 1}), out, 2), k, "out_bias");
  expectRefused(build(11, Tensor(DType::Bool, {B, S}), out, 2), k,
                "key_padding_mask");
  expectRefused(build(11, Tensor(DType::I64, {B, L}), out, 2), k,
                "key_padding_mask");
  expectRefused(build(10, std::nullopt, out, 2), k, "operands");
  expectRefused(build(-1, std::nullopt, {B, L, D}, 2), k, "out");
  expectRefused(build(-1, std::nullopt, out, 3), k, "num_heads");
  expectRefused(build(-1, std::nullopt, out, 0), k, "num_heads");
  expectRefused(build(-1, std::nullopt, out, 2).attr("scale", real(-1.0)), k,
                "scale");
  expectRefused(build(-1, std::nullopt, out, 2).output(DType::F32, out), k,
                "results");
}

//===----------------------------------------------------------------------===//
// intr.class_attention
//===----------------------------------------------------------------------===//

// Tests that intr.class_attention matches the CPU over every query, token
// and head shape, its maps present or omitted in turn.
TEST(AttentionKernelsGpu, ClassAttentionMatchesCpu) {
  int index = 0;
  for (const Shape &shape : shapes({Mask::None, Mask::Bool, Mask::Float})) {
    Maps maps = kAllMaps[(index++ / 5) % 4];
    SCOPED_TRACE(describe(shape) + describe(maps));
    classAttentionCase(shape, maps).check();
  }
}

// Tests that every combination of the optional maps gives the same maps
// and output as the CPU, on the decoder's shape with padded images.
TEST(AttentionKernelsGpu, ClassAttentionOptionalMaps) {
  for (Maps maps : kAllMaps)
    for (int64_t headDim : {32, 64}) {
      Shape shape{3, 200, 950, 8, headDim, true, Mask::Bool};
      SCOPED_TRACE(describe(shape) + describe(maps));
      classAttentionCase(shape, maps).check();
    }
}

// Tests that long token counts (6500 and 12500 keys, split over many slices
// by the fused kernel) still match the CPU, with and without each map.
TEST(AttentionKernelsGpu, ClassAttentionLongSequences) {
  struct LongCase {
    Shape shape;
    Maps maps;
  } cases[] = {
      {{1, 7, 6500, 8, 32, true, Mask::None}, {false, true}},
      {{3, 7, 6500, 8, 64, false, Mask::Bool}, {true, true}},
      {{3, 1, 12500, 1, 32, true, Mask::Bool}, {true, false}},
      {{1, 7, 12500, 8, 32, true, Mask::None}, {false, false}},
  };
  for (const LongCase &c : cases) {
    SCOPED_TRACE(describe(c.shape) + describe(c.maps));
    classAttentionCase(c.shape, c.maps).check();
  }
}

/// intr.class_attention of C shared queries over B images of T tokens, H
/// heads of 32, with every result and `mask` ([B, T], bool or f32).
KernelCase maskedClassAttention(int64_t B, int64_t C, int64_t T, int64_t H,
                                const Tensor &mask) {
  const int64_t D = H * 32;
  KernelCase step("intr.class_attention");
  step.input(randomTensor({C, D})).input(randomTensor({B, T, D}));
  for (int i = 0; i < 4; ++i)
    addProjection(step, D);
  step.input(mask)
      .output(DType::F32, {B, C, D})
      .output(DType::F32, {B, H, C, T})
      .output(DType::F32, {B, C, T})
      .attr("num_heads", ints({H}))
      .tolerance(kAtol, kRtol);
  return step;
}

// Tests that a row whose tokens are all padded gives NaN probabilities,
// mean and output, as on the CPU (and in PyTorch), while the other images
// are unaffected.
TEST(AttentionKernelsGpu, ClassAttentionFullyPaddedImageGivesNaN) {
  const int64_t B = 2, C = 7, T = 13, H = 8;
  Tensor mask = paddingMask(B, T);
  for (int64_t t = 0; t < T; ++t)
    mask.data<uint8_t>()[T + t] = 1;
  KernelCase step = maskedClassAttention(B, C, T, H, mask);
  step.check();

  ASSERT_TRUE(step.runOnGpu().isOk());
  const std::vector<Tensor> &results = step.gpuOutputs();
  ASSERT_EQ(results.size(), 3u);
  for (const Tensor &result : results) {
    // Image 0 is finite, image 1 all NaN.
    int64_t half = result.numElements() / B;
    const float *data = result.data<float>();
    for (int64_t i = 0; i < half; ++i)
      ASSERT_TRUE(std::isfinite(data[i])) << "element " << i;
    for (int64_t i = half; i < 2 * half; ++i)
      ASSERT_TRUE(std::isnan(data[i])) << "element " << i;
  }
}

// Tests a float mask of float32's lowest value, as some exporters mark
// padding: an image padded throughout gets the CPU's uniform rows (its
// scores stay finite), not NaN, on the fused class attention and the flash
// self-attention, in f32 and on TF32 tensor cores.
TEST(AttentionKernelsGpu, LowestFloatMaskMatchesCpu) {
  cuda::Context *context = sharedContext();
  ASSERT_TRUE(context);
  const int64_t B = 2, C = 7, T = 130, H = 8, D = H * 32;
  const float lowest = std::numeric_limits<float>::lowest();
  Tensor mask = randomTensor({B, T}, -2.0f, 0.0f);
  for (int64_t t = 0; t < T; ++t) {
    mask.data<float>()[T + t] = lowest;
    if (t % 3 == 0)
      mask.data<float>()[t] = lowest;
  }
  for (bool tf32 : {false, true}) {
    SCOPED_TRACE(tf32 ? "tf32" : "f32");
    ScopedSetting attention(
        context->classAttentionCores,
        tf32 ? cuda::Context::ClassAttentionCores::TensorCores
             : cuda::Context::ClassAttentionCores::Fma);
    ScopedSetting flash(context->flashTF32, tf32);
    double tolerance = tf32 ? 2e-2 : kRtol;
    maskedClassAttention(B, C, T, H, mask)
        .tolerance(tf32 ? 2e-3 : kAtol, tolerance)
        .check();
    KernelCase self("intr.mha");
    Tensor tokens = randomTensor({B, T, D});
    self.input(tokens).input(tokens).input(tokens);
    for (int i = 0; i < 4; ++i)
      addProjection(self, D);
    self.input(mask)
        .output(DType::F32, {B, T, D})
        .attr("num_heads", ints({H}))
        .tolerance(tf32 ? 2e-3 : kAtol, tolerance)
        .check();
  }
}

// Tests that padded tokens get probability exactly zero and that every
// probability row sums to one.
TEST(AttentionKernelsGpu, ClassAttentionPaddedTokensGetZero) {
  Shape shape{3, 7, 950, 8, 32, false, Mask::Bool};
  KernelCase step = classAttentionCase(shape, {true, true});
  step.check();
  const std::vector<Tensor> &results = step.gpuOutputs();
  ASSERT_EQ(results.size(), 3u);
  Tensor mask = paddingMask(shape.B, shape.T);
  const int64_t B = shape.B, H = shape.H, C = shape.C, T = shape.T;
  const float *probs = results[1].data<float>();
  for (int64_t b = 0; b < B; ++b)
    for (int64_t h = 0; h < H; ++h)
      for (int64_t c = 0; c < C; ++c) {
        const float *row = probs + ((b * H + h) * C + c) * T;
        double sum = 0.0;
        for (int64_t t = 0; t < T; ++t) {
          if (mask.data<uint8_t>()[b * T + t]) {
            ASSERT_EQ(row[t], 0.0f) << "b " << b << " h " << h << " t " << t;
          }
          sum += row[t];
        }
        EXPECT_NEAR(sum, 1.0, 1e-5) << "b " << b << " h " << h << " c " << c;
      }
}

// Tests that an image without tokens gives out = out_bias and empty maps,
// as on the CPU.
TEST(AttentionKernelsGpu, ClassAttentionWithoutTokens) {
  Shape shape{3, 7, 0, 8, 32, true, Mask::None};
  KernelCase step("intr.class_attention");
  step.input(randomTensor(queryShape(shape)))
      .input(Tensor(DType::F32, {shape.B, 0, shape.D()}));
  for (int i = 0; i < 4; ++i)
    addProjection(step, shape.D());
  addClassResults(step, shape, {true, true});
  step.attr("num_heads", ints({shape.H})).tolerance(kAtol, kRtol).check();
}

// Tests that intr.class_attention refuses malformed steps before launching
// anything.
TEST(AttentionKernelsGpu, ClassAttentionRejectsMalformedSteps) {
  const std::string k = "intr.class_attention";
  const int64_t B = 2, C = 3, T = 6, D = 8, H = 2;
  // A well-formed step whose operand `broken` is replaced (or dropped when
  // `replacement` is empty); outputs out, probs, mean of these shapes.
  auto build =
      [&](int broken, std::optional<Tensor> replacement,
          std::vector<std::pair<DType, std::vector<int64_t>>> results) {
        std::vector<Tensor> operands = {randomTensor({B, C, D}),
                                        randomTensor({B, T, D})};
        for (int i = 0; i < 4; ++i) {
          operands.push_back(randomTensor({D, D}));
          operands.push_back(randomTensor({D}));
        }
        operands.push_back(paddingMask(B, T));
        KernelCase step(k);
        for (int i = 0; i < static_cast<int>(operands.size()); ++i) {
          if (i == broken && !replacement)
            continue;
          step.input(i == broken ? *replacement : operands[i]);
        }
        for (auto &[dtype, shape] : results)
          step.output(dtype, shape);
        step.attr("num_heads", ints({H})).attr("feature_map", ints({2, 3}));
        return step;
      };
  const std::pair<DType, std::vector<int64_t>> out = {DType::F32, {B, C, D}},
                                               probs = {DType::F32,
                                                        {B, H, C, T}},
                                               mean = {DType::F32, {B, C, T}};
  ASSERT_TRUE(build(-1, std::nullopt, {out, probs, mean}).runOnGpu().isOk());

  expectRefused(
      build(-1, std::nullopt, {out, probs, mean}).attr("num_heads", ints({3})),
      k, "num_heads");
  expectRefused(build(-1, std::nullopt, {out, probs, mean})
                    .attr("scale", real(std::nan(""))),
                k, "scale");
  expectRefused(build(-1, std::nullopt, {out, probs, mean})
                    .attr("feature_map", ints({4, 4})),
                k, "feature_map");
  expectRefused(build(4, randomTensor({D, D + 1}), {out, probs, mean}), k,
                "k_weight");
  expectRefused(build(9, randomTensor({D + 1}), {out, probs, mean}), k,
                "out_bias");
  expectRefused(build(10, Tensor(DType::Bool, {B, T - 1}), {out, probs, mean}),
                k, "key_padding_mask");
  expectRefused(build(10, Tensor(DType::I64, {B, T}), {out, probs, mean}), k,
                "key_padding_mask");
  expectRefused(build(0, randomTensor({B + 1, C, D}), {out, probs, mean}), k,
                "queries");
  expectRefused(build(0, randomTensor({C, D - 1}), {out, probs, mean}), k,
                "queries");
  expectRefused(build(1, randomTensor({B * T, D}), {out, probs, mean}), k,
                "memory");
  // Without out_weight, out_bias takes its place.
  expectRefused(build(8, std::nullopt, {out, probs, mean}), k, "out_weight");
  expectRefused(
      build(-1, std::nullopt, {out, {DType::F16, {B, H, C, T}}, mean}), k,
      "f32");
  expectRefused(
      build(-1, std::nullopt, {out, {DType::F32, {B, H + 1, C, T}}, mean}), k,
      "probs");
  expectRefused(
      build(-1, std::nullopt, {out, probs, {DType::F32, {B, C, T - 1}}}), k,
      "mean_probs");
  expectRefused(build(-1, std::nullopt, {{DType::F32, {B, D, C}}, probs}), k,
                "out");
  expectRefused(build(-1, std::nullopt, {out, probs, mean, mean}), k,
                "results");
}

//===----------------------------------------------------------------------===//
// intr.class_attention_kv
//===----------------------------------------------------------------------===//

// Tests that intr.class_attention_kv, reading keys and values in place from
// kv, matches the CPU over every query, token and head shape.
TEST(AttentionKernelsGpu, ClassAttentionKVMatchesCpu) {
  // Its mask is bool only.
  for (const Shape &shape : shapes({Mask::None, Mask::Bool})) {
    SCOPED_TRACE(describe(shape));
    classAttentionKVCase(shape).check();
  }
}

// Tests that intr.class_attention_kv matches the CPU on the decoder's shape
// and where the scores move to scratch, with keys before the values too.
TEST(AttentionKernelsGpu, ClassAttentionKVDecoderAndLongSequences) {
  for (Shape shape : {Shape{3, 200, 950, 8, 32, true, Mask::Bool},
                      Shape{1, 200, 950, 8, 64, false, Mask::None},
                      Shape{3, 7, 6500, 8, 32, false, Mask::Bool}}) {
    SCOPED_TRACE(describe(shape));
    classAttentionKVCase(shape).check();
    // Keys first, values right after them.
    classAttentionKVCase(shape)
        .attr("key_offset", ints({0}))
        .attr("value_offset", ints({shape.D()}))
        .attr("scale", real(0.2))
        .check();
  }
}

// Tests that every combination of the optional maps (a plan omits those
// nobody reads: --attention-heads mean) gives the same maps and output as
// the CPU, on the decoder's shape with padded images.
TEST(AttentionKernelsGpu, ClassAttentionKVOptionalMaps) {
  for (Maps maps : kAllMaps)
    for (int64_t headDim : {32, 64}) {
      Shape shape{3, 200, 950, 8, headDim, true, Mask::Bool};
      SCOPED_TRACE(describe(shape) + describe(maps));
      classAttentionKVCase(shape, maps).check();
    }
}

// Tests that intr.class_attention_kv refuses malformed steps (offsets
// outside kv, wrong shapes, a float mask) before launching anything, and
// runs one without its per-head maps.
TEST(AttentionKernelsGpu, ClassAttentionKVRejectsMalformedSteps) {
  const std::string k = "intr.class_attention_kv";
  const int64_t B = 2, C = 3, T = 6, D = 8, H = 2, N = 20;
  auto build = [&](int broken, std::optional<Tensor> replacement,
                   bool withProbs) {
    std::vector<Tensor> operands = {randomTensor({C, D}),
                                    randomTensor({B, T, N}),
                                    randomTensor({D, D}), randomTensor({D})};
    KernelCase step(k);
    for (int i = 0; i < static_cast<int>(operands.size()); ++i) {
      if (i == broken && !replacement)
        continue;
      step.input(i == broken ? *replacement : operands[i]);
    }
    if (broken == static_cast<int>(operands.size()) && replacement)
      step.input(*replacement); // the mask
    step.output(DType::F32, {B, C, D});
    if (withProbs)
      step.output(DType::F32, {B, H, C, T});
    else
      step.noOutput();
    step.output(DType::F32, {B, C, T})
        .attr("num_heads", ints({H}))
        .attr("key_offset", ints({0}))
        .attr("value_offset", ints({N - D}));
    return step;
  };
  ASSERT_TRUE(build(-1, std::nullopt, true).runOnGpu().isOk());
  ASSERT_TRUE(build(4, paddingMask(B, T), true).runOnGpu().isOk());

  expectRefused(
      build(-1, std::nullopt, true).attr("value_offset", ints({N - D + 1})), k,
      "value_offset");
  expectRefused(build(-1, std::nullopt, true).attr("key_offset", ints({-1})), k,
                "key_offset");
  expectRefused(build(-1, std::nullopt, true).attr("num_heads", ints({3})), k,
                "num_heads");
  expectRefused(build(1, randomTensor({B * T, N}), true), k, "kv");
  expectRefused(build(0, randomTensor({B + 1, C, D}), true), k, "queries");
  expectRefused(build(2, randomTensor({D, D + 1}), true), k, "out_weight");
  expectRefused(build(3, randomTensor({D - 1}), true), k, "out_bias");
  expectRefused(build(4, randomTensor({B, T}), true), k, "key_padding_mask");
  expectRefused(build(4, Tensor(DType::Bool, {B, T + 1}), true), k,
                "key_padding_mask");
  EXPECT_TRUE(build(-1, std::nullopt, false).runOnGpu().isOk());
  expectRefused(build(-1, std::nullopt, true).attr("scale", real(0.0)), k,
                "scale");

  // Without the offsets the step cannot know where its keys are.
  KernelCase noOffsets(k);
  noOffsets.input(randomTensor({C, D}))
      .input(randomTensor({B, T, N}))
      .input(randomTensor({D, D}))
      .input(randomTensor({D}))
      .output(DType::F32, {B, C, D})
      .output(DType::F32, {B, H, C, T})
      .output(DType::F32, {B, C, T})
      .attr("num_heads", ints({H}));
  expectRefused(noOffsets, k, "key_offset");
}

} // namespace
