#!/usr/bin/env node
/**
 * kiln against Packer 1.6.6, side by side, as whole processes (startup included):
 *
 *  0. the floor: an empty Node process vs `packer version` (no kiln command can start faster than Node);
 *  1. startup: `kiln version` vs `packer version`;
 *  2. `validate -syntax-only` on the largest HCL2 templates of the corpus that Packer 1.6.6 validates with
 *     exit code 0 (packer166-results.tsv), run in the same directory with the same argument Packer was.
 *
 * Each pair runs alternately (kiln, packer, packer, kiln, ...) after one warm-up each; medians and the ratio
 * kiln/packer are printed. Goal: validate ratio <= 0.8. A ratio is printed only when both exit alike; while
 * `kiln validate` is not implemented the harness says so instead.
 *
 *   npm run build && node bench/validate-vs-packer.mjs [--runs 7] [--templates 5] [--corpus DIR]
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { corpusDir, intOption, KILN_BIN, PACKER_ENV, packerBin } from "./lib/env.mjs";
import { alternate } from "./lib/run.mjs";
import { formatMs, formatRatio, formatTimes, median } from "./lib/stats.mjs";

const argv = process.argv.slice(2);
const runs = intOption(argv, "runs", 7);
const templateCount = intOption(argv, "templates", 5);
const GOAL = 0.8;

const packer = packerBin();
if (packer === undefined) {
  console.error("validate-vs-packer: packer not found (/usr/bin/packer or PATH)");
  process.exit(2);
}

/**
 * @param {string} name
 * @param {readonly string[]} args
 * @param {string} [cwd]
 * @returns {import("./lib/run.mjs").Command[]}
 */
function pair(name, args, cwd) {
  return [
    {
      name: "kiln",
      file: process.execPath,
      args: [KILN_BIN, name, ...args],
      ...(cwd === undefined ? {} : { cwd }),
    },
    {
      name: "packer",
      file: packer ?? "packer",
      args: [name, ...args],
      env: PACKER_ENV,
      ...(cwd === undefined ? {} : { cwd }),
    },
  ];
}

/**
 * Times a kiln/packer pair and prints medians and the ratio, or why there is none.
 * @param {string} title
 * @param {import("./lib/run.mjs").Command[]} cmds
 * @param {{atMost?: number}} goal
 * @param {string} [label] what the ratio compares (the first command's name over the second's)
 * @returns {number | "not implemented" | "exit codes differ"}
 */
function compare(title, cmds, goal, label = "kiln/packer") {
  const results = alternate(cmds, runs);
  const kiln = results.get("kiln") ?? [];
  const pk = results.get("packer") ?? [];
  const k = median(kiln.map((r) => r.ms));
  const p = median(pk.map((r) => r.ms));
  console.log(title);
  console.log(`  kiln   ${formatTimes(kiln.map((r) => r.ms))}, exit ${kiln[0]?.status}`);
  console.log(`  packer ${formatTimes(pk.map((r) => r.ms))}, exit ${pk[0]?.status}`);
  const kilnOut = `${kiln[0]?.stdout ?? ""}${kiln[0]?.stderr ?? ""}`;
  if (kiln[0]?.status !== 0 && /not implemented/i.test(kilnOut)) {
    console.log(`  kiln ${cmds[0]?.args[1]} not implemented yet`);
    return "not implemented";
  }
  if (kiln[0]?.status !== pk[0]?.status) {
    console.log(
      `  exit codes differ, so no ratio; kiln said: ${kilnOut.trim().split("\n").slice(0, 3).join(" | ")}`,
    );
    return "exit codes differ";
  }
  console.log(`  ${formatRatio(label, k / p, goal)} (${formatMs(k)} / ${formatMs(p)})`);
  return k / p;
}

// 0. The floor: how long Node itself takes to start and exit, doing nothing, against Packer's shortest
// command. No kiln command can take less than this.
compare(
  `floor: an empty Node process (\`node -e ""\`) vs \`packer version\`, ${runs} runs each, alternating`,
  [
    { name: "kiln", file: process.execPath, args: ["-e", ""] },
    { name: "packer", file: packer ?? "packer", args: ["version"], env: PACKER_ENV },
  ],
  {},
  "node/packer",
);

// 1. Startup.
compare(
  `startup: \`kiln version\` vs \`packer version\`, ${runs} runs each, alternating`,
  pair("version", []),
  {},
);

// 2. validate -syntax-only on the largest templates Packer 1.6.6 accepts.
const corpus = corpusDir(argv);
if (corpus === undefined) {
  console.log(
    "corpus not found (../shared/corpus beside the repository, or --corpus DIR): skipping validate",
  );
  process.exit(0);
}

/**
 * @param {string} text
 * @returns {Record<string, string>[]}
 */
function readTsv(text) {
  const [head, ...rows] = text.trimEnd().split("\n");
  const cols = (head ?? "").split("\t");
  return rows.map((row) => {
    const cells = row.split("\t");
    return Object.fromEntries(cols.map((c, i) => [c, cells[i] ?? ""]));
  });
}

/** @type {{path: string, cwd: string, arg: string, bytes: number}[]} */
const candidates = [];
for (const row of readTsv(readFileSync(join(corpus, "packer166-results.tsv"), "utf8"))) {
  const casePath = row.case_path ?? "";
  if (row.validate_syntax_only_rc !== "0" || row.format !== "hcl2") continue;
  const full = join(corpus, casePath);
  if (casePath.endsWith("/")) {
    const files = readdirSync(full).filter((f) => f.endsWith(".pkr.hcl"));
    // Only directories of HCL templates: no JSON templates and no var files beside them.
    if (
      files.length === 0 ||
      readdirSync(full).some((f) => f.endsWith(".json") || f.endsWith(".pkrvars.hcl"))
    )
      continue;
    const bytes = files.reduce((n, f) => n + statSync(join(full, f)).size, 0);
    candidates.push({ path: casePath, cwd: full, arg: ".", bytes });
  } else if (casePath.endsWith(".pkr.hcl")) {
    candidates.push({ path: casePath, cwd: dirname(full), arg: basename(full), bytes: statSync(full).size });
  }
}
candidates.sort((a, b) => b.bytes - a.bytes || a.path.localeCompare(b.path));
const chosen = candidates.slice(0, templateCount);

console.log(
  `\nvalidate -syntax-only: the ${chosen.length} largest .pkr.hcl templates Packer 1.6.6 validates (rc 0)`,
);
/** @type {number[]} */
const ratios = [];
/** @type {Set<string>} */
const reasons = new Set();
for (const c of chosen) {
  const result = compare(
    `${c.path} (${c.bytes} bytes), ${runs} runs each, alternating`,
    pair("validate", ["-syntax-only", c.arg], c.cwd),
    { atMost: GOAL },
  );
  if (typeof result === "number") ratios.push(result);
  else reasons.add(result);
}
console.log("");
if (reasons.has("not implemented")) console.log("validate: kiln validate not implemented yet");
else if (reasons.size > 0)
  console.log(`validate: ${reasons.size} template(s) without a ratio (exit codes differ)`);
if (ratios.length > 0) {
  console.log(
    `validate, median over templates: ${formatRatio("kiln/packer", median(ratios), { atMost: GOAL })}`,
  );
}
