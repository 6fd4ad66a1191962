/**
 * `kiln inspect [options] [TEMPLATE]`: lists the components a template defines.
 */
import type { CommandContext } from "../command.js";
import { defineCommand, notImplemented, options, parseCommandLine } from "../define-command.js";
import { boolFlag } from "../flags.js";
import { type MetaOptions, metaFlags, metaOptions } from "../meta-args.js";

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

async function runInspect(_options: InspectOptions, ctx: CommandContext): Promise<number> {
  return notImplemented("inspect", ctx);
}
