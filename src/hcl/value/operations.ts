/**
 * First-class operations on values with cty's semantics (cty's Value methods of the same names).
 *
 * All of them propagate marks (the result carries the marks of the operands it was derived from) and
 * short-circuit on unknowns. Preconditions that cty enforces with panics (wrong type, missing attribute,
 * out-of-range index on a known collection, null collection) throw ValueUsageError here; evaluators must
 * validate first, or use the HCL-level traversal helpers in traversal.ts that return diagnostics instead.
 */

import type { BigFloat } from "./big-float.js";
import { setHas } from "./set.js";
import { normalizeString } from "./string-order.js";
import { boolType, numberType, typeEquals } from "./types.js";
import {
  boolVal,
  dynamicVal,
  falseVal,
  numberIntVal,
  rawElements,
  rawEntries,
  trueVal,
  unknownVal,
  type Value,
  ValueUsageError,
} from "./value.js";

/** The value of attribute `name` of an object (dynamic value for a dynamic-typed receiver). */
export function getAttr(obj: Value, name: string): Value {
  const [v, marks] = obj.unmark();
  if (v.type.kind === "dynamic") return dynamicVal.withMarks(marks);
  if (v.type.kind !== "object") throw new ValueUsageError("getAttr: value is not an object");
  const n = normalizeString(name);
  const at = v.type.attributeTypes.get(n);
  if (at === undefined) throw new ValueUsageError(`getAttr: value has no attribute "${n}"`);
  if (!v.isKnown()) return unknownVal(at).withMarks(marks);
  if (v.isNull()) throw new ValueUsageError("getAttr: value is null");
  return rawEntries(v).get(n)!.withMarks(marks);
}

function intIndex(key: Value, what: string): number {
  const f = key.raw as BigFloat;
  const r = f.toInt64();
  if (!r.exact || r.value < 0n)
    throw new ValueUsageError(`${what}: element key must be a non-negative integer`);
  return Number(r.value);
}

/**
 * The element of a list, tuple or map at `key` (number for sequences, string for maps). Unknown
 * collection or key gives an unknown of the element type (dynamic for tuples with unknown keys).
 */
export function index(collection: Value, key: Value): Value {
  const [v, vm] = collection.unmark();
  const [k, km] = key.unmark();
  const marks = [vm, km];
  const t = v.type;
  if (t.kind === "dynamic") return dynamicVal.withMarks(...marks);
  switch (t.kind) {
    case "list": {
      if (k.type.kind === "dynamic") return unknownVal(t.elementType).withMarks(...marks);
      if (k.type.kind !== "number") throw new ValueUsageError("index: element key for list must be number");
      if (!k.isKnown() || !v.isKnown()) return unknownVal(t.elementType).withMarks(...marks);
      if (v.isNull() || k.isNull()) throw new ValueUsageError("index: null collection or key");
      const i = intIndex(k, "index");
      const elems = rawElements(v);
      if (i >= elems.length) throw new ValueUsageError("index: index out of range");
      return elems[i]!.withMarks(...marks);
    }
    case "map": {
      if (k.type.kind === "dynamic") return unknownVal(t.elementType).withMarks(...marks);
      if (k.type.kind !== "string") throw new ValueUsageError("index: element key for map must be string");
      if (!k.isKnown() || !v.isKnown()) return unknownVal(t.elementType).withMarks(...marks);
      if (v.isNull() || k.isNull()) throw new ValueUsageError("index: null collection or key");
      const e = rawEntries(v).get(k.raw as string);
      if (e === undefined) throw new ValueUsageError("index: map has no such key");
      return e.withMarks(...marks);
    }
    case "tuple": {
      if (k.type.kind === "dynamic") return dynamicVal.withMarks(...marks);
      if (k.type.kind !== "number") throw new ValueUsageError("index: element key for tuple must be number");
      if (!k.isKnown()) return dynamicVal.withMarks(...marks);
      if (k.isNull()) throw new ValueUsageError("index: null key");
      const i = intIndex(k, "index");
      if (i >= t.elementTypes.length) throw new ValueUsageError("index: index out of range");
      if (!v.isKnown()) return unknownVal(t.elementTypes[i]!).withMarks(...marks);
      if (v.isNull()) throw new ValueUsageError("index: null collection");
      return rawElements(v)[i]!.withMarks(...marks);
    }
    default:
      throw new ValueUsageError(`index: not a list, map, or tuple type (${t.kind})`);
  }
}

/** Bool value: does the list, map or tuple have an element at `key`? Unknown when it can't be known yet. */
export function hasIndex(collection: Value, key: Value): Value {
  const [v, vm] = collection.unmark();
  const [k, km] = key.unmark();
  const marks = [vm, km];
  const unknown = () => unknownVal(boolType).withMarks(...marks);
  const t = v.type;
  if (t.kind === "dynamic") return unknown();
  const indexOk = (len: number | undefined) => {
    const r = (k.raw as BigFloat).toInt64();
    if (!r.exact || r.value < 0n) return falseVal.withMarks(...marks);
    if (len === undefined) return unknown();
    return boolVal(r.value < BigInt(len)).withMarks(...marks);
  };
  switch (t.kind) {
    case "list":
      if (k.type.kind === "dynamic") return unknown();
      if (k.type.kind !== "number") return falseVal.withMarks(...marks);
      if (!k.isKnown() || !v.isKnown()) return unknown();
      if (k.isNull() || v.isNull()) throw new ValueUsageError("hasIndex: null collection or key");
      return indexOk(rawElements(v).length);
    case "map":
      if (k.type.kind === "dynamic") return unknown();
      if (k.type.kind !== "string") return falseVal.withMarks(...marks);
      if (!k.isKnown() || !v.isKnown()) return unknown();
      if (k.isNull() || v.isNull()) throw new ValueUsageError("hasIndex: null collection or key");
      return boolVal(rawEntries(v).has(k.raw as string)).withMarks(...marks);
    case "tuple":
      if (k.type.kind === "dynamic") return unknown();
      if (k.type.kind !== "number") return falseVal.withMarks(...marks);
      if (!k.isKnown()) return unknown();
      if (k.isNull()) throw new ValueUsageError("hasIndex: null key");
      return indexOk(t.elementTypes.length);
    default:
      throw new ValueUsageError(`hasIndex: not a list, map, or tuple type (${t.kind})`);
  }
}

/** Bool value: does the set contain `element`? */
export function hasElement(set: Value, element: Value): Value {
  const [v, vm] = set.unmark();
  const [e, em] = element.unmark();
  if (v.type.kind !== "set") throw new ValueUsageError("hasElement: not a set type");
  if (!v.isKnown() || !e.isKnown()) return unknownVal(boolType).withMarks(vm, em);
  if (v.isNull()) throw new ValueUsageError("hasElement: null set");
  const [plain] = e.unmarkDeep();
  if (!typeEquals(v.type.elementType, plain.type)) {
    return falseVal.withMarks(vm, em);
  }
  return boolVal(setHas(v, plain)).withMarks(vm, em);
}

/**
 * Number value: the length of a collection, tuple (known even when the tuple is unknown) or object
 * (attribute count). Unknown collections give an unknown number; a set with unknown elements has an
 * unknown length unless it has a single element.
 */
export function length(collection: Value): Value {
  const [v, marks] = collection.unmark();
  const t = v.type;
  if (t.kind === "tuple") return numberIntVal(t.elementTypes.length).withMarks(marks);
  if (!v.isKnown()) return unknownVal(numberType).withMarks(marks);
  if (t.kind === "set") {
    const elems = rawElements(v);
    if (elems.length === 1 || v.isWhollyKnown()) return numberIntVal(elems.length).withMarks(marks);
    return unknownVal(numberType).withMarks(marks);
  }
  return numberIntVal(v.lengthInt()).withMarks(marks);
}

function boolCheck(op: string, values: readonly Value[]): boolean {
  let unknown = false;
  for (const v of values) {
    if (v.type.kind === "dynamic") {
      unknown = true;
      continue;
    }
    if (v.type.kind !== "bool") throw new ValueUsageError(`${op}: type mismatch: want bool`);
    if (!v.isKnown()) unknown = true;
    else if (v.isNull()) throw new ValueUsageError(`${op}: null operand`);
  }
  return unknown;
}

/** Logical NOT. */
export function not(a: Value): Value {
  const [v, marks] = a.unmark();
  if (boolCheck("not", [v])) return unknownVal(boolType).withMarks(marks);
  return boolVal(v.raw !== true).withMarks(marks);
}

/** Logical AND; a known false on either side decides the result even if the other is unknown. */
export function and(a: Value, b: Value): Value {
  const [x, xm] = a.unmark();
  const [y, ym] = b.unmark();
  if (boolCheck("and", [x, y])) {
    if ((x.isKnown() && x.raw === false) || (y.isKnown() && y.raw === false))
      return falseVal.withMarks(xm, ym);
    return unknownVal(boolType).withMarks(xm, ym);
  }
  return boolVal(x.raw === true && y.raw === true).withMarks(xm, ym);
}

/** Logical OR; a known true on either side decides the result even if the other is unknown. */
export function or(a: Value, b: Value): Value {
  const [x, xm] = a.unmark();
  const [y, ym] = b.unmark();
  if (boolCheck("or", [x, y])) {
    if ((x.isKnown() && x.raw === true) || (y.isKnown() && y.raw === true)) return trueVal.withMarks(xm, ym);
    return unknownVal(boolType).withMarks(xm, ym);
  }
  return boolVal(x.raw === true || y.raw === true).withMarks(xm, ym);
}
