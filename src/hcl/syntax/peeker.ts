/**
 * Token cursor for the parser, like hclsyntax's peeker: comments are skipped, newlines are skipped or kept
 * depending on a stack of modes, and a single-line comment (which includes its newline) counts as a
 * newline when newlines are kept, with the comment's whole range.
 *
 * Tokens are named by their index in the TokenBuffer; no token objects are made. Types are Tk codes and are
 * the *effective* ones: a comment that stands for a newline has type Tk.Newline here, while its index (and so
 * its range) is the comment's.
 */
import type { Range } from "../diagnostic.js";
import type { TokenBuffer } from "./token-buffer.js";
import { Tk } from "./token-codes.js";

export class Peeker {
  private readonly buf: TokenBuffer;
  private readonly types: Uint8Array;
  private readonly count: number;
  /** The raw index of the next token to consider. */
  private nextIndex = 0;
  private readonly includeNewlinesStack: boolean[] = [true];
  private includeNewlines = true;
  // The last scan's result, valid while nextIndex and includeNewlines are what they were then.
  private scannedFrom = -1;
  private scannedInclude = true;
  private foundIndex = 0;
  private foundType: Tk = Tk.EOF;
  private lastReadType: Tk = Tk.EOF;

  /** `buf` must be completely scanned (it ends with EOF). */
  constructor(buf: TokenBuffer) {
    this.buf = buf;
    this.types = buf.types;
    this.count = buf.length;
  }

  /** The effective type of the next token. */
  peekType(): Tk {
    if (this.scannedFrom !== this.nextIndex || this.scannedInclude !== this.includeNewlines) this.scan();
    return this.foundType;
  }

  /** The raw index of the next token. */
  peekIndex(): number {
    if (this.scannedFrom !== this.nextIndex || this.scannedInclude !== this.includeNewlines) this.scan();
    return this.foundIndex;
  }

  /** Consumes the next token and returns its raw index. At the end, EOF is read again and again. */
  read(): number {
    if (this.scannedFrom !== this.nextIndex || this.scannedInclude !== this.includeNewlines) this.scan();
    const i = this.foundIndex;
    this.lastReadType = this.foundType;
    this.nextIndex = i + 1;
    return i;
  }

  /** The effective type of the token returned by the last read(). */
  readType(): Tk {
    return this.lastReadType;
  }

  /** Moves to raw index i, which must follow only tokens the caller has looked at itself. */
  seek(i: number): void {
    this.nextIndex = i;
  }

  /** The raw index of the token just before the cursor (or of the next token, before anything was read). */
  prevIndex(): number {
    return this.nextIndex === 0 ? this.peekIndex() : this.nextIndex - 1;
  }

  nextRange(): Range {
    return this.buf.rangeAt(this.peekIndex());
  }

  /** The range of the raw token just before the cursor (or of the next token, before anything was read). */
  prevRange(): Range {
    return this.buf.rangeAt(this.prevIndex());
  }

  pushIncludeNewlines(include: boolean): void {
    this.includeNewlinesStack.push(include);
    this.includeNewlines = include;
  }

  popIncludeNewlines(): void {
    const stack = this.includeNewlinesStack;
    stack.pop();
    this.includeNewlines = stack.length > 0 ? (stack[stack.length - 1] as boolean) : true;
  }

  private scan(): void {
    const types = this.types;
    const n = this.count;
    const include = this.includeNewlines;
    this.scannedFrom = this.nextIndex;
    this.scannedInclude = include;
    for (let i = this.nextIndex; i < n; i++) {
      const type = types[i] as Tk;
      if (type === Tk.Comment) {
        // Only single-line comments end with "\n".
        if (include && this.buf.src.charCodeAt((this.buf.ends[i] as number) - 1) === 10) {
          this.foundIndex = i;
          this.foundType = Tk.Newline;
          return;
        }
        continue;
      }
      if (type === Tk.Newline && !include) continue;
      this.foundIndex = i;
      this.foundType = type;
      return;
    }
    // Past the end: the last token, which is EOF.
    this.foundIndex = n - 1;
    this.foundType = types[n - 1] as Tk;
  }
}
