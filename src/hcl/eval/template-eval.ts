/**
 * Template evaluation (hclsyntax's expression_template.go): TemplateExpr converts each part to a string and
 * concatenates them; TemplateJoinExpr does the same for the results of a `%{for}` directive. A
 * TemplateWrapExpr (a template that is exactly one interpolation) is handled by the dispatcher: it yields
 * the wrapped value unconverted.
 *
 * Any unknown part makes the whole result an unknown string (the remaining parts are still evaluated for
 * their diagnostics). Marks of every part, and of the join's tuple and elements, reach the result, so
 * "Bearer ${var.token}" is as sensitive as the token.
 */
import type { Diagnostic } from "../diagnostic.js";
import type { TemplateExpr, TemplateJoinExpr } from "../syntax/index.js";
import { convert, type Marks, stringType, stringVal, unknownVal } from "../value/index.js";
import type { EvalContext } from "./context.js";
import { anyErrors, type EvalResult, error, type SubEval } from "./result.js";

const invalidInterpolation = "Invalid template interpolation value";

export function evalTemplate(e: TemplateExpr, ctx: EvalContext | undefined, ev: SubEval): EvalResult {
  const diags: Diagnostic[] = [];
  const marks: Marks[] = [];
  let known = true;
  let buf = "";

  for (const part of e.parts) {
    const r = ev(part, ctx);
    diags.push(...r.diagnostics);
    const partVal = r.value;

    if (partVal.isNull()) {
      diags.push(
        error(
          invalidInterpolation,
          "The expression result is null. Cannot include a null value in a string template.",
          part.srcRange,
          e.srcRange,
        ),
      );
      continue;
    }

    const [unmarked, partMarks] = partVal.unmark();
    marks.push(partMarks);

    if (!partVal.isKnown()) {
      known = false;
      continue;
    }

    const c = convert(unmarked, stringType);
    if (!c.ok) {
      diags.push(
        error(
          invalidInterpolation,
          `Cannot include the given value in a string template: ${c.error.message}.`,
          part.srcRange,
          e.srcRange,
        ),
      );
      continue;
    }

    // After an unknown part or an error the buffer is no longer needed; the parts are still evaluated
    // for their diagnostics.
    if (known && !anyErrors(diags)) buf += c.value.unmark()[0].asString();
  }

  const value = known ? stringVal(buf) : unknownVal(stringType);
  return { value: value.withMarks(...marks), diagnostics: diags };
}

export function evalTemplateJoin(e: TemplateJoinExpr, ctx: EvalContext | undefined, ev: SubEval): EvalResult {
  const r = ev(e.tuple, ctx);
  const diags = [...r.diagnostics];
  const tuple = r.value;

  // The for expression gives a tuple, or DynamicVal when it can't be known (or after errors).
  if (tuple.type.kind !== "tuple" || !tuple.isKnown() || tuple.isNull()) {
    return { value: unknownVal(stringType).withSameMarks(tuple), diagnostics: diags };
  }

  const [plain, tupleMarks] = tuple.unmark();
  const marks: Marks[] = [tupleMarks];
  let buf = "";
  for (const val of plain.asValueSlice()) {
    if (val.isNull()) {
      diags.push(
        error(
          invalidInterpolation,
          "An iteration result is null. Cannot include a null value in a string template.",
          e.srcRange,
        ),
      );
      continue;
    }
    if (val.type.kind === "dynamic") {
      return { value: unknownVal(stringType).withMarks(...marks, val.marks), diagnostics: diags };
    }
    const c = convert(val, stringType);
    if (!c.ok) {
      diags.push(
        error(
          invalidInterpolation,
          `Cannot include one of the interpolation results into the string template: ${c.error.message}.`,
          e.srcRange,
        ),
      );
      continue;
    }
    if (!val.isKnown()) {
      return { value: unknownVal(stringType).withMarks(...marks, val.marks), diagnostics: diags };
    }
    const [s, sMarks] = c.value.unmark();
    marks.push(sMarks);
    buf += s.asString();
  }
  return { value: stringVal(buf).withMarks(...marks), diagnostics: diags };
}
