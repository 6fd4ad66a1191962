import { describe, expect, it } from "vitest";
import {
  boolType,
  listType,
  listVal,
  mapType,
  nullVal,
  numberIntVal,
  objectVal,
  SENSITIVE,
  stringType,
  stringVal,
  unknownVal,
} from "../../../hcl/index.js";
import { decodePluginConfig, PACKER_CONFIG_SPEC, placeholderData, toPlainObject } from "./plugin-config.js";
import { testBuildInfo } from "./test-support.js";

describe("plugin configuration decoding", () => {
  it("turns values into plain data: marks dropped, nulls left out, unknowns as Packer's placeholders", () => {
    const config = objectVal({
      a: stringVal("x").mark(SENSITIVE),
      b: nullVal(stringType),
      c: unknownVal(stringType),
      d: unknownVal(listType(stringType)),
      e: listVal([stringVal("1"), unknownVal(stringType)]),
      f: unknownVal(boolType),
      g: numberIntVal(5),
      h: unknownVal(mapType(stringType)),
    });
    expect(toPlainObject(config)).toEqual({
      a: "x",
      c: "<unknown>",
      d: [],
      e: ["1", "<unknown>"],
      f: false,
      g: 5,
      h: {},
    });
  });

  it("renders templates with the build's context and leaves excluded keys raw", () => {
    const spec = {
      ...PACKER_CONFIG_SPEC,
      a: { kind: "attribute", type: stringType },
      b: { kind: "attribute", type: stringType },
    } as const;
    const info = testBuildInfo({ buildName: "web", builderType: "docker", userVariables: { v: "1" } });
    const { reader, failed } = decodePluginConfig(
      objectVal({ a: stringVal("{{build_name}}-{{build_type}}-{{user `v`}}"), b: stringVal("{{.Path}}") }),
      spec,
      info,
      { exclude: ["b"] },
    );
    expect(failed).toBe(false);
    expect(reader.string("a")).toBe("web-docker-1");
    expect(reader.string("b")).toBe("{{.Path}}");
  });

  it("gives placeholders only to provisioners and post-processors of JSON templates", () => {
    const spec = { a: { kind: "attribute", type: stringType } } as const;
    const config = objectVal({ a: stringVal("{{ build `ID` }} {{ build `ImageSha256` }} {{ .Nope }}") });
    const json = testBuildInfo({ templatePath: "/t.json" });
    const r = decodePluginConfig(config, spec, json, { placeholders: true });
    expect(r.reader.string("a")).toBe("{{.ID}} {{.ImageSha256}} <no value>");
    const builder = decodePluginConfig(config, spec, json);
    expect(builder.failed).toBe(true);
    expect(builder.reader.diagnostics[0]?.summary).toMatch(
      /^render 'a': template: root:1:3: executing "root" at <build `ID`>/,
    );
    expect(placeholderData().entries.get("PackerRunUUID")).toMatch(
      /^Build_PackerRunUUID\. To set this dynamically/,
    );
  });
});
