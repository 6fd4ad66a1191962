/**
 * Delta debugging (ddmin) of a failing text: removes ever smaller chunks — first whole lines, then characters —
 * while `stillFails` holds, so a counterexample is reported as the shortest input that shows the bug rather
 * than a mutated corpus file. Bounded by a number of tries and a time budget; the best text so far is returned
 * when either runs out.
 */

/**
 * @param {string} text  a failing input
 * @param {(candidate: string) => boolean} stillFails  whether a candidate shows the same failure
 * @param {{maxTries?: number, budgetMs?: number}} [limits]
 * @returns {string}
 */
export function minimizeText(text, stillFails, limits = {}) {
  const maxTries = limits.maxTries ?? 20_000;
  const deadline = performance.now() + (limits.budgetMs ?? 30_000);
  let tries = 0;
  const test = (/** @type {string} */ candidate) => {
    tries++;
    return stillFails(candidate);
  };
  const exhausted = () => tries >= maxTries || performance.now() > deadline;

  /**
   * ddmin over a list of units (lines or characters).
   * @param {string[]} units
   * @returns {string[]}
   */
  const ddmin = (units) => {
    let n = 2;
    while (units.length >= 2 && !exhausted()) {
      const chunk = Math.ceil(units.length / n);
      let reduced = false;
      for (let start = 0; start < units.length && !exhausted(); start += chunk) {
        const complement = [...units.slice(0, start), ...units.slice(start + chunk)];
        if (test(complement.join(""))) {
          units = complement;
          n = Math.max(n - 1, 2);
          reduced = true;
          break;
        }
      }
      if (!reduced) {
        if (n >= units.length) break;
        n = Math.min(units.length, n * 2);
      }
    }
    return units;
  };

  const lines = text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  let best = ddmin(lines).join("");
  best = ddmin(Array.from(best)).join("");
  // A last pass over UTF-16 units catches failures that hinge on half of a surrogate pair.
  best = ddmin(best.split("")).join("");
  return best;
}
