/**
 * Where the benchmarks find things: the repository, its compiled engine and CLI, the template corpus (the
 * `shared/corpus` folder beside the repository, or --corpus), Packer 1.6.6 (/usr/bin/packer, or on PATH), and
 * the services of the test environment (scripts/test-env.sh's env.json).
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** The repository root (this file is bench/lib/env.mjs). */
export const REPO_ROOT = resolve(fileURLToPath(new URL("../../", import.meta.url)));

/** The CLI shim, which runs the compiled dist/cli. */
export const KILN_BIN = join(REPO_ROOT, "bin", "kiln.js");

/** Environment for Packer: no update check over the network. */
export const PACKER_ENV = { ...process.env, CHECKPOINT_DISABLE: "1" };

/**
 * The value of `--name value` or `--name=value` in argv, or undefined.
 * @param {readonly string[]} argv
 * @param {string} name
 * @returns {string | undefined}
 */
export function option(argv, name) {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? "";
    if (a === `--${name}`) return argv[i + 1];
    if (a.startsWith(`--${name}=`)) return a.slice(name.length + 3);
  }
  return undefined;
}

/**
 * An integer option with a default.
 * @param {readonly string[]} argv
 * @param {string} name
 * @param {number} dflt
 * @returns {number}
 */
export function intOption(argv, name, dflt) {
  const v = option(argv, name);
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`--${name} needs a positive integer, got ${v}`);
  return n;
}

/**
 * The corpus folder, or undefined when it is absent.
 * @param {readonly string[]} argv
 * @returns {string | undefined}
 */
export function corpusDir(argv) {
  const dir = resolve(option(argv, "corpus") ?? join(REPO_ROOT, "..", "shared", "corpus"));
  return existsSync(join(dir, "INDEX.tsv")) ? dir : undefined;
}

/** The Packer binary, or undefined. */
export function packerBin() {
  if (existsSync("/usr/bin/packer")) return "/usr/bin/packer";
  for (const d of (process.env.PATH ?? "").split(":")) {
    if (d !== "" && existsSync(join(d, "packer"))) return join(d, "packer");
  }
  return undefined;
}

/**
 * Imports a module of the compiled engine, failing with a clear message when `npm run build` has not run.
 * @param {string} rel  path under dist/, e.g. "hcl/index.js"
 * @returns {Promise<any>}
 */
export async function importDist(rel) {
  const file = join(REPO_ROOT, "dist", rel);
  if (!existsSync(file)) {
    throw new Error(`${file} is missing: run \`npm run build\` first`);
  }
  return import(pathToFileURL(file).href);
}

/**
 * The test environment's description (scripts/test-env.sh writes `$KILN_TEST_STATE/env.json`, default
 * /var/lib/kiln-test), or undefined when it was never set up here.
 * @returns {any}
 */
export function testEnvironment() {
  const file = join(process.env.KILN_TEST_STATE ?? "/var/lib/kiln-test", "env.json");
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, "utf8"));
}
