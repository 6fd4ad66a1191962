/**
 * Go's encoding/json output, byte for byte, for the values the manifest holds: json.MarshalIndent with a
 * two-space indent, HTML-safe string escaping, map keys sorted by bytes, nil slices and maps as `null`.
 */
import { goJSONString } from "../../../hcl/index.js";

/** A JSON value as Go would marshal it. Objects keep their insertion order (struct field order). */
export type GoJson =
  | null
  | string
  | number
  | boolean
  | readonly GoJson[]
  | { readonly [key: string]: GoJson };

/** json.MarshalIndent(v, "", "  "). Integers only for numbers (the manifest has no floats). */
export function marshalIndent(v: GoJson, indent = "  "): string {
  return encode(v, "", indent);
}

function encode(v: GoJson, prefix: string, indent: string): string {
  if (v === null) return "null";
  if (typeof v === "string") return goJSONString(v);
  if (typeof v === "number") return Number.isInteger(v) ? v.toFixed(0) : String(v);
  if (typeof v === "boolean") return v ? "true" : "false";
  const inner = prefix + indent;
  if (Array.isArray(v)) {
    if (v.length === 0) return "[]";
    const items = v.map((e: GoJson) => inner + encode(e, inner, indent));
    return `[\n${items.join(",\n")}\n${prefix}]`;
  }
  const entries = Object.entries(v as { readonly [key: string]: GoJson });
  if (entries.length === 0) return "{}";
  const items = entries.map(([k, e]) => `${inner}${goJSONString(k)}: ${encode(e, inner, indent)}`);
  return `{\n${items.join(",\n")}\n${prefix}}`;
}

/** A Go map[string]T as Go marshals it: keys sorted by their UTF-8 bytes. */
export function sortedMap(m: Readonly<Record<string, GoJson>>): { [key: string]: GoJson } {
  const out: { [key: string]: GoJson } = {};
  const keys = Object.keys(m).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  for (const k of keys) {
    Object.defineProperty(out, k, { value: m[k], enumerable: true, writable: true, configurable: true });
  }
  return out;
}
