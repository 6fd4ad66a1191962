/**
 * HCL's value-level traversal steps (hcl.Index and hcl.GetAttr from HCL's ops.go): index and attribute
 * access that validate their inputs and report problems with HCL's summaries and details instead of
 * throwing. The evaluator attaches the source range to turn a failure into a Diagnostic.
 *
 * On success the result carries the marks of the collection (and of the key, for index).
 */

import type { BigFloat } from "./big-float.js";
import { convert } from "./convert.js";
import { getAttr as ctyGetAttr, index as ctyIndex, hasIndex, length } from "./operations.js";
import { goQuote } from "./string-order.js";
import { friendlyName, hasAttribute, numberType, stringType } from "./types.js";
import { dynamicVal, stringVal, unknownVal, type Value } from "./value.js";

export type TraversalResult =
  | { readonly ok: true; readonly value: Value }
  | { readonly ok: false; readonly summary: string; readonly detail: string };

function fail(summary: string, detail: string): TraversalResult {
  return { ok: false, summary, detail };
}

const invalidIndex = "Invalid index";
const badKey = "The given key does not identify an element in this collection value";

/** collection[key] with HCL's rules (hcl.Index). */
export function traverseIndex(collection: Value, key: Value): TraversalResult {
  if (collection.isNull()) {
    return fail("Attempt to index null value", "This value is null, so it does not have any indices.");
  }
  if (key.isNull()) return fail(invalidIndex, "Can't use a null value as an indexing key.");
  const ty = collection.type;
  if (key.type.kind === "dynamic" || ty.kind === "dynamic") {
    return { ok: true, value: dynamicVal.withSameMarks(collection) };
  }
  switch (ty.kind) {
    case "list":
    case "tuple":
    case "map": {
      const want = ty.kind === "map" ? stringType : numberType;
      const conv = convert(key, want);
      if (!conv.ok) return fail(invalidIndex, `${badKey}: ${conv.error.message}.`);
      const k = conv.value;
      const [has] = hasIndex(collection, k).unmark();
      if (!has.isKnown()) {
        const t = ty.kind === "tuple" ? dynamicVal : unknownVal(ty.elementType);
        return { ok: true, value: t.withSameMarks(collection) };
      }
      if (has.raw === false) {
        if (ty.kind !== "map" && k.type.kind === "number" && k.isKnown() && !k.isNull()) {
          const bf = k.unmark()[0].raw as BigFloat;
          if (!bf.isInt()) {
            return fail(
              invalidIndex,
              `${badKey}: indexing a sequence requires a whole number, but the given index has a fractional part.`,
            );
          }
          if (bf.sign() < 0) {
            return fail(invalidIndex, `${badKey}: a negative number is not a valid index for a sequence.`);
          }
          const len = length(collection);
          if (len.isKnown() && !len.isMarked()) {
            const lenBF = len.raw as BigFloat;
            if (bf.sub(lenBF).sign() < 1) {
              if (lenBF.sign() === 0) return fail(invalidIndex, `${badKey}: the collection has no elements.`);
              return fail(
                invalidIndex,
                `${badKey}: the given index is greater than or equal to the length of the collection.`,
              );
            }
          }
        }
        return fail(invalidIndex, `${badKey}.`);
      }
      return { ok: true, value: ctyIndex(collection, k) };
    }
    case "object": {
      const wasNumber = key.type.kind === "number";
      const conv = convert(key, stringType);
      if (!conv.ok) return fail(invalidIndex, `${badKey}: ${conv.error.message}.`);
      if (!conv.value.isKnown()) return { ok: true, value: dynamicVal.withSameMarks(collection) };
      const name = conv.value.unmark()[0].asString();
      if (!hasAttribute(ty, name)) {
        const suggestion = wasNumber
          ? " An object only supports looking up attributes by name, not by numeric index."
          : "";
        return fail(invalidIndex, `${badKey}.${suggestion}`);
      }
      if (!collection.isKnown()) {
        return { ok: true, value: unknownVal(ty.attributeTypes.get(name)!).withSameMarks(collection) };
      }
      return { ok: true, value: ctyGetAttr(collection, name) };
    }
    case "set":
      return fail(
        invalidIndex,
        "Elements of a set are identified only by their value and don't have any separate index or key to select with, so it's only possible to perform operations across all elements of the set.",
      );
    default:
      return fail(invalidIndex, "This value does not have any indices.");
  }
}

const unsupportedAttr = "Unsupported attribute";

/** obj.name with HCL's rules (hcl.GetAttr). */
export function traverseAttr(obj: Value, name: string): TraversalResult {
  if (obj.isNull()) {
    return fail(
      "Attempt to get attribute from null value",
      "This value is null, so it does not have any attributes.",
    );
  }
  const ty = obj.type;
  switch (ty.kind) {
    case "object":
      if (!hasAttribute(ty, name)) {
        return fail(unsupportedAttr, `This object does not have an attribute named ${goQuote(name)}.`);
      }
      if (!obj.isKnown()) {
        return {
          ok: true,
          value: unknownVal(ty.attributeTypes.get(name.normalize("NFC"))!).withSameMarks(obj),
        };
      }
      return { ok: true, value: ctyGetAttr(obj, name) };
    case "map": {
      if (!obj.isKnown()) return { ok: true, value: unknownVal(ty.elementType).withSameMarks(obj) };
      const idx = stringVal(name);
      const [has] = hasIndex(obj, idx).unmark();
      if (has.isKnown() && has.raw === false) {
        return fail(
          "Missing map element",
          `This map does not have an element with the key ${goQuote(name)}.`,
        );
      }
      return { ok: true, value: ctyIndex(obj, idx) };
    }
    case "dynamic":
      return { ok: true, value: dynamicVal.withSameMarks(obj) };
    case "list":
      if (ty.elementType.kind === "object") {
        if (hasAttribute(ty.elementType, name)) {
          return fail(
            unsupportedAttr,
            `Can't access attributes on a list of objects. Did you mean to access attribute ${goQuote(name)} for a specific element of the list, or across all elements of the list?`,
          );
        }
        return fail(
          unsupportedAttr,
          "Can't access attributes on a list of objects. Did you mean to access an attribute for a specific element of the list, or across all elements of the list?",
        );
      }
      return fail(unsupportedAttr, "This value does not have any attributes.");
    case "set":
      if (ty.elementType.kind === "object") {
        return fail(
          unsupportedAttr,
          "Can't access attributes on a set of objects. Did you mean to access an attribute across all elements of the set?",
        );
      }
      return fail(unsupportedAttr, "This value does not have any attributes.");
    case "string":
    case "number":
    case "bool":
      return fail(
        unsupportedAttr,
        `Can't access attributes on a primitive-typed value (${friendlyName(ty)}).`,
      );
    default:
      return fail(unsupportedAttr, "This value does not have any attributes.");
  }
}
