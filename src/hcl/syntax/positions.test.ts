// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are HCL source text
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Pos } from "../diagnostic.js";
import { scanTokens } from "./lexer.js";

/**
 * The reference for positions: walk the tokens in order and measure each one on its own, character by
 * character (grapheme clusters within a token are one column each, "\n" and "\r\n" end a line, spaces and
 * tabs between tokens are one column each), the way HCL's scanner measures them.
 */
function referencePositions(src: string, template: boolean, start: Pos): string[] {
  const buf = scanTokens(src, "t.hcl", start, template);
  const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });
  const bom = src.charCodeAt(0) === 0xfeff;
  let line = start.line;
  let column = start.column;
  let byte = start.byte + (bom ? 3 : 0);
  let at = bom ? 1 : 0;
  const out: string[] = [];
  for (let i = 0; i < buf.length; i++) {
    const s = buf.starts[i] as number;
    const e = buf.ends[i] as number;
    // The gap before the token: spaces and tabs only.
    for (; at < s; at++) {
      expect(" \t").toContain(src[at]);
      column++;
      byte++;
    }
    const before = `${line}:${column}:${byte}`;
    for (const { segment } of segmenter.segment(src.slice(s, e))) {
      byte += Buffer.byteLength(segment.replace(/[\ud800-\udfff]/gu, "\ufffd"), "utf8");
      if (segment === "\n" || segment === "\r\n") {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
    at = e;
    out.push(`${before}-${line}:${column}:${byte}`);
  }
  return out;
}

function actualPositions(src: string, template: boolean, start: Pos): string[] {
  const buf = scanTokens(src, "t.hcl", start, template);
  const out: string[] = [];
  for (let i = 0; i < buf.length; i++) {
    const { start: s, end: e } = buf.rangeAt(i);
    out.push(`${s.line}:${s.column}:${s.byte}-${e.line}:${e.column}:${e.byte}`);
  }
  return out;
}

const FIRST: Pos = { line: 1, column: 1, byte: 0 };
const SHIFTED: Pos = { line: 4, column: 9, byte: 77 };

const CASES: [name: string, src: string][] = [
  ["plain ASCII", 'a = "b"\nc = [1, 2]\n'],
  ["CRLF line ends and a lone CR", 'a = 1\r\nb = "x"\r\n\rc = 2'],
  ["a byte order mark", '\ufeffa = "é"\nb = 2\n'],
  [
    "combining marks and emoji in strings",
    'a = "e\u0301\u{1F1FA}\u{1F1F8}" # caf\u00e9\nb = "\u{1F44D}\u{1F3FD}x"\n',
  ],
  ["a combining mark right after a closing quote", 'a = "x"\u0301 b\n'],
  ["non-ASCII identifiers", "h\u00e9llo = w\u00f6rld.\u00fc\nx = 1\n"],
  ["multi-line block comments", "/* \u00e9\n \u4e2d\u6587 */ a = 1\n# \u00a9 x\nb = 2"],
  ["heredocs", "x = <<-EOT\n  h\u00e9llo ${a}\n  \u4e2d\n  EOT\ny = 1\n"],
  ["lone surrogates", 'a\ud800 \udc00 = "\ud83d"\nb = 1'],
  ["a template interpolation across lines", 'a = "${\nb\n}\u00e9"\n'],
  ["tabs and trailing spaces", "a\t=\t1   \n\t\u00e9 = 2 \t"],
  ["unterminated input", 'a = "\u00e9\n${ b'],
];

describe("token positions", () => {
  for (const [name, src] of CASES) {
    it(`match the per-token measurement: ${name}`, () => {
      for (const template of [false, true]) {
        for (const start of [FIRST, SHIFTED]) {
          expect(actualPositions(src, template, start)).toEqual(referencePositions(src, template, start));
        }
      }
    });
  }

  it("match the per-token measurement on generated text", () => {
    const piece = fc.constantFrom(
      "a",
      "x1",
      " ",
      "\t",
      "\n",
      "\r\n",
      "\r",
      "=",
      '"',
      "${",
      "%{",
      "}",
      "~}",
      "\\",
      "#",
      "//",
      "/*",
      "*/",
      "<<EOT\n",
      "<<-EOT\n",
      "EOT",
      "\u00e9",
      "e\u0301",
      "\u0301",
      "\u4e2d",
      "\u{1F44D}\u{1F3FD}",
      "\u{1F1E9}\u{1F1EA}",
      "\u200d",
      "\ud800",
      "\udc00",
      "\u00a0",
      "\ufeff",
    );
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 40 }).map((a) => a.join("")),
        fc.boolean(),
        (src, template) => {
          expect(actualPositions(src, template, SHIFTED)).toEqual(referencePositions(src, template, SHIFTED));
        },
      ),
      { numRuns: 400, seed: 0x706f73 },
    );
  });

  it("share one position object between a token's end and the next token's start", () => {
    const buf = scanTokens('a="b"', "t.hcl", FIRST, false);
    expect(buf.rangeAt(0).end).toBe(buf.rangeAt(1).start);
    expect(buf.rangeAt(1).end).toBe(buf.rangeAt(2).start);
  });
});
