/**
 * The one error class for runtime failures (a process that exits non-zero, a connection that drops, a build that
 * is cancelled), shared by every layer. User-input problems are diagnostics, never errors of this class.
 *
 * `message` is what Packer would print as err.Error() (it lands after "Build 'x' errored after 1 second: ");
 * `code` lets callers branch without parsing text; `hint` says how to fix it; `data` carries structured detail
 * (for example the command, exit code and stderr tail of a failed process).
 */

/** Codes used across layers. Components may use their own upper-snake codes as well. */
export const ErrorCode = {
  /** The operation was cancelled through its AbortSignal (Go's context.Canceled). */
  Cancelled: "CANCELLED",
  /** A deadline passed (Go's context.DeadlineExceeded). */
  DeadlineExceeded: "DEADLINE_EXCEEDED",
  /** A local process could not be started. */
  ExecSpawn: "EXEC_SPAWN",
  /** A local process exited with a status not in the allowed list. */
  ExecExit: "EXEC_EXIT",
  /** A local process was killed by a signal it was not sent by us. */
  ExecSignal: "EXEC_SIGNAL",
  /** A local process ran past its timeout and was stopped. */
  ExecTimeout: "EXEC_TIMEOUT",
  /** A local process was stopped because its AbortSignal fired. */
  ExecCancelled: "EXEC_CANCELLED",
  /** The UI cannot ask questions (machine-readable mode, no terminal, interrupted). */
  UiCannotAsk: "UI_CANNOT_ASK",
  /** A communicator operation failed. */
  Communicator: "COMMUNICATOR",
  /** A provisioner failed. */
  Provisioner: "PROVISIONER",
  /** A post-processor failed. */
  PostProcessor: "POST_PROCESSOR",
  /** A builder failed. */
  Builder: "BUILDER",
  /** Several errors, see MultiError. */
  Multiple: "MULTIPLE",
  /** Something not supported (for example an upload with communicator "none"). */
  NotSupported: "NOT_SUPPORTED",
  /** Any other failure. */
  Internal: "INTERNAL",
} as const;

export type KnownErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export interface KilnErrorOptions {
  /** One sentence on how to fix the problem, printed after the message where the UI has room for it. */
  readonly hint?: string;
  readonly cause?: unknown;
  /** Structured detail for programs (never needed to understand the message). */
  readonly data?: Readonly<Record<string, unknown>>;
}

export class KilnError extends Error {
  override readonly name: string = "KilnError";
  readonly code: string;
  readonly hint: string | undefined;
  readonly data: Readonly<Record<string, unknown>> | undefined;

  constructor(code: string, message: string, options: KilnErrorOptions = {}) {
    super(message, options.cause !== undefined ? { cause: options.cause } : undefined);
    this.code = code;
    this.hint = options.hint;
    this.data = options.data;
  }
}

export function isKilnError(err: unknown, code?: string): err is KilnError {
  return err instanceof KilnError && (code === undefined || err.code === code);
}

/**
 * Packer's MultiError: `N error(s) occurred:\n\n* a\n* b`. Nested MultiErrors given to the constructor are
 * flattened, as MultiErrorAppend does.
 */
export class MultiError extends KilnError {
  override readonly name: string = "MultiError";
  readonly errors: readonly unknown[];

  constructor(errors: readonly unknown[]) {
    const flat: unknown[] = [];
    for (const e of errors) {
      if (e instanceof MultiError) flat.push(...e.errors);
      else flat.push(e);
    }
    super(ErrorCode.Multiple, formatMultiError(flat));
    this.errors = flat;
  }
}

function formatMultiError(errors: readonly unknown[]): string {
  const points = errors.map((e) => `* ${errorMessage(e)}`);
  return `${errors.length} error(s) occurred:\n\n${points.join("\n")}`;
}

/** The text Go would print for `err.Error()`: the message of an Error, else the value as a string. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === "string") return err;
  try {
    return String(err);
  } catch {
    return "unknown error";
  }
}

/** The error an operation rejects with when its signal is aborted: Go's `context canceled`. */
export function cancelledError(cause?: unknown): KilnError {
  return new KilnError(ErrorCode.Cancelled, "context canceled", cause !== undefined ? { cause } : {});
}

/** The error for a passed deadline: Go's `context deadline exceeded`. */
export function deadlineExceededError(): KilnError {
  return new KilnError(ErrorCode.DeadlineExceeded, "context deadline exceeded");
}

/** Rejects with cancelledError when the signal is already aborted. */
export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw cancelledError(signal.reason);
}

/** True for errors that mean "cancelled" rather than "failed" (ours, DOM AbortError, or an aborted process). */
export function isCancellation(err: unknown): boolean {
  if (err instanceof KilnError)
    return err.code === ErrorCode.Cancelled || err.code === ErrorCode.ExecCancelled;
  return err instanceof Error && err.name === "AbortError";
}
