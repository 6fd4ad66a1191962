import { describe, expect, it } from "vitest";
import { BigFloat, BigFloatNaNError } from "./big-float.js";

// Expected outputs were produced by Go's math/big (ParseFloat/Add/Sub/Mul/Quo, then Text('f',-1),
// Text('g',-1), Text('e',-1), String(), Text('e',3), Prec(), Float64(), Int64(), IsInt()).
const goVectors: [string, string][] = [
  ["parse 0.1 512", "0.1|0.1|1e-01|0.1|1.000e-01|512|0.1|0|false|false"],
  [
    "parse 100000000000000000000 512",
    "100000000000000000000|1e+20|1e+20|1e+20|1.000e+20|512|1e+20|9223372036854775807|false|true",
  ],
  [
    "parse 1e400 512",
    "10000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000|1e+400|1e+400|1e+400|1.000e+400|512|+Inf|9223372036854775807|false|true",
  ],
  ["parse 1.5e-10 512", "0.00000000015|1.5e-10|1.5e-10|1.5e-10|1.500e-10|512|1.5e-10|0|false|false"],
  ["parse -0 512", "-0|-0|-0e+00|-0|-0.000e+00|512|-0|0|true|true"],
  ["parse 123.456e-2 512", "1.23456|1.23456|1.23456e+00|1.23456|1.235e+00|512|1.23456|1|false|false"],
  ["parse 1p10 512", "1024|1024|1.024e+03|1024|1.024e+03|512|1024|1024|true|true"],
  [
    "parse 0.000000000000000000000000000001 512",
    "0.000000000000000000000000000001|1e-30|1e-30|1e-30|1.000e-30|512|1e-30|0|false|false",
  ],
  [
    "parse 12345678901234567890123456789 64",
    "12345678901234567890000000000|1.234567890123456789e+28|1.234567890123456789e+28|1.23456789e+28|1.235e+28|64|1.2345678901234568e+28|9223372036854775807|false|true",
  ],
  ["parse 3.14159 53", "3.14159|3.14159|3.14159e+00|3.14159|3.142e+00|53|3.14159|3|false|false"],
  [
    "parse 9007199254740993 53",
    "9007199254740992|9.007199254740992e+15|9.007199254740992e+15|9.007199255e+15|9.007e+15|53|9.007199254740992e+15|9007199254740992|true|true",
  ],
  ["parse 2.5 1", "2|2|2e+00|2|2.000e+00|1|2|2|true|true"],
  [
    "op add 100000000000000000000 512 1 512",
    "100000000000000000001|1.00000000000000000001e+20|1.00000000000000000001e+20|1e+20|1.000e+20|512|1e+20|9223372036854775807|false|true",
  ],
  ["op add 0.1 512 0.2 512", "0.3|0.3|3e-01|0.3|3.000e-01|512|0.3|0|false|false"],
  [
    "op quo 1 512 3 512",
    "0.33333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333335|0.33333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333335|3.3333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333335e-01|0.3333333333|3.333e-01|512|0.3333333333333333|0|false|false",
  ],
  [
    "op quo 2 64 3 64",
    "0.6666666666666666667|0.6666666666666666667|6.666666666666666667e-01|0.6666666667|6.667e-01|64|0.6666666666666666|0|false|false",
  ],
  [
    "op quo 1 512 7 512",
    "0.14285714285714285714285714285714285714285714285714285714285714285714285714285714285714285714285714285714285714285714285714285714285714285714285714285714285|0.14285714285714285714285714285714285714285714285714285714285714285714285714285714285714285714285714285714285714285714285714285714285714285714285714285714285|1.4285714285714285714285714285714285714285714285714285714285714285714285714285714285714285714285714285714285714285714285714285714285714285714285714285714285e-01|0.1428571429|1.429e-01|512|0.14285714285714285|0|false|false",
  ],
  [
    "op quo 22 512 7 53",
    "3.1428571428571428571428571428571428571428571428571428571428571428571428571428571428571428571428571428571428571428571428571428571428571428571428571428571428|3.1428571428571428571428571428571428571428571428571428571428571428571428571428571428571428571428571428571428571428571428571428571428571428571428571428571428|3.1428571428571428571428571428571428571428571428571428571428571428571428571428571428571428571428571428571428571428571428571428571428571428571428571428571428e+00|3.142857143|3.143e+00|512|3.142857142857143|3|false|false",
  ],
  [
    "op sub 0.3 512 0.1 512",
    "0.20000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000002|0.20000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000002|2.0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000002e-01|0.2|2.000e-01|512|0.2|0|false|false",
  ],
  ["op mul 0.1 512 3 512", "0.3|0.3|3e-01|0.3|3.000e-01|512|0.3|0|false|false"],
  ["op mul 1.1 64 1.1 64", "1.21|1.21|1.21e+00|1.21|1.210e+00|64|1.21|1|false|false"],
  [
    "op quo 1e400 512 3 512",
    "3333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333400000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000|3.3333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333334e+399|3.3333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333334e+399|3.333333333e+399|3.333e+399|512|+Inf|9223372036854775807|false|true",
  ],
  ["op add 1e-400 512 1 512", "1|1|1e+00|1|1.000e+00|512|1|1|true|true"],
  [
    "op quo 1 53 3 53",
    "0.3333333333333333|0.3333333333333333|3.333333333333333e-01|0.3333333333|3.333e-01|53|0.3333333333333333|0|false|false",
  ],
  [
    "op sub 1 64 1e-30 512",
    "0.999999999999999999999999999999|0.999999999999999999999999999999|9.99999999999999999999999999999e-01|1|1.000e+00|512|1|0|false|false",
  ],
  [
    "op quo -5 512 3 512",
    "-1.6666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666|-1.6666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666|-1.6666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666e+00|-1.666666667|-1.667e+00|512|-1.6666666666666667|-1|false|false",
  ],
  [
    "op mul 123456789012345678901234567890 512 987654321098765432109876543210 512",
    "121932631137021795226185032733622923332237463801111263526900|1.219326311370217952261850327336229233322374638011112635269e+59|1.219326311370217952261850327336229233322374638011112635269e+59|1.219326311e+59|1.219e+59|512|1.2193263113702178e+59|9223372036854775807|false|true",
  ],
];

function parse(s: string, prec: number): BigFloat {
  const f = BigFloat.parse(s, prec);
  if (f === undefined) throw new Error(`unparsable ${s}`);
  return f;
}

function describeGo(f: BigFloat): string {
  const i = f.toInt64();
  let iv = i.value;
  if (iv > 2n ** 63n - 1n) iv = 2n ** 63n - 1n;
  if (iv < -(2n ** 63n)) iv = -(2n ** 63n);
  return [
    f.text("f", -1),
    f.text("g", -1),
    f.text("e", -1),
    f.toString(),
    f.text("e", 3),
    f.prec,
    String(f.toFloat64()),
    iv,
    i.exact,
    f.isInt(),
  ].join("|");
}

function normalizeGoLine(line: string): string {
  const parts = line.split("|");
  const f = parts[6]!;
  parts[6] = String(f === "+Inf" ? Infinity : f === "-Inf" ? -Infinity : Number(f));
  return parts.join("|");
}

describe("BigFloat matches Go's math/big.Float", () => {
  for (const [input, expected] of goVectors) {
    it(input, () => {
      const [cmd, ...args] = input.split(" ");
      let result: BigFloat;
      if (cmd === "parse") {
        result = parse(args[0]!, Number(args[1]));
      } else {
        const [op, a, pa, b, pb] = args as [string, string, string, string, string];
        const x = parse(a, Number(pa));
        const y = parse(b, Number(pb));
        result = op === "add" ? x.add(y) : op === "sub" ? x.sub(y) : op === "mul" ? x.mul(y) : x.quo(y);
      }
      expect(describeGo(result)).toBe(normalizeGoLine(expected));
    });
  }
});

describe("BigFloat.parse", () => {
  it("accepts Go's decimal syntax", () => {
    expect(parse("+5", 512).text("f", -1)).toBe("5");
    expect(parse(".5", 512).text("f", -1)).toBe("0.5");
    expect(parse("5.", 512).text("f", -1)).toBe("5");
    expect(parse("1E3", 512).text("f", -1)).toBe("1000");
    expect(parse("1e+3", 512).text("f", -1)).toBe("1000");
    expect(parse("3p-1", 512).text("f", -1)).toBe("1.5");
    expect(parse("Inf", 512).isInf()).toBe(true);
    expect(parse("-inf", 512).signBit()).toBe(true);
  });

  it("rejects everything else", () => {
    for (const s of [
      "",
      " 1",
      "1 ",
      ".",
      "-",
      "e5",
      "1e",
      "1_000",
      "0x10",
      "1.2.3",
      "abc",
      "1e+",
      "--1",
      "infinity",
    ]) {
      expect(BigFloat.parse(s), s).toBeUndefined();
    }
  });

  it("keeps the sign of zero", () => {
    expect(parse("-0.0", 512).signBit()).toBe(true);
    expect(parse("-0.0", 512).text("f", -1)).toBe("-0");
    expect(parse("0e10", 512).text("f", -1)).toBe("0");
  });
});

describe("BigFloat precision rules", () => {
  it("uses 64 bits for integers and 53 for float64 values", () => {
    expect(BigFloat.fromInt(7).prec).toBe(64);
    expect(BigFloat.fromInt(2n ** 100n).prec).toBe(101);
    expect(BigFloat.fromFloat64(0.1).prec).toBe(53);
    expect(BigFloat.fromFloat64(0.1).text("f", -1)).toBe("0.1");
  });

  it("gives operations the larger operand precision", () => {
    const two = BigFloat.fromInt(2);
    const three = BigFloat.fromInt(3);
    expect(two.quo(three).text("f", -1)).toBe("0.6666666666666666667");
    expect(two.quo(parse("3", 512)).prec).toBe(512);
  });

  it("formats float64-precision values with their shortest digits", () => {
    const sqrt2 = BigFloat.fromFloat64(Math.SQRT2);
    expect(sqrt2.text("f", -1)).toBe("1.4142135623730951");
    expect(sqrt2.add(parse("0", 512)).text("f", -1)).toBe(
      "1.4142135623730951454746218587388284504413604736328125",
    );
  });

  it("converts to float64 with correct rounding, including subnormals and overflow", () => {
    expect(parse("0.1", 512).toFloat64()).toBe(0.1);
    expect(parse("5e-324", 512).toFloat64()).toBe(5e-324);
    expect(parse("2e-324", 512).toFloat64()).toBe(0);
    expect(parse("1e400", 512).toFloat64()).toBe(Infinity);
    expect(parse("-1e400", 512).toFloat64()).toBe(-Infinity);
    expect(Object.is(parse("-0", 512).toFloat64(), -0)).toBe(true);
  });

  it("truncates toward zero for integer parts", () => {
    expect(parse("-2.7", 512).toBigInt()).toBe(-2n);
    expect(parse("2.7", 512).toBigInt()).toBe(2n);
    expect(parse("1e30", 512).toBigInt()).toBe(10n ** 30n);
    expect(parse("9223372036854775808", 512).toInt64().exact).toBe(false);
    expect(parse("9223372036854775807", 512).toInt64()).toEqual({
      value: 9223372036854775807n,
      exact: true,
      inRange: true,
    });
  });
});

describe("BigFloat special values", () => {
  const inf = BigFloat.infinity(false, 512);
  const zero = BigFloat.zero(512);
  const one = parse("1", 512);

  it("divides by zero to infinity", () => {
    expect(one.quo(zero).text("f", -1)).toBe("+Inf");
    expect(one.negate().quo(zero).text("f", -1)).toBe("-Inf");
  });

  it("throws where Go panics with ErrNaN", () => {
    expect(() => zero.quo(zero)).toThrow(BigFloatNaNError);
    expect(() => inf.quo(inf)).toThrow(BigFloatNaNError);
    expect(() => inf.sub(inf)).toThrow(BigFloatNaNError);
    expect(() => inf.add(inf.negate())).toThrow(BigFloatNaNError);
    expect(() => inf.mul(zero)).toThrow(BigFloatNaNError);
  });

  it("follows Go's signed-zero rules", () => {
    expect(one.sub(one).signBit()).toBe(false);
    expect(zero.negate().add(zero.negate()).signBit()).toBe(true);
    expect(zero.negate().mul(one).signBit()).toBe(true);
  });

  it("compares numerically", () => {
    expect(zero.cmp(zero.negate())).toBe(0);
    expect(inf.cmp(one)).toBe(1);
    expect(inf.negate().cmp(one)).toBe(-1);
    expect(parse("0.1", 512).cmp(parse("0.1", 53))).toBe(-1);
    expect(parse("-3", 512).cmp(parse("-2", 512))).toBe(-1);
  });
});

describe("BigFloat.text with fixed precision", () => {
  const x = parse("1234.5678", 512);
  it("formats like Go", () => {
    expect(x.text("f", 2)).toBe("1234.57");
    expect(x.text("e", 2)).toBe("1.23e+03");
    expect(x.text("E", 0)).toBe("1E+03");
    expect(x.text("g", 3)).toBe("1.23e+03");
    expect(x.text("g", 6)).toBe("1234.57");
    expect(parse("0.000012345", 512).text("g", -1)).toBe("1.2345e-05");
    expect(parse("2.5", 512).text("f", 0)).toBe("2");
    expect(parse("3.5", 512).text("f", 0)).toBe("4");
  });
});
