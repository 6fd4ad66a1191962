/**
 * Set values: unique elements in cty's deterministic order.
 *
 * Order (cty's setRules.Less, applied as a stable sort after bucket order): known non-null elements
 * first; strings in UTF-8 byte order, numbers ascending, false before true; other element types by their
 * hash strings; then unknown elements (in insertion order), then null. Elements that cty would consider the
 * same (same hash bucket and equal) are merged. Element marks are moved onto the set.
 */

import type { BigFloat } from "./big-float.js";
import { equivalent, rawEquals } from "./equality.js";
import { setBucketId, setHashString } from "./set-hash.js";
import { compareStrings } from "./string-order.js";
import { setType, type Type } from "./types.js";
import {
  collectionElementType,
  type Marks,
  noMarks,
  rawElements,
  unionMarks,
  Value,
  ValueUsageError,
} from "./value.js";

/** cty's setRules.Less for two unmarked elements of one set. */
export function setLess(elementType: Type, a: Value, b: Value): boolean {
  if (rawEquals(a, b)) return false;
  if (b.isNull() && !a.isNull()) return true;
  if (a.isNull()) return false;
  if (a.isKnown() && !b.isKnown()) return true;
  if (!a.isKnown()) return false;
  switch (elementType.kind) {
    case "string":
      return compareStrings(a.raw as string, b.raw as string) < 0;
    case "bool":
      return b.raw === true || a.raw !== true;
    case "number":
      return (a.raw as BigFloat).cmp(b.raw as BigFloat) < 0;
    default:
      return compareStrings(setHashString(a), setHashString(b)) < 0;
  }
}

function settle(v: Value, ety: Type): Value {
  if (v.type.kind === "dynamic" && ety.kind !== "dynamic") return Value.fromRaw(ety, v.raw, v.marks);
  return v;
}

/** Deduplicates and orders unmarked elements of the given element type. */
function buildElements(ety: Type, values: readonly Value[]): Value[] {
  const buckets = new Map<number, Value[]>();
  for (const v of values) {
    const id = setBucketId(v);
    let bucket = buckets.get(id);
    if (!bucket) {
      bucket = [];
      buckets.set(id, bucket);
    }
    if (bucket.some((e) => equivalent(e, v))) continue;
    bucket.push(v);
  }
  const ids = [...buckets.keys()].sort((x, y) => x - y);
  const out: Value[] = [];
  for (const id of ids) out.push(...buckets.get(id)!);
  return out.sort((x, y) => (setLess(ety, x, y) ? -1 : setLess(ety, y, x) ? 1 : 0));
}

function unmarkAll(values: readonly Value[]): [Value[], Marks] {
  const marks: Marks[] = [];
  const plain = values.map((v) => {
    const [u, m] = v.unmarkDeep();
    if (m.size > 0) marks.push(m);
    return u;
  });
  return [plain, marks.length > 0 ? unionMarks(marks) : noMarks];
}

/** True if setVal(values) would succeed. */
export function canSetVal(values: readonly Value[]): boolean {
  return collectionElementType(unmarkAll(values)[0]) !== undefined;
}

/** A non-empty set; all elements must have the same type (throws otherwise). */
export function setVal(values: readonly Value[]): Value {
  if (values.length === 0) throw new ValueUsageError("setVal: must not be called with no elements");
  const [plain, marks] = unmarkAll(values);
  const ety = collectionElementType(plain);
  if (ety === undefined) throw new ValueUsageError("inconsistent set element types");
  const elems = buildElements(
    ety,
    plain.map((v) => settle(v, ety)),
  );
  return Value.fromRaw(setType(ety), Object.freeze(elems), marks);
}

export function setValEmpty(elementType: Type): Value {
  return Value.fromRaw(setType(elementType), Object.freeze([]));
}

/** A set of the given element type, empty or not. */
export function setValOf(elementType: Type, values: readonly Value[]): Value {
  return values.length === 0 ? setValEmpty(elementType) : setVal(values);
}

/** True if the set contains an element equal to v (cty HasElement's membership test, on unmarked values). */
export function setHas(set: Value, v: Value): boolean {
  const h = setHashString(v);
  return rawElements(set).some((e) => setHashString(e) === h && equivalent(e, v));
}
