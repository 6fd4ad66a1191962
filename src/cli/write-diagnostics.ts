/**
 * Prints HCL diagnostics the way Packer's commands do (its writeDiags): rendered with HCL's text writer at
 * width 80 without color, and said through the command's UI — as an error when any is an error, else as a
 * plain message. Both go to standard output in Packer, so for a command without a UI (fmt) a stream stands in.
 */
import { type Diagnostic, hasErrors, renderDiagnostics } from "../hcl/index.js";
import type { Ui } from "../sdk/index.js";

/** Where writeDiags prints: a command's Ui, or streamOutput for a plain stream. */
export type DiagnosticsOutput = Pick<Ui, "say" | "error">;

/**
 * Renders the diagnostics (sources are quoted for every one that has a range) and prints them, unless there
 * is nothing to print. Returns the exit code Packer derives from them: 1 when any is an error, else 0.
 */
export function writeDiags(
  out: DiagnosticsOutput,
  diagnostics: readonly Diagnostic[],
  sources: ReadonlyMap<string, string>,
): number {
  if (diagnostics.length === 0) return 0;
  const text = renderDiagnostics(diagnostics, sources, { color: false, width: 80 });
  if (text.length === 0) return 0;
  if (hasErrors(diagnostics)) {
    out.error(text);
    return 1;
  }
  out.say(text);
  return 0;
}

/** A stream as the output of writeDiags: each message and one newline, as BasicUi writes them. */
export function streamOutput(stream: NodeJS.WritableStream): DiagnosticsOutput {
  const write = (message: string): void => {
    stream.write(`${message}\n`);
  };
  return { say: write, error: write };
}
