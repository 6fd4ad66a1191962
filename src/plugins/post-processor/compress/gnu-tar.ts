/**
 * A tar stream of regular files in GNU format, as Packer's compress writes it (Go's archive/tar with
 * FileInfoHeader and Format = FormatGNU, times zeroed): each entry is named by the file's base name and
 * carries its permission bits, owner and group ids and names; sizes that do not fit in octal use GNU's
 * base-256 form; names longer than 100 bytes get a `././@LongLink` entry. Google Cloud imports only GNU tar,
 * which is why this is written here rather than with a POSIX (ustar/pax) library.
 */
import { readFileSync } from "node:fs";
import { open } from "node:fs/promises";
import { basename } from "node:path";

const BLOCK = 512;

export interface TarEntryInfo {
  readonly name: string;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly size: number;
  readonly uname: string;
  readonly gname: string;
  readonly typeflag?: string;
}

/** Writes `value` as NUL-terminated octal in `width` bytes, or base-256 when it does not fit. */
function numeric(buf: Buffer, offset: number, width: number, value: number): void {
  const octal = value.toString(8);
  if (value >= 0 && octal.length <= width - 1) {
    buf.write(octal.padStart(width - 1, "0"), offset, "ascii");
    buf[offset + width - 1] = 0;
    return;
  }
  // GNU base-256: high bit of the first byte set, big-endian two's complement in the rest.
  let v = BigInt(value);
  for (let i = offset + width - 1; i > offset; i--) {
    buf[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  buf[offset] = 0x80;
}

function field(buf: Buffer, offset: number, width: number, text: string): void {
  buf.write(text, offset, width, "utf8");
}

/**
 * One 512-byte GNU header. A `raw` header (the long-name record) has only the V7 fields and the magic, as
 * Go's writeRawFile makes it.
 */
export function gnuHeader(entry: TarEntryInfo, raw = false): Buffer {
  const h = Buffer.alloc(BLOCK);
  field(h, 0, 100, entry.name);
  numeric(h, 100, 8, entry.mode);
  numeric(h, 108, 8, entry.uid);
  numeric(h, 116, 8, entry.gid);
  numeric(h, 124, 12, entry.size);
  numeric(h, 136, 12, 0); // mtime: zeroed, as Packer does
  h.fill(0x20, 148, 156); // checksum computed with spaces
  h.write(entry.typeflag ?? "0", 156, "ascii");
  h.write("ustar  \0", 257, "ascii");
  if (!raw) {
    field(h, 265, 32, entry.uname);
    field(h, 297, 32, entry.gname);
    numeric(h, 329, 8, 0); // devmajor
    numeric(h, 337, 8, 0); // devminor
  }
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, "0"), 148, "ascii");
  h[154] = 0;
  h[155] = 0x20;
  return h;
}

/** The header (with a long-name entry first when the name needs one) of one file. */
export function gnuHeaders(entry: TarEntryInfo): Buffer[] {
  const nameBytes = Buffer.byteLength(entry.name);
  if (nameBytes <= 100) return [gnuHeader(entry)];
  const longName = Buffer.concat([Buffer.from(entry.name), Buffer.alloc(1)]);
  const long = gnuHeader(
    {
      name: "././@LongLink",
      mode: 0,
      uid: 0,
      gid: 0,
      size: longName.length,
      uname: "",
      gname: "",
      typeflag: "L",
    },
    true,
  );
  const truncated = Buffer.from(entry.name).subarray(0, 100).toString("utf8");
  return [long, longName, padding(longName.length), gnuHeader({ ...entry, name: truncated })].filter(
    (b) => b.length > 0,
  );
}

function padding(size: number): Buffer {
  const rest = size % BLOCK;
  return Buffer.alloc(rest === 0 ? 0 : BLOCK - rest);
}

/** Reads a passwd/group style file into id -> name. */
function readNames(path: string): Map<number, string> {
  const names = new Map<number, string>();
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return names;
  }
  for (const line of text.split("\n")) {
    const [name, , id] = line.split(":");
    if (name === undefined || id === undefined || name === "" || line.startsWith("#")) continue;
    const n = Number(id);
    if (Number.isInteger(n) && !names.has(n)) names.set(n, name);
  }
  return names;
}

let users: Map<number, string> | undefined;
let groups: Map<number, string> | undefined;

/** The user and group names of ids, as Go's tar looks them up (empty when unknown). */
export function ownerNames(uid: number, gid: number): { uname: string; gname: string } {
  users ??= readNames("/etc/passwd");
  groups ??= readNames("/etc/group");
  return { uname: users.get(uid) ?? "", gname: groups.get(gid) ?? "" };
}

/** What a tar entry failed on, with Packer's wording. */
export class TarFileError extends Error {}

/**
 * The tar stream of `files` (paths resolved with `local`, messages naming them as given): header, contents
 * padded to 512 bytes, and two zero blocks at the end.
 */
export async function* gnuTarStream(
  files: readonly string[],
  local: (path: string) => string,
  describeError: (err: unknown) => string,
): AsyncGenerator<Buffer> {
  for (const path of files) {
    let handle: Awaited<ReturnType<typeof open>>;
    try {
      handle = await open(local(path), "r");
    } catch (err) {
      throw new TarFileError(`Unable to read file ${path}: open ${path}: ${describeError(err)}`);
    }
    try {
      let st: Awaited<ReturnType<typeof handle.stat>>;
      try {
        st = await handle.stat();
      } catch (err) {
        throw new TarFileError(`Unable to get fileinfo for ${path}: ${describeError(err)}`);
      }
      const names = ownerNames(st.uid, st.gid);
      const perm = st.mode & 0o7777;
      yield* gnuHeaders({
        name: basename(path),
        mode: perm,
        uid: st.uid,
        gid: st.gid,
        size: st.size,
        ...names,
      });
      let written = 0;
      const chunk = Buffer.alloc(1 << 20);
      for (;;) {
        let bytesRead: number;
        try {
          ({ bytesRead } = await handle.read(chunk, 0, Math.min(chunk.length, st.size - written)));
        } catch (err) {
          throw new TarFileError(
            `Failed to copy ${path} data to archive: read ${path}: ${describeError(err)}`,
          );
        }
        if (bytesRead === 0) break;
        written += bytesRead;
        yield Buffer.from(chunk.subarray(0, bytesRead));
        if (written >= st.size) break;
      }
      if (written < st.size) {
        throw new TarFileError(
          `Failed to copy ${path} data to archive: archive/tar: missed writing ${st.size - written} bytes`,
        );
      }
      const pad = padding(st.size);
      if (pad.length > 0) yield pad;
    } finally {
      await handle.close();
    }
  }
  yield Buffer.alloc(2 * BLOCK);
}
