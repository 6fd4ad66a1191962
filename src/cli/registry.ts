/**
 * Every command kiln knows, keyed by its full name (nested commands have a space: `plugins install`).
 */
import type { Command } from "./command.js";
import { buildCommand } from "./commands/build.js";
import { consoleCommand } from "./commands/console.js";
import { fixCommand } from "./commands/fix.js";
import { fmtCommand } from "./commands/fmt.js";
import { hcl2UpgradeCommand } from "./commands/hcl2-upgrade.js";
import { initCommand } from "./commands/init.js";
import { inspectCommand } from "./commands/inspect.js";
import { pluginAliasCommand, pluginsCommand } from "./commands/plugins.js";
import { pluginInstallAliasCommand, pluginsInstallCommand } from "./commands/plugins-install.js";
import { pluginInstalledAliasCommand, pluginsInstalledCommand } from "./commands/plugins-installed.js";
import { pluginRemoveAliasCommand, pluginsRemoveCommand } from "./commands/plugins-remove.js";
import { pluginRequiredAliasCommand, pluginsRequiredCommand } from "./commands/plugins-required.js";
import { validateCommand } from "./commands/validate.js";
import { versionCommand } from "./commands/version.js";

export const COMMANDS: readonly Command[] = [
  buildCommand,
  consoleCommand,
  fixCommand,
  fmtCommand,
  hcl2UpgradeCommand,
  initCommand,
  inspectCommand,
  pluginsCommand,
  pluginsInstallCommand,
  pluginsInstalledCommand,
  pluginsRemoveCommand,
  pluginsRequiredCommand,
  pluginAliasCommand,
  pluginInstallAliasCommand,
  pluginInstalledAliasCommand,
  pluginRemoveAliasCommand,
  pluginRequiredAliasCommand,
  validateCommand,
  versionCommand,
];
