/**
 * `build` blocks (Packer's types.build.go and the provisioner / post-processor block decoders): the build's
 * name, description and sources, and its provisioner, error-cleanup-provisioner and post-processor blocks
 * with their meta-arguments decoded and validated. The components' own arguments stay as bodies, decoded
 * later with each component's schema.
 */
import {
  type BodySchema,
  type Diagnostic,
  type EvalContext,
  type HclBlock,
  hasErrors,
  isValidIdentifier,
  type Range,
  type Value,
} from "../../hcl/index.js";
import { type Duration, parseDuration } from "../../sdk/index.js";
import { decodeStruct } from "./struct-decode.js";
import type {
  BuildBlock,
  OnlyExcept,
  OverrideArgument,
  PostProcessorBlock,
  ProvisionerBlock,
  SourceUse,
} from "./types.js";

export const BUILD_SCHEMA: BodySchema = {
  blocks: [
    { type: "from", labelNames: ["type"] },
    { type: "source", labelNames: ["reference"] },
    { type: "provisioner", labelNames: ["type"] },
    { type: "error-cleanup-provisioner", labelNames: ["type"] },
    { type: "post-processor", labelNames: ["type"] },
    { type: "post-processors", labelNames: [] },
    { type: "hcp_packer_registry" },
  ],
};

const POST_PROCESSORS_SCHEMA: BodySchema = {
  blocks: [{ type: "post-processor", labelNames: ["type"] }],
};

/** sourceRefFromString: `source.type.name` or `type.name`; undefined when it has fewer than two parts. */
export function sourceRefFromString(text: string): { type: string; name: string } | undefined {
  let parts = text.split(".");
  if (parts.length < 2) return undefined;
  if (parts.length > 2) parts = parts.slice(1);
  return { type: parts[0]!, name: parts[1]! };
}

function onlyExceptDiagnostics(oe: OnlyExcept): Diagnostic[] {
  if (oe.only.length > 0 && oe.except.length > 0) {
    return [{ severity: "error", summary: "only one of 'only' or 'except' may be specified" }];
  }
  return [];
}

/** A build-level `source "<type>.<name>" { name = "...", ... }` block. */
function decodeBuildSource(block: HclBlock): { use: SourceUse; diagnostics: Diagnostic[] } {
  const ref = sourceRefFromString(block.labels[0]!) ?? { type: "", name: "" };
  const r = decodeStruct(block.body, undefined, [{ name: "name", kind: "string" }]);
  const localName = (r.values.get("name") as string | undefined) ?? "";
  return {
    use: { type: ref.type, name: ref.name, localName, body: r.remain, range: block.defRange },
    diagnostics: r.diagnostics,
  };
}

function parseMetaDuration(
  text: string | undefined,
  what: "pause_before" | "timeout",
  subject: Range,
): { value: Duration | undefined; diagnostic: Diagnostic | undefined } {
  if (text === undefined || text === "") return { value: undefined, diagnostic: undefined };
  const d = parseDuration(text);
  if (d.ok) return { value: d.value, diagnostic: undefined };
  return {
    value: undefined,
    diagnostic: {
      severity: "error",
      summary: `Failed to parse ${what} duration`,
      detail: d.error,
      subject,
    },
  };
}

function decodeOverride(
  value: Value,
  block: HclBlock,
  overrideRange: Range,
): { override: Map<string, Map<string, OverrideArgument>> | undefined; diagnostics: Diagnostic[] } {
  const [v] = value.unmark();
  if (v.isNull()) return { override: undefined, diagnostics: [] };
  if (v.type.kind !== "object") {
    return {
      override: undefined,
      diagnostics: [
        {
          severity: "error",
          summary: "provisioner's override block must be an HCL object",
          subject: block.defRange,
        },
      ],
    };
  }
  const out = new Map<string, Map<string, OverrideArgument>>();
  if (!v.isKnown()) return { override: out, diagnostics: [] };
  for (const [sourceName, overrides] of v.asValueMap()) {
    const [o] = overrides.unmark();
    if (o.type.kind !== "object") {
      return {
        override: undefined,
        diagnostics: [
          {
            severity: "error",
            summary: `provisioner's override.'${sourceName}' block must be an HCL object`,
            subject: block.defRange,
          },
        ],
      };
    }
    const args = new Map<string, OverrideArgument>();
    if (o.isKnown() && !o.isNull()) {
      for (const [name, arg] of o.asValueMap()) args.set(name, { value: arg, range: overrideRange });
    }
    out.set(sourceName, args);
  }
  return { override: out, diagnostics: [] };
}

/** A `provisioner` / `error-cleanup-provisioner` block with its meta-arguments. */
export function decodeProvisioner(
  block: HclBlock,
  ctx: EvalContext,
): { provisioner: ProvisionerBlock | undefined; diagnostics: Diagnostic[] } {
  const r = decodeStruct(block.body, ctx, [
    { name: "name", kind: "string" },
    { name: "pause_before", kind: "string" },
    { name: "max_retries", kind: "int" },
    { name: "timeout", kind: "string" },
    { name: "continue_on_error", kind: "bool" },
    { name: "only", kind: "list(string)" },
    { name: "except", kind: "list(string)" },
    { name: "override", kind: "any" },
  ]);
  const diagnostics = r.diagnostics;
  if (hasErrors(diagnostics)) return { provisioner: undefined, diagnostics };
  const oe: OnlyExcept = {
    only: (r.values.get("only") as string[] | undefined) ?? [],
    except: (r.values.get("except") as string[] | undefined) ?? [],
  };
  diagnostics.push(...onlyExceptDiagnostics(oe));
  if (hasErrors(diagnostics)) return { provisioner: undefined, diagnostics };

  let override: Map<string, Map<string, OverrideArgument>> | undefined;
  const overrideValue = r.values.get("override") as Value | undefined;
  if (overrideValue !== undefined) {
    const o = decodeOverride(overrideValue, block, r.attributes.get("override")!.range);
    diagnostics.push(...o.diagnostics);
    if (hasErrors(o.diagnostics)) return { provisioner: undefined, diagnostics };
    override = o.override;
  }

  const pause = parseMetaDuration(
    r.values.get("pause_before") as string | undefined,
    "pause_before",
    block.defRange,
  );
  if (pause.diagnostic !== undefined)
    return { provisioner: undefined, diagnostics: [...diagnostics, pause.diagnostic] };
  const timeout = parseMetaDuration(r.values.get("timeout") as string | undefined, "timeout", block.defRange);
  if (timeout.diagnostic !== undefined) {
    return { provisioner: undefined, diagnostics: [...diagnostics, timeout.diagnostic] };
  }

  return {
    provisioner: {
      type: block.labels[0]!,
      name: (r.values.get("name") as string | undefined) ?? "",
      pauseBefore: pause.value,
      timeout: timeout.value,
      maxRetries: (r.values.get("max_retries") as number | undefined) ?? 0,
      continueOnError: (r.values.get("continue_on_error") as boolean | undefined) ?? false,
      override,
      ...oe,
      rest: r.remain,
      defRange: block.defRange,
      typeRange: block.typeRange,
      labelRanges: block.labelRanges,
    },
    diagnostics,
  };
}

/** A `post-processor` block with its meta-arguments. */
export function decodePostProcessor(
  block: HclBlock,
  ctx: EvalContext,
): { postProcessor: PostProcessorBlock | undefined; diagnostics: Diagnostic[] } {
  const r = decodeStruct(block.body, ctx, [
    { name: "name", kind: "string" },
    { name: "only", kind: "list(string)" },
    { name: "except", kind: "list(string)" },
    { name: "keep_input_artifact", kind: "bool" },
  ]);
  const diagnostics = r.diagnostics;
  if (hasErrors(diagnostics)) return { postProcessor: undefined, diagnostics };
  const oe: OnlyExcept = {
    only: (r.values.get("only") as string[] | undefined) ?? [],
    except: (r.values.get("except") as string[] | undefined) ?? [],
  };
  diagnostics.push(...onlyExceptDiagnostics(oe));
  if (hasErrors(diagnostics)) return { postProcessor: undefined, diagnostics };
  return {
    postProcessor: {
      type: block.labels[0]!,
      name: (r.values.get("name") as string | undefined) ?? "",
      keepInputArtifact: r.values.get("keep_input_artifact") as boolean | undefined,
      ...oe,
      rest: r.remain,
      defRange: block.defRange,
      typeRange: block.typeRange,
    },
    diagnostics,
  };
}

export interface DecodeBuildContext {
  /** var, local, data, path, packer: for name, description and sources. */
  readonly localContext: EvalContext;
  /** The same with `build = { name = <build name> }`: for provisioner and post-processor meta-arguments. */
  readonly buildContext: (buildName: string) => EvalContext;
  /** Decodes an `hcp_packer_registry` block inside the build (deprecated location). */
  readonly decodeRegistry: (block: HclBlock) => Diagnostic[];
}

/** decodeBuildConfig: a `build` block; undefined when it has errors. */
export function decodeBuildBlock(
  block: HclBlock,
  dctx: DecodeBuildContext,
): { build: BuildBlock | undefined; registry: HclBlock | undefined; diagnostics: Diagnostic[] } {
  const r = decodeStruct(block.body, dctx.localContext, [
    { name: "name", kind: "string" },
    { name: "description", kind: "string" },
    { name: "sources", kind: "list(string)" },
  ]);
  const diagnostics = r.diagnostics;
  if (hasErrors(diagnostics)) return { build: undefined, registry: undefined, diagnostics };

  const name = (r.values.get("name") as string | undefined) ?? "";
  const build: BuildBlock = {
    name,
    description: (r.values.get("description") as string | undefined) ?? "",
    sources: [],
    provisioners: [],
    errorCleanupProvisioner: undefined,
    postProcessorLists: [],
    defRange: block.defRange,
  };
  const ectx = dctx.buildContext(name);
  let hadSource = false;
  let registry: HclBlock | undefined;

  for (const text of (r.values.get("sources") as string[] | undefined) ?? []) {
    hadSource = true;
    const ref = sourceRefFromString(text);
    if (ref === undefined || !isValidIdentifier(ref.type) || !isValidIdentifier(ref.name)) {
      diagnostics.push({
        severity: "error",
        summary: "Invalid source reference",
        detail:
          "A source type is made of three parts that are split by a dot `.`; each part must start with a letter and may contain only letters, digits, underscores, and dashes. A valid source reference looks like: `source.type.name`",
        subject: block.defRange,
      });
      continue;
    }
    build.sources.push({ type: ref.type, name: ref.name, localName: "", body: undefined, range: undefined });
  }

  const content = r.remain.content(BUILD_SCHEMA);
  diagnostics.push(...content.diagnostics);
  if (hasErrors(diagnostics)) return { build: undefined, registry: undefined, diagnostics };

  for (const inner of content.content.blocks) {
    switch (inner.type) {
      case "hcp_packer_registry": {
        if (registry !== undefined) {
          diagnostics.push({
            severity: "error",
            summary: "Only one hcp_packer_registry is allowed",
            subject: inner.defRange,
          });
          continue;
        }
        const more = dctx.decodeRegistry(inner);
        diagnostics.push(...more);
        if (!hasErrors(more)) registry = inner;
        break;
      }
      case "source": {
        hadSource = true;
        const s = decodeBuildSource(inner);
        diagnostics.push(...s.diagnostics);
        if (!hasErrors(s.diagnostics)) build.sources.push(s.use);
        break;
      }
      case "provisioner": {
        const p = decodeProvisioner(inner, ectx);
        diagnostics.push(...p.diagnostics);
        if (p.provisioner !== undefined && !hasErrors(p.diagnostics)) build.provisioners.push(p.provisioner);
        break;
      }
      case "error-cleanup-provisioner": {
        if (build.errorCleanupProvisioner !== undefined) {
          diagnostics.push({
            severity: "error",
            summary: "Only one error-cleanup-provisioner is allowed",
            subject: inner.defRange,
          });
          continue;
        }
        const p = decodeProvisioner(inner, ectx);
        diagnostics.push(...p.diagnostics);
        if (p.provisioner !== undefined && !hasErrors(p.diagnostics))
          build.errorCleanupProvisioner = p.provisioner;
        break;
      }
      case "post-processor": {
        const p = decodePostProcessor(inner, ectx);
        diagnostics.push(...p.diagnostics);
        if (p.postProcessor !== undefined && !hasErrors(p.diagnostics)) {
          build.postProcessorLists.push([p.postProcessor]);
        }
        break;
      }
      case "post-processors": {
        const c = inner.body.content(POST_PROCESSORS_SCHEMA);
        diagnostics.push(...c.diagnostics);
        if (hasErrors(c.diagnostics)) continue;
        const chain: PostProcessorBlock[] = [];
        let errored = false;
        for (const ppBlock of c.content.blocks) {
          const p = decodePostProcessor(ppBlock, ectx);
          diagnostics.push(...p.diagnostics);
          if (p.postProcessor === undefined || hasErrors(p.diagnostics)) {
            errored = true;
            break;
          }
          chain.push(p.postProcessor);
        }
        if (!errored) build.postProcessorLists.push(chain);
        break;
      }
      default:
        // `from` blocks are accepted by the schema and otherwise ignored, as in Packer.
        break;
    }
  }

  if (!hadSource) {
    diagnostics.push({
      severity: "error",
      summary: "missing source reference",
      detail: "a build block must reference at least one source to be built",
      subject: block.defRange,
    });
  }

  return { build, registry, diagnostics };
}
