// Start-up cost. Which npm packages a CLI run loads: commands that do not need the build engine, SSH, Docker
// or a function's library must not pay for them at start-up. Runs main() from the compiled dist/ in a fresh
// node process and lists the CommonJS packages in its require cache (every heavy package kiln depends on is
// loaded through require). And the bundle bin/kiln.js runs, with a code cache V8 accepts.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { projectRoot } from "./run-kiln.js";

const mainUrl = pathToFileURL(join(projectRoot, "dist", "cli", "main.js")).href;

function packagesLoadedBy(args: readonly string[], input = ""): string[] {
  if (!existsSync(join(projectRoot, "dist", "cli", "main.js"))) {
    throw new Error("dist/cli/main.js is missing: run `npx tsc -p tsconfig.json` before the e2e tests");
  }
  const script = `
import { createRequire } from "node:module";
import { PassThrough } from "node:stream";
const { main } = await import(${JSON.stringify(mainUrl)});
const sink = new PassThrough();
sink.resume();
const stdin = new PassThrough();
stdin.end(${JSON.stringify(input)});
await main(${JSON.stringify(args)}, { stdout: sink, stderr: sink, stdin, env: {}, cwd: process.cwd() });
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

  it("validate -syntax-only loads no npm package; a function's library loads when it is called", () => {
    expect(packagesLoadedBy(["validate", "-syntax-only", "examples/hello"])).toEqual([]);
    const loaded = packagesLoadedBy(["console", "examples/hello"], 'yamldecode("a: 1")\n');
    expect(loaded).toContain("yaml");
    for (const heavy of ["ssh2", "socks", "dockerode", "docker-modem", "cpu-features", "re2js", "bcryptjs"]) {
      expect(loaded).not.toContain(heavy);
    }
  });

  it("bin/kiln.js runs the bundle, and V8 accepts its code cache", () => {
    const cli = join(projectRoot, "dist", "cli");
    expect(existsSync(join(cli, "bundle.cjs")), "npm run build makes dist/cli/bundle.cjs").toBe(true);
    const script = `
const { readFileSync } = require("node:fs");
const { loadBundle } = require(${JSON.stringify(join(projectRoot, "bin", "bundle-loader.js"))});
const { exports, script } = loadBundle(${JSON.stringify(join(cli, "bundle.cjs"))}, readFileSync(${JSON.stringify(join(cli, "bundle.cache"))}));
process.stdout.write(JSON.stringify({ rejected: script.cachedDataRejected, main: typeof exports.main }));
`;
    const r = spawnSync(process.execPath, ["-e", script], {
      cwd: projectRoot,
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout)).toEqual({ rejected: false, main: "function" });
  });
});
