/**
 * Free-function forms of the mark operations on Value (see value.ts for the rules). Handy in function
 * implementations: `const [plain, marks] = unmark(arg); ...; return withMarks(result, marks)`.
 */

import { type Marks, type PathValueMarks, SENSITIVE, type Value } from "./value.js";

/** The value's own marks (not nested ones). */
export function marksOf(v: Value): Marks {
  return v.marks;
}

/** [the value without its own marks, those marks]. */
export function unmark(v: Value): [Value, Marks] {
  return v.unmark();
}

/** The value carrying also the union of the given mark sets. */
export function withMarks(v: Value, ...markSets: Iterable<string>[]): Value {
  return v.withMarks(...markSets);
}

/** [the value with no marks anywhere inside, the union of all its marks]. */
export function unmarkDeep(v: Value): [Value, Marks] {
  return v.unmarkDeep();
}

/** [the value with no marks anywhere inside, where each mark set was]. */
export function unmarkDeepWithPaths(v: Value): [Value, PathValueMarks[]] {
  return v.unmarkDeepWithPaths();
}

/** Re-applies marks found by unmarkDeepWithPaths (paths that no longer exist are ignored). */
export function markWithPaths(v: Value, pvms: readonly PathValueMarks[]): Value {
  return v.markWithPaths(pvms);
}

/** True if the value itself, or anything inside it, is marked sensitive. */
export function isSensitive(v: Value): boolean {
  if (v.hasMark(SENSITIVE)) return true;
  const [, marks] = v.unmarkDeep();
  return marks.has(SENSITIVE);
}
