/**
 * Writing HCL text for values decoded from JSON, as hclwrite does for Packer's hcl2_upgrade: a value is
 * turned into a cty value the way the SDK's HCL2ValueFromConfigValue does (numbers, strings, tuples,
 * objects with sorted keys, null) and then into tokens the way hclwrite.TokensForValue does (quoted
 * strings with `${` / `%{` doubled and non-printable characters escaped, identifiers as bare object keys).
 * Spacing is left to the formatter that runs over the whole generated file.
 */
import { formatFloatF, isObject } from "./go-decode.js";
import type { JSONValue } from "./json-syntax.js";

const PRINTABLE = /[\p{L}\p{M}\p{N}\p{P}\p{S} ]/u;

/** hclwrite's escapeQuotedStringLit. */
export function escapeQuotedStringLit(s: string): string {
  let out = "";
  const chars = [...s];
  for (let i = 0; i < chars.length; i++) {
    const r = chars[i]!;
    switch (r) {
      case "\n":
        out += "\\n";
        break;
      case "\r":
        out += "\\r";
        break;
      case "\t":
        out += "\\t";
        break;
      case '"':
        out += '\\"';
        break;
      case "\\":
        out += "\\\\";
        break;
      case "$":
      case "%":
        out += r;
        if (chars[i + 1] === "{") out += r;
        break;
      default:
        if (PRINTABLE.test(r)) out += r;
        else {
          const cp = r.codePointAt(0)!;
          out +=
            cp < 0x10000
              ? `\\u${cp.toString(16).padStart(4, "0")}`
              : `\\U${cp.toString(16).padStart(8, "0")}`;
        }
    }
  }
  return out;
}

/** hclsyntax.ValidIdentifier. */
export function validIdentifier(s: string): boolean {
  return /^[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}-]*$/u.test(s);
}

/** Go's string order (bytewise UTF-8), as cty orders object attributes. */
function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

export function quoted(s: string): string {
  return `"${escapeQuotedStringLit(s)}"`;
}

/** hclwrite.TokensForValue(HCL2ValueFromConfigValue(v)), as text. */
export function valueText(v: JSONValue | readonly string[]): string {
  if (v === null) return "null";
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "number") return formatFloatF(v);
  if (typeof v === "string") return quoted(v);
  if (Array.isArray(v)) return `[${(v as JSONValue[]).map((e) => valueText(e)).join(", ")}]`;
  if (!isObject(v)) return "null";
  const keys = Object.keys(v).sort(compareBytes);
  if (keys.length === 0) return "{}";
  let out = "{\n";
  for (const k of keys) out += `${validIdentifier(k) ? k : quoted(k)} = ${valueText(v[k]!)}\n`;
  return `${out}}`;
}

/** A body being written: attributes and blocks in the order they are added (hclwrite.Body). */
export class BodyText {
  private text = "";

  setAttribute(name: string, v: JSONValue | readonly string[]): void {
    this.text += `${name} = ${valueText(v)}\n`;
  }

  setAttributeRaw(name: string, raw: string): void {
    this.text += `${name} = ${raw}\n`;
  }

  appendNewline(): void {
    this.text += "\n";
  }

  /** Appends `type "label"... {` and `}`; the callback fills the block's body. */
  appendBlock(type: string, labels: readonly string[], fill: (body: BodyText) => void = () => {}): void {
    const body = new BodyText();
    fill(body);
    const head = [type, ...labels.map(quoted)].join(" ");
    this.text += `${head} {\n${body.toString()}}\n`;
  }

  appendText(text: string): void {
    this.text += text;
  }

  toString(): string {
    return this.text;
  }
}

type Kind = "primitive" | "complex" | "nil";

function kindOf(v: JSONValue): Kind {
  if (v === null) return "nil";
  return typeof v === "object" ? "complex" : "primitive";
}

/** Keys always written as nested blocks (hcl2_upgrade special-cases them). */
const ALWAYS_BLOCKS = new Set(["linux_options", "network_interface", "shared_image_gallery"]);

/**
 * hcl2_upgrade's jsonBodyToHCL2Body: keys in sorted order; an object holding another object or list (or
 * holding nothing) becomes a nested block, a plain object an attribute; a list of objects becomes one block
 * per element; empty lists are left out.
 */
export function jsonBodyToHCL2Body(
  out: BodyText,
  kvs: Readonly<Record<string, JSONValue>> | undefined,
): void {
  if (kvs === undefined) return;
  for (const k of Object.keys(kvs).sort(compareBytes)) {
    const value = kvs[k]!;
    if (isObject(value)) {
      const kinds = Object.values(value).map(kindOf);
      const attribute = !ALWAYS_BLOCKS.has(k) && !kinds.includes("complex") && kinds.includes("primitive");
      if (attribute) out.setAttribute(k, value);
      else out.appendBlock(k, [], (b) => jsonBodyToHCL2Body(b, value));
      continue;
    }
    if (Array.isArray(value)) {
      if (value.length === 0) continue;
      if (value.some((e) => isObject(e))) {
        for (const e of value) out.appendBlock(k, [], (b) => jsonBodyToHCL2Body(b, isObject(e) ? e : {}));
        continue;
      }
      out.setAttribute(k, value);
      continue;
    }
    out.setAttribute(k, value);
  }
}
