// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are HCL source text
import { describe, expect, it } from "vitest";
import type { Diagnostic } from "./diagnostic.js";
import { blockContextString, renderDiagnostic, renderDiagnostics, wrapString } from "./diagnostic-render.js";
import { parseConfig } from "./syntax/index.js";

/** What Packer prints for a file's syntax errors: the diagnostics at width 80, then its UI's newline. */
function packerStyle(src: string, filename = "x.pkr.hcl"): string {
  const { diagnostics } = parseConfig(src, filename);
  return `${renderDiagnostics(diagnostics, new Map([[filename, src]]), { width: 80 })}\n`;
}

describe("renderDiagnostics (golden output of Packer 1.6.6)", () => {
  it("shows the enclosing block and the source line", () => {
    const src = 'source "null" "x" {\n  communicator = "none"\n  foo = "bar\\q"\n  baz = "\\u12"\n}\n';
    expect(packerStyle(src)).toBe(
      [
        "Error: Invalid escape sequence",
        "",
        '  on x.pkr.hcl line 3, in source "null" "x":',
        '   3:   foo = "bar\\q"',
        "",
        'The symbol "q" is not a valid escape sequence selector.',
        "",
        "Error: Invalid escape sequence",
        "",
        '  on x.pkr.hcl line 4, in source "null" "x":',
        '   4:   baz = "\\u12"',
        "",
        "The \\u escape sequence must be followed by four hexadecimal digits.",
        "",
        "",
        "",
      ].join("\n"),
    );
  });

  it("wraps details at 80 columns", () => {
    const src = 'variable "a" {\n  default = "x"\n}\nvariable "a" {\n  default = 1, b = 2\n}\n';
    expect(packerStyle(src)).toBe(
      [
        "Error: Unexpected comma after argument",
        "",
        '  on x.pkr.hcl line 5, in variable "a":',
        "   5:   default = 1, b = 2",
        "",
        "Argument definitions must be separated by newlines, not commas. An argument",
        "definition must end with a newline.",
        "",
        "",
        "",
      ].join("\n"),
    );
  });

  it("prints every line the subject touches, and blocks without labels by type", () => {
    const src = 'locals {\n  a = "${"\n}\n';
    expect(packerStyle(src)).toBe(
      [
        "Error: Invalid multi-line string",
        "",
        "  on x.pkr.hcl line 2, in locals:",
        '   2:   a = "${"',
        "   3: }",
        "",
        "Quoted strings may not be split over multiple lines. To produce a multi-line",
        "string, either use the \\n escape to represent a newline character or use the",
        '"heredoc" multi-line template syntax.',
        "",
        "Error: Invalid multi-line string",
        "",
        "  on x.pkr.hcl line 3, in locals:",
        "   3: }",
        "",
        "Quoted strings may not be split over multiple lines. To produce a multi-line",
        "string, either use the \\n escape to represent a newline character or use the",
        '"heredoc" multi-line template syntax.',
        "",
        "Error: Unterminated template string",
        "",
        "  on x.pkr.hcl line 2, in locals:",
        '   2:   a = "${"',
        "   3: }",
        "",
        "No closing marker was found for the string.",
        "",
        "",
        "",
      ].join("\n"),
    );
  });
});

describe("renderDiagnostic", () => {
  const src = 'build {\n  name = "a"\n}\n';
  const subject = {
    filename: "b.pkr.hcl",
    start: { line: 2, column: 3, byte: 10 },
    end: { line: 2, column: 7, byte: 14 },
  };
  const diag: Diagnostic = { severity: "error", summary: "Unsupported argument", detail: "Nope.", subject };

  it("underlines the subject with ANSI codes when colors are on", () => {
    expect(renderDiagnostic(diag, new Map([["b.pkr.hcl", src]]), { color: true })).toBe(
      '\x1b[31mError\x1b[0m: Unsupported argument\n\n  on b.pkr.hcl line 2, in build:\n   2:   \x1b[1;4mname\x1b[0m = "a"\n\nNope.\n\n',
    );
  });

  it("colors warnings yellow and omits missing parts", () => {
    const w: Diagnostic = { severity: "warning", summary: "Careful" };
    expect(renderDiagnostic(w, new Map(), { color: true })).toBe("\x1b[33mWarning\x1b[0m: Careful\n\n");
  });

  it("says when the source is not available", () => {
    expect(renderDiagnostic(diag, new Map())).toBe(
      "Error: Unsupported argument\n\n  on b.pkr.hcl line 2:\n  (source code not available)\n\nNope.\n\n",
    );
  });

  it("uses a supplied context function, and none for JSON files by default", () => {
    const json = '{\n  "build": {}\n}\n';
    const j: Diagnostic = { ...diag, subject: { ...subject, filename: "c.pkr.json" } };
    expect(renderDiagnostic(j, new Map([["c.pkr.json", json]]))).toContain("  on c.pkr.json line 2:\n");
    expect(
      renderDiagnostic(j, new Map([["c.pkr.json", json]]), { contextString: (_f, off) => `build@${off}` }),
    ).toContain("  on c.pkr.json line 2, in build@10:\n");
  });

  it("highlights one column for an empty subject", () => {
    const empty: Diagnostic = {
      severity: "error",
      summary: "S",
      subject: { filename: "b.pkr.hcl", start: subject.start, end: subject.start },
    };
    expect(renderDiagnostic(empty, new Map([["b.pkr.hcl", src]]), { color: true })).toContain(
      "   2:   \x1b[1;4mn\x1b[0mame",
    );
  });
});

describe("blockContextString", () => {
  it("names the top-level block containing the offset", () => {
    const { body } = parseConfig('a = 1\nsource "docker" "x\\"y" {\n  b {\n  }\n}\n', "t.hcl");
    expect(blockContextString(body, 0)).toBe("");
    expect(blockContextString(body, 30)).toBe('source "docker" "x\\"y"');
  });
});

describe("wrapString", () => {
  it("breaks at spaces and keeps newlines", () => {
    expect(wrapString("aaa bbb ccc", 7)).toBe("aaa bbb\nccc");
    expect(wrapString("aaa\nbbb ccc ddd", 8)).toBe("aaa\nbbb ccc\nddd");
  });

  it("does not split words longer than the limit", () => {
    expect(wrapString("a verylongword b", 5)).toBe("a\nverylongword\nb");
  });

  it("counts characters, not bytes, and keeps non-breaking spaces inside words", () => {
    expect(wrapString("ééé ééé", 7)).toBe("ééé ééé");
    expect(wrapString("a\u00a0b c", 3)).toBe("a\u00a0b\nc");
  });
});
