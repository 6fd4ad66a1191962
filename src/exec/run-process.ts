/**
 * Runs a local process: no shell unless you run one, output streamed line by line, stopped cleanly on
 * AbortSignal or timeout (SIGTERM to its process group, SIGKILL after a grace period), and failures reported as
 * one KilnError with the command, exit code, signal and the tail of its standard error.
 */
import { spawn } from "node:child_process";
import { ErrorCode, errorMessage, KilnError, LineSplitter, type Logger, noopLogger } from "../sdk/index.js";
import { shellQuoteArgs } from "./shell-quote.js";

export interface RunProcessOptions {
  /** The program (looked up on PATH of `env` when it has no slash). */
  readonly command: string;
  readonly args?: readonly string[];
  readonly cwd?: string;
  /** The complete environment of the process (not merged with anything). Defaults to an empty one. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Written to standard input, which is then closed. Without it, standard input is empty. */
  readonly input?: string | Uint8Array | NodeJS.ReadableStream;
  /** Stops the process (SIGTERM, then SIGKILL after `killGraceMs`) and rejects with EXEC_CANCELLED. */
  readonly signal?: AbortSignal;
  /** Stops the process after this many milliseconds and rejects with EXEC_TIMEOUT. */
  readonly timeoutMs?: number;
  /** Time between SIGTERM and SIGKILL. Default 5000 ms. */
  readonly killGraceMs?: number;
  /** Each standard-output line, without its newline (a final unterminated line too). */
  readonly onStdoutLine?: (line: string) => void;
  /** Each standard-error line, without its newline. */
  readonly onStderrLine?: (line: string) => void;
  /** Raw standard output, chunk by chunk (not ended). */
  readonly stdout?: NodeJS.WritableStream;
  /** Raw standard error, chunk by chunk (not ended). */
  readonly stderr?: NodeJS.WritableStream;
  /** Exit codes that count as success; "any" never fails on the exit code. Default [0]. */
  readonly okExitCodes?: readonly number[] | "any";
  /** How many bytes of each output stream the result keeps (the tail). Default 1 MiB. */
  readonly captureBytes?: number;
  /**
   * Run the process as the leader of its own process group, so stopping it also stops what it started.
   * Default true.
   */
  readonly processGroup?: boolean;
  readonly log?: Logger;
}

export interface RunProcessResult {
  readonly command: string;
  readonly args: readonly string[];
  /** The exit code, or null when the process was ended by a signal. */
  readonly exitCode: number | null;
  /** The signal that ended the process, if any. */
  readonly signal: NodeJS.Signals | null;
  /** The tail (captureBytes) of standard output. */
  readonly stdout: string;
  /** The tail (captureBytes) of standard error. */
  readonly stderr: string;
  readonly durationMs: number;
}

/** The structured detail (KilnError.data) of every failure runProcess reports. */
export type ProcessFailure = {
  readonly command: string;
  readonly args: readonly string[];
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  /** The last lines of standard error (at most STDERR_TAIL_LINES). */
  readonly stderrTail: string;
  readonly stdout: string;
  readonly stderr: string;
};

export const STDERR_TAIL_LINES = 20;
const DEFAULT_GRACE_MS = 5000;
const DEFAULT_CAPTURE = 1 << 20;

/** The ProcessFailure detail of an error from runProcess, or undefined for any other error. */
export function processFailureOf(err: unknown): ProcessFailure | undefined {
  if (!(err instanceof KilnError) || !err.code.startsWith("EXEC_")) return undefined;
  const d = err.data as Partial<ProcessFailure> | undefined;
  if (d === undefined || typeof d.command !== "string") return undefined;
  return d as ProcessFailure;
}

/** Keeps the last `limit` characters of what is appended. */
class TailBuffer {
  private text = "";
  constructor(private readonly limit: number) {}
  append(s: string): void {
    this.text += s;
    if (this.text.length > this.limit * 2) this.text = this.text.slice(-this.limit);
  }
  value(): string {
    return this.text.length > this.limit ? this.text.slice(-this.limit) : this.text;
  }
}

function lastLines(text: string, n: number): string {
  const lines = text.replace(/\n+$/, "").split("\n");
  return lines.slice(-n).join("\n");
}

/**
 * Runs the process to completion. Resolves with the result when it exits with an allowed code; rejects with a
 * KilnError (EXEC_SPAWN, EXEC_EXIT, EXEC_SIGNAL, EXEC_TIMEOUT or EXEC_CANCELLED, data: ProcessFailure) otherwise.
 * The callbacks have received every line by the time the promise settles.
 */
export function runProcess(options: RunProcessOptions): Promise<RunProcessResult> {
  const args = options.args ?? [];
  const log = options.log ?? noopLogger;
  const display = shellQuoteArgs([options.command, ...args]);
  const okCodes = options.okExitCodes ?? [0];
  const grace = options.killGraceMs ?? DEFAULT_GRACE_MS;
  const capture = options.captureBytes ?? DEFAULT_CAPTURE;
  const useGroup = options.processGroup ?? true;
  const started = Date.now();

  return new Promise<RunProcessResult>((resolve, reject) => {
    const stdoutTail = new TailBuffer(capture);
    const stderrTail = new TailBuffer(capture);
    const failure = (exitCode: number | null, signal: NodeJS.Signals | null): ProcessFailure => ({
      command: options.command,
      args,
      exitCode,
      signal,
      stderrTail: lastLines(stderrTail.value(), STDERR_TAIL_LINES),
      stdout: stdoutTail.value(),
      stderr: stderrTail.value(),
    });

    if (options.signal?.aborted) {
      reject(
        new KilnError(ErrorCode.ExecCancelled, `${display} was not started: the operation was cancelled`, {
          cause: options.signal.reason,
          data: failure(null, null),
        }),
      );
      return;
    }

    log.log(`Executing local command: ${display}`);
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(options.env ?? {})) if (v !== undefined) env[k] = v;
    const child = spawn(options.command, args, {
      cwd: options.cwd,
      env,
      stdio: ["pipe", "pipe", "pipe"],
      detached: useGroup,
      windowsHide: true,
    });

    let stopReason: "cancelled" | "timeout" | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    let timeoutTimer: NodeJS.Timeout | undefined;
    let spawnError: Error | undefined;

    const sendSignal = (sig: NodeJS.Signals): void => {
      if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
      try {
        if (useGroup) process.kill(-child.pid, sig);
        else child.kill(sig);
      } catch {
        // Already gone.
      }
    };
    const stop = (reason: "cancelled" | "timeout"): void => {
      if (stopReason !== undefined) return;
      stopReason = reason;
      log.log(`Stopping local command (${reason}): ${display}`);
      sendSignal("SIGTERM");
      killTimer = setTimeout(() => sendSignal("SIGKILL"), grace);
      killTimer.unref?.();
    };
    const onAbort = (): void => stop("cancelled");
    options.signal?.addEventListener("abort", onAbort, { once: true });
    if (options.timeoutMs !== undefined && options.timeoutMs > 0) {
      timeoutTimer = setTimeout(() => stop("timeout"), options.timeoutMs);
    }

    const outLines = new LineSplitter((line) => options.onStdoutLine?.(line));
    const errLines = new LineSplitter((line) => options.onStderrLine?.(line));
    const outDecoder = new TextDecoder();
    const errDecoder = new TextDecoder();
    child.stdout.on("data", (chunk: Buffer) => {
      options.stdout?.write(chunk);
      stdoutTail.append(outDecoder.decode(chunk, { stream: true }));
      outLines.write(chunk);
    });
    child.stderr.on("data", (chunk: Buffer) => {
      options.stderr?.write(chunk);
      stderrTail.append(errDecoder.decode(chunk, { stream: true }));
      errLines.write(chunk);
    });

    // Standard input: a broken pipe (the process did not read it all) is not an error of ours.
    child.stdin.on("error", () => {});
    const input = options.input;
    if (input === undefined) child.stdin.end();
    else if (typeof input === "string" || input instanceof Uint8Array) child.stdin.end(input);
    else (input as NodeJS.ReadableStream).pipe(child.stdin);

    let settled = false;
    child.on("error", (err) => {
      spawnError = err;
      // A process that never started emits no "exit"; "close" may or may not follow.
      if (child.pid === undefined) finish(null, null);
    });
    child.on("close", (code, signal) => finish(code, signal));

    function finish(code: number | null, signal: NodeJS.Signals | null): void {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener("abort", onAbort);
      if (timeoutTimer !== undefined) clearTimeout(timeoutTimer);
      if (killTimer !== undefined) clearTimeout(killTimer);
      stdoutTail.append(outDecoder.decode());
      stderrTail.append(errDecoder.decode());
      outLines.end();
      errLines.end();
      const durationMs = Date.now() - started;

      if (spawnError !== undefined && child.pid === undefined) {
        const notFound = (spawnError as NodeJS.ErrnoException).code === "ENOENT";
        reject(
          new KilnError(ErrorCode.ExecSpawn, `Failed to start ${display}: ${errorMessage(spawnError)}`, {
            cause: spawnError,
            hint: notFound
              ? `Check that ${options.command} is installed and on the PATH, or give its full path.`
              : "Check the command, its permissions and the working directory.",
            data: failure(null, null),
          }),
        );
        return;
      }
      const data = failure(code, signal);
      if (stopReason === "cancelled") {
        reject(
          new KilnError(ErrorCode.ExecCancelled, `${display} was stopped: the operation was cancelled`, {
            cause: options.signal?.reason,
            data,
          }),
        );
        return;
      }
      if (stopReason === "timeout") {
        reject(
          new KilnError(
            ErrorCode.ExecTimeout,
            `${display} timed out after ${options.timeoutMs} ms and was stopped`,
            {
              hint: "Raise the timeout or find out why the command hangs.",
              data,
            },
          ),
        );
        return;
      }
      if (signal !== null) {
        reject(
          new KilnError(ErrorCode.ExecSignal, withTail(`${display} was killed by signal ${signal}`, data), {
            data,
          }),
        );
        return;
      }
      const exitCode = code ?? -1;
      if (okCodes !== "any" && !okCodes.includes(exitCode)) {
        reject(
          new KilnError(ErrorCode.ExecExit, withTail(`${display} exited with code ${exitCode}`, data), {
            data,
          }),
        );
        return;
      }
      log.log(`Local command exited with code ${exitCode}: ${display}`);
      resolve({
        command: options.command,
        args,
        exitCode: code,
        signal,
        stdout: data.stdout,
        stderr: data.stderr,
        durationMs,
      });
    }
  });
}

function withTail(message: string, data: ProcessFailure): string {
  return data.stderrTail === "" ? message : `${message}:\n${data.stderrTail}`;
}
