//===- Executable.cpp - Loading and checking .intrx files -----------------===//
//
// Nothing in the file is trusted before it is checked: the preamble's
// offsets against the file size, the checksum, the FlatBuffer against its
// schema (the generated verifier), and then every tensor index, offset and
// size against the arena and the weight blob.
//
//===----------------------------------------------------------------------===//

#include "CPU/ElementwiseSupport.h"
#include "ExecutableImpl.h"

#include "intr/Target/Executable_generated.h"
#include "intr/Target/FilePreamble.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <limits>
#include <optional>
#include <random>
#include <set>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace intr {

namespace fb = intr::format;

namespace {

using fb::kMaxBytes;
using fb::kMaxDim;
using fb::kMaxRank;

Error fileError(const std::string &source, const std::string &what) {
  return Error(source + ": " + what);
}

std::string str(const flatbuffers::String *s) { return s ? s->str() : ""; }

/// Whether a step of `kernel` may have none (-1) for its results after the
/// first: the class attentions' maps, which their kernels then do not
/// store. Every other kernel writes each of its results.
bool takesOmittedResults(const std::string &kernel) {
  return kernel == "intr.class_attention" ||
         kernel == "intr.class_attention_kv";
}

/// Element count of a shape, or -1 if a dimension or the product is
/// out of range.
int64_t checkedCount(const flatbuffers::Vector<int64_t> *shape) {
  int64_t count = 1;
  if (!shape)
    return 1;
  if (shape->size() > kMaxRank)
    return -1;
  for (int64_t dim : *shape) {
    if (dim < 0 || dim > kMaxDim)
      return -1;
    if (dim != 0 && count > static_cast<int64_t>(kMaxBytes) / dim)
      return -1;
    count *= dim;
  }
  return count;
}

/// A loaded file: its plans, what it says for all of them, and the memory
/// that holds their weights.
struct LoadedFile {
  std::vector<Executable::Impl> plans;
  FileMetadata metadata;
  /// Releases the file mapping or the copied bytes.
  std::function<void()> release;
  ~LoadedFile() {
    if (release)
      release();
  }
};

/// Counts what reading a header copies (tensors and their dimensions,
/// steps with their operands, results and attribute values, bindings,
/// labels and the other metadata), stopping once the count passes `limit`,
/// the header's size: tables that share their pieces (a label referred to
/// a million times, a variant listed a thousand times) would otherwise
/// make a small file ask for any amount of memory and time. Every element
/// takes at least a byte of its own in a file that shares nothing, as the
/// writer's.
class ElementCount {
public:
  explicit ElementCount(uint64_t limit) : limit(limit) {}
  /// False once the count has passed the limit.
  bool add(uint64_t elements) {
    count += elements;
    return count <= limit;
  }
  template <typename Vector> bool addSize(const Vector *vector) {
    return add(vector ? vector->size() : 0);
  }
  template <typename PlanTable> bool addPlan(const PlanTable &table) {
    if (table.tensors())
      for (const fb::Tensor *tensor : *table.tensors())
        if (!add(1) || !addSize(tensor->shape()))
          return false;
    if (table.steps())
      for (const fb::Step *step : *table.steps()) {
        if (!add(1) || !addSize(step->kernel()) || !addSize(step->location()) ||
            !addSize(step->inputs()) || !addSize(step->outputs()))
          return false;
        if (step->attributes())
          for (const fb::Attribute *a : *step->attributes())
            if (!add(1) || !addSize(a->name()) || !addSize(a->ints()) ||
                !addSize(a->floats()) || !addSize(a->str()))
              return false;
      }
    for (const auto *list : {table.inputs(), table.outputs()})
      if (list)
        for (const fb::Binding *binding : *list)
          if (!add(1) || !addSize(binding->name()) || !addSize(binding->role()))
            return false;
    return true;
  }
  uint64_t count = 0;

private:
  uint64_t limit;
};

/// Reads and checks a plan's arena, tensors, steps and bindings: the
/// executable's own (fb::Executable) or a variant's (fb::Variant). The
/// weights' size and address must be set.
template <typename PlanTable>
Status parsePlan(const PlanTable &table, Executable::Impl &impl,
                 const std::function<Error(const std::string &)> &fail) {
  impl.arenaSize = table.arena_size();
  if (impl.arenaSize > kMaxBytes)
    return fail("arena of " + std::to_string(impl.arenaSize) +
                " bytes is implausibly large");

  // Tensors.
  if (!table.tensors())
    return fail("no tensor table");
  for (size_t index = 0; index < table.tensors()->size(); ++index) {
    const fb::Tensor *t = table.tensors()->Get(index);
    std::string where = "tensor " + std::to_string(index) + ": ";
    if (static_cast<unsigned>(t->dtype()) >
        static_cast<unsigned>(fb::DType::MAX))
      return fail(where + "unknown dtype " +
                  std::to_string(static_cast<unsigned>(t->dtype())));
    if (static_cast<unsigned>(t->storage()) >
        static_cast<unsigned>(fb::Storage::MAX))
      return fail(where + "unknown storage kind");
    PlannedTensor tensor;
    tensor.dtype = static_cast<DType>(t->dtype());
    int64_t count = checkedCount(t->shape());
    if (count < 0)
      return fail(where + "invalid shape");
    if (t->shape())
      tensor.shape.assign(t->shape()->begin(), t->shape()->end());
    tensor.isWeight = t->storage() == fb::Storage::Weight;
    tensor.offset = t->offset();
    tensor.size = t->size();
    if (tensor.size != static_cast<uint64_t>(count) * dtypeSize(tensor.dtype))
      return fail(where + "size " + std::to_string(tensor.size) +
                  " does not match its shape " + formatShape(tensor.shape) +
                  " of " + dtypeName(tensor.dtype));
    if (tensor.offset % fb::kAlignment != 0)
      return fail(where + "offset " + std::to_string(tensor.offset) +
                  " is not a multiple of 256");
    uint64_t limit = tensor.isWeight ? impl.weightsSize : impl.arenaSize;
    if (tensor.offset > limit || tensor.size > limit - tensor.offset)
      return fail(where + "bytes [" + std::to_string(tensor.offset) + ", " +
                  std::to_string(tensor.offset + tensor.size) +
                  ") lie outside the " +
                  (tensor.isWeight ? "weights" : "arena") + " of " +
                  std::to_string(limit) + " bytes");
    impl.tensors.push_back(std::move(tensor));
  }
  const int32_t numTensors = static_cast<int32_t>(impl.tensors.size());
  auto checkIndex = [&](int32_t index, bool allowNone, bool mustBeArena,
                        const std::string &where) -> Status {
    if (index == -1 && allowNone)
      return Status::ok();
    if (index < 0 || index >= numTensors)
      return fail(where + "refers to tensor " + std::to_string(index) +
                  " of " + std::to_string(numTensors));
    if (mustBeArena && impl.tensors[index].isWeight)
      return fail(where + "writes to a weight (tensor " +
                  std::to_string(index) + ")");
    return Status::ok();
  };

  // Steps.
  if (table.steps())
    for (size_t index = 0; index < table.steps()->size(); ++index) {
      const fb::Step *s = table.steps()->Get(index);
      PlannedStep step;
      step.kernel = s->kernel()->str();
      step.node = str(s->location());
      std::string where = step.describe(index) + ": ";
      if (s->inputs())
        for (int32_t input : *s->inputs()) {
          if (Status status = checkIndex(input, true, false, where); !status)
            return status;
          step.inputs.push_back(input);
        }
      if (s->outputs())
        for (int32_t output : *s->outputs()) {
          const bool omittable =
              !step.outputs.empty() && takesOmittedResults(step.kernel);
          if (Status status = checkIndex(output, omittable, true, where);
              !status)
            return status;
          step.outputs.push_back(output);
        }
      // A step's results share no arena byte with its operands or with each
      // other: the planner keeps a step's buffers apart, and no kernel then
      // has to survive (or be slowed by) aliasing that only a corrupted
      // file could ask for. The spans, sorted by start (results first
      // among equals), are each checked against the furthest end before
      // them (of any span for a result, of a result for an operand): n log
      // n for a step of n, where pairs would let a step of many results
      // and operands take minutes.
      struct Span {
        uint64_t begin, end;
        int32_t tensor;
        bool result;
      };
      std::vector<Span> spans;
      auto addSpan = [&](int32_t tensor, bool result) {
        if (tensor < 0 || impl.tensors[tensor].isWeight ||
            impl.tensors[tensor].size == 0)
          return;
        const PlannedTensor &t = impl.tensors[tensor];
        spans.push_back({t.offset, t.offset + t.size, tensor, result});
      };
      for (int32_t output : step.outputs)
        addSpan(output, true);
      for (int32_t input : step.inputs)
        addSpan(input, false);
      std::stable_sort(
          spans.begin(), spans.end(),
          [](const Span &a, const Span &b) { return a.begin < b.begin; });
      const Span *furthest = nullptr, *furthestResult = nullptr;
      for (const Span &span : spans) {
        const Span *other = span.result ? furthest : furthestResult;
        if (other && span.begin < other->end) {
          if (span.result && other->result)
            return fail(where + "result tensors " +
                        std::to_string(other->tensor) + " and " +
                        std::to_string(span.tensor) + " overlap in the arena");
          const Span &result = span.result ? span : *other;
          const Span &operand = span.result ? *other : span;
          return fail(where + "result tensor " + std::to_string(result.tensor) +
                      " overlaps operand tensor " +
                      std::to_string(operand.tensor) + " in the arena");
        }
        if (!furthest || span.end > furthest->end)
          furthest = &span;
        if (span.result && (!furthestResult || span.end > furthestResult->end))
          furthestResult = &span;
      }
      if (s->attributes())
        for (const fb::Attribute *a : *s->attributes()) {
          cpu::AttrValue value;
          if (a->ints())
            value.ints.assign(a->ints()->begin(), a->ints()->end());
          if (a->floats())
            value.floats.assign(a->floats()->begin(), a->floats()->end());
          value.str = str(a->str());
          step.attrs.set(a->name()->str(), std::move(value));
        }
      impl.steps.push_back(std::move(step));
    }

  // Bindings.
  auto readBindings =
      [&](const flatbuffers::Vector<flatbuffers::Offset<fb::Binding>> *list,
          const char *what, std::vector<Binding> &bindings,
          std::vector<TensorInfo> &infos) -> Status {
    std::set<std::string> names;
    if (!list)
      return Status::ok();
    for (const fb::Binding *b : *list) {
      std::string name = b->name()->str();
      std::string where = std::string(what) + " '" + name + "': ";
      if (name.empty() || !names.insert(name).second)
        return fail(std::string(what) + " names must be unique and "
                                        "non-empty ('" +
                    name + "')");
      if (Status status = checkIndex(b->tensor(), false, true, where);
          !status)
        return status;
      const PlannedTensor &tensor = impl.tensors[b->tensor()];
      Binding binding{{name, tensor.dtype, tensor.shape, str(b->role())},
                      b->tensor()};
      infos.push_back(binding.info);
      bindings.push_back(std::move(binding));
    }
    return Status::ok();
  };
  if (Status status = readBindings(table.inputs(), "input", impl.inputBindings,
                                   impl.inputs);
      !status)
    return status;
  if (Status status = readBindings(table.outputs(), "output",
                                   impl.outputBindings, impl.outputs);
      !status)
    return status;
  if (impl.outputs.empty())
    return fail("the executable has no outputs");

  return Status::ok();
}

Expected<std::shared_ptr<LoadedFile>>
parse(const std::byte *bytes, uint64_t size, const std::string &source) {
  auto fail = [&](const std::string &what) { return fileError(source, what); };
  fb::FilePreamble preamble;
  if (size < sizeof(preamble))
    return fail("too short to be an executable (" + std::to_string(size) +
                " bytes)");
  std::memcpy(&preamble, bytes, sizeof(preamble));
  if (std::memcmp(preamble.magic, fb::kMagic, sizeof(fb::kMagic)) != 0)
    return fail("not an .intrx executable (bad magic)");
  if (preamble.version != fb::kFormatVersion)
    return fail("format version " + std::to_string(preamble.version) +
                ", this runtime reads version " +
                std::to_string(fb::kFormatVersion) +
                ": recompile the model with this release's intr-opt");
  // The checksum does not cover the preamble: requiring the reserved words
  // to be zero (as the writer leaves them) makes every preamble byte count.
  if (preamble.reserved != 0 || preamble.reserved2 != 0)
    return fail("the preamble's reserved fields are not zero");
  // The header and the weights each lie inside the file, 256-aligned.
  auto misplaced = [&](const char *name, const char *lie, uint64_t offset,
                       uint64_t length) -> std::optional<std::string> {
    if (offset > size || length > size - offset)
      return std::string(name) + " at offset " + std::to_string(offset) +
             " of " + std::to_string(length) + " bytes " + lie +
             " outside the file of " + std::to_string(size) +
             " bytes (truncated?)";
    if (offset % fb::kAlignment != 0)
      return std::string(name) + " offset " + std::to_string(offset) +
             " is not a multiple of 256";
    return std::nullopt;
  };
  // The FlatBuffers verifier checks alignment relative to the header's
  // start, so the header itself must be aligned for its 8-byte scalars to
  // be; the verifier also asserts on buffers of 2 GiB and more.
  if (std::optional<std::string> error = misplaced(
          "header", "lies", preamble.headerOffset, preamble.headerSize))
    return fail(*error);
  if (preamble.headerSize < 8 ||
      preamble.headerSize >= FLATBUFFERS_MAX_BUFFER_SIZE)
    return fail("a header of " + std::to_string(preamble.headerSize) +
                " bytes is not a FlatBuffer");
  if (std::optional<std::string> error = misplaced(
          "weights", "lie", preamble.weightsOffset, preamble.weightsSize))
    return fail(*error);
  const std::byte *header = bytes + preamble.headerOffset;
  const std::byte *weights = bytes + preamble.weightsOffset;
  uint64_t sum = fb::checksum(weights, preamble.weightsSize,
                              fb::checksum(header, preamble.headerSize));
  if (sum != preamble.checksum)
    return fail("checksum mismatch: the file is corrupted");

  const auto *data = reinterpret_cast<const uint8_t *>(header);
  if (!flatbuffers::BufferHasIdentifier(data, fb::ExecutableIdentifier()))
    return fail("the header is not an executable's (bad identifier)");
  flatbuffers::Verifier verifier(data, preamble.headerSize);
  if (!fb::VerifyExecutableBuffer(verifier))
    return fail("the header does not match the executable schema");
  const fb::Executable *exe = fb::GetExecutable(data);

  ElementCount elements(preamble.headerSize);
  bool bounded = elements.addPlan(*exe) && elements.addSize(exe->producer());
  if (const fb::ModelInfo *model = exe->model()) {
    bounded = bounded && elements.addSize(model->feature_map()) &&
              elements.addSize(model->pixel_mean()) &&
              elements.addSize(model->pixel_std()) &&
              elements.addSize(model->labels());
    if (model->labels())
      for (const flatbuffers::String *label : *model->labels())
        bounded = bounded && elements.addSize(label);
  }
  if (exe->variants())
    for (const fb::Variant *variant : *exe->variants())
      bounded = bounded && elements.add(1) && elements.addPlan(*variant) &&
                elements.addSize(variant->feature_map());
  if (!bounded)
    return fail("the header refers to more elements than its " +
                std::to_string(preamble.headerSize) +
                " bytes hold: its tables share their pieces, as no "
                "intr-opt writes them");

  auto file = std::make_shared<LoadedFile>();
  file->plans.resize(1 + (exe->variants() ? exe->variants()->size() : 0));
  Executable::Impl *impl = &file->plans[0];
  impl->source = source;
  FileMetadata &metadata = file->metadata;
  metadata.producer = str(exe->producer());
  impl->weights = weights;
  impl->weightsSize = exe->weights_size();
  impl->weightsStripped = exe->weights_stripped();
  if (static_cast<unsigned>(exe->precision()) >
      static_cast<unsigned>(fb::Precision::MAX))
    return fail("unknown precision " +
                std::to_string(static_cast<unsigned>(exe->precision())));
  impl->precision = fb::EnumNamePrecision(exe->precision());
  for (char &c : impl->precision) // "FP16" -> "fp16", as --precision says
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  impl->storedWeightsSize = preamble.weightsSize;
  if (impl->weightsStripped ? exe->weights_size() < preamble.weightsSize ||
                                  exe->weights_size() > kMaxBytes
                            : exe->weights_size() != preamble.weightsSize)
    return fail("the header and the preamble disagree on the weight size");

  if (const fb::ModelInfo *model = exe->model()) {
    impl->numClasses = model->num_classes();
    if (model->labels())
      for (const flatbuffers::String *label : *model->labels())
        metadata.labels.push_back(label->str());
    if (model->pixel_mean())
      metadata.pixelMean.assign(model->pixel_mean()->begin(),
                                model->pixel_mean()->end());
    if (model->pixel_std())
      metadata.pixelStd.assign(model->pixel_std()->begin(),
                               model->pixel_std()->end());
  }

  // The variants: the executable's scalars, copied before the first plan
  // has anything larger (its feature map, its tables), and plans of their
  // own.
  for (size_t i = 1; i < file->plans.size(); ++i) {
    const fb::Variant *variant = exe->variants()->Get(i - 1);
    Executable::Impl &plan = file->plans[i];
    plan = *impl;
    if (variant->feature_map())
      plan.featureMap.assign(variant->feature_map()->begin(),
                             variant->feature_map()->end());
  }
  if (const fb::ModelInfo *model = exe->model(); model && model->feature_map())
    impl->featureMap.assign(model->feature_map()->begin(),
                            model->feature_map()->end());
  if (Status status = parsePlan(*exe, *impl, fail); !status)
    return status.error();
  for (size_t i = 1; i < file->plans.size(); ++i) {
    const fb::Variant *variant = exe->variants()->Get(i - 1);
    Executable::Impl &plan = file->plans[i];
    auto failInVariant = [&](const std::string &what) {
      return fail("variant " + std::to_string(i) + ": " + what);
    };
    if (Status status = parsePlan(*variant, plan, failInVariant); !status)
      return status.error();
    // A session of any variant feeds and reads the same tensors.
    auto names = [](const std::vector<TensorInfo> &infos) {
      std::vector<std::pair<std::string, DType>> list;
      for (const TensorInfo &info : infos)
        list.emplace_back(info.name, info.dtype);
      return list;
    };
    if (names(plan.inputs) != names(impl->inputs) ||
        names(plan.outputs) != names(impl->outputs))
      return failInVariant("its inputs or outputs differ from the first "
                           "plan's in name, order or type");
  }
  for (Executable::Impl &plan : file->plans) {
    plan.variants = &file->plans;
    plan.metadata = &file->metadata;
  }
  return file;
}

} // namespace

std::string PlannedStep::describe(size_t index) const {
  std::string text = "step " + std::to_string(index) + " (" + kernel;
  if (!node.empty())
    text += ", node '" + node + "'";
  return text + ")";
}

/// Refuses a stripped executable unless asked to fill its weights, which
/// it then does in a new blob: the stored bytes, then random values for
/// every stripped (floating-point) weight.
static Status fillStrippedWeights(LoadedFile &file,
                                  const LoadOptions &options) {
  const Executable::Impl &impl = file.plans.front();
  if (!impl.weightsStripped)
    return Status::ok();
  if (!options.randomWeights)
    return fileError(impl.source,
                     "its weights were stripped at compile time "
                     "(--strip-weights): it can only be timed, with random "
                     "weights (intr-bench --random-weights)");
  auto *blob = static_cast<std::byte *>(std::aligned_alloc(
      fb::kAlignment, std::max<uint64_t>(fb::alignUp(impl.weightsSize), 256)));
  if (!blob)
    return fileError(impl.source, "out of memory for the weights");
  std::memcpy(blob, impl.weights, impl.storedWeightsSize);
  std::memset(blob + impl.storedWeightsSize, 0,
              impl.weightsSize - impl.storedWeightsSize);
  // Values of the size a trained network has, so that activations neither
  // vanish (into slow denormals on a CPU) nor overflow through 50 layers:
  // He-uniform over the fan-in (every dimension but the first) for weight
  // matrices and kernels, and positive values near one for vectors (scales
  // and biases).
  std::mt19937 generator(7);
  // The variants' weights too, each once.
  std::vector<const PlannedTensor *> stripped;
  std::set<uint64_t> offsets;
  for (const Executable::Impl &plan : file.plans)
    for (const PlannedTensor &tensor : plan.tensors)
      if (tensor.isWeight && tensor.offset >= impl.storedWeightsSize &&
          (tensor.dtype == DType::F32 || tensor.dtype == DType::F16 ||
           tensor.dtype == DType::BF16) &&
          offsets.insert(tensor.offset).second)
        stripped.push_back(&tensor);
  for (const PlannedTensor *weight : stripped) {
    const PlannedTensor &tensor = *weight;
    int64_t fanIn = 1;
    for (size_t d = 1; d < tensor.shape.size(); ++d)
      fanIn *= std::max<int64_t>(tensor.shape[d], 1);
    float bound = std::sqrt(6.0f / static_cast<float>(fanIn));
    std::uniform_real_distribution<float> uniform =
        tensor.shape.size() >= 2
            ? std::uniform_real_distribution<float>(-bound, bound)
            : std::uniform_real_distribution<float>(0.5f, 1.0f);
    std::byte *values = blob + tensor.offset;
    for (uint64_t i = 0; i < tensor.size / dtypeSize(tensor.dtype); ++i) {
      float value = uniform(generator);
      if (tensor.dtype == DType::F32)
        reinterpret_cast<float *>(values)[i] = value;
      else if (tensor.dtype == DType::F16)
        reinterpret_cast<cpu::Half *>(values)[i] = cpu::halfFromFloat(value);
      else
        reinterpret_cast<cpu::BFloat16 *>(values)[i] =
            cpu::bfloat16FromFloat(value);
    }
  }
  for (Executable::Impl &plan : file.plans)
    plan.weights = blob;
  std::function<void()> releaseFile = std::move(file.release);
  file.release = [blob, releaseFile] {
    std::free(blob);
    if (releaseFile)
      releaseFile();
  };
  return Status::ok();
}

Expected<Executable> Executable::load(const std::string &path,
                                      const LoadOptions &options) {
  // O_NONBLOCK: opening a FIFO must not wait for a writer (fstat then
  // rejects it); it changes nothing for regular files.
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0)
    return fileError(path, std::strerror(errno));
  struct stat info;
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    ::close(fd);
    return fileError(path, "not a regular file");
  }
  uint64_t size = static_cast<uint64_t>(info.st_size);
  if (size == 0) {
    ::close(fd);
    return fileError(path, "the file is empty");
  }
  void *mapping = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);
  if (mapping == MAP_FAILED)
    return fileError(path, std::string("cannot map: ") + std::strerror(errno));
  Expected<std::shared_ptr<LoadedFile>> file =
      parse(static_cast<const std::byte *>(mapping), size, path);
  if (!file) {
    ::munmap(mapping, size);
    return file.error();
  }
  (*file)->release = [mapping, size] { ::munmap(mapping, size); };
  if (Status status = fillStrippedWeights(**file, options); !status)
    return status.error();
  // The first plan, sharing the ownership of the whole file.
  return Executable(std::shared_ptr<const Impl>(*file, &(*file)->plans[0]));
}

Expected<Executable> Executable::fromBytes(const void *data, size_t size,
                                           const std::string &name,
                                           const LoadOptions &options) {
  // A copy at an aligned address: the weights must be 256-byte aligned.
  size_t rounded = (size + fb::kAlignment - 1) / fb::kAlignment *
                   fb::kAlignment;
  void *copy = std::aligned_alloc(fb::kAlignment, rounded ? rounded : 256);
  if (!copy)
    return fileError(name, "out of memory");
  if (size)
    std::memcpy(copy, data, size);
  Expected<std::shared_ptr<LoadedFile>> file =
      parse(static_cast<const std::byte *>(copy), size, name);
  if (!file) {
    std::free(copy);
    return file.error();
  }
  (*file)->release = [copy] { std::free(copy); };
  if (Status status = fillStrippedWeights(**file, options); !status)
    return status.error();
  // The first plan, sharing the ownership of the whole file.
  return Executable(std::shared_ptr<const Impl>(*file, &(*file)->plans[0]));
}

const std::vector<TensorInfo> &Executable::inputs() const {
  return state->inputs;
}
const std::vector<TensorInfo> &Executable::outputs() const {
  return state->outputs;
}
const std::vector<int64_t> &Executable::featureMap() const {
  return state->featureMap;
}
int64_t Executable::numClasses() const { return state->numClasses; }
const std::vector<std::string> &Executable::labels() const {
  return state->metadata->labels;
}
const std::vector<float> &Executable::pixelMean() const {
  return state->metadata->pixelMean;
}
const std::vector<float> &Executable::pixelStd() const {
  return state->metadata->pixelStd;
}
uint64_t Executable::arenaSize() const { return state->arenaSize; }
uint64_t Executable::weightsSize() const { return state->weightsSize; }
bool Executable::weightsStripped() const { return state->weightsStripped; }
const std::string &Executable::precision() const { return state->precision; }
std::vector<std::string> Executable::stepKernels() const {
  std::vector<std::string> kernels;
  for (const PlannedStep &step : state->steps)
    kernels.push_back(step.kernel);
  return kernels;
}
const std::string &Executable::producer() const {
  return state->metadata->producer;
}
std::vector<Executable> Executable::variants() const {
  std::vector<Executable> all;
  // Each shares the ownership of the file that holds them all.
  for (const Impl &plan : *state->variants)
    all.push_back(Executable(std::shared_ptr<const Impl>(state, &plan)));
  return all;
}
const std::string &Executable::source() const { return state->source; }

} // namespace intr
