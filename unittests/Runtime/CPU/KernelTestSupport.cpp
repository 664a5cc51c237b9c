//===- KernelTestSupport.cpp - Shared CPU kernel test helpers -------------===//

#include "KernelTestSupport.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <random>
#include <utility>

namespace intr::cpu::kerneltest {

TensorArg view(Tensor *t) {
  // An empty tensor has an address all the same, as a plan's have in its
  // arena: a null one would read as an omitted operand.
  alignas(64) static std::byte emptyStorage[64];
  TensorArg arg;
  if (t) {
    arg.data = t->sizeInBytes() ? t->rawData() : emptyStorage;
    arg.dtype = t->dtype();
    arg.shape = t->shape();
  }
  return arg;
}

Status run(const std::string &op, std::vector<Tensor *> ins,
           std::vector<Tensor *> outs, const AttrMap &attrs, int threads) {
  Kernel kernel = KernelRegistry::cpu().find(op);
  if (!kernel)
    return Error("no kernel for " + op);
  std::vector<TensorArg> inputs, outputs;
  for (Tensor *t : ins)
    inputs.push_back(view(t));
  for (Tensor *t : outs)
    outputs.push_back(view(t));
  return kernel(KernelArgs{inputs, outputs, attrs, threads});
}

Status runViews(const std::string &op, const std::vector<TensorArg> &inputs,
                const std::vector<TensorArg> &outputs, const AttrMap &attrs,
                int threads) {
  Kernel kernel = KernelRegistry::cpu().find(op);
  if (!kernel)
    return Error("no kernel for " + op);
  return kernel(KernelArgs{inputs, outputs, attrs, threads});
}

Tensor randomTensor(std::vector<int64_t> shape, float lo, float hi) {
  static std::mt19937 generator(1234);
  std::uniform_real_distribution<float> uniform(lo, hi);
  Tensor tensor(DType::F32, std::move(shape));
  float *data = tensor.data<float>();
  for (int64_t i = 0; i < tensor.numElements(); ++i)
    data[i] = uniform(generator);
  return tensor;
}

TensorArg arg(Tensor &t) { return view(&t); }

TensorArg none() { return TensorArg{}; }

void expectError(const std::string &op, const std::vector<TensorArg> &inputs,
                 const std::vector<TensorArg> &outputs, const AttrMap &attrs,
                 const std::string &what) {
  Status status = runViews(op, inputs, outputs, attrs);
  ASSERT_FALSE(status.isOk()) << op << " accepted a bad step (" << what << ")";
  EXPECT_NE(status.error().message().find(op), std::string::npos)
      << status.error().message();
  EXPECT_NE(status.error().message().find(what), std::string::npos)
      << status.error().message();
}

void expectClose(const Tensor &actual, const std::vector<double> &expected,
                 double tolerance) {
  ASSERT_EQ(actual.numElements(), static_cast<int64_t>(expected.size()));
  const float *data = actual.data<float>();
  int reported = 0;
  for (size_t i = 0; i < expected.size(); ++i) {
    double bound = tolerance * std::max(1.0, std::fabs(expected[i]));
    if (std::fabs(data[i] - expected[i]) <= bound)
      continue;
    ADD_FAILURE() << "element " << i << ": got " << data[i] << ", expected "
                  << expected[i];
    if (++reported == 5)
      return;
  }
}

AttrValue ints(std::vector<int64_t> values) {
  return AttrValue{values, {}, ""};
}

AttrValue floats(std::vector<double> values) {
  return AttrValue{{}, values, ""};
}

AttrValue real(double value) { return AttrValue{{}, {value}, ""}; }

AttrValue str(std::string value) { return AttrValue{{}, {}, value}; }

void fuzzCorruptSteps(const std::string &op, size_t numIn, size_t numOut,
                      unsigned seed) {
  std::mt19937 rng(seed);
  auto pick = [&](int n) { return static_cast<int>(rng() % n); };
  const DType dtypes[] = {DType::F32, DType::I64, DType::I32, DType::Bool,
                          DType::F16, DType::U8,  DType::BF16};
  for (int iteration = 0; iteration < 400; ++iteration) {
    std::vector<Tensor> tensors;
    tensors.reserve(numIn + numOut);
    // Often one element type for all, so that some calls succeed.
    DType common = dtypes[pick(7)];
    bool same = pick(2);
    std::vector<int64_t> base(pick(5));
    for (int64_t &size : base)
      size = pick(4);
    for (size_t i = 0; i < numIn + numOut; ++i) {
      std::vector<int64_t> shape = base;
      if (pick(2))
        for (int64_t &size : shape)
          size = pick(3) ? size : pick(4);
      if (pick(4) == 0)
        shape.resize(pick(4), 1);
      Tensor t(same ? common : dtypes[pick(7)], shape);
      auto *bytes = static_cast<uint8_t *>(t.rawData());
      for (size_t b = 0; b < t.sizeInBytes(); ++b)
        bytes[b] = static_cast<uint8_t>(rng());
      if (t.dtype() == DType::I64 || t.dtype() == DType::I32)
        for (int64_t e = 0; e < t.numElements(); ++e) {
          int64_t v = pick(9) - 4;
          if (t.dtype() == DType::I64)
            t.data<int64_t>()[e] =
                pick(20) ? v
                         : (pick(2) ? 1 : -1) *
                               static_cast<int64_t>(uint64_t(rng()) << 31);
          else
            t.data<int32_t>()[e] = static_cast<int32_t>(v);
        }
      tensors.push_back(std::move(t));
    }
    std::vector<Tensor *> ins, outs;
    for (size_t i = 0; i < numIn; ++i)
      ins.push_back(i > 0 && pick(5) == 0 ? nullptr : &tensors[i]);
    for (size_t i = 0; i < numOut; ++i)
      outs.push_back(&tensors[numIn + i]);
    AttrMap attrs;
    auto randomInts = [&](int n) {
      std::vector<int64_t> values(n);
      for (int64_t &v : values)
        v = pick(7) - 3;
      return values;
    };
    for (const char *name :
         {"axis", "keepdims", "noop_with_empty_axes", "exclusive", "reverse",
          "start", "end", "num_outputs", "allowzero", "channels_last",
          "groups"})
      if (pick(3))
        attrs.set(name, AttrValue{randomInts(1), {}, ""});
    for (const char *name :
         {"axes", "perm", "kernel", "strides", "padding", "dilations"})
      if (pick(2))
        attrs.set(name, AttrValue{randomInts(pick(4)), {}, ""});
    const int64_t castCodes[] = {1, 10, 16, 11, 7, 6, 3, 2, 9, 8};
    attrs.set("to", AttrValue{{castCodes[pick(10)]}, {}, ""});
    const char *modes[] = {"constant", "reflect", "edge", "nearest", "linear"};
    attrs.set("mode", AttrValue{{}, {}, modes[pick(5)]});
    if (pick(2))
      attrs.set("value", AttrValue{{}, {0.5}, ""});
    Status status = run(op, ins, outs, attrs, 1 + pick(3));
    (void)status;
  }
}

} // namespace intr::cpu::kerneltest
