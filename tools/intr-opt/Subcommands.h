//===- Subcommands.h - intr-opt's subcommands -------------------*- C++ -*-===//

#ifndef INTR_TOOLS_INTR_OPT_SUBCOMMANDS_H
#define INTR_TOOLS_INTR_OPT_SUBCOMMANDS_H

namespace intr {

/// `intr-opt import model.onnx [-o out.mlir] [--input-shape ...]`; argv[0]
/// is "import". Returns the process exit code.
int runImportCommand(int argc, char **argv);

/// `intr-opt compile model.onnx [-o model.intrx] [--raise=all|none] ...`.
int runCompileCommand(int argc, char **argv);

/// `intr-opt inspect model.intrx [--json]`.
int runInspectCommand(int argc, char **argv);

} // namespace intr

#endif // INTR_TOOLS_INTR_OPT_SUBCOMMANDS_H
