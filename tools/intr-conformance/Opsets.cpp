//===- Opsets.cpp - Reading old-opset node tests at a newer opset ---------===//
//
// Compiled with exceptions: ONNX's schema headers catch them.
//
//===----------------------------------------------------------------------===//

#include "Opsets.h"

#include "onnx/defs/schema.h"
#include "onnx/onnx_pb.h"

namespace intr::conformance {

bool opsUnchangedBetween(const ::onnx::GraphProto &graph, int64_t from,
                         int64_t to) {
  for (const ::onnx::NodeProto &node : graph.node()) {
    if (!node.domain().empty() && node.domain() != "ai.onnx")
      return false;
    const ::onnx::OpSchema *old = ::onnx::OpSchemaRegistry::Schema(
        node.op_type(), static_cast<int>(from), "");
    const ::onnx::OpSchema *newer = ::onnx::OpSchemaRegistry::Schema(
        node.op_type(), static_cast<int>(to), "");
    if (!old || !newer || old->SinceVersion() != newer->SinceVersion())
      return false;
  }
  return true;
}

void loadOpSchemas() { (void)::onnx::OpSchemaRegistry::Schema("Add", ""); }

} // namespace intr::conformance
