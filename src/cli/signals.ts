/**
 * Signal handling of the real process: the first SIGINT/SIGTERM aborts the root controller (builds cancel
 * and clean up), a second one exits at once.
 */

/** The abort reason given to commands when a signal cancels the run. */
export class InterruptedError extends Error {
  readonly signal: NodeJS.Signals;
  constructor(signal: NodeJS.Signals) {
    super(`interrupted by ${signal}`);
    this.name = "InterruptedError";
    this.signal = signal;
  }
}

const SIGNALS: readonly NodeJS.Signals[] = ["SIGINT", "SIGTERM"];

/**
 * Installs the handlers on `proc`; returns a function removing them. `exit` is called for the second signal.
 */
export function installSignalHandlers(
  controller: AbortController,
  proc: Pick<NodeJS.Process, "on" | "off">,
  exit: (code: number) => void,
): () => void {
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) exit(1);
    else controller.abort(new InterruptedError(signal));
  };
  for (const s of SIGNALS) proc.on(s, onSignal);
  return () => {
    for (const s of SIGNALS) proc.off(s, onSignal);
  };
}
