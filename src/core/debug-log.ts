/**
 * The debug log of PACKER_LOG / PACKER_LOG_PATH (§2, as Packer 1.16 does it):
 * - PACKER_LOG_PATH set (non-empty): every record goes to that file, created or truncated, even without
 *   PACKER_LOG;
 * - else PACKER_LOG set to anything but "" or "0": records go to stderr, except lines that contain `ui:` or
 *   `ui error:` (the UI already printed them; continuation lines of a multi-line UI message do get through);
 * - else nothing is written.
 * Records look like Go's log package output (`2006/01/02 15:04:05 message`); every one is redacted first.
 */
import { closeSync, openSync, writeSync } from "node:fs";
import type { Logger } from "../sdk/index.js";
import { formatLogTimestamp } from "./go-time.js";
import type { Redactor } from "./redactor.js";

export interface DebugLogOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Where records go when only PACKER_LOG is set. */
  readonly stderr: NodeJS.WritableStream;
  readonly redactor: Redactor;
  /** Clock for the timestamps (tests). */
  readonly now?: () => Date;
}

export interface DebugLog extends Logger {
  /** False when nothing is written (callers may skip expensive formatting). */
  readonly enabled: boolean;
  /** Closes the log file, if any. Further records are dropped. */
  close(): void;
}

export type CreateDebugLogResult =
  | { readonly ok: true; readonly log: DebugLog }
  | { readonly ok: false; readonly error: string };

const GO_ERRNO_TEXT: Readonly<Record<string, string>> = {
  ENOENT: "no such file or directory",
  EACCES: "permission denied",
  EISDIR: "is a directory",
  ENOTDIR: "not a directory",
  EROFS: "read-only file system",
  ENOSPC: "no space left on device",
};

/**
 * Opens the log the environment asks for. Fails only when PACKER_LOG_PATH cannot be created; the caller
 * prints `Couldn't setup log output: <error>` and exits 1, as Packer does.
 */
export function createDebugLog(options: DebugLogOptions): CreateDebugLogResult {
  const now = options.now ?? (() => new Date());
  const path = options.env.PACKER_LOG_PATH ?? "";
  const level = options.env.PACKER_LOG ?? "";
  let sink: ((record: string) => void) | undefined;
  let fd: number | undefined;
  if (path !== "") {
    try {
      fd = openSync(path, "w");
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? "";
      const text = GO_ERRNO_TEXT[code] ?? (err as Error).message;
      return { ok: false, error: `open ${path}: ${text}` };
    }
    const file = fd;
    sink = (record) => {
      if (fd === undefined) return;
      try {
        writeSync(file, record);
      } catch {
        // A full disk must not fail the build.
      }
    };
  } else if (level !== "" && level !== "0") {
    const stderr = options.stderr;
    sink = (record) => {
      const kept = record
        .slice(0, -1)
        .split("\n")
        .filter((line) => !line.includes("ui:") && !line.includes("ui error:"));
      if (kept.length > 0) stderr.write(`${kept.join("\n")}\n`);
    };
  }

  const make = (prefix: string): DebugLog => ({
    get enabled(): boolean {
      return sink !== undefined;
    },
    log(message: string): void {
      if (sink === undefined) return;
      let record = `${formatLogTimestamp(now())}${prefix}${message}`;
      if (!record.endsWith("\n")) record += "\n";
      sink(options.redactor.redact(record));
    },
    child(more: string): Logger {
      return make(prefix + more);
    },
    close(): void {
      if (fd !== undefined) {
        const f = fd;
        fd = undefined;
        try {
          closeSync(f);
        } catch {
          // Already closed.
        }
      }
      sink = undefined;
    },
  });
  return { ok: true, log: make("") };
}
