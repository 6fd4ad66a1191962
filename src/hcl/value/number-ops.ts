/**
 * Arithmetic and comparison on number values, with cty's semantics:
 *
 * - Operands must be numbers (or unknown / dynamic); nulls and other types are programming errors (throw
 *   ValueUsageError) because the evaluator converts and null-checks operands first, as HCL does.
 * - An unknown or dynamic operand gives an unknown number (unknown bool for comparisons).
 * - Marks of all operands are carried to the result.
 * - Precision follows cty exactly: results take the larger operand precision (512 bits for literals),
 *   except multiply, which keeps enough bits for an exact product up to 512.
 * - x/0 is ±infinity (cty and Packer do not treat it as an error); 0/0, ∞/∞, ∞-∞, 0×∞ and modulo mixing
 *   zero and infinity are errors with cty's messages ({ ok: false, error }).
 * - Modulo truncates toward zero like cty: 5 % -3 = 2, -5 % 3 = -2, 5.5 % 2 = 1.5, x % 0 = x.
 */

import { BigFloat, BigFloatNaNError } from "./big-float.js";
import { boolType, numberType, type Type } from "./types.js";
import { boolVal, numberVal, unknownVal, type Value, ValueUsageError } from "./value.js";

export type NumberResult =
  | { readonly ok: true; readonly value: Value }
  | { readonly ok: false; readonly error: string };

function ok(value: Value): NumberResult {
  return { ok: true, value };
}

/**
 * cty's typeCheck: undefined when all operands are known numbers, otherwise the short-circuit unknown of
 * `ret` type. Throws for wrong types and nulls.
 */
function shortCircuit(ret: Type, op: string, values: readonly Value[]): Value | undefined {
  let unknown = false;
  values.forEach((v, i) => {
    if (v.type.kind === "dynamic") {
      unknown = true;
      return;
    }
    if (v.type.kind !== "number") {
      throw new ValueUsageError(`${op}: type mismatch: want number but value ${i} is ${v.type.kind}`);
    }
    if (!v.isKnown()) {
      unknown = true;
      return;
    }
    if (v.isNull()) throw new ValueUsageError(`${op}: value ${i} is null`);
  });
  return unknown ? unknownVal(ret) : undefined;
}

function big(v: Value): BigFloat {
  return v.raw as BigFloat;
}

function binary(
  op: string,
  a: Value,
  b: Value,
  nanMessage: string,
  compute: (x: BigFloat, y: BigFloat) => BigFloat,
): NumberResult {
  const [ua, ma] = a.unmark();
  const [ub, mb] = b.unmark();
  const sc = shortCircuit(numberType, op, [ua, ub]);
  if (sc) return ok(sc.withMarks(ma, mb));
  try {
    return ok(numberVal(compute(big(ua), big(ub))).withMarks(ma, mb));
  } catch (e) {
    if (e instanceof BigFloatNaNError) return { ok: false, error: nanMessage };
    throw e;
  }
}

/** a + b. */
export function add(a: Value, b: Value): NumberResult {
  return binary("add", a, b, "can't compute sum of opposing infinities", (x, y) => x.add(y));
}

/** a - b. */
export function subtract(a: Value, b: Value): NumberResult {
  return binary("subtract", a, b, "can't subtract infinity from itself", (x, y) => x.add(y.negate()));
}

/** a × b; the result keeps max(operand precisions, bits of the exact product up to 512), as cty does. */
export function multiply(a: Value, b: Value): NumberResult {
  const [ua, ma] = a.unmark();
  const [ub, mb] = b.unmark();
  const sc = shortCircuit(numberType, "multiply", [ua, ub]);
  if (sc) return ok(sc.withMarks(ma, mb));
  try {
    return ok(numberVal(multiplyBig(big(ua), big(ub))).withMarks(ma, mb));
  } catch (e) {
    if (e instanceof BigFloatNaNError) return { ok: false, error: "can't multiply zero by infinity" };
    throw e;
  }
}

function multiplyBig(x: BigFloat, y: BigFloat): BigFloat {
  const product = x.mul(y, 512);
  const prec = Math.max(x.prec, y.prec, product.minPrec());
  return product.withPrec(prec);
}

/** a / b; b = 0 gives ±infinity like cty (callers wanting an error must check first). */
export function divide(a: Value, b: Value): NumberResult {
  return binary("divide", a, b, "can't divide zero by zero or infinity by infinity", (x, y) => x.quo(y));
}

/** a % b with cty's truncating semantics (see module comment). */
export function modulo(a: Value, b: Value): NumberResult {
  return binary("modulo", a, b, "can't use modulo with zero and infinity", moduloBig);
}

function moduloBig(x: BigFloat, y: BigFloat): BigFloat {
  if (y.isZero()) return x;
  // An infinite dividend stays infinite (sign from the product); an infinite divisor falls through to the
  // general path, where 0 × ∞ makes it an error, as Packer reports it.
  if (x.isInf()) return multiplyBig(x, y);
  const rat = x.quo(y);
  const truncated = BigFloat.fromInt(rat.toBigInt(), x.prec);
  const work = y.mul(truncated, x.prec);
  return x.sub(work, x.prec);
}

/** -a. */
export function negate(a: Value): Value {
  const [ua, ma] = a.unmark();
  const sc = shortCircuit(numberType, "negate", [ua]);
  if (sc) return sc.withMarks(ma);
  return numberVal(big(ua).negate()).withMarks(ma);
}

/** |a|. */
export function absolute(a: Value): Value {
  const [ua, ma] = a.unmark();
  const sc = shortCircuit(numberType, "absolute", [ua]);
  if (sc) return sc.withMarks(ma);
  return numberVal(big(ua).abs()).withMarks(ma);
}

function compare(op: string, a: Value, b: Value, test: (c: number) => boolean): Value {
  const [ua, ma] = a.unmark();
  const [ub, mb] = b.unmark();
  const sc = shortCircuit(boolType, op, [ua, ub]);
  if (sc) return sc.withMarks(ma, mb);
  return boolVal(test(big(ua).cmp(big(ub)))).withMarks(ma, mb);
}

export function lessThan(a: Value, b: Value): Value {
  return compare("lessThan", a, b, (c) => c < 0);
}

export function lessThanOrEqualTo(a: Value, b: Value): Value {
  return compare("lessThanOrEqualTo", a, b, (c) => c <= 0);
}

export function greaterThan(a: Value, b: Value): Value {
  return compare("greaterThan", a, b, (c) => c > 0);
}

export function greaterThanOrEqualTo(a: Value, b: Value): Value {
  return compare("greaterThanOrEqualTo", a, b, (c) => c >= 0);
}
