/**
 * Helpers for driving components through the plugin contract outside a build: a Ui that records what it is
 * told (and answers questions from a queue), a BuildInfo with defaults, and a RunContext.
 */
import {
  type BuildInfo,
  type Communicator,
  ErrorCode,
  type GeneratedData,
  HOOK_PROVISION,
  type Hook,
  KilnError,
  type Logger,
  noopLogger,
  type Provisioner,
  type RunContext,
  type Ui,
} from "../../../sdk/index.js";

export interface UiLine {
  readonly kind: "say" | "message" | "error" | "ask";
  readonly text: string;
}

export class RecordingUi implements Ui {
  readonly lines: UiLine[] = [];
  /** Answers for ask(), in order; when empty, ask() waits until `answer` is called or its signal fires. */
  private readonly answers: string[] = [];
  private waiting: ((line: string) => void) | undefined;

  say(message: string): void {
    this.lines.push({ kind: "say", text: message });
  }
  message(message: string): void {
    this.lines.push({ kind: "message", text: message });
  }
  error(message: string): void {
    this.lines.push({ kind: "error", text: message });
  }
  machine(): void {}

  ask(query: string, signal?: AbortSignal): Promise<string> {
    this.lines.push({ kind: "ask", text: query });
    const next = this.answers.shift();
    if (next !== undefined) return Promise.resolve(next);
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        this.waiting = undefined;
        reject(new KilnError(ErrorCode.UiCannotAsk, "interrupted"));
      };
      if (signal?.aborted) {
        onAbort();
        return;
      }
      signal?.addEventListener("abort", onAbort, { once: true });
      this.waiting = (line) => {
        signal?.removeEventListener("abort", onAbort);
        resolve(line);
      };
    });
  }

  /** Queues an answer, or gives it to a waiting ask(). */
  answer(line: string): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    if (waiting !== undefined) waiting(line);
    else this.answers.push(line);
  }

  /** Whether an ask() is waiting for an answer. */
  get asking(): boolean {
    return this.waiting !== undefined;
  }

  /** The texts of the lines of one kind. */
  texts(kind: UiLine["kind"]): string[] {
    return this.lines.filter((l) => l.kind === kind).map((l) => l.text);
  }
}

export function testBuildInfo(overrides: Partial<BuildInfo> = {}): BuildInfo {
  return {
    buildName: "test",
    builderType: "null",
    coreVersion: "1.6.6",
    debug: false,
    force: false,
    onError: "cleanup",
    userVariables: {},
    sensitiveVariables: [],
    runUuid: "00000000-1111-2222-3333-444444444444",
    env: { PATH: "/usr/local/bin:/usr/bin:/bin" },
    cwd: process.cwd(),
    ...overrides,
  };
}

export class RecordingLogger implements Logger {
  constructor(
    readonly records: string[] = [],
    private readonly prefix = "",
  ) {}
  log(message: string): void {
    this.records.push(this.prefix + message);
  }
  child(prefix: string): Logger {
    return new RecordingLogger(this.records, this.prefix + prefix);
  }
}

export function testRunContext(log: Logger = noopLogger): RunContext {
  return { log, secrets: { add() {} } };
}

/**
 * A Hook that answers HOOK_PROVISION by running `provisioners` in order with the builder's communicator, as
 * core's provision hook does (without its meta-argument wrappers). Records the data each run saw.
 */
export class ProvisionersHook implements Hook {
  readonly seen: GeneratedData[] = [];

  constructor(
    private readonly provisioners: readonly Provisioner[],
    private readonly context: RunContext = testRunContext(),
  ) {}

  async run(
    name: string,
    ui: Ui,
    communicator: Communicator | undefined,
    data: GeneratedData,
    signal: AbortSignal,
  ): Promise<void> {
    if (name !== HOOK_PROVISION) return;
    this.seen.push(data);
    if (this.provisioners.length === 0) return;
    if (communicator === undefined)
      throw new KilnError(ErrorCode.Provisioner, "No communicator found for provisioners!");
    for (const p of this.provisioners) await p.provision(ui, communicator, data, signal, this.context);
  }
}
