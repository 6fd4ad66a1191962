// SIGINT during `kiln build` (node bin/kiln.js; build dist first): the running shell-local script is
// stopped, the build's cleanup runs, kiln says it cancelled cleanly and exits 1, and nothing is left behind.
import { spawn } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { kilnBin, projectRoot } from "./run-kiln.js";

let dir = "";
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "kiln-interrupt-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("kiln build interrupted (e2e)", () => {
  it("SIGINT stops the running script, cleans up and exits 1", async () => {
    expect(existsSync(join(projectRoot, "dist", "cli", "main.js"))).toBe(true);
    const scratch = join(dir, "tmp");
    mkdirSync(scratch);
    writeFileSync(
      join(dir, "a.pkr.hcl"),
      `source "null" "one" {
  communicator = "none"
}
build {
  sources = ["source.null.one"]
  provisioner "shell-local" {
    inline = ["echo $$ > pid.txt", "echo started", "sleep 30", "echo never"]
  }
}
`,
    );
    const child = spawn(process.execPath, [kilnBin, "build", "-color=false", "a.pkr.hcl"], {
      cwd: dir,
      env: { ...process.env, CHECKPOINT_DISABLE: "1", TMPDIR: scratch },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));

    await waitFor(() => stdout.includes("null.one: started") && existsSync(join(dir, "pid.txt")), 20_000);
    const scriptPid = Number(readFileSync(join(dir, "pid.txt"), "utf8").trim());
    expect(processAlive(scriptPid)).toBe(true);
    // While the script runs, its temporary file exists.
    expect(readdirSync(scratch).length).toBeGreaterThan(0);

    child.kill("SIGINT");
    const code = await exited;

    expect(code).toBe(1);
    expect(stdout).toContain("Cancelling build after receiving interrupt");
    expect(stdout).toContain("Cleanly cancelled builds after being interrupted.");
    expect(stdout).not.toContain("never");
    await waitFor(() => !processAlive(scriptPid), 5_000);
    expect(readdirSync(scratch)).toEqual([]);
  }, 40_000);
});
