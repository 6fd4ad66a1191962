/**
 * Token cursor for the parser, like hclsyntax's peeker: comments are skipped, newlines are skipped or kept
 * depending on a stack of modes, and a single-line comment (which includes its newline) counts as a
 * newline when newlines are kept, with the comment's whole range.
 */
import type { Range } from "../diagnostic.js";
import type { Token, TokenType } from "./token.js";
import type { TokenBuffer } from "./token-buffer.js";

const CACHE = 16; // recently used token objects, by index (a power of two)

export class Peeker {
  private readonly buf: TokenBuffer;
  nextIndex = 0;
  private readonly includeNewlinesStack: boolean[] = [true];
  // The index after the token found by the last scan.
  private scanNext = 0;
  private readonly cacheIdx = new Int32Array(CACHE).fill(-1);
  private readonly cacheTok: Token[] = new Array(CACHE);
  private fakeIdx = -1;
  private fakeTok: Token | undefined;

  constructor(buf: TokenBuffer) {
    this.buf = buf;
  }

  peek(): Token {
    return this.scan();
  }

  read(): Token {
    const tok = this.scan();
    this.nextIndex = this.scanNext;
    return tok;
  }

  nextRange(): Range {
    return this.peek().range;
  }

  /** The range of the last token read (or of the next token, before anything was read). */
  prevRange(): Range {
    if (this.nextIndex === 0) return this.nextRange();
    return this.tokenAt(this.nextIndex - 1).range;
  }

  /** The raw index of the token peek() returns. */
  peekIndex(): number {
    this.scan();
    return this.scanNext - 1;
  }

  /** The type of the raw token at index i (no skipping); EOF past the end. */
  rawTypeAt(i: number): TokenType {
    return i < this.buf.length ? this.buf.typeAt(i) : "EOF";
  }

  pushIncludeNewlines(include: boolean): void {
    this.includeNewlinesStack.push(include);
  }

  popIncludeNewlines(): void {
    this.includeNewlinesStack.pop();
  }

  private tokenAt(i: number): Token {
    const slot = i & (CACHE - 1);
    if (this.cacheIdx[slot] === i) return this.cacheTok[slot] as Token;
    const tok = this.buf.view(i);
    this.cacheIdx[slot] = i;
    this.cacheTok[slot] = tok;
    return tok;
  }

  private scan(): Token {
    const buf = this.buf;
    const n = buf.length;
    const include = this.includeNewlinesStack[this.includeNewlinesStack.length - 1] ?? true;
    for (let i = this.nextIndex; i < n; i++) {
      const type = buf.typeAt(i);
      if (type === "Comment") {
        if (include && buf.lastCharAt(i) === 10) {
          if (this.fakeIdx !== i || this.fakeTok === undefined) {
            this.fakeIdx = i;
            this.fakeTok = { type: "Newline", bytes: "\n", range: this.tokenAt(i).range };
          }
          this.scanNext = i + 1;
          return this.fakeTok;
        }
        continue;
      }
      if (type === "Newline" && !include) continue;
      this.scanNext = i + 1;
      return this.tokenAt(i);
    }
    this.scanNext = n;
    return this.tokenAt(n - 1);
  }
}
