/**
 * HCL's specification suite (hashicorp/hcl specsuite/tests, copied to ../shared/corpus/hcl-specsuite),
 * run with the semantics of HCL's own harness (cmd/hclspecsuite driving cmd/hcldec):
 *
 * - every `X.t` names a test; its `X.hcldec` spec is applied to `X.hcl` and to `X.hcl.json`, whichever
 *   exist, each input being a separate case;
 * - the spec file's `variables` become the evaluation context (no context at all when there are none);
 * - input parse errors, or decode errors, are the case's diagnostics; otherwise the result value goes
 *   through cty's typed JSON encoding and back, as it does between hcldec and the harness;
 * - `diagnostics { error { from {...} to {...} } }`: the set of (severity, subject range) of the
 *   diagnostics about the input file must equal the expected set exactly; any other diagnostic fails;
 * - otherwise there must be no diagnostics, the result must conform to `result_type` and (if given) be
 *   exactly equal to `result` converted to `result_type`;
 * - `traversals { expect { ref = a.b  range { from {...} to {...} } } }`: the variables the input
 *   references under the spec must be exactly those, at those ranges.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import {
  type Body,
  decode,
  type HclBlock,
  hclAbsTraversalForExpr,
  loadSpecFile,
  nativeSyntaxOf,
  specVariables,
} from "../../src/hcl/decode/index.js";
import type { Diagnostic, Pos, Range } from "../../src/hcl/diagnostic.js";
import type { EvalContext } from "../../src/hcl/eval/context.js";
import { parseTypeConstraintWithoutDefaults } from "../../src/hcl/eval/type-expr.js";
import { parseHCLFile } from "../../src/hcl/json/index.js";
import type { Traversal } from "../../src/hcl/syntax/ast.js";
import {
  conformanceErrors,
  convert,
  dynamicType,
  rawEquals,
  type Type,
  typeString,
  type Value,
  valueFromJSON,
  valueGoString,
  valueToJSON,
} from "../../src/hcl/value/index.js";
import { corpusDir } from "../support/corpus.js";

const SUITE = process.env.HCL_SPECSUITE_DIR ?? join(corpusDir() ?? "/nonexistent", "hcl-specsuite", "tests");

// ---------------------------------------------------------------------------------------------------------
// Test files (.t)

interface ExpectDiag {
  severity: "error" | "warning";
  range: Omit<Range, "filename">;
}

interface ExpectTraversal {
  traversal: Traversal;
  range: Omit<Range, "filename">;
}

interface TestFile {
  resultType: Type;
  result: Value | undefined;
  checksTraversals: boolean;
  expectedTraversals: ExpectTraversal[];
  expectedDiags: ExpectDiag[];
}

function fail(diags: readonly Diagnostic[]): string[] {
  return diags.filter((d) => d.severity === "error").map(describeDiag);
}

function describeDiag(d: Diagnostic): string {
  const r = d.subject;
  const at = r === undefined ? "" : ` at ${rangeText(r)}`;
  return `${d.severity}: ${d.summary}${d.detail !== undefined ? `: ${d.detail}` : ""}${at}`;
}

function rangeText(r: Omit<Range, "filename">): string {
  return `line ${r.start.line} column ${r.start.column} byte ${r.start.byte} to line ${r.end.line} column ${r.end.column} byte ${r.end.byte}`;
}

function posFrom(body: Body, problems: string[]): Pos {
  const { content, diagnostics } = body.content({
    attributes: [
      { name: "line", required: true },
      { name: "column", required: true },
      { name: "byte", required: true },
    ],
  });
  problems.push(...fail(diagnostics));
  const num = (name: string): number => {
    const attr = content.attributes.get(name);
    if (attr === undefined) return 0;
    const r = attr.expr.value(undefined);
    problems.push(...fail(r.diagnostics));
    return r.value.type.kind === "number" && r.value.isKnown() && !r.value.isNull() ? r.value.asNumber() : 0;
  };
  return { line: num("line"), column: num("column"), byte: num("byte") };
}

function rangeFrom(body: Body, problems: string[]): { range: Omit<Range, "filename">; remain: Body } {
  const { content, remain, diagnostics } = body.partialContent({
    blocks: [{ type: "from" }, { type: "to" }],
  });
  problems.push(...fail(diagnostics));
  const zero: Pos = { line: 0, column: 0, byte: 0 };
  let start = zero;
  let end = zero;
  for (const block of content.blocks) {
    if (block.type === "from") start = posFrom(block.body, problems);
    else end = posFrom(block.body, problems);
  }
  return { range: { start, end }, remain };
}

function loadTestFile(filename: string): { tf: TestFile; problems: string[] } {
  const problems: string[] = [];
  const parsed = parseHCLFile(readFileSync(filename, "utf8"), filename);
  problems.push(...fail(parsed.diagnostics));
  const { content, diagnostics } = parsed.body.content({
    attributes: [{ name: "result" }, { name: "result_type" }],
    blocks: [{ type: "traversals" }, { type: "diagnostics" }],
  });
  problems.push(...fail(diagnostics));
  const tf: TestFile = {
    resultType: dynamicType,
    result: undefined,
    checksTraversals: false,
    expectedTraversals: [],
    expectedDiags: [],
  };

  const typeAttr = content.attributes.get("result_type");
  if (typeAttr !== undefined) {
    const syntax = nativeSyntaxOf(typeAttr.expr);
    if (syntax === undefined) {
      problems.push("result_type is not a native-syntax expression");
    } else {
      const t = parseTypeConstraintWithoutDefaults(syntax);
      problems.push(...fail(t.diagnostics));
      tf.resultType = t.type;
    }
  }
  const resultAttr = content.attributes.get("result");
  if (resultAttr !== undefined) {
    const r = resultAttr.expr.value(undefined);
    problems.push(...fail(r.diagnostics));
    const conv = convert(r.value, tf.resultType);
    if (conv.ok) tf.result = conv.value;
    else problems.push(`Invalid result value: ${conv.error.message}`);
  }

  for (const block of content.blocks) {
    if (block.type === "traversals") {
      tf.checksTraversals = true;
      const t = block.body.content({ blocks: [{ type: "expect" }] });
      problems.push(...fail(t.diagnostics));
      for (const expectBlock of t.content.blocks)
        tf.expectedTraversals.push(expectTraversal(expectBlock, problems));
    } else {
      const d = block.body.content({ blocks: [{ type: "error" }, { type: "warning" }] });
      problems.push(...fail(d.diagnostics));
      if (d.content.blocks.length === 0) problems.push("Empty diagnostics block");
      for (const e of d.content.blocks) {
        const { range, remain } = rangeFrom(e.body, problems);
        problems.push(...fail(remain.content({}).diagnostics));
        tf.expectedDiags.push({ severity: e.type === "error" ? "error" : "warning", range });
      }
    }
  }
  if (tf.result !== undefined && tf.expectedDiags.length > 0) problems.push("Conflicting spec expectations");
  return { tf, problems };
}

function expectTraversal(block: HclBlock, problems: string[]): ExpectTraversal {
  const { range, remain } = rangeFrom(block.body, problems);
  const { content, diagnostics } = remain.content({
    attributes: [{ name: "ref", required: true }],
    blocks: [{ type: "range" }],
  });
  problems.push(...fail(diagnostics));
  const ref = content.attributes.get("ref");
  let traversal: Traversal = [];
  if (ref !== undefined) {
    const t = hclAbsTraversalForExpr(ref.expr);
    problems.push(...fail(t.diagnostics));
    traversal = t.traversal;
  }
  return { traversal, range };
}

// ---------------------------------------------------------------------------------------------------------
// Running one input through the spec (what hcldec does)

interface HcldecOutcome {
  value: Value | undefined;
  diagnostics: Diagnostic[];
}

function loadSpec(specFilename: string): {
  spec: ReturnType<typeof loadSpecFile>;
  diagnostics: Diagnostic[];
} {
  const parsed = parseHCLFile(readFileSync(specFilename, "utf8"), specFilename);
  const spec = loadSpecFile(parsed.body);
  return { spec, diagnostics: [...parsed.diagnostics, ...spec.diagnostics] };
}

function contextFor(variables: Map<string, Value>): EvalContext | undefined {
  // hcldec gives no context at all when there are no variables, so that references are "not allowed".
  return variables.size === 0 ? undefined : { variables };
}

function hcldecTransform(specFilename: string, inputFilename: string): HcldecOutcome {
  const { spec, diagnostics: specDiags } = loadSpec(specFilename);
  if (specDiags.some((d) => d.severity === "error")) return { value: undefined, diagnostics: specDiags };
  const parsed = parseHCLFile(readFileSync(inputFilename, "utf8"), inputFilename);
  if (parsed.diagnostics.some((d) => d.severity === "error")) {
    return { value: undefined, diagnostics: parsed.diagnostics };
  }
  const { value, diagnostics } = decode(parsed.body, spec.spec, contextFor(spec.variables));
  const all = [...specDiags, ...parsed.diagnostics, ...diagnostics];
  if (all.some((d) => d.severity === "error")) return { value: undefined, diagnostics: all };

  // hcldec prints the value as typed JSON (--with-type) and the harness reads it back.
  const json = valueToJSON(value, dynamicType);
  if (!json.ok)
    return { value: undefined, diagnostics: [{ severity: "error", summary: json.error.message }] };
  const back = valueFromJSON(json.json, dynamicType);
  if (!back.ok)
    return { value: undefined, diagnostics: [{ severity: "error", summary: back.error.message }] };
  return { value: back.value, diagnostics: [] };
}

function hcldecVariables(
  specFilename: string,
  inputFilename: string,
): { traversals: Traversal[]; problems: string[] } {
  const { spec, diagnostics } = loadSpec(specFilename);
  const problems = fail(diagnostics);
  const parsed = parseHCLFile(readFileSync(inputFilename, "utf8"), inputFilename);
  problems.push(...fail(parsed.diagnostics));
  if (problems.length > 0) return { traversals: [], problems };
  return { traversals: specVariables(parsed.body, spec.spec), problems };
}

function traversalRange(t: Traversal): Range | undefined {
  const first = t[0];
  const last = t[t.length - 1];
  if (first === undefined || last === undefined) return undefined;
  return { filename: first.srcRange.filename, start: first.srcRange.start, end: last.srcRange.end };
}

function traversalsEquivalent(a: Traversal, b: Traversal): boolean {
  if (a.length !== b.length) return false;
  return a.every((step, i) => {
    const other = b[i];
    if (other === undefined || other.type !== step.type) return false;
    if (step.type === "root" || step.type === "attr") return (other as typeof step).name === step.name;
    if (step.type === "index") return JSON.stringify((other as typeof step).key) === JSON.stringify(step.key);
    return false;
  });
}

function samePos(a: Pos, b: Pos): boolean {
  return a.line === b.line && a.column === b.column && a.byte === b.byte;
}

/** What the harness would report for one input file: empty when the case passes. */
function runTestInput(specFilename: string, inputFilename: string, tf: TestFile): string[] {
  const problems: string[] = [];

  if (tf.checksTraversals) {
    const got = hcldecVariables(specFilename, inputFilename);
    problems.push(...got.problems);
    if (got.problems.length === 0) {
      for (const t of got.traversals) {
        const match = tf.expectedTraversals.find((e) => traversalsEquivalent(e.traversal, t));
        const r = traversalRange(t);
        if (match === undefined || r === undefined) {
          problems.push(`Unexpected traversal at ${r === undefined ? "?" : rangeText(r)}`);
        } else if (!samePos(r.start, match.range.start) || !samePos(r.end, match.range.end)) {
          problems.push(`Traversal at ${rangeText(r)}, expected at ${rangeText(match.range)}`);
        }
      }
      for (const e of tf.expectedTraversals) {
        if (!got.traversals.some((t) => traversalsEquivalent(t, e.traversal))) {
          problems.push(`Missing expected traversal at ${rangeText(e.range)}`);
        }
      }
    }
  }

  const { value, diagnostics } = hcldecTransform(specFilename, inputFilename);
  if (tf.expectedDiags.length === 0) {
    problems.push(...diagnostics.map(describeDiag));
    if (value === undefined) return problems;
    if (conformanceErrors(value.type, tf.resultType).length > 0) {
      problems.push(
        `Incorrect result type: produced ${typeString(value.type)}, expected ${typeString(tf.resultType)}`,
      );
    }
    if (tf.result !== undefined) {
      const cmp = convert(tf.result, tf.resultType);
      if (!cmp.ok) {
        problems.push(`Incorrect type for result value: ${cmp.error.message}`);
      } else if (!rawEquals(value, cmp.value)) {
        problems.push(
          `Incorrect result value: produced ${valueGoString(value)}, expected ${valueGoString(cmp.value)}`,
        );
      }
    }
    return problems;
  }

  const key = (severity: string, r: Omit<Range, "filename">): string => `${severity} ${rangeText(r)}`;
  const got = new Map<string, Diagnostic>();
  for (const d of diagnostics) {
    // Diagnostics without a range, or about another file, can never be expected.
    if (d.subject === undefined || d.subject.filename !== inputFilename) {
      problems.push(describeDiag(d));
      continue;
    }
    got.set(key(d.severity, d.subject), d);
  }
  const want = new Set(tf.expectedDiags.map((e) => key(e.severity, e.range)));
  for (const [k, d] of got) {
    if (!want.has(k)) problems.push(`Unexpected diagnostic: ${describeDiag(d)}`);
  }
  for (const k of want) {
    if (!got.has(k)) problems.push(`Missing expected diagnostic: ${k}`);
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------------

/** The suite's test names in the harness's order: a directory's tests, then its subdirectories. */
function listTests(dir: string): string[] {
  const entries = readdirSync(dir, { withFileTypes: true }).filter((e) => !e.name.startsWith("."));
  const tests = entries
    .filter((e) => e.isFile() && e.name.endsWith(".t"))
    .map((e) => join(dir, e.name))
    .sort();
  const subDirs = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return [...tests, ...subDirs.flatMap((d) => listTests(join(dir, d)))];
}

const present = existsSync(SUITE);
if (!present) {
  console.warn(`HCL specification suite not found at ${SUITE}; skipping its conformance tests.`);
}

describe.skipIf(!present)("HCL specification suite", () => {
  const tests = present ? listTests(SUITE) : [];

  it("has the whole suite (46 files, 15 tests)", () => {
    const count = (dir: string): number =>
      readdirSync(dir, { withFileTypes: true }).reduce(
        (n, e) => n + (e.isDirectory() ? count(join(dir, e.name)) : 1),
        0,
      );
    expect(count(SUITE)).toBe(46);
    expect(tests.length).toBe(15);
  });

  describe.each(tests.map((t) => [relative(SUITE, t).slice(0, -2), t]))("%s", (_name, testFile) => {
    const base = testFile.slice(0, -2);
    const inputs = [`${base}.hcl`, `${base}.hcl.json`].filter((f) => existsSync(f));

    it("has a spec and at least one input", () => {
      expect(existsSync(`${base}.hcldec`)).toBe(true);
      expect(inputs.length).toBeGreaterThan(0);
    });

    it.each(inputs.map((f) => [relative(SUITE, f), f]))("%s", (_inputName, input) => {
      const { tf, problems } = loadTestFile(testFile);
      expect(problems).toEqual([]);
      expect(runTestInput(`${base}.hcldec`, input, tf)).toEqual([]);
    });
  });
});
