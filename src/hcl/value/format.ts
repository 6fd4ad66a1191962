/**
 * formatValueHCL: how `packer console` prints a value (Packer's PrintableCtyValue: the value is turned into
 * plain Go data and printed by the REPL formatter), extended with kiln's marks.
 *
 * - A value that is not wholly known prints as `<unknown>` (the whole value).
 * - A sensitive value prints as `<sensitive>` at top level and `"<sensitive>"` when nested, exactly as
 *   Packer shows a sensitive variable.
 * - Top-level strings print raw; nested strings are Go-quoted ("a\"b\n").
 * - Numbers that are exact 64-bit integers print as integers; others as Go's %g of the nearest float64
 *   (1e+20, 0.3333333333333333, 1e-07, +Inf).
 * - null prints `null`; lists, sets and tuples print one element per line, indented by two spaces and
 *   followed by a comma; maps and objects print `"key" = value` lines in key order, omitting attributes
 *   whose value is null; empty collections print `[]` / `{}`.
 */

import type { BigFloat } from "./big-float.js";
import { goQuote } from "./string-order.js";
import { rawElements, rawEntries, SENSITIVE, type Value } from "./value.js";

export function formatValueHCL(v: Value): string {
  if (!v.isWhollyKnown()) return "<unknown>";
  return formatResult(v, false);
}

/** Go's %g (strconv 'g' with shortest precision) for a float64. */
export function goFormatFloatG(f: number): string {
  if (Number.isNaN(f)) return "NaN";
  if (f === Infinity) return "+Inf";
  if (f === -Infinity) return "-Inf";
  if (f === 0) return Object.is(f, -0) ? "-0" : "0";
  const sign = f < 0 ? "-" : "";
  const [mant, expStr] = Math.abs(f).toExponential().split("e") as [string, string];
  const digits = mant.replace(".", "");
  const exp = Number(expStr);
  if (exp < -4 || exp >= 21 || exp >= 6) {
    const e = Math.abs(exp);
    const frac = digits.length > 1 ? `.${digits.slice(1)}` : "";
    return `${sign}${digits[0]}${frac}e${exp < 0 ? "-" : "+"}${e < 10 ? "0" : ""}${e}`;
  }
  // Fixed notation with exactly the significant digits.
  const dp = exp + 1;
  if (dp <= 0) return `${sign}0.${"0".repeat(-dp)}${digits}`;
  if (dp >= digits.length) return `${sign}${digits}${"0".repeat(dp - digits.length)}`;
  return `${sign}${digits.slice(0, dp)}.${digits.slice(dp)}`;
}

function formatNumber(f: BigFloat): string {
  if (f.isFinite()) {
    const i = f.toInt64();
    if (i.exact) return i.value.toString();
  }
  return goFormatFloatG(f.toFloat64());
}

function indent(s: string): string {
  const lines = s.split("\n");
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  return lines.map((l) => `  ${l.endsWith("\r") ? l.slice(0, -1) : l}`).join("\n");
}

function formatResult(v: Value, nested: boolean): string {
  if (v.hasMark(SENSITIVE)) return nested ? goQuote("<sensitive>") : "<sensitive>";
  const [u] = v.unmark();
  if (u.isNull()) return "null";
  switch (u.type.kind) {
    case "string":
      return nested ? goQuote(u.raw as string) : (u.raw as string);
    case "number":
      return formatNumber(u.raw as BigFloat);
    case "bool":
      return u.raw === true ? "true" : "false";
    case "list":
    case "set":
    case "tuple": {
      const elems = rawElements(u);
      let out = "[";
      if (elems.length > 0) out += "\n";
      for (const e of elems) out += `${indent(formatResult(e, true))},\n`;
      return `${out}]`;
    }
    case "map":
    case "object": {
      const entries = [...rawEntries(u)].filter(([, e]) => e.hasMark(SENSITIVE) || !e.isNull());
      let out = "{";
      if (entries.length > 0) out += "\n";
      for (const [k, e] of entries) out += `${indent(`${goQuote(k)} = ${formatResult(e, true)}`)}\n`;
      return `${out}}`;
    }
    default:
      return "<unknown-type>";
  }
}
