/**
 * The Node built-ins of the legacy engine, loaded on first use instead of at import.
 *
 * Contract: each export is a getter; its first call requires the module and later calls return the same one.
 * Why: every command that reads templates loads this engine, and node:crypto (`{{uuid}}`, renderRegex) and
 * node:http / node:https (Consul and Vault lookups) are rarely needed but cost milliseconds to load on every
 * run. A createRequire getter, not `import()`: the bundled CLI has no loader for dynamic imports of built-ins.
 */
import type * as Crypto from "node:crypto";
import type * as Http from "node:http";
import type * as Https from "node:https";
import { createRequire } from "node:module";

const requireHere = createRequire(import.meta.url);

function lazy<T>(id: string): () => T {
  let loaded: T | undefined;
  return () => {
    loaded ??= requireHere(id) as T;
    return loaded;
  };
}

export const nodeCrypto: () => typeof Crypto = lazy("node:crypto");
export const nodeHttp: () => typeof Http = lazy("node:http");
export const nodeHttps: () => typeof Https = lazy("node:https");
