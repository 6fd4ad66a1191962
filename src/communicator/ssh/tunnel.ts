/**
 * Port tunnels over the SSH connection (`ssh_local_tunnels`, `ssh_remote_tunnels`), as Packer's
 * ParseTunnelArgument and connectTunnels do:
 *  - a local tunnel `PORT:HOST:HOSTPORT` listens on localhost:PORT on this machine and forwards each
 *    connection through the SSH server to HOST:HOSTPORT (like `ssh -L`);
 *  - a remote tunnel `PORT:HOST:HOSTPORT` asks the SSH server to listen on localhost:PORT and forwards each
 *    connection back to HOST:HOSTPORT as seen from this machine (like `ssh -R`).
 * Tunnels live as long as the connection; they are set up again after a reconnect.
 */
import { createServer, connect as netConnect, type Server, type Socket } from "node:net";
import type { Client, ClientChannel, TcpConnectionDetails } from "ssh2";
import type { Logger } from "../../sdk/index.js";

export type TunnelDirection = "local" | "remote";

export interface TunnelSpec {
  readonly direction: TunnelDirection;
  /** Always `localhost` (Packer does not support a bind address). */
  readonly listenHost: string;
  readonly listenPort: number;
  readonly forwardHost: string;
  readonly forwardPort: number;
}

export type ParseTunnelResult =
  | { readonly ok: true; readonly value: TunnelSpec }
  | { readonly ok: false; readonly error: string };

/** Parses `PORT:HOST:HOSTPORT` (HOST may be a bracketed IPv6 address), with Packer's error texts. */
export function parseTunnelArgument(text: string, direction: TunnelDirection): ParseTunnelResult {
  const colon = text.indexOf(":");
  if (colon < 0) return { ok: false, error: `Error parsing tunnel '${text}': [${text}]` };
  const listen = text.slice(0, colon);
  const forward = text.slice(colon + 1);
  const hostPort = splitHostPort(forward);
  if (typeof hostPort === "string") {
    return { ok: false, error: `Error parsing forwarding, must be a tcp address: ${hostPort}` };
  }
  const forwardPort = atoi(hostPort.port);
  if (forwardPort === undefined) {
    return {
      ok: false,
      error: `Error parsing forwarding port, must be a valid port: strconv.Atoi: parsing "${hostPort.port}": invalid syntax`,
    };
  }
  const listenPort = atoi(listen);
  if (listenPort === undefined) {
    return {
      ok: false,
      error: `Error parsing listening port, must be a valid port: strconv.Atoi: parsing "${listen}": invalid syntax`,
    };
  }
  return {
    ok: true,
    value: { direction, listenHost: "localhost", listenPort, forwardHost: hostPort.host, forwardPort },
  };
}

function atoi(s: string): number | undefined {
  return /^[+-]?\d+$/.test(s) ? Number(s) : undefined;
}

/** Go's net.SplitHostPort; returns its error text on failure. */
function splitHostPort(addr: string): { host: string; port: string } | string {
  const missingPort = `address ${addr}: missing port in address`;
  if (addr.startsWith("[")) {
    const end = addr.indexOf("]");
    if (end < 0) return `address ${addr}: missing ']' in address`;
    if (addr[end + 1] !== ":")
      return end + 1 === addr.length ? missingPort : `address ${addr}: too many colons in address`;
    return { host: addr.slice(1, end), port: addr.slice(end + 2) };
  }
  const last = addr.lastIndexOf(":");
  if (last < 0) return missingPort;
  const host = addr.slice(0, last);
  if (host.includes(":")) return `address ${addr}: too many colons in address`;
  return { host, port: addr.slice(last + 1) };
}

/** Running tunnels of one connection; close() stops listening and drops forwarded connections. */
export interface OpenTunnels {
  close(): void;
}

/** Sets up every tunnel on `client`; rejects (after undoing what was set up) when one cannot bind. */
export async function openTunnels(
  client: Client,
  specs: readonly TunnelSpec[],
  log: Logger,
): Promise<OpenTunnels> {
  const servers: Server[] = [];
  const sockets = new Set<Socket | ClientChannel>();
  const remote: TunnelSpec[] = [];
  const track = (s: Socket | ClientChannel): void => {
    sockets.add(s);
    s.once("close", () => sockets.delete(s));
  };
  const close = (): void => {
    for (const s of servers) s.close();
    for (const s of sockets) s.destroy();
    client.removeListener("tcp connection", onTcpConnection);
  };
  const onTcpConnection = (
    details: TcpConnectionDetails,
    accept: () => ClientChannel,
    reject: () => void,
  ): void => {
    const spec = remote.find((t) => t.listenPort === details.destPort);
    if (spec === undefined) {
      reject();
      return;
    }
    const channel = accept();
    track(channel);
    const socket = netConnect({ host: spec.forwardHost, port: spec.forwardPort });
    track(socket);
    pipeBoth(socket, channel);
  };
  client.on("tcp connection", onTcpConnection);
  try {
    for (const spec of specs) {
      if (spec.direction === "remote") {
        await new Promise<void>((resolve, reject) => {
          client.forwardIn(spec.listenHost, spec.listenPort, (err) =>
            err
              ? reject(new Error(`Tunnel: Failed to bind remote ('${describe(spec)}'): ${err.message}`))
              : resolve(),
          );
        });
        remote.push(spec);
        log.log(
          `[INFO] Tunnel: Remote bound on ${spec.listenHost}:${spec.listenPort} forwarding to ${spec.forwardHost}:${spec.forwardPort}`,
        );
      } else {
        const server = createServer((socket) => {
          track(socket);
          socket.pause();
          client.forwardOut(
            socket.remoteAddress ?? "127.0.0.1",
            socket.remotePort ?? 0,
            spec.forwardHost,
            spec.forwardPort,
            (err, channel) => {
              if (err) {
                log.log(`[ERROR] Tunnel: ${describe(spec)}: ${err.message}`);
                socket.destroy();
                return;
              }
              track(channel);
              pipeBoth(socket, channel);
              socket.resume();
            },
          );
        });
        await new Promise<void>((resolve, reject) => {
          server.once("error", (err) =>
            reject(new Error(`Tunnel: Failed to bind local ('${describe(spec)}'): ${err.message}`)),
          );
          // Go's net.Listen("tcp", "localhost:N") binds the IPv4 loopback.
          server.listen(
            spec.listenPort,
            spec.listenHost === "localhost" ? "127.0.0.1" : spec.listenHost,
            resolve,
          );
        });
        servers.push(server);
        log.log(
          `[INFO] Tunnel: Local bound on ${spec.listenHost}:${spec.listenPort} forwarding to ${spec.forwardHost}:${spec.forwardPort}`,
        );
      }
    }
  } catch (err) {
    close();
    throw err;
  }
  client.once("close", close);
  return { close };
}

function describe(spec: TunnelSpec): string {
  return `${spec.listenPort}:${spec.forwardHost}:${spec.forwardPort}`;
}

function pipeBoth(socket: Socket, channel: ClientChannel): void {
  socket.pipe(channel).pipe(socket);
  const end = (): void => {
    socket.destroy();
    channel.destroy();
  };
  socket.once("error", end);
  channel.once("error", end);
  socket.once("close", end);
  channel.once("close", end);
}
