/**
 * Packer's numeric functions: abs ceil floor log max min parseint pow signum (cty's stdlib) and sum
 * (Packer's own). Numbers are arbitrary-precision (BigFloat, as cty's big.Float) except where cty goes
 * through float64 (log, pow) or a Go int (signum), whose conversion errors are reproduced.
 */

import {
  absolute,
  add,
  BigFloat,
  convert,
  dynamicType,
  friendlyName,
  greaterThan,
  lessThan,
  negativeInfinity,
  numberFloatVal,
  numberIntVal,
  numberType,
  numberVal,
  positiveInfinity,
  toInt64,
  unknownVal,
  type Value,
} from "../../value/index.js";
import { FunctionArgError, FunctionError, type FunctionSpec } from "../function.js";

const numberReturn = (): typeof numberType => numberType;

/** cty.NumberFloatVal of NaN panics inside big.Float; cty reports the recovered panic. */
export function floatResult(f: number): Value {
  if (Number.isNaN(f)) throw new FunctionError("panic in function implementation: Float.SetFloat64(NaN)");
  return numberFloatVal(f);
}

const maxFloat64Text = BigFloat.fromFloat64(Number.MAX_VALUE).text("f", 6);

/** gocty's conversion of a number to a Go float64: precision loss is fine, a new infinity is not. */
export function toFloat64(v: Value): number {
  const f = v.asBigFloat();
  const x = f.toFloat64();
  if (!f.isInf() && !Number.isFinite(x)) {
    throw new FunctionError(`value must be between -${maxFloat64Text} and ${maxFloat64Text} inclusive`);
  }
  return x;
}

/** gocty's conversion of a number to a Go int (64-bit). */
export function toGoInt(v: Value): number {
  const r = toInt64(v);
  if (!r.ok) throw new FunctionError(r.error);
  return Number(r.value);
}

const abs: FunctionSpec = {
  description: "If the given number is negative then returns its positive equivalent.",
  params: [{ name: "num", type: numberType, allowDynamicType: true, allowMarked: true }],
  type: numberReturn,
  impl: ([num]) => absolute(num!),
};

/** ceil and floor: cty converts to a big.Int (truncating), adjusts by one, and stores it at the input's precision. */
function roundToward(up: boolean): FunctionSpec {
  return {
    description: up
      ? "Returns the smallest whole number that is greater than or equal to the given value."
      : "Returns the greatest whole number that is less than or equal to the given value.",
    params: [{ name: "num", type: numberType }],
    type: numberReturn,
    impl: ([num]) => {
      const f = num!.asBigFloat();
      if (f.isInf()) return num!;
      let i = f.toBigInt();
      if (!f.isInt()) {
        // Int truncates toward zero: below the value for positives, above it for negatives.
        if (up && f.sign() > 0) i += 1n;
        if (!up && f.sign() < 0) i -= 1n;
      }
      return numberVal(BigFloat.fromInt(i, f.prec));
    },
  };
}

const log: FunctionSpec = {
  description: "Returns the logarithm of the given number in the given base.",
  params: [
    { name: "num", type: numberType },
    { name: "base", type: numberType },
  ],
  type: numberReturn,
  impl: ([num, base]) => floatResult(Math.log(toFloat64(num!)) / Math.log(toFloat64(base!))),
};

// ---- Go's math.Pow, step by step, so results match to the last bit --------------------------------------

const f64 = new DataView(new ArrayBuffer(8));
function bits(x: number): bigint {
  f64.setFloat64(0, x);
  return f64.getBigUint64(0);
}
function fromBits(b: bigint): number {
  f64.setBigUint64(0, b);
  return f64.getFloat64(0);
}
const SHIFT = 52n;
const MASK = 0x7ffn;
const BIAS = 1023;

function normalize(x: number): [number, number] {
  if (Math.abs(x) < 2.2250738585072014e-308) return [x * 2 ** 52, -52];
  return [x, 0];
}

/** math.Frexp: x = frac × 2^exp with |frac| in [0.5, 1). */
function frexp(x: number): [number, number] {
  if (x === 0 || !Number.isFinite(x)) return [x, 0];
  const [f, e0] = normalize(x);
  let b = bits(f);
  const exp = e0 + Number((b >> SHIFT) & MASK) - BIAS + 1;
  b &= ~(MASK << SHIFT);
  b |= BigInt(-1 + BIAS) << SHIFT;
  return [fromBits(b), exp];
}

/** math.Ldexp: frac × 2^exp with Go's rounding of subnormal results. */
function ldexp(frac: number, exp: number): number {
  if (frac === 0 || !Number.isFinite(frac)) return frac;
  const [f, e] = normalize(frac);
  let ex = exp + e;
  let b = bits(f);
  ex += Number((b >> SHIFT) & MASK) - BIAS;
  if (ex < -1075) return frac < 0 ? -0 : 0;
  if (ex > 1023) return frac < 0 ? -Infinity : Infinity;
  let m = 1;
  if (ex < -1022) {
    ex += 53;
    m = 2 ** -53;
  }
  b &= ~(MASK << SHIFT);
  b |= BigInt(ex + BIAS) << SHIFT;
  return m * fromBits(b);
}

function isOddInt(x: number): boolean {
  if (!Number.isFinite(x)) return false;
  const xi = Math.trunc(x);
  if (xi !== x) return false;
  return BigInt.asIntN(64, BigInt(xi)) % 2n !== 0n;
}

/** Go's math.Pow. */
export function goPow(x: number, y: number): number {
  if (y === 0 || x === 1) return 1;
  if (y === 1) return x;
  if (Number.isNaN(x) || Number.isNaN(y)) return Number.NaN;
  if (x === 0) {
    if (y < 0) return isOddInt(y) ? (Object.is(x, -0) ? -Infinity : Infinity) : Infinity;
    if (y > 0) return isOddInt(y) ? x : 0;
  }
  if (!Number.isFinite(y)) {
    if (x === -1) return 1;
    if (Math.abs(x) < 1 === (y === Infinity)) return 0;
    return Infinity;
  }
  if (!Number.isFinite(x)) {
    if (x === -Infinity) return goPow(1 / x, -y);
    if (y < 0) return 0;
    if (y > 0) return Infinity;
  }
  if (y === 0.5) return Math.sqrt(x);
  if (y === -0.5) return 1 / Math.sqrt(x);

  const ay = Math.abs(y);
  let yi = Math.trunc(ay);
  let yf = ay - yi;
  if (yf !== 0 && x < 0) return Number.NaN;
  if (yi >= 2 ** 63) {
    if (x === -1) return 1;
    if (Math.abs(x) < 1 === y > 0) return 0;
    return Infinity;
  }
  let a1 = 1;
  let ae = 0;
  if (yf !== 0) {
    if (yf > 0.5) {
      yf--;
      yi++;
    }
    a1 = Math.exp(yf * Math.log(x));
  }
  let [x1, xe] = frexp(x);
  for (let i = BigInt(yi); i !== 0n; i >>= 1n) {
    if (xe < -(1 << 12) || 1 << 12 < xe) {
      ae += xe;
      break;
    }
    if ((i & 1n) === 1n) {
      a1 *= x1;
      ae += xe;
    }
    x1 *= x1;
    xe <<= 1;
    if (x1 < 0.5) {
      x1 += x1;
      xe--;
    }
  }
  if (y < 0) {
    a1 = 1 / a1;
    ae = -ae;
  }
  return ldexp(a1, ae);
}

const pow: FunctionSpec = {
  description: "Returns the given number raised to the given power (exponentiation).",
  params: [
    { name: "num", type: numberType },
    { name: "power", type: numberType },
  ],
  type: numberReturn,
  impl: ([num, power]) => floatResult(goPow(toFloat64(num!), toFloat64(power!))),
};

/** min and max: the first argument that beats the running extreme, starting from the opposite infinity. */
function extreme(isMax: boolean): FunctionSpec {
  return {
    description: isMax
      ? "Returns the numerically greatest of all of the given numbers."
      : "Returns the numerically smallest of all of the given numbers.",
    params: [],
    varParam: { name: "numbers", type: numberType, allowDynamicType: true },
    type: numberReturn,
    impl: (args) => {
      if (args.length === 0) throw new FunctionError("must pass at least one number");
      let best = isMax ? negativeInfinity : positiveInfinity;
      for (const num of args) {
        const better = isMax ? greaterThan(num, best) : lessThan(num, best);
        if (better.isTrue()) best = num;
      }
      return best;
    },
  };
}

/** Go's big.Int SetString digit value for base ≤ 62: 0-9, then a-z (and A-Z for base ≤ 36), then A-Z. */
function digitValue(c: number, base: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x7a) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x5a) return base <= 36 ? c - 0x41 + 10 : c - 0x41 + 36;
  return 99;
}

/** (*big.Int).SetString(s, base) for 2 ≤ base ≤ 62: optional sign, at least one digit, nothing else. */
function parseBigInt(s: string, base: number): bigint | undefined {
  let i = 0;
  let neg = false;
  if (s[0] === "+" || s[0] === "-") {
    neg = s[0] === "-";
    i = 1;
  }
  if (i >= s.length) return undefined;
  const b = BigInt(base);
  let n = 0n;
  for (; i < s.length; i++) {
    const d = digitValue(s.charCodeAt(i), base);
    if (d >= base) return undefined;
    n = n * b + BigInt(d);
  }
  return neg ? -n : n;
}

const parseint: FunctionSpec = {
  description: "Parses the given string as a number of the given base.",
  params: [
    { name: "number", type: dynamicType },
    { name: "base", type: numberType },
  ],
  type: ([num]) => {
    if (num!.type.kind !== "string") {
      throw new FunctionArgError(0, `first argument must be a string, not ${friendlyName(num!.type)}`);
    }
    return numberType;
  },
  impl: ([num, baseVal]) => {
    const s = num!.asString();
    const b = toInt64(baseVal!);
    if (!b.ok) throw new FunctionArgError(1, b.error);
    if (b.value < 2n || b.value > 62n) {
      throw new FunctionArgError(1, "base must be a whole number between 2 and 62 inclusive");
    }
    const base = Number(b.value);
    const n = parseBigInt(s, base);
    if (n === undefined)
      throw new FunctionArgError(0, `cannot parse ${JSON.stringify(s)} as a base ${base} integer`);
    return numberVal(BigFloat.fromInt(n));
  },
};

const signum: FunctionSpec = {
  description: "Returns 0 if the given number is zero, 1 if positive, or -1 if negative.",
  params: [{ name: "num", type: numberType }],
  type: numberReturn,
  impl: ([num]) => {
    const n = toGoInt(num!);
    return numberIntVal(n < 0 ? -1 : n > 0 ? 1 : 0);
  },
};

const sumElementsError = "argument must be list, set, or tuple of number values";

const sum: FunctionSpec = {
  description: "Returns the total sum of the elements of the given list of numbers.",
  params: [{ name: "list", type: dynamicType }],
  type: numberReturn,
  impl: ([list]) => {
    const coll = list!;
    if (!coll.canIterateElements()) throw new FunctionArgError(0, "cannot sum noniterable");
    if (coll.lengthInt() === 0) throw new FunctionArgError(0, "cannot sum an empty list");
    const kind = coll.type.kind;
    if (kind !== "list" && kind !== "set" && kind !== "tuple") {
      throw new FunctionArgError(
        0,
        `argument must be list, set, or tuple. Received ${friendlyName(coll.type)}`,
      );
    }
    if (!coll.isWhollyKnown()) return unknownVal(numberType);
    const elems = coll.asValueSlice();
    const asNumber = (v: Value): Value => {
      if (v.isNull()) throw new FunctionArgError(0, sumElementsError);
      const r = convert(v, numberType);
      if (!r.ok) throw new FunctionArgError(0, sumElementsError);
      return r.value;
    };
    let total = asNumber(elems[0]!);
    for (const v of elems.slice(1)) {
      const r = add(total, asNumber(v));
      if (!r.ok) throw new FunctionError("can't compute sum of opposing infinities");
      total = r.value;
    }
    return total;
  },
};

export const numericFunctions: Record<string, FunctionSpec> = {
  abs,
  ceil: roundToward(true),
  floor: roundToward(false),
  log,
  max: extreme(true),
  min: extreme(false),
  parseint,
  pow,
  signum,
  sum,
};
