// The Engine API transport against a small HTTP server on a unix socket that answers like the engine: query
// strings, bodies, X-Registry-Auth, accepted and rejected statuses, streams, connection upgrades, keep-alive
// and cancellation.
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dockerErrorMessage, dockerErrorStatus } from "./client.js";
import { EngineApiError, engineQueryString, HttpTransport } from "./http-transport.js";

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
  remotePort: string;
}

let dir: string;
let socketPath: string;
let server: Server;
const seen: Seen[] = [];
const connections = new Set<Socket>();
let handler: (req: IncomingMessage, res: ServerResponse, body: string) => void = () => {};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "kiln-http-transport-"));
  socketPath = join(dir, "engine.sock");
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      seen.push({
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body,
        remotePort: String((req.socket as Socket & { _kilnId?: number })._kilnId),
      });
      handler(req, res, body);
    });
  });
  let next = 0;
  server.on("connection", (socket: Socket & { _kilnId?: number }) => {
    socket._kilnId = next++;
    connections.add(socket);
    socket.on("close", () => connections.delete(socket));
  });
  // An exec start with `Upgrade: tcp`, as the engine answers it: read the JSON body, answer 101 with the first
  // output in the same packet, then echo what comes in (upper-cased) until the client half-closes.
  server.on("upgrade", (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const length = Number(req.headers["content-length"] ?? 0);
    let buffered = head;
    let answered = false;
    const take = (chunk: Buffer): void => {
      if (!answered) {
        buffered = Buffer.concat([buffered, chunk]);
        if (buffered.length < length) return;
        answered = true;
        const body = buffered.subarray(0, length).toString("utf8");
        seen.push({
          method: req.method ?? "",
          url: req.url ?? "",
          headers: req.headers,
          body,
          remotePort: "",
        });
        socket.write("HTTP/1.1 101 UPGRADED\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\nhello ");
        chunk = buffered.subarray(length);
      }
      if (chunk.length > 0) socket.write(chunk.toString("utf8").toUpperCase());
    };
    take(Buffer.alloc(0));
    socket.on("data", take);
    socket.on("end", () => socket.end());
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
});

afterAll(async () => {
  for (const c of connections) c.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

function json(res: ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}

function transport(version?: string): HttpTransport {
  return new HttpTransport({ socketPath, ...(version !== undefined ? { version } : {}) });
}

describe("engineQueryString", () => {
  it("repeats array keys, sends objects as JSON and skips undefined", () => {
    expect(engineQueryString(undefined)).toBe("");
    expect(engineQueryString({})).toBe("");
    expect(
      engineQueryString({
        container: "abc",
        pause: true,
        changes: ["ENV A=1", 'CMD ["x"]'],
        filters: { label: ["a=b"] },
        skipped: undefined,
      }),
    ).toBe(
      "?container=abc&pause=true&changes=ENV+A%3D1&changes=CMD+%5B%22x%22%5D&filters=%7B%22label%22%3A%5B%22a%3Db%22%5D%7D",
    );
  });
});

describe("HttpTransport", () => {
  it("sends the version prefix, query, JSON body and registry auth, and parses the JSON answer", async () => {
    seen.length = 0;
    handler = (_req, res) => json(res, 201, { Id: "abc" });
    const t = transport("v1.41");
    const out = await t.dial<{ Id: string }>({
      path: "/containers/create",
      method: "POST",
      query: { name: "x" },
      body: { Image: "busybox" },
      authconfig: { username: "u", password: "p?>" },
      statusCodes: { 201: true },
    });
    t.close();
    expect(out).toEqual({ Id: "abc" });
    expect(seen[0]).toMatchObject({
      method: "POST",
      url: "/v1.41/containers/create?name=x",
      body: '{"Image":"busybox"}',
    });
    expect(seen[0]!.headers["content-type"]).toBe("application/json");
    const auth = String(seen[0]!.headers["x-registry-auth"]);
    expect(auth).not.toMatch(/[+/]/);
    expect(JSON.parse(Buffer.from(auth, "base64url").toString("utf8"))).toEqual({
      username: "u",
      password: "p?>",
    });
  });

  it("sends no body for an empty object, and resolves a non-JSON answer to its bytes", async () => {
    seen.length = 0;
    handler = (_req, res) => {
      res.writeHead(200, { "Content-Type": "text/plain" });
      res.end("OK");
    };
    const t = transport();
    const out = await t.dial<Buffer>({
      path: "/_ping",
      method: "POST",
      body: {},
      statusCodes: { 200: true },
    });
    t.close();
    expect(Buffer.isBuffer(out) && out.toString()).toBe("OK");
    expect(seen[0]!.body).toBe("");
    expect(seen[0]!.headers["content-type"]).toBeUndefined();
  });

  it("rejects a status the caller does not accept with the engine's message", async () => {
    handler = (_req, res) => json(res, 404, { message: "No such container: nope" });
    const t = transport();
    const err = await t
      .dial({
        path: "/containers/nope/json",
        method: "GET",
        statusCodes: { 200: true, 404: "no such container" },
      })
      .catch((e: unknown) => e);
    t.close();
    expect(err).toBeInstanceOf(EngineApiError);
    expect((err as Error).message).toBe("(HTTP code 404) no such container - No such container: nope ");
    expect(dockerErrorStatus(err)).toBe(404);
    expect(dockerErrorMessage(err)).toBe("No such container: nope");
  });

  it("reads the error of a streamed call from its body, even for an unlisted status", async () => {
    handler = (_req, res) => {
      res.writeHead(418, { "Content-Type": "text/plain" });
      res.end("short and stout");
    };
    const t = transport();
    const err = await t
      .dial({ path: "/images/create", method: "POST", isStream: true, statusCodes: { 200: true } })
      .catch((e: unknown) => e);
    t.close();
    expect((err as Error).message).toBe("(HTTP code 418) unexpected - short and stout ");
    expect(dockerErrorMessage(err)).toBe("short and stout");
  });

  it("streams a request body from `file` and a response as a stream", async () => {
    seen.length = 0;
    handler = (_req, res, body) => {
      res.writeHead(200, { "Content-Type": "application/octet-stream" });
      res.write(`got ${body.length} bytes;`);
      setTimeout(() => res.end("done"), 20);
    };
    const t = transport();
    const stream = await t.dial<Readable>({
      path: "/containers/x/archive",
      method: "PUT",
      query: { path: "/tmp" },
      file: Readable.from([Buffer.alloc(1000, 1), Buffer.alloc(24, 2)]),
      headers: { "Content-Type": "application/x-tar" },
      isStream: true,
      statusCodes: { 200: true },
    });
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(c as Buffer);
    t.close();
    expect(Buffer.concat(chunks).toString()).toBe("got 1024 bytes;done");
    expect(seen[0]!.headers["content-type"]).toBe("application/x-tar");
  });

  it("reuses one connection for consecutive calls", async () => {
    seen.length = 0;
    handler = (_req, res) => json(res, 200, { ok: true });
    const t = transport();
    for (let i = 0; i < 5; i++) await t.dial({ path: `/n/${i}`, method: "GET", statusCodes: { 200: true } });
    t.close();
    expect(new Set(seen.map((s) => s.remotePort)).size).toBe(1);
  });

  it("resolves a hijacked call to the upgraded socket, with the bytes that came with the upgrade", async () => {
    seen.length = 0;
    const t = transport();
    const socket = await t.dial<Socket>({
      path: "/exec/1/start",
      method: "POST",
      body: { Detach: false, Tty: false },
      hijack: true,
      statusCodes: { 101: true, 200: true },
    });
    const received: Buffer[] = [];
    socket.on("data", (d: Buffer) => received.push(d));
    const ended = new Promise<void>((resolve) => socket.on("end", () => resolve()));
    socket.end("from stdin");
    await ended;
    t.close();
    expect(Buffer.concat(received).toString()).toBe("hello FROM STDIN");
    expect(seen[0]!.body).toBe('{"Detach":false,"Tty":false}');
    expect(seen[0]!.headers.upgrade).toBe("tcp");
    expect(seen[0]!.headers.connection).toBe("Upgrade");
  });

  it("rejects when the signal fires before the engine answers", async () => {
    handler = () => {
      // Never answers.
    };
    const t = transport();
    const controller = new AbortController();
    const pending = t.dial({
      path: "/slow",
      method: "GET",
      statusCodes: { 200: true },
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toThrow(/abort/i);
    t.close();
  });
});
