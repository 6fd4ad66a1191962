/**
 * SSH user authentication, in the order Packer's SSHConfigFunc sets it up: the agent (ssh_agent_auth), each
 * private key (with its certificate when ssh_certificate_file is set), then the password, also answered to
 * keyboard-interactive prompts. Records which methods were tried and what the server allows, for the error
 * message when none is accepted.
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { homedir } from "node:os";
import type * as Ssh2 from "ssh2";
import type { AuthHandlerMiddleware, Client, KeyboardInteractiveCallback, ParsedKey, Prompt } from "ssh2";

// ssh2 is loaded on first use, so commands that never connect do not load it at start-up.
const loadSsh2 = (): typeof Ssh2 => createRequire(import.meta.url)("ssh2");

import { ErrorCode, KilnError } from "../../sdk/index.js";

/** Credentials for one SSH login. */
export interface SshCredentials {
  readonly username: string;
  readonly password?: string;
  /** Private keys (file contents), tried in order. */
  readonly privateKeys?: readonly (string | Uint8Array)[];
  /** An OpenSSH user certificate (`*-cert.pub` contents) for the private keys. */
  readonly certificate?: string | Uint8Array;
  /** The agent's socket (SSH_AUTH_SOCK) to authenticate with. */
  readonly agentSocket?: string;
  /** Answers keyboard-interactive prompts (ssh_bastion_interactive); the password answers them otherwise. */
  readonly keyboardInteractive?: (
    name: string,
    instructions: string,
    prompts: readonly Prompt[],
  ) => Promise<string[]>;
}

type Method =
  | { readonly kind: "agent"; readonly socket: string }
  | { readonly kind: "publickey"; readonly key: ParsedKey }
  | { readonly kind: "password"; readonly password: string }
  | {
      readonly kind: "keyboard-interactive";
      readonly answer: (name: string, instructions: string, prompts: readonly Prompt[]) => Promise<string[]>;
    };

export interface AuthState {
  readonly handler: AuthHandlerMiddleware;
  /** Method names attempted, in order, without repeats (`publickey`, `password`, ...). */
  readonly attempted: string[];
  /** What the server said may continue, from its last failure (undefined before one). */
  allowed: string[] | undefined;
  /** Installs what certificates need on the client (call right after client.connect()). */
  install(client: Client): void;
}

/** Expands a leading `~` or `~/` to the home directory (Packer's pathing.ExpandUser). */
export function expandUser(path: string, env: Readonly<Record<string, string | undefined>> = {}): string {
  if (path !== "~" && !path.startsWith("~/")) return path;
  const home = env.HOME ?? homedir();
  return home + path.slice(1);
}

/**
 * Parses a private key as Packer's FileSigner would accept it; throws a KilnError with Packer's wording for
 * encrypted or unreadable keys.
 */
export function parsePrivateKey(data: string | Uint8Array, what = "SSH private key"): ParsedKey {
  const parsed = loadSsh2().utils.parseKey(Buffer.from(data));
  if (parsed instanceof Error) {
    if (/encrypted|passphrase/i.test(parsed.message)) {
      throw new KilnError(
        ErrorCode.Communicator,
        `Failed to read key '${what}': password protected keys are\nnot supported. Please decrypt the key prior to use.`,
      );
    }
    throw new KilnError(ErrorCode.Communicator, `Error on parsing ${what}: ${parsed.message}`);
  }
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (key === undefined || !key.isPrivateKey()) {
    throw new KilnError(ErrorCode.Communicator, `Error on parsing ${what}: not a private key`);
  }
  return key;
}

/** Reads and parses a private key file (`~` expanded). */
export async function readPrivateKeyFile(
  path: string,
  env: Readonly<Record<string, string | undefined>> = {},
): Promise<Buffer> {
  const full = expandUser(path, env);
  try {
    return await readFile(full);
  } catch (err) {
    throw new KilnError(
      ErrorCode.Communicator,
      `Error on reading SSH private key: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
}

export function createAuth(credentials: SshCredentials): AuthState {
  const methods: Method[] = [];
  if (credentials.agentSocket !== undefined) methods.push({ kind: "agent", socket: credentials.agentSocket });
  let certified = false;
  for (const [i, data] of (credentials.privateKeys ?? []).entries()) {
    let key = parsePrivateKey(data, i === 0 ? "SSH private key" : `SSH private key #${i + 1}`);
    if (credentials.certificate !== undefined) {
      key = certifiedKey(key, credentials.certificate);
      certified = true;
    }
    methods.push({ kind: "publickey", key });
  }
  if (credentials.keyboardInteractive !== undefined) {
    methods.push({ kind: "keyboard-interactive", answer: credentials.keyboardInteractive });
  }
  if (credentials.password !== undefined && credentials.password !== "") {
    const password = credentials.password;
    methods.push({ kind: "password", password });
    methods.push({
      kind: "keyboard-interactive",
      answer: async (_n, _i, prompts) => prompts.map(() => password),
    });
  }

  let next = 0;
  const state: AuthState = {
    attempted: [],
    allowed: undefined,
    handler: (methodsLeft: string[] | null, _partial, callback) => {
      if (methodsLeft !== null && methodsLeft !== undefined) state.allowed = [...methodsLeft];
      while (next < methods.length) {
        const m = methods[next++]!;
        const wire = m.kind === "agent" ? "publickey" : m.kind;
        if (state.allowed !== undefined && !state.allowed.includes(wire)) continue;
        if (!state.attempted.includes(wire)) state.attempted.push(wire);
        const username = credentials.username;
        switch (m.kind) {
          case "agent":
            callback({ type: "agent", username, agent: m.socket });
            return;
          case "publickey":
            callback({ type: "publickey", username, key: m.key });
            return;
          case "password":
            callback({ type: "password", username, password: m.password });
            return;
          case "keyboard-interactive":
            callback({
              type: "keyboard-interactive",
              username,
              prompt: (
                name: string,
                instructions: string,
                _lang: string,
                prompts: Prompt[],
                finish: KeyboardInteractiveCallback,
              ) => {
                m.answer(name, instructions, prompts).then(finish, () => finish([]));
              },
            });
            return;
        }
      }
      // false ends authentication; the typings do not know that form.
      (callback as unknown as (done: false) => void)(false);
    },
    install(client) {
      if (certified) installCertificateSupport(client);
    },
  };
  return state;
}

// --- OpenSSH user certificates -----------------------------------------------------------------------------
//
// ssh2 has no certificate support, so a certified key is a ParsedKey whose public blob and type are the
// certificate's. The signature inside the USERAUTH_REQUEST must still name the plain key algorithm (OpenSSH
// checks it), which ssh2 cannot express; installCertificateSupport rewrites that one field of the packet.

const CERT = Symbol("kiln.certificate");

interface CertifiedKey extends ParsedKey {
  [CERT]: { readonly signatureAlgorithm: string };
}

const CERT_TYPES: Readonly<
  Record<
    string,
    { readonly key: string; readonly wire: string; readonly sig: string; readonly hash?: string }
  >
> = {
  "ssh-ed25519-cert-v01@openssh.com": {
    key: "ssh-ed25519",
    wire: "ssh-ed25519-cert-v01@openssh.com",
    sig: "ssh-ed25519",
  },
  "ssh-rsa-cert-v01@openssh.com": {
    key: "ssh-rsa",
    wire: "rsa-sha2-256-cert-v01@openssh.com",
    sig: "rsa-sha2-256",
    hash: "sha256",
  },
  "ecdsa-sha2-nistp256-cert-v01@openssh.com": {
    key: "ecdsa-sha2-nistp256",
    wire: "ecdsa-sha2-nistp256-cert-v01@openssh.com",
    sig: "ecdsa-sha2-nistp256",
  },
  "ecdsa-sha2-nistp384-cert-v01@openssh.com": {
    key: "ecdsa-sha2-nistp384",
    wire: "ecdsa-sha2-nistp384-cert-v01@openssh.com",
    sig: "ecdsa-sha2-nistp384",
  },
  "ecdsa-sha2-nistp521-cert-v01@openssh.com": {
    key: "ecdsa-sha2-nistp521",
    wire: "ecdsa-sha2-nistp521-cert-v01@openssh.com",
    sig: "ecdsa-sha2-nistp521",
  },
};

/** Combines a private key with its certificate (Packer's ReadCertificate / ssh.NewCertSigner). */
export function certifiedKey(key: ParsedKey, certificate: string | Uint8Array): ParsedKey {
  const text = Buffer.from(certificate).toString("utf8").trim();
  const [certType, b64] = text.split(/\s+/);
  const info = certType !== undefined ? CERT_TYPES[certType] : undefined;
  if (info === undefined || b64 === undefined) {
    throw new KilnError(
      ErrorCode.Communicator,
      `failed to parse certificate: unsupported certificate type ${certType ?? ""}`,
    );
  }
  const blob = Buffer.from(b64, "base64");
  if (info.key !== key.type) {
    throw new KilnError(
      ErrorCode.Communicator,
      "failed to create cert signer: public key and private key don't match",
    );
  }
  // The certificate embeds the key's public fields right after its type and nonce.
  const keyFields = stripFirstString(key.getPublicSSH());
  const afterType = stripFirstString(blob);
  const afterNonce = afterType === undefined ? undefined : stripFirstString(afterType);
  if (
    keyFields === undefined ||
    afterNonce === undefined ||
    !afterNonce.subarray(0, keyFields.length).equals(keyFields)
  ) {
    throw new KilnError(
      ErrorCode.Communicator,
      "failed to create cert signer: public key and private key don't match",
    );
  }
  const wrapped = Object.create(key) as CertifiedKey;
  Object.defineProperty(wrapped, "type", { value: info.wire });
  wrapped.getPublicSSH = () => blob;
  wrapped.sign = (data: Buffer) => {
    const sig = key.sign(data, info.hash);
    if (sig instanceof Error) return sig;
    return info.key.startsWith("ecdsa-") ? ecdsaDerToSsh(sig) : sig;
  };
  wrapped[CERT] = { signatureAlgorithm: info.sig };
  return wrapped;
}

function stripFirstString(buf: Buffer): Buffer | undefined {
  if (buf.length < 4) return undefined;
  const len = buf.readUInt32BE(0);
  return 4 + len <= buf.length ? buf.subarray(4 + len) : undefined;
}

/** ECDSA signatures come from OpenSSL in DER; SSH wants `mpint r, mpint s`. */
function ecdsaDerToSsh(der: Buffer): Buffer {
  let p = 2;
  if (der[1]! & 0x80) p += der[1]! & 0x7f;
  const readInt = (): Buffer => {
    const len = der[p + 1]!;
    const v = der.subarray(p + 2, p + 2 + len);
    p += 2 + len;
    return v;
  };
  const r = readInt();
  const s = readInt();
  const str = (b: Buffer): Buffer => {
    const l = Buffer.alloc(4);
    l.writeUInt32BE(b.length);
    return Buffer.concat([l, b]);
  };
  return Buffer.concat([str(r), str(s)]);
}

interface PacketWriterLike {
  allocStart: number;
  alloc(size: number, force?: boolean): Buffer;
  finalize(packet: Buffer, force?: boolean): Buffer;
}

interface ProtocolLike {
  _packetRW: { write: PacketWriterLike };
  authPK(username: string, pubKey: unknown, keyAlgo?: unknown, cbSign?: unknown): void;
}

/**
 * Wraps the connection's authPK so that, for a certified key, the signature blob of the signed request names
 * the plain key algorithm while the request itself names the certificate algorithm.
 */
function installCertificateSupport(client: Client): void {
  const proto = (client as unknown as { _protocol?: ProtocolLike })._protocol;
  if (proto === undefined || typeof proto.authPK !== "function") return;
  const original = proto.authPK;
  proto.authPK = function (this: ProtocolLike, username, pubKey, keyAlgo, cbSign) {
    const cert = (pubKey as Partial<CertifiedKey> | undefined)?.[CERT];
    const sign = typeof keyAlgo === "function" ? keyAlgo : cbSign;
    if (cert === undefined || typeof sign !== "function") {
      original.call(this, username, pubKey, keyAlgo, cbSign);
      return;
    }
    const writer = this._packetRW.write;
    const wrappedSign = (buf: Buffer, cb: (signature: Buffer) => void): void => {
      (sign as (b: Buffer, c: (s: Buffer) => void) => void)(buf, (signature) => {
        const finalize = writer.finalize;
        writer.finalize = function (packet: Buffer, force?: boolean) {
          writer.finalize = finalize;
          return finalize.call(
            this,
            rewriteSignatureAlgorithm(writer, packet, cert.signatureAlgorithm),
            force,
          );
        };
        cb(signature);
      });
    };
    original.call(this, username, pubKey, typeof keyAlgo === "function" ? undefined : keyAlgo, wrappedSign);
  };
}

/** Rebuilds a signed publickey USERAUTH_REQUEST with `algorithm` as the signature blob's algorithm name. */
function rewriteSignatureAlgorithm(writer: PacketWriterLike, packet: Buffer, algorithm: string): Buffer {
  const start = writer.allocStart;
  let p = start + 1;
  const fields: Buffer[] = [];
  const readString = (): Buffer => {
    const len = packet.readUInt32BE(p);
    const v = packet.subarray(p + 4, p + 4 + len);
    p += 4 + len;
    return v;
  };
  for (let i = 0; i < 3; i++) fields.push(readString()); // user, service, method
  const hasSig = packet[p]!;
  p += 1;
  const keyAlgo = readString();
  const pubKey = readString();
  const sigBlob = readString();
  let q = 0;
  const sigAlgoLen = sigBlob.readUInt32BE(q);
  q += 4 + sigAlgoLen;
  const sigLen = sigBlob.readUInt32BE(q);
  const sig = sigBlob.subarray(q + 4, q + 4 + sigLen);
  const str = (b: Buffer): Buffer => {
    const l = Buffer.alloc(4);
    l.writeUInt32BE(b.length);
    return Buffer.concat([l, b]);
  };
  const newBlob = Buffer.concat([str(Buffer.from(algorithm)), str(sig)]);
  const payload = Buffer.concat([
    Buffer.from([packet[start]!]),
    ...fields.map(str),
    Buffer.from([hasSig]),
    str(keyAlgo),
    str(pubKey),
    str(newBlob),
  ]);
  const out = writer.alloc(payload.length);
  payload.copy(out, writer.allocStart);
  return out;
}
