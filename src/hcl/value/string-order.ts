/**
 * String helpers shared by the value system.
 *
 * cty compares and sorts strings as Go does: by their UTF-8 bytes, which is the same as ordering by Unicode
 * code point. JavaScript's `<` compares UTF-16 code units, which disagrees for characters above U+FFFF versus
 * U+E000–U+FFFF, so every ordering of keys, attribute names and set elements goes through compareStrings.
 */

/** Maps a UTF-16 code unit so that code-unit order equals code-point order. */
function rank(c: number): number {
  if (c >= 0xd800 && c <= 0xdfff) return c + 0x2000;
  if (c >= 0xe000) return c - 0x800;
  return c;
}

/** Negative, zero or positive as a sorts before, equal to or after b in UTF-8 byte order. */
export function compareStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(i);
    if (ca !== cb) return rank(ca) - rank(cb);
  }
  return a.length - b.length;
}

/** Strings as cty stores them: Unicode NFC. */
export function normalizeString(s: string): string {
  return s.normalize("NFC");
}

/** Sorted copy of the keys in UTF-8 byte order. */
export function sortedKeys(keys: Iterable<string>): string[] {
  return [...keys].sort(compareStrings);
}

/**
 * Go's strconv.Quote as used by fmt's %q: double-quoted, with \a \b \f \n \r \t \v \\ \" escapes, \xNN for
 * other control bytes, \uNNNN / \UNNNNNNNN for non-printable runes. Printability is approximated with
 * Unicode general categories (letters, marks, numbers, punctuation, symbols and U+0020 are printable).
 */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    switch (ch) {
      case '"':
        out += '\\"';
        continue;
      case "\\":
        out += "\\\\";
        continue;
      case "\x07":
        out += "\\a";
        continue;
      case "\b":
        out += "\\b";
        continue;
      case "\f":
        out += "\\f";
        continue;
      case "\n":
        out += "\\n";
        continue;
      case "\r":
        out += "\\r";
        continue;
      case "\t":
        out += "\\t";
        continue;
      case "\v":
        out += "\\v";
        continue;
    }
    if (cp >= 0xd800 && cp <= 0xdfff) {
      // A lone surrogate is invalid UTF-8 in Go's world; Go prints the replacement character's escape.
      out += "\\ufffd";
      continue;
    }
    if (isGoPrintable(ch, cp)) {
      out += ch;
    } else if (cp < 0x20 || cp === 0x7f) {
      out += `\\x${cp.toString(16).padStart(2, "0")}`;
    } else if (cp < 0x10000) {
      out += `\\u${cp.toString(16).padStart(4, "0")}`;
    } else {
      out += `\\U${cp.toString(16).padStart(8, "0")}`;
    }
  }
  return `${out}"`;
}

const printable = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

function isGoPrintable(ch: string, cp: number): boolean {
  if (cp === 0x20) return true;
  if (cp < 0x20 || cp === 0x7f) return false;
  if (cp < 0x7f) return true;
  return printable.test(ch);
}
