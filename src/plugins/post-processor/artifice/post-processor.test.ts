import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { valueFromNative } from "../../../hcl/index.js";
import { basicArtifact } from "../../../sdk/index.js";
import { RecordingUi, testBuildInfo, testRunContext } from "../../provisioner/shell-local/test-support.js";
import { goGlob, goMatch } from "./go-glob.js";
import { ArtificePostProcessor } from "./post-processor.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "kiln-artifice-"));
  mkdirSync(join(dir, "out/sub"), { recursive: true });
  for (const f of ["out/b.txt", "out/a.txt", "out/.hidden.txt", "out/c.img", "out/sub/d.txt", "x[1].txt"]) {
    writeFileSync(join(dir, f), f);
  }
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("Go's filepath.Match and Glob", () => {
  it("matches as Go does", () => {
    expect(goMatch("*.txt", ".hidden.txt")).toBe(true);
    expect(goMatch("a?c", "abc")).toBe(true);
    expect(goMatch("a?c", "a/c")).toBe(false);
    expect(goMatch("*", "a/b")).toBe(false);
    expect(goMatch("[a-c]x", "bx")).toBe(true);
    expect(goMatch("[^a-c]x", "bx")).toBe(false);
    expect(goMatch("[^a-c]x", "dx")).toBe(true);
    expect(goMatch("\\*", "*")).toBe(true);
    expect(goMatch("\\*", "a")).toBe(false);
    expect(goMatch("[\\]]", "]")).toBe(true);
    for (const bad of ["[", "[]", "[a-]", "\\", "[z-a]", "[-a]"]) {
      expect(() => goMatch(bad, "x"), bad).toThrow("syntax error in pattern");
    }
  });

  it("globs in every element, sorted per directory, names relative as given", () => {
    expect(goGlob("out/*.txt", dir)).toEqual(["out/.hidden.txt", "out/a.txt", "out/b.txt"]);
    expect(goGlob("*/*/*.txt", dir)).toEqual(["out/sub/d.txt"]);
    expect(goGlob("o*/c.img", dir)).toEqual(["out/c.img"]);
    expect(goGlob(join(dir, "out/[ab].txt"), "/")).toEqual([join(dir, "out/a.txt"), join(dir, "out/b.txt")]);
    expect(goGlob("out/a.txt", dir)).toEqual(["out/a.txt"]);
    expect(goGlob("out/none.txt", dir)).toEqual([]);
    expect(goGlob("nodir/*", dir)).toEqual([]);
    expect(goGlob("x\\[1\\].txt", dir)).toEqual(["x[1].txt"]);
    expect(() => goGlob("out/[", dir)).toThrow("syntax error in pattern");
  });
});

describe("artifice post-processor", () => {
  const configured = (config: Record<string, unknown>) => {
    const pp = new ArtificePostProcessor();
    expect(pp.configure(valueFromNative(config), testBuildInfo({ cwd: dir })).diagnostics).toEqual([]);
    return pp;
  };
  const run = (pp: ArtificePostProcessor, files: string[], ui = new RecordingUi()) =>
    pp.postProcess(
      ui,
      basicArtifact({ builderId: "packer.file", id: "File", string: "f", files }),
      new AbortController().signal,
      testRunContext(),
    );

  it("replaces the artifact with the files, globs expanded", async () => {
    const ui = new RecordingUi();
    const result = await run(
      configured({ files: ["out/[ab].txt", "out/c.img", "missing*"] }),
      ["in.img"],
      ui,
    );
    expect(ui.texts("say")).toEqual([
      "Discarding files from artifact: in.img",
      "Using these artifact files: out/a.txt, out/b.txt, out/c.img",
    ]);
    expect(result.keep).toBe(true);
    expect(result.forceOverride).toBe(false);
    const artifact = result.artifact!;
    expect(artifact.builderId()).toBe("packer.post-processor.artifice");
    expect(artifact.files()).toEqual(["out/a.txt", "out/b.txt", "out/c.img"]);
    expect(artifact.id()).toBe("");
    expect(artifact.string()).toBe("Created artifact from files: out/a.txt, out/b.txt, out/c.img");
    await artifact.destroy();
    expect(existsSync(join(dir, "out/a.txt"))).toBe(false);
    expect(existsSync(join(dir, "out/.hidden.txt"))).toBe(true);
  });

  it("says nothing about discarding when the input has no files", async () => {
    const ui = new RecordingUi();
    await run(configured({ files: ["none*"] }), [], ui);
    expect(ui.texts("say")).toEqual(["Using these artifact files: "]);
  });

  it("fails on a dangling symlink and a malformed pattern", async () => {
    symlinkSync(join(dir, "gone"), join(dir, "out/link"));
    await expect(run(configured({ files: ["out/link"] }), [])).rejects.toThrow(
      "stat out/link: no such file or directory",
    );
    await expect(run(configured({ files: ["out/[z-a]"] }), [])).rejects.toThrow("syntax error in pattern");
  });

  it("requires files", () => {
    const pp = new ArtificePostProcessor();
    for (const config of [{}, { files: [] }]) {
      expect(
        pp.configure(valueFromNative(config), testBuildInfo()).diagnostics.map((d) => d.summary),
      ).toEqual(["No files specified in artifice configuration"]);
    }
  });
});
