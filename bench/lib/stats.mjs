/**
 * Small statistics and number formatting shared by the benchmarks: medians (robust against the odd slow run
 * on a shared machine), throughput, and "A/B = ratio (goal ...)" lines.
 */

/**
 * The median of a non-empty list (the mean of the middle two for an even count).
 * @param {readonly number[]} xs
 * @returns {number}
 */
export function median(xs) {
  if (xs.length === 0) throw new Error("median of an empty list");
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const hi = s[mid] ?? 0;
  const lo = s[mid - 1] ?? hi;
  return s.length % 2 === 1 ? hi : (lo + hi) / 2;
}

/**
 * Smallest and largest value, for showing the spread next to a median.
 * @param {readonly number[]} xs
 * @returns {[number, number]}
 */
export function range(xs) {
  return [Math.min(...xs), Math.max(...xs)];
}

/**
 * Milliseconds with a precision that suits their size.
 * @param {number} ms
 * @returns {string}
 */
export function formatMs(ms) {
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

/**
 * Median and spread of a list of timings: "123 ms (min 120 ms, max 130 ms, 7 runs)".
 * @param {readonly number[]} times
 * @returns {string}
 */
export function formatTimes(times) {
  const [lo, hi] = range(times);
  return `${formatMs(median(times))} (min ${formatMs(lo)}, max ${formatMs(hi)}, ${times.length} runs)`;
}

/**
 * Megabytes (10^6 bytes) per second.
 * @param {number} bytes
 * @param {number} ms
 * @returns {number}
 */
export function mbPerSecond(bytes, ms) {
  return bytes / 1e6 / (ms / 1000);
}

/**
 * A ratio line such as "kiln/packer = 0.42 (goal <= 0.8: met)".
 * @param {string} label   e.g. "kiln/packer"
 * @param {number} ratio
 * @param {{atMost?: number, atLeast?: number}} [goal]
 * @returns {string}
 */
export function formatRatio(label, ratio, goal = {}) {
  let verdict = "";
  if (goal.atMost !== undefined)
    verdict = ` (goal <= ${goal.atMost}: ${ratio <= goal.atMost ? "met" : "NOT met"})`;
  else if (goal.atLeast !== undefined) {
    verdict = ` (goal >= ${goal.atLeast}: ${ratio >= goal.atLeast ? "met" : "NOT met"})`;
  }
  return `${label} = ${ratio.toFixed(2)}${verdict}`;
}
