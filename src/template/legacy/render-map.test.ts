import { describe, expect, it } from "vitest";
import { renderInterface, renderMap, validateInterface } from "./render-map.js";

const ctx = { userVariables: { region: "eu-west-1", name: "web" } };

describe("renderMap", () => {
  it("renders nested strings and keys of the selected entries", () => {
    const r = renderMap(
      {
        ami_name: "{{user `name`}}-{{user `region`}}",
        tags: { "{{user `name`}}-tag": ["{{user `region`}}", 3, true, null] },
        execute_command: "chmod +x {{.Path}}; {{.Vars}} {{.Path}}",
        count: 2,
      },
      ctx,
      { exclude: ["Execute_Command"] },
    );
    expect(r).toEqual({
      value: {
        ami_name: "web-eu-west-1",
        tags: { "web-tag": ["eu-west-1", 3, true, null] },
        execute_command: "chmod +x {{.Path}}; {{.Vars}} {{.Path}}",
        count: 2,
      },
    });
  });

  it("renders only included keys when an include list is given", () => {
    const r = renderMap({ a: "{{user `name`}}", b: "{{user `name`}}" }, ctx, { include: ["B"] });
    expect(r).toEqual({ value: { a: "{{user `name`}}", b: "web" } });
  });

  it("validates excluded entries too", () => {
    const r = renderMap({ execute_command: "{{ .Path" }, ctx, { exclude: ["execute_command"] });
    expect(r).toEqual({
      error: "invalid 'execute_command': template: root:1: unclosed action in:\n\n{{ .Path",
    });
  });

  it("names the entry whose rendering fails", () => {
    const r = renderMap({ ok: "x", bad: { inner: ["{{split `a` `-` 2}}"] } }, ctx);
    expect(r).toEqual({
      error:
        "render 'bad': template: root:1:2: executing \"root\" at <split `a` `-` 2>: error calling split: the substring 2 was unavailable using the separator value, -, only 1 values were found in:\n\n{{split `a` `-` 2}}",
    });
  });
});

describe("renderInterface / validateInterface", () => {
  it("walks arrays and objects and leaves other values alone", () => {
    expect(renderInterface(["{{user `region`}}", { k: 1 }, 2.5], ctx)).toEqual({
      value: ["eu-west-1", { k: 1 }, 2.5],
    });
    expect(renderInterface("{{upper `a`}}")).toEqual({ value: "A" });
    expect(validateInterface({ a: ["{{ok"] })).toBe(
      'template: root:1: function "ok" not defined in:\n\n{{ok',
    );
    expect(validateInterface({ a: ["{{upper `x`}}"] })).toBeNull();
  });
});
