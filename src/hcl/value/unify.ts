/**
 * Type unification (cty/convert's Unify and UnifyUnsafe): the most general type that all given types can be
 * converted to, used for conditional results, collection constructors and function parameters.
 *
 * Rules in order: all maps (plus dynamic) → map of the unified element type; maps mixed with objects → try
 * objects as maps; lists (plus tuples) → list; sets → set; objects with identical attribute names → object
 * with unified attribute types, else map; tuples of one length → tuple, else list; objects mixed with tuples
 * never unify. Otherwise the most general given type (string is more general than number and bool) that all
 * others convert to. A dynamic type among structural kinds makes the result dynamic (values become
 * DynamicVal); an empty list of types does not unify.
 */

import { type Conversion, getConversion, getConversionUnsafe } from "./convert.js";
import {
  dynamicType,
  listType,
  mapType,
  objectType,
  setType,
  type Type,
  tupleType,
  typeEquals,
} from "./types.js";
import { dynamicVal } from "./value.js";

export interface Unified {
  /** The common type. */
  readonly type: Type;
  /** For each input type, the conversion to `type`, or undefined when the input already has that type. */
  readonly conversions: readonly (Conversion | undefined)[];
}

/** Safe unification; undefined when there is no common type. */
export function unify(types: readonly Type[]): Unified | undefined {
  return unifyTypes(types, false);
}

/** Unification that may choose unsafe conversions (string → number etc.). */
export function unifyUnsafe(types: readonly Type[]): Unified | undefined {
  return unifyTypes(types, true);
}

function conversionTo(from: Type, to: Type, unsafe: boolean): Conversion | undefined {
  return unsafe ? getConversionUnsafe(from, to) : getConversion(from, to);
}

/** @internal */
export function unifyTypes(types: readonly Type[], unsafe: boolean): Unified | undefined {
  if (types.length === 0) return undefined;

  let mapCt = 0;
  let listCt = 0;
  let setCt = 0;
  let objectCt = 0;
  let tupleCt = 0;
  let dynamicCt = 0;
  for (const t of types) {
    if (t.kind === "map") mapCt++;
    else if (t.kind === "list") listCt++;
    else if (t.kind === "set") setCt++;
    else if (t.kind === "object") objectCt++;
    else if (t.kind === "tuple") tupleCt++;
    else if (t.kind === "dynamic") dynamicCt++;
  }
  const n = types.length;
  if (mapCt > 0 && mapCt + dynamicCt === n) return unifyCollections("map", types, unsafe, dynamicCt > 0);
  if (mapCt > 0 && mapCt + objectCt + dynamicCt === n) {
    const r = unifyObjectsAsMaps(types, unsafe);
    if (r !== undefined && r.type.kind === "map") return r;
  } else if (listCt > 0 && listCt + dynamicCt === n) {
    return unifyCollections("list", types, unsafe, dynamicCt > 0);
  } else if (listCt > 0 && listCt + tupleCt + dynamicCt === n) {
    const r = unifyTuplesAsList(types, unsafe);
    if (r !== undefined && r.type.kind === "list") return r;
  } else if (setCt > 0 && setCt + dynamicCt === n) {
    return unifyCollections("set", types, unsafe, dynamicCt > 0);
  } else if (objectCt > 0 && objectCt + dynamicCt === n) {
    return unifyObjectTypes(types, unsafe, dynamicCt > 0);
  } else if (tupleCt > 0 && tupleCt + dynamicCt === n) {
    return unifyTupleTypes(types, unsafe, dynamicCt > 0);
  } else if (objectCt > 0 && tupleCt > 0) {
    return undefined;
  }

  const order = sortTypes(types);
  preference: for (const wantIdx of order) {
    const want = types[wantIdx]!;
    const conversions: (Conversion | undefined)[] = [];
    for (let i = 0; i < types.length; i++) {
      const t = types[i]!;
      if (i === wantIdx || typeEquals(t, want)) {
        conversions.push(undefined);
        continue;
      }
      const c = conversionTo(t, want, unsafe);
      if (c === undefined) continue preference;
      conversions.push(c);
    }
    return { type: want, conversions };
  }
  return undefined;
}

function allConverting(types: readonly Type[], target: Type, unsafe: boolean): Unified | undefined {
  const conversions: (Conversion | undefined)[] = [];
  for (const t of types) {
    if (typeEquals(t, target)) {
      conversions.push(undefined);
      continue;
    }
    const c = conversionTo(t, target, unsafe);
    if (c === undefined) return undefined;
    conversions.push(c);
  }
  return { type: target, conversions };
}

function unifyAllAsDynamic(types: readonly Type[]): Unified {
  return {
    type: dynamicType,
    conversions: types.map(() => () => ({ ok: true as const, value: dynamicVal })),
  };
}

function unifyCollections(
  kind: "map" | "list" | "set",
  types: readonly Type[],
  unsafe: boolean,
  hasDynamic: boolean,
): Unified | undefined {
  if (hasDynamic) return unifyAllAsDynamic(types);
  const elems = types.map((t) => (t as { elementType: Type }).elementType);
  const u = unifyTypes(elems, unsafe);
  if (u === undefined) return undefined;
  const target = kind === "map" ? mapType(u.type) : kind === "list" ? listType(u.type) : setType(u.type);
  return allConverting(types, target, unsafe);
}

function unifyObjectTypes(types: readonly Type[], unsafe: boolean, hasDynamic: boolean): Unified | undefined {
  if (hasDynamic) return unifyAllAsDynamic(types);
  const first = types[0]!;
  if (first.kind !== "object") return undefined;
  for (const t of types.slice(1)) {
    if (t.kind !== "object") return undefined;
    if (t.attributeTypes.size !== first.attributeTypes.size) return unifyObjectTypesToMap(types, unsafe);
    for (const name of t.attributeTypes.keys()) {
      if (!first.attributeTypes.has(name)) return unifyObjectTypesToMap(types, unsafe);
    }
  }
  const attrs: [string, Type][] = [];
  for (const name of first.attributeTypes.keys()) {
    const across = types.map((t) => (t as typeof first).attributeTypes.get(name)!);
    const u = unifyTypes(across, unsafe);
    if (u === undefined) return undefined;
    attrs.push([name, u.type]);
  }
  return allConverting(types, objectType(attrs), unsafe) ?? unifyObjectTypesToMap(types, unsafe);
}

function unifyObjectTypesToMap(types: readonly Type[], unsafe: boolean): Unified | undefined {
  const atys: Type[] = [];
  for (const t of types) if (t.kind === "object") atys.push(...t.attributeTypes.values());
  const u = unifyTypes(atys, unsafe);
  if (u === undefined) return undefined;
  return allConverting(types, mapType(u.type), unsafe);
}

function unifyTupleTypes(types: readonly Type[], unsafe: boolean, hasDynamic: boolean): Unified | undefined {
  if (hasDynamic) return unifyAllAsDynamic(types);
  const first = types[0]!;
  if (first.kind !== "tuple") return undefined;
  for (const t of types.slice(1)) {
    if (t.kind !== "tuple" || t.elementTypes.length !== first.elementTypes.length) {
      return unifyTupleTypesToList(types, unsafe);
    }
  }
  const etys: Type[] = [];
  for (let i = 0; i < first.elementTypes.length; i++) {
    const u = unifyTypes(
      types.map((t) => (t as typeof first).elementTypes[i]!),
      unsafe,
    );
    if (u === undefined) return undefined;
    etys.push(u.type);
  }
  return allConverting(types, tupleType(etys), unsafe) ?? unifyTupleTypesToList(types, unsafe);
}

function unifyTupleTypesToList(types: readonly Type[], unsafe: boolean): Unified | undefined {
  const etys: Type[] = [];
  for (const t of types) if (t.kind === "tuple") etys.push(...t.elementTypes);
  // A list of no elements at all: cty unifies an empty type list to nothing.
  const u = unifyTypes(etys, unsafe);
  if (u === undefined) return undefined;
  return allConverting(types, listType(u.type), unsafe);
}

/** Unifies the tuples among `types` as a list, then the whole set with that list in their place. */
function unifyTuplesAsList(types: readonly Type[], unsafe: boolean): Unified | undefined {
  const tupleIdx: number[] = [];
  types.forEach((t, i) => {
    if (t.kind === "tuple") tupleIdx.push(i);
  });
  const inner = unifyTupleTypesToList(
    tupleIdx.map((i) => types[i]!),
    unsafe,
  );
  if (inner === undefined || inner.type.kind !== "list") return undefined;
  const replaced = types.map((t, i) => (tupleIdx.includes(i) ? inner.type : t));
  const outer = unifyTypes(replaced, unsafe);
  if (outer === undefined || outer.type.kind !== "list") return undefined;
  const conversions = [...outer.conversions];
  tupleIdx.forEach((idx, k) => {
    const listConv = conversions[idx];
    const tupleConv = inner.conversions[k];
    if (listConv === undefined) {
      conversions[idx] = tupleConv;
      return;
    }
    // As cty: the list conversion is applied to the original value once the tuple conversion succeeded.
    conversions[idx] = (v) => {
      if (tupleConv) {
        const r = tupleConv(v);
        if (!r.ok) return r;
      }
      return listConv(v);
    };
  });
  return { type: outer.type, conversions };
}

/** Unifies the objects among `types` as a map, then the whole set with that map in their place. */
function unifyObjectsAsMaps(types: readonly Type[], unsafe: boolean): Unified | undefined {
  const objIdx: number[] = [];
  types.forEach((t, i) => {
    if (t.kind === "object") objIdx.push(i);
  });
  const inner = unifyObjectTypesToMap(
    objIdx.map((i) => types[i]!),
    unsafe,
  );
  if (inner === undefined || inner.type.kind !== "map") return undefined;
  const replaced = types.map((t, i) => (objIdx.includes(i) ? inner.type : t));
  const outer = unifyTypes(replaced, unsafe);
  if (outer === undefined || outer.type.kind !== "map") return undefined;
  const conversions = [...outer.conversions];
  objIdx.forEach((idx, k) => {
    const mapConv = conversions[idx];
    const objConv = inner.conversions[k];
    if (mapConv === undefined) {
      conversions[idx] = objConv;
      return;
    }
    conversions[idx] = (v) => {
      if (objConv) {
        const r = objConv(v);
        if (!r.ok) return r;
      }
      return mapConv(v);
    };
  });
  return { type: outer.type, conversions };
}

/**
 * cty's compareTypes: negative when a is the more general (preferred) type, positive when b is, zero when
 * neither. Only meaningful as a unification preference.
 */
export function compareTypes(a: Type, b: Type): number {
  if (a.kind === "dynamic" || b.kind === "dynamic") {
    if (a.kind !== "dynamic") return -1;
    if (b.kind !== "dynamic") return 1;
    return 0;
  }
  const prim = (t: Type) => t.kind === "string" || t.kind === "number" || t.kind === "bool";
  if (prim(a) && prim(b)) {
    if (a.kind === "string" || b.kind === "string") {
      if (a.kind !== "string") return 1;
      if (b.kind !== "string") return -1;
      return 0;
    }
  }
  if (
    (a.kind === "list" && b.kind === "list") ||
    (a.kind === "set" && b.kind === "set") ||
    (a.kind === "map" && b.kind === "map")
  ) {
    return compareTypes(a.elementType, b.elementType);
  }
  let swap = 1;
  if (
    (a.kind === "tuple" && b.kind === "list") ||
    (a.kind === "object" && b.kind === "map") ||
    (a.kind === "set" && b.kind === "tuple") ||
    (a.kind === "set" && b.kind === "list")
  ) {
    [a, b] = [b, a];
    swap = -1;
  }
  if (b.kind === "set" && (a.kind === "tuple" || a.kind === "list")) return -1 * swap;
  if (a.kind === "list" && b.kind === "tuple") return -1 * swap;
  if (a.kind === "map" && b.kind === "object") return -1 * swap;
  if (a.kind === "object" && b.kind === "object") {
    if (a.attributeTypes.size !== b.attributeTypes.size) return 0;
    let aSuper = false;
    let bSuper = false;
    for (const [k, at] of a.attributeTypes) {
      const bt = b.attributeTypes.get(k);
      if (bt === undefined) return 0;
      const c = compareTypes(at, bt);
      if (c < 0) aSuper = true;
      else if (c > 0) bSuper = true;
    }
    if (aSuper && bSuper) return 0;
    if (aSuper) return -1 * swap;
    if (bSuper) return 1 * swap;
    return 0;
  }
  if (a.kind === "tuple" && b.kind === "tuple") {
    if (a.elementTypes.length !== b.elementTypes.length) return 0;
    let aSuper = false;
    let bSuper = false;
    for (let i = 0; i < a.elementTypes.length; i++) {
      const c = compareTypes(a.elementTypes[i]!, b.elementTypes[i]!);
      if (c < 0) aSuper = true;
      else if (c > 0) bSuper = true;
    }
    if (aSuper && bSuper) return 0;
    if (aSuper) return -1 * swap;
    if (bSuper) return 1 * swap;
    return 0;
  }
  return 0;
}

/** cty's sortTypes: indices of `types` in preference order (most general first), via a topological sort. */
export function sortTypes(types: readonly Type[]): number[] {
  const l = types.length;
  const edges: number[][] = types.map(() => []);
  for (let i = 0; i < l - 1; i++) {
    for (let j = i + 1; j < l; j++) {
      const c = compareTypes(types[i]!, types[j]!);
      if (c < 0) edges[i]!.push(j);
      else if (c > 0) edges[j]!.push(i);
    }
  }
  const inDegree = new Array<number>(l).fill(0);
  for (const outs of edges) for (const j of outs) inDegree[j]!++;
  const result: number[] = [];
  for (let i = 0; i < l; i++) if (inDegree[i] === 0) result.push(i);
  for (let q = 0; q < result.length; q++) {
    for (const j of edges[result[q]!]!) {
      inDegree[j]!--;
      if (inDegree[j] === 0) result.push(j);
    }
  }
  // Cycles (which cty's compareTypes does not produce) would leave nodes out; Go's result array keeps its
  // zero-filled tail, i.e. index 0 repeated.
  while (result.length < l) result.push(0);
  return result;
}
