/**
 * Numeric codes for the token types of token.ts. Tokens in a TokenBuffer carry these codes; the lexer, the
 * peeker and the parser compare them. Token objects (token.ts, the public contract) carry the names.
 */
import type { TokenType } from "./token.js";

/** The codes, named exactly as the types in token.ts. Every code from Tk.BitwiseAnd on is error-only. */
export enum Tk {
  OBrace,
  CBrace,
  OBrack,
  CBrack,
  OParen,
  CParen,
  OQuote,
  CQuote,
  OHeredoc,
  CHeredoc,
  Star,
  Slash,
  Plus,
  Minus,
  Percent,
  Equal,
  EqualOp,
  NotEqual,
  LessThan,
  LessThanEq,
  GreaterThan,
  GreaterThanEq,
  And,
  Or,
  Bang,
  Dot,
  Comma,
  DoubleColon,
  Ellipsis,
  FatArrow,
  Question,
  Colon,
  TemplateInterp,
  TemplateControl,
  TemplateSeqEnd,
  QuotedLit,
  StringLit,
  NumberLit,
  Ident,
  Comment,
  Newline,
  EOF,
  BitwiseAnd,
  BitwiseOr,
  BitwiseNot,
  BitwiseXor,
  StarStar,
  Apostrophe,
  Backtick,
  Semicolon,
  Tabs,
  Invalid,
  BadUTF8,
  QuotedNewline,
}

/** The first code of the error-only token types (all later codes are error-only too). */
export const FIRST_INVALID_CODE = Tk.BitwiseAnd;

// The compiler checks that the codes name exactly the token types of token.ts.
type SameKeys<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const CODES_NAME_EVERY_TYPE: SameKeys<keyof typeof Tk, TokenType> = true;

/** Token type name by code. */
export const TYPE_NAMES: readonly TokenType[] = [];
for (let code = 0; Tk[code] !== undefined; code++) (TYPE_NAMES as TokenType[]).push(Tk[code] as TokenType);
void CODES_NAME_EVERY_TYPE;
