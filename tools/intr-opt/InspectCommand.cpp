//===- InspectCommand.cpp - intr-opt inspect ------------------------------===//
//
// Describes an .intrx file through the runtime's own loader, so that what it
// prints is what a session would run.
//
//===----------------------------------------------------------------------===//

#include "Subcommands.h"

#include "intr/runtime/Executable.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <map>

namespace cl = llvm::cl;

namespace {

llvm::json::Array tensorsToJson(const std::vector<intr::TensorInfo> &list) {
  llvm::json::Array array;
  for (const intr::TensorInfo &info : list)
    array.push_back(llvm::json::Object{
        {"name", info.name},
        {"dtype", intr::dtypeName(info.dtype)},
        {"shape", llvm::json::Array(info.shape)},
        {"role", info.role}});
  return array;
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
    llvm::json::Object steps;
    for (const auto &[kind, count] : stepsByKind)
      steps[kind] = count;
    llvm::json::Object root{
        {"file", input.getValue()},
        {"producer", exe->producer()},
        {"inputs", tensorsToJson(exe->inputs())},
        {"outputs", tensorsToJson(exe->outputs())},
        {"feature_map", llvm::json::Array(exe->featureMap())},
        {"num_classes", exe->numClasses()},
        {"labels", llvm::json::Array(exe->labels())},
        {"steps", static_cast<int64_t>(kernels.size())},
        {"steps_by_kind", std::move(steps)},
        {"arena_bytes", static_cast<int64_t>(exe->arenaSize())},
        {"weight_bytes", static_cast<int64_t>(exe->weightsSize())},
        {"weights_stripped", exe->weightsStripped()},
        {"precision", exe->precision()}};
    os << llvm::formatv("{0:2}", llvm::json::Value(std::move(root))) << "\n";
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
