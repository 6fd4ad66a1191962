/**
 * `kiln build [options] TEMPLATE`: runs the builds a template defines.
 */
import { randomUUID } from "node:crypto";
import { createWriteStream, type WriteStream } from "node:fs";
import { resolve } from "node:path";
import { JsonEventStream, Redactor, runBuilds } from "../../core/index.js";
import type { Diagnostic } from "../../hcl/index.js";
import { getBuilds, loadHCL2Config, type PreparedBuild } from "../../template/index.js";
import type { CommandContext } from "../command.js";
import { loadBuiltinCatalog } from "../component-catalog.js";
import { defineCommand, options, parseCommandLine, usage } from "../define-command.js";
import { boolFlag, enumFlag, int64Flag, stringFlag } from "../flags.js";
import { initializeJSONTemplate, loadJSONTemplate } from "../json-template.js";
import { type MetaOptions, metaFlags, metaOptions } from "../meta-args.js";
import { type CommandRuntime, openCommandRuntime, templateKind } from "../template-runtime.js";
import { PACKER_COMPATIBLE_VERSION } from "../version.js";
import { writeDiags } from "../write-diagnostics.js";

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
  /** `-json-events=FILE`: also write the run as JSON events, one per line, to FILE (absent when not given). */
  readonly jsonEvents?: string;
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
  "json-events": stringFlag(""),
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
  -skip-enforcement             Do not inject HCP Packer enforced provisioners.
  -json-events=FILE             Also write the run to FILE as JSON events, one object per line: build-start,
                                build-finish (status, duration), ui (every line), artifact, error. Secrets
                                are redacted as in the UI. FILE is created or truncated.`;

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
        ...(v["json-events"] !== "" ? { jsonEvents: v["json-events"] } : {}),
      });
    }),
  execute: runBuild,
});

/** Opens the -json-events file; resolves when it is open, or to the error text. */
function openEventFile(path: string): Promise<{ stream: WriteStream } | { error: string }> {
  return new Promise((done) => {
    const stream = createWriteStream(path, { flags: "w" });
    stream.once("open", () => done({ stream }));
    stream.once("error", (err) => done({ error: err.message }));
  });
}

function closeStream(stream: WriteStream): Promise<void> {
  return new Promise((done) => stream.end(() => done()));
}

async function runBuild(options: BuildOptions, ctx: CommandContext): Promise<number> {
  let eventFile: WriteStream | undefined;
  if (options.jsonEvents !== undefined) {
    const opened = await openEventFile(resolve(ctx.io.cwd, options.jsonEvents));
    if ("error" in opened) {
      ctx.io.stderr.write(`Couldn't open the JSON event file: ${opened.error}\n`);
      return 1;
    }
    eventFile = opened.stream;
  }
  // The event stream and the UI share the run's redactor, created here so both see every secret.
  const redactor = new Redactor();
  const events = eventFile !== undefined ? new JsonEventStream({ out: eventFile, redactor }) : undefined;
  const opened = openCommandRuntime(ctx, {
    interactive: true,
    redactor,
    ...(events !== undefined ? { events } : {}),
  });
  if ("exitCode" in opened) {
    if (eventFile !== undefined) await closeStream(eventFile);
    return opened.exitCode;
  }
  try {
    return await buildTemplate(options, ctx, opened.runtime, events);
  } finally {
    opened.runtime.log.close();
    if (eventFile !== undefined) await closeStream(eventFile);
  }
}

async function buildTemplate(
  options: BuildOptions,
  ctx: CommandContext,
  runtime: CommandRuntime,
  events: JsonEventStream | undefined,
): Promise<number> {
  const { ui, redactor, log } = runtime;
  const kind = templateKind(options.path, options.configType, ctx.io.cwd);
  if (kind.kind === "error") {
    ui.error(kind.message);
    return 1;
  }

  // One UUID per run, seen by components and the processes they start (manifest packer_run_uuid, ...).
  const runUuid = randomUUID();
  const env = { ...ctx.io.env, PACKER_RUN_UUID: runUuid };
  if (kind.kind === "json") return await buildJSON(options, ctx, runtime, events, { runUuid, env });

  const loaded = loadHCL2Config({
    path: options.path,
    varFiles: options.varFiles,
    vars: options.vars,
    env,
    cwd: ctx.io.cwd,
    coreVersion: PACKER_COMPATIBLE_VERSION,
    warnOnUndeclaredVar: options.warnOnUndeclaredVar,
  });
  const { config, sources } = loaded;
  let ret = writeDiags(ui, loaded.diagnostics, sources);
  if (ret !== 0 || config === undefined) return 1;

  // Packer checks the plugin requirements here; kiln's components are built in, so only the
  // requirements themselves are checked.
  if (writeDiags(ui, config.pluginRequirements().diagnostics, sources) !== 0) return 1;

  const catalog = await loadBuiltinCatalog();
  const initDiags = await config.initialize({
    catalog,
    useSequentialEvaluation: options.useSequentialEvaluation,
    secrets: redactor,
    log,
    signal: ctx.signal,
  });
  ret = writeDiags(ui, initDiags, sources);
  if (ret !== 0) return ret;

  // HCP Packer: enabled by a registry block or HCP_PACKER_BUCKET_NAME / HCP_PACKER_REGISTRY, unless
  // HCP_PACKER_REGISTRY is off. The blocks are checked as Packer does; kiln then says it does not publish.
  const registryEnv = ctx.io.env.HCP_PACKER_REGISTRY ?? "";
  if (registryEnv !== "off" && registryEnv !== "0") {
    const registry = config.hcpRegistryBlock();
    const wanted =
      registry.block !== undefined || (ctx.io.env.HCP_PACKER_BUCKET_NAME ?? "") !== "" || registryEnv !== "";
    if (wanted) {
      registry.diagnostics.push({
        severity: "warning",
        summary: "HCP Packer registry publishing is not supported",
        detail: "The build runs, but its metadata is not sent to HCP Packer.",
        ...(registry.block !== undefined ? { subject: registry.block.defRange } : {}),
      });
    }
    ret = writeDiags(ui, registry.diagnostics, sources);
    if (ret !== 0) return ret;
  }

  const { builds, diagnostics } = getBuilds(config, {
    catalog,
    only: options.only,
    except: options.except,
    debug: options.debug,
    force: options.force,
    onError: options.onError,
    runUuid,
    env,
    cwd: ctx.io.cwd,
    secrets: redactor,
  });
  // Builds that prepared without errors still run when others did not.
  ret = writeDiags(ui, diagnostics, sources);
  if (builds.length === 0 && ret !== 0) return ret;

  if (options.skipEnforcement)
    ui.say("Skipping HCP Packer enforced provisioners (--skip-enforcement flag set)");

  return await runPreparedBuilds(options, ctx, runtime, events, builds, sources);
}

/** Legacy JSON templates: loaded and initialized, then the builds run as HCL2 ones do. */
async function buildJSON(
  options: BuildOptions,
  ctx: CommandContext,
  runtime: CommandRuntime,
  events: JsonEventStream | undefined,
  run: { readonly runUuid: string; readonly env: Readonly<Record<string, string | undefined>> },
): Promise<number> {
  const { ui, redactor } = runtime;
  const loaded = await loadJSONTemplate(ui, options, ctx, run.env);
  if (loaded === undefined) return 1;
  let ret = await initializeJSONTemplate(ui, loaded, { secrets: redactor, signal: ctx.signal });
  if (ret !== 0) return ret;
  const { builds, diagnostics } = loaded.config.getBuilds({
    catalog: await loadBuiltinCatalog(),
    only: options.only,
    except: options.except,
    debug: options.debug,
    force: options.force,
    onError: options.onError,
    runUuid: run.runUuid,
    env: run.env,
    cwd: ctx.io.cwd,
    secrets: redactor,
  });
  // Builds that prepared without errors still run when others did not.
  ret = writeDiags(ui, diagnostics, loaded.sources);
  if (builds.length === 0 && ret !== 0) return ret;
  return await runPreparedBuilds(options, ctx, runtime, events, builds, loaded.sources);
}

/** Runs the prepared builds; with none left, Packer's "No builds to run" error. */
async function runPreparedBuilds(
  options: BuildOptions,
  ctx: CommandContext,
  runtime: CommandRuntime,
  events: JsonEventStream | undefined,
  builds: PreparedBuild[],
  sources: ReadonlyMap<string, string>,
): Promise<number> {
  const { ui, redactor, log } = runtime;
  if (builds.length === 0) {
    const none: Diagnostic = {
      severity: "error",
      summary: "No builds to run",
      detail:
        "A build command cannot run without at least one build to process. If the only or except flags have been specified at run time check that at least one build is selected for execution.",
    };
    if (options.debug) ui.say("Debug mode enabled. Builds will not be parallelized.");
    return writeDiags(ui, [none], sources);
  }

  const noColor = (ctx.io.env.PACKER_NO_COLOR ?? "") !== "";
  const result = await runBuilds({
    ui,
    builds,
    color: options.color,
    noColor,
    timestampUi: options.timestampUi,
    debug: options.debug,
    force: options.force,
    onError: options.onError,
    parallelBuilds: options.parallelBuilds,
    signal: ctx.signal,
    log,
    secrets: redactor,
    ...(events !== undefined ? { events } : {}),
  });
  return result.exitCode;
}
