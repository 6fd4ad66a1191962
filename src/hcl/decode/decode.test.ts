import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../diagnostic.js";
import { parseJSON } from "../json/parse.js";
import { formatRange } from "../syntax/go-compat.js";
import { parseConfig } from "../syntax/parser.js";
import {
  boolType,
  dynamicType,
  listType,
  mapType,
  numberIntVal,
  numberType,
  SENSITIVE,
  stringType,
  stringVal,
  typeString,
  valueGoString,
} from "../value/index.js";
import type { Body } from "./body.js";
import {
  childBlockTypes,
  decode,
  impliedSchema,
  impliedType,
  partialDecode,
  specSourceRange,
  specVariables,
} from "./decode.js";
import { nativeBody } from "./native-body.js";
import type { Spec } from "./spec.js";

function hcl(src: string): Body {
  const { body, diagnostics } = parseConfig(src, "t.hcl");
  expect(diagnostics).toEqual([]);
  return nativeBody(body);
}

function summarize(diags: readonly Diagnostic[]): string[] {
  return diags.map(
    (d) =>
      `${d.severity}: ${d.summary} | ${d.detail} | ${d.subject === undefined ? "none" : formatRange(d.subject)}`,
  );
}

function run(body: Body, spec: Spec): { value: string; diags: string[] } {
  const { value, diagnostics } = decode(body, spec);
  return { value: valueGoString(value), diags: summarize(diagnostics) };
}

const DOCKER: Spec = {
  kind: "object",
  attributes: {
    image: { kind: "attr", name: "image", type: stringType, required: true },
    commit: { kind: "attr", name: "commit", type: boolType },
    changes: { kind: "attr", name: "changes", type: listType(stringType) },
  },
};

describe("decode: attributes", () => {
  it("converts attribute values and gives null for absent ones", () => {
    expect(run(hcl('image = "ubuntu"\ncommit = "true"\n'), DOCKER)).toEqual({
      value:
        'cty.ObjectVal(map[string]cty.Value{"changes":cty.NullVal(cty.List(cty.String)), "commit":cty.True, "image":cty.StringVal("ubuntu")})',
      diags: [],
    });
  });

  it("reports values of the wrong type, leaving an unknown", () => {
    const { value, diags } = run(hcl('image = "x"\nchanges = "a"\n'), DOCKER);
    expect(diags).toEqual([
      'error: Incorrect attribute value type | Inappropriate value for attribute "changes": list of string required. | t.hcl:2,11-14',
    ]);
    expect(value).toContain('"changes":cty.UnknownVal(cty.List(cty.String))');
  });

  it("puts the whole definition in the diagnostic's context", () => {
    const { diagnostics } = decode(hcl('image = "x"\ncommit = [1]\n'), DOCKER);
    expect(diagnostics[0]?.context === undefined ? "" : formatRange(diagnostics[0].context)).toBe(
      "t.hcl:2,1-13",
    );
  });

  it("reports unknown and missing arguments", () => {
    expect(run(hcl('imgae = "x"\n'), DOCKER).diags).toEqual([
      'error: Missing required argument | The argument "image" is required, but no definition was found. | t.hcl:1,1-1',
      'error: Unsupported argument | An argument named "imgae" is not expected here. Did you mean "image"? | t.hcl:1,1-6',
    ]);
  });

  it("keeps a value's own type for attributes of type any", () => {
    const spec: Spec = { kind: "attr", name: "v", type: dynamicType };
    expect(run(hcl('v = [1, "a"]\n'), spec).value).toBe(
      'cty.TupleVal([]cty.Value{cty.NumberIntVal(1), cty.StringVal("a")})',
    );
  });

  it("decodes the same way from JSON", () => {
    const { body, diagnostics } = parseJSON('{"image": "ubuntu", "commit": true}', "t.json");
    expect(diagnostics).toEqual([]);
    expect(run(body, DOCKER).value).toBe(
      'cty.ObjectVal(map[string]cty.Value{"changes":cty.NullVal(cty.List(cty.String)), "commit":cty.True, "image":cty.StringVal("ubuntu")})',
    );
  });
});

const DISK: Spec = {
  kind: "object",
  attributes: { size: { kind: "attr", name: "size", type: numberType } },
};

describe("decode: blocks", () => {
  it("decodes one block, reporting a duplicate or a missing required one", () => {
    const spec: Spec = { kind: "block", typeName: "disk", nested: DISK, required: true };
    expect(run(hcl("disk {\n  size = 10\n}\n"), spec)).toEqual({
      value: 'cty.ObjectVal(map[string]cty.Value{"size":cty.NumberIntVal(10)})',
      diags: [],
    });
    expect(run(hcl("disk {}\ndisk {}\n"), spec).diags).toEqual([
      'error: Duplicate disk block | Only one block of type "disk" is allowed. Previous definition was at t.hcl:1,1-5. | t.hcl:2,1-5',
    ]);
    expect(run(hcl(""), spec)).toEqual({
      value: 'cty.NullVal(cty.Object(map[string]cty.Type{"size":cty.Number}))',
      diags: ['error: Missing disk block | A block of type "disk" is required here. | t.hcl:1,1-1'],
    });
  });

  // An object spec's source range is where its body starts: the block's opening brace.
  it("decodes lists of blocks with item limits", () => {
    const spec: Spec = { kind: "blockList", typeName: "disk", nested: DISK, minItems: 1, maxItems: 2 };
    expect(run(hcl("disk {\n  size = 1\n}\ndisk {\n  size = 2\n}\n"), spec).value).toBe(
      'cty.ListVal([]cty.Value{cty.ObjectVal(map[string]cty.Value{"size":cty.NumberIntVal(1)}), cty.ObjectVal(map[string]cty.Value{"size":cty.NumberIntVal(2)})})',
    );
    expect(run(hcl(""), spec)).toEqual({
      value: 'cty.ListValEmpty(cty.Object(map[string]cty.Type{"size":cty.Number}))',
      diags: ['error: Insufficient disk blocks | At least 1 "disk" blocks are required. | t.hcl:1,1-1'],
    });
    expect(run(hcl("disk {}\ndisk {}\ndisk {\n  size = 3\n}\n"), spec).diags).toEqual([
      'error: Too many disk blocks | No more than 2 "disk" blocks are allowed | t.hcl:3,6-6',
    ]);
  });

  it("unifies blocks with attributes of type any, or reports that it cannot", () => {
    const spec: Spec = {
      kind: "blockList",
      typeName: "tag",
      nested: { kind: "object", attributes: { v: { kind: "attr", name: "v", type: dynamicType } } },
    };
    expect(run(hcl('tag {\n  v = 1\n}\ntag {\n  v = "2"\n}\n'), spec).value).toBe(
      'cty.ListVal([]cty.Value{cty.ObjectVal(map[string]cty.Value{"v":cty.StringVal("1")}), cty.ObjectVal(map[string]cty.Value{"v":cty.StringVal("2")})})',
    );
    expect(run(hcl("tag {\n  v = 1\n}\ntag {\n  v = [1]\n}\n"), spec)).toEqual({
      value: "cty.DynamicVal",
      diags: [
        "error: Unconsistent argument types in tag blocks | Corresponding attributes in all blocks of this type must be the same. | t.hcl:1,5-5",
      ],
    });
  });

  it("decodes sets and tuples of blocks", () => {
    const set: Spec = { kind: "blockSet", typeName: "disk", nested: DISK };
    expect(run(hcl("disk {\n  size = 1\n}\ndisk {\n  size = 1\n}\n"), set).value).toBe(
      'cty.SetVal([]cty.Value{cty.ObjectVal(map[string]cty.Value{"size":cty.NumberIntVal(1)})})',
    );
    const tuple: Spec = { kind: "blockTuple", typeName: "disk", nested: DISK };
    expect(run(hcl(""), tuple).value).toBe("cty.EmptyTupleVal");
  });

  it("decodes maps of labelled blocks and reports duplicate labels", () => {
    const spec: Spec = { kind: "blockMap", typeName: "disk", labelNames: ["bus", "name"], nested: DISK };
    expect(impliedType(spec)).toEqual(mapType(mapType(impliedType(DISK))));
    const { value, diags } = run(
      hcl('disk "scsi" "a" {\n  size = 1\n}\ndisk "scsi" "b" {}\ndisk "ide" "a" {}\ndisk "scsi" "a" {}\n'),
      spec,
    );
    expect(value).toBe(
      'cty.MapVal(map[string]cty.Value{"ide":cty.MapVal(map[string]cty.Value{"a":cty.ObjectVal(map[string]cty.Value{"size":cty.NullVal(cty.Number)})}), "scsi":cty.MapVal(map[string]cty.Value{"a":cty.ObjectVal(map[string]cty.Value{"size":cty.NumberIntVal(1)}), "b":cty.ObjectVal(map[string]cty.Value{"size":cty.NullVal(cty.Number)})})})',
    );
    expect(diags).toEqual([
      'error: Duplicate disk block | A block for disk "scsi" "a" was already defined. The disk labels must be unique. | t.hcl:6,1-16',
    ]);
    expect(run(hcl('disk "x" {}\n'), spec).diags).toEqual([
      "error: Missing name for disk | All disk blocks must have 2 labels (bus, name). | t.hcl:1,10-11",
    ]);
  });

  it("decodes objects of labelled blocks whose types may differ", () => {
    const spec: Spec = {
      kind: "blockObject",
      typeName: "var",
      labelNames: ["name"],
      nested: { kind: "attr", name: "default", type: dynamicType },
    };
    expect(run(hcl('var "a" {\n  default = 1\n}\nvar "b" {\n  default = "x"\n}\n'), spec).value).toBe(
      'cty.ObjectVal(map[string]cty.Value{"a":cty.NumberIntVal(1), "b":cty.StringVal("x")})',
    );
  });

  it("reads block labels with label specs, which set the label count", () => {
    const spec: Spec = {
      kind: "blockList",
      typeName: "source",
      nested: {
        kind: "object",
        attributes: {
          type: { kind: "label", index: 0, name: "type" },
          name: { kind: "label", index: 1, name: "name" },
        },
      },
    };
    expect(impliedSchema(spec)).toEqual({
      attributes: [],
      blocks: [{ type: "source", labelNames: ["type", "name"] }],
    });
    expect(run(hcl('source "docker" "x" {}\n'), spec).value).toBe(
      'cty.ListVal([]cty.Value{cty.ObjectVal(map[string]cty.Value{"name":cty.StringVal("x"), "type":cty.StringVal("docker")})})',
    );
    expect(() => decode(hcl(""), { kind: "label", index: 0, name: "x" })).toThrow(/outside of a block/);
  });

  it("reads a block's arguments as a map", () => {
    const spec: Spec = { kind: "blockAttrs", typeName: "tags", elementType: stringType, required: true };
    expect(run(hcl('tags {\n  a = 1\n  b = "x"\n}\n'), spec).value).toBe(
      'cty.MapVal(map[string]cty.Value{"a":cty.StringVal("1"), "b":cty.StringVal("x")})',
    );
    expect(run(hcl("tags {\n  a = [1]\n}\n"), spec).diags).toEqual([
      'error: Invalid attribute value | Invalid value for attribute of "tags" block: string required. | t.hcl:2,7-10',
    ]);
    expect(run(hcl("tags {\n  x {}\n}\n"), spec)).toEqual({
      value: "cty.MapValEmpty(cty.String)",
      diags: ['error: Unexpected "x" block | Blocks are not allowed here. | t.hcl:2,3-4'],
    });
    expect(run(hcl(""), spec).diags).toEqual([
      'error: Missing tags block | A block of type "tags" is required here. | t.hcl:1,1-1',
    ]);
  });
});

describe("decode: combinators", () => {
  it("falls back to the default when the primary is null", () => {
    const spec: Spec = {
      kind: "default",
      primary: { kind: "attr", name: "port", type: numberType },
      default: { kind: "literal", value: numberIntVal(22) },
    };
    expect(run(hcl(""), spec).value).toBe("cty.NumberIntVal(22)");
    expect(run(hcl("port = 2222\n"), spec).value).toBe("cty.NumberIntVal(2222)");
  });

  it("transforms and validates decoded values", () => {
    const upper: Spec = {
      kind: "transform",
      wrapped: { kind: "attr", name: "name", type: stringType },
      transform: (v) => ({ value: stringVal(v.asString().toUpperCase()) }),
      type: stringType,
    };
    expect(run(hcl('name = "abc"\n'), upper).value).toBe('cty.StringVal("ABC")');
    // The function is not run after an error.
    expect(run(hcl("name = [1]\n"), upper).value).toBe("cty.UnknownVal(cty.String)");

    const positive: Spec = {
      kind: "validate",
      wrapped: { kind: "attr", name: "n", type: numberType },
      validate: (v) =>
        v.asBigFloat().sign() > 0
          ? []
          : [{ severity: "error", summary: "Invalid n", detail: "n must be positive." }],
    };
    expect(run(hcl("n = -1\n"), positive).diags).toEqual([
      "error: Invalid n | n must be positive. | t.hcl:1,5-7",
    ]);
  });

  it("decodes tuples and literals", () => {
    const spec: Spec = {
      kind: "tuple",
      elements: [
        { kind: "literal", value: stringVal("x") },
        { kind: "attr", name: "a", type: stringType },
      ],
    };
    expect(run(hcl('a = "y"\n'), spec).value).toBe(
      'cty.TupleVal([]cty.Value{cty.StringVal("x"), cty.StringVal("y")})',
    );
  });

  it("puts a body's marks on the values decoded from it", () => {
    /** A body whose nested blocks' bodies carry the sensitive mark. */
    const markBlocks = (inner: Body): Body => ({
      content: (schema) => {
        const r = inner.content(schema);
        const blocks = r.content.blocks.map((b) => ({
          ...b,
          body: Object.assign(Object.create(b.body) as Body, { valueMarks: () => new Set([SENSITIVE]) }),
        }));
        return { content: { ...r.content, blocks }, diagnostics: r.diagnostics };
      },
      partialContent: (schema) => inner.partialContent(schema),
      justAttributes: () => inner.justAttributes(),
      missingItemRange: () => inner.missingItemRange(),
    });
    const { value } = decode(markBlocks(hcl("disk {\n  size = 1\n}\n")), {
      kind: "blockList",
      typeName: "disk",
      nested: DISK,
    });
    expect(value.asValueSlice()[0]?.hasMark(SENSITIVE)).toBe(true);
  });

  it("decodes labelled blocks from JSON", () => {
    const { body, diagnostics } = parseJSON(
      '{"disk": {"scsi": {"a": {"size": 1}}, "ide": [{"b": {}}]}}',
      "t.json",
    );
    expect(diagnostics).toEqual([]);
    const spec: Spec = { kind: "blockMap", typeName: "disk", labelNames: ["bus", "name"], nested: DISK };
    expect(run(body, spec).value).toBe(
      'cty.MapVal(map[string]cty.Value{"ide":cty.MapVal(map[string]cty.Value{"b":cty.ObjectVal(map[string]cty.Value{"size":cty.NullVal(cty.Number)})}), "scsi":cty.MapVal(map[string]cty.Value{"a":cty.ObjectVal(map[string]cty.Value{"size":cty.NumberIntVal(1)})})})',
    );
  });
});

describe("partialDecode", () => {
  it("leaves what the spec does not describe", () => {
    const body = hcl('image = "x"\nextra = 1\n');
    const { value, remain, diagnostics } = partialDecode(body, DOCKER);
    expect(diagnostics).toEqual([]);
    expect(valueGoString(value)).toContain('"image":cty.StringVal("x")');
    expect([...remain.justAttributes().attributes.keys()]).toEqual(["extra"]);
  });
});

describe("spec analysis", () => {
  it("gives the implied type of a spec", () => {
    expect(typeString(impliedType(DOCKER))).toBe("object({changes=list(string),commit=bool,image=string})");
    expect(typeString(impliedType({ kind: "blockSet", typeName: "d", nested: DISK }))).toBe(
      "set(object({size=number}))",
    );
    expect(impliedType({ kind: "blockTuple", typeName: "d", nested: DISK })).toEqual(dynamicType);
    expect(impliedType({ kind: "object", attributes: {} })).toEqual(
      impliedType({ kind: "object", attributes: {} }),
    );
  });

  it("lists the block types a spec expects with their nested specs", () => {
    const spec: Spec = {
      kind: "object",
      attributes: {
        disks: { kind: "blockList", typeName: "disk", nested: DISK },
        tags: { kind: "blockAttrs", typeName: "tags", elementType: stringType },
        image: { kind: "attr", name: "image", type: stringType },
      },
    };
    const m = childBlockTypes(spec);
    expect([...m.keys()]).toEqual(["disk", "tags"]);
    expect(m.get("disk")).toBe(DISK);
  });

  it("lists the variables a body references under a spec, in blocks too", () => {
    const spec: Spec = {
      kind: "object",
      attributes: {
        image: { kind: "attr", name: "image", type: stringType },
        disks: { kind: "blockList", typeName: "disk", nested: DISK },
        tags: { kind: "blockAttrs", typeName: "tags", elementType: stringType },
      },
    };
    const body = hcl(
      "image = var.image\ndisk {\n  size = local.size\n}\ntags {\n  b = var.b\n  a = var.a\n}\n",
    );
    const names = specVariables(body, spec).map((t) => t.map((s) => ("name" in s ? s.name : "")).join("."));
    expect(names).toEqual(["var.image", "local.size", "var.b", "var.a"]);
  });

  it("finds where a decoded item is", () => {
    const spec: Spec = {
      kind: "block",
      typeName: "disk",
      nested: { kind: "attr", name: "size", type: numberType },
    };
    expect(formatRange(specSourceRange(hcl("disk {\n  size = 10\n}\n"), spec))).toBe("t.hcl:2,10-12");
    expect(formatRange(specSourceRange(hcl("x = 1\n"), spec))).toBe("t.hcl:1,1-1");
  });
});
