/**
 * One fuzzing session: draws inputs from a mix of generated valid configurations, mutated real files,
 * mutated generated configurations, bare expressions and templates, and raw strings; checks every property
 * (properties.mjs) on each; on the first failure lets fast-check shrink the case, then minimizes the text
 * itself (minimize.mjs). Used by scripts/fuzz-hcl.mjs and by the in-suite sample test/fuzz/hcl-fuzz.test.ts.
 */
import fc from "fast-check";
import {
  config,
  deepNesting,
  expression,
  functionCallsFor,
  jsonConfig,
  templateContent,
} from "./generators.mjs";
import { knownBugFor } from "./known-bugs.mjs";
import { minimizeText } from "./minimize.mjs";
import { DICTIONARY, mutated } from "./mutators.mjs";
import { checkInput } from "./properties.mjs";

/**
 * @typedef {object} FuzzInput
 * @property {string} text
 * @property {string} origin     which generator made it
 * @property {boolean} mustParse  generated as valid HCL
 */

/**
 * @param {readonly string[]} seedTexts  real files to mutate (may be empty)
 * @param {readonly string[]} [jsonSeedTexts]  real JSON templates to mutate (may be empty)
 * @param {ReadonlyMap<string, any>} [functions]  the evaluation context's functions, for well-formed calls
 * @returns {fc.Arbitrary<FuzzInput>}
 */
export function inputArbitrary(seedTexts, jsonSeedTexts = [], functions = new Map()) {
  const make =
    (/** @type {string} */ origin, /** @type {boolean} */ mustParse) => (/** @type {string} */ text) => ({
      text,
      origin,
      mustParse,
    });
  const raw = fc.oneof(
    fc.string({ unit: "binary", maxLength: 64 }),
    fc.array(fc.constantFrom(...DICTIONARY), { maxLength: 24 }).map((a) => a.join("")),
  );
  /** @type {{weight: number, arbitrary: fc.Arbitrary<FuzzInput>}[]} */
  const mix = [
    { weight: 30, arbitrary: config.map(make("generated", true)) },
    { weight: 15, arbitrary: mutated(config, seedTexts).map(make("mutated-generated", false)) },
    { weight: 5, arbitrary: expression.map(make("expression", false)) },
    { weight: 5, arbitrary: templateContent.map(make("template", false)) },
    { weight: 5, arbitrary: raw.map(make("raw", false)) },
    { weight: 3, arbitrary: jsonConfig.map(make("json", false)) },
    { weight: 2, arbitrary: deepNesting.map(make("deep", false)) },
    { weight: 5, arbitrary: functionCallsFor(functions).map(make("calls", true)) },
  ];
  if (jsonSeedTexts.length > 0) {
    const jsonSeeds = fc.constantFrom(...jsonSeedTexts);
    mix.push({ weight: 3, arbitrary: mutated(jsonSeeds, jsonSeedTexts).map(make("mutated-json", false)) });
  }
  if (seedTexts.length > 0) {
    mix.push({
      weight: 40,
      arbitrary: mutated(fc.constantFrom(...seedTexts), seedTexts).map(make("mutated-corpus", false)),
    });
  }
  return fc.oneof(...mix);
}

/**
 * @typedef {object} FuzzFailure
 * @property {string} kind
 * @property {string} message
 * @property {string} input      the case as fast-check shrank it
 * @property {string} minimized  the shortest text found that fails the same way
 * @property {string} origin
 * @property {string} [path]     fast-check's replay path
 */

/**
 * @typedef {object} FuzzReport
 * @property {number} runs        cases checked
 * @property {number} seed
 * @property {number} elapsedMs
 * @property {Record<string, number>} origins      cases per generator
 * @property {Record<string, number>} knownBugHits  cases skipped per known bug
 * @property {FuzzFailure} [failure]
 */

/**
 * @typedef {object} FuzzOptions
 * @property {import("./engine.mjs").Engine} engine
 * @property {number} runs
 * @property {number} seed
 * @property {readonly string[]} seedTexts      real `.hcl` files to mutate
 * @property {readonly string[]} [jsonSeedTexts]  real `.json` templates to mutate
 * @property {string} [path]        replay one case
 * @property {number} [slowMs]      per-input limit (1000)
 * @property {boolean} [strict]     report known bugs too
 * @property {number} [minimizeMs]  time budget for minimizing a failure (30000)
 * @property {(input: FuzzInput) => void} [onCase]  called before each case is checked
 * @property {(done: number) => void} [onProgress]  called every 1000 cases
 */

/**
 * @param {FuzzOptions} opts
 * @returns {FuzzReport}
 */
export function runFuzz(opts) {
  const { engine, strict = false } = opts;
  const slowMs = opts.slowMs ?? 1000;
  /** @type {Record<string, number>} */
  const origins = {};
  /** @type {Record<string, number>} */
  const knownBugHits = {};
  let done = 0;
  let counting = true;

  /** The failure for one input, or undefined when it passes (or fails only by a known bug). */
  const verdict = (/** @type {FuzzInput} */ input) => {
    const failure = checkInput(engine, input.text, { slowMs, mustParse: input.mustParse });
    if (failure === undefined) return undefined;
    const known = strict ? undefined : knownBugFor(failure, input.text);
    if (known !== undefined) {
      if (counting) knownBugHits[known.id] = (knownBugHits[known.id] ?? 0) + 1;
      return undefined;
    }
    return failure;
  };

  /** @type {{input: FuzzInput, failure: import("./properties.mjs").Failure} | undefined} */
  let lastFailing;
  const started = performance.now();
  const arbitrary = inputArbitrary(opts.seedTexts, opts.jsonSeedTexts, engine.functions);
  const property = fc.property(arbitrary, (input) => {
    if (counting) {
      origins[input.origin] = (origins[input.origin] ?? 0) + 1;
      done++;
      if (done % 1000 === 0) opts.onProgress?.(done);
    }
    opts.onCase?.(input);
    const failure = verdict(input);
    if (failure === undefined) return true;
    // The first failure ends the search; what follows are the shrinker's attempts, which are not new cases.
    // The last failing attempt is fast-check's final counterexample; it is kept as found, since a "slow"
    // verdict need not repeat when checked again.
    counting = false;
    lastFailing = { input, failure };
    return false;
  });
  /** @type {fc.Parameters<[FuzzInput]>} */
  const params = { numRuns: opts.runs, seed: opts.seed, endOnFailure: false };
  if (opts.path !== undefined) params.path = opts.path;
  const details = fc.check(property, params);
  counting = false;
  const elapsedMs = performance.now() - started;
  /** @type {FuzzReport} */
  const report = { runs: Math.min(done, opts.runs), seed: opts.seed, elapsedMs, origins, knownBugHits };
  if (!details.failed) return report;
  if (lastFailing === undefined) {
    // The property itself threw: a bug in the harness, not in the engine.
    throw details.errorInstance ?? new Error("fuzz run failed without a counterexample");
  }
  const { input, failure } = lastFailing;
  const signature = failureSignature(failure);
  // A generated-valid input stops being valid when cut arbitrarily: keep fast-check's shrink for those.
  const minimized =
    failure.kind === "valid-rejected"
      ? input.text
      : minimizeText(
          input.text,
          (candidate) => {
            const attempt = { ...input, text: candidate };
            opts.onCase?.(attempt);
            const f = verdict(attempt);
            return f !== undefined && failureSignature(f) === signature;
          },
          { budgetMs: opts.minimizeMs ?? 30_000 },
        );
  const final = verdict({ ...input, text: minimized }) ?? failure;
  report.failure = {
    kind: final.kind,
    message: final.message,
    input: input.text,
    minimized,
    origin: input.origin,
    path: details.counterexamplePath ?? "",
  };
  return report;
}

/**
 * What makes two failures "the same" while minimizing: the property, and for throws the exception's first
 * line with numbers blanked out (positions in messages change as the text shrinks).
 * @param {{kind: string, message: string}} f
 */
function failureSignature(f) {
  if (!f.kind.startsWith("throw:")) return f.kind;
  const first = f.message.split("\n", 1)[0] ?? "";
  return `${f.kind} ${first.replace(/\d+/g, "N")}`;
}

/**
 * A human-readable account of a failure: property, message, the minimal input (exact, as a JSON string, and
 * as text), and how to replay the case.
 * @param {FuzzReport} report
 * @returns {string}
 */
export function describeFailure(report) {
  const f = report.failure;
  if (f === undefined) return "no failure";
  return [
    `property failed: ${f.kind} (input from ${f.origin} generator)`,
    f.message,
    "",
    `minimal counterexample (${f.minimized.length} chars), as a JSON string:`,
    JSON.stringify(f.minimized),
    "--- minimal counterexample as text ---",
    f.minimized,
    "--- end ---",
    `replay: node scripts/fuzz-hcl.mjs --seed ${report.seed} --path ${f.path}`,
  ].join("\n");
}
