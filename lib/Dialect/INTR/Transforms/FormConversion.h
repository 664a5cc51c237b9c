//===- FormConversion.h - Ops moved into another form ----------*- C++ -*-===//
//
// What intr-lower-precision (f32 -> f16 or bf16) and intr-channels-last
// (NCHW -> NHWC) share: a chain of ops moves into the new form of its values
// with the fewest conversions. Each value a converted op reads is converted
// once, where it is defined (a constant at compile time, by the pass's own
// `into`); each converted result that an unconverted op reads is converted
// back once, right after it; a converted op reading another's result reads
// it directly.
//
//===----------------------------------------------------------------------===//

#ifndef INTR_LIB_DIALECT_INTR_TRANSFORMS_FORMCONVERSION_H
#define INTR_LIB_DIALECT_INTR_TRANSFORMS_FORMCONVERSION_H

#include "mlir/IR/Builders.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLFunctionalExtras.h"

#include <functional>

namespace intr {

class FormConversion {
public:
  /// Builds `value` in the new form at the builder's point (just after
  /// the value's definition).
  using Into = std::function<mlir::Value(mlir::OpBuilder &, mlir::Value)>;
  /// Builds a converted result back in the old form `type`.
  using Back = std::function<mlir::Value(mlir::OpBuilder &, mlir::Value,
                                         mlir::Type type)>;
  /// The new form's type of a result of the old form's `type`.
  using ResultType = std::function<mlir::Type(mlir::Type type)>;

  FormConversion(mlir::MLIRContext *context, Into into, Back back,
                 ResultType resultType)
      : builder(context), into(std::move(into)), back(std::move(back)),
        resultType(std::move(resultType)) {}

  /// Whether `value` already has a new form (it is a converted result, or
  /// was converted for another reader).
  bool hasNewForm(mlir::Value value) const { return newForms.count(value); }

  /// Records that `value` has the new form `newForm` already: the input of
  /// a conversion back that the model wrote itself. Converted ops read
  /// `newForm`; whoever reads `value` still does, and the conversion goes
  /// with eraseDead() when nobody does.
  void setNewForm(mlir::Value value, mlir::Value newForm) {
    newForms[value] = newForm;
    maybeDead.push_back(value.getDefiningOp());
  }

  /// Moves `op` into the new form: the operands `changes` selects read
  /// their new forms, and every result takes the new form's type. Call it
  /// on ops in program order.
  void convert(mlir::Operation *op,
               llvm::function_ref<bool(mlir::OpOperand &)> changes);

  /// Erases the old constants nobody reads now and the conversions back
  /// that only converted ops would have read.
  void eraseDead();

private:
  mlir::Value newForm(mlir::Value value);

  mlir::OpBuilder builder;
  Into into;
  Back back;
  ResultType resultType;
  llvm::DenseMap<mlir::Value, mlir::Value> newForms;
  llvm::SmallVector<mlir::Operation *> maybeDead;
};

} // namespace intr

#endif // INTR_LIB_DIALECT_INTR_TRANSFORMS_FORMCONVERSION_H
