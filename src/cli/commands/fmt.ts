/**
 * `kiln fmt [options] PATH...`: rewrites HCL2 files in canonical format.
 */
import type { CommandContext } from "../command.js";
import { defineCommand, notImplemented, options, parseCommandLine, usage } from "../define-command.js";
import { boolFlag } from "../flags.js";
import { type MetaOptions, metaFlags, metaOptions } from "../meta-args.js";

export interface FmtOptions extends MetaOptions {
  /** Files or directories; `-` reads standard input. At least one. */
  readonly paths: readonly string[];
  /** Exit 3 if anything would change; implies `write: false` (applied by the work, as in Packer). */
  readonly check: boolean;
  readonly diff: boolean;
  /** Default true. */
  readonly write: boolean;
  readonly recursive: boolean;
}

const flags = {
  check: boolFlag(false),
  diff: boolFlag(false),
  write: boolFlag(true),
  recursive: boolFlag(false),
  ...metaFlags,
};

const HELP = `Usage: kiln fmt [options] [TEMPLATE]

  Rewrites configuration files (.pkr.hcl) and variable files (.pkrvars.hcl)
  in the canonical format. JSON files (.json) are left alone.

  If TEMPLATE is "." the current directory is used.
  If TEMPLATE is "-" the content is read from standard input.

  Only Packer's HCL2 configuration language is supported, not JSON.

Options:
  -check        Check whether the input is formatted. The exit status is 0 if
                all input is formatted and non-zero otherwise.

  -diff         Show the formatting changes as a diff

  -write=false  Do not write to the source files
                (always disabled with -check)

  -recursive    Also process files in subdirectories. By default only the
                given directory (or the current directory) is processed.`;

export const fmtCommand = defineCommand<FmtOptions>({
  name: "fmt",
  synopsis: "Rewrites HCL2 config files to canonical format",
  help: () => HELP,
  parse: (args) =>
    parseCommandLine(flags, args, (v, rest) => {
      if (rest.length === 0) return usage();
      return options({
        ...metaOptions(v),
        paths: rest,
        check: v.check,
        diff: v.diff,
        write: v.write,
        recursive: v.recursive,
      });
    }),
  execute: runFmt,
});

async function runFmt(_options: FmtOptions, ctx: CommandContext): Promise<number> {
  return notImplemented("fmt", ctx);
}
