/**
 * Running a process in a container through the exec API (what `docker exec -i` does): output is streamed as it
 * arrives, demultiplexed into stdout and stderr unless a TTY merges them; standard input is attached only when
 * there is some to send, and is closed after it (the process then sees end of file).
 */
import type { Duplex, Readable } from "node:stream";
import { cancelledError, ErrorCode, KilnError, throwIfAborted } from "../../sdk/index.js";
import { apiName, type DockerClient, dockerErrorMessage } from "./client.js";

export interface DockerExecOptions {
  readonly cmd: readonly string[];
  /** `docker exec -u`: user, uid, `user:group`; empty: the container's user. */
  readonly user?: string;
  /** `docker exec -t`: a TTY (stdout and stderr arrive merged on stdout). */
  readonly tty?: boolean;
  readonly stdin?: NodeJS.ReadableStream | string | Uint8Array;
  readonly stdout?: NodeJS.WritableStream;
  readonly stderr?: NodeJS.WritableStream;
}

const EXIT_POLL_MS = 5;

/**
 * Runs `cmd` in the container `containerId` and resolves to its exit status once it has exited and its output
 * has been written. Rejects when the exec cannot be created or started, or with cancelledError when `signal`
 * fires (the engine has no call to stop an exec; the process ends with its container).
 */
export async function dockerExec(
  client: DockerClient,
  containerId: string,
  options: DockerExecOptions,
  signal: AbortSignal,
): Promise<number> {
  throwIfAborted(signal);
  const withStdin = options.stdin !== undefined;
  const tty = options.tty ?? false;
  let execId: string;
  try {
    const created = await client.dial<{ Id: string }>({
      path: `/containers/${apiName(containerId)}/exec`,
      method: "POST",
      body: {
        Cmd: [...options.cmd],
        AttachStdin: withStdin,
        AttachStdout: true,
        AttachStderr: true,
        Tty: tty,
        ...(options.user ? { User: options.user } : {}),
      },
      statusCodes: {
        200: true,
        201: true,
        404: "no such container",
        409: "container is paused",
        500: "server error",
      },
      signal,
    });
    execId = created.Id;
  } catch (err) {
    if (signal.aborted) throw cancelledError(signal.reason);
    throw execError(err);
  }
  throwIfAborted(signal);

  let stream: Duplex | Readable;
  try {
    stream = await client.dial<Duplex | Readable>({
      path: `/exec/${execId}/start`,
      method: "POST",
      body: { Detach: false, Tty: tty },
      headers: { "Content-Type": "application/json" },
      ...(withStdin ? { hijack: true } : { isStream: true }),
      statusCodes: {
        200: true,
        101: true,
        404: "no such exec",
        409: "container stopped/paused",
        500: "container not running",
      },
    });
  } catch (err) {
    if (signal.aborted) throw cancelledError(signal.reason);
    throw execError(err);
  }

  await new Promise<void>((resolve, reject) => {
    let settled = false;
    const finish = (err?: unknown): void => {
      if (settled) return;
      settled = true;
      signal.removeEventListener("abort", onAbort);
      if (err !== undefined) reject(err);
      else resolve();
    };
    const onAbort = (): void => {
      stream.destroy();
      finish(cancelledError(signal.reason));
    };
    signal.addEventListener("abort", onAbort, { once: true });
    stream.on("end", () => finish());
    stream.on("close", () => finish());
    stream.on("error", (err) =>
      finish(new KilnError(ErrorCode.Communicator, dockerErrorMessage(err), { cause: err })),
    );

    const stdout = options.stdout ?? discard;
    const stderr = options.stderr ?? discard;
    if (tty) stream.on("data", (chunk: Buffer) => stdout.write(chunk));
    else demultiplex(stream, stdout, stderr);

    if (withStdin) feedStdin(stream as Duplex, options.stdin!);
  });

  for (;;) {
    const info = await client.dial<{ Running: boolean; ExitCode: number | null }>({
      path: `/exec/${execId}/json`,
      method: "GET",
      statusCodes: { 200: true, 404: "no such exec", 500: "server error" },
    });
    if (!info.Running && info.ExitCode !== null) return info.ExitCode;
    throwIfAborted(signal);
    await new Promise((r) => setTimeout(r, EXIT_POLL_MS));
  }
}

function execError(err: unknown): KilnError {
  return new KilnError(ErrorCode.Communicator, dockerErrorMessage(err), { cause: err });
}

const discard: NodeJS.WritableStream = {
  write: () => true,
} as unknown as NodeJS.WritableStream;

/** Writes the command's input to the hijacked connection, then half-closes it (stdin reaches end of file). */
function feedStdin(stream: Duplex, stdin: NodeJS.ReadableStream | string | Uint8Array): void {
  if (typeof stdin === "string" || stdin instanceof Uint8Array) {
    stream.end(stdin);
    return;
  }
  stdin.on("data", (chunk: Buffer | string) => {
    if (!stream.write(chunk)) {
      stdin.pause();
      stream.once("drain", () => stdin.resume());
    }
  });
  stdin.on("end", () => stream.end());
  stdin.on("error", () => stream.end());
}

/**
 * Splits the engine's multiplexed stream (frames of an 8-byte header: stream type, 3 zero bytes, big-endian
 * length) into stdout and stderr.
 */
export function demultiplex(
  source: NodeJS.ReadableStream,
  stdout: NodeJS.WritableStream,
  stderr: NodeJS.WritableStream,
): void {
  let buffer: Buffer = Buffer.alloc(0);
  source.on("data", (chunk: Buffer) => {
    buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
    while (buffer.length >= 8) {
      const type = buffer[0]!;
      const length = buffer.readUInt32BE(4);
      if (buffer.length < 8 + length) break;
      const payload = buffer.subarray(8, 8 + length);
      buffer = buffer.subarray(8 + length);
      if (payload.length === 0) continue;
      (type === 2 ? stderr : stdout).write(payload);
    }
  });
}
