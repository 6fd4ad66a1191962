import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";

const script = join(import.meta.dirname, "..", "..", "scripts", "check-layers.mjs");
let dir = "";

function tree(files: Record<string, string>): string {
  dir = mkdtempSync(join(tmpdir(), "kiln-layers-"));
  const src = join(dir, "src");
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(src, path)), { recursive: true });
    writeFileSync(join(src, path), text);
  }
  return src;
}

function check(src: string) {
  const r = spawnSync(process.execPath, [script, src], { encoding: "utf8" });
  return { status: r.status, stderr: r.stderr };
}

afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("layer check", () => {
  it("passes the project's own src/", () => {
    const r = spawnSync(process.execPath, [script], { encoding: "utf8" });
    expect(r.stdout).toContain("layer check: ok");
    expect(r.status).toBe(0);
  });

  it("accepts imports through index.ts in the allowed direction", () => {
    const src = tree({
      "hcl/index.ts": "export const x = 1;\n",
      "sdk/index.ts": 'import { x } from "../hcl/index.js";\nexport const y = x;\n',
      "cli/main.ts": 'import { y } from "../sdk/index.js";\nprocess.exit(y);\n',
    });
    expect(check(src).status).toBe(0);
  });

  it("rejects an import against the direction of the layers", () => {
    const src = tree({
      "core/index.ts": "export const c = 1;\n",
      "hcl/index.ts": 'import { c } from "../core/index.js";\nexport const x = c;\n',
    });
    const r = check(src);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/hcl\/index\.ts:1: layer 'hcl' may not import 'core'/);
  });

  it("rejects plugins importing core", () => {
    const src = tree({
      "core/index.ts": "export const c = 1;\n",
      "plugins/builder/null/builder.ts": 'import { c } from "../../../core/index.js";\nexport const n = c;\n',
    });
    expect(check(src).stderr).toMatch(/layer 'plugins' may not import 'core'/);
  });

  it("rejects reaching past another layer's index.ts", () => {
    const src = tree({
      "hcl/value/types.ts": "export const t = 1;\n",
      "sdk/index.ts": 'export { t } from "../hcl/value/types.js";\n',
    });
    const r = check(src);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/import 'hcl' through its index\.ts/);
  });

  it("rejects process.exit, argv, signals and real stdout outside cli/", () => {
    const src = tree({
      "core/run.ts": [
        "export function f() {",
        "  process.stdout.write(process.argv.join());",
        '  process.on("SIGINT", () => process.exit(1));',
        "}",
      ].join("\n"),
    });
    const r = check(src);
    expect(r.status).toBe(1);
    for (const what of ["process.argv", "process.exit", "signal handlers", "stdout/stderr"]) {
      expect(r.stderr).toContain(what);
    }
  });
});
