import { describe, expect, it } from "vitest";
import { setVal } from "./set.js";
import { type TraversalResult, traverseAttr, traverseIndex } from "./traversal.js";
import { listType, mapType, numberType, objectType, stringType } from "./types.js";
import {
  dynamicVal,
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
} from "./value.js";

function num(s: string): Value {
  const r = parseNumberVal(s);
  if (!r.ok) throw new Error(s);
  return r.value;
}

function detail(r: TraversalResult): string {
  return r.ok ? "ok" : `${r.summary}: ${r.detail}`;
}

const key = "The given key does not identify an element in this collection value";

describe("traverseIndex (hcl.Index)", () => {
  const list = listVal([numberIntVal(1), numberIntVal(2)]);

  it("indexes lists, tuples, maps and objects, converting keys", () => {
    const r = traverseIndex(list, stringVal("1"));
    expect(r.ok && r.value.asNumber()).toBe(2);
    const t = traverseIndex(tupleVal([stringVal("a")]), num("0"));
    expect(t.ok && t.value.asString()).toBe("a");
    const m = traverseIndex(mapVal({ "1": stringVal("x") }), num("1"));
    expect(m.ok && m.value.asString()).toBe("x");
    const o = traverseIndex(objectVal({ a: stringVal("v") }), stringVal("a"));
    expect(o.ok && o.value.asString()).toBe("v");
  });

  it("explains bad keys with HCL's details", () => {
    expect(detail(traverseIndex(list, num("2")))).toBe(
      `Invalid index: ${key}: the given index is greater than or equal to the length of the collection.`,
    );
    // HCL only explains an index equal to the length; larger ones get the plain message.
    expect(detail(traverseIndex(list, num("5")))).toBe(`Invalid index: ${key}.`);
    expect(detail(traverseIndex(list, num("-1")))).toBe(
      `Invalid index: ${key}: a negative number is not a valid index for a sequence.`,
    );
    expect(detail(traverseIndex(list, num("0.5")))).toBe(
      `Invalid index: ${key}: indexing a sequence requires a whole number, but the given index has a fractional part.`,
    );
    expect(detail(traverseIndex(listValEmpty(stringType), num("0")))).toBe(
      `Invalid index: ${key}: the collection has no elements.`,
    );
    expect(detail(traverseIndex(list, stringVal("x")))).toBe(`Invalid index: ${key}: a number is required.`);
    expect(detail(traverseIndex(mapVal({ a: numberIntVal(1) }), stringVal("b")))).toBe(
      `Invalid index: ${key}.`,
    );
    expect(detail(traverseIndex(objectVal({ a: numberIntVal(1) }), num("0")))).toBe(
      `Invalid index: ${key}. An object only supports looking up attributes by name, not by numeric index.`,
    );
    expect(detail(traverseIndex(stringVal("x"), num("0")))).toBe(
      "Invalid index: This value does not have any indices.",
    );
    expect(detail(traverseIndex(list, nullVal(numberType)))).toBe(
      "Invalid index: Can't use a null value as an indexing key.",
    );
    expect(detail(traverseIndex(nullVal(listType(stringType)), num("0")))).toBe(
      "Attempt to index null value: This value is null, so it does not have any indices.",
    );
    expect(detail(traverseIndex(setVal([stringVal("a")]), num("0")))).toMatch(
      /^Invalid index: Elements of a set/,
    );
  });

  it("gives unknowns for unknown inputs, keeping marks", () => {
    const r = traverseIndex(unknownVal(listType(stringType)).mark(SENSITIVE), num("0"));
    expect(r.ok && !r.value.isKnown() && r.value.type.kind === "string" && r.value.hasMark(SENSITIVE)).toBe(
      true,
    );
    const d = traverseIndex(list, dynamicVal);
    expect(d.ok && d.value.type.kind).toBe("dynamic");
    const k = traverseIndex(list.mark(SENSITIVE), num("0"));
    expect(k.ok && k.value.hasMark(SENSITIVE)).toBe(true);
  });
});

describe("traverseAttr (hcl.GetAttr)", () => {
  it("reads object attributes and map elements", () => {
    const o = traverseAttr(objectVal({ a: stringVal("v") }), "a");
    expect(o.ok && o.value.asString()).toBe("v");
    const m = traverseAttr(mapVal({ a: stringVal("w") }), "a");
    expect(m.ok && m.value.asString()).toBe("w");
    const u = traverseAttr(unknownVal(mapType(numberType)), "x");
    expect(u.ok && u.value.type.kind).toBe("number");
  });

  it("explains failures with HCL's details", () => {
    expect(detail(traverseAttr(objectVal({ a: stringVal("v") }), "b"))).toBe(
      'Unsupported attribute: This object does not have an attribute named "b".',
    );
    expect(detail(traverseAttr(mapVal({ a: stringVal("v") }), "b"))).toBe(
      'Missing map element: This map does not have an element with the key "b".',
    );
    expect(detail(traverseAttr(stringVal("x"), "y"))).toBe(
      "Unsupported attribute: Can't access attributes on a primitive-typed value (string).",
    );
    expect(detail(traverseAttr(listVal([objectVal({ a: numberIntVal(1) })]), "a"))).toBe(
      'Unsupported attribute: Can\'t access attributes on a list of objects. Did you mean to access attribute "a" for a specific element of the list, or across all elements of the list?',
    );
    expect(detail(traverseAttr(nullVal(objectType({ a: stringType })), "a"))).toBe(
      "Attempt to get attribute from null value: This value is null, so it does not have any attributes.",
    );
  });
});
