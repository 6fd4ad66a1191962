/**
 * The Engine API over Node's own http/https, for engines on a unix socket or on TCP (with or without TLS): what
 * docker-modem does for those transports, without loading it. docker-modem requires ssh2 at import (about 45 ms
 * of every docker build's start-up) and formats each request with util.inspect even when its debug output is
 * off; kiln keeps it for `ssh://` engines only (see client.ts).
 *
 * Contract (the same as docker-modem's dial, which callers were written against):
 * - `query` values: arrays repeat the key, objects are sent as JSON, everything else as its string;
 * - `body` is sent as JSON for POST unless it is an empty object; `file` streams the request body;
 * - `authconfig` becomes X-Registry-Auth (URL-safe base64 of its JSON);
 * - a status that `statusCodes` does not map to `true` rejects with an EngineApiError carrying `statusCode`,
 *   the engine's JSON answer (`json`) and the message `(HTTP code N) <reason> - <engine message> `;
 * - otherwise the call resolves to the parsed JSON body (a Buffer when the body is not JSON), the response
 *   stream (`isStream`), or the upgraded socket (`hijack`, with any bytes that came with the upgrade put back).
 * One keep-alive agent per client, so consecutive calls reuse their connection.
 */
import {
  type ClientRequest,
  Agent as HttpAgent,
  request as httpRequest,
  type IncomingMessage,
} from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import type { Socket } from "node:net";
import type { Readable } from "node:stream";
import type { SecureContextOptions } from "node:tls";

/** Where the engine listens (the non-ssh subset of the client's connection options). */
export interface HttpEndpoint {
  readonly socketPath?: string | undefined;
  readonly protocol?: string | undefined;
  readonly host?: string | undefined;
  readonly port?: number | string | undefined;
  readonly ca?: SecureContextOptions["ca"];
  readonly cert?: SecureContextOptions["cert"];
  readonly key?: SecureContextOptions["key"];
  /** API version prefix, `v1.41`. */
  readonly version?: string | undefined;
}

export interface HttpCall {
  readonly path: string;
  readonly method: string;
  readonly query?: Readonly<Record<string, unknown>> | undefined;
  readonly body?: unknown;
  readonly file?: NodeJS.ReadableStream | undefined;
  readonly headers?: Readonly<Record<string, string>> | undefined;
  readonly authconfig?: object | undefined;
  readonly isStream?: boolean | undefined;
  readonly hijack?: boolean | undefined;
  readonly statusCodes: Readonly<Record<number, true | string>>;
  readonly signal?: AbortSignal | undefined;
}

/** A call the engine answered with a status the caller does not accept. */
export class EngineApiError extends Error {
  override readonly name = "EngineApiError";

  constructor(
    readonly statusCode: number,
    readonly reason: string | undefined,
    readonly json: unknown,
  ) {
    super(`(HTTP code ${statusCode}) ${reason ?? "unexpected"} - ${causeText(json)} `);
  }
}

function causeText(json: unknown): string {
  if (json !== null && typeof json === "object" && !(json instanceof Uint8Array)) {
    const o = json as { message?: unknown; error?: unknown };
    if (typeof o.message === "string" && o.message !== "") return o.message;
    if (typeof o.error === "string" && o.error !== "") return o.error;
  }
  if (json instanceof Uint8Array) return Buffer.from(json).toString("utf8");
  return String(json);
}

/** docker-modem's query string: arrays repeat the key, objects become JSON. */
export function engineQueryString(query: Readonly<Record<string, unknown>> | undefined): string {
  if (query === undefined) return "";
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      for (const v of value) params.append(key, String(v));
    } else if (value !== null && typeof value === "object") {
      params.append(key, JSON.stringify(value));
    } else {
      params.append(key, String(value));
    }
  }
  const text = params.toString();
  return text === "" ? "" : `?${text}`;
}

/** The body as JSON if it is JSON, else the raw bytes (an empty body is an empty Buffer). */
function parseBody(raw: Buffer): unknown {
  if (raw.length === 0) return raw;
  try {
    return JSON.parse(raw.toString("utf8"));
  } catch {
    return raw;
  }
}

function readAll(stream: Readable): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on("data", (c: Buffer) => chunks.push(c));
    stream.on("end", () => resolve(Buffer.concat(chunks)));
    stream.on("error", reject);
    stream.on("aborted", () => reject(new Error("the engine closed the connection")));
  });
}

export class HttpTransport {
  private readonly agent: HttpAgent;
  private readonly tls: boolean;

  constructor(private readonly endpoint: HttpEndpoint) {
    this.tls = endpoint.socketPath === undefined && endpoint.protocol === "https";
    const agentOptions = { keepAlive: true, maxFreeSockets: 4 };
    this.agent = this.tls
      ? new HttpsAgent({
          ...agentOptions,
          ...(endpoint.ca !== undefined ? { ca: endpoint.ca } : {}),
          ...(endpoint.cert !== undefined ? { cert: endpoint.cert } : {}),
          ...(endpoint.key !== undefined ? { key: endpoint.key } : {}),
        })
      : new HttpAgent(agentOptions);
  }

  dial<T>(call: HttpCall): Promise<T> {
    const headers: Record<string, string | number> = { ...call.headers };
    if (call.authconfig !== undefined) {
      headers["X-Registry-Auth"] = Buffer.from(JSON.stringify(call.authconfig)).toString("base64url");
    }
    let data: string | undefined;
    if (call.file !== undefined) {
      headers["Content-Type"] ??= "application/tar";
    } else if (call.method === "POST" && call.body !== undefined) {
      const json = JSON.stringify(call.body);
      if (json !== "{}" && json !== '""') {
        data = json;
        headers["Content-Type"] ??= "application/json";
      }
    }
    if (data !== undefined) headers["Content-Length"] = Buffer.byteLength(data);
    else if (call.file === undefined && (call.method === "PUT" || call.method === "POST")) {
      headers["Content-Length"] = 0;
    }
    if (call.hijack) {
      headers.Connection = "Upgrade";
      headers.Upgrade = "tcp";
    }
    const path = `${this.endpoint.version ? `/${this.endpoint.version}` : ""}${call.path}${engineQueryString(call.query)}`;
    const options = {
      method: call.method,
      path,
      headers,
      agent: this.agent,
      ...(this.endpoint.socketPath !== undefined
        ? { socketPath: this.endpoint.socketPath }
        : {
            host: this.endpoint.host ?? "localhost",
            ...(this.endpoint.port !== undefined ? { port: Number(this.endpoint.port) } : {}),
          }),
      ...(call.signal !== undefined ? { signal: call.signal } : {}),
    };

    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const settle = (err: unknown, value?: unknown): void => {
        if (settled) return;
        settled = true;
        if (err !== undefined) reject(err);
        else resolve(value as T);
      };
      const req: ClientRequest = (this.tls ? httpsRequest : httpRequest)(options);
      req.on("error", (err) => settle(err));
      if (call.hijack) {
        req.on("upgrade", (_res: IncomingMessage, socket: Socket, head: Buffer) => {
          if (head.length > 0) socket.unshift(head);
          settle(undefined, socket);
        });
      }
      req.on("response", (res: IncomingMessage) => {
        const status = res.statusCode ?? 0;
        if (call.statusCodes[status] !== true) {
          readAll(res).then(
            (raw) => settle(new EngineApiError(status, reasonFor(call.statusCodes[status]), parseBody(raw))),
            (err: unknown) => settle(err),
          );
          return;
        }
        if (call.isStream || call.hijack) {
          settle(undefined, res);
          return;
        }
        readAll(res).then(
          (raw) => settle(undefined, parseBody(raw)),
          (err: unknown) => settle(err),
        );
      });
      if (call.file !== undefined) {
        const file = call.file as Readable;
        file.on("error", (err) => req.destroy(err));
        file.pipe(req);
      } else {
        req.end(data);
      }
    });
  }

  /** Closes idle connections (the process may exit without it: idle sockets do not keep it alive). */
  close(): void {
    this.agent.destroy();
  }
}

function reasonFor(v: true | string | undefined): string | undefined {
  return typeof v === "string" ? v : undefined;
}
