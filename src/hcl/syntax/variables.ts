/**
 * Walking expressions, finding the variables they reference (hclsyntax.Variables), and reading an
 * expression as a static traversal or keyword (hcl.AbsTraversalForExpr, hcl.ExprAsKeyword).
 */
import { type Diagnostic, isStackOverflow } from "../diagnostic.js";
import type { Expression, Traversal } from "./ast.js";

/**
 * The child expressions of an expression, in HCL's walk order. For-expression parts evaluated with the
 * iteration variables in scope are reported with those names as `locals`.
 */
export function childExpressions(
  expr: Expression,
  visit: (child: Expression, locals?: readonly string[]) => void,
): void {
  switch (expr.kind) {
    case "LiteralValue":
    case "ScopeTraversalExpr":
    case "AnonSymbolExpr":
    case "ExprSyntaxError":
      return;
    case "TemplateExpr":
      for (const p of expr.parts) visit(p);
      return;
    case "TemplateWrapExpr":
      visit(expr.wrapped);
      return;
    case "TemplateJoinExpr":
      visit(expr.tuple);
      return;
    case "RelativeTraversalExpr":
      visit(expr.source);
      return;
    case "FunctionCallExpr":
      for (const a of expr.args) visit(a);
      return;
    case "ConditionalExpr":
      visit(expr.condition);
      visit(expr.trueResult);
      visit(expr.falseResult);
      return;
    case "BinaryOpExpr":
      visit(expr.lhs);
      visit(expr.rhs);
      return;
    case "UnaryOpExpr":
      visit(expr.val);
      return;
    case "TupleConsExpr":
      for (const e of expr.exprs) visit(e);
      return;
    case "ObjectConsExpr":
      for (const item of expr.items) {
        visit(item.keyExpr);
        visit(item.valueExpr);
      }
      return;
    case "ObjectConsKeyExpr":
      // A key read as a literal name is not an expression to evaluate.
      if (exprAsKeyword(expr.wrapped) === "") visit(expr.wrapped);
      return;
    case "ForExpr": {
      visit(expr.collExpr);
      const names: string[] = [];
      if (expr.keyVar !== "") names.push(expr.keyVar);
      if (expr.valVar !== "") names.push(expr.valVar);
      if (expr.keyExpr !== undefined) visit(expr.keyExpr, names);
      visit(expr.valExpr, names);
      if (expr.condExpr !== undefined) visit(expr.condExpr, names);
      return;
    }
    case "IndexExpr":
      visit(expr.collection);
      visit(expr.key);
      return;
    case "SplatExpr":
      visit(expr.source);
      visit(expr.each);
      return;
    case "ParenthesesExpr":
      visit(expr.expression);
      return;
  }
}

/**
 * Every absolute traversal the expression references, in source order, leaving out names bound by an
 * enclosing for expression (hclsyntax.Variables). The returned traversals are the AST's own arrays.
 */
export function variables(expr: Expression): Traversal[] {
  const out: Traversal[] = [];
  const scopes: (readonly string[])[] = [];
  const walk = (e: Expression): void => {
    if (e.kind === "ScopeTraversalExpr") {
      const root = e.traversal[0];
      const name = root !== undefined && root.type === "root" ? root.name : "";
      if (!scopes.some((s) => s.includes(name))) out.push(e.traversal);
      return;
    }
    childExpressions(e, (child, locals) => {
      if (locals === undefined) {
        walk(child);
      } else {
        scopes.push(locals);
        walk(child);
        scopes.pop();
      }
    });
  };
  try {
    walk(expr);
  } catch (err) {
    // Too deeply nested to walk: what was found so far (evaluating it reports the nesting error).
    if (!isStackOverflow(err)) throw err;
  }
  return out;
}

/** The root name of an absolute traversal ("" if it is relative). */
export function traversalRootName(t: Traversal): string {
  const root = t[0];
  return root !== undefined && root.type === "root" ? root.name : "";
}

/**
 * The expression read as a static traversal, if it is one: a variable with attribute and literal index
 * steps (also the keywords true, false and null, read as names). Undefined otherwise.
 */
export function exprAsTraversal(expr: Expression): Traversal | undefined {
  switch (expr.kind) {
    case "ScopeTraversalExpr":
      return expr.traversal;
    case "LiteralValue": {
      const v = expr.value;
      let name: string | undefined;
      if (v.type === "null") name = "null";
      else if (v.type === "bool") name = v.value ? "true" : "false";
      return name === undefined ? undefined : [{ type: "root", name, srcRange: expr.srcRange }];
    }
    case "RelativeTraversalExpr": {
      const src = exprAsTraversal(expr.source);
      return src === undefined ? undefined : [...src, ...expr.traversal];
    }
    case "ObjectConsKeyExpr":
      return expr.forceNonLiteral ? undefined : exprAsTraversal(expr.wrapped);
    default:
      // Parenthesized expressions included: `(a.b)` is not a static traversal in HCL.
      return undefined;
  }
}

/** hcl.AbsTraversalForExpr: the static traversal, or HCL's "Invalid expression" error. */
export function absTraversalForExpr(expr: Expression): { traversal: Traversal; diagnostics: Diagnostic[] } {
  const t = exprAsTraversal(expr);
  if (t !== undefined) return { traversal: t, diagnostics: [] };
  return {
    traversal: [],
    diagnostics: [
      {
        severity: "error",
        summary: "Invalid expression",
        detail:
          "A single static variable reference is required: only attribute access and indexing with constant keys. No calculations, function calls, template expressions, etc are allowed here.",
        subject: expr.srcRange,
      },
    ],
  };
}

/** hcl.ExprAsKeyword: the name if the expression is a single bare identifier (or true/false/null), else "". */
export function exprAsKeyword(expr: Expression): string {
  const t = exprAsTraversal(expr);
  return t !== undefined && t.length === 1 ? traversalRootName(t) : "";
}
