// Where the shared template corpus (real Packer templates, the HCL spec suite, Packer 1.6.6's results) is.
// Conformance tests skip with a message when it is absent. KILN_CORPUS overrides; otherwise the corpus is
// looked for beside the checkout (../shared/corpus) and at its usual absolute place.
import { existsSync } from "node:fs";
import { join } from "node:path";

const projectRoot = join(import.meta.dirname, "..", "..");

export function corpusDir(): string | undefined {
  const candidates = [
    process.env.KILN_CORPUS,
    join(projectRoot, "..", "shared", "corpus"),
    "/work/shared/corpus",
  ].filter((p): p is string => p !== undefined && p !== "");
  return candidates.find((p) => existsSync(join(p, "INDEX.tsv")));
}

/** The corpus directory, or a message saying why conformance tests over it are skipped. */
export function corpusOrSkipReason(): { dir: string } | { skip: string } {
  const dir = corpusDir();
  return dir !== undefined
    ? { dir }
    : { skip: "template corpus not found (set KILN_CORPUS, or place it at ../shared/corpus): skipping" };
}
