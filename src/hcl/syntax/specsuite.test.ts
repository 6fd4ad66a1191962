// Runs the native-syntax files of HCL's own specification suite through the parser: syntax errors must be
// reported at exactly the ranges the suite's .t files list, every other file must parse cleanly, and the
// literal-only cases (heredocs, primitive literals) must produce the expected strings.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { corpusDir } from "../../../test/support/corpus.js";
import type { Body, Expression } from "./ast.js";
import { parseConfig } from "./parser.js";
import { exprAsKeyword } from "./variables.js";

const SUITE = join(corpusDir() ?? "/nonexistent", "hcl-specsuite", "tests");
if (!existsSync(SUITE)) console.warn("HCL spec suite not found (see test/support/corpus.ts): skipping");

/** Cases whose listed diagnostics come from decoding against a schema, not from the syntax. */
const DECODE_ONLY = new Set(["structure/attributes/unexpected"]);

function listHcl(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listHcl(p));
    else if (entry.name.endsWith(".hcl")) out.push(p);
  }
  return out.sort();
}

type Static = string | number | boolean | null | Static[] | { [k: string]: Static };

/** Just enough evaluation for literal-only test files. */
function evalStatic(e: Expression, vars: Record<string, Static>): Static {
  switch (e.kind) {
    case "LiteralValue":
      switch (e.value.type) {
        case "string":
          return e.value.value;
        case "number":
          return Number(e.value.text);
        case "bool":
          return e.value.value;
        case "null":
          return null;
        default:
          throw new Error("unknown literal");
      }
    case "TemplateExpr":
      return e.parts.map((p) => String(evalStatic(p, vars))).join("");
    case "TemplateWrapExpr":
      return evalStatic(e.wrapped, vars);
    case "ObjectConsExpr": {
      const o: Record<string, Static> = {};
      for (const item of e.items) {
        const name = exprAsKeyword(item.keyExpr.wrapped);
        o[name !== "" ? name : String(evalStatic(item.keyExpr.wrapped, vars))] = evalStatic(
          item.valueExpr,
          vars,
        );
      }
      return o;
    }
    case "TupleConsExpr":
      return e.exprs.map((x) => evalStatic(x, vars));
    case "ScopeTraversalExpr": {
      const root = e.traversal[0];
      if (e.traversal.length === 1 && root?.type === "root" && root.name in vars)
        return vars[root.name] ?? null;
      throw new Error("unsupported traversal");
    }
    default:
      throw new Error(`unsupported ${e.kind}`);
  }
}

function bodyAttrs(body: Body, vars: Record<string, Static> = {}): Record<string, Static> {
  const o: Record<string, Static> = {};
  for (const [name, attr] of body.attributes) o[name] = evalStatic(attr.expr, vars);
  return o;
}

interface ExpectedRange {
  from: [number, number, number];
  to: [number, number, number];
}

/** The error ranges listed in a .t file's `diagnostics` block. */
function expectedErrors(tBody: Body): ExpectedRange[] | undefined {
  const block = tBody.blocks.find((b) => b.type === "diagnostics");
  if (block === undefined) return undefined;
  const pos = (b: Body): [number, number, number] => {
    const v = bodyAttrs(b);
    return [Number(v.line), Number(v.column), Number(v.byte)];
  };
  return block.body.blocks
    .filter((b) => b.type === "error")
    .map((b) => {
      const from = b.body.blocks.find((x) => x.type === "from");
      const to = b.body.blocks.find((x) => x.type === "to");
      if (from === undefined || to === undefined) throw new Error("malformed .t error block");
      return { from: pos(from.body), to: pos(to.body) };
    });
}

describe.skipIf(!existsSync(SUITE))("HCL spec suite (native syntax)", () => {
  const files = existsSync(SUITE) ? listHcl(SUITE) : [];

  it("finds the suite's files", () => {
    expect(files.length).toBeGreaterThan(10);
  });

  for (const file of files) {
    const name = relative(SUITE, file).replace(/\.hcl$/, "");
    it(name, () => {
      const { diagnostics } = parseConfig(readFileSync(file, "utf8"), file);
      const got = diagnostics
        .filter((d) => d.severity === "error")
        .map((d) => {
          const s = d.subject;
          if (s === undefined) throw new Error("error without subject");
          return {
            from: [s.start.line, s.start.column, s.start.byte],
            to: [s.end.line, s.end.column, s.end.byte],
          };
        });
      const tFile = file.replace(/\.hcl$/, ".t");
      let want: ExpectedRange[] = [];
      if (existsSync(tFile) && !DECODE_ONLY.has(name)) {
        const t = parseConfig(readFileSync(tFile, "utf8"), tFile);
        expect(t.diagnostics).toEqual([]);
        want = expectedErrors(t.body) ?? [];
      }
      expect(got).toEqual(want);
    });
  }

  it("evaluates heredoc literals as the suite expects", () => {
    const dir = join(SUITE, "expressions");
    const src = parseConfig(readFileSync(join(dir, "heredoc.hcl"), "utf8"), "heredoc.hcl");
    const t = parseConfig(readFileSync(join(dir, "heredoc.t"), "utf8"), "heredoc.t");
    expect(src.diagnostics).toEqual([]);
    const vars = { bar: "Bar", space_bar: "  Bar", words: ["Foo", "Bar", "Baz"] };
    const got = bodyAttrs(src.body, vars);
    const result = t.body.attributes.get("result");
    expect(result).toBeDefined();
    expect(got).toEqual(evalStatic(result?.expr as Expression, {}));
  });

  it("evaluates primitive literals as the suite expects (strings NFC-normalized)", () => {
    const dir = join(SUITE, "expressions");
    const src = parseConfig(readFileSync(join(dir, "primitive_literals.hcl"), "utf8"), "p.hcl");
    const t = parseConfig(readFileSync(join(dir, "primitive_literals.t"), "utf8"), "p.t");
    const got = bodyAttrs(src.body);
    const result = t.body.attributes.get("result");
    expect(result).toBeDefined();
    expect(got).toEqual(evalStatic(result?.expr as Expression, {}));
    expect(got.string_unicode_nonnorm).toBe("a\u00f1os");
  });
});
