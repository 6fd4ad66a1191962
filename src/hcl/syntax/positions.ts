/**
 * Positions (line, column, byte) of token boundaries, computed on demand from UTF-16 offsets.
 *
 * The contract is the lexer's (and HCL's scanner's):
 * - lines end at "\n" ("\r\n" is one line end; a lone "\r" is an ordinary character);
 * - `byte` counts UTF-8 bytes, a lone surrogate counting 3 (as the U+FFFD it stands for would);
 * - `column` counts grapheme clusters within each token, segmented token by token, plus one for each space
 *   or tab between tokens. On a line of plain ASCII that is just the distance from the line start, so only
 *   lines with other characters need the tokens and a segmenter.
 *
 * Only offsets that are token boundaries may be asked for (columns are defined per token). The line table
 * and the table of non-ASCII runs are built once, on the first request.
 */
import type { Pos } from "../diagnostic.js";
import type { TokenBuffer } from "./token-buffer.js";
import { Tk } from "./token-codes.js";

const POS_CACHE = 256; // recently made positions, by offset (a power of two)

/** By token code: 1 for the types that never contain a line feed (everything but text that may span lines). */
const SINGLE_LINE = new Uint8Array(256).fill(1);
for (const code of [Tk.Newline, Tk.Comment, Tk.OHeredoc, Tk.StringLit, Tk.QuotedNewline, Tk.Invalid]) {
  SINGLE_LINE[code] = 0;
}

let segmenter: Intl.Segmenter | undefined;

/** Grapheme clusters in src[s, e). */
function graphemeCount(src: string, s: number, e: number): number {
  let ascii = true;
  for (let k = s; k < e; k++) {
    if (src.charCodeAt(k) >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) return e - s;
  segmenter ??= new Intl.Segmenter(undefined, { granularity: "grapheme" });
  let count = 0;
  for (const _ of segmenter.segment(src.slice(s, e))) count++;
  return count;
}

/** UTF-8 bytes beyond one per UTF-16 code unit in src[s, e), which must not split a surrogate pair. */
function extraUtf8Bytes(src: string, s: number, e: number): number {
  let extra = 0;
  for (let k = s; k < e; k++) {
    const c = src.charCodeAt(k);
    if (c < 0x80) continue;
    if (c < 0x800) {
      extra += 1;
    } else if (c >= 0xd800 && c <= 0xdbff && k + 1 < e) {
      const d = src.charCodeAt(k + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        // A pair: two code units, four bytes.
        extra += 2;
        k++;
      } else {
        extra += 2;
      }
    } else {
      extra += 2;
    }
  }
  return extra;
}

/** The largest index k in [0, n) with a[k] <= x, or -1. */
function lastAtOrBelow(a: ArrayLike<number>, n: number, x: number): number {
  let lo = 0;
  let hi = n - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((a[mid] as number) <= x) lo = mid + 1;
    else hi = mid - 1;
  }
  return hi;
}

export class SourcePositions {
  private readonly buf: TokenBuffer;
  private readonly src: string;
  private readonly firstLine: number;
  private readonly firstColumn: number;
  /** Offset of the first scanned character, and its byte position. */
  private readonly begin: number;
  private readonly beginByte: number;

  private built = false;
  /** lineStarts[k] is the offset where line k (counted from the first) begins. */
  private lineStarts: Int32Array = new Int32Array(0);
  private lastLine = 0;
  /**
   * Only when the text has non-ASCII characters: whether each line has some (1 or 0), and the UTF-8 bytes
   * beyond one per code unit before each line's start.
   */
  private lineMixed: Uint8Array | undefined;
  private lineExtra: Int32Array | undefined;
  /** The maximal runs of non-ASCII code units [runStarts[r], runEnds[r]), and the extra bytes before each. */
  private runStarts: number[] = [];
  private runEnds: number[] = [];
  private runExtra: number[] = [];
  private totalExtra = 0;
  /** The last offset measured inside a run, and the extra bytes before it (requests mostly move forward). */
  private cursorOffset = -1;
  private cursorExtra = 0;

  private readonly cacheOffset = new Int32Array(POS_CACHE).fill(-1);
  private readonly cachePos: (Pos | undefined)[] = new Array(POS_CACHE).fill(undefined);

  /** Columns of the token boundaries on the lines with non-ASCII text measured so far, by offset. */
  private readonly columns = new Map<number, number>();
  private measured: Uint8Array | undefined;

  constructor(buf: TokenBuffer, start: Pos, begin: number) {
    this.buf = buf;
    this.src = buf.src;
    this.firstLine = start.line;
    this.firstColumn = start.column;
    this.begin = begin;
    // A byte order mark (the only thing before `begin`) is three bytes.
    this.beginByte = start.byte + (begin > 0 ? 3 : 0);
  }

  /** The position of `offset`, a token boundary. Equal offsets asked for close together share one object. */
  at(offset: number): Pos {
    const slot = offset & (POS_CACHE - 1);
    if (this.cacheOffset[slot] === offset) return this.cachePos[slot] as Pos;
    if (!this.built) this.build();
    const k = this.lineOf(offset);
    const lineStart = this.lineStarts[k] as number;
    let byte = this.beginByte + (offset - this.begin);
    let column: number;
    const mixed = this.lineMixed;
    if (mixed === undefined || mixed[k] === 0) {
      column = (k === 0 ? this.firstColumn : 1) + (offset - lineStart);
      if (mixed !== undefined) byte += this.lineExtra?.[k] as number;
    } else {
      byte += this.extraBytesBefore(offset);
      column = this.columnOnMixedLine(k, offset);
    }
    const pos: Pos = { line: this.firstLine + k, column, byte };
    this.cacheOffset[slot] = offset;
    this.cachePos[slot] = pos;
    return pos;
  }

  private build(): void {
    this.built = true;
    const src = this.src;
    const starts = this.lineStartsFromTokens();
    this.lineStarts = starts;
    // Runs of non-ASCII code units; a run never holds "\n", so it lies within one line.
    const re = /[^\x00-\x7f]+/g;
    re.lastIndex = this.begin;
    let m = re.exec(src);
    if (m === null) return;
    const n = starts.length;
    const mixed = new Uint8Array(n);
    const extraIn = new Int32Array(n);
    let k = 0;
    let total = 0;
    for (; m !== null; m = re.exec(src)) {
      const s = m.index;
      const e = s + m[0].length;
      while (k + 1 < n && (starts[k + 1] as number) <= s) k++;
      const extra = extraUtf8Bytes(src, s, e);
      mixed[k] = 1;
      extraIn[k] = (extraIn[k] as number) + extra;
      this.runStarts.push(s);
      this.runEnds.push(e);
      this.runExtra.push(total);
      total += extra;
    }
    this.totalExtra = total;
    // From extra bytes within each line to extra bytes before each line.
    let before = 0;
    for (let j = 0; j < n; j++) {
      const inLine = extraIn[j] as number;
      extraIn[j] = before;
      before += inLine;
    }
    this.lineMixed = mixed;
    this.lineExtra = extraIn;
  }

  /**
   * UTF-8 bytes beyond one per code unit in [begin, offset): a binary search over the runs, then a scan within
   * the run holding the offset, continued from the last such scan when it is in the same run and before.
   */
  private extraBytesBefore(offset: number): number {
    const r = lastAtOrBelow(this.runStarts, this.runStarts.length, offset - 1);
    if (r < 0) return 0;
    const runStart = this.runStarts[r] as number;
    const runEnd = this.runEnds[r] as number;
    const before = this.runExtra[r] as number;
    // Past the run: the extra bytes before the next run (or all of them).
    if (offset >= runEnd)
      return r + 1 < this.runExtra.length ? (this.runExtra[r + 1] as number) : this.totalExtra;
    let from = runStart;
    let extra = before;
    if (this.cursorOffset >= runStart && this.cursorOffset <= offset) {
      from = this.cursorOffset;
      extra = this.cursorExtra;
    }
    extra += extraUtf8Bytes(this.src, from, offset);
    this.cursorOffset = offset;
    this.cursorExtra = extra;
    return extra;
  }

  /**
   * Where each line starts. Every "\n" belongs to some token (gaps hold only spaces and tabs), so only the
   * tokens that can hold one are searched: a Newline token ends with its "\n", and the few types that can
   * span lines are scanned; SINGLE_LINE lists the types the lexer never puts a "\n" into.
   */
  private lineStartsFromTokens(): Int32Array {
    const buf = this.buf;
    const src = this.src;
    const types = buf.types;
    const count = buf.length;
    let starts = new Int32Array(64);
    starts[0] = this.begin;
    let n = 1;
    for (let i = 0; i < count; i++) {
      const type = types[i] as number;
      if (SINGLE_LINE[type] === 1) continue;
      const e = buf.ends[i] as number;
      // A Newline token's "\n" is its last character; other tokens are searched.
      let lf = type === Tk.Newline ? e - 1 : src.indexOf("\n", buf.starts[i] as number);
      while (lf >= 0 && lf < e) {
        if (n === starts.length) {
          const bigger = new Int32Array(n * 2);
          bigger.set(starts);
          starts = bigger;
        }
        starts[n++] = lf + 1;
        if (type === Tk.Newline) break;
        lf = src.indexOf("\n", lf + 1);
      }
    }
    return starts.subarray(0, n);
  }

  /** The line index of an offset; requests mostly move forward a little, so the last answer is tried first. */
  private lineOf(offset: number): number {
    const starts = this.lineStarts;
    const n = starts.length;
    let k = this.lastLine;
    if ((starts[k] as number) <= offset) {
      if (k + 1 >= n || offset < (starts[k + 1] as number)) return k;
      if (k + 2 >= n || offset < (starts[k + 2] as number)) {
        this.lastLine = k + 1;
        return k + 1;
      }
    }
    k = lastAtOrBelow(starts, n, offset);
    if (k < 0) k = 0;
    this.lastLine = k;
    return k;
  }

  /** The column of a token boundary on line k, which holds non-ASCII text: the line's tokens are measured. */
  private columnOnMixedLine(k: number, offset: number): number {
    this.measured ??= new Uint8Array(this.lineStarts.length);
    if (this.measured[k] === 0) {
      this.measured[k] = 1;
      this.measureLine(k);
    }
    const col = this.columns.get(offset);
    if (col !== undefined) return col;
    // Not a token boundary (outside the contract): the best estimate, segmenting the line as one piece.
    const lineStart = this.lineStarts[k] as number;
    return (k === 0 ? this.firstColumn : 1) + graphemeCount(this.src, lineStart, offset);
  }

  /** Records the column of every token boundary on line k (the offsets from its start up to its end). */
  private measureLine(k: number): void {
    const buf = this.buf;
    const src = this.src;
    const lineStart = this.lineStarts[k] as number;
    const last = k + 1 === this.lineStarts.length;
    // Where the next line starts (just after this line's "\n"); that offset belongs to the next line.
    const lineEnd = last ? src.length : (this.lineStarts[k + 1] as number);
    const cols = this.columns;
    let col = k === 0 ? this.firstColumn : 1;
    let pos = lineStart;
    // The first token that ends after the line start (it may have begun on an earlier line).
    let j = lastAtOrBelow(buf.ends, buf.length, lineStart) + 1;
    for (; j < buf.length; j++) {
      const ts = buf.starts[j] as number;
      if (ts > lineEnd || (ts === lineEnd && !last)) break;
      const s = Math.max(ts, lineStart);
      // Between tokens there are only spaces and tabs, one column each.
      if (s > pos) col += s - pos;
      cols.set(s, col);
      const te = buf.ends[j] as number;
      const e = Math.min(te, lineEnd);
      // Clusters never cross a line end, so measuring the token's part on this line counts the same clusters.
      col += graphemeCount(src, s, e);
      pos = e;
      if (e < lineEnd || last) cols.set(e, col);
    }
  }
}
