// Expected results were recorded from Packer 1.6.6 (`packer console`) unless marked as taken from the Go
// sources' own tests (functions newer than 1.6.6, or behaviour that changed since).
import { describe, expect, it } from "vitest";
import {
  boolType,
  dynamicVal,
  emptyObjectVal,
  falseVal,
  listType,
  listValOf,
  mapVal,
  mapValEmpty,
  negativeInfinity,
  nullVal,
  numberIntVal,
  numberType,
  objectType,
  positiveInfinity,
  setValOf,
  stringType,
  stringVal,
  trueVal,
  tupleVal,
  unknownVal,
  type Value,
  valueGoString,
} from "../../value/index.js";
import { collectionFunctions } from "./collection.js";
import { consoleResult, type Literal, resultJSON, resultValue } from "./util-a-testing.js";

const run = (name: string, ...args: Literal[]) => consoleResult(collectionFunctions, name, args);
const json = (name: string, ...args: Literal[]) => resultJSON(collectionFunctions, name, args);
const value = (name: string, ...args: Literal[]) => resultValue(collectionFunctions, name, args);
/** valueGoString with each WithMarks list sorted (mark sets have no order). */
const goStr = (name: string, ...args: Literal[]) =>
  valueGoString(value(name, ...args)).replace(
    /WithMarks\(([^)]*)\)/g,
    (_, m: string) => `WithMarks(${m.split(", ").sort().join(", ")})`,
  );
const callFailed = (name: string, msg: string) => `Call to function "${name}" failed: ${msg}.`;
const s = (x: string) => stringVal(x);
const strList = (...xs: string[]) => listValOf(stringType, xs.map(s));
const numList = (...xs: number[]) =>
  listValOf(
    numberType,
    xs.map((n) => numberIntVal(n)),
  );
const boolList = (...xs: Value[]) => listValOf(boolType, xs);

describe("alltrue and anytrue (Packer's tests)", () => {
  it("fold lists of bools", () => {
    expect(run("alltrue", boolList())).toBe("true");
    expect(run("alltrue", boolList(trueVal))).toBe("true");
    expect(run("alltrue", boolList(trueVal, falseVal))).toBe("false");
    expect(run("alltrue", boolList(trueVal, nullVal(boolType)))).toBe("false");
    expect(run("alltrue", [true, "true"])).toBe("true");
    expect(run("anytrue", boolList())).toBe("false");
    expect(run("anytrue", boolList(falseVal, trueVal))).toBe("true");
    expect(run("anytrue", boolList(trueVal, nullVal(boolType)))).toBe("true");
    expect(run("anytrue", [false, "true"])).toBe("true");
  });
  it("are unknown while undecided, and reject null lists", () => {
    expect(goStr("alltrue", boolList(unknownVal(boolType)))).toBe("cty.UnknownVal(cty.Bool)");
    expect(goStr("alltrue", boolList(falseVal, unknownVal(boolType)))).toBe("cty.False");
    expect(goStr("anytrue", boolList(unknownVal(boolType), unknownVal(boolType)))).toBe(
      "cty.UnknownVal(cty.Bool)",
    );
    expect(goStr("anytrue", boolList(unknownVal(boolType), trueVal))).toBe("cty.True");
    expect(goStr("anytrue", unknownVal(listType(boolType)))).toBe("cty.UnknownVal(cty.Bool)");
    expect(run("alltrue", nullVal(listType(boolType)))).toBe(
      'Invalid value for "list" parameter: argument must not be null.',
    );
  });
});

describe("chunklist", () => {
  it("splits into chunks", () => {
    expect(json("chunklist", ["a", "b", "c", "d", "e"], 2)).toBe('[["a","b"],["c","d"],["e"]]');
    expect(json("chunklist", ["a", "b"], 0)).toBe('[["a","b"]]');
    expect(goStr("chunklist", [], 2)).toBe("cty.ListValEmpty(cty.List(cty.DynamicPseudoType))");
    expect(goStr("chunklist", strList(), 2)).toBe("cty.ListValEmpty(cty.List(cty.String))");
    expect(json("chunklist", [1, "a"], 1)).toBe('[["1"],["a"]]');
  });
  it("rejects bad sizes", () => {
    expect(run("chunklist", ["a"], -1)).toBe(callFailed("chunklist", "the size argument must be positive"));
    expect(run("chunklist", ["a"], 1.5)).toBe(
      callFailed(
        "chunklist",
        "invalid size: value must be a whole number, between -9223372036854775808 and 9223372036854775807",
      ),
    );
  });
  it("keeps element marks in place and the list's marks outside (cty's tests)", () => {
    expect(goStr("chunklist", listValOf(stringType, [s("a").mark("b")]).mark("a"), 2)).toBe(
      'cty.ListVal([]cty.Value{cty.ListVal([]cty.Value{cty.StringVal("a").Mark("b")})}).Mark("a")',
    );
    expect(goStr("chunklist", unknownVal(listType(stringType)), 2)).toBe(
      "cty.UnknownVal(cty.List(cty.List(cty.String)))",
    );
  });
});

describe("coalesce and coalescelist", () => {
  it("return the first non-null, non-empty argument", () => {
    expect(run("coalesce", "", "b")).toBe("b");
    expect(run("coalesce", null, 1)).toBe("1");
    expect(goStr("coalesce", 1, "a")).toBe('cty.StringVal("1")');
    expect(run("coalesce", true, "x")).toBe("true");
    expect(run("coalesce", false, "x")).toBe("false");
    expect(goStr("coalesce", nullVal(boolType), falseVal)).toBe("cty.False");
    expect(goStr("coalesce", trueVal, unknownVal(boolType))).toBe("cty.True");
    expect(goStr("coalesce", unknownVal(boolType), trueVal)).toBe("cty.UnknownVal(cty.Bool)");
    expect(goStr("coalesce", dynamicVal, trueVal)).toBe("cty.UnknownVal(cty.Bool)");
    expect(goStr("coalesce", dynamicVal)).toBe("cty.DynamicVal");
  });
  it("report when nothing qualifies or types don't unify", () => {
    expect(run("coalesce", null, "")).toBe(callFailed("coalesce", "no non-null, non-empty-string arguments"));
    expect(run("coalesce", null)).toBe(callFailed("coalesce", "no non-null, non-empty-string arguments"));
    expect(run("coalesce")).toBe(callFailed("coalesce", "all arguments must have the same type"));
    expect(run("coalesce", [], "a")).toBe(callFailed("coalesce", "all arguments must have the same type"));
  });
  it("coalescelist picks the first non-empty sequence", () => {
    expect(json("coalescelist", [], ["a"])).toBe('["a"]');
    expect(json("coalescelist", [], [1], ["a"])).toBe("[1]");
    expect(run("coalescelist", [], [])).toBe(callFailed("coalescelist", "no non-null arguments"));
    expect(run("coalescelist")).toBe(callFailed("coalescelist", "at least one argument is required"));
    expect(run("coalescelist", "a")).toBe(
      callFailed("coalescelist", "coalescelist arguments must be lists or tuples"),
    );
    expect(run("coalescelist", null, [1])).toBe(
      callFailed("coalescelist", "coalescelist arguments must be lists or tuples"),
    );
    expect(goStr("coalescelist", nullVal(listType(stringType)), strList("x"))).toBe(
      'cty.ListVal([]cty.Value{cty.StringVal("x")})',
    );
    expect(goStr("coalescelist", unknownVal(listType(stringType)), strList("x"))).toBe("cty.DynamicVal");
  });
});

describe("compact, concat, contains, distinct", () => {
  it("compact drops empty and null strings", () => {
    expect(json("compact", ["a", "", "b", null])).toBe('["a","b"]');
    expect(goStr("compact", [])).toBe("cty.ListValEmpty(cty.String)");
    expect(goStr("compact", [""])).toBe("cty.ListValEmpty(cty.String)");
    expect(json("compact", ["a", 1])).toBe('["a","1"]');
    expect(goStr("compact", listValOf(stringType, [unknownVal(stringType)]))).toBe(
      "cty.UnknownVal(cty.List(cty.String))",
    );
  });
  it("concat joins lists and tuples", () => {
    expect(json("concat", ["a"], ["b", "c"])).toBe('["a","b","c"]');
    expect(json("concat", [1], ["a"])).toBe('[1,"a"]');
    expect(goStr("concat", [1], ["a"])).toBe(
      'cty.TupleVal([]cty.Value{cty.NumberIntVal(1), cty.StringVal("a")})',
    );
    expect(goStr("concat", strList("a"), listValOf(numberType, [numberIntVal(1)]))).toBe(
      'cty.ListVal([]cty.Value{cty.StringVal("a"), cty.StringVal("1")})',
    );
    expect(goStr("concat", [], [])).toBe("cty.EmptyTupleVal");
    expect(run("concat")).toBe(callFailed("concat", "at least one argument is required"));
    expect(run("concat", "a")).toBe(
      'Invalid value for "seqs" parameter: all arguments must be lists or tuples; got string.',
    );
    expect(run("concat", ["a"], "b")).toBe(
      'Invalid value for "seqs" parameter: all arguments must be lists or tuples; got string.',
    );
    expect(goStr("concat", strList("a").mark("m"), strList("b"))).toBe(
      'cty.ListVal([]cty.Value{cty.StringVal("a"), cty.StringVal("b")}).Mark("m")',
    );
  });
  it("contains compares without conversion", () => {
    expect(run("contains", ["a", "b"], "a")).toBe("true");
    expect(run("contains", ["a", "b"], "c")).toBe("false");
    expect(run("contains", [1, 2], "1")).toBe("false");
    expect(run("contains", [], "a")).toBe("false");
    expect(run("contains", setValOf(stringType, [s("x")]), "x")).toBe("true");
    expect(run("contains", "abc", "a")).toBe(callFailed("contains", "argument must be list, tuple, or set"));
    expect(run("contains", null, "a")).toBe('Invalid value for "list" parameter: argument must not be null.');
    expect(run("contains", ["a"], null)).toBe(
      'Invalid value for "value" parameter: argument must not be null.',
    );
    expect(goStr("contains", listValOf(stringType, [unknownVal(stringType)]), "a")).toBe(
      "cty.UnknownVal(cty.Bool)",
    );
    expect(goStr("contains", listValOf(stringType, [unknownVal(stringType), s("a")]), "a")).toBe("cty.True");
  });
  it("distinct keeps first occurrences", () => {
    expect(json("distinct", ["a", "b", "a", "c"])).toBe('["a","b","c"]');
    expect(json("distinct", [1, "1"])).toBe('["1"]');
    expect(goStr("distinct", [])).toBe("cty.ListValEmpty(cty.DynamicPseudoType)");
    expect(json("distinct", [[1], [1], [2]])).toBe("[[1],[2]]");
  });
});

describe("element", () => {
  it("wraps around", () => {
    expect(run("element", ["a", "b", "c"], 1)).toBe("b");
    expect(run("element", ["a", "b", "c"], 5)).toBe("c");
    expect(run("element", [1, "a"], 3)).toBe("a");
  });
  it("reports bad indexes and inputs (negative index: cty 1.13's error; 1.6.6 panicked)", () => {
    expect(run("element", ["a", "b", "c"], -1)).toBe(
      callFailed("element", "cannot use element function with a negative index"),
    );
    expect(run("element", strList("a"), -1)).toBe(
      callFailed("element", "cannot use element function with a negative index"),
    );
    expect(run("element", [], 0)).toBe(
      callFailed("element", "cannot use element function with an empty list"),
    );
    expect(run("element", strList(), 0)).toBe(
      callFailed("element", "cannot use element function with an empty list"),
    );
    expect(run("element", ["a"], 1.5)).toBe(
      callFailed(
        "element",
        "invalid index: value must be a whole number, between -9223372036854775808 and 9223372036854775807",
      ),
    );
    expect(run("element", "abc", 0)).toBe(callFailed("element", "cannot read elements from string"));
    expect(run("element", { a: 1 }, 0)).toBe(callFailed("element", "cannot read elements from object"));
  });
  it("combines the list's marks with the element's (cty's tests)", () => {
    const l = listValOf(stringType, [s("the"), s("quick"), s("brown").mark("fox")]);
    expect(goStr("element", l, 2)).toBe('cty.StringVal("brown").Mark("fox")');
    expect(goStr("element", l.mark("all"), 2)).toBe('cty.StringVal("brown").WithMarks("all", "fox")');
    expect(goStr("element", l.mark("all"), 0)).toBe('cty.StringVal("the").Mark("all")');
    expect(goStr("element", ["a", 1], unknownVal(numberType))).toBe("cty.DynamicVal");
  });
});

describe("flatten", () => {
  it("flattens nested sequences into a tuple", () => {
    expect(json("flatten", [["a", "b"], [], ["c"]])).toBe('["a","b","c"]');
    expect(json("flatten", [[["a"]], "b", [["c", ["d"]]]])).toBe('["a","b","c","d"]');
    expect(goStr("flatten", [])).toBe("cty.EmptyTupleVal");
    expect(json("flatten", [null, ["a"]])).toBe('[null,"a"]');
    expect(json("flatten", [[1, "a"], [true]])).toBe('[1,"a",true]');
    expect(
      goStr("flatten", [strList("a", "b"), setValOf(numberType, [numberIntVal(2), numberIntVal(1)])]),
    ).toBe(
      'cty.TupleVal([]cty.Value{cty.StringVal("a"), cty.StringVal("b"), cty.NumberIntVal(1), cty.NumberIntVal(2)})',
    );
  });
  it("rejects non-sequences and waits for unknowns", () => {
    expect(run("flatten", "a")).toBe(callFailed("flatten", "can only flatten lists, sets and tuples"));
    expect(run("flatten", { a: 1 })).toBe(callFailed("flatten", "can only flatten lists, sets and tuples"));
    expect(goStr("flatten", [["a"], unknownVal(listType(stringType))])).toBe("cty.DynamicVal");
  });
  it("collects marks from nested lists", () => {
    expect(goStr("flatten", [strList("a").mark("x"), ["b"]])).toBe(
      'cty.TupleVal([]cty.Value{cty.StringVal("a"), cty.StringVal("b")}).Mark("x")',
    );
  });
});

describe("index (Packer's own; expectations from index_test.go)", () => {
  it("finds the position of a value", () => {
    expect(run("index", strList("a", "b", "c"), "a")).toBe("0");
    expect(run("index", strList("a", "b", "c"), "b")).toBe("1");
    expect(run("index", ["a", "b", "c"], "b")).toBe("1");
    expect(run("index", numList(1, 2, 3), 2)).toBe("1");
    expect(run("index", [1, 2, 3], 1)).toBe("0");
    expect(run("index", listValOf(stringType, [s("a"), s("b"), unknownVal(stringType)]), "a")).toBe("0");
  });
  it("reports misses without converting types", () => {
    expect(run("index", strList("a", "b", "c"), "z")).toBe(callFailed("index", "item not found"));
    expect(run("index", strList("1", "2", "3"), 1)).toBe(callFailed("index", "item not found"));
    expect(run("index", numList(1, 2, 3), "1")).toBe(callFailed("index", "item not found"));
    expect(run("index", [], "a")).toBe(callFailed("index", "cannot search an empty list"));
    expect(run("index", { a: 1 }, "a")).toBe(callFailed("index", "argument must be a list or tuple"));
    expect(run("index", setValOf(stringType, [s("a")]), "a")).toBe(
      callFailed("index", "argument must be a list or tuple"),
    );
    expect(goStr("index", listValOf(stringType, [unknownVal(stringType), s("a")]), "a")).toBe(
      "cty.UnknownVal(cty.Number)",
    );
  });
});

describe("keys and values", () => {
  it("list keys and values in key order", () => {
    expect(json("keys", { b: "x", a: 1 })).toBe('["a","b"]');
    expect(goStr("keys", {})).toBe("cty.EmptyTupleVal");
    expect(goStr("keys", mapVal({ b: s("1"), a: s("2") }))).toBe(
      'cty.ListVal([]cty.Value{cty.StringVal("a"), cty.StringVal("b")})',
    );
    expect(goStr("keys", mapValEmpty(stringType))).toBe("cty.ListValEmpty(cty.String)");
    expect(json("values", { b: "x", a: 1 })).toBe('[1,"x"]');
    expect(goStr("values", {})).toBe("cty.EmptyTupleVal");
    expect(goStr("values", mapVal({ b: s("1"), a: s("2") }))).toBe(
      'cty.ListVal([]cty.Value{cty.StringVal("2"), cty.StringVal("1")})',
    );
    expect(goStr("values", mapValEmpty(stringType))).toBe("cty.ListValEmpty(cty.String)");
  });
  it("reject non-maps", () => {
    expect(run("keys", ["a"])).toBe('Invalid value for "inputMap" parameter: must have map or object type.');
    expect(run("values", ["a"])).toBe(callFailed("values", "values() requires a map as the first argument"));
  });
  it("handle unknowns and marks", () => {
    expect(goStr("keys", unknownVal(objectType({ a: numberType })))).toBe(
      'cty.TupleVal([]cty.Value{cty.StringVal("a")})',
    );
    expect(goStr("keys", unknownVal(mapVal({ a: s("x") }).type))).toBe(
      "cty.UnknownVal(cty.List(cty.String))",
    );
    expect(goStr("keys", mapVal({ a: s("x") }).mark("m"))).toBe(
      'cty.ListVal([]cty.Value{cty.StringVal("a")}).Mark("m")',
    );
    expect(goStr("values", mapVal({ hello: s("world").mark("a") }))).toBe(
      'cty.ListVal([]cty.Value{cty.StringVal("world").Mark("a")})',
    );
    expect(goStr("values", emptyObjectVal.mark("a"))).toBe('cty.EmptyTupleVal.Mark("a")');
  });
});

describe("length (Packer's own: strings too; length_test.go)", () => {
  it("counts elements, attributes and characters", () => {
    expect(run("length", [1, 2])).toBe("2");
    expect(run("length", "hello")).toBe("5");
    expect(run("length", "e\u0301x")).toBe("2");
    expect(run("length", { a: 1 })).toBe("1");
    expect(run("length", "")).toBe("0");
    expect(run("length", "Живой Журнал")).toBe("12");
    expect(run("length", "noe\u0308l")).toBe("4");
    expect(run("length", "wé́́é́́é́́!")).toBe("5");
    expect(run("length", "baﬄe")).toBe("4");
    expect(run("length", "😸😾")).toBe("2");
    expect(run("length", listValOf(boolType, [unknownVal(boolType)]))).toBe("1");
    expect(run("length", setValOf(numberType, [numberIntVal(1), numberIntVal(1)]))).toBe("1");
    expect(run("length", unknownVal(tupleVal([]).type))).toBe("0");
  });
  it("rejects other types", () => {
    const msg = callFailed("length", "argument must be a string, a collection type, or a structural type");
    expect(run("length", 1)).toBe(msg);
    expect(run("length", true)).toBe(msg);
    expect(run("length", null)).toBe('Invalid value for "value" parameter: argument must not be null.');
  });
  it("is unknown for unknown collections and strings, and keeps marks", () => {
    expect(goStr("length", unknownVal(listType(boolType)))).toBe("cty.UnknownVal(cty.Number)");
    expect(goStr("length", unknownVal(stringType))).toBe("cty.UnknownVal(cty.Number)");
    expect(goStr("length", dynamicVal)).toBe("cty.UnknownVal(cty.Number)");
    expect(goStr("length", strList("a", "b").mark("secret"))).toBe('cty.NumberIntVal(2).Mark("secret")');
  });
});

describe("lookup (three arguments in cty's version)", () => {
  it("looks up objects and maps, falling back to the default", () => {
    expect(run("lookup", { a: "x" }, "b", "def")).toBe("def");
    expect(run("lookup", { a: "x" }, "b", 1)).toBe("1");
    expect(run("lookup", { a: "x" }, "b", [])).toBe("[]");
    expect(run("lookup", { a: 1, b: "x" }, "c", "def")).toBe("def");
    expect(run("lookup", { a: 1, b: "x" }, "a", "def")).toBe("1");
    expect(run("lookup", { a: null }, "a", "d")).toBe("null");
    expect(run("lookup", mapVal({ foo: s("bar") }), "foo", "nope")).toBe("bar");
    expect(goStr("lookup", mapVal({ foo: s("bar") }), "x", 5)).toBe('cty.StringVal("5")');
  });
  it("reports arity, nulls and type errors", () => {
    expect(run("lookup", { a: "x" }, "a")).toBe(
      'Function "lookup" expects 3 argument(s). Missing value for "default".',
    );
    expect(run("lookup", {}, "a", null)).toBe(
      'Invalid value for "default" parameter: argument must not be null.',
    );
    expect(run("lookup", ["a"], "0", "x")).toBe(
      'Invalid value for "inputMap" parameter: lookup() requires a map as the first argument.',
    );
    expect(run("lookup", mapVal({ foo: s("bar") }), "x", ["a"])).toBe(
      'Invalid value for "default" parameter: the default value must have the same type as the map elements.',
    );
  });
  it("carries marks as cty's tests expect", () => {
    const m = mapVal({ boop: s("beep") });
    expect(goStr("lookup", m.mark("a"), "boop", "nope")).toBe('cty.StringVal("beep").Mark("a")');
    expect(
      goStr("lookup", mapVal({ boop: s("beep"), frob: unknownVal(stringType) }).mark("a"), "boop", "nope"),
    ).toBe('cty.UnknownVal(cty.String).Mark("a")');
    expect(goStr("lookup", m.mark("a"), "frob", s("nope").mark("b"))).toBe(
      'cty.StringVal("nope").WithMarks("a", "b")',
    );
    const inner = mapVal({ boop: s("beep").mark("a"), frob: s("honk").mark("b") });
    expect(goStr("lookup", inner, "frob", s("nope").mark("c"))).toBe('cty.StringVal("honk").Mark("b")');
    expect(goStr("lookup", inner, "squish", numberIntVal(5).mark("c"))).toBe('cty.StringVal("5").Mark("c")');
    expect(goStr("lookup", m, s("boop").mark("a"), "nope")).toBe('cty.StringVal("beep").Mark("a")');
  });
});

describe("merge", () => {
  it("reports a non-map after a dynamic null as Packer does, without throwing", () => {
    for (const bad of [0, "x", true, [1]] as Literal[]) {
      expect(run("merge", null, bad)).toBe(
        callFailed(
          "merge",
          "panic in function implementation: attempt to iterate on non-collection, non-tuple type",
        ),
      );
    }
  });
  it("merges maps and objects, later keys winning", () => {
    expect(json("merge", { a: 1 }, { b: 2 })).toBe('{"a":1,"b":2}');
    expect(json("merge", { a: 1 }, { a: "x" })).toBe('{"a":"x"}');
    expect(json("merge", { a: 1, c: [1] }, { b: 2 })).toBe('{"a":1,"b":2,"c":[1]}');
    expect(json("merge", { a: 1 }, null)).toBe('{"a":1}');
    expect(goStr("merge", mapVal({ a: s("x") }), mapVal({ b: s("y") }))).toBe(
      'cty.MapVal(map[string]cty.Value{"a":cty.StringVal("x"), "b":cty.StringVal("y")})',
    );
    expect(goStr("merge", mapVal({ a: s("x") }), { b: 1 })).toBe(
      'cty.ObjectVal(map[string]cty.Value{"a":cty.StringVal("x"), "b":cty.NumberIntVal(1)})',
    );
  });
  it("gives an empty object for no arguments or only nulls (cty 1.13; Packer 1.6.6 printed null)", () => {
    expect(goStr("merge")).toBe("cty.EmptyObjectVal");
    expect(goStr("merge", null)).toBe("cty.EmptyObjectVal");
  });
  it("rejects other types", () => {
    expect(run("merge", { a: 1 }, ["x"])).toBe(
      callFailed("merge", 'arguments must be maps or objects, got "tuple"'),
    );
    expect(run("merge", { a: 1 }, "x")).toBe(
      callFailed("merge", 'arguments must be maps or objects, got "string"'),
    );
  });
  it("merges marks of the collections (cty's tests)", () => {
    expect(
      goStr(
        "merge",
        mapVal({ a: s("a") }).mark("first"),
        mapVal({ b: s("b") }).mark("second"),
        mapValEmpty(stringType).mark("third"),
      ),
    ).toBe(
      'cty.MapVal(map[string]cty.Value{"a":cty.StringVal("a"), "b":cty.StringVal("b")}).WithMarks("first", "second", "third")',
    );
    expect(goStr("merge", { a: s("a").mark("first") }, { b: "b" })).toBe(
      'cty.ObjectVal(map[string]cty.Value{"a":cty.StringVal("a").Mark("first"), "b":cty.StringVal("b")})',
    );
  });
});

describe("range", () => {
  it("counts up or down", () => {
    expect(json("range", 3)).toBe("[0,1,2]");
    expect(json("range", 1, 4)).toBe("[1,2,3]");
    expect(json("range", 0, 10, 3)).toBe("[0,3,6,9]");
    expect(json("range", 5, 0)).toBe("[5,4,3,2,1]");
    expect(json("range", -3)).toBe("[0,-1,-2]");
    expect(goStr("range", 0)).toBe("cty.ListValEmpty(cty.Number)");
    expect(goStr("range", 1, 1)).toBe("cty.ListValEmpty(cty.Number)");
    expect(json("range", 0, 1, 0.25)).toBe("[0,0.25,0.5,0.75]");
    expect(json("range", 0.5, 3)).toBe("[0.5,1.5,2.5]");
    expect(value("range", 1024).lengthInt()).toBe(1024);
  });
  it("reports bad directions, arity and the 1024-element limit", () => {
    const limit = callFailed(
      "range",
      "more than 1024 values were generated; either decrease the difference between start and end or use a smaller step",
    );
    expect(run("range", 1025)).toBe(limit);
    expect(run("range", 2000)).toBe(limit);
    expect(run("range", 0, 5, 0)).toBe(limit);
    expect(goStr("range", 5, 5, 0)).toBe("cty.ListValEmpty(cty.Number)");
    expect(run("range", 0, 5, -1)).toBe(
      'Invalid value for "params" parameter: end must be less than start when step is negative.',
    );
    expect(run("range", 5, 0, 1)).toBe(
      'Invalid value for "params" parameter: end must be greater than start when step is positive.',
    );
    expect(run("range")).toBe(callFailed("range", "must have one, two, or three arguments"));
    expect(run("range", 1, 2, 3, 4)).toBe(callFailed("range", "must have one, two, or three arguments"));
    expect(run("range", positiveInfinity, 0, negativeInfinity)).toBe(
      callFailed("range", "panic in function implementation: addition of infinities with opposite signs"),
    );
  });
});

describe("reverse", () => {
  it("reverses lists, tuples and sets", () => {
    expect(json("reverse", [1, 2, 3])).toBe("[3,2,1]");
    expect(goStr("reverse", [])).toBe("cty.EmptyTupleVal");
    expect(goStr("reverse", strList("a", "b"))).toBe(
      'cty.ListVal([]cty.Value{cty.StringVal("b"), cty.StringVal("a")})',
    );
    expect(goStr("reverse", setValOf(numberType, [numberIntVal(1), numberIntVal(2)]))).toBe(
      "cty.ListVal([]cty.Value{cty.NumberIntVal(2), cty.NumberIntVal(1)})",
    );
    expect(goStr("reverse", strList().mark("m"))).toBe('cty.ListValEmpty(cty.String).Mark("m")');
  });
  it("rejects other types", () => {
    expect(run("reverse", "abc")).toBe(
      'Invalid value for "list" parameter: can only reverse list or tuple values, not string.',
    );
    expect(run("reverse", { a: 1 })).toBe(
      'Invalid value for "list" parameter: can only reverse list or tuple values, not object.',
    );
  });
});

describe("set functions", () => {
  it("setintersection and setunion unify element types", () => {
    expect(json("setintersection", ["a", "b"], ["b", "c"])).toBe('["b"]');
    expect(goStr("setintersection", ["a"], [1])).toBe("cty.SetValEmpty(cty.String)");
    expect(json("setintersection", ["a"])).toBe('["a"]');
    expect(json("setintersection", [], ["a"])).toBe("[]");
    expect(json("setunion", ["a"], ["b", "a"])).toBe('["a","b"]');
    expect(goStr("setunion", ["a"], [1])).toBe(
      'cty.SetVal([]cty.Value{cty.StringVal("1"), cty.StringVal("a")})',
    );
    expect(json("setunion", ["b", "a", "c"])).toBe('["a","b","c"]');
    expect(run("setunion", [["x"]], ["y"])).toBe(
      callFailed("setunion", "given sets must all have compatible element types"),
    );
    expect(goStr("setunion", [], [])).toBe("cty.SetValEmpty(cty.DynamicPseudoType)");
  });
  it("setunion keeps unknown elements, setintersection waits for them", () => {
    const withUnknown = setValOf(stringType, [s("a"), unknownVal(stringType)]);
    expect(goStr("setunion", withUnknown, ["b"])).toBe(
      'cty.SetVal([]cty.Value{cty.StringVal("a"), cty.StringVal("b"), cty.UnknownVal(cty.String)})',
    );
    expect(goStr("setintersection", withUnknown, ["a"])).toBe("cty.UnknownVal(cty.Set(cty.String))");
  });
  it("setproduct builds every combination", () => {
    expect(json("setproduct", ["a", "b"], [1, 2])).toBe('[["a",1],["a",2],["b",1],["b",2]]');
    expect(json("setproduct", [1, "a"], ["b"])).toBe('[["1","b"],["a","b"]]');
    expect(goStr("setproduct", [], ["a"])).toBe(
      "cty.ListValEmpty(cty.Tuple([]cty.Type{cty.DynamicPseudoType, cty.String}))",
    );
    expect(goStr("setproduct", setValOf(stringType, [s("x")]), ["a"])).toBe(
      'cty.SetVal([]cty.Value{cty.TupleVal([]cty.Value{cty.StringVal("x"), cty.StringVal("a")})})',
    );
    expect(goStr("setproduct", unknownVal(listType(stringType)), ["a"])).toBe(
      "cty.UnknownVal(cty.List(cty.Tuple([]cty.Type{cty.String, cty.String})))",
    );
    expect(goStr("setproduct", strList("x").mark("m"), ["a"])).toBe(
      'cty.ListVal([]cty.Value{cty.TupleVal([]cty.Value{cty.StringVal("x"), cty.StringVal("a")})}).Mark("m")',
    );
  });
  it("setproduct reports bad arguments", () => {
    expect(run("setproduct", ["a"])).toBe(callFailed("setproduct", "at least two arguments are required"));
    expect(run("setproduct", "a", ["b"])).toBe(
      'Invalid value for "sets" parameter: a set or a list is required.',
    );
    expect(run("setproduct", [[1], "a"], ["b"])).toBe(
      'Invalid value for "sets" parameter: all elements must be of the same type.',
    );
  });
});

describe("slice", () => {
  it("slices lists and tuples", () => {
    expect(json("slice", ["a", "b", "c", "d"], 1, 3)).toBe('["b","c"]');
    expect(goStr("slice", ["a"], 0, 0)).toBe("cty.EmptyTupleVal");
    expect(goStr("slice", strList("a", "b"), 1, 2)).toBe('cty.ListVal([]cty.Value{cty.StringVal("b")})');
    expect(goStr("slice", strList("a"), 1, 1)).toBe("cty.ListValEmpty(cty.String)");
    expect(goStr("slice", ["a", 1], 0, unknownVal(numberType))).toBe("cty.DynamicVal");
  });
  it("reports bad indexes and inputs", () => {
    expect(run("slice", ["a"], 1, 0)).toBe(
      'Invalid value for "start_index" parameter: start index must not be greater than end index.',
    );
    expect(run("slice", ["a"], -1, 1)).toBe(
      'Invalid value for "start_index" parameter: start index must not be less than zero.',
    );
    expect(run("slice", ["a"], 0, 2)).toBe(
      'Invalid value for "end_index" parameter: end index must not be greater than the length of the list.',
    );
    expect(run("slice", ["a"], 2, 2)).toBe(
      'Invalid value for "start_index" parameter: start index must not be greater than the length of the list.',
    );
    expect(run("slice", ["a"], 0.5, 1)).toBe(
      'Invalid value for "start_index" parameter: invalid start index: value must be a whole number, between -9223372036854775808 and 9223372036854775807.',
    );
    expect(run("slice", "abc", 0, 1)).toBe(
      'Invalid value for "list" parameter: must be a list or tuple value.',
    );
    expect(run("slice", setValOf(stringType, [s("a")]), 0, 1)).toBe(
      'Invalid value for "list" parameter: cannot slice a set, because its elements do not have indices; explicitly convert to a list if the ordering of the result is not important.',
    );
  });
});

describe("sort", () => {
  it("sorts strings by their bytes", () => {
    expect(json("sort", ["b", "a", "C", "10", "9"])).toBe('["10","9","C","a","b"]');
    expect(json("sort", [3, 1, 20])).toBe('["1","20","3"]');
    expect(goStr("sort", [])).toBe("cty.ListValEmpty(cty.String)");
    expect(json("sort", ["é", "z", "Z"])).toBe('["Z","z","é"]');
    expect(json("sort", ["\uffff", "😀"])).toBe('["\uffff","😀"]');
  });
  it("rejects nulls and waits for unknowns", () => {
    expect(run("sort", ["a", null])).toBe(
      callFailed("sort", "given list element 1 is null; a null string cannot be sorted"),
    );
    expect(goStr("sort", listValOf(stringType, [s("b"), unknownVal(stringType)]))).toBe(
      "cty.UnknownVal(cty.List(cty.String))",
    );
  });
});

describe("zipmap", () => {
  it("pairs keys with values", () => {
    expect(json("zipmap", ["a", "b"], [1, 2])).toBe('{"a":1,"b":2}');
    expect(json("zipmap", ["a", "b"], [1, "x"])).toBe('{"a":1,"b":"x"}');
    expect(json("zipmap", ["a", "a"], [1, 2])).toBe('{"a":2}');
    expect(goStr("zipmap", [], [])).toBe("cty.EmptyObjectVal");
    expect(goStr("zipmap", strList("a"), numList(1))).toBe(
      'cty.MapVal(map[string]cty.Value{"a":cty.NumberIntVal(1)})',
    );
    expect(goStr("zipmap", strList(), numList())).toBe("cty.MapValEmpty(cty.Number)");
  });
  it("reports mismatches and bad values", () => {
    expect(run("zipmap", ["a"], [1, 2])).toBe(
      callFailed("zipmap", "number of keys (1) does not match number of values (2)"),
    );
    expect(run("zipmap", strList("a"), numList(1, 2))).toBe(
      callFailed("zipmap", "number of keys (1) does not match number of values (2)"),
    );
    expect(run("zipmap", ["a"], "x")).toBe(
      callFailed("zipmap", "values argument must be a list or tuple value"),
    );
    expect(run("zipmap", ["a", null], [1, 2])).toBe(
      callFailed("zipmap", "keys list has null value at index 1"),
    );
  });
  it("collects marks from keys and values", () => {
    expect(goStr("zipmap", listValOf(stringType, [s("a").mark("k")]), numList(1).mark("v"))).toBe(
      'cty.MapVal(map[string]cty.Value{"a":cty.NumberIntVal(1)}).WithMarks("k", "v")',
    );
  });
});
