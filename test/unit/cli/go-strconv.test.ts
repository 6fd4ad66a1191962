import { describe, expect, it } from "vitest";
import { goQuote, parseGoBool, parseGoInt64 } from "../../../src/hcl/index.js";

describe("parseGoBool (strconv.ParseBool)", () => {
  it.each(["1", "t", "T", "TRUE", "true", "True"])("accepts %s as true", (s) => {
    expect(parseGoBool(s)).toBe(true);
  });
  it.each(["0", "f", "F", "FALSE", "false", "False"])("accepts %s as false", (s) => {
    expect(parseGoBool(s)).toBe(false);
  });
  it.each(["", "yes", "no", "tRUE", "fAlse", "on", " true", "2", "y"])("rejects %j", (s) => {
    expect(parseGoBool(s)).toBe("parse error");
  });
});

describe("parseGoInt64 (strconv.ParseInt(s, 0, 64))", () => {
  // Expectations checked against Packer 1.6.6's -parallel-builds.
  it.each([
    ["0", 0n],
    ["10", 10n],
    ["-5", -5n],
    ["+5", 5n],
    ["0x1F", 31n],
    ["0X1f", 31n],
    ["-0x10", -16n],
    ["0o17", 15n],
    ["0O17", 15n],
    ["017", 15n],
    ["0b101", 5n],
    ["0B11", 3n],
    ["1_000", 1000n],
    ["0x_1f", 31n],
    ["0_7", 7n],
    ["00", 0n],
    ["9223372036854775807", 9223372036854775807n],
    ["-9223372036854775808", -9223372036854775808n],
  ])("parses %s", (s, want) => {
    expect(parseGoInt64(s)).toBe(want);
  });

  it.each([
    "",
    "-",
    "+",
    "08",
    "0b",
    "0x",
    "0o",
    "_1",
    "1_",
    "1__0",
    " 1",
    "1 ",
    "1e3",
    "0x1g",
    "١",
    "--1",
    "0b2",
    "1.0",
  ])("rejects %j as a parse error", (s) => {
    expect(parseGoInt64(s)).toBe("parse error");
  });

  it.each(["9223372036854775808", "-9223372036854775809", "18446744073709551616", "99999999999999999999x"])(
    "rejects %s as out of range",
    (s) => {
      expect(parseGoInt64(s)).toBe("value out of range");
    },
  );
});

describe("goQuote (%q)", () => {
  it.each([
    ["x", '"x"'],
    ["", '""'],
    ["\x1b", '"\\x1b"'],
    ['a"b', '"a\\"b"'],
    ["a\\b", '"a\\\\b"'],
    ["\t\n", '"\\t\\n"'],
    ["é", '"é"'],
    ["\u200b", '"\\u200b"'],
    ["😀", '"😀"'],
    ["\x7f", '"\\x7f"'],
    ["\u00a0", '"\\u00a0"'],
    ["\x07\b\f\r\v", '"\\a\\b\\f\\r\\v"'],
  ])("quotes %j like Go", (s, want) => {
    expect(goQuote(s)).toBe(want);
  });
});
