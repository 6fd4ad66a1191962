/**
 * A JSON event stream of a run, beyond what Packer offers: one JSON object per line, for programs that follow a
 * build (CI dashboards, wrappers). Every string in an event is redacted before it is serialized, so an escaped
 * secret cannot slip through JSON quoting.
 */
import type { Redactor } from "./redactor.js";

export type BuildStatus = "finished" | "errored" | "cancelled";

export type KilnEvent =
  | { readonly type: "build-start"; readonly build: string; readonly builderType: string }
  | {
      readonly type: "build-finish";
      readonly build: string;
      readonly status: BuildStatus;
      readonly durationMs: number;
      readonly error?: string;
    }
  /** A UI line as printed (colors removed); `level` is the Ui method. */
  | { readonly type: "ui"; readonly level: "say" | "message" | "error"; readonly text: string }
  | {
      readonly type: "artifact";
      readonly build: string;
      readonly index: number;
      readonly builderId: string;
      readonly id: string;
      readonly string: string;
      readonly files: readonly string[];
    }
  | { readonly type: "error"; readonly build: string; readonly message: string };

export interface EventSink {
  emit(event: KilnEvent): void;
}

export interface JsonEventStreamOptions {
  readonly out: NodeJS.WritableStream;
  readonly redactor: Redactor;
  readonly now?: () => Date;
}

/** Writes each event as `{"time":"<ISO 8601>","type":...,...}\n`. */
export class JsonEventStream implements EventSink {
  constructor(private readonly options: JsonEventStreamOptions) {}

  emit(event: KilnEvent): void {
    const time = (this.options.now ?? (() => new Date()))().toISOString();
    const record = this.options.redactor.redactDeep({ time, ...event });
    this.options.out.write(`${JSON.stringify(record)}\n`);
  }
}

const SGR = /\u001b\[[0-9;]*m/g;

/** `text` without ANSI color sequences. */
export function stripColors(text: string): string {
  return text.replace(SGR, "");
}
