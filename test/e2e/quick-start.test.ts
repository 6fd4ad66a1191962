// The README's quick-start build (examples/hello), run on a copy so the checkout stays clean.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { kiln, projectRoot } from "./run-kiln.js";

const dir = mkdtempSync(join(tmpdir(), "kiln-quick-start-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("README quick start", () => {
  it("builds examples/hello: the file artifact, its checksum and the manifest", () => {
    cpSync(join(projectRoot, "examples", "hello"), join(dir, "hello"), {
      recursive: true,
      filter: (src) => !src.includes(`${join("hello", "output")}`),
    });
    const r = kiln(["build", "-color=false", "hello"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("    file.hello: building hello with kiln\n");
    expect(r.stdout).toContain("Build 'file.hello' finished after");
    const out = join(dir, "hello", "output");
    expect(readFileSync(join(out, "hello.txt"), "utf8")).toBe("HELLO FROM KILN\n");
    expect(readFileSync(join(out, "hello.sha256"), "utf8")).toMatch(/^[0-9a-f]{64}\thello\.txt\n$/);
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
    expect(manifest.builds[0]).toMatchObject({ name: "hello", builder_type: "file", artifact_id: "File" });
    expect(existsSync(join(projectRoot, "examples", "hello", "hello.pkr.hcl"))).toBe(true);
  });
});
