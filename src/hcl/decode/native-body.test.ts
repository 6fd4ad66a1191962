// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are HCL source text
import { describe, expect, it } from "vitest";
import type { Diagnostic, Range } from "../diagnostic.js";
import { parseConfig } from "../syntax/parser.js";
import { valueGoString } from "../value/index.js";
import type { Body, BodySchema } from "./body.js";
import { nativeBody, nativeExpression, nativeSyntaxOf } from "./native-body.js";
import {
  hclAbsTraversalForExpr,
  hclExprCall,
  hclExprList,
  hclExprMap,
  hclRelTraversalForExpr,
} from "./static.js";

function r(range: Range | undefined): string {
  if (range === undefined) return "none";
  const { start: s, end: e } = range;
  return `${s.line}:${s.column}-${e.line}:${e.column}@${s.byte}-${e.byte}`;
}

function summarize(diags: readonly Diagnostic[]): string[] {
  return diags.map((d) => `${d.summary} | ${d.detail} | ${r(d.subject)}`);
}

function body(src: string): Body {
  const { body, diagnostics } = parseConfig(src, "t.hcl");
  expect(diagnostics).toEqual([]);
  return nativeBody(body);
}

function attrExpr(src: string) {
  const attr = body(`x = ${src}\n`).justAttributes().attributes.get("x");
  if (attr === undefined) throw new Error("no attribute");
  return attr.expr;
}

const SCHEMA: BodySchema = {
  attributes: [{ name: "image", required: true }, { name: "commit" }],
  blocks: [{ type: "provisioner", labelNames: ["type"] }, { type: "changes" }],
};

describe("native bodies", () => {
  it("reads attributes and blocks through a schema", () => {
    const b = body('image = "x"\nprovisioner "shell" {\n  inline = []\n}\nprovisioner "file" {}\n');
    const { content, diagnostics } = b.content(SCHEMA);
    expect(diagnostics).toEqual([]);
    expect([...content.attributes.keys()]).toEqual(["image"]);
    const image = content.attributes.get("image");
    expect(r(image?.range)).toBe("1:1-1:12@0-11");
    expect(r(image?.nameRange)).toBe("1:1-1:6@0-5");
    expect(valueGoString(image?.expr.value(undefined).value as never)).toBe('cty.StringVal("x")');
    expect(content.blocks.map((bl) => bl.labels)).toEqual([["shell"], ["file"]]);
    const first = content.blocks[0];
    expect(r(first?.defRange)).toBe("2:1-2:20@12-31");
    expect(r(first?.typeRange)).toBe("2:1-2:12@12-23");
    expect(first?.labelRanges.map(r)).toEqual(["2:13-2:20@24-31"]);
    expect([...(first?.body.justAttributes().attributes.keys() ?? [])]).toEqual(["inline"]);
  });

  it("reports unsupported arguments and blocks with HCL's suggestions", () => {
    const b = body('imag = "x"\nchanges = 1\nprovisioners "x" {}\ncommit {}\nother {}\n');
    expect(summarize(b.content(SCHEMA).diagnostics)).toEqual([
      'Missing required argument | The argument "image" is required, but no definition was found. | 1:1-1:1@0-0',
      'Unsupported argument | An argument named "imag" is not expected here. Did you mean "image"? | 1:1-1:5@0-4',
      'Unsupported argument | An argument named "changes" is not expected here. Did you mean to define a block of type "changes"? | 2:1-2:8@11-18',
      'Unsupported block type | Blocks of type "provisioners" are not expected here. Did you mean "provisioner"? | 3:1-3:13@23-35',
      'Unsupported block type | Blocks of type "commit" are not expected here. Did you mean to define argument "commit"? If so, use the equals sign to assign it a value. | 4:1-4:7@43-49',
      'Unsupported block type | Blocks of type "other" are not expected here. | 5:1-5:6@53-58',
    ]);
  });

  it("suggests only arguments not defined already", () => {
    const b = body('image = "x"\nimage2 = "y"\n');
    expect(summarize(b.content(SCHEMA).diagnostics)).toEqual([
      'Unsupported argument | An argument named "image2" is not expected here. | 2:1-2:7@12-18',
    ]);
  });

  it("checks the number of labels", () => {
    const b = body('image = "x"\nprovisioner {}\nprovisioner "a" "b" {}\nchanges "x" {}\n');
    const d = b.content(SCHEMA).diagnostics;
    expect(summarize(d)).toEqual([
      "Missing type for provisioner | All provisioner blocks must have 1 labels (type). | 2:13-2:14@24-25",
      "Extraneous label for provisioner | Only 1 labels (type) are expected for provisioner blocks. | 3:17-3:20@43-46",
      "Extraneous label for changes | No labels are expected for changes blocks. | 4:9-4:12@58-61",
    ]);
    expect(d.map((x) => r(x.context))).toEqual(["2:1-2:14@12-25", "3:1-3:22@27-48", "4:1-4:14@50-63"]);
  });

  it("leaves what partialContent did not read for a later pass", () => {
    const b = body('image = "x"\nname = "n"\nchanges {}\nchanges {}\nextra {}\n');
    const first = b.partialContent({ attributes: [{ name: "image" }], blocks: [{ type: "changes" }] });
    expect(first.diagnostics).toEqual([]);
    expect(first.content.blocks).toHaveLength(2);
    const second = first.remain.content({
      attributes: [{ name: "name" }, { name: "image", required: true }],
      blocks: [{ type: "extra" }],
    });
    expect([...second.content.attributes.keys()]).toEqual(["name"]);
    expect(second.content.blocks.map((x) => x.type)).toEqual(["extra"]);
    // image was used by the first pass, so it is missing here; the changes blocks are not reported.
    expect(summarize(second.diagnostics)).toEqual([
      'Missing required argument | The argument "image" is required, but no definition was found. | 1:1-1:1@0-0',
    ]);
    expect([...first.remain.justAttributes().attributes.keys()]).toEqual(["name"]);
  });

  it("reads just attributes, reporting the first block", () => {
    const { attributes, diagnostics } = body("a = 1\nb {}\nc {}\nd = 2\n").justAttributes();
    expect([...attributes.keys()]).toEqual(["a", "d"]);
    expect(summarize(diagnostics)).toEqual([
      'Unexpected "b" block | Blocks are not allowed here. | 2:1-2:2@6-7',
    ]);
  });
});

describe("native expressions", () => {
  it("evaluates through the evaluator and lists its variables", () => {
    const e = attrExpr("[for k in var.list : upper(k) if k != local.skip]");
    expect(e.variables().map((t) => t.map((s) => ("name" in s ? s.name : "")).join("."))).toEqual([
      "var.list",
      "local.skip",
    ]);
    expect(valueGoString(attrExpr('"a${1 + 1}"').value(undefined).value)).toBe('cty.StringVal("a2")');
  });

  it("reads static lists, maps, calls, traversals and keywords", () => {
    expect(hclExprList(attrExpr('["a", b]')).exprs.map((x) => x.asKeyword())).toEqual(["", "b"]);
    const pairs = hclExprMap(attrExpr('{ a = 1, "b" = 2 }')).pairs;
    expect(pairs.map((p) => p.key.asKeyword())).toEqual(["a", ""]);
    expect(pairs.map((p) => valueGoString(p.key.value(undefined).value))).toEqual([
      'cty.StringVal("a")',
      'cty.StringVal("b")',
    ]);
    const call = hclExprCall(attrExpr("map(list(string))")).call;
    expect(call?.name).toBe("map");
    expect(r(call?.argsRange)).toBe("1:8-1:22@7-21");
    expect(call?.args[0]?.asCall()?.args[0]?.asKeyword()).toBe("string");
    const t = hclAbsTraversalForExpr(attrExpr('var.a["k"]'));
    expect(t.diagnostics).toEqual([]);
    expect(t.traversal.map((s) => s.type)).toEqual(["root", "attr", "index"]);
    expect(hclRelTraversalForExpr(attrExpr("a.b")).traversal.map((s) => s.type)).toEqual(["attr", "attr"]);
    expect(attrExpr("null").asKeyword()).toBe("null");
  });

  // The start range of `f(1) + 2` is that of its left operand's call, `f(`.
  it("reports expressions that are not of the static form asked for", () => {
    const e = attrExpr("f(1) + 2");
    expect(summarize(hclExprList(e).diagnostics)).toEqual([
      "Invalid expression | A static list expression is required. | 1:5-1:7@4-6",
    ]);
    expect(summarize(hclExprMap(e).diagnostics)).toEqual([
      "Invalid expression | A static map expression is required. | 1:5-1:7@4-6",
    ]);
    expect(summarize(hclExprCall(e).diagnostics)).toEqual([
      "Invalid expression | A static function call is required. | 1:5-1:7@4-6",
    ]);
    expect(summarize(hclAbsTraversalForExpr(e).diagnostics)).toEqual([
      "Invalid expression | A single static variable reference is required: only attribute access and indexing with constant keys. No calculations, function calls, template expressions, etc are allowed here. | 1:5-1:13@4-12",
    ]);
  });

  it("reads literal strings statically, and only those", () => {
    expect(attrExpr('"plain"').asStaticString()).toBe("plain");
    expect(attrExpr('""').asStaticString()).toBe("");
    expect(attrExpr("<<EOT\nhello\nEOT").asStaticString()).toBe("hello\n");
    expect(attrExpr('"a${b}"').asStaticString()).toBeUndefined();
    expect(attrExpr("1").asStaticString()).toBeUndefined();
  });

  it("exposes its native syntax", () => {
    const e = attrExpr("list(string)");
    expect(nativeSyntaxOf(e)?.kind).toBe("FunctionCallExpr");
    expect(e.asNativeSyntax()?.kind).toBe("FunctionCallExpr");
    const syntax = nativeSyntaxOf(e);
    if (syntax === undefined) throw new Error("no syntax");
    expect(nativeExpression(syntax).range).toEqual(syntax.srcRange);
  });
});
