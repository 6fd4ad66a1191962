/**
 * The function contract of the HCL engine, modelled on cty's function.Spec. Every HCL function Packer offers
 * (src/hcl/eval/functions/*) is a FunctionSpec; the evaluator calls them through callFunction (call.ts), which
 * does what cty's Function.Call does before and after `impl`:
 *
 *  1. arity: too few / too many arguments (a diagnostic, impl never runs);
 *  2. each argument is converted to its parameter's type (a DynamicType parameter takes the value as is);
 *     a failed conversion is an argument error for that parameter;
 *  3. null: unless `allowNull`, a null argument is the argument error "argument must not be null";
 *  4. unknown: unless `allowUnknown`, an unknown argument (or one of dynamic type, unless `allowDynamicType`)
 *     makes the result an unknown value of the type returned by `type()` (impl never runs);
 *  5. marks: unless `allowMarked`, arguments are unmarked (deeply for collections) before `type`/`impl` and
 *     the result carries the union of every argument's marks — this is how `sensitive` propagates through
 *     every function;
 *  6. `type(args)` computes the return type (it may inspect known argument values); `impl(args, retType)`
 *     computes the value, which must conform to retType.
 *
 * Errors: `type` and `impl` report problems by throwing FunctionArgError (about one argument) or
 * FunctionError (about the call). These two classes are the only exceptions the machinery catches; anything
 * else thrown is a bug and propagates. The evaluator turns them into HCL's diagnostics:
 * "Invalid function argument" / `Invalid value for "<param>" parameter: <message>.` and
 * "Error in function call" / `Call to function "<name>" failed: <message>.`
 */
import type { Type } from "../value/types.js";
import type { Value } from "../value/value.js";

export interface Parameter {
  /** As named in Packer's/cty's docs; appears in diagnostics ("Invalid value for \"str\" parameter"). */
  readonly name: string;
  /** Type constraint; dynamicType accepts any value without conversion. */
  readonly type: Type;
  readonly allowNull?: boolean;
  readonly allowUnknown?: boolean;
  readonly allowDynamicType?: boolean;
  readonly allowMarked?: boolean;
}

export interface FunctionSpec {
  readonly description?: string;
  readonly params: readonly Parameter[];
  /** The variadic parameter, if any: takes every argument after `params`. */
  readonly varParam?: Parameter;
  /** The return type for these (converted, possibly unknown when allowed) arguments. */
  type(args: readonly Value[]): Type;
  /** The result; must conform to retType. Never called when a disallowed unknown argument was given. */
  impl(args: readonly Value[], retType: Type): Value;
}

/** A problem with one argument; `argIndex` counts from 0 across params then varParam arguments. */
export class FunctionArgError extends Error {
  constructor(
    readonly argIndex: number,
    message: string,
  ) {
    super(message);
    this.name = "FunctionArgError";
  }
}

/** A problem with the call as a whole. */
export class FunctionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FunctionError";
  }
}

/** The functions in scope of an evaluation, by name (Packer's 103, or fewer in restricted contexts). */
export type FunctionTable = ReadonlyMap<string, FunctionSpec>;
