/**
 * The `docker` communicator (Packer's docker plugin Communicator), over the Engine API instead of the docker
 * CLI:
 * - commands run as `/bin/sh -c "(<command>)"` through the exec API (`docker exec -i [-t] [-u exec_user]`),
 *   output streamed and exit status reported;
 * - a file upload is a one-entry tar extracted into the destination's directory (`docker cp - ctr:dir`);
 * - a directory upload follows `docker cp src[/.] ctr:dst`: `src/` copies the contents into `dst`, `src`
 *   copies the directory into `dst/src` when `dst` exists, or makes `dst` a copy of it when it does not;
 * - with fix_upload_owner, uploaded paths are given to the container's user (`chown -R`, as root) when that
 *   user is not root;
 * - a download streams the file out of the archive API; a directory download unpacks the tree locally.
 */
import { createReadStream, createWriteStream } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, posix } from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import {
  type Communicator,
  cancelledError,
  ErrorCode,
  errorMessage,
  type FileInfo,
  KilnError,
  type Logger,
  noopLogger,
  type RemoteCommand,
  type RemoteCommandResult,
  throwIfAborted,
} from "../../sdk/index.js";
import { excludeMatcher } from "../exclude.js";
import { apiName, type DockerClient, dockerErrorMessage, dockerErrorStatus } from "./client.js";
import { dockerExec } from "./exec.js";
import { firstEntryInto, packDirectory, packFile, unpackInto } from "./tar.js";

export interface DockerCommunicatorOptions {
  readonly docker: DockerClient;
  readonly containerId: string;
  /** exec_user: the user commands run as (`docker exec -u`); empty: the container's user. */
  readonly execUser?: string;
  /** pty: run commands with a TTY (`docker exec -t`). */
  readonly pty?: boolean;
  /** fix_upload_owner (default true): chown uploads to the container's user. */
  readonly fixUploadOwner?: boolean;
  /** The container's configured user (`.Config.User`); empty means root. */
  readonly containerUser?: string;
  /** Where uploads of unknown size are staged on the host; default the system temp directory. */
  readonly stagingDir?: string;
  /** What runs a command line; default `/bin/sh -c`. */
  readonly entryPoint?: readonly string[];
  readonly log?: Logger;
}

/** Go's os.ModeDir and os.ModeSymlink bits, as the engine reports them in a path stat. */
const MODE_DIR = 2 ** 31;
const MODE_SYMLINK = 2 ** 27;

interface PathStat {
  readonly name: string;
  readonly mode: number;
  readonly linkTarget: string;
}

export class DockerCommunicator implements Communicator {
  readonly containerId: string;
  private readonly docker: DockerClient;
  private readonly log: Logger;

  constructor(private readonly options: DockerCommunicatorOptions) {
    this.docker = options.docker;
    this.containerId = options.containerId;
    this.log = options.log ?? noopLogger;
  }

  private archivePath(): string {
    return `/containers/${apiName(this.containerId)}/archive`;
  }

  /** PUT /containers/{id}/archive: extracts `archive` into the container directory `path`. */
  private putArchive(archive: NodeJS.ReadableStream, path: string, signal: AbortSignal): Promise<unknown> {
    return this.docker.dial({
      path: this.archivePath(),
      method: "PUT",
      query: { path, noOverwriteDirNonDir: "true" },
      file: archive,
      headers: { "Content-Type": "application/x-tar" },
      statusCodes: {
        200: true,
        400: "bad parameter",
        403: "permission denied",
        404: "no such container or path",
        500: "server error",
      },
      signal,
    });
  }

  /** GET /containers/{id}/archive: a tar of the container path `path`. */
  private getArchive(path: string, signal: AbortSignal): Promise<NodeJS.ReadableStream> {
    return this.docker.dial<NodeJS.ReadableStream>({
      path: this.archivePath(),
      method: "GET",
      query: { path },
      isStream: true,
      statusCodes: { 200: true, 400: "bad parameter", 404: "no such container or path", 500: "server error" },
      signal,
    });
  }

  async start(command: RemoteCommand, signal: AbortSignal): Promise<RemoteCommandResult> {
    const entryPoint = this.options.entryPoint ?? ["/bin/sh", "-c"];
    const cmd = [...entryPoint, `(${command.command})`];
    this.log.log(`Executing in container ${this.containerId}: ${cmd.join(" ")}`);
    const exitStatus = await dockerExec(
      this.docker,
      this.containerId,
      {
        cmd,
        ...(this.options.execUser ? { user: this.options.execUser } : {}),
        tty: this.options.pty ?? false,
        ...(command.stdin !== undefined ? { stdin: command.stdin } : {}),
        ...(command.stdout !== undefined ? { stdout: command.stdout } : {}),
        ...(command.stderr !== undefined ? { stderr: command.stderr } : {}),
      },
      signal,
    );
    this.log.log(`Command in container ${this.containerId} exited with status ${exitStatus}`);
    return { exitStatus };
  }

  async upload(
    destination: string,
    source: NodeJS.ReadableStream,
    info: FileInfo | undefined,
    signal: AbortSignal,
  ): Promise<void> {
    throwIfAborted(signal);
    if (info?.size === undefined) {
      // A tar entry needs its size up front: stage the stream in a file first (Packer does the same). The
      // staged file's mode (0600, a temp file's) is what Packer uploads when it is given no file info.
      const dir = await mkdtemp(join(this.options.stagingDir ?? tmpdir(), "upload"));
      try {
        const staged = join(dir, "upload");
        await pipeline(source as unknown as Readable, createWriteStream(staged, { mode: 0o600 }), { signal });
        const st = await stat(staged);
        await this.uploadFile(
          destination,
          createReadStream(staged),
          { size: st.size, mode: info?.mode ?? 0o600, mtime: info?.mtime ?? st.mtime },
          signal,
        );
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
      return;
    }
    await this.uploadFile(
      destination,
      source,
      { size: info.size, mode: info.mode ?? 0o644, mtime: info.mtime ?? new Date() },
      signal,
    );
  }

  private async uploadFile(
    destination: string,
    source: NodeJS.ReadableStream,
    info: { size: number; mode: number; mtime: Date },
    signal: AbortSignal,
  ): Promise<void> {
    this.log.log(`Copying to ${destination} on container ${this.containerId}.`);
    const job = await packFile({ name: posix.basename(destination), ...info }, source);
    try {
      await Promise.all([this.putArchive(job.stream, posix.dirname(destination), signal), job.done]);
    } catch (err) {
      job.stream.destroy();
      if (signal.aborted) throw cancelledError(signal.reason);
      throw this.uploadError(destination, err);
    }
    await this.fixDestinationOwner(destination, signal);
  }

  async uploadDir(
    destination: string,
    source: string,
    exclude: readonly string[],
    signal: AbortSignal,
  ): Promise<void> {
    throwIfAborted(signal);
    const contents = source.endsWith("/");
    const localDir = contents ? source.replace(/\/+$/, "") || "/" : source;
    try {
      const st = await stat(localDir);
      if (!st.isDirectory()) throw new Error(`${source} is not a directory`);
    } catch (err) {
      throw this.uploadError(destination, err);
    }

    let target = destination;
    let dst = await this.statPath(target, signal);
    if (dst !== undefined && dst.mode & MODE_SYMLINK) {
      const link = dst.linkTarget;
      target = posix.isAbsolute(link) ? link : posix.join(posix.dirname(target), link);
      dst = await this.statPath(target, signal);
    }

    // Where the archive is extracted, and the name its top entries get.
    let extractDir: string;
    let prefix: string;
    if (dst !== undefined) {
      if (!(dst.mode & MODE_DIR)) {
        throw this.uploadError(destination, new Error("cannot copy a directory to a file"));
      }
      extractDir = target;
      prefix = contents ? "" : posix.basename(localDir);
    } else {
      extractDir = posix.dirname(target.replace(/\/+$/, "")) || "/";
      prefix = posix.basename(target.replace(/\/+$/, ""));
    }

    this.log.log(`Copying directory ${source} to ${destination} on container ${this.containerId}.`);
    const job = await packDirectory(localDir, prefix, excludeMatcher(exclude));
    try {
      await Promise.all([this.putArchive(job.stream, extractDir, signal), job.done]);
    } catch (err) {
      job.stream.destroy();
      if (signal.aborted) throw cancelledError(signal.reason);
      throw this.uploadError(destination, err);
    }
    await this.fixDestinationOwner(destination, signal);
  }

  async download(source: string, destination: NodeJS.WritableStream, signal: AbortSignal): Promise<void> {
    throwIfAborted(signal);
    this.log.log(`Downloading file from container: ${this.containerId}:${source}`);
    let archive: NodeJS.ReadableStream;
    try {
      archive = await this.getArchive(source, signal);
    } catch (err) {
      if (signal.aborted) throw cancelledError(signal.reason);
      throw new KilnError(ErrorCode.Communicator, `Error downloading file: ${dockerErrorMessage(err)}`, {
        cause: err,
      });
    }
    try {
      await firstEntryInto(archive, destination);
    } catch (err) {
      if (signal.aborted) throw cancelledError(signal.reason);
      throw new KilnError(
        ErrorCode.Communicator,
        `Failed to download '${source}' from container: ${errorMessage(err)}`,
        {
          cause: err,
        },
      );
    }
  }

  async downloadDir(
    source: string,
    destination: string,
    exclude: readonly string[],
    signal: AbortSignal,
  ): Promise<void> {
    throwIfAborted(signal);
    const contents = source.endsWith("/");
    const remote = contents ? source.replace(/\/+$/, "") || "/" : source;
    this.log.log(`Downloading directory from container: ${this.containerId}:${source}`);
    let archive: NodeJS.ReadableStream;
    try {
      archive = await this.getArchive(remote, signal);
    } catch (err) {
      if (signal.aborted) throw cancelledError(signal.reason);
      throw new KilnError(ErrorCode.Communicator, `Error downloading directory: ${dockerErrorMessage(err)}`, {
        cause: err,
      });
    }
    const strip = contents;
    const matcher = excludeMatcher(exclude);
    try {
      await unpackInto(archive, destination, {
        stripFirst: strip,
        // Exclusions are relative to the downloaded directory, whose own name leads each entry unless stripped.
        exclude: strip ? matcher : (name) => name.includes("/") && matcher(name.slice(name.indexOf("/") + 1)),
      });
    } catch (err) {
      if (signal.aborted) throw cancelledError(signal.reason);
      throw new KilnError(
        ErrorCode.Communicator,
        `Failed to download '${source}' from container: ${errorMessage(err)}`,
        {
          cause: err,
        },
      );
    }
  }

  /** The owner fix_upload_owner gives uploads: the container's user, or root. */
  private owner(): string {
    return this.options.containerUser || "root";
  }

  /**
   * Packer's fixDestinationOwner: `chown -R <owner> <destination>` as root (run directly, no shell). When the
   * owner is root there is nothing to fix (the engine extracts as root), and kiln does not run it: Packer's
   * `chown -R root` would also take over what provisioners had given other users below an existing directory.
   */
  private async fixDestinationOwner(destination: string, signal: AbortSignal): Promise<void> {
    if (this.options.fixUploadOwner === false || this.owner() === "root") return;
    const output: Buffer[] = [];
    const collect = {
      write: (chunk: Buffer) => output.push(Buffer.from(chunk)),
    } as unknown as NodeJS.WritableStream;
    let status: number;
    try {
      status = await dockerExec(
        this.docker,
        this.containerId,
        {
          cmd: ["chown", "-R", this.owner(), destination],
          user: "root",
          stdout: collect,
          stderr: collect,
        },
        signal,
      );
    } catch (err) {
      if (signal.aborted) throw cancelledError(signal.reason);
      throw new KilnError(
        ErrorCode.Communicator,
        `Failed to set owner of the uploaded file: ${errorMessage(err)}, `,
        {
          cause: err,
        },
      );
    }
    if (status !== 0) {
      throw new KilnError(
        ErrorCode.Communicator,
        `Failed to set owner of the uploaded file: exit status ${status}, ${Buffer.concat(output).toString("utf8")}`,
        {
          hint: "Set fix_upload_owner = false if the container has no chown, or set exec_user to its owner.",
        },
      );
    }
  }

  /** The engine's stat of a container path, or undefined when it does not exist. */
  private async statPath(path: string, signal: AbortSignal): Promise<PathStat | undefined> {
    let res: { headers: Record<string, string | string[] | undefined>; resume(): void };
    try {
      res = await this.docker.dial<typeof res>({
        path: this.archivePath(),
        method: "HEAD",
        query: { path },
        isStream: true,
        statusCodes: {
          200: true,
          400: "bad parameter",
          404: "no such container or path",
          500: "server error",
        },
        signal,
      });
    } catch (err) {
      if (dockerErrorStatus(err) === 404) return undefined;
      if (signal.aborted) throw cancelledError(signal.reason);
      throw this.uploadError(path, err);
    }
    // A HEAD response has no body, but its connection is only released once the response is read.
    res.resume();
    const header = res.headers["x-docker-container-path-stat"];
    const text = Buffer.from(String(header ?? ""), "base64").toString("utf8");
    try {
      const parsed = JSON.parse(text) as { name?: string; mode?: number; linkTarget?: string };
      return { name: parsed.name ?? "", mode: parsed.mode ?? 0, linkTarget: parsed.linkTarget ?? "" };
    } catch {
      return { name: posix.basename(path), mode: 0, linkTarget: "" };
    }
  }

  private uploadError(destination: string, err: unknown): KilnError {
    const reason = err instanceof Error && !("statusCode" in err) ? err.message : dockerErrorMessage(err);
    return new KilnError(
      ErrorCode.Communicator,
      `Failed to upload to '${destination}' in container: ${reason}.`,
      {
        cause: err,
      },
    );
  }
}
