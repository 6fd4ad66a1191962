/**
 * Decoding of literal template text (hclsyntax.ParseStringLiteralToken).
 *
 * QuotedLit tokens process backslash escapes (\n \r \t \" \\ \uXXXX \UXXXXXXXX); both QuotedLit and
 * StringLit tokens turn the escaped sequence introducers `$${` and `%%{` into `${` and `%{`. Invalid escapes
 * are reported with HCL's messages at the escape's own range.
 */
import type { Diagnostic, Pos, Range } from "../diagnostic.js";
import { goQuote } from "./go-compat.js";
import type { Token } from "./token.js";

export interface DecodedString {
  value: string;
  diagnostics: Diagnostic[];
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

let segmenter: Intl.Segmenter | undefined;

/**
 * The range of text[s, e) given the token's start, measured the way HCL measures escape sequences: each
 * slice in `cuts` (boundaries between HCL's scanner slices) is segmented on its own, and a grapheme cluster
 * starting with "\r" or "\n" ends a line.
 */
function sliceRange(tok: Token, cuts: number[], s: number, e: number): Range {
  const text = tok.bytes;
  let line = tok.range.start.line;
  let column = tok.range.start.column;
  let byte = tok.range.start.byte;
  let start: Pos | undefined;
  segmenter ??= new Intl.Segmenter(undefined, { granularity: "grapheme" });
  for (let k = 0; k + 1 < cuts.length; k++) {
    const a = cuts[k] ?? 0;
    const b = cuts[k + 1] ?? 0;
    if (a === s) start = { line, column, byte };
    if (a >= e) break;
    for (const seg of segmenter.segment(text.slice(a, b))) {
      const g = seg.segment;
      byte += Buffer.byteLength(g, "utf8");
      const c = g.charCodeAt(0);
      if (c === 10 || c === 13) {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
  }
  const end: Pos = { line, column, byte };
  return { filename: tok.range.filename, start: start ?? end, end };
}

/**
 * Decodes a QuotedLit (with escapes) or StringLit (without) token into its string value.
 */
export function decodeStringLiteralToken(tok: Token): DecodedString {
  const quoted = tok.type === "QuotedLit";
  const text = tok.bytes;
  const n = text.length;
  // Fast path: nothing to decode.
  let special = false;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 36 || c === 37 || (quoted && c === 92)) {
      special = true;
      break;
    }
  }
  if (!special) return { value: text, diagnostics: [] };

  const diagnostics: Diagnostic[] = [];
  // Boundaries of HCL's scanner slices, only needed to place diagnostics.
  const cuts: number[] = [0];
  const errAt = (s: number, e: number, detail: string): void => {
    // The cut list is complete up to e, which is all sliceRange looks at.
    const r = sliceRange(tok, [...cuts, e], s, e);
    diagnostics.push({ severity: "error", summary: "Invalid escape sequence", detail, subject: r });
  };
  const cut = (i: number): void => {
    if (cuts[cuts.length - 1] !== i) cuts.push(i);
  };

  let out = "";
  let lit = 0; // start of the pending literal run
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 36 || c === 37) {
      // "$", "$$" or "$${" (and the same with "%") are slices; only the three-character form is decoded.
      out += text.slice(lit, i);
      cut(i);
      let j = i + 1;
      if (text.charCodeAt(j) === c) {
        j++;
        if (text.charCodeAt(j) === 123) {
          j++;
          out += c === 36 ? "${" : "%{";
          cut(j);
          lit = i = j;
          continue;
        }
      }
      out += text.slice(i, j);
      cut(j);
      lit = i = j;
      continue;
    }
    if (quoted && c === 92) {
      out += text.slice(lit, i);
      cut(i);
      const sel = text.charCodeAt(i + 1);
      if (Number.isNaN(sel) || (sel >= 0xd800 && sel <= 0xdfff && text.codePointAt(i + 1) === sel)) {
        // A backslash with no selector character after it.
        errAt(i, i + 1, "Backslash must be followed by an escape sequence selector character.");
        out += "\\";
        cut(i + 1);
        lit = i = i + 1;
        continue;
      }
      if (sel === 117 || sel === 85) {
        // \u with up to four hex digits, \U with up to eight.
        const max = sel === 117 ? 4 : 8;
        let j = i + 2;
        while (j < n && j - (i + 2) < max && isHex(text.charCodeAt(j))) j++;
        cut(j);
        if (j - (i + 2) !== max) {
          errAt(
            i,
            j,
            sel === 117
              ? "The \\u escape sequence must be followed by four hexadecimal digits."
              : "The \\U escape sequence must be followed by eight hexadecimal digits.",
          );
          out += text.slice(i, j);
        } else {
          const num = Number.parseInt(text.slice(i + 2, j), 16);
          if ((num >= 0xd800 && num <= 0xdfff) || num > 0x10ffff) {
            errAt(i, j, `Cannot encode character U+${num.toString(16).padStart(4, "0")} in UTF-8.`);
            out += text.slice(i, j);
          } else {
            out += String.fromCodePoint(num);
          }
        }
        lit = i = j;
        continue;
      }
      const width = sel >= 0xd800 && sel <= 0xdbff && (text.codePointAt(i + 1) ?? 0) > 0xffff ? 2 : 1;
      const j = i + 1 + width;
      cut(j);
      switch (sel) {
        case 110:
          out += "\n";
          break;
        case 114:
          out += "\r";
          break;
        case 116:
          out += "\t";
          break;
        case 34:
          out += '"';
          break;
        case 92:
          out += "\\";
          break;
        default: {
          const symbol = text.slice(i + 1, j);
          errAt(i, j, `The symbol ${goQuote(symbol)} is not a valid escape sequence selector.`);
          out += symbol;
        }
      }
      lit = i = j;
      continue;
    }
    if (c === 10 || c === 13) {
      // Newlines are slices of their own ("\r\n" is one).
      out += text.slice(lit, i);
      cut(i);
      const j = c === 13 && text.charCodeAt(i + 1) === 10 ? i + 2 : i + 1;
      out += text.slice(i, j);
      cut(j);
      lit = i = j;
      continue;
    }
    i++;
  }
  out += text.slice(lit, n);
  return { value: out, diagnostics };
}
