/**
 * A legacy JSON component configuration as a component receives it: every string rendered with the legacy
 * template engine (user variables, build_name, build_type, template_dir, ...; `{{ .Field }}` references are
 * kept for the component, which fills them itself), then decoded with the component's ConfigSpec the way
 * Packer plugins decode JSON configurations (the SDK's config.Decode: mapstructure with weak typing and the
 * string-to-slice hook): a string where a list is expected is split at commas (`"a,b"` is `["a", "b"]`, `""`
 * is an empty list), any other single value becomes a one-element list, numbers and booleans become strings,
 * strings become numbers (Go's ParseInt with base prefixes) and booleans, keys match case-insensitively, and
 * keys the component does not know are errors (`unknown configuration key: '"comment"'`).
 */
import {
  boolVal,
  convert,
  goQuote,
  listVal,
  listValEmpty,
  mapVal,
  mapValEmpty,
  nullVal,
  numberFloatVal,
  objectVal,
  stringVal,
  type Type,
  typeString,
  type Value,
  valueFromNative,
} from "../../hcl/index.js";
import type { ConfigSpec } from "../../sdk/index.js";
import { configSpecType } from "../hcl2/index.js";
import { BUILD_FIELD_FILTER, type InterpolateContext, renderRegex } from "../legacy/index.js";
import {
  findField,
  formatFloatF,
  goKind,
  goPrintV,
  goType,
  isObject,
  mapstructureError,
  multiError,
} from "./go-decode.js";
import type { JSONValue } from "./json-syntax.js";
import type { JSONConfigMap } from "./template.js";

/** Merges configurations key by key, later ones winning (as mapstructure decodes several raws in turn). */
export function mergeConfigs(
  ...configs: readonly (Readonly<Record<string, JSONValue>> | undefined)[]
): JSONConfigMap {
  const out: JSONConfigMap = {};
  for (const c of configs) {
    if (c === undefined) continue;
    for (const [k, v] of Object.entries(c)) {
      if (k === "__proto__")
        Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
      else out[k] = v;
    }
  }
  return out;
}

class RenderFailure {
  constructor(readonly message: string) {}
}

function renderString(s: string, ctx: InterpolateContext, keep: RegExp): string {
  const r = renderRegex(s, ctx, keep);
  if ("error" in r) throw new RenderFailure(`${r.error} in:\n\n${s}`);
  return r.value;
}

function renderWalk(v: JSONValue, ctx: InterpolateContext, keep: RegExp): JSONValue {
  if (typeof v === "string") return renderString(v, ctx, keep);
  if (Array.isArray(v)) return v.map((e) => renderWalk(e, ctx, keep));
  if (isObject(v)) {
    const out: JSONConfigMap = {};
    for (const [k, e] of Object.entries(v)) {
      const key = renderString(k, ctx, keep);
      const value = renderWalk(e, ctx, keep);
      if (key === "__proto__")
        Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
      else out[key] = value;
    }
    return out;
  }
  return v;
}

/**
 * Renders every string of a configuration (keys included) once, keeping what `keep` matches (by default
 * `{{ .Field }}` references) verbatim. Errors read `render 'key': template: root:1:2: ... in:\n\n<text>`.
 */
export function renderConfig(
  config: Readonly<JSONConfigMap>,
  ctx: InterpolateContext,
  keep: RegExp = BUILD_FIELD_FILTER,
): { value: JSONConfigMap } | { error: string } {
  const out: JSONConfigMap = {};
  for (const [k, v] of Object.entries(config)) {
    try {
      const value = renderWalk(v, ctx, keep);
      if (k === "__proto__")
        Object.defineProperty(out, k, { value, enumerable: true, writable: true, configurable: true });
      else out[k] = value;
    } catch (e) {
      if (e instanceof RenderFailure) return { error: `render '${k}': ${e.message}` };
      throw e;
    }
  }
  return { value: out };
}

/** A Go-ish name of the type a field wants, for decoding errors. */
function goTypeName(t: Type): string {
  switch (t.kind) {
    case "string":
      return "string";
    case "number":
      return "int";
    case "bool":
      return "bool";
    case "list":
    case "set":
      return `[]${goTypeName(t.elementType)}`;
    case "map":
      return `map[string]${goTypeName(t.elementType)}`;
    case "dynamic":
      return "interface {}";
    default:
      return typeString(t);
  }
}

const TRUE_WORDS = new Set(["1", "t", "T", "TRUE", "true", "True"]);
const FALSE_WORDS = new Set(["0", "f", "F", "FALSE", "false", "False", ""]);

/**
 * mapstructure.StringToSliceHookFunc(","), which the SDK's config.Decode applies before weak decoding: a
 * string decoded into a slice is split at commas, and the empty string is an empty slice.
 */
function sliceItems(v: JSONValue): JSONValue[] {
  if (Array.isArray(v)) return v;
  if (typeof v === "string") return v === "" ? [] : v.split(",");
  return [v];
}

/**
 * Go's strconv.ParseInt(s, 0, 64): optional sign, then decimal, or `0x`/`0o`/`0b`/`0` prefixed digits, with
 * underscores only between digits of a prefixed literal. Undefined when it does not parse.
 */
function goParseInt(s: string): bigint | undefined {
  const m = /^([+-]?)(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|0[0-7_]*|[1-9][0-9]*)$/.exec(s);
  if (m === null) return undefined;
  const [, sign = "", body = ""] = m;
  const prefixed = body.length > 1 && body.startsWith("0");
  if (body.includes("_") && !(prefixed && /^0[xXoObB]?(_?[0-9a-fA-F])+$/.test(body))) return undefined;
  const digits = body.replaceAll("_", "");
  let n: bigint;
  if (/^0[xXoObB]/.test(digits)) n = BigInt(digits.toLowerCase());
  else if (prefixed) n = BigInt(`0o${digits.slice(1)}`);
  else n = BigInt(digits);
  if (sign === "-") n = -n;
  if (n > 9223372036854775807n || n < -9223372036854775808n) return undefined;
  return n;
}

const GO_FLOAT = /^[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)$/;

function attributeValue(name: string, v: JSONValue, t: Type, errors: string[]): Value {
  if (v === null) return nullVal(t);
  if ((t.kind === "list" || t.kind === "set") && !Array.isArray(v)) {
    return attributeValue(name, sliceItems(v), t, errors);
  }
  if (t.kind === "string" && typeof v === "boolean") return stringVal(v ? "1" : "0");
  if (t.kind === "string" && typeof v === "number") return stringVal(formatFloatF(v));
  if (t.kind === "bool" && typeof v === "string") {
    if (TRUE_WORDS.has(v)) return boolVal(true);
    if (FALSE_WORDS.has(v)) return boolVal(false);
    errors.push(`cannot parse '${name}' as bool: strconv.ParseBool: parsing ${goQuote(v)}: invalid syntax`);
    return nullVal(t);
  }
  if (t.kind === "bool" && typeof v === "number") return boolVal(v !== 0);
  if (t.kind === "number" && typeof v === "string") {
    // Weak decoding reads a string with ParseInt (base prefixes allowed, "" is 0); number fields of
    // floating-point type also take decimal fractions, which the component checks itself.
    if (v === "") return numberFloatVal(0);
    const i = goParseInt(v);
    if (i !== undefined) return numberFloatVal(Number(i));
    if (!GO_FLOAT.test(v)) {
      errors.push(`cannot parse '${name}' as int: strconv.ParseInt: parsing ${goQuote(v)}: invalid syntax`);
      return nullVal(t);
    }
  }
  if (t.kind === "number" && typeof v === "boolean") return numberFloatVal(v ? 1 : 0);
  if ((t.kind === "list" || t.kind === "set") && Array.isArray(v)) {
    const items = v.map((e, i) => attributeValue(`${name}[${i}]`, e, t.elementType, errors));
    const converted = convert(items.length === 0 ? listValEmpty(t.elementType) : listVal(items), t);
    if (converted.ok) return converted.value;
  }
  if (t.kind === "map" && isObject(v)) {
    const entries = new Map<string, Value>();
    for (const [k, e] of Object.entries(v))
      entries.set(k, attributeValue(`${name}[${k}]`, e, t.elementType, errors));
    return entries.size === 0 ? mapValEmpty(t.elementType) : mapVal(entries);
  }
  const converted = convert(valueFromNative(v), t);
  if (converted.ok) return converted.value;
  errors.push(
    `'${name}' expected type '${goTypeName(t)}', got unconvertible type '${goType(v)}', value: '${goPrintV(v)}'`,
  );
  return nullVal(t);
}

interface DecodeProblems {
  /** Values that could not be decoded (mapstructure's errors). */
  readonly errors: string[];
  /** Keys the schema does not have, as `unknown configuration key: '"k"'` texts. */
  readonly unused: string[];
}

function objectValue(
  raw: Readonly<JSONConfigMap>,
  spec: ConfigSpec,
  prefix: string,
  problems: DecodeProblems,
): Value {
  const { errors } = problems;
  const attrs = new Map<string, Value>();
  const used = new Set<string>();
  const path = (name: string) => (prefix === "" ? name : `${prefix}.${name}`);
  for (const [name, field] of Object.entries(spec)) {
    const key = findField(raw, name);
    if (key !== undefined) used.add(key);
    const v = key === undefined ? null : raw[key]!;
    switch (field.kind) {
      case "attribute":
        attrs.set(name, attributeValue(path(name), v, field.type, errors));
        break;
      case "block": {
        const t = configSpecType(field.spec);
        const one = Array.isArray(v) && v.length === 1 ? v[0]! : v;
        if (one === null) attrs.set(name, nullVal(t));
        else if (isObject(one)) attrs.set(name, objectValue(one, field.spec, path(name), problems));
        else {
          errors.push(`'${path(name)}' expected a map, got '${goKind(one)}'`);
          attrs.set(name, nullVal(t));
        }
        break;
      }
      case "block-list": {
        const t = configSpecType(field.spec);
        const items = v === null ? [] : sliceItems(v);
        const values: Value[] = [];
        items.forEach((item, i) => {
          if (isObject(item)) values.push(objectValue(item, field.spec, `${path(name)}[${i}]`, problems));
          else errors.push(`'${path(name)}[${i}]' expected a map, got '${goKind(item)}'`);
        });
        attrs.set(name, values.length === 0 ? listValEmpty(t) : listVal(values));
        break;
      }
      case "block-attrs": {
        const t: Type = { kind: "map", elementType: field.elementType };
        if (v === null) attrs.set(name, nullVal(t));
        else attrs.set(name, attributeValue(path(name), v, t, errors));
        break;
      }
    }
  }
  for (const key of Object.keys(raw).sort()) {
    if (used.has(key) || key === "type" || key.startsWith("packer_")) continue;
    problems.unused.push(`unknown configuration key: '"${path(key)}"'`);
  }
  return objectVal(attrs);
}

/**
 * Decodes a (rendered) JSON configuration with a component's schema. The value has exactly the type the
 * same configuration written in HCL2 would decode to; `errors` are mapstructure's texts for values that
 * cannot be decoded, `unused` the unknown keys.
 */
export function decodeJSONConfig(
  raw: Readonly<JSONConfigMap>,
  spec: ConfigSpec,
): { value: Value; errors: string[]; unused: string[] } {
  const problems: DecodeProblems = { errors: [], unused: [] };
  const value = objectValue(raw, spec, "", problems);
  return { value, errors: problems.errors, unused: problems.unused };
}

/**
 * The error config.Decode returns for a decoded configuration, or undefined: mapstructure's
 * `N error(s) decoding:` when a value could not be decoded (unknown keys are then not looked at), else
 * go-multierror's list of unknown keys.
 */
export function decodeErrorText(decoded: {
  readonly errors: readonly string[];
  readonly unused: readonly string[];
}): string | undefined {
  if (decoded.errors.length > 0) return mapstructureError(decoded.errors);
  if (decoded.unused.length > 0) return multiError(decoded.unused);
  return undefined;
}
