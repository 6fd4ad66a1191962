/**
 * Reading whole numbers out of values the way cty's gocty does when a function parameter is declared as a
 * Go int (substr offsets, range steps, chunklist sizes, ...), with gocty's error messages. The value must be
 * unmarked (unmark it and carry its marks to the result yourself).
 */

import type { BigFloat } from "./big-float.js";
import { type Value, ValueUsageError } from "./value.js";

export type IntResult =
  | { readonly ok: true; readonly value: number }
  | { readonly ok: false; readonly error: string };
export type BigIntResult =
  | { readonly ok: true; readonly value: bigint }
  | { readonly ok: false; readonly error: string };

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** The value as a Go int64: "value must be a whole number, between -9223372036854775808 and ..." otherwise. */
export function toInt64(v: Value): BigIntResult {
  if (v.isMarked()) throw new ValueUsageError("toInt64: value is marked, so must be unmarked first");
  if (!v.isKnown()) return { ok: false, error: "value must be known" };
  if (v.isNull()) return { ok: false, error: "null value is not allowed" };
  if (v.type.kind !== "number") return { ok: false, error: "number value is required" };
  const f = v.raw as BigFloat;
  const r = f.toInt64();
  if (!r.exact || r.value < INT64_MIN || r.value > INT64_MAX) {
    return { ok: false, error: `value must be a whole number, between ${INT64_MIN} and ${INT64_MAX}` };
  }
  return { ok: true, value: r.value };
}

/**
 * Like toInt64 but as a JS number (exact up to ±2^53; larger int64 values lose precision, which only
 * matters for absurd offsets and counts).
 */
export function toInt(v: Value): IntResult {
  const r = toInt64(v);
  return r.ok ? { ok: true, value: Number(r.value) } : r;
}
