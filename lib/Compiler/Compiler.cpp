//===- Compiler.cpp - ONNX model to .intrx, as a library ------------------===//

#include "intr/Compiler/Compiler.h"
#include "intr/Conversion/Passes.h"
#include "intr/Dialect/INTR/IR/INTROps.h"
#include "intr/Dialect/INTR/Transforms/Passes.h"
#include "intr/Dialect/ONNX/IR/ONNXOps.h"
#include "intr/Dialect/ONNX/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"

#ifndef INTR_VERSION
#define INTR_VERSION "dev"
#endif

using namespace mlir;
using namespace intr;

namespace {

/// The feature map's h x w: from a class attention, or else (an unraised
/// graph) from the image size and the backbone's stride of 32 when that
/// agrees with the token count of the second output (the attention).
std::vector<int64_t> findFeatureMap(func::FuncOp tensorFunc) {
  std::vector<int64_t> featureMap;
  tensorFunc.walk([&](ClassAttentionOp op) {
    featureMap = op.getFeatureMap().vec();
    return WalkResult::interrupt();
  });
  if (!featureMap.empty())
    return featureMap;
  FunctionType type = tensorFunc.getFunctionType();
  if (type.getNumInputs() != 1 || type.getNumResults() < 2)
    return {};
  auto image = dyn_cast<RankedTensorType>(type.getInput(0));
  auto attention = dyn_cast<RankedTensorType>(type.getResult(1));
  if (!image || image.getRank() != 4 || !image.hasStaticShape() ||
      !attention || !attention.hasStaticShape() || attention.getRank() == 0)
    return {};
  int64_t h = (image.getDimSize(2) + 31) / 32;
  int64_t w = (image.getDimSize(3) + 31) / 32;
  if (attention.getShape().back() == h * w)
    return {h, w};
  return {};
}

/// The class count: the last dimension of the output called "logits".
int64_t findNumClasses(func::FuncOp tensorFunc) {
  for (unsigned i = 0; i < tensorFunc.getNumResults(); ++i)
    if (auto name = tensorFunc.getResultAttrOfType<StringAttr>(i, "onnx.name");
        name && name.getValue() == "logits")
      if (auto type = dyn_cast<RankedTensorType>(
              tensorFunc.getFunctionType().getResult(i));
          type && type.hasStaticShape() && type.getRank() >= 1)
        return type.getShape().back();
  return 0;
}

llvm::Error failure(llvm::StringRef name, const llvm::Twine &what) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 (name + ": " + what).str());
}

/// Stores the convolutions' images NHWC.
void addChannelsLastPasses(PassManager &pm) {
  pm.addNestedPass<func::FuncOp>(createINTRChannelsLastPass());
  pm.addNestedPass<func::FuncOp>(createCanonicalizerPass());
}

/// The transposes in `module`: the copies that its layout costs.
int64_t countTransposes(ModuleOp module) {
  int64_t count = 0;
  module.walk([&](onnx::TransposeOp) { ++count; });
  return count;
}

/// Whether storing the images NHWC leaves `module` fewer transposes, tried
/// on a copy.
bool channelsLastSavesTransposes(ModuleOp module, TimingScope &timing) {
  OwningOpRef<ModuleOp> trial = module.clone();
  PassManager pm(module.getContext());
  TimingScope trialTiming = timing.nest("channels-last trial");
  pm.enableTiming(trialTiming);
  addChannelsLastPasses(pm);
  return succeeded(pm.run(*trial)) &&
         countTransposes(*trial) < countTransposes(module);
}

} // namespace

llvm::Expected<func::FuncOp> intr::planModule(ModuleOp module,
                                              llvm::StringRef name,
                                              const CompileOptions &options,
                                              ModelMetadata &metadata,
                                              TimingScope &timing) {
  MLIRContext *context = module.getContext();
  auto funcs = module.getOps<func::FuncOp>();
  if (std::distance(funcs.begin(), funcs.end()) != 1)
    return failure(name, "expected one function after import");
  func::FuncOp main = *funcs.begin();

  // Cleanup, raising and optimization: on tensors.
  PassManager pm(context);
  pm.enableTiming(timing);
  OpPassManager &funcPm = pm.nest<func::FuncOp>();
  // The maps asked for: first, so that the Slice of the stacked maps meets
  // the Concat that stacks them before onnx-compute-in-f32 casts a half
  // model's outputs, the first canonicalization folds the other layers'
  // maps away, and raising finds them unread.
  if (options.lastAttentionLayer || options.headMeanOnly) {
    INTRSelectAttentionMapsPassOptions selectOptions;
    selectOptions.lastLayer = options.lastAttentionLayer;
    selectOptions.headMean = options.headMeanOnly;
    funcPm.addPass(createINTRSelectAttentionMapsPass(selectOptions));
  }
  // Composite ops (Clip, LeakyRelu, Sum, ...) as the ops that kernels run;
  // before onnx-compute-in-f32, which keeps the rounding of a CastLike's
  // Cast.
  funcPm.addPass(onnx::createONNXDecomposePass());
  // The kernels compute in f32: a model exported in f16, bf16 or f64 too.
  funcPm.addPass(onnx::createONNXComputeInF32Pass());
  funcPm.addPass(createCanonicalizerPass());
  funcPm.addPass(createCSEPass());
  if (options.raise) {
    funcPm.addPass(createConvertONNXToINTRPass());
    INTROptimizeOptions optimizeOptions;
    optimizeOptions.foldPositional = options.foldPositional;
    buildINTROptimizePipeline(pm, optimizeOptions);
  }
  bool sixteenBit = options.precision == Precision::FP16 ||
                    options.precision == Precision::BF16;
  if (sixteenBit) {
    // The convolutions it converts are the raised ones.
    if (!options.raise)
      return failure(name, "--precision fp16 and bf16 need the raised "
                           "convolutions (leave out --raise=none)");
    INTRLowerPrecisionPassOptions lowerOptions;
    lowerOptions.elementType =
        options.precision == Precision::FP16 ? "f16" : "bf16";
    pm.addNestedPass<func::FuncOp>(createINTRLowerPrecisionPass(lowerOptions));
  }
  if (failed(pm.run(module)))
    return failure(name, options.raise ? "raising and optimization failed"
                                       : "cleanup failed");

  // The layout: NHWC where asked, or where it saves transposes (padding
  // the channels asks for it too).
  using ChannelsLast = CompileOptions::ChannelsLast;
  if (options.channelsLast == ChannelsLast::On && !options.raise)
    return failure(name, "--channels-last needs the raised convolutions "
                         "(leave out --raise=none)");
  bool channelsLast = options.channelsLast == ChannelsLast::On;
  if (options.channelsLast == ChannelsLast::WhereFewerTransposes &&
      options.raise)
    channelsLast =
        options.padChannels > 1 || channelsLastSavesTransposes(module, timing);
  PassManager layoutPm(context);
  layoutPm.enableTiming(timing);
  if (channelsLast)
    addChannelsLastPasses(layoutPm);
  if (options.padChannels > 1) {
    // Tensor cores want multiples of 8 or 16; far more only wastes memory.
    if (options.padChannels > 128)
      return failure(name, "--pad-channels " +
                               llvm::Twine(options.padChannels) +
                               " is above 128");
    if (!channelsLast)
      return failure(name, "--pad-channels pads channels-last convolutions "
                           "only (not with --channels-last=false or "
                           "--raise=none)");
    INTRPadChannelsPassOptions padOptions;
    padOptions.multiple = options.padChannels;
    layoutPm.addNestedPass<func::FuncOp>(createINTRPadChannelsPass(padOptions));
  }
  if (options.halfAttentionMaps)
    layoutPm.addNestedPass<func::FuncOp>(createINTRHalfAttentionMapsPass());
  if (failed(layoutPm.run(module)))
    return failure(name, "changing the layout or the maps' type failed");

  metadata = ModelMetadata();
  metadata.featureMap = findFeatureMap(main);
  metadata.numClasses = findNumClasses(main);
  metadata.producer = "intr-opt " INTR_VERSION;
  // A labels file given must name every class, an empty one too (intr-run
  // refuses such a file as well).
  if (!options.labels.empty() || !options.labelsSource.empty()) {
    if (static_cast<int64_t>(options.labels.size()) != metadata.numClasses)
      return failure(options.labelsSource.empty() ? name : options.labelsSource,
                     llvm::Twine(options.labels.size()) +
                         " labels, but the model has " +
                         llvm::Twine(metadata.numClasses) + " classes");
    metadata.labels = options.labels;
  }

  PassManager planPm(context);
  planPm.enableTiming(timing);
  planPm.addNestedPass<func::FuncOp>(createConvertINTRToPlanPass());
  if (failed(planPm.run(module)))
    return failure(name, "planning failed");

  return main;
}

WriteOptions intr::writeOptionsOf(const CompileOptions &options) {
  WriteOptions writeOptions;
  writeOptions.stripWeights = options.stripWeights;
  writeOptions.precision = options.precision;
  return writeOptions;
}

llvm::Error intr::compileModule(ModuleOp module, llvm::StringRef name,
                                const CompileOptions &options,
                                llvm::raw_ostream &os, ExecutableStats &stats,
                                TimingScope &timing) {
  ModelMetadata metadata;
  llvm::Expected<func::FuncOp> plan =
      planModule(module, name, options, metadata, timing);
  if (!plan)
    return plan.takeError();
  TimingScope writeTimer = timing.nest("write");
  if (failed(writeExecutable(*plan, metadata, writeOptionsOf(options), os,
                             &stats)))
    return failure(name, "cannot write the executable");
  return llvm::Error::success();
}
