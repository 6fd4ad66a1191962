// Helpers for the qemu builder's integration tests: builds run through the sdk interfaces with a recording Ui
// and a hook that runs commands over the build's communicator. The cached test image and the process checks
// that prove no VM outlives a build live in image.ts (plain Node, shared with the e2e tests) and are
// re-exported here.

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

export { killVms, processesWith, type QemuImage, qemuProcessesWith, readQemuImage } from "./image.js";

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
