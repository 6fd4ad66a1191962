/**
 * Help texts in the layout of mitchellh/cli, the dispatcher Packer uses.
 */
import type { Command } from "./command.js";

/** What the command lists show of a command; a Command is one, and so is a not yet loaded command. */
export type CommandListing = Pick<Command, "name" | "synopsis" | "hidden">;

/** The commands directly under `parent` ("" for the top level), hidden ones left out, sorted by name. */
export function childCommands<C extends CommandListing>(commands: readonly C[], parent: string): C[] {
  const depth = parent === "" ? 0 : parent.split(" ").length;
  const prefix = parent === "" ? "" : `${parent} `;
  return commands
    .filter((c) => c.hidden !== true && c.name.startsWith(prefix) && c.name.split(" ").length === depth + 1)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The command list shown by `kiln`, `kiln -h` and for an unknown command (ends with a blank line). */
export function commandListHelp(commands: readonly CommandListing[], parent = ""): string {
  const shown = childCommands(commands, parent);
  const width = Math.max(0, ...shown.map((c) => c.name.length));
  const rows = shown.map((c) => `    ${c.name.padEnd(width)}    ${c.synopsis}\n`);
  return `Usage: kiln [--version] [--help] <command> [<args>]\n\nAvailable commands are:\n${rows.join("")}\n`;
}

/** A command's help followed, when it has sub-commands, by their list (ends with a newline). */
export function commandHelp(commands: readonly CommandListing[], command: Command): string {
  const subs = childCommands(commands, command.name);
  let text = command.help();
  if (subs.length > 0) {
    const width = Math.max(...subs.map((c) => lastWord(c.name).length));
    text += "\n\nSubcommands:";
    for (const sub of subs) text += `\n    ${lastWord(sub.name).padEnd(width)}    ${sub.synopsis}`;
  }
  return text.endsWith("\n") ? text : `${text}\n`;
}

function lastWord(name: string): string {
  return name.slice(name.lastIndexOf(" ") + 1);
}
