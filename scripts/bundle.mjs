#!/usr/bin/env node
/**
 * Packs the compiled CLI (dist/cli/main.js and everything it imports) into one CommonJS file,
 * dist/cli/bundle.cjs, and writes a V8 code cache for it, dist/cli/bundle.cache. bin/kiln.js runs the bundle
 * with that cache when both exist.
 *
 * Why: a Node process spends most of a short command (`kiln validate`, `kiln version`) resolving, reading and
 * compiling a few hundred ES modules. One file compiled from a code cache skips nearly all of it.
 *
 * - The bundle sits in dist/cli so that `import.meta.url`-relative paths of dist/cli modules (package.json for
 *   the version) stay right; `import.meta.url` is defined as the bundle's own URL.
 * - ssh2 (and its optional native cpu-features) stays outside: it loads a native addon by relative path and is
 *   only needed once a build connects over SSH. It is required lazily from node_modules, as before.
 * - Dynamic `import()`s inside dist become lazy module initialisers in the bundle, so commands and heavy
 *   dependencies still load only when used.
 * - The code cache is made after a warm-up in a child process (`node scripts/bundle.mjs --warm`) that runs the
 *   short commands on a sample template, so the functions those commands call are compiled into the cache too.
 *   V8 rejects a cache made by another V8 version or with other flags; bin/kiln.js then compiles from source.
 *
 *   node scripts/bundle.mjs          # bundle + code cache (part of `npm run build`)
 */
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { PassThrough, Writable } from "node:stream";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bundlePath = join(root, "dist", "cli", "bundle.cjs");
const cachePath = join(root, "dist", "cli", "bundle.cache");

async function bundle() {
  const esbuild = await import("esbuild");
  rmSync(cachePath, { force: true });
  await esbuild.build({
    entryPoints: [join(root, "dist", "cli", "main.js")],
    outfile: bundlePath,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    external: ["ssh2", "cpu-features"],
    define: { "import.meta.url": "__kilnBundleUrl" },
    banner: { js: 'const __kilnBundleUrl = require("node:url").pathToFileURL(__filename).href;' },
    // Smaller source is less to read and hash at every start; names are kept, and the source map (used when
    // PACKER_LOG turns source maps on) leads back to src/.
    minifyWhitespace: true,
    charset: "ascii", // bin/bundle-loader.js reads the bundle as latin1
    minifySyntax: true,
    sourcemap: true,
    logLevel: "warning",
    legalComments: "none",
  });
  // A script compiled by vm.Script has no loader for `import()` (Node's fallback is experimental and warns), so
  // every dynamic import must have been bundled; one left over (a Node built-in, an external) would fail at run
  // time. Built-ins are loaded with a static import or createRequire instead.
  const leftover = readFileSync(bundlePath, "latin1").match(/\bimport\((["'`])[^"'`]+\1\)/g);
  if (leftover !== null) {
    console.error(`bundle: dynamic import left in dist/cli/bundle.cjs: ${[...new Set(leftover)].join(", ")}`);
    process.exit(1);
  }
  const warm = spawnSync(process.execPath, [fileURLToPath(import.meta.url), "--warm"], {
    cwd: root,
    stdio: ["ignore", "inherit", "inherit"],
  });
  if (warm.status !== 0) {
    console.error("bundle: warm-up failed; the bundle runs without a code cache");
    process.exitCode = 1;
  }
}

class Sink extends Writable {
  _write(_chunk, _enc, done) {
    done();
  }
}

/** Runs the short commands once inside the bundle, then saves the code cache of everything compiled. */
async function warm() {
  const { loadBundle } = createRequire(import.meta.url)("../bin/bundle-loader.js");
  const { exports, script } = loadBundle(bundlePath, undefined);
  const { main } = exports;
  const sample = join(root, "examples", "hello");
  const io = () => {
    const stdin = new PassThrough();
    stdin.end();
    return {
      stdout: new Sink(),
      stderr: new Sink(),
      stdin,
      env: { PATH: process.env.PATH ?? "" },
      cwd: sample,
    };
  };
  for (const argv of [
    ["version"],
    ["validate", "-syntax-only", "."],
    ["validate", "."],
    ["inspect", "."],
    ["fmt", "-check", "."],
    ["nope"],
  ]) {
    await main(argv, io());
  }
  writeFileSync(cachePath, script.createCachedData());
}

if (process.argv.includes("--warm")) await warm();
else await bundle();
