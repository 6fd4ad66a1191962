/**
 * `kiln init [options] TEMPLATE`: installs the plugins a configuration requires.
 */
import type { CommandContext } from "../command.js";
import { defineCommand, notImplemented, options, parseCommandLine, usage } from "../define-command.js";
import { boolFlag } from "../flags.js";
import { type MetaOptions, metaFlags, metaOptions } from "../meta-args.js";

export interface InitOptions extends MetaOptions {
  readonly path: string;
  readonly upgrade: boolean;
  readonly force: boolean;
}

const flags = {
  upgrade: boolFlag(false),
  force: boolFlag(false),
  ...metaFlags,
};

const HELP = `Usage: kiln init [options] TEMPLATE

  Installs every plugin a configuration requires that is not installed yet.
  There is no state to keep.

  Run this first when working with a new or existing configuration.

  It is always safe to run more than once. Later runs may report errors,
  but it never deletes anything.

Options:
  -upgrade                     Besides installing missing plugins, upgrade
                               installed plugins to the highest available
                               version, if a newer one exists. The version
                               constraints of the configuration still apply.
  -force                       Reinstall plugins, even if they are already
                               installed.`;

export const initCommand = defineCommand<InitOptions>({
  name: "init",
  synopsis: "Install missing plugins or upgrade plugins",
  help: () => HELP,
  parse: (args) =>
    parseCommandLine(flags, args, (v, rest) => {
      if (rest.length !== 1) return usage();
      return options({ ...metaOptions(v), path: rest[0]!, upgrade: v.upgrade, force: v.force });
    }),
  execute: runInit,
});

async function runInit(_options: InitOptions, ctx: CommandContext): Promise<number> {
  return notImplemented("init", ctx);
}
