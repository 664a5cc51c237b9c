//===- TestData.h - ONNX TensorProto files as runtime tensors ---*- C++ -*-===//
//
// The node tests keep their inputs and reference outputs as serialized
// onnx::TensorProto files (input_K.pb, output_K.pb). These helpers turn them
// into intr::Tensor and compare the runtime's outputs with them the way
// ONNX's backend test runner does (numpy.testing.assert_allclose).
//
//===----------------------------------------------------------------------===//

#ifndef INTR_TOOLS_INTR_CONFORMANCE_TESTDATA_H
#define INTR_TOOLS_INTR_CONFORMANCE_TESTDATA_H

#include "intr/runtime/Tensor.h"

#include <string>

namespace onnx {
class TensorProto;
} // namespace onnx

namespace intr::conformance {

/// ONNX's default tolerances for node tests (onnx/backend/test/case/node:
/// expect() passes rtol=1e-3, atol=1e-7 to the runner).
constexpr double kRelativeTolerance = 1e-3;
constexpr double kAbsoluteTolerance = 1e-7;

/// A test file read into a tensor, or why not.
struct TensorFile {
  /// The name the file gives the tensor (may be empty).
  std::string name;
  Tensor tensor;
  /// Empty on success. `unsupported` tells an element type we do not run
  /// (string, uint16, ...) from a malformed file.
  std::string error;
  bool unsupported = false;
};

/// Reads the serialized TensorProto at `path`. Never crashes on a bad file:
/// sizes, element counts and byte counts are checked. `declaredType` is the
/// element type the graph gives the value: ONNX stores bfloat16 test data
/// as UINT16 (numpy has no bfloat16), which then reads as bfloat16.
TensorFile readTensorFile(const std::string &path, int declaredType);

/// Converts a parsed TensorProto (raw_data or the typed fields).
TensorFile convertTensor(const ::onnx::TensorProto &proto);

/// Compares `actual` with `expected`: same dtype and shape, floats within
/// |a - e| <= atol + rtol * |e| (NaN matches NaN, infinities match when
/// equal), everything else exactly. Returns "" when they match, else one
/// line saying how they differ (count, max abs diff and where).
std::string compareTensors(const Tensor &actual, const Tensor &expected);

} // namespace intr::conformance

#endif // INTR_TOOLS_INTR_CONFORMANCE_TESTDATA_H
