import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { requireTestEnv } from "../../test/support/env.js";
import { runBuild } from "../core/index.js";
import { valueFromNative } from "../hcl/index.js";
import { noopLogger } from "../sdk/index.js";
import { builtinComponents } from "./index.js";
import { RecordingUi, testBuildInfo } from "./provisioner/shell-local/test-support.js";

describe("builtinComponents", () => {
  it("lists the built-in components by their Packer names", () => {
    expect([...builtinComponents.builders.keys()].sort()).toEqual(["docker", "file", "null", "qemu"]);
    expect([...builtinComponents.provisioners.keys()].sort()).toEqual([
      "breakpoint",
      "file",
      "shell",
      "shell-local",
    ]);
    expect([...builtinComponents.postProcessors.keys()].sort()).toEqual([
      "artifice",
      "checksum",
      "compress",
      "docker-import",
      "docker-push",
      "docker-save",
      "docker-tag",
      "manifest",
      "shell-local",
    ]);
    expect([...builtinComponents.datasources.keys()]).toEqual(["null"]);
  });

  it("makes a new instance each time, each with its schema", () => {
    for (const kind of ["builders", "provisioners", "postProcessors", "datasources"] as const) {
      for (const [name, make] of builtinComponents[kind]) {
        const a = make();
        expect(a, `${kind} ${name}`).not.toBe(make());
        expect(Object.keys(a.configSpec()).length, `${kind} ${name}`).toBeGreaterThan(0);
      }
    }
  });

  it("gives every component Packer's hidden keys", () => {
    for (const [name, make] of builtinComponents.postProcessors) {
      expect(make().configSpec().packer_build_name, name).toBeDefined();
    }
    expect(builtinComponents.builders.get("null")?.().configSpec().packer_user_variables).toBeDefined();
  });
});

describe("built-in components in a build, against Packer 1.6.6", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "kiln-builtin-chain-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const template = {
    builders: [
      { type: "file", name: "f1", target: "out/a.txt", content: "hello\n" },
      { type: "null", name: "n1", communicator: "none" },
    ],
    provisioners: [
      { type: "shell-local", inline: ["echo hi $PACKER_BUILD_NAME '{{ build `ID` }}'", "echo", "echo done"] },
      { type: "breakpoint", disable: true, note: "n" },
    ],
    "post-processors": [
      [
        { type: "manifest", strip_time: true, custom_data: { id: "{{ build `ID` }}" } },
        { type: "checksum", checksum_types: ["md5", "sha256"] },
        { type: "shell-local", inline: ["echo pp '{{ build `ID` }}' $PACKER_BUILDER_TYPE"] },
        { type: "compress", output: "out/{{.BuildName}}.tar.gz" },
        { type: "artifice", files: ["out/*.gz", "nomatch*"] },
      ],
    ],
  };

  /** The build's lines and artifacts as `packer build -only=<name>` prints them, temporary names masked. */
  async function packerRun(name: string): Promise<{ lines: string[]; artifacts: string[]; files: string[] }> {
    const env = await requireTestEnv(["packer"]);
    const pdir = join(dir, `packer-${name}`);
    mkdirSync(pdir);
    writeFileSync(join(pdir, "t.json"), JSON.stringify(template));
    const { stdout } = await promisify(execFile)(
      env.packer.path,
      ["build", "-color=false", `-only=${name}`, "t.json"],
      {
        cwd: pdir,
        env: { ...process.env, CHECKPOINT_DISABLE: "1" },
      },
    );
    const all = stdout.split("\n");
    const end = all.findIndex((l) => l.startsWith(`Build '${name}' finished`));
    return {
      lines: all.slice(0, end).map(mask),
      artifacts: all.filter((l) => l.startsWith(`--> ${name}: `)).map((l) => l.slice(`--> ${name}: `.length)),
      files: listFiles(pdir).filter((f) => f !== "t.json"),
    };
  }

  async function kilnRun(
    name: string,
    type: string,
  ): Promise<{ lines: string[]; artifacts: string[]; files: string[] }> {
    const kdir = join(dir, `kiln-${name}`);
    mkdirSync(kdir);
    const info = testBuildInfo({
      cwd: kdir,
      buildName: name,
      builderType: type,
      templatePath: join(kdir, "t.json"),
    });
    const builderConfig = template.builders.find((b) => b.name === name)!;
    const builder = builtinComponents.builders.get(type)!();
    expect(builder.prepare(valueFromNative(builderConfig), info).diagnostics).toEqual([]);
    const provisioners = template.provisioners.map(({ type: t, ...config }) => {
      const p = builtinComponents.provisioners.get(t)!();
      expect(p.prepare(valueFromNative(config), info).diagnostics).toEqual([]);
      return { type: t, provisioner: p };
    });
    const chain = template["post-processors"][0]!.map(({ type: t, ...config }) => {
      const pp = builtinComponents.postProcessors.get(t)!();
      expect(pp.configure(valueFromNative(config), info).diagnostics).toEqual([]);
      return { type: t, name: t, postProcessor: pp };
    });
    const ui = new RecordingUi();
    const outcome = await runBuild({ name, type, builder, provisioners, postProcessors: [chain] }, ui, {
      debug: false,
      onError: "",
      signal: new AbortController().signal,
      log: noopLogger,
      secrets: { add() {} },
    });
    expect(outcome.error).toBeUndefined();
    return {
      lines: ui.lines.map((l) => mask(l.text)),
      artifacts: (outcome.artifacts ?? []).map((a) => a.string()),
      files: listFiles(kdir),
    };
  }

  const mask = (line: string): string => line.replace(/\/tmp\/packer-shell\d+/g, "/tmp/packer-shellN");

  function listFiles(root: string, sub = ""): string[] {
    const out: string[] = [];
    for (const e of readdirSync(join(root, sub), { withFileTypes: true })) {
      const rel = sub === "" ? e.name : `${sub}/${e.name}`;
      if (e.isDirectory()) out.push(...listFiles(root, rel));
      else out.push(rel);
    }
    return out.sort();
  }

  for (const [name, type] of [
    ["f1", "file"],
    ["n1", "null"],
  ] as const) {
    it(`prints the same lines, keeps the same artifacts and leaves the same files (${type} builder)`, async () => {
      const packer = await packerRun(name);
      const kiln = await kilnRun(name, type);
      expect(kiln.lines).toEqual(packer.lines);
      expect(kiln.artifacts).toEqual(packer.artifacts);
      expect(kiln.files).toEqual(packer.files);
    });
  }
});
