//===- Session.h - Running an executable ------------------------*- C++ -*-===//

#ifndef INTR_RUNTIME_SESSION_H
#define INTR_RUNTIME_SESSION_H

#include "intr/runtime/Error.h"
#include "intr/runtime/Executable.h"
#include "intr/runtime/Export.h"
#include "intr/runtime/Tensor.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace intr {

/// Where a session runs.
struct INTR_API Device {
  enum class Kind { CPU, CUDA };
  Kind kind = Kind::CPU;
  /// CPU: worker threads (0: defaultCpuThreads(), one per CPU the process
  /// may use; at most kMaxCpuThreads). CUDA: the device.
  int index = 0;
  /// The most CPU threads a session takes: thousands of OpenMP threads
  /// only thrash, and tens of thousands fail to start.
  static constexpr int kMaxCpuThreads = 1024;

  static Device cpu(int threads = 0) { return {Kind::CPU, threads}; }
  static Device cuda(int device = 0) { return {Kind::CUDA, device}; }
  /// "cpu" (with `threads`), "cuda" (device 0) or "cuda:N".
  static Expected<Device> parse(const std::string &text, int threads = 0);
  /// "cpu (8 threads)", the default threads counted, or "cuda:0".
  std::string name() const;
};

/// How far a run's outputs may stray from an f32 reference of the same
/// model (the PyTorch goldens), element by element: |got - want| <= atol +
/// rtol * |want|.
struct INTR_API Tolerance {
  double atol = 0, rtol = 0;
  /// For an output stored in f16 or bf16 (--attention-dtype fp16, a model
  /// exported in half precision) and compared in f32: that type's rounding
  /// on top (2^-11 relative and 2^-25 absolute, for its subnormals, for
  /// f16; 2^-8 relative for bf16). Other types add none.
  Tolerance plusRoundingOf(DType stored) const;
};

/// What a plan compiled with `precision` ("fp32", "tf32", "fp16", "bf16")
/// meets on a `device`, as intr-run --expect and the fixture tests apply
/// it. The CPU computes fp32 (and tf32 plans as fp32): 1e-4. CUDA reorders
/// fp32 sums (2e-4 and 1e-3) and uses TF32 tensor cores for tf32 plans
/// (3e-2: PyTorch with every product's operands rounded to TF32 moves the
/// tiny fixtures' outputs by up to 2.2e-2). fp16 and bf16 plans round every
/// convolution's result to 11 or 8 significant bits, which the model amplifies
/// as much as PyTorch's own 16-bit convolutions do: 5e-2 and 0.25 on the CPU,
/// twice that on CUDA, whose roundings fall elsewhere and feed a tf32
/// transformer.
INTR_API Tolerance referenceTolerance(const std::string &precision,
                                      Device::Kind device);

/// Elements the caller owns, handed to a run: dense, row-major.
struct TensorView {
  const void *data = nullptr;
  DType dtype = DType::F32;
  std::vector<int64_t> shape;

  TensorView() = default;
  TensorView(const void *data, DType dtype, std::vector<int64_t> shape)
      : data(data), dtype(dtype), shape(std::move(shape)) {}
  TensorView(const float *data, std::vector<int64_t> shape)
      : data(data), dtype(DType::F32), shape(std::move(shape)) {}
  /// A view of a host tensor.
  TensorView(const Tensor &tensor)
      : data(tensor.rawData()), dtype(tensor.dtype()), shape(tensor.shape()) {}
};

/// The outputs of one run, by name.
class INTR_API Outputs {
public:
  /// The output called `name`, or null.
  const Tensor *get(const std::string &name) const;
  /// The first output with this role ("logits", "attention", ...), or null.
  const Tensor *byRole(const std::string &role) const;
  const std::vector<std::string> &names() const { return order; }

  /// Adds the output `name`, or replaces the one of that name.
  void add(std::string name, std::string role, Tensor tensor);
  /// The tensor `name`, kept (with its memory) when it already has this
  /// dtype and shape, otherwise added or replaced by a new one.
  Tensor &reuse(const std::string &name, const std::string &role, DType dtype,
                const std::vector<int64_t> &shape);

private:
  std::vector<std::string> order;
  std::map<std::string, Tensor> tensors;
  std::map<std::string, std::string> roles;
};

/// Where a named input or output lives while a session runs: device memory
/// for a CUDA session, host memory for a CPU one. Valid as long as the
/// session; each run overwrites it. The plan reuses an input's memory once
/// the input is read, for other tensors and perhaps an output: write the
/// inputs again before each run, and only after reading the outputs of
/// the run before.
struct BufferView {
  void *data = nullptr;
  DType dtype = DType::F32;
  std::vector<int64_t> shape;
  Device device;
  size_t sizeInBytes() const { return elementCount(shape) * dtypeSize(dtype); }
};

/// How a run hands its results back.
struct RunOptions {
  /// Copy the outputs into host Tensors. When false they stay in the
  /// session's buffers (see Session::buffer) for zero-copy use on the device,
  /// and finish() returns no tensors (finish(Outputs &) empties the Outputs
  /// it is given).
  bool copyOutputs = true;
  /// Time every step (see Session::profile). A profiled CUDA run launches
  /// each step's own graph (captured by the first profiled run that comes
  /// after the run's graph) between timing events instead of one graph for
  /// the run, so it is slower; a first run, or one without graphs
  /// (INTR_CUDA_GRAPHS=0), enqueues its steps one by one.
  bool profile = false;
};

/// One device operation of a step in a profiled CUDA run: a kernel (by the
/// name the driver gives it, ours without namespaces and parameters, or
/// "kernel" where it gives none), a "memset" or a "memcpy"; its time runs
/// from the event before it to the event after it, so it includes the gap
/// between the two.
struct OperationTime {
  std::string name;
  double milliseconds = 0;
};

/// One step of a profiled run.
struct StepTime {
  size_t step = 0;
  std::string kernel; // "intr.conv2d", ...
  std::string node;   // the ONNX node, when known
  double milliseconds = 0;
  /// On CUDA, in profiled runs once the run's graph exists (from the
  /// second run on): each of the step's device operations in order, timed
  /// between events inside its graph. Empty on the CPU, without graphs
  /// (INTR_CUDA_GRAPHS=0), and for a step whose graph is not one chain of
  /// operations.
  std::vector<OperationTime> operations;
};

/// One executable made ready to run on one device: its arena allocated and
/// its steps bound to kernels. Runs are sequential within a session; use
/// one session per thread to run in parallel. A session's other calls
/// (profile(), memoryBytes(), its buffers) must not overlap its own run
/// either: they read what the run writes. A session moved from has no
/// device memory left: its runs and buffers are errors, its profile empty
/// and its memoryBytes() 0. On the CPU, outputs are the same bits from run
/// to run for one thread count; another count splits the work otherwise
/// and may change their last bits.
class INTR_API Session {
public:
  /// Fails when the device is not available or a step has no kernel there.
  static Expected<Session> create(const Executable &executable,
                                  Device device = Device::cpu());

  /// Runs the model. Every input must be given once, by name, with its
  /// compiled dtype and shape.
  /// Synchronous: start() then finish().
  Expected<Outputs> run(const std::map<std::string, TensorView> &inputs);

  /// Starts a run and returns without waiting for it on a CUDA device (a
  /// CPU session runs it here). The inputs are copied before start returns,
  /// so their memory may be reused at once. One run at a time: call finish()
  /// before the next start.
  Status start(const std::map<std::string, TensorView> &inputs,
               RunOptions options = {});
  /// Starts a run on the inputs already written into their buffers (see
  /// buffer(), and when to write them): no host copies at all. On CUDA the run waits for the work
  /// already queued on the legacy default stream (cudaMemcpy, kernels
  /// launched on stream 0); writes on other streams must be complete.
  Status startInPlace(RunOptions options = {});
  /// Waits for the started run; its outputs, or the error of any step.
  Expected<Outputs> finish();
  /// The same, writing the outputs into `outputs` (see Outputs::reuse): a
  /// caller that keeps one Outputs across runs allocates nothing per run.
  Status finish(Outputs &outputs);

  /// Each step's time in the last run started with RunOptions::profile, in
  /// plan order; on CUDA, the device time between one step's launch and the
  /// next (after the first run, each step's own graph: its kernels back to
  /// back, closer to a replay than steps enqueued one by one), and then
  /// each of its device operations' too. Empty before such a run.
  std::vector<StepTime> profile() const;

  /// Where the input or output `name` lives during runs.
  Expected<BufferView> buffer(const std::string &name) const;

  /// Bytes the session holds on its device: arena, weights (CUDA; shared
  /// by the sessions of one loaded file on the device, and counted in each)
  /// and scratch, and on the CPU what its first run derived from the
  /// weights (3x3 convolutions' transformed filters); library handles' own
  /// memory is not counted.
  uint64_t memoryBytes() const;

  const Executable &executable() const;
  const Device &device() const;

  Session(Session &&) noexcept;
  Session &operator=(Session &&) noexcept;
  ~Session();

  /// Internal: what a backend implements.
  class Backend;

private:
  Session(Executable executable, Device device,
          std::unique_ptr<Backend> backend);
  Executable exe;
  Device dev;
  std::unique_ptr<Backend> backend;
  bool runStarted = false, runCopiesOutputs = true;
};

} // namespace intr

#endif // INTR_RUNTIME_SESSION_H
