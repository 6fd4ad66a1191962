// `kiln console` with piped input, as a user runs it; expected texts are Packer's (checked against 1.6.6,
// which prints only the last line's result where kiln prints every line's).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { kiln } from "./run-kiln.js";

const TEMPLATE = `variable "foo" {
  type    = string
  default = "bar"
}
variable "n" {
  default = 3
}
variable "secret" {
  default   = "s3cr3t"
  sensitive = true
}
locals {
  l = "\${var.foo}-x"
  m = { a = 1, b = [1, 2] }
}
source "null" "x" { communicator = "none" }
build { sources = ["source.null.x"] }
`;

let dir = "";
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "kiln-console-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `kiln console` in `dir` with one input line per element. */
function consoleRun(args: readonly string[], lines: readonly string[]) {
  return kiln(["console", ...args], { cwd: dir, input: `${lines.join("\n")}\n` });
}

describe("kiln console, HCL2 mode (e2e)", () => {
  it("prints every line's value: numbers, big numbers, raw strings, lists, objects, function calls", () => {
    const r = consoleRun(
      ["-config-type=hcl2"],
      [
        "1 + 2",
        "10 / 3",
        "2 * 99999999999999999999",
        "9223372036854775807",
        "0.1 + 0.2",
        '"a\\"b"',
        '[1, "a", true]',
        '{ b = "x", a = 1, c = null }',
        "[]",
        '{ a = [], b = { c = "d\\ne" } }',
        'upper("a")',
        'format("%05d", 42)',
        "jsonencode({ a = 1 })",
        "[for x in [1, 2] : x * 2]",
      ],
    );
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(
      [
        "3",
        "3.3333333333333335",
        "2e+20",
        "9223372036854775807",
        "0.3",
        'a"b',
        "[",
        "  1,",
        '  "a",',
        "  true,",
        "]",
        "{",
        '  "a" = 1',
        '  "b" = "x"',
        "}",
        "[]",
        "{",
        '  "a" = []',
        '  "b" = {',
        '    "c" = "d\\ne"',
        "  }",
        "}",
        "A",
        "00042",
        '{"a":1}',
        "[",
        "  2,",
        "  4,",
        "]",
        "",
      ].join("\n"),
    );
    expect(r.code).toBe(0);
  });

  it("prints a failing line as a diagnostic among good lines and exits 1", () => {
    const r = consoleRun(["-config-type=hcl2"], ["1", "nope(1)", "", "2"]);
    expect(r.stdout).toBe(
      [
        "1",
        "Error: Call to unknown function",
        "",
        "  on <console-input> line 1:",
        "   1: nope(1)",
        "",
        'There is no function named "nope".',
        "",
        "",
        "2",
        "",
      ].join("\n"),
    );
    expect(r.code).toBe(1);
  });

  it("reports a syntax error and an unknown variable", () => {
    const r = consoleRun(["-config-type=hcl2"], ["1 +", "data"]);
    expect(r.stdout).toContain("Error: Missing expression");
    expect(r.stdout).toContain('There is no variable named "data". Did you mean "path"?');
    expect(r.code).toBe(1);
  });

  it("reads var. and local. from a template directory, with -var overriding a default", () => {
    mkdirSync(join(dir, "tpl"));
    writeFileSync(join(dir, "tpl", "a.pkr.hcl"), TEMPLATE);
    const r = consoleRun(
      ["-var", "foo=over", "tpl"],
      [
        "var.foo",
        "local.l",
        "var.n + 1",
        "local.m.b[1]",
        "var.secret",
        "upper(var.secret)",
        "path.root",
        "packer.version",
      ],
    );
    expect(r.stdout).toBe(
      ["over", "over-x", "4", "2", "<sensitive>", "<sensitive>", "tpl", "1.16.0", ""].join("\n"),
    );
    expect(r.code).toBe(0);
  });

  it("`variables` lists inputs and locals in Packer's format", () => {
    writeFileSync(join(dir, "a.pkr.hcl"), TEMPLATE);
    const r = consoleRun(["a.pkr.hcl"], ["variables"]);
    expect(r.stdout).toBe(
      [
        "> input-variables:",
        "",
        'var.foo: "bar"',
        'var.n: "3"',
        'var.secret: "<sensitive>"',
        "",
        "> local-variables:",
        "",
        'local.l: "bar-x"',
        'local.m: "{\\n  \\"a\\" = 1\\n  \\"b\\" = [\\n    1,\\n    2,\\n  ]\\n}"',
        "",
        "",
      ].join("\n"),
    );
    expect(r.code).toBe(0);
  });

  it("`exit` stops reading; `help` prints Packer's HCL2 help", () => {
    const r = consoleRun(["-config-type=hcl2"], ["help", "exit", "nope("]);
    expect(r.stdout.startsWith("Packer console HCL2 Mode.\n")).toBe(true);
    expect(
      r.stdout.endsWith(
        '/!\\ It is not possible to use go templating interpolation like "{{timestamp}}"\nwith in HCL2 mode.\n',
      ),
    ).toBe(true);
    expect(r.code).toBe(0);
  });

  it("an undeclared -var is a loading error (exit 1, no evaluation)", () => {
    writeFileSync(join(dir, "a.pkr.hcl"), TEMPLATE);
    const r = consoleRun(["-var", "nope=1", "a.pkr.hcl"], ["1"]);
    expect(r.stdout).toContain("Error: Undefined -var variable");
    expect(r.stdout).not.toMatch(/^1$/m);
    expect(r.code).toBe(1);
  });
});

describe("kiln console, JSON mode (e2e)", () => {
  it("renders Go templates with -var user variables", () => {
    const r = consoleRun(
      ["-var", "x=1"],
      ["{{user `x`}}", '{{upper "ab"}}-{{user `x`}}', "{{user `unset`}}", "{{timestamp}}"],
    );
    const lines = r.stdout.split("\n");
    expect(lines.slice(0, 3)).toEqual(["1", "AB-1", ""]);
    expect(lines[3]).toMatch(/^\d{10}$/);
    expect(r.code).toBe(0);
  });

  it("prints a template error as an interpolation diagnostic and exits 1", () => {
    const r = consoleRun([], ["{{foo}}", "ok"]);
    expect(r.stdout).toBe(
      'Error: Interpolation error\n\ntemplate: root:1: function "foo" not defined\n\n\nok\n',
    );
    expect(r.code).toBe(1);
  });

  it("`variables` lists the user variables; -var wins over -var-file", () => {
    writeFileSync(join(dir, "vars.json"), JSON.stringify({ a: "from-file", b: "w" }));
    const r = consoleRun(["-var-file=vars.json", "-var", "a=cli"], ["variables", "{{user `a`}}{{user `b`}}"]);
    expect(r.stdout).toBe("\n: ,\na: cli,\nb: w,\n\ncliw\n");
    expect(r.code).toBe(0);
  });

  it("reads a legacy template's variables, renders them recursively and redacts sensitive ones", () => {
    writeFileSync(
      join(dir, "t.json"),
      JSON.stringify({
        variables: { r: null, d: "dv", ref: "{{user `d`}}-x", plain: "{{user `r`}}!" },
        "sensitive-variables": ["d"],
        builders: [{ type: "null", communicator: "none" }],
      }),
    );
    const r = consoleRun(
      ["-var", "r=1", "t.json"],
      ["{{user `plain`}}", "{{user `ref`}}", "{{template_dir}}"],
    );
    expect(r.stdout).toBe(`1!\n<sensitive>-x\n${dir}\n`);
    expect(r.code).toBe(0);
  });

  it("a -var-file that is not a JSON object of strings fails like Packer", () => {
    writeFileSync(join(dir, "n.json"), '{"a": 1}');
    const r = consoleRun(["-var-file=n.json"], ["x"]);
    expect(r.stdout).toBe(
      "Error reading variables in 'n.json': json: cannot unmarshal number into Go value of type string\n",
    );
    expect(r.code).toBe(1);
  });

  it("`help` prints Packer's JSON help; `exit` stops", () => {
    const r = consoleRun([], ["help", "exit", "{{foo}}"]);
    expect(r.stdout.startsWith("Packer console JSON Mode.\n")).toBe(true);
    expect(r.code).toBe(0);
  });
});
