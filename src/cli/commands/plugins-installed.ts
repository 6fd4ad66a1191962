/**
 * `kiln plugins installed`: lists the installed plugin binaries for this OS and architecture.
 * Takes no flags; like Packer, it ignores its arguments.
 */
import type { CommandContext } from "../command.js";
import { defineCommand, notImplemented, options, type ParsingCommand } from "../define-command.js";

// biome-ignore lint/complexity/noBannedTypes: the command has no options at all.
export type PluginsInstalledOptions = {};

const HELP = `Usage: kiln plugins installed
  Lists every installed plugin binary built for the current OS and
  architecture, whatever plugin API version it speaks.`;

function create(name: string): ParsingCommand<PluginsInstalledOptions> {
  return defineCommand<PluginsInstalledOptions>({
    name,
    synopsis: "List all installed Packer plugin binaries",
    help: () => HELP,
    parse: () => options({}),
    execute: (o, ctx) => runPluginsInstalled(o, ctx),
  });
}

export const pluginsInstalledCommand = create("plugins installed");
export const pluginInstalledAliasCommand = create("plugin installed");

async function runPluginsInstalled(_options: PluginsInstalledOptions, ctx: CommandContext): Promise<number> {
  return notImplemented("plugins installed", ctx);
}
