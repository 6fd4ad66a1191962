import { describe, expect, it } from "vitest";
import { formatValueHCL, goFormatFloatG } from "./format.js";
import { add, divide } from "./number-ops.js";
import { setVal } from "./set.js";
import { numberType, stringType } from "./types.js";
import {
  boolVal,
  emptyObjectVal,
  emptyTupleVal,
  listVal,
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

// Expected strings are what `packer console` printed for the same expressions.
describe("formatValueHCL (packer console output)", () => {
  it("prints numbers like Packer", () => {
    const sum = add(num("100000000000000000000"), num("1"));
    expect(sum.ok && formatValueHCL(sum.value)).toBe("1e+20");
    const third = divide(num("1"), num("3"));
    expect(third.ok && formatValueHCL(third.value)).toBe("0.3333333333333333");
    expect(formatValueHCL(num("1e30"))).toBe("1e+30");
    expect(formatValueHCL(num("1e-7"))).toBe("1e-07");
    expect(formatValueHCL(num("-0"))).toBe("0");
    expect(formatValueHCL(num("12345678901234567890"))).toBe("1.2345678901234567e+19");
    expect(formatValueHCL(num("9007199254740993"))).toBe("9007199254740993");
    expect(formatValueHCL(num("1234567.5"))).toBe("1.2345675e+06");
    expect(formatValueHCL(num("0.0001"))).toBe("0.0001");
    expect(formatValueHCL(num("0.00001"))).toBe("1e-05");
    expect(formatValueHCL(num("-2.5e-5"))).toBe("-2.5e-05");
    expect(formatValueHCL(num("1234567"))).toBe("1234567");
    expect(formatValueHCL(num("1.5"))).toBe("1.5");
    const inf = divide(num("1"), num("0"));
    expect(inf.ok && formatValueHCL(inf.value)).toBe("+Inf");
  });

  it("prints strings raw at top level and quoted inside", () => {
    expect(formatValueHCL(stringVal("x\ny"))).toBe("x\ny");
    expect(formatValueHCL(tupleVal(["x\ny", "tab\t", "é", "\u0001"].map(stringVal)))).toBe(
      '[\n  "x\\ny",\n  "tab\\t",\n  "é",\n  "\\x01",\n]',
    );
  });

  it("prints collections with Packer's layout", () => {
    expect(formatValueHCL(tupleVal([numberIntVal(1), numberIntVal(2)]))).toBe("[\n  1,\n  2,\n]");
    expect(formatValueHCL(objectVal({ a: numberIntVal(1) }))).toBe('{\n  "a" = 1\n}');
    expect(formatValueHCL(tupleVal([emptyTupleVal, emptyObjectVal]))).toBe("[\n  [],\n  {},\n]");
    expect(formatValueHCL(tupleVal([objectVal({ a: numberIntVal(1), b: stringVal("x") })]))).toBe(
      '[\n  {\n    "a" = 1\n    "b" = "x"\n  },\n]',
    );
    expect(formatValueHCL(setVal([stringVal("b"), stringVal("a")]))).toBe('[\n  "a",\n  "b",\n]');
    expect(formatValueHCL(objectVal({ "x y": stringVal('a"b\n') }))).toBe('{\n  "x y" = "a\\"b\\n"\n}');
  });

  it("prints null, and drops null attributes", () => {
    expect(formatValueHCL(nullVal(stringType))).toBe("null");
    expect(
      formatValueHCL(
        objectVal({ a: nullVal(stringType), b: tupleVal([nullVal(numberType)]), c: emptyObjectVal }),
      ),
    ).toBe('{\n  "b" = [\n    null,\n  ]\n  "c" = {}\n}');
    expect(formatValueHCL(boolVal(true))).toBe("true");
  });

  it("prints <unknown> for anything not wholly known", () => {
    expect(formatValueHCL(unknownVal(stringType))).toBe("<unknown>");
    expect(formatValueHCL(listVal([stringVal("a"), unknownVal(stringType)]))).toBe("<unknown>");
  });

  it("hides sensitive values as Packer shows sensitive variables", () => {
    expect(formatValueHCL(stringVal("secret").mark(SENSITIVE))).toBe("<sensitive>");
    expect(formatValueHCL(tupleVal([stringVal("secret").mark(SENSITIVE)]))).toBe('[\n  "<sensitive>",\n]');
    expect(formatValueHCL(objectVal({ p: numberIntVal(1).mark(SENSITIVE) }))).toBe(
      '{\n  "p" = "<sensitive>"\n}',
    );
  });
});

describe("goFormatFloatG", () => {
  it("matches Go's %g", () => {
    expect(goFormatFloatG(1e21)).toBe("1e+21");
    expect(goFormatFloatG(123456)).toBe("123456");
    expect(goFormatFloatG(1234567)).toBe("1.234567e+06");
    expect(goFormatFloatG(0.1)).toBe("0.1");
    expect(goFormatFloatG(-Infinity)).toBe("-Inf");
    expect(goFormatFloatG(1e100)).toBe("1e+100");
    expect(goFormatFloatG(5e-324)).toBe("5e-324");
  });
});
