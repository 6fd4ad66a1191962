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
  type BuildInfo,
  type ConfigSpec,
  type GeneratedData,
  KilnError,
  type PostProcessor,
  type Provisioner,
  type SecretFilter,
} from "../../sdk/index.js";
import { decodeComponentBody, revealForComponent } from "./component-config.js";
import {
  type RuntimeConfiguration,
  RuntimeConfiguredPostProcessor,
  RuntimeConfiguredProvisioner,
} from "./runtime-configured.js";
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

/** How an HCL2 component is configured again at run time: its body decoded again with the generated data. */
function hcl2Runtime(setup: ComponentSetup): RuntimeConfiguration {
  return {
    info: setup.info,
    configFor: (spec, data, code) => runtimeConfig(setup, spec, data, code),
    errorText: (diagnostics) => (hasErrors(diagnostics) ? prepareErrorText(diagnostics) : undefined),
  };
}

/** A provisioner of an HCL2 template, decoded again with the builder's generated data before it runs. */
export class HCL2Provisioner extends RuntimeConfiguredProvisioner {
  constructor(prepared: Provisioner, start: () => Provisioner, setup: ComponentSetup) {
    super(prepared, start, hcl2Runtime(setup));
  }
}

/** A post-processor of an HCL2 template, decoded again with its input's generated data before it runs. */
export class HCL2PostProcessor extends RuntimeConfiguredPostProcessor {
  constructor(configured: PostProcessor, start: () => PostProcessor, setup: ComponentSetup) {
    super(configured, start, hcl2Runtime(setup));
  }
}
