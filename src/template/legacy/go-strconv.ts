/**
 * The parts of Go's strconv and unicode/utf8 packages that Go's text/template relies on beyond the shared
 * ones of the hcl layer (Quote, IsPrint, ParseInt, ParseUint): `%#U`, unquoting of string and character
 * literals, float literals, UTF-8 lengths and decoding. Behaviour follows Go 1.19 (the toolchain Packer 1.6.6
 * was built with), since error texts such as `invalid syntax` and `integer overflow: "08"` reach users
 * unchanged.
 */
import { goUnderscoreOK, isGoPrint } from "../../hcl/index.js";

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder("utf-8", { fatal: false });

/** Length in UTF-8 bytes of a JS string, as Go measures positions. */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}

/** The UTF-8 bytes of a string. */
export function utf8Bytes(s: string): Uint8Array {
  return utf8Encoder.encode(s);
}

/** Decodes bytes as UTF-8, replacing invalid sequences with U+FFFD (how such Go strings print). */
export function decodeUtf8(bytes: Uint8Array | readonly number[]): string {
  return utf8Decoder.decode(bytes instanceof Uint8Array ? bytes : Uint8Array.from(bytes));
}

/** Go's `%#U` verb: `U+0021 '!'`. */
export function goRuneU(cp: number): string {
  const base = `U+${cp.toString(16).toUpperCase().padStart(4, "0")}`;
  return isGoPrint(cp) ? `${base} '${String.fromCodePoint(cp)}'` : base;
}

/** Thrown internally by the unquoting helpers; callers turn it into Go's `invalid syntax`. */
export class SyntaxError_ extends Error {
  constructor() {
    super("invalid syntax");
  }
}

function hexVal(c: string): number {
  const n = Number.parseInt(c, 16);
  return Number.isNaN(n) || !/^[0-9a-fA-F]$/.test(c) ? -1 : n;
}

/**
 * Go's strconv.UnquoteChar over a JS string. Returns the decoded character (a code point, or a raw byte
 * for `\x` and octal escapes), whether it is a raw byte, and the remaining text; null means invalid syntax.
 */
export function unquoteChar(
  s: string,
  quote: string,
): { value: number; isByte: boolean; tail: string } | null {
  const c = s[0];
  if (c === undefined) return null;
  if (c === quote && (quote === "'" || quote === '"')) return null;
  if (c !== "\\") {
    const cp = s.codePointAt(0) ?? 0;
    return { value: cp, isByte: false, tail: s.slice(cp > 0xffff ? 2 : 1) };
  }
  const e = s[1];
  if (e === undefined) return null;
  let rest = s.slice(2);
  switch (e) {
    case "a":
      return { value: 7, isByte: false, tail: rest };
    case "b":
      return { value: 8, isByte: false, tail: rest };
    case "f":
      return { value: 12, isByte: false, tail: rest };
    case "n":
      return { value: 10, isByte: false, tail: rest };
    case "r":
      return { value: 13, isByte: false, tail: rest };
    case "t":
      return { value: 9, isByte: false, tail: rest };
    case "v":
      return { value: 11, isByte: false, tail: rest };
    case "x":
    case "u":
    case "U": {
      const n = e === "x" ? 2 : e === "u" ? 4 : 8;
      if (rest.length < n) return null;
      let v = 0;
      for (let j = 0; j < n; j++) {
        const x = hexVal(rest[j] ?? "");
        if (x < 0) return null;
        v = v * 16 + x;
      }
      rest = rest.slice(n);
      if (e === "x") return { value: v, isByte: true, tail: rest };
      if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) return null;
      return { value: v, isByte: false, tail: rest };
    }
    case "0":
    case "1":
    case "2":
    case "3":
    case "4":
    case "5":
    case "6":
    case "7": {
      let v = e.charCodeAt(0) - 48;
      if (rest.length < 2) return null;
      for (let j = 0; j < 2; j++) {
        const d = (rest[j] ?? "").charCodeAt(0) - 48;
        if (!(d >= 0 && d <= 7)) return null;
        v = v * 8 + d;
      }
      if (v > 255) return null;
      return { value: v, isByte: true, tail: rest.slice(2) };
    }
    case "\\":
      return { value: 0x5c, isByte: false, tail: rest };
    case "'":
    case '"':
      if (e !== quote) return null;
      return { value: e.charCodeAt(0), isByte: false, tail: rest };
    default:
      return null;
  }
}

/** Go's strconv.Unquote for `"..."` and raw backquoted literals; null means `invalid syntax`. */
export function goUnquote(s: string): string | null {
  if (s.length < 2) return null;
  const q = s[0];
  if (q !== s[s.length - 1]) return null;
  const body = s.slice(1, -1);
  if (q === "`") {
    if (body.includes("`")) return null;
    return body.replaceAll("\r", "");
  }
  if (q !== '"' && q !== "'") return null;
  if (body.includes("\n")) return null;
  if (!body.includes("\\") && !body.includes(q)) {
    if (q === '"') return body;
  }
  const bytes: number[] = [];
  let rest = body;
  while (rest.length > 0) {
    const r = unquoteChar(rest, q);
    if (r === null) return null;
    rest = r.tail;
    if (r.isByte) bytes.push(r.value);
    else for (const b of utf8Encoder.encode(String.fromCodePoint(r.value))) bytes.push(b);
    if (q === "'" && rest.length > 0) return null;
  }
  return decodeUtf8(bytes);
}

function parseHexFloat(s: string): number | null {
  const m = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?[0-9]+)$/.exec(s);
  if (m === null) return null;
  const intPart = m[2] ?? "";
  const frac = m[3] ?? "";
  if (intPart === "" && frac === "") return null;
  let mant = 0;
  for (const ch of intPart + frac) mant = mant * 16 + Number.parseInt(ch, 16);
  const exp = Number.parseInt(m[4] ?? "0", 10) - 4 * frac.length;
  const v = mant * 2 ** exp;
  if (!Number.isFinite(v)) return null;
  return m[1] === "-" ? -v : v;
}

/** Go's strconv.ParseFloat(s, 64), accepting decimal and hexadecimal forms; null on syntax error. */
export function parseGoFloat(s0: string): number | null {
  let s = s0;
  if (s.includes("_")) {
    if (!goUnderscoreOK(s)) return null;
    s = s.replaceAll("_", "");
  }
  if (/^[+-]?0[xX]/.test(s)) return parseHexFloat(s);
  if (/^[+-]?(inf|infinity)$/i.test(s)) return s.startsWith("-") ? -Infinity : Infinity;
  if (/^[+-]?nan$/i.test(s)) return Number.NaN;
  if (!/^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/.test(s)) return null;
  const v = Number(s);
  // Out of range is an error for strconv (ErrRange), not an infinity.
  return Number.isFinite(v) ? v : null;
}
