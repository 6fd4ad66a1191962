/**
 * One SSH connection: a TCP socket (direct, through a SOCKS5 proxy, or through a bastion host), the
 * handshake with a deadline, authentication, and the port tunnels. SshCommunicator opens a new one whenever
 * the previous one is gone (a reboot), like Packer's comm.reconnect.
 */
import { createRequire } from "node:module";
import { connect as netConnect, type Socket } from "node:net";
import type { Duplex } from "node:stream";
import type * as Ssh2 from "ssh2";
import type { Algorithms, Client, ConnectConfig } from "ssh2";
import { cancelledError, errorMessage, KilnError, type Logger, noopLogger } from "../../sdk/index.js";
import { type AuthState, createAuth, type SshCredentials } from "./auth.js";
import { type OpenTunnels, openTunnels, type TunnelSpec } from "./tunnel.js";

// ssh2 is loaded on first use, so commands that never connect do not load it at start-up.
const loadSsh2 = (): typeof Ssh2 => createRequire(import.meta.url)("ssh2");

/** Error codes of connection failures (KilnError.code). */
export const SshErrorCode = {
  /** TCP connection (or proxy, or bastion) failed. */
  Dial: "SSH_DIAL",
  /** The handshake did not finish in time. */
  HandshakeTimeout: "SSH_HANDSHAKE_TIMEOUT",
  /** The server accepted none of the credentials. */
  Auth: "SSH_AUTH",
  /** The handshake failed otherwise (protocol error, connection lost). */
  Handshake: "SSH_HANDSHAKE",
  /** A bastion host could not be used. */
  Bastion: "SSH_BASTION",
  /** A tunnel could not be set up. */
  Tunnel: "SSH_TUNNEL",
} as const;

/** Where and how to log in, over one hop. */
export interface SshEndpoint extends SshCredentials {
  readonly host: string;
  /** Default 22. */
  readonly port?: number;
}

export interface SocksProxy {
  readonly host: string;
  /** Default 1080. */
  readonly port?: number;
  readonly username?: string;
  readonly password?: string;
}

export interface SshConnectionOptions extends SshEndpoint {
  /** Log in to this host first and reach the target through it (ssh_bastion_*). */
  readonly bastion?: SshEndpoint;
  /** Reach the target through this SOCKS5 proxy (ssh_proxy_*). */
  readonly socksProxy?: SocksProxy;
  /** Forward this agent socket to the remote side (ssh_disable_agent_forwarding = false). */
  readonly agentForwarding?: string;
  /** The handshake (including authentication) must finish within this; default 1 minute, as Packer. */
  readonly handshakeTimeoutMs?: number;
  /** Keep-alive probe interval (ssh_keep_alive_interval); <= 0 disables. Default 5 s. */
  readonly keepAliveIntervalMs?: number;
  /** Drop the connection when nothing was read or written for this long (ssh_read_write_timeout); 0: never. */
  readonly readWriteTimeoutMs?: number;
  /** ssh_ciphers: replaces the default cipher list. */
  readonly ciphers?: readonly string[];
  /** ssh_key_exchange_algorithms: replaces the default list. */
  readonly keyExchangeAlgorithms?: readonly string[];
  readonly tunnels?: readonly TunnelSpec[];
  readonly log?: Logger;
}

/** Packer's preferred cipher order (Go's defaults): GCM first, which is also the fastest here. */
export const DEFAULT_CIPHERS: readonly string[] = [
  "aes128-gcm@openssh.com",
  "chacha20-poly1305@openssh.com",
  "aes128-ctr",
  "aes192-ctr",
  "aes256-ctr",
  "aes256-gcm@openssh.com",
];

const DIAL_TIMEOUT_MS = 15_000;

export interface SshConnection {
  readonly client: Client;
  /** True until the connection is closed or lost. */
  isOpen(): boolean;
  /** Resolves once the connection is gone. */
  readonly closed: Promise<void>;
  close(): void;
}

export function endpointName(e: { username: string; host: string; port?: number }): string {
  return `${e.username}@${e.host}:${e.port ?? 22}`;
}

/** Opens and authenticates one connection; rejects with a KilnError whose code is an SshErrorCode. */
export async function openSshConnection(
  options: SshConnectionOptions,
  signal: AbortSignal,
): Promise<SshConnection> {
  const log = options.log ?? noopLogger;
  let bastion: SshConnection | undefined;
  let sock: Duplex;
  const target = `${options.host}:${options.port ?? 22}`;
  if (options.bastion !== undefined) {
    try {
      bastion = await openSshConnection(
        {
          ...options.bastion,
          handshakeTimeoutMs: options.handshakeTimeoutMs ?? 60_000,
          keepAliveIntervalMs: options.keepAliveIntervalMs ?? 5000,
          log,
        },
        signal,
      );
    } catch (err) {
      if (signal.aborted) throw err;
      throw new KilnError(SshErrorCode.Bastion, `Error connecting to bastion: ${errorMessage(err)}`, {
        cause: err,
        hint: "Check the ssh_bastion_* settings.",
      });
    }
    log.log("[DEBUG] connected to bastion host");
    try {
      sock = await forwardThrough(bastion.client, options.host, options.port ?? 22);
    } catch (err) {
      bastion.close();
      throw new KilnError(SshErrorCode.Dial, `bastion cannot reach ${target}: ${errorMessage(err)}`, {
        cause: err,
      });
    }
  } else if (options.socksProxy !== undefined) {
    sock = await dialSocks(options.socksProxy, options.host, options.port ?? 22, signal);
  } else {
    sock = await dialTcp(options.host, options.port ?? 22, signal);
  }
  if (options.readWriteTimeoutMs && "setTimeout" in sock) {
    const s = sock as Socket;
    s.setTimeout(options.readWriteTimeoutMs, () => s.destroy(new Error("i/o timeout")));
  }
  try {
    const conn = await handshake(sock, options, signal, log);
    if (bastion !== undefined) {
      const b = bastion;
      void conn.closed.then(() => b.close());
    }
    return conn;
  } catch (err) {
    sock.destroy();
    bastion?.close();
    throw err;
  }
}

function dialTcp(host: string, port: number, signal: AbortSignal): Promise<Socket> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(cancelledError(signal.reason));
      return;
    }
    const socket = netConnect({ host, port });
    const timer = setTimeout(() => fail(new Error("i/o timeout")), DIAL_TIMEOUT_MS);
    const onAbort = (): void => fail(cancelledError(signal.reason));
    signal.addEventListener("abort", onAbort, { once: true });
    const cleanup = (): void => {
      clearTimeout(timer);
      signal.removeEventListener("abort", onAbort);
      socket.removeListener("error", fail);
    };
    function fail(err: Error): void {
      cleanup();
      socket.destroy();
      if (err instanceof KilnError) reject(err);
      else {
        const code = (err as NodeJS.ErrnoException).code;
        const why =
          code === "ECONNREFUSED"
            ? "connection refused"
            : code === "EHOSTUNREACH"
              ? "no route to host"
              : err.message;
        reject(new KilnError(SshErrorCode.Dial, `dial tcp ${host}:${port}: ${why}`, { cause: err }));
      }
    }
    socket.once("error", fail);
    socket.once("connect", () => {
      cleanup();
      socket.setKeepAlive(true, 5000);
      socket.setNoDelay(true);
      resolve(socket);
    });
  });
}

async function dialSocks(
  proxy: SocksProxy,
  host: string,
  port: number,
  signal: AbortSignal,
): Promise<Socket> {
  const proxyPort = proxy.port ?? 1080;
  try {
    const { SocksClient } = await import("socks");
    const { socket } = await SocksClient.createConnection({
      proxy: {
        host: proxy.host,
        port: proxyPort,
        type: 5,
        ...(proxy.username !== undefined ? { userId: proxy.username, password: proxy.password ?? "" } : {}),
      },
      command: "connect",
      destination: { host, port },
      timeout: DIAL_TIMEOUT_MS,
    });
    if (signal.aborted) {
      socket.destroy();
      throw cancelledError(signal.reason);
    }
    socket.setNoDelay(true);
    return socket;
  } catch (err) {
    if (err instanceof KilnError) throw err;
    throw new KilnError(
      SshErrorCode.Dial,
      `cannot reach ${host}:${port} through the SOCKS proxy ${proxy.host}:${proxyPort}: ${errorMessage(err)}`,
      { cause: err },
    );
  }
}

function forwardThrough(client: Client, host: string, port: number): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    client.forwardOut("127.0.0.1", 0, host, port, (err, channel) => (err ? reject(err) : resolve(channel)));
  });
}

function handshake(
  sock: Duplex,
  options: SshConnectionOptions,
  signal: AbortSignal,
  log: Logger,
): Promise<SshConnection> {
  const name = endpointName({ username: options.username, host: options.host, port: options.port ?? 22 });
  let auth: AuthState;
  try {
    auth = createAuth(options);
  } catch (err) {
    return Promise.reject(err);
  }
  const client = new (loadSsh2().Client)();
  const algorithms = {
    cipher: [...(options.ciphers ?? DEFAULT_CIPHERS)],
    ...(options.keyExchangeAlgorithms !== undefined && options.keyExchangeAlgorithms.length > 0
      ? { kex: [...options.keyExchangeAlgorithms] }
      : {}),
  } as Algorithms;
  const keepAlive = options.keepAliveIntervalMs ?? 5000;
  const agentSocket = options.agentForwarding ?? options.agentSocket;
  const config: ConnectConfig = {
    sock: sock as unknown as NonNullable<ConnectConfig["sock"]>,
    username: options.username,
    authHandler: auth.handler,
    readyTimeout: options.handshakeTimeoutMs ?? 60_000,
    keepaliveInterval: Math.max(keepAlive, 0),
    keepaliveCountMax: 3,
    hostVerifier: () => true,
    algorithms,
    ...(agentSocket !== undefined ? { agent: agentSocket } : {}),
  };

  return new Promise((resolve, reject) => {
    let settled = false;
    let ready = false;
    let lastError: Error | undefined;
    const onAbort = (): void => {
      fail(cancelledError(signal.reason));
      client.end();
      sock.destroy();
    };
    if (signal.aborted) {
      reject(cancelledError(signal.reason));
      return;
    }
    signal.addEventListener("abort", onAbort, { once: true });
    let resolveClosed!: () => void;
    const closed = new Promise<void>((r) => {
      resolveClosed = r;
    });
    let tunnels: OpenTunnels | undefined;

    function fail(err: KilnError): void {
      if (settled) return;
      settled = true;
      signal.removeEventListener("abort", onAbort);
      reject(err);
    }

    client.on("error", (err: Error & { level?: string }) => {
      lastError = err;
      if (ready) {
        log.log(`[ERROR] ssh connection to ${name}: ${err.message}`);
        return;
      }
      fail(classify(err, name, auth));
    });
    client.on("close", () => {
      ready = false;
      tunnels?.close();
      resolveClosed();
      if (!settled) {
        fail(
          lastError !== undefined
            ? classify(lastError, name, auth)
            : new KilnError(
                SshErrorCode.Handshake,
                `ssh: handshake failed with ${name}: connection closed by the server`,
              ),
        );
      }
    });
    client.on("ready", () => {
      ready = true;
      const conn: SshConnection = {
        client,
        isOpen: () => ready,
        closed,
        close: () => {
          ready = false;
          client.end();
          // end() waits for the server; a dead peer would keep the socket open.
          setTimeout(() => sock.destroy(), 2000).unref();
        },
      };
      const finish = (): void => {
        if (settled) return;
        settled = true;
        signal.removeEventListener("abort", onAbort);
        resolve(conn);
      };
      if (options.tunnels === undefined || options.tunnels.length === 0) {
        finish();
        return;
      }
      openTunnels(client, options.tunnels, log).then(
        (t) => {
          tunnels = t;
          finish();
        },
        (err: unknown) => {
          conn.close();
          fail(new KilnError(SshErrorCode.Tunnel, errorMessage(err), { cause: err }));
        },
      );
    });
    try {
      client.connect(config);
      auth.install(client);
    } catch (err) {
      fail(new KilnError(SshErrorCode.Handshake, `ssh: ${errorMessage(err)}`, { cause: err }));
    }
  });
}

function classify(err: Error & { level?: string }, name: string, auth: AuthState): KilnError {
  switch (err.level) {
    case "client-authentication": {
      const attempted = auth.attempted.length > 0 ? auth.attempted.join(" ") : "none";
      const allowed = auth.allowed !== undefined ? `; the server allows [${auth.allowed.join(" ")}]` : "";
      return new KilnError(
        SshErrorCode.Auth,
        `authentication failed for ${name}: attempted methods [${attempted}], no supported methods remain${allowed}`,
        {
          cause: err,
          hint: "Check ssh_username and the credentials (ssh_password, ssh_private_key_file, ssh_agent_auth).",
          data: { attempted: [...auth.attempted], allowed: auth.allowed },
        },
      );
    }
    case "client-timeout":
      if (/handshake/i.test(err.message)) {
        return new KilnError(SshErrorCode.HandshakeTimeout, `Timeout during SSH handshake with ${name}`, {
          cause: err,
        });
      }
      return new KilnError(SshErrorCode.Handshake, `ssh: ${err.message} (${name})`, { cause: err });
    case "agent":
      return new KilnError(SshErrorCode.Auth, `ssh agent: ${err.message} (${name})`, { cause: err });
    default:
      return new KilnError(SshErrorCode.Handshake, `ssh: handshake failed with ${name}: ${err.message}`, {
        cause: err,
      });
  }
}
