// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are HCL source text
import { describe, expect, it } from "vitest";
import { isValidIdentifier, lexConfig, lexTemplate } from "./lexer.js";
import type { Token } from "./token.js";

function show(tokens: readonly Token[]): string[] {
  return tokens.map((t) => {
    const { start: s, end: e } = t.range;
    return `${t.type} ${JSON.stringify(t.bytes)} ${s.line}:${s.column}:${s.byte}-${e.line}:${e.column}:${e.byte}`;
  });
}

// Expected token streams, with exact ranges, as hclsyntax's scanner produces them.
const CASES: [mode: "lexConfig" | "lexTemplate", src: string, tokens: string[]][] = [
  [
    "lexConfig",
    "a = 1\n",
    [
      'Ident "a" 1:1:0-1:2:1',
      'Equal "=" 1:3:2-1:4:3',
      'NumberLit "1" 1:5:4-1:6:5',
      'Newline "\\n" 1:6:5-2:1:6',
      'EOF "" 2:1:6-2:1:6',
    ],
  ],
  [
    "lexConfig",
    '"hello $${world} %%{x} ${a.b} %{if c}${~d~}%{~endif}"',
    [
      'OQuote "\\"" 1:1:0-1:2:1',
      'QuotedLit "hello " 1:2:1-1:8:7',
      'QuotedLit "$${" 1:8:7-1:11:10',
      'QuotedLit "world} " 1:11:10-1:18:17',
      'QuotedLit "%%{" 1:18:17-1:21:20',
      'QuotedLit "x} " 1:21:20-1:24:23',
      'TemplateInterp "${" 1:24:23-1:26:25',
      'Ident "a" 1:26:25-1:27:26',
      'Dot "." 1:27:26-1:28:27',
      'Ident "b" 1:28:27-1:29:28',
      'TemplateSeqEnd "}" 1:29:28-1:30:29',
      'QuotedLit " " 1:30:29-1:31:30',
      'TemplateControl "%{" 1:31:30-1:33:32',
      'Ident "if" 1:33:32-1:35:34',
      'Ident "c" 1:36:35-1:37:36',
      'TemplateSeqEnd "}" 1:37:36-1:38:37',
      'TemplateInterp "${~" 1:38:37-1:41:40',
      'Ident "d" 1:41:40-1:42:41',
      'TemplateSeqEnd "~}" 1:42:41-1:44:43',
      'TemplateControl "%{~" 1:44:43-1:47:46',
      'Ident "endif" 1:47:46-1:52:51',
      'TemplateSeqEnd "}" 1:52:51-1:53:52',
      'CQuote "\\"" 1:53:52-1:54:53',
      'EOF "" 1:54:53-1:54:53',
    ],
  ],
  [
    "lexConfig",
    "<<EOT\nhello ${name}\nEOT\n",
    [
      'OHeredoc "<<EOT\\n" 1:1:0-2:1:6',
      'StringLit "hello " 2:1:6-2:7:12',
      'TemplateInterp "${" 2:7:12-2:9:14',
      'Ident "name" 2:9:14-2:13:18',
      'TemplateSeqEnd "}" 2:13:18-2:14:19',
      'StringLit "\\n" 2:14:19-3:1:20',
      'CHeredoc "EOT" 3:1:20-3:4:23',
      'Newline "\\n" 3:4:23-4:1:24',
      'EOF "" 4:1:24-4:1:24',
    ],
  ],
  [
    "lexConfig",
    "x = <<-EOT\r\n    a\r\n  EOT\r\n",
    [
      'Ident "x" 1:1:0-1:2:1',
      'Equal "=" 1:3:2-1:4:3',
      'OHeredoc "<<-EOT\\r\\n" 1:5:4-2:1:12',
      'StringLit "    a\\r\\n" 2:1:12-3:1:19',
      'CHeredoc "  EOT" 3:1:19-3:6:24',
      'Newline "\\r\\n" 3:6:24-4:1:26',
      'EOF "" 4:1:26-4:1:26',
    ],
  ],
  [
    "lexConfig",
    "# c\n// d\r\n/* e\n */ f /* g",
    [
      'Comment "# c\\n" 1:1:0-2:1:4',
      'Comment "// d\\r\\n" 2:1:4-3:1:10',
      'Comment "/* e\\n */" 3:1:10-4:4:18',
      'Ident "f" 4:5:19-4:6:20',
      'Slash "/" 4:7:21-4:8:22',
      'Star "*" 4:8:22-4:9:23',
      'Ident "g" 4:10:24-4:11:25',
      'EOF "" 4:11:25-4:11:25',
    ],
  ],
  [
    "lexConfig",
    "1 12.5 1e2 1E+3 1.e5 1. 1..2",
    [
      'NumberLit "1" 1:1:0-1:2:1',
      'NumberLit "12.5" 1:3:2-1:7:6',
      'NumberLit "1e2" 1:8:7-1:11:10',
      'NumberLit "1E+3" 1:12:11-1:16:15',
      'NumberLit "1.e5" 1:17:16-1:21:20',
      'NumberLit "1" 1:22:21-1:23:22',
      'Dot "." 1:23:22-1:24:23',
      'NumberLit "1..2" 1:25:24-1:29:28',
      'EOF "" 1:29:28-1:29:28',
    ],
  ],
  [
    "lexConfig",
    "héllo 🌻 a-b _x9 provider::x::y",
    [
      'Ident "héllo" 1:1:0-1:6:6',
      'Invalid "🌻" 1:7:7-1:8:11',
      'Ident "a-b" 1:9:12-1:12:15',
      'Ident "_x9" 1:13:16-1:16:19',
      'Ident "provider" 1:17:20-1:25:28',
      'DoubleColon "::" 1:25:28-1:27:30',
      'Ident "x" 1:27:30-1:28:31',
      'DoubleColon "::" 1:28:31-1:30:33',
      'Ident "y" 1:30:33-1:31:34',
      'EOF "" 1:31:34-1:31:34',
    ],
  ],
  [
    "lexConfig",
    "== != >= <= && || ... => ! ? : < > = + - * / % , . [ ] ( ) { }",
    [
      'EqualOp "==" 1:1:0-1:3:2',
      'NotEqual "!=" 1:4:3-1:6:5',
      'GreaterThanEq ">=" 1:7:6-1:9:8',
      'LessThanEq "<=" 1:10:9-1:12:11',
      'And "&&" 1:13:12-1:15:14',
      'Or "||" 1:16:15-1:18:17',
      'Ellipsis "..." 1:19:18-1:22:21',
      'FatArrow "=>" 1:23:22-1:25:24',
      'Bang "!" 1:26:25-1:27:26',
      'Question "?" 1:28:27-1:29:28',
      'Colon ":" 1:30:29-1:31:30',
      'LessThan "<" 1:32:31-1:33:32',
      'GreaterThan ">" 1:34:33-1:35:34',
      'Equal "=" 1:36:35-1:37:36',
      'Plus "+" 1:38:37-1:39:38',
      'Minus "-" 1:40:39-1:41:40',
      'Star "*" 1:42:41-1:43:42',
      'Slash "/" 1:44:43-1:45:44',
      'Percent "%" 1:46:45-1:47:46',
      'Comma "," 1:48:47-1:49:48',
      'Dot "." 1:50:49-1:51:50',
      'OBrack "[" 1:52:51-1:53:52',
      'CBrack "]" 1:54:53-1:55:54',
      'OParen "(" 1:56:55-1:57:56',
      'CParen ")" 1:58:57-1:59:58',
      'OBrace "{" 1:60:59-1:61:60',
      'CBrace "}" 1:62:61-1:63:62',
      'EOF "" 1:63:62-1:63:62',
    ],
  ],
  [
    "lexConfig",
    "& | ~ ^ ; ` ' **",
    [
      'BitwiseAnd "&" 1:1:0-1:2:1',
      'BitwiseOr "|" 1:3:2-1:4:3',
      'BitwiseNot "~" 1:5:4-1:6:5',
      'BitwiseXor "^" 1:7:6-1:8:7',
      'Semicolon ";" 1:9:8-1:10:9',
      'Backtick "`" 1:11:10-1:12:11',
      'Apostrophe "\'" 1:13:12-1:14:13',
      'Star "*" 1:15:14-1:16:15',
      'Star "*" 1:16:15-1:17:16',
      'EOF "" 1:17:16-1:17:16',
    ],
  ],
  [
    "lexConfig",
    '\ta\t= "x\n',
    [
      'Ident "a" 1:2:1-1:3:2',
      'Equal "=" 1:4:3-1:5:4',
      'OQuote "\\"" 1:6:5-1:7:6',
      'QuotedLit "x" 1:7:6-1:8:7',
      'QuotedNewline "\\n" 1:8:7-2:1:8',
      'EOF "" 2:1:8-2:1:8',
    ],
  ],
  [
    "lexConfig",
    '"${"${a} foo"}"',
    [
      'OQuote "\\"" 1:1:0-1:2:1',
      'TemplateInterp "${" 1:2:1-1:4:3',
      'OQuote "\\"" 1:4:3-1:5:4',
      'TemplateInterp "${" 1:5:4-1:7:6',
      'Ident "a" 1:7:6-1:8:7',
      'TemplateSeqEnd "}" 1:8:7-1:9:8',
      'QuotedLit " foo" 1:9:8-1:13:12',
      'CQuote "\\"" 1:13:12-1:14:13',
      'TemplateSeqEnd "}" 1:14:13-1:15:14',
      'CQuote "\\"" 1:15:14-1:16:15',
      'EOF "" 1:16:15-1:16:15',
    ],
  ],
  [
    "lexConfig",
    '"${{}}" ~} }',
    [
      'OQuote "\\"" 1:1:0-1:2:1',
      'TemplateInterp "${" 1:2:1-1:4:3',
      'OBrace "{" 1:4:3-1:5:4',
      'CBrace "}" 1:5:4-1:6:5',
      'TemplateSeqEnd "}" 1:6:5-1:7:6',
      'CQuote "\\"" 1:7:6-1:8:7',
      'TemplateSeqEnd "~}" 1:9:8-1:11:10',
      'CBrace "}" 1:12:11-1:13:12',
      'EOF "" 1:13:12-1:13:12',
    ],
  ],
  [
    "lexConfig",
    "<<EOT\nfoo$\rbar\nEOT\n",
    [
      'OHeredoc "<<EOT\\n" 1:1:0-2:1:6',
      'StringLit "foo" 2:1:6-2:4:9',
      'StringLit "$" 2:4:9-2:5:10',
      'Invalid "\\rbar\\nEOT\\n" 2:5:10-4:1:19',
      'EOF "" 4:1:19-4:1:19',
    ],
  ],
  [
    "lexConfig",
    "<<EOF\n${<<-EOF\nhello\nEOF\n}\nEOF\n",
    [
      'OHeredoc "<<EOF\\n" 1:1:0-2:1:6',
      'TemplateInterp "${" 2:1:6-2:3:8',
      'OHeredoc "<<-EOF\\n" 2:3:8-3:1:15',
      'StringLit "hello\\n" 3:1:15-4:1:21',
      'CHeredoc "EOF" 4:1:21-4:4:24',
      'Newline "\\n" 4:4:24-5:1:25',
      'TemplateSeqEnd "}" 5:1:25-5:2:26',
      'StringLit "\\n" 5:2:26-6:1:27',
      'CHeredoc "EOF" 6:1:27-6:4:30',
      'Newline "\\n" 6:4:30-7:1:31',
      'EOF "" 7:1:31-7:1:31',
    ],
  ],
  [
    "lexTemplate",
    "hello ${~foo~} $$ %%{\nx$y\n$",
    [
      'StringLit "hello " 1:1:0-1:7:6',
      'TemplateInterp "${~" 1:7:6-1:10:9',
      'Ident "foo" 1:10:9-1:13:12',
      'TemplateSeqEnd "~}" 1:13:12-1:15:14',
      'StringLit " " 1:15:14-1:16:15',
      'StringLit "$" 1:16:15-1:17:16',
      'StringLit "$" 1:17:16-1:18:17',
      'StringLit " " 1:18:17-1:19:18',
      'StringLit "%%{\\n" 1:19:18-2:1:22',
      'StringLit "x" 2:1:22-2:2:23',
      'StringLit "$y" 2:2:23-2:4:25',
      'StringLit "\\n" 2:4:25-3:1:26',
      'StringLit "$" 3:1:26-3:2:27',
      'EOF "" 3:2:27-3:2:27',
    ],
  ],
  [
    "lexConfig",
    "﻿a = “b”",
    [
      'Ident "a" 1:1:3-1:2:4',
      'Equal "=" 1:3:5-1:4:6',
      'Invalid "“" 1:5:7-1:6:10',
      'Ident "b" 1:6:10-1:7:11',
      'Invalid "”" 1:7:11-1:8:14',
      'EOF "" 1:8:14-1:8:14',
    ],
  ],
  [
    "lexConfig",
    '"a\\"b\\\\c\\\n"',
    [
      'OQuote "\\"" 1:1:0-1:2:1',
      'QuotedLit "a\\\\\\"b\\\\\\\\c" 1:2:1-1:9:8',
      'Invalid "\\\\" 1:9:8-1:10:9',
      'QuotedNewline "\\n" 1:10:9-2:1:10',
      'CQuote "\\"" 2:1:10-2:2:11',
      'EOF "" 2:2:11-2:2:11',
    ],
  ],
];

describe("lexer token streams", () => {
  for (const [mode, src, want] of CASES) {
    it(`${mode} ${JSON.stringify(src)}`, () => {
      const lex = mode === "lexConfig" ? lexConfig : lexTemplate;
      expect(show(lex(src, "t.hcl").tokens)).toEqual(want);
    });
  }
});

function diagShow(src: string): string[] {
  return lexConfig(src, "t.hcl").diagnostics.map((d) => {
    const s = d.subject;
    return `${d.summary}|${d.detail}|${s ? `${s.start.line}:${s.start.column}:${s.start.byte}-${s.end.line}:${s.end.column}:${s.end.byte}` : ""}`;
  });
}

describe("lexer diagnostics", () => {
  it("reports bitwise operators at most four times, with suggestions", () => {
    expect(diagShow("a & b | c ~ d ^ e & f & g")).toEqual([
      'Unsupported operator|Bitwise operators are not supported. Did you mean boolean AND ("&&")?|1:3:2-1:4:3',
      'Unsupported operator|Bitwise operators are not supported. Did you mean boolean OR ("||")?|1:7:6-1:8:7',
      'Unsupported operator|Bitwise operators are not supported. Did you mean boolean NOT ("!")?|1:11:10-1:12:11',
      "Unsupported operator|Bitwise operators are not supported.|1:15:14-1:16:15",
    ]);
  });

  it("reports only opening backticks, one semicolon, and curly quotes", () => {
    expect(diagShow("`x` `y`")).toEqual([
      'Invalid character|The "`" character is not valid. To create a multi-line string, use the "heredoc" syntax, like "<<EOT".|1:1:0-1:2:1',
      'Invalid character|The "`" character is not valid. To create a multi-line string, use the "heredoc" syntax, like "<<EOT".|1:5:4-1:6:5',
    ]);
    expect(diagShow("x;y;")).toEqual([
      'Invalid character|The ";" character is not valid. Use newlines to separate arguments and blocks, and commas to separate items in collection values.|1:2:1-1:3:2',
    ]);
    expect(diagShow("\u201cx\u201d").map((d) => d.split("|")[2])).toEqual(["1:1:0-1:2:3", "1:3:4-1:4:7"]);
  });

  it("reports every newline inside a quoted string", () => {
    expect(diagShow('"a\nb\n"').map((d) => `${d.split("|")[0]} ${d.split("|")[2]}`)).toEqual([
      "Invalid multi-line string 1:3:2-2:1:3",
      "Invalid multi-line string 2:2:4-3:1:5",
    ]);
  });

  it("treats a lone surrogate as malformed encoding, reported once", () => {
    const { tokens, diagnostics } = lexConfig("a\ud800 \udc00", "t.hcl");
    expect(show(tokens)).toEqual([
      'Ident "a" 1:1:0-1:2:1',
      'BadUTF8 "\\ud800" 1:2:1-1:3:4',
      'BadUTF8 "\\udc00" 1:4:5-1:5:8',
      'EOF "" 1:5:8-1:5:8',
    ]);
    expect(diagnostics.map((d) => d.summary)).toEqual(["Invalid character encoding"]);
  });
});

describe("lexer positions", () => {
  it("starts counting at the given position", () => {
    const { tokens } = lexTemplate("x${a}", "t.json", { line: 3, column: 10, byte: 40 });
    expect(show(tokens)).toEqual([
      'StringLit "x" 3:10:40-3:11:41',
      'TemplateInterp "${" 3:11:41-3:13:43',
      'Ident "a" 3:13:43-3:14:44',
      'TemplateSeqEnd "}" 3:14:44-3:15:45',
      'EOF "" 3:15:45-3:15:45',
    ]);
  });

  it("counts grapheme clusters as columns and UTF-8 bytes as offsets", () => {
    const { tokens } = lexConfig('"\u{1F1FA}\u{1F1F8}e\u0301" x', "t.hcl");
    expect(show(tokens).slice(1, 4)).toEqual([
      'QuotedLit "\u{1F1FA}\u{1F1F8}e\u0301" 1:2:1-1:4:12',
      'CQuote "\\"" 1:4:12-1:5:13',
      'Ident "x" 1:6:14-1:7:15',
    ]);
  });
});

describe("isValidIdentifier", () => {
  it("accepts HCL identifiers and rejects others", () => {
    expect(isValidIdentifier("foo-bar_9")).toBe(true);
    expect(isValidIdentifier("_x")).toBe(true);
    expect(isValidIdentifier("h\u00e9llo")).toBe(true);
    expect(isValidIdentifier("9a")).toBe(false);
    expect(isValidIdentifier("-a")).toBe(false);
    expect(isValidIdentifier("a.b")).toBe(false);
    expect(isValidIdentifier("")).toBe(false);
  });
});
