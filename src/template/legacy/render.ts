/**
 * Entry points of the legacy template engine, mirroring the SDK's interpolate package:
 *   renderOnce          one pass (interpolate.RenderOnce / I.Render)
 *   renderUntilFixpoint repeat until the output stops changing (interpolate.Render)
 *   renderRegex         one pass leaving the parts matched by a regex untouched (interpolate.RenderRegex)
 *   validate            parse only (interpolate.Validate)
 *   renderAsync         like the above, performing Consul/Vault lookups the template needs
 * Errors are Go's texts, e.g. `template: root:1: function "foo" not defined` (kind "parse") or
 * `template: root:1:2: executing "root" at <user `x`>: error calling user: ...` (kind "exec").
 */

import { GO_BUILTINS } from "./builtins.js";
import type { InterpolateContext } from "./context.js";
import { executeTemplate, type GoFunc, TemplateExecError } from "./exec.js";
import { packerFuncs } from "./funcs.js";
import { toGoValue, valOf } from "./go-value.js";
import { nodeCrypto } from "./lazy-builtins.js";
import type { Node, Tree } from "./nodes.js";
import { parseTemplate, TemplateParseError } from "./parser.js";
import { type LookupCache, PendingLookup } from "./secrets.js";

export type RenderResult =
  | { readonly value: string }
  | {
      readonly error: string;
      /** "parse": the template is malformed; "exec": executing it failed (a function error, a bad field...). */
      readonly kind: "parse" | "exec";
    };

const TEMPLATE_NAME = "root";

function allFuncs(ctx: InterpolateContext, cache?: LookupCache): Map<string, GoFunc> {
  const m = new Map<string, GoFunc>(GO_BUILTINS);
  for (const [k, v] of packerFuncs(ctx, cache)) m.set(k, v);
  return m;
}

function parse(text: string, funcs: ReadonlyMap<string, GoFunc>): Map<string, Tree> | { error: string } {
  try {
    return parseTemplate(text, { name: TEMPLATE_NAME, funcs: new Set(funcs.keys()) });
  } catch (e) {
    if (e instanceof TemplateParseError) return { error: e.message };
    throw e;
  }
}

/** One pass; PendingLookup escapes to the caller (renderAsync). */
function renderPass(text: string, ctx: InterpolateContext, cache: LookupCache | undefined): RenderResult {
  const funcs = allFuncs(ctx, cache);
  const trees = parse(text, funcs);
  if (!(trees instanceof Map)) return { error: trees.error, kind: "parse" };
  try {
    const opts = ctx.missingKey !== undefined ? { funcs, missingKey: ctx.missingKey } : { funcs };
    return { value: executeTemplate(trees, TEMPLATE_NAME, valOf(toGoValue(ctx.data)), opts) };
  } catch (e) {
    if (e instanceof TemplateExecError) return { error: e.message, kind: "exec" };
    throw e;
  }
}

function syncOnly(f: () => RenderResult): RenderResult {
  try {
    return f();
  } catch (e) {
    if (e instanceof PendingLookup) {
      return {
        error: "template: root: consul_key and vault lookups need asynchronous rendering (renderAsync)",
        kind: "exec",
      };
    }
    throw e;
  }
}

/** Renders one pass of a template. */
export function renderOnce(text: string, ctx: InterpolateContext = {}): RenderResult {
  return syncOnly(() => renderPass(text, ctx, undefined));
}

/** Packer's interpolate.Render: renders repeatedly until the output no longer changes. */
export function renderUntilFixpoint(text: string, ctx: InterpolateContext = {}): RenderResult {
  return syncOnly(() => fixpoint(text, ctx, undefined));
}

function fixpoint(text0: string, ctx: InterpolateContext, cache: LookupCache | undefined): RenderResult {
  let text = text0;
  for (;;) {
    const r = renderPass(text, ctx, cache);
    if ("error" in r || r.value === text) return r;
    text = r.value;
  }
}

/** Alias of renderOnce: the single-pass rendering that plugins use for their string fields. */
export const render = renderOnce;

/** Parses a template without executing it; returns Go's parse error text, or null when valid. */
export function validate(text: string, ctx: InterpolateContext = {}): string | null {
  const trees = parse(text, allFuncs(ctx));
  return trees instanceof Map ? null : trees.error;
}

function toGlobal(re: RegExp | string): RegExp {
  if (typeof re === "string") return new RegExp(re, "g");
  return re.global ? re : new RegExp(re.source, `${re.flags}g`);
}

function regexPass(
  text: string,
  ctx: InterpolateContext,
  regex: RegExp | string,
  cache?: LookupCache,
): RenderResult {
  const excluded = new Map<string, string>();
  let v = text;
  for (const m of text.matchAll(toGlobal(regex))) {
    const id = nodeCrypto().randomUUID();
    excluded.set(id, m[0]);
    v = v.replaceAll(m[0], id);
  }
  const r = renderPass(v, ctx, cache);
  if ("error" in r) return r;
  let out = r.value;
  for (const [id, value] of excluded) out = out.replaceAll(id, value);
  return { value: out };
}

/**
 * Packer's interpolate.RenderRegex: one pass in which every match of `regex` is kept verbatim
 * (used with `{{(\s|)\.(.*?)(\s|)}}` to keep `{{ .HTTPIP }}`-style references for later).
 */
export function renderRegex(text: string, ctx: InterpolateContext, regex: RegExp | string): RenderResult {
  return syncOnly(() => regexPass(text, ctx, regex));
}

export interface RenderAsyncOptions {
  readonly signal?: AbortSignal;
  /** "once" (default), "fixpoint" (repeat until stable), or a regex whose matches are kept (renderRegex). */
  readonly mode?: "once" | "fixpoint" | { readonly keep: RegExp | string };
  /** Lookups already performed (shared across calls to avoid repeating them). */
  readonly cache?: LookupCache;
}

/** At most this many distinct secret lookups per rendering. */
const MAX_LOOKUPS = 64;

/**
 * Renders like renderOnce / renderUntilFixpoint / renderRegex, performing the Consul and Vault lookups
 * that `consul_key` and `vault` need (only possible when ctx.enableEnv is set, as in the variables section).
 */
export async function renderAsync(
  text: string,
  ctx: InterpolateContext = {},
  opts: RenderAsyncOptions = {},
): Promise<RenderResult> {
  const cache: LookupCache = opts.cache ?? new Map();
  const mode = opts.mode ?? "once";
  for (let i = 0; i <= MAX_LOOKUPS; i++) {
    try {
      if (mode === "once") return renderPass(text, ctx, cache);
      if (mode === "fixpoint") return fixpoint(text, ctx, cache);
      return regexPass(text, ctx, mode.keep, cache);
    } catch (e) {
      if (!(e instanceof PendingLookup)) throw e;
      opts.signal?.throwIfAborted();
      cache.set(e.key, await e.run(opts.signal));
    }
  }
  return { error: "template: root: too many secret lookups", kind: "exec" };
}

function walkFunctions(n: Node, out: Set<string>): void {
  switch (n.type) {
    case "action":
      walkFunctions(n.pipe, out);
      break;
    case "pipe":
      for (const c of n.cmds) walkFunctions(c, out);
      break;
    case "command":
      for (const a of n.args) walkFunctions(a, out);
      break;
    case "list":
      for (const c of n.nodes) walkFunctions(c, out);
      break;
    case "if":
    case "range":
    case "with":
      walkFunctions(n.pipe, out);
      walkFunctions(n.list, out);
      if (n.elseList !== null) walkFunctions(n.elseList, out);
      break;
    case "template":
      if (n.pipe !== null) walkFunctions(n.pipe, out);
      break;
    case "chain":
      walkFunctions(n.node, out);
      break;
    case "identifier":
      out.add(n.ident);
      break;
    default:
      break;
  }
}

/**
 * Renders one pass with exactly the given functions (plus Go's built-ins) instead of Packer's map, the
 * way `hcl2_upgrade` re-reads legacy strings with functions that print HCL expressions.
 */
export function renderWithFuncs(
  text: string,
  funcs: Readonly<Record<string, GoFunc>>,
  data?: unknown,
): RenderResult {
  const all = new Map<string, GoFunc>(GO_BUILTINS);
  for (const [k, v] of Object.entries(funcs)) all.set(k, v);
  const trees = parse(text, all);
  if (!(trees instanceof Map)) return { error: trees.error, kind: "parse" };
  try {
    return { value: executeTemplate(trees, TEMPLATE_NAME, valOf(toGoValue(data)), { funcs: all }) };
  } catch (e) {
    if (e instanceof TemplateExecError) return { error: e.message, kind: "exec" };
    throw e;
  }
}

/**
 * Names of the functions a template calls (the SDK's functionsCalled, used e.g. to find `env` or
 * `user` calls). Returns the parse error text when the template is malformed.
 */
export function functionsCalled(text: string, ctx: InterpolateContext = {}): Set<string> | { error: string } {
  const trees = parse(text, allFuncs(ctx));
  if (!(trees instanceof Map)) return trees;
  const out = new Set<string>();
  for (const t of trees.values()) walkFunctions(t.root, out);
  return out;
}
