import { describe, expect, it } from "vitest";
import { rawEquals } from "./equality.js";
import {
  decodeJSONWithImpliedType,
  impliedTypeFromJSON,
  typeFromJSON,
  typeToJSON,
  valueFromJSON,
  valueToJSON,
} from "./json.js";
import { divide } from "./number-ops.js";
import { setVal } from "./set.js";
import {
  boolType,
  dynamicType,
  listType,
  mapType,
  numberType,
  objectType,
  setType,
  stringType,
  type Type,
  tupleType,
  typeEquals,
  typeString,
} from "./types.js";
import {
  boolVal,
  listVal,
  mapVal,
  nullVal,
  numberIntVal,
  objectVal,
  parseNumberVal,
  SENSITIVE,
  stringVal,
  tupleVal,
  unknownVal,
  type Value,
  valueGoString,
} from "./value.js";

function num(s: string): Value {
  const r = parseNumberVal(s);
  if (!r.ok) throw new Error(s);
  return r.value;
}

function encode(v: Value, t?: Type): string {
  const r = valueToJSON(v, t);
  if (!r.ok) throw new Error(r.error.message);
  return r.json;
}

function decodeError(text: string): string {
  const r = decodeJSONWithImpliedType(text);
  if (r.ok) throw new Error(`decoded ${valueGoString(r.value)}`);
  return r.error.message;
}

describe("valueToJSON (jsonencode)", () => {
  it("encodes like Packer", () => {
    expect(encode(objectVal({ b: numberIntVal(1), a: tupleVal([boolVal(true), nullVal(stringType)]) }))).toBe(
      '{"a":[true,null],"b":1}',
    );
    expect(
      encode(objectVal({ x: tupleVal([numberIntVal(1), stringVal("a"), boolVal(true)]), y: objectVal({}) })),
    ).toBe('{"x":[1,"a",true],"y":{}}');
    expect(encode(tupleVal([]))).toBe("[]");
    expect(encode(nullVal(dynamicType))).toBe("null");
  });

  it("prints numbers exactly", () => {
    const third = divide(num("1"), num("3"));
    expect(third.ok && encode(third.value)).toBe(
      "0.33333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333335",
    );
    expect(encode(num("1e30"))).toBe("1000000000000000000000000000000");
    expect(encode(num("1e-7"))).toBe("0.0000001");
    expect(encode(num("-0"))).toBe("-0");
  });

  it("escapes strings as Go does", () => {
    expect(encode(stringVal('<a&b>\u2028é\u0001\t\b\f"\\'))).toBe(
      '"\\u003ca\\u0026b\\u003e\\u2028é\\u0001\\t\\b\\f\\"\\\\"',
    );
  });

  it("encodes sets and maps", () => {
    expect(encode(setVal([stringVal("b"), stringVal("a")]))).toBe('["a","b"]');
    expect(encode(mapVal({ z: stringVal("1"), a: stringVal("2") }))).toBe('{"a":"2","z":"1"}');
  });

  it("wraps values for a dynamic target type", () => {
    expect(encode(stringVal("x"), dynamicType)).toBe('{"value":"x","type":"string"}');
  });

  it("refuses unknown, marked and infinite values", () => {
    const e = (v: Value) => {
      const r = valueToJSON(v);
      return r.ok ? "" : r.error.message;
    };
    expect(e(unknownVal(stringType))).toBe("value is not known");
    expect(e(listVal([stringVal("a").mark(SENSITIVE)]))).toBe(
      "value has marks, so it cannot be serialized as JSON",
    );
    const inf = divide(num("1"), num("0"));
    expect(inf.ok && e(inf.value)).toBe("cannot serialize infinity as JSON");
  });
});

describe("impliedTypeFromJSON", () => {
  const implied = (s: string) => {
    const r = impliedTypeFromJSON(s);
    return r.ok ? typeString(r.type) : `ERR ${r.error.message}`;
  };
  it("maps JSON to object, tuple and primitive types", () => {
    expect(implied('{"a":[1,"x",true,null],"b":{}}')).toBe(
      "object({a=tuple([number,string,bool,any]),b=object({})})",
    );
    expect(implied("[]")).toBe("tuple([])");
    expect(implied(" 12 ")).toBe("number");
  });
});

describe("decodeJSONWithImpliedType (jsondecode)", () => {
  it("decodes documents", () => {
    const r = decodeJSONWithImpliedType('{"a":[1,{"b":null}],"c":"\\u00e9\\ud83d\\ude00"}');
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(encode(r.value)).toBe('{"a":[1,{"b":null}],"c":"é😀"}');
    }
    const dup = decodeJSONWithImpliedType('{"a":1,"a":2}');
    expect(dup.ok && encode(dup.value)).toBe('{"a":2}');
    const lone = decodeJSONWithImpliedType('"\\ud800"');
    expect(lone.ok && lone.value.asString()).toBe("\ufffd");
    const trailing = decodeJSONWithImpliedType("[1] ]");
    expect(trailing.ok && encode(trailing.value)).toBe("[1]");
    const big = decodeJSONWithImpliedType("[1e400, 0.1, -0, 1.50]");
    expect(big.ok && encode(big.value)).toBe(`[1${"0".repeat(400)},0.1,-0,1.5]`);
  });

  it("reports Go's errors exactly as Packer shows them", () => {
    expect(decodeError('{"a": 1')).toBe("EOF");
    expect(decodeError("")).toBe("EOF");
    expect(decodeError("  ")).toBe("EOF");
    expect(decodeError("[1,2")).toBe("EOF");
    expect(decodeError("[1,]")).toBe("invalid character ']' looking for beginning of value");
    expect(decodeError("x")).toBe("invalid character 'x' looking for beginning of value");
    expect(decodeError("1 2")).toBe("extraneous data after JSON object");
    expect(decodeError('{"a" 1}')).toBe("invalid character '1' after object key");
    expect(decodeError('{"a":1,}')).toBe("invalid character '}' looking for beginning of object key string");
    expect(decodeError("[1 2]")).toBe("invalid character '2' after array element");
    expect(decodeError("tru")).toBe("unexpected EOF");
    expect(decodeError("trux")).toBe("invalid character 'x' in literal true (expecting 'e')");
    expect(decodeError('"abc')).toBe("unexpected EOF");
    expect(decodeError("[-]")).toBe("invalid character ']' in numeric literal");
    expect(decodeError("[1.]")).toBe("invalid character ']' after decimal point in numeric literal");
    expect(decodeError("[1e]")).toBe("invalid character ']' in exponent of numeric literal");
    expect(decodeError("{1:2}")).toBe("invalid character '1'");
    expect(decodeError('"\\x"')).toBe("invalid character 'x' in string escape code");
    expect(decodeError("[01]")).toBe("invalid character '1' after array element");
    expect(decodeError("nul")).toBe("unexpected EOF");
  });
});

describe("valueFromJSON with a given type", () => {
  const decode = (s: string, t: Type) => {
    const r = valueFromJSON(s, t);
    return r.ok ? valueGoString(r.value) : `ERR ${r.error.message}`;
  };

  it("converts primitives leniently like cty", () => {
    expect(decode('"12"', numberType)).toBe("cty.NumberIntVal(12)");
    expect(decode("12", stringType)).toBe('cty.StringVal("12")');
    expect(decode("true", stringType)).toBe('cty.StringVal("true")');
    expect(decode('"true"', boolType)).toBe("cty.True");
    expect(decode("[]", numberType)).toBe("ERR number is required");
    expect(decode('"x"', numberType)).toBe("ERR a number is required");
    expect(decode("null", listType(stringType))).toBe("cty.NullVal(cty.List(cty.String))");
  });

  it("decodes collections and structures", () => {
    expect(decode('["b","a","b"]', setType(stringType))).toBe(
      'cty.SetVal([]cty.Value{cty.StringVal("a"), cty.StringVal("b")})',
    );
    expect(decode("[]", listType(stringType))).toBe("cty.ListValEmpty(cty.String)");
    expect(decode('{"k":1}', mapType(numberType))).toBe(
      'cty.MapVal(map[string]cty.Value{"k":cty.NumberIntVal(1)})',
    );
    expect(decode('{"a":1}', objectType({ a: numberType, b: stringType }))).toBe(
      'cty.ObjectVal(map[string]cty.Value{"a":cty.NumberIntVal(1), "b":cty.NullVal(cty.String)})',
    );
    expect(decode('{"c":1}', objectType({ a: numberType }))).toBe('ERR unsupported attribute "c"');
    expect(decode("[1,2]", tupleType([numberType]))).toBe("ERR too many tuple elements (need 1)");
    expect(decode("[1]", tupleType([numberType, numberType]))).toBe("ERR not enough tuple elements (need 2)");
    expect(decode('{"value":[1],"type":["list","number"]}', dynamicType)).toBe(
      "cty.ListVal([]cty.Value{cty.NumberIntVal(1)})",
    );
  });

  it("round-trips values through JSON", () => {
    const values: Value[] = [
      objectVal({
        a: listVal([num("0.1"), num("1e100")]),
        b: mapVal({ x: boolVal(false) }),
        c: stringVal("é\n\u2028"),
      }),
      setVal([num("3"), num("-1")]),
      tupleVal([stringVal("a"), nullVal(numberType)]),
    ];
    for (const v of values) {
      const r = valueFromJSON(encode(v), v.type);
      expect(r.ok && rawEquals(r.value, v)).toBe(true);
    }
  });
});

describe("types as JSON", () => {
  it("round-trips cty's type notation", () => {
    const t = objectType(
      { a: listType(numberType), b: tupleType([stringType, dynamicType]), c: setType(boolType) },
      ["c"],
    );
    const j = typeToJSON(t);
    expect(j).toBe(
      '["object",{"a":["list","number"],"b":["tuple",["string","dynamic"]],"c":["set","bool"]},["c"]]',
    );
    const back = typeFromJSON(j);
    expect(back.ok && typeEquals(back.type, t)).toBe(true);
    expect(typeFromJSON('"nope"').ok).toBe(false);
  });
});
