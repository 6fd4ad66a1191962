/**
 * Go's text/template built-in functions (Go 1.19): and, or, not, len, index, slice, print, printf,
 * println, html, js, urlquery, eq, ne, lt, le, gt, ge, call — with Go's argument rules and error texts.
 */

import { isGoPrint } from "../../hcl/index.js";
import { type GoFunc, GoFuncError } from "./exec.js";
import { type FmtArg, sprint, sprintf, sprintln, TypedArg } from "./go-fmt.js";
import { decodeUtf8, utf8Bytes, utf8Length } from "./go-strconv.js";
import {
  compareGoStrings,
  GoMap,
  GoSlice,
  GoStruct,
  type GoValue,
  IFACE,
  indirect,
  indirectInterface,
  kindOf,
  type RV,
  truth,
  zeroOf,
} from "./go-value.js";

function fail(msg: string): never {
  throw new GoFuncError(msg);
}

/** Operands for fmt: values keep a Go type their representation does not imply (uint8). */
function argv(args: readonly RV[]): FmtArg[] {
  return args.map((a) => (a === undefined ? null : a.t === "uint8" ? new TypedArg(a.v, a.t) : a.v));
}

/** Go's indexArg: an integer index within [0, cap]. */
function indexArg(index: RV, cap: number): number {
  const k = kindOf(index);
  if (k === "invalid") fail("cannot index slice/array with nil");
  if (k !== "int" || index === undefined) fail(`cannot index slice/array with type ${index?.t}`);
  const x = index.v as bigint;
  if (x < 0n || x > BigInt(cap)) fail(`index out of range: ${x}`);
  return Number(x);
}

function index(args: readonly RV[]): RV {
  let item = indirectInterface(args[0]);
  if (item === undefined) fail("index of untyped nil");
  for (const idx0 of args.slice(1)) {
    const idx = indirectInterface(idx0);
    const ind = indirect(item);
    if (ind.isNil) fail("index of nil pointer");
    item = ind.rv;
    const k = kindOf(item);
    if (item === undefined) fail("index of untyped nil");
    if (k === "slice") {
      const s = item.v as GoSlice;
      const x = indexArg(idx, s.items.length);
      if (x >= s.items.length) fail("reflect: slice index out of range");
      item = { v: s.items[x] ?? null, t: s.elemType };
    } else if (k === "string") {
      const bytes = utf8Bytes(item.v as string);
      const x = indexArg(idx, bytes.length);
      if (x >= bytes.length) fail("reflect: string index out of range");
      item = { v: BigInt(bytes[x] ?? 0), t: "uint8" };
    } else if (k === "map") {
      const m = item.v as GoMap;
      if (idx === undefined) fail("value is nil; should be of type string");
      if (idx.t !== "string") fail(`value has type ${idx.t}; should be string`);
      const key = idx.v as string;
      item = m.entries.has(key) ? { v: m.entries.get(key) ?? null, t: m.elemType } : zeroOf(m.elemType);
    } else {
      fail(`can't index item of type ${item.t}`);
    }
  }
  return item;
}

function slice(args: readonly RV[]): RV {
  const item = indirectInterface(args[0]);
  if (item === undefined) fail("slice of untyped nil");
  const indexes = args.slice(1);
  if (indexes.length > 3) fail(`too many slice indexes: ${indexes.length}`);
  const k = kindOf(item);
  let cap: number;
  let len: number;
  if (k === "string") {
    if (indexes.length === 3) fail("cannot 3-index slice a string");
    len = utf8Length(item.v as string);
    cap = len;
  } else if (k === "slice") {
    len = (item.v as GoSlice).items.length;
    cap = len;
  } else {
    fail(`can't slice item of type ${item.t}`);
  }
  const idx = [0, len, 0];
  indexes.forEach((ix, i) => {
    idx[i] = indexArg(ix, cap);
  });
  const [lo = 0, hi = 0, max = 0] = idx;
  if (lo > hi) fail(`invalid slice index: ${lo} > ${hi}`);
  if (indexes.length === 3 && hi > max) fail(`invalid slice index: ${hi} > ${max}`);
  if (k === "string") {
    const bytes = utf8Bytes(item.v as string);
    return { v: decodeUtf8(bytes.slice(lo, hi)), t: item.t };
  }
  const s = item.v as GoSlice;
  return { v: new GoSlice(s.elemType, s.items.slice(lo, hi)), t: item.t };
}

function length(args: readonly RV[]): GoValue {
  const { rv: item, isNil } = indirect(args[0]);
  if (isNil) fail("len of nil pointer");
  if (item === undefined) fail("reflect: call of reflect.Value.Type on zero Value");
  switch (kindOf(item)) {
    case "slice":
      return BigInt((item.v as GoSlice).items.length);
    case "map":
      return BigInt((item.v as GoMap).entries.size);
    case "string":
      return BigInt(utf8Length(item.v as string));
  }
  fail(`len of type ${item.t}`);
}

type BasicKind = "invalid" | "bool" | "int" | "float" | "string";

function basicKind(v: RV): BasicKind {
  switch (kindOf(v)) {
    case "bool":
      return "bool";
    case "int":
      return "int";
    case "float":
      return "float";
    case "string":
      return "string";
  }
  return "invalid";
}

function goEqualValues(a: GoValue, b: GoValue): boolean {
  if (a instanceof GoStruct && b instanceof GoStruct) {
    if (a.typeName !== b.typeName) return false;
    if (a.pointer || b.pointer) return a === b;
    for (const [k, v] of a.fields) if (!goEqualValues(v, b.fields.get(k) ?? null)) return false;
    return true;
  }
  return a === b;
}

function isComparable(v: GoValue): boolean {
  if (v instanceof GoMap || v instanceof GoSlice) return false;
  if (v instanceof GoStruct && !v.pointer) return [...v.fields.values()].every(isComparable);
  return true;
}

function eq(args: readonly RV[]): GoValue {
  const arg1 = indirectInterface(args[0]);
  const rest = args.slice(1);
  if (rest.length === 0) fail("missing argument for comparison");
  const k1 = basicKind(arg1);
  for (const a of rest) {
    const arg = indirectInterface(a);
    const k2 = basicKind(arg);
    let truthy = false;
    if (k1 !== k2) {
      if (arg1 !== undefined && arg !== undefined) fail("incompatible types for comparison");
    } else if (k1 !== "invalid") {
      truthy = arg1?.v === arg?.v;
    } else {
      const ka = kindOf(arg1);
      const kb = kindOf(arg);
      if (ka !== kb && ka !== "invalid" && kb !== "invalid") {
        fail(
          sprintf(`non-comparable types %s: ${arg1?.t}, ${arg?.t}: %v`, [arg1?.v ?? null, arg?.v ?? null]),
        );
      }
      const nil1 = arg1 === undefined || arg1.v === null;
      const nil2 = arg === undefined || arg.v === null;
      if (nil1 || nil2) truthy = nil1 === nil2;
      else {
        if (!isComparable(arg.v)) fail(sprintf(`non-comparable type %s: ${arg.t}`, [arg.v]));
        truthy = goEqualValues(arg1.v, arg.v);
      }
    }
    if (truthy) return true;
  }
  return false;
}

function lt(args: readonly RV[]): boolean {
  const arg1 = indirectInterface(args[0]);
  const k1 = basicKind(arg1);
  if (k1 === "invalid") fail("invalid type for comparison");
  const arg2 = indirectInterface(args[1]);
  const k2 = basicKind(arg2);
  if (k2 === "invalid") fail("invalid type for comparison");
  if (k1 !== k2) fail("incompatible types for comparison");
  if (k1 === "bool") fail("invalid type for comparison");
  const a = arg1?.v;
  const b = arg2?.v;
  if (k1 === "string") return compareGoStrings(a as string, b as string) < 0;
  return (a as number | bigint) < (b as number | bigint);
}

/** The text of html/js/urlquery's arguments (Go's evalArgs). */
function evalArgs(args: readonly RV[]): string {
  if (args.length === 1) {
    const a = args[0];
    if (a !== undefined && typeof a.v === "string") return a.v;
  }
  // Each operand goes through printableValue: nil prints as "<no value>", pointers are followed.
  return sprint(argv(args).map((a) => (a === null ? "<no value>" : a)));
}

function htmlEscape(s: string): string {
  return s.replace(/[\0"'&<>]/g, (c) => {
    switch (c) {
      case "\0":
        return "\ufffd";
      case '"':
        return "&#34;";
      case "'":
        return "&#39;";
      case "&":
        return "&amp;";
      case "<":
        return "&lt;";
      default:
        return "&gt;";
    }
  });
}

function jsEscape(s: string): string {
  let out = "";
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    switch (ch) {
      case "\\":
        out += "\\\\";
        continue;
      case "'":
        out += "\\'";
        continue;
      case '"':
        out += '\\"';
        continue;
      case "<":
        out += "\\u003C";
        continue;
      case ">":
        out += "\\u003E";
        continue;
      case "&":
        out += "\\u0026";
        continue;
      case "=":
        out += "\\u003D";
        continue;
    }
    if (cp < 0x20) out += `\\u00${cp.toString(16).toUpperCase().padStart(2, "0")}`;
    else if (cp < 0x80 || isGoPrint(cp)) out += ch;
    else out += `\\u${cp.toString(16).toUpperCase().padStart(4, "0")}`;
  }
  return out;
}

/** Go's url.QueryEscape. */
function queryEscape(s: string): string {
  let out = "";
  for (const b of utf8Bytes(s)) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === " ") out += "+";
    else out += `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

const R = "reflect.Value" as const;

/** Go's built-in template functions. */
export const GO_BUILTINS: ReadonlyMap<string, GoFunc> = new Map<string, GoFunc>([
  ["and", { params: [R], variadic: R, result: R, shortCircuit: "and", call: () => fail("unreachable") }],
  ["or", { params: [R], variadic: R, result: R, shortCircuit: "or", call: () => fail("unreachable") }],
  ["not", { params: [R], result: "bool", call: (a) => !truth(a[0]) }],
  ["len", { params: [R], result: "int", call: length }],
  ["index", { params: [R], variadic: R, result: R, call: index }],
  ["slice", { params: [R], variadic: R, result: R, call: slice }],
  [
    "call",
    {
      params: [R],
      variadic: R,
      result: R,
      call: (a) => {
        const fn = indirectInterface(a[0]);
        if (fn === undefined) fail("call of nil");
        fail(`non-function of type ${fn.t}`);
      },
    },
  ],
  ["print", { params: [], variadic: IFACE, result: "string", call: (a) => sprint(argv(a)) }],
  ["println", { params: [], variadic: IFACE, result: "string", call: (a) => sprintln(argv(a)) }],
  [
    "printf",
    {
      params: ["string"],
      variadic: IFACE,
      result: "string",
      call: (a) => sprintf(String(a[0]?.v ?? ""), argv(a.slice(1))),
    },
  ],
  ["html", { params: [], variadic: IFACE, result: "string", call: (a) => htmlEscape(evalArgs(a)) }],
  ["js", { params: [], variadic: IFACE, result: "string", call: (a) => jsEscape(evalArgs(a)) }],
  ["urlquery", { params: [], variadic: IFACE, result: "string", call: (a) => queryEscape(evalArgs(a)) }],
  ["eq", { params: [R], variadic: R, result: "bool", call: eq }],
  ["ne", { params: [R, R], result: "bool", call: (a) => !eq(a) }],
  ["lt", { params: [R, R], result: "bool", call: lt }],
  ["le", { params: [R, R], result: "bool", call: (a) => lt(a) || (eq(a) as boolean) }],
  ["gt", { params: [R, R], result: "bool", call: (a) => !(lt(a) || (eq(a) as boolean)) }],
  ["ge", { params: [R, R], result: "bool", call: (a) => !lt(a) }],
]);
