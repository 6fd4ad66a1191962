/**
 * consul_key, vault and aws_secretsmanager against local stand-ins (HTTP servers on 127.0.0.1) and
 * injected resolvers.
 */

import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InterpolateContext } from "./context.js";
import { renderAsync, renderOnce, renderUntilFixpoint } from "./render.js";
import { awsSecretValue } from "./secrets.js";

function listen(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; addr: string }> {
  return new Promise((resolve) => {
    const server = createServer(handler);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, addr: `127.0.0.1:${port}` });
    });
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** A port on 127.0.0.1 with nothing listening on it. */
async function closedPort(): Promise<string> {
  const { server, addr } = await listen(() => {});
  await close(server);
  return addr;
}

let consul: { server: Server; addr: string };
let vault: { server: Server; addr: string };
const seen: { consulToken?: string | undefined; vaultToken?: string | undefined } = {};

beforeAll(async () => {
  consul = await listen((req, res) => {
    seen.consulToken = req.headers["x-consul-token"] as string | undefined;
    const b64 = (s: string) => Buffer.from(s).toString("base64");
    switch (req.url) {
      case "/v1/kv/app/token":
        res.end(JSON.stringify([{ Key: "app/token", Value: b64("s3cret") }]));
        return;
      case "/v1/kv/app/empty":
        res.end(JSON.stringify([{ Key: "app/empty", Value: null }]));
        return;
      case "/v1/kv/app/boom":
        res.statusCode = 500;
        res.end("internal");
        return;
      default:
        res.statusCode = 404;
        res.end();
    }
  });
  vault = await listen((req, res) => {
    seen.vaultToken = req.headers["x-vault-token"] as string | undefined;
    res.setHeader("Content-Type", "application/json");
    switch (req.url) {
      case "/v1/secret/data/app":
        res.end(JSON.stringify({ data: { data: { pw: "v2-pass" }, metadata: {} } }));
        return;
      case "/v1/kv1/app":
        res.end(JSON.stringify({ data: { pw: "v1-pass", n: 3 } }));
        return;
      case "/v1/forbidden":
        res.statusCode = 403;
        res.end(JSON.stringify({ errors: ["permission denied"] }));
        return;
      default:
        res.statusCode = 404;
        res.end(JSON.stringify({ errors: [] }));
    }
  });
});

afterAll(async () => {
  await close(consul.server);
  await close(vault.server);
});

function ctx(env: Record<string, string>): InterpolateContext {
  return { enableEnv: true, env };
}

describe("consul_key", () => {
  it("reads a key, sending the token", async () => {
    const c = ctx({ CONSUL_HTTP_ADDR: consul.addr, CONSUL_HTTP_TOKEN: "tok" });
    expect(await renderAsync("{{consul_key `app/token`}}", c)).toEqual({ value: "s3cret" });
    expect(seen.consulToken).toBe("tok");
  });

  it("reports missing and empty keys and server errors", async () => {
    const c = ctx({ CONSUL_HTTP_ADDR: `http://${consul.addr}` });
    expect(await renderAsync("{{consul_key `app/nope`}}", c)).toEqual({
      error:
        'template: root:1:2: executing "root" at <consul_key `app/nope`>: error calling consul_key: key does not exist at the given path: app/nope',
      kind: "exec",
    });
    expect(await renderAsync("{{consul_key `app/empty`}}", c)).toMatchObject({
      error: expect.stringContaining("error calling consul_key: value is empty at path app/empty"),
    });
    expect(await renderAsync("{{consul_key `app/boom`}}", c)).toMatchObject({
      error: expect.stringContaining("error reading consul key: Unexpected response code: 500 (internal)"),
    });
  });

  it("reports an unreachable agent as Packer does", async () => {
    const addr = await closedPort();
    const r = await renderAsync("{{consul_key `foo/bar`}}", ctx({ CONSUL_HTTP_ADDR: addr }));
    expect(r).toEqual({
      error: `template: root:1:2: executing "root" at <consul_key \`foo/bar\`>: error calling consul_key: error reading consul key: Get "http://${addr}/v1/kv/foo/bar": dial tcp ${addr}: connect: connection refused`,
      kind: "exec",
    });
  });

  it("performs each lookup once per rendering, also when rendering to a fixpoint", async () => {
    const c = ctx({ CONSUL_HTTP_ADDR: consul.addr });
    const r = await renderAsync("{{consul_key `app/token`}}={{consul_key `app/token`}}", c, {
      mode: "fixpoint",
    });
    expect(r).toEqual({ value: "s3cret=s3cret" });
  });

  it("says so when a lookup is needed in synchronous rendering", () => {
    const c = ctx({ CONSUL_HTTP_ADDR: consul.addr });
    expect(renderOnce("{{consul_key `app/token`}}", c)).toMatchObject({ kind: "exec" });
    expect(renderUntilFixpoint("{{consul_key `app/token`}}", c)).toMatchObject({
      error: expect.stringContaining("renderAsync"),
    });
  });
});

describe("vault", () => {
  const env = () => ({ VAULT_ADDR: `http://${vault.addr}`, VAULT_TOKEN: "root" });

  it("reads KV v2 and v1 secrets with the token", async () => {
    expect(await renderAsync("{{vault `secret/data/app` `pw`}}", ctx(env()))).toEqual({ value: "v2-pass" });
    expect(seen.vaultToken).toBe("root");
    expect(await renderAsync("{{vault `/kv1/app` `pw`}}", ctx(env()))).toEqual({ value: "v1-pass" });
  });

  it("reports missing secrets, missing keys and non-string values", async () => {
    expect(await renderAsync("{{vault `secret/data/none` `pw`}}", ctx(env()))).toMatchObject({
      error: expect.stringContaining("error calling vault: Vault Secret does not exist at the given path"),
    });
    expect(await renderAsync("{{vault `secret/data/app` `nope`}}", ctx(env()))).toMatchObject({
      error: expect.stringContaining("error calling vault: Vault path does not contain the requested key"),
    });
    expect(await renderAsync("{{vault `kv1/app` `nope`}}", ctx(env()))).toMatchObject({
      error: expect.stringContaining("error calling vault: Vault data was empty at the given path."),
    });
    expect(await renderAsync("{{vault `kv1/app` `n`}}", ctx(env()))).toMatchObject({
      error: expect.stringContaining("interface conversion: interface {} is float64, not string"),
    });
  });

  it("reports API errors with Vault's layout", async () => {
    const r = await renderAsync("{{vault `forbidden` `x`}}", ctx(env()));
    expect(r).toMatchObject({
      error: expect.stringContaining(
        `error calling vault: Error reading vault secret: Error making API request.\n\nURL: GET http://${vault.addr}/v1/forbidden\nCode: 403. Errors:\n\n* permission denied`,
      ),
    });
  });

  it("reports an unreachable server", async () => {
    const addr = await closedPort();
    const r = await renderAsync(
      "{{vault `secret/x` `k`}}",
      ctx({ VAULT_ADDR: `http://${addr}`, VAULT_TOKEN: "t" }),
    );
    expect(r).toMatchObject({
      error: expect.stringContaining(
        `error calling vault: Error reading vault secret: Get "http://${addr}/v1/secret/x": dial tcp ${addr}: connect: connection refused`,
      ),
    });
  });
});

describe("aws_secretsmanager", () => {
  const secrets: Record<string, string> = {
    plain: "hunter2",
    single: '{"password":"p"}',
    multi: '{"user":"u","password":"p","port":5432}',
    list: "[1,2]",
  };
  const c: InterpolateContext = {
    enableEnv: true,
    env: {},
    secrets: {
      awsSecretString: (name) => {
        const s = secrets[name];
        if (s === undefined)
          throw new Error("ResourceNotFoundException: Secrets Manager can't find the specified secret.");
        return s;
      },
    },
  };

  it("returns plaintext, a single value, or the value of a key", () => {
    expect(renderOnce("{{aws_secretsmanager `plain`}}", c)).toEqual({ value: "hunter2" });
    expect(renderOnce("{{aws_secretsmanager `single`}}", c)).toEqual({ value: "p" });
    expect(renderOnce("{{aws_secretsmanager `multi` `user`}}", c)).toEqual({ value: "u" });
    expect(renderOnce("{{aws_secretsmanager `multi` `port`}}", c)).toEqual({ value: "5432" });
    expect(renderOnce("{{aws_secretsmanager_raw `multi`}}", c)).toEqual({ value: secrets.multi });
  });

  it("reports ambiguous, missing and malformed secrets", () => {
    expect(renderOnce("{{aws_secretsmanager `multi`}}", c)).toMatchObject({
      error: expect.stringContaining(
        "error calling aws_secretsmanager: Secret has multiple values and no key was set",
      ),
    });
    expect(renderOnce("{{aws_secretsmanager `multi` `nope`}}", c)).toMatchObject({
      error: expect.stringContaining('No secret found for key "nope"'),
    });
    expect(renderOnce("{{aws_secretsmanager `gone`}}", c)).toMatchObject({
      error: expect.stringContaining("ResourceNotFoundException"),
    });
    expect(renderOnce("{{aws_secretsmanager `a` `b` `c`}}", c)).toMatchObject({
      error: expect.stringContaining("only secret name and optional secret key can be provided."),
    });
    expect(renderOnce("{{aws_secretsmanager}}", c)).toMatchObject({
      error: expect.stringContaining("secret name must be provided"),
    });
    expect(awsSecretValue("[1,2]", "", false)).toEqual({
      error: "json: cannot unmarshal array into Go value of type map[string]interface {}",
    });
  });

  it("reports missing credentials when no source is configured", () => {
    expect(renderOnce("{{aws_secretsmanager `x`}}", { enableEnv: true, env: {} })).toMatchObject({
      error: expect.stringContaining("NoCredentialProviders: no valid providers in chain"),
    });
  });
});
