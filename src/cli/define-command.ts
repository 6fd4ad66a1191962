/**
 * Builds a Command from two halves: `parse` turns the arguments into a typed options object (or a usage
 * failure), `execute` does the work. Keeping them apart lets the work be written without touching the parsing.
 */
import { type Command, type CommandContext, RUN_RESULT_HELP, writeLine } from "./command.js";
import { type FlagSpec, type FlagValues, parseFlags } from "./flags.js";

export type ParseOutcome<T> =
  | { readonly kind: "options"; readonly options: T }
  /** Print `messages`, then the command's help, on stderr; exit 1. */
  | { readonly kind: "usage"; readonly messages: readonly string[] }
  /** Print `messages` on stderr, then let the dispatcher print the full help (with sub-commands); exit 1. */
  | { readonly kind: "help"; readonly messages: readonly string[] };

export interface CommandParts<T> {
  readonly name: string;
  readonly synopsis: string;
  readonly hidden?: boolean;
  help(): string;
  parse(args: readonly string[]): ParseOutcome<T>;
  execute(options: T, ctx: CommandContext): Promise<number>;
}

/** A Command that also exposes its parser, for tests and for callers that want the options only. */
export interface ParsingCommand<T> extends Command {
  parse(args: readonly string[]): ParseOutcome<T>;
}

export function defineCommand<T>(parts: CommandParts<T>): ParsingCommand<T> {
  const command: ParsingCommand<T> = {
    name: parts.name,
    synopsis: parts.synopsis,
    help: () => parts.help(),
    parse: (args) => parts.parse(args),
    async run(args, ctx) {
      const outcome = parts.parse(args);
      switch (outcome.kind) {
        case "options":
          return parts.execute(outcome.options, ctx);
        case "help":
          for (const message of outcome.messages) writeLine(ctx.io.stderr, message);
          return RUN_RESULT_HELP;
        case "usage":
          for (const message of outcome.messages) writeLine(ctx.io.stderr, message);
          writeLine(ctx.io.stderr, parts.help());
          return 1;
      }
    },
  };
  return parts.hidden === true ? { ...command, hidden: true } : command;
}

export function options<T>(value: T): ParseOutcome<T> {
  return { kind: "options", options: value };
}

export function usage<T>(...messages: string[]): ParseOutcome<T> {
  return { kind: "usage", messages };
}

export function fullHelp<T>(...messages: string[]): ParseOutcome<T> {
  return { kind: "help", messages };
}

/**
 * Parses flags, then hands the values and the remaining arguments to `build`. A flag error becomes a usage
 * failure carrying Go's one-line message (none for an undefined `-h`/`-help`, which Go answers with usage only).
 */
export function parseCommandLine<S extends FlagSpec, T>(
  spec: S,
  args: readonly string[],
  build: (values: FlagValues<S>, rest: readonly string[]) => ParseOutcome<T>,
): ParseOutcome<T> {
  const parsed = parseFlags(spec, args);
  if (!parsed.ok) return parsed.helpRequested ? usage() : usage(parsed.message);
  return build(parsed.values, parsed.args);
}

/** The work of commands that are not written yet: says so and fails. */
export async function notImplemented(name: string, ctx: CommandContext): Promise<number> {
  writeLine(ctx.io.stderr, `kiln ${name}: not implemented yet`);
  return 1;
}
