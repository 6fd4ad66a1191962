/**
 * `kiln plugins remove <source> [<version constraint>]` or `kiln plugins remove <absolute binary path>`.
 * Like Packer, it parses no flags: every argument is positional.
 */
import { isAbsolute } from "node:path";
import type { CommandContext } from "../command.js";
import { defineCommand, fullHelp, notImplemented, options, type ParsingCommand } from "../define-command.js";

export type PluginsRemoveOptions =
  /** Remove the installations of a plugin source, optionally only those matching a version constraint. */
  | { readonly kind: "source"; readonly source: string; readonly versionConstraint: string }
  /** Remove one binary, given by its absolute path (it must lie under the plugin directory). */
  | { readonly kind: "binary"; readonly binaryPath: string };

const HELP = `Usage: kiln plugins remove <plugin> [<version constraint>]
  Removes one or more installed plugins.
  To remove the versions of a plugin matching a constraint, for the current OS and architecture:
      kiln plugins remove github.com/hashicorp/happycloud v1.2.3
  To remove every version of a plugin for the current OS and architecture, leave out the constraint:
      kiln plugins remove github.com/hashicorp/happycloud
  To remove a single binary from the plugin directory, give its absolute path (no version matching then):
      kiln plugins remove ~/.config/plugins/github.com/hashicorp/happycloud/packer-plugin-happycloud_v1.0.0_x5.0_linux_amd64`;

function create(name: string): ParsingCommand<PluginsRemoveOptions> {
  return defineCommand<PluginsRemoveOptions>({
    name,
    synopsis: "Remove Packer plugins [matching a version]",
    help: () => HELP,
    parse: (args) => {
      const [first, second] = args;
      if (first === undefined || args.length > 2) return fullHelp();
      if (isAbsolute(first)) {
        if (second !== undefined) {
          return fullHelp("Unsupported: no version constraint may be specified with a local plugin path.\n");
        }
        return options({ kind: "binary", binaryPath: first });
      }
      return options({ kind: "source", source: first, versionConstraint: second ?? "" });
    },
    execute: (o, ctx) => runPluginsRemove(o, ctx),
  });
}

export const pluginsRemoveCommand = create("plugins remove");
export const pluginRemoveAliasCommand = create("plugin remove");

async function runPluginsRemove(_options: PluginsRemoveOptions, ctx: CommandContext): Promise<number> {
  return notImplemented("plugins remove", ctx);
}
