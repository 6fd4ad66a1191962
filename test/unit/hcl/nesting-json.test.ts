// Deeply nested JSON-syntax configuration never throws: the parser stops at MAX_NESTING_DEPTH with a located
// "Nesting too deep" error, and every Body and Expression operation over what it returns either works or
// gives that error. The checks that run out of stack on purpose, and the CLI, run in plain Node processes:
// under the test runner a stack overflow can surface as a different error.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { type Body, type Diagnostic, parseJSON, stringVal, type Value } from "../../../src/hcl/index.js";
import { MAX_NESTING_DEPTH } from "../../../src/hcl/json/parser.js";

const root = join(import.meta.dirname, "..", "..", "..");
/** The compiled engine and CLI (`npm test` builds dist/ first), for the checks in a plain Node process. */
const distHcl = join(root, "dist", "hcl", "index.js");
const kiln = join(root, "bin", "kiln.js");

/** `n` objects or arrays around `inner`, the outermost first. */
const objects = (n: number, inner: string) => '{"a":'.repeat(n) + inner + "}".repeat(n);
const arrays = (n: number, inner: string) => "[".repeat(n) + inner + "]".repeat(n);
/** A JSON string holding the template `${expr}`. */
const interp = (expr: string) => `"\${${expr}}"`;

const SCHEMA = {
  attributes: [{ name: "a" }, { name: "locals" }],
  blocks: [{ type: "source", labelNames: ["type", "name"] }, { type: "build" }],
};
const CTX = { variables: new Map<string, Value>([["x", stringVal("v")]]), functions: new Map() };

const summaries = (diags: readonly Diagnostic[]) => diags.map((d) => d.summary);

/** Every read of a body, and of each expression in it: the diagnostics of all of them. */
function readEveryWay(body: Body): Diagnostic[] {
  const out: Diagnostic[] = [];
  const attrs = body.justAttributes();
  out.push(...attrs.diagnostics, ...body.content(SCHEMA).diagnostics);
  const partial = body.partialContent(SCHEMA);
  out.push(...partial.diagnostics, ...partial.remain.justAttributes().diagnostics);
  const exprs = [...attrs.attributes.values(), ...partial.content.attributes.values()].map((a) => a.expr);
  for (const block of partial.content.blocks) {
    const inner = block.body.justAttributes();
    out.push(...inner.diagnostics);
    for (const a of inner.attributes.values()) exprs.push(a.expr);
  }
  for (const e of exprs) {
    out.push(...e.value(undefined).diagnostics, ...e.value(CTX).diagnostics);
    e.variables();
  }
  return out;
}

/** How many tuples or objects nest in a value, following the first element of each. */
function valueDepth(v: Value): number {
  let depth = 0;
  for (;;) {
    const t = v.type;
    let next: Value | undefined;
    if (t.kind === "tuple") next = v.asValueSlice()[0];
    else if (t.kind === "object") next = v.asValueMap().values().next().value;
    if (next === undefined) return depth;
    depth++;
    v = next;
  }
}

describe("deeply nested JSON", () => {
  it.each([
    ["objects", (n: number) => objects(n, interp("x"))],
    ["arrays in an argument", (n: number) => `{"a":${arrays(n - 1, interp("x"))}}`],
    ["a block body", (n: number) => `{"source":{"t":{"n":${objects(n - 3, "1")}}}}`],
    ["arrays of objects", (n: number) => `{"a":${'[{"a":'.repeat(n / 2)}1${"}]".repeat(n / 2)}}`],
  ])("%s: one located error at the first bracket past the limit", (_name, make) => {
    const src = make(5000);
    const r = parseJSON(src, "deep.pkr.json");
    expect(summaries(r.diagnostics)).toEqual(["Nesting too deep"]);
    // The bracket opened at depth MAX_NESTING_DEPTH + 1, in a file of one line.
    let depth = 0;
    let offset = -1;
    for (let i = 0; i < src.length && offset < 0; i++) {
      if (src[i] === "{" || src[i] === "[") depth++;
      if (depth > MAX_NESTING_DEPTH) offset = i;
    }
    expect(r.diagnostics[0]?.subject).toEqual({
      filename: "deep.pkr.json",
      start: { line: 1, column: offset + 1, byte: offset },
      end: { line: 1, column: offset + 2, byte: offset + 1 },
    });
    // What is left reads without any further error (the deep part is an invalid value, read as unknown).
    expect(summaries(readEveryWay(r.body)).filter((s) => s === "Nesting too deep")).toEqual([]);
  });

  it("accepts nesting up to the limit, and the values keep every level", () => {
    const src = `{"a":${arrays(MAX_NESTING_DEPTH - 1, "1")}}`;
    const r = parseJSON(src, "limit.pkr.json");
    expect(r.diagnostics).toEqual([]);
    expect(readEveryWay(r.body)).toEqual([]);
    const a = r.body.justAttributes().attributes.get("a");
    const v = a?.expr.value(CTX).value;
    expect(v && valueDepth(v)).toBe(MAX_NESTING_DEPTH - 1);
    expect(parseJSON(`{"a":${arrays(MAX_NESTING_DEPTH, "1")}}`, "x.pkr.json").diagnostics).toHaveLength(1);
  });

  it("reports one error however many values are too deep, and keeps their neighbours", () => {
    const deep = arrays(MAX_NESTING_DEPTH, "1");
    const r = parseJSON(`{"a":[${deep},${deep},2],"b":${interp("x")}}`, "many.pkr.json");
    expect(summaries(r.diagnostics)).toEqual(["Nesting too deep"]);
    const attrs = r.body.justAttributes().attributes;
    expect(attrs.get("b")?.expr.value(CTX).value.asString()).toBe("v");
    const a = attrs.get("a")?.expr.value(CTX).value.asValueSlice() ?? [];
    expect(a.map((v) => v.isWhollyKnown())).toEqual([false, false, true]);
  });

  it("an unclosed deep value still ends in parse errors, not a throw", () => {
    const r = parseJSON(`{"a":${"[".repeat(5000)}`, "open.pkr.json");
    expect(summaries(r.diagnostics)).toContain("Nesting too deep");
    expect(summaries(r.diagnostics)).toContain("Unclosed object");
  });

  it("every operation works or reports, even with little stack left", () => {
    // A plain Node process per stack size (in KB; Node's default is 984): the smaller ones run out of stack
    // inside the parser or an expression on purpose, which must become the diagnostic, never a throw.
    const script = `
      const h = await import(${JSON.stringify(pathToFileURL(distHcl).href)});
      const n = ${MAX_NESTING_DEPTH};
      const docs = [
        '{"a":' + '{"a":'.repeat(n - 2) + '"\${x}"' + "}".repeat(n - 2) + "}",
        '{"a":' + "[".repeat(n - 1) + '"\${x}"' + "]".repeat(n - 1) + "}",
        '{"source":{"t":{"n":' + '{"a":'.repeat(n - 4) + "1" + "}".repeat(n - 4) + "}}}",
      ];
      const ctx = { variables: new Map([["x", h.stringVal("v")]]), functions: new Map() };
      const schema = { attributes: [{ name: "a" }], blocks: [{ type: "source", labelNames: ["t", "n"] }] };
      const seen = new Set();
      const note = (diags) => { for (const d of diags) seen.add(d.summary + (d.subject ? "@" : "")); };
      for (const src of docs) {
        const p = h.parseJSON(src, "d.pkr.json");
        note(p.diagnostics);
        const body = p.body;
        note(body.content(schema).diagnostics);
        const part = body.partialContent(schema);
        note(part.diagnostics);
        const exprs = [...body.justAttributes().attributes.values()].map((a) => a.expr);
        for (const b of part.content.blocks) exprs.push(...[...b.body.justAttributes().attributes.values()].map((a) => a.expr));
        for (const e of exprs) {
          note(e.value(undefined).diagnostics);
          note(e.value(ctx).diagnostics);
          e.variables();
        }
        note(h.partialDecode(body, { kind: "attr", name: "a", type: h.dynamicType }, ctx).diagnostics);
        note(h.parseJSONExpression(src, "e.json").expression.value(ctx).diagnostics);
      }
      console.log(JSON.stringify([...seen]));`;
    for (const stackKb of [984, 300, 150]) {
      const r = spawnSync(
        process.execPath,
        [`--stack-size=${stackKb}`, "--input-type=module", "-e", script],
        {
          encoding: "utf8",
        },
      );
      expect(r.stderr, `stack ${stackKb} KB`).toBe("");
      const seen = JSON.parse(r.stdout) as string[];
      // Nothing else goes wrong; running out of stack is a located "Nesting too deep".
      expect(seen, `stack ${stackKb} KB`).toEqual(stackKb === 984 ? [] : ["Nesting too deep@"]);
    }
  });
});

describe("deeply nested JSON templates through the CLI", () => {
  const dir = mkdtempSync(join(tmpdir(), "kiln-nesting-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ["an object 5000 levels deep", objects(5000, "1")],
    ["a local 5000 arrays deep", `{"locals":{"x":${arrays(5000, "1")}}}`],
    [
      "a source argument 5000 objects deep",
      `{"source":{"null":{"x":{"communicator":"none","a":${objects(5000, interp("x"))}}}},"build":{"sources":["source.null.x"]}}`,
    ],
  ])("validate of %s exits 1 with the diagnostic, no stack trace", (_name, text) => {
    writeFileSync(join(dir, "deep.pkr.json"), text);
    const r = spawnSync(process.execPath, [kiln, "validate", "deep.pkr.json"], {
      cwd: dir,
      encoding: "utf8",
    });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^Error: Nesting too deep\n\n {2}on deep\.pkr\.json line 1:\n/);
    expect(r.stdout).toContain("This expression or block is nested too deeply");
    const all = r.stdout + r.stderr;
    expect(all).not.toMatch(/internal error|RangeError|\n\s+at /);
    expect(all).not.toContain("Root value must be object");
  });

  it("validate accepts a template nested up to the limit", () => {
    const n = MAX_NESTING_DEPTH - 2;
    writeFileSync(
      join(dir, "limit.pkr.json"),
      `{"locals":{"x":${arrays(n, interp("upper(local.y)"))},"y":"a"},"source":{"null":{"x":{"communicator":"none"}}},"build":{"sources":["source.null.x"]}}`,
    );
    const r = spawnSync(process.execPath, [kiln, "validate", "limit.pkr.json"], {
      cwd: dir,
      encoding: "utf8",
    });
    expect({ status: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({
      status: 0,
      stdout: "The configuration is valid.\n",
      stderr: "",
    });
  });
});
