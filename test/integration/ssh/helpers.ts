// Shared helpers for the SSH integration tests: sessions to the test sshd, output capture, remote temp dirs.
import { readFileSync } from "node:fs";
import { Writable } from "node:stream";
import { SshCommunicator, type SshCommunicatorOptions } from "../../../src/communicator/index.js";
import type { Communicator, Ui } from "../../../src/sdk/index.js";
import { type SshTarget, sshTarget } from "../../support/env.js";

export async function target(): Promise<SshTarget> {
  return sshTarget();
}

export function keyOptions(
  t: SshTarget,
  extra: Partial<SshCommunicatorOptions> = {},
): SshCommunicatorOptions {
  return {
    host: t.host,
    port: t.port,
    username: t.username,
    privateKeys: [readFileSync(t.privateKeyPath)],
    keepAliveIntervalMs: 5000,
    ...extra,
  };
}

export async function connect(
  t: SshTarget,
  extra: Partial<SshCommunicatorOptions> = {},
): Promise<SshCommunicator> {
  return SshCommunicator.connect(keyOptions(t, extra), new AbortController().signal);
}

export class Capture extends Writable {
  text = "";
  override _write(chunk: Buffer | string, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.text += chunk.toString();
    cb();
  }
}

export interface RunResult {
  readonly exitStatus: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function run(comm: Communicator, command: string, stdin?: string): Promise<RunResult> {
  const stdout = new Capture();
  const stderr = new Capture();
  const r = await comm.start(
    { command, stdout, stderr, ...(stdin !== undefined ? { stdin } : {}) },
    new AbortController().signal,
  );
  return { exitStatus: r.exitStatus, stdout: stdout.text, stderr: stderr.text };
}

/** Runs `command` and fails unless it exits 0; returns its standard output. */
export async function sh(comm: Communicator, command: string): Promise<string> {
  const r = await run(comm, command);
  if (r.exitStatus !== 0) throw new Error(`${command} exited ${r.exitStatus}: ${r.stderr}`);
  return r.stdout;
}

/** A fresh directory on the remote side; remove it with `rm -rf` when done. */
export async function remoteTempDir(comm: Communicator): Promise<string> {
  return (await sh(comm, "mktemp -d /tmp/kiln-ssh-test.XXXXXX")).trim();
}

export interface RecordedUi extends Ui {
  readonly lines: string[];
}

/** A Ui that records every line as `say: ...`, `message: ...`, `error: ...`. */
export function recordingUi(): RecordedUi {
  const lines: string[] = [];
  return {
    lines,
    say: (m) => lines.push(`say: ${m}`),
    message: (m) => lines.push(`message: ${m}`),
    error: (m) => lines.push(`error: ${m}`),
    machine: () => {},
    ask: async () => "",
  };
}

export const never = (): AbortSignal => new AbortController().signal;
