/**
 * The scanner of HCL's JSON syntax (hcl/json's scan): splits the source into punctuation, string, number
 * and keyword tokens with exact ranges. It is deliberately lax (a number token is any run of number-ish
 * characters, a keyword any run of letters and `_`, a string runs to its closing quote or to a control
 * character) so that the parser can report what the user meant to write.
 *
 * Positions follow HCL's JSON scanner: `byte` counts UTF-8 bytes; a column is one byte outside strings, a
 * grapheme cluster inside them; "\r" takes no column; a tab takes two columns. The first character that
 * cannot start a token becomes an Invalid token (one byte, one column) followed by EOF.
 */
import type { Pos, Range } from "../diagnostic.js";

export type TokenType =
  | "BraceO"
  | "BraceC"
  | "BrackO"
  | "BrackC"
  | "Comma"
  | "Colon"
  /** `=`, scanned only to remind the user that JSON uses a colon. */
  | "Equals"
  | "Keyword"
  | "String"
  | "Number"
  | "EOF"
  | "Invalid";

export interface Token {
  readonly type: TokenType;
  /** The token's source text. */
  readonly text: string;
  readonly range: Range;
}

const PUNCT: Readonly<Record<string, TokenType>> = {
  "{": "BraceO",
  "}": "BraceC",
  "[": "BrackO",
  "]": "BrackC",
  ",": "Comma",
  ":": "Colon",
  "=": "Equals",
};

let segmenter: Intl.Segmenter | undefined;

function graphemes(s: string): Iterable<{ segment: string }> {
  segmenter ??= new Intl.Segmenter(undefined, { granularity: "grapheme" });
  return segmenter.segment(s);
}

function isAlpha(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
}

function isNumberStart(c: number): boolean {
  // '-', '+', '.', digits; not 'e'/'E', which start (invalid) keywords for a clearer message.
  return c === 0x2d || c === 0x2b || c === 0x2e || (c >= 0x30 && c <= 0x39);
}

function isNumberChar(c: number): boolean {
  return isNumberStart(c) || c === 0x65 || c === 0x45;
}

/** Splits `src` into tokens; the last one is always EOF. */
export function scan(src: string, filename: string, start: Pos): Token[] {
  const tokens: Token[] = [];
  let line = start.line;
  let column = start.column;
  let byte = start.byte;
  let i = 0;
  const pos = (): Pos => ({ line, column, byte });
  const push = (type: TokenType, from: number, startPos: Pos): void => {
    tokens.push({ type, text: src.slice(from, i), range: { filename, start: startPos, end: pos() } });
  };

  for (;;) {
    // Whitespace.
    while (i < src.length) {
      const c = src.charCodeAt(i);
      if (c === 0x20) {
        byte++;
        column++;
      } else if (c === 0x0a) {
        byte++;
        column = 1;
        line++;
      } else if (c === 0x0d) {
        byte++;
      } else if (c === 0x09) {
        byte++;
        column += 2;
      } else {
        break;
      }
      i++;
    }
    if (i >= src.length) {
      const p = pos();
      tokens.push({ type: "EOF", text: "", range: { filename, start: p, end: p } });
      return tokens;
    }

    const from = i;
    const startPos = pos();
    const ch = src.charAt(i);
    const c = src.charCodeAt(i);
    const punct = PUNCT[ch];
    if (punct !== undefined) {
      i++;
      byte++;
      column++;
      push(punct, from, startPos);
    } else if (c === 0x22) {
      scanString();
      push("String", from, startPos);
    } else if (isNumberStart(c)) {
      while (i < src.length && isNumberChar(src.charCodeAt(i))) {
        i++;
        byte++;
        column++;
      }
      push("Number", from, startPos);
    } else if (isAlpha(c)) {
      while (i < src.length && (isAlpha(src.charCodeAt(i)) || src.charCodeAt(i) === 0x5f)) {
        i++;
        byte++;
        column++;
      }
      push("Keyword", from, startPos);
    } else {
      // HCL marks one byte and stops scanning here: the parser cannot get past this token anyway.
      const cp = src.codePointAt(i) ?? 0;
      const end: Pos = { line, column: column + 1, byte: byte + 1 };
      tokens.push({
        type: "Invalid",
        text: String.fromCodePoint(cp),
        range: { filename, start: startPos, end },
      });
      tokens.push({ type: "EOF", text: "", range: { filename, start: end, end } });
      return tokens;
    }
  }

  function scanString(): void {
    // Escapes matter here only to find the closing quote; the parser validates the string.
    i++;
    byte++;
    column++;
    let escaping = false;
    while (i < src.length) {
      const c = src.charCodeAt(i);
      if (c === 0x5c) {
        escaping = !escaping;
        i++;
        byte++;
        column++;
      } else if (c === 0x22) {
        i++;
        byte++;
        column++;
        if (!escaping) return;
        escaping = false;
      } else if (c < 32) {
        return;
      } else {
        // A run of ordinary characters, one column per grapheme cluster (clusters never span a quote,
        // a backslash or a control character).
        let j = i + 1;
        while (j < src.length) {
          const d = src.charCodeAt(j);
          if (d === 0x5c || d === 0x22 || d < 32) break;
          j++;
        }
        for (const { segment } of graphemes(src.slice(i, j))) {
          byte += Buffer.byteLength(segment, "utf8");
          column++;
        }
        i = j;
        escaping = false;
      }
    }
  }
}
