import { describe, expect, it } from "vitest";
import { BigFloat } from "./big-float.js";
import { rawEquals } from "./equality.js";
import { indexStep } from "./path.js";
import { setVal } from "./set.js";
import { dynamicType, listType, mapType, numberType, objectType, stringType, typeEquals } from "./types.js";
import {
  boolVal,
  canListVal,
  dynamicVal,
  listVal,
  listValEmpty,
  mapVal,
  nullVal,
  numberFloatVal,
  numberIntVal,
  numberVal,
  objectVal,
  parseNumberVal,
  SENSITIVE,
  stringVal,
  tupleVal,
  unknownVal,
  type Value,
  ValueUsageError,
  valueGoString,
} from "./value.js";

describe("constructors", () => {
  it("normalizes strings to NFC", () => {
    expect(stringVal("e\u0301").asString()).toBe("\u00e9");
    expect(
      objectVal({ "e\u0301": stringVal("x") })
        .asValueMap()
        .has("\u00e9"),
    ).toBe(true);
    expect(
      mapVal({ "e\u0301": stringVal("x") })
        .asValueMap()
        .has("\u00e9"),
    ).toBe(true);
  });

  it("parses numbers at 512 bits and rejects junk", () => {
    const r = parseNumberVal("0.1");
    expect(r.ok && r.value.asBigFloat().prec).toBe(512);
    expect(parseNumberVal("abc")).toEqual({ ok: false, error: "a number is required" });
    expect(parseNumberVal(" 1")).toEqual({ ok: false, error: "a number is required" });
  });

  it("makes integers and floats like cty", () => {
    expect(numberIntVal(5).asBigFloat().prec).toBe(64);
    expect(
      numberIntVal(2n ** 80n)
        .asBigFloat()
        .text("f", -1),
    ).toBe((2n ** 80n).toString());
    expect(numberFloatVal(0.5).asBigFloat().prec).toBe(53);
    expect(() => numberIntVal(1.5)).toThrow();
    expect(() => numberFloatVal(Number.NaN)).toThrow();
  });

  it("requires homogeneous lists and maps", () => {
    expect(() => listVal([stringVal("a"), numberIntVal(1)])).toThrow(ValueUsageError);
    expect(() => listVal([])).toThrow(ValueUsageError);
    expect(canListVal([stringVal("a"), numberIntVal(1)])).toBe(false);
    expect(() => mapVal({ a: stringVal("a"), b: boolVal(true) })).toThrow(ValueUsageError);
  });

  it("lets dynamic unknowns sit in typed lists as unknowns of the element type", () => {
    const l = listVal([dynamicVal, stringVal("a")]);
    expect(typeEquals(l.type, listType(stringType))).toBe(true);
    const first = l.asValueSlice()[0]!;
    expect(first.isKnown()).toBe(false);
    expect(typeEquals(first.type, stringType)).toBe(true);
  });

  it("infers object and tuple types from their values", () => {
    const o = objectVal({ b: numberIntVal(1), a: listValEmpty(stringType) });
    expect(typeEquals(o.type, objectType({ a: listType(stringType), b: numberType }))).toBe(true);
    expect([...o.asValueMap().keys()]).toEqual(["a", "b"]);
    const t = tupleVal([stringVal("x"), boolVal(false)]);
    expect(t.lengthInt()).toBe(2);
  });
});

describe("state and accessors", () => {
  it("distinguishes unknown, null and known", () => {
    const u = unknownVal(stringType);
    expect(u.isKnown()).toBe(false);
    expect(u.isNull()).toBe(false);
    const n = nullVal(stringType);
    expect(n.isKnown()).toBe(true);
    expect(n.isNull()).toBe(true);
    expect(dynamicVal.type.kind).toBe("dynamic");
    expect(listVal([stringVal("a"), u]).isWhollyKnown()).toBe(false);
    expect(listVal([stringVal("a"), n]).isWhollyKnown()).toBe(true);
  });

  it("refuses to read unknown, null, mistyped or marked values", () => {
    expect(() => unknownVal(stringType).asString()).toThrow(/unknown/);
    expect(() => nullVal(stringType).asString()).toThrow(/null/);
    expect(() => numberIntVal(1).asString()).toThrow(/not a string/);
    expect(() => stringVal("s").mark(SENSITIVE).asString()).toThrow(/marked/);
    expect(() =>
      listVal([stringVal("a")])
        .mark(SENSITIVE)
        .elements(),
    ).toThrow(/marked/);
    expect(() => unknownVal(listType(stringType)).elements()).toThrow(/unknown/);
  });

  it("iterates elements with their keys", () => {
    const l = listVal([stringVal("a"), stringVal("b")]);
    expect(l.elements().map(([k, v]) => [k.asNumber(), v.asString()])).toEqual([
      [0, "a"],
      [1, "b"],
    ]);
    const m = mapVal({ z: numberIntVal(1), a: numberIntVal(2) });
    expect(m.elements().map(([k]) => k.asString())).toEqual(["a", "z"]);
    const s = setVal([stringVal("q")]);
    expect(s.elements().map(([k, v]) => [k.asString(), v.asString()])).toEqual([["q", "q"]]);
    const seen: string[] = [];
    const stopped = l.forEachElement((_, v) => {
      seen.push(v.asString());
      return true;
    });
    expect(stopped).toBe(true);
    expect(seen).toEqual(["a"]);
  });

  it("knows lengths of tuples and objects even when unknown", () => {
    expect(unknownVal(objectType({ a: stringType, b: stringType })).lengthInt()).toBe(2);
    expect(() => unknownVal(listType(stringType)).lengthInt()).toThrow(ValueUsageError);
  });

  it("converts numbers to float64", () => {
    expect(numberVal(BigFloat.parse("0.1")!).asNumber()).toBe(0.1);
  });
});

describe("marks", () => {
  it("adds, merges and removes marks without touching the value", () => {
    const s = stringVal("secret").mark(SENSITIVE);
    expect(s.isMarked()).toBe(true);
    expect(s.hasMark(SENSITIVE)).toBe(true);
    const both = s.withMarks(new Set(["other"]));
    expect([...both.marks].sort()).toEqual(["other", "sensitive"]);
    const [plain, marks] = both.unmark();
    expect(plain.isMarked()).toBe(false);
    expect(plain.asString()).toBe("secret");
    expect([...marks].sort()).toEqual(["other", "sensitive"]);
    expect(stringVal("x").withSameMarks(s, numberIntVal(1)).hasMark(SENSITIVE)).toBe(true);
  });

  it("keeps nested marks in place", () => {
    const l = listVal([stringVal("a").mark(SENSITIVE), stringVal("b")]);
    expect(l.isMarked()).toBe(false);
    expect(l.containsMarked()).toBe(true);
    expect(l.asValueSlice()[0]!.hasMark(SENSITIVE)).toBe(true);
  });

  it("moves element marks onto sets", () => {
    const s = setVal([stringVal("a").mark(SENSITIVE), stringVal("b")]);
    expect(s.hasMark(SENSITIVE)).toBe(true);
    expect(
      s
        .unmark()[0]
        .asValueSlice()
        .some((e) => e.isMarked()),
    ).toBe(false);
  });

  it("unmarks deeply and re-applies by path", () => {
    const v = objectVal({
      list: listVal([stringVal("a"), stringVal("b").mark(SENSITIVE)]),
      map: mapVal({ k: numberIntVal(1).mark("m2") }),
      plain: stringVal("p"),
    }).mark("outer");
    const [plain, pvms] = v.unmarkDeepWithPaths();
    expect(plain.containsMarked()).toBe(false);
    expect(pvms).toHaveLength(3);
    const [, all] = v.unmarkDeep();
    expect([...all].sort()).toEqual(["m2", "outer", "sensitive"]);
    const again = plain.markWithPaths(pvms);
    expect(rawEquals(again, v)).toBe(true);
  });

  it("ignores paths that no longer exist when re-marking", () => {
    const v = listVal([stringVal("a")]);
    const marked = v.markWithPaths([{ path: [indexStep(numberIntVal(5))], marks: new Set([SENSITIVE]) }]);
    expect(marked.containsMarked()).toBe(false);
  });
});

describe("valueGoString", () => {
  it("renders like cty's GoString", () => {
    expect(valueGoString(stringVal("a"))).toBe('cty.StringVal("a")');
    expect(valueGoString(numberIntVal(3))).toBe("cty.NumberIntVal(3)");
    expect(
      valueGoString(
        parseNumberVal("1.5").ok ? (parseNumberVal("1.5") as { value: Value }).value : dynamicVal,
      ),
    ).toBe('cty.MustParseNumberVal("1.5")');
    expect(valueGoString(nullVal(mapType(stringType)))).toBe("cty.NullVal(cty.Map(cty.String))");
    expect(valueGoString(unknownVal(dynamicType))).toBe("cty.DynamicVal");
    expect(valueGoString(listVal([boolVal(true)]).mark(SENSITIVE))).toBe(
      'cty.ListVal([]cty.Value{cty.True}).Mark("sensitive")',
    );
  });
});
