/**
 * Text helpers reproducing the Go standard library behaviour that cty's and Packer's string functions rely
 * on: grapheme clusters (go-textseg, here Intl.Segmenter), Go's simple per-rune case mapping
 * (strings.ToUpper / ToLower / Title, which never turn one character into several as JavaScript's
 * toUpperCase does), unicode.IsSpace for strings.TrimSpace, rune-set trimming (strings.Trim), UTF-8 byte
 * offsets and strconv.QuoteRune for error messages.
 */

import { isGoSpace } from "../../go/unicode.js";
import { FunctionError } from "../function.js";

// Made on first use: constructing a Segmenter loads ICU break data, which costs milliseconds at start-up.
let segmenterInstance: Intl.Segmenter | undefined;
function segmenter(): Intl.Segmenter {
  segmenterInstance ??= new Intl.Segmenter("en", { granularity: "grapheme" });
  return segmenterInstance;
}

/** The extended grapheme clusters of s, in order. */
export function graphemes(s: string): string[] {
  const out: string[] = [];
  for (const seg of segmenter().segment(s)) out.push(seg.segment);
  return out;
}

/** Number of grapheme clusters in s (cty's Strlen). */
export function graphemeCount(s: string): number {
  let n = 0;
  for (const _ of segmenter().segment(s)) n++;
  return n;
}

/** Length of s in UTF-8 bytes. */
export function utf8Length(s: string): number {
  return Buffer.byteLength(s, "utf8");
}

// ---- case mapping ------------------------------------------------------------------------------------

/**
 * Go's unicode.ToUpper for the characters whose full (SpecialCasing) uppercase in JavaScript is several
 * characters: the simple mapping, which is the character itself except for these Greek letters with
 * ypogegrammeni, whose simple uppercase is the titlecase form.
 */
const simpleUpperExceptions = new Map<number, number>([
  [0x1fb3, 0x1fbc],
  [0x1fc3, 0x1fcc],
  [0x1ff3, 0x1ffc],
]);
for (const base of [0x1f80, 0x1f90, 0x1fa0]) {
  for (let i = 0; i < 8; i++) simpleUpperExceptions.set(base + i, base + 8 + i);
}

/** Go's unicode.ToLower where JavaScript's full lowercase is several characters (only U+0130). */
const simpleLowerExceptions = new Map<number, number>([[0x130, 0x69]]);

function singleCodePoint(s: string): number | undefined {
  const cp = s.codePointAt(0);
  if (cp === undefined) return undefined;
  return s.length === (cp > 0xffff ? 2 : 1) ? cp : undefined;
}

const upperCache = new Map<number, number>();
const lowerCache = new Map<number, number>();

/** unicode.ToUpper for one code point. */
export function runeToUpper(cp: number): number {
  if (cp < 0x80) return cp >= 0x61 && cp <= 0x7a ? cp - 0x20 : cp;
  let r = upperCache.get(cp);
  if (r === undefined) {
    r = simpleUpperExceptions.get(cp) ?? singleCodePoint(String.fromCodePoint(cp).toUpperCase()) ?? cp;
    upperCache.set(cp, r);
  }
  return r;
}

/** unicode.ToLower for one code point. */
export function runeToLower(cp: number): number {
  if (cp < 0x80) return cp >= 0x41 && cp <= 0x5a ? cp + 0x20 : cp;
  let r = lowerCache.get(cp);
  if (r === undefined) {
    r = simpleLowerExceptions.get(cp) ?? singleCodePoint(String.fromCodePoint(cp).toLowerCase()) ?? cp;
    lowerCache.set(cp, r);
  }
  return r;
}

/**
 * unicode.ToTitle for one code point: the uppercase mapping, except for the Latin digraphs (whose titlecase
 * form is the mixed one, e.g. ǆ → ǅ) and Georgian Mkhedruli letters (which have no titlecase mapping).
 */
export function runeToTitle(cp: number): number {
  if (cp >= 0x1c4 && cp <= 0x1cc) return 0x1c5 + 3 * Math.floor((cp - 0x1c4) / 3);
  if (cp >= 0x1f1 && cp <= 0x1f3) return 0x1f2;
  if ((cp >= 0x10d0 && cp <= 0x10fa) || (cp >= 0x10fd && cp <= 0x10ff)) return cp;
  return runeToUpper(cp);
}

function mapRunes(s: string, f: (cp: number) => number): string {
  let out = "";
  for (const ch of s) out += String.fromCodePoint(f(ch.codePointAt(0)!));
  return out;
}

/** strings.ToUpper. */
export function goToUpper(s: string): string {
  if (/^[\x00-\x7f]*$/.test(s)) return s.toUpperCase();
  return mapRunes(s, runeToUpper);
}

/** strings.ToLower. */
export function goToLower(s: string): string {
  if (/^[\x00-\x7f]*$/.test(s)) return s.toLowerCase();
  return mapRunes(s, runeToLower);
}

const letterRe = /^\p{L}$/u;
const digitRe = /^\p{Nd}$/u;

/** unicode.IsLetter. */
export function isGoLetter(cp: number): boolean {
  return letterRe.test(String.fromCodePoint(cp));
}

/** unicode.IsDigit. */
export function isGoDigit(cp: number): boolean {
  return digitRe.test(String.fromCodePoint(cp));
}

/** unicode.IsSpace (every space character is in the BMP, so a code point or a code unit will do). */
export { isGoSpace };

/** strings.Title's word-boundary test. */
function isSeparator(cp: number): boolean {
  if (cp <= 0x7f) {
    if (cp >= 0x30 && cp <= 0x39) return false;
    if (cp >= 0x61 && cp <= 0x7a) return false;
    if (cp >= 0x41 && cp <= 0x5a) return false;
    if (cp === 0x5f) return false;
    return true;
  }
  if (isGoLetter(cp) || isGoDigit(cp)) return false;
  return isGoSpace(cp);
}

/** strings.Title: the first letter of each word mapped to title case. */
export function goTitle(s: string): string {
  let prev = 0x20;
  return mapRunes(s, (cp) => {
    const sep = isSeparator(prev);
    prev = cp;
    return sep ? runeToTitle(cp) : cp;
  });
}

// ---- trimming ----------------------------------------------------------------------------------------

function trimBy(s: string, drop: (cp: number) => boolean): string {
  const cps = Array.from(s);
  let start = 0;
  let end = cps.length;
  while (start < end && drop(cps[start]!.codePointAt(0)!)) start++;
  while (end > start && drop(cps[end - 1]!.codePointAt(0)!)) end--;
  return cps.slice(start, end).join("");
}

/** strings.TrimSpace. */
export function goTrimSpace(s: string): string {
  return trimBy(s, isGoSpace);
}

/** strings.Trim: removes leading and trailing characters contained in cutset. */
export function goTrim(s: string, cutset: string): string {
  if (s === "" || cutset === "") return s;
  const set = new Set<number>(Array.from(cutset, (c) => c.codePointAt(0)!));
  return trimBy(s, (cp) => set.has(cp));
}

// ---- quoting -----------------------------------------------------------------------------------------

const printableRe = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

function hex(cp: number, width: number): string {
  return cp.toString(16).padStart(width, "0");
}

/** strconv.QuoteRune (Go's %q of a rune): 'x', with Go escapes for unprintable characters. */
export function goQuoteRune(cp: number): string {
  switch (cp) {
    case 0x27:
      return "'\\''";
    case 0x5c:
      return "'\\\\'";
    case 0x07:
      return "'\\a'";
    case 0x08:
      return "'\\b'";
    case 0x0c:
      return "'\\f'";
    case 0x0a:
      return "'\\n'";
    case 0x0d:
      return "'\\r'";
    case 0x09:
      return "'\\t'";
    case 0x0b:
      return "'\\v'";
  }
  const ch = String.fromCodePoint(cp);
  if (cp === 0x20 || printableRe.test(ch)) return `'${ch}'`;
  if (cp < 0x20 || cp === 0x7f) return `'\\x${hex(cp, 2)}'`;
  if (cp <= 0xffff) return `'\\u${hex(cp, 4)}'`;
  return `'\\U${hex(cp, 8)}'`;
}

/**
 * Runs f, turning JavaScript's "Invalid string length" (a result beyond the engine's string limit, where Go
 * would run out of memory) into a call error instead of letting it escape.
 */
export function withinStringLimit<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof RangeError) throw new FunctionError("result string is too long");
    throw e;
  }
}
