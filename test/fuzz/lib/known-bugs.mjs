/**
 * Failures already found and reported but not fixed yet, each excluded by the exact input class that shows
 * it so the fuzzer keeps hunting for new ones. Every entry names the bug; remove it once the bug is fixed
 * (a run with `--strict` ignores this list and shows whether it still reproduces).
 *
 * @typedef {object} KnownBug
 * @property {string} id        short name used in reports
 * @property {string} kind      the property it breaks (see properties.mjs); `throw:*` is any entry point's throw
 * @property {string} note      what is wrong: minimal input, expected, actual
 * @property {(text: string, message: string) => boolean} matches  true for inputs of this class
 */

/** @type {readonly KnownBug[]} */
export const KNOWN_BUGS = [
  {
    // Bug: merge() with a null argument before a non-map one throws instead of returning a diagnostic.
    id: "merge-null-then-non-map",
    kind: "throw:evaluate",
    note:
      'evaluate(`merge(null, 0)`) throws ValueUsageError "asValueMap: not a map or object (number)" from ' +
      "collectionFunctions.merge's impl (a null argument makes type() return dynamic, so the non-map argument " +
      'reaches impl). Expected a diagnostic "Error in function call": Packer 1.6.6 reports Call to function ' +
      '"merge" failed: panic in function implementation: attempt to iterate on non-collection, non-tuple type.',
    matches: (text, message) =>
      /merge\s*\(/.test(text) && message.includes("asValueMap: not a map or object"),
  },
  {
    // Bug: deep nesting overflows the JavaScript stack in the recursive parsers, formatter and evaluator.
    id: "deep-nesting-stack-overflow",
    kind: "throw:*",
    note:
      "parseConfig/parseExpression/parseTemplate (and, deeper, variables, evaluate and parseJSON) throw " +
      'RangeError "Maximum call stack size exceeded" on input nested about 1000 levels deep, e.g. ' +
      '`a = [[[...]]]` with 1000-2000 brackets, 1000 nested `"${` interpolations or `f(` calls, 5000 `(` or ' +
      '`b {` blocks or `!`, a chain of 5000 `1 +`; parseJSON at 5000 `[`. `kiln fmt` then prints "internal ' +
      'error". Packer 1.6.6 formats the same 1000- and 5000-deep files with exit code 0. Expected: no throw ' +
      "(parse them, or report a nesting-depth diagnostic).",
    matches: (text, message) =>
      message.includes("Maximum call stack size exceeded") && nestingDepth(text) >= 200,
  },
];

/**
 * A rough measure of how deeply the text nests: the deepest bracket or template-sequence nesting, or the
 * number of operator characters, whichever is larger (a long operator chain nests as deeply as brackets).
 * @param {string} text
 * @returns {number}
 */
export function nestingDepth(text) {
  let depth = 0;
  let max = 0;
  let operators = 0;
  for (const ch of text) {
    if (ch === "(" || ch === "[" || ch === "{") max = Math.max(max, ++depth);
    else if (ch === ")" || ch === "]" || ch === "}") depth = Math.max(0, depth - 1);
    else if ("+-*/%!?&|<>=".includes(ch)) operators++;
  }
  return Math.max(max, operators);
}

/**
 * The known bug a failure belongs to, if any.
 * @param {{kind: string, message: string}} failure
 * @param {string} text
 * @returns {KnownBug | undefined}
 */
export function knownBugFor(failure, text) {
  const kindMatches = (/** @type {string} */ k) =>
    k === failure.kind || (k.endsWith("*") && failure.kind.startsWith(k.slice(0, -1)));
  return KNOWN_BUGS.find((b) => kindMatches(b.kind) && b.matches(text, failure.message));
}
