/**
 * `for` expressions (hclsyntax's ForExpr): `[for k, v in coll: val if cond]` builds a tuple,
 * `{for k, v in coll: key => val if cond}` an object (with `...` after the value, an object of tuples grouped
 * by key). Lists and tuples iterate with index keys, maps and objects with their keys (in byte order), sets
 * with each element as its own key.
 *
 * Each iteration evaluates in a child context binding the key and value names. When the collection is
 * unknown, or any key or condition is unknown, the result is DynamicVal (tuple/object types depend on the
 * element count). Marks of the collection, of every condition result and of every key reach the result;
 * element values keep their own marks.
 */
import type { Diagnostic } from "../diagnostic.js";
import { type ForExpr, goQuote } from "../syntax/index.js";
import {
  boolType,
  convert,
  dynamicVal,
  friendlyName,
  type Marks,
  objectVal,
  stringType,
  tupleVal,
  type Value,
} from "../value/index.js";
import { childContext, type EvalContext } from "./context.js";
import { anyErrors, type EvalResult, error, type SubEval } from "./result.js";

function iterationContext(e: ForExpr, ctx: EvalContext | undefined, key: Value, value: Value): EvalContext {
  const vars = new Map<string, Value>();
  if (e.keyVar !== "") vars.set(e.keyVar, key);
  vars.set(e.valVar, value);
  return childContext(ctx, vars);
}

export function evalFor(e: ForExpr, ctx: EvalContext | undefined, ev: SubEval): EvalResult {
  const diags: Diagnostic[] = [];
  const marks: Marks[] = [];

  const coll = ev(e.collExpr, ctx);
  diags.push(...coll.diagnostics);
  if (coll.value.isNull()) {
    diags.push(
      error(
        "Iteration over null value",
        "A null value cannot be used as the collection in a 'for' expression.",
        e.collExpr.srcRange,
        e.srcRange,
      ),
    );
    return { value: dynamicVal, diagnostics: diags };
  }
  if (coll.value.type.kind === "dynamic") {
    return { value: dynamicVal.withSameMarks(coll.value), diagnostics: diags };
  }
  const [collVal, collMarks] = coll.value.unmark();
  marks.push(collMarks);
  if (!collVal.canIterateElements()) {
    diags.push(
      error(
        "Iteration over non-iterable value",
        `A value of type ${friendlyName(collVal.type)} cannot be used as the collection in a 'for' expression.`,
        e.collExpr.srcRange,
        e.srcRange,
      ),
    );
    return { value: dynamicVal, diagnostics: diags };
  }

  // An early check of the condition with unknown key and value, to catch a wrongly-typed condition once
  // rather than for every element.
  let condMarks: Marks | undefined;
  if (e.condExpr !== undefined) {
    const r = ev(e.condExpr, iterationContext(e, ctx, dynamicVal, dynamicVal));
    diags.push(...r.diagnostics);
    if (r.value.isNull()) {
      diags.push(
        error(
          "Condition is null",
          "The value of the 'if' clause must not be null.",
          e.condExpr.srcRange,
          e.srcRange,
        ),
      );
      return { value: dynamicVal, diagnostics: diags };
    }
    condMarks = r.value.marks;
    const c = convert(r.value, boolType);
    if (!c.ok) {
      diags.push(
        error(
          "Invalid 'for' condition",
          `The 'if' clause value is invalid: ${c.error.message}.`,
          e.condExpr.srcRange,
          e.srcRange,
        ),
      );
      return { value: dynamicVal, diagnostics: diags };
    }
    if (anyErrors(r.diagnostics)) return { value: dynamicVal, diagnostics: diags };
  }

  if (!collVal.isKnown()) {
    return { value: dynamicVal.withMarks(...marks, condMarks ?? []), diagnostics: diags };
  }

  let known = true;

  /** Evaluates the condition for one element: true to include it, false to skip it. */
  const include = (iterCtx: EvalContext, tupleForm: boolean): boolean => {
    const condExpr = e.condExpr;
    if (condExpr === undefined) return true;
    const r = ev(condExpr, iterCtx);
    diags.push(...r.diagnostics);
    const raw = r.value;
    if (raw.isNull()) {
      if (known) {
        diags.push(
          error(
            "Invalid 'for' condition",
            "The value of the 'if' clause must not be null.",
            condExpr.srcRange,
            e.srcRange,
          ),
        );
      }
      known = false;
      return false;
    }
    marks.push(raw.marks);
    if (tupleForm && !raw.isKnown()) {
      known = false;
      return false;
    }
    const c = convert(raw, boolType);
    if (!c.ok) {
      if (known) {
        diags.push(
          error(
            "Invalid 'for' condition",
            `The 'if' clause value is invalid: ${c.error.message}.`,
            condExpr.srcRange,
            e.srcRange,
          ),
        );
      }
      known = false;
      return false;
    }
    if (!c.value.isKnown()) {
      known = false;
      return false;
    }
    return c.value.unmark()[0].raw === true;
  };

  const elements = collVal.elements();

  if (e.keyExpr === undefined) {
    const vals: Value[] = [];
    for (const [k, v] of elements) {
      const iterCtx = iterationContext(e, ctx, k, v);
      if (!include(iterCtx, true)) continue;
      const r = ev(e.valExpr, iterCtx);
      diags.push(...r.diagnostics);
      vals.push(r.value);
    }
    if (!known) return { value: dynamicVal.withMarks(...marks), diagnostics: diags };
    return { value: tupleVal(vals).withMarks(...marks), diagnostics: diags };
  }

  const keyExpr = e.keyExpr;
  const vals = new Map<string, Value>();
  const groups = new Map<string, Value[]>();
  for (const [k, v] of elements) {
    const iterCtx = iterationContext(e, ctx, k, v);
    if (!include(iterCtx, false)) continue;

    const kr = ev(keyExpr, iterCtx);
    diags.push(...kr.diagnostics);
    const keyRaw = kr.value;
    if (keyRaw.isNull()) {
      if (known) {
        diags.push(
          error(
            "Invalid object key",
            "Key expression in 'for' expression must not produce a null value.",
            keyExpr.srcRange,
            e.srcRange,
          ),
        );
      }
      known = false;
      continue;
    }
    marks.push(keyRaw.marks);
    if (!keyRaw.isKnown()) {
      known = false;
      continue;
    }
    const kc = convert(keyRaw, stringType);
    if (!kc.ok) {
      if (known) {
        diags.push(
          error(
            "Invalid object key",
            `The key expression produced an invalid result: ${kc.error.message}.`,
            keyExpr.srcRange,
            e.srcRange,
          ),
        );
      }
      known = false;
      continue;
    }
    const key = kc.value.unmark()[0].asString();

    const vr = ev(e.valExpr, iterCtx);
    diags.push(...vr.diagnostics);

    if (e.group) {
      const g = groups.get(key);
      if (g === undefined) groups.set(key, [vr.value]);
      else g.push(vr.value);
    } else if (vals.has(key)) {
      diags.push(
        error(
          "Duplicate object key",
          `Two different items produced the key ${goQuote(key)} in this 'for' expression. If duplicates are expected, use the ellipsis (...) after the value expression to enable grouping by key.`,
          keyExpr.srcRange,
          e.srcRange,
        ),
      );
    } else {
      vals.set(key, vr.value);
    }
  }

  if (!known) return { value: dynamicVal.withMarks(...marks), diagnostics: diags };
  if (e.group) {
    for (const [k, g] of groups) vals.set(k, tupleVal(g));
  }
  return { value: objectVal(vals).withMarks(...marks), diagnostics: diags };
}
