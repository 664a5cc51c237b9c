//===- Opsets.h - Reading old-opset node tests at a newer opset -*- C++ -*-===//
//
// Many node tests were exported at the opset where their op last changed
// (Conv at 11, MaxPool at 12, Sin at 7), older than the importer reads. When
// none of a graph's ops changed between that opset and a newer one, the
// model means the same at the newer opset and can be tested there.
//
//===----------------------------------------------------------------------===//

#ifndef INTR_TOOLS_INTR_CONFORMANCE_OPSETS_H
#define INTR_TOOLS_INTR_CONFORMANCE_OPSETS_H

#include <cstdint>

namespace onnx {
class GraphProto;
} // namespace onnx

namespace intr::conformance {

/// True when every node of `graph` in the default domain has the same
/// schema version at opset `from` as at opset `to`, by ONNX's own schema
/// registry.
bool opsUnchangedBetween(const ::onnx::GraphProto &graph, int64_t from,
                         int64_t to);

/// Builds ONNX's schema registry once (so that forked children share it).
void loadOpSchemas();

} // namespace intr::conformance

#endif // INTR_TOOLS_INTR_CONFORMANCE_OPSETS_H
