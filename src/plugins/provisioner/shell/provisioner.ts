/**
 * The `shell` provisioner (Packer's provisioner/shell): uploads each script (or the inline commands as one
 * script) to remote_path, makes it executable and runs execute_command with the environment variables,
 * streaming the output to the UI. Upload and run are retried together until start_retry_timeout, so a
 * provisioner that follows a reboot waits for the machine; a disconnect while the script runs is a failure
 * unless expect_disconnect is set. Remote scripts are removed afterwards unless skip_clean.
 */
import { randomInt } from "node:crypto";
import { open, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { Readable } from "node:stream";
import { retry, sleep } from "../../../communicator/index.js";
import {
  type BuildInfo,
  CMD_DISCONNECT_STATUS,
  type Communicator,
  type ConfigSpec,
  ErrorCode,
  errorMessage,
  type GeneratedData,
  HTTP_ADDR_NOT_IMPLEMENTED,
  HTTP_IP_NOT_IMPLEMENTED,
  HTTP_PORT_NOT_IMPLEMENTED,
  KilnError,
  type PrepareResult,
  type Provisioner,
  type RunContext,
  runWithUi,
  type Ui,
  type Value,
} from "../../../sdk/index.js";
import { decodeShellConfig, randomSuffix, SHELL_CONFIG_SPEC, type ShellConfig } from "./config.js";
import { goSprintf } from "./go-sprintf.js";
import { renderPlaceholders } from "./placeholders.js";
import { toUnixLines } from "./unix-reader.js";

function provisionerError(message: string, cause?: unknown): KilnError {
  return new KilnError(ErrorCode.Provisioner, message, cause !== undefined ? { cause } : {});
}

/**
 * Packer's ErrorInvalidExitCode text, byte for byte: its format string has no space after the first full
 * stop (`status: 3.Allowed`), and `[0 1]` is Go's %v of a []int.
 */
export function invalidExitCodeMessage(code: number, allowed: readonly number[]): string {
  return `Script exited with non-zero exit status: ${code}.Allowed exit codes are: [${allowed.join(" ")}]`;
}

export const UNEXPECTED_DISCONNECT_MESSAGE =
  "Script disconnected unexpectedly. If you expected your script to disconnect, i.e. from a restart, you can " +
  'try adding `"expect_disconnect": true` or `"valid_exit_codes": [0, 2300218]` to the shell provisioner ' +
  "parameters.";

/**
 * The environment variables for the scripts, sorted by name, values with single quotes escaped for the
 * remote shell (`'` becomes `'"'"'`): PACKER_BUILD_NAME, PACKER_BUILDER_TYPE, PACKER_HTTP_* when the builder
 * serves HTTP, then environment_vars, then env.
 */
export function shellEnvVars(config: ShellConfig, info: BuildInfo, data: GeneratedData): [string, string][] {
  const vars = new Map<string, string>();
  vars.set("PACKER_BUILD_NAME", info.buildName);
  vars.set("PACKER_BUILDER_TYPE", info.builderType);
  const http: [string, string, string][] = [
    ["PACKER_HTTP_ADDR", "PackerHTTPAddr", HTTP_ADDR_NOT_IMPLEMENTED],
    ["PACKER_HTTP_IP", "PackerHTTPIP", HTTP_IP_NOT_IMPLEMENTED],
    ["PACKER_HTTP_PORT", "PackerHTTPPort", HTTP_PORT_NOT_IMPLEMENTED],
  ];
  for (const [name, key, sentinel] of http) {
    const v = data[key];
    if (v !== undefined && v !== sentinel) vars.set(name, String(v));
  }
  const quote = (v: string): string => v.replaceAll("'", `'"'"'`);
  for (const kv of config.vars) {
    const eq = kv.indexOf("=");
    vars.set(kv.slice(0, eq), quote(kv.slice(eq + 1)));
  }
  for (const [k, v] of Object.entries(config.env)) vars.set(k, quote(v));
  return [...vars.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The variables in env_var_format, concatenated (Packer's createFlattenedEnvVars). */
export function flattenEnvVars(config: ShellConfig, vars: readonly [string, string][]): string {
  return vars.map(([k, v]) => goSprintf(config.envVarFormat, k, v)).join("");
}

/** The inline commands as a script: the shebang line, then each command on its own line. */
export function inlineScript(config: ShellConfig, data: GeneratedData): string {
  const body = (config.inline ?? [])
    .map((c) => `${renderPlaceholders(c, data, { missing: "keep" })}\n`)
    .join("");
  const shebang = config.inlineShebangDefined || !body.startsWith("#!") ? `#!${config.inlineShebang}\n` : "";
  return shebang + body;
}

export class ShellProvisioner implements Provisioner {
  private config: ShellConfig | undefined;
  private info: BuildInfo | undefined;

  configSpec(): ConfigSpec {
    return SHELL_CONFIG_SPEC;
  }

  prepare(config: Value, info: BuildInfo): PrepareResult {
    const decoded = decodeShellConfig(config, info);
    this.config = decoded.config;
    this.info = info;
    return { diagnostics: decoded.diagnostics };
  }

  async provision(
    ui: Ui,
    comm: Communicator,
    generatedData: GeneratedData,
    signal: AbortSignal,
    context: RunContext,
  ): Promise<void> {
    const config = this.config;
    const info = this.info;
    if (config === undefined || info === undefined) {
      throw provisionerError("shell provisioner used before a successful prepare");
    }
    const log = context.log;
    const retryOptions = { startTimeoutMs: config.startRetryTimeout.milliseconds, log };
    const scripts = config.scripts.map((path, i) => ({ path, name: config.scriptNames[i] ?? path }));
    let inlineFile: string | undefined;
    try {
      if (config.inline !== undefined) {
        inlineFile = await createTempScript(tempDir(info.env), inlineScript(config, generatedData));
        scripts.push({ path: inlineFile, name: inlineFile });
      }

      const vars = shellEnvVars(config, info, generatedData);
      let envVarFile = "";
      if (config.useEnvVarFile) {
        let content: Buffer<ArrayBufferLike> = Buffer.from(flattenEnvVars(config, vars));
        if (!config.binary) content = toUnixLines(content);
        const remote = `${config.remoteFolder}/varfile_${randomSuffix()}.sh`;
        await retry(retryOptions, signal, async (s) => {
          await upload(comm, remote, content, s, "Error uploading envVarFile");
          try {
            await comm.start({ command: `chmod 0600 ${remote}` }, s);
          } catch (err) {
            throw provisionerError(
              `Error chmodding script file to 0600 in remote machine: ${errorMessage(err)}`,
              err,
            );
          }
        });
        envVarFile = remote;
      }
      const flattened = flattenEnvVars(config, vars);

      for (const script of scripts) {
        ui.say(`Provisioning with shell script: ${script.name}`);
        log.log(`Opening ${script.path} for reading`);
        let content: Buffer<ArrayBufferLike>;
        try {
          content = await readFile(script.path);
        } catch (err) {
          throw provisionerError(`Error opening shell script: ${errorMessage(err)}`, err);
        }
        if (!config.binary) content = toUnixLines(content);
        const data = { ...generatedData, Vars: flattened, EnvVarFile: envVarFile, Path: config.remotePath };
        const command = renderPlaceholders(config.executeCommand, data, { missing: "no-value" });

        // Upload, chmod and run form one retried unit, so a reboot between them cannot leave the command
        // pointing at a script that is gone.
        const exitStatus = await retry(retryOptions, signal, async (s) => {
          await upload(comm, config.remotePath, content, s, "Error uploading script");
          try {
            await comm.start({ command: `chmod 0755 ${config.remotePath}` }, s);
          } catch (err) {
            throw provisionerError(
              `Error chmodding script file to 0755 in remote machine: ${errorMessage(err)}`,
              err,
            );
          }
          return runWithUi(comm, { command }, ui, s);
        });

        if (exitStatus === CMD_DISCONNECT_STATUS && !config.validExitCodes.includes(CMD_DISCONNECT_STATUS)) {
          if (!config.expectDisconnect) throw provisionerError(UNEXPECTED_DISCONNECT_MESSAGE);
          log.log("Remote end disconnected while executing the script, as expected");
        } else {
          const allowed = config.validExitCodes.length > 0 ? config.validExitCodes : [0];
          if (!allowed.includes(exitStatus)) {
            throw new KilnError(ErrorCode.Provisioner, invalidExitCodeMessage(exitStatus, allowed), {
              data: { exitStatus, allowed },
            });
          }
        }

        if (config.skipClean) continue;
        await cleanupRemoteFile(comm, config.remotePath, retryOptions, signal);
      }

      if (!config.skipClean && envVarFile !== "") {
        await cleanupRemoteFile(comm, envVarFile, retryOptions, signal);
      }
    } finally {
      if (inlineFile !== undefined) await rm(inlineFile, { force: true });
    }

    if (!config.pauseAfter.isZero()) {
      ui.say(`Pausing ${config.pauseAfter} after this provisioner...`);
      await sleep(config.pauseAfter.milliseconds, signal);
    }
  }
}

/** Go's os.TempDir on Unix: $TMPDIR of the run, else /tmp. */
function tempDir(env: Readonly<Record<string, string | undefined>>): string {
  const dir = env.TMPDIR;
  return dir !== undefined && dir !== "" ? dir : "/tmp";
}

/**
 * Writes the inline commands where Packer does (Go's os.CreateTemp(dir, "packer-shell"): `packer-shell` and a
 * random number, created exclusively, mode 0600), so the "Provisioning with shell script" line reads the same.
 */
async function createTempScript(dir: string, content: string): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    const path = join(dir, `packer-shell${randomInt(0, 2 ** 32 - 1)}`);
    let handle: Awaited<ReturnType<typeof open>>;
    try {
      handle = await open(path, "wx", 0o600);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "EEXIST" && attempt < 10_000) continue;
      throw provisionerError(`Error preparing shell script: ${errorMessage(err)}`, err);
    }
    try {
      await handle.writeFile(content);
    } catch (err) {
      await handle.close();
      await rm(path, { force: true });
      throw provisionerError(`Error preparing shell script: ${errorMessage(err)}`, err);
    }
    await handle.close();
    return path;
  }
}

async function upload(
  comm: Communicator,
  remote: string,
  content: Buffer,
  signal: AbortSignal,
  what: string,
): Promise<void> {
  try {
    await comm.upload(remote, Readable.from([content]), { size: content.length, mode: 0o644 }, signal);
  } catch (err) {
    if (signal.aborted) throw err;
    throw provisionerError(`${what}: ${errorMessage(err)}`, err);
  }
}

/** Removes a remote file, retrying across reboots (Packer's cleanupRemoteFile). */
async function cleanupRemoteFile(
  comm: Communicator,
  path: string,
  options: { startTimeoutMs: number; log: RunContext["log"] },
  signal: AbortSignal,
): Promise<void> {
  await retry(options, signal, async (s) => {
    let status: number;
    try {
      status = (await comm.start({ command: `rm -f ${path}` }, s)).exitStatus;
    } catch (err) {
      throw provisionerError(`Error removing temporary script at ${path}: ${errorMessage(err)}`, err);
    }
    if (status === CMD_DISCONNECT_STATUS)
      throw provisionerError("Disconnect while removing temporary script.");
    if (status !== 0) throw provisionerError(`Error removing temporary script at ${path}!`);
  });
}
