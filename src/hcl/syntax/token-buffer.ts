/**
 * Compact storage for scanned tokens: types and positions live in flat arrays, and Token objects are made
 * only when asked for. The parser reads tokens through this buffer so that a large file does not keep a
 * hundred thousand token objects alive while its AST is built (which made garbage collection dominate).
 */
import type { Pos, Range } from "../diagnostic.js";
import type { Token, TokenType } from "./token.js";

const FIELDS = 8; // start index, end index, start line/column/byte, end line/column/byte

// One small code per token type; the Record type makes the compiler check that every type has one.
const TYPE_CODE_OF: Record<TokenType, number> = {
  OBrace: 0,
  CBrace: 1,
  OBrack: 2,
  CBrack: 3,
  OParen: 4,
  CParen: 5,
  OQuote: 6,
  CQuote: 7,
  OHeredoc: 8,
  CHeredoc: 9,
  Star: 10,
  Slash: 11,
  Plus: 12,
  Minus: 13,
  Percent: 14,
  Equal: 15,
  EqualOp: 16,
  NotEqual: 17,
  LessThan: 18,
  LessThanEq: 19,
  GreaterThan: 20,
  GreaterThanEq: 21,
  And: 22,
  Or: 23,
  Bang: 24,
  Dot: 25,
  Comma: 26,
  DoubleColon: 27,
  Ellipsis: 28,
  FatArrow: 29,
  Question: 30,
  Colon: 31,
  TemplateInterp: 32,
  TemplateControl: 33,
  TemplateSeqEnd: 34,
  QuotedLit: 35,
  StringLit: 36,
  NumberLit: 37,
  Ident: 38,
  Comment: 39,
  Newline: 40,
  EOF: 41,
  BitwiseAnd: 42,
  BitwiseOr: 43,
  BitwiseNot: 44,
  BitwiseXor: 45,
  StarStar: 46,
  Apostrophe: 47,
  Backtick: 48,
  Semicolon: 49,
  Tabs: 50,
  Invalid: 51,
  BadUTF8: 52,
  QuotedNewline: 53,
};
const TYPE_NAMES: readonly TokenType[] = (Object.keys(TYPE_CODE_OF) as TokenType[]).sort(
  (x, y) => TYPE_CODE_OF[x] - TYPE_CODE_OF[y],
);

export class TokenBuffer {
  readonly src: string;
  readonly filename: string;
  length = 0;
  private types: Uint8Array;
  private data: Int32Array;
  // The last range made by rangeAt, so that the next token's range can share its end position.
  private lastRangeIdx = -1;
  private lastRange: Range | undefined;

  constructor(src: string, filename: string) {
    this.src = src;
    this.filename = filename;
    const guess = Math.max(64, src.length >> 2);
    this.types = new Uint8Array(guess);
    this.data = new Int32Array(FIELDS * guess);
  }

  push(
    type: TokenType,
    s: number,
    e: number,
    sl: number,
    sc: number,
    sb: number,
    el: number,
    ec: number,
    eb: number,
  ): void {
    const k = this.length * FIELDS;
    if (k + FIELDS > this.data.length) {
      const bigger = new Int32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
      const biggerTypes = new Uint8Array(this.types.length * 2);
      biggerTypes.set(this.types);
      this.types = biggerTypes;
    }
    const d = this.data;
    d[k] = s;
    d[k + 1] = e;
    d[k + 2] = sl;
    d[k + 3] = sc;
    d[k + 4] = sb;
    d[k + 5] = el;
    d[k + 6] = ec;
    d[k + 7] = eb;
    this.types[this.length] = TYPE_CODE_OF[type];
    this.length++;
  }

  typeAt(i: number): TokenType {
    return TYPE_NAMES[this.types[i] as number] as TokenType;
  }

  bytesAt(i: number): string {
    const k = i * FIELDS;
    return this.src.slice(this.data[k] as number, this.data[k + 1] as number);
  }

  /** The last character of token i, as a char code (NaN for an empty token). */
  lastCharAt(i: number): number {
    const k = i * FIELDS;
    const e = this.data[k + 1] as number;
    return e > (this.data[k] as number) ? this.src.charCodeAt(e - 1) : Number.NaN;
  }

  rangeAt(i: number): Range {
    const d = this.data;
    const k = i * FIELDS;
    const prev = this.lastRange;
    const start: Pos =
      prev !== undefined &&
      this.lastRangeIdx === i - 1 &&
      prev.end.byte === d[k + 4] &&
      prev.end.column === d[k + 3]
        ? prev.end
        : { line: d[k + 2] as number, column: d[k + 3] as number, byte: d[k + 4] as number };
    const r: Range = {
      filename: this.filename,
      start,
      end: { line: d[k + 5] as number, column: d[k + 6] as number, byte: d[k + 7] as number },
    };
    this.lastRangeIdx = i;
    this.lastRange = r;
    return r;
  }

  /** All tokens as objects; consecutive tokens with no space between them share the position object. */
  toTokens(): Token[] {
    const out: Token[] = new Array(this.length);
    const d = this.data;
    let prevEnd: Pos | undefined;
    for (let i = 0; i < this.length; i++) {
      const k = i * FIELDS;
      const sb = d[k + 4] as number;
      const start: Pos =
        prevEnd !== undefined &&
        prevEnd.byte === sb &&
        prevEnd.line === d[k + 2] &&
        prevEnd.column === d[k + 3]
          ? prevEnd
          : { line: d[k + 2] as number, column: d[k + 3] as number, byte: sb };
      const end: Pos = { line: d[k + 5] as number, column: d[k + 6] as number, byte: d[k + 7] as number };
      out[i] = {
        type: TYPE_NAMES[this.types[i] as number] as TokenType,
        bytes: this.src.slice(d[k] as number, d[k + 1] as number),
        range: { filename: this.filename, start, end },
      };
      prevEnd = end;
    }
    return out;
  }

  /** A Token for index i whose bytes and range are computed on first use. */
  view(i: number): Token {
    return new TokenView(this, i);
  }
}

class TokenView implements Token {
  readonly type: TokenType;
  private readonly buf: TokenBuffer;
  private readonly i: number;
  private r: Range | undefined;
  private b: string | undefined;

  constructor(buf: TokenBuffer, i: number) {
    this.buf = buf;
    this.i = i;
    this.type = buf.typeAt(i);
  }

  get bytes(): string {
    if (this.b === undefined) this.b = this.buf.bytesAt(this.i);
    return this.b;
  }

  get range(): Range {
    if (this.r === undefined) this.r = this.buf.rangeAt(this.i);
    return this.r;
  }
}
