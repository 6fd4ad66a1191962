/**
 * Runs QEMU and qemu-img (Packer's QemuDriver). The VM runs as the leader of its own process group, so stopping
 * it also ends what it started (the helpers of guest forwards); stop() sends SIGTERM (QEMU then exits cleanly,
 * flushing its image files), SIGKILL after a grace period, and resolves only once the process is gone.
 * On Linux the VM is started through setpriv(1) with a parent-death signal, so it cannot outlive kiln even when
 * kiln ends without cleaning up (killed, crashed, or forced out by a second interrupt).
 */
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import { processFailureOf, runProcess, shellQuoteArgs } from "../../../exec/index.js";
import {
  cancelledError,
  ErrorCode,
  errorMessage,
  KilnError,
  type Logger,
  noopLogger,
} from "../../../sdk/index.js";

/** exec.LookPath: the program's path on `PATH`, or undefined. */
export function lookPath(
  program: string,
  env: Readonly<Record<string, string | undefined>>,
): string | undefined {
  const executable = (p: string): boolean => {
    try {
      accessSync(p, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
  if (program.includes("/")) return executable(program) ? program : undefined;
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    const candidate = join(dir === "" ? "." : dir, program);
    if (executable(candidate)) return candidate;
  }
  return undefined;
}

/**
 * The command that starts the VM: QEMU itself, or, where util-linux's setpriv is on the PATH (Linux), setpriv
 * execing QEMU with SIGTERM as its parent-death signal (QEMU then exits cleanly when kiln's process ends).
 */
export function vmCommand(
  qemuPath: string,
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  platform: NodeJS.Platform = process.platform,
): { command: string; args: string[] } {
  const setpriv = platform === "linux" ? lookPath("setpriv", env) : undefined;
  if (setpriv === undefined) return { command: qemuPath, args: [...args] };
  return { command: setpriv, args: ["--pdeathsig", "TERM", "--", qemuPath, ...args] };
}

export interface VmExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface QemuDriverOptions {
  readonly qemuPath: string;
  readonly qemuImgPath: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly log?: Logger;
  /** Time between SIGTERM and SIGKILL when the VM is stopped; default 10 s. */
  readonly killGraceMs?: number;
}

export class QemuDriver {
  private vm:
    | {
        readonly controller: AbortController;
        readonly exited: Promise<VmExit>;
        done: boolean;
      }
    | undefined;
  private readonly log: Logger;
  /** The VM's standard error, kept for error messages. */
  private stderrLines: string[] = [];

  constructor(readonly options: QemuDriverOptions) {
    this.log = options.log ?? noopLogger;
  }

  get qemuPath(): string {
    return this.options.qemuPath;
  }

  /** `qemu-system-x86_64 -version`: the version number (`7.2.22`). */
  async version(signal: AbortSignal): Promise<string> {
    const r = await runProcess({
      command: this.options.qemuPath,
      args: ["-version"],
      env: this.options.env,
      cwd: this.options.cwd,
      signal,
      log: this.log,
    });
    const out = r.stdout.trim();
    this.log.log(`Qemu --version output: ${out}`);
    const m = /\d+(\.\d+)*/.exec(out);
    if (m === null) throw new KilnError(ErrorCode.Builder, `No version found: ${out}`);
    this.log.log(`Qemu version: ${m[0]}`);
    return m[0];
  }

  /** Runs qemu-img; a failure is `QemuImg error: <its standard error>`, as Packer reports it. */
  async qemuImg(args: readonly string[], signal: AbortSignal): Promise<string> {
    this.log.log(`Executing qemu-img: ${shellQuoteArgs(args)}`);
    try {
      const r = await runProcess({
        command: this.options.qemuImgPath,
        args,
        env: this.options.env,
        cwd: this.options.cwd,
        signal,
        log: this.log,
      });
      this.log.log(`stdout: ${r.stdout.trim()}`);
      this.log.log(`stderr: ${r.stderr.trim()}`);
      return r.stdout;
    } catch (err) {
      if (signal.aborted) throw cancelledError(signal.reason);
      const failure = processFailureOf(err);
      if (failure !== undefined && failure.exitCode !== null) {
        throw new KilnError(ErrorCode.Builder, `QemuImg error: ${failure.stderr.trim()}`, {
          cause: err,
          data: { args },
        });
      }
      throw err;
    }
  }

  /** Whether a VM started by start() is still running. */
  get running(): boolean {
    return this.vm !== undefined && !this.vm.done;
  }

  /** The last lines QEMU wrote to standard error. */
  stderrTail(lines = 20): string {
    return this.stderrLines.slice(-lines).join("\n");
  }

  /**
   * Starts the VM and returns at once; `exited` settles when it ends. Only one VM runs per driver.
   */
  start(args: readonly string[]): { exited: Promise<VmExit> } {
    if (this.running) throw new KilnError(ErrorCode.Internal, "Existing VM state found");
    this.stderrLines = [];
    const controller = new AbortController();
    const promise = runProcess({
      ...vmCommand(this.options.qemuPath, args, this.options.env),
      env: this.options.env,
      cwd: this.options.cwd,
      signal: controller.signal,
      killGraceMs: this.options.killGraceMs ?? 10_000,
      okExitCodes: "any",
      captureBytes: 64 * 1024,
      onStdoutLine: (line) => this.log.log(`Qemu stdout: ${line}`),
      onStderrLine: (line) => {
        this.stderrLines.push(line);
        if (this.stderrLines.length > 200) this.stderrLines.shift();
        this.log.log(`Qemu stderr: ${line}`);
      },
      log: this.log,
    });
    const exited: Promise<VmExit> = promise.then(
      (r) => ({ code: r.exitCode, signal: r.signal }),
      (err) => {
        const f = processFailureOf(err);
        if (f === undefined) this.log.log(`Qemu could not be run: ${errorMessage(err)}`);
        return f === undefined ? { code: null, signal: "SIGKILL" } : { code: f.exitCode, signal: f.signal };
      },
    );
    const vm = { controller, exited, done: false };
    this.vm = vm;
    void exited.then((e) => {
      vm.done = true;
      this.log.log(`Qemu exited: code ${e.code}, signal ${e.signal}`);
    });
    return { exited };
  }

  /** Stops the VM (SIGTERM to its process group, SIGKILL after the grace period) and waits until it is gone. */
  async stop(): Promise<void> {
    const vm = this.vm;
    if (vm === undefined || vm.done) return;
    vm.controller.abort();
    await vm.exited;
  }

  /**
   * Waits for the VM to exit by itself; true when it did within `timeoutMs`, false on timeout. Rejects with a
   * cancellation when `signal` fires.
   */
  async waitForShutdown(timeoutMs: number, signal: AbortSignal): Promise<boolean> {
    const vm = this.vm;
    if (vm === undefined || vm.done) return true;
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    try {
      return await Promise.race([
        vm.exited.then(() => true),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(false), timeoutMs);
        }),
        new Promise<boolean>((_, reject) => {
          onAbort = () => reject(cancelledError(signal.reason));
          if (signal.aborted) onAbort();
          else signal.addEventListener("abort", onAbort, { once: true });
        }),
      ]);
    } finally {
      if (timer !== undefined) clearTimeout(timer);
      if (onAbort !== undefined) signal.removeEventListener("abort", onAbort);
    }
  }
}
