/**
 * Small text helpers with Go semantics, used wherever output must match Packer's byte for byte.
 */

/** Go's unicode.IsSpace (Latin-1 spaces plus the Unicode White_Space property). */
export function isGoSpace(cp: number): boolean {
  switch (cp) {
    case 0x09:
    case 0x0a:
    case 0x0b:
    case 0x0c:
    case 0x0d:
    case 0x20:
    case 0x85:
    case 0xa0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202f:
    case 0x205f:
    case 0x3000:
      return true;
    default:
      return cp >= 0x2000 && cp <= 0x200a;
  }
}

/** Go's strings.TrimRightFunc(s, unicode.IsSpace). */
export function trimRightSpace(s: string): string {
  let end = s.length;
  while (end > 0) {
    const code = s.charCodeAt(end - 1);
    // No Go space is outside the BMP, so a low surrogate ends the scan.
    if (!isGoSpace(code)) break;
    end--;
  }
  return s.slice(0, end);
}

/**
 * Packer's RemoteCmd.cleanOutputLine: trailing whitespace (the newline included) is dropped, then everything up
 * to the last carriage return, since a terminal would have overwritten it.
 */
export function cleanOutputLine(line: string): string {
  const trimmed = trimRightSpace(line);
  const cr = trimmed.lastIndexOf("\r");
  return cr >= 0 ? trimmed.slice(cr + 1) : trimmed;
}

/**
 * Go's strconv.Quote (fmt's %q and, for strings, %#v): double quotes, C escapes for control characters, \u or
 * \U escapes for other non-printable runes. Printable is approximated by Unicode categories L, M, N, P, S and
 * the ASCII space.
 */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    switch (ch) {
      case '"':
        out += '\\"';
        continue;
      case "\\":
        out += "\\\\";
        continue;
      case "\x07":
        out += "\\a";
        continue;
      case "\b":
        out += "\\b";
        continue;
      case "\f":
        out += "\\f";
        continue;
      case "\n":
        out += "\\n";
        continue;
      case "\r":
        out += "\\r";
        continue;
      case "\t":
        out += "\\t";
        continue;
      case "\v":
        out += "\\v";
        continue;
    }
    if (cp < 0x20 || cp === 0x7f) {
      out += `\\x${cp.toString(16).padStart(2, "0")}`;
    } else if (cp === 0x20 || /[\p{L}\p{M}\p{N}\p{P}\p{S}]/u.test(ch)) {
      out += ch;
    } else if (cp < 0x10000) {
      out += `\\u${cp.toString(16).padStart(4, "0")}`;
    } else {
      out += `\\U${cp.toString(16).padStart(8, "0")}`;
    }
  }
  return `${out}"`;
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
