// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are HCL source text
import { describe, expect, it } from "vitest";
import { parseExpression } from "../syntax/index.js";
import {
  applyDefaults,
  convertToConstraint,
  objectVal,
  stringVal,
  tupleVal,
  typeGoString,
  typeString,
  valueGoString,
} from "../value/index.js";
import { parseType, parseTypeConstraint, parseTypeConstraintWithoutDefaults } from "./type-expr.js";

function expr(src: string) {
  const p = parseExpression(src, "types.hcl");
  expect(p.diagnostics).toEqual([]);
  return p.expression;
}

function constraintOf(src: string) {
  const r = parseTypeConstraint(expr(src));
  expect(r.diagnostics).toEqual([]);
  return r.constraint;
}

function details(r: { diagnostics: { summary: string; detail?: string }[] }): string[] {
  return r.diagnostics.map((d) => `${d.summary}: ${d.detail}`);
}

describe("type expressions", () => {
  it("reads primitive, collection and structural types", () => {
    const cases: [string, string][] = [
      ["string", "string"],
      ["number", "number"],
      ["bool", "bool"],
      ["any", "any"],
      ["list(string)", "list(string)"],
      ["set(number)", "set(number)"],
      ["map(list(any))", "map(list(any))"],
      ["object({name = string, port = number})", "object({name=string,port=number})"],
      ["tuple([string, bool])", "tuple([string,bool])"],
      ["tuple([])", "tuple([])"],
      ["object({})", "object({})"],
    ];
    for (const [src, want] of cases) {
      expect([src, typeString(constraintOf(src).type)]).toEqual([src, want]);
    }
  });

  it("marks optional attributes and keeps their converted defaults", () => {
    const c = constraintOf(
      'object({name = string, port = optional(number, "22"), tags = optional(map(string))})',
    );
    expect(typeGoString(c.type)).toBe(
      'cty.ObjectWithOptionalAttrs(map[string]cty.Type{"name":cty.String, "port":cty.Number, "tags":cty.Map(cty.String)}, []string{"port", "tags"})',
    );
    expect(c.defaults).toBeDefined();
    expect(valueGoString(c.defaults!.defaultValues.get("port")!)).toBe("cty.NumberIntVal(22)");
    const r = convertToConstraint(objectVal({ name: stringVal("a") }), c);
    expect(r.ok && valueGoString(r.value)).toBe(
      'cty.ObjectVal(map[string]cty.Value{"name":cty.StringVal("a"), "port":cty.NumberIntVal(22), "tags":cty.NullVal(cty.Map(cty.String))})',
    );
  });

  it("nests defaults inside collections and tuples", () => {
    const c = constraintOf("list(object({a = optional(number, 1)}))");
    expect(c.defaults?.children.get("")?.defaultValues.get("a")).toBeDefined();
    const t = constraintOf("tuple([string, object({b = optional(bool, true)})])");
    expect(t.defaults?.children.get("1")).toBeDefined();
    const v = applyDefaults(t.defaults!, tupleVal([stringVal("x"), objectVal({})]));
    expect(valueGoString(v)).toBe(
      'cty.TupleVal([]cty.Value{cty.StringVal("x"), cty.ObjectVal(map[string]cty.Value{"b":cty.True})})',
    );
    expect(constraintOf("list(string)").defaults).toBeUndefined();
  });

  it("rejects what is not a type", () => {
    const cases: [string, string][] = [
      [
        '"string"',
        "Invalid type specification: A type specification is either a primitive type keyword (bool, number, string) or a complex type constructor call, like list(string).",
      ],
      [
        "list",
        "Invalid type specification: The list type constructor requires one argument specifying the element type.",
      ],
      [
        "object",
        "Invalid type specification: The object type constructor requires one argument specifying the attribute types and values as a map.",
      ],
      [
        "tuple",
        "Invalid type specification: The tuple type constructor requires one argument specifying the element types as a list.",
      ],
      [
        "list(string, number)",
        "Invalid type specification: The list type constructor requires one argument specifying the element type.",
      ],
      ["foo", 'Invalid type specification: The keyword "foo" is not a valid type specification.'],
      ["foo(string)", 'Invalid type specification: Keyword "foo" is not a valid type constructor.'],
      ["string()", 'Invalid type specification: Primitive type keyword "string" does not expect arguments.'],
      ["any(1)", 'Invalid type specification: Type constraint keyword "any" does not expect arguments.'],
      [
        "optional(string)",
        'Invalid type specification: Keyword "optional" is valid only as a modifier for object type attributes.',
      ],
      [
        'object({"a" = string})',
        "Invalid type specification: Object constructor map keys must be attribute names.",
      ],
      [
        "object({a = string, a = number})",
        "Invalid type specification: Object constructor map keys must be unique.",
      ],
      [
        "object([string])",
        "Invalid type specification: Object type constructor requires a map whose keys are attribute names and whose values are the corresponding attribute types.",
      ],
      ["tuple({})", "Invalid type specification: Tuple type constructor requires a list of element types."],
      [
        "(string)",
        "Invalid type specification: A type specification is either a primitive type keyword (bool, number, string) or a complex type constructor call, like list(string).",
      ],
      [
        "object({a = optional()})",
        "Invalid type specification: Optional attribute modifier requires the attribute type as its argument.",
      ],
      [
        "object({a = optional(string, 1, 2)})",
        "Invalid type specification: Optional attribute modifier expects at most two arguments: the attribute type, and a default value.",
      ],
      [
        "object({a = optional(list(string), 1)})",
        "Invalid default value for optional attribute: This default value is not compatible with the attribute's type constraint: list of string required.",
      ],
    ];
    for (const [src, want] of cases) {
      expect([src, details(parseTypeConstraint(expr(src)))]).toEqual([src, [want]]);
    }
  });

  it("points at the extra constructor arguments", () => {
    const r = parseTypeConstraint(expr("list(string, number, bool)"));
    expect(r.diagnostics[0]!.subject).toMatchObject({ start: { column: 14 }, end: { column: 26 } });
    expect(r.diagnostics[0]!.context).toMatchObject({ start: { column: 5 }, end: { column: 27 } });
  });

  it("requires exact types from parseType and no defaults from the convert flavour", () => {
    expect(details(parseType(expr("map(any)")))).toEqual([
      'Invalid type specification: The keyword "any" cannot be used in this type specification: an exact type is required.',
    ]);
    expect(details(parseType(expr("object({a = optional(string)})")))).toEqual([
      "Invalid type specification: Optional attribute modifier is only for type constraints, not for exact types.",
    ]);
    expect(details(parseTypeConstraintWithoutDefaults(expr("object({a = optional(string, 1)})")))).toEqual([
      "Invalid type specification: Optional attribute modifier expects only one argument: the attribute type.",
    ]);
    const ok = parseTypeConstraintWithoutDefaults(expr("object({a = optional(string)})"));
    expect(ok.diagnostics).toEqual([]);
    expect(typeGoString(ok.type)).toBe(
      'cty.ObjectWithOptionalAttrs(map[string]cty.Type{"a":cty.String}, []string{"a"})',
    );
  });

  it("evaluates defaults without variables", () => {
    const r = parseTypeConstraint(expr("object({a = optional(string, var.x)})"));
    expect(details(r)).toEqual(["Variables not allowed: Variables may not be used here."]);
    const d = constraintOf("object({a = optional(number, 1 + 1)})").defaults?.defaultValues.get("a");
    expect(d && valueGoString(d)).toBe("cty.NumberIntVal(2)");
  });
});
