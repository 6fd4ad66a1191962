/**
 * The `clean_resource_name` template function. Packer's core does not define it: each plugin adds its
 * own through the interpolation context, with its cloud's naming rules. These are the common variants,
 * working on UTF-8 bytes as the Go originals do (so one non-ASCII character becomes several dashes).
 */

import type { GoFunc } from "./exec.js";
import { decodeUtf8, utf8Bytes } from "./go-strconv.js";
import { goToLower } from "./go-strings.js";

export type CleanResourceNameFlavor = "amazon" | "googlecompute" | "azure";

function isAlnum(b: number): boolean {
  return (b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x7a) || (b >= 0x41 && b <= 0x5a);
}

function mapBytes(s: string, keep: (b: number) => boolean): number[] {
  return Array.from(utf8Bytes(s), (b) => (keep(b) ? b : 0x2d));
}

const AMAZON_ALLOWED = new Set(Array.from("()[] ./-'@_", (c) => c.charCodeAt(0)));
const AZURE_ALLOWED = new Set(Array.from("._-", (c) => c.charCodeAt(0)));
const GCE_IMAGE_NAME = /^[a-z][-a-z0-9]{0,61}[a-z0-9]$/;

/** Cleans a resource name with one cloud's rules. */
export function cleanResourceName(flavor: CleanResourceNameFlavor, s: string): string {
  switch (flavor) {
    case "amazon":
      // AMI names: letters, digits and ( ) [ ] space . / - ' @ _ ; anything else becomes "-".
      return decodeUtf8(mapBytes(s, (b) => isAlnum(b) || AMAZON_ALLOWED.has(b)));
    case "googlecompute": {
      // Image names: lower case letters, digits and "-"; valid names are returned unchanged.
      if (GCE_IMAGE_NAME.test(s)) return s;
      return decodeUtf8(mapBytes(goToLower(s), (b) => (b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x7a)));
    }
    case "azure": {
      // Image names: letters, digits, "." "_" "-", and no trailing "." "_" "-".
      const out = mapBytes(s, (b) => isAlnum(b) || AZURE_ALLOWED.has(b));
      while (out.length > 0 && AZURE_ALLOWED.has(out[out.length - 1] ?? 0)) out.pop();
      return decodeUtf8(out);
    }
  }
}

/** The `clean_resource_name` function for a plugin's interpolation context (InterpolateContext.funcs). */
export function cleanResourceNameFunc(flavor: CleanResourceNameFlavor): GoFunc {
  return {
    params: ["string"],
    result: "string",
    call: ([s]) => cleanResourceName(flavor, typeof s?.v === "string" ? s.v : ""),
  };
}
