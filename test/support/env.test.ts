// The helper itself, against fake components: a description that is missing, malformed or names components
// that do not answer must make requireTestEnv throw, loudly and with the way out.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer as createHttpServer, type Server as HttpServer } from "node:http";
import { type AddressInfo, createServer as createTcpServer, type Server as TcpServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  dockerAvailable,
  readSshBanner,
  readTestEnv,
  requireDocker,
  requireTestEnv,
  sshAvailable,
  sshTarget,
  systemSshArgs,
  TestEnvError,
  testEnvPath,
} from "./env.js";

let dir: string;
let docker: HttpServer;
let sshd: TcpServer;
let notSsh: TcpServer;
let sshPort: number;
let notSshPort: number;
let closedPort: number;

function listen(server: TcpServer | HttpServer, where: string | number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    if (typeof where === "string") server.listen(where, resolve);
    else server.listen(where, "127.0.0.1", resolve);
  });
}

function close(server: TcpServer | HttpServer): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

function description(overrides: { socketPath?: string; sshPort?: number; packerPath?: string } = {}) {
  return {
    schemaVersion: 1,
    stateDir: dir,
    cacheDir: join(dir, "cache"),
    logDir: join(dir, "log"),
    docker: {
      host: `unix://${overrides.socketPath ?? join(dir, "docker.sock")}`,
      socketPath: overrides.socketPath ?? join(dir, "docker.sock"),
      serverVersion: "20.10.24",
      apiVersion: "1.41",
      storageDriver: "overlay2",
      pidFile: join(dir, "docker.pid"),
      logFile: join(dir, "dockerd.log"),
      network: "none",
      images: { busybox: "kiln-test/busybox:latest", debian: "kiln-test/debian:bookworm" },
    },
    ssh: {
      host: "127.0.0.1",
      port: overrides.sshPort ?? sshPort,
      user: "kiln",
      password: "pw",
      privateKeyPath: join(dir, "id_ed25519"),
      publicKeyPath: join(dir, "id_ed25519.pub"),
      rsaPrivateKeyPath: join(dir, "id_rsa"),
      unauthorizedPrivateKeyPath: join(dir, "unauthorized_ed25519"),
      knownHostsPath: join(dir, "known_hosts"),
      hostKeyFingerprints: { ed25519: "SHA256:a", rsa: "SHA256:b" },
      rootLogin: true,
      sudo: "nopasswd",
      configPath: join(dir, "sshd_config"),
      pidFile: join(dir, "sshd.pid"),
      logFile: join(dir, "sshd.log"),
    },
    packer: { path: overrides.packerPath ?? "/bin/sh", version: "1.6.6" },
  };
}

/** A state dir holding the given env.json text. */
function stateWith(text: string): string {
  const state = mkdtempSync(join(dir, "state-"));
  writeFileSync(join(state, "env.json"), text);
  return state;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "kiln-test-env-"));
  writeFileSync(join(dir, "id_ed25519"), "-----BEGIN OPENSSH PRIVATE KEY-----\nfake\n");
  docker = createHttpServer((req, res) => {
    res.end(req.url === "/_ping" ? "OK" : "?");
  });
  await listen(docker, join(dir, "docker.sock"));
  sshd = createTcpServer((socket) => socket.end("SSH-2.0-FakeSSH_1.0\r\n"));
  await listen(sshd, 0);
  sshPort = (sshd.address() as AddressInfo).port;
  notSsh = createTcpServer((socket) => socket.end("HTTP/1.1 400 Bad Request\r\n\r\n"));
  await listen(notSsh, 0);
  notSshPort = (notSsh.address() as AddressInfo).port;
  // A port that was just free: nothing listens there.
  const probe = createTcpServer();
  await listen(probe, 0);
  closedPort = (probe.address() as AddressInfo).port;
  await close(probe);
});

afterAll(async () => {
  await Promise.all([close(docker), close(sshd), close(notSsh)]);
  rmSync(dir, { recursive: true, force: true });
});

describe("testEnvPath", () => {
  it("uses the given state dir, else KILN_TEST_STATE, else /var/lib/kiln-test", () => {
    expect(testEnvPath({ stateDir: "/x" })).toBe("/x/env.json");
    const saved = process.env.KILN_TEST_STATE;
    try {
      process.env.KILN_TEST_STATE = "/from/env";
      expect(testEnvPath()).toBe("/from/env/env.json");
      delete process.env.KILN_TEST_STATE;
      expect(testEnvPath()).toBe("/var/lib/kiln-test/env.json");
    } finally {
      if (saved === undefined) delete process.env.KILN_TEST_STATE;
      else process.env.KILN_TEST_STATE = saved;
    }
  });
});

describe("readTestEnv", () => {
  it("reads a well-formed description", () => {
    const env = readTestEnv({ stateDir: stateWith(JSON.stringify(description())) });
    expect(env.docker.images.debian).toBe("kiln-test/debian:bookworm");
    expect(env.ssh.port).toBe(sshPort);
    expect(env.ssh.rootLogin).toBe(true);
  });

  it("throws a TestEnvError that says to run the script when env.json is missing", () => {
    const empty = mkdtempSync(join(dir, "empty-"));
    expect(() => readTestEnv({ stateDir: empty })).toThrowError(TestEnvError);
    expect(() => readTestEnv({ stateDir: empty })).toThrowError(
      /env\.json cannot be read \(ENOENT\).*run scripts\/test-env\.sh/,
    );
  });

  it("rejects text that is not JSON", () => {
    expect(() => readTestEnv({ stateDir: stateWith("{ nope") })).toThrowError(/not valid JSON/);
  });

  it("names the field that does not match the schema", () => {
    const d = description() as Record<string, unknown>;
    (d.ssh as Record<string, unknown>).port = "2222";
    expect(() => readTestEnv({ stateDir: stateWith(JSON.stringify(d)) })).toThrowError(
      /ssh\.port should be an integer/,
    );
    expect(() =>
      readTestEnv({ stateDir: stateWith(JSON.stringify({ ...description(), schemaVersion: 2 })) }),
    ).toThrowError(/schemaVersion should be 1/);
  });
});

describe("requireTestEnv", () => {
  it("resolves when every named component answers", async () => {
    const stateDir = stateWith(JSON.stringify(description()));
    const env = await requireTestEnv(["docker", "ssh", "packer"], { stateDir });
    expect(env.packer.version).toBe("1.6.6");
    expect(await dockerAvailable({ stateDir })).toBe(true);
    expect(await sshAvailable({ stateDir })).toBe(true);
    expect((await requireDocker({ stateDir })).socketPath).toBe(join(dir, "docker.sock"));
  });

  it("throws 'docker engine not reachable' when nothing listens on the socket", async () => {
    const stateDir = stateWith(JSON.stringify(description({ socketPath: join(dir, "no.sock") })));
    await expect(requireTestEnv(["docker"], { stateDir })).rejects.toThrowError(
      /docker engine not reachable at .*no\.sock \(connect ENOENT.*run scripts\/test-env\.sh/,
    );
    expect(await dockerAvailable({ stateDir })).toBe(false);
    // Components not asked for are not checked.
    await expect(requireTestEnv(["ssh"], { stateDir })).resolves.toBeDefined();
  });

  it("throws 'sshd not reachable' for a closed port and for a server that is not SSH", async () => {
    const closed = stateWith(JSON.stringify(description({ sshPort: closedPort })));
    await expect(requireTestEnv(["ssh"], { stateDir: closed })).rejects.toThrowError(
      /sshd not reachable at 127\.0\.0\.1:\d+ \(connect ECONNREFUSED/,
    );
    expect(await sshAvailable({ stateDir: closed })).toBe(false);
    const other = stateWith(JSON.stringify(description({ sshPort: notSshPort })));
    await expect(sshTarget({ stateDir: other })).rejects.toThrowError(/not an SSH server/);
  });

  it("throws when packer is not executable", async () => {
    const stateDir = stateWith(JSON.stringify(description({ packerPath: join(dir, "no-packer") })));
    await expect(requireTestEnv(["packer"], { stateDir })).rejects.toThrowError(
      /packer 1\.6\.6 not executable/,
    );
  });
});

describe("readSshBanner", () => {
  it("returns the identification line without CR", async () => {
    expect(await readSshBanner("127.0.0.1", sshPort)).toBe("SSH-2.0-FakeSSH_1.0");
  });
});

describe("sshTarget and systemSshArgs", () => {
  it("carries the key's contents and builds a non-interactive ssh command line", async () => {
    const target = await sshTarget({ stateDir: stateWith(JSON.stringify(description())) });
    expect(target.privateKey).toContain("OPENSSH PRIVATE KEY");
    expect(target.username).toBe("kiln");
    const args = systemSshArgs(target);
    expect(args.slice(0, 6)).toEqual(["-F", "/dev/null", "-p", String(sshPort), "-i", target.privateKeyPath]);
    expect(args).toContain("BatchMode=yes");
    expect(args).toContain("UserKnownHostsFile=/dev/null");
    expect(args.at(-1)).toBe("kiln@127.0.0.1");
    const strict = systemSshArgs(target, { strictHostKeys: true, user: "root", identity: "/k" });
    expect(strict).toContain(`UserKnownHostsFile=${target.knownHostsPath}`);
    expect(strict).toContain("StrictHostKeyChecking=yes");
    expect(strict[strict.indexOf("-i") + 1]).toBe("/k");
    expect(strict.at(-1)).toBe("root@127.0.0.1");
  });
});
