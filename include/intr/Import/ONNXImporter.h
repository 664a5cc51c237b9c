//===- ONNXImporter.h - ONNX models into the onnx dialect -------*- C++ -*-===//
//
// Turns an ONNX ModelProto into a module holding one func.func, @main, whose
// arguments are the graph's inputs and whose results are its outputs; every
// node becomes one onnx dialect op located by the node's name. Shape
// arithmetic folds while the graph is built, so that with static inputs
// every value gets a static shape.
//
//===----------------------------------------------------------------------===//

#ifndef INTR_IMPORT_ONNXIMPORTER_H
#define INTR_IMPORT_ONNXIMPORTER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace mlir {
class MLIRContext;
} // namespace mlir

namespace intr {

struct ONNXImportOptions {
  /// Static shapes for graph inputs, by name; they replace the model's
  /// dynamic dimensions (and must agree with its static ones). The name ""
  /// stands for the only input of a single-input model.
  std::map<std::string, std::vector<int64_t>> inputShapes;

  /// Initializers of at most this many elements become dense attributes that
  /// folders read (shape constants); larger ones (weights) become dense
  /// resources, which are never printed as attributes.
  int64_t inlineElementLimit = 1024;

  /// Fold each op as it is built (shape arithmetic becomes constants).
  bool fold = true;
};

/// The name of an ONNX element type number ("FLOAT", "INT4", ...), also of
/// those newer than the ONNX release built against; "type N" for others.
std::string onnxTypeName(int dataType);

/// Parses an --input-shape value, "NAME=1x3x800x1216" or "1x3x800x1216",
/// into `options`.
llvm::Error parseInputShape(llvm::StringRef spec, ONNXImportOptions &options);

/// Imports the model at `path`: binary protobuf (.onnx) or, for files named
/// *.onnxtxt, the ONNX text syntax. External tensor data is read relative to
/// the model's folder. Errors read
///   <file>: node '<name>' (<op_type>, opset N): <reason>
/// or <file>: <reason> when no node is at fault.
llvm::Expected<mlir::OwningOpRef<mlir::ModuleOp>>
importONNXFile(mlir::MLIRContext &context, llvm::StringRef path,
               const ONNXImportOptions &options);

/// Imports a binary ModelProto held in memory; `name` stands for the file in
/// messages, and its folder is where external data is looked up.
llvm::Expected<mlir::OwningOpRef<mlir::ModuleOp>>
importONNXBytes(mlir::MLIRContext &context, llvm::StringRef bytes,
                llvm::StringRef name, const ONNXImportOptions &options);

} // namespace intr

#endif // INTR_IMPORT_ONNXIMPORTER_H
