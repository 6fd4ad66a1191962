/**
 * Version constraints as hashicorp/go-version reads them (`>= 1.10.0, < 2.0.0`, `~> 1.2`, `!= 1.5.0`): what
 * `packer { required_version = ... }` and `required_plugins` versions are written in.
 */

export interface Version {
  /** At least three numeric segments (missing ones are 0). */
  readonly segments: readonly number[];
  /** How many segments were written. */
  readonly specified: number;
  readonly prerelease: string;
  readonly original: string;
}

const VERSION_RE =
  "v?([0-9]+(?:\\.[0-9]+)*?)(?:-([0-9]+[0-9A-Za-z\\-~]*(?:\\.[0-9A-Za-z\\-~]+)*)|(?:-?([A-Za-z\\-~]+[0-9A-Za-z\\-~]*(?:\\.[0-9A-Za-z\\-~]+)*)))?(?:\\+([0-9A-Za-z\\-~]+(?:\\.[0-9A-Za-z\\-~]+)*))?";

const versionRegexp = new RegExp(`^${VERSION_RE}$`);
const constraintRegexp = new RegExp(`^\\s*(=|!=|>=|<=|>|<|~>)?\\s*(${VERSION_RE})\\s*$`);

/** Parses a version like go-version's NewVersion; undefined when malformed. */
export function parseVersion(text: string): Version | undefined {
  const m = versionRegexp.exec(text);
  if (m === null) return undefined;
  const parts = m[1]!.split(".").map(Number);
  const specified = parts.length;
  while (parts.length < 3) parts.push(0);
  return { segments: parts, specified, prerelease: m[2] ?? m[3] ?? "", original: text };
}

function comparePrereleasePart(a: string, b: string): number {
  const an = /^[0-9]+$/.test(a);
  const bn = /^[0-9]+$/.test(b);
  if (an && bn) return Math.sign(Number(a) - Number(b));
  if (an) return -1;
  if (bn) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** go-version's Compare: -1, 0 or 1. */
export function compareVersions(a: Version, b: Version): number {
  const n = Math.max(a.segments.length, b.segments.length);
  for (let i = 0; i < n; i++) {
    const x = a.segments[i] ?? 0;
    const y = b.segments[i] ?? 0;
    if (x !== y) return x < y ? -1 : 1;
  }
  if (a.prerelease === b.prerelease) return 0;
  if (a.prerelease === "") return 1;
  if (b.prerelease === "") return -1;
  const ap = a.prerelease.split(".");
  const bp = b.prerelease.split(".");
  for (let i = 0; i < Math.max(ap.length, bp.length); i++) {
    const x = ap[i];
    const y = bp[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const c = comparePrereleasePart(x, y);
    if (c !== 0) return c;
  }
  return 0;
}

type Operator = "=" | "!=" | ">" | "<" | ">=" | "<=" | "~>";

export interface Constraint {
  readonly operator: Operator;
  readonly version: Version;
  readonly text: string;
}

export type ConstraintsResult =
  | { readonly ok: true; readonly constraints: readonly Constraint[] }
  | { readonly ok: false; readonly error: string };

/** go-version's NewConstraint: comma-separated constraints, all of which must hold. */
export function parseConstraints(text: string): ConstraintsResult {
  const constraints: Constraint[] = [];
  for (const part of text.split(",")) {
    const m = constraintRegexp.exec(part);
    if (m === null) return { ok: false, error: `Malformed constraint: ${part}` };
    const version = parseVersion(m[2]!);
    if (version === undefined) return { ok: false, error: `Malformed constraint: ${part}` };
    const operator = (m[1] ?? "=") as Operator;
    constraints.push({
      operator,
      version,
      text: `${m[1] ?? ""}${m[1] !== undefined ? " " : ""}${m[2]!}`.trim(),
    });
  }
  return { ok: true, constraints };
}

function prereleaseCheck(v: Version, c: Version): boolean {
  const vPre = v.prerelease !== "";
  const cPre = c.prerelease !== "";
  if (cPre && vPre) return v.segments.join(".") === c.segments.join(".");
  if (!cPre && vPre) return false;
  return true;
}

function pessimistic(v: Version, c: Version): boolean {
  if ((c.prerelease !== "" && v.prerelease === "") || (c.prerelease === "" && v.prerelease !== ""))
    return false;
  if (compareVersions(v, c) < 0) return false;
  const cs = c.segments.length;
  if (cs > v.segments.length) return false;
  for (let i = 0; i < c.specified - 1; i++) {
    if (v.segments[i] !== c.segments[i]) return false;
  }
  return (c.segments[cs - 1] ?? 0) <= (v.segments[cs - 1] ?? 0);
}

/** Whether `v` satisfies one constraint. */
export function checkConstraint(v: Version, c: Constraint): boolean {
  const cmp = compareVersions(v, c.version);
  switch (c.operator) {
    case "=":
      return prereleaseCheck(v, c.version) && cmp === 0;
    case "!=":
      return cmp !== 0;
    case ">":
      return prereleaseCheck(v, c.version) && cmp > 0;
    case "<":
      return prereleaseCheck(v, c.version) && cmp < 0;
    case ">=":
      return prereleaseCheck(v, c.version) && cmp >= 0;
    case "<=":
      return prereleaseCheck(v, c.version) && cmp <= 0;
    case "~>":
      return pessimistic(v, c.version);
  }
}

/** Whether `v` satisfies every constraint. */
export function checkConstraints(v: Version, constraints: readonly Constraint[]): boolean {
  return constraints.every((c) => checkConstraint(v, c));
}
