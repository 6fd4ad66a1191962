import { describe, expect, it } from "vitest";
import {
  boolType,
  dynamicType,
  emptyObjectType,
  listType,
  mapType,
  numberType,
  objectType,
  setType,
  stringType,
  type Type,
  tupleType,
  typeString,
} from "./types.js";
import { sortTypes, unify, unifyUnsafe } from "./unify.js";
import { numberIntVal, stringVal, tupleVal } from "./value.js";

function unified(types: Type[], unsafe = false): string | undefined {
  const r = unsafe ? unifyUnsafe(types) : unify(types);
  return r === undefined ? undefined : typeString(r.type);
}

describe("unify", () => {
  it("prefers the most general primitive type", () => {
    expect(unified([numberType, stringType])).toBe("string");
    expect(unified([boolType, stringType, numberType])).toBe("string");
    expect(unified([numberType, boolType])).toBeUndefined();
    expect(unified([numberType, numberType])).toBe("number");
  });

  it("fails for an empty list", () => {
    expect(unify([])).toBeUndefined();
  });

  it("unifies collections by element type", () => {
    expect(unified([listType(numberType), listType(stringType)])).toBe("list(string)");
    expect(unified([mapType(boolType), mapType(stringType)])).toBe("map(string)");
    expect(unified([setType(numberType), setType(numberType)])).toBe("set(number)");
  });

  it("unifies objects with the same attributes attribute-wise, others as maps", () => {
    expect(unified([objectType({ a: stringType }), objectType({ a: numberType })])).toBe(
      "object({a=string})",
    );
    expect(unified([objectType({ a: stringType }), objectType({ b: numberType })])).toBe("map(string)");
    expect(unified([objectType({ a: stringType }), objectType({ b: listType(stringType) })])).toBeUndefined();
    expect(unified([mapType(stringType), objectType({ a: numberType })])).toBe("map(string)");
  });

  it("unifies tuples of one length element-wise, others as lists", () => {
    expect(unified([tupleType([stringType]), tupleType([numberType])])).toBe("tuple([string])");
    expect(unified([tupleType([stringType]), tupleType([numberType, boolType])])).toBe("list(string)");
    expect(unified([listType(stringType), tupleType([numberType, boolType])])).toBe("list(string)");
  });

  it("never unifies objects with tuples", () => {
    expect(unified([emptyObjectType, tupleType([])])).toBeUndefined();
  });

  it("treats dynamic as the least preferred type", () => {
    expect(unified([stringType, dynamicType], true)).toBe("string");
    expect(unified([dynamicType, dynamicType])).toBe("any");
    const r = unify([listType(stringType), dynamicType]);
    expect(r && typeString(r.type)).toBe("any");
    const conv = r?.conversions[0];
    // As cty: when a dynamic type joins structural kinds, every value becomes DynamicVal.
    const out = conv?.(tupleVal([]));
    expect(out?.ok && out.value.isKnown()).toBe(false);
  });

  it("returns conversions only for the types that need them", () => {
    const r = unify([numberType, stringType]);
    expect(r?.conversions[1]).toBeUndefined();
    const c = r?.conversions[0];
    const out = c?.(numberIntVal(5));
    expect(out?.ok && out.value.asString()).toBe("5");
  });

  it("can choose unsafe conversions", () => {
    const r = unifyUnsafe([stringType, dynamicType]);
    const c = r?.conversions[1];
    expect(c?.(stringVal("x")).ok).toBe(true);
  });
});

describe("sortTypes", () => {
  it("orders by generality", () => {
    expect(sortTypes([numberType, stringType, dynamicType])).toEqual([1, 0, 2]);
  });
});
