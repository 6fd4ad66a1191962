/**
 * Expression functions: functions that receive their arguments as unevaluated expressions (HCL's
 * customdecode extension, which tryfunc's `try`/`can` and typeexpr's `convert` rely on).
 *
 * An ExpressionFunctionSpec is an ordinary FunctionSpec (so it sits in the same FunctionTable, takes part in
 * "Did you mean" suggestions and arity checks) with one more member, `callExpressions`. When the evaluator
 * calls a function whose spec has it, it resolves the name, expands a final `...` argument and checks the
 * arity against `params`/`varParam` as usual, then hands the argument expressions to `callExpressions`
 * instead of evaluating them:
 *
 * - diagnostics it returns are reported as they are (e.g. "Invalid type specification" from decoding a type
 *   expression argument);
 * - FunctionArgError / FunctionError thrown from it are reported exactly like those thrown from `impl`
 *   ("Invalid function argument" at that argument / "Error in function call").
 *
 * `type` and `impl` of such a spec are never called by the evaluator; callFunction on it (outside an
 * expression) should fail with a FunctionError.
 */
import type { Range } from "../diagnostic.js";
import type { Expression, FunctionCallExpr } from "../syntax/index.js";
import type { EvalContext } from "./context.js";
import type { FunctionSpec } from "./function.js";
import type { EvalResult } from "./result.js";

/** One argument of an expression-function call. */
export interface ExpressionArgument {
  /**
   * The argument expression. For an element of an expanded (`...`) final argument it is a synthetic
   * literal standing for the element (only its keyword reading matters: `true`, `false`, `null`).
   */
  readonly expr: Expression;
  /** Where diagnostics about this argument point (HCL's StartRange of the argument). */
  readonly startRange: Range;
  /** Evaluates the argument in the call's context (an expanded element just yields its value). */
  evaluate(): EvalResult;
}

export interface ExpressionCall {
  /** The function name as called. */
  readonly name: string;
  readonly args: readonly ExpressionArgument[];
  readonly ctx: EvalContext | undefined;
  readonly call: FunctionCallExpr;
}

export interface ExpressionFunctionSpec extends FunctionSpec {
  /** Computes the call from unevaluated arguments; see the module comment for the error contract. */
  callExpressions(call: ExpressionCall): EvalResult;
}

export function isExpressionFunction(spec: FunctionSpec): spec is ExpressionFunctionSpec {
  return typeof (spec as Partial<ExpressionFunctionSpec>).callExpressions === "function";
}
