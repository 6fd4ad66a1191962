/**
 * Small text helpers that reproduce Go library behaviour HCL's messages depend on: `%q` quoting
 * (strconv.Quote), unicode.IsSpace, hcl.Range.String() and the "did you mean" name suggestion.
 */
import type { Range } from "../diagnostic.js";

// Go's strconv.Quote and unicode.IsSpace live with the other Go helpers; re-exported for the syntax layer.
export { goQuote } from "../go/strconv.js";
export { isGoSpace, trimLeftGoSpace, trimRightGoSpace } from "../go/unicode.js";

/** Unicode NFC normalization, which cty applies to every string value it creates. */
export function nfc(s: string): string {
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) >= 0x80) return s.normalize("NFC");
  }
  return s;
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
