/**
 * Static analysis of expressions, as HCL offers it to decoders (hcl.ExprList, hcl.ExprMap, hcl.ExprCall,
 * hcl.RelTraversalForExpr): reading the structure of an expression without evaluating it. Used by type
 * expressions and by decoders that take references or lists of references (e.g. `sources = [...]`).
 * hcl.ExprAsKeyword and hcl.AbsTraversalForExpr are exprAsKeyword / absTraversalForExpr in the syntax
 * package.
 *
 * As in HCL, an object constructor key unwraps to the expression it wraps; parentheses do not unwrap
 * (`(a)` is not a static traversal, `([a])` not a static list).
 */
import { type Diagnostic, type Range, rangeBetween } from "../diagnostic.js";
import { absTraversalForExpr, type Expression, type Traversal } from "../syntax/index.js";

/** hcl.KeyValuePair: one item of an object constructor. */
export interface KeyValuePair {
  readonly key: Expression;
  readonly value: Expression;
}

/** hcl.StaticCall: a function call read statically. */
export interface StaticCall {
  readonly name: string;
  readonly nameRange: Range;
  readonly arguments: readonly Expression[];
  /** From the opening to the closing parenthesis. */
  readonly argsRange: Range;
}

/** The first expression in the unwrap chain with the wanted kind. */
function unwrapTo<K extends Expression["kind"]>(
  expr: Expression,
  kind: K,
): Extract<Expression, { kind: K }> | undefined {
  let e: Expression = expr;
  for (;;) {
    if (e.kind === kind) return e as Extract<Expression, { kind: K }>;
    if (e.kind !== "ObjectConsKeyExpr") return undefined;
    e = e.wrapped;
  }
}

function invalid(detail: string, subject: Range): Diagnostic[] {
  return [{ severity: "error", summary: "Invalid expression", detail, subject }];
}

/** hcl.ExprList: the items of a tuple constructor `[a, b]`, or "A static list expression is required." */
export function exprList(expr: Expression): { exprs: Expression[]; diagnostics: Diagnostic[] } {
  const t = unwrapTo(expr, "TupleConsExpr");
  if (t !== undefined) return { exprs: [...t.exprs], diagnostics: [] };
  return { exprs: [], diagnostics: invalid("A static list expression is required.", expr.startRange) };
}

/** hcl.ExprMap: the key/value pairs of an object constructor `{a = b}`, or "A static map expression is required." */
export function exprMap(expr: Expression): { pairs: KeyValuePair[]; diagnostics: Diagnostic[] } {
  const o = unwrapTo(expr, "ObjectConsExpr");
  if (o !== undefined) {
    return { pairs: o.items.map((i) => ({ key: i.keyExpr, value: i.valueExpr })), diagnostics: [] };
  }
  return { pairs: [], diagnostics: invalid("A static map expression is required.", expr.startRange) };
}

/** hcl.ExprCall: a function call `name(args...)` read statically, or "A static function call is required." */
export function exprCall(expr: Expression): { call: StaticCall | undefined; diagnostics: Diagnostic[] } {
  const c = unwrapTo(expr, "FunctionCallExpr");
  if (c !== undefined) {
    return {
      call: {
        name: c.name,
        nameRange: c.nameRange,
        arguments: [...c.args],
        argsRange: rangeBetween(c.openParenRange, c.closeParenRange),
      },
      diagnostics: [],
    };
  }
  return { call: undefined, diagnostics: invalid("A static function call is required.", expr.startRange) };
}

/**
 * hcl.RelTraversalForExpr: like absTraversalForExpr, with the root step turned into an attribute step
 * (`a.b` reads as `.a.b`).
 */
export function relTraversalForExpr(expr: Expression): { traversal: Traversal; diagnostics: Diagnostic[] } {
  const { traversal, diagnostics } = absTraversalForExpr(expr);
  const root = traversal[0];
  if (root === undefined || root.type !== "root") return { traversal, diagnostics };
  return {
    traversal: [{ type: "attr", name: root.name, srcRange: root.srcRange }, ...traversal.slice(1)],
    diagnostics,
  };
}
