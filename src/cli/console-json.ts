/**
 * `kiln console` in legacy JSON mode (Packer core's EvaluateExpression): each line is a Go template rendered
 * until it stops changing (interpolate.Render) with the user variables of the run, the template's path for
 * `{{template_dir}}` and the Packer version for `{{packer_version}}`. Without a template this is Packer's
 * built-in one-builder template, which declares no variables.
 *
 * User variables come as Packer's core gathers them: `-var-file` JSON objects of strings (a later file wins),
 * then `-var` (which wins over every file), then the template's `variables` defaults rendered recursively.
 * As in Packer, a required variable left unset skips that rendering, and then only the command-line values
 * are visible.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { compareStrings } from "../hcl/index.js";
import type { SecretFilter } from "../sdk/index.js";
import { type InterpolateContext, renderUntilFixpoint, resolveUserVariables } from "../template/index.js";
import { type ConsoleEvaluator, type ConsoleOutcome, EXIT_OUTCOME, printed } from "./console-evaluator.js";

/** Packer's ConsoleHelp (JSON mode), word for word. */
export const JSON_CONSOLE_HELP = `Packer console JSON Mode.
The Packer console allows you to experiment with Packer interpolations.
You may access variables in the Packer config you called the console with.

Type in the interpolation to test and hit <enter> to see the result.

"variables" will dump all available variables and their values.

"{{timestamp}}" will output the timestamp, for example "1559855090".

To exit the console, type "exit" and hit <enter>, or use Control-C.

/!\\ If you would like to start console in hcl2 mode without a config you can
use the --config-type=hcl2 option.`;

/**
 * An evaluator over an interpolation context; the context's user variables are what `variables` lists, in
 * name order (Packer lists them in Go's map order, which varies from run to run).
 */
export function createLegacyConsole(ctx: InterpolateContext): ConsoleEvaluator {
  return {
    evaluate(line: string): ConsoleOutcome {
      switch (line) {
        case "":
          return printed("");
        case "exit":
          return EXIT_OUTCOME;
        case "help":
          return printed(JSON_CONSOLE_HELP);
        case "variables":
          return printed(listVariables(ctx.userVariables ?? {}));
        default:
          return renderLine(line, ctx);
      }
    },
  };
}

function listVariables(vars: Readonly<Record<string, string>>): string {
  let out = "\n";
  for (const key of Object.keys(vars).sort(compareStrings)) out += `${key}: ${vars[key]},\n`;
  return out;
}

function renderLine(line: string, ctx: InterpolateContext): ConsoleOutcome {
  const r = renderUntilFixpoint(line, ctx);
  if ("value" in r) return printed(r.value);
  return {
    output: undefined,
    exit: false,
    diagnostics: [{ severity: "error", summary: "Interpolation error", detail: r.error }],
    sources: new Map(),
  };
}

/** The `variables` and `sensitive-variables` sections of a legacy JSON template. */
export interface LegacyTemplateVariables {
  /** Defaults by name; required variables have "". */
  readonly defaults: Readonly<Record<string, string>>;
  readonly required: readonly string[];
  /** Names whose values are secrets. */
  readonly sensitive: readonly string[];
}

export interface OpenLegacyConsoleOptions {
  /** The template file, or "" for Packer's built-in template. */
  readonly path: string;
  readonly vars: ReadonlyMap<string, string>;
  readonly varFiles: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly packerVersion: string;
  /** Where the values of sensitive variables are registered for redaction. */
  readonly secrets: SecretFilter;
  readonly signal: AbortSignal;
  /** Reads a template's variables; the console's own reader by default. */
  readonly readTemplate?: (absolutePath: string) => LegacyTemplateVariables | { readonly error: string };
}

/**
 * Gathers the user variables and builds the evaluator. Failures are Packer's messages, for the caller to
 * print as a UI error (exit code 1).
 */
export async function openLegacyConsole(
  options: OpenLegacyConsoleOptions,
): Promise<{ readonly evaluator: ConsoleEvaluator } | { readonly error: string }> {
  let template: LegacyTemplateVariables = { defaults: {}, required: [], sensitive: [] };
  const templatePath = options.path === "" ? "" : resolve(options.cwd, options.path);
  if (templatePath !== "") {
    const read = (options.readTemplate ?? readLegacyTemplateVariables)(templatePath);
    if ("error" in read) {
      return {
        error:
          "Failed to parse file as legacy JSON template: if you are using an HCL template, check your file extensions; they should be either *.pkr.hcl or *.pkr.json; see the docs for more details: https://www.packer.io/docs/templates/hcl_templates. \n" +
          `Original error: ${read.error}`,
      };
    }
    template = read;
  }

  const fromFiles: Record<string, string> = {};
  for (const file of options.varFiles) {
    const r = readVarFile(file, options.cwd);
    if ("error" in r) return r;
    Object.assign(fromFiles, r.values);
  }
  const cliVars: Record<string, string> = { ...fromFiles, ...Object.fromEntries(options.vars) };

  const base: InterpolateContext = {
    templatePath,
    packerVersion: options.packerVersion,
    env: options.env,
    cwd: options.cwd,
  };
  let userVariables = cliVars;
  if (template.required.every((name) => name in cliVars)) {
    const resolved = await resolveUserVariables({
      templateVariables: template.defaults,
      variables: cliVars,
      ctx: base,
      signal: options.signal,
    });
    if ("value" in resolved) {
      userVariables = resolved.value;
      for (const name of template.sensitive) {
        const value = userVariables[name];
        if (value !== undefined && value !== "") options.secrets.add(value);
      }
    }
  }
  return { evaluator: createLegacyConsole({ ...base, userVariables }) };
}

/** Go's name for the type of a decoded JSON value, as its decoding errors say it. */
function goJSONKind(v: unknown): string {
  if (typeof v === "number") return "number";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "string") return "string";
  return Array.isArray(v) ? "array" : "object";
}

/** One -var-file of the JSON mode: a JSON object of strings (null values read as ""). */
function readVarFile(
  file: string,
  cwd: string,
): { readonly values: Record<string, string> } | { readonly error: string } {
  let text: string;
  try {
    text = readFileSync(resolve(cwd, file), "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason =
      code === "ENOENT" ? "no such file or directory" : code === "EISDIR" ? "is a directory" : String(err);
    return { error: `open ${file}: ${reason}` };
  }
  const failed = (reason: string) => ({ error: `Error reading variables in '${file}': ${reason}` });
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return failed(text.trim() === "" ? "EOF" : (err as Error).message);
  }
  if (data === null) return { values: {} };
  if (typeof data !== "object" || Array.isArray(data)) {
    return failed(`json: cannot unmarshal ${goJSONKind(data)} into Go value of type map[string]string`);
  }
  const values: Record<string, string> = {};
  for (const [k, v] of Object.entries(data)) {
    if (v === null) values[k] = "";
    else if (typeof v === "string") values[k] = v;
    else return failed(`json: cannot unmarshal ${goJSONKind(v)} into Go value of type string`);
  }
  return { values };
}

function goTypeName(v: unknown): string {
  if (typeof v === "number") return "float64";
  if (typeof v === "boolean") return "bool";
  return Array.isArray(v) ? "[]interface {}" : "map[string]interface {}";
}

/**
 * The console's narrow reader of a legacy template: only the `variables` (string defaults, null for
 * required) and `sensitive-variables` sections, which are all the console uses.
 */
export function readLegacyTemplateVariables(
  absolutePath: string,
): LegacyTemplateVariables | { error: string } {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(absolutePath, "utf8"));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return { error: `open ${absolutePath}: no such file or directory` };
    return { error: `Error parsing JSON: ${(err as Error).message}` };
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    return {
      error: `Error parsing JSON: json: cannot unmarshal ${goJSONKind(data)} into Go value of type map[string]interface {}`,
    };
  }
  const section = (data as Record<string, unknown>).variables;
  const defaults: Record<string, string> = {};
  const required: string[] = [];
  const errors: string[] = [];
  if (typeof section === "object" && section !== null && !Array.isArray(section)) {
    for (const [name, v] of Object.entries(section)) {
      if (v === null) {
        required.push(name);
        defaults[name] = "";
      } else if (typeof v === "string") {
        defaults[name] = v;
      } else {
        const shown = typeof v === "object" ? JSON.stringify(v) : String(v);
        errors.push(
          `variable ${name}: '' expected type 'string', got unconvertible type '${goTypeName(v)}', value: '${shown}'`,
        );
      }
    }
  }
  if (errors.length > 0) {
    const head = errors.length === 1 ? "1 error occurred:" : `${errors.length} errors occurred:`;
    return { error: `${head}\n${errors.map((e) => `\t* ${e}`).join("\n")}\n\n` };
  }
  const rawSensitive = (data as Record<string, unknown>)["sensitive-variables"];
  const sensitive = Array.isArray(rawSensitive)
    ? rawSensitive.filter((s): s is string => typeof s === "string")
    : [];
  return { defaults, required, sensitive };
}
