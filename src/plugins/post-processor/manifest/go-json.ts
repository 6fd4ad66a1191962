/**
 * Go's encoding/json output, byte for byte, for the values the manifest holds: json.MarshalIndent with a
 * two-space indent, HTML-safe string escaping, map keys sorted by bytes, nil slices and maps as `null`.
 */

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
  if (typeof v === "string") return goJsonString(v);
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
  const items = entries.map(([k, e]) => `${inner}${goJsonString(k)}: ${encode(e, inner, indent)}`);
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

const HEX = "0123456789abcdef";

/** Go's json string encoding (HTML-safe: <, >, & and U+2028/9 escaped; lone surrogates become U+FFFD). */
export function goJsonString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        out += s[i]! + s[i + 1]!;
        i++;
      } else {
        out += "\ufffd";
      }
      continue;
    }
    if (c >= 0xdc00 && c <= 0xdfff) {
      out += "\ufffd";
      continue;
    }
    switch (c) {
      case 0x22:
        out += '\\"';
        continue;
      case 0x5c:
        out += "\\\\";
        continue;
      case 0x0a:
        out += "\\n";
        continue;
      case 0x0d:
        out += "\\r";
        continue;
      case 0x09:
        out += "\\t";
        continue;
      case 0x08:
        out += "\\b";
        continue;
      case 0x0c:
        out += "\\f";
        continue;
    }
    if (c < 0x20 || c === 0x3c || c === 0x3e || c === 0x26 || c === 0x2028 || c === 0x2029) {
      out += `\\u${HEX[c >> 12]}${HEX[(c >> 8) & 15]}${HEX[(c >> 4) & 15]}${HEX[c & 15]}`;
      continue;
    }
    out += s[i];
  }
  return `${out}"`;
}
