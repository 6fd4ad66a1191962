import { describe, expect, it } from "vitest";
import { mismatchMessage } from "./conversion-messages.js";
import { type ConvertResult, convert, getConversion, getConversionUnsafe } from "./convert.js";
import { rawEquals } from "./equality.js";
import { setVal } from "./set.js";
import {
  boolType,
  dynamicType,
  listType,
  mapType,
  numberType,
  objectType,
  setType,
  stringType,
  type Type,
  tupleType,
  typeEquals,
  typeString,
} from "./types.js";
import {
  boolVal,
  dynamicVal,
  emptyObjectVal,
  emptyTupleVal,
  listVal,
  listValEmpty,
  mapVal,
  nullVal,
  numberIntVal,
  objectVal,
  parseNumberVal,
  SENSITIVE,
  stringVal,
  tupleVal,
  unknownVal,
  type Value,
  valueGoString,
} from "./value.js";

function num(s: string): Value {
  const r = parseNumberVal(s);
  if (!r.ok) throw new Error(s);
  return r.value;
}

function ok(r: ConvertResult): Value {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

function message(r: ConvertResult): string {
  if (r.ok) throw new Error(`expected failure, got ${valueGoString(r.value)}`);
  return r.error.message;
}

describe("primitive conversions", () => {
  it("converts safely to string", () => {
    expect(ok(convert(num("1.50"), stringType)).asString()).toBe("1.5");
    expect(ok(convert(num("1e21"), stringType)).asString()).toBe("1000000000000000000000");
    expect(ok(convert(num("1.5e-10"), stringType)).asString()).toBe("0.00000000015");
    expect(ok(convert(num("-0"), stringType)).asString()).toBe("-0");
    expect(ok(convert(boolVal(true), stringType)).asString()).toBe("true");
  });

  it("parses strings as numbers and bools (unsafe)", () => {
    expect(ok(convert(stringVal("12.5"), numberType)).asNumber()).toBe(12.5);
    expect(ok(convert(stringVal("1"), boolType)).asBool()).toBe(true);
    expect(ok(convert(stringVal("0"), boolType)).asBool()).toBe(false);
    expect(ok(convert(stringVal("false"), boolType)).asBool()).toBe(false);
    expect(getConversion(stringType, numberType)).toBeUndefined();
    expect(getConversionUnsafe(stringType, numberType)).toBeDefined();
  });

  it("fails with cty's (and Packer's) messages", () => {
    expect(message(convert(stringVal("abc"), numberType))).toBe("a number is required");
    expect(message(convert(stringVal(" 1"), numberType))).toBe("a number is required");
    expect(message(convert(stringVal("True"), boolType))).toBe(
      'a bool is required; to convert from string, use lowercase "true"',
    );
    expect(message(convert(stringVal("FALSE"), boolType))).toBe(
      'a bool is required; to convert from string, use lowercase "false"',
    );
    expect(message(convert(stringVal("yes"), boolType))).toBe("a bool is required");
    expect(message(convert(boolVal(true), numberType))).toBe("number required");
    expect(message(convert(numberIntVal(1), boolType))).toBe("bool required");
  });
});

describe("collection and structural conversions", () => {
  it("converts tuples to lists and sets, unifying element types", () => {
    const l = ok(convert(tupleVal([stringVal("a"), num("1")]), listType(stringType)));
    expect(valueGoString(l)).toBe('cty.ListVal([]cty.Value{cty.StringVal("a"), cty.StringVal("1")})');
    const any = ok(convert(tupleVal([stringVal("a"), num("1"), boolVal(true)]), listType(dynamicType)));
    expect(typeString(any.type)).toBe("list(string)");
    const s = ok(convert(tupleVal([stringVal("b"), stringVal("a"), stringVal("b")]), setType(stringType)));
    expect(s.asValueSlice().map((e) => e.asString())).toEqual(["a", "b"]);
    expect(typeString(ok(convert(emptyTupleVal, listType(numberType))).type)).toBe("list(number)");
  });

  it("converts between lists and sets", () => {
    const l = listVal([stringVal("b"), stringVal("a")]);
    expect(getConversion(listType(stringType), setType(stringType))).toBeUndefined();
    expect(ok(convert(l, setType(stringType))).lengthInt()).toBe(2);
    const s = setVal([num("2"), num("1")]);
    expect(
      ok(convert(s, listType(numberType)))
        .asValueSlice()
        .map((e) => e.asNumber()),
    ).toEqual([1, 2]);
    expect(
      ok(convert(s, listType(stringType)))
        .asValueSlice()
        .map((e) => e.asString()),
    ).toEqual(["1", "2"]);
  });

  it("gives an unknown list for a set holding unknowns", () => {
    const s = setVal([unknownVal(stringType), stringVal("a")]);
    const l = ok(convert(s, listType(stringType)));
    expect(l.isKnown()).toBe(false);
    expect(typeString(l.type)).toBe("list(string)");
  });

  it("converts objects to maps and maps to objects", () => {
    const m = ok(convert(objectVal({ a: stringVal("x"), b: num("1") }), mapType(dynamicType)));
    expect(typeString(m.type)).toBe("map(string)");
    const o = ok(
      convert(mapVal({ a: stringVal("1"), extra: stringVal("2") }), objectType({ a: numberType })),
    );
    expect(valueGoString(o)).toBe('cty.ObjectVal(map[string]cty.Value{"a":cty.NumberIntVal(1)})');
    expect(message(convert(mapVal({ b: stringVal("1") }), objectType({ a: stringType })))).toBe(
      'map has no element for required attribute "a"',
    );
    expect(getConversion(mapType(stringType), objectType({ a: stringType }))).toBeUndefined();
  });

  it("drops extra object attributes and fills optional ones with null", () => {
    const want = objectType({ a: stringType, b: numberType }, ["b"]);
    const o = ok(convert(objectVal({ a: stringVal("x"), c: boolVal(true) }), want));
    expect(valueGoString(o)).toBe(
      'cty.ObjectVal(map[string]cty.Value{"a":cty.StringVal("x"), "b":cty.NullVal(cty.Number)})',
    );
    expect(o.type.kind === "object" && o.type.optionalAttributes.size).toBe(0);
  });

  it("converts tuples to tuples element by element", () => {
    const t = ok(convert(tupleVal([num("1"), boolVal(false)]), tupleType([stringType, stringType])));
    expect(t.asValueSlice().map((e) => e.asString())).toEqual(["1", "false"]);
    expect(message(convert(tupleVal([num("1"), num("2")]), tupleType([stringType])))).toBe("tuple required");
  });

  it("passes anything through to dynamic and fixes up dynamic sources", () => {
    const v = listVal([stringVal("a")]);
    expect(rawEquals(ok(convert(v, dynamicType)), v)).toBe(true);
    const d = ok(convert(dynamicVal, listType(stringType)));
    expect(d.isKnown()).toBe(false);
    expect(typeString(d.type)).toBe("list(string)");
    const n = ok(convert(nullVal(dynamicType), numberType));
    expect(n.isNull() && n.type.kind === "number").toBe(true);
  });

  it("converts unknowns and nulls to the target type", () => {
    const u = ok(convert(unknownVal(tupleType([stringType])), listType(stringType)));
    expect(u.isKnown()).toBe(false);
    expect(typeString(u.type)).toBe("list(string)");
    const n = ok(convert(nullVal(objectType({ a: stringType })), mapType(dynamicType)));
    expect(n.isNull()).toBe(true);
  });
});

describe("marks survive conversion", () => {
  it("keeps the marks of the converted value and its elements", () => {
    expect(ok(convert(num("1").mark(SENSITIVE), stringType)).hasMark(SENSITIVE)).toBe(true);
    const l = ok(convert(tupleVal([num("1").mark(SENSITIVE), num("2")]), listType(stringType)));
    expect(l.asValueSlice()[0]!.hasMark(SENSITIVE)).toBe(true);
    expect(l.asValueSlice()[1]!.isMarked()).toBe(false);
    const s = ok(convert(tupleVal([stringVal("x").mark(SENSITIVE)]), setType(stringType)));
    expect(s.hasMark(SENSITIVE)).toBe(true);
    expect(ok(convert(unknownVal(stringType).mark(SENSITIVE), numberType)).hasMark(SENSITIVE)).toBe(true);
  });
});

describe("conversion error messages (as Packer prints them for variable defaults)", () => {
  const cases: [Value, Type, string][] = [
    [tupleVal([stringVal("a")]), listType(numberType), "a number is required"],
    [emptyObjectVal, objectType({ a: stringType }), 'attribute "a" is required'],
    [emptyObjectVal, objectType({ a: stringType, b: numberType }), 'attributes "a" and "b" are required'],
    [
      emptyObjectVal,
      objectType({ a: stringType, b: numberType, c: boolType }),
      'attributes "a", "b", and "c" are required',
    ],
    [tupleVal([num("1")]), mapType(stringType), "map of string required"],
    [objectVal({ a: num("1") }), listType(stringType), "list of string required"],
    [tupleVal([stringVal("x")]), setType(numberType), "a number is required"],
    [tupleVal([num("1")]), stringType, "string required"],
    [
      objectVal({ a: tupleVal([stringVal("x")]) }),
      objectType({ a: listType(numberType) }),
      "a number is required",
    ],
    [objectVal({ a: stringVal("x") }), mapType(numberType), "a number is required"],
    [
      tupleVal([objectVal({ b: num("1") })]),
      listType(objectType({ a: stringType })),
      'element 0: attribute "a" is required',
    ],
    [
      tupleVal([stringVal("a"), emptyTupleVal]),
      listType(dynamicType),
      "all list elements must have the same type",
    ],
    [
      tupleVal([stringVal("a"), emptyTupleVal]),
      setType(dynamicType),
      "all set elements must have the same type",
    ],
    [
      objectVal({ a: stringVal("x"), b: emptyTupleVal }),
      mapType(dynamicType),
      "all map elements must have the same type",
    ],
    [listVal([stringVal("a")]), mapType(stringType), "map of string required"],
    [listVal([boolVal(true)]), listType(numberType), "incorrect list element type: number required"],
    [
      listValEmpty(stringType),
      listType(listType(dynamicType)),
      "incorrect list element type: list of any single type required",
    ],
  ];
  for (const [v, t, msg] of cases) {
    it(`${valueGoString(v)} -> ${typeString(t)}`, () => {
      expect(message(convert(v, t))).toBe(msg);
    });
  }

  it("reports where the problem is", () => {
    const r = convert(
      objectVal({ a: tupleVal([num("1"), stringVal("x")]) }),
      objectType({ a: listType(numberType) }),
    );
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.path.map((s) => (s.kind === "getAttr" ? s.name : s.key.asNumber()))).toEqual(["a", 1]);
    }
  });

  it("describes object attribute mismatches", () => {
    expect(mismatchMessage(objectType({ a: boolType }), objectType({ a: numberType }))).toBe(
      'attribute "a": number required',
    );
  });
});

describe("conversion identity", () => {
  it("returns the value unchanged when it already has the type", () => {
    const v = objectVal({ a: stringVal("x") });
    const r = ok(convert(v, objectType({ a: stringType })));
    expect(r).toBe(v);
    expect(typeEquals(r.type, v.type)).toBe(true);
  });
});
