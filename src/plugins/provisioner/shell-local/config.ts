/**
 * The configuration of `shell-local`, shared by the provisioner and the post-processor (the plugin SDK's
 * shell-local Config, Decode and Validate): which keys there are, their defaults for this OS, and Packer's
 * checks with its messages.
 */
import { statSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import {
  boolType,
  type Diagnostic,
  errorDiag,
  listType,
  mapType,
  numberType,
  stringType,
} from "../../../hcl/index.js";
import type { AttributeSpec, BuildInfo, ConfigSpec, Value } from "../../../sdk/index.js";
import { decodePluginConfig, PACKER_CONFIG_SPEC } from "./plugin-config.js";

const str: AttributeSpec = { kind: "attribute", type: stringType };
const strList: AttributeSpec = { kind: "attribute", type: listType(stringType) };

export const SHELL_LOCAL_CONFIG_SPEC: ConfigSpec = {
  ...PACKER_CONFIG_SPEC,
  inline: strList,
  script: str,
  scripts: strList,
  valid_exit_codes: { kind: "attribute", type: listType(numberType) },
  environment_vars: strList,
  env: { kind: "attribute", type: mapType(stringType) },
  env_var_format: str,
  command: str,
  execute_command: strList,
  inline_shebang: str,
  only_on: strList,
  tempfile_extension: str,
  use_linux_pathing: { kind: "attribute", type: boolType },
};

/** Go's GOOS names that only_on accepts. */
export const SUPPORTED_OS: readonly string[] = [
  "darwin",
  "freebsd",
  "linux",
  "openbsd",
  "solaris",
  "windows",
];

/** This machine's OS as Go names it (runtime.GOOS). */
export function goos(platform: NodeJS.Platform = process.platform): string {
  switch (platform) {
    case "win32":
      return "windows";
    case "sunos":
      return "solaris";
    default:
      return platform;
  }
}

export interface ShellLocalConfig {
  /** The commands of an inline script; undefined when neither `inline` nor `command` was given. */
  readonly inline: readonly string[] | undefined;
  /** Local scripts to run (`script` and `scripts`), relative to the working directory. */
  readonly scripts: readonly string[];
  readonly validExitCodes: readonly number[];
  /** `environment_vars`, `KEY=value` each. */
  readonly vars: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly envVarFormat: string;
  /** The program and its arguments; templates with `.Vars`, `.Script` and `.Command`. */
  readonly executeCommand: readonly string[];
  readonly inlineShebang: string;
  readonly onlyOn: readonly string[];
  /** Without its leading dot. */
  readonly tempfileExtension: string;
  readonly useLinuxPathing: boolean;
  readonly info: BuildInfo;
}

export interface DecodeShellLocalOptions {
  /**
   * The post-processor variant: a one-element `execute_command` (the old string form) runs through `sh -c`.
   */
  readonly postProcessor?: boolean;
  /** The OS to take defaults for (tests); default this machine's. */
  readonly goos?: string;
}

export interface DecodeShellLocalResult {
  readonly config: ShellLocalConfig | undefined;
  readonly diagnostics: readonly Diagnostic[];
}

const TOO_MANY_OPTIONS =
  "You may only specify one of the following options: Command, Inline, Script or Scripts. Please " +
  "consolidate these options in your config.";

export function decodeShellLocalConfig(
  value: Value,
  info: BuildInfo,
  options: DecodeShellLocalOptions = {},
): DecodeShellLocalResult {
  const decoded = decodePluginConfig(value, SHELL_LOCAL_CONFIG_SPEC, info, {
    exclude: ["execute_command"],
    placeholders: true,
    errorPrefix: "Error decoding config: ",
  });
  const r = decoded.reader;
  if (decoded.failed) return { config: undefined, diagnostics: r.diagnostics };

  let inline = r.has("inline") ? (r.stringList("inline") ?? []) : undefined;
  const script = r.string("script") ?? "";
  let scripts = r.stringList("scripts") ?? [];
  const command = r.string("command") ?? "";
  let executeCommand = r.stringList("execute_command") ?? [];
  let inlineShebang = r.string("inline_shebang") ?? "";
  let tempfileExtension = r.string("tempfile_extension") ?? "";
  let envVarFormat = r.string("env_var_format") ?? "";
  const vars = r.stringList("environment_vars") ?? [];
  const env = r.stringMap("env") ?? {};
  const onlyOn = r.stringList("only_on") ?? [];
  const useLinuxPathing = r.bool("use_linux_pathing") ?? false;
  const validExitCodes = r.intList("valid_exit_codes") ?? [];
  if (r.diagnostics.length > 0) return { config: undefined, diagnostics: r.diagnostics };

  if (options.postProcessor === true && executeCommand.length === 1) {
    executeCommand = ["sh", "-c", ...executeCommand];
  }

  const os = options.goos ?? goos();
  const errors: string[] = [];
  if (os === "windows") {
    if (executeCommand.length === 0) executeCommand = ["cmd", "/V", "/C", "{{.Vars}}", "call", "{{.Script}}"];
    if (tempfileExtension === "") tempfileExtension = ".cmd";
  } else {
    if (inlineShebang === "") inlineShebang = "/bin/sh -e";
    if (executeCommand.length === 0) executeCommand = ["/bin/sh", "-c", "{{.Vars}} {{.Script}}"];
  }

  if (command === "" && (inline ?? []).length === 0 && scripts.length === 0 && script === "") {
    errors.push("Command, Inline, Script and Scripts options cannot all be empty.");
  }
  if (command !== "") {
    if ((inline ?? []).length !== 0 || scripts.length !== 0 || script !== "") errors.push(TOO_MANY_OPTIONS);
    else inline = [command];
  }
  if (script !== "") {
    if (scripts.length > 0 || (inline ?? []).length > 0) errors.push(TOO_MANY_OPTIONS);
    else scripts = [script];
  }
  if (scripts.length > 0 && inline !== undefined) errors.push(TOO_MANY_OPTIONS);

  for (const path of scripts) {
    const problem = statProblem(path, info.cwd);
    if (problem !== undefined) errors.push(`Bad script '${path}': ${problem}`);
  }

  // Packer returns these two at once, dropping what it found before.
  for (const provided of onlyOn) {
    if (!SUPPORTED_OS.includes(provided)) {
      return failure([
        `Invalid OS specified in only_on: '${provided}'\nSupported OS names: ${SUPPORTED_OS.join(", ")}`,
      ]);
    }
  }
  if (useLinuxPathing) {
    const converted: string[] = [];
    for (const path of scripts) {
      const abs = isAbsolute(path) ? path : resolve(info.cwd, path);
      const linux = convertToLinuxPath(abs);
      if (!linux.ok) return failure([linux.error]);
      converted.push(linux.path);
    }
    scripts = converted;
    if ((inline ?? []).length > 0) {
      errors.push(
        "Packer is unable to use the Command and Inline features with the Windows Linux Subsystem. Please " +
          "use the Script or Scripts options instead",
      );
    }
  }

  if (envVarFormat === "") envVarFormat = os === "windows" && !useLinuxPathing ? "set %s=%s && " : "%s='%s' ";
  if (tempfileExtension.startsWith(".")) tempfileExtension = tempfileExtension.slice(1);

  for (const kv of vars) {
    const eq = kv.indexOf("=");
    if (eq <= 0) errors.push(`Environment variable not in format 'key=value': ${kv}`);
  }

  if (errors.length > 0) return failure(errors);
  return {
    config: {
      inline,
      scripts,
      validExitCodes,
      vars,
      env,
      envVarFormat,
      executeCommand,
      inlineShebang,
      onlyOn,
      tempfileExtension,
      useLinuxPathing,
      info,
    },
    diagnostics: r.diagnostics,
  };
}

function failure(messages: readonly string[]): DecodeShellLocalResult {
  return { config: undefined, diagnostics: messages.map((m) => errorDiag(m)) };
}

/** Packer's ConvertToLinuxPath: `C:/path/to/file` becomes `/mnt/c/path/to/file` (for WSL). */
export function convertToLinuxPath(
  winAbsPath: string,
): { readonly ok: true; readonly path: string } | { readonly ok: false; readonly error: string } {
  const slashed = winAbsPath.replaceAll("\\", "/");
  const sep = slashed.indexOf(":/");
  if (sep >= 0) {
    return { ok: true, path: `/mnt/${slashed.slice(0, sep).toLowerCase()}/${slashed.slice(sep + 2)}` };
  }
  return {
    ok: false,
    error:
      "There was an error splitting your absolute path; expected to find a drive following the format ':/' " +
      `but did not: absolute path: ${slashed}`,
  };
}

/** Go's os.Stat error text (`stat a: no such file or directory`), or undefined when the path exists. */
export function statProblem(path: string, cwd: string): string | undefined {
  try {
    statSync(isAbsolute(path) ? path : resolve(cwd, path));
    return undefined;
  } catch (err) {
    return `stat ${path}: ${goErrnoText(err)}`;
  }
}

/** The text Go's syscall.Errno prints for a Node.js file system error. */
export function goErrnoText(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  switch (code) {
    case "ENOENT":
      return "no such file or directory";
    case "EACCES":
      return "permission denied";
    case "ENOTDIR":
      return "not a directory";
    case "EISDIR":
      return "is a directory";
    case "EEXIST":
      return "file exists";
    case "ELOOP":
      return "too many levels of symbolic links";
    case "ENAMETOOLONG":
      return "file name too long";
    case "ENOSPC":
      return "no space left on device";
    case "EROFS":
      return "read-only file system";
    case "EPERM":
      return "operation not permitted";
    default:
      return err instanceof Error ? err.message : String(err);
  }
}
