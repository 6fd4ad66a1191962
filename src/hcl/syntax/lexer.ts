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
 * The scanner records only each token's type and offsets (TokenBuffer); positions are computed from offsets
 * when asked for (positions.ts): `byte` counts UTF-8 bytes, `column` counts grapheme clusters within each
 * token (gaps between tokens contain only spaces and tabs, one column each), "\n" and "\r\n" end a line.
 */
import type { Diagnostic, Pos, Range } from "../diagnostic.js";
import { isGoSpace } from "./go-compat.js";
import type { Token, TokenType } from "./token.js";
import { TokenBuffer } from "./token-buffer.js";
import { FIRST_INVALID_CODE, Tk } from "./token-codes.js";

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
  const buf = scanTokens(src, filename, start, false);
  const tokens = buf.toTokens();
  return { tokens, diagnostics: buf.invalidCount === 0 ? [] : checkInvalidTokens(tokens) };
}

/** Scans a standalone expression (hclsyntax.LexExpression); the same scanner state as a config file. */
export function lexExpression(src: string, filename: string, start: Pos = DEFAULT_START): LexResult {
  return lexConfig(src, filename, start);
}

/** Scans a bare template, as used for strings in HCL's JSON syntax (hclsyntax.LexTemplate). */
export function lexTemplate(src: string, filename: string, start: Pos = DEFAULT_START): LexResult {
  const buf = scanTokens(src, filename, start, true);
  const tokens = buf.toTokens();
  return { tokens, diagnostics: buf.invalidCount === 0 ? [] : checkInvalidTokens(tokens) };
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

// ---------------------------------------------------------------------------------------------------------
// The scanner

interface HeredocInProgress {
  marker: string;
  startOfLine: boolean;
}

/** ASCII characters that start (letters, "_") and continue (also digits, "-") an identifier. */
const ASCII_IDENT_START = new Uint8Array(128);
const ASCII_IDENT_CONTINUE = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  ASCII_IDENT_START[c] = isIdentStart(c) ? 1 : 0;
  ASCII_IDENT_CONTINUE[c] = isIdentContinue(c) ? 1 : 0;
}

/** The single-character tokens of the main state by char code (-1: none). */
const SELF_TOKENS = new Int8Array(128).fill(-1);
for (const [ch, code] of [
  ["[", Tk.OBrack],
  ["]", Tk.CBrack],
  ["(", Tk.OParen],
  [")", Tk.CParen],
  [".", Tk.Dot],
  [",", Tk.Comma],
  ["*", Tk.Star],
  ["/", Tk.Slash],
  ["%", Tk.Percent],
  ["+", Tk.Plus],
  ["-", Tk.Minus],
  ["=", Tk.Equal],
  ["<", Tk.LessThan],
  [">", Tk.GreaterThan],
  ["!", Tk.Bang],
  ["?", Tk.Question],
  [":", Tk.Colon],
  ["&", Tk.BitwiseAnd],
  ["|", Tk.BitwiseOr],
  ["~", Tk.BitwiseNot],
  ["^", Tk.BitwiseXor],
  [";", Tk.Semicolon],
  ["`", Tk.Backtick],
  ["'", Tk.Apostrophe],
] as const) {
  SELF_TOKENS[ch.charCodeAt(0)] = code;
}

class Scanner {
  readonly buf: TokenBuffer;
  private readonly src: string;
  private readonly n: number;
  /** Offset where scanning starts (after a byte order mark). */
  private readonly begin: number;

  private mode: Mode;
  private readonly stack: Mode[] = [];
  private braces = 0;
  private readonly retBraces: number[] = [];
  private readonly heredocs: HeredocInProgress[] = [];

  constructor(src: string, filename: string, start: Pos, template: boolean) {
    // A leading byte order mark is skipped: it moves byte offsets but not columns (see positions.ts).
    const begin = src.charCodeAt(0) === 0xfeff ? 1 : 0;
    this.src = src;
    this.buf = new TokenBuffer(src, filename, start, begin);
    this.n = src.length;
    this.begin = begin;
    this.mode = template ? Mode.Bare : Mode.Main;
  }

  run(): TokenBuffer {
    const n = this.n;
    let i = this.begin;
    while (i < n) {
      let next: number;
      switch (this.mode) {
        case Mode.Main:
          next = this.scanMainRun(i);
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
        this.emit(this.mode === Mode.Bare && this.stack.length === 0 ? Tk.StringLit : Tk.Invalid, i, n);
        break;
      }
      i = next;
    }
    this.emit(Tk.EOF, n, n);
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
  private emit(code: Tk, s: number, e: number): number {
    this.buf.push(code, s, e);
    return e;
  }

  // --- main state ----------------------------------------------------------------------------------------

  /**
   * Main-state tokens from i for as long as the state stays Main, with the commonest cases (spaces, newlines,
   * ASCII identifiers) handled inline. Returns where it stopped.
   */
  private scanMainRun(i: number): number {
    const src = this.src;
    const n = this.n;
    const buf = this.buf;
    while (i < n) {
      const c = src.charCodeAt(i);
      if (c === Ch.Space || c === Ch.Tab) {
        // Skipped: positions are computed from offsets, and gaps hold only spaces and tabs.
        i++;
      } else if (c < 128 && ASCII_IDENT_START[c] === 1) {
        const e = this.identEnd(i + 1);
        buf.push(Tk.Ident, i, e);
        i = e;
      } else if (c === Ch.LF) {
        buf.push(Tk.Newline, i, i + 1);
        i++;
      } else {
        i = this.scanMain(i);
        if (this.mode !== Mode.Main) break;
      }
    }
    return i;
  }

  /** One main-state token (or run of spaces) at i; returns its end. */
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
        return this.emit(Tk.Newline, i, i + 1);
      case Ch.CR:
        if (c1 === Ch.LF) return this.emit(Tk.Newline, i, i + 2);
        return this.emit(Tk.Invalid, i, i + 1);
      case Ch.Hash:
        return this.emit(Tk.Comment, i, this.lineCommentEnd(i + 1));
      case Ch.Slash:
        if (c1 === Ch.Slash) return this.emit(Tk.Comment, i, this.lineCommentEnd(i + 2));
        if (c1 === Ch.Star) {
          const close = src.indexOf("*/", i + 2);
          if (close >= 0) return this.emit(Tk.Comment, i, close + 2);
        }
        return this.emit(Tk.Slash, i, i + 1);
      case Ch.Eq:
        if (c1 === Ch.Eq) return this.emit(Tk.EqualOp, i, i + 2);
        if (c1 === Ch.Gt) return this.emit(Tk.FatArrow, i, i + 2);
        return this.emit(Tk.Equal, i, i + 1);
      case Ch.Bang:
        if (c1 === Ch.Eq) return this.emit(Tk.NotEqual, i, i + 2);
        return this.emit(Tk.Bang, i, i + 1);
      case Ch.Gt:
        if (c1 === Ch.Eq) return this.emit(Tk.GreaterThanEq, i, i + 2);
        return this.emit(Tk.GreaterThan, i, i + 1);
      case Ch.Lt: {
        if (c1 === Ch.Eq) return this.emit(Tk.LessThanEq, i, i + 2);
        if (c1 === Ch.Lt) {
          const end = this.heredocIntroEnd(i);
          if (end > 0) return this.beginHeredoc(i, end);
        }
        return this.emit(Tk.LessThan, i, i + 1);
      }
      case Ch.Amp:
        if (c1 === Ch.Amp) return this.emit(Tk.And, i, i + 2);
        return this.emit(Tk.BitwiseAnd, i, i + 1);
      case Ch.Pipe:
        if (c1 === Ch.Pipe) return this.emit(Tk.Or, i, i + 2);
        return this.emit(Tk.BitwiseOr, i, i + 1);
      case Ch.Colon:
        if (c1 === Ch.Colon) return this.emit(Tk.DoubleColon, i, i + 2);
        return this.emit(Tk.Colon, i, i + 1);
      case Ch.Dot:
        if (c1 === Ch.Dot && i + 2 < n && src.charCodeAt(i + 2) === Ch.Dot)
          return this.emit(Tk.Ellipsis, i, i + 3);
        return this.emit(Tk.Dot, i, i + 1);
      case Ch.LBrace:
        this.braces++;
        return this.emit(Tk.OBrace, i, i + 1);
      case Ch.RBrace: {
        const top = this.retBraces[this.retBraces.length - 1];
        if (top !== undefined && top === this.braces) {
          const e = this.emit(Tk.TemplateSeqEnd, i, i + 1);
          this.braces--;
          this.retBraces.pop();
          this.ret();
          return e;
        }
        this.braces--;
        return this.emit(Tk.CBrace, i, i + 1);
      }
      case Ch.Tilde: {
        if (c1 !== Ch.RBrace) return this.emit(Tk.BitwiseNot, i, i + 1);
        const top = this.retBraces[this.retBraces.length - 1];
        const e = this.emit(Tk.TemplateSeqEnd, i, i + 2);
        this.braces--;
        if (top !== undefined && top === this.braces + 1) {
          this.retBraces.pop();
          this.ret();
        }
        return e;
      }
      case Ch.DQuote: {
        const e = this.emit(Tk.OQuote, i, i + 1);
        this.call(Mode.String);
        return e;
      }
      default:
        break;
    }
    if (isDigit(c)) return this.emit(Tk.NumberLit, i, this.numberEnd(i));
    const self = c < 128 ? (SELF_TOKENS[c] as number) : -1;
    if (self >= 0) return this.emit(self, i, i + 1);
    const cp = codePointAt(src, i);
    if (isIdentStart(cp)) return this.emit(Tk.Ident, i, this.identEnd(i + (cp > 0xffff ? 2 : 1)));
    if (isLoneSurrogate(cp)) return this.emit(Tk.BadUTF8, i, i + 1);
    return this.emit(Tk.Invalid, i, i + (cp > 0xffff ? 2 : 1));
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
        if (ASCII_IDENT_CONTINUE[c] === 1) {
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
    const e = this.emit(Tk.OHeredoc, i, end);
    this.heredocs.push({ marker: src.slice(ms, me), startOfLine: true });
    this.call(Mode.Heredoc);
    return e;
  }

  // --- template states ------------------------------------------------------------------------------------

  private beginSequence(code: Tk.TemplateInterp | Tk.TemplateControl, i: number, e: number): number {
    const end = this.emit(code, i, e);
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
        return this.beginSequence(c === Ch.Dollar ? Tk.TemplateInterp : Tk.TemplateControl, i, e);
      }
      if (c1 === c && src.charCodeAt(i + 2) === Ch.LBrace) {
        // `$${` / `%%{`: an escaped sequence introducer, kept literal.
        const e = src.charCodeAt(i + 3) === Ch.Tilde ? i + 4 : i + 3;
        return this.emit(Tk.QuotedLit, i, e);
      }
      // A lone `$` or `%` at the very end is still one (invalid) character.
      return this.emit(i + 1 < n ? Tk.QuotedLit : Tk.Invalid, i, i + 1);
    }
    if (c === Ch.DQuote) {
      const e = this.emit(Tk.CQuote, i, i + 1);
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
      return this.emit(Tk.QuotedNewline, i, j);
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
    if (j > i) return this.emit(Tk.QuotedLit, i, j);
    const cp = codePointAt(src, i);
    if (isLoneSurrogate(cp)) return this.emit(Tk.BadUTF8, i, i + 1);
    // A backslash before a newline or the end of input.
    return this.emit(Tk.Invalid, i, i + (cp > 0xffff ? 2 : 1));
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
        return this.beginSequence(c === Ch.Dollar ? Tk.TemplateInterp : Tk.TemplateControl, i, e);
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
    if (isLoneSurrogate(codePointAt(src, i))) return this.emit(Tk.BadUTF8, i, i + 1);
    // A carriage return that does not start "\r\n".
    return -1;
  }

  private literal(heredoc: boolean, s: number, e: number, endsLine: boolean): number {
    if (!heredoc) return this.emit(Tk.StringLit, s, e);
    const doc = this.heredocs[this.heredocs.length - 1];
    if (doc === undefined) return this.emit(Tk.StringLit, s, e);
    if (!endsLine) {
      doc.startOfLine = false;
      return this.emit(Tk.StringLit, s, e);
    }
    if (doc.startOfLine && this.isMarkerLine(s, e, doc.marker)) {
      let nls = e - 1;
      if (this.src.charCodeAt(nls - 1) === Ch.CR) nls--;
      this.emit(Tk.CHeredoc, s, nls);
      this.emit(Tk.Newline, nls, e);
      this.heredocs.pop();
      this.ret();
      return e;
    }
    doc.startOfLine = true;
    return this.emit(Tk.StringLit, s, e);
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

function err(summary: string, detail: string, subject: Range): Diagnostic {
  return { severity: "error", summary, detail, subject };
}

/**
 * Reports tokens that may never appear in HCL source, limiting repetition of the same message as HCL does.
 */
export function checkInvalidTokens(tokens: readonly Token[]): Diagnostic[] {
  const report = new InvalidTokenReport();
  for (const tok of tokens) {
    if (ERROR_ONLY.has(tok.type)) report.add(tok);
  }
  return report.diags;
}

/** checkInvalidTokens over compact storage: only tokens that need a diagnostic become objects. */
export function checkInvalidTokenBuffer(buf: TokenBuffer): Diagnostic[] {
  if (buf.invalidCount === 0) return [];
  const report = new InvalidTokenReport();
  const types = buf.types;
  for (let i = 0; i < buf.length; i++) {
    if ((types[i] as number) >= FIRST_INVALID_CODE) report.add(buf.token(i));
  }
  return report.diags;
}

const ERROR_ONLY: ReadonlySet<TokenType> = new Set<TokenType>([
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

/** The diagnostics for error-only tokens, fed in source order. */
class InvalidTokenReport {
  readonly diags: Diagnostic[] = [];
  private toldBitwise = 0;
  private toldExponent = 0;
  private toldBacktick = 0;
  private toldApostrophe = 0;
  private toldSemicolon = 0;
  private toldTabs = 0;
  private toldBadUTF8 = 0;

  add(tok: Token): void {
    const diags = this.diags;
    switch (tok.type) {
      case "BitwiseAnd":
      case "BitwiseOr":
      case "BitwiseXor":
      case "BitwiseNot":
        if (this.toldBitwise < 4) {
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
          this.toldBitwise++;
        }
        break;
      case "StarStar":
        if (this.toldExponent < 1) {
          diags.push(
            err(
              "Unsupported operator",
              '"**" is not a supported operator. Exponentiation is not supported as an operator.',
              tok.range,
            ),
          );
          this.toldExponent++;
        }
        break;
      case "Backtick":
        if (this.toldBacktick % 2 === 0) {
          diags.push(
            err(
              "Invalid character",
              'The "`" character is not valid. To create a multi-line string, use the "heredoc" syntax, like "<<EOT".',
              tok.range,
            ),
          );
        }
        if (this.toldBacktick <= 2) this.toldBacktick++;
        break;
      case "Apostrophe":
        if (this.toldApostrophe % 2 === 0) {
          diags.push(
            err(
              "Invalid character",
              'Single quotes are not valid. Use double quotes (") to enclose strings.',
              tok.range,
            ),
          );
        }
        if (this.toldApostrophe <= 2) this.toldApostrophe++;
        break;
      case "Semicolon":
        if (this.toldSemicolon < 1) {
          diags.push(
            err(
              "Invalid character",
              'The ";" character is not valid. Use newlines to separate arguments and blocks, and commas to separate items in collection values.',
              tok.range,
            ),
          );
          this.toldSemicolon++;
        }
        break;
      case "Tabs":
        if (this.toldTabs < 1) {
          diags.push(
            err(
              "Invalid character",
              "Tab characters may not be used. The recommended indentation style is two spaces per indent.",
              tok.range,
            ),
          );
          this.toldTabs++;
        }
        break;
      case "BadUTF8":
        if (this.toldBadUTF8 < 1) {
          diags.push(
            err(
              "Invalid character encoding",
              "All input files must be UTF-8 encoded. Ensure that UTF-8 encoding is selected in your editor.",
              tok.range,
            ),
          );
          this.toldBadUTF8++;
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
}
