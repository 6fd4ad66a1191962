// Deeply nested input must never throw (user input never throws): what the recursive parser and evaluator
// cannot handle becomes a "Nesting too deep" diagnostic.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { formatHCL, parseConfig, parseJSON, parseTemplate } from "../../../src/hcl/index.js";

/** The compiled engine (`npm test` builds dist/ first), for the check that runs in a plain Node process. */
const distHcl = join(import.meta.dirname, "..", "..", "..", "dist", "hcl");

const deep = (open: string, close: string, n: number, inner = "1") =>
  open.repeat(n) + inner + close.repeat(n);

describe("deeply nested input", () => {
  it.each([
    ["brackets", `a = ${deep("[", "]", 20000)}\n`],
    ["parentheses", `a = ${deep("(", ")", 20000)}\n`],
    ["interpolations", `a = ${deep('"${', '}"', 5000)}\n`],
    ["blocks", `${"b {\n".repeat(20000)}${"}\n".repeat(20000)}`],
    ["function calls", `a = ${deep("f(", ")", 20000)}\n`],
  ])("%s: parseConfig and formatHCL report instead of throwing", (_name, src) => {
    const parsed = parseConfig(src, "deep.pkr.hcl");
    expect(parsed.diagnostics.map((d) => d.summary)).toContain("Nesting too deep");
    const formatted = formatHCL(src, "deep.pkr.hcl");
    expect(formatted.output).toBe(src);
    expect(formatted.diagnostics.some((d) => d.severity === "error")).toBe(true);
  });

  it("a long operator chain parses, and evaluating it never throws", () => {
    // Evaluated in a plain Node process: under the test runner's module wrappers a stack overflow can surface
    // as a different error in whichever import binding happens to be read at the limit.
    const script = `
      const h = await import(${JSON.stringify(pathToFileURL(join(distHcl, "index.js")).href)});
      const src = Array.from({ length: 50000 }, () => "1").join(" + ");
      const p = h.parseExpression(src, "chain.hcl");
      h.variables(p.expression);
      const r = p.diagnostics.length > 0 ? p : h.evaluate(p.expression, undefined);
      console.log(JSON.stringify(r.diagnostics.map((d) => d.summary)));`;
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout)).toEqual(["Nesting too deep"]);
  });

  it("templates and JSON report instead of throwing", () => {
    expect(parseTemplate(deep('${"', '"}', 20000), "t.tpl").diagnostics[0]?.summary).toBe("Nesting too deep");
    expect(parseJSON(deep("[", "]", 200000), "deep.pkr.json").diagnostics[0]?.summary).toBe(
      "Nesting too deep",
    );
  });
});
