import { describe, expect, it } from "vitest";
import { equals, notEquals, rawEquals } from "./equality.js";
import { and, getAttr, hasElement, hasIndex, index, length, not, or } from "./operations.js";
import { setVal } from "./set.js";
import {
  boolType,
  dynamicType,
  listType,
  mapType,
  numberType,
  objectType,
  stringType,
  tupleType,
} from "./types.js";
import {
  dynamicVal,
  falseVal,
  listVal,
  mapVal,
  nullVal,
  numberIntVal,
  objectVal,
  parseNumberVal,
  SENSITIVE,
  stringVal,
  trueVal,
  tupleVal,
  unknownVal,
  type Value,
  ValueUsageError,
} from "./value.js";

function num(s: string): Value {
  const r = parseNumberVal(s);
  if (!r.ok) throw new Error(s);
  return r.value;
}

const known = (v: Value) => v.unmark()[0].asBool();

describe("equals", () => {
  it("compares values of the same type", () => {
    expect(known(equals(num("1"), num("1.0")))).toBe(true);
    expect(known(equals(num("1"), numberIntVal(1)))).toBe(true);
    expect(known(equals(stringVal("a"), stringVal("a")))).toBe(true);
    expect(known(equals(stringVal("é"), stringVal("e\u0301")))).toBe(true);
    expect(known(equals(listVal([num("1")]), listVal([num("1")])))).toBe(true);
    expect(known(equals(objectVal({ a: num("1") }), objectVal({ a: num("2") })))).toBe(false);
    expect(known(equals(mapVal({ a: num("1") }), mapVal({ b: num("1") })))).toBe(false);
    expect(known(equals(tupleVal([num("1"), stringVal("a")]), tupleVal([num("1"), stringVal("a")])))).toBe(
      true,
    );
  });

  it("never equates different types", () => {
    expect(known(equals(num("1"), stringVal("1")))).toBe(false);
    expect(known(equals(listVal([num("1")]), tupleVal([num("1")])))).toBe(false);
  });

  it("treats nulls of any type as equal", () => {
    expect(known(equals(nullVal(stringType), nullVal(numberType)))).toBe(true);
    expect(known(equals(nullVal(stringType), stringVal("")))).toBe(false);
  });

  it("is unknown when an unknown could still match", () => {
    expect(equals(unknownVal(stringType), stringVal("a")).isKnown()).toBe(false);
    expect(equals(unknownVal(stringType), nullVal(numberType)).isKnown()).toBe(false);
    expect(equals(dynamicVal, num("1")).isKnown()).toBe(false);
    expect(equals(listVal([unknownVal(stringType)]), listVal([stringVal("a")])).isKnown()).toBe(false);
  });

  it("is false when types rule equality out despite unknowns", () => {
    expect(known(equals(unknownVal(stringType), num("1")))).toBe(false);
  });

  it("carries all marks found in either operand", () => {
    const r = equals(listVal([stringVal("a").mark(SENSITIVE)]), listVal([stringVal("a")]));
    expect(r.hasMark(SENSITIVE)).toBe(true);
    expect(known(r)).toBe(true);
    expect(known(notEquals(stringVal("a"), stringVal("b")))).toBe(true);
    expect(notEquals(stringVal("a").mark(SENSITIVE), stringVal("b")).hasMark(SENSITIVE)).toBe(true);
  });
});

describe("rawEquals", () => {
  it("compares identity including unknowns and marks", () => {
    expect(rawEquals(unknownVal(stringType), unknownVal(stringType))).toBe(true);
    expect(rawEquals(unknownVal(stringType), unknownVal(numberType))).toBe(false);
    expect(rawEquals(stringVal("a"), stringVal("a").mark(SENSITIVE))).toBe(false);
    expect(rawEquals(nullVal(stringType), nullVal(numberType))).toBe(false);
    expect(
      rawEquals(listVal([stringVal("a").mark(SENSITIVE)]), listVal([stringVal("a").mark(SENSITIVE)])),
    ).toBe(true);
  });
});

describe("index and getAttr", () => {
  const list = listVal([stringVal("a"), stringVal("b")]);
  it("reads elements", () => {
    expect(index(list, num("1")).asString()).toBe("b");
    expect(index(mapVal({ k: num("1") }), stringVal("k")).asNumber()).toBe(1);
    expect(index(tupleVal([stringVal("x"), num("2")]), numberIntVal(1)).asNumber()).toBe(2);
    expect(getAttr(objectVal({ a: stringVal("v") }), "a").asString()).toBe("v");
  });

  it("propagates marks of the collection and the key", () => {
    expect(index(list.mark(SENSITIVE), num("0")).hasMark(SENSITIVE)).toBe(true);
    expect(index(list, num("0").mark("k")).hasMark("k")).toBe(true);
    expect(getAttr(objectVal({ a: stringVal("v") }).mark(SENSITIVE), "a").hasMark(SENSITIVE)).toBe(true);
    expect(index(listVal([stringVal("s").mark(SENSITIVE)]), num("0")).hasMark(SENSITIVE)).toBe(true);
  });

  it("gives unknowns for unknown collections or keys", () => {
    expect(index(unknownVal(listType(stringType)), num("0")).type.kind).toBe("string");
    expect(index(list, unknownVal(numberType)).isKnown()).toBe(false);
    expect(index(tupleVal([stringVal("x")]), unknownVal(numberType)).type.kind).toBe("dynamic");
    expect(getAttr(unknownVal(objectType({ a: boolType })), "a").type.kind).toBe("bool");
    expect(getAttr(dynamicVal, "a").type.kind).toBe("dynamic");
  });

  it("throws for invalid access (a caller bug)", () => {
    expect(() => index(list, num("2"))).toThrow(ValueUsageError);
    expect(() => index(list, num("0.5"))).toThrow(ValueUsageError);
    expect(() => getAttr(objectVal({}), "a")).toThrow(ValueUsageError);
    expect(() => index(stringVal("s"), num("0"))).toThrow(ValueUsageError);
  });

  it("answers hasIndex like cty", () => {
    expect(known(hasIndex(list, num("1")))).toBe(true);
    expect(known(hasIndex(list, num("2")))).toBe(false);
    expect(known(hasIndex(list, num("-1")))).toBe(false);
    expect(known(hasIndex(list, num("0.5")))).toBe(false);
    expect(known(hasIndex(list, stringVal("0")))).toBe(false);
    expect(known(hasIndex(mapVal({ a: num("1") }), stringVal("a")))).toBe(true);
    expect(known(hasIndex(tupleVal([num("1")]), num("0")))).toBe(true);
    expect(hasIndex(unknownVal(listType(stringType)), num("0")).isKnown()).toBe(false);
  });

  it("answers hasElement for sets", () => {
    const s = setVal([stringVal("a")]);
    expect(known(hasElement(s, stringVal("a")))).toBe(true);
    expect(known(hasElement(s, num("1")))).toBe(false);
    expect(hasElement(s, unknownVal(stringType)).isKnown()).toBe(false);
  });
});

describe("length", () => {
  it("counts elements and attributes", () => {
    expect(length(listVal([num("1"), num("2")])).asNumber()).toBe(2);
    expect(length(mapVal({ a: num("1") })).asNumber()).toBe(1);
    expect(length(objectVal({ a: num("1"), b: num("2") })).asNumber()).toBe(2);
    expect(length(unknownVal(tupleType([stringType, stringType]))).asNumber()).toBe(2);
    expect(length(listVal([num("1")])).asBigFloat().prec).toBe(64);
  });

  it("is unknown when the collection's size isn't known", () => {
    expect(length(unknownVal(listType(stringType))).isKnown()).toBe(false);
    expect(length(setVal([unknownVal(stringType), stringVal("a")])).isKnown()).toBe(false);
    expect(length(setVal([unknownVal(stringType)])).asNumber()).toBe(1);
  });

  it("keeps the collection's marks", () => {
    expect(length(listVal([num("1")]).mark(SENSITIVE)).hasMark(SENSITIVE)).toBe(true);
  });
});

describe("logic", () => {
  it("implements not, and, or with unknown short-circuits", () => {
    expect(known(not(trueVal))).toBe(false);
    expect(known(and(trueVal, falseVal))).toBe(false);
    expect(known(or(falseVal, trueVal))).toBe(true);
    expect(known(and(unknownVal(boolType), falseVal))).toBe(false);
    expect(and(unknownVal(boolType), trueVal).isKnown()).toBe(false);
    expect(known(or(dynamicVal, trueVal))).toBe(true);
    expect(or(unknownVal(boolType), falseVal).isKnown()).toBe(false);
    expect(not(dynamicVal).type.kind).toBe("bool");
  });

  it("carries marks", () => {
    expect(and(trueVal.mark(SENSITIVE), trueVal).hasMark(SENSITIVE)).toBe(true);
    expect(not(falseVal.mark(SENSITIVE)).hasMark(SENSITIVE)).toBe(true);
  });

  it("rejects non-bool operands", () => {
    expect(() => not(stringVal("true"))).toThrow(ValueUsageError);
    expect(() => and(nullVal(boolType), trueVal)).toThrow(ValueUsageError);
  });
});

describe("types used in operations", () => {
  it("keeps element types for typed unknown results", () => {
    expect(index(unknownVal(mapType(listType(numberType))), stringVal("a")).type.kind).toBe("list");
    expect(index(unknownVal(dynamicType), num("1")).type.kind).toBe("dynamic");
  });
});
