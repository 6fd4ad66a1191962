/**
 * The duration wording of Packer's build summary (`Build 'x' finished after 1 minute 3 seconds.`): the
 * hako/durafmt rendering Packer uses, limited to the first two non-zero units.
 */

const UNITS: readonly (readonly [name: string, microseconds: bigint])[] = [
  ["years", 365n * 24n * 3600n * 1_000_000n],
  ["weeks", 7n * 24n * 3600n * 1_000_000n],
  ["days", 24n * 3600n * 1_000_000n],
  ["hours", 3600n * 1_000_000n],
  ["minutes", 60n * 1_000_000n],
  ["seconds", 1_000_000n],
  ["milliseconds", 1000n],
  ["microseconds", 1n],
];

/**
 * `durafmt.Parse(d).LimitFirstN(limit)`: units from years down to microseconds, zero units left out, `1 second`
 * singular; a zero duration is `0 seconds`; below one microsecond (but not zero) the text is empty.
 */
export function durafmt(nanoseconds: bigint, limit = 2): string {
  const neg = nanoseconds < 0n;
  if (nanoseconds === 0n) return "0 seconds";
  let rest = (neg ? -nanoseconds : nanoseconds) / 1000n;
  const parts: string[] = [];
  for (const [name, size] of UNITS) {
    const v = rest / size;
    rest -= v * size;
    if (v === 0n) continue;
    parts.push(v === 1n ? `1 ${name.slice(0, -1)}` : `${v} ${name}`);
  }
  const text = parts.slice(0, limit > 0 ? limit : parts.length).join(" ");
  return neg ? `-${text}` : text;
}

/** durafmt of a span measured in milliseconds (performance.now() differences); sub-microseconds dropped. */
export function durafmtMs(ms: number, limit = 2): string {
  return durafmt(BigInt(Math.round(ms * 1000)) * 1000n, limit);
}
