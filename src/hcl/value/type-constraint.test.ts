import { describe, expect, it } from "vitest";
import { convert } from "./convert.js";
import {
  applyDefaults,
  collectionDefaults,
  convertToConstraint,
  structuredDefaults,
  type TypeDefaults,
} from "./type-constraint.js";
import { listType, mapType, numberType, objectType, stringType, typeString } from "./types.js";
import {
  listVal,
  mapVal,
  nullVal,
  numberIntVal,
  objectVal,
  SENSITIVE,
  stringVal,
  tupleVal,
  unknownVal,
  type Value,
  valueGoString,
} from "./value.js";

// object({name=string, port=optional(number, 22), tags=optional(list(string))})
const serverType = objectType({ name: stringType, port: numberType, tags: listType(stringType) }, [
  "port",
  "tags",
]);
const serverDefaults = structuredDefaults(
  serverType,
  new Map([["port", numberIntVal(22)]]),
  new Map(),
) as TypeDefaults;

describe("applyDefaults", () => {
  it("fills absent and null optional attributes", () => {
    const v = applyDefaults(serverDefaults, objectVal({ name: stringVal("a") }));
    expect(valueGoString(v)).toBe(
      'cty.ObjectVal(map[string]cty.Value{"name":cty.StringVal("a"), "port":cty.NumberIntVal(22)})',
    );
    const n = applyDefaults(serverDefaults, objectVal({ name: stringVal("a"), port: nullVal(numberType) }));
    expect(n.asValueMap().get("port")!.asNumber()).toBe(22);
  });

  it("keeps given values", () => {
    const v = applyDefaults(serverDefaults, objectVal({ name: stringVal("a"), port: numberIntVal(80) }));
    expect(v.asValueMap().get("port")!.asNumber()).toBe(80);
  });

  it("leaves null and unknown values alone", () => {
    expect(applyDefaults(serverDefaults, nullVal(serverType)).isNull()).toBe(true);
    expect(applyDefaults(serverDefaults, unknownVal(serverType)).isKnown()).toBe(false);
  });

  it("applies element defaults inside collections", () => {
    const listDefaults = collectionDefaults(listType(serverType), serverDefaults)!;
    const v = applyDefaults(
      listDefaults,
      tupleVal([objectVal({ name: stringVal("a") }), objectVal({ name: stringVal("b") })]),
    );
    const converted = convert(v, listType(serverType));
    expect(converted.ok).toBe(true);
    if (converted.ok) {
      expect(converted.value.asValueSlice().map((e) => e.asValueMap().get("port")!.asNumber())).toEqual([
        22, 22,
      ]);
    }
    const mapDefaults = collectionDefaults(mapType(serverType), serverDefaults)!;
    const m = applyDefaults(
      mapDefaults,
      mapVal({ x: objectVal({ name: stringVal("a"), port: numberIntVal(1) }) }),
    );
    expect(typeString(m.type)).toBe("map(object({name=string,port=number}))");
  });

  it("applies nested defaults inside a default value", () => {
    const inner = objectType({ n: numberType }, ["n"]);
    const innerDefaults = structuredDefaults(inner, new Map([["n", numberIntVal(1)]]), new Map())!;
    const outer = objectType({ o: inner }, ["o"]);
    const outerDefaults = structuredDefaults(
      outer,
      new Map([["o", objectVal({})]]),
      new Map([["o", innerDefaults]]),
    )!;
    const v = applyDefaults(outerDefaults, objectVal({}));
    expect(valueGoString(v)).toBe(
      'cty.ObjectVal(map[string]cty.Value{"o":cty.ObjectVal(map[string]cty.Value{"n":cty.NumberIntVal(1)})})',
    );
  });

  it("keeps marks", () => {
    const v = applyDefaults(serverDefaults, objectVal({ name: stringVal("a") }).mark(SENSITIVE));
    expect(v.hasMark(SENSITIVE)).toBe(true);
  });

  it("builds nothing when there is nothing to default", () => {
    expect(structuredDefaults(serverType, new Map(), new Map())).toBeUndefined();
    expect(collectionDefaults(listType(stringType), undefined)).toBeUndefined();
  });
});

describe("convertToConstraint", () => {
  const constraint = { type: serverType, defaults: serverDefaults };

  it("applies defaults then converts", () => {
    const r = convertToConstraint(objectVal({ name: stringVal("a") }), constraint);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(valueGoString(r.value)).toBe(
        'cty.ObjectVal(map[string]cty.Value{"name":cty.StringVal("a"), "port":cty.NumberIntVal(22), "tags":cty.NullVal(cty.List(cty.String))})',
      );
    }
  });

  it("reports missing required attributes", () => {
    const r = convertToConstraint(objectVal({ port: numberIntVal(1) }), constraint);
    expect(r.ok ? "" : r.error.message).toBe('attribute "name" is required');
  });

  it("passes null through", () => {
    const r = convertToConstraint(nullVal(serverType), constraint);
    expect(r.ok && r.value.isNull()).toBe(true);
  });

  it("works without defaults", () => {
    const r = convertToConstraint(listVal([numberIntVal(1)]) as Value, { type: listType(stringType) });
    expect(r.ok && r.value.asValueSlice()[0]!.asString()).toBe("1");
  });
});
