#!/usr/bin/env node
// Checks the layer rules of DESIGN.md over src/ (tests excluded):
//  - a layer imports only the layers listed for it below (dependencies point one way);
//  - another layer is imported only through its index.ts (`../hcl/index.js`, never `../hcl/value/x.js`);
//  - only cli/ touches process.argv, process.exit, signal handlers and the real stdout/stderr.
// Exits 1 and lists every violation as `file:line: message`.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

// Usage: check-layers.mjs [SRC_DIR]  (default: the project's src/)
const src = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), "..", "src"));
const root = dirname(src);

/** layer -> layers it may import. */
const ALLOWED = {
  hcl: [],
  sdk: ["hcl"],
  exec: ["sdk"],
  template: ["hcl", "sdk"],
  communicator: ["hcl", "sdk", "exec"],
  // plugins render Go-template fields (`{{ .Vars }}`, `{{ .HTTPIP }}`) with template's legacy engine.
  plugins: ["hcl", "sdk", "exec", "communicator", "template"],
  "plugin-host": ["hcl", "sdk", "exec", "plugins"],
  core: ["hcl", "sdk", "exec", "template", "communicator", "plugins", "plugin-host"],
  cli: ["hcl", "sdk", "exec", "template", "communicator", "plugins", "plugin-host", "core"],
};

const PROCESS_ONLY_IN_CLI = [
  [/\bprocess\.argv\b/, "process.argv is read only in cli/"],
  [/\bprocess\.exit\s*\(/, "process.exit is called only in cli/"],
  [/\bprocess\.(on|once|addListener)\s*\(\s*["']SIG/, "signal handlers are installed only in cli/"],
  [/\bprocess\.(stdout|stderr|stdin)\b/, "the real stdout/stderr/stdin are used only in cli/"],
];

function* walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* walk(p);
    else if (name.endsWith(".ts") && !name.endsWith(".test.ts") && !name.endsWith(".d.ts")) yield p;
  }
}

const IMPORT_RE =
  /(?:import|export)\s[^'"]*?from\s*["']([^"']+)["']|import\s*\(\s*["']([^"']+)["']\s*\)|import\s*["']([^"']+)["']/g;

const violations = [];
for (const file of walk(src)) {
  const rel = relative(src, file);
  const layer = rel.split(sep)[0];
  if (!(layer in ALLOWED)) {
    violations.push(`${relative(root, file)}:1: '${layer}' is not a known layer (see DESIGN.md)`);
    continue;
  }
  const text = readFileSync(file, "utf8");
  const lineOf = (index) => text.slice(0, index).split("\n").length;
  for (const m of text.matchAll(IMPORT_RE)) {
    const spec = m[1] ?? m[2] ?? m[3];
    if (!spec?.startsWith(".")) continue;
    const target = resolve(dirname(file), spec);
    const targetRel = relative(src, target);
    if (targetRel.startsWith("..")) {
      violations.push(`${relative(root, file)}:${lineOf(m.index)}: imports outside src/: ${spec}`);
      continue;
    }
    const targetLayer = targetRel.split(sep)[0];
    if (targetLayer === layer) continue;
    if (!ALLOWED[layer].includes(targetLayer)) {
      violations.push(
        `${relative(root, file)}:${lineOf(m.index)}: layer '${layer}' may not import '${targetLayer}' (${spec})`,
      );
    } else if (targetRel !== join(targetLayer, "index.js") && targetRel !== join(targetLayer, "index.ts")) {
      violations.push(
        `${relative(root, file)}:${lineOf(m.index)}: import '${targetLayer}' through its index.ts, not ${spec}`,
      );
    }
  }
  if (layer !== "cli") {
    const lines = text.split("\n");
    lines.forEach((line, i) => {
      if (/^\s*(\/\/|\*)/.test(line)) return;
      for (const [re, msg] of PROCESS_ONLY_IN_CLI) {
        if (re.test(line)) violations.push(`${relative(root, file)}:${i + 1}: ${msg}`);
      }
    });
  }
}

if (violations.length > 0) {
  for (const v of violations) console.error(v);
  console.error(`layer check: ${violations.length} violation(s)`);
  process.exit(1);
}
console.log("layer check: ok");
