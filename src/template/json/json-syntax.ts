/**
 * Reading legacy JSON templates the way Packer does with Go's encoding/json: the whole document is checked
 * first (syntax errors carry Go's messages and byte offsets, e.g. `invalid character '*' looking for beginning
 * of value` at offset 1), then every object is checked for repeated keys (`template has duplicate field: foo`,
 * the first one in document order). Values are plain JS data (numbers are float64, as Go decodes them), and
 * the range of every object, array and key is kept for callers that want to point into the file.
 */
import type { Pos, Range } from "../../hcl/index.js";
import { goQuote } from "../../hcl/index.js";

export type JSONValue = null | boolean | number | string | JSONValue[] | JSONObject;
export interface JSONObject {
  [key: string]: JSONValue;
}

/** Go's *json.SyntaxError: the message and the number of bytes read when it was found. */
export interface JSONSyntaxError {
  readonly message: string;
  readonly offset: number;
}

/** Where an object or array was, and where each key of an object was. */
export interface JSONPositions {
  rangeOf(value: object): Range | undefined;
  keyRange(object: object, key: string): Range | undefined;
}

export type ParseJSONResult =
  | { readonly ok: true; readonly value: JSONValue; readonly positions: JSONPositions }
  | { readonly ok: false; readonly syntax: JSONSyntaxError }
  | { readonly ok: false; readonly duplicate: string };

class SyntaxFailure {
  constructor(
    readonly message: string,
    readonly offset: number,
  ) {}
}

/** Go's quoteChar: how a byte is shown in `invalid character ...` messages. */
function quoteChar(c: number): string {
  if (c === 0x27) return `'\\''`;
  if (c === 0x22) return `'"'`;
  const q = goQuote(String.fromCodePoint(c));
  return `'${q.slice(1, -1)}'`;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isHex(c: number): boolean {
  return isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
}

const decoder = new TextDecoder("utf-8", { fatal: false });

/** Sets a key on a plain object without triggering the `__proto__` setter. */
function setKey(obj: JSONObject, key: string, value: JSONValue): void {
  if (key === "__proto__")
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

/**
 * How deeply objects and arrays may nest. Go's decoder stops at 10000 levels with "exceeded max depth"; kiln
 * stops earlier, with the same message, because the reader and everything that walks the value recurse, and
 * 10000 levels would exhaust the JavaScript stack. No real template comes near either limit.
 */
export const MAX_JSON_DEPTH = 500;

class Reader {
  private i = 0;
  private depth = 0;
  readonly ranges = new WeakMap<object, Range>();
  readonly keyRanges = new WeakMap<object, Map<string, Range>>();
  /** The first repeated key, in document order. */
  duplicate: string | undefined;
  private readonly lineStarts: number[] = [0];

  constructor(
    private readonly b: Uint8Array,
    private readonly filename: string,
  ) {
    for (let k = 0; k < b.length; k++) if (b[k] === 0x0a) this.lineStarts.push(k + 1);
  }

  pos(byte: number): Pos {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= byte) lo = mid;
      else hi = mid - 1;
    }
    const start = this.lineStarts[lo]!;
    const column = decoder.decode(this.b.subarray(start, byte)).length + 1;
    return { line: lo + 1, column, byte };
  }

  private range(from: number, to: number): Range {
    return { filename: this.filename, start: this.pos(from), end: this.pos(to) };
  }

  /** Fails at the byte at index `at` (Go's offset counts that byte as read). */
  private fail(at: number, context: string): never {
    if (at >= this.b.length) throw new SyntaxFailure("unexpected end of JSON input", this.b.length);
    throw new SyntaxFailure(`invalid character ${quoteChar(this.b[at]!)} ${context}`, at + 1);
  }

  private skipSpace(): void {
    while (this.i < this.b.length && isSpace(this.b[this.i]!)) this.i++;
  }

  document(): JSONValue {
    this.skipSpace();
    const v = this.value();
    this.skipSpace();
    if (this.i < this.b.length) this.fail(this.i, "after top-level value");
    return v;
  }

  private value(): JSONValue {
    this.skipSpace();
    const c = this.b[this.i];
    if (c === undefined) this.fail(this.i, "looking for beginning of value");
    switch (c) {
      case 0x7b:
      case 0x5b: {
        if (this.depth >= MAX_JSON_DEPTH) throw new SyntaxFailure("exceeded max depth", this.i + 1);
        this.depth++;
        const v = c === 0x7b ? this.object() : this.array();
        this.depth--;
        return v;
      }
      case 0x22:
        return this.string();
      case 0x74:
        return this.literal("true", true);
      case 0x66:
        return this.literal("false", false);
      case 0x6e:
        return this.literal("null", null);
      default:
        if (c === 0x2d || isDigit(c)) return this.number();
        return this.fail(this.i, "looking for beginning of value");
    }
  }

  private literal<T extends JSONValue>(word: string, v: T): T {
    for (let k = 1; k < word.length; k++) {
      const at = this.i + k;
      if (this.b[at] !== word.charCodeAt(k))
        this.fail(at, `in literal ${word} (expecting ${quoteChar(word.charCodeAt(k))})`);
    }
    this.i += word.length;
    return v;
  }

  private number(): number {
    const start = this.i;
    if (this.b[this.i] === 0x2d) {
      this.i++;
      if (!isDigit(this.b[this.i] ?? -1)) this.fail(this.i, "in numeric literal");
    }
    if (this.b[this.i] === 0x30) this.i++;
    else while (isDigit(this.b[this.i] ?? -1)) this.i++;
    if (this.b[this.i] === 0x2e) {
      this.i++;
      if (!isDigit(this.b[this.i] ?? -1)) this.fail(this.i, "after decimal point in numeric literal");
      while (isDigit(this.b[this.i] ?? -1)) this.i++;
    }
    if (this.b[this.i] === 0x65 || this.b[this.i] === 0x45) {
      this.i++;
      if (this.b[this.i] === 0x2b || this.b[this.i] === 0x2d) this.i++;
      if (!isDigit(this.b[this.i] ?? -1)) this.fail(this.i, "in exponent of numeric literal");
      while (isDigit(this.b[this.i] ?? -1)) this.i++;
    }
    return Number(decoder.decode(this.b.subarray(start, this.i)));
  }

  private string(): string {
    this.i++; // opening quote
    let out = "";
    let runStart = this.i;
    for (;;) {
      const c = this.b[this.i];
      if (c === undefined) this.fail(this.i, "in string literal");
      if (c === 0x22) {
        out += decoder.decode(this.b.subarray(runStart, this.i));
        this.i++;
        return out;
      }
      if (c < 0x20) this.fail(this.i, "in string literal");
      if (c !== 0x5c) {
        this.i++;
        continue;
      }
      out += decoder.decode(this.b.subarray(runStart, this.i));
      const e = this.b[this.i + 1];
      if (e === undefined) this.fail(this.i + 1, "in string escape code");
      switch (e) {
        case 0x62:
          out += "\b";
          break;
        case 0x66:
          out += "\f";
          break;
        case 0x6e:
          out += "\n";
          break;
        case 0x72:
          out += "\r";
          break;
        case 0x74:
          out += "\t";
          break;
        case 0x5c:
          out += "\\";
          break;
        case 0x2f:
          out += "/";
          break;
        case 0x22:
          out += '"';
          break;
        case 0x75: {
          for (let k = 2; k < 6; k++) {
            if (!isHex(this.b[this.i + k] ?? -1))
              this.fail(this.i + k, "in \\u hexadecimal character escape");
          }
          const unit = Number.parseInt(decoder.decode(this.b.subarray(this.i + 2, this.i + 6)), 16);
          out += String.fromCharCode(unit);
          this.i += 4;
          break;
        }
        default:
          this.fail(this.i + 1, "in string escape code");
      }
      this.i += 2;
      runStart = this.i;
    }
  }

  private object(): JSONObject {
    const start = this.i;
    this.i++;
    const obj: JSONObject = {};
    const keys = new Map<string, Range>();
    this.skipSpace();
    if (this.b[this.i] === 0x7d) {
      this.i++;
      this.ranges.set(obj, this.range(start, this.i));
      this.keyRanges.set(obj, keys);
      return obj;
    }
    for (;;) {
      this.skipSpace();
      if (this.b[this.i] !== 0x22) this.fail(this.i, "looking for beginning of object key string");
      const keyStart = this.i;
      const key = this.string();
      if (keys.has(key) && this.duplicate === undefined) this.duplicate = key;
      keys.set(key, this.range(keyStart, this.i));
      this.skipSpace();
      if (this.b[this.i] !== 0x3a) this.fail(this.i, "after object key");
      this.i++;
      const v = this.value();
      setKey(obj, key, v);
      this.skipSpace();
      const c = this.b[this.i];
      if (c === 0x2c) {
        this.i++;
        continue;
      }
      if (c === 0x7d) {
        this.i++;
        break;
      }
      this.fail(this.i, "after object key:value pair");
    }
    this.ranges.set(obj, this.range(start, this.i));
    this.keyRanges.set(obj, keys);
    return obj;
  }

  private array(): JSONValue[] {
    const start = this.i;
    this.i++;
    const arr: JSONValue[] = [];
    this.skipSpace();
    if (this.b[this.i] === 0x5d) {
      this.i++;
      this.ranges.set(arr, this.range(start, this.i));
      return arr;
    }
    for (;;) {
      arr.push(this.value());
      this.skipSpace();
      const c = this.b[this.i];
      if (c === 0x2c) {
        this.i++;
        continue;
      }
      if (c === 0x5d) {
        this.i++;
        break;
      }
      this.fail(this.i, "after array element");
    }
    this.ranges.set(arr, this.range(start, this.i));
    return arr;
  }
}

/**
 * Parses a JSON document as Packer's template parser does (json.Unmarshal, then the duplicate-field check).
 * `source` may be text or the file's bytes (offsets are in bytes either way).
 */
export function parseJSON(source: string | Uint8Array, filename = ""): ParseJSONResult {
  const bytes = typeof source === "string" ? new TextEncoder().encode(source) : source;
  const reader = new Reader(bytes, filename);
  let value: JSONValue;
  try {
    value = reader.document();
  } catch (e) {
    if (e instanceof SyntaxFailure) return { ok: false, syntax: { message: e.message, offset: e.offset } };
    throw e;
  }
  if (reader.duplicate !== undefined) return { ok: false, duplicate: reader.duplicate };
  return {
    ok: true,
    value,
    positions: {
      rangeOf: (v) => reader.ranges.get(v),
      keyRange: (o, k) => reader.keyRanges.get(o)?.get(k),
    },
  };
}

/**
 * The SDK's highlightPosition: the line and column of a syntax error's offset and the one or two source
 * lines before it with a caret under the column, as ParseFile prints them.
 */
export function highlightPosition(
  source: Uint8Array,
  offset: number,
): { line: number; col: number; highlight: string } {
  let line = 1;
  let col = 0;
  let lastLine: number[] = [];
  let thisLine: number[] = [];
  for (let n = 0; n < offset && n < source.length; n++) {
    const b = source[n]!;
    if (b === 0x0a) {
      lastLine = thisLine;
      thisLine = [];
      line++;
      col = 1;
    } else {
      col++;
      thisLine.push(b);
    }
  }
  const text = (bytes: number[]) => decoder.decode(Uint8Array.from(bytes));
  let highlight = "";
  if (line > 1) highlight += `${String(line - 1).padStart(5)}: ${text(lastLine)}\n`;
  highlight += `${String(line).padStart(5)}: ${text(thisLine)}\n`;
  highlight += `${" ".repeat(col + 5)}^\n`;
  return { line, col, highlight };
}
