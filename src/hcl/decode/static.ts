/**
 * Static analysis of syntax-agnostic expressions with HCL's diagnostics: hcl.ExprList, hcl.ExprMap,
 * hcl.ExprCall, hcl.AbsTraversalForExpr, hcl.RelTraversalForExpr and hcl.ExprAsKeyword. Packer reads
 * `type = ...` constraints, `depends_on`-like references and `sources = [...]` lists this way.
 */
import type { Diagnostic } from "../diagnostic.js";
import type { Traversal } from "../syntax/ast.js";
import type { HclExpression, HclKeyValuePair, HclStaticCall } from "./body.js";

function invalidExpression(detail: string, expr: HclExpression, whole: boolean): Diagnostic[] {
  return [
    {
      severity: "error",
      summary: "Invalid expression",
      detail,
      subject: whole ? expr.range : expr.startRange,
    },
  ];
}

/** hcl.ExprList: the elements of a static list (tuple constructor / JSON array). */
export function hclExprList(expr: HclExpression): { exprs: HclExpression[]; diagnostics: Diagnostic[] } {
  const list = expr.asList();
  if (list !== undefined) return { exprs: list, diagnostics: [] };
  return { exprs: [], diagnostics: invalidExpression("A static list expression is required.", expr, false) };
}

/** hcl.ExprMap: the key/value pairs of a static map (object constructor / JSON object). */
export function hclExprMap(expr: HclExpression): { pairs: HclKeyValuePair[]; diagnostics: Diagnostic[] } {
  const pairs = expr.asMap();
  if (pairs !== undefined) return { pairs, diagnostics: [] };
  return { pairs: [], diagnostics: invalidExpression("A static map expression is required.", expr, false) };
}

/** hcl.ExprCall: the expression read as a function call without evaluating it. */
export function hclExprCall(expr: HclExpression): {
  call: HclStaticCall | undefined;
  diagnostics: Diagnostic[];
} {
  const call = expr.asCall();
  if (call !== undefined) return { call, diagnostics: [] };
  return {
    call: undefined,
    diagnostics: invalidExpression("A static function call is required.", expr, false),
  };
}

/** hcl.AbsTraversalForExpr: the expression read as a reference like `var.x[0]`. */
export function hclAbsTraversalForExpr(expr: HclExpression): {
  traversal: Traversal;
  diagnostics: Diagnostic[];
} {
  const t = expr.asAbsTraversal();
  if (t !== undefined) return { traversal: t, diagnostics: [] };
  return {
    traversal: [],
    diagnostics: invalidExpression(
      "A single static variable reference is required: only attribute access and indexing with constant keys. No calculations, function calls, template expressions, etc are allowed here.",
      expr,
      true,
    ),
  };
}

/** hcl.RelTraversalForExpr: like hclAbsTraversalForExpr with the root step turned into an attribute step. */
export function hclRelTraversalForExpr(expr: HclExpression): {
  traversal: Traversal;
  diagnostics: Diagnostic[];
} {
  const { traversal, diagnostics } = hclAbsTraversalForExpr(expr);
  const root = traversal[0];
  if (root === undefined || root.type !== "root") return { traversal, diagnostics };
  return {
    traversal: [{ type: "attr", name: root.name, srcRange: root.srcRange }, ...traversal.slice(1)],
    diagnostics,
  };
}

/** hcl.ExprAsKeyword: the name if the expression is one bare identifier, else "". */
export function hclExprAsKeyword(expr: HclExpression): string {
  return expr.asKeyword();
}
