/**
 * Binary and unary operators (hclsyntax's expression_ops.go). Each operator is a FunctionSpec shaped like
 * the cty stdlib function HCL calls for it (same parameter types and Allow* flags), so that nulls, unknowns,
 * dynamic types and marks behave exactly as in HCL by going through callFunction:
 *
 * - operands are first converted to the parameter type ("Invalid operand" / "Unsuitable value for left
 *   operand: a number is required.");
 * - a null operand where the function does not allow it fails the call: "Operation failed" / "Error during
 *   operation: argument must not be null.";
 * - arithmetic with an unknown operand gives an unknown number; comparisons and equality see unknowns;
 * - marks of both operands reach the result.
 *
 * `&&` and `||` short-circuit on unknowns as HCL 2.24 does: a known controlling operand decides the result
 * and the diagnostics of the other side are dropped (like an untaken conditional branch).
 */
import type { BinaryOp, BinaryOpExpr, UnaryOpExpr } from "../syntax/index.js";
import {
  add,
  and,
  boolType,
  boolVal,
  convert,
  divide,
  dynamicType,
  equals,
  greaterThan,
  greaterThanOrEqualTo,
  lessThan,
  lessThanOrEqualTo,
  modulo,
  multiply,
  type NumberResult,
  negate,
  not,
  notEquals,
  numberType,
  or,
  subtract,
  type Type,
  unknownVal,
  type Value,
} from "../value/index.js";
import { callFunction } from "./call.js";
import type { EvalContext } from "./context.js";
import { FunctionError, type FunctionSpec, type Parameter } from "./function.js";
import { anyErrors, type EvalResult, error, type SubEval } from "./result.js";

interface Operation {
  readonly spec: FunctionSpec;
  /** The result type (for unknown results after errors). */
  readonly type: Type;
}

function numberResult(r: NumberResult): Value {
  if (!r.ok) throw new FunctionError(r.error);
  return r.value;
}

function param(name: string, type: Type, flags: Omit<Parameter, "name" | "type">): Parameter {
  return { name, type, ...flags };
}

/** cty's AddFunc & co: numbers, dynamic types allowed, no unknowns/nulls/marks reach the implementation. */
function arithmetic(fn: (a: Value, b: Value) => NumberResult): Operation {
  const flags = { allowDynamicType: true };
  return {
    type: numberType,
    spec: {
      params: [param("a", numberType, flags), param("b", numberType, flags)],
      type: () => numberType,
      impl: ([a, b]) => numberResult(fn(a!, b!)),
    },
  };
}

/** cty's GreaterThanFunc & co: unknowns and marks are handled by the comparison itself. */
function comparison(fn: (a: Value, b: Value) => Value): Operation {
  const flags = { allowUnknown: true, allowDynamicType: true, allowMarked: true };
  return {
    type: boolType,
    spec: {
      params: [param("a", numberType, flags), param("b", numberType, flags)],
      type: () => boolType,
      impl: ([a, b]) => fn(a!, b!),
    },
  };
}

/** cty's EqualFunc / NotEqualFunc: any types, nulls and unknowns; marks are taken off and put back. */
function equality(fn: (a: Value, b: Value) => Value): Operation {
  const flags = { allowUnknown: true, allowDynamicType: true, allowNull: true };
  return {
    type: boolType,
    spec: {
      params: [param("a", dynamicType, flags), param("b", dynamicType, flags)],
      type: () => boolType,
      impl: ([a, b]) => fn(a!, b!),
    },
  };
}

/** cty's AndFunc / OrFunc. */
function logical(fn: (a: Value, b: Value) => Value): Operation {
  const flags = { allowDynamicType: true, allowMarked: true };
  return {
    type: boolType,
    spec: {
      params: [param("a", boolType, flags), param("b", boolType, flags)],
      type: () => boolType,
      impl: ([a, b]) => fn(a!, b!),
    },
  };
}

const BINARY: Record<BinaryOp, Operation> = {
  logicalOr: logical(or),
  logicalAnd: logical(and),
  equal: equality(equals),
  notEqual: equality(notEquals),
  greaterThan: comparison(greaterThan),
  greaterThanOrEqual: comparison(greaterThanOrEqualTo),
  lessThan: comparison(lessThan),
  lessThanOrEqual: comparison(lessThanOrEqualTo),
  add: arithmetic(add),
  subtract: arithmetic(subtract),
  multiply: arithmetic(multiply),
  divide: arithmetic(divide),
  modulo: arithmetic(modulo),
};

const unaryFlags = { allowDynamicType: true, allowMarked: true };
const UNARY: Record<UnaryOpExpr["op"], Operation> = {
  negate: {
    type: numberType,
    spec: {
      params: [param("num", numberType, unaryFlags)],
      type: () => numberType,
      impl: ([a]) => negate(a!),
    },
  },
  logicalNot: {
    type: boolType,
    spec: { params: [param("val", boolType, unaryFlags)], type: () => boolType, impl: ([a]) => not(a!) },
  },
};

/** Runs an operator function; failures become HCL's (admittedly unhelpful) "Operation failed". */
function callOperation(op: Operation, args: Value[], e: BinaryOpExpr | UnaryOpExpr): EvalResult {
  const r = callFunction(op.spec, args);
  if (r.ok) return { value: r.value, diagnostics: [] };
  const message = r.kind === "call" || r.kind === "arg" ? r.message : "wrong number of arguments";
  return {
    value: unknownVal(op.type),
    diagnostics: [error("Operation failed", `Error during operation: ${message}.`, e.srcRange)],
  };
}

function isTrue(v: Value): boolean {
  return v.isKnown() && !v.isNull() && v.raw === true;
}

function isFalse(v: Value): boolean {
  return v.isKnown() && !v.isNull() && v.raw === false;
}

/**
 * HCL's ShortCircuit for || (`controlling` true) and && (`controlling` false): a result decided without
 * the full operation, with the diagnostics of the side that decided it; undefined to proceed normally.
 * Operands are unmarked and of type bool (possibly null or unknown).
 */
function shortCircuit(
  controlling: boolean,
  lhs: Value,
  rhs: Value,
  lhsDiags: EvalResult["diagnostics"],
  rhsDiags: EvalResult["diagnostics"],
): EvalResult | undefined {
  const decides = controlling ? isTrue : isFalse;
  const yields = controlling ? isFalse : isTrue;
  const unknownBool = unknownVal(boolType);
  if (!lhs.isKnown() && !rhs.isKnown()) {
    if (!anyErrors(lhsDiags)) return { value: unknownBool, diagnostics: lhsDiags };
    return undefined;
  }
  const result = boolVal(controlling);
  if (decides(lhs)) return { value: result, diagnostics: lhsDiags };
  if (decides(rhs)) return { value: result, diagnostics: rhsDiags };
  if (!lhs.isKnown() && yields(rhs)) return { value: unknownBool, diagnostics: lhsDiags };
  if (!rhs.isKnown() && yields(lhs)) return { value: unknownBool, diagnostics: rhsDiags };
  return undefined;
}

export function evalBinaryOp(e: BinaryOpExpr, ctx: EvalContext | undefined, ev: SubEval): EvalResult {
  const op = BINARY[e.op];
  const [lhsParam, rhsParam] = op.spec.params as [Parameter, Parameter];
  const diags: EvalResult["diagnostics"] = [];

  const lhsGiven = ev(e.lhs, ctx);
  let lhsVal = lhsGiven.value;
  const lc = convert(lhsGiven.value, lhsParam.type);
  if (lc.ok) lhsVal = lc.value;
  else {
    diags.push(
      error(
        "Invalid operand",
        `Unsuitable value for left operand: ${lc.error.message}.`,
        e.lhs.srcRange,
        e.srcRange,
      ),
    );
  }

  const rhsGiven = ev(e.rhs, ctx);
  let rhsVal = rhsGiven.value;
  const rc = convert(rhsGiven.value, rhsParam.type);
  if (rc.ok) rhsVal = rc.value;
  else {
    diags.push(
      error(
        "Invalid operand",
        `Unsuitable value for right operand: ${rc.error.message}.`,
        e.rhs.srcRange,
        e.srcRange,
      ),
    );
  }

  if (anyErrors(diags)) {
    return {
      value: unknownVal(op.type),
      diagnostics: [...diags, ...lhsGiven.diagnostics, ...rhsGiven.diagnostics],
    };
  }

  const [lhs, lhsMarks] = lhsVal.unmark();
  const [rhs, rhsMarks] = rhsVal.unmark();

  if (e.op === "logicalOr" || e.op === "logicalAnd") {
    const forced = shortCircuit(e.op === "logicalOr", lhs, rhs, lhsGiven.diagnostics, rhsGiven.diagnostics);
    if (forced !== undefined) {
      return { value: forced.value.withMarks(lhsMarks, rhsMarks), diagnostics: [...forced.diagnostics] };
    }
  }

  diags.push(...lhsGiven.diagnostics, ...rhsGiven.diagnostics);
  if (anyErrors(diags)) {
    return { value: unknownVal(op.type).withMarks(lhsMarks, rhsMarks), diagnostics: diags };
  }

  const r = callOperation(op, [lhs, rhs], e);
  if (anyErrors(r.diagnostics)) return { value: r.value, diagnostics: [...diags, ...r.diagnostics] };
  return { value: r.value.withMarks(lhsMarks, rhsMarks), diagnostics: diags };
}

export function evalUnaryOp(e: UnaryOpExpr, ctx: EvalContext | undefined, ev: SubEval): EvalResult {
  const op = UNARY[e.op];
  const p = op.spec.params[0]!;
  const given = ev(e.val, ctx);
  const diags = [...given.diagnostics];
  let val = given.value;
  const c = convert(given.value, p.type);
  if (c.ok) val = c.value;
  else {
    diags.push(
      error(
        "Invalid operand",
        `Unsuitable value for unary operand: ${c.error.message}.`,
        e.val.srcRange,
        e.srcRange,
      ),
    );
  }
  if (anyErrors(diags)) return { value: unknownVal(op.type), diagnostics: diags };
  const r = callOperation(op, [val], e);
  return { value: r.value, diagnostics: [...diags, ...r.diagnostics] };
}
