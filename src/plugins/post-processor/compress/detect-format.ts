/**
 * How `compress` picks its archive and compression from the output name (Packer's detectFromFilename): the
 * last two `.ext` parts of the output path, or of `<output>.<format>` when `format` is set.
 */

/** `tar`, `zip`, or "" for a single compressed file. */
export type Archive = string;
/** `pgzip`, `lz4`, `bgzf`, `xz`, `bzip2`, or "" for none. */
export type Algorithm = string;

const EXTENSIONS: ReadonlyMap<string, Algorithm> = new Map([
  ["gz", "pgzip"],
  ["lz4", "lz4"],
  ["bgzf", "bgzf"],
  ["xz", "xz"],
  ["bzip2", "bzip2"],
]);

export interface Detected {
  readonly archive: Archive;
  readonly algorithm: Algorithm;
}

/**
 * `given` holds the `archive` and `algorithm` keys of the configuration: Packer's schema exposes them and
 * detection only overwrites what the name decides, so a given value survives where the name is silent.
 */
export function detectFromFilename(
  output: string,
  format: string,
  given: Detected = { archive: "", algorithm: "" },
): Detected {
  const name = format === "" ? output : `${output}.${format}`;
  const parts = [...name.matchAll(/\.([a-z0-9]+)/g)].map((m) => m[1]!);
  const last = parts[parts.length - 1];
  // No dots: tar with gzip.
  if (last === undefined) return { archive: "tar", algorithm: "pgzip" };
  const nextToLast = parts.length > 1 ? parts[parts.length - 2] : undefined;
  const archive = nextToLast === "tar" ? "tar" : given.archive;
  // A tar or zip is the final artifact.
  if (last === "zip" || last === "tar") return { archive: last, algorithm: given.algorithm };
  const algorithm = EXTENSIONS.get(last);
  if (algorithm !== undefined) return { archive, algorithm };
  // An unknown extension: tar with gzip.
  return { archive: "tar", algorithm: "pgzip" };
}
