/**
 * EvalContext: the variables and functions in scope when evaluating an expression, like hcl.EvalContext.
 * A child context (for-expression symbols, splat "each" values, dynamic-block iterators, templatefile vars)
 * shadows its parent; lookups walk up the chain. `functions` undefined means "inherit from the parent";
 * an evaluation with no context at all has no variables and no functions (the errors then say so, as
 * HCL's do: "Variables not allowed", "Function calls not allowed").
 */
import type { Value } from "../value/index.js";
import type { FunctionTable } from "./function.js";

export interface EvalContext {
  readonly variables?: ReadonlyMap<string, Value>;
  readonly functions?: FunctionTable;
  readonly parent?: EvalContext;
}

/** A context whose variables shadow `parent`'s and which inherits its functions. */
export function childContext(
  parent: EvalContext | undefined,
  variables: ReadonlyMap<string, Value>,
): EvalContext {
  return parent === undefined ? { variables } : { variables, parent };
}

/** The innermost binding of a root variable name, or undefined. */
export function lookupVariable(ctx: EvalContext | undefined, name: string): Value | undefined {
  for (let c = ctx; c !== undefined; c = c.parent) {
    const v = c.variables?.get(name);
    if (v !== undefined) return v;
  }
  return undefined;
}

/** The innermost function table in the chain, or undefined when functions are not available at all. */
export function lookupFunctions(ctx: EvalContext | undefined): FunctionTable | undefined {
  for (let c = ctx; c !== undefined; c = c.parent) {
    if (c.functions !== undefined) return c.functions;
  }
  return undefined;
}
