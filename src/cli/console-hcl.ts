/**
 * `kiln console` in HCL2 mode (Packer's PackerConfig.EvaluateExpression): each line is parsed as one native
 * syntax expression named `<console-input>` and evaluated with the template's console EvalContext: var.*,
 * local.*, path.root, path.cwd, packer.* and every Packer function; no data sources, `source` and `build`
 * unknown. Values print the way Packer's console prints them (formatValueHCL). `help` and `variables` print
 * Packer's texts.
 */
import {
  type Diagnostic,
  type EvalContext,
  evaluate,
  formatValueHCL,
  hasErrors,
  parseExpression,
} from "../hcl/index.js";
import type { Logger, SecretFilter, Ui } from "../sdk/index.js";
import { type ComponentCatalog, type HCL2Config, loadHCL2Config, printVariables } from "../template/index.js";
import { type ConsoleEvaluator, type ConsoleOutcome, EXIT_OUTCOME, printed } from "./console-evaluator.js";
import { writeDiags } from "./write-diagnostics.js";

/** The file name diagnostics about console input carry (Packer's). */
export const CONSOLE_INPUT_FILENAME = "<console-input>";

/** Packer's PackerConsoleHelp, word for word. */
export const HCL_CONSOLE_HELP = `Packer console HCL2 Mode.
The Packer console allows you to experiment with Packer interpolations.
You may access variables and functions in the Packer config you called the
console with.

Type in the interpolation to test and hit <enter> to see the result.

"upper(var.foo.id)" would evaluate to the ID of "foo" and uppercase is, if it
exists in your config file.

"variables" will dump all available variables and their values.

To exit the console, type "exit" and hit <enter>, or use Control-C.

/!\\ It is not possible to use go templating interpolation like "{{timestamp}}"
with in HCL2 mode.`;

/** What the HCL2 console evaluates against. */
export interface HCLConsoleScope {
  /** The context every line is evaluated in. */
  readonly evalContext: EvalContext;
  /** What `variables` prints: the input variables and locals with their values. */
  variables(): string;
  /** The template's source texts, for diagnostics that point into them (templatefile, ...). */
  readonly sources: ReadonlyMap<string, string>;
}

/** The console scope of a loaded and initialized template. */
export function hclConsoleScope(config: HCL2Config, sources: ReadonlyMap<string, string>): HCLConsoleScope {
  return { evalContext: config.evalContext("console"), variables: () => printVariables(config), sources };
}

export function createHCLConsole(scope: HCLConsoleScope): ConsoleEvaluator {
  return {
    evaluate(line: string): ConsoleOutcome {
      switch (line) {
        case "":
          return printed("");
        case "exit":
          return EXIT_OUTCOME;
        case "help":
          return printed(HCL_CONSOLE_HELP);
        case "variables":
          return printed(scope.variables());
        default:
          return evaluateLine(line, scope);
      }
    },
  };
}

function evaluateLine(line: string, scope: HCLConsoleScope): ConsoleOutcome {
  const sources = new Map(scope.sources);
  sources.set(CONSOLE_INPUT_FILENAME, line);
  const failed = (diagnostics: readonly Diagnostic[]): ConsoleOutcome => ({
    output: undefined,
    exit: false,
    diagnostics,
    sources,
  });
  const parsed = parseExpression(line, CONSOLE_INPUT_FILENAME, { line: 1, column: 1, byte: 0 });
  if (hasErrors(parsed.diagnostics)) return failed(parsed.diagnostics);
  const result = evaluate(parsed.expression, scope.evalContext);
  const diagnostics = [...parsed.diagnostics, ...result.diagnostics];
  if (hasErrors(result.diagnostics)) return failed(diagnostics);
  return { output: formatValueHCL(result.value), exit: false, diagnostics, sources };
}

export interface OpenHCLConsoleOptions {
  /** The template (file or directory), or "" for none. */
  readonly path: string;
  readonly vars: ReadonlyMap<string, string>;
  readonly varFiles: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** The Packer version `required_version` is checked against and `packer.version` reads. */
  readonly coreVersion: string;
  readonly useSequentialEvaluation: boolean;
  readonly catalog: ComponentCatalog;
  readonly ui: Ui;
  readonly secrets: SecretFilter;
  readonly log: Logger;
  readonly signal: AbortSignal;
}

/**
 * Loads the template as Packer's console does: loading diagnostics are printed and an error ends the
 * command (exit code 1); then the template is initialized (data sources run, locals evaluated) and that
 * stage's diagnostics are ignored, so whatever could be evaluated is available.
 */
export async function openHCLConsole(
  options: OpenHCLConsoleOptions,
): Promise<{ readonly evaluator: ConsoleEvaluator } | { readonly exitCode: number }> {
  const loaded = loadHCL2Config({
    path: options.path,
    varFiles: options.varFiles,
    vars: options.vars,
    env: options.env,
    cwd: options.cwd,
    coreVersion: options.coreVersion,
  });
  const code = writeDiags(options.ui, loaded.diagnostics, loaded.sources);
  if (code !== 0 || loaded.config === undefined) return { exitCode: 1 };
  const config = loaded.config;
  await config.initialize({
    catalog: options.catalog,
    useSequentialEvaluation: options.useSequentialEvaluation,
    secrets: options.secrets,
    log: options.log,
    signal: options.signal,
  });
  return { evaluator: createHCLConsole(hclConsoleScope(config, loaded.sources)) };
}
