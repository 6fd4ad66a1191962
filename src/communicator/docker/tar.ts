/**
 * The tar streams the engine's archive API speaks (`PUT`/`GET /containers/{id}/archive`): packing one file or a
 * local directory tree, and unpacking a downloaded tree into a local directory. Entries carry mode and mtime;
 * owners are left to the engine (it extracts as the container's root, as `docker cp` without `-a` does).
 * tar-stream is loaded on first use.
 */
import { once } from "node:events";
import { createReadStream, createWriteStream } from "node:fs";
import { lstat, mkdir, opendir, readlink, symlink, unlink, utimes } from "node:fs/promises";
import { join, posix, resolve, sep } from "node:path";
import type { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type * as Tar from "tar-stream";
import type { ExcludeMatcher } from "../exclude.js";

export interface TarFileEntry {
  /** The entry's name inside the archive (no leading slash). */
  readonly name: string;
  readonly size: number;
  /** Permission bits. */
  readonly mode: number;
  readonly mtime: Date;
}

let tarModule: Promise<typeof Tar> | undefined;

function loadTar(): Promise<typeof Tar> {
  tarModule ??= import("tar-stream");
  return tarModule;
}

/** A writer's promise, with the pack destroyed when it fails (the reader then sees the error). */
interface PackJob {
  readonly stream: Readable;
  readonly done: Promise<void>;
}

async function startPack(write: (pack: Tar.Pack) => Promise<void>): Promise<PackJob> {
  const pack = (await loadTar()).pack();
  const done = write(pack).then(
    () => pack.finalize(),
    (err: unknown) => {
      pack.destroy(err instanceof Error ? err : new Error(String(err)));
      throw err;
    },
  );
  // The caller awaits `done`; this only keeps an early rejection from being reported as unhandled.
  done.catch(() => {});
  return { stream: pack as unknown as Readable, done };
}

/** Copies `source` into a pack entry, respecting backpressure; resolves when the entry is complete. */
async function writeEntry(
  pack: Tar.Pack,
  header: Partial<Tar.Header> & { name: string },
  source?: AsyncIterable<unknown>,
): Promise<void> {
  let finished!: () => void;
  let failed!: (err: unknown) => void;
  const complete = new Promise<void>((res, rej) => {
    finished = res;
    failed = rej;
  });
  const entry = pack.entry(header, (err) => (err ? failed(err) : finished()));
  if (source !== undefined) {
    for await (const chunk of source) {
      const data = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Uint8Array);
      if (!entry.write(data)) await once(entry, "drain");
    }
  }
  entry.end(undefined);
  await complete;
}

/** A tar holding one regular file whose `size` bytes are read from `source`. */
export function packFile(entry: TarFileEntry, source: NodeJS.ReadableStream): Promise<PackJob> {
  return startPack((pack) =>
    writeEntry(
      pack,
      {
        name: entry.name,
        type: "file",
        size: entry.size,
        mode: entry.mode,
        mtime: entry.mtime,
        uid: 0,
        gid: 0,
      },
      source as AsyncIterable<unknown>,
    ),
  );
}

/**
 * A tar of the local directory `root`: its entries are named `prefix/<relative path>` (with `prefix` empty:
 * the directory's contents, and no entry for the directory itself). Regular files, directories and symlinks
 * are packed; other file types are skipped. Paths `exclude` matches (relative to `root`) are left out;
 * `extra` files are appended.
 */
export function packDirectory(
  root: string,
  prefix: string,
  exclude: ExcludeMatcher,
  extra: readonly ExtraFile[] = [],
): Promise<PackJob> {
  return startPack(async (pack) => {
    const top = await lstat(root);
    if (prefix !== "") {
      await writeEntry(pack, {
        name: `${prefix}/`,
        type: "directory",
        mode: top.mode & 0o7777,
        mtime: top.mtime,
      });
    }
    await walk(pack, root, "", prefix, exclude);
    for (const file of extra) {
      const name = prefix === "" ? file.name : `${prefix}/${file.name}`;
      const header = {
        name,
        type: "file",
        size: file.content.length,
        mode: file.mode,
        mtime: new Date(),
      } as const;
      await writeEntry(pack, header, single(file.content));
    }
  });
}

async function* single(content: Buffer): AsyncGenerator<Buffer> {
  yield content;
}

/** A file added to a directory archive that is not in the directory (e.g. a Dockerfile kept elsewhere). */
export interface ExtraFile {
  readonly name: string;
  readonly content: Buffer;
  readonly mode: number;
}

async function walk(
  pack: Tar.Pack,
  dir: string,
  rel: string,
  prefix: string,
  exclude: ExcludeMatcher,
): Promise<void> {
  const names: string[] = [];
  for await (const dirent of await opendir(dir)) names.push(dirent.name);
  names.sort();
  for (const name of names) {
    const relPath = rel === "" ? name : `${rel}/${name}`;
    if (exclude(relPath)) continue;
    const full = join(dir, name);
    const st = await lstat(full);
    const entryName = prefix === "" ? relPath : `${prefix}/${relPath}`;
    const base = { mode: st.mode & 0o7777, mtime: st.mtime, uid: 0, gid: 0 };
    if (st.isDirectory()) {
      await writeEntry(pack, { ...base, name: `${entryName}/`, type: "directory" });
      await walk(pack, full, relPath, prefix, exclude);
    } else if (st.isSymbolicLink()) {
      await writeEntry(pack, { ...base, name: entryName, type: "symlink", linkname: await readlink(full) });
    } else if (st.isFile()) {
      await writeEntry(
        pack,
        { ...base, name: entryName, type: "file", size: st.size },
        createReadStream(full),
      );
    }
  }
}

/**
 * Unpacks `source` into the local directory `destination` (created if missing). `stripFirst` drops each
 * entry's first path component (the downloaded directory's own name) so only its contents land there.
 * Entries that would land outside `destination` are refused; devices and other special files are skipped.
 */
export async function unpackInto(
  source: NodeJS.ReadableStream,
  destination: string,
  options: { readonly stripFirst: boolean; readonly exclude: ExcludeMatcher },
): Promise<void> {
  const root = resolve(destination);
  await mkdir(root, { recursive: true });
  const extract = (await loadTar()).extract();
  const dirTimes: { path: string; mtime: Date }[] = [];
  const consume = (async () => {
    for await (const entry of extract) {
      const header = entry.header;
      let name = posix.normalize(header.name.replace(/^\/+/, "")).replace(/\/+$/, "");
      if (options.stripFirst) {
        const slash = name.indexOf("/");
        name = slash < 0 ? "" : name.slice(slash + 1);
      }
      if (name === "" || name === "." || options.exclude(name)) {
        entry.resume();
        continue;
      }
      const target = resolve(root, ...name.split("/"));
      if (target !== root && !target.startsWith(root + sep)) {
        throw new Error(`refusing to write ${header.name} outside ${destination}`);
      }
      const mode = (header.mode ?? 0o644) & 0o7777;
      switch (header.type) {
        case "directory":
          await mkdir(target, { recursive: true, mode });
          if (header.mtime) dirTimes.push({ path: target, mtime: header.mtime });
          entry.resume();
          break;
        case "file":
        case "contiguous-file":
          await replaceable(target);
          await pipeline(entry, createWriteStream(target, { mode }));
          if (header.mtime) await utimes(target, header.mtime, header.mtime);
          break;
        case "symlink":
          await replaceable(target);
          await symlink(header.linkname ?? "", target);
          entry.resume();
          break;
        default:
          entry.resume();
      }
    }
  })();
  await Promise.all([pipeline(source as unknown as Readable, extract as unknown as Writable), consume]);
  // Directory times last: writing into a directory changes its mtime.
  for (const d of dirTimes.reverse()) await utimes(d.path, d.mtime, d.mtime).catch(() => {});
}

/** Makes room for a file at `path`: removes a file or symlink there, creates the parent directories. */
async function replaceable(path: string): Promise<void> {
  await mkdir(resolve(path, ".."), { recursive: true });
  try {
    const st = await lstat(path);
    if (!st.isDirectory()) await unlink(path);
  } catch {
    // Nothing there.
  }
}

/**
 * Streams the content of the archive's first entry into `destination` (an archive of one file holds just that
 * file) and drains the rest. Resolves to the first entry's type (undefined for an empty archive).
 */
export async function firstEntryInto(
  source: NodeJS.ReadableStream,
  destination: NodeJS.WritableStream,
): Promise<Tar.Header["type"] | undefined> {
  const extract = (await loadTar()).extract();
  let first: Tar.Header["type"] | undefined;
  let seen = false;
  const consume = (async () => {
    for await (const entry of extract) {
      if (!seen) {
        seen = true;
        first = entry.header.type;
        for await (const chunk of entry) {
          if (!destination.write(chunk as Buffer)) await once(destination as unknown as Writable, "drain");
        }
      } else {
        entry.resume();
      }
    }
  })();
  await Promise.all([pipeline(source as unknown as Readable, extract as unknown as Writable), consume]);
  return first;
}
