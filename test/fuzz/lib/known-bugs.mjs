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
export const KNOWN_BUGS = [];

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
