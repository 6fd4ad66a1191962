/**
 * The step runner builders get (Packer's multistep BasicRunner/DebugRunner with the commonsteps -on-error
 * wrappers, §8.3/§8.4):
 * - steps run in order until one halts or fails, or the signal fires (state.cancelled is set at once);
 * - every step whose run() was entered gets its cleanup, in reverse order, with a fresh signal;
 * - `-on-error=abort` skips the cleanups after a failure or interrupt (printing the error, `Step "X" failed,
 *   aborting...` or `Interrupted, aborting...` once, then `aborted: skipping cleanup of step "Y"`);
 *   `run-cleanup-provisioner` does the same but still runs StepProvision's cleanup (the
 *   error-cleanup-provisioner); `ask` asks after a failed step whether to clean up, abort or retry it;
 * - `-debug` pauses after each step's run and before each step's cleanup.
 */
import {
  errorMessage,
  goQuote,
  type Logger,
  noopLogger,
  type OnErrorMode,
  STEP_PROVISION_NAME,
  type Step,
  type StepAction,
  type StepRunner,
  type StepRunStatus,
  type StepState,
  type Ui,
} from "../sdk/index.js";

export interface StepRunnerOptions {
  /** -on-error; "" means cleanup. */
  readonly onError: OnErrorMode | "";
  /** -debug: pause between steps. */
  readonly debug: boolean;
  readonly log?: Logger;
  /** Cleanups get a signal that fires after this long (all cleanups of one run together). Default: never. */
  readonly cleanupTimeoutMs?: number;
}

export const ASK_PROMPT =
  "[c] Clean up and exit, [a] abort without cleanup, or [r] retry step (build may fail even if retry succeeds)?";

/** Runs a step, turning a thrown error into state.error and a halt. */
async function runStep<S extends StepState>(
  step: Step<S>,
  state: S,
  signal: AbortSignal,
): Promise<StepAction> {
  try {
    return await step.run(state, signal);
  } catch (err) {
    state.error = err;
    return "halt";
  }
}

/** Per-run bookkeeping of the -on-error wrappers (Packer keeps it in the state bag). */
interface AbortBook {
  /** The user chose [a]bort in ask mode. */
  aborted: boolean;
  /** The first abort message was printed. */
  logged: boolean;
}

/**
 * Packer's handleAbortsAndInterupts: decides whether a step's cleanup runs in abort mode, printing the error
 * and the reason once, then one `aborted: skipping cleanup` line per skipped step.
 */
function shouldCleanUp(state: StepState, ui: Ui, stepName: string, book: AbortBook): boolean {
  const alreadyLogged = book.logged;
  if (state.error !== undefined && !alreadyLogged) {
    ui.error(errorMessage(state.error));
    book.logged = true;
  }
  if (state.cancelled) {
    if (!alreadyLogged) {
      ui.error("Interrupted, aborting...");
      book.logged = true;
    } else {
      ui.error(`aborted: skipping cleanup of step ${goQuote(stepName)}`);
    }
    return false;
  }
  if (state.halted) {
    if (!alreadyLogged) {
      ui.error(`Step ${goQuote(stepName)} failed, aborting...`);
      book.logged = true;
    } else {
      ui.error(`aborted: skipping cleanup of step ${goQuote(stepName)}`);
    }
    return false;
  }
  return true;
}

function abortStep<S extends StepState>(
  step: Step<S>,
  ui: Ui,
  book: AbortBook,
  cleanupProvisioner: boolean,
): Step<S> {
  return {
    name: step.name,
    run: (state, signal) => runStep(step, state, signal),
    async cleanup(state, signal) {
      if (step.name === STEP_PROVISION_NAME && cleanupProvisioner) {
        await step.cleanup?.(state, signal);
        return;
      }
      if (!shouldCleanUp(state, ui, step.name, book)) return;
      await step.cleanup?.(state, signal);
    },
  };
}

type AskResponse = "cleanup" | "abort" | "retry";

async function askWhatToDo(ui: Ui, stepName: string, signal: AbortSignal, log: Logger): Promise<AskResponse> {
  ui.say(`Step ${goQuote(stepName)} failed`);
  for (;;) {
    if (signal.aborted) return "cleanup";
    let line = "";
    try {
      line = await ui.ask(ASK_PROMPT, signal);
    } catch (err) {
      log.log(`Error asking for input: ${errorMessage(err)}`);
    }
    if (signal.aborted) return "cleanup";
    switch (`${line.toLowerCase()}c`[0]) {
      case "c":
        return "cleanup";
      case "a":
        return "abort";
      case "r":
        return "retry";
    }
    ui.say(`Incorrect input: ${goQuote(line)}`);
  }
}

function askStep<S extends StepState>(step: Step<S>, ui: Ui, book: AbortBook, log: Logger): Step<S> {
  return {
    name: step.name,
    async run(state, signal) {
      for (;;) {
        const action = await runStep(step, state, signal);
        if (action !== "halt") return action;
        if (state.error !== undefined) ui.error(errorMessage(state.error));
        switch (await askWhatToDo(ui, step.name, signal, log)) {
          case "cleanup":
            return action;
          case "abort":
            book.aborted = true;
            return action;
          case "retry":
            // As Packer: the error of the failed attempt stays in the state, so the build may still fail.
            continue;
        }
      }
    },
    async cleanup(state, signal) {
      if (book.aborted && !shouldCleanUp(state, ui, step.name, book)) return;
      await step.cleanup?.(state, signal);
    },
  };
}

type PauseLocation = "after run of" | "before cleanup of";

function debugPauseStep<S extends StepState>(
  stepName: string,
  ui: Ui,
  runSignal: AbortSignal,
  log: Logger,
): Step<S> {
  const pause = async (location: PauseLocation): Promise<void> => {
    try {
      await ui.ask(`Pausing ${location} step '${stepName}'. Press enter to continue.`, runSignal);
    } catch (err) {
      log.log(`Error asking for input: ${errorMessage(err)}`);
    }
  };
  return {
    name: `${stepName} (debug pause)`,
    async run() {
      await pause("after run of");
      return "continue";
    },
    async cleanup() {
      await pause("before cleanup of");
    },
  };
}

/** A StepRunner with the given -on-error and -debug behaviour. */
export function createStepRunner(options: StepRunnerOptions): StepRunner {
  const log = options.log ?? noopLogger;
  return {
    async run<S extends StepState>(
      steps: readonly Step<S>[],
      state: S,
      ui: Ui,
      signal: AbortSignal,
    ): Promise<StepRunStatus> {
      const book: AbortBook = { aborted: false, logged: false };
      let sequence: Step<S>[] = steps.map((step) => {
        switch (options.onError) {
          case "abort":
            return abortStep(step, ui, book, false);
          case "run-cleanup-provisioner":
            return abortStep(step, ui, book, true);
          case "ask":
            return askStep(step, ui, book, log);
          default:
            return step;
        }
      });
      if (options.debug) {
        sequence = sequence.flatMap((step) => [step, debugPauseStep<S>(step.name, ui, signal, log)]);
      }

      const entered: Step<S>[] = [];
      const onAbort = (): void => {
        state.cancelled = true;
      };
      signal.addEventListener("abort", onAbort, { once: true });
      try {
        for (const step of sequence) {
          if (signal.aborted) {
            state.cancelled = true;
            break;
          }
          entered.push(step);
          const action = await runStep(step, state, signal);
          if (state.cancelled) break;
          if (action === "halt") {
            state.halted = true;
            break;
          }
        }
      } finally {
        signal.removeEventListener("abort", onAbort);
        if (signal.aborted) state.cancelled = true;
      }

      const cleanupSignal =
        options.cleanupTimeoutMs !== undefined
          ? AbortSignal.timeout(options.cleanupTimeoutMs)
          : new AbortController().signal;
      for (const step of entered.reverse()) {
        if (step.cleanup === undefined) continue;
        try {
          await step.cleanup(state, cleanupSignal);
        } catch (err) {
          log.log(`Cleanup of step ${goQuote(step.name)} failed: ${errorMessage(err)}`);
          ui.error(errorMessage(err));
        }
      }
      if (state.cancelled) return "cancelled";
      if (state.halted) return "halted";
      return "completed";
    },
  };
}
