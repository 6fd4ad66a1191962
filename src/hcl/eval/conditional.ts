/**
 * `cond ? a : b` and the `%{if}` directive (hclsyntax's ConditionalExpr). Both results are evaluated and
 * unified to a common type first (a literal null on one side takes the other side's type); only the
 * diagnostics of the taken branch are reported. An unknown condition gives an unknown of the unified type.
 * The marks of the condition and of both results reach the result, whichever branch is taken: a
 * conditional on a sensitive value is sensitive.
 */
import { rangeBetween } from "../diagnostic.js";
import { type ConditionalExpr, goQuote } from "../syntax/index.js";
import {
  boolType,
  type Conversion,
  convert,
  dynamicType,
  friendlyName,
  getConversionUnsafe,
  nullVal,
  rawEquals,
  type Type,
  typeEquals,
  unifyUnsafe,
  unknownVal,
  type Value,
} from "../value/index.js";
import type { EvalContext } from "./context.js";
import { type EvalResult, error, type SubEval } from "./result.js";

const dynamicNull = nullVal(dynamicType);

export function evalConditional(e: ConditionalExpr, ctx: EvalContext | undefined, ev: SubEval): EvalResult {
  const t = ev(e.trueResult, ctx);
  const f = ev(e.falseResult, ctx);
  let trueResult = t.value;
  let falseResult = f.value;

  let resultType: Type | undefined = dynamicType;
  let convs: (Conversion | undefined)[] = [undefined, undefined];
  if (rawEquals(trueResult, dynamicNull)) {
    resultType = falseResult.type;
    convs = [getConversionUnsafe(dynamicType, resultType), undefined];
  } else if (rawEquals(falseResult, dynamicNull)) {
    resultType = trueResult.type;
    convs = [undefined, getConversionUnsafe(dynamicType, resultType)];
  } else if (trueResult.type.kind === "dynamic" || falseResult.type.kind === "dynamic") {
    // Still unknown; both conversions are no-ops.
  } else {
    const u = unifyUnsafe([trueResult.type, falseResult.type]);
    resultType = u?.type;
    if (u !== undefined) convs = [u.conversions[0], u.conversions[1]];
  }

  if (resultType === undefined) {
    return {
      value: unknownVal(dynamicType),
      diagnostics: [
        error(
          "Inconsistent conditional result types",
          `The true and false result expressions must have consistent types. ${describeTypeMismatch(trueResult.type, falseResult.type)}.`,
          rangeBetween(e.trueResult.srcRange, e.falseResult.srcRange),
          e.srcRange,
        ),
      ],
    };
  }

  const c = ev(e.condition, ctx);
  const diags = [...c.diagnostics];
  if (c.value.isNull()) {
    diags.push(
      error(
        "Null condition",
        "The condition value is null. Conditions must either be true or false.",
        e.condition.srcRange,
        e.srcRange,
      ),
    );
    return { value: unknownVal(resultType), diagnostics: diags };
  }

  const [cond, condMarks] = c.value.unmark();
  const [trueUnmarked, trueMarks] = trueResult.unmark();
  const [falseUnmarked, falseMarks] = falseResult.unmark();
  trueResult = trueUnmarked;
  falseResult = falseUnmarked;
  const marks = [condMarks, trueMarks, falseMarks];

  if (!cond.isKnown()) {
    if (trueResult.isNull() && falseResult.isNull()) {
      return { value: nullVal(resultType).withMarks(...marks), diagnostics: diags };
    }
    return { value: unknownVal(resultType).withMarks(...marks), diagnostics: diags };
  }

  const b = convert(cond, boolType);
  if (!b.ok) {
    diags.push(
      error(
        "Incorrect condition type",
        "The condition expression must be of type bool.",
        e.condition.srcRange,
        e.srcRange,
      ),
    );
    return { value: unknownVal(resultType), diagnostics: diags };
  }

  const takeTrue = b.value.raw === true;
  const branch = takeTrue ? t : f;
  diags.push(...branch.diagnostics);
  let result: Value = takeTrue ? trueResult : falseResult;
  const conv = convs[takeTrue ? 0 : 1];
  if (conv !== undefined) {
    const r = conv(result);
    if (r.ok) result = r.value;
    else {
      // An unsafe conversion failed for the concrete value.
      diags.push(
        error(
          "Inconsistent conditional result types",
          `The ${takeTrue ? "true" : "false"} result value has the wrong type: ${r.error.message}.`,
          (takeTrue ? e.trueResult : e.falseResult).srcRange,
          e.srcRange,
        ),
      );
      result = unknownVal(resultType);
    }
  }
  return { value: result.withMarks(...marks), diagnostics: diags };
}

/** HCL's describeConditionalTypeMismatch: why two result types do not unify (types must differ). */
export function describeTypeMismatch(trueTy: Type, falseTy: Type): string {
  if (trueTy.kind === "object" && falseTy.kind === "object") {
    // Attribute names are kept in byte order, which is Go's sort.Strings order.
    for (const [name, trueAty] of trueTy.attributeTypes) {
      const falseAty = falseTy.attributeTypes.get(name);
      if (falseAty === undefined) {
        return `The 'true' value includes object attribute ${goQuote(name)}, which is absent in the 'false' value`;
      }
      if (!typeEquals(trueAty, falseAty)) {
        return `Type mismatch for object attribute ${goQuote(name)}: ${describeTypeMismatch(trueAty, falseAty)}`;
      }
    }
    for (const name of falseTy.attributeTypes.keys()) {
      if (!trueTy.attributeTypes.has(name)) {
        return `The 'false' value includes object attribute ${goQuote(name)}, which is absent in the 'true' value`;
      }
    }
  } else if (trueTy.kind === "tuple" && falseTy.kind === "tuple") {
    const te = trueTy.elementTypes;
    const fe = falseTy.elementTypes;
    if (te.length !== fe.length) {
      return `The 'true' tuple has length ${te.length}, but the 'false' tuple has length ${fe.length}`;
    }
    for (let i = 0; i < te.length; i++) {
      if (!typeEquals(te[i]!, fe[i]!)) {
        return `Type mismatch for tuple element ${i}: ${describeTypeMismatch(te[i]!, fe[i]!)}`;
      }
    }
  } else if (
    (trueTy.kind === "list" || trueTy.kind === "set" || trueTy.kind === "map") &&
    trueTy.kind === falseTy.kind
  ) {
    const te = trueTy.elementType;
    const fe = (falseTy as typeof trueTy).elementType;
    if ((te.kind === "object" && fe.kind === "object") || (te.kind === "tuple" && fe.kind === "tuple")) {
      return `Mismatched ${trueTy.kind} element types: ${describeTypeMismatch(te, fe)}`;
    }
  }

  const trueName = friendlyName(trueTy);
  const falseName = friendlyName(falseTy);
  if (trueName === falseName) {
    return "At least one deeply-nested attribute or element is not compatible across both the 'true' and the 'false' value";
  }
  return `The 'true' value is ${trueName}, but the 'false' value is ${falseName}`;
}
