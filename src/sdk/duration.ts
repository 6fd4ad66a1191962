/**
 * Go's time.Duration: parsing (`1m30s`, `1.5h`, `300ms`) and its String() form, which Packer prints in messages
 * such as `Pausing 1m30s before the next provisioner...`. Durations are exact signed nanosecond counts within
 * Go's int64 range.
 */

const NS = 1n;
const US = 1000n * NS;
const MS = 1000n * US;
const S = 1000n * MS;
const M = 60n * S;
const H = 60n * M;
const MAX = (1n << 63n) - 1n;

const UNITS: ReadonlyMap<string, bigint> = new Map([
  ["ns", NS],
  ["us", US],
  ["\u00b5s", US], // micro sign
  ["\u03bcs", US], // Greek mu
  ["ms", MS],
  ["s", S],
  ["m", M],
  ["h", H],
]);

export class Duration {
  private constructor(readonly nanoseconds: bigint) {}

  static readonly zero: Duration = new Duration(0n);

  static fromNanoseconds(ns: bigint): Duration {
    return new Duration(ns);
  }

  static fromMilliseconds(ms: number): Duration {
    return new Duration(BigInt(Math.round(ms * 1e6)));
  }

  /** For timers; rounds down to whole milliseconds. */
  get milliseconds(): number {
    return Number(this.nanoseconds / MS);
  }

  isZero(): boolean {
    return this.nanoseconds === 0n;
  }

  /** Go's Duration.String(): `0s`, `1.5µs`, `300ms`, `1m30s`, `1h0m0s`. */
  toString(): string {
    return formatGoDuration(this.nanoseconds);
  }
}

export type ParseDurationResult =
  | { readonly ok: true; readonly value: Duration }
  | { readonly ok: false; readonly error: string };

/** Go's time.ParseDuration, with its error texts (`time: invalid duration "x"`). */
export function parseDuration(text: string): ParseDurationResult {
  const fail = (error: string): ParseDurationResult => ({ ok: false, error });
  const quoted = `"${text}"`;
  let s = text;
  let neg = false;
  if (s !== "" && (s[0] === "-" || s[0] === "+")) {
    neg = s[0] === "-";
    s = s.slice(1);
  }
  if (s === "0") return { ok: true, value: Duration.zero };
  if (s === "") return fail(`time: invalid duration ${quoted}`);
  let total = 0n;
  while (s !== "") {
    // The number: digits, optionally a fraction.
    let i = 0;
    while (i < s.length && s[i]! >= "0" && s[i]! <= "9") i++;
    const intPart = s.slice(0, i);
    let fracPart = "";
    if (i < s.length && s[i] === ".") {
      const j = ++i;
      while (i < s.length && s[i]! >= "0" && s[i]! <= "9") i++;
      fracPart = s.slice(j, i);
    }
    if (intPart === "" && fracPart === "") return fail(`time: invalid duration ${quoted}`);
    s = s.slice(i);
    // The unit: everything up to the next digit or dot.
    let u = 0;
    while (u < s.length && s[u] !== "." && !(s[u]! >= "0" && s[u]! <= "9")) u++;
    if (u === 0) return fail(`time: missing unit in duration ${quoted}`);
    const unitName = s.slice(0, u);
    const unit = UNITS.get(unitName);
    if (unit === undefined) return fail(`time: unknown unit "${unitName}" in duration ${quoted}`);
    s = s.slice(u);
    const whole = intPart === "" ? 0n : BigInt(intPart);
    if (whole > MAX / unit) return fail(`time: invalid duration ${quoted}`);
    let v = whole * unit;
    if (fracPart !== "") {
      // Go truncates the fraction toward zero at nanosecond precision.
      const scale = 10n ** BigInt(fracPart.length);
      v += (BigInt(fracPart) * unit) / scale;
    }
    total += v;
    if (total > MAX + (neg ? 1n : 0n)) return fail(`time: invalid duration ${quoted}`);
  }
  return { ok: true, value: Duration.fromNanoseconds(neg ? -total : total) };
}

/** Go's Duration.String() for a nanosecond count. */
export function formatGoDuration(ns: bigint): string {
  if (ns === 0n) return "0s";
  const neg = ns < 0n;
  let u = neg ? -ns : ns;
  let out: string;
  if (u < S) {
    if (u < US) out = `${u}ns`;
    else if (u < MS) out = `${fmtFrac(u, 3)}\u00b5s`;
    else out = `${fmtFrac(u, 6)}ms`;
  } else {
    const frac = fmtFrac(u % S, 9, true);
    u /= S;
    out = `${u % 60n}${frac}s`;
    u /= 60n;
    if (u > 0n) {
      out = `${u % 60n}m${out}`;
      u /= 60n;
      if (u > 0n) out = `${u}h${out}`;
    }
  }
  return neg ? `-${out}` : out;
}

/**
 * `v` divided by 10^prec with the fraction's trailing zeros dropped (and the dot when nothing is left). With
 * `fractionOnly`, only the `.ddd` part of v (< 10^prec) is returned.
 */
function fmtFrac(v: bigint, prec: number, fractionOnly = false): string {
  const scale = 10n ** BigInt(prec);
  const whole = v / scale;
  let frac = (v % scale).toString().padStart(prec, "0").replace(/0+$/, "");
  frac = frac === "" ? "" : `.${frac}`;
  return fractionOnly ? frac : `${whole}${frac}`;
}
