/**
 * `packer fmt` for one file of HCL native syntax: the canonical layout that hclwrite.Format produces, byte for
 * byte. As Packer does, a file with syntax errors is not formatted: its diagnostics are returned instead.
 */
import type { Diagnostic } from "../diagnostic.js";
import { hasErrors } from "../diagnostic.js";
import { lexConfig } from "../syntax/lexer.js";
import { parseConfig } from "../syntax/parser.js";
import { type FormatStyle, formatTokens, PACKER_166_STYLE, tokensToString } from "./format-tokens.js";
import { writerTokens } from "./writer-tokens.js";

export interface FormatOptions {
  /** Release-specific spacing choices; the default is Packer 1.6.6's. */
  readonly style?: FormatStyle;
}

export interface FormatResult {
  /** The formatted text; the input unchanged when `diagnostics` has errors. */
  readonly output: string;
  readonly diagnostics: Diagnostic[];
}

/**
 * Formats `src`. `filename` names the file in diagnostics. Never throws. The output keeps every token's text
 * (including CRLF line endings, heredoc bodies and quoted literals) and changes only the spaces between them.
 */
export function formatHCL(src: string, filename: string, options: FormatOptions = {}): FormatResult {
  // Packer parses the file first (hclparse.ParseHCL) and refuses to format it on any error.
  const { diagnostics } = parseConfig(src, filename);
  if (hasErrors(diagnostics)) return { output: src, diagnostics };
  const { tokens } = lexConfig(src, filename);
  return { output: formatSource(tokens, options.style), diagnostics };
}

/** Formats an already-lexed token stream without checking it for errors (hclwrite.Format on tokens). */
export function formatSource(
  tokens: Parameters<typeof writerTokens>[0],
  style: FormatStyle = PACKER_166_STYLE,
): string {
  const wt = writerTokens(tokens);
  formatTokens(wt, style);
  return tokensToString(wt);
}
