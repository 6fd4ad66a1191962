import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { isKilnError } from "../sdk/index.js";
import { processFailureOf, runProcess } from "./run-process.js";
import { shellQuote, shellQuoteArgs } from "./shell-quote.js";

const env = { PATH: "/usr/local/bin:/usr/bin:/bin" };
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function sh(script: string, extra: Partial<Parameters<typeof runProcess>[0]> = {}) {
  return runProcess({ command: "/bin/sh", args: ["-c", script], env, ...extra });
}

/** True while the process exists and is not a zombie waiting to be reaped. */
function pidAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

async function waitUntilGone(pid: number): Promise<boolean> {
  for (let i = 0; i < 100 && pidAlive(pid); i++) await new Promise((r) => setTimeout(r, 20));
  return !pidAlive(pid);
}

describe("runProcess", () => {
  it("streams stdout and stderr line by line and returns the output", async () => {
    const out: string[] = [];
    const err: string[] = [];
    const result = await sh("printf 'a\\nb\\r\\n'; printf 'e1\\n' >&2; printf 'tail'", {
      onStdoutLine: (l) => out.push(l),
      onStderrLine: (l) => err.push(l),
    });
    expect(out).toEqual(["a", "b", "tail"]);
    expect(err).toEqual(["e1"]);
    expect(result.exitCode).toBe(0);
    expect(result.signal).toBeNull();
    expect(result.stdout).toBe("a\nb\r\ntail");
    expect(result.stderr).toBe("e1\n");
  });

  it("passes the environment, working directory and input exactly", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kiln-exec-"));
    dirs.push(dir);
    const result = await sh('printf "%s|%s|" "$FOO" "$(pwd)"; cat', {
      env: { ...env, FOO: "bar baz" },
      cwd: dir,
      input: "from stdin",
    });
    expect(result.stdout).toBe(`bar baz|${dir}|from stdin`);
  });

  it("copies raw output to given streams", async () => {
    let raw = "";
    const stdout = new Writable({
      write(chunk, _e, cb) {
        raw += String(chunk);
        cb();
      },
    });
    await sh("echo raw", { stdout });
    expect(raw).toBe("raw\n");
  });

  it("fails with the exit code and the tail of stderr", async () => {
    const err = await sh("for i in $(seq 1 30); do echo line$i >&2; done; exit 3").catch((e: unknown) => e);
    expect(isKilnError(err, "EXEC_EXIT")).toBe(true);
    const failure = processFailureOf(err)!;
    expect(failure.exitCode).toBe(3);
    expect(failure.stderrTail.split("\n")).toHaveLength(20);
    expect(failure.stderrTail.split("\n")[0]).toBe("line11");
    expect((err as Error).message).toBe(
      `/bin/sh -c 'for i in $(seq 1 30); do echo line$i >&2; done; exit 3' exited with code 3:\n${failure.stderrTail}`,
    );
  });

  it("accepts other exit codes when told", async () => {
    expect((await sh("exit 2", { okExitCodes: [0, 2] })).exitCode).toBe(2);
    expect((await sh("exit 7", { okExitCodes: "any" })).exitCode).toBe(7);
  });

  it("reports a program that does not exist, with a hint", async () => {
    const err = await runProcess({ command: "kiln-no-such-program", env }).catch((e: unknown) => e);
    expect(isKilnError(err, "EXEC_SPAWN")).toBe(true);
    expect((err as Error).message).toContain("Failed to start kiln-no-such-program");
    expect((err as { hint?: string }).hint).toContain("installed and on the PATH");
  });

  it("reports a process killed by a signal it was not sent by us", async () => {
    const err = await sh("kill -9 $$").catch((e: unknown) => e);
    expect(isKilnError(err, "EXEC_SIGNAL")).toBe(true);
    expect(processFailureOf(err)?.signal).toBe("SIGKILL");
  });

  it("stops the whole process group on abort and says it was cancelled", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kiln-exec-"));
    dirs.push(dir);
    const pidFile = join(dir, "child.pid");
    const controller = new AbortController();
    const lines: string[] = [];
    const run = sh(`sleep 30 & echo $! > ${pidFile}; echo started; wait`, {
      signal: controller.signal,
      onStdoutLine: (l) => {
        lines.push(l);
        if (l === "started") controller.abort(new Error("user interrupt"));
      },
    });
    const err = await run.catch((e: unknown) => e);
    expect(isKilnError(err, "EXEC_CANCELLED")).toBe(true);
    expect((err as Error).cause).toEqual(new Error("user interrupt"));
    const grandchild = Number(readFileSync(pidFile, "utf8"));
    expect(await waitUntilGone(grandchild)).toBe(true);
  });

  it("times out with SIGTERM, then SIGKILL for a process that ignores it", async () => {
    const started = Date.now();
    const lines: string[] = [];
    const err = await sh("trap '' TERM; echo ready; while true; do sleep 0.05; done", {
      timeoutMs: 100,
      killGraceMs: 200,
      onStdoutLine: (l) => lines.push(l),
    }).catch((e: unknown) => e);
    expect(isKilnError(err, "EXEC_TIMEOUT")).toBe(true);
    expect(processFailureOf(err)?.signal).toBe("SIGKILL");
    expect(lines).toEqual(["ready"]);
    expect(Date.now() - started).toBeLessThan(5000);
    expect((err as Error).message).toContain("timed out after 100 ms");
  });

  it("does not start when the signal has already fired", async () => {
    const controller = new AbortController();
    controller.abort();
    const err = await sh("echo never", { signal: controller.signal }).catch((e: unknown) => e);
    expect(isKilnError(err, "EXEC_CANCELLED")).toBe(true);
  });

  it("logs what it runs", async () => {
    const records: string[] = [];
    const log = { log: (m: string) => records.push(m), child: () => log };
    await sh("true", { log });
    expect(records).toEqual([
      "Executing local command: /bin/sh -c true",
      "Local command exited with code 0: /bin/sh -c true",
    ]);
  });
});

describe("shellQuote", () => {
  it("quotes only when needed", () => {
    expect(shellQuote("abc/def-1.2")).toBe("abc/def-1.2");
    expect(shellQuote("")).toBe("''");
    expect(shellQuote("it's here")).toBe("'it'\"'\"'s here'");
    expect(shellQuoteArgs(["echo", "a b"])).toBe("echo 'a b'");
  });
});
