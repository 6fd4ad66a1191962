/**
 * Converts the lexer's tokens into the formatter's tokens. The spaces before each token are recovered from
 * the byte offsets of the ranges: the gaps between tokens hold only spaces and tabs (one byte each), and each
 * is counted as one space, as hclwrite does (so a tab between tokens that formatting leaves alone becomes a
 * space). A leading byte order mark counts as gap too; formatting always replaces that gap.
 */
import type { Token } from "../syntax/token.js";
import type { WriterToken } from "./format-tokens.js";

export function writerTokens(tokens: readonly Token[]): WriterToken[] {
  const out: WriterToken[] = [];
  let lastEnd = 0;
  for (const tok of tokens) {
    // Tabs are whitespace between tokens, never a token of their own in the formatted stream.
    if (tok.type === "Tabs") continue;
    out.push({ type: tok.type, bytes: tok.bytes, spacesBefore: tok.range.start.byte - lastEnd });
    lastEnd = tok.range.end.byte;
  }
  return out;
}
