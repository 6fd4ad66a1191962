// The HCL2 loader with components that record what they are given: configuration values, BuildInfo, and the
// configuration a provisioner / post-processor gets again at run time.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type Diagnostic,
  dynamicType,
  listType,
  objectVal,
  stringType,
  stringVal,
  type Value,
  valueToNative,
} from "../../hcl/index.js";
import {
  type Artifact,
  type Builder,
  type BuildInfo,
  basicArtifact,
  type ConfigSpec,
  type Datasource,
  noopLogger,
  type PostProcessor,
  type Provisioner,
} from "../../sdk/index.js";
import { type ComponentCatalog, componentSet } from "./catalog.js";
import { type HCL2Config, loadHCL2Config } from "./config.js";
import { getBuilds } from "./get-builds.js";

interface Seen {
  kind: string;
  config: unknown;
  info?: BuildInfo;
}

let seen: Seen[] = [];

const str = { kind: "attribute", type: stringType } as const;

class FakeBuilder implements Builder {
  configSpec(): ConfigSpec {
    return {
      label: str,
      tags: { kind: "attribute", type: dynamicType },
      nested: { kind: "block-list", spec: { k: str } },
    };
  }
  prepare(config: Value, info: BuildInfo) {
    seen.push({ kind: "builder", config: valueToNative(config), info });
    const label = config.asValueMap().get("label");
    const diagnostics: Diagnostic[] =
      label?.isKnown() && !label.isNull() && label.asString() === "bad"
        ? [{ severity: "error", summary: "label must not be bad" }]
        : [];
    return { diagnostics, generatedDataKeys: ["Extra"] };
  }
  async run(): Promise<Artifact | undefined> {
    return undefined;
  }
}

class FakeProvisioner implements Provisioner {
  configSpec(): ConfigSpec {
    return { text: str, list: { kind: "attribute", type: listType(stringType) } };
  }
  prepare(config: Value, info: BuildInfo) {
    seen.push({ kind: "provisioner", config: valueToNative(config), info });
    return { diagnostics: [] };
  }
  async provision(): Promise<void> {}
}

class FakePostProcessor implements PostProcessor {
  configSpec(): ConfigSpec {
    return { text: str };
  }
  configure(config: Value) {
    seen.push({ kind: "post-processor", config: valueToNative(config) });
    return { diagnostics: [] };
  }
  async postProcess(_ui: unknown, artifact: Artifact) {
    return { artifact, keep: true, forceOverride: false };
  }
}

class FakeDatasource implements Datasource {
  private input = "";
  configSpec(): ConfigSpec {
    return { input: str };
  }
  configure(config: Value) {
    this.input = config.asValueMap().get("input")?.asString() ?? "";
    return { diagnostics: [] };
  }
  outputSpec(): ConfigSpec {
    return { output: str };
  }
  async execute(): Promise<Value> {
    return objectVal({ output: stringVal(`got ${this.input}`) });
  }
}

const catalog: ComponentCatalog = {
  builders: componentSet({ fake: () => new FakeBuilder() }),
  provisioners: componentSet({ rec: () => new FakeProvisioner() }),
  postProcessors: componentSet({ pp: () => new FakePostProcessor() }),
  datasources: componentSet({ d: () => new FakeDatasource() }),
};

let dir = "";
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "kiln-hcl2-"));
  seen = [];
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function load(
  text: string,
  options: { vars?: Map<string, string>; skipDatasources?: boolean } = {},
): Promise<{ config: HCL2Config; diagnostics: Diagnostic[] }> {
  writeFileSync(join(dir, "t.pkr.hcl"), text);
  const loaded = loadHCL2Config({
    path: "t.pkr.hcl",
    env: {},
    cwd: dir,
    coreVersion: "1.16.0",
    ...(options.vars !== undefined ? { vars: options.vars } : {}),
  });
  expect(loaded.config).toBeDefined();
  const config = loaded.config!;
  const init = await config.initialize({
    catalog,
    skipDatasourcesExecution: options.skipDatasources ?? false,
  });
  return { config, diagnostics: [...loaded.diagnostics, ...init] };
}

function build(config: HCL2Config, only: string[] = [], except: string[] = []) {
  return getBuilds(config, { catalog, only, except, runUuid: "uuid", env: {}, cwd: dir });
}

describe("HCL2 loader", () => {
  it("decodes sources merged with build-level additions, and passes Packer's BuildInfo", async () => {
    const { config, diagnostics } = await load(`
source "fake" "a" {
  label = "from-source"
}
build {
  name = "b"
  source "fake.a" {
    name = "renamed"
    tags = { x = source.name, t = source.type }
  }
}
`);
    expect(diagnostics).toEqual([]);
    const r = build(config);
    expect(r.diagnostics).toEqual([]);
    expect(r.builds.map((b) => b.name)).toEqual(["b.fake.renamed"]);
    expect(seen[0]).toMatchObject({
      kind: "builder",
      config: { label: "from-source", tags: { x: "renamed", t: "fake" }, nested: [] },
      info: { buildName: "a", builderType: "fake", onError: "cleanup", runUuid: "uuid" },
    });
  });

  it("refuses to let a build-level source block override an argument", async () => {
    const { diagnostics, config } = await load(`
source "fake" "a" {
  label = "x"
}
build {
  source "fake.a" {
    label = "y"
  }
}
`);
    expect(diagnostics).toEqual([]);
    const r = build(config);
    expect(r.builds).toEqual([]);
    expect(r.diagnostics.map((d) => d.summary)).toEqual(["Duplicate argument"]);
    expect(r.diagnostics[0]!.detail).toBe('Argument "label" was already set at t.pkr.hcl:3,3-8');
  });

  it("gives provisioners placeholders for build.* at prepare time and the real data at run time", async () => {
    const { config } = await load(`
source "fake" "a" {}
build {
  sources = ["source.fake.a"]
  provisioner "rec" {
    text = "\${build.ID}/\${build.Extra}/\${build.name}"
  }
  post-processor "pp" {
    text = "pp-\${build.ID}"
  }
}
`);
    const r = build(config);
    expect(r.diagnostics).toEqual([]);
    expect(seen.find((s) => s.kind === "provisioner")?.config).toMatchObject({
      text: "<unknown>/<unknown>/",
    });
    seen = [];
    const b = r.builds[0]!;
    const ctx = { log: noopLogger, secrets: { add() {} } };
    const signal = new AbortController().signal;
    await b.provisioners[0]!.provisioner.provision(
      {} as never,
      {} as never,
      { ID: "abc", Extra: "e" },
      signal,
      ctx,
    );
    expect(seen).toEqual([
      expect.objectContaining({ kind: "provisioner", config: { text: "abc/e/", list: null } }),
    ]);
    seen = [];
    const artifact = basicArtifact({
      builderId: "x",
      id: "y",
      string: "z",
      state: { generated_data: { ID: "gen" } },
    });
    await b.postProcessors[0]![0]!.postProcessor.postProcess({} as never, artifact, signal, ctx);
    expect(seen).toEqual([{ kind: "post-processor", config: { text: "pp-gen" } }]);
  });

  it("applies override per source name, and only/except per type.name", async () => {
    const { config } = await load(`
source "fake" "a" {}
source "fake" "b" {}
build {
  sources = ["source.fake.a", "source.fake.b"]
  provisioner "rec" {
    text = "base"
    override = {
      b = { text = "for-b" }
    }
  }
  provisioner "rec" {
    only = ["fake.a"]
    text = "only-a"
  }
}
`);
    const r = build(config);
    expect(r.diagnostics).toEqual([]);
    expect(r.builds.map((b) => b.provisioners.length)).toEqual([2, 1]);
    expect(
      seen.filter((s) => s.kind === "provisioner").map((s) => (s.config as { text: string }).text),
    ).toEqual(["base", "only-a", "for-b"]);
  });

  it("locates a component's own errors at its block, and keeps the other builds", async () => {
    const { config } = await load(`
source "fake" "good" {}
source "fake" "bad" {
  label = "bad"
}
build {
  sources = ["source.fake.good", "source.fake.bad"]
}
`);
    const r = build(config);
    expect(r.builds.map((b) => b.name)).toEqual(["fake.good"]);
    expect(r.diagnostics).toMatchObject([
      { severity: "error", summary: "label must not be bad", subject: { start: { line: 3 } } },
    ]);
  });

  it("filters builds and post-processors with -only / -except, warning about patterns that match nothing", async () => {
    const { config } = await load(`
source "fake" "a" {}
source "fake" "b" {}
build {
  sources = ["source.fake.a", "source.fake.b"]
  post-processors {
    post-processor "pp" { text = "1" }
    post-processor "pp" {
      name = "second"
      text = "2"
    }
    post-processor "pp" { text = "3" }
  }
}
`);
    const r = build(config, ["*.b"], ["second"]);
    expect(r.builds.map((b) => b.name)).toEqual(["fake.b"]);
    expect(r.builds[0]!.postProcessors.map((c) => c.map((p) => p.name))).toEqual([[""]]);
    expect(r.diagnostics).toEqual([]);
    const none = build(config, ["nope"]);
    expect(none.builds).toEqual([]);
    expect(none.diagnostics[0]).toMatchObject({
      severity: "warning",
      detail:
        "Possible build names: [fake.a fake.b].\nThese could also be matched with a glob pattern like: 'happycloud.*'",
    });
  });

  it("evaluates data sources (or placeholders) and locals in dependency order", async () => {
    const text = `
locals {
  a = "a-\${data.d.x.output}"
  b = upper(var.v)
}
variable "v" {
  default = "vee"
}
data "d" "x" {
  input = local.b
}
source "fake" "s" {
  label = local.a
}
build {
  sources = ["source.fake.s"]
}
`;
    const real = await load(text);
    expect(real.diagnostics).toEqual([]);
    expect(real.config.localValues.get("a")?.value.asString()).toBe("a-got VEE");
    const placeholder = await load(text, { skipDatasources: true });
    expect(placeholder.diagnostics).toEqual([]);
    expect(placeholder.config.localValues.get("a")?.value.isKnown()).toBe(false);
  });

  it("expands nested dynamic blocks inside component bodies", async () => {
    const { config } = await load(`
locals {
  items = { one = "1", two = "2" }
}
source "fake" "s" {
  dynamic "nested" {
    for_each = local.items
    iterator = it
    content {
      k = "\${it.key}=\${it.value}"
    }
  }
}
build {
  sources = ["source.fake.s"]
}
`);
    const r = build(config);
    expect(r.diagnostics).toEqual([]);
    expect((seen[0]!.config as { nested: unknown }).nested).toEqual([{ k: "one=1" }, { k: "two=2" }]);
  });

  it("reports dynamic block mistakes with dynblock's diagnostics", async () => {
    const { diagnostics } = await load(`
source "fake" "s" {}
build {
  sources = ["source.fake.s"]
  dynamic "provisioner" {
    for_each = "not a collection"
    labels = ["rec"]
    content {}
  }
}
`);
    expect(diagnostics).toMatchObject([
      {
        summary: "Invalid dynamic for_each value",
        detail: "Cannot use a string value in for_each. An iterable collection is required.",
      },
    ]);
  });
});
