/**
 * Renders diagnostics as text exactly like HCL's diagnostic text writer (hcl.NewDiagnosticTextWriter), which
 * is what Packer prints for configuration errors:
 *
 *     Error: <summary>
 *
 *       on <file> line <N>, in <block header>:
 *        <N>: <source line>
 *
 *     <detail, word-wrapped to the width>
 *
 * Packer uses width 80 and no color, then prints one more newline after all of them (its UI's line end);
 * that last newline is the caller's, not part of this output.
 */
import type { Diagnostic, Pos, Range } from "./diagnostic.js";
import { type Body, goQuote, isGoSpace, parseConfig } from "./syntax/index.js";

export interface RenderOptions {
  /** ANSI colors: red "Error", yellow "Warning", bold underlined subject. Default false. */
  readonly color?: boolean;
  /** Wrap details at this many characters; 0 (the default) does not wrap. Packer uses 80. */
  readonly width?: number;
  /**
   * The "in ..." context for a byte offset of a file (HCL's ContextString), or "" for none. By default,
   * files whose name does not end in ".json" are parsed as native syntax and the enclosing top-level block
   * header is used, like `source "docker" "x"`.
   */
  readonly contextString?: (filename: string, byteOffset: number) => string;
}

/** Renders each diagnostic in turn, concatenated. */
export function renderDiagnostics(
  diags: readonly Diagnostic[],
  files: ReadonlyMap<string, string>,
  opts: RenderOptions = {},
): string {
  const cache = new Map<string, FileInfo>();
  let out = "";
  for (const d of diags) out += render(d, files, opts, cache);
  return out;
}

/** Renders one diagnostic. */
export function renderDiagnostic(
  d: Diagnostic,
  files: ReadonlyMap<string, string>,
  opts: RenderOptions = {},
): string {
  return render(d, files, opts, new Map());
}

/**
 * HCL's native-syntax ContextString: the header of the top-level block containing the offset, like
 * `source "docker" "x"`, or "" outside any block.
 */
export function blockContextString(body: Body, byteOffset: number): string {
  for (const block of body.blocks) {
    const r = block.srcRange;
    if (byteOffset >= r.start.byte && byteOffset < r.end.byte) {
      let s = block.type;
      for (const label of block.labels) s += ` ${goQuote(label)}`;
      return s;
    }
  }
  return "";
}

interface FileInfo {
  bytes: Buffer;
  body: Body | undefined;
}

function fileInfo(name: string, src: string, cache: Map<string, FileInfo>): FileInfo {
  let info = cache.get(name);
  if (info === undefined) {
    info = { bytes: Buffer.from(src, "utf8"), body: undefined };
    cache.set(name, info);
  }
  return info;
}

function isEmpty(r: Range): boolean {
  return r.start.byte === r.end.byte;
}

function containsOffset(r: Range, offset: number): boolean {
  return offset >= r.start.byte && offset < r.end.byte;
}

/** hcl.Range.Overlaps */
function overlaps(a: Range, b: Range): boolean {
  if (a.filename !== b.filename || isEmpty(a) || isEmpty(b)) return false;
  return (
    containsOffset(a, b.start.byte) ||
    containsOffset(a, b.end.byte) ||
    containsOffset(b, a.start.byte) ||
    containsOffset(b, a.end.byte)
  );
}

/** hcl.RangeOver: the smallest range covering both, where an empty range does not count. */
function rangeOver(a: Range, b: Range): Range {
  if (isEmpty(a)) return b;
  if (isEmpty(b)) return a;
  return {
    filename: a.filename,
    start: a.start.byte < b.start.byte ? a.start : b.start,
    end: a.end.byte > b.end.byte ? a.end : b.end,
  };
}

function widen(r: Range): Range {
  if (!isEmpty(r)) return r;
  const end: Pos = { line: r.end.line, column: r.end.column + 1, byte: r.end.byte + 1 };
  return { filename: r.filename, start: r.start, end };
}

interface Line {
  range: Range;
  /** The line's text without its line ending. */
  text: Buffer;
}

let segmenter: Intl.Segmenter | undefined;

/** The lines of a file as HCL's RangeScanner with bufio.ScanLines reports them. */
function* scanLines(bytes: Buffer, filename: string): Generator<Line> {
  let pos: Pos = { line: 1, column: 1, byte: 0 };
  const n = bytes.length;
  while (pos.byte < n) {
    const nl = bytes.indexOf(10, pos.byte);
    const advanceEnd = nl < 0 ? n : nl + 1;
    let tokenEnd = nl < 0 ? n : nl;
    if (tokenEnd > pos.byte && bytes[tokenEnd - 1] === 13) tokenEnd--;
    const tokenLen = tokenEnd - pos.byte;
    const start = pos;
    let end = pos;
    let cur = pos;
    let advanced = 0;
    segmenter ??= new Intl.Segmenter(undefined, { granularity: "grapheme" });
    for (const seg of segmenter.segment(bytes.toString("utf8", pos.byte, advanceEnd))) {
      const len = Buffer.byteLength(seg.segment, "utf8");
      const c = seg.segment.charCodeAt(0);
      cur =
        c === 13 || c === 10
          ? { line: cur.line + 1, column: 1, byte: cur.byte + len }
          : { line: cur.line, column: cur.column + 1, byte: cur.byte + len };
      if (advanced < tokenLen) end = cur;
      advanced += len;
    }
    yield { range: { filename, start, end }, text: bytes.subarray(start.byte, tokenEnd) };
    pos = cur;
  }
}

function render(
  d: Diagnostic,
  files: ReadonlyMap<string, string>,
  opts: RenderOptions,
  cache: Map<string, FileInfo>,
): string {
  const color = opts.color === true;
  let colorCode = "";
  let highlightCode = "";
  let resetCode = "";
  if (color) {
    colorCode = d.severity === "error" ? "\x1b[31m" : "\x1b[33m";
    resetCode = "\x1b[0m";
    highlightCode = "\x1b[1;4m";
  }
  const severity = d.severity === "error" ? "Error" : "Warning";
  let out = `${colorCode}${severity}${resetCode}: ${d.summary}\n\n`;

  const subject = d.subject;
  if (subject !== undefined) {
    const snip = widen(d.context !== undefined ? rangeOver(subject, d.context) : subject);
    const highlight = widen(subject);
    const src = files.get(subject.filename);
    if (src === undefined) {
      out += `  on ${subject.filename} line ${subject.start.line}:\n  (source code not available)\n\n`;
    } else {
      const info = fileInfo(subject.filename, src, cache);
      let context = contextFor(subject.filename, src, subject.start.byte, info, opts);
      if (context !== "") context = `, in ${context}`;
      out += `  on ${subject.filename} line ${subject.start.line}${context}:\n`;
      const bytes = info.bytes;
      for (const line of scanLines(bytes, subject.filename)) {
        if (!overlaps(line.range, snip)) continue;
        const num = String(line.range.start.line).padStart(4, " ");
        const overlap = overlaps(line.range, highlight)
          ? {
              start: Math.max(line.range.start.byte, highlight.start.byte),
              end: Math.min(line.range.end.byte, highlight.end.byte),
            }
          : undefined;
        if (overlap === undefined || overlap.start === overlap.end) {
          out += `${num}: ${line.text.toString("utf8")}\n`;
        } else {
          const before = slice(bytes, line.range.start.byte, overlap.start);
          const highlighted = slice(bytes, overlap.start, overlap.end);
          const after = slice(bytes, overlap.end, line.range.end.byte);
          out += `${num}: ${before}${highlightCode}${highlighted}${resetCode}${after}\n`;
        }
      }
      out += "\n";
    }
  }

  if (d.detail !== undefined && d.detail !== "") {
    const width = opts.width ?? 0;
    out += `${width > 0 ? wrapString(d.detail, width) : d.detail}\n\n`;
  }
  return out;
}

/** hcl.Range.SliceBytes: clamps out-of-range offsets rather than failing. */
function slice(bytes: Buffer, start: number, end: number): string {
  const n = bytes.length;
  const s = Math.min(Math.max(start, 0), n);
  const e = Math.max(Math.min(Math.max(end, 0), n), s);
  return bytes.toString("utf8", s, e);
}

function contextFor(
  filename: string,
  src: string,
  offset: number,
  info: FileInfo,
  opts: RenderOptions,
): string {
  if (opts.contextString !== undefined) return opts.contextString(filename, offset);
  if (filename.endsWith(".json")) return "";
  if (info.body === undefined) info.body = parseConfig(src, filename).body;
  return blockContextString(info.body, offset);
}

/**
 * Word-wraps text at `lim` characters the way github.com/mitchellh/go-wordwrap does: breaks at spaces (not
 * at non-breaking spaces), keeps existing newlines, and never splits a word longer than the limit.
 */
export function wrapString(s: string, lim: number): string {
  let buf = "";
  let current = 0;
  let wordBuf = "";
  let spaceBuf = "";
  let wordLen = 0;
  let spaceLen = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (ch === "\n") {
      if (wordBuf.length === 0) {
        if (current + spaceLen > lim) {
          current = 0;
        } else {
          current += spaceLen;
          buf += spaceBuf;
        }
        spaceBuf = "";
        spaceLen = 0;
      } else {
        current += spaceLen + wordLen;
        buf += spaceBuf + wordBuf;
        spaceBuf = "";
        spaceLen = 0;
        wordBuf = "";
        wordLen = 0;
      }
      buf += ch;
      current = 0;
    } else if (c <= 0xffff && isGoSpace(c) && c !== 0xa0) {
      if (spaceBuf.length === 0 || wordBuf.length > 0) {
        current += spaceLen + wordLen;
        buf += spaceBuf + wordBuf;
        spaceBuf = "";
        spaceLen = 0;
        wordBuf = "";
        wordLen = 0;
      }
      spaceBuf += ch;
      spaceLen++;
    } else {
      wordBuf += ch;
      wordLen++;
      if (current + wordLen + spaceLen > lim && wordLen < lim) {
        buf += "\n";
        current = 0;
        spaceBuf = "";
        spaceLen = 0;
      }
    }
  }
  if (wordBuf.length === 0) {
    if (current + spaceLen <= lim) buf += spaceBuf;
  } else {
    buf += spaceBuf + wordBuf;
  }
  return buf;
}
