/**
 * What the docker builder and post-processors ask of the engine (the plugin's Driver), over the Engine API:
 * pull/push with registry credentials and the CLI's progress lines, login, run, commit, export, import, tag,
 * save, image removal. Failures are KilnErrors whose message is the engine's own, wrapped the way the plugin
 * wraps the CLI's (`Error committing container: ...`).
 */
import { createWriteStream } from "node:fs";
import { pipeline } from "node:stream/promises";
import {
  apiName,
  createDockerClient,
  type DialOptions,
  type DockerClient,
  dockerErrorMessage,
  dockerErrorStatus,
} from "../../../communicator/index.js";
import { cancelledError, ErrorCode, KilnError, type Logger, noopLogger } from "../../../sdk/index.js";
import { followMessages } from "./progress.js";
import { type AuthConfig, canonicalReference, parseReference } from "./reference.js";

/** The engine's image inspect fields the builder reads. */
export interface ImageInfo {
  readonly Id: string;
  readonly RepoDigests?: readonly string[];
  readonly RepoTags?: readonly string[];
  readonly Config?: {
    readonly Cmd?: readonly string[] | null;
    readonly Entrypoint?: readonly string[] | null;
    readonly User?: string;
  } | null;
}

export interface ContainerInfo {
  readonly Id: string;
  readonly Config?: { readonly User?: string } | null;
  readonly NetworkSettings?: { readonly IPAddress?: string } | null;
  readonly State?: { readonly Running?: boolean } | null;
}

/** The engine's words for a failure: a KilnError's message, or the API error's engine message. */
export function engineMessage(err: unknown): string {
  return err instanceof KilnError ? err.message : dockerErrorMessage(err);
}

export class Engine {
  readonly docker: DockerClient;
  private readonly log: Logger;

  constructor(docker: DockerClient, log: Logger = noopLogger) {
    this.docker = docker;
    this.log = log;
  }

  static fromEnv(env: Readonly<Record<string, string | undefined>>, log?: Logger): Engine {
    return new Engine(createDockerClient(env), log);
  }

  /** One API call (the client's dial). */
  dial<T>(options: DialOptions): Promise<T> {
    return this.docker.dial<T>(options);
  }

  /** Runs an API call, turning its failure into `<prefix><engine message>` (or a cancellation). */
  async call<T>(prefix: string, signal: AbortSignal | undefined, f: () => Promise<T>): Promise<T> {
    try {
      return await f();
    } catch (err) {
      if (signal?.aborted) throw cancelledError(signal.reason);
      if (err instanceof KilnError) throw err;
      throw new KilnError(ErrorCode.Builder, `${prefix}${dockerErrorMessage(err)}`, {
        cause: err,
        data: { status: dockerErrorStatus(err) },
      });
    }
  }

  async inspectImage(ref: string, signal?: AbortSignal): Promise<ImageInfo> {
    return this.call("", signal, () =>
      this.dial<ImageInfo>({
        path: `/images/${apiName(ref)}/json`,
        method: "GET",
        statusCodes: { 200: true, 404: "no such image", 500: "server error" },
        ...(signal !== undefined ? { signal } : {}),
      }),
    );
  }

  async inspectContainer(id: string, signal?: AbortSignal): Promise<ContainerInfo> {
    return this.call("Failed to inspect the container: ", signal, () =>
      this.dial<ContainerInfo>({
        path: `/containers/${apiName(id)}/json`,
        method: "GET",
        statusCodes: { 200: true, 404: "no such container", 500: "server error" },
        ...(signal !== undefined ? { signal } : {}),
      }),
    );
  }

  /**
   * `docker pull`: streams the CLI's progress lines to `onLine`, then prints the pulled reference as the CLI
   * does. Rejects with the engine's message.
   */
  async pull(
    ref: string,
    options: { platform?: string; auth: AuthConfig; onLine: (line: string) => void },
    signal: AbortSignal,
  ): Promise<void> {
    const parsed = parseReference(ref);
    const tag = parsed.digest ?? parsed.tag;
    if (tag === undefined) options.onLine("Using default tag: latest");
    const stream = await this.call("", signal, () =>
      this.dial<NodeJS.ReadableStream>({
        path: "/images/create",
        method: "POST",
        query: {
          fromImage: parsed.repository,
          tag: tag ?? "latest",
          ...(options.platform ? { platform: options.platform } : {}),
        },
        authconfig: options.auth,
        isStream: true,
        statusCodes: { 200: true, 404: "no such image", 500: "server error" },
        signal,
      }),
    );
    await this.call("", signal, () => followMessages(stream, { onLine: options.onLine }));
    options.onLine(canonicalReference(ref));
  }

  /**
   * `docker push <ref>` (tag `latest` when none is given); progress lines go to `onLine`. Resolves to the
   * pushed manifest's digest when the engine reported it.
   */
  async push(
    ref: string,
    options: { platform?: string; auth: AuthConfig; onLine: (line: string) => void },
    signal: AbortSignal,
  ): Promise<string | undefined> {
    const parsed = parseReference(ref);
    let digest: string | undefined;
    const stream = await this.call("", signal, () =>
      this.dial<NodeJS.ReadableStream>({
        path: `/images/${apiName(parsed.repository)}/push`,
        method: "POST",
        query: { tag: parsed.tag ?? "latest", ...(options.platform ? { platform: options.platform } : {}) },
        authconfig: options.auth,
        isStream: true,
        statusCodes: { 200: true, 404: "no such image", 500: "server error" },
        signal,
      }),
    );
    await this.call("", signal, () =>
      followMessages(stream, {
        onLine: options.onLine,
        onAux: (aux) => {
          const d = (aux as { Digest?: unknown } | null)?.Digest;
          if (typeof d === "string") digest = d;
        },
      }),
    );
    return digest;
  }

  /** `docker login`: checks the credentials with the registry; resolves to the engine's status line. */
  async login(server: string, username: string, password: string, signal: AbortSignal): Promise<string> {
    const res = await this.call("", signal, () =>
      this.dial<{ Status?: string }>({
        path: "/auth",
        method: "POST",
        body: { username, password, serveraddress: server },
        statusCodes: { 200: true, 204: true, 401: "unauthorized", 500: "server error" },
        signal,
      }),
    );
    return res?.Status ?? "Login Succeeded";
  }

  /** `docker start`. */
  async startContainer(containerId: string, signal: AbortSignal): Promise<void> {
    await this.call("", signal, () =>
      this.dial({
        path: `/containers/${apiName(containerId)}/start`,
        method: "POST",
        statusCodes: { 204: true, 304: true, 404: "no such container", 500: "server error" },
        signal,
      }),
    );
  }

  /**
   * `docker commit`: resolves to the new image's id (`sha256:...`). The call is not cut short by `signal`
   * (an image the engine finished after the request was dropped would be left behind): when it fired
   * meanwhile, the new image is removed again and the commit rejects as cancelled.
   */
  async commit(
    containerId: string,
    options: { author: string; changes: readonly string[]; message: string },
    signal: AbortSignal,
  ): Promise<string> {
    if (signal.aborted) throw cancelledError(signal.reason);
    const res = await this.call("Error committing container: ", undefined, () =>
      this.dial<{ Id: string }>({
        path: "/commit",
        method: "POST",
        query: {
          container: containerId,
          ...(options.author !== "" ? { author: options.author } : {}),
          ...(options.message !== "" ? { comment: options.message } : {}),
          ...(options.changes.length > 0 ? { changes: [...options.changes] } : {}),
          pause: true,
        },
        statusCodes: {
          200: true,
          201: true,
          400: "bad parameter",
          404: "no such container",
          500: "server error",
        },
      }),
    );
    if (signal.aborted) {
      await this.removeImage(res.Id).catch(() => {});
      throw cancelledError(signal.reason);
    }
    return res.Id;
  }

  /** `docker export`: writes the container's filesystem as a tar to `path`. */
  async exportContainer(containerId: string, path: string, signal: AbortSignal): Promise<void> {
    await this.call("Error exporting: ", signal, async () => {
      const stream = await this.dial<NodeJS.ReadableStream>({
        path: `/containers/${apiName(containerId)}/export`,
        method: "GET",
        isStream: true,
        statusCodes: { 200: true, 404: "no such container", 500: "server error" },
        signal,
      });
      await pipeline(stream, createWriteStream(path), { signal });
    });
  }

  /** `docker import - <repo>`: resolves to the imported image's id. */
  async importImage(
    file: NodeJS.ReadableStream,
    options: { repo: string; changes: readonly string[]; platform: string },
    signal: AbortSignal,
  ): Promise<string> {
    let id = "";
    const stream = await this.call("Error importing container: ", signal, () =>
      this.dial<NodeJS.ReadableStream>({
        path: "/images/create",
        method: "POST",
        query: {
          fromSrc: "-",
          ...(options.repo !== "" ? { repo: options.repo } : {}),
          ...(options.changes.length > 0 ? { changes: [...options.changes] } : {}),
          ...(options.platform !== "" ? { platform: options.platform } : {}),
        },
        file,
        headers: { "Content-Type": "application/x-tar" },
        isStream: true,
        statusCodes: {
          200: true,
          400: "bad parameter",
          404: "repository does not exist",
          500: "server error",
        },
        signal,
      }),
    );
    await this.call("Error importing container: ", signal, () =>
      followMessages(stream, {
        onMessage: (jm) => {
          if (jm.status?.startsWith("sha256:")) id = jm.status;
        },
      }),
    );
    return id;
  }

  /** `docker tag <id> <ref>`. */
  async tag(source: string, ref: string, signal: AbortSignal): Promise<void> {
    const parsed = parseReference(ref);
    await this.call("Error tagging image: ", signal, () =>
      this.dial({
        path: `/images/${apiName(source)}/tag`,
        method: "POST",
        query: { repo: parsed.repository, ...(parsed.tag !== undefined ? { tag: parsed.tag } : {}) },
        statusCodes: {
          200: true,
          201: true,
          400: "bad parameter",
          404: "no such image",
          409: "conflict",
          500: "server error",
        },
        signal,
      }),
    );
  }

  /** `docker save <ref>`: writes the image tarball to `path`. */
  async saveImage(ref: string, path: string, signal: AbortSignal): Promise<void> {
    await this.call("Error exporting: ", signal, async () => {
      const stream = await this.dial<NodeJS.ReadableStream>({
        path: `/images/${apiName(ref)}/get`,
        method: "GET",
        isStream: true,
        statusCodes: { 200: true, 404: "no such image", 500: "server error" },
        signal,
      });
      await pipeline(stream, createWriteStream(path), { signal });
    });
  }

  /** `docker rmi <ref>`. */
  async removeImage(ref: string, signal?: AbortSignal): Promise<void> {
    this.log.log(`Deleting image: ${ref}`);
    await this.call("Error deleting image: ", signal, () =>
      this.dial({
        path: `/images/${apiName(ref)}`,
        method: "DELETE",
        statusCodes: { 200: true, 404: "no such image", 409: "conflict", 500: "server error" },
        ...(signal !== undefined ? { signal } : {}),
      }),
    );
  }

  /** `docker kill` and `docker rm` (with its anonymous volumes) in one call; a container already gone is fine. */
  async killAndRemove(containerId: string): Promise<void> {
    try {
      await this.dial({
        path: `/containers/${apiName(containerId)}`,
        method: "DELETE",
        query: { force: true, v: true },
        statusCodes: {
          200: true,
          204: true,
          400: "bad parameter",
          404: "no such container",
          409: "conflict",
          500: "server error",
        },
      });
    } catch (err) {
      if (dockerErrorStatus(err) !== 404) this.log.log(`rm ${containerId}: ${dockerErrorMessage(err)}`);
    }
  }
}
