/**
 * The commands the CLI offers, as listings with loaders: the command list needs only names and synopses, and
 * a run loads just the module of the command it runs (so `kiln version` does not load the build engine, SSH or
 * Docker). Names, synopses and hidden flags must equal those of the loaded commands (command-table.test.ts
 * checks it against registry.ts, which imports every command eagerly).
 */
import type { Command } from "./command.js";
import type { LazyCommand } from "./dispatcher.js";

function lazy(name: string, synopsis: string, load: () => Promise<Command>, hidden = false): LazyCommand {
  return hidden ? { name, synopsis, hidden, load } : { name, synopsis, load };
}

const PLUGINS_SYNOPSIS = "Interact with Packer plugins and catalog";
const INSTALL_SYNOPSIS = "Install latest Packer plugin [matching version constraint]";
const INSTALLED_SYNOPSIS = "List all installed Packer plugin binaries";
const REMOVE_SYNOPSIS = "Remove Packer plugins [matching a version]";
const REQUIRED_SYNOPSIS = "List plugins required by a config";

export const COMMAND_TABLE: readonly LazyCommand[] = [
  lazy(
    "build",
    "build image(s) from template",
    async () => (await import("./commands/build.js")).buildCommand,
  ),
  lazy(
    "console",
    "creates a console for testing variable interpolation",
    async () => (await import("./commands/console.js")).consoleCommand,
  ),
  lazy(
    "fix",
    "fixes templates from old versions of packer",
    async () => (await import("./commands/fix.js")).fixCommand,
  ),
  lazy(
    "fmt",
    "Rewrites HCL2 config files to canonical format",
    async () => (await import("./commands/fmt.js")).fmtCommand,
  ),
  lazy(
    "hcl2_upgrade",
    "transform a JSON template into an HCL2 configuration",
    async () => (await import("./commands/hcl2-upgrade.js")).hcl2UpgradeCommand,
  ),
  lazy(
    "init",
    "Install missing plugins or upgrade plugins",
    async () => (await import("./commands/init.js")).initCommand,
  ),
  lazy(
    "inspect",
    "see components of a template",
    async () => (await import("./commands/inspect.js")).inspectCommand,
  ),
  lazy("plugins", PLUGINS_SYNOPSIS, async () => (await import("./commands/plugins.js")).pluginsCommand),
  lazy(
    "plugins install",
    INSTALL_SYNOPSIS,
    async () => (await import("./commands/plugins-install.js")).pluginsInstallCommand,
  ),
  lazy(
    "plugins installed",
    INSTALLED_SYNOPSIS,
    async () => (await import("./commands/plugins-installed.js")).pluginsInstalledCommand,
  ),
  lazy(
    "plugins remove",
    REMOVE_SYNOPSIS,
    async () => (await import("./commands/plugins-remove.js")).pluginsRemoveCommand,
  ),
  lazy(
    "plugins required",
    REQUIRED_SYNOPSIS,
    async () => (await import("./commands/plugins-required.js")).pluginsRequiredCommand,
  ),
  lazy(
    "plugin",
    PLUGINS_SYNOPSIS,
    async () => (await import("./commands/plugins.js")).pluginAliasCommand,
    true,
  ),
  lazy(
    "plugin install",
    INSTALL_SYNOPSIS,
    async () => (await import("./commands/plugins-install.js")).pluginInstallAliasCommand,
  ),
  lazy(
    "plugin installed",
    INSTALLED_SYNOPSIS,
    async () => (await import("./commands/plugins-installed.js")).pluginInstalledAliasCommand,
  ),
  lazy(
    "plugin remove",
    REMOVE_SYNOPSIS,
    async () => (await import("./commands/plugins-remove.js")).pluginRemoveAliasCommand,
  ),
  lazy(
    "plugin required",
    REQUIRED_SYNOPSIS,
    async () => (await import("./commands/plugins-required.js")).pluginRequiredAliasCommand,
  ),
  lazy(
    "validate",
    "check that a template is valid",
    async () => (await import("./commands/validate.js")).validateCommand,
  ),
  lazy(
    "version",
    "Prints the kiln version",
    async () => (await import("./commands/version.js")).versionCommand,
  ),
];
