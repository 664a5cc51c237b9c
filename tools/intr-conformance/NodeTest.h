//===- NodeTest.h - One ONNX backend node test, end to end ------*- C++ -*-===//
//
// Imports a test's model.onnx, compiles it in-process without raising, runs
// it on the CPU backend with every test_data_set_N and compares the outputs
// with the references.
//
//===----------------------------------------------------------------------===//

#ifndef INTR_TOOLS_INTR_CONFORMANCE_NODETEST_H
#define INTR_TOOLS_INTR_CONFORMANCE_NODETEST_H

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"

#include <string>

namespace intr::conformance {

enum class Verdict { Passed, Failed, Unsupported };

struct Outcome {
  Verdict verdict = Verdict::Passed;
  /// One line: why it failed or is unsupported; a note when it passed.
  std::string reason;
  /// Why it is unsupported, as a key to group tests by ("op Loop",
  /// "dtype STRING", "dynamic shape", ...); empty otherwise.
  std::string cause;
};

/// Runs the test in folder `dir`, compiled with the raising patterns when
/// `raise`. `onOps` hears the model's op types ("Add", "Cast+Div") as soon
/// as they are known, so that a caller can still group the test if a later
/// phase crashes. When the test passes and `exportDir` is not empty, its
/// first data set goes to `exportDir`/<test name>/ in a form that intr-run
/// reads on a machine without the compiler: model.intrx, inputs/<name>.npy
/// (the inputs that stayed inputs) and expected/<name>.npy.
Outcome runNodeTest(const std::string &dir, bool raise,
                    llvm::function_ref<void(llvm::StringRef)> onOps,
                    const std::string &exportDir = "");

/// Does the one-time initialization (protobuf descriptors, dialect
/// registration) in a parent process, so that children forked per test
/// share it instead of each paying for it.
void warmUp();

} // namespace intr::conformance

#endif // INTR_TOOLS_INTR_CONFORMANCE_NODETEST_H
