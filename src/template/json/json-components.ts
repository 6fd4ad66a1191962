/**
 * Provisioners and post-processors of legacy JSON templates. At preparation their configuration is rendered
 * with placeholder build data, so `{{ build `ID` }}` becomes `{{.ID}}`; just before they run, the original
 * configuration is rendered again with the data the builder actually generated and the component is prepared
 * again with it, so the real value reaches it (Packer's plugins re-interpolate their fields at run time).
 */
import type { Diagnostic, Value } from "../../hcl/index.js";
import {
  type BuildInfo,
  type ConfigSpec,
  KilnError,
  type PostProcessor,
  type Provisioner,
} from "../../sdk/index.js";
import {
  type RuntimeConfiguration,
  RuntimeConfiguredPostProcessor,
  RuntimeConfiguredProvisioner,
} from "../hcl2/runtime-configured.js";
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

/** How a JSON component is configured again at run time: its configuration rendered with the generated data. */
function jsonRuntime(setup: JSONComponentSetup): RuntimeConfiguration {
  return {
    info: setup.info,
    configFor: (spec, data, code) => {
      const r = configureJSON(setup, spec, { ...(data ?? {}) });
      if ("error" in r) throw new KilnError(code, r.error);
      return r.value;
    },
    errorText: prepareErrorText,
  };
}

/** A provisioner of a JSON template, rendered again with the builder's generated data before it runs. */
export class JSONProvisioner extends RuntimeConfiguredProvisioner {
  constructor(prepared: Provisioner, start: () => Provisioner, setup: JSONComponentSetup) {
    super(prepared, start, jsonRuntime(setup));
  }
}

/** A post-processor of a JSON template, rendered again with its input's generated data before it runs. */
export class JSONPostProcessor extends RuntimeConfiguredPostProcessor {
  constructor(configured: PostProcessor, start: () => PostProcessor, setup: JSONComponentSetup) {
    super(configured, start, jsonRuntime(setup));
  }
}
