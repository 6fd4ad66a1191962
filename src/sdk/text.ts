/**
 * Small text helpers with Go semantics, used wherever output must match Packer's byte for byte.
 */

import { goQuote, trimRightGoSpace } from "../hcl/index.js";

/** Go's unicode.IsSpace, strings.TrimRightFunc(s, unicode.IsSpace) and strconv.Quote (fmt's %q). */
export { goQuote, isGoSpace, trimRightGoSpace as trimRightSpace } from "../hcl/index.js";

/**
 * Packer's RemoteCmd.cleanOutputLine: trailing whitespace (the newline included) is dropped, then everything up
 * to the last carriage return, since a terminal would have overwritten it.
 */
export function cleanOutputLine(line: string): string {
  const trimmed = trimRightGoSpace(line);
  const cr = trimmed.lastIndexOf("\r");
  return cr >= 0 ? trimmed.slice(cr + 1) : trimmed;
}

/** Go's fmt %#v of a []string, as Packer logs machine-readable records: `[]string{"a", "b"}`. */
export function goStringSlice(items: readonly string[]): string {
  return `[]string{${items.map(goQuote).join(", ")}}`;
}

/**
 * Splits a stream of text chunks into lines. Each complete line is passed to `onLine` with its `\n` (and any
 * `\r` before it) removed; `end()` flushes a final line that had no newline. Byte chunks are decoded as UTF-8
 * without breaking characters split across chunks.
 */
export class LineSplitter {
  private buffer = "";
  private readonly decoder = new TextDecoder("utf-8");

  constructor(private readonly onLine: (line: string) => void) {}

  write(chunk: string | Uint8Array): void {
    this.buffer += typeof chunk === "string" ? chunk : this.decoder.decode(chunk, { stream: true });
    let nl = this.buffer.indexOf("\n");
    while (nl >= 0) {
      let line = this.buffer.slice(0, nl);
      if (line.endsWith("\r")) line = line.slice(0, -1);
      this.buffer = this.buffer.slice(nl + 1);
      this.onLine(line);
      nl = this.buffer.indexOf("\n");
    }
  }

  end(): void {
    this.buffer += this.decoder.decode();
    if (this.buffer !== "") {
      const line = this.buffer.endsWith("\r") ? this.buffer.slice(0, -1) : this.buffer;
      this.buffer = "";
      this.onLine(line);
    }
  }
}
