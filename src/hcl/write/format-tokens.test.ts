import { describe, expect, it } from "vitest";
import type { TokenType } from "../syntax/token.js";
import {
  formatTokens,
  PACKER_166_STYLE,
  spaceAfterToken,
  tokensToString,
  type WriterToken,
} from "./format-tokens.js";

/** Builds writer tokens from [type, text, spaces before] triples. */
function toks(...spec: [TokenType, string, number?][]): WriterToken[] {
  return spec.map(([type, bytes, spacesBefore]) => ({ type, bytes, spacesBefore: spacesBefore ?? 0 }));
}
const t = (type: TokenType, bytes: string): WriterToken => ({ type, bytes, spacesBefore: 0 });
const NIL: WriterToken = { type: "Nil", bytes: "", spacesBefore: 0 };

function fmt(tokens: WriterToken[], style = PACKER_166_STYLE): string {
  formatTokens(tokens, style);
  return tokensToString(tokens);
}

describe("spaceAfterToken", () => {
  it("keeps a function name attached to its parenthesis", () => {
    expect(spaceAfterToken(t("Ident", "max"), NIL, t("OParen", "("))).toBe(false);
  });

  it("treats minus as negation after operators and openers, subtraction after operands", () => {
    const minus = t("Minus", "-");
    const one = t("NumberLit", "1");
    for (const before of [
      "Nil",
      "OParen",
      "Equal",
      "Comma",
      "Question",
      "Colon",
      "Star",
      "EqualOp",
      "Or",
      "Bang",
    ]) {
      expect(spaceAfterToken(minus, { type: before as TokenType, bytes: "", spacesBefore: 0 }, one)).toBe(
        false,
      );
    }
    for (const before of ["Ident", "NumberLit", "CParen", "CBrack", "CQuote"]) {
      expect(spaceAfterToken(minus, { type: before as TokenType, bytes: "", spacesBefore: 0 }, one)).toBe(
        true,
      );
    }
  });

  it("spaces after ! in Packer 1.6.6 style only", () => {
    const bang = t("Bang", "!");
    const ident = t("Ident", "x");
    expect(spaceAfterToken(bang, NIL, ident)).toBe(true);
    expect(spaceAfterToken(bang, NIL, ident, { spaceAfterBang: false })).toBe(false);
  });

  it("spaces the `in` keyword before a tuple, but not an identifier before an index", () => {
    expect(spaceAfterToken(t("Ident", "in"), t("Ident", "x"), t("OBrack", "["))).toBe(true);
    expect(spaceAfterToken(t("Ident", "in"), t("OBrack", "["), t("OBrack", "["))).toBe(false);
  });

  it("keeps :: of namespaced functions tight", () => {
    expect(spaceAfterToken(t("Ident", "provider"), NIL, t("DoubleColon", "::"))).toBe(false);
    expect(spaceAfterToken(t("DoubleColon", "::"), t("Ident", "p"), t("Ident", "fn"))).toBe(false);
  });
});

describe("formatTokens", () => {
  it("indents block contents and aligns consecutive = signs", () => {
    const input = toks(
      ["Ident", "locals"],
      ["OBrace", "{", 1],
      ["Newline", "\n"],
      ["Ident", "a"],
      ["Equal", "="],
      ["NumberLit", "1"],
      ["Newline", "\n"],
      ["Ident", "bbb", 5],
      ["Equal", "=", 3],
      ["NumberLit", "2", 2],
      ["Comment", "# c\n"],
      ["CBrace", "}", 4],
      ["Newline", "\n"],
      ["EOF", ""],
    );
    expect(fmt(input)).toBe("locals {\n  a   = 1\n  bbb = 2 # c\n}\n");
  });

  it("leaves heredoc lines alone and keeps the spaces before EOF", () => {
    const input = toks(
      ["Ident", "x"],
      ["Equal", "=", 1],
      ["OHeredoc", "<<EOT\n", 4],
      ["StringLit", "   keep  \n"],
      ["CHeredoc", "EOT"],
      ["Newline", "\n"],
      ["EOF", "", 3],
    );
    expect(fmt(input)).toBe("x = <<EOT\n   keep  \nEOT\n   ");
  });

  it("unwinds several indent levels on a line that closes them at once", () => {
    const input = toks(
      ["Ident", "a"],
      ["Equal", "=", 1],
      ["Ident", "f", 1],
      ["OParen", "("],
      ["Ident", "g"],
      ["OParen", "("],
      ["Newline", "\n"],
      ["NumberLit", "1"],
      ["Newline", "\n"],
      ["CParen", ")"],
      ["CParen", ")"],
      ["Newline", "\n"],
      ["Ident", "b"],
      ["Equal", "=", 1],
      ["NumberLit", "2", 1],
      ["Newline", "\n"],
      ["EOF", ""],
    );
    expect(fmt(input)).toBe("a = f(g(\n  1\n))\nb = 2\n");
  });

  it("formats an empty stream to nothing", () => {
    expect(fmt(toks(["EOF", ""]))).toBe("");
  });
});
