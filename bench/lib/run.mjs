/**
 * Timing of commands and functions. Commands compared with each other run alternately (A B A B ...), after
 * one untimed warm-up each, so that a slow phase of the shared machine hits both sides alike.
 */
import { spawnSync } from "node:child_process";

/**
 * @typedef {object} Command
 * @property {string} name
 * @property {string} file           the program
 * @property {readonly string[]} args
 * @property {string} [cwd]
 * @property {NodeJS.ProcessEnv} [env]
 */

/**
 * @typedef {object} CommandRun
 * @property {number} ms       wall time, from spawn to exit
 * @property {number | null} status
 * @property {string} stdout
 * @property {string} stderr
 */

/**
 * Runs a command once, to completion, and times it.
 * @param {Command} cmd
 * @returns {CommandRun}
 */
export function timeCommand(cmd) {
  const started = performance.now();
  const r = spawnSync(cmd.file, cmd.args, {
    cwd: cmd.cwd,
    env: cmd.env ?? process.env,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    timeout: 120_000,
  });
  const ms = performance.now() - started;
  if (r.error !== undefined) throw new Error(`${cmd.name}: cannot run ${cmd.file}: ${r.error.message}`);
  return { ms, status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Runs the commands alternately `runs` times each (after `warmup` untimed rounds) and returns every timed run
 * per command name, in order.
 * @param {readonly Command[]} cmds
 * @param {number} runs
 * @param {{warmup?: number}} [opts]
 * @returns {Map<string, CommandRun[]>}
 */
export function alternate(cmds, runs, opts = {}) {
  const warmup = opts.warmup ?? 1;
  /** @type {Map<string, CommandRun[]>} */
  const out = new Map(cmds.map((c) => [c.name, []]));
  for (let round = 0; round < warmup + runs; round++) {
    // Swap the order every round, so neither side always runs right after the other.
    const order = round % 2 === 0 ? cmds : [...cmds].reverse();
    for (const c of order) {
      const r = timeCommand(c);
      if (round >= warmup) out.get(c.name)?.push(r);
    }
  }
  return out;
}

/**
 * Times a synchronous function: `warmup` untimed calls, then `runs` timed ones. Returns the times in ms.
 * @param {() => unknown} fn
 * @param {number} runs
 * @param {{warmup?: number}} [opts]
 * @returns {number[]}
 */
export function timeFunction(fn, runs, opts = {}) {
  for (let i = 0; i < (opts.warmup ?? 3); i++) fn();
  /** @type {number[]} */
  const times = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    fn();
    times.push(performance.now() - started);
  }
  return times;
}

/** Milliseconds per unit of Packer's durations (`1 minute 2 seconds 137 milliseconds 5 microseconds`). */
const DURATION_UNIT_MS = {
  hour: 3_600_000,
  hours: 3_600_000,
  minute: 60_000,
  minutes: 60_000,
  second: 1000,
  seconds: 1000,
  millisecond: 1,
  milliseconds: 1,
  microsecond: 0.001,
  microseconds: 0.001,
};

/**
 * The build time a `build` run reported (`Build 'null.x' finished after 1 second 137 milliseconds.`, the
 * first such line), in ms: the build itself, without process start-up and template loading. Undefined when
 * the output has no such line (the build failed).
 * @param {string} output
 * @returns {number | undefined}
 */
export function reportedBuildMs(output) {
  const m = /Build '[^']*' finished after ([^.]+)\./.exec(output.replace(/\x1b\[[0-9;]*m/g, ""));
  if (m === null) return undefined;
  let ms = 0;
  for (const [, n, unit] of (m[1] ?? "").matchAll(/(\d+) (\w+)/g)) {
    ms += Number(n) * (DURATION_UNIT_MS[/** @type {keyof typeof DURATION_UNIT_MS} */ (unit)] ?? Number.NaN);
  }
  return ms;
}
