/**
 * Mutations of real inputs: the `.hcl` files of the template corpus (../shared/corpus beside the repository)
 * and of the fmt golden tests (test/golden/fmt). A mutation is a short list of edits, each at a position
 * given as a plain number (taken modulo the current length), so fast-check shrinks a failing case towards
 * fewer, earlier edits. Edits work on characters (insert, delete, duplicate, replace, truncate, splice from
 * another seed) and on rough tokens (delete, duplicate, swap, replace with another token, insert a token from
 * a dictionary of HCL's sequence starters and terminators).
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";

/** The repository root (this file is test/fuzz/lib/mutators.mjs). */
export const REPO_ROOT = resolve(fileURLToPath(new URL("../../../", import.meta.url)));

/** Folders searched for seed inputs; the corpus one may be absent (then only the golden files are used). */
export const SEED_DIRS = [
  join(REPO_ROOT, "..", "shared", "corpus"),
  join(REPO_ROOT, "test", "golden", "fmt"),
];

/**
 * Every distinct file with the given ending (`.hcl` by default) under the seed folders, sorted by path so
 * seeded runs are reproducible.
 * @param {readonly string[]} [dirs]
 * @param {string} [ending]
 * @returns {{path: string, text: string}[]}
 */
export function loadSeeds(dirs = SEED_DIRS, ending = ".hcl") {
  /** @type {string[]} */
  const paths = [];
  const walk = (/** @type {string} */ dir) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else if (st.isFile() && name.endsWith(ending)) paths.push(p);
    }
  };
  for (const d of dirs) if (existsSync(d)) walk(d);
  const seen = new Set();
  /** @type {{path: string, text: string}[]} */
  const seeds = [];
  for (const p of paths) {
    const text = readFileSync(p, "utf8");
    if (seen.has(text)) continue;
    seen.add(text);
    seeds.push({ path: p, text });
  }
  return seeds;
}

/** Rough tokens: runs of spaces, identifiers, numbers, HCL's multi-character operators, single characters. */
const TOKEN_RE =
  /[ \t]+|\r?\n|[\p{L}_][\p{L}\p{N}_-]*|\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|\$\{~?|%\{~?|~\}|<<-?|==|!=|<=|>=|&&|\|\||=>|\.\.\.|\/\*|\*\/|\/\/|[\s\S]/gu;

/**
 * @param {string} text
 * @returns {string[]}
 */
export function roughTokens(text) {
  return text.match(TOKEN_RE) ?? [];
}

/** Fragments that start, end or break HCL's nested sequences, and characters the lexer treats specially. */
export const DICTIONARY = [
  "${",
  "${~",
  "~}",
  "%{",
  "%{ if x }",
  "%{ else }",
  "%{ endif }",
  "%{ for a in b }",
  "%{ endfor }",
  "$${",
  "%%{",
  "}",
  "{",
  "[",
  "]",
  "(",
  ")",
  '"',
  "'",
  "\\",
  "\\u",
  "\\U0001F",
  "<<EOT\n",
  "<<-EOT\n",
  "\nEOT\n",
  "EOT",
  "/*",
  "*/",
  "#",
  "//",
  "\n",
  "\r\n",
  "\r",
  "\t",
  " ",
  "=",
  "==",
  "=>",
  ":",
  "?",
  ",",
  ".",
  "...",
  "[*]",
  ".*",
  ".0",
  "::",
  "for",
  "in",
  "if",
  "null",
  "true",
  "-",
  "!",
  "&",
  "|",
  ";",
  "`",
  "0",
  "1e",
  "1.",
  "9999999999999999999999",
  "é",
  "e\u0301",
  "🚀",
  "\uFEFF",
  "\u0000",
  "\u00a0",
  "\u2028",
  "\uFFFD",
  "\uD800",
  "\uDC00",
];

/**
 * @typedef {{op: string, pos: number, len: number, arg: number}} Edit
 */

const edit = fc.record({
  op: fc.constantFrom(
    "insert",
    "insert",
    "delete",
    "duplicate",
    "replace",
    "truncate",
    "splice",
    "tokDelete",
    "tokDelete",
    "tokDuplicate",
    "tokSwap",
    "tokReplace",
    "tokInsert",
    "tokInsert",
  ),
  pos: fc.nat(),
  len: fc.nat(40),
  arg: fc.nat(),
});

/**
 * Applies edits to a text. `donors` supplies material for splices.
 * @param {string} text
 * @param {readonly Edit[]} edits
 * @param {readonly string[]} donors
 * @returns {string}
 */
export function applyEdits(text, edits, donors) {
  let s = text;
  for (const e of edits) s = applyEdit(s, e, donors);
  return s;
}

/**
 * @param {string} s
 * @param {Edit} e
 * @param {readonly string[]} donors
 * @returns {string}
 */
function applyEdit(s, e, donors) {
  const at = s.length === 0 ? 0 : e.pos % (s.length + 1);
  const end = Math.min(s.length, at + 1 + (e.len % 16));
  const word = DICTIONARY[e.arg % DICTIONARY.length] ?? "";
  switch (e.op) {
    case "insert":
      return s.slice(0, at) + word + s.slice(at);
    case "delete":
      return s.slice(0, at) + s.slice(end);
    case "duplicate":
      return s.slice(0, end) + s.slice(at, end) + s.slice(end);
    case "replace":
      return s.slice(0, at) + word + s.slice(at + 1);
    case "truncate":
      return s.slice(0, at);
    case "splice": {
      const donor = donors.length === 0 ? "" : (donors[e.arg % donors.length] ?? "");
      const from = donor.length === 0 ? 0 : (e.arg >>> 8) % donor.length;
      return s.slice(0, at) + donor.slice(from, from + e.len * 4) + s.slice(at);
    }
    default:
      return applyTokenEdit(s, e, word);
  }
}

/**
 * @param {string} s
 * @param {Edit} e
 * @param {string} word
 * @returns {string}
 */
function applyTokenEdit(s, e, word) {
  const toks = roughTokens(s);
  if (toks.length === 0) return word;
  const i = e.pos % toks.length;
  const j = e.arg % toks.length;
  const t = toks[i] ?? "";
  const u = toks[j] ?? "";
  switch (e.op) {
    case "tokDelete":
      toks.splice(i, 1 + (e.len % 3));
      break;
    case "tokDuplicate":
      toks.splice(i, 0, t);
      break;
    case "tokSwap":
      toks[i] = u;
      toks[j] = t;
      break;
    case "tokReplace":
      toks[i] = u;
      break;
    default:
      toks.splice(i, 0, word);
  }
  return toks.join("");
}

/**
 * Mutants of the given base texts: pick one, apply 1 to 8 edits.
 * @param {fc.Arbitrary<string>} base
 * @param {readonly string[]} donors
 * @returns {fc.Arbitrary<string>}
 */
export function mutated(base, donors) {
  return fc
    .tuple(base, fc.array(edit, { minLength: 1, maxLength: 8 }))
    .map(([text, edits]) => applyEdits(text, edits, donors));
}
