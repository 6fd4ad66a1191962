/**
 * `kiln fmt [options] PATH...`: rewrites HCL2 files in canonical format.
 */
import { isAbsolute, join } from "node:path";
import type { CommandContext } from "../command.js";
import { defineCommand, options, parseCommandLine, usage } from "../define-command.js";
import { boolFlag } from "../flags.js";
import { formatPaths } from "../format-paths.js";
import { type MetaOptions, metaFlags, metaOptions } from "../meta-args.js";
import { streamOutput, writeDiags } from "../write-diagnostics.js";

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

async function runFmt(opts: FmtOptions, ctx: CommandContext): Promise<number> {
  const { stdout, stdin, cwd } = ctx.io;
  const paths = opts.paths.map((p) => (p === "-" || isAbsolute(p) ? p : relativeTo(cwd, p)));
  const result = await formatPaths(
    paths,
    { diff: opts.diff, write: opts.check ? false : opts.write, recursive: opts.recursive },
    { out: (text) => stdout.write(text), readStdin: () => readAll(stdin) },
  );
  const code = writeDiags(streamOutput(stdout), result.diagnostics, result.sources);
  if (code !== 0) return code;
  // Exit code 3 when -check finds files to change, as `packer fmt` (taken from `terraform fmt`).
  return opts.check && result.bytesModified > 0 ? 3 : 0;
}

/** Paths are shown as given, but resolved against the command's working directory. */
function relativeTo(cwd: string, p: string): string {
  return cwd === process.cwd() ? p : join(cwd, p);
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString("utf8");
}
