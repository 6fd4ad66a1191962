// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are HCL source text
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Diagnostic } from "../../diagnostic.js";
import { parseExpression } from "../../syntax/index.js";
import {
  listVal,
  mapVal,
  numberIntVal,
  objectVal,
  SENSITIVE,
  stringType,
  stringVal,
  unknownVal,
  type Value,
  valueGoString,
} from "../../value/index.js";
import { callFunction } from "../call.js";
import type { EvalContext } from "../context.js";
import { evaluate } from "../evaluate.js";
import type { FunctionSpec } from "../function.js";
import {
  canFunction,
  convertFunction,
  diagnosticsErrorString,
  makeTemplateFileFunction,
  tryFunction,
} from "./special.js";

const upper: FunctionSpec = {
  params: [{ name: "str", type: stringType }],
  type: () => stringType,
  impl: ([s]) => stringVal(s!.asString().toUpperCase()),
};

let dir = "";
const functions = new Map<string, FunctionSpec>([
  ["try", tryFunction],
  ["can", canFunction],
  ["convert", convertFunction],
  ["upper", upper],
]);

const variables = new Map<string, Value>([
  [
    "var",
    objectVal({
      token: stringVal("s3cr3t").mark(SENSITIVE),
      list: listVal([stringVal("a"), stringVal("b")]),
      unknown: unknownVal(stringType),
      m: mapVal({ a: stringVal("1") }),
    }),
  ],
]);
const ctx: EvalContext = { variables, functions };

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "kiln-templatefile-"));
  mkdirSync(join(dir, "sub"));
  writeFileSync(join(dir, "hello.tpl"), "Hello, ${name}!%{ for x in items } [${upper(x)}]%{ endfor }");
  writeFileSync(join(dir, "wrap.tpl"), "${items}");
  writeFileSync(join(dir, "recurse.tpl"), '${templatefile("hello.tpl", {})}');
  writeFileSync(join(dir, "broken.tpl"), "${");
  writeFileSync(join(dir, "bad-utf8.tpl"), Buffer.from([0x66, 0xff, 0x66]));
  writeFileSync(join(dir, "sub", "inner.tpl"), "inner ${v}");
  writeFileSync(join(dir, "error.tpl"), "${v + 1}");
  functions.set(
    "templatefile",
    makeTemplateFileFunction(dir, () => functions),
  );
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function ev(src: string, c: EvalContext = ctx): { value: Value; diagnostics: Diagnostic[] } {
  const p = parseExpression(src, "test.hcl");
  expect(p.diagnostics).toEqual([]);
  return evaluate(p.expression, c);
}

function goStr(src: string): string {
  const r = ev(src);
  expect(r.diagnostics).toEqual([]);
  return valueGoString(r.value);
}

function errs(src: string): [string, string | undefined][] {
  return ev(src).diagnostics.map((d) => [d.summary, d.detail]);
}

describe("try", () => {
  it("returns the first argument that succeeds", () => {
    expect(goStr("try(1, 2)")).toBe("cty.NumberIntVal(1)");
    expect(goStr('try(var.nope, "fallback")')).toBe('cty.StringVal("fallback")');
    expect(goStr("try(var.list[5], var.list[1])")).toBe('cty.StringVal("b")');
    expect(goStr("try(var.list...)")).toBe('cty.StringVal("a")');
  });

  it("gives DynamicVal when the first good value is not wholly known", () => {
    expect(goStr('try(var.unknown, "x")')).toBe("cty.DynamicVal");
    expect(goStr('try([var.unknown], "x")')).toBe("cty.DynamicVal");
  });

  it("lists every error when nothing succeeds", () => {
    expect(errs("try(a, b)")).toEqual([
      [
        "Error in function call",
        'Call to function "try" failed: no expression succeeded:\n- Unknown variable (at test.hcl:1,5-6)\n  There is no variable named "a". Did you mean "var"?\n- Unknown variable (at test.hcl:1,8-9)\n  There is no variable named "b".\n\nAt least one expression must produce a successful result.',
      ],
    ]);
    expect(errs("try()")).toEqual([
      ["Error in function call", 'Call to function "try" failed: at least one argument is required.'],
    ]);
  });

  it("keeps marks", () => {
    const r = ev('try(var.token, "x")');
    expect(r.value.hasMark(SENSITIVE)).toBe(true);
  });
});

describe("can", () => {
  it("tells whether an expression succeeds", () => {
    expect(goStr("can(1)")).toBe("cty.True");
    expect(goStr("can(var.nope)")).toBe("cty.False");
    expect(goStr('can(1 + "a")')).toBe("cty.False");
    expect(goStr("can(var.unknown)")).toBe("cty.UnknownVal(cty.Bool)");
  });

  it("checks its arity", () => {
    expect(errs("can()")).toEqual([
      [
        "Not enough function arguments",
        'Function "can" expects 1 argument(s). Missing value for "expression".',
      ],
    ]);
    expect(errs("can(1, 2)")).toEqual([
      ["Too many function arguments", 'Function "can" expects only 1 argument(s).'],
    ]);
  });

  it("refuses to be called outside an expression", () => {
    const r = callFunction(canFunction, [numberIntVal(1)]);
    expect(r).toMatchObject({ ok: false, kind: "call" });
  });
});

describe("convert", () => {
  it("converts to a type expression", () => {
    expect(goStr("convert(1, string)")).toBe('cty.StringVal("1")');
    expect(goStr("convert([1], set(string))")).toBe('cty.SetVal([]cty.Value{cty.StringVal("1")})');
    expect(goStr("convert(1, any)")).toBe("cty.NumberIntVal(1)");
    expect(goStr("convert(null, string)")).toBe("cty.NullVal(cty.String)");
    expect(goStr("convert(var.unknown, number)")).toBe("cty.UnknownVal(cty.Number)");
    expect(goStr('convert({a = 1, b = "x"}, map(string))')).toBe(
      'cty.MapVal(map[string]cty.Value{"a":cty.StringVal("1"), "b":cty.StringVal("x")})',
    );
  });

  it("reports conversion and type errors", () => {
    expect(errs('convert("a", number)')).toEqual([
      ["Invalid function argument", 'Invalid value for "value" parameter: a number is required.'],
    ]);
    expect(errs("convert(1, list(string))")).toEqual([
      ["Invalid function argument", 'Invalid value for "value" parameter: list of string required.'],
    ]);
    expect(errs("convert(1, foo)")).toEqual([
      ["Invalid type specification", 'The keyword "foo" is not a valid type specification.'],
    ]);
    expect(errs('convert(1, "string")')).toEqual([
      [
        "Invalid type specification",
        "A type specification is either a primitive type keyword (bool, number, string) or a complex type constructor call, like list(string).",
      ],
    ]);
    expect(errs("convert(1, object({a = optional(string, 1)}))")).toEqual([
      [
        "Invalid type specification",
        "Optional attribute modifier expects only one argument: the attribute type.",
      ],
    ]);
  });

  it("keeps marks", () => {
    const r = ev("convert(var.token, string)");
    expect(r.diagnostics).toEqual([]);
    expect(r.value.hasMark(SENSITIVE)).toBe(true);
  });
});

describe("templatefile", () => {
  it("renders a file with the given variables and functions", () => {
    expect(goStr('templatefile("hello.tpl", {name = "world", items = ["a", "b"]})')).toBe(
      'cty.StringVal("Hello, world! [A] [B]")',
    );
    expect(goStr('templatefile("sub/inner.tpl", {v = 1})')).toBe('cty.StringVal("inner 1")');
    expect(goStr(`templatefile("${dir}/sub/inner.tpl", {v = 1})`)).toBe('cty.StringVal("inner 1")');
  });

  it("returns a lone interpolation unconverted", () => {
    expect(goStr('templatefile("wrap.tpl", {items = [1]})')).toBe(
      "cty.TupleVal([]cty.Value{cty.NumberIntVal(1)})",
    );
  });

  it("marks the result with the marks of the variables", () => {
    const r = ev('templatefile("sub/inner.tpl", {v = var.token})');
    expect(r.diagnostics).toEqual([]);
    expect(r.value.hasMark(SENSITIVE)).toBe(true);
  });

  it("validates the variables", () => {
    expect(errs('templatefile("sub/inner.tpl", "x")')).toEqual([
      ["Invalid function argument", 'Invalid value for "vars" parameter: invalid vars value: must be a map.'],
    ]);
    expect(errs('templatefile("sub/inner.tpl", {v = 1, "not ok" = 2})')).toEqual([
      [
        "Invalid function argument",
        'Invalid value for "vars" parameter: invalid template variable name "not ok": must start with a letter, followed by zero or more letters, digits, and underscores.',
      ],
    ]);
    expect(errs('templatefile("sub/inner.tpl", {})')).toEqual([
      [
        "Invalid function argument",
        'Invalid value for "vars" parameter: vars map does not contain key "v", referenced at sub/inner.tpl:1,9-10.',
      ],
    ]);
    expect(goStr('templatefile("sub/inner.tpl", {v = var.m.a})')).toBe('cty.StringVal("inner 1")');
  });

  it("reports missing, unreadable and broken files", () => {
    expect(errs('templatefile("nope.tpl", {})')).toEqual([
      [
        "Error in function call",
        `Call to function "templatefile" failed: no file exists at ${join(dir, "nope.tpl")}.`,
      ],
    ]);
    expect(errs('templatefile("bad-utf8.tpl", {})')).toEqual([
      [
        "Error in function call",
        'Call to function "templatefile" failed: contents of bad-utf8.tpl are not valid UTF-8; use the filebase64 function to obtain the Base64 encoded contents or the other file functions (e.g. filemd5, filesha256) to obtain file hashing results instead.',
      ],
    ]);
    const broken = errs('templatefile("broken.tpl", {})');
    expect(broken).toHaveLength(1);
    expect(broken[0]![1]).toMatch(/^Call to function "templatefile" failed: broken\.tpl:1,\d+-\d+: /);
    expect(errs('templatefile("error.tpl", {v = "a"})')).toEqual([
      [
        "Error in function call",
        'Call to function "templatefile" failed: error.tpl:1,3-4: Invalid operand; Unsuitable value for left operand: a number is required..',
      ],
    ]);
  });

  it("refuses recursive calls", () => {
    expect(errs('templatefile("recurse.tpl", {})')).toEqual([
      [
        "Error in function call",
        'Call to function "templatefile" failed: recurse.tpl:1,3-16: Error in function call; Call to function "templatefile" failed: cannot recursively call templatefile from inside templatefile call..',
      ],
    ]);
  });

  it("gives unknown results for unknown arguments", () => {
    expect(goStr("templatefile(var.unknown, {})")).toBe("cty.DynamicVal");
    expect(goStr('templatefile("sub/inner.tpl", {v = var.unknown})')).toBe("cty.UnknownVal(cty.String)");
  });
});

describe("diagnosticsErrorString", () => {
  it("renders diagnostics as HCL's error string", () => {
    const d: Diagnostic = {
      severity: "error",
      summary: "S",
      detail: "D",
      subject: {
        filename: "f",
        start: { line: 1, column: 2, byte: 1 },
        end: { line: 3, column: 4, byte: 9 },
      },
    };
    expect(diagnosticsErrorString([])).toBe("no diagnostics");
    expect(diagnosticsErrorString([d])).toBe("f:1,2-3,4: S; D");
    expect(diagnosticsErrorString([d, d, d])).toBe("f:1,2-3,4: S; D, and 2 other diagnostic(s)");
  });
});
