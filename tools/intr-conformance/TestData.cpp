//===- TestData.cpp - ONNX TensorProto files as runtime tensors -----------===//

#include "TestData.h"

#include "intr/Import/ONNXImporter.h"

#include "intr/Support/RoundFloat.h"

#include "onnx/onnx_pb.h"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <limits>
#include <sstream>

namespace intr::conformance {
namespace {

/// Test tensors are small; anything past this is a corrupted file, and
/// refusing it keeps a bad size from turning into a failed allocation.
constexpr int64_t kMaxTensorBytes = int64_t(1) << 30;

TensorFile failure(std::string message, bool unsupported = false) {
  TensorFile file;
  file.error = std::move(message);
  file.unsupported = unsupported;
  return file;
}

bool mapDataType(int dataType, DType &dtype) {
  switch (dataType) {
  case ::onnx::TensorProto::FLOAT:
    dtype = DType::F32;
    return true;
  case ::onnx::TensorProto::FLOAT16:
    dtype = DType::F16;
    return true;
  case ::onnx::TensorProto::BFLOAT16:
    dtype = DType::BF16;
    return true;
  case ::onnx::TensorProto::DOUBLE:
    dtype = DType::F64;
    return true;
  case ::onnx::TensorProto::INT64:
    dtype = DType::I64;
    return true;
  case ::onnx::TensorProto::INT32:
    dtype = DType::I32;
    return true;
  case ::onnx::TensorProto::INT8:
    dtype = DType::I8;
    return true;
  case ::onnx::TensorProto::UINT8:
    dtype = DType::U8;
    return true;
  case ::onnx::TensorProto::BOOL:
    dtype = DType::Bool;
    return true;
  default:
    return false;
  }
}

/// Stores the repeated field's values, narrowed to `Element`, into `out`.
template <typename Element, typename Field>
void storeNarrowed(const Field &field, void *out) {
  auto *elements = static_cast<Element *>(out);
  for (int i = 0, e = field.size(); i < e; ++i)
    elements[i] = static_cast<Element>(field.Get(i));
}

bool isFloat(DType dtype) {
  return dtype == DType::F32 || dtype == DType::F64 || dtype == DType::F16 ||
         dtype == DType::BF16;
}

double floatAt(const Tensor &tensor, int64_t i) {
  switch (tensor.dtype()) {
  case DType::F32:
    return tensor.data<float>()[i];
  case DType::F64:
    return tensor.data<double>()[i];
  case DType::F16:
    return intr::widenHalfBits(tensor.data<uint16_t>()[i]);
  case DType::BF16:
    return intr::widenBFloat16Bits(tensor.data<uint16_t>()[i]);
  default:
    return 0;
  }
}

int64_t integerAt(const Tensor &tensor, int64_t i) {
  switch (tensor.dtype()) {
  case DType::I64:
    return tensor.data<int64_t>()[i];
  case DType::I32:
    return tensor.data<int32_t>()[i];
  case DType::I8:
    return tensor.data<int8_t>()[i];
  case DType::U8:
    return tensor.data<uint8_t>()[i];
  case DType::Bool:
    return tensor.data<uint8_t>()[i] != 0;
  default:
    return 0;
  }
}

/// "[1, 0, 2]": the multi-index of flat element `flat`.
std::string formatIndex(const std::vector<int64_t> &shape, int64_t flat) {
  std::vector<int64_t> index(shape.size());
  for (size_t d = shape.size(); d-- > 0;) {
    if (shape[d] > 0) {
      index[d] = flat % shape[d];
      flat /= shape[d];
    }
  }
  return formatShape(index);
}

std::string formatNumber(double value) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.7g", value);
  return text;
}

} // namespace

TensorFile convertTensor(const ::onnx::TensorProto &proto) {
  DType dtype;
  if (!mapDataType(proto.data_type(), dtype))
    return failure("element type " + onnxTypeName(proto.data_type()) +
                       " is not supported",
                   /*unsupported=*/true);
  if (proto.data_location() == ::onnx::TensorProto::EXTERNAL)
    return failure("external data is not supported in test files");
  if (proto.has_segment())
    return failure("segmented tensors are not supported");

  std::vector<int64_t> shape(proto.dims().begin(), proto.dims().end());
  int64_t elementSize = static_cast<int64_t>(dtypeSize(dtype));
  int64_t count = 1;
  for (int64_t size : shape) {
    if (size < 0)
      return failure("negative dimension " + std::to_string(size));
    if (size != 0 && count > kMaxTensorBytes / elementSize / size)
      return failure("shape " + formatShape(shape) + " is too large");
    count *= size;
  }
  int64_t bytes = count * elementSize;

  TensorFile file;
  file.name = proto.name();
  if (proto.has_raw_data()) {
    if (static_cast<int64_t>(proto.raw_data().size()) != bytes)
      return failure("shape " + formatShape(shape) + " needs " +
                     std::to_string(bytes) + " bytes, raw_data has " +
                     std::to_string(proto.raw_data().size()));
    file.tensor = Tensor(dtype, shape);
    if (bytes)
      std::memcpy(file.tensor.rawData(), proto.raw_data().data(), bytes);
    // ONNX bools are bytes, but only 0 and 1 are meaningful.
    if (dtype == DType::Bool)
      for (int64_t i = 0; i < count; ++i)
        file.tensor.data<uint8_t>()[i] = file.tensor.data<uint8_t>()[i] != 0;
    return file;
  }

  int64_t given = 0;
  switch (dtype) {
  case DType::F32:
    given = proto.float_data_size();
    break;
  case DType::F64:
    given = proto.double_data_size();
    break;
  case DType::I64:
    given = proto.int64_data_size();
    break;
  default: // every narrower type is widened into int32_data
    given = proto.int32_data_size();
    break;
  }
  if (given != count)
    return failure("shape " + formatShape(shape) + " has " +
                   std::to_string(count) + " elements, the tensor gives " +
                   std::to_string(given));
  file.tensor = Tensor(dtype, shape);
  void *out = file.tensor.rawData();
  switch (dtype) {
  case DType::F32:
    storeNarrowed<float>(proto.float_data(), out);
    break;
  case DType::F64:
    storeNarrowed<double>(proto.double_data(), out);
    break;
  case DType::I64:
    storeNarrowed<int64_t>(proto.int64_data(), out);
    break;
  case DType::I32:
    storeNarrowed<int32_t>(proto.int32_data(), out);
    break;
  case DType::F16:
  case DType::BF16:
    storeNarrowed<uint16_t>(proto.int32_data(), out);
    break;
  case DType::I8:
    storeNarrowed<int8_t>(proto.int32_data(), out);
    break;
  case DType::U8:
    storeNarrowed<uint8_t>(proto.int32_data(), out);
    break;
  case DType::Bool: {
    auto *elements = static_cast<uint8_t *>(out);
    for (int64_t i = 0; i < count; ++i)
      elements[i] = proto.int32_data(static_cast<int>(i)) != 0;
    break;
  }
  }
  return file;
}

TensorFile readTensorFile(const std::string &path, int declaredType) {
  std::ifstream stream(path, std::ios::binary);
  if (!stream)
    return failure(path + ": cannot open");
  std::stringstream contents;
  contents << stream.rdbuf();
  std::string bytes = contents.str();
  if (bytes.size() > static_cast<size_t>(std::numeric_limits<int>::max()))
    return failure(path + ": too large");
  ::onnx::TensorProto proto;
  if (!proto.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
    return failure(path + ": not a serialized TensorProto");
  if (proto.data_type() == ::onnx::TensorProto::UINT16 &&
      declaredType == ::onnx::TensorProto::BFLOAT16)
    proto.set_data_type(::onnx::TensorProto::BFLOAT16);
  TensorFile file = convertTensor(proto);
  if (!file.error.empty())
    file.error = path + ": " + file.error;
  return file;
}

std::string compareTensors(const Tensor &actual, const Tensor &expected) {
  if (actual.dtype() != expected.dtype())
    return std::string("dtype ") + dtypeName(actual.dtype()) + ", expected " +
           dtypeName(expected.dtype());
  if (actual.shape() != expected.shape())
    return "shape " + formatShape(actual.shape()) + ", expected " +
           formatShape(expected.shape());

  int64_t count = expected.numElements();
  int64_t mismatches = 0;
  int64_t worst = -1;
  double worstDiff = -1;
  bool floating = isFloat(expected.dtype());
  for (int64_t i = 0; i < count; ++i) {
    double diff;
    if (floating) {
      double a = floatAt(actual, i), e = floatAt(expected, i);
      if (std::isnan(a) || std::isnan(e)) {
        if (std::isnan(a) && std::isnan(e))
          continue;
        diff = std::numeric_limits<double>::infinity();
      } else if (std::isinf(a) || std::isinf(e)) {
        if (a == e)
          continue;
        diff = std::numeric_limits<double>::infinity();
      } else {
        diff = std::fabs(a - e);
        if (diff <= kAbsoluteTolerance + kRelativeTolerance * std::fabs(e))
          continue;
      }
    } else {
      int64_t a = integerAt(actual, i), e = integerAt(expected, i);
      if (a == e)
        continue;
      diff = std::fabs(static_cast<double>(a) - static_cast<double>(e));
    }
    ++mismatches;
    if (diff > worstDiff) {
      worstDiff = diff;
      worst = i;
    }
  }
  if (!mismatches)
    return "";

  auto value = [&](const Tensor &tensor) {
    return floating ? formatNumber(floatAt(tensor, worst))
                    : std::to_string(integerAt(tensor, worst));
  };
  return std::to_string(mismatches) + " of " + std::to_string(count) +
         " elements differ, max abs diff " + formatNumber(worstDiff) + " at " +
         formatIndex(expected.shape(), worst) + " (got " + value(actual) +
         ", expected " + value(expected) + ")";
}

} // namespace intr::conformance
