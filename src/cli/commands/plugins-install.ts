/**
 * `kiln plugins install [-path <binary>] [-force] <source> [<version constraint>]`.
 */
import type { CommandContext } from "../command.js";
import {
  defineCommand,
  notImplemented,
  options,
  type ParsingCommand,
  parseCommandLine,
  usage,
} from "../define-command.js";
import { boolFlag, stringFlag } from "../flags.js";
import { type MetaOptions, metaFlags, metaOptions } from "../meta-args.js";

export interface PluginsInstallOptions extends MetaOptions {
  /** The plugin source address, e.g. `github.com/hashicorp/docker`. */
  readonly source: string;
  /** The version constraint, "" when not given. */
  readonly versionConstraint: string;
  /** `-path`: install this local binary instead of downloading; "" when not given. */
  readonly binaryPath: string;
  readonly force: boolean;
}

const flags = {
  path: stringFlag(""),
  force: boolFlag(false),
  ...metaFlags,
};

const HELP = `Usage: kiln plugins install [OPTIONS...] <plugin> [<version constraint>]
  Installs the most recent compatible release of a plugin that matches the
  version constraint, or the most recent release when no constraint is given.
  Ex: kiln plugins install github.com/hashicorp/happycloud v1.2.3
      kiln plugins install --path ./packer-plugin-happycloud "github.com/hashicorp/happycloud"
Options:
  -path <path>                  Install the plugin from a local plugin binary.
                                It is installed where a download would go, but
                                nothing is downloaded: the binary is copied into
                                the plugins directory. Cannot be combined with a
                                version constraint.
  -force                        Reinstall the plugin, even if it is already installed.`;

function create(name: string): ParsingCommand<PluginsInstallOptions> {
  return defineCommand<PluginsInstallOptions>({
    name,
    synopsis: "Install latest Packer plugin [matching version constraint]",
    help: () => HELP,
    parse: (args) =>
      parseCommandLine(flags, args, (v, rest) => {
        if (rest.length < 1 || rest.length > 2) {
          return usage(`Invalid arguments, expected either 1 or 2 positional arguments, got ${rest.length}`);
        }
        const versionConstraint = rest[1] ?? "";
        if (v.path !== "" && versionConstraint !== "") {
          return usage(
            "Invalid arguments: a version cannot be specified when using --path to install a local plugin binary",
          );
        }
        return options({
          ...metaOptions(v),
          source: rest[0]!,
          versionConstraint,
          binaryPath: v.path,
          force: v.force,
        });
      }),
    execute: (o, ctx) => runPluginsInstall(o, ctx),
  });
}

export const pluginsInstallCommand = create("plugins install");
export const pluginInstallAliasCommand = create("plugin install");

async function runPluginsInstall(_options: PluginsInstallOptions, ctx: CommandContext): Promise<number> {
  return notImplemented("plugins install", ctx);
}
