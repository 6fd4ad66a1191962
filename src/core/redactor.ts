/**
 * The secret redactor (Packer's LogSecretFilter): every UI line, log line and event passes through one instance,
 * which replaces each registered secret with `<sensitive>`.
 *
 * Secrets come from values marked sensitive in the value system (addValue registers every string leaf of a
 * marked value, and marks propagate, so derived values are caught too) and from components at run time (a
 * generated password). A multi-line secret is also registered line by line (trimmed),
 * because output is often printed one line at a time (a private key echoed by a script).
 */
import { SENSITIVE } from "../hcl/index.js";
import type { SecretFilter, Value } from "../sdk/index.js";

export const REDACTED = "<sensitive>";

/**
 * Lines of a multi-line secret shorter than this (trimmed) are not registered on their own: the `{` and `}`
 * lines of a JSON key file would otherwise redact every brace of every line.
 */
const MIN_LINE_SECRET = 4;

export class Redactor implements SecretFilter {
  private readonly secrets = new Set<string>();
  private pattern: RegExp | undefined;
  private dirty = false;

  /** Registers secrets; empty strings are ignored (they would match everywhere). */
  add(...secrets: string[]): void {
    for (const secret of secrets) {
      this.addOne(secret);
      if (secret.includes("\n")) {
        for (const line of secret.split(/\r?\n/)) {
          // Trimmed: the line may be printed with other indentation or trailing whitespace removed.
          const text = line.trim();
          if (text.length >= MIN_LINE_SECRET) this.addOne(text);
        }
      }
    }
  }

  /**
   * Registers the string leaves of every part of `value` that carries the sensitive mark (a marked list makes
   * all its strings secret; an unmarked object with one marked attribute makes only that one secret). Numbers,
   * bools, unknown and null parts are skipped.
   */
  addValue(value: Value): void {
    this.walk(value, false);
  }

  /** The number of distinct registered strings (for tests and logs). */
  get size(): number {
    return this.secrets.size;
  }

  /** `text` with every registered secret replaced by `<sensitive>`; longer secrets win over their substrings. */
  redact(text: string): string {
    if (this.secrets.size === 0 || text === "") return text;
    if (this.dirty || this.pattern === undefined) this.compile();
    return text.replace(this.pattern!, REDACTED);
  }

  /** A copy of `data` with every string inside (keys excluded) redacted; for structured output such as events. */
  redactDeep<T>(data: T): T {
    if (typeof data === "string") return this.redact(data) as T;
    if (Array.isArray(data)) return data.map((d) => this.redactDeep(d)) as T;
    if (data !== null && typeof data === "object") {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(data)) out[k] = this.redactDeep(v);
      return out as T;
    }
    return data;
  }

  private addOne(secret: string): void {
    if (secret === "" || this.secrets.has(secret)) return;
    this.secrets.add(secret);
    this.dirty = true;
  }

  private compile(): void {
    const sorted = [...this.secrets].sort((a, b) => b.length - a.length);
    this.pattern = new RegExp(sorted.map(escapeRegExp).join("|"), "g");
    this.dirty = false;
  }

  private walk(value: Value, inherited: boolean): void {
    const sensitive = inherited || value.marks.has(SENSITIVE);
    const [v] = value.unmark();
    if (!v.isKnown() || v.isNull()) return;
    switch (v.type.kind) {
      case "string":
        if (sensitive) this.add(v.asString());
        return;
      case "number":
      case "bool":
        // As Packer: only strings are registered. A short number or "true" would redact unrelated text
        // everywhere; a sensitive number that reaches output as text is a (marked) string by then.
        return;
      case "list":
      case "set":
      case "tuple":
      case "map":
      case "object":
        for (const child of v.asValueSlice()) this.walk(child, sensitive);
        return;
      default:
        return;
    }
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
