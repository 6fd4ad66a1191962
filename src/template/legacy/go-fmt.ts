/**
 * Go's fmt package for the engine's values: `%v` printing of actions' results (`map[a:b]`, `[a b]`,
 * `1e+06`, `<nil>`) and the `print`, `println` and `printf` built-ins, including fmt's error forms
 * (`%!d(string=x)`, `%!v(MISSING)`, `%!(EXTRA int=1)`).
 */

import { goQuote, isGoPrint } from "../../hcl/index.js";
import { utf8Bytes } from "./go-strconv.js";
import { GoMap, GoSlice, GoStruct, type GoValue, IFACE, sortedKeys, typeName } from "./go-value.js";

// ---------------------------------------------------------------------------------------------------
// strconv.FormatFloat

interface Digits {
  /** Decimal digits without leading zeros ("" for zero). */
  d: string;
  /** Position of the decimal point: value = 0.d × 10^dp. */
  dp: number;
}

/** The exact decimal expansion of a finite, non-negative double. */
function exactDigits(x: number): Digits {
  if (x === 0) return { d: "", dp: 0 };
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, x);
  const hi = buf.getUint32(0);
  const lo = buf.getUint32(4);
  const expBits = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exp: number;
  if (expBits === 0) exp = -1074;
  else {
    mant |= 1n << 52n;
    exp = expBits - 1075;
  }
  let digits: string;
  let dp: number;
  if (exp >= 0) {
    digits = (mant << BigInt(exp)).toString();
    dp = digits.length;
  } else {
    // mant / 2^-exp = mant * 5^-exp / 10^-exp.
    digits = (mant * 5n ** BigInt(-exp)).toString();
    dp = digits.length - -exp;
  }
  const trimmed = digits.replace(/0+$/, "");
  return { d: trimmed, dp };
}

/** Shortest digits that round-trip (what Go uses for precision -1). */
function shortestDigits(x: number): Digits {
  if (x === 0) return { d: "", dp: 0 };
  const [mant = "", e = "0"] = x.toExponential().split("e");
  const d = mant.replace(".", "").replace(/0+$/, "");
  return { d, dp: Number.parseInt(e, 10) + 1 };
}

/** Rounds exact digits to n digits (n may be <= 0), half to even, as strconv does. */
function roundDigits(x: Digits, n: number): Digits {
  if (n < 0) return { d: "", dp: x.dp };
  if (n >= x.d.length) return x;
  const next = x.d.charCodeAt(n) - 48;
  let up: boolean;
  if (next > 5) up = true;
  else if (next < 5) up = false;
  else if (x.d.slice(n + 1).replace(/0/g, "") !== "") up = true;
  else up = n > 0 && (x.d.charCodeAt(n - 1) - 48) % 2 === 1;
  let d = x.d.slice(0, n);
  let dp = x.dp;
  if (up) {
    const arr = d.split("");
    let i = arr.length - 1;
    while (i >= 0 && arr[i] === "9") {
      arr[i] = "0";
      i--;
    }
    if (i < 0) {
      // All nines (or nothing kept): the value becomes 1 × 10^(dp+1).
      d = "1";
      dp++;
    } else {
      arr[i] = String.fromCharCode((arr[i] ?? "0").charCodeAt(0) + 1);
      d = arr.join("");
    }
  }
  return { d: d.replace(/0+$/, ""), dp };
}

function digitAt(x: Digits, i: number): string {
  return i >= 0 && i < x.d.length ? (x.d[i] ?? "0") : "0";
}

function fmtE(x: Digits, prec: number, e: string): string {
  let s = x.d === "" ? "0" : (x.d[0] ?? "0");
  if (prec > 0) {
    s += ".";
    for (let i = 1; i <= prec; i++) s += digitAt(x, i);
  }
  const exp = x.d === "" ? 0 : x.dp - 1;
  const ae = Math.abs(exp);
  return `${s}${e}${exp < 0 ? "-" : "+"}${ae < 10 ? "0" : ""}${ae}`;
}

function fmtF(x: Digits, prec: number): string {
  let s = "";
  if (x.dp > 0) {
    for (let i = 0; i < x.dp; i++) s += digitAt(x, i);
  } else s = "0";
  if (prec > 0) {
    s += ".";
    for (let i = 0; i < prec; i++) s += digitAt(x, x.dp + i);
  }
  return s;
}

/** The raw mantissa (with implicit bit) and unbiased exponent of a finite double, as strconv sees them. */
function floatBits(a: number): { mant: bigint; exp: number } {
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, a);
  const hi = buf.getUint32(0);
  const lo = buf.getUint32(4);
  let exp = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (exp === 0) exp++;
  else mant |= 1n << 52n;
  return { mant, exp: exp - 1023 };
}

/** strconv's %b: decimal mantissa, "p", binary exponent. */
function fmtB(a: number): string {
  const { mant, exp } = floatBits(a);
  const e = exp - 52;
  return `${mant}p${e >= 0 ? "+" : "-"}${Math.abs(e)}`;
}

/** strconv's %x / %X: hexadecimal mantissa and binary exponent (0x1.cp+01). */
function fmtX(a: number, prec: number, fmt: string): string {
  let { mant, exp } = floatBits(a);
  if (mant === 0n) exp = 0;
  const bit60 = 1n << 60n;
  const mask64 = (1n << 64n) - 1n;
  mant <<= 60n - 52n;
  while (mant !== 0n && (mant & bit60) === 0n) {
    mant <<= 1n;
    exp--;
  }
  if (prec >= 0 && prec < 15) {
    const shift = BigInt(prec * 4);
    const extra = (mant << shift) & (bit60 - 1n);
    mant >>= 60n - shift;
    if ((extra | (mant & 1n)) > 1n << 59n) mant++;
    mant <<= 60n - shift;
    if ((mant & (1n << 61n)) !== 0n) {
      mant >>= 1n;
      exp++;
    }
  }
  const hex = fmt === "X" ? "0123456789ABCDEF" : "0123456789abcdef";
  let out = `0${fmt}${(mant >> 60n) & 1n}`;
  mant = (mant << 4n) & mask64;
  if (prec < 0 && mant !== 0n) {
    out += ".";
    while (mant !== 0n) {
      out += hex[Number((mant >> 60n) & 15n)];
      mant = (mant << 4n) & mask64;
    }
  } else if (prec > 0) {
    out += ".";
    for (let i = 0; i < prec; i++) {
      out += hex[Number((mant >> 60n) & 15n)];
      mant = (mant << 4n) & mask64;
    }
  }
  out += fmt === "X" ? "P" : "p";
  out += exp < 0 ? "-" : "+";
  const ae = Math.abs(exp);
  return out + (ae < 10 ? `0${ae}` : `${ae}`);
}

/** Go's strconv.FormatFloat(v, fmt, prec, 64) for fmt in b, e, E, f, g, G, x, X. */
export function formatFloat(v: number, fmt: string, prec: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "+Inf";
  if (v === -Infinity) return "-Inf";
  const neg = v < 0 || Object.is(v, -0);
  const a = Math.abs(v);
  if (fmt === "b") return (neg ? "-" : "") + fmtB(a);
  if (fmt === "x" || fmt === "X") return (neg ? "-" : "") + fmtX(a, prec, fmt);
  const shortest = prec < 0;
  let body: string;
  const f = fmt === "e" || fmt === "E" || fmt === "f" || fmt === "g" || fmt === "G" ? fmt : "g";
  if (f === "e" || f === "E") {
    let digs: Digits;
    let p = prec;
    if (shortest) {
      digs = shortestDigits(a);
      p = Math.max(digs.d.length - 1, 0);
    } else digs = roundDigits(exactDigits(a), prec + 1);
    body = fmtE(digs, p, f);
  } else if (f === "f") {
    let digs: Digits;
    let p = prec;
    if (shortest) {
      digs = shortestDigits(a);
      p = Math.max(digs.d.length - digs.dp, 0);
    } else {
      const ex = exactDigits(a);
      digs = roundDigits(ex, ex.dp + prec);
    }
    body = fmtF(digs, p);
  } else {
    let digs: Digits;
    let p = prec;
    if (shortest) {
      digs = shortestDigits(a);
      p = digs.d.length;
    } else {
      if (p === 0) p = 1;
      digs = roundDigits(exactDigits(a), p);
    }
    let eprec = p;
    if (eprec > digs.d.length && digs.d.length >= digs.dp) eprec = digs.d.length;
    if (shortest) eprec = 6;
    const exp = digs.dp - 1;
    if (exp < -4 || exp >= eprec) {
      if (p > digs.d.length) p = digs.d.length;
      body = fmtE(digs, Math.max(p - 1, 0), f === "G" ? "E" : "e");
    } else {
      if (p > digs.dp) p = digs.d.length;
      body = fmtF(digs, Math.max(p - digs.dp, 0));
    }
  }
  return (neg ? "-" : "") + body;
}

// ---------------------------------------------------------------------------------------------------
// fmt printer

interface Flags {
  plus: boolean;
  minus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  plusV: boolean;
  sharpV: boolean;
  wid: number;
  widPresent: boolean;
  prec: number;
  precPresent: boolean;
}

function clearFlags(): Flags {
  return {
    plus: false,
    minus: false,
    sharp: false,
    space: false,
    zero: false,
    plusV: false,
    sharpV: false,
    wid: 0,
    widPresent: false,
    prec: 0,
    precPresent: false,
  };
}

/**
 * An operand whose Go type is not the one its representation implies (a `uint8` from indexing a
 * string is held as a bigint, which otherwise prints as `int`).
 */
export class TypedArg {
  constructor(
    readonly v: GoValue,
    readonly t: string,
  ) {}
}

/** An operand of print/printf/println. */
export type FmtArg = GoValue | TypedArg;

function argType(arg: FmtArg): string | undefined {
  return arg instanceof TypedArg ? arg.t : typeName(arg);
}

/** A value as the printer sees it: its dynamic value plus the static type it is held in. */
interface PVal {
  readonly v: GoValue;
  readonly t: string;
}

class Printer {
  buf = "";
  f: Flags = clearFlags();

  private padding(n: number): string {
    return n > 0 ? (this.f.zero ? "0" : " ").repeat(n) : "";
  }

  pad(s: string): void {
    if (!this.f.widPresent || this.f.wid === 0) {
      this.buf += s;
      return;
    }
    const width = this.f.wid - Array.from(s).length;
    if (!this.f.minus) this.buf += this.padding(width) + s;
    else this.buf += s + this.padding(width);
  }

  private truncate(s: string): string {
    if (this.f.precPresent) {
      const runes = Array.from(s);
      if (runes.length > this.f.prec) return runes.slice(0, this.f.prec).join("");
    }
    return s;
  }

  fmtS(s: string): void {
    this.pad(this.truncate(s));
  }

  fmtQ(s0: string): void {
    const s = this.truncate(s0);
    if (this.f.sharp && !s.includes("`") && !/[\u0000-\u0008\u000a-\u001f\u007f\ufeff]/.test(s)) {
      this.pad(`\`${s}\``);
      return;
    }
    if (this.f.plus) {
      this.pad(goQuote(s).replace(/[^\x00-\x7f]/gu, (ch) => asciiEscape(ch.codePointAt(0) ?? 0)));
      return;
    }
    this.pad(goQuote(s));
  }

  fmtSx(s: string, upper: boolean): void {
    let bytes = utf8Bytes(s);
    if (this.f.precPresent && this.f.prec < bytes.length) bytes = bytes.slice(0, this.f.prec);
    let out = "";
    bytes.forEach((b, i) => {
      if (this.f.space && i > 0) out += " ";
      if (this.f.sharp && (this.f.space || i === 0)) out += upper ? "0X" : "0x";
      const h = b.toString(16).padStart(2, "0");
      out += upper ? h.toUpperCase() : h;
    });
    this.pad(out);
  }

  fmtInteger(v: bigint, base: number, verb: string, upper: boolean): void {
    const negative = v < 0n;
    let u = negative ? -v : v;
    let prec = 0;
    if (this.f.precPresent) {
      prec = this.f.prec;
      if (prec === 0 && u === 0n) {
        const oldZero = this.f.zero;
        this.f.zero = false;
        this.buf += this.padding(this.f.wid);
        this.f.zero = oldZero;
        return;
      }
    } else if (this.f.zero && this.f.widPresent) {
      prec = this.f.wid;
      if (negative || this.f.plus || this.f.space) prec--;
    }
    let s = u.toString(base);
    if (upper) s = s.toUpperCase();
    u = 0n;
    if (s.length < prec) s = "0".repeat(prec - s.length) + s;
    if (this.f.sharp) {
      if (base === 2) s = `0b${s}`;
      else if (base === 8 && s[0] !== "0") s = `0${s}`;
      else if (base === 16) s = (upper ? "0X" : "0x") + s;
    }
    if (verb === "O") s = `0o${s}`;
    if (negative) s = `-${s}`;
    else if (this.f.plus) s = `+${s}`;
    else if (this.f.space) s = ` ${s}`;
    const oldZero = this.f.zero;
    this.f.zero = false;
    this.pad(s);
    this.f.zero = oldZero;
  }

  fmtFloatV(v: number, verb: string, prec0: number): void {
    const prec = this.f.precPresent ? this.f.prec : prec0;
    let num = formatFloat(v, verb, prec);
    if (num[0] !== "-" && num[0] !== "+") num = `+${num}`;
    if (this.f.space && num[0] === "+" && !this.f.plus) num = ` ${num.slice(1)}`;
    if (num[1] === "I" || num[1] === "N") {
      const oldZero = this.f.zero;
      this.f.zero = false;
      if (num[1] === "N" && !this.f.space && !this.f.plus) num = num.slice(1);
      this.pad(num);
      this.f.zero = oldZero;
      return;
    }
    if (this.f.sharp && verb !== "b") {
      let digits = 0;
      if (verb === "v" || verb === "g" || verb === "G" || verb === "x") digits = prec === -1 ? 6 : prec;
      let tail = "";
      const m = (verb === "x" || verb === "X" ? /[pP]/ : /[eEpP]/).exec(num.slice(1));
      if (m !== null) {
        tail = num.slice(1 + m.index);
        num = num.slice(0, 1 + m.index);
      }
      let sawNonzero = false;
      for (const c of num.slice(1)) {
        if (c === ".") continue;
        if (c !== "0") sawNonzero = true;
        if (sawNonzero) digits--;
      }
      if (!num.includes(".")) {
        if (num.length === 2 && num[1] === "0") digits--;
        num += ".";
      }
      while (digits > 0) {
        num += "0";
        digits--;
      }
      num += tail;
    }
    if (this.f.plus || num[0] !== "+") {
      if (this.f.zero && this.f.widPresent && this.f.wid > num.length) {
        this.buf += num[0] + this.padding(this.f.wid - num.length) + num.slice(1);
        return;
      }
      this.pad(num);
      return;
    }
    this.pad(num.slice(1));
  }

  badVerb(verb: string, arg: PVal | null): void {
    this.buf += `%!${verb}(`;
    if (arg === null || arg.v === null) this.buf += "<nil>";
    else {
      // The operand is printed with %v under the same flags, width and precision (as fmt does).
      this.buf += `${arg.t === IFACE ? typeName(arg.v) : arg.t}=`;
      this.printValue(arg, "v", 0);
    }
    this.buf += ")";
  }

  /** printArg: formats one top-level operand. */
  printArg(arg0: FmtArg, verb: string): void {
    if (arg0 instanceof TypedArg) {
      if (verb === "T") this.fmtS(arg0.t);
      else this.printValue({ v: arg0.v, t: arg0.t }, verb, 0);
      return;
    }
    const arg = arg0;
    if (arg === null) {
      if (verb === "T" || verb === "v") this.pad("<nil>");
      else this.badVerb(verb, null);
      return;
    }
    if (verb === "T") {
      this.fmtS(typeName(arg) ?? "<nil>");
      return;
    }
    this.printValue({ v: arg, t: typeName(arg) ?? IFACE }, verb, 0);
  }

  printValue(p: PVal, verb: string, depth: number): void {
    const v = p.v;
    if (p.t === IFACE) {
      if (v === null) {
        if (this.f.sharpV) this.buf += `${IFACE}(nil)`;
        else this.buf += "<nil>";
        return;
      }
      this.printValue({ v, t: typeName(v) ?? IFACE }, verb, depth + 1);
      return;
    }
    if (v === null) {
      if (verb === "v") this.buf += "<nil>";
      else this.badVerb(verb, null);
      return;
    }
    switch (typeof v) {
      case "boolean":
        if (verb === "t" || verb === "v") this.pad(v ? "true" : "false");
        else this.badVerb(verb, p);
        return;
      case "bigint":
        this.printInteger(v, verb, p);
        return;
      case "number":
        switch (verb) {
          case "v":
            this.fmtFloatV(v, "g", -1);
            return;
          case "b":
          case "g":
          case "G":
          case "x":
          case "X":
            this.fmtFloatV(v, verb, -1);
            return;
          case "f":
          case "e":
          case "E":
            this.fmtFloatV(v, verb, 6);
            return;
          case "F":
            this.fmtFloatV(v, "f", 6);
            return;
          default:
            this.badVerb(verb, p);
            return;
        }
      case "string":
        switch (verb) {
          case "v":
            if (this.f.sharpV) this.fmtQ(v);
            else this.fmtS(v);
            return;
          case "s":
            this.fmtS(v);
            return;
          case "x":
          case "X":
            this.fmtSx(v, verb === "X");
            return;
          case "q":
            this.fmtQ(v);
            return;
          default:
            this.badVerb(verb, p);
            return;
        }
    }
    if (v instanceof GoMap) {
      this.buf += this.f.sharpV ? `${p.t}{` : "map[";
      sortedKeys(v).forEach((k, i) => {
        if (i > 0) this.buf += this.f.sharpV ? ", " : " ";
        this.printValue({ v: k, t: "string" }, verb, depth + 1);
        this.buf += ":";
        this.printValue({ v: v.entries.get(k) ?? null, t: v.elemType }, verb, depth + 1);
      });
      this.buf += this.f.sharpV ? "}" : "]";
      return;
    }
    if (v instanceof GoSlice) {
      this.buf += this.f.sharpV ? `${p.t}{` : "[";
      v.items.forEach((item, i) => {
        if (i > 0) this.buf += this.f.sharpV ? ", " : " ";
        this.printValue({ v: item, t: v.elemType }, verb, depth + 1);
      });
      this.buf += this.f.sharpV ? "}" : "]";
      return;
    }
    if (v instanceof GoStruct) {
      if (p.t.startsWith("*")) {
        // Go prints &{...} for a pointer to struct at the top level (an address deeper down).
        this.buf += "&";
        this.printValue({ v, t: p.t.slice(1) }, verb, depth + 1);
        return;
      }
      if (this.f.sharpV) this.buf += p.t;
      this.buf += "{";
      let i = 0;
      for (const [name, fv] of v.fields) {
        if (i > 0) this.buf += this.f.sharpV ? ", " : " ";
        if (this.f.plusV || this.f.sharpV) this.buf += `${name}:`;
        const ft = v.fieldTypes.get(name) ?? typeName(fv) ?? IFACE;
        this.printValue({ v: fv, t: ft }, verb, depth + 1);
        i++;
      }
      this.buf += "}";
    }
  }

  private printInteger(v: bigint, verb: string, p: PVal): void {
    switch (verb) {
      case "v":
      case "d":
        this.fmtInteger(v, 10, verb, false);
        return;
      case "b":
        this.fmtInteger(v, 2, verb, false);
        return;
      case "o":
      case "O":
        this.fmtInteger(v, 8, verb, false);
        return;
      case "x":
        this.fmtInteger(v, 16, verb, false);
        return;
      case "X":
        this.fmtInteger(v, 16, verb, true);
        return;
      case "c":
        this.pad(validRune(v) ? String.fromCodePoint(Number(v)) : "\ufffd");
        return;
      case "q": {
        const r = validRune(v) ? Number(v) : 0xfffd;
        this.pad(quoteRune(r, this.f.plus));
        return;
      }
      case "U": {
        const u = v < 0n ? v + (1n << 64n) : v;
        const r = u > 0x10ffffn ? 0x110000 : Number(u);
        let s = `U+${u
          .toString(16)
          .toUpperCase()
          .padStart(this.f.precPresent && this.f.prec > 4 ? this.f.prec : 4, "0")}`;
        if (this.f.sharp && r <= 0x10ffff && isGoPrint(r)) s += ` '${String.fromCodePoint(r)}'`;
        const oldZero = this.f.zero;
        this.f.zero = false;
        this.pad(s);
        this.f.zero = oldZero;
        return;
      }
      default:
        this.badVerb(verb, p);
    }
  }
}

function validRune(v: bigint): boolean {
  return v >= 0n && v <= 0x10ffffn && !(v >= 0xd800n && v <= 0xdfffn);
}

function asciiEscape(cp: number): string {
  return cp < 0x10000 ? `\\u${cp.toString(16).padStart(4, "0")}` : `\\U${cp.toString(16).padStart(8, "0")}`;
}

/** strconv.QuoteRune (or QuoteRuneToASCII when ascii is set). */
function quoteRune(r: number, ascii: boolean): string {
  if (r === 0x27) return "'\\''";
  if (r === 0x22) return "'\"'";
  if (ascii && r >= 0x80) return `'${asciiEscape(r)}'`;
  const q = goQuote(String.fromCodePoint(r));
  return `'${q.slice(1, -1)}'`;
}

/** fmt.Sprint: operands formatted with %v; spaces between operands when neither is a string. */
export function sprint(args: readonly FmtArg[]): string {
  const p = new Printer();
  let prevString = false;
  args.forEach((arg, i) => {
    const isString = typeof arg === "string";
    if (i > 0 && !isString && !prevString) p.buf += " ";
    p.printArg(arg, "v");
    prevString = isString;
  });
  return p.buf;
}

/** fmt.Sprintln: operands separated by spaces, newline appended. */
export function sprintln(args: readonly FmtArg[]): string {
  const p = new Printer();
  args.forEach((arg, i) => {
    if (i > 0) p.buf += " ";
    p.printArg(arg, "v");
  });
  return `${p.buf}\n`;
}

/** The `%v` form of one value (fmt.Sprint of a single operand). */
export function formatV(v: GoValue): string {
  const p = new Printer();
  p.printArg(v, "v");
  return p.buf;
}

/** The `%v` form of a value held in a given static type (a struct reached through a pointer prints as {...}). */
export function formatTyped(v: GoValue, t: string): string {
  if (v === null) return "<nil>";
  const p = new Printer();
  p.printValue({ v, t }, "v", 0);
  return p.buf;
}

function parsenum(s: string, start: number, end: number): { num: number; isnum: boolean; newi: number } {
  if (start >= end) return { num: 0, isnum: false, newi: end };
  let num = 0;
  let isnum = false;
  let i = start;
  for (; i < end && s[i] !== undefined && (s[i] ?? "") >= "0" && (s[i] ?? "") <= "9"; i++) {
    if (num > 1e6) return { num: 0, isnum: false, newi: end };
    num = num * 10 + (s.charCodeAt(i) - 48);
    isnum = true;
  }
  return { num, isnum, newi: i };
}

/** fmt.Sprintf with Go's verbs, flags, width, precision, `*` and `[n]` argument indexes. */
export function sprintf(format: string, args: readonly FmtArg[]): string {
  const p = new Printer();
  const end = format.length;
  let argNum = 0;
  let afterIndex = false;
  let reordered = false;
  let goodArgNum = true;

  const argNumber = (an: number, i: number): { argNum: number; i: number; found: boolean } => {
    if (i >= end || format[i] !== "[") return { argNum: an, i, found: false };
    reordered = true;
    const sub = format.slice(i);
    let index = 0;
    let wid = 1;
    let ok = false;
    if (sub.length >= 3) {
      for (let j = 1; j < sub.length; j++) {
        if (sub[j] === "]") {
          const r = parsenum(sub, 1, j);
          if (!r.isnum || r.newi !== j) {
            wid = j + 1;
          } else {
            index = r.num - 1;
            wid = j + 1;
            ok = true;
          }
          break;
        }
      }
    }
    if (ok && index >= 0 && index < args.length) return { argNum: index, i: i + wid, found: true };
    goodArgNum = false;
    return { argNum: an, i: i + wid, found: ok };
  };

  const intFromArg = (an: number): { num: number; isInt: boolean; argNum: number } => {
    if (an < args.length) {
      const a0 = args[an];
      const a = a0 instanceof TypedArg ? a0.v : a0;
      if (typeof a === "bigint" && a <= 1_000_000n && a >= -1_000_000n) {
        return { num: Number(a), isInt: true, argNum: an + 1 };
      }
      return { num: 0, isInt: false, argNum: an + 1 };
    }
    return { num: 0, isInt: false, argNum: an };
  };

  let i = 0;
  formatLoop: while (i < end) {
    goodArgNum = true;
    const lasti = i;
    while (i < end && format[i] !== "%") i++;
    if (i > lasti) p.buf += format.slice(lasti, i);
    if (i >= end) break;
    i++; // Skip %.
    p.f = clearFlags();
    simple: for (; i < end; i++) {
      const c = format[i] ?? "";
      switch (c) {
        case "#":
          p.f.sharp = true;
          break;
        case "0":
          p.f.zero = !p.f.minus;
          break;
        case "+":
          p.f.plus = true;
          break;
        case "-":
          p.f.minus = true;
          p.f.zero = false;
          break;
        case " ":
          p.f.space = true;
          break;
        default:
          if (c >= "a" && c <= "z" && argNum < args.length) {
            if (c === "v") {
              p.f.sharpV = p.f.sharp;
              p.f.sharp = false;
              p.f.plusV = p.f.plus;
              p.f.plus = false;
            }
            p.printArg(args[argNum] ?? null, c);
            argNum++;
            i++;
            continue formatLoop;
          }
          break simple;
      }
    }
    let r = argNumber(argNum, i);
    argNum = r.argNum;
    i = r.i;
    afterIndex = r.found;
    if (i < end && format[i] === "*") {
      i++;
      const w = intFromArg(argNum);
      p.f.wid = w.num;
      p.f.widPresent = w.isInt;
      argNum = w.argNum;
      if (!p.f.widPresent) p.buf += "%!(BADWIDTH)";
      if (p.f.wid < 0) {
        p.f.wid = -p.f.wid;
        p.f.minus = true;
        p.f.zero = false;
      }
      afterIndex = false;
    } else {
      const n = parsenum(format, i, end);
      p.f.wid = n.num;
      p.f.widPresent = n.isnum;
      i = n.newi;
      if (afterIndex && p.f.widPresent) goodArgNum = false;
    }
    if (i + 1 < end && format[i] === ".") {
      i++;
      if (afterIndex) goodArgNum = false;
      r = argNumber(argNum, i);
      argNum = r.argNum;
      i = r.i;
      afterIndex = r.found;
      if (i < end && format[i] === "*") {
        i++;
        const w = intFromArg(argNum);
        p.f.prec = w.num;
        p.f.precPresent = w.isInt;
        argNum = w.argNum;
        if (p.f.prec < 0) {
          p.f.prec = 0;
          p.f.precPresent = false;
        }
        if (!p.f.precPresent) p.buf += "%!(BADPREC)";
        afterIndex = false;
      } else {
        const n = parsenum(format, i, end);
        p.f.prec = n.num;
        p.f.precPresent = n.isnum;
        i = n.newi;
        if (!p.f.precPresent) {
          p.f.prec = 0;
          p.f.precPresent = true;
        }
      }
    }
    if (!afterIndex) {
      r = argNumber(argNum, i);
      argNum = r.argNum;
      i = r.i;
      afterIndex = r.found;
    }
    if (i >= end) {
      p.buf += "%!(NOVERB)";
      break;
    }
    const cp = format.codePointAt(i) ?? 0;
    const verb = String.fromCodePoint(cp);
    i += verb.length;
    if (verb === "%") {
      p.buf += "%";
    } else if (!goodArgNum) {
      p.buf += `%!${verb}(BADINDEX)`;
    } else if (argNum >= args.length) {
      p.buf += `%!${verb}(MISSING)`;
    } else {
      if (verb === "v") {
        p.f.sharpV = p.f.sharp;
        p.f.sharp = false;
        p.f.plusV = p.f.plus;
        p.f.plus = false;
      }
      p.printArg(args[argNum] ?? null, verb);
      argNum++;
    }
  }
  if (!reordered && argNum < args.length) {
    p.f = clearFlags();
    p.buf += "%!(EXTRA ";
    args.slice(argNum).forEach((arg, j) => {
      if (j > 0) p.buf += ", ";
      if (arg === null) p.buf += "<nil>";
      else {
        p.buf += `${argType(arg)}=`;
        p.printArg(arg, "v");
      }
    });
    p.buf += ")";
  }
  return p.buf;
}
