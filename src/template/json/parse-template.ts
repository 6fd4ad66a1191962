/**
 * The SDK's template.Parse / ParseFile: JSON text to a Template, with Packer's checks and error texts:
 * syntax errors with a highlighted position, repeated keys, unknown root keys (`_` keys are comments),
 * builders without a type or with a repeated name, malformed provisioners and post-processor chains.
 */
import { Duration, parseDuration } from "../../sdk/index.js";
import {
  decodeString,
  decodeStringList,
  findField,
  goKind,
  isObject,
  mapstructureError,
  multiError,
  unconvertible,
} from "./go-decode.js";
import { highlightPosition, type JSONPositions, type JSONValue, parseJSON } from "./json-syntax.js";
import type {
  JSONConfigMap,
  Template,
  TemplateBuilder,
  TemplatePostProcessor,
  TemplateProvisioner,
  TemplateVariable,
} from "./template.js";

export type ParseTemplateResult = { readonly template: Template } | { readonly error: string };

interface RawTemplate {
  minVersion: string;
  description: string;
  builders: JSONValue[];
  comments: Map<string, string>;
  postProcessors: JSONValue[];
  provisioners: JSONValue[];
  cleanupProvisioner: JSONValue;
  variables: Record<string, JSONValue>;
  sensitiveVariables: string[];
}

type FieldKind = "string" | "slice" | "map" | "any" | "string-slice" | "comments";

/** rawTemplate's fields, in declaration order, by the name mapstructure matches. */
const ROOT_FIELDS: readonly [string, FieldKind][] = [
  ["min_packer_version", "string"],
  ["Description", "string"],
  ["builders", "slice"],
  ["Comments", "comments"],
  ["Push", "map"],
  ["post-processors", "slice"],
  ["Provisioners", "slice"],
  ["error-cleanup-provisioner", "any"],
  ["Variables", "map"],
  ["sensitive-variables", "string-slice"],
  ["RawContents", "slice"],
];

function decodeRoot(raw: JSONValue): { raw: RawTemplate; unused: string[] } | { error: string } {
  const out: RawTemplate = {
    minVersion: "",
    description: "",
    builders: [],
    comments: new Map(),
    postProcessors: [],
    provisioners: [],
    cleanupProvisioner: null,
    variables: {},
    sensitiveVariables: [],
  };
  if (raw === null) return { raw: out, unused: [] };
  if (!isObject(raw)) return { error: `'' expected a map, got '${goKind(raw)}'` };
  const used = new Set<string>();
  const errors: string[] = [];
  const values = new Map<string, JSONValue>();
  for (const [name, kind] of ROOT_FIELDS) {
    const key = findField(raw, name);
    if (key === undefined) continue;
    used.add(key);
    const v = raw[key]!;
    if (v === null) continue;
    switch (kind) {
      case "string":
        if (typeof v !== "string") errors.push(unconvertible(name, "string", v));
        else values.set(name, v);
        break;
      case "slice":
        if (!Array.isArray(v))
          errors.push(`'${name}': source data must be an array or slice, got ${goKind(v)}`);
        else values.set(name, v);
        break;
      case "map":
        if (!isObject(v)) errors.push(`'${name}' expected a map, got '${goKind(v)}'`);
        else values.set(name, v);
        break;
      case "string-slice": {
        const r = decodeStringList(name, v, false);
        if ("errors" in r) errors.push(...r.errors);
        else out.sensitiveVariables = r.value;
        break;
      }
      case "comments":
        if (!Array.isArray(v)) {
          errors.push(`'${name}': source data must be an array or slice, got ${goKind(v)}`);
          break;
        }
        v.forEach((item, i) => {
          if (item === null) return;
          if (!isObject(item)) {
            errors.push(`'${name}[${i}]' expected a map, got '${goKind(item)}'`);
            return;
          }
          for (const [k, c] of Object.entries(item)) {
            const r = decodeString(`${name}[${i}][${k}]`, c, false);
            if ("error" in r) errors.push(r.error);
            else out.comments.set(k, r.value);
          }
        });
        break;
      case "any":
        values.set(name, v);
        break;
    }
  }
  if (errors.length > 0) return { error: mapstructureError(errors) };
  out.minVersion = (values.get("min_packer_version") as string | undefined) ?? "";
  out.description = (values.get("Description") as string | undefined) ?? "";
  out.builders = (values.get("builders") as JSONValue[] | undefined) ?? [];
  out.postProcessors = (values.get("post-processors") as JSONValue[] | undefined) ?? [];
  out.provisioners = (values.get("Provisioners") as JSONValue[] | undefined) ?? [];
  out.cleanupProvisioner = values.get("error-cleanup-provisioner") ?? null;
  out.variables = (values.get("Variables") as Record<string, JSONValue> | undefined) ?? {};
  const unused = Object.keys(raw).filter((k) => !used.has(k));
  return { raw: out, unused };
}

/** Go's sort.Strings order (bytewise). */
export function compareGo(a: string, b: string): number {
  const ea = Buffer.from(a);
  const eb = Buffer.from(b);
  return Buffer.compare(ea, eb);
}

function withoutKeys(obj: Record<string, JSONValue>, keys: readonly string[]): JSONConfigMap | undefined {
  const out: JSONConfigMap = {};
  for (const [k, v] of Object.entries(obj)) {
    if (keys.includes(k)) continue;
    if (k === "__proto__")
      Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
    else out[k] = v;
  }
  return Object.keys(out).length === 0 ? undefined : out;
}

function decodeDuration(name: string, v: JSONValue): { value: Duration } | { error: string } {
  if (v === null) return { value: Duration.zero };
  if (typeof v === "string") {
    const r = parseDuration(v);
    return r.ok ? { value: r.value } : { error: `error decoding '${name}': ${r.error}` };
  }
  if (typeof v === "number") return { value: Duration.fromNanoseconds(BigInt(Math.trunc(v))) };
  if (typeof v === "boolean") return { value: Duration.fromNanoseconds(v ? 1n : 0n) };
  return { error: unconvertible(name, "int64", v) };
}

function decodeProvisioner(
  raw: JSONValue,
  positions: JSONPositions | undefined,
): TemplateProvisioner | { error: string } {
  if (!isObject(raw)) return { error: `Error decoding provisioner: '' expected a map, got '${goKind(raw)}'` };
  const errors: string[] = [];
  const field = (name: string): JSONValue => {
    const k = findField(raw, name);
    return k === undefined ? null : raw[k]!;
  };
  const str = (name: string): string => {
    const r = decodeString(name, field(name), true);
    if ("error" in r) {
      errors.push(r.error);
      return "";
    }
    return r.value;
  };
  const list = (name: string): string[] => {
    const r = decodeStringList(name, field(name), true);
    if ("errors" in r) {
      errors.push(...r.errors);
      return [];
    }
    return r.value;
  };
  const dur = (name: string): Duration => {
    const r = decodeDuration(name, field(name));
    if ("error" in r) {
      errors.push(r.error);
      return Duration.zero;
    }
    return r.value;
  };
  const only = list("Only");
  const except = list("Except");
  const type = str("Type");
  const overrideRaw = field("Override");
  let override: Record<string, JSONValue> | undefined;
  if (overrideRaw !== null) {
    if (isObject(overrideRaw)) override = overrideRaw;
    else errors.push(`'Override' expected a map, got '${goKind(overrideRaw)}'`);
  }
  const pauseBefore = dur("pause_before");
  const maxRetries = str("max_retries");
  const timeout = dur("timeout");
  if (errors.length > 0) return { error: `Error decoding provisioner: ${mapstructureError(errors)}` };
  if (type === "") return { error: "Provisioner missing 'type'" };
  const range = positions?.rangeOf(raw);
  return {
    type,
    only,
    except,
    config: withoutKeys(raw, [
      "except",
      "only",
      "override",
      "pause_before",
      "max_retries",
      "type",
      "timeout",
    ]),
    override,
    pauseBefore,
    maxRetries,
    timeout,
    ...(range !== undefined ? { range } : {}),
  };
}

function parsePostProcessor(i: number, raw: JSONValue): Record<string, JSONValue>[] | { errors: string[] } {
  if (typeof raw === "string") return [{ type: raw }];
  if (isObject(raw)) return [raw];
  if (Array.isArray(raw)) {
    const errors: string[] = [];
    const out: Record<string, JSONValue>[] = [];
    raw.forEach((inner, j) => {
      if (typeof inner === "string") out.push({ type: inner });
      else if (isObject(inner)) out.push(inner);
      else if (Array.isArray(inner))
        errors.push(`post-processor ${i + 1}.${j + 1}: sequence not allowed to be nested in a sequence`);
      else errors.push(`post-processor ${i + 1}.${j + 1}: unknown format`);
    });
    if (errors.length > 0) return { errors };
    return out;
  }
  return { errors: [`post-processor ${i + 1}: bad format`] };
}

function decodePostProcessor(
  c: Record<string, JSONValue>,
): Omit<TemplatePostProcessor, "range"> | { error: string } {
  const errors: string[] = [];
  const field = (name: string): JSONValue => {
    const k = findField(c, name);
    return k === undefined ? null : c[k]!;
  };
  const str = (name: string): string => {
    const r = decodeString(name, field(name), false);
    if ("error" in r) {
      errors.push(r.error);
      return "";
    }
    return r.value;
  };
  const list = (name: string): string[] => {
    const r = decodeStringList(name, field(name), false);
    if ("errors" in r) {
      errors.push(...r.errors);
      return [];
    }
    return r.value;
  };
  const only = list("Only");
  const except = list("Except");
  const name = str("Name");
  const type = str("Type");
  const keepRaw = field("keep_input_artifact");
  let keepInputArtifact: boolean | undefined;
  if (keepRaw !== null) {
    if (typeof keepRaw === "boolean") keepInputArtifact = keepRaw;
    else errors.push(unconvertible("keep_input_artifact", "bool", keepRaw));
  }
  if (errors.length > 0) return { error: mapstructureError(errors) };
  return {
    type,
    name,
    only,
    except,
    ...(keepInputArtifact !== undefined ? { keepInputArtifact } : {}),
    config: withoutKeys(c, ["except", "only", "keep_input_artifact", "type", "name"]),
  };
}

function buildTemplate(
  r: RawTemplate,
  rawContents: string,
  path: string,
  positions: JSONPositions | undefined,
): ParseTemplateResult {
  const errs: string[] = [];

  const variables = new Map<string, TemplateVariable>();
  const sensitiveVariables: TemplateVariable[] = [];
  for (const key of Object.keys(r.variables).sort(compareGo)) {
    const rawV = r.variables[key]!;
    const d = decodeString("", rawV, false);
    if ("error" in d) {
      errs.push(`variable ${key}: ${d.error}`);
      continue;
    }
    const v: TemplateVariable = { key, default: d.value, required: rawV === null };
    for (const s of r.sensitiveVariables) if (s === key) sensitiveVariables.push(v);
    variables.set(key, v);
  }

  const builders = new Map<string, TemplateBuilder>();
  r.builders.forEach((rawB, i) => {
    if (!isObject(rawB)) {
      errs.push(`builder ${i + 1}: '' expected a map, got '${goKind(rawB)}'`);
      return;
    }
    const decodeErrs: string[] = [];
    const fieldStr = (name: string): string => {
      const k = findField(rawB, name);
      if (k === undefined) return "";
      const d = decodeString(name, rawB[k]!, true);
      if ("error" in d) {
        decodeErrs.push(d.error);
        return "";
      }
      return d.value;
    };
    let name = fieldStr("Name");
    const type = fieldStr("Type");
    if (decodeErrs.length > 0) {
      errs.push(`builder ${i + 1}: ${mapstructureError(decodeErrs)}`);
      return;
    }
    const config = withoutKeys(rawB, ["name", "type"]);
    if (type === "") {
      errs.push(`builder ${i + 1}: missing 'type'`);
      return;
    }
    if (name === "") name = type;
    if (builders.has(name)) {
      errs.push(`builder ${i + 1}: builder with name '${name}' already exists`);
      return;
    }
    const range = positions?.rangeOf(rawB);
    builders.set(name, { name, type, config, ...(range !== undefined ? { range } : {}) });
  });

  const postProcessors: TemplatePostProcessor[][] = [];
  r.postProcessors.forEach((v, i) => {
    const configs = parsePostProcessor(i, v);
    if ("errors" in configs) {
      errs.push(...configs.errors);
      return;
    }
    const pps: TemplatePostProcessor[] = [];
    configs.forEach((c, j) => {
      const pp = decodePostProcessor(c);
      if ("error" in pp) {
        errs.push(`post-processor ${i + 1}.${j + 1}: ${pp.error}`);
        return;
      }
      if (pp.type === "") {
        errs.push(`post-processor ${i + 1}.${j + 1}: type is required`);
        return;
      }
      const range = positions?.rangeOf(c);
      pps.push({
        ...pp,
        name: pp.name === "" ? pp.type : pp.name,
        ...(range !== undefined ? { range } : {}),
      });
    });
    postProcessors.push(pps);
  });

  const provisioners: TemplateProvisioner[] = [];
  r.provisioners.forEach((v, i) => {
    const p = decodeProvisioner(v, positions);
    if ("error" in p) errs.push(`provisioner ${i + 1}: ${p.error}`);
    else provisioners.push(p);
  });

  let cleanupProvisioner: TemplateProvisioner | undefined;
  if (r.cleanupProvisioner !== null) {
    const p = decodeProvisioner(r.cleanupProvisioner, positions);
    if ("error" in p) errs.push(`On Error Cleanup Provisioner error: ${p.error}`);
    else cleanupProvisioner = p;
  }

  if (errs.length > 0) return { error: multiError(errs) };
  return {
    template: {
      path,
      description: r.description,
      minVersion: r.minVersion,
      comments: r.comments,
      variables,
      sensitiveVariables,
      builders,
      provisioners,
      ...(cleanupProvisioner !== undefined ? { cleanupProvisioner } : {}),
      postProcessors,
      rawContents,
      ...(positions !== undefined ? { positions } : {}),
    },
  };
}

export interface ParseTemplateOptions {
  /** The absolute path recorded in the template (template_dir, packer_template_path); "" for none. */
  readonly path?: string;
  /** The name used in ranges. */
  readonly filename?: string;
}

/**
 * template.Parse: the template, or the error text Packer prints after `Failed to parse ...: `. Syntax errors
 * carry the position and the highlighted source lines, as ParseFile adds them.
 */
export function parseTemplate(
  source: string | Uint8Array,
  options: ParseTemplateOptions = {},
): ParseTemplateResult {
  const bytes = typeof source === "string" ? new TextEncoder().encode(source) : source;
  const text = typeof source === "string" ? source : new TextDecoder().decode(source);
  const parsed = parseJSON(bytes, options.filename ?? options.path ?? "");
  if (!parsed.ok) {
    if ("duplicate" in parsed) return { error: `template has duplicate field: ${parsed.duplicate}` };
    const { message, offset } = parsed.syntax;
    const { line, col, highlight } = highlightPosition(bytes, offset);
    return {
      error: `Error parsing JSON: ${message}\nAt line ${line}, column ${col} (offset ${offset}):\n${highlight}`,
    };
  }
  const root = decodeRoot(parsed.value);
  if ("error" in root) return root;
  const { raw, unused } = root;
  const unknown: string[] = [];
  for (const key of unused.sort(compareGo)) {
    if (key.startsWith("_")) {
      const v = (parsed.value as Record<string, JSONValue>)[key];
      if (typeof v !== "string") {
        return { error: `Failed to cast root level comment value in comment "${key}" to string.` };
      }
      raw.comments.set(key, v);
      continue;
    }
    unknown.push(`Unknown root level key in template: '${key}'`);
  }
  if (unknown.length > 0) return { error: multiError(unknown) };
  return buildTemplate(raw, text, options.path ?? "", parsed.positions);
}
