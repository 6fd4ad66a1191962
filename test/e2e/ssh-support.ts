// Shared pieces of the `kiln build` over SSH e2e tests: a scratch directory holding a template, a null
// source for the test sshd (scripts/test-env.sh), runs of bin/kiln.js (and of Packer 1.6.6, the reference)
// with their output, and shell access to the remote side for setup and clean-up.
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { type SshTarget, systemSshArgs } from "../support/env.js";
import { type KilnRun, kiln, kilnBin } from "./run-kiln.js";

/** The child's environment: no agent (so agent forwarding and agent auth stay out of the picture). */
const QUIET_ENV: Record<string, string> = { SSH_AUTH_SOCK: "", CHECKPOINT_DISABLE: "1" };

export type SshAuth = "key" | "password" | "unauthorized-key" | "wrong-password";

/** HCL text of a string literal. */
export function hclString(s: string): string {
  return JSON.stringify(s).replaceAll("${", "$${").replaceAll("%{", "%%{");
}

/**
 * `source "null" "<name>"` connecting to the test sshd with the given credentials; `extra` lines go inside
 * the block (e.g. `ssh_file_transfer_method = "sftp"`).
 */
export function nullSshSource(
  t: SshTarget,
  name: string,
  auth: SshAuth,
  extra: readonly string[] = [],
): string {
  const credentials: Record<SshAuth, string> = {
    key: `ssh_private_key_file = ${hclString(t.privateKeyPath)}`,
    "unauthorized-key": `ssh_private_key_file = ${hclString(t.unauthorizedPrivateKeyPath)}`,
    password: `ssh_password = ${hclString(t.password)}`,
    "wrong-password": `ssh_password = ${hclString(`${t.password}-wrong`)}`,
  };
  return [
    `source "null" ${hclString(name)} {`,
    `  communicator = "ssh"`,
    `  ssh_host     = ${hclString(t.host)}`,
    `  ssh_port     = ${t.port}`,
    `  ssh_username = ${hclString(t.username)}`,
    `  ${credentials[auth]}`,
    ...extra.map((l) => `  ${l}`),
    "}",
    "",
  ].join("\n");
}

/** A scratch directory for one build; remove() deletes it. */
export class Workdir {
  readonly dir = mkdtempSync(join(tmpdir(), "kiln-e2e-ssh-"));

  path(rel: string): string {
    return join(this.dir, rel);
  }

  write(rel: string, text: string | Buffer, mode?: number): string {
    const p = this.path(rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, text);
    if (mode !== undefined) chmodSync(p, mode);
    return p;
  }

  mkdir(rel: string, mode?: number): string {
    const p = this.path(rel);
    mkdirSync(p, { recursive: true });
    if (mode !== undefined) chmodSync(p, mode);
    return p;
  }

  remove(): void {
    // Downloaded directories may be read-only.
    spawnSync("chmod", ["-R", "u+rwx", this.dir]);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** `kiln build -color=false <args>` in `dir`, as a user runs it. */
export function kilnBuild(dir: string, args: readonly string[], env: Record<string, string> = {}): KilnRun {
  return kiln(["build", "-color=false", ...args], {
    cwd: dir,
    env: { ...QUIET_ENV, ...env },
    timeoutMs: 90_000,
  });
}

/** `packer build -color=false <args>` with Packer 1.6.6 in `dir`. */
export function packerBuild(
  packer: string,
  dir: string,
  args: readonly string[],
  env: Record<string, string> = {},
): KilnRun {
  const r = spawnSync(packer, ["build", "-color=false", ...args], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, ...QUIET_ENV, ...env },
    timeout: 90_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export interface TimedLine {
  /** Milliseconds since the process started. */
  readonly at: number;
  readonly text: string;
}

export interface TimedRun extends KilnRun {
  /** Standard output, line by line, with the time each line arrived. */
  readonly lines: readonly TimedLine[];
  readonly ms: number;
}

/** Like kilnBuild, but asynchronous, recording when each line of standard output arrived. */
export function kilnBuildTimed(dir: string, args: readonly string[]): Promise<TimedRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [kilnBin, "build", "-color=false", ...args], {
      cwd: dir,
      env: { ...process.env, ...QUIET_ENV },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const lines: TimedLine[] = [];
    let stdout = "";
    let stderr = "";
    let partial = "";
    child.stdout.setEncoding("utf8");
    child.stderr.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      const at = performance.now() - started;
      stdout += chunk;
      const parts = (partial + chunk).split("\n");
      partial = parts.pop() ?? "";
      for (const text of parts) lines.push({ at, text });
    });
    child.stderr.on("data", (chunk: string) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 90_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      if (partial !== "") lines.push({ at: performance.now() - started, text: partial });
      resolve({ code, stdout, stderr, lines, ms: performance.now() - started });
    });
  });
}

/** Runs `command` on the test sshd with OpenSSH; returns its standard output, throws when it fails. */
export function remoteSh(t: SshTarget, command: string): string {
  const r = spawnSync("ssh", [...systemSshArgs(t), command], { encoding: "utf8", timeout: 30_000 });
  if (r.status !== 0) throw new Error(`ssh ${command}: exit ${r.status}: ${r.stderr}`);
  return r.stdout;
}

/** A fresh directory on the remote side. */
export function remoteTempDir(t: SshTarget): string {
  return remoteSh(t, "mktemp -d /tmp/kiln-e2e-ssh.XXXXXX").trim();
}

export function removeRemote(t: SshTarget, path: string): void {
  if (path.startsWith("/tmp/kiln-e2e-ssh.")) remoteSh(t, `chmod -R u+rwx ${path}; rm -rf ${path}`);
}

/**
 * The index of each `wanted` line in `text`'s lines, failing (with the output) unless all are there in this
 * order. Lines may also be regular expressions.
 */
export function linesInOrder(text: string, wanted: readonly (string | RegExp)[]): number[] {
  const lines = text.split("\n");
  const found: number[] = [];
  let from = 0;
  for (const w of wanted) {
    const i = lines.findIndex((l, idx) => idx >= from && (typeof w === "string" ? l === w : w.test(l)));
    if (i < 0) throw new Error(`line ${String(w)} not found (in order) in the output:\n${text}`);
    found.push(i);
    from = i + 1;
  }
  return found;
}

/**
 * A shell snippet for an inline script that drops its own SSH connection: it walks up from the script's
 * process to the sshd process serving this session and kills it, as a reboot would cut the connection.
 */
export const DROP_OWN_CONNECTION =
  'pid=$$; while [ "$pid" -gt 1 ]; do case "$(cat /proc/$pid/comm)" in sshd*) kill -9 "$pid"; break;; esac; pid=$(cut -d" " -f4 /proc/$pid/stat); done';
