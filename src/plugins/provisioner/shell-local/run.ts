/**
 * Running `shell-local` (the plugin SDK's shell_local.Run): the inline commands become a temporary script,
 * each script runs through `execute_command` on this machine with the environment variables flattened into
 * `{{.Vars}}`, its output is shown line by line (standard output as messages, standard error as errors), and
 * its exit status is checked against `valid_exit_codes`.
 */
import { randomInt } from "node:crypto";
import { chmod, open, rename, rm } from "node:fs/promises";
import { isAbsolute, join, resolve } from "node:path";
import { runProcess } from "../../../exec/index.js";
import {
  cleanOutputLine,
  ErrorCode,
  errorMessage,
  type GeneratedData,
  HTTP_ADDR_NOT_IMPLEMENTED,
  HTTP_IP_NOT_IMPLEMENTED,
  HTTP_PORT_NOT_IMPLEMENTED,
  isCancellation,
  KilnError,
  type RunContext,
  throwIfAborted,
  type Ui,
} from "../../../sdk/index.js";
import { renderOnce, sprintf } from "../../../template/index.js";
import { goos, type ShellLocalConfig } from "./config.js";
import { interpolateContext } from "./plugin-config.js";

/** Packer's ErrorInvalidExitCode text. */
export function invalidExitCodeMessage(code: number, allowed: readonly number[]): string {
  return `Script exited with non-zero exit status: ${code}.Allowed exit codes are: [${allowed.join(" ")}]`;
}

/**
 * Runs the configured scripts. Resolves when all ran with an allowed exit status (or the OS is not in
 * `only_on`); rejects with the first failure, or with a cancellation when `signal` fires (the running script's
 * process group is stopped).
 */
export async function runShellLocal(
  ui: Ui,
  config: ShellLocalConfig,
  generatedData: GeneratedData | undefined,
  signal: AbortSignal,
  context: RunContext,
  os: string = goos(),
): Promise<void> {
  throwIfAborted(signal);
  const log = context.log;
  // The data templates see: the builder's generated data, then .Vars, .Script and .Command per script.
  const data: Record<string, unknown> = { ...(generatedData ?? {}) };
  if (config.onlyOn.length > 0 && !config.onlyOn.includes(os)) {
    ui.say("Skipping shell-local due to runtime OS");
    log.log("[INFO] (shell-local): skipping shell-local due to missing runtime OS");
    return;
  }

  const info = config.info;
  const scripts = [...config.scripts];
  let tempScript: string | undefined;
  try {
    if (scripts.length === 0 && config.inline !== undefined) {
      tempScript = await createInlineScriptFile(config, data, context);
      scripts.push(tempScript);
    }
    const vars = flattenedEnvVars(config, data);

    for (const script of scripts) {
      const absScript = isAbsolute(script) ? script : resolve(info.cwd, script);
      data.Vars = vars;
      data.Script = absScript;
      data.Command = absScript;
      const ctx = interpolateContext(info, data);
      const command: string[] = [];
      for (const part of config.executeCommand) {
        const rendered = renderOnce(part, ctx);
        if ("error" in rendered) throw shellLocalError(`Error processing command: ${rendered.error}`);
        command.push(rendered.value);
      }
      ui.say(`Running local shell script: ${script}`);
      log.log(`[INFO] (shell-local): starting local command: ${command.join(" ")}`);
      const exitCode = await runCommand(command, absScript, ui, signal, config, context);
      const allowed = config.validExitCodes.length > 0 ? config.validExitCodes : [0];
      if (!allowed.includes(exitCode)) {
        throw new KilnError("SCRIPT_EXIT", invalidExitCodeMessage(exitCode, allowed), {
          hint: "Fix the script, or list its exit status in `valid_exit_codes`.",
          data: { script: absScript, exitCode, allowed },
        });
      }
    }
  } finally {
    if (tempScript !== undefined) await rm(tempScript, { force: true });
  }
}

/** Runs one command line; resolves to its exit status (-1 when a signal ended it, as Go reports). */
async function runCommand(
  command: readonly string[],
  absScript: string,
  ui: Ui,
  signal: AbortSignal,
  config: ShellLocalConfig,
  context: RunContext,
): Promise<number> {
  const [program, ...args] = command;
  if (program === undefined) {
    throw shellLocalError("Error launching command via shell-local communicator: No ExecuteCommand provided");
  }
  try {
    const result = await runProcess({
      command: program,
      args,
      env: config.info.env,
      cwd: config.info.cwd,
      signal,
      okExitCodes: "any",
      onStdoutLine: (line) => ui.message(cleanOutputLine(line)),
      onStderrLine: (line) => ui.error(cleanOutputLine(line)),
      log: context.log,
    });
    return result.exitCode ?? -1;
  } catch (err) {
    if (isCancellation(err) || signal.aborted) throw err;
    if (err instanceof KilnError && err.code === ErrorCode.ExecSignal) return -1;
    throw shellLocalError(
      `Error executing script: ${absScript}\n\nPlease see output above for more information.`,
      err,
    );
  }
}

/**
 * Writes the inline commands, each rendered with the generated data, to a new temporary script (mode 0700)
 * with the shebang line first; renamed to carry `tempfile_extension` when one is set.
 */
async function createInlineScriptFile(
  config: ShellLocalConfig,
  data: Record<string, unknown>,
  context: RunContext,
): Promise<string> {
  const ctx = interpolateContext(config.info, data);
  let text = "";
  if (config.inlineShebang !== "") {
    context.log.log(`[INFO] (shell-local): Prepending inline script with #!${config.inlineShebang}`);
    text += `#!${config.inlineShebang}\n`;
  }
  for (const command of config.inline ?? []) {
    const rendered = renderOnce(command, ctx);
    if ("error" in rendered) throw shellLocalError(rendered.error);
    text += `${rendered.value}\n`;
  }
  let path = await createTempFile(tempDir(config.info.env), "packer-shell", text);
  try {
    await chmod(path, 0o700);
  } catch (err) {
    context.log.log(
      `[ERROR] (shell-local): error modifying permissions of temp script file: ${errorMessage(err)}`,
    );
  }
  if (config.tempfileExtension !== "") {
    const renamed = `${path}.${config.tempfileExtension}`;
    await rename(path, renamed);
    path = renamed;
  }
  return path;
}

/** Go's os.TempDir on Unix: $TMPDIR, else /tmp. */
function tempDir(env: Readonly<Record<string, string | undefined>>): string {
  const dir = env.TMPDIR;
  return dir !== undefined && dir !== "" ? dir : "/tmp";
}

/** Go's os.CreateTemp: `<prefix><random number>` created exclusively in `dir`. */
async function createTempFile(dir: string, prefix: string, content: string): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    const path = join(dir, `${prefix}${randomInt(0, 2 ** 32 - 1)}`);
    let handle: Awaited<ReturnType<typeof open>>;
    try {
      handle = await open(path, "wx", 0o600);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "EEXIST" && attempt < 10000) continue;
      throw shellLocalError(`Error preparing shell script: ${errorMessage(err)}`, err);
    }
    try {
      await handle.writeFile(content);
    } catch (err) {
      throw shellLocalError(`Error preparing shell script: ${errorMessage(err)}`, err);
    } finally {
      await handle.close();
    }
    return path;
  }
}

/**
 * The environment variables as `{{.Vars}}` shows them: PACKER_BUILD_NAME, PACKER_BUILDER_TYPE, the HTTP
 * server's address when the builder has one, `environment_vars`, then `env`, each value with `'` escaped for
 * a single-quoted shell string, sorted by name and formatted with `env_var_format`.
 */
export function flattenedEnvVars(config: ShellLocalConfig, data: Readonly<Record<string, unknown>>): string {
  const vars = new Map<string, string>();
  vars.set("PACKER_BUILD_NAME", config.info.buildName);
  vars.set("PACKER_BUILDER_TYPE", config.info.builderType);
  const http: readonly [string, string, string][] = [
    ["PackerHTTPAddr", HTTP_ADDR_NOT_IMPLEMENTED, "PACKER_HTTP_ADDR"],
    ["PackerHTTPIP", HTTP_IP_NOT_IMPLEMENTED, "PACKER_HTTP_IP"],
    ["PackerHTTPPort", HTTP_PORT_NOT_IMPLEMENTED, "PACKER_HTTP_PORT"],
  ];
  for (const [key, sentinel, name] of http) {
    const v = data[key];
    if (v !== undefined && v !== null && v !== sentinel) vars.set(name, String(v));
  }
  const ctx = interpolateContext(config.info, data);
  for (const kv of config.vars) {
    const rendered = renderOnce(kv, ctx);
    if ("error" in rendered) throw shellLocalError(rendered.error);
    const eq = rendered.value.indexOf("=");
    // Validated at prepare time; a rendered value without `=` is kept whole as a name, as Go's SplitN.
    const key = eq < 0 ? rendered.value : rendered.value.slice(0, eq);
    const value = eq < 0 ? "" : rendered.value.slice(eq + 1);
    vars.set(key, escapeSingleQuotes(value));
  }
  for (const [k, v] of Object.entries(config.env)) vars.set(k, escapeSingleQuotes(v));
  const keys = [...vars.keys()].sort(compareBytes);
  return keys.map((k) => sprintf(config.envVarFormat, [k, vars.get(k)!])).join("");
}

function escapeSingleQuotes(s: string): string {
  return s.replaceAll("'", `'"'"'`);
}

/** Go's string order (bytes of UTF-8). */
export function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

function shellLocalError(message: string, cause?: unknown): KilnError {
  return new KilnError(ErrorCode.Provisioner, message, cause !== undefined ? { cause } : {});
}
