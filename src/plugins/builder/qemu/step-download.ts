/**
 * StepDownload (the SDK's commonsteps.StepDownload with go-getter): makes the source image available locally.
 *  - A local path or file:// URL is used in place, after its checksum is verified.
 *  - An http(s) URL is downloaded into the cache directory as `<sha1 of the checksum>.<extension>` (or of the
 *    URL when there is no checksum), unless a file there already has the expected checksum (a cache hit).
 *    The download goes to `<target>.part`, is hashed while it streams, and is renamed into place only when the
 *    checksum matches, so an interrupted or corrupt download never looks complete. A `<target>.lock` file keeps
 *    two builds from downloading the same file at once.
 * URLs are tried in order until one works. Progress is reported every few seconds.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { open, rename, rm } from "node:fs/promises";
import { dirname, extname, join } from "node:path";
import {
  cancelledError,
  ErrorCode,
  errorMessage,
  KilnError,
  parseDuration,
  type Step,
  type StepAction,
  type Ui,
} from "../../../sdk/index.js";
import { sleepFor } from "./boot-command.js";
import {
  type ChecksumType,
  checksumFromFileText,
  checksumString,
  type FileChecksum,
  goHashType,
  hashFile,
  isRemote,
  localPath,
  sourcePathOf,
} from "./checksum.js";
import { resolvePath } from "./config.js";
import type { QemuState } from "./state.js";

/** Go's url.QueryEscape. */
export function goQueryEscape(s: string): string {
  let out = "";
  for (const byte of Buffer.from(s, "utf8")) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === " ") out += "+";
    else out += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/** The source with `?checksum=<checksum>` added, as Packer shows and hashes it. */
export function sourceWithChecksum(source: string, checksum: string): string {
  if (checksum === "" || checksum === "none") return source;
  const q = source.indexOf("?");
  const base = q >= 0 ? source.slice(0, q) : source;
  const params = new Map<string, string>();
  if (q >= 0) {
    for (const [k, v] of new URLSearchParams(source.slice(q + 1))) params.set(k, v);
  }
  params.set("checksum", checksum);
  const query = [...params.keys()]
    .sort()
    .map((k) => `${goQueryEscape(k)}=${goQueryEscape(params.get(k)!)}`)
    .join("&");
  return `${base}?${query}`;
}

/** Packer's UseSourceToFindCacheTarget: where a download of `source` is stored. */
export function cacheTarget(options: {
  readonly source: string;
  readonly checksum: string;
  readonly targetPath: string;
  readonly extension: string;
  readonly cacheDir: string;
  readonly cwd: string;
}): string {
  const hashed =
    options.checksum !== "" && options.checksum !== "none"
      ? options.checksum
      : sourceWithChecksum(options.source, options.checksum);
  const sha = createHash("sha1").update(hashed).digest("hex");
  if (options.targetPath === "") {
    return join(options.cacheDir, options.extension !== "" ? `${sha}.${options.extension}` : sha);
  }
  if (extname(options.targetPath) === "") {
    const dir = options.targetPath.endsWith("/") ? options.targetPath : `${options.targetPath}/`;
    return resolvePath(`${dir}${sha}.${options.extension !== "" ? options.extension : "iso"}`, options.cwd);
  }
  return resolvePath(options.targetPath, options.cwd);
}

/** go-getter's ChecksumError text. */
export function checksumMismatch(file: string, expected: FileChecksum, actual: string): KilnError {
  return new KilnError(
    "CHECKSUM_MISMATCH",
    `Checksums did not match for ${file}.\nExpected: ${expected.value}\nGot: ${actual}\n${goHashType(expected.type)}`,
    { hint: "Check iso_checksum, or remove the cached file if it is corrupt." },
  );
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Takes `<target>.lock`, waiting while another live process holds it. Resolves to the release function. */
export async function lockFile(path: string, signal: AbortSignal): Promise<() => void> {
  mkdirSync(dirname(path), { recursive: true });
  for (;;) {
    try {
      writeFileSync(path, String(process.pid), { flag: "wx" });
      return () => rmSync(path, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    let owner = Number.NaN;
    try {
      owner = Number(readFileSync(path, "utf8").trim());
    } catch {
      continue;
    }
    if (!(Number.isInteger(owner) && owner > 0 && processAlive(owner))) {
      rmSync(path, { force: true });
      continue;
    }
    await sleepFor(500, signal);
  }
}

function mib(n: number): string {
  return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
}

export interface StepDownloadOptions {
  readonly description: string;
  /** How often progress is reported while downloading; default 5 s. */
  readonly progressIntervalMs?: number;
}

export class StepDownload implements Step<QemuState> {
  readonly name = "StepDownload";

  constructor(private readonly options: StepDownloadOptions = { description: "ISO" }) {}

  async run(state: QemuState, signal: AbortSignal): Promise<StepAction> {
    const { config, ui } = state;
    const urls = config.isoUrls;
    if (urls.length === 0) {
      state.log.log("No URLs were provided to Step Download. Continuing...");
      return "continue";
    }
    ui.say(`Retrieving ${this.options.description}`);
    const errors: unknown[] = [];
    for (const source of urls) {
      if (signal.aborted) {
        state.error = new KilnError(
          ErrorCode.Cancelled,
          `Download cancelled: [${errors.map(errorMessage).join(" ")}]`,
        );
        return "halt";
      }
      ui.say(`Trying ${source}`);
      try {
        const dst = await this.fetchOne(state, source, signal);
        state.isoPath = dst;
        state.sourceImageUrl = source;
        return "continue";
      } catch (err) {
        if (signal.aborted) {
          state.error = cancelledError(signal.reason);
          return "halt";
        }
        errors.push(err);
      }
    }
    const err = new KilnError(
      ErrorCode.Builder,
      `error downloading ${this.options.description}: [${errors.map(errorMessage).join(" ")}]`,
      { cause: errors[errors.length - 1] },
    );
    state.error = err;
    ui.error(err.message);
    return "halt";
  }

  /** Resolves the expected checksum of `source` (reading a remote checksum file now). */
  private async checksumFor(
    state: QemuState,
    source: string,
    signal: AbortSignal,
  ): Promise<FileChecksum | undefined> {
    const spec = state.config.isoChecksumSpec;
    if (spec.kind === "none") return undefined;
    if (spec.kind === "value") return spec.checksum;
    let text: string;
    try {
      const res = await fetch(spec.location, { signal });
      if (!res.ok) throw new Error(`bad response code: ${res.status}`);
      text = await res.text();
    } catch (err) {
      if (signal.aborted) throw cancelledError(signal.reason);
      throw new KilnError(ErrorCode.Builder, `Error downloading checksum file: ${errorMessage(err)}`, {
        cause: err,
      });
    }
    const path = decodeURIComponent(new URL(spec.location).pathname);
    return checksumFromFileText(
      text,
      sourcePathOf(source, state.info.cwd),
      path,
      spec.location,
      state.info.cwd,
    );
  }

  private async fetchOne(state: QemuState, source: string, signal: AbortSignal): Promise<string> {
    const { config, ui, info } = state;
    const checksum = await this.checksumFor(state, source, signal);
    const checksumText = checksum !== undefined ? checksumString(checksum) : config.isoChecksum;
    const shown = sourceWithChecksum(source, checksum !== undefined ? checksumText : "none");
    const target = cacheTarget({
      source,
      checksum: checksum !== undefined ? checksumText : "none",
      targetPath: config.isoTargetPath,
      extension: config.isoTargetExtension,
      cacheDir: state.cacheDir,
      cwd: info.cwd,
    });
    ui.say(`Trying ${shown}`);

    if (!isRemote(source)) {
      const path = localPath(source, info.cwd);
      try {
        if (!statSync(path).isFile()) throw new Error(`source path error: ${path} is not a file`);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        const message =
          code === "ENOENT"
            ? `source path error: stat ${path}: no such file or directory`
            : errorMessage(err);
        ui.say(`Download failed ${message}`);
        throw new KilnError(ErrorCode.Builder, message, { cause: err });
      }
      if (checksum !== undefined) {
        const actual = await hashFile(path, checksum.type, signal);
        if (actual !== checksum.value) throw checksumMismatch(path, checksum, actual);
      }
      ui.say(`${shown} => ${path}`);
      return path;
    }

    const release = await lockFile(`${target}.lock`, signal);
    try {
      state.log.log(`Acquired lock for: ${shown} (${target}.lock)`);
      if (checksum !== undefined) {
        try {
          if (statSync(target).isFile()) {
            const actual = await hashFile(target, checksum.type, signal);
            if (actual === checksum.value) {
              state.log.log(`Found ${target} in the cache with the expected checksum; not downloading`);
              ui.say(`${shown} => ${target}`);
              return target;
            }
            state.log.log(`Cached ${target} has checksum ${actual}, downloading again`);
          }
        } catch {
          if (signal.aborted) throw cancelledError(signal.reason);
          // Not in the cache.
        }
      }
      try {
        await this.download(state, source, target, checksum, signal);
      } catch (err) {
        if (signal.aborted) throw cancelledError(signal.reason);
        if (err instanceof KilnError && err.code === "CHECKSUM_MISMATCH") {
          ui.say(`Checksum did not match, removing ${target}`);
        } else ui.say(`Download failed ${errorMessage(err)}`);
        throw err;
      }
      ui.say(`${shown} => ${target}`);
      return target;
    } finally {
      release();
    }
  }

  private async download(
    state: QemuState,
    source: string,
    target: string,
    checksum: FileChecksum | undefined,
    signal: AbortSignal,
  ): Promise<void> {
    const { ui, info } = state;
    mkdirSync(dirname(target), { recursive: true });
    const part = `${target}.part`;
    const readTimeout = parseDuration(info.env.PACKER_GETTER_READ_TIMEOUT ?? "30m");
    const idleMs = readTimeout.ok ? readTimeout.value.milliseconds : 30 * 60_000;
    const local = new AbortController();
    const onAbort = (): void => local.abort(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    let idle: NodeJS.Timeout | undefined;
    const touch = (): void => {
      if (idle !== undefined) clearTimeout(idle);
      idle = setTimeout(() => local.abort(new Error("read timeout")), idleMs);
    };
    const hash = createHash((checksum?.type ?? "sha256") as ChecksumType);
    const file = await open(part, "w");
    let ok = false;
    try {
      touch();
      let res: Response;
      try {
        res = await fetch(source, { signal: local.signal, headers: { "User-Agent": "Packer" } });
      } catch (err) {
        const cause = (err as { cause?: { message?: string } }).cause?.message;
        throw new KilnError(ErrorCode.Builder, `Get "${source}": ${cause ?? errorMessage(err)}`, {
          cause: err,
        });
      }
      if (!res.ok || res.body === null) {
        throw new KilnError(ErrorCode.Builder, `bad response code: ${res.status}`);
      }
      const total = Number(res.headers.get("content-length") ?? "0");
      let received = 0;
      const interval = this.options.progressIntervalMs ?? 5000;
      let lastReport = Date.now();
      const started = Date.now();
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        touch();
        hash.update(chunk);
        await file.write(chunk);
        received += chunk.length;
        if (Date.now() - lastReport >= interval) {
          lastReport = Date.now();
          progress(ui, source, received, total);
        }
      }
      await file.sync();
      state.log.log(`Downloaded ${received} bytes of ${source} in ${Date.now() - started} ms`);
      if (checksum !== undefined) {
        const actual = hash.digest("hex");
        if (actual !== checksum.value) throw checksumMismatch(target, checksum, actual);
      }
      ok = true;
    } catch (err) {
      if (signal.aborted) throw cancelledError(signal.reason);
      throw err;
    } finally {
      if (idle !== undefined) clearTimeout(idle);
      signal.removeEventListener("abort", onAbort);
      await file.close();
      if (ok) await rename(part, target);
      else await rm(part, { force: true });
    }
  }
}

function progress(ui: Ui, source: string, received: number, total: number): void {
  const pct = total > 0 ? ` (${Math.floor((received * 100) / total)}%)` : "";
  const of = total > 0 ? ` of ${mib(total)}` : "";
  ui.message(`Downloading ${source}: ${mib(received)}${of}${pct}`);
}

/**
 * stepSetISO (iso_skip_cache): no download; the first URL whose server answers HEAD with 2xx and
 * `Accept-Ranges: bytes` is handed to QEMU, which reads it over HTTP.
 */
export class StepSetIso implements Step<QemuState> {
  readonly name = "stepSetISO";

  async run(state: QemuState, signal: AbortSignal): Promise<StepAction> {
    let isoPath = "";
    for (const url of state.config.isoUrls) {
      try {
        const res = await fetch(url, { method: "HEAD", signal, headers: { "User-Agent": "Packer" } });
        if (res.status >= 200 && res.status < 300 && res.headers.get("accept-ranges") === "bytes")
          isoPath = url;
      } catch {
        if (signal.aborted) return "halt";
      }
    }
    if (isoPath === "") {
      const err = new KilnError(
        ErrorCode.Builder,
        "No byte serving support. The HTTP server must support Accept-Ranges=bytes",
      );
      state.error = err;
      state.ui.error(err.message);
      return "halt";
    }
    state.isoPath = isoPath;
    return "continue";
  }
}
