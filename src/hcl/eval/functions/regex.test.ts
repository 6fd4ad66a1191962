// Expectations for regex and regexall come from Go's regexp package run through cty's result-shaping logic
// (Packer 1.6.6 lacks both functions); regex_replace cases were also checked against Packer 1.6.6.
import { describe, expect, it } from "vitest";
import {
  listType,
  objectType,
  SENSITIVE,
  stringType,
  stringVal,
  tupleType,
  typeGoString,
  unknownVal,
  type Value,
  valueGoString,
  valueToJSON,
} from "../../value/index.js";
import { callFunction } from "../call.js";
import { regexFunctions } from "./regex.js";
import { consoleResult, type Literal, resultValue } from "./util-a-testing.js";

const run = (name: string, ...args: Literal[]) => consoleResult(regexFunctions, name, args);
const value = (name: string, ...args: Literal[]) => resultValue(regexFunctions, name, args);

type Expect = { json: string } | { err: string };

/** Recorded from Go's regexp (FindStringSubmatchIndex / FindAllStringSubmatchIndex / ReplaceAllString). */
const goCases: [string, [string, string] | [string, string, string], Expect][] = [
  ["regex", ["[a-z]+", "53453453.345345aaabbbccc23454"], { json: '"aaabbbccc"' }],
  ["regex", ["(\\d\\d\\d\\d)-(\\d\\d)-(\\d\\d)", "2019-02-01"], { json: '["2019","02","01"]' }],
  [
    "regex",
    [
      "^(?:(?P<scheme>[^:/?#]+):)?(?://(?P<authority>[^/?#]*))?(?P<path>[^?#]*)(?:\\?(?P<query>[^#]*))?(?:#(?P<fragment>.*))?",
      "http://www.ics.uci.edu/pub/ietf/uri/#Related",
    ],
    {
      json: '{"authority":"www.ics.uci.edu","fragment":"Related","path":"/pub/ietf/uri/","query":null,"scheme":"http"}',
    },
  ],
  ["regex", ["(a)|(b)", "b"], { json: '[null,"b"]' }],
  ["regex", ["(?P<x>a)|(?P<y>b)", "b"], { json: '{"x":null,"y":"b"}' }],
  ["regex", ["([0-9]*)([a-z]*)", "135abc456def"], { json: '["135","abc"]' }],
  ["regex", ["[a-z]+", "123"], { err: "pattern did not match any part of the given string" }],
  ["regex", ["(", "x"], { err: "invalid regexp pattern: missing closing ) in (" }],
  ["regex", ["a)", "x"], { err: "invalid regexp pattern: unexpected ) in a)" }],
  ["regex", ["x**", "x"], { err: "invalid regexp pattern: invalid nested repetition operator in **" }],
  [
    "regex",
    ["(a)(?P<n>b)", "ab"],
    { err: "invalid regexp pattern: cannot mix both named and unnamed capture groups" },
  ],
  ["regex", ["(?=a)", "a"], { err: "invalid regexp pattern: invalid or unsupported Perl syntax in (?=" }],
  ["regex", ["\\8", "a"], { err: "invalid regexp pattern: invalid escape sequence in \\8" }],
  ["regex", ["[z-a]", "a"], { err: "invalid regexp pattern: invalid character class range in z-a" }],
  ["regex", ["a{2,1001}", "a"], { err: "invalid regexp pattern: invalid repeat count in {2,1001}" }],
  ["regex", ["(?P<n>a)(?P<n>b)", "ab"], { json: '{"n":"b"}' }],
  ["regex", ["\\pX", "a"], { err: "invalid regexp pattern: invalid character class range in \\pX" }],
  ["regex", ["[[:foo:]]", "a"], { err: "invalid regexp pattern: invalid character class range in [:foo:]" }],
  ["regex", ["a++", "a"], { err: "invalid regexp pattern: invalid nested repetition operator in ++" }],
  ["regex", ["(?i", "a"], { err: "invalid regexp pattern: invalid or unsupported Perl syntax in (?i" }],
  ["regex", ["\\z\\Z", "a"], { err: "invalid regexp pattern: invalid escape sequence in \\Z" }],
  ["regex", ["é+", "xééy"], { json: '"éé"' }],
  ["regex", ["(😀)(.)", "a😀b"], { json: '["😀","b"]' }],
  ["regexall", ["[a-z]+", "1234abcd5678efgh9"], { json: '["abcd","efgh"]' }],
  ["regexall", ["[a-z]+", "123"], { json: "[]" }],
  ["regexall", ["(\\d+)-(\\w)?", "1-a 22- 333-b"], { json: '[["1","a"],["22",null],["333","b"]]' }],
  ["regexall", ["a*", "baaac"], { json: '["","aaa",""]' }],
  ["regexall", ["", "héé"], { json: '["","","",""]' }],
  ["regexall", ["", "a😀b"], { json: '["","","",""]' }],
  [
    "regexall",
    ["(?P<k>\\w+)=(?P<v>\\w*)", "a=1 b= c=3"],
    { json: '[{"k":"a","v":"1"},{"k":"b","v":""},{"k":"c","v":"3"}]' },
  ],
  ["regexall", ["(", "x"], { err: "invalid regexp pattern: missing closing ) in (" }],
  ["regexall", ["\\b", "ab cd"], { json: '["","","",""]' }],
  ["regexall", ["(?i)ABC", "abc ABC aBc"], { json: '["abc","ABC","aBc"]' }],
  ["regexall", ["(?m)^\\w", "ab\ncd"], { json: '["a","c"]' }],
  ["regexall", ["(?s).", "a\nb"], { json: '["a","\\n","b"]' }],
  ["regexall", [".", "a\nb"], { json: '["a","b"]' }],
  ["regexall", ["\\pL+", "héllo wörld 123"], { json: '["héllo","wörld"]' }],
  ["regexall", ["[[:alpha:]]+", "abc123def"], { json: '["abc","def"]' }],
  ["regexall", ["\\QA.B\\E", "A.B AxB"], { json: '["A.B"]' }],
  ["regexall", ["a|ab", "abab"], { json: '["a","a"]' }],
  ["regexall", ["(?U)a+", "aaa"], { json: '["a","a","a"]' }],
  ["regexall", ["x*", "😀😀"], { json: '["","",""]' }],
  ["regexall", ["[^a]", "a😀b"], { json: '["😀","b"]' }],
  ["regex_replace", ["hello world", "o", "0"], { json: '"hell0 w0rld"' }],
  ["regex_replace", ["hello world", "(\\w+) (\\w+)", "$2 $1"], { json: '"world hello"' }],
  ["regex_replace", ["hello world", "(?P<a>\\w+) (?P<b>\\w+)", "\x24{b}-\x24{a}"], { json: '"world-hello"' }],
  ["regex_replace", ["abc", "(b)", "$1x"], { json: '"ac"' }],
  ["regex_replace", ["abc", "(b)", "\x24{1}x"], { json: '"abxc"' }],
  ["regex_replace", ["abc", "b", "$$"], { json: '"a$c"' }],
  ["regex_replace", ["abc", "b", "$"], { json: '"a$c"' }],
  ["regex_replace", ["abc", "b", "\x24{"], { json: '"a\x24{c"' }],
  ["regex_replace", ["abc", "b", "\x24{1"], { json: '"a\x24{1c"' }],
  ["regex_replace", ["abc", "(b)", "$01"], { json: '"ac"' }],
  ["regex_replace", ["abc", "(b)", "$2"], { json: '"ac"' }],
  ["regex_replace", ["baaac", "a*", "X"], { json: '"XbXcX"' }],
  ["regex_replace", ["abc", "", "-"], { json: '"-a-b-c-"' }],
  ["regex_replace", ["héllo", "", "-"], { json: '"-h-é-l-l-o-"' }],
  ["regex_replace", ["a😀b", "", "-"], { json: '"-a-😀-b-"' }],
  ["regex_replace", ["abc", "(", "x"], { err: "error parsing regexp: missing closing ): `(`" }],
  ["regex_replace", ["aaa", "a", "$0$0"], { json: '"aaaaaa"' }],
  ["regex_replace", ["a.b.c", "\\.", "/"], { json: '"a/b/c"' }],
  ["regex_replace", ["abc", "(?P<n>b)", "[$n]"], { json: '"a[b]c"' }],
  ["regex_replace", ["abc", "(?P<n>b)", "[$nx]"], { json: '"a[]c"' }],
  ["regex_replace", ["abc", "(x)?b", "[$1]"], { json: '"a[]c"' }],
  [
    "regex_replace",
    ["abc", "(?P<é>b)", "[$é]"],
    { err: "error parsing regexp: invalid named capture: `(?P<é>`" },
  ],
  ["regex_replace", ["abc", "(b)", "$1$"], { json: '"ab$c"' }],
  ["regex_replace", ["abc", "(b)", "\x24{1}}"], { json: '"ab}c"' }],
  ["regex_replace", ["abc", "(b)", "$ 1"], { json: '"a$ 1c"' }],
  ["regex_replace", ["abcabc", "(a)(b)(c)", "$3$2$1"], { json: '"cbacba"' }],
  ["regex_replace", ["xyz", "a*", "-"], { json: '"-x-y-z-"' }],
  ["regex_replace", ["abc", "x*", "$0|"], { json: '"|a|b|c|"' }],
  ["regex_replace", ["ab", "a|", "_"], { json: '"_b_"' }],
  ["regex", ["(?P<n>a)|(?P<n>b)", "b"], { json: '{"n":"b"}' }],
  ["regexall", ["(?P<n>a)(?P<n>b)|[(?P<n>]", "ab("], { json: '[{"n":"b"},{"n":null}]' }],
  ["regex_replace", ["abc", "(?P<n>x)?(?P<n>b)", "[$n]"], { json: '"a[b]c"' }],
  ["regex_replace", ["abc", "(?P<n>b)(?P<n>c)", "[$n]"], { json: '"a[b]"' }],
  ["regex", ["\\Q(?P<n>\\E(?P<n>a)(?P<n>b)", "(?P<n>ab"], { json: '{"n":"b"}' }],
];

function outcome(name: string, args: readonly string[]): Expect {
  const r = callFunction(
    regexFunctions[name]!,
    args.map((a) => stringVal(a)),
  );
  if (!r.ok) return { err: r.kind === "arity" ? "arity" : r.message };
  const j = valueToJSON(r.value);
  if (!j.ok) throw new Error(j.error.message);
  return { json: j.json };
}

function normalize(e: Expect): Expect {
  if ("err" in e) return e;
  const parsed: unknown = JSON.parse(e.json);
  const sortKeys = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(sortKeys);
    if (x !== null && typeof x === "object") {
      return Object.fromEntries(
        Object.keys(x)
          .sort()
          .map((k) => [k, sortKeys((x as Record<string, unknown>)[k])]),
      );
    }
    return x;
  };
  return { json: JSON.stringify(sortKeys(parsed)) };
}

describe("regex, regexall, regex_replace match Go's regexp", () => {
  it.each(goCases)("%s(%j)", (name, args, want) => {
    expect(normalize(outcome(name, args))).toEqual(normalize(want));
  });
});

describe("result shapes", () => {
  it("are a string, a tuple of unnamed groups or an object of named groups", () => {
    expect(valueGoString(value("regex", "[a-z]+", "1abc2"))).toBe('cty.StringVal("abc")');
    expect(valueGoString(value("regex", "(a)|(b)", "b"))).toBe(
      'cty.TupleVal([]cty.Value{cty.NullVal(cty.String), cty.StringVal("b")})',
    );
    expect(valueGoString(value("regex", "(?P<x>a)|(?P<y>b)", "b"))).toBe(
      'cty.ObjectVal(map[string]cty.Value{"x":cty.NullVal(cty.String), "y":cty.StringVal("b")})',
    );
    expect(valueGoString(value("regexall", "(?P<k>\\w)=", "a= b="))).toBe(
      'cty.ListVal([]cty.Value{cty.ObjectVal(map[string]cty.Value{"k":cty.StringVal("a")}), cty.ObjectVal(map[string]cty.Value{"k":cty.StringVal("b")})})',
    );
    expect(valueGoString(value("regexall", "(a)(b)", "xyz"))).toBe(
      "cty.ListValEmpty(cty.Tuple([]cty.Type{cty.String, cty.String}))",
    );
  });
  it("accept Go 1.22's (?<name>) syntax", () => {
    expect(valueGoString(value("regex", "(?<n>b)", "abc"))).toBe(
      'cty.ObjectVal(map[string]cty.Value{"n":cty.StringVal("b")})',
    );
  });
});

describe("errors", () => {
  it("are argument errors for bad patterns and call errors for no match", () => {
    expect(run("regex", "(", "x")).toBe(
      'Invalid value for "pattern" parameter: invalid regexp pattern: missing closing ) in (.',
    );
    expect(run("regexall", "(a)(?P<n>b)", "ab")).toBe(
      'Invalid value for "pattern" parameter: invalid regexp pattern: cannot mix both named and unnamed capture groups.',
    );
    expect(run("regex", "[a-z]+", "123")).toBe(
      'Call to function "regex" failed: pattern did not match any part of the given string.',
    );
    expect(run("regex_replace", "abc", "(", "x")).toBe(
      'Call to function "regex_replace" failed: error parsing regexp: missing closing ): `(`.',
    );
  });
});

describe("unknowns and marks", () => {
  const typeOf = (v: Value) => typeGoString(v.type);
  it("give unknown results of the pattern's shape", () => {
    expect(valueGoString(value("regex", unknownVal(stringType), "x"))).toBe("cty.DynamicVal");
    expect(valueGoString(value("regexall", unknownVal(stringType), "x"))).toBe(
      "cty.UnknownVal(cty.List(cty.DynamicPseudoType))",
    );
    const u = value("regex", "(a)(b)", unknownVal(stringType));
    expect(u.isKnown()).toBe(false);
    expect(typeOf(u)).toBe(typeGoString(tupleType([stringType, stringType])));
    const all = value("regexall", "(?P<n>a)", unknownVal(stringType));
    expect(typeOf(all)).toBe(typeGoString(listType(objectType({ n: stringType }))));
    expect(valueGoString(value("regex_replace", unknownVal(stringType), "a", "b"))).toBe(
      "cty.UnknownVal(cty.String)",
    );
  });
  it("carry marks from any argument", () => {
    expect(valueGoString(value("regex", stringVal("[a-z]+").mark(SENSITIVE), "135abc456def789"))).toBe(
      'cty.StringVal("abc").Mark("sensitive")',
    );
    expect(valueGoString(value("regex_replace", stringVal("abc").mark(SENSITIVE), "b", "x"))).toBe(
      'cty.StringVal("axc").Mark("sensitive")',
    );
  });
});
