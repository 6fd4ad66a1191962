/**
 * Temporary SSH key pairs for builders that inject a key into the machine they create (Packer's
 * `temporary_key_pair_type` / `temporary_key_pair_bits` and sshkey.GeneratePair): rsa (default, 4096 bits),
 * ecdsa (256, 384 or 521 bits; default 521), ed25519 (bits ignored) and dsa (1024, 2048 or 3072; default
 * 1024; deprecated and refused by current OpenSSH servers).
 *
 * Private keys are in OpenSSH's format (rsa, ecdsa, ed25519) or OpenSSL's `DSA PRIVATE KEY`; the public key is
 * an authorized_keys line, `<type> <base64>[ <comment>]` with no newline.
 */
import { generateKeyPair as nodeGenerateKeyPair } from "node:crypto";
import { createRequire } from "node:module";
import type * as Ssh2 from "ssh2";

// ssh2 is loaded on first use, so commands that never connect do not load it at start-up.
const loadSsh2 = (): typeof Ssh2 => createRequire(import.meta.url)("ssh2");

import { ErrorCode, KilnError } from "../../sdk/index.js";

export type SshKeyPairType = "rsa" | "ecdsa" | "ed25519" | "dsa";

export const SSH_KEY_PAIR_TYPES: readonly SshKeyPairType[] = ["rsa", "dsa", "ecdsa", "ed25519"];

export interface SshKeyPairOptions {
  /** Default rsa. */
  readonly type?: SshKeyPairType;
  /** 0 or absent: the type's default. */
  readonly bits?: number;
  /** Appended to the public key line (e.g. the temporary key pair name `packer_<uuid>`). */
  readonly comment?: string;
}

export interface SshKeyPair {
  readonly type: SshKeyPairType;
  /** The key size actually used (256 for ed25519). */
  readonly bits: number;
  /** PEM text. */
  readonly privateKey: string;
  /** `ssh-ed25519 AAAA... comment`, no trailing newline. */
  readonly publicKey: string;
}

/** Why `bits` does not suit `type` (sshkey's messages), or undefined when it does. */
export function checkKeyPairBits(type: SshKeyPairType, bits: number): string | undefined {
  if (bits === 0) return undefined;
  switch (type) {
    case "rsa":
      return bits < 1024 ? "sshkey: invalid private key rsa size: must be more than 1024" : undefined;
    case "ecdsa":
      return [256, 384, 521].includes(bits)
        ? undefined
        : "sshkey: invalid private key ecdsa size, must be one of 256, 384 or 521";
    case "dsa":
      return [1024, 2048, 3072].includes(bits)
        ? undefined
        : "sshkey: invalid private key dsa size, must be one of 1024, 2048 or 3072";
    case "ed25519":
      return undefined;
  }
}

/** Parses a `temporary_key_pair_type` value (case-insensitive, as Packer's enumer does). */
export function parseKeyPairType(text: string): SshKeyPairType | undefined {
  const t = text.toLowerCase();
  return (SSH_KEY_PAIR_TYPES as readonly string[]).includes(t) ? (t as SshKeyPairType) : undefined;
}

export async function generateSshKeyPair(options: SshKeyPairOptions = {}): Promise<SshKeyPair> {
  const type = options.type ?? "rsa";
  const problem = checkKeyPairBits(type, options.bits ?? 0);
  if (problem !== undefined) throw new KilnError(ErrorCode.Internal, problem);
  const comment = options.comment ?? "";
  switch (type) {
    case "rsa": {
      const bits = options.bits || 4096;
      return { type, bits, ...(await ssh2Pair("rsa", bits, comment)) };
    }
    case "ecdsa": {
      const bits = options.bits || 521;
      return { type, bits, ...(await ssh2Pair("ecdsa", bits, comment)) };
    }
    case "ed25519":
      return { type, bits: 256, ...(await ssh2Pair("ed25519", undefined, comment)) };
    case "dsa": {
      const bits = options.bits || 1024;
      return { type, bits, ...(await dsaPair(bits, comment)) };
    }
  }
}

function ssh2Pair(
  type: "rsa" | "ecdsa" | "ed25519",
  bits: number | undefined,
  comment: string,
): Promise<{ privateKey: string; publicKey: string }> {
  return new Promise((resolve, reject) => {
    const opts = { ...(bits !== undefined ? { bits } : {}), ...(comment !== "" ? { comment } : {}) };
    const done = (err: Error | null, keys: { private: string; public: string }): void => {
      if (err) reject(new KilnError(ErrorCode.Internal, `Error creating temporary SSH key: ${err.message}`));
      else resolve({ privateKey: keys.private, publicKey: keys.public.trim() });
    };
    // The typings overload per key type; the runtime takes the same shape for all three.
    (loadSsh2().utils.generateKeyPair as unknown as (t: string, o: object, cb: typeof done) => void)(
      type,
      opts,
      done,
    );
  });
}

// --- DSA: Node generates it, but only exports PKCS#8; OpenSSH wants OpenSSL's traditional form. ------------

async function dsaPair(bits: number, comment: string): Promise<{ privateKey: string; publicKey: string }> {
  const { privateKey } = await new Promise<{ privateKey: Buffer }>((resolve, reject) => {
    nodeGenerateKeyPair(
      "dsa",
      {
        modulusLength: bits,
        divisorLength: bits === 1024 ? 160 : 256,
        privateKeyEncoding: { type: "pkcs8", format: "der" },
        publicKeyEncoding: { type: "spki", format: "der" },
      },
      (err, _pub, priv) => (err ? reject(err) : resolve({ privateKey: priv })),
    );
  });
  // PrivateKeyInfo ::= SEQUENCE { version, AlgorithmIdentifier { oid, Dss-Parms { p, q, g } }, OCTET STRING { x } }
  const info = derChildren(derRead(privateKey, 0).content);
  const algorithm = derChildren(info[1]!.content);
  const [p, q, g] = derChildren(algorithm[1]!.content).map((n) => derInteger(n.content));
  const x = derInteger(derRead(info[2]!.content, 0).content);
  if (p === undefined || q === undefined || g === undefined) throw new Error("malformed DSA parameters");
  const y = modPow(g, x, p);
  const traditional = derSequence([0n, p, q, g, y, x].map(derEncodeInteger));
  const pem = `-----BEGIN DSA PRIVATE KEY-----\n${wrap64(traditional.toString("base64"))}-----END DSA PRIVATE KEY-----\n`;
  const blob = Buffer.concat([
    sshString(Buffer.from("ssh-dss")),
    ...[p, q, g, y].map((n) => sshString(mpint(n))),
  ]);
  const publicKey = `ssh-dss ${blob.toString("base64")}${comment !== "" ? ` ${comment}` : ""}`;
  return { privateKey: pem, publicKey };
}

interface DerNode {
  readonly tag: number;
  readonly content: Buffer;
  readonly end: number;
}

function derRead(buf: Buffer, offset: number): DerNode {
  const tag = buf[offset]!;
  let len = buf[offset + 1]!;
  let pos = offset + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[pos + i]!;
    pos += n;
  }
  return { tag, content: buf.subarray(pos, pos + len), end: pos + len };
}

function derChildren(buf: Buffer): DerNode[] {
  const out: DerNode[] = [];
  for (let pos = 0; pos < buf.length; ) {
    const node = derRead(buf, pos);
    out.push(node);
    pos = node.end;
  }
  return out;
}

function derInteger(content: Buffer): bigint {
  return content.length === 0 ? 0n : BigInt(`0x${content.toString("hex")}`);
}

/** Unsigned big-endian bytes of n with a leading zero when the top bit is set (DER INTEGER / SSH mpint). */
function mpint(n: bigint): Buffer {
  if (n === 0n) return Buffer.alloc(0);
  let hex = n.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  const bytes = Buffer.from(hex, "hex");
  return bytes[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes;
}

function derLength(len: number): Buffer {
  if (len < 0x80) return Buffer.from([len]);
  const bytes: number[] = [];
  for (let l = len; l > 0; l = Math.floor(l / 256)) bytes.unshift(l & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function derEncodeInteger(n: bigint): Buffer {
  const body = n === 0n ? Buffer.from([0]) : mpint(n);
  return Buffer.concat([Buffer.from([0x02]), derLength(body.length), body]);
}

function derSequence(items: Buffer[]): Buffer {
  const body = Buffer.concat(items);
  return Buffer.concat([Buffer.from([0x30]), derLength(body.length), body]);
}

function sshString(b: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(b.length);
  return Buffer.concat([len, b]);
}

function modPow(base: bigint, exp: bigint, mod: bigint): bigint {
  let result = 1n;
  let b = base % mod;
  for (let e = exp; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % mod;
    b = (b * b) % mod;
  }
  return result;
}

function wrap64(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i += 64) out += `${s.slice(i, i + 64)}\n`;
  return out;
}
