/**
 * `kiln build [options] TEMPLATE`: runs the builds a template defines.
 */
import type { CommandContext } from "../command.js";
import { defineCommand, notImplemented, options, parseCommandLine, usage } from "../define-command.js";
import { boolFlag, enumFlag, int64Flag } from "../flags.js";
import { type MetaOptions, metaFlags, metaOptions } from "../meta-args.js";

export type OnErrorMode = "cleanup" | "abort" | "ask" | "run-cleanup-provisioner";

export interface BuildOptions extends MetaOptions {
  /** The template file or directory (exactly one is required). */
  readonly path: string;
  readonly color: boolean;
  readonly debug: boolean;
  readonly force: boolean;
  /** `--machine-readable` (double dash) reaches build as this otherwise inert flag; see GlobalOptions. */
  readonly machineReadable: boolean;
  /** "" when not given, which behaves as `cleanup`. */
  readonly onError: OnErrorMode | "";
  /** Maximum concurrent builds; `-parallel-builds` below 1 (the default 0) means unlimited: Infinity. */
  readonly parallelBuilds: number;
  readonly timestampUi: boolean;
  readonly warnOnUndeclaredVar: boolean;
  readonly ignorePrereleasePlugins: boolean;
  readonly useSequentialEvaluation: boolean;
  readonly skipEnforcement: boolean;
}

const flags = {
  color: boolFlag(true),
  debug: boolFlag(false),
  force: boolFlag(false),
  "timestamp-ui": boolFlag(false),
  "machine-readable": boolFlag(false),
  "parallel-builds": int64Flag(0n),
  "on-error": enumFlag<OnErrorMode, "">(["cleanup", "abort", "ask", "run-cleanup-provisioner"], ""),
  "warn-on-undeclared-var": boolFlag(false),
  "use-sequential-evaluation": boolFlag(false),
  "ignore-prerelease-plugins": boolFlag(false),
  "skip-enforcement": boolFlag(false),
  ...metaFlags,
};

const HELP = `Usage: kiln build [options] TEMPLATE

  Runs every build the template defines, in parallel, and reports the
  artifacts they produce.

Options:

  -color=false                  Disable colored output. (Default: color)
  -debug                        Debug mode: pause between steps; builds run one at a time.
  -except=foo,bar,baz           Run all builds and post-processors other than these.
  -only=foo,bar,baz             Run only the specified builds.
  -force                        Force builds to run even if artifacts exist, deleting existing artifacts.
  -machine-readable             Produce machine-readable output.
  -on-error=[cleanup|abort|ask|run-cleanup-provisioner] If a build fails: clean up (default), abort, ask, or run the error-cleanup provisioner.
  -parallel-builds=1            Number of builds to run in parallel. 1 disables parallelization. 0 means no limit (Default: 0)
  -timestamp-ui                 Prefix each line of UI output with an RFC3339 timestamp.
  -var 'key=value'              Set a template variable; can be used multiple times.
  -var-file=path                JSON or HCL2 file of variable values; can be used multiple times.
  -warn-on-undeclared-var       Warn about values in variable files for undeclared variables.
  -ignore-prerelease-plugins    Do not load prerelease plugin binaries (x.y.z-dev).
  -use-sequential-evaluation    Evaluate locals and data sources in sequential phases instead of by dependency.
  -skip-enforcement             Do not inject HCP Packer enforced provisioners.`;

export const buildCommand = defineCommand<BuildOptions>({
  name: "build",
  synopsis: "build image(s) from template",
  help: () => HELP,
  parse: (args) =>
    parseCommandLine(flags, args, (v, rest) => {
      if (rest.length !== 1) return usage();
      return options({
        ...metaOptions(v),
        path: rest[0]!,
        color: v.color,
        debug: v.debug,
        force: v.force,
        machineReadable: v["machine-readable"],
        onError: v["on-error"],
        parallelBuilds: v["parallel-builds"] < 1n ? Number.POSITIVE_INFINITY : Number(v["parallel-builds"]),
        timestampUi: v["timestamp-ui"],
        warnOnUndeclaredVar: v["warn-on-undeclared-var"],
        ignorePrereleasePlugins: v["ignore-prerelease-plugins"],
        useSequentialEvaluation: v["use-sequential-evaluation"],
        skipEnforcement: v["skip-enforcement"],
      });
    }),
  execute: runBuild,
});

async function runBuild(_options: BuildOptions, ctx: CommandContext): Promise<number> {
  return notImplemented("build", ctx);
}
