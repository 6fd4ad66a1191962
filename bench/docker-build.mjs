#!/usr/bin/env node
/**
 * A docker build with kiln against the same build with Packer 1.6.6, as whole processes on the local engine:
 * bench/templates/docker-build (a busybox container, shell and file provisioners, commit, docker-tag), run
 * in its directory as `build -var repository=kiln-bench/<tool> .`.
 *
 * kiln and Packer run alternately (kiln, packer, packer, kiln, ...) after one untimed warm-up each; after every
 * run, untimed, the tagged image is removed again (the tag is its only name, so the image goes with it). The
 * medians and the ratio kiln/packer are printed. Goal: ratio <= 0.7. Beside the wall times it prints the build
 * times both tools report (`Build 'x' finished after ...`), which leave out process startup and template
 * loading. While `kiln build` is not implemented the harness says so and stops.
 *
 * With --repeat N the whole measurement (runs per tool, alternating) is made N times and each one's medians
 * and ratio are printed, then the median of the N ratios: on a shared, noisy machine one ratio says little.
 *
 *   npm run build && node bench/docker-build.mjs [--runs 5] [--repeat 1]
 */
import { existsSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import { intOption, KILN_BIN, PACKER_ENV, packerBin, REPO_ROOT } from "./lib/env.mjs";
import { reportedBuildMs, timeCommand } from "./lib/run.mjs";
import { formatMs, formatRatio, formatTimes, median } from "./lib/stats.mjs";

const argv = process.argv.slice(2);
const runs = intOption(argv, "runs", 5);
const repeat = intOption(argv, "repeat", 1);
const GOAL = 0.7;
const TEMPLATE_DIR = join(REPO_ROOT, "bench", "templates", "docker-build");
const SOCKET = (process.env.DOCKER_HOST ?? "unix:///var/run/docker.sock").replace(/^unix:\/\//, "");

if (!existsSync(join(REPO_ROOT, "dist", "cli", "main.js"))) {
  console.error("docker-build: dist/ is missing: run `npm run build` first");
  process.exit(2);
}

const packer = packerBin();
if (packer === undefined) {
  console.error("docker-build: packer not found (/usr/bin/packer or PATH)");
  process.exit(2);
}

/**
 * One call to the engine's API on its unix socket.
 * @param {string} method
 * @param {string} path
 * @returns {Promise<{status: number, body: string}>}
 */
function engine(method, path) {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: SOCKET, method, path, timeout: 30_000 }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c) => {
        body += c;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("timeout", () => req.destroy(new Error("no answer from the engine")));
    req.on("error", reject);
    req.end();
  });
}

try {
  const ping = await engine("GET", "/_ping");
  if (ping.body !== "OK") throw new Error(`/_ping answered ${ping.status}`);
  const image = await engine("GET", "/images/kiln-test/busybox:latest/json");
  if (image.status !== 200) throw new Error("the image kiln-test/busybox:latest is missing");
} catch (err) {
  console.error(
    `docker-build: the Docker engine is not ready (${err.message}): run scripts/test-env.sh (as root)`,
  );
  process.exit(2);
}

/**
 * @param {"kiln" | "packer"} tool
 * @returns {import("./lib/run.mjs").Command}
 */
function command(tool) {
  const args = ["build", "-var", `repository=kiln-bench/${tool}`, "."];
  return tool === "kiln"
    ? { name: "kiln", file: process.execPath, args: [KILN_BIN, ...args], cwd: TEMPLATE_DIR }
    : { name: "packer", file: packer ?? "packer", args, env: PACKER_ENV, cwd: TEMPLATE_DIR };
}

/** Removes what a run left: its tag, and with it the committed image. */
async function clean(tool) {
  await engine("DELETE", `/images/kiln-bench/${tool}:bench`);
}

/**
 * Runs and times a tool once, cleans up after it, and checks that it built.
 * @param {"kiln" | "packer"} tool
 */
async function once(tool) {
  const r = timeCommand(command(tool));
  await clean(tool);
  return r;
}

// Warm-up, and the check that kiln can build at all.
const warm = await once("kiln");
const kilnSaid = `${warm.stdout}${warm.stderr}`;
if (warm.status !== 0 && /not implemented/i.test(kilnSaid)) {
  console.log("docker-build: kiln build not implemented yet");
  process.exit(0);
}
if (warm.status !== 0) {
  console.log(`docker-build: kiln build failed (exit ${warm.status}):`);
  console.log(kilnSaid.trim().split("\n").slice(-15).join("\n"));
  process.exit(1);
}
const warmPacker = await once("packer");
if (warmPacker.status !== 0) {
  console.log(`docker-build: packer build failed (exit ${warmPacker.status}):`);
  console.log(`${warmPacker.stdout}${warmPacker.stderr}`.trim().split("\n").slice(-15).join("\n"));
  process.exit(1);
}

/**
 * One measurement: `runs` timed builds per tool, alternating; prints the medians and returns the wall-time
 * ratio kiln/packer.
 * @param {string} label
 * @returns {Promise<number>}
 */
async function measure(label) {
  /** @type {Record<string, number[]>} */
  const times = { kiln: [], packer: [] };
  /** @type {Record<string, number[]>} */
  const reported = { kiln: [], packer: [] };
  for (let round = 0; round < runs; round++) {
    // Swap the order every round, so neither side always runs right after the other.
    const order = round % 2 === 0 ? ["kiln", "packer"] : ["packer", "kiln"];
    for (const tool of order) {
      const r = await once(/** @type {"kiln" | "packer"} */ (tool));
      if (r.status !== 0) {
        console.log(`docker-build: ${tool} build failed in round ${round + 1} (exit ${r.status})`);
        process.exit(1);
      }
      times[tool]?.push(r.ms);
      const built = reportedBuildMs(r.stdout);
      if (built !== undefined) reported[tool]?.push(built);
    }
  }

  const k = median(times.kiln ?? []);
  const p = median(times.packer ?? []);
  console.log(`docker build (${TEMPLATE_DIR}), ${runs} runs each, alternating${label}`);
  console.log(`  kiln   ${formatTimes(times.kiln ?? [])}`);
  console.log(`  packer ${formatTimes(times.packer ?? [])}`);
  console.log(`  ${formatRatio("kiln/packer", k / p, { atMost: GOAL })} (${formatMs(k)} / ${formatMs(p)})`);
  const rk = reported.kiln ?? [];
  const rp = reported.packer ?? [];
  if (rk.length > 0 && rp.length > 0) {
    console.log("build time as reported (`Build 'x' finished after ...`: no startup, no template loading)");
    console.log(`  kiln   ${formatTimes(rk)}`);
    console.log(`  packer ${formatTimes(rp)}`);
    console.log(`  kiln/packer = ${(median(rk) / median(rp)).toFixed(2)}`);
  }
  return k / p;
}

const ratios = [];
for (let i = 0; i < repeat; i++)
  ratios.push(await measure(repeat > 1 ? ` (measurement ${i + 1} of ${repeat})` : ""));
if (repeat > 1) {
  console.log(
    `${formatRatio(`median of ${repeat} kiln/packer ratios`, median(ratios), { atMost: GOAL })} (each: ${ratios.map((r) => r.toFixed(2)).join(", ")})`,
  );
}
