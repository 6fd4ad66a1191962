/**
 * Legacy JSON templates end to end (Packer's JSON core, packer/core.go): loading the template and the
 * -var / -var-file values (GetConfigFromJSON), initializing (Template.Validate, min_packer_version, required
 * variables, user variables rendered in passes, build names rendered), and getting the builds with every
 * component started and prepared (GetBuilds), shaped like the HCL2 loader's so commands share core wiring.
 *
 * Failures to load are the plain texts Packer prints with ui.Error; failures after that are diagnostics
 * (Packer's own: an empty summary with the error as detail, or `Failed to prepare build: "name"`).
 */
import { readFileSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { type Diagnostic, nameSuggestion } from "../../hcl/index.js";
import type {
  Builder,
  BuildInfo,
  OnErrorMode,
  PostProcessor,
  Provisioner,
  SecretFilter,
} from "../../sdk/index.js";
import type { ComponentCatalog } from "../hcl2/catalog.js";
import {
  BUILDER_DATA_COMMON_KEYS,
  type PreparedBuild,
  type PreparedPostProcessor,
  type PreparedProvisioner,
} from "../hcl2/index.js";
import {
  buildPlaceholder,
  type InterpolateContext,
  renderUntilFixpoint,
  resolveUserVariables,
} from "../legacy/index.js";
import { mergeConfigs } from "./component-config.js";
import { warningTexts } from "./errors.js";
import { isObject, multiError } from "./go-decode.js";
import { compareGoVersions, goVersionString, parseGoVersion } from "./go-version.js";
import {
  configureJSON,
  type JSONComponentSetup,
  JSONPostProcessor,
  JSONProvisioner,
  prepareErrorText,
} from "./json-components.js";
import { parseJSON } from "./json-syntax.js";
import { compareGo, parseTemplate } from "./parse-template.js";
import {
  skipFor,
  type Template,
  type TemplateBuilder,
  type TemplateProvisioner,
  validateTemplateErrors,
} from "./template.js";

/** Packer's TiniestBuilder: the template `console` uses when given none. */
export const TINIEST_BUILDER = `{
	"builders": [
		{
			"type":"null",
			"communicator": "none"
		}
	]
}
`;

export interface JSONLoadOptions {
  /** The template file; "-" reads `stdin`; "" uses TINIEST_BUILDER (console without a template). */
  readonly path: string;
  /** -var-file paths, in order: each a JSON object of strings. */
  readonly varFiles?: readonly string[];
  /** -var values; they win over var files. */
  readonly vars?: ReadonlyMap<string, string>;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** The Packer version min_packer_version is checked against and {{packer_version}} prints. */
  readonly coreVersion: string;
  /** The template text when `path` is "-". */
  readonly stdin?: string | Uint8Array;
}

export interface JSONLoadResult {
  /** Undefined when the template or a var file could not be read. */
  readonly config: JSONConfig | undefined;
  /** Texts Packer prints with ui.Error (each one line or more); non-empty means exit status 1. */
  readonly errors: string[];
  /** The template's text by file name, for rendering diagnostics. */
  readonly sources: ReadonlyMap<string, string>;
}

export interface JSONGetBuildsOptions {
  readonly catalog: ComponentCatalog;
  /** -only: exact builder names. */
  readonly only?: readonly string[];
  /** -except: exact builder names, and post-processor names (the rest of that chain is dropped). */
  readonly except?: readonly string[];
  readonly debug?: boolean;
  readonly force?: boolean;
  readonly onError?: OnErrorMode | "";
  readonly runUuid: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly cwd?: string;
  /** Where the values of sensitive variables are registered for redaction. */
  readonly secrets?: SecretFilter;
}

export interface JSONGetBuildsResult {
  readonly builds: PreparedBuild[];
  readonly diagnostics: Diagnostic[];
}

const PARSE_PREFIX =
  "Failed to parse file as legacy JSON template: if you are using an HCL template, check your file extensions; " +
  "they should be either *.pkr.hcl or *.pkr.json; see the docs for more details: " +
  "https://www.packer.io/docs/templates/hcl_templates. \nOriginal error: ";

function goOpenError(path: string, e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  const text =
    code === "ENOENT"
      ? "no such file or directory"
      : code === "EACCES"
        ? "permission denied"
        : code === "EISDIR"
          ? "is a directory"
          : String((e as Error).message);
  return `open ${path}: ${text}`;
}

/** kvflag.FlagJSON: a var file read as a JSON object of strings. */
export function readVarFile(
  path: string,
  cwd: string,
): { value: Record<string, string> } | { error: string } {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(resolve(cwd, path));
  } catch (e) {
    return { error: goOpenError(path, e) };
  }
  const fail = (msg: string) => ({ error: `Error reading variables in '${path}': ${msg}` });
  if (new TextDecoder().decode(bytes).trim() === "") return fail("EOF");
  let parsed = parseJSON(bytes, path);
  if (!parsed.ok && "syntax" in parsed && parsed.syntax.message.endsWith("after top-level value")) {
    // json.Decoder reads one value and leaves the rest.
    parsed = parseJSON(bytes.subarray(0, parsed.syntax.offset - 1), path);
  }
  if (!parsed.ok) {
    if ("duplicate" in parsed) return { value: {} };
    const m = parsed.syntax.message;
    return fail(m === "unexpected end of JSON input" ? "unexpected EOF" : m);
  }
  const v = parsed.value;
  if (v === null) return { value: {} };
  const kind = (x: unknown) =>
    Array.isArray(x)
      ? "array"
      : typeof x === "object"
        ? "object"
        : typeof x === "boolean"
          ? "bool"
          : typeof x;
  if (!isObject(v)) return fail(`json: cannot unmarshal ${kind(v)} into Go value of type kvflag.FlagJSON`);
  const out: Record<string, string> = {};
  for (const [k, e] of Object.entries(v)) {
    if (e === null) continue;
    if (typeof e !== "string") return fail(`json: cannot unmarshal ${kind(e)} into Go value of type string`);
    out[k] = e;
  }
  return { value: out };
}

/**
 * GetConfigFromJSON: parses the template and reads the variable values. The result's config is ready for
 * initialize() (or for `validate -syntax-only`, which stops here).
 */
export function loadJSONConfig(options: JSONLoadOptions): JSONLoadResult {
  const sources = new Map<string, string>();
  let bytes: Uint8Array;
  let absPath = "";
  const filename = options.path === "" ? "" : options.path;
  if (options.path === "") {
    bytes = new TextEncoder().encode(TINIEST_BUILDER);
  } else if (options.path === "-") {
    const s = options.stdin ?? "";
    bytes = typeof s === "string" ? new TextEncoder().encode(s) : s;
    absPath = resolve(options.cwd, "-");
  } else {
    absPath = isAbsolute(options.path) ? options.path : resolve(options.cwd, options.path);
    try {
      bytes = readFileSync(absPath);
    } catch (e) {
      return { config: undefined, errors: [PARSE_PREFIX + goOpenError(options.path, e)], sources };
    }
  }
  const text = new TextDecoder().decode(bytes);
  sources.set(filename, text);
  const parsed = parseTemplate(bytes, { path: absPath, filename });
  if ("error" in parsed) return { config: undefined, errors: [PARSE_PREFIX + parsed.error], sources };

  const fileVars: Record<string, string> = {};
  for (const f of options.varFiles ?? []) {
    const r = readVarFile(f, options.cwd);
    if ("error" in r) return { config: undefined, errors: [r.error], sources };
    Object.assign(fileVars, r.value);
  }
  const variables = new Map<string, string>(options.vars ?? []);
  for (const [k, v] of Object.entries(fileVars)) if (!variables.has(k)) variables.set(k, v);
  return { config: new JSONConfig(parsed.template, variables, options), errors: [], sources };
}

function coreError(detail: string): Diagnostic {
  return { severity: "error", summary: "", detail };
}

/** A loaded legacy JSON template with its variable values. */
export class JSONConfig {
  /** The variable values: -var and var files before initialize(), every rendered variable after. */
  readonly variables: Map<string, string>;
  /** Rendered build name => builder, after initialize(). */
  readonly builds = new Map<string, TemplateBuilder>();
  private readonly secretsFound: string[] = [];
  private initialized = false;

  constructor(
    readonly template: Template,
    variables: ReadonlyMap<string, string>,
    private readonly options: Pick<JSONLoadOptions, "env" | "cwd" | "coreVersion">,
  ) {
    this.variables = new Map(variables);
  }

  get coreVersion(): string {
    return this.options.coreVersion;
  }

  /** The interpolation context of the core (template path, user variables, packer version). */
  context(extra: Partial<InterpolateContext> = {}): InterpolateContext {
    return {
      templatePath: this.template.path,
      userVariables: Object.fromEntries(this.variables),
      packerVersion: this.options.coreVersion,
      env: this.options.env,
      cwd: this.options.cwd,
      ...extra,
    };
  }

  /** Names of the sensitive variables. */
  sensitiveVariableNames(): string[] {
    return this.template.sensitiveVariables.map((v) => v.key);
  }

  /** The values of sensitive variables (known after initialize()). */
  secrets(): readonly string[] {
    return this.secretsFound;
  }

  /**
   * Core.Initialize: validates the template and the variables, renders the user variables and the build
   * names. Errors are one diagnostic with an empty summary (Packer prints `Error: ` and the text).
   */
  async initialize(
    options: { readonly secrets?: SecretFilter; readonly signal?: AbortSignal } = {},
  ): Promise<Diagnostic[]> {
    const t = this.template;
    const templateErrors = validateTemplateErrors(t);
    if (templateErrors.length > 0) return [coreError(multiError(templateErrors))];

    if (t.minVersion !== "") {
      const actual = parseGoVersion(this.options.coreVersion);
      const min = parseGoVersion(t.minVersion);
      if ("error" in min) return [coreError(`min_version is invalid: ${min.error}`)];
      if (!("error" in actual) && compareGoVersions(actual, min) < 0) {
        return [
          coreError(
            `This template requires Packer version ${goVersionString(min)} or higher; using ${goVersionString(actual)}`,
          ),
        ];
      }
    }

    const missing: string[] = [];
    for (const [name, v] of [...t.variables].sort(([a], [b]) => compareGo(a, b))) {
      if (v.required && !this.variables.has(name)) missing.push(`required variable not set: ${name}`);
    }
    if (missing.length > 0) return [coreError(multiError(missing))];

    const defaults: Record<string, string> = {};
    for (const [k, v] of t.variables) defaults[k] = v.default;
    const resolved = await resolveUserVariables({
      templateVariables: defaults,
      variables: Object.fromEntries(this.variables),
      ctx: this.context(),
      ...(options.signal !== undefined ? { signal: options.signal } : {}),
    });
    if ("error" in resolved) return [coreError(resolved.error)];
    this.variables.clear();
    for (const [k, v] of Object.entries(resolved.value)) this.variables.set(k, v);
    this.secretsFound.length = 0;
    for (const v of t.sensitiveVariables) {
      const secret = this.variables.get(v.key) ?? "";
      this.secretsFound.push(secret);
      if (secret !== "") options.secrets?.add(secret);
    }

    this.builds.clear();
    const ctx = this.context();
    for (const b of t.builders.values()) {
      const r = renderUntilFixpoint(b.name, ctx);
      if ("error" in r) return [coreError(`Error interpolating builder '${b.name}': ${r.error}`)];
      this.builds.set(r.value, b);
    }
    this.initialized = true;
    return [];
  }

  /** Core.BuildNames: the build names left by -only / -except (exact names), sorted. */
  buildNames(only: readonly string[] = [], except: readonly string[] = []): string[] {
    return [...this.builds.keys()]
      .filter((n) => (only.length === 0 || only.includes(n)) && !except.includes(n))
      .sort(compareGo);
  }

  /**
   * Core.GetBuilds: one build per builder left by -only / -except, sorted by name, with the builder,
   * provisioners, error-cleanup provisioner and post-processor chains started and prepared. A build that
   * cannot be made or prepared is reported and left out; the others can still run.
   */
  getBuilds(options: JSONGetBuildsOptions): JSONGetBuildsResult {
    const diagnostics: Diagnostic[] = [];
    const builds: PreparedBuild[] = [];
    if (!this.initialized) {
      return { builds, diagnostics: [coreError("the template must be initialized before builds are made")] };
    }
    for (const n of this.buildNames(options.only, options.except)) {
      const made = this.build(n, options);
      if ("error" in made) {
        diagnostics.push({
          severity: "error",
          summary: `Failed to initialize build "${n}"`,
          detail: made.error,
        });
        continue;
      }
      if ("prepareError" in made) {
        diagnostics.push({
          severity: "error",
          summary: `Failed to prepare build: "${n}"`,
          detail: made.prepareError,
        });
        continue;
      }
      builds.push(made.build);
      for (const w of made.warnings) {
        diagnostics.push({ severity: "warning", summary: `Warning when preparing build: "${n}"`, detail: w });
      }
    }
    return { builds, diagnostics };
  }

  private build(
    n: string,
    options: JSONGetBuildsOptions,
  ):
    | { error: string }
    | { build: PreparedBuild; warnings: string[] }
    | { prepareError: string; warnings: string[] } {
    const b = this.builds.get(n);
    if (b === undefined) return { error: `no such build found: ${n}` };
    const { catalog } = options;
    const unknown = (kind: string, type: string, known: readonly string[]) => {
      const sugg = nameSuggestion(type, known);
      if (sugg !== "") return `Did you mean to use "${sugg}"?`;
      return (
        `The ${kind} ${type} is unknown by Packer, and is likely part of a plugin that is not installed.\n` +
        "You may find the needed plugin along with installation instructions documented on the Packer integrations page.\n\n" +
        `https://developer.hashicorp.com/packer/integrations?filter=${type.split("-")[0]}`
      );
    };
    const startBuilder = catalog.builders.get(b.type);
    if (startBuilder === undefined) return { error: unknown("builder", b.type, catalog.builders.types()) };
    const rawName = b.name;

    const info: BuildInfo = {
      buildName: n,
      builderType: b.type,
      coreVersion: this.options.coreVersion,
      debug: options.debug ?? false,
      force: options.force ?? false,
      onError: options.onError === undefined || options.onError === "" ? "cleanup" : options.onError,
      templatePath: this.template.path,
      userVariables: Object.fromEntries(this.variables),
      sensitiveVariables: this.sensitiveVariableNames(),
      runUuid: options.runUuid,
      env: options.env ?? this.options.env,
      cwd: options.cwd ?? this.options.cwd,
    };
    const baseCtx = this.context({ buildName: n, buildType: b.type });

    // Starting every component first, as Core.Build does, so unknown types are reported before preparing.
    type ProvStart = { raw: TemplateProvisioner; start: () => Provisioner; maxRetries: number };
    const startProvisioner = (p: TemplateProvisioner): ProvStart | { error: string } => {
      const start = catalog.provisioners.get(p.type);
      if (start === undefined) return { error: unknown("provisioner", p.type, catalog.provisioners.types()) };
      let maxRetries = 0;
      if (p.maxRetries !== "") {
        const r = renderUntilFixpoint(p.maxRetries, this.context());
        if ("error" in r) return { error: `failed to interpolate \`max_retries\`: ${r.error}` };
        if (!/^[+-]?[0-9]+$/.test(r.value)) {
          return {
            error: `\`max_retries\` must be a valid integer: strconv.Atoi: parsing ${JSON.stringify(r.value)}: invalid syntax`,
          };
        }
        maxRetries = Number(r.value);
      }
      return { raw: p, start, maxRetries };
    };
    const provStarts: ProvStart[] = [];
    for (const p of this.template.provisioners) {
      if (skipFor(p, rawName)) continue;
      const s = startProvisioner(p);
      if ("error" in s) return s;
      provStarts.push(s);
    }
    let cleanupStart: ProvStart | undefined;
    if (this.template.cleanupProvisioner !== undefined) {
      const s = startProvisioner(this.template.cleanupProvisioner);
      if ("error" in s) return s;
      cleanupStart = s;
    }
    type PPStart = { raw: Template["postProcessors"][number][number]; start: () => PostProcessor };
    const chainStarts: PPStart[][] = [];
    const except = options.except ?? [];
    for (const chain of this.template.postProcessors) {
      const current: PPStart[] = [];
      for (const pp of chain) {
        if (skipFor(pp, rawName)) continue;
        if (except.some((e) => e !== "" && e === pp.name)) break;
        const start = catalog.postProcessors.get(pp.type);
        if (start === undefined)
          return { error: unknown("post-processor", pp.type, catalog.postProcessors.types()) };
        current.push({ raw: pp, start });
      }
      if (current.length > 0) chainStarts.push(current);
    }

    // Prepare: the builder, then the provisioners and post-processors with placeholder build data. As in
    // CoreBuild.Prepare, the first component that fails ends the preparation, and its error is the build's.
    const warnings: string[] = [];
    const failed = (prepareError: string) => ({ prepareError, warnings });
    const builder: Builder = startBuilder();
    const builderSetup: JSONComponentSetup = { raw: mergeConfigs(b.config), ctx: baseCtx, info };
    const bc = configureJSON(builderSetup, builder.configSpec(), undefined);
    if ("error" in bc) return failed(bc.error);
    const preparedBuilder = builder.prepare(bc.value, info);
    warnings.push(...warningTexts(preparedBuilder.diagnostics));
    const builderError = prepareErrorText(preparedBuilder.diagnostics);
    if (builderError !== undefined) return failed(builderError);
    const generatedDataKeys = preparedBuilder.generatedDataKeys;

    const placeholders: Record<string, string> = {};
    for (const k of [...BUILDER_DATA_COMMON_KEYS, ...generatedDataKeys])
      placeholders[k] = buildPlaceholder(k);

    const prepareProvisioner = (s: ProvStart): PreparedProvisioner | { error: string } => {
      const override = s.raw.override?.[rawName];
      const raw = mergeConfigs(s.raw.config, isObject(override) ? override : undefined);
      const setup: JSONComponentSetup = { raw, ctx: baseCtx, info };
      const instance = s.start();
      const c = configureJSON(setup, instance.configSpec(), placeholders);
      if ("error" in c) return c;
      const r = instance.prepare(c.value, info);
      warnings.push(...warningTexts(r.diagnostics));
      const error = prepareErrorText(r.diagnostics);
      if (error !== undefined) return { error };
      const p = s.raw;
      return {
        type: p.type,
        provisioner: new JSONProvisioner(instance, s.start, setup),
        ...(!p.pauseBefore.isZero() ? { pauseBefore: p.pauseBefore } : {}),
        ...(!p.timeout.isZero() ? { timeout: p.timeout } : {}),
        ...(s.maxRetries !== 0 ? { maxRetries: s.maxRetries } : {}),
      };
    };

    const provisioners: PreparedProvisioner[] = [];
    for (const s of provStarts) {
      const p = prepareProvisioner(s);
      if ("error" in p) return failed(p.error);
      provisioners.push(p);
    }
    let cleanupProvisioner: PreparedProvisioner | undefined;
    if (cleanupStart !== undefined) {
      const p = prepareProvisioner(cleanupStart);
      if ("error" in p) return failed(p.error);
      cleanupProvisioner = p;
    }
    const postProcessors: PreparedPostProcessor[][] = [];
    for (const chain of chainStarts) {
      const current: PreparedPostProcessor[] = [];
      for (const s of chain) {
        const setup: JSONComponentSetup = { raw: mergeConfigs(s.raw.config), ctx: baseCtx, info };
        const instance = s.start();
        const c = configureJSON(setup, instance.configSpec(), placeholders);
        if ("error" in c) return failed(c.error);
        const r = instance.configure(c.value, info);
        warnings.push(...warningTexts(r.diagnostics));
        const error = prepareErrorText(r.diagnostics);
        if (error !== undefined) return failed(error);
        current.push({
          type: s.raw.type,
          name: s.raw.name,
          postProcessor: new JSONPostProcessor(instance, s.start, setup),
          ...(s.raw.keepInputArtifact !== undefined ? { keepInputArtifact: s.raw.keepInputArtifact } : {}),
        });
      }
      postProcessors.push(current);
    }

    const name = b.type !== b.name ? `${b.type}.${n}` : n;
    return {
      build: {
        name,
        type: b.type,
        builder,
        provisioners,
        ...(cleanupProvisioner !== undefined ? { cleanupProvisioner } : {}),
        postProcessors,
      },
      warnings,
    };
  }

  /**
   * Core.EvaluateExpression (`console` in JSON mode): renders a line with the core context. Returns the
   * output, whether to exit, and an `Interpolation error` diagnostic when rendering fails.
   */
  evaluateExpression(line: string): { output: string; exit: boolean; diagnostics: Diagnostic[] } {
    switch (line) {
      case "":
        return { output: "", exit: false, diagnostics: [] };
      case "exit":
        return { output: "", exit: true, diagnostics: [] };
      case "help":
        return { output: JSON_CONSOLE_HELP, exit: false, diagnostics: [] };
      case "variables": {
        let s = "\n";
        for (const [k, v] of this.variables) s += `${k}: ${v},\n`;
        return { output: s, exit: false, diagnostics: [] };
      }
      default: {
        const r = renderUntilFixpoint(line, this.context());
        if ("error" in r) {
          return {
            output: "",
            exit: false,
            diagnostics: [{ severity: "error", summary: "Interpolation error", detail: r.error }],
          };
        }
        return { output: r.value, exit: false, diagnostics: [] };
      }
    }
  }
}

/** Core's ConsoleHelp (JSON mode). */
export const JSON_CONSOLE_HELP = `Packer console JSON Mode.
The Packer console allows you to experiment with Packer interpolations.
You may access variables in the Packer config you called the console with.

Type in the interpolation to test and hit <enter> to see the result.

"variables" will dump all available variables and their values.

"{{timestamp}}" will output the timestamp, for example "1559855090".

To exit the console, type "exit" and hit <enter>, or use Control-C.

/!\\ If you would like to start console in hcl2 mode without a config you can
use the --config-type=hcl2 option.`;
