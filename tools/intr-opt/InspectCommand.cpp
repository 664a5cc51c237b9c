//===- InspectCommand.cpp - intr-opt inspect ------------------------------===//
//
// Describes an .intrx file through the runtime's own loader, so that what it
// prints is what a session would run.
//
//===----------------------------------------------------------------------===//

#include "Subcommands.h"

#include "JsonString.h"
#include "intr/runtime/Executable.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <map>

namespace cl = llvm::cl;

namespace {

/// The executable described as JSON. Strings are written by jsonString, as
/// intr-run's and intr-bench's are, so that a name or label that is not
/// UTF-8 comes back byte for byte (llvm::json would replace its bytes).
void printJson(llvm::raw_ostream &os, const std::string &file,
               const intr::Executable &exe,
               const std::map<std::string, int> &stepsByKind, size_t steps) {
  llvm::json::OStream json(os, 2);
  auto string = [&](const std::string &text) {
    json.rawValue(
        [&](llvm::raw_ostream &out) { out << intr::tools::jsonString(text); });
  };
  auto stringAttribute = [&](llvm::StringRef key, const std::string &text) {
    json.attributeBegin(key);
    string(text);
    json.attributeEnd();
  };
  auto tensors = [&](llvm::StringRef key,
                     const std::vector<intr::TensorInfo> &list) {
    json.attributeArray(key, [&] {
      for (const intr::TensorInfo &info : list)
        json.object([&] {
          stringAttribute("name", info.name);
          stringAttribute("dtype", intr::dtypeName(info.dtype));
          json.attributeArray("shape", [&] {
            for (int64_t size : info.shape)
              json.value(size);
          });
          stringAttribute("role", info.role);
        });
    });
  };
  json.object([&] {
    stringAttribute("file", file);
    stringAttribute("producer", exe.producer());
    tensors("inputs", exe.inputs());
    tensors("outputs", exe.outputs());
    json.attributeArray("feature_map", [&] {
      for (int64_t size : exe.featureMap())
        json.value(size);
    });
    json.attribute("num_classes", exe.numClasses());
    json.attributeArray("labels", [&] {
      for (const std::string &label : exe.labels())
        string(label);
    });
    json.attribute("steps", static_cast<int64_t>(steps));
    json.attributeObject("steps_by_kind", [&] {
      for (const auto &[kind, count] : stepsByKind)
        json.attribute(kind, count);
    });
    json.attribute("arena_bytes", static_cast<int64_t>(exe.arenaSize()));
    json.attribute("weight_bytes", static_cast<int64_t>(exe.weightsSize()));
    json.attribute("weights_stripped", exe.weightsStripped());
    stringAttribute("precision", exe.precision());
  });
  os << "\n";
}

void printTensors(llvm::raw_ostream &os, const char *title,
                  const std::vector<intr::TensorInfo> &list) {
  os << title << ":\n";
  for (const intr::TensorInfo &info : list) {
    os << "  " << info.name << "  " << intr::dtypeName(info.dtype) << " "
       << intr::formatShape(info.shape);
    if (!info.role.empty())
      os << "  (" << info.role << ")";
    os << "\n";
  }
}

} // namespace

int intr::runInspectCommand(int argc, char **argv) {
  cl::OptionCategory category("intr-opt inspect options");
  cl::opt<std::string> input(cl::Positional, cl::Required,
                             cl::desc("<model.intrx>"), cl::cat(category));
  cl::opt<bool> json("json", cl::desc("Print JSON"), cl::cat(category));
  cl::HideUnrelatedOptions(category);
  if (!cl::ParseCommandLineOptions(argc, argv,
                                   "intr-opt inspect: describe an executable\n",
                                   &llvm::errs()))
    return 2; // a usage error, as in compile

  // A stripped executable is described as well; its filled-in weights are
  // never looked at.
  intr::LoadOptions loadOptions;
  loadOptions.randomWeights = true;
  intr::Expected<intr::Executable> exe =
      intr::Executable::load(input, loadOptions);
  if (!exe) {
    llvm::errs() << "error: " << exe.error().message() << "\n";
    return 1;
  }
  std::vector<std::string> kernels = exe->stepKernels();
  std::map<std::string, int> stepsByKind;
  for (const std::string &kernel : kernels)
    ++stepsByKind[kernel];

  llvm::raw_ostream &os = llvm::outs();
  if (json) {
    printJson(os, input, *exe, stepsByKind, kernels.size());
    return 0;
  }
  os << input << ": written by " << exe->producer() << "\n";
  printTensors(os, "inputs", exe->inputs());
  printTensors(os, "outputs", exe->outputs());
  if (exe->featureMap().size() == 2)
    os << "feature map: " << exe->featureMap()[0] << " x "
       << exe->featureMap()[1] << "\n";
  os << "classes: " << exe->numClasses()
     << (exe->labels().empty() ? " (no labels)" : " (labelled)") << "\n";
  os << "precision: " << exe->precision() << "\n";
  os << "steps: " << kernels.size() << "\n";
  for (const auto &[kind, count] : stepsByKind)
    os << llvm::format("  %5d  ", count) << kind << "\n";
  os << "arena: " << mebibytes(exe->arenaSize())
     << ", weights: " << mebibytes(exe->weightsSize())
     << (exe->weightsStripped() ? " (stripped: --strip-weights)" : "")
     << "\n";
  return 0;
}
