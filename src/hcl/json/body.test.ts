// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are HCL and JSON source text
import { describe, expect, it } from "vitest";
import type { Body, BodySchema } from "../decode/body.js";
import type { Diagnostic, Range } from "../diagnostic.js";
import type { EvalContext } from "../eval/context.js";
import { numberIntVal, stringVal, valueGoString } from "../value/index.js";
import { isJSONBody, isJSONExpression } from "./index.js";
import { parseHCLFile, parseJSON, parseJSONExpression } from "./parse.js";

function r(range: Range | undefined): string {
  if (range === undefined) return "none";
  const { start: s, end: e } = range;
  return `${s.line}:${s.column}-${e.line}:${e.column}@${s.byte}-${e.byte}`;
}

function summarize(diags: readonly Diagnostic[]): string[] {
  return diags.map((d) => `${d.summary} | ${d.detail} | ${r(d.subject)}`);
}

function body(src: string): Body {
  const { body, diagnostics } = parseJSON(src, "t.json");
  expect(diagnostics).toEqual([]);
  return body;
}

const SOURCE_SCHEMA: BodySchema = {
  attributes: [{ name: "name" }, { name: "count", required: true }],
  blocks: [
    { type: "source", labelNames: ["type", "name"] },
    { type: "provisioner", labelNames: ["type"] },
  ],
};

describe("JSON bodies", () => {
  it("reads attributes and labelled blocks", () => {
    const b = body(`{
  "//": "a comment",
  "count": 2,
  "source": {"docker": {"a": {"image": "x"}, "b": [{"image": "y"}, {"image": "z"}]}},
  "provisioner": [{"shell": {"inline": []}}, {"file": {}}]
}`);
    const { content, diagnostics } = b.content(SOURCE_SCHEMA);
    expect(diagnostics).toEqual([]);
    expect([...content.attributes.keys()]).toEqual(["count"]);
    expect(content.blocks.map((bl) => `${bl.type} ${bl.labels.join(" ")}`)).toEqual([
      "source docker a",
      "source docker b",
      "source docker b",
      "provisioner shell",
      "provisioner file",
    ]);
    const second = content.blocks[1];
    // Blocks in an array share the array's opening bracket as their definition range.
    expect(r(second?.defRange)).toBe("4:51-4:52@87-88");
    expect(r(second?.typeRange)).toBe("4:3-4:11@39-47");
    expect(second?.labelRanges.map(r)).toEqual(["4:14-4:22@50-58", "4:46-4:49@82-85"]);
    const attrs = second?.body.justAttributes();
    expect(valueGoString(attrs?.attributes.get("image")?.expr.value(undefined).value as never)).toBe(
      'cty.StringVal("y")',
    );
  });

  it("reports what the schema does not describe, with suggestions", () => {
    const b = body('{"cont": 1, "sourc": {}, "//": "ok"}');
    expect(summarize(b.content(SOURCE_SCHEMA).diagnostics)).toEqual([
      'Missing required argument | The argument "count" is required, but no definition was found. | 1:36-1:37@35-36',
      'Extraneous JSON object property | No argument or block type is named "cont". Did you mean "count"? | 1:2-1:8@1-7',
      'Extraneous JSON object property | No argument or block type is named "sourc". Did you mean "source"? | 1:13-1:20@12-19',
    ]);
  });

  it("reports an argument set twice", () => {
    const b = body('[{"count": 1}, {"count": 2}]');
    const { content, diagnostics } = b.content(SOURCE_SCHEMA);
    expect(summarize(diagnostics)).toEqual([
      'Duplicate argument | The argument "count" was already set at t.json:1,3-13. | 1:17-1:24@16-23',
    ]);
    expect(r(content.attributes.get("count")?.range)).toBe("1:3-1:13@2-12");
  });

  it("reports missing labels and wrongly typed block values", () => {
    const b = body('{"count": 1, "source": {"docker": {}}, "provisioner": {"shell": "x"}}');
    expect(summarize(b.content(SOURCE_SCHEMA).diagnostics)).toEqual([
      "Missing block label | At least one object property is required, whose name represents the source block's name. | 1:35-1:36@34-35",
      'Incorrect JSON value type | Either a JSON object or a JSON array is required, representing the contents of one or more "provisioner" blocks. | 1:65-1:68@64-67',
    ]);
  });

  it("treats null as no block", () => {
    const b = body('{"count": 1, "provisioner": {"shell": null}}');
    const { content, diagnostics } = b.content(SOURCE_SCHEMA);
    expect(diagnostics).toEqual([]);
    expect(content.blocks).toEqual([]);
  });

  it("reports a body that is not an object, twice from content as HCL does", () => {
    const b = body('{"provisioner": {"shell": ["x"]}}');
    const { content } = b.partialContent(SOURCE_SCHEMA);
    const block = content.blocks[0];
    expect(block?.labels).toEqual(["shell"]);
    const d = block?.body.content({}).diagnostics ?? [];
    expect(summarize(d)).toEqual([
      "Incorrect JSON value type | Either a JSON object or JSON array of objects is required here, to define arguments and child blocks. | 1:28-1:31@27-30",
      "Incorrect JSON value type | Either a JSON object or JSON array of objects is required here, to define arguments and child blocks. | 1:28-1:31@27-30",
    ]);
  });

  it("hides what partialContent used from the remaining body", () => {
    const b = body('{"count": 1, "name": "n", "source": {"a": {"b": {}}}}');
    const first = b.partialContent({
      attributes: [{ name: "count" }],
      blocks: [{ type: "source", labelNames: ["t", "n"] }],
    });
    expect(first.diagnostics).toEqual([]);
    const second = first.remain.content({
      attributes: [{ name: "name" }, { name: "count", required: true }],
    });
    expect([...second.content.attributes.keys()]).toEqual(["name"]);
    expect(summarize(second.diagnostics)).toEqual([
      'Missing required argument | The argument "count" is required, but no definition was found. | 1:53-1:54@52-53',
    ]);
  });

  it("reads just attributes of an object, never of an array", () => {
    const { attributes, diagnostics } = body('{"a": 1, "//": "c", "a": 2, "b": {"x": 1}}').justAttributes();
    expect([...attributes.keys()]).toEqual(["a", "b"]);
    expect(summarize(diagnostics)).toEqual([
      'Duplicate attribute definition | The argument "a" was already set at t.json:1,2-8. | 1:21-1:24@20-23',
    ]);
    expect(summarize(body("[{}]").justAttributes().diagnostics)).toEqual([
      "Incorrect JSON value type | A JSON object is required here, setting the arguments for this block. | 1:1-1:2@0-1",
    ]);
  });

  it("points missing items at the closing brace (object) or the opening bracket (array)", () => {
    expect(r(body('{\n  "a": 1\n}').missingItemRange())).toBe("3:1-3:2@11-12");
    expect(r(body("  [{}]").missingItemRange())).toBe("1:3-1:4@2-3");
  });
});

const CTX: EvalContext = {
  variables: new Map([
    ["name", stringVal("world")],
    ["n", numberIntVal(2)],
  ]),
};

function evalJSON(src: string, ctx: EvalContext | undefined): { value: string; diags: string[] } {
  const { expression, diagnostics } = parseJSONExpression(src, "e.json");
  expect(diagnostics).toEqual([]);
  const res = expression.value(ctx);
  return { value: valueGoString(res.value), diags: summarize(res.diagnostics) };
}

describe("JSON expressions", () => {
  it("evaluates strings literally without a context", () => {
    expect(evalJSON('"Hello ${name}"', undefined).value).toBe('cty.StringVal("Hello ${name}")');
  });

  it("evaluates strings as templates with a context, unwrapping a lone interpolation", () => {
    expect(evalJSON('"Hello ${name}"', CTX).value).toBe('cty.StringVal("Hello world")');
    expect(evalJSON('"${n + 1}"', CTX).value).toBe("cty.NumberIntVal(3)");
  });

  it("parses templates from just after the opening quote", () => {
    const res = evalJSON('  "${nope}"', CTX);
    expect(res.value).toBe("cty.DynamicVal");
    expect(res.diags).toEqual([
      'Unknown variable | There is no variable named "nope". Did you mean "name"? | 1:6-1:10@5-9',
    ]);
  });

  it("evaluates numbers, bools, null, arrays and objects", () => {
    expect(evalJSON('[1, true, null, "x"]', undefined).value).toBe(
      'cty.TupleVal([]cty.Value{cty.NumberIntVal(1), cty.True, cty.NullVal(cty.DynamicPseudoType), cty.StringVal("x")})',
    );
    expect(evalJSON('{"b": 1, "a": {}}', undefined).value).toBe(
      'cty.ObjectVal(map[string]cty.Value{"a":cty.EmptyObjectVal, "b":cty.NumberIntVal(1)})',
    );
  });

  it("evaluates object keys as templates with a context, and reports duplicate keys", () => {
    expect(evalJSON('{"${name}": 1}', CTX).value).toBe(
      'cty.ObjectVal(map[string]cty.Value{"world":cty.NumberIntVal(1)})',
    );
    const dup = evalJSON('{"world": 1, "${name}": 2}', CTX);
    expect(dup.diags).toEqual([
      'Duplicate object attribute | An attribute named "world" was already defined at e.json:1,2-9. | 1:14-1:23@13-22',
    ]);
    expect(evalJSON('{"${null}": 1}', CTX).diags).toEqual([
      "Invalid object key expression | Cannot use null value as an object key. | 1:2-1:11@1-10",
    ]);
  });

  it("reads strings statically as traversals, keywords and calls", () => {
    const { expression } = parseJSONExpression('"var.foo[0]"', "e.json");
    expect(isJSONExpression(expression)).toBe(true);
    const t = expression.asAbsTraversal();
    expect(t?.map((s) => s.type)).toEqual(["root", "attr", "index"]);
    // HCL parses these from the opening quote, not after it.
    expect(r(t?.[0]?.srcRange)).toBe("1:1-1:4@0-3");
    expect(expression.asKeyword()).toBe("");
    expect(parseJSONExpression('"string"', "e.json").expression.asKeyword()).toBe("string");
    const call = parseJSONExpression('"list(string)"', "e.json").expression.asCall();
    expect(call?.name).toBe("list");
    expect(call?.args.map((a) => a.asKeyword())).toEqual(["string"]);
    expect(parseJSONExpression("1", "e.json").expression.asCall()).toBeUndefined();
    expect(parseJSONExpression('"a b"', "e.json").expression.asAbsTraversal()).toBeUndefined();
  });

  it("reads arrays as static lists and objects as static maps", () => {
    const list = parseJSONExpression('["a", 1]', "e.json").expression.asList();
    expect(list?.map((e) => e.asStaticString())).toEqual(["a", undefined]);
    const map = parseJSONExpression('{"k": "v"}', "e.json").expression.asMap();
    expect(map?.map((p) => [p.key.asStaticString(), p.value.asStaticString()])).toEqual([["k", "v"]]);
    expect(parseJSONExpression('"x"', "e.json").expression.asList()).toBeUndefined();
  });

  it("lists the variables referenced by templates, including in keys", () => {
    const { expression } = parseJSONExpression('{"${a.b}": ["${c}", "lit"]}', "e.json");
    const vars = expression.variables();
    expect(vars.map((t) => t.map((s) => ("name" in s ? s.name : s.type)).join("."))).toEqual(["a.b", "c"]);
  });
});

describe("parseHCLFile", () => {
  it("chooses the syntax by file name", () => {
    const j = parseHCLFile('{"a": 1}', "x.pkr.json");
    const n = parseHCLFile("a = 1\n", "x.pkr.hcl");
    expect(isJSONBody(j.body)).toBe(true);
    expect(isJSONBody(n.body)).toBe(false);
    for (const { body: b, diagnostics } of [j, n]) {
      expect(diagnostics).toEqual([]);
      expect(
        valueGoString(b.justAttributes().attributes.get("a")?.expr.value(undefined).value as never),
      ).toBe("cty.NumberIntVal(1)");
    }
  });
});
