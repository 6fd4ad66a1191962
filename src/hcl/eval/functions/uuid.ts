/**
 * Packer's UUID functions (go-cty-funcs, google/uuid): uuidv4 (random) and uuidv5 (SHA-1 name-based, in the
 * "dns", "url", "oid" or "x500" namespace or one given as a UUID string), lower-case canonical form.
 */

import { stringType, stringVal } from "../../value/index.js";
import { FunctionError, type FunctionSpec } from "../function.js";
import { lazyModule } from "./lazy-module.js";
import { goQuote, utf8Bytes } from "./util-b-go-text.js";

const nodeCrypto = lazyModule<typeof import("node:crypto")>("node:crypto");

const namespaces: ReadonlyMap<string, string> = new Map([
  ["dns", "6ba7b810-9dad-11d1-80b4-00c04fd430c8"],
  ["url", "6ba7b811-9dad-11d1-80b4-00c04fd430c8"],
  ["oid", "6ba7b812-9dad-11d1-80b4-00c04fd430c8"],
  ["x500", "6ba7b814-9dad-11d1-80b4-00c04fd430c8"],
]);

function format(b: Uint8Array): string {
  const h = Buffer.from(b).toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

const isHexPair = (s: string) => /^[0-9a-fA-F]{2}$/.test(s);

/** google/uuid's Parse: the 16 bytes, or its error text. */
export function parseUUID(input: string): Uint8Array | string {
  let s = input;
  const len = utf8Bytes(s).length;
  const out = new Uint8Array(16);
  switch (len) {
    case 36:
      break;
    case 36 + 9:
      if (s.slice(0, 9).toLowerCase() !== "urn:uuid:") return `invalid urn prefix: ${goQuote(s.slice(0, 9))}`;
      s = s.slice(9);
      break;
    case 36 + 2:
      s = s.slice(1);
      break;
    case 32:
      for (let i = 0; i < 16; i++) {
        const pair = s.slice(i * 2, i * 2 + 2);
        if (!isHexPair(pair)) return "invalid UUID format";
        out[i] = Number.parseInt(pair, 16);
      }
      return out;
    default:
      return `invalid UUID length: ${len}`;
  }
  if (s[8] !== "-" || s[13] !== "-" || s[18] !== "-" || s[23] !== "-") return "invalid UUID format";
  const offsets = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];
  for (let i = 0; i < 16; i++) {
    const pair = s.slice(offsets[i]!, offsets[i]! + 2);
    if (!isHexPair(pair)) return "invalid UUID format";
    out[i] = Number.parseInt(pair, 16);
  }
  return out;
}

const uuidv4: FunctionSpec = {
  description: "Generates and returns a Type-4 UUID in the standard hexadecimal string format.",
  params: [],
  type: () => stringType,
  impl: () => {
    const b = nodeCrypto().randomBytes(16);
    b[6] = (b[6]! & 0x0f) | 0x40;
    b[8] = (b[8]! & 0x3f) | 0x80;
    return stringVal(format(b));
  },
};

const uuidv5: FunctionSpec = {
  description:
    "Generates and returns a Type-5 UUID in the standard hexadecimal string format, from a namespace and a name.",
  params: [
    { name: "namespace", type: stringType },
    { name: "name", type: stringType },
  ],
  type: () => stringType,
  impl: ([ns, name]) => {
    const given = ns!.asString();
    const space = parseUUID(namespaces.get(given) ?? given);
    if (typeof space === "string")
      throw new FunctionError(`uuidv5() doesn't support namespace ${given} (${space})`);
    const sum = nodeCrypto().createHash("sha1").update(space).update(utf8Bytes(name!.asString())).digest();
    const b = new Uint8Array(sum.subarray(0, 16));
    b[6] = (b[6]! & 0x0f) | 0x50;
    b[8] = (b[8]! & 0x3f) | 0x80;
    return stringVal(format(b));
  },
};

export const uuidFunctions: Record<string, FunctionSpec> = { uuidv4, uuidv5 };
