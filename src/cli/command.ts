/**
 * The contract between the dispatcher and the sub-commands.
 */

/** The process surroundings a CLI run uses; main() defaults each to the real process's. */
export interface CliIO {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly stdin: NodeJS.ReadableStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

/** Options that apply to every command, set before dispatch. */
export interface GlobalOptions {
  /** `-machine-readable` appeared (exact spelling, anywhere in argv); it was removed from the arguments. */
  readonly machineReadable: boolean;
}

export interface CommandContext {
  /**
   * Streams, cwd and environment. With `-machine-readable`, `env` also has `PACKER_NO_COLOR=1`, as Packer sets it
   * for itself and its children.
   */
  readonly io: CliIO;
  /** Aborted on the first SIGINT/SIGTERM; long-running work must honour it. */
  readonly signal: AbortSignal;
  readonly global: GlobalOptions;
}

/**
 * A command's run() may return this to have the dispatcher print the command's full help (with its
 * sub-commands) and exit 1, as mitchellh/cli's RunResultHelp does.
 */
export const RUN_RESULT_HELP = -18511;

export interface Command {
  /** The full name as typed, e.g. `build` or `plugins install`. */
  readonly name: string;
  /** One line for the command list. */
  readonly synopsis: string;
  /** Left out of the command list (aliases, internal commands). */
  readonly hidden?: boolean;
  /** The help text, without a trailing newline. */
  help(): string;
  /** Runs with the arguments after the command name; resolves to the exit code or RUN_RESULT_HELP. */
  run(args: readonly string[], ctx: CommandContext): Promise<number>;
}

/** Writes `text` followed by a newline. */
export function writeLine(stream: NodeJS.WritableStream, text: string): void {
  stream.write(`${text}\n`);
}
