// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are HCL and Go template source text
// hcl2_upgrade of `{{build_name}}` / `{{build_type}}` and of `only` / `except`: the upgraded template must
// give every component the values the JSON template gave it, build by build. Both templates are prepared
// with recording components and what each component was prepared with is compared.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { stringType, type Value } from "../../hcl/index.js";
import type { Builder, ConfigSpec, PostProcessor, Provisioner } from "../../sdk/index.js";
import { type ComponentCatalog, componentSet, getBuilds, loadHCL2Config } from "../hcl2/index.js";
import {
  buildBlockScope,
  literalScope,
  sourceBlockScope,
  sourceReferences,
  type UpgradedSource,
} from "./build-scope.js";
import { loadJSONConfig } from "./config.js";
import { parseTemplate } from "./parse-template.js";
import { upgradeTemplate } from "./upgrade.js";

/** What each component was prepared with: `<kind> <tag> <value>`. */
let seen: string[] = [];

class Recorder {
  constructor(readonly kind: string) {}
  configSpec(): ConfigSpec {
    return {
      tag: { kind: "attribute", type: stringType },
      value: { kind: "attribute", type: stringType },
    };
  }
  prepare(config: Value) {
    const m = config.asValueMap();
    const s = (k: string) => {
      const v = m.get(k);
      return v === undefined || v.isNull() ? "" : v.asString();
    };
    seen.push(`${this.kind} ${s("tag")} ${s("value")}`);
    return { diagnostics: [], generatedDataKeys: [] };
  }
  configure(config: Value) {
    return this.prepare(config);
  }
  async provision(): Promise<void> {}
}

function catalog(): ComponentCatalog {
  const make = (kind: string) => () => new Recorder(kind);
  return {
    builders: componentSet({ null: make("builder") as () => unknown as () => Builder }),
    provisioners: componentSet({ "shell-local": make("provisioner") as () => unknown as () => Provisioner }),
    postProcessors: componentSet({
      manifest: make("post-processor") as () => unknown as () => PostProcessor,
    }),
    datasources: componentSet({}),
  };
}

let dir = "";
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "kiln-upgrade-scope-"));
  seen = [];
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const BUILD_VALUE = "{{build_name}}/{{build_type}}";

/** A JSON template of null builders (one per name; "" for unnamed) and components tagged by their role. */
function template(
  names: readonly string[],
  components: { provisioners?: object[]; postProcessors?: object[] } = {},
): string {
  return JSON.stringify({
    builders: names.map((n) => ({
      type: "null",
      ...(n !== "" ? { name: n } : {}),
      tag: "builder",
      value: BUILD_VALUE,
    })),
    provisioners: components.provisioners ?? [{ type: "shell-local", tag: "all", value: BUILD_VALUE }],
    "post-processors": components.postProcessors ?? [{ type: "manifest", tag: "pp", value: BUILD_VALUE }],
  });
}

/** What the JSON template's builds are prepared with, sorted. */
async function preparedJSON(text: string): Promise<string[]> {
  writeFileSync(join(dir, "t.json"), text);
  const loaded = loadJSONConfig({ path: "t.json", env: {}, cwd: dir, coreVersion: "1.16.0" });
  expect(loaded.errors).toEqual([]);
  expect(await loaded.config!.initialize()).toEqual([]);
  seen = [];
  const r = loaded.config!.getBuilds({ catalog: catalog(), runUuid: "u" });
  expect(r.diagnostics).toEqual([]);
  return [...seen].sort();
}

/** The upgraded text of the JSON template, and what its builds are prepared with, sorted. */
async function preparedUpgrade(text: string): Promise<{ hcl: string; seen: string[] }> {
  const parsed = parseTemplate(text);
  if ("error" in parsed) throw new Error(parsed.error);
  const up = upgradeTemplate(parsed.template);
  expect(up.errors).toEqual([]);
  writeFileSync(join(dir, "t.pkr.hcl"), up.text);
  const loaded = loadHCL2Config({ path: "t.pkr.hcl", env: {}, cwd: dir, coreVersion: "1.16.0" });
  expect(loaded.diagnostics).toEqual([]);
  expect(await loaded.config!.initialize({ catalog: catalog() })).toEqual([]);
  seen = [];
  const r = getBuilds(loaded.config!, { catalog: catalog(), runUuid: "u", env: {}, cwd: dir });
  expect(r.diagnostics).toEqual([]);
  return { hcl: up.text, seen: [...seen].sort() };
}

describe("hcl2_upgrade of build_name and build_type", () => {
  it("uses source.name where the source keeps the JSON name", async () => {
    const text = template(["one", "two"]);
    const json = await preparedJSON(text);
    expect(json).toEqual([
      "builder builder one/null",
      "builder builder two/null",
      "post-processor pp one/null",
      "post-processor pp two/null",
      "provisioner all one/null",
      "provisioner all two/null",
    ]);
    const up = await preparedUpgrade(text);
    expect(up.seen).toEqual(json);
    expect(up.hcl).toContain(
      'source "null" "one" {\n  tag   = "builder"\n  value = "${source.name}/${source.type}"\n}',
    );
    expect(up.hcl).toContain('    value = "${source.name}/${source.type}"\n');
    expect(up.hcl).not.toContain("build.");
  });

  it("uses source.type for unnamed builders (named autogenerated_N by the upgrade)", async () => {
    const text = template([""]);
    const json = await preparedJSON(text);
    expect(json).toEqual([
      "builder builder null/null",
      "post-processor pp null/null",
      "provisioner all null/null",
    ]);
    const up = await preparedUpgrade(text);
    expect(up.seen).toEqual(json);
    expect(up.hcl).toContain('source "null" "autogenerated_1" {');
    expect(up.hcl).toContain('value = "${source.type}/${source.type}"');
  });

  it("writes the JSON name, or looks it up, where the upgrade renames the source", async () => {
    // Sorted by type and name: " my box " (my_box), "box", "null" (autogenerated_3).
    const text = template(["", "box", " my box "]);
    const json = await preparedJSON(text);
    expect(json).toEqual([
      "builder builder  my box /null",
      "builder builder box/null",
      "builder builder null/null",
      "post-processor pp  my box /null",
      "post-processor pp box/null",
      "post-processor pp null/null",
      "provisioner all  my box /null",
      "provisioner all box/null",
      "provisioner all null/null",
    ]);
    const up = await preparedUpgrade(text);
    expect(up.seen).toEqual(json);
    expect(up.hcl).toContain(
      'source "null" "my_box" {\n  tag   = "builder"\n  value = " my box /${source.type}"\n}',
    );
    expect(up.hcl).toContain(
      'source "null" "autogenerated_3" {\n  tag   = "builder"\n  value = "${source.type}/${source.type}"',
    );
    expect(up.hcl).toContain(
      'value = "${lookup({ "my_box" = " my box ", "autogenerated_3" = "null" }, source.name, source.name)}/${source.type}"',
    );
  });

  it("matches only/except against the upgraded sources, and narrows the values to the sources in play", async () => {
    const text = template(["", "box", "c d"], {
      provisioners: [
        { type: "shell-local", only: ["null"], tag: "only-unnamed", value: BUILD_VALUE },
        { type: "shell-local", only: ["c d", "box"], tag: "only-named", value: BUILD_VALUE },
        { type: "shell-local", except: ["box"], tag: "except-box", value: BUILD_VALUE },
      ],
      postProcessors: [
        [
          { type: "manifest", only: ["c d"], tag: "pp-only", value: BUILD_VALUE },
          { type: "manifest", except: ["null", "c d"], tag: "pp-except", value: BUILD_VALUE },
        ],
      ],
    });
    const json = await preparedJSON(text);
    expect(json.filter((s) => !s.startsWith("builder"))).toEqual([
      "post-processor pp-except box/null",
      "post-processor pp-only c d/null",
      "provisioner except-box c d/null",
      "provisioner except-box null/null",
      "provisioner only-named box/null",
      "provisioner only-named c d/null",
      "provisioner only-unnamed null/null",
    ]);
    const up = await preparedUpgrade(text);
    expect(up.seen).toEqual(json);
    expect(up.hcl).toContain(
      'only  = ["null.autogenerated_3"]\n    tag   = "only-unnamed"\n    value = "${source.type}/',
    );
    expect(up.hcl).toContain('only  = ["null.c_d", "null.box"]\n');
    expect(up.hcl).toContain('except = ["null.box"]\n');
    expect(up.hcl).toContain('except = ["null.autogenerated_3", "null.c_d"]\n');
  });
});

describe("hcl2_upgrade of build_name in an amazon-ami data source", () => {
  it("writes the builder's name and type, one data source per builder when the filter uses them", () => {
    const filter = { owners: ["self"], filters: { name: "base-{{build_name}}-{{build_type}}" } };
    const parsed = parseTemplate(
      JSON.stringify({
        builders: [
          { type: "amazon-ebs", name: "a b", source_ami_filter: filter },
          { type: "amazon-ebs", source_ami_filter: filter },
          { type: "amazon-ebs", name: "c", source_ami_filter: { owners: ["self"] } },
          { type: "amazon-ebs", name: "d", source_ami_filter: { owners: ["self"] } },
        ],
      }),
    );
    if ("error" in parsed) throw new Error(parsed.error);
    const text = upgradeTemplate(parsed.template).text;
    // No `source` in a data block: the JSON values themselves.
    expect(text).toContain(
      'data "amazon-ami" "autogenerated_1" {\n  filters = {\n    name = "base-a b-amazon-ebs"\n  }',
    );
    expect(text).toContain(
      'data "amazon-ami" "autogenerated_2" {\n  filters = {\n    name = "base-amazon-ebs-amazon-ebs"\n  }',
    );
    // A filter without them is still shared, as Packer shares it.
    expect(text).toContain('data "amazon-ami" "autogenerated_3" {\n  owners = ["self"]\n}');
    expect(text).not.toContain('"autogenerated_4" {\n  owners');
    expect(text.match(/source_ami += "\$\{data\.amazon-ami\.autogenerated_3\.id\}"/g)).toHaveLength(2);
  });
});

describe("build-function scopes", () => {
  const s = (type: string, jsonName: string, hclName: string): UpgradedSource => ({
    type,
    jsonName,
    hclName,
  });

  it("source blocks", () => {
    expect(sourceBlockScope(s("docker", "one", "one"))).toEqual({
      buildName: "${source.name}",
      buildType: "${source.type}",
    });
    expect(sourceBlockScope(s("docker", "docker", "autogenerated_1")).buildName).toBe("${source.type}");
    expect(sourceBlockScope(s("docker", 'a "b" ${c}', "a_b")).buildName).toBe('a \\"b\\" $${c}');
  });

  it("blocks without a source", () => {
    expect(literalScope(s("amazon-ebs", "x y", "x_y"))).toEqual({
      buildName: "x y",
      buildType: "amazon-ebs",
    });
  });

  it("the build block", () => {
    expect(buildBlockScope([]).buildName).toBe("${source.name}");
    expect(buildBlockScope([s("a", "a", "autogenerated_1"), s("b", "b", "autogenerated_2")]).buildName).toBe(
      "${source.type}",
    );
    expect(buildBlockScope([s("a", "x y", "x_y")]).buildName).toBe("x y");
    // The same source name for two JSON names: looked up by type and name.
    expect(buildBlockScope([s("a", "x y", "x_y"), s("b", "x_y", "x_y")]).buildName).toBe(
      '${lookup({ "a.x_y" = "x y" }, "${source.type}.${source.name}", source.name)}',
    );
  });

  it("only/except lists", () => {
    const sources = [s("docker", "docker", "autogenerated_1"), s("docker", "my box", "my_box")];
    expect(sourceReferences(["docker", "my box", "nope"], sources)).toEqual([
      "docker.autogenerated_1",
      "docker.my_box",
      "nope",
    ]);
  });
});
