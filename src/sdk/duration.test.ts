import { describe, expect, it } from "vitest";
import { Duration, formatGoDuration, parseDuration } from "./duration.js";

function ns(text: string): bigint {
  const r = parseDuration(text);
  if (!r.ok) throw new Error(r.error);
  return r.value.nanoseconds;
}

describe("parseDuration (Go's time.ParseDuration)", () => {
  it("parses units, fractions, signs and sequences", () => {
    expect(ns("0")).toBe(0n);
    expect(ns("5s")).toBe(5_000_000_000n);
    expect(ns("1m30s")).toBe(90_000_000_000n);
    expect(ns("1.5h")).toBe(5_400_000_000_000n);
    expect(ns("300ms")).toBe(300_000_000n);
    expect(ns("-2m")).toBe(-120_000_000_000n);
    expect(ns("+.5s")).toBe(500_000_000n);
    expect(ns("1.s")).toBe(1_000_000_000n);
    expect(ns("10us")).toBe(10_000n);
    expect(ns("10\u00b5s")).toBe(10_000n);
    expect(ns("10\u03bcs")).toBe(10_000n);
    expect(ns("7ns")).toBe(7n);
    expect(ns("1h2m3s4ms5us6ns")).toBe(3_723_004_005_006n);
    expect(ns("0.0000000009s")).toBe(0n);
  });

  it("rejects what Go rejects, with Go's messages", () => {
    expect(parseDuration("")).toEqual({ ok: false, error: 'time: invalid duration ""' });
    expect(parseDuration("1")).toEqual({ ok: false, error: 'time: missing unit in duration "1"' });
    expect(parseDuration("5x")).toEqual({ ok: false, error: 'time: unknown unit "x" in duration "5x"' });
    expect(parseDuration("s")).toEqual({ ok: false, error: 'time: invalid duration "s"' });
    expect(parseDuration(".s")).toEqual({ ok: false, error: 'time: invalid duration ".s"' });
    expect(parseDuration("1m 2s")).toEqual({
      ok: false,
      error: 'time: unknown unit "m " in duration "1m 2s"',
    });
    expect(parseDuration("9999999999999999999h")).toEqual({
      ok: false,
      error: 'time: invalid duration "9999999999999999999h"',
    });
  });
});

describe("formatGoDuration (Go's Duration.String)", () => {
  it("matches Go", () => {
    const cases: [bigint, string][] = [
      [0n, "0s"],
      [1n, "1ns"],
      [1_100n, "1.1\u00b5s"],
      [2_200_000n, "2.2ms"],
      [1_000_000_000n, "1s"],
      [1_500_000_000n, "1.5s"],
      [60_000_000_000n, "1m0s"],
      [90_000_000_000n, "1m30s"],
      [3_600_000_000_000n, "1h0m0s"],
      [3_723_004_005_006n, "1h2m3.004005006s"],
      [-5_000_000_000n, "-5s"],
    ];
    for (const [n, text] of cases) expect(formatGoDuration(n)).toBe(text);
  });

  it("round-trips through Duration", () => {
    const r = parseDuration("2h45m");
    expect(r.ok && String(r.value)).toBe("2h45m0s");
    expect(Duration.fromMilliseconds(1500).milliseconds).toBe(1500);
    expect(Duration.zero.isZero()).toBe(true);
  });
});
