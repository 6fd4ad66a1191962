/**
 * The compressions of `compress`: gzip and BGZF with Node.js's zlib; xz, lz4 and bzip2 through the system's
 * `xz`, `lz4` and `bzip2` programs (streamed, stopped with the build), with Packer's level rules.
 */
import { availableParallelism } from "node:os";
import type { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { constants, createGzip } from "node:zlib";
import { processFailureOf, runProcess } from "../../../exec/index.js";
import { ErrorCode, errorMessage, KilnError, type Logger } from "../../../sdk/index.js";
import { BgzfStream } from "./bgzf.js";

export const INVALID_COMPRESSION_LEVEL = "Invalid compression level. Expected an integer from -1 to 9.";

export interface Compressor {
  /** What the UI says before compressing (`Using pgzip compression with 2 cores for out.tar.gz`). */
  readonly announcement: string | undefined;
  /** Writes `source`, compressed, to `out` and ends it. Rejects with the first failure of either side. */
  compress(source: Readable, out: Writable, signal: AbortSignal): Promise<void>;
}

/** Go's gzip levels: HuffmanOnly (-2), default (-1), none (0) to best (9). */
function zlibOptions(level: number): { level: number; strategy?: number } | undefined {
  if (level === -2) return { level: constants.Z_DEFAULT_COMPRESSION, strategy: constants.Z_HUFFMAN_ONLY };
  if (level < -2 || level > 9) return undefined;
  return { level };
}

export function writerError(algorithm: string, message: string, cause?: unknown): KilnError {
  return new KilnError(
    ErrorCode.PostProcessor,
    `error creating ${algorithm} writer: ${message}`,
    cause !== undefined ? { cause } : {},
  );
}

/**
 * The compressor for `algorithm` at `level` (after Packer's Configure: -1 is the default), or throws the
 * writer error Packer reports. An unknown or empty algorithm writes the data as it is.
 */
export function makeCompressor(
  algorithm: string,
  level: number,
  target: string,
  env: Readonly<Record<string, string | undefined>>,
  log: Logger,
): Compressor {
  const cores = availableParallelism();
  switch (algorithm) {
    case "pgzip": {
      const options = zlibOptions(level);
      if (options === undefined) throw writerError(algorithm, INVALID_COMPRESSION_LEVEL);
      return {
        announcement: `Using pgzip compression with ${cores} cores for ${target}`,
        compress: (source, out, signal) => pipeline(source, createGzip(options), out, { signal }),
      };
    }
    case "bgzf": {
      const options = zlibOptions(level);
      if (options === undefined) throw writerError(algorithm, INVALID_COMPRESSION_LEVEL);
      return {
        announcement: `Using bgzf compression with ${cores} cores for ${target}`,
        compress: (source, out, signal) => pipeline(source, new BgzfStream(options), out, { signal }),
      };
    }
    case "lz4": {
      if (level < -1 || level > 9) throw writerError(algorithm, INVALID_COMPRESSION_LEVEL);
      // Packer's lz4 writes 4 MB blocks with a content checksum; levels above 2 use the HC compressor.
      const args = ["-c", "-q", "-B7", level <= 0 ? "-1" : `-${level}`];
      return external(`Using lz4 compression with ${cores} cores for ${target}`, "lz4", args, env, log);
    }
    case "xz":
      return external(
        `Using xz compression with 1 core for ${target} (library does not support MT)`,
        "xz",
        ["-z", "-c", "-q", "-T1"],
        env,
        log,
      );
    case "bzip2":
      return external(
        `Using bzip2 compression with 1 core for ${target} (library does not support MT)`,
        "bzip2",
        ["-z", "-c", "-q", level > 0 && level <= 9 ? `-${level}` : "-9"],
        env,
        log,
      );
    default:
      return {
        announcement: undefined,
        compress: (source, out, signal) => pipeline(source, out, { signal }),
      };
  }
}

/** Streams through a program that reads standard input and writes standard output. */
function external(
  announcement: string,
  program: string,
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  log: Logger,
): Compressor {
  return {
    announcement,
    async compress(source, out, signal) {
      const stop = new AbortController();
      const onAbort = (): void => stop.abort(signal.reason);
      if (signal.aborted) stop.abort(signal.reason);
      else signal.addEventListener("abort", onAbort, { once: true });
      let sourceError: unknown;
      let outError: unknown;
      source.once("error", (err) => {
        sourceError = err;
        stop.abort(err);
      });
      out.once("error", (err) => {
        outError = err;
        stop.abort(err);
      });
      try {
        await runProcess({
          command: program,
          args,
          env,
          input: source,
          stdout: out,
          signal: stop.signal,
          captureBytes: 64 * 1024,
          log,
        });
      } catch (err) {
        if (sourceError !== undefined) throw sourceError;
        if (outError !== undefined) throw outError;
        if (signal.aborted) throw err;
        const failure = processFailureOf(err);
        if (failure !== undefined && failure.exitCode === null && failure.signal === null) {
          throw writerError(program, `${program} could not be run: ${errorMessage(err)}`, err);
        }
        throw new KilnError(ErrorCode.PostProcessor, `${program} failed: ${errorMessage(err)}`, {
          cause: err,
        });
      } finally {
        signal.removeEventListener("abort", onAbort);
      }
      await new Promise<void>((resolve, reject) => {
        out.once("error", reject);
        out.end(() => resolve());
      });
      if (outError !== undefined) throw outError;
    },
  };
}
