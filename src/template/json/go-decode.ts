/**
 * The parts of mapstructure's behaviour that Packer's template parser shows its users: how a decoded JSON
 * value is named in errors (Go kinds and types, `%v` forms), strict and weak string decoding, `[]string`
 * decoding (weak input lifts a single value into a list), and its error texts and multi-error layout, plus
 * go-multierror's `1 error occurred:` layout.
 */
import { goFormatFloatG } from "../../hcl/index.js";
import type { JSONValue } from "./json-syntax.js";

export function isObject(v: unknown): v is Record<string, JSONValue> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** reflect.Kind of a decoded JSON value. */
export function goKind(v: JSONValue): string {
  if (v === null) return "invalid";
  if (typeof v === "string") return "string";
  if (typeof v === "number") return "float64";
  if (typeof v === "boolean") return "bool";
  return Array.isArray(v) ? "slice" : "map";
}

/** The Go type of a decoded JSON value. */
export function goType(v: JSONValue): string {
  if (Array.isArray(v)) return "[]interface {}";
  if (isObject(v)) return "map[string]interface {}";
  return goKind(v);
}

/** Go's `%v` of a decoded JSON value. */
export function goPrintV(v: JSONValue): string {
  if (v === null) return "<nil>";
  if (typeof v === "string") return v;
  if (typeof v === "number") return goFormatFloatG(v);
  if (typeof v === "boolean") return v ? "true" : "false";
  if (Array.isArray(v)) return `[${v.map(goPrintV).join(" ")}]`;
  const keys = Object.keys(v).sort();
  return `map[${keys.map((k) => `${k}:${goPrintV(v[k]!)}`).join(" ")}]`;
}

/** Go's strconv.FormatFloat(f, 'f', -1, 64), as weak decoding turns numbers into strings. */
export function formatFloatF(f: number): string {
  if (!Number.isFinite(f)) return goFormatFloatG(f);
  const s = String(f);
  if (!/e/i.test(s)) return s;
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (m === null) return s;
  const [, sign, d, frac = "", expText] = m;
  const exp = Number(expText);
  const digits = `${d}${frac}`;
  if (exp >= 0) {
    const intLen = 1 + exp;
    return `${sign}${digits.length <= intLen ? digits + "0".repeat(intLen - digits.length) : `${digits.slice(0, intLen)}.${digits.slice(intLen)}`}`;
  }
  return `${sign}0.${"0".repeat(-exp - 1)}${digits}`;
}

export function unconvertible(name: string, want: string, v: JSONValue): string {
  return `'${name}' expected type '${want}', got unconvertible type '${goType(v)}', value: '${goPrintV(v)}'`;
}

/** A string field: strict decoding takes strings only; weak decoding also takes numbers and booleans. */
export function decodeString(
  name: string,
  v: JSONValue,
  weak: boolean,
): { value: string } | { error: string } {
  if (v === null) return { value: "" };
  if (typeof v === "string") return { value: v };
  if (weak && typeof v === "number") return { value: formatFloatF(v) };
  if (weak && typeof v === "boolean") return { value: v ? "1" : "0" };
  return { error: unconvertible(name, "string", v) };
}

/** A `[]string` field; weak decoding turns a single value into a one-element list. */
export function decodeStringList(
  name: string,
  v: JSONValue,
  weak: boolean,
): { value: string[] } | { errors: string[] } {
  if (v === null) return { value: [] };
  let items: JSONValue[];
  if (Array.isArray(v)) items = v;
  else if (weak && !isObject(v)) items = [v];
  else return { errors: [`'${name}': source data must be an array or slice, got ${goKind(v)}`] };
  const out: string[] = [];
  const errors: string[] = [];
  items.forEach((item, i) => {
    const r = decodeString(`${name}[${i}]`, item, weak);
    if ("error" in r) errors.push(r.error);
    else out.push(r.value);
  });
  return errors.length > 0 ? { errors } : { value: out };
}

/** mapstructure's *Error text. */
export function mapstructureError(errors: readonly string[]): string {
  const points = errors.map((e) => `* ${e}`).sort();
  return `${errors.length} error(s) decoding:\n\n${points.join("\n")}`;
}

/** go-multierror's default text. */
export function multiError(errors: readonly string[]): string {
  if (errors.length === 1) return `1 error occurred:\n\t* ${errors[0]}\n\n`;
  return `${errors.length} errors occurred:\n\t${errors.map((e) => `* ${e}`).join("\n\t")}\n\n`;
}

/**
 * mapstructure's field lookup: the exact key, else a key equal under Unicode case folding. Returns the key
 * used, or undefined.
 */
export function findField(obj: Record<string, JSONValue>, name: string): string | undefined {
  if (Object.hasOwn(obj, name)) return name;
  const lower = name.toLowerCase();
  return Object.keys(obj).find((k) => k.toLowerCase() === lower);
}
