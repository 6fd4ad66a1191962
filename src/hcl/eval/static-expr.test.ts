import { describe, expect, it } from "vitest";
import { exprAsKeyword, parseExpression } from "../syntax/index.js";
import { exprCall, exprList, exprMap, relTraversalForExpr } from "./static-expr.js";

function expr(src: string) {
  const p = parseExpression(src, "s.hcl");
  expect(p.diagnostics).toEqual([]);
  return p.expression;
}

describe("static expression analysis", () => {
  it("reads tuple constructors as lists", () => {
    const r = exprList(expr("[a, b.c, 1]"));
    expect(r.diagnostics).toEqual([]);
    expect(r.exprs.map((e) => e.kind)).toEqual(["ScopeTraversalExpr", "ScopeTraversalExpr", "LiteralValue"]);
    expect(exprList(expr("[]")).exprs).toEqual([]);
  });

  it("rejects non-lists at the start of the expression", () => {
    const r = exprList(expr('"a"'));
    expect(r.diagnostics.map((d) => [d.summary, d.detail])).toEqual([
      ["Invalid expression", "A static list expression is required."],
    ]);
    expect(exprList(expr("([a])")).diagnostics).toHaveLength(1);
    const call = exprList(expr("concat([a])"));
    expect(call.diagnostics[0]!.subject).toMatchObject({ start: { column: 1 }, end: { column: 8 } });
  });

  it("reads object constructors as maps", () => {
    const r = exprMap(expr('{a = 1, "b" = 2}'));
    expect(r.diagnostics).toEqual([]);
    expect(r.pairs.map((p) => exprAsKeyword(p.key))).toEqual(["a", ""]);
    expect(exprMap(expr("[1]")).diagnostics.map((d) => d.detail)).toEqual([
      "A static map expression is required.",
    ]);
  });

  it("unwraps object keys", () => {
    const outer = exprMap(expr("{[1, 2] = 3}"));
    const key = outer.pairs[0]!.key;
    expect(key.kind).toBe("ObjectConsKeyExpr");
    expect(exprList(key).exprs).toHaveLength(2);
  });

  it("reads function calls", () => {
    const r = exprCall(expr("list(string, number)"));
    expect(r.call?.name).toBe("list");
    expect(r.call?.arguments).toHaveLength(2);
    expect(r.call?.argsRange).toMatchObject({ start: { column: 5 }, end: { column: 21 } });
    expect(exprCall(expr("list")).diagnostics.map((d) => d.detail)).toEqual([
      "A static function call is required.",
    ]);
  });

  it("reads relative traversals", () => {
    const r = relTraversalForExpr(expr("a.b[0]"));
    expect(r.diagnostics).toEqual([]);
    expect(r.traversal.map((t) => t.type)).toEqual(["attr", "attr", "index"]);
    expect(relTraversalForExpr(expr("a + 1")).diagnostics.map((d) => d.summary)).toEqual([
      "Invalid expression",
    ]);
  });
});
