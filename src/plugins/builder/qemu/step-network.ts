/**
 * The steps that choose the VM's addresses and ports before it starts:
 *  - stepHTTPIPDiscover: the address the guest reaches the HTTP server at: 10.0.2.2 (the host as seen from
 *    QEMU's user-mode network), or the bridge's IPv4 address with net_bridge;
 *  - StepHTTPServer: serves http_directory / http_content on a free port of the HTTP range;
 *  - stepPortForward: a free host port in [host_port_min, host_port_max) forwarded to the communicator port;
 *  - stepConfigureVNC: a free VNC port in [vnc_port_min, vnc_port_max) and the VNC password.
 * Ports are held with lock files until the build ends (see port-range.ts).
 */
import { randomInt } from "node:crypto";
import { statSync } from "node:fs";
import type { Server } from "node:http";
import { networkInterfaces } from "node:os";
import { ErrorCode, errorMessage, KilnError, type Step, type StepAction } from "../../../sdk/index.js";
import { resolvePath } from "./config.js";
import { createBuildHttpServer } from "./http-server.js";
import { freeKeepingLock, listenRange, type PortListener } from "./port-range.js";
import type { QemuState } from "./state.js";

/** The host as the guest sees it on QEMU's user-mode network. */
export const USER_NET_HOST_IP = "10.0.2.2";

export class StepHttpIpDiscover implements Step<QemuState> {
  readonly name = "stepHTTPIPDiscover";

  async run(state: QemuState): Promise<StepAction> {
    const bridge = state.config.netBridge;
    if (bridge === "") {
      state.httpIp = USER_NET_HOST_IP;
      return "continue";
    }
    const addrs = networkInterfaces()[bridge];
    if (addrs === undefined) {
      const err = new KilnError(
        ErrorCode.Builder,
        `Error getting the bridge ${bridge} interface: route ip+net: no such network interface`,
      );
      state.ui.error(err.message);
      state.error = err;
      return "halt";
    }
    const v4 = addrs.find((a) => a.family === "IPv4");
    if (v4 === undefined) {
      const err = new KilnError(
        ErrorCode.Builder,
        `Error getting an IPv4 address from the bridge ${bridge}: cannot find any IPv4 address`,
      );
      state.ui.error(err.message);
      state.error = err;
      return "halt";
    }
    state.httpIp = v4.address;
    return "continue";
  }
}

export class StepHttpServer implements Step<QemuState> {
  readonly name = "StepHTTPServer";
  private listener: PortListener | undefined;
  private server: Server | undefined;

  async run(state: QemuState, signal: AbortSignal): Promise<StepAction> {
    const { config, ui } = state;
    if (config.httpDir === "" && Object.keys(config.httpContent).length === 0) {
      state.httpPort = 0;
      return "continue";
    }
    const dir = config.httpDir === "" ? "" : resolvePath(config.httpDir, state.info.cwd);
    if (dir !== "") {
      try {
        statSync(dir);
      } catch (err) {
        const e = new KilnError(
          ErrorCode.Builder,
          `Error finding "${config.httpDir}": stat ${config.httpDir}: no such file or directory`,
          { cause: err },
        );
        state.error = e;
        ui.error(e.message);
        return "halt";
      }
    }
    try {
      this.listener = await listenRange(
        {
          min: config.httpPortMin,
          max: config.httpPortMax,
          address: config.httpAddress,
          cacheDir: state.cacheDir,
        },
        signal,
      );
    } catch (err) {
      if (signal.aborted) return "halt";
      const e = new KilnError(ErrorCode.Builder, `Error finding port: ${errorMessage(err)}`, { cause: err });
      state.error = e;
      ui.error(e.message);
      return "halt";
    }
    const port = this.listener.port;
    ui.say(`Starting HTTP server on port ${port}`);
    // Serve on the socket that holds the port.
    const server = createBuildHttpServer({
      directory: dir,
      content: config.httpContent,
      onRequest: (method, path, status) => state.log.log(`HTTP ${method} ${path} ${status}`),
    });
    await freeKeepingLock(this.listener);
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen({ host: this.listener!.address, port, exclusive: true }, () => resolve());
    }).catch((err) => {
      throw new KilnError(ErrorCode.Builder, `Error finding port: ${errorMessage(err)}`, { cause: err });
    });
    this.server = server;
    state.httpPort = port;
    return "continue";
  }

  async cleanup(state: QemuState): Promise<void> {
    const server = this.server;
    if (server !== undefined) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      this.server = undefined;
    }
    if (this.listener !== undefined) {
      state.log.log(`Closed the HTTP server on port ${this.listener.port}`);
      this.listener.release();
      this.listener = undefined;
    }
  }
}

export class StepPortForward implements Step<QemuState> {
  readonly name = "stepPortForward";
  private listener: PortListener | undefined;
  private probeListener: PortListener | undefined;

  async run(state: QemuState, signal: AbortSignal): Promise<StepAction> {
    const { config, ui } = state;
    if (config.comm.type === "none") {
      ui.message("No communicator is set; skipping port forwarding setup.");
      return "continue";
    }
    if (config.netBridge !== "") {
      ui.message("net_bridge is set; skipping port forwarding setup.");
      return "continue";
    }
    const port = config.comm.type === "winrm" ? config.comm.winrm.port : config.comm.ssh.port;
    if (config.skipNatMapping) {
      state.log.log(`Skipping NAT port forwarding. Using communicator (SSH, WinRM, etc) port ${port}`);
      state.commHostPort = port;
      return "continue";
    }
    state.log.log(
      `Looking for available communicator (SSH, WinRM, etc) port between ${config.hostPortMin} and ${config.hostPortMax}`,
    );
    try {
      // Forwards are bound to the loopback address only.
      this.listener = await listenRange(
        { min: config.hostPortMin, max: config.hostPortMax, address: "127.0.0.1", cacheDir: state.cacheDir },
        signal,
      );
    } catch (err) {
      if (signal.aborted) return "halt";
      const e = new KilnError(ErrorCode.Builder, `Error finding port: ${errorMessage(err)}`, { cause: err });
      state.error = e;
      ui.error(e.message);
      return "halt";
    }
    await freeKeepingLock(this.listener);
    ui.say(`Found port for communicator (SSH, WinRM, etc): ${this.listener.port}.`);
    state.commHostPort = this.listener.port;
    if (config.comm.type === "ssh") {
      // A second forward shows when the guest's network is up (see ssh-banner.ts); without one, SSH is probed.
      try {
        this.probeListener = await listenRange(
          {
            min: config.hostPortMin,
            max: config.hostPortMax,
            address: "127.0.0.1",
            cacheDir: state.cacheDir,
          },
          signal,
        );
        await freeKeepingLock(this.probeListener);
        state.netProbePort = this.probeListener.port;
      } catch (err) {
        if (signal.aborted) return "halt";
        state.log.log(`No port for the network probe: ${errorMessage(err)}`);
      }
    }
    return "continue";
  }

  async cleanup(): Promise<void> {
    this.listener?.release();
    this.listener = undefined;
    this.probeListener?.release();
    this.probeListener = undefined;
  }
}

const VNC_PASSWORD_CHARS = "012345689abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

/** Packer's VNCPassword: the configured one, a random 8-character one, or none. */
export function vncPassword(config: { vncUsePassword: boolean; vncPassword: string }): string {
  if (!config.vncUsePassword) return "";
  if (config.vncPassword.length > 8) {
    throw new KilnError(
      ErrorCode.Builder,
      `password length is longer than expected ${config.vncPassword.length} > 8`,
    );
  }
  if (config.vncPassword !== "") return config.vncPassword;
  let out = "";
  for (let i = 0; i < 8; i++) out += VNC_PASSWORD_CHARS[randomInt(VNC_PASSWORD_CHARS.length)];
  return out;
}

export class StepConfigureVnc implements Step<QemuState> {
  readonly name = "stepConfigureVNC";
  private listener: PortListener | undefined;

  async run(state: QemuState, signal: AbortSignal): Promise<StepAction> {
    const { config, ui } = state;
    const msg = `Looking for available port between ${config.vncPortMin} and ${config.vncPortMax} on ${config.vncBindAddress}`;
    ui.say(msg);
    state.log.log(msg);
    try {
      this.listener = await listenRange(
        {
          min: config.vncPortMin,
          max: config.vncPortMax,
          address: config.vncBindAddress,
          cacheDir: state.cacheDir,
        },
        signal,
      );
    } catch (err) {
      if (signal.aborted) return "halt";
      const e = new KilnError(ErrorCode.Builder, `Error finding VNC port: ${errorMessage(err)}`, {
        cause: err,
      });
      state.error = e;
      ui.error(e.message);
      return "halt";
    }
    await freeKeepingLock(this.listener);
    let password: string;
    try {
      password = vncPassword(config);
    } catch (err) {
      const e = new KilnError(ErrorCode.Builder, `Error finding VNC password: ${errorMessage(err)}`, {
        cause: err,
      });
      state.error = e;
      ui.error(e.message);
      return "halt";
    }
    if (password !== "") state.secrets.add(password);
    state.log.log(`Found available VNC port: ${this.listener.port} on IP: ${config.vncBindAddress}`);
    state.vncPort = this.listener.port;
    state.vncPassword = password;
    return "continue";
  }

  async cleanup(): Promise<void> {
    this.listener?.release();
    this.listener = undefined;
  }
}
