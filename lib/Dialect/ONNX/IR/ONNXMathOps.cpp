//===- ONNXMathOps.cpp - Arithmetic and neural network ops ----------------===//
//
// Type inference, verifiers and folders of the arithmetic family.
//
// Folding of every elementwise op goes through one evaluator,
// foldElementwise: it reads constant operands as Scalars, broadcasts them as
// numpy does, applies a per-element kernel and converts the kernel's results
// to the result's element type with ONNX Cast's rules. Float kernels compute
// in double; rounding the double result once to f32, f16 or bf16 gives the
// correctly rounded result of + - * / and sqrt in that type.
//
//===----------------------------------------------------------------------===//

#include "intr/Dialect/ONNX/IR/ONNXConstants.h"
#include "intr/Dialect/ONNX/IR/ONNXOps.h"
#include "intr/Dialect/ONNX/IR/ONNXShapeUtils.h"
#include "intr/Support/FormatShape.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/APSInt.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/CheckedArithmetic.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <cctype>
#include <cmath>
#include <limits>
#include <numeric>

using namespace mlir;
using namespace intr::onnx;
using intr::formatShape;

//===----------------------------------------------------------------------===//
// Shape helpers
//===----------------------------------------------------------------------===//

namespace {

using Shape = SmallVector<int64_t>;

/// The type of `value` when it is a tensor; null for `none` (an omitted
/// optional input) and anything else.
TensorType tensorTypeOf(Value value) {
  return value ? dyn_cast<TensorType>(value.getType()) : TensorType();
}

/// The shape of `value` when it is a ranked tensor (unlike
/// intr::onnx::shapeOf, which gives an empty shape for anything else).
std::optional<ArrayRef<int64_t>> rankedShape(Value value) {
  TensorType type = tensorTypeOf(value);
  if (!type || !type.hasRank())
    return std::nullopt;
  return type.getShape();
}

/// The type of the required input `name`, or an error when the importer
/// passed something else (such as `none`).
FailureOr<TensorType> requireTensor(std::optional<Location> loc, Value value,
                                    StringRef name) {
  if (TensorType type = tensorTypeOf(value))
    return type;
  if (!value)
    return emitOptionalError(loc, "input ", name, " is missing");
  return emitOptionalError(loc, "input ", name, " must be a tensor, got ",
                           value.getType());
}

/// The kinds of elements a composite op takes: floats; numbers (integers
/// or floats, not bool); anything ordered (numbers or bool).
enum class Elements { Float, Numeric, Ordered };

/// The type of the required input `name` when its elements are of `kind`.
FailureOr<TensorType> requireElements(std::optional<Location> loc, Value value,
                                      StringRef name, Elements kind) {
  FailureOr<TensorType> type = requireTensor(loc, value, name);
  if (failed(type))
    return failure();
  Type element = type->getElementType();
  bool isFloat = isa<FloatType>(element);
  bool isNumber =
      isFloat || (isa<IntegerType>(element) && !element.isInteger(1));
  bool accepted = kind == Elements::Float ? isFloat
                  : kind == Elements::Numeric
                      ? isNumber
                      : isNumber || element.isInteger(1);
  if (!accepted)
    return emitOptionalError(loc, "input ", name, " must be a ",
                             kind == Elements::Float     ? "float"
                             : kind == Elements::Numeric ? "numeric (not bool)"
                                                         : "numeric or bool",
                             " tensor, got ", *type);
  return type;
}

/// Fails when two inputs that ONNX types alike have different element types.
LogicalResult checkSameElementType(std::optional<Location> loc, TensorType a,
                                   StringRef aName, TensorType b,
                                   StringRef bName) {
  if (a.getElementType() == b.getElementType())
    return success();
  return emitOptionalError(loc, "element types differ: ", aName, " is ",
                           a.getElementType(), ", ", bName, " is ",
                           b.getElementType());
}

/// Whether `from` broadcasts unidirectionally to `to` (numpy rules, `to`
/// unchanged); unknown sizes are assumed to fit.
bool broadcastsTo(ArrayRef<int64_t> from, ArrayRef<int64_t> to) {
  if (from.size() > to.size())
    return false;
  for (auto [f, t] : llvm::zip(llvm::reverse(from), llvm::reverse(to)))
    if (f != 1 && !ShapedType::isDynamic(f) && !ShapedType::isDynamic(t) &&
        f != t)
      return false;
  return true;
}

/// A named operand in a broadcasting inference message.
struct NamedTensor {
  StringRef name;
  TensorType type;
};

/// The numpy broadcast of the operands' shapes; nullopt (an unranked result)
/// when a rank is unknown; an error listing the shapes when known sizes
/// conflict.
FailureOr<std::optional<Shape>>
broadcastOperands(std::optional<Location> loc, ArrayRef<NamedTensor> operands) {
  if (llvm::any_of(operands,
                   [](const NamedTensor &t) { return !t.type.hasRank(); }))
    return std::optional<Shape>();
  Shape result;
  for (const NamedTensor &operand : operands) {
    FailureOr<Shape> next = broadcastShapes(result, operand.type.getShape());
    if (failed(next)) {
      std::string shapes;
      llvm::raw_string_ostream os(shapes);
      llvm::interleaveComma(operands, os, [&](const NamedTensor &t) {
        os << t.name << ' ' << formatShape(t.type.getShape());
      });
      return emitOptionalError(loc, "shapes do not broadcast: ", shapes);
    }
    result = std::move(*next);
  }
  return std::optional<Shape>(std::move(result));
}

constexpr StringLiteral kSupportedDataTypes =
    "1 f32, 10 f16, 16 bf16, 11 f64, 7 i64, 6 i32, 5 i16, 3 i8, 2 ui8, "
    "4 ui16, 12 ui32, 13 ui64, 9 bool";

/// Appends `type` shaped like `shape` (unranked when nullopt).
void pushTensor(SmallVectorImpl<Type> &types,
                std::optional<ArrayRef<int64_t>> shape, Type elementType) {
  types.push_back(makeTensorType(shape, elementType));
}

/// Completes the properties of `adaptor` for inference. The parser and
/// generic builders call inferReturnTypes before the op exists: its
/// attributes are still in the attribute dictionary and defaults are not
/// filled in, so the adaptor's getters would read null attributes.
template <typename OpTy>
LogicalResult completeProperties(MLIRContext *context,
                                 std::optional<Location> loc,
                                 typename OpTy::Adaptor &adaptor) {
  typename OpTy::Properties properties = adaptor.getProperties();
  if (DictionaryAttr attrs = adaptor.getAttributes())
    if (failed(OpTy::setPropertiesFromAttr(properties, attrs, [&] {
          return emitError(loc.value_or(UnknownLoc::get(context)));
        })))
      return failure();
  OpTy::populateDefaultProperties(
      OperationName(OpTy::getOperationName(), context), properties);
  adaptor = typename OpTy::Adaptor(adaptor.getOperands(),
                                   adaptor.getAttributes(), properties);
  return success();
}

} // namespace

//===----------------------------------------------------------------------===//
// Constant evaluation
//===----------------------------------------------------------------------===//

namespace {

/// One element of a constant during folding. Floats are held as double,
/// which represents every f16, bf16, f32 and f64 value exactly; integers as
/// APInt of their own width with their signedness (bool and unsigned types
/// are unsigned, signless ones signed).
struct Scalar {
  bool isFloat = false;
  double f = 0;
  APInt i;
  bool isUnsigned = false;

  static Scalar ofFloat(double value) {
    Scalar s;
    s.isFloat = true;
    s.f = value;
    return s;
  }
  static Scalar ofInt(APInt value, bool isUnsigned) {
    Scalar s;
    s.i = std::move(value);
    s.isUnsigned = isUnsigned;
    return s;
  }
  static Scalar ofBool(bool value) { return ofInt(APInt(1, value), true); }

  bool isZero() const { return isFloat ? f == 0 : i.isZero(); }
  bool isTrue() const { return !isZero(); }
  /// The value as a double (large integers round).
  double toDouble() const {
    if (isFloat)
      return f;
    return isUnsigned ? static_cast<double>(i.getZExtValue())
                      : static_cast<double>(i.getSExtValue());
  }
};

bool isUnsignedElement(Type type) {
  return type.isUnsignedInteger() || type.isInteger(1);
}

/// Whether folding can represent elements of `type`.
bool isFoldableElement(Type type) {
  if (auto intType = dyn_cast<IntegerType>(type))
    return intType.getWidth() <= 64;
  return isa<FloatType>(type) &&
         (type.isF16() || type.isBF16() || type.isF32() || type.isF64());
}

Scalar readFloat(APFloat value) {
  bool lost;
  value.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven, &lost);
  return Scalar::ofFloat(value.convertToDouble());
}

/// The elements of a dense constant as Scalars; a splat gives one element.
std::optional<SmallVector<Scalar>> readScalars(DenseElementsAttr elements) {
  Type type = elements.getElementType();
  if (!isFoldableElement(type))
    return std::nullopt;
  SmallVector<Scalar> result;
  bool isUnsigned = isUnsignedElement(type);
  if (isa<FloatType>(type)) {
    if (elements.isSplat())
      return SmallVector<Scalar>{readFloat(elements.getSplatValue<APFloat>())};
    for (APFloat value : elements.getValues<APFloat>())
      result.push_back(readFloat(value));
  } else {
    if (elements.isSplat())
      return SmallVector<Scalar>{
          Scalar::ofInt(elements.getSplatValue<APInt>(), isUnsigned)};
    for (APInt value : elements.getValues<APInt>())
      result.push_back(Scalar::ofInt(value, isUnsigned));
  }
  return result;
}

/// `value` in the float `type` as ONNX Cast converts it: rounding to nearest
/// even (integers directly, not through double, so that large ones round
/// once).
APFloat toFloat(const Scalar &value, FloatType type) {
  const llvm::fltSemantics &semantics = type.getFloatSemantics();
  if (!value.isFloat) {
    APFloat result(semantics);
    result.convertFromAPInt(value.i, !value.isUnsigned,
                            APFloat::rmNearestTiesToEven);
    return result;
  }
  APFloat result(value.f);
  bool lost;
  result.convert(semantics, APFloat::rmNearestTiesToEven, &lost);
  return result;
}

/// `value` in the integer `type` as ONNX Cast converts it: floats truncate
/// toward zero (nullopt when NaN or out of range, which ONNX leaves
/// undefined), integers wrap or extend by their own signedness, bool tests
/// for non-zero.
std::optional<APInt> toInt(const Scalar &value, IntegerType type) {
  unsigned width = type.getWidth();
  if (width == 1)
    return APInt(1, value.isTrue());
  if (!value.isFloat)
    return value.isUnsigned ? value.i.zextOrTrunc(width)
                            : value.i.sextOrTrunc(width);
  llvm::APSInt result(width, type.isUnsigned());
  bool isExact;
  if (APFloat(value.f).convertToInteger(result, APFloat::rmTowardZero,
                                        &isExact) &
      APFloat::opInvalidOp)
    return std::nullopt;
  return APInt(result);
}

/// `f` rounded to the precision of the float `type`: one step of arithmetic
/// in that type.
double roundTo(double f, Type type) {
  return readFloat(toFloat(Scalar::ofFloat(f), cast<FloatType>(type))).f;
}

/// Builds the constant of `type` holding `values` (row-major; a single value
/// is a splat), converting each to the element type; null when a value does
/// not convert.
DenseElementsAttr buildElements(ShapedType type, ArrayRef<Scalar> values) {
  Type elementType = type.getElementType();
  if (auto floatType = dyn_cast<FloatType>(elementType)) {
    SmallVector<APFloat> result;
    result.reserve(values.size());
    for (const Scalar &value : values)
      result.push_back(toFloat(value, floatType));
    return DenseElementsAttr::get(type, result);
  }
  auto intType = dyn_cast<IntegerType>(elementType);
  if (!intType)
    return {};
  SmallVector<APInt> result;
  result.reserve(values.size());
  for (const Scalar &value : values) {
    std::optional<APInt> converted = toInt(value, intType);
    if (!converted)
      return {};
    result.push_back(std::move(*converted));
  }
  return DenseElementsAttr::get(type, result);
}

/// The static result type of a fold, when it is small enough to build.
RankedTensorType foldableResultType(Type type) {
  auto ranked = dyn_cast<RankedTensorType>(type);
  if (!ranked || !ranked.hasStaticShape() ||
      ranked.getNumElements() > kMaxFoldedElements ||
      !isFoldableElement(ranked.getElementType()))
    return {};
  return ranked;
}

/// A per-element kernel of an elementwise op: one Scalar per operand in,
/// the result or nullopt (do not fold) out.
using ElementwiseFn =
    function_ref<std::optional<Scalar>(ArrayRef<Scalar> operands)>;

/// The evaluator of every elementwise folder: applies `fn` over the numpy
/// broadcast of the constant `operands` and builds a constant of
/// `resultType`. Null when an operand is not a dense constant, the result
/// is not static and small, a shape does not broadcast to the result, or
/// `fn` declines an element.
DenseElementsAttr foldElementwise(ArrayRef<Attribute> operands, Type resultType,
                                  ElementwiseFn fn) {
  RankedTensorType type = foldableResultType(resultType);
  if (!type)
    return {};
  ArrayRef<int64_t> shape = type.getShape();
  size_t rank = shape.size();

  // For each operand its elements and, per result dimension, the step in
  // them (0 where the operand is broadcast).
  SmallVector<SmallVector<Scalar>> values;
  SmallVector<Shape> steps;
  for (Attribute operand : operands) {
    // Resource-backed constants (the model's weights) fold too.
    DenseElementsAttr elements = asDenseElements(operand);
    if (!elements)
      return {};
    ArrayRef<int64_t> operandShape = elements.getType().getShape();
    if (operandShape.size() > rank)
      return {};
    std::optional<SmallVector<Scalar>> scalars = readScalars(elements);
    if (!scalars)
      return {};
    Shape step(rank, 0);
    int64_t stride = 1;
    for (size_t d = 0; d < operandShape.size(); ++d) {
      size_t operandDim = operandShape.size() - 1 - d;
      size_t resultDim = rank - 1 - d;
      int64_t size = operandShape[operandDim];
      if (size != 1 && size != shape[resultDim])
        return {};
      if (size != 1 && !elements.isSplat())
        step[resultDim] = stride;
      stride *= size;
    }
    values.push_back(std::move(*scalars));
    steps.push_back(std::move(step));
  }

  // Splat operands give a splat result: evaluate once.
  bool allSplat = llvm::all_of(
      values, [](const SmallVector<Scalar> &v) { return v.size() == 1; });
  int64_t count = allSplat ? 1 : type.getNumElements();
  SmallVector<Scalar> results;
  results.reserve(count);
  Shape index(rank, 0);
  Shape offsets(operands.size(), 0);
  SmallVector<Scalar> arguments(operands.size());
  for (int64_t n = 0; n < count; ++n) {
    for (size_t k = 0; k < operands.size(); ++k)
      arguments[k] = values[k][offsets[k]];
    std::optional<Scalar> result = fn(arguments);
    if (!result)
      return {};
    results.push_back(std::move(*result));
    // Advance the row-major index of the result and each operand's offset.
    for (size_t d = rank; d-- > 0;) {
      ++index[d];
      for (size_t k = 0; k < operands.size(); ++k)
        offsets[k] += steps[k][d];
      if (index[d] < shape[d])
        break;
      for (size_t k = 0; k < operands.size(); ++k)
        offsets[k] -= steps[k][d] * shape[d];
      index[d] = 0;
    }
  }
  return buildElements(type, results);
}

/// Whether every operand is a dense constant of element type `type`: the
/// kernels below compute in one type and would mix widths otherwise.
bool haveElementType(ArrayRef<Attribute> operands, Type type) {
  return llvm::all_of(operands, [&](Attribute operand) {
    auto elements = dyn_cast_or_null<ElementsAttr>(operand);
    return elements && elements.getElementType() == type;
  });
}

/// Folds an arithmetic op whose operands and result share one element type:
/// `floatFn(double, double) -> double` on floats (rounded to the result type
/// once), `intFn(APInt, APInt, isUnsigned) -> std::optional<APInt>` on
/// integers.
template <typename FloatFn, typename IntFn>
OpFoldResult foldArithmetic(Attribute lhs, Attribute rhs, Type resultType,
                            FloatFn floatFn, IntFn intFn) {
  auto type = dyn_cast<ShapedType>(resultType);
  if (!type || !haveElementType({lhs, rhs}, type.getElementType()))
    return {};
  return foldElementwise(
      {lhs, rhs}, resultType, [&](ArrayRef<Scalar> x) -> std::optional<Scalar> {
        if (x[0].isFloat)
          return Scalar::ofFloat(floatFn(x[0].f, x[1].f));
        std::optional<APInt> result = intFn(x[0].i, x[1].i, x[0].isUnsigned);
        if (!result)
          return std::nullopt;
        return Scalar::ofInt(std::move(*result), x[0].isUnsigned);
      });
}

/// Folds a comparison to bool: `floatFn(double, double) -> bool`,
/// `intFn(APInt, APInt, isUnsigned) -> bool`.
template <typename FloatFn, typename IntFn>
OpFoldResult foldComparison(Attribute lhs, Attribute rhs, Type resultType,
                            FloatFn floatFn, IntFn intFn) {
  auto lhsElements = dyn_cast_or_null<ElementsAttr>(lhs);
  if (!lhsElements || !haveElementType({rhs}, lhsElements.getElementType()))
    return {};
  return foldElementwise(
      {lhs, rhs}, resultType, [&](ArrayRef<Scalar> x) -> std::optional<Scalar> {
        if (x[0].isFloat)
          return Scalar::ofBool(floatFn(x[0].f, x[1].f));
        return Scalar::ofBool(intFn(x[0].i, x[1].i, x[0].isUnsigned));
      });
}

/// Folds And or Or: `fn(bool, bool) -> bool` on bool constants.
template <typename Fn>
OpFoldResult foldLogic(Attribute lhs, Attribute rhs, Type resultType, Fn fn) {
  if (!haveElementType({lhs, rhs},
                       IntegerType::get(resultType.getContext(), 1)))
    return {};
  return foldElementwise(
      {lhs, rhs}, resultType, [&](ArrayRef<Scalar> x) -> std::optional<Scalar> {
        return Scalar::ofBool(fn(x[0].isTrue(), x[1].isTrue()));
      });
}

/// Folds a unary op whose operand and result share one element type:
/// `floatFn(double) -> double` on floats, `intFn(APInt, isUnsigned) ->
/// std::optional<APInt>` on integers (nullopt declines).
template <typename FloatFn, typename IntFn>
OpFoldResult foldUnary(Attribute operand, Type resultType, FloatFn floatFn,
                       IntFn intFn) {
  auto type = dyn_cast<ShapedType>(resultType);
  if (!type || !haveElementType({operand}, type.getElementType()))
    return {};
  return foldElementwise(
      {operand}, resultType, [&](ArrayRef<Scalar> x) -> std::optional<Scalar> {
        if (x[0].isFloat)
          return Scalar::ofFloat(floatFn(x[0].f));
        std::optional<APInt> result = intFn(x[0].i, x[0].isUnsigned);
        if (!result)
          return std::nullopt;
        return Scalar::ofInt(std::move(*result), x[0].isUnsigned);
      });
}

/// Folds a unary op that ONNX defines on floats only.
template <typename FloatFn>
OpFoldResult foldFloatUnary(Attribute operand, Type resultType,
                            FloatFn floatFn) {
  return foldUnary(operand, resultType, floatFn,
                   [](const APInt &, bool) { return std::optional<APInt>(); });
}

/// Whether `attr` is a dense constant whose every element satisfies `pred`;
/// stops at the first element that does not.
bool allElements(Attribute attr, function_ref<bool(const Scalar &)> pred) {
  DenseElementsAttr elements = asDenseElements(attr);
  if (!elements || !isFoldableElement(elements.getElementType()))
    return false;
  if (elements.isSplat())
    return pred(readScalars(elements)->front());
  if (isa<FloatType>(elements.getElementType()))
    return llvm::all_of(elements.getValues<APFloat>(),
                        [&](APFloat value) { return pred(readFloat(value)); });
  bool isUnsigned = isUnsignedElement(elements.getElementType());
  return llvm::all_of(elements.getValues<APInt>(), [&](APInt value) {
    return pred(Scalar::ofInt(value, isUnsigned));
  });
}

/// `x` when it already has the result's type (a broadcast identity such as
/// `x * 1` must not change the shape), else nothing.
OpFoldResult identityOf(Value x, Type resultType) {
  return x.getType() == resultType ? OpFoldResult(x) : OpFoldResult();
}

bool isOne(const Scalar &s) { return s.isFloat ? s.f == 1 : s.i.isOne(); }

/// 0 for integers; for floats only -0.0 is an exact additive identity
/// (`-0.0 + +0.0` is `+0.0`).
bool isAdditiveIdentity(const Scalar &s) {
  return s.isFloat ? s.f == 0 && std::signbit(s.f) : s.i.isZero();
}

/// 0 for integers; for floats +0.0 (`x - +0.0` is `x + -0.0`).
bool isSubtractiveIdentity(const Scalar &s) {
  return s.isFloat ? s.f == 0 && !std::signbit(s.f) : s.i.isZero();
}

} // namespace

//===----------------------------------------------------------------------===//
// Binary elementwise ops
//===----------------------------------------------------------------------===//

namespace {

/// Infers `A op B`: the broadcast shape, element type `resultElement` (A's
/// when null). A and B must share an element type when `sameElementType`.
LogicalResult inferBinary(std::optional<Location> loc, Value lhs, Value rhs,
                          StringRef lhsName, StringRef rhsName,
                          bool sameElementType, Type resultElement,
                          SmallVectorImpl<Type> &types) {
  FailureOr<TensorType> lhsType = requireTensor(loc, lhs, lhsName);
  FailureOr<TensorType> rhsType = requireTensor(loc, rhs, rhsName);
  if (failed(lhsType) || failed(rhsType))
    return failure();
  if (sameElementType &&
      failed(checkSameElementType(loc, *lhsType, lhsName, *rhsType, rhsName)))
    return failure();
  FailureOr<std::optional<Shape>> shape =
      broadcastOperands(loc, {{lhsName, *lhsType}, {rhsName, *rhsType}});
  if (failed(shape))
    return failure();
  pushTensor(types, *shape,
             resultElement ? resultElement : lhsType->getElementType());
  return success();
}

} // namespace

#define INTR_INFER_BINARY(OP, LHS, RHS, RESULT_ELEMENT)                        \
  LogicalResult OP::inferReturnTypes(                                          \
      MLIRContext *context, std::optional<Location> loc, Adaptor adaptor,      \
      SmallVectorImpl<Type> &types) {                                          \
    (void)context;                                                             \
    return inferBinary(loc, adaptor.get##LHS(), adaptor.get##RHS(), #LHS,      \
                       #RHS, /*sameElementType=*/true, RESULT_ELEMENT, types); \
  }

// Arithmetic keeps the operands' type; comparisons and logic give bool.
INTR_INFER_BINARY(AddOp, A, B, Type())
INTR_INFER_BINARY(SubOp, A, B, Type())
INTR_INFER_BINARY(MulOp, A, B, Type())
INTR_INFER_BINARY(DivOp, A, B, Type())
INTR_INFER_BINARY(ModOp, A, B, Type())
INTR_INFER_BINARY(EqualOp, A, B, IntegerType::get(context, 1))
INTR_INFER_BINARY(LessOp, A, B, IntegerType::get(context, 1))
INTR_INFER_BINARY(GreaterOp, A, B, IntegerType::get(context, 1))
INTR_INFER_BINARY(AndOp, A, B, IntegerType::get(context, 1))
INTR_INFER_BINARY(OrOp, A, B, IntegerType::get(context, 1))
#undef INTR_INFER_BINARY

LogicalResult PowOp::inferReturnTypes(MLIRContext *,
                                      std::optional<Location> loc,
                                      Adaptor adaptor,
                                      SmallVectorImpl<Type> &types) {
  // The exponent may have another element type than the base.
  return inferBinary(loc, adaptor.getX(), adaptor.getY(), "X", "Y",
                     /*sameElementType=*/false, Type(), types);
}

OpFoldResult AddOp::fold(FoldAdaptor adaptor) {
  if (OpFoldResult result = foldArithmetic(
          adaptor.getA(), adaptor.getB(), getType(),
          [](double a, double b) { return a + b; },
          [](const APInt &a, const APInt &b, bool) {
            return std::optional<APInt>(a + b);
          }))
    return result;
  if (allElements(adaptor.getB(), isAdditiveIdentity))
    return identityOf(getA(), getType());
  if (allElements(adaptor.getA(), isAdditiveIdentity))
    return identityOf(getB(), getType());
  return {};
}

OpFoldResult SubOp::fold(FoldAdaptor adaptor) {
  if (OpFoldResult result = foldArithmetic(
          adaptor.getA(), adaptor.getB(), getType(),
          [](double a, double b) { return a - b; },
          [](const APInt &a, const APInt &b, bool) {
            return std::optional<APInt>(a - b);
          }))
    return result;
  if (allElements(adaptor.getB(), isSubtractiveIdentity))
    return identityOf(getA(), getType());
  return {};
}

OpFoldResult MulOp::fold(FoldAdaptor adaptor) {
  if (OpFoldResult result = foldArithmetic(
          adaptor.getA(), adaptor.getB(), getType(),
          [](double a, double b) { return a * b; },
          [](const APInt &a, const APInt &b, bool) {
            return std::optional<APInt>(a * b);
          }))
    return result;
  // x * 1.0 is x for every float, -0.0 and NaN included.
  if (allElements(adaptor.getB(), isOne))
    return identityOf(getA(), getType());
  if (allElements(adaptor.getA(), isOne))
    return identityOf(getB(), getType());
  return {};
}

OpFoldResult DivOp::fold(FoldAdaptor adaptor) {
  if (OpFoldResult result = foldArithmetic(
          adaptor.getA(), adaptor.getB(), getType(),
          [](double a, double b) { return a / b; },
          [](const APInt &a, const APInt &b,
             bool isUnsigned) -> std::optional<APInt> {
            // Division by zero and INT_MIN / -1 are undefined in C.
            if (b.isZero())
              return std::nullopt;
            if (isUnsigned)
              return a.udiv(b);
            if (a.isMinSignedValue() && b.isAllOnes())
              return std::nullopt;
            return a.sdiv(b); // Truncates toward zero.
          }))
    return result;
  if (allElements(adaptor.getB(), isOne))
    return identityOf(getA(), getType());
  return {};
}

OpFoldResult ModOp::fold(FoldAdaptor adaptor) {
  const bool cStyle = getFmod() != 0;
  return foldArithmetic(
      adaptor.getA(), adaptor.getB(), getType(),
      [cStyle](double a, double b) {
        double r = std::fmod(a, b); // A's sign
        return !cStyle && r != 0 && (r < 0) != (b < 0) ? r + b : r;
      },
      [cStyle](const APInt &a, const APInt &b,
               bool isUnsigned) -> std::optional<APInt> {
        if (b.isZero())
          return std::nullopt;
        if (isUnsigned)
          return a.urem(b);
        APInt r = a.srem(b); // A's sign, as C's %.
        if (!cStyle && !r.isZero() && r.isNegative() != b.isNegative())
          r += b;
        return r;
      });
}

OpFoldResult PowOp::fold(FoldAdaptor adaptor) {
  auto type = dyn_cast<ShapedType>(getType());
  if (!type || !haveElementType({adaptor.getX()}, type.getElementType()))
    return {};
  return foldElementwise(
      {adaptor.getX(), adaptor.getY()}, getType(),
      [](ArrayRef<Scalar> x) -> std::optional<Scalar> {
        const Scalar &base = x[0];
        const Scalar &exponent = x[1];
        if (base.isFloat)
          return Scalar::ofFloat(std::pow(base.f, exponent.toDouble()));
        // Integer powers: only non-negative integer exponents are exact.
        if (exponent.isFloat ||
            (!exponent.isUnsigned && exponent.i.isNegative()))
          return std::nullopt;
        APInt result(base.i.getBitWidth(), 1);
        APInt square = base.i;
        for (APInt e = exponent.i; !e.isZero(); e.lshrInPlace(1)) {
          if (e[0])
            result *= square;
          square *= square;
        }
        return Scalar::ofInt(result, base.isUnsigned);
      });
}

OpFoldResult EqualOp::fold(FoldAdaptor adaptor) {
  return foldComparison(
      adaptor.getA(), adaptor.getB(), getType(),
      [](double a, double b) { return a == b; },
      [](const APInt &a, const APInt &b, bool) { return a == b; });
}

OpFoldResult LessOp::fold(FoldAdaptor adaptor) {
  return foldComparison(
      adaptor.getA(), adaptor.getB(), getType(),
      [](double a, double b) { return a < b; },
      [](const APInt &a, const APInt &b, bool isUnsigned) {
        return isUnsigned ? a.ult(b) : a.slt(b);
      });
}

OpFoldResult GreaterOp::fold(FoldAdaptor adaptor) {
  return foldComparison(
      adaptor.getA(), adaptor.getB(), getType(),
      [](double a, double b) { return a > b; },
      [](const APInt &a, const APInt &b, bool isUnsigned) {
        return isUnsigned ? a.ugt(b) : a.sgt(b);
      });
}

OpFoldResult AndOp::fold(FoldAdaptor adaptor) {
  if (OpFoldResult result = foldLogic(adaptor.getA(), adaptor.getB(), getType(),
                                      [](bool a, bool b) { return a && b; }))
    return result;
  auto isTrue = [](const Scalar &s) { return s.isTrue(); };
  if (allElements(adaptor.getB(), isTrue))
    return identityOf(getA(), getType());
  if (allElements(adaptor.getA(), isTrue))
    return identityOf(getB(), getType());
  return {};
}

OpFoldResult OrOp::fold(FoldAdaptor adaptor) {
  if (OpFoldResult result = foldLogic(adaptor.getA(), adaptor.getB(), getType(),
                                      [](bool a, bool b) { return a || b; }))
    return result;
  auto isFalse = [](const Scalar &s) { return s.isZero(); };
  if (allElements(adaptor.getB(), isFalse))
    return identityOf(getA(), getType());
  if (allElements(adaptor.getA(), isFalse))
    return identityOf(getB(), getType());
  return {};
}

//===----------------------------------------------------------------------===//
// Unary elementwise ops
//===----------------------------------------------------------------------===//

namespace {

/// Infers a unary elementwise op: the result has the input's type.
LogicalResult inferLikeInput(std::optional<Location> loc, Value input,
                             StringRef name, SmallVectorImpl<Type> &types) {
  FailureOr<TensorType> type = requireTensor(loc, input, name);
  if (failed(type))
    return failure();
  types.push_back(*type);
  return success();
}

/// x * Φ(x), the exact GELU.
double gelu(double x) { return 0.5 * x * (1 + std::erf(x / std::sqrt(2.0))); }

/// GELU's tanh approximation.
double geluTanh(double x) {
  const double kSqrt2OverPi = std::sqrt(2.0 / llvm::numbers::pi);
  return 0.5 * x * (1 + std::tanh(kSqrt2OverPi * (x + 0.044715 * x * x * x)));
}

} // namespace

#define INTR_INFER_UNARY(OP, INPUT, NAME)                                      \
  LogicalResult OP::inferReturnTypes(                                          \
      MLIRContext *, std::optional<Location> loc, Adaptor adaptor,             \
      SmallVectorImpl<Type> &types) {                                          \
    return inferLikeInput(loc, adaptor.get##INPUT(), NAME, types);             \
  }

INTR_INFER_UNARY(SqrtOp, X, "X")
INTR_INFER_UNARY(FloorOp, X, "X")
INTR_INFER_UNARY(CeilOp, X, "X")
INTR_INFER_UNARY(RoundOp, X, "X")
INTR_INFER_UNARY(ReluOp, X, "X")
INTR_INFER_UNARY(TanOp, Input, "input")
INTR_INFER_UNARY(AsinOp, Input, "input")
INTR_INFER_UNARY(AcosOp, Input, "input")
INTR_INFER_UNARY(AtanOp, Input, "input")
INTR_INFER_UNARY(SinhOp, Input, "input")
INTR_INFER_UNARY(CoshOp, Input, "input")
INTR_INFER_UNARY(AsinhOp, Input, "input")
INTR_INFER_UNARY(AcoshOp, Input, "input")
INTR_INFER_UNARY(AtanhOp, Input, "input")
INTR_INFER_UNARY(SinOp, Input, "input")
INTR_INFER_UNARY(CosOp, Input, "input")
INTR_INFER_UNARY(ErfOp, Input, "input")
INTR_INFER_UNARY(ExpOp, Input, "input")
INTR_INFER_UNARY(LogOp, Input, "input")
INTR_INFER_UNARY(NegOp, X, "X")
INTR_INFER_UNARY(AbsOp, X, "X")
INTR_INFER_UNARY(TanhOp, Input, "input")
INTR_INFER_UNARY(SigmoidOp, X, "X")
INTR_INFER_UNARY(ReciprocalOp, X, "X")
INTR_INFER_UNARY(NotOp, X, "X")
INTR_INFER_UNARY(GeluOp, X, "X")
#undef INTR_INFER_UNARY

#define INTR_FOLD_FLOAT_UNARY(OP, INPUT, EXPR)                                 \
  OpFoldResult OP::fold(FoldAdaptor adaptor) {                                 \
    return foldFloatUnary(adaptor.get##INPUT(), getType(),                     \
                          [](double x) { return EXPR; });                      \
  }

INTR_FOLD_FLOAT_UNARY(SqrtOp, X, std::sqrt(x))
INTR_FOLD_FLOAT_UNARY(FloorOp, X, std::floor(x))
INTR_FOLD_FLOAT_UNARY(CeilOp, X, std::ceil(x))
// Halves to even: the default rounding mode's nearest.
INTR_FOLD_FLOAT_UNARY(RoundOp, X, std::nearbyint(x))
INTR_FOLD_FLOAT_UNARY(TanOp, Input, std::tan(x))
INTR_FOLD_FLOAT_UNARY(AsinOp, Input, std::asin(x))
INTR_FOLD_FLOAT_UNARY(AcosOp, Input, std::acos(x))
INTR_FOLD_FLOAT_UNARY(AtanOp, Input, std::atan(x))
INTR_FOLD_FLOAT_UNARY(SinhOp, Input, std::sinh(x))
INTR_FOLD_FLOAT_UNARY(CoshOp, Input, std::cosh(x))
INTR_FOLD_FLOAT_UNARY(AsinhOp, Input, std::asinh(x))
INTR_FOLD_FLOAT_UNARY(AcoshOp, Input, std::acosh(x))
INTR_FOLD_FLOAT_UNARY(AtanhOp, Input, std::atanh(x))
INTR_FOLD_FLOAT_UNARY(SinOp, Input, std::sin(x))
INTR_FOLD_FLOAT_UNARY(CosOp, Input, std::cos(x))
INTR_FOLD_FLOAT_UNARY(ErfOp, Input, std::erf(x))
INTR_FOLD_FLOAT_UNARY(ExpOp, Input, std::exp(x))
INTR_FOLD_FLOAT_UNARY(LogOp, Input, std::log(x))
// In long double: on f64 results, libm's double tanh and the three roundings
// of 1 / (1 + exp(-x)) in double are up to 2 ulps off.
INTR_FOLD_FLOAT_UNARY(
    TanhOp, Input, static_cast<double>(std::tanh(static_cast<long double>(x))))
INTR_FOLD_FLOAT_UNARY(
    SigmoidOp, X,
    static_cast<double>(1 / (1 + std::exp(-static_cast<long double>(x)))))
INTR_FOLD_FLOAT_UNARY(ReciprocalOp, X, 1 / x)
#undef INTR_FOLD_FLOAT_UNARY

OpFoldResult ReluOp::fold(FoldAdaptor adaptor) {
  return foldUnary(
      adaptor.getX(), getType(),
      [](double x) { return std::isnan(x) || x > 0 ? x : 0.0; },
      [](const APInt &x, bool isUnsigned) {
        return std::optional<APInt>(!isUnsigned && x.isNegative()
                                        ? APInt::getZero(x.getBitWidth())
                                        : x);
      });
}

OpFoldResult NegOp::fold(FoldAdaptor adaptor) {
  return foldUnary(
      adaptor.getX(), getType(), [](double x) { return -x; },
      [](const APInt &x, bool) { return std::optional<APInt>(-x); });
}

OpFoldResult AbsOp::fold(FoldAdaptor adaptor) {
  return foldUnary(
      adaptor.getX(), getType(), [](double x) { return std::fabs(x); },
      [](const APInt &x, bool isUnsigned) {
        return std::optional<APInt>(isUnsigned ? x : x.abs());
      });
}

OpFoldResult NotOp::fold(FoldAdaptor adaptor) {
  auto type = dyn_cast<ShapedType>(getType());
  if (!type || !type.getElementType().isInteger(1))
    return {};
  return foldUnary(
      adaptor.getX(), getType(), [](double x) { return x; },
      [](const APInt &x, bool) { return std::optional<APInt>(~x); });
}

LogicalResult GeluOp::verify() {
  if (getApproximate() != "none" && getApproximate() != "tanh")
    return emitOpError("approximate '")
           << getApproximate() << "' is not supported (none, tanh)";
  return success();
}

OpFoldResult GeluOp::fold(FoldAdaptor adaptor) {
  if (getApproximate() == "tanh")
    return foldFloatUnary(adaptor.getX(), getType(), geluTanh);
  if (getApproximate() == "none")
    return foldFloatUnary(adaptor.getX(), getType(), gelu);
  return {};
}

//===----------------------------------------------------------------------===//
// Cast
//===----------------------------------------------------------------------===//

LogicalResult CastOp::inferReturnTypes(MLIRContext *context,
                                       std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &types) {
  if (failed(completeProperties<CastOp>(context, loc, adaptor)))
    return failure();
  FailureOr<TensorType> input = requireTensor(loc, adaptor.getInput(), "input");
  if (failed(input))
    return failure();
  IntegerAttr to = adaptor.getToAttr();
  if (!to)
    return emitOptionalError(loc, "attribute 'to' is missing");
  Type elementType = intr::onnxDataType(context, to.getValue().getSExtValue());
  if (!elementType)
    return emitOptionalError(loc, "to = ", to.getValue().getSExtValue(),
                             " is not a supported data type (",
                             kSupportedDataTypes, ")");
  types.push_back(input->clone(elementType));
  return success();
}

namespace {

/// Cast and CastLike: `input` when it has the result's type, else the
/// evaluator's own conversion of a constant input to the result's type.
OpFoldResult foldConversion(Value input, Attribute constantInput,
                            TensorType type) {
  if (input.getType() == type)
    return input;
  return foldElementwise({constantInput}, type,
                         [](ArrayRef<Scalar> x) { return x[0]; });
}

} // namespace

namespace {

/// Whether every value of float type `from` is a value of float type `to`,
/// so that a cast from one to the other is exact.
bool holdsEveryValue(Type from, Type to) {
  if (isa<Float16Type, BFloat16Type>(from))
    return to.isF32() || to.isF64();
  return from.isF32() && to.isF64();
}

} // namespace

OpFoldResult CastOp::fold(FoldAdaptor adaptor) {
  // A cast of an exact widening casts the widened value, so it rounds the
  // same real value once either way: it casts the original directly (or
  // is the original, back in its own type).
  if (auto inner = getInput().getDefiningOp<CastOp>()) {
    Value original = inner.getInput();
    if (holdsEveryValue(getElementTypeOrSelf(original.getType()),
                        getElementTypeOrSelf(inner.getType()))) {
      if (original.getType() == getType())
        return original;
      getInputMutable().assign(original);
      return getResult();
    }
  }
  return foldConversion(getInput(), adaptor.getInput(), getType());
}

//===----------------------------------------------------------------------===//
// CastLike
//===----------------------------------------------------------------------===//

LogicalResult CastLikeOp::inferReturnTypes(MLIRContext *,
                                           std::optional<Location> loc,
                                           Adaptor adaptor,
                                           SmallVectorImpl<Type> &types) {
  FailureOr<TensorType> input = requireTensor(loc, adaptor.getInput(), "input");
  FailureOr<TensorType> target =
      requireTensor(loc, adaptor.getTargetType(), "target_type");
  if (failed(input) || failed(target))
    return failure();
  if (!intr::onnxDataTypeNumber(target->getElementType()))
    return emitOptionalError(
        loc, "target_type's element type ", target->getElementType(),
        " is not a supported data type (", kSupportedDataTypes, ")");
  types.push_back(input->clone(target->getElementType()));
  return success();
}

int64_t CastLikeOp::getTargetTypeNumber() {
  return *intr::onnxDataTypeNumber(getType().getElementType());
}

OpFoldResult CastLikeOp::fold(FoldAdaptor adaptor) {
  return foldConversion(getInput(), adaptor.getInput(), getType());
}

//===----------------------------------------------------------------------===//
// Clip
//===----------------------------------------------------------------------===//

LogicalResult ClipOp::inferReturnTypes(MLIRContext *,
                                       std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &types) {
  FailureOr<TensorType> type =
      requireElements(loc, adaptor.getInput(), "input", Elements::Numeric);
  if (failed(type))
    return failure();
  // A bound is one element that broadcasts to the input without changing
  // its shape.
  for (auto [bound, name] : {std::pair(adaptor.getMin(), "min"),
                             std::pair(adaptor.getMax(), "max")}) {
    TensorType boundType = tensorTypeOf(bound);
    if (!boundType)
      continue;
    if (failed(checkSameElementType(loc, *type, "input", boundType, name)))
      return failure();
    if (boundType.hasRank() &&
        (!boundType.hasStaticShape() || boundType.getNumElements() != 1 ||
         (type->hasRank() && boundType.getRank() > type->getRank())))
      return emitOptionalError(loc, name, " must be a scalar, got ", boundType);
  }
  types.push_back(*type);
  return success();
}

OpFoldResult ClipOp::fold(FoldAdaptor adaptor) {
  bool hasMin = !isa<NoneType>(getMin().getType());
  bool hasMax = !isa<NoneType>(getMax().getType());
  if (!hasMin && !hasMax)
    return identityOf(getInput(), getType());
  auto type = dyn_cast<ShapedType>(getType());
  SmallVector<Attribute> operands = {adaptor.getInput()};
  if (hasMin)
    operands.push_back(adaptor.getMin());
  if (hasMax)
    operands.push_back(adaptor.getMax());
  if (!type || !haveElementType(operands, type.getElementType()))
    return {};
  // As the kernel: a bound below which (above which) the value is, or that
  // is NaN, is taken.
  auto below = [](const Scalar &a, const Scalar &b) {
    if (a.isFloat)
      return a.f < b.f;
    return a.isUnsigned ? a.i.ult(b.i) : a.i.slt(b.i);
  };
  auto isNaN = [](const Scalar &s) { return s.isFloat && std::isnan(s.f); };
  return foldElementwise(
      operands, getType(), [&](ArrayRef<Scalar> x) -> std::optional<Scalar> {
        Scalar value = x[0];
        if (hasMin && (below(value, x[1]) || isNaN(x[1])))
          value = x[1];
        if (hasMax && (below(x.back(), value) || isNaN(x.back())))
          value = x.back();
        return value;
      });
}

//===----------------------------------------------------------------------===//
// Where
//===----------------------------------------------------------------------===//

LogicalResult WhereOp::inferReturnTypes(MLIRContext *,
                                        std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &types) {
  FailureOr<TensorType> condition =
      requireTensor(loc, adaptor.getCondition(), "condition");
  FailureOr<TensorType> x = requireTensor(loc, adaptor.getX(), "X");
  FailureOr<TensorType> y = requireTensor(loc, adaptor.getY(), "Y");
  if (failed(condition) || failed(x) || failed(y) ||
      failed(checkSameElementType(loc, *x, "X", *y, "Y")))
    return failure();
  if (!condition->getElementType().isInteger(1))
    return emitOptionalError(loc, "condition must be bool (i1), got ",
                             condition->getElementType());
  FailureOr<std::optional<Shape>> shape =
      broadcastOperands(loc, {{"condition", *condition}, {"X", *x}, {"Y", *y}});
  if (failed(shape))
    return failure();
  pushTensor(types, *shape, x->getElementType());
  return success();
}

OpFoldResult WhereOp::fold(FoldAdaptor adaptor) {
  auto type = dyn_cast<ShapedType>(getType());
  if (type &&
      haveElementType({adaptor.getX(), adaptor.getY()}, type.getElementType()))
    if (DenseElementsAttr result = foldElementwise(
            {adaptor.getCondition(), adaptor.getX(), adaptor.getY()}, getType(),
            [](ArrayRef<Scalar> x) -> std::optional<Scalar> {
              return x[0].isTrue() ? x[1] : x[2];
            }))
      return result;
  auto isTrue = [](const Scalar &s) { return s.isTrue(); };
  auto isFalse = [](const Scalar &s) { return s.isZero(); };
  if (allElements(adaptor.getCondition(), isTrue))
    return identityOf(getX(), getType());
  if (allElements(adaptor.getCondition(), isFalse))
    return identityOf(getY(), getType());
  return {};
}

//===----------------------------------------------------------------------===//
// MatMul and Gemm
//===----------------------------------------------------------------------===//

namespace {

/// numpy.matmul's result type for A and B, of `element`: batch dimensions
/// broadcast, a 1-D A a row vector and a 1-D B a column vector whose
/// dimension the result drops.
LogicalResult inferMatMul(std::optional<Location> loc, TensorType lhs,
                          TensorType rhs, Type element,
                          SmallVectorImpl<Type> &types) {
  if (!lhs.hasRank() || !rhs.hasRank()) {
    pushTensor(types, std::nullopt, element);
    return success();
  }
  ArrayRef<int64_t> a = lhs.getShape();
  ArrayRef<int64_t> b = rhs.getShape();
  if (a.empty() || b.empty())
    return emitOptionalError(loc,
                             "A and B must have rank 1 or more, got ranks ",
                             a.size(), " and ", b.size());
  // A 1-D operand is a vector: A contracts its last size, B its first (1-D)
  // or second-to-last size.
  int64_t lhsSize = a.back();
  int64_t rhsSize = b.size() == 1 ? b[0] : b[b.size() - 2];
  if (!ShapedType::isDynamic(lhsSize) && !ShapedType::isDynamic(rhsSize) &&
      lhsSize != rhsSize)
    return emitOptionalError(loc, "contracted sizes differ: A has ", lhsSize,
                             " columns, B has ", rhsSize, " rows");
  ArrayRef<int64_t> lhsBatch = a.drop_back(std::min<size_t>(a.size(), 2));
  ArrayRef<int64_t> rhsBatch = b.drop_back(std::min<size_t>(b.size(), 2));
  FailureOr<Shape> shape = broadcastShapes(lhsBatch, rhsBatch);
  if (failed(shape))
    return emitOptionalError(loc, "batch dimensions do not broadcast: A ",
                             formatShape(lhsBatch), ", B ",
                             formatShape(rhsBatch));
  if (a.size() >= 2)
    shape->push_back(a[a.size() - 2]);
  if (b.size() >= 2)
    shape->push_back(b.back());
  pushTensor(types, ArrayRef<int64_t>(*shape), element);
  return success();
}

} // namespace

LogicalResult MatMulOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  FailureOr<TensorType> lhs = requireTensor(loc, adaptor.getA(), "A");
  FailureOr<TensorType> rhs = requireTensor(loc, adaptor.getB(), "B");
  if (failed(lhs) || failed(rhs) ||
      failed(checkSameElementType(loc, *lhs, "A", *rhs, "B")))
    return failure();
  return inferMatMul(loc, *lhs, *rhs, lhs->getElementType(), types);
}

LogicalResult GemmOp::inferReturnTypes(MLIRContext *context,
                                       std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &types) {
  if (failed(completeProperties<GemmOp>(context, loc, adaptor)))
    return failure();
  FailureOr<TensorType> lhs = requireTensor(loc, adaptor.getA(), "A");
  FailureOr<TensorType> rhs = requireTensor(loc, adaptor.getB(), "B");
  if (failed(lhs) || failed(rhs) ||
      failed(checkSameElementType(loc, *lhs, "A", *rhs, "B")))
    return failure();
  TensorType bias = tensorTypeOf(adaptor.getC());
  if (bias && failed(checkSameElementType(loc, *lhs, "A", bias, "C")))
    return failure();
  for (auto [name, type] : {std::pair{"A", *lhs}, std::pair{"B", *rhs}})
    if (type.hasRank() && type.getRank() != 2)
      return emitOptionalError(loc, name, " must be 2-D, got rank ",
                               type.getRank());
  // op(A) is M x K, op(B) is K x N.
  int64_t m = ShapedType::kDynamic, n = ShapedType::kDynamic;
  int64_t lhsK = ShapedType::kDynamic, rhsK = ShapedType::kDynamic;
  if (lhs->hasRank()) {
    bool transA = adaptor.getTransA() != 0;
    m = lhs->getDimSize(transA ? 1 : 0);
    lhsK = lhs->getDimSize(transA ? 0 : 1);
  }
  if (rhs->hasRank()) {
    bool transB = adaptor.getTransB() != 0;
    rhsK = rhs->getDimSize(transB ? 1 : 0);
    n = rhs->getDimSize(transB ? 0 : 1);
  }
  if (!ShapedType::isDynamic(lhsK) && !ShapedType::isDynamic(rhsK) &&
      lhsK != rhsK)
    return emitOptionalError(loc, "contracted sizes differ: op(A) has ", lhsK,
                             " columns, op(B) has ", rhsK, " rows");
  Shape shape = {m, n};
  if (bias && bias.hasRank() && !broadcastsTo(bias.getShape(), shape))
    return emitOptionalError(loc, "C has shape ", formatShape(bias.getShape()),
                             ", which does not broadcast to the result shape ",
                             formatShape(shape));
  pushTensor(types, ArrayRef<int64_t>(shape), lhs->getElementType());
  return success();
}

//===----------------------------------------------------------------------===//
// Softmax
//===----------------------------------------------------------------------===//

LogicalResult SoftmaxOp::inferReturnTypes(MLIRContext *context,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  if (failed(completeProperties<SoftmaxOp>(context, loc, adaptor)))
    return failure();
  FailureOr<TensorType> input = requireTensor(loc, adaptor.getInput(), "input");
  if (failed(input))
    return failure();
  if (input->hasRank()) {
    // A scalar has one implicit axis (0 or -1).
    int64_t rank = input->getRank();
    if (!normalizeAxis(adaptor.getAxis(), std::max<int64_t>(rank, 1)))
      return emitOptionalError(loc, "axis ", adaptor.getAxis(),
                               " is out of range for input of rank ", rank);
  }
  types.push_back(*input);
  return success();
}

//===----------------------------------------------------------------------===//
// TopK
//===----------------------------------------------------------------------===//

LogicalResult TopKOp::inferReturnTypes(MLIRContext *context,
                                       std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &types) {
  if (failed(completeProperties<TopKOp>(context, loc, adaptor)))
    return failure();
  FailureOr<TensorType> x =
      requireElements(loc, adaptor.getX(), "X", Elements::Numeric);
  FailureOr<TensorType> k = requireTensor(loc, adaptor.getK(), "K");
  if (failed(x) || failed(k))
    return failure();
  if (!k->getElementType().isInteger(64) ||
      (k->hasRank() &&
       (k->getRank() != 1 || (k->hasStaticShape() && k->getDimSize(0) != 1))))
    return emitOptionalError(loc, "K must be a 1-element i64 tensor, got ", *k);
  Type i64 = IntegerType::get(context, 64);
  if (!x->hasRank()) {
    pushTensor(types, std::nullopt, x->getElementType());
    pushTensor(types, std::nullopt, i64);
    return success();
  }
  std::optional<int64_t> axis = normalizeAxis(adaptor.getAxis(), x->getRank());
  if (!axis)
    return emitOptionalError(loc, "axis ", adaptor.getAxis(),
                             " is out of range for X of rank ", x->getRank());
  Shape shape(x->getShape());
  shape[*axis] = ShapedType::kDynamic;
  if (std::optional<SmallVector<int64_t>> values =
          getConstantInts(adaptor.getK());
      values && values->size() == 1) {
    int64_t count = values->front(), size = x->getDimSize(*axis);
    if (count < 0 || (!ShapedType::isDynamic(size) && count > size))
      return emitOptionalError(loc, "K = ", count, " is out of range for ",
                               size, " elements along axis ", *axis);
    shape[*axis] = count;
  }
  pushTensor(types, ArrayRef<int64_t>(shape), x->getElementType());
  pushTensor(types, ArrayRef<int64_t>(shape), i64);
  return success();
}

LogicalResult TopKOp::verify() {
  if (getLargest() != 0 && getLargest() != 1)
    return emitOpError("largest ") << getLargest() << " must be 0 or 1";
  if (getSorted() != 0 && getSorted() != 1)
    return emitOpError("sorted ") << getSorted() << " must be 0 or 1";
  return success();
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

namespace {

/// The dimensions a reduction over data of rank `rank` reduces, normalized,
/// sorted and unique: `axes`, or every dimension when `axes` is empty.
FailureOr<Shape> reducedDims(std::optional<Location> loc,
                             ArrayRef<int64_t> axes, int64_t rank) {
  Shape dims;
  if (axes.empty()) {
    dims.resize(rank);
    std::iota(dims.begin(), dims.end(), 0);
    return dims;
  }
  for (int64_t axis : axes) {
    std::optional<int64_t> dim = normalizeAxis(axis, rank);
    if (!dim)
      return emitOptionalError(loc, "axis ", axis,
                               " is out of range for data of rank ", rank);
    dims.push_back(*dim);
  }
  llvm::sort(dims);
  dims.erase(std::unique(dims.begin(), dims.end()), dims.end());
  return dims;
}

/// Infers ReduceMean, ReduceSum and ReduceMax.
LogicalResult inferReduce(std::optional<Location> loc, Value data,
                          std::optional<ArrayRef<int64_t>> attrAxes,
                          Value axesInput, bool keepdims, bool noop,
                          SmallVectorImpl<Type> &types) {
  FailureOr<TensorType> dataType = requireTensor(loc, data, "data");
  if (failed(dataType))
    return failure();
  Type elementType = dataType->getElementType();
  std::optional<Shape> axes = getReduceAxes(attrAxes, axesInput);
  if (axes && axes->empty() && noop) {
    types.push_back(*dataType);
    return success();
  }
  if (!dataType->hasRank()) {
    pushTensor(types, std::nullopt, elementType);
    return success();
  }
  ArrayRef<int64_t> shape = dataType->getShape();
  if (!axes) {
    // Unknown axes: with keepdims the rank stays and size-1 dims stay 1.
    if (!keepdims) {
      pushTensor(types, std::nullopt, elementType);
      return success();
    }
    Shape result(shape.size(), ShapedType::kDynamic);
    for (auto [size, out] : llvm::zip(shape, result))
      if (size == 1)
        out = 1;
    pushTensor(types, ArrayRef<int64_t>(result), elementType);
    return success();
  }
  FailureOr<Shape> dims = reducedDims(loc, *axes, shape.size());
  if (failed(dims))
    return failure();
  Shape result;
  for (auto [dim, size] : llvm::enumerate(shape)) {
    bool reduced = llvm::is_contained(*dims, static_cast<int64_t>(dim));
    if (!reduced)
      result.push_back(size);
    else if (keepdims)
      result.push_back(1);
  }
  pushTensor(types, ArrayRef<int64_t>(result), elementType);
  return success();
}

enum class ReduceKind { Sum, Mean, Max };

/// Folds a reduction of `data`: the noop case to `dataValue`, a small
/// constant to its reduction (float sums compensated, rounded once).
OpFoldResult foldReduce(ReduceKind kind, Value dataValue, Attribute data,
                        std::optional<ArrayRef<int64_t>> attrAxes,
                        Value axesInput, bool noop, Type resultType) {
  std::optional<Shape> axes = getReduceAxes(attrAxes, axesInput);
  if (!axes)
    return {};
  if (axes->empty() && noop)
    return identityOf(dataValue, resultType);

  DenseElementsAttr elements = asDenseElements(data);
  RankedTensorType type = foldableResultType(resultType);
  if (!elements || !type || elements.getElementType() != type.getElementType())
    return {};
  ArrayRef<int64_t> shape = elements.getType().getShape();
  int64_t count = elements.getNumElements();
  FailureOr<Shape> dims = reducedDims(std::nullopt, *axes, shape.size());
  if (failed(dims) || count == 0 || count > kMaxFoldedElements)
    return {};
  std::optional<SmallVector<Scalar>> values = readScalars(elements);
  if (!values)
    return {};

  // The output index of each input element: its coordinates in the kept
  // dimensions, row-major.
  Shape outStride(shape.size(), 0);
  int64_t outCount = 1;
  for (size_t d = shape.size(); d-- > 0;) {
    if (llvm::is_contained(*dims, static_cast<int64_t>(d)))
      continue;
    outStride[d] = outCount;
    outCount *= shape[d];
  }
  if (outCount != type.getNumElements())
    return {};
  int64_t perOutput = count / outCount;

  Type elementType = type.getElementType();
  bool isFloat = isa<FloatType>(elementType);
  unsigned width = isFloat ? 0 : elementType.getIntOrFloatBitWidth();
  bool isUnsigned = isUnsignedElement(elementType);
  SmallVector<Scalar> acc(outCount);
  for (Scalar &a : acc) {
    if (isFloat)
      a = Scalar::ofFloat(kind == ReduceKind::Max
                              ? -std::numeric_limits<double>::infinity()
                              : 0.0);
    else if (kind == ReduceKind::Max)
      a = Scalar::ofInt(isUnsigned ? APInt::getMinValue(width)
                                   : APInt::getSignedMinValue(width),
                        isUnsigned);
    else
      a = Scalar::ofInt(APInt::getZero(width), isUnsigned);
  }

  // Float sums: Neumaier's compensated summation in long double, so that
  // the folded value is the exact sum rounded once (nearly always) whatever
  // the order and the cancellation.
  SmallVector<long double> sums(outCount, 0.0L), compensations(outCount, 0.0L);
  Shape index(shape.size(), 0);
  int64_t out = 0;
  for (int64_t n = 0; n < count; ++n) {
    const Scalar &x = (*values)[values->size() == 1 ? 0 : n];
    Scalar &a = acc[out];
    if (isFloat) {
      if (kind != ReduceKind::Max) {
        long double &sum = sums[out], value = x.f;
        long double next = sum + value;
        if (std::isfinite(next))
          compensations[out] += std::fabs(sum) >= std::fabs(value)
                                    ? (sum - next) + value
                                    : (value - next) + sum;
        sum = next;
      } else if (std::isnan(x.f) || x.f > a.f)
        a.f = std::isnan(a.f) ? a.f : x.f; // NaN wins.
    } else if (kind != ReduceKind::Max) {
      a.i += x.i;
    } else if (isUnsigned ? x.i.ugt(a.i) : x.i.sgt(a.i)) {
      a.i = x.i;
    }
    for (size_t d = shape.size(); d-- > 0;) {
      ++index[d];
      out += outStride[d];
      if (index[d] < shape[d])
        break;
      out -= outStride[d] * shape[d];
      index[d] = 0;
    }
  }
  if (isFloat && kind != ReduceKind::Max)
    for (auto [a, sum, compensation] : llvm::zip(acc, sums, compensations)) {
      long double total = sum + compensation;
      a.f = static_cast<double>(kind == ReduceKind::Mean ? total / perOutput
                                                         : total);
    }
  if (kind == ReduceKind::Mean) {
    for (Scalar &a : acc) {
      if (isFloat)
        continue;
      APInt divisor(width, perOutput);
      // A count that does not fit the width cannot be divided exactly.
      if (divisor.getZExtValue() != static_cast<uint64_t>(perOutput) ||
          (!isUnsigned && divisor.isNegative()))
        return {};
      a.i = isUnsigned ? a.i.udiv(divisor) : a.i.sdiv(divisor);
    }
  }
  return buildElements(type, acc);
}

/// Rejects axes given both ways (the attribute of opsets up to 17 and the
/// input of opset 18).
LogicalResult verifyReduceAxes(Operation *op,
                               std::optional<ArrayRef<int64_t>> attrAxes,
                               Value axesInput) {
  if (attrAxes && tensorTypeOf(axesInput))
    return op->emitOpError(
        "axes are given both as an attribute and as an input");
  return success();
}

} // namespace

// The reductions whose axes come as the attribute (up to opset 17) or the
// input (from 18).
#define INTR_REDUCE_WITH_AXES(OP)                                              \
  LogicalResult OP::inferReturnTypes(                                          \
      MLIRContext *context, std::optional<Location> loc, Adaptor adaptor,      \
      SmallVectorImpl<Type> &types) {                                          \
    if (failed(completeProperties<OP>(context, loc, adaptor)))                 \
      return failure();                                                        \
    return inferReduce(loc, adaptor.getData(), adaptor.getAxes(),              \
                       adaptor.getAxesInput(), adaptor.getKeepdims() != 0,     \
                       adaptor.getNoopWithEmptyAxes() != 0, types);            \
  }                                                                            \
  LogicalResult OP::verify() {                                                 \
    return verifyReduceAxes(*this, getAxes(), getAxesInput());                 \
  }
INTR_REDUCE_WITH_AXES(ReduceMeanOp)
INTR_REDUCE_WITH_AXES(ReduceMaxOp)
INTR_REDUCE_WITH_AXES(ReduceProdOp)
#undef INTR_REDUCE_WITH_AXES

OpFoldResult ReduceMeanOp::fold(FoldAdaptor adaptor) {
  return foldReduce(ReduceKind::Mean, getData(), adaptor.getData(), getAxes(),
                    getAxesInput(), getNoopWithEmptyAxes() != 0, getType());
}

LogicalResult ReduceSumOp::inferReturnTypes(MLIRContext *context,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  if (failed(completeProperties<ReduceSumOp>(context, loc, adaptor)))
    return failure();
  return inferReduce(loc, adaptor.getData(), std::nullopt, adaptor.getAxes(),
                     adaptor.getKeepdims() != 0,
                     adaptor.getNoopWithEmptyAxes() != 0, types);
}

OpFoldResult ReduceSumOp::fold(FoldAdaptor adaptor) {
  return foldReduce(ReduceKind::Sum, getData(), adaptor.getData(), std::nullopt,
                    getAxes(), getNoopWithEmptyAxes() != 0, getType());
}

OpFoldResult ReduceMaxOp::fold(FoldAdaptor adaptor) {
  return foldReduce(ReduceKind::Max, getData(), adaptor.getData(), getAxes(),
                    getAxesInput(), getNoopWithEmptyAxes() != 0, getType());
}

//===----------------------------------------------------------------------===//
// CumSum
//===----------------------------------------------------------------------===//

LogicalResult CumSumOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  FailureOr<TensorType> x = requireTensor(loc, adaptor.getX(), "x");
  FailureOr<TensorType> axis = requireTensor(loc, adaptor.getAxis(), "axis");
  if (failed(x) || failed(axis))
    return failure();
  if (axis->hasRank() &&
      (axis->getRank() > 1 || (axis->getRank() == 1 && !axis->isDynamicDim(0) &&
                               axis->getDimSize(0) != 1)))
    return emitOptionalError(
        loc, "axis must be a scalar or a 1-element tensor, got shape ",
        formatShape(axis->getShape()));
  std::optional<Shape> axisValue = getConstantInts(adaptor.getAxis());
  if (x->hasRank() && axisValue && axisValue->size() == 1 &&
      !normalizeAxis(axisValue->front(), x->getRank()))
    return emitOptionalError(loc, "axis ", axisValue->front(),
                             " is out of range for x of rank ", x->getRank());
  types.push_back(*x);
  return success();
}

OpFoldResult CumSumOp::fold(FoldAdaptor adaptor) {
  auto elements = asDenseElements(adaptor.getX());
  RankedTensorType type = foldableResultType(getType());
  std::optional<Shape> axisValue = getConstantInts(getAxis());
  if (!elements || !type || elements.getType() != type || !axisValue ||
      axisValue->size() != 1)
    return {};
  ArrayRef<int64_t> shape = type.getShape();
  std::optional<int64_t> axis = normalizeAxis(axisValue->front(), shape.size());
  std::optional<SmallVector<Scalar>> values = readScalars(elements);
  if (!axis || !values)
    return {};

  // Element (outer, k, inner) is at (outer * length + k) * inner + inner.
  int64_t length = shape[*axis];
  int64_t inner = 1;
  for (int64_t size : shape.drop_front(*axis + 1))
    inner *= size;
  int64_t outer = type.getNumElements() / std::max<int64_t>(length * inner, 1);
  Type elementType = type.getElementType();
  bool isFloat = isa<FloatType>(elementType);
  bool exclusive = getExclusive() != 0;
  bool reverse = getReverse() != 0;
  auto valueAt = [&](int64_t n) -> const Scalar & {
    return (*values)[values->size() == 1 ? 0 : n];
  };

  SmallVector<Scalar> results(type.getNumElements());
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t in = 0; in < inner; ++in) {
      Scalar sum =
          isFloat ? Scalar::ofFloat(0.0)
                  : Scalar::ofInt(
                        APInt::getZero(elementType.getIntOrFloatBitWidth()),
                        isUnsignedElement(elementType));
      for (int64_t step = 0; step < length; ++step) {
        int64_t k = reverse ? length - 1 - step : step;
        int64_t n = (o * length + k) * inner + in;
        if (exclusive)
          results[n] = sum;
        // The first element starts the sum as it is (+0.0 + -0.0 would be
        // +0.0); each addition rounds to the element type, as a loop in T
        // does.
        if (step == 0)
          sum = valueAt(n);
        else if (isFloat)
          sum.f = roundTo(sum.f + valueAt(n).f, elementType);
        else
          sum.i += valueAt(n).i;
        if (!exclusive)
          results[n] = sum;
      }
    }
  }
  return buildElements(type, results);
}

//===----------------------------------------------------------------------===//
// LayerNormalization and BatchNormalization
//===----------------------------------------------------------------------===//

LogicalResult LayerNormalizationOp::inferReturnTypes(
    MLIRContext *context, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &types) {
  if (failed(completeProperties<LayerNormalizationOp>(context, loc, adaptor)))
    return failure();
  FailureOr<TensorType> x = requireTensor(loc, adaptor.getX(), "X");
  FailureOr<TensorType> scale = requireTensor(loc, adaptor.getScale(), "Scale");
  if (failed(x) || failed(scale) ||
      failed(checkSameElementType(loc, *x, "X", *scale, "Scale")))
    return failure();
  TensorType bias = tensorTypeOf(adaptor.getB());
  if (bias && failed(checkSameElementType(loc, *x, "X", bias, "B")))
    return failure();
  int64_t stashType = adaptor.getStashType();
  Type statsType = intr::onnxDataType(context, stashType);
  if (!statsType || !isa<FloatType>(statsType))
    return emitOptionalError(loc, "stash_type ", stashType,
                             " is not a float type (1 f32, 10 f16, 11 f64, "
                             "16 bf16)");
  if (!x->hasRank()) {
    types.push_back(*x);
    pushTensor(types, std::nullopt, statsType);
    pushTensor(types, std::nullopt, statsType);
    return success();
  }
  ArrayRef<int64_t> shape = x->getShape();
  std::optional<int64_t> axis = normalizeAxis(adaptor.getAxis(), shape.size());
  if (!axis)
    return emitOptionalError(loc, "axis ", adaptor.getAxis(),
                             " is out of range for X of rank ", shape.size());
  for (auto [name, type] : {std::pair{"Scale", *scale}, std::pair{"B", bias}})
    if (type && type.hasRank() && !broadcastsTo(type.getShape(), shape))
      return emitOptionalError(
          loc, name, " has shape ", formatShape(type.getShape()),
          ", which does not broadcast to X's shape ", formatShape(shape));
  Shape statsShape(shape);
  std::fill(statsShape.begin() + *axis, statsShape.end(), 1);
  types.push_back(*x);
  pushTensor(types, ArrayRef<int64_t>(statsShape), statsType);
  pushTensor(types, ArrayRef<int64_t>(statsShape), statsType);
  return success();
}

LogicalResult BatchNormalizationOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &types) {
  FailureOr<TensorType> x = requireTensor(loc, adaptor.getX(), "X");
  if (failed(x))
    return failure();
  // scale, B, input_mean and input_var: each 1-D of the channel count.
  std::pair<StringRef, Value> statistics[] = {
      {"scale", adaptor.getScale()},
      {"B", adaptor.getB()},
      {"input_mean", adaptor.getInputMean()},
      {"input_var", adaptor.getInputVar()}};
  int64_t channels = ShapedType::kDynamic;
  if (x->hasRank()) {
    if (x->getRank() < 2)
      return emitOptionalError(loc,
                               "X must have rank 2 or more (N, C, ...), "
                               "got rank ",
                               x->getRank());
    channels = x->getDimSize(1);
  }
  for (auto [name, value] : statistics) {
    FailureOr<TensorType> type = requireTensor(loc, value, name);
    if (failed(type))
      return failure();
    if (!type->hasRank())
      continue;
    if (type->getRank() != 1)
      return emitOptionalError(loc, name, " must be 1-D, got shape ",
                               formatShape(type->getShape()));
    int64_t size = type->getDimSize(0);
    if (!ShapedType::isDynamic(size) && !ShapedType::isDynamic(channels) &&
        size != channels)
      return emitOptionalError(loc, name, " has ", size, " elements but X has ",
                               channels, " channels");
  }
  Type statsType = tensorTypeOf(adaptor.getInputMean()).getElementType();
  types.push_back(*x);
  pushTensor(types, ArrayRef<int64_t>{channels}, statsType);
  pushTensor(types, ArrayRef<int64_t>{channels}, statsType);
  return success();
}

LogicalResult BatchNormalizationOp::verify() {
  if (getTrainingMode() != 0)
    return emitOpError("training_mode = ")
           << getTrainingMode()
           << " is not supported (only inference, training_mode = 0)";
  return success();
}

std::optional<std::pair<SmallVector<float>, SmallVector<float>>>
BatchNormalizationOp::getConstantAffine() {
  if (!getRunningMean().use_empty() || !getRunningVar().use_empty())
    return std::nullopt;
  auto gamma = readConstantFloats(getScale()),
       beta = readConstantFloats(getB()),
       mean = readConstantFloats(getInputMean()),
       var = readConstantFloats(getInputVar());
  if (!gamma || !beta || !mean || !var || beta->size() != gamma->size() ||
      mean->size() != gamma->size() || var->size() != gamma->size())
    return std::nullopt;
  double epsilon = getEpsilon().convertToDouble();
  SmallVector<float> scale(gamma->size()), shift(gamma->size());
  for (size_t c = 0; c < gamma->size(); ++c) {
    double s = (*gamma)[c] / std::sqrt(double((*var)[c]) + epsilon);
    scale[c] = static_cast<float>(s);
    shift[c] = static_cast<float>((*beta)[c] - (*mean)[c] * s);
  }
  return std::pair(std::move(scale), std::move(shift));
}

//===----------------------------------------------------------------------===//
// Conv and MaxPool
//===----------------------------------------------------------------------===//

namespace {

bool isSupportedAutoPad(StringRef autoPad) {
  return autoPad == "NOTSET" || autoPad == "SAME_UPPER" ||
         autoPad == "SAME_LOWER" || autoPad == "VALID";
}

LogicalResult verifyAutoPad(Operation *op, StringRef autoPad) {
  if (isSupportedAutoPad(autoPad))
    return success();
  return op->emitOpError("auto_pad '")
         << autoPad
         << "' is not supported (NOTSET, SAME_UPPER, SAME_LOWER, VALID)";
}

/// The windowing attributes of Conv and MaxPool, checked against the number
/// of spatial dimensions and given their defaults.
struct Window {
  Shape kernel; // Dynamic where unknown.
  Shape strides;
  Shape dilations;
  Shape pads; // Begins, then ends.
};

FailureOr<Window> resolveWindow(std::optional<Location> loc, int64_t spatial,
                                std::optional<ArrayRef<int64_t>> kernel,
                                std::optional<ArrayRef<int64_t>> strides,
                                std::optional<ArrayRef<int64_t>> dilations,
                                std::optional<ArrayRef<int64_t>> pads) {
  Window window;
  auto take = [&](StringRef name, std::optional<ArrayRef<int64_t>> given,
                  int64_t expected, int64_t fill, int64_t minimum,
                  Shape &into) -> LogicalResult {
    if (!given) {
      into.assign(expected, fill);
      return success();
    }
    if (static_cast<int64_t>(given->size()) != expected)
      return emitOptionalError(loc, name, " has ", given->size(),
                               " values, expected ", expected, " for ", spatial,
                               " spatial dimensions");
    for (int64_t value : *given)
      if (value < minimum)
        return emitOptionalError(loc, name, " ", formatShape(*given),
                                 " must be ", minimum, " or more");
    into.assign(given->begin(), given->end());
    return success();
  };
  if (failed(take("kernel_shape", kernel, spatial, ShapedType::kDynamic, 1,
                  window.kernel)) ||
      failed(take("strides", strides, spatial, 1, 1, window.strides)) ||
      failed(take("dilations", dilations, spatial, 1, 1, window.dilations)) ||
      failed(take("pads", pads, 2 * spatial, 0, 0, window.pads)))
    return failure();
  return window;
}

/// The output size of spatial dimension `d` of Conv or MaxPool; dynamic
/// when the input or kernel size is unknown or auto_pad is not supported
/// (the verifier rejects it). Fails when the window does not fit the
/// padded input.
FailureOr<int64_t> windowOutputSize(std::optional<Location> loc,
                                    const Window &window, size_t d,
                                    int64_t input, StringRef autoPad,
                                    bool ceilMode) {
  int64_t kernel = window.kernel[d];
  if (ShapedType::isDynamic(input) || ShapedType::isDynamic(kernel) ||
      !isSupportedAutoPad(autoPad))
    return ShapedType::kDynamic;
  int64_t stride = window.strides[d];
  if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER")
    return llvm::divideCeil(input, stride);
  int64_t padBegin = 0, padEnd = 0;
  if (autoPad == "NOTSET") {
    padBegin = window.pads[d];
    padEnd = window.pads[d + window.kernel.size()];
  }
  int64_t extent = (kernel - 1) * window.dilations[d] + 1;
  int64_t span = input + padBegin + padEnd - extent;
  if (span < 0)
    return emitOptionalError(
        loc, "the window of spatial dimension ", d, " (extent ", extent,
        ") is larger than the padded input (", input + padBegin + padEnd, ")");
  int64_t output =
      (ceilMode ? llvm::divideCeil(span, stride) : span / stride) + 1;
  // A last window that would start in the end padding is dropped.
  if (ceilMode && (output - 1) * stride >= input + padBegin)
    --output;
  return output;
}

/// The spatial output sizes of Conv or MaxPool for input `shape` (N, C,
/// D1, ...).
FailureOr<Shape> windowOutputShape(std::optional<Location> loc,
                                   const Window &window,
                                   ArrayRef<int64_t> shape, StringRef autoPad,
                                   bool ceilMode) {
  Shape result;
  for (size_t d = 0; d < window.kernel.size(); ++d) {
    FailureOr<int64_t> size =
        windowOutputSize(loc, window, d, shape[2 + d], autoPad, ceilMode);
    if (failed(size))
      return failure();
    result.push_back(*size);
  }
  return result;
}

/// The kernel sizes of Conv or ConvTranspose: kernel_shape's (dynamic in
/// `kernel` where it is not given), which must agree with W's spatial sizes
/// `wKernel`, else W's.
LogicalResult mergeKernelSizes(std::optional<Location> loc, Shape &kernel,
                               ArrayRef<int64_t> wKernel,
                               std::optional<ArrayRef<int64_t>> kernelShape) {
  for (auto [given, fromW] : llvm::zip(kernel, wKernel)) {
    if (ShapedType::isDynamic(given))
      given = fromW;
    else if (!ShapedType::isDynamic(fromW) && given != fromW)
      return emitOptionalError(loc, "kernel_shape ", formatShape(*kernelShape),
                               " differs from W's spatial sizes ",
                               formatShape(wKernel));
  }
  return success();
}

/// The operands of Conv or ConvTranspose, checked: X, W and B (when given)
/// of one element type, group 1 or more, X and W of one rank, 3 or more.
struct ConvOperandShapes {
  Type elementType;
  TensorType bias; // Null when not given.
  /// Whether X or W has a rank; when neither does, the result has none.
  bool ranked = false;
  /// Their shapes, dynamic sizes where unknown (all of an unranked one's).
  Shape x, w;
};

/// Checks a convolution's operands; `wLayout` names W's dimensions in the
/// message about its rank. X and W have one element type unless
/// `mixedTypes` (ConvInteger's uint8 X and int8 W).
FailureOr<ConvOperandShapes> checkConvOperands(std::optional<Location> loc,
                                               Value xValue, Value wValue,
                                               Value bValue, int64_t group,
                                               StringRef wLayout,
                                               bool mixedTypes = false) {
  FailureOr<TensorType> x = requireTensor(loc, xValue, "X");
  FailureOr<TensorType> w = requireTensor(loc, wValue, "W");
  if (failed(x) || failed(w) ||
      (!mixedTypes && failed(checkSameElementType(loc, *x, "X", *w, "W"))))
    return failure();
  ConvOperandShapes operands;
  operands.elementType = x->getElementType();
  operands.bias = tensorTypeOf(bValue);
  if (operands.bias &&
      failed(checkSameElementType(loc, *x, "X", operands.bias, "B")))
    return failure();
  if (group < 1)
    return emitOptionalError(loc, "group ", group, " must be 1 or more");
  // The rank comes from X, else from W.
  int64_t rank =
      x->hasRank() ? x->getRank() : (w->hasRank() ? w->getRank() : -1);
  if (rank == -1)
    return operands;
  if (rank < 3) {
    if (x->hasRank())
      return emitOptionalError(
          loc, "X must have rank 3 or more (N, C, D1, ...), got rank ", rank);
    return emitOptionalError(loc, "W must have rank 3 or more ", wLayout,
                             ", got rank ", rank);
  }
  if (x->hasRank() && w->hasRank() && w->getRank() != rank)
    return emitOptionalError(loc, "W has rank ", w->getRank(),
                             " but X has rank ", rank);
  operands.ranked = true;
  operands.x =
      x->hasRank() ? Shape(x->getShape()) : Shape(rank, ShapedType::kDynamic);
  operands.w =
      w->hasRank() ? Shape(w->getShape()) : Shape(rank, ShapedType::kDynamic);
  return operands;
}

} // namespace

namespace {

/// A convolution's result type, of `element`, from its checked operands
/// and the window attributes of `adaptor` (Conv's or ConvInteger's).
template <typename Adaptor>
LogicalResult inferConvolution(std::optional<Location> loc, Adaptor adaptor,
                               const ConvOperandShapes &operands, Type element,
                               SmallVectorImpl<Type> &types) {
  if (!operands.ranked) {
    pushTensor(types, std::nullopt, element);
    return success();
  }
  TensorType bias = operands.bias;
  int64_t group = adaptor.getGroup();
  const Shape &xShape = operands.x, &wShape = operands.w;
  int64_t spatial = static_cast<int64_t>(xShape.size()) - 2;
  FailureOr<Window> window = resolveWindow(
      loc, spatial, adaptor.getKernelShape(), adaptor.getStrides(),
      adaptor.getDilations(), adaptor.getPads());
  if (failed(window))
    return failure();

  if (failed(mergeKernelSizes(loc, window->kernel,
                              ArrayRef<int64_t>(wShape).drop_front(2),
                              adaptor.getKernelShape())))
    return failure();

  int64_t channels = xShape[1];
  int64_t filters = wShape[0];
  int64_t expected = ShapedType::kDynamic;
  if (!ShapedType::isDynamic(wShape[1]) &&
      llvm::MulOverflow(wShape[1], group, expected))
    return emitOptionalError(loc, "W's ", wShape[1],
                             " channels per group times group = ", group,
                             " overflow");
  if (!ShapedType::isDynamic(channels) && !ShapedType::isDynamic(expected) &&
      channels != expected)
    return emitOptionalError(loc, "X has ", channels,
                             " channels but W expects ", expected, " (",
                             wShape[1], " per group, group = ", group, ")");
  if (!ShapedType::isDynamic(filters) && filters % group != 0)
    return emitOptionalError(loc, "W has ", filters,
                             " filters, which group = ", group,
                             " does not divide");
  if (bias && bias.hasRank() &&
      (bias.getRank() != 1 ||
       (!ShapedType::isDynamic(filters) && !bias.isDynamicDim(0) &&
        bias.getDimSize(0) != filters)))
    return emitOptionalError(loc, "B has shape ", formatShape(bias.getShape()),
                             " but W has ", filters, " filters");

  FailureOr<Shape> sizes =
      windowOutputShape(loc, *window, xShape, adaptor.getAutoPad(), false);
  if (failed(sizes))
    return failure();
  Shape result = {xShape[0], filters};
  result.append(*sizes);
  pushTensor(types, ArrayRef<int64_t>(result), element);
  return success();
}

} // namespace

LogicalResult ConvOp::inferReturnTypes(MLIRContext *context,
                                       std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &types) {
  if (failed(completeProperties<ConvOp>(context, loc, adaptor)))
    return failure();
  FailureOr<ConvOperandShapes> operands =
      checkConvOperands(loc, adaptor.getX(), adaptor.getW(), adaptor.getB(),
                        adaptor.getGroup(), "(M, C / group, k1, ...)");
  if (failed(operands))
    return failure();
  return inferConvolution(loc, adaptor, *operands, operands->elementType,
                          types);
}

LogicalResult ConvOp::verify() { return verifyAutoPad(*this, getAutoPad()); }

namespace {

/// The largest stride, dilation, pad, output padding or output size a
/// ConvTranspose may have: far beyond any model, small enough that its
/// size arithmetic cannot overflow.
constexpr int64_t kMaxTransposedAttr = int64_t(1) << 30;

/// The spatial dimensions of a ConvTranspose over input sizes `input` and
/// W's kernel sizes `wKernel` (dynamic where unknown): an output size is
/// dynamic where what decides it is.
FailureOr<SmallVector<TransposedAxis>>
resolveTransposedAxes(std::optional<Location> loc, ArrayRef<int64_t> input,
                      ArrayRef<int64_t> wKernel,
                      ConvTransposeOp::Adaptor adaptor) {
  const int64_t spatial = static_cast<int64_t>(input.size());
  FailureOr<Window> window = resolveWindow(
      loc, spatial, adaptor.getKernelShape(), adaptor.getStrides(),
      adaptor.getDilations(), adaptor.getPads());
  if (failed(window) || failed(mergeKernelSizes(loc, window->kernel, wKernel,
                                                adaptor.getKernelShape())))
    return failure();
  auto checkBound = [&](StringRef name, std::optional<ArrayRef<int64_t>> values,
                        int64_t minimum) -> LogicalResult {
    for (int64_t value : values.value_or(ArrayRef<int64_t>()))
      if (value < minimum || value > kMaxTransposedAttr)
        return emitOptionalError(loc, name, " ", formatShape(*values),
                                 " must be in [", minimum, ", ",
                                 kMaxTransposedAttr, "]");
    return success();
  };
  std::optional<ArrayRef<int64_t>> outputPadding = adaptor.getOutputPadding();
  std::optional<ArrayRef<int64_t>> outputShape = adaptor.getOutputShape();
  if (failed(checkBound("strides", adaptor.getStrides(), 1)) ||
      failed(checkBound("dilations", adaptor.getDilations(), 1)) ||
      failed(checkBound("pads", adaptor.getPads(), 0)) ||
      failed(checkBound("kernel_shape", adaptor.getKernelShape(), 1)) ||
      failed(checkBound("output_padding", outputPadding, 0)) ||
      failed(checkBound("output_shape", outputShape, 1)))
    return failure();
  if (outputPadding && static_cast<int64_t>(outputPadding->size()) != spatial)
    return emitOptionalError(loc, "output_padding has ", outputPadding->size(),
                             " values, expected ", spatial);
  // output_shape: the spatial sizes, or N, C and them.
  if (outputShape) {
    int64_t given = static_cast<int64_t>(outputShape->size());
    if (given != spatial && given != spatial + 2)
      return emitOptionalError(loc, "output_shape has ", given,
                               " values, expected ", spatial, " or ",
                               spatial + 2);
    outputShape = outputShape->take_back(spatial);
  }
  StringRef autoPad = adaptor.getAutoPad();
  bool same = autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER";

  SmallVector<TransposedAxis> axes;
  for (int64_t d = 0; d < spatial; ++d) {
    int64_t kernel = window->kernel[d];
    if (!ShapedType::isDynamic(kernel) &&
        (kernel < 1 || kernel > kMaxTransposedAttr))
      return emitOptionalError(loc, "W's kernel sizes ", formatShape(wKernel),
                               " must be in [1, ", kMaxTransposedAttr, "]");
    TransposedAxis axis{kernel,
                        window->strides[d],
                        window->dilations[d],
                        outputPadding ? (*outputPadding)[d] : 0,
                        0,
                        0,
                        ShapedType::kDynamic};
    // PyTorch's rule, which onnxruntime enforces as well: beyond it the
    // output padding reaches past what any input element touches.
    if (axis.outputPadding >= std::max(axis.stride, axis.dilation))
      return emitOptionalError(
          loc, "output_padding ", formatShape(*outputPadding),
          " must be less than the stride or the dilation of its dimension");
    const int64_t size = input[d];
    if (ShapedType::isDynamic(kernel) ||
        (ShapedType::isDynamic(size) && !outputShape) ||
        !isSupportedAutoPad(autoPad)) {
      axes.push_back(axis);
      continue;
    }
    if (!ShapedType::isDynamic(size) && size > kMaxTransposedAttr)
      return emitOptionalError(loc, "X's spatial size ", size, " is too large");
    const int64_t extent = (kernel - 1) * axis.dilation + 1;
    if (outputShape || same) {
      axis.output = outputShape ? (*outputShape)[d] : size * axis.stride;
      if (!ShapedType::isDynamic(size)) {
        // The pads that give that size, the odd one at the end with
        // SAME_UPPER and at the beginning otherwise (the formula of ONNX's
        // specification).
        int64_t total = axis.stride * (size - 1) + axis.outputPadding + extent -
                        axis.output;
        int64_t half = llvm::divideFloorSigned(total, 2);
        axis.padBegin = autoPad == "SAME_UPPER" ? half : total - half;
        axis.padEnd = total - axis.padBegin;
      }
    } else {
      if (autoPad == "NOTSET") {
        axis.padBegin = window->pads[d];
        axis.padEnd = window->pads[d + spatial];
      }
      axis.output = axis.stride * (size - 1) + axis.outputPadding + extent -
                    axis.padBegin - axis.padEnd;
    }
    if (!ShapedType::isDynamic(axis.output) && axis.output < 1)
      return emitOptionalError(loc, "spatial dimension ", d,
                               " would have output size ", axis.output,
                               ": X is empty there, or the pads take more "
                               "than the transposed convolution gives");
    axes.push_back(axis);
  }
  return axes;
}

} // namespace

namespace {

/// Col2Im's spatial dimensions from its constant image and block shapes
/// and attributes, checked: every size at most 2^31 (so that no sum below
/// overflows) and each block fitting its padded axis.
FailureOr<SmallVector<Col2ImAxis>>
resolveCol2ImAxes(std::optional<Location> loc, ArrayRef<int64_t> image,
                  ArrayRef<int64_t> block, Col2ImOp::Adaptor adaptor) {
  const size_t spatial = image.size();
  if (spatial == 0 || block.size() != spatial)
    return emitOptionalError(loc,
                             "image_shape and block_shape must have "
                             "one entry per spatial axis, got ",
                             image.size(), " and ", block.size());
  auto attrOr = [&](std::optional<ArrayRef<int64_t>> attr, size_t length,
                    int64_t fill) {
    return attr ? SmallVector<int64_t>(*attr)
                : SmallVector<int64_t>(length, fill);
  };
  SmallVector<int64_t> dilations = attrOr(adaptor.getDilations(), spatial, 1);
  SmallVector<int64_t> strides = attrOr(adaptor.getStrides(), spatial, 1);
  SmallVector<int64_t> pads = attrOr(adaptor.getPads(), 2 * spatial, 0);
  if (dilations.size() != spatial || strides.size() != spatial ||
      pads.size() != 2 * spatial)
    return emitOptionalError(loc, "dilations and strides must have ", spatial,
                             " entries and pads ", 2 * spatial);
  constexpr int64_t bound = int64_t(1) << 31;
  SmallVector<Col2ImAxis> axes;
  for (size_t d = 0; d < spatial; ++d) {
    Col2ImAxis a{image[d], block[d],          strides[d], dilations[d],
                 pads[d],  pads[spatial + d], 0,          0};
    if (a.size < 1 || a.size > bound || a.block < 1 || a.block > bound ||
        a.stride < 1 || a.stride > bound || a.dilation < 1 ||
        a.dilation > bound || a.padBegin < 0 || a.padBegin > bound ||
        a.padEnd < 0 || a.padEnd > bound)
      return emitOptionalError(
          loc, "image_shape, block_shape, strides and dilations must be "
               "positive and pads not negative, all at most 2^31");
    int64_t span =
        a.size + a.padBegin + a.padEnd - a.dilation * (a.block - 1) - 1;
    if (span < 0)
      return emitOptionalError(loc, "a block of ", a.block, " (dilation ",
                               a.dilation, ") does not fit axis ", d, " of ",
                               a.size, " padded by ", a.padBegin, " and ",
                               a.padEnd);
    a.positions = span / a.stride + 1;
    a.remainder = span % a.stride;
    axes.push_back(a);
  }
  return axes;
}

} // namespace

FailureOr<SmallVector<Col2ImAxis>> intr::onnx::getCol2ImAxes(Col2ImOp op) {
  std::optional<SmallVector<int64_t>> image =
      getConstantInts(op.getImageShape());
  std::optional<SmallVector<int64_t>> block =
      getConstantInts(op.getBlockShape());
  if (!image || !block)
    return failure();
  return resolveCol2ImAxes(op.getLoc(), *image, *block, Col2ImOp::Adaptor(op));
}

LogicalResult Col2ImOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  FailureOr<TensorType> input =
      requireElements(loc, adaptor.getInput(), "input", Elements::Float);
  if (failed(input))
    return failure();
  if (input->hasRank() && input->getRank() != 3)
    return emitOptionalError(loc,
                             "input must be N x (C * block size) x L, "
                             "got ",
                             *input);
  std::optional<SmallVector<int64_t>> image =
      getConstantInts(adaptor.getImageShape());
  std::optional<SmallVector<int64_t>> block =
      getConstantInts(adaptor.getBlockShape());
  if (!image || !block || !input->hasRank()) {
    types.push_back(UnrankedTensorType::get(input->getElementType()));
    return success();
  }
  FailureOr<SmallVector<Col2ImAxis>> axes =
      resolveCol2ImAxes(loc, *image, *block, adaptor);
  if (failed(axes))
    return failure();
  // Each factor is at most 2^31, so neither product overflows before the
  // check.
  constexpr int64_t bound = int64_t(1) << 31;
  int64_t blockSize = 1, positions = 1;
  for (const Col2ImAxis &a : *axes) {
    blockSize *= a.block;
    positions *= a.positions;
    if (blockSize > bound || positions > bound)
      return emitOptionalError(loc, "too many block positions or values");
  }
  int64_t columns = input->getDimSize(1), count = input->getDimSize(2);
  if (!ShapedType::isDynamic(columns) && columns % blockSize != 0)
    return emitOptionalError(loc, "input has ", columns,
                             " values per column, not a multiple of the ",
                             "block's ", blockSize);
  if (!ShapedType::isDynamic(count) && count != positions)
    return emitOptionalError(loc, "input has ", count, " columns, but ",
                             positions, " blocks fit the image");
  SmallVector<int64_t> shape = {input->getDimSize(0),
                                ShapedType::isDynamic(columns)
                                    ? ShapedType::kDynamic
                                    : columns / blockSize};
  shape.append(*image);
  types.push_back(RankedTensorType::get(shape, input->getElementType()));
  return success();
}

LogicalResult ConvTransposeOp::inferReturnTypes(MLIRContext *context,
                                                std::optional<Location> loc,
                                                Adaptor adaptor,
                                                SmallVectorImpl<Type> &types) {
  if (failed(completeProperties<ConvTransposeOp>(context, loc, adaptor)))
    return failure();
  FailureOr<ConvOperandShapes> operands =
      checkConvOperands(loc, adaptor.getX(), adaptor.getW(), adaptor.getB(),
                        adaptor.getGroup(), "(C, M / group, k1, ...)");
  if (failed(operands))
    return failure();
  if (!operands->ranked) {
    pushTensor(types, std::nullopt, operands->elementType);
    return success();
  }
  TensorType bias = operands->bias;
  Type elementType = operands->elementType;
  int64_t group = adaptor.getGroup();
  const Shape &xShape = operands->x, &wShape = operands->w;

  // W is [C, M / group, k...]: X's channels, then each group's outputs.
  int64_t channels = xShape[1];
  if (!ShapedType::isDynamic(channels) && !ShapedType::isDynamic(wShape[0]) &&
      channels != wShape[0])
    return emitOptionalError(loc, "X has ", channels, " channels but W has ",
                             wShape[0]);
  if (!ShapedType::isDynamic(wShape[0]) && wShape[0] % group != 0)
    return emitOptionalError(loc, "W has ", wShape[0],
                             " input channels, which group = ", group,
                             " does not divide");
  int64_t filters = ShapedType::kDynamic;
  if (!ShapedType::isDynamic(wShape[1]) &&
      llvm::MulOverflow(wShape[1], group, filters))
    return emitOptionalError(loc, "W's ", wShape[1],
                             " output channels per group times group = ", group,
                             " overflow");
  if (bias && bias.hasRank() &&
      (bias.getRank() != 1 ||
       (!ShapedType::isDynamic(filters) && !bias.isDynamicDim(0) &&
        bias.getDimSize(0) != filters)))
    return emitOptionalError(loc, "B has shape ", formatShape(bias.getShape()),
                             " but the output has ", filters, " channels");

  FailureOr<SmallVector<TransposedAxis>> axes =
      resolveTransposedAxes(loc, ArrayRef<int64_t>(xShape).drop_front(2),
                            ArrayRef<int64_t>(wShape).drop_front(2), adaptor);
  if (failed(axes))
    return failure();
  Shape result = {xShape[0], filters};
  for (const TransposedAxis &axis : *axes)
    result.push_back(axis.output);
  pushTensor(types, ArrayRef<int64_t>(result), elementType);
  return success();
}

LogicalResult ConvTransposeOp::verify() {
  return verifyAutoPad(*this, getAutoPad());
}

FailureOr<SmallVector<TransposedAxis>>
intr::onnx::getTransposedAxes(ConvTransposeOp op) {
  auto x = dyn_cast<RankedTensorType>(op.getX().getType());
  auto w = dyn_cast<RankedTensorType>(op.getW().getType());
  if (!x || !w || !x.hasStaticShape() || !w.hasStaticShape() ||
      x.getRank() < 3 || w.getRank() != x.getRank())
    return failure();
  return resolveTransposedAxes(op.getLoc(), x.getShape().drop_front(2),
                               w.getShape().drop_front(2),
                               ConvTransposeOp::Adaptor(op));
}

namespace {

/// The shape of a pooling's output (MaxPool's and AveragePool's): N x C x
/// the window's output sizes; nullopt when X is unranked.
FailureOr<std::optional<Shape>> inferPoolShape(
    std::optional<Location> loc, TensorType x, DenseI64ArrayAttr kernel,
    std::optional<ArrayRef<int64_t>> strides,
    std::optional<ArrayRef<int64_t>> dilations,
    std::optional<ArrayRef<int64_t>> pads, StringRef autoPad, bool ceilMode) {
  if (!x.hasRank())
    return std::optional<Shape>();
  ArrayRef<int64_t> shape = x.getShape();
  if (shape.size() < 3)
    return emitOptionalError(loc,
                             "X must have rank 3 or more (N, C, D1, ...), "
                             "got rank ",
                             shape.size());
  std::optional<ArrayRef<int64_t>> kernelSizes;
  if (kernel)
    kernelSizes = kernel.asArrayRef();
  FailureOr<Window> window = resolveWindow(loc, shape.size() - 2, kernelSizes,
                                           strides, dilations, pads);
  if (failed(window))
    return failure();
  FailureOr<Shape> sizes =
      windowOutputShape(loc, *window, shape, autoPad, ceilMode);
  if (failed(sizes))
    return failure();
  Shape result = {shape[0], shape[1]};
  result.append(*sizes);
  return std::optional<Shape>(std::move(result));
}

/// Verifies a pooling's auto_pad and ceil_mode.
template <typename Op> LogicalResult verifyPool(Op op) {
  if (failed(verifyAutoPad(op, op.getAutoPad())))
    return failure();
  if (op.getCeilMode() != 0 && op.getCeilMode() != 1)
    return op.emitOpError("ceil_mode ")
           << op.getCeilMode() << " must be 0 or 1";
  return success();
}

} // namespace

LogicalResult MaxPoolOp::inferReturnTypes(MLIRContext *context,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  if (failed(completeProperties<MaxPoolOp>(context, loc, adaptor)))
    return failure();
  FailureOr<TensorType> x = requireTensor(loc, adaptor.getX(), "X");
  if (failed(x))
    return failure();
  FailureOr<std::optional<Shape>> shape = inferPoolShape(
      loc, *x, adaptor.getKernelShapeAttr(), adaptor.getStrides(),
      adaptor.getDilations(), adaptor.getPads(), adaptor.getAutoPad(),
      adaptor.getCeilMode() != 0);
  if (failed(shape))
    return failure();
  pushTensor(types, *shape, x->getElementType());
  pushTensor(types, *shape, IntegerType::get(context, 64));
  return success();
}

LogicalResult MaxPoolOp::verify() {
  if (failed(verifyPool(*this)))
    return failure();
  if (getStorageOrder() != 0 && getStorageOrder() != 1)
    return emitOpError("storage_order ")
           << getStorageOrder() << " must be 0 (row major) or 1 (column major)";
  return success();
}

//===----------------------------------------------------------------------===//
// Composite ops
//===----------------------------------------------------------------------===//

namespace {

/// Infers an elementwise op of one input: the result has its type.
LogicalResult inferLikeInputOf(std::optional<Location> loc, Value input,
                               StringRef name, Elements kind,
                               SmallVectorImpl<Type> &types) {
  FailureOr<TensorType> type = requireElements(loc, input, name, kind);
  if (failed(type))
    return failure();
  types.push_back(*type);
  return success();
}

/// Infers Sum, Mean, Max or Min: one or more inputs of one element type,
/// broadcast together.
LogicalResult inferVariadic(std::optional<Location> loc, ValueRange inputs,
                            Elements kind, SmallVectorImpl<Type> &types) {
  if (inputs.empty())
    return emitOptionalError(loc, "expected at least one input");
  SmallVector<std::string> names;
  for (size_t i = 0; i < inputs.size(); ++i)
    names.push_back("data_" + std::to_string(i));
  SmallVector<NamedTensor> operands;
  for (auto [input, name] : llvm::zip(inputs, names)) {
    FailureOr<TensorType> type = requireElements(loc, input, name, kind);
    if (failed(type))
      return failure();
    if (!operands.empty() &&
        failed(checkSameElementType(loc, operands.front().type, names.front(),
                                    *type, name)))
      return failure();
    operands.push_back({name, *type});
  }
  FailureOr<std::optional<Shape>> shape = broadcastOperands(loc, operands);
  if (failed(shape))
    return failure();
  pushTensor(types, *shape, operands.front().type.getElementType());
  return success();
}

/// Infers GlobalAveragePool or GlobalMaxPool: N x C x D1 x ... x Dn to
/// N x C x 1 x ... x 1.
LogicalResult inferGlobalPool(std::optional<Location> loc, Value input,
                              SmallVectorImpl<Type> &types) {
  FailureOr<TensorType> type =
      requireElements(loc, input, "X", Elements::Float);
  if (failed(type))
    return failure();
  if (!type->hasRank()) {
    types.push_back(*type);
    return success();
  }
  if (type->getRank() < 3)
    return emitOptionalError(loc, "X must be N x C x D1 x ... x Dn, got ",
                             *type);
  Shape shape(type->getShape());
  std::fill(shape.begin() + 2, shape.end(), 1);
  pushTensor(types, ArrayRef<int64_t>(shape), type->getElementType());
  return success();
}

} // namespace

#define INTR_INFER_OR_EQUAL(OP)                                                \
  LogicalResult OP::inferReturnTypes(                                          \
      MLIRContext *context, std::optional<Location> loc, Adaptor adaptor,      \
      SmallVectorImpl<Type> &types) {                                          \
    if (failed(requireElements(loc, adaptor.getA(), "A", Elements::Numeric)))  \
      return failure();                                                        \
    return inferBinary(loc, adaptor.getA(), adaptor.getB(), "A", "B",          \
                       /*sameElementType=*/true, IntegerType::get(context, 1), \
                       types);                                                 \
  }

INTR_INFER_OR_EQUAL(GreaterOrEqualOp)
INTR_INFER_OR_EQUAL(LessOrEqualOp)
#undef INTR_INFER_OR_EQUAL

#define INTR_INFER_ACTIVATION(OP, INPUT, NAME)                                 \
  LogicalResult OP::inferReturnTypes(                                          \
      MLIRContext *, std::optional<Location> loc, Adaptor adaptor,             \
      SmallVectorImpl<Type> &types) {                                          \
    return inferLikeInputOf(loc, adaptor.get##INPUT(), NAME, Elements::Float,  \
                            types);                                            \
  }

INTR_INFER_ACTIVATION(LeakyReluOp, X, "X")
INTR_INFER_ACTIVATION(ThresholdedReluOp, X, "X")
INTR_INFER_ACTIVATION(EluOp, X, "X")
INTR_INFER_ACTIVATION(SeluOp, X, "X")
INTR_INFER_ACTIVATION(CeluOp, X, "X")
INTR_INFER_ACTIVATION(HardSigmoidOp, X, "X")
INTR_INFER_ACTIVATION(HardSwishOp, X, "X")
INTR_INFER_ACTIVATION(SoftplusOp, X, "X")
INTR_INFER_ACTIVATION(SoftsignOp, Input, "input")
INTR_INFER_ACTIVATION(MishOp, X, "X")
INTR_INFER_ACTIVATION(SwishOp, X, "X")
INTR_INFER_ACTIVATION(ShrinkOp, Input, "input")
#undef INTR_INFER_ACTIVATION

LogicalResult PReluOp::inferReturnTypes(MLIRContext *,
                                        std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &types) {
  FailureOr<TensorType> type =
      requireElements(loc, adaptor.getX(), "X", Elements::Numeric);
  FailureOr<TensorType> slope = requireTensor(loc, adaptor.getSlope(), "slope");
  if (failed(type) || failed(slope) ||
      failed(checkSameElementType(loc, *type, "X", *slope, "slope")))
    return failure();
  if (type->hasRank() && slope->hasRank() &&
      !broadcastsTo(slope->getShape(), type->getShape()))
    return emitOptionalError(loc, "slope ", formatShape(slope->getShape()),
                             " does not broadcast to X ",
                             formatShape(type->getShape()));
  types.push_back(*type);
  return success();
}

#define INTR_INFER_VARIADIC(OP, ELEMENTS)                                      \
  LogicalResult OP::inferReturnTypes(                                          \
      MLIRContext *, std::optional<Location> loc, Adaptor adaptor,             \
      SmallVectorImpl<Type> &types) {                                          \
    return inferVariadic(loc, adaptor.getData_0(), ELEMENTS, types);           \
  }

INTR_INFER_VARIADIC(SumOp, Elements::Numeric)
INTR_INFER_VARIADIC(MeanOp, Elements::Float)
INTR_INFER_VARIADIC(MaxOp, Elements::Numeric)
INTR_INFER_VARIADIC(MinOp, Elements::Numeric)
#undef INTR_INFER_VARIADIC

LogicalResult GlobalAveragePoolOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &types) {
  return inferGlobalPool(loc, adaptor.getX(), types);
}

LogicalResult GlobalMaxPoolOp::inferReturnTypes(MLIRContext *,
                                                std::optional<Location> loc,
                                                Adaptor adaptor,
                                                SmallVectorImpl<Type> &types) {
  return inferGlobalPool(loc, adaptor.getX(), types);
}

namespace {

/// Infers a float predicate of one input: bool, shaped as `X`.
LogicalResult inferFloatPredicate(MLIRContext *context,
                                  std::optional<Location> loc, Value input,
                                  SmallVectorImpl<Type> &types) {
  FailureOr<TensorType> type =
      requireElements(loc, input, "X", Elements::Float);
  if (failed(type))
    return failure();
  types.push_back(type->clone(IntegerType::get(context, 1)));
  return success();
}

/// Checks that `axis` names a dimension of `type` when its rank is known.
LogicalResult checkAxis(std::optional<Location> loc, TensorType type,
                        int64_t axis, StringRef name) {
  if (type.hasRank() && !normalizeAxis(axis, type.getRank()))
    return emitOptionalError(loc, "axis ", axis, " is out of range for ", name,
                             " of rank ", type.getRank());
  return success();
}

/// Infers an op that keeps its float input's type and works along `axis`.
LogicalResult inferAlongAxis(std::optional<Location> loc, Value input,
                             StringRef name, int64_t axis,
                             SmallVectorImpl<Type> &types) {
  FailureOr<TensorType> type =
      requireElements(loc, input, name, Elements::Float);
  if (failed(type) || failed(checkAxis(loc, *type, axis, name)))
    return failure();
  types.push_back(*type);
  return success();
}

/// Infers ArgMax or ArgMin: int64 indices, the axis kept as 1 or dropped.
template <typename Op>
LogicalResult inferArg(MLIRContext *context, std::optional<Location> loc,
                       typename Op::Adaptor adaptor,
                       SmallVectorImpl<Type> &types) {
  if (failed(completeProperties<Op>(context, loc, adaptor)))
    return failure();
  FailureOr<TensorType> type =
      requireElements(loc, adaptor.getData(), "data", Elements::Numeric);
  if (failed(type) || failed(checkAxis(loc, *type, adaptor.getAxis(), "data")))
    return failure();
  Type i64 = IntegerType::get(context, 64);
  if (!type->hasRank()) {
    pushTensor(types, std::nullopt, i64);
    return success();
  }
  Shape shape(type->getShape());
  int64_t axis = *normalizeAxis(adaptor.getAxis(), type->getRank());
  if (adaptor.getKeepdims())
    shape[axis] = 1;
  else
    shape.erase(shape.begin() + axis);
  pushTensor(types, ArrayRef<int64_t>(shape), i64);
  return success();
}

/// Infers a composite reduction whose data has elements of `kind`.
template <typename Op>
LogicalResult inferCompositeReduce(MLIRContext *context,
                                   std::optional<Location> loc,
                                   typename Op::Adaptor adaptor, Elements kind,
                                   SmallVectorImpl<Type> &types) {
  if (failed(completeProperties<Op>(context, loc, adaptor)))
    return failure();
  if (failed(requireElements(loc, adaptor.getData(), "data", kind)))
    return failure();
  return inferReduce(loc, adaptor.getData(), adaptor.getAxes(),
                     adaptor.getAxesInput(), adaptor.getKeepdims() != 0,
                     adaptor.getNoopWithEmptyAxes() != 0, types);
}

/// Checks that a per-channel parameter `name` of an N x C x ... input is
/// one of the element type and, where known, of one of the `sizes`.
LogicalResult checkChannelParameter(std::optional<Location> loc,
                                    TensorType input, Value value,
                                    StringRef name, ArrayRef<int64_t> sizes) {
  FailureOr<TensorType> type = requireTensor(loc, value, name);
  if (failed(type) ||
      failed(checkSameElementType(loc, input, "input", *type, name)))
    return failure();
  if (!type->hasRank())
    return success();
  if (type->getRank() != 1)
    return emitOptionalError(loc, name, " must be 1-D, got ", *type);
  int64_t size = type->getDimSize(0);
  if (ShapedType::isDynamic(size) ||
      llvm::any_of(sizes, ShapedType::isDynamic) ||
      llvm::is_contained(sizes, size))
    return success();
  return emitOptionalError(
      loc, name, " must have ", sizes.front(), sizes.size() > 1 ? " or " : "",
      sizes.size() > 1 ? std::to_string(sizes.back()) : std::string(),
      " elements, got ", *type);
}

/// The float input of a normalization over N x C x D1 x ... x Dn.
FailureOr<TensorType> requireImages(std::optional<Location> loc, Value input,
                                    StringRef name) {
  FailureOr<TensorType> type =
      requireElements(loc, input, name, Elements::Float);
  if (failed(type))
    return failure();
  if (type->hasRank() && type->getRank() < 3)
    return emitOptionalError(loc, name, " must be N x C x D1 x ... x Dn, got ",
                             *type);
  return type;
}

} // namespace

LogicalResult SignOp::inferReturnTypes(MLIRContext *,
                                       std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &types) {
  return inferLikeInputOf(loc, adaptor.getInput(), "input", Elements::Numeric,
                          types);
}

LogicalResult IsNaNOp::inferReturnTypes(MLIRContext *context,
                                        std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &types) {
  return inferFloatPredicate(context, loc, adaptor.getX(), types);
}

LogicalResult IsInfOp::inferReturnTypes(MLIRContext *context,
                                        std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &types) {
  return inferFloatPredicate(context, loc, adaptor.getX(), types);
}

LogicalResult XorOp::inferReturnTypes(MLIRContext *context,
                                      std::optional<Location> loc,
                                      Adaptor adaptor,
                                      SmallVectorImpl<Type> &types) {
  FailureOr<TensorType> a = requireTensor(loc, adaptor.getA(), "A");
  if (failed(a))
    return failure();
  if (!a->getElementType().isInteger(1))
    return emitOptionalError(loc, "input A must be a bool tensor, got ", *a);
  return inferBinary(loc, adaptor.getA(), adaptor.getB(), "A", "B",
                     /*sameElementType=*/true, IntegerType::get(context, 1),
                     types);
}

#define INTR_INFER_ALONG_AXIS(OP)                                              \
  LogicalResult OP::inferReturnTypes(                                          \
      MLIRContext *context, std::optional<Location> loc, Adaptor adaptor,      \
      SmallVectorImpl<Type> &types) {                                          \
    if (failed(completeProperties<OP>(context, loc, adaptor)))                 \
      return failure();                                                        \
    return inferAlongAxis(loc, adaptor.getInput(), "input", adaptor.getAxis(), \
                          types);                                              \
  }

INTR_INFER_ALONG_AXIS(LogSoftmaxOp)
INTR_INFER_ALONG_AXIS(HardmaxOp)
#undef INTR_INFER_ALONG_AXIS

#define INTR_INFER_ARG(OP)                                                     \
  LogicalResult OP::inferReturnTypes(                                          \
      MLIRContext *context, std::optional<Location> loc, Adaptor adaptor,      \
      SmallVectorImpl<Type> &types) {                                          \
    return inferArg<OP>(context, loc, adaptor, types);                         \
  }

INTR_INFER_ARG(ArgMaxOp)
INTR_INFER_ARG(ArgMinOp)
#undef INTR_INFER_ARG

#define INTR_COMPOSITE_REDUCE(OP, KIND)                                        \
  LogicalResult OP::inferReturnTypes(                                          \
      MLIRContext *context, std::optional<Location> loc, Adaptor adaptor,      \
      SmallVectorImpl<Type> &types) {                                          \
    return inferCompositeReduce<OP>(context, loc, adaptor, KIND, types);       \
  }                                                                            \
  LogicalResult OP::verify() {                                                 \
    return verifyReduceAxes(*this, getAxes(), getAxesInput());                 \
  }

INTR_COMPOSITE_REDUCE(ReduceMinOp, Elements::Ordered)
INTR_COMPOSITE_REDUCE(ReduceL1Op, Elements::Numeric)
INTR_COMPOSITE_REDUCE(ReduceSumSquareOp, Elements::Numeric)
INTR_COMPOSITE_REDUCE(ReduceL2Op, Elements::Float)
INTR_COMPOSITE_REDUCE(ReduceLogSumOp, Elements::Float)
INTR_COMPOSITE_REDUCE(ReduceLogSumExpOp, Elements::Float)
#undef INTR_COMPOSITE_REDUCE

LogicalResult LpNormalizationOp::inferReturnTypes(
    MLIRContext *context, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &types) {
  if (failed(completeProperties<LpNormalizationOp>(context, loc, adaptor)))
    return failure();
  if (adaptor.getP() != 1 && adaptor.getP() != 2)
    return emitOptionalError(loc, "p must be 1 or 2, got ", adaptor.getP());
  return inferAlongAxis(loc, adaptor.getInput(), "input", adaptor.getAxis(),
                        types);
}

/// Whether sizes `a` and `b` may be equal: equal, or either unknown.
static bool mayEqual(int64_t a, int64_t b) {
  return ShapedType::isDynamic(a) || ShapedType::isDynamic(b) || a == b;
}

LogicalResult GridSampleOp::inferReturnTypes(MLIRContext *context,
                                             std::optional<Location> loc,
                                             Adaptor adaptor,
                                             SmallVectorImpl<Type> &types) {
  if (failed(completeProperties<GridSampleOp>(context, loc, adaptor)))
    return failure();
  FailureOr<TensorType> x = requireImages(loc, adaptor.getX(), "X");
  FailureOr<TensorType> grid =
      requireElements(loc, adaptor.getGrid(), "grid", Elements::Float);
  if (failed(x) || failed(grid))
    return failure();
  if (x->getElementType() != grid->getElementType())
    return emitOptionalError(loc, "grid has element type ",
                             grid->getElementType(), " but X has ",
                             x->getElementType());
  StringRef mode = adaptor.getMode();
  if (!llvm::is_contained({"bilinear", "linear", "nearest", "bicubic", "cubic"},
                          mode))
    return emitOptionalError(loc, "mode '", mode,
                             "' is not bilinear (linear), nearest or bicubic "
                             "(cubic)");
  StringRef padding = adaptor.getPaddingMode();
  if (!llvm::is_contained({"zeros", "border", "reflection"}, padding))
    return emitOptionalError(loc, "padding_mode '", padding,
                             "' is not zeros, border or reflection");
  if (!x->hasRank() || !grid->hasRank()) {
    types.push_back(UnrankedTensorType::get(x->getElementType()));
    return success();
  }
  int64_t spatial = x->getRank() - 2;
  if (grid->getRank() != spatial + 2 ||
      !mayEqual(grid->getDimSize(spatial + 1), spatial))
    return emitOptionalError(loc, "grid must be N x (", spatial,
                             " output sizes) x ", spatial, " for X of rank ",
                             x->getRank(), ", got ", *grid);
  int64_t n = x->getDimSize(0), gridN = grid->getDimSize(0);
  if (!mayEqual(n, gridN))
    return emitOptionalError(loc, "grid has ", gridN, " images but X has ", n);
  SmallVector<int64_t> shape = {ShapedType::isDynamic(n) ? gridN : n,
                                x->getDimSize(1)};
  for (int64_t d = 0; d < spatial; ++d)
    shape.push_back(grid->getDimSize(1 + d));
  types.push_back(RankedTensorType::get(shape, x->getElementType()));
  return success();
}

LogicalResult LRNOp::inferReturnTypes(MLIRContext *context,
                                      std::optional<Location> loc,
                                      Adaptor adaptor,
                                      SmallVectorImpl<Type> &types) {
  if (failed(completeProperties<LRNOp>(context, loc, adaptor)))
    return failure();
  FailureOr<TensorType> x = requireImages(loc, adaptor.getX(), "X");
  if (failed(x))
    return failure();
  if (!adaptor.getSizeAttr())
    return emitOptionalError(loc, "attribute 'size' is missing");
  if (adaptor.getSize() < 1)
    return emitOptionalError(loc, "size ", adaptor.getSize(),
                             " must be 1 or more");
  types.push_back(*x);
  return success();
}

LogicalResult InstanceNormalizationOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &types) {
  FailureOr<TensorType> input = requireImages(loc, adaptor.getInput(), "input");
  if (failed(input))
    return failure();
  int64_t channels =
      input->hasRank() ? input->getDimSize(1) : ShapedType::kDynamic;
  if (failed(checkChannelParameter(loc, *input, adaptor.getScale(), "scale",
                                   {channels})) ||
      failed(
          checkChannelParameter(loc, *input, adaptor.getB(), "B", {channels})))
    return failure();
  // The parameters broadcast against the input: a known size of theirs
  // gives the channel count the input leaves unknown.
  if (input->hasRank() && ShapedType::isDynamic(channels)) {
    Shape shape(input->getShape());
    for (Value parameter : {adaptor.getScale(), adaptor.getB()})
      if (auto type = dyn_cast<RankedTensorType>(parameter.getType());
          type && type.hasStaticShape())
        shape[1] = type.getDimSize(0); // 1-D (checked above)
    pushTensor(types, ArrayRef<int64_t>(shape), input->getElementType());
    return success();
  }
  types.push_back(*input);
  return success();
}

LogicalResult GroupNormalizationOp::inferReturnTypes(
    MLIRContext *context, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &types) {
  if (failed(completeProperties<GroupNormalizationOp>(context, loc, adaptor)))
    return failure();
  FailureOr<TensorType> input = requireImages(loc, adaptor.getX(), "X");
  if (failed(input))
    return failure();
  if (!adaptor.getNumGroupsAttr())
    return emitOptionalError(loc, "attribute 'num_groups' is missing");
  int64_t groups = adaptor.getNumGroups();
  int64_t channels =
      input->hasRank() ? input->getDimSize(1) : ShapedType::kDynamic;
  if (groups < 1)
    return emitOptionalError(loc, "num_groups must be positive, got ", groups);
  if (!ShapedType::isDynamic(channels) && channels % groups != 0)
    return emitOptionalError(loc, "num_groups ", groups,
                             " does not divide the channels of X, ", *input);
  // Opset 21: one value per channel; opset 18: one per group.
  if (failed(checkChannelParameter(loc, *input, adaptor.getScale(), "scale",
                                   {channels, groups})) ||
      failed(checkChannelParameter(loc, *input, adaptor.getBias(), "bias",
                                   {channels, groups})))
    return failure();
  // Both are 1-D where ranked (checked above).
  auto scale = dyn_cast<RankedTensorType>(adaptor.getScale().getType());
  auto bias = dyn_cast<RankedTensorType>(adaptor.getBias().getType());
  if (scale && bias && scale.hasStaticShape() && bias.hasStaticShape() &&
      scale.getDimSize(0) != bias.getDimSize(0))
    return emitOptionalError(loc,
                             "scale and bias must have the same size, "
                             "got ",
                             scale.getDimSize(0), " and ", bias.getDimSize(0));
  types.push_back(*input);
  return success();
}

LogicalResult MeanVarianceNormalizationOp::inferReturnTypes(
    MLIRContext *context, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &types) {
  if (failed(completeProperties<MeanVarianceNormalizationOp>(context, loc,
                                                             adaptor)))
    return failure();
  FailureOr<TensorType> input =
      requireElements(loc, adaptor.getX(), "X", Elements::Float);
  if (failed(input))
    return failure();
  for (int64_t axis : adaptor.getAxes())
    if (failed(checkAxis(loc, *input, axis, "X")))
      return failure();
  types.push_back(*input);
  return success();
}

LogicalResult RMSNormalizationOp::inferReturnTypes(
    MLIRContext *context, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &types) {
  if (failed(completeProperties<RMSNormalizationOp>(context, loc, adaptor)))
    return failure();
  FailureOr<TensorType> input =
      requireElements(loc, adaptor.getX(), "X", Elements::Float);
  FailureOr<TensorType> scale = requireTensor(loc, adaptor.getScale(), "scale");
  if (failed(input) || failed(scale) ||
      failed(checkSameElementType(loc, *input, "X", *scale, "scale")) ||
      failed(checkAxis(loc, *input, adaptor.getAxis(), "X")))
    return failure();
  if (input->hasRank() && scale->hasRank()) {
    int64_t axis = *normalizeAxis(adaptor.getAxis(), input->getRank());
    if (!broadcastsTo(scale->getShape(), input->getShape().drop_front(axis)))
      return emitOptionalError(loc, "scale ", formatShape(scale->getShape()),
                               " does not broadcast to the normalized "
                               "dimensions ",
                               formatShape(input->getShape().drop_front(axis)));
    // A known size of scale gives one the input leaves unknown.
    FailureOr<Shape> shape =
        broadcastShapes(input->getShape(), scale->getShape());
    pushTensor(types, ArrayRef<int64_t>(*shape), input->getElementType());
    return success();
  }
  types.push_back(*input);
  return success();
}

namespace {

/// Infers AveragePool or LpPool: a float X, pooled as MaxPool pools.
template <typename Op>
LogicalResult inferFloatPool(MLIRContext *context, std::optional<Location> loc,
                             typename Op::Adaptor adaptor,
                             SmallVectorImpl<Type> &types) {
  if (failed(completeProperties<Op>(context, loc, adaptor)))
    return failure();
  FailureOr<TensorType> x =
      requireElements(loc, adaptor.getX(), "X", Elements::Float);
  if (failed(x))
    return failure();
  FailureOr<std::optional<Shape>> shape = inferPoolShape(
      loc, *x, adaptor.getKernelShapeAttr(), adaptor.getStrides(),
      adaptor.getDilations(), adaptor.getPads(), adaptor.getAutoPad(),
      adaptor.getCeilMode() != 0);
  if (failed(shape))
    return failure();
  pushTensor(types, *shape, x->getElementType());
  return success();
}

} // namespace

LogicalResult AveragePoolOp::inferReturnTypes(MLIRContext *context,
                                              std::optional<Location> loc,
                                              Adaptor adaptor,
                                              SmallVectorImpl<Type> &types) {
  return inferFloatPool<AveragePoolOp>(context, loc, adaptor, types);
}

LogicalResult LpPoolOp::inferReturnTypes(MLIRContext *context,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  return inferFloatPool<LpPoolOp>(context, loc, adaptor, types);
}

LogicalResult LpPoolOp::verify() {
  if (failed(verifyPool(*this)))
    return failure();
  if (getP() < 1)
    return emitOpError("p ") << getP() << " must be 1 or more";
  return success();
}

LogicalResult AveragePoolOp::verify() {
  if (failed(verifyPool(*this)))
    return failure();
  if (getCountIncludePad() != 0 && getCountIncludePad() != 1)
    return emitOpError("count_include_pad ")
           << getCountIncludePad() << " must be 0 or 1";
  return success();
}

//===----------------------------------------------------------------------===//
// Einsum
//===----------------------------------------------------------------------===//

FailureOr<EinsumOp::Subscripts>
EinsumOp::parseSubscripts(std::optional<Location> loc, StringRef equation,
                          ArrayRef<int64_t> ranks) {
  std::string text;
  for (char c : equation)
    if (!std::isspace(static_cast<unsigned char>(c)))
      text.push_back(c);
  StringRef whole(text);
  auto [lhs, rhs] = whole.split("->");
  bool explicitOutput = whole.contains("->");
  SmallVector<StringRef> terms;
  lhs.split(terms, ',');
  if (terms.size() != ranks.size())
    return emitOptionalError(loc, "equation '", equation, "' has ",
                             terms.size(), " inputs, the op ", ranks.size());
  if (ranks.size() > 2)
    return emitOptionalError(loc,
                             "Einsum of more than two inputs is not "
                             "supported, got ",
                             ranks.size());
  // One term's labels; `ellipsis` is how many dimensions `...` stands for
  // (-1: no `...`), the labels of those filled in afterwards.
  auto parseTerm = [&](StringRef term, SmallVectorImpl<int> &labels,
                       int64_t &ellipsis) -> LogicalResult {
    ellipsis = -1;
    for (size_t i = 0; i < term.size(); ++i) {
      if (term.substr(i).starts_with("...") && ellipsis < 0) {
        ellipsis = static_cast<int64_t>(labels.size());
        labels.push_back(kEllipsis - 1); // a placeholder, replaced below
        i += 2;
        continue;
      }
      if (!std::isalpha(static_cast<unsigned char>(term[i])))
        return emitOptionalError(loc, "equation '", equation, "': unexpected '",
                                 term.substr(i, 1), "'");
      labels.push_back(term[i]);
    }
    return success();
  };
  Subscripts result;
  int64_t ellipsisRank = 0;
  SmallVector<int64_t> ellipsisAt;
  for (auto [term, rank] : llvm::zip(terms, ranks)) {
    SmallVector<int> labels;
    int64_t at;
    if (failed(parseTerm(term, labels, at)))
      return failure();
    int64_t letters = static_cast<int64_t>(labels.size()) - (at >= 0);
    if (letters > rank || (at < 0 && letters != rank))
      return emitOptionalError(loc, "equation '", equation, "': '", term,
                               "' does not fit an input of rank ", rank);
    if (at >= 0)
      ellipsisRank = std::max(ellipsisRank, rank - letters);
    result.inputs.push_back(std::move(labels));
    ellipsisAt.push_back(at);
  }
  // `...` stands for the same labels in every term, aligned to the right.
  for (auto [labels, at, rank] : llvm::zip(result.inputs, ellipsisAt, ranks)) {
    if (at < 0)
      continue;
    int64_t count = rank - (static_cast<int64_t>(labels.size()) - 1);
    SmallVector<int> filled(labels.begin(), labels.begin() + at);
    for (int64_t k = ellipsisRank - count; k < ellipsisRank; ++k)
      filled.push_back(kEllipsis + static_cast<int>(k));
    filled.append(labels.begin() + at + 1, labels.end());
    labels = std::move(filled);
  }
  for (const SmallVector<int> &labels : result.inputs)
    for (size_t i = 0; i < labels.size(); ++i)
      if (llvm::is_contained(ArrayRef<int>(labels).drop_front(i + 1),
                             labels[i]))
        return emitOptionalError(loc, "equation '", equation,
                                 "': a label repeated in one input (a "
                                 "diagonal) is not supported");
  if (explicitOutput) {
    int64_t at;
    SmallVector<int> labels;
    if (failed(parseTerm(rhs, labels, at)))
      return failure();
    for (int label : labels) {
      if (label == kEllipsis - 1) {
        for (int64_t k = 0; k < ellipsisRank; ++k)
          result.output.push_back(kEllipsis + static_cast<int>(k));
        continue;
      }
      if (llvm::is_contained(result.output, label) ||
          llvm::none_of(result.inputs, [&](const SmallVector<int> &in) {
            return llvm::is_contained(in, label);
          }))
        return emitOptionalError(loc, "equation '", equation,
                                 "': output label '",
                                 std::string(1, static_cast<char>(label)),
                                 "' is repeated or in no input");
      result.output.push_back(label);
    }
    return result;
  }
  // Implicit output: `...`, then the letters that appear once, sorted.
  for (int64_t k = 0; k < ellipsisRank; ++k)
    result.output.push_back(kEllipsis + static_cast<int>(k));
  SmallVector<int> once;
  for (const SmallVector<int> &labels : result.inputs)
    for (int label : labels) {
      if (label >= kEllipsis)
        continue;
      int64_t count = 0;
      for (const SmallVector<int> &other : result.inputs)
        count += llvm::count(other, label);
      if (count == 1)
        once.push_back(label);
    }
  llvm::sort(once);
  result.output.append(once);
  return result;
}

LogicalResult EinsumOp::inferReturnTypes(MLIRContext *context,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  if (failed(completeProperties<EinsumOp>(context, loc, adaptor)))
    return failure();
  if (!adaptor.getEquationAttr())
    return emitOptionalError(loc, "attribute 'equation' is missing");
  ValueRange inputs = adaptor.getInputs();
  if (inputs.empty())
    return emitOptionalError(loc, "expected at least one input");
  SmallVector<TensorType> inputTypes;
  SmallVector<int64_t> ranks;
  for (auto [index, input] : llvm::enumerate(inputs)) {
    std::string name = "Inputs " + std::to_string(index);
    FailureOr<TensorType> type =
        requireElements(loc, input, name, Elements::Numeric);
    if (failed(type) ||
        (index > 0 && failed(checkSameElementType(loc, inputTypes.front(),
                                                  "Inputs 0", *type, name))))
      return failure();
    if (!type->hasRank()) {
      pushTensor(types, std::nullopt, type->getElementType());
      return success();
    }
    inputTypes.push_back(*type);
    ranks.push_back(type->getRank());
  }
  FailureOr<Subscripts> subscripts =
      parseSubscripts(loc, adaptor.getEquation(), ranks);
  if (failed(subscripts))
    return failure();
  // Each label's size, the same wherever it is known.
  llvm::DenseMap<int, int64_t> sizes;
  for (auto [labels, type] : llvm::zip(subscripts->inputs, inputTypes))
    for (auto [label, size] : llvm::zip(labels, type.getShape())) {
      auto [it, inserted] = sizes.try_emplace(label, size);
      if (ShapedType::isDynamic(it->second))
        it->second = size;
      else if (!ShapedType::isDynamic(size) && size != it->second)
        return emitOptionalError(loc, "equation '", adaptor.getEquation(),
                                 "': a label has sizes ", it->second, " and ",
                                 size, " (broadcasting is not supported)");
    }
  Shape shape;
  for (int label : subscripts->output)
    shape.push_back(sizes.lookup(label));
  pushTensor(types, ArrayRef<int64_t>(shape),
             inputTypes.front().getElementType());
  return success();
}

//===----------------------------------------------------------------------===//
// Attention
//===----------------------------------------------------------------------===//

namespace {

/// a + b, unknown when either is.
int64_t addSizes(int64_t a, int64_t b) {
  return ShapedType::isDynamic(a) || ShapedType::isDynamic(b)
             ? ShapedType::kDynamic
             : a + b;
}

/// a * b, unknown when either is.
int64_t mulSizes(int64_t a, int64_t b) {
  return ShapedType::isDynamic(a) || ShapedType::isDynamic(b)
             ? ShapedType::kDynamic
             : a * b;
}

/// Requires two sizes of the same quantity to agree where both are known,
/// and returns the known one.
FailureOr<int64_t> sameSize(std::optional<Location> loc, int64_t a, int64_t b,
                            const Twine &what) {
  if (ShapedType::isDynamic(a))
    return b;
  if (!ShapedType::isDynamic(b) && a != b)
    return emitOptionalError(loc, what, " differ: ", a, " and ", b);
  return a;
}

} // namespace

FailureOr<AttentionOp::Sizes>
AttentionOp::getSizes(std::optional<Location> loc, Value q, Value k, Value v,
                      Value pastKey, Value pastValue,
                      std::optional<int64_t> qNumHeads,
                      std::optional<int64_t> kvNumHeads) {
  std::optional<ArrayRef<int64_t>> qs = rankedShape(q), ks = rankedShape(k),
                                   vs = rankedShape(v);
  if (!qs || !ks || !vs)
    return failure();
  int64_t rank = qs->size();
  if ((rank != 3 && rank != 4) || int64_t(ks->size()) != rank ||
      int64_t(vs->size()) != rank)
    return emitOptionalError(loc, "Q, K and V must all be 3-D or all 4-D, got ",
                             formatShape(*qs), ", ", formatShape(*ks), " and ",
                             formatShape(*vs));
  Sizes s;
  int64_t keyHeadSize;
  FailureOr<int64_t> batch =
      sameSize(loc, (*qs)[0], (*ks)[0], "Q's and K's batch");
  if (failed(batch) ||
      failed(batch = sameSize(loc, *batch, (*vs)[0], "Q's and V's batch")))
    return failure();
  s.batch = *batch;
  if (rank == 4) {
    s.queryHeads = (*qs)[1];
    s.queries = (*qs)[2];
    s.headSize = (*qs)[3];
    s.keyHeads = (*ks)[1];
    s.keys = (*ks)[2];
    keyHeadSize = (*ks)[3];
    s.valueHeadSize = (*vs)[3];
    FailureOr<int64_t> heads =
        sameSize(loc, s.keyHeads, (*vs)[1], "K's and V's heads");
    FailureOr<int64_t> length =
        sameSize(loc, s.keys, (*vs)[2], "K's and V's lengths");
    if (failed(heads) || failed(length))
      return failure();
    s.keyHeads = *heads;
    s.keys = *length;
    if ((qNumHeads && failed(sameSize(loc, s.queryHeads, *qNumHeads,
                                      "Q's heads and q_num_heads"))) ||
        (kvNumHeads && failed(sameSize(loc, s.keyHeads, *kvNumHeads,
                                       "K's heads and kv_num_heads"))))
      return failure();
  } else {
    if (!qNumHeads || !kvNumHeads || *qNumHeads <= 0 || *kvNumHeads <= 0)
      return emitOptionalError(
          loc, "3-D inputs need positive q_num_heads and kv_num_heads");
    s.queryHeads = *qNumHeads;
    s.keyHeads = *kvNumHeads;
    s.queries = (*qs)[1];
    FailureOr<int64_t> length =
        sameSize(loc, (*ks)[1], (*vs)[1], "K's and V's lengths");
    if (failed(length))
      return failure();
    s.keys = *length;
    // The hidden sizes split into whole heads.
    auto split = [&](int64_t hidden, int64_t heads,
                     const char *name) -> FailureOr<int64_t> {
      if (ShapedType::isDynamic(hidden))
        return hidden;
      if (hidden % heads != 0)
        return emitOptionalError(loc, name, "'s hidden size ", hidden,
                                 " is not a multiple of its ", heads, " heads");
      return hidden / heads;
    };
    FailureOr<int64_t> e = split((*qs)[2], s.queryHeads, "Q"),
                       ek = split((*ks)[2], s.keyHeads, "K"),
                       ev = split((*vs)[2], s.keyHeads, "V");
    if (failed(e) || failed(ek) || failed(ev))
      return failure();
    s.headSize = *e;
    keyHeadSize = *ek;
    s.valueHeadSize = *ev;
  }
  FailureOr<int64_t> headSize =
      sameSize(loc, s.headSize, keyHeadSize, "Q's and K's head sizes");
  if (failed(headSize))
    return failure();
  s.headSize = *headSize;
  if (!ShapedType::isDynamic(s.queryHeads) &&
      !ShapedType::isDynamic(s.keyHeads) &&
      (s.keyHeads <= 0 || s.queryHeads % s.keyHeads != 0))
    return emitOptionalError(loc, "the ", s.queryHeads,
                             " query heads are not a multiple of the ",
                             s.keyHeads, " key heads");

  // The past: both or neither, [B, Hkv, P, E] and [B, Hkv, P, Ev].
  TensorType pastKeyType = tensorTypeOf(pastKey),
             pastValueType = tensorTypeOf(pastValue);
  if (bool(pastKeyType) != bool(pastValueType))
    return emitOptionalError(loc, "past_key and past_value come together");
  s.past = 0;
  if (pastKeyType) {
    std::optional<ArrayRef<int64_t>> pk = rankedShape(pastKey),
                                     pv = rankedShape(pastValue);
    if (!pk || !pv)
      return failure();
    if (pk->size() != 4 || pv->size() != 4)
      return emitOptionalError(loc, "past_key and past_value must be 4-D, got ",
                               formatShape(*pk), " and ", formatShape(*pv));
    Shape key{s.batch, s.keyHeads, (*pk)[2], s.headSize};
    Shape value{s.batch, s.keyHeads, (*pv)[2], s.valueHeadSize};
    for (auto [expected, actual, name] :
         {std::tuple{ArrayRef<int64_t>(key), *pk, "past_key"},
          std::tuple{ArrayRef<int64_t>(value), *pv, "past_value"}})
      for (auto [a, b] : llvm::zip(expected, actual))
        if (failed(sameSize(loc, a, b,
                            Twine(name) + "'s shape " + formatShape(actual) +
                                " and the inputs' sizes")))
          return failure();
    FailureOr<int64_t> past = sameSize(loc, (*pk)[2], (*pv)[2],
                                       "past_key's and past_value's lengths");
    if (failed(past))
      return failure();
    s.past = *past;
    s.keys = addSizes(s.keys, s.past);
  }
  return s;
}

LogicalResult AttentionOp::inferReturnTypes(MLIRContext *context,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  if (failed(completeProperties<AttentionOp>(context, loc, adaptor)))
    return failure();
  FailureOr<TensorType> q = requireElements(loc, adaptor.getQ(), "Q",
                                            Elements::Float),
                        k = requireElements(loc, adaptor.getK(), "K",
                                            Elements::Float),
                        v = requireElements(loc, adaptor.getV(), "V",
                                            Elements::Float);
  if (failed(q) || failed(k) || failed(v) ||
      failed(checkSameElementType(loc, *q, "Q", *k, "K")) ||
      failed(checkSameElementType(loc, *q, "Q", *v, "V")))
    return failure();
  for (auto [past, name] : {std::pair{adaptor.getPastKey(), "past_key"},
                            std::pair{adaptor.getPastValue(), "past_value"}})
    if (TensorType type = tensorTypeOf(past);
        type && failed(checkSameElementType(loc, *q, "Q", type, name)))
      return failure();
  Type element = q->getElementType();
  if (!q->hasRank() || !k->hasRank() || !v->hasRank()) {
    for (int i = 0; i < 4; ++i)
      pushTensor(types, std::nullopt, element);
    return success();
  }
  FailureOr<Sizes> s = getSizes(
      loc, adaptor.getQ(), adaptor.getK(), adaptor.getV(), adaptor.getPastKey(),
      adaptor.getPastValue(), adaptor.getQNumHeads(), adaptor.getKvNumHeads());
  if (failed(s))
    return failure();
  Shape y = q->getRank() == 4
                ? Shape{s->batch, s->queryHeads, s->queries, s->valueHeadSize}
                : Shape{s->batch, s->queries,
                        mulSizes(s->queryHeads, s->valueHeadSize)};
  pushTensor(types, ArrayRef<int64_t>(y), element);
  pushTensor(types,
             ArrayRef<int64_t>{s->batch, s->keyHeads, s->keys, s->headSize},
             element);
  pushTensor(
      types,
      ArrayRef<int64_t>{s->batch, s->keyHeads, s->keys, s->valueHeadSize},
      element);
  pushTensor(types,
             ArrayRef<int64_t>{s->batch, s->queryHeads, s->queries, s->keys},
             element);
  return success();
}

LogicalResult ModOp::verify() {
  if (getFmod() != 0 && getFmod() != 1)
    return emitOpError("fmod ") << getFmod() << " must be 0 or 1";
  Type element = getA().getType().getElementType();
  if (!isa<FloatType, IntegerType>(element) || element.isInteger(1))
    return emitOpError("takes numbers, got ") << element;
  return success();
}

LogicalResult AttentionOp::verify() {
  if (getIsCausal() != 0 && getIsCausal() != 1)
    return emitOpError("is_causal ") << getIsCausal() << " must be 0 or 1";
  if (getQkMatmulOutputMode() < 0 || getQkMatmulOutputMode() > 3)
    return emitOpError("qk_matmul_output_mode ")
           << getQkMatmulOutputMode() << " must be 0, 1, 2 or 3";
  if (getLeftWindowSize() < -1 || getRightWindowSize() < -1)
    return emitOpError("window sizes must be -1 or more, got ")
           << getLeftWindowSize() << " and " << getRightWindowSize();
  if (!isa<NoneType>(getNonpadKvSeqlen().getType()))
    return emitOpError("nonpad_kv_seqlen (per-image key counts) is not "
                       "supported");
  if (TensorType mask = tensorTypeOf(getAttnMask())) {
    Type element = mask.getElementType();
    Type queries = getQ().getType().getElementType();
    if (!element.isInteger(1) && element != queries)
      return emitOpError("attn_mask must be bool or of Q's element type ")
             << queries << ", got " << element;
    std::optional<ArrayRef<int64_t>> shape = rankedShape(getAttnMask());
    auto scores = cast<TensorType>(getQkMatmulOutput().getType());
    if (shape && scores.hasRank()) {
      // Right-aligned against [B, Hq, S, keys]; the last may be shorter.
      ArrayRef<int64_t> target = scores.getShape();
      bool fits = !shape->empty() && shape->size() <= target.size();
      for (size_t i = 0; fits && i < shape->size(); ++i) {
        int64_t m = (*shape)[shape->size() - 1 - i];
        int64_t t = target[target.size() - 1 - i];
        if (ShapedType::isDynamic(m) || ShapedType::isDynamic(t))
          continue;
        fits = i == 0 ? m <= t : (m == 1 || m == t);
      }
      if (!fits)
        return emitOpError("attn_mask ")
               << formatShape(*shape) << " does not broadcast to the scores "
               << formatShape(target);
    }
  }
  return success();
}

//===----------------------------------------------------------------------===//
// DepthToSpace, SpaceToDepth, EyeLike
//===----------------------------------------------------------------------===//

namespace {

/// Infers DepthToSpace (`toSpace`) or SpaceToDepth of a 4-D `input` by
/// `blocksizeAttr` in `mode`.
LogicalResult inferBlockMove(std::optional<Location> loc, Value input,
                             IntegerAttr blocksizeAttr, StringRef mode,
                             bool toSpace, SmallVectorImpl<Type> &types) {
  if (!blocksizeAttr)
    return emitOptionalError(loc, "attribute 'blocksize' is missing");
  const int64_t blocksize = blocksizeAttr.getValue().getSExtValue();
  if (mode != "DCR" && mode != "CRD")
    return emitOptionalError(loc, "mode must be DCR or CRD, got '", mode, "'");
  FailureOr<TensorType> type = requireTensor(loc, input, "input");
  if (failed(type))
    return failure();
  if (blocksize <= 0)
    return emitOptionalError(loc, "blocksize ", blocksize, " must be positive");
  if (!type->hasRank()) {
    pushTensor(types, ArrayRef<int64_t>(Shape(4, ShapedType::kDynamic)),
               type->getElementType());
    return success();
  }
  if (type->getRank() != 4)
    return emitOptionalError(loc, "input must be 4-D, got ", *type);
  // A block of blocksize^2 channels: 2^32 overflowed it to 0 (and then
  // divided by it).
  std::optional<int64_t> checkedSquare = llvm::checkedMul(blocksize, blocksize);
  if (!checkedSquare)
    return emitOptionalError(loc, "blocksize ", blocksize, " is too large");
  Shape shape(type->getShape());
  const int64_t square = *checkedSquare;
  auto divide = [&](int64_t &size, int64_t by, const char *what) {
    if (ShapedType::isDynamic(size))
      return success();
    if (size % by != 0)
      return emitOptionalError(loc, what, " ", size, " is not a multiple of ",
                               by);
    size /= by;
    return success();
  };
  if (toSpace) {
    if (failed(divide(shape[1], square, "the channel count")))
      return failure();
    shape[2] = mulSizes(shape[2], blocksize);
    shape[3] = mulSizes(shape[3], blocksize);
  } else {
    if (failed(divide(shape[2], blocksize, "the height")) ||
        failed(divide(shape[3], blocksize, "the width")))
      return failure();
    shape[1] = mulSizes(shape[1], square);
  }
  pushTensor(types, ArrayRef<int64_t>(shape), type->getElementType());
  return success();
}

} // namespace

LogicalResult DepthToSpaceOp::inferReturnTypes(MLIRContext *context,
                                               std::optional<Location> loc,
                                               Adaptor adaptor,
                                               SmallVectorImpl<Type> &types) {
  if (failed(completeProperties<DepthToSpaceOp>(context, loc, adaptor)))
    return failure();
  return inferBlockMove(loc, adaptor.getInput(), adaptor.getBlocksizeAttr(),
                        adaptor.getMode(), /*toSpace=*/true, types);
}

LogicalResult SpaceToDepthOp::inferReturnTypes(MLIRContext *context,
                                               std::optional<Location> loc,
                                               Adaptor adaptor,
                                               SmallVectorImpl<Type> &types) {
  if (failed(completeProperties<SpaceToDepthOp>(context, loc, adaptor)))
    return failure();
  return inferBlockMove(loc, adaptor.getInput(), adaptor.getBlocksizeAttr(),
                        adaptor.getMode(), /*toSpace=*/false, types);
}

/// OneHot's depth: its constant scalar (integer or float) as an integer,
/// nullopt when it is not a constant.
std::optional<int64_t> oneHotDepth(Value depth) {
  DenseElementsAttr elements = intr::onnx::getConstantElements(depth);
  if (!elements || elements.getNumElements() != 1)
    return std::nullopt;
  if (isa<FloatType>(elements.getElementType()))
    return static_cast<int64_t>(
        (*elements.getValues<APFloat>().begin()).convertToDouble());
  if (std::optional<SmallVector<int64_t>> ints = getConstantInts(depth))
    return ints->front();
  return std::nullopt;
}

LogicalResult OneHotOp::inferReturnTypes(MLIRContext *context,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  if (failed(completeProperties<OneHotOp>(context, loc, adaptor)))
    return failure();
  FailureOr<TensorType> indices =
      requireElements(loc, adaptor.getIndices(), "indices", Elements::Numeric);
  FailureOr<TensorType> depth =
      requireElements(loc, adaptor.getDepth(), "depth", Elements::Numeric);
  FailureOr<TensorType> values =
      requireTensor(loc, adaptor.getValues(), "values");
  if (failed(indices) || failed(depth) || failed(values))
    return failure();
  if (values->hasStaticShape() && values->getNumElements() != 2)
    return emitOptionalError(loc, "values must hold [off, on], got ", *values);
  if (!indices->hasRank()) {
    pushTensor(types, std::nullopt, values->getElementType());
    return success();
  }
  const int64_t rank = indices->getRank() + 1;
  int64_t axis = adaptor.getAxis();
  if (axis < -rank || axis >= rank)
    return emitOptionalError(loc, "axis ", axis, " is out of range for rank ",
                             rank);
  if (axis < 0)
    axis += rank;
  std::optional<int64_t> size = oneHotDepth(adaptor.getDepth());
  if (size && *size <= 0)
    return emitOptionalError(loc, "depth ", *size, " must be positive");
  Shape shape(indices->getShape());
  shape.insert(shape.begin() + axis, size ? *size : ShapedType::kDynamic);
  pushTensor(types, ArrayRef<int64_t>(shape), values->getElementType());
  return success();
}

LogicalResult TriluOp::inferReturnTypes(MLIRContext *context,
                                        std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &types) {
  if (failed(completeProperties<TriluOp>(context, loc, adaptor)))
    return failure();
  FailureOr<TensorType> type = requireTensor(loc, adaptor.getInput(), "input");
  if (failed(type))
    return failure();
  if (type->hasRank() && type->getRank() < 2)
    return emitOptionalError(loc, "input must have rank 2 or more, got ",
                             *type);
  if (auto k = dyn_cast<TensorType>(adaptor.getK().getType());
      k && (!k.getElementType().isInteger(64) ||
            (k.hasStaticShape() && k.getNumElements() != 1)))
    return emitOptionalError(loc, "k must be one i64, got ", k);
  types.push_back(*type);
  return success();
}

LogicalResult EyeLikeOp::inferReturnTypes(MLIRContext *context,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  if (failed(completeProperties<EyeLikeOp>(context, loc, adaptor)))
    return failure();
  FailureOr<TensorType> type = requireTensor(loc, adaptor.getInput(), "input");
  if (failed(type))
    return failure();
  Type element = type->getElementType();
  if (std::optional<int64_t> dtype = adaptor.getDtype()) {
    element = intr::onnxDataType(context, *dtype);
    if (!element)
      return emitOptionalError(loc, "dtype ", *dtype, " is not supported (",
                               kSupportedDataTypes, ")");
  }
  if (type->hasRank() && type->getRank() != 2)
    return emitOptionalError(loc, "input must be 2-D, got ", *type);
  pushTensor(types,
             type->hasRank()
                 ? std::optional<ArrayRef<int64_t>>(type->getShape())
                 : std::optional<ArrayRef<int64_t>>(ArrayRef<int64_t>{
                       ShapedType::kDynamic, ShapedType::kDynamic}),
             element);
  return success();
}

//===----------------------------------------------------------------------===//
// QuantizeLinear, DequantizeLinear
//===----------------------------------------------------------------------===//

namespace {

/// Whether `type` holds one value: a static shape of one element.
bool holdsOneValue(TensorType type) {
  return type.hasStaticShape() && type.getNumElements() == 1;
}

/// Checks a scale or zero point of `x`: one value, 1-D along `axis`, or
/// with a `blockSize` of x's rank, x's sizes but along `axis` (one per
/// block, the last one perhaps short).
LogicalResult checkQuantParameter(std::optional<Location> loc, TensorType x,
                                  TensorType parameter, StringRef name,
                                  int64_t axis, int64_t blockSize) {
  if (blockSize < 0)
    return emitOptionalError(loc, "block_size ", blockSize,
                             " must not be negative");
  if (!parameter.hasRank())
    return success();
  if (parameter.getRank() <= 1 && holdsOneValue(parameter))
    return success();
  if (!x.hasRank())
    return success();
  std::optional<int64_t> dim = normalizeAxis(axis, x.getRank());
  if (!dim)
    return emitOptionalError(loc, "axis ", axis, " is out of range for x of ",
                             "rank ", x.getRank());
  ArrayRef<int64_t> xs = x.getShape(), ps = parameter.getShape();
  auto known = [](int64_t a, int64_t b) {
    return ShapedType::isDynamic(a) || ShapedType::isDynamic(b) || a == b;
  };
  if (blockSize == 0) {
    if (parameter.getRank() != 1 || !known(ps[0], xs[*dim]))
      return emitOptionalError(loc, name, " ", formatShape(ps),
                               " is neither one value nor one per element "
                               "of x ",
                               formatShape(xs), " along axis ", *dim);
    return success();
  }
  bool fits = parameter.getRank() == x.getRank();
  for (int64_t d = 0; fits && d < x.getRank(); ++d)
    fits = d != *dim ? known(ps[d], xs[d])
                     : ShapedType::isDynamic(xs[d]) ||
                           known(ps[d], (xs[d] + blockSize - 1) / blockSize);
  if (!fits)
    return emitOptionalError(loc, name, " ", formatShape(ps),
                             " is not one per block of ", blockSize, " of x ",
                             formatShape(xs), " along axis ", *dim);
  return success();
}

/// The optional zero point's type, checked against `scale` and `element`
/// (the quantized type); a null type without one.
FailureOr<TensorType> checkZeroPoint(std::optional<Location> loc, TensorType x,
                                     Value zeroPoint, StringRef name,
                                     Type element, TensorType scale,
                                     int64_t axis, int64_t blockSize) {
  TensorType type = tensorTypeOf(zeroPoint);
  if (!type)
    return TensorType();
  if (type.getElementType() != element)
    return emitOptionalError(loc, name, " is ", type.getElementType(), ", not ",
                             element);
  // One value each may differ in rank ([1] against [], as quantizers
  // write them).
  if (type.hasRank() && scale.hasRank() &&
      !(holdsOneValue(type) && holdsOneValue(scale)) &&
      failed(verifyCompatibleShape(type.getShape(), scale.getShape())))
    return emitOptionalError(loc, name, " ", formatShape(type.getShape()),
                             " is not shaped as the scale ",
                             formatShape(scale.getShape()));
  if (failed(checkQuantParameter(loc, x, type, name, axis, blockSize)))
    return failure();
  return type;
}

bool isQuantizedType(Type element) { return element.isInteger(8); }

/// What QuantizeLinear and DequantizeLinear infer alike: their scale and
/// zero point checked (`zeroElement` the zero point's type), and a result
/// of x's shape in `element`.
LogicalResult inferQuantization(std::optional<Location> loc, TensorType x,
                                TensorType scale, StringRef scaleName,
                                Value zeroPoint, StringRef zeroName,
                                Type zeroElement, int64_t axis,
                                int64_t blockSize, Type element,
                                SmallVectorImpl<Type> &types) {
  if (failed(checkQuantParameter(loc, x, scale, scaleName, axis, blockSize)) ||
      failed(checkZeroPoint(loc, x, zeroPoint, zeroName, zeroElement, scale,
                            axis, blockSize)))
    return failure();
  pushTensor(types,
             x.hasRank() ? std::optional<ArrayRef<int64_t>>(x.getShape())
                         : std::nullopt,
             element);
  return success();
}

} // namespace

LogicalResult QuantizeLinearOp::inferReturnTypes(MLIRContext *context,
                                                 std::optional<Location> loc,
                                                 Adaptor adaptor,
                                                 SmallVectorImpl<Type> &types) {
  if (failed(completeProperties<QuantizeLinearOp>(context, loc, adaptor)))
    return failure();
  FailureOr<TensorType> x =
      requireElements(loc, adaptor.getX(), "x", Elements::Numeric);
  FailureOr<TensorType> scale =
      requireElements(loc, adaptor.getYScale(), "y_scale", Elements::Float);
  if (failed(x) || failed(scale))
    return failure();
  Type xElement = x->getElementType();
  if (!isa<FloatType>(xElement) && !xElement.isInteger(32))
    return emitOptionalError(loc, "x must be a float or int32 tensor, got ",
                             *x);
  if (int64_t precision = adaptor.getPrecision()) {
    Type type = intr::onnxDataType(context, precision);
    if (!type || !isa<FloatType>(type))
      return emitOptionalError(loc, "precision ", precision,
                               " is not a supported float type");
  }
  // y's type: the zero point's, else output_dtype, else uint8.
  Type element = IntegerType::get(context, 8, IntegerType::Unsigned);
  if (int64_t dtype = adaptor.getOutputDtype()) {
    element = intr::onnxDataType(context, dtype);
    if (!element || !isQuantizedType(element))
      return emitOptionalError(loc, "output_dtype ", dtype,
                               " is not supported (int8 or uint8)");
  }
  if (TensorType zero = tensorTypeOf(adaptor.getYZeroPoint())) {
    if (adaptor.getOutputDtype() && zero.getElementType() != element)
      return emitOptionalError(loc, "y_zero_point is ", zero.getElementType(),
                               ", output_dtype says ", element);
    element = zero.getElementType();
    if (!isQuantizedType(element))
      return emitOptionalError(loc, "y_zero_point is ", element,
                               ": only int8 and uint8 quantization is "
                               "supported");
  }
  return inferQuantization(loc, *x, *scale, "y_scale", adaptor.getYZeroPoint(),
                           "y_zero_point", element, adaptor.getAxis(),
                           adaptor.getBlockSize(), element, types);
}

LogicalResult DequantizeLinearOp::inferReturnTypes(
    MLIRContext *context, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &types) {
  if (failed(completeProperties<DequantizeLinearOp>(context, loc, adaptor)))
    return failure();
  FailureOr<TensorType> x = requireTensor(loc, adaptor.getX(), "x");
  FailureOr<TensorType> scale =
      requireElements(loc, adaptor.getXScale(), "x_scale", Elements::Float);
  if (failed(x) || failed(scale))
    return failure();
  Type xElement = x->getElementType();
  if (!isQuantizedType(xElement) && !xElement.isInteger(32))
    return emitOptionalError(loc, "x must be int8, uint8 or int32, got ", *x);
  Type element = scale->getElementType();
  if (int64_t dtype = adaptor.getOutputDtype()) {
    element = intr::onnxDataType(context, dtype);
    if (!element || !isa<FloatType>(element))
      return emitOptionalError(loc, "output_dtype ", dtype,
                               " is not a supported float type");
  }
  return inferQuantization(loc, *x, *scale, "x_scale", adaptor.getXZeroPoint(),
                           "x_zero_point", xElement, adaptor.getAxis(),
                           adaptor.getBlockSize(), element, types);
}

//===----------------------------------------------------------------------===//
// DynamicQuantizeLinear, MatMulInteger, ConvInteger
//===----------------------------------------------------------------------===//

LogicalResult DynamicQuantizeLinearOp::inferReturnTypes(
    MLIRContext *context, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &types) {
  FailureOr<TensorType> x = requireTensor(loc, adaptor.getX(), "x");
  if (failed(x))
    return failure();
  if (!x->getElementType().isF32())
    return emitOptionalError(loc, "x must be an f32 tensor, got ", *x);
  Type uint8 = IntegerType::get(context, 8, IntegerType::Unsigned);
  pushTensor(types,
             x->hasRank() ? std::optional<ArrayRef<int64_t>>(x->getShape())
                          : std::nullopt,
             uint8);
  pushTensor(types, ArrayRef<int64_t>{}, Float32Type::get(context));
  pushTensor(types, ArrayRef<int64_t>{}, uint8);
  return success();
}

namespace {

/// Checks an integer product's operand (int8 or uint8) and the element
/// type of its optional zero point (the operand's).
LogicalResult checkIntegerOperand(std::optional<Location> loc, TensorType x,
                                  StringRef name, Value zeroPoint,
                                  StringRef zeroName) {
  if (!isQuantizedType(x.getElementType()))
    return emitOptionalError(loc, name, " must be int8 or uint8, got ", x);
  TensorType zero = tensorTypeOf(zeroPoint);
  if (zero && zero.getElementType() != x.getElementType())
    return emitOptionalError(loc, zeroName, " is ", zero.getElementType(),
                             ", not ", x.getElementType(), " as ", name);
  return success();
}

/// Whether a zero point of `zero`'s shape fits an operand of `x`'s: one
/// value, one per `along` ([size along it]), or x's rank with size 1
/// along `contracted` (broadcast over the rest).
bool fitsZeroPoint(TensorType x, TensorType zero, int64_t along,
                   int64_t contracted) {
  if (!zero || !zero.hasRank() || holdsOneValue(zero) || !x.hasRank())
    return true;
  ArrayRef<int64_t> xs = x.getShape(), zs = zero.getShape();
  auto fits = [](int64_t a, int64_t b) {
    return ShapedType::isDynamic(a) || ShapedType::isDynamic(b) || a == b;
  };
  if (zs.size() == 1 && along >= 0)
    return fits(zs[0], xs[along]);
  if (zs.size() != xs.size() || contracted < 0 || !fits(zs[contracted], 1))
    return false;
  for (size_t d = 0; d < zs.size(); ++d)
    if (static_cast<int64_t>(d) != contracted && zs[d] != 1 &&
        !fits(zs[d], xs[d]))
      return false;
  return true;
}

} // namespace

LogicalResult MatMulIntegerOp::inferReturnTypes(MLIRContext *context,
                                                std::optional<Location> loc,
                                                Adaptor adaptor,
                                                SmallVectorImpl<Type> &types) {
  FailureOr<TensorType> a = requireTensor(loc, adaptor.getA(), "A");
  FailureOr<TensorType> b = requireTensor(loc, adaptor.getB(), "B");
  if (failed(a) || failed(b) ||
      failed(checkIntegerOperand(loc, *a, "A", adaptor.getAZeroPoint(),
                                 "a_zero_point")) ||
      failed(checkIntegerOperand(loc, *b, "B", adaptor.getBZeroPoint(),
                                 "b_zero_point")))
    return failure();
  // A's zero point is one per row (along A's second-to-last axis, K its
  // last); B's one per column (along its last axis, K its second-to-last).
  int64_t aRank = a->hasRank() ? a->getRank() : 0,
          bRank = b->hasRank() ? b->getRank() : 0;
  if (!fitsZeroPoint(*a, tensorTypeOf(adaptor.getAZeroPoint()),
                     aRank >= 2 ? aRank - 2 : -1, aRank - 1))
    return emitOptionalError(loc, "a_zero_point ",
                             tensorTypeOf(adaptor.getAZeroPoint()),
                             " is neither one value nor one per row of A ", *a);
  if (!fitsZeroPoint(*b, tensorTypeOf(adaptor.getBZeroPoint()),
                     bRank >= 2 ? bRank - 1 : -1, bRank >= 2 ? bRank - 2 : -1))
    return emitOptionalError(
        loc, "b_zero_point ", tensorTypeOf(adaptor.getBZeroPoint()),
        " is neither one value nor one per column of B ", *b);
  return inferMatMul(loc, *a, *b, IntegerType::get(context, 32), types);
}

LogicalResult ConvIntegerOp::inferReturnTypes(MLIRContext *context,
                                              std::optional<Location> loc,
                                              Adaptor adaptor,
                                              SmallVectorImpl<Type> &types) {
  if (failed(completeProperties<ConvIntegerOp>(context, loc, adaptor)))
    return failure();
  FailureOr<ConvOperandShapes> operands = checkConvOperands(
      loc, adaptor.getX(), adaptor.getW(), Value(), adaptor.getGroup(),
      "(M, C / group, k1, ...)", /*mixedTypes=*/true);
  if (failed(operands) ||
      failed(
          checkIntegerOperand(loc, cast<TensorType>(adaptor.getX().getType()),
                              "x", adaptor.getXZeroPoint(), "x_zero_point")) ||
      failed(checkIntegerOperand(loc,
                                 cast<TensorType>(adaptor.getW().getType()),
                                 "w", adaptor.getWZeroPoint(), "w_zero_point")))
    return failure();
  TensorType xZero = tensorTypeOf(adaptor.getXZeroPoint());
  if (xZero && xZero.hasRank() && !holdsOneValue(xZero))
    return emitOptionalError(loc, "x_zero_point ", xZero, " must be one value");
  TensorType wZero = tensorTypeOf(adaptor.getWZeroPoint());
  auto w = cast<TensorType>(adaptor.getW().getType());
  if (!fitsZeroPoint(w, wZero, w.hasRank() ? 0 : -1, -1))
    return emitOptionalError(loc, "w_zero_point ", wZero,
                             " is neither one value nor one per filter of w ",
                             w);
  return inferConvolution(loc, adaptor, *operands,
                          IntegerType::get(context, 32), types);
}

LogicalResult ConvIntegerOp::verify() {
  return verifyAutoPad(*this, getAutoPad());
}
