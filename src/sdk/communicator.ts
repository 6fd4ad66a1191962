/**
 * The connection to the machine being built (Packer's packersdk.Communicator): run commands, move files.
 * Implementations live in src/communicator (ssh, docker, none); provisioners use only this interface.
 */
import { Writable } from "node:stream";
import { cancelledError } from "./errors.js";
import { cleanOutputLine, LineSplitter } from "./text.js";
import type { Ui } from "./ui.js";

/** Exit status reported when the connection dropped before the command finished (Packer's CmdDisconnect). */
export const CMD_DISCONNECT_STATUS = 2300218;

export interface RemoteCommand {
  /** The command line, run by the remote side's shell. */
  readonly command: string;
  /** Fed to the command's standard input, then closed. */
  readonly stdin?: NodeJS.ReadableStream | string | Uint8Array;
  /** Receives the command's standard output as it arrives (the stream is not ended by the communicator). */
  readonly stdout?: NodeJS.WritableStream;
  /** Receives the command's standard error as it arrives (not ended by the communicator). */
  readonly stderr?: NodeJS.WritableStream;
}

export interface RemoteCommandResult {
  /** The exit status; CMD_DISCONNECT_STATUS when the connection was lost. */
  readonly exitStatus: number;
}

/** What an upload knows about the file it sends (used for permissions and progress). */
export interface FileInfo {
  readonly name?: string;
  readonly size?: number;
  /** Permission bits, e.g. 0o644. */
  readonly mode?: number;
  readonly mtime?: Date;
}

export interface Communicator {
  /**
   * Runs `command` and resolves when it has exited and its output has been written to the given streams.
   * A non-zero exit status is a result, not an error; rejects only when the command could not be run or
   * `signal` fired (then the remote command is stopped where the transport allows).
   */
  start(command: RemoteCommand, signal: AbortSignal): Promise<RemoteCommandResult>;
  /** Writes `source` to the remote file `destination`. */
  upload(
    destination: string,
    source: NodeJS.ReadableStream,
    info: FileInfo | undefined,
    signal: AbortSignal,
  ): Promise<void>;
  /**
   * Uploads the local directory `source` to `destination`. Packer's trailing-slash rule is the
   * communicator's job: `src/` uploads the directory's contents into `destination`, `src` uploads the
   * directory itself (as `destination/src`). Paths matching `exclude` (relative globs) are skipped.
   */
  uploadDir(
    destination: string,
    source: string,
    exclude: readonly string[],
    signal: AbortSignal,
  ): Promise<void>;
  /** Streams the remote file `source` into `destination` (not ended by the communicator). */
  download(source: string, destination: NodeJS.WritableStream, signal: AbortSignal): Promise<void>;
  /** Downloads the remote directory `source` into the local `destination`, same slash rule as uploadDir. */
  downloadDir(
    source: string,
    destination: string,
    exclude: readonly string[],
    signal: AbortSignal,
  ): Promise<void>;
}

/**
 * A writable that splits what is written into lines for `onLine`, and also passes every chunk to `copy` when
 * given. flush() emits a final line that had no newline.
 */
function lineWritable(
  onLine: (line: string) => void,
  copy: NodeJS.WritableStream | undefined,
): { stream: NodeJS.WritableStream; flush(): void } {
  const splitter = new LineSplitter(onLine);
  const stream = new Writable({
    decodeStrings: false,
    write(chunk: string | Uint8Array, _encoding, callback) {
      copy?.write(chunk);
      splitter.write(chunk);
      callback();
    },
  });
  return { stream, flush: () => splitter.end() };
}

/**
 * Packer's RemoteCmd.RunWithUi: runs `command` and shows its output as it arrives, standard output lines
 * through ui.message and standard error lines through ui.error (each cleaned as cleanOutputLine does; blank
 * lines are kept). Output also goes to `command.stdout`/`stderr` when given. Resolves to the exit status.
 */
export async function runWithUi(
  communicator: Communicator,
  command: RemoteCommand,
  ui: Ui,
  signal: AbortSignal,
): Promise<number> {
  if (signal.aborted) throw cancelledError(signal.reason);
  const out = lineWritable((line) => ui.message(cleanOutputLine(line)), command.stdout);
  const err = lineWritable((line) => ui.error(cleanOutputLine(line)), command.stderr);
  try {
    const result = await communicator.start({ ...command, stdout: out.stream, stderr: err.stream }, signal);
    return result.exitStatus;
  } finally {
    out.flush();
    err.flush();
  }
}
