/**
 * What `validate`, `inspect` and `build` share for legacy JSON templates (Packer's GetConfigFromJSON and
 * Core.Initialize): the template and its -var / -var-file values are loaded (`-` reads standard input), load
 * failures are printed as UI errors, and the loaded configuration is initialized. `console` reads the
 * template's variables with the same parser.
 */
import { readFileSync } from "node:fs";
import type { SecretFilter, Ui } from "../sdk/index.js";
import { type JSONConfig, loadJSONConfig, parseJSONTemplate } from "../template/index.js";
import type { CommandContext } from "./command.js";
import type { LegacyTemplateVariables } from "./console-json.js";
import type { MetaOptions } from "./meta-args.js";
import { PACKER_COMPATIBLE_VERSION } from "./version.js";
import { writeDiags } from "./write-diagnostics.js";

export interface LoadedJSONTemplate {
  readonly config: JSONConfig;
  /** The template's text by file name, for rendering diagnostics. */
  readonly sources: ReadonlyMap<string, string>;
}

/** Reads a stream to its end. */
export async function readAll(stream: NodeJS.ReadableStream): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}

/**
 * Loads a legacy JSON template with the run's variables. Failures are printed through the UI, as Packer's
 * ui.Error does; then the result is undefined (exit status 1).
 */
export async function loadJSONTemplate(
  ui: Ui,
  options: Pick<MetaOptions, "varFiles" | "vars"> & { readonly path: string },
  ctx: CommandContext,
  env: Readonly<Record<string, string | undefined>> = ctx.io.env,
): Promise<LoadedJSONTemplate | undefined> {
  const loaded = loadJSONConfig({
    path: options.path,
    varFiles: options.varFiles,
    vars: options.vars,
    env,
    cwd: ctx.io.cwd,
    coreVersion: PACKER_COMPATIBLE_VERSION,
    ...(options.path === "-" ? { stdin: await readAll(ctx.io.stdin) } : {}),
  });
  for (const e of loaded.errors) ui.error(e);
  if (loaded.config === undefined || loaded.errors.length > 0) return undefined;
  return { config: loaded.config, sources: loaded.sources };
}

/**
 * Core.Initialize for a loaded template: sensitive values are registered with `secrets`; problems are
 * printed as Packer's writeDiags does. Returns the exit code (non-zero when initializing failed).
 */
export async function initializeJSONTemplate(
  ui: Ui,
  loaded: LoadedJSONTemplate,
  options: { readonly secrets: SecretFilter; readonly signal: AbortSignal },
): Promise<number> {
  const diagnostics = await loaded.config.initialize({ secrets: options.secrets, signal: options.signal });
  return writeDiags(ui, diagnostics, loaded.sources);
}

/**
 * The variables of a legacy JSON template for `console`, read with the template parser (so a broken template
 * fails as it does for the other commands); the error is the text Packer prints after `Original error: `.
 */
export function readJSONTemplateVariables(absolutePath: string): LegacyTemplateVariables | { error: string } {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(absolutePath);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { error: `open ${absolutePath}: ${code === "ENOENT" ? "no such file or directory" : String(e)}` };
  }
  const parsed = parseJSONTemplate(bytes, { path: absolutePath, filename: absolutePath });
  if ("error" in parsed) return { error: parsed.error };
  const defaults: Record<string, string> = {};
  const required: string[] = [];
  for (const [name, v] of parsed.template.variables) {
    defaults[name] = v.default;
    if (v.required) required.push(name);
  }
  return { defaults, required, sensitive: parsed.template.sensitiveVariables.map((v) => v.key) };
}
