import { describe, expect, it } from "vitest";
import {
  formatValueHCL,
  numberFloatVal,
  numberIntVal,
  parseNumberVal,
  stringType,
  stringVal,
  unknownVal,
  type Value,
  valueToNative,
} from "../../value/index.js";
import { callFunction } from "../call.js";
import { makeDatetimeFunctions } from "./datetime.js";

const start = new Date("2024-02-29T13:04:05.987Z");
let clock = new Date("2021-06-01T10:20:30.456Z");
const fns = makeDatetimeFunctions({ startTime: start, now: () => clock });

function run(name: string, ...args: Value[]): string {
  const r = callFunction(fns[name]!, args);
  if (r.ok) return formatValueHCL(r.value);
  if (r.kind === "arg") return `Invalid value for "${r.paramName}" parameter: ${r.message}.`;
  if (r.kind === "call") return `Call to function "${name}" failed: ${r.message}.`;
  return `arity ${r.given}/${r.expected}`;
}
const s = (x: string) => stringVal(x);
function native(name: string, ...args: Value[]): unknown {
  const r = callFunction(fns[name]!, args);
  if (!r.ok) throw new Error(JSON.stringify(r));
  return valueToNative(r.value);
}

// Expectations come from cty v1.13's formatdate/timeadd run under Go, Go's time package, and Packer's own
// tests (rfc3339_parse, unix_timestamp_parse); Packer 1.6.6 agrees where it has the function.
describe("formatdate", () => {
  const fd = (f: string, t: string) => run("formatdate", s(f), s(t));
  it("formats every verb", () => {
    expect(fd("DD MMM YYYY hh:mm ZZZ", "2018-01-02T23:12:01Z")).toBe("02 Jan 2018 23:12 UTC");
    expect(fd("EEEE, DD-MMM-YY hh:mm:ss ZZZ", "2018-01-02T23:12:01-08:00")).toBe(
      "Tuesday, 02-Jan-18 23:12:01 -0800",
    );
    expect(fd("EEE, DD MMM YYYY hh:mm:ss ZZZ", "2018-01-02T23:12:01+05:30")).toBe(
      "Tue, 02 Jan 2018 23:12:01 +0530",
    );
    expect(fd("MMM DD, YYYY", "2018-01-02T23:12:01Z")).toBe("Jan 02, 2018");
    expect(fd("HH:mmaa", "2018-01-02T23:12:01Z")).toBe("11:12pm");
    expect(fd("H:m:s AA", "2018-01-02T00:05:09Z")).toBe("12:5:9 AM");
    expect(fd("h:m:s aa M/D", "2018-01-02T12:05:09Z")).toBe("12:5:9 pm 1/2");
    expect(fd("'literal' YYYY 'it''s' ''", "2018-01-02T12:05:09Z")).toBe("literal 2018 it's '");
    expect(fd("Z ZZZ ZZZZ ZZZZZ", "2018-01-02T12:05:09Z")).toBe("Z UTC +0000 +00:00");
    expect(fd("Z ZZZ ZZZZ ZZZZZ", "2018-01-02T12:05:09-07:30")).toBe("-07:30 -0730 -0730 -07:30");
    expect(fd("MMMM", "2018-09-02T12:05:09Z")).toBe("September");
    expect(fd("YY", "0005-01-02T12:05:09Z")).toBe("05");
    expect(fd("é YYYY ☃", "2018-01-02T12:05:09Z")).toBe("é 2018 ☃");
    expect(fd("YYYY", "2018-01-02T12:05:09.123456789123Z")).toBe("2018");
  });
  it("rejects malformed formats", () => {
    const bad = (f: string, why: string) =>
      expect(fd(f, "2018-01-02T12:05:09Z")).toBe(`Invalid value for "format" parameter: ${why}.`);
    bad("YYY", 'invalid date format verb "YYY": year must either be "YY" or "YYYY"');
    bad("Y", 'invalid date format verb "Y": year must either be "YY" or "YYYY"');
    bad("MMMMM", 'invalid date format verb "MMMMM": month must be "M", "MM", "MMM", or "MMMM"');
    bad("DDD", 'invalid date format verb "DDD": day of month must either be "D" or "DD"');
    bad("E", 'invalid date format verb "E": day of week must either be "EEE" or "EEEE"');
    bad("hhh", 'invalid date format verb "hhh": 24-hour must either be "h" or "hh"');
    bad("HHH", 'invalid date format verb "HHH": 12-hour must either be "H" or "HH"');
    bad("A", 'invalid date format verb "A": must be "AA"');
    bad("aaa", 'invalid date format verb "aaa": must be "aa"');
    bad("mmm", 'invalid date format verb "mmm": minute must either be "m" or "mm"');
    bad("sss", 'invalid date format verb "sss": second must either be "s" or "ss"');
    bad("ZZ", 'invalid date format verb "ZZ": timezone must be Z, ZZZZ, or ZZZZZ');
    bad("ZZZZZZ", 'invalid date format verb "ZZZZZZ": timezone must be Z, ZZZZ, or ZZZZZ');
    bad("x", 'invalid date format verb "x"');
    bad("'unterminated", "unterminated literal '");
    bad("'", "unterminated literal '");
  });
  it("explains invalid timestamps as cty does", () => {
    const bad = (t: string, why: string) =>
      expect(fd("YYYY", t)).toBe(`Invalid value for "time" parameter: not a valid RFC3339 timestamp${why}.`);
    bad("2018-01-02", ": missing required time introducer 'T'");
    bad("2018-01-02T12:05:09", ": end of string before UTC offset");
    bad("2018-01-02 12:05:09Z", ": missing required time introducer 'T'");
    bad("2018-13-02T12:05:09Z", ': cannot use "-02T12:05:09Z" as month');
    bad("2018-02-30T12:05:09Z", ": day out of range");
    bad("2018-01-02T1:05:09Z", ": hour must have exactly two digits");
    bad("2018-01-02T24:05:09Z", ": hour must be between 0 and 23 inclusive");
    bad("2018-01-02T12:5:09Z", ": minute must have exactly two digits");
    bad("2018-01-02T12:05:09,5Z", ': cannot use "," as timestamp segment');
    // Go >= 1.20 range-checks zone offsets while parsing (Go 1.19 let cty report `cannot use "+25:00"`).
    bad("2018-01-02T12:05:09+25:00", ": end of string before UTC offset");
    bad("2018-01-02T12:05:09+05:61", ": end of string before UTC offset");
    bad("2018-01-02T12:05:09+24:00", ': cannot use "+24:00" as UTC offset');
    bad("2018-01-02T12:05:09+05:60", ': cannot use "+05:60" as UTC offset');
    bad("2018-01-02T12:05:09ZZ", ': cannot use "Z" as timestamp segment');
    bad("2018", ': end of string where "-" is expected');
    // Current Go reports the text where the element started (Go 1.19 reported what followed it).
    bad("18-01-02T12:05:09Z", ': cannot use "18-01-02T12:05:09Z" as year');
    bad("2018-01-02T12:05:60Z", ': cannot use "Z" as second');
    bad("2018-01-02T12:60:09Z", ": minute must have exactly two digits");
    bad("2018/01/02T12:05:09Z", ': found "/01/02T12:05:09Z" where "-" is expected');
    bad("2018-01-02T12-05:09Z", ': found "-05:09Z" where ":" is expected');
    bad("", ": end of string before year");
    bad("2018-01-02T12:05:09+0500", ': cannot use "+0500" as UTC offset');
    bad("2018-01-02t12:05:09Z", ": missing required time introducer 'T'");
    bad("abcdefghijklmnopqrstuvwxyz", ': cannot use "abcdefghijklmnopqrstuvwxyz" as year');
  });
  it("is unknown when an argument is", () => {
    expect(run("formatdate", s("YYYY"), unknownVal(stringType))).toBe("<unknown>");
  });
});

describe("timeadd", () => {
  const ta = (t: string, d: string) => run("timeadd", s(t), s(d));
  it("adds Go durations", () => {
    expect(ta("2017-11-22T00:00:00Z", "1h30m")).toBe("2017-11-22T01:30:00Z");
    expect(ta("2017-11-22T00:00:00Z", "-2.5h")).toBe("2017-11-21T21:30:00Z");
    expect(ta("2017-11-22T00:00:00Z", "10ms")).toBe("2017-11-22T00:00:00Z");
    expect(ta("2017-11-22T00:00:00.5Z", "600ms")).toBe("2017-11-22T00:00:01Z");
    expect(ta("2017-11-22T00:00:00Z", "1µs")).toBe("2017-11-22T00:00:00Z");
    expect(ta("2017-11-22T23:00:00+05:00", "2h")).toBe("2017-11-23T01:00:00+05:00");
    expect(ta("2017-11-22T00:00:00Z", "0")).toBe("2017-11-22T00:00:00Z");
    expect(ta("2017-11-22T00:00:00Z", "+5m")).toBe("2017-11-22T00:05:00Z");
    expect(ta("2017-11-22T00:00:00Z", "8760h")).toBe("2018-11-22T00:00:00Z");
    expect(ta("2017-11-22T00:00:00Z", "2562047h47m16.854775807s")).toBe("2310-03-03T23:47:16Z");
    expect(ta("2017-11-22T00:00:00Z", "-2562047h47m16.854775808s")).toBe("1725-08-13T00:12:43Z");
    expect(ta("0001-01-01T00:00:00Z", "-1s")).toBe("0000-12-31T23:59:59Z");
    expect(ta("9999-12-31T23:59:59Z", "1s")).toBe("10000-01-01T00:00:00Z");
  });
  it("reports Go's duration errors and cty's timestamp errors", () => {
    const err = (m: string) => `Call to function "timeadd" failed: ${m}.`;
    expect(ta("2017-11-22T00:00:00Z", "")).toBe(err('time: invalid duration ""'));
    expect(ta("2017-11-22T00:00:00Z", "1")).toBe(err('time: missing unit in duration "1"'));
    expect(ta("2017-11-22T00:00:00Z", "1d")).toBe(err('time: unknown unit "d" in duration "1d"'));
    expect(ta("2017-11-22T00:00:00Z", ".s")).toBe(err('time: invalid duration ".s"'));
    expect(ta("2017-11-22T00:00:00Z", "2562048h")).toBe(err('time: invalid duration "2562048h"'));
    expect(ta("2017-11-22T00:00:00Z", "1.5.5h")).toBe(err('time: missing unit in duration "1.5.5h"'));
    expect(ta("2017-11-22T00:00:00Z", "1h-5m")).toBe(err('time: unknown unit "h-" in duration "1h-5m"'));
    expect(ta("notatime", "1h")).toBe(err('not a valid RFC3339 timestamp: cannot use "notatime" as year'));
  });
});

describe("timestamp", () => {
  it("formats the clock in UTC at every call", () => {
    clock = new Date("2021-06-01T10:20:30.456Z");
    expect(run("timestamp")).toBe("2021-06-01T10:20:30Z");
    clock = new Date("2021-06-01T10:20:31Z");
    expect(run("timestamp")).toBe("2021-06-01T10:20:31Z");
  });
  it("takes no arguments", () => {
    expect(run("timestamp", s("x"))).toBe("arity 1/0");
  });
});

describe("legacy_isotime / legacy_strftime", () => {
  it("format the process start time (RFC 3339 without a format)", () => {
    expect(run("legacy_isotime")).toBe("2024-02-29T13:04:05Z");
    expect(run("legacy_strftime")).toBe("2024-02-29T13:04:05Z");
  });
  it("legacy_isotime speaks Go's layout language", () => {
    const iso = (l: string) => run("legacy_isotime", s(l));
    expect(iso("2006-01-02T15:04:05.000000000Z07:00")).toBe("2024-02-29T13:04:05.987000000Z");
    expect(iso("Mon Jan _2 15:04:05 MST 2006")).toBe("Thu Feb 29 13:04:05 UTC 2024");
    expect(iso("01-02-2006")).toBe("02-29-2024");
    expect(iso("3:04:05 pm .999 ,000")).toBe("1:04:05 pm .987 ,987");
    expect(iso("__2 002 Monday January")).toBe(" 60 060 Thursday February");
    expect(iso("no tokens here! xyz")).toBe("no tokens here! xyz");
    expect(iso("-0700 -07:00 -07 Z0700 Z07:00 PM")).toBe("+0000 +00:00 +00 Z Z PM");
  });
  it("legacy_strftime speaks strftime", () => {
    const st = (f: string) => run("legacy_strftime", s(f));
    expect(st("%Y-%m-%d %H:%M:%S")).toBe("2024-02-29 13:04:05");
    expect(st("%a %A %b %B %y %I %p %Z %z%L")).toBe("Thu Thursday Feb February 24 01 PM UTC +0000.987");
    expect(st("100%% %q %")).toBe("100% %q %");
    expect(st("plain")).toBe("plain");
  });
  it("take at most one format", () => {
    expect(run("legacy_isotime", s("a"), s("b"))).toBe(
      `Call to function "legacy_isotime" failed: too many values, 1 needed: [{{{{} 83}} a} {{{{} 83}} b}].`,
    );
  });
});

describe("rfc3339_parse", () => {
  it("returns the parts of a timestamp (Packer's test vectors)", () => {
    const want2023 = {
      year: 2023,
      year_day: 206,
      day: 25,
      month: 7,
      month_name: "July",
      weekday: 2,
      weekday_name: "Tuesday",
      hour: 23,
      minute: 43,
      second: 16,
      unix: 1690328596,
      iso_year: 2023,
      iso_week: 30,
    };
    expect(native("rfc3339_parse", s("2023-07-25T23:43:16Z"))).toEqual(want2023);
    expect(native("rfc3339_parse", s("2023-07-25 23:43:16Z"))).toEqual(want2023);
    expect(native("rfc3339_parse", s("2023-07-25T23:43:16.512345Z"))).toEqual(want2023);
    const want1996 = {
      year: 1996,
      year_day: 354,
      day: 19,
      month: 12,
      month_name: "December",
      weekday: 4,
      weekday_name: "Thursday",
      hour: 16,
      minute: 39,
      second: 57,
      unix: 851042397,
      iso_year: 1996,
      iso_week: 51,
    };
    expect(native("rfc3339_parse", s("1996-12-19T16:39:57-08:00"))).toEqual(want1996);
    expect(native("rfc3339_parse", s("1996-12-19 16:39:57.25-08:00"))).toEqual(want1996);
  });
  it("computes ISO weeks across year boundaries (Go's ISOWeek)", () => {
    expect(native("rfc3339_parse", s("2021-01-03T00:00:00Z"))).toMatchObject({
      iso_year: 2020,
      iso_week: 53,
      weekday: 0,
    });
    expect(native("rfc3339_parse", s("2024-12-30T10:00:00+14:00"))).toMatchObject({
      iso_year: 2025,
      iso_week: 1,
      year_day: 365,
      unix: 1735502400,
    });
    expect(native("rfc3339_parse", s("0000-01-01T00:00:00Z"))).toMatchObject({
      year: 0,
      weekday: 6,
      iso_year: -1,
      iso_week: 52,
      unix: -62167219200,
    });
  });
  it("accepts what Go's time.Parse accepts", () => {
    expect(native("rfc3339_parse", s("2023-07-25T1:04:05Z"))).toMatchObject({
      hour: 1,
      minute: 4,
      unix: 1690247045,
    });
    expect(native("rfc3339_parse", s("2023-07-25 23:43:16,5Z"))).toMatchObject({ second: 16 });
    expect(native("rfc3339_parse", s("2023-07-25T23:43:16+24:00"))).toMatchObject({
      hour: 23,
      unix: 1690242196,
    });
  });
  it("rejects other strings", () => {
    expect(run("rfc3339_parse", s("abcdef"))).toBe(
      `Invalid value for "timestamp" parameter: "abcdef" is not a valid RFC3339 timestamp.`,
    );
    expect(run("rfc3339_parse", s("2023-07-25T23:43:16"))).toBe(
      `Invalid value for "timestamp" parameter: "2023-07-25T23:43:16" is not a valid RFC3339 timestamp.`,
    );
    expect(run("rfc3339_parse", unknownVal(stringType))).toBe("<unknown>");
  });
});

describe("unix_timestamp_parse", () => {
  it("returns the UTC parts of a Unix time (Packer's test vectors)", () => {
    expect(native("unix_timestamp_parse", numberIntVal(1690328596))).toEqual({
      year: 2023,
      year_day: 206,
      day: 25,
      month: 7,
      month_name: "July",
      weekday: 2,
      weekday_name: "Tuesday",
      hour: 23,
      minute: 43,
      rfc3339: "2023-07-25T23:43:16Z",
      second: 16,
      iso_year: 2023,
      iso_week: 30,
    });
    expect(native("unix_timestamp_parse", numberIntVal(851042397))).toMatchObject({
      year: 1996,
      year_day: 355,
      day: 20,
      weekday_name: "Friday",
      hour: 0,
      rfc3339: "1996-12-20T00:39:57Z",
    });
  });
  it("handles times before the epoch and beyond year 9999", () => {
    expect(native("unix_timestamp_parse", numberIntVal(-1))).toMatchObject({
      year: 1969,
      year_day: 365,
      weekday: 3,
      iso_year: 1970,
      iso_week: 1,
      rfc3339: "1969-12-31T23:59:59Z",
    });
    expect(native("unix_timestamp_parse", numberIntVal(-62135596800))).toMatchObject({
      rfc3339: "0001-01-01T00:00:00Z",
    });
    expect(native("unix_timestamp_parse", numberIntVal(253402300800))).toMatchObject({
      year: 10000,
      iso_year: 9999,
      iso_week: 52,
      rfc3339: "10000-01-01T00:00:00Z",
    });
  });
  it("rejects fractions and values beyond int64", () => {
    const msg =
      'Invalid value for "unix_timestamp" parameter: unix_timestamp must be a whole number of seconds representable as a 64-bit integer: value must be a whole number, between -9223372036854775808 and 9223372036854775807.';
    expect(run("unix_timestamp_parse", numberFloatVal(1690328596.5))).toBe(msg);
    const big = parseNumberVal("100000000000000000000");
    expect(big.ok && run("unix_timestamp_parse", big.value)).toBe(msg);
  });
});
