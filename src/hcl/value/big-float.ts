/**
 * BigFloat: an immutable arbitrary-precision binary floating-point number with the exact observable
 * semantics of Go's math/big.Float in its default rounding mode (ToNearestEven), which is what cty uses
 * for every HCL number.
 *
 * Why binary and not decimal: cty numbers are binary floats with a per-value precision (512 bits for
 * literals and parsed strings, 64 for integers made from Go ints, 53 for float64 results). What users see
 * (`tostring(1/3)` = 0.333…335 with 157 digits, `length(a)/length(b)` = 0.6666666666666666667) depends on
 * that binary rounding and on the precision carried by each value, so both are reproduced here exactly.
 *
 * Representation: a finite non-zero value is (-1)^neg × mant × 2^exp with mant an odd positive bigint;
 * zero and infinity are signed. `prec` is the value's precision in bits (Go's Float.Prec()); every finite
 * value satisfies bitLength(mant) <= prec.
 *
 * Operations never produce NaN: where Go panics with ErrNaN (∞-∞, 0×∞, 0/0, ∞/∞) they throw BigFloatNaNError,
 * which callers turn into user-facing errors (see number-ops.ts).
 */

/** Thrown where Go's math/big would panic with ErrNaN. The message is Go's. */
export class BigFloatNaNError extends Error {
  override readonly name = "BigFloatNaNError";
}

type Form = "zero" | "finite" | "inf";

/** Formats accepted by BigFloat.text, as in Go's big.Float.Text. */
export type BigFloatFormat = "e" | "E" | "f" | "g" | "G";

export function bitLength(n: bigint): number {
  if (n === 0n) return 0;
  if (n < 0n) n = -n;
  const hex = n.toString(16);
  const first = Number.parseInt(hex[0]!, 16);
  return (hex.length - 1) * 4 + (32 - Math.clz32(first));
}

function trailingZeroBits(n: bigint): number {
  if (n === 0n) return 0;
  let count = 0;
  while ((n & 0xffffffffn) === 0n) {
    n >>= 32n;
    count += 32;
  }
  let low = Number(n & 0xffffffffn);
  while ((low & 1) === 0) {
    low >>>= 1;
    count++;
  }
  return count;
}

const pow5Cache = new Map<number, bigint>();
function pow5(n: number): bigint {
  let v = pow5Cache.get(n);
  if (v === undefined) {
    v = 5n ** BigInt(n);
    if (n <= 2048) pow5Cache.set(n, v);
  }
  return v;
}

/** An exact decimal: value = 0.d1d2d3… × 10^exp; digits has no trailing zeros; "" means zero. */
interface Decimal {
  digits: string;
  exp: number;
}

/** Exact decimal expansion of m × 2^shift (m >= 0). */
function decimalOf(m: bigint, shift: number): Decimal {
  if (m === 0n) return { digits: "", exp: 0 };
  let s: string;
  let pointShift = 0;
  if (shift >= 0) {
    s = (m << BigInt(shift)).toString();
  } else {
    let k = -shift;
    const tz = Math.min(trailingZeroBits(m), k);
    m >>= BigInt(tz);
    k -= tz;
    s = (m * pow5(k)).toString();
    pointShift = k;
  }
  const exp = s.length - pointShift;
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 48) end--;
  return { digits: s.slice(0, end), exp };
}

function digitAt(d: Decimal, i: number): string {
  return i >= 0 && i < d.digits.length ? d.digits[i]! : "0";
}

function trimDecimal(d: Decimal): void {
  let end = d.digits.length;
  while (end > 0 && d.digits.charCodeAt(end - 1) === 48) end--;
  d.digits = d.digits.slice(0, end);
  if (end === 0) d.exp = 0;
}

function shouldRoundUp(d: Decimal, n: number): boolean {
  if (d.digits[n] === "5" && n + 1 === d.digits.length) {
    return n > 0 && (d.digits.charCodeAt(n - 1) - 48) % 2 !== 0;
  }
  return d.digits[n]! >= "5";
}

function roundDecimalUp(d: Decimal, n: number): void {
  if (n < 0 || n >= d.digits.length) return;
  while (n > 0 && d.digits[n - 1]! >= "9") n--;
  if (n === 0) {
    d.digits = "1";
    d.exp++;
    return;
  }
  d.digits = d.digits.slice(0, n - 1) + String.fromCharCode(d.digits.charCodeAt(n - 1) + 1);
}

function roundDecimalDown(d: Decimal, n: number): void {
  if (n < 0 || n >= d.digits.length) return;
  d.digits = d.digits.slice(0, n);
  trimDecimal(d);
}

function roundDecimal(d: Decimal, n: number): void {
  if (n < 0 || n >= d.digits.length) return;
  if (shouldRoundUp(d, n)) roundDecimalUp(d, n);
  else roundDecimalDown(d, n);
}

function fmtE(sign: string, ch: "e" | "E", prec: number, d: Decimal): string {
  let out = sign + (d.digits.length > 0 ? d.digits[0]! : "0");
  if (prec > 0) {
    out += ".";
    const m = Math.min(d.digits.length, prec + 1);
    let i = 1;
    if (i < m) {
      out += d.digits.slice(i, m);
      i = m;
    }
    for (; i <= prec; i++) out += "0";
  }
  out += ch;
  let exp = d.digits.length > 0 ? d.exp - 1 : 0;
  if (exp < 0) {
    out += "-";
    exp = -exp;
  } else {
    out += "+";
  }
  if (exp < 10) out += "0";
  return out + String(exp);
}

function fmtF(sign: string, prec: number, d: Decimal): string {
  let out = sign;
  if (d.exp > 0) {
    const m = Math.min(d.digits.length, d.exp);
    out += d.digits.slice(0, m);
    if (m < d.exp) out += "0".repeat(d.exp - m);
  } else {
    out += "0";
  }
  if (prec > 0) {
    out += ".";
    for (let i = 0; i < prec; i++) out += digitAt(d, d.exp + i);
  }
  return out;
}

export class BigFloat {
  /** Precision in bits, as Go's Float.Prec(). */
  readonly prec: number;
  private readonly form: Form;
  private readonly neg: boolean;
  /** Odd positive mantissa for finite values; 0n otherwise. */
  private readonly mant: bigint;
  /** Binary exponent of the odd mantissa for finite values; 0 otherwise. */
  private readonly exp: number;

  private constructor(form: Form, neg: boolean, mant: bigint, exp: number, prec: number) {
    this.form = form;
    this.neg = neg;
    this.mant = mant;
    this.exp = exp;
    this.prec = prec;
  }

  // ---- construction -------------------------------------------------------------------------------------

  static zero(prec = 64, negative = false): BigFloat {
    return new BigFloat("zero", negative, 0n, 0, prec);
  }

  static infinity(negative: boolean, prec = 64): BigFloat {
    return new BigFloat("inf", negative, 0n, 0, prec);
  }

  /**
   * Rounds (-1)^neg × mant × 2^exp to `prec` bits, ties to even. When `sticky` is set, the true value is
   * slightly larger in magnitude than mant × 2^exp (a non-zero remainder was dropped); mant must then carry
   * at least two bits more than prec.
   */
  private static round(neg: boolean, mant: bigint, exp: number, prec: number, sticky = false): BigFloat {
    if (mant === 0n) return new BigFloat("zero", neg, 0n, 0, prec);
    const len = bitLength(mant);
    if (len > prec) {
      const shift = len - prec;
      const bShift = BigInt(shift);
      let q = mant >> bShift;
      const r = mant & ((1n << bShift) - 1n);
      const half = 1n << BigInt(shift - 1);
      if (r > half || (r === half && (sticky || (q & 1n) === 1n))) q += 1n;
      mant = q;
      exp += shift;
    }
    const tz = trailingZeroBits(mant);
    if (tz > 0) {
      mant >>= BigInt(tz);
      exp += tz;
    }
    return new BigFloat("finite", neg, mant, exp, prec);
  }

  /** Go's SetInt64/SetInt: an integer with precision max(64, bitLength) unless `prec` is given. */
  static fromInt(n: number | bigint, prec?: number): BigFloat {
    if (typeof n === "number") {
      if (!Number.isInteger(n)) throw new RangeError(`BigFloat.fromInt: ${n} is not an integer`);
      n = BigInt(n);
    }
    const p = prec ?? Math.max(64, bitLength(n));
    if (n === 0n) return BigFloat.zero(p);
    return BigFloat.round(n < 0n, n < 0n ? -n : n, 0, p);
  }

  /** Go's SetFloat64: exact, precision 53. NaN is rejected. */
  static fromFloat64(f: number): BigFloat {
    if (Number.isNaN(f)) throw new RangeError("BigFloat.fromFloat64: NaN");
    if (f === 0) return BigFloat.zero(53, Object.is(f, -0));
    if (!Number.isFinite(f)) return BigFloat.infinity(f < 0, 53);
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, f);
    const hi = view.getUint32(0);
    const lo = view.getUint32(4);
    const neg = hi >>> 31 === 1;
    const bexp = (hi >>> 20) & 0x7ff;
    let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
    let exp: number;
    if (bexp === 0) {
      exp = -1074;
    } else {
      mant |= 1n << 52n;
      exp = bexp - 1075;
    }
    return BigFloat.round(neg, mant, exp, 53);
  }

  /**
   * Go's big.ParseFloat(s, 10, prec, ToNearestEven): optional sign, decimal digits with an optional point,
   * an optional exponent `e`/`E` (power of ten) or `p`/`P` (power of two), or "Inf"/"inf" with optional sign.
   * No surrounding space, no underscores. Returns undefined when s is not such a number.
   */
  static parse(s: string, prec = 512): BigFloat | undefined {
    if (s === "Inf" || s === "inf") return BigFloat.infinity(false, prec);
    if (s.length === 4 && (s[0] === "+" || s[0] === "-") && (s.slice(1) === "Inf" || s.slice(1) === "inf")) {
      return BigFloat.infinity(s[0] === "-", prec);
    }
    let i = 0;
    let neg = false;
    if (s[i] === "+" || s[i] === "-") {
      neg = s[i] === "-";
      i++;
    }
    let digits = "";
    let fracDigits = 0;
    let sawPoint = false;
    for (; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c === 46 /* . */ && !sawPoint) {
        sawPoint = true;
      } else if (c >= 48 && c <= 57) {
        digits += s[i];
        if (sawPoint) fracDigits++;
      } else {
        break;
      }
    }
    if (digits.length === 0) return undefined;
    let exp10 = 0n;
    let exp2 = 0n;
    if (i < s.length && (s[i] === "e" || s[i] === "E" || s[i] === "p" || s[i] === "P")) {
      const binary = s[i] === "p" || s[i] === "P";
      i++;
      let expNeg = false;
      if (s[i] === "+" || s[i] === "-") {
        expNeg = s[i] === "-";
        i++;
      }
      const start = i;
      while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
      if (i === start) return undefined;
      let e = BigInt(s.slice(start, i));
      if (expNeg) e = -e;
      // Go parses the exponent as an int64.
      if (e > 9223372036854775807n || e < -9223372036854775808n) return undefined;
      if (binary) exp2 = e;
      else exp10 = e;
    }
    if (i !== s.length) return undefined;
    const m = BigInt(digits);
    if (m === 0n) return BigFloat.zero(prec, neg);
    // value = m × 2^exp2 × 10^(exp10 - fracDigits) = m × 2^(exp2 + e10) × 5^e10
    const e10 = exp10 - BigInt(fracDigits);
    const totalExp2 = exp2 + e10;
    // Go's exponent range check (int32 on the normalized exponent).
    const normExp = totalExp2 + BigInt(bitLength(m));
    if (normExp < -2147483648n || normExp > 2147483647n) return undefined;
    const e2 = Number(totalExp2);
    if (e10 === 0n) return BigFloat.round(neg, m, e2, prec);
    if (e10 > 100000n || e10 < -100000n) {
      // Far beyond any representable magnitude at sane precisions; Go would grind through a huge power
      // of five. Saturate instead of exhausting memory.
      return e10 > 0n ? BigFloat.infinity(neg, prec) : BigFloat.zero(prec, neg);
    }
    const k = Number(e10 < 0n ? -e10 : e10);
    const p5 = BigFloat.goPow5(k, prec + 64);
    const x = new BigFloat("finite", neg, m, e2, prec); // deliberately unrounded, as in Go's scan
    return e10 < 0n ? x.quo(p5, prec) : x.mul(p5, prec);
  }

  /** 5^n computed the way Go's Float.pow5 does at precision `prec` (exact up to 5^248 at 576 bits). */
  private static goPow5(n: number, prec: number): BigFloat {
    const m = 27;
    if (n <= m) return BigFloat.fromInt(pow5(n), prec);
    let z = BigFloat.fromInt(pow5(m), prec);
    n -= m;
    let f = BigFloat.fromInt(5n, prec + 64);
    while (n > 0) {
      if (n & 1) z = z.mul(f, prec);
      f = f.mul(f, prec + 64);
      n = Math.floor(n / 2);
    }
    return z;
  }

  // ---- inspection -----------------------------------------------------------------------------------------

  isZero(): boolean {
    return this.form === "zero";
  }

  isInf(): boolean {
    return this.form === "inf";
  }

  isFinite(): boolean {
    return this.form !== "inf";
  }

  /** True when the sign bit is set (including -0 and -Inf). */
  signBit(): boolean {
    return this.neg;
  }

  /** -1, 0 or +1 (zero of either sign gives 0). */
  sign(): -1 | 0 | 1 {
    if (this.form === "zero") return 0;
    return this.neg ? -1 : 1;
  }

  /** True for zero and finite values without a fractional part. */
  isInt(): boolean {
    if (this.form === "zero") return true;
    if (this.form === "inf") return false;
    return this.exp >= 0;
  }

  /** Minimum precision needed to represent the value exactly (Go's MinPrec). */
  minPrec(): number {
    return this.form === "finite" ? bitLength(this.mant) : 0;
  }

  /** Three-way numeric comparison; -0 equals +0; infinities compare as usual. */
  cmp(y: BigFloat): -1 | 0 | 1 {
    if (this.form === "inf" || y.form === "inf") {
      const rx = this.form === "inf" ? (this.neg ? -1 : 1) : 0;
      const ry = y.form === "inf" ? (y.neg ? -1 : 1) : 0;
      return rx < ry ? -1 : rx > ry ? 1 : 0;
    }
    const sx = this.sign();
    const sy = y.sign();
    if (sx !== sy) return sx < sy ? -1 : 1;
    if (sx === 0) return 0;
    const mag = BigFloat.compareMagnitude(this, y);
    return (this.neg ? -mag : mag) as -1 | 0 | 1;
  }

  private static compareMagnitude(x: BigFloat, y: BigFloat): -1 | 0 | 1 {
    const ex = x.exp + bitLength(x.mant);
    const ey = y.exp + bitLength(y.mant);
    if (ex !== ey) return ex < ey ? -1 : 1;
    const e = Math.min(x.exp, y.exp);
    const a = x.mant << BigInt(x.exp - e);
    const b = y.mant << BigInt(y.exp - e);
    return a < b ? -1 : a > b ? 1 : 0;
  }

  // ---- arithmetic (results take the larger operand precision unless `prec` is given) -------------------

  /** A copy rounded to `prec` bits (Go's SetPrec, prec >= 1). */
  withPrec(prec: number): BigFloat {
    if (this.form !== "finite") return new BigFloat(this.form, this.neg, 0n, 0, prec);
    return BigFloat.round(this.neg, this.mant, this.exp, prec);
  }

  /** Negation (Go's Neg); keeps precision. */
  negate(): BigFloat {
    return new BigFloat(this.form, !this.neg, this.mant, this.exp, this.prec);
  }

  /** Absolute value (Go's Abs); keeps precision. */
  abs(): BigFloat {
    return new BigFloat(this.form, false, this.mant, this.exp, this.prec);
  }

  add(y: BigFloat, prec = Math.max(this.prec, y.prec)): BigFloat {
    const x = this as BigFloat;
    if (x.form === "finite" && y.form === "finite") {
      const e = Math.min(x.exp, y.exp);
      const a = x.mant << BigInt(x.exp - e);
      const b = y.mant << BigInt(y.exp - e);
      const sa = x.neg ? -a : a;
      const sb = y.neg ? -b : b;
      const sum = sa + sb;
      if (sum === 0n) return BigFloat.zero(prec, false);
      return BigFloat.round(sum < 0n, sum < 0n ? -sum : sum, e, prec);
    }
    if (x.form === "inf" && y.form === "inf" && x.neg !== y.neg) {
      throw new BigFloatNaNError("addition of infinities with opposite signs");
    }
    if (x.form === "zero" && y.form === "zero") return BigFloat.zero(prec, x.neg && y.neg);
    if (x.form === "inf" || y.form === "zero") return x.withPrec(prec);
    return y.withPrec(prec);
  }

  sub(y: BigFloat, prec = Math.max(this.prec, y.prec)): BigFloat {
    if (this.form === "inf" && y.form === "inf" && this.neg === y.neg) {
      throw new BigFloatNaNError("subtraction of infinities with equal signs");
    }
    return this.add(y.negate(), prec);
  }

  mul(y: BigFloat, prec = Math.max(this.prec, y.prec)): BigFloat {
    const neg = this.neg !== y.neg;
    if (this.form === "finite" && y.form === "finite") {
      return BigFloat.round(neg, this.mant * y.mant, this.exp + y.exp, prec);
    }
    if ((this.form === "zero" && y.form === "inf") || (this.form === "inf" && y.form === "zero")) {
      throw new BigFloatNaNError("multiplication of zero with infinity");
    }
    if (this.form === "inf" || y.form === "inf") return BigFloat.infinity(neg, prec);
    return BigFloat.zero(prec, neg);
  }

  quo(y: BigFloat, prec = Math.max(this.prec, y.prec)): BigFloat {
    const neg = this.neg !== y.neg;
    if (this.form === "finite" && y.form === "finite") {
      const k = Math.max(0, prec + 2 + bitLength(y.mant) - bitLength(this.mant));
      const num = this.mant << BigInt(k);
      const q = num / y.mant;
      const r = num % y.mant;
      return BigFloat.round(neg, q, this.exp - y.exp - k, prec, r !== 0n);
    }
    if ((this.form === "zero" && y.form === "zero") || (this.form === "inf" && y.form === "inf")) {
      throw new BigFloatNaNError("division of zero by zero or infinity by infinity");
    }
    if (this.form === "zero" || y.form === "inf") return BigFloat.zero(prec, neg);
    return BigFloat.infinity(neg, prec);
  }

  // ---- conversion -----------------------------------------------------------------------------------------

  /** The integer part, truncated toward zero (Go's Int). Throws for infinities. */
  toBigInt(): bigint {
    if (this.form === "inf") throw new RangeError("BigFloat.toBigInt: infinity");
    if (this.form === "zero") return 0n;
    let v: bigint;
    if (this.exp >= 0) v = this.mant << BigInt(this.exp);
    else if (-this.exp >= bitLength(this.mant)) v = 0n;
    else v = this.mant >> BigInt(-this.exp);
    return this.neg ? -v : v;
  }

  /**
   * The integer part (truncated toward zero) as a JS number when it is an exact int64 value within the
   * safe-integer range, with `exact` telling whether the value had no fractional part (Go's Int64 accuracy).
   */
  toInt64(): { value: bigint; exact: boolean; inRange: boolean } {
    if (this.form === "inf") {
      return { value: this.neg ? -(2n ** 63n) : 2n ** 63n - 1n, exact: false, inRange: false };
    }
    const v = this.toBigInt();
    const inRange = v >= -(2n ** 63n) && v <= 2n ** 63n - 1n;
    return { value: v, exact: inRange && this.isInt(), inRange };
  }

  /** The nearest float64 (Go's Float64), ties to even, with overflow to ±Infinity. */
  toFloat64(): number {
    if (this.form === "zero") return this.neg ? -0 : 0;
    if (this.form === "inf") return this.neg ? -Infinity : Infinity;
    const len = bitLength(this.mant);
    const e = this.exp + len - 1; // value = 1.xxx × 2^e
    let p = 53;
    if (e < -1022) {
      p = 53 - (-1022 - e);
      if (p < 0 || (p === 0 && this.mant === 1n << BigInt(len - 1))) return this.neg ? -0 : 0;
      if (p === 0) return this.neg ? -(2 ** -1074) : 2 ** -1074;
    }
    const r = BigFloat.round(this.neg, this.mant, this.exp, p);
    const rlen = bitLength(r.mant);
    if (r.exp + rlen - 1 > 1023) return this.neg ? -Infinity : Infinity;
    let f = Number(r.mant);
    let ex = r.exp;
    while (ex > 0) {
      const step = Math.min(ex, 1000);
      f *= 2 ** step;
      ex -= step;
    }
    while (ex < 0) {
      const step = Math.min(-ex, 1000);
      f /= 2 ** step;
      ex += step;
    }
    return this.neg ? -f : f;
  }

  /**
   * Go's Float.Text(format, prec): 'e'/'E' (d.dddde±dd), 'f' (ddd.dddd), 'g'/'G' (e for large exponents,
   * f otherwise). A negative prec gives the shortest decimal that rounds back to this value at its own
   * precision. Infinities print as "+Inf"/"-Inf".
   */
  text(format: BigFloatFormat, prec: number): string {
    const sign = this.neg ? "-" : "";
    if (this.form === "inf") return this.neg ? "-Inf" : "+Inf";
    const d: Decimal = this.form === "finite" ? decimalOf(this.mant, this.exp) : { digits: "", exp: 0 };
    let shortest = false;
    if (prec < 0) {
      shortest = true;
      this.roundShortest(d);
      switch (format) {
        case "e":
        case "E":
          prec = d.digits.length - 1;
          break;
        case "f":
          prec = Math.max(d.digits.length - d.exp, 0);
          break;
        default:
          prec = d.digits.length;
      }
    } else {
      switch (format) {
        case "e":
        case "E":
          roundDecimal(d, 1 + prec);
          break;
        case "f":
          roundDecimal(d, d.exp + prec);
          break;
        default:
          if (prec === 0) prec = 1;
          roundDecimal(d, prec);
      }
    }
    switch (format) {
      case "e":
      case "E":
        return fmtE(sign, format, prec, d);
      case "f":
        return fmtF(sign, prec, d);
      default: {
        let eprec = prec;
        if (eprec > d.digits.length && d.digits.length >= d.exp) eprec = d.digits.length;
        if (shortest) eprec = 6;
        const exp = d.exp - 1;
        if (exp < -4 || exp >= eprec) {
          if (prec > d.digits.length) prec = d.digits.length;
          return fmtE(sign, format === "g" ? "e" : "E", prec - 1, d);
        }
        if (prec > d.exp) prec = d.digits.length;
        return fmtF(sign, Math.max(prec - d.exp, 0), d);
      }
    }
  }

  /** Go's big.Float String(): Text('g', 10). */
  toString(): string {
    return this.text("g", 10);
  }

  /** Rounds the exact decimal d of this value to the shortest digits that still identify it at its precision. */
  private roundShortest(d: Decimal): void {
    if (d.digits.length === 0) return;
    const len = bitLength(this.mant);
    const shift = this.prec + 1 - len;
    const m = this.mant << BigInt(shift);
    const e = this.exp - shift;
    const lower = decimalOf(m - 1n, e);
    const upper = decimalOf(m + 1n, e);
    const inclusive = (m & 2n) === 0n;
    // The decimals of lower/upper are aligned with d only when their exponents agree; Go compares
    // digit strings positionally after init, which works because all three share the same magnitude
    // except when lower loses a digit. Mirror Go exactly: compare the i-th digits.
    for (let i = 0; i < d.digits.length; i++) {
      const dm = d.digits[i]!;
      const l = digitAt(lower, i);
      const u = digitAt(upper, i);
      const okdown = l !== dm || (inclusive && i + 1 === lower.digits.length);
      const okup =
        dm !== u && (inclusive || dm.charCodeAt(0) + 1 < u.charCodeAt(0) || i + 1 < upper.digits.length);
      if (okdown && okup) {
        roundDecimal(d, i + 1);
        return;
      }
      if (okdown) {
        roundDecimalDown(d, i + 1);
        return;
      }
      if (okup) {
        roundDecimalUp(d, i + 1);
        return;
      }
    }
  }
}
