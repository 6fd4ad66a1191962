/**
 * cty's set hashing (makeSetHashBytes) and CRC-32 bucket ids. Two values that cty would put in different
 * hash buckets are never merged into one set element, and buckets decide the iteration order of elements
 * that the set ordering rules consider tied — so both are reproduced exactly.
 */

import type { BigFloat } from "./big-float.js";
import { goQuote } from "./string-order.js";
import { rawElements, rawEntries, type Value } from "./value.js";

/** The hash string of a value, ignoring marks (cty makeSetHashBytes). */
export function setHashString(v: Value): string {
  if (!v.isKnown()) return "?";
  if (v.isNull()) return "~";
  switch (v.type.kind) {
    case "number":
      return (v.raw as BigFloat).toString();
    case "bool":
      return v.raw ? "T" : "F";
    case "string":
      return goQuote(v.raw as string);
    case "map": {
      let s = "{";
      for (const [k, e] of rawEntries(v)) s += `${goQuote(k)}:${setHashString(e)};`;
      return `${s}}`;
    }
    case "list":
    case "set": {
      let s = "[";
      for (const e of rawElements(v)) s += `${setHashString(e)};`;
      return `${s}]`;
    }
    case "object": {
      let s = "<";
      for (const e of rawEntries(v).values()) s += `${setHashString(e)};`;
      return `${s}>`;
    }
    case "tuple": {
      let s = "<";
      for (const e of rawElements(v)) s += `${setHashString(e)};`;
      return `${s}>`;
    }
    default:
      return "?";
  }
}

let crcTable: Uint32Array | undefined;
const utf8 = new TextEncoder();

/** CRC-32 (IEEE) of the UTF-8 encoding of s, as Go's crc32.ChecksumIEEE. */
export function crc32(s: string): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  const bytes = utf8.encode(s);
  let crc = 0xffffffff;
  for (const b of bytes) crc = crcTable[(crc ^ b) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** cty's bucket id: the CRC-32 as a Go int (64-bit, so always non-negative). */
export function setBucketId(v: Value): number {
  return crc32(setHashString(v));
}
