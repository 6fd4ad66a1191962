#!/usr/bin/env node
/**
 * Start-up cost of the kiln CLI as whole processes, against `node -e 0` (the floor) and Packer 1.6.6:
 *
 *  - `kiln version` vs `packer version`;
 *  - `kiln -h` (the command list) vs `packer -h`;
 *  - `kiln validate -syntax-only` vs `packer validate -syntax-only` on one small template.
 *
 * Every group runs alternately after one warm-up; medians and the ratio kiln/packer are printed.
 *
 *   npm run build && node bench/startup.mjs [--runs 9]
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { intOption, KILN_BIN, PACKER_ENV, packerBin } from "./lib/env.mjs";
import { alternate } from "./lib/run.mjs";
import { formatRatio, formatTimes, median } from "./lib/stats.mjs";

const argv = process.argv.slice(2);
const runs = intOption(argv, "runs", 9);
const packer = packerBin();
if (packer === undefined) {
  console.error("startup: packer not found (/usr/bin/packer or PATH)");
  process.exit(2);
}

const dir = mkdtempSync(join(tmpdir(), "kiln-startup-"));
const template = join(dir, "t.pkr.hcl");
writeFileSync(
  template,
  'variable "name" {\n  default = "x"\n}\n\nsource "null" "a" {\n  communicator = "none"\n}\n\n' +
    'build {\n  sources = ["source.null.a"]\n\n  provisioner "shell-local" {\n    inline = ["echo hello"]\n  }\n}\n',
);

/**
 * @param {string} title
 * @param {readonly string[]} args
 */
function compare(title, args) {
  const cmds = [
    { name: "node", file: process.execPath, args: ["-e", "0"] },
    { name: "kiln", file: process.execPath, args: [KILN_BIN, ...args], cwd: dir },
    { name: "packer", file: packer ?? "packer", args, env: PACKER_ENV, cwd: dir },
  ];
  const results = alternate(cmds, runs);
  console.log(`${title}, ${runs} runs each, alternating`);
  for (const c of cmds) {
    const rs = results.get(c.name) ?? [];
    console.log(`  ${c.name.padEnd(6)} ${formatTimes(rs.map((r) => r.ms))}, exit ${rs[0]?.status}`);
  }
  const k = median((results.get("kiln") ?? []).map((r) => r.ms));
  const p = median((results.get("packer") ?? []).map((r) => r.ms));
  console.log(`  ${formatRatio("kiln/packer", k / p)}`);
  return k / p;
}

try {
  const version = compare("version", ["version"]);
  const list = compare("command list (-h)", ["-h"]);
  const validate = compare("validate -syntax-only", ["validate", "-syntax-only", template]);
  console.log(
    `\nratios kiln/packer: version ${version.toFixed(2)}, -h ${list.toFixed(2)}, validate ${validate.toFixed(2)}`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
