#!/usr/bin/env node
/**
 * Throughput of the HCL engine on one large template: lex + parse (parseConfig), lexing alone (lexConfig),
 * and parse + format (formatHCL), each timed over N runs in this process; prints the median in MB/s. Goal:
 * lex + parse >= 20 MB/s. Then, side by side, `kiln fmt -check` against `packer fmt -check` on the same file
 * (whole processes, startup included) as a ratio.
 *
 * The template (about 20,000 lines) is built from the real templates of the corpus: every `.pkr.hcl` file that
 * parses without errors, repeated in turn until the line count is reached; a file with top-level arguments
 * is wrapped in a block of its own so that repeating it does not redefine them.
 *
 *   npm run build && node bench/parse-throughput.mjs [--runs 15] [--lines 20000] [--cli-runs 5] [--corpus DIR]
 *                                                    [--save FILE]   (also write the template there, to profile)
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  corpusDir,
  importDist,
  intOption,
  KILN_BIN,
  option,
  PACKER_ENV,
  packerBin,
  REPO_ROOT,
} from "./lib/env.mjs";
import { alternate, timeFunction } from "./lib/run.mjs";
import { formatMs, formatRatio, formatTimes, mbPerSecond, median } from "./lib/stats.mjs";

const argv = process.argv.slice(2);
const runs = intOption(argv, "runs", 15);
const targetLines = intOption(argv, "lines", 20_000);
const cliRuns = intOption(argv, "cli-runs", 5);

const hcl = await importDist("hcl/index.js");

/** @param {string} dir @returns {string[]} */
function pkrFiles(dir) {
  /** @type {string[]} */
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...pkrFiles(p));
    else if (name.endsWith(".pkr.hcl")) out.push(p);
  }
  return out;
}

/** @param {readonly {severity: string}[]} diags */
const hasErrors = (diags) => diags.some((d) => d.severity === "error");

const corpus = corpusDir(argv);
const sourceDir = corpus ?? join(REPO_ROOT, "test", "golden", "fmt");
/** @type {string[]} */
const pieces = [];
for (const file of pkrFiles(sourceDir)) {
  let text = readFileSync(file, "utf8").replace(/^\uFEFF/, "");
  const parsed = hcl.parseConfig(text, file);
  if (hasErrors(parsed.diagnostics)) continue;
  if (!text.endsWith("\n")) text += "\n";
  if (parsed.body.attributes.size > 0) text = `fragment "${pieces.length}" {\n${text}}\n`;
  pieces.push(text);
}
if (pieces.length === 0) throw new Error(`no parseable .pkr.hcl files under ${sourceDir}`);

/** @type {string[]} */
const parts = [];
let lines = 0;
for (let i = 0; lines < targetLines; i++) {
  const piece = /** @type {string} */ (pieces[i % pieces.length]);
  parts.push(piece);
  lines += piece.split("\n").length - 1;
}
const template = parts.join("\n");
const bytes = Buffer.byteLength(template, "utf8");
const check = hcl.parseConfig(template, "big.pkr.hcl");
if (hasErrors(check.diagnostics)) {
  throw new Error(`the generated template does not parse: ${check.diagnostics[0]?.summary}`);
}
const formatted = hcl.formatHCL(template, "big.pkr.hcl");
if (hasErrors(formatted.diagnostics)) throw new Error("the generated template does not format");
const saveTo = option(argv, "save");
if (saveTo !== undefined) writeFileSync(saveTo, template);

console.log(
  `template: ${lines} lines, ${(bytes / 1e6).toFixed(2)} MB, from ${pieces.length} corpus files in ${sourceDir}`,
);
console.log(`engine: ${join(REPO_ROOT, "dist", "hcl")} (run \`npm run build\` after changing src/)`);
console.log(`in-process, ${runs} timed runs after 3 warm-up runs each:`);

/** @param {string} label @param {() => unknown} fn @param {number} [goal] */
function measure(label, fn, goal) {
  const times = timeFunction(fn, runs);
  const rate = mbPerSecond(bytes, median(times));
  const verdict = goal === undefined ? "" : ` (goal >= ${goal} MB/s: ${rate >= goal ? "met" : "NOT met"})`;
  console.log(`  ${label.padEnd(22)} ${rate.toFixed(1).padStart(6)} MB/s${verdict}; ${formatTimes(times)}`);
  return rate;
}

measure("lex + parse", () => hcl.parseConfig(template, "big.pkr.hcl"), 20);
measure("lex only", () => hcl.lexConfig(template, "big.pkr.hcl"));
measure("parse + format", () => hcl.formatHCL(template, "big.pkr.hcl"));

// Whole commands on the same file: kiln's and Packer's `fmt -check`, alternately.
const packer = packerBin();
if (packer === undefined) {
  console.log("packer not found: skipping the fmt -check comparison");
} else if (!existsSync(KILN_BIN)) {
  console.log(`${KILN_BIN} not found: skipping the fmt -check comparison`);
} else {
  const dir = mkdtempSync(join(tmpdir(), "kiln-bench-"));
  try {
    const file = join(dir, "big.pkr.hcl");
    writeFileSync(file, template);
    const results = alternate(
      [
        { name: "kiln", file: process.execPath, args: [KILN_BIN, "fmt", "-check", file] },
        { name: "packer", file: packer, args: ["fmt", "-check", file], env: PACKER_ENV },
      ],
      cliRuns,
    );
    const kiln = results.get("kiln") ?? [];
    const pk = results.get("packer") ?? [];
    const codes = `exit codes kiln ${kiln[0]?.status}, packer ${pk[0]?.status}`;
    console.log(`fmt -check of the template, whole process, alternating (${codes}):`);
    console.log(`  kiln   ${formatTimes(kiln.map((r) => r.ms))}`);
    console.log(`  packer ${formatTimes(pk.map((r) => r.ms))}`);
    if (kiln[0]?.status !== pk[0]?.status) {
      console.log("  exit codes differ: no ratio");
    } else {
      const k = median(kiln.map((r) => r.ms));
      const p = median(pk.map((r) => r.ms));
      console.log(`  ${formatRatio("kiln/packer", k / p)} (${formatMs(k)} / ${formatMs(p)})`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
