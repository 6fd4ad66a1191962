import { describe, expect, it } from "vitest";
import { goJsonSyntaxError } from "./go-json-syntax.js";

describe("Go's JSON syntax errors", () => {
  it("accepts what JSON.parse accepts", () => {
    for (const ok of ['{"a": [1, -2.5e+3, true, false, null, "x\\u00e9\\n"]}', " [] ", "0", '""', "{}"]) {
      expect(goJsonSyntaxError(ok), ok).toBeUndefined();
    }
  });

  it("words errors as json.Unmarshal does", () => {
    const cases: [string, string][] = [
      ["", "unexpected end of JSON input"],
      ['{"a":1', "unexpected end of JSON input"],
      ["{nope", "invalid character 'n' looking for beginning of object key string"],
      ["x", "invalid character 'x' looking for beginning of value"],
      ['{"a" 1}', "invalid character '1' after object key"],
      ['{"a":1 "b":2}', "invalid character '\"' after object key:value pair"],
      ["[1 2]", "invalid character '2' after array element"],
      ["[1] x", "invalid character 'x' after top-level value"],
      ["01", "invalid character '1' after top-level value"],
      ["-x", "invalid character 'x' in numeric literal"],
      ["1.x", "invalid character 'x' after decimal point in numeric literal"],
      ["1ex", "invalid character 'x' in exponent of numeric literal"],
      ["tru", "unexpected end of JSON input"],
      ["trux", "invalid character 'x' in literal true (expecting 'e')"],
      ["nul!", "invalid character '!' in literal null (expecting 'l')"],
      ['"a\\q"', "invalid character 'q' in string escape code"],
      ['"\\u12x4"', "invalid character 'x' in \\u hexadecimal character escape"],
      ['"a\nb"', "invalid character '\\n' in string literal"],
      ["'", "invalid character '\\'' looking for beginning of value"],
    ];
    for (const [text, message] of cases) expect(goJsonSyntaxError(text), text).toBe(message);
  });
});
