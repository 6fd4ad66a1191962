/**
 * Steps, as in Packer's multistep: a builder is a list of steps run in order; each step may register a cleanup,
 * and cleanups run in reverse for every step entered, whether the run succeeded, failed, halted or was
 * cancelled. Core implements StepRunner (with -on-error and -debug behaviour) and hands it to builders.
 */
import type { Ui } from "./ui.js";

export type StepAction = "continue" | "halt";

/**
 * The fields every step state has; a builder's state type extends it. The runner sets `error` when a step
 * throws, `halted` when a step halts, `cancelled` as soon as the signal fires.
 */
export interface StepState {
  /** The build's failure. Steps that fail set it (or throw) and halt; the builder reports it as its error. */
  error?: unknown;
  halted?: boolean;
  cancelled?: boolean;
}

export interface Step<S extends StepState = StepState> {
  /**
   * The name shown in -on-error and -debug messages: Packer prints Go type names, so steps that mirror a
   * Packer step use its name (`StepConnect`, `StepProvision`, `StepCreateOutputDir`, ...).
   */
  readonly name: string;
  /**
   * Does the step's work. Returning "halt" stops the run (set state.error first if it is a failure); throwing
   * is the same as setting state.error to the thrown value and halting. The runner prints nothing for a
   * failed step: print the error with ui.error where Packer's step does.
   */
  run(state: S, signal: AbortSignal): Promise<StepAction>;
  /**
   * Undoes what run did, as far as it got. Runs after run() was entered, even if it threw. `signal` is a fresh
   * one (the run's signal may be aborted already) that fires only if cleanup itself must stop.
   */
  cleanup?(state: S, signal: AbortSignal): Promise<void>;
}

/** How a step sequence ended. */
export type StepRunStatus = "completed" | "halted" | "cancelled";

export interface StepRunner {
  /**
   * Runs `steps` with `state`, then the cleanups in reverse. `ui` is the builder's UI (for -on-error and -debug
   * prompts). Never rejects because of a step: failures end up in state.error. Resolves to how the run ended.
   */
  run<S extends StepState>(
    steps: readonly Step<S>[],
    state: S,
    ui: Ui,
    signal: AbortSignal,
  ): Promise<StepRunStatus>;
}
