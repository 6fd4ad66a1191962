/**
 * The contract between `kiln console`'s sessions (interactive or piped) and its two evaluators: HCL2 mode
 * (expressions over var/local/path/packer) and legacy JSON mode (Go templates with user variables). An
 * evaluator answers one input line at a time, as Packer's Evaluator does (EvaluateExpression).
 */
import type { Diagnostic } from "../hcl/index.js";

/** What one console input line gives. */
export interface ConsoleOutcome {
  /** The text to print (followed by a newline); undefined when the line failed. */
  readonly output: string | undefined;
  /** The line asked to leave the console (`exit`). */
  readonly exit: boolean;
  /** Errors and warnings about the line, printed before the output. */
  readonly diagnostics: readonly Diagnostic[];
  /** The source texts the diagnostics may point into, by file name (console input included). */
  readonly sources: ReadonlyMap<string, string>;
}

export interface ConsoleEvaluator {
  /** Evaluates one input line, already trimmed of surrounding white space. Never throws on user input. */
  evaluate(line: string): ConsoleOutcome;
}

const NO_SOURCES: ReadonlyMap<string, string> = new Map();

/** An outcome without diagnostics. */
export function printed(output: string, exit = false): ConsoleOutcome {
  return { output, exit, diagnostics: [], sources: NO_SOURCES };
}

/** What `exit` answers in both modes. */
export const EXIT_OUTCOME: ConsoleOutcome = printed("", true);
