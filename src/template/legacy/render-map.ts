/**
 * Rendering of whole configuration values (the SDK's interpolate.RenderMap / RenderInterface), as plugins
 * do when decoding a legacy JSON configuration: every string, map keys included, is validated; the keys a
 * filter selects are rendered once. Errors read like Packer's:
 *   render 'ami_name': template: root:1:2: executing "root" at <...>: ... in:
 *
 *   {{ ... }}
 */

import type { InterpolateContext } from "./context.js";
import { renderOnce, validate } from "./render.js";

/** Which top-level keys are rendered (case-insensitive); others are validated only. */
export interface RenderFilter {
  readonly include?: readonly string[];
  readonly exclude?: readonly string[];
}

export type RenderValueResult<T> = { readonly value: T } | { readonly error: string };

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return (
    v !== null && typeof v === "object" && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype
  );
}

class WalkError extends Error {}

function walk(v: unknown, f: (s: string) => string): unknown {
  if (typeof v === "string") return f(v);
  if (Array.isArray(v)) return v.map((e) => walk(e, f));
  if (isPlainObject(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, e] of Object.entries(v)) {
      const value = walk(e, f);
      out[f(k)] = value;
    }
    return out;
  }
  return v;
}

function attempt<T>(f: () => T): RenderValueResult<T> {
  try {
    return { value: f() };
  } catch (e) {
    if (e instanceof WalkError) return { error: e.message };
    throw e;
  }
}

/** Checks that every string in a value parses as a template. */
export function validateInterface(v: unknown, ctx: InterpolateContext = {}): string | null {
  const r = attempt(() =>
    walk(v, (s) => {
      const err = validate(s, ctx);
      if (err !== null) throw new WalkError(`${err} in:\n\n${s}`);
      return s;
    }),
  );
  return "error" in r ? r.error : null;
}

/** Renders every string in a value (objects, arrays, keys and values) once. */
export function renderInterface(v: unknown, ctx: InterpolateContext = {}): RenderValueResult<unknown> {
  return attempt(() =>
    walk(v, (s) => {
      const r = renderOnce(s, ctx);
      if ("error" in r) throw new WalkError(`${r.error} in:\n\n${s}`);
      return r.value;
    }),
  );
}

function included(filter: RenderFilter | undefined, key: string): boolean {
  if (filter === undefined) return true;
  const k = key.toLowerCase();
  const include = (filter.include ?? []).map((x) => x.toLowerCase());
  if (include.length > 0) return include.includes(k);
  const exclude = (filter.exclude ?? []).map((x) => x.toLowerCase());
  if (exclude.length > 0) return !exclude.includes(k);
  return true;
}

/**
 * The SDK's RenderMap: validates every entry of a configuration object and renders the entries the filter
 * selects (excluded ones, such as `execute_command`, stay raw for a later, plugin-time rendering).
 */
export function renderMap(
  m: Readonly<Record<string, unknown>>,
  ctx: InterpolateContext = {},
  filter?: RenderFilter,
): RenderValueResult<Record<string, unknown>> {
  const out: Record<string, unknown> = { ...m };
  for (const [k, raw] of Object.entries(m)) {
    const invalid = validateInterface(raw, ctx);
    if (invalid !== null) return { error: `invalid '${k}': ${invalid}` };
    if (!included(filter, k)) continue;
    const r = renderInterface(raw, ctx);
    if ("error" in r) return { error: `render '${k}': ${r.error}` };
    out[k] = r.value;
  }
  return { value: out };
}
