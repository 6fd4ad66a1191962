/**
 * StepConnect while the VM runs: the communicator's StepConnect, stopped as soon as QEMU exits (a guest that
 * crashes or powers off while booting would otherwise be waited for until ssh_timeout). The build then fails
 * with QEMU's last error output.
 */
import { ErrorCode, KilnError, type Step, type StepAction } from "../../../sdk/index.js";
import type { QemuState } from "./state.js";

export class StepConnectWhileRunning implements Step<QemuState> {
  readonly name: string;

  /** `useSignal` is told the signal the inner step runs with (for callbacks that wait on their own). */
  constructor(
    private readonly inner: Step<QemuState>,
    private readonly useSignal: (signal: AbortSignal) => void = () => {},
  ) {
    this.name = inner.name;
  }

  async run(state: QemuState, signal: AbortSignal): Promise<StepAction> {
    const vmGone = new AbortController();
    void state.vmExited?.then(() => vmGone.abort(new KilnError(ErrorCode.Builder, "the VM exited")));
    const combined = AbortSignal.any([signal, vmGone.signal]);
    this.useSignal(combined);
    const action = await this.inner.run(state, combined);
    if (action === "halt" && vmGone.signal.aborted && !signal.aborted) {
      const tail = state.driver.stderrTail();
      const err = new KilnError(
        ErrorCode.Builder,
        `Qemu exited before the communicator could connect${tail !== "" ? `:\n${tail}` : ""}`,
        {
          hint: "Look at the VM's console (VNC, or a serial port added with qemuargs) to see why it stopped.",
        },
      );
      state.error = err;
      state.ui.error(err.message);
    }
    return action;
  }

  async cleanup(state: QemuState, signal: AbortSignal): Promise<void> {
    await this.inner.cleanup?.(state, signal);
  }
}
