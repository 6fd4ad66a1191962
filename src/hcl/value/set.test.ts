import { describe, expect, it } from "vitest";
import { equals, rawEquals } from "./equality.js";
import { valueToJSON } from "./json.js";
import { setHas, setVal, setValEmpty } from "./set.js";
import { crc32 } from "./set-hash.js";
import { listType, numberType, setType, stringType, typeEquals } from "./types.js";
import {
  boolVal,
  listVal,
  nullVal,
  numberIntVal,
  objectVal,
  parseNumberVal,
  SENSITIVE,
  stringVal,
  unknownVal,
  type Value,
} from "./value.js";

function num(s: string): Value {
  const r = parseNumberVal(s);
  if (!r.ok) throw new Error(s);
  return r.value;
}

const strings = (v: Value) => v.asValueSlice().map((e) => e.asString());

describe("set element order (observed in Packer's setunion)", () => {
  it("orders strings by UTF-8 bytes", () => {
    const s = setVal(["b", "a", "c", "10", "9", "B", "é", "Z", "😀", "\uFFFD"].map(stringVal));
    expect(strings(s)).toEqual(["10", "9", "B", "Z", "a", "b", "c", "é", "\uFFFD", "😀"]);
  });

  it("orders numbers numerically", () => {
    const s = setVal(["3", "1", "2", "10", "1.5", "-1"].map(num));
    expect(s.asValueSlice().map((e) => e.asBigFloat().text("f", -1))).toEqual([
      "-1",
      "1",
      "1.5",
      "2",
      "3",
      "10",
    ]);
  });

  it("puts false before true", () => {
    expect(
      setVal([boolVal(true), boolVal(false)])
        .asValueSlice()
        .map((e) => e.asBool()),
    ).toEqual([false, true]);
  });

  it("orders other element types by their hash strings", () => {
    const s = setVal([listVal([num("2")]), listVal([num("1")]), listVal([num("1"), num("2")])]);
    expect(s.asValueSlice().map((e) => e.asValueSlice().map((x) => x.asNumber()))).toEqual([
      [1, 2],
      [1],
      [2],
    ]);
  });

  it("keeps 0 and -0 apart, in hash-bucket order, as cty does", () => {
    const s = setVal([num("0"), num("-0")]);
    expect(s.lengthInt()).toBe(2);
    const json = valueToJSON(s);
    expect(json.ok && json.json).toBe("[-0,0]");
  });

  it("puts unknowns after known values, and null last", () => {
    const s = setVal([nullVal(stringType), unknownVal(stringType), stringVal("z"), unknownVal(stringType)]);
    const elems = s.asValueSlice();
    expect(elems).toHaveLength(4);
    expect(elems[0]!.asString()).toBe("z");
    expect(elems[1]!.isKnown()).toBe(false);
    expect(elems[2]!.isKnown()).toBe(false);
    expect(elems[3]!.isNull()).toBe(true);
  });
});

describe("set uniqueness", () => {
  it("merges equal elements, including numbers of different precision", () => {
    expect(strings(setVal(["a", "b", "a"].map(stringVal)))).toEqual(["a", "b"]);
    expect(setVal([numberIntVal(1), num("1")]).lengthInt()).toBe(1);
    expect(setVal([objectVal({ a: stringVal("x") }), objectVal({ a: stringVal("x") })]).lengthInt()).toBe(1);
  });

  it("never merges unknown elements", () => {
    expect(setVal([unknownVal(stringType), unknownVal(stringType)]).lengthInt()).toBe(2);
  });

  it("tests membership", () => {
    const s = setVal(["a", "b"].map(stringVal));
    expect(setHas(s, stringVal("a"))).toBe(true);
    expect(setHas(s, stringVal("c"))).toBe(false);
  });

  it("hoists element marks to the set", () => {
    const s = setVal([stringVal("a").mark(SENSITIVE), stringVal("a")]);
    expect(s.hasMark(SENSITIVE)).toBe(true);
    expect(s.unmark()[0].lengthInt()).toBe(1);
  });

  it("has an element type even when empty", () => {
    expect(typeEquals(setValEmpty(listType(numberType)).type, setType(listType(numberType)))).toBe(true);
    expect(rawEquals(setValEmpty(stringType), setValEmpty(stringType))).toBe(true);
  });
});

describe("set equality", () => {
  it("ignores insertion order", () => {
    const a = setVal(["x", "y"].map(stringVal));
    const b = setVal(["y", "x"].map(stringVal));
    expect(equals(a, b).asBool()).toBe(true);
    expect(rawEquals(a, b)).toBe(true);
  });

  it("is unknown when unknown elements are present", () => {
    const a = setVal([stringVal("x"), unknownVal(stringType)]);
    expect(equals(a, a).isKnown()).toBe(false);
  });
});

describe("crc32", () => {
  it("matches the IEEE polynomial", () => {
    expect(crc32("")).toBe(0);
    expect(crc32("123456789")).toBe(0xcbf43926);
  });
});
