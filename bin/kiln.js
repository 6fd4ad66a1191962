#!/usr/bin/env node
// Entry point. Runs the bundled CLI (dist/cli/bundle.cjs, compiled from its V8 code cache; see
// scripts/bundle.mjs) when the build made one, else the compiled ES modules under dist/cli.
//
// This file and bundle-loader.js are CommonJS (bin/package.json) because the ES module loader costs several
// milliseconds of start-up that a short command like `kiln validate` notices. Source maps are turned on only
// with debug logging (PACKER_LOG): reading them costs start-up time and only internal stack traces use them.
"use strict";
const { readFileSync, statSync } = require("node:fs");
const { join } = require("node:path");
const { pathToFileURL } = require("node:url");

const cli = join(__dirname, "..", "dist", "cli");
if (process.env.PACKER_LOG && process.env.PACKER_LOG !== "0") process.setSourceMapsEnabled(true);

/** Modification time of a file, or undefined when it is missing. */
function mtime(path) {
  return statSync(path, { throwIfNoEntry: false })?.mtimeMs;
}

async function loadMain() {
  const bundle = join(cli, "bundle.cjs");
  const main = join(cli, "main.js");
  // A bundle older than the compiled modules is stale (tsc ran without scripts/bundle.mjs): skip it.
  const bundleTime = mtime(bundle);
  if (bundleTime !== undefined && bundleTime >= (mtime(main) ?? 0)) {
    const cache = join(cli, "bundle.cache");
    const cachedData = mtime(cache) === undefined ? undefined : readFileSync(cache);
    return require("./bundle-loader.js").loadBundle(bundle, cachedData).exports.main;
  }
  return (await import(pathToFileURL(main).href)).main;
}

loadMain()
  .then((main) => main(process.argv.slice(2)))
  .then((code) => {
    process.exitCode = code;
  });
