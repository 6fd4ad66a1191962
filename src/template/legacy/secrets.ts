/**
 * Secret sources of the legacy engine's `consul_key`, `vault` and `aws_secretsmanager` functions.
 *
 * Template execution is synchronous, network lookups are not: a function that needs a lookup whose result
 * is not yet known throws a PendingLookup; renderAsync performs it, caches the outcome and renders again.
 * Errors carry the texts Packer shows (e.g. `error reading consul key: Get "http://127.0.0.1:8500/v1/kv/k":
 * dial tcp 127.0.0.1:8500: connect: connection refused`).
 */

import { readFileSync } from "node:fs";
import type * as https from "node:https";
import { nodeHttp, nodeHttps } from "./lazy-builtins.js";

export type LookupResult = { readonly value: string } | { readonly error: string };

/** Raised (not as an Error) by a function whose asynchronous lookup has not been performed yet. */
export class PendingLookup {
  constructor(
    readonly key: string,
    readonly run: (signal?: AbortSignal) => Promise<LookupResult>,
  ) {}
}

/** Outcomes of lookups already performed during one rendering. */
export type LookupCache = Map<string, LookupResult>;

type Env = Readonly<Record<string, string | undefined>>;

interface HttpResponse {
  readonly status: number;
  readonly body: string;
}

/** Go's net/http error text for a failed request: `Get "URL": dial tcp HOST:PORT: connect: ...`. */
function goNetError(url: URL, err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const hostPort = `${url.hostname}:${url.port || (url.protocol === "https:" ? "443" : "80")}`;
  let detail: string;
  switch (e.code) {
    case "ECONNREFUSED":
      detail = `dial tcp ${hostPort}: connect: connection refused`;
      break;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      detail = `dial tcp: lookup ${url.hostname}: no such host`;
      break;
    case "ETIMEDOUT":
      detail = `dial tcp ${hostPort}: i/o timeout`;
      break;
    case "ECONNRESET":
      detail = "read: connection reset by peer";
      break;
    default:
      detail = e.message ?? String(err);
  }
  return `Get "${url.href}": ${detail}`;
}

function httpGet(
  url: URL,
  headers: Record<string, string>,
  tls: https.RequestOptions,
  signal?: AbortSignal,
): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const mod = url.protocol === "https:" ? nodeHttps() : nodeHttp();
    const req = mod.request(
      url,
      {
        method: "GET",
        headers,
        timeout: 30_000,
        ...(url.protocol === "https:" ? tls : {}),
        ...(signal ? { signal } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }),
        );
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(Object.assign(new Error("timeout"), { code: "ETIMEDOUT" })));
    req.on("error", reject);
    req.end();
  });
}

/** The Consul agent address and TLS choice, from the environment as Consul's Go client reads it. */
function consulBase(env: Env): URL {
  let addr = env.CONSUL_HTTP_ADDR ?? "127.0.0.1:8500";
  let scheme = "http";
  if (addr.startsWith("https://")) {
    scheme = "https";
    addr = addr.slice("https://".length);
  } else if (addr.startsWith("http://")) {
    addr = addr.slice("http://".length);
  }
  const ssl = env.CONSUL_HTTP_SSL;
  if (ssl !== undefined && /^(1|t|true)$/i.test(ssl)) scheme = "https";
  return new URL(`${scheme}://${addr}`);
}

/** Reads one key from Consul's KV store (GET /v1/kv/KEY), with Packer's error texts. */
export async function consulLookup(key: string, env: Env, signal?: AbortSignal): Promise<LookupResult> {
  const base = consulBase(env);
  const url = new URL(`/v1/kv/${key}`, base);
  const headers: Record<string, string> = {};
  if (env.CONSUL_HTTP_TOKEN) headers["X-Consul-Token"] = env.CONSUL_HTTP_TOKEN;
  if (env.CONSUL_HTTP_AUTH)
    headers.Authorization = `Basic ${Buffer.from(env.CONSUL_HTTP_AUTH).toString("base64")}`;
  const skipVerify = /^(0|f|false)$/i.test(env.CONSUL_HTTP_SSL_VERIFY ?? "");
  let res: HttpResponse;
  try {
    res = await httpGet(url, headers, { rejectUnauthorized: !skipVerify }, signal);
  } catch (e) {
    return { error: `error reading consul key: ${goNetError(url, e)}` };
  }
  if (res.status === 404) return { error: `key does not exist at the given path: ${key}` };
  if (res.status !== 200) {
    return { error: `error reading consul key: Unexpected response code: ${res.status} (${res.body})` };
  }
  let entries: unknown;
  try {
    entries = JSON.parse(res.body);
  } catch (e) {
    return { error: `error reading consul key: ${(e as Error).message}` };
  }
  const first = Array.isArray(entries) ? (entries[0] as { Value?: unknown } | undefined) : undefined;
  if (first === undefined) return { error: `key does not exist at the given path: ${key}` };
  const value = typeof first.Value === "string" ? Buffer.from(first.Value, "base64").toString("utf8") : "";
  if (value === "") return { error: `value is empty at path ${key}` };
  return { value };
}

const VAULT_DOCS = "https://www.packer.io/docs/templates/hcl_templates/functions/contextual/vault";

/** Reads `key` of the secret at `path` from Vault (KV v1 or v2), with Packer's error texts. */
export async function vaultLookup(
  path: string,
  key: string,
  env: Env,
  signal?: AbortSignal,
): Promise<LookupResult> {
  const token = env.VAULT_TOKEN ?? "";
  if (token === "") return { error: "Must set VAULT_TOKEN env var in order to use vault template function" };
  const addr = env.VAULT_ADDR ?? "https://127.0.0.1:8200";
  let base: URL;
  try {
    base = new URL(addr);
  } catch {
    return { error: `Error getting Vault client: parse "${addr}": invalid URI for request` };
  }
  const url = new URL(`${base.pathname.replace(/\/$/, "")}/v1/${path.replace(/^\//, "")}`, base);
  const headers: Record<string, string> = { "X-Vault-Token": token };
  if (env.VAULT_NAMESPACE) headers["X-Vault-Namespace"] = env.VAULT_NAMESPACE;
  const tls: https.RequestOptions = {
    rejectUnauthorized: !/^(1|t|true)$/i.test(env.VAULT_SKIP_VERIFY ?? ""),
  };
  if (env.VAULT_CACERT) {
    try {
      tls.ca = readFileSync(env.VAULT_CACERT);
    } catch (e) {
      return { error: `Error getting Vault client: ${(e as Error).message}` };
    }
  }
  let res: HttpResponse;
  try {
    res = await httpGet(url, headers, tls, signal);
  } catch (e) {
    return { error: `Error reading vault secret: ${goNetError(url, e)}` };
  }
  let body: { data?: unknown; warnings?: unknown; errors?: unknown } = {};
  try {
    body = res.body.trim() === "" ? {} : (JSON.parse(res.body) as typeof body);
  } catch {
    body = {};
  }
  if (res.status === 404 && (body.data === undefined || body.data === null)) {
    return { error: "Vault Secret does not exist at the given path" };
  }
  if (res.status < 200 || res.status >= 300) {
    const errors = Array.isArray(body.errors) ? body.errors.map(String) : [];
    const list = errors.length > 0 ? `\n\n* ${errors.join("\n* ")}` : "";
    return {
      error: `Error reading vault secret: Error making API request.\n\nURL: GET ${url.href}\nCode: ${res.status}. Errors:${list}`,
    };
  }
  const data = body.data;
  if (data === undefined || data === null || typeof data !== "object") {
    return { error: "Vault Secret does not exist at the given path" };
  }
  const record = data as Record<string, unknown>;
  if (!("data" in record)) {
    if (key in record) return stringSecret(record[key]);
    const warnings = Array.isArray(body.warnings) ? body.warnings.map(String) : [];
    return {
      error: `Vault data was empty at the given path. Check the Vault function docs for help: ${VAULT_DOCS}. Original warnings from Vault call: ${warnings.join("; ")}`,
    };
  }
  const inner = record.data;
  if (inner !== null && typeof inner === "object" && key in inner) {
    return stringSecret((inner as Record<string, unknown>)[key]);
  }
  return { error: "Vault path does not contain the requested key" };
}

function stringSecret(v: unknown): LookupResult {
  if (typeof v === "string") return { value: v };
  const goType =
    typeof v === "number" ? "float64" : typeof v === "boolean" ? "bool" : "map[string]interface {}";
  return { error: `interface conversion: interface {} is ${goType}, not string` };
}

/**
 * Extracts the value Packer returns from an AWS Secrets Manager SecretString: plain text as is; for a
 * JSON object the value of `key`, or its only value when no key is given; `raw` returns the string whole.
 */
export function awsSecretValue(secretString: string, key: string, raw: boolean): LookupResult {
  if (raw) return { value: secretString };
  let parsed: unknown;
  try {
    parsed = JSON.parse(secretString);
  } catch {
    return { value: secretString }; // Plaintext secrets are returned as they are.
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    const t = Array.isArray(parsed) ? "array" : parsed === null ? "null" : typeof parsed;
    if (t === "null") return { error: "Secret has multiple values and no key was set" };
    return { error: `json: cannot unmarshal ${t} into Go value of type map[string]interface {}` };
  }
  const obj = parsed as Record<string, unknown>;
  const keys = Object.keys(obj);
  if (key === "" && keys.length > 1) return { error: "Secret has multiple values and no key was set" };
  if (key === "") {
    const only = keys[0];
    if (only === undefined) return { error: `No secret found for key ""` };
    return awsStringValue(obj[only]);
  }
  if (key in obj) return awsStringValue(obj[key]);
  return { error: `No secret found for key "${key}"` };
}

function awsStringValue(v: unknown): LookupResult {
  if (typeof v === "string") return { value: v };
  if (typeof v === "number") return { value: v.toFixed(0) };
  const t =
    typeof v === "boolean"
      ? "bool"
      : Array.isArray(v)
        ? "[]interface {}"
        : v === null
          ? "<nil>"
          : "map[string]interface {}";
  return { error: `Unsupported secret value type: ${t}` };
}

/** The error reported when no AWS Secrets Manager source is configured. */
export function awsUnavailable(env: Env): string {
  if (!env.AWS_ACCESS_KEY_ID && !env.AWS_PROFILE && !env.AWS_WEB_IDENTITY_TOKEN_FILE) {
    return "NoCredentialProviders: no valid providers in chain";
  }
  return "AWS Secrets Manager lookups are not supported by this build; pass the secret in a variable instead";
}
