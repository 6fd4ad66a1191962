/**
 * The type system, modelled on go-cty's: three primitive types, three collection types (list, set, map),
 * two structural types (object, tuple) and the dynamic pseudo-type (`any` in HCL type constraints, the type
 * of a value whose type is not yet known).
 *
 * Types are immutable plain objects discriminated by `kind`; compare them with typeEquals, never with ===
 * (only the primitive and dynamic singletons are unique). Object attribute names are NFC-normalized and kept
 * in UTF-8 byte order, which is the order cty uses whenever it iterates attributes.
 */

import { compareStrings, goQuote, normalizeString } from "./string-order.js";

export interface StringType {
  readonly kind: "string";
}
export interface NumberType {
  readonly kind: "number";
}
export interface BoolType {
  readonly kind: "bool";
}
/** cty.DynamicPseudoType: "any type" in a constraint; the type of DynamicVal. */
export interface DynamicType {
  readonly kind: "dynamic";
}
export interface ListType {
  readonly kind: "list";
  readonly elementType: Type;
}
export interface SetType {
  readonly kind: "set";
  readonly elementType: Type;
}
export interface MapType {
  readonly kind: "map";
  readonly elementType: Type;
}
export interface ObjectType {
  readonly kind: "object";
  /** Attribute types in UTF-8 byte order of their names. */
  readonly attributeTypes: ReadonlyMap<string, Type>;
  /**
   * Attributes that may be absent when converting to this type (type constraints with `optional(...)`).
   * Only meaningful as a conversion target; values never have object types with optional attributes.
   */
  readonly optionalAttributes: ReadonlySet<string>;
}
export interface TupleType {
  readonly kind: "tuple";
  readonly elementTypes: readonly Type[];
}

export type PrimitiveType = StringType | NumberType | BoolType;
export type CollectionType = ListType | SetType | MapType;
export type StructuralType = ObjectType | TupleType;
export type Type = PrimitiveType | DynamicType | CollectionType | StructuralType;
export type TypeKind = Type["kind"];

export const stringType: StringType = Object.freeze({ kind: "string" });
export const numberType: NumberType = Object.freeze({ kind: "number" });
export const boolType: BoolType = Object.freeze({ kind: "bool" });
export const dynamicType: DynamicType = Object.freeze({ kind: "dynamic" });

export function listType(elementType: Type): ListType {
  return Object.freeze({ kind: "list", elementType });
}

export function setType(elementType: Type): SetType {
  return Object.freeze({ kind: "set", elementType });
}

export function mapType(elementType: Type): MapType {
  return Object.freeze({ kind: "map", elementType });
}

/** Attribute types given as a record, a Map or [name, type] pairs. */
export type AttributeTypesInput = Readonly<Record<string, Type>> | Iterable<readonly [string, Type]>;

function entriesOf<T>(input: Readonly<Record<string, T>> | Iterable<readonly [string, T]>): [string, T][] {
  if (typeof (input as Iterable<unknown>)[Symbol.iterator] === "function") {
    return [...(input as Iterable<readonly [string, T]>)].map(([k, v]) => [k, v]);
  }
  return Object.entries(input as Record<string, T>);
}

/**
 * An object type. `optional` names attributes that may be omitted when converting to this type (they must
 * be among the attributes; otherwise this throws, as cty panics).
 */
export function objectType(attributes: AttributeTypesInput, optional: Iterable<string> = []): ObjectType {
  const entries = entriesOf(attributes).map(([k, v]) => [normalizeString(k), v] as [string, Type]);
  entries.sort((a, b) => compareStrings(a[0], b[0]));
  const attributeTypes = new Map(entries);
  const optionalAttributes = new Set<string>();
  for (const name of optional) {
    const n = normalizeString(name);
    if (!attributeTypes.has(n)) throw new Error(`optional contains undeclared attribute "${n}"`);
    optionalAttributes.add(n);
  }
  return Object.freeze({ kind: "object", attributeTypes, optionalAttributes });
}

export function tupleType(elementTypes: readonly Type[]): TupleType {
  return Object.freeze({ kind: "tuple", elementTypes: Object.freeze([...elementTypes]) });
}

export const emptyObjectType: ObjectType = objectType({});
export const emptyTupleType: TupleType = tupleType([]);

// ---- predicates -------------------------------------------------------------------------------------------

export function isPrimitiveType(t: Type): t is PrimitiveType {
  return t.kind === "string" || t.kind === "number" || t.kind === "bool";
}

/** list, set or map. */
export function isCollectionType(t: Type): t is CollectionType {
  return t.kind === "list" || t.kind === "set" || t.kind === "map";
}

/** object or tuple. */
export function isStructuralType(t: Type): t is StructuralType {
  return t.kind === "object" || t.kind === "tuple";
}

/** Exact type equality (object types also compare their optional-attribute sets). */
export function typeEquals(a: Type, b: Type): boolean {
  if (a === b) return true;
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case "string":
    case "number":
    case "bool":
    case "dynamic":
      return true;
    case "list":
    case "set":
    case "map":
      return typeEquals(a.elementType, (b as CollectionType).elementType);
    case "tuple": {
      const be = (b as TupleType).elementTypes;
      if (a.elementTypes.length !== be.length) return false;
      return a.elementTypes.every((t, i) => typeEquals(t, be[i]!));
    }
    case "object": {
      const bo = b as ObjectType;
      if (a.attributeTypes.size !== bo.attributeTypes.size) return false;
      for (const [name, t] of a.attributeTypes) {
        const ot = bo.attributeTypes.get(name);
        if (ot === undefined || !typeEquals(t, ot)) return false;
        if (a.optionalAttributes.has(name) !== bo.optionalAttributes.has(name)) return false;
      }
      return true;
    }
  }
}

/** True if t is dynamic or contains dynamic anywhere inside. */
export function hasDynamicTypes(t: Type): boolean {
  switch (t.kind) {
    case "dynamic":
      return true;
    case "string":
    case "number":
    case "bool":
      return false;
    case "list":
    case "set":
    case "map":
      return hasDynamicTypes(t.elementType);
    case "tuple":
      return t.elementTypes.some(hasDynamicTypes);
    case "object":
      for (const at of t.attributeTypes.values()) if (hasDynamicTypes(at)) return true;
      return false;
  }
}

/** The same type with every object's optional-attribute marker dropped (all attributes required). */
export function withoutOptionalAttributesDeep(t: Type): Type {
  switch (t.kind) {
    case "string":
    case "number":
    case "bool":
    case "dynamic":
      return t;
    case "list":
      return listType(withoutOptionalAttributesDeep(t.elementType));
    case "set":
      return setType(withoutOptionalAttributesDeep(t.elementType));
    case "map":
      return mapType(withoutOptionalAttributesDeep(t.elementType));
    case "tuple":
      return tupleType(t.elementTypes.map(withoutOptionalAttributesDeep));
    case "object": {
      const attrs: [string, Type][] = [];
      for (const [k, at] of t.attributeTypes) attrs.push([k, withoutOptionalAttributesDeep(at)]);
      return objectType(attrs);
    }
  }
}

/** True if the object type has an attribute of that (NFC-normalized) name. */
export function hasAttribute(t: ObjectType, name: string): boolean {
  return t.attributeTypes.has(normalizeString(name));
}

// ---- names ------------------------------------------------------------------------------------------------

function friendly(t: Type, constraint: boolean): string {
  switch (t.kind) {
    case "string":
    case "number":
    case "bool":
      return t.kind;
    case "dynamic":
      return constraint ? "any type" : "dynamic";
    case "list":
    case "set":
    case "map": {
      const elem =
        constraint && t.elementType.kind === "dynamic"
          ? "any single type"
          : friendly(t.elementType, constraint);
      return `${t.kind} of ${elem}`;
    }
    case "object":
      return "object";
    case "tuple":
      return "tuple";
  }
}

/** cty's FriendlyName: "string", "list of number", "map of dynamic", "object", "tuple". */
export function friendlyName(t: Type): string {
  return friendly(t, false);
}

/**
 * cty's FriendlyNameForConstraint, used in conversion error messages: like friendlyName but dynamic reads
 * "any type" and a collection of dynamic reads "list of any single type".
 */
export function friendlyNameForConstraint(t: Type): string {
  return friendly(t, true);
}

const identifierPattern = /^[\p{ID_Start}_][\p{ID_Continue}-]*$/u;

/**
 * HCL's typeexpr.TypeString: the type as written in a type constraint, e.g. `list(string)`,
 * `object({a=string,b=number})`, `tuple([string,bool])`, `any`. Optional attributes are not shown.
 */
export function typeString(t: Type): string {
  switch (t.kind) {
    case "string":
    case "number":
    case "bool":
      return t.kind;
    case "dynamic":
      return "any";
    case "list":
    case "set":
    case "map":
      return `${t.kind}(${typeString(t.elementType)})`;
    case "object": {
      const parts: string[] = [];
      for (const [name, at] of t.attributeTypes) {
        const key = identifierPattern.test(name) ? name : goQuote(name);
        parts.push(`${key}=${typeString(at)}`);
      }
      return `object({${parts.join(",")}})`;
    }
    case "tuple":
      return `tuple([${t.elementTypes.map(typeString).join(",")}])`;
  }
}

/** A Go-syntax rendering like cty's GoString (`cty.List(cty.String)`), for debugging and test messages. */
export function typeGoString(t: Type): string {
  switch (t.kind) {
    case "string":
      return "cty.String";
    case "number":
      return "cty.Number";
    case "bool":
      return "cty.Bool";
    case "dynamic":
      return "cty.DynamicPseudoType";
    case "list":
      return `cty.List(${typeGoString(t.elementType)})`;
    case "set":
      return `cty.Set(${typeGoString(t.elementType)})`;
    case "map":
      return `cty.Map(${typeGoString(t.elementType)})`;
    case "tuple":
      return t.elementTypes.length === 0
        ? "cty.EmptyTuple"
        : `cty.Tuple([]cty.Type{${t.elementTypes.map(typeGoString).join(", ")}})`;
    case "object": {
      if (t.attributeTypes.size === 0) return "cty.EmptyObject";
      const parts = [...t.attributeTypes].map(([k, at]) => `${goQuote(k)}:${typeGoString(at)}`);
      const base = `map[string]cty.Type{${parts.join(", ")}}`;
      if (t.optionalAttributes.size === 0) return `cty.Object(${base})`;
      const opts = [...t.optionalAttributes].map(goQuote).join(", ");
      return `cty.ObjectWithOptionalAttrs(${base}, []string{${opts}})`;
    }
  }
}

/**
 * cty's Type.TestConformance: the reasons `given` does not conform to `want` (empty when it does). `want`
 * may contain dynamic, which accepts anything. Used by equality on values with partially-dynamic types.
 */
export function conformanceErrors(given: Type, want: Type): string[] {
  const errs: string[] = [];
  testConformance(given, want, errs);
  return errs;
}

function testConformance(given: Type, want: Type, errs: string[]): void {
  if (want.kind === "dynamic" || typeEquals(given, want)) return;
  if (given.kind === "object" && want.kind === "object") {
    for (const k of given.attributeTypes.keys()) {
      if (!want.attributeTypes.has(k)) errs.push(`unsupported attribute "${k}"`);
    }
    for (const k of want.attributeTypes.keys()) {
      if (!given.attributeTypes.has(k)) errs.push(`missing required attribute "${k}"`);
    }
    for (const [k, wt] of want.attributeTypes) {
      const gt = given.attributeTypes.get(k);
      if (gt !== undefined) testConformance(gt, wt, errs);
    }
    return;
  }
  if (given.kind === "tuple" && want.kind === "tuple") {
    if (given.elementTypes.length !== want.elementTypes.length) {
      errs.push(`${want.elementTypes.length} elements are required, but got ${given.elementTypes.length}`);
      return;
    }
    want.elementTypes.forEach((wt, i) => {
      testConformance(given.elementTypes[i]!, wt, errs);
    });
    return;
  }
  if (
    (given.kind === "list" && want.kind === "list") ||
    (given.kind === "map" && want.kind === "map") ||
    (given.kind === "set" && want.kind === "set")
  ) {
    testConformance(given.elementType, want.elementType, errs);
    return;
  }
  errs.push(`${friendlyName(want)} required, but received ${friendlyName(given)}`);
}
