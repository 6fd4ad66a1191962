/**
 * The syntax errors of Go's encoding/json scanner (what json.Unmarshal reports for malformed input):
 * `invalid character 'x' looking for beginning of value`, `unexpected end of JSON input`, ...
 */
import { goQuote } from "../../../sdk/index.js";

class SyntaxError_ extends Error {}

/** Go's quoteChar: the character in single quotes, escaped as strconv.Quote escapes it. */
function quoteChar(c: string): string {
  if (c === "'") return "'\\''";
  if (c === '"') return "'\"'";
  const q = goQuote(c);
  return `'${q.slice(1, -1)}'`;
}

const isSpace = (c: string | undefined): boolean => c === " " || c === "\t" || c === "\r" || c === "\n";
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= "0" && c <= "9";
const isHex = (c: string | undefined): boolean => c !== undefined && /^[0-9a-fA-F]$/.test(c);

/** The error Go's json.Unmarshal gives for `text`'s syntax, or undefined when it is valid JSON. */
export function goJsonSyntaxError(text: string): string | undefined {
  const chars = [...text];
  let i = 0;
  const fail = (context: string): never => {
    const c = chars[i];
    if (c === undefined) throw new SyntaxError_("unexpected end of JSON input");
    throw new SyntaxError_(`invalid character ${quoteChar(c)} ${context}`);
  };
  const skip = (): void => {
    while (isSpace(chars[i])) i++;
  };
  const literal = (word: string): void => {
    for (let k = 1; k < word.length; k++) {
      i++;
      if (chars[i] !== word[k]) fail(`in literal ${word} (expecting ${quoteChar(word[k]!)})`);
    }
    i++;
  };
  const string = (): void => {
    i++; // opening quote
    for (;;) {
      const c = chars[i];
      if (c === undefined) {
        fail("");
        return;
      }
      if (c === '"') {
        i++;
        return;
      }
      if (c === "\\") {
        i++;
        const e = chars[i];
        if (e === "u") {
          for (let k = 0; k < 4; k++) {
            i++;
            if (!isHex(chars[i])) fail("in \\u hexadecimal character escape");
          }
        } else if (e === undefined || !'bfnrt\\/"'.includes(e)) fail("in string escape code");
        i++;
        continue;
      }
      if (c.codePointAt(0)! < 0x20) fail("in string literal");
      i++;
    }
  };
  const number = (): void => {
    if (chars[i] === "-") {
      i++;
      if (!isDigit(chars[i])) fail("in numeric literal");
    }
    if (chars[i] === "0") i++;
    else while (isDigit(chars[i])) i++;
    if (chars[i] === ".") {
      i++;
      if (!isDigit(chars[i])) fail("after decimal point in numeric literal");
      while (isDigit(chars[i])) i++;
    }
    if (chars[i] === "e" || chars[i] === "E") {
      i++;
      if (chars[i] === "+" || chars[i] === "-") i++;
      if (!isDigit(chars[i])) fail("in exponent of numeric literal");
      while (isDigit(chars[i])) i++;
    }
  };
  const value = (): void => {
    skip();
    const c = chars[i];
    if (c === "{") {
      i++;
      skip();
      if (chars[i] === "}") {
        i++;
        return;
      }
      for (;;) {
        if (chars[i] !== '"') fail("looking for beginning of object key string");
        string();
        skip();
        if (chars[i] !== ":") fail("after object key");
        i++;
        value();
        skip();
        if (chars[i] === ",") {
          i++;
          skip();
          continue;
        }
        if (chars[i] === "}") {
          i++;
          return;
        }
        fail("after object key:value pair");
      }
    }
    if (c === "[") {
      i++;
      skip();
      if (chars[i] === "]") {
        i++;
        return;
      }
      for (;;) {
        value();
        skip();
        if (chars[i] === ",") {
          i++;
          continue;
        }
        if (chars[i] === "]") {
          i++;
          return;
        }
        fail("after array element");
      }
    }
    if (c === '"') string();
    else if (c === "-" || isDigit(c)) number();
    else if (c === "t") literal("true");
    else if (c === "f") literal("false");
    else if (c === "n") literal("null");
    else fail("looking for beginning of value");
  };
  try {
    value();
    skip();
    if (i < chars.length) fail("after top-level value");
    return undefined;
  } catch (err) {
    if (err instanceof SyntaxError_) return err.message;
    throw err;
  }
}
