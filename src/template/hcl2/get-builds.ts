/**
 * GetBuilds (Packer's PackerConfig.GetBuilds): one build per source used by a build block, filtered by the
 * -only / -except globs, with its builder, provisioners, error-cleanup provisioner and post-processor chains
 * started and prepared. A build whose components report errors is left out (its diagnostics are returned);
 * the others can still run.
 *
 * The result is shaped like core's CoreBuild so the command can hand it to the build runner directly.
 */
import { type Diagnostic, hasErrors, objectVal, stringVal, type Value } from "../../hcl/index.js";
import type {
  Builder,
  BuildInfo,
  Duration,
  OnErrorMode,
  PostProcessor,
  Provisioner,
  SecretFilter,
} from "../../sdk/index.js";
import type { ComponentCatalog } from "./catalog.js";
import { decodeComponentBody, revealForComponent } from "./component-config.js";
import type { HCL2Config } from "./config.js";
import { compileGlob, type Glob } from "./glob.js";
import {
  type ComponentSetup,
  decodeWithData,
  HCL2PostProcessor,
  HCL2Provisioner,
  prepareErrorText,
} from "./hcl2-components.js";
import {
  type PostProcessorBlock,
  type ProvisionerBlock,
  type SourceUse,
  skipFor,
  sourceUseLocalName,
  sourceUseName,
} from "./types.js";

/** Packer's BuilderDataCommonKeys: the generated data every builder provides. */
export const BUILDER_DATA_COMMON_KEYS: readonly string[] = [
  "ID",
  "Host",
  "Port",
  "User",
  "Password",
  "ConnType",
  "PackerRunUUID",
  "PackerHTTPPort",
  "PackerHTTPIP",
  "PackerHTTPAddr",
  "SSHPublicKey",
  "SSHPrivateKey",
  "WinRMPassword",
];

export interface PreparedProvisioner {
  readonly type: string;
  readonly name?: string;
  readonly provisioner: Provisioner;
  readonly pauseBefore?: Duration;
  readonly timeout?: Duration;
  readonly maxRetries?: number;
  readonly continueOnError?: boolean;
}

export interface PreparedPostProcessor {
  readonly type: string;
  /** The block's `name`, "" when unnamed (Packer then prints `Running post-processor:  (type X)`). */
  readonly name: string;
  readonly postProcessor: PostProcessor;
  readonly keepInputArtifact?: boolean;
}

/** A build ready to run (structurally core's CoreBuild). */
export interface PreparedBuild {
  /** `type.name`, or `<build name>.type.name`. */
  readonly name: string;
  /** The builder type. */
  readonly type: string;
  readonly builder: Builder;
  readonly provisioners: readonly PreparedProvisioner[];
  readonly cleanupProvisioner?: PreparedProvisioner;
  readonly postProcessors: readonly (readonly PreparedPostProcessor[])[];
}

export interface GetBuildsOptions {
  readonly catalog: ComponentCatalog;
  /** -only glob patterns. */
  readonly only?: readonly string[];
  /** -except glob patterns (also matched against post-processor names). */
  readonly except?: readonly string[];
  readonly debug?: boolean;
  readonly force?: boolean;
  readonly onError?: OnErrorMode | "";
  /** PACKER_RUN_UUID of this run. */
  readonly runUuid: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Where secrets found in component configurations are registered. */
  readonly secrets?: SecretFilter;
}

export interface GetBuildsResult {
  readonly builds: PreparedBuild[];
  readonly diagnostics: Diagnostic[];
}

function compileFilters(
  patterns: readonly string[],
  option: string,
): { globs: Glob[]; diagnostics: Diagnostic[] } {
  const globs: Glob[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const pattern of patterns) {
    const r = compileGlob(pattern);
    if (r.ok) globs.push(r.glob);
    else
      diagnostics.push({ severity: "error", summary: `Invalid -${option} pattern ${pattern}: ${r.error}` });
  }
  return { globs, diagnostics };
}

/** Go's %v of a []string. */
function goList(items: readonly string[]): string {
  return `[${items.join(" ")}]`;
}

/** Diagnostics a component returned, with the block's range where they have none. */
function locate(diags: readonly Diagnostic[], subject: Diagnostic["subject"]): Diagnostic[] {
  return diags.map((d) => (d.subject !== undefined || subject === undefined ? d : { ...d, subject }));
}

export function getBuilds(config: HCL2Config, options: GetBuildsOptions): GetBuildsResult {
  const diagnostics: Diagnostic[] = [];
  const builds: PreparedBuild[] = [];
  const possibleBuildNames: string[] = [];
  const only = options.only ?? [];
  const except = options.except ?? [];
  let onlyMatches = 0;
  let exceptMatches = 0;
  const { catalog } = options;

  if (config.builds.length === 0) {
    return {
      builds,
      diagnostics: [
        {
          severity: "error",
          summary: "Missing build block",
          detail: "A build block with one or more sources is required for executing a build.",
        },
      ],
    };
  }

  let onlyGlobs: Glob[] = [];
  let exceptGlobs: Glob[] = [];
  if (only.length > 0) {
    const c = compileFilters(only, "only");
    if (hasErrors(c.diagnostics)) return { builds: [], diagnostics: c.diagnostics };
    onlyGlobs = c.globs;
  }
  if (except.length > 0) {
    const c = compileFilters(except, "except");
    if (hasErrors(c.diagnostics)) return { builds: [], diagnostics: c.diagnostics };
    exceptGlobs = c.globs;
  }

  const sensitiveVariables = config.sensitiveVariableNames();
  const infoFor = (use: SourceUse): BuildInfo => ({
    buildName: use.name,
    builderType: use.type,
    coreVersion: config.coreVersion,
    debug: options.debug ?? false,
    force: options.force ?? false,
    onError: options.onError === undefined || options.onError === "" ? "cleanup" : options.onError,
    userVariables: {},
    sensitiveVariables,
    runUuid: options.runUuid,
    env: options.env,
    cwd: options.cwd,
  });

  for (const build of config.builds) {
    for (const use of build.sources) {
      const ref = `${use.type}.${use.name}`;
      const source = config.sources.get(ref);
      if (source === undefined) {
        diagnostics.push({
          severity: "error",
          summary: `Unknown source ${sourceUseName(use)}`,
          detail: `Known: ${goList([...config.sources.keys()].sort())}`,
          subject: use.range ?? build.defRange,
        });
        continue;
      }
      const localName = sourceUseLocalName(use);
      const buildName = build.name !== "" ? `${build.name}.${sourceUseName(use)}` : sourceUseName(use);
      possibleBuildNames.push(buildName);

      if (onlyGlobs.length > 0) {
        if (!onlyGlobs.some((g) => g.match(buildName))) continue;
        onlyMatches++;
      }
      if (exceptGlobs.length > 0 && exceptGlobs.some((g) => g.match(buildName))) {
        exceptMatches++;
        continue;
      }

      const startBuilder = catalog.builders.get(use.type);
      if (startBuilder === undefined) {
        diagnostics.push({
          severity: "error",
          summary: "Failed to load source type",
          detail: `Unknown builder ${use.type}`,
        });
        continue;
      }
      const info = infoFor(use);
      const sourceValue = objectVal({ type: stringVal(use.type), name: stringVal(localName) });
      const builder = startBuilder();
      const builderCtx = config.evalContext("build", new Map([["source", sourceValue]]));
      const decoded = decodeComponentBody(use.body ?? source.block.body, builder.configSpec(), builderCtx);
      diagnostics.push(...decoded.diagnostics);
      if (hasErrors(decoded.diagnostics)) continue;
      const prepared = builder.prepare(revealForComponent(decoded.value, options.secrets), info);
      const builderDiags = locate(prepared.diagnostics, source.block.defRange);
      diagnostics.push(...builderDiags);
      if (hasErrors(builderDiags)) continue;

      const buildValues = new Map<string, Value>();
      for (const key of [...BUILDER_DATA_COMMON_KEYS, ...prepared.generatedDataKeys]) {
        buildValues.set(key, stringVal("<unknown>"));
      }
      buildValues.set("name", stringVal(build.name));
      const componentCtx = config.evalContext(
        "build",
        new Map([
          ["source", sourceValue],
          ["build", objectVal(buildValues)],
        ]),
      );
      const setupFor = (
        body: ComponentSetup["body"],
        override?: ProvisionerBlock["override"],
      ): ComponentSetup => {
        const args = override?.get(localName);
        return {
          body,
          ctx: componentCtx,
          buildValues,
          info,
          secrets: options.secrets,
          ...(args !== undefined ? { override: args } : {}),
        };
      };

      let failed = false;
      const startProvisioner = (pb: ProvisionerBlock): PreparedProvisioner | undefined => {
        const start = catalog.provisioners.get(pb.type);
        if (start === undefined) {
          diagnostics.push({
            severity: "error",
            summary: `failed loading ${pb.type}`,
            detail: `Unknown provisioner ${pb.type}`,
            subject: pb.labelRanges[0] ?? pb.defRange,
          });
          return undefined;
        }
        const instance = start();
        const setup = setupFor(pb.rest, pb.override);
        const d = decodeWithData(setup, instance.configSpec(), undefined);
        diagnostics.push(...d.diagnostics);
        if (hasErrors(d.diagnostics)) return undefined;
        const prep = instance.prepare(d.config, info);
        const errs = prep.diagnostics.filter((x) => x.severity === "error");
        diagnostics.push(
          ...prep.diagnostics.filter((x) => x.severity !== "error" || x.subject !== undefined),
        );
        const unlocated = errs.filter((x) => x.subject === undefined);
        if (unlocated.length > 0) {
          diagnostics.push({
            severity: "error",
            summary: `Failed preparing provisioner-block "${pb.type}" "${pb.name}"`,
            detail: prepareErrorText(unlocated),
            subject: pb.defRange,
          });
        }
        if (errs.length > 0) return undefined;
        return {
          type: pb.type,
          ...(pb.name !== "" ? { name: pb.name } : {}),
          provisioner: new HCL2Provisioner(instance, start, setup),
          ...(pb.pauseBefore !== undefined ? { pauseBefore: pb.pauseBefore } : {}),
          ...(pb.timeout !== undefined ? { timeout: pb.timeout } : {}),
          ...(pb.maxRetries !== 0 ? { maxRetries: pb.maxRetries } : {}),
          ...(pb.continueOnError ? { continueOnError: true } : {}),
        };
      };

      const startPostProcessor = (ppb: PostProcessorBlock): PreparedPostProcessor | undefined => {
        const start = catalog.postProcessors.get(ppb.type);
        if (start === undefined) {
          diagnostics.push({
            severity: "error",
            summary: `Failed loading ${ppb.type}`,
            detail: `Unknown post-processor ${ppb.type}`,
            subject: ppb.defRange,
          });
          return undefined;
        }
        const instance = start();
        const setup = setupFor(ppb.rest);
        const d = decodeWithData(setup, instance.configSpec(), undefined);
        diagnostics.push(...d.diagnostics);
        if (hasErrors(d.diagnostics)) return undefined;
        const conf = instance.configure(d.config, info);
        const errs = conf.diagnostics.filter((x) => x.severity === "error");
        diagnostics.push(
          ...conf.diagnostics.filter((x) => x.severity !== "error" || x.subject !== undefined),
        );
        const unlocated = errs.filter((x) => x.subject === undefined);
        if (unlocated.length > 0) {
          diagnostics.push({
            severity: "error",
            summary: `Failed preparing post-processor-block "${ppb.type}" "${ppb.name}"`,
            detail: prepareErrorText(unlocated),
            subject: ppb.defRange,
          });
        }
        if (errs.length > 0) return undefined;
        return {
          type: ppb.type,
          name: ppb.name,
          postProcessor: new HCL2PostProcessor(instance, start, setup),
          ...(ppb.keepInputArtifact !== undefined ? { keepInputArtifact: ppb.keepInputArtifact } : {}),
        };
      };

      const sourceName = sourceUseName(use);
      const provisioners: PreparedProvisioner[] = [];
      for (const pb of build.provisioners) {
        if (skipFor(pb, sourceName)) continue;
        const p = startProvisioner(pb);
        if (p === undefined) failed = true;
        else provisioners.push(p);
      }
      if (failed) continue;

      const chains: PreparedPostProcessor[][] = [];
      for (const chain of build.postProcessorLists) {
        const pps: PreparedPostProcessor[] = [];
        for (const ppb of chain) {
          if (skipFor(ppb, sourceName)) continue;
          const ppName = ppb.name !== "" ? ppb.name : ppb.type;
          if (exceptGlobs.some((g) => g.match(ppName))) {
            exceptMatches++;
            break;
          }
          const pp = startPostProcessor(ppb);
          if (pp === undefined) failed = true;
          else pps.push(pp);
        }
        if (pps.length > 0) chains.push(pps);
      }
      if (failed) continue;

      let cleanupProvisioner: PreparedProvisioner | undefined;
      const cleanup = build.errorCleanupProvisioner;
      if (cleanup !== undefined && !skipFor(cleanup, sourceName)) {
        cleanupProvisioner = startProvisioner(cleanup);
        if (cleanupProvisioner === undefined) continue;
      }

      builds.push({
        name: buildName,
        type: use.type,
        builder,
        provisioners,
        ...(cleanupProvisioner !== undefined ? { cleanupProvisioner } : {}),
        postProcessors: chains,
      });
    }
  }

  if (only.length > onlyMatches) {
    diagnostics.push({
      severity: "warning",
      summary: "an 'only' option was passed, but not all matches were found for the given build.",
      detail: `Possible build names: ${goList(possibleBuildNames)}.\nThese could also be matched with a glob pattern like: 'happycloud.*'`,
    });
  }
  if (except.length > exceptMatches) {
    diagnostics.push({
      severity: "warning",
      summary: "an 'except' option was passed, but did not match any build.",
      detail: `Possible build names: ${goList(possibleBuildNames)}.\nThese could also be matched with a glob pattern like: 'happycloud.*'`,
    });
  }
  return { builds, diagnostics };
}
