/**
 * Bridges between values and plain JavaScript data, for code that configures components from evaluated
 * HCL (plugins, the template model) and for tests.
 *
 * valueFromNative infers a type like cty's gocty.ImpliedType: strings, numbers (integers as 64-bit
 * integers, others as float64), booleans, null/undefined (null of dynamic type), arrays (tuples), plain
 * objects (objects) and Values as they are.
 *
 * valueToNative is the inverse used by Packer's hcl2shim: null -> null, numbers -> JS numbers (float64),
 * lists/sets/tuples -> arrays, maps/objects -> plain objects. The value must be wholly known and carry no
 * marks anywhere (unmarkDeep it first, after registering its secrets for redaction); otherwise it throws
 * ValueUsageError.
 */

import type { BigFloat } from "./big-float.js";
import { dynamicType } from "./types.js";
import {
  boolVal,
  nullVal,
  numberFloatVal,
  numberIntVal,
  objectVal,
  stringVal,
  tupleVal,
  type Value,
  Value as ValueClass,
  ValueUsageError,
} from "./value.js";

export type NativeValue = null | string | number | boolean | NativeValue[] | { [key: string]: NativeValue };

export function valueFromNative(x: unknown): Value {
  if (x instanceof ValueClass) return x;
  if (x === null || x === undefined) return nullVal(dynamicType);
  switch (typeof x) {
    case "string":
      return stringVal(x);
    case "number":
      if (Number.isNaN(x)) throw new ValueUsageError("valueFromNative: NaN has no value equivalent");
      return Number.isSafeInteger(x) ? numberIntVal(x) : numberFloatVal(x);
    case "bigint":
      return numberIntVal(x);
    case "boolean":
      return boolVal(x);
    case "object":
      if (Array.isArray(x)) return tupleVal(x.map(valueFromNative));
      return objectVal(
        Object.entries(x as Record<string, unknown>).map(
          ([k, v]) => [k, valueFromNative(v)] as [string, Value],
        ),
      );
    default:
      throw new ValueUsageError(`valueFromNative: unsupported ${typeof x}`);
  }
}

export function valueToNative(v: Value): NativeValue {
  if (v.isMarked()) throw new ValueUsageError("valueToNative: value is marked, so must be unmarked first");
  if (!v.isKnown()) throw new ValueUsageError("valueToNative: value is unknown");
  if (v.isNull()) return null;
  switch (v.type.kind) {
    case "string":
      return v.asString();
    case "number":
      return (v.raw as BigFloat).toFloat64();
    case "bool":
      return v.asBool();
    case "list":
    case "set":
    case "tuple":
      return v.asValueSlice().map(valueToNative);
    case "map":
    case "object": {
      const out: { [key: string]: NativeValue } = {};
      for (const [k, e] of v.asValueMap()) {
        Object.defineProperty(out, k, {
          value: valueToNative(e),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    }
    default:
      throw new ValueUsageError(`valueToNative: cannot convert a ${v.type.kind} value`);
  }
}
