/**
 * Configuration decoding shared by the built-in components, as the plugin SDK's config.Decode does it: the
 * evaluated configuration becomes plain data (unknown values, which only occur during validation, become
 * Packer's placeholders), every string is checked as a legacy template and, unless excluded, rendered once
 * with the build's interpolation context; the result is read with the communicator layer's ConfigReader.
 *
 * Provisioners and post-processors of legacy JSON templates are prepared with placeholder data for the
 * builder's generated keys, so that `{{ build `ID` }}` becomes `{{.ID}}` at prepare time and is rendered with
 * the real data when the component runs. HCL templates pass no such data, as Packer does.
 */
import { ConfigReader } from "../../../communicator/index.js";
import {
  boolType,
  type Diagnostic,
  errorDiag,
  listType,
  mapType,
  stringType,
  type Value,
  valueFromNative,
} from "../../../hcl/index.js";
import {
  type AttributeSpec,
  type BuildInfo,
  type ConfigSpec,
  ErrorCode,
  KilnError,
} from "../../../sdk/index.js";
import { buildPlaceholder, GoMap, type InterpolateContext, renderMap } from "../../../template/index.js";

const str: AttributeSpec = { kind: "attribute", type: stringType };
const bool: AttributeSpec = { kind: "attribute", type: boolType };

/**
 * The hidden keys every component's schema has (Packer's common.PackerConfig). Core passes their values as
 * BuildInfo; they are accepted in a body so that templates setting them decode as in Packer.
 */
export const PACKER_CONFIG_SPEC: ConfigSpec = {
  packer_build_name: str,
  packer_builder_type: str,
  packer_core_version: str,
  packer_debug: bool,
  packer_force: bool,
  packer_on_error: str,
  packer_user_variables: { kind: "attribute", type: mapType(stringType) },
  packer_sensitive_variables: { kind: "attribute", type: listType(stringType) },
};

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

/**
 * Placeholder data for prepare time (Packer's BasicPlaceholderData): the common keys read as
 * `Build_<Key>. To set this dynamically ...`. Keys a builder adds (docker's `ImageSha256`, ...) are not known
 * here, so `build` accepts any key (`{{.Key}}` stays for run time), while `.Key` reads only the common ones.
 */
class PlaceholderEntries extends Map<string, string> {
  override get(key: string): string {
    return super.get(key) ?? buildPlaceholder(key);
  }
}

export function placeholderData(): GoMap {
  const entries = new PlaceholderEntries();
  for (const key of BUILDER_DATA_COMMON_KEYS) entries.set(key, buildPlaceholder(key));
  return new GoMap("string", entries);
}

/**
 * The interpolation context of a component (Packer's DetectContext) with `data` as `.`. Data sources get no
 * build information: their context is empty.
 */
export function interpolateContext(info: BuildInfo | undefined, data?: unknown): InterpolateContext {
  if (info === undefined) return data !== undefined ? { data } : {};
  return {
    buildName: info.buildName,
    buildType: info.builderType,
    packerVersion: info.coreVersion,
    userVariables: info.userVariables,
    sensitiveVariables: info.sensitiveVariables,
    env: info.env,
    cwd: info.cwd,
    ...(info.templatePath !== undefined ? { templatePath: info.templatePath } : {}),
    ...(data !== undefined ? { data } : {}),
  };
}

// The sdk's reading of an artifact's generated data, re-exported for the components that import it from here.
export { artifactGeneratedData } from "../../../sdk/index.js";

/** The error of a component run without a valid configuration (core runs only prepared components). */
export function notPrepared(what: string): KilnError {
  return new KilnError(ErrorCode.Internal, `the ${what} was run without a valid configuration`);
}

export interface DecodeOptions {
  /** Render legacy template strings (Packer's DecodeOpts.Interpolate). Default true. */
  readonly interpolate?: boolean;
  /** Keys validated but left unrendered, for rendering when the component runs (RenderFilter.Exclude). */
  readonly exclude?: readonly string[];
  /** The component is a provisioner or post-processor: JSON templates give it placeholder data. */
  readonly placeholders?: boolean;
  /** Put before a decoding error, as shell-local does (`Error decoding config: `). */
  readonly errorPrefix?: string;
}

export interface DecodeResult {
  /** Reads the rendered configuration; collects the component's own checks as diagnostics. */
  readonly reader: ConfigReader;
  /** The decoding itself failed (a template error): Packer stops before its own checks. */
  readonly failed: boolean;
}

/**
 * Decodes `config` for a component with schema `spec`. A list attribute given as one string is split on
 * commas, as mapstructure's StringToSliceHookFunc does for JSON templates.
 */
export function decodePluginConfig(
  config: Value | undefined,
  spec: ConfigSpec,
  info: BuildInfo | undefined,
  options: DecodeOptions = {},
): DecodeResult {
  const raw = toPlainObject(config);
  for (const [key, field] of Object.entries(spec)) {
    const v = raw[key];
    if (typeof v === "string" && field.kind === "attribute" && isListType(field)) {
      raw[key] = v === "" ? [] : v.split(",");
    }
  }
  let rendered: Record<string, unknown> = raw;
  let error: string | undefined;
  if (options.interpolate ?? true) {
    const json = info?.templatePath !== undefined;
    const data = options.placeholders === true && json ? placeholderData() : undefined;
    const r = renderMap(raw, interpolateContext(info, data), { exclude: options.exclude ?? [] });
    if ("error" in r) error = r.error;
    else rendered = r.value;
  }
  const reader = new ConfigReader(valueFromNative(rendered));
  if (error !== undefined) {
    reader.diagnostics.push(errorDiag(`${options.errorPrefix ?? ""}${error}`));
    return { reader, failed: true };
  }
  return { reader, failed: false };
}

function isListType(field: AttributeSpec): boolean {
  const kind = field.type.kind;
  return kind === "list" || kind === "set";
}

/**
 * The configuration object as plain data: marks dropped (redaction is core's job), null attributes left
 * out, unknown values replaced as Packer's WriteUnknownPlaceholderValues does (`<unknown>`, 0, false, empty).
 */
export function toPlainObject(config: Value | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (config === undefined) return out;
  const [v] = config.unmarkDeep();
  if (!v.isKnown() || v.isNull()) return out;
  if (v.type.kind !== "object" && v.type.kind !== "map") return out;
  for (const [k, e] of v.asValueMap()) {
    if (e.isKnown() && e.isNull()) continue;
    define(out, k, toPlain(e));
  }
  return out;
}

function toPlain(v: Value): unknown {
  const kind = v.type.kind;
  if (!v.isKnown()) {
    switch (kind) {
      case "number":
        return 0;
      case "bool":
        return false;
      case "list":
      case "set":
      case "tuple":
        return [];
      case "map":
      case "object":
        return {};
      default:
        return "<unknown>";
    }
  }
  if (v.isNull()) return null;
  switch (kind) {
    case "string":
      return v.asString();
    case "number":
      return v.asNumber();
    case "bool":
      return v.asBool();
    case "list":
    case "set":
    case "tuple":
      return v.asValueSlice().map(toPlain);
    case "map":
    case "object": {
      const out: Record<string, unknown> = {};
      for (const [k, e] of v.asValueMap()) define(out, k, toPlain(e));
      return out;
    }
    default:
      return null;
  }
}

function define(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Error diagnostics for Packer's error texts. */
export function errorDiagnostics(messages: readonly string[]): Diagnostic[] {
  return messages.map((m) => errorDiag(m));
}
