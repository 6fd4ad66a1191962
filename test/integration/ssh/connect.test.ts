// Connecting: StepConnect and its retries, bastion, SOCKS proxy, agent, certificates, tunnels, timeouts and the
// temporary key steps, against the test sshd.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, connect as netConnect, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type CommunicatorConfig,
  ConfigReader,
  decodeCommunicatorConfig,
  SSH_TIMEOUT_CODE,
  SshCommunicator,
  type SshCommunicatorOptions,
  SshErrorCode,
  StepCleanupTempKeys,
  StepConnect,
  StepSshKeyGen,
  waitForSsh,
} from "../../../src/communicator/index.js";
import { valueFromNative } from "../../../src/hcl/index.js";
import {
  CMD_DISCONNECT_STATUS,
  isKilnError,
  type KilnError,
  type ProvisionState,
} from "../../../src/sdk/index.js";
import { type SshTarget, systemSshArgs } from "../../support/env.js";
import { connect, keyOptions, never, type RecordedUi, recordingUi, run, sh, target } from "./helpers.js";

let t: SshTarget;
let admin: SshCommunicator;
let local: string;

beforeAll(async () => {
  t = await target();
  admin = await connect(t);
  local = mkdtempSync(join(tmpdir(), "kiln-ssh-connect-"));
});

afterAll(() => {
  admin?.close();
  if (local !== undefined) rmSync(local, { recursive: true, force: true });
});

function communicatorConfig(config: Record<string, unknown>): CommunicatorConfig {
  const reader = new ConfigReader(valueFromNative(config));
  const value = decodeCommunicatorConfig(reader, { cwd: local, env: {} });
  expect(reader.diagnostics).toEqual([]);
  return value;
}

function state(ui: RecordedUi): ProvisionState {
  return { hook: { run: async () => {} }, ui };
}

/** The local process that owns the TCP connection whose remote end sees us at `port`. */
function ownerOfLocalPort(port: number): string {
  const out = execFileSync("ss", ["-Htnp", "state", "established", `( sport = :${port} )`], {
    encoding: "utf8",
  });
  return /users:\(\("([^"]+)"/.exec(out)?.[1] ?? out;
}

async function clientPort(c: SshCommunicator): Promise<number> {
  const conn = (await sh(c, "echo $SSH_CONNECTION")).trim().split(" ");
  return Number(conn[1]);
}

describe("StepConnect", () => {
  it("connects, says so, and records the connection for generated data", async () => {
    const ui = recordingUi();
    const s = state(ui);
    const config = communicatorConfig({
      ssh_host: t.host,
      ssh_port: t.port,
      ssh_username: t.username,
      ssh_private_key_file: t.privateKeyPath,
    });
    const step = new StepConnect({ config, cwd: local, env: {} });
    expect(await step.run(s, never())).toBe("continue");
    expect(ui.lines).toEqual([
      "say: Using ssh communicator to connect: 127.0.0.1",
      "say: Waiting for SSH to become available...",
      "say: Connected to SSH!",
    ]);
    expect(s.connection).toMatchObject({
      type: "ssh",
      host: "127.0.0.1",
      port: 2222,
      user: "kiln",
      sshPrivateKeyFile: t.privateKeyPath,
    });
    expect((await sh(s.communicator!, "echo hi")).trim()).toBe("hi");
    await step.cleanup(s, never());
    expect((s.communicator as SshCommunicator).isConnected()).toBe(false);
  });

  it("gives up after ssh_handshake_attempts authentication failures", async () => {
    const ui = recordingUi();
    const s = state(ui);
    const config = communicatorConfig({
      ssh_host: t.host,
      ssh_port: t.port,
      ssh_username: t.username,
      ssh_private_key_file: t.unauthorizedPrivateKeyPath,
      ssh_handshake_attempts: 2,
    });
    const step = new StepConnect({ config, cwd: local, env: {}, retryDelayMs: 50 });
    expect(await step.run(s, never())).toBe("halt");
    expect(ui.lines.at(-1)).toMatch(
      /^error: Error waiting for SSH: Packer experienced an authentication error when trying to connect via SSH\..* original error: authentication failed for kiln@127\.0\.0\.1:2222: attempted methods \[publickey\]/,
    );
    expect(isKilnError(s.error, SshErrorCode.Auth)).toBe(true);
  });

  it("times out with the last error when nothing answers", async () => {
    const ui = recordingUi();
    const s = state(ui);
    const config = communicatorConfig({
      ssh_host: "127.0.0.1",
      ssh_port: 1,
      ssh_username: "kiln",
      ssh_password: "x",
      ssh_timeout: "1s",
    });
    const started = Date.now();
    expect(await new StepConnect({ config, cwd: local, env: {}, retryDelayMs: 100 }).run(s, never())).toBe(
      "halt",
    );
    expect(Date.now() - started).toBeLessThan(5000);
    expect(ui.lines.at(-1)).toBe(
      "error: Timeout waiting for SSH. Last error: dial tcp 127.0.0.1:1: connection refused",
    );
    expect(isKilnError(s.error, SSH_TIMEOUT_CODE)).toBe(true);
  });

  it("waits pause_before_connecting, then connects again", async () => {
    const ui = recordingUi();
    const s = state(ui);
    const config = communicatorConfig({
      ssh_host: t.host,
      ssh_port: t.port,
      ssh_username: t.username,
      ssh_password: t.password,
      pause_before_connecting: "500ms",
    });
    const step = new StepConnect({ config, cwd: local, env: {} });
    expect(await step.run(s, never())).toBe("continue");
    expect(ui.lines).toEqual([
      "say: Using ssh communicator to connect: 127.0.0.1",
      "say: Waiting for SSH to become available...",
      "say: Connected to SSH!",
      "say: Pausing 500ms before connecting...",
      "say: Waiting for SSH to become available...",
      "say: Connected to SSH!",
    ]);
    expect((await sh(s.communicator!, "echo ok")).trim()).toBe("ok");
    await step.cleanup(s, never());
  });

  it("uses the none communicator without connecting", async () => {
    const ui = recordingUi();
    const s = state(ui);
    const step = new StepConnect({
      config: communicatorConfig({ communicator: "none" }),
      cwd: local,
      env: {},
    });
    expect(await step.run(s, never())).toBe("continue");
    expect(ui.lines).toEqual([]);
    expect((await s.communicator!.start({ command: "anything" }, never())).exitStatus).toBe(0);
    await expect(s.communicator!.upload("/x", process.stdin, undefined, never())).rejects.toThrow(
      "Upload is not implemented when communicator = 'none'",
    );
  });

  it("retries while the port is closed and connects once it opens", async () => {
    const ui = recordingUi();
    const s = state(ui);
    // A relay on a free port that only starts forwarding to the sshd after a while (a machine booting).
    const relay = createServer((sock) => {
      const up = netConnect({ host: t.host, port: t.port });
      sock.pipe(up).pipe(sock);
      up.on("error", () => sock.destroy());
      sock.on("error", () => up.destroy());
    });
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, "127.0.0.1", () => {
        const p = (probe.address() as { port: number }).port;
        probe.close(() => resolve(p));
      });
    });
    setTimeout(() => relay.listen(port, "127.0.0.1"), 700);
    try {
      const config = communicatorConfig({
        ssh_host: t.host,
        ssh_port: port,
        ssh_username: t.username,
        ssh_password: t.password,
        ssh_timeout: "20s",
      });
      const step = new StepConnect({ config, cwd: local, env: {}, retryDelayMs: 200 });
      expect(await step.run(s, never())).toBe("continue");
      expect((await sh(s.communicator!, "echo up")).trim()).toBe("up");
      await step.cleanup(s, never());
    } finally {
      relay.close();
    }
  });
});

describe("routes", () => {
  it("reaches the machine through a bastion host (the same sshd)", async () => {
    const c = await SshCommunicator.connect(
      keyOptions(t, { bastion: { host: t.host, port: t.port, username: t.username, password: t.password } }),
      never(),
    );
    try {
      expect((await sh(c, "id -un")).trim()).toBe("kiln");
      // The target session's client socket belongs to the bastion's sshd, not to this process.
      expect(ownerOfLocalPort(await clientPort(c))).toMatch(/^sshd/);
    } finally {
      c.close();
    }
    const direct = await connect(t);
    try {
      expect(ownerOfLocalPort(await clientPort(direct))).toMatch(/^node/);
    } finally {
      direct.close();
    }
    const err = await SshCommunicator.connect(
      keyOptions(t, { bastion: { host: t.host, port: t.port, username: t.username, password: "wrong" } }),
      never(),
    ).catch((e: unknown) => e);
    expect(isKilnError(err, SshErrorCode.Bastion)).toBe(true);
    expect((err as KilnError).message).toMatch(
      /^Error connecting to bastion: authentication failed for kiln@127\.0\.0\.1:2222/,
    );
  });

  it("reaches the machine through a SOCKS5 proxy (OpenSSH's -D)", async () => {
    const port = 20000 + Math.floor(Math.random() * 20000);
    const proxy = spawn("ssh", ["-N", "-D", `127.0.0.1:${port}`, ...systemSshArgs(t)], { stdio: "ignore" });
    try {
      await waitForPort(port);
      const c = await SshCommunicator.connect(
        keyOptions(t, { socksProxy: { host: "127.0.0.1", port } }),
        never(),
      );
      try {
        expect((await sh(c, "echo via-proxy")).trim()).toBe("via-proxy");
        expect(ownerOfLocalPort(await clientPort(c))).toMatch(/^sshd/);
      } finally {
        c.close();
      }
    } finally {
      proxy.kill();
    }
    const err = await SshCommunicator.connect(
      keyOptions(t, { socksProxy: { host: "127.0.0.1", port: 1 } }),
      never(),
    ).catch((e: unknown) => e);
    expect(isKilnError(err, SshErrorCode.Dial)).toBe(true);
    expect((err as Error).message).toMatch(/through the SOCKS proxy 127\.0\.0\.1:1/);
  });
});

function waitForPort(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = (): void => {
      const s = netConnect({ host: "127.0.0.1", port });
      s.once("connect", () => {
        s.destroy();
        resolve();
      });
      s.once("error", () => {
        s.destroy();
        if (Date.now() > deadline) reject(new Error(`port ${port} never opened`));
        else setTimeout(attempt, 100);
      });
    };
    attempt();
  });
}

describe("ssh agent", () => {
  let agent: ChildProcess | undefined;
  let socket: string;
  beforeAll(async () => {
    socket = join(local, "agent.sock");
    agent = spawn("ssh-agent", ["-D", "-a", socket], { stdio: "ignore" });
    for (let i = 0; i < 100; i++) {
      try {
        execFileSync("ssh-add", [t.privateKeyPath], { env: { SSH_AUTH_SOCK: socket }, stdio: "ignore" });
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    throw new Error("ssh-agent did not start");
  });
  afterAll(() => agent?.kill());

  it("authenticates with the agent and forwards it", async () => {
    const c = await SshCommunicator.connect(
      { host: t.host, port: t.port, username: t.username, agentSocket: socket, agentForwarding: socket },
      never(),
    );
    try {
      const listed = await run(c, "ssh-add -l");
      expect(listed.exitStatus).toBe(0);
      expect(listed.stdout).toMatch(/ED25519/);
    } finally {
      c.close();
    }
  });

  it("StepConnect finds the agent through SSH_AUTH_SOCK, and says when it is missing", async () => {
    const config = communicatorConfig({
      ssh_host: t.host,
      ssh_port: t.port,
      ssh_username: t.username,
      ssh_agent_auth: true,
    });
    const ok = state(recordingUi());
    const step = new StepConnect({ config, cwd: local, env: { SSH_AUTH_SOCK: socket } });
    expect(await step.run(ok, never())).toBe("continue");
    await step.cleanup(ok, never());
    const ui = recordingUi();
    const missing = state(ui);
    const config2 = communicatorConfig({
      ssh_host: t.host,
      ssh_port: t.port,
      ssh_username: t.username,
      ssh_agent_auth: true,
      ssh_timeout: "1s",
    });
    expect(
      await new StepConnect({ config: config2, cwd: local, env: {}, retryDelayMs: 100 }).run(
        missing,
        never(),
      ),
    ).toBe("halt");
    expect(ui.lines.at(-1)).toBe(
      "error: Timeout waiting for SSH. Last error: Cannot connect to SSH Agent SSH_AUTH_SOCK is not set",
    );
  });
});

describe("certificates and temporary keys (in ~kiln/.ssh/authorized_keys)", () => {
  let createdSshDir = false;
  beforeAll(async () => {
    createdSshDir = (await sh(admin, "test -d ~/.ssh && echo yes || echo no")).trim() === "no";
    await sh(
      admin,
      "mkdir -p ~/.ssh && chmod 700 ~/.ssh && touch ~/.ssh/authorized_keys && chmod 600 ~/.ssh/authorized_keys",
    );
  });
  afterAll(async () => {
    if (createdSshDir) await sh(admin, "rm -rf ~/.ssh");
  });

  async function addAuthorized(line: string): Promise<void> {
    await admin.start({ command: "cat >> ~/.ssh/authorized_keys", stdin: `${line}\n` }, never());
  }
  async function removeAuthorized(marker: string): Promise<void> {
    await sh(admin, `sed -i '/${marker}/d' ~/.ssh/authorized_keys`);
  }

  for (const type of ["ed25519", "rsa", "ecdsa"] as const) {
    it(`logs in with an OpenSSH ${type} user certificate`, async () => {
      const dir = mkdtempSync(join(local, "ca-"));
      const marker = `kiln-ca-${randomUUID()}`;
      execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", marker, "-f", join(dir, "ca")]);
      execFileSync("ssh-keygen", [
        "-q",
        "-t",
        type,
        ...(type === "rsa" ? ["-b", "2048"] : []),
        "-N",
        "",
        "-f",
        join(dir, "user"),
      ]);
      execFileSync("ssh-keygen", [
        "-q",
        "-s",
        join(dir, "ca"),
        "-I",
        "kiln-test",
        "-n",
        "kiln",
        "-V",
        "-5m:+1h",
        join(dir, "user.pub"),
      ]);
      await addAuthorized(`cert-authority ${readFileSync(join(dir, "ca.pub"), "utf8").trim()}`);
      try {
        const key = readFileSync(join(dir, "user"));
        const c = await SshCommunicator.connect(
          keyOptions(t, { privateKeys: [key], certificate: readFileSync(join(dir, "user-cert.pub")) }),
          never(),
        );
        try {
          expect((await sh(c, "id -un")).trim()).toBe("kiln");
        } finally {
          c.close();
        }
        // The same key without its certificate is not authorized.
        const err = await SshCommunicator.connect(keyOptions(t, { privateKeys: [key] }), never()).catch(
          (e: unknown) => e,
        );
        expect(isKilnError(err, SshErrorCode.Auth)).toBe(true);
      } finally {
        await removeAuthorized(marker);
      }
    });
  }

  it("generates a temporary key, logs in with it, and clears it from authorized_keys", async () => {
    const name = `packer_${randomUUID()}`;
    const config = communicatorConfig({
      ssh_host: t.host,
      ssh_port: t.port,
      ssh_username: t.username,
      temporary_key_pair_type: "ed25519",
      temporary_key_pair_name: name,
      ssh_clear_authorized_keys: true,
    });
    const ui = recordingUi();
    const s = state(ui);
    expect(await new StepSshKeyGen({ config, cwd: local, env: {} }).run(s, never())).toBe("continue");
    expect(config.ssh.publicKey).toMatch(new RegExp(`^ssh-ed25519 \\S+ ${name}\\n$`));
    // What a builder does with the key: put it into the machine.
    await addAuthorized(config.ssh.publicKey.trim());
    try {
      const connectStep = new StepConnect({ config, cwd: local, env: {} });
      expect(await connectStep.run(s, never())).toBe("continue");
      expect(s.connection?.sshPrivateKey).toBe(config.ssh.privateKey);
      expect(await new StepCleanupTempKeys({ config }).run(s, never())).toBe("continue");
      expect(ui.lines).toContain("say: Trying to remove ephemeral keys from authorized_keys files");
      expect(await sh(admin, "cat ~/.ssh/authorized_keys")).not.toContain(name);
      expect((await run(admin, "test -e ~/.ssh/authorized_keys.bak")).exitStatus).toBe(1);
      await connectStep.cleanup(s, never());
    } finally {
      await removeAuthorized(name);
    }
  });

  it("says when it uses an existing key instead of generating one", async () => {
    const config = communicatorConfig({ ssh_username: "kiln", ssh_private_key_file: t.privateKeyPath });
    const ui = recordingUi();
    expect(await new StepSshKeyGen({ config, cwd: local, env: {} }).run(state(ui), never())).toBe("continue");
    expect(ui.lines).toEqual(["say: Using existing SSH private key"]);
    expect(config.ssh.publicKey).toBe(
      `${readFileSync(`${t.privateKeyPath}.pub`, "utf8").split(" ").slice(0, 2).join(" ")}\n`,
    );
  });
});

describe("tunnels and timeouts", () => {
  let echo: Server;
  let echoPort: number;
  beforeAll(async () => {
    echo = createServer((s) => s.pipe(s));
    echoPort = await new Promise((resolve) =>
      echo.listen(0, "127.0.0.1", () => resolve((echo.address() as { port: number }).port)),
    );
  });
  afterAll(() => echo?.close());

  async function roundTrip(port: number, text: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const s = netConnect({ host: "127.0.0.1", port });
      let got = "";
      s.on("data", (d) => {
        got += d.toString();
        if (got.length >= text.length) {
          s.destroy();
          resolve(got);
        }
      });
      s.on("error", reject);
      s.write(text);
    });
  }

  it("forwards local and remote tunnels while connected", async () => {
    const localPort = 20000 + Math.floor(Math.random() * 20000);
    const remotePort = localPort + 1;
    const options: SshCommunicatorOptions = keyOptions(t, {
      tunnels: [
        {
          direction: "local",
          listenHost: "localhost",
          listenPort: localPort,
          forwardHost: "127.0.0.1",
          forwardPort: echoPort,
        },
        {
          direction: "remote",
          listenHost: "localhost",
          listenPort: remotePort,
          forwardHost: "127.0.0.1",
          forwardPort: echoPort,
        },
      ],
    });
    const c = await SshCommunicator.connect(options, never());
    try {
      expect(await roundTrip(localPort, "through -L")).toBe("through -L");
      // The sshd listens for the remote tunnel on its own machine, which is this one.
      expect(await roundTrip(remotePort, "through -R")).toBe("through -R");
    } finally {
      c.close();
    }
    await new Promise((r) => setTimeout(r, 100));
    await expect(roundTrip(localPort, "x")).rejects.toThrow(/ECONNREFUSED/);
  });

  it("drops a connection that is silent longer than the read/write timeout", async () => {
    const c = await connect(t, { readWriteTimeoutMs: 700, keepAliveIntervalMs: 0 });
    try {
      expect((await run(c, "sleep 2; echo late")).exitStatus).toBe(CMD_DISCONNECT_STATUS);
    } finally {
      c.close();
    }
    const k = await connect(t, { readWriteTimeoutMs: 1500, keepAliveIntervalMs: 300 });
    try {
      // Keep-alive answers count as traffic.
      expect((await run(k, "sleep 2; echo alive")).stdout).toBe("alive\n");
    } finally {
      k.close();
    }
  });

  it("waitForSsh returns a working communicator", async () => {
    const c = await waitForSsh(async () => keyOptions(t), { timeoutMs: 10_000 }, never());
    try {
      expect((await sh(c, "echo ready")).trim()).toBe("ready");
    } finally {
      c.close();
    }
  });
});
