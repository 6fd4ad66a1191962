/**
 * stepShutdown: stops the VM once provisioning is done.
 *  - communicator `none`: waits up to shutdown_timeout for the guest to power itself off;
 *  - shutdown_command: runs it through the communicator, then waits up to shutdown_timeout for QEMU to exit.
 *    When the command cannot be sent or the guest does not stop in time, kiln asks the guest to power off with
 *    an ACPI power-button event (through QMP) and gives it ACPI_GRACE_MS more; only if that fails too does the
 *    build fail with Packer's error (the VM is then killed by stepRun's cleanup);
 *  - no shutdown_command: Packer kills QEMU at once; kiln first asks the guest to write its caches to disk
 *    (`sync` through the communicator, best effort), then stops QEMU with SIGTERM (QEMU flushes its image
 *    files and exits), SIGKILL only if it does not go.
 */
import {
  ErrorCode,
  errorMessage,
  KilnError,
  runWithUi,
  type Step,
  type StepAction,
} from "../../../sdk/index.js";
import type { QemuState } from "./state.js";

/** How long a guest gets to react to an ACPI power-down request. */
export const ACPI_GRACE_MS = 30_000;
/** How long the best-effort `sync` before stopping QEMU may take. */
const SYNC_TIMEOUT_MS = 30_000;

export interface StepShutdownOptions {
  readonly acpiGraceMs?: number;
}

export class StepShutdown implements Step<QemuState> {
  readonly name = "stepShutdown";

  constructor(private readonly options: StepShutdownOptions = {}) {}

  async run(state: QemuState, signal: AbortSignal): Promise<StepAction> {
    const { config, ui, driver } = state;
    const fail = (message: string, cause?: unknown): StepAction => {
      const err = new KilnError(ErrorCode.Builder, message, cause !== undefined ? { cause } : {});
      state.error = err;
      ui.error(err.message);
      return "halt";
    };
    const timeoutMs = config.shutdownTimeout.milliseconds;
    if (config.comm.type === "none") {
      ui.say("Waiting for shutdown...");
      try {
        if (await driver.waitForShutdown(timeoutMs, signal)) {
          state.log.log("VM shut down.");
          return "continue";
        }
      } catch {
        return "halt";
      }
      return fail("Failed to shutdown");
    }

    if (config.shutdownCommand !== "") {
      const comm = state.communicator;
      ui.say("Gracefully halting virtual machine...");
      state.log.log(`Executing shutdown command: ${config.shutdownCommand}`);
      let problem: string | undefined;
      let cause: unknown;
      try {
        if (comm === undefined) throw new KilnError(ErrorCode.Communicator, "no communicator");
        await runWithUi(comm, { command: config.shutdownCommand }, ui, signal);
      } catch (err) {
        if (signal.aborted) return "halt";
        problem = `Failed to send shutdown command: ${errorMessage(err)}`;
        cause = err;
      }
      if (problem === undefined) {
        state.log.log(`Waiting max ${config.shutdownTimeout} for shutdown to complete`);
        try {
          if (!(await driver.waitForShutdown(timeoutMs, signal))) {
            problem = "Timeout while waiting for machine to shut down.";
          }
        } catch {
          return "halt";
        }
      }
      if (problem !== undefined) {
        state.log.log(`${problem} Trying an ACPI power-down request.`);
        if (!(await this.acpiPowerDown(state, signal))) return fail(problem, cause);
        ui.say("The VM stopped after an ACPI power-down request.");
      }
      state.log.log("VM shut down.");
      return "continue";
    }

    ui.say("Halting the virtual machine...");
    const comm = state.communicator;
    if (comm !== undefined && config.comm.type === "ssh") {
      const timeout = AbortSignal.timeout(SYNC_TIMEOUT_MS);
      const both = AbortSignal.any([signal, timeout]);
      try {
        const r = await comm.start({ command: "sync" }, both);
        state.log.log(`sync in the guest before stopping it: exit status ${r.exitStatus}`);
      } catch (err) {
        if (signal.aborted) return "halt";
        state.log.log(`sync in the guest before stopping it failed: ${errorMessage(err)}`);
      }
    }
    try {
      await driver.stop();
    } catch (err) {
      return fail(`Error stopping VM: ${errorMessage(err)}`, err);
    }
    state.log.log("VM shut down.");
    return "continue";
  }

  /** Sends the ACPI power button; true when QEMU exits within the grace period. */
  private async acpiPowerDown(state: QemuState, signal: AbortSignal): Promise<boolean> {
    const qmp = state.qmp;
    if (qmp === undefined || !state.driver.running) return !state.driver.running;
    try {
      await qmp.execute("system_powerdown");
    } catch (err) {
      state.log.log(`ACPI power-down request failed: ${errorMessage(err)}`);
      return !state.driver.running;
    }
    try {
      return await state.driver.waitForShutdown(this.options.acpiGraceMs ?? ACPI_GRACE_MS, signal);
    } catch {
      return false;
    }
  }
}
