/**
 * Type constraints with optional attributes and defaults, as HCL's typeexpr (TypeConstraintWithDefaults)
 * and typeexpr.Defaults, which Packer uses for `variable` blocks.
 *
 * The evaluator parses a type expression like `object({name=string, port=optional(number, 22)})` into a
 * TypeConstraint: the type (object types list `port` among their optional attributes) plus a TypeDefaults
 * tree holding the default values. Checking a value against it is applyDefaults (fill absent or null
 * optional attributes, recursively) followed by convert — convertToConstraint does both.
 */

import { type ConvertResult, convert } from "./convert.js";
import { setVal, setValEmpty } from "./set.js";
import type { Type } from "./types.js";
import { unifyUnsafe } from "./unify.js";
import { listVal, listValEmpty, mapVal, mapValEmpty, objectVal, tupleVal, type Value } from "./value.js";

/**
 * Defaults for one node of a type: `defaultValues` for the optional attributes of an object node (by name),
 * `children` for nested nodes: by attribute name for objects, by index ("0", "1", ...) for tuples, and under
 * the key "" for the element type of lists, sets and maps.
 */
export interface TypeDefaults {
  readonly type: Type;
  readonly defaultValues: ReadonlyMap<string, Value>;
  readonly children: ReadonlyMap<string, TypeDefaults>;
}

/** A parsed type constraint: the type plus defaults (absent when no optional attribute has a default). */
export interface TypeConstraint {
  readonly type: Type;
  readonly defaults?: TypeDefaults;
}

/**
 * Defaults for a list/set/map type whose element type has `elementDefaults` (typeexpr's collectionDefaults);
 * undefined when the element has none.
 */
export function collectionDefaults(
  type: Type,
  elementDefaults: TypeDefaults | undefined,
): TypeDefaults | undefined {
  if (elementDefaults === undefined) return undefined;
  return { type, defaultValues: new Map(), children: new Map([["", elementDefaults]]) };
}

/**
 * Defaults for an object or tuple type (typeexpr's structuredDefaults); undefined when there are no default
 * values and no children with defaults.
 */
export function structuredDefaults(
  type: Type,
  defaultValues: ReadonlyMap<string, Value>,
  children: ReadonlyMap<string, TypeDefaults>,
): TypeDefaults | undefined {
  if (defaultValues.size === 0 && children.size === 0) return undefined;
  return { type, defaultValues, children };
}

/**
 * Fills in defaults for absent or null optional attributes, recursively (typeexpr Defaults.Apply). Null
 * and unknown values are returned unchanged. Never fails: a value that doesn't fit is left for convert to
 * reject with a proper message.
 */
export function applyDefaults(defaults: TypeDefaults, value: Value): Value {
  if (!value.isKnown() || value.isNull()) return value;
  if (defaults.defaultValues.size === 0 && defaults.children.size === 0) return value;
  const [v, marks] = value.unmark();
  let out: Value;
  switch (v.type.kind) {
    case "set":
    case "list":
    case "tuple": {
      const values = v.asValueSlice().map((e, i) => {
        const child = childFor(defaults, i);
        return child ? applyDefaults(child, e) : e;
      });
      out = tupleVal(values);
      if (v.type.kind === "set" || v.type.kind === "list") {
        const ety = v.type.elementType;
        if (values.length === 0) {
          out = v.type.kind === "set" ? setValEmpty(ety) : listValEmpty(ety);
        } else {
          const unified = unifySlice(values);
          if (unified) out = v.type.kind === "set" ? setVal(unified) : listVal(unified);
        }
      }
      break;
    }
    case "object":
    case "map": {
      const values = new Map<string, Value>();
      for (const [k, e] of v.asValueMap()) {
        const child = childFor(defaults, k);
        values.set(k, child ? applyDefaults(child, e) : e);
      }
      for (const [key, def] of defaults.defaultValues) {
        const current = values.get(key);
        if (current === undefined || current.isNull()) {
          const child = defaults.children.get(key);
          values.set(key, child ? applyDefaults(child, def) : def);
        }
      }
      out = objectVal(values);
      if (v.type.kind === "map") {
        if (values.size === 0) out = mapValEmpty(v.type.elementType);
        else {
          const unified = unifyMap(values);
          if (unified) out = mapVal(unified);
        }
      }
      break;
    }
    default:
      out = v;
  }
  return out.withMarks(marks);
}

function childFor(defaults: TypeDefaults, key: number | string): TypeDefaults | undefined {
  if (typeof key === "number" && defaults.type.kind === "tuple") return defaults.children.get(String(key));
  if (typeof key === "string" && defaults.type.kind === "object") return defaults.children.get(key);
  return defaults.children.get("");
}

function unifySlice(values: readonly Value[]): Value[] | undefined {
  const u = unifyUnsafe(values.map((v) => v.type));
  if (u === undefined) return undefined;
  const out: Value[] = [];
  for (let i = 0; i < values.length; i++) {
    const c = u.conversions[i];
    if (c === undefined) {
      out.push(values[i]!);
      continue;
    }
    const r = c(values[i]!);
    if (!r.ok) return undefined;
    out.push(r.value);
  }
  return out;
}

function unifyMap(values: ReadonlyMap<string, Value>): Map<string, Value> | undefined {
  const keys = [...values.keys()];
  const converted = unifySlice(keys.map((k) => values.get(k)!));
  if (converted === undefined) return undefined;
  return new Map(keys.map((k, i) => [k, converted[i]!]));
}

/**
 * Checks a value against a constraint the way Packer checks variable values: apply the defaults (unless
 * the value is null), then convert to the constraint's type.
 */
export function convertToConstraint(value: Value, constraint: TypeConstraint): ConvertResult {
  const withDefaults =
    constraint.defaults !== undefined && !value.isNull() ? applyDefaults(constraint.defaults, value) : value;
  return convert(withDefaults, constraint.type);
}
