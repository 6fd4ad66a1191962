/**
 * Paths into nested values, like cty.Path: a sequence of attribute and index steps from a root value.
 * Conversion errors, JSON errors and deep marks report where they apply with a Path.
 */

import type { Value } from "./value.js";

export interface GetAttrStep {
  readonly kind: "getAttr";
  readonly name: string;
}

/** An index into a list, tuple or set (number key or the element itself), or a map (string key). */
export interface IndexStep {
  readonly kind: "index";
  readonly key: Value;
}

export type PathStep = GetAttrStep | IndexStep;
export type Path = readonly PathStep[];

export const emptyPath: Path = Object.freeze([]);

export function getAttrStep(name: string): GetAttrStep {
  return { kind: "getAttr", name };
}

export function indexStep(key: Value): IndexStep {
  return { kind: "index", key };
}

/** A new path with one more step. */
export function pathAppend(path: Path, step: PathStep): Path {
  return [...path, step];
}
