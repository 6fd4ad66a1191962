/**
 * JSON values as expressions (hcl/json's expression), per HCL's JSON specification:
 * - with an evaluation context a string is a native-syntax template (parsed starting just after its opening
 *   quote; escapes removed by JSON shift later positions, as in HCL) and `"${expr}"` yields expr's value
 *   unconverted; without a context a string is its literal text;
 * - numbers, bools and null are themselves (null of any type); arrays are tuples; objects are objects whose
 *   property names are themselves string expressions (templates with a context);
 * - static analysis: a string reads as a traversal (`"var.x"`), keyword or function call (`"list(string)"`)
 *   through the native syntax; an array is a static list, an object a static map.
 */

import type { ExpressionValueResult, HclExpression, HclKeyValuePair, HclStaticCall } from "../decode/body.js";
import { nativeExpression } from "../decode/native-body.js";
import type { Diagnostic, Range } from "../diagnostic.js";
import { hasErrors, isStackOverflow, nestingTooDeepDiag } from "../diagnostic.js";
import type { EvalContext } from "../eval/context.js";
import { evaluate } from "../eval/evaluate.js";
import type { Expression, Traversal } from "../syntax/ast.js";
import { formatRange, goQuote } from "../syntax/go-compat.js";
import { parseExpression, parseTemplate, parseTraversalAbs } from "../syntax/parser.js";
import { variables } from "../syntax/variables.js";
import {
  boolVal,
  convert,
  dynamicType,
  dynamicVal,
  type Marks,
  nullVal,
  numberVal,
  objectVal,
  stringType,
  stringVal,
  tupleVal,
  unmark,
  type Value,
} from "../value/index.js";
import { type Node, nodeRange, nodeStartRange, type StringNode } from "./parser.js";

/** The string's content parsed as a template starting just after its opening quote. */
function parseStringTemplate(v: StringNode): { expression: Expression; diagnostics: Diagnostic[] } {
  const s = v.srcRange.start;
  return parseTemplate(v.value, v.srcRange.filename, {
    line: s.line,
    column: s.column + 1,
    byte: s.byte + 1,
  });
}

/** A JSON value as an HclExpression. */
export class JSONExpression implements HclExpression {
  constructor(readonly node: Node) {}

  get range(): Range {
    return nodeRange(this.node);
  }

  get startRange(): Range {
    return nodeStartRange(this.node);
  }

  /**
   * The value (the JSON value converted to a cty-like value). The parser bounds how deeply values nest, so
   * the recursion fits the stack; should a caller leave too little, the result is a "Nesting too deep" error.
   */
  value(ctx: EvalContext | undefined): ExpressionValueResult {
    try {
      return nodeValue(this.node, ctx);
    } catch (err) {
      if (!isStackOverflow(err)) throw err;
      return { value: dynamicVal, diagnostics: [nestingTooDeepDiag(nodeStartRange(this.node))] };
    }
  }

  /** The references in every string (and property name), in source order. */
  variables(): Traversal[] {
    const out: Traversal[] = [];
    try {
      collectVariables(this.node, out);
    } catch (err) {
      // Out of stack (see value): what was found so far; evaluating reports the error.
      if (!isStackOverflow(err)) throw err;
    }
    return out;
  }

  asAbsTraversal(): Traversal | undefined {
    const v = this.node;
    if (v.kind !== "string") return undefined;
    const r = parseTraversalAbs(v.value, v.srcRange.filename, v.srcRange.start);
    return hasErrors(r.diagnostics) ? undefined : r.traversal;
  }

  asKeyword(): string {
    const t = this.asAbsTraversal();
    const root = t?.[0];
    return t !== undefined && t.length === 1 && root?.type === "root" ? root.name : "";
  }

  asList(): HclExpression[] | undefined {
    const v = this.node;
    return v.kind === "array" ? v.values.map((n) => new JSONExpression(n)) : undefined;
  }

  asMap(): HclKeyValuePair[] | undefined {
    const v = this.node;
    if (v.kind !== "object") return undefined;
    return v.attrs.map((a) => ({
      key: new JSONExpression(nameNode(a)),
      value: new JSONExpression(a.value),
    }));
  }

  asCall(): HclStaticCall | undefined {
    const native = this.asNativeSyntax();
    return native === undefined ? undefined : nativeExpression(native).asCall();
  }

  asStaticString(): string | undefined {
    return this.node.kind === "string" ? this.node.value : undefined;
  }

  asNativeSyntax(): Expression | undefined {
    const v = this.node;
    if (v.kind !== "string") return undefined;
    // HCL starts these at the opening quote, not after it.
    const r = parseExpression(v.value, v.srcRange.filename, v.srcRange.start);
    return hasErrors(r.diagnostics) ? undefined : r.expression;
  }
}

/** A property name as the string expression it is. */
function nameNode(attr: { name: string; nameRange: Range }): StringNode {
  return { kind: "string", value: attr.name, srcRange: attr.nameRange };
}

function nodeValue(v: Node, ctx: EvalContext | undefined): ExpressionValueResult {
  switch (v.kind) {
    case "string": {
      if (ctx === undefined) return { value: stringVal(v.value), diagnostics: [] };
      const parsed = parseStringTemplate(v);
      if (hasErrors(parsed.diagnostics)) return { value: dynamicVal, diagnostics: parsed.diagnostics };
      const r = evaluate(parsed.expression, ctx);
      return { value: r.value, diagnostics: [...parsed.diagnostics, ...r.diagnostics] };
    }
    case "number":
      return { value: numberVal(v.value), diagnostics: [] };
    case "bool":
      return { value: boolVal(v.value), diagnostics: [] };
    case "null":
      return { value: nullVal(dynamicType), diagnostics: [] };
    case "array": {
      const diagnostics: Diagnostic[] = [];
      const values: Value[] = [];
      for (const n of v.values) {
        const r = nodeValue(n, ctx);
        diagnostics.push(...r.diagnostics);
        values.push(r.value);
      }
      return { value: tupleVal(values), diagnostics };
    }
    case "object":
      return objectValue(v.attrs, ctx);
    case "invalid":
      // Lets a partly broken document still be evaluated in part.
      return { value: dynamicVal, diagnostics: [] };
  }
}

function objectValue(
  attrs: readonly { name: string; value: Node; nameRange: Range }[],
  ctx: EvalContext | undefined,
): ExpressionValueResult {
  const diagnostics: Diagnostic[] = [];
  const values = new Map<string, Value>();
  const nameRanges = new Map<string, Range>();
  const keyMarks: Marks[] = [];
  let known = true;
  for (const attr of attrs) {
    // Property names are expressions too (templates with a context), as object keys are in the native
    // syntax; block bodies are the exception and never get here.
    const nameResult = nodeValue(nameNode(attr), ctx);
    const valResult = nodeValue(attr.value, ctx);
    diagnostics.push(...nameResult.diagnostics, ...valResult.diagnostics);

    const conv = convert(nameResult.value, stringType);
    if (!conv.ok) {
      diagnostics.push({
        severity: "error",
        summary: "Invalid object key expression",
        detail: `Cannot use this expression as an object key: ${conv.error.message}.`,
        subject: attr.nameRange,
      });
      continue;
    }
    const [name, marks] = unmark(conv.value);
    if (name.isNull()) {
      diagnostics.push({
        severity: "error",
        summary: "Invalid object key expression",
        detail: "Cannot use null value as an object key.",
        subject: attr.nameRange,
      });
      continue;
    }
    if (!name.isKnown()) {
      // The object's type depends on its keys; an unknown key makes the whole object unknown.
      known = false;
      continue;
    }
    keyMarks.push(marks);
    const key = name.asString();
    const existing = nameRanges.get(key);
    if (existing !== undefined) {
      diagnostics.push({
        severity: "error",
        summary: "Duplicate object attribute",
        detail: `An attribute named ${goQuote(key)} was already defined at ${formatRange(existing)}.`,
        subject: attr.nameRange,
      });
      continue;
    }
    values.set(key, valResult.value);
    nameRanges.set(key, attr.nameRange);
  }
  if (!known) return { value: dynamicVal, diagnostics };
  return { value: objectVal(values).withMarks(...keyMarks), diagnostics };
}

function collectVariables(v: Node, out: Traversal[]): void {
  switch (v.kind) {
    case "string": {
      const parsed = parseStringTemplate(v);
      if (!hasErrors(parsed.diagnostics)) for (const t of variables(parsed.expression)) out.push(t);
      return;
    }
    case "array":
      for (const n of v.values) collectVariables(n, out);
      return;
    case "object":
      for (const a of v.attrs) {
        collectVariables(nameNode(a), out);
        collectVariables(a.value, out);
      }
      return;
    default:
      return;
  }
}

/** Whether an expression came from the JSON syntax (hcl/json's IsJSONExpression). */
export function isJSONExpression(expr: HclExpression): boolean {
  return expr instanceof JSONExpression;
}
