/**
 * Entry point of the kiln CLI. bin/kiln.js calls main() with the real process; tests call it with their own
 * CliIO. Returns the process exit code.
 */
import type { CliIO, CommandContext } from "./command.js";
import { writeLine } from "./command.js";
import { COMMAND_TABLE } from "./command-table.js";
import { dispatch } from "./dispatcher.js";
import { installSignalHandlers } from "./signals.js";

export type { CliIO } from "./command.js";

/**
 * Removes the first argument spelled exactly `-machine-readable`, wherever it is, as Packer does before
 * dispatch (`--machine-readable` is left for the command's own flag parser).
 */
export function extractMachineReadable(argv: readonly string[]): {
  args: string[];
  machineReadable: boolean;
} {
  const i = argv.indexOf("-machine-readable");
  if (i < 0) return { args: [...argv], machineReadable: false };
  return { args: [...argv.slice(0, i), ...argv.slice(i + 1)], machineReadable: true };
}

export async function main(argv: readonly string[], io?: CliIO): Promise<number> {
  const real = io === undefined;
  if (real) guardProcess();
  const controller = new AbortController();
  const removeHandlers = real
    ? installSignalHandlers(controller, process, (code) => process.exit(code))
    : () => {};
  let stderr = io?.stderr;
  try {
    const cli = io ?? processIO();
    stderr = cli.stderr;
    const { args, machineReadable } = extractMachineReadable(argv);
    const ctx: CommandContext = {
      io: machineReadable ? machineReadableIO(cli, real) : cli,
      signal: controller.signal,
      global: { machineReadable },
    };
    return await dispatch(args, COMMAND_TABLE, ctx);
  } catch (err) {
    writeLine(stderr ?? process.stderr, internalErrorLine(err));
    return 1;
  } finally {
    removeHandlers();
  }
}

function processIO(): CliIO {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    // Opened on first use: creating process.stdin costs start-up time, and most commands never read it.
    get stdin() {
      return process.stdin;
    },
    env: process.env,
    cwd: process.cwd(),
  };
}

/**
 * Machine-readable output disables colour for kiln and the processes it starts, via PACKER_NO_COLOR=1 (set in
 * the real environment for the real process, in a copy otherwise).
 */
export function machineReadableIO(io: CliIO, real: boolean): CliIO {
  if (real) {
    process.env.PACKER_NO_COLOR = "1";
    return { ...io, env: process.env };
  }
  return { ...io, env: { ...io.env, PACKER_NO_COLOR: "1" } };
}

function internalErrorLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return `kiln: internal error: ${message.split("\n")[0]}`;
}

let guarded = false;

/**
 * Keeps failures outside main()'s own promise chain from printing a stack trace: a closed output pipe
 * (`kiln -h | head -1`) is ignored, any other stray error becomes one line and exit 1.
 */
function guardProcess(): void {
  if (guarded) return;
  guarded = true;
  const ignoreBrokenPipe = (err: NodeJS.ErrnoException) => {
    if (err.code !== "EPIPE") fatal(err);
  };
  process.stdout.on("error", ignoreBrokenPipe);
  process.stderr.on("error", () => {});
  process.on("uncaughtException", fatal);
  process.on("unhandledRejection", fatal);
}

function fatal(err: unknown): void {
  try {
    process.stderr.write(`${internalErrorLine(err)}\n`);
  } finally {
    process.exit(1);
  }
}
