/**
 * The Engine API's JSON message streams (pull, push, import, build) rendered as the docker CLI renders them
 * without a terminal (jsonmessage.Display with isTerminal false): `<id>: <status>` lines, progress-bar updates
 * left out, `aux` records handed to the caller, and an `error` record turned into a failure.
 */
import { StringDecoder } from "node:string_decoder";

export interface JsonMessage {
  readonly id?: string;
  readonly status?: string;
  readonly stream?: string;
  readonly from?: string;
  readonly progress?: string;
  readonly progressDetail?: { readonly current?: number; readonly total?: number };
  readonly error?: string;
  readonly errorDetail?: { readonly message?: string; readonly code?: number };
  readonly aux?: unknown;
}

/** A failure the engine reported inside a message stream (`{"error": "..."}`). */
export class JsonMessageError extends Error {
  override readonly name = "JsonMessageError";
}

/** The text the CLI prints for one message, or undefined when it prints nothing for it. */
export function displayText(jm: JsonMessage): string | undefined {
  if (jm.aux !== undefined) return undefined;
  const detail = jm.progressDetail;
  if ((detail?.current ?? 0) > 0 || (detail?.total ?? 0) > 0) return undefined;
  let text = "";
  if (jm.id) text += `${jm.id}: `;
  if (jm.from) text += `(from ${jm.from}) `;
  if (jm.stream !== undefined) return text + jm.stream;
  return `${text}${jm.status ?? ""}\n`;
}

export interface FollowOptions {
  /** Receives each complete output line (without its newline). */
  readonly onLine?: (line: string) => void;
  readonly onAux?: (aux: unknown) => void;
  /** Receives every message (for callers that read fields, like an import's image id). */
  readonly onMessage?: (jm: JsonMessage) => void;
}

/** Reads a message stream to its end; rejects with JsonMessageError on an error record. */
export function followMessages(stream: NodeJS.ReadableStream, options: FollowOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const decoder = new StringDecoder("utf8");
    let pending = "";
    let text = "";
    let failed = false;
    const emitText = (chunk: string, flush: boolean): void => {
      text += chunk;
      let nl = text.indexOf("\n");
      while (nl >= 0) {
        options.onLine?.(text.slice(0, nl).replace(/\r$/, ""));
        text = text.slice(nl + 1);
        nl = text.indexOf("\n");
      }
      if (flush && text !== "") {
        options.onLine?.(text);
        text = "";
      }
    };
    const handle = (line: string): void => {
      if (line.trim() === "" || failed) return;
      let jm: JsonMessage;
      try {
        jm = JSON.parse(line) as JsonMessage;
      } catch {
        emitText(`${line}\n`, false);
        return;
      }
      options.onMessage?.(jm);
      if (jm.errorDetail?.message || jm.error) {
        failed = true;
        emitText("", true);
        reject(new JsonMessageError(jm.errorDetail?.message || jm.error || "unknown error"));
        return;
      }
      if (jm.aux !== undefined) options.onAux?.(jm.aux);
      const shown = displayText(jm);
      if (shown !== undefined) emitText(shown, false);
    };
    stream.on("data", (chunk: Buffer | string) => {
      pending += typeof chunk === "string" ? chunk : decoder.write(chunk);
      let nl = pending.indexOf("\n");
      while (nl >= 0) {
        handle(pending.slice(0, nl));
        pending = pending.slice(nl + 1);
        nl = pending.indexOf("\n");
      }
    });
    stream.on("end", () => {
      pending += decoder.end();
      if (pending !== "") handle(pending);
      if (failed) return;
      emitText("", true);
      resolve();
    });
    stream.on("error", (err) => {
      if (!failed) reject(err);
      failed = true;
    });
  });
}
