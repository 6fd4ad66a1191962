// `kiln validate` over the real templates of the shared corpus, run the way packer166-results.tsv ran Packer:
// in the case's directory, with `.` for a directory case and the file name for a file case.
//
// - Every positive HCL2 case (kind template or dir) passes `validate -syntax-only`: no plugin is needed for
//   that, so templates for plugins kiln lacks pass too. A few cases are not loadable as copied (see
//   NOT_LOADABLE); they must fail with a located diagnostic instead.
// - Every HCL2 case marked fixture-invalid-on-purpose fails `validate` with a diagnostic that names the file
//   and line (except the few errors that have no place in a file, see UNLOCATED), and never with a stack
//   trace.
import { readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { PassThrough, Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { corpusOrSkipReason } from "../support/corpus.js";

interface Case {
  readonly path: string;
  readonly kind: string;
  readonly notes: string;
}

/** Positive cases that cannot load as they were copied, and why. */
const NOT_LOADABLE: Readonly<Record<string, string>> = {
  "hashicorp__packer/hcl2template__fixtures__well_formed_provisioner.pkr.hcl":
    "a bare top-level provisioner block that upstream decodes directly, not a template",
  "hashicorp__packer/command__test-fixtures__repro-sensitive-multiline/":
    "two OS-specific files that upstream loads one at a time; together they declare a variable twice",
  "hashicorp__packer/datasource__hcp-packer-version__test-fixtures__template.pkr.hcl":
    "a Go format string (`region = %q`) that upstream fills in before use",
};

/**
 * Negative cases that are valid templates as far as `validate` goes: upstream expects their error from a
 * later stage, and so does kiln.
 */
const VALID_FOR_VALIDATE: Readonly<Record<string, string>> = {
  "hashicorp__packer/command__test-fixtures__hcp__dup_build_blocks.pkr.hcl":
    "two hcp_packer_registry blocks are an error only when a build sets up HCP Packer publishing",
};

/** Negative cases whose error has no place in a file (Packer gives it no range either). */
const UNLOCATED: Readonly<Record<string, string>> = {
  "hashicorp__packer/command__test-fixtures__hcl__no_build.pkr.hcl": "Missing build block",
};

const LOCATED = /^ {2}on \S+ line \d+/m;
const STACK = /^\s+at .+:\d+:\d+\)?$/m;

function readCases(dir: string): Case[] {
  const lines = readFileSync(join(dir, "INDEX.tsv"), "utf8").split("\n").slice(1);
  const cases: Case[] = [];
  for (const line of lines) {
    const cols = line.split("\t");
    if (cols.length < 9 || cols[4] !== "hcl2") continue;
    cases.push({ path: cols[0]!, kind: cols[5]!, notes: cols[8]! });
  }
  return cases;
}

class Capture extends Writable {
  text = "";
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: (error?: Error | null) => void): void {
    this.text += chunk.toString();
    done();
  }
}

/** Runs the CLI in this process (as bin/kiln.js would, minus the process wiring) in the case's directory. */
async function runValidate(corpus: string, c: Case, extra: readonly string[]) {
  const isDir = c.path.endsWith("/");
  const cwd = isDir ? join(corpus, c.path) : join(corpus, dirname(c.path));
  const arg = isDir ? "." : basename(c.path);
  const stdout = new Capture();
  const stderr = new Capture();
  const stdin = new PassThrough();
  stdin.end();
  const code = await main(["validate", ...extra, arg], {
    stdout,
    stderr,
    stdin,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/root", CHECKPOINT_DISABLE: "1" },
    cwd,
  });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

const corpus = corpusOrSkipReason();

describe.skipIf("skip" in corpus)("validate over the template corpus", () => {
  if ("skip" in corpus) {
    it.skip(corpus.skip, () => {});
    return;
  }
  const dir = corpus.dir;
  const cases = readCases(dir);
  const positive = cases.filter((c) => c.kind === "template" || c.kind === "dir");
  const negative = cases.filter((c) => c.kind === "fixture-invalid-on-purpose");

  it("finds the HCL2 cases", () => {
    expect(positive.length).toBeGreaterThan(100);
    expect(negative.length).toBeGreaterThan(40);
  });

  describe("positive cases pass -syntax-only", () => {
    for (const c of positive) {
      it(c.path, async () => {
        const r = await runValidate(dir, c, ["-syntax-only"]);
        expect(r.stdout + r.stderr).not.toMatch(STACK);
        if (NOT_LOADABLE[c.path] !== undefined) {
          expect(r.code).toBe(1);
          expect(r.stdout).toMatch(LOCATED);
          return;
        }
        // Warnings (an undeclared variable in an auto var file) may come first.
        expect(r.code, r.stdout).toBe(0);
        expect(r.stdout).toMatch(/(^|\n)Syntax-only check passed\. Everything looks okay\.\n$/);
        expect(r.stdout).not.toMatch(/^Error: /m);
      });
    }
  });

  describe("invalid-on-purpose cases fail validate with a located diagnostic", () => {
    for (const c of negative) {
      it(c.path, async () => {
        const r = await runValidate(dir, c, []);
        expect(r.stdout + r.stderr).not.toMatch(STACK);
        expect(r.stderr).not.toMatch(/internal error/);
        if (VALID_FOR_VALIDATE[c.path] !== undefined) {
          expect(r.code, r.stdout).toBe(0);
          return;
        }
        expect(r.code, r.stdout).toBe(1);
        expect(r.stdout).toMatch(/^Error: /m);
        const unlocated = UNLOCATED[c.path];
        if (unlocated !== undefined) expect(r.stdout).toContain(`Error: ${unlocated}`);
        else expect(r.stdout).toMatch(LOCATED);
      });
    }
  });
});
