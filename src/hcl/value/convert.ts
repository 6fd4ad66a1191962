/**
 * Type conversion with cty/convert's rules and error messages.
 *
 * Safe conversions never fail for a known value: number→string, bool→string, tuple→list/set/tuple,
 * object→map/object, list↔set (set→list only), map→map, and anything→dynamic. Unsafe conversions may fail
 * depending on the value: string→number ("a number is required"), string→bool ("true"/"false"/"1"/"0"),
 * list→set (may merge duplicates), map→object (keys must supply the attributes), dynamic→T. `convert` uses
 * unsafe conversions, as HCL does for arguments, variables and function parameters.
 *
 * Unknown and null values convert to unknown/null of the target type. Marks are preserved (each value's
 * marks stay on its converted counterpart). Conversion to an object type with optional attributes fills
 * absent optional attributes with null (defaults are applied beforehand; see type-constraint.ts).
 *
 * Errors carry cty's message and the path to the offending nested value; HCL and Packer show only the
 * message (e.g. `...not compatible with the variable's type constraint: a number is required.`).
 */

import type { BigFloat } from "./big-float.js";
import { mismatchMessage } from "./conversion-messages.js";
import { getAttrStep, indexStep, type Path, type PathStep } from "./path.js";
import { canSetVal, setVal, setValEmpty } from "./set.js";
import {
  dynamicType,
  isCollectionType,
  isPrimitiveType,
  listType,
  mapType,
  type ObjectType,
  objectType,
  setType,
  type TupleType,
  type Type,
  tupleType,
  typeEquals,
  withoutOptionalAttributesDeep,
} from "./types.js";
import { unifyTypes } from "./unify.js";
import {
  canListVal,
  canMapVal,
  falseVal,
  listVal,
  listValEmpty,
  mapVal,
  mapValEmpty,
  nullVal,
  numberIntVal,
  objectVal,
  parseNumberVal,
  rawElements,
  rawEntries,
  stringVal,
  trueVal,
  tupleVal,
  unknownVal,
  type Value,
} from "./value.js";

/** Why a conversion failed: cty's message and the path of the nested value it is about. */
export interface ConversionError {
  readonly message: string;
  readonly path: Path;
}

export type ConvertResult =
  | { readonly ok: true; readonly value: Value }
  | { readonly ok: false; readonly error: ConversionError };

/** A conversion between two fixed types (the input value must have the source type, or be dynamic). */
export type Conversion = (value: Value) => ConvertResult;

/** @internal A conversion that knows where it is inside the value being converted. */
export type PathConversion = (value: Value, path: Path) => ConvertResult;

function success(value: Value): ConvertResult {
  return { ok: true, value };
}

function failure(path: Path, message: string): ConvertResult {
  return { ok: false, error: { message, path: [...path] } };
}

function withStep(path: Path, step: PathStep): Path {
  return [...path, step];
}

/** @internal */
export function getPathConversion(inType: Type, outType: Type, unsafe: boolean): PathConversion | undefined {
  const conv = getConversionKnown(inType, outType, unsafe);
  if (conv === undefined) return undefined;
  const wrapped: PathConversion = (input, path) => {
    if (input.isMarked()) {
      const [plain, marks] = input.unmark();
      const r = wrapped(plain, path);
      return r.ok ? success(r.value.withMarks(marks)) : r;
    }
    if (outType.kind === "dynamic") return success(input);
    if (!input.isKnown() || input.isNull()) {
      const out = withoutOptionalAttributesDeep(outType);
      const t = dynamicReplace(input.type, out);
      return success(input.isKnown() ? nullVal(t) : unknownVal(t));
    }
    return conv(input, path);
  };
  return wrapped;
}

function toPublic(conv: PathConversion | undefined): Conversion | undefined {
  if (conv === undefined) return undefined;
  return (v) => conv(v, []);
}

/** A safe conversion from inType to outType, if one exists. */
export function getConversion(inType: Type, outType: Type): Conversion | undefined {
  return toPublic(getPathConversion(inType, outType, false));
}

/** A safe or unsafe conversion from inType to outType, if one exists. */
export function getConversionUnsafe(inType: Type, outType: Type): Conversion | undefined {
  return toPublic(getPathConversion(inType, outType, true));
}

/** Converts value to the wanted type (safe or unsafe conversion), as cty's convert.Convert. */
export function convert(value: Value, want: Type): ConvertResult {
  if (typeEquals(value.type, withoutOptionalAttributesDeep(want))) return success(value);
  const conv = getPathConversion(value.type, want, true);
  if (conv === undefined) return failure([], mismatchMessage(value.type, want));
  return conv(value, []);
}

// ---- conversion selection --------------------------------------------------------------------------------

function getConversionKnown(inType: Type, outType: Type, unsafe: boolean): PathConversion | undefined {
  if (outType.kind === "dynamic") return (v) => success(v);
  if (unsafe && inType.kind === "dynamic") return dynamicFixup(outType);
  if (isPrimitiveType(inType) && isPrimitiveType(outType))
    return primitiveConversion(inType, outType, unsafe);
  if (outType.kind === "object" && inType.kind === "object") return objectToObject(inType, outType, unsafe);
  if (outType.kind === "tuple" && inType.kind === "tuple") return tupleToTuple(inType, outType, unsafe);
  if (outType.kind === "list" && (inType.kind === "list" || inType.kind === "set")) {
    const inEty = inType.elementType;
    const outEty = outType.elementType;
    if (typeEquals(inEty, outEty)) return collectionToList(outEty, undefined);
    const convEty = getPathConversion(inEty, outEty, unsafe);
    return convEty === undefined ? undefined : collectionToList(outEty, convEty);
  }
  if (outType.kind === "set" && (inType.kind === "list" || inType.kind === "set")) {
    // list → set loses order and merges duplicates, so it is unsafe.
    if (inType.kind === "list" && !unsafe) return undefined;
    const inEty = inType.elementType;
    const outEty = outType.elementType;
    if (typeEquals(inEty, outEty)) return collectionToSet(outEty, undefined);
    const convEty = getPathConversion(inEty, outEty, unsafe);
    return convEty === undefined ? undefined : collectionToSet(outEty, convEty);
  }
  if (outType.kind === "map" && inType.kind === "map") {
    const convEty = getPathConversion(inType.elementType, outType.elementType, unsafe);
    return convEty === undefined ? undefined : collectionToMap(outType.elementType, convEty);
  }
  if (outType.kind === "list" && inType.kind === "tuple")
    return tupleToSequence("list", inType, outType.elementType, unsafe);
  if (outType.kind === "set" && inType.kind === "tuple")
    return tupleToSequence("set", inType, outType.elementType, unsafe);
  if (outType.kind === "map" && inType.kind === "object")
    return objectToMap(inType, outType.elementType, unsafe);
  if (outType.kind === "object" && inType.kind === "map") {
    // Unsafe: the map's keys may not supply the object's attributes.
    return unsafe ? mapToObject(inType.elementType, outType, unsafe) : undefined;
  }
  return undefined;
}

function dynamicFixup(want: Type): PathConversion {
  return (v, path) => {
    const r = convert(v, want);
    if (r.ok) return r;
    return { ok: false, error: { message: r.error.message, path: [...path, ...r.error.path] } };
  };
}

function primitiveConversion(inType: Type, outType: Type, unsafe: boolean): PathConversion | undefined {
  if (typeEquals(inType, outType)) return undefined;
  if (outType.kind === "string") {
    if (inType.kind === "number") return (v) => success(stringVal((v.raw as BigFloat).text("f", -1)));
    if (inType.kind === "bool") return (v) => success(stringVal(v.raw === true ? "true" : "false"));
  }
  if (!unsafe || inType.kind !== "string") return undefined;
  if (outType.kind === "number") {
    return (v, path) => {
      const r = parseNumberVal(v.raw as string);
      return r.ok ? success(r.value) : failure(path, "a number is required");
    };
  }
  if (outType.kind === "bool") {
    return (v, path) => {
      const s = v.raw as string;
      if (s === "true" || s === "1") return success(trueVal);
      if (s === "false" || s === "0") return success(falseVal);
      const lower = s.toLowerCase();
      if (lower === "true")
        return failure(path, 'a bool is required; to convert from string, use lowercase "true"');
      if (lower === "false")
        return failure(path, 'a bool is required; to convert from string, use lowercase "false"');
      return failure(path, "a bool is required");
    };
  }
  return undefined;
}

function nullWithoutOptional(v: Value): Value {
  return v.isNull() ? nullVal(withoutOptionalAttributesDeep(v.type)).withMarks(v.marks) : v;
}

function collectionToList(ety: Type, conv: PathConversion | undefined): PathConversion {
  return (val, path) => {
    const inEty = (val.type as { elementType: Type }).elementType;
    if (val.type.kind === "set" && !val.isWhollyKnown() && rawElements(val).length !== 1) {
      // A set holding unknowns has an unknown length, so the list's length can't be known either.
      return success(unknownVal(listType(inEty)));
    }
    const elems: Value[] = [];
    const src = rawElements(val);
    for (let i = 0; i < src.length; i++) {
      let e = src[i]!;
      if (conv) {
        const r = conv(e, withStep(path, indexStep(numberIntVal(i))));
        if (!r.ok) return r;
        e = r.value;
      }
      elems.push(nullWithoutOptional(e));
    }
    if (elems.length === 0) {
      return success(listValEmpty(ety.kind === "dynamic" ? inEty : withoutOptionalAttributesDeep(ety)));
    }
    if (!canListVal(elems)) return failure(path, "element types must all match for conversion to list");
    return success(listVal(elems));
  };
}

function collectionToSet(ety: Type, conv: PathConversion | undefined): PathConversion {
  return (val, path) => {
    const inEty = (val.type as { elementType: Type }).elementType;
    const elems: Value[] = [];
    const src = rawElements(val);
    for (let i = 0; i < src.length; i++) {
      let e = src[i]!;
      if (conv) {
        const r = conv(e, withStep(path, indexStep(numberIntVal(i))));
        if (!r.ok) return r;
        e = r.value;
      }
      elems.push(nullWithoutOptional(e));
    }
    if (elems.length === 0) {
      return success(setValEmpty(ety.kind === "dynamic" ? inEty : withoutOptionalAttributesDeep(ety)));
    }
    if (!canSetVal(elems)) return failure(path, "element types must all match for conversion to set");
    return success(setVal(elems));
  };
}

function collectionToMap(ety: Type, conv: PathConversion | undefined): PathConversion {
  return (val, path) => {
    const inEty = (val.type as { elementType: Type }).elementType;
    const elems = new Map<string, Value>();
    for (const [k, e0] of rawEntries(val)) {
      let e = e0;
      if (conv) {
        const r = conv(e, withStep(path, indexStep(stringVal(k))));
        if (!r.ok) return r;
        e = r.value;
      }
      elems.set(k, e);
    }
    if (elems.size === 0) return success(mapValEmpty(ety.kind === "dynamic" ? inEty : ety));
    let out = elems;
    if (isCollectionType(ety) || ety.kind === "object") {
      const r = unifyCollectionElements(elems, path, false);
      if (!r.ok) return r.result;
      out = r.elems;
    }
    if (!canMapVal(out)) return failure(path, "element types must all match for conversion to map");
    return success(mapVal(out));
  };
}

function unifyCollectionElements(
  elems: Map<string, Value>,
  path: Path,
  unsafe: boolean,
): { ok: true; elems: Map<string, Value> } | { ok: false; result: ConvertResult } {
  const types = [...elems.values()].map((v) => v.type);
  const unified = unifyTypes(types, unsafe);
  if (unified === undefined) {
    return { ok: false, result: failure(path, "cannot find a common base type for all elements") };
  }
  const out = new Map<string, Value>();
  for (const [k, e] of elems) {
    if (typeEquals(e.type, unified.type)) {
      out.set(k, e);
      continue;
    }
    const conv = getPathConversion(e.type, unified.type, unsafe);
    if (conv === undefined) {
      return { ok: false, result: failure(path, "cannot find a common base type for all elements") };
    }
    const r = conv(e, withStep(path, indexStep(stringVal(k))));
    if (!r.ok) return { ok: false, result: r };
    out.set(k, r.value);
  }
  return { ok: true, elems: out };
}

function unifyListElements(
  elems: Value[],
  path: Path,
  unsafe: boolean,
): { ok: true; elems: Value[] } | { ok: false; result: ConvertResult } {
  const unified = unifyTypes(
    elems.map((v) => v.type),
    unsafe,
  );
  if (unified === undefined) {
    return { ok: false, result: failure(path, "cannot find a common base type for all elements") };
  }
  const out: Value[] = [];
  for (let i = 0; i < elems.length; i++) {
    const e = elems[i]!;
    if (typeEquals(e.type, unified.type)) {
      out.push(e);
      continue;
    }
    const conv = getPathConversion(e.type, unified.type, unsafe);
    if (conv === undefined) {
      return { ok: false, result: failure(path, "cannot find a common base type for all elements") };
    }
    const r = conv(e, withStep(path, indexStep(numberIntVal(i))));
    if (!r.ok) return { ok: false, result: r };
    out.push(r.value);
  }
  return { ok: true, elems: out };
}

function tupleToSequence(
  kind: "list" | "set",
  tuple: TupleType,
  wantEty: Type,
  unsafe: boolean,
): PathConversion | undefined {
  const etys = tuple.elementTypes;
  if (etys.length === 0) {
    const ety = withoutOptionalAttributesDeep(wantEty);
    return () => success(kind === "list" ? listValEmpty(ety) : setValEmpty(ety));
  }
  let ety = wantEty;
  if (ety.kind === "dynamic") {
    const unified = unifyTypes(etys, unsafe);
    if (unified === undefined) return undefined;
    ety = unified.type;
    // A dynamic result type can only hold elements that are all dynamic.
    if (ety.kind === "dynamic" && !etys.every((t) => t.kind === "dynamic")) return undefined;
  }
  const convs: (PathConversion | undefined)[] = [];
  for (const t of etys) {
    if (typeEquals(t, ety)) {
      convs.push(undefined);
      continue;
    }
    const c = getPathConversion(t, ety, unsafe);
    if (c === undefined) return undefined;
    convs.push(c);
  }
  return (val, path) => {
    const src = rawElements(val);
    let elems: Value[] = [];
    for (let i = 0; i < src.length; i++) {
      let e = src[i]!;
      const c = convs[i];
      if (c) {
        const r = c(e, withStep(path, indexStep(numberIntVal(i))));
        if (!r.ok) return r;
        e = r.value;
      }
      elems.push(kind === "set" ? nullWithoutOptional(e) : e);
    }
    if (kind === "set") {
      if (!canSetVal(elems)) return failure(path, "element types must all match for conversion to set");
      return success(setVal(elems));
    }
    const u = unifyListElements(elems, path, unsafe);
    if (!u.ok) return u.result;
    elems = u.elems;
    if (!canListVal(elems)) return failure(path, "element types must all match for conversion to list");
    return success(listVal(elems));
  };
}

function objectToMap(obj: ObjectType, wantEty: Type, unsafe: boolean): PathConversion | undefined {
  const atys = obj.attributeTypes;
  if (atys.size === 0) {
    const ety = withoutOptionalAttributesDeep(wantEty);
    return () => success(mapValEmpty(ety));
  }
  let ety = wantEty;
  if (ety.kind === "dynamic") {
    const unified = unifyTypes([...atys.values()], unsafe);
    if (unified === undefined) return undefined;
    ety = unified.type;
  }
  const convs = new Map<string, PathConversion>();
  for (const [name, t] of atys) {
    if (typeEquals(t, ety)) continue;
    const c = getPathConversion(t, ety, unsafe);
    if (c === undefined) return undefined;
    convs.set(name, c);
  }
  return (val, path) => {
    let elems = new Map<string, Value>();
    for (const [name, e0] of rawEntries(val)) {
      let e = e0;
      const c = convs.get(name);
      if (c) {
        const r = c(e, withStep(path, indexStep(stringVal(name))));
        if (!r.ok) return r;
        e = r.value;
      }
      elems.set(name, e);
    }
    if (isCollectionType(ety) || ety.kind === "object") {
      const u = unifyCollectionElements(elems, path, unsafe);
      if (!u.ok) return u.result;
      elems = u.elems;
    }
    if (!canMapVal(elems)) return failure(path, "attribute types must all match for conversion to map");
    return success(mapVal(elems));
  };
}

function mapToObject(mapEty: Type, obj: ObjectType, unsafe: boolean): PathConversion | undefined {
  // undefined: same type, no conversion; null: optional attribute whose conversion is impossible (an error
  // only if the map actually has that key).
  const convs = new Map<string, PathConversion | null>();
  for (const [name, t] of obj.attributeTypes) {
    if (typeEquals(t, mapEty)) continue;
    const c = getPathConversion(mapEty, t, unsafe);
    if (c === undefined) {
      if (obj.optionalAttributes.has(name) && unsafe) {
        convs.set(name, null);
        continue;
      }
      return undefined;
    }
    convs.set(name, c);
  }
  return (val, path) => {
    const elems = new Map<string, Value>();
    for (const [name, e0] of rawEntries(val)) {
      if (!obj.attributeTypes.has(name)) continue;
      let e = e0;
      const c = convs.get(name);
      if (c) {
        const r = c(e, withStep(path, indexStep(stringVal(name))));
        if (!r.ok) return r;
        e = r.value;
      } else if (c === null) {
        return failure(
          path,
          `map element type is incompatible with attribute "${name}": ${mismatchMessage(e.type, obj.attributeTypes.get(name)!)}`,
        );
      }
      elems.set(name, nullWithoutOptional(e));
    }
    for (const [name, t] of obj.attributeTypes) {
      if (elems.has(name)) continue;
      if (obj.optionalAttributes.has(name)) elems.set(name, nullVal(t));
      else return failure(path, `map has no element for required attribute "${name}"`);
    }
    return success(objectVal(elems));
  };
}

function objectToObject(
  inType: ObjectType,
  outType: ObjectType,
  unsafe: boolean,
): PathConversion | undefined {
  const convs = new Map<string, PathConversion | undefined>();
  for (const [name, outAty] of outType.attributeTypes) {
    const inAty = inType.attributeTypes.get(name);
    if (inAty === undefined) {
      if (outType.optionalAttributes.has(name)) continue;
      return undefined;
    }
    if (typeEquals(inAty, outAty)) {
      convs.set(name, undefined);
      continue;
    }
    const c = getPathConversion(inAty, outAty, unsafe);
    if (c === undefined) return undefined;
    convs.set(name, c);
  }
  return (val, path) => {
    const attrs = new Map<string, Value>();
    for (const [name, e0] of rawEntries(val)) {
      if (!convs.has(name)) continue;
      let e = e0;
      const c = convs.get(name);
      if (c) {
        const r = c(e, withStep(path, getAttrStep(name)));
        if (!r.ok) return r;
        e = r.value;
      }
      attrs.set(name, nullWithoutOptional(e));
    }
    for (const name of outType.optionalAttributes) {
      if (!attrs.has(name))
        attrs.set(name, nullVal(withoutOptionalAttributesDeep(outType.attributeTypes.get(name)!)));
    }
    return success(objectVal(attrs));
  };
}

function tupleToTuple(inType: TupleType, outType: TupleType, unsafe: boolean): PathConversion | undefined {
  if (inType.elementTypes.length !== outType.elementTypes.length) return undefined;
  const convs: (PathConversion | undefined)[] = [];
  for (let i = 0; i < outType.elementTypes.length; i++) {
    const inEty = inType.elementTypes[i]!;
    const outEty = outType.elementTypes[i]!;
    if (typeEquals(inEty, outEty)) {
      convs.push(undefined);
      continue;
    }
    const c = getPathConversion(inEty, outEty, unsafe);
    if (c === undefined) return undefined;
    convs.push(c);
  }
  return (val, path) => {
    const src = rawElements(val);
    const elems: Value[] = [];
    for (let i = 0; i < src.length; i++) {
      let e = src[i]!;
      const c = convs[i];
      if (c) {
        const r = c(e, withStep(path, indexStep(numberIntVal(i))));
        if (!r.ok) return r;
        e = r.value;
      }
      elems.push(e);
    }
    return success(tupleVal(elems));
  };
}

/**
 * cty's dynamicReplace: `out` with any dynamic parts replaced by the corresponding parts of `in` (the type
 * given to unknown and null results of a conversion).
 */
export function dynamicReplace(inType: Type, out: Type): Type {
  if (inType.kind === "dynamic") return out;
  switch (out.kind) {
    case "dynamic":
      return inType;
    case "string":
    case "number":
    case "bool":
      return out;
    case "map": {
      let ety: Type = dynamicType;
      if (inType.kind === "map") ety = dynamicReplace(inType.elementType, out.elementType);
      if (inType.kind === "object") {
        const u = unifyTypes([...inType.attributeTypes.values()], true);
        ety = dynamicReplace(u?.type ?? dynamicType, out.elementType);
      }
      return mapType(ety);
    }
    case "object": {
      const attrs: [string, Type][] = [];
      for (const [name, at] of out.attributeTypes) {
        if (inType.kind === "map") attrs.push([name, dynamicReplace(inType.elementType, at)]);
        else if (inType.kind === "object") {
          const inAt = inType.attributeTypes.get(name);
          attrs.push([name, inAt === undefined ? at : dynamicReplace(inAt, at)]);
        }
      }
      return objectType(attrs);
    }
    case "set":
    case "list": {
      let ety: Type = dynamicType;
      if (inType.kind === "set" || inType.kind === "list")
        ety = dynamicReplace(inType.elementType, out.elementType);
      if (inType.kind === "tuple") {
        const u = unifyTypes(inType.elementTypes, true);
        ety = dynamicReplace(u?.type ?? dynamicType, out.elementType);
      }
      return out.kind === "set" ? setType(ety) : listType(ety);
    }
    case "tuple": {
      if (inType.kind !== "tuple") return out;
      return tupleType(
        out.elementTypes.map((t, i) => dynamicReplace(inType.elementTypes[i] ?? dynamicType, t)),
      );
    }
  }
}
