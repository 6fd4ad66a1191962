import { describe, expect, it } from "vitest";
import {
  listVal,
  mapVal,
  numberIntVal,
  objectVal,
  SENSITIVE,
  stringType,
  stringVal,
  unknownVal,
  valueFromNative,
} from "../hcl/index.js";
import { ConfigReader } from "./config-reader.js";

describe("ConfigReader", () => {
  it("reads scalars, lists and maps, treating null and absent alike", () => {
    const r = new ConfigReader(
      valueFromNative({ s: "x", b: true, n: 22, l: ["a", "b"], m: { k: "v" }, nothing: null, codes: [0, 2] }),
    );
    expect(r.string("s")).toBe("x");
    expect(r.bool("b")).toBe(true);
    expect(r.int("n")).toBe(22);
    expect(r.stringList("l")).toEqual(["a", "b"]);
    expect(r.stringMap("m")).toEqual({ k: "v" });
    expect(r.intList("codes")).toEqual([0, 2]);
    expect(r.string("nothing")).toBeUndefined();
    expect(r.string("absent")).toBeUndefined();
    expect(r.has("s")).toBe(true);
    expect(r.has("nothing")).toBe(false);
    expect(r.diagnostics).toEqual([]);
  });

  it("converts like mapstructure's weak decoding and reports mismatches", () => {
    const r = new ConfigReader(
      valueFromNative({ port: "2222", flag: "true", num: 1.5, list: "x", whole: 2.5 }),
    );
    expect(r.int("port")).toBe(2222);
    expect(r.bool("flag")).toBe(true);
    expect(r.string("num")).toBe("1.5");
    expect(r.stringList("list")).toBeUndefined();
    expect(r.int("whole")).toBeUndefined();
    expect(r.diagnostics.map((d) => d.summary)).toEqual([
      "'list' expected a list",
      "'whole' expected a whole number",
    ]);
  });

  it("drops marks and treats unknown values as absent", () => {
    const r = new ConfigReader(
      objectVal({
        secret: stringVal("pw").mark(SENSITIVE),
        later: unknownVal(stringType),
        list: listVal([stringVal("a").mark(SENSITIVE)]),
        m: mapVal({ a: numberIntVal(1) }),
      }),
    );
    expect(r.string("secret")).toBe("pw");
    expect(r.string("later")).toBeUndefined();
    expect(r.isUnknown("later")).toBe(true);
    expect(r.stringList("list")).toEqual(["a"]);
    expect(r.stringMap("m")).toEqual({ a: "1" });
  });

  it("parses Go durations with mapstructure's error text", () => {
    const r = new ConfigReader(valueFromNative({ ok: "1m30s", bad: "5 minutes" }));
    expect(r.duration("ok")?.milliseconds).toBe(90_000);
    expect(r.duration("bad")).toBeUndefined();
    expect(r.diagnostics[0]?.summary).toBe(
      `error decoding 'bad': time: unknown unit " minutes" in duration "5 minutes"`,
    );
  });
});
