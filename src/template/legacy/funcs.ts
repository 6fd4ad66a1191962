/**
 * Packer's template function map (the SDK's template/interpolate/funcs.go): user, env, timestamp, isotime,
 * strftime, uuid, template_dir, pwd, build_name, build_type, split, replace, replace_all, lower, upper,
 * packer_version, sed, build, consul_key, vault, aws_secretsmanager and aws_secretsmanager_raw, with the
 * SDK's error texts.
 */

import { dirname, resolve } from "node:path";
import { goFormat, goStrftime, RFC3339 } from "../../hcl/index.js";
import { type InterpolateContext, processInitTime } from "./context.js";
import { type GoFunc, GoFuncError } from "./exec.js";
import { goReplace, goSplit, goToLower, goToUpper } from "./go-strings.js";
import { GoMap, type GoValue, type RV } from "./go-value.js";
import { nodeCrypto } from "./lazy-builtins.js";
import {
  awsSecretValue,
  awsUnavailable,
  consulLookup,
  type LookupCache,
  type LookupResult,
  PendingLookup,
  vaultLookup,
} from "./secrets.js";

/** The SDK's ErrVariableNotSetString: the prefix the variables resolver retries on. */
export const ERR_VARIABLE_NOT_SET = "Error: variable not set:";

/** Marker in generated-data placeholders (packerbuilderdata.PlaceholderMsg). */
export const BUILD_PLACEHOLDER_MSG =
  "To set this dynamically in the Packer template, you must use the `build` function";

/** The placeholder value a builder's generated key holds before the build runs (BasicPlaceholderData). */
export function buildPlaceholder(key: string): string {
  return `Build_${key}. ${BUILD_PLACEHOLDER_MSG}`;
}

function fail(msg: string): never {
  throw new GoFuncError(msg);
}

function str(rv: RV): string {
  return typeof rv?.v === "string" ? rv.v : "";
}

/** Packer's time-ordered UUID: 32 bits of Unix time, then 96 random bits. */
export function timeOrderedUUID(nowMs: number = Date.now()): string {
  const unix = (Math.floor(nowMs / 1000) >>> 0).toString(16).padStart(8, "0");
  const b = nodeCrypto().randomBytes(12).toString("hex");
  return `${unix}-${b.slice(0, 4)}-${b.slice(4, 8)}-${b.slice(8, 12)}-${b.slice(12, 16)}${b.slice(16, 24)}`;
}

function envOf(ctx: InterpolateContext): Readonly<Record<string, string | undefined>> {
  return ctx.env ?? process.env;
}

/** Resolves a lookup through the cache, or raises PendingLookup so that renderAsync performs it. */
function cached(cache: LookupCache | undefined, key: string, run: PendingLookup["run"]): string {
  const hit = cache?.get(key);
  if (hit === undefined) throw new PendingLookup(key, run);
  if ("error" in hit) fail(hit.error);
  return hit.value;
}

function fromResult(r: LookupResult): string {
  if ("error" in r) fail(r.error);
  return r.value;
}

function sync<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof GoFuncError) throw e;
    fail(e instanceof Error ? e.message : String(e));
  }
}

const S = "string" as const;

/**
 * Builds the function map for a context. `cache` holds asynchronous lookups already performed
 * (renderAsync); without it a needed Consul or Vault lookup raises PendingLookup.
 */
export function packerFuncs(ctx: InterpolateContext, cache?: LookupCache): Map<string, GoFunc> {
  const initTime = ctx.initTime ?? processInitTime();
  const env = envOf(ctx);
  const enableEnv = ctx.enableEnv ?? false;

  const awsSecret = (name: string, key: string, raw: boolean): string => {
    if (name.length === 0) fail("At least one secret name must be provided");
    const resolver = ctx.secrets?.awsSecretString;
    if (resolver === undefined) fail(awsUnavailable(env));
    const secretString = sync(() => resolver(name));
    return fromResult(awsSecretValue(secretString, key, raw));
  };

  const m = new Map<string, GoFunc>([
    [
      "build_name",
      {
        params: [],
        result: S,
        call: () => (ctx.buildName ? ctx.buildName : fail("build_name not available")),
      },
    ],
    [
      "build_type",
      {
        params: [],
        result: S,
        call: () => (ctx.buildType ? ctx.buildType : fail("build_type not available")),
      },
    ],
    [
      "env",
      {
        params: [S],
        result: S,
        call: ([k]) => {
          if (!enableEnv) fail("env vars are not allowed here");
          return env[str(k)] ?? "";
        },
      },
    ],
    [
      "isotime",
      {
        params: [],
        variadic: S,
        result: S,
        call: (args) => {
          if (args.length === 0) return goFormat(initTime, RFC3339);
          if (args.length > 1) fail(`too many values, 1 needed: [${args.map(str).join(" ")}]`);
          return goFormat(initTime, str(args[0]));
        },
      },
    ],
    ["strftime", { params: [S], result: S, call: ([f]) => goStrftime(str(f), initTime) }],
    ["pwd", { params: [], result: S, call: () => ctx.cwd ?? process.cwd() }],
    [
      "split",
      {
        params: [S, S, "int"],
        result: S,
        call: ([k, sep, i]) => {
          const parts = goSplit(str(k), str(sep));
          const idx = typeof i?.v === "bigint" ? i.v : 0n;
          if (BigInt(parts.length) <= idx) {
            fail(
              `the substring ${idx} was unavailable using the separator value, ${str(sep)}, only ${parts.length} values were found`,
            );
          }
          if (idx < 0n) fail(`runtime error: index out of range [${idx}]`);
          return parts[Number(idx)] ?? "";
        },
      },
    ],
    [
      "template_dir",
      {
        params: [],
        result: S,
        call: () => {
          if (!ctx.templatePath) fail("template path not available");
          return resolve(ctx.cwd ?? process.cwd(), dirname(ctx.templatePath));
        },
      },
    ],
    ["timestamp", { params: [], result: S, call: () => String(initTime.unix) }],
    ["uuid", { params: [], result: S, call: () => (ctx.uuid ?? timeOrderedUUID)() }],
    [
      "user",
      {
        params: [S],
        result: S,
        call: ([k]) => {
          const vars = ctx.userVariables;
          if (vars === undefined) fail("no user variables are set in the interpolation context");
          const name = str(k);
          const has = Object.hasOwn(vars, name);
          // While rendering the variables section an unset variable is an error (and retried);
          // elsewhere it is the empty string.
          if (enableEnv && !has) fail(`${ERR_VARIABLE_NOT_SET} ${name}`);
          return has ? (vars[name] ?? "") : "";
        },
      },
    ],
    [
      "packer_version",
      {
        params: [],
        result: S,
        call: () => (ctx.packerVersion ? ctx.packerVersion : fail("packer_version not available")),
      },
    ],
    [
      "consul_key",
      {
        params: [S],
        result: S,
        call: ([k]) => {
          if (!enableEnv) fail("consul_key is not allowed here");
          const key = str(k);
          const resolver = ctx.secrets?.consulKey;
          if (resolver !== undefined) return sync(() => resolver(key));
          return cached(cache, `consul\0${key}`, (signal) => consulLookup(key, env, signal));
        },
      },
    ],
    [
      "vault",
      {
        params: [S, S],
        result: S,
        call: ([p, k]) => {
          if (!enableEnv) fail("Vault vars are only allowed in the variables section");
          const path = str(p);
          const key = str(k);
          const resolver = ctx.secrets?.vault;
          if (resolver !== undefined) return sync(() => resolver(path, key));
          if (!env.VAULT_TOKEN) fail("Must set VAULT_TOKEN env var in order to use vault template function");
          return cached(cache, `vault\0${path}\0${key}`, (signal) => vaultLookup(path, key, env, signal));
        },
      },
    ],
    [
      "sed",
      {
        params: [S, S],
        result: S,
        call: () =>
          fail(
            "template function `sed` is deprecated use `replace` or `replace_all` instead." +
              "Documentation: https://www.packer.io/docs/templates/engine",
          ),
      },
    ],
    [
      "build",
      {
        params: [S],
        result: S,
        call: ([k]) => {
          const key = str(k);
          const data = ctx.data;
          let entries: ReadonlyMap<string, GoValue> | undefined;
          if (data instanceof GoMap) entries = data.entries;
          else if (data instanceof Map) entries = data as Map<string, GoValue>;
          else if (
            data !== null &&
            typeof data === "object" &&
            Object.getPrototypeOf(data) === Object.prototype
          ) {
            entries = new Map(Object.entries(data as Record<string, GoValue>));
          }
          if (entries === undefined) {
            fail(
              `Error validating build variable: the given variable ${key} will not be passed into your plugin.`,
            );
          }
          const held = entries.get(key);
          if (typeof held === "string") {
            // First pass (before the build runs): keep the reference for the provisioner-time pass.
            return held.includes(BUILD_PLACEHOLDER_MSG) ? `{{.${key}}}` : held;
          }
          fail(`loaded data, but couldnt find ${key} in it.`);
        },
      },
    ],
    [
      "aws_secretsmanager",
      {
        params: [],
        variadic: S,
        result: S,
        call: (args) => {
          if (!enableEnv) fail("AWS Secrets Manager is only allowed in the variables section");
          switch (args.length) {
            case 0:
              fail("secret name must be provided");
              break;
            case 1:
              return awsSecret(str(args[0]), "", false);
            case 2:
              return awsSecret(str(args[0]), str(args[1]), false);
          }
          fail("only secret name and optional secret key can be provided.");
        },
      },
    ],
    [
      "aws_secretsmanager_raw",
      {
        params: [S],
        result: S,
        call: ([n]) => {
          if (!enableEnv) fail("AWS Secrets Manager is only allowed in the variables section");
          return awsSecret(str(n), "", true);
        },
      },
    ],
    [
      "replace",
      {
        params: [S, S, "int", S],
        result: S,
        call: ([o, n, count, src]) => {
          const c = typeof count?.v === "bigint" ? Number(count.v) : 0;
          return goReplace(str(src), str(o), str(n), c);
        },
      },
    ],
    [
      "replace_all",
      { params: [S, S, S], result: S, call: ([o, n, src]) => goReplace(str(src), str(o), str(n), -1) },
    ],
    ["upper", { params: [S], result: S, call: ([s]) => goToUpper(str(s)) }],
    ["lower", { params: [S], result: S, call: ([s]) => goToLower(str(s)) }],
  ]);
  for (const [name, fn] of Object.entries(ctx.funcs ?? {})) m.set(name, fn);
  return m;
}

/**
 * Wraps a plain string function as a template function taking `arity` string arguments, for callers
 * adding their own functions through InterpolateContext.funcs.
 */
export function stringFunc(arity: number, f: (...args: string[]) => string): GoFunc {
  return {
    params: Array.from({ length: arity }, () => S),
    result: S,
    call: (args) => f(...args.map(str)),
  };
}
