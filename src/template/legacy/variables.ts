/**
 * Resolution of a legacy JSON template's user variables (Packer core's renderVarsRecursively).
 *
 * Variables may reference each other (`"b": "{{user `a`}}-x"`), so they are rendered in passes over the
 * sorted keys, at most 100 of them, with `env`, `consul_key`, `vault` and `aws_secretsmanager` enabled and
 * `user` strict about unset variables. `{{ .Field }}` references are kept verbatim for later rendering.
 * Packer's observable quirks are kept: an extra variable named "" (empty) appears in the result, and a
 * reference to an undefined variable is only an error when nothing else is still being re-rendered.
 */

import type { InterpolateContext } from "./context.js";
import { ERR_VARIABLE_NOT_SET } from "./funcs.js";
import { compareGoStrings } from "./go-value.js";
import { type RenderResult, renderAsync } from "./render.js";
import type { LookupCache } from "./secrets.js";

/** The filter Packer uses to keep `{{ .HTTPIP }}`-style references out of variable rendering. */
export const BUILD_FIELD_FILTER = /{{([\t\n\f\r ]|)\.(.*?)([\t\n\f\r ]|)}}/g;

/** Detects a remaining `{{ user `x` }}` call (backquoted name only, as Packer's check does). */
const USER_CALL = /{{[\t\n\f\r ]*user[\t\n\f\r ]*`.*`[\t\n\f\r ]*}}/;

const MAX_PASSES = 100;

export interface ResolveVariablesInput {
  /** Defaults of the template's `variables` section (required variables with their empty default). */
  readonly templateVariables: Readonly<Record<string, string>>;
  /** Values from `-var` and `-var-file`, which override the defaults. */
  readonly variables: Readonly<Record<string, string>>;
  /** The core context (templatePath, packerVersion, env, secrets...); user variables and enableEnv are set here. */
  readonly ctx?: InterpolateContext;
  readonly signal?: AbortSignal;
}

export type ResolveVariablesResult = { readonly value: Record<string, string> } | { readonly error: string };

/** Renders all user variables; the result maps each name to its final value. */
export async function resolveUserVariables(input: ResolveVariablesInput): Promise<ResolveVariablesResult> {
  const variables: Record<string, string> = { ...input.variables };
  let userVariables: Readonly<Record<string, string>> = {};
  const cache: LookupCache = new Map();

  const repeat = new Map<string, string>();
  const allKeys: string[] = [];
  for (const [k, v] of Object.entries(input.templateVariables)) {
    repeat.set(k, v);
    allKeys.push(k);
  }
  for (const [k, v] of Object.entries(input.variables)) {
    repeat.set(k, v);
    allKeys.push(k);
  }
  allKeys.sort(compareGoStrings);
  // Packer allocates the list with len(repeatMap) empty entries before appending: they render to ""
  // and leave a variable named "" behind.
  let sorted: { key: string; value: string }[] = [
    ...Array.from({ length: repeat.size }, () => ({ key: "", value: "" })),
    ...allKeys.map((key) => ({ key, value: repeat.get(key) ?? "" })),
  ];

  let shouldRetry = true;
  let changed = false;
  let failedInterpolation = "";
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    shouldRetry = false;
    changed = false;
    const deleteKeys: string[] = [];
    for (const kv of sorted) {
      const ctx: InterpolateContext = { ...input.ctx, enableEnv: true, userVariables };
      const mode = { keep: BUILD_FIELD_FILTER };
      const opts = input.signal ? { mode, cache, signal: input.signal } : { mode, cache };
      const r: RenderResult = await renderAsync(kv.value, ctx, opts);
      if ("value" in r) {
        changed = true;
        variables[kv.key] = r.value;
        userVariables = { ...variables };
        if (USER_CALL.test(kv.value)) shouldRetry = true;
        else deleteKeys.push(kv.key);
      } else if (r.kind === "exec") {
        if (!r.error.includes(ERR_VARIABLE_NOT_SET)) return { error: r.error };
        shouldRetry = true;
        failedInterpolation = `"${kv.key}": "${kv.value}"; error: ${r.error}`;
      } else {
        return { error: `error interpolating default value for '${kv.key}': ${r.error}` };
      }
    }
    if (!shouldRetry) break;
    for (const k of deleteKeys) {
      const i = sorted.findIndex((kv) => kv.key === k);
      if (i >= 0) sorted = [...sorted.slice(0, i), ...sorted.slice(i + 1)];
    }
  }
  if (!changed && shouldRetry) {
    return {
      error:
        `Failed to interpolate ${failedInterpolation}: Please make sure that the variable you're referencing ` +
        "has been defined; Packer treats all variables used to interpolate other user variables as required.",
    };
  }
  return { value: variables };
}
