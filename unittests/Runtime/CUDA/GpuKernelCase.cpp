//===- GpuKernelCase.cpp - One CUDA kernel against its CPU twin -----------===//

#include "GpuKernelCase.h"

#include "CPU/ElementwiseSupport.h"
#include "CUDA/CudaKernel.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <memory>
#include <random>
#include <sstream>

namespace intr::gputest {
namespace {

std::mt19937 &generator() {
  static std::mt19937 instance(20261126);
  return instance;
}

/// Device memory that frees itself.
struct DeviceMemory {
  void *data = nullptr;
  ~DeviceMemory() { cudaFree(data); }
};

double elementAsDouble(const Tensor &tensor, int64_t index) {
  switch (tensor.dtype()) {
  case DType::F32:
    return tensor.data<float>()[index];
  case DType::F64:
    return tensor.data<double>()[index];
  case DType::I64:
    return static_cast<double>(tensor.data<int64_t>()[index]);
  case DType::I32:
    return tensor.data<int32_t>()[index];
  case DType::I8:
    return tensor.data<int8_t>()[index];
  case DType::U8:
  case DType::Bool:
    return tensor.data<uint8_t>()[index];
  case DType::F16:
    return cpu::halfToFloat({tensor.data<uint16_t>()[index]});
  case DType::BF16: {
    uint32_t word = uint32_t(tensor.data<uint16_t>()[index]) << 16;
    float value;
    std::memcpy(&value, &word, sizeof value);
    return value;
  }
  }
  return 0;
}

bool isFloat(DType dtype) {
  return dtype == DType::F32 || dtype == DType::F64 || dtype == DType::F16 ||
         dtype == DType::BF16;
}

} // namespace

// Creating handles per test would dominate the run time.
cuda::Context *sharedContext() {
  static std::unique_ptr<cuda::Context> context = [] {
    Expected<std::unique_ptr<cuda::Context>> created =
        cuda::Context::create(0);
    if (!created) {
      ADD_FAILURE() << created.error().message();
      return std::unique_ptr<cuda::Context>();
    }
    return std::move(*created);
  }();
  return context.get();
}

Tensor randomTensor(std::vector<int64_t> shape, float lo, float hi,
                    DType dtype) {
  Tensor tensor(dtype, std::move(shape));
  int64_t count = tensor.numElements();
  if (dtype == DType::F32 || dtype == DType::F16 || dtype == DType::BF16) {
    std::uniform_real_distribution<float> uniform(lo, hi);
    for (int64_t i = 0; i < count; ++i) {
      float value = uniform(generator());
      if (dtype == DType::F32)
        tensor.data<float>()[i] = value;
      else if (dtype == DType::F16)
        tensor.data<cpu::Half>()[i] = cpu::halfFromDouble(value);
      else
        tensor.data<cpu::BFloat16>()[i] = cpu::bfloat16FromDouble(value);
    }
    return tensor;
  }
  std::uniform_int_distribution<int64_t> uniform(static_cast<int64_t>(lo),
                                                 static_cast<int64_t>(hi));
  for (int64_t i = 0; i < count; ++i) {
    int64_t value = uniform(generator());
    switch (dtype) {
    case DType::I64:
      tensor.data<int64_t>()[i] = value;
      break;
    case DType::I32:
      tensor.data<int32_t>()[i] = static_cast<int32_t>(value);
      break;
    case DType::I8:
      tensor.data<int8_t>()[i] = static_cast<int8_t>(value);
      break;
    case DType::U8:
      tensor.data<uint8_t>()[i] = static_cast<uint8_t>(value);
      break;
    case DType::Bool:
      tensor.data<uint8_t>()[i] = static_cast<uint8_t>(value & 1);
      break;
    case DType::F64:
      tensor.data<double>()[i] = static_cast<double>(value);
      break;
    default:
      ADD_FAILURE() << "randomTensor: unsupported dtype "
                    << dtypeName(dtype);
      return tensor;
    }
  }
  return tensor;
}

int64_t countMismatches(const Tensor &actual, const Tensor &expected,
                        double atol, double rtol, std::string *first) {
  if (actual.shape() != expected.shape() ||
      actual.dtype() != expected.dtype()) {
    *first = std::string("shape or dtype differs: ") +
             dtypeName(actual.dtype()) + " " + formatShape(actual.shape()) +
             " vs " + dtypeName(expected.dtype()) + " " +
             formatShape(expected.shape());
    return std::max<int64_t>(1, expected.numElements());
  }
  bool exact = !isFloat(expected.dtype());
  int64_t count = 0;
  for (int64_t e = 0; e < expected.numElements(); ++e) {
    double want = elementAsDouble(expected, e);
    double got = elementAsDouble(actual, e);
    bool same =
        exact ? want == got
              : (std::isnan(want) && std::isnan(got)) ||
                    (std::isinf(want) && want == got) ||
                    (std::isfinite(got - want) &&
                     std::fabs(got - want) <= atol + rtol * std::fabs(want));
    // Asked for the same bits (no tolerance), a zero's sign counts too:
    // -0.0 == +0.0 would hide a kernel that loses it.
    if (same && !exact && atol == 0 && rtol == 0 && want == 0)
      same = std::signbit(want) == std::signbit(got);
    if (!same && count++ == 0) {
      std::ostringstream text;
      text << "element " << e << ": " << got << " vs " << want;
      *first = text.str();
    }
  }
  return count;
}

Tensor tensorOf(std::vector<int64_t> shape, const std::vector<float> &values) {
  Tensor tensor(DType::F32, std::move(shape));
  EXPECT_EQ(static_cast<int64_t>(values.size()), tensor.numElements());
  std::memcpy(tensor.rawData(), values.data(),
              std::min(tensor.sizeInBytes(), values.size() * sizeof(float)));
  return tensor;
}

Tensor int64TensorOf(std::vector<int64_t> shape,
                     const std::vector<int64_t> &values) {
  Tensor tensor(DType::I64, std::move(shape));
  EXPECT_EQ(static_cast<int64_t>(values.size()), tensor.numElements());
  std::memcpy(tensor.rawData(), values.data(),
              std::min(tensor.sizeInBytes(), values.size() * sizeof(int64_t)));
  return tensor;
}

Tensor bytesTensorOf(DType dtype, std::vector<int64_t> shape, const void *data,
                     size_t bytes) {
  Tensor tensor(dtype, std::move(shape));
  EXPECT_EQ(bytes, tensor.sizeInBytes());
  if (bytes == tensor.sizeInBytes() && bytes != 0)
    std::memcpy(tensor.rawData(), data, bytes);
  return tensor;
}

Tensor int32TensorOf(std::vector<int64_t> shape,
                     const std::vector<int32_t> &values) {
  return typedTensorOf(DType::I32, std::move(shape), values);
}

cpu::AttrValue ints(std::vector<int64_t> values) {
  cpu::AttrValue value;
  value.ints = std::move(values);
  return value;
}

cpu::AttrValue real(double number) {
  cpu::AttrValue value;
  value.floats = {number};
  return value;
}

cpu::AttrValue reals(std::vector<double> numbers) {
  cpu::AttrValue value;
  value.floats = std::move(numbers);
  return value;
}

cpu::AttrValue str(std::string text) {
  cpu::AttrValue value;
  value.str = std::move(text);
  return value;
}

KernelCase &KernelCase::input(Tensor tensor) {
  inputs.emplace_back(std::move(tensor));
  views.emplace_back(std::nullopt);
  return *this;
}

KernelCase &KernelCase::noInput() {
  inputs.emplace_back(std::nullopt);
  views.emplace_back(std::nullopt);
  return *this;
}

size_t KernelCase::storage(Tensor tensor) {
  storages.push_back(std::move(tensor));
  return storages.size() - 1;
}

KernelCase &KernelCase::inputView(size_t id, int64_t offset,
                                  std::vector<int64_t> shape) {
  EXPECT_LT(id, storages.size()) << "no storage " << id;
  EXPECT_LE(offset + elementCount(shape), storages.at(id).numElements())
      << "the view runs past its storage";
  // The shape and dtype stand here; the elements are the storage's.
  inputs.emplace_back(Tensor(storages.at(id).dtype(), std::move(shape)));
  views.emplace_back(View{id, offset});
  return *this;
}

KernelCase &KernelCase::output(DType dtype, std::vector<int64_t> shape) {
  outputs.emplace_back(Tensor(dtype, std::move(shape)));
  return *this;
}

KernelCase &KernelCase::noOutput() {
  outputs.emplace_back(std::nullopt);
  return *this;
}

KernelCase &KernelCase::attr(std::string name, cpu::AttrValue value) {
  attrs.set(std::move(name), std::move(value));
  return *this;
}

KernelCase &KernelCase::tolerance(double absolute, double relative) {
  atol = absolute;
  rtol = relative;
  return *this;
}

Status KernelCase::runOnGpu() const {
  gpuResults.clear();
  cuda::Kernel gpuKernel = cuda::KernelRegistry::cuda().find(kernel);
  if (!gpuKernel)
    return Error("the CUDA backend has no kernel " + kernel);
  cuda::Context *shared = sharedContext();
  if (!shared)
    return Error("no CUDA context for the test");
  cuda::Context &context = *shared;

  std::vector<std::unique_ptr<DeviceMemory>> memory;
  auto upload = [&](const std::optional<Tensor> &tensor, bool fillNaN,
                    cuda::TensorArg &arg) -> Status {
    if (!tensor)
      return Status::ok();
    // An empty tensor has no storage, as on the CPU side (rawData() of no
    // bytes): kernels see the same presence on both.
    if (tensor->sizeInBytes() == 0) {
      arg = {nullptr, tensor->dtype(), tensor->shape()};
      return Status::ok();
    }
    memory.push_back(std::make_unique<DeviceMemory>());
    size_t bytes = std::max<size_t>(tensor->sizeInBytes(), 1);
    if (Status status = cuda::check(cudaMalloc(&memory.back()->data, bytes),
                                    "allocating a test operand");
        !status)
      return status;
    arg = {memory.back()->data, tensor->dtype(), tensor->shape()};
    // On the kernel's stream: that stream does not wait for the legacy
    // default one, so a plain cudaMemset could land after the kernel.
    if (fillNaN) // all-ones bits: NaN for floats, -1 or true otherwise
      return cuda::check(cudaMemsetAsync(arg.data, 0xff, bytes, context.stream),
                         "filling");
    return cuda::check(cudaMemcpyAsync(arg.data, tensor->rawData(),
                                       tensor->sizeInBytes(),
                                       cudaMemcpyHostToDevice, context.stream),
                       "uploading a test operand");
  };
  std::vector<cuda::TensorArg> storageArgs(storages.size()),
      inputArgs(inputs.size()), outputArgs(outputs.size());
  for (size_t i = 0; i < storages.size(); ++i)
    if (Status status = upload(storages[i], false, storageArgs[i]); !status)
      return status;
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (const std::optional<View> &view = views[i]) {
      const cuda::TensorArg &base = storageArgs[view->storage];
      inputArgs[i] = {static_cast<std::byte *>(base.data) +
                          view->offset * dtypeSize(base.dtype),
                      base.dtype, inputs[i]->shape()};
      continue;
    }
    if (Status status = upload(inputs[i], false, inputArgs[i]); !status)
      return status;
  }
  for (size_t i = 0; i < outputs.size(); ++i)
    if (Status status = upload(outputs[i], true, outputArgs[i]); !status)
      return status;

  cuda::KernelCall call{inputArgs, outputArgs, attrs, context};
  Status status = gpuKernel(call);
  Status synced = cuda::check(cudaStreamSynchronize(context.stream),
                              "running " + kernel);
  if (!status)
    return status;
  if (!synced)
    return synced;
  for (size_t i = 0; i < outputs.size(); ++i) {
    if (!outputs[i]) {
      gpuResults.emplace_back();
      continue;
    }
    Tensor result(outputs[i]->dtype(), outputs[i]->shape());
    if (Status copied = cuda::check(
            cudaMemcpy(result.rawData(), outputArgs[i].data,
                       result.sizeInBytes(), cudaMemcpyDeviceToHost),
            "downloading a result");
        !copied)
      return copied;
    gpuResults.push_back(std::move(result));
  }
  return Status::ok();
}

void KernelCase::check() const {
  cpu::Kernel cpuKernel = cpu::KernelRegistry::cpu().find(kernel);
  ASSERT_NE(cpuKernel, nullptr) << "the CPU backend has no kernel " << kernel;
  std::vector<cpu::TensorArg> inputArgs, outputArgs;
  std::vector<Tensor> cpuInputs, cpuResults,
      cpuStorages(storages.begin(), storages.end());
  cpuInputs.reserve(inputs.size());
  cpuResults.reserve(outputs.size());
  for (size_t i = 0; i < inputs.size(); ++i) {
    const std::optional<Tensor> &tensor = inputs[i];
    if (!tensor) {
      inputArgs.emplace_back();
      continue;
    }
    if (const std::optional<View> &view = views[i]) {
      Tensor &base = cpuStorages[view->storage];
      inputArgs.push_back({static_cast<std::byte *>(base.rawData()) +
                               view->offset * dtypeSize(base.dtype()),
                           base.dtype(), tensor->shape()});
      continue;
    }
    cpuInputs.push_back(*tensor);
    Tensor &copy = cpuInputs.back();
    inputArgs.push_back({copy.sizeInBytes() ? copy.rawData() : nullptr,
                         copy.dtype(), copy.shape()});
  }
  for (const std::optional<Tensor> &tensor : outputs) {
    if (!tensor) {
      outputArgs.emplace_back();
      continue;
    }
    cpuResults.emplace_back(tensor->dtype(), tensor->shape());
    Tensor &result = cpuResults.back();
    outputArgs.push_back({result.sizeInBytes() ? result.rawData() : nullptr,
                          result.dtype(), result.shape()});
  }
  Status reference =
      cpuKernel(cpu::KernelArgs{inputArgs, outputArgs, attrs, 2});
  ASSERT_TRUE(reference.isOk())
      << "CPU " << kernel << ": " << reference.error().message();

  Status status = runOnGpu();
  ASSERT_TRUE(status.isOk()) << "CUDA " << status.error().message();

  size_t cpuIndex = 0;
  for (size_t i = 0; i < outputs.size(); ++i) {
    if (!outputs[i])
      continue;
    const Tensor &expected = cpuResults[cpuIndex++];
    std::string first;
    int64_t mismatches =
        countMismatches(gpuResults[i], expected, atol, rtol, &first);
    EXPECT_EQ(mismatches, 0)
        << kernel << " output " << i << " " << formatShape(expected.shape())
        << ": " << mismatches << " of " << expected.numElements()
        << " elements differ; first (GPU vs CPU): " << first;
  }
}

void expectRefused(const KernelCase &step, const std::string &what) {
  Status status = step.runOnGpu();
  ASSERT_FALSE(status.isOk()) << "expected an error naming \"" << what << "\"";
  EXPECT_NE(status.error().message().find(what), std::string::npos)
      << status.error().message();
}

void expectSomeError(const KernelCase &step, const std::string &what) {
  EXPECT_FALSE(step.runOnGpu().isOk()) << what;
}

} // namespace intr::gputest
