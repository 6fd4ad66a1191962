// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are HCL source text
import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../diagnostic.js";
import { parseHCLFile } from "../json/parse.js";
import { formatRange } from "../syntax/go-compat.js";
import { numberType, typeString, valueGoString } from "../value/index.js";
import { decode, impliedType } from "./decode.js";
import { loadSpecFile, specTypeFromExpr } from "./spec-file.js";

function load(src: string, filename = "s.hcldec") {
  const { body, diagnostics } = parseHCLFile(src, filename);
  expect(diagnostics).toEqual([]);
  return loadSpecFile(body);
}

function summarize(diags: readonly Diagnostic[]): string[] {
  return diags.map(
    (d) =>
      `${d.severity}: ${d.summary} | ${d.detail} | ${d.subject === undefined ? "none" : formatRange(d.subject)}`,
  );
}

describe("hcldec spec files", () => {
  it("reads object, attr, block and block collection specs", () => {
    const { spec, diagnostics } = load(`
object {
  attr "name" {
    type     = string
    required = true
  }
  attr "ports" { type = list(number) }
  attr "meta" { type = object({ a = bool, "b" = map(string) }) }
  attr "pair" { type = tuple([string, any]) }
  block "logging" {
    object {
      attr "level" { type = string }
    }
  }
  block_list "disk" {
    min_items = 1
    max_items = 3
    attr {
      name = "size"
      type = number
    }
  }
  block_set "tag" {
    block_type = "tags"
    literal { value = "t" }
  }
  block_map "site" {
    labels = ["host", "path"]
    object {}
  }
}
`);
    expect(diagnostics).toEqual([]);
    expect(typeString(impliedType(spec))).toBe(
      "object({disk=list(number),logging=object({level=string}),meta=object({a=bool,b=map(string)}),name=string,pair=tuple([string,any]),ports=list(number),site=map(map(object({}))),tag=set(string)})",
    );
    expect(spec.kind === "object" ? spec.attributes.disk : undefined).toEqual({
      kind: "blockList",
      typeName: "disk",
      nested: { kind: "attr", name: "size", type: numberType },
      minItems: 1,
      maxItems: 3,
    });
  });

  it("reads variables and uses them when decoding", () => {
    const { spec, variables, diagnostics } = load(`
variables {
  greeting = "hello"
}
attr {
  name = "msg"
  type = string
}
`);
    expect(diagnostics).toEqual([]);
    expect(valueGoString(variables.get("greeting") as never)).toBe('cty.StringVal("hello")');
    const input = parseHCLFile('msg = "${greeting} world"\n', "in.hcl");
    const { value } = decode(input.body, spec, { variables });
    expect(valueGoString(value)).toBe('cty.StringVal("hello world")');
  });

  it("reads default and transform specs", () => {
    const { spec, diagnostics } = load(`
object {
  default "port" {
    attr {
      name = "port"
      type = number
    }
    literal { value = 22 }
  }
  transform "n" {
    result = nested + 1
    attr {
      name = "n"
      type = number
    }
  }
}
`);
    expect(diagnostics).toEqual([]);
    const input = parseHCLFile("n = 41\n", "in.hcl");
    expect(valueGoString(decode(input.body, spec).value)).toBe(
      'cty.ObjectVal(map[string]cty.Value{"n":cty.NumberIntVal(42), "port":cty.NumberIntVal(22)})',
    );
  });

  it("warns about a default with one spec", () => {
    const { body } = parseHCLFile("default {\n  literal { value = 1 }\n}\n", "s.hcldec");
    expect(summarize(loadSpecFile(body).diagnostics)).toEqual([
      "warning: Useless default block | A default block with only one spec is equivalent to using that spec alone. | s.hcldec:2,3-10",
    ]);
  });

  it("reports broken spec files", () => {
    const cases: [string, string[]][] = [
      [
        "",
        [
          "error: Missing spec block | A spec file must have exactly one root block specifying how to map to a JSON value. | s.hcldec:1,1-1",
        ],
      ],
      [
        "literal { value = 1 }\nliteral { value = 2 }\n",
        [
          "error: Extraneous spec block | A spec file must have exactly one root block specifying how to map to a JSON value. | s.hcldec:2,1-8",
        ],
      ],
      [
        "attr { type = string }\n",
        [
          "error: Missing name in attribute spec | The name attribute is required, to specify the attribute name that is expected in an input HCL file. | s.hcldec:1,8-8",
        ],
      ],
      [
        "block_list {\n  object {}\n}\n",
        [
          "error: Missing block_type in block_list spec | The block_type attribute is required, to specify the block type name that is expected in an input HCL file. | s.hcldec:1,12-12",
        ],
      ],
      [
        'block_map {\n  block_type = "x"\n  object {}\n}\n',
        [
          'error: Missing required argument | The argument "labels" is required, but no definition was found. | s.hcldec:1,11-11',
        ],
      ],
      [
        'block_map {\n  block_type = "x"\n  labels = ["a"]\n  attr {\n    name = "v"\n    type = any\n  }\n}\n',
        [
          "error: Invalid block_map spec | A block_map spec may not contain attributes with type 'any'. | s.hcldec:1,11-11",
        ],
      ],
      [
        'attr {\n  name = "x"\n  required = "maybe"\n}\n',
        ["error: Unsuitable value type | Unsuitable value: a bool is required | s.hcldec:3,15-20"],
      ],
      [
        'attr {\n  name = "x"\n  typ = string\n}\n',
        [
          'error: Unsupported argument | An argument named "typ" is not expected here. Did you mean "type"? | s.hcldec:3,3-6',
        ],
      ],
      [
        'object {\n  attr { name = "a" }\n}\n',
        ["error: Missing key for attr | All attr blocks must have 1 labels (key). | s.hcldec:2,8-9"],
      ],
      [
        'block {\n  block_type = "y"\n}\n',
        [
          "error: Missing spec block | A block spec must have exactly one child spec specifying how to decode block contents. | s.hcldec:1,7-7",
        ],
      ],
    ];
    for (const [src, want] of cases) {
      const { body, diagnostics } = parseHCLFile(src, "s.hcldec");
      expect(diagnostics).toEqual([]);
      expect(summarize(loadSpecFile(body).diagnostics)).toEqual(want);
    }
  });

  it("reads spec files in JSON too", () => {
    const { spec, diagnostics } = load(
      '{"object": {"attr": {"a": {"type": "list(string)"}}}}',
      "s.hcldec.json",
    );
    expect(diagnostics).toEqual([]);
    expect(typeString(impliedType(spec))).toBe("object({a=list(string)})");
  });
});

describe("hcldec type expressions", () => {
  function typeOf(src: string): { type: string; diags: string[] } {
    const { body } = parseHCLFile(`t = ${src}\n`, "t.hcl");
    const expr = body.justAttributes().attributes.get("t")?.expr;
    const r = specTypeFromExpr(expr);
    return { type: typeString(r.type), diags: summarize(r.diagnostics) };
  }

  it("reads types", () => {
    expect(typeOf("set(map(bool))")).toEqual({ type: "set(map(bool))", diags: [] });
    expect(typeOf("null")).toEqual({ type: "any", diags: [] });
    expect(specTypeFromExpr(undefined).type.kind).toBe("dynamic");
  });

  it("reports what is not a type", () => {
    expect(typeOf('"string"').diags).toEqual([
      "error: Invalid type expression | A type is required, not string. | t.hcl:1,5-13",
    ]);
    expect(typeOf("strin").diags).toEqual([
      'error: Unknown variable | There is no variable named "strin". | t.hcl:1,5-10',
    ]);
    expect(typeOf("list(string, number)").diags).toEqual([
      'error: Invalid type expression | Function "list" expects exactly one argument. | t.hcl:1,5-25',
    ]);
    expect(typeOf("frob(string)").diags).toEqual([
      'error: Invalid type expression | There is no type constructor named "frob". | t.hcl:1,5-17',
    ]);
  });
});
