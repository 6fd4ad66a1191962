/**
 * The interpolation context of Packer's legacy template engine (the SDK's interpolate.Context): what the
 * `.Field` data is, which user variables `{{user}}` reads, whether `{{env}}` and secret lookups are
 * allowed (only while rendering the `variables` section), and the build/template facts the contextual
 * functions report.
 */

import { type GoTime, goUnix } from "../../hcl/index.js";
import type { GoFunc, MissingKey } from "./exec.js";

/**
 * Synchronous secret lookups. Each returns the secret or throws an Error whose message is the Go error
 * text shown to the user. When absent, the engine's defaults apply (see renderAsync for network-backed
 * Consul and Vault lookups).
 */
export interface SecretResolvers {
  readonly consulKey?: (key: string) => string;
  readonly vault?: (path: string, key: string) => string;
  /** The SecretString of an AWS Secrets Manager secret (AWSCURRENT stage). */
  readonly awsSecretString?: (name: string) => string;
}

export interface InterpolateContext {
  /** The value `.` refers to: plain JS data (objects become map[string]interface{}) or Go* values. */
  readonly data?: unknown;
  /** Variables read by `{{user}}`; absent means none are set (then `user` fails). */
  readonly userVariables?: Readonly<Record<string, string>>;
  /** Names of variables whose values must be redacted from output (carried for callers). */
  readonly sensitiveVariables?: readonly string[];
  /** True only while rendering the `variables` section: enables env, consul_key, vault, aws_secretsmanager
   *  and makes `user` strict about unset variables. */
  readonly enableEnv?: boolean;
  /** `packer_build_name` for `{{build_name}}`. */
  readonly buildName?: string;
  /** `packer_builder_type` for `{{build_type}}`. */
  readonly buildType?: string;
  /** Core version string for `{{packer_version}}`. */
  readonly packerVersion?: string;
  /** Path of the template file, for `{{template_dir}}`. */
  readonly templatePath?: string;
  /** Extra functions (plugins add e.g. `clean_resource_name`); they override built-in names. */
  readonly funcs?: Readonly<Record<string, GoFunc>>;
  /** Environment for `{{env}}`, VAULT_TOKEN, CONSUL_HTTP_ADDR...; defaults to the process environment. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Working directory for `{{pwd}}` and relative template paths; defaults to the process's. */
  readonly cwd?: string;
  /** The instant `{{timestamp}}`, `{{isotime}}` and `{{strftime}}` report; defaults to process start. */
  readonly initTime?: GoTime;
  /** Secret lookups replacing the defaults (tests, pre-resolved values). */
  readonly secrets?: SecretResolvers;
  /** Go's missingkey option; Packer uses the default (missing keys print `<no value>`). */
  readonly missingKey?: MissingKey;
  /** UUID source for `{{uuid}}`; defaults to Packer's time-ordered UUIDs. */
  readonly uuid?: () => string;
}

/** The monotonic clock when this module was loaded. */
const LOADED_AT = process.hrtime.bigint();
let initTime: GoTime | undefined;

/**
 * The process-wide instant used for all time functions in one run (Go's interpolate.InitTime): the wall
 * clock when this module was loaded. It is worked out on first use, from the wall clock then less the
 * monotonic time elapsed since loading, because reading the wall clock to the nanosecond (`performance`)
 * loads modules that most runs never need.
 */
export function processInitTime(): GoTime {
  if (initTime === undefined) {
    // The wall clock first (its first read loads modules), then the monotonic time since loading.
    const wallNow = performance.timeOrigin + performance.now();
    const ms = wallNow - Number(process.hrtime.bigint() - LOADED_AT) / 1e6;
    const whole = Math.floor(ms);
    const seconds = Math.floor(whole / 1000);
    const subMs = Math.min(999_999, Math.round((ms - whole) * 1e6));
    initTime = goUnix(BigInt(seconds), (whole - seconds * 1000) * 1_000_000 + subMs);
  }
  return initTime;
}
