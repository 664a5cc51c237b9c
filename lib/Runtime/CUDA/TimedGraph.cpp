//===- TimedGraph.cpp - A captured graph that times each operation --------===//

#include "TimedGraph.h"

#include "CudaCheck.h"

#include <cuda.h> // types only: the driver's entry points are looked up
#include <cxxabi.h>

#include <cstdlib>
#include <utility>

namespace intr::cuda {

namespace {

/// The graph's operations in order, when they form one chain (every one
/// but the first after exactly the one before it), with the data of the
/// edges between them (a library may launch with programmatic edges);
/// else empty.
std::vector<cudaGraphNode_t> chainOf(cudaGraph_t graph,
                                     std::vector<cudaGraphEdgeData> &edges) {
  size_t count = 0, roots = 0;
  cudaGraphNode_t node = nullptr;
  if (cudaGraphGetNodes(graph, nullptr, &count) != cudaSuccess ||
      cudaGraphGetRootNodes(graph, nullptr, &roots) != cudaSuccess ||
      roots != 1 ||
      cudaGraphGetRootNodes(graph, &node, &roots) != cudaSuccess) {
    cudaGetLastError();
    return {};
  }
  std::vector<cudaGraphNode_t> chain;
  edges.clear();
  while (chain.size() < count) {
    chain.push_back(node);
    // Room for two: a second one means it is not a chain.
    cudaGraphNode_t next[2] = {};
    cudaGraphEdgeData edge[2] = {};
    size_t found = 2;
    if (cudaGraphNodeGetDependentNodes(node, next, edge, &found) !=
        cudaSuccess) {
      cudaGetLastError();
      return {};
    }
    if (found == 0)
      break;
    if (found != 1)
      return {};
    node = next[0];
    edges.push_back(edge[0]);
  }
  // Every operation reached, each by one edge: a chain.
  return chain.size() == count ? chain : std::vector<cudaGraphNode_t>();
}

/// A kernel's name, demangled and without its namespaces and parameters.
std::string shortName(const char *name) {
  int status = 0;
  char *demangled = abi::__cxa_demangle(name, nullptr, nullptr, &status);
  std::string text = status == 0 && demangled ? demangled : name;
  std::free(demangled);
  for (const char *noise : {"(anonymous namespace)::", "intr::cuda::"})
    for (size_t at; (at = text.find(noise)) != std::string::npos;)
      text.erase(at, std::string(noise).size());
  if (text.rfind("void ", 0) == 0)
    text.erase(0, 5);
  text = text.substr(0, text.find('('));
  return text.size() > 96 ? text.substr(0, 93) + "..." : text;
}

/// Looks up a driver function without linking the driver library (a
/// machine without a GPU has none).
template <typename Function> Function driverFunction(const char *symbol) {
  void *function = nullptr;
  cudaDriverEntryPointQueryResult found;
  if (cudaGetDriverEntryPointByVersion(
          symbol, &function, 12030, cudaEnableDefault, &found) != cudaSuccess ||
      found != cudaDriverEntryPointSuccess) {
    cudaGetLastError();
    return nullptr;
  }
  return reinterpret_cast<Function>(function);
}

/// What an operation is: a kernel's name (through the driver, which knows
/// the libraries' kernels too), "memset", "memcpy".
std::string operationName(cudaGraphNode_t node) {
  cudaGraphNodeType type;
  if (cudaGraphNodeGetType(node, &type) != cudaSuccess) {
    cudaGetLastError();
    return "operation";
  }
  if (type == cudaGraphNodeTypeMemset)
    return "memset";
  if (type == cudaGraphNodeTypeMemcpy)
    return "memcpy";
  if (type != cudaGraphNodeTypeKernel)
    return "operation";
  using GetParams = CUresult (*)(CUgraphNode, CUDA_KERNEL_NODE_PARAMS_v2 *);
  using FunctionName = CUresult (*)(const char **, CUfunction);
  using KernelName = CUresult (*)(const char **, CUkernel);
  static const auto getParams =
      driverFunction<GetParams>("cuGraphKernelNodeGetParams");
  static const auto functionName =
      driverFunction<FunctionName>("cuFuncGetName");
  static const auto kernelName = driverFunction<KernelName>("cuKernelGetName");
  CUDA_KERNEL_NODE_PARAMS_v2 params{};
  const char *name = nullptr;
  if (getParams &&
      getParams(reinterpret_cast<CUgraphNode>(node), &params) == CUDA_SUCCESS) {
    if (params.func && functionName)
      functionName(&name, params.func);
    else if (params.kern && kernelName)
      kernelName(&name, params.kern);
  }
  return name ? shortName(name) : "kernel";
}

/// Puts an event record before each operation of `chain` (the chain of
/// `graph`, linked by `edges`) and after the last, in place of the edges;
/// false where CUDA refuses an edit (the caller falls back, so why is not
/// kept).
bool instrument(cudaGraph_t graph, const std::vector<cudaGraphNode_t> &chain,
                const std::vector<cudaGraphEdgeData> &edges,
                const std::vector<cudaEvent_t> &events) {
  for (size_t i = 1; i < chain.size(); ++i)
    if (cudaGraphRemoveDependencies(graph, &chain[i - 1], &chain[i],
                                    &edges[i - 1], 1) != cudaSuccess)
      return false;
  cudaGraphNode_t record = nullptr;
  if (cudaGraphAddEventRecordNode(&record, graph, nullptr, 0, events[0]) !=
      cudaSuccess)
    return false;
  for (size_t i = 0; i < chain.size(); ++i)
    if (cudaGraphAddDependencies(graph, &record, &chain[i], nullptr, 1) !=
            cudaSuccess ||
        cudaGraphAddEventRecordNode(&record, graph, &chain[i], 1,
                                    events[i + 1]) != cudaSuccess)
      return false;
  return true;
}

} // namespace

Expected<TimedGraph> TimedGraph::create(cudaGraph_t graph) {
  // A copy is instrumented, so that the step still runs, untimed by
  // operation, where that fails (a graph cuDNN or cuBLASLt built in a way
  // that refuses the new edges, say).
  std::vector<cudaGraphEdgeData> edges;
  std::vector<cudaGraphNode_t> chain;
  cudaGraph_t copy = nullptr;
  if (cudaGraphClone(&copy, graph) == cudaSuccess)
    chain = chainOf(copy, edges);
  TimedGraph timed;
  if (!chain.empty()) {
    timed.events.assign(chain.size() + 1, nullptr);
    bool created = true;
    for (cudaEvent_t &event : timed.events)
      created = created && cudaEventCreate(&event) == cudaSuccess;
    if (created && instrument(copy, chain, edges, timed.events) &&
        cudaGraphInstantiate(&timed.exec, copy, 0) == cudaSuccess) {
      for (cudaGraphNode_t node : chain)
        timed.names.push_back(operationName(node));
    } else {
      timed.release();
    }
  }
  if (copy)
    cudaGraphDestroy(copy);
  cudaGetLastError();
  if (!timed.exec)
    if (Status status = check(cudaGraphInstantiate(&timed.exec, graph, 0),
                              "instantiating a step's graph");
        !status) {
      cudaGetLastError();
      return status.error();
    }
  return timed;
}

Expected<std::vector<OperationTime>> TimedGraph::read() const {
  std::vector<OperationTime> times;
  for (size_t i = 0; i < names.size(); ++i) {
    float milliseconds = 0;
    if (Status status =
            check(cudaEventElapsedTime(&milliseconds, events[i], events[i + 1]),
                  "reading a step's operation times");
        !status)
      return status.error();
    times.push_back({names[i], milliseconds});
  }
  return times;
}

TimedGraph::TimedGraph(TimedGraph &&other) noexcept {
  *this = std::move(other);
}

TimedGraph &TimedGraph::operator=(TimedGraph &&other) noexcept {
  if (this != &other) {
    release();
    exec = std::exchange(other.exec, nullptr);
    names = std::exchange(other.names, {});
    events = std::exchange(other.events, {});
  }
  return *this;
}

TimedGraph::~TimedGraph() { release(); }

void TimedGraph::release() {
  if (exec)
    cudaGraphExecDestroy(exec);
  exec = nullptr;
  for (cudaEvent_t event : events)
    if (event)
      cudaEventDestroy(event);
  events.clear();
  names.clear();
}

} // namespace intr::cuda
