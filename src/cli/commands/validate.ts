/**
 * `kiln validate [options] TEMPLATE`: checks that a template is valid.
 */
import { getBuilds, loadHCL2Config } from "../../template/index.js";
import type { CommandContext } from "../command.js";
import { loadBuiltinCatalog } from "../component-catalog.js";
import { defineCommand, options, parseCommandLine, usage } from "../define-command.js";
import { boolFlag } from "../flags.js";
import { initializeJSONTemplate, loadJSONTemplate } from "../json-template.js";
import { type MetaOptions, metaFlags, metaOptions } from "../meta-args.js";
import { type CommandRuntime, openCommandRuntime, templateKind } from "../template-runtime.js";
import { PACKER_COMPATIBLE_VERSION } from "../version.js";
import { writeDiags } from "../write-diagnostics.js";

export interface ValidateOptions extends MetaOptions {
  readonly path: string;
  readonly syntaxOnly: boolean;
  /** validate warns about undeclared variables in var files unless this is set (build does the opposite). */
  readonly noWarnUndeclaredVar: boolean;
  readonly evaluateDatasources: boolean;
  readonly ignorePrereleasePlugins: boolean;
  readonly useSequentialEvaluation: boolean;
}

const flags = {
  "syntax-only": boolFlag(false),
  "no-warn-undeclared-var": boolFlag(false),
  "evaluate-datasources": boolFlag(false),
  "ignore-prerelease-plugins": boolFlag(false),
  "use-sequential-evaluation": boolFlag(false),
  ...metaFlags,
};

const HELP = `Usage: kiln validate [options] TEMPLATE

  Checks that the template is valid: parses it, then checks the configuration
  of every builder, provisioner and post-processor it uses.

  Errors are shown and the exit status is non-zero if it is not valid; the
  exit status is zero if it is.

Options:

  -syntax-only                  Only check the syntax; do not check the configuration.
  -except=foo,bar,baz           Validate all builds other than these.
  -only=foo,bar,baz             Validate only these builds.
  -machine-readable             Produce machine-readable output.
  -var 'key=value'              Set a template variable; can be used multiple times.
  -var-file=path                JSON or HCL2 file of variable values; can be used multiple times.
  -no-warn-undeclared-var       Do not warn about values in variable files for undeclared variables.
  -evaluate-datasources         Run data sources while validating (HCL2 only; may incur costs). Default: false.
  -ignore-prerelease-plugins    Do not load prerelease plugin binaries (x.y.z-dev).
  -use-sequential-evaluation    Evaluate locals and data sources in sequential phases instead of by dependency.`;

export const validateCommand = defineCommand<ValidateOptions>({
  name: "validate",
  synopsis: "check that a template is valid",
  help: () => HELP,
  parse: (args) =>
    parseCommandLine(flags, args, (v, rest) => {
      if (rest.length !== 1) return usage();
      return options({
        ...metaOptions(v),
        path: rest[0]!,
        syntaxOnly: v["syntax-only"],
        noWarnUndeclaredVar: v["no-warn-undeclared-var"],
        evaluateDatasources: v["evaluate-datasources"],
        ignorePrereleasePlugins: v["ignore-prerelease-plugins"],
        useSequentialEvaluation: v["use-sequential-evaluation"],
      });
    }),
  execute: runValidate,
});

async function runValidate(options: ValidateOptions, ctx: CommandContext): Promise<number> {
  const opened = openCommandRuntime(ctx);
  if ("exitCode" in opened) return opened.exitCode;
  const { ui, redactor, log } = opened.runtime;
  try {
    const kind = templateKind(options.path, options.configType, ctx.io.cwd);
    if (kind.kind === "error") {
      ui.error(kind.message);
      return 1;
    }
    if (kind.kind === "json") return await validateJSON(options, ctx, opened.runtime);

    // validate warns about var-file values for undeclared variables unless told not to (build does not).
    const loaded = loadHCL2Config({
      path: options.path,
      varFiles: options.varFiles,
      vars: options.vars,
      env: ctx.io.env,
      cwd: ctx.io.cwd,
      coreVersion: PACKER_COMPATIBLE_VERSION,
      warnOnUndeclaredVar: !options.noWarnUndeclaredVar,
    });
    const { config, sources } = loaded;
    if (writeDiags(ui, loaded.diagnostics, sources) !== 0 || config === undefined) return 1;

    if (options.syntaxOnly) {
      ui.say("Syntax-only check passed. Everything looks okay.");
      return 0;
    }

    // Packer checks the plugin requirements here; kiln's components are built in, so only the
    // requirements themselves are checked.
    if (writeDiags(ui, config.pluginRequirements().diagnostics, sources) !== 0) return 1;

    const catalog = await loadBuiltinCatalog();
    const initDiags = await config.initialize({
      catalog,
      skipDatasourcesExecution: !options.evaluateDatasources,
      useSequentialEvaluation: options.useSequentialEvaluation,
      secrets: redactor,
      log,
      signal: ctx.signal,
    });
    const ret = writeDiags(ui, initDiags, sources);
    if (ret !== 0) return ret;

    const { diagnostics } = getBuilds(config, {
      catalog,
      only: options.only,
      except: options.except,
      runUuid: globalThis.crypto.randomUUID(),
      env: ctx.io.env,
      cwd: ctx.io.cwd,
      secrets: redactor,
    });
    const code = writeDiags(ui, diagnostics, sources);
    if (code === 0) ui.say("The configuration is valid.");
    return code;
  } finally {
    log.close();
  }
}

/** Legacy JSON templates: loaded, then (unless -syntax-only) initialized and every build prepared. */
async function validateJSON(
  options: ValidateOptions,
  ctx: CommandContext,
  runtime: CommandRuntime,
): Promise<number> {
  const { ui, redactor } = runtime;
  const loaded = await loadJSONTemplate(ui, options, ctx);
  if (loaded === undefined) return 1;
  if (options.syntaxOnly) {
    ui.say("Syntax-only check passed. Everything looks okay.");
    return 0;
  }
  const ret = await initializeJSONTemplate(ui, loaded, { secrets: redactor, signal: ctx.signal });
  if (ret !== 0) return ret;
  const { diagnostics } = loaded.config.getBuilds({
    catalog: await loadBuiltinCatalog(),
    only: options.only,
    except: options.except,
    runUuid: globalThis.crypto.randomUUID(),
    env: ctx.io.env,
    cwd: ctx.io.cwd,
    secrets: redactor,
  });
  const code = writeDiags(ui, diagnostics, loaded.sources);
  if (code === 0) ui.say("The configuration is valid.");
  return code;
}
