/**
 * iso_checksum as go-getter understands it: `none`; `<type>:<hex>` (md5, sha1, sha256, sha512; the type is
 * case-insensitive); a bare hex value whose length gives the type; or `file:<path or URL>`, a checksum file in
 * GNU (`<hex>  <name>`, `<hex> *<name>`) or BSD (`SHA256 (<name>) = <hex>`) format, searched for the line
 * naming the source file. Errors carry go-getter's texts.
 */
import { createHash } from "node:crypto";
import { createReadStream, readFileSync } from "node:fs";
import { basename, dirname, isAbsolute, relative, resolve } from "node:path";
import { cancelledError, goQuote } from "../../../sdk/index.js";

export type ChecksumType = "md5" | "sha1" | "sha256" | "sha512";

export interface FileChecksum {
  readonly type: ChecksumType;
  /** Lower-case hex. */
  readonly value: string;
}

const SIZES: ReadonlyMap<number, ChecksumType> = new Map([
  [16, "md5"],
  [20, "sha1"],
  [32, "sha256"],
  [64, "sha512"],
]);

export class ChecksumSpecError extends Error {
  override readonly name = "ChecksumSpecError";
}

/** Go's %#U of a byte: `U+006F 'o'` (printable) or `U+0007`. */
function goUnicode(byte: number): string {
  const hex = `U+${byte.toString(16).toUpperCase().padStart(4, "0")}`;
  const printable = byte >= 0x20 && byte !== 0x7f && (byte < 0x80 || byte >= 0xa0);
  return printable ? `${hex} '${String.fromCharCode(byte)}'` : hex;
}

/** Go's hex.DecodeString, with its error texts. */
export function decodeHex(text: string): string {
  const bytes = Buffer.from(text, "utf8");
  const isHex = (b: number): boolean =>
    (b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x66) || (b >= 0x41 && b <= 0x46);
  const pairs = Math.floor(bytes.length / 2);
  for (let i = 0; i < pairs * 2; i++) {
    if (!isHex(bytes[i]!)) throw new ChecksumSpecError(`encoding/hex: invalid byte: ${goUnicode(bytes[i]!)}`);
  }
  if (bytes.length % 2 === 1) {
    const last = bytes[bytes.length - 1]!;
    if (!isHex(last)) throw new ChecksumSpecError(`encoding/hex: invalid byte: ${goUnicode(last)}`);
    throw new ChecksumSpecError("encoding/hex: odd length hex string");
  }
  return text.toLowerCase();
}

function fromType(type: string, value: string): FileChecksum {
  let hex: string;
  try {
    hex = decodeHex(value);
  } catch (err) {
    throw new ChecksumSpecError(`invalid checksum: ${(err as Error).message}`);
  }
  const t = type.toLowerCase();
  if (t !== "md5" && t !== "sha1" && t !== "sha256" && t !== "sha512") {
    throw new ChecksumSpecError(`unsupported checksum type: ${type}`);
  }
  return { type: t, value: hex };
}

function fromValue(value: string): FileChecksum {
  let hex: string;
  try {
    hex = decodeHex(value);
  } catch (err) {
    throw new ChecksumSpecError(`invalid checksum: ${(err as Error).message}`);
  }
  const type = SIZES.get(hex.length / 2);
  if (type === undefined) throw new ChecksumSpecError(`Unknown type for checksum ${value}`);
  return { type, value: hex };
}

/** A parsed iso_checksum: nothing to check, a value, or a checksum file to read. */
export type ChecksumSpec =
  | { readonly kind: "none" }
  | { readonly kind: "value"; readonly checksum: FileChecksum }
  | { readonly kind: "file"; readonly location: string };

/** Parses iso_checksum (not reading checksum files). Throws ChecksumSpecError with go-getter's text. */
export function parseChecksumSpec(spec: string): ChecksumSpec {
  if (spec === "none") return { kind: "none" };
  const colon = spec.indexOf(":");
  if (colon < 0) return { kind: "value", checksum: fromValue(spec) };
  const type = spec.slice(0, colon);
  const value = spec.slice(colon + 1);
  if (type === "file") return { kind: "file", location: value };
  return { kind: "value", checksum: fromType(type, value) };
}

/** `type:hex`, as go-getter's FileChecksum.String(). */
export function checksumString(c: FileChecksum): string {
  return `${c.type}:${c.value}`;
}

/** One line of a checksum file: the checksum and the file name it is for ("" for any). */
function parseChecksumLine(line: string): { checksum: FileChecksum; filename: string } | undefined {
  const parts = line
    .trim()
    .split(/\s+/)
    .filter((p) => p !== "");
  try {
    if (parts.length === 4) {
      const name = parts[1]!;
      if (name.length <= 2 || !name.startsWith("(") || !name.endsWith(")")) return undefined;
      return { checksum: fromType(parts[0]!, parts[3]!), filename: name.slice(1, -1) };
    }
    if (parts.length === 2) return { checksum: fromValue(parts[0]!), filename: parts[1]! };
    if (parts.length === 0) return undefined;
    return { checksum: fromValue(parts[0]!), filename: "" };
  } catch {
    return undefined;
  }
}

/**
 * Finds the checksum of `sourcePath` in the text of a checksum file found at `checksumFilePath` (go-getter's
 * ChecksumFromFile): the first line naming the file (by base name, `*name`, `?name`, its path relative to the
 * checksum file, `./relative` or its absolute path), or naming no file.
 */
export function checksumFromFileText(
  text: string,
  sourcePath: string,
  checksumFilePath: string,
  location: string,
  cwd: string,
): FileChecksum {
  const filename = basename(sourcePath);
  const absPath = isAbsolute(sourcePath) ? sourcePath : resolve(cwd, sourcePath);
  const rel = relative(dirname(checksumFilePath), absPath);
  const options = [filename, `*${filename}`, `?${filename}`, rel, `./${rel}`, absPath];
  for (const line of text.split("\n")) {
    const parsed = parseChecksumLine(line);
    if (parsed === undefined) continue;
    if (parsed.filename === "" || options.includes(parsed.filename)) return parsed.checksum;
  }
  throw new ChecksumSpecError(`no checksum found in: ${location}`);
}

/** Is `location` a URL with a network scheme (http, https)? */
export function isRemote(location: string): boolean {
  return /^https?:\/\//i.test(location);
}

/** The local path of a path or file:// URL. */
export function localPath(location: string, cwd: string): string {
  let p = location;
  if (/^file:\/\//i.test(p)) p = decodeURIComponent(new URL(p).pathname);
  else if (/^file:/i.test(p)) p = p.slice(5);
  return isAbsolute(p) ? p : resolve(cwd, p);
}

/** Reads a local checksum file for `source` (Prepare-time resolution, as Packer does). */
export function checksumFromLocalFile(location: string, source: string, cwd: string): FileChecksum {
  const path = localPath(location, cwd);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file or directory" : (err as Error).message;
    throw new ChecksumSpecError(`Error downloading checksum file: source path error: stat ${path}: ${why}`);
  }
  return checksumFromFileText(text, sourcePathOf(source, cwd), path, location, cwd);
}

/** The path part of a source (URL path or local path) used to find its line in a checksum file. */
export function sourcePathOf(source: string, cwd: string): string {
  if (isRemote(source)) return decodeURIComponent(new URL(source).pathname);
  return localPath(source, cwd);
}

/** The error text Packer's ISOConfig gives a checksum problem: `<error> in "<iso_checksum>"`. */
export function checksumSpecMessage(err: unknown, spec: string): string {
  return `${(err as Error).message} in ${goQuote(spec)}`;
}

/** Hashes a file; rejects with a cancellation when `signal` fires. */
export function hashFile(path: string, type: ChecksumType, signal: AbortSignal): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    if (signal.aborted) {
      reject(cancelledError(signal.reason));
      return;
    }
    const hash = createHash(type);
    const stream = createReadStream(path, { highWaterMark: 1 << 20 });
    const onAbort = (): void => {
      stream.destroy();
      reject(cancelledError(signal.reason));
    };
    signal.addEventListener("abort", onAbort, { once: true });
    stream.on("data", (chunk) => hash.update(chunk));
    stream.on("error", (err) => {
      signal.removeEventListener("abort", onAbort);
      reject(err);
    });
    stream.on("end", () => {
      signal.removeEventListener("abort", onAbort);
      resolvePromise(hash.digest("hex"));
    });
  });
}

/** Go's `%T` of the hash go-getter names in a mismatch (`*sha256.digest`). */
export function goHashType(type: ChecksumType): string {
  switch (type) {
    case "md5":
      return "*md5.digest";
    case "sha1":
      return "*sha1.digest";
    case "sha256":
      return "*sha256.digest";
    case "sha512":
      return "*sha512.digest";
  }
}
