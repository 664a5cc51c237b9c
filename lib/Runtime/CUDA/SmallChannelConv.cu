//===- SmallChannelConv.cu - Few-channel convolutions on tensor cores -----===//
//
// ResNet's stem, a 7x7 stride-2 convolution of the 3-channel image, is the
// costliest convolution of a bf16 plan for its FLOPs: cuDNN runs its
// channels-last 16-bit form on an indexed kernel at about 30 TFLOP/s (0.151
// ms of the full-size plan at batch 1, 1.05 ms at batch 8, on an H200), as
// 3 channels suit none of its fast kernels. This kernel runs such
// convolutions as an implicit GEMM on mma.sync instead: output positions
// are the rows (M), output channels the columns (N), and the reduction (K)
// runs over the window's taps and channels in the weight's own order, k =
// (i·kw + j)·C + c of an OHWI weight [O, kh, kw, C], padded with zeros to
// a multiple of 16.
//
// A block of 4 warps owns 64 output channels (grid y) and takes tasks of
// 128 consecutive output positions of one output row (32 per warp, two
// m16 tiles), in a grid-stride loop, so that it stages its weights once:
// [64][Kp + 8] 16-bit words in shared memory, rows 16-byte aligned with an
// odd number of 16-byte units between them, so that ldmatrix reads them
// without bank conflicts. For each task the block stages the input rows
// under the task's windows (the patch: (kh − 1)·dh + 1 rows of the 128
// windows' columns, all channels, zero outside the image), and each thread
// gathers its A fragments from it through a table of each k's offset in the
// patch (koff; −1 past K, which reads as zero, so that a padding column
// never multiplies an infinity by a zero weight). Sums are f32; the bias,
// the residual and the ReLU follow in f32 and each result is rounded once,
// as with cuDNN, and stored as pairs of channels.
//
// Fragment layouts of mma.m16n8k16 with 16-bit A and B (g = lane / 4, t =
// lane % 4): A (16 x 16, row-major) register r holds row g + 8·(r % 2),
// columns 2t + 8·(r / 2) and the next; B (16 x 8) register r holds rows
// 2t + 8r and the next of column g, which is ldmatrix's layout for rows of
// B's transpose (the weight rows); C (16 x 8) holds rows g and g + 8,
// columns 2t and 2t + 1.
//
//===----------------------------------------------------------------------===//

#include "ConvKernels.h"
#include "Float16.cuh"
#include "Launch.cuh"

#include <algorithm>
#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

namespace intr::cuda {

namespace {

using cpu::nn::Conv;

constexpr int kWarps = 4;
constexpr int kThreads = 32 * kWarps;
/// Output positions per task (32 per warp) and output channels per block.
constexpr int kTaskPositions = 32 * kWarps;
constexpr int kBlockChannels = 64;
/// The most input channels, and C·kh·kw, that the kernel takes.
constexpr int64_t kMaxChannels = 8;
constexpr int64_t kMaxReduction = 256;
/// Shared memory without opting in to more.
constexpr size_t kSharedLimit = 48 * 1024;

/// The geometry both the host and the kernel derive from a Conv.
struct Geometry {
  int K = 0, Kp = 0; // C·kh·kw, and padded to 16
  int patchRows = 0, patchCols = 0;
  int weightStride = 0; // 16-bit words per staged weight row
  size_t sharedBytes = 0;
};

Geometry geometryOf(const Conv &conv) {
  Geometry g;
  g.K = int(conv.C * conv.kh * conv.kw);
  g.Kp = (g.K + 15) / 16 * 16;
  g.patchRows = int((conv.kh - 1) * conv.dh + 1);
  g.patchCols =
      int((kTaskPositions - 1) * conv.sw + (conv.kw - 1) * conv.dw + 1);
  g.weightStride = g.Kp + 8;
  g.sharedBytes = size_t(kBlockChannels) * g.weightStride * 2 +
                  size_t(g.Kp) * sizeof(int) +
                  size_t(g.patchRows) * g.patchCols * conv.C * 2;
  return g;
}

/// d += a · b on 16-bit tensor cores (m16n8k16, f32 accumulation).
template <typename T>
__device__ __forceinline__ void mma16816(float (&d)[4], const uint32_t (&a)[4],
                                         uint32_t b0, uint32_t b1) {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 800
  if constexpr (std::is_same_v<T, __nv_bfloat16>)
    asm volatile("mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32 "
                 "{%0, %1, %2, %3}, {%4, %5, %6, %7}, {%8, %9}, "
                 "{%0, %1, %2, %3};"
                 : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3])
                 : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b0),
                   "r"(b1));
  else
    asm volatile("mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32 "
                 "{%0, %1, %2, %3}, {%4, %5, %6, %7}, {%8, %9}, "
                 "{%0, %1, %2, %3};"
                 : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3])
                 : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b0),
                   "r"(b1));
#else
  __trap(); // sm_80 on only: smallChannelConvFits checks the build.
#endif
}

/// Four 8x8 matrices of 16-bit words from shared memory: lane L gives the
/// address of row L % 8 of matrix L / 8, and gets element pair L % 4 of
/// row L / 4 of each.
__device__ __forceinline__ void loadMatrices(const uint16_t *row,
                                             uint32_t (&r)[4]) {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 800
  auto address = static_cast<uint32_t>(__cvta_generic_to_shared(row));
  asm volatile("ldmatrix.sync.aligned.m8n8.x4.shared.b16 "
               "{%0, %1, %2, %3}, [%4];"
               : "=r"(r[0]), "=r"(r[1]), "=r"(r[2]), "=r"(r[3])
               : "r"(address));
#else
  __trap();
#endif
}

/// `column` clamped to the patch's columns [0, columns].
__device__ __forceinline__ int columnWithin(int64_t column, int columns) {
  return column < 0 ? 0 : column > columns ? columns : int(column);
}

/// The pair type of a 16-bit storage type, for 4-byte stores.
template <typename T>
using Pair =
    std::conditional_t<std::is_same_v<T, __half>, __half2, __nv_bfloat162>;

/// y = act(conv(x, w) + bias + residual) for channels-last x [N, H, W, C],
/// w [O, kh, kw, C] and y [N, Ho, Wo, O] of 16-bit type T (bias and
/// residual optional): see the file comment.
template <typename T>
__global__ void __launch_bounds__(kThreads)
    smallChannelConvKernel(const T *x, const T *w, const T *bias,
                           const T *residual, T *y, Conv conv, bool relu,
                           Geometry geometry, int64_t tasks, int columnTiles) {
  awaitPredecessors();
  extern __shared__ __align__(16) unsigned char shared[];
  const int K = geometry.K, Kp = geometry.Kp, stride = geometry.weightStride;
  const int C = int(conv.C), O = int(conv.O);
  const int rowElements = geometry.patchCols * C;
  uint16_t *weights = reinterpret_cast<uint16_t *>(shared);
  int *koff = reinterpret_cast<int *>(weights + kBlockChannels * stride);
  uint16_t *patch = reinterpret_cast<uint16_t *>(koff + Kp);

  const int o0 = blockIdx.y * kBlockChannels;
  const auto *wBits = reinterpret_cast<const uint16_t *>(w);
  for (int e = threadIdx.x; e < kBlockChannels * Kp; e += kThreads) {
    int n = e / Kp, k = e % Kp;
    weights[n * stride + k] =
        o0 + n < O && k < K ? wBits[int64_t(o0 + n) * K + k] : uint16_t(0);
  }
  for (int k = threadIdx.x; k < Kp; k += kThreads) {
    int c = k % C, tap = k / C;
    int i = tap / int(conv.kw), j = tap % int(conv.kw);
    koff[k] =
        k < K ? i * int(conv.dh) * rowElements + j * int(conv.dw) * C + c : -1;
  }

  const int warp = threadIdx.x / 32, lane = threadIdx.x % 32;
  const int g = lane / 4, t = lane % 4;
  // Patch words between this thread's rows g and g + 8 of each m16 tile:
  // output positions sw apart.
  const int positionStep = int(conv.sw) * C;
  // ldmatrix: lane L reads row L % 8 of weight rows 8·(2p + L / 16) on,
  // columns 8·((L / 8) % 2) on, for n-tiles 2p and 2p + 1.
  const uint16_t *matrixRow =
      weights + ((lane / 16) * 8 + lane % 8) * stride + ((lane / 8) % 2) * 8;
  const auto *xBits = reinterpret_cast<const uint16_t *>(x);

  for (int64_t task = blockIdx.x; task < tasks; task += gridDim.x) {
    const int64_t outputRow = task / columnTiles; // n·Ho + oy
    const int64_t n = outputRow / conv.Ho, oy = outputRow % conv.Ho;
    const int64_t ox0 = (task % columnTiles) * kTaskPositions;
    const int64_t iy0 = oy * conv.sh - conv.top;
    const int64_t ix0 = ox0 * conv.sw - conv.left;
    // The patch's columns inside the image, as elements of a patch row.
    const int first = columnWithin(-ix0, geometry.patchCols) * C;
    const int last = columnWithin(conv.W - ix0, geometry.patchCols) * C;

    __syncthreads(); // The previous task is done with the patch.
    for (int r = 0; r < geometry.patchRows; ++r) {
      const int64_t iy = iy0 + r;
      const bool inside = iy >= 0 && iy < conv.H;
      const int64_t rowStart = ((n * conv.H + iy) * conv.W + ix0) * C;
      uint16_t *target = patch + r * rowElements;
      for (int q = threadIdx.x; q < rowElements; q += kThreads)
        target[q] = inside && q >= first && q < last ? xBits[rowStart + q]
                                                     : uint16_t(0);
    }
    __syncthreads();

    float acc[2][8][4] = {};
    const int base = (warp * 32 + g) * positionStep;
    for (int k0 = 0; k0 < Kp; k0 += 16) {
      const int offsets[4] = {koff[k0 + 2 * t], koff[k0 + 2 * t + 1],
                              koff[k0 + 2 * t + 8], koff[k0 + 2 * t + 9]};
      auto element = [&](int offset, int row) -> uint32_t {
        return offset < 0 ? 0u : patch[offset + row];
      };
      uint32_t a[2][4];
#pragma unroll
      for (int m = 0; m < 2; ++m) {
        const int row0 = base + 16 * m * positionStep;
        const int row8 = row0 + 8 * positionStep;
        a[m][0] = element(offsets[0], row0) | element(offsets[1], row0) << 16;
        a[m][1] = element(offsets[0], row8) | element(offsets[1], row8) << 16;
        a[m][2] = element(offsets[2], row0) | element(offsets[3], row0) << 16;
        a[m][3] = element(offsets[2], row8) | element(offsets[3], row8) << 16;
      }
#pragma unroll
      for (int p = 0; p < 4; ++p) {
        // b[0], b[1]: n-tile 2p; b[2], b[3]: n-tile 2p + 1.
        uint32_t b[4];
        loadMatrices(matrixRow + 16 * p * stride + k0, b);
#pragma unroll
        for (int m = 0; m < 2; ++m) {
          mma16816<T>(acc[m][2 * p], a[m], b[0], b[1]);
          mma16816<T>(acc[m][2 * p + 1], a[m], b[2], b[3]);
        }
      }
    }

#pragma unroll
    for (int m = 0; m < 2; ++m)
#pragma unroll
      for (int half = 0; half < 2; ++half) {
        const int64_t ox = ox0 + warp * 32 + 16 * m + 8 * half + g;
        if (ox >= conv.Wo)
          continue;
        const int64_t position = (outputRow * conv.Wo + ox) * O;
#pragma unroll
        for (int nt = 0; nt < 8; ++nt) {
          const int o = o0 + 8 * nt + 2 * t; // O is even: o + 1 < O too
          if (o >= O)
            continue;
          float v0 = acc[m][nt][2 * half], v1 = acc[m][nt][2 * half + 1];
          if (bias) {
            v0 += load(bias[o]);
            v1 += load(bias[o + 1]);
          }
          if (residual) {
            v0 += load(residual[position + o]);
            v1 += load(residual[position + o + 1]);
          }
          // max(v, 0) as the CPU's std::max writes it: NaN stays NaN.
          if (relu && v0 < 0.0f)
            v0 = 0.0f;
          if (relu && v1 < 0.0f)
            v1 = 0.0f;
          Pair<T> pair;
          pair.x = store<T>(v0);
          pair.y = store<T>(v1);
          *reinterpret_cast<Pair<T> *>(y + position + o) = pair;
        }
      }
  }
}

} // namespace

bool smallChannelConvFits(Context &context, const Conv &conv, const void *y) {
  if ((conv.dtype != DType::F16 && conv.dtype != DType::BF16) ||
      !conv.channelsLast || conv.groups != 1 || conv.C < 1 ||
      conv.C > kMaxChannels || conv.C * conv.kh * conv.kw > kMaxReduction ||
      conv.O % 2 != 0 || (conv.O + kBlockChannels - 1) / kBlockChannels > 65535)
    return false;
  // The kernel's int offsets into the patch, and its 4-byte pair accesses.
  if (conv.kh * conv.dh > 4096 || conv.kw * conv.dw > 4096 || conv.sw > 4096 ||
      geometryOf(conv).sharedBytes > kSharedLimit)
    return false;
  // Results are stored in pairs (the residual is read element by element).
  if (reinterpret_cast<uintptr_t>(y) % 4 != 0)
    return false;
  const void *kernel =
      conv.dtype == DType::F16
          ? reinterpret_cast<const void *>(smallChannelConvKernel<__half>)
          : reinterpret_cast<const void *>(
                smallChannelConvKernel<__nv_bfloat16>);
  return compiledForSm80(context, "small-channel-conv", kernel);
}

Status runSmallChannelConv(Context &context, const Conv &conv, const void *x,
                           const void *w, const ConvEpilogue &epilogue, void *y,
                           const char *kernel) {
  if (!smallChannelConvFits(context, conv, y))
    return kernelError(kernel, "the small-channel convolution kernel does "
                               "not take this convolution");
  const Geometry geometry = geometryOf(conv);
  const int64_t columnTiles = (conv.Wo + kTaskPositions - 1) / kTaskPositions;
  const int64_t tasks = conv.N * conv.Ho * columnTiles;
  if (tasks == 0 || conv.O == 0)
    return Status::ok();
  if (columnTiles > INT32_MAX)
    return kernelError(kernel, "the output is too wide for the small-channel "
                               "convolution kernel");
  // Enough blocks to fill the device once; each stages its weights once.
  visitFloatStorage(conv.dtype, [&](auto tag) {
    using T = typename decltype(tag)::type;
    if constexpr (!std::is_same_v<T, float>) {
      // Asked of the driver once per shared-memory size, in the eager run.
      std::vector<int64_t> &occupancy =
          context.tuned["occupancy:small-channel-conv:" +
                        std::string(dtypeName(conv.dtype)) + ":" +
                        std::to_string(geometry.sharedBytes)];
      if (occupancy.empty()) {
        int blocks = 0;
        if (cudaOccupancyMaxActiveBlocksPerMultiprocessor(
                &blocks, smallChannelConvKernel<T>, kThreads,
                geometry.sharedBytes) != cudaSuccess) {
          cudaGetLastError();
          blocks = 1;
        }
        occupancy = {int64_t(blocks)};
      }
      const int64_t perSM = std::max<int64_t>(occupancy[0], 1);
      const int64_t channelTiles =
          (conv.O + kBlockChannels - 1) / kBlockChannels;
      const int64_t wave = std::max<int64_t>(
          1, int64_t(context.multiprocessors) * perSM / channelTiles);
      dim3 grid(unsigned(std::min<int64_t>(tasks,
                                           std::min<int64_t>(wave, INT32_MAX))),
                unsigned(channelTiles));
      launch(context, smallChannelConvKernel<T>, grid, kThreads,
             geometry.sharedBytes, static_cast<const T *>(x),
             static_cast<const T *>(w), static_cast<const T *>(epilogue.bias),
             static_cast<const T *>(epilogue.residual), static_cast<T *>(y),
             conv, epilogue.relu, geometry, tasks, int(columnTiles));
    }
  });
  return checkLaunch(kernel);
}

} // namespace intr::cuda
