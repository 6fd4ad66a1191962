/**
 * Go's time package, as far as Packer's functions reach it: instants in fixed zones, the layout language of
 * Time.Format and time.Parse ("2006-01-02T15:04:05Z07:00"), time.ParseDuration and Time.Add, civil fields
 * (Year, YearDay, Weekday, ISOWeek), and go-strftime's Format. Results and error texts are Go's. Shared by
 * the HCL functions, the legacy JSON template engine and the UI's timestamps.
 *
 * An instant is whole seconds since the Unix epoch (bigint, so any int64 works) plus nanoseconds, seen in a
 * fixed zone (offset and abbreviation). Go's named locations with daylight rules are not modelled: the local
 * zone is taken to be UTC, which is what Packer sees on a machine without TZ configured.
 *
 * Strings are handled as JS strings; every layout element and every number in a timestamp is ASCII, so
 * offsets in UTF-16 code units and Go's byte offsets agree wherever it matters.
 */

export interface GoTime {
  /** Seconds since 1970-01-01T00:00:00Z. */
  readonly unix: bigint;
  /** Nanoseconds within the second, 0..999999999. */
  readonly nsec: number;
  /** Zone offset in seconds east of UTC. */
  readonly offset: number;
  /** Zone abbreviation ("UTC"); "" for a fabricated fixed zone (then "MST" formats as "-0700"). */
  readonly zone: string;
}

export const RFC3339 = "2006-01-02T15:04:05Z07:00";
export const RFC3339Nano = "2006-01-02T15:04:05.999999999Z07:00";

const SECONDS_PER_DAY = 86400n;

export const longDayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
export const longMonthNames = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];
const shortDayNames = longDayNames.map((d) => d.slice(0, 3));
const shortMonthNames = longMonthNames.map((m) => m.slice(0, 3));

// ---- construction ----------------------------------------------------------------------------------------

/** The instant `unix` seconds (and `nsec` nanoseconds) after the epoch, in UTC (Go's time.Unix(...).UTC()). */
export function goUnix(unix: bigint, nsec = 0): GoTime {
  return { unix, nsec, offset: 0, zone: "UTC" };
}

/** The instant of a JS epoch-milliseconds clock reading, in UTC. */
export function goTimeFromEpochMillis(ms: number): GoTime {
  const whole = Math.floor(ms / 1000);
  return goUnix(BigInt(whole), Math.round((ms - whole * 1000) * 1e6));
}

/** Go's time.Date for a fixed zone; fields may be out of range and are normalized as Go does. */
export function goDate(
  year: number,
  month: number,
  day: number,
  hour: number,
  min: number,
  sec: number,
  nsec: number,
  offset: number,
  zone: string,
): GoTime {
  // Normalize month into 1..12, carrying into the year; the rest carries through the day count.
  let m0 = month - 1;
  const yearCarry = Math.floor(m0 / 12);
  m0 -= yearCarry * 12;
  const y = year + yearCarry;
  const days = daysFromCivil(y, m0 + 1, 1) + (day - 1);
  let total = BigInt(days) * SECONDS_PER_DAY + BigInt(hour) * 3600n + BigInt(min) * 60n + BigInt(sec);
  let ns = nsec;
  if (ns < 0 || ns >= 1e9) {
    const carry = Math.floor(ns / 1e9);
    total += BigInt(carry);
    ns -= carry * 1e9;
  }
  return { unix: total - BigInt(offset), nsec: ns, offset, zone };
}

/** The same instant seen in another fixed zone. */
export function goIn(t: GoTime, offset: number, zone: string): GoTime {
  return { unix: t.unix, nsec: t.nsec, offset, zone };
}

/** Time.Add: `ns` nanoseconds later (earlier when negative). */
export function goAdd(t: GoTime, ns: bigint): GoTime {
  const total = BigInt(t.nsec) + ns;
  let secs = total / 1_000_000_000n;
  let rem = total % 1_000_000_000n;
  if (rem < 0n) {
    rem += 1_000_000_000n;
    secs -= 1n;
  }
  return { unix: t.unix + secs, nsec: Number(rem), offset: t.offset, zone: t.zone };
}

// ---- civil calendar (proleptic Gregorian, as Go) ---------------------------------------------------------

/** Days since 1970-01-01 of a civil date (month 1..12, day 1..31). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

export function isLeap(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

const daysBefore = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365];

/** Days in `month` (1..12) of `year`. */
export function daysIn(month: number, year: number): number {
  if (month === 2 && isLeap(year)) return 29;
  return (daysBefore[month] ?? 0) - (daysBefore[month - 1] ?? 0);
}

export interface CivilFields {
  readonly year: number;
  /** 1..12 */
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  /** 0 = Sunday */
  readonly weekday: number;
  /** 1..366 */
  readonly yearDay: number;
}

function localSeconds(t: GoTime): { days: number; secOfDay: number } {
  const local = t.unix + BigInt(t.offset);
  let days = local / SECONDS_PER_DAY;
  let secOfDay = local % SECONDS_PER_DAY;
  if (secOfDay < 0n) {
    secOfDay += SECONDS_PER_DAY;
    days -= 1n;
  }
  return { days: Number(days), secOfDay: Number(secOfDay) };
}

/** The civil fields of `t` in its zone. */
export function goCivil(t: GoTime): CivilFields {
  const { days, secOfDay } = localSeconds(t);
  const { year, month, day } = civilFromDays(days);
  const weekday = (((days + 4) % 7) + 7) % 7;
  const yearDay = days - daysFromCivil(year, 1, 1) + 1;
  return {
    year,
    month,
    day,
    hour: Math.floor(secOfDay / 3600),
    minute: Math.floor((secOfDay % 3600) / 60),
    second: secOfDay % 60,
    weekday,
    yearDay,
  };
}

/** Time.ISOWeek: the ISO 8601 year and week number (weeks start on Monday; week 1 holds the first Thursday). */
export function goISOWeek(t: GoTime): { year: number; week: number } {
  const { days } = localSeconds(t);
  const weekday = (((days + 4) % 7) + 7) % 7;
  let shift = 4 - weekday; // to the Thursday of the same Monday-based week
  if (weekday === 0) shift = -3;
  const thursday = civilFromDays(days + shift);
  const yday0 = days + shift - daysFromCivil(thursday.year, 1, 1);
  return { year: thursday.year, week: Math.floor(yday0 / 7) + 1 };
}

// ---- layout chunks ---------------------------------------------------------------------------------------

type Std =
  | { kind: "longMonth" | "month" | "numMonth" | "zeroMonth" }
  | { kind: "longWeekDay" | "weekDay" | "day" | "underDay" | "zeroDay" | "underYearDay" | "zeroYearDay" }
  | { kind: "hour" | "hour12" | "zeroHour12" | "minute" | "zeroMinute" | "second" | "zeroSecond" }
  | { kind: "longYear" | "year" | "PM" | "pm" | "TZ" }
  | {
      kind:
        | "ISO8601TZ"
        | "ISO8601SecondsTZ"
        | "ISO8601ShortTZ"
        | "ISO8601ColonTZ"
        | "ISO8601ColonSecondsTZ"
        | "NumTZ"
        | "NumSecondsTz"
        | "NumShortTZ"
        | "NumColonTZ"
        | "NumColonSecondsTZ";
    }
  | { kind: "fracSecond0" | "fracSecond9"; digits: number; separator: "." | "," };

interface Chunk {
  readonly prefix: string;
  readonly std: Std | undefined;
  /** The layout text of the std element ("2006", "Z07:00", ".000"). */
  readonly stdText: string;
  readonly suffix: string;
}

function startsWithLowerCase(s: string): boolean {
  const c = s.charCodeAt(0);
  return c >= 97 && c <= 122;
}

function isDigitAt(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c >= 48 && c <= 57;
}

const zeroStd: Std["kind"][] = ["zeroMonth", "zeroDay", "zeroHour12", "zeroMinute", "zeroSecond", "year"];

/** Go's nextStdChunk: the text before the first layout element, the element, and the text after it. */
function nextStdChunk(layout: string): Chunk {
  const hit = (i: number, len: number, std: Std): Chunk => ({
    prefix: layout.slice(0, i),
    std,
    stdText: layout.slice(i, i + len),
    suffix: layout.slice(i + len),
  });
  const at = (i: number, s: string) => layout.startsWith(s, i);
  for (let i = 0; i < layout.length; i++) {
    switch (layout[i]) {
      case "J":
        if (at(i, "Jan")) {
          if (at(i, "January")) return hit(i, 7, { kind: "longMonth" });
          if (!startsWithLowerCase(layout.slice(i + 3))) return hit(i, 3, { kind: "month" });
        }
        break;
      case "M":
        if (at(i, "Mon")) {
          if (at(i, "Monday")) return hit(i, 6, { kind: "longWeekDay" });
          if (!startsWithLowerCase(layout.slice(i + 3))) return hit(i, 3, { kind: "weekDay" });
        }
        if (at(i, "MST")) return hit(i, 3, { kind: "TZ" });
        break;
      case "0": {
        const n = layout.charCodeAt(i + 1);
        if (n >= 49 && n <= 54) return hit(i, 2, { kind: zeroStd[n - 49]! } as Std);
        if (at(i, "002")) return hit(i, 3, { kind: "zeroYearDay" });
        break;
      }
      case "1":
        if (layout[i + 1] === "5") return hit(i, 2, { kind: "hour" });
        return hit(i, 1, { kind: "numMonth" });
      case "2":
        if (at(i, "2006")) return hit(i, 4, { kind: "longYear" });
        return hit(i, 1, { kind: "day" });
      case "_":
        if (layout[i + 1] === "2") {
          // "_2006" is a literal underscore followed by the long year.
          if (at(i + 1, "2006")) {
            return {
              prefix: layout.slice(0, i + 1),
              std: { kind: "longYear" },
              stdText: "2006",
              suffix: layout.slice(i + 5),
            };
          }
          return hit(i, 2, { kind: "underDay" });
        }
        if (at(i, "__2")) return hit(i, 3, { kind: "underYearDay" });
        break;
      case "3":
        return hit(i, 1, { kind: "hour12" });
      case "4":
        return hit(i, 1, { kind: "minute" });
      case "5":
        return hit(i, 1, { kind: "second" });
      case "P":
        if (layout[i + 1] === "M") return hit(i, 2, { kind: "PM" });
        break;
      case "p":
        if (layout[i + 1] === "m") return hit(i, 2, { kind: "pm" });
        break;
      case "-":
        if (at(i, "-070000")) return hit(i, 7, { kind: "NumSecondsTz" });
        if (at(i, "-07:00:00")) return hit(i, 9, { kind: "NumColonSecondsTZ" });
        if (at(i, "-0700")) return hit(i, 5, { kind: "NumTZ" });
        if (at(i, "-07:00")) return hit(i, 6, { kind: "NumColonTZ" });
        if (at(i, "-07")) return hit(i, 3, { kind: "NumShortTZ" });
        break;
      case "Z":
        if (at(i, "Z070000")) return hit(i, 7, { kind: "ISO8601SecondsTZ" });
        if (at(i, "Z07:00:00")) return hit(i, 9, { kind: "ISO8601ColonSecondsTZ" });
        if (at(i, "Z0700")) return hit(i, 5, { kind: "ISO8601TZ" });
        if (at(i, "Z07:00")) return hit(i, 6, { kind: "ISO8601ColonTZ" });
        if (at(i, "Z07")) return hit(i, 3, { kind: "ISO8601ShortTZ" });
        break;
      case ".":
      case ",": {
        const ch = layout[i + 1];
        if (ch === "0" || ch === "9") {
          let j = i + 1;
          while (j < layout.length && layout[j] === ch) j++;
          // The run of digits must end here: only a fractional second is all digits.
          if (!isDigitAt(layout, j)) {
            return hit(i, j - i, {
              kind: ch === "0" ? "fracSecond0" : "fracSecond9",
              // Go keeps only 12 bits of the count.
              digits: (j - (i + 1)) & 0xfff,
              separator: layout[i] as "." | ",",
            });
          }
        }
        break;
      }
    }
  }
  return { prefix: layout, std: undefined, stdText: "", suffix: "" };
}

// ---- formatting ------------------------------------------------------------------------------------------

/** Go's appendInt: decimal, zero-padded to `width` digits (the sign does not count). */
function pad(x: number, width: number): string {
  const neg = x < 0;
  const digits = String(Math.abs(x));
  return (neg ? "-" : "") + (digits.length < width ? "0".repeat(width - digits.length) + digits : digits);
}

function formatNano(nsec: number, digits: number, trim: boolean, sep: string): string {
  if (trim && (digits === 0 || nsec === 0)) return "";
  let s = sep + pad(nsec, 9);
  if (digits < 9) s = s.slice(0, s.length - 9 + digits);
  if (trim) {
    s = s.replace(/0+$/, "");
    if (s === sep) s = "";
  }
  return s;
}

function formatZone(std: Std["kind"], offset: number): string {
  const iso = std.startsWith("ISO8601");
  if (offset === 0 && iso) return "Z";
  let zone = Math.trunc(offset / 60);
  let absoffset = offset;
  let out: string;
  if (zone < 0) {
    out = "-";
    zone = -zone;
    absoffset = -absoffset;
  } else {
    out = "+";
  }
  out += pad(Math.floor(zone / 60), 2);
  const colon =
    std === "ISO8601ColonTZ" ||
    std === "NumColonTZ" ||
    std === "ISO8601ColonSecondsTZ" ||
    std === "NumColonSecondsTZ";
  if (colon) out += ":";
  if (std !== "NumShortTZ" && std !== "ISO8601ShortTZ") out += pad(zone % 60, 2);
  if (
    std === "ISO8601SecondsTZ" ||
    std === "NumSecondsTz" ||
    std === "NumColonSecondsTZ" ||
    std === "ISO8601ColonSecondsTZ"
  ) {
    if (std === "NumColonSecondsTZ" || std === "ISO8601ColonSecondsTZ") out += ":";
    out += pad(absoffset % 60, 2);
  }
  return out;
}

/** Time.Format: `t` rendered with Go's reference-time layout. */
export function goFormat(t: GoTime, layout: string): string {
  const c = goCivil(t);
  let out = "";
  let rest = layout;
  while (rest !== "") {
    const { prefix, std, suffix } = nextStdChunk(rest);
    out += prefix;
    if (std === undefined) break;
    rest = suffix;
    switch (std.kind) {
      case "year":
        out += pad(Math.abs(c.year) % 100, 2);
        break;
      case "longYear":
        out += pad(c.year, 4);
        break;
      case "month":
        out += shortMonthNames[c.month - 1];
        break;
      case "longMonth":
        out += longMonthNames[c.month - 1];
        break;
      case "numMonth":
        out += String(c.month);
        break;
      case "zeroMonth":
        out += pad(c.month, 2);
        break;
      case "weekDay":
        out += shortDayNames[c.weekday];
        break;
      case "longWeekDay":
        out += longDayNames[c.weekday];
        break;
      case "day":
        out += String(c.day);
        break;
      case "underDay":
        out += (c.day < 10 ? " " : "") + String(c.day);
        break;
      case "zeroDay":
        out += pad(c.day, 2);
        break;
      case "underYearDay":
        out += (c.yearDay < 100 ? (c.yearDay < 10 ? "  " : " ") : "") + String(c.yearDay);
        break;
      case "zeroYearDay":
        out += pad(c.yearDay, 3);
        break;
      case "hour":
        out += pad(c.hour, 2);
        break;
      case "hour12":
        out += String(c.hour % 12 === 0 ? 12 : c.hour % 12);
        break;
      case "zeroHour12":
        out += pad(c.hour % 12 === 0 ? 12 : c.hour % 12, 2);
        break;
      case "minute":
        out += String(c.minute);
        break;
      case "zeroMinute":
        out += pad(c.minute, 2);
        break;
      case "second":
        out += String(c.second);
        break;
      case "zeroSecond":
        out += pad(c.second, 2);
        break;
      case "PM":
        out += c.hour >= 12 ? "PM" : "AM";
        break;
      case "pm":
        out += c.hour >= 12 ? "pm" : "am";
        break;
      case "TZ":
        if (t.zone !== "") {
          out += t.zone;
        } else {
          // No abbreviation known: Go prints -0700 style.
          let zone = Math.trunc(t.offset / 60);
          if (zone < 0) {
            out += "-";
            zone = -zone;
          } else {
            out += "+";
          }
          out += pad(Math.floor(zone / 60), 2) + pad(zone % 60, 2);
        }
        break;
      case "fracSecond0":
      case "fracSecond9":
        out += formatNano(t.nsec, std.digits, std.kind === "fracSecond9", std.separator);
        break;
      default:
        out += formatZone(std.kind, t.offset);
    }
  }
  return out;
}

// ---- strftime (github.com/jehiah/go-strftime, as Packer vendors it) --------------------------------------

/** The strftime directives go-strftime knows, as Go layout elements. */
const STRFTIME_LAYOUTS: Readonly<Record<string, string>> = {
  B: "January",
  b: "Jan",
  m: "01",
  A: "Monday",
  a: "Mon",
  d: "02",
  H: "15",
  I: "03",
  M: "04",
  S: "05",
  Y: "2006",
  y: "06",
  p: "PM",
  Z: "MST",
  z: "-0700",
  L: ".000",
};

/**
 * go-strftime's Format (Packer's `{{strftime}}` and `legacy_strftime`): each known `%X` is formatted on its
 * own as its Go layout element, `%%` is a percent sign, an unknown directive is kept as it is (`%j`), and a
 * lone `%` at the end is kept.
 */
export function goStrftime(format: string, t: GoTime): string {
  let out = "";
  let i = 0;
  while (i < format.length) {
    const p = format.indexOf("%", i);
    if (p < 0) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, p);
    if (p + 1 < format.length) {
      const c = format[p + 1]!;
      const layout = STRFTIME_LAYOUTS[c];
      if (c === "%") out += "%";
      else if (layout !== undefined) out += goFormat(t, layout);
      else out += `%${c}`;
    } else {
      out += "%";
    }
    i = p + 2;
  }
  return out;
}

// ---- quoting as the time package does in its messages ---------------------------------------------------

const utf8Encoder = new TextEncoder();

/** The time package's own quote(): ASCII printable kept, everything else as \x escapes of its UTF-8 bytes. */
export function goTimeQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0x80 || cp < 0x20) {
      for (const b of utf8Encoder.encode(ch)) out += `\\x${b.toString(16).padStart(2, "0")}`;
    } else {
      if (ch === '"' || ch === "\\") out += "\\";
      out += ch;
    }
  }
  return `${out}"`;
}

// ---- parsing ---------------------------------------------------------------------------------------------

/** time.ParseError, with its fields, so callers can translate it as cty does. */
export class GoParseError {
  constructor(
    readonly layout: string,
    readonly value: string,
    readonly layoutElem: string,
    readonly valueElem: string,
    readonly message: string,
  ) {}

  /** ParseError.Error() */
  get text(): string {
    if (this.message === "") {
      return `parsing time ${goTimeQuote(this.value)} as ${goTimeQuote(this.layout)}: cannot parse ${goTimeQuote(
        this.valueElem,
      )} as ${goTimeQuote(this.layoutElem)}`;
    }
    return `parsing time ${goTimeQuote(this.value)}${this.message}`;
  }
}

export type GoParseResult =
  | { readonly ok: true; readonly time: GoTime }
  | { readonly ok: false; readonly error: GoParseError };

class Bad extends Error {}

function getnum(s: string, fixed: boolean): [number, string] {
  if (!isDigitAt(s, 0)) throw new Bad();
  if (!isDigitAt(s, 1)) {
    if (fixed) throw new Bad();
    return [s.charCodeAt(0) - 48, s.slice(1)];
  }
  return [(s.charCodeAt(0) - 48) * 10 + (s.charCodeAt(1) - 48), s.slice(2)];
}

function getnum3(s: string, fixed: boolean): [number, string] {
  let n = 0;
  let i = 0;
  for (; i < 3 && isDigitAt(s, i); i++) n = n * 10 + (s.charCodeAt(i) - 48);
  if (i === 0 || (fixed && i !== 3)) throw new Bad();
  return [n, s.slice(i)];
}

function cutspace(s: string): string {
  let i = 0;
  while (i < s.length && s[i] === " ") i++;
  return s.slice(i);
}

/** Removes `prefix` from `value`, runs of spaces matching runs of spaces. */
function skip(value: string, prefix: string): string | undefined {
  let v = value;
  let p = prefix;
  while (p.length > 0) {
    if (p[0] === " ") {
      if (v.length > 0 && v[0] !== " ") return undefined;
      p = cutspace(p);
      v = cutspace(v);
      continue;
    }
    if (v.length === 0 || v[0] !== p[0]) return undefined;
    p = p.slice(1);
    v = v.slice(1);
  }
  return v;
}

function matchFold(s1: string, s2: string): boolean {
  for (let i = 0; i < s1.length; i++) {
    let c1 = s1.charCodeAt(i);
    let c2 = s2.charCodeAt(i);
    if (c1 !== c2) {
      c1 |= 0x20;
      c2 |= 0x20;
      if (c1 !== c2 || c1 < 97 || c1 > 122) return false;
    }
  }
  return true;
}

function lookup(tab: readonly string[], val: string): [number, string] {
  for (let i = 0; i < tab.length; i++) {
    const v = tab[i]!;
    if (val.length >= v.length && matchFold(val.slice(0, v.length), v)) return [i, val.slice(v.length)];
  }
  throw new Bad();
}

/** Go's leadingInt over [0-9]*: the value (undefined on int64 overflow) and the rest. */
function leadingInt(s: string): { x: bigint | undefined; rem: string } {
  let i = 0;
  let x = 0n;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) break;
    if (x > (1n << 63n) / 10n) return { x: undefined, rem: s.slice(i) };
    x = x * 10n + BigInt(c - 48);
    if (x > 1n << 63n) return { x: undefined, rem: s.slice(i) };
  }
  return { x, rem: s.slice(i) };
}

/** Go's atoi: optional sign then digits only. */
function atoi(s: string): number {
  let neg = false;
  let t = s;
  if (t.length > 0 && (t[0] === "-" || t[0] === "+")) {
    neg = t[0] === "-";
    t = t.slice(1);
  }
  const { x, rem } = leadingInt(t);
  if (x === undefined || rem.length > 0) throw new Bad();
  const n = Number(x);
  return neg ? -n : n;
}

function commaOrPeriod(c: string | undefined): boolean {
  return c === "." || c === ",";
}

/** Go's parseNanoseconds: value starts with the separator; `nbytes` counts it. */
function parseNanoseconds(value: string, nbytes: number): { ns: number; rangeErr: string } {
  if (!commaOrPeriod(value[0])) throw new Bad();
  let n = nbytes;
  let v = value;
  if (n > 10) {
    v = v.slice(0, 10);
    n = 10;
  }
  let ns = atoi(v.slice(1, n));
  if (ns < 0) return { ns: 0, rangeErr: "fractional second" };
  for (let i = 0; i < 10 - n; i++) ns *= 10;
  return { ns, rangeErr: "" };
}

function parseSignedOffset(value: string): number {
  const sign = value[0];
  if (sign !== "-" && sign !== "+") return 0;
  const { x, rem } = leadingInt(value.slice(1));
  if (x === undefined || rem === value.slice(1)) return 0;
  if (x > 23n) return 0;
  return value.length - rem.length;
}

function parseTimeZone(value: string): number | undefined {
  if (value.length < 3) return undefined;
  if (value.startsWith("ChST") || value.startsWith("MeST")) return 4;
  if (value.startsWith("GMT")) return 3 + (value.length > 3 ? parseSignedOffset(value.slice(3)) : 0);
  if (value[0] === "+" || value[0] === "-") {
    const n = parseSignedOffset(value);
    return n > 0 ? n : undefined;
  }
  let nUpper = 0;
  for (; nUpper < 6; nUpper++) {
    if (nUpper >= value.length) break;
    const c = value.charCodeAt(nUpper);
    if (c < 65 || c > 90) break;
  }
  switch (nUpper) {
    case 5:
      return value[4] === "T" ? 5 : undefined;
    case 4:
      return value[3] === "T" || value.startsWith("WITA") ? 4 : undefined;
    case 3:
      return 3;
    default:
      return undefined;
  }
}

/**
 * time.Parse(layout, value): the instant described, in the zone the value names (UTC when it names none).
 * Errors are Go's ParseError with the same fields.
 */
export function goParse(layout: string, value: string): GoParseResult {
  if (layout === RFC3339 || layout === RFC3339Nano) {
    const fast = parseRFC3339Fast(value);
    if (fast !== undefined) return { ok: true, time: fast };
  }
  const alayout = layout;
  const avalue = value;
  let rangeErrString = "";
  let amSet = false;
  let pmSet = false;
  let year = 0;
  let month = -1;
  let day = -1;
  let yday = -1;
  let hour = 0;
  let min = 0;
  let sec = 0;
  let nsec = 0;
  let utc = false;
  let zoneOffset: number | undefined;
  let zoneName = "";
  let lay = layout;
  let val = value;
  const fail = (layoutElem: string, valueElem: string, message: string): GoParseResult => ({
    ok: false,
    error: new GoParseError(alayout, avalue, layoutElem, valueElem, message),
  });

  for (;;) {
    const { prefix, std, stdText, suffix } = nextStdChunk(lay);
    const skipped = skip(val, prefix);
    if (skipped === undefined) return fail(prefix, val, "");
    val = skipped;
    if (std === undefined) {
      if (val.length !== 0) return fail("", val, `: extra text: ${goTimeQuote(val)}`);
      break;
    }
    lay = suffix;
    const hold = val;
    let bad = false;
    try {
      switch (std.kind) {
        case "year": {
          if (val.length < 2) throw new Bad();
          const p = val.slice(0, 2);
          val = val.slice(2);
          year = atoi(p);
          year += year >= 69 ? 1900 : 2000;
          break;
        }
        case "longYear": {
          if (val.length < 4 || !isDigitAt(val, 0)) throw new Bad();
          const p = val.slice(0, 4);
          val = val.slice(4);
          year = atoi(p);
          break;
        }
        case "month":
          [month, val] = lookup(shortMonthNames, val);
          month++;
          break;
        case "longMonth":
          [month, val] = lookup(longMonthNames, val);
          month++;
          break;
        case "numMonth":
        case "zeroMonth":
          [month, val] = getnum(val, std.kind === "zeroMonth");
          if (month <= 0 || month > 12) rangeErrString = "month";
          break;
        case "weekDay":
          [, val] = lookup(shortDayNames, val);
          break;
        case "longWeekDay":
          [, val] = lookup(longDayNames, val);
          break;
        case "day":
        case "underDay":
        case "zeroDay":
          if (std.kind === "underDay" && val[0] === " ") val = val.slice(1);
          [day, val] = getnum(val, std.kind === "zeroDay");
          break;
        case "underYearDay":
        case "zeroYearDay":
          for (let i = 0; i < 2; i++) if (std.kind === "underYearDay" && val[0] === " ") val = val.slice(1);
          [yday, val] = getnum3(val, std.kind === "zeroYearDay");
          break;
        case "hour":
          [hour, val] = getnum(val, false);
          if (hour < 0 || hour >= 24) rangeErrString = "hour";
          break;
        case "hour12":
        case "zeroHour12":
          [hour, val] = getnum(val, std.kind === "zeroHour12");
          if (hour < 0 || hour > 12) rangeErrString = "hour";
          break;
        case "minute":
        case "zeroMinute":
          [min, val] = getnum(val, std.kind === "zeroMinute");
          if (min < 0 || min >= 60) rangeErrString = "minute";
          break;
        case "second":
        case "zeroSecond": {
          [sec, val] = getnum(val, std.kind === "zeroSecond");
          if (sec < 0 || sec >= 60) {
            rangeErrString = "second";
            break;
          }
          // A fractional second in the value that the layout does not mention.
          if (val.length >= 2 && commaOrPeriod(val[0]) && isDigitAt(val, 1)) {
            const next = nextStdChunk(lay).std;
            if (next?.kind === "fracSecond0" || next?.kind === "fracSecond9") break;
            let n = 2;
            while (n < val.length && isDigitAt(val, n)) n++;
            const r = parseNanoseconds(val, n);
            nsec = r.ns;
            rangeErrString = r.rangeErr;
            val = val.slice(n);
          }
          break;
        }
        case "PM":
        case "pm": {
          if (val.length < 2) throw new Bad();
          const p = val.slice(0, 2);
          val = val.slice(2);
          if (p === (std.kind === "PM" ? "PM" : "pm")) pmSet = true;
          else if (p === (std.kind === "PM" ? "AM" : "am")) amSet = true;
          else throw new Bad();
          break;
        }
        case "TZ": {
          if (val.startsWith("UTC")) {
            utc = true;
            val = val.slice(3);
            break;
          }
          const n = parseTimeZone(val);
          if (n === undefined) throw new Bad();
          zoneName = val.slice(0, n);
          val = val.slice(n);
          break;
        }
        case "fracSecond0": {
          const ndigit = 1 + std.digits;
          if (val.length < ndigit) throw new Bad();
          const r = parseNanoseconds(val, ndigit);
          nsec = r.ns;
          rangeErrString = r.rangeErr;
          val = val.slice(ndigit);
          break;
        }
        case "fracSecond9": {
          if (val.length < 2 || !commaOrPeriod(val[0]) || !isDigitAt(val, 1)) break; // omitted
          let i = 0;
          while (i + 1 < val.length && isDigitAt(val, i + 1)) i++;
          const r = parseNanoseconds(val, 1 + i);
          nsec = r.ns;
          rangeErrString = r.rangeErr;
          val = val.slice(1 + i);
          break;
        }
        default: {
          // Numeric zones, with or without Z for UTC.
          const k = std.kind;
          if (k.startsWith("ISO8601") && val[0] === "Z") {
            val = val.slice(1);
            utc = true;
            break;
          }
          let sign: string;
          let hh: string;
          let mm: string;
          let ss: string;
          if (k === "ISO8601ColonTZ" || k === "NumColonTZ") {
            if (val.length < 6 || val[3] !== ":") throw new Bad();
            [sign, hh, mm, ss, val] = [val.slice(0, 1), val.slice(1, 3), val.slice(4, 6), "00", val.slice(6)];
          } else if (k === "NumShortTZ" || k === "ISO8601ShortTZ") {
            if (val.length < 3) throw new Bad();
            [sign, hh, mm, ss, val] = [val.slice(0, 1), val.slice(1, 3), "00", "00", val.slice(3)];
          } else if (k === "ISO8601ColonSecondsTZ" || k === "NumColonSecondsTZ") {
            if (val.length < 9 || val[3] !== ":" || val[6] !== ":") throw new Bad();
            [sign, hh, mm, ss, val] = [
              val.slice(0, 1),
              val.slice(1, 3),
              val.slice(4, 6),
              val.slice(7, 9),
              val.slice(9),
            ];
          } else if (k === "ISO8601SecondsTZ" || k === "NumSecondsTz") {
            if (val.length < 7) throw new Bad();
            [sign, hh, mm, ss, val] = [
              val.slice(0, 1),
              val.slice(1, 3),
              val.slice(3, 5),
              val.slice(5, 7),
              val.slice(7),
            ];
          } else {
            if (val.length < 5) throw new Bad();
            [sign, hh, mm, ss, val] = [val.slice(0, 1), val.slice(1, 3), val.slice(3, 5), "00", val.slice(5)];
          }
          let hr = 0;
          let mi = 0;
          let se = 0;
          let numBad = false;
          try {
            [hr] = getnum(hh, true);
            [mi] = getnum(mm, true);
            [se] = getnum(ss, true);
          } catch {
            numBad = true;
          }
          if (hr > 24) rangeErrString = "time zone offset hour";
          if (mi > 60) rangeErrString = "time zone offset minute";
          if (se > 60) rangeErrString = "time zone offset second";
          zoneOffset = (hr * 60 + mi) * 60 + se;
          if (sign === "-") zoneOffset = -zoneOffset;
          else if (sign !== "+") numBad = true;
          if (numBad) throw new Bad();
        }
      }
    } catch (e) {
      if (!(e instanceof Bad)) throw e;
      bad = true;
    }
    if (rangeErrString !== "") return fail(stdText, val, `: ${rangeErrString} out of range`);
    if (bad) return fail(stdText, hold, "");
  }

  if (pmSet && hour < 12) hour += 12;
  else if (amSet && hour === 12) hour = 0;

  if (yday >= 0) {
    let d = 0;
    let m = 0;
    if (isLeap(year)) {
      if (yday === 31 + 29) {
        m = 2;
        d = 29;
      } else if (yday > 31 + 29) {
        yday--;
      }
    }
    if (yday < 1 || yday > 365) return fail("", val, ": day-of-year out of range");
    if (m === 0) {
      m = Math.floor((yday - 1) / 31) + 1;
      if ((daysBefore[m] ?? 0) < yday) m++;
      d = yday - (daysBefore[m - 1] ?? 0);
    }
    if (month >= 0 && month !== m) return fail("", val, ": day-of-year does not match month");
    month = m;
    if (day >= 0 && day !== d) return fail("", val, ": day-of-year does not match day");
    day = d;
  } else {
    if (month < 0) month = 1;
    if (day < 0) day = 1;
  }

  if (day < 1 || day > daysIn(month, year)) return fail("", val, ": day out of range");

  if (utc) return { ok: true, time: goDate(year, month, day, hour, min, sec, nsec, 0, "UTC") };
  if (zoneOffset !== undefined) {
    // The local zone is UTC: an offset of zero is taken as local time, anything else as a fixed zone.
    if (zoneOffset === 0 && (zoneName === "" || zoneName === "UTC")) {
      return { ok: true, time: goDate(year, month, day, hour, min, sec, nsec, 0, "UTC") };
    }
    return { ok: true, time: goDate(year, month, day, hour, min, sec, nsec, zoneOffset, zoneName) };
  }
  if (zoneName !== "") {
    let offset = 0;
    if (zoneName.length > 3 && zoneName.startsWith("GMT")) offset = atoi(zoneName.slice(3)) * 3600;
    // Go reads the wall clock as UTC and only attaches a fabricated zone (GMT+h gets that offset).
    return { ok: true, time: goIn(goDate(year, month, day, hour, min, sec, nsec, 0, ""), offset, zoneName) };
  }
  return { ok: true, time: goDate(year, month, day, hour, min, sec, nsec, 0, "UTC") };
}

/**
 * The strict RFC 3339 reader shared by Go's time.Parse fast path and cty (which inlines the same code):
 * "YYYY-MM-DDTHH:MM:SS[.frac](Z|±hh:mm)" with every field in range; undefined when it does not apply.
 */
export function parseRFC3339Fast(s: string): GoTime | undefined {
  let ok = true;
  const parseUint = (part: string, min: number, max: number): number => {
    let x = 0;
    for (let i = 0; i < part.length; i++) {
      const c = part.charCodeAt(i);
      if (c < 48 || c > 57) {
        ok = false;
        return min;
      }
      x = x * 10 + (c - 48);
    }
    if (x < min || x > max) {
      ok = false;
      return min;
    }
    return x;
  };
  if (s.length < 19) return undefined;
  const year = parseUint(s.slice(0, 4), 0, 9999);
  const month = parseUint(s.slice(5, 7), 1, 12);
  const day = parseUint(s.slice(8, 10), 1, daysIn(month, year));
  const hour = parseUint(s.slice(11, 13), 0, 23);
  const min = parseUint(s.slice(14, 16), 0, 59);
  const sec = parseUint(s.slice(17, 19), 0, 59);
  if (!ok || !(s[4] === "-" && s[7] === "-" && s[10] === "T" && s[13] === ":" && s[16] === ":"))
    return undefined;
  let rest = s.slice(19);
  let nsec = 0;
  if (rest.length >= 2 && rest[0] === "." && isDigitAt(rest, 1)) {
    let n = 2;
    while (n < rest.length && isDigitAt(rest, n)) n++;
    nsec = parseNanoseconds(rest, n).ns;
    rest = rest.slice(n);
  }
  if (rest.length === 1 && rest[0] === "Z") return goDate(year, month, day, hour, min, sec, nsec, 0, "UTC");
  if (rest.length !== 6) return undefined;
  const hr = parseUint(rest.slice(1, 3), 0, 23);
  const mm = parseUint(rest.slice(4, 6), 0, 59);
  if (!ok || !((rest[0] === "-" || rest[0] === "+") && rest[3] === ":")) return undefined;
  let offset = (hr * 60 + mm) * 60;
  if (rest[0] === "-") offset = -offset;
  return goDate(year, month, day, hour, min, sec, nsec, offset, offset === 0 ? "UTC" : "");
}

// ---- durations -------------------------------------------------------------------------------------------

const unitMap: ReadonlyMap<string, bigint> = new Map([
  ["ns", 1n],
  ["us", 1000n],
  ["µs", 1000n], // U+00B5 micro sign
  ["μs", 1000n], // U+03BC Greek mu
  ["ms", 1_000_000n],
  ["s", 1_000_000_000n],
  ["m", 60_000_000_000n],
  ["h", 3_600_000_000_000n],
]);

export type GoDurationResult =
  | { readonly ok: true; readonly ns: bigint }
  | { readonly ok: false; readonly message: string };

/** time.ParseDuration: "1h30m", "-2.5h", "300ms", "1µs"; the value in nanoseconds, or Go's error text. */
export function goParseDuration(input: string): GoDurationResult {
  const invalid = (): GoDurationResult => ({
    ok: false,
    message: `time: invalid duration ${goTimeQuote(input)}`,
  });
  let s = input;
  let d = 0n;
  let neg = false;
  if (s !== "" && (s[0] === "-" || s[0] === "+")) {
    neg = s[0] === "-";
    s = s.slice(1);
  }
  if (s === "0") return { ok: true, ns: 0n };
  if (s === "") return invalid();
  const max = 1n << 63n;
  while (s !== "") {
    if (!(s[0] === "." || isDigitAt(s, 0))) return invalid();
    const pl = s.length;
    const lead = leadingInt(s);
    if (lead.x === undefined) return invalid();
    let v = lead.x;
    s = lead.rem;
    const pre = pl !== s.length;
    let post = false;
    let f = 0n;
    let scale = 1;
    if (s !== "" && s[0] === ".") {
      s = s.slice(1);
      const before = s.length;
      // leadingFraction: stops accumulating precision on overflow.
      let i = 0;
      let overflow = false;
      for (; i < s.length; i++) {
        const c = s.charCodeAt(i);
        if (c < 48 || c > 57) break;
        if (overflow) continue;
        if (f > ((1n << 63n) - 1n) / 10n) {
          overflow = true;
          continue;
        }
        const y = f * 10n + BigInt(c - 48);
        if (y > max) {
          overflow = true;
          continue;
        }
        f = y;
        scale *= 10;
      }
      s = s.slice(i);
      post = before !== s.length;
    }
    if (!pre && !post) return invalid();
    let i = 0;
    for (; i < s.length; i++) {
      const c = s[i]!;
      if (c === "." || isDigitAt(s, i)) break;
    }
    if (i === 0) return { ok: false, message: `time: missing unit in duration ${goTimeQuote(input)}` };
    const u = s.slice(0, i);
    s = s.slice(i);
    const unit = unitMap.get(u);
    if (unit === undefined) {
      return { ok: false, message: `time: unknown unit ${goTimeQuote(u)} in duration ${goTimeQuote(input)}` };
    }
    if (v > max / unit) return invalid();
    v *= unit;
    if (f > 0n) {
      // float64 arithmetic, as Go, to be nanosecond-accurate for fractions of hours.
      v += BigInt(Math.trunc(Number(f) * (Number(unit) / scale)));
      if (v > max) return invalid();
    }
    d += v;
    if (d > max) return invalid();
  }
  if (neg) return { ok: true, ns: -d };
  if (d > max - 1n) return invalid();
  return { ok: true, ns: d };
}
