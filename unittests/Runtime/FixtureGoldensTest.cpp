//===- FixtureGoldensTest.cpp - The committed goldens are consistent ------===//
//
// Reads every fixture's PyTorch goldens with our .npy reader and checks the
// facts the rest of the project relies on: the output layouts, probability
// rows that sum to one, and avg_attention equal to the head mean of
// attention (PyTorch computed the two in separate calls).
//
//===----------------------------------------------------------------------===//

#include "intr/runtime/Npy.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

using namespace intr;
namespace fs = std::filesystem;

namespace {

std::vector<fs::path> fixtureDirs() {
  std::vector<fs::path> dirs;
  std::error_code ec;
  for (const fs::directory_entry &entry :
       fs::directory_iterator(INTR_MODELS_DIR, ec))
    if (entry.is_directory() && fs::exists(entry.path() / "model.onnx"))
      dirs.push_back(entry.path());
  std::sort(dirs.begin(), dirs.end());
  return dirs;
}

Tensor load(const fs::path &path) {
  Expected<Tensor> tensor = loadNpy(path.string());
  EXPECT_TRUE(tensor) << tensor.error().message();
  return tensor ? std::move(*tensor) : Tensor();
}

// Tests that the fixtures are there at all (they are committed).
TEST(FixtureGoldens, FixturesExist) {
  EXPECT_GE(fixtureDirs().size(), 3u) << "no fixtures under " INTR_MODELS_DIR;
}

// Tests every fixture's goldens for layout and probability invariants.
TEST(FixtureGoldens, LayoutsAndProbabilitiesAreConsistent) {
  for (const fs::path &dir : fixtureDirs()) {
    SCOPED_TRACE(dir.filename().string());
    Tensor image = load(dir / "image.npy");
    Tensor logits = load(dir / "logits.npy");
    Tensor attention = load(dir / "attention.npy");
    Tensor average = load(dir / "avg_attention.npy");
    ASSERT_EQ(image.rank(), 4);
    ASSERT_EQ(logits.rank(), 2);
    ASSERT_EQ(attention.rank(), 5);
    ASSERT_EQ(average.rank(), 4);
    for (const Tensor *tensor : {&image, &logits, &attention, &average})
      ASSERT_EQ(tensor->dtype(), DType::F32);

    // attention [L, B, H, C, T], avg_attention [L, B, C, T], logits [B, C].
    const std::vector<int64_t> &shape = attention.shape();
    int64_t layers = shape[0], batch = shape[1], heads = shape[2],
            classes = shape[3], tokens = shape[4];
    EXPECT_EQ(image.shape()[0], batch);
    EXPECT_EQ(image.shape()[1], 3);
    EXPECT_EQ(logits.shape(), (std::vector<int64_t>{batch, classes}));
    ASSERT_EQ(average.shape(),
              (std::vector<int64_t>{layers, batch, classes, tokens}));
    // Stride 32: T = ceil(H / 32) * ceil(W / 32).
    int64_t h = (image.shape()[2] + 31) / 32, w = (image.shape()[3] + 31) / 32;
    EXPECT_EQ(tokens, h * w);

    const float *probs = attention.data<float>();
    const float *mean = average.data<float>();
    double worstRowSum = 0, worstMean = 0;
    for (int64_t lb = 0; lb < layers * batch; ++lb) {
      for (int64_t c = 0; c < classes; ++c) {
        for (int64_t t = 0; t < tokens; ++t) {
          double sum = 0;
          for (int64_t head = 0; head < heads; ++head)
            sum += probs[((lb * heads + head) * classes + c) * tokens + t];
          double expected = mean[(lb * classes + c) * tokens + t];
          worstMean = std::max(worstMean, std::abs(sum / heads - expected));
        }
        for (int64_t head = 0; head < heads; ++head) {
          const float *row =
              probs + ((lb * heads + head) * classes + c) * tokens;
          double sum = 0;
          for (int64_t t = 0; t < tokens; ++t) {
            ASSERT_GE(row[t], 0.0f);
            sum += row[t];
          }
          worstRowSum = std::max(worstRowSum, std::abs(sum - 1.0));
        }
      }
    }
    EXPECT_LT(worstRowSum, 1e-5);
    EXPECT_LT(worstMean, 1e-6);
  }
}

} // namespace
