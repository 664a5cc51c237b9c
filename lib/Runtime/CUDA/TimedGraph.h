//===- TimedGraph.h - A captured graph that times each operation -*- C++
//-*-===//
//
// For the per-operation profile: one stream's capture records a chain of
// device operations (kernels, memsets, copies), ours and the libraries'.
// TimedGraph puts an event record between every two of them before it
// instantiates the graph, so that one launch times each operation on the
// device, with nothing of the host's between them. A graph that is not a
// chain is instantiated as it is and times nothing by operation.
//
//===----------------------------------------------------------------------===//

#ifndef INTR_LIB_RUNTIME_CUDA_TIMEDGRAPH_H
#define INTR_LIB_RUNTIME_CUDA_TIMEDGRAPH_H

#include "intr/runtime/Error.h"
#include "intr/runtime/Session.h"

#include <cuda_runtime.h>

#include <string>
#include <vector>

namespace intr::cuda {

class TimedGraph {
public:
  /// Instruments and instantiates `graph`, which stays the caller's.
  static Expected<TimedGraph> create(cudaGraph_t graph);
  TimedGraph(TimedGraph &&other) noexcept;
  TimedGraph &operator=(TimedGraph &&other) noexcept;
  TimedGraph(const TimedGraph &) = delete;
  TimedGraph &operator=(const TimedGraph &) = delete;
  ~TimedGraph();

  cudaGraphExec_t executable() const { return exec; }
  /// Once a launch has completed: each operation's time in it, in order
  /// (none for a graph that is not a chain).
  Expected<std::vector<OperationTime>> read() const;

private:
  TimedGraph() = default;
  void release();

  cudaGraphExec_t exec = nullptr;
  std::vector<std::string> names;
  /// One before each operation and one after the last, or none.
  std::vector<cudaEvent_t> events;
};

} // namespace intr::cuda

#endif // INTR_LIB_RUNTIME_CUDA_TIMEDGRAPH_H
