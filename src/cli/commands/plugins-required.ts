/**
 * `kiln plugins required TEMPLATE`: lists the plugins a configuration requires and the installed binaries
 * matching each requirement.
 */
import type { CommandContext } from "../command.js";
import {
  defineCommand,
  fullHelp,
  notImplemented,
  options,
  type ParsingCommand,
  parseCommandLine,
} from "../define-command.js";
import { type MetaOptions, metaFlags, metaOptions } from "../meta-args.js";

export interface PluginsRequiredOptions extends MetaOptions {
  readonly path: string;
}

const HELP = `Usage: kiln plugins required <path>
  Lists every plugin a configuration requires in its packer.required_plugins
  blocks, each followed by the installed binaries that match its version
  constraint for the current OS and architecture. The most recent version
  (the first listed) is the one a build uses.
  Ex: kiln plugins required require.pkr.hcl
  Ex: kiln plugins required path/to/folder/`;

function create(name: string): ParsingCommand<PluginsRequiredOptions> {
  return defineCommand<PluginsRequiredOptions>({
    name,
    synopsis: "List plugins required by a config",
    help: () => HELP,
    parse: (args) =>
      parseCommandLine(metaFlags, args, (v, rest) => {
        if (rest.length !== 1) return fullHelp();
        return options({ ...metaOptions(v), path: rest[0]! });
      }),
    execute: (o, ctx) => runPluginsRequired(o, ctx),
  });
}

export const pluginsRequiredCommand = create("plugins required");
export const pluginRequiredAliasCommand = create("plugin required");

async function runPluginsRequired(_options: PluginsRequiredOptions, ctx: CommandContext): Promise<number> {
  return notImplemented("plugins required", ctx);
}
