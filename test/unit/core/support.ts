/**
 * Small components written against the sdk interfaces, to drive the engine in tests: a null-like builder
 * (StepConnect + StepProvision), a provisioner that prints and fails on demand, a post-processor with
 * configurable keep semantics, a communicator that runs nothing, and a capturing stream.
 */
import { Writable } from "node:stream";
import {
  type Artifact,
  type Builder,
  type BuilderRunContext,
  basicArtifact,
  type Communicator,
  type GeneratedData,
  type Hook,
  type PostProcessor,
  type PostProcessResult,
  type Provisioner,
  type ProvisionState,
  type RunContext,
  type Step,
  StepProvision,
  type Ui,
} from "../../../src/sdk/index.js";

/** A writable that keeps everything written to it (synchronously). */
export class Capture extends Writable {
  text = "";
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: (error?: Error | null) => void): void {
    this.text += chunk.toString();
    done();
  }
  lines(): string[] {
    return this.text.split("\n").slice(0, -1);
  }
}

/** A monotonic clock the test moves by hand. */
export function manualClock(start = 0): { now: () => number; advance(ms: number): void } {
  let t = start;
  return {
    now: () => t,
    advance(ms: number) {
      t += ms;
    },
  };
}

/** A communicator with nothing behind it (like communicator = "none"): commands succeed, transfers fail. */
export const nullCommunicator: Communicator = {
  async start() {
    return { exitStatus: 0 };
  },
  async upload() {
    throw new Error("upload is not implemented when communicator = 'none'");
  },
  async uploadDir() {
    throw new Error("uploadDir is not implemented when communicator = 'none'");
  },
  async download() {
    throw new Error("download is not implemented when communicator = 'none'");
  },
  async downloadDir() {
    throw new Error("downloadDir is not implemented when communicator = 'none'");
  },
};

export const emptySpec = () => ({});

/** Records what components did, in order. */
export type Journal = string[];

interface NullState extends ProvisionState {}

export interface TestBuilderOptions {
  readonly journal?: Journal;
  /** Make StepConnect fail with this message. */
  readonly failConnect?: string;
  /** No communicator (Packer's nil communicator). */
  readonly noCommunicator?: boolean;
  /** Return no artifact. */
  readonly noArtifact?: boolean;
  /** Artifact files. */
  readonly files?: readonly string[];
  /** Wait this long (ms, abortable) inside StepConnect. */
  readonly connectDelayMs?: number;
}

/** A builder like Packer's null builder: StepConnect then StepProvision, artifact `fnoeding.null`. */
export class TestBuilder implements Builder {
  destroyed = 0;
  constructor(private readonly options: TestBuilderOptions = {}) {}

  configSpec() {
    return {};
  }

  prepare() {
    return { diagnostics: [], generatedDataKeys: [] };
  }

  async run(
    ui: Ui,
    hook: Hook,
    signal: AbortSignal,
    context: BuilderRunContext,
  ): Promise<Artifact | undefined> {
    const journal = this.options.journal;
    const opts = this.options;
    const connect: Step<NullState> = {
      name: "StepConnect",
      async run(state, sig) {
        journal?.push("connect:run");
        if (opts.connectDelayMs !== undefined) await delay(opts.connectDelayMs, sig);
        if (opts.failConnect !== undefined) {
          state.error = new Error(opts.failConnect);
          ui.error(opts.failConnect);
          return "halt";
        }
        if (!opts.noCommunicator) state.communicator = nullCommunicator;
        return "continue";
      },
      async cleanup() {
        journal?.push("connect:cleanup");
      },
    };
    const state: NullState = { hook, ui, instanceId: "Null", runUuid: "run-uuid" };
    await context.runner.run(
      [connect, new StepProvision<NullState>({ log: context.log })],
      state,
      ui,
      signal,
    );
    if (state.error !== undefined) throw state.error;
    if (opts.noArtifact) return undefined;
    return basicArtifact({
      builderId: "fnoeding.null",
      id: "Null",
      string: "Did not export anything. This is the null builder",
      files: opts.files ?? [],
      state: { generated_data: state.generatedData },
      destroy: async () => {
        this.destroyed++;
        journal?.push("builder-artifact:destroy");
      },
    });
  }
}

/** Resolves after `ms`, or rejects when `signal` fires. */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new Error("context canceled"));
      return;
    }
    const t = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(t);
      reject(new Error("context canceled"));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

export interface EchoProvisionerOptions {
  readonly lines?: readonly string[];
  readonly errorLines?: readonly string[];
  /** Fail this many times (then succeed); Infinity = always. */
  readonly failTimes?: number;
  /** The failure messages, by attempt (the last one repeats). */
  readonly failMessages?: readonly string[];
  /** Wait this long (ms) before finishing, abortable. */
  readonly delayMs?: number;
  readonly journal?: Journal;
  readonly label?: string;
}

/** Prints lines like a script would and fails on demand. */
export class EchoProvisioner implements Provisioner {
  attempts = 0;
  lastData: GeneratedData | undefined;
  lastSignal: AbortSignal | undefined;
  lastContext: RunContext | undefined;
  constructor(private readonly options: EchoProvisionerOptions = {}) {}

  configSpec() {
    return {};
  }

  prepare() {
    return { diagnostics: [] };
  }

  async provision(
    ui: Ui,
    _comm: Communicator,
    data: GeneratedData,
    signal: AbortSignal,
    context: RunContext,
  ): Promise<void> {
    const attempt = this.attempts++;
    this.lastData = data;
    this.lastSignal = signal;
    this.lastContext = context;
    this.options.journal?.push(`provision:${this.options.label ?? "echo"}`);
    for (const line of this.options.lines ?? []) ui.message(line);
    for (const line of this.options.errorLines ?? []) ui.error(line);
    if (this.options.delayMs !== undefined) await delay(this.options.delayMs, signal);
    if (attempt < (this.options.failTimes ?? 0)) {
      const msgs = this.options.failMessages ?? [
        "Script exited with non-zero exit status: 3.Allowed exit codes are: [0]",
      ];
      throw new Error(msgs[Math.min(attempt, msgs.length - 1)]);
    }
  }
}

export interface TestPostProcessorOptions {
  readonly keep: boolean;
  readonly forceOverride: boolean;
  readonly fail?: string;
  /** Return no artifact (halts the chain). */
  readonly nothing?: boolean;
  readonly journal?: Journal;
  readonly label: string;
  readonly say?: string;
}

/** Wraps its input in a new artifact named after the label; destroy() is journaled. */
export class TestPostProcessor implements PostProcessor {
  constructor(private readonly options: TestPostProcessorOptions) {}

  configSpec() {
    return {};
  }

  configure() {
    return { diagnostics: [] };
  }

  async postProcess(ui: Ui, artifact: Artifact): Promise<PostProcessResult> {
    const o = this.options;
    o.journal?.push(`pp:${o.label}(${artifact.id()})`);
    if (o.say !== undefined) ui.say(o.say);
    if (o.fail !== undefined) throw new Error(o.fail);
    if (o.nothing) return { artifact: undefined, keep: o.keep, forceOverride: o.forceOverride };
    const journal = o.journal;
    const label = o.label;
    return {
      artifact: basicArtifact({
        builderId: `test.${label}`,
        id: label,
        string: `artifact of ${label}`,
        files: [`${label}.out`],
        destroy: async () => {
          journal?.push(`destroy:${label}`);
        },
      }),
      keep: o.keep,
      forceOverride: o.forceOverride,
    };
  }
}
