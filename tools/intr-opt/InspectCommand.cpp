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

/// How many steps run each kernel.
std::map<std::string, int>
stepsByKind(const std::vector<std::string> &kernels) {
  std::map<std::string, int> counts;
  for (const std::string &kernel : kernels)
    ++counts[kernel];
  return counts;
}

/// The executable described as JSON. Strings are written by jsonString, as
/// intr-run's and intr-bench's are, so that a name or label that is not
/// UTF-8 comes back byte for byte (llvm::json would replace its bytes).
void printJson(llvm::raw_ostream &os, const std::string &file,
               const intr::Executable &exe) {
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
  // What each variant has of its own.
  auto shapes = [&](const intr::Executable &plan) {
    tensors("inputs", plan.inputs());
    tensors("outputs", plan.outputs());
    json.attributeArray("feature_map", [&] {
      for (int64_t size : plan.featureMap())
        json.value(size);
    });
  };
  auto steps = [&](const intr::Executable &plan) {
    std::vector<std::string> kernels = plan.stepKernels();
    json.attribute("steps", static_cast<int64_t>(kernels.size()));
    json.attributeObject("steps_by_kind", [&] {
      for (const auto &[kind, count] : stepsByKind(kernels))
        json.attribute(kind, count);
    });
    json.attribute("arena_bytes", static_cast<int64_t>(plan.arenaSize()));
  };
  std::vector<intr::Executable> variants = exe.variants();
  json.object([&] {
    stringAttribute("file", file);
    stringAttribute("producer", exe.producer());
    shapes(exe);
    json.attribute("num_classes", exe.numClasses());
    json.attributeArray("labels", [&] {
      for (const std::string &label : exe.labels())
        string(label);
    });
    steps(exe);
    json.attribute("weight_bytes", static_cast<int64_t>(exe.weightsSize()));
    json.attribute("weights_stripped", exe.weightsStripped());
    stringAttribute("precision", exe.precision());
    json.attributeArray("variants", [&] {
      for (size_t v = 1; v < variants.size(); ++v)
        json.object([&] {
          shapes(variants[v]);
          steps(variants[v]);
        });
    });
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
  llvm::raw_ostream &os = llvm::outs();
  if (json) {
    printJson(os, input, *exe);
    return 0;
  }
  std::vector<std::string> kernels = exe->stepKernels();
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
  for (const auto &[kind, count] : stepsByKind(kernels))
    os << llvm::format("  %5d  ", count) << kind << "\n";
  os << "arena: " << mebibytes(exe->arenaSize())
     << ", weights: " << mebibytes(exe->weightsSize())
     << (exe->weightsStripped() ? " (stripped: --strip-weights)" : "")
     << "\n";
  // The variants' inputs, which tell them apart, their outputs and size.
  std::vector<intr::Executable> variants = exe->variants();
  if (variants.size() > 1)
    os << "variants (the model at other input shapes, over the same "
          "weights):\n";
  for (size_t v = 1; v < variants.size(); ++v) {
    const intr::Executable &plan = variants[v];
    os << "  " << v << ":";
    for (const intr::TensorInfo &info : plan.inputs())
      os << " " << info.name << " " << intr::formatShape(info.shape);
    os << " ->";
    for (const intr::TensorInfo &info : plan.outputs())
      os << " " << info.name << " " << intr::formatShape(info.shape);
    if (plan.featureMap().size() == 2)
      os << "; feature map " << plan.featureMap()[0] << " x "
         << plan.featureMap()[1];
    os << "; " << plan.stepKernels().size() << " steps, arena "
       << mebibytes(plan.arenaSize()) << "\n";
  }
  return 0;
}
