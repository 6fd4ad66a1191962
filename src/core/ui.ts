/**
 * Packer's UIs (Packer 1.6.6 output): two sinks that write to injected streams — BasicUi (human text) and
 * MachineReadableUi (`-machine-readable` records) — and decorators that build the per-build view:
 * TargetedUi (`==> build: ` / `    build: ` prefixes), ColoredUi (ANSI colors, bold for say and error) and
 * TimestampedUi (`-timestamp-ui`). Every layer redacts secrets before it transforms the text, and the sinks
 * redact again before writing, so a secret never reaches a stream or the log.
 */
import { ErrorCode, goStringSlice, KilnError, type Logger, trimRightSpace, type Ui } from "../sdk/index.js";
import { type EventSink, stripColors } from "./events.js";
import { formatRfc3339 } from "./go-time.js";
import type { LineInput } from "./line-input.js";
import type { Redactor } from "./redactor.js";

export interface BasicUiOptions {
  readonly stdout: NodeJS.WritableStream;
  /** Where error lines go; Packer writes them to stdout too (the default). */
  readonly errorStream?: NodeJS.WritableStream;
  /** The terminal answers come from; without one, ask() fails with "no available tty" as in Packer. */
  readonly input?: LineInput;
  readonly redactor: Redactor;
  readonly log: Logger;
  readonly events?: EventSink;
}

/** The error ask() rejects with once the user interrupted a question (Packer's ErrInterrupted). */
export function interruptedError(): KilnError {
  return new KilnError(ErrorCode.UiCannotAsk, "interrupted");
}

/**
 * Human output (Packer's BasicUi): one line per call on stdout, `ui: <text>` / `ui error: <text>` in the log.
 * While a question waits for its answer, other output is held back and written after it (Packer holds its UI
 * lock while asking), so the prompt stays on its own line.
 */
export class BasicUi implements Ui {
  private interrupted = false;
  private asking: Promise<unknown> = Promise.resolve();
  private held: (() => void)[] | undefined;

  constructor(private readonly options: BasicUiOptions) {}

  say(message: string): void {
    this.write("say", message);
  }

  message(message: string): void {
    this.write("message", message);
  }

  error(message: string): void {
    this.write("error", message);
  }

  machine(type: string, ...args: string[]): void {
    this.options.log.log(`machine readable: ${type} ${goStringSlice(args)}`);
  }

  ask(query: string, signal?: AbortSignal): Promise<string> {
    // Questions are asked one at a time.
    const answer = this.asking.then(() => this.askNow(query, signal));
    this.asking = answer.catch(() => {});
    return answer;
  }

  private async askNow(query: string, signal: AbortSignal | undefined): Promise<string> {
    if (this.interrupted) throw interruptedError();
    const input = this.options.input;
    if (input === undefined) throw new KilnError(ErrorCode.UiCannotAsk, "no available tty");
    if (signal?.aborted) {
      this.interrupted = true;
      throw interruptedError();
    }
    const { redactor, log, stdout } = this.options;
    const text = redactor.redact(query);
    log.log(`ui: ask: ${text}`);
    this.held = [];
    try {
      if (text !== "") stdout.write(`${text} `);
      const line = await input.readLine(signal);
      if (line === undefined) {
        if (signal?.aborted) {
          // Start further output on a fresh line, and fail every later question.
          stdout.write("\n");
          this.interrupted = true;
          throw interruptedError();
        }
        throw new KilnError(ErrorCode.UiCannotAsk, "EOF");
      }
      return line.trim();
    } finally {
      const held = this.held;
      this.held = undefined;
      for (const w of held) w();
    }
  }

  private write(level: "say" | "message" | "error", message: string): void {
    const { redactor, log, events } = this.options;
    const text = redactor.redact(message);
    const emit = (): void => {
      log.log(level === "error" ? `ui error: ${text}` : `ui: ${text}`);
      const stream =
        level === "error" ? (this.options.errorStream ?? this.options.stdout) : this.options.stdout;
      stream.write(`${text}\n`);
      events?.emit({ type: "ui", level, text: stripColors(text) });
    };
    if (this.held !== undefined) this.held.push(emit);
    else emit();
  }
}

export interface MachineReadableUiOptions {
  readonly stdout: NodeJS.WritableStream;
  readonly redactor: Redactor;
  readonly log: Logger;
  readonly events?: EventSink;
  /** Clock for the record timestamps (tests). */
  readonly now?: () => Date;
}

/** Escapes one machine-readable field: `,` → `%!(PACKER_COMMA)`, CR → `\r`, LF → `\n` (two characters each). */
export function escapeMachineArg(arg: string): string {
  return arg.replaceAll(",", "%!(PACKER_COMMA)").replaceAll("\r", "\\r").replaceAll("\n", "\\n");
}

/**
 * `-machine-readable` output (Packer's MachineReadableUi): `<unix seconds>,<target>,<type>,<args...>` records on
 * stdout, each also logged. say/message/error become `ui` records; ask always fails.
 */
export class MachineReadableUi implements Ui {
  constructor(private readonly options: MachineReadableUiOptions) {}

  say(message: string): void {
    this.ui("say", message);
  }

  message(message: string): void {
    this.ui("message", message);
  }

  error(message: string): void {
    this.ui("error", message);
  }

  machine(type: string, ...args: string[]): void {
    const { redactor, log, stdout } = this.options;
    const seconds = Math.floor((this.options.now ?? (() => new Date()))().getTime() / 1000);
    let target = "";
    let category = type;
    const comma = type.indexOf(",");
    if (comma >= 0) {
      target = type.slice(0, comma);
      category = type.slice(comma + 1);
    }
    const fields = args.map((a) => escapeMachineArg(redactor.redact(a))).join(",");
    const record = `${seconds},${target},${category},${fields}\n`;
    stdout.write(record);
    log.log(record);
  }

  ask(_query: string): Promise<string> {
    return Promise.reject(new KilnError(ErrorCode.UiCannotAsk, "machine-readable UI can't ask"));
  }

  private ui(level: "say" | "message" | "error", message: string): void {
    this.machine("ui", level, message);
    this.options.events?.emit({ type: "ui", level, text: this.options.redactor.redact(message) });
  }
}

/**
 * Prefixes every line of a message with the target (Packer's TargetedUI): `==> target: line` for say, error
 * and ask, `    target: line` for message. Trailing whitespace of the whole result is dropped (so a blank
 * line prints as `    target:`). Machine records get the target as their target field.
 */
export class TargetedUi implements Ui {
  constructor(
    private readonly inner: Ui,
    readonly target: string,
    private readonly redactor?: Redactor,
  ) {}

  say(message: string): void {
    this.inner.say(this.prefix(true, message));
  }

  message(message: string): void {
    this.inner.message(this.prefix(false, message));
  }

  error(message: string): void {
    this.inner.error(this.prefix(true, message));
  }

  machine(type: string, ...args: string[]): void {
    this.inner.machine(`${this.target},${type}`, ...args);
  }

  ask(query: string, signal?: AbortSignal): Promise<string> {
    return this.inner.ask(this.prefix(true, query), signal);
  }

  private prefix(arrow: boolean, message: string): string {
    const text = this.redactor?.redact(message) ?? message;
    const lead = arrow ? "==>" : "   ";
    let out = "";
    for (const line of text.split("\n")) out += `${lead} ${this.target}: ${line}\n`;
    return trimRightSpace(out);
  }
}

/** ANSI color numbers Packer uses. */
export const UiColor = {
  Red: 31,
  Green: 32,
  Yellow: 33,
  Blue: 34,
  Magenta: 35,
  Cyan: 36,
} as const;
export type UiColor = (typeof UiColor)[keyof typeof UiColor];

/** The rotation of per-build colors. */
export const BUILD_COLORS: readonly UiColor[] = [
  UiColor.Green,
  UiColor.Cyan,
  UiColor.Magenta,
  UiColor.Yellow,
  UiColor.Blue,
];

export interface ColoredUiOptions {
  readonly color: UiColor;
  /** Defaults to red. */
  readonly errorColor?: UiColor;
  /** False when the terminal must not get escape sequences (PACKER_NO_COLOR): text passes unchanged. */
  readonly enabled: boolean;
  readonly redactor?: Redactor;
}

/** Colors a build's output (Packer's ColoredUi): `\x1b[1;<c>m` (bold) for say/ask/error, `\x1b[0;<c>m` for message. */
export class ColoredUi implements Ui {
  constructor(
    private readonly inner: Ui,
    private readonly options: ColoredUiOptions,
  ) {}

  say(message: string): void {
    this.inner.say(this.colorize(message, this.options.color, true));
  }

  message(message: string): void {
    this.inner.message(this.colorize(message, this.options.color, false));
  }

  error(message: string): void {
    this.inner.error(this.colorize(message, this.options.errorColor ?? UiColor.Red, true));
  }

  machine(type: string, ...args: string[]): void {
    this.inner.machine(type, ...args);
  }

  ask(query: string, signal?: AbortSignal): Promise<string> {
    return this.inner.ask(this.colorize(query, this.options.color, true), signal);
  }

  private colorize(message: string, color: UiColor, bold: boolean): string {
    const text = this.options.redactor?.redact(message) ?? message;
    if (!this.options.enabled) return text;
    return `\u001b[${bold ? 1 : 0};${color}m${text}\u001b[0m`;
  }
}

/** Prefixes say, message and error with `<RFC 3339 local time>: ` (Packer's TimestampedUi, `-timestamp-ui`). */
export class TimestampedUi implements Ui {
  constructor(
    private readonly inner: Ui,
    private readonly now: () => Date = () => new Date(),
    private readonly redactor?: Redactor,
  ) {}

  say(message: string): void {
    this.inner.say(this.stamp(message));
  }

  message(message: string): void {
    this.inner.message(this.stamp(message));
  }

  error(message: string): void {
    this.inner.error(this.stamp(message));
  }

  machine(type: string, ...args: string[]): void {
    this.inner.machine(type, ...args);
  }

  ask(query: string, signal?: AbortSignal): Promise<string> {
    return this.inner.ask(query, signal);
  }

  private stamp(message: string): string {
    return `${formatRfc3339(this.now())}: ${this.redactor?.redact(message) ?? message}`;
  }
}
