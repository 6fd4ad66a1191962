/**
 * File transfers with the scp protocol, spoken to a remote `scp -t` (sink) or `scp -f` (source) over an exec
 * channel, as Packer's SSH communicator does (the default ssh_file_transfer_method).
 *
 * Protocol: every record (`C<mode> <size> <name>`, `D<mode> 0 <name>`, `E`) and every file's data (followed by
 * a zero byte) is acknowledged by the other side with a status byte: 0 for OK, 1 (warning) or 2 (fatal)
 * followed by a message line. A sink sends one status byte when it starts.
 *
 * File data is streamed in both directions with backpressure; nothing is held in memory beyond a few
 * megabytes. A source of unknown size is spooled to a temporary file first, because a `C` record needs it.
 */
import { once } from "node:events";
import { createReadStream, createWriteStream, type Dirent } from "node:fs";
import { chmod, mkdir, mkdtemp, opendir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { pipeline } from "node:stream/promises";
import type { ClientChannel } from "ssh2";
import { cancelledError, ErrorCode, type FileInfo, KilnError, throwIfAborted } from "../../sdk/index.js";
import { excludeMatcher } from "../exclude.js";
import { exitOf, whenClosed } from "./exit.js";
import { StreamReader } from "./stream-reader.js";

/** Opens an exec channel running `command` on the remote side. */
export type OpenExec = (command: string) => Promise<ClientChannel>;

/** Read size for local files: large reads keep the per-chunk overhead low. */
export const LOCAL_READ_CHUNK = 1 << 20;

const SAFE_PATH = /^[A-Za-z0-9_@%+=:,./~*?[\]{}$-]+$/;

/**
 * Quotes a remote path for the remote shell the way Packer's unquoted paths behave, minus the breakage:
 * paths of safe characters are left alone (so `~`, `$HOME` and globs work as with Packer); others are put in
 * double quotes, which keeps spaces and quotes intact but still expands `$VAR`. A leading `~` or `~/` stays
 * outside the quotes so the shell expands it.
 */
export function quoteRemotePath(path: string): string {
  if (path !== "" && SAFE_PATH.test(path)) return path;
  let prefix = "";
  let rest = path;
  if (rest === "~" || rest.startsWith("~/")) {
    prefix = rest === "~" ? "~" : "~/";
    rest = rest.slice(prefix.length);
    if (rest === "") return prefix;
  }
  return `${prefix}"${rest.replace(/["\\`]/g, "\\$&")}"`;
}

/** The directory part of a remote path, as Go's filepath.Dir (with `/`). */
export function remoteDir(path: string): string {
  const trimmed = path.replace(/\/+$/, "");
  const slash = trimmed.lastIndexOf("/");
  if (slash < 0) return ".";
  if (slash === 0) return "/";
  return trimmed.slice(0, slash);
}

export function remoteBase(path: string): string {
  const trimmed = path.replace(/\/+$/, "");
  if (trimmed === "") return "/";
  return trimmed.slice(trimmed.lastIndexOf("/") + 1);
}

function scpError(message: string, cause?: unknown): KilnError {
  return new KilnError(ErrorCode.Communicator, message, cause !== undefined ? { cause } : {});
}

/** Writes to the channel, waiting for it to drain when its buffer is full. */
async function write(channel: ClientChannel, data: Buffer | string, signal: AbortSignal): Promise<void> {
  if (channel.write(data)) return;
  await once(channel, "drain", { signal }).catch((err: unknown) => {
    if (signal.aborted) throw cancelledError(signal.reason);
    throw err;
  });
}

/** Reads a status byte; rejects with the remote message when it is not OK. */
async function checkStatus(reader: StreamReader): Promise<void> {
  const code = await reader.readByte();
  if (code === undefined) throw scpError("scp: the remote side closed the connection unexpectedly");
  if (code !== 0) {
    const message = (await reader.readLine()) ?? "";
    throw scpError(message.trim() === "" ? `scp: remote error (status ${code})` : message.trim());
  }
}

interface ScpContext {
  readonly channel: ClientChannel;
  readonly reader: StreamReader;
  readonly signal: AbortSignal;
}

/**
 * Runs `command` and `body` against it; then closes its input and waits for it to exit. A non-zero exit is
 * an error (127: scp is missing, with Packer's message).
 */
async function scpSession(
  open: OpenExec,
  command: string,
  signal: AbortSignal,
  body: (ctx: ScpContext) => Promise<void>,
): Promise<void> {
  throwIfAborted(signal);
  const channel = await open(command);
  const reader = new StreamReader(channel);
  let stderr = "";
  channel.stderr.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString("utf8")).slice(-16384);
  });
  const closed = new Promise<void>((resolve) => whenClosed(channel, resolve));
  const exitCodeOf = (): number | undefined => exitOf(channel).code;
  const onAbort = (): void => {
    channel.destroy();
  };
  signal.addEventListener("abort", onAbort, { once: true });
  try {
    try {
      await body({ channel, reader, signal });
    } catch (err) {
      if (signal.aborted) throw cancelledError(signal.reason);
      channel.end();
      await Promise.race([closed, new Promise((r) => setTimeout(r, 1000))]);
      if (exitCodeOf() === 127) throw scpMissing();
      throw err;
    }
    channel.end();
    await closed;
    if (signal.aborted) throw cancelledError(signal.reason);
    const exitCode = exitCodeOf();
    if (exitCode === 127) throw scpMissing();
    if (exitCode !== undefined && exitCode !== 0) {
      const detail = stderr
        .split("\n")
        .filter(
          (l) =>
            l.trim() !== "" &&
            !l.startsWith("debug") &&
            !l.startsWith("Sink:") &&
            !l.startsWith("Sending file"),
        )
        .join("\n");
      throw scpError(`scp exited with status ${exitCode}${detail !== "" ? `: ${detail}` : ""}`);
    }
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
}

function scpMissing(): KilnError {
  return scpError(
    "SCP failed to start. This usually means that SCP is not\nproperly installed on the remote system.",
  );
}

/** The permission bits as scp sends them: `0644`. */
function modeString(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, "0");
}

/** Sends one file record and its data; `source` yields exactly `size` bytes (more is cut, fewer fails). */
async function sendFile(
  ctx: ScpContext,
  name: string,
  mode: number,
  size: number,
  source: AsyncIterable<Buffer | string>,
): Promise<void> {
  await write(ctx.channel, `C${modeString(mode)} ${size} ${name}\n`, ctx.signal);
  await checkStatus(ctx.reader);
  let left = size;
  for await (const raw of source) {
    if (left === 0) break;
    let chunk = typeof raw === "string" ? Buffer.from(raw) : raw;
    if (chunk.length > left) chunk = chunk.subarray(0, left);
    left -= chunk.length;
    await write(ctx.channel, chunk, ctx.signal);
  }
  if (left > 0) throw scpError(`scp: local file ended ${left} bytes short of its size ${size}`);
  await write(ctx.channel, Buffer.alloc(1), ctx.signal);
  await checkStatus(ctx.reader);
}

/** Uploads a stream to the remote file `destination`. */
export async function scpUpload(
  open: OpenExec,
  destination: string,
  source: NodeJS.ReadableStream,
  info: FileInfo | undefined,
  signal: AbortSignal,
): Promise<void> {
  let size = info?.size;
  let mode = info?.mode !== undefined ? info.mode & 0o777 : 0o644;
  let input: AsyncIterable<Buffer | string> = source as unknown as AsyncIterable<Buffer | string>;
  let spoolDir: string | undefined;
  try {
    if (size === undefined) {
      // scp needs the length up front: spool to a temporary file, as Packer does.
      spoolDir = await mkdtemp(join(tmpdir(), "kiln-upload-"));
      const spool = join(spoolDir, "data");
      await pipeline(source, createWriteStream(spool), { signal });
      size = (await stat(spool)).size;
      input = createReadStream(spool, { highWaterMark: LOCAL_READ_CHUNK });
      if (info?.mode === undefined) mode = 0o644;
    }
    const dir = remoteDir(destination);
    const name = remoteBase(destination);
    const total = size;
    await scpSession(open, `scp -vt ${quoteRemotePath(dir)}`, signal, async (ctx) => {
      await checkStatus(ctx.reader);
      await sendFile(ctx, name, mode, total, input);
    });
  } finally {
    if (spoolDir !== undefined) await rm(spoolDir, { recursive: true, force: true });
  }
}

async function sortedEntries(dir: string): Promise<Dirent[]> {
  const entries: Dirent[] = [];
  for await (const e of await opendir(dir)) entries.push(e);
  return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * Uploads a local directory. `source` with a trailing `/` sends its contents into `destination`, which is
 * created when missing. Without the slash the directory itself is sent: it becomes `destination/<name>`
 * when `destination` is a directory, else `destination` itself (`cp -r` semantics, as with Packer).
 */
export async function scpUploadDir(
  open: OpenExec,
  destination: string,
  source: string,
  exclude: readonly string[],
  signal: AbortSignal,
): Promise<void> {
  const excluded = excludeMatcher(exclude);
  const dst = quoteRemotePath(destination);
  const command = source.endsWith("/") ? `mkdir -p ${dst} && scp -rvt ${dst}` : `scp -rvt ${dst}`;
  await scpSession(open, command, signal, async (ctx) => {
    await checkStatus(ctx.reader);
    const sendEntries = async (dir: string, rel: string): Promise<void> => {
      for (const entry of await sortedEntries(dir)) {
        throwIfAborted(signal);
        const path = join(dir, entry.name);
        const relPath = rel === "" ? entry.name : `${rel}/${entry.name}`;
        if (excluded(relPath)) continue;
        // Symbolic links are followed, as Packer does.
        const st = await stat(path);
        if (st.isDirectory()) await sendDir(path, entry.name, st.mode, relPath);
        else if (st.isFile()) {
          await sendFile(
            ctx,
            entry.name,
            st.mode & 0o777,
            st.size,
            createReadStream(path, { highWaterMark: LOCAL_READ_CHUNK }),
          );
        }
      }
    };
    const sendDir = async (path: string, name: string, mode: number, rel: string): Promise<void> => {
      await write(ctx.channel, `D${modeString(mode & 0o777)} 0 ${name}\n`, signal);
      await checkStatus(ctx.reader);
      await sendEntries(path, rel);
      await write(ctx.channel, "E\n", signal);
      await checkStatus(ctx.reader);
    };
    if (source.endsWith("/")) await sendEntries(source, "");
    else {
      const st = await stat(source);
      await sendDir(source, basename(source), st.mode, "");
    }
  });
}

/** Parses `C0644 123 name` / `D0755 0 name`. */
function parseRecord(line: string): { mode: number; size: number; name: string } {
  const m = /^[CD]([0-7]{3,4}) (\d+) (.+)$/.exec(line);
  if (m === null) throw scpError(`can't parse server response (${line})`);
  return { mode: Number.parseInt(m[1]!, 8), size: Number(m[2]!), name: m[3]! };
}

/** Streams the remote file `source` into `destination`. */
export async function scpDownload(
  open: OpenExec,
  source: string,
  destination: NodeJS.WritableStream,
  signal: AbortSignal,
): Promise<void> {
  await scpSession(open, `scp -vf ${quoteRemotePath(source)}`, signal, async (ctx) => {
    await write(ctx.channel, Buffer.alloc(1), signal);
    const line = await ctx.reader.readLine();
    if (line === undefined || line === "") throw scpError("empty response from server");
    const kind = line[0];
    if (kind === "\x01" || kind === "\x02") throw scpError(line.slice(1).trim());
    if (kind === "D") throw scpError("remote file is directory");
    if (kind !== "C") throw scpError(`unexpected server response (${line.charCodeAt(0).toString(16)})`);
    const { size } = parseRecord(line);
    await write(ctx.channel, Buffer.alloc(1), signal);
    await ctx.reader.copy(size, (chunk) => writeTo(destination, chunk, signal));
    await checkStatus(ctx.reader);
    await write(ctx.channel, Buffer.alloc(1), signal);
  });
}

function writeTo(out: NodeJS.WritableStream, chunk: Buffer, signal: AbortSignal): Promise<void> | undefined {
  if (out.write(chunk)) return undefined;
  return new Promise((resolve, reject) => {
    const done = (): void => {
      out.removeListener("drain", done);
      out.removeListener("error", fail);
      signal.removeEventListener("abort", abort);
      resolve();
    };
    const fail = (err: Error): void => {
      out.removeListener("drain", done);
      signal.removeEventListener("abort", abort);
      reject(err);
    };
    const abort = (): void => fail(cancelledError(signal.reason));
    out.once("drain", done);
    out.once("error", fail);
    signal.addEventListener("abort", abort, { once: true });
  });
}

/**
 * Downloads a remote directory (or glob) into the local `destination`. With a trailing `/` on `source` the
 * directory's contents land in `destination`; without, the directory itself (`destination/<name>`). Modes
 * are kept.
 */
export async function scpDownloadDir(
  open: OpenExec,
  source: string,
  destination: string,
  exclude: readonly string[],
  signal: AbortSignal,
): Promise<void> {
  const excluded = excludeMatcher(exclude);
  const collapseTop = source.endsWith("/");
  await mkdir(destination, { recursive: true });
  await scpSession(open, `scp -vrf ${quoteRemotePath(source)}`, signal, async (ctx) => {
    // Each stack entry: the local directory, its path relative to the transfer, whether it is skipped.
    const stack: { local: string; rel: string; skip: boolean; mode?: number }[] = [];
    let topSeen = false;
    await write(ctx.channel, Buffer.alloc(1), signal);
    for (;;) {
      const line = await ctx.reader.readLine();
      if (line === undefined) return;
      if (line === "") throw scpError("empty response from server");
      const kind = line[0];
      if (kind === "\x01" || kind === "\x02") throw scpError(line.slice(1).trim());
      const parent = stack[stack.length - 1] ?? { local: destination, rel: "", skip: false };
      if (kind === "E") {
        const done = stack.pop();
        // Modes are set once the directory is filled, so a read-only directory can still be written.
        if (done !== undefined && !done.skip && done.mode !== undefined) await chmod(done.local, done.mode);
        await write(ctx.channel, Buffer.alloc(1), signal);
        continue;
      }
      if (kind === "T") {
        await write(ctx.channel, Buffer.alloc(1), signal);
        continue;
      }
      if (kind !== "C" && kind !== "D")
        throw scpError(`unexpected server response (${line.charCodeAt(0).toString(16)})`);
      const rec = parseRecord(line);
      if (rec.name.includes("/") || rec.name === ".." || rec.name === ".") {
        throw scpError(`scp: refusing unsafe file name ${JSON.stringify(rec.name)}`);
      }
      if (kind === "D") {
        if (stack.length === 0 && collapseTop && !topSeen) {
          topSeen = true;
          stack.push({ local: destination, rel: "", skip: false });
        } else {
          const rel = parent.rel === "" ? rec.name : `${parent.rel}/${rec.name}`;
          const skip = parent.skip || excluded(rel);
          const local = join(parent.local, rec.name);
          if (!skip) {
            await mkdir(local, { recursive: true, mode: 0o700 | (rec.mode & 0o777) });
          }
          stack.push({ local, rel, skip, mode: rec.mode & 0o7777 });
        }
        await write(ctx.channel, Buffer.alloc(1), signal);
        continue;
      }
      const rel = parent.rel === "" ? rec.name : `${parent.rel}/${rec.name}`;
      const skip = parent.skip || excluded(rel);
      await write(ctx.channel, Buffer.alloc(1), signal);
      if (skip) await ctx.reader.copy(rec.size, () => undefined);
      else {
        const out = createWriteStream(join(parent.local, rec.name), { mode: rec.mode & 0o777 });
        try {
          await ctx.reader.copy(rec.size, (chunk) => writeTo(out, chunk, signal));
        } finally {
          out.end();
          await once(out, "close").catch(() => undefined);
        }
        await chmod(join(parent.local, rec.name), rec.mode & 0o7777);
      }
      await checkStatus(ctx.reader);
      await write(ctx.channel, Buffer.alloc(1), signal);
    }
  });
}
