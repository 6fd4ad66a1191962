#!/usr/bin/env node
/**
 * Fuzzes the compiled HCL engine (dist/hcl; run `npm run build` first) with generated and mutated inputs and
 * checks that nothing throws, no input takes over a second, and the formatter is idempotent, keeps every
 * token and keeps files parseable (test/fuzz/lib/properties.mjs). On a failure it prints a minimal
 * counterexample and exits 1.
 *
 *   node scripts/fuzz-hcl.mjs [--runs 100000] [--seed N] [--path P] [--slow-ms 1000] [--hang-ms 15000]
 *                             [--strict] [--dist DIR]
 *   node scripts/fuzz-hcl.mjs --packer-fmt 500 [--mutated] [--seed N]
 *
 * The cases run in a worker thread watched by this one: a case that never returns (an endless loop) is
 * reported after --hang-ms with the input that was running, which the worker leaves in shared memory before
 * each case. `--strict` also fails on the known bugs listed in test/fuzz/lib/known-bugs.mjs.
 *
 * `--packer-fmt N` is a differential check instead: N generated configurations (with --mutated, also mutants
 * of real files) are formatted by both `packer fmt` (Packer at /usr/bin/packer or on PATH) and formatHCL; any
 * difference in output, or in which files are refused, is printed.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";

const ROOT = resolve(fileURLToPath(new URL("..", import.meta.url)));
const LIB = join(ROOT, "test", "fuzz", "lib");
/** UTF-16 units of the current input kept in shared memory for the hang report. */
const SHARED_CHARS = 1 << 20;

/** @param {string} file */
const lib = (file) => import(pathToFileURL(join(LIB, file)).href);

/** @param {string} dist */
async function engineFrom(dist) {
  const { loadEngine } = await lib("engine.mjs");
  return loadEngine((/** @type {string} */ rel) => import(pathToFileURL(join(dist, rel)).href));
}

/**
 * @param {string[]} argv
 * @returns {Record<string, string | boolean>}
 */
function parseArgs(argv) {
  /** @type {Record<string, string | boolean>} */
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? "";
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(a);
    if (m === null) throw new Error(`unexpected argument: ${a}`);
    const name = m[1] ?? "";
    if (m[2] !== undefined) out[name] = m[2];
    else if (name === "strict" || name === "help" || name === "mutated") out[name] = true;
    else {
      const v = argv[++i];
      if (v === undefined) throw new Error(`--${name} needs a value`);
      out[name] = v;
    }
  }
  return out;
}

/** @param {string | boolean | undefined} v @param {number} dflt */
function intArg(v, dflt) {
  if (v === undefined || typeof v === "boolean") return dflt;
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new Error(`not an integer: ${v}`);
  return n;
}

async function workerMain() {
  const { dist, runs, seed, path, slowMs, strict, shared } = workerData;
  const { runFuzz } = await lib("runner.mjs");
  const { loadSeeds } = await lib("mutators.mjs");
  const engine = await engineFrom(dist);
  const seeds = loadSeeds();
  const jsonSeeds = loadSeeds(undefined, ".json");
  parentPort?.postMessage({
    type: "start",
    active: engine.active,
    missing: engine.missing,
    seeds: seeds.length,
    jsonSeeds: jsonSeeds.length,
  });
  const len = new Int32Array(shared, 0, 2);
  const chars = new Uint16Array(shared, 8);
  const report = runFuzz({
    engine,
    runs,
    seed,
    path,
    slowMs,
    strict,
    seedTexts: seeds.map((/** @type {{text: string}} */ s) => s.text),
    jsonSeedTexts: jsonSeeds.map((/** @type {{text: string}} */ s) => s.text),
    onCase: (/** @type {{text: string}} */ input) => {
      const n = Math.min(input.text.length, chars.length);
      for (let i = 0; i < n; i++) chars[i] = input.text.charCodeAt(i);
      Atomics.store(len, 0, n);
      Atomics.add(len, 1, 1);
    },
    onProgress: (/** @type {number} */ done) => parentPort?.postMessage({ type: "progress", done }),
  });
  parentPort?.postMessage({ type: "done", report });
}

/** @param {Record<string, string | boolean>} args */
async function fuzzMain(args) {
  const dist = resolve(typeof args.dist === "string" ? args.dist : join(ROOT, "dist", "hcl"));
  if (!existsSync(join(dist, "syntax", "index.js"))) {
    console.error(`fuzz-hcl: ${dist} has no compiled engine; run \`npm run build\` first`);
    return 2;
  }
  const runs = intArg(args.runs, 10_000);
  const seed = intArg(args.seed, Date.now() % 2 ** 31);
  const hangMs = intArg(args["hang-ms"], 15_000);
  const shared = new SharedArrayBuffer(8 + 2 * SHARED_CHARS);
  const len = new Int32Array(shared, 0, 2);
  const chars = new Uint16Array(shared, 8);
  const worker = new Worker(fileURLToPath(import.meta.url), {
    // The main thread's stack (about 1 MB), not a worker's default 4 MB, so that deep recursion fails here
    // exactly where it fails in the CLI.
    resourceLimits: { stackSizeMb: 1 },
    workerData: {
      dist,
      runs,
      seed,
      path: typeof args.path === "string" ? args.path : undefined,
      slowMs: intArg(args["slow-ms"], 1000),
      strict: args.strict === true,
      shared,
    },
  });
  const started = performance.now();
  console.log(`fuzz-hcl: ${runs} cases, seed ${seed}, engine ${dist}`);
  /** @type {any} */
  const result = await new Promise((resolvePromise) => {
    let lastCount = -1;
    let lastChange = performance.now();
    const watchdog = setInterval(() => {
      const count = Atomics.load(len, 1);
      if (count !== lastCount) {
        lastCount = count;
        lastChange = performance.now();
        return;
      }
      if (performance.now() - lastChange < hangMs) return;
      clearInterval(watchdog);
      const n = Atomics.load(len, 0);
      let text = "";
      for (let i = 0; i < n; i += 8192)
        text += String.fromCharCode(...chars.subarray(i, Math.min(n, i + 8192)));
      void worker.terminate().then(() => resolvePromise({ type: "hang", text, count }));
    }, 250);
    worker.on("message", (msg) => {
      if (msg.type === "start") {
        console.log(`targets: ${msg.active.join(", ")}`);
        if (msg.missing.length > 0) console.log(`not fuzzed yet: ${msg.missing.join("; ")}`);
        console.log(`seed files: ${msg.seeds} .hcl, ${msg.jsonSeeds} .json`);
      } else if (msg.type === "progress") {
        if (msg.done % 10_000 === 0) {
          const s = (performance.now() - started) / 1000;
          console.log(`  ${msg.done} cases, ${s.toFixed(1)} s`);
        }
      } else if (msg.type === "done") {
        clearInterval(watchdog);
        resolvePromise(msg);
      }
    });
    worker.on("error", (err) => {
      clearInterval(watchdog);
      resolvePromise({ type: "error", err });
    });
  });
  const seconds = (performance.now() - started) / 1000;
  if (result.type === "error") {
    console.error("fuzz-hcl: the harness itself failed:", result.err);
    return 2;
  }
  if (result.type === "hang") {
    const file = join(mkdtempSync(join(tmpdir(), "fuzz-hcl-")), "hang.hcl");
    writeFileSync(file, result.text);
    console.log(`FAILED: case ${result.count} did not return within ${hangMs} ms (an endless loop?)`);
    console.log(`input (${result.text.length} chars) as a JSON string:\n${JSON.stringify(result.text)}`);
    console.log(`saved to ${file}; replay: node scripts/fuzz-hcl.mjs --seed ${seed} --runs ${result.count}`);
    return 1;
  }
  const { describeFailure } = await lib("runner.mjs");
  const report = result.report;
  const rate = report.runs / (report.elapsedMs / 1000);
  console.log(
    `${report.runs} cases in ${seconds.toFixed(1)} s (${rate.toFixed(0)} cases/s checking); by generator: ${JSON.stringify(report.origins)}`,
  );
  const known = Object.entries(report.knownBugHits);
  if (known.length > 0)
    console.log(`skipped as known bugs: ${known.map(([id, n]) => `${id} x${n}`).join(", ")}`);
  if (report.failure !== undefined) {
    const file = join(mkdtempSync(join(tmpdir(), "fuzz-hcl-")), "counterexample.hcl");
    writeFileSync(file, report.failure.minimized);
    console.log(`FAILED\n${describeFailure(report)}\n(saved to ${file})`);
    if (report.failure.kind.startsWith("fmt-")) await compareWithPacker(dist, report.failure.minimized);
    return 1;
  }
  console.log("OK: every property held");
  return 0;
}

/** The Packer binary, or undefined. */
function packerBin() {
  if (existsSync("/usr/bin/packer")) return "/usr/bin/packer";
  const r = spawnSync("packer", ["version"], { env: { ...process.env, CHECKPOINT_DISABLE: "1" } });
  return r.status === 0 ? "packer" : undefined;
}

/**
 * Formats one text with `packer fmt` (which only formats files in place).
 * @param {string} packer
 * @param {string} text
 * @returns {{ok: boolean, output: string}}
 */
function packerFmt(packer, text) {
  const dir = mkdtempSync(join(tmpdir(), "fuzz-hcl-packer-"));
  try {
    const file = join(dir, "case.pkr.hcl");
    writeFileSync(file, text);
    const r = spawnSync(packer, ["fmt", file], {
      env: { ...process.env, CHECKPOINT_DISABLE: "1" },
      encoding: "utf8",
    });
    return r.status === 0
      ? { ok: true, output: readFileSync(file, "utf8") }
      : { ok: false, output: r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * For a formatter failure: does Packer format the counterexample the same way? If so the property meets a
 * quirk kiln shares with Packer on purpose, not a kiln bug.
 * @param {string} dist
 * @param {string} text
 */
async function compareWithPacker(dist, text) {
  const packer = packerBin();
  if (packer === undefined) return;
  const engine = await engineFrom(dist);
  const ours = engine.fn.formatHCL(text, "case.pkr.hcl").output;
  const theirs = packerFmt(packer, text);
  if (!theirs.ok) {
    console.log(`packer fmt rejects the counterexample: ${theirs.output.trim()}`);
    return;
  }
  console.log(`packer fmt gives ${JSON.stringify(theirs.output)}`);
  console.log(
    theirs.output === ours
      ? "kiln formats it identically: a quirk shared with Packer (adjust the property), not a kiln bug"
      : `kiln gives        ${JSON.stringify(ours)}: kiln differs from Packer`,
  );
}

/**
 * Differential check of formatHCL against `packer fmt`. Generated files must be accepted by both and come
 * out identical. With --mutated, mutants of the corpus and of generated files are used too: then both must
 * also agree on which files they refuse (a syntax error), and format the others identically.
 * @param {Record<string, string | boolean>} args
 */
async function packerFmtMain(args) {
  const n = intArg(args["packer-fmt"], 200);
  const seed = intArg(args.seed, Date.now() % 2 ** 31);
  const withMutants = args.mutated === true;
  const dist = resolve(typeof args.dist === "string" ? args.dist : join(ROOT, "dist", "hcl"));
  const packer = packerBin();
  if (packer === undefined) {
    console.error("fuzz-hcl: packer not found");
    return 2;
  }
  const engine = await engineFrom(dist);
  const { default: fc } = await import("fast-check");
  const { config } = await lib("generators.mjs");
  const { loadSeeds, mutated } = await lib("mutators.mjs");
  const seedTexts = loadSeeds().map((/** @type {{text: string}} */ s) => s.text);
  const arb = withMutants
    ? fc.oneof(config, mutated(fc.constantFrom(...seedTexts), seedTexts), mutated(config, seedTexts))
    : config;
  // Through UTF-8 and back, as Packer reads the files: lone surrogates become U+FFFD for both sides.
  const samples = fc
    .sample(arb, { numRuns: n, seed })
    .map((/** @type {string} */ t) => Buffer.from(t).toString());
  const dir = mkdtempSync(join(tmpdir(), "fuzz-hcl-packer-"));
  const files = samples.map((_, i) => join(dir, `${i}.pkr.hcl`));
  for (const [i, text] of samples.entries()) writeFileSync(/** @type {string} */ (files[i]), text);
  // One run over the folder: Packer formats every file it can and names each one it refuses.
  const r = spawnSync(packer, ["fmt", dir], {
    env: { ...process.env, CHECKPOINT_DISABLE: "1" },
    encoding: "utf8",
  });
  const said = `${r.stdout}${r.stderr}`;
  const refused = new Set([...said.matchAll(/error while formatting (\S+\.pkr\.hcl)/g)].map((m) => m[1]));
  let bothRefuse = 0;
  let disagree = 0;
  let differ = 0;
  for (const [i, text] of samples.entries()) {
    const file = /** @type {string} */ (files[i]);
    const ours = engine.fn.formatHCL(text, `${i}.pkr.hcl`);
    const weRefuse = ours.diagnostics.some((/** @type {{severity: string}} */ d) => d.severity === "error");
    const theyRefuse = refused.has(file);
    if (weRefuse && theyRefuse) {
      bothRefuse++;
    } else if (weRefuse !== theyRefuse) {
      disagree++;
      if (disagree <= 3) {
        const why = weRefuse
          ? `kiln refuses it: ${ours.diagnostics[0]?.summary}`
          : "packer refuses it, kiln formats it";
        console.log(`case ${i}: ${why}\ninput  ${JSON.stringify(text)}`);
      }
    } else if (readFileSync(file, "utf8") !== ours.output) {
      differ++;
      if (differ <= 3) {
        console.log(`case ${i} formats differently:\ninput  ${JSON.stringify(text)}`);
        console.log(
          `packer ${JSON.stringify(readFileSync(file, "utf8"))}\nkiln   ${JSON.stringify(ours.output)}`,
        );
      }
    }
  }
  rmSync(dir, { recursive: true, force: true });
  console.log(
    `packer fmt vs formatHCL, seed ${seed}: ${n} ${withMutants ? "generated and mutated" : "generated"} files, ` +
      `${bothRefuse} refused by both, ${disagree} accepted by one only, ${differ} formatted differently`,
  );
  return disagree + differ + (withMutants ? 0 : bothRefuse) === 0 ? 0 : 1;
}

if (isMainThread) {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    console.error(`fuzz-hcl: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(2);
  }
  if (args.help === true) {
    console.log(readFileSync(fileURLToPath(import.meta.url), "utf8").split("*/")[0]);
    process.exit(0);
  }
  const code = args["packer-fmt"] !== undefined ? await packerFmtMain(args) : await fuzzMain(args);
  process.exit(code);
} else {
  await workerMain();
}
