// Runs `node bin/kiln.js` as a user would, against the compiled dist/ (`npm test` builds it first).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

export const projectRoot = join(import.meta.dirname, "..", "..");
export const kilnBin = join(projectRoot, "bin", "kiln.js");

export interface KilnRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function kiln(
  args: readonly string[],
  opts: { cwd?: string; input?: string; env?: Record<string, string>; timeoutMs?: number } = {},
): KilnRun {
  if (!existsSync(join(projectRoot, "dist", "cli", "main.js"))) {
    throw new Error("dist/cli/main.js is missing: run `npx tsc -p tsconfig.json` before the e2e tests");
  }
  const r = spawnSync(process.execPath, [kilnBin, ...args], {
    cwd: opts.cwd ?? projectRoot,
    encoding: "utf8",
    input: opts.input ?? "",
    env: { ...process.env, CHECKPOINT_DISABLE: "1", ...opts.env },
    timeout: opts.timeoutMs ?? 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
