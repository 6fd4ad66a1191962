// Expected results were recorded from Packer 1.6.6 (`packer console`) unless marked as taken from the Go
// sources' own tests (functions newer than 1.6.6, or behaviour that changed since).
import { describe, expect, it } from "vitest";
import {
  dynamicVal,
  listType,
  listValOf,
  negativeInfinity,
  nullVal,
  numberIntVal,
  positiveInfinity,
  SENSITIVE,
  setValOf,
  stringType,
  stringVal,
  tupleVal,
  unknownVal,
  valueGoString,
} from "../../value/index.js";
import { stringFunctions } from "./string.js";
import { consoleResult, type Literal, N, resultJSON, resultValue } from "./util-a-testing.js";

const run = (name: string, ...args: Literal[]) => consoleResult(stringFunctions, name, args);
const json = (name: string, ...args: Literal[]) => resultJSON(stringFunctions, name, args);
const value = (name: string, ...args: Literal[]) => resultValue(stringFunctions, name, args);
const goStr = (name: string, ...args: Literal[]) => valueGoString(value(name, ...args));
const fmt = (...args: Literal[]) => run("format", ...args);
const callFailed = (name: string, msg: string) => `Call to function "${name}" failed: ${msg}.`;

describe("chomp", () => {
  it("removes trailing newlines of any style", () => {
    expect(run("chomp", "hello\n\n")).toBe("hello");
    expect(run("chomp", "hello\r\n\r\n")).toBe("hello");
    expect(run("chomp", "hello\r\r")).toBe("hello");
    expect(run("chomp", "a\n b\n")).toBe("a\n b");
    expect(run("chomp", "\n")).toBe("");
    expect(json("chomp", "a\n\r")).toBe('"a"');
    expect(json("chomp", "a\n\r\n")).toBe('"a"');
    expect(json("chomp", "a\nb")).toBe('"a\\nb"');
  });
});

describe("indent", () => {
  it("adds spaces after each newline", () => {
    expect(run("indent", 2, "a\nb\n")).toBe("a\n  b\n  ");
    expect(run("indent", 2, "")).toBe("");
    expect(run("indent", 0, "a\nb")).toBe("a\nb");
  });
  it("rejects fractions and (as a recovered panic) negative counts", () => {
    expect(run("indent", 0.5, "a")).toBe(
      callFailed(
        "indent",
        "value must be a whole number, between -9223372036854775808 and 9223372036854775807",
      ),
    );
    expect(run("indent", -1, "a\nb")).toBe(
      callFailed("indent", "panic in function implementation: strings: negative Repeat count"),
    );
  });
  it("fails cleanly when the result would exceed the string limit", () => {
    expect(run("indent", 2 ** 40, "a\nb")).toBe(callFailed("indent", "result string is too long"));
    expect(run("format", "%999999999999s", "a")).toBe(callFailed("format", "result string is too long"));
  });
});

describe("join", () => {
  it("joins one or more lists", () => {
    expect(run("join", ", ", ["a", "b"])).toBe("a, b");
    expect(run("join", "-", ["a"], ["b", "c"])).toBe("a-b-c");
    expect(run("join", "-", [])).toBe("");
    expect(run("join", "-", [1, true])).toBe("1-true");
    expect(run("join", "-", setValOf(stringType, [stringVal("b"), stringVal("a")]))).toBe("a-b");
  });
  it("reports missing lists, nulls and wrong types", () => {
    expect(run("join", "-")).toBe(callFailed("join", "at least one list is required"));
    expect(run("join", "-", ["a", null])).toBe(
      'Invalid value for "lists" parameter: element 1 is null; cannot concatenate null values.',
    );
    expect(run("join", "-", ["a"], ["b", null])).toBe(
      'Invalid value for "lists" parameter: element 1 of list 2 is null; cannot concatenate null values.',
    );
    expect(run("join", "-", "a")).toBe('Invalid value for "lists" parameter: list of string required.');
    expect(run("join", "-", [["a"]])).toBe(
      'Invalid value for "lists" parameter: element 0: string required.',
    );
  });
  it("is unknown when a list has unknown elements", () => {
    expect(goStr("join", "-", listValOf(stringType, [unknownVal(stringType)]))).toBe(
      "cty.UnknownVal(cty.String)",
    );
  });
});

describe("lower, upper, title", () => {
  it("map case per character as Go does", () => {
    expect(run("lower", "ÀÉÎ ABC")).toBe("àéî abc");
    expect(run("upper", "àéî abc")).toBe("ÀÉÎ ABC");
    expect(run("upper", "straße")).toBe("STRAßE");
    expect(json("upper", "ǆ")).toBe('"Ǆ"');
    expect(json("lower", "İ")).toBe('"i"');
    expect(json("lower", "ΑΣ")).toBe('"ασ"');
    expect(json("upper", "ﬁ")).toBe('"ﬁ"');
    expect(json("upper", "ᾳ")).toBe('"ᾼ"');
    expect(run("upper", 1)).toBe("1");
    expect(run("upper", true)).toBe("TRUE");
  });
  it("title-cases word starts", () => {
    expect(run("title", "hello world")).toBe("Hello World");
    expect(run("title", "hello_world foo-bar o'neil 1st 2nd.x")).toBe("Hello_world Foo-Bar O'Neil 1st 2nd.X");
    expect(run("title", "ǆemal ßa")).toBe("ǅemal ßa");
    expect(json("title", "éa ùb")).toBe('"Éa Ùb"');
  });
  it("reject nulls and non-strings", () => {
    expect(run("upper", null)).toBe('Invalid value for "str" parameter: argument must not be null.');
    expect(run("upper", ["a"])).toBe('Invalid value for "str" parameter: string required.');
  });
  it("propagate marks and unknowns", () => {
    const v = value("upper", stringVal("token").mark(SENSITIVE));
    expect(valueGoString(v)).toBe('cty.StringVal("TOKEN").Mark("sensitive")');
    expect(goStr("lower", unknownVal(stringType))).toBe("cty.UnknownVal(cty.String)");
    expect(goStr("upper", dynamicVal)).toBe("cty.UnknownVal(cty.String)");
  });
});

describe("replace", () => {
  it("replaces substrings literally (no regular expressions in Packer's replace)", () => {
    expect(run("replace", "hello world", "o", "0")).toBe("hell0 w0rld");
    expect(run("replace", "hello", "", "-")).toBe("-h-e-l-l-o-");
    expect(run("replace", "aaa", "aa", "b")).toBe("ba");
    expect(run("replace", "hello", "/l+/", "L")).toBe("hello");
    expect(run("replace", "a/b/c", "/b/", "x")).toBe("axc");
    expect(run("replace", "a$b", "$", "$&")).toBe("a$&b");
    expect(json("replace", "😀x", "", ".")).toBe('".😀.x."');
  });
});

describe("split", () => {
  it("splits on a separator, or into characters when it is empty", () => {
    expect(goStr("split", ",", "a,b,c")).toBe(
      'cty.ListVal([]cty.Value{cty.StringVal("a"), cty.StringVal("b"), cty.StringVal("c")})',
    );
    expect(json("split", ",", "")).toBe('[""]');
    expect(json("split", "", "abc")).toBe('["a","b","c"]');
    expect(goStr("split", "", "")).toBe("cty.ListValEmpty(cty.String)");
    expect(json("split", ",", ",")).toBe('["",""]');
    expect(json("split", "", "héllo")).toBe('["h","é","l","l","o"]');
    expect(json("split", "", "e\u0301x")).toBe('["é","x"]');
    expect(json("split", "", "😀a")).toBe('["😀","a"]');
  });
});

describe("strrev and substr (grapheme clusters)", () => {
  it("reverses clusters", () => {
    expect(run("strrev", "hello")).toBe("olleh");
    expect(json("strrev", "e\u0301x")).toBe('"xé"');
    expect(json("strrev", "👨‍👩‍👧x")).toBe('"x👨‍👩‍👧"');
    expect(json("strrev", "wé́́é́́!")).toBe('"!é́́é́́w"');
    expect(run("strrev", "")).toBe("");
  });
  it("extracts substrings with cty's offset and length rules", () => {
    expect(run("substr", "hello world", 1, 4)).toBe("ello");
    expect(run("substr", "hello", -3, -1)).toBe("llo");
    expect(run("substr", "hello", -3, 2)).toBe("ll");
    expect(run("substr", "hello", 0, 0)).toBe("");
    expect(run("substr", "hello", -1, 0)).toBe("o");
    expect(run("substr", "hello", -10, 2)).toBe("he");
    expect(run("substr", "hello", 10, 2)).toBe("");
    expect(run("substr", "hello", 5, 2)).toBe("");
    expect(run("substr", "hello", 4, 10)).toBe("o");
    expect(run("substr", "hello", 2, -1)).toBe("llo");
    expect(run("substr", "", 0, 1)).toBe("");
    expect(run("substr", "", 1, 1)).toBe("");
    expect(json("substr", "e\u0301xyz", 0, 2)).toBe('"éx"');
    expect(json("substr", "😸😾x", 1, 1)).toBe('"😾"');
  });
  it("requires whole-number offsets and lengths", () => {
    const msg = callFailed(
      "substr",
      "value must be a whole number, between -9223372036854775808 and 9223372036854775807",
    );
    expect(run("substr", "hello", 1.5, 1)).toBe(msg);
    expect(run("substr", "hello", 1, 1.5)).toBe(msg);
  });
});

describe("trim family", () => {
  it("trims cutsets, prefixes, suffixes and Unicode spaces", () => {
    expect(run("trim", "?!hello?!", "!?")).toBe("hello");
    expect(run("trim", "abc", "")).toBe("abc");
    expect(run("trim", "  ", " ")).toBe("");
    expect(run("trimprefix", "helloworld", "hello")).toBe("world");
    expect(run("trimprefix", "helloworld", "world")).toBe("helloworld");
    expect(run("trimsuffix", "helloworld", "world")).toBe("hello");
    expect(run("trimsuffix", "hello", "")).toBe("hello");
    expect(run("trimspace", "  hello\n\t ")).toBe("hello");
    expect(json("trimspace", "\u00a0\u0085x\u2028\u3000")).toBe('"x"');
    expect(json("trimspace", "\ufeffx\ufeff")).toBe('"\ufeffx\ufeff"');
    expect(json("trimspace", "\u200bx")).toBe('"\u200bx"');
  });
});

describe("startswith, endswith, strcontains (Packer's tests)", () => {
  it("compare code units, not clusters", () => {
    expect(run("startswith", "hello world", "hello")).toBe("true");
    expect(run("startswith", "hey world", "hello")).toBe("false");
    expect(run("startswith", "", "")).toBe("true");
    expect(run("startswith", "", " ")).toBe("false");
    expect(run("startswith", "a", "")).toBe("true");
    expect(run("startswith", "\u{1f937}\u200d\u2642", "\u{1f937}")).toBe("true");
    expect(run("endswith", "hello world", "world")).toBe("true");
    expect(run("endswith", "hey world", "worldss")).toBe("false");
    expect(run("endswith", "", "")).toBe("true");
    expect(run("endswith", "", "a")).toBe("false");
    expect(run("strcontains", "hello", "hel")).toBe("true");
    expect(run("strcontains", "hello", "lo")).toBe("true");
    expect(run("strcontains", "hello1", "heo")).toBe("false");
    expect(run("strcontains", "hello1", 1)).toBe("true");
  });
  it("are unknown for unknown input", () => {
    expect(valueGoString(value("startswith", unknownVal(stringType), ""))).toBe("cty.UnknownVal(cty.Bool)");
    expect(valueGoString(value("endswith", unknownVal(stringType), "a"))).toBe("cty.UnknownVal(cty.Bool)");
  });
});

describe("format", () => {
  it("formats strings, widths and precisions by grapheme cluster", () => {
    expect(fmt("Hello, %s!", "Ander")).toBe("Hello, Ander!");
    expect(fmt("%s|%5s|%-5s|%.2s|%5.1s|%.0s", "abc", "abc", "abc", "abc", "abc", "abc")).toBe(
      "abc|  abc|abc  |ab|    a|abc",
    );
    expect(fmt("%s", 12.5)).toBe("12.5");
    expect(fmt("%s", true)).toBe("true");
    expect(fmt("%.3s", "e\u0301\u0301abc")).toBe("é́ab");
    expect(fmt("%5s|", "é")).toBe("    é|");
    expect(fmt("%4s", "💃🏿")).toBe("   💃🏿");
    expect(fmt("%-4s|", "💃🏿")).toBe("💃🏿   |");
    expect(fmt("%.5s", "日本語日本語")).toBe("日本語日本");
    expect(fmt("%05s|%-05v|%-05s|%-05q", "ab", 12, "ab", "x")).toBe('000ab|12000|ab000|"x"00');
  });
  it("quotes as JSON with %q", () => {
    expect(fmt("%q", 'a"b\n<>&')).toBe('"a\\"b\\n\\u003c\\u003e\\u0026"');
    expect(fmt("%q", 12)).toBe('"12"');
    expect(fmt("%6q|%.1q", "ab", "ab")).toBe('  "ab"|"a"');
    expect(fmt("%q", "ü\u2028")).toBe('"ü\\u2028"');
    expect(fmt("%.1q", "日本語")).toBe('"日"');
  });
  it("formats integers with Go's rules", () => {
    expect(fmt("%d", 42)).toBe("42");
    expect(fmt("%5d|%-5d|%05d", 42, 42, 42)).toBe("   42|42   |00042");
    expect(fmt("%+d % d %+d", 5, 5, -5)).toBe("+5  5 -5");
    expect(fmt("%x %X %o %b", 255, 255, 8, 5)).toBe("ff FF 10 101");
    expect(fmt("%#x %#X %#o %#b", 255, 255, 8, 5)).toBe("0xff 0XFF 010 0b101");
    expect(fmt("%.5d|%8.5d|%-8.5d|%08.5d", 42, 42, 42, 42)).toBe("00042|   00042|00042   |   00042");
    expect(fmt("%.0d|%.d", 0, 0)).toBe("|");
    expect(fmt("%d", "12")).toBe("12");
    expect(fmt("%d", N("123456789012345678901234567890"))).toBe("123456789012345678901234567890");
    expect(fmt("%x", -255)).toBe("-ff");
    expect(fmt("%d", N("-0"))).toBe("0");
    expect(fmt("%-+ 0#5d", 3)).toBe("+3   ");
    expect(fmt("%0-5d|%-05d|", 3, 3)).toBe("3    |3    |");
  });
  it("formats floats with Go's big.Float rules", () => {
    expect(fmt("%f", N("3.14159"))).toBe("3.141590");
    expect(
      fmt("%.2f|%8.2f|%-8.2f|%08.2f|%+.1f", N("3.14159"), N("3.14159"), N("3.14159"), N("-3.14159"), 2.0),
    ).toBe("3.14|    3.14|3.14    |-0003.14|+2.0");
    expect(fmt("%e|%E|%.2e", 123456.789, 123456.789, 123456.789)).toBe("1.234568e+05|1.234568E+05|1.23e+05");
    expect(fmt("%g|%G|%.3g|%g|%g", 0.000012345, N("1e21"), 123456, 100000, 1000000)).toBe(
      "1.2345e-05|1E+21|1.23e+05|100000|1e+06",
    );
    expect(fmt("% .2f|% d", 1.5, 7)).toBe(" 1.50| 7");
    expect(fmt("%05s|%05.1f|%-05.1f|", "ab", 1.25, 1.25)).toBe("000ab|001.2|1.2  |");
    expect(fmt("%3.1[1]f", 2.55)).toBe("2.5");
    expect(fmt("%e", 0)).toBe("0.000000e+00");
    expect(fmt("%g", 1e-5)).toBe("1e-05");
    expect(fmt("%.0f|%.0f|%.0f", 0.5, 1.5, 2.5)).toBe("0|2|2");
    expect(fmt("%.1f", 0.05)).toBe("0.1");
    expect(fmt("%.20f", 0.1)).toBe("0.10000000000000000000");
    expect(fmt("%10.3e|%-12.3E|", 1234.5, 1234.5)).toBe(" 1.234e+03|1.234E+03   |");
    expect(fmt("%g", N("1e100"))).toBe("1e+100");
    expect(fmt("%.0e", 15)).toBe("2e+01");
    expect(fmt("%G", 1e-7)).toBe("1E-07");
    expect(fmt("%f things", "100000000000000000000000000000000000001")).toBe(
      "100000000000000000000000000000000000001.000000 things",
    );
    expect(fmt("%.1f things", "1.06")).toBe("1.1 things");
    expect(fmt("%g things", "0.00000000000000000000001")).toBe("1e-23 things");
  });
  it("formats infinities", () => {
    const inf = positiveInfinity;
    expect(fmt("%f", inf)).toBe("+Inf");
    expect(fmt("%08f|%-8f|%+f|% f", inf, negativeInfinity, inf, inf)).toBe("    +Inf|-Inf    |+Inf| Inf");
    expect(fmt("%v", inf)).toBe("+Inf");
    expect(fmt("%d", inf)).toBe(
      callFailed("format", 'unsupported value for "%d" at 0: an integer is required'),
    );
    expect(fmt("%#v", inf)).toBe(
      callFailed("format", 'unsupported value for "%#v" at 0: cannot serialize infinity as JSON'),
    );
    expect(fmt("%v", [inf])).toBe(
      callFailed("format", 'unsupported value for "%v" at 0: cannot serialize infinity as JSON'),
    );
  });
  it("uses %v defaults and JSON for other types", () => {
    expect(fmt("%v|%v|%v|%v", "s", 1.5, true, [1, "a"])).toBe('s|1.5|true|[1,"a"]');
    expect(fmt("%v", { a: 1, b: "x" })).toBe('{"a":1,"b":"x"}');
    expect(fmt("%#v|%#v|%#v", "s", 1.5, true)).toBe('"s"|1.5|true');
    expect(fmt("%5v|%-5v|%05v", "ab", 12, -1)).toBe("   ab|12   |000-1");
    expect(fmt("%v", N("1e20"))).toBe("1e+20");
    expect(fmt("%v", N("123456789012345678901234567890"))).toBe("1.2345678901234567890123456789e+29");
    expect(fmt("%v", 0.1)).toBe("0.1");
    expect(fmt("%v", [null])).toBe("[null]");
    expect(fmt("%v", nullVal(stringType))).toBe("null");
    expect(fmt("%.2v|%.1v", "abc", 1.25)).toBe("abc|1.25");
    expect(fmt("%#s|%#d", "a", 10)).toBe("a|10");
    expect(fmt("object %v|tuple %v", {}, [])).toBe("object {}|tuple []");
  });
  it("formats bools", () => {
    expect(fmt("%t", true)).toBe("true");
    expect(fmt("%t", "true")).toBe("true");
    expect(fmt("%t", "yes")).toBe(
      callFailed("format", 'unsupported value for "%t" at 0: a bool is required'),
    );
    expect(fmt("%t", 1)).toBe(callFailed("format", 'unsupported value for "%t" at 0: bool required'));
  });
  it("selects arguments by index", () => {
    expect(fmt("%s %[1]s %s", "a", "b")).toBe("a a b");
    expect(fmt("%[2]s %[1]s", "a", "b")).toBe("b a");
    expect(fmt("%[2]s", "a", "b")).toBe("b");
    expect(fmt("%%|%s", "a")).toBe("%|a");
    expect(fmt("100%% successful")).toBe("100% successful");
  });
  it("reports value errors", () => {
    expect(fmt("%d", 1.5)).toBe(
      callFailed("format", 'unsupported value for "%d" at 0: an integer is required'),
    );
    expect(fmt("%d", "x")).toBe(
      callFailed("format", 'unsupported value for "%d" at 0: a number is required'),
    );
    expect(fmt("%d", true)).toBe(callFailed("format", 'unsupported value for "%d" at 0: number required'));
    expect(fmt("%d", nullVal(stringType))).toBe(
      callFailed("format", 'unsupported value for "%d" at 0: null value cannot be formatted'),
    );
    expect(fmt("%s", [1])).toBe(callFailed("format", 'unsupported value for "%s" at 0: string required'));
    expect(fmt("%s %s", "a", ["x"])).toBe(
      callFailed("format", 'unsupported value for "%s" at 3: string required'),
    );
    expect(fmt("%z", nullVal(stringType))).toBe(
      callFailed("format", 'unsupported value for "%z" at 0: null value cannot be formatted'),
    );
  });
  it("reports argument-count errors", () => {
    expect(fmt("%[3]s", "a", "b")).toBe(
      callFailed("format", 'not enough arguments for "%[3]s" at 0: need index 3 but have 2 total'),
    );
    expect(fmt("%s %s", "a")).toBe(
      callFailed("format", 'not enough arguments for "%s" at 3: need index 2 but have 1 total'),
    );
    expect(fmt("%s", "a", "b")).toBe(
      'Invalid value for "args" parameter: too many arguments; only 1 used by format string.',
    );
    expect(fmt("abc", "a")).toBe(
      'Invalid value for "args" parameter: too many arguments; no verbs in format string.',
    );
  });
  it("reports format-string errors with byte offsets", () => {
    expect(fmt("%z", 1)).toBe(callFailed("format", `unsupported format verb 'z' in "%z" at offset 0`));
    expect(fmt("%#z is not valid", 1)).toBe(
      callFailed("format", `unsupported format verb 'z' in "%#z" at offset 0`),
    );
    expect(fmt("%T", 1)).toBe(callFailed("format", `unsupported format verb 'T' in "%T" at offset 0`));
    expect(fmt("%F", 1.5)).toBe(callFailed("format", `unsupported format verb 'F' in "%F" at offset 0`));
    expect(fmt("%[0]s", 1)).toBe(callFailed("format", "unrecognized format character '0' at offset 2"));
    expect(fmt("%5.2!", 1)).toBe(callFailed("format", "unrecognized format character '!' at offset 4"));
    expect(fmt("%é", 1)).toBe(callFailed("format", "unrecognized format character 'é' at offset 1"));
    expect(fmt("é%☠", 1)).toBe(callFailed("format", "unrecognized format character '☠' at offset 3"));
    expect(fmt("%💃🏿", 1)).toBe(callFailed("format", "unrecognized format character '💃' at offset 1"));
    expect(fmt("%2$s", "a")).toBe(callFailed("format", "unrecognized format character '$' at offset 2"));
    expect(fmt("%\n", "a")).toBe(callFailed("format", "unrecognized format character '\\n' at offset 1"));
    for (const [f, off] of [
      ["%[1]", 4],
      ["%.", 2],
      ["%5", 2],
      ["%[", 2],
      ["%[1", 3],
      ["%-", 2],
      ["%", 1],
      ["abc%5", 5],
      ["é%", 3],
    ] as const) {
      expect(fmt(f, "a")).toBe(callFailed("format", `invalid format string starting at offset ${off}`));
    }
  });
  it("is unknown while any argument is not wholly known, and propagates marks", () => {
    expect(goStr("format", "Hello, %s!", unknownVal(stringType))).toBe("cty.UnknownVal(cty.String)");
    expect(goStr("format", "%v", tupleVal([unknownVal(stringType)]))).toBe("cty.UnknownVal(cty.String)");
    expect(goStr("format", "%s", stringVal("world").mark(SENSITIVE))).toBe(
      'cty.StringVal("world").Mark("sensitive")',
    );
    expect(goStr("format", stringVal("hello %s").mark(SENSITIVE), "world")).toBe(
      'cty.StringVal("hello world").Mark("sensitive")',
    );
  });
  it("gives up on untyped null arguments (cty 1.13 short-circuits them; Packer 1.6.6 printed null)", () => {
    expect(goStr("format", "%v", null)).toBe("cty.DynamicVal");
    expect(run("format", nullVal(stringType), 1)).toBe(
      'Invalid value for "format" parameter: argument must not be null.',
    );
  });
});

describe("formatlist", () => {
  it("iterates over sequences and repeats single values", () => {
    expect(json("formatlist", "%s-%s", ["a", "b"], "x")).toBe('["a-x","b-x"]');
    expect(goStr("formatlist", "%s", [])).toBe("cty.ListValEmpty(cty.String)");
    expect(json("formatlist", "x")).toBe('["x"]');
    expect(json("formatlist", "%v", [[1]])).toBe('["[1]"]');
    expect(
      json("formatlist", "%s=%s", setValOf(stringType, [stringVal("b"), stringVal("a")]), ["1", "2"]),
    ).toBe('["a=1","b=2"]');
    expect(json("formatlist", "%v", nullVal(stringType))).toBe('["null"]');
  });
  it("reports length mismatches and per-iteration errors", () => {
    expect(run("formatlist", "%s", ["a", "b"], ["c"])).toBe(
      'Invalid value for "args" parameter: argument 2 has length 1, which is inconsistent with argument 1 of length 2.',
    );
    expect(run("formatlist", "%s %s", ["a"])).toBe(
      callFailed(
        "formatlist",
        'error on format iteration 0: not enough arguments for "%s" at 3: need index 2 but have 1 total',
      ),
    );
    expect(run("formatlist", "%s", ["a"], "b")).toBe(
      callFailed(
        "formatlist",
        "error on format iteration 0: too many arguments; only 1 used by format string",
      ),
    );
    expect(run("formatlist", "%d", ["a"])).toBe(
      callFailed(
        "formatlist",
        'error on format iteration 0: unsupported value for "%d" at 0: a number is required',
      ),
    );
    expect(run("formatlist", "%s", { a: 1 })).toBe(
      callFailed(
        "formatlist",
        'error on format iteration 0: unsupported value for "%s" at 0: string required',
      ),
    );
    expect(run("formatlist", "%s", nullVal(stringType))).toBe(
      callFailed(
        "formatlist",
        'error on format iteration 0: unsupported value for "%s" at 0: null value cannot be formatted',
      ),
    );
    expect(run("formatlist", "%s")).toBe(
      callFailed("formatlist", 'not enough arguments for "%s" at 0: need index 1 but have 0 total'),
    );
  });
  it("keeps known iterations when others are unknown", () => {
    const l = listValOf(stringType, [stringVal("a"), unknownVal(stringType)]);
    expect(goStr("formatlist", "%s!", l)).toBe(
      'cty.ListVal([]cty.Value{cty.StringVal("a!"), cty.UnknownVal(cty.String)})',
    );
    expect(goStr("formatlist", "%s", unknownVal(listType(stringType)))).toBe(
      "cty.UnknownVal(cty.List(cty.String))",
    );
    expect(goStr("formatlist", "%s%s", ["a"], numberIntVal(1).mark(SENSITIVE))).toBe(
      'cty.ListVal([]cty.Value{cty.StringVal("a1")}).Mark("sensitive")',
    );
  });
});
