import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { kiln } from "./run-kiln.js";

const UNFORMATTED = 'source "null" "a" {\ncommunicator="none"\n  ssh_host = "x"\n}\n';
const FORMATTED = 'source "null" "a" {\n  communicator = "none"\n  ssh_host     = "x"\n}\n';

let dir = "";
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "kiln-fmt-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("kiln fmt (e2e)", () => {
  it("-check lists files that need formatting, changes nothing, exits 3", () => {
    writeFileSync(join(dir, "a.pkr.hcl"), UNFORMATTED);
    writeFileSync(join(dir, "ok.pkr.hcl"), FORMATTED);
    const r = kiln(["fmt", "-check", "."], { cwd: dir });
    expect(r.code).toBe(3);
    expect(r.stdout).toBe("a.pkr.hcl\n");
    expect(readFileSync(join(dir, "a.pkr.hcl"), "utf8")).toBe(UNFORMATTED);
    expect(kiln(["fmt", "-check", "ok.pkr.hcl"], { cwd: dir }).code).toBe(0);
  });

  it("rewrites files in place and is then clean", () => {
    writeFileSync(join(dir, "a.pkr.hcl"), UNFORMATTED);
    writeFileSync(join(dir, "v.pkrvars.hcl"), "x=1\nlonger=2\n");
    writeFileSync(join(dir, "ignored.json"), "{ }");
    const r = kiln(["fmt", "."], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("a.pkr.hcl\nv.pkrvars.hcl\n");
    expect(readFileSync(join(dir, "a.pkr.hcl"), "utf8")).toBe(FORMATTED);
    expect(readFileSync(join(dir, "v.pkrvars.hcl"), "utf8")).toBe("x      = 1\nlonger = 2\n");
    expect(kiln(["fmt", "-check", "."], { cwd: dir }).code).toBe(0);
  });

  it("-diff -write=false prints a unified diff", () => {
    writeFileSync(join(dir, "a.pkr.hcl"), UNFORMATTED);
    const r = kiln(["fmt", "-diff", "-write=false", "a.pkr.hcl"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        "a.pkr.hcl",
        "--- old/a.pkr.hcl",
        "+++ new/a.pkr.hcl",
        "@@ -1,4 +1,4 @@",
        ' source "null" "a" {',
        '-communicator="none"',
        '-  ssh_host = "x"',
        '+  communicator = "none"',
        '+  ssh_host     = "x"',
        " }",
        "",
      ].join("\n"),
    );
    expect(readFileSync(join(dir, "a.pkr.hcl"), "utf8")).toBe(UNFORMATTED);
  });

  it("descends into sub-directories only with -recursive, skipping hidden and editor files", () => {
    mkdirSync(join(dir, "sub"));
    writeFileSync(join(dir, "sub", "b.pkr.hcl"), UNFORMATTED);
    writeFileSync(join(dir, ".hidden.pkr.hcl"), UNFORMATTED);
    writeFileSync(join(dir, "#x.pkr.hcl#"), UNFORMATTED);
    expect(kiln(["fmt", "-check", "."], { cwd: dir }).code).toBe(0);
    const r = kiln(["fmt", "-check", "-recursive", "."], { cwd: dir });
    expect(r.code).toBe(3);
    expect(r.stdout).toBe("sub/b.pkr.hcl\n");
  });

  it("formats standard input to standard output with -", () => {
    const r = kiln(["fmt", "-"], { cwd: dir, input: UNFORMATTED });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(FORMATTED);
  });

  it("reports a file that does not parse with file and line, leaves it alone, exits 1", () => {
    const bad = 'source "null" "a" {\n  communicator = \n}\n';
    writeFileSync(join(dir, "bad.pkr.hcl"), bad);
    const r = kiln(["fmt", "bad.pkr.hcl"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("Error: ");
    expect(r.stdout).toMatch(/on bad\.pkr\.hcl line 2/);
    expect(r.stdout + r.stderr).not.toMatch(/\n\s+at .*\.js:\d+/);
    expect(readFileSync(join(dir, "bad.pkr.hcl"), "utf8")).toBe(bad);
  });

  it("refuses a named file that is not HCL2", () => {
    writeFileSync(join(dir, "t.json"), "{}");
    const r = kiln(["fmt", "t.json"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("file t.json is not a HCL file");
  });
});
