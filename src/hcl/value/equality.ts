/**
 * Value equality with cty's semantics.
 *
 * equals: the HCL `==` operator. Returns a bool Value: unknown when either side is unknown (unless the
 * answer is already certain), nulls of any type equal each other, different types are never equal, and the
 * result carries the marks of everything compared (deeply).
 *
 * rawEquals: structural identity for tests and set bookkeeping: same type, same marks, same knownness,
 * same payload. Two unknowns of the same type are rawEqual.
 */

import type { BigFloat } from "./big-float.js";
import { setHashString } from "./set-hash.js";
import { boolType, conformanceErrors, typeEquals } from "./types.js";
import { boolVal, falseVal, rawElements, rawEntries, trueVal, unknownVal, type Value } from "./value.js";

function unknownBool(): Value {
  return unknownVal(boolType);
}

/** The `==` operation (cty Value.Equals). */
export function equals(a: Value, b: Value): Value {
  if (a.containsMarked() || b.containsMarked()) {
    const [ua, ma] = a.unmarkDeep();
    const [ub, mb] = b.unmarkDeep();
    return equals(ua, ub).withMarks(ma, mb);
  }

  const aKnown = a.isKnown();
  const bKnown = b.isKnown();
  if (!aKnown && !bKnown) return unknownBool();
  if (aKnown && !bKnown) {
    if (a.isNull() || hasDynamic(b.type)) return unknownBool();
    if (!typeEquals(a.type, b.type)) return falseVal;
    return unknownBool();
  }
  if (bKnown && !aKnown) {
    if (b.isNull() || hasDynamic(a.type)) return unknownBool();
    if (!typeEquals(a.type, b.type)) return falseVal;
    return unknownBool();
  }

  if (a.isNull() && b.isNull()) return trueVal;
  if (a.isNull() || b.isNull()) return falseVal;

  if (!a.hasWhollyKnownType() || !b.hasWhollyKnownType()) {
    if (conformanceErrors(a.type, b.type).length > 0 && conformanceErrors(b.type, a.type).length > 0) {
      return falseVal;
    }
    return unknownBool();
  }

  if (!typeEquals(a.type, b.type)) return falseVal;

  switch (a.type.kind) {
    case "number":
      return boolVal((a.raw as BigFloat).cmp(b.raw as BigFloat) === 0);
    case "bool":
    case "string":
      return boolVal(a.raw === b.raw);
    case "list":
    case "tuple": {
      const ea = rawElements(a);
      const eb = rawElements(b);
      if (ea.length !== eb.length) return falseVal;
      for (let i = 0; i < ea.length; i++) {
        const eq = equals(ea[i]!, eb[i]!);
        if (!eq.isKnown()) return unknownBool();
        if (eq.raw === false) return falseVal;
      }
      return trueVal;
    }
    case "map":
    case "object": {
      const ma = rawEntries(a);
      const mb = rawEntries(b);
      if (ma.size !== mb.size) return falseVal;
      for (const [k, va] of ma) {
        const vb = mb.get(k);
        if (vb === undefined) return falseVal;
        const eq = equals(va, vb);
        if (!eq.isKnown()) return unknownBool();
        if (eq.raw === false) return falseVal;
      }
      return trueVal;
    }
    case "set": {
      // Membership as cty's set.Has: same hash bucket and equivalent.
      const ea = rawElements(a);
      const eb = rawElements(b);
      const ha = ea.map(setHashString);
      const hb = eb.map(setHashString);
      let equal = true;
      for (let i = 0; i < ea.length; i++) {
        if (!ea[i]!.isKnown()) return unknownBool();
        if (!eb.some((y, j) => hb[j] === ha[i] && equivalent(ea[i]!, y))) equal = false;
      }
      for (let j = 0; j < eb.length; j++) {
        if (!eb[j]!.isKnown()) return unknownBool();
        if (!ea.some((x, i) => ha[i] === hb[j] && equivalent(x, eb[j]!))) equal = false;
      }
      return boolVal(equal);
    }
    default:
      return unknownBool();
  }
}

/** The `!=` operation. */
export function notEquals(a: Value, b: Value): Value {
  const eq = equals(a, b);
  const [u, marks] = eq.unmark();
  if (!u.isKnown()) return eq;
  return boolVal(!u.asBool()).withMarks(marks);
}

/** Set-membership equivalence: equals(a, b) is known and true. */
export function equivalent(a: Value, b: Value): boolean {
  const eq = equals(a, b);
  return eq.isKnown() && eq.raw === true;
}

function hasDynamic(t: Value["type"]): boolean {
  switch (t.kind) {
    case "dynamic":
      return true;
    case "list":
    case "set":
    case "map":
      return hasDynamic(t.elementType);
    case "tuple":
      return t.elementTypes.some(hasDynamic);
    case "object":
      return [...t.attributeTypes.values()].some(hasDynamic);
    default:
      return false;
  }
}

function sameMarks(a: Value, b: Value): boolean {
  if (a.marks.size !== b.marks.size) return false;
  for (const m of a.marks) if (!b.marks.has(m)) return false;
  return true;
}

/** Exact identity: same type, marks, knownness and payload (cty Value.RawEquals). */
export function rawEquals(a: Value, b: Value): boolean {
  if (!typeEquals(a.type, b.type)) return false;
  if (!sameMarks(a, b)) return false;
  const aKnown = a.isKnown();
  const bKnown = b.isKnown();
  if (!aKnown && !bKnown) return true;
  if (aKnown !== bKnown) return false;
  if (a.isNull() && b.isNull()) return true;
  if (a.isNull() !== b.isNull()) return false;
  switch (a.type.kind) {
    case "number":
      return (a.raw as BigFloat).cmp(b.raw as BigFloat) === 0;
    case "bool":
    case "string":
      return a.raw === b.raw;
    case "list":
    case "tuple":
    case "set": {
      const ea = rawElements(a);
      const eb = rawElements(b);
      return ea.length === eb.length && ea.every((x, i) => rawEquals(x, eb[i]!));
    }
    case "map":
    case "object": {
      const ma = rawEntries(a);
      const mb = rawEntries(b);
      if (ma.size !== mb.size) return false;
      for (const [k, va] of ma) {
        const vb = mb.get(k);
        if (vb === undefined || !rawEquals(va, vb)) return false;
      }
      return true;
    }
    default:
      return true;
  }
}
