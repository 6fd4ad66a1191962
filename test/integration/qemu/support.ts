// Helpers for the qemu builder's integration tests: the cached test image (scripts/qemu-image.sh), builds run
// through the sdk interfaces with a recording Ui and a hook that runs commands over the build's communicator,
// and the process checks that prove no VM outlives a build.
//
// Contract: readQemuImage() fails loudly (never skips) when the image is missing. Every VM a test starts has a
// unique marker in its name (vm_name), so killVms(marker) can find and kill it whatever happened.

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Writable } from "node:stream";
import { createStepRunner } from "../../../src/core/index.js";
import { valueFromNative } from "../../../src/hcl/index.js";
import { QemuBuilder } from "../../../src/plugins/builder/qemu/builder.js";
import { RecordingUi, testBuildInfo } from "../../../src/plugins/provisioner/shell-local/test-support.js";
import {
  type Artifact,
  type BuildInfo,
  type Communicator,
  type GeneratedData,
  HOOK_PROVISION,
  type Hook,
  type Logger,
  type Ui,
} from "../../../src/sdk/index.js";

/** The `qemu` section of $KILN_TEST_STATE/qemu-image.json (the fields these tests use). */
export interface QemuImage {
  readonly image: string;
  readonly sha256: string;
  readonly virtualSizeBytes: number;
  readonly user: string;
  readonly password: string;
  readonly privateKeyPath: string;
  readonly sshPort: number;
  readonly kernel: string;
}

export function readQemuImage(): QemuImage {
  const stateDir = process.env.KILN_TEST_STATE ?? "/var/lib/kiln-test";
  const file = join(stateDir, "qemu-image.json");
  const hint = "run scripts/test-env.sh (or scripts/qemu-image.sh) as root";
  if (!existsSync(file)) throw new Error(`kiln test environment: no ${file}: ${hint}`);
  const doc = JSON.parse(readFileSync(file, "utf8")) as {
    schemaVersion?: unknown;
    qemu?: Record<string, unknown>;
  };
  const q = doc.qemu;
  if (doc.schemaVersion !== 1 || q === undefined)
    throw new Error(`kiln test environment: ${file} is not schema 1: ${hint}`);
  for (const key of ["image", "sha256", "user", "privateKeyPath"]) {
    if (typeof q[key] !== "string" || q[key] === "")
      throw new Error(`kiln test environment: ${file}: qemu.${key} missing: ${hint}`);
  }
  const image = q as unknown as QemuImage;
  if (!existsSync(image.image)) throw new Error(`kiln test environment: ${image.image} is missing: ${hint}`);
  return image;
}

/** Pids of live processes whose command line contains `marker`. */
export function processesWith(marker: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8");
      const state = /^\d+ \(.*\) (\S)/.exec(readFileSync(`/proc/${entry}/stat`, "utf8"))?.[1];
      if (cmdline.includes(marker) && state !== "Z" && state !== "X") pids.push(Number(entry));
    } catch {
      // Gone while we looked.
    }
  }
  return pids;
}

/** Kills every process whose command line contains `marker` (afterAll safety net). */
export function killVms(marker: string): void {
  for (const pid of processesWith(marker)) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
}

class Capture extends Writable {
  text = "";
  override _write(chunk: Buffer | string, _e: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.text += chunk.toString();
    cb();
  }
}

/** One command's result inside the guest. */
export interface GuestResult {
  readonly exitStatus: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** What a provisioning step of a test sees: run a command in the guest, and the build's generated data. */
export interface GuestSession {
  readonly data: GeneratedData;
  run(command: string): Promise<GuestResult>;
}

/** A hook that gives HOOK_PROVISION to `provision` with the build's communicator. */
export class FunctionHook implements Hook {
  readonly seen: GeneratedData[] = [];
  constructor(private readonly provision: (session: GuestSession) => Promise<void>) {}

  async run(name: string, _ui: Ui, comm: Communicator | undefined, data: GeneratedData, signal: AbortSignal) {
    if (name !== HOOK_PROVISION) return;
    this.seen.push(data);
    if (comm === undefined) throw new Error("no communicator");
    await this.provision({
      data,
      async run(command) {
        const stdout = new Capture();
        const stderr = new Capture();
        const r = await comm.start({ command, stdout, stderr }, signal);
        return { exitStatus: r.exitStatus, stdout: stdout.text, stderr: stderr.text };
      },
    });
  }
}

export class TimedLogger implements Logger {
  constructor(
    readonly records: string[] = [],
    private readonly started = Date.now(),
  ) {}
  log(message: string): void {
    this.records.push(`${((Date.now() - this.started) / 1000).toFixed(1)}s ${message}`);
  }
  child(): Logger {
    return this;
  }
}

export interface BuildOutcome {
  readonly artifact: Artifact | undefined;
  readonly error: Error | undefined;
  readonly ui: RecordingUi;
  readonly log: TimedLogger;
  readonly seconds: number;
  readonly prepareDiagnostics: readonly string[];
}

export interface RunBuildOptions {
  readonly config: Record<string, unknown>;
  readonly hook: Hook;
  readonly info?: Partial<BuildInfo>;
  readonly signal?: AbortSignal;
  /** Called with the Ui before the build starts (to watch its lines). */
  readonly onUi?: (ui: RecordingUi) => void;
}

/** Prepares and runs a qemu build the way core does, collecting everything a test needs. */
export async function runBuild(options: RunBuildOptions): Promise<BuildOutcome> {
  const started = Date.now();
  const builder = new QemuBuilder();
  const info = testBuildInfo({
    builderType: "qemu",
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/root", TMPDIR: "/tmp" },
    ...options.info,
  });
  const prepared = builder.prepare(valueFromNative(options.config), info);
  const ui = new RecordingUi();
  const log = new TimedLogger([], started);
  const errors = prepared.diagnostics.filter((d) => d.severity === "error").map((d) => d.summary);
  if (errors.length > 0) {
    return {
      artifact: undefined,
      error: new Error(errors.join("\n")),
      ui,
      log,
      seconds: 0,
      prepareDiagnostics: errors,
    };
  }
  options.onUi?.(ui);
  let artifact: Artifact | undefined;
  let error: Error | undefined;
  try {
    artifact = await builder.run(ui, options.hook, options.signal ?? new AbortController().signal, {
      log,
      secrets: { add() {} },
      runner: createStepRunner({ onError: "", debug: false }),
    });
  } catch (err) {
    error = err as Error;
  }
  return { artifact, error, ui, log, seconds: (Date.now() - started) / 1000, prepareDiagnostics: [] };
}

/** The UI as text, for failure messages. */
export function transcript(outcome: BuildOutcome): string {
  return `${outcome.ui.lines.map((l) => `${l.kind}: ${l.text}`).join("\n")}\n--- log ---\n${outcome.log.records.slice(-60).join("\n")}`;
}

/** Seconds from the VM's start to "Connected to SSH!", from the debug log. */
export function bootToSshSeconds(outcome: BuildOutcome): number | undefined {
  const at = (re: RegExp): number | undefined => {
    const line = outcome.log.records.find((r) => re.test(r));
    return line === undefined ? undefined : Number.parseFloat(line);
  };
  const start = at(/The VM is running/);
  const banner = at(/SSH banner seen/);
  return start !== undefined && banner !== undefined ? banner - start : undefined;
}
