/**
 * Packer's UnixReader, for scripts uploaded without `binary`: every line ends in `\n` (a `\r` before it is
 * dropped), including the last line, which gets a `\n` when it has none.
 */
export function toUnixLines(content: Buffer<ArrayBufferLike>): Buffer<ArrayBufferLike> {
  if (content.length === 0) return content;
  const parts: Buffer[] = [];
  let start = 0;
  const nl = Buffer.from("\n");
  while (start < content.length) {
    let end = content.indexOf(10, start);
    const last = end < 0;
    if (last) end = content.length;
    let lineEnd = end;
    if (lineEnd > start && content[lineEnd - 1] === 13) lineEnd--;
    parts.push(content.subarray(start, lineEnd), nl);
    start = end + 1;
  }
  return Buffer.concat(parts);
}
