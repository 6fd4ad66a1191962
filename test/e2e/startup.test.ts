// Which npm packages a CLI run loads: commands that do not need the build engine, SSH or Docker must not pay
// for them at start-up. Runs main() from the compiled dist/ in a fresh node process and lists the CommonJS
// packages in its require cache (every package kiln depends on that is heavy is CommonJS).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { projectRoot } from "./run-kiln.js";

const mainUrl = pathToFileURL(join(projectRoot, "dist", "cli", "main.js")).href;

function packagesLoadedBy(args: readonly string[]): string[] {
  if (!existsSync(join(projectRoot, "dist", "cli", "main.js"))) {
    throw new Error("dist/cli/main.js is missing: run `npx tsc -p tsconfig.json` before the e2e tests");
  }
  const script = `
import { createRequire } from "node:module";
import { PassThrough } from "node:stream";
const { main } = await import(${JSON.stringify(mainUrl)});
const sink = new PassThrough();
sink.resume();
await main(${JSON.stringify(args)}, { stdout: sink, stderr: sink, stdin: new PassThrough(), env: {}, cwd: process.cwd() });
const names = Object.keys(createRequire(import.meta.url).cache)
  .filter((k) => k.includes("/node_modules/"))
  .map((k) => k.slice(k.lastIndexOf("/node_modules/") + 14).split("/")[0]);
process.stdout.write(JSON.stringify([...new Set(names)].sort()));
`;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
    cwd: projectRoot,
    encoding: "utf8",
    timeout: 60_000,
  });
  expect(r.stderr).toBe("");
  return JSON.parse(r.stdout) as string[];
}

describe("start-up (e2e)", () => {
  it("version and the command list load no npm package", () => {
    expect(packagesLoadedBy(["version"])).toEqual([]);
    expect(packagesLoadedBy(["-h"])).toEqual([]);
  });

  it("validate does not load SSH or Docker clients", () => {
    const loaded = packagesLoadedBy(["validate", "-syntax-only", "examples/hello"]);
    expect(loaded.length).toBeGreaterThan(0);
    for (const heavy of ["ssh2", "socks", "dockerode", "docker-modem", "cpu-features"]) {
      expect(loaded).not.toContain(heavy);
    }
  });
});
