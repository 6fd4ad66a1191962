/**
 * Provisioners and post-processors of legacy JSON templates. At preparation their configuration is rendered
 * with placeholder build data, so `{{ build `ID` }}` becomes `{{.ID}}`; just before they run, the original
 * configuration is rendered again with the data the builder actually generated and the component is prepared
 * again with it, so the real value reaches it (Packer's plugins re-interpolate their fields at run time).
 */
import type { Diagnostic, Value } from "../../hcl/index.js";
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
  type Ui,
} from "../../sdk/index.js";
import type { InterpolateContext } from "../legacy/index.js";
import { decodeErrorText, decodeJSONConfig, renderConfig } from "./component-config.js";
import { errorTexts } from "./errors.js";
import type { JSONConfigMap } from "./template.js";

/** What is needed to configure a component again at run time. */
export interface JSONComponentSetup {
  /** The merged, unrendered configuration. */
  readonly raw: JSONConfigMap;
  /** The interpolation context of the build (its `data` is replaced by the generated data). */
  readonly ctx: InterpolateContext;
  readonly info: BuildInfo;
}

/**
 * Renders and decodes a configuration for `spec`; `error` is the text Packer's config.Decode returns (the
 * render error, mapstructure's decoding errors, or the unknown keys).
 */
export function configureJSON(
  setup: JSONComponentSetup,
  spec: ConfigSpec,
  data: unknown,
): { value: Value } | { error: string } {
  const rendered = renderConfig(setup.raw, { ...setup.ctx, data });
  if ("error" in rendered) return { error: rendered.error };
  const decoded = decodeJSONConfig(rendered.value, spec);
  const error = decodeErrorText(decoded);
  return error === undefined ? { value: decoded.value } : { error };
}

/**
 * The error a plugin's Prepare or Configure returns for its validation problems: the SDK's MultiError
 * (`N error(s) occurred:` and one `* ` line per problem).
 */
export function prepareErrorText(diags: readonly Diagnostic[]): string | undefined {
  const texts = errorTexts(diags);
  if (texts.length === 0) return undefined;
  return `${texts.length} error(s) occurred:\n\n${texts.map((t) => `* ${t}`).join("\n")}`;
}

function runtimeValue(setup: JSONComponentSetup, spec: ConfigSpec, data: unknown, code: string): Value {
  const r = configureJSON(setup, spec, data);
  if ("error" in r) throw new KilnError(code, r.error);
  return r.value;
}

function generatedDataOf(artifact: Artifact): GeneratedData | undefined {
  const data = artifact.state("generated_data");
  if (data === null || typeof data !== "object" || Array.isArray(data)) return undefined;
  const out: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(data as Record<string, unknown>)) {
    if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") out[k] = v;
  }
  return out;
}

export class JSONProvisioner implements Provisioner {
  constructor(
    private readonly prepared: Provisioner,
    private readonly start: () => Provisioner,
    private readonly setup: JSONComponentSetup,
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
    const value = runtimeValue(this.setup, p.configSpec(), { ...generatedData }, ErrorCode.Provisioner);
    const error = prepareErrorText(p.prepare(value, this.setup.info).diagnostics);
    if (error !== undefined) throw new KilnError(ErrorCode.Provisioner, error);
    await p.provision(ui, communicator, generatedData, signal, context);
  }
}

export class JSONPostProcessor implements PostProcessor {
  constructor(
    private readonly configured: PostProcessor,
    private readonly start: () => PostProcessor,
    private readonly setup: JSONComponentSetup,
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
    const data = generatedDataOf(artifact);
    const value = runtimeValue(
      this.setup,
      pp.configSpec(),
      data === undefined ? {} : { ...data },
      ErrorCode.PostProcessor,
    );
    const error = prepareErrorText(pp.configure(value, this.setup.info).diagnostics);
    if (error !== undefined) throw new KilnError(ErrorCode.PostProcessor, error);
    return pp.postProcess(ui, artifact, signal, context);
  }
}
