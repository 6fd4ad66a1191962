/**
 * The expression evaluator: `evaluate(expr, ctx)` computes the value of a native-syntax expression exactly as
 * hclsyntax's Expression.Value(ctx) does (HCL v2.24 with cty 1.13), with HCL's diagnostics, summaries,
 * details and ranges. It never throws for user input: problems are diagnostics, and the value is then a
 * placeholder (usually DynamicVal, an unknown of unknown type) so that evaluation can go on and report more.
 *
 * Contract highlights:
 * - `ctx` undefined (or a context chain without variables / functions) means "no variables" / "no
 *   functions": references and calls then fail with "Variables not allowed" / "Function calls not allowed".
 * - Unknown values flow through every construct; results that depend on them are unknown.
 * - Marks (sensitive) reach every derived value: templates, operators, function results, conditionals
 *   (including the condition's marks), for-expression results (collection, condition and key marks),
 *   splats, indexing (collection and key marks) and object constructors (key marks).
 *
 * Each construct lives in its own module (ops, template-eval, conditional, for-expr, splat, function-call);
 * this module dispatches on the node kind and implements the simple ones: literals, traversals, index
 * expressions and tuple/object constructors.
 */
import { type Diagnostic, isStackOverflow, nestingTooDeepDiag } from "../diagnostic.js";
import {
  type Expression,
  exprAsKeyword,
  goQuote,
  type IndexExpr,
  nameSuggestion,
  type ObjectConsExpr,
  type ObjectConsKeyExpr,
  type StaticValue,
  type Traversal,
  type TupleConsExpr,
} from "../syntax/index.js";
import {
  boolVal,
  convert,
  dynamicType,
  dynamicVal,
  type Marks,
  nullVal,
  numberType,
  objectVal,
  parseNumberVal,
  stringType,
  stringVal,
  traverseAttr,
  traverseIndex,
  tupleVal,
  unknownVal,
  type Value,
} from "../value/index.js";
import { evalConditional } from "./conditional.js";
import type { EvalContext } from "./context.js";
import { evalFor } from "./for-expr.js";
import { evalFunctionCall } from "./function-call.js";
import { evalBinaryOp, evalUnaryOp } from "./ops.js";
import { anyErrors, type EvalResult, error } from "./result.js";
import { anonSymbolValue, evalSplat } from "./splat.js";
import { evalTemplate, evalTemplateJoin } from "./template-eval.js";

export type { EvalResult } from "./result.js";

/** Evaluates an expression in a context (hclsyntax Expression.Value). */
export function evaluate(expr: Expression, ctx: EvalContext | undefined): EvalResult {
  try {
    return evaluateUnguarded(expr, ctx);
  } catch (err) {
    // Thousands of nested levels exhaust the stack: a diagnostic, never a throw.
    if (!isStackOverflow(err)) throw err;
    return { value: dynamicVal, diagnostics: [nestingTooDeepDiag(expr.srcRange)] };
  }
}

function evaluateUnguarded(expr: Expression, ctx: EvalContext | undefined): EvalResult {
  switch (expr.kind) {
    case "LiteralValue":
      return ok(staticValueToValue(expr.value));
    case "TemplateExpr":
      return evalTemplate(expr, ctx, evaluate);
    case "TemplateWrapExpr":
      return evaluate(expr.wrapped, ctx);
    case "TemplateJoinExpr":
      return evalTemplateJoin(expr, ctx, evaluate);
    case "ScopeTraversalExpr":
      return traverseAbs(expr.traversal, ctx);
    case "RelativeTraversalExpr": {
      const src = evaluate(expr.source, ctx);
      const r = traverseRel(expr.traversal, src.value);
      return { value: r.value, diagnostics: [...src.diagnostics, ...r.diagnostics] };
    }
    case "FunctionCallExpr":
      return evalFunctionCall(expr, ctx, evaluate);
    case "ConditionalExpr":
      return evalConditional(expr, ctx, evaluate);
    case "BinaryOpExpr":
      return evalBinaryOp(expr, ctx, evaluate);
    case "UnaryOpExpr":
      return evalUnaryOp(expr, ctx, evaluate);
    case "TupleConsExpr":
      return evalTupleCons(expr, ctx);
    case "ObjectConsExpr":
      return evalObjectCons(expr, ctx);
    case "ObjectConsKeyExpr":
      return evalObjectConsKey(expr, ctx);
    case "ForExpr":
      return evalFor(expr, ctx, evaluate);
    case "IndexExpr":
      return evalIndex(expr, ctx);
    case "SplatExpr":
      return evalSplat(expr, ctx, evaluate);
    case "AnonSymbolExpr":
      return ok(anonSymbolValue(expr));
    case "ParenthesesExpr":
      return evaluate(expr.expression, ctx);
    case "ExprSyntaxError":
      return { value: dynamicVal, diagnostics: [...expr.parseDiags] };
  }
}

function ok(value: Value): EvalResult {
  return { value, diagnostics: [] };
}

/** The value of a literal known at parse time (literal expressions, traversal index keys). */
export function staticValueToValue(v: StaticValue): Value {
  switch (v.type) {
    case "string":
      return stringVal(v.value);
    case "number": {
      const r = parseNumberVal(v.text);
      return r.ok ? r.value : unknownVal(numberType);
    }
    case "bool":
      return boolVal(v.value);
    case "null":
      return nullVal(dynamicType);
    case "unknown":
      return v.of === "number" ? unknownVal(numberType) : dynamicVal;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Traversals

/**
 * Applies relative traversal steps (attribute and index) to a value (hcl.Traversal.TraverseRel). Stops at
 * the first failing step, giving DynamicVal and that step's diagnostic.
 */
export function traverseRel(traversal: Traversal, value: Value): EvalResult {
  let current = value;
  for (const step of traversal) {
    let r: ReturnType<typeof traverseAttr>;
    switch (step.type) {
      case "attr":
        r = traverseAttr(current, step.name);
        break;
      case "index":
        r = traverseIndex(current, staticValueToValue(step.key));
        break;
      default:
        // The parser only produces root steps first and splat steps in partial traversals, which are
        // never evaluated.
        r = {
          ok: false,
          summary: "Invalid traversal",
          detail: "This traversal step cannot be applied to a value here.",
        };
    }
    if (!r.ok) return { value: dynamicVal, diagnostics: [error(r.summary, r.detail, step.srcRange)] };
    current = r.value;
  }
  return ok(current);
}

/**
 * Looks up the root name of an absolute traversal in the context chain and applies the remaining steps
 * (hcl.Traversal.TraverseAbs).
 */
export function traverseAbs(traversal: Traversal, ctx: EvalContext | undefined): EvalResult {
  const root = traversal[0];
  if (root === undefined || root.type !== "root") return traverseRel(traversal, dynamicVal);
  const rest = traversal.slice(1);

  let anyVariables = false;
  for (let c = ctx; c !== undefined; c = c.parent) {
    if (c.variables === undefined) continue;
    anyVariables = true;
    const v = c.variables.get(root.name);
    if (v !== undefined) return traverseRel(rest, v);
  }
  if (!anyVariables) {
    return {
      value: dynamicVal,
      diagnostics: [error("Variables not allowed", "Variables may not be used here.", root.srcRange)],
    };
  }
  const names: string[] = [];
  for (let c = ctx; c !== undefined; c = c.parent) {
    if (c.variables !== undefined) names.push(...[...c.variables.keys()].sort());
  }
  let suggestion = nameSuggestion(root.name, names);
  if (suggestion !== "") suggestion = ` Did you mean ${goQuote(suggestion)}?`;
  return {
    value: dynamicVal,
    diagnostics: [
      error(
        "Unknown variable",
        `There is no variable named ${goQuote(root.name)}.${suggestion}`,
        root.srcRange,
      ),
    ],
  };
}

// ---------------------------------------------------------------------------------------------------------
// Index expressions and constructors

function evalIndex(e: IndexExpr, ctx: EvalContext | undefined): EvalResult {
  const coll = evaluate(e.collection, ctx);
  const key = evaluate(e.key, ctx);
  const diags = [...coll.diagnostics, ...key.diagnostics];
  const r = traverseIndex(coll.value, key.value);
  if (!r.ok) {
    diags.push(error(r.summary, r.detail, e.bracketRange));
    return { value: dynamicVal, diagnostics: diags };
  }
  // HCL drops the key's marks when the result is unknown; keep them so a secret key is never forgotten.
  return { value: r.value.withSameMarks(key.value), diagnostics: diags };
}

function evalTupleCons(e: TupleConsExpr, ctx: EvalContext | undefined): EvalResult {
  const diags: Diagnostic[] = [];
  const vals = e.exprs.map((x) => {
    const r = evaluate(x, ctx);
    diags.push(...r.diagnostics);
    return r.value;
  });
  return { value: tupleVal(vals), diagnostics: diags };
}

function evalObjectCons(e: ObjectConsExpr, ctx: EvalContext | undefined): EvalResult {
  const diags: Diagnostic[] = [];
  const marks: Marks[] = [];
  const vals = new Map<string, Value>();
  // Any key that can't be produced (unknown or erroneous) makes the attribute set, and so the type, unknown.
  let known = true;

  for (const item of e.items) {
    const k = evaluate(item.keyExpr, ctx);
    diags.push(...k.diagnostics);
    const v = evaluate(item.valueExpr, ctx);
    diags.push(...v.diagnostics);

    if (anyErrors(k.diagnostics)) {
      known = false;
      continue;
    }
    if (k.value.isNull()) {
      // HCL points this one at the value expression.
      diags.push(error("Null value as key", "Can't use a null value as a key.", item.valueExpr.srcRange));
      known = false;
      continue;
    }
    const [key, keyMarks] = k.value.unmark();
    marks.push(keyMarks);
    const c = convert(key, stringType);
    if (!c.ok) {
      diags.push(
        error(
          "Incorrect key type",
          `Can't use this value as a key: ${c.error.message}.`,
          item.keyExpr.srcRange,
        ),
      );
      known = false;
      continue;
    }
    if (!c.value.isKnown()) {
      known = false;
      continue;
    }
    // A later item with the same key replaces an earlier one.
    vals.set(c.value.unmark()[0].asString(), v.value);
  }

  if (!known) return { value: dynamicVal.withMarks(...marks), diagnostics: diags };
  return { value: objectVal(vals).withMarks(...marks), diagnostics: diags };
}

/**
 * An object constructor key: a bare name (or `true`/`false`/`null`) is the literal string of its name unless
 * written in parentheses; a bare dotted name is ambiguous and rejected.
 */
function evalObjectConsKey(e: ObjectConsKeyExpr, ctx: EvalContext | undefined): EvalResult {
  if (!e.forceNonLiteral) {
    const w = e.wrapped;
    if (w.kind === "ScopeTraversalExpr" && w.traversal.length > 1) {
      return {
        value: dynamicVal,
        diagnostics: [
          error(
            "Ambiguous attribute key",
            "If this expression is intended to be a reference, wrap it in parentheses. If it's instead intended as a literal name containing periods, wrap it in quotes to create a string literal.",
            w.srcRange,
          ),
        ],
      };
    }
    const name = exprAsKeyword(w);
    if (name !== "") return ok(stringVal(name));
  }
  return evaluate(e.wrapped, ctx);
}
