// `kiln validate` as a user runs it (node bin/kiln.js; build dist first with `npx tsc -p tsconfig.json`).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { kiln } from "./run-kiln.js";

let dir = "";
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "kiln-validate-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): void {
  writeFileSync(join(dir, name), text);
}

const NULL_SOURCE = 'source "null" "one" {\n  communicator = "none"\n}\n';

describe("kiln validate (e2e)", () => {
  it("-syntax-only and full validation report success", () => {
    write("a.pkr.hcl", `${NULL_SOURCE}build {\n  sources = ["source.null.one"]\n}\n`);
    expect(kiln(["validate", "-syntax-only", "a.pkr.hcl"], { cwd: dir })).toMatchObject({
      code: 0,
      stdout: "Syntax-only check passed. Everything looks okay.\n",
    });
    expect(kiln(["validate", "."], { cwd: dir })).toMatchObject({
      code: 0,
      stdout: "The configuration is valid.\n",
    });
  });

  it("-syntax-only needs no plugin, full validation names the unknown component where it is used", () => {
    write(
      "a.pkr.hcl",
      'source "amazon-ebs" "x" {\n  region = "us-east-1"\n}\nbuild {\n  sources = ["source.amazon-ebs.x"]\n  provisioner "shel-local" {\n    inline = ["true"]\n  }\n}\n',
    );
    expect(kiln(["validate", "-syntax-only", "a.pkr.hcl"], { cwd: dir }).code).toBe(0);
    const r = kiln(["validate", "a.pkr.hcl"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("Error: Unknown source type amazon-ebs\n\n  on a.pkr.hcl line 4, in build:\n");
    expect(r.stdout).toContain("https://developer.hashicorp.com/packer/integrations?filter=amazon");
    expect(r.stdout).toContain(
      'Error: Unknown provisioner type "shel-local"\n\n  on a.pkr.hcl line 6, in build:\n',
    );
    expect(r.stdout).toContain('Did you mean to use "shell-local"?');
  });

  it("reports an argument the component does not take at its line, with a suggestion", () => {
    write(
      "a.pkr.hcl",
      'source "null" "one" {\n  communicator = "none"\n}\nbuild {\n  sources = ["source.null.one"]\n  provisioner "shell-local" {\n    inlin = ["echo"]\n  }\n}\n',
    );
    const r = kiln(["validate", "a.pkr.hcl"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      'Error: Unsupported argument\n\n  on a.pkr.hcl line 7, in build:\n   7:     inlin = ["echo"]\n\nAn argument named "inlin" is not expected here. Did you mean "inline"?\n',
    );
  });

  it("reports an unknown top-level block and a missing build block", () => {
    write("a.pkr.hcl", `${NULL_SOURCE}bulid {\n}\n`);
    const r = kiln(["validate", "a.pkr.hcl"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      "Error: Unsupported block type\n\n  on a.pkr.hcl line 4, in bulid:\n   4: bulid {\n",
    );
    expect(r.stdout).toContain('Blocks of type "bulid" are not expected here. Did you mean "build"?');
    write("a.pkr.hcl", NULL_SOURCE);
    const missing = kiln(["validate", "a.pkr.hcl"], { cwd: dir });
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain("Error: Missing build block");
    expect(kiln(["validate", "-syntax-only", "a.pkr.hcl"], { cwd: dir }).code).toBe(0);
  });

  it("warns about undeclared var-file variables by default, not with -no-warn-undeclared-var", () => {
    write("a.pkr.hcl", `${NULL_SOURCE}build {\n  sources = ["source.null.one"]\n}\n`);
    write("v.pkrvars.hcl", 'nope = "x"\n');
    const warned = kiln(["validate", "-var-file=v.pkrvars.hcl", "a.pkr.hcl"], { cwd: dir });
    expect(warned.code).toBe(0);
    expect(warned.stdout).toContain("Warning: Undefined variable\n\n  on v.pkrvars.hcl line 1:\n");
    expect(warned.stdout).toContain('The variable "nope" was set but was not declared as an input variable.');
    expect(warned.stdout).toMatch(/The configuration is valid\.\n$/);
    const quiet = kiln(["validate", "-no-warn-undeclared-var", "-var-file=v.pkrvars.hcl", "a.pkr.hcl"], {
      cwd: dir,
    });
    expect(quiet).toMatchObject({ code: 0, stdout: "The configuration is valid.\n" });
  });

  it("rejects an undeclared -var and a var file that declares variables", () => {
    write("a.pkr.hcl", `${NULL_SOURCE}build {\n  sources = ["source.null.one"]\n}\n`);
    const r = kiln(["validate", "-syntax-only", "-var", "nope=1", "a.pkr.hcl"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("Error: Undefined -var variable");
    write("v.pkrvars.hcl", 'variable "x" {}\n');
    const decl = kiln(["validate", "-syntax-only", "-var-file=v.pkrvars.hcl", "a.pkr.hcl"], { cwd: dir });
    expect(decl.code).toBe(1);
    expect(decl.stdout).toContain("Error: Variable declaration in a .pkrvar file");
    write("v.txt", "x = 1\n");
    const guess = kiln(["validate", "-syntax-only", "-var-file=v.txt", "a.pkr.hcl"], { cwd: dir });
    expect(guess.stdout).toContain("Error: Could not guess format of v.txt");
  });

  it("applies variable validation rules to the value in force, naming where it came from", () => {
    write(
      "a.pkr.hcl",
      `variable "size" {\n  type = number\n  default = 2\n  validation {\n    condition = var.size < 10\n    error_message = "The size must be below 10."\n  }\n}\n${NULL_SOURCE}build {\n  sources = ["source.null.one"]\n}\n`,
    );
    expect(kiln(["validate", "a.pkr.hcl"], { cwd: dir }).code).toBe(0);
    const r = kiln(["validate", "-var", "size=12", "a.pkr.hcl"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("Error: Invalid value for cmd variable");
    expect(r.stdout).toContain(
      "The size must be below 10.\n\nThis was checked by the validation rule at a.pkr.hcl:4,3-13.",
    );
    const typed = kiln(["validate", "-var", "size=big", "a.pkr.hcl"], { cwd: dir });
    expect(typed.stdout).toContain("Error: Invalid argument value for -var variable");
    expect(typed.stdout).toContain("a number is required");
  });

  it("checks validation blocks themselves and unset variables", () => {
    write(
      "a.pkr.hcl",
      `variable "a" {\n  validation {\n    condition = var.b != ""\n    error_message = "lowercase start."\n  }\n}\n${NULL_SOURCE}build {\n  sources = ["source.null.one"]\n}\n`,
    );
    const r = kiln(["validate", "-syntax-only", "a.pkr.hcl"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("Error: Invalid reference in variable validation");
    expect(r.stdout).toContain("Error: Invalid variable validation condition");
    expect(r.stdout).toContain("Error: Invalid validation error message");
    write(
      "a.pkr.hcl",
      `variable "a" {\n  type = string\n}\n${NULL_SOURCE}build {\n  sources = ["source.null.one"]\n}\n`,
    );
    expect(kiln(["validate", "-syntax-only", "a.pkr.hcl"], { cwd: dir }).code).toBe(0);
    const unset = kiln(["validate", "a.pkr.hcl"], { cwd: dir });
    expect(unset.code).toBe(1);
    expect(unset.stdout).toContain('Error: Unset variable "a"\n\n  on a.pkr.hcl line 1, in variable "a":');
  });

  it("checks packer.required_version against Packer 1.16.0", () => {
    write(
      "a.pkr.hcl",
      `packer {\n  required_version = ">= 1.10.0, < 2.0.0"\n}\n${NULL_SOURCE}build {\n  sources = ["source.null.one"]\n}\n`,
    );
    expect(kiln(["validate", "-syntax-only", "a.pkr.hcl"], { cwd: dir }).code).toBe(0);
    write("a.pkr.hcl", `packer {\n  required_version = "~> 1.17"\n}\nbogus {}\n`);
    const r = kiln(["validate", "-syntax-only", "a.pkr.hcl"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("Error: Unsupported Packer Core version");
    expect(r.stdout).toContain("This configuration does not support Packer version 1.16.0.");
    // The version error comes before (and instead of) anything else.
    expect(r.stdout).not.toContain("bogus");
  });

  it("reports a cycle between locals with both names", () => {
    write(
      "a.pkr.hcl",
      `locals {\n  a = "\${local.b}-x"\n  b = "\${local.a}-y"\n}\n${NULL_SOURCE}build {\n  sources = ["source.null.one"]\n}\n`,
    );
    expect(kiln(["validate", "-syntax-only", "a.pkr.hcl"], { cwd: dir }).code).toBe(0);
    const r = kiln(["validate", "a.pkr.hcl"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      "Error: failed to prepare execution graph\n\n  on a.pkr.hcl line 2, in locals:",
    );
    expect(r.stdout).toMatch(/Cycle: local\.(a, local\.b|b, local\.a)/);
  });

  it("gives data sources placeholders unless -evaluate-datasources", () => {
    write(
      "a.pkr.hcl",
      `data "null" "d" {\n  input = "abc"\n}\nlocals {\n  v = data.null.d.output\n}\nsource "file" "f" {\n  target = "out.txt"\n  content = local.v\n}\nbuild {\n  sources = ["source.file.f"]\n}\n`,
    );
    expect(kiln(["validate", "a.pkr.hcl"], { cwd: dir }).code).toBe(0);
    expect(kiln(["validate", "-evaluate-datasources", "a.pkr.hcl"], { cwd: dir }).code).toBe(0);
    const inspected = kiln(["inspect", "a.pkr.hcl"], { cwd: dir });
    expect(inspected.stdout).toContain('local.v: "abc"');
  });

  it("speaks machine-readable and validates legacy JSON templates", () => {
    write("a.pkr.hcl", `${NULL_SOURCE}build {\n  sources = ["source.null.one"]\n}\n`);
    const r = kiln(["validate", "-machine-readable", "a.pkr.hcl"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\d+,,ui,say,The configuration is valid\.\n$/);
    write("t.json", '{"builders":[{"type":"null","communicator":"none"}]}');
    const json = kiln(["validate", "t.json"], { cwd: dir });
    expect(json).toMatchObject({ code: 0, stdout: "The configuration is valid.\n" });
    const missing = kiln(["validate", "nope.json"], { cwd: dir });
    expect(missing).toMatchObject({
      code: 1,
      stdout: '"nope.json": stat nope.json: no such file or directory\n',
    });
  });

  it("accepts the JSON syntax (.pkr.json) and a directory of files", () => {
    write(
      "a.pkr.json",
      JSON.stringify({
        source: { null: { one: { communicator: "none" } } },
        build: { sources: ["source.null.one"] },
      }),
    );
    expect(kiln(["validate", "a.pkr.json"], { cwd: dir })).toMatchObject({ code: 0 });
    write("b.pkr.hcl", 'variable "x" {\n  default = "y"\n}\n');
    expect(kiln(["validate", "."], { cwd: dir })).toMatchObject({
      code: 0,
      stdout: "The configuration is valid.\n",
    });
  });

  it("reports a legacy JSON template nested too deeply as a parse error, not a crash", () => {
    write("deep.json", `{"builders":${"[".repeat(5000)}${"]".repeat(5000)}}`);
    const r = kiln(["validate", "deep.json"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(`${r.stdout}${r.stderr}`).toContain("exceeded max depth");
    expect(`${r.stdout}${r.stderr}`).not.toMatch(/internal error|^\s+at /m);
  });
});
