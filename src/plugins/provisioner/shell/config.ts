/**
 * The `shell` provisioner's configuration (Packer's provisioner/shell Config and Prepare, §9.7): keys,
 * defaults and checks with Packer's messages.
 */
import { statSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { ConfigReader } from "../../../communicator/index.js";
import { boolType, type Diagnostic, listType, mapType, numberType, stringType } from "../../../hcl/index.js";
import {
  type AttributeSpec,
  type BuildInfo,
  type ConfigSpec,
  Duration,
  type Value,
} from "../../../sdk/index.js";
import { PACKER_COMMON_CONFIG_SPEC } from "./packer-config.js";

const str: AttributeSpec = { kind: "attribute", type: stringType };
const bool: AttributeSpec = { kind: "attribute", type: boolType };
const strList: AttributeSpec = { kind: "attribute", type: listType(stringType) };

export const SHELL_CONFIG_SPEC: ConfigSpec = {
  ...PACKER_COMMON_CONFIG_SPEC,
  inline: strList,
  script: str,
  scripts: strList,
  valid_exit_codes: { kind: "attribute", type: listType(numberType) },
  environment_vars: strList,
  env: { kind: "attribute", type: mapType(stringType) },
  env_var_format: str,
  binary: bool,
  remote_path: str,
  execute_command: str,
  inline_shebang: str,
  pause_after: str,
  use_env_var_file: bool,
  remote_folder: str,
  remote_file: str,
  start_retry_timeout: str,
  skip_clean: bool,
  expect_disconnect: bool,
};

export const DEFAULT_EXECUTE_COMMAND = "chmod +x {{.Path}}; {{.Vars}} {{.Path}}";
export const DEFAULT_EXECUTE_COMMAND_ENV_FILE = "chmod +x {{.Path}}; . {{.EnvVarFile}} && {{.Path}}";

export interface ShellConfig {
  /** Inline commands; undefined when `inline` is absent or empty. */
  readonly inline: readonly string[] | undefined;
  /** Local scripts (`script` folded in), resolved against the working directory. */
  readonly scripts: readonly string[];
  /** The scripts as the user wrote them, for messages. */
  readonly scriptNames: readonly string[];
  readonly validExitCodes: readonly number[];
  readonly vars: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly envVarFormat: string;
  readonly binary: boolean;
  readonly remotePath: string;
  readonly executeCommand: string;
  readonly inlineShebang: string;
  /** Whether inline_shebang was set (then it is written even when the script starts with `#!`). */
  readonly inlineShebangDefined: boolean;
  readonly pauseAfter: Duration;
  readonly useEnvVarFile: boolean;
  readonly remoteFolder: string;
  readonly remoteFile: string;
  readonly startRetryTimeout: Duration;
  readonly skipClean: boolean;
  readonly expectDisconnect: boolean;
}

export interface DecodeShellResult {
  readonly config: ShellConfig | undefined;
  readonly diagnostics: readonly Diagnostic[];
}

/** A random number in [0, 9999), as Go's rand.Intn(9999). */
export function randomSuffix(): number {
  return Math.floor(Math.random() * 9999);
}

export function decodeShellConfig(value: Value | undefined, info: BuildInfo): DecodeShellResult {
  const r = new ConfigReader(value);
  const inlineList = r.stringList("inline");
  const script = r.string("script") ?? "";
  let scripts = r.stringList("scripts") ?? [];
  const validExitCodes = r.intList("valid_exit_codes") ?? [];
  const vars = r.stringList("environment_vars") ?? [];
  const env = r.stringMap("env") ?? {};
  const useEnvVarFile = r.bool("use_env_var_file") ?? false;
  let envVarFormat = r.string("env_var_format") ?? "";
  let executeCommand = r.string("execute_command") ?? "";
  let inlineShebang = r.string("inline_shebang") ?? "";
  let startRetryTimeout = r.duration("start_retry_timeout") ?? Duration.zero;
  const pauseAfter = r.duration("pause_after") ?? Duration.zero;
  const remoteFolder = r.string("remote_folder") || "/tmp";
  const remoteFile = r.string("remote_file") || `script_${randomSuffix()}.sh`;
  const remotePath = r.string("remote_path") || `${remoteFolder}/${remoteFile}`;
  const binary = r.bool("binary") ?? false;
  const skipClean = r.bool("skip_clean") ?? false;
  const expectDisconnect = r.bool("expect_disconnect") ?? false;
  if (r.diagnostics.length > 0) return { config: undefined, diagnostics: r.diagnostics };

  if (envVarFormat === "") envVarFormat = useEnvVarFile ? "export %s='%s'\n" : "%s='%s' ";
  if (executeCommand === "")
    executeCommand = useEnvVarFile ? DEFAULT_EXECUTE_COMMAND_ENV_FILE : DEFAULT_EXECUTE_COMMAND;
  const inline = inlineList !== undefined && inlineList.length > 0 ? inlineList : undefined;
  const inlineShebangDefined = inlineShebang !== "";
  if (!inlineShebangDefined) inlineShebang = "/bin/sh -e";
  if (startRetryTimeout.isZero()) startRetryTimeout = Duration.fromMilliseconds(5 * 60_000);

  if (script !== "" && scripts.length > 0) r.error("Only one of script or scripts can be specified.");
  if (script !== "") scripts = [script];
  if (scripts.length === 0 && inline === undefined) {
    r.error("Either a script file or inline script must be specified.");
  } else if (scripts.length > 0 && inline !== undefined) {
    r.error("Only a script file or an inline script can be specified, not both.");
  }
  const resolved = scripts.map((p) => (isAbsolute(p) ? p : resolve(info.cwd, p)));
  scripts.forEach((path, i) => {
    try {
      statSync(resolved[i]!);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const why = code === "ENOENT" ? "no such file or directory" : (err as Error).message;
      r.error(`Bad script '${path}': stat ${path}: ${why}`);
    }
  });
  for (const kv of vars) {
    const eq = kv.indexOf("=");
    if (eq <= 0) r.error(`Environment variable not in format 'key=value': ${kv}`);
  }
  if (r.diagnostics.some((d) => d.severity === "error"))
    return { config: undefined, diagnostics: r.diagnostics };
  return {
    config: {
      inline,
      scripts: resolved,
      scriptNames: scripts,
      validExitCodes,
      vars,
      env,
      envVarFormat,
      binary,
      remotePath,
      executeCommand,
      inlineShebang,
      inlineShebangDefined,
      pauseAfter,
      useEnvVarFile,
      remoteFolder,
      remoteFile,
      startRetryTimeout,
      skipClean,
      expectDisconnect,
    },
    diagnostics: r.diagnostics,
  };
}
