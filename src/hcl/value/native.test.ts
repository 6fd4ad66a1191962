import { describe, expect, it } from "vitest";
import { valueFromNative, valueToNative } from "./native.js";
import { stringType, typeString } from "./types.js";
import { numberIntVal, SENSITIVE, stringVal, unknownVal, ValueUsageError } from "./value.js";

describe("native data", () => {
  it("infers types from JavaScript data", () => {
    const v = valueFromNative({ a: [1, "x", true, null], b: { c: 1.5 }, d: 10n });
    expect(typeString(v.type)).toBe(
      "object({a=tuple([number,string,bool,any]),b=object({c=number}),d=number})",
    );
    expect(valueFromNative(numberIntVal(3)).asNumber()).toBe(3);
    expect(valueFromNative(7).asBigFloat().prec).toBe(64);
    expect(valueFromNative(0.5).asBigFloat().prec).toBe(53);
  });

  it("converts values back", () => {
    const input = JSON.parse('{"a": [1, "x", true, null], "b": {"__proto__": 2}}');
    const out = valueToNative(valueFromNative(input)) as Record<string, unknown>;
    expect(out.a).toEqual([1, "x", true, null]);
    expect(Object.getOwnPropertyDescriptor(out.b, "__proto__")?.value).toBe(2);
  });

  it("refuses unknown and marked values", () => {
    expect(() => valueToNative(unknownVal(stringType))).toThrow(ValueUsageError);
    expect(() => valueToNative(valueFromNative(["a", stringVal("s").mark(SENSITIVE)]))).toThrow(
      ValueUsageError,
    );
  });
});
