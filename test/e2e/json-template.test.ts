// `kiln validate`, `inspect` and `build` on legacy JSON templates, as a user runs them (node bin/kiln.js;
// build dist first with `npx tsc -p tsconfig.json`). The template uses the null builder, the shell-local
// provisioner and the manifest post-processor, so the builds run anywhere.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { kiln } from "./run-kiln.js";

let dir = "";
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "kiln-json-template-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): void {
  writeFileSync(join(dir, name), text);
}

function run(args: readonly string[], input = "") {
  return kiln(args, { cwd: dir, input });
}

const TEMPLATE = JSON.stringify(
  {
    description: "demo template",
    variables: { x: "hello", y: "{{user `x`}}-y", req: null },
    builders: [
      { type: "null", name: "one", communicator: "none" },
      { type: "null", name: "two", communicator: "none" },
    ],
    provisioners: [
      {
        type: "shell-local",
        inline: ["echo x={{user `x`}} y={{user `y`}} req={{user `req`}} b={{build_name}}"],
      },
    ],
    "post-processors": [{ type: "manifest", output: "manifest.json", strip_path: true }],
  },
  null,
  2,
);

interface ManifestBuild {
  name: string;
  builder_type: string;
  artifact_id: string;
  packer_run_uuid: string;
}

function manifest(): { builds: ManifestBuild[]; last_run_uuid: string } {
  return JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
}

describe("kiln validate on legacy JSON templates (e2e)", () => {
  it("-syntax-only only parses: a missing required variable does not matter", () => {
    write("t.json", TEMPLATE);
    expect(run(["validate", "-syntax-only", "t.json"])).toMatchObject({
      code: 0,
      stdout: "Syntax-only check passed. Everything looks okay.\n",
    });
  });

  it("reports a required variable left unset as Packer's core does", () => {
    write("t.json", TEMPLATE);
    const r = run(["validate", "t.json"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("Error: \n\n1 error occurred:\n\t* required variable not set: req\n\n\n\n\n");
  });

  it("is valid once the required variable is given with -var or -var-file", () => {
    write("t.json", TEMPLATE);
    write("vars.json", '{"req": "r"}');
    expect(run(["validate", "-var", "req=r", "t.json"])).toMatchObject({
      code: 0,
      stdout: "The configuration is valid.\n",
    });
    expect(run(["validate", "-var-file=vars.json", "t.json"])).toMatchObject({
      code: 0,
      stdout: "The configuration is valid.\n",
    });
  });

  it("reports a component configuration error as a failed build preparation", () => {
    write(
      "t.json",
      JSON.stringify({
        builders: [{ type: "null", communicator: "none" }],
        provisioners: [{ type: "shell-local" }],
      }),
    );
    const r = run(["validate", "t.json"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Error: Failed to prepare build: "null"');
    expect(r.stdout).not.toContain("The configuration is valid.");
  });

  it("reads the template from standard input with -", () => {
    const r = run(["validate", "-"], '{"builders":[{"type":"null","communicator":"none"}]}');
    expect(r).toMatchObject({ code: 0, stdout: "The configuration is valid.\n" });
  });

  it("reports a JSON syntax error with its line, without a stack trace", () => {
    write("bad.json", '{\n  "builders": [\n    {"type": "null",, "communicator": "none"}\n  ]\n}\n');
    for (const command of ["validate", "inspect", "build"]) {
      const r = run([command, "bad.json"]);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain(
        "Original error: Error parsing JSON: invalid character ',' looking for beginning of object key string\nAt line 3, column 22 (offset 39):\n",
      );
      expect(r.stdout).toContain('    3:     {"type": "null",,\n                           ^\n');
      expect(r.stdout + r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it("reports a var file that cannot be read", () => {
    write("t.json", TEMPLATE);
    expect(run(["validate", "-var-file=nope.json", "t.json"])).toMatchObject({
      code: 1,
      stdout: "open nope.json: no such file or directory\n",
    });
  });
});

describe("kiln inspect on legacy JSON templates (e2e)", () => {
  it("lists description, variables, builders and provisioners as Packer does", () => {
    write("t.json", TEMPLATE);
    const r = run(["inspect", "t.json"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        "Packer Inspect: JSON mode",
        "Description:\n",
        "demo template\n",
        "Required variables:\n",
        "  req",
        "",
        "Optional variables and their defaults:\n",
        "  x   = hello",
        "  y   = {{user `x`}}-y",
        "",
        "Builders:\n",
        "  one (null)",
        "  two (null)",
        "",
        "Provisioners:\n",
        "  shell-local",
        "\nNote: If your build names contain user variables or template\nfunctions such as 'timestamp', these are processed at build time,\nand therefore only show in their raw form here.",
        "",
      ].join("\n"),
    );
  });

  it("speaks machine-readable", () => {
    write("t.json", TEMPLATE);
    const r = run(["inspect", "-machine-readable", "t.json"]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split("\n").map((l) => l.replace(/^\d+,/, ""));
    expect(lines).toContain(",template-variable,req,,1");
    expect(lines).toContain(",template-variable,x,hello,0");
    expect(lines).toContain(",template-builder,one,null");
    expect(lines).toContain(",template-provisioner,shell-local");
    expect(lines[0]).toBe(",ui,say,Packer Inspect: JSON mode");
  });
});

describe("kiln build on legacy JSON templates (e2e)", () => {
  it("runs every build with the variables of the run and writes the manifest", () => {
    write("t.json", TEMPLATE);
    write("vars.json", '{"x": "fromfile"}');
    const r = run(["build", "-color=false", "-var", "req=r", "-var-file=vars.json", "t.json"]);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain("output will be in this color");
    expect(r.stdout).toContain("    null.one: x=fromfile y=fromfile-y req=r b=one\n");
    expect(r.stdout).toContain("    null.two: x=fromfile y=fromfile-y req=r b=two\n");
    expect(r.stdout).toContain("==> null.one: Running post-processor: manifest\n");
    expect(r.stdout).toContain(
      "==> Builds finished. The artifacts of successful builds are:\n--> null.one: Did not export anything. This is the null builder\n",
    );
    const m = manifest();
    expect(m.builds.map((b) => b.name).sort()).toEqual(["one", "two"]);
    for (const b of m.builds) {
      expect(b).toMatchObject({
        builder_type: "null",
        artifact_id: "Null",
        packer_run_uuid: m.last_run_uuid,
      });
    }
  });

  it("-var wins over the default; -only takes exact build names", () => {
    write("t.json", TEMPLATE);
    const r = run(["build", "-color=false", "-var", "req=r", "-var", "x=cli", "-only=two", "t.json"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("    null.two: x=cli y=cli-y req=r b=two\n");
    expect(r.stdout).not.toContain("null.one");
    expect(manifest().builds.map((b) => b.name)).toEqual(["two"]);
  });

  it("-except drops builds and post-processors by exact name", () => {
    write("t.json", TEMPLATE);
    const r = run(["build", "-color=false", "-var", "req=r", "-except=one,manifest", "t.json"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("    null.two: x=hello y=hello-y req=r b=two\n");
    expect(r.stdout).not.toContain("null.one");
    expect(r.stdout).not.toContain("Running post-processor");
    expect(existsSync(join(dir, "manifest.json"))).toBe(false);
  });

  it("selects no build with a partial name and says there is nothing to run", () => {
    write("t.json", TEMPLATE);
    const r = run(["build", "-color=false", "-var", "req=r", "-only=on", "t.json"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("Error: No builds to run\n");
    expect(existsSync(join(dir, "manifest.json"))).toBe(false);
  });

  it("stops before building when a required variable is missing", () => {
    write("t.json", TEMPLATE);
    const r = run(["build", "-color=false", "t.json"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("* required variable not set: req\n");
    expect(r.stdout).not.toContain("Running local shell script");
    expect(existsSync(join(dir, "manifest.json"))).toBe(false);
  });
});

describe("kiln console on legacy JSON templates (e2e)", () => {
  it("evaluates with the template's variables and fails on a broken template as the other commands do", () => {
    write("t.json", TEMPLATE);
    const r = run(["console", "-var", "req=r", "-var", "x=c", "t.json"], "{{user `y`}} {{user `req`}}\n");
    expect(r).toMatchObject({ code: 0, stdout: "c-y r\n" });
    write("bad.json", '{\n  "builders": [\n    {"type": "null",, "communicator": "none"}\n  ]\n}\n');
    const bad = run(["console", "bad.json"]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain("Original error: Error parsing JSON: invalid character ','");
    expect(bad.stdout).toContain("At line 3, column 22 (offset 39):\n");
  });
});
