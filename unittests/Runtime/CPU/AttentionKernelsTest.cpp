//===- AttentionKernelsTest.cpp - Attention kernels against references ----===//
//
// intr.mha, intr.mha_qkv and intr.class_attention on random inputs, compared
// with a plain-loop multi-head attention in double (PyTorch's convention:
// x·Wᵀ + b, heads as contiguous feature slices). Malformed steps must give
// an Error.
//
//===----------------------------------------------------------------------===//

#include "CPU/Kernel.h"
#include "KernelTestSupport.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

using namespace intr;
using namespace intr::cpu;
using namespace intr::cpu::kerneltest;

namespace {

enum class Mask { None, Bool, Float };

/// The operands of one attention problem.
struct Problem {
  int64_t B, S, L, D, H;
  bool sharedQuery;
  Mask mask;
  std::optional<double> scale;

  Tensor query, key, value;
  /// q, k, v, out: weight [D, D] then bias [D].
  std::vector<Tensor> params;
  Tensor boolMask, floatMask;

  Problem(int64_t B, int64_t S, int64_t L, int64_t D, int64_t H,
          bool sharedQuery, Mask mask,
          std::optional<double> scale = std::nullopt)
      : B(B), S(S), L(L), D(D), H(H), sharedQuery(sharedQuery), mask(mask),
        scale(scale) {}

  void init(bool keyIsValue) {
    query = randomTensor(sharedQuery ? std::vector<int64_t>{S, D}
                                     : std::vector<int64_t>{B, S, D});
    key = randomTensor({B, L, D});
    value = keyIsValue ? key : randomTensor({B, L, D});
    for (int i = 0; i < 4; ++i) {
      // Weights of a trained layer's scale keep the softmax non-trivial.
      params.push_back(randomTensor({D, D}, -0.5f, 0.5f));
      params.push_back(randomTensor({D}, -0.5f, 0.5f));
    }
    boolMask = Tensor(DType::Bool, {B, L});
    floatMask = randomTensor({B, L}, -2.0f, 0.0f);
    // Pad the last tokens of every image but the first, by a different
    // amount per image.
    auto *padded = boolMask.data<uint8_t>();
    for (int64_t b = 0; b < B; ++b)
      for (int64_t l = 0; l < L; ++l)
        padded[b * L + l] = l >= L - b;
  }

  /// The weight and bias operands, then the mask when there is one.
  void appendParams(std::vector<TensorArg> &inputs) {
    for (Tensor &param : params)
      inputs.push_back(arg(param));
    if (mask == Mask::Bool)
      inputs.push_back(arg(boolMask));
    else if (mask == Mask::Float)
      inputs.push_back(arg(floatMask));
  }

  AttrMap attrs() const {
    AttrMap map;
    map.set("num_heads", ints({H}));
    if (scale)
      map.set("scale", real(*scale));
    return map;
  }
};

/// x [rows, D] · Wᵀ + b in double.
std::vector<double> projectReference(const float *x, int64_t rows, int64_t D,
                                     const Tensor &w, const Tensor &b) {
  std::vector<double> y(rows * D);
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t o = 0; o < D; ++o) {
      double acc = b.data<float>()[o];
      for (int64_t i = 0; i < D; ++i)
        acc += double(x[r * D + i]) * w.data<float>()[o * D + i];
      y[r * D + o] = acc;
    }
  return y;
}

/// Multi-head attention in double: out [B, S, D], probs [B, H, S, L] and
/// their head mean [B, S, L].
void attentionReference(const Problem &p, std::vector<double> &out,
                        std::vector<double> &probs, std::vector<double> &mean) {
  int64_t B = p.B, S = p.S, L = p.L, D = p.D, H = p.H, dh = D / H;
  double scale = p.scale ? *p.scale : 1.0 / std::sqrt(double(dh));
  std::vector<double> context(B * S * D);
  probs.assign(B * H * S * L, 0.0);
  mean.assign(B * S * L, 0.0);
  for (int64_t b = 0; b < B; ++b) {
    const float *q = p.query.data<float>() + (p.sharedQuery ? 0 : b * S * D);
    std::vector<double> Q = projectReference(q, S, D, p.params[0], p.params[1]);
    std::vector<double> K = projectReference(p.key.data<float>() + b * L * D, L,
                                             D, p.params[2], p.params[3]);
    std::vector<double> V = projectReference(p.value.data<float>() + b * L * D,
                                             L, D, p.params[4], p.params[5]);
    for (int64_t h = 0; h < H; ++h)
      for (int64_t s = 0; s < S; ++s) {
        std::vector<double> scores(L);
        for (int64_t l = 0; l < L; ++l) {
          double dot = 0.0;
          for (int64_t d = 0; d < dh; ++d)
            dot += Q[s * D + h * dh + d] * K[l * D + h * dh + d];
          scores[l] = scale * dot;
          if (p.mask == Mask::Float)
            scores[l] += p.floatMask.data<float>()[b * L + l];
          if (p.mask == Mask::Bool && p.boolMask.data<uint8_t>()[b * L + l])
            scores[l] = -INFINITY;
        }
        double maximum = *std::max_element(scores.begin(), scores.end());
        double sum = 0.0;
        for (double &score : scores)
          sum += score = std::exp(score - maximum);
        for (int64_t l = 0; l < L; ++l) {
          double prob = scores[l] / sum;
          probs[((b * H + h) * S + s) * L + l] = prob;
          mean[(b * S + s) * L + l] += prob / H;
          for (int64_t d = 0; d < dh; ++d)
            context[(b * S + s) * D + h * dh + d] +=
                prob * V[l * D + h * dh + d];
        }
      }
  }
  out.assign(B * S * D, 0.0);
  for (int64_t r = 0; r < B * S; ++r)
    for (int64_t o = 0; o < D; ++o) {
      double acc = p.params[7].data<float>()[o];
      for (int64_t i = 0; i < D; ++i)
        acc += context[r * D + i] * p.params[6].data<float>()[o * D + i];
      out[r * D + o] = acc;
    }
}

std::vector<Problem> problems() {
  return {
      {2, 5, 7, 12, 3, false, Mask::None},
      {1, 9, 9, 16, 4, false, Mask::Bool},
      {3, 4, 6, 8, 2, true, Mask::None},
      {2, 6, 11, 24, 8, true, Mask::Float, 0.3},
      {3, 10, 13, 20, 5, false, Mask::Bool, 0.1},
      {1, 37, 61, 64, 8, false, Mask::None},
      {2, 3, 5, 7, 1, true, Mask::Bool},
      // Queries in blocks of cache-sized scores, the last block shorter.
      {2, 291, 1000, 16, 2, true, Mask::Bool},
  };
}

std::string describe(const Problem &p) {
  return "B=" + std::to_string(p.B) + " S=" + std::to_string(p.S) +
         " L=" + std::to_string(p.L) + " D=" + std::to_string(p.D) +
         " H=" + std::to_string(p.H) + (p.sharedQuery ? " shared" : "") +
         " mask=" + std::to_string(int(p.mask));
}

TEST(AttentionKernels, AllRegistered) {
  EXPECT_NE(KernelRegistry::cpu().find("intr.mha"), nullptr);
  EXPECT_NE(KernelRegistry::cpu().find("intr.mha_qkv"), nullptr);
  EXPECT_NE(KernelRegistry::cpu().find("intr.class_attention"), nullptr);
  EXPECT_NE(KernelRegistry::cpu().find("intr.class_attention_kv"), nullptr);
}

TEST(AttentionMHA, MatchesReference) {
  for (Problem p : problems()) {
    SCOPED_TRACE(describe(p));
    p.init(/*keyIsValue=*/false);
    Tensor out(DType::F32, {p.B, p.S, p.D});
    std::vector<TensorArg> inputs = {arg(p.query), arg(p.key), arg(p.value)};
    p.appendParams(inputs);
    Status status = runViews("intr.mha", inputs, {arg(out)}, p.attrs());
    ASSERT_TRUE(status.isOk()) << status.error().message();
    std::vector<double> expected, probs, mean;
    attentionReference(p, expected, probs, mean);
    expectClose(out, expected);
  }
}

/// `t` [X, Y, D] as [Y, X, D].
Tensor swapLeadingAxes(const Tensor &t) {
  const int64_t X = t.shape()[0], Y = t.shape()[1], D = t.shape()[2];
  Tensor swapped(DType::F32, {Y, X, D});
  for (int64_t x = 0; x < X; ++x)
    for (int64_t y = 0; y < Y; ++y)
      std::copy_n(t.data<float>() + (x * Y + y) * D, D,
                  swapped.data<float>() + (y * X + x) * D);
  return swapped;
}

// Tests that sequence-first operands ([S, B, D] queries, [L, B, D] keys and
// values) give the reference's result in [S, B, D], with shared queries
// and every kind of mask.
TEST(AttentionMHA, SequenceFirstMatchesReference) {
  for (Problem p : problems()) {
    SCOPED_TRACE(describe(p));
    p.init(/*keyIsValue=*/false);
    Tensor query = p.sharedQuery ? p.query : swapLeadingAxes(p.query);
    Tensor key = swapLeadingAxes(p.key), value = swapLeadingAxes(p.value);
    Tensor out(DType::F32, {p.S, p.B, p.D});
    std::vector<TensorArg> inputs = {arg(query), arg(key), arg(value)};
    p.appendParams(inputs);
    AttrMap attrs = p.attrs();
    attrs.set("sequence_first", ints({1}));
    Status status = runViews("intr.mha", inputs, {arg(out)}, attrs);
    ASSERT_TRUE(status.isOk()) << status.error().message();
    std::vector<double> expected, probs, mean, swapped(p.B * p.S * p.D);
    attentionReference(p, expected, probs, mean);
    for (int64_t b = 0; b < p.B; ++b)
      for (int64_t s = 0; s < p.S; ++s)
        std::copy_n(expected.begin() + (b * p.S + s) * p.D, p.D,
                    swapped.begin() + (s * p.B + b) * p.D);
    expectClose(out, swapped);
  }
}

/// [B, S, 3D] (or [S, B, 3D] sequence first): each position's Q, K and V,
/// the reference's projections of query, key and value, packed as the
/// linear before an mha_qkv writes them.
Tensor packedProjections(const Problem &p, bool sequenceFirst) {
  const int64_t B = p.B, S = p.S, D = p.D;
  Tensor qkv(DType::F32, sequenceFirst ? std::vector<int64_t>{S, B, 3 * D}
                                       : std::vector<int64_t>{B, S, 3 * D});
  const Tensor *sources[] = {&p.query, &p.key, &p.value};
  for (int which = 0; which < 3; ++which)
    for (int64_t b = 0; b < B; ++b) {
      std::vector<double> projected =
          projectReference(sources[which]->data<float>() + b * S * D, S, D,
                           p.params[2 * which], p.params[2 * which + 1]);
      for (int64_t s = 0; s < S; ++s) {
        int64_t row = sequenceFirst ? s * B + b : b * S + s;
        for (int64_t d = 0; d < D; ++d)
          qkv.data<float>()[row * 3 * D + which * D + d] =
              static_cast<float>(projected[s * D + d]);
      }
    }
  return qkv;
}

// Tests that mha_qkv, given the projections packed, gives the reference's
// attention of the unprojected operands, batch first and sequence first,
// with every kind of mask and a scale.
TEST(AttentionMHAQKV, MatchesReference) {
  for (Problem p :
       std::vector<Problem>{{2, 5, 5, 12, 3, false, Mask::None},
                            {1, 9, 9, 16, 4, false, Mask::Bool},
                            {3, 7, 7, 20, 5, false, Mask::Float, 0.3},
                            {2, 12, 12, 64, 8, false, Mask::Bool}})
    for (bool sequenceFirst : {false, true}) {
      SCOPED_TRACE(describe(p) + (sequenceFirst ? " sequence first" : ""));
      p.init(/*keyIsValue=*/false);
      Tensor qkv = packedProjections(p, sequenceFirst);
      Tensor out(DType::F32, sequenceFirst
                                 ? std::vector<int64_t>{p.S, p.B, p.D}
                                 : std::vector<int64_t>{p.B, p.S, p.D});
      std::vector<TensorArg> inputs = {arg(qkv), arg(p.params[6]),
                                       arg(p.params[7])};
      if (p.mask == Mask::Bool)
        inputs.push_back(arg(p.boolMask));
      else if (p.mask == Mask::Float)
        inputs.push_back(arg(p.floatMask));
      AttrMap attrs = p.attrs();
      attrs.set("sequence_first", ints({sequenceFirst}));
      Status status = runViews("intr.mha_qkv", inputs, {arg(out)}, attrs);
      ASSERT_TRUE(status.isOk()) << status.error().message();
      std::vector<double> expected, probs, mean;
      attentionReference(p, expected, probs, mean);
      if (sequenceFirst) {
        std::vector<double> swapped(expected.size());
        for (int64_t b = 0; b < p.B; ++b)
          for (int64_t s = 0; s < p.S; ++s)
            std::copy_n(expected.begin() + (b * p.S + s) * p.D, p.D,
                        swapped.begin() + (s * p.B + b) * p.D);
        expected = swapped;
      }
      expectClose(out, expected);
    }
}

// Tests that malformed mha_qkv steps are refused: a last dimension that is
// not 3D, out weights of another D, a mask of the wrong batch, heads that
// do not divide D.
TEST(AttentionMHAQKV, RejectsMalformedSteps) {
  Tensor qkv = randomTensor({2, 5, 24}), w = randomTensor({8, 8});
  Tensor b = randomTensor({8}), out(DType::F32, {2, 5, 8});
  AttrMap attrs;
  attrs.set("num_heads", ints({2}));
  EXPECT_TRUE(
      runViews("intr.mha_qkv", {arg(qkv), arg(w), arg(b)}, {arg(out)}, attrs)
          .isOk());
  Tensor odd = randomTensor({2, 5, 23});
  expectError("intr.mha_qkv", {arg(odd), arg(w), arg(b)}, {arg(out)}, attrs,
              "qkv must be [B, S, 3D]");
  Tensor wide = randomTensor({9, 9});
  expectError("intr.mha_qkv", {arg(qkv), arg(wide), arg(b)}, {arg(out)}, attrs,
              "out_weight");
  Tensor mask(DType::Bool, {3, 5});
  expectError("intr.mha_qkv", {arg(qkv), arg(w), arg(b), arg(mask)}, {arg(out)},
              attrs, "key_padding_mask");
  AttrMap three;
  three.set("num_heads", ints({3}));
  expectError("intr.mha_qkv", {arg(qkv), arg(w), arg(b)}, {arg(out)}, three,
              "num_heads = 3");
}

// Tests self-attentions (query and key the same rows) whose key weight and
// bias lie right after the query's, as the executable writer lays them
// out: the kernel projects both with one GEMM of width 2D and must still
// give the reference's result, batch first and sequence first.
TEST(AttentionMHA, SelfAttentionProjectsQueryAndKeyTogether) {
  for (Problem p : std::vector<Problem>{{2, 9, 9, 16, 4, false, Mask::Bool},
                                        {1, 12, 12, 64, 8, false, Mask::None},
                                        {3, 7, 7, 20, 5, false, Mask::Float}}) {
    SCOPED_TRACE(describe(p));
    p.init(/*keyIsValue=*/false);
    p.key = p.query;
    // [Wq; Wk] and [bq; bk], each operand a view of its half.
    Tensor weights(DType::F32, {2 * p.D, p.D}), biases(DType::F32, {2 * p.D});
    for (int i = 0; i < 2; ++i) {
      std::copy_n(p.params[2 * i].data<float>(), p.D * p.D,
                  weights.data<float>() + i * p.D * p.D);
      std::copy_n(p.params[2 * i + 1].data<float>(), p.D,
                  biases.data<float>() + i * p.D);
    }
    auto view = [](Tensor &whole, int64_t offset, std::vector<int64_t> shape) {
      return TensorArg{whole.data<float>() + offset, DType::F32, shape};
    };
    std::vector<double> expected, probs, mean;
    attentionReference(p, expected, probs, mean);
    for (bool sequenceFirst : {false, true}) {
      SCOPED_TRACE(sequenceFirst ? "sequence first" : "batch first");
      Tensor query = sequenceFirst ? swapLeadingAxes(p.query) : p.query;
      Tensor value = sequenceFirst ? swapLeadingAxes(p.value) : p.value;
      std::vector<TensorArg> inputs = {arg(query),
                                       arg(query),
                                       arg(value),
                                       view(weights, 0, {p.D, p.D}),
                                       view(biases, 0, {p.D}),
                                       view(weights, p.D * p.D, {p.D, p.D}),
                                       view(biases, p.D, {p.D})};
      for (int i = 4; i < 8; ++i)
        inputs.push_back(arg(p.params[i]));
      if (p.mask == Mask::Bool)
        inputs.push_back(arg(p.boolMask));
      else if (p.mask == Mask::Float)
        inputs.push_back(arg(p.floatMask));
      AttrMap attrs = p.attrs();
      attrs.set("sequence_first", ints({sequenceFirst ? 1 : 0}));
      Tensor out(DType::F32, sequenceFirst
                                 ? std::vector<int64_t>{p.S, p.B, p.D}
                                 : std::vector<int64_t>{p.B, p.S, p.D});
      Status status = runViews("intr.mha", inputs, {arg(out)}, attrs);
      ASSERT_TRUE(status.isOk()) << status.error().message();
      expectClose(sequenceFirst ? swapLeadingAxes(out) : out, expected);
    }
  }
}

TEST(AttentionClassAttention, MatchesReference) {
  for (Problem p : problems()) {
    SCOPED_TRACE(describe(p));
    p.init(/*keyIsValue=*/true);
    Tensor out(DType::F32, {p.B, p.S, p.D});
    Tensor probs(DType::F32, {p.B, p.H, p.S, p.L});
    Tensor mean(DType::F32, {p.B, p.S, p.L});
    std::vector<TensorArg> inputs = {arg(p.query), arg(p.key)};
    p.appendParams(inputs);
    AttrMap attrs = p.attrs();
    attrs.set("feature_map", ints({1, p.L}));
    Status status = runViews("intr.class_attention", inputs,
                             {arg(out), arg(probs), arg(mean)}, attrs);
    ASSERT_TRUE(status.isOk()) << status.error().message();
    std::vector<double> expectedOut, expectedProbs, expectedMean;
    attentionReference(p, expectedOut, expectedProbs, expectedMean);
    expectClose(out, expectedOut);
    expectClose(probs, expectedProbs, 1e-5);
    expectClose(mean, expectedMean, 1e-5);
    // Padded tokens get exactly zero.
    if (p.mask == Mask::Bool)
      for (int64_t i = 0; i < mean.numElements(); ++i)
        if (p.boolMask.data<uint8_t>()[(i / (p.S * p.L)) * p.L + i % p.L]) {
          ASSERT_EQ(mean.data<float>()[i], 0.0f) << "element " << i;
        }
  }
}

TEST(AttentionClassAttention, FeatureMapAndOptionalMaps) {
  // The INTR decoder's form: shared class queries over an h x w map.
  Problem p{2, 10, 12, 16, 4, true, Mask::Bool};
  p.init(/*keyIsValue=*/true);
  std::vector<TensorArg> inputs = {arg(p.query), arg(p.key)};
  p.appendParams(inputs);
  AttrMap attrs = p.attrs();
  attrs.set("feature_map", ints({3, 4}));
  std::vector<double> expectedOut, expectedProbs, expectedMean;
  attentionReference(p, expectedOut, expectedProbs, expectedMean);

  // Without the per-head maps, the mean and the output are unchanged.
  Tensor out(DType::F32, {p.B, p.S, p.D}), mean(DType::F32, {p.B, p.S, p.L});
  Status status = runViews("intr.class_attention", inputs,
                           {arg(out), none(), arg(mean)}, attrs);
  ASSERT_TRUE(status.isOk()) << status.error().message();
  expectClose(out, expectedOut);
  expectClose(mean, expectedMean, 1e-5);

  Tensor out2(DType::F32, {p.B, p.S, p.D});
  status = runViews("intr.class_attention", inputs, {arg(out2)}, attrs);
  ASSERT_TRUE(status.isOk()) << status.error().message();
  expectClose(out2, expectedOut);

  AttrMap wrongMap = p.attrs();
  wrongMap.set("feature_map", ints({4, 4}));
  status = runViews("intr.class_attention", inputs,
                    {arg(out), none(), arg(mean)}, wrongMap);
  ASSERT_FALSE(status.isOk());
  EXPECT_NE(status.error().message().find("feature_map"), std::string::npos);
}

TEST(AttentionClassAttention, FullyPaddedImageGivesNaN) {
  // As in PyTorch, a row whose tokens are all padded has no softmax.
  Problem p{1, 2, 3, 4, 2, true, Mask::Bool};
  p.init(/*keyIsValue=*/true);
  std::fill_n(p.boolMask.data<uint8_t>(), 3, 1);
  std::vector<TensorArg> inputs = {arg(p.query), arg(p.key)};
  p.appendParams(inputs);
  Tensor out(DType::F32, {1, 2, 4}), probs(DType::F32, {1, 2, 2, 3});
  Tensor mean(DType::F32, {1, 2, 3});
  Status status = runViews("intr.class_attention", inputs,
                           {arg(out), arg(probs), arg(mean)}, p.attrs());
  ASSERT_TRUE(status.isOk()) << status.error().message();
  for (int64_t i = 0; i < probs.numElements(); ++i)
    EXPECT_TRUE(std::isnan(probs.data<float>()[i]));
}

/// A well-formed class_attention step whose parts the tests break one by
/// one.
struct ClassStep {
  Problem p{2, 3, 6, 8, 2, false, Mask::Bool};
  Tensor out, probs, mean;
  ClassStep() {
    p.init(/*keyIsValue=*/true);
    out = Tensor(DType::F32, {2, 3, 8});
    probs = Tensor(DType::F32, {2, 2, 3, 6});
    mean = Tensor(DType::F32, {2, 3, 6});
  }
  std::vector<TensorArg> inputs() {
    std::vector<TensorArg> list = {arg(p.query), arg(p.key)};
    p.appendParams(list);
    return list;
  }
  std::vector<TensorArg> outputs() { return {arg(out), arg(probs), arg(mean)}; }
};

/// The operands of intr.class_attention_kv for a class attention problem:
/// the projected queries, and kv [B, T, N] with the projected keys and
/// values at the given column offsets (other columns random).
struct KVStep {
  Tensor queries, kv;
  std::vector<TensorArg> inputs;

  KVStep(Problem &p, int64_t N, int64_t keyOffset, int64_t valueOffset) {
    int64_t queryRows = p.sharedQuery ? p.S : p.B * p.S;
    queries = Tensor(DType::F32, p.query.shape());
    std::vector<double> q = projectReference(p.query.data<float>(), queryRows,
                                             p.D, p.params[0], p.params[1]);
    std::copy(q.begin(), q.end(), queries.data<float>());
    kv = randomTensor({p.B, p.L, N});
    std::vector<double> k = projectReference(p.key.data<float>(), p.B * p.L,
                                             p.D, p.params[2], p.params[3]);
    std::vector<double> v = projectReference(p.value.data<float>(), p.B * p.L,
                                             p.D, p.params[4], p.params[5]);
    for (int64_t r = 0; r < p.B * p.L; ++r)
      for (int64_t d = 0; d < p.D; ++d) {
        kv.data<float>()[r * N + keyOffset + d] = float(k[r * p.D + d]);
        kv.data<float>()[r * N + valueOffset + d] = float(v[r * p.D + d]);
      }
    inputs = {arg(queries), arg(kv), arg(p.params[6]), arg(p.params[7])};
    if (p.mask == Mask::Bool)
      inputs.push_back(arg(p.boolMask));
    else if (p.mask == Mask::Float)
      inputs.push_back(arg(p.floatMask));
  }
};

TEST(AttentionClassAttentionKV, MatchesReference) {
  for (Problem p : problems()) {
    // The mask of class_attention_kv is bool only.
    if (p.mask == Mask::Float)
      continue;
    SCOPED_TRACE(describe(p));
    p.init(/*keyIsValue=*/true);
    // Keys after the values, with other columns around them.
    int64_t N = 3 * p.D + 5, keyOffset = 2 * p.D + 3, valueOffset = 1;
    KVStep step(p, N, keyOffset, valueOffset);
    Tensor out(DType::F32, {p.B, p.S, p.D});
    Tensor probs(DType::F32, {p.B, p.H, p.S, p.L});
    Tensor mean(DType::F32, {p.B, p.S, p.L});
    AttrMap attrs = p.attrs();
    attrs.set("feature_map", ints({p.L, 1}));
    attrs.set("key_offset", ints({keyOffset}));
    attrs.set("value_offset", ints({valueOffset}));
    Status status = runViews("intr.class_attention_kv", step.inputs,
                             {arg(out), arg(probs), arg(mean)}, attrs);
    ASSERT_TRUE(status.isOk()) << status.error().message();
    std::vector<double> expectedOut, expectedProbs, expectedMean;
    attentionReference(p, expectedOut, expectedProbs, expectedMean);
    expectClose(out, expectedOut);
    expectClose(probs, expectedProbs, 1e-5);
    expectClose(mean, expectedMean, 1e-5);
  }
}

// Tests that the maps nobody reads may be omitted (a plan passes none for
// them, --attention-heads mean): the output, and the maps still given,
// are what they are with every map.
TEST(AttentionClassAttentionKV, OmittedMaps) {
  Problem p(2, 10, 12, 16, 4, true, Mask::Bool);
  p.init(/*keyIsValue=*/true);
  KVStep step(p, 2 * p.D, 0, p.D);
  AttrMap attrs = p.attrs();
  attrs.set("key_offset", ints({0}));
  attrs.set("value_offset", ints({p.D}));
  std::vector<double> expectedOut, expectedProbs, expectedMean;
  attentionReference(p, expectedOut, expectedProbs, expectedMean);
  for (bool withProbs : {false, true})
    for (bool withMean : {false, true}) {
      SCOPED_TRACE(std::string(withProbs ? "probs" : "no probs") +
                   (withMean ? ", mean" : ", no mean"));
      Tensor out(DType::F32, {p.B, p.S, p.D});
      Tensor probs(DType::F32, {p.B, p.H, p.S, p.L});
      Tensor mean(DType::F32, {p.B, p.S, p.L});
      Status status = runViews("intr.class_attention_kv", step.inputs,
                               {arg(out), withProbs ? arg(probs) : none(),
                                withMean ? arg(mean) : none()},
                               attrs);
      ASSERT_TRUE(status.isOk()) << status.error().message();
      expectClose(out, expectedOut);
      if (withProbs)
        expectClose(probs, expectedProbs, 1e-5);
      if (withMean)
        expectClose(mean, expectedMean, 1e-5);
    }
  // The maps may be left out of the results altogether, as
  // class_attention's.
  Tensor out(DType::F32, {p.B, p.S, p.D});
  Status status =
      runViews("intr.class_attention_kv", step.inputs, {arg(out)}, attrs);
  ASSERT_TRUE(status.isOk()) << status.error().message();
  expectClose(out, expectedOut);
}

TEST(AttentionClassAttentionKV, RejectsMalformedSteps) {
  const char *k = "intr.class_attention_kv";
  Problem p(2, 3, 6, 8, 2, true, Mask::Bool);
  p.init(/*keyIsValue=*/true);
  KVStep step(p, 20, 0, 12);
  Tensor out(DType::F32, {2, 3, 8}), probs(DType::F32, {2, 2, 3, 6});
  Tensor mean(DType::F32, {2, 3, 6});
  std::vector<TensorArg> outputs = {arg(out), arg(probs), arg(mean)};
  AttrMap attrs = p.attrs();
  attrs.set("key_offset", ints({0}));
  attrs.set("value_offset", ints({12}));
  ASSERT_TRUE(runViews(k, step.inputs, outputs, attrs).isOk());

  AttrMap outside = attrs;
  outside.set("value_offset", ints({13}));
  expectError(k, step.inputs, outputs, outside, "value_offset");
  AttrMap negative = attrs;
  negative.set("key_offset", ints({-1}));
  expectError(k, step.inputs, outputs, negative, "key_offset");
  AttrMap missing = p.attrs();
  expectError(k, step.inputs, outputs, missing, "key_offset");

  std::vector<TensorArg> inputs = step.inputs;
  Tensor flatKV = randomTensor({12, 20});
  inputs[1] = arg(flatKV);
  expectError(k, inputs, outputs, attrs, "kv");
  inputs = step.inputs;
  Tensor wideWeight = randomTensor({8, 9});
  inputs[2] = arg(wideWeight);
  expectError(k, inputs, outputs, attrs, "out_weight");
  inputs = step.inputs;
  Tensor otherBatch = randomTensor({3, 3, 8});
  inputs[0] = arg(otherBatch);
  expectError(k, inputs, outputs, attrs, "queries");
  inputs = step.inputs;
  inputs.push_back(arg(p.boolMask));
  expectError(k, inputs, outputs, attrs, "operands");
  Tensor wrongMean(DType::F32, {2, 3, 5});
  expectError(k, step.inputs, {arg(out), arg(probs), arg(wrongMean)}, attrs,
              "mean_probs");
}

TEST(AttentionClassAttention, RejectsMalformedSteps) {
  const char *k = "intr.class_attention";
  ClassStep step;
  AttrMap attrs = step.p.attrs();
  ASSERT_TRUE(runViews(k, step.inputs(), step.outputs(), attrs).isOk());

  std::vector<TensorArg> inputs = step.inputs();
  inputs.pop_back();
  inputs.pop_back();
  expectError(k, inputs, step.outputs(), attrs, "operands");

  AttrMap heads = attrs;
  heads.set("num_heads", ints({3}));
  expectError(k, step.inputs(), step.outputs(), heads, "num_heads");
  AttrMap noHeads;
  expectError(k, step.inputs(), step.outputs(), noHeads, "num_heads");
  AttrMap scale = attrs;
  scale.set("scale", real(-1.0));
  expectError(k, step.inputs(), step.outputs(), scale, "scale");

  inputs = step.inputs();
  Tensor wideWeight = randomTensor({8, 9});
  inputs[4] = arg(wideWeight);
  expectError(k, inputs, step.outputs(), attrs, "k_weight");
  inputs = step.inputs();
  Tensor longBias = randomTensor({9});
  inputs[9] = arg(longBias);
  expectError(k, inputs, step.outputs(), attrs, "out_bias");

  inputs = step.inputs();
  Tensor shortMask(DType::Bool, {2, 5});
  inputs[10] = arg(shortMask);
  expectError(k, inputs, step.outputs(), attrs, "key_padding_mask");
  Tensor intMask(DType::I64, {2, 6});
  inputs[10] = arg(intMask);
  expectError(k, inputs, step.outputs(), attrs, "key_padding_mask");

  inputs = step.inputs();
  Tensor otherBatch = randomTensor({3, 3, 8});
  inputs[0] = arg(otherBatch);
  expectError(k, inputs, step.outputs(), attrs, "queries");
  Tensor otherFeatures = randomTensor({3, 7});
  inputs[0] = arg(otherFeatures);
  expectError(k, inputs, step.outputs(), attrs, "queries");
  inputs = step.inputs();
  Tensor flatMemory = randomTensor({12, 8});
  inputs[1] = arg(flatMemory);
  expectError(k, inputs, step.outputs(), attrs, "memory");

  Tensor halfProbs(DType::F16, {2, 2, 3, 6});
  expectError(k, step.inputs(), {arg(step.out), arg(halfProbs), arg(step.mean)},
              attrs, "f32");
  Tensor wrongProbs(DType::F32, {2, 3, 3, 6});
  expectError(k, step.inputs(),
              {arg(step.out), arg(wrongProbs), arg(step.mean)}, attrs, "probs");
  Tensor wrongMean(DType::F32, {2, 3, 5});
  expectError(k, step.inputs(),
              {arg(step.out), arg(step.probs), arg(wrongMean)}, attrs,
              "mean_probs");
  Tensor wrongOut(DType::F32, {2, 8, 3});
  expectError(k, step.inputs(), {arg(wrongOut), arg(step.probs)}, attrs, "out");
}

TEST(AttentionMHA, RejectsMalformedSteps) {
  const char *k = "intr.mha";
  Problem p{2, 3, 5, 8, 2, false, Mask::None};
  p.init(/*keyIsValue=*/false);
  Tensor out(DType::F32, {2, 3, 8});
  auto inputs = [&] {
    std::vector<TensorArg> list = {arg(p.query), arg(p.key), arg(p.value)};
    p.appendParams(list);
    return list;
  };
  AttrMap attrs = p.attrs();
  ASSERT_TRUE(runViews(k, inputs(), {arg(out)}, attrs).isOk());

  std::vector<TensorArg> list = inputs();
  Tensor shortValue = randomTensor({2, 4, 8});
  list[2] = arg(shortValue);
  expectError(k, list, {arg(out)}, attrs, "value");
  list = inputs();
  Tensor intKey(DType::I32, {2, 5, 8});
  list[1] = arg(intKey);
  expectError(k, list, {arg(out)}, attrs, "f32");
  list = inputs();
  Tensor mask(DType::Bool, {2, 3});
  list.push_back(arg(mask));
  expectError(k, list, {arg(out)}, attrs, "key_padding_mask");
  list = inputs();
  list.pop_back();
  expectError(k, list, {arg(out)}, attrs, "operands");
  Tensor wrongOut(DType::F32, {2, 5, 8});
  expectError(k, inputs(), {arg(wrongOut)}, attrs, "out");
  expectError(k, inputs(), {arg(out), arg(out)}, attrs, "results");

  // Sequence first, the batch-first operands read as 5 images of 2 keys:
  // the query's batch of 2 no longer agrees, and then the result's layout.
  AttrMap sequenceFirst = attrs;
  sequenceFirst.set("sequence_first", ints({1}));
  expectError(k, inputs(), {arg(out)}, sequenceFirst,
              "query must be [S, D] or [S, B, D] with B = 5");
  Tensor sequenceQuery = randomTensor({3, 5, 8});
  list = inputs();
  list[0] = arg(sequenceQuery);
  expectError(k, list, {arg(out)}, sequenceFirst, "out");
  Tensor sequenceOut(DType::F32, {3, 5, 8});
  EXPECT_TRUE(runViews(k, list, {arg(sequenceOut)}, sequenceFirst).isOk());
}

} // namespace
