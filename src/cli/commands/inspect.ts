/**
 * `kiln inspect [options] [TEMPLATE]`: lists the components a template defines.
 */
import { inspectJSONTemplate, inspectMessages, loadHCL2Config } from "../../template/index.js";
import type { CommandContext } from "../command.js";
import { loadBuiltinCatalog } from "../component-catalog.js";
import { defineCommand, options, parseCommandLine } from "../define-command.js";
import { boolFlag } from "../flags.js";
import { loadJSONTemplate } from "../json-template.js";
import { type MetaOptions, metaFlags, metaOptions } from "../meta-args.js";
import { type CommandRuntime, openCommandRuntime, templateKind } from "../template-runtime.js";
import { PACKER_COMPATIBLE_VERSION } from "../version.js";
import { writeDiags } from "../write-diagnostics.js";

export interface InspectOptions extends MetaOptions {
  /** The template, or "" when not exactly one argument was given (Packer then ignores the arguments). */
  readonly path: string;
  readonly useSequentialEvaluation: boolean;
}

const flags = {
  "use-sequential-evaluation": boolFlag(false),
  ...metaFlags,
};

const HELP = `Usage: kiln inspect TEMPLATE

  Parses a template and lists the components it defines. The contents are not
  validated beyond the syntax checks parsing requires.

Options:

  -machine-readable             Machine-readable output
  -use-sequential-evaluation    Evaluate locals and data sources in sequential phases instead of by dependency.`;

export const inspectCommand = defineCommand<InspectOptions>({
  name: "inspect",
  synopsis: "see components of a template",
  help: () => HELP,
  parse: (args) =>
    parseCommandLine(flags, args, (v, rest) =>
      options({
        ...metaOptions(v),
        path: rest.length === 1 ? rest[0]! : "",
        useSequentialEvaluation: v["use-sequential-evaluation"],
      }),
    ),
  execute: runInspect,
});

async function runInspect(options: InspectOptions, ctx: CommandContext): Promise<number> {
  const opened = openCommandRuntime(ctx);
  if ("exitCode" in opened) return opened.exitCode;
  const { ui, redactor, log } = opened.runtime;
  try {
    const kind = templateKind(options.path, options.configType, ctx.io.cwd);
    if (kind.kind === "error") {
      ui.error(kind.message);
      return 1;
    }
    if (kind.kind === "json") return await inspectJSON(options, ctx, opened.runtime);

    const loaded = loadHCL2Config({
      path: options.path,
      varFiles: options.varFiles,
      vars: options.vars,
      env: ctx.io.env,
      cwd: ctx.io.cwd,
      coreVersion: PACKER_COMPATIBLE_VERSION,
    });
    const { config } = loaded;
    if (writeDiags(ui, loaded.diagnostics, loaded.sources) !== 0 || config === undefined) return 1;

    // As Packer: problems found while initializing are not reported, so that a template with unknown
    // values can still be inspected. Data sources do run.
    await config.initialize({
      catalog: await loadBuiltinCatalog(),
      useSequentialEvaluation: options.useSequentialEvaluation,
      secrets: redactor,
      log,
      signal: ctx.signal,
    });
    for (const message of inspectMessages(config)) ui.say(message);
    return 0;
  } finally {
    log.close();
  }
}

/**
 * Legacy JSON templates: as Packer, problems found while initializing are not reported; the template is
 * described as written.
 */
async function inspectJSON(
  options: InspectOptions,
  ctx: CommandContext,
  runtime: CommandRuntime,
): Promise<number> {
  const { ui, redactor } = runtime;
  const loaded = await loadJSONTemplate(ui, options, ctx);
  if (loaded === undefined) return 1;
  await loaded.config.initialize({ secrets: redactor, signal: ctx.signal });
  for (const line of inspectJSONTemplate(loaded.config.template)) {
    if (line.kind === "say") ui.say(line.text);
    else ui.machine(line.type, ...line.args);
  }
  return 0;
}
