import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { lookPath, vmCommand } from "./driver.js";

/** Whether the process exists and is not a zombie (an orphan's exit may not be reaped at once). */
function alive(pid: number): boolean {
  try {
    const state = /^\d+ \(.*\) (\S)/.exec(readFileSync(`/proc/${pid}/stat`, "utf8"))?.[1];
    return state !== undefined && state !== "Z" && state !== "X";
  } catch {
    return false;
  }
}

async function waitUntil(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

describe("vmCommand", () => {
  const env = { PATH: process.env.PATH ?? "/usr/bin:/bin" };

  it("starts QEMU through setpriv with a parent-death signal on Linux", () => {
    const setpriv = lookPath("setpriv", env);
    expect(setpriv, "util-linux's setpriv").toBeDefined();
    expect(vmCommand("/usr/bin/qemu-system-x86_64", ["-m", "1024M"], env, "linux")).toEqual({
      command: setpriv,
      args: ["--pdeathsig", "TERM", "--", "/usr/bin/qemu-system-x86_64", "-m", "1024M"],
    });
  });

  it("runs QEMU directly elsewhere or without setpriv", () => {
    expect(vmCommand("qemu-system-x86_64", ["-m", "1"], env, "darwin")).toEqual({
      command: "qemu-system-x86_64",
      args: ["-m", "1"],
    });
    expect(vmCommand("qemu-system-x86_64", [], { PATH: "/nonexistent" }, "linux")).toEqual({
      command: "qemu-system-x86_64",
      args: [],
    });
  });

  it("a process started that way (in its own session, as the VM is) ends when its parent is killed", async () => {
    const sleep = lookPath("sleep", env);
    expect(sleep).toBeDefined();
    const cmd = vmCommand(sleep!, ["120"], env);
    // A parent that starts the process detached, reports its pid and waits; then the parent is SIGKILLed.
    const script = `const c = require("node:child_process").spawn(${JSON.stringify(cmd.command)}, ${JSON.stringify(cmd.args)}, { detached: true, stdio: "ignore" }); c.on("spawn", () => console.log(c.pid)); setInterval(() => {}, 1000);`;
    const parent = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });
    const pid = await new Promise<number>((resolve) =>
      parent.stdout.once("data", (d: Buffer) => resolve(Number(d.toString().trim()))),
    );
    try {
      expect(alive(pid)).toBe(true);
      // setpriv has exec'd the program by the time it is visible under its name.
      expect(await waitUntil(() => !alive(pid) || readComm(pid) === "sleep", 5000)).toBe(true);
      parent.kill("SIGKILL");
      expect(await waitUntil(() => !alive(pid), 5000)).toBe(true);
    } finally {
      if (alive(pid)) process.kill(pid, "SIGKILL");
      parent.kill("SIGKILL");
    }
  });
});

function readComm(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, "utf8").trim();
  } catch {
    return "";
  }
}
