/**
 * yamldecode's reader: go-cty-yaml's Unmarshal semantics (v1.0.1, the version Packer builds with) on top of
 * the `yaml` package's parser.
 *
 * go-cty-yaml resolves scalars itself, YAML 1.1 style: plain `yes`/`on`/`y` are true, `~`/`null`/empty are
 * null, numbers are read at 512-bit precision with `_` separators, `0b` binary is allowed but `0x` hex stays
 * a string, unquoted timestamps become RFC 3339 strings, `.nan` is rejected; explicit tags (`!!str`,
 * `!!int`, `!!binary`, ...) force a reading. Mappings become objects (keys converted to strings), sequences
 * tuples, `<<` merges mappings, anchors and aliases are followed; a null document yields an unknown value.
 *
 * Messages for go-cty-yaml's own checks are its texts, positioned as it positions them (it prints libyaml's
 * zero-based line numbers and leaves the position out on the first line). Syntax errors come from a
 * different parser than libyaml's and are mapped onto libyaml's texts for the common cases only.
 */
import type { Document, Node, Scalar } from "yaml";
import { goFormat, goParse, RFC3339 } from "../../go/time.js";
import {
  convert,
  dynamicType,
  falseVal,
  friendlyName,
  negativeInfinity,
  nullVal,
  numberIntVal,
  objectVal,
  parseNumberVal,
  positiveInfinity,
  stringType,
  stringVal,
  trueVal,
  tupleVal,
  type Value,
} from "../../value/index.js";
import { lazyModule } from "./lazy-module.js";
import { goBase64Decode, goQuote } from "./util-b-go-text.js";

const yaml = lazyModule<typeof import("yaml")>("yaml");

export type YamlDecodeResult =
  | { readonly ok: true; readonly value: Value }
  | { readonly ok: false; readonly message: string };

const TAG_PREFIX = "tag:yaml.org,2002:";
const STR_TAG = `${TAG_PREFIX}str`;
const BOOL_TAG = `${TAG_PREFIX}bool`;
const INT_TAG = `${TAG_PREFIX}int`;
const FLOAT_TAG = `${TAG_PREFIX}float`;
const NULL_TAG = `${TAG_PREFIX}null`;
const TIMESTAMP_TAG = `${TAG_PREFIX}timestamp`;
const BINARY_TAG = `${TAG_PREFIX}binary`;
const MAP_TAG = `${TAG_PREFIX}map`;
const SEQ_TAG = `${TAG_PREFIX}seq`;

class YamlError extends Error {}

/** Where an event starts, zero-based as libyaml marks are. */
interface Mark {
  readonly line: number;
  readonly column: number;
}

/** go-cty-yaml's parseEventErrorWrap: no position on the first line. */
function eventError(mark: Mark, message: string): YamlError {
  if (mark.line === 0) return new YamlError(message);
  return new YamlError(`on line ${mark.line}, column ${mark.column + 1}: ${message}`);
}

const resolveMap: ReadonlyMap<string, { value: Value; tag: string }> = (() => {
  const m = new Map<string, { value: Value; tag: string }>();
  const add = (value: Value, tag: string, names: string[]) => {
    for (const n of names) m.set(n, { value, tag });
  };
  add(trueVal, BOOL_TAG, ["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"]);
  add(falseVal, BOOL_TAG, ["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"]);
  add(nullVal(dynamicType), NULL_TAG, ["", "~", "null", "Null", "NULL"]);
  add(positiveInfinity, FLOAT_TAG, [".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"]);
  add(negativeInfinity, FLOAT_TAG, ["-.inf", "-.Inf", "-.INF"]);
  return m;
})();

/** The first-character hint go-cty-yaml's resolver uses: Sign, Digit, Map, '.', or none. */
function hintFor(src: string): string | undefined {
  if (src === "") return "N";
  const c = src[0]!;
  if (c === "+" || c === "-") return "S";
  if (c >= "0" && c <= "9") return "D";
  if ("yYnNtTfFoO~".includes(c)) return "M";
  if (c === ".") return ".";
  return undefined;
}

const MERGE = Symbol("merge");
type Resolved = Value | typeof MERGE;

const timestampLayouts = [
  "2006-1-2T15:4:5.999999999Z07:00",
  "2006-1-2t15:4:5.999999999Z07:00",
  "2006-1-2 15:4:5.999999999",
  "2006-1-2",
];

function parseTimestamp(s: string): string | undefined {
  let i = 0;
  while (i < s.length && s[i]! >= "0" && s[i]! <= "9") i++;
  if (i !== 4 || i === s.length || s[i] !== "-") return undefined;
  for (const layout of timestampLayouts) {
    const r = goParse(layout, s);
    if (r.ok) return goFormat(r.time, RFC3339);
  }
  return undefined;
}

/** strconv.ParseInt(s, 0, 64) then ParseUint(s, 0, 64): base prefixes 0x, 0o, 0b and a leading 0 (octal). */
function parseGoInt(s: string): bigint | undefined {
  let t = s;
  let neg = false;
  if (t[0] === "+" || t[0] === "-") {
    neg = t[0] === "-";
    t = t.slice(1);
  }
  let base = 10;
  let digits = t;
  if (/^0[xX]/.test(t)) {
    base = 16;
    digits = t.slice(2);
  } else if (/^0[bB]/.test(t)) {
    base = 2;
    digits = t.slice(2);
  } else if (/^0[oO]/.test(t)) {
    base = 8;
    digits = t.slice(2);
  } else if (t.length > 1 && t[0] === "0") {
    base = 8;
    digits = t.slice(1);
  }
  const valid = { 2: /^[01]+$/, 8: /^[0-7]+$/, 10: /^[0-9]+$/, 16: /^[0-9a-fA-F]+$/ }[
    base as 2 | 8 | 10 | 16
  ];
  if (!valid.test(digits)) return undefined;
  const prefix = base === 16 ? "0x" : base === 8 ? "0o" : base === 2 ? "0b" : "";
  const n = BigInt(prefix + digits);
  const v = neg ? -n : n;
  if (v >= -(1n << 63n) && v < 1n << 63n) return v;
  if (!neg && v < 1n << 64n) return v; // ParseUint
  return undefined;
}

function parseBinaryDigits(s: string, neg: boolean): bigint | undefined {
  if (!/^[01]+$/.test(s)) return undefined;
  const n = BigInt(`0b${s}`);
  const v = neg ? -n : n;
  if (v >= -(1n << 63n) && v < 1n << 63n) return v;
  if (!neg && v < 1n << 64n) return v;
  return undefined;
}

/** go-cty-yaml's resolveScalar. */
function resolveScalar(tag: string, src: string, quoted: boolean): Resolved {
  const resolvable = ["", STR_TAG, BOOL_TAG, INT_TAG, FLOAT_TAG, NULL_TAG, TIMESTAMP_TAG, BINARY_TAG];
  if (!resolvable.includes(tag)) throw new YamlError(`unsupported tag ${goQuote(tag)}`);
  let t = tag;
  const hint = hintFor(src);
  if (hint !== undefined && t !== STR_TAG && t !== BINARY_TAG) {
    if (quoted) return stringVal(src);
    const item = resolveMap.get(src);
    if (item !== undefined) return item.value;
    if (t === "" && (src === ".nan" || src === ".NaN" || src === ".NAN")) {
      throw new YamlError("floating point NaN is not supported");
    }
    if (hint === ".") {
      const n = parseNumberVal(src);
      if (n.ok) return n.value;
    } else if (hint === "D" || hint === "S") {
      if (t === "" || t === TIMESTAMP_TAG) {
        const ts = parseTimestamp(src);
        if (ts !== undefined) return stringVal(ts);
      }
      const plain = src.replaceAll("_", "");
      const n = parseNumberVal(plain);
      if (n.ok) return n.value;
      if (plain.startsWith("0b") || plain.startsWith("-0b")) t = INT_TAG;
    }
  }
  if (t === "" && src === "<<") return MERGE;
  switch (t) {
    case STR_TAG:
    case BINARY_TAG:
      if (t === BINARY_TAG && !goBase64Decode(src).ok) {
        throw new YamlError(`cannot parse ${goQuote(src)} as ${t}: not valid base64`);
      }
      return stringVal(src);
    case BOOL_TAG: {
      const item = resolveMap.get(src);
      if (item === undefined || item.tag !== BOOL_TAG)
        throw new YamlError(`cannot parse ${goQuote(src)} as ${t}`);
      return item.value;
    }
    case FLOAT_TAG:
    case INT_TAG: {
      const plain = src.replaceAll("_", "");
      const n = parseNumberVal(plain);
      if (n.ok) return n.value;
      const i = parseGoInt(plain);
      if (i !== undefined) return numberIntVal(i);
      if (plain.startsWith("0b")) {
        const b = parseBinaryDigits(plain.slice(2), false);
        if (b !== undefined) return numberIntVal(b);
      } else if (plain.startsWith("-0b")) {
        const b = parseBinaryDigits(plain.slice(3), true);
        if (b !== undefined && b >= -(1n << 63n)) return numberIntVal(b);
      }
      throw new YamlError(`cannot parse ${goQuote(src)} as ${t}`);
    }
    case TIMESTAMP_TAG: {
      const ts = parseTimestamp(src);
      if (ts !== undefined) return stringVal(ts);
      throw new YamlError(`cannot parse ${goQuote(src)} as ${t}`);
    }
    case NULL_TAG:
      return nullVal(dynamicType);
    default:
      return stringVal(src);
  }
}

/** Where a node's text starts, or `fallback` for an absent node. */
function startOf(node: Node | null, fallback: number): number {
  return node?.range?.[0] ?? fallback;
}

class Decoder {
  private readonly pending = new Map<string, number>();
  private readonly anchors = new Map<string, Value>();
  private readonly lineStarts: number[] = [0];

  constructor(private readonly src: string) {
    for (let i = 0; i < src.length; i++) if (src[i] === "\n") this.lineStarts.push(i + 1);
  }

  markAt(offset: number): Mark {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, column: offset - this.lineStarts[lo]! };
  }

  /** libyaml marks a node at its first property (tag or anchor) when it has one. */
  nodeMark(node: Node | null, fallback: number): Mark {
    if (node === null) return this.markAt(fallback);
    let start = startOf(node, fallback);
    if (node.tag !== undefined || node.anchor !== undefined) {
      for (let k = 0; k < 2; k++) {
        let j = start - 1;
        while (j >= 0 && /\s/.test(this.src[j]!)) j--;
        let b = j;
        while (b >= 0 && !/\s/.test(this.src[b]!)) b--;
        const token = this.src.slice(b + 1, j + 1);
        if (token.startsWith("!") || token.startsWith("&")) start = b + 1;
        else break;
      }
    }
    return this.markAt(start);
  }

  private begin(anchor: string | undefined): void {
    if (anchor !== undefined) this.pending.set(anchor, (this.pending.get(anchor) ?? 0) + 1);
  }

  private complete(anchor: string | undefined, v: Value): void {
    if (anchor === undefined) return;
    const n = (this.pending.get(anchor) ?? 0) - 1;
    if (n <= 0) this.pending.delete(anchor);
    else this.pending.set(anchor, n);
    this.anchors.set(anchor, v);
  }

  private scalarParts(node: Scalar | null): { tag: string; src: string; quoted: boolean } {
    if (node === null) return { tag: "", src: "", quoted: false };
    const quoted = node.type !== "PLAIN";
    const src = typeof node.value === "string" ? node.value : String(node.source ?? "");
    const tag = node.tag ?? "";
    return { tag, src, quoted };
  }

  value(node: Node | null, fallbackOffset: number): Value {
    if (node === null || yaml().isScalar(node)) {
      const { tag, src, quoted } = this.scalarParts(node as Scalar | null);
      const anchor = node?.anchor;
      this.begin(anchor);
      let v: Resolved;
      try {
        v = resolveScalar(tag, src, quoted);
      } catch (e) {
        if (e instanceof YamlError) throw eventError(this.nodeMark(node, fallbackOffset), e.message);
        throw e;
      }
      const value = v === MERGE ? stringVal("<<") : v;
      this.complete(anchor, value);
      return value;
    }
    if (yaml().isAlias(node)) {
      const name = node.source;
      if (this.pending.has(name)) {
        throw eventError(
          this.nodeMark(node, fallbackOffset),
          `cannot refer to anchor ${goQuote(name)} from inside its own definition`,
        );
      }
      const v = this.anchors.get(name);
      if (v === undefined)
        throw eventError(
          this.nodeMark(node, fallbackOffset),
          `reference to undefined anchor ${goQuote(name)}`,
        );
      return v;
    }
    if (yaml().isMap(node)) {
      const tag = node.tag ?? "";
      if (tag !== "" && tag !== MAP_TAG)
        throw eventError(this.nodeMark(node, fallbackOffset), `can't interpret mapping as ${tag}`);
      this.begin(node.anchor);
      const vals = new Map<string, Value>();
      for (const pair of node.items) {
        const keyNode = pair.key as Node | null;
        const valueNode = pair.value as Node | null;
        const keyOffset = startOf(keyNode, startOf(valueNode, fallbackOffset));
        if (keyNode !== null && !yaml().isScalar(keyNode)) {
          throw eventError(this.nodeMark(keyNode, keyOffset), "only strings are allowed as mapping keys");
        }
        const { tag: ktag, src: ksrc, quoted: kquoted } = this.scalarParts(keyNode as Scalar | null);
        // A key's resolution error is reported without a position, as go-cty-yaml does.
        const key = resolveScalar(ktag, ksrc, kquoted);
        const valueOffset = startOf(valueNode, keyNode?.range?.[2] ?? keyOffset);
        if (key === MERGE) {
          const merged = this.value(valueNode, valueOffset);
          const mt = merged.type;
          if (merged.isNull() || !(mt.kind === "object" || mt.kind === "map")) {
            throw eventError(
              this.nodeMark(keyNode, keyOffset),
              `cannot merge ${friendlyName(mt)} into mapping`,
            );
          }
          for (const [k, v] of merged.elements()) vals.set(k.asString(), v);
          continue;
        }
        const ks = convert(key, stringType);
        if (!ks.ok)
          throw eventError(this.nodeMark(keyNode, keyOffset), "only strings are allowed as mapping keys");
        if (ks.value.isNull())
          throw eventError(this.nodeMark(keyNode, keyOffset), "mapping key cannot be null");
        const v = this.value(valueNode, valueOffset);
        vals.delete(ks.value.asString());
        vals.set(ks.value.asString(), v);
      }
      const obj = objectVal(vals);
      this.complete(node.anchor, obj);
      return obj;
    }
    if (yaml().isSeq(node)) {
      const tag = node.tag ?? "";
      if (tag !== "" && tag !== SEQ_TAG)
        throw eventError(this.nodeMark(node, fallbackOffset), `can't interpret sequence as ${tag}`);
      this.begin(node.anchor);
      const items = node.items.map((item) => {
        const n = item as Node | null;
        return this.value(n, startOf(n, startOf(node, fallbackOffset)));
      });
      const tup = tupleVal(items);
      this.complete(node.anchor, tup);
      return tup;
    }
    throw new YamlError("unexpected parser event");
  }
}

/** A syntax problem as libyaml reports it: its text, whether its scanner or parser found it, and where. */
interface SyntaxProblem {
  readonly text: string;
  readonly scanner: boolean;
  readonly offset: number;
  /** The problem is the end-of-stream token, which libyaml places on a line of its own. */
  readonly streamEnd?: boolean;
}

/** libyaml's problem for the `yaml` package's first error (the common cases; others keep the package's text). */
function syntaxProblem(
  src: string,
  code: string,
  message: string,
  pos: number,
  root: Node | null,
): SyntaxProblem {
  const streamEnd = src.length;
  const nextNonSpace = (at: number) => {
    let i = at;
    while (i < src.length && (src[i] === " " || src[i] === "\t")) i++;
    return i;
  };
  switch (code) {
    case "BAD_SCALAR_START":
    case "TAB_AS_INDENT":
      return { text: "found character that cannot start any token", scanner: true, offset: pos };
    case "BAD_DQ_ESCAPE":
      return { text: "found unknown escape character", scanner: true, offset: pos };
    case "MULTILINE_IMPLICIT_KEY":
      return { text: "did not find expected key", scanner: false, offset: nextNonSpace(pos) };
    case "BLOCK_AS_IMPLICIT_KEY":
      if (/block sequence/i.test(message)) {
        return { text: "did not find expected key", scanner: false, offset: nextNonSpace(pos) };
      } else {
        // The scanner stops at the ":" that would start a nested mapping.
        const colon = /:(?=[\s]|$)/g;
        colon.lastIndex = pos;
        const m = colon.exec(src);
        return {
          text: "mapping values are not allowed in this context",
          scanner: true,
          offset: m?.index ?? pos,
        };
      }
    case "MISSING_CHAR":
      if (/quote/i.test(message))
        return { text: "found unexpected end of stream", scanner: true, offset: streamEnd };
      if (/flow (sequence|collection)/i.test(message)) {
        return {
          text: "did not find expected ',' or ']'",
          scanner: false,
          offset: streamEnd,
          streamEnd: true,
        };
      }
      return { text: "did not find expected key", scanner: false, offset: pos };
    case "BAD_INDENT":
      if (/flow map/i.test(message)) {
        return {
          text: "did not find expected ',' or '}'",
          scanner: false,
          offset: streamEnd,
          streamEnd: true,
        };
      }
      if (/flow sequence/i.test(message)) {
        return {
          text: "did not find expected ',' or ']'",
          scanner: false,
          offset: streamEnd,
          streamEnd: true,
        };
      }
      if (/flow mapping/i.test(message)) {
        return {
          text: "did not find expected ',' or '}'",
          scanner: false,
          offset: streamEnd,
          streamEnd: true,
        };
      }
      return { text: "did not find expected key", scanner: false, offset: nextNonSpace(pos) };
    case "UNEXPECTED_TOKEN":
      if (/block-seq-ind on same line/.test(message)) {
        return { text: "block sequence entries are not allowed in this context", scanner: true, offset: pos };
      }
      if (/at node end/.test(message)) {
        // What libyaml expected next depends on the collection the document's root was.
        const text =
          yaml().isSeq(root) && !root.flow
            ? "did not find expected '-' indicator"
            : yaml().isMap(root) && !root.flow
              ? "did not find expected key"
              : "did not find expected <document start>";
        return { text, scanner: false, offset: pos };
      }
      return { text: "did not find expected node content", scanner: false, offset: pos };
    default:
      if (/at most one tag/i.test(message))
        return { text: "did not find expected <document start>", scanner: false, offset: pos };
      return {
        text: message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, ""),
        scanner: false,
        offset: pos,
      };
  }
}

/** go-cty-yaml's parserError: libyaml's zero-based line (plus one for scanner errors), none on line 0. */
function syntaxError(d: Decoder, src: string, p: SyntaxProblem): string {
  // At the end of input libyaml's mark sits at the start of the line after the last one with content.
  const mark =
    p.streamEnd === true && !src.endsWith("\n")
      ? { line: d.markAt(src.length).line + 1, column: 0 }
      : d.markAt(p.offset);
  if (mark.line === 0) return p.text;
  if (p.scanner) return `on line ${mark.line + 1}, column 1: ${p.text}`;
  return `on line ${mark.line}, column ${mark.column + 1}: ${p.text}`;
}

/** go-cty-yaml's Unmarshal(src, ImpliedType(src)): the value, or the message of the first problem. */
export function yamlDecode(source: string): YamlDecodeResult {
  const src = source === "" ? "\n" : source;
  const d = new Decoder(src);
  const docs = yaml().parseAllDocuments(src, {
    schema: "failsafe",
    resolveKnownTags: false,
    uniqueKeys: false,
    strict: false,
    prettyErrors: false,
  });
  try {
    if (!Array.isArray(docs) || docs.length === 0) {
      // libyaml's stream end sits at the start of the line after the last one with content.
      const lines = src.split("\n");
      const line = lines.length - 1 + (lines[lines.length - 1] === "" ? 0 : 1);
      throw eventError({ line, column: 0 }, "missing start of document");
    }
    const doc = docs[0] as Document.Parsed;
    const err = doc.errors[0];
    if (err !== undefined) {
      return {
        ok: false,
        message: syntaxError(
          d,
          src,
          syntaxProblem(src, err.code, err.message, err.pos[0], doc.contents as Node | null),
        ),
      };
    }
    const value = d.value(doc.contents as Node | null, doc.range[0]);
    if (docs.length > 1) {
      const next = (docs[1] as Document.Parsed).range[0];
      const rest = src.slice(next);
      // libyaml only starts another document at "---" (or a directive); anything else is a syntax error.
      if (!rest.startsWith("---") && !rest.startsWith("%")) {
        const mark = d.markAt(next);
        const text = "did not find expected <document start>";
        return {
          ok: false,
          message: mark.line === 0 ? text : `on line ${mark.line}, column ${mark.column + 1}: ${text}`,
        };
      }
      throw eventError(d.markAt(next), "unexpected extra content after value");
    }
    return { ok: true, value };
  } catch (e) {
    if (e instanceof YamlError) return { ok: false, message: e.message };
    throw e;
  }
}
