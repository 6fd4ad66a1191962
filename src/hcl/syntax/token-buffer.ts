/**
 * Compact storage for scanned tokens. Per token only its type code and its UTF-16 offsets [start, end) are
 * stored (three typed arrays); positions (line, column, byte) are computed from offsets when a range is
 * asked for (see SourcePositions), and Token objects are made only on request. The parser reads tokens by
 * index through this buffer, so a large file costs neither a hundred thousand token objects nor a Range
 * for every token that no AST node keeps (which made garbage collection dominate parsing).
 */
import type { Pos, Range } from "../diagnostic.js";
import { SourcePositions } from "./positions.js";
import type { Token, TokenType } from "./token.js";
import { FIRST_INVALID_CODE, type Tk, TYPE_NAMES } from "./token-codes.js";

const RANGE_CACHE = 16; // ranges of recently asked tokens, by token index (a power of two)

export class TokenBuffer {
  readonly src: string;
  readonly filename: string;
  /** Number of tokens; the last one is always EOF once scanning is done. */
  length = 0;
  /** Number of tokens of error-only types. */
  invalidCount = 0;
  /** types[i] is the Tk code of token i; starts[i] and ends[i] its UTF-16 offsets [start, end) in src. */
  types: Uint8Array;
  starts: Int32Array;
  ends: Int32Array;
  private readonly positions: SourcePositions;
  private readonly rangeIdx = new Int32Array(RANGE_CACHE).fill(-1);
  private readonly rangeObj: (Range | undefined)[] = new Array(RANGE_CACHE).fill(undefined);

  /**
   * `start` is the position of src[0]; `begin` is the offset scanning starts at (1 after a byte order mark,
   * which moves byte offsets by 3 but not columns).
   */
  constructor(src: string, filename: string, start: Pos, begin: number) {
    this.src = src;
    this.filename = filename;
    const guess = Math.max(16, (src.length >> 2) + 8);
    this.types = new Uint8Array(guess);
    this.starts = new Int32Array(guess);
    this.ends = new Int32Array(guess);
    this.positions = new SourcePositions(this, start, begin);
  }

  /** Appends a token of type `code` covering src[s, e). */
  push(code: Tk, s: number, e: number): void {
    const i = this.length;
    if (i === this.types.length) this.grow();
    this.types[i] = code;
    this.starts[i] = s;
    this.ends[i] = e;
    this.length = i + 1;
    if (code >= FIRST_INVALID_CODE) this.invalidCount++;
  }

  private grow(): void {
    const size = this.types.length * 2;
    const types = new Uint8Array(size);
    types.set(this.types);
    this.types = types;
    const starts = new Int32Array(size);
    starts.set(this.starts);
    this.starts = starts;
    const ends = new Int32Array(size);
    ends.set(this.ends);
    this.ends = ends;
  }

  typeAt(i: number): TokenType {
    return TYPE_NAMES[this.types[i] as number] as TokenType;
  }

  bytesAt(i: number): string {
    return this.src.slice(this.starts[i] as number, this.ends[i] as number);
  }

  /** The range of token i. Asking again for a recent token returns the same object. */
  rangeAt(i: number): Range {
    const slot = i & (RANGE_CACHE - 1);
    if (this.rangeIdx[slot] === i) return this.rangeObj[slot] as Range;
    const r: Range = {
      filename: this.filename,
      start: this.positions.at(this.starts[i] as number),
      end: this.positions.at(this.ends[i] as number),
    };
    this.rangeIdx[slot] = i;
    this.rangeObj[slot] = r;
    return r;
  }

  /** The start position of token i. */
  startPos(i: number): Pos {
    return this.positions.at(this.starts[i] as number);
  }

  /** The end position of token i. */
  endPos(i: number): Pos {
    return this.positions.at(this.ends[i] as number);
  }

  /** The range from the start of token a to the end of token b, without making either token's range. */
  spanOf(a: number, b: number): Range {
    return {
      filename: this.filename,
      start: this.positions.at(this.starts[a] as number),
      end: this.positions.at(this.ends[b] as number),
    };
  }

  /** Token i as an object (for diagnostics and the lexer's public results). */
  token(i: number): Token {
    return { type: this.typeAt(i), bytes: this.bytesAt(i), range: this.rangeAt(i) };
  }

  /** All tokens as objects; a token that starts where the previous one ends shares its position object. */
  toTokens(): Token[] {
    const out: Token[] = new Array(this.length);
    for (let i = 0; i < this.length; i++) {
      const s = this.starts[i] as number;
      const e = this.ends[i] as number;
      out[i] = {
        type: TYPE_NAMES[this.types[i] as number] as TokenType,
        bytes: this.src.slice(s, e),
        range: { filename: this.filename, start: this.positions.at(s), end: this.positions.at(e) },
      };
    }
    return out;
  }
}
