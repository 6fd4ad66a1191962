/**
 * Legacy JSON templates of the shared corpus against what Packer does with them:
 *  - every JSON template loads with the legacy loader (as `validate -syntax-only` does), and its
 *    hcl2_upgrade output parses as HCL2 without errors and is already formatted;
 *  - every template Packer 1.6.6 refused at parse time is refused with the same message, and every other
 *    negative fixture fails when initialized or when its builds are prepared;
 *  - the upstream hcl2_upgrade fixtures convert to exactly their expected.pkr.hcl.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { formatHCL, hasErrors, parseConfig } from "../../src/hcl/index.js";
import { builtinComponents } from "../../src/plugins/index.js";
import {
  type ComponentCatalog,
  componentSet,
  loadJSONConfig,
  parseJSONTemplate,
  upgradeTemplate,
} from "../../src/template/index.js";
import { corpusOrSkipReason } from "../support/corpus.js";

const corpus = corpusOrSkipReason();

interface Case {
  readonly path: string;
  readonly kind: string;
  readonly notes: string;
  readonly rc: string;
  readonly firstError: string;
}

function readCases(dir: string): Case[] {
  const results = new Map<string, string[]>();
  for (const line of readFileSync(join(dir, "packer166-results.tsv"), "utf8").split("\n").slice(1)) {
    const cols = line.split("\t");
    if (cols[0] !== undefined && cols[0] !== "") results.set(cols[0], cols);
  }
  const cases: Case[] = [];
  for (const line of readFileSync(join(dir, "INDEX.tsv"), "utf8").split("\n").slice(1)) {
    const cols = line.split("\t");
    if (cols[4] !== "json") continue;
    const r = results.get(cols[0]!) ?? [];
    cases.push({
      path: cols[0]!,
      kind: cols[5]!,
      notes: cols[8] ?? "",
      rc: r[1] ?? "",
      firstError: r[3] ?? "",
    });
  }
  return cases;
}

function catalog(): ComponentCatalog {
  const set = <T>(m: ReadonlyMap<string, () => T>) => componentSet(Object.fromEntries(m));
  return {
    builders: set(builtinComponents.builders),
    provisioners: set(builtinComponents.provisioners),
    postProcessors: set(builtinComponents.postProcessors),
    datasources: set(builtinComponents.datasources),
  };
}

const squash = (s: string) => s.replace(/\s+/g, " ").trim();
const PACKER_166_PREFIX = "Failed to parse template: ";
const PARSE_PREFIX_END = "Original error: ";

if ("skip" in corpus) {
  describe.skip(corpus.skip, () => {
    it("needs the corpus", () => {});
  });
} else {
  const dir = corpus.dir;
  const cases = readCases(dir);
  const positive = cases.filter((c) => c.kind === "template");
  const negative = cases.filter((c) => c.kind === "fixture-invalid-on-purpose");

  describe("legacy JSON corpus", () => {
    it("has JSON cases", () => {
      expect(positive.length).toBeGreaterThan(30);
      expect(negative.length).toBeGreaterThan(10);
    });

    describe.each(positive.map((c) => [c.path, c] as const))("%s", (name, c) => {
      const file = join(dir, name);
      const loaded = loadJSONConfig({ path: file, env: {}, cwd: dirname(file), coreVersion: "1.16.0" });

      it("loads (validate -syntax-only)", () => {
        expect(c.rc).toBe("0");
        expect(loaded.errors).toEqual([]);
        expect(loaded.config).toBeDefined();
      });

      it.each([false, true])("upgrades to formatted, parseable HCL2 (annotations: %s)", (withAnnotations) => {
        const upgraded = upgradeTemplate(loaded.config!.template, { withAnnotations });
        const parsed = parseConfig(upgraded.text, `${name}.pkr.hcl`);
        expect(parsed.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
        const formatted = formatHCL(upgraded.text, `${name}.pkr.hcl`);
        expect(formatted.output).toBe(upgraded.text);
        // One source block per builder, all used by the single build block.
        const builders = loaded.config!.template.builders.size;
        expect(upgraded.text.match(/^source "/gm)?.length ?? 0).toBe(builders);
        expect(upgraded.text.match(/^build \{/gm)?.length ?? 0).toBe(builders > 0 ? 1 : 0);
      });
    });

    describe.each(negative.map((c) => [c.path, c] as const))("%s (invalid on purpose)", (name, c) => {
      const file = join(dir, name);

      it("fails with a clear error", async () => {
        const loaded = loadJSONConfig({ path: file, env: {}, cwd: dirname(file), coreVersion: "1.16.0" });
        if (c.rc !== "0") {
          // Packer 1.6.6 refused to parse it: the same message after 1.16's longer prefix.
          expect(loaded.config).toBeUndefined();
          expect(loaded.errors).toHaveLength(1);
          const text = loaded.errors[0]!;
          expect(text.startsWith("Failed to parse file as legacy JSON template")).toBe(true);
          const original = text.slice(text.indexOf(PARSE_PREFIX_END) + PARSE_PREFIX_END.length);
          expect(c.firstError.startsWith(PACKER_166_PREFIX)).toBe(true);
          expect(squash(original).startsWith(squash(c.firstError.slice(PACKER_166_PREFIX.length)))).toBe(
            true,
          );
          return;
        }
        // Syntactically valid: Packer rejects it when the template is initialized or its builds prepared.
        expect(loaded.errors).toEqual([]);
        const config = loaded.config!;
        const init = await config.initialize();
        if (hasErrors(init)) {
          expect(init[0]!.detail).toMatch(/error/);
          return;
        }
        const { diagnostics } = config.getBuilds({ catalog: catalog(), runUuid: "test" });
        expect(hasErrors(diagnostics)).toBe(true);
      });
    });
  });

  describe("hcl2_upgrade fixtures", () => {
    const withAnnotations = new Set(["complete", "minimal", "source-name", "error-cleanup-provisioner"]);

    /**
     * Where kiln's output deliberately differs from Packer's fixture, and why. Each `packer` text must occur
     * in the fixture exactly `count` times; it is replaced by the `kiln` text, and everything else is
     * compared byte-for-byte.
     */
    const deliberateDifferences: Record<
      string,
      readonly { packer: string; kiln: string; count: number; reason: string }[]
    > = {
      complete: [
        {
          // The builder `amazon-ebs` (unnamed) becomes `source "amazon-ebs" "autogenerated_1"`: HCL2 matches
          // `only` / `except` against `<type>.<name>`, so Packer's copied `amazon-ebs` would match nothing.
          packer: '= ["amazon-ebs"]\n',
          kiln: '= ["amazon-ebs.autogenerated_1"]\n',
          count: 5,
          reason: "only/except name the upgraded sources",
        },
        {
          // `{{build_name}}` is the JSON builder's name (its type when unnamed). Packer's `${build.name}` is
          // the build block's name in HCL2 ("" here); the sources are `autogenerated_1` (JSON name
          // `amazon-ebs`) and `named_builder` (same name), so the value is looked up from the source's name.
          // biome-ignore lint/suspicious/noTemplateCurlyInString: HCL text
          packer: "`${build.name}`",
          // biome-ignore lint/suspicious/noTemplateCurlyInString: HCL text
          kiln: '`${lookup({ "autogenerated_1" = "amazon-ebs" }, source.name, source.name)}`',
          count: 1,
          reason: "build_name gives the JSON build name",
        },
      ],
    };
    const fixtures = cases
      .map((c) => /^hashicorp__packer\/command__test-fixtures__hcl2_upgrade__(.+)__input\.json$/.exec(c.path))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1]!, m[0]] as const);

    it("has fixtures", () => {
      expect(fixtures.length).toBeGreaterThanOrEqual(5);
    });

    it.each(fixtures)("%s converts to expected.pkr.hcl", (folder, input) => {
      const parsed = parseJSONTemplate(readFileSync(join(dir, input)));
      if ("error" in parsed) throw new Error(parsed.error);
      let expected = readFileSync(join(dir, input.replace(/__input\.json$/, "__expected.pkr.hcl")), "utf8");
      for (const d of deliberateDifferences[folder] ?? []) {
        expect(expected.split(d.packer).length - 1, d.reason).toBe(d.count);
        expected = expected.replaceAll(d.packer, d.kiln);
      }
      const r = upgradeTemplate(parsed.template, { withAnnotations: withAnnotations.has(folder) });
      expect(r.errors).toEqual([]);
      expect(r.text).toBe(expected);
    });
  });
}
