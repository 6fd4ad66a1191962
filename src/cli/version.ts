/**
 * kiln's own version (from package.json) and the Packer version whose interface it reproduces.
 */
import { readFileSync } from "node:fs";

/** The Packer release whose commands, flags and template language kiln follows. */
export const PACKER_COMPATIBLE_VERSION = "1.16.0";

let cached: string | undefined;

/** The `version` field of kiln's package.json (read once; the file sits two levels above this module). */
export function kilnVersion(): string {
  if (cached === undefined) {
    const text = readFileSync(new URL("../../package.json", import.meta.url), "utf8");
    const version = (JSON.parse(text) as { version?: unknown }).version;
    cached = typeof version === "string" ? version : "0.0.0";
  }
  return cached;
}

/** The line `kiln version` prints. */
export function versionLine(): string {
  return `kiln v${kilnVersion()} (compatible with Packer v${PACKER_COMPATIBLE_VERSION})`;
}
