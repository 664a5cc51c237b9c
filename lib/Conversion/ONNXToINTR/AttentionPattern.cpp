//===- AttentionPattern.cpp - Raise attention subgraphs -------------------===//
//
// torch.nn.MultiheadAttention (sequence first, [L, B, D]) exports as
//
//   q = Reshape(x_q · Wqᵀ + bq, [L, B*H, dh]) -> Transpose(1, 0, 2) (* scale)
//   k = Reshape(x_k · Wkᵀ + bk, [S, B*H, dh]) -> Transpose(1, 2, 0)
//   v = Reshape(x_v · Wvᵀ + bv, [S, B*H, dh]) -> Transpose(1, 0, 2)
//   P = Softmax(q · k (* scale) (+ zero mask))               [B*H, L, S]
//   out = Reshape(Transpose(P · v, 1, 0, 2), [L*B, D]) · Woᵀ + bo
//   maps = Reshape(P, [B, H, L, S]), mean = ReduceSum(maps, 1) / H
//
// with variants: packed projections sliced apart, weights split and
// transposed in the graph, the scale as Mul or Div on q or on the scores,
// Gemm or MatMul + Add. torch 2.x exports attention without weights
// (need_weights=False) through scaled_dot_product_attention, which gives
// the same graph in four dimensions:
//
//   q = Reshape(q [B*H, L, dh], [B, H, L, dh]) (* root of the scale)
//   k = Reshape(Transpose(k, 0, 2, 1), [B, H, dh, S]) (* root), or
//       Transpose(Reshape(k, [B, H, S, dh]), 0, 1, 3, 2); with dynamic
//       sizes, k split to [B, H, S, dh], merged back, then as the first
//   P = Softmax(q · k (+ mask [B or 1, H or 1, L or 1, S]))  [B, H, L, S]
//   out = Reshape(Transpose(P · v, 2, 0, 1, 3), [L*B, D]) · Woᵀ + bo
//
// either as those ops (opsets before 23) or as onnx.Attention, whose
// expansion guards P with Where(ReduceMax(scores) == -inf, 0, P). The
// matcher walks back and forth from the Softmax, records what it finds and
// says which check failed; the pattern then builds one intr op from the
// record.
//
//===----------------------------------------------------------------------===//

#include "intr/Conversion/ONNXToINTR.h"

#include "intr/Dialect/ONNX/IR/ONNXConstants.h"

#include "intr/Dialect/INTR/IR/INTROps.h"
#include "intr/Dialect/ONNX/IR/ONNXOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Matchers.h"

#include <cmath>
#include <limits>
#include <numeric>
#include <optional>

using namespace mlir;
using namespace intr;
using onnx::shapeOf;

namespace {

/// Why a match failed: the first failed check, in words.
struct Mismatch {
  std::string reason;
};

/// y = x · Wᵀ + b restricted to output columns [begin, end) (packed
/// projections), as the graph computes it: `weight` is [K, N] unless
/// `weightIsNK`. No bias (null) where the graph adds none: a layer without
/// biases, or zero ones that the exporter's optimizer dropped.
struct Linear {
  Value input;
  Value weight;
  bool weightIsNK = false;
  Value bias;
  int64_t begin = 0, end = -1; // end = -1: all columns
};

/// Everything needed to build the intr op.
struct AttentionMatch {
  Linear q, k, v;
  Value outWeight; // [D, D] as Gemm(transB = 1) takes it, or [K, N]
  bool outWeightIsNK = true;
  Value outBias; // null: none (zeros)
  Value output;  // [L, B, D]: what the model reads as the attention output
  Value probs4d; // Reshape(P, [B, H, L, S]), if the model reads the maps
  Value mean;    // the head mean of the maps, if the model computes it
  SmallVector<OpOperand *> otherProbUses; // other readers of P [B*H, L, S]
  bool mapsUsed = false;    // class attention: the model reads the maps
  Value additiveMask;       // added to the scores, if not zeros
  SmallVector<bool> padded; // [B, S]: the constant key padding mask it encodes
  Value runtimePadding;     // or the run-time condition it is made of,
  bool paddingInverted = false; // true where a key is kept
  double scale = 1.0;
  int64_t batch = 0, heads = 0, queries = 0, keys = 0, features = 0;
};

/// A constant whose elements are all zero (a key padding mask that masks
/// nothing), dense or resource-backed.
bool isZeroConstant(Value value) {
  std::optional<SmallVector<float>> values = readConstantFloats(value);
  return values && llvm::all_of(*values, [](float v) { return v == 0.0f; });
}

/// Peels Mul/Div by a scalar constant off `value`, multiplying `scale`.
Value peelScale(Value value, double &scale) {
  for (;;) {
    Operation *op = value.getDefiningOp();
    if (auto mul = dyn_cast_or_null<onnx::MulOp>(op)) {
      if (std::optional<double> c = onnx::getConstantScalar(mul.getB())) {
        scale *= *c;
        value = mul.getA();
        continue;
      }
      if (std::optional<double> c = onnx::getConstantScalar(mul.getA())) {
        scale *= *c;
        value = mul.getB();
        continue;
      }
    }
    if (auto div = dyn_cast_or_null<onnx::DivOp>(op))
      if (std::optional<double> c = onnx::getConstantScalar(div.getB());
          c && *c != 0) {
        scale /= *c;
        value = div.getA();
        continue;
      }
    return value;
  }
}

/// Whether `reshape` only splits the first axis of [B*H, N, d] into
/// [B, H, N, d], or merges it back.
bool movesBatchHeads(onnx::ReshapeOp reshape) {
  ArrayRef<int64_t> in = shapeOf(reshape.getData());
  ArrayRef<int64_t> out = shapeOf(reshape.getResult());
  if (in.size() == 4 && out.size() == 3)
    std::swap(in, out);
  return in.size() == 3 && out.size() == 4 && out[0] * out[1] == in[0] &&
         out[2] == in[1] && out[3] == in[2];
}

/// Walks back through Transposes (and scalar scales) to a Reshape that
/// splits heads, [N, B*H, dh]; `perm` is the composed permutation from the
/// Reshape's result to `value`. In the 4-D form, a Reshape between
/// [B*H, N, d] and [B, H, N, d] and a Transpose that keeps B and H in place
/// are the 3-D ones' equals.
FailureOr<onnx::ReshapeOp> headSplit(Value value, SmallVector<int64_t> &perm,
                                     double &scale, Mismatch &why,
                                     StringRef what) {
  perm = {0, 1, 2};
  for (;;) {
    value = peelScale(value, scale);
    if (auto transpose = value.getDefiningOp<onnx::TransposeOp>()) {
      std::optional<ArrayRef<int64_t>> given = transpose.getPerm();
      // A rank-4 perm that keeps B and H acts on [B*H, N, d] as this one.
      SmallVector<int64_t> p;
      if (given && given->size() == 3)
        p.assign(given->begin(), given->end());
      else if (given && given->size() == 4 && (*given)[0] == 0 &&
               (*given)[1] == 1)
        p = {0, (*given)[2] - 1, (*given)[3] - 1};
      if (p.empty()) {
        why.reason = (what + " goes through a Transpose that is neither "
                             "rank 3 nor one that keeps [B, H] of rank 4")
                         .str();
        return failure();
      }
      // result dim i = input dim p[i]; composed with what follows.
      SmallVector<int64_t> composed;
      for (int64_t axis : perm)
        composed.push_back(p[axis]);
      perm = composed;
      value = transpose.getData();
      continue;
    }
    if (auto reshape = value.getDefiningOp<onnx::ReshapeOp>()) {
      if (movesBatchHeads(reshape)) {
        value = reshape.getData();
        continue;
      }
      if (shapeOf(reshape.getResult()).size() == 3)
        return reshape;
    }
    why.reason = (what + " is not a head split (Reshape to [N, B*H, dh] then "
                         "Transpose)")
                     .str();
    return failure();
  }
}

/// Recognizes x · W + b (MatMul + Add, bias 1-D) and the parts of a packed
/// one: a Slice along the last axis, or torch 2.x's unpacking.
FailureOr<Linear> matchLinear(Value value, Mismatch &why, StringRef what) {
  Linear linear;
  if (auto slice = value.getDefiningOp<onnx::SliceOp>()) {
    auto starts = onnx::getConstantInts(slice.getStarts());
    auto ends = onnx::getConstantInts(slice.getEnds());
    auto axes = onnx::getConstantInts(slice.getAxes());
    bool unitSteps = isa<NoneType>(slice.getSteps().getType());
    if (!unitSteps)
      if (auto steps = onnx::getConstantInts(slice.getSteps()))
        unitSteps = llvm::all_of(*steps, [](int64_t s) { return s == 1; });
    int64_t rank = shapeOf(slice.getData()).size();
    if (!starts || !ends || !axes || starts->size() != 1 || !unitSteps ||
        rank == 0 || ShapedType::isDynamic(shapeOf(slice.getData()).back()) ||
        ((*axes)[0] != -1 && (*axes)[0] != rank - 1)) {
      why.reason = (what + " is a Slice that is not one range of the last "
                           "axis")
                       .str();
      return failure();
    }
    FailureOr<Linear> inner = matchLinear(slice.getData(), why, what);
    if (failed(inner))
      return failure();
    // As Slice reads them: a negative bound counts from the end (kv[...,
    // -D:] is the last D columns), then both are clamped.
    int64_t width = shapeOf(slice.getData()).back();
    auto bound = [&](int64_t b) { return b < 0 ? b + width : b; };
    inner->begin = std::clamp<int64_t>(bound((*starts)[0]), 0, width);
    inner->end = std::clamp<int64_t>(bound((*ends)[0]), inner->begin, width);
    return inner;
  }
  // torch 2.x unpacks keys and values with unflatten(-1, (n, D)),
  // unsqueeze(0), transpose(0, -2), squeeze(-2) and indexing: element j of
  // part i is column i * D + j of the packed projection.
  if (auto gather = value.getDefiningOp<onnx::GatherOp>()) {
    auto index = onnx::getConstantInts(gather.getIndices());
    auto squeeze = gather.getData().getDefiningOp<onnx::SqueezeOp>();
    auto transpose = squeeze
                         ? squeeze.getData().getDefiningOp<onnx::TransposeOp>()
                         : nullptr;
    auto unsqueeze =
        transpose ? transpose.getData().getDefiningOp<onnx::UnsqueezeOp>()
                  : nullptr;
    auto unflatten = unsqueeze
                         ? unsqueeze.getData().getDefiningOp<onnx::ReshapeOp>()
                         : nullptr;
    ArrayRef<int64_t> parts =
        unflatten ? shapeOf(unflatten.getResult()) : ArrayRef<int64_t>();
    ArrayRef<int64_t> packed =
        unflatten ? shapeOf(unflatten.getData()) : ArrayRef<int64_t>();
    if (!index || index->size() != 1 || gather.getAxis() != 0 || !unflatten ||
        parts.size() != 4 || packed.size() != 3 ||
        parts[2] * parts[3] != packed[2] || !transpose.getPerm() ||
        *transpose.getPerm() != ArrayRef<int64_t>{3, 1, 2, 0, 4} ||
        shapeOf(gather.getData()) !=
            ArrayRef<int64_t>{parts[2], parts[0], parts[1], parts[3]}) {
      why.reason = (what + " is a Gather that is not torch's unpacking of a "
                           "packed projection")
                       .str();
      return failure();
    }
    FailureOr<Linear> inner = matchLinear(unflatten.getData(), why, what);
    if (failed(inner))
      return failure();
    int64_t part = (*index)[0] < 0 ? (*index)[0] + parts[2] : (*index)[0];
    inner->begin = part * parts[3];
    inner->end = (part + 1) * parts[3];
    return inner;
  }
  if (auto matmul = value.getDefiningOp<onnx::MatMulOp>();
      matmul && shapeOf(matmul.getB()).size() == 2) {
    linear.input = matmul.getA();
    linear.weight = matmul.getB();
    return linear;
  }
  auto add = value.getDefiningOp<onnx::AddOp>();
  if (!add) {
    why.reason =
        (what + " is not a projection (MatMul, and Add of a bias)").str();
    return failure();
  }
  for (auto [product, bias] :
       {std::pair(add.getA(), add.getB()), std::pair(add.getB(), add.getA())}) {
    auto matmul = product.getDefiningOp<onnx::MatMulOp>();
    if (!matmul || shapeOf(matmul.getB()).size() != 2 ||
        shapeOf(bias) != ArrayRef<int64_t>{shapeOf(matmul.getB())[1]})
      continue;
    linear.input = matmul.getA();
    linear.weight = matmul.getB();
    linear.bias = bias;
    return linear;
  }
  why.reason = (what + " is an Add that is not MatMul(x, W) + b with a 2-D W "
                       "[K, N] and b [N]")
                   .str();
  return failure();
}

/// Matches the output side: P · v merged back to [L, B, D] and projected.
LogicalResult matchOutput(onnx::MatMulOp pv, AttentionMatch &match,
                          Mismatch &why) {
  Value value = pv.getY();
  SmallVector<int64_t> perm = {0, 1, 2};
  Operation *user = nullptr;
  // [B, H, L, dh] transposed to [L, B, H, dh] is [L, B*H, dh] already.
  if (shapeOf(value).size() == 4) {
    auto transpose =
        value.hasOneUse()
            ? dyn_cast<onnx::TransposeOp>(*value.getUsers().begin())
            : nullptr;
    if (!transpose || !transpose.getPerm() ||
        *transpose.getPerm() != ArrayRef<int64_t>{2, 0, 1, 3}) {
      why.reason = "the output of P · v is not transposed to [L, B, H, dh]";
      return failure();
    }
    perm = {1, 0, 2};
    value = transpose.getResult();
  }
  while (value.hasOneUse() &&
         isa<onnx::TransposeOp>(user = *value.getUsers().begin())) {
    auto transpose = cast<onnx::TransposeOp>(user);
    if (!transpose.getPerm() || transpose.getPerm()->size() != 3) {
      why.reason = "the output of P · v goes through a Transpose without a "
                   "rank-3 perm";
      return failure();
    }
    ArrayRef<int64_t> p = *transpose.getPerm(); // outlive the optional
    SmallVector<int64_t> composed;
    for (int64_t axis : p)
      composed.push_back(perm[axis]);
    perm = composed;
    value = transpose.getResult();
  }
  if (perm != SmallVector<int64_t>{1, 0, 2}) {
    why.reason = "the output of P · v is not transposed back to [L, B*H, dh]";
    return failure();
  }
  auto merge = value.hasOneUse()
                   ? dyn_cast<onnx::ReshapeOp>(*value.getUsers().begin())
                   : nullptr;
  ArrayRef<int64_t> merged =
      merge ? shapeOf(merge.getResult()) : ArrayRef<int64_t>{};
  if (!merge || merged.empty() || merged.back() != match.features) {
    why.reason = "the heads of P · v are not merged by a Reshape to [.., D]";
    return failure();
  }
  Value projected;
  if (!merge.getResult().hasOneUse()) {
    why.reason = "the merged heads have more than one user";
    return failure();
  }
  Operation *next = *merge.getResult().getUsers().begin();
  if (auto gemm = dyn_cast<onnx::GemmOp>(next)) {
    if (gemm.getA() != merge.getResult() || gemm.getTransA() != 0 ||
        gemm.getAlpha().convertToDouble() != 1.0 ||
        gemm.getBeta().convertToDouble() != 1.0 ||
        (!isa<NoneType>(gemm.getC().getType()) &&
         shapeOf(gemm.getC()) != ArrayRef<int64_t>{match.features})) {
      why.reason = "the output projection is a Gemm with transA, alpha, beta "
                   "or C other than a plain x · Wᵀ + b";
      return failure();
    }
    match.outWeight = gemm.getB();
    match.outWeightIsNK = gemm.getTransB() != 0;
    if (!isa<NoneType>(gemm.getC().getType()))
      match.outBias = gemm.getC();
    projected = gemm.getY();
  } else if (auto matmul = dyn_cast<onnx::MatMulOp>(next)) {
    auto add = matmul.getY().hasOneUse()
                   ? dyn_cast<onnx::AddOp>(*matmul.getY().getUsers().begin())
                   : nullptr;
    Value bias = !add ? Value()
                      : (add.getA() == matmul.getY() ? add.getB() : add.getA());
    if (shapeOf(matmul.getB()).size() != 2 ||
        matmul.getA() != merge.getResult()) {
      why.reason = "the output projection is not a MatMul by a 2-D weight";
      return failure();
    }
    match.outWeight = matmul.getB();
    match.outWeightIsNK = false;
    // An Add of anything but a bias [D] (a residual, an offset that
    // broadcasts) comes after the projection.
    if (bias && shapeOf(bias) == ArrayRef<int64_t>{match.features}) {
      match.outBias = bias;
      projected = add.getC();
    } else {
      projected = matmul.getY();
    }
  } else {
    why.reason = "the merged heads do not feed an output projection";
    return failure();
  }
  // Back to [L, B, D] when the projection ran on [L*B, D].
  ArrayRef<int64_t> shape = shapeOf(projected);
  if (shape.size() == 2) {
    auto unmerge =
        projected.hasOneUse()
            ? dyn_cast<onnx::ReshapeOp>(*projected.getUsers().begin())
            : nullptr;
    if (!unmerge ||
        shapeOf(unmerge.getResult()) !=
            ArrayRef<int64_t>{match.queries, match.batch, match.features}) {
      why.reason = "the projected output is not reshaped to [L, B, D]";
      return failure();
    }
    projected = unmerge.getResult();
  }
  if (shapeOf(projected) !=
      ArrayRef<int64_t>{match.queries, match.batch, match.features}) {
    why.reason = "the projected output is not [L, B, D]";
    return failure();
  }
  match.output = projected;
  return success();
}

/// The constant integers `axes` of a reduction, given as its attribute or
/// its input.
std::optional<SmallVector<int64_t>>
reductionAxes(std::optional<ArrayRef<int64_t>> attribute, Value input) {
  if (attribute)
    return SmallVector<int64_t>(attribute->begin(), attribute->end());
  return onnx::getConstantInts(input);
}

/// The Where by which onnx.Attention's expansion gives a query whose
/// scores are all -inf zeros instead of the softmax's NaN, when it guards
/// `softmax`: Where(ReduceMax(scores, last axis) == -inf, 0, softmax).
onnx::WhereOp allMaskedGuard(onnx::SoftmaxOp softmax) {
  Value probs = softmax.getOutput();
  auto where = probs.hasOneUse()
                   ? dyn_cast<onnx::WhereOp>(*probs.getUsers().begin())
                   : nullptr;
  if (!where || where.getY() != probs ||
      onnx::getConstantScalar(where.getX()) != 0.0)
    return nullptr;
  auto equal = where.getCondition().getDefiningOp<onnx::EqualOp>();
  if (!equal)
    return nullptr;
  const int64_t last = int64_t(shapeOf(probs).size()) - 1;
  for (auto [reduced, limit] : {std::pair(equal.getA(), equal.getB()),
                                std::pair(equal.getB(), equal.getA())}) {
    auto max = reduced.getDefiningOp<onnx::ReduceMaxOp>();
    if (!max || max.getData() != softmax.getInput() || max.getKeepdims() == 0 ||
        onnx::getConstantScalar(limit) !=
            -std::numeric_limits<double>::infinity())
      continue;
    std::optional<SmallVector<int64_t>> axes =
        reductionAxes(max.getAxes(), max.getAxesInput());
    if (axes && axes->size() == 1 && ((*axes)[0] == -1 || (*axes)[0] == last))
      return where;
  }
  return nullptr;
}

/// Finds the model's maps among the other readers of P, `probs`: in the
/// 3-D form a Reshape to [B, H, L, S], in the 4-D form P itself.
void matchMaps(Value probs, onnx::MatMulOp pv, AttentionMatch &match) {
  SmallVector<int64_t> mapShape = {match.batch, match.heads, match.queries,
                                   match.keys};
  const bool perImage = shapeOf(probs).size() == 4;
  for (OpOperand &use : probs.getUses()) {
    if (use.getOwner() == pv)
      continue;
    auto reshape = dyn_cast<onnx::ReshapeOp>(use.getOwner());
    if (!perImage && reshape && !match.probs4d &&
        shapeOf(reshape.getResult()) == ArrayRef<int64_t>(mapShape)) {
      match.probs4d = reshape.getResult();
      continue;
    }
    match.otherProbUses.push_back(&use);
  }
  if (perImage && !match.otherProbUses.empty()) {
    match.probs4d = probs;
    match.otherProbUses.clear();
  }
  if (!match.probs4d)
    return;
  // The head mean: ReduceMean over axis 1, or ReduceSum then / H.
  for (Operation *user : match.probs4d.getUsers()) {
    SmallVector<int64_t> meanShape = {match.batch, match.queries, match.keys};
    if (auto mean = dyn_cast<onnx::ReduceMeanOp>(user)) {
      if (shapeOf(mean.getReduced()) == ArrayRef<int64_t>(meanShape))
        if (reductionAxes(mean.getAxes(), mean.getAxesInput()) ==
            SmallVector<int64_t>{1})
          match.mean = mean.getReduced();
    } else if (auto sum = dyn_cast<onnx::ReduceSumOp>(user)) {
      if (shapeOf(sum.getReduced()) != ArrayRef<int64_t>(meanShape) ||
          onnx::getConstantInts(sum.getAxes()) != SmallVector<int64_t>{1} ||
          !sum.getReduced().hasOneUse())
        continue;
      auto div = dyn_cast<onnx::DivOp>(*sum.getReduced().getUsers().begin());
      if (div && div.getA() == sum.getReduced())
        if (std::optional<double> h = onnx::getConstantScalar(div.getB());
            h && *h == static_cast<double>(match.heads))
          match.mean = div.getC();
    }
  }
}

/// What softmax turns into 0 in every float type: a key masked by -inf or
/// by what exporters use instead.
constexpr float kMasked = -1.0e4f;

/// The ops that only lay out or broadcast the data of their first operand.
bool isBroadcastOrReshape(Operation *op) {
  return isa_and_nonnull<onnx::ReshapeOp, onnx::ExpandOp, onnx::SqueezeOp,
                         onnx::UnsqueezeOp>(op);
}

/// The Where that `value` broadcasts or reshapes, or null: the form of a
/// key padding mask that the model computes at run time. `chain`, if
/// given, receives the ops between them, `value`'s own first.
onnx::WhereOp broadcastWhere(Value value,
                             SmallVectorImpl<Operation *> *chain = nullptr) {
  while (isBroadcastOrReshape(value.getDefiningOp())) {
    if (chain)
      chain->push_back(value.getDefiningOp());
    value = value.getDefiningOp()->getOperand(0);
  }
  return value.getDefiningOp<onnx::WhereOp>();
}

/// A key padding mask computed at run time, as torch exports
/// nn.MultiheadAttention's key_padding_mask given as an input: the additive
/// mask is Where(padded, -inf, 0) (or Where(kept, 0, -inf)) of a [B, S]
/// condition, broadcast over heads and queries by Reshape, Expand, Squeeze
/// and Unsqueeze alone. Each key is followed through those ops to check
/// that element (i, l, k) of the mask, `sizes` as in matchKeyPadding, is
/// the condition's (image of i, k).
LogicalResult matchRuntimeKeyPadding(AttentionMatch &match,
                                     ArrayRef<int64_t> sizes, Mismatch &why) {
  SmallVector<Operation *> chain;
  onnx::WhereOp where = broadcastWhere(match.additiveMask, &chain);
  auto masks = [](Value side) {
    std::optional<SmallVector<float>> v = readConstantFloats(side);
    return v && !v->empty() &&
           llvm::all_of(*v, [](float x) { return x <= kMasked; });
  };
  if (!where) {
    why.reason = "the scores have an additive mask that is neither a "
                 "constant nor a Where of a run-time key padding mask";
    return failure();
  }
  if (masks(where.getX()) && isZeroConstant(where.getY()))
    match.paddingInverted = false;
  else if (isZeroConstant(where.getX()) && masks(where.getY()))
    match.paddingInverted = true;
  else {
    why.reason = "the run-time mask's Where does not choose between 0 and a "
                 "masking -inf";
    return failure();
  }
  Value condition = where.getCondition();
  ArrayRef<int64_t> shape = shapeOf(condition);
  int64_t count = ShapedType::isDynamicShape(shape)
                      ? -1
                      : ShapedType::getNumElements(shape);
  if (count < 0 || shape != shapeOf(where.getOutput()) ||
      count != match.batch * match.keys || sizes[0] != match.batch) {
    why.reason = "the run-time mask's condition is not one [B, S] mask for "
                 "the batch's images";
    return failure();
  }
  // Each element of the condition named by its index, through the chain.
  constexpr int64_t kMaxFollowed = int64_t(1) << 24;
  SmallVector<int64_t> ids(count), current(shape);
  std::iota(ids.begin(), ids.end(), int64_t(0));
  for (Operation *op : llvm::reverse(chain)) {
    ArrayRef<int64_t> next = shapeOf(op->getResult(0));
    int64_t nextCount = ShapedType::isDynamicShape(next)
                            ? -1
                            : ShapedType::getNumElements(next);
    if (nextCount < 0 || nextCount > kMaxFollowed ||
        (isa<onnx::ExpandOp>(op) && next.size() < current.size())) {
      why.reason = "the run-time mask is broadcast to a shape too large or "
                   "not static";
      return failure();
    }
    if (isa<onnx::ExpandOp>(op)) {
      // numpy's broadcast, the shapes aligned at their ends.
      SmallVector<int64_t> from(next.size() - current.size(), 1);
      from.append(current.begin(), current.end());
      SmallVector<int64_t> expanded(nextCount);
      for (int64_t e = 0; e < nextCount; ++e) {
        int64_t rest = e, source = 0, stride = 1;
        for (int64_t d = int64_t(next.size()) - 1; d >= 0; --d) {
          int64_t at = rest % next[d];
          rest /= next[d];
          source += (from[d] == 1 ? 0 : at) * stride;
          stride *= from[d];
        }
        expanded[e] = ids[source];
      }
      ids = std::move(expanded);
    } else if (nextCount != int64_t(ids.size())) {
      why.reason = "the run-time mask's reshape changes its size";
      return failure();
    }
    current.assign(next.begin(), next.end());
  }
  for (int64_t i = 0; i < sizes[0] * sizes[1]; ++i)
    for (int64_t l = 0; l < sizes[2]; ++l)
      for (int64_t k = 0; k < match.keys; ++k)
        if (ids[(i * sizes[2] + l) * match.keys + k] !=
            (i / sizes[1]) * match.keys + k) {
          why.reason = "the run-time mask is not the same for every head and "
                       "query of an image (not a key padding mask)";
          return failure();
        }
  match.runtimePadding = condition;
  return success();
}

/// Whether a constant key padding mask masks every key of some image.
bool masksAnImageWhole(const AttentionMatch &match) {
  for (int64_t b = 0; b < match.batch && !match.padded.empty(); ++b)
    if (llvm::all_of(
            ArrayRef<bool>(match.padded).slice(b * match.keys, match.keys),
            [](bool padded) { return padded; }))
      return true;
  return false;
}

/// An additive mask is a key padding mask when it is the same for every
/// head and query of an image and each key gets 0 (kept) or a very negative
/// value (-inf or what exporters use instead, which softmax turns into 0).
/// It is [B*H or 1, L or 1, S] in the 3-D form, [B or 1, H or 1, L or 1, S]
/// in the 4-D one: a constant, or one computed at run time
/// (matchRuntimeKeyPadding).
LogicalResult matchKeyPadding(AttentionMatch &match, Mismatch &why) {
  std::optional<SmallVector<float>> values =
      readConstantFloats(match.additiveMask);
  ArrayRef<int64_t> shape = shapeOf(match.additiveMask);
  // As [images, heads, queries, S], each 1 or the full size.
  SmallVector<int64_t> sizes;
  if (shape.size() == 3 &&
      (shape[0] == 1 || shape[0] == match.batch * match.heads))
    sizes = {shape[0] == 1 ? 1 : match.batch, shape[0] == 1 ? 1 : match.heads,
             shape[1], shape[2]};
  else if (shape.size() == 4 && (shape[0] == 1 || shape[0] == match.batch) &&
           (shape[1] == 1 || shape[1] == match.heads))
    sizes.assign(shape.begin(), shape.end());
  if (sizes.empty() || (sizes[2] != 1 && sizes[2] != match.queries) ||
      sizes[3] != match.keys) {
    why.reason = "the additive mask is not of shape [B*H or 1, L or 1, S] or "
                 "[B or 1, H or 1, L or 1, S]";
    return failure();
  }
  if (!values)
    return matchRuntimeKeyPadding(match, sizes, why);
  match.padded.assign(match.batch * match.keys, false);
  bool finite = false; // a key masked by a finite value, -1e9 say
  for (int64_t i = 0; i < sizes[0] * sizes[1]; ++i) {
    for (int64_t l = 0; l < sizes[2]; ++l) {
      for (int64_t k = 0; k < match.keys; ++k) {
        float value = (*values)[(i * sizes[2] + l) * match.keys + k];
        if (value != 0.0f && !(value <= kMasked)) {
          why.reason = "the additive mask has a value that is neither 0 nor "
                       "a masking -inf";
          return failure();
        }
        // Rows of the same image (any head, any query) must agree.
        int64_t image = sizes[0] == 1 ? -1 : i / sizes[1];
        for (int64_t b = 0; b < match.batch; ++b) {
          if (image >= 0 && b != image)
            continue;
          bool masked = value != 0.0f;
          finite |= masked && !std::isinf(value);
          bool &slot = match.padded[b * match.keys + k];
          if ((i % sizes[1] != 0 || l != 0) && slot != masked) {
            why.reason = "the additive mask differs between heads or queries "
                         "of one image (not a key padding mask)";
            return failure();
          }
          slot = masked;
        }
      }
    }
  }
  // Softmax is the same for scores shifted alike: where a finite value
  // masks an image's every key, its queries average all values, where a
  // padding mask's give NaN.
  if (finite && masksAnImageWhole(match)) {
    why.reason = "a finite value masks an image's every key (softmax then "
                 "averages them; a key padding mask gives NaN)";
    return failure();
  }
  return success();
}

FailureOr<AttentionMatch> matchAttention(onnx::SoftmaxOp softmax,
                                         Mismatch &why) {
  AttentionMatch match;
  ArrayRef<int64_t> pShape = shapeOf(softmax.getOutput());
  const int64_t rank = pShape.size();
  if ((rank != 3 && rank != 4) || ShapedType::isDynamicShape(pShape)) {
    why.reason = "the Softmax is not over a static [B*H, L, S] or [B, H, L, "
                 "S] tensor";
    return failure();
  }
  if (softmax.getAxis() != -1 && softmax.getAxis() != rank - 1) {
    why.reason = "the Softmax is not over the last axis";
    return failure();
  }
  // P as the product with v reads it: [B*H, L, S] in the 3-D form.
  const SmallVector<int64_t> flatP =
      rank == 3
          ? SmallVector<int64_t>(pShape)
          : SmallVector<int64_t>{pShape[0] * pShape[1], pShape[2], pShape[3]};
  onnx::WhereOp guard = allMaskedGuard(softmax);
  Value probs = guard ? guard.getOutput() : softmax.getOutput();

  // Scores: q · k (* scale) (+ a mask that folded to zeros).
  Value scores = peelScale(softmax.getInput(), match.scale);
  if (auto add = scores.getDefiningOp<onnx::AddOp>()) {
    if (isZeroConstant(add.getB()))
      scores = add.getA();
    else if (isZeroConstant(add.getA()))
      scores = add.getB();
    else if (readConstantFloats(add.getB()) || broadcastWhere(add.getB())) {
      match.additiveMask = add.getB();
      scores = add.getA();
    } else if (readConstantFloats(add.getA()) || broadcastWhere(add.getA())) {
      match.additiveMask = add.getA();
      scores = add.getB();
    } else {
      why.reason = "the scores have an additive mask that is neither a "
                   "constant nor a Where of a run-time key padding mask";
      return failure();
    }
    scores = peelScale(scores, match.scale);
  }
  auto qk = scores.getDefiningOp<onnx::MatMulOp>();
  if (!qk) {
    why.reason = "the Softmax input is not a MatMul of queries and keys";
    return failure();
  }

  // The other side: P · v, found among P's users.
  onnx::MatMulOp pv;
  for (Operation *user : probs.getUsers())
    if (auto matmul = dyn_cast<onnx::MatMulOp>(user);
        matmul && matmul.getA() == probs)
      pv = matmul;
  if (!pv) {
    why.reason = "the probabilities are not multiplied by values (no P · v)";
    return failure();
  }

  // Head splits of q, k and v.
  SmallVector<int64_t> qPerm, kPerm, vPerm;
  double unused = 1.0;
  FailureOr<onnx::ReshapeOp> qSplit =
      headSplit(qk.getA(), qPerm, match.scale, why, "the query operand");
  if (failed(qSplit))
    return failure();
  FailureOr<onnx::ReshapeOp> kSplit =
      headSplit(qk.getB(), kPerm, match.scale, why, "the key operand");
  if (failed(kSplit))
    return failure();
  // A factor after the mask, softmax((q k + mask) * -1) say, turns the
  // mask around: not an attention's scale.
  if (!(match.scale > 0.0) || !std::isfinite(match.scale)) {
    why.reason = "the scores' scale is not positive and finite";
    return failure();
  }
  FailureOr<onnx::ReshapeOp> vSplit =
      headSplit(pv.getB(), vPerm, unused, why, "the value operand");
  if (failed(vSplit))
    return failure();
  if (unused != 1.0) {
    why.reason = "the values are scaled";
    return failure();
  }
  if (qPerm != SmallVector<int64_t>{1, 0, 2} ||
      kPerm != SmallVector<int64_t>{1, 2, 0} ||
      vPerm != SmallVector<int64_t>{1, 0, 2}) {
    why.reason = "the head split transposes are not those of a sequence-first "
                 "MultiheadAttention (q, v: 1,0,2; k: 1,2,0)";
    return failure();
  }

  // Sizes: [L, B*H, dh] from [L, B, D].
  ArrayRef<int64_t> qHeads = shapeOf(qSplit->getResult());
  ArrayRef<int64_t> kHeads = shapeOf(kSplit->getResult());
  ArrayRef<int64_t> qIn = shapeOf(qSplit->getData());
  if (qIn.size() != 3 || qHeads.size() != 3 || kHeads.size() != 3 ||
      shapeOf(kSplit->getData()).size() != 3 ||
      shapeOf(vSplit->getData()).size() != 3) {
    why.reason = "the projections are not [N, B, D] tensors";
    return failure();
  }
  match.queries = qIn[0];
  match.batch = qIn[1];
  match.features = qIn[2];
  match.keys = kHeads[0];
  int64_t batchHeads = qHeads[1];
  if (match.batch <= 0 || batchHeads % match.batch != 0 ||
      flatP[0] != batchHeads || flatP[1] != match.queries ||
      flatP[2] != match.keys || (rank == 4 && pShape[0] != match.batch)) {
    why.reason = "the head split sizes do not agree with the probabilities";
    return failure();
  }
  match.heads = batchHeads / match.batch;
  if (match.heads * qHeads[2] != match.features) {
    why.reason = "heads x head size differs from the feature size";
    return failure();
  }
  // Keys and values split as the queries: the same heads of the same size
  // over [S, B, D] (4-D products broadcast, so shared keys would pass).
  ArrayRef<int64_t> vHeads = shapeOf(vSplit->getResult());
  for (auto [split, heads] :
       {std::pair(*kSplit, kHeads), std::pair(*vSplit, vHeads)})
    if (heads.size() != 3 || heads[1] != batchHeads || heads[2] != qHeads[2] ||
        shapeOf(split.getData()) !=
            ArrayRef<int64_t>{match.keys, match.batch, match.features}) {
      why.reason = "the keys or values are not split into the queries' "
                   "heads over [S, B, D]";
      return failure();
    }

  if (match.additiveMask && failed(matchKeyPadding(match, why)))
    return failure();
  if (guard && match.runtimePadding) {
    why.reason = "a run-time mask may mask an image's every key, and the "
                 "Where after the Softmax gives its queries zeros, not NaN";
    return failure();
  }
  // With finite inputs, only a mask makes a row's scores all -inf: where it
  // masks an image's every key, the guard's zeros differ from intr's NaN.
  if (guard && masksAnImageWhole(match)) {
    why.reason = "an image's keys are all masked, and the Where after "
                 "the Softmax gives its queries zeros, not NaN";
    return failure();
  }

  // Projections.
  FailureOr<Linear> q = matchLinear(qSplit->getData(), why, "the query");
  if (failed(q))
    return failure();
  FailureOr<Linear> k = matchLinear(kSplit->getData(), why, "the key");
  if (failed(k))
    return failure();
  FailureOr<Linear> v = matchLinear(vSplit->getData(), why, "the value");
  if (failed(v))
    return failure();
  match.q = *q;
  match.k = *k;
  match.v = *v;
  // nn.MultiheadAttention's kdim and vdim: memory other than D wide.
  for (const Linear *linear : {&match.q, &match.k, &match.v})
    if (shapeOf(linear->input).empty() ||
        shapeOf(linear->input).back() != match.features) {
      why.reason = "a projection's input is not D wide (keys or values of "
                   "another feature size, kdim or vdim)";
      return failure();
    }

  if (failed(matchOutput(pv, match, why)))
    return failure();
  matchMaps(probs, pv, match);
  match.mapsUsed = match.probs4d || match.mean || !match.otherProbUses.empty();
  if (match.mapsUsed && match.k.input != match.v.input) {
    why.reason = "the probabilities are used but keys and values come from "
                 "different inputs (not class attention)";
    return failure();
  }
  return match;
}

/// The function's feature map: a 4-D [N, C, h, w] value flattened into
/// h * w = tokens positions. [1, tokens] when there is none.
SmallVector<int64_t> findFeatureMap(Operation *anchor, int64_t tokens) {
  SmallVector<int64_t> found = {1, tokens};
  auto func = anchor->getParentOfType<func::FuncOp>();
  if (!func)
    return found;
  func.walk([&](Operation *op) {
    if (!isa<onnx::ReshapeOp, onnx::FlattenOp>(op) || found[0] != 1)
      return;
    ArrayRef<int64_t> in = shapeOf(op->getOperand(0));
    ArrayRef<int64_t> out = shapeOf(op->getResult(0));
    if (in.size() == 4 && in[2] * in[3] == tokens && out.size() == 3 &&
        out[2] == tokens)
      found = {in[2], in[3]};
  });
  return found;
}

/// Builds the pieces of the new op with onnx ops that fold or run.
class Builder {
public:
  Builder(PatternRewriter &rewriter, Location loc)
      : rewriter(rewriter), loc(loc) {}

  Value i64s(ArrayRef<int64_t> values) {
    return createI64Constant(rewriter, loc, values);
  }

  Value transpose(Value value, ArrayRef<int64_t> perm) {
    ArrayRef<int64_t> shape = shapeOf(value);
    SmallVector<int64_t> result;
    for (int64_t axis : perm)
      result.push_back(shape[axis]);
    auto type = RankedTensorType::get(
        result, cast<ShapedType>(value.getType()).getElementType());
    // Folds away when it undoes the exporter's transpose of a weight.
    return rewriter.createOrFold<onnx::TransposeOp>(
        loc, type, value, rewriter.getDenseI64ArrayAttr(perm));
  }

  Value slice(Value value, int64_t axis, int64_t begin, int64_t end) {
    SmallVector<int64_t> shape(shapeOf(value));
    if (begin == 0 && end == shape[axis])
      return value;
    shape[axis] = end - begin;
    auto type = RankedTensorType::get(
        shape, cast<ShapedType>(value.getType()).getElementType());
    Value none = rewriter.create<onnx::NoValueOp>(loc);
    return rewriter.create<onnx::SliceOp>(loc, type, value, i64s({begin}),
                                          i64s({end}), i64s({axis}), none);
  }

  /// The weight [N, K] and bias [N] of a projection.
  std::pair<Value, Value> projection(const Linear &linear) {
    int64_t columns = linear.weightIsNK ? shapeOf(linear.weight)[0]
                                        : shapeOf(linear.weight)[1];
    int64_t end = linear.end < 0 ? columns : linear.end;
    Value weight = linear.weight;
    if (linear.weightIsNK)
      weight = slice(weight, 0, linear.begin, end);
    else
      weight = transpose(slice(weight, 1, linear.begin, end), {1, 0});
    Value bias = linear.bias ? slice(linear.bias, 0, linear.begin, end)
                             : zeros(end - linear.begin, weight);
    return {weight, bias};
  }

  /// A constant [n] of zeros of `like`'s element type: the bias of a
  /// projection without one.
  Value zeros(int64_t n, Value like) {
    Type element = cast<ShapedType>(like.getType()).getElementType();
    auto type = RankedTensorType::get({n}, element);
    return rewriter.create<onnx::ConstantOp>(
        loc, DenseElementsAttr::get(type, rewriter.getZeroAttr(element)));
  }

  Value reshape(Value value, ArrayRef<int64_t> shape) {
    return createReshape(rewriter, loc, value, shape);
  }

private:
  PatternRewriter &rewriter;
  Location loc;
};

struct AttentionPattern : public OpRewritePattern<onnx::SoftmaxOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(onnx::SoftmaxOp softmax,
                                PatternRewriter &rewriter) const override {
    Mismatch why;
    FailureOr<AttentionMatch> found = matchAttention(softmax, why);
    if (failed(found))
      return rewriter.notifyMatchFailure(softmax, why.reason);
    AttentionMatch &match = *found;

    // Build right after the last value the new op reads, so that the op
    // dominates every reader of the values it replaces.
    Location loc = softmax.getLoc();
    Builder build(rewriter, loc);
    SmallVector<Value> reads = {
        match.q.input,  match.k.input,   match.v.input, match.q.weight,
        match.k.weight, match.v.weight,  match.q.bias,  match.k.bias,
        match.v.bias,   match.outWeight, match.outBias, match.runtimePadding};
    Block *block = softmax->getBlock();
    rewriter.setInsertionPointToStart(block);
    Operation *last = nullptr;
    for (Value value : reads) {
      Operation *def = value ? value.getDefiningOp() : nullptr;
      if (def && def->getBlock() != block)
        return rewriter.notifyMatchFailure(softmax,
                                           "operands in another block");
      if (def && (!last || last->isBeforeInBlock(def)))
        last = def;
    }
    if (last) {
      if (!last->isBeforeInBlock(softmax))
        return rewriter.notifyMatchFailure(
            softmax, "the output projection's weights are computed after the "
                     "Softmax");
      rewriter.setInsertionPointAfter(last);
    }
    auto [qWeight, qBias] = build.projection(match.q);
    auto [kWeight, kBias] = build.projection(match.k);
    auto [vWeight, vBias] = build.projection(match.v);
    Value outWeight = match.outWeightIsNK
                          ? match.outWeight
                          : build.transpose(match.outWeight, {1, 0});
    Value outBias =
        match.outBias ? match.outBias : build.zeros(match.features, outWeight);
    Value queries = build.transpose(match.q.input, {1, 0, 2});
    FloatAttr scale = rewriter.getF64FloatAttr(match.scale);
    Value mask;
    if (match.runtimePadding) {
      mask = build.reshape(match.runtimePadding, {match.batch, match.keys});
      if (match.paddingInverted)
        mask = rewriter.create<onnx::NotOp>(loc, mask.getType(), mask);
    } else if (llvm::is_contained(match.padded, true))
      mask = rewriter.create<onnx::ConstantOp>(
          loc, DenseElementsAttr::get(
                   RankedTensorType::get({match.batch, match.keys},
                                         rewriter.getI1Type()),
                   ArrayRef<bool>(match.padded)));

    Value output;
    if (match.mapsUsed) {
      Value memory = build.transpose(match.k.input, {1, 0, 2});
      auto op = rewriter.create<ClassAttentionOp>(
          loc, queries, memory, qWeight, qBias, kWeight, kBias, vWeight, vBias,
          outWeight, outBias, mask, rewriter.getI64IntegerAttr(match.heads),
          scale,
          rewriter.getDenseI64ArrayAttr(findFeatureMap(softmax, match.keys)));
      output = op.getOut();
      if (match.probs4d)
        rewriter.replaceAllUsesWith(match.probs4d, op.getProbs());
      if (match.mean)
        rewriter.replaceAllUsesWith(match.mean, op.getMeanProbs());
      if (!match.otherProbUses.empty()) {
        // Only the 3-D form has other readers (matchMaps).
        Value flat = build.reshape(op.getProbs(), {match.batch * match.heads,
                                                   match.queries, match.keys});
        for (OpOperand *use : match.otherProbUses)
          rewriter.modifyOpInPlace(use->getOwner(), [&] { use->set(flat); });
      }
    } else {
      Value keys = build.transpose(match.k.input, {1, 0, 2});
      Value values = build.transpose(match.v.input, {1, 0, 2});
      output = rewriter.create<MHAOp>(
          loc, queries, keys, values, qWeight, qBias, kWeight, kBias, vWeight,
          vBias, outWeight, outBias, mask,
          rewriter.getI64IntegerAttr(match.heads), scale,
          /*sequence_first=*/BoolAttr());
    }
    rewriter.replaceAllUsesWith(match.output,
                                build.transpose(output, {1, 0, 2}));
    return success();
  }
};

} // namespace

void intr::populateONNXToINTRAttentionPatterns(RewritePatternSet &patterns) {
  patterns.add<AttentionPattern>(patterns.getContext());
}

std::string intr::explainAttentionMismatch(onnx::SoftmaxOp softmax) {
  Mismatch why;
  if (succeeded(matchAttention(softmax, why)))
    return "";
  return why.reason;
}
