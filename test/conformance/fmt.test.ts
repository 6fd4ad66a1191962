/**
 * `fmt` conformance: formatHCL against the output of Packer 1.6.6's `packer fmt` (golden files made by
 * scripts/gen-fmt-golden.sh). Each input `X` under test/golden/fmt/ has either `X.golden` (Packer's output)
 * or `X.refused` (Packer would not format it). Formatting a formatted file must change nothing.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { formatHCL } from "../../src/hcl/write/index.js";

const root = fileURLToPath(new URL("../golden/fmt/", import.meta.url));

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(p));
    else out.push(p);
  }
  return out.sort();
}

const all = listFiles(root);
const goldens = all.filter((f) => f.endsWith(".golden")).map((f) => f.slice(0, -".golden".length));
const refused = all.filter((f) => f.endsWith(".refused")).map((f) => f.slice(0, -".refused".length));

describe("fmt goldens", () => {
  it("has the golden data", () => {
    expect(goldens.length).toBeGreaterThan(250);
    expect(refused.length).toBeGreaterThan(0);
  });

  describe.each(goldens.map((f) => [relative(root, f), f]))("%s", (name, input) => {
    const src = readFileSync(input, "utf8");
    const want = readFileSync(`${input}.golden`, "utf8");

    it("formats like packer fmt", () => {
      const { output, diagnostics } = formatHCL(src, name);
      expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      expect(Buffer.from(output, "utf8").equals(readFileSync(`${input}.golden`))).toBe(true);
      expect(output).toBe(want);
    });

    it("is idempotent", () => {
      expect(formatHCL(want, name).output).toBe(want);
    });
  });

  describe.each(refused.map((f) => [relative(root, f), f]))("%s (refused by packer)", (name, input) => {
    it("reports errors and leaves the text alone", () => {
      const src = readFileSync(input, "utf8");
      const { output, diagnostics } = formatHCL(src, name);
      expect(diagnostics.some((d) => d.severity === "error")).toBe(true);
      expect(output).toBe(src);
    });
  });
});
