/**
 * The formatting engine behind `format` and `formatlist`: cty's format-string scanner (a Ragel machine in
 * cty, reproduced state by state here so the same strings are accepted and the same errors reported at the
 * same UTF-8 byte offsets) and its verbs:
 *
 *   %%  literal percent          %v  default format (%s strings, %g numbers, JSON otherwise; null is "null")
 *   %#v JSON                     %t  bool       %b %d %o %x %X  integers (Go's big.Int formatting)
 *   %e %E %f %g %G  numbers (Go's big.Float formatting)         %s  string     %q  JSON-quoted string
 *
 * with flags (space + - 0 #), width, precision and %[n] argument indexes. %v/%s/%q widths and %s/%q
 * precisions count grapheme clusters and are padded by cty itself (so `%-05s` pads with zeros on the
 * right, as cty does); numeric verbs go through Go's fmt rules.
 *
 * Problems are thrown as FunctionError (the call) or FunctionArgError (too many arguments), with cty's texts.
 */

import {
  type BigFloat,
  boolType,
  convert,
  numberType,
  stringType,
  stringVal,
  type Value,
  valueToJSON,
} from "../../value/index.js";
import { FunctionArgError, FunctionError } from "../function.js";
import { goQuoteRune, graphemeCount, graphemes, utf8Length } from "./util-a-text.js";

interface Verb {
  raw: string;
  offset: number;
  argNum: number;
  mode: string;
  zero: boolean;
  sharp: boolean;
  plus: boolean;
  minus: boolean;
  space: boolean;
  hasWidth: boolean;
  width: number;
  hasPrec: boolean;
  prec: number;
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= "0" && c <= "9";
const isLetter = (c: string | undefined): boolean =>
  c !== undefined && ((c >= "a" && c <= "z") || (c >= "A" && c <= "Z"));

/**
 * Formats `args` (the values after the format string; wholly known, unmarked, possibly null) according to
 * `format`, as cty's formatFSM does. Argument errors use indexes counted from the format string (index 0).
 */
export function formatValues(format: string, args: readonly Value[]): string {
  const chars = Array.from(format);
  const totalBytes = utf8Length(format);
  let out = "";
  let nextArg = 1;
  let highest = 0;
  let i = 0;
  let byte = 0;

  const cur = (): string | undefined => chars[i];
  const advance = (): void => {
    byte += utf8Length(chars[i]!);
    i++;
  };
  const failAtCurrent = (): never => {
    const c = chars[i];
    if (c === undefined) throw new FunctionError(`invalid format string starting at offset ${totalBytes}`);
    throw new FunctionError(
      `unrecognized format character ${goQuoteRune(c.codePointAt(0)!)} at offset ${byte}`,
    );
  };

  while (i < chars.length) {
    const c = chars[i]!;
    if (c !== "%") {
      out += c;
      advance();
      continue;
    }
    const ts = byte;
    const startIdx = i;
    advance();
    if (cur() === "%") {
      out += "%";
      advance();
      continue;
    }
    const verb: Verb = {
      raw: "",
      offset: ts,
      argNum: nextArg,
      mode: "",
      zero: false,
      sharp: false,
      plus: false,
      minus: false,
      space: false,
      hasWidth: false,
      width: -1,
      hasPrec: false,
      prec: -1,
    };
    for (;;) {
      const f = cur();
      if (f === "0") verb.zero = true;
      else if (f === "#") verb.sharp = true;
      else if (f === "-") verb.minus = true;
      else if (f === "+") verb.plus = true;
      else if (f === " ") verb.space = true;
      else break;
      advance();
    }
    const w = cur();
    if (w !== undefined && w >= "1" && w <= "9") {
      verb.width = 0;
      while (isDigit(cur())) {
        verb.width = verb.width * 10 + Number(cur());
        advance();
      }
      verb.hasWidth = true;
    }
    if (cur() === ".") {
      advance();
      verb.prec = 0;
      while (isDigit(cur())) {
        verb.prec = verb.prec * 10 + Number(cur());
        advance();
      }
      verb.hasPrec = true;
    }
    if (cur() === "[") {
      advance();
      const d = cur();
      if (d === undefined || d < "1" || d > "9") failAtCurrent();
      verb.argNum = 0;
      while (isDigit(cur())) {
        verb.argNum = verb.argNum * 10 + Number(cur());
        advance();
      }
      if (cur() !== "]") failAtCurrent();
      advance();
    }
    if (!isLetter(cur())) failAtCurrent();
    verb.mode = cur()!;
    advance();
    verb.raw = chars.slice(startIdx, i).join("");
    if (verb.argNum > highest) highest = verb.argNum;
    out += formatVerb(verb, args);
    nextArg = verb.argNum + 1;
  }

  if (highest < args.length) {
    const firstBad = highest + 1;
    if (highest === 0) throw new FunctionArgError(firstBad, "too many arguments; no verbs in format string");
    throw new FunctionArgError(firstBad, `too many arguments; only ${highest} used by format string`);
  }
  return out;
}

function quote(s: string): string {
  return JSON.stringify(s);
}

function unsupported(verb: Verb, msg: string): FunctionError {
  return new FunctionError(`unsupported value for ${quote(verb.raw)} at ${verb.offset}: ${msg}`);
}

function formatVerb(verb: Verb, args: readonly Value[]): string {
  const argIdx = verb.argNum - 1;
  if (argIdx >= args.length) {
    throw new FunctionError(
      `not enough arguments for ${quote(verb.raw)} at ${verb.offset}: need index ${verb.argNum} but have ${args.length} total`,
    );
  }
  const arg = args[argIdx]!;
  if (verb.mode !== "v" && arg.isNull()) throw unsupported(verb, "null value cannot be formatted");
  if (!verb.hasWidth) verb.width = -1;
  if (!verb.hasPrec) verb.prec = -1;

  switch (verb.mode) {
    case "v":
      return formatAsIs(verb, arg);
    case "t": {
      const r = convert(arg, boolType);
      if (!r.ok) throw unsupported(verb, r.error.message);
      return r.value.asBool() ? "true" : "false";
    }
    case "b":
    case "d":
    case "o":
    case "x":
    case "X":
    case "e":
    case "E":
    case "f":
    case "g":
    case "G":
      return formatNumber(verb, arg);
    case "s":
    case "q":
      return formatString(verb, arg);
    default:
      throw new FunctionError(
        `unsupported format verb ${goQuoteRune(verb.mode.codePointAt(0)!)} in ${quote(verb.raw)} at offset ${verb.offset}`,
      );
  }
}

function formatAsIs(verb: Verb, arg: Value): string {
  if (!verb.sharp && !arg.isNull()) {
    if (arg.type.kind === "string") return padWidth(verb, arg.asString());
    if (arg.type.kind === "number") return padWidth(verb, arg.asBigFloat().text("g", -1));
  }
  const r = valueToJSON(arg, arg.type);
  if (!r.ok) throw unsupported(verb, r.error.message);
  return padWidth(verb, r.json);
}

function formatString(verb: Verb, arg: Value): string {
  const r = convert(arg, stringType);
  if (!r.ok) throw unsupported(verb, r.error.message);
  let str = r.value.asString();
  if (verb.prec > 0) str = graphemes(str).slice(0, verb.prec).join("");
  if (verb.mode === "s") return padWidth(verb, str);
  const j = valueToJSON(stringVal(str));
  if (!j.ok) throw new Error(`cannot JSON-encode a string: ${j.error.message}`);
  return padWidth(verb, j.json);
}

/** cty's formatPadWidth: pads to `width` grapheme clusters, with "0" when the zero flag is set. */
function padWidth(verb: Verb, s: string): string {
  if (verb.width < 0) return s;
  const have = graphemeCount(s);
  if (have >= verb.width) return s;
  const pads = (verb.zero ? "0" : " ").repeat(verb.width - have);
  return verb.minus ? s + pads : pads + s;
}

function formatNumber(verb: Verb, arg: Value): string {
  const r = convert(arg, numberType);
  if (!r.ok) throw unsupported(verb, r.error.message);
  const f = r.value.asBigFloat();
  switch (verb.mode) {
    case "b":
    case "d":
    case "o":
    case "x":
    case "X": {
      if (!f.isFinite() || !f.isInt()) throw unsupported(verb, "an integer is required");
      return goSprintf(verb, { kind: "int", value: f.toBigInt() });
    }
    default:
      return goSprintf(verb, { kind: "float", value: f });
  }
}

// ---- Go's fmt with a single *big.Int or *big.Float operand ---------------------------------------------

type GoOperand = { kind: "int"; value: bigint } | { kind: "float"; value: BigFloat };

/** Go's fmt.State as seen by the operand's Format method. */
interface GoState {
  minus: boolean;
  plus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  width: number | undefined;
  prec: number | undefined;
}

/**
 * fmt.Sprintf(verb-without-index, operand). Go parses widths and precisions with a guard against huge
 * numbers: once the value so far exceeds 10^6 and another digit follows, the rest of the format is
 * swallowed and fmt reports a missing verb plus the unused operand.
 */
function goSprintf(verb: Verb, operand: GoOperand): string {
  const digitsTooLong = (n: number): boolean => {
    const s = String(n);
    return s.length >= 2 && Number(s.slice(0, -1)) > 1e6;
  };
  if ((verb.hasWidth && digitsTooLong(verb.width)) || (verb.hasPrec && digitsTooLong(verb.prec))) {
    const shown =
      operand.kind === "int" ? `*big.Int=${operand.value}` : `*big.Float=${operand.value.text("g", -1)}`;
    return `%!(NOVERB)%!(EXTRA ${shown})`;
  }
  const state: GoState = {
    minus: verb.minus,
    plus: verb.plus,
    sharp: verb.sharp,
    space: verb.space,
    zero: verb.zero && !verb.minus,
    width: verb.hasWidth ? verb.width : undefined,
    prec: verb.hasPrec ? verb.prec : undefined,
  };
  return operand.kind === "int"
    ? formatGoBigInt(state, verb.mode, operand.value)
    : formatGoBigFloat(state, verb.mode, operand.value);
}

/** math/big's (*Int).Format for the verbs b d o x X. */
function formatGoBigInt(s: GoState, mode: string, x: bigint): string {
  const base = mode === "b" ? 2 : mode === "o" ? 8 : mode === "d" ? 10 : 16;
  const neg = x < 0n;
  let sign = "";
  if (neg) sign = "-";
  else if (s.plus) sign = "+";
  else if (s.space) sign = " ";
  let prefix = "";
  if (s.sharp) {
    if (mode === "b") prefix = "0b";
    else if (mode === "o") prefix = "0";
    else if (mode === "x") prefix = "0x";
    else if (mode === "X") prefix = "0X";
  }
  let digits = (neg ? -x : x).toString(base);
  if (mode === "X") digits = digits.toUpperCase();

  let left = 0;
  let zeros = 0;
  let right = 0;
  if (s.prec !== undefined) {
    if (digits.length < s.prec) zeros = s.prec - digits.length;
    else if (digits === "0" && s.prec === 0) return "";
  }
  const length = sign.length + prefix.length + zeros + digits.length;
  if (s.width !== undefined && length < s.width) {
    const d = s.width - length;
    if (s.minus) right = d;
    else if (s.zero && s.prec === undefined) zeros = d;
    else left = d;
  }
  return " ".repeat(left) + sign + prefix + "0".repeat(zeros) + digits + " ".repeat(right);
}

/** math/big's (*Float).Format for the verbs e E f g G. */
function formatGoBigFloat(s: GoState, mode: string, x: BigFloat): string {
  let prec = s.prec ?? 6;
  if ((mode === "g" || mode === "G") && s.prec === undefined) prec = -1;
  let buf = x.text(mode as "e" | "E" | "f" | "g" | "G", prec);
  let sign = "";
  if (buf.startsWith("-")) {
    sign = "-";
    buf = buf.slice(1);
  } else if (buf.startsWith("+")) {
    sign = s.space ? " " : "+";
    buf = buf.slice(1);
  } else if (s.plus) {
    sign = "+";
  } else if (s.space) {
    sign = " ";
  }
  let padding = 0;
  if (s.width !== undefined && s.width > sign.length + buf.length)
    padding = s.width - sign.length - buf.length;
  if (s.zero && !x.isInf()) return sign + "0".repeat(padding) + buf;
  if (s.minus) return sign + buf + " ".repeat(padding);
  return " ".repeat(padding) + sign + buf;
}
