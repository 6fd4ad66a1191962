/**
 * The steps that start the VM and talk to it before the communicator connects:
 *  - stepCreatevTPM: runs swtpm for `vtpm`;
 *  - stepPrepareEfivars: copies the UEFI variable store into the output directory;
 *  - stepRun: builds the command line and starts QEMU; the VM counts as started once kiln's own QMP socket
 *    answers (Packer waits two seconds instead), and a QEMU that exits first is reported with its error output;
 *    cleanup stops the VM and waits until it is gone;
 *  - stepConfigureQMP: with qmp_enable, connects to the user's QMP socket and sets the VNC password.
 */
import { copyFile, mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { runProcess } from "../../../exec/index.js";
import { ErrorCode, errorMessage, KilnError, type Step, type StepAction } from "../../../sdk/index.js";
import { sleepFor } from "./boot-command.js";
import { resolvePath } from "./config.js";
import { lookPath } from "./driver.js";
import { qemuCommandArgs, qemuOptionValue } from "./qemu-args.js";
import { QmpClient } from "./qmp.js";
import { internalQmpPath, type QemuState } from "./state.js";
import { outputDirPath } from "./step-disk.js";

/**
 * The command QEMU runs for each guest connection to the HTTP server: this Node binary bridging its standard
 * input and output to the server's TCP port. Single-quoted for QEMU's argument parsing (GLib shell rules).
 */
export function nodeBridgeCommand(host: string, port: number): string {
  // Standard input and output are one socket (QEMU's end of the guest's connection): relay it both ways.
  const script = `const n=require("net");const g=new n.Socket({fd:0});const s=n.connect(${port},${JSON.stringify(host)});g.pipe(s).pipe(g);s.on("error",()=>g.destroy());g.on("error",()=>s.destroy())`;
  return `${process.execPath} -e '${script}'`;
}

export class StepCreateVtpm implements Step<QemuState> {
  readonly name = "stepCreatevTPM";
  private dir: string | undefined;
  private stop: AbortController | undefined;
  private done: Promise<unknown> | undefined;

  async run(state: QemuState): Promise<StepAction> {
    const { config, ui } = state;
    if (!config.vtpm) return "continue";
    const swtpm = lookPath("swtpm", state.info.env);
    if (swtpm === undefined) {
      const message = `failed to locate swtpm (exec: "swtpm": executable file not found in $PATH), this is required for vTPM support`;
      ui.error(message);
      state.error = new KilnError(ErrorCode.Builder, message, {
        hint: "Install swtpm (Debian: apt-get install swtpm).",
      });
      return "halt";
    }
    const dir = join(state.workDir, "vtpm");
    await mkdir(dir, { recursive: true });
    this.dir = dir;
    const sockPath = join(dir, "vtpm.sock");
    state.vtpmSocketPath = sockPath;
    const args = ["socket", "--tpmstate", `dir=${dir}`, "--ctrl", `type=unixio,path=${sockPath}`];
    if (!config.useTpm1) args.push("--tpm2");
    this.stop = new AbortController();
    state.log.log(`Executing swtpm: ${args.join(" ")}`);
    this.done = runProcess({
      command: swtpm,
      args,
      env: state.info.env,
      signal: this.stop.signal,
      okExitCodes: "any",
      onStderrLine: (l) => state.log.log(`swtpm: ${l}`),
      log: state.log,
    }).catch(() => undefined);
    return "continue";
  }

  async cleanup(): Promise<void> {
    this.stop?.abort();
    await this.done;
    if (this.dir !== undefined) await rm(this.dir, { recursive: true, force: true });
  }
}

export class StepPrepareEfivars implements Step<QemuState> {
  readonly name = "stepPrepareEfivars";

  async run(state: QemuState): Promise<StepAction> {
    const { config, ui } = state;
    if (!config.efiBoot) return "continue";
    const dst = join(outputDirPath(state), "efivars.fd");
    state.efivarsPath = dst;
    try {
      await copyFile(resolvePath(config.efiFirmwareVars, state.info.cwd), dst);
    } catch (err) {
      const message = `failed to read from efivars file at ${config.efiFirmwareVars}: ${errorMessage(err)}`;
      ui.error(message);
      state.error = new KilnError(ErrorCode.Builder, message, { cause: err });
      return "halt";
    }
    return "continue";
  }

  async cleanup(state: QemuState): Promise<void> {
    if (!state.config.efiBoot || state.efivarsPath === undefined) return;
    if (state.cancelled || state.halted) await rm(state.efivarsPath, { force: true });
  }
}

/** How long QEMU may take to open its monitor socket. */
const START_TIMEOUT_MS = 60_000;

export class StepRun implements Step<QemuState> {
  readonly name = "stepRun";

  async run(state: QemuState, signal: AbortSignal): Promise<StepAction> {
    const { config, ui, driver } = state;
    const fail = (message: string, cause?: unknown, hint?: string): StepAction => {
      const err = new KilnError(ErrorCode.Builder, message, {
        ...(cause !== undefined ? { cause } : {}),
        ...(hint !== undefined ? { hint } : {}),
      });
      state.error = err;
      ui.error(err.message);
      return "halt";
    };
    let version: string;
    try {
      version = await driver.version(signal);
    } catch (err) {
      if (signal.aborted) return "halt";
      return fail(`Error determining qemu version: ${errorMessage(err)}`, err);
    }
    const major = Number(version.split(".")[0]);
    const commGuestPort = config.comm.type === "winrm" ? config.comm.winrm.port : config.comm.ssh.port;
    const built = qemuCommandArgs({
      config,
      atLeastVersion2: major >= 2,
      commHostPort: state.commHostPort,
      netProbePort: state.netProbePort,
      commGuestPort,
      vncPort: state.vncPort ?? 5900,
      vncPassword: state.vncPassword ?? "",
      httpIp: state.httpIp ?? "",
      httpPort: state.httpPort ?? 0,
      isoPath: state.isoPath,
      cdPath: state.cdPath,
      floppyPath: state.floppyPath,
      diskPaths: state.diskPaths ?? [],
      efivarsPath: state.efivarsPath,
      vtpmSocketPath: state.vtpmSocketPath,
      bridgeCommand: nodeBridgeCommand,
      buildInfo: state.info,
    });
    if ("error" in built) return fail(`Error processing QemuArgs: ${built.error}`);
    for (const m of built.messages) {
      if (m.kind === "say") ui.say(m.text);
      else ui.message(m.text);
    }
    const qmpPath = internalQmpPath(state);
    await rm(qmpPath, { force: true });
    const args = [...built.args, "-qmp", `unix:${qemuOptionValue(qmpPath)},server=on,wait=off`];
    if (config.qmpEnable) await mkdir(resolvePath(config.outputDir, state.info.cwd), { recursive: true });
    const { exited } = driver.start(args);
    state.vmExited = exited;
    let gone = false;
    void exited.then(() => {
      gone = true;
    });
    // Started when the monitor answers; failed when QEMU exits first.
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      if (gone) {
        const tail = driver.stderrTail();
        return fail(
          `Error launching VM: Qemu failed to start. Please run with PACKER_LOG=1 to get more info.${tail !== "" ? `\n${tail}` : ""}`,
        );
      }
      if (signal.aborted) return "halt";
      try {
        state.qmp = await QmpClient.connect(qmpPath, signal, 5000);
        break;
      } catch (err) {
        if (signal.aborted) return "halt";
        if (Date.now() > deadline) return fail(`Error launching VM: ${errorMessage(err)}`, err);
        await sleepFor(50, signal).catch(() => undefined);
      }
    }
    state.log.log("The VM is running (QMP answered)");
    return "continue";
  }

  async cleanup(state: QemuState): Promise<void> {
    state.qmp?.close();
    delete state.qmp;
    try {
      await state.driver.stop();
    } catch (err) {
      state.ui.error(`Error shutting down VM: ${errorMessage(err)}`);
    }
    await rm(internalQmpPath(state), { force: true });
  }
}

export class StepConfigureQmp implements Step<QemuState> {
  readonly name = "stepConfigureQMP";
  private monitor: QmpClient | undefined;

  async run(state: QemuState, signal: AbortSignal): Promise<StepAction> {
    const { config, ui } = state;
    if (!config.qmpEnable) return "continue";
    ui.say(`QMP socket at: ${config.qmpSocketPath}`);
    const fail = (message: string, cause: unknown): StepAction => {
      const err = new KilnError(ErrorCode.Builder, message, { cause });
      state.error = err;
      ui.error(err.message);
      return "halt";
    };
    try {
      this.monitor = await QmpClient.connect(resolvePath(config.qmpSocketPath, state.info.cwd), signal, 2000);
    } catch (err) {
      if (signal.aborted) return "halt";
      return fail(`Error opening QMP socket: ${errorMessage(err)}`, err);
    }
    state.log.log("QMP socket open SUCCESS");
    const password = state.vncPassword ?? "";
    if (password !== "") {
      try {
        await this.monitor.execute("change-vnc-password", { password });
      } catch (err) {
        return fail(`Error connecting to QMP socket: ${errorMessage(err)}`, err);
      }
    }
    state.userQmp = this.monitor;
    return "continue";
  }

  async cleanup(state: QemuState): Promise<void> {
    if (this.monitor === undefined) return;
    this.monitor.close();
    this.monitor = undefined;
    delete state.userQmp;
    try {
      await rm(resolvePath(state.config.qmpSocketPath, state.info.cwd));
    } catch (err) {
      state.log.log(`Failed to delete the qmp socket file: ${errorMessage(err)}`);
    }
  }
}
