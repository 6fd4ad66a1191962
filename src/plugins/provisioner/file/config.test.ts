import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildInfo, config } from "../shell/test-support.js";
import { decodeFileConfig, localPath } from "./config.js";

describe("decodeFileConfig", () => {
  const dir = mkdtempSync(join(tmpdir(), "kiln-file-cfg-"));
  writeFileSync(join(dir, "a.txt"), "a");
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("defaults to upload and appends source to sources", () => {
    const { config: c, diagnostics } = decodeFileConfig(
      config({ source: "a.txt", sources: ["a.txt"], destination: "/tmp/" }),
      buildInfo({ cwd: dir }),
    );
    expect(diagnostics).toEqual([]);
    expect(c).toEqual({
      content: "",
      sources: ["a.txt", "a.txt"],
      destination: "/tmp/",
      direction: "upload",
      generated: false,
    });
  });

  it("reports Packer's errors", () => {
    const errors = (native: Record<string, unknown>): string[] =>
      decodeFileConfig(config(native), buildInfo({ cwd: dir })).diagnostics.map((d) => d.summary);
    expect(errors({ source: "missing", content: "x", direction: "sideways" })).toEqual([
      "Direction must be one of: download, upload.",
      "source(s) conflicts with content.",
      "Destination must be specified.",
    ]);
    expect(errors({ source: "missing", destination: "/x" })).toEqual([
      "Bad source 'missing': stat missing: no such file or directory",
    ]);
    expect(errors({ source: "missing", destination: "/x", generated: true })).toEqual([]);
    expect(errors({ source: "/remote/only", destination: "out", direction: "download" })).toEqual([]);
  });

  it("keeps a trailing slash when resolving", () => {
    expect(localPath("dir/", "/work")).toBe("/work/dir/");
    expect(localPath("dir", "/work")).toBe("/work/dir");
    expect(localPath("/abs/", "/work")).toBe("/abs/");
  });
});
