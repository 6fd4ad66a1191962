/**
 * The run of `build` (Packer's BuildCommand.RunContext after the builds are prepared, §8.1 steps 4-6): builds
 * start in order, at most `parallelBuilds` at a time (one at a time with -debug), each with its own colored UI;
 * then the wait time, the error summary and the artifact summary are printed, and the exit code is returned.
 * A fired signal prints `Cancelling build after receiving <signal>`, starts no more builds, lets the running
 * ones clean up, and ends with `Cleanly cancelled builds after being interrupted.` (exit 1).
 */
import {
  type Artifact,
  cancelledError,
  errorMessage,
  type Logger,
  type OnErrorMode,
  type SecretFilter,
  type Ui,
} from "../sdk/index.js";
import { type CoreBuild, runBuild } from "./build.js";
import { durafmtMs } from "./durafmt.js";
import type { BuildStatus, EventSink } from "./events.js";
import { BUILD_COLORS, ColoredUi, MachineReadableUi, TargetedUi, TimestampedUi } from "./ui.js";

export interface RunBuildsOptions {
  /** The command's UI: a BasicUi, or a MachineReadableUi for -machine-readable (then no colors). */
  readonly ui: Ui;
  readonly builds: readonly CoreBuild[];
  /** -color (default true). */
  readonly color: boolean;
  /**
   * PACKER_NO_COLOR is set: the per-build UIs are still made (and announce their color) but print no escape
   * sequences, as Packer does.
   */
  readonly noColor?: boolean;
  /** -timestamp-ui. */
  readonly timestampUi: boolean;
  /** -debug: builds run one at a time and pause between steps. */
  readonly debug: boolean;
  /** -force (only logged here; builders get it through BuildInfo). */
  readonly force: boolean;
  /** -on-error as given ("" when not given). */
  readonly onError: OnErrorMode | "";
  /** -parallel-builds: below 1 (or Infinity) means no limit; 1 runs builds one at a time. */
  readonly parallelBuilds: number;
  /** The run's signal; the cli aborts it on SIGINT/SIGTERM with a reason carrying `signal`. */
  readonly signal: AbortSignal;
  readonly log: Logger;
  /** Where components add secrets they create (the run's Redactor). */
  readonly secrets: SecretFilter;
  readonly events?: EventSink;
  /** Clock for -timestamp-ui (tests). */
  readonly now?: () => Date;
  /** Monotonic milliseconds for durations (tests). Default performance.now. */
  readonly clock?: () => number;
  /** Cleanups of a build's steps get a signal that fires after this long. Default: never. */
  readonly cleanupTimeoutMs?: number;
}

export interface BuildResult {
  readonly name: string;
  readonly status: BuildStatus;
  /** The reported artifacts of a successful build (may be empty); undefined when it produced none. */
  readonly artifacts: readonly Artifact[] | undefined;
  readonly error?: unknown;
}

export interface RunBuildsResult {
  /** 0 when every started build succeeded and the run was not interrupted, else 1. */
  readonly exitCode: 0 | 1;
  readonly cancelled: boolean;
  /** One entry per build that was started, in build order. */
  readonly results: readonly BuildResult[];
}

/** Go's os.Signal names: what Packer prints after "Cancelling build after receiving ". */
const SIGNAL_NAMES: Readonly<Record<string, string>> = {
  SIGINT: "interrupt",
  SIGTERM: "terminated",
  SIGHUP: "hangup",
  SIGQUIT: "quit",
  SIGKILL: "killed",
};

/** The signal name for an abort reason (`{signal: "SIGINT"}` → `interrupt`); `interrupt` when unknown. */
export function describeAbortReason(reason: unknown): string {
  if (reason !== null && typeof reason === "object" && "signal" in reason) {
    const sig = (reason as { signal: unknown }).signal;
    if (typeof sig === "string") return SIGNAL_NAMES[sig] ?? sig.toLowerCase().replace(/^sig/, "");
  }
  return "interrupt";
}

/** A counting semaphore whose acquire() can be abandoned through a signal. */
class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly limit: number) {}

  acquire(signal: AbortSignal): Promise<void> {
    if (this.active < this.limit && this.waiting.length === 0) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const grant = (): void => {
        signal.removeEventListener("abort", onAbort);
        this.active++;
        resolve();
      };
      const onAbort = (): void => {
        const i = this.waiting.indexOf(grant);
        if (i >= 0) this.waiting.splice(i, 1);
        reject(cancelledError(signal.reason));
      };
      if (signal.aborted) {
        reject(cancelledError(signal.reason));
        return;
      }
      signal.addEventListener("abort", onAbort, { once: true });
      this.waiting.push(grant);
    });
  }

  release(): void {
    this.active--;
    const next = this.waiting.shift();
    next?.();
  }
}

export async function runBuilds(options: RunBuildsOptions): Promise<RunBuildsResult> {
  const { ui, builds, signal, log, events } = options;
  const clock = options.clock ?? (() => performance.now());
  const machine = ui instanceof MachineReadableUi;

  let announced = false;
  const onAbort = (): void => {
    if (announced) return;
    announced = true;
    ui.error(`Cancelling build after receiving ${describeAbortReason(signal.reason)}`);
  };
  if (signal.aborted) onAbort();
  else signal.addEventListener("abort", onAbort, { once: true });

  try {
    if (options.debug) ui.say("Debug mode enabled. Builds will not be parallelized.");

    const buildUis: Ui[] = builds.map((build, i) => {
      let buildUi: Ui = ui;
      if (options.color && !machine) {
        buildUi = new ColoredUi(ui, {
          color: BUILD_COLORS[i % BUILD_COLORS.length]!,
          enabled: options.noColor !== true,
        });
        buildUi.say(`${build.name}: output will be in this color.`);
        // A blank line between the color announcements and the output.
        if (i + 1 === builds.length) ui.say("");
      }
      if (options.timestampUi) buildUi = new TimestampedUi(buildUi, options.now);
      return buildUi;
    });

    log.log(`Build debug mode: ${options.debug}`);
    log.log(`Force build: ${options.force}`);
    log.log(`On error: ${options.onError}`);

    const started = clock();
    const limit = options.parallelBuilds < 1 ? Number.POSITIVE_INFINITY : options.parallelBuilds;
    const sequential = options.debug || limit === 1;
    const semaphore = new Semaphore(limit);
    const results: (BuildResult | undefined)[] = builds.map(() => undefined);
    const running: Promise<void>[] = [];

    for (const [i, build] of builds.entries()) {
      if (signal.aborted) {
        log.log("Interrupted, not going to start any more builds.");
        break;
      }
      const buildUi = buildUis[i]!;
      try {
        await semaphore.acquire(signal);
      } catch (err) {
        buildUi.error(`Build '${build.name}' failed to acquire semaphore: ${errorMessage(err)}`);
        results[i] = { name: build.name, status: "errored", artifacts: undefined, error: err };
        break;
      }
      const run = (async () => {
        const buildStart = clock();
        try {
          log.log(`Starting build run: ${build.name}`);
          events?.emit({ type: "build-start", build: build.name, builderType: build.type });
          const outcome = await runBuild(build, buildUi, {
            debug: options.debug,
            onError: options.onError,
            signal,
            log,
            secrets: options.secrets,
            ...(options.cleanupTimeoutMs !== undefined ? { cleanupTimeoutMs: options.cleanupTimeoutMs } : {}),
          });
          const elapsed = clock() - buildStart;
          const duration = durafmtMs(elapsed);
          let status: BuildStatus;
          if (outcome.error !== undefined) {
            status = signal.aborted ? "cancelled" : "errored";
            buildUi.error(`Build '${build.name}' errored after ${duration}: ${errorMessage(outcome.error)}`);
            results[i] = { name: build.name, status, artifacts: undefined, error: outcome.error };
          } else {
            status = signal.aborted ? "cancelled" : "finished";
            buildUi.say(`Build '${build.name}' finished after ${duration}.`);
            results[i] = { name: build.name, status, artifacts: outcome.artifacts };
          }
          events?.emit({
            type: "build-finish",
            build: build.name,
            status,
            durationMs: Math.round(elapsed),
            ...(outcome.error !== undefined ? { error: errorMessage(outcome.error) } : {}),
          });
        } finally {
          semaphore.release();
        }
      })();
      running.push(run);
      if (sequential) {
        log.log(
          options.debug
            ? `Debug enabled, so waiting for build to finish: ${build.name}`
            : `Parallelization disabled, waiting for build to finish: ${build.name}`,
        );
        await run;
      }
    }

    log.log("Waiting on builds to complete...");
    await Promise.all(running);
    ui.say(`\n==> Wait completed after ${durafmtMs(clock() - started)}`);

    const done = results.filter((r): r is BuildResult => r !== undefined);
    if (signal.aborted) {
      ui.say("Cleanly cancelled builds after being interrupted.");
      return { exitCode: 1, cancelled: true, results: done };
    }

    const failed = done.filter((r) => r.error !== undefined);
    if (failed.length > 0) {
      ui.machine("error-count", String(failed.length));
      ui.error("\n==> Some builds didn't complete successfully and had errors:");
      for (const r of failed) {
        const message = errorMessage(r.error);
        new TargetedUi(ui, r.name).machine("error", message);
        ui.error(`--> ${r.name}: ${message}`);
        events?.emit({ type: "error", build: r.name, message });
      }
    }

    const withArtifacts = done.filter((r) => r.error === undefined && r.artifacts !== undefined);
    if (withArtifacts.length > 0) {
      ui.say("\n==> Builds finished. The artifacts of successful builds are:");
      for (const r of withArtifacts) {
        const targeted = new TargetedUi(ui, r.name);
        const artifacts = r.artifacts!;
        targeted.machine("artifact-count", String(artifacts.length));
        for (const [i, artifact] of artifacts.entries()) {
          reportArtifact(ui, targeted, r.name, i, artifact, events);
        }
      }
    } else {
      ui.say("\n==> Builds finished but no artifacts were created.");
    }

    return { exitCode: failed.length > 0 ? 1 : 0, cancelled: false, results: done };
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
}

function reportArtifact(
  ui: Ui,
  targeted: Ui,
  build: string,
  index: number,
  artifact: Artifact | undefined,
  events: EventSink | undefined,
): void {
  const i = String(index);
  if (artifact === undefined) {
    targeted.machine("artifact", i, "nil");
    targeted.machine("artifact", i, "end");
    ui.say(`--> ${build}: <nothing>`);
    return;
  }
  const files = artifact.files();
  targeted.machine("artifact", i, "builder-id", artifact.builderId());
  targeted.machine("artifact", i, "id", artifact.id());
  targeted.machine("artifact", i, "string", artifact.string());
  targeted.machine("artifact", i, "files-count", String(files.length));
  for (const [fi, file] of files.entries()) targeted.machine("artifact", i, "file", String(fi), file);
  targeted.machine("artifact", i, "end");
  ui.say(`--> ${build}: ${artifact.string()}`);
  events?.emit({
    type: "artifact",
    build,
    index,
    builderId: artifact.builderId(),
    id: artifact.id(),
    string: artifact.string(),
    files: [...files],
  });
}
