import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createStepRunner } from "../../../core/index.js";
import { valueFromNative } from "../../../hcl/index.js";
import type { BuildInfo, Provisioner } from "../../../sdk/index.js";
import { ShellLocalProvisioner } from "../../provisioner/shell-local/provisioner.js";
import {
  ProvisionersHook,
  RecordingUi,
  testBuildInfo,
  testRunContext,
} from "../../provisioner/shell-local/test-support.js";
import { FileBuilder } from "./builder.js";

let dir: string;
let info: BuildInfo;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "kiln-file-builder-"));
  info = testBuildInfo({ cwd: dir, builderType: "file" });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const context = () => ({ ...testRunContext(), runner: createStepRunner({ onError: "", debug: false }) });

function prepare(config: Record<string, unknown>) {
  const b = new FileBuilder();
  const r = b.prepare(valueFromNative(config), info);
  return { builder: b, diagnostics: r.diagnostics.map((d) => `${d.severity}: ${d.summary}`) };
}

describe("file builder", () => {
  it("validates like Packer", () => {
    expect(prepare({ source: "x", content: "y" }).diagnostics).toEqual([
      "error: target required",
      "error: Cannot specify source file AND content",
    ]);
    expect(prepare({}).diagnostics).toEqual([
      "error: target required",
      "warning: Both source file and contents are blank; target will have no content",
    ]);
    expect(prepare({ target: "t" }).diagnostics).toEqual([
      "warning: Both source file and contents are blank; target will have no content",
    ]);
  });

  it("writes content (mode 0600) into new directories and runs the provisioners", async () => {
    const { builder } = prepare({ target: "out/sub/a.txt", content: "hello\n" });
    const shell = new ShellLocalProvisioner();
    expect(shell.prepare(valueFromNative({ inline: ["cat out/sub/a.txt"] }), info).diagnostics).toEqual([]);
    const ui = new RecordingUi();
    const artifact = await builder.run(
      ui,
      new ProvisionersHook([shell]),
      new AbortController().signal,
      context(),
    );
    const path = join(dir, "out/sub/a.txt");
    expect(readFileSync(path, "utf8")).toBe("hello\n");
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, "out/sub")).mode & 0o777).toBe(0o755);
    expect(ui.texts("message")).toEqual(["hello"]);
    expect(artifact?.builderId()).toBe("packer.file");
    expect(artifact?.id()).toBe("File");
    expect(artifact?.files()).toEqual(["out/sub/a.txt"]);
    expect(artifact?.string()).toBe("Stored file: out/sub/a.txt");
    expect(artifact?.state("generated_data")).toBeUndefined();
    await artifact?.destroy();
    expect(existsSync(path)).toBe(false);
  });

  it("copies a source file and says so", async () => {
    writeFileSync(join(dir, "src.bin"), Buffer.alloc(70_000, 7));
    const { builder } = prepare({ target: "copy.bin", source: "src.bin" });
    const ui = new RecordingUi();
    const artifact = await builder.run(ui, new ProvisionersHook([]), new AbortController().signal, context());
    expect(ui.texts("say")).toEqual(["Copying src.bin to copy.bin", "Copied 70000 bytes"]);
    expect(readFileSync(join(dir, "copy.bin"))).toEqual(Buffer.alloc(70_000, 7));
    expect(artifact?.files()).toEqual(["copy.bin"]);
  });

  it("writes an empty file when there is neither source nor content", async () => {
    const { builder } = prepare({ target: "empty" });
    await builder.run(new RecordingUi(), new ProvisionersHook([]), new AbortController().signal, context());
    expect(readFileSync(join(dir, "empty"), "utf8")).toBe("");
  });

  it("fails with Go's error text when the source is missing", async () => {
    const { builder } = prepare({ target: "t", source: "missing" });
    await expect(
      builder.run(new RecordingUi(), new ProvisionersHook([]), new AbortController().signal, context()),
    ).rejects.toThrow("open missing: no such file or directory");
  });

  it("gives provisioners a communicator that accepts commands and uploads without a machine", async () => {
    const { builder } = prepare({ target: "t", content: "x" });
    const results: unknown[] = [];
    const probe: Provisioner = {
      configSpec: () => ({}),
      prepare: () => ({ diagnostics: [] }),
      async provision(_ui, comm, _data, signal) {
        results.push(await comm.start({ command: "rm -rf /" }, signal));
        await comm.upload("/etc/x", Readable.from(["data"]), undefined, signal);
        results.push("uploaded");
      },
    };
    const hook = new ProvisionersHook([probe]);
    await builder.run(new RecordingUi(), hook, new AbortController().signal, context());
    expect(results).toEqual([{ exitStatus: 0 }, "uploaded"]);
    expect(hook.seen).toEqual([{}]);
  });
});
