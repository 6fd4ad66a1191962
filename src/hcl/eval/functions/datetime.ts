/**
 * Packer's date and time functions: formatdate, legacy_isotime, legacy_strftime, rfc3339_parse, timeadd,
 * timestamp and unix_timestamp_parse — cty's stdlib (formatdate, timeadd) and Packer's own, with Go's time
 * semantics (src/hcl/go/time.ts).
 *
 * timestamp() reads the clock on every call; legacy_isotime and legacy_strftime format the time the process
 * started (UTC), as Packer's do.
 */
import {
  GoParseError,
  type GoTime,
  goAdd,
  goCivil,
  goDate,
  goFormat,
  goISOWeek,
  goParse,
  goParseDuration,
  goStrftime,
  goTimeFromEpochMillis,
  goUnix,
  longDayNames,
  longMonthNames,
  parseRFC3339Fast,
  RFC3339,
  RFC3339Nano,
} from "../../go/time.js";
import {
  numberIntVal,
  numberType,
  objectType,
  objectVal,
  stringType,
  stringVal,
  type Type,
} from "../../value/index.js";
import { FunctionArgError, FunctionError, type FunctionSpec } from "../function.js";
import { goQuote } from "./util-b-go-text.js";

export interface DatetimeContext {
  /** When the process started: what legacy_isotime and legacy_strftime format. */
  readonly startTime: Date;
  /** The clock timestamp() reads; defaults to the system clock. */
  readonly now?: () => Date;
}

// ---- cty's RFC 3339 reading ------------------------------------------------------------------------------

/**
 * cty's parseStrictRFC3339 with parseTimestamp's translation of Go's ParseError into messages that name
 * the parts of the timestamp.
 */
function parseTimestamp(ts: string): GoTime {
  const fast = parseRFC3339Fast(ts);
  if (fast !== undefined) return fast;
  const parsed = goParse(RFC3339, ts);
  let err: GoParseError;
  if (!parsed.ok) {
    err = parsed.error;
  } else {
    // Go's layout parser accepts what RFC 3339 does not; name the first such problem.
    const num2 = (s: string) => (s.charCodeAt(0) - 48) * 10 + (s.charCodeAt(1) - 48);
    if (ts[11 + 1] === ":") {
      err = new GoParseError(RFC3339, ts, "15", ts.slice(11, 12), ": hour must have two digits");
    } else if (ts[19] === ",") {
      err = new GoParseError(RFC3339, ts, ".", ",", ": sub-second separator must be a period");
    } else if (ts[ts.length - 1] !== "Z" && num2(ts.slice(ts.length - 5)) >= 24) {
      err = new GoParseError(RFC3339, ts, "Z07:00", ts.slice(ts.length - 6), ": timezone hour out of range");
    } else if (ts[ts.length - 1] !== "Z" && num2(ts.slice(ts.length - 2)) >= 60) {
      err = new GoParseError(
        RFC3339,
        ts,
        "Z07:00",
        ts.slice(ts.length - 6),
        ": timezone minute out of range",
      );
    } else if (ts[ts.length - 1] !== "Z") {
      // cty returns the zero time here: the result of its own (failed) strict parse.
      return goDate(1, 1, 1, 0, 0, 0, 0, 0, "UTC");
    } else {
      err = new GoParseError(RFC3339, ts, RFC3339, ts, "");
    }
  }
  throw new FunctionError(translateParseError(err));
}

function translateParseError(err: GoParseError): string {
  if (err.layoutElem === "" && err.valueElem === "" && err.message !== "") {
    return `not a valid RFC3339 timestamp${err.message}`;
  }
  let what: string;
  switch (err.layoutElem) {
    case "2006":
      what = "year";
      break;
    case "01":
      what = "month";
      break;
    case "02":
      what = "day of month";
      break;
    case "15":
      what = "hour";
      break;
    case "04":
      what = "minute";
      break;
    case "05":
      what = "second";
      break;
    case "Z07:00":
      what = "UTC offset";
      break;
    case "T":
      return "not a valid RFC3339 timestamp: missing required time introducer 'T'";
    case ":":
    case "-":
      if (err.valueElem === "") {
        return `not a valid RFC3339 timestamp: end of string where ${goQuote(err.layoutElem)} is expected`;
      }
      return `not a valid RFC3339 timestamp: found ${goQuote(err.valueElem)} where ${goQuote(err.layoutElem)} is expected`;
    default:
      what = "timestamp segment";
  }
  if (err.valueElem === "") return `not a valid RFC3339 timestamp: end of string before ${what}`;
  if (what === "hour" && err.valueElem.includes(":")) {
    return "not a valid RFC3339 timestamp: hour must be between 0 and 23 inclusive";
  }
  if (what === "hour" && err.valueElem.length !== 2)
    return "not a valid RFC3339 timestamp: hour must have exactly two digits";
  if (what === "minute" && err.valueElem.length !== 2) {
    return "not a valid RFC3339 timestamp: minute must have exactly two digits";
  }
  return `not a valid RFC3339 timestamp: cannot use ${goQuote(err.valueElem)} as ${what}`;
}

// ---- formatdate ------------------------------------------------------------------------------------------

const isVerbChar = (c: string | undefined) => c !== undefined && /^[a-zA-Z]$/.test(c);

/** cty's splitDateFormat: quoted literals, runs of one verb letter, and literal text. */
function splitDateFormat(format: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < format.length) {
    const c = format[i]!;
    if (c === "'") {
      if (format[i + 1] === "'") {
        tokens.push("''");
        i += 2;
        continue;
      }
      let j = i + 1;
      let end = format.length;
      while (j < format.length) {
        if (format[j] === "'") {
          if (format[j + 1] === "'") {
            j += 2;
            continue;
          }
          end = j + 1;
          break;
        }
        j++;
      }
      tokens.push(format.slice(i, end));
      i = end;
    } else if (isVerbChar(c)) {
      let j = i + 1;
      while (j < format.length && format[j] === c) j++;
      tokens.push(format.slice(i, j));
      i = j;
    } else {
      let j = i + 1;
      while (j < format.length && format[j] !== "'" && !isVerbChar(format[j])) j++;
      tokens.push(format.slice(i, j));
      i = j;
    }
  }
  return tokens;
}

const pad2 = (n: number) => String(n).padStart(2, "0");

function formatDate(format: string, t: GoTime): string {
  const c = goCivil(t);
  let out = "";
  const bad = (tok: string, why?: string) =>
    new FunctionArgError(0, `invalid date format verb ${goQuote(tok)}${why === undefined ? "" : `: ${why}`}`);
  for (const tok of splitDateFormat(format)) {
    const first = tok[0]!;
    if (first === "'") {
      if (tok[tok.length - 1] !== "'" || tok.length === 1)
        throw new FunctionArgError(0, "unterminated literal '");
      if (tok.length === 2) out += "'";
      else out += tok.slice(1, -1).replaceAll("''", "'");
      continue;
    }
    if (!isVerbChar(first)) {
      out += tok;
      continue;
    }
    const n = tok.length;
    switch (first) {
      case "Y":
        if (n === 2) out += pad2(c.year % 100);
        else if (n === 4) out += String(c.year).padStart(4, "0");
        else throw bad(tok, 'year must either be "YY" or "YYYY"');
        break;
      case "M":
        if (n === 1) out += String(c.month);
        else if (n === 2) out += pad2(c.month);
        else if (n === 3) out += longMonthNames[c.month - 1]!.slice(0, 3);
        else if (n === 4) out += longMonthNames[c.month - 1];
        else throw bad(tok, 'month must be "M", "MM", "MMM", or "MMMM"');
        break;
      case "D":
        if (n === 1) out += String(c.day);
        else if (n === 2) out += pad2(c.day);
        else throw bad(tok, 'day of month must either be "D" or "DD"');
        break;
      case "E":
        if (n === 3) out += longDayNames[c.weekday]!.slice(0, 3);
        else if (n === 4) out += longDayNames[c.weekday];
        else throw bad(tok, 'day of week must either be "EEE" or "EEEE"');
        break;
      case "h":
        if (n === 1) out += String(c.hour);
        else if (n === 2) out += pad2(c.hour);
        else throw bad(tok, '24-hour must either be "h" or "hh"');
        break;
      case "H": {
        const h = c.hour % 12 === 0 ? 12 : c.hour % 12;
        if (n === 1) out += String(h);
        else if (n === 2) out += pad2(h);
        else throw bad(tok, '12-hour must either be "H" or "HH"');
        break;
      }
      case "A":
      case "a":
        if (n !== 2) throw bad(tok, `must be "${first}${first}"`);
        out += c.hour < 12 ? (first === "A" ? "AM" : "am") : first === "A" ? "PM" : "pm";
        break;
      case "m":
        if (n === 1) out += String(c.minute);
        else if (n === 2) out += pad2(c.minute);
        else throw bad(tok, 'minute must either be "m" or "mm"');
        break;
      case "s":
        if (n === 1) out += String(c.second);
        else if (n === 2) out += pad2(c.second);
        else throw bad(tok, 'second must either be "s" or "ss"');
        break;
      case "Z":
        if (n === 1) out += goFormat(t, "Z07:00");
        else if (n === 3) {
          const z = goFormat(t, "-0700");
          out += z === "+0000" ? "UTC" : z;
        } else if (n === 4) out += goFormat(t, "-0700");
        else if (n === 5) out += goFormat(t, "-07:00");
        else throw bad(tok, "timezone must be Z, ZZZZ, or ZZZZZ");
        break;
      default:
        throw bad(tok);
    }
  }
  return out;
}

/** How Go's %v prints a slice of cty string values, for Packer's "too many values" message. */
function goPrintArgs(args: readonly { asString(): string }[]): string {
  return `[${args.map((a) => `{{{{} 83}} ${a.asString()}}`).join(" ")}]`;
}

// ---- parse results ---------------------------------------------------------------------------------------

const partsType = (extra: Record<string, Type>): Type =>
  objectType({
    year: numberType,
    year_day: numberType,
    day: numberType,
    month: numberType,
    month_name: stringType,
    weekday: numberType,
    weekday_name: stringType,
    hour: numberType,
    minute: numberType,
    second: numberType,
    iso_year: numberType,
    iso_week: numberType,
    ...extra,
  });

const rfc3339ParseType = partsType({ unix: numberType });
const unixTimestampParseType = partsType({ rfc3339: stringType });

function timeParts(t: GoTime) {
  const c = goCivil(t);
  const iso = goISOWeek(t);
  return {
    year: numberIntVal(c.year),
    year_day: numberIntVal(c.yearDay),
    day: numberIntVal(c.day),
    month: numberIntVal(c.month),
    month_name: stringVal(longMonthNames[c.month - 1]!),
    weekday: numberIntVal(c.weekday),
    weekday_name: stringVal(longDayNames[c.weekday]!),
    hour: numberIntVal(c.hour),
    minute: numberIntVal(c.minute),
    second: numberIntVal(c.second),
    iso_year: numberIntVal(iso.year),
    iso_week: numberIntVal(iso.week),
  };
}

// ---- the functions ---------------------------------------------------------------------------------------

/** The date and time functions, with legacy_* formatting `startTime`. */
export function makeDatetimeFunctions(ctx: DatetimeContext): Record<string, FunctionSpec> {
  const initTime = goTimeFromEpochMillis(ctx.startTime.getTime());
  const now = () => goTimeFromEpochMillis((ctx.now?.() ?? new Date()).getTime());

  const formatdate: FunctionSpec = {
    description:
      "Formats a timestamp given in RFC 3339 syntax into another timestamp in some other machine-oriented time syntax, as described in the format string.",
    params: [
      { name: "format", type: stringType },
      { name: "time", type: stringType },
    ],
    type: () => stringType,
    impl: ([format, time]) => {
      let t: GoTime;
      try {
        t = parseTimestamp(time!.asString());
      } catch (e) {
        if (e instanceof FunctionError) throw new FunctionArgError(1, e.message);
        throw e;
      }
      return stringVal(formatDate(format!.asString(), t));
    },
  };

  const timeadd: FunctionSpec = {
    description:
      "Adds the duration represented by the given duration string to the given RFC 3339 timestamp string, returning another RFC 3339 timestamp.",
    params: [
      { name: "timestamp", type: stringType },
      { name: "duration", type: stringType },
    ],
    type: () => stringType,
    impl: ([ts, dur]) => {
      const t = parseTimestamp(ts!.asString());
      const d = goParseDuration(dur!.asString());
      if (!d.ok) throw new FunctionError(d.message);
      return stringVal(goFormat(goAdd(t, d.ns), RFC3339));
    },
  };

  const timestamp: FunctionSpec = {
    description: "Returns a UTC timestamp string in RFC 3339 format.",
    params: [],
    type: () => stringType,
    impl: () => stringVal(goFormat(now(), RFC3339)),
  };

  const legacy = (format: (layout: string, t: GoTime) => string): FunctionSpec => ({
    params: [],
    varParam: { name: "format", type: stringType },
    type: () => stringType,
    impl: (args) => {
      if (args.length > 1) throw new FunctionError(`too many values, 1 needed: ${goPrintArgs(args)}`);
      if (args.length === 0) return stringVal(goFormat(initTime, RFC3339));
      return stringVal(format(args[0]!.asString(), initTime));
    },
  });

  const rfc3339_parse: FunctionSpec = {
    description: "Parses an RFC 3339 timestamp into its parts.",
    params: [{ name: "timestamp", type: stringType }],
    type: () => rfc3339ParseType,
    impl: ([ts]) => {
      const text = ts!.asString();
      let parsed: GoTime | undefined;
      for (const layout of [RFC3339Nano, "2006-01-02 15:04:05.999999999Z07:00"]) {
        const r = goParse(layout, text);
        if (r.ok) {
          parsed = r.time;
          break;
        }
      }
      if (parsed === undefined)
        throw new FunctionArgError(0, `${goQuote(text)} is not a valid RFC3339 timestamp`);
      return objectVal({ ...timeParts(parsed), unix: numberIntVal(parsed.unix) });
    },
  };

  const unix_timestamp_parse: FunctionSpec = {
    description: "Parses a Unix timestamp (seconds) into its parts, in UTC.",
    params: [{ name: "unix_timestamp", type: numberType }],
    type: () => unixTimestampParseType,
    impl: ([n]) => {
      const i = n!.asBigFloat().toInt64();
      if (!i.exact) {
        throw new FunctionArgError(
          0,
          "unix_timestamp must be a whole number of seconds representable as a 64-bit integer: value must be a whole number, between -9223372036854775808 and 9223372036854775807",
        );
      }
      const t = goUnix(i.value);
      return objectVal({ ...timeParts(t), rfc3339: stringVal(goFormat(t, RFC3339)) });
    },
  };

  return {
    formatdate,
    legacy_isotime: legacy((layout, t) => goFormat(t, layout)),
    legacy_strftime: legacy(goStrftime),
    rfc3339_parse,
    timeadd,
    timestamp,
    unix_timestamp_parse,
  };
}
