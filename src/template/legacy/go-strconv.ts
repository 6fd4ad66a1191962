/**
 * The parts of Go's strconv and unicode packages that Go's text/template relies on: quoting (%q, %#U),
 * unquoting of string and character literals, and parsing of integer and float literals. Behaviour follows
 * Go 1.19 (the toolchain Packer 1.6.6 was built with), since error texts such as `invalid syntax` and
 * `integer overflow: "08"` reach users unchanged.
 */

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

const printableRe = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

/** Go's strconv.IsPrint / unicode.IsPrint: letters, marks, numbers, punctuation, symbols and ASCII space. */
export function isPrint(cp: number): boolean {
  if (cp === 0x20) return true;
  if (cp < 0x20 || cp === 0x7f) return false;
  if (cp < 0x7f) return true;
  return printableRe.test(String.fromCodePoint(cp));
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, "0");
}

/** Go's strconv.Quote: a double-quoted Go string literal using escapes for non-printable characters. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp === 0x22 || cp === 0x5c) {
      out += `\\${ch}`;
      continue;
    }
    if (isPrint(cp)) {
      out += ch;
      continue;
    }
    switch (cp) {
      case 0x07:
        out += "\\a";
        break;
      case 0x08:
        out += "\\b";
        break;
      case 0x0c:
        out += "\\f";
        break;
      case 0x0a:
        out += "\\n";
        break;
      case 0x0d:
        out += "\\r";
        break;
      case 0x09:
        out += "\\t";
        break;
      case 0x0b:
        out += "\\v";
        break;
      default:
        if (cp < 0x20 || cp === 0x7f) out += `\\x${hex(cp, 2)}`;
        else if (cp >= 0xd800 && cp <= 0xdfff) out += "\\ufffd";
        else if (cp < 0x10000) out += `\\u${hex(cp, 4)}`;
        else out += `\\U${hex(cp, 8)}`;
    }
  }
  return `${out}"`;
}

/** Go's `%#U` verb: `U+0021 '!'`. */
export function goRuneU(cp: number): string {
  const base = `U+${cp.toString(16).toUpperCase().padStart(4, "0")}`;
  return isPrint(cp) ? `${base} '${String.fromCodePoint(cp)}'` : base;
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

/** Go's underscoreOK: underscores only between digits or after a base prefix. */
function underscoreOK(s0: string): boolean {
  let s = s0;
  let saw = "^";
  let i = 0;
  if (s.startsWith("-") || s.startsWith("+")) s = s.slice(1);
  let isHex = false;
  if (s.length >= 2 && s[0] === "0" && /[bBoOxX]/.test(s[1] ?? "")) {
    i = 2;
    saw = "0";
    isHex = /[xX]/.test(s[1] ?? "");
  }
  for (; i < s.length; i++) {
    const c = s[i] ?? "";
    if ((c >= "0" && c <= "9") || (isHex && /[a-fA-F]/.test(c))) {
      saw = "0";
      continue;
    }
    if (c === "_") {
      if (saw !== "0") return false;
      saw = "_";
      continue;
    }
    if (saw === "_") return false;
    saw = "!";
  }
  return saw !== "_";
}

const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);
const UINT64_MAX = (1n << 64n) - 1n;

/** Parses the unsigned magnitude of an integer literal with Go's base-0 rules; null if invalid. */
function parseMagnitude(s: string): bigint | null {
  if (s === "") return null;
  let base = 10;
  let digits = s;
  if (s[0] === "0") {
    if (s.length >= 2 && /[xX]/.test(s[1] ?? "")) {
      base = 16;
      digits = s.slice(2);
    } else if (s.length >= 2 && /[oO]/.test(s[1] ?? "")) {
      base = 8;
      digits = s.slice(2);
    } else if (s.length >= 2 && /[bB]/.test(s[1] ?? "")) {
      base = 2;
      digits = s.slice(2);
    } else if (s.length > 1) {
      base = 8;
      digits = s.slice(1);
    }
  }
  if (digits.includes("_")) {
    if (!underscoreOK(s)) return null;
    digits = digits.replaceAll("_", "");
  }
  if (digits === "") return null;
  let v = 0n;
  const b = BigInt(base);
  for (const ch of digits) {
    const d = Number.parseInt(ch, 36);
    if (Number.isNaN(d) || d >= base) return null;
    v = v * b + BigInt(d);
  }
  return v;
}

/** Go's strconv.ParseInt(s, 0, 64); null on syntax or range error. */
export function parseGoInt(s: string): bigint | null {
  let neg = false;
  let body = s;
  if (body.startsWith("+") || body.startsWith("-")) {
    neg = body[0] === "-";
    body = body.slice(1);
  }
  if (body === "0") return 0n;
  const m = parseMagnitude(body);
  if (m === null) return null;
  const v = neg ? -m : m;
  if (v > INT64_MAX || v < INT64_MIN) return null;
  return v;
}

/** Go's strconv.ParseUint(s, 0, 64); null on syntax or range error (no sign allowed). */
export function parseGoUint(s: string): bigint | null {
  if (s === "0") return 0n;
  if (s.startsWith("+") || s.startsWith("-")) return null;
  const m = parseMagnitude(s);
  if (m === null || m > UINT64_MAX) return null;
  return m;
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
    if (!underscoreOK(s)) return null;
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
