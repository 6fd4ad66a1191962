/**
 * A minimal RFB (VNC) client: enough of RFC 6143 to type keys into a VM's console. It negotiates protocol 3.3,
 * 3.7 or 3.8, authenticates with "None" or "VNC authentication" (DES challenge), sends ClientInit (shared),
 * reads ServerInit (for the desktop name) and then only sends KeyEvent messages; whatever the server sends
 * afterwards is read and dropped (no framebuffer updates are ever requested).
 *
 * Key events are written to one TCP stream in call order, so the server receives them in that order.
 */
import { createCipheriv } from "node:crypto";
import { connect, type Socket } from "node:net";
import { cancelledError, KilnError } from "../../../sdk/index.js";

export const VNC_ERROR = "VNC";

const SECURITY_NONE = 1;
const SECURITY_VNC_AUTH = 2;

/** Reads exact byte counts from a socket. */
class ByteReader {
  private chunks: Buffer[] = [];
  private length = 0;
  private waiter: (() => void) | undefined;
  private failure: Error | undefined;
  private ended = false;

  constructor(socket: Socket) {
    socket.on("data", (chunk: Buffer) => {
      this.chunks.push(chunk);
      this.length += chunk.length;
      this.wake();
    });
    socket.on("end", () => {
      this.ended = true;
      this.wake();
    });
    socket.on("error", (err) => {
      this.failure = err;
      this.wake();
    });
    socket.on("close", () => {
      this.ended = true;
      this.wake();
    });
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }

  async read(n: number): Promise<Buffer> {
    while (this.length < n) {
      if (this.failure !== undefined) throw this.failure;
      if (this.ended) throw new Error("unexpected EOF");
      await new Promise<void>((resolve) => {
        this.waiter = resolve;
      });
    }
    const all = Buffer.concat(this.chunks);
    this.chunks = all.length > n ? [all.subarray(n)] : [];
    this.length = all.length - n;
    return all.subarray(0, n);
  }

  /** Drops everything from now on. */
  discard(): void {
    this.chunks = [];
    this.length = 0;
  }
}

/** VNC authentication: the challenge encrypted with DES, keyed by the password with each byte's bits reversed. */
export function vncAuthResponse(password: string, challenge: Uint8Array): Buffer {
  const key = Buffer.alloc(8);
  const bytes = Buffer.from(password, "latin1");
  for (let i = 0; i < 8 && i < bytes.length; i++) {
    let b = bytes[i]!;
    let r = 0;
    for (let bit = 0; bit < 8; bit++) {
      r = (r << 1) | (b & 1);
      b >>= 1;
    }
    key[i] = r;
  }
  // Single DES is not offered by OpenSSL 3's default provider; triple DES with three equal keys is DES.
  const cipher = createCipheriv("des-ede3-ecb", Buffer.concat([key, key, key]), null);
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(Buffer.from(challenge)), cipher.final()]);
}

export interface VncConnectOptions {
  readonly host: string;
  readonly port: number;
  /** Used when the server asks for VNC authentication. */
  readonly password?: string;
  /** Leave other clients connected (Packer's Exclusive: false). Default true. */
  readonly shared?: boolean;
  /** How long the connection and handshake may take; default 30 s. */
  readonly timeoutMs?: number;
}

export class VncClient {
  private closed = false;

  private constructor(
    private readonly socket: Socket,
    /** The server's desktop name (QEMU: `QEMU (<vm name>)`). */
    readonly desktopName: string,
    readonly width: number,
    readonly height: number,
  ) {}

  static async connect(options: VncConnectOptions, signal: AbortSignal): Promise<VncClient> {
    if (signal.aborted) throw cancelledError(signal.reason);
    const socket = connect({ host: options.host, port: options.port });
    socket.setNoDelay(true);
    const reader = new ByteReader(socket);
    const timeoutMs = options.timeoutMs ?? 30_000;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      socket.destroy(new Error("i/o timeout"));
    }, timeoutMs);
    const onAbort = (): void => {
      socket.destroy(new Error("cancelled"));
    };
    signal.addEventListener("abort", onAbort, { once: true });
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once("connect", resolve);
        socket.once("error", reject);
      });
      const init = await handshake(socket, reader, options);
      reader.discard();
      socket.on("data", () => reader.discard());
      return new VncClient(socket, init.name, init.width, init.height);
    } catch (err) {
      socket.destroy();
      if (signal.aborted) throw cancelledError(signal.reason);
      if (timedOut) throw new KilnError(VNC_ERROR, "i/o timeout", { cause: err });
      throw err instanceof KilnError ? err : new KilnError(VNC_ERROR, (err as Error).message, { cause: err });
    } finally {
      clearTimeout(timer);
      signal.removeEventListener("abort", onAbort);
    }
  }

  /** Sends one KeyEvent (RFB message 4). Resolves when the bytes were handed to the network. */
  keyEvent(keysym: number, down: boolean): Promise<void> {
    if (this.closed) return Promise.reject(new KilnError(VNC_ERROR, "use of closed network connection"));
    const msg = Buffer.alloc(8);
    msg[0] = 4;
    msg[1] = down ? 1 : 0;
    msg.writeUInt32BE(keysym >>> 0, 4);
    return new Promise((resolve, reject) => {
      this.socket.write(msg, (err) =>
        err ? reject(new KilnError(VNC_ERROR, err.message, { cause: err })) : resolve(),
      );
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.end();
    this.socket.destroy();
  }
}

interface ServerInit {
  readonly name: string;
  readonly width: number;
  readonly height: number;
}

async function handshake(
  socket: Socket,
  reader: ByteReader,
  options: VncConnectOptions,
): Promise<ServerInit> {
  const version = (await reader.read(12)).toString("latin1");
  const m = /^RFB (\d{3})\.(\d{3})\n$/.exec(version);
  if (m === null) throw new KilnError(VNC_ERROR, `unexpected protocol version: ${JSON.stringify(version)}`);
  const major = Number(m[1]);
  const minor = Number(m[2]);
  if (major < 3) throw new KilnError(VNC_ERROR, `unsupported protocol version: ${version.trim()}`);
  const useMinor = major > 3 ? 8 : minor >= 8 ? 8 : minor >= 7 ? 7 : 3;
  socket.write(`RFB 003.00${useMinor}\n`);

  let security: number;
  if (useMinor === 3) {
    security = (await reader.read(4)).readUInt32BE(0);
    if (security === 0) throw new KilnError(VNC_ERROR, `connection refused: ${await readReason(reader)}`);
  } else {
    const count = (await reader.read(1))[0]!;
    if (count === 0) throw new KilnError(VNC_ERROR, `connection refused: ${await readReason(reader)}`);
    const types = [...(await reader.read(count))];
    const wantAuth = options.password !== undefined && options.password !== "";
    if (wantAuth && types.includes(SECURITY_VNC_AUTH)) security = SECURITY_VNC_AUTH;
    else if (types.includes(SECURITY_NONE)) security = SECURITY_NONE;
    else if (types.includes(SECURITY_VNC_AUTH)) security = SECURITY_VNC_AUTH;
    else
      throw new KilnError(VNC_ERROR, `no suitable auth schemes found. server supported: ${types.join(", ")}`);
    socket.write(Buffer.from([security]));
  }

  if (security === SECURITY_VNC_AUTH) {
    if (options.password === undefined || options.password === "") {
      throw new KilnError(VNC_ERROR, "the server asks for a VNC password and none is configured", {
        hint: "Set vnc_use_password (kiln sets the password through QMP) or vnc_password.",
      });
    }
    const challenge = await reader.read(16);
    socket.write(vncAuthResponse(options.password, challenge));
  } else if (security !== SECURITY_NONE) {
    throw new KilnError(VNC_ERROR, `unsupported security type ${security}`);
  }
  // RFB 3.3 sends no SecurityResult for "None".
  if (security !== SECURITY_NONE || useMinor === 8) {
    const result = (await reader.read(4)).readUInt32BE(0);
    if (result !== 0) {
      const reason = useMinor === 8 ? await readReason(reader) : "authentication failed";
      throw new KilnError(VNC_ERROR, `security handshake failed: ${reason}`);
    }
  }

  socket.write(Buffer.from([options.shared === false ? 0 : 1]));
  const init = await reader.read(24);
  const width = init.readUInt16BE(0);
  const height = init.readUInt16BE(2);
  const nameLength = init.readUInt32BE(20);
  const name = nameLength > 0 ? (await reader.read(nameLength)).toString("utf8") : "";
  return { name, width, height };
}

async function readReason(reader: ByteReader): Promise<string> {
  const n = (await reader.read(4)).readUInt32BE(0);
  return (await reader.read(n)).toString("utf8");
}
