//===- main.cpp - Classify an image with a compiled INTR model ------------===//
//
//   embed model.intrx image.npy [threads]
//
// Loads a compiled model, runs it on the CPU on one preprocessed image
// ([B, 3, H, W] float32, as the model was compiled for) and prints, for the
// first image, the predicted class and where the model looked: the last
// decoder layer's head-averaged attention of that class, drawn on the
// feature map. Everything comes from the one public header.
//
//===----------------------------------------------------------------------===//

#include <intr/runtime/Runtime.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>

namespace {

int fail(const std::string &message) {
  std::cerr << "error: " << message << "\n";
  return 1;
}

/// The input that takes the image: the one with role "image", or the only
/// input.
const intr::TensorInfo *imageInput(const intr::Executable &exe) {
  for (const intr::TensorInfo &input : exe.inputs())
    if (input.role == "image")
      return &input;
  return exe.inputs().size() == 1 ? &exe.inputs()[0] : nullptr;
}

} // namespace

int main(int argc, char **argv) {
  if (argc < 3 || argc > 4) {
    std::cerr << "usage: embed model.intrx image.npy [threads]\n";
    return 2;
  }
  int threads = argc == 4 ? std::atoi(argv[3]) : 0;

  // Every call returns an Expected or a Status: nothing throws, nothing
  // aborts on a bad file.
  intr::Expected<intr::Executable> exe = intr::Executable::load(argv[1]);
  if (!exe)
    return fail(exe.error().message());
  const intr::TensorInfo *input = imageInput(*exe);
  if (!input)
    return fail(std::string(argv[1]) + ": no image input");

  intr::Expected<intr::Tensor> image = intr::loadNpy(argv[2]);
  if (!image)
    return fail(image.error().message());

  intr::Expected<intr::Session> session =
      intr::Session::create(*exe, intr::Device::cpu(threads));
  if (!session)
    return fail(session.error().message());
  // Session::run checks the image's dtype and shape against the model.
  intr::Expected<intr::Outputs> outputs =
      session->run({{input->name, intr::TensorView(*image)}});
  if (!outputs)
    return fail(outputs.error().message());

  // Logits [B, C]: the class of the first image.
  const intr::Tensor *logits = outputs->byRole("logits");
  if (!logits || logits->dtype() != intr::DType::F32 || logits->rank() != 2 ||
      logits->shape()[1] == 0)
    return fail("the model has no [B, C] float logits");
  int64_t classes = logits->shape()[1];
  const float *row = logits->data<float>();
  int64_t best = std::max_element(row, row + classes) - row;
  std::printf("class %lld (logit %.4f)", static_cast<long long>(best),
              row[best]);
  if (best < static_cast<int64_t>(exe->labels().size()))
    std::printf(" %s", exe->labels()[best].c_str());
  std::printf("\n");

  // Attention [L, B, H, C, T]: every decoder layer's per-head maps; a row
  // of T tokens is an h x w image of the feature map.
  const std::vector<int64_t> &map = exe->featureMap();
  if (const intr::Tensor *attention = outputs->byRole("attention")) {
    std::printf("attention %s", intr::formatShape(attention->shape()).c_str());
    if (map.size() == 2)
      std::printf(", T = %lld x %lld feature map",
                  static_cast<long long>(map[0]),
                  static_cast<long long>(map[1]));
    std::printf("\n");
  }

  // The last layer's head mean [L, B, C, T] for the predicted class, as a
  // grid of percentages of its row.
  const intr::Tensor *mean = outputs->byRole("avg_attention");
  if (mean && mean->dtype() == intr::DType::F32 && mean->rank() == 4 &&
      map.size() == 2 && map[0] * map[1] == mean->shape()[3] &&
      mean->shape()[2] == classes && mean->shape()[0] > 0) {
    const std::vector<int64_t> &s = mean->shape();
    int64_t layer = s[0] - 1, tokens = s[3];
    const float *probs =
        mean->data<float>() + ((layer * s[1] + 0) * s[2] + best) * tokens;
    std::printf("where class %lld looked (last layer, %% of attention):\n",
                static_cast<long long>(best));
    for (int64_t y = 0; y < map[0]; ++y) {
      for (int64_t x = 0; x < map[1]; ++x)
        std::printf(" %5.1f", 100.0f * probs[y * map[1] + x]);
      std::printf("\n");
    }
  }
  return 0;
}
