//===- intr-opt.cpp - The INTR compiler driver ----------------------------===//
//
// Two faces in one binary:
//   intr-opt <subcommand> ...         the product: import, compile, inspect
//   intr-opt [file.mlir] [--pass...]  mlir-opt with our dialects and passes
//
//===----------------------------------------------------------------------===//

#include "Subcommands.h"

#include "intr/InitAllDialects.h"
#include "intr/InitAllPasses.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdlib>

using namespace llvm;

namespace {
struct Subcommand {
  StringLiteral name;
  StringLiteral summary;
  int (*run)(int argc, char **argv);
};
} // namespace

/// Subcommands whose implementation has not landed yet say so and fail, so
/// that scripts never mistake them for success.
static const Subcommand kSubcommands[] = {
    {"import", "ONNX model -> onnx dialect (MLIR)", intr::runImportCommand},
    {"compile", "ONNX model -> .intrx executable", intr::runCompileCommand},
    {"inspect", "describe a .intrx executable", intr::runInspectCommand},
};

static void printUsage(raw_ostream &os) {
  os << "usage: intr-opt <subcommand> [options]\n"
        "       intr-opt [input.mlir] [mlir-opt options and passes]\n\n"
        "subcommands:\n";
  for (const Subcommand &sub : kSubcommands)
    os << "  " << left_justify(sub.name, 9) << sub.summary << "\n";
  os << "\nRun 'intr-opt --help' for the options of the mlir-opt mode.\n";
}

/// A first argument that is a bare word (letters, digits, '-', '_') and not
/// an existing file is meant as a subcommand.
static bool looksLikeSubcommand(StringRef arg) {
  if (arg.empty() || arg.starts_with("-") || sys::fs::exists(arg))
    return false;
  return llvm::all_of(
      arg, [](char c) { return isAlnum(c) || c == '-' || c == '_'; });
}

/// libLLVM registers every target's options (AMDGPU, ARM, ...) as it loads,
/// before main; none of them affects intr-opt. Hiding them (--help-hidden
/// still lists them) leaves --help with what MlirOptMain registers later.
static void hideLibraryOptions() {
  for (auto &entry : cl::getRegisteredOptions()) {
    cl::Option *option = entry.getValue();
    if (llvm::is_contained(option->Categories, &cl::getGeneralCategory()))
      option->setHiddenFlag(cl::Hidden);
  }
}

int main(int argc, char **argv) {
  // --version names this tool, and the LLVM it is built on after it.
  cl::SetVersionPrinter([](raw_ostream &os) {
    os << "intr-opt " INTR_VERSION " (LLVM " LLVM_VERSION_STRING ")\n";
  });
  if (argc > 1 && looksLikeSubcommand(argv[1])) {
    StringRef name = argv[1];
    if (name == "help") {
      printUsage(outs());
      return 0;
    }
    for (const Subcommand &sub : kSubcommands)
      if (name == sub.name)
        return sub.run(argc - 1, argv + 1);
    errs() << "error: unknown subcommand '" << name << "'\n\n";
    printUsage(errs());
    return 2;
  }

  hideLibraryOptions();
  mlir::DialectRegistry registry;
  intr::registerAllDialects(registry);
  intr::registerAllPasses();
  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv,
      "INTR compiler driver\n\n"
      "  intr-opt <subcommand> ...  with subcommands import, compile, "
      "inspect\n"
      "  intr-opt [input.mlir] ...  mlir-opt with the onnx, intr and plan "
      "dialects\n",
      registry));
}
