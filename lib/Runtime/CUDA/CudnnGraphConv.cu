//===- CudnnGraphConv.cu - Convolutions as cuDNN operation graphs ---------===//
//
// The legacy cuDNN call that ConvKernels.cu makes fuses a bias, a residual
// and a ReLU only in some combinations and algorithms. cuDNN's graph API
// takes the whole step as one operation graph instead: the convolution
// into a virtual f32 tensor, then pointwise additions of the bias and the
// residual and the ReLU, the last writing y. intr-conv-bench timed the
// backbone's 54 bf16 convolutions at batch 1 on an H200 at 0.788 ms taking
// the faster of the graph and the legacy call per shape, against 0.881 ms
// for the legacy calls alone, most of the gain in the convolutions with a
// residual. Context::convGraphs sends 16-bit channels-last convolutions
// here: always where cuDNN has an engine, or where it is the faster.
//
// A problem's plan is chosen once, outside a capture: the first few engine
// configurations of cuDNN's heuristic (mode A) that finalize within the
// workspace limit become execution plans; each runs once on the step's
// own operands (cuDNN refuses some only then), and those that ran are
// timed on the device alone (timeCalls; the step's output is never one
// of its inputs, so the trials leave the same result), with the legacy
// call too when asked for the faster. The winner is kept in
// Context::builtPlans, or a null entry when the legacy call is to run.
//
//===----------------------------------------------------------------------===//

#include "ConvKernels.h"

#if INTR_HAVE_CUDNN

#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

// The graph API's handle attributes are deprecated in recent cuDNN 9
// headers (a device property may stand in), but older 9.x need them.
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

namespace intr::cuda {

namespace {

using cpu::nn::Conv;

/// Engine configurations tried per problem (each within
/// kConvWorkspaceLimit).
constexpr int kConfigsTried = 3;
/// Timed calls per configuration (and of the legacy call).
constexpr int kTimedCalls = 5;

/// A backend descriptor, destroyed with its owner.
struct Descriptor {
  cudnnBackendDescriptor_t handle = nullptr;
  cudnnStatus_t created;
  explicit Descriptor(cudnnBackendDescriptorType_t type)
      : created(cudnnBackendCreateDescriptor(type, &handle)) {}
  Descriptor(const Descriptor &) = delete;
  Descriptor &operator=(const Descriptor &) = delete;
  ~Descriptor() {
    if (handle)
      cudnnBackendDestroyDescriptor(handle);
  }
  template <typename T>
  cudnnStatus_t set(cudnnBackendAttributeName_t name,
                    cudnnBackendAttributeType_t type, int64_t count,
                    const T *values) {
    return cudnnBackendSetAttribute(handle, name, type, count, values);
  }
};

/// An execution plan, the descriptors it was built from (kept alive with
/// it: the graph, its tensors and operations, the engine configurations),
/// and its workspace.
struct GraphPlan {
  std::unique_ptr<Descriptor> plan;
  std::vector<std::unique_ptr<Descriptor>> parts; // in creation order
  int64_t workspaceBytes = 0;
  /// The plan first, then each part before what it was built from.
  ~GraphPlan() {
    plan.reset();
    while (!parts.empty())
      parts.pop_back();
  }
};

enum : int64_t { kX = 1, kW, kBias, kResidual, kY, kConv, kBiased, kSum };

/// The largest power of two up to 16 that divides `p`'s address: the
/// alignment cuDNN may assume.
int64_t alignmentOf(const void *p) {
  auto address = reinterpret_cast<uintptr_t>(p);
  int64_t alignment = 16;
  while (alignment > 1 && address % alignment != 0)
    alignment /= 2;
  return alignment;
}

/// Builds descriptors into `owned`, stopping at the first failure.
class Builder {
public:
  explicit Builder(std::vector<std::unique_ptr<Descriptor>> &owned)
      : owned(owned) {}

  cudnnStatus_t status = CUDNN_STATUS_SUCCESS;

  /// A new descriptor, owned by the plan.
  Descriptor &make(cudnnBackendDescriptorType_t type) {
    owned.push_back(std::make_unique<Descriptor>(type));
    note(owned.back()->created);
    return *owned.back();
  }
  /// Records the first failure.
  void note(cudnnStatus_t s) {
    if (status == CUDNN_STATUS_SUCCESS)
      status = s;
  }
  template <typename T>
  void set(Descriptor &d, cudnnBackendAttributeName_t name,
           cudnnBackendAttributeType_t type, int64_t count, const T *values) {
    if (ok())
      note(d.set(name, type, count, values));
  }
  void finalize(Descriptor &d) {
    if (ok())
      note(cudnnBackendFinalize(d.handle));
  }
  bool ok() const { return status == CUDNN_STATUS_SUCCESS; }

  /// A tensor [n, c, h, w] stored channels last (strides of NHWC; for the
  /// weight [O, C, kh, kw] that is OHWI).
  Descriptor *tensor(int64_t uid, cudnnDataType_t type, int64_t n, int64_t c,
                     int64_t h, int64_t w, int64_t alignment, bool isVirtual) {
    Descriptor &t = make(CUDNN_BACKEND_TENSOR_DESCRIPTOR);
    const int64_t dims[4] = {n, c, h, w};
    const int64_t strides[4] = {h * w * c, 1, w * c, c};
    set(t, CUDNN_ATTR_TENSOR_DATA_TYPE, CUDNN_TYPE_DATA_TYPE, 1, &type);
    set(t, CUDNN_ATTR_TENSOR_DIMENSIONS, CUDNN_TYPE_INT64, 4, dims);
    set(t, CUDNN_ATTR_TENSOR_STRIDES, CUDNN_TYPE_INT64, 4, strides);
    set(t, CUDNN_ATTR_TENSOR_UNIQUE_ID, CUDNN_TYPE_INT64, 1, &uid);
    set(t, CUDNN_ATTR_TENSOR_BYTE_ALIGNMENT, CUDNN_TYPE_INT64, 1, &alignment);
    set(t, CUDNN_ATTR_TENSOR_IS_VIRTUAL, CUDNN_TYPE_BOOLEAN, 1, &isVirtual);
    finalize(t);
    return &t;
  }

  /// A pointwise operation out = mode(in[, other]) computed in f32.
  Descriptor *pointwise(cudnnPointwiseMode_t kind, Descriptor *in,
                        Descriptor *other, Descriptor *out) {
    const cudnnDataType_t precision = CUDNN_DATA_FLOAT;
    Descriptor &mode = make(CUDNN_BACKEND_POINTWISE_DESCRIPTOR);
    set(mode, CUDNN_ATTR_POINTWISE_MODE, CUDNN_TYPE_POINTWISE_MODE, 1, &kind);
    set(mode, CUDNN_ATTR_POINTWISE_MATH_PREC, CUDNN_TYPE_DATA_TYPE, 1,
        &precision);
    finalize(mode);
    Descriptor &op = make(CUDNN_BACKEND_OPERATION_POINTWISE_DESCRIPTOR);
    set(op, CUDNN_ATTR_OPERATION_POINTWISE_PW_DESCRIPTOR,
        CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &mode.handle);
    set(op, CUDNN_ATTR_OPERATION_POINTWISE_XDESC, CUDNN_TYPE_BACKEND_DESCRIPTOR,
        1, &in->handle);
    if (other)
      set(op, CUDNN_ATTR_OPERATION_POINTWISE_BDESC,
          CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &other->handle);
    set(op, CUDNN_ATTR_OPERATION_POINTWISE_YDESC, CUDNN_TYPE_BACKEND_DESCRIPTOR,
        1, &out->handle);
    finalize(op);
    return &op;
  }

private:
  std::vector<std::unique_ptr<Descriptor>> &owned;
};

/// A step's operands; the bias and the residual may be null.
struct Operands {
  const void *x, *w, *bias, *residual;
  void *y;
};

/// The operation graph of `conv` and its epilogue, finalized, in `owned`;
/// null when cuDNN refuses it.
cudnnBackendDescriptor_t
buildGraph(Context &context, const Conv &conv, const Operands &operands,
           bool relu, std::vector<std::unique_ptr<Descriptor>> &owned) {
  Builder b(owned);
  const cudnnDataType_t type =
      conv.dtype == DType::F16 ? CUDNN_DATA_HALF : CUDNN_DATA_BFLOAT16;
  const cudnnDataType_t f32 = CUDNN_DATA_FLOAT;
  const bool epilogue = operands.bias || operands.residual || relu;
  Descriptor *x = b.tensor(kX, type, conv.N, conv.C, conv.H, conv.W,
                           alignmentOf(operands.x), false);
  // [O, C / groups, kh, kw]: cuDNN infers the groups from x's channels.
  Descriptor *w = b.tensor(kW, type, conv.O, conv.C / conv.groups, conv.kh,
                           conv.kw, alignmentOf(operands.w), false);
  Descriptor *y = b.tensor(kY, type, conv.N, conv.O, conv.Ho, conv.Wo,
                           alignmentOf(operands.y), false);
  // Each stage of the epilogue but the last writes a virtual f32 tensor.
  auto stage = [&](int64_t uid, bool last) {
    return last
               ? y
               : b.tensor(uid, f32, conv.N, conv.O, conv.Ho, conv.Wo, 16, true);
  };

  Descriptor &convolution = b.make(CUDNN_BACKEND_CONVOLUTION_DESCRIPTOR);
  const int64_t spatial = 2;
  const int64_t pre[2] = {conv.top, conv.left},
                post[2] = {conv.bottom, conv.right};
  const int64_t strides[2] = {conv.sh, conv.sw},
                dilations[2] = {conv.dh, conv.dw};
  const cudnnConvolutionMode_t mode = CUDNN_CROSS_CORRELATION;
  b.set(convolution, CUDNN_ATTR_CONVOLUTION_SPATIAL_DIMS, CUDNN_TYPE_INT64, 1,
        &spatial);
  b.set(convolution, CUDNN_ATTR_CONVOLUTION_COMP_TYPE, CUDNN_TYPE_DATA_TYPE, 1,
        &f32);
  b.set(convolution, CUDNN_ATTR_CONVOLUTION_CONV_MODE,
        CUDNN_TYPE_CONVOLUTION_MODE, 1, &mode);
  b.set(convolution, CUDNN_ATTR_CONVOLUTION_PRE_PADDINGS, CUDNN_TYPE_INT64, 2,
        pre);
  b.set(convolution, CUDNN_ATTR_CONVOLUTION_POST_PADDINGS, CUDNN_TYPE_INT64, 2,
        post);
  b.set(convolution, CUDNN_ATTR_CONVOLUTION_DILATIONS, CUDNN_TYPE_INT64, 2,
        dilations);
  b.set(convolution, CUDNN_ATTR_CONVOLUTION_FILTER_STRIDES, CUDNN_TYPE_INT64, 2,
        strides);
  b.finalize(convolution);

  Descriptor *sums = stage(kConv, !epilogue);
  Descriptor &convOp =
      b.make(CUDNN_BACKEND_OPERATION_CONVOLUTION_FORWARD_DESCRIPTOR);
  const float alpha = 1.0f, beta = 0.0f;
  b.set(convOp, CUDNN_ATTR_OPERATION_CONVOLUTION_FORWARD_X,
        CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &x->handle);
  b.set(convOp, CUDNN_ATTR_OPERATION_CONVOLUTION_FORWARD_W,
        CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &w->handle);
  b.set(convOp, CUDNN_ATTR_OPERATION_CONVOLUTION_FORWARD_Y,
        CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &sums->handle);
  b.set(convOp, CUDNN_ATTR_OPERATION_CONVOLUTION_FORWARD_CONV_DESC,
        CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &convolution.handle);
  b.set(convOp, CUDNN_ATTR_OPERATION_CONVOLUTION_FORWARD_ALPHA,
        CUDNN_TYPE_FLOAT, 1, &alpha);
  b.set(convOp, CUDNN_ATTR_OPERATION_CONVOLUTION_FORWARD_BETA, CUDNN_TYPE_FLOAT,
        1, &beta);
  b.finalize(convOp);

  // y = relu(sums + bias + residual), each stage present when asked.
  std::vector<cudnnBackendDescriptor_t> ops = {convOp.handle};
  Descriptor *last = sums;
  if (operands.bias) {
    Descriptor *bias = b.tensor(kBias, type, 1, conv.O, 1, 1,
                                alignmentOf(operands.bias), false);
    Descriptor *out = stage(kBiased, !operands.residual && !relu);
    ops.push_back(b.pointwise(CUDNN_POINTWISE_ADD, last, bias, out)->handle);
    last = out;
  }
  if (operands.residual) {
    Descriptor *residual =
        b.tensor(kResidual, type, conv.N, conv.O, conv.Ho, conv.Wo,
                 alignmentOf(operands.residual), false);
    Descriptor *out = stage(kSum, !relu);
    ops.push_back(
        b.pointwise(CUDNN_POINTWISE_ADD, last, residual, out)->handle);
    last = out;
  }
  if (relu)
    ops.push_back(
        b.pointwise(CUDNN_POINTWISE_RELU_FWD, last, nullptr, y)->handle);

  Descriptor &graph = b.make(CUDNN_BACKEND_OPERATIONGRAPH_DESCRIPTOR);
  b.set(graph, CUDNN_ATTR_OPERATIONGRAPH_OPS, CUDNN_TYPE_BACKEND_DESCRIPTOR,
        int64_t(ops.size()), ops.data());
  b.set(graph, CUDNN_ATTR_OPERATIONGRAPH_HANDLE, CUDNN_TYPE_HANDLE, 1,
        &context.dnn);
  b.finalize(graph);
  return b.ok() ? graph.handle : nullptr;
}

/// The first kConfigsTried engine configurations of the heuristic for
/// `graph` that finalize as execution plans within the workspace limit.
std::vector<GraphPlan *>
candidatePlans(Context &context, cudnnBackendDescriptor_t graph,
               std::vector<std::unique_ptr<Descriptor>> &owned,
               std::vector<std::unique_ptr<GraphPlan>> &plans) {
  Builder b(owned);
  Descriptor &heuristic = b.make(CUDNN_BACKEND_ENGINEHEUR_DESCRIPTOR);
  const cudnnBackendHeurMode_t heurMode = CUDNN_HEUR_MODE_A;
  b.set(heuristic, CUDNN_ATTR_ENGINEHEUR_OPERATION_GRAPH,
        CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &graph);
  b.set(heuristic, CUDNN_ATTR_ENGINEHEUR_MODE, CUDNN_TYPE_HEUR_MODE, 1,
        &heurMode);
  b.finalize(heuristic);
  int64_t available = 0;
  if (b.ok())
    b.note(cudnnBackendGetAttribute(
        heuristic.handle, CUDNN_ATTR_ENGINEHEUR_RESULTS,
        CUDNN_TYPE_BACKEND_DESCRIPTOR, 0, &available, nullptr));
  std::vector<GraphPlan *> result;
  if (!b.ok() || available <= 0)
    return result;
  std::vector<cudnnBackendDescriptor_t> configs;
  for (int64_t i = 0; i < available; ++i)
    configs.push_back(b.make(CUDNN_BACKEND_ENGINECFG_DESCRIPTOR).handle);
  int64_t returned = 0;
  if (!b.ok() || cudnnBackendGetAttribute(
                     heuristic.handle, CUDNN_ATTR_ENGINEHEUR_RESULTS,
                     CUDNN_TYPE_BACKEND_DESCRIPTOR, available, &returned,
                     configs.data()) != CUDNN_STATUS_SUCCESS)
    return result;
  for (int64_t i = 0;
       i < std::min(returned, available) && int(result.size()) < kConfigsTried;
       ++i) {
    auto plan = std::make_unique<GraphPlan>();
    plan->plan =
        std::make_unique<Descriptor>(CUDNN_BACKEND_EXECUTION_PLAN_DESCRIPTOR);
    Descriptor &d = *plan->plan;
    Builder p(plan->parts);
    p.note(d.created);
    p.set(d, CUDNN_ATTR_EXECUTION_PLAN_HANDLE, CUDNN_TYPE_HANDLE, 1,
          &context.dnn);
    p.set(d, CUDNN_ATTR_EXECUTION_PLAN_ENGINE_CONFIG,
          CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &configs[size_t(i)]);
    p.finalize(d);
    if (p.ok())
      p.note(cudnnBackendGetAttribute(
          d.handle, CUDNN_ATTR_EXECUTION_PLAN_WORKSPACE_SIZE, CUDNN_TYPE_INT64,
          1, nullptr, &plan->workspaceBytes));
    if (!p.ok() || plan->workspaceBytes < 0 ||
        uint64_t(plan->workspaceBytes) > kConvWorkspaceLimit)
      continue;
    result.push_back(plan.get());
    plans.push_back(std::move(plan));
  }
  return result;
}

/// Runs `plan` on the step's operands with `workspace`.
cudnnStatus_t execute(Context &context, const GraphPlan &plan,
                      const Operands &operands, void *workspace) {
  std::vector<int64_t> uids = {kX, kW, kY};
  std::vector<void *> pointers = {const_cast<void *>(operands.x),
                                  const_cast<void *>(operands.w), operands.y};
  if (operands.bias) {
    uids.push_back(kBias);
    pointers.push_back(const_cast<void *>(operands.bias));
  }
  if (operands.residual) {
    uids.push_back(kResidual);
    pointers.push_back(const_cast<void *>(operands.residual));
  }
  Descriptor pack(CUDNN_BACKEND_VARIANT_PACK_DESCRIPTOR);
  cudnnStatus_t status = pack.created;
  for (cudnnStatus_t s :
       {pack.set(CUDNN_ATTR_VARIANT_PACK_DATA_POINTERS, CUDNN_TYPE_VOID_PTR,
                 int64_t(pointers.size()), pointers.data()),
        pack.set(CUDNN_ATTR_VARIANT_PACK_UNIQUE_IDS, CUDNN_TYPE_INT64,
                 int64_t(uids.size()), uids.data()),
        pack.set(CUDNN_ATTR_VARIANT_PACK_WORKSPACE, CUDNN_TYPE_VOID_PTR, 1,
                 &workspace),
        cudnnBackendFinalize(pack.handle)})
    if (status == CUDNN_STATUS_SUCCESS)
      status = s;
  if (status != CUDNN_STATUS_SUCCESS)
    return status;
  return cudnnBackendExecute(context.dnn, plan.plan->handle, pack.handle);
}

/// What a problem's plan depends on: the convolution, which operands the
/// epilogue has, the alignment of each pointer, and the choice asked for.
std::string graphKey(const Context &context, const Conv &conv,
                     const Operands &operands, bool relu) {
  std::string key = std::string("cudnn-graph-conv:") + dtypeName(conv.dtype);
  auto add = [&key](int64_t value) {
    key += ':';
    key += std::to_string(value);
  };
  for (int64_t value :
       {conv.N, conv.C, conv.H, conv.W, conv.O, conv.groups,
        int64_t(conv.channelsLast), conv.kh, conv.kw, conv.sh, conv.sw, conv.dh,
        conv.dw, conv.top, conv.left, conv.bottom, conv.right})
    add(value);
  for (int64_t value :
       {int64_t(operands.bias != nullptr),
        int64_t(operands.residual != nullptr), int64_t(relu),
        alignmentOf(operands.x), alignmentOf(operands.w),
        alignmentOf(operands.y), operands.bias ? alignmentOf(operands.bias) : 0,
        operands.residual ? alignmentOf(operands.residual) : 0,
        int64_t(context.convGraphs)})
    add(value);
  return key;
}

/// The plan of a problem, building and choosing it first if need be; null
/// when the legacy call is to run it: cuDNN offers no engine that runs it,
/// or (ConvGraphs::Faster) the legacy call was the faster. Kept in
/// Context::builtPlans, a null entry too.
Expected<std::shared_ptr<GraphPlan>>
cachedPlan(Context &context, const Conv &conv, const Operands &operands,
           bool relu, const std::function<Status()> &legacy,
           const std::string &what) {
  const std::string key = graphKey(context, conv, operands, relu);
  if (auto found = context.builtPlans.find(key);
      found != context.builtPlans.end())
    return std::static_pointer_cast<GraphPlan>(found->second);
  if (context.capturing)
    return Error(what + ": no plan was chosen for this convolution before "
                        "the CUDA Graph capture (the eager run must come "
                        "first)");
  std::vector<std::unique_ptr<Descriptor>> graphParts;
  std::vector<std::unique_ptr<GraphPlan>> plans;
  std::vector<GraphPlan *> candidates;
  if (cudnnBackendDescriptor_t graph =
          buildGraph(context, conv, operands, relu, graphParts))
    candidates = candidatePlans(context, graph, graphParts, plans);

  int64_t largest = 0;
  for (const GraphPlan *plan : candidates)
    largest = std::max(largest, plan->workspaceBytes);
  TrialWorkspace workspace{context.stream};
  if (largest > 0 &&
      cudaMalloc(&workspace.data, size_t(largest)) != cudaSuccess) {
    cudaGetLastError(); // Not sticky: forget it, and take the legacy call.
    candidates.clear();
  }
  // cuDNN refuses some configurations only when asked to run them, before
  // launching anything: those drop out (with any error they left).
  std::vector<GraphPlan *> runnable;
  for (GraphPlan *plan : candidates) {
    if (execute(context, *plan, operands, workspace.data) ==
        CUDNN_STATUS_SUCCESS)
      runnable.push_back(plan);
    else
      cudaGetLastError();
  }

  // The fastest on the device alone, and the legacy call when asked to
  // compare; any failure while timing is the step's.
  GraphPlan *best = runnable.empty() ? nullptr : runnable.front();
  const bool compare = context.convGraphs == Context::ConvGraphs::Faster;
  if (runnable.size() > 1 || (best && compare)) {
    float fastest = -1.0f;
    for (GraphPlan *plan : runnable) {
      Expected<float> milliseconds = timeCalls(
          context,
          [&] {
            return check(execute(context, *plan, operands, workspace.data),
                         what);
          },
          kTimedCalls, /*deviceAlone=*/true, what);
      if (!milliseconds)
        return milliseconds.error();
      if (fastest < 0 || *milliseconds < fastest) {
        fastest = *milliseconds;
        best = plan;
      }
    }
    if (compare) {
      Expected<float> milliseconds =
          timeCalls(context, legacy, kTimedCalls, /*deviceAlone=*/true, what);
      if (!milliseconds)
        return milliseconds.error();
      if (*milliseconds <= fastest)
        best = nullptr;
    }
  }

  std::shared_ptr<GraphPlan> chosen;
  for (std::unique_ptr<GraphPlan> &plan : plans)
    if (plan.get() == best)
      chosen = std::move(plan);
  // The plan keeps the graph's descriptors, which its engine refers to.
  if (chosen)
    for (std::unique_ptr<Descriptor> &part : graphParts)
      chosen->parts.push_back(std::move(part));
  context.builtPlans[key] = chosen;
  return chosen;
}

} // namespace

Expected<bool> runCudnnGraphConv(Context &context, const Conv &conv,
                                 const void *x, const void *w,
                                 const ConvEpilogue &epilogue, void *y,
                                 const std::function<Status()> &legacy,
                                 const char *kernel) {
  const std::string what = std::string(kernel) + ": cuDNN graph convolution";
  const Operands operands{x, w, epilogue.bias, epilogue.residual, y};
  Expected<std::shared_ptr<GraphPlan>> plan =
      cachedPlan(context, conv, operands, epilogue.relu, legacy, what);
  if (!plan)
    return plan.error();
  if (!*plan)
    return false;
  void *workspace = nullptr;
  if ((*plan)->workspaceBytes > 0) {
    Expected<void *> scratch = context.scratch(size_t((*plan)->workspaceBytes));
    if (!scratch)
      return scratch.error();
    workspace = *scratch;
  }
  if (Status s = check(execute(context, **plan, operands, workspace), what); !s)
    return s.error();
  return true;
}

} // namespace intr::cuda

#endif // INTR_HAVE_CUDNN
