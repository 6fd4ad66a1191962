/**
 * Small text helpers that reproduce Go library behaviour HCL's messages depend on: `%q` quoting
 * (strconv.Quote), unicode.IsSpace, hcl.Range.String() and the "did you mean" name suggestion.
 */
import type { Range } from "../diagnostic.js";

/** Go's unicode.IsSpace for a UTF-16 code unit (every space character is in the BMP). */
export function isGoSpace(c: number): boolean {
  if (c <= 0xff) return (c >= 9 && c <= 13) || c === 32 || c === 0x85 || c === 0xa0;
  return (
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

/** strings.TrimLeftFunc(s, unicode.IsSpace) */
export function trimLeftGoSpace(s: string): string {
  let i = 0;
  while (i < s.length && isGoSpace(s.charCodeAt(i))) i++;
  return i === 0 ? s : s.slice(i);
}

/** strings.TrimRightFunc(s, unicode.IsSpace) */
export function trimRightGoSpace(s: string): string {
  let i = s.length;
  while (i > 0 && isGoSpace(s.charCodeAt(i - 1))) i--;
  return i === s.length ? s : s.slice(0, i);
}

/** Unicode NFC normalization, which cty applies to every string value it creates. */
export function nfc(s: string): string {
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) >= 0x80) return s.normalize("NFC");
  }
  return s;
}

const PRINTABLE_RE = /[\p{L}\p{M}\p{N}\p{P}\p{S}]/u;

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, "0");
}

/** Go's strconv.Quote, as `fmt.Sprintf("%q", s)` prints a string. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (ch === '"' || ch === "\\") {
      out += `\\${ch}`;
    } else if (
      cp === 0x20 ||
      (cp > 0x20 && cp !== 0x7f && !(cp >= 0xd800 && cp <= 0xdfff) && PRINTABLE_RE.test(ch))
    ) {
      out += ch;
    } else {
      switch (cp) {
        case 7:
          out += "\\a";
          break;
        case 8:
          out += "\\b";
          break;
        case 12:
          out += "\\f";
          break;
        case 10:
          out += "\\n";
          break;
        case 13:
          out += "\\r";
          break;
        case 9:
          out += "\\t";
          break;
        case 11:
          out += "\\v";
          break;
        default:
          if (cp < 0x20 || cp === 0x7f) out += `\\x${hex(cp, 2)}`;
          else if (cp >= 0xd800 && cp <= 0xdfff) out += "\\ufffd";
          else if (cp < 0x10000) out += `\\u${hex(cp, 4)}`;
          else out += `\\U${hex(cp, 8)}`;
      }
    }
  }
  return `${out}"`;
}

/** hcl.Range.String(): "file:line,col-col" or "file:line,col-line,col". */
export function formatRange(r: Range): string {
  if (r.start.line === r.end.line) return `${r.filename}:${r.start.line},${r.start.column}-${r.end.column}`;
  return `${r.filename}:${r.start.line},${r.start.column}-${r.end.line},${r.end.column}`;
}

/** Levenshtein distance between two strings, counted in code points. */
export function levenshtein(a: string, b: string): number {
  const s = Array.from(a);
  const t = Array.from(b);
  if (s.length === 0) return t.length;
  if (t.length === 0) return s.length;
  let prev = new Array<number>(t.length + 1);
  let cur = new Array<number>(t.length + 1);
  for (let j = 0; j <= t.length; j++) prev[j] = j;
  for (let i = 1; i <= s.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[t.length] ?? 0;
}

/**
 * The first suggestion within edit distance 2 of `given`, or "" (HCL's nameSuggestion; the suggestions are
 * tried in order).
 */
export function nameSuggestion(given: string, suggestions: readonly string[]): string {
  for (const s of suggestions) {
    if (levenshtein(given, s) < 3) return s;
  }
  return "";
}
