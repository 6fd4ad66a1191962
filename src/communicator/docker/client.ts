/**
 * The Docker Engine API client: docker-modem (dockerode's HTTP transport: unix socket, TCP with TLS, SSH,
 * hijacked exec streams, X-Registry-Auth) with the few typed calls kiln makes. dockerode itself is not loaded:
 * its BuildKit session support pulls gRPC and protobuf in at import, about 100 ms at every start.
 *
 * The connection is configured from a run's environment the way the docker CLI reads it: DOCKER_HOST
 * (`unix://`, `tcp://`, `ssh://`; default the local socket), DOCKER_TLS_VERIFY and DOCKER_CERT_PATH for TLS,
 * DOCKER_API_VERSION to pin the API version. The process environment is never read: callers pass
 * BuildInfo.env.
 *
 * Engines on a unix socket or TCP are reached through Node's http/https (http-transport.ts, docker-modem's
 * contract without its start-up cost); `ssh://` engines through docker-modem, loaded on the first call.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type DockerModem from "docker-modem";
import { ErrorCode, KilnError } from "../../sdk/index.js";
import { HttpTransport } from "./http-transport.js";

export const DEFAULT_DOCKER_SOCKET = "/var/run/docker.sock";

type Env = Readonly<Record<string, string | undefined>>;

/** One API call. */
export interface DialOptions {
  readonly path: string;
  readonly method: "GET" | "POST" | "PUT" | "DELETE" | "HEAD";
  /** Query parameters; arrays repeat the key, objects are sent as JSON. */
  readonly query?: Readonly<Record<string, unknown>>;
  /** A JSON body (POST). */
  readonly body?: unknown;
  /** A streamed body (tar archives). */
  readonly file?: NodeJS.ReadableStream;
  readonly headers?: Readonly<Record<string, string>>;
  /** Sent base64-encoded as X-Registry-Auth. */
  readonly authconfig?: object;
  /** Resolve to the response stream instead of its parsed body. */
  readonly isStream?: boolean;
  /** Upgrade the connection and resolve to the raw socket (exec with stdin). */
  readonly hijack?: boolean;
  /** Statuses that succeed (`true`) or what a failing one means. */
  readonly statusCodes: Readonly<Record<number, true | string>>;
  readonly signal?: AbortSignal;
}

/** The connection options DOCKER_HOST and friends describe (throws KilnError for a malformed DOCKER_HOST). */
export function dockerClientOptions(env: Env): DockerModem.ConstructorOptions {
  const host = env.DOCKER_HOST ?? "";
  const version = env.DOCKER_API_VERSION ? { version: `v${env.DOCKER_API_VERSION.replace(/^v/, "")}` } : {};
  if (host === "") return { socketPath: DEFAULT_DOCKER_SOCKET, ...version };
  if (host.startsWith("unix://")) return { socketPath: host.slice(7) || DEFAULT_DOCKER_SOCKET, ...version };
  let url: URL;
  try {
    url = new URL(host.includes("://") ? host : `tcp://${host}`);
  } catch {
    throw new KilnError(ErrorCode.Builder, `unable to parse docker host \`${host}\``, {
      hint: "Set DOCKER_HOST to unix:///path/to/docker.sock, tcp://host:port or ssh://user@host.",
    });
  }
  if (url.protocol === "ssh:") {
    return {
      protocol: "ssh",
      host: url.hostname,
      ...(url.port !== "" ? { port: Number(url.port) } : {}),
      ...(url.username !== "" ? { username: decodeURIComponent(url.username) } : {}),
      ...(env.SSH_AUTH_SOCK ? { sshOptions: { agent: env.SSH_AUTH_SOCK } } : {}),
      ...version,
    };
  }
  if (url.protocol !== "tcp:" && url.protocol !== "http:" && url.protocol !== "https:") {
    throw new KilnError(
      ErrorCode.Builder,
      `unsupported docker host protocol ${url.protocol.replace(/:$/, "")}`,
      {
        hint: "Set DOCKER_HOST to unix:///path/to/docker.sock, tcp://host:port or ssh://user@host.",
      },
    );
  }
  const tls = (env.DOCKER_TLS_VERIFY ?? "") !== "" || url.protocol === "https:";
  const port = url.port !== "" ? Number(url.port) : tls ? 2376 : 2375;
  const options: DockerModem.ConstructorOptions = {
    protocol: tls ? "https" : "http",
    host: url.hostname,
    port,
    ...version,
  };
  if (tls) {
    const certPath = env.DOCKER_CERT_PATH || join(env.HOME ?? "/root", ".docker");
    try {
      options.ca = readFileSync(join(certPath, "ca.pem"));
      options.cert = readFileSync(join(certPath, "cert.pem"));
      options.key = readFileSync(join(certPath, "key.pem"));
    } catch (err) {
      throw new KilnError(ErrorCode.Builder, `could not read the docker TLS certificates in ${certPath}`, {
        cause: err,
        hint: "Set DOCKER_CERT_PATH to the directory holding ca.pem, cert.pem and key.pem.",
      });
    }
  }
  return options;
}

let modemClass: Promise<typeof DockerModem> | undefined;

function loadModem(): Promise<typeof DockerModem> {
  modemClass ??= import("docker-modem").then((m) => m.default);
  return modemClass;
}

/** A connection to one engine. */
export class DockerClient {
  private modem: DockerModem | undefined;
  private http: HttpTransport | undefined;

  constructor(private readonly options: DockerModem.ConstructorOptions) {}

  /**
   * One API call: resolves to the parsed JSON body (or the stream, or the hijacked socket); rejects with an
   * error carrying statusCode and the engine's `json.message`, see dockerErrorMessage.
   */
  async dial<T>(options: DialOptions): Promise<T> {
    if (this.options.protocol !== "ssh") {
      this.http ??= new HttpTransport({
        socketPath: this.options.socketPath as string | undefined,
        protocol: this.options.protocol,
        host: this.options.host,
        port: this.options.port,
        ca: this.options.ca,
        cert: this.options.cert,
        key: this.options.key,
        version: this.options.version,
      });
      return this.http.dial<T>(options);
    }
    if (this.modem === undefined) this.modem = new (await loadModem())(this.options);
    const modem = this.modem;
    return new Promise<T>((resolve, reject) => {
      modem.dial(
        {
          path: `${options.path}?`,
          method: options.method,
          options: { _query: options.query ?? {}, _body: options.body ?? {} },
          ...(options.file !== undefined ? { file: options.file } : {}),
          ...(options.headers !== undefined ? { headers: { ...options.headers } } : {}),
          ...(options.authconfig !== undefined ? { authconfig: { ...options.authconfig } } : {}),
          ...(options.isStream ? { isStream: true } : {}),
          ...(options.hijack ? { hijack: true, openStdin: true, isStream: true } : {}),
          ...(options.signal !== undefined ? { abortSignal: options.signal } : {}),
          statusCodes: { ...options.statusCodes },
        },
        (err, data) => {
          if (err) reject(err);
          else resolve(data as T);
        },
      );
    });
  }
}

/** The process's clients, one per engine connection setting: the builder and post-processors share a pool. */
const clients = new Map<string, DockerClient>();

/**
 * A client for the engine the environment points at. Runs that point at the same engine the same way get the
 * same client, so a build's post-processors reuse the builder's keep-alive connection.
 */
export function createDockerClient(env: Env): DockerClient {
  const key = JSON.stringify([
    env.DOCKER_HOST,
    env.DOCKER_API_VERSION,
    env.DOCKER_TLS_VERIFY,
    env.DOCKER_CERT_PATH,
    env.HOME,
    env.SSH_AUTH_SOCK,
  ]);
  let client = clients.get(key);
  if (client === undefined) {
    client = new DockerClient(dockerClientOptions(env));
    clients.set(key, client);
  }
  return client;
}

/** Path segment for a container id, image name or reference (names keep their `/`, as the docker CLI sends them). */
export function apiName(name: string): string {
  return name
    .split("/")
    .map((part) => encodeURIComponent(part))
    .join("/");
}

/**
 * The engine's own words for a failed API call: docker-modem's errors read `(HTTP code 404) no such container
 * - No such container: x `; the engine's message (`No such container: x`) is what the docker CLI prints.
 */
export function dockerErrorMessage(err: unknown): string {
  if (err !== null && typeof err === "object") {
    const json = (err as { json?: unknown }).json;
    if (json !== null && typeof json === "object") {
      const message = (json as { message?: unknown }).message;
      if (typeof message === "string" && message !== "") return message;
    }
    if (typeof json === "string" && json.trim() !== "") return json.trim();
    if (json instanceof Uint8Array && json.length > 0) return Buffer.from(json).toString("utf8").trim();
    const message = (err as { message?: unknown }).message;
    if (typeof message === "string") {
      const m = /^\(HTTP code \d+\) [^-]*- (.*)$/s.exec(message);
      return (m?.[1] ?? message).trim();
    }
  }
  return String(err);
}

/** The HTTP status of a failed API call, when it got that far. */
export function dockerErrorStatus(err: unknown): number | undefined {
  if (err !== null && typeof err === "object") {
    const status = (err as { statusCode?: unknown }).statusCode;
    if (typeof status === "number") return status;
  }
  return undefined;
}
