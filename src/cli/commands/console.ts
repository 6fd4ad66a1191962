/**
 * `kiln console [options] [TEMPLATE]`: evaluates expressions against a template, interactively or from stdin.
 */
import type { CommandContext } from "../command.js";
import { loadBuiltinCatalog } from "../component-catalog.js";
import type { ConsoleEvaluator } from "../console-evaluator.js";
import { openHCLConsole } from "../console-hcl.js";
import { openLegacyConsole } from "../console-json.js";
import { runInteractiveConsole, runPipedConsole } from "../console-session.js";
import { defineCommand, options, parseCommandLine } from "../define-command.js";
import { boolFlag } from "../flags.js";
import { readJSONTemplateVariables } from "../json-template.js";
import { type MetaOptions, metaFlags, metaOptions } from "../meta-args.js";
import { type CommandRuntime, openCommandRuntime, templateKind } from "../template-runtime.js";
import { PACKER_COMPATIBLE_VERSION } from "../version.js";

export interface ConsoleOptions extends MetaOptions {
  /** The template, or "" when not exactly one argument was given (a built-in null-builder template is used). */
  readonly path: string;
  readonly useSequentialEvaluation: boolean;
}

const flags = {
  "use-sequential-evaluation": boolFlag(false),
  ...metaFlags,
};

const HELP = `Usage: kiln console [options] [TEMPLATE]

  Opens a console for trying out variable interpolation. With a template, the
  template and the variables it defines are loaded so that they can be
  referenced in expressions.

Options:
  -var 'key=value'              Set a template variable; can be used multiple times.
  -var-file=path                JSON or HCL2 file of variable values.
  -config-type                  Set to 'hcl2' to use HCL2 mode when no template is given. Default: json.
  -use-sequential-evaluation    Evaluate locals and data sources in sequential phases instead of by dependency.`;

export const consoleCommand = defineCommand<ConsoleOptions>({
  name: "console",
  synopsis: "creates a console for testing variable interpolation",
  help: () => HELP,
  parse: (args) =>
    parseCommandLine(flags, args, (v, rest) =>
      options({
        ...metaOptions(v),
        path: rest.length === 1 ? rest[0]! : "",
        useSequentialEvaluation: v["use-sequential-evaluation"],
      }),
    ),
  execute: runConsole,
});

/**
 * HCL2 mode for `*.pkr.hcl`, `*.pkr.json`, directories and `-config-type=hcl2`; legacy JSON mode otherwise
 * (Packer's built-in one-builder template when no template is given). A terminal on standard input gets the
 * interactive console; anything else is read line by line.
 */
async function runConsole(options: ConsoleOptions, ctx: CommandContext): Promise<number> {
  const opened = openCommandRuntime(ctx);
  if ("exitCode" in opened) return opened.exitCode;
  const { runtime } = opened;
  try {
    const evaluator = await openEvaluator(options, ctx, runtime);
    if (typeof evaluator === "number") return evaluator;
    const { ui } = runtime;
    if ((ctx.io.stdin as { isTTY?: boolean }).isTTY === true) {
      return await runInteractiveConsole(evaluator, {
        input: ctx.io.stdin,
        output: ctx.io.stdout,
        ui,
        signal: ctx.signal,
      });
    }
    return await runPipedConsole(evaluator, { input: ctx.io.stdin, ui, signal: ctx.signal });
  } finally {
    runtime.log.close();
  }
}

/** The evaluator of the run, or the exit code when the template or the variables could not be read. */
async function openEvaluator(
  options: ConsoleOptions,
  ctx: CommandContext,
  runtime: CommandRuntime,
): Promise<ConsoleEvaluator | number> {
  const { ui, redactor, log } = runtime;
  const kind = templateKind(options.path, options.configType, ctx.io.cwd);
  if (kind.kind === "error") {
    ui.error(kind.message);
    return 1;
  }
  const common = {
    path: options.path,
    vars: options.vars,
    varFiles: options.varFiles,
    env: ctx.io.env,
    cwd: ctx.io.cwd,
    secrets: redactor,
    signal: ctx.signal,
  };
  if (kind.kind === "hcl2") {
    const r = await openHCLConsole({
      ...common,
      coreVersion: PACKER_COMPATIBLE_VERSION,
      useSequentialEvaluation: options.useSequentialEvaluation,
      catalog: await loadBuiltinCatalog(),
      ui,
      log,
    });
    return "exitCode" in r ? r.exitCode : r.evaluator;
  }
  const r = await openLegacyConsole({
    ...common,
    packerVersion: PACKER_COMPATIBLE_VERSION,
    readTemplate: readJSONTemplateVariables,
  });
  if ("error" in r) {
    ui.error(r.error);
    return 1;
  }
  return r.evaluator;
}
