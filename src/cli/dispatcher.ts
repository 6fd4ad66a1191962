/**
 * Chooses and runs the sub-command, with the rules of mitchellh/cli as Packer configures it:
 *  - `-h`, `-help`, `--help` anywhere before `--` ask for help (of the command, or the command list);
 *  - `-v`, `-version`, `--version` before the command run `version`;
 *  - any other `-flag` before the command is an error;
 *  - nested commands (`plugins install`) are found by the longest run of matching words;
 *  - no command shows the command list, an unknown one a line naming it and the list; both exit 127.
 * Requested help goes to stdout; help shown because of a mistake goes to stderr.
 */
import { type Command, type CommandContext, RUN_RESULT_HELP } from "./command.js";
import { type CommandListing, commandHelp, commandListHelp } from "./help.js";

/**
 * A command known by its listing only until it runs or shows its help: `load` imports its module (once; the
 * module cache makes later calls cheap) and resolves to the Command, whose name must be the listing's.
 */
export interface LazyCommand extends CommandListing {
  load(): Promise<Command>;
}

/** What dispatch() chooses from: commands, or listings of commands loaded when chosen. */
export type CommandEntry = Command | LazyCommand;

function isLazy(entry: CommandEntry): entry is LazyCommand {
  return "load" in entry && typeof entry.load === "function";
}

export interface ProcessedArgs {
  /** The command's full name, or the unknown word given, or "" when there is none. */
  readonly subcommand: string;
  readonly subcommandArgs: readonly string[];
  /** Flags seen before the command (other than help and version flags). */
  readonly topFlags: readonly string[];
  readonly isHelp: boolean;
  readonly isVersion: boolean;
}

const HELP_FLAGS = new Set(["-h", "-help", "--help"]);
const VERSION_FLAGS = new Set(["-v", "-version", "--version"]);

/** Splits the arguments into the command, its arguments and the global flags (mitchellh/cli's processArgs). */
export function processArgs(args: readonly string[], names: readonly string[]): ProcessedArgs {
  let subcommand = "";
  let subcommandArgs: readonly string[] = [];
  const topFlags: string[] = [];
  let isHelp = false;
  let isVersion = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--") break;
    if (HELP_FLAGS.has(arg)) {
      isHelp = true;
      continue;
    }
    if (subcommand === "") {
      if (VERSION_FLAGS.has(arg)) {
        isVersion = true;
        continue;
      }
      if (arg.startsWith("-")) topFlags.push(arg);
      else if (arg !== "") {
        const words = longestCommandAt(args, i, names);
        subcommand = words === 0 ? arg : args.slice(i, i + words).join(" ");
        subcommandArgs = args.slice(i + Math.max(words, 1));
      }
    }
  }
  return { subcommand, subcommandArgs, topFlags, isHelp, isVersion };
}

/** How many words from `args[start]` on form the longest command name (0 if none does). */
function longestCommandAt(args: readonly string[], start: number, names: readonly string[]): number {
  let best = 0;
  for (const name of names) {
    const words = name.split(" ");
    if (words.length > best && words.every((w, k) => args[start + k] === w)) best = words.length;
  }
  return best;
}

/** Runs the command the arguments name; resolves to the process exit code. */
export async function dispatch(
  argv: readonly string[],
  commands: readonly CommandEntry[],
  ctx: CommandContext,
): Promise<number> {
  const { stdout, stderr } = ctx.io;
  const names = commands.map((c) => c.name);
  let processed = processArgs(argv, names);
  // As Packer 1.16 does: a version flag before the command replaces the whole command line by `version`.
  if (processed.isVersion) processed = processArgs(["version"], names);

  if (processed.isHelp && processed.subcommand === "") {
    stdout.write(commandListHelp(commands));
    return 0;
  }
  const entry = commands.find((c) => c.name === processed.subcommand);
  if (entry === undefined) {
    // One line naming the unknown command (Packer prints only the list), then the list; Packer's exit code.
    const typed = argv.find((a) => !a.startsWith("-"));
    if (typed !== undefined) stderr.write(`kiln: unknown command "${typed}"\n\n`);
    stderr.write(commandListHelp(commands));
    return 127;
  }
  const command = isLazy(entry) ? await entry.load() : entry;
  if (processed.isHelp) {
    stdout.write(commandHelp(commands, command));
    return 0;
  }
  if (processed.topFlags.length > 0) {
    stderr.write(
      "Invalid flags before the subcommand. If these flags are for\n" +
        "the subcommand, please put them after the subcommand.\n\n",
    );
    stderr.write(commandHelp(commands, command));
    return 1;
  }
  const code = await command.run(processed.subcommandArgs, ctx);
  if (code === RUN_RESULT_HELP) {
    stderr.write(commandHelp(commands, command));
    return 1;
  }
  return code;
}
