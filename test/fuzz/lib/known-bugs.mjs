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
    // Bug: reading a Body (decode/json) of input nested ~1000 levels deep still overflows the stack. The
    // parsers, the evaluator and variables() report "Nesting too deep" instead (test/unit/hcl/nesting.test.ts).
    id: "deep-nesting-body-stack-overflow",
    kind: "throw:nativeBody",
    note:
      "Body.content/justAttributes over a JSON document of ~1000 nested objects throws (a RangeError, or under " +
      'a small worker stack a TypeError "undefined is not a function" raised at the limit). Expected: a ' +
      '"Nesting too deep" diagnostic, as the parsers and evaluator give.',
    matches: (text) => nestingDepth(text) >= 200,
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
