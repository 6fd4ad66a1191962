// Loads dist/cli/bundle.cjs (made by scripts/bundle.mjs) as a CommonJS module, compiled with its V8 code cache
// when one is given and V8 accepts it (V8 silently compiles from source otherwise).
//
// Contract: the cache is valid only for the exact text compiled here, the wrapper included. scripts/bundle.mjs
// makes the cache through this same function, so change the two together.
"use strict";
const { readFileSync } = require("node:fs");
const { createRequire } = require("node:module");
const { dirname } = require("node:path");
const vm = require("node:vm");

/**
 * @param {string} bundlePath absolute path of bundle.cjs
 * @param {Buffer | undefined} cachedData
 * @returns {{ exports: Record<string, any>, script: import("node:vm").Script }}
 */
function loadBundle(bundlePath, cachedData) {
  // esbuild writes ASCII only (non-ASCII characters are escaped), so latin1 decoding is exact, and faster.
  const source = readFileSync(bundlePath, "latin1");
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
  const script = new vm.Script(wrapped, {
    filename: bundlePath,
    ...(cachedData === undefined ? {} : { cachedData }),
  });
  const module = { exports: {} };
  script.runInThisContext()(
    module.exports,
    createRequire(bundlePath),
    module,
    bundlePath,
    dirname(bundlePath),
  );
  return { exports: module.exports, script };
}

module.exports = { loadBundle };
