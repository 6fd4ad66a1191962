// Legacy JSON templates: parsing with Packer's errors, variables, builds, inspect, console and the
// component configuration decoding. Expected texts were taken from Packer 1.6.6's output.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { boolType, type Diagnostic, listType, numberType, stringType, type Value } from "../../hcl/index.js";
import type { Builder, ConfigSpec, PostProcessor, Provisioner } from "../../sdk/index.js";
import { type ComponentCatalog, componentSet } from "../hcl2/index.js";
import { decodeErrorText, decodeJSONConfig, renderConfig } from "./component-config.js";
import { loadJSONConfig, readVarFile } from "./config.js";
import { inspectJSONTemplate } from "./inspect.js";
import { type JSONValue, parseJSON } from "./json-syntax.js";
import { parseTemplate } from "./parse-template.js";

function parseError(text: string): string {
  const r = parseTemplate(text);
  if (!("error" in r)) throw new Error("expected a parse error");
  return r.error;
}

describe("JSON syntax (Go's encoding/json messages)", () => {
  it("reports the character and the position", () => {
    expect(parseError("*\n")).toBe(
      "Error parsing JSON: invalid character '*' looking for beginning of value\nAt line 1, column 1 (offset 1):\n    1: *\n      ^\n",
    );
    expect(parseError('{"a":1,\n')).toBe(
      'Error parsing JSON: unexpected end of JSON input\nAt line 2, column 1 (offset 8):\n    1: {"a":1,\n    2: \n      ^\n',
    );
  });

  it.each([
    ['{"a" 1}', "invalid character '1' after object key"],
    ['{"a":1 "b"}', "invalid character '\"' after object key:value pair"],
    ["[1 2]", "invalid character '2' after array element"],
    ["{,}", "invalid character ',' looking for beginning of object key string"],
    ["[tru]", "invalid character ']' in literal true (expecting 'e')"],
    ["-x", "invalid character 'x' in numeric literal"],
    ["1.x", "invalid character 'x' after decimal point in numeric literal"],
    ['"\\q"', "invalid character 'q' in string escape code"],
    ['"a\tb"', "invalid character '\\t' in string literal"],
    ["{}}", "invalid character '}' after top-level value"],
  ])("%s", (text, message) => {
    const r = parseJSON(text);
    expect(r.ok).toBe(false);
    if (!r.ok && "syntax" in r) expect(r.syntax.message).toBe(message);
  });

  it("keeps positions of objects and keys", () => {
    const r = parseJSON('{\n  "a": {"b": 1}\n}', "t.json");
    if (!r.ok) throw new Error("parse failed");
    const root = r.value as Record<string, object>;
    expect(r.positions.keyRange(root, "a")?.start).toEqual({ line: 2, column: 3, byte: 4 });
    expect(r.positions.rangeOf(root.a!)?.start.line).toBe(2);
  });

  it("finds the first duplicate key anywhere", () => {
    expect(parseError('{"builders":[{"type":"null","foo":1,"foo":2}]}')).toBe(
      "template has duplicate field: foo",
    );
  });
});

describe("template structure errors", () => {
  it.each([
    [
      '{"builders":"x"}',
      "1 error(s) decoding:\n\n* 'builders': source data must be an array or slice, got string",
    ],
    [
      '{"builders":[{"type":"null"}],"description":5}',
      "1 error(s) decoding:\n\n* 'Description' expected type 'string', got unconvertible type 'float64', value: '5'",
    ],
    [
      '{"builders":[{"type":"null"}],"variables":{"a":1}}',
      "1 error occurred:\n\t* variable a: '' expected type 'string', got unconvertible type 'float64', value: '1'\n\n",
    ],
    [
      '{"builders":[{"type":"null"}],"post-processors":[["a",["b"]]]}',
      "1 error occurred:\n\t* post-processor 1.2: sequence not allowed to be nested in a sequence\n\n",
    ],
    [
      '{"builders":[{"type":"null"}],"post-processors":[5]}',
      "1 error occurred:\n\t* post-processor 1: bad format\n\n",
    ],
    [
      '{"builders":[{"type":"null"}],"_c":5}',
      'Failed to cast root level comment value in comment "_c" to string.',
    ],
    [
      '{"builders":[{"type":"null"}],"provisioners":[{"type":"x","pause_before":"zz"}]}',
      "1 error occurred:\n\t* provisioner 1: Error decoding provisioner: 1 error(s) decoding:\n\n* error decoding 'pause_before': time: invalid duration \"zz\"\n\n",
    ],
    [
      '{"builders":[{"type":"null","name":"a"},{"type":"x","name":"a"}],"zz":1,"aa":2}',
      "2 errors occurred:\n\t* Unknown root level key in template: 'aa'\n\t* Unknown root level key in template: 'zz'\n\n",
    ],
    ['{"builders":[{"name":"a"}]}', "1 error occurred:\n\t* builder 1: missing 'type'\n\n"],
    [
      '{"builders":[{"type":"null"}],"provisioners":[{"type":""}]}',
      "1 error occurred:\n\t* provisioner 1: Provisioner missing 'type'\n\n",
    ],
    ["[1]", "'' expected a map, got 'slice'"],
  ])("%s", (text, error) => {
    expect(parseError(text)).toBe(error);
  });

  it("decodes weakly where Packer does", () => {
    const r = parseTemplate(
      '{"_comment":"hi","builders":[{"type":5}],"provisioners":[{"type":"x","max_retries":3,"only":"5","pause_before":"1m30s"}],"post-processors":["a",{"type":"b","name":"c","keep_input_artifact":true},[{"type":"d"},"e"]]}',
    );
    if ("error" in r) throw new Error(r.error);
    const t = r.template;
    expect(t.comments.get("_comment")).toBe("hi");
    expect(t.builders.get("5")?.type).toBe("5");
    expect(t.provisioners[0]).toMatchObject({ type: "x", maxRetries: "3", only: ["5"] });
    expect(t.provisioners[0]!.pauseBefore.toString()).toBe("1m30s");
    expect(t.postProcessors.map((c) => c.map((p) => p.name))).toEqual([["a"], ["c"], ["d", "e"]]);
    expect(t.postProcessors[1]![0]!.keepInputArtifact).toBe(true);
  });
});

/** A component that records the configuration it was prepared with. */
class Recorder {
  static last = new Map<string, Value>();
  constructor(
    readonly kind: string,
    private readonly spec: ConfigSpec,
  ) {}
  configSpec(): ConfigSpec {
    return this.spec;
  }
  prepare(config: Value): { diagnostics: Diagnostic[]; generatedDataKeys: string[] } {
    Recorder.last.set(this.kind, config);
    return { diagnostics: [], generatedDataKeys: [] };
  }
  configure(config: Value) {
    return this.prepare(config);
  }
  async provision(): Promise<void> {}
}

const attr = (v: Value | undefined, name: string): Value => v!.asValueMap().get(name)!;

const SPEC: ConfigSpec = {
  message: { kind: "attribute", type: stringType },
  inline: { kind: "attribute", type: listType(stringType) },
  count: { kind: "attribute", type: numberType },
  flag: { kind: "attribute", type: boolType },
};

function testCatalog(): ComponentCatalog {
  const make = (kind: string) => () => new Recorder(kind, SPEC);
  return {
    builders: componentSet({ null: make("builder") as () => unknown as () => Builder }),
    provisioners: componentSet({ "shell-local": make("provisioner") as () => unknown as () => Provisioner }),
    postProcessors: componentSet({ manifest: make("pp") as () => unknown as () => PostProcessor }),
    datasources: componentSet({}),
  };
}

function tempTemplate(text: string): { dir: string; path: string } {
  const dir = mkdtempSync(join(tmpdir(), "kiln-json-"));
  const path = join(dir, "t.json");
  writeFileSync(path, text);
  return { dir, path };
}

const TEMPLATE = `{
  "description": "demo template",
  "variables": {"a": "x", "b": "{{user \`a\`}}-y", "req": null, "secret": "s3cr3t", "home": "{{env \`HOME\`}}"},
  "sensitive-variables": ["secret"],
  "builders": [
    {"type": "null", "name": "n-{{user \`a\`}}", "message": "{{user \`b\`}} {{build_name}} {{build_type}}"},
    {"type": "null", "message": "plain", "inline": "one", "count": "3", "flag": "true"}
  ],
  "provisioners": [
    {"type": "shell-local", "inline": ["{{build \`ID\`}} {{ .Path }}"], "override": {"null": {"message": "overridden"}}},
    {"type": "shell-local", "only": ["null"], "message": "only null", "max_retries": "{{user \`count\`}}"}
  ],
  "post-processors": [["manifest", {"type": "manifest", "name": "second"}]]
}`;

describe("JSON core", () => {
  it("requires required variables", async () => {
    const { dir, path } = tempTemplate(TEMPLATE);
    const loaded = loadJSONConfig({ path, env: {}, cwd: dir, coreVersion: "1.16.0" });
    const diags = await loaded.config!.initialize();
    expect(diags).toEqual([
      { severity: "error", summary: "", detail: "1 error occurred:\n\t* required variable not set: req\n\n" },
    ]);
  });

  it("resolves variables, names and sorts builds, renders component configurations", async () => {
    const { dir, path } = tempTemplate(TEMPLATE);
    const varFile = join(dir, "v.json");
    writeFileSync(varFile, '{"req": "from-file", "a": "ignored-by-var"}');
    const loaded = loadJSONConfig({
      path,
      varFiles: [varFile],
      vars: new Map([
        ["a", "A"],
        ["count", "2"],
      ]),
      env: { HOME: "/home/me" },
      cwd: dir,
      coreVersion: "1.16.0",
    });
    expect(loaded.errors).toEqual([]);
    const config = loaded.config!;
    const added: string[] = [];
    expect(await config.initialize({ secrets: { add: (...s) => added.push(...s) } })).toEqual([]);
    expect(added).toEqual(["s3cr3t"]);
    expect(config.variables.get("b")).toBe("A-y");
    expect(config.variables.get("req")).toBe("from-file");
    expect(config.variables.get("home")).toBe("/home/me");
    expect(config.buildNames()).toEqual(["n-A", "null"]);
    expect(config.buildNames(["null"])).toEqual(["null"]);
    expect(config.buildNames([], ["null"])).toEqual(["n-A"]);

    const { builds, diagnostics } = config.getBuilds({
      catalog: testCatalog(),
      runUuid: "uuid",
      except: ["second"],
    });
    expect(diagnostics).toEqual([]);
    expect(builds.map((b) => b.name)).toEqual(["null.n-A", "null"]);
    // Build n-A: only the first provisioner; -except=second drops the rest of the chain.
    expect(builds[0]!.provisioners).toHaveLength(1);
    expect(builds[0]!.postProcessors.map((c) => c.map((p) => p.name))).toEqual([["manifest"]]);
    expect(builds[1]!.provisioners.map((p) => p.maxRetries)).toEqual([undefined, 2]);

    // At run time the provisioner is configured again with the builder's generated data.
    const runCtx = { log: { log: () => {} }, secrets: { add: () => {} } } as never;
    await builds[1]!.provisioners[0]!.provisioner.provision(
      {} as never,
      {} as never,
      { ID: "abc" },
      new AbortController().signal,
      runCtx,
    );
    const ran = Recorder.last.get("provisioner");
    expect(
      attr(ran, "inline")
        .asValueSlice()
        .map((v) => v.asString()),
    ).toEqual(["abc {{ .Path }}"]);
    expect(attr(ran, "message").asString()).toBe("overridden");

    // The last prepared builder is "null": weakly decoded values.
    const b = Recorder.last.get("builder")!;
    expect(attr(b, "message").asString()).toBe("plain");
    expect(
      attr(b, "inline")
        .asValueSlice()
        .map((v) => v.asString()),
    ).toEqual(["one"]);
    expect(attr(b, "count").asBigFloat().toString()).toBe("3");
    expect(attr(b, "flag").isTrue()).toBe(true);
  });

  it("renders builder configs with build_name and build_type, keeping {{ .Field }}", async () => {
    const { dir, path } = tempTemplate(TEMPLATE);
    const loaded = loadJSONConfig({
      path,
      vars: new Map([["req", "r"]]),
      env: {},
      cwd: dir,
      coreVersion: "1.16.0",
    });
    const config = loaded.config!;
    await config.initialize();
    expect(config.getBuilds({ catalog: testCatalog(), runUuid: "u", only: ["n-x"] }).diagnostics).toEqual([]);
    expect(attr(Recorder.last.get("builder"), "message").asString()).toBe("x-y n-x null");
    // The provisioner keeps `{{.ID}}` (from the build function) and `{{ .Path }}` for run time; the
    // override is for "null" only.
    const p = Recorder.last.get("provisioner");
    expect(
      attr(p, "inline")
        .asValueSlice()
        .map((v) => v.asString()),
    ).toEqual(["{{.ID}} {{ .Path }}"]);
    expect(attr(p, "message").isNull()).toBe(true);
    // max_retries reads an unset variable in the "null" build.
    const r = config.getBuilds({ catalog: testCatalog(), runUuid: "u", only: ["null"] });
    expect(r.diagnostics[0]?.summary).toBe('Failed to initialize build "null"');
    expect(r.diagnostics[0]?.detail).toBe(
      '`max_retries` must be a valid integer: strconv.Atoi: parsing "": invalid syntax',
    );
  });

  it("reports unknown components and configuration keys as Packer does", async () => {
    const { dir, path } = tempTemplate(
      '{"builders":[{"type":"nul"},{"type":"null","name":"b","bogus":1}],"provisioners":[{"type":"shell-local"}]}',
    );
    const loaded = loadJSONConfig({ path, env: {}, cwd: dir, coreVersion: "1.16.0" });
    await loaded.config!.initialize();
    const { builds, diagnostics } = loaded.config!.getBuilds({ catalog: testCatalog(), runUuid: "u" });
    expect(builds).toEqual([]);
    expect(diagnostics).toEqual([
      {
        severity: "error",
        summary: 'Failed to prepare build: "b"',
        detail: "1 error occurred:\n\t* unknown configuration key: '\"bogus\"'\n\n",
      },
      {
        severity: "error",
        summary: 'Failed to initialize build "nul"',
        detail: 'Did you mean to use "null"?',
      },
    ]);
  });

  it("checks min_packer_version", async () => {
    const { dir, path } = tempTemplate('{"min_packer_version":"101.0","builders":[{"type":"null"}]}');
    const loaded = loadJSONConfig({ path, env: {}, cwd: dir, coreVersion: "1.16.0" });
    expect((await loaded.config!.initialize())[0]?.detail).toBe(
      "This template requires Packer version 101.0.0 or higher; using 1.16.0",
    );
  });

  it("reads var files as Packer does", () => {
    const dir = mkdtempSync(join(tmpdir(), "kiln-vars-"));
    const write = (name: string, text: string) => {
      writeFileSync(join(dir, name), text);
      return name;
    };
    expect(readVarFile(write("a.json", '{"a":"1"} trailing'), dir)).toEqual({ value: { a: "1" } });
    expect(readVarFile(write("b.json", '{"a":5}'), dir)).toEqual({
      error:
        "Error reading variables in 'b.json': json: cannot unmarshal number into Go value of type string",
    });
    expect(readVarFile(write("c.json", "[1]"), dir)).toEqual({
      error:
        "Error reading variables in 'c.json': json: cannot unmarshal array into Go value of type kvflag.FlagJSON",
    });
    expect(readVarFile("nope.json", dir)).toEqual({ error: "open nope.json: no such file or directory" });
  });

  it("prefixes parse errors as Packer 1.16 does", () => {
    const loaded = loadJSONConfig({ path: "missing.json", env: {}, cwd: tmpdir(), coreVersion: "1.16.0" });
    expect(loaded.errors[0]).toMatch(
      /^Failed to parse file as legacy JSON template: .*\nOriginal error: open missing.json: no such file or directory$/s,
    );
  });

  it("evaluates console lines", async () => {
    const loaded = loadJSONConfig({
      path: "",
      vars: new Map([["x", "1"]]),
      env: {},
      cwd: tmpdir(),
      coreVersion: "1.16.0",
    });
    await loaded.config!.initialize();
    expect(loaded.config!.evaluateExpression("{{user `x`}}-{{packer_version}}").output).toBe("1-1.16.0");
    expect(loaded.config!.evaluateExpression("exit").exit).toBe(true);
    expect(loaded.config!.evaluateExpression("{{nope}}").diagnostics[0]?.summary).toBe("Interpolation error");
  });
});

describe("inspect", () => {
  it("prints variables, builders and provisioners like Packer", () => {
    const r = parseTemplate(TEMPLATE);
    if ("error" in r) throw new Error(r.error);
    const lines = inspectJSONTemplate(r.template);
    const says = lines.filter((l) => l.kind === "say").map((l) => (l.kind === "say" ? l.text : ""));
    expect(says.slice(0, 8)).toEqual([
      "Packer Inspect: JSON mode",
      "Description:\n",
      "demo template\n",
      "Required variables:\n",
      "  req",
      "",
      "Optional variables and their defaults:\n",
      "  a      = x",
    ]);
    expect(says).toContain("  secret = <sensitive>");
    expect(says).toContain("  n-{{user `a`}} (null)");
    expect(lines).toContainEqual({ kind: "machine", type: "template-variable", args: ["req", "", "1"] });
    expect(lines).toContainEqual({ kind: "machine", type: "template-builder", args: ["null", "null"] });
  });
});

describe("component configuration", () => {
  it("renders strings and keys, keeping field references", () => {
    const r = renderConfig(
      { tags: { "{{user `k`}}": ["{{user `v`}} {{ .HTTPIP }}"] } },
      { userVariables: { k: "key", v: "val" } },
    );
    expect(r).toEqual({ value: { tags: { key: ["val {{ .HTTPIP }}"] } } });
  });

  it("reports values that cannot be converted", () => {
    const r = decodeJSONConfig({ count: "abc", flag: "maybe" }, SPEC);
    expect(r.errors).toEqual([
      "cannot parse 'count' as int: strconv.ParseInt: parsing \"abc\": invalid syntax",
      "cannot parse 'flag' as bool: strconv.ParseBool: parsing \"maybe\": invalid syntax",
    ]);
  });

  it("splits a string at commas where a list is expected, as the SDK's decode hook does", () => {
    const inline = (v: JSONValue) => {
      const r = decodeJSONConfig({ inline: v }, SPEC);
      expect(r.errors).toEqual([]);
      return attr(r.value, "inline")
        .asValueSlice()
        .map((e) => e.asString());
    };
    expect(inline("v1,latest")).toEqual(["v1", "latest"]);
    expect(inline("a, b,")).toEqual(["a", " b", ""]);
    expect(inline("")).toEqual([]);
    expect(inline("one")).toEqual(["one"]);
    expect(inline(5)).toEqual(["5"]);
    expect(inline(true)).toEqual(["1"]);
    expect(inline(["x,y"])).toEqual(["x,y"]);
  });

  it("reads numbers from strings with Go's ParseInt (base prefixes, underscores after a prefix)", () => {
    const count = (v: string) => {
      const r = decodeJSONConfig({ count: v }, SPEC);
      return r.errors.length > 0 ? r.errors : Number(attr(r.value, "count").asBigFloat().toString());
    };
    expect(count("42")).toBe(42);
    expect(count("-7")).toBe(-7);
    expect(count("+3")).toBe(3);
    expect(count("0x1F")).toBe(31);
    expect(count("0o17")).toBe(15);
    expect(count("017")).toBe(15);
    expect(count("0b101")).toBe(5);
    expect(count("0x_ff")).toBe(255);
    expect(count("")).toBe(0);
    expect(count("1.5")).toBe(1.5);
    expect(count("1_000")).toEqual([
      "cannot parse 'count' as int: strconv.ParseInt: parsing \"1_000\": invalid syntax",
    ]);
    expect(count(" 1")).toEqual([
      "cannot parse 'count' as int: strconv.ParseInt: parsing \" 1\": invalid syntax",
    ]);
  });

  it("reports decoding errors as mapstructure does, and unknown keys only when everything decoded", () => {
    const bad = decodeJSONConfig({ flag: "maybe", count: "x", bogus: 1 }, SPEC);
    expect(decodeErrorText(bad)).toBe(
      "2 error(s) decoding:\n\n* cannot parse 'count' as int: strconv.ParseInt: parsing \"x\": invalid syntax\n* cannot parse 'flag' as bool: strconv.ParseBool: parsing \"maybe\": invalid syntax",
    );
    const unknown = decodeJSONConfig({ bogus: 1, alsoBogus: 2 }, SPEC);
    expect(decodeErrorText(unknown)).toBe(
      "2 errors occurred:\n\t* unknown configuration key: '\"alsoBogus\"'\n\t* unknown configuration key: '\"bogus\"'\n\n",
    );
    expect(decodeErrorText(decodeJSONConfig({ count: 1 }, SPEC))).toBeUndefined();
  });
});

/** A component whose preparation reports every message in `problems` as an error. */
class Failing extends Recorder {
  constructor(private readonly problems: readonly string[]) {
    super("failing", SPEC);
  }
  override prepare(config: Value) {
    super.prepare(config);
    return {
      diagnostics: this.problems.map((summary) => ({ severity: "error" as const, summary })),
      generatedDataKeys: [],
    };
  }
}

describe("component preparation errors", () => {
  const catalogWith = (problems: readonly string[]): ComponentCatalog => ({
    ...testCatalog(),
    builders: componentSet({
      null: (() => new Recorder("builder", SPEC)) as () => unknown as () => Builder,
      failing: (() => new Failing(problems)) as () => unknown as () => Builder,
    }),
    postProcessors: componentSet({
      manifest: (() => new Failing(problems)) as () => unknown as () => PostProcessor,
    }),
  });

  async function prepareDetails(template: string, problems: readonly string[]) {
    const { dir, path } = tempTemplate(template);
    const loaded = loadJSONConfig({ path, env: {}, cwd: dir, coreVersion: "1.16.0" });
    await loaded.config!.initialize();
    const r = loaded.config!.getBuilds({ catalog: catalogWith(problems), runUuid: "u" });
    return r.diagnostics.map((d) => [d.summary, d.detail]);
  }

  it("reads like the SDK's MultiError for a component's own checks", async () => {
    expect(
      await prepareDetails('{"builders":[{"type":"failing"}]}', ["Image must be specified", "b"]),
    ).toEqual([
      ['Failed to prepare build: "failing"', "2 error(s) occurred:\n\n* Image must be specified\n* b"],
    ]);
    expect(
      await prepareDetails('{"builders":[{"type":"null"}],"post-processors":["manifest"]}', ["no"]),
    ).toEqual([['Failed to prepare build: "null"', "1 error(s) occurred:\n\n* no"]]);
  });

  it("reads like mapstructure's error when a value cannot be decoded", async () => {
    expect(await prepareDetails('{"builders":[{"type":"null","flag":"maybe","bogus":1}]}', [])).toEqual([
      [
        'Failed to prepare build: "null"',
        "1 error(s) decoding:\n\n* cannot parse 'flag' as bool: strconv.ParseBool: parsing \"maybe\": invalid syntax",
      ],
    ]);
  });
});
