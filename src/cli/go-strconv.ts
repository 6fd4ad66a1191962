/**
 * The parts of Go's strconv that Go's `flag` package relies on, with Go's exact acceptance rules, so that
 * kiln's flags accept and reject the same spellings as Packer's.
 */

/** Why a Go number or boolean conversion failed; the flag package reports these words verbatim. */
export type ConvError = "parse error" | "value out of range";

const TRUE_SPELLINGS = new Set(["1", "t", "T", "TRUE", "true", "True"]);
const FALSE_SPELLINGS = new Set(["0", "f", "F", "FALSE", "false", "False"]);

/** Go's strconv.ParseBool. */
export function parseGoBool(s: string): boolean | ConvError {
  if (TRUE_SPELLINGS.has(s)) return true;
  if (FALSE_SPELLINGS.has(s)) return false;
  return "parse error";
}

const INT64_LIMIT = 1n << 63n;
const UINT64_MAX = (1n << 64n) - 1n;

/**
 * Go's strconv.ParseInt(s, 0, 64): optional sign, then `0x`/`0o`/`0b` prefixes, a bare leading `0` for
 * octal, and `_` digit separators (only between digits or after a prefix).
 */
export function parseGoInt64(s: string): bigint | ConvError {
  if (s === "") return "parse error";
  let body = s;
  let negative = false;
  if (body[0] === "+" || body[0] === "-") {
    negative = body[0] === "-";
    body = body.slice(1);
  }
  const magnitude = parseGoUint64(body);
  if (typeof magnitude === "string" && magnitude !== "value out of range") return magnitude;
  // As in Go, an unsigned overflow is reported as out of range for the signed conversion too.
  if (typeof magnitude === "string") return "value out of range";
  if (!negative && magnitude >= INT64_LIMIT) return "value out of range";
  if (negative && magnitude > INT64_LIMIT) return "value out of range";
  return negative ? -magnitude : magnitude;
}

/** Go's strconv.ParseUint(s, 0, 64), checked digit by digit in Go's order (overflow wins over a later bad digit). */
function parseGoUint64(s: string): bigint | ConvError {
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
  if (underscores && !underscoreOK(s)) return "parse error";
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

/** Go's rule for `_` in number literals: only between digits, or between a base prefix and a digit. */
function underscoreOK(s: string): boolean {
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

const NAMED_ESCAPES: Readonly<Record<string, string>> = {
  "\x07": "\\a",
  "\b": "\\b",
  "\f": "\\f",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
  "\v": "\\v",
  '"': '\\"',
  "\\": "\\\\",
};

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/** Go's `%q` of a string (strconv.Quote): printable characters kept, others escaped Go-style. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const named = NAMED_ESCAPES[ch];
    if (named !== undefined) out += named;
    else if (PRINTABLE.test(ch)) out += ch;
    else {
      const cp = ch.codePointAt(0)!;
      if (cp < 0x80) out += `\\x${hex(cp, 2)}`;
      else if (cp < 0x10000) out += `\\u${hex(cp, 4)}`;
      else out += `\\U${hex(cp, 8)}`;
    }
  }
  return `${out}"`;
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, "0");
}
