/**
 * The HCL engine under test, loaded module by module so the same harness runs against the compiled `dist/hcl`
 * (scripts/fuzz-hcl.mjs) and against `src/hcl` (the vitest sample). `importModule(rel)` imports a module by
 * its path relative to the hcl folder, written as in dist (`syntax/index.js`).
 *
 * Every entry point the fuzzer drives is one row of TARGETS. A row whose module or export does not exist yet
 * is reported as missing and skipped, so a new part of the engine is fuzzed by adding one row (or, for the
 * rows below marked optional, simply by landing the module).
 */

/**
 * @typedef {object} Target
 * @property {string} name         what reports call it
 * @property {string} module       path under the hcl folder, as in dist
 * @property {string} export       the exported function
 * @property {boolean} [optional]  missing is expected (the module is not written yet)
 * @property {boolean} [data]      the export is a value (a table), not a function
 * @property {(exported: any) => Record<string, unknown>} [table]  functions this row adds to evaluation contexts
 */

/** @type {readonly Target[]} */
export const TARGETS = [
  { name: "lexConfig", module: "syntax/index.js", export: "lexConfig" },
  { name: "lexTemplate", module: "syntax/index.js", export: "lexTemplate" },
  { name: "parseConfig", module: "syntax/index.js", export: "parseConfig" },
  { name: "parseExpression", module: "syntax/index.js", export: "parseExpression" },
  { name: "parseTemplate", module: "syntax/index.js", export: "parseTemplate" },
  { name: "variables", module: "syntax/index.js", export: "variables" },
  { name: "formatHCL", module: "write/index.js", export: "formatHCL" },
  // Value constructors, for building evaluation contexts.
  { name: "values", module: "value/index.js", export: "objectVal" },
  // Expression evaluation: `evaluate(expr, ctx) -> {value, diagnostics}`.
  { name: "evaluate", module: "eval/index.js", export: "evaluate", optional: true },
  // The syntax-agnostic Body over a native-syntax body (decode/body.ts): `nativeBody(body) -> Body`.
  { name: "nativeBody", module: "decode/index.js", export: "nativeBody", optional: true },
  // JSON syntax: `parseJSON(src, filename) -> {body, diagnostics}`.
  { name: "parseJSON", module: "json/index.js", export: "parseJSON", optional: true },
  // Functions for evaluation contexts: each row adds its functions to the table (`table` maps the export to
  // name -> FunctionSpec). Packer's whole table (eval/functions/index.js, packerFunctions) is not used: its
  // filesystem functions and templatefile would read whatever paths fuzzed input names (/dev/zero, a huge
  // tree), and the remote family goes to the network. Every other family is here.
  fnRow("string", "eval/functions/string.js", "stringFunctions", (t) => t),
  fnRow("collection", "eval/functions/collection.js", "collectionFunctions", (t) => t),
  fnRow("numeric", "eval/functions/numeric.js", "numericFunctions", (t) => t),
  fnRow("encoding", "eval/functions/encoding.js", "encodingFunctions", (t) => t),
  fnRow("regex", "eval/functions/regex.js", "regexFunctions", (t) => t),
  fnRow("crypto", "eval/functions/crypto.js", "cryptoFunctions", (t) => t),
  fnRow("uuid", "eval/functions/uuid.js", "uuidFunctions", (t) => t),
  fnRow("network", "eval/functions/network.js", "networkFunctions", (t) => t),
  fnRow("datetime", "eval/functions/datetime.js", "makeDatetimeFunctions", (make) =>
    make({ startTime: new Date(0), now: () => new Date(0) }),
  ),
  fnRow("try", "eval/index.js", "tryFunction", (f) => ({ try: f })),
  fnRow("can", "eval/index.js", "canFunction", (f) => ({ can: f })),
  fnRow("convert", "eval/index.js", "convertFunction", (f) => ({ convert: f })),
];

/**
 * A row contributing functions to the evaluation context's table.
 * @param {string} family
 * @param {string} module
 * @param {string} exportName
 * @param {(exported: any) => Record<string, unknown>} table
 * @returns {Target}
 */
function fnRow(family, module, exportName, table) {
  return { name: `functions:${family}`, module, export: exportName, optional: true, data: true, table };
}

/**
 * @typedef {object} Engine
 * @property {Record<string, any>} fn   every target found, by name
 * @property {Record<string, unknown>} modules  the loaded modules, by path
 * @property {string[]} active   target names found
 * @property {string[]} missing  target names not found, with the reason
 * @property {Map<string, unknown>} functions  the function table for evaluation contexts
 */

/**
 * Loads every target. Never throws for a missing optional module; a missing required one is an error, since
 * the harness would silently test less than it says.
 * @param {(rel: string) => Promise<Record<string, unknown>>} importModule
 * @returns {Promise<Engine>}
 */
export async function loadEngine(importModule) {
  /** @type {Record<string, Record<string, unknown> | Error>} */
  const cache = {};
  /** @type {Engine} */
  const engine = { fn: {}, modules: {}, active: [], missing: [], functions: new Map() };
  for (const t of TARGETS) {
    if (!(t.module in cache)) {
      try {
        cache[t.module] = await importModule(t.module);
      } catch (err) {
        cache[t.module] = err instanceof Error ? err : new Error(String(err));
      }
    }
    const mod = cache[t.module];
    if (mod instanceof Error) {
      if (!t.optional) throw new Error(`fuzz target ${t.name}: cannot load ${t.module}: ${mod.message}`);
      engine.missing.push(`${t.name} (${t.module} not found)`);
      continue;
    }
    engine.modules[t.module] = mod;
    const f = mod?.[t.export];
    if (t.data === true ? f === undefined : typeof f !== "function") {
      if (!t.optional) throw new Error(`fuzz target ${t.name}: ${t.module} has no export ${t.export}`);
      engine.missing.push(`${t.name} (${t.module} has no ${t.export})`);
      continue;
    }
    engine.fn[t.name] = /** @type {any} */ (f);
    engine.active.push(t.name);
    if (t.table !== undefined) {
      for (const [name, spec] of Object.entries(t.table(f))) engine.functions.set(name, spec);
    }
  }
  return engine;
}
