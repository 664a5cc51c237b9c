//===- LayoutKernelsTest.cpp - Shape and data movement kernels vs refs ----===//
//
// Every layout kernel against the ONNX spec's examples or a naive
// reference (Slice by the spec's clamping rules, Transpose, Expand, Tile,
// Pad, Gather), Resize against the spec's nearest and linear examples, and
// the errors a corrupted step must give.
//
//===----------------------------------------------------------------------===//

#include "CPU/Kernel.h"
#include "CPU/ResizeSampling.h"
#include "KernelTestSupport.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>
#include <tuple>

using namespace intr;
using namespace intr::cpu;
using namespace intr::cpu::kerneltest;

namespace {

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

Tensor i64s(std::vector<int64_t> values) {
  int64_t n = static_cast<int64_t>(values.size());
  return make(DType::I64, {n}, values);
}

/// 0, 1, 2, ... as f32 in `shape`.
Tensor iota(std::vector<int64_t> shape, DType dtype = DType::F32) {
  Tensor t(dtype, shape);
  for (int64_t i = 0; i < t.numElements(); ++i) {
    if (dtype == DType::F32)
      t.data<float>()[i] = static_cast<float>(i);
    else if (dtype == DType::I64)
      t.data<int64_t>()[i] = i;
    else if (dtype == DType::U8)
      t.data<uint8_t>()[i] = static_cast<uint8_t>(i);
    else if (dtype == DType::F16)
      t.data<uint16_t>()[i] = static_cast<uint16_t>(i * 7);
  }
  return t;
}

AttrMap attrsOf(std::vector<std::pair<std::string, AttrValue>> entries) {
  AttrMap attrs;
  for (auto &[name, value] : entries)
    attrs.set(name, value);
  return attrs;
}

std::vector<int64_t> unravel(int64_t index, const std::vector<int64_t> &shape) {
  std::vector<int64_t> coords(shape.size());
  for (size_t d = shape.size(); d-- > 0;) {
    coords[d] = index % shape[d];
    index /= shape[d];
  }
  return coords;
}

int64_t ravel(const std::vector<int64_t> &coords,
              const std::vector<int64_t> &shape) {
  int64_t index = 0;
  for (size_t d = 0; d < shape.size(); ++d)
    index = index * shape[d] + coords[d];
  return index;
}


TEST(LayoutKernels, RegistersEveryOp) {
  for (const char *op :
       {"Concat", "ConstantOfShape", "Expand", "Flatten", "Gather", "Pad",
        "Range", "Reshape", "Resize", "Shape", "Slice", "Split", "Squeeze",
        "Tile", "Transpose", "Unsqueeze"})
    EXPECT_NE(KernelRegistry::cpu().find(std::string("onnx.") + op), nullptr)
        << op;
}

//===----------------------------------------------------------------------===//
// Transpose, Expand, Tile
//===----------------------------------------------------------------------===//

TEST(LayoutKernels, TransposeMatchesNaive) {
  struct Case {
    std::vector<int64_t> shape, perm;
    DType dtype;
    int threads;
  };
  const Case cases[] = {
      {{2, 3, 4}, {}, DType::F32, 1},              // Default: reversed.
      {{2, 5, 3, 4}, {0, 2, 1, 3}, DType::F32, 1}, // Keeps the last axis.
      {{2, 5, 3, 4}, {3, 1, 0, 2}, DType::I64, 1},
      {{3, 1, 4}, {1, 2, 0}, DType::U8, 1},
      {{4, 7}, {1, 0}, DType::F16, 1},
      {{2, 100, 8, 64}, {0, 2, 1, 3}, DType::F32, 4},
      {{300, 200}, {1, 0}, DType::F32, 4},
      {{}, {}, DType::F32, 1},
      // In tiles (the output's rows run across the input's), partial at
      // the edges: NCHW to NHWC and back, the contiguous axis in the
      // middle of the output, and one with outer axes on either side.
      {{2, 96, 37, 45}, {0, 2, 3, 1}, DType::F32, 3},
      {{2, 37, 45, 70}, {0, 3, 1, 2}, DType::F32, 2},
      {{3, 33, 5, 65}, {2, 3, 0, 1}, DType::I64, 3},
      {{33, 70}, {1, 0}, DType::U8, 3},
      {{5, 40, 3, 34}, {3, 0, 2, 1}, DType::F16, 2},
      // Empty: an axis of 0 where the tiles would divide by it.
      {{3, 0, 4}, {2, 0, 1}, DType::F32, 1},
  };
  for (const Case &c : cases) {
    std::vector<int64_t> perm = c.perm;
    if (perm.empty())
      for (size_t d = c.shape.size(); d-- > 0;)
        perm.push_back(d);
    std::vector<int64_t> outShape;
    for (int64_t p : perm)
      outShape.push_back(c.shape[p]);
    Tensor in = iota(c.shape, c.dtype), out(c.dtype, outShape);
    AttrMap attrs;
    if (!c.perm.empty())
      attrs.set("perm", ints(c.perm));
    EXPECT_OK(run("onnx.Transpose", {&in}, {&out}, attrs, c.threads));
    size_t size = dtypeSize(c.dtype);
    const char *src = static_cast<const char *>(in.rawData());
    const char *dst = static_cast<const char *>(out.rawData());
    for (int64_t i = 0; i < out.numElements(); ++i) {
      std::vector<int64_t> oc = unravel(i, outShape), ic(c.shape.size());
      for (size_t d = 0; d < perm.size(); ++d)
        ic[perm[d]] = oc[d];
      ASSERT_EQ(
          std::memcmp(dst + i * size, src + ravel(ic, c.shape) * size, size), 0)
          << "element " << i;
    }
  }
}

TEST(LayoutKernels, ExpandAndTileMatchNaive) {
  Tensor in = iota({3, 1});
  Tensor shape = i64s({2, 1, 4});
  Tensor out(DType::F32, {2, 3, 4});
  EXPECT_OK(run("onnx.Expand", {&in, &shape}, {&out}));
  for (int64_t i = 0; i < 24; ++i)
    ASSERT_EQ(out.data<float>()[i], float(unravel(i, {2, 3, 4})[1]));

  // A 1 in the shape keeps the input's size.
  Tensor row = iota({1, 256});
  Tensor rowShape = i64s({200, 1});
  Tensor rows(DType::F32, {200, 256});
  EXPECT_OK(run("onnx.Expand", {&row, &rowShape}, {&rows}, AttrMap(), 4));
  for (int64_t i = 0; i < rows.numElements(); ++i)
    ASSERT_EQ(rows.data<float>()[i], float(i % 256));

  Tensor tileIn = iota({2, 3}, DType::I64);
  Tensor repeats = i64s({2, 3});
  Tensor tiled(DType::I64, {4, 9});
  EXPECT_OK(run("onnx.Tile", {&tileIn, &repeats}, {&tiled}));
  for (int64_t i = 0; i < 36; ++i) {
    std::vector<int64_t> c = unravel(i, {4, 9});
    ASSERT_EQ(tiled.data<int64_t>()[i], (c[0] % 2) * 3 + c[1] % 3);
  }

  Tensor badShape = i64s({2, 2, 4});
  EXPECT_ERROR(run("onnx.Expand", {&in, &badShape}, {&out}), "cannot expand");
  Tensor wrongOut(DType::F32, {3, 4});
  EXPECT_ERROR(run("onnx.Expand", {&in, &shape}, {&wrongOut}), "shape");
  Tensor shortRepeats = i64s({2});
  EXPECT_ERROR(run("onnx.Tile", {&tileIn, &shortRepeats}, {&tiled}), "rank");
  Tensor negative = i64s({-1, 3});
  EXPECT_ERROR(run("onnx.Tile", {&tileIn, &negative}, {&tiled}), "negative");
}

//===----------------------------------------------------------------------===//
// Slice
//===----------------------------------------------------------------------===//

/// The indices ONNX's Slice takes on one axis, by the spec's words: negative
/// starts and ends count from the end, then clamp to [0, size] (positive
/// steps) or to [0, size - 1] and [-1, size - 1] (negative steps). This is
/// Python's slicing except for starts below -size with negative steps.
std::vector<int64_t> specSlice(int64_t start, int64_t end, int64_t step,
                               int64_t size) {
  if (start < 0)
    start += size;
  if (end < 0)
    end += size;
  if (step > 0) {
    start = std::clamp<int64_t>(start, 0, size);
    end = std::clamp<int64_t>(end, 0, size);
  } else {
    start = std::clamp<int64_t>(start, 0, size - 1);
    end = std::clamp<int64_t>(end, -1, size - 1);
  }
  std::vector<int64_t> indices;
  // Walk in steps; stop before the index would pass `end`.
  for (int64_t i = start; step > 0 ? i < end : i > end;) {
    indices.push_back(i);
    if ((step > 0 && end - i <= step) || (step < 0 && i - end <= -step))
      break;
    i += step;
  }
  return indices;
}

TEST(LayoutKernels, SliceMatchesSpecSemantics) {
  const int64_t max = std::numeric_limits<int64_t>::max();
  const int64_t min = std::numeric_limits<int64_t>::min();
  struct Case {
    std::vector<int64_t> starts, ends, axes, steps;
  };
  // The ONNX spec's slice tests on a 20x10x5 input, and extremes.
  const Case cases[] = {
      {{0, 0}, {3, 10}, {0, 1}, {1, 1}},
      {{0}, {-1}, {1}, {1}},
      {{20, 10, 4}, {0, 0, 1}, {0, 1, 2}, {-1, -3, -2}},
      {{1}, {1000}, {1}, {1}},
      {{1000}, {1000}, {1}, {1}},
      {{0, 0, 3}, {20, 10, 4}, {}, {}},
      {{-1}, {min}, {-1}, {-1}},
      {{-1}, {min}, {2}, {-2}},
      {{min}, {max}, {0}, {7}},
      {{5}, {max}, {-2}, {max}},
      {{-100}, {100}, {0}, {min}},
      {{-100}, {min}, {0}, {-1}}, // [0], where Python would give [].
      {{2, 1}, {8, 9}, {-1, -2}, {2, 3}},
  };
  const std::vector<int64_t> shape = {20, 10, 5};
  Tensor in = iota(shape);
  for (const Case &c : cases) {
    std::vector<int64_t> axes = c.axes, steps = c.steps;
    if (axes.empty()) {
      axes.resize(c.starts.size());
      std::iota(axes.begin(), axes.end(), 0);
    }
    if (steps.empty())
      steps.assign(c.starts.size(), 1);
    std::vector<std::vector<int64_t>> picked(3);
    for (int d = 0; d < 3; ++d)
      for (int64_t i = 0; i < shape[d]; ++i)
        picked[d].push_back(i);
    for (size_t i = 0; i < axes.size(); ++i) {
      int64_t axis = axes[i] < 0 ? axes[i] + 3 : axes[i];
      picked[axis] = specSlice(c.starts[i], c.ends[i], steps[i], shape[axis]);
    }
    std::vector<int64_t> outShape;
    for (auto &p : picked)
      outShape.push_back(static_cast<int64_t>(p.size()));
    Tensor starts = i64s(c.starts), ends = i64s(c.ends);
    Tensor axesT = i64s(c.axes), stepsT = i64s(c.steps);
    Tensor out(DType::F32, outShape);
    // Omitted axes/steps: once as NoValue operands, once as missing ones.
    std::vector<Tensor *> ins = {&in, &starts, &ends,
                                 c.axes.empty() ? nullptr : &axesT,
                                 c.steps.empty() ? nullptr : &stepsT};
    EXPECT_OK(run("onnx.Slice", ins, {&out}));
    for (int64_t i = 0; i < out.numElements(); ++i) {
      std::vector<int64_t> oc = unravel(i, outShape), ic(3);
      for (int d = 0; d < 3; ++d)
        ic[d] = picked[d][oc[d]];
      ASSERT_EQ(out.data<float>()[i], float(ravel(ic, shape)));
    }
    if (c.axes.empty() && c.steps.empty()) {
      std::fill(out.data<float>(), out.data<float>() + out.numElements(), -1);
      EXPECT_OK(run("onnx.Slice", {&in, &starts, &ends}, {&out}));
      EXPECT_EQ(read<float>(out)[0], float(3));
    }
  }
}

// Tests that a slice of an empty axis is empty, whichever way it walks: a
// reversal x[::-1] clamped its start to [0, size - 1] = [0, -1].
TEST(LayoutKernels, SliceOfAnEmptyAxisIsEmpty) {
  const int64_t min = std::numeric_limits<int64_t>::min();
  const int64_t max = std::numeric_limits<int64_t>::max();
  Tensor in(DType::F32, {3, 0});
  Tensor axes = i64s({1});
  const std::tuple<int64_t, int64_t, int64_t> slices[] = {
      {-1, min, -1}, {0, max, 1}, {5, -5, -2}};
  for (auto [start, end, step] : slices) {
    SCOPED_TRACE(std::to_string(start) + ":" + std::to_string(end) + ":" +
                 std::to_string(step));
    Tensor starts = i64s({start}), ends = i64s({end}), steps = i64s({step});
    Tensor out(DType::F32, {3, 0});
    EXPECT_OK(run("onnx.Slice", {&in, &starts, &ends, &axes, &steps}, {&out}));
  }
}

TEST(LayoutKernels, SliceRejectsCorruptSteps) {
  Tensor in = iota({4, 6});
  Tensor starts = i64s({0}), ends = i64s({2}), axes = i64s({1});
  Tensor zero = i64s({0}), twoAxes = i64s({0, 1}), badAxis = i64s({2});
  Tensor out(DType::F32, {4, 2}), wrong(DType::F32, {4, 3});
  EXPECT_OK(run("onnx.Slice", {&in, &starts, &ends, &axes}, {&out}));
  EXPECT_ERROR(run("onnx.Slice", {&in, &starts, &ends, &axes, &zero}, {&out}),
               "step is zero");
  EXPECT_ERROR(run("onnx.Slice", {&in, &starts, &ends, &axes}, {&wrong}),
               "shape");
  EXPECT_ERROR(run("onnx.Slice", {&in, &starts, &ends, &twoAxes}, {&out}),
               "length");
  EXPECT_ERROR(run("onnx.Slice", {&in, &starts, &ends, &badAxis}, {&out}),
               "out of range");
}

//===----------------------------------------------------------------------===//
// Gather
//===----------------------------------------------------------------------===//

TEST(LayoutKernels, Gather) {
  // The spec's example: axis 0 of [[1, 1.2], [2.3, 3.4], [4.5, 5.7]], with a
  // negative index too.
  Tensor data =
      make<float>(DType::F32, {3, 2}, {1.0f, 1.2f, 2.3f, 3.4f, 4.5f, 5.7f});
  Tensor indices = make<int64_t>(DType::I64, {2, 2}, {0, 1, -2, 2});
  Tensor out(DType::F32, {2, 2, 2});
  EXPECT_OK(run("onnx.Gather", {&data, &indices}, {&out}));
  EXPECT_EQ(read<float>(out), (std::vector<float>{1.0f, 1.2f, 2.3f, 3.4f, 2.3f,
                                                  3.4f, 4.5f, 5.7f}));

  // Axis 1 with i32 indices; a scalar index drops the axis.
  Tensor wide = iota({2, 3, 4}, DType::I64);
  Tensor idx32 = make<int32_t>(DType::I32, {2}, {-1, 0});
  Tensor picked(DType::I64, {2, 2, 4});
  AttrMap axis1 = attrsOf({{"axis", ints({1})}});
  EXPECT_OK(run("onnx.Gather", {&wide, &idx32}, {&picked}, axis1));
  for (int64_t i = 0; i < 16; ++i) {
    std::vector<int64_t> c = unravel(i, {2, 2, 4});
    int64_t j = c[1] == 0 ? 2 : 0;
    ASSERT_EQ(picked.data<int64_t>()[i], (c[0] * 3 + j) * 4 + c[2]);
  }
  Tensor scalar = make<int64_t>(DType::I64, {}, {-1});
  Tensor last(DType::I64, {2, 3});
  EXPECT_OK(run("onnx.Gather", {&wide, &scalar}, {&last},
                attrsOf({{"axis", ints({-1})}})));
  EXPECT_EQ(read<int64_t>(last), (std::vector<int64_t>{3, 7, 11, 15, 19, 23}));

  // Out-of-range indices are errors, not reads out of bounds.
  Tensor tooBig = make<int64_t>(DType::I64, {2}, {0, 3});
  Tensor tooSmall = make<int64_t>(DType::I64, {2}, {0, -4});
  Tensor two(DType::F32, {2, 2});
  EXPECT_ERROR(run("onnx.Gather", {&data, &tooBig}, {&two}), "out of range");
  EXPECT_ERROR(run("onnx.Gather", {&data, &tooSmall}, {&two}), "out of range");
  Tensor fine = make<int64_t>(DType::I64, {2}, {0, 1});
  Tensor wrong(DType::F32, {2, 3});
  EXPECT_ERROR(run("onnx.Gather", {&data, &fine}, {&wrong}), "shape");
  Tensor floatIdx = make<float>(DType::F32, {2}, {0, 1});
  EXPECT_ERROR(run("onnx.Gather", {&data, &floatIdx}, {&two}), "i64 or i32");
  EXPECT_ERROR(run("onnx.Gather", {&data, &fine}, {&two},
                   attrsOf({{"axis", ints({2})}})),
               "axis");
}

// Tests GatherElements: torch.gather's example along axis 1, a negative
// index, indices smaller than data off the axis, and every refusal.
TEST(LayoutKernels, GatherElements) {
  Tensor data = make<float>(DType::F32, {2, 3}, {1, 2, 3, 4, 5, 6});
  Tensor indices = make<int64_t>(DType::I64, {2, 2}, {2, -1, 0, 1});
  Tensor out(DType::F32, {2, 2});
  AttrMap axis1 = attrsOf({{"axis", ints({1})}});
  EXPECT_OK(run("onnx.GatherElements", {&data, &indices}, {&out}, axis1));
  EXPECT_EQ(read<float>(out), (std::vector<float>{3, 3, 4, 5}));

  // Axis 0 with i32 indices of one row: each column picks its row.
  Tensor rows = make<int32_t>(DType::I32, {1, 3}, {1, 0, 1});
  Tensor picked(DType::F32, {1, 3});
  EXPECT_OK(run("onnx.GatherElements", {&data, &rows}, {&picked}));
  EXPECT_EQ(read<float>(picked), (std::vector<float>{4, 2, 6}));

  Tensor tooBig = make<int64_t>(DType::I64, {2, 2}, {0, 3, 0, 0});
  EXPECT_ERROR(run("onnx.GatherElements", {&data, &tooBig}, {&out}, axis1),
               "index 3 is out of range for axis 1 of size 3");
  Tensor tall = make<int64_t>(DType::I64, {3, 1}, {0, 0, 0});
  Tensor tallOut(DType::F32, {3, 1});
  EXPECT_ERROR(run("onnx.GatherElements", {&data, &tall}, {&tallOut}, axis1),
               "exceed data [2, 3] along axis 0");
  Tensor flat = make<int64_t>(DType::I64, {2}, {0, 1});
  Tensor flatOut(DType::F32, {2});
  EXPECT_ERROR(run("onnx.GatherElements", {&data, &flat}, {&flatOut}),
               "must have one rank");
  Tensor wrong(DType::F32, {2, 3});
  EXPECT_ERROR(run("onnx.GatherElements", {&data, &indices}, {&wrong}, axis1),
               "shape");
}

// Tests GatherND: rows by 1-tuples (one counted from the end), elements by
// 2-tuples, batch_dims 1, and the refusals.
TEST(LayoutKernels, GatherND) {
  Tensor data = make<float>(DType::F32, {3, 2}, {1, 2, 3, 4, 5, 6});
  Tensor rows = make<int64_t>(DType::I64, {2, 1}, {-1, 0});
  Tensor twoRows(DType::F32, {2, 2});
  EXPECT_OK(run("onnx.GatherND", {&data, &rows}, {&twoRows}));
  EXPECT_EQ(read<float>(twoRows), (std::vector<float>{5, 6, 1, 2}));

  Tensor cells = make<int64_t>(DType::I64, {3, 2}, {1, 1, 2, 0, 0, -1});
  Tensor three(DType::F32, {3});
  EXPECT_OK(run("onnx.GatherND", {&data, &cells}, {&three}));
  EXPECT_EQ(read<float>(three), (std::vector<float>{4, 5, 2}));

  // batch_dims 1: image i picks from its own row.
  Tensor perRow = make<int32_t>(DType::I32, {3, 1}, {1, 0, 1});
  Tensor picked(DType::F32, {3});
  AttrMap batch1;
  batch1.set("batch_dims", ints({1}));
  EXPECT_OK(run("onnx.GatherND", {&data, &perRow}, {&picked}, batch1));
  EXPECT_EQ(read<float>(picked), (std::vector<float>{2, 3, 6}));

  Tensor outside = make<int64_t>(DType::I64, {1, 1}, {3});
  Tensor oneRow(DType::F32, {1, 2});
  EXPECT_ERROR(run("onnx.GatherND", {&data, &outside}, {&oneRow}),
               "index 3 is out of range for axis 0 of size 3");
  Tensor deep = make<int64_t>(DType::I64, {1, 3}, {0, 0, 0});
  Tensor one(DType::F32, {1});
  EXPECT_ERROR(run("onnx.GatherND", {&data, &deep}, {&one}),
               "must end in a size of at most data's rank");
  EXPECT_ERROR(run("onnx.GatherND", {&data, &rows}, {&three}), "shape");
}

// Tests ScatterElements: torch.scatter's replacement along axis 1 with a
// negative index, scatter_add's sums where indices repeat, i32 indices along
// axis 0 with mul, max and min, and every refusal.
TEST(LayoutKernels, ScatterElements) {
  Tensor data = make<float>(DType::F32, {2, 3}, {1, 2, 3, 4, 5, 6});
  Tensor indices = make<int64_t>(DType::I64, {2, 2}, {2, -3, 1, 1});
  Tensor updates = make<float>(DType::F32, {2, 2}, {10, 20, 30, 40});
  Tensor out(DType::F32, {2, 3});
  AttrMap axis1 = attrsOf({{"axis", ints({1})}});
  // Repeated indices without a reduction: the last update wins.
  EXPECT_OK(
      run("onnx.ScatterElements", {&data, &indices, &updates}, {&out}, axis1));
  EXPECT_EQ(read<float>(out), (std::vector<float>{20, 2, 10, 4, 40, 6}));
  EXPECT_OK(run("onnx.ScatterElements", {&data, &indices, &updates}, {&out},
                attrsOf({{"axis", ints({1})}, {"reduction", str("add")}})));
  EXPECT_EQ(read<float>(out), (std::vector<float>{21, 2, 13, 4, 75, 6}));

  Tensor rows = make<int32_t>(DType::I32, {1, 3}, {1, 0, 1});
  Tensor factors = make<float>(DType::F32, {1, 3}, {2, 3, 4});
  const std::pair<const char *, std::vector<float>> reductions[] = {
      {"mul", {1, 6, 3, 8, 5, 24}},
      {"max", {1, 3, 3, 4, 5, 6}},
      {"min", {1, 2, 3, 2, 5, 4}}};
  for (const auto &[reduction, want] : reductions) {
    EXPECT_OK(run("onnx.ScatterElements", {&data, &rows, &factors}, {&out},
                  attrsOf({{"reduction", str(reduction)}})));
    EXPECT_EQ(read<float>(out), want) << reduction;
  }

  Tensor tooBig = make<int64_t>(DType::I64, {2, 2}, {0, 3, 0, 0});
  EXPECT_ERROR(
      run("onnx.ScatterElements", {&data, &tooBig, &updates}, {&out}, axis1),
      "index 3 is out of range for axis 1 of size 3");
  Tensor fewer(DType::F32, {2, 1});
  EXPECT_ERROR(
      run("onnx.ScatterElements", {&data, &indices, &fewer}, {&out}, axis1),
      "updates has shape [2, 1], expected [2, 2]");
  EXPECT_ERROR(run("onnx.ScatterElements", {&data, &indices, &updates}, {&out},
                   attrsOf({{"reduction", str("mean")}})),
               "unsupported reduction \"mean\"");
  Tensor bytes = make<uint8_t>(DType::U8, {2, 3}, {1, 2, 3, 4, 5, 6});
  Tensor byteUpdates = make<uint8_t>(DType::U8, {2, 2}, {7, 8, 9, 10});
  Tensor byteOut(DType::U8, {2, 3});
  EXPECT_OK(run("onnx.ScatterElements", {&bytes, &indices, &byteUpdates},
                {&byteOut}, axis1));
  EXPECT_EQ(read<uint8_t>(byteOut), (std::vector<uint8_t>{8, 2, 7, 4, 10, 6}));
  EXPECT_ERROR(run("onnx.ScatterElements", {&bytes, &indices, &byteUpdates},
                   {&byteOut},
                   attrsOf({{"axis", ints({1})}, {"reduction", str("add")}})),
               "takes f32, f64, i32 or i64 data, got u8");
}

// Tests ScatterND: rows named by 1-tuples (one counted from the end), single
// elements named by 2-tuples with add where they repeat, and the refusals.
TEST(LayoutKernels, ScatterND) {
  Tensor data = make<float>(DType::F32, {3, 2}, {1, 2, 3, 4, 5, 6});
  Tensor rows = make<int64_t>(DType::I64, {2, 1}, {-1, 0});
  Tensor rowUpdates = make<float>(DType::F32, {2, 2}, {10, 20, 30, 40});
  Tensor out(DType::F32, {3, 2});
  EXPECT_OK(run("onnx.ScatterND", {&data, &rows, &rowUpdates}, {&out}));
  EXPECT_EQ(read<float>(out), (std::vector<float>{30, 40, 3, 4, 10, 20}));

  Tensor cells = make<int64_t>(DType::I64, {3, 2}, {1, 1, 1, 1, 2, 0});
  Tensor cellUpdates = make<float>(DType::F32, {3}, {10, 20, 30});
  EXPECT_OK(run("onnx.ScatterND", {&data, &cells, &cellUpdates}, {&out},
                attrsOf({{"reduction", str("add")}})));
  EXPECT_EQ(read<float>(out), (std::vector<float>{1, 2, 3, 34, 35, 6}));

  // max and min: a NaN update wins, as in numpy's maximum and minimum.
  const float nan = std::numeric_limits<float>::quiet_NaN();
  Tensor nanUpdates = make<float>(DType::F32, {3}, {nan, 5, 0});
  for (const char *reduction : {"max", "min"}) {
    EXPECT_OK(run("onnx.ScatterND", {&data, &cells, &nanUpdates}, {&out},
                  attrsOf({{"reduction", str(reduction)}})));
    std::vector<float> got = read<float>(out);
    EXPECT_TRUE(std::isnan(got[3])) << reduction;
    EXPECT_EQ(got[4], std::string(reduction) == "max" ? 5.0f : 0.0f)
        << reduction;
  }

  Tensor outside = make<int64_t>(DType::I64, {2, 1}, {3, 0});
  EXPECT_ERROR(run("onnx.ScatterND", {&data, &outside, &rowUpdates}, {&out}),
               "index 3 is out of range for axis 0 of size 3");
  Tensor deep = make<int64_t>(DType::I64, {1, 3}, {0, 0, 0});
  Tensor one(DType::F32, {1});
  EXPECT_ERROR(run("onnx.ScatterND", {&data, &deep, &one}, {&out}),
               "must end in a size of at most data's rank");
  EXPECT_ERROR(run("onnx.ScatterND", {&data, &rows, &cellUpdates}, {&out}),
               "updates has shape [3], expected [2, 2]");
}

//===----------------------------------------------------------------------===//
// Pad
//===----------------------------------------------------------------------===//

TEST(LayoutKernels, PadSpecExamples) {
  // The spec's examples: pads [0, 2, 0, 0] on a 3x2 input.
  Tensor x =
      make<float>(DType::F32, {3, 2}, {1.0f, 1.2f, 2.3f, 3.4f, 4.5f, 5.7f});
  Tensor pads = i64s({0, 2, 0, 0});
  Tensor out(DType::F32, {3, 4});
  EXPECT_OK(run("onnx.Pad", {&x, &pads}, {&out},
                attrsOf({{"mode", str("constant")}})));
  EXPECT_EQ(read<float>(out), (std::vector<float>{0, 0, 1.0f, 1.2f, 0, 0, 2.3f,
                                                  3.4f, 0, 0, 4.5f, 5.7f}));
  EXPECT_OK(run("onnx.Pad", {&x, &pads, nullptr, nullptr}, {&out},
                attrsOf({{"mode", str("reflect")}})));
  EXPECT_EQ(read<float>(out),
            (std::vector<float>{1.0f, 1.2f, 1.0f, 1.2f, 2.3f, 3.4f, 2.3f, 3.4f,
                                4.5f, 5.7f, 4.5f, 5.7f}));
  EXPECT_OK(
      run("onnx.Pad", {&x, &pads}, {&out}, attrsOf({{"mode", str("edge")}})));
  EXPECT_EQ(read<float>(out),
            (std::vector<float>{1.0f, 1.0f, 1.0f, 1.2f, 2.3f, 2.3f, 2.3f, 3.4f,
                                4.5f, 4.5f, 4.5f, 5.7f}));
}

TEST(LayoutKernels, PadModesOnOneAxis) {
  Tensor x = make<int64_t>(DType::I64, {3}, {1, 2, 3});
  Tensor pads = i64s({2, 2});
  Tensor out(DType::I64, {7});
  EXPECT_OK(run("onnx.Pad", {&x, &pads}, {&out},
                attrsOf({{"mode", str("reflect")}})));
  EXPECT_EQ(read<int64_t>(out), (std::vector<int64_t>{3, 2, 1, 2, 3, 2, 1}));
  EXPECT_OK(
      run("onnx.Pad", {&x, &pads}, {&out}, attrsOf({{"mode", str("edge")}})));
  EXPECT_EQ(read<int64_t>(out), (std::vector<int64_t>{1, 1, 1, 2, 3, 3, 3}));
  Tensor value = make<int64_t>(DType::I64, {}, {9});
  EXPECT_OK(run("onnx.Pad", {&x, &pads, &value}, {&out},
                attrsOf({{"mode", str("constant")}})));
  EXPECT_EQ(read<int64_t>(out), (std::vector<int64_t>{9, 9, 1, 2, 3, 9, 9}));

  // Negative pads crop; axes (opset 18) pick the padded axes.
  Tensor m = iota({2, 4});
  Tensor crop = i64s({-1, 1});
  Tensor axes = i64s({-1});
  Tensor cropped(DType::F32, {2, 4});
  EXPECT_OK(run("onnx.Pad", {&m, &crop, nullptr, &axes}, {&cropped},
                attrsOf({{"mode", str("constant")}})));
  EXPECT_EQ(read<float>(cropped), (std::vector<float>{1, 2, 3, 0, 5, 6, 7, 0}));

  Tensor shortPads = i64s({1, 1});
  Tensor big(DType::F32, {4, 6});
  EXPECT_ERROR(run("onnx.Pad", {&m, &shortPads}, {&big},
                   attrsOf({{"mode", str("constant")}})),
               "entries");
  Tensor pads4 = i64s({1, 1, 1, 1});
  Tensor wrong(DType::F32, {4, 5});
  EXPECT_ERROR(run("onnx.Pad", {&m, &pads4}, {&wrong},
                   attrsOf({{"mode", str("constant")}})),
               "shape");
  EXPECT_ERROR(
      run("onnx.Pad", {&m, &pads4}, {&big}, attrsOf({{"mode", str("mirror")}})),
      "mode");
  Tensor floatValue = make<double>(DType::F64, {}, {1.0});
  EXPECT_ERROR(run("onnx.Pad", {&m, &pads4, &floatValue}, {&big},
                   attrsOf({{"mode", str("constant")}})),
               "constant_value");
}

//===----------------------------------------------------------------------===//
// Concat, Split
//===----------------------------------------------------------------------===//

// Tests concatenations with many rows against a naive copy, on 1 and 3
// threads: along the channels of NHWC images (a short piece of each of
// five inputs per pixel, one of them empty, as DenseNet's) and along the
// middle axis of NCHW ones.
TEST(LayoutKernels, ConcatOfManyRowsMatchesNaive) {
  struct Case {
    std::vector<int64_t> shape; // of the output, the axis' size replaced
    int64_t axis;
    std::vector<int64_t> sizes;
  };
  const Case cases[] = {{{2, 40, 30, 0}, 3, {3, 32, 0, 20, 15}},
                        {{2, 0, 9, 11}, 1, {4, 1, 7}}};
  for (const Case &c : cases)
    for (int threads : {1, 3}) {
      std::vector<Tensor> inputs;
      std::vector<Tensor *> ins;
      for (int64_t size : c.sizes) {
        std::vector<int64_t> shape = c.shape;
        shape[c.axis] = size;
        inputs.push_back(randomTensor(shape));
      }
      for (Tensor &t : inputs)
        ins.push_back(&t);
      std::vector<int64_t> shape = c.shape;
      shape[c.axis] = 0;
      for (int64_t size : c.sizes)
        shape[c.axis] += size;
      Tensor out(DType::F32, shape);
      EXPECT_OK(run("onnx.Concat", ins, {&out},
                    attrsOf({{"axis", ints({c.axis})}}), threads));
      // out[o, a, i] along axis a from the input whose range holds a.
      int64_t outer = 1, inner = 1;
      for (int64_t d = 0; d < c.axis; ++d)
        outer *= shape[d];
      for (size_t d = c.axis + 1; d < shape.size(); ++d)
        inner *= shape[d];
      const float *got = out.data<float>();
      for (int64_t o = 0; o < outer; ++o) {
        int64_t a = 0;
        for (const Tensor &t : inputs) {
          int64_t size = t.shape()[c.axis];
          for (int64_t k = 0; k < size; ++k, ++a)
            for (int64_t i = 0; i < inner; ++i)
              ASSERT_EQ(got[(o * shape[c.axis] + a) * inner + i],
                        t.data<float>()[(o * size + k) * inner + i])
                  << "axis " << c.axis << ", " << threads << " threads";
        }
      }
    }
}

TEST(LayoutKernels, ConcatAndSplitRoundTrip) {
  Tensor a = iota({2, 1}),
         b = make<float>(DType::F32, {2, 3}, {10, 11, 12, 13, 14, 15});
  Tensor empty(DType::F32, {2, 0});
  Tensor out(DType::F32, {2, 4});
  EXPECT_OK(run("onnx.Concat", {&a, &empty, &b}, {&out},
                attrsOf({{"axis", ints({-1})}})));
  EXPECT_EQ(read<float>(out),
            (std::vector<float>{0, 10, 11, 12, 1, 13, 14, 15}));

  Tensor lengths = i64s({1, 3});
  Tensor p(DType::F32, {2, 1}), q(DType::F32, {2, 3});
  EXPECT_OK(run("onnx.Split", {&out, &lengths}, {&p, &q},
                attrsOf({{"axis", ints({1})}})));
  EXPECT_EQ(read<float>(p), read<float>(a));
  EXPECT_EQ(read<float>(q), read<float>(b));

  // num_outputs: ceil(7 / 3) = 3 per part, the last gets what is left.
  Tensor seven = iota({7}, DType::I64);
  Tensor s0(DType::I64, {3}), s1(DType::I64, {3}), s2(DType::I64, {1});
  EXPECT_OK(run("onnx.Split", {&seven, nullptr}, {&s0, &s1, &s2},
                attrsOf({{"axis", ints({0})}, {"num_outputs", ints({3})}})));
  EXPECT_EQ(read<int64_t>(s0), (std::vector<int64_t>{0, 1, 2}));
  EXPECT_EQ(read<int64_t>(s1), (std::vector<int64_t>{3, 4, 5}));
  EXPECT_EQ(read<int64_t>(s2), (std::vector<int64_t>{6}));
  // Opset 13 without num_outputs: equal parts, one per result.
  Tensor six = iota({6}, DType::I64);
  Tensor h0(DType::I64, {3}), h1(DType::I64, {3});
  EXPECT_OK(run("onnx.Split", {&six}, {&h0, &h1}));
  EXPECT_EQ(read<int64_t>(h1), (std::vector<int64_t>{3, 4, 5}));

  Tensor c(DType::F32, {3, 1});
  EXPECT_ERROR(
      run("onnx.Concat", {&a, &c}, {&out}, attrsOf({{"axis", ints({1})}})),
      "cannot concatenate");
  Tensor ints64(DType::I64, {2, 3});
  EXPECT_ERROR(
      run("onnx.Concat", {&a, &ints64}, {&out}, attrsOf({{"axis", ints({1})}})),
      "must be f32");
  Tensor wrongOut(DType::F32, {2, 5});
  EXPECT_ERROR(
      run("onnx.Concat", {&a, &b}, {&wrongOut}, attrsOf({{"axis", ints({1})}})),
      "shape");
  Tensor badLengths = i64s({2, 3});
  EXPECT_ERROR(run("onnx.Split", {&out, &badLengths}, {&p, &q},
                   attrsOf({{"axis", ints({1})}})),
               "sum");
  EXPECT_ERROR(run("onnx.Split", {&seven, nullptr}, {&s0, &s1},
                   attrsOf({{"axis", ints({0})}, {"num_outputs", ints({3})}})),
               "num_outputs");
  EXPECT_ERROR(run("onnx.Split", {&six}, {&h0, &s2}), "shape");
}

//===----------------------------------------------------------------------===//
// Views and shape ops
//===----------------------------------------------------------------------===//

TEST(LayoutKernels, Views) {
  Tensor in = iota({2, 3, 4});
  Tensor flat(DType::F32, {6, 4}), flat0(DType::F32, {1, 24});
  EXPECT_OK(
      run("onnx.Flatten", {&in}, {&flat}, attrsOf({{"axis", ints({2})}})));
  EXPECT_EQ(read<float>(flat), read<float>(in));
  EXPECT_OK(
      run("onnx.Flatten", {&in}, {&flat0}, attrsOf({{"axis", ints({0})}})));
  EXPECT_ERROR(run("onnx.Flatten", {&in}, {&flat0}), "shape");

  // Reshape: 0 copies a size, -1 is inferred.
  Tensor shape = i64s({0, -1});
  Tensor reshaped(DType::F32, {2, 12});
  EXPECT_OK(run("onnx.Reshape", {&in, &shape}, {&reshaped},
                attrsOf({{"allowzero", ints({0})}})));
  EXPECT_EQ(read<float>(reshaped), read<float>(in));
  Tensor otherShape = i64s({3, -1});
  EXPECT_ERROR(run("onnx.Reshape", {&in, &otherShape}, {&reshaped}), "shape");
  Tensor tooSmall(DType::F32, {2, 11});
  Tensor looseShape = i64s({2, -1});
  EXPECT_ERROR(run("onnx.Reshape", {&in, &looseShape}, {&tooSmall}),
               "element count");

  Tensor ones = iota({1, 3, 1});
  Tensor axes = i64s({-1});
  Tensor s1(DType::F32, {1, 3}), s2(DType::F32, {3});
  EXPECT_OK(run("onnx.Squeeze", {&ones, &axes}, {&s1}));
  EXPECT_OK(run("onnx.Squeeze", {&ones, nullptr}, {&s2}));
  EXPECT_OK(run("onnx.Squeeze", {&ones}, {&s2}));
  EXPECT_EQ(read<float>(s2), (std::vector<float>{0, 1, 2}));
  Tensor middle = i64s({1});
  EXPECT_ERROR(run("onnx.Squeeze", {&ones, &middle}, {&s1}), "size 3");

  Tensor u(DType::F32, {1, 3, 1});
  Tensor uaxes = i64s({0, -1});
  EXPECT_OK(run("onnx.Unsqueeze", {&s2, &uaxes}, {&u}));
  EXPECT_EQ(read<float>(u), (std::vector<float>{0, 1, 2}));
  Tensor dup = i64s({0, 0});
  EXPECT_ERROR(run("onnx.Unsqueeze", {&s2, &dup}, {&u}), "twice");
}

TEST(LayoutKernels, ShapeConstantOfShapeRange) {
  Tensor in(DType::F32, {1, 256, 25, 38});
  Tensor all(DType::I64, {4}), tail(DType::I64, {2}), one(DType::I64, {1});
  EXPECT_OK(run("onnx.Shape", {&in}, {&all}, attrsOf({{"start", ints({0})}})));
  EXPECT_EQ(read<int64_t>(all), (std::vector<int64_t>{1, 256, 25, 38}));
  EXPECT_OK(
      run("onnx.Shape", {&in}, {&tail}, attrsOf({{"start", ints({-2})}})));
  EXPECT_EQ(read<int64_t>(tail), (std::vector<int64_t>{25, 38}));
  EXPECT_OK(run("onnx.Shape", {&in}, {&one},
                attrsOf({{"start", ints({1})}, {"end", ints({-2})}})));
  EXPECT_EQ(read<int64_t>(one)[0], 256);
  EXPECT_OK(run("onnx.Shape", {&in}, {&one},
                attrsOf({{"start", ints({-100})}, {"end", ints({1})}})));
  EXPECT_EQ(read<int64_t>(one)[0], 1);
  Tensor f32(DType::F32, {4});
  EXPECT_ERROR(run("onnx.Shape", {&in}, {&f32}), "must be i64");

  Tensor dims = i64s({2, 3});
  Tensor ones(DType::I64, {2, 3}), zeros(DType::F32, {2, 3}),
      halves(DType::F32, {2, 3});
  EXPECT_OK(run("onnx.ConstantOfShape", {&dims}, {&ones},
                attrsOf({{"value", ints({1})}})));
  EXPECT_EQ(read<int64_t>(ones), std::vector<int64_t>(6, 1));
  EXPECT_OK(run("onnx.ConstantOfShape", {&dims}, {&zeros}));
  EXPECT_EQ(read<float>(zeros), std::vector<float>(6, 0));
  EXPECT_OK(run("onnx.ConstantOfShape", {&dims}, {&halves},
                attrsOf({{"value", floats({0.5})}})));
  EXPECT_EQ(read<float>(halves), std::vector<float>(6, 0.5f));
  Tensor wrong(DType::F32, {3, 2});
  EXPECT_ERROR(run("onnx.ConstantOfShape", {&dims}, {&wrong}), "shape");

  Tensor start = make<int64_t>(DType::I64, {}, {1});
  Tensor limit = make<int64_t>(DType::I64, {}, {10});
  Tensor delta = make<int64_t>(DType::I64, {}, {3});
  Tensor range(DType::I64, {3});
  EXPECT_OK(run("onnx.Range", {&start, &limit, &delta}, {&range}));
  EXPECT_EQ(read<int64_t>(range), (std::vector<int64_t>{1, 4, 7}));
  Tensor fs = make<float>(DType::F32, {}, {10}),
         fl = make<float>(DType::F32, {}, {4});
  Tensor fd = make<float>(DType::F32, {}, {-2});
  Tensor frange(DType::F32, {3});
  EXPECT_OK(run("onnx.Range", {&fs, &fl, &fd}, {&frange}));
  EXPECT_EQ(read<float>(frange), (std::vector<float>{10, 8, 6}));
  Tensor zero = make<int64_t>(DType::I64, {}, {0});
  EXPECT_ERROR(run("onnx.Range", {&start, &limit, &zero}, {&range}), "zero");
  Tensor longer(DType::I64, {4});
  EXPECT_ERROR(run("onnx.Range", {&start, &limit, &delta}, {&longer}),
               "elements");
  EXPECT_ERROR(run("onnx.Range", {&start, &fl, &delta}, {&range}), "must be");
}

//===----------------------------------------------------------------------===//
// Resize
//===----------------------------------------------------------------------===//

struct ResizeCase {
  std::vector<int64_t> inShape;
  std::vector<float> in;
  std::vector<float> scales;
  std::vector<int64_t> sizes;
  std::vector<std::pair<std::string, AttrValue>> attrs;
  std::vector<int64_t> outShape;
  std::vector<float> want;
  /// tf_crop_and_resize's region: starts, then ends.
  std::vector<float> roi = {};
};

void expectResize(const ResizeCase &c, const char *what) {
  Tensor in = make(DType::F32, c.inShape, c.in);
  Tensor roi = make(DType::F32, {int64_t(c.roi.size())}, c.roi);
  Tensor scales = make(DType::F32, {int64_t(c.scales.size())}, c.scales);
  Tensor sizes = i64s(c.sizes);
  Tensor out(DType::F32, c.outShape);
  EXPECT_OK(run("onnx.Resize",
                {&in, c.roi.empty() ? nullptr : &roi,
                 c.scales.empty() ? nullptr : &scales,
                 c.sizes.empty() ? nullptr : &sizes},
                {&out}, attrsOf(c.attrs)));
  std::vector<float> got = read<float>(out);
  ASSERT_EQ(got.size(), c.want.size()) << what;
  for (size_t i = 0; i < got.size(); ++i)
    EXPECT_NEAR(got[i], c.want[i], 1e-5) << what << " element " << i;
}

std::vector<float> oneTo(int n) {
  std::vector<float> values(n);
  std::iota(values.begin(), values.end(), 1.0f);
  return values;
}

TEST(LayoutKernels, ResizeSpecExamples) {
  using Attrs = std::vector<std::pair<std::string, AttrValue>>;
  expectResize({{1, 1, 2, 2},
                {1, 2, 3, 4},
                {1, 1, 2, 3},
                {},
                Attrs{{"mode", str("nearest")}},
                {1, 1, 4, 6},
                {1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2,
                 3, 3, 3, 4, 4, 4, 3, 3, 3, 4, 4, 4}},
               "upsample_scales_nearest");
  expectResize({{1, 1, 2, 4},
                {1, 2, 3, 4, 5, 6, 7, 8},
                {1, 1, 0.6f, 0.6f},
                {},
                Attrs{{"mode", str("nearest")}},
                {1, 1, 1, 2},
                {1, 3}},
               "downsample_scales_nearest");
  expectResize({{1, 1, 2, 2},
                {1, 2, 3, 4},
                {1, 1, 2, 2},
                {},
                Attrs{{"mode", str("linear")}},
                {1, 1, 4, 4},
                {1, 1.25f, 1.75f, 2, 1.5f, 1.75f, 2.25f, 2.5f, 2.5f, 2.75f,
                 3.25f, 3.5f, 3, 3.25f, 3.75f, 4}},
               "upsample_scales_linear");
  expectResize(
      {{1, 1, 2, 2},
       {1, 2, 3, 4},
       {1, 1, 2, 2},
       {},
       Attrs{{"mode", str("linear")},
             {"coordinate_transformation_mode", str("align_corners")}},
       {1, 1, 4, 4},
       {1, 1.333333f, 1.666667f, 2, 1.666667f, 2, 2.333333f, 2.666667f,
        2.333333f, 2.666667f, 3, 3.333333f, 3, 3.333333f, 3.666667f, 4}},
      "upsample_scales_linear_align_corners");
  expectResize({{1, 1, 2, 4},
                {1, 2, 3, 4, 5, 6, 7, 8},
                {1, 1, 0.6f, 0.6f},
                {},
                Attrs{{"mode", str("linear")}},
                {1, 1, 1, 2},
                {2.6666665f, 4.3333331f}},
               "downsample_scales_linear");
  expectResize(
      {{1, 1, 4, 4},
       oneTo(16),
       {},
       {1, 1, 3, 1},
       Attrs{{"mode", str("linear")},
             {"coordinate_transformation_mode", str("pytorch_half_pixel")}},
       {1, 1, 3, 1},
       {1.6666666f, 7, 12.333333f}},
      "downsample_sizes_linear_pytorch_half_pixel");
  // With scales, the resized length is in * scale (1.5 rows, not 1), so
  // the one row reads between rows 0 and 1, as PyTorch's interpolate with
  // scale_factor (0.5, 1) gives.
  expectResize(
      {{1, 1, 3, 2},
       oneTo(6),
       {1, 1, 0.5f, 1},
       {},
       Attrs{{"mode", str("linear")},
             {"coordinate_transformation_mode", str("pytorch_half_pixel")}},
       {1, 1, 1, 2},
       {2, 3}},
      "downsample_scales_linear_pytorch_half_pixel_to_one");
  // Opset 18 and 19's additions, with the outputs of ONNX's own tests.
  expectResize({{1, 1, 2, 4},
                oneTo(8),
                {},
                {1, 3},
                Attrs{{"mode", str("nearest")},
                      {"axes", ints({2, 3})},
                      {"keep_aspect_ratio_policy", str("not_larger")}},
                {1, 1, 1, 2},
                {1, 3}},
               "downsample_sizes_nearest_not_larger");
  expectResize(
      {{1, 1, 1, 4},
       oneTo(4),
       {1, 1, 1, 0.6f},
       {},
       Attrs{{"mode", str("linear")},
             {"coordinate_transformation_mode", str("half_pixel_symmetric")}},
       {1, 1, 1, 2},
       {1.6666667f, 3.3333333f}},
      "downsample_scales_linear_half_pixel_symmetric");
  expectResize(
      {{1, 1, 4, 4},
       oneTo(16),
       {},
       {1, 1, 3, 3},
       Attrs{{"mode", str("linear")},
             {"coordinate_transformation_mode", str("tf_crop_and_resize")},
             {"extrapolation_value", real(10.0)}},
       {1, 1, 3, 3},
       {7.6000004f, 10, 10, 12.400001f, 10, 10, 10, 10, 10},
       {0, 0, 0.4f, 0.6f, 1, 1, 1.2f, 1.7f}},
      "tf_crop_and_resize_extrapolation_value");
  expectResize({{1, 1, 4, 4},
                oneTo(16),
                {1, 1, 0.6f, 0.6f},
                {},
                Attrs{{"mode", str("linear")}, {"antialias", ints({1})}},
                {1, 1, 2, 2},
                {2.875f, 4.5f, 9.375f, 11}},
               "downsample_scales_linear_antialias");
  expectResize({{1, 1, 4, 4},
                oneTo(16),
                {1, 1, 0.6f, 0.6f},
                {},
                Attrs{{"mode", str("cubic")}, {"antialias", ints({1})}},
                {1, 1, 2, 2},
                {2.5180721f, 4.2858863f, 9.589329f, 11.357142f}},
               "downsample_scales_cubic_antialias");
  expectResize(
      {{1, 1, 4, 4},
       oneTo(16),
       {},
       {1, 1, 8, 8},
       Attrs{{"mode", str("nearest")},
             {"coordinate_transformation_mode", str("half_pixel")},
             {"nearest_mode", str("ceil")}},
       {1, 1, 8, 8},
       {1,  2,  2,  3,  3,  4,  4,  4,  5,  6,  6,  7,  7,  8,  8,  8,
        5,  6,  6,  7,  7,  8,  8,  8,  9,  10, 10, 11, 11, 12, 12, 12,
        9,  10, 10, 11, 11, 12, 12, 12, 13, 14, 14, 15, 15, 16, 16, 16,
        13, 14, 14, 15, 15, 16, 16, 16, 13, 14, 14, 15, 15, 16, 16, 16}},
      "upsample_sizes_nearest_ceil_half_pixel");
  expectResize({{1, 1, 4, 4},
                oneTo(16),
                {},
                {1, 1, 8, 8},
                Attrs{{"mode", str("nearest")},
                      {"coordinate_transformation_mode", str("align_corners")},
                      {"nearest_mode", str("floor")}},
                {1, 1, 8, 8},
                {1, 1, 1, 2,  2,  3,  3,  4,  1,  1,  1,  2,  2,  3,  3,  4,
                 1, 1, 1, 2,  2,  3,  3,  4,  5,  5,  5,  6,  6,  7,  7,  8,
                 5, 5, 5, 6,  6,  7,  7,  8,  9,  9,  9,  10, 10, 11, 11, 12,
                 9, 9, 9, 10, 10, 11, 11, 12, 13, 13, 13, 14, 14, 15, 15, 16}},
               "upsample_sizes_nearest_floor_align_corners");
  expectResize(
      {{1, 1, 4, 4},
       oneTo(16),
       {},
       {1, 1, 8, 8},
       Attrs{{"mode", str("nearest")},
             {"coordinate_transformation_mode", str("asymmetric")},
             {"nearest_mode", str("round_prefer_ceil")}},
       {1, 1, 8, 8},
       {1,  2,  2,  3,  3,  4,  4,  4,  5,  6,  6,  7,  7,  8,  8,  8,
        5,  6,  6,  7,  7,  8,  8,  8,  9,  10, 10, 11, 11, 12, 12, 12,
        9,  10, 10, 11, 11, 12, 12, 12, 13, 14, 14, 15, 15, 16, 16, 16,
        13, 14, 14, 15, 15, 16, 16, 16, 13, 14, 14, 15, 15, 16, 16, 16}},
      "upsample_sizes_nearest_round_prefer_ceil_asymmetric");
  // Opset 18 axes: sizes only for H and W.
  expectResize({{1, 1, 2, 2},
                {1, 2, 3, 4},
                {},
                {4, 6},
                Attrs{{"mode", str("nearest")}, {"axes", ints({2, 3})}},
                {1, 1, 4, 6},
                {1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2,
                 3, 3, 3, 4, 4, 4, 3, 3, 3, 4, 4, 4}},
               "sizes_with_axes");
}

// Tests the CUDA kernel's Resize, which computes each element on its own
// (resizeElement needs no device), against the CPU kernel's, which
// resamples one axis at a time: every mode, coordinate transformation,
// antialias, exclude_outside and a crop that reaches outside the input, on
// axes that grow and shrink by ratios that are not whole. The geometry is
// what the CUDA kernel derives from scales: the scale, the resized length
// in * scale, and axes of scale 1 read as they are but for a crop.
TEST(LayoutKernels, ResizeElementwiseMatchesAxisByAxis) {
  using namespace intr::cpu::layout;
  const char *modes[] = {"nearest", "linear", "cubic"};
  const char *transforms[] = {"half_pixel",           "pytorch_half_pixel",
                              "align_corners",        "asymmetric",
                              "half_pixel_symmetric", "tf_crop_and_resize"};
  Tensor in = randomTensor({1, 2, 7, 9});
  Tensor roi =
      make<float>(DType::F32, {8}, {0, 0, 0.2f, -0.1f, 1, 1, 0.9f, 1.3f});
  const std::vector<int64_t> inStrides = {126, 63, 9, 1};
  for (std::vector<float> scales :
       {std::vector<float>{1, 1, 2.5f, 0.7f}, {1, 1, 0.3f, 0.45f}})
    for (int mode = 0; mode < 3; ++mode)
      for (int transform = 0; transform < 6; ++transform)
        for (int variant = 0; variant < 3; ++variant) {
          // 0: plain; 1: antialias; 2: exclude_outside (cubic only).
          if ((variant == 1 && mode == 0) || (variant == 2 && mode != 2))
            continue;
          SCOPED_TRACE(std::string(modes[mode]) + " " + transforms[transform] +
                       " variant " + std::to_string(variant) + " scale " +
                       std::to_string(scales[2]));
          ResizeSampling s;
          s.mode = static_cast<ResizeMode>(mode);
          s.transform = static_cast<ResizeTransform>(transform);
          s.antialias = variant == 1;
          s.excludeOutside = variant == 2;
          s.cubicA = -0.5f;
          s.extrapolation = -3.0f;
          const bool crop = s.transform == ResizeTransform::TfCropAndResize;
          ResizeAxis geometry[4];
          bool identity[4];
          std::vector<int64_t> outShape;
          for (int d = 0; d < 4; ++d) {
            ResizeAxis &g = geometry[d];
            g.inSize = in.shape()[d];
            g.scale = scales[d];
            g.length = static_cast<float>(g.inSize) * g.scale;
            g.outSize = static_cast<int64_t>(std::floor(g.length));
            g.roiStart = crop ? roi.data<float>()[d] : 0.0f;
            g.roiEnd = crop ? roi.data<float>()[d + 4] : 1.0f;
            identity[d] = g.scale == 1.0f && g.outSize == g.inSize && !crop;
            outShape.push_back(g.outSize);
          }
          Tensor scalesTensor = make<float>(DType::F32, {4}, scales);
          Tensor out(DType::F32, outShape);
          AttrMap attrs = attrsOf(
              {{"mode", str(modes[mode])},
               {"coordinate_transformation_mode", str(transforms[transform])},
               {"antialias", ints({s.antialias})},
               {"exclude_outside", ints({s.excludeOutside})},
               {"cubic_coeff_a", real(-0.5)},
               {"extrapolation_value", real(-3.0)}});
          Status status =
              run("onnx.Resize", {&in, crop ? &roi : nullptr, &scalesTensor},
                  {&out}, attrs);
          ASSERT_TRUE(status.isOk()) << status.error().message();
          for (int64_t i = 0; i < out.numElements(); ++i)
            ASSERT_NEAR(resizeElement<4>(in.data<float>(), s, 4, geometry,
                                         inStrides.data(), identity, i),
                        out.data<float>()[i], 2e-5)
                << "element " << i;
        }
}

// Tests Resize's edges: an empty batch resizes to an empty result (only an
// empty axis resized to a size above 0 is refused); keep_aspect_ratio_policy
// does not apply to scales; tf_crop_and_resize writes the extrapolation
// value itself outside the crop, even one that blending would overflow
// (cubic weights exceed 1), and saturates it in integer elements.
TEST(LayoutKernels, ResizeEdges) {
  Tensor empty(DType::F32, {0, 3, 4, 4});
  Tensor twice = make<float>(DType::F32, {4}, {1, 1, 2, 2});
  Tensor emptyOut(DType::F32, {0, 3, 8, 8});
  EXPECT_OK(run("onnx.Resize", {&empty, nullptr, &twice}, {&emptyOut},
                attrsOf({{"mode", str("linear")}})));
  Tensor flat(DType::F32, {1, 1, 0, 4}), sizes = i64s({1, 1, 2, 4});
  Tensor grown(DType::F32, {1, 1, 2, 4});
  EXPECT_ERROR(run("onnx.Resize", {&flat, nullptr, nullptr, &sizes}, {&grown}),
               "cannot resize the empty axis 2 to 2");

  Tensor in = iota({1, 1, 2, 2});
  Tensor out(DType::F32, {1, 1, 4, 4});
  EXPECT_OK(run("onnx.Resize", {&in, nullptr, &twice}, {&out},
                attrsOf({{"keep_aspect_ratio_policy", str("not_larger")}})));

  Tensor big = iota({1, 1, 4, 4});
  Tensor roi = make<float>(DType::F32, {4}, {-0.5f, 0.2f, 1.5f, 0.8f});
  Tensor cropSizes = i64s({5, 5});
  Tensor cropped(DType::F32, {1, 1, 5, 5});
  const float largest = std::numeric_limits<float>::max();
  EXPECT_OK(run(
      "onnx.Resize", {&big, &roi, nullptr, &cropSizes}, {&cropped},
      attrsOf({{"mode", str("cubic")},
               {"axes", ints({2, 3})},
               {"coordinate_transformation_mode", str("tf_crop_and_resize")},
               {"extrapolation_value", real(largest)}})));
  std::vector<float> got = read<float>(cropped);
  // Rows 0 and 4 map outside [0, 3] (-1.5 and 4.5); the columns stay in.
  for (int64_t x = 0; x < 5; ++x) {
    EXPECT_EQ(got[x], largest);
    EXPECT_EQ(got[20 + x], largest);
    EXPECT_TRUE(std::isfinite(got[10 + x]) && got[10 + x] < 16.0f);
  }

  Tensor bytes(DType::U8, {1, 1, 2, 2});
  Tensor byteRoi = make<float>(DType::F32, {8}, {0, 0, 0, 0, 1, 1, 2, 2});
  Tensor byteSizes = i64s({1, 1, 3, 3});
  Tensor byteOut(DType::U8, {1, 1, 3, 3});
  EXPECT_OK(run(
      "onnx.Resize", {&bytes, &byteRoi, nullptr, &byteSizes}, {&byteOut},
      attrsOf({{"coordinate_transformation_mode", str("tf_crop_and_resize")},
               {"extrapolation_value", real(-1.0)}})));
  // The last row and column map to 2, outside [0, 1]: -1 saturates to 0.
  std::vector<uint8_t> bytesGot = read<uint8_t>(byteOut);
  EXPECT_EQ(bytesGot[8], 0);
}

TEST(LayoutKernels, ResizeNearestMovesAnyElementType) {
  // The padding mask's downsampling: a bool image to the feature map.
  Tensor mask(DType::Bool, {1, 1, 4, 6});
  for (int64_t i = 0; i < 24; ++i)
    mask.data<uint8_t>()[i] = i % 6 >= 3;
  Tensor sizes = i64s({1, 1, 2, 3});
  Tensor out(DType::Bool, {1, 1, 2, 3});
  EXPECT_OK(run("onnx.Resize", {&mask, nullptr, nullptr, &sizes}, {&out},
                attrsOf({{"mode", str("nearest")},
                         {"coordinate_transformation_mode", str("asymmetric")},
                         {"nearest_mode", str("floor")}})));
  EXPECT_EQ(read<uint8_t>(out), (std::vector<uint8_t>{0, 0, 1, 0, 0, 1}));
}

TEST(LayoutKernels, ResizeRejectsUnsupportedAndCorruptSteps) {
  Tensor in = iota({1, 1, 2, 2});
  Tensor scales = make<float>(DType::F32, {4}, {1, 1, 2, 2});
  Tensor sizes = i64s({1, 1, 4, 4});
  Tensor out(DType::F32, {1, 1, 4, 4}), wrong(DType::F32, {1, 1, 4, 3});
  EXPECT_OK(run("onnx.Resize", {&in, nullptr, &scales}, {&out}));
  EXPECT_ERROR(run("onnx.Resize", {&in, nullptr, &scales}, {&out},
                   attrsOf({{"mode", str("bicubic")}})),
               "mode");
  EXPECT_ERROR(run("onnx.Resize", {&in, nullptr, &scales}, {&out},
                   attrsOf({{"coordinate_transformation_mode",
                             str("tf_crop_and_resize")}})),
               "needs roi");
  Tensor shortRoi = make<float>(DType::F32, {4}, {0, 0, 1, 1});
  EXPECT_ERROR(run("onnx.Resize", {&in, &shortRoi, &scales}, {&out},
                   attrsOf({{"coordinate_transformation_mode",
                             str("tf_crop_and_resize")}})),
               "two entries per axis");
  EXPECT_ERROR(run("onnx.Resize", {&in, nullptr, &scales}, {&out},
                   attrsOf({{"antialias", ints({1})}})),
               "antialias needs mode linear or cubic");
  EXPECT_ERROR(run("onnx.Resize", {&in, nullptr, &scales, &sizes}, {&out}),
               "exactly one");
  EXPECT_ERROR(run("onnx.Resize", {&in, nullptr, nullptr, nullptr}, {&out}),
               "exactly one");
  EXPECT_ERROR(run("onnx.Resize", {&in, nullptr, &scales}, {&wrong}), "shape");
  Tensor ints64 = iota({1, 1, 2, 2}, DType::I64),
         iout(DType::I64, {1, 1, 4, 4});
  EXPECT_ERROR(run("onnx.Resize", {&ints64, nullptr, &scales}, {&iout},
                   attrsOf({{"mode", str("linear")}})),
               "unsupported");
  Tensor threeScales = make<float>(DType::F32, {3}, {1, 2, 2});
  EXPECT_ERROR(run("onnx.Resize", {&in, nullptr, &threeScales}, {&out}),
               "one entry per axis");
}

//===----------------------------------------------------------------------===//
// Corrupted steps
//===----------------------------------------------------------------------===//

TEST(LayoutKernels, RandomCorruptStepsFailCleanly) {
  struct Op {
    const char *name;
    size_t numIn, numOut;
  };
  const Op ops[] = {{"Concat", 3, 1},    {"ConstantOfShape", 1, 1},
                    {"Expand", 2, 1},    {"Flatten", 1, 1},
                    {"Gather", 2, 1},    {"Pad", 4, 1},
                    {"Range", 3, 1},     {"Reshape", 2, 1},
                    {"Resize", 4, 1},    {"Shape", 1, 1},
                    {"Slice", 5, 1},     {"Split", 2, 3},
                    {"Squeeze", 2, 1},   {"Tile", 2, 1},
                    {"Transpose", 1, 1}, {"Unsqueeze", 2, 1}};
  unsigned seed = 1;
  for (const Op &op : ops)
    fuzzCorruptSteps(std::string("onnx.") + op.name, op.numIn, op.numOut,
                     seed++);
}

} // namespace
