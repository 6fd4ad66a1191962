/**
 * A small model of the Go values a Packer template sees, with enough type information to reproduce Go's
 * printing (`map[a:b]`, `[a b]`, `{x y}`) and its reflection-based error texts
 * (`can't evaluate field Foo in type *shell.ExecuteCommandTemplate`, `wrong type for value; expected string;
 * got int`).
 *
 * Representation inside the engine:
 *   string -> Go string, boolean -> bool, bigint -> int, number -> float64, null -> nil,
 *   GoSlice -> []T, GoMap -> map[string]T, GoStruct -> a struct (or pointer to struct).
 * Plain JS data is converted at the boundary by toGoValue (integral numbers become ints).
 */

/** A Go slice `[]elemType`. */
export class GoSlice {
  constructor(
    readonly elemType: string,
    readonly items: readonly GoValue[],
  ) {}
}

/** A Go map with string keys, `map[string]elemType`. */
export class GoMap {
  constructor(
    readonly elemType: string,
    readonly entries: ReadonlyMap<string, GoValue>,
  ) {}
}

/** A Go struct value, or a pointer to one when `pointer` is set (as plugins pass `&ExecuteCommandTemplate{}`). */
export class GoStruct {
  constructor(
    /** Qualified type name without `*`, e.g. `shell.ExecuteCommandTemplate`. */
    readonly typeName: string,
    /** Fields in declaration order. */
    readonly fields: ReadonlyMap<string, GoValue>,
    readonly pointer: boolean = false,
    /** Declared field types where they differ from the value's own type (e.g. `interface {}`). */
    readonly fieldTypes: ReadonlyMap<string, string> = new Map(),
  ) {}
}

export type GoValue = string | boolean | bigint | number | null | GoSlice | GoMap | GoStruct;

/**
 * A reflect.Value: a value with its static type. `t` is `interface {}` for values read out of
 * `map[string]interface{}` or `[]interface{}` (which matters for Go's error texts); `undefined` stands
 * for the invalid (zero) reflect.Value, printed as `<no value>`.
 */
export interface Val {
  readonly v: GoValue;
  readonly t: string;
}
export type RV = Val | undefined;

export const IFACE = "interface {}";

/** Converts plain JS data to engine values: objects -> map[string]interface{}, arrays -> []interface{}. */
export function toGoValue(x: unknown): GoValue {
  if (x === undefined || x === null) return null;
  if (typeof x === "string" || typeof x === "boolean" || typeof x === "bigint") return x;
  if (typeof x === "number") return Number.isInteger(x) ? BigInt(x) : x;
  if (x instanceof GoSlice || x instanceof GoMap || x instanceof GoStruct) return x;
  if (Array.isArray(x)) return new GoSlice(IFACE, x.map(toGoValue));
  if (x instanceof Map) {
    const m = new Map<string, GoValue>();
    for (const [k, v] of x) m.set(String(k), toGoValue(v));
    return new GoMap(IFACE, m);
  }
  if (typeof x === "object") {
    const m = new Map<string, GoValue>();
    for (const [k, v] of Object.entries(x as Record<string, unknown>)) m.set(k, toGoValue(v));
    return new GoMap(IFACE, m);
  }
  return String(x);
}

/** Builds a `map[string]string` (Packer's usual data for `build` and generated data). */
export function goStringMap(entries: Readonly<Record<string, string>>): GoMap {
  return new GoMap("string", new Map(Object.entries(entries)));
}

/** Go's dynamic type name of a value (`%T`); nil has none. */
export function typeName(v: GoValue): string | undefined {
  if (v === null) return undefined;
  switch (typeof v) {
    case "string":
      return "string";
    case "boolean":
      return "bool";
    case "bigint":
      return "int";
    case "number":
      return "float64";
  }
  if (v instanceof GoSlice) return `[]${v.elemType}`;
  if (v instanceof GoMap) return `map[string]${v.elemType}`;
  return (v.pointer ? "*" : "") + v.typeName;
}

/** reflect.ValueOf: nil gives the invalid value. */
export function valOf(v: GoValue): RV {
  const t = typeName(v);
  return t === undefined ? undefined : { v, t };
}

export type Kind =
  | "invalid"
  | "interface"
  | "ptr"
  | "string"
  | "bool"
  | "int"
  | "float"
  | "slice"
  | "map"
  | "struct";

export function kindOf(rv: RV): Kind {
  if (rv === undefined) return "invalid";
  if (rv.t === IFACE) return "interface";
  if (rv.t.startsWith("*")) return "ptr";
  const v = rv.v;
  switch (typeof v) {
    case "string":
      return "string";
    case "boolean":
      return "bool";
    case "bigint":
      return "int";
    case "number":
      return "float";
  }
  if (v instanceof GoSlice) return "slice";
  if (v instanceof GoMap) return "map";
  if (v instanceof GoStruct) return "struct";
  return "invalid";
}

/** Go's indirect: through pointers and interfaces to the concrete value; isNil when one was nil. */
export function indirect(rv: RV): { rv: RV; isNil: boolean } {
  let cur = rv;
  for (;;) {
    const k = kindOf(cur);
    if (k !== "ptr" && k !== "interface") return { rv: cur, isNil: false };
    if (cur === undefined || cur.v === null) return { rv: cur, isNil: true };
    if (k === "interface") cur = valOf(cur.v);
    else cur = { v: cur.v, t: cur.t.slice(1) };
  }
}

/** Go's indirectInterface: the concrete value inside an interface (nil interface -> invalid). */
export function indirectInterface(rv: RV): RV {
  if (kindOf(rv) !== "interface") return rv;
  return rv === undefined || rv.v === null ? undefined : valOf(rv.v);
}

/** Whether values of a type can be nil (so nil/missing values convert to its zero value). */
export function canBeNil(t: string): boolean {
  return (
    t === IFACE || t === "reflect.Value" || t.startsWith("map[") || t.startsWith("[]") || t.startsWith("*")
  );
}

/** reflect.Zero(t). */
export function zeroOf(t: string): RV {
  switch (t) {
    case "string":
      return { v: "", t };
    case "int":
      return { v: 0n, t };
    case "float64":
      return { v: 0, t };
    case "bool":
      return { v: false, t };
    case "reflect.Value":
      return undefined;
    case IFACE:
      return { v: null, t };
  }
  if (t.startsWith("[]")) return { v: new GoSlice(t.slice(2), []), t };
  if (t.startsWith("map[string]")) return { v: new GoMap(t.slice("map[string]".length), new Map()), t };
  return { v: null, t };
}

/** Go's isTrue: the truth of a value for if/with/and/or/not; ok=false for values with no truth. */
export function isTrue(rv: RV): { truth: boolean; ok: boolean } {
  const k = kindOf(rv);
  if (rv === undefined) return { truth: false, ok: true };
  const v = rv.v;
  switch (k) {
    case "string":
      return { truth: (v as string).length > 0, ok: true };
    case "slice":
      return { truth: (v as GoSlice).items.length > 0, ok: true };
    case "map":
      return { truth: (v as GoMap).entries.size > 0, ok: true };
    case "bool":
      return { truth: v as boolean, ok: true };
    case "int":
      return { truth: (v as bigint) !== 0n, ok: true };
    case "float":
      return { truth: (v as number) !== 0, ok: true };
    case "ptr":
    case "interface":
      return { truth: v !== null, ok: true };
    case "struct":
      return { truth: true, ok: true };
    default:
      return { truth: false, ok: false };
  }
}

export function truth(rv: RV): boolean {
  return isTrue(indirectInterface(rv)).truth;
}

/** Compares strings by UTF-8 byte order, as Go's `<` on strings does. */
export function compareGoStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const ca = a.codePointAt(i) ?? 0;
    const cb = b.codePointAt(i) ?? 0;
    if (ca !== cb) return ca < cb ? -1 : 1;
    if (ca > 0xffff) i++;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** Map keys in Go's printing/ranging order (fmtsort: ascending). */
export function sortedKeys(m: GoMap): string[] {
  return [...m.entries.keys()].sort(compareGoStrings);
}
