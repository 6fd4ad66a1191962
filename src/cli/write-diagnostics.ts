/**
 * Prints HCL diagnostics the way Packer's commands do (writeDiags): rendered with HCL's text writer at width
 * 80 without color, followed by one more newline, on the UI stream — which for Packer is standard output,
 * errors included. Returns the exit code Packer derives from them: 1 when any is an error.
 */
import { type Diagnostic, renderDiagnostics } from "../hcl/index.js";

export function writeDiagnostics(
  out: NodeJS.WritableStream,
  diagnostics: readonly Diagnostic[],
  sources: ReadonlyMap<string, string>,
): number {
  if (diagnostics.length === 0) return 0;
  const text = renderDiagnostics([...diagnostics], new Map(sources), { color: false, width: 80 });
  if (text.length > 0) out.write(`${text}\n`);
  return diagnostics.some((d) => d.severity === "error") ? 1 : 0;
}
