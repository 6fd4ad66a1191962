/**
 * Value: an immutable HCL value, modelled on cty.Value.
 *
 * Every value has a Type and is exactly one of: unknown (a placeholder for a value not known yet, possibly
 * of dynamic type), null (typed), or known and non-null. Every value also carries a set of marks (strings;
 * "sensitive" is the one that matters) that must follow it through every derivation.
 *
 * Mark rules (as cty's):
 * - Marks sit on the value they were applied to; a list is not marked just because an element is
 *   (use containsMarked to ask deeply). Set elements can't hold marks: building a set moves element marks
 *   onto the set itself.
 * - The "integration" accessors (asString, asBigFloat, asNumber, asBool, isTrue, elements, asValueSlice,
 *   asValueMap, lengthInt) throw ValueUsageError on a marked value. Callers must unmark() first and re-apply
 *   the marks to whatever they derive (withMarks / withSameMarks). This makes a forgotten mark a loud bug
 *   instead of a silent secret leak.
 * - First-class operations (equals, add, index, getAttr, convert, ...) propagate marks themselves.
 *
 * Misuse (reading a string from a number, iterating an unknown value, ...) throws ValueUsageError: it is a
 * programming error, never a user error. User errors are returned as values (see convert, number-ops).
 */

import { BigFloat } from "./big-float.js";
import { getAttrStep, indexStep, type Path, type PathStep } from "./path.js";
import { compareStrings, normalizeString } from "./string-order.js";
import {
  boolType,
  dynamicType,
  type ListType,
  listType,
  type MapType,
  mapType,
  numberType,
  type ObjectType,
  objectType,
  stringType,
  type TupleType,
  type Type,
  tupleType,
  typeEquals,
  typeGoString,
} from "./types.js";

/** Thrown when the value API is used against its contract (a programming error, like a cty panic). */
export class ValueUsageError extends Error {
  override readonly name = "ValueUsageError";
}

/** A set of marks. Treat as immutable. */
export type Marks = ReadonlySet<string>;

/** The mark that makes a value secret: redacted from output wherever it flows. */
export const SENSITIVE = "sensitive";

export const noMarks: Marks = Object.freeze(new Set<string>()) as Marks;

/** Marks found at a path inside a value (see unmarkDeepWithPaths / markWithPaths). */
export interface PathValueMarks {
  readonly path: Path;
  readonly marks: Marks;
}

const UNKNOWN: unique symbol = Symbol("unknown");
const NULL: unique symbol = Symbol("null");

type Raw =
  | typeof UNKNOWN
  | typeof NULL
  | string
  | boolean
  | BigFloat
  | readonly Value[]
  | ReadonlyMap<string, Value>;

function unionMarks(sets: Iterable<Iterable<string>>): Marks {
  let out: Set<string> | undefined;
  for (const s of sets) {
    for (const m of s) {
      if (!out) out = new Set();
      out.add(m);
    }
  }
  if (!out || out.size === 0) return noMarks;
  return Object.freeze(out) as Marks;
}

export class Value {
  readonly type: Type;
  /** Marks on this value itself (not on nested values). */
  readonly marks: Marks;
  /** @internal The payload; use the accessors. */
  readonly raw: Raw;

  private constructor(type: Type, raw: Raw, marks: Marks) {
    this.type = type;
    this.raw = raw;
    this.marks = marks;
  }

  /** @internal Builds a value from an already-canonical payload. Use the constructor functions instead. */
  static fromRaw(type: Type, raw: Raw, marks: Marks = noMarks): Value {
    return new Value(type, raw, marks);
  }

  /** @internal */
  static readonly UNKNOWN: typeof UNKNOWN = UNKNOWN;
  /** @internal */
  static readonly NULL: typeof NULL = NULL;

  // ---- state ---------------------------------------------------------------------------------------------

  /** False for unknown values (whatever their marks). Null values are known. */
  isKnown(): boolean {
    return this.raw !== UNKNOWN;
  }

  isNull(): boolean {
    return this.raw === NULL;
  }

  /** True if this value (deeply) contains no unknowns. Null counts as known. */
  isWhollyKnown(): boolean {
    if (this.raw === UNKNOWN) return false;
    if (this.raw === NULL) return true;
    const children = childValues(this);
    return children.every((c) => c.isWhollyKnown());
  }

  /** cty HasWhollyKnownType: false if any unknown value of (partly) dynamic type is inside. */
  hasWhollyKnownType(): boolean {
    if (this.raw === NULL) return true;
    if (this.raw === UNKNOWN) return !hasDynamic(this.type);
    return childValues(this).every((c) => c.hasWhollyKnownType());
  }

  // ---- marks ---------------------------------------------------------------------------------------------

  isMarked(): boolean {
    return this.marks.size > 0;
  }

  hasMark(mark: string): boolean {
    return this.marks.has(mark);
  }

  /** True if this value or anything nested in it is marked. */
  containsMarked(): boolean {
    if (this.marks.size > 0) return true;
    return childValues(this).some((c) => c.containsMarked());
  }

  /** The same value with one more mark. */
  mark(mark: string): Value {
    if (this.marks.has(mark)) return this;
    return new Value(this.type, this.raw, unionMarks([this.marks, [mark]]));
  }

  /** The same value with the union of its marks and all the given mark sets. */
  withMarks(...markSets: Iterable<string>[]): Value {
    const marks = unionMarks([this.marks, ...markSets]);
    if (marks.size === this.marks.size) return this;
    return new Value(this.type, this.raw, marks);
  }

  /** The same value also carrying the (shallow) marks of each source value. */
  withSameMarks(...sources: Value[]): Value {
    return this.withMarks(...sources.map((s) => s.marks));
  }

  /** The value without its own marks, and those marks. Nested marks stay. */
  unmark(): [Value, Marks] {
    if (this.marks.size === 0) return [this, noMarks];
    return [new Value(this.type, this.raw, noMarks), this.marks];
  }

  /** The value with no marks anywhere inside, and the union of all marks removed. */
  unmarkDeep(): [Value, Marks] {
    const [v, pvms] = this.unmarkDeepWithPaths();
    return [v, unionMarks(pvms.map((p) => p.marks))];
  }

  /** The value with no marks anywhere inside, and where each set of marks was (for markWithPaths). */
  unmarkDeepWithPaths(): [Value, PathValueMarks[]] {
    const out: PathValueMarks[] = [];
    const v = unmarkDeepInto(this, [], out);
    return [v, out];
  }

  /**
   * Re-applies marks found by unmarkDeepWithPaths. Paths that no longer exist are ignored; a path into a
   * set element marks the set (sets hold no marked elements).
   */
  markWithPaths(pvms: readonly PathValueMarks[]): Value {
    let v: Value = this;
    for (const pvm of pvms) v = markAtPath(v, pvm.path, 0, pvm.marks);
    return v;
  }

  // ---- integration accessors (unmarked, known, non-null values only) ------------------------------------

  private assertUsable(what: string): void {
    if (this.marks.size > 0) throw new ValueUsageError(`${what}: value is marked, so must be unmarked first`);
    if (this.raw === UNKNOWN) throw new ValueUsageError(`${what}: value is unknown`);
    if (this.raw === NULL) throw new ValueUsageError(`${what}: value is null`);
  }

  asString(): string {
    this.assertUsable("asString");
    if (this.type.kind !== "string") throw new ValueUsageError("asString: not a string");
    return this.raw as string;
  }

  asBigFloat(): BigFloat {
    this.assertUsable("asBigFloat");
    if (this.type.kind !== "number") throw new ValueUsageError("asBigFloat: not a number");
    return this.raw as BigFloat;
  }

  /** The nearest float64 (JS number), like cty's gocty conversion to float64. */
  asNumber(): number {
    return this.asBigFloat().toFloat64();
  }

  asBool(): boolean {
    this.assertUsable("asBool");
    if (this.type.kind !== "bool") throw new ValueUsageError("asBool: not a bool");
    return this.raw as boolean;
  }

  /** cty's True(): for known, non-null, unmarked bools. */
  isTrue(): boolean {
    return this.asBool();
  }

  isFalse(): boolean {
    return !this.asBool();
  }

  /** True for list, set, map, tuple and object values that are not marked (cty CanIterateElements). */
  canIterateElements(): boolean {
    if (this.marks.size > 0) return false;
    const k = this.type.kind;
    return k === "list" || k === "set" || k === "map" || k === "tuple" || k === "object";
  }

  /**
   * The [key, element] pairs of a list/tuple (key: index number), set (key: the element), map/object (key:
   * name string, in UTF-8 byte order). Elements keep their own marks.
   */
  elements(): [Value, Value][] {
    this.assertUsable("elements");
    switch (this.type.kind) {
      case "list":
      case "tuple":
        return (this.raw as readonly Value[]).map((v, i) => [numberIntVal(i), v]);
      case "set":
        return (this.raw as readonly Value[]).map((v) => [v, v]);
      case "map":
      case "object":
        return [...(this.raw as ReadonlyMap<string, Value>)].map(([k, v]) => [stringValRaw(k), v]);
      default:
        throw new ValueUsageError(`elements: cannot iterate a ${this.type.kind} value`);
    }
  }

  /** Calls cb for each element as elements() lists them; stops (returning true) when cb returns true. */
  forEachElement(cb: (key: Value, element: Value) => boolean | undefined): boolean {
    for (const [k, v] of this.elements()) if (cb(k, v) === true) return true;
    return false;
  }

  /** Elements of a list, set or tuple (or the attribute/element values of a map/object, in key order). */
  asValueSlice(): Value[] {
    this.assertUsable("asValueSlice");
    switch (this.type.kind) {
      case "list":
      case "tuple":
      case "set":
        return [...(this.raw as readonly Value[])];
      case "map":
      case "object":
        return [...(this.raw as ReadonlyMap<string, Value>).values()];
      default:
        throw new ValueUsageError(`asValueSlice: cannot iterate a ${this.type.kind} value`);
    }
  }

  /** Elements of a map or attributes of an object, in UTF-8 byte order of the keys. */
  asValueMap(): Map<string, Value> {
    this.assertUsable("asValueMap");
    if (this.type.kind !== "map" && this.type.kind !== "object") {
      throw new ValueUsageError(`asValueMap: not a map or object (${this.type.kind})`);
    }
    return new Map(this.raw as ReadonlyMap<string, Value>);
  }

  /**
   * Number of elements (collections), elements (tuples, even when unknown) or attributes (objects, even when
   * unknown). For sets with unknown elements this counts each unknown separately, like cty's LengthInt.
   */
  lengthInt(): number {
    if (this.marks.size > 0)
      throw new ValueUsageError("lengthInt: value is marked, so must be unmarked first");
    if (this.type.kind === "tuple") return this.type.elementTypes.length;
    if (this.type.kind === "object") return this.type.attributeTypes.size;
    this.assertUsable("lengthInt");
    switch (this.type.kind) {
      case "list":
      case "set":
        return (this.raw as readonly Value[]).length;
      case "map":
        return (this.raw as ReadonlyMap<string, Value>).size;
      default:
        throw new ValueUsageError(`lengthInt: a ${this.type.kind} value has no length`);
    }
  }

  /** A debugging rendering in cty's Go syntax; see valueGoString. */
  toString(): string {
    return valueGoStringOf(this);
  }
}

function hasDynamic(t: Type): boolean {
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

/** @internal Direct children of a known, non-null collection or structural value (ignores marks). */
export function childValues(v: Value): readonly Value[] {
  const raw = v.raw;
  if (raw === Value.UNKNOWN || raw === Value.NULL) return [];
  switch (v.type.kind) {
    case "list":
    case "set":
    case "tuple":
      return raw as readonly Value[];
    case "map":
    case "object":
      return [...(raw as ReadonlyMap<string, Value>).values()];
    default:
      return [];
  }
}

function unmarkDeepInto(v: Value, path: PathStep[], out: PathValueMarks[]): Value {
  let [u, marks] = v.unmark();
  if (marks.size > 0) out.push({ path: [...path], marks });
  const raw = u.raw;
  if (raw === Value.UNKNOWN || raw === Value.NULL) return u;
  switch (u.type.kind) {
    case "list":
    case "tuple": {
      const elems = raw as readonly Value[];
      let changed = false;
      const next = elems.map((e, i) => {
        path.push(indexStep(numberIntVal(i)));
        const n = unmarkDeepInto(e, path, out);
        path.pop();
        if (n !== e) changed = true;
        return n;
      });
      if (changed) u = Value.fromRaw(u.type, Object.freeze(next));
      return u;
    }
    case "map":
    case "object": {
      const m = raw as ReadonlyMap<string, Value>;
      let changed = false;
      const next = new Map<string, Value>();
      for (const [k, e] of m) {
        path.push(u.type.kind === "map" ? indexStep(stringValRaw(k)) : getAttrStep(k));
        const n = unmarkDeepInto(e, path, out);
        path.pop();
        if (n !== e) changed = true;
        next.set(k, n);
      }
      if (changed) u = Value.fromRaw(u.type, next);
      return u;
    }
    default:
      return u;
  }
}

function markAtPath(v: Value, path: Path, i: number, marks: Marks): Value {
  if (i === path.length) return v.withMarks(marks);
  const step = path[i]!;
  const raw = v.raw;
  if (raw === Value.UNKNOWN || raw === Value.NULL) return v;
  switch (v.type.kind) {
    case "set":
      // Set elements can't carry marks: they belong to the whole set.
      return v.withMarks(marks);
    case "list":
    case "tuple": {
      if (
        step.kind !== "index" ||
        step.key.type.kind !== "number" ||
        !step.key.isKnown() ||
        step.key.isNull()
      ) {
        return v;
      }
      const idx = step.key.unmark()[0].asBigFloat().toFloat64();
      const elems = raw as readonly Value[];
      if (!Number.isInteger(idx) || idx < 0 || idx >= elems.length) return v;
      const next = [...elems];
      next[idx] = markAtPath(elems[idx]!, path, i + 1, marks);
      return Value.fromRaw(v.type, Object.freeze(next), v.marks);
    }
    case "map":
    case "object": {
      let key: string;
      if (step.kind === "getAttr") key = step.name;
      else if (step.key.type.kind === "string" && step.key.isKnown() && !step.key.isNull()) {
        key = step.key.unmark()[0].asString();
      } else return v;
      const m = raw as ReadonlyMap<string, Value>;
      const e = m.get(key);
      if (e === undefined) return v;
      const next = new Map(m);
      next.set(key, markAtPath(e, path, i + 1, marks));
      return Value.fromRaw(v.type, next, v.marks);
    }
    default:
      return v;
  }
}

// ---- constructors ----------------------------------------------------------------------------------------

function stringValRaw(s: string): Value {
  return Value.fromRaw(stringType, s);
}

/** A string value; the text is NFC-normalized as cty does. */
export function stringVal(s: string): Value {
  return Value.fromRaw(stringType, normalizeString(s));
}

/** A number value wrapping a BigFloat (its precision is kept; see big-float.ts). */
export function numberVal(n: BigFloat): Value {
  return Value.fromRaw(numberType, n);
}

/**
 * An integer number like cty.NumberIntVal: precision 64 bits, or the integer's bit length if larger (for
 * bigints beyond int64). Throws for non-integers.
 */
export function numberIntVal(n: number | bigint): Value {
  return Value.fromRaw(numberType, BigFloat.fromInt(n));
}

/** A number from a float64, like cty.NumberFloatVal (precision 53). NaN throws. */
export function numberFloatVal(f: number): Value {
  return Value.fromRaw(numberType, BigFloat.fromFloat64(f));
}

export type ParseNumberResult =
  | { readonly ok: true; readonly value: Value }
  | { readonly ok: false; readonly error: string };

/**
 * cty.ParseNumberVal: a decimal number string (optional sign, digits, point, e/E exponent; also `p`
 * binary exponents and "Inf") to a 512-bit number. Fails with "a number is required".
 */
export function parseNumberVal(s: string): ParseNumberResult {
  const f = BigFloat.parse(s, 512);
  if (f === undefined) return { ok: false, error: "a number is required" };
  return { ok: true, value: Value.fromRaw(numberType, f) };
}

export function boolVal(b: boolean): Value {
  return b ? trueVal : falseVal;
}

export const trueVal: Value = Value.fromRaw(boolType, true);
export const falseVal: Value = Value.fromRaw(boolType, false);
/** NumberIntVal(0). */
export const zeroVal: Value = Value.fromRaw(numberType, BigFloat.fromInt(0));
export const positiveInfinity: Value = Value.fromRaw(numberType, BigFloat.infinity(false));
export const negativeInfinity: Value = Value.fromRaw(numberType, BigFloat.infinity(true));

/** A null of the given type. */
export function nullVal(t: Type): Value {
  return Value.fromRaw(t, Value.NULL);
}

/** An unknown of the given type (dynamic for a value whose type isn't known either). */
export function unknownVal(t: Type): Value {
  return Value.fromRaw(t, Value.UNKNOWN);
}

/** cty.DynamicVal: unknown value of unknown type. */
export const dynamicVal: Value = unknownVal(dynamicType);

/**
 * Element values for a collection of element type `ety`: a dynamic-typed unknown/null element becomes an
 * unknown/null of `ety` (cty lets DynamicVal sit in a typed list and reads it back as unknown of that type).
 */
function settleElement(v: Value, ety: Type): Value {
  if (v.type.kind === "dynamic" && ety.kind !== "dynamic") {
    return Value.fromRaw(ety, v.raw, v.marks);
  }
  return v;
}

/** The common element type for a homogeneous collection, or undefined (cty's CanListVal rule). */
export function collectionElementType(values: Iterable<Value>): Type | undefined {
  let ety: Type = dynamicType;
  for (const v of values) {
    if (ety.kind === "dynamic") ety = v.type;
    else if (v.type.kind !== "dynamic" && !typeEquals(ety, v.type)) return undefined;
  }
  return ety;
}

/** True if listVal(values) would succeed (all element types equal, ignoring dynamic-typed ones). */
export function canListVal(values: readonly Value[]): boolean {
  return collectionElementType(values) !== undefined;
}

/** True if mapVal(values) would succeed. */
export function canMapVal(values: ReadonlyMap<string, Value> | Readonly<Record<string, Value>>): boolean {
  return collectionElementType(entriesOfValues(values).map(([, v]) => v)) !== undefined;
}

/**
 * A non-empty list; every element must have the same type (throws otherwise, as cty panics). For a possibly
 * empty list use listValEmpty, or check with canListVal first.
 */
export function listVal(values: readonly Value[]): Value {
  if (values.length === 0) throw new ValueUsageError("listVal: must not be called with no elements");
  const ety = collectionElementType(values);
  if (ety === undefined) {
    throw new ValueUsageError(
      `inconsistent list element types (${values.map((v) => typeGoString(v.type)).join(", ")})`,
    );
  }
  return Value.fromRaw(listType(ety), Object.freeze(values.map((v) => settleElement(v, ety))));
}

export function listValEmpty(elementType: Type): Value {
  return Value.fromRaw(listType(elementType), Object.freeze([]));
}

/** A list of the given element type, empty or not. The elements must all have that type. */
export function listValOf(elementType: Type, values: readonly Value[]): Value {
  return values.length === 0 ? listValEmpty(elementType) : listVal(values);
}

/** A tuple: a fixed sequence of values, each keeping its own type. */
export function tupleVal(values: readonly Value[]): Value {
  return Value.fromRaw(tupleType(values.map((v) => v.type)), Object.freeze([...values]));
}

export const emptyTupleVal: Value = tupleVal([]);

function entriesOfValues(
  input: ReadonlyMap<string, Value> | Readonly<Record<string, Value>> | Iterable<readonly [string, Value]>,
): [string, Value][] {
  if (input instanceof Map) return [...(input as ReadonlyMap<string, Value>)];
  if (typeof (input as Iterable<unknown>)[Symbol.iterator] === "function") {
    return [...(input as Iterable<readonly [string, Value]>)].map(([k, v]) => [k, v]);
  }
  return Object.entries(input as Record<string, Value>);
}

function sortedNormalizedMap(entries: [string, Value][]): Map<string, Value> {
  const normalized = entries.map(([k, v]) => [normalizeString(k), v] as [string, Value]);
  normalized.sort((a, b) => compareStrings(a[0], b[0]));
  return new Map(normalized);
}

export type ValueEntries =
  | ReadonlyMap<string, Value>
  | Readonly<Record<string, Value>>
  | Iterable<readonly [string, Value]>;

/** A non-empty map; all elements must have the same type (throws otherwise). Keys are NFC-normalized. */
export function mapVal(values: ValueEntries): Value {
  const entries = entriesOfValues(values);
  if (entries.length === 0) throw new ValueUsageError("mapVal: must not be called with no elements");
  const ety = collectionElementType(entries.map(([, v]) => v));
  if (ety === undefined) throw new ValueUsageError("inconsistent map element types");
  const m = sortedNormalizedMap(entries.map(([k, v]) => [k, settleElement(v, ety)]));
  return Value.fromRaw(mapType(ety), m);
}

export function mapValEmpty(elementType: Type): Value {
  return Value.fromRaw(mapType(elementType), new Map());
}

/** A map of the given element type, empty or not. */
export function mapValOf(elementType: Type, values: ValueEntries): Value {
  const entries = entriesOfValues(values);
  return entries.length === 0 ? mapValEmpty(elementType) : mapVal(entries);
}

/** An object whose type is implied by its attribute values. Names are NFC-normalized. */
export function objectVal(attributes: ValueEntries): Value {
  const m = sortedNormalizedMap(entriesOfValues(attributes));
  const t = objectType([...m].map(([k, v]) => [k, v.type] as [string, Type]));
  return Value.fromRaw(t, m);
}

export const emptyObjectVal: Value = objectVal([]);

/** @internal Typed accessors for other modules of this package. */
export function rawElements(v: Value): readonly Value[] {
  return v.raw as readonly Value[];
}

/** @internal */
export function rawEntries(v: Value): ReadonlyMap<string, Value> {
  return v.raw as ReadonlyMap<string, Value>;
}

/** @internal Builds a value of an exact, already-known type from canonical parts (no checks). */
export function makeList(t: ListType, elems: readonly Value[], marks: Marks = noMarks): Value {
  return Value.fromRaw(t, Object.freeze([...elems]), marks);
}

/** @internal */
export function makeTuple(t: TupleType, elems: readonly Value[], marks: Marks = noMarks): Value {
  return Value.fromRaw(t, Object.freeze([...elems]), marks);
}

/** @internal */
export function makeMap(
  t: MapType | ObjectType,
  entries: Iterable<readonly [string, Value]>,
  marks: Marks = noMarks,
): Value {
  return Value.fromRaw(t, sortedNormalizedMap([...entries].map(([k, v]) => [k, v])), marks);
}

export { unionMarks };

// ---- Go-syntax rendering (debugging, test messages) -------------------------------------------------------

function valueGoStringOf(v: Value): string {
  if (v.marks.size > 0) {
    const [u, marks] = v.unmark();
    const list = [...marks].map((m) => JSON.stringify(m));
    return list.length === 1
      ? `${valueGoStringOf(u)}.Mark(${list[0]})`
      : `${valueGoStringOf(u)}.WithMarks(${list.join(", ")})`;
  }
  if (v.isNull()) return `cty.NullVal(${typeGoString(v.type)})`;
  if (!v.isKnown())
    return v.type.kind === "dynamic" ? "cty.DynamicVal" : `cty.UnknownVal(${typeGoString(v.type)})`;
  switch (v.type.kind) {
    case "bool":
      return v.raw ? "cty.True" : "cty.False";
    case "number": {
      const f = v.raw as BigFloat;
      if (f.isInt() && f.isFinite()) return `cty.NumberIntVal(${f.text("f", -1)})`;
      return `cty.MustParseNumberVal(${JSON.stringify(f.text("f", -1))})`;
    }
    case "string":
      return `cty.StringVal(${JSON.stringify(v.raw)})`;
    case "list":
    case "set": {
      const elems = v.raw as readonly Value[];
      const name = v.type.kind === "list" ? "List" : "Set";
      if (elems.length === 0) return `cty.${name}ValEmpty(${typeGoString(v.type.elementType)})`;
      return `cty.${name}Val([]cty.Value{${elems.map(valueGoStringOf).join(", ")}})`;
    }
    case "tuple": {
      const elems = v.raw as readonly Value[];
      if (elems.length === 0) return "cty.EmptyTupleVal";
      return `cty.TupleVal([]cty.Value{${elems.map(valueGoStringOf).join(", ")}})`;
    }
    case "map":
    case "object": {
      const m = v.raw as ReadonlyMap<string, Value>;
      if (v.type.kind === "map" && m.size === 0)
        return `cty.MapValEmpty(${typeGoString(v.type.elementType)})`;
      if (v.type.kind === "object" && m.size === 0) return "cty.EmptyObjectVal";
      const parts = [...m].map(([k, e]) => `${JSON.stringify(k)}:${valueGoStringOf(e)}`);
      return `cty.${v.type.kind === "map" ? "Map" : "Object"}Val(map[string]cty.Value{${parts.join(", ")}})`;
    }
    default:
      return "cty.DynamicVal";
  }
}

/** A debugging rendering in cty's Go syntax, e.g. `cty.ListVal([]cty.Value{cty.StringVal("a")})`. */
export function valueGoString(v: Value): string {
  return valueGoStringOf(v);
}
