//===- FormConversion.cpp - Ops moved into another form of their values ---===//

#include "FormConversion.h"

#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace intr;

Value FormConversion::newForm(Value value) {
  if (Value known = newForms.lookup(value))
    return known;
  OpBuilder::InsertionGuard guard(builder);
  builder.setInsertionPointAfterValue(value);
  Value result = into(builder, value);
  if (matchPattern(value, m_Constant()))
    maybeDead.push_back(value.getDefiningOp());
  newForms[value] = result;
  return result;
}

void FormConversion::convert(Operation *op,
                             function_ref<bool(OpOperand &)> changes) {
  for (OpOperand &operand : op->getOpOperands())
    if (changes(operand))
      operand.set(newForm(operand.get()));
  OpBuilder::InsertionGuard guard(builder);
  builder.setInsertionPointAfter(op);
  for (OpResult result : op->getResults()) {
    Type oldType = result.getType();
    result.setType(resultType(oldType));
    // Old-form readers read one conversion back; later converted ops find
    // the result itself as the conversion's new form.
    Value restored = back(builder, result, oldType);
    result.replaceAllUsesExcept(restored, restored.getDefiningOp());
    newForms[restored] = result;
    maybeDead.push_back(restored.getDefiningOp());
  }
}

void FormConversion::eraseDead() {
  for (Operation *op : maybeDead)
    if (op->use_empty())
      op->erase();
  maybeDead.clear();
}
