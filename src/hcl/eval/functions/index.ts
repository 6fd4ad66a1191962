/**
 * Packer's HCL2 function table (hcl2template/functions.go): the ordinary function families of this folder,
 * the expression functions try/can/convert and templatefile, assembled into the one FunctionTable every
 * template expression is evaluated with. Plus the only function a `variable` block's `default` may call:
 * env().
 *
 * The table depends on where the template is (file functions resolve relative paths against the
 * template's directory, `filebase64` and `abspath` against the working directory) and on when the run
 * started (legacy_isotime / legacy_strftime format the process start time), so it is built by a factory.
 */
import { stringType, stringVal } from "../../value/index.js";
import type { FunctionSpec, FunctionTable } from "../function.js";
import { collectionFunctions } from "./collection.js";
import { cryptoFunctions } from "./crypto.js";
import { makeDatetimeFunctions } from "./datetime.js";
import { encodingFunctions } from "./encoding.js";
import { makeFilesystemFunctions } from "./filesystem.js";
import { networkFunctions } from "./network.js";
import { numericFunctions } from "./numeric.js";
import { regexFunctions } from "./regex.js";
import { makeRemoteFunctions, type SecretsClient } from "./remote.js";
import { canFunction, convertFunction, makeTemplateFileFunction, tryFunction } from "./special.js";
import { stringFunctions } from "./string.js";
import { uuidFunctions } from "./uuid.js";

export interface PackerFunctionsContext {
  /** The template's directory (path.root): what file, fileexists, fileset and templatefile read from. */
  readonly baseDir: string;
  /** The working directory: what abspath and filebase64 resolve against. */
  readonly cwd: string;
  /** When the run started: what legacy_isotime and legacy_strftime format. */
  readonly startTime: Date;
  /** The home directory `~` stands for (pathexpand, file paths); defaults to the user's. */
  readonly homeDir?: string;
  /** The clock timestamp() reads; defaults to the system clock. */
  readonly now?: () => Date;
  /** The environment vault(), consul_key() and aws_secretsmanager*() read their settings from. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** How those functions reach their services; by default they explain what is not configured. */
  readonly secretsClient?: SecretsClient;
}

/** Every function a Packer HCL2 template may call, by name. */
export function packerFunctions(ctx: PackerFunctionsContext): FunctionTable {
  const table = new Map<string, FunctionSpec>();
  const add = (family: Readonly<Record<string, FunctionSpec>>): void => {
    for (const [name, spec] of Object.entries(family)) table.set(name, spec);
  };
  add(numericFunctions);
  add(stringFunctions);
  add(regexFunctions);
  add(collectionFunctions);
  add(encodingFunctions);
  add(
    makeFilesystemFunctions({
      baseDir: ctx.baseDir,
      cwd: ctx.cwd,
      ...(ctx.homeDir !== undefined ? { homeDir: ctx.homeDir } : {}),
    }),
  );
  add(
    makeDatetimeFunctions({ startTime: ctx.startTime, ...(ctx.now !== undefined ? { now: ctx.now } : {}) }),
  );
  add(cryptoFunctions);
  add(uuidFunctions);
  add(networkFunctions);
  add(
    makeRemoteFunctions({
      env: ctx.env ?? {},
      ...(ctx.secretsClient !== undefined ? { client: ctx.secretsClient } : {}),
    }),
  );
  table.set("try", tryFunction);
  table.set("can", canFunction);
  table.set("convert", convertFunction);
  // templatefile sees the whole table (minus itself, which it replaces to forbid recursion).
  table.set(
    "templatefile",
    makeTemplateFileFunction(ctx.baseDir, () => table),
  );
  return table;
}

/**
 * env(key): the value of an environment variable, "" when unset. Only `variable` defaults may call it.
 */
export function envFunction(env: Readonly<Record<string, string | undefined>>): FunctionSpec {
  return {
    description: "Returns the value of the environment variable with the given name, or an empty string.",
    params: [{ name: "key", type: stringType }],
    type: () => stringType,
    impl: ([key]) => stringVal(env[key!.asString()] ?? ""),
  };
}

/** The functions a `variable` block's `default` is evaluated with: env() alone. */
export function variableDefaultFunctions(env: Readonly<Record<string, string | undefined>>): FunctionTable {
  return new Map([["env", envFunction(env)]]);
}
