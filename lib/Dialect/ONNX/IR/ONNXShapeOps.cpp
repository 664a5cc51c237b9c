//===- ONNXShapeOps.cpp - Shape and data movement ops ---------------------===//

#include "intr/Dialect/ONNX/IR/ONNXOps.h"
#include "intr/Dialect/ONNX/IR/ONNXShapeUtils.h"

#include "mlir/IR/Builders.h"

using namespace mlir;
using namespace intr::onnx;
