/**
 * callFunction: cty's Function.Call (with HCL's argument conversion in front), the one path every HCL
 * function call goes through. See function.ts for the contract it enforces.
 */
import {
  type ConversionError,
  conformanceErrors,
  convert,
  dynamicType,
  type Marks,
  type Type,
  unknownVal,
  type Value,
} from "../value/index.js";
import { FunctionArgError, FunctionError, type FunctionSpec, type Parameter } from "./function.js";

export type CallResult =
  | { readonly ok: true; readonly value: Value }
  /** Too few or too many arguments; `expected` counts `params` only (at least, when `variadic`). */
  | {
      readonly ok: false;
      readonly kind: "arity";
      readonly given: number;
      readonly expected: number;
      readonly variadic: boolean;
      /** The first parameter without a value when too few were given. */
      readonly missing?: string;
    }
  /** A problem with one argument: conversion to the parameter type, null, or the function's own check. */
  | {
      readonly ok: false;
      readonly kind: "arg";
      readonly argIndex: number;
      readonly paramName: string;
      readonly message: string;
      readonly conversion?: ConversionError;
    }
  | { readonly ok: false; readonly kind: "call"; readonly message: string };

function paramFor(spec: FunctionSpec, i: number): Parameter {
  return (i < spec.params.length ? spec.params[i] : spec.varParam)!;
}

/** Calls `spec` with `args` (already expanded: `f(xs...)` is the caller's business). Never throws for user errors. */
export function callFunction(spec: FunctionSpec, args: readonly Value[]): CallResult {
  const nParams = spec.params.length;
  const variadic = spec.varParam !== undefined;
  if (args.length < nParams || (!variadic && args.length > nParams)) {
    return {
      ok: false,
      kind: "arity",
      given: args.length,
      expected: nParams,
      variadic,
      ...(args.length < nParams ? { missing: spec.params[args.length]!.name } : {}),
    };
  }

  // HCL converts each argument to its parameter's type before calling.
  const converted: Value[] = [];
  for (let i = 0; i < args.length; i++) {
    const param = paramFor(spec, i);
    const arg = args[i]!;
    if (param.type.kind === "dynamic") {
      converted.push(arg);
      continue;
    }
    const r = convert(arg, param.type);
    if (!r.ok) {
      return {
        ok: false,
        kind: "arg",
        argIndex: i,
        paramName: param.name,
        message: r.error.message,
        conversion: r.error,
      };
    }
    converted.push(r.value);
  }

  // Type checking (cty's ReturnTypeForValues): nulls, dynamic types, conformance.
  const forType: Value[] = [];
  let shortCircuitDynamic = false;
  for (let i = 0; i < converted.length; i++) {
    const param = paramFor(spec, i);
    let v = converted[i]!;
    if (!param.allowMarked && v.containsMarked()) v = v.unmarkDeep()[0];
    if (v.isNull() && !param.allowNull) return argError(i, param, "argument must not be null");
    if (v.type.kind === "dynamic") {
      if (!param.allowDynamicType) shortCircuitDynamic = true;
    } else {
      const errs = conformanceErrors(v.type, param.type);
      if (errs.length > 0) return argError(i, param, errs[0]!);
    }
    forType.push(v);
  }
  if (shortCircuitDynamic) return { ok: true, value: unknownVal(dynamicType) };

  let retType: Type;
  try {
    retType = spec.type(forType);
  } catch (err) {
    return caught(err, spec);
  }

  // Unknowns short-circuit; marks are taken off and re-applied to the result.
  const resultMarks: Marks[] = [];
  const implArgs: Value[] = [];
  for (let i = 0; i < converted.length; i++) {
    const param = paramFor(spec, i);
    let v = converted[i]!;
    if (!v.isKnown() && !param.allowUnknown) return { ok: true, value: unknownVal(retType) };
    if (!param.allowMarked) {
      const [unmarked, marks] = v.unmarkDeep();
      if (marks.size > 0) resultMarks.push(marks);
      v = unmarked;
    }
    implArgs.push(v);
  }

  let result: Value;
  try {
    result = spec.impl(implArgs, retType);
  } catch (err) {
    return caught(err, spec);
  }
  if (resultMarks.length > 0) result = result.withMarks(...resultMarks);
  return { ok: true, value: result };
}

function argError(i: number, param: Parameter, message: string): CallResult {
  return { ok: false, kind: "arg", argIndex: i, paramName: param.name, message };
}

function caught(err: unknown, spec: FunctionSpec): CallResult {
  if (err instanceof FunctionArgError)
    return argError(err.argIndex, paramFor(spec, err.argIndex), err.message);
  if (err instanceof FunctionError) return { ok: false, kind: "call", message: err.message };
  throw err;
}
