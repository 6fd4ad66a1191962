/**
 * The parts of Go's strconv that Packer's messages and Go-style parsing depend on, with Go's exact rules:
 * Quote (fmt's `%q`), IsPrint, ParseBool, ParseInt and ParseUint with base 0 (sign, `0x` / `0o` / `0b`
 * prefixes, a bare leading `0` for octal, `_` separators). Shared by the HCL engine, the legacy JSON template
 * engine, the SDK and the CLI's flags.
 */

/** Why a Go number or boolean conversion failed (NumError's Err: ErrSyntax or ErrRange), in Go's words. */
export type ConvError = "parse error" | "value out of range";

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

/** strconv.IsPrint (unicode.IsPrint): letters, marks, numbers, punctuation, symbols and the ASCII space. */
export function isGoPrint(cp: number): boolean {
  if (cp === 0x20) return true;
  if (cp < 0x20 || cp === 0x7f) return false;
  if (cp < 0x7f) return true;
  return PRINTABLE.test(String.fromCodePoint(cp));
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, "0");
}

/**
 * strconv.Quote, which is what fmt's `%q` prints for a string: printable characters kept, C escapes for
 * `\a \b \f \n \r \t \v`, `\x` for other ASCII controls, `\u` / `\U` for other non-printable runes. A lone
 * surrogate (not valid UTF-8, so U+FFFD to Go) is `\ufffd`.
 */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp === 0x22 || cp === 0x5c) {
      out += `\\${ch}`;
      continue;
    }
    if (isGoPrint(cp)) {
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

const TRUE_SPELLINGS = new Set(["1", "t", "T", "TRUE", "true", "True"]);
const FALSE_SPELLINGS = new Set(["0", "f", "F", "FALSE", "false", "False"]);

/** strconv.ParseBool. */
export function parseGoBool(s: string): boolean | ConvError {
  if (TRUE_SPELLINGS.has(s)) return true;
  if (FALSE_SPELLINGS.has(s)) return false;
  return "parse error";
}

const INT64_LIMIT = 1n << 63n;
const UINT64_MAX = (1n << 64n) - 1n;

/** strconv.ParseInt(s, 0, 64). */
export function parseGoInt64(s: string): bigint | ConvError {
  if (s === "") return "parse error";
  let body = s;
  let negative = false;
  if (body[0] === "+" || body[0] === "-") {
    negative = body[0] === "-";
    body = body.slice(1);
  }
  const magnitude = parseGoUint64(body);
  // As in Go, an unsigned overflow is reported as out of range for the signed conversion too.
  if (typeof magnitude === "string") return magnitude;
  if (!negative && magnitude >= INT64_LIMIT) return "value out of range";
  if (negative && magnitude > INT64_LIMIT) return "value out of range";
  return negative ? -magnitude : magnitude;
}

/**
 * strconv.ParseUint(s, 0, 64) (no sign), checked digit by digit in Go's order: an overflow is reported even
 * when a bad digit follows it.
 */
export function parseGoUint64(s: string): bigint | ConvError {
  if (s === "") return "parse error";
  let base = 10n;
  let digits = s;
  if (s[0] === "0") {
    const marker = s[1]?.toLowerCase();
    if (s.length >= 3 && (marker === "b" || marker === "o" || marker === "x")) {
      base = marker === "b" ? 2n : marker === "o" ? 8n : 16n;
      digits = s.slice(2);
    } else {
      base = 8n;
      digits = s.slice(1);
    }
  }
  let n = 0n;
  let underscores = false;
  for (const c of digits) {
    if (c === "_") {
      underscores = true;
      continue;
    }
    const d = digitValue(c);
    if (d === undefined || d >= base) return "parse error";
    n = n * base + d;
    if (n > UINT64_MAX) return "value out of range";
  }
  if (underscores && !goUnderscoreOK(s)) return "parse error";
  return n;
}

/** The value of a digit in bases up to 36, or undefined for anything else. */
function digitValue(c: string): bigint | undefined {
  if (c.length !== 1) return undefined;
  const code = c.toLowerCase().charCodeAt(0);
  if (code >= 48 && code <= 57) return BigInt(code - 48);
  if (code >= 97 && code <= 122) return BigInt(code - 97 + 10);
  return undefined;
}

/**
 * strconv's underscoreOK: in a number literal of base 0, `_` stands only between digits or between a base
 * prefix and a digit (an optional sign first).
 */
export function goUnderscoreOK(s: string): boolean {
  // Last character class seen: "^" start, "0" digit or prefix, "_" underscore, "!" anything else.
  let saw = "^";
  let i = 0;
  let body = s;
  if (body[0] === "+" || body[0] === "-") body = body.slice(1);
  let hex = false;
  const marker = body[1]?.toLowerCase();
  if (body.length >= 2 && body[0] === "0" && (marker === "b" || marker === "o" || marker === "x")) {
    i = 2;
    saw = "0";
    hex = marker === "x";
  }
  for (; i < body.length; i++) {
    const c = body[i]!.toLowerCase();
    if ((c >= "0" && c <= "9") || (hex && c >= "a" && c <= "f")) {
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
