// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are HCL source text
import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../diagnostic.js";
import { parseExpression } from "../syntax/index.js";
import {
  boolType,
  dynamicType,
  dynamicVal,
  emptyObjectVal,
  listType,
  listVal,
  mapVal,
  numberIntVal,
  numberType,
  objectType,
  objectVal,
  rawEquals,
  SENSITIVE,
  setVal,
  stringType,
  stringVal,
  trueVal,
  tupleVal,
  typeEquals,
  unknownVal,
  type Value,
  valueGoString,
} from "../value/index.js";
import type { EvalContext } from "./context.js";
import { evaluate } from "./evaluate.js";
import type { FunctionSpec } from "./function.js";
import { FunctionArgError, FunctionError } from "./function.js";

const upper: FunctionSpec = {
  params: [{ name: "str", type: stringType }],
  type: () => stringType,
  impl: ([s]) => stringVal(s!.asString().toUpperCase()),
};
const joinFn: FunctionSpec = {
  params: [{ name: "sep", type: stringType }],
  varParam: { name: "parts", type: stringType },
  type: () => stringType,
  impl: ([sep, ...parts]) => stringVal(parts.map((p) => p.asString()).join(sep!.asString())),
};
const failing: FunctionSpec = {
  params: [{ name: "n", type: numberType }],
  type: () => numberType,
  impl: ([n]) => {
    if (n!.asNumber() < 0) throw new FunctionArgError(0, "must not be negative");
    throw new FunctionError("always fails");
  },
};
const functions = new Map<string, FunctionSpec>([
  ["upper", upper],
  ["join", joinFn],
  ["failing", failing],
]);

const secret = stringVal("s3cr3t").mark(SENSITIVE);
const variables = new Map<string, Value>([
  [
    "var",
    objectVal({
      name: stringVal("web"),
      token: secret,
      flag: trueVal.mark(SENSITIVE),
      list: listVal([stringVal("a"), stringVal("b")]),
      secret_list: listVal([stringVal("a"), stringVal("b")]).mark(SENSITIVE),
      map: mapVal({ a: numberIntVal(1), b: numberIntVal(2) }),
      objs: tupleVal([objectVal({ id: numberIntVal(1) }), objectVal({ id: numberIntVal(2) })]),
      set: setVal([stringVal("x"), stringVal("y")]),
      unknown_str: unknownVal(stringType),
      unknown_num: unknownVal(numberType),
      unknown_bool: unknownVal(boolType),
      unknown_list: unknownVal(listType(objectType({ id: numberType }))),
      unknown_obj: unknownVal(objectType({ id: numberType })),
      dyn: dynamicVal,
    }),
  ],
  ["local", emptyObjectVal],
]);
const ctx: EvalContext = { variables, functions };

/** Evaluates `src` in `c` (the test context by default; null for no context at all). */
function ev(src: string, c: EvalContext | null = ctx): { value: Value; diagnostics: Diagnostic[] } {
  const p = parseExpression(src, "test.hcl");
  expect(p.diagnostics).toEqual([]);
  return evaluate(p.expression, c ?? undefined);
}

/** The value of an expression that must evaluate without diagnostics. */
function val(src: string, c: EvalContext | null = ctx): Value {
  const r = ev(src, c);
  expect(r.diagnostics).toEqual([]);
  return r.value;
}

function goStr(src: string): string {
  return valueGoString(val(src));
}

/** [summary, detail] of each error. */
function errs(src: string, c: EvalContext | null = ctx): [string, string | undefined][] {
  return ev(src, c).diagnostics.map((d) => [d.summary, d.detail]);
}

describe("literals and arithmetic", () => {
  it("evaluates literals", () => {
    expect(goStr("1")).toBe("cty.NumberIntVal(1)");
    expect(goStr('"a"')).toBe('cty.StringVal("a")');
    expect(goStr("true")).toBe("cty.True");
    expect(goStr("null")).toBe("cty.NullVal(cty.DynamicPseudoType)");
    expect(goStr("1e3")).toBe("cty.NumberIntVal(1000)");
  });

  it("keeps full precision", () => {
    expect(goStr("100000000000000000000 + 1")).toBe("cty.NumberIntVal(100000000000000000001)");
    expect(goStr("0.1 + 0.2")).toBe('cty.MustParseNumberVal("0.3")');
    expect(goStr("9007199254740993 + 0")).toBe("cty.NumberIntVal(9007199254740993)");
  });

  it("applies every operator with HCL's precedence", () => {
    const cases: [string, string][] = [
      ["1 + 2 * 3", "cty.NumberIntVal(7)"],
      ["(1 + 2) * 3", "cty.NumberIntVal(9)"],
      ["2 - 3 - 4", "cty.NumberIntVal(-5)"],
      ["8 / 2 / 2", "cty.NumberIntVal(2)"],
      ["10 % 4 % 3", "cty.NumberIntVal(2)"],
      ["-5 % 3", "cty.NumberIntVal(-2)"],
      ["5.5 % 2", 'cty.MustParseNumberVal("1.5")'],
      ["-1 - -1", "cty.NumberIntVal(0)"],
      ["1 < 2 && 2 < 3", "cty.True"],
      ["1 > 2 == false", "cty.True"],
      ["!true || true", "cty.True"],
      ["1 >= 1", "cty.True"],
      ["1 <= 0", "cty.False"],
      ["1 != 1.0", "cty.False"],
      ['"a" == "a"', "cty.True"],
      ['1 == "1"', "cty.False"],
      ["[1] == [1]", "cty.True"],
      ["null == null", "cty.True"],
      ["!false", "cty.True"],
      ["-(3)", "cty.NumberIntVal(-3)"],
      ['-"2"', "cty.NumberIntVal(-2)"],
      ['1 < "2"', "cty.True"],
      ["true && false || true", "cty.True"],
    ];
    for (const [src, want] of cases) expect([src, goStr(src)]).toEqual([src, want]);
  });

  it("divides by zero to infinity and takes x % 0 = x, as Packer does", () => {
    expect(goStr("1 / 0")).toBe('cty.MustParseNumberVal("+Inf")');
    expect(goStr("5 % 0")).toBe("cty.NumberIntVal(5)");
  });

  it("reports unsuitable operands", () => {
    expect(errs('1 + "a"')).toEqual([
      ["Invalid operand", "Unsuitable value for right operand: a number is required."],
    ]);
    expect(errs('"a" * 2')).toEqual([
      ["Invalid operand", "Unsuitable value for left operand: a number is required."],
    ]);
    expect(errs("!1")).toEqual([["Invalid operand", "Unsuitable value for unary operand: bool required."]]);
    expect(errs('-"a"')).toEqual([
      ["Invalid operand", "Unsuitable value for unary operand: a number is required."],
    ]);
    expect(errs("1 + null")).toEqual([
      ["Operation failed", "Error during operation: argument must not be null."],
    ]);
    expect(errs("!null")).toEqual([
      ["Operation failed", "Error during operation: argument must not be null."],
    ]);
    const r = ev('1 + "a"');
    expect(typeEquals(r.value.type, numberType)).toBe(true);
    expect(r.value.isKnown()).toBe(false);
    expect(r.diagnostics[0]!.subject).toMatchObject({ start: { column: 5 }, end: { column: 8 } });
    expect(r.diagnostics[0]!.context).toMatchObject({ start: { column: 1 }, end: { column: 8 } });
  });

  it("reports infinity arithmetic failures", () => {
    expect(errs("1/0 - 1/0")).toEqual([
      ["Operation failed", "Error during operation: can't subtract infinity from itself."],
    ]);
  });

  it("short-circuits && and || on unknowns (HCL 2.24)", () => {
    expect(goStr("var.unknown_bool && false")).toBe("cty.False");
    expect(goStr("false && var.unknown_bool")).toBe("cty.False");
    expect(goStr("var.unknown_bool || true")).toBe("cty.True");
    expect(goStr("var.unknown_bool && true")).toBe("cty.UnknownVal(cty.Bool)");
    expect(goStr("null || true")).toBe("cty.True");
    // The deciding side's diagnostics only: the unknown-variable error on the other side is dropped.
    expect(ev("nope || true").diagnostics).toEqual([]);
    expect(errs("true && null")).toEqual([
      ["Operation failed", "Error during operation: argument must not be null."],
    ]);
  });

  it("gives unknown results for unknown operands", () => {
    expect(goStr("var.unknown_num + 1")).toBe("cty.UnknownVal(cty.Number)");
    expect(goStr("var.unknown_num > 1")).toBe("cty.UnknownVal(cty.Bool)");
    expect(goStr("var.dyn == 1")).toBe("cty.UnknownVal(cty.Bool)");
    expect(goStr("-var.unknown_num")).toBe("cty.UnknownVal(cty.Number)");
  });
});

describe("variables and traversals", () => {
  it("looks up variables with attribute and index steps", () => {
    expect(goStr("var.name")).toBe('cty.StringVal("web")');
    expect(goStr('var.map["b"]')).toBe("cty.NumberIntVal(2)");
    expect(goStr("var.list[1]")).toBe('cty.StringVal("b")');
    expect(goStr("var.objs[1].id")).toBe("cty.NumberIntVal(2)");
    expect(goStr("var.map.a")).toBe("cty.NumberIntVal(1)");
    expect(goStr("{a={b=1}}.a.b")).toBe("cty.NumberIntVal(1)");
  });

  it("reports unknown variables with a suggestion", () => {
    const r = ev("vr.name");
    expect(r.diagnostics).toEqual([
      {
        severity: "error",
        summary: "Unknown variable",
        detail: 'There is no variable named "vr". Did you mean "var"?',
        subject: {
          filename: "test.hcl",
          start: { line: 1, column: 1, byte: 0 },
          end: { line: 1, column: 3, byte: 2 },
        },
      },
    ]);
    expect(rawEquals(r.value, dynamicVal)).toBe(true);
    expect(errs("zzz")).toEqual([["Unknown variable", 'There is no variable named "zzz".']]);
  });

  it("says variables are not allowed without any", () => {
    expect(errs("var.x", null)).toEqual([["Variables not allowed", "Variables may not be used here."]]);
    expect(errs("var.x", { functions })).toEqual([
      ["Variables not allowed", "Variables may not be used here."],
    ]);
  });

  it("finds variables in parent contexts", () => {
    const child: EvalContext = { variables: new Map([["x", numberIntVal(5)]]), parent: ctx };
    expect(valueGoString(val("x + 1", child))).toBe("cty.NumberIntVal(6)");
    const shadow: EvalContext = { variables: new Map([["var", numberIntVal(1)]]), parent: ctx };
    expect(valueGoString(val("var", shadow))).toBe("cty.NumberIntVal(1)");
    expect(valueGoString(val('"${var.name}-${x}"', child))).toBe('cty.StringVal("web-5")');
  });

  it("reports failing steps at the step", () => {
    const r = ev("var.nope");
    expect(r.diagnostics.map((d) => [d.summary, d.detail])).toEqual([
      ["Unsupported attribute", 'This object does not have an attribute named "nope".'],
    ]);
    expect(r.diagnostics[0]!.subject).toMatchObject({ start: { column: 4 }, end: { column: 9 } });
    expect(errs("var.list[5]")[0]![0]).toBe("Invalid index");
    expect(errs("null.a")).toEqual([
      ["Attempt to get attribute from null value", "This value is null, so it does not have any attributes."],
    ]);
    expect(errs("[1][null]")).toEqual([["Invalid index", "Can't use a null value as an indexing key."]]);
  });

  it("indexes with computed keys, unknown keys and marked keys", () => {
    expect(goStr('var.map["${"a"}"]')).toBe("cty.NumberIntVal(1)");
    expect(goStr("var.list[var.unknown_num]")).toBe("cty.UnknownVal(cty.String)");
    const vars = new Map([
      ["m", mapVal({ s3cr3t: numberIntVal(7) })],
      ["k", secret],
    ]);
    const r = val("m[k]", { variables: vars });
    expect(valueGoString(r)).toBe('cty.NumberIntVal(7).Mark("sensitive")');
    const e = ev('[1,2][upper("a")]');
    expect(e.diagnostics.map((d) => d.detail)).toEqual([
      "The given key does not identify an element in this collection value: a number is required.",
    ]);
    expect(e.diagnostics[0]!.subject).toMatchObject({ start: { column: 6 }, end: { column: 18 } });
  });
});

describe("templates", () => {
  it("converts interpolated values to strings", () => {
    expect(goStr('"a${1}b${true}c${var.name}"')).toBe('cty.StringVal("a1btruecweb")');
    expect(goStr('"${1}${true}"')).toBe('cty.StringVal("1true")');
  });

  it("returns a lone interpolation unconverted", () => {
    expect(goStr('"${1}"')).toBe("cty.NumberIntVal(1)");
    expect(goStr('"${[1]}"')).toBe("cty.TupleVal([]cty.Value{cty.NumberIntVal(1)})");
  });

  it("rejects null and non-string values", () => {
    expect(errs('"a${null}"')).toEqual([
      [
        "Invalid template interpolation value",
        "The expression result is null. Cannot include a null value in a string template.",
      ],
    ]);
    expect(errs('"a${[1]}"')).toEqual([
      [
        "Invalid template interpolation value",
        "Cannot include the given value in a string template: string required.",
      ],
    ]);
    const r = ev('"a${[1]}"');
    expect(r.diagnostics[0]!.subject).toMatchObject({ start: { column: 5 }, end: { column: 8 } });
    expect(r.diagnostics[0]!.context).toMatchObject({ start: { column: 1 }, end: { column: 10 } });
  });

  it("gives an unknown string when a part is unknown", () => {
    expect(goStr('"a${var.unknown_str}b"')).toBe("cty.UnknownVal(cty.String)");
    // Later parts are still checked.
    expect(errs('"${var.unknown_str}${null}"')[0]![0]).toBe("Invalid template interpolation value");
  });

  it("evaluates if and for directives", () => {
    expect(goStr('"%{if true}a%{else}b%{endif}"')).toBe('cty.StringVal("a")');
    expect(goStr('"%{if false}a%{endif}"')).toBe('cty.StringVal("")');
    expect(goStr('"%{for x in [1,2]}${x},%{endfor}"')).toBe('cty.StringVal("1,2,")');
    expect(goStr('"%{for k, v in {a=1, b=2}}${k}=${v};%{endfor}"')).toBe('cty.StringVal("a=1;b=2;")');
    expect(goStr('"%{for x in var.unknown_list}${x.id}%{endfor}"')).toBe("cty.UnknownVal(cty.String)");
    expect(errs('"%{if null}a%{endif}"')).toEqual([
      ["Null condition", "The condition value is null. Conditions must either be true or false."],
    ]);
    expect(errs('"%{for x in [null]}${x}%{endfor}"')).toEqual([
      [
        "Invalid template interpolation value",
        "The expression result is null. Cannot include a null value in a string template.",
      ],
    ]);
    expect(errs('"%{for x in [[1]]}${x}%{endfor}"')).toEqual([
      [
        "Invalid template interpolation value",
        "Cannot include the given value in a string template: string required.",
      ],
    ]);
    // The join's own checks, for loop bodies that are not templates.
    const join = (src: string) => {
      const tuple = parseExpression(src, "test.hcl").expression;
      if (tuple.kind !== "ForExpr") throw new Error("not a for expression");
      return evaluate(
        { kind: "TemplateJoinExpr", tuple, srcRange: tuple.srcRange, startRange: tuple.startRange },
        ctx,
      );
    };
    expect(join("[for x in [null]: x]").diagnostics.map((d) => d.detail)).toEqual([
      "An iteration result is null. Cannot include a null value in a string template.",
    ]);
    expect(join("[for x in [[1]]: x]").diagnostics.map((d) => d.detail)).toEqual([
      "Cannot include one of the interpolation results into the string template: string required.",
    ]);
    expect(valueGoString(join("[for x in [1, true]: x]").value)).toBe('cty.StringVal("1true")');
    expect(valueGoString(join("[for x in [1, var.unknown_str]: x]").value)).toBe(
      "cty.UnknownVal(cty.String)",
    );
  });

  it("evaluates heredocs, with strip markers and flush indentation", () => {
    expect(
      valueGoString(val("<<EOT\nhello ${var.name}\n  %{ for x in [1,2] ~}\n  ${x}\n  %{~ endfor }\nEOT\n")),
    ).toBe('cty.StringVal("hello web\\n    1\\n  2\\n\\n")');
    expect(valueGoString(val("<<-EOT\n    a\n      b ${var.name}\n    EOT\n"))).toBe(
      'cty.StringVal("a\\n  b web\\n")',
    );
  });
});

describe("collections", () => {
  it("builds tuples and objects", () => {
    expect(goStr('[1, "a"]')).toBe('cty.TupleVal([]cty.Value{cty.NumberIntVal(1), cty.StringVal("a")})');
    expect(goStr('{a = 1, "b" = 2, (var.name) = 3}')).toBe(
      'cty.ObjectVal(map[string]cty.Value{"a":cty.NumberIntVal(1), "b":cty.NumberIntVal(2), "web":cty.NumberIntVal(3)})',
    );
    expect(goStr("{true = 1, null = 2}")).toBe(
      'cty.ObjectVal(map[string]cty.Value{"null":cty.NumberIntVal(2), "true":cty.NumberIntVal(1)})',
    );
    expect(goStr("{(1) = 2}")).toBe('cty.ObjectVal(map[string]cty.Value{"1":cty.NumberIntVal(2)})');
  });

  it("lets a later duplicate key win", () => {
    expect(goStr("{a = 1, a = 2}")).toBe('cty.ObjectVal(map[string]cty.Value{"a":cty.NumberIntVal(2)})');
  });

  it("reports bad keys", () => {
    expect(errs("{([1]) = 2}")).toEqual([
      ["Incorrect key type", "Can't use this value as a key: string required."],
    ]);
    const n = ev('{"a" = 1, (null) = 2}');
    expect(n.diagnostics.map((d) => [d.summary, d.detail])).toEqual([
      ["Null value as key", "Can't use a null value as a key."],
    ]);
    // HCL points at the value expression.
    expect(n.diagnostics[0]!.subject).toMatchObject({ start: { column: 20 }, end: { column: 21 } });
    expect(rawEquals(n.value, dynamicVal)).toBe(true);
    expect(errs("{a.b = 1}")).toEqual([
      [
        "Ambiguous attribute key",
        "If this expression is intended to be a reference, wrap it in parentheses. If it's instead intended as a literal name containing periods, wrap it in quotes to create a string literal.",
      ],
    ]);
    expect(goStr("{(var.name) = 1}")).toBe('cty.ObjectVal(map[string]cty.Value{"web":cty.NumberIntVal(1)})');
  });

  it("makes the object unknown when a key is unknown", () => {
    expect(goStr("{(var.unknown_str) = 1, b = 2}")).toBe("cty.DynamicVal");
  });
});

describe("conditionals", () => {
  it("unifies both result types", () => {
    expect(goStr('true ? 1 : "a"')).toBe('cty.StringVal("1")');
    expect(goStr("false ? null : 1")).toBe("cty.NumberIntVal(1)");
    expect(goStr("true ? null : 1")).toBe("cty.NullVal(cty.Number)");
    expect(goStr("true ? [1, 2] : [1]")).toBe(
      "cty.ListVal([]cty.Value{cty.NumberIntVal(1), cty.NumberIntVal(2)})",
    );
    expect(goStr('"true" ? 1 : 2')).toBe("cty.NumberIntVal(1)");
  });

  it("reports inconsistent result types", () => {
    expect(errs("true ? [1] : {}")).toEqual([
      [
        "Inconsistent conditional result types",
        "The true and false result expressions must have consistent types. The 'true' value is tuple, but the 'false' value is object.",
      ],
    ]);
    expect(goStr('true ? {a=1} : {a="x", b=1}')).toBe(
      'cty.MapVal(map[string]cty.Value{"a":cty.StringVal("1")})',
    );
    expect(errs("true ? {a=1} : {a=1, b=[1]}")[0]![1]).toBe(
      "The true and false result expressions must have consistent types. The 'false' value includes object attribute \"b\", which is absent in the 'true' value.",
    );
    expect(errs("true ? {a=1} : {a=[1]}")[0]![1]).toBe(
      "The true and false result expressions must have consistent types. Type mismatch for object attribute \"a\": The 'true' value is number, but the 'false' value is tuple.",
    );
    expect(errs("true ? [1] : [1, {}]")[0]![1]).toBe(
      "The true and false result expressions must have consistent types. The 'true' tuple has length 1, but the 'false' tuple has length 2.",
    );
  });

  it("reports bad conditions", () => {
    expect(errs("null ? 1 : 2")).toEqual([
      ["Null condition", "The condition value is null. Conditions must either be true or false."],
    ]);
    expect(errs('"a" ? 1 : 2')).toEqual([
      ["Incorrect condition type", "The condition expression must be of type bool."],
    ]);
  });

  it("reports only the taken branch's diagnostics", () => {
    expect(ev("true ? 1 : nope").diagnostics).toEqual([]);
    expect(errs("false ? 1 : nope")).toEqual([["Unknown variable", 'There is no variable named "nope".']]);
  });

  it("gives an unknown of the unified type for an unknown condition", () => {
    expect(goStr("var.unknown_bool ? 1 : 2")).toBe("cty.UnknownVal(cty.Number)");
    expect(goStr("var.unknown_bool ? null : null")).toBe("cty.NullVal(cty.DynamicPseudoType)");
  });
});

describe("for expressions", () => {
  it("builds tuples and objects", () => {
    expect(goStr("[for x in [1,2,3]: x * 2 if x > 1]")).toBe(
      "cty.TupleVal([]cty.Value{cty.NumberIntVal(4), cty.NumberIntVal(6)})",
    );
    expect(goStr('[for i, x in ["a","b"]: "${i}${x}"]')).toBe(
      'cty.TupleVal([]cty.Value{cty.StringVal("0a"), cty.StringVal("1b")})',
    );
    expect(goStr("{for k, v in var.map: v => k}")).toBe(
      'cty.ObjectVal(map[string]cty.Value{"1":cty.StringVal("a"), "2":cty.StringVal("b")})',
    );
    expect(goStr("[for x in var.set: x]")).toBe(
      'cty.TupleVal([]cty.Value{cty.StringVal("x"), cty.StringVal("y")})',
    );
    expect(goStr("[for k, v in var.set: k]")).toBe(
      'cty.TupleVal([]cty.Value{cty.StringVal("x"), cty.StringVal("y")})',
    );
    expect(goStr("[for k, v in {b=1, a=2}: k]")).toBe(
      'cty.TupleVal([]cty.Value{cty.StringVal("a"), cty.StringVal("b")})',
    );
  });

  it("groups values with ...", () => {
    expect(goStr('{for x in ["a","bb","c"]: x == "bb" => x...}')).toBe(
      'cty.ObjectVal(map[string]cty.Value{"false":cty.TupleVal([]cty.Value{cty.StringVal("a"), cty.StringVal("c")}), "true":cty.TupleVal([]cty.Value{cty.StringVal("bb")})})',
    );
  });

  it("reports duplicate keys without grouping", () => {
    const r = ev("{for x in [1,1]: x => x}");
    expect(r.diagnostics.map((d) => [d.summary, d.detail])).toEqual([
      [
        "Duplicate object key",
        "Two different items produced the key \"1\" in this 'for' expression. If duplicates are expected, use the ellipsis (...) after the value expression to enable grouping by key.",
      ],
    ]);
    expect(goStr("{for x in [1,1]: x => x...}")).toBe(
      'cty.ObjectVal(map[string]cty.Value{"1":cty.TupleVal([]cty.Value{cty.NumberIntVal(1), cty.NumberIntVal(1)})})',
    );
  });

  it("reports bad collections, conditions and keys", () => {
    expect(errs("[for x in null: x]")).toEqual([
      ["Iteration over null value", "A null value cannot be used as the collection in a 'for' expression."],
    ]);
    expect(errs('[for x in "abc": x]')).toEqual([
      [
        "Iteration over non-iterable value",
        "A value of type string cannot be used as the collection in a 'for' expression.",
      ],
    ]);
    expect(errs("[for x in [1,2]: x if null]")).toEqual([
      ["Condition is null", "The value of the 'if' clause must not be null."],
    ]);
    expect(errs("[for x in [1,2]: x if x]")).toEqual([
      ["Invalid 'for' condition", "The 'if' clause value is invalid: bool required."],
    ]);
    expect(errs("[for x in [1]: x if [1]]")).toEqual([
      ["Invalid 'for' condition", "The 'if' clause value is invalid: bool required."],
    ]);
    expect(errs("{for k, v in {a=1}: null => v}")).toEqual([
      ["Invalid object key", "Key expression in 'for' expression must not produce a null value."],
    ]);
    expect(errs("{for k, v in {a=1}: [k] => v}")).toEqual([
      ["Invalid object key", "The key expression produced an invalid result: string required."],
    ]);
    expect(errs("[for x in [1]: y]")).toEqual([
      ["Unknown variable", 'There is no variable named "y". Did you mean "x"?'],
    ]);
  });

  it("gives DynamicVal for unknown collections and keys", () => {
    expect(goStr("[for x in var.unknown_list: x]")).toBe("cty.DynamicVal");
    expect(goStr("{for x in var.unknown_list: x.id => x}")).toBe("cty.DynamicVal");
    expect(goStr("[for x in [1, 2]: x if x == var.unknown_num]")).toBe("cty.DynamicVal");
    expect(goStr('{for x in ["a"]: var.unknown_str => x}')).toBe("cty.DynamicVal");
    expect(goStr("[for x in var.dyn: x]")).toBe("cty.DynamicVal");
  });

  it("binds names in a child context that shadows outer variables", () => {
    expect(goStr("[for var in [1]: var]")).toBe("cty.TupleVal([]cty.Value{cty.NumberIntVal(1)})");
    expect(goStr('[for x in [1]: "${var.name}${x}"]')).toBe(
      'cty.TupleVal([]cty.Value{cty.StringVal("web1")})',
    );
  });
});

describe("splat expressions", () => {
  it("splats lists, sets and tuples", () => {
    expect(goStr("var.objs[*].id")).toBe(
      "cty.TupleVal([]cty.Value{cty.NumberIntVal(1), cty.NumberIntVal(2)})",
    );
    expect(goStr("var.objs.*.id")).toBe(
      "cty.TupleVal([]cty.Value{cty.NumberIntVal(1), cty.NumberIntVal(2)})",
    );
    expect(goStr("var.list[*]")).toBe('cty.ListVal([]cty.Value{cty.StringVal("a"), cty.StringVal("b")})');
    expect(goStr("var.set[*]")).toBe('cty.ListVal([]cty.Value{cty.StringVal("x"), cty.StringVal("y")})');
    expect(goStr("[[1],[2]][*][0]")).toBe(
      "cty.TupleVal([]cty.Value{cty.NumberIntVal(1), cty.NumberIntVal(2)})",
    );
    expect(goStr("[{a=[{b=1}]}][*].a[*].b")).toBe(
      "cty.TupleVal([]cty.Value{cty.TupleVal([]cty.Value{cty.NumberIntVal(1)})})",
    );
  });

  it("wraps a single value and turns null into an empty tuple", () => {
    expect(goStr("var.name[*]")).toBe('cty.TupleVal([]cty.Value{cty.StringVal("web")})');
    expect(goStr("{a=1}.*.a")).toBe("cty.TupleVal([]cty.Value{cty.NumberIntVal(1)})");
    expect(goStr("null[*]")).toBe("cty.EmptyTupleVal");
  });

  it("gives unknowns of the right type for unknown sources", () => {
    expect(goStr("var.unknown_list[*].id")).toBe("cty.UnknownVal(cty.List(cty.Number))");
    expect(goStr("var.unknown_obj[*].id")).toBe("cty.DynamicVal");
    expect(goStr("var.dyn[*].id")).toBe("cty.DynamicVal");
  });

  it("reports errors from each element", () => {
    expect(errs("[{a=1},{b=2}][*].a")).toEqual([
      ["Unsupported attribute", 'This object does not have an attribute named "a".'],
    ]);
    expect(goStr("[{a=1},{a=2}][*].a")).toBe(
      "cty.TupleVal([]cty.Value{cty.NumberIntVal(1), cty.NumberIntVal(2)})",
    );
  });
});

describe("function calls", () => {
  it("calls functions, converting arguments", () => {
    expect(goStr('upper("a")')).toBe('cty.StringVal("A")');
    expect(goStr("upper(1)")).toBe('cty.StringVal("1")');
    expect(goStr('join("-", "a", "b")')).toBe('cty.StringVal("a-b")');
    expect(goStr('join("-")')).toBe('cty.StringVal("")');
  });

  it("expands a final argument with ...", () => {
    expect(goStr('join("-", var.list...)')).toBe('cty.StringVal("a-b")');
    expect(goStr('join("-", "x", var.set...)')).toBe('cty.StringVal("x-x-y")');
    expect(goStr('join(["-", "a", "b"]...)')).toBe('cty.StringVal("a-b")');
    expect(goStr('join("-", var.unknown_list...)')).toBe("cty.DynamicVal");
    expect(errs('upper("a"...)')).toEqual([
      [
        "Invalid expanding argument value",
        "The expanding argument (indicated by ...) must be of a tuple, list, or set type.",
      ],
    ]);
    expect(errs("upper(null...)")).toEqual([
      ["Invalid expanding argument value", "The expanding argument (indicated by ...) must not be null."],
    ]);
  });

  it("checks the number of arguments", () => {
    const few = ev("upper()");
    expect(few.diagnostics.map((d) => [d.summary, d.detail])).toEqual([
      ["Not enough function arguments", 'Function "upper" expects 1 argument(s). Missing value for "str".'],
    ]);
    expect(few.diagnostics[0]!.subject).toMatchObject({ start: { column: 7 }, end: { column: 8 } });
    expect(errs("join()")).toEqual([
      [
        "Not enough function arguments",
        'Function "join" expects at least 1 argument(s). Missing value for "sep".',
      ],
    ]);
    const many = ev("upper(1, 2)");
    expect(many.diagnostics.map((d) => [d.summary, d.detail])).toEqual([
      ["Too many function arguments", 'Function "upper" expects only 1 argument(s).'],
    ]);
    expect(many.diagnostics[0]!.subject).toMatchObject({ start: { column: 10 }, end: { column: 11 } });
  });

  it("reports argument and call errors", () => {
    expect(errs("upper([1])")).toEqual([
      ["Invalid function argument", 'Invalid value for "str" parameter: string required.'],
    ]);
    expect(errs("upper(null)")).toEqual([
      ["Invalid function argument", 'Invalid value for "str" parameter: argument must not be null.'],
    ]);
    expect(errs("failing(-1)")).toEqual([
      ["Invalid function argument", 'Invalid value for "n" parameter: must not be negative.'],
    ]);
    const r = ev("failing(1)");
    expect(r.diagnostics.map((d) => [d.summary, d.detail])).toEqual([
      ["Error in function call", 'Call to function "failing" failed: always fails.'],
    ]);
    expect(r.diagnostics[0]!.subject).toMatchObject({ start: { column: 1 }, end: { column: 9 } });
    expect(r.diagnostics[0]!.context).toMatchObject({ start: { column: 1 }, end: { column: 11 } });
  });

  it("reports unknown functions with a suggestion, and calls without functions", () => {
    expect(errs('uper("a")')).toEqual([
      ["Call to unknown function", 'There is no function named "uper". Did you mean "upper"?'],
    ]);
    expect(errs("nope()")).toEqual([["Call to unknown function", 'There is no function named "nope".']]);
    expect(errs("upper(1)", { variables })).toEqual([
      ["Function calls not allowed", "Functions may not be called here."],
    ]);
    expect(errs("upper(1)", null)).toEqual([
      ["Function calls not allowed", "Functions may not be called here."],
    ]);
    // As in HCL, suggestions come only from the innermost context's own table.
    expect(errs('[for x in ["a"]: uper(x)]')).toEqual([
      ["Call to unknown function", 'There is no function named "uper".'],
    ]);
  });

  it("reports namespaced function names", () => {
    const c: EvalContext = { variables, functions: new Map([...functions, ["ns::upper", upper]]) };
    expect(errs('ns::uper("a")', c)).toEqual([
      [
        "Call to unknown function",
        'There is no function named "uper" in namespace ns::. Did you mean ns::upper?',
      ],
    ]);
    expect(errs('other::upper("a")', c)).toEqual([
      ["Call to unknown function", 'There are no functions in namespace "other::".'],
    ]);
    expect(valueGoString(val('ns::upper("a")', c))).toBe('cty.StringVal("A")');
  });

  it("gives unknown results for unknown arguments", () => {
    expect(goStr("upper(var.unknown_str)")).toBe("cty.UnknownVal(cty.String)");
  });
});

describe("marks", () => {
  const sensitive = (src: string) => {
    const v = val(src);
    expect([src, v.hasMark(SENSITIVE)]).toEqual([src, true]);
  };

  it("reach every derived value", () => {
    sensitive('"Bearer ${var.token}"');
    sensitive("upper(var.token)");
    sensitive('var.token == "x"');
    sensitive('var.flag ? "a" : "b"');
    sensitive('true ? var.token : "b"');
    sensitive('false ? var.token : "b"');
    sensitive("[for x in var.secret_list: x]");
    sensitive("{for x in var.secret_list: x => x}");
    sensitive("{for x in var.list: x => x if var.flag}");
    sensitive("{for x in var.list: var.token => x...}");
    sensitive("var.secret_list[*]");
    sensitive("var.secret_list[0]");
    sensitive("{(var.token) = 1}");
    sensitive('"%{for x in var.secret_list}${x}%{endfor}"');
    sensitive('"%{for x in var.list}${var.token}%{endfor}"');
    sensitive('join("-", var.secret_list...)');
    sensitive("!var.flag");
    sensitive("var.flag && true");
    sensitive('"${var.token}"');
  });

  it("come from for-expression conditions, also when the result is unknown", () => {
    expect(goStr("[for x in var.list: x if x != var.token]")).toBe(
      'cty.TupleVal([]cty.Value{cty.StringVal("a"), cty.StringVal("b")}).Mark("sensitive")',
    );
    const c: EvalContext = {
      variables: new Map([
        ["things", listVal([stringVal("a"), stringVal("b")])],
        ["unknown_secret", unknownVal(stringType).mark(SENSITIVE)],
      ]),
    };
    expect(valueGoString(val("[for v in things: v if v != unknown_secret]", c))).toBe(
      'cty.DynamicVal.Mark("sensitive")',
    );
    expect(valueGoString(val("{for v in things: v => v if v != unknown_secret}", c))).toBe(
      'cty.DynamicVal.Mark("sensitive")',
    );
  });

  it("from a deciding && / || operand and the other operand both reach the result", () => {
    const c: EvalContext = {
      variables: new Map([
        ["t", trueVal.mark("a")],
        ["u", unknownVal(boolType).mark("b")],
      ]),
    };
    const v = val("t || u", c);
    expect(v.hasMark("a") && v.hasMark("b") && v.raw === true).toBe(true);
  });

  it("keep element marks inside constructed values", () => {
    const v = val("[var.token, 1]");
    expect(v.isMarked()).toBe(false);
    expect(v.containsMarked()).toBe(true);
    const o = val("[for x in [1]: var.token]");
    expect(o.containsMarked()).toBe(true);
  });
});

describe("other nodes", () => {
  it("evaluates parentheses and syntax errors", () => {
    expect(goStr("((1))")).toBe("cty.NumberIntVal(1)");
    const parseDiag: Diagnostic = { severity: "error", summary: "Missing expression", detail: "x" };
    const range = parseExpression("1", "test.hcl").expression.srcRange;
    const r = evaluate(
      { kind: "ExprSyntaxError", parseDiags: [parseDiag], srcRange: range, startRange: range },
      ctx,
    );
    expect(rawEquals(r.value, dynamicVal)).toBe(true);
    expect(r.diagnostics).toEqual([parseDiag]);
  });

  it("types unknown results of constructors from their parts", () => {
    const t = val("[var.unknown_str]").type;
    expect(typeEquals(t.kind === "tuple" ? t.elementTypes[0]! : dynamicType, stringType)).toBe(true);
  });
});
