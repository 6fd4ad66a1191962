/**
 * Packer's hash and crypto functions (go-cty-funcs): bcrypt, md5, rsadecrypt, sha1, sha256, sha512.
 *
 * bcrypt hashes like Go's golang.org/x/crypto/bcrypt: "$2a$" hashes, cost 10 by default, a cost below 4
 * silently raised to 10, passwords over 72 bytes refused. rsadecrypt takes base64 ciphertext and a PEM RSA
 * key in PKCS #1 form, decrypts with PKCS #1 v1.5 padding, and reports problems with Go's messages.
 */
import type { KeyObject } from "node:crypto";
import { numberType, stringType, stringVal } from "../../value/index.js";
import { FunctionError, type FunctionSpec } from "../function.js";
import { lazyModule } from "./lazy-module.js";
import { goBase64Decode, goQuote, utf8Bytes } from "./util-b-go-text.js";

const nodeCrypto = lazyModule<typeof import("node:crypto")>("node:crypto");
const bcryptjs = lazyModule<typeof import("bcryptjs")>("bcryptjs");

const WHOLE_NUMBER = "value must be a whole number, between -9223372036854775808 and 9223372036854775807";

function hashFunction(algorithm: string, description: string): FunctionSpec {
  return {
    description,
    params: [{ name: "str", type: stringType }],
    type: () => stringType,
    impl: ([s]) =>
      stringVal(nodeCrypto().createHash(algorithm).update(utf8Bytes(s!.asString())).digest("hex")),
  };
}

const bcrypt: FunctionSpec = {
  description: "Computes a hash of the given string using the Blowfish cipher.",
  params: [{ name: "str", type: stringType }],
  varParam: { name: "cost", type: numberType },
  type: () => stringType,
  impl: (args) => {
    let cost = 10;
    if (args.length > 1) {
      const c = args[1]!.asBigFloat().toInt64();
      if (!c.exact) throw new FunctionError(WHOLE_NUMBER);
      cost = Number(c.value);
    }
    if (args.length > 2) throw new FunctionError("bcrypt() takes no more than two arguments");
    const password = args[0]!.asString();
    if (cost < 4) cost = 10;
    if (cost > 31) {
      throw new FunctionError(
        `error occured generating password crypto/bcrypt: cost ${cost} is outside allowed range (4,31)`,
      );
    }
    if (utf8Bytes(password).length > 72) {
      throw new FunctionError("error occured generating password bcrypt: password length exceeds 72 bytes");
    }
    const salt = `$2a$${String(cost).padStart(2, "0")}$${bcryptjs().encodeBase64(nodeCrypto().randomBytes(16), 16)}`;
    return stringVal(bcryptjs().hashSync(password, salt));
  },
};

// ---- rsadecrypt ------------------------------------------------------------------------------------------

interface PemBlock {
  readonly type: string;
  readonly headers: ReadonlyMap<string, string>;
  readonly bytes: Uint8Array;
}

/** encoding/pem's Decode: the first well-formed block in `text`, skipping anything that is not one. */
function pemDecode(text: string): PemBlock | undefined {
  const re = /(?:^|\n)-----BEGIN ([^\n]*)-----[ \t]*\r?\n/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const type = m[1]!;
    const bodyStart = m.index + m[0].length;
    const endMarker = `\n-----END ${type}-----`;
    let end = text.indexOf(endMarker, bodyStart - 1);
    if (end < 0) continue;
    if (end < bodyStart) end = bodyStart - 1;
    let body = text.slice(bodyStart, end + 1);
    const headers = new Map<string, string>();
    // Headers: "Key: Value" lines up to a blank line.
    for (;;) {
      const nl = body.indexOf("\n");
      if (nl < 0) break;
      const line = body.slice(0, nl).replace(/\r$/, "");
      const colon = line.indexOf(":");
      if (colon < 0) break;
      headers.set(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
      body = body.slice(nl + 1);
    }
    if (headers.size > 0 && /^\r?\n/.test(body)) body = body.replace(/^\r?\n/, "");
    const decoded = goBase64Decode(body.replace(/[ \t]/g, ""));
    if (!decoded.ok) continue;
    return { type, headers, bytes: decoded.bytes };
  }
  return undefined;
}

/** The header of the outermost DER element, as Go's asn1 describes it in a tag mismatch. */
function derMismatch(der: Uint8Array): string {
  const b0 = der[0] ?? 0;
  let offset = 1;
  let tag = b0 & 0x1f;
  if (tag === 0x1f) {
    tag = 0;
    while (offset < der.length) {
      const b = der[offset++]!;
      tag = tag * 128 + (b & 0x7f);
      if ((b & 0x80) === 0) break;
    }
  }
  let length = der[offset++] ?? 0;
  if (length & 0x80) {
    const n = length & 0x7f;
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + (der[offset++] ?? 0);
  }
  return `asn1: structure error: tags don't match (16 vs {class:${b0 >> 6} tag:${tag} length:${length} isCompound:${(b0 & 0x20) !== 0}}) {optional:false explicit:false application:false private:false defaultValue:<nil> tag:<nil> stringType:0 timeType:0 set:false omitEmpty:false} pkcs1PrivateKey @${offset}`;
}

/** The tags of the elements directly inside a DER SEQUENCE, or undefined when `der` is not one. */
function sequenceTags(der: Uint8Array): number[] | undefined {
  const header = (at: number): { tag: number; start: number; end: number } | undefined => {
    if (at + 2 > der.length) return undefined;
    const tag = der[at]!;
    let len = der[at + 1]!;
    let start = at + 2;
    if (len & 0x80) {
      const n = len & 0x7f;
      if (n === 0 || n > 4 || start + n > der.length) return undefined;
      len = 0;
      for (let i = 0; i < n; i++) len = len * 256 + der[start + i]!;
      start += n;
    }
    if (start + len > der.length) return undefined;
    return { tag, start, end: start + len };
  };
  const outer = header(0);
  if (outer === undefined || outer.tag !== 0x30 || outer.end !== der.length) return undefined;
  const tags: number[] = [];
  for (let at = outer.start; at < outer.end; ) {
    const h = header(at);
    if (h === undefined) return undefined;
    tags.push(h.tag);
    at = h.end;
  }
  return tags;
}

/** x509.ParsePKCS1PrivateKey, with its messages for keys in other formats. */
function parsePKCS1(der: Uint8Array): KeyObject {
  const tags = sequenceTags(der);
  // RSAPrivateKey starts with two INTEGERs; an EC key has an OCTET STRING second, PKCS #8 a SEQUENCE.
  if (tags !== undefined && tags[0] === 0x02 && tags[1] === 0x02) {
    try {
      return nodeCrypto().createPrivateKey({ key: Buffer.from(der), format: "der", type: "pkcs1" });
    } catch {
      throw new FunctionError("crypto/rsa: invalid modulus");
    }
  }
  if (tags !== undefined && tags[0] === 0x02 && tags[1] === 0x04) {
    throw new FunctionError(
      "x509: failed to parse private key (use ParseECPrivateKey instead for this key format)",
    );
  }
  if (tags !== undefined && tags[0] === 0x02 && tags[1] === 0x30) {
    throw new FunctionError(
      "x509: failed to parse private key (use ParsePKCS8PrivateKey instead for this key format)",
    );
  }
  if (der[0] !== 0x30) throw new FunctionError(derMismatch(der));
  throw new FunctionError("asn1: syntax error: sequence truncated");
}

function bigFromBase64url(s: string | undefined): bigint {
  const hex = Buffer.from(s ?? "", "base64url").toString("hex");
  return hex === "" ? 0n : BigInt(`0x${hex}`);
}

function modPow(base: bigint, exp: bigint, mod: bigint): bigint {
  let result = 1n;
  let b = base % mod;
  let e = exp;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % mod;
    b = (b * b) % mod;
    e >>= 1n;
  }
  return result;
}

/**
 * rsa.DecryptPKCS1v15. Node no longer offers PKCS #1 v1.5 private decryption, so the RSA operation is done
 * here (with the CRT) and the padding checked as Go does; any failure is Go's single decryption error.
 */
function decryptPKCS1v15(key: KeyObject, ciphertext: Uint8Array): Uint8Array {
  const jwk = key.export({ format: "jwk" });
  const n = bigFromBase64url(jwk.n);
  const k = Math.ceil(n.toString(16).length / 2);
  const fail = new FunctionError("crypto/rsa: decryption error");
  if (k < 11 || ciphertext.length > k) throw fail;
  const c = ciphertext.length === 0 ? 0n : BigInt(`0x${Buffer.from(ciphertext).toString("hex")}`);
  if (c >= n) throw fail;
  const p = bigFromBase64url(jwk.p);
  const q = bigFromBase64url(jwk.q);
  const m1 = modPow(c, bigFromBase64url(jwk.dp), p);
  const m2 = modPow(c, bigFromBase64url(jwk.dq), q);
  let h = ((m1 - m2) * bigFromBase64url(jwk.qi)) % p;
  if (h < 0n) h += p;
  const m = m2 + h * q;
  const em = Buffer.from(m.toString(16).padStart(k * 2, "0"), "hex");
  if (em[0] !== 0 || em[1] !== 2) throw fail;
  const sep = em.indexOf(0, 2);
  if (sep < 10) throw fail; // at least 8 bytes of padding
  return new Uint8Array(em.subarray(sep + 1));
}

const rsadecrypt: FunctionSpec = {
  description: "Decrypts an RSA-encrypted ciphertext, returning the corresponding cleartext.",
  params: [
    { name: "ciphertext", type: stringType },
    { name: "privatekey", type: stringType },
  ],
  type: () => stringType,
  impl: ([ct, pk]) => {
    const s = ct!.asString();
    const b = goBase64Decode(s);
    if (!b.ok)
      throw new FunctionError(`failed to decode input ${goQuote(s)}: cipher text must be base64-encoded`);
    const block = pemDecode(pk!.asString());
    if (block === undefined) throw new FunctionError("failed to parse key: no key found");
    if (block.headers.get("Proc-Type") === "4,ENCRYPTED") {
      throw new FunctionError(
        "failed to parse key: password protected keys are not supported. Please decrypt the key prior to use",
      );
    }
    const key = parsePKCS1(block.bytes);
    const out = decryptPKCS1v15(key, b.bytes);
    return stringVal(new TextDecoder().decode(out));
  },
};

export const cryptoFunctions: Record<string, FunctionSpec> = {
  bcrypt,
  md5: hashFunction("md5", "Computes the MD5 hash of a given string and encodes it with hexadecimal digits."),
  rsadecrypt,
  sha1: hashFunction(
    "sha1",
    "Computes the SHA1 hash of a given string and encodes it with hexadecimal digits.",
  ),
  sha256: hashFunction(
    "sha256",
    "Computes the SHA256 hash of a given string and encodes it with hexadecimal digits.",
  ),
  sha512: hashFunction(
    "sha512",
    "Computes the SHA512 hash of a given string and encodes it with hexadecimal digits.",
  ),
};
