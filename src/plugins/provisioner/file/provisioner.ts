/**
 * The `file` provisioner (Packer's provisioner/file): uploads local files and directories to the machine, or
 * downloads remote ones. Directory sources follow the trailing-slash rule (`dir/` sends the contents, `dir`
 * the directory itself); a destination ending in `/` receives a file under its own name. `content` is
 * written to a temporary file named `pkr-file-content` and uploaded like a source.
 */
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { finished } from "node:stream/promises";
import {
  type BuildInfo,
  type Communicator,
  type ConfigSpec,
  ErrorCode,
  errorMessage,
  type GeneratedData,
  KilnError,
  type PrepareResult,
  type Provisioner,
  type RunContext,
  type Ui,
  type Value,
} from "../../../sdk/index.js";
import { renderPlaceholders } from "../shell/index.js";
import { decodeFileConfig, FILE_CONFIG_SPEC, type FileConfig, localPath } from "./config.js";

/** Local reads in large chunks: fewer, bigger writes to the connection. */
const READ_CHUNK = 1 << 20;

export class FileProvisioner implements Provisioner {
  private config: FileConfig | undefined;
  private info: BuildInfo | undefined;

  configSpec(): ConfigSpec {
    return FILE_CONFIG_SPEC;
  }

  prepare(config: Value, info: BuildInfo): PrepareResult {
    const decoded = decodeFileConfig(config, info);
    this.config = decoded.config;
    this.info = info;
    return { diagnostics: decoded.diagnostics };
  }

  async provision(
    ui: Ui,
    comm: Communicator,
    generatedData: GeneratedData,
    signal: AbortSignal,
    _context: RunContext,
  ): Promise<void> {
    const config = this.config;
    const info = this.info;
    if (config === undefined || info === undefined) {
      throw new KilnError(ErrorCode.Provisioner, "file provisioner used before a successful prepare");
    }
    // `{{ build `Key` }}` of legacy templates is rendered now that the data is known.
    const render = (s: string): string => renderPlaceholders(s, generatedData, { missing: "keep" });
    const sources = config.sources.map(render);
    let tempDir: string | undefined;
    try {
      if (config.content !== "") {
        tempDir = await mkdtemp(join(tmpdir(), "kiln-file-"));
        const path = join(tempDir, "pkr-file-content");
        await writeFile(path, config.content);
        sources.push(path);
      }
      const destination = render(config.destination);
      if (config.direction === "download") await download(ui, comm, sources, destination, info, signal);
      else await upload(ui, comm, sources, destination, info, signal);
    } finally {
      if (tempDir !== undefined) await rm(tempDir, { recursive: true, force: true });
    }
  }
}

async function upload(
  ui: Ui,
  comm: Communicator,
  sources: readonly string[],
  dst: string,
  info: BuildInfo,
  signal: AbortSignal,
): Promise<void> {
  for (const src of sources) {
    ui.say(`Uploading ${src} => ${dst}`);
    const local = localPath(src, info.cwd);
    let st: Awaited<ReturnType<typeof stat>>;
    try {
      st = await stat(local);
    } catch (err) {
      throw new KilnError(ErrorCode.Provisioner, `stat ${src}: ${errorMessage(err)}`, { cause: err });
    }
    if (st.isDirectory()) {
      try {
        await comm.uploadDir(dst, local, [], signal);
      } catch (err) {
        if (!signal.aborted) ui.error(`Upload failed: ${errorMessage(err)}`);
        throw err;
      }
      continue;
    }
    const fileDst = dst.endsWith("/") ? dst + basename(local) : dst;
    const stream = createReadStream(local, { highWaterMark: READ_CHUNK });
    try {
      await comm.upload(
        fileDst,
        stream,
        { name: basename(local), size: st.size, mode: st.mode & 0o777, mtime: st.mtime },
        signal,
      );
    } catch (err) {
      if (!signal.aborted) {
        const message = errorMessage(err);
        if (message.includes("Error restoring file")) {
          ui.error(
            `Upload failed: ${message}; this can occur when your file destination is a folder without a trailing slash.`,
          );
        }
        ui.error(`Upload failed: ${message}`);
      }
      throw err;
    } finally {
      stream.destroy();
    }
  }
}

async function download(
  ui: Ui,
  comm: Communicator,
  sources: readonly string[],
  destination: string,
  info: BuildInfo,
  signal: AbortSignal,
): Promise<void> {
  for (const src of sources) {
    // Packer names the destination as written, before a file name is appended to a `dir/` destination.
    ui.say(`Downloading ${src} => ${destination}`);
    let dst = destination;
    // The local directory that must exist: the destination itself when it ends in `/`, else its parent.
    let dir = dst;
    if (!dst.endsWith("/")) dir = dirname(dir);
    else if (!src.endsWith("/") && !src.endsWith("*")) dst = join(dst, basename(src));
    if (dir !== "") await mkdir(localPath(dir, info.cwd), { recursive: true, mode: 0o755 });
    const localDst = localPath(dst, info.cwd);
    if (src.endsWith("/") || /[*?[]/.test(src)) {
      // As Packer: `dir/` arrives as `destination/dir`, a glob's matches land in `destination`.
      const remote = src.endsWith("/") ? src.replace(/\/+$/, "") || "/" : src;
      await comm.downloadDir(remote, localDst, [], signal);
      // Packer returns after the first directory source.
      return;
    }
    const out = createWriteStream(localDst, { mode: 0o644 });
    // The file opens asynchronously: an error (unwritable destination, disk full) must reach this
    // provisioner, never escape as an unhandled stream error.
    let writeError: unknown;
    out.on("error", (err) => {
      writeError ??= err;
    });
    try {
      await comm.download(src, out, signal);
      if (writeError !== undefined) throw writeError;
    } catch (err) {
      if (!signal.aborted) ui.error(`Download failed: ${errorMessage(err)}`);
      out.destroy();
      // Let the pending open/close settle before returning, so nothing touches the file afterwards.
      await finished(out).catch(() => undefined);
      throw err;
    }
    out.end();
    await finished(out);
  }
}
