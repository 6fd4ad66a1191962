import { describe, expect, it } from "vitest";
import { convert } from "./convert.js";
import {
  absolute,
  add,
  divide,
  greaterThan,
  greaterThanOrEqualTo,
  lessThan,
  lessThanOrEqualTo,
  modulo,
  multiply,
  type NumberResult,
  negate,
  subtract,
} from "./number-ops.js";
import { length } from "./operations.js";
import { numberType, stringType } from "./types.js";
import {
  dynamicVal,
  listVal,
  nullVal,
  numberFloatVal,
  numberIntVal,
  parseNumberVal,
  SENSITIVE,
  stringVal,
  unknownVal,
  type Value,
  ValueUsageError,
} from "./value.js";

function num(s: string): Value {
  const r = parseNumberVal(s);
  if (!r.ok) throw new Error(s);
  return r.value;
}

function ok(r: NumberResult): Value {
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

/** The number as HCL shows it when converted to a string (tostring, interpolation into text). */
function str(v: Value): string {
  const r = convert(v, stringType);
  if (!r.ok) throw new Error(r.error.message);
  return r.value.unmark()[0].asString();
}

describe("arithmetic matches Packer's results", () => {
  it("keeps integers exact at 512 bits", () => {
    expect(str(ok(add(num("100000000000000000000"), num("1"))))).toBe("100000000000000000001");
    expect(str(ok(multiply(num("12345678901234567890"), num("10"))))).toBe("123456789012345678900");
  });

  it("adds decimals the way binary 512-bit floats do", () => {
    expect(str(ok(add(num("0.1"), num("0.2"))))).toBe("0.3");
    expect(str(ok(subtract(num("0.3"), num("0.1"))))).toBe(
      "0.20000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000002",
    );
  });

  it("divides with 512-bit precision for literals", () => {
    expect(str(ok(divide(num("1"), num("3"))))).toBe(
      "0.33333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333335",
    );
    expect(str(ok(divide(num("2"), num("3"))))).toBe(
      "0.6666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666667",
    );
  });

  it("divides with 64-bit precision for integers from lengths", () => {
    const two = length(listVal([num("1"), num("2")]));
    const three = length(listVal([num("1"), num("1"), num("1")]));
    expect(str(ok(divide(two, three)))).toBe("0.6666666666666666667");
    expect(str(ok(divide(two, num("3"))))).toBe(
      "0.6666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666667",
    );
  });

  it("keeps float64 results short until mixed with 512-bit values", () => {
    const sqrt2 = numberFloatVal(Math.SQRT2);
    expect(str(sqrt2)).toBe("1.4142135623730951");
    expect(str(ok(multiply(sqrt2, num("1"))))).toBe("1.4142135623730951454746218587388284504413604736328125");
    expect(str(ok(add(sqrt2, num("0"))))).toBe("1.4142135623730951454746218587388284504413604736328125");
  });

  it("multiplies 64-bit integers without rounding the product", () => {
    const a = numberIntVal(2n ** 40n + 1n);
    const b = numberIntVal(2n ** 40n + 3n);
    const product = ok(multiply(a, b));
    expect(product.asBigFloat().prec).toBe(81);
    expect(str(product)).toBe(((2n ** 40n + 1n) * (2n ** 40n + 3n)).toString());
    // Addition rounds to the operands' 64 bits instead.
    expect(str(ok(add(numberIntVal(2n ** 64n - 1n), numberIntVal(2))))).toBe("18446744073709551616");
    expect(ok(multiply(numberIntVal(3), numberIntVal(4))).asBigFloat().prec).toBe(64);
  });

  it("negates, keeping negative zero", () => {
    expect(str(negate(num("0")))).toBe("-0");
    expect(str(negate(num("-2.5")))).toBe("2.5");
    expect(str(absolute(num("-2.5")))).toBe("2.5");
  });
});

describe("modulo", () => {
  it("truncates toward zero like cty", () => {
    expect(str(ok(modulo(num("5"), num("-3"))))).toBe("2");
    expect(str(ok(modulo(num("-5"), num("3"))))).toBe("-2");
    expect(str(ok(modulo(num("5.5"), num("2"))))).toBe("1.5");
    expect(str(ok(modulo(num("5.5"), num("-2"))))).toBe("1.5");
    expect(str(ok(modulo(num("-5.5"), num("2"))))).toBe("-1.5");
    expect(str(ok(modulo(num("1e20"), num("7"))))).toBe("2");
  });

  it("returns the dividend for a zero divisor", () => {
    expect(str(ok(modulo(num("5"), num("0"))))).toBe("5");
  });

  it("handles infinities as Packer does", () => {
    const inf = ok(divide(num("1"), num("0")));
    expect(str(ok(modulo(inf, num("2"))))).toBe("+Inf");
    expect(modulo(num("5"), inf)).toEqual({ ok: false, error: "can't use modulo with zero and infinity" });
  });
});

describe("infinities and NaN cases", () => {
  const inf = ok(divide(num("1"), num("0")));
  it("divides by zero to infinity", () => {
    expect(str(inf)).toBe("+Inf");
    expect(str(ok(divide(num("-1"), num("0"))))).toBe("-Inf");
  });

  it("reports cty's messages instead of NaN", () => {
    expect(divide(num("0"), num("0"))).toEqual({
      ok: false,
      error: "can't divide zero by zero or infinity by infinity",
    });
    expect(subtract(inf, inf)).toEqual({ ok: false, error: "can't subtract infinity from itself" });
    expect(add(inf, negate(inf))).toEqual({ ok: false, error: "can't compute sum of opposing infinities" });
    expect(multiply(inf, num("0"))).toEqual({ ok: false, error: "can't multiply zero by infinity" });
  });
});

describe("unknowns, marks and misuse", () => {
  it("gives unknown numbers for unknown or dynamic operands", () => {
    const r = ok(add(unknownVal(numberType), num("1")));
    expect(r.isKnown()).toBe(false);
    expect(r.type.kind).toBe("number");
    expect(ok(multiply(dynamicVal, num("1"))).type.kind).toBe("number");
    expect(lessThan(unknownVal(numberType), num("1")).isKnown()).toBe(false);
  });

  it("carries the operands' marks", () => {
    const secret = num("2").mark(SENSITIVE);
    expect(ok(add(secret, num("1"))).hasMark(SENSITIVE)).toBe(true);
    expect(ok(divide(num("1"), secret)).hasMark(SENSITIVE)).toBe(true);
    expect(negate(secret).hasMark(SENSITIVE)).toBe(true);
    expect(greaterThan(secret, num("1")).hasMark(SENSITIVE)).toBe(true);
    expect(ok(add(unknownVal(numberType).mark(SENSITIVE), num("1"))).hasMark(SENSITIVE)).toBe(true);
  });

  it("throws for operands the evaluator should have rejected", () => {
    expect(() => add(stringVal("1"), num("1"))).toThrow(ValueUsageError);
    expect(() => add(nullVal(numberType), num("1"))).toThrow(ValueUsageError);
  });
});

describe("comparisons", () => {
  it("compares numerically across precisions", () => {
    expect(lessThan(num("1"), num("2")).asBool()).toBe(true);
    expect(lessThan(num("2"), num("2")).asBool()).toBe(false);
    expect(lessThanOrEqualTo(num("2"), numberIntVal(2)).asBool()).toBe(true);
    expect(greaterThan(num("0.1"), numberFloatVal(0.1)).asBool()).toBe(false);
    expect(greaterThanOrEqualTo(num("-0"), num("0")).asBool()).toBe(true);
  });
});
