/**
 * The native-syntax scanner: turns source text into the tokens of token.ts, with exact ranges.
 *
 * Behaviour follows hclsyntax's scanner (a Ragel longest-match machine) including its quirks, because the
 * formatter reproduces source from these tokens and diagnostics quote their ranges:
 * - Spaces and tabs between tokens are skipped; every other character belongs to exactly one token.
 * - Single-line comments include their trailing newline; an unterminated `/*` is not a comment (it scans as
 *   Slash, Star, ...).
 * - Quoted templates: literal text is split at each `$`/`%` (`$${` and `%%{` stay literal and are decoded by
 *   the parser); a backslash escapes the next character; newlines become QuotedNewline tokens.
 * - Heredocs and bare templates are split into one StringLit per line; a heredoc ends at a line whose trimmed
 *   text is the marker and that is followed by a newline (the marker is CHeredoc, its newline a Newline).
 * - Where the scanner cannot continue (a lone carriage return inside a heredoc, a `$` at the very end of a
 *   heredoc) the rest of the input becomes one Invalid token (StringLit at the top of a bare template).
 * - Lone UTF-16 surrogates play the role of malformed UTF-8: each becomes a BadUTF8 token.
 *
 * Positions: `byte` counts UTF-8 bytes, `column` counts grapheme clusters within each token (gaps between
 * tokens contain only spaces and tabs, one column each), "\n" and "\r\n" end a line.
 */
import type { Diagnostic, Pos, Range } from "../diagnostic.js";
import { isGoSpace } from "./go-compat.js";
import type { Token, TokenType } from "./token.js";
import { TokenBuffer } from "./token-buffer.js";

enum Mode {
  Main = 0,
  String = 1,
  Heredoc = 2,
  Bare = 3,
}

enum Ch {
  Tab = 9,
  LF = 10,
  CR = 13,
  Space = 32,
  Bang = 33,
  DQuote = 34,
  Hash = 35,
  Dollar = 36,
  Percent = 37,
  Amp = 38,
  Apos = 39,
  LParen = 40,
  RParen = 41,
  Star = 42,
  Plus = 43,
  Comma = 44,
  Minus = 45,
  Dot = 46,
  Slash = 47,
  D0 = 48,
  D9 = 57,
  Colon = 58,
  Semi = 59,
  Lt = 60,
  Eq = 61,
  Gt = 62,
  Question = 63,
  UpperE = 69,
  LBrack = 91,
  Backslash = 92,
  RBrack = 93,
  Caret = 94,
  Underscore = 95,
  Backtick = 96,
  LowerE = 101,
  LBrace = 123,
  Pipe = 124,
  RBrace = 125,
  Tilde = 126,
}

export interface LexResult {
  tokens: Token[];
  diagnostics: Diagnostic[];
}

const DEFAULT_START: Pos = { line: 1, column: 1, byte: 0 };

/** Scans a whole configuration file (hclsyntax.LexConfig). */
export function lexConfig(src: string, filename: string, start: Pos = DEFAULT_START): LexResult {
  const tokens = scanTokens(src, filename, start, false).toTokens();
  return { tokens, diagnostics: checkInvalidTokens(tokens) };
}

/** Scans a standalone expression (hclsyntax.LexExpression); the same scanner state as a config file. */
export function lexExpression(src: string, filename: string, start: Pos = DEFAULT_START): LexResult {
  return lexConfig(src, filename, start);
}

/** Scans a bare template, as used for strings in HCL's JSON syntax (hclsyntax.LexTemplate). */
export function lexTemplate(src: string, filename: string, start: Pos = DEFAULT_START): LexResult {
  const tokens = scanTokens(src, filename, start, true).toTokens();
  return { tokens, diagnostics: checkInvalidTokens(tokens) };
}

/** Whether s is a valid HCL identifier (hclsyntax.ValidIdentifier). */
export function isValidIdentifier(s: string): boolean {
  if (s.length === 0) return false;
  const first = codePointAt(s, 0);
  if (!isIdentStart(first)) return false;
  let i = first > 0xffff ? 2 : 1;
  while (i < s.length) {
    const c = codePointAt(s, i);
    if (!isIdentContinue(c)) return false;
    i += c > 0xffff ? 2 : 1;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------------------
// Character classes

const ID_START_RE = /^\p{ID_Start}$/u;
const ID_CONTINUE_RE = /^\p{ID_Continue}$/u;

/** Code point at index i, or the lone surrogate's code unit; -1 past the end. */
function codePointAt(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (Number.isNaN(c)) return -1;
  if (c >= 0xd800 && c <= 0xdbff) {
    const d = s.charCodeAt(i + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
  }
  return c;
}

function isLoneSurrogate(cp: number): boolean {
  return cp >= 0xd800 && cp <= 0xdfff;
}

function isIdentStart(cp: number): boolean {
  if (cp < 0x80) return (cp >= 97 && cp <= 122) || (cp >= 65 && cp <= 90) || cp === Ch.Underscore;
  if (isLoneSurrogate(cp)) return false;
  return ID_START_RE.test(String.fromCodePoint(cp));
}

function isIdentContinue(cp: number): boolean {
  if (cp < 0x80) {
    return (
      (cp >= 97 && cp <= 122) ||
      (cp >= 65 && cp <= 90) ||
      (cp >= 48 && cp <= 57) ||
      cp === Ch.Underscore ||
      cp === Ch.Minus
    );
  }
  if (isLoneSurrogate(cp)) return false;
  return ID_CONTINUE_RE.test(String.fromCodePoint(cp));
}

function isDigit(c: number): boolean {
  return c >= Ch.D0 && c <= Ch.D9;
}

let segmenter: Intl.Segmenter | undefined;

// ---------------------------------------------------------------------------------------------------------
// The scanner

interface HeredocInProgress {
  marker: string;
  startOfLine: boolean;
}

/** The single-character tokens of the main state, indexed by char code. */
const SELF_TOKENS: (TokenType | undefined)[] = [];
for (const [ch, type] of [
  ["[", "OBrack"],
  ["]", "CBrack"],
  ["(", "OParen"],
  [")", "CParen"],
  [".", "Dot"],
  [",", "Comma"],
  ["*", "Star"],
  ["/", "Slash"],
  ["%", "Percent"],
  ["+", "Plus"],
  ["-", "Minus"],
  ["=", "Equal"],
  ["<", "LessThan"],
  [">", "GreaterThan"],
  ["!", "Bang"],
  ["?", "Question"],
  [":", "Colon"],
  ["&", "BitwiseAnd"],
  ["|", "BitwiseOr"],
  ["~", "BitwiseNot"],
  ["^", "BitwiseXor"],
  [";", "Semicolon"],
  ["`", "Backtick"],
  ["'", "Apostrophe"],
] as const) {
  SELF_TOKENS[ch.charCodeAt(0)] = type;
}

class Scanner {
  readonly buf: TokenBuffer;
  private readonly src: string;
  private readonly n: number;

  // Position reached by the last emitted token.
  private idx: number;
  private line: number;
  private column: number;
  private byte: number;

  private mode: Mode;
  private readonly stack: Mode[] = [];
  private braces = 0;
  private readonly retBraces: number[] = [];
  private readonly heredocs: HeredocInProgress[] = [];

  constructor(src: string, filename: string, start: Pos, template: boolean) {
    let begin = 0;
    let byte = start.byte;
    if (src.charCodeAt(0) === 0xfeff) {
      // A leading byte order mark is skipped: it moves byte offsets but not columns.
      begin = 1;
      byte += 3;
    }
    this.src = src;
    this.buf = new TokenBuffer(src, filename);
    this.n = src.length;
    this.idx = begin;
    this.line = start.line;
    this.column = start.column;
    this.byte = byte;
    this.mode = template ? Mode.Bare : Mode.Main;
  }

  run(): TokenBuffer {
    const n = this.n;
    let i = this.idx;
    while (i < n) {
      let next: number;
      switch (this.mode) {
        case Mode.Main:
          next = this.scanMain(i);
          break;
        case Mode.String:
          next = this.scanString(i);
          break;
        default:
          next = this.scanTemplateText(i);
          break;
      }
      if (next < 0) {
        // The machine has no transition here: the rest of the input is one token.
        const type: TokenType = this.mode === Mode.Bare && this.stack.length === 0 ? "StringLit" : "Invalid";
        this.emit(type, i, n);
        i = n;
        break;
      }
      i = next;
    }
    this.emit("EOF", n, n);
    return this.buf;
  }

  private call(mode: Mode): void {
    this.stack.push(this.mode);
    this.mode = mode;
  }

  private ret(): void {
    const m = this.stack.pop();
    this.mode = m ?? Mode.Main;
  }

  /** Emits the token [s, e) and returns e. */
  private emit(type: TokenType, s: number, e: number): number {
    const src = this.src;
    // The gap since the previous token holds only spaces and tabs.
    const gap = s - this.idx;
    const startLine = this.line;
    const startColumn = this.column + gap;
    const startByte = this.byte + gap;
    let line = startLine;
    let column = startColumn;
    let byte = startByte;
    let ascii = true;
    for (let k = s; k < e; k++) {
      const c = src.charCodeAt(k);
      if (c < 0x80) {
        byte++;
        if (c === Ch.LF) {
          line++;
          column = 1;
        } else if (c === Ch.CR && k + 1 < e && src.charCodeAt(k + 1) === Ch.LF) {
          // "\r\n" is one grapheme cluster; the "\n" ends the line.
        } else {
          column++;
        }
      } else {
        ascii = false;
        if (c < 0x800) {
          byte += 2;
        } else if (c >= 0xd800 && c <= 0xdbff) {
          const d = src.charCodeAt(k + 1);
          if (k + 1 < e && d >= 0xdc00 && d <= 0xdfff) {
            byte += 4;
            k++;
          } else {
            byte += 3;
          }
        } else {
          byte += 3;
        }
      }
    }
    if (!ascii) {
      line = startLine;
      column = startColumn;
      segmenter ??= new Intl.Segmenter(undefined, { granularity: "grapheme" });
      for (const seg of segmenter.segment(src.slice(s, e))) {
        const g = seg.segment;
        if (g === "\n" || g === "\r\n") {
          line++;
          column = 1;
        } else {
          column++;
        }
      }
    }
    this.buf.push(type, s, e, startLine, startColumn, startByte, line, column, byte);
    this.idx = e;
    this.line = line;
    this.column = column;
    this.byte = byte;
    return e;
  }

  // --- main state ----------------------------------------------------------------------------------------

  private scanMain(i: number): number {
    const src = this.src;
    const n = this.n;
    const c = src.charCodeAt(i);
    const c1 = i + 1 < n ? src.charCodeAt(i + 1) : -1;
    switch (c) {
      case Ch.Space:
      case Ch.Tab: {
        let j = i + 1;
        while (j < n) {
          const d = src.charCodeAt(j);
          if (d !== Ch.Space && d !== Ch.Tab) break;
          j++;
        }
        // Skipped: the next token's start accounts for the gap.
        return j;
      }
      case Ch.LF:
        return this.emit("Newline", i, i + 1);
      case Ch.CR:
        if (c1 === Ch.LF) return this.emit("Newline", i, i + 2);
        return this.emit("Invalid", i, i + 1);
      case Ch.Hash:
        return this.emit("Comment", i, this.lineCommentEnd(i + 1));
      case Ch.Slash:
        if (c1 === Ch.Slash) return this.emit("Comment", i, this.lineCommentEnd(i + 2));
        if (c1 === Ch.Star) {
          const close = src.indexOf("*/", i + 2);
          if (close >= 0) return this.emit("Comment", i, close + 2);
        }
        return this.emit("Slash", i, i + 1);
      case Ch.Eq:
        if (c1 === Ch.Eq) return this.emit("EqualOp", i, i + 2);
        if (c1 === Ch.Gt) return this.emit("FatArrow", i, i + 2);
        return this.emit("Equal", i, i + 1);
      case Ch.Bang:
        if (c1 === Ch.Eq) return this.emit("NotEqual", i, i + 2);
        return this.emit("Bang", i, i + 1);
      case Ch.Gt:
        if (c1 === Ch.Eq) return this.emit("GreaterThanEq", i, i + 2);
        return this.emit("GreaterThan", i, i + 1);
      case Ch.Lt: {
        if (c1 === Ch.Eq) return this.emit("LessThanEq", i, i + 2);
        if (c1 === Ch.Lt) {
          const end = this.heredocIntroEnd(i);
          if (end > 0) return this.beginHeredoc(i, end);
        }
        return this.emit("LessThan", i, i + 1);
      }
      case Ch.Amp:
        if (c1 === Ch.Amp) return this.emit("And", i, i + 2);
        return this.emit("BitwiseAnd", i, i + 1);
      case Ch.Pipe:
        if (c1 === Ch.Pipe) return this.emit("Or", i, i + 2);
        return this.emit("BitwiseOr", i, i + 1);
      case Ch.Colon:
        if (c1 === Ch.Colon) return this.emit("DoubleColon", i, i + 2);
        return this.emit("Colon", i, i + 1);
      case Ch.Dot:
        if (c1 === Ch.Dot && i + 2 < n && src.charCodeAt(i + 2) === Ch.Dot)
          return this.emit("Ellipsis", i, i + 3);
        return this.emit("Dot", i, i + 1);
      case Ch.LBrace:
        this.braces++;
        return this.emit("OBrace", i, i + 1);
      case Ch.RBrace: {
        const top = this.retBraces[this.retBraces.length - 1];
        if (top !== undefined && top === this.braces) {
          const e = this.emit("TemplateSeqEnd", i, i + 1);
          this.braces--;
          this.retBraces.pop();
          this.ret();
          return e;
        }
        this.braces--;
        return this.emit("CBrace", i, i + 1);
      }
      case Ch.Tilde: {
        if (c1 !== Ch.RBrace) return this.emit("BitwiseNot", i, i + 1);
        const top = this.retBraces[this.retBraces.length - 1];
        const e = this.emit("TemplateSeqEnd", i, i + 2);
        this.braces--;
        if (top !== undefined && top === this.braces + 1) {
          this.retBraces.pop();
          this.ret();
        }
        return e;
      }
      case Ch.DQuote: {
        const e = this.emit("OQuote", i, i + 1);
        this.call(Mode.String);
        return e;
      }
      default:
        break;
    }
    if (isDigit(c)) return this.emit("NumberLit", i, this.numberEnd(i));
    const self = SELF_TOKENS[c];
    if (self !== undefined) return this.emit(self, i, i + 1);
    const cp = codePointAt(src, i);
    if (isIdentStart(cp)) return this.emit("Ident", i, this.identEnd(i + (cp > 0xffff ? 2 : 1)));
    if (isLoneSurrogate(cp)) return this.emit("BadUTF8", i, i + 1);
    return this.emit("Invalid", i, i + (cp > 0xffff ? 2 : 1));
  }

  /** End of a `#` or `//` comment whose body starts at i: just after the first "\n", or the end of input. */
  private lineCommentEnd(i: number): number {
    const nl = this.src.indexOf("\n", i);
    return nl < 0 ? this.n : nl + 1;
  }

  private identEnd(i: number): number {
    const src = this.src;
    const n = this.n;
    while (i < n) {
      const c = src.charCodeAt(i);
      if (c < 0x80) {
        if (
          (c >= 97 && c <= 122) ||
          (c >= 65 && c <= 90) ||
          (c >= 48 && c <= 57) ||
          c === Ch.Underscore ||
          c === Ch.Minus
        ) {
          i++;
          continue;
        }
        return i;
      }
      const cp = codePointAt(src, i);
      if (!isIdentContinue(cp)) return i;
      i += cp > 0xffff ? 2 : 1;
    }
    return i;
  }

  /** A number: a digit, then digits, dots and exponents ("e", "E", optional sign, digit), not ending in ".". */
  private numberEnd(i: number): number {
    const src = this.src;
    const n = this.n;
    let j = i + 1;
    let good = j;
    while (j < n) {
      const c = src.charCodeAt(j);
      if (isDigit(c)) {
        j++;
        good = j;
      } else if (c === Ch.Dot) {
        j++;
      } else if (c === Ch.LowerE || c === Ch.UpperE) {
        let k = j + 1;
        const s = src.charCodeAt(k);
        if (s === Ch.Plus || s === Ch.Minus) k++;
        if (k < n && isDigit(src.charCodeAt(k))) {
          j = k + 1;
          good = j;
        } else {
          break;
        }
      } else {
        break;
      }
    }
    return good;
  }

  /** If a heredoc introducer `<<ID\n` or `<<-ID\r\n` starts at i, its end; otherwise -1. */
  private heredocIntroEnd(i: number): number {
    const src = this.src;
    let j = i + 2;
    if (src.charCodeAt(j) === Ch.Minus) j++;
    const cp = codePointAt(src, j);
    if (cp < 0 || !isIdentStart(cp)) return -1;
    j = this.identEnd(j + (cp > 0xffff ? 2 : 1));
    const c = src.charCodeAt(j);
    if (c === Ch.LF) return j + 1;
    if (c === Ch.CR && src.charCodeAt(j + 1) === Ch.LF) return j + 2;
    return -1;
  }

  private beginHeredoc(i: number, end: number): number {
    const src = this.src;
    let ms = i + 2;
    if (src.charCodeAt(ms) === Ch.Minus) ms++;
    let me = end - 1;
    if (src.charCodeAt(me - 1) === Ch.CR) me--;
    const e = this.emit("OHeredoc", i, end);
    this.heredocs.push({ marker: src.slice(ms, me), startOfLine: true });
    this.call(Mode.Heredoc);
    return e;
  }

  // --- template states ------------------------------------------------------------------------------------

  private beginSequence(type: "TemplateInterp" | "TemplateControl", i: number, e: number): number {
    const end = this.emit(type, i, e);
    this.braces++;
    this.retBraces.push(this.braces);
    const top = this.heredocs[this.heredocs.length - 1];
    if (top !== undefined) top.startOfLine = false;
    this.call(Mode.Main);
    return end;
  }

  /** Inside a quoted template. */
  private scanString(i: number): number {
    const src = this.src;
    const n = this.n;
    const c = src.charCodeAt(i);
    if (c === Ch.Dollar || c === Ch.Percent) {
      const c1 = src.charCodeAt(i + 1);
      if (c1 === Ch.LBrace) {
        const e = src.charCodeAt(i + 2) === Ch.Tilde ? i + 3 : i + 2;
        return this.beginSequence(c === Ch.Dollar ? "TemplateInterp" : "TemplateControl", i, e);
      }
      if (c1 === c && src.charCodeAt(i + 2) === Ch.LBrace) {
        // `$${` / `%%{`: an escaped sequence introducer, kept literal.
        const e = src.charCodeAt(i + 3) === Ch.Tilde ? i + 4 : i + 3;
        return this.emit("QuotedLit", i, e);
      }
      // A lone `$` or `%` at the very end is still one (invalid) character.
      return this.emit(i + 1 < n ? "QuotedLit" : "Invalid", i, i + 1);
    }
    if (c === Ch.DQuote) {
      const e = this.emit("CQuote", i, i + 1);
      this.ret();
      return e;
    }
    if (c === Ch.LF || c === Ch.CR) {
      let j = i + 1;
      while (j < n) {
        const d = src.charCodeAt(j);
        if (d !== Ch.LF && d !== Ch.CR) break;
        j++;
      }
      return this.emit("QuotedNewline", i, j);
    }
    // A run of literal characters, where a backslash takes the following character with it.
    let j = i;
    while (j < n) {
      const d = src.charCodeAt(j);
      if (d === Ch.Dollar || d === Ch.Percent || d === Ch.DQuote || d === Ch.LF || d === Ch.CR) break;
      if (d === Ch.Backslash) {
        const cp = codePointAt(src, j + 1);
        if (cp < 0 || cp === Ch.LF || cp === Ch.CR || isLoneSurrogate(cp)) break;
        j += cp > 0xffff ? 3 : 2;
        continue;
      }
      if (d >= 0xd800 && d <= 0xdfff) {
        const cp = codePointAt(src, j);
        if (isLoneSurrogate(cp)) break;
        j += 2;
        continue;
      }
      j++;
    }
    if (j > i) return this.emit("QuotedLit", i, j);
    const cp = codePointAt(src, i);
    if (isLoneSurrogate(cp)) return this.emit("BadUTF8", i, i + 1);
    // A backslash before a newline or the end of input.
    return this.emit("Invalid", i, i + (cp > 0xffff ? 2 : 1));
  }

  /** Length of the end-of-line sequence ("\n" or "\r\n") at i, or 0. */
  private eolLength(i: number): number {
    const c = this.src.charCodeAt(i);
    if (c === Ch.LF) return 1;
    if (c === Ch.CR && this.src.charCodeAt(i + 1) === Ch.LF) return 2;
    return 0;
  }

  /** Inside a heredoc or a bare template: literal text is split per line. Returns -1 where the scan fails. */
  private scanTemplateText(i: number): number {
    const src = this.src;
    const n = this.n;
    const heredoc = this.mode === Mode.Heredoc;
    const c = src.charCodeAt(i);
    let j: number;
    if (c === Ch.Dollar || c === Ch.Percent) {
      const c1 = src.charCodeAt(i + 1);
      if (c1 === Ch.LBrace) {
        const e = src.charCodeAt(i + 2) === Ch.Tilde ? i + 3 : i + 2;
        return this.beginSequence(c === Ch.Dollar ? "TemplateInterp" : "TemplateControl", i, e);
      }
      if (i + 1 >= n) return -1;
      if (c1 === c && src.charCodeAt(i + 2) === Ch.LBrace) {
        j = src.charCodeAt(i + 3) === Ch.Tilde ? i + 4 : i + 3;
      } else {
        // `$` and the next character form one literal token only when "\r" or "\n" directly follows them
        // (a quirk of the reference scanner, reproduced so token boundaries match).
        const c2 = src.charCodeAt(i + 2);
        const literalEnd = c1 < 0x80 && (c2 === Ch.LF || c2 === Ch.CR) ? i + 2 : i + 1;
        return this.literal(heredoc, i, literalEnd, false);
      }
    } else {
      j = i;
      while (j < n) {
        const d = src.charCodeAt(j);
        if (d === Ch.Dollar || d === Ch.Percent || d === Ch.LF || d === Ch.CR) break;
        if (d >= 0xd800 && d <= 0xdfff) {
          if (isLoneSurrogate(codePointAt(src, j))) break;
          j += 2;
          continue;
        }
        j++;
      }
    }
    const eol = this.eolLength(j);
    if (eol > 0) return this.literal(heredoc, i, j + eol, true);
    if (j > i) return this.literal(heredoc, i, j, false);
    if (isLoneSurrogate(codePointAt(src, i))) return this.emit("BadUTF8", i, i + 1);
    // A carriage return that does not start "\r\n".
    return -1;
  }

  private literal(heredoc: boolean, s: number, e: number, endsLine: boolean): number {
    if (!heredoc) return this.emit("StringLit", s, e);
    const doc = this.heredocs[this.heredocs.length - 1];
    if (doc === undefined) return this.emit("StringLit", s, e);
    if (!endsLine) {
      doc.startOfLine = false;
      return this.emit("StringLit", s, e);
    }
    if (doc.startOfLine && this.isMarkerLine(s, e, doc.marker)) {
      let nls = e - 1;
      if (this.src.charCodeAt(nls - 1) === Ch.CR) nls--;
      this.emit("CHeredoc", s, nls);
      this.emit("Newline", nls, e);
      this.heredocs.pop();
      this.ret();
      return e;
    }
    doc.startOfLine = true;
    return this.emit("StringLit", s, e);
  }

  private isMarkerLine(s: number, e: number, marker: string): boolean {
    const src = this.src;
    while (s < e && isGoSpace(src.charCodeAt(s))) s++;
    while (e > s && isGoSpace(src.charCodeAt(e - 1))) e--;
    return e - s === marker.length && src.startsWith(marker, s);
  }
}

/** Scans into compact storage (used by the parser); lexConfig and lexTemplate turn it into Token objects. */
export function scanTokens(src: string, filename: string, start: Pos, template: boolean): TokenBuffer {
  return new Scanner(src, filename, start, template).run();
}

// ---------------------------------------------------------------------------------------------------------
// Diagnostics for tokens that are never valid (hclsyntax's checkInvalidTokens)

const INVALID_TYPES: ReadonlySet<TokenType> = new Set<TokenType>([
  "BitwiseAnd",
  "BitwiseOr",
  "BitwiseXor",
  "BitwiseNot",
  "StarStar",
  "Backtick",
  "Apostrophe",
  "Semicolon",
  "Tabs",
  "BadUTF8",
  "QuotedNewline",
  "Invalid",
]);

function err(summary: string, detail: string, subject: Range): Diagnostic {
  return { severity: "error", summary, detail, subject };
}

/**
 * Reports tokens that may never appear in HCL source, limiting repetition of the same message as HCL does.
 */
export function checkInvalidTokens(tokens: readonly Token[]): Diagnostic[] {
  return checkInvalid(
    tokens.length,
    (i) => (tokens[i] as Token).type,
    (i) => tokens[i] as Token,
  );
}

/** checkInvalidTokens over compact storage: only tokens that need a diagnostic become objects. */
export function checkInvalidTokenBuffer(buf: TokenBuffer): Diagnostic[] {
  return checkInvalid(
    buf.length,
    (i) => buf.typeAt(i),
    (i) => buf.view(i),
  );
}

function checkInvalid(
  count: number,
  typeAt: (i: number) => TokenType,
  tokenAt: (i: number) => Token,
): Diagnostic[] {
  const diags: Diagnostic[] = [];
  let toldBitwise = 0;
  let toldExponent = 0;
  let toldBacktick = 0;
  let toldApostrophe = 0;
  let toldSemicolon = 0;
  let toldTabs = 0;
  let toldBadUTF8 = 0;
  for (let i = 0; i < count; i++) {
    const type = typeAt(i);
    if (!INVALID_TYPES.has(type)) continue;
    const tok = tokenAt(i);
    switch (type) {
      case "BitwiseAnd":
      case "BitwiseOr":
      case "BitwiseXor":
      case "BitwiseNot":
        if (toldBitwise < 4) {
          const suggestion =
            tok.type === "BitwiseAnd"
              ? ' Did you mean boolean AND ("&&")?'
              : tok.type === "BitwiseOr"
                ? ' Did you mean boolean OR ("||")?'
                : tok.type === "BitwiseNot"
                  ? ' Did you mean boolean NOT ("!")?'
                  : "";
          diags.push(
            err("Unsupported operator", `Bitwise operators are not supported.${suggestion}`, tok.range),
          );
          toldBitwise++;
        }
        break;
      case "StarStar":
        if (toldExponent < 1) {
          diags.push(
            err(
              "Unsupported operator",
              '"**" is not a supported operator. Exponentiation is not supported as an operator.',
              tok.range,
            ),
          );
          toldExponent++;
        }
        break;
      case "Backtick":
        if (toldBacktick % 2 === 0) {
          diags.push(
            err(
              "Invalid character",
              'The "`" character is not valid. To create a multi-line string, use the "heredoc" syntax, like "<<EOT".',
              tok.range,
            ),
          );
        }
        if (toldBacktick <= 2) toldBacktick++;
        break;
      case "Apostrophe":
        if (toldApostrophe % 2 === 0) {
          diags.push(
            err(
              "Invalid character",
              'Single quotes are not valid. Use double quotes (") to enclose strings.',
              tok.range,
            ),
          );
        }
        if (toldApostrophe <= 2) toldApostrophe++;
        break;
      case "Semicolon":
        if (toldSemicolon < 1) {
          diags.push(
            err(
              "Invalid character",
              'The ";" character is not valid. Use newlines to separate arguments and blocks, and commas to separate items in collection values.',
              tok.range,
            ),
          );
          toldSemicolon++;
        }
        break;
      case "Tabs":
        if (toldTabs < 1) {
          diags.push(
            err(
              "Invalid character",
              "Tab characters may not be used. The recommended indentation style is two spaces per indent.",
              tok.range,
            ),
          );
          toldTabs++;
        }
        break;
      case "BadUTF8":
        if (toldBadUTF8 < 1) {
          diags.push(
            err(
              "Invalid character encoding",
              "All input files must be UTF-8 encoded. Ensure that UTF-8 encoding is selected in your editor.",
              tok.range,
            ),
          );
          toldBadUTF8++;
        }
        break;
      case "QuotedNewline":
        diags.push(
          err(
            "Invalid multi-line string",
            'Quoted strings may not be split over multiple lines. To produce a multi-line string, either use the \\n escape to represent a newline character or use the "heredoc" multi-line template syntax.',
            tok.range,
          ),
        );
        break;
      case "Invalid":
        if (tok.bytes === "\u201c" || tok.bytes === "\u201d") {
          diags.push(
            err(
              "Invalid character",
              '"Curly quotes" are not valid here. These can sometimes be inadvertently introduced when sharing code via documents or discussion forums. It might help to replace the character with a "straight quote".',
              tok.range,
            ),
          );
        } else {
          diags.push(err("Invalid character", "This character is not used within the language.", tok.range));
        }
        break;
      default:
        break;
    }
  }
  return diags;
}
