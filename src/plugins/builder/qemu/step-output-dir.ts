/**
 * stepPrepareOutputDir: creates output_directory (deleting an old one first with -force) and, when the build
 * fails, is cancelled or halts, deletes it again, so no half-written output is left behind. The VM is stopped
 * before this cleanup runs (it comes later in the step list, so its cleanup runs first).
 */
import { mkdir, rm } from "node:fs/promises";
import { ErrorCode, errorMessage, KilnError, type Step, type StepAction } from "../../../sdk/index.js";
import { sleepFor } from "./boot-command.js";
import { resolvePath } from "./config.js";
import type { QemuState } from "./state.js";

export class StepPrepareOutputDir implements Step<QemuState> {
  readonly name = "stepPrepareOutputDir";
  private created = false;

  async run(state: QemuState): Promise<StepAction> {
    const dir = resolvePath(state.config.outputDir, state.info.cwd);
    if (state.info.force) {
      try {
        await rm(dir, { recursive: true });
        state.ui.say("Deleting previous output directory...");
      } catch {
        // It did not exist.
      }
    }
    try {
      await mkdir(dir, { recursive: true, mode: 0o755 });
    } catch (err) {
      state.error = new KilnError(ErrorCode.Builder, errorMessage(err), { cause: err });
      return "halt";
    }
    this.created = true;
    return "continue";
  }

  async cleanup(state: QemuState, signal: AbortSignal): Promise<void> {
    if (!this.created) return;
    if (!(state.cancelled || state.halted || state.error !== undefined)) return;
    state.ui.say("Deleting output directory...");
    const dir = resolvePath(state.config.outputDir, state.info.cwd);
    for (let i = 0; i < 5; i++) {
      try {
        await rm(dir, { recursive: true, force: true });
        return;
      } catch (err) {
        state.log.log(`Error removing output dir: ${errorMessage(err)}`);
        await sleepFor(2000, signal).catch(() => undefined);
      }
    }
  }
}
