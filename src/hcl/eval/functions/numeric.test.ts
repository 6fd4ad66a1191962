// Expected results were recorded from Packer 1.6.6 (`packer console`) unless marked as taken from the Go
// sources' own tests (functions newer than 1.6.6, or behaviour that changed since).
import { describe, expect, it } from "vitest";
import {
  divide,
  formatValueHCL,
  listValOf,
  mapVal,
  nullVal,
  numberFloatVal,
  numberIntVal,
  numberType,
  objectVal,
  parseNumberVal,
  SENSITIVE,
  setValOf,
  stringType,
  stringVal,
  trueVal,
  tupleVal,
  unknownVal,
  type Value,
  valueGoString,
  valueToJSON,
} from "../../value/index.js";
import { callFunction } from "../call.js";
import { goPow, numericFunctions } from "./numeric.js";

function num(s: string): Value {
  const r = parseNumberVal(s);
  if (!r.ok) throw new Error(s);
  return r.value;
}
const str = stringVal;
const inf = (() => {
  const r = divide(num("1"), num("0"));
  if (!r.ok) throw new Error("inf");
  return r.value;
})();
const negInf = (() => {
  const r = divide(num("-1"), num("0"));
  if (!r.ok) throw new Error("-inf");
  return r.value;
})();

/** Calls a function and renders the outcome as `packer console` shows it (errors as their detail line). */
function run(name: string, ...args: Value[]): string {
  const r = callFunction(numericFunctions[name]!, args);
  if (r.ok) return formatValueHCL(r.value);
  if (r.kind === "arg") return `Invalid value for "${r.paramName}" parameter: ${r.message}.`;
  if (r.kind === "call") return `Call to function "${name}" failed: ${r.message}.`;
  return `arity: ${r.given}`;
}

/** The result as jsonencode shows it (exact digits). */
function json(name: string, ...args: Value[]): string {
  const r = callFunction(numericFunctions[name]!, args);
  if (!r.ok) throw new Error(`${name} failed: ${JSON.stringify(r)}`);
  const j = valueToJSON(r.value);
  if (!j.ok) throw new Error(j.error.message);
  return j.json;
}

function value(name: string, ...args: Value[]): Value {
  const r = callFunction(numericFunctions[name]!, args);
  if (!r.ok) throw new Error(`${name} failed: ${JSON.stringify(r)}`);
  return r.value;
}

const maxF =
  "179769313486231570814527423731704356798070567525844996598917476803157260780028538760589558632766878171540458953514382464234321326889464182768467546703537516986049910576551282076245490090389328944075868508455133942304583236903222948165808559332123348274797826204144723168738177180919299881250404026184124858368.000000";

describe("abs", () => {
  it("returns the magnitude", () => {
    expect(run("abs", num("-3.5"))).toBe("3.5");
    expect(run("abs", num("0"))).toBe("0");
    expect(run("abs", str("-2"))).toBe("2");
    expect(json("abs", num("-1e400"))).toBe(`1${"0".repeat(400)}`);
  });
  it("rejects null and non-numbers", () => {
    expect(run("abs", nullVal(numberType))).toBe(
      'Invalid value for "num" parameter: argument must not be null.',
    );
    expect(run("abs", str("x"))).toBe('Invalid value for "num" parameter: a number is required.');
  });
  it("keeps marks and unknowns", () => {
    const v = value("abs", num("-2").mark(SENSITIVE));
    expect(v.hasMark(SENSITIVE)).toBe(true);
    expect(valueGoString(value("abs", unknownVal(numberType)))).toBe("cty.UnknownVal(cty.Number)");
  });
});

describe("ceil and floor", () => {
  it("round to whole numbers", () => {
    expect(run("ceil", num("1.2"))).toBe("2");
    expect(run("ceil", num("-1.2"))).toBe("-1");
    expect(run("ceil", num("5"))).toBe("5");
    expect(run("floor", num("1.7"))).toBe("1");
    expect(run("floor", num("-1.2"))).toBe("-2");
    expect(run("floor", num("-5"))).toBe("-5");
  });
  it("keep infinities", () => {
    expect(run("ceil", inf)).toBe("+Inf");
    expect(run("ceil", negInf)).toBe("-Inf");
    expect(run("floor", inf)).toBe("+Inf");
  });
  it("work beyond 64 bits (cty 1.13 uses big.Int; Packer 1.6.6 overflowed)", () => {
    expect(json("ceil", num("1000000000000000000000000000000.5"))).toBe("1000000000000000000000000000001");
    expect(json("floor", num("-1000000000000000000000000000000.5"))).toBe("-1000000000000000000000000000001");
  });
});

describe("log", () => {
  it("divides natural logarithms in float64", () => {
    expect(run("log", num("8"), num("2"))).toBe("3");
    expect(run("log", num("100"), num("10"))).toBe("2");
    expect(json("log", num("2"), num("10"))).toBe("0.30102999566398114");
    expect(run("log", num("0"), num("10"))).toBe("-Inf");
    expect(run("log", num("10"), num("1"))).toBe("+Inf");
    expect(run("log", inf, num("10"))).toBe("+Inf");
  });
  it("reports NaN results and out-of-range inputs as cty does", () => {
    expect(run("log", num("1"), num("1"))).toBe(
      'Call to function "log" failed: panic in function implementation: Float.SetFloat64(NaN).',
    );
    expect(run("log", num("16"), num("-2"))).toContain("Float.SetFloat64(NaN)");
    expect(run("log", num("1e400"), num("10"))).toBe(
      `Call to function "log" failed: value must be between -${maxF} and ${maxF} inclusive.`,
    );
  });
});

describe("pow", () => {
  it("follows Go's math.Pow", () => {
    expect(run("pow", num("2"), num("10"))).toBe("1024");
    expect(run("pow", num("2"), num("-1"))).toBe("0.5");
    expect(run("pow", num("0"), num("0"))).toBe("1");
    expect(run("pow", num("2"), num("1024"))).toBe("+Inf");
    expect(json("pow", num("2"), num("0.5"))).toBe("1.4142135623730951");
    const third = divide(num("1"), num("3"));
    if (!third.ok) throw new Error("1/3");
    expect(run("pow", num("-8"), third.value)).toBe(
      'Call to function "pow" failed: panic in function implementation: Float.SetFloat64(NaN).',
    );
  });
  it("matches Go's math.Pow bit for bit (bits recorded from Go)", () => {
    const dv = new DataView(new ArrayBuffer(8));
    const bitsOf = (x: number): bigint => {
      dv.setFloat64(0, x);
      return dv.getBigUint64(0);
    };
    const cases: [number, number, bigint][] = [
      [3, 40, 4892341955784418301n],
      [1.1, 100.5, 4669171360536238950n],
      [7, 0.3, 4610752827379810040n],
      [2.5, 17.25, 4709616969910316170n],
      [10, 23, 4950912855330343670n],
      [123.456, -7.89, 4360087985571098922n],
      [5, 308, 7827762973642573987n],
      [1e-5, 60, 118622047889322874n],
      [10, -310, 20240225330731n],
    ];
    for (const [x, y, want] of cases) expect(bitsOf(goPow(x, y))).toBe(want);
  });
  it("handles Go's special cases that differ from JavaScript", () => {
    expect(goPow(1, Number.POSITIVE_INFINITY)).toBe(1);
    expect(goPow(-1, Number.NEGATIVE_INFINITY)).toBe(1);
    expect(goPow(1, Number.NaN)).toBe(1);
    expect(goPow(-0, -3)).toBe(Number.NEGATIVE_INFINITY);
    expect(goPow(-8, 1 / 3)).toBeNaN();
    expect(goPow(3, 40)).toBe(12157665459056929000);
    expect(goPow(2, -1074)).toBe(5e-324);
    expect(goPow(10, -310)).toBe(1e-310);
  });
  it("rejects numbers beyond float64", () => {
    expect(run("pow", num("1e400"), num("1"))).toBe(
      `Call to function "pow" failed: value must be between -${maxF} and ${maxF} inclusive.`,
    );
  });
});

describe("max and min", () => {
  it("pick the extreme", () => {
    expect(run("max", num("1"), num("5"), num("3"))).toBe("5");
    expect(run("min", num("1"), num("5"), num("3"))).toBe("1");
    expect(run("max", negInf)).toBe("-Inf");
    expect(run("min", inf, num("2"))).toBe("2");
    expect(run("max", str("3"), num("2"))).toBe("3");
  });
  it("need at least one non-null number", () => {
    expect(run("max")).toBe('Call to function "max" failed: must pass at least one number.');
    expect(run("min")).toBe('Call to function "min" failed: must pass at least one number.');
    expect(run("max", num("1"), nullVal(numberType))).toBe(
      'Invalid value for "numbers" parameter: argument must not be null.',
    );
  });
  it("are unknown when an argument is", () => {
    expect(valueGoString(value("max", num("1"), unknownVal(numberType)))).toBe("cty.UnknownVal(cty.Number)");
  });
});

describe("parseint", () => {
  it("parses in bases 2 to 62", () => {
    expect(run("parseint", str("100"), num("10"))).toBe("100");
    expect(run("parseint", str("FF"), num("16"))).toBe("255");
    expect(run("parseint", str("ff"), num("16"))).toBe("255");
    expect(run("parseint", str("-1010"), num("2"))).toBe("-10");
    expect(run("parseint", str("+42"), num("10"))).toBe("42");
    expect(run("parseint", str("zZ"), num("62"))).toBe("2231");
    expect(run("parseint", str("Zz"), num("36"))).toBe("1295");
    expect(json("parseint", str("123456789012345678901234567890"), num("10"))).toBe(
      "123456789012345678901234567890",
    );
  });
  it("reports bad bases and digits", () => {
    const badBase =
      'Invalid value for "base" parameter: base must be a whole number between 2 and 62 inclusive.';
    expect(run("parseint", str("12"), num("1"))).toBe(badBase);
    expect(run("parseint", str("12"), num("63"))).toBe(badBase);
    expect(run("parseint", str("0x10"), num("0"))).toBe(badBase);
    expect(run("parseint", str("12"), num("2.5"))).toBe(
      'Invalid value for "base" parameter: value must be a whole number, between -9223372036854775808 and 9223372036854775807.',
    );
    for (const bad of ["xyz", "", "1_000", " 1", "-", "+"]) {
      expect(run("parseint", str(bad), num("10"))).toBe(
        `Invalid value for "number" parameter: cannot parse ${JSON.stringify(bad)} as a base 10 integer.`,
      );
    }
    expect(run("parseint", str("0x10"), num("16"))).toBe(
      'Invalid value for "number" parameter: cannot parse "0x10" as a base 16 integer.',
    );
  });
  it("requires a string", () => {
    expect(run("parseint", num("12"), num("10"))).toBe(
      'Invalid value for "number" parameter: first argument must be a string, not number.',
    );
    expect(run("parseint", trueVal, num("10"))).toBe(
      'Invalid value for "number" parameter: first argument must be a string, not bool.',
    );
    expect(run("parseint", tupleVal([num("1")]), num("10"))).toBe(
      'Invalid value for "number" parameter: first argument must be a string, not tuple.',
    );
    expect(run("parseint", nullVal(stringType), num("10"))).toBe(
      'Invalid value for "number" parameter: argument must not be null.',
    );
  });
});

describe("signum", () => {
  it("gives the sign of whole numbers", () => {
    expect(run("signum", num("-5"))).toBe("-1");
    expect(run("signum", num("0"))).toBe("0");
    expect(run("signum", num("3"))).toBe("1");
  });
  it("rejects fractions and numbers beyond int64", () => {
    const msg =
      'Call to function "signum" failed: value must be a whole number, between -9223372036854775808 and 9223372036854775807.';
    expect(run("signum", num("0.5"))).toBe(msg);
    expect(run("signum", num("-0.5"))).toBe(msg);
    expect(run("signum", num("1e30"))).toBe(msg);
  });
});

describe("sum (expectations from Packer's sum_test.go)", () => {
  const ints = (...ns: number[]) => ns.map((n) => numberIntVal(n));
  it("adds lists, sets and tuples", () => {
    expect(run("sum", listValOf(numberType, ints(1, 2, 3)))).toBe("6");
    expect(run("sum", listValOf(numberType, ints(1476, 2093, 2092495, 64589234, 234)))).toBe("66685532");
    expect(run("sum", listValOf(numberType, ints(10, -19, 5)))).toBe("-4");
    expect(run("sum", setValOf(numberType, ints(10, 25, 30)))).toBe("65");
    expect(run("sum", listValOf(stringType, [str("1"), str("2"), str("3")]))).toBe("6");
    expect(run("sum", tupleVal([num("1.5"), str("2")]))).toBe("3.5");
    expect(json("sum", listValOf(numberType, [num("1e500"), num("1e500")]))).toBe(`2${"0".repeat(500)}`);
    const floats = setValOf(numberType, [numberFloatVal(2340.8), numberFloatVal(10.2), numberFloatVal(3)]);
    expect(run("sum", floats)).toBe("2354");
  });
  it("reports bad input", () => {
    const elems =
      'Invalid value for "list" parameter: argument must be list, set, or tuple of number values.';
    expect(run("sum", listValOf(stringType, [str("a"), str("b")]))).toBe(elems);
    expect(run("sum", tupleVal([num("12"), str("a"), num("38")]))).toBe(elems);
    expect(run("sum", listValOf(numberType, [nullVal(numberType)]))).toBe(elems);
    expect(run("sum", listValOf(numberType, [num("5"), nullVal(numberType)]))).toBe(elems);
    expect(run("sum", num("12"))).toBe('Invalid value for "list" parameter: cannot sum noniterable.');
    expect(run("sum", str("abc"))).toBe('Invalid value for "list" parameter: cannot sum noniterable.');
    expect(run("sum", mapVal({ hello: trueVal }))).toBe(
      'Invalid value for "list" parameter: argument must be list, set, or tuple. Received map of bool.',
    );
    expect(run("sum", objectVal({ a: num("1") }))).toBe(
      'Invalid value for "list" parameter: argument must be list, set, or tuple. Received object.',
    );
    expect(run("sum", objectVal({}))).toBe('Invalid value for "list" parameter: cannot sum an empty list.');
    expect(run("sum", listValOf(numberType, []))).toBe(
      'Invalid value for "list" parameter: cannot sum an empty list.',
    );
    expect(run("sum", listValOf(numberType, [inf, negInf]))).toBe(
      'Call to function "sum" failed: can\'t compute sum of opposing infinities.',
    );
    expect(run("sum", nullVal(listValOf(numberType, []).type))).toBe(
      'Invalid value for "list" parameter: argument must not be null.',
    );
  });
  it("is unknown when the list or an element is", () => {
    expect(valueGoString(value("sum", listValOf(numberType, [unknownVal(numberType)])))).toBe(
      "cty.UnknownVal(cty.Number)",
    );
    expect(valueGoString(value("sum", unknownVal(numberType)))).toBe("cty.UnknownVal(cty.Number)");
  });
});
