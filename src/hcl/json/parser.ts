/**
 * The parser of HCL's JSON syntax (hcl/json's parser): JSON values with source ranges, keeping object
 * properties in order and keeping repeated property names (both carry meaning in HCL's JSON syntax).
 * Numbers are kept at full precision (parsed like cty does, 512-bit), strings decoded like Go's
 * encoding/json (a lone surrogate escape becomes U+FFFD).
 *
 * Error recovery and diagnostics (summaries, details, ranges) follow HCL's, including its quirks: an error
 * inside an object or array abandons that container (it becomes an invalid node), and "Invalid JSON string"
 * points `offset` bytes (and as many columns) past the start of the string token.
 */
import type { Diagnostic, Range } from "../diagnostic.js";
import { nestingTooDeepDiag, rangeBetween } from "../diagnostic.js";
import { goQuote, nameSuggestion } from "../syntax/go-compat.js";
import { type BigFloat, parseNumberVal } from "../value/index.js";
import type { Token } from "./scanner.js";

// ---------------------------------------------------------------------------------------------------------
// Nodes

export interface ObjectAttr {
  readonly name: string;
  readonly value: Node;
  readonly nameRange: Range;
}

export interface ObjectNode {
  readonly kind: "object";
  readonly attrs: ObjectAttr[];
  /** Brace to brace. */
  readonly srcRange: Range;
  readonly openRange: Range;
  readonly closeRange: Range;
}

export interface ArrayNode {
  readonly kind: "array";
  readonly values: Node[];
  readonly srcRange: Range;
  readonly openRange: Range;
}

export interface StringNode {
  readonly kind: "string";
  readonly value: string;
  readonly srcRange: Range;
}

export interface NumberNode {
  readonly kind: "number";
  readonly value: BigFloat;
  readonly srcRange: Range;
}

export interface BoolNode {
  readonly kind: "bool";
  readonly value: boolean;
  readonly srcRange: Range;
}

export interface NullNode {
  readonly kind: "null";
  readonly srcRange: Range;
}

/** A placeholder where the input was too broken to give a value. */
export interface InvalidNode {
  readonly kind: "invalid";
  readonly srcRange: Range;
}

export type Node = ObjectNode | ArrayNode | StringNode | NumberNode | BoolNode | NullNode | InvalidNode;

export function nodeRange(n: Node): Range {
  return n.srcRange;
}

/** The range to point at for "this value": the opening brace/bracket of a container, else the value. */
export function nodeStartRange(n: Node): Range {
  return n.kind === "object" || n.kind === "array" ? n.openRange : n.srcRange;
}

// ---------------------------------------------------------------------------------------------------------
// Token cursor

class Peeker {
  private pos = 0;
  /** Objects and arrays open around the current token. */
  depth = 0;
  /** Whether the document already has its "Nesting too deep" error (one is enough). */
  tooDeepReported = false;
  constructor(private readonly tokens: readonly Token[]) {}

  peek(): Token {
    return this.tokens[this.pos] as Token;
  }

  read(): Token {
    const t = this.tokens[this.pos] as Token;
    if (t.type !== "EOF") this.pos++;
    return t;
  }
}

type Parsed = [Node | undefined, Diagnostic[]];

/**
 * How many objects and arrays may nest inside each other. Deeper input gets a "Nesting too deep" error at
 * the first bracket past the limit, and that value (with everything inside it) becomes an invalid node, so
 * that no JSON value handed on is deeper than this. Everything that walks a value recursively (evaluation,
 * variables, type conversion, rendering) then stays well inside the JavaScript stack, wherever it runs; a
 * limit found by running out of stack would depend on how much stack the caller happened to use. No real
 * configuration comes near it (HCL's Go parser has no limit but Go's 1 GB stacks; encoding/json stops at
 * 10000).
 */
export const MAX_NESTING_DEPTH = 500;

function err(summary: string, detail: string, subject: Range, context?: Range): Diagnostic {
  return context === undefined
    ? { severity: "error", summary, detail, subject }
    : { severity: "error", summary, detail, subject, context };
}

const VALUE_START_DETAIL =
  "A JSON value must start with a brace, a bracket, a number, a string, or a keyword.";

/** Parses one value and checks that nothing but whitespace follows it. */
export function parseDocument(tokens: readonly Token[]): [Node, Diagnostic[]] {
  const p = new Peeker(tokens);
  const [node, diags] = parseValue(p);
  if (diags.length === 0 && p.peek().type !== "EOF") {
    diags.push(
      err("Extraneous data after value", "Extra characters appear after the JSON value.", p.peek().range),
    );
  }
  return [node, diags];
}

function parseValue(p: Peeker): [Node, Diagnostic[]] {
  const tok = p.peek();
  const wrapInvalid = ([n, diags]: Parsed): [Node, Diagnostic[]] => [
    n ?? { kind: "invalid", srcRange: tok.range },
    diags,
  ];
  switch (tok.type) {
    case "BraceO":
    case "BrackO": {
      if (p.depth >= MAX_NESTING_DEPTH) return wrapInvalid(skipTooDeep(p));
      p.depth++;
      const r = tok.type === "BraceO" ? parseObject(p) : parseArray(p);
      p.depth--;
      return wrapInvalid(r);
    }
    case "Number":
      return wrapInvalid(parseNumber(p));
    case "String":
      return wrapInvalid(parseString(p));
    case "Keyword":
      return wrapInvalid(parseKeyword(p));
    case "BraceC":
      return wrapInvalid([undefined, [err("Missing JSON value", VALUE_START_DETAIL, tok.range)]]);
    case "BrackC":
      return wrapInvalid([undefined, [err("Missing array element value", VALUE_START_DETAIL, tok.range)]]);
    case "EOF":
      return wrapInvalid([undefined, [err("Missing value", "The JSON data ends prematurely.", tok.range)]]);
    default:
      return wrapInvalid([undefined, [err("Invalid start of value", VALUE_START_DETAIL, tok.range)]]);
  }
}

/**
 * Skips an object or array opened past MAX_NESTING_DEPTH, up to the bracket that balances it (of either
 * kind: the content is not parsed, so mismatched pairs inside it are not reported) or EOF, without
 * recursion. The value becomes an invalid node; the enclosing containers go on parsing after it.
 */
function skipTooDeep(p: Peeker): Parsed {
  const open = p.read();
  let depth = 1;
  while (depth > 0) {
    const tok = p.peek();
    if (tok.type === "EOF") break;
    p.read();
    if (tok.type === "BraceO" || tok.type === "BrackO") depth++;
    else if (tok.type === "BraceC" || tok.type === "BrackC") depth--;
  }
  if (p.tooDeepReported) return [undefined, []];
  p.tooDeepReported = true;
  return [undefined, [nestingTooDeepDiag(open.range)]];
}

/**
 * Moves past what seems to be the end of the container being parsed (HCL's recover): from `tok`, reads
 * until the bracket of type `close` that balances the nesting, or EOF.
 */
function recoverTo(p: Peeker, tok: Token, open: Token["type"], close: Token["type"]): void {
  let depth = 1;
  for (;;) {
    if (tok.type === open) {
      depth++;
    } else if (tok.type === close) {
      depth--;
      if (depth <= 1) return;
    } else if (tok.type === "EOF") {
      return;
    }
    tok = p.read();
  }
}

function parseObject(p: Peeker): Parsed {
  const diags: Diagnostic[] = [];
  const open = p.read();
  const attrs: ObjectAttr[] = [];
  const recover = (tok: Token): void => recoverTo(p, tok, "BraceO", "BraceC");

  for (;;) {
    if (p.peek().type === "BraceC") break;

    const [keyNode, keyDiags] = parseValue(p);
    diags.push(...keyDiags);
    if (keyNode.kind !== "string") {
      diags.push(
        err(
          "Invalid object property name",
          "A JSON object property name must be a string",
          nodeStartRange(keyNode),
        ),
      );
      return [undefined, diags];
    }

    const colon = p.read();
    if (colon.type !== "Colon") {
      recover(colon);
      if (colon.type === "BraceC" || colon.type === "Comma") {
        // A common mistake: braces used for what should be an array.
        diags.push(
          err(
            "Missing object value",
            "A JSON object attribute must have a value, introduced by a colon.",
            colon.range,
          ),
        );
      } else if (colon.type === "Equals") {
        diags.push(
          err(
            "Missing property value colon",
            "JSON uses a colon as its name/value delimiter, not an equals sign.",
            colon.range,
          ),
        );
      } else {
        diags.push(
          err(
            "Missing property value colon",
            "A colon must appear between an object property's name and its value.",
            colon.range,
          ),
        );
      }
      return [undefined, diags];
    }

    const [valNode, valDiags] = parseValue(p);
    diags.push(...valDiags);
    attrs.push({ name: keyNode.value, value: valNode, nameRange: keyNode.srcRange });

    const next = p.peek();
    if (next.type === "Comma") {
      const comma = p.read();
      if (p.peek().type === "BraceC") {
        diags.push(
          err(
            "Trailing comma in object",
            "JSON does not permit a trailing comma after the final property in an object.",
            comma.range,
          ),
        );
        return [undefined, diags];
      }
      continue;
    }
    if (next.type === "EOF") {
      diags.push(err("Unclosed object", "No closing brace was found for this JSON object.", open.range));
      return [undefined, diags];
    }
    if (next.type === "BrackC") {
      // Consumed anyway so that parsing continues from a sensible place.
      p.read();
      diags.push(
        err("Mismatched braces", "A JSON object must be closed with a brace, not a bracket.", p.peek().range),
      );
      return [undefined, diags];
    }
    if (next.type === "BraceC") break;
    recover(p.read());
    diags.push(
      err(
        "Missing attribute seperator comma",
        "A comma must appear between each property definition in an object.",
        p.peek().range,
      ),
    );
    return [undefined, diags];
  }

  const close = p.read();
  return [
    {
      kind: "object",
      attrs,
      srcRange: rangeBetween(open.range, close.range),
      openRange: open.range,
      closeRange: close.range,
    },
    diags,
  ];
}

function parseArray(p: Peeker): Parsed {
  const diags: Diagnostic[] = [];
  const open = p.read();
  const values: Node[] = [];
  const recover = (tok: Token): void => recoverTo(p, tok, "BrackO", "BrackC");

  for (;;) {
    if (p.peek().type === "BrackC") break;

    const [valNode, valDiags] = parseValue(p);
    diags.push(...valDiags);
    values.push(valNode);

    const next = p.peek();
    if (next.type === "Comma") {
      const comma = p.read();
      if (p.peek().type === "BrackC") {
        diags.push(
          err(
            "Trailing comma in array",
            "JSON does not permit a trailing comma after the final value in an array.",
            comma.range,
          ),
        );
        return [undefined, diags];
      }
      continue;
    }
    if (next.type === "Colon") {
      recover(p.read());
      diags.push(
        err(
          "Invalid array value",
          "A colon is not used to introduce values in a JSON array.",
          p.peek().range,
        ),
      );
      return [undefined, diags];
    }
    if (next.type === "EOF") {
      recover(p.read());
      diags.push(err("Unclosed object", "No closing bracket was found for this JSON array.", open.range));
      return [undefined, diags];
    }
    if (next.type === "BraceC") {
      recover(p.read());
      diags.push(
        err(
          "Mismatched brackets",
          "A JSON array must be closed with a bracket, not a brace.",
          p.peek().range,
        ),
      );
      return [undefined, diags];
    }
    if (next.type === "BrackC") break;
    recover(p.read());
    diags.push(
      err(
        "Missing attribute seperator comma",
        "A comma must appear between each value in an array.",
        p.peek().range,
      ),
    );
    return [undefined, diags];
  }

  const close = p.read();
  return [
    { kind: "array", values, srcRange: rangeBetween(open.range, close.range), openRange: open.range },
    diags,
  ];
}

const JSON_NUMBER_RE = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;

function parseNumber(p: Peeker): Parsed {
  const tok = p.read();
  const invalid: Parsed = [
    undefined,
    [err("Invalid JSON number", "There is a syntax error in the given JSON number.", tok.range)],
  ];
  if (!JSON_NUMBER_RE.test(tok.text)) return invalid;
  const parsed = parseNumberVal(tok.text);
  if (!parsed.ok) return invalid;
  return [{ kind: "number", value: parsed.value.asBigFloat(), srcRange: tok.range }, []];
}

function parseString(p: Peeker): Parsed {
  const tok = p.read();
  const decoded = decodeJSONString(tok.text);
  if (decoded.ok) return [{ kind: "string", value: decoded.value, srcRange: tok.range }, []];

  // HCL points `offset` bytes past the token start, advancing the column by the same number.
  const start = tok.range.start;
  const errStart = {
    line: start.line,
    column: start.column + decoded.offset,
    byte: start.byte + decoded.offset,
  };
  const errRange: Range = {
    filename: tok.range.filename,
    start: errStart,
    end: { line: errStart.line, column: errStart.column + 1, byte: errStart.byte + 1 },
  };
  const same =
    errRange.start.byte === tok.range.start.byte &&
    errRange.end.byte === tok.range.end.byte &&
    errRange.start.column === tok.range.start.column &&
    errRange.end.column === tok.range.end.column &&
    errRange.start.line === tok.range.start.line &&
    errRange.end.line === tok.range.end.line;
  return [
    undefined,
    [
      err(
        "Invalid JSON string",
        "There is a syntax error in the given JSON string.",
        errRange,
        same ? undefined : tok.range,
      ),
    ],
  ];
}

const KEYWORDS = ["false", "true", "null"];

function parseKeyword(p: Peeker): Parsed {
  const tok = p.read();
  const s = tok.text;
  switch (s) {
    case "true":
      return [{ kind: "bool", value: true, srcRange: tok.range }, []];
    case "false":
      return [{ kind: "bool", value: false, srcRange: tok.range }, []];
    case "null":
      return [{ kind: "null", srcRange: tok.range }, []];
    case "undefined":
    case "NaN":
    case "Infinity":
      return [
        undefined,
        [
          err(
            "Invalid JSON keyword",
            `The JavaScript identifier ${goQuote(s)} cannot be used in JSON.`,
            tok.range,
          ),
        ],
      ];
    default: {
      const suggest = nameSuggestion(s, KEYWORDS);
      const dym = suggest !== "" ? ` Did you mean ${goQuote(suggest)}?` : "";
      return [
        undefined,
        [err("Invalid JSON keyword", `${goQuote(s)} is not a valid JSON keyword.${dym}`, tok.range)],
      ];
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Strings, as Go's encoding/json validates and decodes them

type DecodedString = { ok: true; value: string } | { ok: false; offset: number };

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
}

function utf8Len(cp: number): number {
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  "\\": "\\",
  "/": "/",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
};

/**
 * Decodes a string token (with its quotes). On a syntax error, `offset` is Go's SyntaxError.Offset: the
 * number of bytes read when the error was found (the bad byte included), or the token length at the end.
 */
export function decodeJSONString(text: string): DecodedString {
  let bytes = 1; // the opening quote
  let out = "";
  let i = 1;
  const fail = (): DecodedString => ({ ok: false, offset: bytes });
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      bytes++;
      i++;
      // The scanner ends a string token at its closing quote, so nothing can follow it here.
      return i === text.length ? { ok: true, value: out } : { ok: false, offset: bytes + 1 };
    }
    if (c === 0x5c) {
      bytes++;
      i++;
      if (i >= text.length) return { ok: false, offset: Buffer.byteLength(text, "utf8") };
      const e = text.charAt(i);
      bytes++;
      i++;
      const simple = SIMPLE_ESCAPES[e];
      if (simple !== undefined) {
        out += simple;
        continue;
      }
      if (e !== "u") return fail();
      let code = 0;
      for (let k = 0; k < 4; k++) {
        if (i >= text.length) return { ok: false, offset: Buffer.byteLength(text, "utf8") };
        const h = text.charCodeAt(i);
        bytes++;
        i++;
        if (!isHex(h)) return fail();
        code = code * 16 + Number.parseInt(String.fromCharCode(h), 16);
      }
      if (code >= 0xd800 && code <= 0xdfff) {
        // A surrogate pair only counts when a low surrogate escape follows a high one directly.
        const pair = /^\\u([0-9a-fA-F]{4})/.exec(text.slice(i));
        const low = pair !== null ? Number.parseInt(pair[1] as string, 16) : -1;
        if (code < 0xdc00 && low >= 0xdc00 && low <= 0xdfff) {
          out += String.fromCharCode(code, low);
          i += 6;
          bytes += 6;
        } else {
          out += "\ufffd";
        }
        continue;
      }
      out += String.fromCharCode(code);
      continue;
    }
    if (c < 0x20) return { ok: false, offset: bytes + 1 };
    const cp = text.codePointAt(i) ?? c;
    const isLoneSurrogate = cp >= 0xd800 && cp <= 0xdfff;
    out += isLoneSurrogate ? "\ufffd" : String.fromCodePoint(cp);
    bytes += isLoneSurrogate ? 3 : utf8Len(cp);
    i += cp > 0xffff ? 2 : 1;
  }
  // Ran out of input before the closing quote.
  return { ok: false, offset: bytes };
}
