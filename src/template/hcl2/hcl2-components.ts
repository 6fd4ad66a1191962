/**
 * Provisioners and post-processors of HCL2 templates (Packer's HCL2Provisioner / HCL2PostProcessor): their
 * bodies are decoded once at prepare time with placeholders for the builder's generated data
 * (`build.ID` = "<unknown>"), and decoded again when they run, with the data the builder actually generated
 * (a provisioner gets it through the provision hook, a post-processor from its input artifact's
 * `generated_data`). The component is prepared again with that configuration just before it runs, so
 * `"${build.ID}"` reaches it with the real value.
 */
import {
  type Body,
  convert,
  type Diagnostic,
  diagnosticsErrorString,
  type EvalContext,
  hasErrors,
  objectVal,
  type Type,
  type Value,
  valueFromNative,
} from "../../hcl/index.js";
import {
  type Artifact,
  type BuildInfo,
  type Communicator,
  type ConfigSpec,
  ErrorCode,
  type GeneratedData,
  KilnError,
  type PostProcessor,
  type PostProcessResult,
  type PrepareResult,
  type Provisioner,
  type RunContext,
  type SecretFilter,
  type Ui,
} from "../../sdk/index.js";
import { decodeComponentBody, revealForComponent } from "./component-config.js";
import type { OverrideArgument } from "./types.js";

/** What is needed to decode a component body again. */
export interface ComponentSetup {
  /** The component's own arguments (meta-arguments removed). */
  readonly body: Body;
  /** The build context; its `build` variable is replaced by `buildValues` plus generated data. */
  readonly ctx: EvalContext;
  /** `build.*` at prepare time: every generated-data key as "<unknown>", and `name`. */
  readonly buildValues: ReadonlyMap<string, Value>;
  readonly info: BuildInfo;
  readonly secrets: SecretFilter | undefined;
  /** Provisioner `override` arguments for this build's source. */
  readonly override?: ReadonlyMap<string, OverrideArgument>;
}

function contextWithData(setup: ComponentSetup, data: GeneratedData | undefined): EvalContext {
  const values = new Map(setup.buildValues);
  for (const [k, v] of Object.entries(data ?? {})) values.set(k, valueFromNative(v));
  const vars = new Map(setup.ctx.variables ?? []);
  vars.set("build", objectVal(values));
  return { ...setup.ctx, variables: vars };
}

/** Applies `override` arguments over a decoded configuration (converted to the schema's types). */
function applyOverride(
  config: Value,
  spec: ConfigSpec,
  override: ReadonlyMap<string, OverrideArgument> | undefined,
): { value: Value; diagnostics: Diagnostic[] } {
  if (override === undefined || override.size === 0) return { value: config, diagnostics: [] };
  if (!config.isKnown() || config.isNull() || config.type.kind !== "object") {
    return { value: config, diagnostics: [] };
  }
  const diagnostics: Diagnostic[] = [];
  const attrs = new Map(config.asValueMap());
  for (const [name, arg] of override) {
    const field = spec[name];
    if (field === undefined || field.kind !== "attribute") {
      diagnostics.push({
        severity: "error",
        summary: "Unsupported argument",
        detail: `An argument named "${name}" is not expected here.`,
        subject: arg.range,
      });
      continue;
    }
    const converted = convertTo(arg.value, field.type);
    if (!converted.ok) {
      diagnostics.push({
        severity: "error",
        summary: "Incorrect attribute value type",
        detail: `Inappropriate value for attribute "${name}": ${converted.message}.`,
        subject: arg.range,
      });
      continue;
    }
    attrs.set(name, converted.value);
  }
  return { value: objectVal(attrs), diagnostics };
}

function convertTo(v: Value, t: Type): { ok: true; value: Value } | { ok: false; message: string } {
  const r = convert(v, t);
  return r.ok ? { ok: true, value: r.value } : { ok: false, message: r.error.message };
}

/** Decodes a component body with `data` as the generated data; the result is unmarked for the component. */
export function decodeWithData(
  setup: ComponentSetup,
  spec: ConfigSpec,
  data: GeneratedData | undefined,
): { config: Value; diagnostics: Diagnostic[] } {
  const decoded = decodeComponentBody(setup.body, spec, contextWithData(setup, data));
  const diagnostics = [...decoded.diagnostics];
  if (hasErrors(diagnostics)) return { config: decoded.value, diagnostics };
  const overridden = applyOverride(decoded.value, spec, setup.override);
  diagnostics.push(...overridden.diagnostics);
  return { config: revealForComponent(overridden.value, setup.secrets), diagnostics };
}

/** The text of a component's prepare errors, as a Go error would read. */
export function prepareErrorText(diags: readonly Diagnostic[]): string {
  const errors = diags.filter((d) => d.severity === "error");
  const lines = errors.map((d) =>
    d.detail !== undefined && d.detail !== "" ? `${d.summary}: ${d.detail}` : d.summary,
  );
  if (lines.length === 1) return lines[0]!;
  return `${lines.length} error(s) occurred:\n\n${lines.map((l) => `* ${l}`).join("\n")}`;
}

function runtimeConfig(
  setup: ComponentSetup,
  spec: ConfigSpec,
  data: GeneratedData | undefined,
  code: string,
): Value {
  const r = decodeWithData(setup, spec, data);
  if (hasErrors(r.diagnostics)) {
    throw new KilnError(code, diagnosticsErrorString(r.diagnostics.filter((d) => d.severity === "error")));
  }
  return r.config;
}

/** A provisioner that is configured again with the builder's generated data before it runs. */
export class HCL2Provisioner implements Provisioner {
  constructor(
    /** The instance prepared at build preparation (for its schema). */
    private readonly prepared: Provisioner,
    /** Makes the instance that runs. */
    private readonly start: () => Provisioner,
    private readonly setup: ComponentSetup,
  ) {}

  configSpec(): ConfigSpec {
    return this.prepared.configSpec();
  }

  prepare(config: Value, info: BuildInfo): PrepareResult {
    return this.prepared.prepare(config, info);
  }

  async provision(
    ui: Ui,
    communicator: Communicator,
    generatedData: GeneratedData,
    signal: AbortSignal,
    context: RunContext,
  ): Promise<void> {
    const p = this.start();
    const config = runtimeConfig(this.setup, p.configSpec(), generatedData, ErrorCode.Provisioner);
    const prepared = p.prepare(config, this.setup.info);
    if (hasErrors(prepared.diagnostics)) {
      throw new KilnError(ErrorCode.Provisioner, prepareErrorText(prepared.diagnostics));
    }
    await p.provision(ui, communicator, generatedData, signal, context);
  }
}

/** The generated data an artifact carries for post-processors, if it is a plain record. */
function artifactGeneratedData(artifact: Artifact): GeneratedData | undefined {
  const data = artifact.state("generated_data");
  if (data === null || typeof data !== "object" || Array.isArray(data)) return undefined;
  const out: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(data as Record<string, unknown>)) {
    if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") out[k] = v;
  }
  return out;
}

/** A post-processor that is configured again with the build's generated data before it runs. */
export class HCL2PostProcessor implements PostProcessor {
  constructor(
    private readonly configured: PostProcessor,
    private readonly start: () => PostProcessor,
    private readonly setup: ComponentSetup,
  ) {}

  configSpec(): ConfigSpec {
    return this.configured.configSpec();
  }

  configure(config: Value, info: BuildInfo): PrepareResult {
    return this.configured.configure(config, info);
  }

  async postProcess(
    ui: Ui,
    artifact: Artifact,
    signal: AbortSignal,
    context: RunContext,
  ): Promise<PostProcessResult> {
    const pp = this.start();
    const config = runtimeConfig(
      this.setup,
      pp.configSpec(),
      artifactGeneratedData(artifact),
      ErrorCode.PostProcessor,
    );
    const configured = pp.configure(config, this.setup.info);
    if (hasErrors(configured.diagnostics)) {
      throw new KilnError(ErrorCode.PostProcessor, prepareErrorText(configured.diagnostics));
    }
    return pp.postProcess(ui, artifact, signal, context);
  }
}
