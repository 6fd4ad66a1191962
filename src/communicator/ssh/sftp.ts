/**
 * File transfers over SFTP (ssh_file_transfer_method = "sftp"). Reads and writes are pipelined: several
 * requests at different offsets are in flight at once, bounded in bytes, which is what makes SFTP fast
 * (one request at a time is bound by the round trip). Memory stays flat for any file size.
 */
import { once } from "node:events";
import { createReadStream, createWriteStream, type Dirent } from "node:fs";
import { chmod, mkdir, opendir, stat } from "node:fs/promises";
import { basename, join } from "node:path";
import type { FileEntryWithStats, SFTPWrapper, Stats } from "ssh2";
import { cancelledError, ErrorCode, type FileInfo, KilnError, throwIfAborted } from "../../sdk/index.js";
import { excludeMatcher } from "../exclude.js";
import { LOCAL_READ_CHUNK, remoteBase } from "./scp.js";

/** Bytes of write or read requests in flight at once. */
const IN_FLIGHT_BYTES = 8 << 20;
/** The largest request when the server states no limit (OpenSSH states 255 KiB). */
const DEFAULT_CHUNK = 32 * 1024;

function sftpError(message: string, cause?: unknown): KilnError {
  return new KilnError(ErrorCode.Communicator, message, cause !== undefined ? { cause } : {});
}

/** SFTP has no `~`: paths are relative to the login directory, so `~/x` becomes `x`. */
export function sftpPath(path: string): string {
  if (path === "~") return ".";
  if (path.startsWith("~/")) return path.slice(2) === "" ? "." : path.slice(2);
  return path;
}

function call<T>(
  fn: (cb: (err: Error | null | undefined, value: T) => void) => void,
  what: string,
): Promise<T> {
  return new Promise((resolve, reject) => {
    fn((err, value) => (err ? reject(sftpError(`${what}: ${err.message}`, err)) : resolve(value)));
  });
}

function limits(sftp: SFTPWrapper): { read: number; write: number } {
  const internal = sftp as unknown as { _maxReadLen?: number; _maxWriteLen?: number };
  return { read: internal._maxReadLen ?? DEFAULT_CHUNK, write: internal._maxWriteLen ?? DEFAULT_CHUNK };
}

/** Writes everything `source` yields to the open remote `handle`, several requests at a time. */
async function writeAll(
  sftp: SFTPWrapper,
  handle: Buffer,
  source: AsyncIterable<Buffer | string>,
  path: string,
  signal: AbortSignal,
): Promise<void> {
  const max = limits(sftp).write;
  let position = 0;
  let inFlight = 0;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const settle = (): void => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const waitUntil = async (ok: () => boolean): Promise<void> => {
    while (!ok() && failure === undefined) {
      await new Promise<void>((r) => {
        wake = r;
      });
    }
  };
  const onAbort = (): void => {
    failure ??= cancelledError(signal.reason);
    settle();
  };
  signal.addEventListener("abort", onAbort, { once: true });
  try {
    for await (const raw of source) {
      const chunk = typeof raw === "string" ? Buffer.from(raw) : raw;
      for (let off = 0; off < chunk.length; off += max) {
        const piece = chunk.subarray(off, Math.min(chunk.length, off + max));
        await waitUntil(() => inFlight + piece.length <= IN_FLIGHT_BYTES);
        if (failure !== undefined) throw failure;
        inFlight += piece.length;
        // ssh2 copies the bytes into its packet before returning, so `piece` may be reused.
        sftp.write(handle, piece, 0, piece.length, position, (err) => {
          inFlight -= piece.length;
          if (err) failure ??= sftpError(`sftp: writing ${path}: ${err.message}`, err);
          settle();
        });
        position += piece.length;
      }
    }
    await waitUntil(() => inFlight === 0);
    if (failure !== undefined) throw failure;
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
}

/** Uploads a stream to the remote file `path`; sets its mode when `info.mode` is given. */
export async function sftpUpload(
  sftp: SFTPWrapper,
  path: string,
  source: NodeJS.ReadableStream | AsyncIterable<Buffer | string>,
  info: FileInfo | undefined,
  signal: AbortSignal,
): Promise<void> {
  throwIfAborted(signal);
  const remote = sftpPath(path);
  const handle = await call<Buffer>((cb) => sftp.open(remote, "w", cb), `sftp: creating ${path}`);
  try {
    await writeAll(sftp, handle, source as AsyncIterable<Buffer | string>, path, signal);
  } finally {
    await call<void>((cb) => sftp.close(handle, (err) => cb(err, undefined)), `sftp: closing ${path}`).catch(
      () => undefined,
    );
  }
  if (info?.mode !== undefined) {
    const mode = info.mode & 0o777;
    await call<void>((cb) => sftp.chmod(remote, mode, (err) => cb(err, undefined)), `sftp: chmod ${path}`);
  }
}

async function remoteStat(sftp: SFTPWrapper, path: string): Promise<Stats | undefined> {
  return new Promise((resolve) => {
    sftp.stat(path, (err, st) => resolve(err ? undefined : st));
  });
}

/** mkdir that tolerates an existing directory, then sets the mode (Packer's sftpMkdir). */
async function mkdirRemote(sftp: SFTPWrapper, path: string, mode: number | undefined): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    sftp.mkdir(path, (err) => {
      if (!err) {
        resolve();
        return;
      }
      sftp.lstat(path, (statErr, st) =>
        statErr || !st.isDirectory()
          ? reject(sftpError(`sftp: mkdir ${path}: ${err.message}`, err))
          : resolve(),
      );
    });
  });
  if (mode !== undefined) {
    await call<void>((cb) => sftp.chmod(path, mode, (err) => cb(err, undefined)), `sftp: chmod ${path}`);
  }
}

/** Creates `path` and its missing parents (`mkdir -p`), leaving existing ones alone. */
async function mkdirAll(sftp: SFTPWrapper, path: string): Promise<void> {
  if ((await remoteStat(sftp, path))?.isDirectory()) return;
  const parent = path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : "";
  if (parent !== "" && parent !== path) await mkdirAll(sftp, parent);
  await mkdirRemote(sftp, path, undefined);
}

async function sortedEntries(dir: string): Promise<Dirent[]> {
  const entries: Dirent[] = [];
  for await (const e of await opendir(dir)) entries.push(e);
  return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Uploads a local directory with the trailing-slash rule, as scpUploadDir does. */
export async function sftpUploadDir(
  sftp: SFTPWrapper,
  destination: string,
  source: string,
  exclude: readonly string[],
  signal: AbortSignal,
): Promise<void> {
  const excluded = excludeMatcher(exclude);
  const dst = sftpPath(destination).replace(/(.)\/+$/, "$1");
  const visit = async (localDir: string, remoteDirPath: string, rel: string): Promise<void> => {
    for (const entry of await sortedEntries(localDir)) {
      throwIfAborted(signal);
      const local = join(localDir, entry.name);
      const relPath = rel === "" ? entry.name : `${rel}/${entry.name}`;
      if (excluded(relPath)) continue;
      const remote = `${remoteDirPath}/${entry.name}`;
      const st = await stat(local);
      if (st.isDirectory()) {
        await mkdirRemote(sftp, remote, st.mode & 0o777);
        await visit(local, remote, relPath);
      } else if (st.isFile()) {
        await sftpUpload(
          sftp,
          remote,
          createReadStream(local, { highWaterMark: LOCAL_READ_CHUNK }),
          { mode: st.mode, size: st.size },
          signal,
        );
      }
    }
  };
  if (source.endsWith("/")) {
    await mkdirAll(sftp, dst);
    await visit(source, dst, "");
  } else {
    // Like `scp -r`: into an existing directory, or as the destination itself.
    const isDir = (await remoteStat(sftp, dst))?.isDirectory() ?? false;
    const root = isDir ? `${dst === "/" ? "" : dst}/${basename(source)}` : dst;
    await mkdirRemote(sftp, root, (await stat(source)).mode & 0o777);
    await visit(source, root, "");
  }
}

/** Reads the open remote file into `out`, several requests at a time, delivering bytes in order. */
async function readAll(
  sftp: SFTPWrapper,
  handle: Buffer,
  size: number,
  out: NodeJS.WritableStream,
  path: string,
  signal: AbortSignal,
): Promise<void> {
  const chunk = limits(sftp).read;
  const read = (position: number, length: number): Promise<Buffer> =>
    new Promise((resolve, reject) => {
      const buf = Buffer.allocUnsafe(length);
      sftp.read(handle, buf, 0, length, position, (err, n) =>
        err ? reject(sftpError(`sftp: reading ${path}: ${err.message}`, err)) : resolve(buf.subarray(0, n)),
      );
    });
  const queue: { position: number; length: number; data: Promise<Buffer> }[] = [];
  let next = 0;
  const fillQueue = (): void => {
    // Requests past the known size are still issued one at a time, for files that grow or report size 0.
    const limit = Math.max(1, Math.floor(IN_FLIGHT_BYTES / chunk));
    while (queue.length < limit && (next < size || queue.length === 0)) {
      const length = next < size ? Math.min(chunk, size - next) : chunk;
      const data = read(next, length);
      data.catch(() => undefined);
      queue.push({ position: next, length, data });
      next += length;
    }
  };
  for (;;) {
    throwIfAborted(signal);
    fillQueue();
    const head = queue.shift()!;
    let data = await head.data;
    if (data.length === 0) {
      // End of file: drop what is still in flight.
      return;
    }
    // A short read leaves a gap; fill it before going on.
    let got = data.length;
    while (got < head.length) {
      const more = await read(head.position + got, head.length - got);
      if (more.length === 0) break;
      data = Buffer.concat([data, more]);
      got += more.length;
    }
    if (!out.write(data)) await once(out as unknown as NodeJS.EventEmitter, "drain", { signal });
    if (got < head.length) return;
  }
}

/** Streams the remote file `path` into `out`. */
export async function sftpDownload(
  sftp: SFTPWrapper,
  path: string,
  out: NodeJS.WritableStream,
  signal: AbortSignal,
): Promise<void> {
  throwIfAborted(signal);
  const remote = sftpPath(path);
  const handle = await call<Buffer>((cb) => sftp.open(remote, "r", cb), `sftp: opening ${path}`);
  try {
    const st = await call<Stats>((cb) => sftp.fstat(handle, cb), `sftp: stat ${path}`);
    if (st.isDirectory()) throw sftpError("remote file is directory");
    await readAll(sftp, handle, st.size, out, path, signal);
  } finally {
    await call<void>((cb) => sftp.close(handle, (err) => cb(err, undefined)), `sftp: closing ${path}`).catch(
      () => undefined,
    );
  }
}

/** Downloads a remote directory with the trailing-slash rule (see Communicator.downloadDir); modes kept. */
export async function sftpDownloadDir(
  sftp: SFTPWrapper,
  source: string,
  destination: string,
  exclude: readonly string[],
  signal: AbortSignal,
): Promise<void> {
  const excluded = excludeMatcher(exclude);
  const src = sftpPath(source).replace(/(.)\/+$/, "$1");
  const rootStat = await remoteStat(sftp, src);
  if (rootStat === undefined) throw sftpError(`sftp: ${source}: no such file or directory`);
  if (!rootStat.isDirectory()) throw sftpError(`sftp: ${source}: not a directory`);
  await mkdir(destination, { recursive: true });
  const visit = async (remoteDirPath: string, localDir: string, rel: string): Promise<void> => {
    const list = await call<FileEntryWithStats[]>(
      (cb) => sftp.readdir(remoteDirPath, cb),
      `sftp: readdir ${remoteDirPath}`,
    );
    list.sort((a, b) => (a.filename < b.filename ? -1 : a.filename > b.filename ? 1 : 0));
    for (const entry of list) {
      throwIfAborted(signal);
      if (entry.filename === "." || entry.filename === "..") continue;
      const relPath = rel === "" ? entry.filename : `${rel}/${entry.filename}`;
      if (excluded(relPath)) continue;
      const remote = `${remoteDirPath}/${entry.filename}`;
      const local = join(localDir, entry.filename);
      let attrs: Stats = entry.attrs as Stats;
      if (attrs.isSymbolicLink()) {
        const target = await remoteStat(sftp, remote);
        if (target === undefined) continue;
        attrs = target;
      }
      if (attrs.isDirectory()) {
        await mkdir(local, { recursive: true, mode: 0o700 });
        await visit(remote, local, relPath);
        await chmod(local, attrs.mode & 0o7777);
      } else if (attrs.isFile()) {
        const out = createWriteStream(local);
        try {
          await sftpDownload(sftp, remote, out, signal);
        } finally {
          out.end();
          await once(out, "close").catch(() => undefined);
        }
        await chmod(local, attrs.mode & 0o7777);
      }
    }
  };
  if (source.endsWith("/")) await visit(src, destination, "");
  else {
    const root = join(destination, remoteBase(src));
    await mkdir(root, { recursive: true, mode: 0o700 });
    await visit(src, root, "");
    await chmod(root, rootStat.mode & 0o7777);
  }
}
