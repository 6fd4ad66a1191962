/**
 * The two ways `kiln console` reads its input.
 *
 * - Piped (standard input is not a terminal): every line is evaluated in turn and each result printed, with
 *   errors as diagnostics; `exit` stops reading. The exit code is 1 when any line failed, else 0. (Packer
 *   evaluates every line but prints only the last result.)
 * - Interactive (a terminal): a line editor with the prompt `> ` and history. Ctrl-D on an empty line
 *   leaves (printing `exit`, as Packer's editor does), Ctrl-C abandons the line being typed, or leaves when
 *   it is empty; `exit` leaves. The exit code is 0, as Packer's.
 *
 * Results and diagnostics go through the command's UI (standard output, secrets redacted).
 */
import { createInterface } from "node:readline";
import { hasErrors } from "../hcl/index.js";
import type { Ui } from "../sdk/index.js";
import type { ConsoleEvaluator, ConsoleOutcome } from "./console-evaluator.js";
import { writeDiags } from "./write-diagnostics.js";

/**
 * Evaluates one line. Evaluators do not throw on user input; should one fail anyway, the line is reported
 * as an error and the session goes on instead of ending with the typed history lost.
 */
function evaluateLine(evaluator: ConsoleEvaluator, line: string): ConsoleOutcome {
  try {
    return evaluator.evaluate(line);
  } catch (err) {
    return {
      output: undefined,
      exit: false,
      diagnostics: [
        {
          severity: "error",
          summary: "Internal error",
          detail: err instanceof Error ? err.message : String(err),
        },
      ],
      sources: new Map(),
    };
  }
}

/** Prints an outcome's diagnostics, then its output; returns true when the line failed. */
function report(ui: Ui, outcome: ConsoleOutcome): boolean {
  if (outcome.diagnostics.length > 0) writeDiags(ui, outcome.diagnostics, outcome.sources);
  const failed = hasErrors(outcome.diagnostics) || outcome.output === undefined;
  if (outcome.output !== undefined) ui.say(outcome.output);
  return failed;
}

export interface PipedConsoleOptions {
  readonly input: NodeJS.ReadableStream;
  readonly ui: Ui;
  /** Stops reading when aborted (exit code 1). */
  readonly signal?: AbortSignal;
}

/** Evaluates every non-blank input line; resolves to the exit code. */
export async function runPipedConsole(
  evaluator: ConsoleEvaluator,
  options: PipedConsoleOptions,
): Promise<number> {
  const rl = createInterface({ input: options.input, terminal: false, crlfDelay: Number.POSITIVE_INFINITY });
  const onAbort = (): void => rl.close();
  options.signal?.addEventListener("abort", onAbort, { once: true });
  let failed = false;
  try {
    for await (const raw of rl) {
      const line = raw.trim();
      if (line === "") continue;
      const outcome = evaluateLine(evaluator, line);
      if (outcome.exit) break;
      if (report(options.ui, outcome)) failed = true;
    }
  } finally {
    options.signal?.removeEventListener("abort", onAbort);
    rl.close();
  }
  return failed || options.signal?.aborted === true ? 1 : 0;
}

export interface InteractiveConsoleOptions {
  readonly input: NodeJS.ReadableStream;
  /** Where the prompt and the echo of typed text go (the terminal). */
  readonly output: NodeJS.WritableStream;
  readonly ui: Ui;
  /** Closes the console when aborted (exit code 1). */
  readonly signal?: AbortSignal;
  /** Lines of history kept for the up and down keys. */
  readonly historySize?: number;
}

/** Runs the line editor until `exit`, Ctrl-D or Ctrl-C on an empty line; resolves to the exit code. */
export function runInteractiveConsole(
  evaluator: ConsoleEvaluator,
  options: InteractiveConsoleOptions,
): Promise<number> {
  const { output, ui, signal } = options;
  return new Promise((resolve) => {
    const rl = createInterface({
      input: options.input,
      output,
      prompt: "> ",
      terminal: true,
      historySize: options.historySize ?? 1000,
    });
    let code = 0;
    let leaving = false;
    const leave = (exitCode: number): void => {
      leaving = true;
      code = exitCode;
      rl.close();
    };
    const onAbort = (): void => {
      output.write("\n");
      leave(1);
    };
    signal?.addEventListener("abort", onAbort, { once: true });

    rl.on("line", (raw) => {
      const outcome = evaluateLine(evaluator, raw.trim());
      if (outcome.exit) {
        if (outcome.diagnostics.length > 0) writeDiags(ui, outcome.diagnostics, outcome.sources);
        leave(0);
        return;
      }
      // As Packer's console: diagnostics, then the result (an empty line after a failure).
      report(ui, outcome.output === undefined ? { ...outcome, output: "" } : outcome);
      rl.prompt();
    });
    rl.on("SIGINT", () => {
      if (rl.line === "") {
        output.write("^C\n");
        leave(0);
        return;
      }
      // Abandon the line: show ^C after it, then empty the line and prompt afresh.
      rl.write(null, { ctrl: true, name: "e" });
      output.write("^C\n");
      rl.write(null, { ctrl: true, name: "u" });
      rl.prompt();
    });
    rl.on("close", () => {
      signal?.removeEventListener("abort", onAbort);
      // Ctrl-D on an empty line (or the end of the input).
      if (!leaving) output.write("exit\n");
      resolve(code);
    });
    if (signal?.aborted === true) {
      onAbort();
      return;
    }
    rl.prompt();
  });
}
