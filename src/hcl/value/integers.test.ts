import { describe, expect, it } from "vitest";
import { toInt, toInt64 } from "./integers.js";
import { numberType } from "./types.js";
import {
  nullVal,
  numberIntVal,
  parseNumberVal,
  SENSITIVE,
  stringVal,
  unknownVal,
  ValueUsageError,
} from "./value.js";

const num = (s: string) => {
  const r = parseNumberVal(s);
  if (!r.ok) throw new Error(s);
  return r.value;
};

describe("toInt / toInt64", () => {
  it("reads whole numbers", () => {
    expect(toInt(num("42"))).toEqual({ ok: true, value: 42 });
    expect(toInt(num("-3.0"))).toEqual({ ok: true, value: -3 });
    expect(toInt64(num("9223372036854775807"))).toEqual({ ok: true, value: 9223372036854775807n });
  });

  it("rejects other numbers with gocty's message", () => {
    const msg = "value must be a whole number, between -9223372036854775808 and 9223372036854775807";
    expect(toInt(num("1.5"))).toEqual({ ok: false, error: msg });
    expect(toInt(num("9223372036854775808"))).toEqual({ ok: false, error: msg });
  });

  it("rejects unknown, null and non-numbers", () => {
    expect(toInt(unknownVal(numberType))).toEqual({ ok: false, error: "value must be known" });
    expect(toInt(nullVal(numberType))).toEqual({ ok: false, error: "null value is not allowed" });
    expect(toInt(stringVal("1"))).toEqual({ ok: false, error: "number value is required" });
    expect(() => toInt(numberIntVal(1).mark(SENSITIVE))).toThrow(ValueUsageError);
  });
});
