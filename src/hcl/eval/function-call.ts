/**
 * Function calls (hclsyntax's FunctionCallExpr): name resolution through the EvalContext chain, expansion of
 * a final `xs...` argument, arity checks, argument conversion to parameter types, and HCL's diagnostics for
 * every failure. The call itself goes through callFunction (the cty function machinery: nulls, unknowns,
 * marks); expression functions (try, can, convert) receive their arguments unevaluated instead
 * (expression-function.ts).
 */
import type { Diagnostic, Range } from "../diagnostic.js";
import {
  type Expression,
  type FunctionCallExpr,
  goQuote,
  nameSuggestion,
  type StaticValue,
} from "../syntax/index.js";
import { convert, dynamicVal, type Value } from "../value/index.js";
import { callFunction } from "./call.js";
import type { EvalContext } from "./context.js";
import { type ExpressionArgument, isExpressionFunction } from "./expression-function.js";
import { FunctionArgError, FunctionError, type FunctionSpec, type Parameter } from "./function.js";
import { anyErrors, type EvalResult, error, type SubEval } from "./result.js";

/** An argument after `...` expansion: an expression to evaluate, or an already-known expanded element. */
interface CallArg {
  readonly expr: Expression;
  readonly startRange: Range;
  readonly value?: Value;
}

function fail(diags: Diagnostic[]): EvalResult {
  return { value: dynamicVal, diagnostics: diags };
}

/** The function named `name`, looked up through the context chain as HCL does. */
function resolve(ctx: EvalContext | undefined, name: string): { spec?: FunctionSpec; anyTable: boolean } {
  let anyTable = false;
  for (let c = ctx; c !== undefined; c = c.parent) {
    if (c.functions === undefined) continue;
    anyTable = true;
    const spec = c.functions.get(name);
    if (spec !== undefined) return { spec, anyTable };
  }
  return { anyTable };
}

function unknownFunction(e: FunctionCallExpr, ctx: EvalContext | undefined): Diagnostic {
  // HCL offers suggestions only from the innermost context's own table (so none inside a for expression,
  // whose child context has no functions of its own). Names are tried in sorted order for determinism.
  const available = [...(ctx?.functions?.keys() ?? [])].sort();
  const sep = e.name.lastIndexOf("::");
  if (sep !== -1) {
    const namespace = e.name.slice(0, sep + 2);
    const name = e.name.slice(sep + 2);
    const inNamespace = available.filter((n) => n.startsWith(namespace));
    if (inNamespace.length === 0) {
      return error(
        "Call to unknown function",
        `There are no functions in namespace ${goQuote(namespace)}.`,
        e.nameRange,
        e.srcRange,
      );
    }
    let suggestion = nameSuggestion(
      name,
      inNamespace.map((n) => n.slice(namespace.length)),
    );
    if (suggestion !== "") suggestion = ` Did you mean ${namespace}${suggestion}?`;
    return error(
      "Call to unknown function",
      `There is no function named ${goQuote(name)} in namespace ${namespace}.${suggestion}`,
      e.nameRange,
      e.srcRange,
    );
  }
  let suggestion = nameSuggestion(e.name, available);
  if (suggestion !== "") suggestion = ` Did you mean ${goQuote(suggestion)}?`;
  return error(
    "Call to unknown function",
    `There is no function named ${goQuote(e.name)}.${suggestion}`,
    e.nameRange,
    e.srcRange,
  );
}

/** A literal standing for an expanded element, readable as a keyword like HCL's LiteralValueExpr. */
function syntheticLiteral(value: Value, range: Range): Expression {
  let sv: StaticValue = { type: "unknown", of: "dynamic" };
  if (value.isNull()) sv = { type: "null" };
  else if (!value.isMarked() && value.isKnown() && value.type.kind === "bool") {
    sv = { type: "bool", value: value.raw === true };
  }
  return { kind: "LiteralValue", value: sv, srcRange: range, startRange: range };
}

/** Expands `f(a, xs...)`: the final argument's elements become separate arguments. */
function expandArgs(
  e: FunctionCallExpr,
  ctx: EvalContext | undefined,
  ev: SubEval,
  diags: Diagnostic[],
): CallArg[] | undefined {
  const args: CallArg[] = e.args.map((a) => ({ expr: a, startRange: a.startRange }));
  if (!e.expandFinal || e.args.length === 0) return args;

  const expandExpr = e.args[e.args.length - 1]!;
  const r = ev(expandExpr, ctx);
  diags.push(...r.diagnostics);
  if (anyErrors(r.diagnostics)) return undefined;
  const v = r.value;
  const kind = v.type.kind;
  if (kind === "dynamic" || kind === "tuple" || kind === "list" || kind === "set") {
    if (v.isNull()) {
      diags.push(
        error(
          "Invalid expanding argument value",
          "The expanding argument (indicated by ...) must not be null.",
          expandExpr.srcRange,
          e.srcRange,
        ),
      );
      return undefined;
    }
    if (kind === "dynamic" || !v.isKnown()) return undefined;
    // Marks on the collection move onto each element, so they reach the function.
    const [plain, marks] = v.unmark();
    const expanded = plain.asValueSlice().map((el) => {
      const value = el.withMarks(marks);
      return { expr: syntheticLiteral(value, expandExpr.srcRange), startRange: expandExpr.srcRange, value };
    });
    return [...args.slice(0, -1), ...expanded];
  }
  diags.push(
    error(
      "Invalid expanding argument value",
      "The expanding argument (indicated by ...) must be of a tuple, list, or set type.",
      expandExpr.srcRange,
      e.srcRange,
    ),
  );
  return undefined;
}

function paramAt(spec: FunctionSpec, i: number): Parameter | undefined {
  return i < spec.params.length ? spec.params[i] : spec.varParam;
}

/** HCL's diagnostics for an argument error (index `i`) or a call error reported by the function. */
function callErrorDiag(
  e: FunctionCallExpr,
  spec: FunctionSpec,
  args: readonly CallArg[],
  message: string,
  argIndex: number | undefined,
): Diagnostic {
  const callFailed = () =>
    error(
      "Error in function call",
      `Call to function ${goQuote(e.name)} failed: ${message}.`,
      e.startRange,
      e.srcRange,
    );
  if (argIndex === undefined) return callFailed();
  const param = paramAt(spec, argIndex);
  if (param === undefined) return callFailed();
  const detail = `Invalid value for ${goQuote(param.name)} parameter: ${message}.`;
  if (argIndex > args.length - 1) {
    // The function named a variadic argument that was not given: point at the whole call.
    return { severity: "error", summary: "Invalid function argument", detail, subject: e.srcRange };
  }
  return error("Invalid function argument", detail, args[argIndex]!.startRange, e.srcRange);
}

export function evalFunctionCall(e: FunctionCallExpr, ctx: EvalContext | undefined, ev: SubEval): EvalResult {
  const { spec, anyTable } = resolve(ctx, e.name);
  if (spec === undefined) {
    if (!anyTable) {
      return fail([error("Function calls not allowed", "Functions may not be called here.", e.srcRange)]);
    }
    return fail([unknownFunction(e, ctx)]);
  }

  const diags: Diagnostic[] = [];
  const args = expandArgs(e, ctx, ev, diags);
  if (args === undefined) return fail(diags);

  const params = spec.params;
  if (args.length < params.length) {
    const qual = spec.varParam !== undefined ? " at least" : "";
    return fail([
      error(
        "Not enough function arguments",
        `Function ${goQuote(e.name)} expects${qual} ${params.length} argument(s). Missing value for ${goQuote(params[args.length]!.name)}.`,
        e.closeParenRange,
        e.srcRange,
      ),
    ]);
  }
  if (spec.varParam === undefined && args.length > params.length) {
    return fail([
      error(
        "Too many function arguments",
        `Function ${goQuote(e.name)} expects only ${params.length} argument(s).`,
        args[params.length]!.startRange,
        e.srcRange,
      ),
    ]);
  }

  if (isExpressionFunction(spec)) {
    const exprArgs: ExpressionArgument[] = args.map((a) => ({
      expr: a.expr,
      startRange: a.startRange,
      evaluate: () => (a.value !== undefined ? { value: a.value, diagnostics: [] } : ev(a.expr, ctx)),
    }));
    try {
      const r = spec.callExpressions({ name: e.name, args: exprArgs, ctx, call: e });
      return { value: r.value, diagnostics: [...diags, ...r.diagnostics] };
    } catch (err) {
      if (err instanceof FunctionArgError) {
        return fail([...diags, callErrorDiag(e, spec, args, err.message, err.argIndex)]);
      }
      if (err instanceof FunctionError)
        return fail([...diags, callErrorDiag(e, spec, args, err.message, undefined)]);
      throw err;
    }
  }

  const argVals: Value[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const param = paramAt(spec, i)!;
    let val: Value;
    if (arg.value !== undefined) val = arg.value;
    else {
      const r = ev(arg.expr, ctx);
      diags.push(...r.diagnostics);
      val = r.value;
    }
    const c = convert(val, param.type);
    if (c.ok) val = c.value;
    else {
      diags.push(
        error(
          "Invalid function argument",
          `Invalid value for ${goQuote(param.name)} parameter: ${c.error.message}.`,
          arg.startRange,
          e.srcRange,
        ),
      );
    }
    argVals.push(val);
  }
  // Calling with broken arguments would only add confusing errors.
  if (anyErrors(diags)) return fail(diags);

  const r = callFunction(spec, argVals);
  if (r.ok) return { value: r.value, diagnostics: diags };
  if (r.kind === "arg") return fail([...diags, callErrorDiag(e, spec, args, r.message, r.argIndex)]);
  if (r.kind === "call") return fail([...diags, callErrorDiag(e, spec, args, r.message, undefined)]);
  // Arity was checked above; callFunction agrees with it.
  return fail([...diags, callErrorDiag(e, spec, args, "wrong number of arguments", undefined)]);
}
