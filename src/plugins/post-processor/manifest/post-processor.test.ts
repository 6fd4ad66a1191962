import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { requireTestEnv } from "../../../../test/support/env.js";
import { valueFromNative } from "../../../hcl/index.js";
import { type Artifact, type BuildInfo, basicArtifact } from "../../../sdk/index.js";
import { NullArtifact } from "../../builder/null/artifact.js";
import { RecordingUi, testBuildInfo, testRunContext } from "../../provisioner/shell-local/test-support.js";
import { parseManifest } from "./manifest-file.js";
import { ManifestPostProcessor } from "./post-processor.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "kiln-manifest-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function info(overrides: Partial<BuildInfo> = {}): BuildInfo {
  return testBuildInfo({ cwd: dir, runUuid: "run-1", ...overrides });
}

function configured(
  config: Record<string, unknown>,
  buildInfo: BuildInfo,
  now = 1700000000,
): ManifestPostProcessor {
  const pp = new ManifestPostProcessor();
  expect(pp.configure(valueFromNative(config), buildInfo).diagnostics).toEqual([]);
  pp.now = () => now;
  return pp;
}

async function run(pp: ManifestPostProcessor, artifact: Artifact) {
  return pp.postProcess(new RecordingUi(), artifact, new AbortController().signal, testRunContext());
}

function fileArtifact(name: string): Artifact {
  return basicArtifact({
    builderId: "packer.file",
    id: "File",
    string: `Stored file: ${name}`,
    files: [name],
  });
}

describe("manifest post-processor", () => {
  it("writes Packer's layout and appends the builds of one run", async () => {
    writeFileSync(join(dir, "a.txt"), "hello\n");
    const json = { templatePath: join(dir, "t.json") };
    const custom = { custom_data: { k: "{{build_name}} <&> {{ build `ID` }}", b: "x" } };
    const n1 = configured(custom, info({ buildName: "n1", builderType: "null", ...json }));
    const f1 = configured(custom, info({ buildName: "f1", builderType: "file", ...json }), 1700000001);
    const nullArtifact = new NullArtifact();
    const result = await run(n1, nullArtifact);
    expect(result).toEqual({ artifact: nullArtifact, keep: true, forceOverride: true });
    await run(f1, fileArtifact("a.txt"));
    expect(readFileSync(join(dir, "packer-manifest.json"), "utf8")).toBe(`{
  "builds": [
    {
      "name": "n1",
      "builder_type": "null",
      "build_time": 1700000000,
      "files": null,
      "artifact_id": "Null",
      "packer_run_uuid": "run-1",
      "custom_data": {
        "b": "x",
        "k": "n1 \\u003c\\u0026\\u003e Null"
      }
    },
    {
      "name": "f1",
      "builder_type": "file",
      "build_time": 1700000001,
      "files": [
        {
          "name": "a.txt",
          "size": 6
        }
      ],
      "artifact_id": "File",
      "packer_run_uuid": "run-1",
      "custom_data": {
        "b": "x",
        "k": "f1 \\u003c\\u0026\\u003e \\u003cno value\\u003e"
      }
    }
  ],
  "last_run_uuid": "run-1"
}`);
    expect(existsSync(join(dir, "packer-manifest.json.lock"))).toBe(false);
  });

  it("strips paths and times, writes custom_data null when absent, sizes 0 for missing files", async () => {
    const pp = configured({ output: "m.json", strip_path: true, strip_time: true }, info());
    await run(pp, fileArtifact("/nonexistent/dir/x.img"));
    expect(readFileSync(join(dir, "m.json"), "utf8")).toBe(`{
  "builds": [
    {
      "name": "test",
      "builder_type": "null",
      "files": [
        {
          "name": "x.img",
          "size": 0
        }
      ],
      "artifact_id": "File",
      "packer_run_uuid": "run-1",
      "custom_data": null
    }
  ],
  "last_run_uuid": "run-1"
}`);
  });

  it("keeps other runs' builds unless -force, which starts afresh for a new run", async () => {
    const first = configured({}, info({ runUuid: "old" }));
    await run(first, new NullArtifact());
    await run(configured({}, info({ runUuid: "new" })), new NullArtifact());
    const kept = parseManifest(readFileSync(join(dir, "packer-manifest.json"), "utf8"));
    expect("manifest" in kept && kept.manifest.builds?.map((b) => b.packer_run_uuid)).toEqual(["old", "new"]);

    await run(configured({}, info({ runUuid: "newer", force: true })), new NullArtifact());
    await run(configured({}, info({ runUuid: "newer", force: true })), new NullArtifact());
    const forced = parseManifest(readFileSync(join(dir, "packer-manifest.json"), "utf8"));
    expect("manifest" in forced && forced.manifest.builds?.map((b) => b.packer_run_uuid)).toEqual([
      "newer",
      "newer",
    ]);
  });

  it("reads an existing manifest as Go does: unknown keys dropped, keys matched without case", async () => {
    writeFileSync(
      join(dir, "packer-manifest.json"),
      JSON.stringify({
        Builds: [{ NAME: "old", extra: 1, files: [{ name: "f", size: 3 }], build_time: 5 }],
        last_run_uuid: "r0",
        other: true,
      }),
    );
    await run(configured({}, info()), new NullArtifact());
    const text = readFileSync(join(dir, "packer-manifest.json"), "utf8");
    expect(text).toContain(`{
      "name": "old",
      "builder_type": "",
      "build_time": 5,
      "files": [
        {
          "name": "f",
          "size": 3
        }
      ],
      "artifact_id": "",
      "packer_run_uuid": "",
      "custom_data": null
    },`);
    expect(text).not.toContain("extra");
  });

  it("fails on a manifest it cannot parse, with Go's messages", async () => {
    writeFileSync(join(dir, "packer-manifest.json"), "{nope");
    await expect(run(configured({}, info()), new NullArtifact())).rejects.toThrow(
      "Unable to parse content from packer-manifest.json: invalid character 'n' looking for beginning of object key string",
    );
    writeFileSync(join(dir, "packer-manifest.json"), '{"builds": "x"}');
    await expect(run(configured({}, info()), new NullArtifact())).rejects.toThrow(
      "Unable to parse content from packer-manifest.json: json: cannot unmarshal string into Go struct field " +
        "ManifestFile.builds of type []manifest.Artifact",
    );
    expect(existsSync(join(dir, "packer-manifest.json.lock"))).toBe(false);
  });

  it("fails when the output cannot be written", async () => {
    await expect(
      run(configured({ output: "missing/dir/m.json" }, info()), new NullArtifact()),
    ).rejects.toThrow(
      "Unable to write missing/dir/m.json: open missing/dir/m.json: no such file or directory",
    );
  });

  it("reports template errors at configure time", () => {
    const pp = new ManifestPostProcessor();
    expect(
      pp.configure(valueFromNative({ output: "{{ .Foo " }), info()).diagnostics.map((d) => d.summary),
    ).toEqual(["invalid 'output': template: root:1: unclosed action in:\n\n{{ .Foo "]);
    expect(
      pp
        .configure(valueFromNative({ custom_data: { a: "{{ nofn }}" } }), info())
        .diagnostics.map((d) => d.summary),
    ).toEqual(["invalid 'custom_data': template: root:1: function \"nofn\" not defined in:\n\n{{ nofn }}"]);
  });
});

describe("manifest post-processor against Packer 1.6.6", () => {
  it("writes the same file as packer for a file and a null build", async () => {
    const env = await requireTestEnv(["packer"]);
    const template = {
      builders: [
        { type: "file", name: "f1", target: "out/a.txt", content: "hello\n" },
        { type: "null", name: "n1", communicator: "none" },
      ],
      "post-processors": [
        { type: "manifest", strip_time: true, custom_data: { k: "{{build_name}} & {{ build `ID` }}" } },
      ],
    };
    const pdir = join(dir, "packer");
    rmSync(pdir, { recursive: true, force: true });
    mkdirSync(pdir);
    writeFileSync(join(pdir, "t.json"), JSON.stringify(template));
    await promisify(execFile)(env.packer.path, ["build", "-parallel-builds=1", "t.json"], {
      cwd: pdir,
      env: { ...process.env, CHECKPOINT_DISABLE: "1" },
    });
    const theirs = readFileSync(join(pdir, "packer-manifest.json"), "utf8");
    const parsed = parseManifest(theirs);
    if (!("manifest" in parsed)) throw new Error(parsed.error);
    const runUuid = parsed.manifest.last_run_uuid;

    const kdir = join(dir, "kiln");
    mkdirSync(join(kdir, "out"), { recursive: true });
    writeFileSync(join(kdir, "out/a.txt"), "hello\n");
    const order = parsed.manifest.builds?.map((b) => b.name) ?? [];
    for (const name of order) {
      const buildInfo = info({
        cwd: kdir,
        buildName: name,
        builderType: name === "f1" ? "file" : "null",
        runUuid,
        templatePath: join(kdir, "t.json"),
      });
      const pp = configured(template["post-processors"][0]!, buildInfo);
      await run(pp, name === "f1" ? fileArtifact("out/a.txt") : new NullArtifact());
    }
    expect(readFileSync(join(kdir, "packer-manifest.json"), "utf8")).toBe(theirs);
  });
});
