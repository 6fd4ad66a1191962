/**
 * Packer's encoding functions: base64decode, base64encode, base64gzip, csvdecode, jsondecode, jsonencode,
 * textdecodebase64, textencodebase64, urlencode, yamldecode, yamlencode — with the results and messages of
 * their Go implementations (go-cty-funcs, cty's stdlib, go-cty-yaml and Packer's own).
 */

import {
  decodeJSONWithImpliedType,
  dynamicType,
  impliedTypeFromJSON,
  listType,
  listValEmpty,
  listValOf,
  objectType,
  objectVal,
  stringType,
  stringVal,
  type Type,
  unknownVal,
  type Value,
  valueFromJSON,
  valueToJSON,
} from "../../value/index.js";
import { FunctionArgError, FunctionError, type FunctionSpec } from "../function.js";
import { lazyModule } from "./lazy-module.js";
import { type Charset, lookupCharset } from "./util-b-charsets.js";
import { goGzip } from "./util-b-go-flate.js";
import { decodeUTF8, goBase64Decode, goBase64Encode, goQuote, utf8Bytes } from "./util-b-go-text.js";
import { yamlDecode } from "./util-b-yaml-decode.js";
import { yamlEncode } from "./util-b-yaml-emit.js";

const iconv = lazyModule<typeof import("iconv-lite")>("iconv-lite");

const str = (name: string) => ({ name, type: stringType });
const returnsString = () => stringType;

// ---- base64 ----------------------------------------------------------------------------------------------

const base64decode: FunctionSpec = {
  description: "Decodes a string containing a base64 sequence.",
  params: [str("str")],
  type: returnsString,
  impl: ([s]) => {
    const text = s!.asString();
    const r = goBase64Decode(text);
    if (!r.ok) throw new FunctionError(`failed to decode base64 data '${text}'`);
    const decoded = decodeUTF8(r.bytes);
    if (decoded === undefined) {
      throw new FunctionError("the result of decoding the the provided string is not valid UTF-8");
    }
    return stringVal(decoded);
  },
};

const base64encode: FunctionSpec = {
  description: "Encodes a string to a base64 sequence.",
  params: [str("str")],
  type: returnsString,
  impl: ([s]) => stringVal(goBase64Encode(utf8Bytes(s!.asString()))),
};

const base64gzip: FunctionSpec = {
  description: "Compresses a string with gzip and encodes the result in base64.",
  params: [str("str")],
  type: returnsString,
  impl: ([s]) => stringVal(goBase64Encode(goGzip(utf8Bytes(s!.asString())))),
};

// ---- text encodings ------------------------------------------------------------------------------------

function charsetFor(name: string, argIndex: number): Charset {
  const cs = lookupCharset(name);
  if (cs === undefined || cs.codec.kind === "unsupported") {
    throw new FunctionArgError(argIndex, `${goQuote(name)} is not a supported IANA encoding name or alias`);
  }
  return cs;
}

/** Encodes `text` in `cs`; undefined when a character has no representation there. */
function encodeText(text: string, cs: Charset): Uint8Array | undefined {
  const codec = cs.codec;
  switch (codec.kind) {
    case "utf8":
      return utf8Bytes(text);
    case "ascii": {
      const out = new Uint8Array(text.length);
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c > 0x7f) return undefined;
        out[i] = c;
      }
      return out;
    }
    case "utf16":
    case "utf16be":
    case "utf16le": {
      const bom = codec.kind === "utf16";
      const le = codec.kind === "utf16le";
      const out = new Uint8Array((bom ? 2 : 0) + text.length * 2);
      const view = new DataView(out.buffer);
      let o = 0;
      if (bom) {
        view.setUint16(0, 0xfeff, false);
        o = 2;
      }
      for (let i = 0; i < text.length; i++, o += 2) view.setUint16(o, text.charCodeAt(i), le);
      return out;
    }
    case "table": {
      const reverse = new Map<number, number>();
      for (let b = 255; b >= 0; b--) {
        const c = codec.table.codePointAt(b)!;
        if (c !== 0xfffd) reverse.set(c, b);
      }
      const out: number[] = [];
      for (const ch of text) {
        const b = reverse.get(ch.codePointAt(0)!);
        if (b === undefined) return undefined;
        out.push(b);
      }
      return Uint8Array.from(out);
    }
    case "multibyte": {
      const bytes = iconv().encode(text, codec.codec);
      // iconv-lite substitutes what it cannot encode; a lossless round trip proves every character fit.
      if (iconv().decode(bytes, codec.codec) !== text) return undefined;
      return new Uint8Array(bytes);
    }
    default:
      return undefined;
  }
}

/** Decodes `bytes` from `cs`, with U+FFFD where a byte sequence means nothing (as Go's decoders). */
function decodeText(bytes: Uint8Array, cs: Charset): string {
  const codec = cs.codec;
  switch (codec.kind) {
    case "utf8":
      return new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
    case "ascii":
      return Array.from(bytes, (b) => (b > 0x7f ? "\ufffd" : String.fromCharCode(b))).join("");
    case "utf16":
    case "utf16be":
    case "utf16le": {
      let le = codec.kind === "utf16le";
      let start = 0;
      if (codec.kind === "utf16" && bytes.length >= 2) {
        // The BOM picks the byte order and is consumed; without one, big-endian.
        if (bytes[0] === 0xfe && bytes[1] === 0xff) start = 2;
        else if (bytes[0] === 0xff && bytes[1] === 0xfe) {
          start = 2;
          le = true;
        }
      }
      const body = bytes.subarray(start);
      const even = body.subarray(0, body.length - (body.length % 2));
      let s = new TextDecoder(le ? "utf-16le" : "utf-16be", { ignoreBOM: true }).decode(even);
      if (body.length % 2 === 1) s += "\ufffd";
      return s;
    }
    case "table":
      return Array.from(bytes, (b) => String.fromCodePoint(codec.table.codePointAt(b)!)).join("");
    case "multibyte":
      return iconv().decode(Buffer.from(bytes), codec.codec);
    default:
      return "\ufffd";
  }
}

const textencodebase64: FunctionSpec = {
  description:
    "Encodes the input string (UTF-8) to the destination encoding. The output is base64 to account for cty limiting strings to NFC normalised UTF-8 strings.",
  params: [str("string"), str("encoding")],
  type: returnsString,
  impl: ([s, enc]) => {
    const cs = charsetFor(enc!.asString(), 1);
    const bytes = encodeText(s!.asString(), cs);
    if (bytes === undefined) {
      throw new FunctionArgError(
        0,
        `the given string contains characters that cannot be represented in ${cs.name}`,
      );
    }
    return stringVal(goBase64Encode(bytes));
  },
};

const textdecodebase64: FunctionSpec = {
  description:
    "Encodes the input base64 blob from an encoding to utf-8. The input is base64 to account for cty limiting strings to NFC normalised UTF-8 strings.",
  params: [str("source"), str("encoding")],
  type: returnsString,
  impl: ([s, enc]) => {
    const cs = charsetFor(enc!.asString(), 1);
    const r = goBase64Decode(s!.asString());
    if (!r.ok)
      throw new FunctionArgError(0, `the given value is has an invalid base64 symbol at offset ${r.offset}`);
    const decoded = decodeText(r.bytes, cs);
    if (decoded.includes("\ufffd")) {
      throw new FunctionArgError(0, `the given string contains symbols that are not defined for ${cs.name}`);
    }
    return stringVal(decoded);
  },
};

// ---- urlencode -------------------------------------------------------------------------------------------

const urlencode: FunctionSpec = {
  description: "Applies URL encoding to a given string.",
  params: [str("str")],
  type: returnsString,
  impl: ([s]) => {
    // url.QueryEscape: unreserved characters kept, space as "+", every other byte as %XX.
    let out = "";
    for (const b of utf8Bytes(s!.asString())) {
      const c = String.fromCharCode(b);
      if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
      else if (b === 0x20) out += "+";
      else out += `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
    }
    return stringVal(out);
  },
};

// ---- JSON ------------------------------------------------------------------------------------------------

const jsonencode: FunctionSpec = {
  description: "Returns a string containing a JSON representation of the given value.",
  params: [{ name: "val", type: dynamicType, allowUnknown: true, allowDynamicType: true, allowNull: true }],
  type: returnsString,
  impl: ([v]) => {
    const val = v!;
    if (!val.isWhollyKnown()) return unknownVal(stringType);
    if (val.isNull()) return stringVal("null");
    const r = valueToJSON(val, val.type);
    if (!r.ok) throw new FunctionError(r.error.message);
    return stringVal(r.json.trim());
  },
};

const jsondecode: FunctionSpec = {
  description:
    "Parses the given string as JSON and returns a value corresponding to what the JSON document describes.",
  params: [str("str")],
  type: ([s]) => {
    if (!s!.isKnown()) return dynamicType;
    const r = impliedTypeFromJSON(s!.asString());
    if (!r.ok) throw new FunctionError(r.error.message);
    return r.type;
  },
  impl: ([s], retType) => {
    const r =
      retType.kind === "dynamic"
        ? decodeJSONWithImpliedType(s!.asString())
        : valueFromJSON(s!.asString(), retType);
    if (!r.ok) throw new FunctionError(r.error.message);
    return r.value;
  },
};

// ---- CSV -------------------------------------------------------------------------------------------------

/** An encoding/csv ParseError, as cty reports it. */
class CSVError extends Error {
  constructor(line: number, what: string) {
    super(`CSV parse error on line ${line}: ${what}`);
  }
}

/**
 * Go's encoding/csv Reader with its defaults (comma separator, no comments, strict quotes, leading space
 * kept): records of fields, empty lines skipped, "\r\n" read as "\n", a field count fixed by the header.
 */
class CSVReader {
  private pos = 0;
  private numLine = 0;
  fieldsPerRecord = 0;

  constructor(private readonly src: string) {}

  private readLine(): { line: string; eof: boolean } {
    if (this.pos >= this.src.length) return { line: "", eof: true };
    const nl = this.src.indexOf("\n", this.pos);
    let line: string;
    if (nl < 0) {
      line = this.src.slice(this.pos);
      this.pos = this.src.length;
      // A final line without newline: a trailing "\r" is dropped.
      if (line.endsWith("\r")) line = line.slice(0, -1);
    } else {
      line = this.src.slice(this.pos, nl + 1);
      this.pos = nl + 1;
    }
    this.numLine++;
    if (line.endsWith("\r\n")) line = `${line.slice(0, -2)}\n`;
    return { line, eof: false };
  }

  /** The next record; undefined at the end of input. */
  read(): string[] | undefined {
    let line = "";
    let eof = false;
    for (;;) {
      ({ line, eof } = this.readLine());
      if (eof) return undefined;
      if (line === "\n") continue;
      break;
    }
    const recLine = this.numLine;
    const fields: string[] = [];
    let lineNo = this.numLine;
    const lengthNL = (s: string) => (s.endsWith("\n") ? 1 : 0);
    for (;;) {
      if (line.length === 0 || line[0] !== '"') {
        const i = line.indexOf(",");
        const field = i >= 0 ? line.slice(0, i) : line.slice(0, line.length - lengthNL(line));
        if (field.includes('"')) throw new CSVError(this.numLine, 'bare " in non-quoted-field');
        fields.push(field);
        if (i >= 0) {
          line = line.slice(i + 1);
          continue;
        }
        break;
      }
      // Quoted field.
      line = line.slice(1);
      let field = "";
      let done = false;
      while (!done) {
        const i = line.indexOf('"');
        if (i >= 0) {
          field += line.slice(0, i);
          line = line.slice(i + 1);
          const rn = line[0];
          if (rn === '"') {
            field += '"';
            line = line.slice(1);
          } else if (rn === ",") {
            line = line.slice(1);
            fields.push(field);
            done = true;
          } else if (lengthNL(line) === line.length) {
            fields.push(field);
            return this.finish(fields, recLine);
          } else {
            throw new CSVError(this.numLine, 'extraneous or missing " in quoted-field');
          }
        } else if (line.length > 0) {
          field += line;
          const next = this.readLine();
          line = next.line;
          if (line.length > 0) lineNo++;
        } else {
          throw new CSVError(lineNo, 'extraneous or missing " in quoted-field');
        }
      }
    }
    return this.finish(fields, recLine);
  }

  private finish(fields: string[], recLine: number): string[] {
    if (this.fieldsPerRecord > 0) {
      if (fields.length !== this.fieldsPerRecord) throw new CSVError(recLine, "wrong number of fields");
    } else if (this.fieldsPerRecord === 0) {
      this.fieldsPerRecord = fields.length;
    }
    return fields;
  }
}

function csvHeader(text: string): string[] {
  const header = new CSVReader(text).read();
  if (header === undefined) throw new FunctionError("missing header line");
  return header;
}

function wrapCSV<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof CSVError) throw new FunctionError(e.message);
    throw e;
  }
}

const csvdecode: FunctionSpec = {
  description:
    "Parses the given string as Comma Separated Values (as defined by RFC 4180) and returns a map of objects representing the table of data, using the first row as a header row to define the object attributes.",
  params: [str("str")],
  type: ([s]) => {
    if (!s!.isKnown()) return dynamicType;
    const headers = wrapCSV(() => csvHeader(s!.asString()));
    const attrs = new Map<string, Type>();
    for (const name of headers) {
      if (attrs.has(name)) throw new FunctionError(`duplicate column name ${goQuote(name)}`);
      attrs.set(name, stringType);
    }
    return listType(objectType(attrs));
  },
  impl: ([s], retType) => {
    if (retType.kind !== "list") throw new FunctionError("csvdecode: unexpected return type");
    const ety = retType.elementType;
    return wrapCSV(() => {
      const reader = new CSVReader(s!.asString());
      const headers = reader.read()!;
      reader.fieldsPerRecord = headers.length;
      const rows: Value[] = [];
      for (let cols = reader.read(); cols !== undefined; cols = reader.read()) {
        rows.push(objectVal(cols.map((c, i) => [headers[i]!, stringVal(c)] as const)));
      }
      return rows.length === 0 ? listValEmpty(ety) : listValOf(ety, rows);
    });
  },
};

// ---- YAML ------------------------------------------------------------------------------------------------

const yamldecode: FunctionSpec = {
  description:
    "Parses the given string as YAML and returns a value corresponding to what the YAML document describes.",
  params: [str("src")],
  type: ([s]) => {
    if (!s!.isKnown()) return dynamicType;
    const r = yamlDecode(s!.asString());
    if (!r.ok) throw new FunctionError(r.message);
    return r.value.type;
  },
  impl: ([s], retType) => {
    // A document whose root is null has no type to infer; go-cty-yaml 1.0.1 returns an unknown value.
    if (retType.kind === "dynamic") return unknownVal(dynamicType);
    const r = yamlDecode(s!.asString());
    if (!r.ok) throw new FunctionError(r.message);
    return r.value;
  },
};

const yamlencode: FunctionSpec = {
  description: "Returns a string containing a YAML representation of the given value.",
  params: [{ name: "value", type: dynamicType, allowNull: true, allowDynamicType: true }],
  type: returnsString,
  impl: ([v]) => {
    if (!v!.isWhollyKnown()) return unknownVal(stringType);
    return stringVal(yamlEncode(v!));
  },
};

export const encodingFunctions: Record<string, FunctionSpec> = {
  base64decode,
  base64encode,
  base64gzip,
  csvdecode,
  jsondecode,
  jsonencode,
  textdecodebase64,
  textencodebase64,
  urlencode,
  yamldecode,
  yamlencode,
};
