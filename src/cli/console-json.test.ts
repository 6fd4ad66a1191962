import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLegacyConsole, openLegacyConsole, readLegacyTemplateVariables } from "./console-json.js";

let dir = "";
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "kiln-console-json-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function open(path: string, vars: Record<string, string> = {}, varFiles: string[] = []) {
  const secrets: string[] = [];
  const result = openLegacyConsole({
    path,
    vars: new Map(Object.entries(vars)),
    varFiles,
    env: {},
    cwd: dir,
    packerVersion: "1.16.0",
    secrets: { add: (...s) => secrets.push(...s) },
    signal: new AbortController().signal,
  });
  return { result, secrets };
}

describe("createLegacyConsole", () => {
  it("renders until the output is stable and lists variables in name order", () => {
    const ev = createLegacyConsole({ userVariables: { b: "2", a: "{{user `b`}}" }, packerVersion: "1.16.0" });
    expect(ev.evaluate("{{user `a`}}").output).toBe("2");
    expect(ev.evaluate("{{packer_version}}").output).toBe("1.16.0");
    expect(ev.evaluate("variables").output).toBe("\na: {{user `b`}},\nb: 2,\n");
    expect(ev.evaluate("exit").exit).toBe(true);
    const bad = ev.evaluate("{{");
    expect(bad.output).toBeUndefined();
    expect(bad.diagnostics[0]?.summary).toBe("Interpolation error");
    expect(bad.diagnostics[0]?.detail).toMatch(/^template: root:1: /);
  });
});

describe("openLegacyConsole", () => {
  it("leaves template defaults out while a required variable is unset, as Packer does", async () => {
    writeFileSync(join(dir, "t.json"), JSON.stringify({ variables: { r: null, d: "dv" } }));
    const unset = await open("t.json", { other: "o" }).result;
    expect("evaluator" in unset && unset.evaluator.evaluate("variables").output).toBe("\nother: o,\n");
    const set = await open("t.json", { r: "1" }).result;
    expect("evaluator" in set && set.evaluator.evaluate("{{user `d`}}/{{user `r`}}").output).toBe("dv/1");
  });

  it("registers the values of sensitive variables as secrets", async () => {
    writeFileSync(
      join(dir, "t.json"),
      JSON.stringify({ variables: { k: "key" }, "sensitive-variables": ["k"] }),
    );
    const { result, secrets } = open("t.json");
    await result;
    expect(secrets).toEqual(["key"]);
  });

  it("reads -var-file objects of strings; a later file wins, null reads as empty", async () => {
    writeFileSync(join(dir, "1.json"), JSON.stringify({ a: "1", b: "1" }));
    writeFileSync(join(dir, "2.json"), JSON.stringify({ b: "2", c: null }));
    const r = await open("", {}, ["1.json", "2.json"]).result;
    expect("evaluator" in r && r.evaluator.evaluate("{{user `a`}}{{user `b`}}[{{user `c`}}]").output).toBe(
      "12[]",
    );
  });

  it("fails with Packer's messages for bad -var-file contents", async () => {
    writeFileSync(join(dir, "arr.json"), "[]");
    writeFileSync(join(dir, "bool.json"), '{"a": true}');
    expect(await open("", {}, ["missing.json"]).result).toEqual({
      error: "open missing.json: no such file or directory",
    });
    expect(await open("", {}, ["arr.json"]).result).toEqual({
      error:
        "Error reading variables in 'arr.json': json: cannot unmarshal array into Go value of type map[string]string",
    });
    expect(await open("", {}, ["bool.json"]).result).toEqual({
      error:
        "Error reading variables in 'bool.json': json: cannot unmarshal bool into Go value of type string",
    });
  });
});

describe("readLegacyTemplateVariables", () => {
  it("rejects variables that are not strings or null, like Packer's template parser", () => {
    const path = join(dir, "t.json");
    writeFileSync(path, JSON.stringify({ variables: { n: 5 } }));
    expect(readLegacyTemplateVariables(path)).toEqual({
      error:
        "1 error occurred:\n\t* variable n: '' expected type 'string', got unconvertible type 'float64', value: '5'\n\n",
    });
  });
});
