// Runs the CLI as a user does: `node bin/kiln.js ...` against the compiled dist/ (build it first with
// `npx tsc -p tsconfig.json`; `npm test` does).
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..", "..");
const bin = join(root, "bin", "kiln.js");
const version = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string }).version;

function kiln(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, CHECKPOINT_DISABLE: "1" },
    timeout: 30_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const LIST_HEAD = "Usage: kiln [--version] [--help] <command> [<args>]\n\nAvailable commands are:\n";

beforeAll(() => {
  if (!existsSync(join(root, "dist", "cli", "main.js"))) {
    throw new Error("dist/cli/main.js is missing: run `npx tsc -p tsconfig.json` before the e2e tests");
  }
});

describe("kiln (e2e)", () => {
  it("alone: lists the commands on stderr and exits 127", () => {
    const r = kiln();
    expect(r.code).toBe(127);
    expect(r.stderr.startsWith(LIST_HEAD)).toBe(true);
    expect(r.stderr).toContain("    build           build image(s) from template\n");
    expect(r.stdout).toBe("");
  });

  it("-h: lists the commands on stdout and exits 0", () => {
    const r = kiln("-h");
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith(LIST_HEAD)).toBe(true);
    expect(r.stderr).toBe("");
  });

  it("build -h: shows build's usage with its flags and exits 0", () => {
    const r = kiln("build", "-h");
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith("Usage: kiln build [options] TEMPLATE\n")).toBe(true);
    for (const flag of [
      "-only=",
      "-except=",
      "-var ",
      "-var-file=",
      "-on-error=",
      "-parallel-builds=",
      "-force",
    ]) {
      expect(r.stdout).toContain(`  ${flag}`);
    }
  });

  it.each([["version"], ["-v"], ["--version"], ["-version"]])("%s: prints the version", (arg) => {
    const r = kiln(arg);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`kiln v${version} (compatible with Packer v1.16.0)\n`);
    expect(r.stderr).toBe("");
  });

  it("-machine-readable version: prints Packer's machine lines", () => {
    const r = kiln("-machine-readable", "version");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      new RegExp(
        `^\\d+,,version,${version.replaceAll(".", "\\.")}\n\\d+,,version-prelease,\n\\d+,,version-commit,\n\\d+,,ui,say,kiln v`,
      ),
    );
  });

  it("nope: unknown command names it, lists the commands and exits 127, as Packer does", () => {
    const r = kiln("nope");
    expect(r.code).toBe(127);
    expect(r.stderr.startsWith(`kiln: unknown command "nope"\n\n${LIST_HEAD}`)).toBe(true);
    expect(r.stdout).toBe("");
  });

  it("build -nope .: one Go-style error line naming -nope, then the usage; exit 1", () => {
    const r = kiln("build", "-nope", ".");
    expect(r.code).toBe(1);
    expect(r.stderr.split("\n")[0]).toBe("flag provided but not defined: -nope");
    expect(r.stderr).toContain("Usage: kiln build [options] TEMPLATE");
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("init .: parses, then says the work is not implemented yet", () => {
    const r = kiln("init", "-upgrade", "-var", "a=b", ".");
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("kiln init: not implemented yet\n");
  });
});
