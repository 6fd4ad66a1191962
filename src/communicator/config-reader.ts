/**
 * Reads a component's decoded configuration (an object Value shaped by its ConfigSpec) into plain data, the
 * way Packer's mapstructure decoding does, collecting problems as diagnostics instead of throwing.
 *
 * Contract: an attribute that is absent, null or unknown reads as undefined (an unknown value only occurs
 * during validation, where nothing is run). Marks are dropped: redaction of sensitive values is the job of
 * the redactor that core feeds with them.
 */
import type { Diagnostic } from "../hcl/index.js";
import { type Duration, parseDuration, type Value } from "../sdk/index.js";

export class ConfigReader {
  readonly diagnostics: Diagnostic[] = [];
  private readonly attrs: ReadonlyMap<string, Value>;

  constructor(config: Value | undefined) {
    this.attrs = objectAttributes(config);
  }

  /** Names that have a known, non-null value. */
  has(name: string): boolean {
    return this.value(name) !== undefined;
  }

  /** True when the attribute is present but unknown (validation only). */
  isUnknown(name: string): boolean {
    const v = this.attrs.get(name);
    return v !== undefined && !v.isKnown();
  }

  string(name: string): string | undefined {
    const v = this.value(name);
    if (v === undefined) return undefined;
    const s = scalarString(v);
    if (s === undefined) this.typeError(name, "a string");
    return s;
  }

  bool(name: string): boolean | undefined {
    const v = this.value(name);
    if (v === undefined) return undefined;
    if (v.type.kind === "bool") return v.asBool();
    if (v.type.kind === "string") {
      const s = v.asString();
      // Go's strconv.ParseBool, which mapstructure's weak decoding uses.
      if (["1", "t", "T", "TRUE", "true", "True"].includes(s)) return true;
      if (["0", "f", "F", "FALSE", "false", "False"].includes(s)) return false;
    }
    this.typeError(name, "a bool");
    return undefined;
  }

  /** A whole number. */
  int(name: string): number | undefined {
    const v = this.value(name);
    if (v === undefined) return undefined;
    const n = scalarInt(v);
    if (n === undefined) this.typeError(name, "a whole number");
    return n;
  }

  stringList(name: string): string[] | undefined {
    const items = this.list(name);
    if (items === undefined) return undefined;
    const out: string[] = [];
    for (const item of items) {
      const s = item.isNull() || !item.isKnown() ? undefined : scalarString(item);
      if (s === undefined) {
        this.typeError(name, "a list of strings");
        return undefined;
      }
      out.push(s);
    }
    return out;
  }

  intList(name: string): number[] | undefined {
    const items = this.list(name);
    if (items === undefined) return undefined;
    const out: number[] = [];
    for (const item of items) {
      const n = item.isNull() || !item.isKnown() ? undefined : scalarInt(item);
      if (n === undefined) {
        this.typeError(name, "a list of whole numbers");
        return undefined;
      }
      out.push(n);
    }
    return out;
  }

  stringMap(name: string): Record<string, string> | undefined {
    const v = this.value(name);
    if (v === undefined) return undefined;
    if (v.type.kind !== "map" && v.type.kind !== "object") {
      this.typeError(name, "a map of strings");
      return undefined;
    }
    const out: Record<string, string> = {};
    for (const [k, e] of v.asValueMap()) {
      const [u] = e.unmarkDeep();
      const s = u.isNull() || !u.isKnown() ? undefined : scalarString(u);
      if (s === undefined) {
        this.typeError(name, "a map of strings");
        return undefined;
      }
      Object.defineProperty(out, k, { value: s, enumerable: true, writable: true, configurable: true });
    }
    return out;
  }

  /** A Go duration string (`5m`, `1h30s`); a bad one is reported as mapstructure reports it. */
  duration(name: string): Duration | undefined {
    const s = this.string(name);
    if (s === undefined) return undefined;
    const parsed = parseDuration(s);
    if (!parsed.ok) {
      this.error(`error decoding '${name}': ${parsed.error}`);
      return undefined;
    }
    return parsed.value;
  }

  /** Records an error diagnostic (a failed Prepare check). */
  error(summary: string, detail?: string): void {
    this.diagnostics.push({ severity: "error", summary, ...(detail !== undefined ? { detail } : {}) });
  }

  warning(summary: string, detail?: string): void {
    this.diagnostics.push({ severity: "warning", summary, ...(detail !== undefined ? { detail } : {}) });
  }

  private list(name: string): Value[] | undefined {
    const v = this.value(name);
    if (v === undefined) return undefined;
    const kind = v.type.kind;
    if (kind !== "list" && kind !== "tuple" && kind !== "set") {
      this.typeError(name, "a list");
      return undefined;
    }
    return v.asValueSlice().map((e) => e.unmarkDeep()[0]);
  }

  private value(name: string): Value | undefined {
    const raw = this.attrs.get(name);
    if (raw === undefined) return undefined;
    const [v] = raw.unmarkDeep();
    if (!v.isKnown() || v.isNull()) return undefined;
    return v;
  }

  private typeError(name: string, want: string): void {
    this.error(`'${name}' expected ${want}`);
  }
}

function objectAttributes(config: Value | undefined): ReadonlyMap<string, Value> {
  if (config === undefined) return new Map();
  const [v] = config.unmark();
  if (!v.isKnown() || v.isNull()) return new Map();
  if (v.type.kind !== "object" && v.type.kind !== "map") return new Map();
  return v.asValueMap();
}

function scalarString(v: Value): string | undefined {
  switch (v.type.kind) {
    case "string":
      return v.asString();
    case "bool":
      return v.asBool() ? "true" : "false";
    case "number":
      return v.asBigFloat().text("f", -1);
    default:
      return undefined;
  }
}

function scalarInt(v: Value): number | undefined {
  let n: number;
  if (v.type.kind === "number") n = v.asNumber();
  else if (v.type.kind === "string") {
    const s = v.asString().trim();
    if (!/^[-+]?\d+$/.test(s)) return undefined;
    n = Number(s);
  } else return undefined;
  return Number.isSafeInteger(n) ? n : undefined;
}
