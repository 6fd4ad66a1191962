import { describe, expect, it } from "vitest";
import {
  boolType,
  conformanceErrors,
  dynamicType,
  emptyObjectType,
  friendlyName,
  friendlyNameForConstraint,
  hasDynamicTypes,
  listType,
  mapType,
  numberType,
  objectType,
  setType,
  stringType,
  tupleType,
  typeEquals,
  typeGoString,
  typeString,
  withoutOptionalAttributesDeep,
} from "./types.js";

describe("type equality", () => {
  it("compares structurally", () => {
    expect(typeEquals(listType(stringType), listType(stringType))).toBe(true);
    expect(typeEquals(listType(stringType), setType(stringType))).toBe(false);
    expect(typeEquals(mapType(listType(numberType)), mapType(listType(numberType)))).toBe(true);
    expect(
      typeEquals(
        objectType({ a: stringType, b: boolType }),
        objectType([
          ["b", boolType],
          ["a", stringType],
        ]),
      ),
    ).toBe(true);
    expect(typeEquals(objectType({ a: stringType }), objectType({ a: numberType }))).toBe(false);
    expect(typeEquals(objectType({ a: stringType }), objectType({ b: stringType }))).toBe(false);
    expect(typeEquals(tupleType([stringType]), tupleType([stringType, stringType]))).toBe(false);
    expect(typeEquals(dynamicType, dynamicType)).toBe(true);
    expect(typeEquals(dynamicType, stringType)).toBe(false);
  });

  it("distinguishes optional attributes", () => {
    const a = objectType({ a: stringType }, ["a"]);
    expect(typeEquals(a, objectType({ a: stringType }))).toBe(false);
    expect(
      typeEquals(withoutOptionalAttributesDeep(listType(a)), listType(objectType({ a: stringType }))),
    ).toBe(true);
  });

  it("rejects optional names that are not attributes", () => {
    expect(() => objectType({ a: stringType }, ["b"])).toThrow('optional contains undeclared attribute "b"');
  });

  it("normalizes attribute names to NFC and sorts them by code point", () => {
    const t = objectType({ "e\u0301": stringType, z: numberType, "\u{1F600}": boolType, "\uFFFD": boolType });
    expect([...t.attributeTypes.keys()]).toEqual(["z", "\u00e9", "\uFFFD", "\u{1F600}"]);
  });
});

describe("type names", () => {
  it("prints friendly names as cty does", () => {
    expect(friendlyName(stringType)).toBe("string");
    expect(friendlyName(listType(stringType))).toBe("list of string");
    expect(friendlyName(setType(mapType(numberType)))).toBe("set of map of number");
    expect(friendlyName(dynamicType)).toBe("dynamic");
    expect(friendlyName(listType(dynamicType))).toBe("list of dynamic");
    expect(friendlyName(objectType({ a: stringType }))).toBe("object");
    expect(friendlyName(tupleType([]))).toBe("tuple");
  });

  it("prints constraint names as cty does", () => {
    expect(friendlyNameForConstraint(dynamicType)).toBe("any type");
    expect(friendlyNameForConstraint(listType(dynamicType))).toBe("list of any single type");
    expect(friendlyNameForConstraint(mapType(listType(dynamicType)))).toBe("map of list of any single type");
    expect(friendlyNameForConstraint(boolType)).toBe("bool");
  });

  it("prints HCL type expressions", () => {
    expect(typeString(listType(stringType))).toBe("list(string)");
    expect(typeString(mapType(setType(boolType)))).toBe("map(set(bool))");
    expect(typeString(dynamicType)).toBe("any");
    expect(typeString(objectType({ b: numberType, a: stringType }))).toBe("object({a=string,b=number})");
    expect(typeString(tupleType([stringType, numberType]))).toBe("tuple([string,number])");
    expect(typeString(emptyObjectType)).toBe("object({})");
    expect(typeString(objectType({ "not valid": stringType }))).toBe('object({"not valid"=string})');
  });

  it("prints Go syntax for debugging", () => {
    expect(typeGoString(listType(stringType))).toBe("cty.List(cty.String)");
    expect(typeGoString(objectType({ a: numberType }, ["a"]))).toBe(
      'cty.ObjectWithOptionalAttrs(map[string]cty.Type{"a":cty.Number}, []string{"a"})',
    );
  });
});

describe("type predicates", () => {
  it("finds dynamic types anywhere", () => {
    expect(hasDynamicTypes(stringType)).toBe(false);
    expect(hasDynamicTypes(objectType({ a: listType(dynamicType) }))).toBe(true);
    expect(hasDynamicTypes(tupleType([stringType, dynamicType]))).toBe(true);
  });

  it("reports conformance problems like cty", () => {
    expect(conformanceErrors(stringType, dynamicType)).toEqual([]);
    expect(conformanceErrors(numberType, stringType)).toEqual(["string required, but received number"]);
    expect(conformanceErrors(objectType({ a: stringType }), objectType({ b: stringType }))).toEqual([
      'unsupported attribute "a"',
      'missing required attribute "b"',
    ]);
    expect(conformanceErrors(tupleType([]), tupleType([stringType]))).toEqual([
      "1 elements are required, but got 0",
    ]);
  });
});
