/**
 * Go's time.Format layout language (Go 1.19, "2006-01-02T15:04:05Z07:00" style) and the strftime
 * translation Packer uses (github.com/jehiah/go-strftime as vendored by Packer 1.6.6), for UTC instants.
 */

/** An instant with nanosecond precision, like Go's time.Time in UTC. */
export interface GoTime {
  /** Whole seconds since the Unix epoch. */
  readonly unixSeconds: number;
  /** Nanoseconds within the second, 0 <= nanos < 1e9. */
  readonly nanos: number;
}

/** Builds a GoTime from epoch milliseconds plus an optional sub-millisecond nanosecond part. */
export function goTimeFromMillis(ms: number, subMsNanos = 0): GoTime {
  const unixSeconds = Math.floor(ms / 1000);
  const msInSecond = ms - unixSeconds * 1000;
  return { unixSeconds, nanos: Math.floor(msInSecond) * 1_000_000 + Math.floor(subMsNanos) };
}

export const RFC3339 = "2006-01-02T15:04:05Z07:00";

const LONG_DAY_NAMES = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const LONG_MONTH_NAMES = [
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

type Std =
  | { kind: "longMonth" | "month" | "numMonth" | "zeroMonth" }
  | { kind: "longWeekDay" | "weekDay" }
  | { kind: "day" | "underDay" | "zeroDay" | "underYearDay" | "zeroYearDay" }
  | { kind: "hour" | "hour12" | "zeroHour12" | "minute" | "zeroMinute" | "second" | "zeroSecond" }
  | { kind: "longYear" | "year" | "PM" | "pm" | "TZ" }
  | {
      kind: "tz";
      /** "Z" forms print Z for UTC; others always numeric. */
      iso: boolean;
      colon: boolean;
      seconds: boolean;
      short: boolean;
    }
  | { kind: "frac"; digits: number; trim: boolean; separator: string };

function startsWithLowerCase(s: string): boolean {
  const c = s.charCodeAt(0);
  return c >= 0x61 && c <= 0x7a;
}

function isDigitAt(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c >= 0x30 && c <= 0x39;
}

/** Go's nextStdChunk: the text before the first layout element, the element, and the rest. */
function nextStdChunk(layout: string): { prefix: string; std: Std | null; suffix: string } {
  const at = (i: number, s: string) => layout.startsWith(s, i);
  for (let i = 0; i < layout.length; i++) {
    const c = layout[i];
    const pre = layout.slice(0, i);
    switch (c) {
      case "J":
        if (at(i, "Jan")) {
          if (at(i, "January"))
            return { prefix: pre, std: { kind: "longMonth" }, suffix: layout.slice(i + 7) };
          if (!startsWithLowerCase(layout.slice(i + 3))) {
            return { prefix: pre, std: { kind: "month" }, suffix: layout.slice(i + 3) };
          }
        }
        break;
      case "M":
        if (layout.length >= i + 3) {
          if (at(i, "Mon")) {
            if (at(i, "Monday"))
              return { prefix: pre, std: { kind: "longWeekDay" }, suffix: layout.slice(i + 6) };
            if (!startsWithLowerCase(layout.slice(i + 3))) {
              return { prefix: pre, std: { kind: "weekDay" }, suffix: layout.slice(i + 3) };
            }
          }
          if (at(i, "MST")) return { prefix: pre, std: { kind: "TZ" }, suffix: layout.slice(i + 3) };
        }
        break;
      case "0": {
        const d = layout[i + 1];
        if (d !== undefined && d >= "1" && d <= "6") {
          const kinds = ["zeroMonth", "zeroDay", "zeroHour12", "zeroMinute", "zeroSecond", "year"] as const;
          const kind = kinds[d.charCodeAt(0) - 0x31] ?? "zeroMonth";
          return { prefix: pre, std: { kind } as Std, suffix: layout.slice(i + 2) };
        }
        if (at(i, "002")) return { prefix: pre, std: { kind: "zeroYearDay" }, suffix: layout.slice(i + 3) };
        break;
      }
      case "1":
        if (layout[i + 1] === "5") return { prefix: pre, std: { kind: "hour" }, suffix: layout.slice(i + 2) };
        return { prefix: pre, std: { kind: "numMonth" }, suffix: layout.slice(i + 1) };
      case "2":
        if (at(i, "2006")) return { prefix: pre, std: { kind: "longYear" }, suffix: layout.slice(i + 4) };
        return { prefix: pre, std: { kind: "day" }, suffix: layout.slice(i + 1) };
      case "_":
        if (layout[i + 1] === "2") {
          // _2006 is really a literal _, followed by stdLongYear.
          if (at(i + 1, "2006")) {
            return { prefix: layout.slice(0, i + 1), std: { kind: "longYear" }, suffix: layout.slice(i + 5) };
          }
          return { prefix: pre, std: { kind: "underDay" }, suffix: layout.slice(i + 2) };
        }
        if (at(i, "__2")) return { prefix: pre, std: { kind: "underYearDay" }, suffix: layout.slice(i + 3) };
        break;
      case "3":
        return { prefix: pre, std: { kind: "hour12" }, suffix: layout.slice(i + 1) };
      case "4":
        return { prefix: pre, std: { kind: "minute" }, suffix: layout.slice(i + 1) };
      case "5":
        return { prefix: pre, std: { kind: "second" }, suffix: layout.slice(i + 1) };
      case "P":
        if (layout[i + 1] === "M") return { prefix: pre, std: { kind: "PM" }, suffix: layout.slice(i + 2) };
        break;
      case "p":
        if (layout[i + 1] === "m") return { prefix: pre, std: { kind: "pm" }, suffix: layout.slice(i + 2) };
        break;
      case "-":
      case "Z": {
        const iso = c === "Z";
        const forms: [string, { colon: boolean; seconds: boolean; short: boolean }][] = [
          ["070000", { colon: false, seconds: true, short: false }],
          ["07:00:00", { colon: true, seconds: true, short: false }],
          ["0700", { colon: false, seconds: false, short: false }],
          ["07:00", { colon: true, seconds: false, short: false }],
          ["07", { colon: false, seconds: false, short: true }],
        ];
        for (const [form, f] of forms) {
          if (at(i + 1, form)) {
            return { prefix: pre, std: { kind: "tz", iso, ...f }, suffix: layout.slice(i + 1 + form.length) };
          }
        }
        break;
      }
      case ".":
      case ",": {
        const ch = layout[i + 1];
        if (ch === "0" || ch === "9") {
          let j = i + 1;
          while (j < layout.length && layout[j] === ch) j++;
          // String of digits must end here - only fractional second if all digits are 0 or 9.
          if (!isDigitAt(layout, j)) {
            return {
              prefix: pre,
              std: { kind: "frac", digits: j - (i + 1), trim: ch === "9", separator: c },
              suffix: layout.slice(j),
            };
          }
        }
        break;
      }
    }
  }
  return { prefix: layout, std: null, suffix: "" };
}

function pad(n: number, width: number): string {
  const neg = n < 0;
  const s = Math.abs(n).toString().padStart(width, "0");
  return neg ? `-${s}` : s;
}

function formatNano(nanos: number, digits: number, trim: boolean, separator: string): string {
  let buf = nanos.toString().padStart(9, "0");
  let n = Math.min(digits, 9);
  if (trim) {
    while (n > 0 && buf[n - 1] === "0") n--;
    if (n === 0) return "";
  }
  buf = buf.slice(0, n);
  return separator + buf;
}

/** Go's Time.Format for a UTC instant (zone name "UTC", offset 0). */
export function formatGoTime(layout0: string, t: GoTime): string {
  const d = new Date(t.unixSeconds * 1000);
  const year = d.getUTCFullYear();
  const month = d.getUTCMonth() + 1;
  const day = d.getUTCDate();
  const weekday = d.getUTCDay();
  const hour = d.getUTCHours();
  const min = d.getUTCMinutes();
  const sec = d.getUTCSeconds();
  const yday = Math.floor((Date.UTC(year, month - 1, day) - Date.UTC(year, 0, 1)) / 86_400_000) + 1;
  let out = "";
  let layout = layout0;
  while (layout !== "") {
    const { prefix, std, suffix } = nextStdChunk(layout);
    out += prefix;
    if (std === null) break;
    layout = suffix;
    switch (std.kind) {
      case "year":
        out += pad(Math.abs(year) % 100, 2);
        break;
      case "longYear":
        out += pad(year, 4);
        break;
      case "month":
        out += (LONG_MONTH_NAMES[month - 1] ?? "").slice(0, 3);
        break;
      case "longMonth":
        out += LONG_MONTH_NAMES[month - 1] ?? "";
        break;
      case "numMonth":
        out += month.toString();
        break;
      case "zeroMonth":
        out += pad(month, 2);
        break;
      case "weekDay":
        out += (LONG_DAY_NAMES[weekday] ?? "").slice(0, 3);
        break;
      case "longWeekDay":
        out += LONG_DAY_NAMES[weekday] ?? "";
        break;
      case "day":
        out += day.toString();
        break;
      case "underDay":
        out += (day < 10 ? " " : "") + day.toString();
        break;
      case "zeroDay":
        out += pad(day, 2);
        break;
      case "underYearDay":
        out += (yday < 100 ? (yday < 10 ? "  " : " ") : "") + yday.toString();
        break;
      case "zeroYearDay":
        out += pad(yday, 3);
        break;
      case "hour":
        out += pad(hour, 2);
        break;
      case "hour12":
        out += (hour % 12 === 0 ? 12 : hour % 12).toString();
        break;
      case "zeroHour12":
        out += pad(hour % 12 === 0 ? 12 : hour % 12, 2);
        break;
      case "minute":
        out += min.toString();
        break;
      case "zeroMinute":
        out += pad(min, 2);
        break;
      case "second":
        out += sec.toString();
        break;
      case "zeroSecond":
        out += pad(sec, 2);
        break;
      case "PM":
        out += hour >= 12 ? "PM" : "AM";
        break;
      case "pm":
        out += hour >= 12 ? "pm" : "am";
        break;
      case "TZ":
        out += "UTC";
        break;
      case "tz":
        // Offset is always zero here: the "Z" forms print Z, the numeric forms +00[:00[:00]].
        if (std.iso) {
          out += "Z";
          break;
        }
        out += "+00";
        if (!std.short) out += std.colon ? ":00" : "00";
        if (std.seconds) out += std.colon ? ":00" : "00";
        break;
      case "frac":
        out += formatNano(t.nanos, std.digits, std.trim, std.separator);
        break;
    }
  }
  return out;
}

const STRFTIME_CONVERSION: Readonly<Record<string, string>> = {
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
 * strftime as Packer's `{{strftime}}` implements it: each supported `%X` becomes the Go layout element
 * and is formatted on its own; `%%` is a percent sign; unsupported directives are kept verbatim
 * (`%j` stays `%j`); a trailing lone `%` is kept.
 */
export function strftime(format: string, t: GoTime): string {
  let out = "";
  let i = 0;
  while (i < format.length) {
    let ni = format.indexOf("%", i);
    if (ni < 0) ni = format.length;
    out += format.slice(i, ni);
    if (ni + 1 < format.length) {
      const c = format[ni + 1] ?? "";
      if (c === "%") out += "%";
      else {
        const layout = STRFTIME_CONVERSION[c];
        out += layout !== undefined ? formatGoTime(layout, t) : `%${c}`;
      }
    } else if (ni < format.length) {
      out += "%";
    }
    i = ni + 2;
  }
  return out;
}
