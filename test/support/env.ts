// The integration test environment as scripts/test-env.sh describes it in $KILN_TEST_STATE/env.json.
//
// Contract: a test that needs a component calls requireTestEnv([...]) (or requireDocker / sshTarget) in
// beforeAll. If the description is missing or the component does not answer, these throw a TestEnvError
// that says what is down and to run scripts/test-env.sh, so the test fails loudly: a missing component
// never turns into a silently skipped test.

import { accessSync, constants, readFileSync } from "node:fs";
import { request } from "node:http";
import { connect } from "node:net";
import { join } from "node:path";

export const TEST_ENV_SCRIPT = "scripts/test-env.sh";
export const DEFAULT_TEST_STATE_DIR = "/var/lib/kiln-test";
export const TEST_ENV_SCHEMA_VERSION = 1;

const DEFAULT_TIMEOUT_MS = 5_000;

/** The Docker engine: no bridge network, so containers have loopback only. */
export interface DockerEnv {
  /** DOCKER_HOST form, `unix:///var/run/docker.sock`. */
  readonly host: string;
  readonly socketPath: string;
  readonly serverVersion: string;
  readonly apiVersion: string;
  readonly storageDriver: string;
  readonly pidFile: string;
  readonly logFile: string;
  /** The only network mode that makes sense here. */
  readonly network: "none";
  /** Locally built images; no registry can be pulled from. */
  readonly images: { readonly busybox: string; readonly debian: string };
}

/** The sshd on loopback and its test user and keys. */
export interface SshEnv {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  /** Authorized ed25519 key (OpenSSH format, no passphrase), readable by root only. */
  readonly privateKeyPath: string;
  readonly publicKeyPath: string;
  /** Authorized RSA key (3072 bits, OpenSSH format). */
  readonly rsaPrivateKeyPath: string;
  /** A valid ed25519 key that the server does not accept. */
  readonly unauthorizedPrivateKeyPath: string;
  /** known_hosts lines for `[host]:port`, for strict host key checking. */
  readonly knownHostsPath: string;
  /** `SHA256:...` fingerprints of the server's host keys. */
  readonly hostKeyFingerprints: { readonly ed25519: string; readonly rsa: string };
  /** root may log in with the authorized keys. */
  readonly rootLogin: boolean;
  /** The test user's sudo: without a password. */
  readonly sudo: "nopasswd";
  readonly configPath: string;
  readonly pidFile: string;
  readonly logFile: string;
}

/** Packer 1.6.6 from Debian, the reference kiln is compared with. */
export interface PackerEnv {
  readonly path: string;
  readonly version: string;
}

export interface TestEnv {
  readonly schemaVersion: 1;
  readonly stateDir: string;
  readonly cacheDir: string;
  readonly logDir: string;
  readonly docker: DockerEnv;
  readonly ssh: SshEnv;
  readonly packer: PackerEnv;
}

export type TestEnvComponent = "docker" | "ssh" | "packer";

/** Everything a test needs to open an SSH session to the test sshd. */
export interface SshTarget {
  readonly host: string;
  readonly port: number;
  readonly username: string;
  readonly password: string;
  readonly privateKeyPath: string;
  /** The contents of privateKeyPath. */
  readonly privateKey: string;
  readonly rsaPrivateKeyPath: string;
  readonly unauthorizedPrivateKeyPath: string;
  readonly knownHostsPath: string;
  readonly hostKeyFingerprints: { readonly ed25519: string; readonly rsa: string };
  readonly rootLogin: boolean;
}

export interface TestEnvOptions {
  /** Where env.json lives; default $KILN_TEST_STATE, else /var/lib/kiln-test. */
  readonly stateDir?: string;
  /** How long a reachability check may take; default 5 s. */
  readonly timeoutMs?: number;
}

export class TestEnvError extends Error {
  override readonly name = "TestEnvError";
}

function fail(what: string): never {
  throw new TestEnvError(`kiln test environment: ${what}: run ${TEST_ENV_SCRIPT} (as root)`);
}

export function testEnvPath(options: TestEnvOptions = {}): string {
  const dir = options.stateDir ?? process.env.KILN_TEST_STATE ?? DEFAULT_TEST_STATE_DIR;
  return join(dir, "env.json");
}

// --- reading and checking env.json ---------------------------------------------------------------------

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

class Reader {
  constructor(
    private readonly file: string,
    private readonly path: string,
    private readonly obj: Json,
  ) {}

  private bad(key: string, want: string): never {
    fail(`${this.file} is not what this checkout expects (${this.path}${key} should be ${want})`);
  }

  str(key: string): string {
    const v = this.obj[key];
    return typeof v === "string" && v !== "" ? v : this.bad(key, "a non-empty string");
  }

  int(key: string): number {
    const v = this.obj[key];
    return typeof v === "number" && Number.isInteger(v) ? v : this.bad(key, "an integer");
  }

  bool(key: string): boolean {
    const v = this.obj[key];
    return typeof v === "boolean" ? v : this.bad(key, "true or false");
  }

  lit<T extends string | number>(key: string, want: T): T {
    return this.obj[key] === want ? want : this.bad(key, JSON.stringify(want));
  }

  sub(key: string): Reader {
    const v = this.obj[key];
    return isObject(v) ? new Reader(this.file, `${this.path}${key}.`, v) : this.bad(key, "an object");
  }
}

/** Reads and checks env.json; throws TestEnvError if it is missing or not of this schema. */
export function readTestEnv(options: TestEnvOptions = {}): TestEnv {
  const file = testEnvPath(options);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? String(e);
    fail(`${file} cannot be read (${code}); the environment was never set up here`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    fail(`${file} is not valid JSON (${(e as Error).message})`);
  }
  if (!isObject(parsed)) fail(`${file} does not hold a JSON object`);
  const r = new Reader(file, "", parsed);
  const d = r.sub("docker");
  const images = d.sub("images");
  const s = r.sub("ssh");
  const fps = s.sub("hostKeyFingerprints");
  const p = r.sub("packer");
  return {
    schemaVersion: r.lit("schemaVersion", TEST_ENV_SCHEMA_VERSION),
    stateDir: r.str("stateDir"),
    cacheDir: r.str("cacheDir"),
    logDir: r.str("logDir"),
    docker: {
      host: d.str("host"),
      socketPath: d.str("socketPath"),
      serverVersion: d.str("serverVersion"),
      apiVersion: d.str("apiVersion"),
      storageDriver: d.str("storageDriver"),
      pidFile: d.str("pidFile"),
      logFile: d.str("logFile"),
      network: d.lit("network", "none"),
      images: { busybox: images.str("busybox"), debian: images.str("debian") },
    },
    ssh: {
      host: s.str("host"),
      port: s.int("port"),
      user: s.str("user"),
      password: s.str("password"),
      privateKeyPath: s.str("privateKeyPath"),
      publicKeyPath: s.str("publicKeyPath"),
      rsaPrivateKeyPath: s.str("rsaPrivateKeyPath"),
      unauthorizedPrivateKeyPath: s.str("unauthorizedPrivateKeyPath"),
      knownHostsPath: s.str("knownHostsPath"),
      hostKeyFingerprints: { ed25519: fps.str("ed25519"), rsa: fps.str("rsa") },
      rootLogin: s.bool("rootLogin"),
      sudo: s.lit("sudo", "nopasswd"),
      configPath: s.str("configPath"),
      pidFile: s.str("pidFile"),
      logFile: s.str("logFile"),
    },
    packer: { path: p.str("path"), version: p.str("version") },
  };
}

// --- reachability --------------------------------------------------------------------------------------

/** Resolves when the engine on socketPath answers GET /_ping with OK; rejects with the reason otherwise. */
export function pingDocker(socketPath: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path: "/_ping", method: "GET", timeout: timeoutMs }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        body += chunk;
      });
      res.on("end", () => {
        if (res.statusCode === 200 && body === "OK") resolve();
        else reject(new Error(`/_ping answered ${res.statusCode}: ${body.slice(0, 200)}`));
      });
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on("error", reject);
    req.end();
  });
}

/** Connects to host:port and resolves with the server's SSH identification line (`SSH-2.0-...`). */
export function readSshBanner(host: string, port: number, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    let buf = "";
    const done = (err: Error | null, line?: string) => {
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(err);
      else resolve(line ?? "");
    };
    const timer = setTimeout(() => done(new Error(`no SSH banner within ${timeoutMs} ms`)), timeoutMs);
    socket.setEncoding("latin1");
    socket.on("data", (chunk: string) => {
      buf += chunk;
      const nl = buf.indexOf("\n");
      if (nl >= 0 || buf.length > 255) {
        const line = (nl >= 0 ? buf.slice(0, nl) : buf).replace(/\r$/, "");
        if (line.startsWith("SSH-")) done(null, line);
        else done(new Error(`not an SSH server: ${JSON.stringify(line.slice(0, 80))}`));
      }
    });
    socket.on("error", (e) => done(e));
    socket.on("close", () => done(new Error("connection closed before the SSH banner")));
  });
}

function reason(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

async function checkComponent(env: TestEnv, component: TestEnvComponent, timeoutMs: number): Promise<void> {
  switch (component) {
    case "docker":
      try {
        await pingDocker(env.docker.socketPath, timeoutMs);
      } catch (e) {
        fail(`docker engine not reachable at ${env.docker.socketPath} (${reason(e)})`);
      }
      return;
    case "ssh":
      try {
        await readSshBanner(env.ssh.host, env.ssh.port, timeoutMs);
      } catch (e) {
        fail(`sshd not reachable at ${env.ssh.host}:${env.ssh.port} (${reason(e)})`);
      }
      return;
    case "packer":
      try {
        accessSync(env.packer.path, constants.X_OK);
      } catch (e) {
        fail(`packer ${env.packer.version} not executable at ${env.packer.path} (${reason(e)})`);
      }
      return;
  }
}

/**
 * Reads env.json and checks that each named component answers now; throws TestEnvError naming the first
 * one that does not.
 */
export async function requireTestEnv(
  components: readonly TestEnvComponent[] = ["docker", "ssh"],
  options: TestEnvOptions = {},
): Promise<TestEnv> {
  const env = readTestEnv(options);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  for (const c of components) await checkComponent(env, c, timeoutMs);
  return env;
}

/** The Docker engine, checked to answer; throws TestEnvError otherwise. */
export async function requireDocker(options: TestEnvOptions = {}): Promise<DockerEnv> {
  return (await requireTestEnv(["docker"], options)).docker;
}

/** Whether the described Docker engine answers now (false, never a throw, when it does not). */
export async function dockerAvailable(options: TestEnvOptions = {}): Promise<boolean> {
  try {
    await requireTestEnv(["docker"], options);
    return true;
  } catch {
    return false;
  }
}

/** Whether the described sshd answers now. */
export async function sshAvailable(options: TestEnvOptions = {}): Promise<boolean> {
  try {
    await requireTestEnv(["ssh"], options);
    return true;
  } catch {
    return false;
  }
}

/** The sshd and its test user, checked to answer; throws TestEnvError otherwise. */
export async function sshTarget(options: TestEnvOptions = {}): Promise<SshTarget> {
  const { ssh } = await requireTestEnv(["ssh"], options);
  let privateKey: string;
  try {
    privateKey = readFileSync(ssh.privateKeyPath, "utf8");
  } catch (e) {
    fail(`the test key ${ssh.privateKeyPath} cannot be read (${reason(e)})`);
  }
  return {
    host: ssh.host,
    port: ssh.port,
    username: ssh.user,
    password: ssh.password,
    privateKeyPath: ssh.privateKeyPath,
    privateKey,
    rsaPrivateKeyPath: ssh.rsaPrivateKeyPath,
    unauthorizedPrivateKeyPath: ssh.unauthorizedPrivateKeyPath,
    knownHostsPath: ssh.knownHostsPath,
    hostKeyFingerprints: ssh.hostKeyFingerprints,
    rootLogin: ssh.rootLogin,
  };
}

export interface SystemSshOptions {
  /** Private key to offer; default the authorized test key. */
  readonly identity?: string;
  /** Check the host key against the environment's known_hosts; default false (no checking). */
  readonly strictHostKeys?: boolean;
  /** Log in as this user; default the test user. */
  readonly user?: string;
}

/**
 * Arguments for the system `ssh` client that log in to the target non-interactively and ignore the
 * caller's own ssh config, agent and keys; append the remote command.
 */
export function systemSshArgs(target: SshTarget, options: SystemSshOptions = {}): string[] {
  const hostKeys = options.strictHostKeys
    ? ["-o", "StrictHostKeyChecking=yes", "-o", `UserKnownHostsFile=${target.knownHostsPath}`]
    : ["-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null"];
  return [
    "-F",
    "/dev/null",
    "-p",
    String(target.port),
    "-i",
    options.identity ?? target.privateKeyPath,
    "-o",
    "BatchMode=yes",
    "-o",
    "IdentitiesOnly=yes",
    "-o",
    "IdentityAgent=none",
    "-o",
    "ConnectTimeout=10",
    "-o",
    "LogLevel=ERROR",
    ...hostKeys,
    `${options.user ?? target.username}@${target.host}`,
  ];
}
