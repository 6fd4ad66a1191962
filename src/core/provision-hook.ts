/**
 * The provisioner side of a build (Packer's ProvisionHook and provisioner wrappers, §3.5/§8.4): provisioners
 * run in order through the builder's communicator; each is wrapped, innermost first, in
 * pause_before (or else timeout), max_retries, continue_on_error, and with -debug a pause before it.
 */
import {
  type Communicator,
  cancelledError,
  type Duration,
  ErrorCode,
  errorMessage,
  type GeneratedData,
  goQuote,
  type Hook,
  KilnError,
  type Provisioner,
  type RunContext,
  type Ui,
} from "../sdk/index.js";

/** A provisioner of a build, prepared, with its meta-arguments. */
export interface CoreProvisioner {
  /** The provisioner type, e.g. `shell-local`. */
  readonly type: string;
  /** The block's `name` (for inspect and logs). */
  readonly name?: string;
  readonly provisioner: Provisioner;
  /** `pause_before`: wait this long first (`Pausing 10s before the next provisioner...`). */
  readonly pauseBefore?: Duration;
  /** `timeout`: cancel the provisioner after this long. Ignored when pauseBefore is set, as in Packer. */
  readonly timeout?: Duration;
  /** `max_retries`: run up to this many more times after a failure. */
  readonly maxRetries?: number;
  /** `continue_on_error`: a failure (after retries) is reported as a warning and the build goes on. */
  readonly continueOnError?: boolean;
}

/** A provisioner with its wrappers applied. */
export type ProvisionFn = (
  ui: Ui,
  communicator: Communicator,
  data: GeneratedData,
  signal: AbortSignal,
) => Promise<void>;

export interface WrapOptions {
  /** -debug: ask before each provisioner. */
  readonly debug: boolean;
  /** Given to the provisioner. */
  readonly context: RunContext;
}

export const DEBUG_PROVISIONER_PROMPT = "Pausing before the next provisioner . Press enter to continue.";

export const NO_COMMUNICATOR_MESSAGE =
  "No communicator found for provisioners! This is usually because the\n" +
  '`communicator` config was set to "none". If you have any provisioners\n' +
  "then a communicator is required. Please fix this to continue.";

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(cancelledError(signal.reason));
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(cancelledError(signal.reason));
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

function paused(inner: ProvisionFn, pause: Duration): ProvisionFn {
  return async (ui, comm, data, signal) => {
    ui.say(`Pausing ${pause} before the next provisioner...`);
    await sleep(pause.milliseconds, signal);
    await inner(ui, comm, data, signal);
  };
}

function timed(inner: ProvisionFn, timeout: Duration): ProvisionFn {
  return async (ui, comm, data, signal) => {
    const controller = new AbortController();
    const onParentAbort = (): void => controller.abort(signal.reason);
    if (signal.aborted) controller.abort(signal.reason);
    else signal.addEventListener("abort", onParentAbort, { once: true });
    ui.say(`Setting a ${timeout} timeout for the next provisioner...`);
    const timer = setTimeout(() => {
      ui.error("Cancelling provisioner after a timeout...");
      controller.abort(new KilnError(ErrorCode.DeadlineExceeded, "context deadline exceeded"));
    }, timeout.milliseconds);
    try {
      await inner(ui, comm, data, controller.signal);
    } finally {
      clearTimeout(timer);
      signal.removeEventListener("abort", onParentAbort);
    }
  };
}

function retried(inner: ProvisionFn, maxRetries: number): ProvisionFn {
  return async (ui, comm, data, signal) => {
    if (signal.aborted) throw cancelledError(signal.reason);
    let firstError: unknown;
    try {
      await inner(ui, comm, data, signal);
      return;
    } catch (err) {
      firstError = err;
    }
    // As Packer (whose retry loop shadows its error variable): every retry message quotes the first failure,
    // and the first failure is what is returned when all retries failed.
    for (let left = maxRetries; left > 0; left--) {
      if (signal.aborted) throw cancelledError(signal.reason);
      ui.say(
        `Provisioner failed with ${goQuote(errorMessage(firstError))}, retrying with ${left} trie(s) left`,
      );
      try {
        await inner(ui, comm, data, signal);
        return;
      } catch {
        // Counted; the first error is kept.
      }
    }
    ui.say("retry limit reached.");
    throw firstError;
  };
}

function continuingOnError(inner: ProvisionFn): ProvisionFn {
  return async (ui, comm, data, signal) => {
    try {
      await inner(ui, comm, data, signal);
    } catch (err) {
      // A cancellation still stops the build; the failure detail is kept beside it (Go's errors.Join).
      if (signal.aborted) {
        throw new KilnError(ErrorCode.Cancelled, `${errorMessage(err)}\ncontext canceled`, { cause: err });
      }
      ui.say(
        `Warning: Provisioner failed with ${goQuote(errorMessage(err))}, but continue_on_error is set; continuing the build.`,
      );
    }
  };
}

function debugged(inner: ProvisionFn, context: RunContext): ProvisionFn {
  return async (ui, comm, data, signal) => {
    try {
      await ui.ask(DEBUG_PROVISIONER_PROMPT, signal);
    } catch (err) {
      context.log.log(`Error asking for input: ${errorMessage(err)}`);
    }
    if (signal.aborted) throw cancelledError(signal.reason);
    await inner(ui, comm, data, signal);
  };
}

/** The provisioner with its meta-argument wrappers, in Packer's order. */
export function wrapProvisioner(p: CoreProvisioner, options: WrapOptions): ProvisionFn {
  let fn: ProvisionFn = (ui, comm, data, signal) =>
    p.provisioner.provision(ui, comm, data, signal, options.context);
  if (p.pauseBefore !== undefined && !p.pauseBefore.isZero()) fn = paused(fn, p.pauseBefore);
  else if (p.timeout !== undefined && !p.timeout.isZero()) fn = timed(fn, p.timeout);
  if (p.maxRetries !== undefined && p.maxRetries !== 0) fn = retried(fn, p.maxRetries);
  if (p.continueOnError === true) fn = continuingOnError(fn);
  if (options.debug) fn = debugged(fn, options.context);
  return fn;
}

/** Runs provisioners in order; the first failure stops the rest and is the hook's failure. */
export class ProvisionHook implements Hook {
  constructor(private readonly provisioners: readonly ProvisionFn[]) {}

  async run(
    _name: string,
    ui: Ui,
    communicator: Communicator | undefined,
    data: GeneratedData,
    signal: AbortSignal,
  ): Promise<void> {
    if (this.provisioners.length === 0) return;
    if (communicator === undefined) throw new KilnError(ErrorCode.Provisioner, NO_COMMUNICATOR_MESSAGE);
    for (const provision of this.provisioners) await provision(ui, communicator, data, signal);
  }
}

/** Routes each hook name to its hooks (Packer's DispatchHook); unknown names do nothing. */
export class DispatchHook implements Hook {
  constructor(private readonly mapping: ReadonlyMap<string, readonly Hook[]>) {}

  async run(
    name: string,
    ui: Ui,
    communicator: Communicator | undefined,
    data: GeneratedData,
    signal: AbortSignal,
  ): Promise<void> {
    for (const hook of this.mapping.get(name) ?? []) {
      if (signal.aborted) throw cancelledError(signal.reason);
      await hook.run(name, ui, communicator, data, signal);
    }
  }
}
