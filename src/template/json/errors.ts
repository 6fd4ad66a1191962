/**
 * How component diagnostics read inside Packer's plain-text errors (a Go error per problem).
 */
import type { Diagnostic } from "../../hcl/index.js";

/** One Go-style error text per error diagnostic: `summary: detail`, or the summary alone. */
export function errorTexts(diags: readonly Diagnostic[]): string[] {
  return diags
    .filter((d) => d.severity === "error")
    .map((d) => (d.detail !== undefined && d.detail !== "" ? `${d.summary}: ${d.detail}` : d.summary));
}

/** The warning texts of a component's diagnostics. */
export function warningTexts(diags: readonly Diagnostic[]): string[] {
  return diags
    .filter((d) => d.severity === "warning")
    .map((d) => (d.detail !== undefined && d.detail !== "" ? `${d.summary}: ${d.detail}` : d.summary));
}
