/**
 * JSON encoding and decoding of values, as cty's json package (used by jsonencode, jsondecode and JSON
 * variable values).
 *
 * valueToJSON(v): compact JSON; objects and maps with keys in byte order, numbers as exact decimals
 *   (cty's Text('f', -1): 1e30 -> 1000000000000000000000000000000), strings with Go's HTML-safe escapes
 *   (<, >, & as \u003c...). Fails for unknown values ("value is not known"), marked values ("value has
 *   marks, so it cannot be serialized as JSON": unmarkDeep first and mark the result, as jsonencode does)
 *   and infinities ("cannot serialize infinity as JSON"). With a dynamic target type a value is wrapped as
 *   {"value": ..., "type": ...}.
 * impliedTypeFromJSON(text): the type jsondecode gives a document: objects -> object types, arrays -> tuple
 *   types, null -> dynamic.
 * valueFromJSON(text, type): decodes a document as a value of the given type (cty json.Unmarshal).
 *
 * Errors carry the messages Packer prints, including Go's encoding/json syntax errors ("invalid character
 * 'x' looking for beginning of value", "EOF", "unexpected EOF", "extraneous data after JSON object").
 */

import type { BigFloat } from "./big-float.js";
import { convert } from "./convert.js";
import { GoJSONDecoder, GoJSONError, type GoToken, goJSONString } from "./go-json.js";
import { getAttrStep, indexStep, type Path } from "./path.js";
import { setVal, setValEmpty } from "./set.js";
import { compareStrings } from "./string-order.js";
import {
  boolType,
  conformanceErrors,
  dynamicType,
  emptyObjectType,
  emptyTupleType,
  listType,
  mapType,
  numberType,
  objectType,
  setType,
  stringType,
  type Type,
  tupleType,
} from "./types.js";
import {
  boolVal,
  emptyObjectVal,
  emptyTupleVal,
  listVal,
  listValEmpty,
  mapVal,
  mapValEmpty,
  nullVal,
  numberIntVal,
  objectVal,
  parseNumberVal,
  rawElements,
  rawEntries,
  stringVal,
  tupleVal,
  unknownVal,
  type Value,
} from "./value.js";

/** A JSON encoding/decoding failure: the message and where in the value it happened. */
export interface JSONError {
  readonly message: string;
  readonly path: Path;
}

export type ToJSONResult =
  | { readonly ok: true; readonly json: string }
  | { readonly ok: false; readonly error: JSONError };
export type FromJSONResult =
  | { readonly ok: true; readonly value: Value }
  | { readonly ok: false; readonly error: JSONError };
export type ImpliedTypeResult =
  | { readonly ok: true; readonly type: Type }
  | { readonly ok: false; readonly error: JSONError };

class PathError extends Error {
  constructor(
    message: string,
    readonly path: Path,
  ) {
    super(message);
  }
}

function wrap(path: Path, e: unknown): never {
  if (e instanceof PathError) throw new PathError(e.message, [...path, ...e.path]);
  if (e instanceof GoJSONError) throw new PathError(e.message, path);
  throw e;
}

// ---- types as JSON ---------------------------------------------------------------------------------------

/** cty's JSON form of a type: "string", ["list","number"], ["object",{"a":"bool"}], ["tuple",[...]]. */
export function typeToJSON(t: Type): string {
  switch (t.kind) {
    case "string":
    case "number":
    case "bool":
    case "dynamic":
      return `"${t.kind}"`;
    case "list":
    case "set":
    case "map":
      return `["${t.kind}",${typeToJSON(t.elementType)}]`;
    case "tuple":
      return `["tuple",[${t.elementTypes.map(typeToJSON).join(",")}]]`;
    case "object": {
      const attrs = [...t.attributeTypes].map(([k, at]) => `${goJSONString(k)}:${typeToJSON(at)}`);
      let s = `["object",{${attrs.join(",")}}`;
      if (t.optionalAttributes.size > 0) {
        const names = [...t.optionalAttributes].sort(compareStrings).map(goJSONString);
        s += `,[${names.join(",")}]`;
      }
      return `${s}]`;
    }
  }
}

function typeFromParsed(j: unknown): Type {
  if (typeof j === "string") {
    switch (j) {
      case "string":
        return stringType;
      case "number":
        return numberType;
      case "bool":
        return boolType;
      case "dynamic":
        return dynamicType;
      default:
        throw new PathError(`invalid primitive type name "${j}"`, []);
    }
  }
  if (!Array.isArray(j) || typeof j[0] !== "string")
    throw new PathError("invalid complex type description", []);
  switch (j[0]) {
    case "list":
      return listType(typeFromParsed(j[1]));
    case "set":
      return setType(typeFromParsed(j[1]));
    case "map":
      return mapType(typeFromParsed(j[1]));
    case "tuple": {
      if (!Array.isArray(j[1])) throw new PathError("invalid tuple type description", []);
      return tupleType(j[1].map(typeFromParsed));
    }
    case "object": {
      const attrs = j[1];
      if (attrs === null || typeof attrs !== "object" || Array.isArray(attrs)) {
        throw new PathError("invalid object type description", []);
      }
      const entries = Object.entries(attrs as Record<string, unknown>).map(
        ([k, v]) => [k, typeFromParsed(v)] as [string, Type],
      );
      const optional = Array.isArray(j[2])
        ? (j[2] as unknown[]).filter((x): x is string => typeof x === "string")
        : [];
      return objectType(entries, optional);
    }
    default:
      throw new PathError(`invalid type kind "${j[0]}"`, []);
  }
}

/** Parses cty's JSON form of a type. */
export function typeFromJSON(text: string): ImpliedTypeResult {
  try {
    return { ok: true, type: typeFromParsed(JSON.parse(text)) };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return { ok: false, error: { message, path: [] } };
  }
}

// ---- encoding --------------------------------------------------------------------------------------------

/**
 * Encodes a value as compact JSON (cty json.Marshal). `type` defaults to the value's own type; a value whose
 * type doesn't conform is converted first; a dynamic `type` wraps the value with its type.
 */
export function valueToJSON(value: Value, type: Type = value.type): ToJSONResult {
  let v = value;
  if (conformanceErrors(v.type, type).length > 0) {
    const r = convert(v, type);
    if (!r.ok) return { ok: false, error: r.error };
    v = r.value;
  }
  try {
    const parts: string[] = [];
    marshal(v, type, [], parts);
    return { ok: true, json: parts.join("") };
  } catch (e) {
    if (e instanceof PathError) return { ok: false, error: { message: e.message, path: e.path } };
    throw e;
  }
}

function marshal(v: Value, t: Type, path: Path, out: string[]): void {
  if (v.isMarked()) throw new PathError("value has marks, so it cannot be serialized as JSON", path);
  if (t.kind === "dynamic" && v.type.kind !== "dynamic") {
    out.push('{"value":');
    marshal(v, v.type, path, out);
    out.push(`,"type":${typeToJSON(v.type)}}`);
    return;
  }
  if (v.isNull()) {
    out.push("null");
    return;
  }
  if (!v.isKnown()) throw new PathError("value is not known", path);
  switch (t.kind) {
    case "string":
      out.push(goJSONString(v.raw as string));
      return;
    case "number": {
      const f = v.raw as BigFloat;
      if (f.isInf()) throw new PathError("cannot serialize infinity as JSON", path);
      out.push(f.text("f", -1));
      return;
    }
    case "bool":
      out.push(v.raw === true ? "true" : "false");
      return;
    case "list":
    case "set": {
      out.push("[");
      rawElements(v).forEach((e, i) => {
        if (i > 0) out.push(",");
        marshal(e, t.elementType, [...path, indexStep(t.kind === "set" ? e : numberIntVal(i))], out);
      });
      out.push("]");
      return;
    }
    case "map": {
      out.push("{");
      let first = true;
      for (const [k, e] of rawEntries(v)) {
        if (!first) out.push(",");
        first = false;
        out.push(goJSONString(k), ":");
        marshal(e, t.elementType, [...path, indexStep(stringVal(k))], out);
      }
      out.push("}");
      return;
    }
    case "tuple": {
      out.push("[");
      rawElements(v).forEach((e, i) => {
        if (i > 0) out.push(",");
        marshal(e, t.elementTypes[i] ?? e.type, [...path, indexStep(numberIntVal(i))], out);
      });
      out.push("]");
      return;
    }
    case "object": {
      out.push("{");
      let first = true;
      const entries = rawEntries(v);
      for (const [k, at] of t.attributeTypes) {
        if (!first) out.push(",");
        first = false;
        out.push(goJSONString(k), ":");
        const e = entries.get(k) ?? nullVal(at);
        marshal(e, at, [...path, getAttrStep(k)], out);
      }
      out.push("}");
      return;
    }
    default:
      throw new PathError(`cannot JSON-serialize ${t.kind}`, path);
  }
}

// ---- implied type ----------------------------------------------------------------------------------------

/** The type a JSON document implies (cty json.ImpliedType), or Go's decoding error. */
export function impliedTypeFromJSON(text: string): ImpliedTypeResult {
  const dec = new GoJSONDecoder(text);
  try {
    const t = impliedTypeForToken(dec.token(), dec);
    if (dec.more()) return { ok: false, error: { message: "extraneous data after JSON object", path: [] } };
    return { ok: true, type: t };
  } catch (e) {
    if (e instanceof GoJSONError) return { ok: false, error: { message: e.message, path: [] } };
    throw e;
  }
}

function impliedTypeForToken(tok: GoToken, dec: GoJSONDecoder): Type {
  switch (tok.kind) {
    case "null":
      return dynamicType;
    case "bool":
      return boolType;
    case "number":
      return numberType;
    case "string":
      return stringType;
    case "delim":
      if (tok.delim === "{") {
        const attrs = new Map<string, Type>();
        for (;;) {
          const t = dec.token();
          if (t.kind === "delim") {
            if (t.delim !== "}") throw new GoJSONError(`unexpected delimiter "${t.delim}"`);
            break;
          }
          if (t.kind !== "string") throw new GoJSONError(`expected string but found ${t.kind}`);
          attrs.set(t.value, impliedTypeForToken(dec.token(), dec));
        }
        return attrs.size === 0 ? emptyObjectType : objectType(attrs);
      }
      if (tok.delim === "[") {
        const etys: Type[] = [];
        for (;;) {
          const t = dec.token();
          if (t.kind === "delim" && t.delim === "]") break;
          etys.push(impliedTypeForToken(t, dec));
        }
        return etys.length === 0 ? emptyTupleType : tupleType(etys);
      }
      throw new GoJSONError(`unexpected token "${tok.delim}"`);
  }
}

// ---- decoding --------------------------------------------------------------------------------------------

/** Decodes a JSON document as a value of type `type` (cty json.Unmarshal). */
export function valueFromJSON(text: string, type: Type): FromJSONResult {
  try {
    return { ok: true, value: unmarshal(text, type, []) };
  } catch (e) {
    if (e instanceof PathError) return { ok: false, error: { message: e.message, path: e.path } };
    if (e instanceof GoJSONError) return { ok: false, error: { message: e.message, path: [] } };
    throw e;
  }
}

/**
 * jsondecode's behaviour: the document's implied type, then the value of that type. (Unknown input is the
 * caller's business.)
 */
export function decodeJSONWithImpliedType(text: string): FromJSONResult {
  const t = impliedTypeFromJSON(text);
  if (!t.ok) return t;
  return valueFromJSON(text, t.type);
}

function token(dec: GoJSONDecoder, path: Path): GoToken {
  try {
    return dec.token();
  } catch (e) {
    return wrap(path, e);
  }
}

function requireDelim(dec: GoJSONDecoder, d: "[" | "{" | "]" | "}", path: Path): void {
  const t = token(dec, path);
  if (t.kind !== "delim" || t.delim !== d) throw new PathError(`missing expected ${d}`, path);
}

function readRaw(dec: GoJSONDecoder, path: Path, what: string): string {
  try {
    return dec.decodeRaw();
  } catch (e) {
    if (e instanceof GoJSONError) throw new PathError(`failed to read ${what}: ${e.message}`, path);
    throw e;
  }
}

function requireKey(dec: GoJSONDecoder, path: Path, what: string): string {
  let t: GoToken;
  try {
    t = dec.token();
  } catch (e) {
    if (e instanceof GoJSONError) throw new PathError(`failed to read ${what}: ${e.message}`, path);
    throw e;
  }
  if (t.kind !== "string") throw new PathError(`failed to read ${what}: missing expected object key`, path);
  return t.value;
}

function unmarshal(buf: string, t: Type, path: Path): Value {
  const dec = new GoJSONDecoder(buf);
  const tok = token(dec, path);
  if (tok.kind === "null") return nullVal(t);
  switch (t.kind) {
    case "dynamic":
      return unmarshalDynamic(buf, path);
    case "string":
    case "number":
    case "bool":
      return unmarshalPrimitive(tok, t, path);
    case "list":
    case "set": {
      const d = new GoJSONDecoder(buf);
      requireDelim(d, "[", path);
      const vals: Value[] = [];
      let idx = 0;
      while (d.more()) {
        const p = [...path, indexStep(t.kind === "set" ? unknownVal(t.elementType) : numberIntVal(idx))];
        idx++;
        const raw = readRaw(d, p, `${t.kind} value`);
        vals.push(unmarshal(raw, t.elementType, p));
      }
      requireDelim(d, "]", path);
      if (t.kind === "list") return vals.length === 0 ? listValEmpty(t.elementType) : listVal(vals);
      return vals.length === 0 ? setValEmpty(t.elementType) : setVal(vals);
    }
    case "map": {
      const d = new GoJSONDecoder(buf);
      requireDelim(d, "{", path);
      const vals = new Map<string, Value>();
      while (d.more()) {
        const k = requireKey(d, [...path, indexStep(unknownVal(stringType))], "map key");
        const p = [...path, indexStep(stringVal(k))];
        const raw = readRaw(d, p, "map value");
        vals.set(k, unmarshal(raw, t.elementType, p));
      }
      requireDelim(d, "}", path);
      return vals.size === 0 ? mapValEmpty(t.elementType) : mapVal(vals);
    }
    case "tuple": {
      const d = new GoJSONDecoder(buf);
      requireDelim(d, "[", path);
      const vals: Value[] = [];
      let idx = 0;
      while (d.more()) {
        if (idx >= t.elementTypes.length) {
          throw new PathError(`too many tuple elements (need ${t.elementTypes.length})`, path);
        }
        const p = [...path, indexStep(numberIntVal(idx))];
        const ety = t.elementTypes[idx]!;
        idx++;
        const raw = readRaw(d, p, "tuple value");
        vals.push(unmarshal(raw, ety, p));
      }
      requireDelim(d, "]", path);
      if (vals.length !== t.elementTypes.length) {
        throw new PathError(`not enough tuple elements (need ${t.elementTypes.length})`, path);
      }
      return vals.length === 0 ? emptyTupleVal : tupleVal(vals);
    }
    case "object": {
      const d = new GoJSONDecoder(buf);
      requireDelim(d, "{", path);
      const vals = new Map<string, Value>();
      while (d.more()) {
        const k = requireKey(d, path, "object key");
        const aty = t.attributeTypes.get(k);
        if (aty === undefined) throw new PathError(`unsupported attribute "${k}"`, path);
        const p = [...path, getAttrStep(k)];
        const raw = readRaw(d, p, "object value");
        vals.set(k, unmarshal(raw, aty, p));
      }
      requireDelim(d, "}", path);
      for (const [k, aty] of t.attributeTypes) if (!vals.has(k)) vals.set(k, nullVal(aty));
      return vals.size === 0 ? emptyObjectVal : objectVal(vals);
    }
  }
}

function unmarshalPrimitive(tok: GoToken, t: Type, path: Path): Value {
  switch (t.kind) {
    case "bool":
      if (tok.kind === "bool") return boolVal(tok.value);
      if (tok.kind === "string") {
        const r = convert(stringVal(tok.value), boolType);
        if (!r.ok) throw new PathError(r.error.message, path);
        return r.value;
      }
      throw new PathError("bool is required", path);
    case "number": {
      const text = tok.kind === "number" ? tok.text : tok.kind === "string" ? tok.value : undefined;
      if (text === undefined) throw new PathError("number is required", path);
      const r = parseNumberVal(text);
      if (!r.ok) throw new PathError(r.error, path);
      return r.value;
    }
    default:
      if (tok.kind === "string") return stringVal(tok.value);
      if (tok.kind === "number") return stringVal(tok.text);
      if (tok.kind === "bool") return stringVal(tok.value ? "true" : "false");
      throw new PathError("string is required", path);
  }
}

function unmarshalDynamic(buf: string, path: Path): Value {
  const d = new GoJSONDecoder(buf);
  requireDelim(d, "{", path);
  let t: Type | undefined;
  let body: string | undefined;
  while (d.more()) {
    const key = requireKey(d, path, "dynamic type descriptor key");
    const raw = readRaw(d, path, "dynamic type descriptor value");
    if (key === "type") {
      const r = typeFromJSON(raw);
      if (!r.ok) throw new PathError(`failed to decode type for dynamic value: ${r.error.message}`, path);
      t = r.type;
    } else if (key === "value") {
      body = raw;
    } else {
      throw new PathError(`invalid key "${key}" in dynamically-typed value`, path);
    }
  }
  requireDelim(d, "}", path);
  if (t === undefined) throw new PathError("missing type in dynamically-typed value", path);
  if (body === undefined) throw new PathError("missing value in dynamically-typed value", path);
  try {
    return unmarshal(body, t, []);
  } catch (e) {
    return wrap(path, e);
  }
}
