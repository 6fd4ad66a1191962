import { describe, expect, it } from "vitest";
import { goAdd, goFormat, goParse, goParseDuration, goUnix, RFC3339, RFC3339Nano } from "./time.js";

// Expected values are what Go's time package prints for the same calls.
function at(rfc3339: string) {
  const r = goParse(RFC3339Nano, rfc3339);
  if (!r.ok) throw new Error(r.error.text);
  return r.time;
}
function parse(layout: string, value: string): string {
  const r = goParse(layout, value);
  return r.ok ? goFormat(r.time, RFC3339Nano) : `ERR ${r.error.text}`;
}

describe("goFormat", () => {
  it("formats every layout element", () => {
    expect(goFormat(at("2009-11-10T23:04:05.123456789Z"), RFC3339)).toBe("2009-11-10T23:04:05Z");
    expect(goFormat(at("2009-11-03T23:04:05.123456789Z"), "Mon Jan _2 15:04:05 MST 2006")).toBe(
      "Tue Nov  3 23:04:05 UTC 2009",
    );
    expect(goFormat(at("2009-11-10T23:04:05Z"), "Monday, 02-Jan-06 15:04:05 MST")).toBe(
      "Tuesday, 10-Nov-09 23:04:05 UTC",
    );
    expect(goFormat(at("2009-01-03T03:04:05Z"), "January 2 2006 3:4:5 PM pm")).toBe(
      "January 3 2009 3:4:5 AM am",
    );
    expect(goFormat(at("2009-01-03T00:04:05Z"), "03:04:05PM")).toBe("12:04:05AM");
    expect(
      goFormat(at("2009-01-03T00:04:05.120000Z"), ".000 .999 ,000 ,999 .9 .0 .000000000 .999999999"),
    ).toBe(".120 .12 ,120 ,12 .1 .1 .120000000 .12");
    expect(goFormat(at("2009-01-03T00:04:05Z"), ".999")).toBe("");
    expect(
      goFormat(
        at("2009-01-03T00:04:05Z"),
        "-0700 -07:00 -07 -070000 -07:00:00 Z0700 Z07:00 Z07 Z070000 Z07:00:00",
      ),
    ).toBe("+0000 +00:00 +00 +000000 +00:00:00 Z Z Z Z Z");
    expect(goFormat(at("2009-01-03T00:04:05Z"), "__2 002 _2 2 02 1 01")).toBe("  3 003  3 3 03 1 01");
    expect(goFormat(at("2009-12-31T00:04:05Z"), "__2 002")).toBe("365 365");
    expect(goFormat(at("2009-01-03T00:04:05Z"), "Janx Jan Monx Mon MST MSTx")).toBe(
      "Janx Jan Monx Sat UTC UTCx",
    );
    expect(goFormat(at("2009-01-03T00:04:05.5Z"), "_2006 20060 2006.000")).toBe("_2009 20090 2009.500");
    expect(goFormat(at("2009-01-03T13:04:05Z"), "15 3 03 4 04 5 05 06 006")).toBe("13 1 01 4 04 5 05 09 009");
    expect(goFormat(at("2009-01-03T13:04:05.5Z"), ".00x")).toBe(".50x");
    expect(goFormat(at("2009-01-03T13:04:05.5Z"), ".0001")).toBe(".0001");
    expect(goFormat(at("2009-01-03T13:04:05Z"), "PMpm Pm pM")).toBe("PMpm Pm pM");
  });
  it("prints fixed zones and fabricated zone names", () => {
    expect(goFormat(at("2009-11-10T23:00:00.5+01:00"), RFC3339Nano)).toBe("2009-11-10T23:00:00.5+01:00");
    expect(goFormat(at("2009-11-10T23:00:00-07:30"), "MST -0700 Z07:00")).toBe("-0730 -0730 -07:30");
  });
  it("handles years outside 0..9999", () => {
    expect(goFormat(goUnix(253402300800n), RFC3339)).toBe("10000-01-01T00:00:00Z");
    expect(goFormat(goAdd(at("0001-01-01T00:00:00Z"), -1_000_000_000n), RFC3339)).toBe(
      "0000-12-31T23:59:59Z",
    );
  });
});

describe("goParse", () => {
  it("parses what Go parses", () => {
    expect(parse(RFC3339, "2009-11-10T3:00:00Z")).toBe("2009-11-10T03:00:00Z");
    expect(parse("2006-01-02 15:04:05.999999999Z07:00", "2023-07-25 23:43:16,25-08:00")).toBe(
      "2023-07-25T23:43:16.25-08:00",
    );
    expect(parse(RFC3339, "2009-11-10T23:00:00+24:00")).toBe("2009-11-10T23:00:00+24:00");
    expect(parse("2006-1-2t15:4:5.999999999Z07:00", "2001-12-14t21:59:43.10-05:00")).toBe(
      "2001-12-14T21:59:43.1-05:00",
    );
    expect(parse("2006-1-2 15:4:5.999999999", "2001-12-14 21:59:43.10")).toBe("2001-12-14T21:59:43.1Z");
    expect(parse("2006-1-2", "2001-1-2")).toBe("2001-01-02T00:00:00Z");
    expect(parse("Mon Jan _2 15:04:05 MST 2006", "Tue Nov  3 23:04:05 PST 2009")).toBe(
      "2009-11-03T23:04:05Z",
    );
    expect(parse("Mon Jan _2 15:04:05 MST 2006", "Tue Nov  3 23:04:05 GMT+3 2009")).toBe(
      "2009-11-04T02:04:05+03:00",
    );
    expect(parse("Jan 2 2006", "nov 3 2009")).toBe("2009-11-03T00:00:00Z");
    expect(parse("2006 002", "2012 060")).toBe("2012-02-29T00:00:00Z");
    expect(parse("2006 002", "2012 366")).toBe("2012-12-31T00:00:00Z");
    expect(parse("3:04PM", "11:04AM")).toBe("0000-01-01T11:04:00Z");
    expect(parse("3:04PM", "12:04AM")).toBe("0000-01-01T00:04:00Z");
    expect(parse("3:04PM", "12:04PM")).toBe("0000-01-01T12:04:00Z");
    expect(parse("06", "69")).toBe("1969-01-01T00:00:00Z");
    expect(parse("06", "68")).toBe("2068-01-01T00:00:00Z");
    expect(parse("2006  01", "2008 01")).toBe("2008-01-01T00:00:00Z");
    expect(parse("2006 01", "2008   01")).toBe("2008-01-01T00:00:00Z");
    expect(parse("15:04:05", "10:00:00.1234567891234")).toBe("0000-01-01T10:00:00.123456789Z");
    expect(parse("-07:00:00", "+01:02:03")).toBe("0000-01-01T00:00:00+01:02");
    expect(parse("MST", "WITA")).toBe("0000-01-01T00:00:00Z");
    expect(parse("MST", "ChST")).toBe("0000-01-01T00:00:00Z");
  });
  it("reports Go's ParseError texts", () => {
    expect(parse("2006-01-02T15:04:05.999999999Z07:00", "2023-07-25 23:43:16Z")).toBe(
      'ERR parsing time "2023-07-25 23:43:16Z" as "2006-01-02T15:04:05.999999999Z07:00": cannot parse " 23:43:16Z" as "T"',
    );
    expect(parse("Mon Jan 2 2006", "Xyz Nov 3 2009")).toBe(
      'ERR parsing time "Xyz Nov 3 2009" as "Mon Jan 2 2006": cannot parse "Xyz Nov 3 2009" as "Mon"',
    );
    expect(parse("2006 002", "2011 366")).toBe('ERR parsing time "2011 366": day-of-year out of range');
    expect(parse("2006 002 01", "2012 060 03")).toBe(
      'ERR parsing time "2012 060 03": day-of-year does not match month',
    );
    expect(parse("3:04PM", "13:04PM")).toBe('ERR parsing time "13:04PM": hour out of range');
    expect(parse("2006", "-123")).toBe('ERR parsing time "-123" as "2006": cannot parse "-123" as "2006"');
    expect(parse("2006-01-02", "2009-02-29")).toBe('ERR parsing time "2009-02-29": day out of range');
    expect(parse("2006-01-02 trailing", "2008-02-29 trailingx")).toBe(
      'ERR parsing time "2008-02-29 trailingx": extra text: "x"',
    );
    expect(parse("15:04:05.000", "10:00:00.12")).toBe(
      'ERR parsing time "10:00:00.12" as "15:04:05.000": cannot parse ".12" as ".000"',
    );
    expect(parse("15:04:05.000", "10:00:00.1234")).toBe('ERR parsing time "10:00:00.1234": extra text: "4"');
    expect(parse("MST", "ABCDEF")).toBe('ERR parsing time "ABCDEF" as "MST": cannot parse "ABCDEF" as "MST"');
    expect(parse(RFC3339, "2009-11-10T23:00:00+25:00")).toBe(
      'ERR parsing time "2009-11-10T23:00:00+25:00": time zone offset hour out of range',
    );
    expect(parse("2006", "é")).toBe(
      'ERR parsing time "\\xc3\\xa9" as "2006": cannot parse "\\xc3\\xa9" as "2006"',
    );
  });
});

describe("goParseDuration", () => {
  const dur = (s: string) => {
    const r = goParseDuration(s);
    return r.ok ? r.ns : r.message;
  };
  it("reads Go durations", () => {
    expect(dur("1h30m")).toBe(5400000000000n);
    expect(dur("-2.5h")).toBe(-9000000000000n);
    expect(dur("1.5µs")).toBe(1500n);
    expect(dur("1.5μs")).toBe(1500n);
    expect(dur(".5s")).toBe(500000000n);
    expect(dur("5.s")).toBe(5000000000n);
    expect(dur("-0")).toBe(0n);
    expect(dur("+0")).toBe(0n);
    expect(dur("9223372036854775807ns")).toBe(9223372036854775807n);
    expect(dur("-9223372036854775808ns")).toBe(-9223372036854775808n);
    expect(dur("0.333333333333333333333h")).toBe(1200000000000n);
    expect(dur("1h1h")).toBe(7200000000000n);
    expect(dur("3m0.000000001s")).toBe(180000000001n);
  });
  it("reports Go's errors", () => {
    expect(dur("9223372036854775808ns")).toBe('time: invalid duration "9223372036854775808ns"');
    expect(dur("")).toBe('time: invalid duration ""');
    expect(dur("1")).toBe('time: missing unit in duration "1"');
    expect(dur("1d")).toBe('time: unknown unit "d" in duration "1d"');
  });
});
