/**
 * `kiln console [options] [TEMPLATE]`: evaluates expressions against a template, interactively or from stdin.
 */
import type { CommandContext } from "../command.js";
import { defineCommand, notImplemented, options, parseCommandLine } from "../define-command.js";
import { boolFlag } from "../flags.js";
import { type MetaOptions, metaFlags, metaOptions } from "../meta-args.js";

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

async function runConsole(_options: ConsoleOptions, ctx: CommandContext): Promise<number> {
  return notImplemented("console", ctx);
}
