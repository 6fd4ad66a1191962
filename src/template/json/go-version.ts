/**
 * hashicorp/go-version as `min_packer_version` uses it: parsing (`Malformed version: x`), the normalized
 * String() form (`1.2` reads `1.2.0`) and ordering (a prerelease sorts before its release).
 */

const VERSION =
  /^v?([0-9]+(?:\.[0-9]+)*?)(-([0-9]+[0-9A-Za-z\-~]*(?:\.[0-9A-Za-z\-~]+)*)|(-?([A-Za-z\-~]+[0-9A-Za-z\-~]*(?:\.[0-9A-Za-z\-~]+)*)))?(\+([0-9A-Za-z\-~]+(?:\.[0-9A-Za-z\-~]+)*))?$/;

export interface GoVersion {
  readonly segments: readonly number[];
  readonly pre: string;
  readonly metadata: string;
}

export function parseGoVersion(text: string): GoVersion | { error: string } {
  const m = VERSION.exec(text.trim());
  if (m === null) return { error: `Malformed version: ${text}` };
  const segments = m[1]!.split(".").map(Number);
  while (segments.length < 3) segments.push(0);
  return { segments, pre: m[3] ?? m[5] ?? "", metadata: m[7] ?? "" };
}

export function goVersionString(v: GoVersion): string {
  let s = v.segments.join(".");
  if (v.pre !== "") s += `-${v.pre}`;
  if (v.metadata !== "") s += `+${v.metadata}`;
  return s;
}

function comparePre(a: string, b: string): number {
  if (a === b) return 0;
  if (a === "") return 1;
  if (b === "") return -1;
  const ap = a.split(".");
  const bp = b.split(".");
  for (let i = 0; i < Math.max(ap.length, bp.length); i++) {
    const x = ap[i];
    const y = bp[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (x === y) continue;
    const xn = /^[0-9]+$/.test(x);
    const yn = /^[0-9]+$/.test(y);
    if (xn && yn) return Math.sign(Number(x) - Number(y));
    if (xn) return -1;
    if (yn) return 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

export function compareGoVersions(a: GoVersion, b: GoVersion): number {
  const n = Math.max(a.segments.length, b.segments.length);
  for (let i = 0; i < n; i++) {
    const d = (a.segments[i] ?? 0) - (b.segments[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return comparePre(a.pre, b.pre);
}
