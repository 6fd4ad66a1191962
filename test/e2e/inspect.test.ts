// `kiln inspect` on HCL2 templates (node bin/kiln.js; build dist first). The expected layout was recorded
// from Packer 1.6.6 (`packer inspect`) on the same template, which prints it identically to 1.16.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { kiln } from "./run-kiln.js";

let dir = "";
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "kiln-inspect-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const TEMPLATE = `variable "foo" {
  type = string
  default = "bar"
}
variable "secret" {
  default = "s3cr3t"
  sensitive = true
}
variable "lst" {
  default = ["a", "b"]
}
locals {
  up = upper(var.foo)
  obj = { a = 1, b = "x" }
}
source "null" "one" {
  communicator = "none"
}
build {
  name = "mybuild"
  description = "desc here"
  sources = ["source.null.one"]
  provisioner "shell-local" {
    inline = ["echo hi"]
  }
  provisioner "shell-local" {
    name = "named"
    inline = ["echo hi"]
  }
  post-processor "manifest" {}
  post-processors {
    post-processor "checksum" { name = "c" }
    post-processor "compress" {}
  }
}
build {
  sources = ["source.null.one"]
}
`;

const EXPECTED = `Packer Inspect: HCL2 mode

> input-variables:

var.foo: "bar"
var.lst: "[\\n  \\"a\\",\\n  \\"b\\",\\n]"
var.secret: "<sensitive>"

> local-variables:

local.obj: "{\\n  \\"a\\" = 1\\n  \\"b\\" = \\"x\\"\\n}"
local.up: "BAR"

> builds:

  > mybuild:

  > Description: desc here

    sources:

      null.one

    provisioners:

      shell-local
      shell-local.named

    post-processors:

      0:
        manifest

      1:
        checksum.c
        compress

  > <unnamed build 1>:

    sources:

      null.one

    provisioners:

      <no provisioner>

    post-processors:

      <no post-processor>

`;

describe("kiln inspect (e2e)", () => {
  it("prints variables, locals and builds in Packer's HCL2 layout", () => {
    writeFileSync(join(dir, "a.pkr.hcl"), TEMPLATE);
    const r = kiln(["inspect", "a.pkr.hcl"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(EXPECTED);
    expect(r.stdout).not.toContain("s3cr3t");
  });

  it("shows values given on the command line and in the environment", () => {
    writeFileSync(join(dir, "a.pkr.hcl"), TEMPLATE);
    const env = kiln(["inspect", "."], { cwd: dir, env: { PKR_VAR_foo: "env" } });
    expect(env.stdout).toContain('var.foo: "env"\n');
    expect(env.stdout).toContain('local.up: "ENV"');
    const cli = kiln(["inspect", "-var", "foo=cli", "."], { cwd: dir, env: { PKR_VAR_foo: "env" } });
    expect(cli.stdout).toContain('var.foo: "cli"\n');
    expect(cli.stdout).toContain('local.up: "CLI"');
    // A default of ["a", "b"] gives the variable that tuple type: a one-element value does not fit.
    const typed = kiln(["inspect", "."], { cwd: dir, env: { PKR_VAR_lst: '["e"]' } });
    expect(typed.code).toBe(1);
    expect(typed.stdout).toContain("Error: Invalid value for variable");
  });

  it("still inspects when initialization finds problems, and fails on syntax errors", () => {
    writeFileSync(
      join(dir, "a.pkr.hcl"),
      'variable "x" {\n  type = string\n}\nbuild {\n  name = "b"\n  sources = ["source.null.nope"]\n}\n',
    );
    const r = kiln(["inspect", "a.pkr.hcl"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('var.x: "<unknown>"');
    expect(r.stdout).toContain("  > b:\n\n    sources:\n\n      null.nope\n");
    writeFileSync(join(dir, "a.pkr.hcl"), "build {\n");
    const broken = kiln(["inspect", "a.pkr.hcl"], { cwd: dir });
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain("Error: Unclosed configuration block");
  });
});
