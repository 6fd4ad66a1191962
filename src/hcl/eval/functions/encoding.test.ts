import { describe, expect, it } from "vitest";
import {
  dynamicType,
  formatValueHCL,
  listValOf,
  nullVal,
  numberIntVal,
  objectVal,
  parseNumberVal,
  SENSITIVE,
  setValOf,
  stringType,
  stringVal,
  tupleVal,
  unknownVal,
  type Value,
  valueFromNative,
} from "../../value/index.js";
import { callFunction } from "../call.js";
import { encodingFunctions } from "./encoding.js";

/** The call's result as `packer console` prints it, or the diagnostic detail Packer shows for an error. */
function run(name: string, ...args: Value[]): string {
  const spec = encodingFunctions[name];
  if (spec === undefined) throw new Error(`no function ${name}`);
  const r = callFunction(spec, args);
  if (r.ok) return formatValueHCL(r.value);
  if (r.kind === "arg") return `Invalid value for "${r.paramName}" parameter: ${r.message}.`;
  if (r.kind === "call") return `Call to function "${name}" failed: ${r.message}.`;
  return `arity ${r.given}/${r.expected}`;
}
const s = (x: string) => stringVal(x);
function num(x: string): Value {
  const r = parseNumberVal(x);
  if (!r.ok) throw new Error(x);
  return r.value;
}

// Expectations are what Packer 1.6.6 printed for the same calls, or (for functions it lacks and for cty 1.13
// behaviour) what the Go implementations return.
describe("base64decode / base64encode", () => {
  it("round-trips UTF-8", () => {
    expect(run("base64decode", s("aGVsbG8="))).toBe("hello");
    expect(run("base64encode", s("héllo ☃"))).toBe("aMOpbGxvIOKYgw==");
    expect(run("base64encode", s("é"))).toBe("w6k=");
    expect(run("base64encode", s(""))).toBe("");
    expect(run("base64decode", s(""))).toBe("");
  });
  it("ignores line breaks but nothing else", () => {
    expect(run("base64decode", s("aGVs\nbG8="))).toBe("hello");
    expect(run("base64decode", s(" aGVsbG8="))).toBe(
      `Call to function "base64decode" failed: failed to decode base64 data ' aGVsbG8='.`,
    );
    expect(run("base64decode", s("aGVsbG8"))).toBe(
      `Call to function "base64decode" failed: failed to decode base64 data 'aGVsbG8'.`,
    );
  });
  it("rejects results that are not UTF-8", () => {
    expect(run("base64decode", s("/w=="))).toBe(
      `Call to function "base64decode" failed: the result of decoding the the provided string is not valid UTF-8.`,
    );
  });
  it("rejects null and propagates unknown and sensitive", () => {
    expect(run("base64encode", nullVal(stringType))).toBe(
      `Invalid value for "str" parameter: argument must not be null.`,
    );
    expect(run("base64encode", unknownVal(stringType))).toBe("<unknown>");
    const r = callFunction(encodingFunctions.base64encode!, [s("x").mark(SENSITIVE)]);
    expect(r.ok && r.value.hasMark(SENSITIVE)).toBe(true);
  });
});

describe("base64gzip", () => {
  it("matches Packer's gzip framing (Go test vectors)", () => {
    expect(run("base64gzip", s("test"))).toBe("H4sIAAAAAAAA/ypJLS4BAAAA//8BAAD//wx+f9gEAAAA");
    expect(run("base64gzip", s("helloworld"))).toBe("H4sIAAAAAAAA/8pIzcnJL88vykkBAAAA//8BAAD//60g6/kKAAAA");
  });
  it("decompresses to the input", async () => {
    const { gunzipSync } = await import("node:zlib");
    const text = "line\n".repeat(500);
    const out = run("base64gzip", s(text));
    expect(gunzipSync(Buffer.from(out, "base64")).toString("utf8")).toBe(text);
  });
});

describe("textencodebase64 / textdecodebase64", () => {
  it("encodes to IANA encodings", () => {
    expect(run("textencodebase64", s("Hello World"), s("UTF-16LE"))).toBe("SABlAGwAbABvACAAVwBvAHIAbABkAA==");
    expect(run("textencodebase64", s("Hello World"), s("utf-16"))).toBe("/v8ASABlAGwAbABvACAAVwBvAHIAbABk");
    expect(run("textencodebase64", s("Hello World"), s("UTF-16BE"))).toBe("AEgAZQBsAGwAbwAgAFcAbwByAGwAZA==");
    expect(run("textencodebase64", s("abc"), s(" Latin1 "))).toBe("YWJj");
    expect(run("textencodebase64", s("Ünïcödé €"), s("windows-1252"))).toBe("3G7vY/Zk6SCA");
    expect(run("textencodebase64", s("Ünïcödé"), s("ISO-8859-1"))).toBe("3G7vY/Zk6Q==");
    expect(run("textencodebase64", s("日本語"), s("Shift_JIS"))).toBe("k/qWe4zq");
    expect(run("textencodebase64", s("日本語"), s("euc-jp"))).toBe("xvzL3Ljs");
    expect(run("textencodebase64", s("中文"), s("GBK"))).toBe("1tDOxA==");
    expect(run("textencodebase64", s("中文"), s("gb18030"))).toBe("1tDOxA==");
    expect(run("textencodebase64", s("한국어"), s("euc-kr"))).toBe("x9Gxub7u");
    expect(run("textencodebase64", s("中文"), s("big5"))).toBe("pKSk5Q==");
    expect(run("textencodebase64", s("abc"), s("us-ascii"))).toBe("YWJj");
    expect(run("textencodebase64", s("abc"), s("IBM037"))).toBe("gYKD");
    expect(run("textencodebase64", s("𝄞"), s("utf-16le"))).toBe("NNge3Q==");
  });
  it("reports characters the encoding cannot represent", () => {
    expect(run("textencodebase64", s("🤔"), s("cp437"))).toBe(
      `Invalid value for "string" parameter: the given string contains characters that cannot be represented in IBM437.`,
    );
    expect(run("textencodebase64", s("é"), s("us-ascii"))).toBe(
      `Invalid value for "string" parameter: the given string contains characters that cannot be represented in US-ASCII.`,
    );
    expect(run("textencodebase64", s("€"), s("cp850"))).toBe(
      `Invalid value for "string" parameter: the given string contains characters that cannot be represented in IBM850.`,
    );
  });
  it("rejects unknown or unsupported encodings", () => {
    expect(run("textencodebase64", s("abc"), s("foo"))).toBe(
      `Invalid value for "encoding" parameter: "foo" is not a supported IANA encoding name or alias.`,
    );
    expect(run("textencodebase64", s("abc"), s("utf-32"))).toBe(
      `Invalid value for "encoding" parameter: "utf-32" is not a supported IANA encoding name or alias.`,
    );
    expect(run("textdecodebase64", s("YWJj"), s("foo"))).toBe(
      `Invalid value for "encoding" parameter: "foo" is not a supported IANA encoding name or alias.`,
    );
  });
  it("decodes, honouring byte order marks only for UTF-16", () => {
    expect(run("textdecodebase64", s("SABlAGwAbABvACAAVwBvAHIAbABkAA=="), s("UTF-16LE"))).toBe("Hello World");
    expect(run("textdecodebase64", s("/v8ASABp"), s("UTF-16"))).toBe("Hi");
    expect(run("textdecodebase64", s("//5IAGkA"), s("UTF-16"))).toBe("Hi");
    expect(run("textdecodebase64", s("AEgAaQ=="), s("UTF-16"))).toBe("Hi");
    expect(run("textdecodebase64", s("/v8ASABp"), s("UTF-16BE"))).toBe("\ufeffHi");
    expect(run("textdecodebase64", s("gQ=="), s("cp437"))).toBe("ü");
    expect(run("textdecodebase64", s("iKA="), s("shift_jis"))).toBe("唖");
    expect(run("textdecodebase64", s("wcHB"), s("IBM037"))).toBe("AAA");
    expect(run("textdecodebase64", s("QUI="), s("utf-16le"))).toBe("䉁");
    expect(run("textdecodebase64", s(""), s("utf-8"))).toBe("");
  });
  it("reports undefined symbols and bad base64 with Go's offsets", () => {
    const undef = (enc: string) =>
      `Invalid value for "source" parameter: the given string contains symbols that are not defined for ${enc}.`;
    expect(run("textdecodebase64", s("gQ=="), s("windows-1252"))).toBe(undef("windows-1252"));
    expect(run("textdecodebase64", s("gA=="), s("us-ascii"))).toBe(undef("US-ASCII"));
    expect(run("textdecodebase64", s("/w=="), s("utf-8"))).toBe(undef("UTF-8"));
    expect(run("textdecodebase64", s("QQ=="), s("utf-16le"))).toBe(undef("UTF-16LE"));
    expect(run("textdecodebase64", s("77+9"), s("utf-8"))).toBe(undef("UTF-8"));
    const bad = (n: number) =>
      `Invalid value for "source" parameter: the given value is has an invalid base64 symbol at offset ${n}.`;
    expect(run("textdecodebase64", s("!!"), s("utf-8"))).toBe(bad(0));
    expect(run("textdecodebase64", s("YQ"), s("utf-8"))).toBe(bad(0));
    expect(run("textdecodebase64", s("YQ==x"), s("utf-8"))).toBe(bad(4));
    expect(run("textdecodebase64", s("YQ=\\="), s("utf-8"))).toBe(bad(2));
    expect(run("textdecodebase64", s("Y="), s("utf-8"))).toBe(bad(1));
  });
});

describe("urlencode", () => {
  it("escapes like url.QueryEscape", () => {
    expect(run("urlencode", s("a b&c=d/é~*'()!"))).toBe("a+b%26c%3Dd%2F%C3%A9~%2A%27%28%29%21");
    expect(run("urlencode", s("é +"))).toBe("%C3%A9+%2B");
    expect(run("urlencode", s(""))).toBe("");
  });
});

describe("jsonencode / jsondecode", () => {
  it("encodes compactly with HTML-safe escapes", () => {
    const v = valueFromNative({ a: 1, b: [true, null, "x"], c: "<&>" });
    expect(run("jsonencode", v)).toBe(`{"a":1,"b":[true,null,"x"],"c":"\\u003c\\u0026\\u003e"}`);
    expect(run("jsonencode", s("\u2028"))).toBe(`"\\u2028"`);
    expect(run("jsonencode", s("é\t\u0001"))).toBe(`"é\\t\\u0001"`);
    expect(run("jsonencode", num("1.5"))).toBe("1.5");
    expect(run("jsonencode", num("0.1"))).toBe("0.1");
    expect(run("jsonencode", num("12345678901234567890"))).toBe("12345678901234567890");
    expect(run("jsonencode", setValOf(stringType, [s("b"), s("a")]))).toBe(`["a","b"]`);
  });
  it("encodes null as null (cty 1.13) and unknown as unknown", () => {
    expect(run("jsonencode", nullVal(dynamicType))).toBe("null");
    expect(run("jsonencode", tupleVal([unknownVal(stringType)]))).toBe("<unknown>");
  });
  it("decodes with the implied type", () => {
    expect(run("jsondecode", s(`{"a":1,"b":[true,null,"x"]}`))).toBe(
      '{\n  "a" = 1\n  "b" = [\n    true,\n    null,\n    "x",\n  ]\n}',
    );
    expect(run("jsondecode", s(' "a" '))).toBe("a");
    expect(run("jsondecode", s("null"))).toBe("null");
    expect(run("jsondecode", s("[]"))).toBe("[]");
    expect(run("jsondecode", s("{}"))).toBe("{}");
    expect(run("jsondecode", s(`"\\ud83d\\ude00"`))).toBe("😀");
    expect(run("jsondecode", s("1e400"))).toBe("+Inf");
  });
  it("reports Go's JSON errors", () => {
    const err = (m: string) => `Call to function "jsondecode" failed: ${m}.`;
    expect(run("jsondecode", s("{"))).toBe(err("EOF"));
    expect(run("jsondecode", s(""))).toBe(err("EOF"));
    expect(run("jsondecode", s("1 2"))).toBe(err("extraneous data after JSON object"));
    expect(run("jsondecode", s("[1,]"))).toBe(err("invalid character ']' looking for beginning of value"));
    expect(run("jsondecode", s("nul"))).toBe(err("unexpected EOF"));
  });
  it("gives an unknown result for an unknown document", () => {
    expect(run("jsondecode", unknownVal(stringType))).toBe("<unknown>");
  });
});

describe("csvdecode", () => {
  it("decodes rows into objects keyed by the header", () => {
    expect(run("csvdecode", s("a,b\n1,2\n3,4"))).toBe(
      '[\n  {\n    "a" = "1"\n    "b" = "2"\n  },\n  {\n    "a" = "3"\n    "b" = "4"\n  },\n]',
    );
    expect(run("csvdecode", s("a,b"))).toBe("[]");
    expect(run("csvdecode", s("a,b\r\n1,2\r\n"))).toBe('[\n  {\n    "a" = "1"\n    "b" = "2"\n  },\n]');
    expect(run("csvdecode", s("a,b\n\n1,2\n"))).toBe('[\n  {\n    "a" = "1"\n    "b" = "2"\n  },\n]');
    expect(run("csvdecode", s('"a b",c\n"q""x","multi\nline"'))).toBe(
      '[\n  {\n    "a b" = "q\\"x"\n    "c" = "multi\\nline"\n  },\n]',
    );
    expect(run("csvdecode", s(" a , b \n 1 , 2 "))).toBe(
      '[\n  {\n    " a " = " 1 "\n    " b " = " 2 "\n  },\n]',
    );
  });
  it("reports problems as cty 1.13 does", () => {
    const err = (m: string) => `Call to function "csvdecode" failed: ${m}.`;
    expect(run("csvdecode", s(""))).toBe(err("missing header line"));
    expect(run("csvdecode", s("\n\n"))).toBe(err("missing header line"));
    expect(run("csvdecode", s("a,a\n1,2"))).toBe(err('duplicate column name "a"'));
    expect(run("csvdecode", s("a,b\n1,2,3"))).toBe(err("CSV parse error on line 2: wrong number of fields"));
    expect(run("csvdecode", s("a,b\n1"))).toBe(err("CSV parse error on line 2: wrong number of fields"));
    expect(run("csvdecode", s('a,"b\n1,2'))).toBe(
      err('CSV parse error on line 2: extraneous or missing " in quoted-field'),
    );
    expect(run("csvdecode", s('a,b\n"x"y,2'))).toBe(
      err('CSV parse error on line 2: extraneous or missing " in quoted-field'),
    );
    expect(run("csvdecode", s('a,b\nx"y,2'))).toBe(
      err('CSV parse error on line 2: bare " in non-quoted-field'),
    );
    expect(run("csvdecode", s('"a'))).toBe(
      err('CSV parse error on line 1: extraneous or missing " in quoted-field'),
    );
    expect(run("csvdecode", s('a,b\n1,"2'))).toBe(
      err('CSV parse error on line 2: extraneous or missing " in quoted-field'),
    );
  });
  it("has an unknown result type for an unknown document", () => {
    expect(run("csvdecode", unknownVal(stringType))).toBe("<unknown>");
  });
});

describe("yamldecode", () => {
  it("decodes mappings, sequences and flow collections", () => {
    expect(run("yamldecode", s("a: 1\nb: [x, 'y', \"z\"]\nc: {d: true}"))).toBe(
      '{\n  "a" = 1\n  "b" = [\n    "x",\n    "y",\n    "z",\n  ]\n  "c" = {\n    "d" = true\n  }\n}',
    );
  });
  it("resolves scalars as go-cty-yaml 1.0.1", () => {
    const src =
      "- 1\n- yes\n- off\n- 0x1F\n- 0b101\n- 1_000\n- .5\n- +1\n- 1e3\n- .inf\n- -.Inf\n- 2001-12-14\n- 2001-12-14t21:59:43.10-05:00\n- '1'\n- 012\n- 1.";
    expect(run("yamldecode", s(src))).toBe(
      "[\n" +
        [
          "1",
          "true",
          "false",
          '"0x1F"',
          "5",
          "1000",
          "0.5",
          "1",
          "1000",
          "+Inf",
          "-Inf",
          '"2001-12-14T00:00:00Z"',
          '"2001-12-14T21:59:43-05:00"',
          '"1"',
          "12",
          "1",
        ]
          .map((x) => `  ${x},\n`)
          .join("") +
        "]",
    );
    const tagged =
      "- !!int 0b101\n- -0b11\n- 0o17\n- !!int 0o17\n- !!int 017\n- !!float 1_0.5\n- 1e\n- +.5\n- -.5e3\n- 0xFFFFFFFFFFFFFFFFF\n- !!int 0xFFFFFFFFFFFFFFFF";
    expect(run("yamldecode", s(tagged))).toBe(
      "[\n" +
        [
          "5",
          "-3",
          '"0o17"',
          "15",
          "17",
          "10.5",
          '"1e"',
          "0.5",
          "-500",
          '"0xFFFFFFFFFFFFFFFFF"',
          "1.8446744073709552e+19",
        ]
          .map((x) => `  ${x},\n`)
          .join("") +
        "]",
    );
    expect(
      run(
        "yamldecode",
        s("- 2001-12-14 21:59:43.10\n- 2001-12-14T21:59:43Z\n- 2001-1-2\n- 20011-12-14\n- 2001-13-14"),
      ),
    ).toBe(
      '[\n  "2001-12-14T21:59:43Z",\n  "2001-12-14T21:59:43Z",\n  "2001-01-02T00:00:00Z",\n  "20011-12-14",\n  "2001-13-14",\n]',
    );
    expect(run("yamldecode", s("!!binary aGVsbG8="))).toBe("aGVsbG8=");
    expect(run("yamldecode", s("!!str 1"))).toBe("1");
    expect(run("yamldecode", s("!!bool yes"))).toBe("true");
    expect(run("yamldecode", s("!!float 0x10"))).toBe("16");
    expect(run("yamldecode", s("!!timestamp 2001-01-01"))).toBe("2001-01-01T00:00:00Z");
    expect(run("yamldecode", s('"a\tb": |\n  line1\n  line2\n'))).toBe(
      '{\n  "a\\tb" = "line1\\nline2\\n"\n}',
    );
  });
  it("gives an unknown value for a null document, and keeps null attributes", () => {
    expect(run("yamldecode", s("~"))).toBe("<unknown>");
    expect(run("yamldecode", s("null"))).toBe("<unknown>");
    expect(run("yamldecode", s("!!null x"))).toBe("<unknown>");
    const r = callFunction(encodingFunctions.yamldecode!, [s("a: ~")]);
    expect(r.ok && r.value.elements()[0]![1].isNull()).toBe(true);
    expect(run("yamldecode", s("a: !!null ~\nb: !!str\nc: !!map {}"))).toBe('{\n  "b" = ""\n  "c" = {}\n}');
  });
  it("follows anchors, aliases and merge keys (with YAML 1.1 key resolution)", () => {
    expect(run("yamldecode", s("a: &x 1\nb: *x"))).toBe('{\n  "a" = 1\n  "b" = 1\n}');
    expect(run("yamldecode", s("base: &b {x: 1, y: 2}\nd:\n  <<: *b\n  y: 3"))).toBe(
      '{\n  "base" = {\n    "true" = 2\n    "x" = 1\n  }\n  "d" = {\n    "true" = 3\n    "x" = 1\n  }\n}',
    );
    expect(run("yamldecode", s("a: 1\na: 2"))).toBe('{\n  "a" = 2\n}');
    expect(run("yamldecode", s("? |\n  a\n: 1"))).toBe('{\n  "a\\n" = 1\n}');
    expect(run("yamldecode", s("---\na: 1\n...\n"))).toBe('{\n  "a" = 1\n}');
    expect(run("yamldecode", s("%YAML 1.1\n---\na: 1"))).toBe('{\n  "a" = 1\n}');
    expect(run("yamldecode", s("- !!map {a: 1}\n- !!seq [1]"))).toBe(
      '[\n  {\n    "a" = 1\n  },\n  [\n    1,\n  ],\n]',
    );
  });
  it("reports go-cty-yaml's errors with its positions", () => {
    const err = (m: string) => `Call to function "yamldecode" failed: ${m}.`;
    expect(run("yamldecode", s(""))).toBe(err("on line 1, column 1: missing start of document"));
    expect(run("yamldecode", s("# c"))).toBe(err("on line 1, column 1: missing start of document"));
    expect(run("yamldecode", s(".nan"))).toBe(err("floating point NaN is not supported"));
    expect(run("yamldecode", s("a: 1\n---\nb: 2"))).toBe(
      err("on line 1, column 1: unexpected extra content after value"),
    );
    expect(run("yamldecode", s("!!int x"))).toBe(err('cannot parse "x" as tag:yaml.org,2002:int'));
    expect(run("yamldecode", s("!foo x"))).toBe(err('unsupported tag "!foo"'));
    expect(run("yamldecode", s("!!bool x"))).toBe(err('cannot parse "x" as tag:yaml.org,2002:bool'));
    expect(run("yamldecode", s("b: *x"))).toBe(err('reference to undefined anchor "x"'));
    expect(run("yamldecode", s("a: &x [1, *x]"))).toBe(
      err('cannot refer to anchor "x" from inside its own definition'),
    );
    expect(run("yamldecode", s("<<: 1"))).toBe(err("cannot merge number into mapping"));
    expect(run("yamldecode", s("- <<: [1]"))).toBe(err("cannot merge tuple into mapping"));
    expect(run("yamldecode", s("[1, 2]: x"))).toBe(err("only strings are allowed as mapping keys"));
    expect(run("yamldecode", s("? [1]\n: x"))).toBe(err("only strings are allowed as mapping keys"));
    expect(run("yamldecode", s("1: x\ntrue: y\n~: z"))).toBe(
      err("on line 2, column 1: mapping key cannot be null"),
    );
    expect(run("yamldecode", s("!!seq {a: 1}"))).toBe(
      err("can't interpret mapping as tag:yaml.org,2002:seq"),
    );
    expect(run("yamldecode", s("a: 1\nb:\n  c: !!int x"))).toBe(
      err('on line 2, column 6: cannot parse "x" as tag:yaml.org,2002:int'),
    );
    expect(run("yamldecode", s("a:\n  - 1\n  - !!bool x"))).toBe(
      err('on line 2, column 5: cannot parse "x" as tag:yaml.org,2002:bool'),
    );
    expect(run("yamldecode", s("x: !!binary aGVs!!bG8="))).toBe(
      err('cannot parse "aGVs!!bG8=" as tag:yaml.org,2002:binary: not valid base64'),
    );
  });
  it("maps common syntax errors onto libyaml's messages", () => {
    const err = (m: string) => `Call to function "yamldecode" failed: ${m}.`;
    expect(run("yamldecode", s("a: b: c"))).toBe(err("mapping values are not allowed in this context"));
    expect(run("yamldecode", s("@x"))).toBe(err("found character that cannot start any token"));
    expect(run("yamldecode", s("'unterminated"))).toBe(err("found unexpected end of stream"));
    expect(run("yamldecode", s("a: 1\n...\nb: 2"))).toBe(
      err("on line 2, column 1: did not find expected <document start>"),
    );
    expect(run("yamldecode", s("[1, 2]\n[3]"))).toBe(
      err("on line 1, column 1: did not find expected <document start>"),
    );
    expect(run("yamldecode", s("a: 1\n  b: 2"))).toBe(
      err("on line 2, column 1: mapping values are not allowed in this context"),
    );
    expect(run("yamldecode", s("a:\n  - 1\n - 2"))).toBe(
      err("on line 2, column 2: did not find expected key"),
    );
    expect(run("yamldecode", s("a: [1, 2"))).toBe(
      err("on line 1, column 1: did not find expected ',' or ']'"),
    );
    expect(run("yamldecode", s("a: {b: 1"))).toBe(
      err("on line 1, column 1: did not find expected ',' or '}'"),
    );
    expect(run("yamldecode", s("!!binary !!!"))).toBe(err("did not find expected <document start>"));
    expect(run("yamldecode", s('key: "a\\qb"'))).toBe(err("found unknown escape character"));
    expect(run("yamldecode", s("a: b\n- c"))).toBe(err("on line 1, column 1: did not find expected key"));
    expect(run("yamldecode", s("- a\nb: c"))).toBe(
      err("on line 1, column 1: did not find expected '-' indicator"),
    );
    expect(run("yamldecode", s("a: |\n  x\n y"))).toBe(err("on line 2, column 2: did not find expected key"));
    expect(run("yamldecode", s("a: -"))).toBe(err("block sequence entries are not allowed in this context"));
  });
  it("reads block scalars, flow collections and keys as libyaml does", () => {
    expect(run("yamldecode", s("a: >\n  folded\n  text\n\n  para\n"))).toBe(
      '{\n  "a" = "folded text\\npara\\n"\n}',
    );
    expect(run("yamldecode", s("a: |+\n  keep\n\n"))).toBe('{\n  "a" = "keep\\n\\n"\n}');
    expect(run("yamldecode", s("a: |-\n  strip\n"))).toBe('{\n  "a" = "strip"\n}');
    expect(run("yamldecode", s("--- |\n  text\n"))).toBe("text\n");
    expect(run("yamldecode", s("---"))).toBe("<unknown>");
    expect(run("yamldecode", s("{a: 1, b}"))).toBe('{\n  "a" = 1\n}');
    expect(run("yamldecode", s("? a\n? b\n: c"))).toBe('{\n  "b" = "c"\n}');
    expect(run("yamldecode", s("- - - x"))).toBe('[\n  [\n    [\n      "x",\n    ],\n  ],\n]');
    expect(run("yamldecode", s("'a''b': \"c\\u00e9\\x41\\n\""))).toBe('{\n  "a\'b" = "céA\\n"\n}');
    expect(run("yamldecode", s("a: b #comment\n#c2\nc: d"))).toBe('{\n  "a" = "b"\n  "c" = "d"\n}');
    expect(run("yamldecode", s("a: !!str &x 5\nb: *x"))).toBe('{\n  "a" = "5"\n  "b" = "5"\n}');
    expect(run("yamldecode", s("x: 1\ny: 2\nx: 3"))).toBe('{\n  "true" = 2\n  "x" = 3\n}');
    expect(run("yamldecode", s("a: 12:30:00"))).toBe('{\n  "a" = "12:30:00"\n}');
    expect(run("yamldecode", s("- +\n- -1.5e-3\n- 0.\n- -."))).toBe(
      '[\n  "+",\n  -0.0015,\n  0,\n  "-.",\n]',
    );
    expect(run("yamldecode", s("a: y\nb: Y\nc: NO\nd: ~\ne: Null\nf: nULL"))).toBe(
      '{\n  "a" = true\n  "b" = true\n  "c" = false\n  "f" = "nULL"\n}',
    );
  });
});

describe("yamlencode", () => {
  const enc = (v: Value) => {
    const r = callFunction(encodingFunctions.yamlencode!, [v]);
    if (!r.ok) throw new Error(JSON.stringify(r));
    return r.value.isKnown() ? r.value.asString() : "<unknown>";
  };
  it("writes go-cty-yaml's block style", () => {
    const v = valueFromNative({
      a: [1, 2, { b: "x\ny", c: [[1, 2], []] }],
      d: {},
      e: null,
      f: true,
      "g h": "multi\nline\n",
      i: " lead",
      j: 1.5,
    });
    expect(enc(v)).toBe(
      '"a":\n- 1\n- 2\n- "b": |-\n    x\n    y\n  "c":\n  - - 1\n    - 2\n  - []\n"d": {}\n"e": null\n"f": true\n"g h": |\n  multi\n  line\n"i": " lead"\n"j": 1.5\n',
    );
    expect(enc(valueFromNative([["a"], { x: 1 }]))).toBe('- - "a"\n- "x": 1\n');
    expect(enc(valueFromNative([{}, [], [[]], { a: {} }]))).toBe('- {}\n- []\n- - []\n- "a": {}\n');
    expect(enc(objectVal({ "": numberIntVal(1) }))).toBe('"": 1\n');
    expect(enc(listValOf(stringType, [s("b")]))).toBe('- "b"\n');
    expect(enc(setValOf(stringType, [s("b")]))).toBe('- "b"\n');
  });
  it("ends plain root scalars with a document end marker", () => {
    expect(enc(nullVal(dynamicType))).toBe("null\n...\n");
    expect(enc(numberIntVal(1))).toBe("1\n...\n");
    expect(enc(num("1e30"))).toBe("1000000000000000000000000000000\n...\n");
    expect(enc(num("0.1"))).toBe("0.1\n...\n");
    expect(enc(valueFromNative(true))).toBe("true\n...\n");
    expect(enc(s("x"))).toBe('"x"\n');
    expect(enc(s("null"))).toBe('"null"\n');
    expect(enc(s(""))).toBe('""\n');
  });
  it("chooses literal or double-quoted style and escapes as libyaml", () => {
    expect(enc(s("hello\nworld"))).toBe("|-\n  hello\n  world\n");
    expect(enc(s("x\n\n"))).toBe("|+\n  x\n\n");
    expect(enc(s(" lead\ntrail "))).toBe('" lead\\ntrail "\n');
    expect(enc(valueFromNative(["  x\ny"]))).toBe("- |2-\n    x\n  y\n");
    expect(enc(valueFromNative(["a\n"]))).toBe("- |\n  a\n");
    expect(
      enc(valueFromNative(["", "a\n", "\n", " \n", "a \nb", "a\r\nb", "x\u0085y", "--- x", "\ta"])),
    ).toBe('- ""\n- |\n  a\n- |2+\n\n- " \\n"\n- "a \\nb"\n- "a\\r\\nb"\n- "x\\Ny"\n- "--- x"\n- "\\ta"\n');
    expect(enc(s("tab\there é ☃ \u0001 \u0085 \u00a0 \ud7ff \ufeff x"))).toBe(
      '"tab\\there é ☃ \\x01 \\N \u00a0 \ud7ff \\uFEFF x"\n',
    );
    expect(enc(s("\ufeffab"))).toBe('"\\uFEFF\\x61\\x62"\n');
    expect(enc(s("😀\t"))).toBe('"\\U0001F600\\t"\n');
  });
  it("folds long double-quoted strings at 80 columns", () => {
    const words = Array(30).fill("abcdefgh").join(" ");
    expect(enc(s(words))).toBe(
      '"abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh\n' +
        "  abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh\n" +
        "  abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh\n" +
        '  abcdefgh abcdefgh abcdefgh"\n',
    );
    expect(enc(objectVal({ k: s(words) }))).toBe(
      '"k": "abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh\n' +
        "  abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh\n" +
        "  abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh\n" +
        '  abcdefgh abcdefgh abcdefgh"\n',
    );
    expect(enc(s(`a  b${"x".repeat(90)}  c  d`))).toBe(`"a  b${"x".repeat(90)}\n  \\ c  d"\n`);
  });
  it("writes explicit keys for multi-line and long keys", () => {
    const long = "k".repeat(130);
    expect(
      enc(objectVal({ "a\nb": numberIntVal(1), [long]: numberIntVal(2), c: s("x\n\n"), d: s("😀\t") })),
    ).toBe(`? |-\n  a\n  b\n: 1\n"c": |+\n  x\n\n"d": "\\U0001F600\\t"\n? "${long}"\n: 2\n`);
  });
  it("is unknown for values that are not wholly known", () => {
    expect(enc(tupleVal([unknownVal(stringType)]))).toBe("<unknown>");
    expect(enc(unknownVal(dynamicType))).toBe("<unknown>");
  });
});
