//===- DeviceTiming.cu - What a call costs, with or without the host ------===//
//
// Choosing between a library's algorithms by timing them on the step's own
// operands should time what a CUDA Graph replay pays: the device's work,
// not the host's work of enqueueing each call. For that a kernel of one
// thread spins on the stream while the host enqueues the timed calls
// behind it, so that they run back to back once it ends.
//
//===----------------------------------------------------------------------===//

#include "CudaKernel.h"

namespace intr::cuda {

namespace {

/// Spins one thread for `cycles` clock cycles.
__global__ void holdStream(long long cycles) {
  long long start = clock64();
  while (clock64() - start < cycles) {
  }
}

} // namespace

Expected<float> timeCalls(Context &context, const std::function<Status()> &run,
                          int calls, bool deviceAlone,
                          const std::string &what) {
  if (context.capturing)
    return Error(what + ": cannot time calls during a CUDA Graph capture");
  // The untimed call may load the library's kernels and size the scratch.
  if (Status s = run(); !s)
    return s.error();
  struct Events {
    cudaEvent_t start = nullptr, stop = nullptr;
    ~Events() {
      if (start)
        cudaEventDestroy(start);
      if (stop)
        cudaEventDestroy(stop);
    }
  } events;
  if (Status s = check(cudaEventCreate(&events.start), what); !s)
    return s.error();
  if (Status s = check(cudaEventCreate(&events.stop), what); !s)
    return s.error();
  if (deviceAlone) {
    // About 1 ms, and 0.5 ms a call, at 2 GHz: far more than the host
    // needs to enqueue a library call.
    holdStream<<<1, 1, 0, context.stream>>>(2'000'000LL + 1'000'000LL * calls);
    if (Status s = checkLaunch(what.c_str()); !s)
      return s.error();
  }
  if (Status s = check(cudaEventRecord(events.start, context.stream), what); !s)
    return s.error();
  for (int i = 0; i < calls; ++i)
    if (Status s = run(); !s) {
      // Let the spin and the calls enqueued so far finish before the
      // caller moves on.
      cudaStreamSynchronize(context.stream);
      return s.error();
    }
  if (Status s = check(cudaEventRecord(events.stop, context.stream), what); !s)
    return s.error();
  if (Status s = check(cudaEventSynchronize(events.stop), what); !s)
    return s.error();
  float milliseconds = 0;
  if (Status s = check(
          cudaEventElapsedTime(&milliseconds, events.start, events.stop), what);
      !s)
    return s.error();
  return milliseconds / float(calls);
}

} // namespace intr::cuda
