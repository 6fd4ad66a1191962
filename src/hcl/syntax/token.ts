/**
 * The token vocabulary of HCL's native syntax, named after hclsyntax.TokenType. The lexer (lexer.ts) produces
 * these; the parser and the formatter (src/hcl/write) both consume them, so this file is a shared contract.
 *
 * Like hclsyntax's scanner, the lexer emits every byte of the input as some token: comments (`#`, `//` and
 * `/* *\/`; single-line comments include their trailing newline, as in HCL), newlines, and the pieces of
 * templates (OQuote, QuotedLit, TemplateInterp, TemplateControl, TemplateSeqEnd, CQuote; heredocs as
 * OHeredoc, StringLit..., CHeredoc). Whitespace other than newlines is not a token; the formatter recovers
 * spacing from the ranges.
 */
import type { Range } from "../diagnostic.js";

export type TokenType =
  // single-character punctuation
  | "OBrace" // {
  | "CBrace" // }
  | "OBrack" // [
  | "CBrack" // ]
  | "OParen" // (
  | "CParen" // )
  | "OQuote" // opening "
  | "CQuote" // closing "
  | "OHeredoc" // <<EOT or <<-EOT, including the newline after the marker
  | "CHeredoc" // the closing marker line, including leading spaces of a <<- heredoc
  | "Star" // *
  | "Slash" // /
  | "Plus" // +
  | "Minus" // -
  | "Percent" // %
  | "Equal" // =
  | "EqualOp" // ==
  | "NotEqual" // !=
  | "LessThan" // <
  | "LessThanEq" // <=
  | "GreaterThan" // >
  | "GreaterThanEq" // >=
  | "And" // &&
  | "Or" // ||
  | "Bang" // !
  | "Dot" // .
  | "Comma" // ,
  | "DoubleColon" // ::
  | "Ellipsis" // ...
  | "FatArrow" // =>
  | "Question" // ?
  | "Colon" // :
  | "TemplateInterp" // ${ or ${~
  | "TemplateControl" // %{ or %{~
  | "TemplateSeqEnd" // } or ~} closing an interpolation or directive
  | "QuotedLit" // literal text inside a quoted template (escapes NOT yet decoded)
  | "StringLit" // literal text inside a heredoc template
  | "NumberLit"
  | "Ident"
  | "Comment"
  | "Newline"
  | "EOF"
  // tokens that are only ever errors in HCL, kept so diagnostics can name them
  | "BitwiseAnd" // &
  | "BitwiseOr" // |
  | "BitwiseNot" // ~
  | "BitwiseXor" // ^
  | "StarStar" // **
  | "Apostrophe" // '
  | "Backtick" // `
  | "Semicolon" // ;
  | "Tabs" // tab characters used for indentation
  | "Invalid" // any other character
  | "BadUTF8"
  | "QuotedNewline"; // a newline inside a quoted string (an error)

export interface Token {
  readonly type: TokenType;
  /** The exact source text of the token. Concatenating all tokens' bytes with the inter-token spaces gives the input back. */
  readonly bytes: string;
  readonly range: Range;
}
