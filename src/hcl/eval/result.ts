/**
 * Shapes shared by the evaluator's modules: the result of evaluating an expression, and the recursion hook
 * the per-construct modules (ops, templates, for expressions, splats, calls) use to evaluate their
 * sub-expressions without importing the dispatcher (no import cycles).
 */
import type { Diagnostic, Range } from "../diagnostic.js";
import type { Expression } from "../syntax/index.js";
import type { Value } from "../value/index.js";
import type { EvalContext } from "./context.js";

/** What evaluating an expression gives: always a value (DynamicVal-like placeholders after errors). */
export interface EvalResult {
  readonly value: Value;
  readonly diagnostics: Diagnostic[];
}

/** Evaluates a sub-expression in a context (the dispatcher in evaluate.ts). */
export type SubEval = (expr: Expression, ctx: EvalContext | undefined) => EvalResult;

/** An error diagnostic with optional context range (HCL's Subject/Context). */
export function error(summary: string, detail: string, subject: Range, context?: Range): Diagnostic {
  return context === undefined
    ? { severity: "error", summary, detail, subject }
    : { severity: "error", summary, detail, subject, context };
}

export function anyErrors(diags: readonly Diagnostic[]): boolean {
  for (const d of diags) if (d.severity === "error") return true;
  return false;
}
