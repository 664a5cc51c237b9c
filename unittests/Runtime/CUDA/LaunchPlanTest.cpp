//===- LaunchPlanTest.cpp - The fused attention launchers' plans ----------===//
//
// How the fused attention launchers divide their work, as their host-side
// planners report it: the scratch they ask for (which follows from the
// slices they pick) and the choice of the class maps' path. These need no
// device, so they run with the CPU tests wherever the runtime is built with
// CUDA; what the kernels compute is FusedAttentionGpuTest's.
//
//===----------------------------------------------------------------------===//

#include "CUDA/FusedAttention.h"

#include <gtest/gtest.h>

#include <cstddef>

using namespace intr::cuda;

namespace {

size_t roundUp256(size_t bytes) { return (bytes + 255) / 256 * 256; }

/// The decoder's class attention (200 classes over 950 tokens, 8 heads of
/// 32) on `batch` images, with every output. The planner checks the
/// pointers' alignment but never reads through them.
ClassAttentionParams decoderClassAttention(int64_t batch) {
  static float operand[4];
  ClassAttentionParams p;
  p.q = p.k = p.v = operand;
  p.probs = p.meanProbs = p.out = operand;
  p.qRowStride = p.kRowStride = p.vRowStride = p.outRowStride = 256;
  p.qBatchStride = 200 * 256;
  p.kBatchStride = p.vBatchStride = 950 * 256;
  p.batch = batch;
  p.classes = 200;
  p.tokens = 950;
  p.heads = 8;
  p.headDim = 32;
  return p;
}

/// The encoder's self-attention (950 tokens, 8 heads of 32) on tensor
/// cores, with the launcher choosing the key slices.
FlashAttentionParams encoderSelfAttention(int64_t batch) {
  FlashAttentionParams p;
  p.batch = batch;
  p.queries = p.keys = 950;
  p.heads = 8;
  p.headDim = 32;
  p.allowTensorCores = true;
  p.keySplits = 0;
  return p;
}

} // namespace

// Tests the key slices the flash launcher picks, through the scratch they
// take: per slice, an (m, l) pair and 32 partial floats for each of the
// 8 * 950 (head, query) rows of an image, each piece rounded up to 256
// bytes.
TEST(FlashSelfAttentionPlan, KeySlices) {
  const size_t rowsPerSlice = 8 * 950;
  auto scratch = [&](size_t slices) {
    return roundUp256(slices * rowsPerSlice * 8) +
           roundUp256(slices * rowsPerSlice * 32 * 4);
  };
  FlashAttentionParams p = encoderSelfAttention(1);
  // 15 query tiles of 64 rows by 8 heads make 120 blocks, and an SM holds
  // 3 at once: 396 on 132 SMs (an H100's or H200's), so 396 / 120 rounded
  // up, 4 slices of 4 of the 15 key tiles.
  EXPECT_EQ(flashSelfAttentionScratchBytes(p, 132), scratch(4));
  // 324 on 108 SMs (an A100's): 3 slices of 5 key tiles.
  EXPECT_EQ(flashSelfAttentionScratchBytes(p, 108), scratch(3));
  // Heads of 64 (2 resident per SM): 4 heads make 60 blocks for 264, so 5
  // slices of 3 key tiles; 8 heads, 120 blocks for 264, 3 of 5.
  p.heads = 4;
  p.headDim = 64;
  const size_t rows64 = 4 * 950;
  EXPECT_EQ(flashSelfAttentionScratchBytes(p, 132),
            roundUp256(5 * rows64 * 8) + roundUp256(5 * rows64 * 64 * 4));
  p.heads = 8;
  EXPECT_EQ(flashSelfAttentionScratchBytes(p, 132),
            roundUp256(3 * 2 * rows64 * 8) +
                roundUp256(3 * 2 * rows64 * 64 * 4));
  p = encoderSelfAttention(1);
  // Asked for: 4 slices whatever the device.
  p.keySplits = 4;
  EXPECT_EQ(flashSelfAttentionScratchBytes(p, 16), scratch(4));
  // More than the 15 key tiles: one tile each.
  p.keySplits = 64;
  EXPECT_EQ(flashSelfAttentionScratchBytes(p, 132), scratch(15));
  // None asked for, or refused.
  p.keySplits = 1;
  EXPECT_EQ(flashSelfAttentionScratchBytes(p, 132), 0u);
  p.keySplits = -1;
  EXPECT_EQ(flashSelfAttentionScratchBytes(p, 132), 0u);
  // Batch 2: 240 blocks, more than half of the 396: no slices.
  p = encoderSelfAttention(2);
  EXPECT_EQ(flashSelfAttentionScratchBytes(p, 132), 0u);
  // Batch 8: 960 blocks fill 132 SMs without slices.
  p = encoderSelfAttention(8);
  EXPECT_EQ(flashSelfAttentionScratchBytes(p, 132), 0u);
  // Slices are a tensor-core path only, and so are 32 or 64 features.
  p = encoderSelfAttention(1);
  p.allowTensorCores = false;
  EXPECT_EQ(flashSelfAttentionScratchBytes(p, 132), 0u);
  p = encoderSelfAttention(1);
  p.headDim = 48;
  EXPECT_EQ(flashSelfAttentionScratchBytes(p, 132), 0u);
}

// Tests the token slices of the class attention, through its scratch: per
// slice, an (m, l) pair for each (image, head, class) row, and with `out`
// 256 partial attended values for each (image, class).
TEST(FusedClassAttentionPlan, TokenSlices) {
  auto scratch = [](size_t slices, size_t batch, bool out) {
    return roundUp256(slices * batch * 8 * 200 * 8) +
           (out ? roundUp256(slices * batch * 200 * 256 * 4) : 0);
  };
  // 7 class tiles of 32 and 15 key tiles; two blocks per SM would take 38
  // slices on 132 SMs, so one key tile per slice.
  ClassAttentionParams p = decoderClassAttention(1);
  EXPECT_EQ(fusedClassAttentionScratchBytes(p, 132), scratch(15, 1, true));
  // Batch 8: 56 tiles want 5 slices, of 3 key tiles each.
  p = decoderClassAttention(8);
  EXPECT_EQ(fusedClassAttentionScratchBytes(p, 132), scratch(5, 8, true));
  // Without `out` there are no partial values.
  p.out = nullptr;
  EXPECT_EQ(fusedClassAttentionScratchBytes(p, 132), scratch(5, 8, false));
  // One SM: 2 blocks for 56 tiles, so no slices at all.
  EXPECT_EQ(fusedClassAttentionScratchBytes(p, 1), scratch(1, 8, false));
  // Parameters the launcher refuses take nothing.
  p.headDim = 48;
  EXPECT_EQ(fusedClassAttentionScratchBytes(p, 132), 0u);
  p = decoderClassAttention(1);
  p.k = nullptr;
  EXPECT_EQ(fusedClassAttentionScratchBytes(p, 132), 0u);
}

// Tests where the class maps move to tensor cores: at 28,000 scores per SM,
// which for the decoder (1.52 million scores per image) on 132 SMs is from
// batch 3 on, and on 16 SMs from batch 1.
TEST(FusedClassAttentionPlan, MapsOnTensorCoresFromEnoughScores) {
  EXPECT_FALSE(classMapsPreferTensorCores(1, 200, 950, 8, 132));
  EXPECT_FALSE(classMapsPreferTensorCores(2, 200, 950, 8, 132));
  EXPECT_TRUE(classMapsPreferTensorCores(3, 200, 950, 8, 132));
  EXPECT_TRUE(classMapsPreferTensorCores(8, 200, 950, 8, 132));
  EXPECT_TRUE(classMapsPreferTensorCores(1, 200, 950, 8, 16));
  // An unknown SM count counts as one.
  EXPECT_TRUE(classMapsPreferTensorCores(1, 200, 950, 8, 0));
  EXPECT_FALSE(classMapsPreferTensorCores(1, 1, 13, 1, 0));
}
