import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { valueFromNative } from "../../../hcl/index.js";
import { type Artifact, type BuildInfo, basicArtifact } from "../../../sdk/index.js";
import { RecordingUi, testBuildInfo, testRunContext } from "../../provisioner/shell-local/test-support.js";
import { ChecksumPostProcessor } from "./post-processor.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "kiln-checksum-"));
  writeFileSync(join(dir, "a.txt"), "hello\n");
  writeFileSync(join(dir, "b.bin"), Buffer.alloc(100_000, 1));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function info(overrides: Partial<BuildInfo> = {}): BuildInfo {
  return testBuildInfo({ cwd: dir, buildName: "f1", builderType: "file", ...overrides });
}

function configured(config: Record<string, unknown>): ChecksumPostProcessor {
  const pp = new ChecksumPostProcessor();
  expect(pp.configure(valueFromNative(config), info()).diagnostics).toEqual([]);
  return pp;
}

const input = (files: string[]): Artifact =>
  basicArtifact({
    builderId: "packer.file",
    id: "File",
    string: "f",
    files,
    state: { generated_data: { ID: "x1" } },
  });

const sum = (algorithm: string, data: string | Buffer) => createHash(algorithm).update(data).digest("hex");

async function run(pp: ChecksumPostProcessor, artifact: Artifact) {
  return pp.postProcess(new RecordingUi(), artifact, new AbortController().signal, testRunContext());
}

describe("checksum post-processor", () => {
  it("writes md5 by default to packer_<build>_<type>_md5.checksum, as Packer", async () => {
    const result = await run(configured({}), input(["a.txt"]));
    const file = join(dir, "packer_f1_file_md5.checksum");
    // The line Packer 1.6.6 wrote for this file.
    expect(readFileSync(file, "utf8")).toBe("b1946ac92492d2347c6235b4d2611184\ta.txt\n");
    expect(statSync(file).mode & 0o777).toBe(0o644);
    expect(result.keep).toBe(true);
    expect(result.forceOverride).toBe(true);
    expect(result.artifact?.files()).toEqual(["a.txt", "packer_f1_file_md5.checksum"]);
    expect(result.artifact?.id()).toBe("");
    expect(result.artifact?.builderId()).toBe("packer.post-processor.checksum");
    expect(result.artifact?.string()).toBe("Created artifact from files: a.txt, packer_f1_file_md5.checksum");
  });

  it("writes every type for every file, lines appended, output rendered with build data", async () => {
    const pp = configured({
      checksum_types: ["sha1", "sha224", "sha256", "sha384", "sha512"],
      output: "cs/{{.BuildName}}_{{.ChecksumType}}_{{.BuilderType}}_{{.ID}}",
    });
    const result = await run(pp, input(["a.txt", join(dir, "b.bin")]));
    const big = Buffer.alloc(100_000, 1);
    for (const t of ["sha1", "sha224", "sha256", "sha384", "sha512"]) {
      expect(readFileSync(join(dir, `cs/f1_${t}_file_x1`), "utf8")).toBe(
        `${sum(t, "hello\n")}\ta.txt\n${sum(t, big)}\tb.bin\n`,
      );
    }
    expect(result.artifact?.files()).toEqual([
      "a.txt",
      join(dir, "b.bin"),
      "cs/f1_sha1_file_x1",
      "cs/f1_sha224_file_x1",
      "cs/f1_sha256_file_x1",
      "cs/f1_sha384_file_x1",
      "cs/f1_sha512_file_x1",
    ]);
    await result.artifact?.destroy();
    expect(existsSync(join(dir, "cs/f1_sha1_file_x1"))).toBe(false);
    // Packer's checksum artifact owns the input files too.
    expect(existsSync(join(dir, "a.txt"))).toBe(false);
  });

  it("appends to a checksum file that exists without listing it again", async () => {
    writeFileSync(join(dir, "sums"), "old\n");
    const result = await run(configured({ output: "sums" }), input(["a.txt"]));
    expect(readFileSync(join(dir, "sums"), "utf8")).toBe(`old\n${sum("md5", "hello\n")}\ta.txt\n`);
    expect(result.artifact?.files()).toEqual(["a.txt"]);
  });

  it("accepts a comma-separated string of types (JSON templates)", async () => {
    await run(configured({ checksum_types: "md5,sha1" }), input(["a.txt"]));
    expect(existsSync(join(dir, "packer_f1_file_sha1.checksum"))).toBe(true);
  });

  it("reports unknown types and bad templates", () => {
    const pp = new ChecksumPostProcessor();
    const summaries = (c: Record<string, unknown>) =>
      pp.configure(valueFromNative(c), info()).diagnostics.map((d) => d.summary);
    expect(summaries({ checksum_types: ["md5", "crc", "sha3"] })).toEqual([
      "Unrecognized checksum type: crc",
      "Unrecognized checksum type: sha3",
    ]);
    expect(summaries({ output: "{{" })).toEqual([
      "invalid 'output': template: root:1: unclosed action in:\n\n{{",
    ]);
  });

  it("fails on a missing input file with Go's text", async () => {
    await expect(run(configured({}), input(["nope.img"]))).rejects.toThrow(
      "unable to open file nope.img: open nope.img: no such file or directory",
    );
  });
});
