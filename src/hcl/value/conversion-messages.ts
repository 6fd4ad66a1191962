/**
 * cty/convert's MismatchMessage: an English reason why a value of type `got` does not conform to `want`,
 * e.g. "string required", "attribute \"name\" is required", "incorrect list element type: a number is
 * required" (the last via the nested reason), "all list elements must have the same type".
 */

import { getPathConversion } from "./convert.js";
import { compareStrings, goQuote } from "./string-order.js";
import { friendlyNameForConstraint, type ObjectType, type Type, typeEquals } from "./types.js";

export function mismatchMessage(got: Type, want: Type): string {
  if (got.kind === "object" && want.kind === "object") return mismatchObjects(got, want);
  if (got.kind === "tuple" && want.kind === "list" && want.elementType.kind === "dynamic") {
    return "all list elements must have the same type";
  }
  if (got.kind === "tuple" && want.kind === "set" && want.elementType.kind === "dynamic") {
    return "all set elements must have the same type";
  }
  if (got.kind === "object" && want.kind === "map" && want.elementType.kind === "dynamic") {
    return "all map elements must have the same type";
  }
  const wantIsCollection = want.kind === "list" || want.kind === "set" || want.kind === "map";
  if ((got.kind === "tuple" || got.kind === "object") && wantIsCollection) return fromStructural(got, want);
  if ((got.kind === "list" || got.kind === "set" || got.kind === "map") && wantIsCollection) {
    return fromCollection(got, want);
  }
  return `${friendlyNameForConstraint(want)} required`;
}

const quote = goQuote;

function mismatchObjects(got: ObjectType, want: ObjectType): string {
  const missing: string[] = [];
  let unsafeMismatch = "";
  let safeMismatch = "";
  for (const [name, wantAty] of want.attributeTypes) {
    const gotAty = got.attributeTypes.get(name);
    if (gotAty === undefined) {
      if (!want.optionalAttributes.has(name)) missing.push(name);
      continue;
    }
    if (typeEquals(gotAty, wantAty)) continue;
    if (unsafeMismatch !== "") continue;
    if (getPathConversion(gotAty, wantAty, true) === undefined) {
      unsafeMismatch = `attribute ${quote(name)}: ${mismatchMessage(gotAty, wantAty)}`;
    }
    if (safeMismatch !== "") continue;
    if (getPathConversion(gotAty, wantAty, false) === undefined) {
      safeMismatch = `attribute ${quote(name)}: ${mismatchMessage(gotAty, wantAty)}`;
    }
  }
  if (missing.length > 0) {
    missing.sort(compareStrings);
    if (missing.length === 1) return `attribute ${quote(missing[0]!)} is required`;
    if (missing.length === 2)
      return `attributes ${quote(missing[0]!)} and ${quote(missing[1]!)} are required`;
    const head = missing.slice(0, -1).map((m) => `${quote(m)}, `);
    return `attributes ${head.join("")}and ${quote(missing[missing.length - 1]!)} are required`;
  }
  if (unsafeMismatch !== "") return unsafeMismatch;
  if (safeMismatch !== "") return safeMismatch;
  return "incorrect object attributes";
}

function fromStructural(got: Type, want: Type): string {
  if (want.kind === "list" && got.kind !== "tuple") return `${friendlyNameForConstraint(want)} required`;
  if (want.kind === "set" && got.kind !== "tuple") return `${friendlyNameForConstraint(want)} required`;
  if (want.kind === "map" && got.kind !== "object") return `${friendlyNameForConstraint(want)} required`;
  const wantEty = (want as { elementType: Type }).elementType;
  if (got.kind === "tuple") {
    for (let i = 0; i < got.elementTypes.length; i++) {
      const gotEty = got.elementTypes[i]!;
      if (typeEquals(gotEty, wantEty)) continue;
      if (getPathConversion(gotEty, wantEty, true) !== undefined) continue;
      return `element ${i}: ${mismatchMessage(gotEty, wantEty)}`;
    }
    return `all elements must be ${friendlyNameForConstraint(wantEty)}`;
  }
  if (got.kind === "object") {
    for (const [name, gotAty] of got.attributeTypes) {
      if (typeEquals(gotAty, wantEty)) continue;
      if (getPathConversion(gotAty, wantEty, true) !== undefined) continue;
      return `element ${quote(name)}: ${mismatchMessage(gotAty, wantEty)}`;
    }
    return `all elements must be ${friendlyNameForConstraint(wantEty)}`;
  }
  return `${friendlyNameForConstraint(want)} required`;
}

function fromCollection(got: Type, want: Type): string {
  if (want.kind === "list" && got.kind !== "list" && got.kind !== "set") {
    return `${friendlyNameForConstraint(want)} required`;
  }
  if (want.kind === "set" && got.kind !== "list" && got.kind !== "set") {
    return `${friendlyNameForConstraint(want)} required`;
  }
  if (want.kind === "map" && got.kind !== "map") return `${friendlyNameForConstraint(want)} required`;
  const gotEty = (got as { elementType: Type }).elementType;
  const wantEty = (want as { elementType: Type }).elementType;
  const noun = `${want.kind} element type`;
  return `incorrect ${noun}: ${mismatchMessage(gotEty, wantEty)}`;
}
