//===- ONNXImporterTest.cpp - The importer's API --------------------------===//
//
// Builds ModelProtos in memory and checks what the importer makes of the
// ways ONNX stores tensor data and of --input-shape values.
//
//===----------------------------------------------------------------------===//

#include "intr/Import/ONNXImporter.h"

#include "intr/Dialect/ONNX/IR/ONNXOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/MLIRContext.h"

#include "onnx/onnx_pb.h"

#include <gtest/gtest.h>

using namespace mlir;
namespace proto = ::onnx;

namespace {

/// A model whose graph returns the initializer `tensor` through Identity.
proto::ModelProto modelReturning(const proto::TensorProto &tensor,
                                 int opset = 14) {
  proto::ModelProto model;
  model.set_ir_version(8);
  proto::OperatorSetIdProto *entry = model.add_opset_import();
  entry->set_domain("");
  entry->set_version(opset);
  proto::GraphProto *graph = model.mutable_graph();
  graph->set_name("g");
  *graph->add_initializer() = tensor;
  proto::NodeProto *node = graph->add_node();
  node->set_op_type("Identity");
  node->set_name("copy");
  node->add_input(tensor.name());
  node->add_output("Y");
  graph->add_output()->set_name("Y");
  return model;
}

/// Imports `model` and returns the value of the constant @main returns.
ElementsAttr importReturnedConstant(MLIRContext &context,
                                    const proto::ModelProto &model,
                                    const intr::ONNXImportOptions &options,
                                    OwningOpRef<ModuleOp> &module) {
  std::string bytes = model.SerializeAsString();
  llvm::Expected<OwningOpRef<ModuleOp>> imported =
      intr::importONNXBytes(context, bytes, "test.onnx", options);
  if (!imported) {
    ADD_FAILURE() << llvm::toString(imported.takeError());
    return nullptr;
  }
  module = std::move(*imported);
  auto main = module->lookupSymbol<func::FuncOp>("main");
  Value returned = main.getBody().back().getTerminator()->getOperand(0);
  return cast<intr::onnx::ConstantOp>(returned.getDefiningOp()).getValue();
}

// Tests that typed float storage (float_data) becomes an inline constant.
TEST(ONNXImporter, ReadsFloatData) {
  proto::TensorProto tensor;
  tensor.set_name("W");
  tensor.set_data_type(proto::TensorProto::FLOAT);
  tensor.add_dims(3);
  for (float value : {1.5f, -2.0f, 0.25f})
    tensor.add_float_data(value);
  MLIRContext context;
  OwningOpRef<ModuleOp> module;
  ElementsAttr value =
      importReturnedConstant(context, modelReturning(tensor), {}, module);
  ASSERT_TRUE(value);
  auto dense = dyn_cast<DenseElementsAttr>(value);
  ASSERT_TRUE(dense);
  EXPECT_EQ(llvm::to_vector(dense.getValues<float>()),
            (SmallVector<float>{1.5f, -2.0f, 0.25f}));
}

// Tests that raw little-endian int64 data is read, and its shape kept.
TEST(ONNXImporter, ReadsRawInt64Data) {
  proto::TensorProto tensor;
  tensor.set_name("shape");
  tensor.set_data_type(proto::TensorProto::INT64);
  tensor.add_dims(2);
  tensor.add_dims(2);
  int64_t values[] = {1, -1, 1 << 20, 0};
  tensor.set_raw_data(
      std::string(reinterpret_cast<const char *>(values), sizeof(values)));
  MLIRContext context;
  OwningOpRef<ModuleOp> module;
  ElementsAttr value =
      importReturnedConstant(context, modelReturning(tensor), {}, module);
  ASSERT_TRUE(value);
  EXPECT_EQ(cast<ShapedType>(value.getType()).getShape(),
            (ArrayRef<int64_t>{2, 2}));
  EXPECT_EQ(llvm::to_vector(value.getValues<int64_t>()),
            (SmallVector<int64_t>{1, -1, 1 << 20, 0}));
}

// Tests that bools stored widened in int32_data become i1 elements.
TEST(ONNXImporter, ReadsBoolData) {
  proto::TensorProto tensor;
  tensor.set_name("mask");
  tensor.set_data_type(proto::TensorProto::BOOL);
  tensor.add_dims(3);
  for (int value : {1, 0, 1})
    tensor.add_int32_data(value);
  MLIRContext context;
  OwningOpRef<ModuleOp> module;
  ElementsAttr value =
      importReturnedConstant(context, modelReturning(tensor), {}, module);
  ASSERT_TRUE(value);
  EXPECT_TRUE(cast<ShapedType>(value.getType()).getElementType().isInteger(1));
  EXPECT_EQ(llvm::to_vector(value.getValues<bool>()),
            (SmallVector<bool>{true, false, true}));
}

// Tests that half floats stored as bit patterns in int32_data keep their bits.
TEST(ONNXImporter, ReadsFloat16Bits) {
  proto::TensorProto tensor;
  tensor.set_name("h");
  tensor.set_data_type(proto::TensorProto::FLOAT16);
  tensor.add_dims(2);
  tensor.add_int32_data(0x3C00); // 1.0
  tensor.add_int32_data(0xC000); // -2.0
  MLIRContext context;
  OwningOpRef<ModuleOp> module;
  ElementsAttr value =
      importReturnedConstant(context, modelReturning(tensor), {}, module);
  ASSERT_TRUE(value);
  auto dense = cast<DenseElementsAttr>(value);
  SmallVector<double> floats;
  for (const APFloat &element : dense.getValues<APFloat>())
    floats.push_back(element.convertToDouble());
  EXPECT_EQ(floats, (SmallVector<double>{1.0, -2.0}));
}

// Tests that tensors above the inline limit become dense resources holding
// the same bytes, and that the limit is the caller's choice.
TEST(ONNXImporter, LargeTensorsBecomeResources) {
  proto::TensorProto tensor;
  tensor.set_name("weights");
  tensor.set_data_type(proto::TensorProto::FLOAT);
  tensor.add_dims(100);
  for (int i = 0; i < 100; ++i)
    tensor.add_float_data(static_cast<float>(i) * 0.5f);
  intr::ONNXImportOptions options;
  options.inlineElementLimit = 10;
  MLIRContext context;
  OwningOpRef<ModuleOp> module;
  ElementsAttr value =
      importReturnedConstant(context, modelReturning(tensor), options, module);
  ASSERT_TRUE(value);
  auto resource = dyn_cast<DenseResourceElementsAttr>(value);
  ASSERT_TRUE(resource);
  AsmResourceBlob *blob = resource.getRawHandle().getBlob();
  ASSERT_TRUE(blob);
  ArrayRef<float> floats = blob->getDataAs<float>();
  ASSERT_EQ(floats.size(), 100u);
  EXPECT_EQ(floats[0], 0.0f);
  EXPECT_EQ(floats[99], 49.5f);
}

// Tests that two initializers with the same type and bytes share one
// resource (so that CSE merges what reads them), and different ones do not.
TEST(ONNXImporter, IdenticalWeightsShareOneResource) {
  proto::ModelProto model;
  model.set_ir_version(8);
  proto::OperatorSetIdProto *entry = model.add_opset_import();
  entry->set_version(14);
  proto::GraphProto *graph = model.mutable_graph();
  for (const char *name : {"A", "B", "C"}) {
    proto::TensorProto *tensor = graph->add_initializer();
    tensor->set_name(name);
    tensor->set_data_type(proto::TensorProto::FLOAT);
    tensor->add_dims(2000);
    for (int i = 0; i < 2000; ++i)
      tensor->add_float_data(name[0] == 'C' && i == 1999 ? 7.0f : 0.5f * i);
    graph->add_output()->set_name(name);
  }
  std::string bytes = model.SerializeAsString();
  MLIRContext context;
  llvm::Expected<OwningOpRef<ModuleOp>> module =
      intr::importONNXBytes(context, bytes, "test.onnx", {});
  ASSERT_TRUE(static_cast<bool>(module)) << llvm::toString(module.takeError());
  auto main = (*module)->lookupSymbol<func::FuncOp>("main");
  Operation *ret = main.getBody().back().getTerminator();
  auto valueOf = [&](unsigned i) {
    return cast<intr::onnx::ConstantOp>(ret->getOperand(i).getDefiningOp())
        .getValue();
  };
  EXPECT_EQ(valueOf(0), valueOf(1));
  EXPECT_NE(valueOf(0), valueOf(2));
}

// Tests that every error comes back as a value naming the file.
TEST(ONNXImporter, ErrorsAreValues) {
  MLIRContext context;
  llvm::Expected<OwningOpRef<ModuleOp>> imported =
      intr::importONNXBytes(context, "\x08\x96\x01garbage", "bad.onnx", {});
  ASSERT_FALSE(imported);
  std::string message = llvm::toString(imported.takeError());
  EXPECT_EQ(message.rfind("bad.onnx: ", 0), 0u) << message;
}

// Tests the --input-shape syntax, with and without a name.
TEST(ONNXImporter, ParsesInputShapes) {
  intr::ONNXImportOptions options;
  ASSERT_FALSE(
      static_cast<bool>(intr::parseInputShape("image=1x3x800x1216", options)));
  ASSERT_FALSE(static_cast<bool>(intr::parseInputShape("2x0", options)));
  EXPECT_EQ(options.inputShapes["image"],
            (std::vector<int64_t>{1, 3, 800, 1216}));
  EXPECT_EQ(options.inputShapes[""], (std::vector<int64_t>{2, 0}));
  for (const char *bad : {"image=", "image=1x-3", "image=1xthree", "=1x2x"}) {
    llvm::Error error = intr::parseInputShape(bad, options);
    EXPECT_TRUE(static_cast<bool>(error)) << bad;
    llvm::consumeError(std::move(error));
  }
}

} // namespace
