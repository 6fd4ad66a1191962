/**
 * `kiln plugins <subcommand>`: the group of plugin commands. On its own it only shows its help (exit 1).
 * `plugin` is a hidden alias, as in Packer.
 */
import { type Command, RUN_RESULT_HELP } from "../command.js";

const HELP = `Usage: kiln plugins <subcommand> [options] [args]
  This command groups the subcommands that manage plugins.

Related, but not under "plugins":
- "kiln init <path>" installs every plugin a configuration requires.`;

function pluginsGroup(name: string, hidden: boolean): Command {
  const command: Command = {
    name,
    synopsis: "Interact with Packer plugins and catalog",
    help: () => HELP,
    run: async () => RUN_RESULT_HELP,
  };
  return hidden ? { ...command, hidden } : command;
}

export const pluginsCommand = pluginsGroup("plugins", false);
export const pluginAliasCommand = pluginsGroup("plugin", true);
