import { execFile, execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { gunzipSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { requireTestEnv } from "../../../../test/support/env.js";
import { valueFromNative } from "../../../hcl/index.js";
import { type Artifact, type BuildInfo, basicArtifact } from "../../../sdk/index.js";
import { RecordingUi, testBuildInfo, testRunContext } from "../../provisioner/shell-local/test-support.js";
import { BGZF_BLOCK_SIZE, BGZF_EOF } from "./bgzf.js";
import { detectFromFilename } from "./detect-format.js";
import { CompressPostProcessor } from "./post-processor.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "kiln-compress-"));
  mkdirSync(join(dir, "out"));
  writeFileSync(join(dir, "out/a.txt"), "hello\n", { mode: 0o600 });
  writeFileSync(join(dir, "b.bin"), Buffer.alloc(200_000, 3));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function info(overrides: Partial<BuildInfo> = {}): BuildInfo {
  return testBuildInfo({ cwd: dir, buildName: "f1", builderType: "file", ...overrides });
}

function configured(config: Record<string, unknown>, buildInfo: BuildInfo = info()): CompressPostProcessor {
  const pp = new CompressPostProcessor();
  expect(pp.configure(valueFromNative(config), buildInfo).diagnostics).toEqual([]);
  return pp;
}

const input = (...files: string[]): Artifact =>
  basicArtifact({ builderId: "packer.file", id: "File", string: "f", files });

async function run(pp: CompressPostProcessor, artifact: Artifact, ui = new RecordingUi()) {
  const result = await pp.postProcess(ui, artifact, new AbortController().signal, testRunContext());
  return { result, ui };
}

const hasTool = (tool: string): boolean => {
  try {
    execFileSync("sh", ["-c", `command -v ${tool}`]);
    return true;
  } catch {
    return false;
  }
};

describe("compress format detection", () => {
  it("reads the last two extensions as Packer does", () => {
    const cases: [string, string, string, string][] = [
      ["out", "", "tar", "pgzip"],
      ["out.tar", "", "tar", ""],
      ["out.zip", "", "zip", ""],
      ["out.tar.gz", "", "tar", "pgzip"],
      ["out.gz", "", "", "pgzip"],
      ["out.tgz", "", "tar", "pgzip"],
      ["out.tar.xz", "", "tar", "xz"],
      ["out.lz4", "", "", "lz4"],
      ["out.bgzf", "", "", "bgzf"],
      ["out.tar.bzip2", "", "tar", "bzip2"],
      ["out.zip.gz", "", "", "pgzip"],
      ["out.tar.zip", "", "zip", ""],
      ["dir.v1/out", "", "tar", "pgzip"],
      ["out", "tar.gz", "tar", "pgzip"],
      ["out", "zip", "zip", ""],
      ["OUT.GZ", "", "tar", "pgzip"],
    ];
    for (const [output, format, archive, algorithm] of cases) {
      expect({ output, format, ...detectFromFilename(output, format) }).toEqual({
        output,
        format,
        archive,
        algorithm,
      });
    }
    // The archive and algorithm keys survive where the name says nothing about them.
    expect(detectFromFilename("out.tar", "", { archive: "", algorithm: "xz" })).toEqual({
      archive: "tar",
      algorithm: "xz",
    });
  });
});

describe("compress post-processor", () => {
  it("tars with gzip, says what it does and returns the archive (not keeping the input)", async () => {
    const pp = configured({ output: "out/{{.BuildName}}.tar.gz" });
    const { result, ui } = await run(pp, input("out/a.txt"));
    expect(ui.texts("say")).toEqual([
      `Using pgzip compression with ${availableParallelism()} cores for out/f1.tar.gz`,
      "Tarring out/f1.tar.gz with pgzip",
      "Archive out/f1.tar.gz completed",
    ]);
    expect(result.keep).toBe(false);
    expect(result.forceOverride).toBe(false);
    const artifact = result.artifact!;
    expect(artifact.builderId()).toBe("packer.post-processor.compress");
    expect(artifact.files()).toEqual(["out/f1.tar.gz"]);
    expect(artifact.id()).toBe("");
    expect(artifact.string()).toBe("compressed artifacts in: out/f1.tar.gz");
    const tar = gunzipSync(readFileSync(join(dir, "out/f1.tar.gz")));
    expect(tar.length).toBe(2048);
    expect(tar.subarray(0, 5).toString()).toBe("a.txt");
    expect(tar.subarray(257, 265).toString("latin1")).toBe("ustar  \0");
    expect(tar.subarray(512, 518).toString()).toBe("hello\n");
    const listing = execFileSync("tar", ["tvf", "-"], { input: tar }).toString();
    expect(listing).toMatch(/^-rw------- \S+\/\S+\s+6 1970-01-01 00:00 a\.txt\n$/);
    await artifact.destroy();
    expect(existsSync(join(dir, "out/f1.tar.gz"))).toBe(false);
  });

  it("tars several files, large ones intact", async () => {
    const { result } = await run(configured({ output: "both.tar" }), input("out/a.txt", "b.bin"));
    expect(result.artifact?.files()).toEqual(["both.tar"]);
    const listing = execFileSync("tar", ["tf", join(dir, "both.tar")]).toString();
    expect(listing).toBe("a.txt\nb.bin\n");
    const extracted = join(dir, "x");
    mkdirSync(extracted);
    execFileSync("tar", ["xf", join(dir, "both.tar"), "-C", extracted]);
    expect(readFileSync(join(extracted, "b.bin"))).toEqual(Buffer.alloc(200_000, 3));
  });

  it("defaults to packer_<build>_<type>, a gzipped tar", async () => {
    const { result } = await run(configured({}), input("out/a.txt"));
    expect(result.artifact?.files()).toEqual(["packer_f1_file"]);
    expect(
      gunzipSync(readFileSync(join(dir, "packer_f1_file")))
        .subarray(0, 5)
        .toString(),
    ).toBe("a.txt");
  });

  it("takes the format from `format`, keeping the output name", async () => {
    const { result, ui } = await run(configured({ output: "plain", format: "zip" }), input("out/a.txt"));
    expect(result.artifact?.files()).toEqual(["plain"]);
    expect(ui.texts("say")).toEqual(["Zipping plain", "Archive plain completed"]);
    expect(execFileSync("unzip", ["-Z1", join(dir, "plain")]).toString()).toBe("out/a.txt\n");
    expect(execFileSync("unzip", ["-p", join(dir, "plain"), "out/a.txt"]).toString()).toBe("hello\n");
  });

  it("gzips a single file, and refuses several without an archive", async () => {
    const { ui } = await run(configured({ output: "a.gz", compression_level: 9 }), input("out/a.txt"));
    expect(ui.texts("say")[1]).toBe("Archiving out/a.txt with pgzip");
    expect(gunzipSync(readFileSync(join(dir, "a.gz"))).toString()).toBe("hello\n");
    await expect(run(configured({ output: "two.gz" }), input("out/a.txt", "b.bin"))).rejects.toThrow(
      "Can only have 1 input file when not using tar/zip. Found 2 files: [out/a.txt b.bin]",
    );
  });

  it("writes BGZF: gzip members of at most 65280 bytes each, then the EOF block", async () => {
    const { ui } = await run(configured({ output: "b.bgzf" }), input("b.bin"));
    expect(ui.texts("say")[0]).toBe(`Using bgzf compression with ${availableParallelism()} cores for b.bgzf`);
    const data = readFileSync(join(dir, "b.bgzf"));
    expect(gunzipSync(data)).toEqual(Buffer.alloc(200_000, 3));
    expect(data.subarray(data.length - BGZF_EOF.length)).toEqual(BGZF_EOF);
    let offset = 0;
    let blocks = 0;
    while (offset < data.length) {
      expect(data.subarray(offset, offset + 4)).toEqual(Buffer.from([0x1f, 0x8b, 8, 4]));
      expect(data.subarray(offset + 12, offset + 14).toString()).toBe("BC");
      const size = data.readUInt16LE(offset + 16) + 1;
      const isize = data.readUInt32LE(offset + size - 4);
      expect(isize).toBeLessThanOrEqual(BGZF_BLOCK_SIZE);
      offset += size;
      blocks++;
    }
    expect(offset).toBe(data.length);
    expect(blocks).toBe(Math.ceil(200_000 / BGZF_BLOCK_SIZE) + 1);
  });

  for (const [ext, tool, decompress, say] of [
    ["xz", "xz", ["-dc"], "Using xz compression with 1 core for b.xz (library does not support MT)"],
    ["lz4", "lz4", ["-dc"], `Using lz4 compression with ${availableParallelism()} cores for b.lz4`],
    [
      "bzip2",
      "bzip2",
      ["-dc"],
      "Using bzip2 compression with 1 core for b.bzip2 (library does not support MT)",
    ],
  ] as const) {
    it(`compresses with ${ext} through the ${tool} program`, async () => {
      const pp = configured({ output: `b.${ext}`, compression_level: 5 });
      if (!hasTool(tool)) {
        await expect(run(pp, input("b.bin"))).rejects.toThrow(
          `error creating ${tool} writer: ${tool} could not be run`,
        );
        return;
      }
      const { ui } = await run(pp, input("b.bin"));
      expect(ui.texts("say")).toEqual([say, `Archiving b.bin with ${ext}`, `Archive b.${ext} completed`]);
      const out = execFileSync(tool, [...decompress, join(dir, `b.${ext}`)]);
      expect(out).toEqual(Buffer.alloc(200_000, 3));
    });
  }

  it("tars into xz", async () => {
    if (!hasTool("xz")) return;
    await run(configured({ output: "t.tar.xz" }), input("out/a.txt", "b.bin"));
    expect(execFileSync("tar", ["tJf", join(dir, "t.tar.xz")]).toString()).toBe("a.txt\nb.bin\n");
  });

  it("reports bad levels, missing files and bad templates with Packer's messages", async () => {
    await expect(
      run(configured({ output: "a.gz", compression_level: -5 }), input("out/a.txt")),
    ).rejects.toThrow(
      "error creating pgzip writer: Invalid compression level. Expected an integer from -1 to 9.",
    );
    await expect(run(configured({ output: "x.tar.gz" }), input("nope"))).rejects.toThrow(
      "Error creating tar: Unable to read file nope: open nope: no such file or directory",
    );
    await expect(run(configured({ output: "x.zip" }), input("nope"))).rejects.toThrow(
      "Error creating zip: Unable to read file nope: open nope: no such file or directory",
    );
    await expect(run(configured({ output: "x.gz" }), input("nope"))).rejects.toThrow(
      "Failed to open source file nope for reading: open nope: no such file or directory",
    );
    const pp = new CompressPostProcessor();
    expect(
      pp.configure(valueFromNative({ output: "{{ bad" }), info()).diagnostics.map((d) => d.summary),
    ).toEqual(["invalid 'output': template: root:1: function \"bad\" not defined in:\n\n{{ bad"]);
  });

  it("clamps levels above 9 and treats 0 as the default", async () => {
    await run(configured({ output: "hi.gz", compression_level: 20 }), input("b.bin"));
    await run(configured({ output: "zero.gz", compression_level: 0 }), input("b.bin"));
    expect(gunzipSync(readFileSync(join(dir, "hi.gz")))).toEqual(Buffer.alloc(200_000, 3));
    expect(gunzipSync(readFileSync(join(dir, "zero.gz")))).toEqual(Buffer.alloc(200_000, 3));
  });
});

describe("compress post-processor against Packer 1.6.6", () => {
  it("writes the same tar bytes as packer, long names and several files included", async () => {
    const env = await requireTestEnv(["packer"]);
    const longName = `${"l".repeat(120)}.txt`;
    const template = {
      builders: [
        { type: "file", name: "one", target: "out/a.txt", content: "hello\n" },
        { type: "file", name: "long", target: `out/${longName}`, content: "long name\n" },
      ],
      "post-processors": [
        [
          { type: "checksum", checksum_types: ["md5"], output: "out/{{.BuildName}}.md5" },
          { type: "compress", output: "out/{{.BuildName}}.tar", keep_input_artifact: true },
        ],
      ],
    };
    const pdir = join(dir, "packer");
    mkdirSync(pdir);
    writeFileSync(join(pdir, "t.json"), JSON.stringify(template));
    await promisify(execFile)(env.packer.path, ["build", "t.json"], {
      cwd: pdir,
      env: { ...process.env, CHECKPOINT_DISABLE: "1" },
    });

    for (const [name, target, content] of [
      ["one", "out/a.txt", "hello\n"],
      ["long", `out/${longName}`, "long name\n"],
    ] as const) {
      const kdir = join(dir, `kiln-${name}`);
      mkdirSync(join(kdir, "out"), { recursive: true });
      writeFileSync(join(kdir, target), content);
      chmodSync(join(kdir, target), 0o600);
      writeFileSync(join(kdir, `out/${name}.md5`), readFileSync(join(pdir, `out/${name}.md5`)));
      chmodSync(join(kdir, `out/${name}.md5`), 0o644);
      const pp = configured({ output: "out/{{.BuildName}}.tar" }, info({ cwd: kdir, buildName: name }));
      await run(pp, input(target, `out/${name}.md5`));
      expect(readFileSync(join(kdir, `out/${name}.tar`))).toEqual(
        readFileSync(join(pdir, `out/${name}.tar`)),
      );
    }
  });
});
