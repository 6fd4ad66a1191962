import { describe, expect, it } from "vitest";
import type { Diagnostic, Range } from "../diagnostic.js";
import { parseJSON, parseJSONExpression } from "./parse.js";
import { decodeJSONString, parseDocument } from "./parser.js";
import { scan } from "./scanner.js";

const START = { line: 1, column: 1, byte: 0 };

/** "line:col-line:col@byte-byte", compact for assertions. */
function r(range: Range | undefined): string {
  if (range === undefined) return "none";
  const { start: s, end: e } = range;
  return `${s.line}:${s.column}-${e.line}:${e.column}@${s.byte}-${e.byte}`;
}

function summarize(diags: readonly Diagnostic[]): string[] {
  return diags.map((d) => `${d.summary} | ${d.detail} | ${r(d.subject)}`);
}

function parseDiags(src: string): string[] {
  return summarize(parseDocument(scan(src, "t.json", START))[1]);
}

describe("JSON scanner", () => {
  it("counts UTF-8 bytes, and grapheme clusters as columns inside strings", () => {
    const toks = scan('{"é👩‍👩‍👧": 1}', "t.json", START);
    expect(toks.map((t) => t.type)).toEqual(["BraceO", "String", "Colon", "Number", "BraceC", "EOF"]);
    // é is 2 bytes, the family emoji one cluster of 18 bytes: 2 quotes + 20 bytes, 4 columns.
    expect(r(toks[1]?.range)).toBe("1:2-1:6@1-23");
    expect(r(toks[3]?.range)).toBe("1:8-1:9@25-26");
  });

  it("takes no column for a carriage return and two for a tab", () => {
    const toks = scan("[\r\n\t1]", "t.json", START);
    expect(r(toks[1]?.range)).toBe("2:3-2:4@4-5");
  });

  it("stops at the first character that cannot start a token, marking one byte", () => {
    const toks = scan("[ü]", "t.json", START);
    expect(toks.map((t) => t.type)).toEqual(["BrackO", "Invalid", "EOF"]);
    expect(r(toks[1]?.range)).toBe("1:2-1:3@1-2");
    expect(r(toks[2]?.range)).toBe("1:3-1:3@2-2");
  });

  it("scans 'e' as the start of a keyword, not of a number", () => {
    expect(scan("e5", "t.json", START).map((t) => t.type)).toEqual(["Keyword", "Number", "EOF"]);
  });
});

describe("JSON parser diagnostics", () => {
  it("accepts a well-formed document", () => {
    expect(parseDiags('{"a": [1, 2.5e3, true, false, null, "x"], "b": {}}')).toEqual([]);
  });

  it("reports extraneous data after the value", () => {
    expect(parseDiags("{} []")).toEqual([
      "Extraneous data after value | Extra characters appear after the JSON value. | 1:4-1:5@3-4",
    ]);
  });

  it("reports invalid keywords with a suggestion", () => {
    expect(parseDiags("[True]")).toEqual([
      'Invalid JSON keyword | "True" is not a valid JSON keyword. Did you mean "true"? | 1:2-1:6@1-5',
    ]);
    expect(parseDiags("[undefined]")).toEqual([
      'Invalid JSON keyword | The JavaScript identifier "undefined" cannot be used in JSON. | 1:2-1:11@1-10',
    ]);
    expect(parseDiags("[bogus]")[0]).toContain('"bogus" is not a valid JSON keyword. |');
  });

  // After a missing comma HCL skips to the container's end and points at the token after it.
  it("reports broken objects like HCL", () => {
    expect(parseDiags('{"a": 1,}')).toEqual([
      "Trailing comma in object | JSON does not permit a trailing comma after the final property in an object. | 1:8-1:9@7-8",
    ]);
    expect(parseDiags('{"a" = 1}')).toEqual([
      "Missing property value colon | JSON uses a colon as its name/value delimiter, not an equals sign. | 1:6-1:7@5-6",
    ]);
    expect(parseDiags('{"a" 1}')).toEqual([
      "Missing property value colon | A colon must appear between an object property's name and its value. | 1:6-1:7@5-6",
    ]);
    expect(parseDiags('{"a", "b"}')).toEqual([
      "Missing object value | A JSON object attribute must have a value, introduced by a colon. | 1:5-1:6@4-5",
    ]);
    expect(parseDiags('{"a": 1')).toEqual([
      "Unclosed object | No closing brace was found for this JSON object. | 1:1-1:2@0-1",
    ]);
    expect(parseDiags('{"a": 1] ')).toEqual([
      "Mismatched braces | A JSON object must be closed with a brace, not a bracket. | 1:10-1:10@9-9",
    ]);
    expect(parseDiags('{"a": 1 "b": 2}')).toEqual([
      "Missing attribute seperator comma | A comma must appear between each property definition in an object. | 1:16-1:16@15-15",
    ]);
    expect(parseDiags("{1: 2}")).toEqual([
      "Invalid object property name | A JSON object property name must be a string | 1:2-1:3@1-2",
    ]);
  });

  it("reports broken arrays like HCL", () => {
    expect(parseDiags("[1,]")).toEqual([
      "Trailing comma in array | JSON does not permit a trailing comma after the final value in an array. | 1:3-1:4@2-3",
    ]);
    expect(parseDiags("[1")).toEqual([
      "Unclosed object | No closing bracket was found for this JSON array. | 1:1-1:2@0-1",
    ]);
    expect(parseDiags("[}")).toEqual([
      "Missing JSON value | A JSON value must start with a brace, a bracket, a number, a string, or a keyword. | 1:2-1:3@1-2",
      "Mismatched brackets | A JSON array must be closed with a bracket, not a brace. | 1:3-1:3@2-2",
    ]);
    expect(parseDiags("[1:2]")).toEqual([
      "Invalid array value | A colon is not used to introduce values in a JSON array. | 1:6-1:6@5-5",
    ]);
  });

  it("reports a missing value at the end of the input", () => {
    expect(parseDiags("")).toEqual(["Missing value | The JSON data ends prematurely. | 1:1-1:1@0-0"]);
  });

  it("validates numbers like encoding/json", () => {
    for (const bad of ["01", "-", "1.", ".5", "+1", "1e", "1-2"]) {
      expect(parseDiags(`[${bad}]`)).toEqual([
        `Invalid JSON number | There is a syntax error in the given JSON number. | 1:2-1:${2 + bad.length}@1-${1 + bad.length}`,
      ]);
    }
    expect(parseDiags("[-0, 1E+5, 0.25e-3]")).toEqual([]);
  });

  it("points an invalid string escape one byte past the bad character, with the string as context", () => {
    const [, diags] = parseDocument(scan('["a\\x"]', "t.json", START));
    expect(summarize(diags)).toEqual([
      "Invalid JSON string | There is a syntax error in the given JSON string. | 1:6-1:7@5-6",
    ]);
    expect(r(diags[0]?.context)).toBe("1:2-1:7@1-6");
  });

  it("parses to a placeholder when the root is not an object or array", () => {
    const { diagnostics, body } = parseJSON('"str"', "t.json");
    expect(summarize(diagnostics)).toEqual([
      "Root value must be object | The root value in a JSON-based configuration must be either a JSON object or a JSON array of objects. | 1:1-1:6@0-5",
    ]);
    // The stand-in body reads as empty and does not repeat the error.
    expect(body.content({}).diagnostics).toEqual([]);
  });

  it("reports the chain of errors Packer shows for a stray keyword in an object", () => {
    const { diagnostics } = parseJSON('{"a": 1, True}', "b.pkr.json");
    expect(diagnostics.map((d) => d.summary)).toEqual([
      "Invalid JSON keyword",
      "Invalid object property name",
      "Root value must be object",
    ]);
  });
});

describe("JSON strings", () => {
  it("decodes escapes like encoding/json", () => {
    expect(decodeJSONString('"a\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9"')).toEqual({
      ok: true,
      value: 'a"\\/\b\f\n\r\té',
    });
    expect(decodeJSONString('"\\ud83d\\ude00"')).toEqual({ ok: true, value: "😀" });
    // A lone surrogate becomes U+FFFD; the escape after it is decoded on its own.
    expect(decodeJSONString('"\\ud83d\\u0041"')).toEqual({ ok: true, value: "\ufffdA" });
  });

  it("gives Go's error offsets", () => {
    expect(decodeJSONString('"\\x"')).toEqual({ ok: false, offset: 3 });
    expect(decodeJSONString('"\\u12G4"')).toEqual({ ok: false, offset: 6 });
    expect(decodeJSONString('"abc')).toEqual({ ok: false, offset: 4 });
    expect(decodeJSONString('"é\\q"')).toEqual({ ok: false, offset: 5 });
  });
});

describe("parseJSONExpression", () => {
  it("keeps numbers at full precision", () => {
    const { expression, diagnostics } = parseJSONExpression(
      "3.14159265358979323846264338327950288419716939937510582097494459",
      "n.json",
    );
    expect(diagnostics).toEqual([]);
    const v = expression.value(undefined).value;
    expect(v.asBigFloat().text("f", -1)).toBe(
      "3.14159265358979323846264338327950288419716939937510582097494459",
    );
  });
});
